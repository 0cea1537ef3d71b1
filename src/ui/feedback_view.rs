//! Below the inspector, for the coder: what editors said about the selected claim (verdict,
//! comment, editor, time), the coder's questions with their answers, and "Ask the editor".
//! The feedback is the workspace's, read when the article or the coder changes.

use egui::{RichText, Ui};

use crate::session::workspace::Feedback;
use crate::session::{QuestionCommand, Session};
use crate::ui::Queue;

/// Draws the feedback on the selected claim.
pub fn show(ui: &mut Ui, session: &Session, feedback: &Feedback, queue: &mut Queue) {
    let Some(claim) = session.selected_claim() else {
        return;
    };
    let id = claim.id.clone();
    let fb = &feedback.loaded;
    ui.separator();
    ui.label(RichText::new("Editors").strong());
    for e in &fb.errors {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let verdicts = fb.verdicts_on(&id);
    if verdicts.is_empty() {
        ui.weak("No verdict on this claim yet.");
    }
    for (editor, v) in verdicts {
        let comment = if v.comment.is_empty() {
            String::new()
        } else {
            format!(": {}", v.comment)
        };
        ui.label(format!(
            "Verdict: {} by {editor} at {}{comment}",
            v.verdict,
            v.time.format("%Y-%m-%d %H:%M")
        ));
    }
    for t in fb.threads_on(&id) {
        for m in &t.messages {
            ui.label(format!(
                "{} at {}: {}",
                m.who,
                m.time.format("%Y-%m-%d %H:%M"),
                m.text
            ));
        }
    }
    // One row as wide as the column: the field takes what the label and the button leave.
    // A fixed-width field here made the claims panel wider than its default the first time a
    // claim was selected, which re-wrapped the whole article beside it.
    ui.horizontal(|ui| {
        let label = ui.label("Ask the editor");
        let send = egui::WidgetText::from("Send question").into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Button,
        );
        let spacing = ui.spacing();
        let button = send.size().x + 2.0 * spacing.button_padding.x + spacing.item_spacing.x;
        let mut draft = feedback.draft.clone();
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut draft)
                    .hint_text("a question about this claim")
                    .desired_width((ui.available_width() - button).max(60.0)),
            )
            .labelled_by(label.id);
        if field.changed() {
            queue.push(QuestionCommand::EditQuestion(draft));
        }
        if ui.button(send).clicked() {
            queue.push(QuestionCommand::Ask { claim: id });
        }
    });
    if let Some(m) = &feedback.message {
        ui.weak(m);
    }
}
