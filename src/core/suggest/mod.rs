//! Suggested claims: sentences that mention a target, with a suggested speaker, source type
//! and attribution cue, each saying why.
//!
//! Deterministic and explainable: no model and no network, only the codebook (target terms,
//! the speaker registry with aliases, kinds and affiliations) and the form of the text
//! (quotation marks, cues such as "said" or "according to"). Stances are never suggested:
//! they are the judgement coders are there for.
//!
//! The work is split by question: [`scan`] finds terms, names, cues and quotes; `attribution`
//! decides who says a sentence; `source` picks the source type; this module groups sentences
//! into claims (a quotation running over sentences, a paragraph ending in "…, Lukin noted.")
//! and builds the [`Suggestion`]s. [`evaluate`] measures them against human claims.

mod attribution;
pub mod evaluate;
mod scan;
mod source;

use std::collections::BTreeMap;

use regex::Regex;
use serde::Serialize;

use crate::core::model::annotation::{Anchor, Claim, Cue, Origin, SpeakerRef, new_claim_id, now};
use crate::core::model::codebook::{Codebook, SpeakerKind};
use crate::core::text::corpus::Article;

use attribution::{Attribution, Attributor, Context, Tracker, Who};
use scan::{MIN_QUOTE_WORDS, Names, Quotes, Terms};

/// A suggested claim: a stretch of sentences, what it is about, and who says it how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// Index of the first sentence.
    pub first: u32,
    /// Index of the last sentence (equal to `first` for one sentence).
    pub last: u32,
    /// Byte offset of the start of the first sentence in the article.
    pub start: usize,
    /// Byte offset one past the end of the last sentence.
    pub end: usize,
    /// The target ids the text mentions, in codebook order.
    pub targets: Vec<String>,
    /// The suggested speaker, if one was found.
    pub speaker: Option<SpeakerRef>,
    /// The suggested source type id, if one applies.
    pub source: Option<String>,
    /// The attribution cue, if any.
    pub cue: Option<Cue>,
    /// Why, one short phrase per finding ("mentions 'truce' (ceasefire)", "quote + 'said' +
    /// alias 'Kirby'").
    pub reasons: Vec<String>,
}

impl Suggestion {
    /// The reasons as one line, as shown to the coder and kept in an accepted claim.
    pub fn explain(&self) -> String {
        self.reasons.join("; ")
    }

    /// Whether the suggestion covers sentence `i`.
    pub fn covers(&self, i: u32) -> bool {
        (self.first..=self.last).contains(&i)
    }
}

/// A fixed pattern. `None` only if the pattern is invalid, which the unit tests rule out; a
/// rule then goes quiet instead of the program stopping.
fn fixed(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

/// Longest quotation, in sentences, taken as one claim; an unbalanced quotation mark must
/// not swallow a whole paragraph.
const MAX_QUOTE_SENTENCES: u32 = 6;

/// Makes suggestions for articles coded with one codebook. Building it compiles the
/// codebook's terms and names once, so reuse it across articles.
#[derive(Debug)]
pub struct Suggester {
    codebook: Codebook,
    terms: Terms,
    names: Names,
    attributor: Attributor,
    /// The registry's author entry, the speaker of text with no attribution.
    author: Option<String>,
}

/// What one sentence contributes.
#[derive(Clone, Debug, Default)]
struct Facts {
    skipped: bool,
    paragraph: u32,
    /// (target id, term found).
    targets: Vec<(String, String)>,
    attributions: Vec<Attribution>,
    quotes: Quotes,
    /// Words in the longest quoted stretch.
    quoted_words: usize,
    /// The sentence opens with a quotation mark.
    opens_with_quote: bool,
}

/// Sentences taken together as one claim, and why they were put together.
#[derive(Clone, Debug)]
struct Unit {
    first: u32,
    last: u32,
    why: Vec<String>,
}

impl Suggester {
    /// A suggester for `codebook`.
    pub fn new(codebook: &Codebook) -> Self {
        Self {
            terms: Terms::new(codebook),
            names: Names::new(codebook),
            attributor: Attributor::new(),
            author: codebook
                .speakers
                .iter()
                .find(|s| s.kind == SpeakerKind::Author)
                .map(|s| s.id.clone()),
            codebook: codebook.clone(),
        }
    }

    /// The suggestions for one article, in text order. Skipped (boilerplate) sentences are
    /// never suggested.
    pub fn suggest(&self, article: &Article) -> Vec<Suggestion> {
        let facts = self.facts(article);
        let units = group(&facts);
        let mut out = Vec::new();
        // The speaker of the last quotation, which a quotation in the next paragraph with
        // no cue of its own continues.
        let mut last_quote: Option<(Attribution, u32)> = None;
        for unit in units {
            let range = unit.first as usize..=unit.last as usize;
            let own = facts[range.clone()]
                .iter()
                .flat_map(|f| &f.attributions)
                .cloned()
                .collect::<Vec<_>>();
            let quoted = facts[range.clone()]
                .iter()
                .any(|f| f.quoted_words >= MIN_QUOTE_WORDS);
            let mut why = unit.why.clone();
            let mut attributions = own;
            if attributions.is_empty()
                && facts[unit.first as usize].opens_with_quote
                && let Some((a, at)) = &last_quote
                && unit.first.saturating_sub(*at) <= 2
            {
                why.push(format!("quotation continues the one in s{at}"));
                attributions.push(a.clone());
            }
            if quoted && let Some(a) = attributions.iter().find(|a| a.who.is_some()) {
                last_quote = Some((a.clone(), unit.last));
            }
            let targets: Vec<&(String, String)> = {
                let mut seen = Vec::new();
                for t in facts[range].iter().flat_map(|f| &f.targets) {
                    if !seen.iter().any(|(id, _): &&(String, String)| *id == t.0) {
                        seen.push(t);
                    }
                }
                self.codebook
                    .targets
                    .iter()
                    .filter_map(|ct| seen.iter().find(|(id, _)| *id == ct.id).copied())
                    .collect()
            };
            if targets.is_empty() {
                continue;
            }
            if let Some(s) = self.build(article, &unit, &targets, &attributions, quoted, why) {
                out.push(s);
            }
        }
        out
    }

    /// What each sentence contributes, with speakers resolved in text order.
    fn facts(&self, article: &Article) -> Vec<Facts> {
        let text: &str = &article.text;
        let quotes = scan::quotes(text, &article.sentences);
        let mut tracker = Tracker::default();
        let mut out = Vec::with_capacity(article.sentences.len());
        for ((i, s), q) in article.sentences.iter().enumerate().zip(quotes) {
            let mut f = Facts {
                skipped: s.skip.is_some(),
                paragraph: s.paragraph,
                ..Facts::default()
            };
            if !f.skipped {
                let sentence = &text[s.range.clone()];
                let mentions = self.names.find(sentence, s.range.start);
                let cx = Context {
                    text,
                    range: s.range.clone(),
                    index: i as u32,
                    mentions: &mentions,
                    speakers: &self.codebook.speakers,
                };
                f.targets = self.terms.mentioned(sentence);
                f.attributions = self.attributor.attribute(&cx, &tracker);
                tracker.update(
                    i as u32,
                    &f.attributions,
                    &mentions,
                    &self.codebook.speakers,
                );
                f.quoted_words = q.longest_words(text);
                f.opens_with_quote = sentence.starts_with(['"', '“', '„', '«']);
                f.quotes = q;
            }
            out.push(f);
        }
        out
    }

    /// The suggestion for one unit that mentions `targets`.
    fn build(
        &self,
        article: &Article,
        unit: &Unit,
        targets: &[&(String, String)],
        attributions: &[Attribution],
        quoted: bool,
        mut why: Vec<String>,
    ) -> Option<Suggestion> {
        let range = article.sentences_range(unit.first, unit.last)?;
        let mut reasons: Vec<String> = targets
            .iter()
            .map(|(target, term)| {
                if term == target {
                    format!("mentions '{term}'")
                } else {
                    format!("mentions '{term}' ({target})")
                }
            })
            .collect();
        reasons.append(&mut why);
        // The claim's own speaker comes first; an outlet that reports it decides the source
        // type but is not the speaker when a person is named ("He said …, CNN reported").
        let primary = attributions
            .iter()
            .find(|a| a.who.is_some() && !a.report)
            .or_else(|| attributions.iter().find(|a| a.who.is_some()))
            .or_else(|| attributions.first());
        let report = attributions.iter().find(|a| a.report && a.who.is_some());
        let cue = primary.map(|a| Cue {
            start: a.cue.start,
            end: a.cue.end,
            text: article.text[a.cue.clone()].to_owned(),
        });
        let who = primary.and_then(|a| a.who.as_ref());
        if let (Some(a), Some(c)) = (primary, &cue) {
            let quote = if quoted { "quote + " } else { "" };
            reasons.push(format!("{quote}'{}' + {}", c.text, a.how));
        } else if quoted {
            // A pull quote or a quotation attributed elsewhere: the author is only a guess.
            reasons.push("quotation without a cue: check who speaks".into());
        }
        let outlet = report.map(|a| {
            let name = match &a.who {
                Some(Who::Registry(s)) => self
                    .codebook
                    .speakers
                    .get(*s)
                    .map_or_else(String::new, |sp| sp.name.clone()),
                Some(Who::Vague { words, .. } | Who::Unregistered(words)) => words.clone(),
                None => String::new(),
            };
            let verb = article.text[a.cue.clone()].to_lowercase();
            if verb.starts_with("report") || verb.starts_with("according") {
                format!("reported by {name}")
            } else {
                format!("'{name}' are media")
            }
        });
        let form = source::Form {
            who,
            report: outlet,
            quoted,
            cued: primary.is_some(),
        };
        let (source, source_why) = source::source_type(&self.codebook, &form);
        let speaker = match who {
            Some(w) => self.speaker_ref(w),
            None if primary.is_none() => self.author.clone().map(SpeakerRef::Registry),
            None => None,
        };
        reasons.push(source_why);
        Some(Suggestion {
            first: unit.first,
            last: unit.last,
            start: range.start,
            end: range.end,
            targets: targets.iter().map(|(t, _)| t.clone()).collect(),
            speaker,
            source,
            cue,
            reasons,
        })
    }

    fn speaker_ref(&self, who: &Who) -> Option<SpeakerRef> {
        match who {
            Who::Registry(s) => self
                .codebook
                .speakers
                .get(*s)
                .map(|sp| SpeakerRef::Registry(sp.id.clone())),
            Who::Vague { words, .. } | Who::Unregistered(words) => {
                Some(SpeakerRef::New(words.clone()))
            }
        }
    }
}

/// Puts sentences together into claims: a quotation that runs over sentences is one claim,
/// and so is a paragraph whose last sentence attributes it ("… . …, Lukin noted."), as news
/// style attributes a paraphrase once, at its end.
fn group(facts: &[Facts]) -> Vec<Unit> {
    let n = facts.len() as u32;
    let mut units: Vec<Unit> = Vec::new();
    let mut i = 0;
    while i < n {
        let f = &facts[i as usize];
        if f.skipped {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < n
            && j - i + 1 < MAX_QUOTE_SENTENCES
            && facts[j as usize].quotes.open_at_end
            && !facts[j as usize + 1].skipped
            && facts[j as usize + 1].paragraph == f.paragraph
        {
            j += 1;
        }
        let mut why = Vec::new();
        if j > i {
            why.push(format!("quotation runs from s{i} to s{j}"));
        }
        units.push(Unit {
            first: i,
            last: j,
            why,
        });
        i = j + 1;
    }
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for mut unit in units {
        let f = &facts[unit.first as usize];
        let trailing = unit.first == unit.last
            && f.quotes.spans.is_empty()
            && f.attributions
                .iter()
                .any(|a| a.trailing && a.who.is_some() && !a.report);
        if trailing {
            let own = unit.first;
            while let Some(prev) = out.last()
                && prev.first == prev.last
                && prev.last + 1 == unit.first
                && is_plain(&facts[prev.first as usize], f.paragraph)
            {
                unit.first = prev.first;
                out.pop();
            }
            if unit.first < own {
                // Sentences as people count them, from 1.
                let covered = if unit.first + 1 == own {
                    format!("s{}", u64::from(unit.first) + 1)
                } else {
                    format!("s{}–s{}", u64::from(unit.first) + 1, own)
                };
                unit.why.push(format!(
                    "the attribution ending s{} covers {covered}",
                    u64::from(own) + 1
                ));
            }
        }
        out.push(unit);
    }
    out
}

/// A sentence of paragraph `paragraph` with no cue and no quotation of its own, which a
/// following attribution may cover.
fn is_plain(f: &Facts, paragraph: u32) -> bool {
    !f.skipped && f.paragraph == paragraph && f.attributions.is_empty() && f.quotes.spans.is_empty()
}

/// The suggestions for one article under `codebook` (see [`Suggester`] to reuse the compiled
/// codebook across articles).
pub fn suggest(article: &Article, codebook: &Codebook) -> Vec<Suggestion> {
    Suggester::new(codebook).suggest(article)
}

/// The claim a coder gets by accepting `s`: its text, speaker, cue and source type, no
/// stances (those are the coder's to give), and provenance [`Origin::Suggested`] with the
/// suggestion's reasons.
pub fn accept(s: &Suggestion, article: &Article) -> Claim {
    // A suggestion made for another text must not panic here; fall back to its sentences.
    let (start, end) = if article.text.get(s.start..s.end).is_some() {
        (s.start, s.end)
    } else {
        article
            .sentences_range(s.first, s.last)
            .map_or((0, 0), |r| (r.start, r.end))
    };
    let t = now();
    Claim {
        id: new_claim_id(),
        anchor: Anchor::new(&article.text, s.first, s.last, start, end),
        speaker: s.speaker.clone(),
        cue: s.cue.clone(),
        stances: BTreeMap::new(),
        source: s.source.clone(),
        unsure: false,
        note: String::new(),
        origin: Origin::Suggested {
            reasons: s.explain(),
        },
        created: t,
        modified: t,
    }
}

#[cfg(test)]
mod tests;
