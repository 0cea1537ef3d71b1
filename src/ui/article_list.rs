//! The article list: titles, claim counts, status, and progress across the corpus. With a team
//! plan it is the coder's queue: their articles in the plan's order (training, the
//! reliability sample, their own), each marked with its role, and "Mine / All" to see the
//! articles that are not theirs too.

use egui::Ui;

use crate::core::model::annotation::Status;
use crate::core::team::plan::Role;
use crate::session::plan::PlanView;
use crate::session::{CodeCommand, PlanCommand, Session};
use crate::ui::Queue;

/// The heading, the progress bar (with a plan: of the coder's own articles), and with a plan
/// "Next in my queue" and "Mine / All".
fn header(
    ui: &mut Ui,
    session: &Session,
    queue: Option<&PlanView>,
    all: &mut bool,
    out: &mut Queue,
) {
    let summaries = session.summaries();
    ui.heading("Articles");
    let (done, total) = match queue {
        Some(v) => (
            v.mine
                .iter()
                .filter(|&&i| {
                    summaries
                        .get(i)
                        .is_some_and(|s| s.status == Some(Status::Done))
                })
                .count(),
            v.mine.len(),
        ),
        None => (session.done_count(), session.project().articles.len()),
    };
    let what = if queue.is_some() { " of mine" } else { "" };
    ui.add(
        egui::ProgressBar::new(if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        })
        .text(format!("{done} of {total}{what} done")),
    )
    .on_hover_text(if queue.is_some() {
        "Your articles in the plan that you have marked done (Ctrl+D)"
    } else {
        "Articles you have marked done (Ctrl+D)"
    });
    if queue.is_some() {
        ui.horizontal(|ui| {
            if ui
                .button("Next in my queue")
                .on_hover_text(
                    "Your next article in the plan's order: one in progress, else the first not started",
                )
                .clicked()
            {
                out.push(PlanCommand::OpenNext);
            }
            ui.radio_value(all, false, "Mine")
                .on_hover_text("Only your articles, in the order the plan offers them");
            ui.radio_value(all, true, "All")
                .on_hover_text("Every article, yours marked with their role");
        });
    }
}

/// Draws the list; a click opens the article. `all`: with a plan, every article is listed,
/// not only the coder's.
pub fn show(
    ui: &mut Ui,
    session: &Session,
    plan: Option<&PlanView>,
    all: &mut bool,
    out: &mut Queue,
) {
    let articles = &session.project().articles;
    let summaries = session.summaries();
    // With a plan in which this annotator codes, the list is their queue.
    let queue = plan.filter(|v| !v.mine.is_empty());
    header(ui, session, queue, all, out);
    ui.separator();
    // The rows shown, as indexes into the project's articles.
    let rows: Vec<usize> = match queue {
        Some(v) if !*all => v.mine.clone(),
        _ => (0..articles.len()).collect(),
    };
    // Only the rows in view are laid out (a 2,000-article corpus cost 7 ms a frame when every
    // row was). Rows are one line high: a selectable button with a truncated title.
    let row_height =
        ui.spacing().interact_size.y.max(
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y,
        );
    let step = row_height + ui.spacing().item_spacing.y;
    let current = session.article_index();
    let current_row = rows.iter().position(|&i| i == current);
    // The list follows the open article (Ctrl+PageDown, the queue, a jump): when it changed
    // and its row is out of the rows last shown, the list scrolls to put it in view.
    let memory = ui.scope_id().with("article_list_follow");
    let (last, shown): (Option<usize>, (usize, usize)) =
        ui.data(|d| d.get_temp(memory)).unwrap_or((None, (0, 0)));
    let mut area = egui::ScrollArea::vertical().id_salt("articles");
    if let Some(row) = current_row
        && last != Some(current)
        && !(shown.0..shown.1).contains(&row)
    {
        let rows_in_view = ((shown.1 - shown.0).max(1)) as f32;
        let top = (row as f32 - rows_in_view / 2.0).max(0.0);
        area = area.vertical_scroll_offset(top * step);
    }
    let visible = area
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for &i in &rows[range.clone()] {
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
                let (tag, weak) = plan.map_or((None, false), |v| plan_tag(v, i, &article.id));
                let selected = i == current;
                let r = ui
                    .horizontal(|ui| {
                        // A coloured dot for the status: faster to scan than words.
                        let (dot, _) =
                            ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                        ui.painter().circle_filled(dot.center(), 4.0, color);
                        // The role first, small: a truncated title must not hide it. A
                        // coder's own articles need no word.
                        if let Some(t) = tag.as_deref().filter(|t| *t != "mine") {
                            ui.label(egui::RichText::new(t).small().weak());
                        }
                        let text = format!("{}  ({})", article.heading(), summary.claims);
                        let text = if weak {
                            egui::RichText::new(text).weak()
                        } else {
                            egui::RichText::new(text)
                        };
                        ui.add(egui::Button::selectable(selected, text).truncate())
                    })
                    .inner;
                let mut label = format!("{}, {word}, {} claims", article.heading(), summary.claims);
                if let Some(t) = &tag {
                    label.push_str(", ");
                    label.push_str(t);
                }
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                let r = r.on_hover_text(match &summary.error {
                    Some(e) => format!("{}\n{e}", article.id),
                    None => format!("{}\n{} claims, {word}", article.id, summary.claims),
                });
                if r.clicked() {
                    out.push(CodeCommand::OpenArticle(i));
                }
            }
            (range.start, range.end)
        })
        .inner;
    ui.data_mut(|d| d.insert_temp(memory, (Some(current), visible)));
}

/// The article's place in the plan as the list shows it, and whether the row is dimmed. A
/// coder sees their role ("training", "sample", "mine") or "not mine" (dimmed); anyone else
/// (an editor) sees who codes it: "training", "sample", "amira's", or "not assigned".
fn plan_tag(v: &PlanView, i: usize, id: &str) -> (Option<String>, bool) {
    if v.plan.is_coder(&v.viewer) {
        return match v.roles.get(i).copied().flatten() {
            Some(Role::Assigned) => (Some("mine".to_owned()), false),
            Some(r) => (Some(r.word().to_owned()), false),
            None => (Some("not mine".to_owned()), true),
        };
    }
    let tag = if v.plan.is_training(id) {
        "training".to_owned()
    } else if v.plan.in_sample(id) {
        "sample".to_owned()
    } else if let Some(owner) = v.plan.owner_of(id) {
        format!("{owner}'s")
    } else {
        "not assigned".to_owned()
    };
    (Some(tag), false)
}
