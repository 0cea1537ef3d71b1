//! Review mode: every annotator's claims on the article side by side, grouped where they cover
//! the same sentences, with what differs, and accept / reject / needs-change per claim.

use egui::{RichText, Ui};

use crate::core::compare::review::Verdict;
use crate::session::review::ReviewSession;
use crate::session::{CodeCommand, NavigateCommand, Place, ReviewCommand, Session, Workspace};
use crate::ui::Queue;
use crate::ui::app::ReviewView;

/// Draws the review of the session's article.
#[allow(clippy::too_many_lines)] // one pass down the claim groups, as on screen
pub fn show(
    ui: &mut Ui,
    ws: &Workspace,
    session: &Session,
    review: &ReviewSession,
    view: &mut ReviewView,
    queue: &mut Queue,
) {
    let focus = ws.focus().sentence;
    let view_scrolled = view.scrolled;
    let mut scrolled_now = None;
    let unfolded = &mut view.unfolded;
    let annotators: Vec<String> = review
        .alignment
        .annotators()
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    ui.horizontal(|ui| {
        ui.heading(format!("Review: {}", session.article().heading()));
    });
    // With one coder there is nothing to compare: no group "agrees" or differs.
    let one_coder = annotators.len() == 1;
    let comparison = if one_coder {
        format!(
            "{} claims, only one coder: nothing to compare",
            review.alignment.groups.len()
        )
    } else {
        format!(
            "{} claim groups, {} with differences",
            review.alignment.groups.len(),
            review.alignment.disputed()
        )
    };
    ui.label(format!(
        "Reviewing as {} · annotators: {} · {comparison} · verdicts go to {}",
        review.review.editor,
        if annotators.is_empty() {
            "none yet".to_owned()
        } else {
            annotators.join(", ")
        },
        review
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
    ));
    if let Some(e) = &review.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    ui.separator();
    let groups = &review.alignment.groups;
    egui::ScrollArea::vertical()
        .id_salt("review")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for g in groups {
                let focused = focus.is_some_and(|(s, _)| g.first <= s && s <= g.last);
                let mut frame = egui::Frame::group(ui.style());
                if focused {
                    // The sentence the editor came here for (from a disagreement).
                    frame = frame.stroke(egui::Stroke::new(2.0, ui.visuals().warn_fg_color));
                }
                let shown = frame.show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        if ui
                            .link(if g.first == g.last {
                                format!("s{}", g.first + 1)
                            } else {
                                format!("s{}–s{}", g.first + 1, g.last + 1)
                            })
                            .on_hover_text("Open in the coding view")
                            .clicked()
                        {
                            // The coding view, on that sentence.
                            queue.push(CodeCommand::SetCursor(g.first));
                            queue.push(NavigateCommand::Show(Place::Coding));
                        }
                        if one_coder {
                            ui.weak("only one coder");
                        } else if g.agrees() {
                            ui.weak(g.summary());
                        } else {
                            ui.colored_label(ui.visuals().warn_fg_color, g.summary());
                        }
                    });
                    quote(ui, session, g, unfolded);
                    for (annotator, claim) in &g.claims {
                        ui.horizontal_wrapped(|ui| {
                            let stances: Vec<String> = claim
                                .stances
                                .iter()
                                .map(|(t, s)| format!("{t}: {s}"))
                                .collect();
                            let speaker = claim
                                .speaker
                                .as_ref()
                                .map_or("no speaker", |s| session.speaker_name(s));
                            ui.label(RichText::new(annotator).strong());
                            ui.label(format!(
                                "{speaker} · {} · {}",
                                if stances.is_empty() {
                                    "no stance".to_owned()
                                } else {
                                    stances.join(", ")
                                },
                                claim.source.as_deref().unwrap_or("no source"),
                            ));
                            let current = review
                                .review
                                .review_of(annotator, &claim.id)
                                .map(|r| r.verdict);
                            let mut comment = ws.comment(annotator, &claim.id);
                            for (v, name) in [
                                (Verdict::Accept, "Accept"),
                                (Verdict::Reject, "Reject"),
                                (Verdict::NeedsChange, "Needs change"),
                            ] {
                                let on = current == Some(v);
                                let r = ui.add(egui::Button::selectable(on, name));
                                let label =
                                    format!("{name} {annotator}'s claim on s{}", g.first + 1);
                                r.widget_info(|| {
                                    egui::WidgetInfo::selected(egui::Role::Button, true, on, &label)
                                });
                                if r.clicked() {
                                    queue.push(ReviewCommand::SetVerdict {
                                        annotator: annotator.clone(),
                                        claim: claim.id.clone(),
                                        verdict: if on { None } else { Some(v) },
                                    });
                                }
                            }
                            let field = ui.add(
                                egui::TextEdit::singleline(&mut comment)
                                    .hint_text("comment")
                                    .desired_width(220.0),
                            );
                            let label =
                                format!("Comment on {annotator}'s claim on s{}", g.first + 1);
                            field.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::TextInput, true, &label)
                            });
                            if field.changed() {
                                queue.push(ReviewCommand::EditComment {
                                    annotator: annotator.clone(),
                                    claim: claim.id.clone(),
                                    text: comment,
                                });
                            }
                            if field.lost_focus() && current.is_some() {
                                queue.push(ReviewCommand::CommitComment {
                                    annotator: annotator.clone(),
                                    claim: claim.id.clone(),
                                });
                            }
                        });
                        if let Some(was) = &claim.anchor.was {
                            // Re-anchored to other text: the coding was done on the old one.
                            ui.add(
                                egui::Label::new(
                                    RichText::new(format!(
                                        "{annotator}'s claim was coded on: “{was}” / now on: “{}”",
                                        claim.anchor.quote
                                    ))
                                    .weak(),
                                )
                                .wrap(),
                            );
                        }
                    }
                });
                // Scrolled to once per jump, then the editor scrolls freely.
                if focused
                    && let Some((_, generation)) = focus
                    && generation != view_scrolled
                {
                    shown.response.scroll_to_me(Some(egui::Align::Center));
                    scrolled_now = Some(generation);
                }
            }
        });
    if let Some(g) = scrolled_now {
        view.scrolled = g;
    }
}

/// Lines of a long quote shown while it is folded.
const FOLDED_LINES: usize = 3;

/// The text the group's claims cover, whole: from the first claim's start to the last one's
/// end, across sentences. Longer than [`FOLDED_LINES`] it is folded, and a click on it (or
/// on "Show all") unfolds it.
fn quote(
    ui: &mut Ui,
    session: &Session,
    g: &crate::core::compare::review::ClaimGroup,
    unfolded: &mut std::collections::HashSet<u32>,
) {
    let text = &session.article().text;
    let start = g.claims.values().map(|c| c.anchor.start).min().unwrap_or(0);
    let end = g.claims.values().map(|c| c.anchor.end).max().unwrap_or(0);
    let quote = text.get(start..end).unwrap_or_default().trim();
    let open = unfolded.contains(&g.first);
    let mut job = egui::text::LayoutJob::single_section(
        quote.to_owned(),
        egui::TextFormat {
            font_id: egui::TextStyle::Body.resolve(ui.style()),
            color: ui.visuals().text_color(),
            italics: true,
            ..Default::default()
        },
    );
    job.wrap.max_width = ui.available_width();
    let rows = ui.fonts_mut(|f| f.layout_job(job.clone())).rows.len();
    let long = rows > FOLDED_LINES;
    if long && !open {
        job.wrap.max_rows = FOLDED_LINES;
    }
    let sense = if long {
        egui::Sense::click()
    } else {
        egui::Sense::hover()
    };
    let r = ui.add(egui::Label::new(job).sense(sense));
    if long {
        let tip = if open {
            "Click to fold"
        } else {
            "Click to show it all"
        };
        let r = r.on_hover_text(tip);
        let toggle = ui
            .link(if open {
                "Fold".to_owned()
            } else {
                format!("Show all ({rows} lines)")
            })
            .clicked();
        if r.clicked() || toggle {
            if open {
                unfolded.remove(&g.first);
            } else {
                unfolded.insert(g.first);
            }
        }
    }
}
