//! Edits: what a command changes ([`Session::plan`], worked out before anything changes),
//! applying it (each change journaled as it is applied), undo and redo, and [`Session::commit`],
//! the one way a change becomes part of the document: by an edit, a restored journal or a merge
//! with the file on disk.

use std::time::Instant;

use crate::core::model::annotation::{
    Anchor, Claim, Origin, SpeakerRef, Status, new_claim_id, now,
};
use crate::core::suggest;
use crate::session::coding::Session;
use crate::session::coding::command::CodeCommand;
use crate::session::coding::undo::{Change, Step};

/// How a committed change reached the document (see [`Session::commit`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Commit {
    /// An edit, or an undo or redo of one: its changes were journaled one by one as they were
    /// applied, and the file's `modified` time is now.
    Edit,
    /// A restored journal or a merge with the file on disk: the content changed under the
    /// journaled edits, so the journal is rewritten as the difference from the file they are
    /// now made on (the file's own times are kept as restored or merged).
    Rebase,
}

impl Session {
    /// An editing command: refused on a read-only document, recorded for undo, starts the
    /// autosave clock.
    #[allow(clippy::needless_pass_by_value)] // commands are consumed by value everywhere else
    pub(super) fn edit(&mut self, cmd: CodeCommand, now: Instant) {
        if let Err(why) = self.prepare_edit() {
            self.set_notice(why, true);
            return;
        }
        let (label, changes) = match self.plan(&cmd) {
            Ok(Some(plan)) => plan,
            Ok(None) => return,
            Err(msg) => {
                self.refuse(msg);
                return;
            }
        };
        if self.refusal {
            // The refused edit is behind the coder now.
            self.refusal = false;
            self.notice = None;
        }
        for c in &changes {
            self.apply(c);
        }
        if let CodeCommand::SetSpeaker(Some(speaker)) = &cmd {
            // Offered first for the next claim: quotes often run over several claims.
            self.last_speaker = Some(speaker.clone());
        }
        // Consecutive note edits of one claim undo as one step, not one per keystroke.
        let merged =
            matches!(cmd, CodeCommand::SetNote(_)) && self.merge_note_step(&label, &changes);
        let step = (!merged).then_some(Step { label, changes });
        self.commit(step, Commit::Edit, now);
    }

    fn merge_note_step(&mut self, label: &str, changes: &[Change]) -> bool {
        let Some(last) = self.undo.pop_undo() else {
            return false;
        };
        if last.label == label
            && let ([Change::Claim { before, .. }], [Change::Claim { after, .. }]) =
                (last.changes.as_slice(), changes)
        {
            self.undo.push(Step {
                label: last.label.clone(),
                changes: vec![Change::Claim {
                    before: before.clone(),
                    after: after.clone(),
                }],
            });
            return true;
        }
        self.undo.push(last);
        false
    }

    /// Makes an applied change part of the document: `step` (if any) goes on the undo stack,
    /// the file keeps the article's fingerprint only while every claim holds in its text, the
    /// document is unsaved from now (the autosave clock starts) and the article list's summary
    /// follows. Edits, undo and redo, a restored journal and a merge with the file on disk all
    /// end here; `how` says what differs between them.
    pub(super) fn commit(&mut self, step: Option<Step>, how: Commit, now: Instant) {
        if let Some(step) = step {
            self.undo.push(step);
        }
        self.sync_fingerprint();
        match how {
            Commit::Edit => self.doc.touch(),
            Commit::Rebase => {
                self.doc.mark_changed();
                self.journal_rebased();
            }
        }
        self.last_edit = Some(now);
        self.update_summary();
    }

    pub(super) fn undo_redo(&mut self, undo: bool, now: Instant) {
        if self.doc.read_only.is_some() || self.restore_offer().is_some() {
            return;
        }
        let step = if undo {
            self.undo.pop_undo()
        } else {
            self.undo.pop_redo()
        };
        let Some(step) = step else { return };
        if undo {
            for c in step.changes.iter().rev() {
                self.apply(&c.inverse());
            }
        } else {
            for c in &step.changes {
                self.apply(c);
            }
        }
        // Put the selection on what changed, so the coder sees what undo did.
        let touched = step.changes.iter().find_map(|c| match c {
            Change::Claim { before, after } => {
                let shown = if undo { before } else { after };
                Some(shown.as_ref().map(|c| (c.id.clone(), c.anchor.first)))
            }
            Change::Status { .. } => None,
        });
        match touched {
            Some(Some((id, first))) => {
                self.selected = Some(id);
                self.cursor = first;
                self.request_reveal(first);
            }
            Some(None) => self.selected = None,
            None => {}
        }
        let verb = if undo { "Undid" } else { "Redid" };
        self.set_notice(format!("{verb} {}", step.label), false);
        if undo {
            self.undo.undone(step);
        } else {
            self.undo.redone(step);
        }
        self.commit(None, Commit::Edit, now);
    }

    fn apply(&mut self, change: &Change) {
        self.journal_change(change);
        match change {
            Change::Status { after, .. } => self.doc.file.status = *after,
            Change::Claim { before, after } => {
                let claims = &mut self.doc.file.claims;
                let id = before.as_ref().or(after.as_ref()).map(|c| c.id.clone());
                let pos = id.and_then(|id| claims.iter().position(|c| c.id == id));
                match (pos, after) {
                    (Some(p), Some(a)) => claims[p] = (**a).clone(),
                    (Some(p), None) => {
                        claims.remove(p);
                    }
                    (None, Some(a)) => claims.push((**a).clone()),
                    (None, None) => {}
                }
                self.doc.file.sort_claims();
            }
        }
    }

    /// Works out what an edit changes: the changes to apply and the undo label. It changes no
    /// claim, but it moves the cursor and selection to what the edit is about (a new claim is
    /// selected before it exists). `Ok(None)`: nothing to do; `Err`: refused, with why.
    #[allow(clippy::too_many_lines)] // one arm per command reads better than ten helpers
    fn plan(&mut self, cmd: &CodeCommand) -> Result<Option<(String, Vec<Change>)>, String> {
        let one = |label: &str, change: Change| Ok(Some((label.to_owned(), vec![change])));
        match cmd {
            CodeCommand::MakeClaim => {
                let existing = self.claims_at(self.cursor).next().map(|c| c.id.clone());
                if existing.is_some() {
                    self.selected = existing;
                    return Ok(None);
                }
                let Some(s) = self.article().sentences.get(self.cursor as usize) else {
                    return Ok(None);
                };
                if let Some(rule) = &s.skip {
                    return Err(format!(
                        "this sentence is skipped as boilerplate ({rule}); claims go on article text"
                    ));
                }
                let range = s.range.clone();
                let claim = self.new_claim(self.cursor, self.cursor, range.start, range.end);
                self.selected = Some(claim.id.clone());
                one(
                    "make claim",
                    Change::Claim {
                        before: None,
                        after: Some(Box::new(claim)),
                    },
                )
            }
            CodeCommand::AcceptSuggestion => {
                let Some(s) = self.suggestion_at(self.cursor) else {
                    self.next_suggestion();
                    return Ok(None);
                };
                let claim = suggest::accept(s, self.article());
                self.selected = Some(claim.id.clone());
                self.cursor = claim.anchor.first;
                one(
                    "accept suggestion",
                    Change::Claim {
                        before: None,
                        after: Some(Box::new(claim)),
                    },
                )
            }
            CodeCommand::MakeClaimFromSpan { start, end } => {
                let text = &self.article().text;
                let (start, end) = trim_span(text, *start, *end);
                if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                    return Err("select some text first".into());
                }
                let Some((first, last)) = self.article().sentences_overlapping(&(start..end))
                else {
                    return Err("the selection is outside the article".into());
                };
                let claim = self.new_claim(first, last, start, end);
                self.selected = Some(claim.id.clone());
                self.cursor = first;
                one(
                    "make claim from selection",
                    Change::Claim {
                        before: None,
                        after: Some(Box::new(claim)),
                    },
                )
            }
            CodeCommand::ExtendClaim(dir) => {
                let Some(c) = self.selected_claim() else {
                    return Err("select a claim to extend".into());
                };
                let n = self.article().sentences.len() as u32;
                let (first, last) = if *dir >= 0 {
                    (c.anchor.first, (c.anchor.last + 1).min(n.saturating_sub(1)))
                } else {
                    (c.anchor.first.saturating_sub(1), c.anchor.last)
                };
                if (first, last) == (c.anchor.first, c.anchor.last) {
                    return Ok(None);
                }
                let Some(range) = self.article().sentences_range(first, last) else {
                    return Ok(None);
                };
                let start = range.start.min(c.anchor.start);
                let end = range.end.max(c.anchor.end);
                let mut after = c.clone();
                after.anchor = Anchor::new(&self.article().text, first, last, start, end);
                // An attached orphan stays coded on its old quote, however far it reaches.
                after.anchor.was.clone_from(&c.anchor.was);
                self.cursor = if *dir >= 0 { last } else { first };
                Ok(self.change_selected("extend claim", after))
            }
            CodeCommand::ToggleStance { target, stance } => {
                if self.codebook().target(target).is_none()
                    || self.codebook().stance(stance).is_none()
                {
                    return Err(format!("`{target}`/`{stance}` is not in the codebook"));
                }
                let Some(c) = self.selected_claim() else {
                    return Err("make or select a claim first (Enter makes one)".into());
                };
                let mut after = c.clone();
                if after.stances.get(target) == Some(stance) {
                    after.stances.remove(target);
                } else {
                    after.stances.insert(target.clone(), stance.clone());
                }
                Ok(self.change_selected("set stance", after))
            }
            CodeCommand::ClearStance(target) => {
                let Some(c) = self.selected_claim() else {
                    return Ok(None);
                };
                let mut after = c.clone();
                if after.stances.remove(target).is_none() {
                    return Ok(None);
                }
                Ok(self.change_selected("clear stance", after))
            }
            CodeCommand::SetSource(source) => {
                if let Some(s) = source
                    && self.codebook().source_type(s).is_none()
                {
                    return Err(format!("`{s}` is not a source type of the codebook"));
                }
                let Some(c) = self.selected_claim() else {
                    return Err("make or select a claim first (Enter makes one)".into());
                };
                let mut after = c.clone();
                after.source.clone_from(source);
                // The author's own voice is the author speaking: a claim with no speaker yet
                // gets the registry's author with it, so coding it is one key. The source
                // type and the author entry share their id (`author` in the default codebook).
                let author = self.author_speaker().map(str::to_owned);
                if after.speaker.is_none()
                    && let (Some(s), Some(author)) = (source, author)
                    && *s == author
                {
                    after.speaker = Some(SpeakerRef::Registry(author));
                    return Ok(self.change_selected("set source type and speaker", after));
                }
                Ok(self.change_selected("set source type", after))
            }
            CodeCommand::SetSpeaker(speaker) => {
                let Some(c) = self.selected_claim() else {
                    return Err("make or select a claim first (Enter makes one)".into());
                };
                let mut after = c.clone();
                after.speaker.clone_from(speaker);
                Ok(self.change_selected("set speaker", after))
            }
            CodeCommand::SetNote(note) => {
                let Some(c) = self.selected_claim() else {
                    return Ok(None);
                };
                let mut after = c.clone();
                after.note.clone_from(note);
                Ok(self.change_selected("edit note", after))
            }
            CodeCommand::ToggleUnsure => {
                let Some(c) = self.selected_claim() else {
                    return Ok(None);
                };
                let mut after = c.clone();
                after.unsure = !after.unsure;
                Ok(self.change_selected("toggle unsure", after))
            }
            CodeCommand::DeleteClaim => {
                let Some(c) = self.selected_claim() else {
                    return Ok(None);
                };
                let before = Some(Box::new(c.clone()));
                self.selected = None;
                one(
                    "delete claim",
                    Change::Claim {
                        before,
                        after: None,
                    },
                )
            }
            CodeCommand::SetStatus(status) => {
                let before = self.doc.file.status;
                if before == *status {
                    return Ok(None);
                }
                let label = if *status == Status::Done {
                    "mark done"
                } else {
                    "mark in progress"
                };
                one(
                    label,
                    Change::Status {
                        before,
                        after: *status,
                    },
                )
            }
            CodeCommand::AttachClaim(id) => self.plan_attach(id),
            // Not edits: `dispatch` handles them before an edit is planned. Listed, not caught
            // by `_`, so a new command has to be placed on one side or the other.
            CodeCommand::OpenArticle(_)
            | CodeCommand::MoveCursor(_)
            | CodeCommand::SetCursor(_)
            | CodeCommand::SelectClaim(_)
            | CodeCommand::StepClaim(_)
            | CodeCommand::SetActiveTarget(_)
            | CodeCommand::Undo
            | CodeCommand::Redo
            | CodeCommand::Save
            | CodeCommand::Overwrite
            | CodeCommand::Reload
            | CodeCommand::SetFindQuery(_)
            | CodeCommand::FindStep(_)
            | CodeCommand::SetFilter(_)
            | CodeCommand::SwitchAnnotator(_)
            | CodeCommand::DismissSuggestion
            | CodeCommand::SetSuggestions(_)
            | CodeCommand::RestoreJournal
            | CodeCommand::DiscardJournal
            | CodeCommand::TakeOverLock
            | CodeCommand::TakeOverRemoteLock
            | CodeCommand::CheckDisk
            | CodeCommand::FocusLost
            | CodeCommand::MergeFromDisk
            | CodeCommand::AcceptPositions => Ok(None),
        }
    }

    fn change_selected(&self, label: &str, mut after: Claim) -> Option<(String, Vec<Change>)> {
        let before = self.selected_claim()?;
        if *before == after {
            return None;
        }
        after.modified = now();
        Some((
            label.to_owned(),
            vec![Change::Claim {
                before: Some(Box::new(before.clone())),
                after: Some(Box::new(after)),
            }],
        ))
    }

    fn new_claim(&self, first: u32, last: u32, start: usize, end: usize) -> Claim {
        let t = now();
        Claim {
            id: new_claim_id(),
            anchor: Anchor::new(&self.article().text, first, last, start, end),
            speaker: None,
            cue: None,
            stances: std::collections::BTreeMap::new(),
            source: None,
            unsure: false,
            note: String::new(),
            origin: Origin::Manual,
            created: t,
            modified: t,
        }
    }
}

/// Shrinks a byte span to exclude surrounding whitespace (a drag usually grabs a space).
fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let Some(s) = text.get(start..end) else {
        return (start, end);
    };
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (start + lead, (end - trail).max(start + lead))
}
