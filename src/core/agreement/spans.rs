//! Agreement on claim boundaries: claims as stretches of text rather than sentences.
//!
//! Two views, because they answer different questions:
//! - **Matching** ([`match_spans`]): take one coder's claims as the reference and the other's
//!   as the answer; a claim is found when the other coder has one with exactly the same
//!   boundaries (*exact*) or one that shares at least one byte with it (*overlap*, each claim
//!   used at most once). Precision, recall and F1 follow; F1 does not depend on which coder is
//!   the reference.
//! - **Krippendorff's unitizing alpha** ([`unitizing_alpha`], αU, Krippendorff 1995, 2004
//!   §12.4): every coder divides the text into claims and gaps; observed disagreement sums the
//!   squared boundary differences of overlapping segments, expected disagreement does the same
//!   for every way the coders' segments could have been placed. It is chance-corrected, so a
//!   coder who marks every sentence does not look good.
//!
//! Positions are byte offsets into the article file (the offsets annotation files store).

use super::stat::{Stat, Undefined, finite, undefined};

/// A claim's stretch of text: byte offsets `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    fn overlap(self, other: Self) -> usize {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }
}

/// How two claims must line up to count as the same claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matching {
    /// Same start and same end.
    Exact,
    /// At least one byte in common.
    Overlap,
}

/// How many of two coders' claims match (see [`match_spans`]); counts add up over articles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchCounts {
    /// Claims of the reference coder.
    pub reference: usize,
    /// Claims of the other coder.
    pub other: usize,
    /// Pairs with identical boundaries.
    pub exact: usize,
    /// Pairs that overlap, each claim in at most one pair.
    pub overlap: usize,
}

impl MatchCounts {
    /// Adds another article's counts.
    pub fn add(&mut self, other: Self) {
        self.reference += other.reference;
        self.other += other.other;
        self.exact += other.exact;
        self.overlap += other.overlap;
    }

    fn matched(self, m: Matching) -> usize {
        match m {
            Matching::Exact => self.exact,
            Matching::Overlap => self.overlap,
        }
    }

    /// Share of the other coder's claims that the reference coder also made.
    pub fn precision(self, m: Matching) -> Stat {
        ratio(self.matched(m), self.other, "the other coder made no claim")
    }

    /// Share of the reference coder's claims that the other coder also made.
    pub fn recall(self, m: Matching) -> Stat {
        ratio(
            self.matched(m),
            self.reference,
            "the reference coder made no claim",
        )
    }

    /// Harmonic mean of precision and recall: `2·matched / (reference + other)`.
    pub fn f1(self, m: Matching) -> Stat {
        ratio(
            2 * self.matched(m),
            self.reference + self.other,
            "neither coder made a claim",
        )
    }
}

fn ratio(num: usize, den: usize, why: &str) -> Stat {
    if den == 0 {
        undefined(why)
    } else {
        finite(num as f64 / den as f64)
    }
}

/// Matches `other`'s claims against `reference`'s.
///
/// Exact matches pair equal spans (a span listed twice pairs twice only if both lists have it
/// twice). Overlap matches are one-to-one and greedy by overlap length, longest first (ties by
/// position): close to the best assignment and, unlike it, easy to explain.
pub fn match_spans(reference: &[Span], other: &[Span]) -> MatchCounts {
    let mut refs = reference.to_vec();
    let mut others = other.to_vec();
    refs.sort_unstable();
    others.sort_unstable();
    let (mut ir, mut io, mut exact) = (0, 0, 0);
    while ir < refs.len() && io < others.len() {
        match refs[ir].cmp(&others[io]) {
            std::cmp::Ordering::Less => ir += 1,
            std::cmp::Ordering::Greater => io += 1,
            std::cmp::Ordering::Equal => {
                exact += 1;
                ir += 1;
                io += 1;
            }
        }
    }
    // Candidate pairs: `others` is sorted by start, so those that may overlap a reference
    // claim begin after its start minus the longest other claim, and before its end.
    let longest = others.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (ia, sa) in refs.iter().enumerate() {
        let from = others.partition_point(|sb| sb.start + longest <= sa.start);
        for (ib, sb) in others.iter().enumerate().skip(from) {
            if sb.start >= sa.end {
                break;
            }
            let o = sa.overlap(*sb);
            if o > 0 {
                pairs.push((o, ia, ib));
            }
        }
    }
    pairs.sort_unstable_by(|x, y| y.0.cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let (mut used_a, mut used_b) = (vec![false; refs.len()], vec![false; others.len()]);
    let mut overlap = 0;
    for (_, ia, ib) in pairs {
        if !used_a[ia] && !used_b[ib] {
            used_a[ia] = true;
            used_b[ib] = true;
            overlap += 1;
        }
    }
    MatchCounts {
        reference: refs.len(),
        other: others.len(),
        exact,
        overlap,
    }
}

/// Krippendorff's unitizing alpha with its parts.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitizingAlpha {
    /// Coders.
    pub coders: usize,
    /// Length of the continuum (bytes).
    pub length: usize,
    /// Claims (units) over all coders, after merging a coder's overlapping claims.
    pub units: usize,
    /// Observed disagreement `D_o`.
    pub observed: f64,
    /// Expected disagreement `D_e`.
    pub expected: f64,
    /// `1 − D_o / D_e`.
    pub alpha: Stat,
}

/// One stretch of a coder's division of the continuum.
#[derive(Clone, Copy, Debug)]
struct Segment {
    begin: f64,
    len: f64,
    unit: bool,
}

impl Segment {
    fn end(self) -> f64 {
        self.begin + self.len
    }
}

/// Unitizing alpha for one category (claims) on a continuum `0..length`.
///
/// `coders[i]` are coder `i`'s claims; each coder must have read the whole continuum (a coder
/// without claims marked none). Overlapping claims of one coder are merged into one unit,
/// since αU needs a coder's units of one category not to overlap; spans past `length` are cut.
///
/// With `m` coders, segments `g` (units and gaps) of coder `i` beginning at `b` of length `ℓ`:
///
/// - `D_o = Σ_i Σ_{j≠i} Σ_g Σ_h δ²(g, h) / (m (m−1) L²)`, where `δ²` is `(b_g−b_h)² +
///   (e_g−e_h)²` for overlapping units, `ℓ_g²` for a unit inside the other coder's gap (and
///   vice versa), 0 otherwise;
/// - `D_e = (2/L) Σ_units [ (N−1)/3 · (2ℓ³ − 3ℓ² + ℓ) + ℓ² Σ_{gaps ≥ ℓ} (ℓ_gap − ℓ + 1) ]
///   / (mL(mL−1) − Σ_units ℓ(ℓ−1))`, over every coder's units and gaps, `N` units in all
///   (Krippendorff 2004, p. 254, whose worked example the tests reproduce).
pub fn unitizing_alpha(length: usize, coders: &[Vec<Span>]) -> Result<UnitizingAlpha, Undefined> {
    if coders.len() < 2 {
        return undefined("fewer than two coders");
    }
    if length == 0 {
        return undefined("the text is empty");
    }
    let divisions: Vec<Vec<Segment>> = coders.iter().map(|c| divide(length, c)).collect();
    let units: Vec<f64> = divisions
        .iter()
        .flatten()
        .filter(|s| s.unit)
        .map(|s| s.len)
        .collect();
    if units.is_empty() {
        return undefined("no coder marked a claim");
    }
    let m = coders.len() as f64;
    let l = length as f64;
    let mut observed = 0.0;
    for (i, di) in divisions.iter().enumerate() {
        for dj in &divisions[i + 1..] {
            observed += 2.0 * pair_disagreement(di, dj);
        }
    }
    observed /= m * (m - 1.0) * l * l;
    let expected = expected_disagreement(&divisions, &units, m, l);
    let alpha = if expected > 0.0 {
        finite(1.0 - observed / expected)
    } else {
        undefined("expected disagreement is zero (the claims leave no room to differ)")
    };
    Ok(UnitizingAlpha {
        coders: coders.len(),
        length,
        units: units.len(),
        observed,
        expected,
        alpha,
    })
}

/// A coder's claims as alternating gaps and units covering `0..length`.
fn divide(length: usize, spans: &[Span]) -> Vec<Segment> {
    let mut sorted: Vec<Span> = spans
        .iter()
        .map(|s| Span::new(s.start.min(length), s.end.min(length)))
        .filter(|s| s.len() > 0)
        .collect();
    sorted.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(sorted.len());
    for s in sorted {
        match merged.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let mut out = Vec::with_capacity(2 * merged.len() + 1);
    let mut pos = 0;
    let seg = |b: usize, e: usize, unit| Segment {
        begin: b as f64,
        len: (e - b) as f64,
        unit,
    };
    for s in merged {
        if s.start > pos {
            out.push(seg(pos, s.start, false));
        }
        out.push(seg(s.start, s.end, true));
        pos = s.end;
    }
    if pos < length {
        out.push(seg(pos, length, false));
    }
    out
}

/// `Σ_g Σ_h δ²(g, h)` for one ordered pair of coders: walk both divisions together, so only
/// overlapping segments meet.
fn pair_disagreement(first: &[Segment], second: &[Segment]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while let (Some(&g), Some(&h)) = (first.get(i), second.get(j)) {
        sum += distance(g, h);
        if g.end() <= h.end() {
            i += 1;
        }
        if h.end() <= g.end() {
            j += 1;
        }
    }
    sum
}

/// `δ²` of two overlapping segments of different coders.
fn distance(g: Segment, h: Segment) -> f64 {
    match (g.unit, h.unit) {
        (true, true) => (g.begin - h.begin).powi(2) + (g.end() - h.end()).powi(2),
        (true, false) if h.begin <= g.begin && g.end() <= h.end() => g.len * g.len,
        (false, true) if g.begin <= h.begin && h.end() <= g.end() => h.len * h.len,
        _ => 0.0,
    }
}

fn expected_disagreement(divisions: &[Vec<Segment>], units: &[f64], m: f64, l: f64) -> f64 {
    let mut gaps: Vec<f64> = divisions
        .iter()
        .flatten()
        .filter(|s| !s.unit)
        .map(|s| s.len)
        .collect();
    gaps.sort_unstable_by(f64::total_cmp);
    // suffix[k] = Σ gaps[k..]: the gaps at least ℓ long are a suffix of the sorted list.
    let mut suffix = vec![0.0; gaps.len() + 1];
    for k in (0..gaps.len()).rev() {
        suffix[k] = suffix[k + 1] + gaps[k];
    }
    let n = units.len() as f64;
    let mut sum = 0.0;
    let mut self_pairs = 0.0;
    for &len in units {
        let from = gaps.partition_point(|&g| g < len);
        let count = (gaps.len() - from) as f64;
        let fitting = suffix[from] - count * (len - 1.0);
        sum += (n - 1.0) / 3.0 * (2.0 * len.powi(3) - 3.0 * len * len + len) + len * len * fitting;
        self_pairs += len * (len - 1.0);
    }
    let denominator = m * l * (m * l - 1.0) - self_pairs;
    if denominator <= 0.0 {
        return 0.0;
    }
    2.0 / l * sum / denominator
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp, clippy::many_single_char_names)]
mod tests {
    use super::*;

    fn spans(v: &[(usize, usize)]) -> Vec<Span> {
        v.iter().map(|&(b, len)| Span::new(b, b + len)).collect()
    }

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} is not {b} ± {tol}");
    }

    #[test]
    fn krippendorff_2004_worked_example() {
        // Content Analysis (2nd ed., 2004), p. 254: a continuum from 150 to 450, category c;
        // coder i marks 225+70 and 370+30, coder j 220+80, 355+20 and 400+20. Shifted to 0.
        let i = spans(&[(75, 70), (220, 30)]);
        let j = spans(&[(70, 80), (205, 20), (250, 20)]);
        let u = unitizing_alpha(300, &[i, j]).unwrap();
        close(u.observed, 0.0144, 0.00005);
        close(u.expected, 0.0532, 0.00005);
        close(u.alpha.unwrap(), 0.7286, 0.00005);
        assert_eq!(u.units, 5);
    }

    #[test]
    fn krippendorff_1995_examples() {
        // Sociological Methodology 25 (1995), p. 57: pairs of coders on 24 positions.
        // Pair A: Bertha marks 2+8 and 14+6; Bill 4+4 and 15+2.
        let a = [spans(&[(2, 8), (14, 6)]), spans(&[(4, 4), (15, 2)])];
        close(unitizing_alpha(24, &a).unwrap().observed, 0.03125, 1e-5);
        // Pair C, stretched so that the continuum is long (D_e then settles): ≈ 0.679.
        let c0 = [(2, 6), (10, 2), (14, 4), (20, 2)];
        let c1 = [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)];
        let s = 50_000;
        let stretch = |v: &[(usize, usize)]| {
            let w: Vec<(usize, usize)> = v.iter().map(|&(b, l)| (b * s, l * s)).collect();
            spans(&w)
        };
        let u = unitizing_alpha(24 * s, &[stretch(&c0), stretch(&c1)]).unwrap();
        close(u.observed, 0.02777, 1e-5);
        close(u.expected, 0.08642, 0.005);
        close(u.alpha.unwrap(), 0.679, 0.02);
    }

    #[test]
    fn identical_coders_agree_perfectly_and_none_is_undefined() {
        let c = spans(&[(10, 20), (50, 5)]);
        let u = unitizing_alpha(100, &[c.clone(), c.clone(), c]).unwrap();
        assert_eq!(u.observed, 0.0);
        assert_eq!(u.alpha, Ok(1.0));
        assert!(unitizing_alpha(100, &[vec![], vec![]]).is_err());
        assert!(unitizing_alpha(100, &[spans(&[(1, 2)])]).is_err());
        assert!(unitizing_alpha(0, &[vec![], vec![]]).is_err());
    }

    #[test]
    fn a_coders_overlapping_claims_merge_into_one_unit() {
        let merged =
            unitizing_alpha(100, &[spans(&[(10, 20), (20, 20)]), spans(&[(10, 30)])]).unwrap();
        assert_eq!(merged.units, 2);
        assert_eq!(merged.alpha, Ok(1.0));
    }

    #[test]
    fn disagreeing_more_lowers_alpha() {
        let base = spans(&[(10, 20), (50, 20)]);
        let near = spans(&[(12, 20), (50, 18)]);
        let far = spans(&[(30, 10), (80, 15)]);
        let a_near = unitizing_alpha(100, &[base.clone(), near])
            .unwrap()
            .alpha
            .unwrap();
        let a_far = unitizing_alpha(100, &[base, far]).unwrap().alpha.unwrap();
        assert!(a_near > a_far, "{a_near} vs {a_far}");
        assert!(a_near < 1.0);
    }

    #[test]
    fn matching_counts_exact_and_overlapping_claims_once() {
        let a = spans(&[(0, 10), (20, 10), (40, 10)]);
        // (0,10) exact; (22,10) overlaps (20,10); (25,2) also overlaps it but it is taken;
        // (60,5) matches nothing.
        let b = spans(&[(0, 10), (22, 10), (25, 2), (60, 5)]);
        let m = match_spans(&a, &b);
        assert_eq!((m.reference, m.other, m.exact, m.overlap), (3, 4, 1, 2));
        assert_eq!(m.precision(Matching::Exact), Ok(0.25));
        assert_eq!(m.recall(Matching::Overlap), Ok(2.0 / 3.0));
        assert_eq!(m.f1(Matching::Overlap), Ok(4.0 / 7.0));
        // F1 does not depend on who is the reference.
        let r = match_spans(&b, &a);
        assert_eq!(r.f1(Matching::Overlap), m.f1(Matching::Overlap));
        assert!(match_spans(&[], &[]).f1(Matching::Exact).is_err());
    }

    #[test]
    fn overlap_matching_prefers_the_larger_overlap() {
        // b0 overlaps a0 by 2 and a1 by 8: greedy pairs b0–a1, then b1–a0.
        let a = spans(&[(0, 10), (12, 10)]);
        let b = spans(&[(8, 12), (0, 5)]);
        assert_eq!(match_spans(&a, &b).overlap, 2);
    }
}
