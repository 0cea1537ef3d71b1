//! Claims aligned across annotators, grouped where they mark the same place, with how the
//! annotators differ in each group.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::core::model::annotation::{
    AnnotationFile, Claim, SpeakerRef, sentence_label, speaker_text,
};
use crate::core::project::Project;
use crate::core::project::layout::GOLD;
use crate::core::storage::store::{self, LoadError, Pos};

/// Where a claim sits: its sentences and bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First sentence covered.
    pub first: u32,
    /// Last sentence covered.
    pub last: u32,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
}

impl Span {
    /// The span of a claim's anchor.
    pub fn of(claim: &Claim) -> Self {
        let a = &claim.anchor;
        Self {
            first: a.first,
            last: a.last,
            start: a.start,
            end: a.end,
        }
    }

    /// Whether the two spans share a sentence.
    pub fn shares_sentence(&self, other: &Self) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

/// How the annotators of one claim group differ. Each value map holds one entry per
/// annotator who made a claim in the group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// Some annotators made no claim here.
    Missing {
        /// Who made a claim.
        present: Vec<String>,
        /// Who did not.
        absent: Vec<String>,
    },
    /// The claims cover different text.
    Extent {
        /// Each annotator's span.
        values: BTreeMap<String, Span>,
    },
    /// The speakers differ.
    Speaker {
        /// Each annotator's speaker.
        values: BTreeMap<String, Option<SpeakerRef>>,
    },
    /// The stance on one target differs (`None`: the annotator did not code the target).
    Stance {
        /// The target id.
        target: String,
        /// Each annotator's stance label.
        values: BTreeMap<String, Option<String>>,
    },
    /// The source types differ.
    Source {
        /// Each annotator's source type id.
        values: BTreeMap<String, Option<String>>,
    },
}

/// `amira`, `amira and jonas`, `amira, ben and jonas`.
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `(amira: favor, jonas: against)`.
fn values_text<T>(values: &BTreeMap<String, T>, show: impl Fn(&T) -> String) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|(who, v)| format!("{who}: {}", show(v)))
        .collect();
    format!("({})", parts.join(", "))
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { present, absent } => {
                if present.len() == 1 {
                    write!(f, "only {} made a claim here", and_list(present))
                } else {
                    write!(f, "no claim here from {}", and_list(absent))
                }
            }
            Self::Extent { values } => {
                let sentences: BTreeSet<(u32, u32)> =
                    values.values().map(|s| (s.first, s.last)).collect();
                let text = if sentences.len() > 1 {
                    values_text(values, |s| sentence_label(s.first, s.last))
                } else {
                    values_text(values, |s| format!("bytes {}..{}", s.start, s.end))
                };
                write!(f, "extent differs {text}")
            }
            Self::Speaker { values } => write!(
                f,
                "speaker differs {}",
                values_text(values, |s| speaker_text(s.as_ref()))
            ),
            Self::Stance { target, values } => write!(
                f,
                "stance on {target} differs {}",
                values_text(values, |s| s.clone().unwrap_or_else(|| "not coded".into()))
            ),
            Self::Source { values } => write!(
                f,
                "source type differs {}",
                values_text(values, |s| s.clone().unwrap_or_else(|| "none".into()))
            ),
        }
    }
}

/// Claims of different annotators that are about the same stretch of text: at most one claim
/// per annotator, all sharing a sentence with each other.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimGroup {
    /// First sentence any claim of the group covers.
    pub first: u32,
    /// Last sentence any claim of the group covers.
    pub last: u32,
    /// The claims, by annotator.
    pub claims: BTreeMap<String, Claim>,
    /// How the annotators differ; empty when they agree.
    pub differences: Vec<Difference>,
}

impl ClaimGroup {
    /// Whether every annotator made this claim and coded it the same way.
    pub fn agrees(&self) -> bool {
        self.differences.is_empty()
    }

    /// `s6`, `s6-7`.
    pub fn label(&self) -> String {
        sentence_label(self.first, self.last)
    }

    /// The differences as one line: `speaker differs (…); stance on ceasefire differs (…)`,
    /// or `agree` when there are none.
    pub fn summary(&self) -> String {
        if self.differences.is_empty() {
            return "agree".to_owned();
        }
        let parts: Vec<String> = self.differences.iter().map(ToString::to_string).collect();
        parts.join("; ")
    }
}

impl fmt::Display for ClaimGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label(), self.summary())
    }
}

/// How alike two claims of different annotators are; higher is more alike. Text overlap
/// weighs most, so a claim pairs with the one over the same words, and coding breaks ties
/// when one annotator made two claims in a sentence (the author's view and a reported view).
fn likeness(a: &Claim, b: &Claim) -> f64 {
    let (sa, sb) = (Span::of(a), Span::of(b));
    let overlap = sa.end.min(sb.end).saturating_sub(sa.start.max(sb.start));
    let union = sa.end.max(sb.end) - sa.start.min(sb.start);
    let text = if union == 0 {
        0.0
    } else {
        overlap as f64 / union as f64
    };
    let targets: BTreeSet<&String> = a.stances.keys().chain(b.stances.keys()).collect();
    let same_stances = targets
        .iter()
        .filter(|t| a.stances.get(**t) == b.stances.get(**t))
        .count();
    let stances = if targets.is_empty() {
        1.0
    } else {
        same_stances as f64 / targets.len() as f64
    };
    3.0 * text
        + f64::from(u8::from(a.speaker == b.speaker))
        + stances
        + 0.5 * f64::from(u8::from(a.source == b.source))
}

/// Aligns the claims of several annotators' files on one article into claim groups, in text
/// order, each with its differences.
///
/// Claims are paired greedily, most alike first, under two rules: a group holds at most one
/// claim per annotator, and every two claims in a group share a sentence. When one coder
/// split a sentence into two claims and the other made one, the one pairs with the more alike
/// of the two and the other stands alone ("only jonas made a claim here").
pub fn align(files: &[AnnotationFile]) -> Vec<ClaimGroup> {
    let annotators: Vec<String> = files.iter().map(|f| f.annotator.clone()).collect();
    let items: Vec<(usize, &Claim)> = files
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.claims.iter().map(move |c| (i, c)))
        .collect();

    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, (fa, a)) in items.iter().enumerate() {
        for (j, (fb, b)) in items.iter().enumerate().skip(i + 1) {
            if fa != fb && Span::of(a).shares_sentence(&Span::of(b)) {
                pairs.push((likeness(a, b), i, j));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));

    // Each item starts in a group of its own; groups merge when the rules allow.
    let mut group_of: Vec<usize> = (0..items.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..items.len()).map(|i| vec![i]).collect();
    for (_, i, j) in pairs {
        let (gi, gj) = (group_of[i], group_of[j]);
        if gi == gj {
            continue;
        }
        let disjoint = members[gi]
            .iter()
            .all(|&x| members[gj].iter().all(|&y| items[x].0 != items[y].0));
        let all_share = members[gi].iter().all(|&x| {
            members[gj]
                .iter()
                .all(|&y| Span::of(items[x].1).shares_sentence(&Span::of(items[y].1)))
        });
        if disjoint && all_share {
            let moved = std::mem::take(&mut members[gj]);
            for &m in &moved {
                group_of[m] = gi;
            }
            members[gi].extend(moved);
        }
    }

    let mut groups: Vec<ClaimGroup> = members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|m| {
            let claims: BTreeMap<String, Claim> = m
                .iter()
                .map(|&x| (annotators[items[x].0].clone(), items[x].1.clone()))
                .collect();
            group(claims, &annotators)
        })
        .collect();
    groups.sort_by_key(group_key);
    groups
}

/// Text order of groups: earliest start, then earliest end, then the first claim id.
fn group_key(g: &ClaimGroup) -> (usize, usize, String) {
    let start = g.claims.values().map(|c| c.anchor.start).min().unwrap_or(0);
    let end = g.claims.values().map(|c| c.anchor.end).min().unwrap_or(0);
    let id = g
        .claims
        .values()
        .next()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    (start, end, id)
}

/// A group from its claims, with its sentence range and differences.
fn group(claims: BTreeMap<String, Claim>, annotators: &[String]) -> ClaimGroup {
    let first = claims.values().map(|c| c.anchor.first).min().unwrap_or(0);
    let last = claims.values().map(|c| c.anchor.last).max().unwrap_or(0);
    let differences = differences(&claims, annotators);
    ClaimGroup {
        first,
        last,
        claims,
        differences,
    }
}

/// The values in `values` that are not all the same, as a map, or `None` when they agree.
fn differing<T: PartialEq + Clone>(values: BTreeMap<String, T>) -> Option<BTreeMap<String, T>> {
    let mut it = values.values();
    let first = it.next()?;
    it.any(|v| v != first).then_some(values)
}

/// Every way the claims of a group differ, in a fixed order: who is missing, extent,
/// speaker, stance per target (in target order), source type.
pub fn differences(claims: &BTreeMap<String, Claim>, annotators: &[String]) -> Vec<Difference> {
    let mut out = Vec::new();
    let absent: Vec<String> = annotators
        .iter()
        .filter(|a| !claims.contains_key(*a))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !absent.is_empty() {
        out.push(Difference::Missing {
            present: claims.keys().cloned().collect(),
            absent,
        });
    }
    if let Some(values) = differing(per_annotator(claims, Span::of)) {
        out.push(Difference::Extent { values });
    }
    if let Some(values) = differing(per_annotator(claims, |c| c.speaker.clone())) {
        out.push(Difference::Speaker { values });
    }
    let targets: BTreeSet<&String> = claims.values().flat_map(|c| c.stances.keys()).collect();
    for target in targets {
        let values = claims
            .iter()
            .map(|(a, c)| (a.clone(), c.stances.get(target).cloned()))
            .collect();
        if let Some(values) = differing(values) {
            out.push(Difference::Stance {
                target: target.clone(),
                values,
            });
        }
    }
    if let Some(values) = differing(per_annotator(claims, |c| c.source.clone())) {
        out.push(Difference::Source { values });
    }
    out
}

/// One value per annotator, taken from their claim.
fn per_annotator<T>(
    claims: &BTreeMap<String, Claim>,
    f: impl Fn(&Claim) -> T,
) -> BTreeMap<String, T> {
    claims.iter().map(|(a, c)| (a.clone(), f(c))).collect()
}

/// Every annotator's work on one article, aligned.
#[derive(Debug)]
pub struct Alignment {
    /// The article id.
    pub article: String,
    /// The files that loaded, sorted by annotator.
    pub files: Vec<AnnotationFile>,
    /// The files that did not load, with why; the rest are aligned without them.
    pub failed: Vec<LoadError>,
    /// The claim groups, in text order.
    pub groups: Vec<ClaimGroup>,
}

impl Alignment {
    /// Aligns already loaded files (of one article).
    pub fn from_files(article: &str, mut files: Vec<AnnotationFile>) -> Self {
        files.sort_by(|a, b| a.annotator.cmp(&b.annotator));
        let groups = align(&files);
        Self {
            article: article.to_owned(),
            files,
            failed: Vec::new(),
            groups,
        }
    }

    /// The annotators whose files loaded.
    pub fn annotators(&self) -> Vec<&str> {
        self.files.iter().map(|f| f.annotator.as_str()).collect()
    }

    /// How many groups show a difference.
    pub fn disputed(&self) -> usize {
        self.groups.iter().filter(|g| !g.agrees()).count()
    }
}

/// Loads every annotator's file of `article` in `project` (the gold file only when
/// `include_gold`). A file that does not load is returned with its error and the others
/// still load; so is a file whose `annotator` field disagrees with its name, since
/// alignment keys claims by annotator.
pub fn load_article_files(
    project: &Project,
    article: &str,
    include_gold: bool,
) -> (Vec<AnnotationFile>, Vec<LoadError>) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for (annotator, path) in project.annotation_files(article) {
        if annotator == GOLD && !include_gold {
            continue;
        }
        match store::load_annotation(&path, &project.codebook) {
            Ok(file) if file.annotator == annotator => files.push(file),
            Ok(file) => failed.push(LoadError::Invalid {
                pos: store::read_text(&path, "")
                    .map_or(Pos { line: 1, col: 1 }, |t| store::locate(&t, "annotator:")),
                message: format!(
                    "the file says its annotator is `{}` but it is named `{annotator}.ron`; rename the file or fix the `annotator` field",
                    file.annotator
                ),
                path,
            }),
            Err(e) => failed.push(e),
        }
    }
    (files, failed)
}

/// Loads and aligns every annotator's file of `article` (see [`load_article_files`]).
pub fn align_article(project: &Project, article: &str, include_gold: bool) -> Alignment {
    let (files, failed) = load_article_files(project, article, include_gold);
    let mut alignment = Alignment::from_files(article, files);
    alignment.failed = failed;
    alignment
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::Status;
    use crate::core::testkit::{self, TEXT, claim};

    /// The shared test file, marked done as the coders' files in review are.
    fn file(annotator: &str, claims: Vec<Claim>) -> AnnotationFile {
        let mut f = testkit::file(annotator, claims);
        f.status = Status::Done;
        f
    }

    #[test]
    fn agreeing_claims_form_one_group_without_differences() {
        let a = file("amira", vec![claim("a1", 1, "author", "favor")]);
        let j = file("jonas", vec![claim("j1", 1, "author", "favor")]);
        let groups = align(&[a, j]);
        assert_eq!(groups.len(), 1);
        assert!(groups[0].agrees());
        assert_eq!(groups[0].to_string(), "s2: agree");
        assert_eq!(groups[0].claims["amira"].id, "a1");
        assert_eq!(groups[0].claims["jonas"].id, "j1");
    }

    #[test]
    fn differences_are_named_with_each_annotators_value() {
        let a = file("amira", vec![claim("a1", 1, "author", "favor")]);
        let mut jc = claim("j1", 1, "kremlin", "against");
        jc.source = Some("official".into());
        let j = file("jonas", vec![jc]);
        let groups = align(&[a, j]);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            groups[0].summary(),
            "speaker differs (amira: author, jonas: kremlin); \
             stance on ceasefire differs (amira: favor, jonas: against); \
             source type differs (amira: author, jonas: official)"
        );
    }

    #[test]
    fn a_claim_only_one_coder_made_stands_alone() {
        let a = file("amira", vec![claim("a1", 1, "author", "favor")]);
        let j = file(
            "jonas",
            vec![
                claim("j1", 1, "author", "favor"),
                claim("j2", 2, "author", "against"),
            ],
        );
        let groups = align(&[a, j]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[1].to_string(), "s3: only jonas made a claim here");
        assert_eq!(
            groups[1].differences,
            vec![Difference::Missing {
                present: vec!["jonas".into()],
                absent: vec!["amira".into()],
            }]
        );
    }

    #[test]
    fn two_claims_in_one_sentence_pair_with_the_more_alike() {
        // jonas coded the reported view and the author's view of one sentence; amira only the
        // author's. Her claim pairs with his author claim, whichever comes first in his file.
        let a = file("amira", vec![claim("a1", 1, "author", "favor")]);
        let j = file(
            "jonas",
            vec![
                claim("j1", 1, "kremlin", "against"),
                claim("j2", 1, "author", "favor"),
            ],
        );
        let groups = align(&[a, j]);
        assert_eq!(groups.len(), 2);
        let paired = groups.iter().find(|g| g.claims.len() == 2).unwrap();
        assert_eq!(paired.claims["jonas"].id, "j2");
        assert!(paired.agrees());
        let alone = groups.iter().find(|g| g.claims.len() == 1).unwrap();
        assert_eq!(alone.claims["jonas"].id, "j1");
    }

    #[test]
    fn different_extents_and_uncoded_targets_show() {
        let mut ac = claim("a1", 1, "author", "favor");
        ac.anchor.last = 2;
        ac.anchor.end = TEXT.find("war.").unwrap() + 4;
        let mut jc = claim("j1", 2, "author", "favor");
        jc.stances.insert("mediation".into(), "neutral".into());
        let groups = align(&[file("amira", vec![ac]), file("jonas", vec![jc])]);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].label(), "s2-3");
        assert_eq!(
            groups[0].summary(),
            "extent differs (amira: s2-3, jonas: s3); \
             stance on mediation differs (amira: not coded, jonas: neutral)"
        );
    }

    #[test]
    fn three_annotators_missing_one() {
        let groups = align(&[
            file("amira", vec![claim("a1", 3, "author", "favor")]),
            file("ben", vec![claim("b1", 3, "author", "favor")]),
            file("jonas", vec![]),
        ]);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].summary(), "no claim here from jonas");
    }
}
