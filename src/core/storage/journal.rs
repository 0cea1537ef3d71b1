//! The edit journal: unsaved edits that survive a crash.
//!
//! Beside `alice.ron` lives `.alice.ron.journal` while there are edits not yet saved. Each
//! edit appends one line of JSON: a sequence number, the time, and the edit, which is the
//! whole claim after the edit (so replaying never depends on an earlier record), a deletion
//! by id, or a status change. After a good save the journal is removed. On the next start,
//! a journal that is still there holds exactly the edits the crash would have lost:
//! [`read`] it, show its [`Summary`], and [`replay`] it onto the file from disk.
//!
//! Each append is flushed to the disk (`sync_data`) before it returns, so an edit the coder
//! saw happen is on disk. That costs one disk flush per edit: well under a millisecond to a
//! few milliseconds on an SSD, up to tens of milliseconds on a spinning or network disk;
//! edits come at the pace of a person pressing keys, so it is never felt.
//!
//! A crash in the middle of an append leaves a torn last line; [`read`] drops it (that edit
//! was never acknowledged) and [`Journal::open`] cuts it off before appending again.
//!
//! Restoring is a three-way merge, so a change made to the file while the window was dead
//! (a `git pull`) is never silently overridden. Each record says which file it was written
//! against ([`Base`], the fingerprint of the file's bytes) and what it replaced ([`Prior`]:
//! the claim or status before the edit). The first record of a claim holds the claim as it
//! was in that file, which is all a merge needs: claims the journal never touched are the
//! file's. [`restore`] merges the replayed edits (ours) with the file as it is now (theirs)
//! against it, conflicts marked like the merge driver's ([`crate::core::storage::merge`]). Journals
//! written before records carried this are still read; they are replayed onto the file.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::model::annotation::{AnnotationFile, Claim, Status, now};
use crate::core::storage::merge::{self, MergeConflict};

/// Largest journal read (64 MiB); a journal is removed at every save, so a bigger one is
/// not a journal of ours.
pub const MAX_JOURNAL_BYTES: u64 = 64 * 1024 * 1024;

/// One edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    /// A claim was made or changed: the whole claim as it is after the edit.
    Claim(Box<Claim>),
    /// The claim with this id was deleted.
    Delete {
        /// The claim's id.
        id: String,
    },
    /// The file's status changed to this.
    Status(Status),
}

/// The file a journal's edits were made on: the annotation file as it was on disk when the
/// journal began.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Base {
    /// The file, by the fingerprint of its bytes (`sha256:…`).
    File(String),
    /// There was no file yet.
    NoFile,
}

/// What an edit replaced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Prior {
    /// The claim as it was before the edit.
    Claim(Box<Claim>),
    /// The claim did not exist before the edit (it was made).
    NoClaim,
    /// The status before the edit.
    Status(Status),
}

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// When the edit was made.
    pub time: DateTime<Utc>,
    /// The edit.
    pub edit: Edit,
    /// The file the edit was made on; absent in journals of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Base>,
    /// What the edit replaced; absent in journals of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Prior>,
}

/// What [`read`] found in a journal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contents {
    /// The records that could be read, in file order.
    pub records: Vec<Record>,
    /// The last line was cut off by a crash and was dropped.
    pub torn_tail: bool,
    /// 1-based numbers of other lines that could not be read (damaged in the middle), skipped.
    pub damaged_lines: Vec<usize>,
}

/// What a journal holds, for a "restore unsaved edits?" prompt.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many edits.
    pub edits: usize,
    /// When the first edit was made.
    pub first: Option<DateTime<Utc>>,
    /// When the last edit was made.
    pub last: Option<DateTime<Utc>>,
    /// Ids of the claims made, changed or deleted, sorted.
    pub claims: Vec<String>,
    /// The status was changed.
    pub status_changed: bool,
}

impl std::fmt::Display for Summary {
    /// "3 unsaved edits to 2 claims (c1, c2), the last at 2024-03-01 10:05 UTC".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} unsaved edit{}",
            self.edits,
            if self.edits == 1 { "" } else { "s" }
        )?;
        if !self.claims.is_empty() {
            write!(
                f,
                " to {} claim{} ({})",
                self.claims.len(),
                if self.claims.len() == 1 { "" } else { "s" },
                self.claims.join(", ")
            )?;
        }
        if self.status_changed {
            f.write_str(if self.claims.is_empty() {
                " to the status"
            } else {
                " and the status"
            })?;
        }
        if let Some(last) = self.last {
            write!(f, ", the last at {}", last.format("%Y-%m-%d %H:%M UTC"))?;
        }
        Ok(())
    }
}

/// The journal of annotation file `file`: `.<name>.journal` in the same folder. The leading
/// dot keeps it out of listings and out of the loaders, which read only `<annotator>.ron`.
pub fn journal_path(file: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(file.file_name().unwrap_or_default());
    name.push(".journal");
    file.with_file_name(name)
}

/// An open journal, appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: fs::File,
    next_seq: u64,
    /// Stamped on every record (see [`Base`]); `None` writes records as older versions did.
    base: Option<Base>,
}

impl Journal {
    /// Opens (or creates) the journal of annotation file `file` for appending. Records already
    /// there are kept, a torn last line is cut off, and numbering goes on after them.
    ///
    /// Call it after the coder answered the restore prompt: with the journal's edits replayed
    /// (they stay in the journal until the next save), or after [`remove`] if declined.
    pub fn open(file: &Path) -> std::io::Result<Self> {
        Self::open_inner(file, None)
    }

    /// Opens the journal of `file` like [`Journal::open`], stamping every record with the
    /// file the edits are made on, so a restore can merge them with the file as it is then.
    pub fn open_on(file: &Path, base: Base) -> std::io::Result<Self> {
        Self::open_inner(file, Some(base))
    }

    /// Replaces the journal of `file` at once (write aside, then rename) with `edits`, made
    /// on `base`, and opens it for appending. For when the file the edits are made on
    /// changes under them (a merge with the file on disk, a restore): the journal then holds
    /// the difference from the new file, and never, even for an instant, nothing.
    pub fn rewrite(
        file: &Path,
        base: Base,
        edits: Vec<(Edit, Prior)>,
        time: DateTime<Utc>,
    ) -> std::io::Result<Self> {
        let mut text = String::new();
        for (i, (edit, before)) in edits.into_iter().enumerate() {
            let record = Record {
                seq: i as u64 + 1,
                time,
                edit,
                base: Some(base.clone()),
                before: Some(before),
            };
            text.push_str(&serde_json::to_string(&record).map_err(std::io::Error::other)?);
            text.push('\n');
        }
        crate::core::storage::store::write_atomic(&journal_path(file), text.as_bytes())?;
        Self::open_on(file, base)
    }

    fn open_inner(file: &Path, base: Option<Base>) -> std::io::Result<Self> {
        let path = journal_path(file);
        let mut f = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)?;
        // Cut after the last complete line, so the next record starts on a line of its own.
        let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if keep < bytes.len() {
            f.set_len(keep as u64)?;
            f.sync_data()?;
        }
        let existing = parse(&bytes[..keep]);
        let next_seq = existing.records.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
        let file = fs::OpenOptions::new().append(true).open(&path)?;
        Ok(Self {
            path,
            file,
            next_seq,
            base,
        })
    }

    /// Appends one edit, stamped now, and flushes it to the disk before returning.
    pub fn append(&mut self, edit: Edit) -> std::io::Result<Record> {
        self.append_at(edit, None, now())
    }

    /// Appends one edit with what it replaced, stamped now (see [`Prior`]).
    pub fn append_with(&mut self, edit: Edit, before: Prior) -> std::io::Result<Record> {
        self.append_at(edit, Some(before), now())
    }

    /// Appends one edit made at `time` (tests and imports give the time).
    pub fn append_at(
        &mut self,
        edit: Edit,
        before: Option<Prior>,
        time: DateTime<Utc>,
    ) -> std::io::Result<Record> {
        let record = Record {
            seq: self.next_seq,
            time,
            edit,
            base: self.base.clone(),
            before,
        };
        let mut line = serde_json::to_string(&record).map_err(std::io::Error::other)?;
        line.push('\n');
        // One write call per record: a crash tears at most this line.
        self.file.write_all(line.as_bytes())?;
        self.file.sync_data()?;
        self.next_seq += 1;
        Ok(record)
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Empties the journal after a good save, keeping it open for the next edits.
    pub fn clear(&mut self) -> std::io::Result<()> {
        self.file.set_len(0)?;
        self.file.sync_data()?;
        self.next_seq = 1;
        Ok(())
    }

    /// Closes and deletes the journal (after a good save, when the file is closed).
    pub fn remove(self) -> std::io::Result<()> {
        let path = self.path.clone();
        drop(self);
        remove_at(&path)
    }
}

/// Deletes the journal of annotation file `file`, if there is one.
pub fn remove(file: &Path) -> std::io::Result<()> {
    remove_at(&journal_path(file))
}

fn remove_at(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Reads the journal of annotation file `file`: `Ok(None)` when there is none (or it is
/// empty), so there is nothing to restore.
pub fn read(file: &Path) -> std::io::Result<Option<Contents>> {
    let path = journal_path(file);
    let bytes = match fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
        Ok(m) if m.len() > MAX_JOURNAL_BYTES => {
            return Err(std::io::Error::other(format!(
                "{} is {} bytes, over the {MAX_JOURNAL_BYTES}-byte limit of a journal",
                path.display(),
                m.len()
            )));
        }
        Ok(_) => fs::read(&path)?,
    };
    let contents = parse(&bytes);
    Ok((!contents.records.is_empty()).then_some(contents))
}

/// Parses journal bytes (see [`read`]).
pub fn parse(bytes: &[u8]) -> Contents {
    let mut out = Contents::default();
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let complete = bytes.ends_with(b"\n");
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Record>(line) {
            Ok(r) => out.records.push(r),
            // The final line without a newline is an append the crash cut short.
            Err(_) if i == last && !complete => out.torn_tail = true,
            Err(_) => out.damaged_lines.push(i + 1),
        }
    }
    out
}

/// `base` with `records` applied in sequence order: a claim record replaces the claim with
/// its id (or adds it), a deletion removes it, a status record sets the status. Claims end
/// in text order and `modified` is the last edit's time.
pub fn replay(base: &AnnotationFile, records: &[Record]) -> AnnotationFile {
    let mut out = base.clone();
    let mut ordered: Vec<&Record> = records.iter().collect();
    // Stable: records with equal numbers (should not happen) keep their file order.
    ordered.sort_by_key(|r| r.seq);
    for r in &ordered {
        match &r.edit {
            Edit::Claim(claim) => {
                if let Some(c) = out.claims.iter_mut().find(|c| c.id == claim.id) {
                    c.clone_from(claim);
                } else {
                    out.claims.push((**claim).clone());
                }
            }
            Edit::Delete { id } => out.claims.retain(|c| c.id != *id),
            Edit::Status(s) => out.status = *s,
        }
    }
    if let Some(last) = ordered.iter().map(|r| r.time).max() {
        out.modified = out.modified.max(last);
    }
    out.sort_claims();
    out
}

/// What restoring a journal onto the file as it is now gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Restored {
    /// The file with the journal's edits.
    pub file: AnnotationFile,
    /// Whether the file changed since the edits were made on it; `None` when the journal
    /// does not say (written by an older version: its edits are replayed onto the file).
    pub changed_since: Option<bool>,
    /// Fields both the journal and the file changed, each kept as the journal has it and
    /// marked in the claim's note like the merge driver's.
    pub conflicts: Vec<MergeConflict>,
}

/// The journal's edits applied to `theirs`, the file as it is now, whose bytes have the
/// fingerprint `theirs_fingerprint` (`None`: there is no file).
///
/// When the records say which file they were made on and what each replaced, this is a
/// three-way merge by claim: base = the file the journal was written against (its claims
/// as the first record of each gives them, the rest as in `theirs`), ours = base with the
/// edits replayed, theirs = the file now. A field changed on one side takes that side's
/// value; changed on both, the journal's is kept and the note marked (see
/// [`crate::core::storage::merge`]). Older journals, which do not say, are replayed onto `theirs`.
pub fn restore(
    theirs: &AnnotationFile,
    theirs_fingerprint: Option<&str>,
    records: &[Record],
) -> Restored {
    let mut ordered: Vec<&Record> = records.iter().collect();
    ordered.sort_by_key(|r| r.seq);
    let known = !ordered.is_empty()
        && ordered
            .iter()
            .all(|r| r.base.is_some() && r.before.is_some());
    if !known {
        return Restored {
            file: replay(theirs, records),
            changed_since: None,
            conflicts: Vec::new(),
        };
    }
    let now_base = theirs_fingerprint.map_or(Base::NoFile, |f| Base::File(f.to_owned()));
    let changed_since = ordered.iter().any(|r| r.base.as_ref() != Some(&now_base));
    // The base: the file now, with each claim the journal touched as its first record says
    // it was, and the status likewise.
    let mut base = theirs.clone();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut status_seen = false;
    for r in &ordered {
        match (&r.edit, &r.before) {
            (Edit::Claim(c), Some(before)) if seen.insert(c.id.as_str()) => {
                set_claim(&mut base, &c.id, before);
            }
            (Edit::Delete { id }, Some(before)) if seen.insert(id.as_str()) => {
                set_claim(&mut base, id, before);
            }
            (Edit::Status(_), Some(Prior::Status(s))) if !status_seen => {
                status_seen = true;
                base.status = *s;
            }
            _ => {}
        }
    }
    base.sort_claims();
    let ours = replay(&base, records);
    let outcome = merge::merge(Some(&base), &ours, theirs);
    Restored {
        file: outcome.merged,
        changed_since: Some(changed_since),
        // A header conflict cannot arise: base and ours share theirs' header.
        conflicts: outcome.conflicts,
    }
}

/// Puts claim `id` of `file` as `prior` says it was (or takes it out).
fn set_claim(file: &mut AnnotationFile, id: &str, prior: &Prior) {
    file.claims.retain(|c| c.id != id);
    if let Prior::Claim(c) = prior {
        file.claims.push((**c).clone());
    }
}

/// What `records` hold, for the restore prompt.
pub fn summary(records: &[Record]) -> Summary {
    let claims: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| match &r.edit {
            Edit::Claim(c) => Some(c.id.as_str()),
            Edit::Delete { id } => Some(id.as_str()),
            Edit::Status(_) => None,
        })
        .collect();
    Summary {
        edits: records.len(),
        first: records.iter().map(|r| r.time).min(),
        last: records.iter().map(|r| r.time).max(),
        claims: claims.into_iter().map(str::to_owned).collect(),
        status_changed: records.iter().any(|r| matches!(r.edit, Edit::Status(_))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_path_is_hidden_beside_the_file() {
        assert_eq!(
            journal_path(Path::new("p/annotations/a/alice.ron")),
            PathBuf::from("p/annotations/a/.alice.ron.journal")
        );
    }

    use crate::core::model::annotation::{Anchor, CodebookRef};

    fn claim(id: &str, start: usize, note: &str) -> Claim {
        let text = "0123456789 abcdefghij klmnopqrst";
        Claim {
            id: id.into(),
            anchor: Anchor::new(text, 0, 0, start, start + 5),
            speaker: None,
            cue: None,
            stances: [("ceasefire".to_owned(), "favor".to_owned())].into(),
            source: None,
            unsure: false,
            note: note.into(),
            origin: crate::core::model::annotation::Origin::Manual,
            created: now(),
            modified: now(),
        }
    }

    fn base() -> AnnotationFile {
        let mut f = AnnotationFile::new(
            crate::core::model::annotation::ArticleRef {
                id: "a1".into(),
                fingerprint: "sha256:00".into(),
            },
            CodebookRef {
                id: "cb".into(),
                version: 1,
            },
            "alice",
        );
        f.claims = vec![claim("c1", 0, ""), claim("c2", 11, "")];
        f
    }

    #[test]
    fn append_read_replay_remove() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        assert_eq!(read(&file).unwrap(), None);
        let mut j = Journal::open(&file).unwrap();
        assert_eq!(j.path(), journal_path(&file));
        j.append(Edit::Claim(Box::new(claim("c3", 22, "new"))))
            .unwrap();
        j.append(Edit::Claim(Box::new(claim("c1", 0, "edited"))))
            .unwrap();
        j.append(Edit::Delete { id: "c2".into() }).unwrap();
        let last = j.append(Edit::Status(Status::Done)).unwrap();
        assert_eq!(last.seq, 4);

        let contents = read(&file).unwrap().unwrap();
        assert_eq!(contents.records.len(), 4);
        assert!(!contents.torn_tail);
        let restored = replay(&base(), &contents.records);
        let ids: Vec<&str> = restored.claims.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["c1", "c3"]);
        assert_eq!(restored.claim("c1").unwrap().note, "edited");
        assert_eq!(restored.status, Status::Done);
        assert!(restored.modified >= last.time);
        let s = summary(&contents.records);
        assert_eq!(s.edits, 4);
        assert_eq!(s.claims, vec!["c1", "c2", "c3"]);
        assert!(s.status_changed);
        assert_eq!(s.last, Some(last.time));

        j.clear().unwrap();
        assert_eq!(read(&file).unwrap(), None);
        assert_eq!(j.append(Edit::Status(Status::InProgress)).unwrap().seq, 1);
        j.remove().unwrap();
        assert!(!journal_path(&file).exists());
        remove(&file).unwrap(); // removing twice is fine
    }

    #[test]
    fn a_torn_last_line_is_dropped_and_cut_before_appending() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        let mut j = Journal::open(&file).unwrap();
        for n in 0..3 {
            j.append(Edit::Claim(Box::new(claim(&format!("c{n}"), 0, ""))))
                .unwrap();
        }
        drop(j);
        // A crash in the middle of the fourth append: half a line, no newline.
        let full = fs::read(journal_path(&file)).unwrap();
        let line = full.split(|&b| b == b'\n').next().unwrap().to_vec();
        for cut in [1, line.len() / 2, line.len() - 1] {
            let mut torn = full.clone();
            torn.extend_from_slice(&line[..cut]);
            fs::write(journal_path(&file), &torn).unwrap();
            let contents = read(&file).unwrap().unwrap();
            assert_eq!(contents.records.len(), 3, "cut at {cut}");
            assert!(contents.torn_tail);
            assert!(contents.damaged_lines.is_empty());
        }
        // Reopening cuts the fragment, so the next record is a whole line numbered 4.
        let mut j = Journal::open(&file).unwrap();
        assert_eq!(j.append(Edit::Status(Status::Done)).unwrap().seq, 4);
        let contents = read(&file).unwrap().unwrap();
        assert_eq!(contents.records.len(), 4);
        assert!(!contents.torn_tail);
        assert!(contents.damaged_lines.is_empty());
    }

    #[test]
    fn damaged_middle_lines_are_skipped_and_numbered() {
        let ok = serde_json::to_string(&Record {
            seq: 1,
            time: now(),
            edit: Edit::Status(Status::Done),
            base: None,
            before: None,
        })
        .unwrap();
        let text = format!("{ok}\n{{garbage\n\n{ok}\n{{\"seq\":");
        let c = parse(text.as_bytes());
        assert_eq!(c.records.len(), 2);
        assert_eq!(c.damaged_lines, vec![2]);
        assert!(c.torn_tail);
    }

    #[test]
    fn summary_reads_well() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let records = vec![
            Record {
                seq: 1,
                time: t("2024-03-01T10:00:00Z"),
                edit: Edit::Delete { id: "c2".into() },
                base: None,
                before: None,
            },
            Record {
                seq: 2,
                time: t("2024-03-01T10:05:00Z"),
                edit: Edit::Status(Status::Done),
                base: None,
                before: None,
            },
        ];
        let s = summary(&records);
        assert_eq!(
            s.to_string(),
            "2 unsaved edits to 1 claim (c2) and the status, the last at 2024-03-01 10:05 UTC"
        );
        assert_eq!(s.first, Some(t("2024-03-01T10:00:00Z")));
    }
}
