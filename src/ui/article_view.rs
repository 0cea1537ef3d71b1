//! The article, sentence by sentence, virtualised.
//!
//! Each sentence's galley is laid out once and cached (egui's own cache drops galleys not
//! drawn in a frame, and we need every row's height to place the visible ones). Only rows
//! inside the viewport are painted, so long articles cost what is on screen.

use std::collections::HashMap;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Rect, Sense, Stroke, Ui, Vec2, pos2, vec2};

use crate::session::{Command, Session};
use crate::ui::colors;

/// Horizontal room for the sentence number gutter.
const GUTTER: f32 = 44.0;
/// Extra space above the first sentence of a paragraph.
const PARAGRAPH_GAP: f32 = 10.0;
/// Space between sentences of one paragraph.
const ROW_GAP: f32 = 3.0;

/// Laid-out rows of one article at one width.
#[derive(Default)]
pub struct ArticleLayout {
    key: LayoutKey,
    galleys: Vec<Arc<Galley>>,
    /// Top of each row, relative to the top of the content; one extra entry for the end.
    tops: Vec<f32>,
}

#[derive(Clone, Default, PartialEq)]
struct LayoutKey {
    article: String,
    fingerprint: String,
    width: u32,
    dark: bool,
    find: String,
    font_size: u32,
}

impl ArticleLayout {
    /// Lays the article out again only if something that affects layout changed.
    #[allow(clippy::cast_sign_loss)] // widths and sizes are clamped to >= 0 first
    fn refresh(&mut self, ui: &Ui, session: &Session, width: f32) {
        let article = session.article();
        let font = FontId::proportional(15.0);
        let key = LayoutKey {
            article: article.id.clone(),
            fingerprint: article.fingerprint.clone(),
            width: width.max(0.0).round() as u32,
            dark: ui.visuals().dark_mode,
            find: session.find().query.clone(),
            font_size: font.size.max(0.0).round() as u32,
        };
        if key == self.key && self.galleys.len() == article.sentences.len() {
            return;
        }
        let text_color = ui.visuals().text_color();
        let weak = ui.visuals().weak_text_color();
        let mark = colors::find_highlight(ui.visuals().dark_mode);
        let matches = &session.find().matches;
        self.galleys.clear();
        self.tops.clear();
        let mut y = 0.0;
        let mut last_paragraph = None;
        for s in &article.sentences {
            let skipped = s.skip.is_some();
            let mut fmt = TextFormat::simple(font.clone(), if skipped { weak } else { text_color });
            fmt.italics = skipped;
            let mut job = LayoutJob::default();
            job.wrap.max_width = width - GUTTER;
            // Find matches inside this sentence get a background; the rest is plain.
            let first = matches.partition_point(|m| m.end <= s.range.start);
            let mut at = s.range.start;
            for m in matches[first..]
                .iter()
                .take_while(|m| m.start < s.range.end)
            {
                let (ms, me) = (m.start.max(s.range.start), m.end.min(s.range.end));
                job.append(&article.text[at..ms], 0.0, fmt.clone());
                let mut hit = fmt.clone();
                hit.background = mark;
                job.append(&article.text[ms..me], 0.0, hit);
                at = me;
            }
            job.append(&article.text[at..s.range.end], 0.0, fmt);
            let galley = ui.fonts_mut(|f| f.layout_job(job));
            if last_paragraph.is_some_and(|p| p != s.paragraph) {
                y += PARAGRAPH_GAP;
            }
            last_paragraph = Some(s.paragraph);
            self.tops.push(y);
            y += galley.size().y + ROW_GAP;
            self.galleys.push(galley);
        }
        self.tops.push(y);
        self.key = key;
    }

    fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }
}

/// Draws the article; clicks on sentences become [`Command::SetCursor`].
pub fn show(
    ui: &mut Ui,
    session: &Session,
    layout: &mut ArticleLayout,
    last_reveal: &mut u64,
    out: &mut Vec<Command>,
) {
    let width = ui.available_width().max(200.0);
    layout.refresh(ui, session, width);
    let (generation, target) = session.reveal_request();
    let mut area = egui::ScrollArea::vertical()
        .id_salt("article")
        .auto_shrink([false, false]);
    if generation != *last_reveal {
        *last_reveal = generation;
        if let (Some(&top), Some(&bottom)) = (
            layout.tops.get(target as usize),
            layout.tops.get(target as usize + 1),
        ) {
            // Keep the target row comfortably inside the view, not glued to an edge.
            let state = egui::scroll_area::State::load(ui.ctx(), ui.make_persistent_id("article"));
            let view_h = ui.available_height();
            let offset = state.map_or(0.0, |s| s.clamped_offset().y);
            if top < offset + 40.0 || bottom > offset + view_h - 40.0 {
                area = area.vertical_scroll_offset((top - view_h / 3.0).max(0.0));
            }
        }
    }
    area.show_viewport(ui, |ui, viewport| {
        ui.set_height(layout.total_height());
        let origin = ui.min_rect().min;
        let first = layout
            .tops
            .partition_point(|&t| t < viewport.min.y)
            .saturating_sub(1);
        let last = layout.tops.partition_point(|&t| t <= viewport.max.y);
        for i in first..last.min(layout.galleys.len()) {
            let top = layout.tops[i];
            let galley = &layout.galleys[i];
            let rect = Rect::from_min_size(
                origin + vec2(0.0, top),
                vec2(width, galley.size().y + ROW_GAP),
            );
            row(ui, session, i as u32, galley, rect, out);
        }
    });
}

fn row(
    ui: &mut Ui,
    session: &Session,
    i: u32,
    galley: &Arc<Galley>,
    rect: Rect,
    out: &mut Vec<Command>,
) {
    let sentence = &session.article().sentences[i as usize];
    let text = session.article().sentence_text(i);
    let response = ui.interact(rect, ui.scope_id().with(("sentence", i)), Sense::click());
    let label = match &sentence.skip {
        Some(rule) => format!("Sentence {}, skipped ({rule}): {text}", i + 1),
        None => format!("Sentence {}: {text}", i + 1),
    };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.clicked() {
        out.push(Command::SetCursor(i));
    }
    let painter = ui.painter_at(rect.expand(2.0));
    let visuals = ui.visuals();
    let text_rect = Rect::from_min_size(rect.min + vec2(GUTTER, 0.0), galley.size());
    let claim = session.claims_at(i).next();
    if let Some(c) = claim {
        let color = colors::claim_color(session, c);
        painter.rect_filled(
            text_rect.expand(2.0),
            3.0,
            colors::tint(color, visuals.dark_mode),
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
            text_rect.expand(3.0),
            3.0,
            Stroke::new(2.0, visuals.selection.stroke.color),
            egui::StrokeKind::Outside,
        );
    } else if response.hovered() {
        painter.rect_stroke(
            text_rect.expand(3.0),
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
