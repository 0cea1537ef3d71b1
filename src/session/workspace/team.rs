//! The window's part of running a team project, beside the plan: progress and reliability so
//! far (the Corpus tab), a coder's training feedback against gold, Sync, and the open
//! article's source (an imported article's title, address and database id).
//!
//! Each is the core's own function (`reliability_so_far`, `coder_training`, `sync`,
//! `load_source`) run as a job, or, for the source (one small file), once when an article
//! opens; the results come back through the command path like every other job's.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::core::agreement::ReportOptions;
use crate::core::interchange::articles::{self, SourceInfo};
use crate::core::model::annotation::Status;
use crate::core::project::{CODEBOOK_FILE, Project, layout};
use crate::core::storage::store;
use crate::core::team::plan;
use crate::core::team::reliability::{Reliability, reliability_so_far};
use crate::core::team::sync::{SyncReport, SyncState, sync};
use crate::core::team::training::{CoderTraining, GOLD, coder_training};
use crate::session::coding::CodeCommand;
use crate::session::command::{JobOutput, Place, ProjectCommand, ReviewTab};
use crate::session::jobs::JobId;
use crate::session::workspace::Workspace;

/// The sync job's label. It is shown beside the Sync button, not in the status bar: a sync
/// cannot be cancelled (git would go on in the folder without the window knowing).
pub const SYNC_JOB: &str = "Syncing with the team";

/// Bootstrap replicates for the Corpus tab's intervals and q(α < α_min): what `stance status`
/// uses, so the window and the command line agree.
const BOOTSTRAP: usize = 1000;

/// A coder's figures against gold on one training article.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingFeedback {
    /// The article.
    pub article: String,
    /// The coder.
    pub coder: String,
    /// The plan's α_min, which every field must reach.
    pub alpha_min: f64,
    /// The figures, or why there are none yet.
    pub result: Result<TrainingResult, String>,
}

/// What training against gold shows for an article.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainingResult {
    /// The article is not a training article (or the project has no plan): nothing to show.
    NotTraining,
    /// Gold is not there or not finished yet (why, for the coder).
    NoGold(String),
    /// The coder's figures per field, with every disagreement.
    Scored(Box<CoderTraining>),
}

/// The team parts of the workspace (see the module documentation).
#[derive(Debug, Default)]
pub(super) struct Team {
    /// Progress and reliability so far (`Ok(None)`: no plan), once read.
    reliability: Option<Result<Option<Reliability>, String>>,
    reliability_job: Option<JobId>,
    /// Training feedback on the open article, once computed.
    training: Option<TrainingFeedback>,
    training_job: Option<JobId>,
    /// What the last sync did, in which project folder (kept when the project is read
    /// again after a sync brought new articles).
    sync: Option<(PathBuf, Result<SyncReport, String>)>,
    sync_job: Option<JobId>,
    /// The `stance` binary git's merge driver runs (the running program unless set).
    exe: Option<PathBuf>,
    /// The article (and coder) the source and training feedback are of.
    seen: Option<(String, String)>,
    /// The open article's source sidecar, read when it opened.
    source: Option<Result<Option<SourceInfo>, String>>,
}

impl Team {
    /// Whether a sync is under way: the coder's file must not be written meanwhile (git may
    /// be merging into it).
    pub(super) fn syncing(&self) -> bool {
        self.sync_job.is_some()
    }

    /// The sync under way, if any.
    pub(super) fn sync_job(&self) -> Option<JobId> {
        self.sync_job
    }

    /// Forgets what was read of the project (another one opens); the program stays.
    pub(super) fn reset(&mut self) -> Vec<JobId> {
        let exe = self.exe.take();
        let sync = self.sync.take();
        let old = std::mem::take(self);
        self.exe = exe;
        self.sync = sync;
        // A sync under way goes on (git is at work in the old folder) but its result is
        // not this project's.
        [old.reliability_job, old.training_job]
            .into_iter()
            .flatten()
            .collect()
    }

    /// Forgets a job of these kinds if it is `id`; whether it was one. A sync is not
    /// cancelled: git would go on working in the folder without the window knowing.
    pub(super) fn drop_job(&mut self, id: JobId) -> bool {
        let mut any = false;
        for slot in [&mut self.reliability_job, &mut self.training_job] {
            if *slot == Some(id) {
                *slot = None;
                any = true;
            }
        }
        any
    }
}

impl Workspace {
    // -----------------------------------------------------------------------------------
    // Reading

    /// Progress and reliability so far: `None` until read, `Ok(None)` without a plan.
    pub fn reliability(&self) -> Option<Result<Option<&Reliability>, &str>> {
        self.team
            .reliability
            .as_ref()
            .map(|r| r.as_ref().map(Option::as_ref).map_err(String::as_str))
    }

    /// Whether progress and reliability are being computed.
    pub fn reliability_loading(&self) -> bool {
        self.team.reliability_job.is_some()
    }

    /// The coder's training feedback on the open article (a training article they marked
    /// done), once computed.
    pub fn training(&self) -> Option<&TrainingFeedback> {
        let s = self.coding.as_ref()?;
        self.team
            .training
            .as_ref()
            .filter(|t| t.article == s.article().id && t.coder == s.annotator())
            .filter(|_| s.document().file.status == Status::Done)
    }

    /// What the last sync did, or why it could not.
    pub fn last_sync(&self) -> Option<Result<&SyncReport, &str>> {
        let root = self.root.as_deref()?;
        self.team
            .sync
            .as_ref()
            .filter(|(at, _)| at == root)
            .map(|(_, r)| r.as_ref().map_err(String::as_str))
    }

    /// Whether a sync is under way.
    pub fn syncing(&self) -> bool {
        self.team.syncing()
    }

    /// The open article's source (title, address, database id) when it was imported with a
    /// sidecar; `Err` when the sidecar does not load.
    pub fn article_source(&self) -> Option<Result<&SourceInfo, &str>> {
        match self.team.source.as_ref()? {
            Ok(Some(info)) => Some(Ok(info)),
            Ok(None) => None,
            Err(e) => Some(Err(e.as_str())),
        }
    }

    /// The `stance` program git's merge driver runs during a sync (tests run the window
    /// inside a test binary, so they name the real one).
    pub fn set_stance_binary(&mut self, exe: PathBuf) {
        self.team.exe = Some(exe);
    }

    // -----------------------------------------------------------------------------------
    // Changing

    pub(super) fn load_reliability(&mut self) {
        let Some(s) = &mut self.coding else { return };
        s.flush();
        let project = s.shared_project();
        if let Some(id) = self.team.reliability_job.take() {
            self.jobs.cancel(id);
        }
        self.team.reliability = None;
        self.team.reliability_job = Some(self.jobs.start(
            "Computing reliability on the sample",
            move |p| {
                let out = reliability_job(&project);
                if p.is_cancelled() {
                    JobOutput::Cancelled
                } else {
                    JobOutput::Reliability(out.map(|r| r.map(Box::new)))
                }
            },
        ));
    }

    pub(super) fn load_training(&mut self) {
        let Some(s) = &self.coding else { return };
        if s.document().file.status != Status::Done {
            return;
        }
        let project = s.shared_project();
        let article = s.article().id.clone();
        let coder = s.annotator().to_owned();
        if let Some(id) = self.team.training_job.take() {
            self.jobs.cancel(id);
        }
        self.team.training_job = Some(self.jobs.start("Comparing with gold", move |_| {
            JobOutput::Training(Box::new(training_job(&project, &article, &coder)))
        }));
    }

    pub(super) fn start_sync(&mut self) {
        let Some(s) = &mut self.coding else { return };
        if self.team.sync_job.is_some() {
            return;
        }
        // The command waited for the save; if the file still cannot be saved (read-only, a
        // conflict on disk) the coder's notice says why, and what is on disk is synced.
        s.flush();
        // An editor's verdicts and gold decisions go with it; gold that cannot be written
        // stays unsaved (quitting still asks) and its message says why.
        if let Some(r) = &mut self.review {
            r.save();
        }
        if let Some((_, walk)) = &mut self.gold
            && walk.dirty
            && let Err(e) = walk.save()
        {
            self.project_tabs_message = Some(format!("gold was not saved before the sync: {e}"));
        }
        let Some(s) = &self.coding else { return };
        let root = s.project().root.clone();
        let user = s.annotator().to_owned();
        let exe = self.team.exe.clone().unwrap_or_else(running_program);
        self.team.sync = None;
        self.team.sync_job = Some(self.jobs.start(SYNC_JOB, move |_| {
            JobOutput::Synced(
                sync(&root, &user, &exe)
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
            )
        }));
    }

    /// Progress and reliability came in (kept only from the latest job).
    pub(super) fn reliability_done(
        &mut self,
        id: JobId,
        r: Result<Option<Box<Reliability>>, String>,
    ) {
        if self.team.reliability_job == Some(id) {
            self.team.reliability_job = None;
            self.team.reliability = Some(r.map(|r| r.map(|b| *b)));
        }
    }

    /// Training figures came in (kept only from the latest job).
    pub(super) fn training_done(&mut self, id: JobId, t: TrainingFeedback) {
        if self.team.training_job == Some(id) {
            self.team.training_job = None;
            self.team.training = Some(t);
        }
    }

    /// A sync ended (its project may have been closed meanwhile: then it is dropped).
    pub(super) fn sync_done(&mut self, id: JobId, r: Result<Box<SyncReport>, String>) {
        if self.team.sync_job == Some(id) {
            self.team.sync_job = None;
            self.synced(r.map(|b| *b));
        }
    }

    /// Before the window closes: a sync under way is waited for (git may be merging into
    /// the coder's file), and the open file is checked against the disk, so the last save
    /// never writes over what git merged (with unsaved edits the coder is asked and the
    /// window stays open).
    pub(super) fn finish_running_sync(&mut self) {
        if let Some(id) = self.team.sync_job.take()
            && let Some(JobOutput::Synced(r)) = self.jobs.wait(id)
        {
            if let Some(root) = self.root.clone() {
                self.team.sync = Some((root, r.map(|b| *b)));
            }
            if let Some(s) = &mut self.coding {
                s.handle(CodeCommand::CheckDisk);
            }
        }
    }

    /// After a sync: the open file is checked against the disk (a merge may have changed it:
    /// it reloads, or the coder's unsaved edits are kept and the notice offers the choice),
    /// and what review mode read is read anew; conflicts go to the Validation panel.
    fn synced(&mut self, result: Result<SyncReport, String>) {
        let conflicts = result.as_ref().is_ok_and(|r| !r.conflicts.is_empty());
        let reopen = result
            .as_ref()
            .is_ok_and(|r| r.received.iter().any(|p| changes_the_project(p)));
        if let Some(root) = self.root.clone() {
            self.team.sync = Some((root, result));
        }
        if reopen && let Some(s) = &self.coding {
            // New or changed articles, or another codebook: the project is read again (its
            // open file saved first), on the same article.
            let (root, article) = (s.project().root.clone(), s.article().id.clone());
            self.follow(ProjectCommand::Open(root).into());
            self.follow(crate::session::command::NavigateCommand::OpenArticle(article).into());
        }
        self.follow(CodeCommand::CheckDisk.into());
        if !reopen {
            // Another plan, or others' progress on it, may have come in (reopening the
            // project reads the plan anyway).
            self.reload_plan();
        }
        self.forget_project_tabs();
        self.team.reliability = None;
        // Gold or a sidecar may have come in: both are read again.
        self.team.seen = None;
        let on_project_tabs = matches!(
            self.place,
            Place::Review(ReviewTab::Validation | ReviewTab::Corpus)
        );
        if conflicts || on_project_tabs {
            self.follow(ProjectCommand::CheckProject.into());
            self.follow(ProjectCommand::LoadOverview.into());
        }
        if self.place == Place::Review(ReviewTab::Corpus) {
            self.follow(ProjectCommand::LoadReliability.into());
        }
    }

    /// When another article (or coder) is open: its source is read (once, not per frame),
    /// and a finished training article is compared with gold.
    pub(super) fn refresh_team(&mut self) {
        let Some(s) = &self.coding else {
            self.team.seen = None;
            self.team.source = None;
            return;
        };
        let now = (s.article().id.clone(), s.annotator().to_owned());
        if self.team.seen.as_ref() == Some(&now) {
            return;
        }
        self.team.source =
            Some(articles::load_source(&s.project().root, &now.0).map_err(|e| e.to_string()));
        self.team.seen = Some(now);
        // The file was just read from disk: what the job reads is what the coder sees.
        self.load_training();
    }
}

/// Whether a file that came in with a sync changes what the open project holds: an article
/// (or its sidecar) or the codebook. Annotation files are read where they are used.
fn changes_the_project(path: &str) -> bool {
    match layout::place(path) {
        layout::Place::Articles => true,
        layout::Place::Top(file) => file == CODEBOOK_FILE,
        layout::Place::InArticleFolder { .. } | layout::Place::Other => false,
    }
}

/// The program running now, for git's merge driver.
pub(super) fn running_program() -> PathBuf {
    std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| PathBuf::from("stance"))
}

/// Progress and reliability over `project` with its plan (`None`: no plan).
fn reliability_job(project: &Project) -> Result<Option<Reliability>, String> {
    let Some(plan) = plan::load(&project.root).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let options = ReportOptions {
        bootstrap: BOOTSTRAP,
        ..ReportOptions::default()
    };
    reliability_so_far(project, &plan, &options).map(Some)
}

/// `coder`'s figures against gold on `article`: the core's training over the plan with this
/// one article as its training set.
fn training_job(project: &Project, article: &str, coder: &str) -> TrainingFeedback {
    let mut out = TrainingFeedback {
        article: article.to_owned(),
        coder: coder.to_owned(),
        alpha_min: plan::Thresholds::default().alpha_min,
        result: Ok(TrainingResult::NotTraining),
    };
    out.result = (|| {
        let Some(mut plan) = plan::load(&project.root).map_err(|e| e.to_string())? else {
            return Ok(TrainingResult::NotTraining);
        };
        out.alpha_min = plan.thresholds.alpha_min;
        if !plan.is_training(article) {
            return Ok(TrainingResult::NotTraining);
        }
        let path = project
            .annotation_path(article, GOLD)
            .map_err(|e| e.to_string())?;
        if !path.is_file() {
            return Ok(TrainingResult::NoGold(
                "There is no gold for this training article yet: your agreement with it shows once an editor has made it.".into(),
            ));
        }
        let gold = store::load_annotation(&path, &project.codebook).map_err(|e| e.to_string())?;
        if gold.status != Status::Done {
            return Ok(TrainingResult::NoGold(
                "Gold for this training article is not finished yet: your agreement with it shows once an editor marks it done.".into(),
            ));
        }
        plan.training = vec![article.to_owned()];
        let golds = BTreeMap::from([(article.to_owned(), gold)]);
        coder_training(project, &plan, coder, &golds).map(|t| TrainingResult::Scored(Box::new(t)))
    })();
    out
}

/// One line saying how a sync ended, for the window (the details go in a tooltip).
pub fn sync_summary(report: &SyncReport) -> String {
    let mut parts = Vec::new();
    parts.push(match report.committed.len() {
        0 => "nothing of yours to commit".to_owned(),
        1 => "committed 1 file".to_owned(),
        n => format!("committed {n} files"),
    });
    if !report.received.is_empty() {
        parts.push(format!(
            "received {} from others",
            plural(report.received.len(), "file")
        ));
    }
    if !report.conflicts.is_empty() {
        let n: usize = report.conflicts.iter().map(|(_, c)| c.len()).sum();
        parts.push(format!(
            "{} (see the Validation panel)",
            plural(n, "merge conflict")
        ));
    }
    let end = match &report.outcome {
        SyncState::Synced => format!(
            "synced with {}",
            report.remote.as_deref().unwrap_or("the remote")
        ),
        SyncState::NoRemote => "no remote: kept in this folder only".to_owned(),
        SyncState::Offline(_) => "offline: kept here, sync again when online".to_owned(),
        SyncState::MergeStopped(_) => "others' work not merged: ask your editor".to_owned(),
        SyncState::PushFailed(_) => "merged here but not pushed: sync again".to_owned(),
    };
    format!("Sync: {}; {end}", parts.join(", "))
}

/// Everything a sync did, line by line (the summary's tooltip).
pub fn sync_details(report: &SyncReport) -> Vec<String> {
    let mut lines = Vec::new();
    for a in &report.setup {
        lines.push(a.to_string());
    }
    for c in &report.committed {
        lines.push(format!("committed {c}"));
    }
    for c in &report.left_alone {
        lines.push(format!("left alone (not yours): {c}"));
    }
    for c in &report.received {
        lines.push(format!("received {c}"));
    }
    for (path, conflicts) in &report.conflicts {
        for c in conflicts {
            lines.push(format!("merge conflict in {path}: {c}"));
        }
    }
    lines.push(report.outcome.to_string());
    lines
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
#[path = "team_tests.rs"]
mod tests;
