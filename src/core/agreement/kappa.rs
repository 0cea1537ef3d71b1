//! Chance-corrected agreement of categories: Cohen's kappa for a pair of coders, Light's
//! kappa (the mean of Cohen's kappas over all pairs) and Fleiss' kappa for units rated by
//! every coder.
//!
//! All three treat categories as nominal whatever the level of measurement.

use super::data::{MISSING, RatingMatrix};
use super::observed::Confusion;
use super::stat::{Stat, Undefined, finite, reasons, undefined};

/// No unit has ratings from both coders of a pair.
const NO_SHARED_UNIT: &str = "no unit was rated by both coders";
/// Chance agreement of one is what makes kappa 0/0.
const CHANCE_IS_ONE: &str = "every rating is the same category, so chance agreement is one";

/// Agreement of one pair of coders over the units both rated.
#[derive(Clone, Debug, PartialEq)]
pub struct PairAgreement {
    /// First coder (index into the matrix's coders).
    pub a: usize,
    /// Second coder, `a < b`.
    pub b: usize,
    /// Units rated by both.
    pub units: u64,
    /// Of those, units where both gave the same category.
    pub agreements: u64,
    /// `agreements / units`.
    pub percent_agreement: Stat,
    /// Cohen's kappa of the pair.
    pub kappa: Stat,
}

/// Light's kappa: the mean of the pairwise Cohen's kappas, with the pairs it averages.
#[derive(Clone, Debug, PartialEq)]
pub struct LightKappa {
    /// The mean over pairs whose kappa is defined.
    pub kappa: Stat,
    /// Every pair of coders, `(0, 1), (0, 2), …, (1, 2), …`.
    pub pairs: Vec<PairAgreement>,
    /// How many pairs were left out of the mean because their kappa is undefined.
    pub undefined_pairs: usize,
}

/// Fleiss' kappa and the number of units it is computed on.
#[derive(Clone, Debug, PartialEq)]
pub struct FleissKappa {
    /// The statistic.
    pub kappa: Stat,
    /// Units rated by every coder (the only units Fleiss' kappa uses).
    pub units: usize,
}

/// The counts Cohen's kappa needs for one pair: agreements and both coders' marginals.
#[derive(Clone, Debug)]
struct PairCounts {
    units: u64,
    agreements: u64,
    row: Vec<u64>,
    col: Vec<u64>,
}

impl PairCounts {
    fn new(k: usize) -> Self {
        Self {
            units: 0,
            agreements: 0,
            row: vec![0; k],
            col: vec![0; k],
        }
    }

    fn add(&mut self, ca: u32, cb: u32) {
        self.units += 1;
        self.agreements += u64::from(ca == cb);
        self.row[ca as usize] += 1;
        self.col[cb as usize] += 1;
    }

    fn finish(&self, a: usize, b: usize) -> PairAgreement {
        let (percent_agreement, kappa) = if self.units == 0 {
            (undefined(NO_SHARED_UNIT), undefined(NO_SHARED_UNIT))
        } else {
            let n = self.units as f64;
            let p_o = self.agreements as f64 / n;
            // Chance agreement is one exactly when both coders used one and the same category
            // throughout; test that on the integers rather than on a rounded p_e.
            let chance_pairs: u128 = self
                .row
                .iter()
                .zip(&self.col)
                .map(|(&r, &c)| u128::from(r) * u128::from(c))
                .sum();
            let kappa = if chance_pairs == u128::from(self.units).pow(2) {
                undefined(CHANCE_IS_ONE)
            } else {
                let p_e = chance_pairs as f64 / (n * n);
                finite((p_o - p_e) / (1.0 - p_e))
            };
            (finite(p_o), kappa)
        };
        PairAgreement {
            a,
            b,
            units: self.units,
            agreements: self.agreements,
            percent_agreement,
            kappa,
        }
    }
}

impl PairAgreement {
    /// The agreement of coders `a` and `b` from their confusion matrix.
    pub fn from_confusion(a: usize, b: usize, confusion: &Confusion) -> Self {
        let k = confusion.categories();
        let mut counts = PairCounts::new(k);
        for row in 0..k {
            for col in 0..k {
                let n = confusion.get(row, col);
                counts.units += n;
                counts.row[row] += n;
                counts.col[col] += n;
                if row == col {
                    counts.agreements += n;
                }
            }
        }
        counts.finish(a, b)
    }
}

/// Cohen's kappa of coders `a` and `b` over the units both rated.
pub fn cohen_kappa(matrix: &RatingMatrix, a: usize, b: usize) -> Stat {
    if a >= matrix.coders() || b >= matrix.coders() {
        return undefined(format!(
            "no such coder: the data have {} coders",
            matrix.coders()
        ));
    }
    let mut counts = PairCounts::new(matrix.categories().len());
    for unit in 0..matrix.units() {
        let row = matrix.raw_row(unit);
        if row[a] != MISSING && row[b] != MISSING {
            counts.add(row[a], row[b]);
        }
    }
    counts.finish(a, b).kappa
}

/// Percent agreement and Cohen's kappa of every pair of coders, in the order
/// `(0, 1), (0, 2), …, (1, 2), …`.
///
/// Pairs are counted in blocks small enough for their counters to stay in cache, so a matrix
/// with few categories is read once; one with very many categories is read once per block.
pub fn pairwise_agreement(matrix: &RatingMatrix) -> Vec<PairAgreement> {
    /// Counters per block of pairs (row and column marginals of every pair in it).
    const BLOCK_CELLS: usize = 1 << 18;
    let c = matrix.coders();
    let k = matrix.categories().len().max(1);
    let pairs: Vec<(usize, usize)> = (0..c)
        .flat_map(|a| (a + 1..c).map(move |b| (a, b)))
        .collect();
    let per_block = (BLOCK_CELLS / (2 * k)).max(1);
    let mut out = Vec::with_capacity(pairs.len());
    for block in pairs.chunks(per_block) {
        let mut counts = vec![PairCounts::new(k); block.len()];
        for unit in 0..matrix.units() {
            let row = matrix.raw_row(unit);
            for (acc, &(a, b)) in counts.iter_mut().zip(block) {
                let (ca, cb) = (row[a], row[b]);
                if ca != MISSING && cb != MISSING {
                    acc.add(ca, cb);
                }
            }
        }
        out.extend(
            counts
                .iter()
                .zip(block)
                .map(|(acc, &(a, b))| acc.finish(a, b)),
        );
    }
    out
}

/// Light's kappa: the mean of Cohen's kappa over all pairs of coders (Light 1971).
///
/// Pairs whose kappa is undefined (no shared unit, one category only) are left out of the
/// mean and counted in [`LightKappa::undefined_pairs`].
pub fn light_kappa(matrix: &RatingMatrix) -> LightKappa {
    let pairs = pairwise_agreement(matrix);
    light_kappa_of_pairs(pairs)
}

/// Light's kappa over already computed pairs.
pub(crate) fn light_kappa_of_pairs(pairs: Vec<PairAgreement>) -> LightKappa {
    let defined: Vec<f64> = pairs.iter().filter_map(|p| p.kappa.clone().ok()).collect();
    let undefined_pairs = pairs.len() - defined.len();
    let kappa = if pairs.is_empty() {
        undefined(reasons::FEWER_THAN_TWO_CODERS)
    } else if let [only] = pairs.as_slice() {
        // Two coders: Light's kappa is their Cohen's kappa, reason and all.
        only.kappa.clone()
    } else if defined.is_empty() {
        let why = pairs
            .iter()
            .find_map(|p| p.kappa.clone().err())
            .map_or_else(String::new, |u: Undefined| u.reason);
        undefined(format!("no pair of coders has a defined kappa ({why})"))
    } else {
        finite(defined.iter().sum::<f64>() / defined.len() as f64)
    };
    LightKappa {
        kappa,
        pairs,
        undefined_pairs,
    }
}

/// Running sums for Fleiss' kappa, so units never need to be held as a table.
struct FleissSums {
    units: u64,
    raters: u64,
    /// `Σ_i Σ_j n_ij²`.
    sum_sq: u128,
    /// `Σ_i n_ij` per category.
    totals: Vec<u64>,
    /// A unit with a different number of ratings than the first one.
    unequal: bool,
}

impl FleissSums {
    fn new(k: usize) -> Self {
        Self {
            units: 0,
            raters: 0,
            sum_sq: 0,
            totals: vec![0; k],
            unequal: false,
        }
    }

    fn add_unit(&mut self, counts: impl Iterator<Item = (usize, u64)>) {
        let mut m = 0;
        for (j, n) in counts {
            if let Some(t) = self.totals.get_mut(j) {
                *t += n;
            }
            self.sum_sq += u128::from(n) * u128::from(n);
            m += n;
        }
        if self.units == 0 {
            self.raters = m;
        } else if m != self.raters {
            self.unequal = true;
        }
        self.units += 1;
    }

    fn kappa(&self) -> Stat {
        if self.units == 0 {
            return undefined("no unit was rated by every coder");
        }
        if self.unequal {
            return undefined("units have different numbers of ratings");
        }
        if self.raters < 2 {
            return undefined(reasons::FEWER_THAN_TWO_CODERS);
        }
        let (n, m) = (self.units as f64, self.raters as f64);
        let all = u128::from(self.units) * u128::from(self.raters);
        let totals_sq: u128 = self.totals.iter().map(|&t| u128::from(t).pow(2)).sum();
        if totals_sq == all * all {
            return undefined(CHANCE_IS_ONE);
        }
        // P̄ = mean_i (Σ_j n_ij² − m) / (m (m − 1)); P̄_e = Σ_j p_j², p_j = total_j / (N m).
        let p_bar = (self.sum_sq as f64 - n * m) / (n * m * (m - 1.0));
        let p_e = totals_sq as f64 / (all as f64).powi(2);
        finite((p_bar - p_e) / (1.0 - p_e))
    }
}

/// Fleiss' kappa over the units rated by every coder.
pub fn fleiss_kappa(matrix: &RatingMatrix) -> FleissKappa {
    let k = matrix.categories().len();
    let mut sums = FleissSums::new(k);
    let mut scratch = vec![0u64; k];
    if matrix.coders() >= 2 {
        for unit in 0..matrix.units() {
            let row = matrix.raw_row(unit);
            if row.contains(&MISSING) {
                continue;
            }
            for &c in row {
                scratch[c as usize] += 1;
            }
            sums.add_unit(row.iter().filter_map(|&c| {
                let n = std::mem::take(&mut scratch[c as usize]);
                (n > 0).then_some((c as usize, n))
            }));
        }
    }
    let kappa = if matrix.coders() < 2 {
        undefined(reasons::FEWER_THAN_TWO_CODERS)
    } else {
        sums.kappa()
    };
    FleissKappa {
        kappa,
        units: sums.units as usize,
    }
}

/// Fleiss' kappa from a subjects × categories table of rater counts (every row must sum to
/// the same number of raters), as Fleiss (1971) tabulates it.
pub fn fleiss_kappa_from_counts<R: AsRef<[u64]>>(counts: &[R]) -> Stat {
    let k = counts.iter().map(|r| r.as_ref().len()).max().unwrap_or(0);
    let mut sums = FleissSums::new(k);
    for row in counts {
        sums.add_unit(row.as_ref().iter().copied().enumerate());
    }
    sums.kappa()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::testdata;

    #[test]
    fn fleiss_1971_example() {
        let from_counts = fleiss_kappa_from_counts(&testdata::FLEISS_1971).unwrap();
        assert_eq!((from_counts * 1000.0).round() / 1000.0, 0.210);
        let f = fleiss_kappa(&testdata::fleiss_1971());
        assert_eq!(f.units, 10);
        assert!((f.kappa.unwrap() - from_counts).abs() < 1e-12);
    }

    #[test]
    fn cohen_textbook_example() {
        let m = testdata::cohen_wikipedia();
        let k = cohen_kappa(&m, 0, 1).unwrap();
        assert!((k - 0.4).abs() < 1e-12, "{k}");
        let pairs = pairwise_agreement(&m);
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].units, pairs[0].agreements), (50, 35));
        assert_eq!(pairs[0].kappa, Ok(k));
        let c = crate::core::agreement::confusion_matrix(&m, 0, 1);
        assert_eq!(PairAgreement::from_confusion(0, 1, &c), pairs[0]);
        assert!((pairs[0].percent_agreement.clone().unwrap() - 0.7).abs() < 1e-12);
    }

    #[test]
    fn light_is_the_mean_of_pairs_and_skips_undefined_ones() {
        let m = testdata::krippendorff_2011();
        let light = light_kappa(&m);
        assert_eq!(light.pairs.len(), 6);
        let manual: Vec<f64> = (0..4)
            .flat_map(|a| (a + 1..4).map(move |b| (a, b)))
            .map(|(a, b)| cohen_kappa(&m, a, b).unwrap())
            .collect();
        let mean = manual.iter().sum::<f64>() / 6.0;
        assert!((light.kappa.unwrap() - mean).abs() < 1e-12);
        assert_eq!(light.undefined_pairs, 0);

        // Coder 2 shares no unit with coder 0: that pair is skipped, the others averaged.
        let partial = testdata::matrix(
            &[
                &[Some(0), Some(0), None],
                &[Some(1), Some(1), None],
                &[None, Some(0), Some(0)],
                &[None, Some(1), Some(0)],
            ],
            2,
        );
        let light = light_kappa(&partial);
        assert_eq!(light.undefined_pairs, 1);
        assert_eq!(
            light.pairs[1].kappa.clone().unwrap_err().reason,
            NO_SHARED_UNIT
        );
        // Pair (0,1) agrees perfectly (1.0); pair (1,2): p_o = 1/2, p_e = 1/2 → 0.
        assert!((light.kappa.unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn kappas_undefined_with_reasons() {
        let same = testdata::matrix(&[&[Some(1), Some(1)], &[Some(1), Some(1)]], 3);
        assert_eq!(cohen_kappa(&same, 0, 1).unwrap_err().reason, CHANCE_IS_ONE);
        assert_eq!(fleiss_kappa(&same).kappa.unwrap_err().reason, CHANCE_IS_ONE);
        let gaps = testdata::matrix(&[&[Some(1), None], &[None, Some(0)]], 2);
        let f = fleiss_kappa(&gaps);
        assert_eq!(f.units, 0);
        assert!(f.kappa.is_err());
        assert!(cohen_kappa(&gaps, 0, 5).is_err());
        let single = testdata::matrix(&[&[Some(1)], &[Some(0)]], 2);
        assert_eq!(
            light_kappa(&single).kappa.unwrap_err().reason,
            reasons::FEWER_THAN_TWO_CODERS
        );
        assert!(fleiss_kappa_from_counts(&[[1u64, 1], [2, 1]]).is_err());
    }

    #[test]
    fn pair_blocks_do_not_change_results() {
        // Many categories force one pair per block; the result must not depend on it.
        let k = 1 << 18;
        let categories =
            crate::core::agreement::Categories::new((0..k).map(|i| i.to_string())).unwrap();
        let rows = [
            [Some(0), Some(0), Some(5)],
            [Some(5), Some(7), Some(5)],
            [Some(7), Some(7), None],
        ];
        let m = RatingMatrix::from_rows(&rows, 3, categories).unwrap();
        let pairs = pairwise_agreement(&m);
        for p in &pairs {
            assert_eq!(p.kappa, cohen_kappa(&m, p.a, p.b));
        }
        assert_eq!((pairs[0].units, pairs[0].agreements), (3, 2));
    }
}
