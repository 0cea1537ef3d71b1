//! An editing session: selection, commands, undo and autosave, with no egui in it.
//!
//! The window shows a [`Session`] read-only and sends it [`Command`]s; [`Session::handle`] is
//! the one place anything changes. Tests drive sessions exactly the way the window does.

pub mod adjudication;
mod command;
pub mod corpus;
pub mod document;
pub mod feedback;
mod index;
pub mod recovery;
pub mod review;
mod state;
pub mod undo;
pub mod watch;

pub use command::{AUTOSAVE_DELAY, Command};
pub use state::{ArticleSummary, ClaimFilter, Find, Notice, OpenError, Session};

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod safety_tests;
#[cfg(test)]
mod tests;
