//! The Questions, Validation and Corpus tabs, and the list of dropped files that did not
//! open. Every row that points somewhere is a link: the window opens it.

use egui::{RichText, Ui};

use crate::session::Session;
use crate::session::corpus::{self, Jump};
use crate::session::feedback;
use crate::session::review::ReviewSession;
use crate::ui::review::{Desk, DeskAction};

/// Dropped paths that could not be opened, with their errors (shown on every tab).
pub fn dropped(ui: &mut Ui, desk: &mut Desk) {
    if desk.dropped_errors.is_empty() {
        return;
    }
    ui.colored_label(
        ui.visuals().error_fg_color,
        "Some files could not be opened for review:",
    );
    for (path, error) in &desk.dropped_errors {
        ui.label(format!("{}: {error}", path.display()));
    }
    if ui.button("Dismiss").clicked() {
        desk.dropped_errors.clear();
    }
    ui.separator();
}

/// The Questions tab: every question asked on the article, with the claim it is about (as
/// the coder coded it) and an answer field under each.
pub fn questions(ui: &mut Ui, desk: &mut Desk, session: &Session, review: &ReviewSession) {
    let root = session.project().root.clone();
    let article = session.article().id.clone();
    let (threads, errors) = desk
        .questions
        .get_or_insert_with(|| feedback::questions_of_article(&root, &article))
        .clone();
    for e in &errors {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    if threads.is_empty() {
        ui.weak("No questions from coders on this article.");
        return;
    }
    let mut reload = false;
    for q in &threads {
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
                let key = (q.coder.clone(), q.index);
                let text = desk.answers.entry(key.clone()).or_default();
                let name = format!("Answer {}'s question on {}", q.coder, q.thread.claim);
                let r = ui.add(egui::TextEdit::singleline(text).desired_width(320.0));
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &name));
                if ui.button(format!("Send answer to {}", q.coder)).clicked() {
                    match feedback::answer(
                        &root,
                        &article,
                        &q.coder,
                        q.index,
                        session.annotator(),
                        text,
                    ) {
                        Ok(()) => {
                            text.clear();
                            reload = true;
                        }
                        Err(e) => desk.message = Some(e),
                    }
                }
            });
        });
    }
    if reload {
        desk.questions = None;
    }
    if let Some(m) = &desk.message {
        ui.colored_label(ui.visuals().error_fg_color, m);
    }
}

/// The Validation tab: merge conflicts first (they need an editor), then every finding.
pub fn validation(ui: &mut Ui, desk: &mut Desk, session: &Session) -> Option<DeskAction> {
    let root = session.project().root.clone();
    let mut action = None;
    load_overview(desk, session);
    if ui.button("Check again").clicked() {
        desk.invalidate();
        load_overview(desk, session);
    }
    let findings = desk
        .findings
        .get_or_insert_with(|| corpus::findings(&root))
        .clone();
    ui.label(RichText::new(format!("Merge conflicts ({})", desk.conflicts.len())).strong());
    if desk.conflicts.is_empty() {
        ui.weak("No merge conflict markers in any annotation file.");
    }
    for c in &desk.conflicts {
        let text = format!(
            "{} / {}.ron: {}",
            c.jump.article,
            c.jump.annotator.as_deref().unwrap_or(""),
            c.conflict
        );
        if ui.link(text).clicked() {
            action = Some(DeskAction::Jump(c.jump.clone()));
        }
    }
    ui.separator();
    ui.label(RichText::new(format!("Findings of stance check ({})", findings.len())).strong());
    if findings.is_empty() {
        ui.weak("stance check finds nothing to report.");
    }
    egui::ScrollArea::vertical()
        .id_salt("findings")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (f, jump) in &findings {
                let rel = f.path.strip_prefix(&root).unwrap_or(&f.path);
                let text = format!("{}:{}: {}: {}", rel.display(), f.pos, f.severity, f.message);
                match jump {
                    Some(j) => {
                        if ui.link(text).clicked() {
                            action = Some(DeskAction::Jump(j.clone()));
                        }
                    }
                    None => {
                        ui.label(text);
                    }
                }
            }
        });
    action
}

fn load_overview(desk: &mut Desk, session: &Session) {
    if desk.overview.is_none() {
        let rows = corpus::overview(session.project());
        desk.conflicts = corpus::conflicts(&rows);
        desk.overview = Some(rows);
    }
}

/// The Corpus tab: one row per article and annotator.
pub fn overview(ui: &mut Ui, desk: &mut Desk, session: &Session) -> Option<DeskAction> {
    let mut action = None;
    load_overview(desk, session);
    if ui.button("Reload").clicked() {
        desk.invalidate();
        load_overview(desk, session);
    }
    let rows = desk.overview.clone().unwrap_or_default();
    ui.label(format!(
        "{} files over {} articles",
        rows.len(),
        session.project().articles.len()
    ));
    egui::ScrollArea::vertical()
        .id_salt("corpus")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("corpus-grid")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for h in [
                        "Article",
                        "Annotator",
                        "Claims",
                        "Status",
                        "Last edit",
                        "Conflicts",
                    ] {
                        ui.label(RichText::new(h).strong());
                    }
                    ui.end_row();
                    for r in &rows {
                        let open = format!("Open {} / {}", r.article, r.annotator);
                        let link = ui.link(&r.article);
                        link.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Link, true, &open)
                        });
                        if link.clicked() {
                            action = Some(DeskAction::Jump(Jump {
                                article: r.article.clone(),
                                annotator: Some(r.annotator.clone()),
                                claim: None,
                            }));
                        }
                        ui.label(&r.annotator);
                        let claims = r.claims.map_or_else(|| "-".to_owned(), |n| n.to_string());
                        ui.label(format!("{claims} claims"));
                        let status = ui.label(&r.status);
                        if let Some(e) = &r.error {
                            status.on_hover_text(e);
                        }
                        ui.label(&r.modified);
                        ui.label(r.conflicts.len().to_string());
                        ui.end_row();
                    }
                });
        });
    action
}
