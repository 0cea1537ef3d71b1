//! Re-anchoring: finding claims again after their article's text changed.
//!
//! An annotation file records the fingerprint of the article bytes it was coded on. When the
//! article file changes (a corrected typo, a paragraph added by the outlet, boilerplate
//! cleaned up), byte offsets go stale but each claim still carries its `quote` and up to
//! [`CONTEXT_CHARS`](crate::core::model::annotation::CONTEXT_CHARS) characters of text on either
//! side. [`reanchored`] looks for every claim again, in this order:
//!
//! 1. **exact**: the quote occurs once → there; several times → the occurrence whose
//!    surroundings agree most with the stored `before`/`after` context, ties going to the one
//!    nearest the old offset;
//! 2. **fuzzy**, for small edits inside the quote: the stored context is found on both sides of
//!    a stretch of text that differs from the quote by at most [`FUZZY_MAX_EDIT_PERCENT`] % of
//!    its characters; the claim takes the new text as its quote (the coded one stays in
//!    `anchor.was`) and is reported as edited;
//! 3. otherwise the claim is **orphaned**: it is kept exactly as it was (never dropped) and
//!    listed, so a coder can [`attach`] it to a sentence by hand.
//!
//! Found claims get fresh offsets, sentence indices and context. The file takes the new
//! article's fingerprint only when every anchor (and cue) holds in the new text
//! ([`adopt_fingerprint`]); while a claim is orphaned the old fingerprint stays, so the file
//! keeps saying "re-anchoring is unfinished" to the window and to `stance check`.

use std::fmt;
use std::ops::Range;

use crate::core::model::annotation::{Anchor, AnnotationFile, Claim, Cue, now};
use crate::core::text::corpus::Article;

/// Largest share of a quote's characters, in percent, that may differ (insertions, deletions,
/// substitutions) for a fuzzy match; more than this and the coder should look.
pub const FUZZY_MAX_EDIT_PERCENT: usize = 20;

/// Longest quote, in characters, that the fuzzy fallback compares (the edit distance is
/// quadratic in length; claims are sentences, far below this).
const FUZZY_MAX_CHARS: usize = 2_000;

/// How many characters of stored context the fuzzy fallback looks for on each side.
const FUZZY_CONTEXT_CHARS: usize = 16;

/// What happened to one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reanchored {
    /// The quote is still at the same bytes.
    Unchanged,
    /// The quote was found, unchanged, at other bytes.
    Moved {
        /// The old byte range.
        from: Range<usize>,
        /// The new byte range.
        to: Range<usize>,
    },
    /// The quote was found with small edits (fuzzy match); the claim now quotes the new text.
    /// The coder should check the coding still fits.
    Edited {
        /// The old byte range.
        from: Range<usize>,
        /// The new byte range.
        to: Range<usize>,
        /// The quote as it was coded.
        old_quote: String,
    },
    /// The quote could not be found; the claim is kept unchanged and must be attached by hand.
    Orphaned,
}

/// The outcome for one claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimReport {
    /// The claim's id.
    pub id: String,
    /// What happened to its anchor.
    pub outcome: Reanchored,
    /// The claim was found but its attribution cue was not; the cue is kept with its old
    /// offsets (which blocks the fingerprint update) until the coder sets it again.
    pub cue_lost: bool,
}

/// What [`reanchored`] did to a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReanchorReport {
    /// One entry per claim, in the file's order.
    pub claims: Vec<ClaimReport>,
    /// The file now carries the new article's fingerprint (no claim or cue is orphaned).
    pub fingerprint_updated: bool,
}

impl ReanchorReport {
    /// Ids of the orphaned claims.
    pub fn orphans(&self) -> impl Iterator<Item = &str> {
        self.claims
            .iter()
            .filter(|c| c.outcome == Reanchored::Orphaned)
            .map(|c| c.id.as_str())
    }

    /// How many claims moved (exactly or with edits).
    pub fn moved(&self) -> usize {
        self.claims
            .iter()
            .filter(|c| {
                matches!(
                    c.outcome,
                    Reanchored::Moved { .. } | Reanchored::Edited { .. }
                )
            })
            .count()
    }

    /// How many claims were found with small edits.
    pub fn edited(&self) -> usize {
        self.claims
            .iter()
            .filter(|c| matches!(c.outcome, Reanchored::Edited { .. }))
            .count()
    }

    /// Whether every claim was found and the file is in step with the article again.
    pub fn is_complete(&self) -> bool {
        self.fingerprint_updated
    }
}

impl fmt::Display for ReanchorReport {
    /// One line for a status bar: "12 claims: 3 moved (1 with edits), 1 orphaned: c7".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} claims: {} moved", self.claims.len(), self.moved())?;
        if self.edited() > 0 {
            write!(f, " ({} with edits)", self.edited())?;
        }
        let orphans: Vec<&str> = self.orphans().collect();
        if !orphans.is_empty() {
            write!(f, ", {} orphaned: {}", orphans.len(), orphans.join(", "))?;
        }
        let lost = self.claims.iter().filter(|c| c.cue_lost).count();
        if lost > 0 {
            write!(f, ", {lost} cues lost")?;
        }
        Ok(())
    }
}

/// What [`reanchored`] would do to `file` for `article`, without changing anything.
pub fn reanchor(file: &AnnotationFile, article: &Article) -> ReanchorReport {
    reanchored(file, article).1
}

/// `file` with every claim found again in `article`, and the report.
///
/// When the fingerprints already agree nothing is searched: every claim is `Unchanged`.
/// Orphaned claims are returned exactly as they were. The claims are put back in text order
/// only when the fingerprint was updated (an orphan's stale offsets say nothing about order).
pub fn reanchored(file: &AnnotationFile, article: &Article) -> (AnnotationFile, ReanchorReport) {
    let mut out = file.clone();
    if file.article.fingerprint == article.fingerprint {
        let claims = file
            .claims
            .iter()
            .map(|c| ClaimReport {
                id: c.id.clone(),
                outcome: Reanchored::Unchanged,
                cue_lost: false,
            })
            .collect();
        return (
            out,
            ReanchorReport {
                claims,
                fingerprint_updated: false,
            },
        );
    }
    let mut claims = Vec::with_capacity(out.claims.len());
    let mut changed = false;
    for claim in &mut out.claims {
        let report = reanchor_claim(claim, article);
        changed |= report.outcome != Reanchored::Unchanged || report.cue_lost;
        claims.push(report);
    }
    let fingerprint_updated = adopt_fingerprint(&mut out, article);
    if fingerprint_updated {
        out.sort_claims();
    }
    if changed || fingerprint_updated {
        out.modified = now();
    }
    (
        out,
        ReanchorReport {
            claims,
            fingerprint_updated,
        },
    )
}

/// Gives `file` the fingerprint of `article` if every claim's quote and cue text sit at their
/// offsets in the article's text; returns whether it did.
///
/// This is the one rule for when re-anchoring is finished: call it again after attaching
/// orphans by hand.
pub fn adopt_fingerprint(file: &mut AnnotationFile, article: &Article) -> bool {
    let holds = |start: usize, end: usize, quote: &str| {
        start < end && article.text.get(start..end) == Some(quote)
    };
    let all_hold = file.claims.iter().all(|c| {
        holds(c.anchor.start, c.anchor.end, &c.anchor.quote)
            && c.cue
                .as_ref()
                .is_none_or(|cue| holds(cue.start, cue.end, &cue.text))
    });
    if all_hold && file.article.id == article.id {
        file.article.fingerprint.clone_from(&article.fingerprint);
    }
    all_hold && file.article.fingerprint == article.fingerprint
}

/// Sentences as people count them (see [`crate::core::model::annotation::sentence_label`]).
#[allow(clippy::trivially_copy_pass_by_ref)] // thiserror hands the fields over by reference
fn shown(first: &u32, last: &u32) -> String {
    crate::core::model::annotation::sentence_label(*first, *last)
}

/// Why a claim could not be attached to sentences.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttachError {
    /// The sentence indices are reversed or past the end of the article.
    #[error(
        "sentences {} do not exist: the article has {count} sentences",
        shown(.first, .last)
    )]
    NoSuchSentences {
        /// First index asked for.
        first: u32,
        /// Last index asked for.
        last: u32,
        /// How many sentences the article has.
        count: usize,
    },
}

/// The claim re-attached by hand to sentences `first..=last` of `article`: it quotes those
/// sentences whole, with fresh context, and remembers the quote it was coded on
/// (`anchor.was`). Its codings are untouched.
///
/// Its cue is kept if the cue's text occurs within the new sentences (at the occurrence
/// nearest the old offset), and cleared otherwise, since a cue must lie in the article.
/// The caller records the returned claim as an edit (undo, journal), then calls
/// [`adopt_fingerprint`] on the file.
pub fn attach(
    claim: &Claim,
    article: &Article,
    first: u32,
    last: u32,
) -> Result<Claim, AttachError> {
    let range = (first <= last)
        .then(|| article.sentences_range(first, last))
        .flatten()
        .ok_or(AttachError::NoSuchSentences {
            first,
            last,
            count: article.sentences.len(),
        })?;
    let mut out = claim.clone();
    out.anchor =
        Anchor::new(&article.text, first, last, range.start, range.end).coded_on(&claim.anchor);
    out.cue = claim.cue.as_ref().and_then(|cue| {
        nearest_within(&article.text, &cue.text, range.clone(), cue.start).map(|start| Cue {
            start,
            end: start + cue.text.len(),
            text: cue.text.clone(),
        })
    });
    out.modified = now();
    Ok(out)
}

/// Finds `claim` in `article` and updates it in place; an orphan is left untouched.
fn reanchor_claim(claim: &mut Claim, article: &Article) -> ClaimReport {
    let text: &str = &article.text;
    let old = claim.anchor.clone();
    let from = old.start..old.end;
    let found = find_exact(text, &old)
        .map(|r| (r, false))
        .or_else(|| find_fuzzy(text, &old).map(|r| (r, true)));
    let Some((to, fuzzy)) = found else {
        return ClaimReport {
            id: claim.id.clone(),
            outcome: Reanchored::Orphaned,
            cue_lost: false,
        };
    };
    let Some((first, last)) = article.sentences_overlapping(&to) else {
        // Only whitespace lies outside sentences, and a quote is never only whitespace.
        return ClaimReport {
            id: claim.id.clone(),
            outcome: Reanchored::Orphaned,
            cue_lost: false,
        };
    };
    claim.anchor = Anchor::new(text, first, last, to.start, to.end).coded_on(&old);
    let cue_lost = match &claim.cue {
        None => false,
        Some(cue) => {
            // Where the cue would be had it moved with the claim.
            let expected = (cue.start + to.start).saturating_sub(from.start);
            let sentences = article
                .sentences_range(first, last)
                .unwrap_or_else(|| to.clone());
            let start = nearest_within(text, &cue.text, sentences, expected)
                .or_else(|| nearest_within(text, &cue.text, 0..text.len(), expected));
            if let Some(start) = start {
                claim.cue = Some(Cue {
                    start,
                    end: start + cue.text.len(),
                    text: cue.text.clone(),
                });
                false
            } else {
                true
            }
        }
    };
    let outcome = if fuzzy {
        Reanchored::Edited {
            from,
            to,
            old_quote: old.quote,
        }
    } else if to == from {
        Reanchored::Unchanged
    } else {
        Reanchored::Moved { from, to }
    };
    ClaimReport {
        id: claim.id.clone(),
        outcome,
        cue_lost,
    }
}

/// Every start offset of `needle` in `haystack`, overlapping occurrences included.
fn occurrences(haystack: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = haystack.get(from..).and_then(|rest| rest.find(needle)) {
        let at = from + i;
        out.push(at);
        // Step one character, so "aa" is found twice in "aaa".
        from = at + haystack[at..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// The occurrence of `needle` starting within `range` of `text` nearest `expected`.
fn nearest_within(text: &str, needle: &str, range: Range<usize>, expected: usize) -> Option<usize> {
    let hay = text.get(range.clone())?;
    occurrences(hay, needle)
        .into_iter()
        .map(|i| range.start + i)
        .filter(|&s| s + needle.len() <= range.end)
        .min_by_key(|&s| s.abs_diff(expected))
}

/// The exact occurrence of the quote that best fits the stored context.
fn find_exact(text: &str, anchor: &Anchor) -> Option<Range<usize>> {
    let len = anchor.quote.len();
    occurrences(text, &anchor.quote)
        .into_iter()
        .max_by(|&a, &b| {
            let score = |s: usize| context_score(text, s, s + len, anchor);
            // Higher context score wins; then the one nearer the old offset.
            score(a)
                .cmp(&score(b))
                .then_with(|| b.abs_diff(anchor.start).cmp(&a.abs_diff(anchor.start)))
        })
        .map(|s| s..s + len)
}

/// How many characters of stored context agree with the text around `start..end`: the
/// common suffix of `before` and the text before, plus the common prefix of `after` and the
/// text after.
fn context_score(text: &str, start: usize, end: usize, anchor: &Anchor) -> usize {
    let before = anchor
        .before
        .chars()
        .rev()
        .zip(text[..start].chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let after = anchor
        .after
        .chars()
        .zip(text[end..].chars())
        .take_while(|(a, b)| a == b)
        .count();
    before + after
}

/// A stretch of `text` between the stored context that differs from the quote only a little.
fn find_fuzzy(text: &str, anchor: &Anchor) -> Option<Range<usize>> {
    let quote: Vec<char> = anchor.quote.chars().collect();
    if quote.is_empty() || quote.len() > FUZZY_MAX_CHARS {
        return None;
    }
    let head = last_chars(&anchor.before, FUZZY_CONTEXT_CHARS);
    let tail = first_chars(&anchor.after, FUZZY_CONTEXT_CHARS);
    // Without context on both sides any stretch could be "the quote, edited".
    if head.trim().is_empty() || tail.trim().is_empty() {
        return None;
    }
    let budget = quote.len() * FUZZY_MAX_EDIT_PERCENT / 100;
    let min_len = quote.len().saturating_sub(budget);
    let max_len = quote.len() + budget;
    let mut best: Option<(usize, usize, Range<usize>)> = None;
    let tails = occurrences(text, tail);
    for h in occurrences(text, head) {
        let start = h + head.len();
        // The first occurrence of the tail after the head that leaves a plausible length.
        for &t in tails.iter().filter(|&&t| t >= start) {
            let candidate = &text[start..t];
            let n = candidate.chars().count();
            if n > max_len {
                break;
            }
            if n < min_len {
                continue;
            }
            // Claims are trimmed sentences; keep the stretch trimmed the same way.
            let trimmed_start = start + (candidate.len() - candidate.trim_start().len());
            let trimmed_end = t - (candidate.len() - candidate.trim_end().len());
            if trimmed_start >= trimmed_end {
                continue;
            }
            let chars: Vec<char> = text[trimmed_start..trimmed_end].chars().collect();
            if let Some(d) = bounded_edit_distance(&quote, &chars, budget) {
                let distance_from_old = trimmed_start.abs_diff(anchor.start);
                let better = best
                    .as_ref()
                    .is_none_or(|(bd, bo, _)| (d, distance_from_old) < (*bd, *bo));
                if better {
                    best = Some((d, distance_from_old, trimmed_start..trimmed_end));
                }
            }
            break;
        }
    }
    best.map(|(_, _, r)| r)
}

/// The last `n` characters of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    let skip = s.chars().count().saturating_sub(n);
    s.char_indices().nth(skip).map_or("", |(i, _)| &s[i..])
}

/// The first `n` characters of `s`.
fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// The Levenshtein distance between `a` and `b` if it is at most `limit`.
///
/// Only a band of width `2 * limit + 1` around the diagonal is computed: a cheaper answer to
/// "is it within the limit?" than the full table.
fn bounded_edit_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let big = limit + 1;
    let mut prev: Vec<usize> = (0..=b.len()).map(|j| j.min(big)).collect();
    let mut cur = vec![big; b.len() + 1];
    for i in 1..=a.len() {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(b.len());
        cur.fill(big);
        cur[0] = i.min(big);
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = v.min(big);
            row_min = row_min.min(cur[j]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{AnnotationFile, CodebookRef};
    use crate::core::model::codebook::Boilerplate;
    use std::path::PathBuf;

    fn article(text: &str) -> Article {
        Article::new(
            "a1".into(),
            PathBuf::from("a1.txt"),
            text,
            &Boilerplate::default(),
        )
    }

    fn claim_on(article: &Article, phrase: &str, id: &str) -> Claim {
        let start = article.text.find(phrase).unwrap();
        let end = start + phrase.len();
        let (first, last) = article.sentences_overlapping(&(start..end)).unwrap();
        Claim {
            id: id.into(),
            anchor: Anchor::new(&article.text, first, last, start, end),
            speaker: None,
            cue: None,
            stances: [("ceasefire".to_owned(), "favor".to_owned())].into(),
            source: None,
            unsure: false,
            note: String::new(),
            origin: crate::core::model::annotation::Origin::Manual,
            created: now(),
            modified: now(),
        }
    }

    fn file(article: &Article, claims: Vec<Claim>) -> AnnotationFile {
        let mut f = AnnotationFile::new(
            article.reference(),
            CodebookRef {
                id: "cb".into(),
                version: 1,
            },
            "alice",
        );
        f.claims = claims;
        f
    }

    #[test]
    fn edit_distance_is_bounded() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(
            bounded_edit_distance(&c("kitten"), &c("sitting"), 3),
            Some(3)
        );
        assert_eq!(bounded_edit_distance(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(bounded_edit_distance(&c("same"), &c("same"), 0), Some(0));
        assert_eq!(bounded_edit_distance(&c("a"), &c("abcd"), 2), None);
        assert_eq!(
            bounded_edit_distance(&c("“peace”"), &c("\"peace\""), 2),
            Some(2)
        );
    }

    #[test]
    fn overlapping_occurrences_are_all_found() {
        assert_eq!(occurrences("aaa", "aa"), vec![0, 1]);
        assert_eq!(occurrences("é-é", "é"), vec![0, 3]);
        assert_eq!(occurrences("abc", ""), Vec::<usize>::new());
    }

    #[test]
    fn same_fingerprint_changes_nothing() {
        let a = article("One. Two.\n");
        let f = file(&a, vec![claim_on(&a, "Two.", "c1")]);
        let (g, report) = reanchored(&f, &a);
        assert_eq!(g, f);
        assert_eq!(report.claims[0].outcome, Reanchored::Unchanged);
        assert!(!report.fingerprint_updated);
    }

    #[test]
    fn text_inserted_before_moves_the_claim() {
        let a = article("Headline\n\nThe envoy said peace is near. Others disagree.\n");
        let f = file(&a, vec![claim_on(&a, "Others disagree.", "c1")]);
        let b = article(
            "Headline\n\nA new paragraph.\n\nThe envoy said peace is near. Others disagree.\n",
        );
        let (g, report) = reanchored(&f, &b);
        let to = b.text.find("Others").unwrap();
        assert_eq!(
            report.claims[0].outcome,
            Reanchored::Moved {
                from: f.claims[0].anchor.start..f.claims[0].anchor.end,
                to: to..to + "Others disagree.".len()
            }
        );
        assert_eq!(g.claims[0].anchor.first, 3);
        assert_eq!(g.claims[0].anchor.before, last_chars(&b.text[..to], 32));
        assert!(report.fingerprint_updated);
        assert_eq!(g.article.fingerprint, b.fingerprint);
        assert_eq!(report.to_string(), "1 claims: 1 moved");
    }

    #[test]
    fn small_edit_inside_the_quote_is_found_fuzzily() {
        let a = article(
            "Intro line here.\n\nThe minister said the talks were going well. Then he left.\n",
        );
        let f = file(
            &a,
            vec![claim_on(
                &a,
                "The minister said the talks were going well.",
                "c1",
            )],
        );
        let b =
            article("Intro line here.\n\nThe minister said the talks went well. Then he left.\n");
        let (g, report) = reanchored(&f, &b);
        let Reanchored::Edited { old_quote, .. } = &report.claims[0].outcome else {
            panic!("{report:?}");
        };
        assert_eq!(old_quote, "The minister said the talks were going well.");
        assert_eq!(
            g.claims[0].anchor.quote,
            "The minister said the talks went well."
        );
        assert_eq!(
            g.claims[0].anchor.was.as_deref(),
            Some("The minister said the talks were going well.")
        );
        assert!(report.fingerprint_updated);
    }

    #[test]
    fn orphans_are_kept_and_block_the_fingerprint() {
        let a = article("Alpha beta gamma.\n\nDelta epsilon.\n");
        let f = file(&a, vec![claim_on(&a, "Alpha beta gamma.", "c1")]);
        let b = article("Something else entirely.\n\nDelta epsilon.\n");
        let (g, report) = reanchored(&f, &b);
        assert_eq!(report.claims[0].outcome, Reanchored::Orphaned);
        assert_eq!(g.claims, f.claims);
        assert_eq!(g.article.fingerprint, f.article.fingerprint);
        assert_eq!(report.orphans().collect::<Vec<_>>(), vec!["c1"]);

        let mut g = g;
        let attached = attach(&g.claims[0], &b, 0, 0).unwrap();
        assert_eq!(attached.anchor.quote, "Something else entirely.");
        assert_eq!(attached.anchor.was.as_deref(), Some("Alpha beta gamma."));
        assert_eq!(attached.stances, f.claims[0].stances);
        // Attached again elsewhere, it still remembers the quote it was coded on; attached
        // back onto that very text, it quotes it again and has nothing to remember.
        let again = attach(&attached, &b, 1, 1).unwrap();
        assert_eq!(again.anchor.was.as_deref(), Some("Alpha beta gamma."));
        let home = attach(&attached, &a, 0, 0).unwrap();
        assert_eq!(
            (home.anchor.quote.as_str(), home.anchor.was),
            ("Alpha beta gamma.", None)
        );
        g.claims[0] = attached;
        assert!(adopt_fingerprint(&mut g, &b));
        assert_eq!(g.article.fingerprint, b.fingerprint);
        assert!(matches!(
            attach(&g.claims[0], &b, 1, 0),
            Err(AttachError::NoSuchSentences { .. })
        ));
        assert!(attach(&g.claims[0], &b, 0, 9).is_err());
    }

    #[test]
    fn cue_follows_its_claim_or_is_reported_lost() {
        let old = article("Intro.\n\nPeace is near, the envoy said.\n");
        let mut c = claim_on(&old, "Peace is near, the envoy said.", "c1");
        let cue_at = old.text.find("said").unwrap();
        c.cue = Some(Cue {
            start: cue_at,
            end: cue_at + 4,
            text: "said".into(),
        });
        let f = file(&old, vec![c]);
        let new = article("Intro.\n\nMore intro.\n\nPeace is near, the envoy said.\n");
        let (g, report) = reanchored(&f, &new);
        assert!(!report.claims[0].cue_lost);
        let cue = g.claims[0].cue.as_ref().unwrap();
        assert_eq!(&new.text[cue.start..cue.end], "said");

        let mut f2 = f.clone();
        f2.claims[0].cue.as_mut().unwrap().text = "told".into();
        let (_, report) = reanchored(&f2, &new);
        assert!(report.claims[0].cue_lost);
        assert!(!report.fingerprint_updated);
    }
}
