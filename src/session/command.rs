//! Everything the window (and a test) can ask of a [`Workspace`](super::Workspace), as one
//! nested enum: a part per thing the workspace owns, each handled by an exhaustive match of
//! its own. The window pushes commands into one queue; the workspace applies them once per
//! frame, after drawing. A job's result comes back the same way ([`Command::Job`]).
//!
//! Each part converts into [`Command`] (`From`), so `queue.push(GoldCommand::Next.into())`.

use std::path::PathBuf;

use crate::core::check::Finding;
use crate::core::compare::review::Verdict;
use crate::core::interchange::articles;
use crate::core::team::reliability::Reliability;
use crate::core::team::sync::SyncReport;
use crate::session::agreement::AgreementResults;
use crate::session::coding::Session;
pub use crate::session::coding::command::CodeCommand;
use crate::session::coding::document::SaveDone;
use crate::session::corpus::{Jump, OverviewRow};
use crate::session::jobs::JobId;
use crate::session::plan::{PlanDraft, PlanView};
use crate::session::workspace::TrainingFeedback;

/// Where the user is: coding, reviewing (on one of review mode's tabs), or looking at
/// agreement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Place {
    /// Coding one article.
    #[default]
    Coding,
    /// Every annotator's claims on the article, for an editor to review, on this tab.
    Review(ReviewTab),
    /// Agreement between annotators over the project.
    Agreement,
    /// The team plan (`project.ron`): who codes what, the reliability sample; editors
    /// change it here.
    Plan,
}

/// The tabs of review mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReviewTab {
    /// Every annotator's claims side by side, with verdicts.
    #[default]
    SideBySide,
    /// Build and adjudicate gold.
    Gold,
    /// Coders' questions, to answer.
    Questions,
    /// `stance check` findings and merge conflicts.
    Validation,
    /// Claims, status and last edit per article and annotator.
    Corpus,
}

/// Everything that can be asked of a workspace.
#[derive(Debug)]
pub enum Command {
    /// Coding the open article (the coding session's own commands).
    Code(CodeCommand),
    /// The editor's verdicts in review mode.
    Review(ReviewCommand),
    /// Building gold and walking its disputes.
    Gold(GoldCommand),
    /// Coders' questions and editors' answers.
    Questions(QuestionCommand),
    /// The project: opening one, making the sample, importing articles, project-wide data.
    Project(ProjectCommand),
    /// Moving between places: coding, review tabs, agreement, jumps to where something is.
    Navigate(NavigateCommand),
    /// A background job finished, or is to be cancelled.
    Job(JobCommand),
    /// The team plan: reading it, the editor's changes, the coder's queue.
    Plan(PlanCommand),
}

/// The editor's verdicts and comments on the side-by-side view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewCommand {
    /// Gives (`Some`) or takes back (`None`) a verdict on `annotator`'s claim `claim`, with
    /// the comment typed for it; saved at once.
    SetVerdict {
        /// Whose claim.
        annotator: String,
        /// The claim's id.
        claim: String,
        /// The verdict, or none.
        verdict: Option<Verdict>,
    },
    /// The comment being typed for a claim.
    EditComment {
        /// Whose claim.
        annotator: String,
        /// The claim's id.
        claim: String,
        /// The text so far.
        text: String,
    },
    /// The comment field was left: a claim with a verdict takes the comment (saved).
    CommitComment {
        /// Whose claim.
        annotator: String,
        /// The claim's id.
        claim: String,
    },
}

/// Building gold for the reviewed article and settling its disputes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GoldCommand {
    /// Runs the automatic merge: unanimous, or by majority with the threshold as typed (empty
    /// for a strict majority).
    Build {
        /// Majority (else unanimous).
        majority: bool,
        /// The threshold as typed.
        threshold: String,
    },
    /// Takes coder number `n`'s value (1-based).
    Pick(usize),
    /// The editor's own value being typed.
    EditTyped(String),
    /// Takes the typed value; with `then_next`, moves on after it is taken.
    UseTyped {
        /// Move to the next dispute once taken (Enter in the field).
        then_next: bool,
    },
    /// The next relevant dispute.
    Next,
    /// The previous relevant dispute.
    Previous,
    /// The next dispute still open.
    NextOpen,
    /// Takes back the decision on the shown dispute.
    Undecide,
    /// Writes `gold.ron`.
    Save,
}

/// A coder's questions about their claims and editors' answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuestionCommand {
    /// The coder's question being typed.
    EditQuestion(String),
    /// Asks the editors the typed question about the coder's claim `claim` (saved at once).
    Ask {
        /// The claim's id.
        claim: String,
    },
    /// An answer being typed to `coder`'s question number `index`.
    EditAnswer {
        /// Who asked.
        coder: String,
        /// The thread's index in their question file.
        index: usize,
        /// The text so far.
        text: String,
    },
    /// Sends the typed answer (saved at once).
    Answer {
        /// Who asked.
        coder: String,
        /// The thread's index in their question file.
        index: usize,
    },
}

/// The project as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProjectCommand {
    /// Opens the project in this folder (saving the open one first).
    Open(PathBuf),
    /// Who codes (names the files): opens the project waiting for a name, or continues the
    /// open one as this annotator.
    SetAnnotator(String),
    /// Writes the sample project into a new folder inside this one, then opens it.
    CreateSample(PathBuf),
    /// Imports the articles of a file, or of every file in a folder, then opens the first.
    ImportArticles(PathBuf),
    /// Computes agreement over the project's files (saving first).
    ComputeAgreement,
    /// Reads every annotation file for the corpus overview (and its merge conflicts).
    LoadOverview,
    /// Runs `stance check` for the validation panel.
    CheckProject,
    /// Progress per coder and agreement on the plan's reliability sample so far, for the
    /// Corpus tab (saving first; a job: the bootstrap takes a while).
    LoadReliability,
    /// The coder's agreement with gold on the open article, if it is a training article
    /// (saving first; a job).
    LoadTraining,
    /// Saves, then commits the coder's own files, merges what others pushed and pushes (core
    /// `sync`, a job: git may wait on the network).
    Sync,
}

/// Moving between places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NavigateCommand {
    /// Goes to a place (entering review opens the article's review; agreement is computed).
    Show(Place),
    /// Opens the article with this id.
    OpenArticle(String),
    /// Opens what a finding, a merge conflict or an overview row points at.
    Jump(Jump),
    /// Opens a disagreement of the agreement view: the sentence, side by side in review mode.
    Disagreement {
        /// The article.
        article: String,
        /// The sentence (from 0).
        sentence: u32,
    },
    /// Opens dropped files or folders for review.
    OpenForReview(Vec<PathBuf>),
    /// Forgets the dropped paths that could not be opened.
    DismissDropErrors,
}

/// The team plan (`project.ron`) and the coder's queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanCommand {
    /// Reads the plan and everyone's progress again (on another thread).
    Load,
    /// The editor's changes as typed on the Plan tab.
    EditDraft(Box<PlanDraft>),
    /// Runs the assignment with the draft (`stance assign`) and saves `project.ron`, on
    /// another thread; the plan is read again when it is saved.
    Assign,
    /// Opens the coder's next article in the plan's order (in progress first, then not
    /// started).
    OpenNext,
}

/// Background jobs.
#[derive(Debug)]
pub enum JobCommand {
    /// A job finished with this output.
    Done(JobId, JobOutput),
    /// The user cancelled this job.
    Cancel(JobId),
}

/// What a background job hands back.
#[derive(Debug)]
pub enum JobOutput {
    /// A project opened (a coding session on it), or why not.
    Opened(Result<Box<Session>, String>),
    /// An annotation file was written (or not).
    Saved(Box<SaveDone>),
    /// Agreement over the project.
    Agreement(Box<AgreementResults>),
    /// Every annotation file's row of the corpus overview.
    Overview(Vec<OverviewRow>),
    /// Progress and reliability so far (`None`: the project has no plan), or why not.
    Reliability(Result<Option<Box<Reliability>>, String>),
    /// The coder's training figures on one article.
    Training(Box<TrainingFeedback>),
    /// What a sync did, or why it could not start.
    Synced(Result<Box<SyncReport>, String>),
    /// What `stance check` found, with where each finding leads.
    Findings(Vec<(Finding, Option<Jump>)>),
    /// The sample project was written into this folder, or why not.
    SampleWritten(Result<PathBuf, String>),
    /// Articles were imported (their outcomes), or why not.
    Imported(Result<Vec<articles::ArticleImport>, String>),
    /// The team plan as read (`None`: the project has none), or why it cannot be read.
    PlanLoaded(Result<Option<Box<PlanView>>, String>),
    /// An assignment was saved to `project.ron` (what changed), or why not.
    Assigned(Result<Vec<String>, String>),
    /// A job that was cancelled before it finished.
    Cancelled,
}

macro_rules! part {
    ($part:ident, $ty:ty) => {
        impl From<$ty> for Command {
            fn from(c: $ty) -> Self {
                Self::$part(c)
            }
        }
    };
}

part!(Code, CodeCommand);
part!(Review, ReviewCommand);
part!(Gold, GoldCommand);
part!(Questions, QuestionCommand);
part!(Project, ProjectCommand);
part!(Navigate, NavigateCommand);
part!(Job, JobCommand);
part!(Plan, PlanCommand);
