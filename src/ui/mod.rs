//! The window: egui only. Draws the session and turns clicks and keys into commands.

mod agreement_view;
mod app;
mod article_list;
pub mod article_view;
mod claim_list;
mod colors;
mod dialogs;
mod feedback_view;
mod inspector;
mod recovery;
mod review;
mod review_view;
pub mod settings;
pub mod shortcuts;
mod status_bar;
pub mod welcome;

use std::path::PathBuf;

pub use app::{StanceApp, ViewState};

/// What the window opens on.
#[derive(Clone, Debug, Default)]
pub struct WindowOptions {
    /// The project folder; `None` opens the welcome page (no project here).
    pub root: Option<PathBuf>,
    /// Code as this annotator (else the remembered name, else the window asks).
    pub annotator: Option<String>,
    /// Start on this article id (else the first).
    pub article: Option<String>,
    /// Start in review mode.
    pub review: bool,
}

/// Opens the window in review mode on `target` (a project, an article, or one file's
/// article), reviewing as `editor` (asked for when `None`). Blocks until the window closes.
pub fn run_review(
    target: crate::core::review::ReviewTarget,
    editor: Option<String>,
) -> Result<(), String> {
    run(WindowOptions {
        root: Some(target.root),
        annotator: editor,
        article: target.article,
        review: true,
    })
}

/// Opens the coding window. Blocks until the window closes.
pub fn run(options: WindowOptions) -> Result<(), String> {
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
        Box::new(move |cc| Ok(Box::new(StanceApp::new(cc, options)))),
    )
    .map_err(|e| e.to_string())
}
