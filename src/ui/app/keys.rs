//! Keys: the window's shortcuts from the one table ([`UiCommand`]), then the codebook's
//! one-key labels; each becomes commands for the queue or a change of what the window shows.

use super::{Draw, Modal, StanceApp};
use crate::core::model::annotation::Status;
use crate::session::{CodeCommand, Place};
use crate::ui::dialogs::SpeakerFinder;
use crate::ui::shortcuts::{UiCommand, key_for_char};

impl StanceApp {
    /// The frame's keys (see [`Draw::handle_keys`]).
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        self.draw().handle_keys(ctx);
    }
}

impl Draw<'_> {
    /// Turns a shortcut into commands or view changes.
    #[allow(clippy::too_many_lines)] // one arm per shortcut reads better than ten helpers
    pub(super) fn run_ui_command(&mut self, c: UiCommand) {
        let session = self.ws.coding();
        let target_count = session.map_or(0, |s| s.codebook().targets.len());
        let out = &mut *self.queue;
        match c {
            UiCommand::NextSentence => out.push(CodeCommand::MoveCursor(1)),
            UiCommand::PrevSentence => out.push(CodeCommand::MoveCursor(-1)),
            UiCommand::MakeClaim if self.view.span.open => self.view.span.commit = true,
            UiCommand::MakeClaim => out.push(CodeCommand::MakeClaim),
            UiCommand::SpanWordLeft
            | UiCommand::SpanWordRight
            | UiCommand::SpanExtendLeft
            | UiCommand::SpanExtendRight => self.move_span(c),
            UiCommand::ExtendDown => out.push(CodeCommand::ExtendClaim(1)),
            UiCommand::ExtendUp => out.push(CodeCommand::ExtendClaim(-1)),
            UiCommand::NextClaim => out.push(CodeCommand::StepClaim(1)),
            UiCommand::PrevClaim => out.push(CodeCommand::StepClaim(-1)),
            UiCommand::Speaker => {
                if session.is_some_and(|s| s.selected_claim().is_some()) {
                    self.view.modal = Modal::Speaker(SpeakerFinder::default());
                }
            }
            UiCommand::SuggestedSpeaker => {
                let first = session.map(|s| {
                    (
                        s.selected_claim().is_some(),
                        s.suggested_speakers().into_iter().next(),
                    )
                });
                match first {
                    Some((true, Some(speaker))) => out.push(CodeCommand::SetSpeaker(Some(speaker))),
                    // Nothing to offer: choose in the finder.
                    Some((true, None)) => {
                        self.view.modal = Modal::Speaker(SpeakerFinder::default());
                    }
                    // No claim: the session says to make one first.
                    _ => out.push(CodeCommand::SetSpeaker(None)),
                }
            }
            UiCommand::EditNote => self.view.focus_note = true,
            UiCommand::SpanMode => {
                self.view.span.open = !self.view.span.open;
                self.view.span.focus = self.view.span.open;
            }
            UiCommand::CycleTarget => {
                if let Some(s) = session
                    && target_count > 0
                {
                    out.push(CodeCommand::SetActiveTarget(
                        (s.active_target() + 1) % target_count,
                    ));
                }
            }
            UiCommand::ToggleUnsure => out.push(CodeCommand::ToggleUnsure),
            UiCommand::DeleteClaim => out.push(CodeCommand::DeleteClaim),
            UiCommand::ToggleDone => {
                if let Some(s) = session {
                    let next = match s.document().file.status {
                        Status::Done => Status::InProgress,
                        Status::InProgress => Status::Done,
                    };
                    out.push(CodeCommand::SetStatus(next));
                }
            }
            UiCommand::Undo => out.push(CodeCommand::Undo),
            UiCommand::Redo => out.push(CodeCommand::Redo),
            UiCommand::Save => out.push(CodeCommand::Save),
            UiCommand::Find => {
                self.view.find_open = true;
                self.view.focus_find = true;
            }
            UiCommand::FindNext => out.push(CodeCommand::FindStep(1)),
            UiCommand::FindPrev => out.push(CodeCommand::FindStep(-1)),
            UiCommand::NextArticle | UiCommand::PrevArticle => {
                if let Some(s) = session {
                    let n = s.project().articles.len();
                    let i = s.article_index();
                    let next = if c == UiCommand::NextArticle {
                        (i + 1).min(n - 1)
                    } else {
                        i.saturating_sub(1)
                    };
                    out.push(CodeCommand::OpenArticle(next));
                }
            }
            UiCommand::AcceptSuggestion => out.push(CodeCommand::AcceptSuggestion),
            UiCommand::DismissSuggestion => out.push(CodeCommand::DismissSuggestion),
            UiCommand::OpenProject => {
                let root = self
                    .ws
                    .root()
                    .map_or_else(String::new, |r| r.display().to_string());
                self.view.modal = Modal::OpenProject(root);
            }
            UiCommand::Help => {
                self.view.modal = match self.view.modal {
                    Modal::Help => Modal::None,
                    _ => Modal::Help,
                };
            }
            UiCommand::Escape => {
                if self.view.find_open {
                    self.view.find_open = false;
                } else if self.view.span.open {
                    self.view.span.open = false;
                } else {
                    out.push(CodeCommand::SelectClaim(None));
                }
            }
        }
    }

    /// Keys: window shortcuts from the table, then the codebook's one-key labels.
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context) {
        let session = self.ws.coding();
        let prompt = session.is_some_and(|s| s.has_conflict() || s.restore_offer().is_some());
        // Review mode reads its own keys (the Gold tab's); the agreement view has none yet:
        // keys must not edit the hidden coding view.
        if prompt || self.ws.place() != Place::Coding {
            return;
        }
        match self.view.modal {
            Modal::None => {}
            Modal::Help => {
                if ctx.input_mut(|i| {
                    i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)
                        || i.consume_key(egui::Modifiers::NONE, egui::Key::F1)
                }) {
                    self.view.modal = Modal::None;
                }
                return;
            }
            Modal::Name { .. }
            | Modal::Speaker(_)
            | Modal::OpenProject(_)
            | Modal::ImportArticles(_)
            | Modal::OpenForReview(_)
            | Modal::GoldQuit => return,
        }
        let typing = ctx.egui_wants_keyboard_input();
        // Escape in a text field (the note): egui takes the keyboard from the field as the
        // frame begins, so it is no longer focused here. That Escape closes the field and
        // does nothing more; the next one clears the selection.
        if self.view.was_typing
            && !typing
            && !self.view.find_open
            && !self.view.span.open
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            return;
        }
        for c in UiCommand::consume_pressed(ctx, typing, self.view.span.open) {
            self.run_ui_command(c);
        }
        if typing {
            return;
        }
        let Some(s) = self.ws.coding() else { return };
        let out = &mut *self.queue;
        let cb = s.codebook();
        let pressed = |c: char| {
            key_for_char(c)
                .is_some_and(|k| ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, k)))
        };
        for (i, t) in cb.targets.iter().enumerate() {
            if pressed(t.key) {
                out.push(CodeCommand::SetActiveTarget(i));
            }
        }
        if let Some(target) = cb.targets.get(s.active_target()) {
            for l in &cb.stances {
                if pressed(l.key) {
                    out.push(CodeCommand::ToggleStance {
                        target: target.id.clone(),
                        stance: l.id.clone(),
                    });
                }
            }
        }
        for l in &cb.source_types {
            if pressed(l.key) {
                let on =
                    s.selected_claim().and_then(|c| c.source.as_deref()) == Some(l.id.as_str());
                out.push(CodeCommand::SetSource(if on {
                    None
                } else {
                    Some(l.id.clone())
                }));
            }
        }
    }
}
