//! A finding: one problem in one file, at a line and column, the form every check of the
//! project reports in (`stance check`, sidecars, plans, foreign formats). Its own module below
//! the checks that make findings, so that they can share it without importing each other.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::core::storage::store::{LoadError, Pos};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The file is wrong: stance would misread it or refuse it.
    Error,
    /// The file works but something deserves a look (stale article, old codebook…).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
        })
    }
}

/// One problem in one file. Displayed as `path:line:col: error|warning: message`, the form
/// editors and CI annotators jump to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The file the problem is in.
    pub path: PathBuf,
    /// Where in the file.
    pub pos: Pos,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong and, where it helps, how to fix it.
    pub message: String,
    /// The id of the claim concerned, if the problem is about one claim.
    pub claim: Option<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.path.display(),
            self.pos,
            self.severity,
            self.message
        )
    }
}

impl Finding {
    /// An error about a file.
    pub fn error(path: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            pos,
            severity: Severity::Error,
            message: message.into(),
            claim: None,
        }
    }

    /// A warning about a file.
    pub fn warning(path: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, pos, message)
        }
    }

    /// The same finding, about claim `id`.
    #[must_use]
    pub fn for_claim(mut self, id: &str) -> Self {
        self.claim = Some(id.to_owned());
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl From<&LoadError> for Finding {
    fn from(e: &LoadError) -> Self {
        Self::error(e.path(), e.pos(), e.message())
    }
}
