//! Krippendorff's alpha for any number of coders, missing values and four levels.
//!
//! Alpha is `1 − D_o / D_e` over the coincidence matrix of Krippendorff (2011): every unit with
//! `m_u ≥ 2` values contributes each ordered pair of its values with weight `1 / (m_u − 1)`.
//! [`coincidence_matrix`] and [`alpha_from_coincidence`] follow that paper step by step and
//! serve as the reference; [`krippendorff_alpha`] computes the same number without the K × K
//! matrix, in O(units × coders + categories) (ratio: + categories²):
//!
//! - nominal: a unit's disagreeing ordered pairs are `m_u² − Σ_c n_uc²`;
//! - interval: `Σ_{i≠j} (v_i − v_j)² = 2 m_u Σ_i (v_i − v̄_u)²`, a variance, so no pairs at all;
//! - ordinal: Krippendorff's rank distance `Σ_{g=c}^{k} n_g − (n_c + n_k)/2` equals `p_k − p_c`
//!   with the mid-rank position `p_c = Σ_{g<c} n_g + n_c / 2`, so ordinal alpha is interval
//!   alpha on the positions;
//! - ratio: `((v_c − v_k)/(v_c + v_k))²` has no such shortcut; pairs of the categories present
//!   in a unit are summed.

use super::Level;
use super::data::{Categories, RatingMatrix, UnitCounts};
use super::stat::{Stat, finite, reasons, undefined};

/// The ratio metric is only meaningful on a scale with a true zero and no negative values.
const RATIO_NEEDS_NON_NEGATIVE: &str =
    "the ratio level needs values of zero or more, and a rating is negative";

/// Krippendorff's alpha of `matrix` at `level`; units with fewer than two values don't count.
pub fn krippendorff_alpha(matrix: &RatingMatrix, level: Level) -> Stat {
    if matrix.coders() < 2 {
        return undefined(reasons::FEWER_THAN_TWO_CODERS);
    }
    let units = UnitCounts::build(matrix, 2);
    AlphaData::new(&units, matrix.categories().values(), level).alpha(None)
}

/// The pairable units of a matrix, prepared so alpha can be recomputed for any weighting of
/// units (the bootstrap draws units with replacement, i.e. integer weights).
pub(crate) struct AlphaData<'a> {
    units: &'a UnitCounts,
    values: &'a [f64],
    level: Level,
    /// Each unit's `Σ_{i≠j} δ²(v_i, v_j) / (m_u − 1)`; empty for ordinal, whose distances
    /// depend on the marginal frequencies and so change with every weighting.
    unit_do: Vec<f64>,
}

impl<'a> AlphaData<'a> {
    /// Prepares `units` (units with at least two values) on a scale with these `values`.
    pub(crate) fn new(units: &'a UnitCounts, values: &'a [f64], level: Level) -> Self {
        let unit_do = match level {
            Level::Ordinal => Vec::new(),
            _ => (0..units.len())
                .map(|u| {
                    let (m, cats, counts) = units.unit(u);
                    let m = f64::from(m);
                    let pairs = match level {
                        Level::Nominal => {
                            let same: f64 = counts.iter().map(|&n| f64::from(n).powi(2)).sum();
                            m * m - same
                        }
                        Level::Ratio => ratio_pairs(cats, counts, values),
                        Level::Interval | Level::Ordinal => {
                            squared_spread(cats, counts, |c| values[c as usize])
                        }
                    };
                    pairs / (m - 1.0)
                })
                .collect(),
        };
        Self {
            units,
            values,
            level,
            unit_do,
        }
    }

    /// Alpha with unit `u` counted `weights[u]` times (once each when `None`).
    pub(crate) fn alpha(&self, weights: Option<&[u32]>) -> Stat {
        let weight = |u: usize| weights.map_or(1.0, |w| f64::from(w[u]));
        // Marginals n_c of the coincidence matrix: every pairable value counts once.
        let mut n_c = vec![0.0f64; self.values.len()];
        let mut do_sum = 0.0;
        for u in 0..self.units.len() {
            let w = weight(u);
            if w == 0.0 {
                continue;
            }
            let (_, cats, counts) = self.units.unit(u);
            for (&c, &k) in cats.iter().zip(counts) {
                n_c[c as usize] += w * f64::from(k);
            }
            if let Some(d) = self.unit_do.get(u) {
                do_sum += w * d;
            }
        }
        let n: f64 = n_c.iter().sum();
        if n < 2.0 {
            return undefined(reasons::NO_PAIRABLE_UNIT);
        }
        if n_c.iter().filter(|&&x| x > 0.0).count() < 2 {
            return undefined(reasons::ONE_CATEGORY);
        }
        let expected = match self.level {
            Level::Nominal => n * n - n_c.iter().map(|x| x * x).sum::<f64>(),
            Level::Interval => expected_spread(&n_c, self.values, n),
            Level::Ordinal => {
                let positions = mid_rank_positions(&n_c);
                for u in 0..self.units.len() {
                    let w = weight(u);
                    if w == 0.0 {
                        continue;
                    }
                    let (m, cats, counts) = self.units.unit(u);
                    let spread = squared_spread(cats, counts, |c| positions[c as usize]);
                    do_sum += w * spread / (f64::from(m) - 1.0);
                }
                expected_spread(&n_c, &positions, n)
            }
            Level::Ratio => {
                if n_c
                    .iter()
                    .zip(self.values)
                    .any(|(&k, &v)| k > 0.0 && v < 0.0)
                {
                    return undefined(RATIO_NEEDS_NON_NEGATIVE);
                }
                expected_ratio(&n_c, self.values)
            }
        };
        if expected <= 0.0 {
            return undefined(reasons::ONE_CATEGORY);
        }
        // α = 1 − D_o/D_e with D_o = do_sum/n and D_e = expected/(n(n − 1)).
        finite(1.0 - (n - 1.0) * do_sum / expected)
    }
}

/// `Σ_{i≠j} (x_i − x_j)²` over the values of one unit, as `2 m Σ_i (x_i − x̄)²`.
fn squared_spread(cats: &[u32], counts: &[u32], x: impl Fn(u32) -> f64) -> f64 {
    let m: f64 = counts.iter().map(|&k| f64::from(k)).sum();
    let mean = cats
        .iter()
        .zip(counts)
        .map(|(&c, &k)| f64::from(k) * x(c))
        .sum::<f64>()
        / m;
    let ss: f64 = cats
        .iter()
        .zip(counts)
        .map(|(&c, &k)| f64::from(k) * (x(c) - mean).powi(2))
        .sum();
    2.0 * m * ss
}

/// `Σ_c Σ_k n_c n_k (x_c − x_k)²` from the marginals, as `2 n Σ_c n_c (x_c − x̄)²`.
fn expected_spread(n_c: &[f64], x: &[f64], n: f64) -> f64 {
    let mean = n_c.iter().zip(x).map(|(k, v)| k * v).sum::<f64>() / n;
    2.0 * n
        * n_c
            .iter()
            .zip(x)
            .map(|(k, v)| k * (v - mean).powi(2))
            .sum::<f64>()
}

/// The ordinal position of each category: values ranked below it plus half its own.
fn mid_rank_positions(n_c: &[f64]) -> Vec<f64> {
    let mut below = 0.0;
    n_c.iter()
        .map(|&k| {
            let p = below + k / 2.0;
            below += k;
            p
        })
        .collect()
}

/// Krippendorff's ratio distance between two values.
fn ratio_delta2(a: f64, b: f64) -> f64 {
    let sum = a + b;
    if sum == 0.0 {
        0.0
    } else {
        ((a - b) / sum).powi(2)
    }
}

/// `Σ_{i≠j} δ²_ratio` over one unit's values, by pairs of the categories present.
fn ratio_pairs(cats: &[u32], counts: &[u32], values: &[f64]) -> f64 {
    let mut sum = 0.0;
    for (i, (&c, &kc)) in cats.iter().zip(counts).enumerate() {
        for (&d, &kd) in cats[i + 1..].iter().zip(&counts[i + 1..]) {
            sum += 2.0
                * f64::from(kc)
                * f64::from(kd)
                * ratio_delta2(values[c as usize], values[d as usize]);
        }
    }
    sum
}

/// `Σ_c Σ_k n_c n_k δ²_ratio` over the categories that occur.
fn expected_ratio(n_c: &[f64], values: &[f64]) -> f64 {
    let used: Vec<(f64, f64)> = n_c
        .iter()
        .zip(values)
        .filter(|&(&k, _)| k > 0.0)
        .map(|(&k, &v)| (k, v))
        .collect();
    let mut sum = 0.0;
    for (i, &(kc, vc)) in used.iter().enumerate() {
        for &(kd, vd) in &used[i + 1..] {
            sum += 2.0 * kc * kd * ratio_delta2(vc, vd);
        }
    }
    sum
}

/// The coincidence matrix `o_ck` of Krippendorff (2011), categories × categories.
///
/// `o_ck = Σ_u (number of c–k pairs of values in unit u) / (m_u − 1)` over units with
/// `m_u ≥ 2`; its row sums are the pairable values per category and its total is `n`.
pub fn coincidence_matrix(matrix: &RatingMatrix) -> Vec<Vec<f64>> {
    let k = matrix.categories().len();
    let mut o = vec![vec![0.0; k]; k];
    let units = UnitCounts::build(matrix, 2);
    for u in 0..units.len() {
        let (m, cats, counts) = units.unit(u);
        let scale = 1.0 / (f64::from(m) - 1.0);
        for (&c, &nc) in cats.iter().zip(counts) {
            for (&d, &nd) in cats.iter().zip(counts) {
                let pairs = if c == d {
                    f64::from(nc) * (f64::from(nc) - 1.0)
                } else {
                    f64::from(nc) * f64::from(nd)
                };
                o[c as usize][d as usize] += pairs * scale;
            }
        }
    }
    o
}

/// Alpha from a coincidence matrix, with the distances of Krippendorff (2011) written out
/// literally; the reference against which [`krippendorff_alpha`] is tested.
pub fn alpha_from_coincidence(o: &[Vec<f64>], categories: &Categories, level: Level) -> Stat {
    let values = categories.values();
    let k = values.len().min(o.len());
    let n_c: Vec<f64> = o
        .iter()
        .take(k)
        .map(|row| row.iter().take(k).sum())
        .collect();
    let n: f64 = n_c.iter().sum();
    if n < 2.0 {
        return undefined(reasons::NO_PAIRABLE_UNIT);
    }
    if level == Level::Ratio && n_c.iter().zip(values).any(|(&x, &v)| x > 0.0 && v < 0.0) {
        return undefined(RATIO_NEEDS_NON_NEGATIVE);
    }
    let delta2 = |c: usize, d: usize| -> f64 {
        if c == d {
            return 0.0;
        }
        match level {
            Level::Nominal => 1.0,
            Level::Ordinal => {
                let (lo, hi) = (c.min(d), c.max(d));
                let between: f64 = n_c[lo..=hi].iter().sum();
                (between - f64::midpoint(n_c[lo], n_c[hi])).powi(2)
            }
            Level::Interval => (values[c] - values[d]).powi(2),
            Level::Ratio => ratio_delta2(values[c], values[d]),
        }
    };
    let mut observed = 0.0;
    let mut expected = 0.0;
    for c in 0..k {
        for d in 0..k {
            let delta = delta2(c, d);
            observed += o[c][d] * delta;
            expected += n_c[c] * n_c[d] * delta;
        }
    }
    let d_o = observed / n;
    let d_e = expected / (n * (n - 1.0));
    if d_e <= 0.0 {
        return undefined(reasons::ONE_CATEGORY);
    }
    finite(1.0 - d_o / d_e)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::testdata;

    fn round3(x: f64) -> f64 {
        (x * 1000.0).round() / 1000.0
    }

    #[test]
    fn krippendorff_2011_example_all_levels() {
        let m = testdata::krippendorff_2011();
        let expected = [
            (Level::Nominal, 0.743),
            (Level::Ordinal, 0.815),
            (Level::Interval, 0.849),
            (Level::Ratio, 0.797),
        ];
        for (level, want) in expected {
            let got = krippendorff_alpha(&m, level).unwrap();
            assert_eq!(round3(got), want, "{level}: {got}");
            let reference =
                alpha_from_coincidence(&coincidence_matrix(&m), m.categories(), level).unwrap();
            assert!(
                (got - reference).abs() < 1e-12,
                "{level}: {got} vs {reference}"
            );
        }
    }

    #[test]
    fn krippendorff_2011_coincidences() {
        // The paper's coincidence matrix, row for value 1: o_11 = 7, o_12 = 4/3, o_13 = 1/3,
        // o_14 = 1/3; its marginals n_c are 9, 13, 10, 5, 3 with n = 40.
        let m = testdata::krippendorff_2011();
        let o = coincidence_matrix(&m);
        let row1 = [7.0, 4.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0, 0.0];
        for (got, want) in o[0].iter().zip(row1) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        let n_c: Vec<f64> = o.iter().map(|r| r.iter().sum()).collect();
        for (got, want) in n_c.iter().zip([9.0, 13.0, 10.0, 5.0, 3.0]) {
            assert!((got - want).abs() < 1e-12);
        }
        assert_eq!(UnitCounts::build(&m, 2).values(), 40);
        let units = UnitCounts::build(&m, 2);
        assert_eq!(units.len(), 11);
    }

    #[test]
    fn undefined_cases_say_why() {
        let one = testdata::matrix(&[&[Some(0), Some(0)], &[Some(0), Some(0)]], 2);
        assert_eq!(
            krippendorff_alpha(&one, Level::Nominal).unwrap_err().reason,
            reasons::ONE_CATEGORY
        );
        let lonely = testdata::matrix(&[&[Some(0), None], &[None, Some(1)]], 2);
        assert_eq!(
            krippendorff_alpha(&lonely, Level::Interval)
                .unwrap_err()
                .reason,
            reasons::NO_PAIRABLE_UNIT
        );
        let single = testdata::matrix(&[&[Some(0)], &[Some(1)]], 2);
        assert_eq!(
            krippendorff_alpha(&single, Level::Ordinal)
                .unwrap_err()
                .reason,
            reasons::FEWER_THAN_TWO_CODERS
        );
        let negative = RatingMatrix::from_rows(
            &[[Some(0), Some(1)], [Some(1), Some(1)]],
            2,
            Categories::numeric(vec![-1.0, 2.0]).unwrap(),
        )
        .unwrap();
        assert!(krippendorff_alpha(&negative, Level::Ratio).is_err());
        assert!(krippendorff_alpha(&negative, Level::Interval).is_ok());
    }

    #[test]
    fn perfect_and_systematic_disagreement() {
        let same = testdata::matrix(&[&[Some(0), Some(0)], &[Some(1), Some(1)]], 2);
        assert_eq!(krippendorff_alpha(&same, Level::Nominal), Ok(1.0));
        // Two coders who always disagree on two units.
        let opposite = testdata::matrix(&[&[Some(0), Some(1)], &[Some(1), Some(0)]], 2);
        let a = krippendorff_alpha(&opposite, Level::Nominal).unwrap();
        // n = 4, n_0 = n_1 = 2: D_o = 1, D_e = (16 − 8)/(4·3) = 2/3, alpha = −1/2.
        assert!((a + 0.5).abs() < 1e-12, "{a}");
    }

    #[test]
    fn weights_equal_repeating_units() {
        let m = testdata::krippendorff_2011();
        for level in [
            Level::Nominal,
            Level::Ordinal,
            Level::Interval,
            Level::Ratio,
        ] {
            let units = UnitCounts::build(&m, 2);
            let data = AlphaData::new(&units, m.categories().values(), level);
            let weights: Vec<u32> = (0..units.len()).map(|u| (u % 3) as u32).collect();
            let mut rows = Vec::new();
            let pairable: Vec<usize> = (0..m.units())
                .filter(|&u| m.rated(u).count() >= 2)
                .collect();
            for (i, &u) in pairable.iter().enumerate() {
                for _ in 0..weights[i] {
                    rows.push((0..m.coders()).map(|c| m.get(u, c)).collect::<Vec<_>>());
                }
            }
            let repeated =
                RatingMatrix::from_rows(&rows, m.coders(), m.categories().clone()).unwrap();
            let a = data.alpha(Some(&weights)).unwrap();
            let b = krippendorff_alpha(&repeated, level).unwrap();
            assert!((a - b).abs() < 1e-12, "{level}: {a} vs {b}");
        }
    }
}
