//! The project as a whole: opening one (on another thread: a big corpus takes a while), the
//! sample project, importing articles, the project-wide views (agreement, corpus overview,
//! validation), and what the jobs behind them hand back.

use std::path::{Path, PathBuf};

use crate::core::interchange::articles::{self, ArticleImport};
use crate::core::project::sample;
use crate::session::agreement::AgreementResults;
use crate::session::coding::{CodeCommand, Session};
use crate::session::command::{Command, JobOutput, NavigateCommand, Place, ProjectCommand};
use crate::session::corpus;
use crate::session::jobs::JobId;
use crate::session::workspace::Workspace;

impl Workspace {
    pub(super) fn handle_project(&mut self, c: ProjectCommand) {
        match c {
            ProjectCommand::Open(root) => self.open_project(root),
            ProjectCommand::SetAnnotator(name) => self.set_annotator(name.trim()),
            ProjectCommand::CreateSample(parent) => {
                self.error = None;
                self.running.sample =
                    Some(self.jobs.start("Creating the sample project", move |_| {
                        JobOutput::SampleWritten(
                            sample::write_sample(&parent).map_err(|e| e.to_string()),
                        )
                    }));
            }
            ProjectCommand::ImportArticles(path) => self.import_articles(path),
            ProjectCommand::ComputeAgreement => self.compute_agreement(),
            ProjectCommand::LoadOverview => self.load_overview(),
            ProjectCommand::CheckProject => self.check_project(),
            ProjectCommand::LoadReliability => self.load_reliability(),
            ProjectCommand::LoadTraining => self.load_training(),
            ProjectCommand::Sync => self.start_sync(),
        }
    }

    /// Opens the project in `root` on another thread; the open one is saved and closed first
    /// (if it cannot be saved, it stays open and its notice says why).
    fn open_project(&mut self, root: PathBuf) {
        if let Some(s) = &mut self.coding
            && !s.flush()
        {
            return;
        }
        self.root = Some(root.clone());
        if let Some(id) = self.running.open.take() {
            self.jobs.cancel(id);
        }
        self.close_project();
        let Some(name) = self.annotator.clone() else {
            // The window asks who codes; the project opens once it is told.
            return;
        };
        let label = format!("Opening {}", root.display());
        self.running.open = Some(self.jobs.start(label, move |progress| {
            let opened = Session::open_watched(&root, &name, progress)
                .map(Box::new)
                .map_err(|e| format!("Could not open {}: {e}", root.display()));
            if progress.is_cancelled() {
                JobOutput::Cancelled
            } else {
                JobOutput::Opened(opened)
            }
        }));
    }

    /// Forgets everything of the open project.
    fn close_project(&mut self) {
        self.coding = None;
        self.review = None;
        self.gold = None;
        self.agreement = None;
        self.place = Place::Coding;
        self.forget_project_tabs();
        let draft = std::mem::take(&mut self.plan.draft);
        self.plan = super::plan::PlanState {
            draft,
            ..super::plan::PlanState::default()
        };
        for id in self.team.reset() {
            self.jobs.cancel(id);
        }
        for id in [
            self.running.agreement.take(),
            self.running.overview.take(),
            self.running.findings.take(),
            self.running.plan.take(),
        ]
        .into_iter()
        .flatten()
        {
            self.jobs.cancel(id);
        }
    }

    fn set_annotator(&mut self, name: &str) {
        if let Err(e) = crate::core::model::names::validate_person(name) {
            self.error = Some(format!("annotator name: {e}"));
            return;
        }
        self.annotator = Some(name.to_owned());
        match &mut self.coding {
            Some(s) if s.annotator() != name => {
                s.handle(CodeCommand::SwitchAnnotator(name.to_owned()));
                // Another coder: their queue, their blind rule (Review and Agreement wait
                // for them).
                let had_plan = self.plan.view.take().is_some();
                self.plan.loaded = false;
                if had_plan {
                    self.load_plan();
                } else {
                    self.reload_plan();
                }
            }
            Some(_) => {}
            None => {
                if self.running.open.is_none()
                    && let Some(root) = self.root.clone()
                {
                    self.open_project(root);
                }
            }
        }
    }

    fn import_articles(&mut self, path: PathBuf) {
        let Some(root) = self.coding.as_ref().map(|s| s.project().root.clone()) else {
            return;
        };
        self.running.import = Some(self.jobs.start(
            format!("Importing {}", path.display()),
            move |_| {
                let files = import_list(&path);
                JobOutput::Imported(
                    articles::import_articles(&root, &files).map_err(|e| e.to_string()),
                )
            },
        ));
    }

    fn compute_agreement(&mut self) {
        if self.blind_reason().is_some() {
            // Blind coding: agreement needs the others' files, hidden until the sample is
            // done; the view says why.
            self.agreement = None;
            return;
        }
        let Some(s) = &mut self.coding else { return };
        s.flush();
        let project = s.shared_project();
        if let Some(id) = self.running.agreement.take() {
            self.jobs.cancel(id);
        }
        self.agreement = None;
        self.running.agreement = Some(self.jobs.start("Computing agreement", move |p| {
            AgreementResults::compute(&project, p)
                .map_or(JobOutput::Cancelled, |a| JobOutput::Agreement(Box::new(a)))
        }));
    }

    fn load_overview(&mut self) {
        let Some(s) = &mut self.coding else { return };
        s.flush();
        let project = s.shared_project();
        if let Some(id) = self.running.overview.take() {
            self.jobs.cancel(id);
        }
        self.overview = None;
        self.conflicts.clear();
        self.running.overview = Some(self.jobs.start("Reading every annotation file", move |_| {
            JobOutput::Overview(corpus::overview(&project))
        }));
    }

    fn check_project(&mut self) {
        let Some(s) = &mut self.coding else { return };
        s.flush();
        let root = s.project().root.clone();
        if let Some(id) = self.running.findings.take() {
            self.jobs.cancel(id);
        }
        self.findings = None;
        self.running.findings = Some(self.jobs.start("Checking the project", move |_| {
            JobOutput::Findings(corpus::findings(&root))
        }));
    }

    /// Cancels a job the user no longer wants. A save is never cancelled: it is the coder's
    /// work on its way to disk. Nor is reading the plan (blind coding depends on it, and
    /// Review waits for it) or an assignment (it writes `project.ron`).
    pub(super) fn cancel(&mut self, id: JobId) {
        let running = &mut self.running;
        for slot in [
            &mut running.open,
            &mut running.agreement,
            &mut running.overview,
            &mut running.findings,
            &mut running.sample,
            &mut running.import,
        ] {
            if *slot == Some(id) {
                *slot = None;
                self.jobs.cancel(id);
            }
        }
        if self.team.drop_job(id) {
            self.jobs.cancel(id);
        }
        if self.running.open.is_none() && self.coding.is_none() {
            // What waited for the project has nothing to act on now.
            self.waiting.clear();
        }
    }

    /// Applies what a job handed back, if it is still the job of its kind (a cancelled or
    /// superseded job's output is dropped).
    pub(super) fn job_done(&mut self, id: JobId, out: JobOutput) {
        let mine = |slot: &mut Option<JobId>| {
            let is = *slot == Some(id);
            if is {
                *slot = None;
            }
            is
        };
        match out {
            JobOutput::Opened(result) => {
                if mine(&mut self.running.open) {
                    self.opened(result);
                }
            }
            JobOutput::Saved(done) => {
                if mine(&mut self.running.save)
                    && let Some(s) = &mut self.coding
                {
                    s.finish_save(*done);
                }
            }
            JobOutput::Agreement(results) => {
                if mine(&mut self.running.agreement) {
                    self.agreement = Some(*results);
                }
            }
            JobOutput::Overview(rows) => {
                if mine(&mut self.running.overview) {
                    self.conflicts = corpus::conflicts(&rows);
                    self.overview = Some(rows);
                }
            }
            JobOutput::Findings(findings) => {
                if mine(&mut self.running.findings) {
                    self.findings = Some(findings);
                }
            }
            JobOutput::SampleWritten(result) => {
                if mine(&mut self.running.sample) {
                    match result {
                        Ok(root) => self.follow(ProjectCommand::Open(root).into()),
                        Err(e) => {
                            self.error = Some(format!("Could not create the sample project: {e}"));
                        }
                    }
                }
            }
            JobOutput::Imported(result) => {
                if mine(&mut self.running.import) {
                    self.imported(result);
                }
            }
            JobOutput::PlanLoaded(result) => {
                if mine(&mut self.running.plan) {
                    self.plan_loaded(result);
                }
            }
            JobOutput::Assigned(result) => {
                if mine(&mut self.running.assign) {
                    self.assigned(result);
                }
            }
            JobOutput::Reliability(r) => self.reliability_done(id, r),
            JobOutput::Training(t) => self.training_done(id, *t),
            JobOutput::Synced(r) => self.sync_done(id, r),
            JobOutput::Cancelled => {
                self.team.drop_job(id);
                for slot in [
                    &mut self.running.open,
                    &mut self.running.agreement,
                    &mut self.running.overview,
                    &mut self.running.findings,
                    &mut self.running.plan,
                ] {
                    mine(slot);
                }
            }
        }
    }

    fn opened(&mut self, result: Result<Box<Session>, String>) {
        match result {
            Ok(mut s) => {
                let name = s.annotator().to_owned();
                s.handle(CodeCommand::SetSuggestions(
                    !self.hide_suggestions.contains(&name),
                ));
                self.coding = Some(*s);
                self.error = None;
                // With a plan, the window goes on where the coder's queue says (unless an
                // article was asked for).
                self.plan.go_to_next = true;
                self.reload_plan();
            }
            Err(e) => {
                self.error = Some(e);
                // What waited for the project has nothing to act on.
                self.waiting.clear();
            }
        }
    }

    /// The project is opened again with the new articles, on the first new one (or the one
    /// that already had that text).
    fn imported(&mut self, result: Result<Vec<ArticleImport>, String>) {
        match result {
            Ok(outcomes) => {
                let first = outcomes
                    .iter()
                    .map(|o| match o {
                        ArticleImport::Added { id, .. }
                        | ArticleImport::AlreadyThere { id, .. } => id.clone(),
                    })
                    .next();
                if let Some(root) = self.coding.as_ref().map(|s| s.project().root.clone()) {
                    self.follow(Command::Project(ProjectCommand::Open(root)));
                }
                if let Some(id) = first {
                    self.follow(Command::Navigate(NavigateCommand::OpenArticle(id)));
                }
            }
            Err(e) => self.error = Some(e),
        }
    }
}

/// The files an import of `path` reads: the file itself, or every file in the folder, sorted.
fn import_list(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_owned()]
    }
}
