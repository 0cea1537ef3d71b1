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
/// pairs with [`confusion_matrix`]. Pairs are filled in blocks whose counters fit in cache; a
/// matrix with few categories is read once.
pub fn pairwise_confusions(matrix: &RatingMatrix) -> Vec<Confusion> {
    /// Counters per block of pairs.
    const BLOCK_CELLS: usize = 1 << 18;
    let c = matrix.coders();
    let k = matrix.categories().len();
    // Counting "missing" as an extra category K keeps the inner loop free of branches; that
    // row and column are dropped at the end.
    let side = k + 1;
    let pairs: Vec<(usize, usize)> = (0..c)
        .flat_map(|a| (a + 1..c).map(move |b| (a, b)))
        .collect();
    let per_block = (BLOCK_CELLS / (side * side)).max(1);
    let mut out = Vec::with_capacity(pairs.len());
    let mut row_k = vec![0usize; c];
    for block in pairs.chunks(per_block) {
        let mut counts = vec![0u64; block.len() * side * side];
        for unit in 0..matrix.units() {
            for (slot, &cell) in row_k.iter_mut().zip(matrix.raw_row(unit)) {
                *slot = (cell as usize).min(k);
            }
            for (p, &(a, b)) in block.iter().enumerate() {
                counts[p * side * side + row_k[a] * side + row_k[b]] += 1;
            }
        }
        out.extend(counts.chunks(side * side).map(|full| {
            Confusion {
                categories: k,
                counts: (0..k)
                    .flat_map(|r| full[r * side..r * side + k].iter().copied())
                    .collect(),
            }
        }));
    }
    out
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
    fn percent_agreement_undefined_without_pairs() {
        let m = testdata::matrix(&[&[Some(0), None], &[None, Some(1)]], 2);
        assert_eq!(
            percent_agreement(&m).unwrap_err().reason,
            reasons::NO_PAIRABLE_UNIT
        );
    }
}
