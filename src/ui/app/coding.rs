//! The coding view: the article list, the text with the toolbar, find bar and span selector
//! above it, the claim list, the inspector and the coder's feedback.

use egui::{Panel, Ui};

use super::{Draw, Modal, StanceApp};
use crate::core::model::annotation::Status;
use crate::session::{CodeCommand, Session};
use crate::ui::dialogs::SpeakerFinder;
use crate::ui::shortcuts::UiCommand;
use crate::ui::{article_list, article_view, claim_list, inspector, recovery};

impl StanceApp {
    /// The coding view: articles on the left, the claims and the selected claim on the right,
    /// the text in the middle.
    pub(super) fn coding_page(&mut self, ui: &mut Ui) {
        let mut d = self.draw();
        let Some(session) = d.ws.coding() else {
            return;
        };
        Panel::left("articles")
            .resizable(true)
            .default_size(240.0)
            .show(ui, |ui| {
                let plan = d.ws.plan();
                article_list::show(ui, session, plan, &mut d.view.all_articles, d.queue);
            });
        let mut open_finder = false;
        Panel::right("claims")
            .resizable(true)
            .default_size(380.0)
            .show(ui, |ui| {
                let feedback = d.ws.feedback();
                let badge = |id: &str| feedback.and_then(|f| f.loaded.badge(id));
                claim_list::show(ui, session, &badge, d.queue);
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("inspector")
                    .show(ui, |ui| {
                        open_finder = inspector::show(ui, session, &mut d.view.focus_note, d.queue)
                            .open_speaker_finder;
                        if let Some(f) = feedback {
                            crate::ui::feedback_view::show(ui, session, f, d.queue);
                        }
                        crate::ui::team_view::training(ui, d.ws, d.queue);
                    });
            });
        if open_finder {
            d.view.modal = Modal::Speaker(SpeakerFinder::default());
        }
        egui::CentralPanel::default().show(ui, |ui| {
            recovery::panel(ui, session, d.queue);
            d.toolbar(ui, session);
            if d.view.find_open {
                d.find_bar(ui, session);
                ui.separator();
            }
            if d.view.span.open {
                d.span_selector(ui, session);
            }
            article_view::show(ui, session, &mut d.view.layout, d.queue);
        });
    }
}

impl Draw<'_> {
    fn find_bar(&mut self, ui: &mut Ui, session: &Session) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Find");
            let mut q = session.find().query.clone();
            let r = ui.add(egui::TextEdit::singleline(&mut q).hint_text("text in this article"));
            r.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Find in article")
            });
            if std::mem::take(&mut self.view.focus_find) {
                r.request_focus();
            }
            if r.changed() {
                self.queue.push(CodeCommand::SetFindQuery(q));
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let back = ui.input(|i| i.modifiers.shift);
                self.queue
                    .push(CodeCommand::FindStep(if back { -1 } else { 1 }));
                r.request_focus();
            }
            let find = session.find();
            match (find.matches.len(), find.current) {
                (0, _) if !find.query.is_empty() => {
                    ui.colored_label(ui.visuals().warn_fg_color, "no match")
                }
                (0, _) => ui.weak(""),
                (n, Some(c)) => ui.label(format!("{} of {n}", c + 1)),
                (n, None) => ui.label(format!("{n} matches")),
            };
            if ui
                .button("Previous")
                .on_hover_text("Previous match (Shift+F3)")
                .clicked()
            {
                self.queue.push(CodeCommand::FindStep(-1));
            }
            if ui.button("Next").on_hover_text("Next match (F3)").clicked() {
                self.queue.push(CodeCommand::FindStep(1));
            }
            if ui.button("Close").on_hover_text("Close (Esc)").clicked() {
                self.view.find_open = false;
            }
        });
    }

    /// Buttons for the commands a coder reaches for most, so the mouse can do it all too.
    fn toolbar(&mut self, ui: &mut Ui, session: &Session) {
        let ctx = ui.ctx().clone();
        let mut run = Vec::new();
        ui.horizontal_wrapped(|ui| {
            ui.heading(session.article().heading());
        });
        crate::ui::team_view::source_line(ui, self.ws);
        // Wrapped: a row wider than the column would stretch the panel past what is seen.
        ui.horizontal_wrapped(|ui| {
            let has_claim = session.selected_claim().is_some();
            for (c, enabled) in [
                (UiCommand::MakeClaim, true),
                (UiCommand::SpanMode, true),
                (UiCommand::ExtendUp, has_claim),
                (UiCommand::ExtendDown, has_claim),
                (UiCommand::Find, true),
            ] {
                let tip = format!("{} ({})", c.tooltip(), c.shortcut_text(&ctx));
                if ui
                    .add_enabled(enabled, egui::Button::new(c.label()))
                    .on_hover_text(tip)
                    .clicked()
                {
                    run.push(c);
                }
            }
            ui.separator();
            let done = session.document().file.status == Status::Done;
            let mut done_box = done;
            let tip = format!(
                "{} ({})",
                UiCommand::ToggleDone.tooltip(),
                UiCommand::ToggleDone.shortcut_text(&ctx)
            );
            if ui
                .checkbox(&mut done_box, "Article done")
                .on_hover_text(tip)
                .changed()
            {
                run.push(UiCommand::ToggleDone);
            }
            ui.separator();
            if ui
                .button("Shortcuts")
                .on_hover_text("Every keyboard shortcut (F1)")
                .clicked()
            {
                run.push(UiCommand::Help);
            }
        });
        ui.separator();
        for c in run {
            self.run_ui_command(c);
        }
    }

    /// Span mode's keys, applied by `span_selector` before it draws the field.
    pub(super) fn move_span(&mut self, c: UiCommand) {
        if self.view.span.open {
            self.view.span.keys.push(c);
        }
    }

    /// Span mode's keys: the caret (or, with Shift, the selection's moving end) goes a word
    /// left or right in the sentence. The selection lives in the span field's own state, so
    /// a mouse drag and the keys work on the same selection.
    fn apply_span_keys(&mut self, ctx: &egui::Context, text: &str, id: egui::Id) {
        let keys = std::mem::take(&mut self.view.span.keys);
        if keys.is_empty() {
            return;
        }
        let mut state = egui::text_edit::TextEditState::load(ctx, id).unwrap_or_default();
        let n = text.chars().count();
        let (mut anchor, mut caret) = state.cursor.char_range().map_or((0, 0), |r| {
            (r.secondary.index.0.min(n), r.primary.index.0.min(n))
        });
        for c in keys {
            let right = matches!(c, UiCommand::SpanWordRight | UiCommand::SpanExtendRight);
            caret = word_step(text, caret, right);
            if !matches!(c, UiCommand::SpanExtendLeft | UiCommand::SpanExtendRight) {
                anchor = caret;
            }
        }
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::two(
                egui::text::CCursor::new(anchor),
                egui::text::CCursor::new(caret),
            )));
        state.store(ctx, id);
    }

    fn span_selector(&mut self, ui: &mut Ui, session: &Session) {
        let i = session.cursor();
        let Some(s) = session.article().sentences.get(i as usize) else {
            return;
        };
        let base = s.range.start;
        let mut text: &str = session.article().sentence_text(i);
        ui.label(
            "Select part of the sentence: Shift+→ / Shift+← a word at a time (→ ← move), or drag; Enter makes it a claim, Esc cancels",
        );
        let id = egui::Id::unique(SPAN_FIELD);
        self.apply_span_keys(ui.ctx(), text, id);
        if std::mem::take(&mut self.view.span.focus) {
            let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::default()));
            state.store(ui.ctx(), id);
            ui.memory_mut(|m| m.request_focus(id));
        }
        let output = egui::TextEdit::multiline(&mut text)
            .id(id)
            .desired_width(f32::INFINITY)
            .desired_rows(2)
            .show(ui);
        output.response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Sentence text")
        });
        let range = output.cursor_range.map(|r| {
            let [a, b] = r.sorted_cursors();
            (char_to_byte(text, a.index.0), char_to_byte(text, b.index.0))
        });
        let commit = std::mem::take(&mut self.view.span.commit);
        ui.horizontal(|ui| {
            let ok = range.is_some_and(|(a, b)| a < b);
            let clicked = ui
                .add_enabled(ok, egui::Button::new("Make claim from selection"))
                .on_hover_text("Enter")
                .clicked();
            if (clicked || commit)
                && let Some((a, b)) = range
            {
                // An empty selection is refused by the session, which says so.
                self.queue.push(CodeCommand::MakeClaimFromSpan {
                    start: base + a,
                    end: base + b,
                });
                self.view.span.open = false;
            }
            if ui.button("Cancel").on_hover_text("Esc").clicked() {
                self.view.span.open = false;
            }
        });
        ui.separator();
    }
}

/// The span field's id: the window reads and sets its selection.
const SPAN_FIELD: &str = "span-selector";

/// The char index one word from `at` in `text`: right, to the end of the next word; left,
/// to the start of the word before (words are runs of non-space characters).
fn word_step(text: &str, at: usize, right: bool) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut i = at.min(chars.len());
    if right {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
    } else {
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
    }
    i
}

fn char_to_byte(s: &str, char_index: usize) -> usize {
    s.char_indices().nth(char_index).map_or(s.len(), |(b, _)| b)
}
