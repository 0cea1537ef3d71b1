//! Never losing work in a session: the edit journal, the writer's lock, and re-anchoring on
//! open.
//!
//! - Every change the session applies is appended to the journal beside the file
//!   ([`crate::core::storage::journal`]) as it happens, independent of autosave; a good save removes
//!   it. A journal found when a file is opened holds edits a crash lost: the session offers
//!   them ([`Session::restore_offer`]) and edits wait until the coder restores or discards.
//! - Opening a file for editing takes its lock ([`crate::core::storage::lock`]). A file another
//!   session holds opens read-only, naming the holder; once the holder is gone, the coder may
//!   take it over. Moving to another file releases the lock.
//! - A file coded on an older text of its article is re-anchored when opened; moved claims
//!   are reported and orphans listed ([`Session::orphans`]) for attaching by hand. The new
//!   positions are shown at once but written only with the coder's first edit or an explicit
//!   [`Command::AcceptPositions`](super::Command::AcceptPositions): looking at a file must not
//!   make it show as changed in git.
//!
//! Outside changes to the file on disk are in [`super::watch`].

use crate::core::model::annotation::Claim;
use crate::core::project::walk;
use crate::core::storage::journal::{self, Base, Edit, Journal, Prior};
use crate::core::storage::lock::{self, Lock, LockError, LockInfo};
use crate::core::text::anchor::{self, ReanchorReport};
use crate::session::coding::Session;
use crate::session::coding::edit::Commit;
pub use crate::session::coding::safety::RestoreOffer;
use crate::session::coding::undo::{Change, Step};

impl Session {
    /// The journal left by a crash, while the coder has not answered.
    pub fn restore_offer(&self) -> Option<&RestoreOffer> {
        self.guards.offer.as_ref()
    }

    /// Who holds the open file's lock, when this session opened it read-only because of it.
    pub fn lock_holder(&self) -> Option<&LockInfo> {
        self.guards.holder.as_ref()
    }

    /// Whether this session holds the open file's lock.
    pub fn holds_lock(&self) -> bool {
        self.guards.lock.as_ref().is_some_and(Lock::is_held)
    }

    /// Whether the open file's lock is held on another computer: stance cannot see whether
    /// that window is still open, so taking over needs the coder's word
    /// ([`crate::session::Command::TakeOverRemoteLock`]).
    pub fn lock_is_remote(&self) -> bool {
        self.guards
            .holder
            .as_ref()
            .is_some_and(LockInfo::is_from_another_host)
            && !self.can_take_over()
    }

    /// Whether "Take over" may be offered: the file was locked by another session, and that
    /// holder is gone (its lock was released or its process died).
    pub fn can_take_over(&self) -> bool {
        self.guards.holder.is_some()
            && lock::holder(&self.doc.path).is_none_or(|h| !lock::is_alive(&h))
    }

    /// What re-anchoring did when the file was opened (on another text of the article).
    pub fn reanchor_report(&self) -> Option<&ReanchorReport> {
        self.guards.reanchor.as_ref()
    }

    /// Whether re-anchoring moved claims that are shown at their new places but not saved:
    /// the file is written with the coder's first edit or
    /// [`Command::AcceptPositions`](super::Command::AcceptPositions), not by opening it.
    pub fn positions_unsaved(&self) -> bool {
        self.guards.positions_unsaved
    }

    /// Claims whose quote no longer sits at their offsets in the article: orphans of a
    /// changed text, kept until attached by hand.
    pub fn orphans(&self) -> impl Iterator<Item = &Claim> {
        // From the index, rebuilt after each change: the window lists orphans every frame.
        self.index
            .orphans()
            .iter()
            .filter_map(|&k| self.doc.file.claims.get(k as usize))
    }

    /// Lock, journal and re-anchoring for a freshly opened document (called by
    /// `after_open`).
    pub(super) fn secure_document(&mut self) {
        let same_file = self
            .guards
            .lock
            .as_ref()
            .is_some_and(|l| l.path() == lock::lock_path(&self.doc.path));
        if !same_file {
            // Another file: its lock and journal are done with (it was saved before).
            self.guards.lock = None;
            self.guards.journal = None;
        }
        self.guards.holder = None;
        self.guards.offer = None;
        if self.doc.read_only.is_none()
            && self.doc.path.parent().is_some_and(std::path::Path::exists)
        {
            self.take_lock();
        }
        if self.doc.read_only.is_none() {
            self.offer_journal();
        }
        self.reanchor_on_open();
    }

    /// Takes the lock on the open file; failing that the document turns read-only, with the
    /// reason. Returns whether this session may write.
    fn take_lock(&mut self) -> bool {
        if self.guards.lock.is_some() {
            return true;
        }
        match Lock::acquire(&self.doc.path) {
            Ok(l) => {
                self.guards.lock = Some(l);
                // The lock is the first working file a session writes beside the annotation
                // files (the journal and temp files follow): keep them all out of git.
                walk::ensure_gitignore(&self.project.root);
                true
            }
            Err(e @ (LockError::HeldBy { .. } | LockError::Unreadable(_))) => {
                self.guards.holder = lock::holder(&self.doc.path);
                self.doc.read_only = Some(format!("Read-only: {e}"));
                false
            }
            Err(e) => {
                // The folder cannot hold a lock file (read-only, gone): the save will fail
                // too and say so; the edits stay in memory meanwhile.
                self.set_notice(format!("could not lock the file: {e}"), true);
                false
            }
        }
    }

    fn offer_journal(&mut self) {
        match journal::read(&self.doc.path) {
            Ok(Some(contents)) => {
                // What restoring would do, worked out now so the prompt can say it.
                let preview = journal::restore(
                    &self.doc.file,
                    self.doc.disk_fingerprint(),
                    &contents.records,
                );
                self.guards.offer = Some(RestoreOffer {
                    summary: journal::summary(&contents.records),
                    unreadable_lines: contents.damaged_lines.len()
                        + usize::from(contents.torn_tail),
                    records: contents.records,
                    changed_since: preview.changed_since,
                    conflicts: preview.conflicts,
                });
            }
            Ok(None) => {}
            Err(e) => self.set_notice(
                format!("the journal of unsaved edits could not be read: {e}"),
                true,
            ),
        }
    }

    fn reanchor_on_open(&mut self) {
        self.guards.reanchor = None;
        self.guards.stale_fingerprint = None;
        self.guards.positions_unsaved = false;
        if self.doc.file.article.fingerprint == self.article().fingerprint {
            return;
        }
        let old = self.doc.file.article.fingerprint.clone();
        let (file, report) = anchor::reanchored(&self.doc.file, self.article());
        if !report.fingerprint_updated {
            self.guards.stale_fingerprint = Some(old);
        }
        if file != self.doc.file {
            // Shown re-anchored, but not dirty: opening a file is not an edit, and autosave
            // would otherwise rewrite every file a coder merely looks at. The first edit
            // saves the whole file, new positions included (or Accept new positions does).
            self.doc.file = file;
            self.guards.positions_unsaved = self.doc.read_only.is_none();
        }
        self.guards.reanchor = Some(report);
    }

    /// Accept new positions: writes the re-anchored file now, without waiting for an edit.
    pub(super) fn accept_positions(&mut self) {
        if !self.guards.positions_unsaved {
            self.set_notice("No new positions to save", false);
            return;
        }
        if let Err(why) = self.prepare_edit() {
            self.set_notice(why, true);
            return;
        }
        self.doc.dirty = true;
        self.save(false);
    }

    /// The notice after re-anchoring: which claims moved, which are orphaned.
    pub(super) fn reanchor_notice(&mut self) {
        let Some(report) = &self.guards.reanchor else {
            return;
        };
        let moved: Vec<&str> = report
            .claims
            .iter()
            .filter(|c| {
                matches!(
                    c.outcome,
                    anchor::Reanchored::Moved { .. } | anchor::Reanchored::Edited { .. }
                )
            })
            .map(|c| c.id.as_str())
            .collect();
        let mut text = format!("The article text changed since this file was coded: {report}");
        if !moved.is_empty() {
            text.push_str("; moved: ");
            text.push_str(&moved.join(", "));
        }
        let orphaned = report.orphans().next().is_some();
        if orphaned {
            text.push_str(". Orphaned claims are kept: attach them to a sentence by hand");
        }
        if self.guards.positions_unsaved {
            text.push_str(
                ". The new positions are saved with your first edit, or now with Accept new positions",
            );
        }
        self.set_notice(text, orphaned);
    }

    /// Why an edit cannot be made now, after taking the lock if this is the first edit of a
    /// new file (whose folder did not exist on open).
    pub(super) fn prepare_edit(&mut self) -> Result<(), String> {
        if self.guards.offer.is_some() {
            return Err(
                "Unsaved edits from a previous session were found: restore or discard them first"
                    .into(),
            );
        }
        if let Some(why) = &self.doc.read_only {
            return Err(why.clone());
        }
        if self.guards.lock.is_none() {
            // A folder that cannot be made is not a reason to refuse the edit: it is kept in
            // memory and the save says what is wrong. Another window holding the file is.
            let made = self
                .doc
                .path
                .parent()
                .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok());
            if made
                && !self.take_lock()
                && let Some(why) = &self.doc.read_only
            {
                return Err(why.clone());
            }
        }
        Ok(())
    }

    /// Appends an applied change to the journal (opening it at the first edit). A failure is
    /// reported but does not stop editing: the edit is in memory and autosave still runs.
    pub(super) fn journal_change(&mut self, change: &Change) {
        let prior = |c: Option<&Box<crate::core::model::annotation::Claim>>| {
            c.map_or(Prior::NoClaim, |c| Prior::Claim(c.clone()))
        };
        let (edit, before) = match change {
            Change::Claim {
                before,
                after: Some(c),
            } => (Edit::Claim(c.clone()), prior(before.as_ref())),
            Change::Claim {
                before: Some(c),
                after: None,
            } => (Edit::Delete { id: c.id.clone() }, Prior::Claim(c.clone())),
            Change::Claim { .. } => return,
            Change::Status { before, after } => (Edit::Status(*after), Prior::Status(*before)),
        };
        if !self.may_journal() {
            return;
        }
        let base = self.journal_base();
        let result = match &mut self.guards.journal {
            Some(j) => Ok(j),
            None => Journal::open_on(&self.doc.path, base).map(|j| self.guards.journal.insert(j)),
        }
        .and_then(|j| j.append_with(edit, before).map(drop));
        self.journal_failed(result);
    }

    /// Whether this session writes a journal (it may write the file).
    fn may_journal(&self) -> bool {
        self.doc.read_only.is_none() && self.guards.lock.is_some()
    }

    /// The file the unsaved edits are made on, as the journal records it.
    fn journal_base(&self) -> Base {
        self.doc
            .disk_fingerprint()
            .map_or(Base::NoFile, |f| Base::File(f.to_owned()))
    }

    fn journal_failed(&mut self, result: std::io::Result<()>) {
        if let Err(e) = result {
            self.set_notice(
                format!("could not write the journal of unsaved edits: {e}; save soon (Ctrl+S)"),
                true,
            );
        }
    }

    /// The file the edits are made on changed under them (merged with the file on disk,
    /// or a journal restored onto it): the journal is replaced, at once, by the difference
    /// between the content now and that file, so a crash before the next save restores this
    /// content and not the old edits onto the new file.
    pub(super) fn journal_rebased(&mut self) {
        if !self.may_journal() {
            return;
        }
        let empty;
        let disk = if let Some(d) = self.doc.base() {
            d
        } else {
            empty = crate::core::model::annotation::AnnotationFile {
                claims: Vec::new(),
                ..self.doc.file.clone()
            };
            &empty
        };
        let mine = &self.doc.file;
        let mut edits: Vec<(Edit, Prior)> = mine
            .claims
            .iter()
            .filter(|c| disk.claim(&c.id) != Some(*c))
            .map(|c| {
                let before = disk
                    .claim(&c.id)
                    .map_or(Prior::NoClaim, |d| Prior::Claim(Box::new(d.clone())));
                (Edit::Claim(Box::new(c.clone())), before)
            })
            .collect();
        edits.extend(
            disk.claims
                .iter()
                .filter(|c| mine.claim(&c.id).is_none())
                .map(|c| {
                    (
                        Edit::Delete { id: c.id.clone() },
                        Prior::Claim(Box::new(c.clone())),
                    )
                }),
        );
        if disk.status != mine.status {
            edits.push((Edit::Status(mine.status), Prior::Status(disk.status)));
        }
        let base = self.journal_base();
        // The old journal is closed first; the new one replaces it in one rename.
        self.guards.journal = None;
        let result = Journal::rewrite(
            &self.doc.path,
            base,
            edits,
            crate::core::model::annotation::now(),
        )
        .map(|j| {
            self.guards.journal = Some(j);
        });
        self.journal_failed(result);
    }

    /// After a good save the journal's edits (and any re-anchored positions) are on disk:
    /// the journal goes.
    pub(super) fn journal_saved(&mut self) {
        self.guards.positions_unsaved = false;
        let result = match self.guards.journal.take() {
            Some(j) => j.remove(),
            None if self.guards.lock.is_some() => journal::remove(&self.doc.path),
            None => Ok(()),
        };
        if let Err(e) = result {
            self.set_notice(
                format!("saved, but the journal could not be removed: {e}"),
                true,
            );
        }
    }

    /// Drops the journal with the edits it holds (the coder chose to take the disk's file).
    pub(super) fn discard_journal(&mut self) {
        self.guards.journal = None;
        self.guards.offer = None;
        if self.guards.lock.is_some()
            && let Err(e) = journal::remove(&self.doc.path)
        {
            self.set_notice(format!("the journal could not be removed: {e}"), true);
        }
    }

    /// Restore: the journal's edits merged with the file as it is now (see
    /// [`journal::restore`]: three-way against the file they were made on), unsaved. The
    /// journal is rewritten as the difference from the file now, until the next save.
    pub(super) fn restore_journal(&mut self, now: std::time::Instant) {
        let Some(offer) = self.guards.offer.take() else {
            return;
        };
        let restored =
            journal::restore(&self.doc.file, self.doc.disk_fingerprint(), &offer.records);
        // Undoable, like any edit: Undo goes back to the file as saved.
        let step = Step::between("restore unsaved edits", &self.doc.file, &restored.file);
        self.doc.file = restored.file;
        self.commit(Some(step), Commit::Rebase, now);
        let mut text = format!("Restored {}", offer.summary);
        if restored.changed_since == Some(true) {
            text.push_str(", merged with the file as changed on disk since");
        }
        if restored.conflicts.is_empty() {
            self.set_notice(text, false);
        } else {
            let list: Vec<String> = restored.conflicts.iter().map(ToString::to_string).collect();
            self.set_notice(
                format!(
                    "{text}: {} conflict{} (kept yours, marked in the note): {}",
                    restored.conflicts.len(),
                    if restored.conflicts.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    list.join("; ")
                ),
                true,
            );
        }
    }

    /// Discard: the journal goes, the file stays as on disk.
    pub(super) fn decline_journal(&mut self) {
        if self.guards.offer.is_none() {
            return;
        }
        self.discard_journal();
        self.set_notice("Discarded the unsaved edits of the previous session", false);
    }

    /// Take over a lock whose holder is gone, then load the file afresh (this session had
    /// no edits: it was read-only).
    pub(super) fn take_over(&mut self) {
        if !self.can_take_over() {
            self.set_notice(
                "the other window still holds this file; close it there first",
                true,
            );
            return;
        }
        let article = &self.project.articles[self.article];
        self.doc.reload(article, &self.project.codebook);
        self.after_open();
        if self.doc.read_only.is_none() {
            self.set_notice("Took over the file: you can edit it now", false);
        }
    }

    /// Take over a lock held on another computer, after the coder confirmed nobody codes the
    /// file there now: the lock is replaced only if it is still the one the coder saw; then the
    /// file is loaded afresh (this session had no edits: it was read-only).
    pub(super) fn take_over_remote(&mut self) {
        let Some(seen) = self.guards.holder.clone() else {
            return;
        };
        if !seen.is_from_another_host() {
            self.set_notice(
                "the lock is held on this computer; close the file in that window first",
                true,
            );
            return;
        }
        match Lock::take_over(&self.doc.path, &seen) {
            Ok(lock) => {
                self.guards.lock = Some(lock);
                let article = &self.project.articles[self.article];
                self.doc.reload(article, &self.project.codebook);
                self.after_open();
                if self.doc.read_only.is_none() {
                    self.set_notice(
                        format!(
                            "Took over the file from {}: you can edit it now. If Stance is still open there, whichever window saves second is asked before anything is overwritten",
                            seen.host
                        ),
                        false,
                    );
                }
            }
            Err(e) => self.set_notice(format!("could not take over the file: {e}"), true),
        }
    }

    /// Attaching an orphan to the cursor's sentence, as an undoable change.
    pub(super) fn plan_attach(&self, id: &str) -> Result<Option<(String, Vec<Change>)>, String> {
        let Some(claim) = self.doc.file.claim(id) else {
            return Err(format!("no claim `{id}`"));
        };
        if self.orphans().all(|c| c.id != id) {
            return Err(format!(
                "claim `{id}` is found in the text; only orphaned claims are attached by hand"
            ));
        }
        let after = anchor::attach(claim, self.article(), self.cursor, self.cursor)
            .map_err(|e| e.to_string())?;
        Ok(Some((
            "attach claim".to_owned(),
            vec![Change::Claim {
                before: Some(Box::new(claim.clone())),
                after: Some(Box::new(after)),
            }],
        )))
    }

    /// The file carries the article's fingerprint only while every claim holds in its text
    /// (the core's rule); an orphan made again by undo puts the old fingerprint back.
    pub(super) fn sync_fingerprint(&mut self) {
        let article = &self.project.articles[self.article];
        if !anchor::adopt_fingerprint(&mut self.doc.file, article)
            && let Some(old) = &self.guards.stale_fingerprint
        {
            self.doc.file.article.fingerprint.clone_from(old);
        }
    }
}
