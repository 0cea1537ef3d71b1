//! Commands: everything a coder can do, and [`Session::handle`], the one place state changes.
//!
//! The window (keys, clicks) and the tests send the same commands, so a headless test of the
//! session exercises exactly what the window does. Edits are recorded for undo here, and the
//! autosave clock starts here.

use std::time::{Duration, Instant};

use crate::core::annotation::{Anchor, Claim, Origin, SpeakerRef, Status, new_claim_id, now};
use crate::core::suggest;
use crate::session::state::{ClaimFilter, Session};
use crate::session::undo::{Change, Step};

/// How long after the last edit the session saves by itself.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(1500);

/// Everything a coder can do in a session.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Open article `i` of the project (saving the current one first).
    OpenArticle(usize),
    /// Move the cursor by this many codable sentences (negative = up).
    MoveCursor(i32),
    /// Put the cursor on a sentence (and select the claim there, if any).
    SetCursor(u32),
    /// Select a claim by id (and move the cursor to it), or clear the selection.
    SelectClaim(Option<String>),
    /// Select the next (+1) or previous (-1) claim in the list.
    StepClaim(i32),
    /// Make a claim of the cursor's sentence (or select the claim already there).
    MakeClaim,
    /// Make a claim of a byte range of the article (a span inside or across sentences).
    MakeClaimFromSpan {
        /// Start byte.
        start: usize,
        /// End byte (exclusive).
        end: usize,
    },
    /// Extend the selected claim by one sentence downward (+1) or upward (-1).
    ExtendClaim(i32),
    /// Make target `i` the one stance keys apply to.
    SetActiveTarget(usize),
    /// Set the stance on a target of the selected claim; setting the same one again clears it.
    ToggleStance {
        /// Target id.
        target: String,
        /// Stance id.
        stance: String,
    },
    /// Remove the selected claim's stance on a target.
    ClearStance(String),
    /// Set (or clear) the selected claim's source type.
    SetSource(Option<String>),
    /// Set (or clear) the selected claim's speaker.
    SetSpeaker(Option<SpeakerRef>),
    /// Replace the selected claim's note.
    SetNote(String),
    /// Flip the selected claim's "unsure" flag.
    ToggleUnsure,
    /// Delete the selected claim.
    DeleteClaim,
    /// Mark the article done or in progress.
    SetStatus(Status),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Save now.
    Save,
    /// Save even though the file changed on disk (keep mine).
    Overwrite,
    /// Drop unsaved edits and load the file from disk (take theirs).
    Reload,
    /// Set the find query.
    SetFindQuery(String),
    /// Jump to the next (+1) or previous (-1) match.
    FindStep(i32),
    /// Replace the claim filter.
    SetFilter(ClaimFilter),
    /// Continue as another annotator (saving the current file first).
    SwitchAnnotator(String),
    /// Accept the suggestion at the cursor as a claim (selected, for correction); with none
    /// there, move to the next suggestion.
    AcceptSuggestion,
    /// Dismiss the suggestion at the cursor and move to the next one.
    DismissSuggestion,
    /// Show or hide suggestions.
    SetSuggestions(bool),
    /// Replay the journal of a crashed session onto the file (unsaved until the next save).
    RestoreJournal,
    /// Delete the journal of a crashed session, keeping the file as on disk.
    DiscardJournal,
    /// Take over the file from a window that held its lock and is gone.
    TakeOverLock,
    /// Take over the file from a window on another computer, which may still be open there:
    /// sent only after the coder confirmed a warning that nobody codes this file there now.
    TakeOverRemoteLock,
    /// Look now whether the file changed on disk (the window regained focus).
    CheckDisk,
    /// Merge the file on disk into the unsaved edits, by claim.
    MergeFromDisk,
    /// Attach an orphaned claim (by id) to the cursor's sentence.
    AttachClaim(String),
    /// Save the positions re-anchoring found on open now (else the first edit saves them).
    AcceptPositions,
}

impl Session {
    /// Carries out one command.
    pub fn handle(&mut self, cmd: Command) {
        self.handle_at(cmd, Instant::now());
    }

    /// Carries out one command at time `now` (tests pass their own clock).
    pub fn handle_at(&mut self, cmd: Command, now: Instant) {
        // Moving around and finding change no claim, suggestion or filter; everything else
        // may, and the per-sentence index is rebuilt after it.
        let moves_only = matches!(
            cmd,
            Command::MoveCursor(_)
                | Command::SetCursor(_)
                | Command::SelectClaim(_)
                | Command::StepClaim(_)
                | Command::SetActiveTarget(_)
                | Command::SetFindQuery(_)
                | Command::FindStep(_)
        );
        self.dispatch(cmd, now);
        if !moves_only {
            self.reindex();
        }
        if self.refusal && self.selected_claim().is_some() {
            // "Make or select a claim first" is answered: a claim is selected now.
            self.refusal = false;
            self.notice = None;
        }
    }

    /// An edit was refused: say why, until it is answered (see `handle_at`).
    fn refuse(&mut self, why: String) {
        self.set_notice(why, true);
        self.refusal = true;
    }

    fn dispatch(&mut self, cmd: Command, now: Instant) {
        match cmd {
            Command::OpenArticle(i) => self.open_article(i),
            Command::MoveCursor(delta) => self.move_cursor(delta),
            Command::SetCursor(i) => self.set_cursor(i),
            Command::SelectClaim(id) => self.select_claim(id),
            Command::StepClaim(dir) => self.step_claim(dir),
            Command::SetActiveTarget(i) => {
                if i < self.codebook().targets.len() {
                    self.active_target = i;
                }
            }
            Command::SetFindQuery(q) => {
                self.find.query = q;
                self.recompute_find();
            }
            Command::FindStep(dir) => self.find_step(dir),
            Command::SetFilter(f) => self.filter = f,
            Command::Undo => self.undo_redo(true, now),
            Command::Redo => self.undo_redo(false, now),
            Command::Save => self.save(false),
            Command::Overwrite => self.save(true),
            Command::Reload => self.reload(),
            Command::SwitchAnnotator(name) => self.switch_annotator(&name),
            Command::DismissSuggestion => self.dismiss_suggestion(),
            Command::SetSuggestions(on) => self.suggestions_on = on,
            Command::RestoreJournal => self.restore_journal(now),
            Command::DiscardJournal => self.decline_journal(),
            Command::TakeOverLock => self.take_over(),
            Command::TakeOverRemoteLock => self.take_over_remote(),
            Command::CheckDisk => self.check_disk(),
            Command::MergeFromDisk => self.merge_from_disk(now),
            Command::AcceptPositions => self.accept_positions(),
            edit => self.edit(edit, now),
        }
    }

    /// Saves if the last edit is older than [`AUTOSAVE_DELAY`]. Returns how long until the
    /// next autosave is due, if one is pending, so the window can wake up for it.
    /// Also polls the file for outside changes (see [`crate::session::watch`]).
    pub fn tick(&mut self, now: Instant) -> Option<Duration> {
        self.poll_disk(now);
        let last = self.last_edit?;
        if !self.doc.dirty || self.conflict || self.doc.read_only.is_some() {
            return None;
        }
        let due = last + AUTOSAVE_DELAY;
        if now >= due {
            self.save(false);
            None
        } else {
            Some(due - now)
        }
    }

    /// Saves before the window closes. Returns whether everything is on disk.
    pub fn flush(&mut self) -> bool {
        self.save(false);
        !self.doc.dirty
    }

    pub(super) fn save(&mut self, force: bool) {
        match self.doc.save(force) {
            Ok(true) => {
                self.conflict = false;
                self.journal_saved();
                // Saving sorts the claims (a file may come from disk out of order).
                self.reindex();
                self.update_summary();
                let path = self.doc.path.display().to_string();
                self.set_notice(format!("Saved {path}"), false);
            }
            Ok(false) => {}
            Err(e) => {
                if matches!(e, crate::session::document::SaveError::ChangedOnDisk(_)) {
                    self.conflict = true;
                }
                self.set_notice(e.to_string(), true);
            }
        }
    }

    fn reload(&mut self) {
        // Taking theirs: the journal's edits are the ones being dropped.
        self.discard_journal();
        let article = &self.project.articles[self.article];
        self.doc.reload(article, &self.project.codebook);
        self.after_open();
        self.update_summary();
        self.set_notice("Reloaded from disk", false);
    }

    fn open_article(&mut self, i: usize) {
        if i >= self.project.articles.len() || i == self.article {
            return;
        }
        self.save(false);
        if self.doc.dirty {
            // The save failed; the notice says why. Staying keeps the edits in memory.
            return;
        }
        let article = &self.project.articles[i];
        let Ok(path) = self.project.annotation_path(&article.id, &self.annotator) else {
            self.set_notice(
                format!("article id `{}` cannot name a folder", article.id),
                true,
            );
            return;
        };
        self.doc = crate::session::document::Document::open(
            path,
            article,
            &self.project.codebook,
            &self.annotator,
        );
        self.article = i;
        self.after_open();
    }

    fn switch_annotator(&mut self, name: &str) {
        let name = name.trim();
        if let Err(e) = crate::core::names::validate_person(name) {
            self.set_notice(format!("annotator name: {e}"), true);
            return;
        }
        self.save(false);
        if self.doc.dirty {
            return;
        }
        let article = &self.project.articles[self.article];
        let Ok(path) = self.project.annotation_path(&article.id, name) else {
            return;
        };
        self.doc =
            crate::session::document::Document::open(path, article, &self.project.codebook, name);
        name.clone_into(&mut self.annotator);
        self.refresh_summaries();
        self.after_open();
        self.set_notice(format!("Coding as {name}"), false);
    }

    fn dismiss_suggestion(&mut self) {
        let Some(s) = self.suggestion_at(self.cursor) else {
            self.next_suggestion();
            return;
        };
        let key = (s.first, s.last);
        self.dismissed.insert(key);
        self.reindex();
        self.next_suggestion();
    }

    /// Moves the cursor to the first open suggestion after it.
    fn next_suggestion(&mut self) {
        let next = self
            .open_suggestions()
            .find(|s| s.first > self.cursor)
            .map(|s| s.first);
        if let Some(i) = next {
            self.set_cursor(i);
        } else {
            self.set_notice("No more suggestions in this article", false);
        }
    }

    fn move_cursor(&mut self, delta: i32) {
        let n = self.article().sentences.len();
        let dir = delta.signum();
        let mut at = self.cursor;
        for _ in 0..delta.unsigned_abs() {
            let next = if dir > 0 {
                at.checked_add(1)
            } else {
                at.checked_sub(1)
            };
            let Some(next) = next.filter(|&i| (i as usize) < n) else {
                break;
            };
            match self.next_codable(next, dir) {
                Some(i) => at = i,
                None => break,
            }
        }
        self.set_cursor(at);
    }

    fn set_cursor(&mut self, i: u32) {
        if (i as usize) >= self.article().sentences.len() {
            return;
        }
        self.cursor = i;
        // Selecting a sentence selects its claim: text and claim list stay in step.
        let id = self.claims_at(i).next().map(|c| c.id.clone());
        self.selected = id;
        self.request_reveal(i);
    }

    fn select_claim(&mut self, id: Option<String>) {
        match id.as_deref().and_then(|id| self.doc.file.claim(id)) {
            Some(c) => {
                let first = c.anchor.first;
                self.selected = id;
                self.cursor = first;
                self.request_reveal(first);
            }
            None => self.selected = None,
        }
    }

    fn step_claim(&mut self, dir: i32) {
        let ids: Vec<&str> = self.visible_claims().map(|c| c.id.as_str()).collect();
        if ids.is_empty() {
            return;
        }
        let pos = self
            .selected
            .as_deref()
            .and_then(|s| ids.iter().position(|id| *id == s));
        let next = match (pos, dir >= 0) {
            (None, true) => 0,
            (None, false) => ids.len() - 1,
            (Some(p), true) => (p + 1).min(ids.len() - 1),
            (Some(p), false) => p.saturating_sub(1),
        };
        let id = ids[next].to_owned();
        self.select_claim(Some(id));
    }

    fn find_step(&mut self, dir: i32) {
        let n = self.find.matches.len();
        if n == 0 {
            return;
        }
        let next = match self.find.current {
            None if dir >= 0 => {
                // Start from the cursor, so Find continues where the coder is reading.
                let from = self
                    .article()
                    .sentences
                    .get(self.cursor as usize)
                    .map_or(0, |s| s.range.start);
                self.find
                    .matches
                    .iter()
                    .position(|m| m.start >= from)
                    .unwrap_or(0)
            }
            None => n - 1,
            Some(c) if dir >= 0 => (c + 1) % n,
            Some(c) => (c + n - 1) % n,
        };
        self.find.current = Some(next);
        let start = self.find.matches[next].start;
        if let Some(s) = self.article().sentence_at(start) {
            self.set_cursor(s);
        }
    }

    /// An editing command: refused on a read-only document, recorded for undo, starts the
    /// autosave clock.
    #[allow(clippy::needless_pass_by_value)] // commands are consumed by value everywhere else
    fn edit(&mut self, cmd: Command, now: Instant) {
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
        if let Command::SetSpeaker(Some(speaker)) = &cmd {
            // Offered first for the next claim: quotes often run over several claims.
            self.last_speaker = Some(speaker.clone());
        }
        // Consecutive note edits of one claim undo as one step, not one per keystroke.
        let merged = matches!(cmd, Command::SetNote(_)) && self.merge_note_step(&label, &changes);
        if !merged {
            self.undo.push(Step { label, changes });
        }
        self.after_edit(now);
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

    fn after_edit(&mut self, now: Instant) {
        self.sync_fingerprint();
        self.doc.touch();
        self.last_edit = Some(now);
        self.update_summary();
    }

    fn undo_redo(&mut self, undo: bool, now: Instant) {
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
        self.after_edit(now);
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

    /// Works out what an edit changes, without changing anything. `Ok(None)`: nothing to do.
    #[allow(clippy::too_many_lines)] // one arm per command reads better than ten helpers
    fn plan(&mut self, cmd: &Command) -> Result<Option<(String, Vec<Change>)>, String> {
        let one = |label: &str, change: Change| Ok(Some((label.to_owned(), vec![change])));
        match cmd {
            Command::MakeClaim => {
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
            Command::AcceptSuggestion => {
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
            Command::MakeClaimFromSpan { start, end } => {
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
            Command::ExtendClaim(dir) => {
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
            Command::ToggleStance { target, stance } => {
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
            Command::ClearStance(target) => {
                let Some(c) = self.selected_claim() else {
                    return Ok(None);
                };
                let mut after = c.clone();
                if after.stances.remove(target).is_none() {
                    return Ok(None);
                }
                Ok(self.change_selected("clear stance", after))
            }
            Command::SetSource(source) => {
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
            Command::SetSpeaker(speaker) => {
                let Some(c) = self.selected_claim() else {
                    return Err("make or select a claim first (Enter makes one)".into());
                };
                let mut after = c.clone();
                after.speaker.clone_from(speaker);
                Ok(self.change_selected("set speaker", after))
            }
            Command::SetNote(note) => {
                let Some(c) = self.selected_claim() else {
                    return Ok(None);
                };
                let mut after = c.clone();
                after.note.clone_from(note);
                Ok(self.change_selected("edit note", after))
            }
            Command::ToggleUnsure => {
                let Some(c) = self.selected_claim() else {
                    return Ok(None);
                };
                let mut after = c.clone();
                after.unsure = !after.unsure;
                Ok(self.change_selected("toggle unsure", after))
            }
            Command::DeleteClaim => {
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
            Command::SetStatus(status) => {
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
            Command::AttachClaim(id) => self.plan_attach(id),
            _ => Ok(None),
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
