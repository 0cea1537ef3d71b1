//! Coder drift: how well each coder agrees with the others, week by week.
//!
//! For coder `c` and week `w`, take the units `c` rated during `w`; compare `c`'s category on
//! each with every other coder's rating of the same unit (whenever that was made). The share
//! of those comparisons that agree is `c`'s agreement in week `w`: pairwise percent agreement
//! restricted to the units coded that week. A coder whose line sinks while the others' stay
//! put is drifting away from the shared reading of the codebook.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::data::RatingMatrix;
use super::stat::{Stat, finite, undefined};

/// One coder's agreement with the others in one week.
#[derive(Clone, Debug, PartialEq)]
pub struct DriftPoint {
    /// The coder (index into the matrix's coders).
    pub coder: usize,
    /// The week bucket (see [`week_bucket`]).
    pub week: i64,
    /// Units this coder rated that week.
    pub units: u64,
    /// Comparisons with other coders' ratings of those units.
    pub comparisons: u64,
    /// Comparisons in which both gave the same category.
    pub agreements: u64,
    /// `agreements / comparisons`.
    pub agreement: Stat,
}

/// Per coder and week, that coder's pairwise percent agreement with the other coders.
///
/// `week_of(unit, coder)` gives the week of a rating (e.g. [`week_bucket`] of the time the
/// claim was last changed); ratings without one are still used as comparisons for others.
/// Points are ordered by coder, then week; only weeks in which the coder rated something
/// appear.
pub fn drift(
    matrix: &RatingMatrix,
    week_of: impl Fn(usize, usize) -> Option<i64>,
) -> Vec<DriftPoint> {
    // (coder, week) → (units, comparisons, agreements)
    let mut sums: BTreeMap<(usize, i64), (u64, u64, u64)> = BTreeMap::new();
    let mut rated: Vec<(usize, usize)> = Vec::new();
    for unit in 0..matrix.units() {
        rated.clear();
        rated.extend(matrix.rated(unit));
        for &(coder, category) in &rated {
            let Some(week) = week_of(unit, coder) else {
                continue;
            };
            let others = (rated.len() - 1) as u64;
            let agreeing = rated
                .iter()
                .filter(|&&(other, c)| other != coder && c == category)
                .count() as u64;
            let entry = sums.entry((coder, week)).or_default();
            entry.0 += 1;
            entry.1 += others;
            entry.2 += agreeing;
        }
    }
    sums.into_iter()
        .map(
            |((coder, week), (units, comparisons, agreements))| DriftPoint {
                coder,
                week,
                units,
                comparisons,
                agreements,
                agreement: if comparisons == 0 {
                    undefined("no other coder rated the units this coder rated that week")
                } else {
                    finite(agreements as f64 / comparisons as f64)
                },
            },
        )
        .collect()
}

/// Seconds in a day.
const DAY: i64 = 86_400;
/// 1970-01-01 was a Thursday; weeks start on Monday (ISO 8601), three days earlier.
const EPOCH_TO_MONDAY: i64 = 3;

/// The week of a moment: whole weeks since Monday 1969-12-29 (UTC), so buckets are ISO weeks.
pub fn week_bucket(t: DateTime<Utc>) -> i64 {
    (t.timestamp().div_euclid(DAY) + EPOCH_TO_MONDAY).div_euclid(7)
}

/// The Monday that starts week bucket `week`, for labels; `None` outside chrono's range.
pub fn week_start(week: i64) -> Option<NaiveDate> {
    let days = week.checked_mul(7)?.checked_sub(EPOCH_TO_MONDAY)?;
    DateTime::from_timestamp(days.checked_mul(DAY)?, 0).map(|d| d.date_naive())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::testdata;
    use chrono::{Datelike, TimeZone, Weekday};

    #[test]
    fn weeks_start_on_monday() {
        let sunday = Utc.with_ymd_and_hms(2024, 3, 10, 23, 59, 59).unwrap();
        let monday = Utc.with_ymd_and_hms(2024, 3, 11, 0, 0, 0).unwrap();
        assert_eq!(week_bucket(monday), week_bucket(sunday) + 1);
        let start = week_start(week_bucket(sunday)).unwrap();
        assert_eq!(start, NaiveDate::from_ymd_opt(2024, 3, 4).unwrap());
        assert_eq!(start.weekday(), Weekday::Mon);
        let old = Utc.with_ymd_and_hms(1969, 12, 28, 12, 0, 0).unwrap();
        assert_eq!(week_bucket(old), -1);
    }

    #[test]
    fn drift_compares_each_rating_with_the_others() {
        // Three coders, four units. Coder 0 codes units 0–1 in week 1 and units 2–3 in week 2;
        // coders 1 and 2 code everything in week 1.
        let m = testdata::matrix(
            &[
                &[Some(0), Some(0), Some(0)],
                &[Some(1), Some(1), Some(0)],
                &[Some(0), Some(1), Some(1)],
                &[Some(1), Some(0), None],
            ],
            2,
        );
        let points = drift(&m, |unit, coder| {
            Some(if coder == 0 && unit >= 2 { 2 } else { 1 })
        });
        let coder0: Vec<_> = points.iter().filter(|p| p.coder == 0).collect();
        assert_eq!(coder0.len(), 2);
        // Week 1: unit 0 agrees with both (2/2), unit 1 with one (1/2) → 3/4.
        assert_eq!(
            (coder0[0].week, coder0[0].comparisons, coder0[0].agreements),
            (1, 4, 3)
        );
        // Week 2: unit 2 agrees with none (0/2), unit 3 with none (0/1) → 0/3.
        assert_eq!(
            (coder0[1].units, coder0[1].comparisons, coder0[1].agreements),
            (2, 3, 0)
        );
        assert_eq!(coder0[1].agreement, Ok(0.0));
        let coder2: Vec<_> = points.iter().filter(|p| p.coder == 2).collect();
        assert_eq!(coder2.len(), 1);
        assert_eq!(coder2[0].units, 3);
    }

    #[test]
    fn a_coder_alone_on_a_unit_has_undefined_agreement() {
        let m = testdata::matrix(&[&[Some(0), None]], 1);
        let points = drift(&m, |_, _| Some(0));
        assert_eq!(points.len(), 1);
        assert!(points[0].agreement.is_err());
        assert!(drift(&m, |_, _| None).is_empty());
    }
}
