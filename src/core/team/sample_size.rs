//! How many articles the reliability sample needs: Lacy & Riffe (1996).
//!
//! Lacy, S., & Riffe, D. (1996). Sampling error and selecting intercoder reliability samples
//! for nominal content categories. *Journalism & Mass Communication Quarterly*, 73(4),
//! 963–973. The reliability sample is a sample of the study's units; the agreement found in
//! it should, with a stated confidence, not lie more than a tolerance above the agreement
//! that coding every unit would give. With the standard error of a proportion and the
//! finite-population correction this gives
//!
//! ```text
//!     n = ((N − 1)·SE² + P·Q·N) / ((N − 1)·SE² + P·Q)      SE = tolerance / z
//! ```
//!
//! `N` the population (here: the articles that could be drawn), `P` the agreement assumed in
//! it, `Q = 1 − P`, and `z` the one-tailed standard normal quantile of the confidence (the
//! worry is agreement *below* the minimum, so one tail). `n` is rounded up. `docs/team.md`
//! works an example through.

use serde::{Deserialize, Serialize};

/// The formula as recorded in a plan, so a report can quote it.
pub const FORMULA: &str = "n = ((N-1)*SE^2 + P*Q*N) / ((N-1)*SE^2 + P*Q), Q = 1-P, SE = tolerance / z, z one-tailed (Lacy & Riffe 1996)";

/// What the researcher decides.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LacyRiffeInputs {
    /// `N`: how many units (articles) the sample is drawn from.
    pub population: usize,
    /// `P`: the agreement assumed among all units (e.g. 0.90).
    pub assumed_agreement: f64,
    /// How far the sample's agreement may lie above the population's (e.g. 0.05).
    pub tolerance: f64,
    /// Confidence that it does not lie further (e.g. 0.95).
    pub confidence: f64,
}

/// The inputs, what was derived from them and the resulting size, as a plan records them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LacyRiffe {
    /// `N`.
    pub population: usize,
    /// `P`.
    pub assumed_agreement: f64,
    /// The tolerance.
    pub tolerance: f64,
    /// The confidence.
    pub confidence: f64,
    /// The one-tailed `z` of the confidence.
    pub z: f64,
    /// `SE = tolerance / z`.
    pub standard_error: f64,
    /// The formula used ([`FORMULA`]).
    pub formula: String,
    /// `n`, rounded up.
    pub n: usize,
}

impl LacyRiffe {
    /// The inputs this record was computed from.
    pub fn inputs(&self) -> LacyRiffeInputs {
        LacyRiffeInputs {
            population: self.population,
            assumed_agreement: self.assumed_agreement,
            tolerance: self.tolerance,
            confidence: self.confidence,
        }
    }
}

/// Why the inputs cannot give a sample size.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Checks the inputs and computes the sample size.
pub fn lacy_riffe(inputs: LacyRiffeInputs) -> Result<LacyRiffe, InputError> {
    let LacyRiffeInputs {
        population,
        assumed_agreement: p,
        tolerance,
        confidence,
    } = inputs;
    let bad = |s: String| Err(InputError(s));
    if population == 0 {
        return bad("the population must hold at least one article".into());
    }
    if !(p > 0.0 && p < 1.0) {
        return bad(format!(
            "the assumed agreement must lie between 0 and 1 (e.g. 0.90), not {p}"
        ));
    }
    if !(tolerance > 0.0 && tolerance < 1.0) {
        return bad(format!(
            "the tolerance must lie between 0 and 1 (e.g. 0.05), not {tolerance}"
        ));
    }
    if !(confidence > 0.5 && confidence < 1.0) {
        return bad(format!(
            "the confidence must lie between 0.5 and 1 (e.g. 0.95), not {confidence}"
        ));
    }
    let z = normal_quantile(confidence);
    let se = tolerance / z;
    let n_raw = raw_size(population, p, se);
    Ok(LacyRiffe {
        population,
        assumed_agreement: p,
        tolerance,
        confidence,
        z,
        standard_error: se,
        formula: FORMULA.to_owned(),
        n: round_up(n_raw),
    })
}

/// The formula before rounding, for a given standard error.
pub fn raw_size(population: usize, p: f64, se: f64) -> f64 {
    let big_n = population as f64;
    let pq = p * (1.0 - p);
    let spread = (big_n - 1.0) * se * se;
    (spread + pq * big_n) / (spread + pq)
}

/// Rounds a sample size up, ignoring floating-point dust (50.000000000001 is 50).
#[allow(clippy::cast_sign_loss)] // n is at least 1 by the formula
fn round_up(n: f64) -> usize {
    (n - 1e-9).ceil().max(1.0) as usize
}

/// The standard normal distribution function Φ(x), by Simpson's rule on the density from 0
/// to |x| (4,096 panels: error far below 1e-12 for the quantiles used here). Written out
/// rather than taken from a crate: it is a few lines and its accuracy is easy to check.
pub fn normal_cdf(x: f64) -> f64 {
    const PANELS: usize = 4096;
    let density = |t: f64| (-0.5 * t * t).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let b = x.abs().min(40.0);
    let h = b / PANELS as f64;
    let mut sum = density(0.0) + density(b);
    for i in 1..PANELS {
        let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += weight * density(i as f64 * h);
    }
    let half = sum * h / 3.0;
    if x < 0.0 { 0.5 - half } else { 0.5 + half }
}

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by bisection on [`normal_cdf`].
pub fn normal_quantile(p: f64) -> f64 {
    let (mut lo, mut hi) = (-40.0_f64, 40.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if normal_cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-13 {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantiles_match_the_tables() {
        // Quantiles of the standard normal as printed in every statistics table.
        for (p, z) in [
            (0.90, 1.281_551_565_5),
            (0.95, 1.644_853_626_9),
            (0.975, 1.959_963_984_5),
            (0.99, 2.326_347_874_0),
        ] {
            assert!(
                (normal_quantile(p) - z).abs() < 1e-8,
                "{p}: {}",
                normal_quantile(p)
            );
        }
        assert!((normal_cdf(1.96) - 0.975_002_104_8).abs() < 1e-9);
        assert!((normal_cdf(-1.0) - 0.158_655_253_9).abs() < 1e-9);
    }

    /// The worked example of `docs/team.md`: N = 100 articles, P = .90, tolerance .05,
    /// 95% confidence (one-tailed z = 1.6449).
    #[test]
    fn lacy_riffe_worked_example() {
        let r = lacy_riffe(LacyRiffeInputs {
            population: 100,
            assumed_agreement: 0.90,
            tolerance: 0.05,
            confidence: 0.95,
        })
        .unwrap();
        assert!((r.z - 1.644_853_6).abs() < 1e-6);
        assert!(
            (r.standard_error - 0.030_397_8).abs() < 1e-7,
            "{}",
            r.standard_error
        );
        let raw = raw_size(100, 0.90, r.standard_error);
        assert!((raw - 50.097).abs() < 0.001, "{raw}");
        assert_eq!(r.n, 51);
        assert_eq!(r.formula, FORMULA);
    }

    /// With SE rounded to .03 (as when z = 1.64 and the tolerance .05 are worked by hand),
    /// N = 1,000 and P = .90 give (999·.0009 + 90) / (999·.0009 + .09) = 91.9, so 92.
    #[test]
    fn lacy_riffe_by_hand_with_a_rounded_standard_error() {
        let raw = raw_size(1000, 0.90, 0.03);
        assert!((raw - 90.8991 / 0.9891).abs() < 1e-9, "{raw}");
        assert_eq!(round_up(raw), 92);
    }

    #[test]
    fn larger_populations_and_lower_agreement_need_more() {
        let n = |population, p| {
            lacy_riffe(LacyRiffeInputs {
                population,
                assumed_agreement: p,
                tolerance: 0.05,
                confidence: 0.95,
            })
            .unwrap()
            .n
        };
        assert!(n(1000, 0.90) > n(100, 0.90));
        assert!(n(1000, 0.85) > n(1000, 0.90));
        // Never more than the population, never fewer than one.
        assert_eq!(n(1, 0.9), 1);
        assert!(n(20, 0.6) <= 20);
    }

    #[test]
    fn bad_inputs_are_refused_with_the_reason() {
        let ok = LacyRiffeInputs {
            population: 100,
            assumed_agreement: 0.9,
            tolerance: 0.05,
            confidence: 0.95,
        };
        let err = |i| lacy_riffe(i).unwrap_err().0;
        assert!(
            err(LacyRiffeInputs {
                population: 0,
                ..ok
            })
            .contains("population")
        );
        assert!(
            err(LacyRiffeInputs {
                assumed_agreement: 90.0,
                ..ok
            })
            .contains("0.90")
        );
        assert!(
            err(LacyRiffeInputs {
                tolerance: 0.0,
                ..ok
            })
            .contains("tolerance")
        );
        assert!(
            err(LacyRiffeInputs {
                confidence: 95.0,
                ..ok
            })
            .contains("confidence")
        );
        assert!(
            err(LacyRiffeInputs {
                assumed_agreement: f64::NAN,
                ..ok
            })
            .contains("NaN")
        );
    }
}
