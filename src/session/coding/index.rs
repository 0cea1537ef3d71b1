//! Per-sentence lookups the window asks for on every frame, computed once per change, and the
//! claim list's filter they apply.
//!
//! Drawing a row asks "which claim covers this sentence?" and "which open suggestion?";
//! answered by scanning, that was every claim (and every suggestion against every claim) per
//! visible row per frame, which on a 3,000-claim article dominated the frame. The session
//! rebuilds this index after each command that can change claims, suggestions or the filter;
//! cursor moves and finds leave it alone.

use std::collections::HashSet;

use crate::core::model::annotation::{Claim, SpeakerRef};
use crate::core::suggest::Suggestion;

/// Which claims the claim list shows. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimFilter {
    /// Only claims by this speaker.
    pub speaker: Option<SpeakerRef>,
    /// Only claims addressing this target (with `stance`, only that stance on it).
    pub target: Option<String>,
    /// Only claims with this stance (on `target`, or on any target).
    pub stance: Option<String>,
    /// Only claims with this source type.
    pub source: Option<String>,
}

impl ClaimFilter {
    /// Whether `claim` passes.
    pub fn accepts(&self, claim: &Claim) -> bool {
        if self
            .speaker
            .as_ref()
            .is_some_and(|s| claim.speaker.as_ref() != Some(s))
        {
            return false;
        }
        if self
            .source
            .as_ref()
            .is_some_and(|s| claim.source.as_ref() != Some(s))
        {
            return false;
        }
        match (&self.target, &self.stance) {
            (Some(t), Some(s)) => claim.stances.get(t) == Some(s),
            (Some(t), None) => claim.stances.contains_key(t),
            (None, Some(s)) => claim.stances.values().any(|v| v == s),
            (None, None) => true,
        }
    }

    /// Whether any field is set.
    pub fn is_active(&self) -> bool {
        *self != Self::default()
    }
}

/// Claims and open suggestions by sentence, the filtered claim list and the file's speakers.
#[derive(Clone, Debug, Default)]
pub struct SentenceIndex {
    /// For each sentence, the indices (into the file's claims) of the claims covering it.
    claims: Vec<Vec<u32>>,
    /// For each sentence, the first open suggestion covering it.
    suggestion: Vec<Option<u32>>,
    /// Indices of open suggestions (not dismissed, not overlapping a claim), in text order.
    open: Vec<u32>,
    /// Indices of the claims passing the filter, in text order.
    visible: Vec<u32>,
    /// Speakers that occur in the file, sorted, each once.
    speakers: Vec<SpeakerRef>,
    /// Indices of claims whose quote is not at their offsets in the text (orphans of a
    /// changed article), ascending.
    orphans: Vec<u32>,
}

/// What the index is built from.
pub struct IndexInputs<'a> {
    /// Sentences in the article.
    pub sentences: usize,
    /// The article's text.
    pub text: &'a str,
    /// The file's claims, in text order.
    pub claims: &'a [Claim],
    /// The article's suggestions, in text order.
    pub suggestions: &'a [Suggestion],
    /// Whether suggestions are shown at all.
    pub suggestions_on: bool,
    /// Whether a suggestion `(first, last)` was dismissed.
    pub dismissed: &'a dyn Fn(u32, u32) -> bool,
    /// The claim list's filter.
    pub filter: &'a ClaimFilter,
}

impl SentenceIndex {
    /// Rebuilds everything from `src`, reusing the allocations of the previous index.
    pub fn rebuild(&mut self, src: &IndexInputs<'_>) {
        self.claims.resize_with(src.sentences, Vec::new);
        for v in &mut self.claims {
            v.clear();
        }
        self.visible.clear();
        self.orphans.clear();
        // A set first: a file has a few dozen speakers over thousands of claims, and sorting
        // every claim's speaker on each edit was a fifth of an editing frame.
        let mut speakers = HashSet::new();
        for (k, c) in src.claims.iter().enumerate() {
            let last = (c.anchor.last as usize).min(src.sentences.saturating_sub(1));
            for i in c.anchor.first as usize..=last {
                if let Some(v) = self.claims.get_mut(i) {
                    v.push(k as u32);
                }
            }
            if src.filter.accepts(c) {
                self.visible.push(k as u32);
            }
            if let Some(s) = &c.speaker {
                speakers.insert(s);
            }
            if src.text.get(c.anchor.start..c.anchor.end) != Some(c.anchor.quote.as_str()) {
                self.orphans.push(k as u32);
            }
        }
        self.speakers = speakers.into_iter().cloned().collect();
        self.speakers.sort();
        self.suggestion.clear();
        self.suggestion.resize(src.sentences, None);
        self.open.clear();
        if !src.suggestions_on {
            return;
        }
        for (k, s) in src.suggestions.iter().enumerate() {
            let covered = (s.first..=s.last).any(|i| !self.claims_at(i).is_empty());
            if covered || (src.dismissed)(s.first, s.last) {
                continue;
            }
            self.open.push(k as u32);
            for i in s.first..=s.last {
                if let Some(slot) = self.suggestion.get_mut(i as usize) {
                    slot.get_or_insert(k as u32);
                }
            }
        }
    }

    /// Indices of the claims covering sentence `i`.
    pub fn claims_at(&self, i: u32) -> &[u32] {
        self.claims.get(i as usize).map_or(&[], Vec::as_slice)
    }

    /// Index of the first open suggestion covering sentence `i`.
    pub fn suggestion_at(&self, i: u32) -> Option<u32> {
        self.suggestion.get(i as usize).copied().flatten()
    }

    /// Indices of open suggestions, in text order.
    pub fn open_suggestions(&self) -> &[u32] {
        &self.open
    }

    /// Indices of the claims passing the filter, in text order.
    pub fn visible(&self) -> &[u32] {
        &self.visible
    }

    /// Speakers of the file's claims, sorted, each once.
    pub fn speakers(&self) -> &[SpeakerRef] {
        &self.speakers
    }

    /// Indices of the claims whose quote is not at their offsets in the text, ascending.
    pub fn orphans(&self) -> &[u32] {
        &self.orphans
    }

    /// Whether claim `k` is an orphan.
    pub fn is_orphan(&self, k: u32) -> bool {
        self.orphans.binary_search(&k).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Anchor, Origin};

    fn claim(id: &str, first: u32, last: u32, speaker: Option<&str>) -> Claim {
        let t = chrono::DateTime::UNIX_EPOCH;
        Claim {
            id: id.into(),
            anchor: Anchor::new("0123456789", first, last, 0, 1),
            speaker: speaker.map(|s| SpeakerRef::Registry(s.into())),
            cue: None,
            stances: std::collections::BTreeMap::new(),
            source: None,
            unsure: false,
            note: String::new(),
            origin: Origin::Manual,
            created: t,
            modified: t,
        }
    }

    fn suggestion(first: u32, last: u32) -> Suggestion {
        Suggestion {
            first,
            last,
            start: 0,
            end: 1,
            targets: Vec::new(),
            speaker: None,
            source: None,
            cue: None,
            reasons: Vec::new(),
        }
    }

    #[test]
    fn claims_and_open_suggestions_by_sentence() {
        let claims = [
            claim("a", 1, 2, Some("putin")),
            claim("b", 2, 2, Some("kirby")),
            claim("c", 5, 5, Some("putin")),
        ];
        let suggestions = [
            suggestion(0, 0),
            suggestion(2, 3),
            suggestion(6, 7),
            suggestion(7, 7),
        ];
        let dismissed = |a: u32, _b: u32| a == 0;
        let filter = ClaimFilter {
            speaker: Some(SpeakerRef::Registry("putin".into())),
            ..ClaimFilter::default()
        };
        let mut index = SentenceIndex::default();
        index.rebuild(&IndexInputs {
            sentences: 8,
            text: "",
            claims: &claims,
            suggestions: &suggestions,
            suggestions_on: true,
            dismissed: &dismissed,
            filter: &filter,
        });
        assert_eq!(index.claims_at(0), &[] as &[u32]);
        assert_eq!(index.claims_at(2), &[0, 1]);
        assert_eq!(index.claims_at(5), &[2]);
        assert_eq!(index.claims_at(99), &[] as &[u32]);
        // Dismissed (0) and overlapping a claim (2..=3) are not open; at 7 the first wins.
        assert_eq!(index.open_suggestions(), &[2, 3]);
        assert_eq!(index.suggestion_at(0), None);
        assert_eq!(index.suggestion_at(3), None);
        assert_eq!(index.suggestion_at(7), Some(2));
        assert_eq!(index.visible(), &[0, 2]);
        let speakers: Vec<&SpeakerRef> = index.speakers().iter().collect();
        assert_eq!(
            speakers,
            [
                &SpeakerRef::Registry("kirby".into()),
                &SpeakerRef::Registry("putin".into())
            ]
        );

        // Suggestions off; fewer sentences: nothing stale is left behind.
        index.rebuild(&IndexInputs {
            sentences: 3,
            text: "",
            claims: &claims[..1],
            suggestions: &suggestions,
            suggestions_on: false,
            dismissed: &dismissed,
            filter: &ClaimFilter::default(),
        });
        assert_eq!(index.claims_at(2), &[0]);
        assert_eq!(index.claims_at(5), &[] as &[u32]);
        assert_eq!(index.suggestion_at(7), None);
        assert!(index.open_suggestions().is_empty());
        assert_eq!(index.visible(), &[0]);
    }
}
