//! Who says a sentence: attribution cues ("said", "told the Global Times", "according to",
//! a colon after a name) and the speaker each one points at.
//!
//! A cue's speaker is looked for where English puts it: a name right before the cue
//! ("Lukin noted"), a name with an appositive between ("John Kirby, spokesperson for …,
//! told"), a pronoun or a bare surname that refers back to the last person named ("he said",
//! "Wang said"), a vague group ("some experts said"), or a name right after the cue ("said
//! Andrew Small", "according to the Chinese Foreign Ministry").

use std::ops::Range;

use regex::Regex;

use super::fixed;
use super::scan::Mention;
use crate::core::model::codebook::{Speaker, SpeakerKind};

/// Who a cue attributes a claim to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Who {
    /// A registry speaker, by index into the codebook's speakers.
    Registry(usize),
    /// A vague source in the text's own words ("some experts"); `media` for "Western media".
    Vague {
        /// The words, as the text has them (a leading determiner in lower case).
        words: String,
        /// The group is media ("some Russian media"), which the codebook codes as media.
        media: bool,
    },
    /// A full name the registry does not have.
    Unregistered(String),
}

/// One attribution cue in a sentence and the speaker found for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Attribution {
    /// The cue's byte range in the article ("told reporters").
    pub cue: Range<usize>,
    /// The speaker, if one was found.
    pub who: Option<Who>,
    /// How the speaker was found, for the explanation ("alias 'Kirby'").
    pub how: String,
    /// The cue is an outlet's report ("CNN reported", "according to CNN"): the codebook's
    /// media source type.
    pub report: bool,
    /// The attribution follows the claim ("…, Lukin noted."), so in news style it may cover
    /// the sentences before it in the paragraph too.
    pub trailing: bool,
}

/// The persons named so far, for pronouns and surnames that refer back to them.
#[derive(Clone, Debug, Default)]
pub(super) struct Tracker {
    /// The person a pronoun would mean now, and the sentence that named them.
    salient: Option<(usize, u32)>,
    /// Every person named, with the sentence, oldest first.
    recent: Vec<(usize, u32)>,
}

/// How many sentences back a pronoun may reach; further than this a "he" is a guess.
const PRONOUN_REACH: u32 = 6;

/// How many sentences back a bare surname may reach.
const SURNAME_REACH: u32 = 12;

/// Longest appositive between a name and its cue, in bytes ("Zhang Hong, an associate
/// research fellow at the Institute of …, told").
const MAX_APPOSITIVE: usize = 250;

impl Tracker {
    /// Records what sentence `i` tells about who is being talked about: the person it
    /// attributes a claim to, else the first person it names (not in the possessive).
    pub(super) fn update(
        &mut self,
        i: u32,
        attributions: &[Attribution],
        mentions: &[Mention],
        speakers: &[Speaker],
    ) {
        let is_person = |s: usize| {
            speakers
                .get(s)
                .is_some_and(|s| s.kind == SpeakerKind::Person)
        };
        let attributed = attributions.iter().find_map(|a| match a.who {
            Some(Who::Registry(s)) if !a.report && is_person(s) => Some(s),
            _ => None,
        });
        let named = mentions
            .iter()
            .find(|m| !m.possessive && is_person(m.speaker))
            .map(|m| m.speaker);
        if let Some(s) = attributed.or(named) {
            self.salient = Some((s, i));
        }
        for s in mentions
            .iter()
            .map(|m| m.speaker)
            .chain(attributed)
            .filter(|&s| is_person(s))
        {
            self.recent.push((s, i));
        }
    }

    /// The person "he" or "she" in sentence `i` refers to, and where they were named.
    fn pronoun(&self, i: u32) -> Option<(usize, u32)> {
        self.salient
            .filter(|(_, at)| i.saturating_sub(*at) <= PRONOUN_REACH)
    }

    /// The most recently named person one of whose names has `word` as a word.
    fn surname(&self, word: &str, i: u32, speakers: &[Speaker]) -> Option<(usize, u32)> {
        self.recent
            .iter()
            .rev()
            .take_while(|(_, at)| i.saturating_sub(*at) <= SURNAME_REACH)
            .find(|(s, _)| {
                speakers.get(*s).is_some_and(|sp| {
                    std::iter::once(&sp.name)
                        .chain(&sp.aliases)
                        .any(|n| n.split_whitespace().any(|w| w == word))
                })
            })
            .copied()
    }
}

/// Words that may sit between a speaker and the cue ("Lukin also noted", "he has said").
const FILLERS: &[&str] = &[
    "also",
    "has",
    "had",
    "have",
    "recently",
    "later",
    "previously",
    "further",
    "then",
    "once",
    "repeatedly",
    "again",
    "reportedly",
    "publicly",
    "earlier",
    "would",
    "will",
];

/// Words that, right before a cue word, make it something else ("the said treaty", "hard to
/// believe", "a noted scholar").
const NOT_A_CUE_AFTER: &[&str] = &["a", "an", "the", "to", "so-called"];

/// Heads of vague sources: "some experts", "Western media", "observers".
const VAGUE_HEADS: &str = "experts|observers|analysts|officials|politicians|voices|sources|diplomats|critics|commentators|scholars|specialists|insiders|media";

/// Words that can open a sentence before a vague source but are not part of it ("But
/// experts say").
const NOT_PART_OF_A_GROUP: &[&str] = &[
    "but",
    "and",
    "yet",
    "so",
    "however",
    "the",
    "while",
    "although",
    "still",
    "meanwhile",
    "now",
    "also",
    "indeed",
];

/// Capitalised words that are never a name before a cue.
const NOT_A_NAME: &[&str] = &[
    "The",
    "It",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "Yet",
    "So",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "Some",
    "Many",
    "Officials",
    "Experts",
];

/// Finds attribution cues and their speakers.
#[derive(Debug)]
pub(super) struct Attributor {
    cue: Option<Regex>,
    vague_before: Option<Regex>,
    vague_after: Option<Regex>,
    name_before: Option<Regex>,
}

/// The patterns of [`Attributor`], as text so a unit test can prove they compile.
pub(super) const CUE_PATTERN: &str = r"\b(?:said|says|say|told|tells|[Aa]ccording\s+to|wrote|writes|noted|stressed|stresses|added|adds|believes?|believed|stated|reported|reports|hopes?|argue[sd]?|claim(?:s|ed)?|warn(?:s|ed)?|insist(?:s|ed)?|urge[sd]?)\b";

/// Cue words that attribute only when a speaker is found for them: "some Western media hope
/// that …" is attribution, but "hope" and "claims" are also just words ("the hope of peace",
/// "territorial claims").
const WEAK_CUES: &[&str] = &[
    "hope", "hopes", "argue", "argues", "argued", "claim", "claims", "claimed", "warn", "warns",
    "warned", "insist", "insists", "insisted", "urge", "urges", "urged",
];
const NAME_BEFORE_PATTERN: &str = r"(?:\b\p{Lu}[\p{L}’'-]+\s+){0,2}\b\p{Lu}[\p{L}’'-]+$";

fn vague_before_pattern() -> String {
    format!(
        r"(?:\b(?i:some|many|several|most|other|certain)\s+)?(?:(?:\p{{Lu}}[\p{{L}}.’'-]*|and)\s+){{0,4}}\b(?:{VAGUE_HEADS})$"
    )
}

fn vague_after_pattern() -> String {
    format!(
        r"^\s*(?:(?i:some|many|several|most|other|certain)\s+)?(?:(?:\p{{Lu}}[\p{{L}}.’'-]*|and)\s+){{0,4}}(?:{VAGUE_HEADS})\b"
    )
}

#[cfg(test)]
/// Every pattern the attributor compiles, for the test that proves they do.
pub(super) fn patterns() -> [String; 4] {
    [
        CUE_PATTERN.to_owned(),
        NAME_BEFORE_PATTERN.to_owned(),
        vague_before_pattern(),
        vague_after_pattern(),
    ]
}

/// One sentence as the attributor sees it.
pub(super) struct Context<'a> {
    /// The article text.
    pub text: &'a str,
    /// The sentence's byte range.
    pub range: Range<usize>,
    /// The sentence's index.
    pub index: u32,
    /// The registry names in the sentence.
    pub mentions: &'a [Mention],
    /// The codebook's speakers.
    pub speakers: &'a [Speaker],
}

impl Context<'_> {
    fn sentence(&self) -> &str {
        &self.text[self.range.clone()]
    }

    fn kind(&self, speaker: usize) -> Option<SpeakerKind> {
        self.speakers.get(speaker).map(|s| s.kind)
    }

    /// "name 'John Kirby'" or "alias 'Kirby'".
    fn named(&self, m: &Mention) -> String {
        let canonical = self
            .speakers
            .get(m.speaker)
            .is_some_and(|s| s.name == m.name);
        format!("{} '{}'", if canonical { "name" } else { "alias" }, m.name)
    }

    fn display_name(&self, speaker: usize) -> &str {
        self.speakers.get(speaker).map_or("?", |s| s.name.as_str())
    }
}

/// A speaker found for a cue: who, how, and where the speaker's words start (for telling a
/// trailing attribution).
struct Found {
    who: Option<Who>,
    how: String,
    at: usize,
}

impl Attributor {
    pub(super) fn new() -> Self {
        Self {
            cue: fixed(CUE_PATTERN),
            vague_before: fixed(&vague_before_pattern()),
            vague_after: fixed(&vague_after_pattern()),
            name_before: fixed(NAME_BEFORE_PATTERN),
        }
    }

    /// The attribution cues of one sentence, in text order, with their speakers.
    pub(super) fn attribute(&self, cx: &Context<'_>, tracker: &Tracker) -> Vec<Attribution> {
        let mut out: Vec<Attribution> = Self::colon_cues(cx);
        let Some(cue_re) = &self.cue else {
            return out;
        };
        let sentence = cx.sentence();
        let mut taken_until = 0;
        for m in cue_re.find_iter(sentence) {
            if m.start() < taken_until || !is_cue_here(sentence, m.start()) {
                continue;
            }
            let word = m.as_str();
            let start = cx.range.start + m.start();
            let mut end = cx.range.start + m.end();
            if matches!(word, "told" | "tells") {
                end = addressee_end(cx, end);
            }
            taken_until = end - cx.range.start;
            let report = matches!(word, "reported" | "reports");
            let found = if report {
                // "reported" is a cue only after an outlet: "Xi's reported meeting" is not.
                match self.outlet_before(cx, start) {
                    Some(f) => Some(f),
                    None => continue,
                }
            } else if word.to_lowercase().starts_with("according") {
                self.after(cx, end)
            } else {
                // The speaker follows the cue only after the claim: "…, said Andrew Small".
                // Elsewhere a name after "said" is what was said about ("Rudolf said
                // Beijing lacked …").
                self.before(cx, start, tracker).or_else(|| {
                    follows_claim(&sentence[..m.start()])
                        .then(|| self.after(cx, end))
                        .flatten()
                })
            };
            if WEAK_CUES.contains(&word) && found.as_ref().is_none_or(|f| f.who.is_none()) {
                continue;
            }
            let report = report
                || found.as_ref().is_some_and(|f| match &f.who {
                    Some(Who::Registry(s)) => cx.kind(*s) == Some(SpeakerKind::MediaOutlet),
                    Some(Who::Vague { media, .. }) => *media,
                    Some(Who::Unregistered(_)) | None => false,
                });
            let trailing = found
                .as_ref()
                .is_some_and(|f| follows_claim(&cx.text[cx.range.start..f.at.min(start)]));
            let (who, how) = match found {
                Some(f) => (f.who, f.how),
                None => (None, "no speaker found".to_owned()),
            };
            out.push(Attribution {
                cue: start..end,
                who,
                how,
                report,
                trailing,
            });
        }
        out.sort_by_key(|a| a.cue.start);
        out
    }

    /// "Kirby: …" at the start of a sentence.
    fn colon_cues(cx: &Context<'_>) -> Vec<Attribution> {
        let lead = |m: &Mention| {
            cx.text[cx.range.start..m.range.start]
                .trim_matches(|c: char| c.is_whitespace() || "\"“‘'".contains(c))
                .is_empty()
        };
        cx.mentions
            .iter()
            .filter(|m| !m.possessive && lead(m))
            .filter(|m| {
                let rest = &cx.text[m.range.end..cx.range.end];
                rest.starts_with(':') && rest[1..].trim().len() > 1
            })
            .map(|m| Attribution {
                cue: m.range.end..m.range.end + 1,
                who: Some(Who::Registry(m.speaker)),
                how: cx.named(m),
                report: cx.kind(m.speaker) == Some(SpeakerKind::MediaOutlet),
                trailing: false,
            })
            .collect()
    }

    /// A media outlet or vague media right before `cue` ("CNN reported").
    fn outlet_before(&self, cx: &Context<'_>, cue: usize) -> Option<Found> {
        let head = strip_fillers(&cx.text[cx.range.start..cue]);
        let end = cx.range.start + head.len();
        if let Some(m) = cx.mentions.iter().rev().find(|m| m.range.end == end)
            && cx.kind(m.speaker) == Some(SpeakerKind::MediaOutlet)
        {
            return Some(Found {
                who: Some(Who::Registry(m.speaker)),
                how: format!("outlet {}", cx.named(m)),
                at: m.range.start,
            });
        }
        self.vague_before(cx, head)
            .filter(|f| matches!(f.who, Some(Who::Vague { media: true, .. })))
    }

    /// The speaker before a cue at byte `cue`.
    fn before(&self, cx: &Context<'_>, cue: usize, tracker: &Tracker) -> Option<Found> {
        let head = strip_fillers(&cx.text[cx.range.start..cue]);
        let head_end = cx.range.start + head.len();
        // A pronoun right before the cue refers back to the last person named.
        if let Some(p) = ["he", "she", "He", "She"]
            .iter()
            .find(|p| ends_with_word(head, p))
        {
            let at = head_end - p.len();
            return Some(match tracker.pronoun(cx.index) {
                Some((s, named)) => Found {
                    who: Some(Who::Registry(s)),
                    how: format!("'{p}' -> {} (named in s{named})", cx.display_name(s)),
                    at,
                },
                None => Found {
                    who: None,
                    how: format!("'{p}' but no person named just before"),
                    at,
                },
            });
        }
        // "They" is a group or a body more often than not; better no speaker than a guess.
        if let Some(p) = ["they", "They"].iter().find(|p| ends_with_word(head, p)) {
            return Some(Found {
                who: None,
                how: format!("'{p}' (a group; not resolved)"),
                at: head_end - p.len(),
            });
        }
        // A registry name right before the cue, or before an appositive that ends at it.
        let candidates: Vec<&Mention> = cx
            .mentions
            .iter()
            .filter(|m| !m.possessive && m.range.end <= head_end)
            .collect();
        let adjacent = candidates.iter().rev().find(|m| m.range.end == head_end);
        let appositive = candidates
            .iter()
            .find(|m| is_appositive(&cx.text[m.range.end..head_end]));
        if let Some(m) = adjacent.or(appositive) {
            return Some(Found {
                who: Some(Who::Registry(m.speaker)),
                how: cx.named(m),
                at: m.range.start,
            });
        }
        if let Some(f) = self.vague_before(cx, head) {
            return Some(f);
        }
        self.name_before(cx, head, tracker)
    }

    /// "some experts", "Western media" ending `head` (the sentence up to the cue).
    fn vague_before(&self, cx: &Context<'_>, head: &str) -> Option<Found> {
        let m = self.vague_before.as_ref()?.find(head)?;
        let at = cx.range.start + m.start();
        vague(m.as_str(), at)
    }

    /// A capitalised name right before the cue: a surname of someone named recently ("Wang
    /// said" after "Wang Yiwei, director of …"), or a full name the registry lacks.
    fn name_before(&self, cx: &Context<'_>, head: &str, tracker: &Tracker) -> Option<Found> {
        let m = self.name_before.as_ref()?.find(head)?;
        let words: Vec<&str> = m
            .as_str()
            .split_whitespace()
            .skip_while(|w| NOT_A_NAME.contains(w))
            .collect();
        if words.is_empty() {
            return None;
        }
        let at = cx.range.start + m.start();
        if let [word] = words.as_slice() {
            let (s, named) = tracker.surname(word, cx.index, cx.speakers)?;
            return Some(Found {
                who: Some(Who::Registry(s)),
                how: format!(
                    "surname '{word}' -> {} (named in s{named})",
                    cx.display_name(s)
                ),
                at,
            });
        }
        let name = words.join(" ");
        Some(Found {
            how: format!("unregistered name '{name}'"),
            who: Some(Who::Unregistered(name)),
            at,
        })
    }

    /// The speaker right after a cue ending at byte `end`: "said Andrew Small", "according
    /// to the Chinese Foreign Ministry", "said some Chinese and Russian experts".
    fn after(&self, cx: &Context<'_>, end: usize) -> Option<Found> {
        let tail = &cx.text[end..cx.range.end];
        let lead = tail.len() - tail.trim_start_matches([' ', ',', '\u{a0}']).len();
        let lead = lead + usize::from(tail[lead..].starts_with("the ")) * 4;
        if let Some(m) = cx
            .mentions
            .iter()
            .find(|m| m.range.start == end + lead && !m.possessive)
        {
            return Some(Found {
                who: Some(Who::Registry(m.speaker)),
                how: cx.named(m),
                at: m.range.start,
            });
        }
        let m = self.vague_after.as_ref()?.find(tail)?;
        let words = m.as_str();
        let skipped = words.len() - words.trim_start_matches([' ', ',', '\u{a0}']).len();
        vague(&words[skipped..], end + m.start() + skipped)
    }
}

/// A vague source from the words that name it (starting at byte `at` of the article), or
/// `None` if nothing is left once words like "But" are dropped.
fn vague(words: &str, at: usize) -> Option<Found> {
    let mut offset = 0;
    let mut rest = words;
    loop {
        let trimmed = rest.trim_start();
        offset += rest.len() - trimmed.len();
        let first = trimmed.split_whitespace().next()?;
        if !NOT_PART_OF_A_GROUP.contains(&first.to_lowercase().as_str()) {
            rest = trimmed;
            break;
        }
        offset += first.len();
        rest = &trimmed[first.len()..];
    }
    let mut list: Vec<String> = rest.split_whitespace().map(str::to_owned).collect();
    let media = list.last().is_some_and(|w| w == "media");
    // A determiner opening the sentence keeps its capital in the text but not in the name.
    if let Some(first) = list.first_mut()
        && ["some", "many", "several", "most", "other", "certain"]
            .contains(&first.to_lowercase().as_str())
    {
        *first = first.to_lowercase();
    }
    let words = list.join(" ");
    Some(Found {
        how: format!("vague source '{words}'"),
        who: Some(Who::Vague { words, media }),
        at: at + offset,
    })
}

/// Whether the cue word at byte `at` of `sentence` is used as a cue: not "the said", "to
/// believe", "value-added".
fn is_cue_here(sentence: &str, at: usize) -> bool {
    let head = &sentence[..at];
    if head.ends_with('-') {
        return false;
    }
    let previous = head.split_whitespace().next_back().unwrap_or("");
    !NOT_A_CUE_AFTER.contains(&previous.to_lowercase().as_str())
}

/// Extends a "told" cue over its addressee: "told reporters", "told the Global Times".
fn addressee_end(cx: &Context<'_>, end: usize) -> usize {
    let tail = &cx.text[end..cx.range.end];
    let gap = tail.len() - tail.trim_start().len();
    let from = end + gap;
    let rest = &cx.text[from..cx.range.end];
    let skip_the = if rest.starts_with("the ") { 4 } else { 0 };
    if let Some(m) = cx
        .mentions
        .iter()
        .find(|m| m.range.start == from || m.range.start == from + skip_the)
    {
        return m.range.end;
    }
    for word in ["reporters", "journalists", "the press", "the media"] {
        if rest.starts_with(word)
            && !rest[word.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            return from + word.len();
        }
    }
    end
}

/// `head` without trailing whitespace and filler words ("Lukin also" -> "Lukin").
fn strip_fillers(head: &str) -> &str {
    let mut head = head.trim_end();
    while let Some(word) = FILLERS.iter().find(|w| ends_with_word(head, w)) {
        head = head[..head.len() - word.len()].trim_end();
    }
    head
}

/// `text` ends with `word` as a whole word.
fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word)
        .is_some_and(|rest| !rest.chars().next_back().is_some_and(char::is_alphanumeric))
}

/// The text between a name and its cue is an appositive: ", spokesperson for the US
/// National Security Council,". Quotes and clause punctuation mean it is something else.
fn is_appositive(gap: &str) -> bool {
    let g = gap.trim();
    g.len() <= MAX_APPOSITIVE
        && g.len() > 2
        && g.starts_with(',')
        && g.ends_with(',')
        && !g.contains(['"', '“', '”', ';', ':', '!', '?'])
}

/// The sentence up to the speaker is a claim followed by a comma: "China could hardly play
/// a mediating role, [Lukin told …]" or "“…,” [he said]".
fn follows_claim(head: &str) -> bool {
    let h = head.trim_end().trim_end_matches(['"', '”', '’']);
    h.ends_with(',') && h.split_whitespace().count() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_patterns_compile() {
        for p in patterns() {
            assert!(Regex::new(&p).is_ok(), "{p}");
        }
    }

    #[test]
    fn cue_words_in_other_roles_are_not_cues() {
        assert!(is_cue_here("Lukin noted", 6));
        assert!(!is_cue_here("a noted scholar", 2));
        assert!(!is_cue_here("hard to believe", 8));
        assert!(!is_cue_here("value-added", 6));
    }

    #[test]
    fn fillers_and_appositives() {
        assert_eq!(strip_fillers("Lukin also "), "Lukin");
        assert_eq!(strip_fillers("he has "), "he");
        assert!(is_appositive(
            ", spokesperson for the US National Security Council, "
        ));
        assert!(!is_appositive(" issued by the two countries yesterday "));
        assert!(!is_appositive(", "));
        assert!(follows_claim("China could hardly play a mediating role, "));
        assert!(follows_claim("“We welcome China’s role,” "));
        assert!(!follows_claim("John "));
    }

    #[test]
    fn vague_groups_drop_conjunctions_and_lower_determiners() {
        let f = vague("But experts", 100).unwrap();
        assert_eq!(
            f.who,
            Some(Who::Vague {
                words: "experts".into(),
                media: false
            })
        );
        assert_eq!(f.at, 104);
        let f = vague("Some Chinese and Russian observers", 0).unwrap();
        assert_eq!(f.how, "vague source 'some Chinese and Russian observers'");
        let f = vague("some Russian media", 0).unwrap();
        assert!(matches!(f.who, Some(Who::Vague { media: true, .. })));
    }
}
