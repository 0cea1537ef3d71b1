//! The window: egui only. Draws the session and turns clicks and keys into commands.

mod app;
mod article_list;
pub mod article_view;
mod claim_list;
mod colors;
mod dialogs;
mod inspector;
pub mod settings;
pub mod shortcuts;
mod status_bar;

use std::path::PathBuf;

pub use app::{StanceApp, ViewState};

/// Opens the coding window on the project in `root`, coding as `annotator` if given (else
/// the remembered name, else the window asks). Blocks until the window closes.
pub fn run(root: PathBuf, annotator: Option<String>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Stance")
            .with_inner_size([1400.0, 860.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "stance",
        options,
        Box::new(move |cc| Ok(Box::new(StanceApp::new(cc, root, annotator)))),
    )
    .map_err(|e| e.to_string())
}
