//! What a sentence contains, found without judging it: target terms, registry names,
//! attribution cues and quotation marks. The other suggestion modules decide what it means.

use std::ops::Range;

use regex::Regex;

use crate::core::model::codebook::{Codebook, SpeakerKind};
use crate::core::text::segment::Sentence;

/// A regular expression for a phrase as a codebook writes it.
///
/// Web text is full of no-break spaces and curly apostrophes, so a space matches any run of
/// whitespace and an apostrophe either form. A phrase that starts or ends with a letter or
/// digit must start or end at a word boundary, so "truce" does not fire inside "untruce"
/// and "Small" not inside "Smaller".
pub(super) fn phrase_pattern(phrase: &str) -> String {
    let phrase = phrase.trim();
    let mut p = String::new();
    if phrase.chars().next().is_some_and(char::is_alphanumeric) {
        p.push_str(r"\b");
    }
    for (i, word) in phrase.split_whitespace().enumerate() {
        if i > 0 {
            p.push_str(r"\s+");
        }
        for c in word.chars() {
            match c {
                '\'' | '’' => p.push_str("['’]"),
                c => p.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
    }
    if phrase.chars().last().is_some_and(char::is_alphanumeric) {
        p.push_str(r"\b");
    }
    p
}

/// The codebook's target terms, compiled.
#[derive(Debug)]
pub(super) struct Terms {
    /// Per target in codebook order: its id and its terms with their patterns.
    targets: Vec<(String, Vec<(String, Regex)>)>,
}

impl Terms {
    pub(super) fn new(codebook: &Codebook) -> Self {
        let targets = codebook
            .targets
            .iter()
            .map(|t| {
                let terms = t
                    .terms
                    .iter()
                    .filter(|term| !term.trim().is_empty())
                    .filter_map(|term| {
                        let re = Regex::new(&format!("(?i){}", phrase_pattern(term))).ok()?;
                        Some((term.clone(), re))
                    })
                    .collect();
                (t.id.clone(), terms)
            })
            .collect();
        Self { targets }
    }

    /// The targets `text` mentions, in codebook order, each with the term found first in
    /// the text.
    pub(super) fn mentioned(&self, text: &str) -> Vec<(String, String)> {
        self.targets
            .iter()
            .filter_map(|(target, terms)| {
                terms
                    .iter()
                    .filter_map(|(term, re)| re.find(text).map(|m| (m.start(), term)))
                    .min_by_key(|(at, _)| *at)
                    .map(|(_, term)| (target.clone(), term.clone()))
            })
            .collect()
    }
}

/// A registry name found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Mention {
    /// Byte range in the article.
    pub range: Range<usize>,
    /// Index into the codebook's speakers.
    pub speaker: usize,
    /// The name or alias as the codebook spells it.
    pub name: String,
    /// Followed by `'s` or `’`: "Xi's planned trip" names Xi but Xi is not speaking.
    pub possessive: bool,
}

/// Every registry name and alias, compiled.
#[derive(Debug)]
pub(super) struct Names {
    /// Per spelling (as the codebook has it, or in capitals): its pattern, the speaker index
    /// and the codebook's spelling.
    spellings: Vec<(Regex, usize, String)>,
}

/// Collapses whitespace, so "President\u{a0}Xi" is looked up as "President Xi".
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Names {
    pub(super) fn new(codebook: &Codebook) -> Self {
        let mut seen = std::collections::HashSet::new();
        let mut spellings = Vec::new();
        for (i, s) in codebook.speakers.iter().enumerate() {
            // The author is never named in the text; the registry entry stands for no name.
            if s.kind == SpeakerKind::Author {
                continue;
            }
            for name in std::iter::once(&s.name).chain(&s.aliases) {
                let name = normalise(name);
                if name.is_empty() {
                    continue;
                }
                // Names are matched with their case: "Small" is Andrew Small, "small" is not.
                // Capitals are the exception, since captions and headlines shout.
                for spelling in [name.clone(), name.to_uppercase()] {
                    if seen.insert(spelling.clone())
                        && let Ok(re) = Regex::new(&phrase_pattern(&spelling))
                    {
                        spellings.push((re, i, name.clone()));
                    }
                }
            }
        }
        Self { spellings }
    }

    /// The registry names in `text`, which starts at byte `offset` of the article, in text
    /// order. Overlapping names of one speaker are one mention ("President Xi" and "Xi
    /// Jinping" in "President Xi Jinping"); of two speakers, the longer wins.
    pub(super) fn find(&self, text: &str, offset: usize) -> Vec<Mention> {
        let mut all: Vec<(Range<usize>, usize, &str)> = self
            .spellings
            .iter()
            .flat_map(|(re, speaker, name)| {
                re.find_iter(text)
                    .map(move |m| (m.range(), *speaker, name.as_str()))
            })
            .collect();
        all.sort_by(|a, b| (a.0.start, b.0.len(), a.1).cmp(&(b.0.start, a.0.len(), b.1)));
        let mut merged: Vec<(Range<usize>, usize, &str)> = Vec::new();
        for (range, speaker, name) in all {
            match merged.last_mut() {
                Some(last) if range.start < last.0.end => {
                    if last.1 == speaker {
                        // Keep the fullest spelling to show: "Xi Jinping" over "Xi".
                        if name.len() > last.2.len() {
                            last.2 = name;
                        }
                        last.0.end = last.0.end.max(range.end);
                    }
                }
                _ => merged.push((range, speaker, name)),
            }
        }
        merged
            .into_iter()
            .map(|(range, speaker, name)| {
                let rest = &text[range.end..];
                let possessive = rest.starts_with("'s")
                    || rest.starts_with("’s")
                    || rest.starts_with('’')
                    || rest.starts_with("' ");
                Mention {
                    range: offset + range.start..offset + range.end,
                    speaker,
                    name: name.to_owned(),
                    possessive,
                }
            })
            .collect()
    }
}

/// Where quotation marks put a sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Quotes {
    /// A quotation is open when the sentence starts (it began in an earlier sentence).
    pub open_at_start: bool,
    /// A quotation is still open when the sentence ends (it goes on in the next one).
    pub open_at_end: bool,
    /// The quoted stretches inside the sentence, as byte ranges in the article.
    pub spans: Vec<Range<usize>>,
}

/// How many words a quotation needs to count as someone's words rather than a title or
/// scare quotes ("tinted glasses", the Chinese “peace plan”), which the codebook says do not
/// make a quote.
pub(super) const MIN_QUOTE_WORDS: usize = 4;

impl Quotes {
    /// The longest quoted stretch in `text`, in words.
    pub(super) fn longest_words(&self, text: &str) -> usize {
        self.spans
            .iter()
            .map(|r| text[r.clone()].split_whitespace().count())
            .max()
            .unwrap_or(0)
    }
}

/// The quotation marks of every sentence. A quotation may run over several sentences but
/// not past its paragraph: an unclosed mark is far more often a typo than a quote that goes
/// on for paragraphs without being reopened.
pub(super) fn quotes(text: &str, sentences: &[Sentence]) -> Vec<Quotes> {
    let mut out = Vec::with_capacity(sentences.len());
    let mut paragraph = None;
    let mut open: Option<usize> = None;
    for s in sentences {
        if paragraph != Some(s.paragraph) {
            paragraph = Some(s.paragraph);
            open = None;
        }
        let mut q = Quotes {
            open_at_start: open.is_some(),
            ..Quotes::default()
        };
        if open.is_some() {
            open = Some(s.range.start);
        }
        for (i, c) in text[s.range.clone()].char_indices() {
            let at = s.range.start + i;
            let opens = match c {
                '“' | '„' | '«' => true,
                '”' | '»' => false,
                // A straight quote opens when none is open, and closes otherwise.
                '"' => open.is_none(),
                _ => continue,
            };
            if opens {
                open = Some(at + c.len_utf8());
            } else {
                // A closing mark with no opening one: quoted from the start of the sentence.
                let from = open.take().unwrap_or(s.range.start);
                if from < at {
                    q.spans.push(from..at);
                }
            }
        }
        if let Some(from) = open {
            if from < s.range.end {
                q.spans.push(from..s.range.end);
            }
            q.open_at_end = true;
        }
        out.push(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::codebook::Boilerplate;
    use crate::core::text::segment::segment;

    #[test]
    fn phrases_match_whole_words_and_any_space() {
        let re = Regex::new(&format!("(?i){}", phrase_pattern("peace plan"))).unwrap();
        assert!(re.is_match("China’s 12-point Peace\u{a0}plan"));
        assert!(!re.is_match("peace planning"));
        let re = Regex::new(&format!("(?i){}", phrase_pattern("12-point"))).unwrap();
        assert!(re.is_match("its 12-point plan"));
        let re = Regex::new(&format!("(?i){}", phrase_pattern("truce"))).unwrap();
        assert!(!re.is_match("untruce"));
    }

    #[test]
    fn terms_report_the_first_term_per_target() {
        let terms = Terms::new(&Codebook::default_codebook());
        let found = terms.mentioned("A truce, then a Ceasefire, and China as mediator.");
        assert_eq!(
            found,
            vec![
                ("ceasefire".to_owned(), "truce".to_owned()),
                ("mediation".to_owned(), "mediator".to_owned())
            ]
        );
        assert!(terms.mentioned("Xi met Putin in Moscow.").is_empty());
    }

    #[test]
    fn names_prefer_the_longest_and_respect_case() {
        let cb = Codebook::default_codebook();
        let names = Names::new(&cb);
        let text = "Chinese President Xi Jinping's visit; a small step, Small said.";
        let found = names.find(text, 10);
        let ids: Vec<&str> = found
            .iter()
            .map(|m| cb.speakers[m.speaker].id.as_str())
            .collect();
        assert_eq!(ids, ["xi-jinping", "andrew-small"]);
        // "President Xi" and "Xi Jinping" overlap: one mention, possessive at its end.
        assert_eq!(
            &text[found[0].range.start - 10..found[0].range.end - 10],
            "President Xi Jinping"
        );
        assert!(found[0].possessive);
        assert!(!found[1].possessive);
        assert_eq!(found[1].range.start, 10 + text.find("Small").unwrap());
        let found = names.find("Volodymyr Zelenksyy said", 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Volodymyr Zelenksyy");
        let caps = names.find("XI JINPING LANDED IN MOSCOW", 0);
        assert_eq!(caps.len(), 2);
        assert_eq!(caps[0].name, "Xi Jinping");
        assert_eq!(caps[0].range, 0..10);
        assert_eq!(caps[1].name, "Moscow");
    }

    #[test]
    fn quotes_run_across_sentences_of_a_paragraph() {
        let text =
            "\"So to bring Kiev to the table. Or else,\" he said.\n\nA \"scare\" word. “Open.";
        let seg = segment(text, &Boilerplate::default());
        let q = quotes(text, &seg.sentences);
        assert_eq!(q.len(), 4);
        assert!(!q[0].open_at_start && q[0].open_at_end);
        assert!(q[1].open_at_start && !q[1].open_at_end);
        assert_eq!(&text[q[1].spans[0].clone()], "Or else,");
        assert_eq!(q[2].longest_words(text), 1);
        // A paragraph boundary closes whatever was left open.
        assert!(q[3].open_at_end && !q[3].open_at_start);
    }
}
