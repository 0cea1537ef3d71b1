//! The article list: titles, claim counts, status, and progress across the corpus.

use egui::Ui;

use crate::core::annotation::Status;
use crate::session::{Command, Session};

/// Draws the list; a click opens the article.
pub fn show(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    let total = session.project().articles.len();
    let done = session.done_count();
    ui.heading("Articles");
    ui.add(
        egui::ProgressBar::new(if total == 0 { 0.0 } else { done as f32 / total as f32 })
            .text(format!("{done} of {total} done")),
    )
    .on_hover_text("Articles you have marked done (Ctrl+D)");
    ui.separator();
    egui::ScrollArea::vertical().id_salt("articles").show(ui, |ui| {
        for (i, (article, summary)) in session
            .project()
            .articles
            .iter()
            .zip(session.summaries())
            .enumerate()
        {
            let status = match (summary.status, &summary.error) {
                (_, Some(_)) => "⚠",
                (Some(Status::Done), _) => "✔",
                (Some(Status::InProgress), _) => "✏",
                (None, _) => "○",
            };
            let text = format!("{status} {}  ({})", article.title, summary.claims);
            let selected = i == session.article_index();
            let r = ui
                .add(egui::Button::selectable(selected, text).truncate())
                .on_hover_text(match &summary.error {
                    Some(e) => format!("{}\n{e}", article.id),
                    None => format!(
                        "{}\n{} claims · {}",
                        article.id,
                        summary.claims,
                        match summary.status {
                            Some(Status::Done) => "done",
                            Some(Status::InProgress) => "in progress",
                            None => "not started",
                        }
                    ),
                });
            if r.clicked() {
                out.push(Command::OpenArticle(i));
            }
        }
    });
}
