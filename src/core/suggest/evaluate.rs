//! How good the suggestions are, measured against the claims coders made by hand.
//!
//! Counted per sentence, since suggestions and claims cut the text differently: a suggested
//! sentence is right if the coder made a claim covering it, and a claimed sentence is found
//! if a suggestion covers it. On sentences both marked, the suggested speaker (or source
//! type) is right if it equals that of any of the coder's claims covering the sentence: one
//! sentence can hold two claims (a joint statement and Putin in one sentence), and a
//! suggestion names one of them.
//!
//! Only hand-made claims are the reference: a claim that started as an accepted suggestion
//! would measure the suggestions against themselves. The adjudicated `gold` file is left out
//! too; it is not one coder's independent work.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Suggester, Suggestion};
use crate::core::model::annotation::{AnnotationFile, SpeakerRef};
use crate::core::project::Project;
use crate::core::storage::store::{self, LoadError};

/// Counts for one annotator, or pooled over annotators.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Articles the annotator coded (pooled: annotator–article pairs).
    pub articles: usize,
    /// Sentences suggested as claims.
    pub suggested: usize,
    /// Sentences the coder covered with a claim.
    pub claimed: usize,
    /// Sentences both suggested and claimed.
    pub both: usize,
    /// Of those, how many have the coder's speaker.
    pub speaker_right: usize,
    /// Of those, how many have the coder's source type.
    pub source_right: usize,
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Tally {
    /// Share of suggested sentences the coder claimed.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.both, self.suggested)
    }

    /// Share of claimed sentences that were suggested.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.both, self.claimed)
    }

    /// Share of sentences both marked where the speaker agrees.
    pub fn speaker_accuracy(&self) -> Option<f64> {
        ratio(self.speaker_right, self.both)
    }

    /// Share of sentences both marked where the source type agrees.
    pub fn source_accuracy(&self) -> Option<f64> {
        ratio(self.source_right, self.both)
    }

    /// Adds another tally's counts to this one.
    pub fn add(&mut self, other: &Tally) {
        self.articles += other.articles;
        self.suggested += other.suggested;
        self.claimed += other.claimed;
        self.both += other.both;
        self.speaker_right += other.speaker_right;
        self.source_right += other.source_right;
    }
}

/// The suggestions of a whole project against its coders.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evaluation {
    /// Articles with at least one coder's file, by id.
    pub articles: Vec<String>,
    /// Per annotator.
    pub annotators: BTreeMap<String, Tally>,
    /// All annotators together.
    pub pooled: Tally,
}

/// Whether two speakers are the same: registry ids equal, or new names equal ignoring case
/// and spacing ("Some experts" and "some experts").
pub fn same_speaker(a: &SpeakerRef, b: &SpeakerRef) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    match (a, b) {
        (SpeakerRef::Registry(x), SpeakerRef::Registry(y)) => x == y,
        (SpeakerRef::New(x), SpeakerRef::New(y)) => norm(x) == norm(y),
        _ => false,
    }
}

/// One coder's file on one article against the suggestions for it.
pub fn compare(suggestions: &[Suggestion], file: &AnnotationFile) -> Tally {
    let claims: Vec<_> = file
        .claims
        .iter()
        .filter(|c| c.origin.is_manual())
        .collect();
    let suggested: BTreeSet<u32> = suggestions.iter().flat_map(|s| s.first..=s.last).collect();
    let claimed: BTreeSet<u32> = claims
        .iter()
        .flat_map(|c| c.anchor.first..=c.anchor.last)
        .collect();
    let mut tally = Tally {
        articles: 1,
        suggested: suggested.len(),
        claimed: claimed.len(),
        ..Tally::default()
    };
    for &i in suggested.intersection(&claimed) {
        tally.both += 1;
        let Some(s) = suggestions.iter().find(|s| s.covers(i)) else {
            continue;
        };
        let covering = || {
            claims
                .iter()
                .filter(move |c| (c.anchor.first..=c.anchor.last).contains(&i))
        };
        if let Some(sp) = &s.speaker
            && covering().any(|c| c.speaker.as_ref().is_some_and(|h| same_speaker(sp, h)))
        {
            tally.speaker_right += 1;
        }
        if s.source.is_some() && covering().any(|c| c.source == s.source) {
            tally.source_right += 1;
        }
    }
    tally
}

/// Every coder's files in the project (not `gold`) against the suggestions. Files that cannot
/// be read are returned, not counted.
pub fn evaluate(project: &Project) -> (Evaluation, Vec<LoadError>) {
    let suggester = Suggester::new(&project.codebook);
    let mut eval = Evaluation::default();
    // One walk of the project; a link out of it is refused and reported.
    let walk = crate::core::project::walk::annotations(&project.root);
    let mut problems: Vec<LoadError> = walk
        .skipped
        .iter()
        .filter(|s| s.is_error())
        .map(crate::core::project::walk::Skipped::to_load_error)
        .collect();
    for article in &project.articles {
        let files: Vec<(String, std::path::PathBuf)> = walk
            .folder(&article.id)
            .map(|f| f.annotators.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|(a, _)| a != crate::core::model::names::GOLD)
            .cloned()
            .collect();
        if files.is_empty() {
            continue;
        }
        let suggestions = suggester.suggest(article);
        let mut counted = false;
        for (annotator, path) in files {
            match store::load_annotation(&path, &project.codebook) {
                Ok(file) => {
                    let t = compare(&suggestions, &file);
                    eval.annotators.entry(annotator).or_default().add(&t);
                    eval.pooled.add(&t);
                    counted = true;
                }
                Err(e) => problems.push(e),
            }
        }
        if counted {
            eval.articles.push(article.id.clone());
        }
    }
    (eval, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Anchor, ArticleRef, Claim, CodebookRef, Origin, now};

    fn claim(first: u32, last: u32, speaker: SpeakerRef, source: &str, origin: Origin) -> Claim {
        let text = "x".repeat(100);
        Claim {
            id: format!("c{first}{last}{source}"),
            anchor: Anchor::new(&text, first, last, 0, 1),
            speaker: Some(speaker),
            cue: None,
            stances: BTreeMap::new(),
            source: Some(source.into()),
            unsure: false,
            note: String::new(),
            origin,
            created: now(),
            modified: now(),
        }
    }

    fn suggestion(first: u32, last: u32, speaker: SpeakerRef, source: &str) -> Suggestion {
        Suggestion {
            first,
            last,
            start: 0,
            end: 1,
            targets: vec!["ceasefire".into()],
            speaker: Some(speaker),
            source: Some(source.into()),
            cue: None,
            reasons: Vec::new(),
        }
    }

    #[test]
    fn sentences_are_counted_and_any_covering_claim_may_agree() {
        let reg = |s: &str| SpeakerRef::Registry(s.into());
        let mut file = AnnotationFile::new(
            ArticleRef {
                id: "a".into(),
                fingerprint: String::new(),
            },
            CodebookRef {
                id: "cb".into(),
                version: 1,
            },
            "amira",
        );
        file.claims = vec![
            // Two claims on s7: the suggestion names one of them.
            claim(7, 7, reg("china-russia-joint"), "official", Origin::Manual),
            claim(7, 7, reg("vladimir-putin"), "official", Origin::Manual),
            claim(
                8,
                9,
                SpeakerRef::New("Some experts".into()),
                "anonymous",
                Origin::Manual,
            ),
            // Accepted suggestions are not the reference.
            claim(
                12,
                12,
                reg("author"),
                "author",
                Origin::Suggested {
                    reasons: "r".into(),
                },
            ),
        ];
        let suggestions = [
            suggestion(7, 7, reg("vladimir-putin"), "official"),
            suggestion(9, 10, SpeakerRef::New("some  experts".into()), "paraphrase"),
            suggestion(12, 12, reg("author"), "author"),
        ];
        let t = compare(&suggestions, &file);
        assert_eq!(
            t,
            Tally {
                articles: 1,
                suggested: 4, // s7, s9, s10, s12
                claimed: 3,   // s7, s8, s9
                both: 2,      // s7, s9
                speaker_right: 2,
                source_right: 1,
            }
        );
        assert_eq!(t.precision(), Some(0.5));
        assert_eq!(Tally::default().recall(), None);
    }
}
