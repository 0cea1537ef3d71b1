//! The open file's safeguards as data: the lock, the journal, a crashed session's journal on
//! offer, and re-anchoring on open. What they do is in [`super::recovery`].

use crate::core::storage::journal::{Journal, Record, Summary};
use crate::core::storage::lock::{Lock, LockInfo};
use crate::core::storage::merge::MergeConflict;
use crate::core::text::anchor::ReanchorReport;

/// The journal of a crashed session, found when its file was opened.
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreOffer {
    /// What it holds, for the prompt.
    pub summary: Summary,
    /// The records, replayed on Restore.
    pub records: Vec<Record>,
    /// Lines that could not be read (a torn last line or damage): said in the prompt.
    pub unreadable_lines: usize,
    /// Whether the file changed on disk since the edits were made on it (a `git pull`
    /// while the window was dead); `None` when an older journal does not say.
    pub changed_since: Option<bool>,
    /// What restoring would mark: fields both the journal and the file changed.
    pub conflicts: Vec<MergeConflict>,
}

/// What keeps the open file's work safe, beside the document: its lock, its journal, a crashed
/// session's journal on offer, and what re-anchoring did on open.
#[derive(Debug, Default)]
pub struct FileSafeguards {
    /// The lock on the open file, while this session may write it.
    pub(super) lock: Option<Lock>,
    /// Who holds the lock when this session could not take it.
    pub(super) holder: Option<LockInfo>,
    /// The journal, open once the first edit was made.
    pub(super) journal: Option<Journal>,
    /// A journal found on open, waiting for Restore or Discard.
    pub(super) offer: Option<RestoreOffer>,
    /// The fingerprint the file had on open, when it was coded on another text of the
    /// article: it stays in the file while claims are orphaned.
    pub(super) stale_fingerprint: Option<String>,
    /// What re-anchoring did when the file was opened.
    pub(super) reanchor: Option<ReanchorReport>,
    /// Re-anchoring changed the file and that is not saved yet (no edit since).
    pub(super) positions_unsaved: bool,
    /// When the disk was last polled for outside changes.
    pub(super) last_poll: Option<std::time::Instant>,
}
