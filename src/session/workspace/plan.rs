//! The team plan in the workspace: reading it (a job: it reads every planned file's status),
//! the editor's assignment (a job that writes `project.ron`), the coder's queue (the window
//! opens on their next article), and blind coding in Review and Agreement.

use std::collections::HashMap;

use crate::core::compare::review::Alignment;
use crate::core::model::annotation::Status;
use crate::core::team::queue::WorkState;
use crate::session::command::{Command, JobOutput, NavigateCommand, PlanCommand};
use crate::session::plan::{PlanDraft, PlanView, assign_and_save};
use crate::session::review::ReviewSession;
use crate::session::workspace::Workspace;

/// What the workspace knows of the plan.
#[derive(Debug, Default)]
pub(super) struct PlanState {
    /// The plan as last read; `None` before it is read or when the project has none.
    pub(super) view: Option<PlanView>,
    /// It was read at least once since the project opened (Review and Agreement wait for it,
    /// so blind coding is never skipped because the plan was not in yet).
    pub(super) loaded: bool,
    /// Why it could not be read.
    pub(super) error: Option<String>,
    /// The editor's changes being typed.
    pub(super) draft: PlanDraft,
    /// What the last assignment did, or why it did not run.
    pub(super) message: Vec<String>,
    /// The last assignment failed (the message is an error).
    pub(super) failed: bool,
    /// Open the coder's next article when the plan is in (the project was just opened and
    /// nothing else was asked for).
    pub(super) go_to_next: bool,
}

impl Workspace {
    // -----------------------------------------------------------------------------------
    // Reading

    /// The team plan as last read, for the window's annotator; `None` without a plan (or
    /// before it is read).
    pub fn plan(&self) -> Option<&PlanView> {
        self.plan.view.as_ref()
    }

    /// Why the plan could not be read.
    pub fn plan_error(&self) -> Option<&str> {
        self.plan.error.as_deref()
    }

    /// The editor's changes as typed on the Plan tab.
    pub fn plan_draft(&self) -> &PlanDraft {
        &self.plan.draft
    }

    /// What the last assignment did (or why it did not run), and whether that is an error.
    pub fn plan_message(&self) -> (&[String], bool) {
        (&self.plan.message, self.plan.failed)
    }

    /// Whether the plan is being read or an assignment written.
    pub fn plan_busy(&self) -> bool {
        self.running.plan.is_some() || self.running.assign.is_some()
    }

    /// Why the window's annotator sees only their own files in Review and Agreement, when
    /// blind coding hides the others' now.
    pub fn blind_reason(&self) -> Option<String> {
        self.plan.view.as_ref().and_then(PlanView::blind_reason)
    }

    // -----------------------------------------------------------------------------------
    // Changing

    pub(super) fn handle_plan(&mut self, c: PlanCommand) {
        match c {
            PlanCommand::Load => self.load_plan(),
            PlanCommand::EditDraft(d) => self.plan.draft = *d,
            PlanCommand::Assign => self.assign(),
            PlanCommand::OpenNext => self.open_next(),
        }
    }

    /// Reads the plan and everyone's progress on another thread.
    pub(super) fn load_plan(&mut self) {
        let Some(s) = &self.coding else { return };
        let project = s.shared_project();
        let viewer = s.annotator().to_owned();
        if let Some(id) = self.running.plan.take() {
            self.jobs.cancel(id);
        }
        self.running.plan = Some(self.jobs.start("Reading the plan", move |_| {
            JobOutput::PlanLoaded(PlanView::load(&project, &viewer).map(|v| v.map(Box::new)))
        }));
    }

    /// Reads the plan again if the project has one (a stat of `project.ron`: a project
    /// without a plan starts no job).
    pub(super) fn reload_plan(&mut self) {
        let has_plan = self.coding.as_ref().is_some_and(|s| {
            std::fs::symlink_metadata(crate::core::team::plan::plan_path(&s.project().root)).is_ok()
        });
        if has_plan || self.plan.view.is_some() {
            self.load_plan();
        }
    }

    /// The plan was read: blind coding is applied anew, and a project just opened goes to
    /// the coder's next article.
    pub(super) fn plan_loaded(&mut self, result: Result<Option<Box<PlanView>>, String>) {
        self.plan.loaded = true;
        match result {
            Ok(view) => {
                self.plan.view = view.map(|v| *v);
                self.plan.error = None;
            }
            Err(e) => {
                // No rule applies without a readable plan; the Plan tab says why (blind
                // coding is the team's convention, not access control: files are on disk).
                self.plan.view = None;
                self.plan.error = Some(e);
            }
        }
        // What the review shows may change: the sample may be complete now, or not yet.
        if self.review.is_some() && matches!(self.place, crate::session::Place::Review(_)) {
            self.open_review();
        }
        if self.blind_reason().is_some() {
            self.agreement = None;
        } else if self.place == crate::session::Place::Agreement
            && self.agreement.is_none()
            && self.running.agreement.is_none()
        {
            // Blind coding just ended (or was never on): agreement can be shown.
            self.follow(crate::session::ProjectCommand::ComputeAgreement.into());
        }
        if std::mem::take(&mut self.plan.go_to_next)
            && let Some(next) = self.plan.view.as_ref().and_then(|v| v.next.clone())
            && self.coding.as_ref().is_some_and(|s| s.article().id != next)
        {
            self.follow(Command::Navigate(NavigateCommand::OpenArticle(next)));
        }
    }

    /// Runs the assignment the draft asks for, on another thread.
    fn assign(&mut self) {
        let Some(s) = &self.coding else { return };
        if let Some(v) = &self.plan.view
            && !v.may_edit()
        {
            self.plan.message = vec![format!(
                "Only the plan's editors ({}) change it.",
                v.plan.editors.join(", ")
            )];
            self.plan.failed = true;
            return;
        }
        let request = match self.plan.draft.request() {
            Ok(r) => r,
            Err(e) => {
                self.plan.message = vec![e];
                self.plan.failed = true;
                return;
            }
        };
        let project = s.shared_project();
        self.plan.message.clear();
        self.plan.failed = false;
        if self.running.assign.is_none() {
            self.running.assign = Some(self.jobs.start("Assigning articles", move |_| {
                JobOutput::Assigned(assign_and_save(&project, &request))
            }));
        }
    }

    pub(super) fn assigned(&mut self, result: Result<Vec<String>, String>) {
        match result {
            Ok(lines) => {
                self.plan.message = lines;
                self.plan.failed = false;
                // The names and articles are in the plan now; the rule and numbers stay.
                let d = &mut self.plan.draft;
                d.coders.clear();
                d.editors.clear();
                d.training.clear();
                d.blind = None;
                self.load_plan();
            }
            Err(e) => {
                self.plan.message = vec![e];
                self.plan.failed = true;
            }
        }
    }

    /// Opens the coder's next article: the core's `Queue::next` over the states the window
    /// knows (its own files' statuses, as the article list shows them).
    fn open_next(&mut self) {
        let (Some(s), Some(v)) = (&self.coding, &self.plan.view) else {
            return;
        };
        let index: HashMap<&str, usize> = s
            .project()
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let summaries = s.summaries();
        let state = |article: &str| {
            let summary = index.get(article).and_then(|&i| summaries.get(i));
            match summary {
                None => WorkState::NotStarted,
                Some(sum) => match (&sum.error, sum.status) {
                    (Some(e), _) => WorkState::Unreadable(e.clone()),
                    (None, None) => WorkState::NotStarted,
                    (None, Some(Status::Done)) => WorkState::Done,
                    (None, Some(Status::InProgress)) => WorkState::InProgress,
                },
            }
        };
        let next = v
            .queue_with(s.project(), state)
            .and_then(|q| q.next().map(|i| i.article.clone()));
        if let Some(id) = next {
            self.handle_navigate(NavigateCommand::OpenArticle(id));
        } else {
            self.plan.message = vec!["Every article of yours in the plan is done.".to_owned()];
            self.plan.failed = false;
        }
    }

    /// Blind coding on a review just opened: only files the plan lets the viewer see are
    /// aligned (the viewer's own, while the sample is not finished).
    pub(super) fn apply_blind(&self, r: &mut ReviewSession) {
        let Some(v) = &self.plan.view else { return };
        if !r.alignment.files.iter().any(|f| v.hides(&f.annotator)) {
            return;
        }
        let files: Vec<_> = std::mem::take(&mut r.alignment.files)
            .into_iter()
            .filter(|f| !v.hides(&f.annotator))
            .collect();
        let failed = std::mem::take(&mut r.alignment.failed);
        r.alignment = Alignment::from_files(&r.alignment.article, files);
        r.alignment.failed = failed;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use crate::core::team::plan::{self, Plan, SampleSize};
    use crate::session::command::{
        Command, NavigateCommand, Place, PlanCommand, ProjectCommand, ReviewTab,
    };
    use crate::session::fixture::review_project;
    use crate::session::jobs::Runner;
    use crate::session::workspace::{Workspace, WorkspaceOptions};

    /// ana and ben finished `talks`, the sample; cy has not started it: blind coding is on.
    fn blind_plan(root: &Path) -> Vec<u8> {
        let mut p = Plan::new(1, SampleSize::Count(1));
        p.coders = vec!["ana".into(), "ben".into(), "cy".into()];
        p.editors = vec!["ed".into()];
        p.blind = true;
        p.sample.articles = vec!["talks".into()];
        plan::save(root, &p).unwrap();
        std::fs::read(plan::plan_path(root)).unwrap()
    }

    fn frame(ws: &mut Workspace) {
        for c in ws.poll_jobs() {
            ws.handle(c);
        }
    }

    fn open(root: &Path, annotator: &str) -> Workspace {
        let mut ws = Workspace::new(WorkspaceOptions {
            annotator: Some(annotator.to_owned()),
            hide_suggestions: Vec::new(),
            runner: Runner::Deferred,
        });
        ws.handle(ProjectCommand::Open(root.to_owned()).into());
        frame(&mut ws);
        assert!(ws.coding().is_some(), "{:?}", ws.error());
        ws
    }

    #[test]
    fn review_waits_for_the_plan_so_blind_coding_is_never_skipped() {
        let (dir, _) = review_project();
        blind_plan(dir.path());
        let mut ws = open(dir.path(), "ana");
        // The project is open, its plan still being read: Review waits for it. Reading it
        // cannot be cancelled (blind coding depends on it), nor is it offered.
        assert!(ws.plan_busy());
        let job = ws
            .jobs()
            .into_iter()
            .find(|j| j.label == "Reading the plan")
            .unwrap()
            .id;
        assert!(
            !ws.cancellable_jobs().iter().any(|j| j.id == job),
            "{:?}",
            ws.cancellable_jobs()
        );
        ws.handle(crate::session::JobCommand::Cancel(job).into());
        assert!(ws.plan_busy());
        ws.handle(NavigateCommand::Show(Place::Review(ReviewTab::default())).into());
        assert_eq!(ws.waiting(), 1);
        assert!(ws.review().is_none());
        frame(&mut ws);
        assert_eq!(ws.waiting(), 0);
        assert_eq!(ws.review().unwrap().alignment.annotators(), ["ana"]);
        assert!(ws.blind_reason().unwrap().contains("cy 0 of 1"));
        // Agreement is not computed while blind.
        ws.handle(NavigateCommand::Show(Place::Agreement).into());
        frame(&mut ws);
        assert!(ws.agreement().is_none() && ws.agreement_job().is_none());
        // An editor sees both.
        let mut ed = open(dir.path(), "ed");
        frame(&mut ed);
        ed.handle(NavigateCommand::Show(Place::Review(ReviewTab::default())).into());
        frame(&mut ed);
        assert_eq!(ed.review().unwrap().alignment.annotators(), ["ana", "ben"]);
        assert!(ed.blind_reason().is_none());
    }

    #[test]
    fn assign_from_a_coder_is_refused_and_writes_nothing() {
        let (dir, _) = review_project();
        let before = blind_plan(dir.path());
        let mut ws = open(dir.path(), "ana");
        frame(&mut ws);
        let mut draft = ws.plan_draft().clone();
        draft.coder = "zoe".into();
        assert!(draft.take_typed(false));
        ws.handle(Command::Plan(PlanCommand::EditDraft(Box::new(draft))));
        ws.handle(PlanCommand::Assign.into());
        frame(&mut ws);
        let (message, failed) = ws.plan_message();
        assert!(failed);
        assert_eq!(message, ["Only the plan's editors (ed) change it."]);
        assert_eq!(std::fs::read(plan::plan_path(dir.path())).unwrap(), before);
    }

    #[test]
    fn a_broken_plan_is_reported_at_its_line_and_column() {
        let (dir, _) = review_project();
        std::fs::write(
            plan::plan_path(dir.path()),
            "(\n    format: 1,\n    coders: [\"ana\"],\n    sample: (seed: 1, size: Count(1), articles: [], bogus: 1),\n)\n",
        )
        .unwrap();
        let mut ws = open(dir.path(), "ana");
        frame(&mut ws);
        let e = ws.plan_error().unwrap();
        assert!(e.contains("project.ron:4:"), "{e}");
        assert!(ws.plan().is_none());
        // The draft's numbers are checked before anything runs.
        let mut draft = ws.plan_draft().clone();
        draft.rule = crate::session::plan::RuleChoice::Share;
        draft.share = "ten percent".into();
        ws.handle(PlanCommand::EditDraft(Box::new(draft)).into());
        ws.handle(PlanCommand::Assign.into());
        assert!(ws.plan_message().0[0].contains("`ten percent`"));
        assert!(!ws.plan_busy());
    }

    #[cfg(unix)]
    #[test]
    fn a_plan_linked_out_of_the_project_is_neither_read_nor_written() {
        let (dir, _) = review_project();
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("project.ron");
        blind_plan(outside.path());
        let bytes = std::fs::read(&target).unwrap();
        std::os::unix::fs::symlink(&target, plan::plan_path(dir.path())).unwrap();
        let mut ws = open(dir.path(), "ed");
        frame(&mut ws);
        assert!(ws.plan_error().unwrap().contains("symlink"));
        assert!(ws.plan().is_none());
        let mut draft = ws.plan_draft().clone();
        draft.coder = "zoe".into();
        draft.take_typed(false);
        draft.rule = crate::session::plan::RuleChoice::Count;
        ws.handle(PlanCommand::EditDraft(Box::new(draft)).into());
        ws.handle(PlanCommand::Assign.into());
        frame(&mut ws);
        let (message, failed) = ws.plan_message();
        assert!(failed && message[0].contains("symlink"), "{message:?}");
        assert_eq!(std::fs::read(&target).unwrap(), bytes);
    }
}
