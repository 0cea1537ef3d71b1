//! The annotation model: one file per article per annotator, holding that annotator's claims.
//!
//! Everything here serialises to RON through serde. Field order in the structs is the order in
//! the file, maps are `BTreeMap`s and times are whole seconds, so the same data always gives
//! the same bytes and one edited claim changes only its own lines.

use std::collections::BTreeMap;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use super::coding_time::CodingTime;

/// The annotation file format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// How offsets in anchors count; recorded in every file so it means the same thing later.
pub const OFFSETS_UNIT: &str = "utf8-bytes-of-file-as-is";

/// One annotator's work on one article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationFile {
    /// File format version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// How anchor offsets count ([`OFFSETS_UNIT`]).
    pub offsets: String,
    /// Which article, and which exact bytes of it, this file annotates.
    pub article: ArticleRef,
    /// The codebook the labels come from.
    pub codebook: CodebookRef,
    /// The annotator's name (also the file stem).
    pub annotator: String,
    /// Whether the annotator has finished this article.
    pub status: Status,
    /// When the file was first written.
    pub created: DateTime<Utc>,
    /// When the file was last changed.
    pub modified: DateTime<Utc>,
    /// The claims, in text order.
    pub claims: Vec<Claim>,
    /// Focused coding time on the article and each claim. Absent in files without any, so
    /// files written before it was recorded stay byte-identical.
    #[serde(default, skip_serializing_if = "CodingTime::is_empty")]
    pub time: CodingTime,
}

/// Identifies the article text an annotation file refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleRef {
    /// The article id (its file stem).
    pub id: String,
    /// `sha256:<hex>` of the article file's bytes.
    pub fingerprint: String,
}

/// Identifies the codebook an annotation file was coded with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodebookRef {
    /// Codebook id.
    pub id: String,
    /// Codebook version.
    pub version: u32,
}

/// Progress of one annotator on one article.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Still being coded: sentences without claims may simply not have been read yet.
    #[default]
    InProgress,
    /// Every sentence has been read; a sentence without a claim is a deliberate "no claim".
    Done,
}

/// One claim: a stretch of text, who says it, and what it says about each target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Stable id, unique within the file and, in practice, across annotators.
    pub id: String,
    /// Where in the article the claim is.
    pub anchor: Anchor,
    /// Who makes the claim, if the coder has said.
    pub speaker: Option<SpeakerRef>,
    /// The attribution cue ("said", "told the Global Times"), if any.
    #[serde(default)]
    pub cue: Option<Cue>,
    /// Stance per target id; a target that is absent is not addressed.
    pub stances: BTreeMap<String, String>,
    /// Source type id, if set.
    pub source: Option<String>,
    /// The coder is not sure about this claim.
    #[serde(default)]
    pub unsure: bool,
    /// Free-text rationale.
    #[serde(default)]
    pub note: String,
    /// Whether the claim started as an accepted suggestion. Absent in the file for claims a
    /// coder made by hand, so files written before provenance existed stay byte-identical.
    #[serde(default, skip_serializing_if = "Origin::is_manual")]
    pub origin: Origin,
    /// When the claim was made.
    pub created: DateTime<Utc>,
    /// When the claim was last changed.
    pub modified: DateTime<Utc>,
}

/// How a claim came to be: made by hand, or accepted from a suggestion.
///
/// Recorded so agreement can be computed with and without suggested claims, to see whether
/// suggestions bias coders. Editing an accepted claim keeps its origin: it still started as
/// a suggestion.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// The coder marked the claim without help.
    #[default]
    Manual,
    /// The coder accepted a suggestion (and may have corrected it since).
    Suggested {
        /// Why the suggestion was made, as it was shown to the coder.
        reasons: String,
    },
}

impl Origin {
    /// Whether the claim was made by hand (the default, not written to files).
    pub fn is_manual(&self) -> bool {
        matches!(self, Self::Manual)
    }
}

/// How a claim holds on to the text: exact offsets, plus enough text to find it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// Index of the first sentence the claim covers.
    pub first: u32,
    /// Index of the last sentence it covers (equal to `first` for one sentence).
    pub last: u32,
    /// Byte offset of the claim's start in the article file.
    pub start: usize,
    /// Byte offset one past the claim's end.
    pub end: usize,
    /// The claim's text, exactly `article[start..end]`.
    pub quote: String,
    /// Up to [`CONTEXT_CHARS`] characters before the quote.
    pub before: String,
    /// Up to [`CONTEXT_CHARS`] characters after the quote.
    pub after: String,
    /// The quote the claim was coded on, when it now quotes other text: an orphan attached
    /// by hand to another sentence, or a sentence re-anchoring followed through an edit.
    /// Kept so a reviewer can see what the coding was about ("coded on: … / now on: …").
    /// Written only when present, so files without it stay byte-identical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
}

/// How many characters of context an anchor keeps on each side.
pub const CONTEXT_CHARS: usize = 32;

/// Who makes a claim.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SpeakerRef {
    /// A speaker in the codebook's registry, by id.
    Registry(String),
    /// A name the registry does not have (yet).
    New(String),
}

/// The attribution cue of a claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cue {
    /// Byte offset of the cue's start in the article file.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The cue's text.
    pub text: String,
}

/// The current time as stored in files: UTC, whole seconds, so files stay stable and short.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

impl Anchor {
    /// An anchor for `text[start..end]` covering sentences `first..=last`.
    ///
    /// The caller guarantees `start..end` lies on character boundaries of `text`.
    pub fn new(text: &str, first: u32, last: u32, start: usize, end: usize) -> Self {
        let before: String = {
            let head = &text[..start];
            let skip = head.chars().count().saturating_sub(CONTEXT_CHARS);
            head.chars().skip(skip).collect()
        };
        let after: String = text[end..].chars().take(CONTEXT_CHARS).collect();
        Self {
            first,
            last,
            start,
            end,
            quote: text[start..end].to_owned(),
            before,
            after,
            was: None,
        }
    }

    /// This anchor, remembering the quote `coded` was coded on if it differs from this
    /// anchor's quote (the oldest one: an anchor moved twice keeps the first).
    #[must_use]
    pub fn coded_on(mut self, coded: &Anchor) -> Self {
        let quote = coded.was.as_ref().unwrap_or(&coded.quote);
        self.was = (*quote != self.quote).then(|| quote.clone());
        self
    }
}

impl AnnotationFile {
    /// An empty file for `annotator` on an article.
    pub fn new(article: ArticleRef, codebook: CodebookRef, annotator: impl Into<String>) -> Self {
        let t = now();
        Self {
            format: FORMAT_VERSION,
            offsets: OFFSETS_UNIT.to_owned(),
            article,
            codebook,
            annotator: annotator.into(),
            status: Status::InProgress,
            created: t,
            modified: t,
            claims: Vec::new(),
            time: CodingTime::default(),
        }
    }

    /// The claim with this id.
    pub fn claim(&self, id: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == id)
    }

    /// Keeps claims in text order (by start, then end, then id) so files diff well.
    pub fn sort_claims(&mut self) {
        self.claims.sort_by(|a, b| {
            (a.anchor.start, a.anchor.end, &a.id).cmp(&(b.anchor.start, b.anchor.end, &b.id))
        });
    }
}

/// A new claim id: 10 characters of Crockford base32 from the time, process and a counter.
///
/// Ids only need to be unique among claims of one article, including claims that two copies
/// of one file gain on two git branches, so time plus a process-wide counter is enough.
pub fn new_claim_id() -> String {
    use sha2::{Digest, Sha256};
    use std::sync::atomic::{AtomicU64, Ordering};
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    let mut h = Sha256::new();
    h.update(nanos.to_le_bytes());
    h.update(n.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    let digest = h.finalize();
    digest
        .iter()
        .take(10)
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_context_is_char_safe() {
        let text = "Xi’s visit — “peace” is the word.";
        let start = text.find("peace").unwrap();
        let a = Anchor::new(text, 0, 0, start, start + 5);
        assert_eq!(a.quote, "peace");
        assert!(a.before.ends_with('“'));
        assert!(a.after.starts_with('”'));
    }

    #[test]
    fn manual_origin_is_not_written_and_suggested_round_trips() {
        let text = "Kirby said no.";
        let t = now();
        let mut claim = Claim {
            id: "c1".into(),
            anchor: Anchor::new(text, 0, 0, 0, text.len()),
            speaker: None,
            cue: None,
            stances: BTreeMap::new(),
            source: None,
            unsure: false,
            note: String::new(),
            origin: Origin::Manual,
            created: t,
            modified: t,
        };
        let manual = crate::core::store::to_ron(&claim).unwrap();
        assert!(!manual.contains("origin"), "{manual}");
        assert_eq!(ron::from_str::<Claim>(&manual).unwrap(), claim);
        claim.origin = Origin::Suggested {
            reasons: "quote + 'said' + alias 'Kirby'".into(),
        };
        let suggested = crate::core::store::to_ron(&claim).unwrap();
        assert!(suggested.contains("origin: Suggested("), "{suggested}");
        assert_eq!(ron::from_str::<Claim>(&suggested).unwrap(), claim);
    }

    #[test]
    fn anchor_was_is_written_only_when_present() {
        let text = "Kirby said no. Peace now.";
        let plain = Anchor::new(text, 0, 0, 0, 14);
        let ron = crate::core::store::to_ron(&plain).unwrap();
        assert!(!ron.contains("was"), "{ron}");
        assert_eq!(ron::from_str::<Anchor>(&ron).unwrap(), plain);
        let moved = Anchor::new(text, 1, 1, 15, 25).coded_on(&plain);
        assert_eq!(moved.was.as_deref(), Some("Kirby said no."));
        let ron = crate::core::store::to_ron(&moved).unwrap();
        assert!(ron.contains("was: Some(\"Kirby said no.\")"), "{ron}");
        assert_eq!(ron::from_str::<Anchor>(&ron).unwrap(), moved);
    }

    #[test]
    fn claim_ids_differ() {
        let a = new_claim_id();
        let b = new_claim_id();
        assert_eq!(a.len(), 10);
        assert_ne!(a, b);
    }
}
