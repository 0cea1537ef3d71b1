//! The Questions, Validation and Corpus tabs, and the list of dropped files that did not
//! open. Every row that points somewhere is a link: the workspace opens it.

use egui::{RichText, Ui};

use crate::session::corpus::Jump;
use crate::session::review::ReviewSession;
use crate::session::{NavigateCommand, ProjectCommand, QuestionCommand, Session, Workspace};
use crate::ui::Queue;

/// Dropped paths that could not be opened, with their errors (shown on every tab).
pub fn dropped(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) {
    let errors = ws.dropped_errors();
    if errors.is_empty() {
        return;
    }
    ui.colored_label(
        ui.visuals().error_fg_color,
        "Some files could not be opened for review:",
    );
    for (path, error) in errors {
        ui.label(format!("{}: {error}", path.display()));
    }
    if ui.button("Dismiss").clicked() {
        queue.push(NavigateCommand::DismissDropErrors);
    }
    ui.separator();
}

/// The Questions tab: every question asked on the article, with the claim it is about (as
/// the coder coded it) and an answer field under each.
pub fn questions(ui: &mut Ui, ws: &Workspace, review: &ReviewSession, queue: &mut Queue) {
    let Some(questions) = ws.questions() else {
        return;
    };
    for e in &questions.errors {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    if questions.threads.is_empty() {
        ui.weak("No questions from coders on this article.");
        return;
    }
    for q in &questions.threads {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let state = if q.thread.is_answered() {
                "answered"
            } else {
                "open"
            };
            ui.label(
                RichText::new(format!("{}'s claim {} ({state})", q.coder, q.thread.claim)).strong(),
            );
            let claim = review
                .alignment
                .files
                .iter()
                .filter(|f| f.annotator == q.coder)
                .flat_map(|f| f.claims.iter())
                .find(|c| c.id == q.thread.claim);
            match claim {
                Some(c) => ui.label(
                    RichText::new(format!("s{}: {}", c.anchor.first + 1, c.anchor.quote)).italics(),
                ),
                None => ui.weak("(the claim is no longer in the coder's file)"),
            };
            for m in &q.thread.messages {
                ui.label(format!(
                    "{} at {}: {}",
                    m.who,
                    m.time.format("%Y-%m-%d %H:%M"),
                    m.text
                ));
            }
            ui.horizontal(|ui| {
                let mut text = ws.answer_draft(&q.coder, q.index).to_owned();
                let name = format!("Answer {}'s question on {}", q.coder, q.thread.claim);
                let r = ui.add(egui::TextEdit::singleline(&mut text).desired_width(320.0));
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &name));
                if r.changed() {
                    queue.push(QuestionCommand::EditAnswer {
                        coder: q.coder.clone(),
                        index: q.index,
                        text,
                    });
                }
                if ui.button(format!("Send answer to {}", q.coder)).clicked() {
                    queue.push(QuestionCommand::Answer {
                        coder: q.coder.clone(),
                        index: q.index,
                    });
                }
            });
        });
    }
    if let Some(m) = ws.project_tabs_message() {
        ui.colored_label(ui.visuals().error_fg_color, m);
    }
}

/// The Validation tab: merge conflicts first (they need an editor), then every finding.
pub fn validation(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) {
    let Some(root) = ws.coding().map(|s| s.project().root.clone()) else {
        return;
    };
    if ui.button("Check again").clicked() {
        queue.push(ProjectCommand::CheckProject);
        queue.push(ProjectCommand::LoadOverview);
    }
    if ws.loading_project_tabs() {
        busy(ui, ws, queue);
    }
    let conflicts = ws.conflicts();
    ui.label(RichText::new(format!("Merge conflicts ({})", conflicts.len())).strong());
    if conflicts.is_empty() && ws.overview().is_some() {
        ui.weak("No merge conflict markers in any annotation file.");
    }
    for c in conflicts {
        let text = format!(
            "{} / {}.ron: {}",
            c.jump.article,
            c.jump.annotator.as_deref().unwrap_or(""),
            c.conflict
        );
        if ui.link(text).clicked() {
            queue.push(NavigateCommand::Jump(c.jump.clone()));
        }
    }
    ui.separator();
    let Some(findings) = ws.findings() else {
        return;
    };
    ui.label(RichText::new(format!("Findings of stance check ({})", findings.len())).strong());
    if findings.is_empty() {
        ui.weak("stance check finds nothing to report.");
    }
    egui::ScrollArea::vertical()
        .id_salt("findings")
        .auto_shrink([false, false])
        .show_rows(ui, row_height(ui), findings.len(), |ui, rows| {
            for (f, jump) in &findings[rows] {
                let rel = f.path.strip_prefix(&root).unwrap_or(&f.path);
                let text = format!("{}:{}: {}: {}", rel.display(), f.pos, f.severity, f.message);
                match jump {
                    Some(j) => {
                        if ui.link(text).clicked() {
                            queue.push(NavigateCommand::Jump(j.clone()));
                        }
                    }
                    None => {
                        ui.label(text);
                    }
                }
            }
        });
}

/// The height of one text row: long lists draw only the rows in view.
fn row_height(ui: &Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y
}

/// The jobs reading the project for these tabs, with their progress and Cancel.
fn busy(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) {
    for job in ws.jobs() {
        if job.label.starts_with("Reading") || job.label.starts_with("Checking") {
            crate::ui::app::job_row(ui, &job, queue);
        }
    }
}

/// The Corpus tab: one row per article and annotator.
pub fn overview(ui: &mut Ui, ws: &Workspace, session: &Session, queue: &mut Queue) {
    crate::ui::team_view::progress(ui, ws, queue);
    if ui.button("Reload").clicked() {
        queue.push(ProjectCommand::LoadOverview);
    }
    if ws.loading_project_tabs() {
        busy(ui, ws, queue);
    }
    let Some(rows) = ws.overview() else {
        return;
    };
    ui.label(format!(
        "{} files over {} articles",
        rows.len(),
        session.project().articles.len()
    ));
    let widths = [220.0, 110.0, 90.0, 100.0, 170.0, 70.0];
    let header = |ui: &mut Ui| {
        ui.horizontal(|ui| {
            for (h, w) in [
                "Article",
                "Annotator",
                "Claims",
                "Status",
                "Last edit",
                "Conflicts",
            ]
            .into_iter()
            .zip(widths)
            {
                cell(ui, w, |ui| {
                    ui.label(RichText::new(h).strong());
                });
            }
        });
    };
    header(ui);
    // Only the rows in view are drawn: a big corpus has ten thousand files.
    let height = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical()
        .id_salt("corpus")
        .auto_shrink([false, false])
        .show_rows(ui, height, rows.len(), |ui, range| {
            for r in &rows[range] {
                ui.horizontal(|ui| {
                    cell(ui, widths[0], |ui| {
                        let open = format!("Open {} / {}", r.article, r.annotator);
                        let link = ui.link(&r.article);
                        link.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Link, true, &open)
                        });
                        if link.clicked() {
                            queue.push(NavigateCommand::Jump(Jump {
                                article: r.article.clone(),
                                annotator: Some(r.annotator.clone()),
                                claim: None,
                            }));
                        }
                    });
                    cell(ui, widths[1], |ui| {
                        ui.label(&r.annotator);
                    });
                    let claims = r.claims.map_or_else(|| "-".to_owned(), |n| n.to_string());
                    cell(ui, widths[2], |ui| {
                        ui.label(format!("{claims} claims"));
                    });
                    cell(ui, widths[3], |ui| {
                        let status = ui.label(&r.status);
                        if let Some(e) = &r.error {
                            status.on_hover_text(e);
                        }
                    });
                    cell(ui, widths[4], |ui| {
                        ui.label(&r.modified);
                    });
                    cell(ui, widths[5], |ui| {
                        ui.label(r.conflicts.len().to_string());
                    });
                });
            }
        });
}

/// A fixed-width cell of a table row, so columns line up without a grid measuring every row.
fn cell(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, ui.spacing().interact_size.y),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.set_max_width(width);
            add(ui);
        },
    );
}
