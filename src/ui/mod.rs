//! The window: egui only. Draws the [`Workspace`](crate::session::Workspace) read-only and
//! turns clicks and keys into [`Command`]s, pushed into one [`Queue`] that the app applies once
//! per frame, after drawing. Nothing here writes a file.

mod agreement_view;
mod app;
mod article_list;
pub mod article_view;
mod claim_list;
mod colors;
mod dialogs;
mod feedback_view;
mod inspector;
mod plan_view;
mod recovery;
mod review;
mod review_view;
pub mod settings;
pub mod shortcuts;
mod status_bar;
mod team_view;
pub mod welcome;

pub use app::{StanceApp, ViewState};

use crate::session::{Command, WindowRequest};

/// The frame's commands, in the order they were given: drawing code pushes into it, the app
/// hands them to the workspace after drawing.
#[derive(Debug, Default)]
pub struct Queue(Vec<Command>);

impl Queue {
    /// Adds a command (any part of [`Command`]).
    pub fn push(&mut self, c: impl Into<Command>) {
        self.0.push(c.into());
    }

    /// Takes every command given so far.
    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.0)
    }

    /// Whether no command was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Opens the window. Blocks until the window closes.
pub fn run(request: WindowRequest) -> Result<(), String> {
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Stance")
            .with_inner_size([1400.0, 860.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "stance",
        native,
        Box::new(move |cc| Ok(Box::new(StanceApp::new(cc, &request)))),
    )
    .map_err(|e| e.to_string())
}
