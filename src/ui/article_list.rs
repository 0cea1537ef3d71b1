//! The article list: titles, claim counts, status, and progress across the corpus.

use egui::Ui;

use crate::core::model::annotation::Status;
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
    // Only the rows in view are laid out (a 2,000-article corpus cost 7 ms a frame when every
    // row was). Rows are one line high: a selectable button with a truncated title.
    let row_height =
        ui.spacing().interact_size.y.max(
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y,
        );
    let step = row_height + ui.spacing().item_spacing.y;
    let current = session.article_index();
    // The list follows the open article (Ctrl+PageDown, the queue, a jump): when it changed
    // and its row is out of the rows last shown, the list scrolls to put it in view.
    let memory = ui.scope_id().with("article_list_follow");
    let (last, shown): (Option<usize>, (usize, usize)) =
        ui.data(|d| d.get_temp(memory)).unwrap_or((None, (0, 0)));
    let mut area = egui::ScrollArea::vertical().id_salt("articles");
    if last != Some(current) && !(shown.0..shown.1).contains(&current) {
        let rows_in_view = ((shown.1 - shown.0).max(1)) as f32;
        let top = (current as f32 - rows_in_view / 2.0).max(0.0);
        area = area.vertical_scroll_offset(top * step);
    }
    let summaries = session.summaries();
    let articles = &session.project().articles;
    let visible = area
        .show_rows(ui, row_height, total, |ui, rows| {
            for i in rows.clone() {
                let (Some(article), Some(summary)) = (articles.get(i), summaries.get(i)) else {
                    continue;
                };
                let (word, color) = match (summary.status, &summary.error) {
                    (_, Some(_)) => ("cannot be read", ui.visuals().error_fg_color),
                    (Some(Status::Done), _) => ("done", egui::Color32::from_rgb(46, 125, 50)),
                    (Some(Status::InProgress), _) => {
                        ("in progress", egui::Color32::from_rgb(239, 108, 0))
                    }
                    (None, _) => ("not started", ui.visuals().weak_text_color()),
                };
                let selected = i == current;
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
            (rows.start, rows.end)
        })
        .inner;
    ui.data_mut(|d| d.insert_temp(memory, (Some(current), visible)));
}
