//! The window's model, with no egui in it: what is open, what is being edited, and every way it
//! changes, testable without a window.
//!
//! The window shows a [`Workspace`] read-only and pushes [`Command`]s into one queue, applied
//! once per frame by [`Workspace::handle`], the one place anything changes; long work runs as
//! [`jobs`] whose results come back as commands. Tests drive a workspace (or a coding
//! [`Session`]) exactly the way the window does.
//!
//! - [`workspace`]: the workspace and its handling of every command.
//! - [`command`]: the one nested command enum, a part per thing the workspace owns.
//! - [`jobs`]: long work on other threads.
//! - [`coding`]: one annotator coding a project, one annotation file at a time.
//! - [`review`], [`adjudication`], [`feedback`]: an editor's verdicts, gold, and the questions
//!   between coders and editors.
//! - [`corpus`], [`agreement`]: the project-wide views (overview, validation, agreement).
//! - [`plan`]: the team plan, the coder's queue and blind coding.

pub mod adjudication;
pub mod agreement;
pub mod coding;
pub mod command;
pub mod corpus;
pub mod feedback;
pub mod jobs;
pub mod plan;
pub mod review;
pub mod workspace;

pub use coding::recovery;
pub use coding::save::AUTOSAVE_DELAY;
pub use coding::watch;
pub use coding::{ArticleSummary, ClaimFilter, CodeCommand, Find, Notice, OpenError, Session};
pub use command::{
    Command, GoldCommand, JobCommand, NavigateCommand, Place, PlanCommand, ProjectCommand,
    QuestionCommand, ReviewCommand, ReviewTab,
};
pub use workspace::{WindowRequest, Workspace, WorkspaceOptions};

#[cfg(test)]
mod fixture;
