//! Settings that outlive a run (eframe storage), kept apart from runtime state.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Key under which settings are stored.
pub const STORAGE_KEY: &str = "stance-settings";

/// How many recent projects are remembered.
const MAX_RECENT: usize = 8;

/// Light, dark, or whatever the system uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the operating system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// What the window remembers between runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Who codes on this machine (names the annotation files).
    pub annotator: Option<String>,
    /// Project folders opened before, newest first.
    pub recent_projects: Vec<PathBuf>,
    /// Colour theme.
    pub theme: Theme,
    /// Annotators who code without suggestions.
    pub suggestions_off: Vec<String>,
}

impl Settings {
    /// Loads settings from eframe storage (defaults when absent or unreadable).
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        storage
            .and_then(|s| eframe::get_value(s, STORAGE_KEY))
            .unwrap_or_default()
    }

    /// Puts `root` first in the recent list.
    pub fn remember_project(&mut self, root: PathBuf) {
        self.recent_projects.retain(|p| *p != root);
        self.recent_projects.insert(0, root);
        self.recent_projects.truncate(MAX_RECENT);
    }
}

impl From<Theme> for egui::ThemePreference {
    fn from(t: Theme) -> Self {
        match t {
            Theme::System => Self::System,
            Theme::Light => Self::Light,
            Theme::Dark => Self::Dark,
        }
    }
}
