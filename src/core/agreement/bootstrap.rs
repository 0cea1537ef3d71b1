//! A bootstrap 95% interval for Krippendorff's alpha, reproducible from a seed.
//!
//! What is resampled: the *units* that have at least two values, drawn with replacement as
//! many times as there are such units; alpha (observed *and* expected disagreement, and for
//! the ordinal level the ranks) is recomputed on each sample. The interval is the 2.5th and
//! 97.5th percentile of the replicates (linear interpolation between order statistics).
//! Hayes & Krippendorff (2007) instead resample pairs of values from the coincidence matrix
//! with the expected disagreement held fixed; resampling units keeps the values of a unit
//! together, which respects that they are not independent. `docs/agreement.md` says more.

use std::num::NonZeroUsize;

use super::Level;
use super::alpha::AlphaData;
use super::data::{RatingMatrix, UnitCounts};
use super::rng::SplitMix64;
use super::stat::{Undefined, reasons};

/// A percentile bootstrap interval.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfidenceInterval {
    /// Lower bound (2.5th percentile).
    pub low: f64,
    /// Upper bound (97.5th percentile).
    pub high: f64,
    /// Replicates drawn.
    pub replicates: usize,
    /// Replicates in which alpha was undefined (e.g. every drawn value the same category);
    /// they are left out of the percentiles.
    pub undefined_replicates: usize,
    /// The seed the replicates came from.
    pub seed: u64,
    /// Alpha in each replicate where it was defined, sorted ascending: what
    /// [`Self::share_below`] reads, so q(α < α_min) comes from the same bootstrap as the
    /// interval.
    pub alphas: Vec<f64>,
}

impl ConfidenceInterval {
    /// Krippendorff's q: the share of bootstrap replicates whose alpha is below `min`, i.e.
    /// the probability of failing to reach `min` (as KALPHA reports it; Hayes & Krippendorff
    /// 2007). Replicates where alpha was undefined are left out, as from the percentiles.
    pub fn share_below(&self, min: f64) -> f64 {
        if self.alphas.is_empty() {
            return 0.0;
        }
        // Sorted, so the replicates below `min` are a prefix.
        self.alphas.partition_point(|&a| a < min) as f64 / self.alphas.len() as f64
    }
}

/// Most threads the bootstrap uses; replicates are independent, so more only costs memory.
const MAX_THREADS: usize = 8;

/// A 95% bootstrap interval for alpha from `replicates` resamples of units, seeded by `seed`.
///
/// The same seed gives the same interval on any machine and any number of threads: each
/// replicate draws from its own stream of the seed.
pub fn alpha_bootstrap_ci(
    matrix: &RatingMatrix,
    level: Level,
    replicates: usize,
    seed: u64,
) -> Result<ConfidenceInterval, Undefined> {
    if matrix.coders() < 2 {
        return Err(Undefined::new(reasons::FEWER_THAN_TWO_CODERS));
    }
    let units = UnitCounts::build(matrix, 2);
    bootstrap_units(
        &units,
        matrix.categories().values(),
        level,
        replicates,
        seed,
    )
}

/// The bootstrap over prepared pairable units (see [`alpha_bootstrap_ci`]).
pub(crate) fn bootstrap_units(
    units: &UnitCounts,
    values: &[f64],
    level: Level,
    replicates: usize,
    seed: u64,
) -> Result<ConfidenceInterval, Undefined> {
    AlphaData::new(units, values, level).alpha(None)?;
    if replicates == 0 {
        return Err(Undefined::new(
            "no bootstrap replicates were asked for (use at least 1000)",
        ));
    }
    // Units with equal category counts ("profiles") contribute alike, so a replicate only
    // needs how often each profile was drawn. Lay the units out profile by profile: drawing a
    // unit is drawing a slot, and a profile's count is the sum over its run of slots, read in
    // order. The only random memory access per draw is one counter in `slots`.
    let (profiles, of_unit) = units.grouped();
    let of_unit = &of_unit;
    let mut run_ends = vec![0usize; profiles.len()];
    for &p in of_unit {
        run_ends[p as usize] += 1;
    }
    let mut end = 0;
    for size in &mut run_ends {
        end += *size;
        *size = end;
    }
    let data = AlphaData::new(&profiles, values, level);
    let mut results = vec![None; replicates];
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .clamp(1, MAX_THREADS);
    let chunk = replicates.div_ceil(threads);
    std::thread::scope(|scope| {
        for (i, slots) in results.chunks_mut(chunk).enumerate() {
            let (data, run_ends) = (&data, &run_ends);
            scope.spawn(move || {
                let mut draws = Draws::new(of_unit.len(), run_ends.len());
                for (j, slot) in slots.iter_mut().enumerate() {
                    let replicate = (i * chunk + j) as u64;
                    draws.resample(seed, replicate, run_ends);
                    *slot = data.alpha(Some(&draws.per_profile)).ok();
                }
            });
        }
    });
    let mut values: Vec<f64> = results.into_iter().flatten().collect();
    let undefined_replicates = replicates - values.len();
    if values.is_empty() {
        return Err(Undefined::new(
            "alpha is undefined in every bootstrap sample",
        ));
    }
    values.sort_by(f64::total_cmp);
    Ok(ConfidenceInterval {
        low: quantile(&values, 0.025),
        high: quantile(&values, 0.975),
        replicates,
        undefined_replicates,
        seed,
        alphas: values,
    })
}

/// One thread's scratch space for drawing resamples.
struct Draws {
    /// Times each unit slot was drawn, up to 255: one byte per slot keeps the array small
    /// enough to stay in cache, which is what bounds the speed of drawing.
    per_slot: Vec<u8>,
    /// Slots drawn more than 255 times, once per extra draw (a unit drawn 256 times out of
    /// n is practically impossible, but the count stays exact).
    extra: Vec<usize>,
    /// Times each profile was drawn (the sum over its run of slots).
    per_profile: Vec<u32>,
}

impl Draws {
    fn new(units: usize, profiles: usize) -> Self {
        Self {
            per_slot: vec![0; units],
            extra: Vec::new(),
            per_profile: vec![0; profiles],
        }
    }

    /// Draws as many units as there are, with replacement, from stream `replicate` of
    /// `seed`, and counts the draws per profile.
    fn resample(&mut self, seed: u64, replicate: u64, run_ends: &[usize]) {
        let n = self.per_slot.len() as u64;
        let mut rng = SplitMix64::stream(seed, replicate);
        self.count((0..n).map(|_| rng.below(n) as usize), run_ends);
    }

    /// Counts drawn slots per slot and then per profile.
    fn count(&mut self, drawn: impl Iterator<Item = usize>, run_ends: &[usize]) {
        self.per_slot.fill(0);
        self.extra.clear();
        for slot in drawn {
            let count = &mut self.per_slot[slot];
            if *count == u8::MAX {
                self.extra.push(slot);
            } else {
                *count += 1;
            }
        }
        let mut start = 0;
        for (count, &end) in self.per_profile.iter_mut().zip(run_ends) {
            *count = self.per_slot[start..end]
                .iter()
                .map(|&c| u32::from(c))
                .sum();
            start = end;
        }
        for &slot in &self.extra {
            let profile = run_ends.partition_point(|&end| end <= slot);
            self.per_profile[profile] += 1;
        }
    }
}

/// The `p` quantile of sorted `values`, interpolating linearly between order statistics
/// (Hyndman & Fan type 7, the default of R and NumPy).
fn quantile(values: &[f64], p: f64) -> f64 {
    let last = values.len() - 1;
    let h = last as f64 * p.clamp(0.0, 1.0);
    // h is in 0..=last, so the cast neither loses a sign nor overflows.
    #[allow(clippy::cast_sign_loss)]
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    values[lo] + (h - lo as f64) * (values[hi] - values[lo])
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::{krippendorff_alpha, testdata};

    #[test]
    fn same_seed_same_interval_and_it_brackets_alpha() {
        let m = testdata::krippendorff_2011();
        let a = alpha_bootstrap_ci(&m, Level::Interval, 2000, 42).unwrap();
        let b = alpha_bootstrap_ci(&m, Level::Interval, 2000, 42).unwrap();
        assert_eq!(a, b);
        let alpha = krippendorff_alpha(&m, Level::Interval).unwrap();
        assert!(a.low < alpha && alpha < a.high, "{a:?} {alpha}");
        assert!(a.high <= 1.0);
        let c = alpha_bootstrap_ci(&m, Level::Interval, 2000, 43).unwrap();
        assert_ne!(a.low, c.low);
    }

    #[test]
    fn share_below_counts_the_replicates_under_the_minimum() {
        let m = testdata::krippendorff_2011();
        let ci = alpha_bootstrap_ci(&m, Level::Interval, 1000, 7).unwrap();
        assert_eq!(ci.alphas.len(), 1000 - ci.undefined_replicates);
        assert!(ci.alphas.windows(2).all(|w| w[0] <= w[1]));
        let by_hand =
            ci.alphas.iter().filter(|&&a| a < 0.8).count() as f64 / ci.alphas.len() as f64;
        assert_eq!(ci.share_below(0.8), by_hand);
        // Every replicate lies below a minimum above the interval, none below one under it.
        assert_eq!(ci.share_below(1.01), 1.0);
        assert_eq!(ci.share_below(-1.0), 0.0);
        // Roughly 2.5% of the replicates lie below the interval's lower bound.
        assert!(
            (ci.share_below(ci.low) - 0.025).abs() < 0.002,
            "{}",
            ci.share_below(ci.low)
        );
    }

    #[test]
    fn undefined_alpha_gives_undefined_interval() {
        let one = testdata::matrix(&[&[Some(0), Some(0)], &[Some(0), Some(0)]], 2);
        assert!(alpha_bootstrap_ci(&one, Level::Nominal, 100, 1).is_err());
        let m = testdata::krippendorff_2011();
        assert!(alpha_bootstrap_ci(&m, Level::Nominal, 0, 1).is_err());
    }

    #[test]
    fn degenerate_replicates_are_counted() {
        // Two units: one all 0, one all 1. A resample drawing the same unit twice has a
        // single category, so alpha is undefined there (probability 1/2 per replicate).
        let m = testdata::matrix(&[&[Some(0), Some(0)], &[Some(1), Some(1)]], 2);
        let ci = alpha_bootstrap_ci(&m, Level::Nominal, 400, 9).unwrap();
        assert!(ci.undefined_replicates > 100 && ci.undefined_replicates < 300);
        assert_eq!((ci.low, ci.high), (1.0, 1.0));
    }

    #[test]
    fn draws_count_exactly_past_255() {
        // Two profiles: slots 0..1 and 1..3; each resample draws 3 slots.
        let mut d = Draws::new(3, 2);
        let mut total = [0u64; 2];
        for r in 0..300 {
            d.resample(5, r, &[1, 3]);
            assert_eq!(d.per_profile.iter().sum::<u32>(), 3);
            total[0] += u64::from(d.per_profile[0]);
            total[1] += u64::from(d.per_profile[1]);
        }
        // Profile 1 holds two of three slots: about two thirds of 900 draws.
        assert!((500..700).contains(&total[1]), "{total:?}");
        // A slot drawn 300 times overflows its byte; every draw is still counted.
        let mut many = Draws::new(300, 2);
        many.count(std::iter::repeat_n(0, 300).chain([5, 299]), &[1, 300]);
        assert_eq!(many.extra.len(), 45);
        assert_eq!(many.per_profile, [300, 2]);
    }

    #[test]
    fn quantile_interpolates() {
        let v = [0.0, 1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.0);
        assert_eq!(quantile(&v, 0.125), 0.5);
        assert_eq!(quantile(&[3.0], 0.975), 3.0);
    }
}
