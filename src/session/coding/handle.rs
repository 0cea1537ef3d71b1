//! [`Session::handle`]: the one place a coding command changes the session, and the commands
//! that move around (cursor, selection, find, articles) rather than edit.

use std::time::Instant;

use crate::core::model::coding_time::Accrual;
use crate::session::coding::Session;
use crate::session::coding::command::CodeCommand;

impl Session {
    /// Carries out one command.
    pub fn handle(&mut self, cmd: CodeCommand) {
        self.handle_at(cmd, Instant::now());
    }

    /// Carries out one command at time `now` (tests pass their own clock).
    pub fn handle_at(&mut self, cmd: CodeCommand, now: Instant) {
        self.credit_time(&cmd, now);
        // Moving around and finding change no claim, suggestion or filter; everything else
        // may, and the per-sentence index is rebuilt after it.
        let moves_only = matches!(
            cmd,
            CodeCommand::MoveCursor(_)
                | CodeCommand::SetCursor(_)
                | CodeCommand::SelectClaim(_)
                | CodeCommand::StepClaim(_)
                | CodeCommand::SetActiveTarget(_)
                | CodeCommand::SetFindQuery(_)
                | CodeCommand::FindStep(_)
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
    pub(super) fn refuse(&mut self, why: String) {
        self.set_notice(why, true);
        self.refusal = true;
    }

    fn dispatch(&mut self, cmd: CodeCommand, now: Instant) {
        match cmd {
            CodeCommand::OpenArticle(i) => self.open_article(i),
            CodeCommand::MoveCursor(delta) => self.move_cursor(delta),
            CodeCommand::SetCursor(i) => self.set_cursor(i),
            CodeCommand::SelectClaim(id) => self.select_claim(id),
            CodeCommand::StepClaim(dir) => self.step_claim(dir),
            CodeCommand::SetActiveTarget(i) => {
                if i < self.codebook().targets.len() {
                    self.active_target = i;
                }
            }
            CodeCommand::SetFindQuery(q) => {
                self.find.query = q;
                self.recompute_find();
            }
            CodeCommand::FindStep(dir) => self.find_step(dir),
            CodeCommand::SetFilter(f) => self.filter = f,
            CodeCommand::Undo => self.undo_redo(true, now),
            CodeCommand::Redo => self.undo_redo(false, now),
            CodeCommand::Save => self.save(false),
            CodeCommand::Overwrite => self.save(true),
            CodeCommand::Reload => self.reload(),
            CodeCommand::SwitchAnnotator(name) => self.switch_annotator(&name),
            CodeCommand::DismissSuggestion => self.dismiss_suggestion(),
            CodeCommand::SetSuggestions(on) => self.suggestions_on = on,
            CodeCommand::RestoreJournal => self.restore_journal(now),
            CodeCommand::DiscardJournal => self.decline_journal(),
            CodeCommand::TakeOverLock => self.take_over(),
            CodeCommand::TakeOverRemoteLock => self.take_over_remote(),
            CodeCommand::CheckDisk => self.check_disk(),
            // Its time was credited (see `credit_time`); nothing else changes.
            CodeCommand::FocusLost => {}
            CodeCommand::MergeFromDisk => self.merge_from_disk(now),
            CodeCommand::AcceptPositions => self.accept_positions(),
            // Every edit, listed: a new command must be placed here or above, or it does not
            // compile (a catch-all arm would let it silently do nothing).
            edit @ (CodeCommand::MakeClaim
            | CodeCommand::MakeClaimFromSpan { .. }
            | CodeCommand::ExtendClaim(_)
            | CodeCommand::ToggleStance { .. }
            | CodeCommand::ClearStance(_)
            | CodeCommand::SetSource(_)
            | CodeCommand::SetSpeaker(_)
            | CodeCommand::SetNote(_)
            | CodeCommand::ToggleUnsure
            | CodeCommand::DeleteClaim
            | CodeCommand::SetStatus(_)
            | CodeCommand::AcceptSuggestion
            | CodeCommand::AttachClaim(_)) => self.edit(edit, now),
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
        self.keep_time_on_leaving();
        self.save(false);
        if self.doc.dirty {
            // The save failed; the notice says why. Staying keeps the edits in memory.
            return;
        }
        self.accrual = Accrual::default();
        let article = &self.project.articles[i];
        let Ok(path) = self.project.annotation_path(&article.id, &self.annotator) else {
            self.set_notice(
                format!("article id `{}` cannot name a folder", article.id),
                true,
            );
            return;
        };
        self.doc = crate::session::coding::document::Document::open(
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
        if let Err(e) = crate::core::model::names::validate_person(name) {
            self.set_notice(format!("annotator name: {e}"), true);
            return;
        }
        self.keep_time_on_leaving();
        self.save(false);
        if self.doc.dirty {
            return;
        }
        self.accrual = Accrual::default();
        let article = &self.project.articles[self.article];
        let Ok(path) = self.project.annotation_path(&article.id, name) else {
            return;
        };
        self.doc = crate::session::coding::document::Document::open(
            path,
            article,
            &self.project.codebook,
            name,
        );
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
    pub(super) fn next_suggestion(&mut self) {
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
}
