//! Stance: claim and stance annotation of news articles.
//!
//! Four floors, every arrow pointing down:
//! - [`core`]: the domain (articles, segmentation, codebook, annotations, storage); no egui,
//!   no terminal.
//! - [`session`]: an editing session (selection, commands, undo, autosave); no egui, so it is
//!   testable without a window.
//! - [`cli`]: `stance` subcommands over the core.
//! - `ui` (feature `gui`): egui only; draws the session and turns input into commands.

pub mod cli;
pub mod core;
pub mod session;
#[cfg(feature = "gui")]
pub mod ui;
