//! The claim list beside the article: filters on top, then claims in text order.

use egui::Ui;

use crate::core::model::annotation::Claim;
use crate::session::{ClaimFilter, CodeCommand, Session};
use crate::ui::Queue;
use crate::ui::colors;

/// Height of one row (two lines of text and padding); fixed so the list can be virtualised.
const ROW_HEIGHT: f32 = 40.0;

/// Draws filters and the list; a click selects the claim (and scrolls the text to it).
/// `badge` gives a claim's editor verdict badge (`[accepted]`…), shown before its quote.
pub fn show(
    ui: &mut Ui,
    session: &Session,
    badge: &dyn Fn(&str) -> Option<String>,
    out: &mut Queue,
) {
    ui.heading("Claims");
    filters(ui, session, out);
    ui.separator();
    // Rows are fetched by position from the session's index: nothing here walks or collects
    // every claim, so a 3,000-claim file costs what is on screen.
    let count = session.visible_count();
    if count == 0 {
        ui.weak(if session.filter().is_active() {
            "No claim passes the filter."
        } else {
            "No claims yet. Select a sentence and press Enter."
        });
        return;
    }
    let selected = session.selected_claim().map(|c| c.id.as_str());
    egui::ScrollArea::vertical()
        .id_salt("claims")
        .auto_shrink([false, false])
        .max_height(ui.available_height() * 0.45)
        .show_rows(ui, ROW_HEIGHT, count, |ui, rows| {
            for n in rows {
                let Some(c) = session.visible_claim(n) else {
                    continue;
                };
                let b = badge(&c.id);
                let place = if session.visible_is_orphan(n) {
                    // Its sentence number is of the old text: say what it is instead.
                    "orphaned".to_owned()
                } else {
                    format!("s{}", c.anchor.first + 1)
                };
                row(
                    ui,
                    session,
                    c,
                    &place,
                    b,
                    selected == Some(c.id.as_str()),
                    out,
                );
            }
        });
}

/// One claim: `place` is `s14` (numbered from 1) or `orphaned`, `badge` the editor's verdict.
fn row(
    ui: &mut Ui,
    session: &Session,
    c: &Claim,
    place: &str,
    badge: Option<String>,
    selected: bool,
    out: &mut Queue,
) {
    let speaker = c
        .speaker
        .as_ref()
        .map_or("no speaker", |s| session.speaker_name(s));
    let cb = session.codebook();
    let stances: Vec<String> = c
        .stances
        .iter()
        .map(|(t, s)| {
            let t = cb.target(t).map_or(t.as_str(), |t| t.name.as_str());
            let s = cb.stance(s).map_or(s.as_str(), |s| s.name.as_str());
            format!("{t}: {s}")
        })
        .collect();
    let source = c
        .source
        .as_deref()
        .and_then(|s| cb.source_type(s))
        .map_or("no source type", |l| l.name.as_str());
    let flag = if c.unsure { " · unsure" } else { "" };
    let badge = badge.map(|b| format!("{b} ")).unwrap_or_default();
    let first = format!("{place}  {badge}{}", c.anchor.quote);
    let second = format!(
        "{speaker} · {} · {source}{flag}",
        if stances.is_empty() {
            "no stance".to_owned()
        } else {
            stances.join(", ")
        },
    );
    let width = ui.available_width();
    let (rect, r) = ui.allocate_exact_size(egui::vec2(width, ROW_HEIGHT), egui::Sense::click());
    r.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::Button,
            true,
            selected,
            format!("{first}\n{second}"),
        )
    });
    let visuals = ui.visuals();
    if selected {
        ui.painter()
            .rect_filled(rect, 3.0, visuals.selection.bg_fill);
    } else if r.hovered() {
        ui.painter()
            .rect_filled(rect, 3.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let bar = egui::Rect::from_min_size(
        rect.min + egui::vec2(0.0, 3.0),
        egui::vec2(4.0, ROW_HEIGHT - 6.0),
    );
    ui.painter()
        .rect_filled(bar, 1.0, colors::claim_color(session, c));
    // Each line is cut to the width with an ellipsis: rows keep a fixed height, which is what
    // lets the list be virtualised.
    let line = |text: String, color: egui::Color32, y: f32| {
        let mut job = egui::text::LayoutJob::single_section(
            text,
            egui::TextFormat::simple(egui::FontId::proportional(13.0), color),
        );
        job.wrap = egui::text::TextWrapping::truncate_at_width(width - 14.0);
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        ui.painter()
            .galley(rect.min + egui::vec2(10.0, y), galley, color);
    };
    line(first, visuals.strong_text_color(), 3.0);
    line(second, visuals.weak_text_color(), 21.0);
    if r.clicked() {
        out.push(CodeCommand::SelectClaim(Some(c.id.clone())));
    }
}

fn filters(ui: &mut Ui, session: &Session, out: &mut Queue) {
    let cb = session.codebook();
    let current = session.filter().clone();
    let mut f = current.clone();
    // Speakers that occur in this file, registry ones first, so the list stays short (kept
    // by the session's index, not gathered from every claim each frame).
    let speakers = session.claim_speakers();
    egui::Grid::new("claim-filters")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Speaker");
            let name = f
                .speaker
                .as_ref()
                .map_or("any", |s| session.speaker_name(s))
                .to_owned();
            egui::ComboBox::from_id_salt("filter-speaker")
                .selected_text(name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.speaker, None, "any");
                    for s in speakers {
                        ui.selectable_value(
                            &mut f.speaker,
                            Some(s.clone()),
                            session.speaker_name(s),
                        );
                    }
                })
                .response
                .widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by speaker")
                });
            ui.end_row();
            ui.label("Target");
            combo(
                ui,
                "Filter by target",
                &mut f.target,
                cb.targets.iter().map(|t| (t.id.as_str(), t.name.as_str())),
            );
            ui.end_row();
            ui.label("Stance");
            combo(
                ui,
                "Filter by stance",
                &mut f.stance,
                cb.stances.iter().map(|l| (l.id.as_str(), l.name.as_str())),
            );
            ui.end_row();
            ui.label("Source");
            combo(
                ui,
                "Filter by source type",
                &mut f.source,
                cb.source_types
                    .iter()
                    .map(|l| (l.id.as_str(), l.name.as_str())),
            );
            ui.end_row();
        });
    if f.is_active() && ui.button("Clear filters").clicked() {
        f = ClaimFilter::default();
    }
    if f != current {
        out.push(CodeCommand::SetFilter(f));
    }
}

fn combo<'a>(
    ui: &mut Ui,
    label: &str,
    value: &mut Option<String>,
    options: impl Iterator<Item = (&'a str, &'a str)>,
) {
    let options: Vec<(&str, &str)> = options.collect();
    let shown = value
        .as_deref()
        .and_then(|v| options.iter().find(|(id, _)| *id == v))
        .map_or("any", |(_, name)| name);
    egui::ComboBox::from_id_salt(label)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "any");
            for (id, name) in &options {
                ui.selectable_value(value, Some((*id).to_owned()), *name);
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, label));
}
