//! Segmentation: paragraphs and sentences with exact byte ranges into the original text.
//!
//! The text is cut in four passes, each one linear in the length of the text:
//! 1. lines: a blank line (only whitespace) ends a paragraph, and every line break ends a
//!    sentence, because web text puts titles, captions and bylines on lines of their own
//!    without final punctuation;
//! 2. Unicode sentence bounds (UAX #29) within each line;
//! 3. merging the bounds UAX #29 gets wrong in news text: abbreviations ("Mar. 20", "Dr."),
//!    initials ("John F. Kennedy"), dotted acronyms ("U.S. President") and quotes followed by
//!    lowercase (`“Why?” he asked.`);
//! 4. boilerplate: codebook patterns, repeated lines and doubled lines are marked as skipped,
//!    never removed, so every non-whitespace byte stays in exactly one sentence.
//!
//! Ranges always point into the original text; nothing is re-joined or normalised, so an
//! annotation's offsets stay valid for the file on disk.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use crate::core::model::codebook::Boilerplate;

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

/// Skip reason for a short line that repeats an earlier line of the same text.
pub const REPEATED_LINE: &str = "repeated-line";

/// Skip reason for a line that is one phrase written twice.
pub const DOUBLED_LINE: &str = "doubled-line";

/// Longest line, in characters, that the repeated-line rule applies to: captions and headlines
/// are short, while a long paragraph written twice is more likely a real (if odd) repetition
/// a coder should see.
pub const MAX_REPEATED_LINE_CHARS: usize = 200;

/// Splits `text` into paragraphs and sentences and marks boilerplate.
pub fn segment(text: &str, boilerplate: &Boilerplate) -> Segmentation {
    let rules = SkipRules::new(boilerplate);
    let mut seg = Segmentation::default();
    // Index of the first sentence of the paragraph being built, if one is open.
    let mut open: Option<u32> = None;
    let mut seen_lines: HashSet<&str> = HashSet::new();
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let raw_range = offset..offset + raw.len();
        offset += raw.len();
        let Some(line) = trimmed(text, raw_range) else {
            close_paragraph(&mut seg, &mut open);
            continue;
        };
        open.get_or_insert(seg.sentences.len() as u32);
        let paragraph = seg.paragraphs.len() as u32;
        split_line(text, line.clone(), &mut pieces);
        let line_reason = rules.line_reason(&text[line], &mut seen_lines);
        for range in pieces.drain(..) {
            let skip = rules
                .pattern_reason(&text[range.clone()])
                .or(line_reason)
                .map(str::to_owned);
            seg.sentences.push(Sentence {
                range,
                paragraph,
                skip,
            });
        }
    }
    close_paragraph(&mut seg, &mut open);
    seg
}

/// Ends the open paragraph (if any) at the last sentence pushed so far.
fn close_paragraph(seg: &mut Segmentation, open: &mut Option<u32>) {
    let Some(first) = open.take() else {
        return;
    };
    let end = seg.sentences.len() as u32;
    let (Some(a), Some(b)) = (seg.sentences.get(first as usize), seg.sentences.last()) else {
        return;
    };
    seg.paragraphs.push(Paragraph {
        range: a.range.start..b.range.end,
        sentences: first..end,
    });
}

/// `range` without leading and trailing whitespace, or `None` if that leaves nothing.
fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let start = range.start + (s.len() - s.trim_start().len());
    Some(start..start + t.len())
}

/// Appends the sentences of one (trimmed, non-empty) line to `out`.
fn split_line(text: &str, line: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut current: Option<Range<usize>> = None;
    for (i, piece) in text[line.clone()].split_sentence_bound_indices() {
        let start = line.start + i;
        let Some(range) = trimmed(text, start..start + piece.len()) else {
            continue;
        };
        if let Some(cur) = &mut current
            && should_join(
                &text[cur.clone()],
                &text[cur.end..range.start],
                &text[range.clone()],
            )
        {
            cur.end = range.end;
        } else if let Some(done) = current.replace(range) {
            out.push(done);
        }
    }
    out.extend(current);
}

// ---------------------------------------------------------------------------------------------
// Merging wrong splits
// ---------------------------------------------------------------------------------------------

/// Abbreviations that end in a full stop only when a number follows ("Mar. 20", "No. 5");
/// otherwise they are read as a real sentence end ("He said no. No.").
const NUMBER_ABBREVIATIONS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No",
    "Nos", "Vol", "Fig", "Art", "Sec", "Ch", "pp", "p", "approx", "ca",
];

/// Abbreviations that rarely end a sentence: titles before a name, and short forms that are
/// followed by more of the same sentence. A split after them stands only if the next word
/// typically starts a sentence ("He works at Acme Inc. The firm …").
const WORD_ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr", "Adm", "Sgt",
    "Cpl", "Pvt", "Sen", "Rep", "Gov", "Pres", "Amb", "Rev", "Fr", "Hon", "St", "Mt", "Ft",
    "Messrs", "Mme", "Mlle", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "Bros", "Dept", "Univ",
    "Assn", "Ave", "Blvd", "Rd", "vs", "etc", "Ph.D", "cf", "al",
];

/// Words that typically begin a sentence; after an acronym, initial or title they confirm the
/// split ("… talks with the U.S. The meeting …"), any other word denies it ("U.S. President").
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "After",
    "Again",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "During",
    "Even",
    "Every",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "Indeed",
    "Instead",
    "It",
    "Its",
    "Many",
    "Meanwhile",
    "More",
    "Most",
    "My",
    "No",
    "Nor",
    "Not",
    "Now",
    "Of",
    "On",
    "One",
    "Or",
    "Our",
    "Since",
    "She",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "To",
    "Under",
    "We",
    "What",
    "When",
    "Where",
    "Whether",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "You",
    "Your",
];

/// Whether the sentence bound between `prev` and `next` (trimmed texts with `gap`, only
/// whitespace, between them) is a wrong split that should be undone.
fn should_join(prev: &str, gap: &str, next: &str) -> bool {
    let Some(first) = next.chars().next() else {
        return false;
    };
    // Sentences in news text do not begin in lowercase; UAX #29 splits after `?”` and `!”`
    // even when the attribution follows (`“Why?” he asked.`).
    if first.is_lowercase() {
        return true;
    }
    // A bound inside a token (`U.S.-China`) is never a sentence end.
    if gap.is_empty() && !first.is_alphabetic() && !is_opening(first) {
        return true;
    }
    // Only a bare full stop can be an abbreviation's; `?`, `!` and `.”` are real ends.
    let Some(word) = last_word(prev).strip_suffix('.') else {
        return false;
    };
    if NUMBER_ABBREVIATIONS.contains(&word) {
        return first.is_ascii_digit();
    }
    let abbreviated = WORD_ABBREVIATIONS.contains(&word)
        || is_initial(word)
        || is_dotted_acronym(last_word(prev));
    abbreviated && (starts_with_initial(next) || !SENTENCE_STARTERS.contains(&first_word(next)))
}

/// Opening brackets and quotes, which may start a sentence without a space before them.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '"' | '\'' | '“' | '‘' | '«' | '„' | '‚'
    )
}

/// The last whitespace-separated word of `s`, without opening brackets or quotes before it.
fn last_word(s: &str) -> &str {
    let word = s.rsplit(char::is_whitespace).next().unwrap_or(s);
    word.trim_start_matches(|c: char| !c.is_alphanumeric())
}

/// The leading letters of `s`, after any opening brackets or quotes (`“It’s` gives `It`).
fn first_word(s: &str) -> &str {
    let s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = s
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// One capital letter: an initial when it stood before a full stop ("F" of "John F.").
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next().is_none()
}

/// Whether `s` starts with an initial and its full stop ("R. Tolkien").
fn starts_with_initial(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next() == Some('.')
}

/// Whether `word` ends in two or more letter-and-full-stop pairs standing on their own or after
/// a hyphen or slash: "U.S.", "e.g.", "China-U.S.", but not "etc." or "Ph.D.".
fn is_dotted_acronym(word: &str) -> bool {
    let mut chars = word.chars().rev().peekable();
    let mut pairs = 0;
    while chars.peek() == Some(&'.') {
        chars.next();
        match chars.next() {
            Some(c) if c.is_alphabetic() => pairs += 1,
            _ => return false,
        }
    }
    pairs >= 2 && chars.next().is_none_or(|c| !c.is_alphanumeric())
}

// ---------------------------------------------------------------------------------------------
// Boilerplate
// ---------------------------------------------------------------------------------------------

/// Compiled boilerplate patterns: `(index into the codebook's patterns, anchored regex)`.
type Compiled = Arc<[(usize, Regex)]>;

/// Compiled pattern lists by their pattern texts.
type CompiledCache = Mutex<Vec<(Vec<String>, Compiled)>>;

/// How many distinct pattern lists the cache keeps (a process rarely has more than one or two
/// codebooks; the bound only stops a fuzzer or a long test run from growing it forever).
const COMPILED_CACHE_SIZE: usize = 8;

/// The patterns compiled, from a process-wide cache keyed by the pattern texts.
///
/// Compiling the default codebook's patterns took longer than segmenting a seed article, and
/// opening a 2,000-article project segments 2,000 times with the same patterns.
fn compiled(boilerplate: &Boilerplate) -> Compiled {
    static CACHE: OnceLock<CompiledCache> = OnceLock::new();
    let key: Vec<String> = boilerplate
        .patterns
        .iter()
        .map(|p| p.regex.clone())
        .collect();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Ok(entries) = cache.lock()
        && let Some((_, c)) = entries.iter().find(|(k, _)| *k == key)
    {
        return c.clone();
    }
    let compiled: Compiled = key
        .iter()
        .enumerate()
        .filter_map(|(i, regex)| {
            // Invalid patterns are the codebook validator's to report; here they match
            // nothing. The pattern is checked on its own first, because wrapping it could
            // make an unbalanced one valid.
            Regex::new(regex).ok()?;
            // Anchored so that a pattern matches a whole sentence, not a word in it: an
            // "advertisement" rule must not skip "Advertisement revenue fell."
            let whole = Regex::new(&format!("^(?:{regex})$")).ok()?;
            Some((i, whole))
        })
        .collect();
    if let Ok(mut entries) = cache.lock() {
        if entries.len() >= COMPILED_CACHE_SIZE {
            entries.remove(0);
        }
        entries.push((key, compiled.clone()));
    }
    compiled
}

/// The boilerplate rules of one call, with the patterns compiled once per process.
struct SkipRules<'a> {
    boilerplate: &'a Boilerplate,
    patterns: Compiled,
    repeated: bool,
    doubled: bool,
}

impl<'a> SkipRules<'a> {
    fn new(boilerplate: &'a Boilerplate) -> Self {
        Self {
            boilerplate,
            patterns: compiled(boilerplate),
            repeated: boilerplate.skip_repeated_lines,
            doubled: boilerplate.skip_doubled_lines,
        }
    }

    /// The id of the first pattern that matches the whole sentence.
    fn pattern_reason(&self, sentence: &str) -> Option<&'a str> {
        let (i, _) = self.patterns.iter().find(|(_, re)| re.is_match(sentence))?;
        self.boilerplate.patterns.get(*i).map(|p| p.id.as_str())
    }

    /// Why a whole (trimmed) line is boilerplate; records the line as seen.
    ///
    /// Checked per line rather than per sentence, since a caption such as "… PUTIN. PHOTO:
    /// SERGIO LIMA/AFP" is two sentences yet repeated as a unit.
    fn line_reason<'t>(&self, line: &'t str, seen: &mut HashSet<&'t str>) -> Option<&'static str> {
        if self.repeated
            && line.chars().take(MAX_REPEATED_LINE_CHARS + 1).count() <= MAX_REPEATED_LINE_CHARS
            && !seen.insert(line)
        {
            return Some(REPEATED_LINE);
        }
        if self.doubled && is_doubled(line) {
            return Some(DOUBLED_LINE);
        }
        None
    }
}

/// Whether `line` is one phrase, whitespace, and the same phrase again ("Putin Talks Putin
/// Talks"), as image alt text glued to its caption often is.
///
/// Linear: the two halves are only compared at the one whitespace run that could sit in the
/// middle (where the text before it is as long as the text after it).
fn is_doubled(line: &str) -> bool {
    let n = line.len();
    let mut run_start = None;
    for (i, c) in line.char_indices() {
        if c.is_whitespace() {
            run_start.get_or_insert(i);
            continue;
        }
        if let Some(a) = run_start.take() {
            // The run is a..i: the left phrase is a bytes long, the right one n - i.
            if a == n - i {
                let left = &line[..a];
                return left == &line[i..] && left.chars().any(char::is_alphanumeric);
            }
            if a > n - i {
                return false;
            }
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------------------------

/// Checks that `seg` is a valid segmentation of `text`.
///
/// Sentences are non-empty, trimmed, within one line, in order and disjoint, and only
/// whitespace lies outside them; each sentence's paragraph lists it; paragraphs split the
/// sentence list in order, span their sentences, and are separated by blank lines while the
/// sentences inside one are not. The error names the first violation found.
pub fn split_check(text: &str, seg: &Segmentation) -> Result<(), String> {
    let mut cursor = 0;
    let mut previous_paragraph = None;
    for (i, s) in seg.sentences.iter().enumerate() {
        let r = &s.range;
        if r.start >= r.end {
            return Err(format!("sentence {i} has an empty range {r:?}"));
        }
        if r.start < cursor {
            return Err(format!(
                "sentence {i} at {r:?} starts before the previous one ends at {cursor}"
            ));
        }
        let Some(body) = text.get(r.clone()) else {
            return Err(format!(
                "sentence {i} at {r:?} is outside the text or cuts a character (text is {} bytes)",
                text.len()
            ));
        };
        let gap = &text[cursor..r.start];
        if let Some(stray) = gap.find(|c: char| !c.is_whitespace()) {
            return Err(format!(
                "text at byte {} before sentence {i} is in no sentence",
                cursor + stray
            ));
        }
        if body.starts_with(char::is_whitespace) || body.ends_with(char::is_whitespace) {
            return Err(format!("sentence {i} at {r:?} is not trimmed"));
        }
        if body.contains('\n') {
            return Err(format!("sentence {i} at {r:?} crosses a line break"));
        }
        let Some(p) = seg.paragraphs.get(s.paragraph as usize) else {
            return Err(format!(
                "sentence {i} names paragraph {} of {}",
                s.paragraph,
                seg.paragraphs.len()
            ));
        };
        if !p.sentences.contains(&(i as u32)) {
            return Err(format!(
                "sentence {i} names paragraph {} whose sentences are {:?}",
                s.paragraph, p.sentences
            ));
        }
        let blank_line = gap.matches('\n').count() >= 2;
        match previous_paragraph {
            None if s.paragraph != 0 => {
                return Err(format!(
                    "the first sentence is in paragraph {}",
                    s.paragraph
                ));
            }
            Some(prev) if prev == s.paragraph && blank_line => {
                return Err(format!(
                    "a blank line before sentence {i} lies inside paragraph {prev}"
                ));
            }
            Some(prev) if prev != s.paragraph && (s.paragraph != prev + 1 || !blank_line) => {
                return Err(format!(
                    "sentence {i} starts paragraph {} after paragraph {prev} without a blank \
                     line or out of order",
                    s.paragraph
                ));
            }
            _ => {}
        }
        previous_paragraph = Some(s.paragraph);
        cursor = r.end;
    }
    if let Some(stray) = text[cursor..].find(|c: char| !c.is_whitespace()) {
        return Err(format!(
            "text at byte {} after the last sentence is in no sentence",
            cursor + stray
        ));
    }
    check_paragraphs(seg)
}

/// Paragraphs split the sentence list in order and each spans exactly its sentences.
fn check_paragraphs(seg: &Segmentation) -> Result<(), String> {
    let mut next = 0u32;
    for (pi, p) in seg.paragraphs.iter().enumerate() {
        let Range { start, end } = p.sentences;
        if start != next || end <= start {
            return Err(format!(
                "paragraph {pi} has sentences {start}..{end}; expected {next}.. and non-empty"
            ));
        }
        let (Some(first), Some(last)) = (
            seg.sentences.get(start as usize),
            seg.sentences.get(end as usize - 1),
        ) else {
            return Err(format!(
                "paragraph {pi} has sentences {start}..{end} of {}",
                seg.sentences.len()
            ));
        };
        if p.range != (first.range.start..last.range.end) {
            return Err(format!(
                "paragraph {pi} spans {:?} but its sentences span {:?}",
                p.range,
                first.range.start..last.range.end
            ));
        }
        next = end;
    }
    if next as usize != seg.sentences.len() {
        return Err(format!(
            "paragraphs cover {next} of {} sentences",
            seg.sentences.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::codebook::BoilerplatePattern;

    /// Segments with no boilerplate rules, checks the invariants, and returns sentence texts.
    fn sentences(text: &str) -> Vec<&str> {
        let seg = segment(text, &Boilerplate::default());
        assert_eq!(split_check(text, &seg), Ok(()));
        seg.sentences
            .iter()
            .map(|s| &text[s.range.clone()])
            .collect()
    }

    fn rules(patterns: &[(&str, &str)], repeated: bool, doubled: bool) -> Boilerplate {
        Boilerplate {
            patterns: patterns
                .iter()
                .map(|&(id, regex)| BoilerplatePattern {
                    id: id.into(),
                    regex: regex.into(),
                })
                .collect(),
            skip_repeated_lines: repeated,
            skip_doubled_lines: doubled,
        }
    }

    /// Segments with `bp`, checks the invariants, and returns (text, skip) pairs.
    fn skips<'t>(text: &'t str, bp: &Boilerplate) -> Vec<(&'t str, Option<String>)> {
        let seg = segment(text, bp);
        assert_eq!(split_check(text, &seg), Ok(()));
        seg.sentences
            .into_iter()
            .map(|s| (&text[s.range], s.skip))
            .collect()
    }

    #[test]
    fn compiled_patterns_are_shared_per_pattern_list_and_keep_ids() {
        // Two rule sets with the same regex but different ids, one with an invalid pattern
        // before it: the cache must not mix them up or shift ids.
        let a = rules(&[("ad", "(?i)advertisement")], false, false);
        let b = rules(
            &[("bad", "("), ("promo", "(?i)advertisement")],
            false,
            false,
        );
        let text = "Advertisement\nTalks go on.\n";
        for _ in 0..2 {
            assert_eq!(skips(text, &a)[0].1.as_deref(), Some("ad"));
            assert_eq!(skips(text, &b)[0].1.as_deref(), Some("promo"));
        }
        assert!(Arc::ptr_eq(&compiled(&a), &compiled(&a)));
        assert!(!Arc::ptr_eq(&compiled(&a), &compiled(&b)));
        assert_eq!(compiled(&b).len(), 1);
    }

    #[test]
    fn empty_and_whitespace_only_texts_have_no_sentences() {
        for text in ["", " ", "\n", "\r\n\r\n", " \t\n  \n\u{a0}\n"] {
            let seg = segment(text, &Boilerplate::default());
            assert_eq!(seg, Segmentation::default(), "{text:?}");
            assert_eq!(split_check(text, &seg), Ok(()));
        }
    }

    #[test]
    fn plain_sentences_split_at_full_stops_questions_and_exclamations() {
        assert_eq!(
            sentences("Stop! Is this peace? It is not. Talks go on."),
            ["Stop!", "Is this peace?", "It is not.", "Talks go on."]
        );
    }

    #[test]
    fn text_without_trailing_newline_ends_at_the_last_byte() {
        let text = "Title\nLast line without newline";
        let seg = segment(text, &Boilerplate::default());
        assert_eq!(split_check(text, &seg), Ok(()));
        assert_eq!(seg.sentences.len(), 2);
        assert_eq!(seg.sentences[1].range.end, text.len());
        assert_eq!(seg.paragraphs.len(), 1);
    }

    #[test]
    fn crlf_text_keeps_carriage_returns_out_of_sentences() {
        let text = "Title\r\n\r\nFirst line. Second one.\r\nCaption\r\n  \r\nEnd.";
        let seg = segment(text, &Boilerplate::default());
        assert_eq!(split_check(text, &seg), Ok(()));
        let got: Vec<&str> = seg
            .sentences
            .iter()
            .map(|s| &text[s.range.clone()])
            .collect();
        assert_eq!(
            got,
            ["Title", "First line.", "Second one.", "Caption", "End."]
        );
        let paragraphs: Vec<u32> = seg.sentences.iter().map(|s| s.paragraph).collect();
        assert_eq!(paragraphs, [0, 1, 1, 1, 2]);
        assert_eq!(seg.paragraphs[1].sentences, 1..4);
        assert_eq!(
            &text[seg.paragraphs[1].range.clone()],
            "First line. Second one.\r\nCaption"
        );
    }

    #[test]
    fn whitespace_only_lines_separate_paragraphs_and_lines_end_sentences() {
        let text = "  Headline without stop\nBy: A Writer\n \t \nBody starts. It ends";
        let seg = segment(text, &Boilerplate::default());
        assert_eq!(split_check(text, &seg), Ok(()));
        let got: Vec<&str> = seg
            .sentences
            .iter()
            .map(|s| &text[s.range.clone()])
            .collect();
        assert_eq!(
            got,
            [
                "Headline without stop",
                "By: A Writer",
                "Body starts.",
                "It ends"
            ]
        );
        assert_eq!(seg.paragraphs.len(), 2);
        assert_eq!(seg.paragraphs[0].sentences, 0..2);
        assert_eq!(seg.paragraphs[1].sentences, 2..4);
    }

    #[test]
    fn titles_before_names_do_not_end_sentences() {
        assert_eq!(
            sentences("Dr. Smith met Prof. Jones and Gen. Lee at St. Mary's. Mr. Wu was late."),
            [
                "Dr. Smith met Prof. Jones and Gen. Lee at St. Mary's.",
                "Mr. Wu was late."
            ]
        );
    }

    #[test]
    fn months_and_numbers_after_abbreviations_stay_in_the_sentence() {
        assert_eq!(
            sentences(
                "They met on Mar. 20, 2023 in Moscow. No. 5 was next. It came in Jan. The end."
            ),
            [
                "They met on Mar. 20, 2023 in Moscow.",
                "No. 5 was next.",
                "It came in Jan.",
                "The end."
            ]
        );
        // Without a number after it, "No." is an answer.
        assert_eq!(
            sentences("He said No. Talks ended."),
            ["He said No.", "Talks ended."]
        );
    }

    #[test]
    fn initials_stay_with_the_name() {
        assert_eq!(
            sentences("John F. Kennedy spoke. J. R. R. Tolkien wrote. J.R.R. Tolkien too."),
            [
                "John F. Kennedy spoke.",
                "J. R. R. Tolkien wrote.",
                "J.R.R. Tolkien too."
            ]
        );
    }

    #[test]
    fn dotted_acronyms_split_only_before_a_sentence_starter() {
        assert_eq!(
            sentences(
                "U.S. President Biden met the U.N. Secretary-General. He flew to the U.S. \
                 The trip was short. Ties with the U.K. They are good."
            ),
            [
                "U.S. President Biden met the U.N. Secretary-General.",
                "He flew to the U.S.",
                "The trip was short.",
                "Ties with the U.K.",
                "They are good."
            ]
        );
        assert_eq!(
            sentences("The E.U. Commission and the U.S.-China talks went on, i.e. Monday."),
            ["The E.U. Commission and the U.S.-China talks went on, i.e. Monday."]
        );
    }

    #[test]
    fn numbers_never_split() {
        assert_eq!(
            sentences(
                "Growth was 2.5 percent. Trade reached $190 billion. It had a 12-point plan."
            ),
            [
                "Growth was 2.5 percent.",
                "Trade reached $190 billion.",
                "It had a 12-point plan."
            ]
        );
    }

    #[test]
    fn ellipsis_followed_by_lowercase_does_not_split() {
        assert_eq!(
            sentences("He paused… and went on. Wait... what? Nobody knew."),
            ["He paused… and went on.", "Wait... what?", "Nobody knew."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("“We want peace.” He said so. \"No more war.\" She agreed."),
            [
                "“We want peace.”",
                "He said so.",
                "\"No more war.\"",
                "She agreed."
            ]
        );
    }

    #[test]
    fn question_or_exclamation_inside_quotes_before_lowercase_does_not_split() {
        assert_eq!(
            sentences("“Why now?” he asked. “Never!” she said. “Why not?” They laughed."),
            [
                "“Why now?” he asked.",
                "“Never!” she said.",
                "“Why not?”",
                "They laughed."
            ]
        );
    }

    #[test]
    fn quote_ending_in_comma_keeps_its_attribution() {
        assert_eq!(
            sentences("“It will be fruitful,” Xi told reporters. Putin agreed."),
            ["“It will be fruitful,” Xi told reporters.", "Putin agreed."]
        );
    }

    #[test]
    fn unicode_whitespace_and_letters_keep_exact_byte_ranges() {
        let text = "\u{a0}Peace in\u{a0}Ukraine.\u{a0} Marián Šeliga wrote.\u{2003}";
        assert_eq!(
            sentences(text),
            ["Peace in\u{a0}Ukraine.", "Marián Šeliga wrote."]
        );
    }

    #[test]
    fn helper_words() {
        assert_eq!(last_word("the (U.S."), "U.S.");
        assert_eq!(last_word("word"), "word");
        assert_eq!(first_word("“It’s late"), "It");
        assert_eq!(first_word("[Chinese] President"), "Chinese");
        assert!(is_initial("F"));
        assert!(!is_initial("Fe"));
        assert!(!is_initial("f"));
        assert!(starts_with_initial("R. Tolkien"));
        assert!(!starts_with_initial("Ra. Tolkien"));
    }

    #[test]
    fn dotted_acronyms_are_recognised() {
        for yes in [
            "U.S.",
            "U.N.",
            "E.U.",
            "U.K.",
            "e.g.",
            "China-U.S.",
            "Sino-U.S.",
            "a.m.",
        ] {
            assert!(is_dotted_acronym(yes), "{yes}");
        }
        for no in ["etc.", "Ph.D.", "S.", "US.", "U.S", "", "."] {
            assert!(!is_dotted_acronym(no), "{no}");
        }
    }

    #[test]
    fn doubled_lines_are_one_phrase_twice() {
        assert!(is_doubled(
            "Prigozhin challenges Putin Prigozhin challenges Putin"
        ));
        assert!(is_doubled("Volodymyr Zelensky  Volodymyr Zelensky"));
        assert!(is_doubled("Talks Talks"));
        assert!(!is_doubled("Putin Talks"));
        assert!(!is_doubled("Talks Putin Talks"));
        assert!(!is_doubled("Putin Talks Putin Talk"));
        assert!(!is_doubled("PutinPutin"));
        assert!(!is_doubled("- -"));
        assert!(!is_doubled(""));
    }

    #[test]
    fn patterns_skip_whole_sentences_only() {
        let bp = rules(&[("advertisement", "(?i)advertisement")], false, false);
        let got = skips(
            "Advertisement\nAdvertisement revenue fell. ADVERTISEMENT",
            &bp,
        );
        assert_eq!(
            got,
            [
                ("Advertisement", Some("advertisement".into())),
                ("Advertisement revenue fell.", None),
                ("ADVERTISEMENT", Some("advertisement".into())),
            ]
        );
    }

    #[test]
    fn invalid_patterns_are_ignored_and_the_first_matching_pattern_wins() {
        let bp = rules(
            &[("broken", "a)(b"), ("ads", "^Ad.*$"), ("advert", "Advert")],
            false,
            false,
        );
        let got = skips("a)(b\nAdvert", &bp);
        assert_eq!(got, [("a)(b", None), ("Advert", Some("ads".into()))]);
    }

    #[test]
    fn repeated_short_lines_keep_the_first_occurrence() {
        let bp = rules(&[], true, false);
        let long = "x".repeat(MAX_REPEATED_LINE_CHARS + 1);
        let limit = "é".repeat(MAX_REPEATED_LINE_CHARS);
        let text =
            format!("Caption. Credit\nBody.\n\nCaption. Credit\n{long}\n{long}\n{limit}\n{limit}");
        let got = skips(&text, &bp);
        let reasons: Vec<Option<&str>> = got.iter().map(|(_, r)| r.as_deref()).collect();
        assert_eq!(
            reasons,
            [
                None,
                None,
                None,
                Some(REPEATED_LINE),
                Some(REPEATED_LINE),
                None,
                None,
                None,
                Some(REPEATED_LINE)
            ]
        );
    }

    #[test]
    fn a_repeated_sentence_inside_a_longer_line_is_not_a_repeated_line() {
        let bp = rules(&[], true, true);
        let got = skips("He left.\nShe came. He left.", &bp);
        assert!(got.iter().all(|(_, r)| r.is_none()), "{got:?}");
    }

    #[test]
    fn doubled_lines_are_skipped_and_patterns_take_precedence() {
        let bp = rules(&[("ad", "^Ad Ad$")], true, true);
        let got = skips(
            "Putin Talks Putin Talks\nPutin Talks\nAd Ad\nPutin Talks",
            &bp,
        );
        assert_eq!(
            got,
            [
                ("Putin Talks Putin Talks", Some(DOUBLED_LINE.into())),
                ("Putin Talks", None),
                ("Ad Ad", Some("ad".into())),
                ("Putin Talks", Some(REPEATED_LINE.into())),
            ]
        );
    }

    #[test]
    fn line_rules_are_off_unless_asked_for() {
        let got = skips(
            "Putin Talks Putin Talks\nSame\nSame",
            &Boilerplate::default(),
        );
        assert!(got.iter().all(|(_, r)| r.is_none()), "{got:?}");
    }

    #[test]
    fn split_check_accepts_real_output_and_refuses_broken_segmentations() {
        let text = "One. Two.\n\nThree.";
        let good = segment(text, &Boilerplate::default());
        assert_eq!(split_check(text, &good), Ok(()));
        let broken = |f: &dyn Fn(&mut Segmentation)| {
            let mut seg = good.clone();
            f(&mut seg);
            split_check(text, &seg)
        };
        // Untrimmed, overlapping, out of bounds, uncovered, empty.
        assert!(broken(&|s| s.sentences[0].range.end += 1).is_err());
        assert!(broken(&|s| s.sentences[1].range.start = 2).is_err());
        assert!(broken(&|s| s.sentences[2].range.end = 99).is_err());
        assert!(broken(&|s| s.sentences[1].range.start += 1).is_err());
        assert!(broken(&|s| s.sentences[1].range.end = s.sentences[1].range.start).is_err());
        assert!(
            broken(&|s| {
                s.sentences.pop();
                s.paragraphs.pop();
            })
            .is_err()
        );
        // Paragraph bookkeeping.
        assert!(broken(&|s| s.sentences[2].paragraph = 0).is_err());
        assert!(broken(&|s| s.sentences[0].paragraph = 5).is_err());
        assert!(broken(&|s| s.paragraphs[0].range.end -= 1).is_err());
        assert!(broken(&|s| s.paragraphs[0].sentences = 0..1).is_err());
        assert!(
            broken(&|s| {
                s.paragraphs.swap(0, 1);
            })
            .is_err()
        );
        // A blank line inside a paragraph, and two paragraphs with no blank line between.
        assert!(
            broken(&|s| {
                s.paragraphs = vec![Paragraph {
                    range: 0..text.len(),
                    sentences: 0..3,
                }];
                s.sentences[2].paragraph = 0;
            })
            .is_err()
        );
        assert!(
            broken(&|s| {
                s.paragraphs = vec![
                    Paragraph {
                        range: 0..4,
                        sentences: 0..1,
                    },
                    Paragraph {
                        range: 5..text.len(),
                        sentences: 1..3,
                    },
                ];
                s.sentences[1].paragraph = 1;
            })
            .is_err()
        );
        // A sentence across a line break.
        let two_lines = "A\nB";
        let joined = Segmentation {
            paragraphs: vec![Paragraph {
                range: 0..3,
                sentences: 0..1,
            }],
            sentences: vec![Sentence {
                range: 0..3,
                paragraph: 0,
                skip: None,
            }],
        };
        assert!(split_check(two_lines, &joined).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_text_segments_into_a_valid_segmentation(
            text in "[ \t\r\n\u{a0}\u{2028}.?!…aAzZUSF5,;:\"“”’()-]{0,80}"
        ) {
            let bp = rules(&[("ad", "^A+$"), ("bad", "(")], true, true);
            let seg = segment(&text, &bp);
            proptest::prop_assert_eq!(split_check(&text, &seg), Ok(()));
        }
    }

    #[test]
    fn a_megabyte_segments_quickly() {
        use std::fmt::Write as _;
        // The size the brief names: 1 MB, over 8,000 sentences, with a caption repeated in
        // every paragraph. An optimised build takes a few tens of milliseconds, most of it in
        // UAX #29; the bound is loose because tests run unoptimised on a shared machine.
        let mut text = String::new();
        let mut i = 0;
        while text.len() < 1_000_000 {
            for _ in 0..8 {
                i += 1;
                let _ = write!(
                    text,
                    "On Mar. {} the U.S. President met Dr. Smith about 2.5 percent of a $190 \
                     billion deal, “for peace,” he said, number {i} of many here. ",
                    i % 28 + 1
                );
            }
            text.push_str("\nCHINESE PRESIDENT XI. PHOTO: AFP\n\n");
        }
        let bp = rules(&[("ad", "(?i)advertisement")], true, true);
        let started = std::time::Instant::now();
        let seg = segment(&text, &bp);
        let took = started.elapsed();
        assert_eq!(split_check(&text, &seg), Ok(()));
        assert!(seg.sentences.len() >= 8_000, "{}", seg.sentences.len());
        assert!(took.as_millis() < 1_000, "{took:?}");
    }

    #[test]
    fn many_short_lines_segment_in_linear_time() {
        // 50,000 distinct caption-like lines, every tenth repeated and every hundredth doubled:
        // comparing each line with every earlier one would be over a billion comparisons.
        let mut text = String::new();
        for i in 0..50_000 {
            let line = match i % 100 {
                0 => format!("Caption {i} Caption {i}"),
                n if n % 10 == 0 => format!("Caption {}", i - 1),
                _ => format!("Caption {i}"),
            };
            text.push_str(&line);
            text.push('\n');
        }
        let bp = rules(&[], true, true);
        let started = std::time::Instant::now();
        let seg = segment(&text, &bp);
        let took = started.elapsed();
        assert_eq!(split_check(&text, &seg), Ok(()));
        assert_eq!(seg.sentences.len(), 50_000);
        assert_eq!(seg.paragraphs.len(), 1);
        let count = |reason: &str| {
            seg.sentences
                .iter()
                .filter(|s| s.skip.as_deref() == Some(reason))
                .count()
        };
        assert_eq!(count(DOUBLED_LINE), 500);
        assert_eq!(count(REPEATED_LINE), 4_500);
        assert!(took.as_millis() < 1_000, "{took:?}");
    }
}
