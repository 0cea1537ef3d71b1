//! The workspace: everything the window shows and changes, with no egui in it. It owns the
//! coding [`Session`], the open review (an editor's verdicts), the gold walk, the questions,
//! the project-wide views (corpus overview, validation, agreement) and the project operations
//! (open a project, make the sample, import articles, files dropped for review), and the jobs
//! that do long work on other threads.
//!
//! The window reads it (`&Workspace`) and pushes [`Command`]s into one queue that is applied
//! once per frame, after drawing, by [`Workspace::handle`]: the one place anything changes.
//! Nothing the window draws writes a file. Tests drive a workspace with the same commands.
//!
//! A command that needs the coder's file on disk (opening another article or project, review,
//! agreement…) while edits are unsaved waits: the file is saved on another thread, and the
//! command runs when the save is in; commands after it wait behind it, so they still run in
//! the order they were given. Edits never wait, not even while a save is writing.

mod navigate;
mod plan;
mod project;
mod review;
mod team;

pub use review::DEFAULT_THRESHOLD;
pub use team::{SYNC_JOB, TrainingFeedback, TrainingResult, sync_details, sync_summary};

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::core::check::Finding;
use crate::session::adjudication::GoldSession;
use crate::session::agreement::AgreementResults;
use crate::session::coding::Session;
use crate::session::coding::save::Autosave;
use crate::session::command::{
    CodeCommand, Command, JobCommand, JobOutput, NavigateCommand, Place, PlanCommand,
    ProjectCommand, ReviewTab,
};
use crate::session::corpus::{ConflictRow, Jump, OverviewRow};
use crate::session::feedback::{CoderFeedback, OpenQuestion};
use crate::session::jobs::{JobId, JobInfo, Jobs, Runner, Waker};
use crate::session::review::ReviewSession;

/// What the window opens on (the command line's request): a project (none: the welcome
/// page), as whom, on which article, in review mode or not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WindowRequest {
    /// The project folder; `None` opens the welcome page (no project here).
    pub root: Option<PathBuf>,
    /// Code as this annotator (else the remembered name, else the window asks).
    pub annotator: Option<String>,
    /// Start on this article id (else the first).
    pub article: Option<String>,
    /// Start in review mode.
    pub review: bool,
}

impl WindowRequest {
    /// The commands that open what was asked for, in order (they wait for the project).
    pub fn commands(&self) -> Vec<Command> {
        let mut out = Vec::new();
        if let Some(root) = &self.root {
            out.push(Command::Project(ProjectCommand::Open(root.clone())));
        }
        if let Some(id) = &self.article {
            out.push(Command::Navigate(NavigateCommand::OpenArticle(id.clone())));
        }
        if self.review {
            out.push(Command::Navigate(NavigateCommand::Show(Place::Review(
                ReviewTab::SideBySide,
            ))));
        }
        out
    }
}

/// How a workspace starts.
#[derive(Clone, Debug, Default)]
pub struct WorkspaceOptions {
    /// Who codes (names the files); `None`: asked for before a project opens.
    pub annotator: Option<String>,
    /// Annotators who code without suggestions.
    pub hide_suggestions: Vec<String>,
    /// How background jobs run.
    pub runner: Runner,
}

/// The questions coders asked on the reviewed article, as an editor sees them.
#[derive(Clone, Debug, Default)]
pub struct ArticleQuestions {
    /// Every thread, answered or not.
    pub threads: Vec<OpenQuestion>,
    /// Question files that did not load.
    pub errors: Vec<String>,
}

/// What the coder sees of editors' work on their claims: verdicts, their questions with the
/// answers, and the question being typed.
#[derive(Debug, Default)]
pub struct Feedback {
    /// Verdicts and threads as loaded.
    pub loaded: CoderFeedback,
    /// The question being typed.
    pub draft: String,
    /// Why the last question could not be saved, or that it was.
    pub message: Option<String>,
}

/// The jobs under way, by what they do: at most one of each.
#[derive(Debug, Default)]
struct Running {
    open: Option<JobId>,
    save: Option<JobId>,
    agreement: Option<JobId>,
    overview: Option<JobId>,
    findings: Option<JobId>,
    sample: Option<JobId>,
    import: Option<JobId>,
    plan: Option<JobId>,
    assign: Option<JobId>,
}

/// Where commands that follow from the one being carried out go in the waiting queue.
#[derive(Clone, Copy, Debug, Default)]
struct Follows {
    /// Index in the waiting queue for the next one.
    at: usize,
    /// One had to wait: the next ones wait behind it.
    blocked: bool,
}

/// Where a jump or a disagreement asked the window to look.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Focus {
    /// A claim to point at in review mode: `(annotator, claim)`.
    pub claim: Option<(String, String)>,
    /// A sentence to point at on the side-by-side view, with a generation: the window scrolls
    /// to it once per generation.
    pub sentence: Option<(u32, u64)>,
}

/// See the module documentation.
#[derive(Debug)]
pub struct Workspace {
    /// The project folder asked for (open, opening, or waiting for the coder's name).
    root: Option<PathBuf>,
    annotator: Option<String>,
    hide_suggestions: BTreeSet<String>,
    coding: Option<Session>,
    /// Why the last project operation failed.
    error: Option<String>,
    place: Place,
    /// The review tab last shown (the Review button goes back to it).
    review_tab: ReviewTab,
    review: Option<ReviewSession>,
    /// Comments being typed on the side-by-side view, by `(annotator, claim)`.
    comments: HashMap<(String, String), String>,
    /// The adjudication under way, with the article it is of.
    gold: Option<(String, GoldSession)>,
    /// The editor's own gold value as typed.
    gold_typed: String,
    /// Why "Build gold" failed.
    gold_error: Option<String>,
    questions: Option<ArticleQuestions>,
    /// Answers being typed, by `(coder, thread index)`.
    answers: HashMap<(String, usize), String>,
    /// The last thing that went wrong on review mode's tabs.
    project_tabs_message: Option<String>,
    feedback: Option<Feedback>,
    /// The feedback files changed (a verdict, an answer): read them again.
    feedback_stale: bool,
    /// Progress and reliability, training feedback, sync, the article's source.
    team: team::Team,
    overview: Option<Vec<OverviewRow>>,
    conflicts: Vec<ConflictRow>,
    findings: Option<Vec<(Finding, Option<Jump>)>>,
    agreement: Option<AgreementResults>,
    /// Dropped paths that could not be opened, with why.
    dropped_errors: Vec<(PathBuf, String)>,
    focus: Focus,
    jobs: Jobs<JobOutput>,
    running: Running,
    /// Commands waiting for a save (or a project being opened), in the order given.
    waiting: VecDeque<Command>,
    follows: Follows,
    /// The team plan, the coder's queue, the editor's draft.
    plan: plan::PlanState,
}

impl Workspace {
    /// A workspace with no project yet.
    pub fn new(options: WorkspaceOptions) -> Self {
        Self {
            root: None,
            annotator: options.annotator,
            hide_suggestions: options.hide_suggestions.into_iter().collect(),
            coding: None,
            error: None,
            place: Place::Coding,
            review_tab: ReviewTab::SideBySide,
            review: None,
            comments: HashMap::new(),
            gold: None,
            gold_typed: String::new(),
            gold_error: None,
            questions: None,
            answers: HashMap::new(),
            project_tabs_message: None,
            feedback: None,
            feedback_stale: false,
            team: team::Team::default(),
            overview: None,
            conflicts: Vec::new(),
            findings: None,
            agreement: None,
            dropped_errors: Vec::new(),
            focus: Focus::default(),
            jobs: Jobs::new(options.runner),
            running: Running::default(),
            waiting: VecDeque::new(),
            follows: Follows::default(),
            plan: plan::PlanState::default(),
        }
    }

    /// What a threaded job calls when it is done: the window's repaint signal.
    pub fn set_waker(&mut self, waker: Waker) {
        self.jobs.set_waker(waker);
    }

    // -----------------------------------------------------------------------------------
    // Reading

    /// The coding session, once a project is open and the coder has said who they are.
    pub fn coding(&self) -> Option<&Session> {
        self.coding.as_ref()
    }

    /// The project folder asked for.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// Who codes.
    pub fn annotator(&self) -> Option<&str> {
        self.annotator.as_deref()
    }

    /// Why the last project operation failed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// A project waits for the coder's name before it opens.
    pub fn needs_annotator(&self) -> bool {
        self.coding.is_none() && self.root.is_some() && self.annotator.is_none()
    }

    /// The project being opened, while it is.
    pub fn opening(&self) -> Option<JobInfo> {
        self.running.open.and_then(|id| self.jobs.info(id))
    }

    /// Where the user is.
    pub fn place(&self) -> Place {
        self.place
    }

    /// The review tab last shown.
    pub fn review_tab(&self) -> ReviewTab {
        self.review_tab
    }

    /// The open review of the coding article.
    pub fn review(&self) -> Option<&ReviewSession> {
        self.review.as_ref()
    }

    /// The comment shown for `annotator`'s claim: the one being typed, else the one given.
    pub fn comment(&self, annotator: &str, claim: &str) -> String {
        self.comments
            .get(&(annotator.to_owned(), claim.to_owned()))
            .cloned()
            .or_else(|| {
                self.review.as_ref().and_then(|r| {
                    r.review
                        .review_of(annotator, claim)
                        .map(|v| v.comment.clone())
                })
            })
            .unwrap_or_default()
    }

    /// The gold walk of the reviewed article.
    pub fn gold(&self) -> Option<&GoldSession> {
        let article = &self.review.as_ref()?.alignment.article;
        self.gold
            .as_ref()
            .filter(|(a, _)| a == article)
            .map(|(_, w)| w)
    }

    /// Gold decisions not saved yet (of any article), with the article: quitting asks first.
    pub fn unsaved_gold(&self) -> Option<(&str, &GoldSession)> {
        self.gold
            .as_ref()
            .filter(|(_, w)| w.dirty)
            .map(|(a, w)| (a.as_str(), w))
    }

    /// The editor's own gold value as typed.
    pub fn gold_typed(&self) -> &str {
        &self.gold_typed
    }

    /// Why "Build gold" failed.
    pub fn gold_error(&self) -> Option<&str> {
        self.gold_error.as_deref()
    }

    /// The questions on the reviewed article.
    pub fn questions(&self) -> Option<&ArticleQuestions> {
        self.questions.as_ref()
    }

    /// The answer being typed to `coder`'s question `index`.
    pub fn answer_draft(&self, coder: &str, index: usize) -> &str {
        self.answers
            .get(&(coder.to_owned(), index))
            .map_or("", String::as_str)
    }

    /// The last thing that went wrong on review mode's tabs.
    pub fn project_tabs_message(&self) -> Option<&str> {
        self.project_tabs_message.as_deref()
    }

    /// Editors' verdicts and answers on the coder's article.
    pub fn feedback(&self) -> Option<&Feedback> {
        self.feedback.as_ref()
    }

    /// The corpus overview, once loaded.
    pub fn overview(&self) -> Option<&[OverviewRow]> {
        self.overview.as_deref()
    }

    /// Merge conflicts, from the overview.
    pub fn conflicts(&self) -> &[ConflictRow] {
        &self.conflicts
    }

    /// What `stance check` found, once it ran.
    pub fn findings(&self) -> Option<&[(Finding, Option<Jump>)]> {
        self.findings.as_deref()
    }

    /// Agreement, once computed.
    pub fn agreement(&self) -> Option<&AgreementResults> {
        self.agreement.as_ref()
    }

    /// The agreement computation under way.
    pub fn agreement_job(&self) -> Option<JobInfo> {
        self.running.agreement.and_then(|id| self.jobs.info(id))
    }

    /// Whether the overview or the check is being computed.
    pub fn loading_project_tabs(&self) -> bool {
        self.running.overview.is_some() || self.running.findings.is_some()
    }

    /// Dropped paths that could not be opened, with why.
    pub fn dropped_errors(&self) -> &[(PathBuf, String)] {
        &self.dropped_errors
    }

    /// Where a jump asked the window to look.
    pub fn focus(&self) -> &Focus {
        &self.focus
    }

    /// Every job under way.
    pub fn jobs(&self) -> Vec<JobInfo> {
        self.jobs.list()
    }

    /// The jobs under way that the user may cancel (not a save, a sync, reading the plan or
    /// an assignment: see `cancel`).
    pub fn cancellable_jobs(&self) -> Vec<JobInfo> {
        // A save is the coder's work on its way to disk, a sync is git at work (stopping it
        // half way would leave the repository mid-merge), and the plan's read and assignment
        // decide what blind coding hides: none of them can be cancelled.
        let fixed = [
            self.running.save,
            self.running.plan,
            self.running.assign,
            self.team.sync_job(),
        ];
        self.jobs
            .list()
            .into_iter()
            .filter(|j| !fixed.contains(&Some(j.id)))
            .collect()
    }

    /// Whether work is under way or waiting: the window keeps drawing frames meanwhile.
    pub fn busy(&self) -> bool {
        self.jobs.any() || !self.waiting.is_empty()
    }

    /// How many commands wait for a save or a project being opened.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    // -----------------------------------------------------------------------------------
    // Changing

    /// The outputs of jobs that finished, as commands for the queue.
    pub fn poll_jobs(&mut self) -> Vec<Command> {
        self.jobs
            .poll()
            .into_iter()
            .map(|(id, out)| Command::Job(JobCommand::Done(id, out)))
            .collect()
    }

    /// Autosave and the watch on the file: a save due now is started (written on another
    /// thread). Returns when to wake up for the next one.
    pub fn tick(&mut self, now: Instant) -> Option<Duration> {
        if self.team.syncing() {
            // The save waits until git is done with the file.
            return Some(Duration::from_millis(200));
        }
        let s = self.coding.as_mut()?;
        match s.autosave(now) {
            Autosave::Due => {
                self.start_save(false);
                None
            }
            Autosave::In(wait) => Some(wait),
            Autosave::Idle => None,
        }
    }

    /// Everything on disk before the window closes: a save under way is waited for, then
    /// the coder's file and the review are saved here. Whether the coder's edits are all
    /// on disk.
    pub fn flush(&mut self) -> bool {
        self.finish_running_sync();
        self.finish_running_save();
        if let Some(r) = &mut self.review {
            r.save();
        }
        self.coding.as_mut().is_none_or(Session::flush)
    }

    /// Carries out one command, or keeps it waiting (see the module documentation).
    pub fn handle(&mut self, cmd: Command) {
        self.follows = Follows::default();
        match cmd {
            Command::Job(job) => self.handle_job(job),
            cmd if !self.waiting.is_empty() || self.must_wait(&cmd) => {
                self.waiting.push_back(cmd);
            }
            cmd => self.dispatch(cmd),
        }
        self.pump();
        self.refresh_feedback();
        self.refresh_team();
    }

    /// A command that follows from the one being carried out (open the project, then the
    /// article, then review it): run now if it can, else waiting ahead of everything given
    /// later, in the order they follow.
    fn follow(&mut self, cmd: Command) {
        if self.follows.blocked || self.must_wait(&cmd) {
            let at = self.follows.at.min(self.waiting.len());
            self.waiting.insert(at, cmd);
            self.follows.at = at + 1;
            self.follows.blocked = true;
        } else {
            self.dispatch(cmd);
        }
    }

    fn dispatch(&mut self, cmd: Command) {
        if Self::goes_to_an_article(&cmd) {
            // The user chose where to go: the plan does not move them when it comes in.
            self.plan.go_to_next = false;
        }
        match cmd {
            Command::Code(c) => self.handle_code(c),
            Command::Review(c) => self.handle_review(c),
            Command::Gold(c) => self.handle_gold(c),
            Command::Questions(c) => self.handle_questions(c),
            Command::Project(c) => self.handle_project(c),
            Command::Navigate(c) => self.handle_navigate(c),
            Command::Job(c) => self.handle_job(c),
            Command::Plan(c) => self.handle_plan(c),
        }
    }

    /// Whether `cmd` opens an article the user (or the command line) chose.
    fn goes_to_an_article(cmd: &Command) -> bool {
        matches!(
            cmd,
            Command::Code(CodeCommand::OpenArticle(_))
                | Command::Navigate(
                    NavigateCommand::OpenArticle(_)
                        | NavigateCommand::Jump(_)
                        | NavigateCommand::Disagreement { .. }
                        | NavigateCommand::OpenForReview(_)
                )
                | Command::Plan(PlanCommand::OpenNext)
        )
    }

    /// Whether `cmd` shows other coders' files and must wait for the plan to be read first
    /// (blind coding may hide them).
    fn waits_for_plan(&self, cmd: &Command) -> bool {
        self.running.plan.is_some()
            && !self.plan.loaded
            && matches!(
                cmd,
                Command::Navigate(
                    NavigateCommand::Show(Place::Review(_) | Place::Agreement)
                        | NavigateCommand::Disagreement { .. }
                        | NavigateCommand::Jump(_)
                ) | Command::Project(ProjectCommand::ComputeAgreement)
            )
    }

    /// Runs waiting commands, in order, until one has to wait for a save or a project.
    fn pump(&mut self) {
        while let Some(cmd) = self.waiting.front() {
            if self.running.open.is_some() || self.waits_for_plan(cmd) {
                return;
            }
            if self.coding.as_ref().is_some_and(Session::is_saving) || self.team.syncing() {
                return;
            }
            if self.needs_saved_file(cmd) && self.has_unsaved_edits() {
                // Saved on another thread; the command runs when the save is in. A save that
                // cannot start (read-only, a conflict) lets it run now and say why.
                if self.start_save(false) {
                    return;
                }
            }
            if let Some(cmd) = self.waiting.pop_front() {
                self.follows = Follows::default();
                self.dispatch(cmd);
            }
        }
    }

    /// Whether `cmd` has to wait: a project is being opened, a save is writing the coder's
    /// file and `cmd` reads or replaces it, or `cmd` needs the file on disk and there are
    /// edits to save first.
    fn must_wait(&self, cmd: &Command) -> bool {
        if matches!(cmd, Command::Job(_)) {
            return false;
        }
        if self.running.open.is_some() || self.waits_for_plan(cmd) {
            return true;
        }
        // A sync may be merging into the coder's file: nothing reads or writes it meanwhile.
        let saving = self.coding.as_ref().is_some_and(Session::is_saving) || self.team.syncing();
        (saving && self.touches_file(cmd))
            || (self.needs_saved_file(cmd) && self.has_unsaved_edits())
    }

    fn has_unsaved_edits(&self) -> bool {
        self.coding
            .as_ref()
            .is_some_and(|s| s.is_dirty() && s.can_save())
    }

    /// Whether `cmd` reads or replaces the coder's file on disk (so it must not run while a
    /// save writes it). Edits and moves do not: they work on the content in memory.
    fn touches_file(&self, cmd: &Command) -> bool {
        match cmd {
            Command::Code(c) => match c {
                CodeCommand::Save
                | CodeCommand::Overwrite
                | CodeCommand::Reload
                | CodeCommand::RestoreJournal
                | CodeCommand::DiscardJournal
                | CodeCommand::TakeOverLock
                | CodeCommand::TakeOverRemoteLock
                | CodeCommand::CheckDisk
                | CodeCommand::MergeFromDisk
                | CodeCommand::AcceptPositions
                | CodeCommand::OpenArticle(_)
                | CodeCommand::SwitchAnnotator(_) => true,
                CodeCommand::MoveCursor(_)
                | CodeCommand::SetCursor(_)
                | CodeCommand::FocusLost
                | CodeCommand::SelectClaim(_)
                | CodeCommand::StepClaim(_)
                | CodeCommand::MakeClaim
                | CodeCommand::MakeClaimFromSpan { .. }
                | CodeCommand::ExtendClaim(_)
                | CodeCommand::SetActiveTarget(_)
                | CodeCommand::ToggleStance { .. }
                | CodeCommand::ClearStance(_)
                | CodeCommand::SetSource(_)
                | CodeCommand::SetSpeaker(_)
                | CodeCommand::SetNote(_)
                | CodeCommand::ToggleUnsure
                | CodeCommand::DeleteClaim
                | CodeCommand::SetStatus(_)
                | CodeCommand::Undo
                | CodeCommand::Redo
                | CodeCommand::SetFindQuery(_)
                | CodeCommand::FindStep(_)
                | CodeCommand::SetFilter(_)
                | CodeCommand::AcceptSuggestion
                | CodeCommand::DismissSuggestion
                | CodeCommand::SetSuggestions(_)
                | CodeCommand::AttachClaim(_) => false,
            },
            other => self.needs_saved_file(other),
        }
    }

    /// Whether `cmd` needs the coder's edits on disk first: it leaves the file (another
    /// article, project or annotator) or reads it from disk (review, agreement, the corpus
    /// views).
    fn needs_saved_file(&self, cmd: &Command) -> bool {
        match cmd {
            Command::Code(c) => matches!(
                c,
                CodeCommand::OpenArticle(_) | CodeCommand::SwitchAnnotator(_)
            ),
            Command::Project(p) => match p {
                ProjectCommand::Open(_)
                | ProjectCommand::ImportArticles(_)
                | ProjectCommand::ComputeAgreement
                | ProjectCommand::LoadOverview
                | ProjectCommand::CheckProject
                | ProjectCommand::LoadReliability
                | ProjectCommand::LoadTraining
                | ProjectCommand::Sync => true,
                ProjectCommand::SetAnnotator(name) => self
                    .coding
                    .as_ref()
                    .is_some_and(|s| s.annotator() != name.trim()),
                ProjectCommand::CreateSample(_) => false,
            },
            Command::Navigate(n) => match n {
                NavigateCommand::Show(place) => *place != Place::Coding,
                NavigateCommand::OpenArticle(_)
                | NavigateCommand::Jump(_)
                | NavigateCommand::Disagreement { .. }
                | NavigateCommand::OpenForReview(_) => true,
                NavigateCommand::DismissDropErrors => false,
            },
            // The plan's progress and the work already started are read from the files;
            // the next article leaves this one.
            Command::Plan(p) => match p {
                PlanCommand::Load | PlanCommand::Assign | PlanCommand::OpenNext => true,
                PlanCommand::EditDraft(_) => false,
            },
            Command::Review(_) | Command::Gold(_) | Command::Questions(_) | Command::Job(_) => {
                false
            }
        }
    }

    /// Starts writing the coder's file on another thread (`force`: over a file changed on
    /// disk). Whether a save is under way now.
    fn start_save(&mut self, force: bool) -> bool {
        if self.running.save.is_some() {
            return true;
        }
        let Some(s) = &mut self.coding else {
            return false;
        };
        let Some(job) = s.begin_save(force) else {
            return false;
        };
        let label = format!(
            "Saving {}",
            job.path()
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        );
        self.running.save = Some(
            self.jobs
                .start(label, move |_| JobOutput::Saved(Box::new(job.write()))),
        );
        true
    }

    /// Waits for a save under way and takes it in (before quitting, or a synchronous flush).
    fn finish_running_save(&mut self) {
        if let Some(id) = self.running.save.take()
            && let Some(JobOutput::Saved(done)) = self.jobs.wait(id)
            && let Some(s) = &mut self.coding
        {
            s.finish_save(*done);
        }
    }

    fn handle_code(&mut self, c: CodeCommand) {
        let Some(s) = self.coding.as_mut() else {
            return;
        };
        match c {
            // Saves are written on another thread.
            CodeCommand::Save => {
                self.start_save(false);
            }
            CodeCommand::Overwrite => {
                self.start_save(true);
            }
            CodeCommand::SetSuggestions(on) => {
                // Remembered per annotator, for the next project opened.
                let name = s.annotator().to_owned();
                if on {
                    self.hide_suggestions.remove(&name);
                } else {
                    self.hide_suggestions.insert(name);
                }
                s.handle(CodeCommand::SetSuggestions(on));
            }
            CodeCommand::SetStatus(status) => {
                s.handle(CodeCommand::SetStatus(status));
                if status == crate::core::model::annotation::Status::Done {
                    // A finished training article is compared with gold once it is saved.
                    self.follow(ProjectCommand::LoadTraining.into());
                }
            }
            // Every other coding command is the session's, whose own match is exhaustive.
            coding => s.handle(coding),
        }
    }

    fn handle_job(&mut self, c: JobCommand) {
        match c {
            JobCommand::Cancel(id) => self.cancel(id),
            JobCommand::Done(id, out) => self.job_done(id, out),
        }
    }

    /// Reloads the coder's feedback when the article or the coder changed (a few small
    /// files), so the coding view shows verdicts and answers on what is open.
    fn refresh_feedback(&mut self) {
        let Some(s) = &self.coding else {
            self.feedback = None;
            return;
        };
        let article = &s.article().id;
        let stale = self.feedback_stale
            || self
                .feedback
                .as_ref()
                .is_none_or(|f| f.loaded.article != *article || f.loaded.coder != s.annotator());
        if stale {
            self.feedback_stale = false;
            let loaded = CoderFeedback::load(&s.project().root, article, s.annotator());
            let draft = self.feedback.take().map(|f| f.draft).unwrap_or_default();
            self.feedback = Some(Feedback {
                loaded,
                draft,
                message: None,
            });
        }
    }

    /// Forgets what review mode loaded from disk so it is read anew (after a save, a jump or
    /// a drop), and the coder's feedback with it.
    fn forget_project_tabs(&mut self) {
        self.questions = None;
        self.findings = None;
        self.overview = None;
        self.conflicts.clear();
        self.feedback_stale = true;
    }
}

#[cfg(test)]
mod tests;
