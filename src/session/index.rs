//! Per-sentence lookups the window asks for on every frame, computed once per change.
//!
//! Drawing a row asks "which claim covers this sentence?" and "which open suggestion?";
//! answered by scanning, that was every claim (and every suggestion against every claim) per
//! visible row per frame, which on a 3,000-claim article dominated the frame. The session
//! rebuilds this index after each command that can change claims, suggestions or the filter;
//! cursor moves and finds leave it alone.

use std::collections::HashSet;

use crate::core::annotation::{Claim, SpeakerRef};
use crate::core::suggest::Suggestion;
use crate::session::state::ClaimFilter;

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
}

/// What the index is built from.
pub struct Sources<'a> {
    /// Sentences in the article.
    pub sentences: usize,
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
    pub fn rebuild(&mut self, src: &Sources<'_>) {
        self.claims.resize_with(src.sentences, Vec::new);
        for v in &mut self.claims {
            v.clear();
        }
        self.visible.clear();
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
}
