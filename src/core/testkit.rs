//! Small annotation files for the core's unit tests (review, adjudication): one text of four
//! sentences and one-sentence claims on it.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Utc};

use crate::core::model::annotation::{
    Anchor, AnnotationFile, ArticleRef, Claim, CodebookRef, Origin, SpeakerRef,
};

/// The article: sentence 0 is the title, 1–3 are "One/Two/Three says …".
pub(crate) const TEXT: &str = "Title\n\nOne says peace. Two says war. Three says nothing.\n";

/// A time from RFC 3339 text.
pub(crate) fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// A manual claim on one sentence of [`TEXT`] (its full stop included).
pub(crate) fn claim(id: &str, sentence: u32, speaker: &str, ceasefire: &str) -> Claim {
    let needle = ["Title", "One", "Two", "Three"][sentence as usize];
    let start = TEXT.find(needle).unwrap();
    let end = start + TEXT[start..].find('.').map_or(needle.len(), |i| i + 1);
    Claim {
        id: id.into(),
        anchor: Anchor::new(TEXT, sentence, sentence, start, end),
        speaker: Some(SpeakerRef::Registry(speaker.into())),
        cue: None,
        stances: [("ceasefire".to_owned(), ceasefire.to_owned())].into(),
        source: Some("author".into()),
        unsure: false,
        note: String::new(),
        origin: Origin::Manual,
        created: t("2024-01-01T00:00:00Z"),
        modified: t("2024-01-01T00:00:00Z"),
    }
}

/// An annotator's file of article `a` (default codebook) holding `claims`.
pub(crate) fn file(annotator: &str, claims: Vec<Claim>) -> AnnotationFile {
    let mut f = AnnotationFile::new(
        ArticleRef {
            id: "a".into(),
            fingerprint: "sha256:0".into(),
        },
        CodebookRef {
            id: "stance-ru-ua-2023".into(),
            version: 1,
        },
        annotator,
    );
    f.claims = claims;
    f
}
