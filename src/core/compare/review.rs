//! Review of coders' work on one article: claims aligned across annotators with their
//! differences, the editors' review files (verdicts and question threads), and what a
//! `stance review PATH` argument points at.
//!
//! Nothing here writes to a coder's file: alignment only reads them, and a review lives in a
//! file of its own, `annotations/<article>/review.<editor>.ron`, next to the files it judges.
//! One file per editor (not one shared file) so that two editors reviewing on two git branches
//! never edit the same file, and the file name says whose judgement it is.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::model::annotation::{AnnotationFile, ArticleRef, Claim, SpeakerRef};
use crate::core::model::names::{self, NameError};
use crate::core::project::{self, ANNOTATIONS_DIR, Project, layout};
use crate::core::storage::store::{self, LoadError, Pos};

pub use crate::core::model::annotation::{sentence_label, speaker_text};

// ---------------------------------------------------------------------------------------------
// Alignment

/// The name of the adjudicated file's annotator; left out of alignments unless asked for.
pub use crate::core::project::layout::GOLD;

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

// ---------------------------------------------------------------------------------------------
// Review files

/// The review file format this build writes and reads.
pub const REVIEW_FORMAT_VERSION: u32 = 1;

/// An editor's judgement of one claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// The claim stands as coded.
    Accept,
    /// The claim should not be there.
    Reject,
    /// The claim is right in principle but something in it must change (see the comment).
    NeedsChange,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Accept => "accept",
            Self::Reject => "reject",
            Self::NeedsChange => "needs change",
        })
    }
}

/// The review of one coder's claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimReview {
    /// Whose claim.
    pub annotator: String,
    /// The claim's id in that annotator's file.
    pub claim: String,
    /// The editor's judgement.
    pub verdict: Verdict,
    /// Why, or what to change.
    #[serde(default)]
    pub comment: String,
    /// When the verdict was given.
    pub time: DateTime<Utc>,
}

/// One message in a question thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Who wrote it (a coder or the editor).
    pub who: String,
    /// What they wrote.
    pub text: String,
    /// When.
    pub time: DateTime<Utc>,
}

/// A coder's question about one of their claims, and the replies to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thread {
    /// Whose claim the question is about.
    pub annotator: String,
    /// The claim's id.
    pub claim: String,
    /// The question first, then the answers, in order.
    pub messages: Vec<Message>,
}

impl Thread {
    /// Whether someone other than the asker has replied last, i.e. the asker has an answer.
    pub fn is_answered(&self) -> bool {
        match (self.messages.first(), self.messages.last()) {
            (Some(q), Some(last)) => self.messages.len() > 1 && last.who != q.who,
            _ => false,
        }
    }
}

/// One editor's review of one article: `annotations/<article>/review.<editor>.ron`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// File format version ([`REVIEW_FORMAT_VERSION`]).
    pub format: u32,
    /// The article reviewed.
    pub article: ArticleRef,
    /// The editor (also in the file name).
    pub editor: String,
    /// One verdict per reviewed claim, sorted by annotator then claim id.
    pub reviews: Vec<ClaimReview>,
    /// Questions from coders and the answers, in the order they were asked.
    #[serde(default)]
    pub threads: Vec<Thread>,
}

impl ReviewFile {
    /// An empty review of `article` by `editor`.
    pub fn new(article: ArticleRef, editor: impl Into<String>) -> Self {
        Self {
            format: REVIEW_FORMAT_VERSION,
            article,
            editor: editor.into(),
            reviews: Vec::new(),
            threads: Vec::new(),
        }
    }

    /// The verdict on `annotator`'s claim `claim`, if given.
    pub fn review_of(&self, annotator: &str, claim: &str) -> Option<&ClaimReview> {
        self.reviews
            .iter()
            .find(|r| r.annotator == annotator && r.claim == claim)
    }

    /// Gives (or replaces) the verdict on a claim; the list stays sorted so the file diffs
    /// well.
    pub fn set_verdict(
        &mut self,
        annotator: &str,
        claim: &str,
        verdict: Verdict,
        comment: &str,
        time: DateTime<Utc>,
    ) {
        let review = ClaimReview {
            annotator: annotator.to_owned(),
            claim: claim.to_owned(),
            verdict,
            comment: comment.to_owned(),
            time,
        };
        match self
            .reviews
            .binary_search_by(|r| (r.annotator.as_str(), r.claim.as_str()).cmp(&(annotator, claim)))
        {
            Ok(i) => self.reviews[i] = review,
            Err(i) => self.reviews.insert(i, review),
        }
    }

    /// Takes back the verdict on a claim; whether there was one.
    pub fn clear_verdict(&mut self, annotator: &str, claim: &str) -> bool {
        let before = self.reviews.len();
        self.reviews
            .retain(|r| !(r.annotator == annotator && r.claim == claim));
        self.reviews.len() != before
    }

    /// A coder's new question on their claim; returns the thread's index.
    pub fn ask(&mut self, annotator: &str, claim: &str, text: &str, time: DateTime<Utc>) -> usize {
        self.threads.push(Thread {
            annotator: annotator.to_owned(),
            claim: claim.to_owned(),
            messages: vec![Message {
                who: annotator.to_owned(),
                text: text.to_owned(),
                time,
            }],
        });
        self.threads.len() - 1
    }

    /// A reply by `who` in thread `index`; `false` if there is no such thread.
    pub fn reply(&mut self, index: usize, who: &str, text: &str, time: DateTime<Utc>) -> bool {
        let Some(thread) = self.threads.get_mut(index) else {
            return false;
        };
        thread.messages.push(Message {
            who: who.to_owned(),
            text: text.to_owned(),
            time,
        });
        true
    }

    /// The editor's answer in thread `index`; `false` if there is no such thread.
    pub fn answer(&mut self, index: usize, text: &str, time: DateTime<Utc>) -> bool {
        let editor = self.editor.clone();
        self.reply(index, &editor, text, time)
    }

    /// The threads about one claim.
    pub fn threads_on<'a>(
        &'a self,
        annotator: &'a str,
        claim: &'a str,
    ) -> impl Iterator<Item = &'a Thread> + 'a {
        self.threads
            .iter()
            .filter(move |t| t.annotator == annotator && t.claim == claim)
    }
}

/// `root/annotations/<article>/review.<editor>.ron`, after checking both names are safe.
pub fn review_path(root: &Path, article: &str, editor: &str) -> Result<PathBuf, NameError> {
    project::side_file_path(root, article, layout::REVIEW_KIND, editor)
}

/// The review files of an article, as `(editor, path)`, sorted by editor. Files whose editor
/// part is not a valid name are left out.
pub fn review_files(root: &Path, article: &str) -> Vec<(String, PathBuf)> {
    project::side_files(root, article, layout::REVIEW_KIND)
}

/// Loads a review file: size limit, UTF-8, RON with positions, then the rules: a supported
/// format version, valid names, the editor the file name says, one verdict per claim, and
/// no empty thread.
pub fn load_review(path: &Path) -> Result<ReviewFile, LoadError> {
    let text = store::read_text(path, "a stance review file (RON)")?;
    parse_review(path, &text)
}

/// Parses review text read from `path` (see [`load_review`]).
pub fn parse_review(path: &Path, text: &str) -> Result<ReviewFile, LoadError> {
    let file: ReviewFile = store::parse_ron(path, text)?;
    let invalid = |needle: &str, message: String| LoadError::Invalid {
        path: path.to_owned(),
        pos: store::locate(text, needle),
        message,
    };
    if file.format != REVIEW_FORMAT_VERSION {
        return Err(LoadError::UnsupportedFormat {
            path: path.to_owned(),
            pos: store::locate(text, "format:"),
            found: file.format,
            supported: REVIEW_FORMAT_VERSION,
        });
    }
    if let Err(e) = names::validate_person(&file.editor) {
        return Err(invalid(
            "editor:",
            format!("the editor name is not usable: {e}"),
        ));
    }
    let named = match path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(layout::parse_file_name)
    {
        Some(layout::FileName::Side {
            kind: layout::REVIEW_KIND,
            name,
        }) => Some(name),
        _ => None,
    };
    if let Some(named) = named
        && named != file.editor
    {
        return Err(invalid(
            "editor:",
            format!(
                "the file says its editor is `{}` but it is named `review.{named}.ron`; rename the file or fix the `editor` field",
                file.editor
            ),
        ));
    }
    // In a project the folder names the article; a review of another article's claims
    // would show verdicts next to the wrong text.
    let folder = path
        .parent()
        .and_then(layout::article_of_folder)
        .map(|(_, article)| article);
    if let Some(folder) = folder
        && folder != file.article.id
    {
        return Err(invalid(
            "article:",
            format!(
                "the review is of article `{}` but it is in the folder of article `{folder}`; move it to `{ANNOTATIONS_DIR}/{}/`",
                file.article.id, file.article.id
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    for r in &file.reviews {
        if let Err(e) = names::validate_annotator(&r.annotator) {
            return Err(invalid(
                &format!("annotator: \"{}\"", r.annotator),
                format!("the annotator name is not usable: {e}"),
            ));
        }
        if !seen.insert((r.annotator.as_str(), r.claim.as_str())) {
            return Err(invalid(
                &format!("claim: \"{}\"", r.claim),
                format!(
                    "claim `{}` of {} has two verdicts; keep one",
                    r.claim, r.annotator
                ),
            ));
        }
    }
    for t in &file.threads {
        if t.messages.is_empty() {
            return Err(invalid(
                "messages: []",
                format!(
                    "the thread on claim `{}` of {} has no messages; remove it",
                    t.claim, t.annotator
                ),
            ));
        }
    }
    Ok(file)
}

/// Saves a review file atomically as deterministic RON (verdicts sorted first).
pub fn save_review(path: &Path, review: &ReviewFile) -> std::io::Result<()> {
    let mut review = review.clone();
    review
        .reviews
        .sort_by(|a, b| (&a.annotator, &a.claim).cmp(&(&b.annotator, &b.claim)));
    let text = store::to_ron(&review).map_err(std::io::Error::other)?;
    store::write_atomic(path, text.as_bytes())
}

/// Every review file of an article that loads, and the errors of those that do not; the
/// coding window shows these verdicts next to a coder's claims.
pub fn load_reviews(root: &Path, article: &str) -> (Vec<ReviewFile>, Vec<LoadError>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for (_, path) in review_files(root, article) {
        match load_review(&path) {
            Ok(r) => ok.push(r),
            Err(e) => failed.push(e),
        }
    }
    (ok, failed)
}

// ---------------------------------------------------------------------------------------------
// What `stance review PATH` opens

/// What a review was asked to open: a project, one article of it, or one annotation file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewTarget {
    /// The project folder (for a loose file outside any project: the file's folder).
    pub root: PathBuf,
    /// The article, when one article (or a file of one) was named.
    pub article: Option<String>,
    /// The annotation file, when a single file was named.
    pub file: Option<PathBuf>,
}

/// Why a path cannot be opened for review.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// Nothing is there.
    #[error("{0}: no such file or folder")]
    Missing(PathBuf),
    /// A file that is not an annotation file.
    #[error(
        "{0}: not an annotation file; give a `.ron` file, an article's annotation folder or a project folder"
    )]
    NotRon(PathBuf),
    /// A folder that is not in a project.
    #[error(
        "{0}: this folder is not in a stance project (no `seeds/` or `annotations/` here or above); give a project folder"
    )]
    OutsideProject(PathBuf),
    /// The path exists but cannot be resolved.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The path leads out of its project through a symlink.
    #[error("{0}")]
    Escape(project::walk::Escape),
}

/// Resolves a `stance review PATH` argument.
///
/// - a project folder (or any folder inside one, such as `seeds/`) opens the project;
/// - `annotations/<article>/` opens that article;
/// - a `.ron` file in `annotations/<article>/` opens that file within its article;
/// - a `.ron` file anywhere else opens alone, with its folder as the root.
///
/// Paths are made absolute (symlinks resolved) so the window can show where it is.
pub fn resolve_target(path: &Path) -> Result<ReviewTarget, TargetError> {
    if !path.exists() {
        return Err(TargetError::Missing(path.to_owned()));
    }
    // Judged on the path as given, before links are resolved: a link inside a project that
    // leads out of it must not carry the review (and its verdict files) elsewhere.
    let given = std::path::absolute(path).map_err(|e| TargetError::Io(path.to_owned(), e))?;
    if let Some(root) = given.ancestors().find(|d| project::is_project(d))
        && let Some(e) = project::walk::escape(root, &given)
    {
        return Err(TargetError::Escape(e));
    }
    let real = std::fs::canonicalize(path).map_err(|e| TargetError::Io(path.to_owned(), e))?;
    if real.is_file() {
        if real.extension().is_none_or(|e| e != "ron") {
            return Err(TargetError::NotRon(path.to_owned()));
        }
        let folder = real.parent().unwrap_or(&real).to_owned();
        let project = article_folder(&folder);
        return Ok(match project {
            Some((root, article)) => ReviewTarget {
                root,
                article: Some(article),
                file: Some(real),
            },
            None => ReviewTarget {
                root: folder,
                article: None,
                file: Some(real),
            },
        });
    }
    if let Some((root, article)) = article_folder(&real) {
        return Ok(ReviewTarget {
            root,
            article: Some(article),
            file: None,
        });
    }
    let root = real
        .ancestors()
        .find(|d| project::is_project(d))
        .ok_or_else(|| TargetError::OutsideProject(path.to_owned()))?;
    Ok(ReviewTarget {
        root: root.to_owned(),
        article: None,
        file: None,
    })
}

/// `(root, article)` when `folder` is `root/annotations/<article>` of a project.
fn article_folder(folder: &Path) -> Option<(PathBuf, String)> {
    let (root, article) = layout::article_of_folder(folder)?;
    names::validate_name(article).ok()?;
    Some((root.to_owned(), article.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::Status;
    use crate::core::testkit::{self, TEXT, claim, t};

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

    #[test]
    fn review_file_round_trips_and_keeps_verdicts_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = review_path(dir.path(), "a", "ed").unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut r = ReviewFile::new(
            ArticleRef {
                id: "a".into(),
                fingerprint: "sha256:0".into(),
            },
            "ed",
        );
        let time = t("2024-02-02T10:00:00Z");
        r.set_verdict("jonas", "j1", Verdict::Reject, "not a claim", time);
        r.set_verdict("amira", "a1", Verdict::Accept, "", time);
        r.set_verdict("amira", "a1", Verdict::NeedsChange, "speaker", time);
        let q = r.ask("amira", "a1", "Is the author the speaker?", time);
        assert!(!r.threads[q].is_answered());
        assert!(r.answer(q, "No, the ministry is.", time));
        assert!(r.threads[q].is_answered());
        assert!(!r.answer(7, "nobody asked", time));
        save_review(&path, &r).unwrap();

        let back = load_review(&path).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.reviews.len(), 2);
        assert_eq!(back.reviews[0].annotator, "amira");
        assert_eq!(
            back.review_of("amira", "a1").unwrap().verdict,
            Verdict::NeedsChange
        );
        assert_eq!(back.threads_on("amira", "a1").count(), 1);
        assert_eq!(
            review_files(dir.path(), "a"),
            vec![("ed".into(), path.clone())]
        );
        let bytes = std::fs::read(&path).unwrap();
        save_review(&path, &back).unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "saving is deterministic"
        );
        assert!(r.clear_verdict("jonas", "j1"));
        assert!(!r.clear_verdict("jonas", "j1"));
    }

    #[test]
    fn review_files_are_validated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.ed.ron");
        let mut r = ReviewFile::new(
            ArticleRef {
                id: "a".into(),
                fingerprint: "sha256:0".into(),
            },
            "eve",
        );
        let text = store::to_ron(&r).unwrap();
        let e = parse_review(&path, &text).unwrap_err();
        assert!(e.message().contains("named `review.ed.ron`"), "{e}");
        r.editor = "ed".into();
        let time = t("2024-02-02T10:00:00Z");
        r.set_verdict("amira", "a1", Verdict::Accept, "", time);
        r.reviews.push(r.reviews[0].clone());
        let text = store::to_ron(&r).unwrap();
        let e = parse_review(&path, &text).unwrap_err();
        assert!(e.message().contains("two verdicts"), "{e}");
        assert_eq!(e.pos().line, store::locate(&text, "claim: \"a1\"").line);
        r.reviews.pop();
        r.format = 9;
        let e = parse_review(&path, &store::to_ron(&r).unwrap()).unwrap_err();
        assert!(
            matches!(e, LoadError::UnsupportedFormat { found: 9, .. }),
            "{e}"
        );
        assert!(review_path(dir.path(), "a", "../x").is_err());
        r.format = REVIEW_FORMAT_VERSION;
        let elsewhere = dir.path().join("annotations/b/review.ed.ron");
        let e = parse_review(&elsewhere, &store::to_ron(&r).unwrap()).unwrap_err();
        assert!(e.message().contains("in the folder of article `b`"), "{e}");
        let here = dir.path().join("annotations/a/review.ed.ron");
        assert!(parse_review(&here, &store::to_ron(&r).unwrap()).is_ok());
    }

    #[test]
    fn targets_resolve_from_project_article_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let art = root.join("annotations").join("a1");
        std::fs::create_dir_all(&art).unwrap();
        std::fs::create_dir_all(root.join("seeds")).unwrap();
        std::fs::write(art.join("amira.ron"), "()").unwrap();
        std::fs::write(root.join("notes.txt"), "x").unwrap();

        let t = resolve_target(&root).unwrap();
        assert_eq!(
            (t.root.as_path(), t.article, t.file),
            (root.as_path(), None, None)
        );
        let t = resolve_target(&root.join("seeds")).unwrap();
        assert_eq!(t.root, root);
        let t = resolve_target(&art).unwrap();
        assert_eq!(
            (t.root.as_path(), t.article.as_deref()),
            (root.as_path(), Some("a1"))
        );
        let t = resolve_target(&art.join("amira.ron")).unwrap();
        assert_eq!(t.article.as_deref(), Some("a1"));
        assert_eq!(t.file, Some(art.join("amira.ron")));

        assert!(matches!(
            resolve_target(&root.join("nope")),
            Err(TargetError::Missing(_))
        ));
        assert!(matches!(
            resolve_target(&root.join("notes.txt")),
            Err(TargetError::NotRon(_))
        ));
        let outside = tempfile::tempdir().unwrap();
        assert!(matches!(
            resolve_target(outside.path()),
            Err(TargetError::OutsideProject(_))
        ));
        // A loose file outside any project opens on its own.
        std::fs::write(outside.path().join("x.ron"), "()").unwrap();
        let t = resolve_target(&outside.path().join("x.ron")).unwrap();
        assert_eq!(t.article, None);
        assert!(t.file.is_some());
    }
}
