//! Agreement as observed, without a chance correction: percent agreement over units,
//! specific agreement per category, and the confusion matrix of a pair of coders.

use super::data::{MISSING, RatingMatrix, UnitCounts};
use super::stat::{Stat, finite, reasons, undefined};

/// Observed percent agreement: the mean, over units with at least two ratings, of the share
/// of agreeing pairs among all pairs of that unit's ratings (a proportion, 0–1).
pub fn percent_agreement(matrix: &RatingMatrix) -> Stat {
    if matrix.coders() < 2 {
        return undefined(reasons::FEWER_THAN_TWO_CODERS);
    }
    percent_agreement_of(&UnitCounts::build(matrix, 2))
}

/// [`percent_agreement`] over prepared units with at least two ratings.
pub(crate) fn percent_agreement_of(units: &UnitCounts) -> Stat {
    if units.len() == 0 {
        return undefined(reasons::NO_PAIRABLE_UNIT);
    }
    let total: f64 = (0..units.len())
        .map(|u| {
            let (m, _, counts) = units.unit(u);
            let agreeing: u64 = counts
                .iter()
                .map(|&n| u64::from(n) * u64::from(n - 1))
                .sum();
            agreeing as f64 / (f64::from(m) * f64::from(m - 1))
        })
        .sum();
    finite(total / units.len() as f64)
}

/// Specific agreement per category (index order): of the rating pairs within units that
/// involve the category, the share in which both ratings are that category.
///
/// `ps_j = Σ_u n_uj (n_uj − 1) / Σ_u n_uj (m_u − 1)`; for two coders this is the familiar
/// `2a / (2a + b + c)` (positive specific agreement).
pub fn specific_agreement(matrix: &RatingMatrix) -> Vec<Stat> {
    specific_agreement_of(&UnitCounts::build(matrix, 2), matrix.categories().len())
}

/// [`specific_agreement`] over prepared units with at least two ratings, `k` categories.
pub(crate) fn specific_agreement_of(units: &UnitCounts, k: usize) -> Vec<Stat> {
    let mut agree = vec![0u64; k];
    let mut possible = vec![0u64; k];
    for u in 0..units.len() {
        let (m, cats, counts) = units.unit(u);
        for (&c, &n) in cats.iter().zip(counts) {
            agree[c as usize] += u64::from(n) * u64::from(n - 1);
            possible[c as usize] += u64::from(n) * u64::from(m - 1);
        }
    }
    agree
        .iter()
        .zip(&possible)
        .map(|(&a, &p)| {
            if p == 0 {
                undefined("no unit with two ratings has this category")
            } else {
                finite(a as f64 / p as f64)
            }
        })
        .collect()
}

/// Counts of category pairs for two coders: rows are the first coder's categories, columns
/// the second's, over the units both rated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confusion {
    categories: usize,
    counts: Vec<u64>,
}

impl Confusion {
    /// Number of categories (rows = columns).
    pub fn categories(&self) -> usize {
        self.categories
    }

    /// Units the first coder put in `row` and the second in `col`.
    pub fn get(&self, row: usize, col: usize) -> u64 {
        if row < self.categories && col < self.categories {
            self.counts[row * self.categories + col]
        } else {
            0
        }
    }

    /// One row of the matrix.
    pub fn row(&self, row: usize) -> &[u64] {
        let k = self.categories;
        self.counts.get(row * k..(row + 1) * k).unwrap_or(&[])
    }

    /// Units rated by both coders.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Units on which the two coders agree (the diagonal).
    pub fn agreements(&self) -> u64 {
        (0..self.categories).map(|c| self.get(c, c)).sum()
    }
}

/// The confusion matrix of coders `a` (rows) and `b` (columns); empty if either is out of
/// range.
pub fn confusion_matrix(matrix: &RatingMatrix, a: usize, b: usize) -> Confusion {
    let k = matrix.categories().len();
    let mut counts = vec![0u64; k * k];
    if a < matrix.coders() && b < matrix.coders() {
        for unit in 0..matrix.units() {
            let row = matrix.raw_row(unit);
            if row[a] != MISSING && row[b] != MISSING {
                counts[row[a] as usize * k + row[b] as usize] += 1;
            }
        }
    }
    Confusion {
        categories: k,
        counts,
    }
}

/// The confusion matrix of every pair of coders, in the order `(0, 1), (0, 2), …, (1, 2), …`.
///
/// Memory is categories² per pair, so callers with very many categories should ask for single
/// pairs with [`confusion_matrix`].
pub fn pairwise_confusions(matrix: &RatingMatrix) -> Vec<Confusion> {
    // A pair costs K² bit-set intersections of units / 64 words each with bit sets, and one
    // counter increment per unit with histograms; with K ≤ 8 the bit sets win (20 coders ×
    // 200,000 units × 5 categories: 16 ms against 43 ms).
    if matrix.categories().len() <= 8 {
        confusions_by_bits(matrix)
    } else {
        confusions_by_counting(matrix)
    }
}

/// [`pairwise_confusions`] through bit sets: for each coder and category, the set of units
/// the coder put in that category; cell (x, y) of a pair is the size of the intersection.
fn confusions_by_bits(matrix: &RatingMatrix) -> Vec<Confusion> {
    let (coders, units) = (matrix.coders(), matrix.units());
    let k = matrix.categories().len();
    let words = units.div_ceil(64);
    let mut bits = vec![0u64; coders * k * words];
    for unit in 0..units {
        let (word, bit) = (unit / 64, 1u64 << (unit % 64));
        for (a, &cell) in matrix.raw_row(unit).iter().enumerate() {
            if (cell as usize) < k {
                bits[(a * k + cell as usize) * words + word] |= bit;
            }
        }
    }
    let set = |coder: usize, category: usize| &bits[(coder * k + category) * words..][..words];
    pairs_in_order(coders)
        .map(|(a, b)| Confusion {
            categories: k,
            counts: (0..k * k)
                .map(|cell| {
                    set(a, cell / k)
                        .iter()
                        .zip(set(b, cell % k))
                        .map(|(p, q)| u64::from((p & q).count_ones()))
                        .sum()
                })
                .collect(),
        })
        .collect()
}

/// Pairs of coders `(0, 1), (0, 2), …, (1, 2), …`.
fn pairs_in_order(coders: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..coders).flat_map(move |a| (a + 1..coders).map(move |b| (a, b)))
}

/// [`pairwise_confusions`] by counting, for many categories.
///
/// The matrix is row-major (a unit's ratings together), but a pair reads two columns: a block
/// of units is transposed at a time, so each pair then walks two short arrays that are in
/// cache, counting into histograms that are in cache too. "Missing" counts as an extra
/// category K, which keeps the inner loop free of branches; that row and column are dropped at
/// the end.
fn confusions_by_counting(matrix: &RatingMatrix) -> Vec<Confusion> {
    /// Units transposed at a time (for 20 coders, 160 KB of columns).
    const BLOCK: usize = 2048;
    /// Histograms per pair, filled in turn: coders who agree hit the same counter unit after
    /// unit, and with one histogram each increment would wait for the one before.
    const LANES: usize = 4;
    let (c, n) = (matrix.coders(), matrix.units());
    let k = matrix.categories().len();
    let side = k + 1;
    let cells = side * side;
    let pairs: Vec<(usize, usize)> = pairs_in_order(c).collect();
    let mut counts = vec![0u64; pairs.len() * LANES * cells];
    let mut columns = vec![0u32; c * BLOCK];
    let missing = u32::try_from(k).unwrap_or(u32::MAX);
    for first in (0..n).step_by(BLOCK) {
        let len = BLOCK.min(n - first);
        for i in 0..len {
            for (a, &cell) in matrix.raw_row(first + i).iter().enumerate() {
                columns[a * BLOCK + i] = cell.min(missing);
            }
        }
        for (&(a, b), hist) in pairs.iter().zip(counts.chunks_exact_mut(LANES * cells)) {
            let column_a = &columns[a * BLOCK..a * BLOCK + len];
            let column_b = &columns[b * BLOCK..b * BLOCK + len];
            let (mut xs, mut ys) = (column_a.chunks_exact(LANES), column_b.chunks_exact(LANES));
            for (x, y) in (&mut xs).zip(&mut ys) {
                for lane in 0..LANES {
                    hist[lane * cells + x[lane] as usize * side + y[lane] as usize] += 1;
                }
            }
            for (&x, &y) in xs.remainder().iter().zip(ys.remainder()) {
                hist[x as usize * side + y as usize] += 1;
            }
        }
    }
    counts
        .chunks_exact(LANES * cells)
        .map(|lanes| Confusion {
            categories: k,
            counts: (0..k)
                .flat_map(|r| (0..k).map(move |col| (r, col)))
                .map(|(r, col)| {
                    (0..LANES)
                        .map(|lane| lanes[lane * cells + r * side + col])
                        .sum()
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::testdata;

    #[test]
    fn percent_agreement_on_krippendorff_example() {
        // Units 1–11 of the example: nine agree fully; unit 2 (2,2,3,2) and unit 8 (1,1,2,1)
        // have 3 of 6 pairs agreeing; unit 6 (1,2,3,4) none. (9 + 0.5 + 0.5 + 0) / 11.
        let m = testdata::krippendorff_2011();
        let p = percent_agreement(&m).unwrap();
        assert!((p - 9.0 / 11.0).abs() < 1e-12, "{p}");
    }

    #[test]
    fn specific_agreement_two_coders_is_2a_over_2a_b_c() {
        let m = testdata::cohen_wikipedia();
        let s = specific_agreement(&m);
        // yes: a = 20, b = 5, c = 10 → 40/55; no: 15 both, 15 discordant → 30/45.
        assert!((s[0].clone().unwrap() - 40.0 / 55.0).abs() < 1e-12);
        assert!((s[1].clone().unwrap() - 30.0 / 45.0).abs() < 1e-12);
        let unused = testdata::matrix(&[&[Some(0), Some(0)]], 2);
        assert!(specific_agreement(&unused)[1].is_err());
    }

    #[test]
    fn confusion_matrix_counts_pairs() {
        let m = testdata::cohen_wikipedia();
        let c = confusion_matrix(&m, 0, 1);
        assert_eq!(c.row(0), &[20, 5]);
        assert_eq!(c.row(1), &[10, 15]);
        assert_eq!((c.total(), c.agreements()), (50, 35));
        assert_eq!(c.get(5, 0), 0);
        assert_eq!(confusion_matrix(&m, 0, 9).total(), 0);
        let k = testdata::krippendorff_2011();
        let all = pairwise_confusions(&k);
        assert_eq!(all.len(), 6);
        assert_eq!(all[5], confusion_matrix(&k, 2, 3));
        assert_eq!(all[0], confusion_matrix(&k, 0, 1));
    }

    #[test]
    fn pairwise_confusions_across_blocks_and_lanes() {
        // 5,003 units: two full blocks and a partial one whose length is not a multiple of
        // the lanes (or of 64, for bit sets); 5 coders, about a quarter missing; 3 categories
        // (bit sets) and 12 (counting).
        for k in [3, 12] {
            check_pairwise_confusions(k);
        }
    }

    fn check_pairwise_confusions(k: usize) {
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize
        };
        let rows: Vec<Vec<Option<usize>>> = (0..5_003)
            .map(|_| {
                (0..5)
                    .map(|_| Some(next() % (k + k / 3)).filter(|&v| v < k))
                    .collect()
            })
            .collect();
        let rows: Vec<&[Option<usize>]> = rows.iter().map(Vec::as_slice).collect();
        let m = testdata::matrix(&rows, k);
        let all = pairwise_confusions(&m);
        let mut pairs = (0..5).flat_map(|a| (a + 1..5).map(move |b| (a, b)));
        assert_eq!(all.len(), 10);
        for confusion in &all {
            let (a, b) = pairs.next().unwrap();
            assert_eq!(*confusion, confusion_matrix(&m, a, b), "pair {a}, {b}");
        }
        assert!(all[0].total() > 2_000, "k = {k}: {}", all[0].total());
    }

    #[test]
    fn percent_agreement_undefined_without_pairs() {
        let m = testdata::matrix(&[&[Some(0), None], &[None, Some(1)]], 2);
        assert_eq!(
            percent_agreement(&m).unwrap_err().reason,
            reasons::NO_PAIRABLE_UNIT
        );
    }
}
