//! Gwet's AC1 for any number of raters with missing ratings (Gwet 2008; Gwet 2014, ch. 4).
//!
//! `AC1 = (p_a − p_e) / (1 − p_e)` with
//! - `p_a`: over the `n'` units with `r_i ≥ 2` ratings, the mean of
//!   `Σ_k r_ik (r_ik − 1) / (r_i (r_i − 1))` (the same as percent agreement);
//! - `π_k = (1/n) Σ_i r_ik / r_i` over the `n` units with at least one rating;
//! - `p_e = Σ_k π_k (1 − π_k) / (q − 1)` with `q` the number of categories of the scale.
//!
//! `q` is the scale's size, not the number of categories used: a category nobody chose still
//! lowers chance agreement. A table read from CSV only knows the values that occur.

use super::data::{RatingMatrix, UnitCounts};
use super::stat::{Stat, finite, reasons, undefined};

/// Gwet's AC1 of `matrix`.
pub fn gwet_ac1(matrix: &RatingMatrix) -> Stat {
    if matrix.coders() < 2 {
        return undefined(reasons::FEWER_THAN_TWO_CODERS);
    }
    gwet_ac1_of(&UnitCounts::build(matrix, 1), matrix.categories().len())
}

/// [`gwet_ac1`] over prepared units with at least one rating, on a scale of `q` categories.
pub(crate) fn gwet_ac1_of(units: &UnitCounts, q: usize) -> Stat {
    if q < 2 {
        return undefined("the scale has a single category, so chance agreement is undefined");
    }
    let mut pi = vec![0.0f64; q];
    let mut p_a_sum = 0.0;
    let mut pairable = 0u64;
    for u in 0..units.len() {
        let (r, cats, counts) = units.unit(u);
        let r_f = f64::from(r);
        for (&c, &n) in cats.iter().zip(counts) {
            pi[c as usize] += f64::from(n) / r_f;
        }
        if r >= 2 {
            pairable += 1;
            let agreeing: u64 = counts
                .iter()
                .map(|&n| u64::from(n) * u64::from(n - 1))
                .sum();
            p_a_sum += agreeing as f64 / (r_f * (r_f - 1.0));
        }
    }
    if pairable == 0 {
        return undefined(reasons::NO_PAIRABLE_UNIT);
    }
    let n = units.len() as f64;
    let p_a = p_a_sum / pairable as f64;
    let p_e = pi
        .iter()
        .map(|&s| {
            let p = s / n;
            p * (1.0 - p)
        })
        .sum::<f64>()
        / (q as f64 - 1.0);
    // p_e ≤ 1/q ≤ 1/2 here, so the denominator cannot vanish.
    finite((p_a - p_e) / (1.0 - p_e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::testdata;

    #[test]
    fn gwet_example_four_raters_with_missing() {
        // The 4 raters × 12 units data (Krippendorff's example, distributed with Gwet's
        // irrCAC as `cac.raw4raters`): p_a = 9/11, π = (3, 3.25, 3.5, 1.25, 1)/12,
        // p_e = Σπ(1 − π)/4 = 0.190321, AC1 = 0.77544.
        let m = testdata::krippendorff_2011();
        let pi = [3.0, 3.25, 3.5, 1.25, 1.0].map(|x| x / 12.0);
        let p_e = pi.iter().map(|p| p * (1.0 - p)).sum::<f64>() / 4.0;
        let p_a = 9.0 / 11.0;
        let want = (p_a - p_e) / (1.0 - p_e);
        let got = gwet_ac1(&m).unwrap();
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        assert_eq!((got * 1e5).round() / 1e5, 0.77544);
    }

    #[test]
    fn two_raters_matches_gwet_2008_formula() {
        // For two raters AC1 = (p_a − p_e)/(1 − p_e), p_e = 2 π (1 − π), π = (A + B)/2 / N
        // for a yes/no table (Gwet 2008, eq. 2 and 3): here π_yes = (25 + 30)/100 = 0.55.
        let m = testdata::cohen_wikipedia();
        let p_e = 2.0 * 0.55 * 0.45;
        let want = (0.7 - p_e) / (1.0 - p_e);
        assert!((gwet_ac1(&m).unwrap() - want).abs() < 1e-12);
    }

    #[test]
    fn undefined_cases() {
        let one_cat = testdata::matrix(&[&[Some(0), Some(0)]], 1);
        assert!(gwet_ac1(&one_cat).is_err());
        let alone = testdata::matrix(&[&[Some(0), None], &[None, Some(1)]], 2);
        assert_eq!(
            gwet_ac1(&alone).unwrap_err().reason,
            reasons::NO_PAIRABLE_UNIT
        );
        // Perfect agreement on a two-category scale is 1, even if one category is unused.
        let perfect = testdata::matrix(&[&[Some(0), Some(0)], &[Some(0), Some(0)]], 2);
        assert_eq!(gwet_ac1(&perfect), Ok(1.0));
    }
}
