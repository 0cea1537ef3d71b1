//! The annotation file open for editing, and how it reaches the disk safely.
//!
//! The document remembers the fingerprint of the bytes it loaded (or last saved). A save
//! first checks the file on disk still has those bytes; if someone else changed it (git pull,
//! another window), the save is refused and the edits stay in memory until the coder decides.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::core::annotation::{AnnotationFile, now};
use crate::core::codebook::Codebook;
use crate::core::corpus::{Article, fingerprint};
use crate::core::store::{self, LoadError};

/// An annotation file being edited.
#[derive(Debug)]
pub struct Document {
    /// Where it lives (or will live once saved).
    pub path: PathBuf,
    /// The content, with any unsaved edits.
    pub file: AnnotationFile,
    /// Fingerprint of the bytes on disk when last loaded or saved; `None` if there was no file.
    disk: Option<String>,
    /// Unsaved edits exist.
    pub dirty: bool,
    /// When this session last saved it.
    pub last_saved: Option<DateTime<Utc>>,
    /// Why edits are refused, if they are (the file on disk is broken and must not be
    /// overwritten by an empty one).
    pub read_only: Option<String>,
}

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file on disk is not the one this window loaded.
    #[error(
        "{0} changed on disk since it was opened (git pull? another window?); your edits are kept here. Reload to take theirs, or Overwrite to keep yours"
    )]
    ChangedOnDisk(PathBuf),
    /// The document is read-only.
    #[error("{0}")]
    ReadOnly(String),
    /// Writing failed (read-only folder, disk full…).
    #[error(
        "could not save {path}: {source}; your edits are kept in memory, fix the problem and press Ctrl+S"
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

impl Document {
    /// Opens `path` for `annotator` on `article`; a missing file is a new, empty document.
    /// A file that fails to load opens read-only with the error, so it is never overwritten.
    pub fn open(path: PathBuf, article: &Article, codebook: &Codebook, annotator: &str) -> Self {
        let fresh = || {
            AnnotationFile::new(
                article.reference(),
                crate::core::annotation::CodebookRef {
                    id: codebook.id.clone(),
                    version: codebook.version,
                },
                annotator,
            )
        };
        if !path.exists() {
            return Self {
                path,
                file: fresh(),
                disk: None,
                dirty: false,
                last_saved: None,
                read_only: None,
            };
        }
        match load(&path, codebook) {
            Ok((file, fp)) => Self {
                path,
                file,
                disk: Some(fp),
                dirty: false,
                last_saved: None,
                read_only: None,
            },
            Err(e) => Self {
                disk: disk_fingerprint(&path),
                path,
                file: fresh(),
                dirty: false,
                last_saved: None,
                read_only: Some(format!(
                    "{e}. The file is left untouched; fix it (see `stance check`) and reopen."
                )),
            },
        }
    }

    /// Whether the file on disk differs from what this document loaded or last saved.
    pub fn changed_on_disk(&self) -> bool {
        disk_fingerprint(&self.path) != self.disk
    }

    /// Saves now if there are unsaved edits. Refuses to overwrite a file changed on disk
    /// unless `force` (the coder chose "Overwrite").
    pub fn save(&mut self, force: bool) -> Result<bool, SaveError> {
        if let Some(why) = &self.read_only {
            return Err(SaveError::ReadOnly(why.clone()));
        }
        if !self.dirty {
            return Ok(false);
        }
        if !force && self.changed_on_disk() {
            return Err(SaveError::ChangedOnDisk(self.path.clone()));
        }
        self.file.sort_claims();
        let io = |source| SaveError::Io {
            path: self.path.clone(),
            source,
        };
        let text = store::to_ron(&self.file).map_err(|e| io(std::io::Error::other(e)))?;
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        store::write_atomic(&self.path, text.as_bytes()).map_err(io)?;
        self.disk = Some(fingerprint(text.as_bytes()));
        self.dirty = false;
        self.last_saved = Some(now());
        Ok(true)
    }

    /// Replaces the content with what is on disk now, dropping unsaved edits.
    pub fn reload(&mut self, article: &Article, codebook: &Codebook) {
        let annotator = self.file.annotator.clone();
        *self = Self::open(self.path.clone(), article, codebook, &annotator);
    }

    /// Marks the content as edited now.
    pub fn touch(&mut self) {
        self.dirty = true;
        self.file.modified = now();
    }
}

fn load(path: &Path, codebook: &Codebook) -> Result<(AnnotationFile, String), LoadError> {
    let text = store::read_text(path, "a stance annotation file (RON)")?;
    let file = store::parse_annotation(path, &text, codebook)?;
    Ok((file, fingerprint(text.as_bytes())))
}

fn disk_fingerprint(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| fingerprint(&b))
}
