//! The article's rows laid out at one width: galleys made as they are needed, heights that
//! become exact as rows are laid out (see [`super::rows`]).

use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Rect, Ui};

use super::rows::{self, Anchor, Rows};
use crate::session::Session;
use crate::ui::colors;

/// Text laid out per frame beyond what is in view, in bytes: ~2 ms of layout, so a 1 MB
/// article is exact after ~20 frames and no frame pays for more than this.
const BYTES_PER_FRAME: usize = 48 * 1024;

/// Laid-out rows of one article at one width.
#[derive(Default)]
pub struct ArticleLayout {
    key: LayoutKey,
    style: RowStyle,
    /// Each row's galley, once laid out. egui's own cache drops galleys not drawn in a
    /// frame, and the view needs every row's height to place the visible ones.
    galleys: Vec<Option<Arc<Galley>>>,
    pub(super) rows: Rows,
    /// Where the background layout goes on.
    next: usize,
    /// The part of the content seen last frame (content coordinates).
    pub(super) viewport: Option<Rect>,
    /// The session's reveal generation and the cursor, as last shown.
    pub(super) revealed: (u64, Option<u32>),
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

/// How rows look, fixed for one key.
#[derive(Clone, Default)]
struct RowStyle {
    font: Option<FontId>,
    text: Color32,
    weak: Color32,
    mark: Color32,
    mark_text: Color32,
    wrap: f32,
}

impl ArticleLayout {
    /// Starts over with estimated heights if something that affects layout changed; returns
    /// where the row at the top of the view went (`None`: a new article, or nothing changed).
    #[allow(clippy::cast_sign_loss)] // widths and sizes are clamped to >= 0 first
    pub(super) fn refresh(&mut self, ui: &Ui, session: &Session, width: f32) -> Option<Anchor> {
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
            return None;
        }
        // The same article at another width (or with a find): keep its top row in view.
        let anchor = (key.article == self.key.article)
            .then(|| self.viewport.and_then(|v| self.rows.anchor(v.min.y)))
            .flatten();
        let (mark, mark_text) = colors::find_highlight(ui.visuals());
        let wrap = width - super::GUTTER;
        let (row_height, char_width) = ui.fonts_mut(|f| {
            // The width of ordinary prose, per byte: what estimates are made of.
            const SAMPLE: &str = "The president said talks on a ceasefire could begin soon.";
            let g = f.layout_no_wrap(SAMPLE.to_owned(), font.clone(), Color32::WHITE);
            #[allow(clippy::cast_precision_loss)] // a short constant
            (f.row_height(&font), g.size().x / SAMPLE.len() as f32)
        });
        let mut last_paragraph = None;
        let (estimates, gaps) = article
            .sentences
            .iter()
            .map(|s| {
                let gap = last_paragraph.is_some_and(|p| p != s.paragraph);
                last_paragraph = Some(s.paragraph);
                (
                    rows::estimate(s.range.len(), char_width, row_height, wrap),
                    gap,
                )
            })
            .unzip();
        self.rows = Rows::new(estimates, gaps);
        self.galleys = vec![None; article.sentences.len()];
        self.next = 0;
        self.style = RowStyle {
            font: Some(font),
            text: ui.visuals().text_color(),
            weak: ui.visuals().weak_text_color(),
            mark,
            mark_text,
            wrap,
        };
        self.key = key;
        anchor
    }

    /// Row `i`'s galley, laid out now if it was not yet.
    pub(super) fn galley(&mut self, ui: &Ui, session: &Session, i: usize) -> Option<Arc<Galley>> {
        if let Some(g) = self.galleys.get(i)?.clone() {
            return Some(g);
        }
        let g = self.lay_out(ui, session, i);
        self.rows.set_exact(i, g.size().y);
        self.galleys[i] = Some(g.clone());
        Some(g)
    }

    /// Lays out the rows around `row` (a view above, two below): the view about to be drawn.
    pub(super) fn lay_out_around(&mut self, ui: &Ui, session: &Session, row: usize, view: f32) {
        let mut above = 0.0;
        for i in (0..row).rev() {
            if above > view {
                break;
            }
            self.galley(ui, session, i);
            above += self.rows.height(i);
        }
        let mut below = 0.0;
        for i in row..self.rows.len() {
            if below > 2.0 * view {
                break;
            }
            self.galley(ui, session, i);
            below += self.rows.height(i);
        }
    }

    /// Lays out a frame's share of the rows not yet laid out, then settles the tops.
    pub(super) fn lay_out_more(&mut self, ui: &Ui, session: &Session) {
        let sentences = &session.article().sentences;
        let mut bytes = 0;
        while bytes < BYTES_PER_FRAME
            && let Some(i) = self.rows.next_estimated(self.next)
        {
            self.galley(ui, session, i);
            bytes += sentences.get(i).map_or(1, |s| s.range.len().max(1));
            self.next = i + 1;
        }
        self.rows.settle();
    }

    fn lay_out(&self, ui: &Ui, session: &Session, i: usize) -> Arc<Galley> {
        let article = session.article();
        let st = &self.style;
        let font = st
            .font
            .clone()
            .unwrap_or_else(|| FontId::proportional(15.0));
        let s = &article.sentences[i];
        let skipped = s.skip.is_some();
        let mut fmt = TextFormat::simple(font, if skipped { st.weak } else { st.text });
        fmt.italics = skipped;
        let mut job = LayoutJob::default();
        job.wrap.max_width = st.wrap;
        // Find matches inside this sentence get a background; the rest is plain.
        let matches = &session.find().matches;
        let first = matches.partition_point(|m| m.end <= s.range.start);
        let mut at = s.range.start;
        for m in matches[first..]
            .iter()
            .take_while(|m| m.start < s.range.end)
        {
            let (ms, me) = (m.start.max(s.range.start), m.end.min(s.range.end));
            job.append(&article.text[at..ms], 0.0, fmt.clone());
            let mut hit = fmt.clone();
            hit.background = st.mark;
            hit.color = st.mark_text;
            job.append(&article.text[ms..me], 0.0, hit);
            at = me;
        }
        job.append(&article.text[at..s.range.end], 0.0, fmt);
        ui.fonts_mut(|f| f.layout_job(job))
    }
}
