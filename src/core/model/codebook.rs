//! The codebook: what coders may say about a claim.
//!
//! A codebook lists the targets a stance can be taken toward, the stance labels, the source
//! types, a registry of known speakers and the boilerplate patterns that mark text to skip.
//! Every label carries the one-key shortcut the coding window uses, a colour and a guideline,
//! so the window, the CLI and the documentation all read from this one place.
//!
//! The default codebook is `assets/codebook.ron`, embedded in the binary; a project's own
//! `codebook.ron` replaces it. [`Codebook::validate`] refuses a codebook that contradicts itself.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// The default codebook, embedded so a bare binary can code the seed articles.
pub const DEFAULT_CODEBOOK_RON: &str = include_str!("../../../assets/codebook.ron");

/// Keys the coding window uses for its own commands; codebook shortcuts may not take them.
///
/// Kept here (not in the UI) so that [`Codebook::validate`] can refuse a clash without the core
/// knowing anything about egui. A UI unit test checks the window's shortcut table against it.
pub const RESERVED_KEYS: &[char] = &[
    'j', 'k', 'x', 'p', 'o', 'e', 's', 't', 'y', 'w', '!', '?', '/', '[', ']',
];

/// A complete codebook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    /// Stable identifier, recorded in every annotation file.
    pub id: String,
    /// Increases whenever labels change meaning; migrations bring older files up to it.
    pub version: u32,
    /// Human-readable name.
    pub name: String,
    /// What stances are taken toward.
    pub targets: Vec<Target>,
    /// Stance labels, shared by every target.
    pub stances: Vec<Label>,
    /// Source types (how the claim reaches the reader).
    pub source_types: Vec<Label>,
    /// Known speakers.
    #[serde(default)]
    pub speakers: Vec<Speaker>,
    /// Lines of web boilerplate to show as skipped.
    #[serde(default)]
    pub boilerplate: Boilerplate,
    /// Label renames, merges and splits between codebook versions, oldest first.
    #[serde(default)]
    pub migrations: Vec<Migration>,
}

/// Something a stance is taken toward (e.g. a ceasefire).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Stable identifier used in annotation files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Key that makes this target the active one in the coding window.
    pub key: char,
    /// What counts as addressing this target.
    pub guideline: String,
    /// Words and phrases that signal the target (used by suggestions and search).
    #[serde(default)]
    pub terms: Vec<String>,
}

/// A stance label or a source type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Stable identifier used in annotation files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One-key shortcut in the coding window.
    pub key: char,
    /// Colour as `#rrggbb`.
    pub color: String,
    /// One paragraph telling coders when to use this label.
    pub guideline: String,
}

/// What kind of entity a speaker is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SpeakerKind {
    /// A named individual.
    Person,
    /// A government, ministry, agency or other official body.
    GovernmentBody,
    /// A newspaper, broadcaster or agency.
    MediaOutlet,
    /// Organisations that are neither governments nor media (think tanks, courts, NGOs).
    Organization,
    /// The article's author speaking in their own voice.
    Author,
}

/// A registry entry for someone who makes claims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    /// Stable identifier used in annotation files.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Other names the text uses (surnames, titles, transliterations).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Role or organisation, shown next to the name.
    #[serde(default)]
    pub affiliation: String,
    /// What kind of speaker this is.
    pub kind: SpeakerKind,
}

/// Patterns for text that is not part of the article proper.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boilerplate {
    /// Regular expressions matched against a whole sentence's text.
    #[serde(default)]
    pub patterns: Vec<BoilerplatePattern>,
    /// Skip a short line that repeats an earlier line of the same article (repeated captions,
    /// repeated headlines).
    #[serde(default)]
    pub skip_repeated_lines: bool,
    /// Skip a line that is one phrase written twice ("Putin Talks Putin Talks"), as image
    /// alt text glued to its caption often is.
    #[serde(default)]
    pub skip_doubled_lines: bool,
}

/// One boilerplate rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoilerplatePattern {
    /// Identifier shown as the reason a sentence was skipped.
    pub id: String,
    /// A regular expression (Rust `regex` syntax) matched against the sentence text.
    pub regex: String,
}

/// The changes that take annotation files from one codebook version to the next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    /// Version the files must have.
    pub from: u32,
    /// Version they have afterwards.
    pub to: u32,
    /// The label changes, applied in order.
    pub changes: Vec<LabelChange>,
}

/// Which list of labels a change applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabelKind {
    /// Stance labels.
    Stance,
    /// Source types.
    SourceType,
    /// Target ids (the keys of a claim's stance map).
    Target,
}

/// One label change between codebook versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LabelChange {
    /// `from` is now called `to`.
    Rename {
        /// Which list.
        kind: LabelKind,
        /// Old id.
        from: String,
        /// New id.
        to: String,
    },
    /// Every one of `from` becomes `into`.
    Merge {
        /// Which list.
        kind: LabelKind,
        /// Old ids.
        from: Vec<String>,
        /// New id.
        into: String,
    },
    /// `from` is split; existing uses become `default` and are flagged unsure for review,
    /// since only a human can tell which of `into` each one should be.
    Split {
        /// Which list.
        kind: LabelKind,
        /// Old id.
        from: String,
        /// New ids.
        into: Vec<String>,
        /// Where existing uses go until a coder looks again.
        default: String,
    },
}

/// A reason the codebook cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CodebookProblem(pub String);

impl Codebook {
    /// The embedded default codebook.
    ///
    /// # Panics
    /// Never at run time: a unit test proves the embedded file parses and validates.
    pub fn default_codebook() -> Self {
        #[allow(clippy::expect_used)] // proven by `default_codebook_is_valid`
        ron::from_str(DEFAULT_CODEBOOK_RON).expect("embedded codebook parses")
    }

    /// Every contradiction in this codebook (empty when it is usable).
    #[allow(clippy::too_many_lines)] // one flat list of independent checks reads best
    pub fn validate(&self) -> Vec<CodebookProblem> {
        let mut problems = Vec::new();
        let mut p = |s: String| problems.push(CodebookProblem(s));
        if self.targets.is_empty() {
            p("the codebook has no targets".into());
        }
        if self.stances.is_empty() {
            p("the codebook has no stance labels".into());
        }
        // Ids must be unique within each list.
        for (what, ids) in [
            (
                "target",
                self.targets.iter().map(|t| &t.id).collect::<Vec<_>>(),
            ),
            ("stance", self.stances.iter().map(|l| &l.id).collect()),
            (
                "source type",
                self.source_types.iter().map(|l| &l.id).collect(),
            ),
            ("speaker", self.speakers.iter().map(|s| &s.id).collect()),
        ] {
            let mut seen = BTreeSet::new();
            for id in ids {
                if id.trim().is_empty() {
                    p(format!("a {what} has an empty id"));
                } else if !seen.insert(id) {
                    p(format!("{what} id `{id}` is used twice"));
                }
            }
        }
        // One key, one meaning: targets, stances and source types share the keyboard.
        let mut keys: BTreeMap<char, String> = BTreeMap::new();
        let keyed = self
            .targets
            .iter()
            .map(|t| (t.key, format!("target `{}`", t.id)))
            .chain(
                self.stances
                    .iter()
                    .map(|l| (l.key, format!("stance `{}`", l.id))),
            )
            .chain(
                self.source_types
                    .iter()
                    .map(|l| (l.key, format!("source type `{}`", l.id))),
            );
        for (key, owner) in keyed {
            // `F` and `f` are one key on the keyboard.
            let key = key.to_ascii_lowercase();
            if RESERVED_KEYS.contains(&key) {
                p(format!(
                    "key `{key}` of {owner} is reserved by the coding window; pick another"
                ));
            }
            if let Some(first) = keys.get(&key) {
                p(format!("key `{key}` is given to both {first} and {owner}"));
            } else {
                keys.insert(key, owner);
            }
        }
        for label in self.stances.iter().chain(&self.source_types) {
            if parse_hex_color(&label.color).is_none() {
                p(format!(
                    "label `{}` has colour `{}`; expected `#rrggbb`",
                    label.id, label.color
                ));
            }
        }
        // An alias names one speaker only, or speaker look-up would be a guess.
        let mut names: BTreeMap<String, &str> = BTreeMap::new();
        for s in &self.speakers {
            let mut own = BTreeSet::new();
            for n in std::iter::once(&s.name).chain(&s.aliases) {
                let key = n.trim().to_lowercase();
                if !own.insert(key.clone()) {
                    continue;
                }
                if let Some(other) = names.get(&key) {
                    p(format!(
                        "name or alias `{n}` is claimed by both speaker `{other}` and `{}`",
                        s.id
                    ));
                } else {
                    names.insert(key, &s.id);
                }
            }
        }
        for b in &self.boilerplate.patterns {
            if let Err(e) = regex::Regex::new(&b.regex) {
                p(format!(
                    "boilerplate pattern `{}` is not a valid regex: {e}",
                    b.id
                ));
            }
        }
        let mut version = None;
        for m in &self.migrations {
            if m.to <= m.from {
                p(format!(
                    "migration {} -> {} does not go forward",
                    m.from, m.to
                ));
            }
            if let Some(v) = version
                && m.from != v
            {
                p(format!(
                    "migration {} -> {} does not follow version {v}",
                    m.from, m.to
                ));
            }
            version = Some(m.to);
        }
        if let Some(v) = version
            && v != self.version
        {
            p(format!(
                "the last migration ends at version {v} but the codebook is version {}",
                self.version
            ));
        }
        problems
    }

    /// The target with this id.
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }

    /// The stance label with this id.
    pub fn stance(&self, id: &str) -> Option<&Label> {
        self.stances.iter().find(|l| l.id == id)
    }

    /// The source type with this id.
    pub fn source_type(&self, id: &str) -> Option<&Label> {
        self.source_types.iter().find(|l| l.id == id)
    }

    /// The registry speaker with this id.
    pub fn speaker(&self, id: &str) -> Option<&Speaker> {
        self.speakers.iter().find(|s| s.id == id)
    }
}

/// Parses `#rrggbb` into its three bytes.
pub fn parse_hex_color(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn default_codebook_is_valid() {
        let cb: Codebook = ron::from_str(DEFAULT_CODEBOOK_RON).unwrap();
        assert_eq!(cb.validate(), Vec::<CodebookProblem>::new());
        assert_eq!(cb.targets.len(), 2);
        assert!(cb.target("ceasefire").is_some());
        assert!(cb.target("mediation").is_some());
    }

    #[test]
    fn clashing_keys_are_refused() {
        let mut cb = Codebook::default_codebook();
        cb.source_types[0].key = cb.stances[0].key;
        let problems = cb.validate();
        assert!(
            problems.iter().any(|p| p.0.contains("is given to both")),
            "{problems:?}"
        );
    }

    #[test]
    fn alias_claimed_twice_is_refused() {
        let mut cb = Codebook::default_codebook();
        let alias = cb.speakers[0].name.clone();
        cb.speakers[1].aliases.push(alias);
        let problems = cb.validate();
        assert!(
            problems.iter().any(|p| p.0.contains("is claimed by both")),
            "{problems:?}"
        );
    }

    /// The five seed articles, as (file name, text).
    const SEEDS: [(&str, &str); 5] = [
        (
            "000",
            include_str!("../../../seeds/000_fb0db49d048a0ffe.txt"),
        ),
        (
            "001",
            include_str!("../../../seeds/001_f199504f34c41cb7.txt"),
        ),
        (
            "002",
            include_str!("../../../seeds/002_d65207c423398da4.txt"),
        ),
        (
            "003",
            include_str!("../../../seeds/003_cb7437eb45da7ccb.txt"),
        ),
        (
            "004",
            include_str!("../../../seeds/004_856d1f34f02ed973.txt"),
        ),
    ];

    /// Web furniture in the seeds, exactly as a sentence, and the rule that must skip it.
    const SEED_BOILERPLATE: &[(&str, &str)] = &[
        ("The Debate", "section-label"),
        // The seed has no-break spaces around the bar.
        ("The Debate\u{a0}|\u{a0}Opinion", "section-label"),
        ("Recent Features", "recent-features"),
        (
            "Credit: Russian Presidential Press and Information Office",
            "credit-line",
        ),
        ("Published: Mar 19, 2023 11:43 PM", "dateline"),
        ("China-Russia Photo: VCG", "photo-credit"),
        ("Photo: Xinhuanet", "photo-credit"),
        ("By: Marián Šeliga", "byline"),
        (
            "Subscribe and receive a weekly in-depth analysis on top international issues.",
            "newsletter",
        ),
        ("Connect with us", "connect-with-us"),
        ("xi putin china russia summit", "alt-text"),
        ("(Image Credit: Russian Presidency)", "credit-line"),
        (
            "This article is republished from The Conversation under a Creative Commons license.",
            "republished",
        ),
        ("Read the original article.", "read-original"),
        ("Subscribe to Our Newsletter", "newsletter"),
        (
            "By submitting your info, you agree to our terms of use.",
            "terms-of-use",
        ),
        (
            "By submitting your information, you are agreeing to our terms of use.",
            "terms-of-use",
        ),
        ("Written By", "written-by"),
        ("News", "section-label"),
        ("PHOTO: SERGIO LIMA/AFP", "photo-credit"),
        ("Advertisement", "advertisement"),
        (
            "Follow Rachel Cheung on Twitter and Instagram.",
            "follow-social",
        ),
    ];

    /// The id of the first boilerplate rule matching the whole of `sentence`.
    fn skip_rule(rules: &[(String, regex::Regex)], sentence: &str) -> Option<String> {
        rules
            .iter()
            .find(|(_, re)| re.is_match(sentence))
            .map(|(id, _)| id.clone())
    }

    fn compiled_rules() -> Vec<(String, regex::Regex)> {
        Codebook::default_codebook()
            .boilerplate
            .patterns
            .iter()
            .map(|p| (p.id.clone(), regex::Regex::new(&p.regex).unwrap()))
            .collect()
    }

    /// A deliberately eager sentence splitter: it splits after every `.`, `?` or `!` (with or
    /// without a closing quote) followed by a space. Over-splitting is what the boilerplate
    /// check wants: a rule must not fire on any fragment of a real sentence either.
    fn eager_sentences(line: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let ends = matches!(c, '.' | '?' | '!' | '”' | '"')
                && chars.get(k + 1).is_some_and(|&(_, n)| n == ' ')
                && (c != '”' && c != '"' || k > 0 && matches!(chars[k - 1].1, '.' | '?' | '!'));
            if ends {
                let end = i + c.len_utf8();
                out.push(line[start..end].trim());
                start = end;
            }
        }
        out.push(line[start..].trim());
        out.retain(|s| !s.is_empty());
        out
    }

    #[test]
    fn eager_splitter_splits_after_quotes_and_stops() {
        assert_eq!(
            eager_sentences("He said “no.” Then Mar. 20 came! Done"),
            vec!["He said “no.”", "Then Mar.", "20 came!", "Done"]
        );
    }

    #[test]
    fn boilerplate_rules_skip_the_seed_furniture() {
        let rules = compiled_rules();
        for (sentence, rule) in SEED_BOILERPLATE {
            assert!(
                SEEDS.iter().any(|(_, text)| text.contains(sentence)),
                "`{sentence}` is not in the seeds; the list must quote them exactly"
            );
            assert_eq!(
                skip_rule(&rules, sentence).as_deref(),
                Some(*rule),
                "`{sentence}`"
            );
        }
    }

    #[test]
    fn boilerplate_rules_never_skip_article_sentences() {
        let rules = compiled_rules();
        let furniture: BTreeSet<&str> = SEED_BOILERPLATE.iter().map(|(s, _)| *s).collect();
        let mut checked = 0;
        for (seed, text) in SEEDS {
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                // The whole line and each eager fragment of it must survive, unless it is
                // listed furniture. Doubled lines are the segmenter's job, not a pattern's.
                let pieces = std::iter::once(line).chain(eager_sentences(line));
                for piece in pieces {
                    if furniture.contains(piece) || is_doubled(piece) {
                        continue;
                    }
                    checked += 1;
                    assert_eq!(
                        skip_rule(&rules, piece),
                        None,
                        "seed {seed}: a rule skips article text `{piece}`"
                    );
                }
            }
        }
        assert!(checked > 150, "only {checked} sentences checked");
    }

    /// "a b a b": one phrase written twice with a space between.
    fn is_doubled(line: &str) -> bool {
        let n = line.len();
        n % 2 == 1 && line.is_char_boundary(n / 2) && {
            let (a, b) = line.split_at(n / 2);
            b.starts_with(' ') && a == &b[1..]
        }
    }

    #[test]
    fn boilerplate_rules_are_anchored_whole_sentence_rules() {
        let rules = compiled_rules();
        // A rule that matches furniture must not also match it inside a longer sentence.
        for (sentence, _) in SEED_BOILERPLATE {
            let longer = format!("Officials said that {sentence} was not the point.");
            assert_eq!(skip_rule(&rules, &longer), None, "{longer}");
        }
        let cb = Codebook::default_codebook();
        assert!(cb.boilerplate.skip_repeated_lines);
        assert!(cb.boilerplate.skip_doubled_lines);
    }

    /// The registry speaker whose name or alias is `name` (case-insensitive, exact).
    fn speaker_named<'a>(cb: &'a Codebook, name: &str) -> Option<&'a str> {
        let name = name.to_lowercase();
        cb.speakers
            .iter()
            .find(|s| {
                std::iter::once(&s.name)
                    .chain(&s.aliases)
                    .any(|n| n.to_lowercase() == name)
            })
            .map(|s| s.id.as_str())
    }

    #[test]
    fn spellings_in_the_seeds_find_their_speaker() {
        let cb = Codebook::default_codebook();
        for (name, id) in [
            ("Zelenskyy", "volodymyr-zelensky"),
            ("Zelenksyy", "volodymyr-zelensky"),
            ("Zelensky", "volodymyr-zelensky"),
            ("Volodymyr Zelenksyy", "volodymyr-zelensky"),
            ("Mortiz Rudolf", "moritz-rudolf"),
            ("Moritz Rudolf", "moritz-rudolf"),
            ("Rudolf", "moritz-rudolf"),
            ("Xi", "xi-jinping"),
            ("President Xi", "xi-jinping"),
            ("Xi Jinping", "xi-jinping"),
            ("Putin", "vladimir-putin"),
            ("President Putin", "vladimir-putin"),
            ("Kirby", "john-kirby"),
            ("Lukin", "alexander-lukin"),
            ("Chinese envoy to Russia", "zhang-hanhui"),
            ("Kiev", "ukrainian-government"),
            ("Kyiv", "ukrainian-government"),
            ("Beijing", "chinese-government"),
            ("ICC", "icc"),
            ("Chinese foreign ministry", "chinese-foreign-ministry"),
        ] {
            assert_eq!(speaker_named(&cb, name), Some(id), "{name}");
        }
        // Shared surnames and first names would make look-up a guess.
        for ambiguous in ["Zhang", "Wang", "Dmitry", "Andrey", "Andrew"] {
            assert_eq!(speaker_named(&cb, ambiguous), None, "{ambiguous}");
        }
    }

    #[test]
    fn every_seed_speaker_is_registered() {
        let cb = Codebook::default_codebook();
        for id in [
            "author",
            "john-kirby",
            "zhang-hong",
            "alexander-lukin",
            "zhang-hanhui",
            "wang-yiwei",
            "yury-ushakov",
            "andrey-vinogradov",
            "andrey-ostrovsky",
            "moritz-rudolf",
            "andrew-small",
            "dmitry-peskov",
            "oleksiy-danilov",
            "jingdong-yuan",
            "xi-jinping",
            "vladimir-putin",
            "volodymyr-zelensky",
            "chinese-foreign-ministry",
            "kremlin",
            "white-house",
            "cnn",
            "global-times",
            "icc",
        ] {
            assert!(cb.speaker(id).is_some(), "speaker `{id}` is missing");
        }
        // Every entry other than the generic author is someone a seed actually names.
        for s in cb.speakers.iter().filter(|s| s.kind != SpeakerKind::Author) {
            let named = std::iter::once(&s.name)
                .chain(&s.aliases)
                .any(|n| SEEDS.iter().any(|(_, text)| text.contains(n.as_str())));
            assert!(named, "no seed names speaker `{}`", s.id);
        }
        assert_eq!(
            cb.speaker("author").map(|s| s.kind),
            Some(SpeakerKind::Author)
        );
    }

    #[test]
    fn speaker_entries_are_well_formed() {
        let cb = Codebook::default_codebook();
        let kebab = regex::Regex::new("^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
        for s in &cb.speakers {
            assert!(
                kebab.is_match(&s.id),
                "speaker id `{}` is not kebab-case",
                s.id
            );
            assert_eq!(s.name.trim(), s.name, "`{}`", s.id);
            assert!(
                s.kind == SpeakerKind::Author || !s.affiliation.is_empty(),
                "speaker `{}` has no affiliation",
                s.id
            );
            assert!(
                !s.aliases.iter().any(|a| a.eq_ignore_ascii_case(&s.name)),
                "speaker `{}` repeats its name as an alias",
                s.id
            );
        }
    }

    #[test]
    fn labels_keep_their_ids_and_keys() {
        // Annotation files and coders' fingers depend on these; a change needs a migration.
        let cb = Codebook::default_codebook();
        let targets: Vec<(&str, char)> =
            cb.targets.iter().map(|t| (t.id.as_str(), t.key)).collect();
        assert_eq!(targets, [("ceasefire", 'c'), ("mediation", 'm')]);
        let stances: Vec<(&str, char)> =
            cb.stances.iter().map(|l| (l.id.as_str(), l.key)).collect();
        assert_eq!(
            stances,
            [
                ("favor", 'f'),
                ("against", 'a'),
                ("neutral", 'n'),
                ("unclear", 'u')
            ]
        );
        let sources: Vec<(&str, char)> = cb
            .source_types
            .iter()
            .map(|l| (l.id.as_str(), l.key))
            .collect();
        assert_eq!(
            sources,
            [
                ("direct-quote", '1'),
                ("paraphrase", '2'),
                ("author", '3'),
                ("official", '4'),
                ("expert", '5'),
                ("media", '6'),
                ("anonymous", '7'),
                ("other", '8'),
            ]
        );
        assert_eq!(cb.version, 1);
        assert!(cb.migrations.is_empty());
    }

    #[test]
    fn guidelines_are_single_concrete_paragraphs() {
        let cb = Codebook::default_codebook();
        let guidelines = cb
            .targets
            .iter()
            .map(|t| (&t.id, &t.guideline))
            .chain(cb.stances.iter().map(|l| (&l.id, &l.guideline)))
            .chain(cb.source_types.iter().map(|l| (&l.id, &l.guideline)));
        for (id, g) in guidelines {
            assert!(!g.contains('\n'), "`{id}`: one paragraph, no line breaks");
            assert!(g.ends_with('.'), "`{id}`: guideline should end a sentence");
            assert!(g.len() >= 80, "`{id}`: guideline is too thin to guide");
        }
        for t in &cb.targets {
            let mut seen = BTreeSet::new();
            for term in &t.terms {
                assert_eq!(
                    term,
                    &term.to_lowercase(),
                    "`{}`: terms are lowercase",
                    t.id
                );
                assert!(seen.insert(term), "`{}`: term `{term}` twice", t.id);
            }
            // The terms must actually catch the target in the seeds.
            let hits = SEEDS
                .iter()
                .filter(|(_, text)| {
                    let lower = text.to_lowercase();
                    t.terms.iter().any(|term| lower.contains(term.as_str()))
                })
                .count();
            assert!(hits >= 3, "`{}`: terms found in only {hits} seeds", t.id);
        }
    }

    #[test]
    fn hex_colors() {
        assert_eq!(parse_hex_color("#ff0010"), Some([255, 0, 16]));
        assert_eq!(parse_hex_color("ff0010"), None);
        assert_eq!(parse_hex_color("#ff00"), None);
    }
}
