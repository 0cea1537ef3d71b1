//! Below the inspector, for the coder: what editors said about the selected claim (verdict,
//! comment, editor, time), the coder's questions with their answers, and "Ask the editor".

use egui::{RichText, Ui};

use crate::session::Session;
use crate::session::feedback::CoderFeedback;

/// The coder's feedback, cached per article and coder (the files are read when the article,
/// the coder or the mode changes, not every frame).
#[derive(Default)]
pub struct FeedbackState {
    /// What was loaded.
    pub loaded: Option<CoderFeedback>,
    /// The question being typed.
    pub question: String,
    /// Why the last question could not be saved, or that it was.
    pub message: Option<String>,
}

impl FeedbackState {
    /// The feedback for the session's article and coder, reading the files if it is not the
    /// one loaded.
    pub fn current(&mut self, session: &Session) -> &CoderFeedback {
        let article = &session.article().id;
        let stale = self
            .loaded
            .as_ref()
            .is_none_or(|f| f.article != *article || f.coder != session.annotator());
        if stale {
            self.loaded = Some(CoderFeedback::load(
                &session.project().root,
                article,
                session.annotator(),
            ));
        }
        self.loaded.get_or_insert_with(CoderFeedback::default)
    }

    /// Forgets the loaded feedback so it is read again (after review mode).
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }
}

/// Draws the feedback on the selected claim.
pub fn show(ui: &mut Ui, session: &Session, state: &mut FeedbackState) {
    let Some(claim) = session.selected_claim() else {
        return;
    };
    let id = claim.id.clone();
    let fb = state.current(session);
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
    ui.horizontal(|ui| {
        let label = ui.label("Ask the editor");
        ui.add(
            egui::TextEdit::singleline(&mut state.question)
                .hint_text("a question about this claim")
                .desired_width(200.0),
        )
        .labelled_by(label.id);
        if ui.button("Send question").clicked() {
            let article = session.article().reference();
            let root = session.project().root.clone();
            let result = state
                .loaded
                .as_mut()
                .map_or(Ok(()), |f| f.ask(&root, &article, &id, &state.question));
            match result {
                Ok(()) => {
                    state.question.clear();
                    state.message = Some("Question saved for the editors.".to_owned());
                }
                Err(e) => state.message = Some(e),
            }
        }
    });
    if let Some(m) = &state.message {
        ui.weak(m);
    }
}
