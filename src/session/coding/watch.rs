//! Noticing when the open file changes on disk (git pull, another editor, another window).
//!
//! [`Session::tick`](super::Session::tick) polls every [`POLL_INTERVAL`]: the file's size and
//! modification time first (one `stat`), its content hash only when they moved, so an idle
//! window costs nothing. The window also checks when it regains focus
//! ([`Command::CheckDisk`](super::Command::CheckDisk)), the moment a coder comes back from
//! a terminal.
//!
//! A change with no unsaved edits here is simply loaded. With unsaved edits nothing is lost:
//! the session raises the conflict prompt, and the coder chooses Reload (take theirs), Keep
//! mine (the next save overwrites, explicitly) or Merge by claim (three-way, the content as
//! loaded being the base; conflicts kept with the core's markers in the claims' notes).

use std::time::{Duration, Instant};

use crate::session::coding::Session;
use crate::session::coding::edit::Commit;
use crate::session::coding::undo::Step;

/// How often the session looks at the open file's size and time.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

impl Session {
    /// Polls the open file if [`POLL_INTERVAL`] has passed since the last look.
    pub(super) fn poll_disk(&mut self, now: Instant) {
        if self
            .guards
            .last_poll
            .is_some_and(|t| now.duration_since(t) < POLL_INTERVAL)
        {
            return;
        }
        self.guards.last_poll = Some(now);
        if self.doc.stamp_changed() {
            self.check_disk();
        }
    }

    /// Compares the file on disk with what this session loaded, and acts on a difference.
    pub(super) fn check_disk(&mut self) {
        if self.conflict || !self.doc.changed_on_disk() {
            // Same bytes (touched, or rewritten identically): remember the new time.
            if !self.conflict {
                self.doc.restamp();
            }
            return;
        }
        let name = self.doc.path.display().to_string();
        if self.doc.dirty {
            self.conflict = true;
            self.set_notice(
                format!(
                    "{name} changed on disk while you have unsaved edits; nothing is lost: Reload, Keep mine or Merge by claim"
                ),
                true,
            );
            return;
        }
        // Nothing of this session's would be lost: show the file as it is now.
        let cursor = self.cursor;
        let article = &self.project.articles[self.article];
        self.doc.reload(article, &self.project.codebook);
        self.after_open();
        self.update_summary();
        if (cursor as usize) < self.article().sentences.len() {
            self.cursor = cursor;
        }
        if self.doc.read_only.is_none() {
            self.set_notice(format!("{name} changed on disk and was reloaded"), false);
        }
    }

    /// Merge by claim: the disk's version merged into the edits. The result is unsaved and
    /// journaled; autosave writes it (the disk content it replaces is part of it).
    pub(super) fn merge_from_disk(&mut self, now: Instant) {
        let codebook = &self.project.codebook;
        let before = self.doc.file.clone();
        let conflicts = match self.doc.merge_disk(codebook) {
            Ok(c) => c,
            Err(e) => {
                self.set_notice(
                    format!(
                        "could not merge: the file on disk does not load ({e}); Keep mine or Reload"
                    ),
                    true,
                );
                return;
            }
        };
        self.conflict = false;
        // One undoable step on top of the edits: undoing it first puts back the content the
        // older steps were recorded against. The edits are now made on the file as merged in:
        // the journal says so.
        let step = Step::between("merge with the file on disk", &before, &self.doc.file);
        self.commit(Some(step), Commit::Rebase, now);
        if conflicts.is_empty() {
            self.set_notice("Merged the file on disk with your edits", false);
        } else {
            let list: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
            self.set_notice(
                format!(
                    "Merged with {} conflict{} (kept yours, marked in the note): {}",
                    conflicts.len(),
                    if conflicts.len() == 1 { "" } else { "s" },
                    list.join("; ")
                ),
                true,
            );
        }
    }
}
