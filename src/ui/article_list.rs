//! The article list: titles, claim counts, status, and progress across the corpus.

use egui::Ui;

use crate::core::annotation::Status;
use crate::session::{CodeCommand, Session};
use crate::ui::Queue;

/// Draws the list; a click opens the article.
pub fn show(ui: &mut Ui, session: &Session, out: &mut Queue) {
    let total = session.project().articles.len();
    let done = session.done_count();
    ui.heading("Articles");
    ui.add(
        egui::ProgressBar::new(if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        })
        .text(format!("{done} of {total} done")),
    )
    .on_hover_text("Articles you have marked done (Ctrl+D)");
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("articles")
        .show(ui, |ui| {
            for (i, (article, summary)) in session
                .project()
                .articles
                .iter()
                .zip(session.summaries())
                .enumerate()
            {
                let (word, color) = match (summary.status, &summary.error) {
                    (_, Some(_)) => ("cannot be read", ui.visuals().error_fg_color),
                    (Some(Status::Done), _) => ("done", egui::Color32::from_rgb(46, 125, 50)),
                    (Some(Status::InProgress), _) => {
                        ("in progress", egui::Color32::from_rgb(239, 108, 0))
                    }
                    (None, _) => ("not started", ui.visuals().weak_text_color()),
                };
                let selected = i == session.article_index();
                let r = ui
                    .horizontal(|ui| {
                        // A coloured dot for the status: faster to scan than words.
                        let (dot, _) =
                            ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                        ui.painter().circle_filled(dot.center(), 4.0, color);
                        ui.add(
                            egui::Button::selectable(
                                selected,
                                format!("{}  ({})", article.heading(), summary.claims),
                            )
                            .truncate(),
                        )
                    })
                    .inner;
                let label = format!("{}, {word}, {} claims", article.heading(), summary.claims);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                let r = r.on_hover_text(match &summary.error {
                    Some(e) => format!("{}\n{e}", article.id),
                    None => format!("{}\n{} claims, {word}", article.id, summary.claims),
                });
                if r.clicked() {
                    out.push(CodeCommand::OpenArticle(i));
                }
            }
        });
}
