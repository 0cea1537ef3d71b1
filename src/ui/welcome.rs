//! The welcome page: what the window shows when it starts with no project (none named, and
//! the current folder is not one). It offers the seed articles carried in the binary as a
//! sample project, written into a folder the user picks or the user data folder — never the
//! folder Stance was built in — and opening an existing project.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::core::project::sample;

/// The welcome page's state.
#[derive(Debug, Default)]
pub struct Welcome {
    /// The user data folder ("Create in my data folder" writes the sample there); `None`
    /// where the platform has none.
    pub data_dir: Option<PathBuf>,
    /// Why the last attempt failed (set by tests; the workspace's error is shown too).
    pub error: Option<String>,
}

/// What the user chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Write the sample project into a new folder inside this one, then open it.
    CreateSample(PathBuf),
    /// Open this project.
    Open(PathBuf),
    /// Ask for a project folder to open.
    Browse,
}

impl Welcome {
    /// The page for a window that has no project, with the platform's user data folder.
    pub fn new() -> Self {
        Self {
            data_dir: eframe::storage_dir("stance"),
            error: None,
        }
    }
}

/// Draws the page; returns what the user chose.
pub fn show(
    ui: &mut Ui,
    welcome: &Welcome,
    error: Option<&str>,
    recent: &[PathBuf],
) -> Option<Action> {
    let mut action = None;
    ui.add_space(24.0);
    ui.heading("Welcome to Stance");
    ui.label(
        "No project is open here. A project is a folder with the articles in seeds/ (UTF-8 .txt files) and the coders' files in annotations/.",
    );
    ui.add_space(12.0);
    ui.label(RichText::new("Try it on a sample project").strong());
    ui.label(format!(
        "Five news articles on Xi Jinping's visit to Moscow (March 2023), two coders' annotations of three of them, copied into a new `{}` folder.",
        sample::FOLDER_NAME
    ));
    if ui
        .button("Create the sample project in a folder…")
        .on_hover_text("Choose where; a new folder is made inside it")
        .clicked()
        && let Some(parent) = rfd::FileDialog::new().pick_folder()
    {
        action = Some(Action::CreateSample(parent));
    }
    if let Some(dir) = &welcome.data_dir
        && ui
            .button(format!(
                "Create the sample project in {}",
                dir.join(sample::FOLDER_NAME).display()
            ))
            .on_hover_text("Your user data folder")
            .clicked()
    {
        action = Some(Action::CreateSample(dir.clone()));
    }
    ui.add_space(12.0);
    ui.label(RichText::new("Or open a project").strong());
    if ui.button("Open project…").clicked() {
        action = Some(Action::Browse);
    }
    for p in recent.iter().take(8) {
        if ui
            .button(format!("Open {}", p.display()))
            .on_hover_text("A project opened before")
            .clicked()
        {
            action = Some(Action::Open(p.clone()));
        }
    }
    for e in welcome.error.as_deref().into_iter().chain(error) {
        ui.add_space(8.0);
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    action
}
