//! Saving: autosave a moment after the last edit, Ctrl+S, and saving before the window closes.
//!
//! A save has three steps ([`super::document`]): a copy of the content on this thread
//! ([`Session::begin_save`]), the write on any thread ([`SaveJob::write`], which checks the
//! file on disk is still the one loaded or last saved, just before writing), and taking the
//! result in ([`Session::finish_save`]). [`Session::save`] runs the three at once; the
//! workspace writes big files on another thread, and the coder keeps editing meanwhile: an edit
//! made while the job writes stays unsaved (and journaled) until the next save.

use std::time::{Duration, Instant};

use crate::session::coding::Session;
use crate::session::coding::document::{SaveDone, SaveError, SaveJob};

/// How long after the last edit the session saves by itself.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(1500);

/// Whether an autosave is due (see [`Session::autosave`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Autosave {
    /// Nothing to save by itself (saved, read-only, a conflict waits, or a save is writing).
    Idle,
    /// Due in this long: wake the window then.
    In(Duration),
    /// Due now.
    Due,
}

impl Session {
    /// Saves if the last edit is older than [`AUTOSAVE_DELAY`]. Returns how long until the
    /// next autosave is due, if one is pending, so the window can wake up for it.
    /// Also polls the file for outside changes (see [`super::watch`]).
    pub fn tick(&mut self, now: Instant) -> Option<Duration> {
        match self.autosave(now) {
            Autosave::Due => {
                self.save(false);
                None
            }
            Autosave::In(wait) => Some(wait),
            Autosave::Idle => None,
        }
    }

    /// Polls the file for outside changes (not while a save writes it: that change is this
    /// session's own) and says whether an autosave is due; saving is the caller's.
    pub fn autosave(&mut self, now: Instant) -> Autosave {
        if self.saving.is_some() {
            return Autosave::Idle;
        }
        self.poll_disk(now);
        let Some(last) = self.last_edit else {
            return Autosave::Idle;
        };
        if !self.doc.dirty || self.conflict || self.doc.read_only.is_some() {
            return Autosave::Idle;
        }
        let due = last + AUTOSAVE_DELAY;
        if now >= due {
            Autosave::Due
        } else {
            Autosave::In(due - now)
        }
    }

    /// Saves before the window closes. Returns whether everything is on disk.
    pub fn flush(&mut self) -> bool {
        self.keep_time_on_leaving();
        self.save(false);
        !self.doc.dirty
    }

    /// Saves now, on this thread.
    pub(super) fn save(&mut self, force: bool) {
        if let Some(job) = self.begin_save(force) {
            let done = job.write();
            self.finish_save(done);
        }
    }

    /// Whether a save began and has not finished: the file on disk is this session's to
    /// change until it does, and commands that read or replace it wait.
    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    /// Whether there are edits not on disk yet.
    pub fn is_dirty(&self) -> bool {
        self.doc.dirty
    }

    /// Starts a save (`force`: overwrite a file changed on disk, the coder chose "keep
    /// mine"): the content is copied, to be written by [`SaveJob::write`] on any thread and
    /// handed back to [`Self::finish_save`]. `None` when there is nothing to write; a document
    /// that cannot be saved says why in the notice.
    pub fn begin_save(&mut self, force: bool) -> Option<SaveJob> {
        if self.saving.is_some() {
            return None;
        }
        if self.doc.dirty {
            self.bank_time();
        }
        match self.doc.begin_save(force) {
            Ok(Some(job)) => {
                self.saving = Some(self.doc.generation());
                Some(job)
            }
            Ok(None) => None,
            Err(e) => {
                self.save_failed(&e);
                None
            }
        }
    }

    /// Takes in what a save did: the journal goes once everything is on disk (it is rewritten
    /// as the edits made while the file was written, if there were any), or the notice says
    /// why nothing was written and the edits stay in memory.
    pub fn finish_save(&mut self, done: SaveDone) {
        self.saving = None;
        match self.doc.finish_save(done) {
            Ok(true) => {
                self.conflict = false;
                self.failed_save = None;
                if self.doc.dirty {
                    // Edits made while the file was written: the journal now holds them, as
                    // changes to the file just saved.
                    self.journal_rebased();
                    self.guards.positions_unsaved = false;
                } else {
                    self.journal_saved();
                }
                // Saving sorts the claims (a file may come from disk out of order).
                self.reindex();
                self.update_summary();
                let path = self.doc.path.display().to_string();
                self.set_notice(format!("Saved {path}"), false);
            }
            Ok(false) => {}
            Err(e) => self.save_failed(&e),
        }
    }

    /// Whether a save now could write: the file is not read-only, no conflict waits for the
    /// coder, and the last save did not fail on this very content (saving it again would fail
    /// again; an edit or the coder's answer comes first).
    pub fn can_save(&self) -> bool {
        self.doc.read_only.is_none()
            && !self.conflict
            && self.failed_save != Some(self.doc.generation())
    }

    fn save_failed(&mut self, e: &SaveError) {
        self.failed_save = Some(self.doc.generation());
        if matches!(e, SaveError::ChangedOnDisk(_)) {
            self.conflict = true;
        }
        self.set_notice(e.to_string(), true);
    }
}
