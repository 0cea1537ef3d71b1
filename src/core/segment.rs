//! Segmentation: paragraphs and sentences with exact byte ranges into the original text.
//!
//! (Interface fixed; the rule-based splitter is filled in by the segmentation work.)

use std::ops::Range;

use crate::core::codebook::Boilerplate;

/// A paragraph: a run of text between blank lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte range in the text, without surrounding blank lines.
    pub range: Range<usize>,
    /// Indices of its sentences.
    pub sentences: Range<u32>,
}

/// A sentence (or a title, caption or other line without final punctuation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the text, without leading or trailing whitespace.
    pub range: Range<usize>,
    /// Index of the paragraph it belongs to.
    pub paragraph: u32,
    /// Why the sentence is boilerplate to skip, if it is (a codebook rule id).
    pub skip: Option<String>,
}

/// The paragraphs and sentences of one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// Paragraphs in text order.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences in text order; every non-whitespace byte of the text is in exactly one.
    pub sentences: Vec<Sentence>,
}

/// Splits `text` into paragraphs and sentences and marks boilerplate.
pub fn segment(text: &str, boilerplate: &Boilerplate) -> Segmentation {
    let _ = boilerplate;
    let mut seg = Segmentation::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let start = offset + (line.len() - line.trim_start().len());
            let p = seg.paragraphs.len() as u32;
            let s = seg.sentences.len() as u32;
            seg.sentences.push(Sentence {
                range: start..start + trimmed.len(),
                paragraph: p,
                skip: None,
            });
            seg.paragraphs.push(Paragraph {
                range: start..start + trimmed.len(),
                sentences: s..s + 1,
            });
        }
        offset += line.len();
    }
    seg
}
