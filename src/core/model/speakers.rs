//! Finding speakers in the registry by any of their names, forgivingly.
//!
//! Coders type a fragment ("Kirby", "lukin", "fm") and expect the right person first. Scoring,
//! best first: a name equal to the query, a name starting with it, a word of a name starting
//! with it, the query inside a name, then the query's letters in order (a subsequence).

use crate::core::model::codebook::{Codebook, Speaker};

/// One hit of [`find`].
#[derive(Clone, Debug, PartialEq)]
pub struct SpeakerMatch<'a> {
    /// The speaker.
    pub speaker: &'a Speaker,
    /// The name or alias that matched best.
    pub matched: &'a str,
    /// Higher is better.
    pub score: u32,
}

/// Speakers matching `query`, best first (ties by canonical name). An empty query lists every
/// speaker.
pub fn find<'a>(codebook: &'a Codebook, query: &str) -> Vec<SpeakerMatch<'a>> {
    let q = query.trim().to_lowercase();
    let mut hits: Vec<SpeakerMatch<'a>> = codebook
        .speakers
        .iter()
        .filter_map(|s| {
            std::iter::once(&s.name)
                .chain(&s.aliases)
                .chain(std::iter::once(&s.affiliation).filter(|a| !a.is_empty()))
                .enumerate()
                .filter_map(|(i, name)| {
                    // Affiliation matches (last) count less than any name match.
                    let is_affiliation = i == s.aliases.len() + 1;
                    score(&q, name).map(|sc| (if is_affiliation { sc / 4 } else { sc }, name))
                })
                .max_by_key(|(sc, _)| *sc)
                .map(|(score, matched)| SpeakerMatch {
                    speaker: s,
                    matched: matched.as_str(),
                    score,
                })
        })
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.speaker.name.cmp(&b.speaker.name))
    });
    hits
}

/// How well `query` (lowercase) matches `name`, or `None`.
fn score(query: &str, name: &str) -> Option<u32> {
    if query.is_empty() {
        return Some(1);
    }
    let n = name.to_lowercase();
    if n == query {
        return Some(1000);
    }
    if n.starts_with(query) {
        return Some(800);
    }
    if n.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(query))
    {
        return Some(600);
    }
    if n.contains(query) {
        return Some(400);
    }
    // Subsequence: every query letter in order; fewer gaps score higher.
    let mut chars = n.chars();
    let mut gaps = 0u32;
    for qc in query.chars() {
        let mut skipped = 0;
        loop {
            let c = chars.next()?;
            if c == qc {
                break;
            }
            skipped += 1;
        }
        gaps += skipped;
    }
    Some(200u32.saturating_sub(gaps).max(10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kirby_finds_john_kirby() {
        let cb = Codebook::default_codebook();
        let hits = find(&cb, "Kirby");
        assert_eq!(hits[0].speaker.id, "john-kirby");
        let hits = find(&cb, "jkirby");
        assert_eq!(hits[0].speaker.id, "john-kirby");
    }

    #[test]
    fn empty_query_lists_everyone() {
        let cb = Codebook::default_codebook();
        assert_eq!(find(&cb, "").len(), cb.speakers.len());
    }

    #[test]
    fn nonsense_finds_nothing() {
        let cb = Codebook::default_codebook();
        assert!(find(&cb, "qqqqzzzz").is_empty());
    }
}
