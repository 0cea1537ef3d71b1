//! The annotation file open for editing, and how it reaches the disk safely.
//!
//! The document remembers the fingerprint of the bytes it loaded (or last saved). A save
//! first checks the file on disk still has those bytes; if someone else changed it (git pull,
//! another window), the save is refused and the edits stay in memory until the coder decides.
//! It also keeps the content as loaded (the base of a merge with the file on disk), and the
//! file's size and modification time, so polling for outside changes reads only metadata.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Utc};

use crate::core::model::annotation::{AnnotationFile, now};
use crate::core::model::codebook::Codebook;
use crate::core::project::walk;
use crate::core::storage::merge::{self, MergeConflict};
use crate::core::storage::store::{self, LoadError};
use crate::core::text::corpus::{Article, fingerprint};

/// Size and modification time of a file: a cheap "has it changed?" before hashing it.
type Stamp = Option<(u64, SystemTime)>;

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
    /// overwritten by an empty one, or another window holds its lock).
    pub read_only: Option<String>,
    /// The content as loaded or last saved or merged: the common ancestor of a three-way
    /// merge with the file on disk. `None` when there was no file.
    base: Option<AnnotationFile>,
    /// Size and modification time of the file when `disk` was taken.
    stamp: Stamp,
    /// Counts changes to the content, so a save knows whether edits came after its copy.
    generation: u64,
}

/// A save on its way to disk: the content as it was when the save began, and the file it must
/// find on disk. Made by [`Document::begin_save`] on the thread that owns the document; written
/// by [`SaveJob::write`] on any thread.
#[derive(Debug)]
pub struct SaveJob {
    path: PathBuf,
    file: AnnotationFile,
    /// What the file on disk must be before it is replaced.
    expected: OnDisk,
    generation: u64,
}

/// What a save expects to find on disk.
#[derive(Debug)]
enum OnDisk {
    /// The file as loaded or last saved: this fingerprint, or no file (`None`).
    Unchanged(Option<String>),
    /// Anything: the coder chose "Overwrite".
    Anything,
}

/// What a [`SaveJob`] did, for [`Document::finish_save`].
#[derive(Debug)]
pub struct SaveDone {
    path: PathBuf,
    generation: u64,
    result: Result<Written, SaveError>,
}

impl SaveDone {
    /// The file saved (or not).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The file as written.
#[derive(Debug)]
struct Written {
    file: AnnotationFile,
    fingerprint: String,
    at: DateTime<Utc>,
}

impl SaveJob {
    /// The file this job writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many claims it writes (big files are written off the window's thread).
    pub fn claims(&self) -> usize {
        self.file.claims.len()
    }

    /// Writes the file atomically, unless the file on disk is no longer the one the document
    /// loaded or last saved: that is checked here, just before writing, wherever this runs,
    /// so a file changed on disk is never overwritten blindly.
    pub fn write(self) -> SaveDone {
        let result = self.write_file();
        let Self {
            path,
            file,
            generation,
            ..
        } = self;
        SaveDone {
            path,
            generation,
            result: result.map(|fingerprint| Written {
                file,
                fingerprint,
                at: now(),
            }),
        }
    }

    /// Checks the disk, writes, and returns the fingerprint of the bytes written.
    fn write_file(&self) -> Result<String, SaveError> {
        if let OnDisk::Unchanged(expected) = &self.expected
            && disk_fingerprint(&self.path) != *expected
        {
            return Err(SaveError::ChangedOnDisk(self.path.clone()));
        }
        let io = |source| SaveError::Io {
            path: self.path.clone(),
            source,
        };
        let text = store::to_ron(&self.file).map_err(|e| io(std::io::Error::other(e)))?;
        // Folders, the project's .gitignore for locks and journals, no link out of it.
        walk::prepare_file_write(&self.path).map_err(|e| match e {
            walk::WriteError::Io { source, .. } => io(source),
            escape @ walk::WriteError::Escape(_) => SaveError::ReadOnly(escape.to_string()),
        })?;
        store::write_atomic(&self.path, text.as_bytes()).map_err(io)?;
        Ok(fingerprint(text.as_bytes()))
    }
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
    ///
    /// `path` is `<root>/annotations/<article>/<annotator>.ron`. A file that is a symlink
    /// resolving outside `<root>` is not read (read-only, with the reason), and temp files
    /// left by a save that was killed (`.<name>.<pid>.tmp` of a dead pid) are removed.
    pub fn open(path: PathBuf, article: &Article, codebook: &Codebook, annotator: &str) -> Self {
        remove_stale_temps(&path);
        let fresh = || {
            AnnotationFile::new(
                article.reference(),
                crate::core::model::annotation::CodebookRef {
                    id: codebook.id.clone(),
                    version: codebook.version,
                },
                annotator,
            )
        };
        let stamp = stamp_of(&path);
        let mut doc = Self {
            file: fresh(),
            disk: None,
            dirty: false,
            last_saved: None,
            read_only: None,
            base: None,
            stamp,
            generation: 0,
            path,
        };
        if let Some(why) = link_refusal(&doc.path) {
            doc.disk = disk_fingerprint(&doc.path);
            doc.read_only = Some(why);
            return doc;
        }
        if !doc.path.exists() {
            return doc;
        }
        match load(&doc.path, codebook) {
            Ok((file, fp)) => {
                doc.base = Some(file.clone());
                doc.file = file;
                doc.disk = Some(fp);
            }
            Err(e) => {
                doc.disk = disk_fingerprint(&doc.path);
                doc.read_only = Some(format!(
                    "{e}. The file is left untouched; fix it (see `stance check`) and reopen."
                ));
            }
        }
        doc
    }

    /// Whether the file's size or modification time differ from when it was loaded or saved:
    /// cheap enough to ask every second. A `true` is confirmed by [`Self::changed_on_disk`].
    pub fn stamp_changed(&self) -> bool {
        stamp_of(&self.path) != self.stamp
    }

    /// Takes note of the file's current size and time (after the content was compared).
    pub fn restamp(&mut self) {
        self.stamp = stamp_of(&self.path);
    }

    /// Merges the file on disk into the edits by claim (three-way, the content as loaded
    /// being the base). The result stays unsaved, and a save may then replace the disk file,
    /// whose content it has taken in. Returns the conflicts, kept with the core's markers.
    pub fn merge_disk(&mut self, codebook: &Codebook) -> Result<Vec<MergeConflict>, LoadError> {
        let (theirs, fp) = load(&self.path, codebook)?;
        let outcome = merge::merge(self.base.as_ref(), &self.file, &theirs);
        self.file = outcome.merged;
        self.base = Some(theirs);
        self.disk = Some(fp);
        self.restamp();
        self.dirty = true;
        Ok(outcome.conflicts)
    }

    /// The content as loaded, saved or merged last (the base of the next merge).
    pub fn base(&self) -> Option<&AnnotationFile> {
        self.base.as_ref()
    }

    /// The fingerprint of the file's bytes as loaded, saved or merged last; `None` when
    /// there was no file. Unsaved edits are made on this file (the journal records it).
    pub fn disk_fingerprint(&self) -> Option<&str> {
        self.disk.as_deref()
    }

    /// Whether the file on disk differs from what this document loaded or last saved.
    pub fn changed_on_disk(&self) -> bool {
        disk_fingerprint(&self.path) != self.disk
    }

    /// Saves now if there are unsaved edits. Refuses to overwrite a file changed on disk
    /// unless `force` (the coder chose "Overwrite"). The three steps of
    /// [`Self::begin_save`], [`SaveJob::write`] and [`Self::finish_save`], on this thread.
    pub fn save(&mut self, force: bool) -> Result<bool, SaveError> {
        match self.begin_save(force)? {
            Some(job) => {
                let done = job.write();
                self.finish_save(done)
            }
            None => Ok(false),
        }
    }

    /// The first step of a save, on the thread that owns the document: a copy of the content
    /// with what the write must check. `None` when there is nothing to save. The copy is all a
    /// big file costs this thread; the rest ([`SaveJob::write`]) may run on another one.
    pub fn begin_save(&mut self, force: bool) -> Result<Option<SaveJob>, SaveError> {
        if let Some(why) = &self.read_only {
            return Err(SaveError::ReadOnly(why.clone()));
        }
        if !self.dirty {
            return Ok(None);
        }
        self.file.sort_claims();
        Ok(Some(SaveJob {
            path: self.path.clone(),
            file: self.file.clone(),
            expected: if force {
                OnDisk::Anything
            } else {
                OnDisk::Unchanged(self.disk.clone())
            },
            generation: self.generation,
        }))
    }

    /// The last step of a save: what [`SaveJob::write`] did becomes the document's view of
    /// the disk. Edits made while the job was writing are not in the file, so the document
    /// stays unsaved if there were any. `Ok(true)`: the file was written.
    pub fn finish_save(&mut self, done: SaveDone) -> Result<bool, SaveError> {
        let written = done.result?;
        if done.path != self.path {
            // Another file's save (the document was replaced meanwhile): nothing of this one.
            return Ok(false);
        }
        self.disk = Some(written.fingerprint);
        self.base = Some(written.file);
        self.restamp();
        self.dirty = self.generation != done.generation;
        self.last_saved = Some(written.at);
        Ok(true)
    }

    /// Counts changes to the content: a save, or a failure to save, is of the content at one
    /// generation.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Replaces the content with what is on disk now, dropping unsaved edits.
    pub fn reload(&mut self, article: &Article, codebook: &Codebook) {
        let annotator = self.file.annotator.clone();
        *self = Self::open(self.path.clone(), article, codebook, &annotator);
    }

    /// Marks the content as edited now.
    pub fn touch(&mut self) {
        self.mark_changed();
        self.file.modified = now();
    }

    /// Marks the content as changed and unsaved (a restored journal or a merge, which keep the
    /// file's own times).
    pub fn mark_changed(&mut self) {
        self.dirty = true;
        self.generation += 1;
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

fn stamp_of(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// Why `path` must not be read: it is a symlink (or lies under one) resolving outside the
/// project `<root>` of `<root>/annotations/<article>/<file>`, or a broken symlink (saving
/// would replace it with a file the coder did not expect). The project walker's rule
/// ([`walk::escape`]); a file not there yet is judged by its folders, so a linked
/// `annotations/<article>/` folder cannot make the first save write outside the project either.
fn link_refusal(path: &Path) -> Option<String> {
    let root = walk::root_of_file(path)?;
    walk::escape(root, path).map(|e| match e {
        walk::Escape::Outside { real, .. } => format!(
            "{} points outside the project (to {}); it is not read and never written. Copy the file into the project instead of linking it",
            path.display(),
            real.display()
        ),
        walk::Escape::Broken { error, .. } => format!(
            "{} is a broken symlink ({error}); remove it or point it at a file in the project",
            path.display()
        ),
    })
}

/// Removes `.<name>.<pid>.tmp` files beside `path` that a save killed mid-way left behind,
/// when process `<pid>` is gone (a live one may be saving right now). Best effort: a temp
/// file that cannot be removed is harmless, the loaders never read it.
pub fn remove_stale_temps(path: &Path) {
    if let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) {
        walk::remove_stale_temps(dir, Some(name));
    }
}
