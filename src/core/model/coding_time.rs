//! Focused coding time: how long a coder worked on an article and on each claim.
//!
//! Teams plan with it ("an article takes 12 minutes, a claim 40 seconds"), as published tools
//! record it (Label Studio's `lead_time`). Wall-clock time between a file's first and last save
//! says nothing of that: a coder who opens an article on Monday and finishes it on Friday did
//! not code for four days. So time is credited from the coder's own actions: the gap between
//! two actions counts, up to [`IDLE_AFTER`]; a longer pause counts only that much (reading
//! before the next key press is work, a lunch break is not), and time with the window out of
//! focus does not count at all.
//!
//! The file keeps whole seconds in a `time` block after the claims, one line per claim, so an
//! edited claim's time changes only its own line and files without it stay byte-identical.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The longest pause between two actions that still counts as work.
pub const IDLE_AFTER: Duration = Duration::from_mins(2);

/// The focused seconds recorded in one annotation file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodingTime {
    /// Seconds the coder worked on the article, all claims included.
    pub article: u64,
    /// Seconds each claim (by id) was the one being worked on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub claims: BTreeMap<String, u64>,
}

impl CodingTime {
    /// Nothing recorded (not written to the file).
    pub fn is_empty(&self) -> bool {
        self.article == 0 && self.claims.is_empty()
    }

    /// The seconds recorded for one claim (0 when none).
    pub fn claim(&self, id: &str) -> u64 {
        self.claims.get(id).copied().unwrap_or(0)
    }

    /// Forgets the time of claims that are no longer in the file, so a deleted claim's line
    /// goes with it (its seconds stay in the article's total).
    pub fn retain_claims<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        let keep: BTreeSet<&str> = ids.into_iter().collect();
        self.claims.retain(|id, _| keep.contains(id.as_str()));
    }

    /// Three-way merge of two machines' records of the same file. Time is additive: what each
    /// side spent since the common ancestor is added to it, so no side's work is lost and
    /// nothing is counted twice. Without an ancestor the two records are independent and are
    /// summed. Only the claims in `keep` (the merged file's claims) keep a line.
    pub fn merge(base: Option<&Self>, ours: &Self, theirs: &Self, keep: &BTreeSet<&str>) -> Self {
        let add = |b: u64, o: u64, t: u64| o.saturating_add(t).saturating_sub(b).max(o.max(t));
        let base_claim = |id: &str| base.map_or(0, |b| b.claim(id));
        let claims = ours
            .claims
            .keys()
            .chain(theirs.claims.keys())
            .filter(|id| keep.contains(id.as_str()))
            .map(|id| {
                let secs = add(base_claim(id), ours.claim(id), theirs.claim(id));
                (id.clone(), secs)
            })
            .collect();
        Self {
            article: add(base.map_or(0, |b| b.article), ours.article, theirs.article),
            claims,
        }
    }
}

/// Credits time from the gaps between a coder's actions (see the module doc).
#[derive(Clone, Debug)]
pub struct FocusClock {
    idle_after: Duration,
    last: Option<Instant>,
}

impl Default for FocusClock {
    fn default() -> Self {
        Self::new(IDLE_AFTER)
    }
}

impl FocusClock {
    /// A clock that counts pauses up to `idle_after`.
    pub fn new(idle_after: Duration) -> Self {
        Self {
            idle_after,
            last: None,
        }
    }

    /// The coder acted at `now`: returns the work time since the previous action (none for
    /// the first action after a pause).
    pub fn act(&mut self, now: Instant) -> Duration {
        let credit = self.last.map_or(Duration::ZERO, |last| {
            now.saturating_duration_since(last).min(self.idle_after)
        });
        self.last = Some(now);
        credit
    }

    /// The coder stopped at `now` (the window lost focus, the article was left): returns the
    /// work time up to now; the next action starts afresh.
    pub fn pause(&mut self, now: Instant) -> Duration {
        let credit = self.act(now);
        self.last = None;
        credit
    }
}

/// Time credited in memory and not yet written: fractions of a second are carried, so many
/// short gaps add up to the right number of whole seconds.
#[derive(Clone, Debug, Default)]
pub struct Accrual {
    article: Duration,
    claims: BTreeMap<String, Duration>,
}

impl Accrual {
    /// Credits `time` to the article and, if one was being worked on, to `claim`.
    pub fn credit(&mut self, time: Duration, claim: Option<&str>) {
        if time.is_zero() {
            return;
        }
        self.article += time;
        if let Some(id) = claim {
            *self.claims.entry(id.to_owned()).or_default() += time;
        }
    }

    /// The whole seconds credited to the article and not yet written.
    pub fn article_seconds(&self) -> u64 {
        self.article.as_secs()
    }

    /// Whether at least one whole second waits to be written.
    pub fn has_whole_seconds(&self) -> bool {
        self.article.as_secs() > 0
    }

    /// Moves the whole seconds into `record`, keeping the fractions for later.
    pub fn write_into(&mut self, record: &mut CodingTime) {
        record.article += take_whole(&mut self.article);
        for (id, time) in &mut self.claims {
            let secs = take_whole(time);
            if secs > 0 {
                *record.claims.entry(id.clone()).or_default() += secs;
            }
        }
        self.claims.retain(|_, time| !time.is_zero());
    }
}

/// Takes the whole seconds out of `time`, leaving the fraction.
fn take_whole(time: &mut Duration) -> u64 {
    let secs = time.as_secs();
    *time -= Duration::from_secs(secs);
    secs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_count_up_to_the_idle_limit_and_a_pause_restarts() {
        let t0 = Instant::now();
        let mut clock = FocusClock::new(Duration::from_mins(2));
        assert_eq!(
            clock.act(t0),
            Duration::ZERO,
            "the first action starts the clock"
        );
        assert_eq!(
            clock.act(t0 + Duration::from_secs(30)),
            Duration::from_secs(30)
        );
        // Ten minutes away: only the idle limit counts.
        assert_eq!(
            clock.act(t0 + Duration::from_secs(630)),
            Duration::from_mins(2)
        );
        assert_eq!(
            clock.pause(t0 + Duration::from_secs(640)),
            Duration::from_secs(10)
        );
        // Out of focus for an hour: nothing, and the next action starts afresh.
        assert_eq!(clock.act(t0 + Duration::from_secs(4240)), Duration::ZERO);
    }

    #[test]
    fn fractions_are_carried_into_whole_seconds() {
        let mut acc = Accrual::default();
        let mut record = CodingTime::default();
        for _ in 0..5 {
            acc.credit(Duration::from_millis(700), Some("c1"));
        }
        assert!(acc.has_whole_seconds());
        acc.write_into(&mut record);
        assert_eq!(record.article, 3);
        assert_eq!(record.claim("c1"), 3);
        acc.credit(Duration::from_millis(600), None);
        acc.write_into(&mut record);
        assert_eq!(record.article, 4, "0.5 s carried + 0.6 s = one more second");
        assert_eq!(
            record.claim("c1"),
            3,
            "time with no claim selected is the article's only"
        );
    }

    #[test]
    fn a_merge_adds_what_each_side_spent_since_the_base() {
        let rec = |a: u64, c: &[(&str, u64)]| CodingTime {
            article: a,
            claims: c.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        };
        let base = rec(100, &[("a", 10), ("gone", 5)]);
        let ours = rec(160, &[("a", 30), ("gone", 5)]);
        let theirs = rec(130, &[("a", 10), ("b", 20)]);
        let keep: BTreeSet<&str> = ["a", "b"].into();
        let merged = CodingTime::merge(Some(&base), &ours, &theirs, &keep);
        assert_eq!(merged, rec(190, &[("a", 30), ("b", 20)]));
        // No ancestor: two independent records are summed.
        let merged = CodingTime::merge(None, &rec(10, &[]), &rec(5, &[]), &keep);
        assert_eq!(merged.article, 15);
    }

    #[test]
    fn the_file_form_is_short_and_omitted_when_empty() {
        assert!(CodingTime::default().is_empty());
        let mut t = CodingTime::default();
        t.retain_claims(["x"]);
        assert!(t.is_empty());
        t.claims.insert("x".into(), 4);
        t.claims.insert("y".into(), 2);
        t.retain_claims(["x"]);
        assert_eq!(t.claims.len(), 1);
    }
}

#[cfg(test)]
mod file_tests {
    use crate::core::model::annotation::AnnotationFile;
    use crate::core::storage::store::{parse_ron, to_ron};
    use crate::core::testkit;

    #[test]
    fn the_time_block_is_one_line_per_claim_and_reads_back_identically() {
        let mut file: AnnotationFile = testkit::file(
            "ana",
            vec![
                testkit::claim("c1", 1, "wang-yi", "favor"),
                testkit::claim("c2", 2, "wang-yi", "against"),
            ],
        );
        let plain = to_ron(&file).unwrap();
        assert!(!plain.contains("time:"), "no block without time:\n{plain}");
        file.time.article = 312;
        file.time.claims.insert("c1".into(), 40);
        file.time.claims.insert("c2".into(), 7);
        let text = to_ron(&file).unwrap();
        assert!(
            text.contains("    time: (\n        article: 312,\n"),
            "{text}"
        );
        assert!(text.contains("            \"c1\": 40,\n"), "{text}");
        let back: AnnotationFile = parse_ron(std::path::Path::new("x.ron"), &text).unwrap();
        assert_eq!(back, file);
        assert_eq!(to_ron(&back).unwrap(), text);
    }
}
