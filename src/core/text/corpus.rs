//! Articles: the texts being coded, with their segmentation.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::core::model::annotation::ArticleRef;
use crate::core::model::codebook::Boilerplate;
use crate::core::text::segment::{self, Paragraph, Sentence};

/// One article: its exact text, where it came from, and its sentences.
///
/// The text is shared (`Arc<str>`) so the window and background work can hold it without
/// copying it.
#[derive(Clone, Debug)]
pub struct Article {
    /// The file stem; also the annotation folder's name.
    pub id: String,
    /// Where the text was read from.
    pub path: PathBuf,
    /// The first non-empty line.
    pub title: String,
    /// The file's text, exactly as on disk.
    pub text: Arc<str>,
    /// `sha256:<hex>` of the file's bytes.
    pub fingerprint: String,
    /// Paragraphs in text order.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences in text order.
    pub sentences: Vec<Sentence>,
}

/// `sha256:<hex>` of some bytes.
pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
    }
    out
}

impl Article {
    /// Builds an article from its text (already checked to be UTF-8).
    pub fn new(id: String, path: PathBuf, text: &str, boilerplate: &Boilerplate) -> Self {
        let seg = segment::segment(text, boilerplate);
        let title = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or(&id)
            .to_owned();
        Self {
            fingerprint: fingerprint(text.as_bytes()),
            title,
            path,
            text: Arc::from(text),
            paragraphs: seg.paragraphs,
            sentences: seg.sentences,
            id,
        }
    }

    /// The headline to show: the first sentence that is not boilerplate ("Connect with us",
    /// "The Debate" section labels come before the real headline in web text), else the title.
    pub fn heading(&self) -> &str {
        self.sentences
            .iter()
            .find(|s| s.skip.is_none())
            .map_or(self.title.as_str(), |s| &self.text[s.range.clone()])
    }

    /// The reference an annotation file stores for this article.
    pub fn reference(&self) -> ArticleRef {
        ArticleRef {
            id: self.id.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }

    /// The text of sentence `i` (empty if there is none).
    pub fn sentence_text(&self, i: u32) -> &str {
        self.sentences
            .get(i as usize)
            .map_or("", |s| &self.text[s.range.clone()])
    }

    /// Byte range from the start of sentence `first` to the end of sentence `last`.
    pub fn sentences_range(&self, first: u32, last: u32) -> Option<Range<usize>> {
        let a = self.sentences.get(first as usize)?;
        let b = self.sentences.get(last as usize)?;
        (a.range.start <= b.range.end).then_some(a.range.start..b.range.end)
    }

    /// Index of the sentence containing byte `offset`, or the next one after it.
    pub fn sentence_at(&self, offset: usize) -> Option<u32> {
        let i = self.sentences.partition_point(|s| s.range.end <= offset);
        (i < self.sentences.len()).then_some(i as u32)
    }

    /// Indices of the first and last sentence overlapping `range`.
    pub fn sentences_overlapping(&self, range: &Range<usize>) -> Option<(u32, u32)> {
        let first = self.sentence_at(range.start)?;
        let last = self
            .sentences
            .partition_point(|s| s.range.start < range.end)
            .checked_sub(1)? as u32;
        (first <= last).then_some((first, last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_sha256_hex() {
        let f = fingerprint(b"abc");
        assert_eq!(
            f,
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn title_is_first_non_empty_line() {
        let a = Article::new(
            "x".into(),
            PathBuf::from("x.txt"),
            "\n\n  Headline here \n\nBody.",
            &Boilerplate::default(),
        );
        assert_eq!(a.title, "Headline here");
        assert_eq!(a.sentence_text(1), "Body.");
        assert_eq!(a.sentence_at(0), Some(0));
        assert_eq!(a.sentences_overlapping(&(0..a.text.len())), Some((0, 1)));
    }
}
