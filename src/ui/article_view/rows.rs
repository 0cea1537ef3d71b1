//! Where each sentence's row sits in the article view.
//!
//! A long article (a 1 MB one has 7,000 sentences) is too big to lay out in one frame: every
//! galley costs a few microseconds and all of them together ~40 ms. So rows start with an
//! estimated height and become exact as they are laid out — the ones in view at once, the rest
//! a slice per frame. This module is the arithmetic of that (tops from heights, the row at a
//! height, keeping the row at the top of the view in place while rows above it change) and
//! knows nothing of egui.

use std::ops::Range;

/// Extra space above the first sentence of a paragraph.
pub const PARAGRAPH_GAP: f32 = 10.0;
/// Space between sentences of one paragraph.
pub const ROW_GAP: f32 = 3.0;

/// A text's height before it is laid out: as many lines as its bytes take at the average
/// character width, at least one. Multi-byte characters overestimate a little; the error
/// lasts until the row is laid out.
#[allow(clippy::cast_precision_loss)] // a sentence's byte length is far below 2^24
pub fn estimate(bytes: usize, char_width: f32, row_height: f32, wrap_width: f32) -> f32 {
    let per_line = (wrap_width / char_width.max(0.1)).max(1.0);
    (bytes as f32 / per_line).ceil().max(1.0) * row_height
}

/// A place in the content that stays put while heights change: a row and how far into it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anchor {
    /// The row.
    pub row: usize,
    /// Points below the row's top.
    pub offset: f32,
}

/// Row heights (exact or estimated) and the tops that follow from them.
#[derive(Debug, Default)]
pub struct Rows {
    heights: Vec<f32>,
    exact: Vec<bool>,
    /// A paragraph gap goes above this row.
    gap_above: Vec<bool>,
    /// Top of each row, plus one entry for the end of the content.
    tops: Vec<f32>,
    /// Rows whose height is still an estimate.
    pending: usize,
    /// A height changed since the tops were computed.
    stale: bool,
}

impl Rows {
    /// Rows with these estimated heights; `gap_above[i]` when row `i` starts a paragraph
    /// (not the first).
    pub fn new(estimates: Vec<f32>, gap_above: Vec<bool>) -> Self {
        debug_assert_eq!(estimates.len(), gap_above.len());
        let n = estimates.len();
        let mut rows = Self {
            heights: estimates,
            exact: vec![false; n],
            gap_above,
            tops: Vec::with_capacity(n + 1),
            pending: n,
            stale: true,
        };
        rows.settle();
        rows
    }

    /// How many rows there are.
    pub fn len(&self) -> usize {
        self.heights.len()
    }

    /// How many rows still have an estimated height.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Row `i` was laid out and is `height` high. The tops follow at the next [`Self::settle`].
    pub fn set_exact(&mut self, i: usize, height: f32) {
        if i >= self.len() {
            return;
        }
        if !self.exact[i] {
            self.exact[i] = true;
            self.pending -= 1;
        }
        if (self.heights[i] - height).abs() > f32::EPSILON {
            self.heights[i] = height;
            self.stale = true;
        }
    }

    /// Height of row `i`'s text.
    pub fn height(&self, i: usize) -> f32 {
        self.heights.get(i).copied().unwrap_or(0.0)
    }

    /// Recomputes the tops after heights changed (linear, ~10 µs for 7,000 rows).
    pub fn settle(&mut self) {
        if !self.stale {
            return;
        }
        self.tops.clear();
        let mut y = 0.0;
        for (h, gap) in self.heights.iter().zip(&self.gap_above) {
            if *gap {
                y += PARAGRAPH_GAP;
            }
            self.tops.push(y);
            y += h + ROW_GAP;
        }
        self.tops.push(y);
        self.stale = false;
    }

    /// Top of row `i` (the end of the content for `i == len`).
    pub fn top(&self, i: usize) -> Option<f32> {
        self.tops.get(i).copied()
    }

    /// Height of the whole content.
    pub fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The rows that reach into `from..to` (content coordinates).
    pub fn visible(&self, from: f32, to: f32) -> Range<usize> {
        let rows = &self.tops[..self.len()];
        let first = rows.partition_point(|&t| t < from).saturating_sub(1);
        let last = rows.partition_point(|&t| t <= to);
        first..last.max(first)
    }

    /// The place at height `y`, to find again after heights change.
    pub fn anchor(&self, y: f32) -> Option<Anchor> {
        let row = self.visible(y, y).start;
        let top = self.top(row)?;
        (row < self.len()).then_some(Anchor {
            row,
            offset: y - top,
        })
    }

    /// Where `anchor` is now.
    pub fn y_of(&self, anchor: Anchor) -> Option<f32> {
        Some(self.top(anchor.row)? + anchor.offset)
    }

    /// The first row from `from` on (wrapping around) whose height is an estimate.
    pub fn next_estimated(&self, from: usize) -> Option<usize> {
        if self.pending == 0 {
            return None;
        }
        let n = self.len();
        (from..n).chain(0..from.min(n)).find(|&i| !self.exact[i])
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // sums of small whole numbers are exact in f32
mod tests {
    use super::*;

    fn three() -> Rows {
        // Rows of 20, 40 and 20 points; the third starts a paragraph.
        Rows::new(vec![20.0, 40.0, 20.0], vec![false, false, true])
    }

    #[test]
    fn tops_add_heights_row_gaps_and_paragraph_gaps() {
        let r = three();
        assert_eq!(r.top(0), Some(0.0));
        assert_eq!(r.top(1), Some(23.0));
        assert_eq!(r.top(2), Some(23.0 + 43.0 + PARAGRAPH_GAP));
        assert_eq!(r.total_height(), 23.0 + 43.0 + PARAGRAPH_GAP + 23.0);
    }

    #[test]
    fn visible_rows_are_those_reaching_into_the_range() {
        let r = three();
        assert_eq!(r.visible(0.0, 10.0), 0..1);
        assert_eq!(r.visible(30.0, 40.0), 1..2);
        assert_eq!(r.visible(10.0, 80.0), 0..3);
        assert_eq!(r.visible(500.0, 600.0), 2..3, "past the end: the last row");
    }

    #[test]
    fn an_anchor_stays_on_its_row_when_a_row_above_grows() {
        let mut r = three();
        let a = r.anchor(30.0).unwrap();
        assert_eq!(
            a,
            Anchor {
                row: 1,
                offset: 7.0
            }
        );
        r.set_exact(0, 60.0);
        r.settle();
        assert_eq!(
            r.y_of(a),
            Some(63.0 + 7.0),
            "moved down by the 40 points row 0 grew"
        );
    }

    #[test]
    fn pending_counts_rows_still_estimated_and_next_wraps_around() {
        let mut r = three();
        assert_eq!(r.pending(), 3);
        r.set_exact(1, 40.0);
        r.set_exact(1, 41.0);
        assert_eq!(r.pending(), 2, "a row laid out twice counts once");
        assert_eq!(r.next_estimated(1), Some(2));
        r.set_exact(2, 20.0);
        assert_eq!(r.next_estimated(1), Some(0), "wraps to the start");
        r.set_exact(0, 20.0);
        assert_eq!(r.next_estimated(0), None);
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn estimates_take_at_least_one_line() {
        assert_eq!(estimate(0, 7.0, 18.0, 700.0), 18.0);
        assert_eq!(estimate(100, 7.0, 18.0, 700.0), 18.0);
        assert_eq!(estimate(101, 7.0, 18.0, 700.0), 36.0);
        assert_eq!(
            estimate(50, 0.0, 18.0, 0.0),
            50.0 * 18.0,
            "no width: a line a byte"
        );
    }
}
