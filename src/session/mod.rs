//! An editing session: selection, commands, undo and autosave, with no egui in it.
//!
//! The window shows a [`Session`] read-only and sends it [`Command`]s; [`Session::handle`] is
//! the one place anything changes. Tests drive sessions exactly the way the window does.

mod command;
pub mod document;
mod index;
pub mod review;
mod state;
pub mod undo;

pub use command::{AUTOSAVE_DELAY, Command};
pub use state::{ArticleSummary, ClaimFilter, Find, Notice, OpenError, Session};

#[cfg(test)]
mod tests;
