//! The article, sentence by sentence, virtualised.
//!
//! Only rows inside the viewport are painted, and rows are laid out as they are needed (the
//! ones in view at once, the rest a slice per frame, see [`layout`]), so a long article costs
//! what is on screen, also in the frame that opens it or re-wraps it.

mod layout;
mod rows;

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Color32, FontId, Galley, Rect, Sense, Stroke, Ui, Vec2, pos2, vec2};

pub use layout::ArticleLayout;
use rows::ROW_GAP;

use crate::session::{CodeCommand, Session};
use crate::ui::Queue;
use crate::ui::colors;

/// Horizontal room for the sentence number gutter.
const GUTTER: f32 = 44.0;

/// Room kept free on the right of the text: the floating scroll bar is drawn over the
/// content when it shows, and the cursor's frame reaches a few points past the text.
fn right_reserve(ui: &Ui) -> f32 {
    let scroll = &ui.spacing().scroll;
    let bar = if scroll.floating {
        scroll.bar_width + scroll.bar_inner_margin
    } else {
        0.0
    };
    bar + CURSOR_FRAME + 2.0
}

/// How far the cursor's frame reaches outside its text.
const CURSOR_FRAME: f32 = 3.0;
/// Rows are kept at least this far inside the top and bottom of the view when revealed.
const REVEAL_MARGIN: f32 = 40.0;

impl ArticleLayout {
    /// Whether the view must move to show the cursor: a new reveal request from the session
    /// (select a claim, find, undo) or a cursor that moved since the last frame (any key).
    fn reveal_target(&mut self, session: &Session) -> Option<u32> {
        let (generation, target) = session.reveal_request();
        let cursor = session.cursor();
        let requested = generation != self.revealed.0;
        let moved = Some(cursor) != self.revealed.1;
        self.revealed = (generation, Some(cursor));
        if requested {
            Some(target)
        } else if moved {
            Some(cursor)
        } else {
            None
        }
    }

    /// The scroll offset that shows row `i` whole and comfortably inside a view `view_h`
    /// high, or `None` when it already is. Judged against what was visible last frame.
    fn offset_to_show(&self, i: u32, view_h: f32) -> Option<f32> {
        let top = self.rows.top(i as usize)?;
        let bottom = self.rows.top(i as usize + 1)? - ROW_GAP;
        let offset = self.viewport.map_or(0.0, |v| v.min.y);
        let margin = REVEAL_MARGIN.min(view_h / 4.0);
        if top >= offset + margin && bottom <= offset + view_h - margin {
            return None;
        }
        // A third of the view above the row gives context; a row too tall for that starts
        // at the top margin, so as much of it as fits is seen from its start.
        let mut wanted = top - view_h / 3.0;
        if bottom - wanted > view_h - margin {
            wanted = top - margin;
        }
        let max = (self.rows.total_height() - view_h).max(0.0);
        Some(wanted.clamp(0.0, max))
    }
}

/// Draws the article; clicks on sentences become [`CodeCommand::SetCursor`].
///
/// The text wraps at the width of the column that is seen (the panel's visible part, less
/// the scroll bar), never at a width a wide widget above may have stretched the panel to;
/// a new width lays the article out again. After any command that moves the cursor the view
/// scrolls so the cursor's sentence is wholly in sight.
pub fn show(ui: &mut Ui, session: &Session, layout: &mut ArticleLayout, out: &mut Queue) {
    let visible = (ui.clip_rect().right() - ui.cursor().min.x)
        .min(ui.available_width())
        .max(200.0);
    let scroll = &ui.spacing().scroll;
    let inner = visible - scroll.allocated_width() - scroll.content_margin.sum().x;
    let width = (inner - right_reserve(ui)).max(GUTTER + 80.0);
    let anchor = layout.refresh(ui, session, width);
    let view_h = ui.available_height();
    let reveal = layout.reveal_target(session);
    // Lay out what is about to be seen before placing it: around the row to reveal, else
    // around the row that was at the top of the view.
    let seen = layout.viewport.and_then(|v| layout.rows.anchor(v.min.y));
    let around = reveal
        .map(|r| r as usize)
        .or(anchor.or(seen).map(|a| a.row));
    layout.lay_out_around(ui, session, around.unwrap_or(0), view_h);
    layout.lay_out_more(ui, session);
    // Rows above the view that became exact (or a new width) moved the content: keep the
    // row that was at the top of the view where it was.
    let mut offset = None;
    if let (Some(v), Some(a)) = (layout.viewport, anchor.or(seen))
        && let Some(y) = layout.rows.y_of(a)
        && (y - v.min.y).abs() > 0.5
    {
        layout.viewport = Some(v.translate(vec2(0.0, y - v.min.y)));
        offset = Some(y);
    }
    if let Some(target) = reveal
        && let Some(y) = layout.offset_to_show(target, view_h)
    {
        offset = Some(y);
    }
    let mut area = egui::ScrollArea::vertical()
        .id_salt("article")
        .auto_shrink([false, false])
        .max_width(visible);
    if let Some(y) = offset {
        area = area.vertical_scroll_offset(y);
    }
    area.show_viewport(ui, |ui, viewport| {
        layout.viewport = Some(viewport);
        ui.set_height(layout.rows.total_height());
        let origin = ui.min_rect().min;
        for i in layout.rows.visible(viewport.min.y, viewport.max.y) {
            let Some(top) = layout.rows.top(i) else { break };
            // Normally laid out above; a jump the layout did not foresee (the scroll bar
            // dragged far) lays the row out here and places it exactly next frame.
            let Some(galley) = layout.galley(ui, session, i) else {
                break;
            };
            let rect = Rect::from_min_size(
                origin + vec2(0.0, top),
                vec2(width, galley.size().y + ROW_GAP),
            );
            row(ui, session, i as u32, &galley, rect, out);
        }
    });
    if layout.rows.pending() > 0 {
        // The rest of the article is laid out over the next frames.
        ui.ctx().request_repaint();
    }
}

fn row(ui: &mut Ui, session: &Session, i: u32, galley: &Arc<Galley>, rect: Rect, out: &mut Queue) {
    let sentence = &session.article().sentences[i as usize];
    let text = session.article().sentence_text(i);
    let text_rect = Rect::from_min_size(rect.min + vec2(GUTTER, 0.0), galley.size());
    // The row is its number and its text as drawn: what a click hits and what assistive
    // technology (and the UI tests) see as the sentence's place on screen.
    let hit = Rect::from_min_max(rect.min, pos2(text_rect.right() + CURSOR_FRAME, rect.max.y));
    let response = ui.interact(hit, ui.scope_id().with(("sentence", i)), Sense::click());
    let label = match &sentence.skip {
        Some(rule) => format!("Sentence {}, skipped ({rule}): {text}", i + 1),
        None => format!("Sentence {}: {text}", i + 1),
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.clicked() {
        out.push(CodeCommand::SetCursor(i));
    }
    let painter = ui.painter_at(rect.expand(CURSOR_FRAME + 2.0));
    let visuals = ui.visuals();
    let claim = session.claims_at(i).next();
    if let Some(c) = claim {
        let color = colors::claim_color(session, c);
        painter.rect_filled(
            text_rect.expand(2.0),
            3.0,
            colors::tint(
                color,
                visuals.text_color(),
                visuals.panel_fill,
                visuals.dark_mode,
            ),
        );
        painter.rect_filled(
            Rect::from_min_size(
                pos2(rect.min.x + GUTTER - 8.0, rect.min.y),
                vec2(4.0, galley.size().y),
            ),
            1.0,
            color,
        );
    }
    if claim.is_none()
        && let Some(sug) = session.suggestion_at(i)
    {
        // A suggestion is drawn dimmed and dashed, never like a claim.
        let r = text_rect.expand(2.0);
        let stroke = Stroke::new(1.0, visuals.weak_text_color());
        for side in [
            [r.left_top(), r.right_top()],
            [r.left_bottom(), r.right_bottom()],
        ] {
            painter.add(egui::Shape::dashed_line(&side, stroke, 4.0, 3.0));
        }
        painter.text(
            pos2(rect.min.x + GUTTER - 6.0, rect.min.y + 2.0),
            egui::Align2::RIGHT_TOP,
            "?",
            FontId::proportional(11.0),
            visuals.weak_text_color(),
        );
        let why = sug.explain();
        response
            .clone()
            .on_hover_text(format!("Suggested claim: {why}\ny accepts, w dismisses"));
    }
    if i == session.cursor() {
        painter.rect_stroke(
            text_rect.expand(CURSOR_FRAME),
            3.0,
            Stroke::new(2.0, visuals.selection.stroke.color),
            egui::StrokeKind::Outside,
        );
    } else if response.hovered() {
        painter.rect_stroke(
            text_rect.expand(CURSOR_FRAME),
            3.0,
            Stroke::new(1.0, visuals.weak_text_color()),
            egui::StrokeKind::Outside,
        );
    }
    painter.text(
        rect.min + vec2(GUTTER - 12.0, 2.0),
        egui::Align2::RIGHT_TOP,
        format!("{}", i + 1),
        FontId::monospace(10.0),
        visuals.weak_text_color(),
    );
    painter.galley(text_rect.min, galley.clone(), Color32::PLACEHOLDER);
    if let Some(rule) = &sentence.skip {
        response.on_hover_text(format!("Skipped as boilerplate: {rule}"));
    }
}

/// Per-claim colours are computed on demand; this keeps the cache type public for the app.
pub type Cache = HashMap<u32, Vec2>;
