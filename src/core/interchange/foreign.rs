//! Claims read from another tool's file, and how they become a Stance annotation file.
//!
//! Every reader (brat, WebAnno TSV, Label Studio) produces a [`ForeignDoc`]: the text as the
//! other tool had it, claims with offsets in that tool's unit, and where in the file each
//! value came from. [`into_annotation`] then does what is common to all of them:
//!
//! 1. find the article: the one the file names, else the one whose text is the file's text;
//! 2. check every label against the codebook, pointing at the value in the file;
//! 3. convert offsets with the article's own text when the file's text is the article's
//!    (never by arithmetic on bytes); otherwise anchor the claims in the file's text and find
//!    them again in the article with [`anchor::reanchored`], the re-anchoring Stance does when
//!    an article changes. What cannot be found stays an orphan, listed in the report.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::core::interchange::offsets::{Offsets, Unit};
use crate::core::model::annotation::{
    Anchor, AnnotationFile, Claim, CodebookRef, Cue, Origin, SpeakerRef, Status, new_claim_id, now,
};
use crate::core::model::codebook::Codebook;
use crate::core::model::names;
use crate::core::project::Project;
use crate::core::storage::finding::Finding;
use crate::core::storage::store::{LoadError, Pos};
use crate::core::text::anchor::{self, ReanchorReport};
use crate::core::text::corpus::{self, Article};

/// A value read from a file, with where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is in the file.
    pub at: Pos,
}

impl<T> Located<T> {
    /// `value` found at `at`.
    pub fn new(value: T, at: Pos) -> Self {
        Self { value, at }
    }
}

/// One claim as another tool's file has it.
#[derive(Clone, Debug, PartialEq)]
pub struct ForeignClaim {
    /// Where the claim is defined in the file (its span line or object).
    pub at: Pos,
    /// How the file names the claim in messages (`T3`, `region c1`).
    pub label: String,
    /// Start offset in the document's unit.
    pub start: usize,
    /// End offset (exclusive) in the document's unit.
    pub end: usize,
    /// The claim's Stance id, when the format kept it.
    pub id: Option<String>,
    /// Speaker as written: a registry id, `new:Name`, or a name.
    pub speaker: Option<Located<String>>,
    /// Stance per target: `(target as written, label)`.
    pub stances: Vec<(Located<String>, Located<String>)>,
    /// Source type id.
    pub source: Option<Located<String>>,
    /// The coder was unsure.
    pub unsure: bool,
    /// The note.
    pub note: String,
    /// How the claim came to be.
    pub origin: Origin,
    /// The attribution cue, in the document's unit.
    pub cue: Option<Range<usize>>,
    /// When the claim was made and last changed, when the format kept it.
    pub times: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl ForeignClaim {
    /// An empty claim over `start..end`.
    pub fn new(at: Pos, label: impl Into<String>, start: usize, end: usize) -> Self {
        Self {
            at,
            label: label.into(),
            start,
            end,
            id: None,
            speaker: None,
            stances: Vec::new(),
            source: None,
            unsure: false,
            note: String::new(),
            origin: Origin::Manual,
            cue: None,
            times: None,
        }
    }
}

/// The text a foreign file annotates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForeignText {
    /// The whole text (brat's `.txt`, Label Studio's `data.text`).
    Full(String),
    /// Only the sentences, each at its offset in the document's unit (WebAnno TSV: the text
    /// between sentences is not in the file).
    Sentences(Vec<(usize, String)>),
}

/// One annotator's claims on one document, as another tool's file has them.
#[derive(Clone, Debug)]
pub struct ForeignDoc {
    /// The file read.
    pub path: PathBuf,
    /// The document's text.
    pub text: ForeignText,
    /// How the file counts offsets.
    pub unit: Unit,
    /// The article id the file names, if any.
    pub article: Option<String>,
    /// The annotator the file names, if any.
    pub annotator: Option<String>,
    /// When the file's annotations were made and last changed, if it says.
    pub times: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The claims.
    pub claims: Vec<ForeignClaim>,
    /// What the file holds that Stance has no place for, as warnings.
    pub left_out: Vec<Finding>,
}

/// What to import as, when the file does not say (or says something else).
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Import onto this article, whatever the file names.
    pub article: Option<String>,
    /// Import as this annotator, whatever the file names.
    pub annotator: Option<String>,
}

/// A foreign file turned into a Stance annotation file.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The file read.
    pub source: PathBuf,
    /// The annotation file to write.
    pub file: AnnotationFile,
    /// Re-anchoring, when the file's text was not the article's: which claims moved and which
    /// could not be found (they are kept as orphans, to attach in the window).
    pub reanchor: Option<ReanchorReport>,
    /// What was left out or changed on the way, as warnings.
    pub warnings: Vec<Finding>,
}

fn invalid(path: &Path, at: Pos, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        path: path.to_owned(),
        pos: at,
        message: message.into(),
    }
}

/// The speaker as the text formats write it: a registry id, or `new:Name`.
pub fn speaker_value(speaker: &SpeakerRef) -> String {
    match speaker {
        SpeakerRef::Registry(id) => id.clone(),
        SpeakerRef::New(name) => format!("new:{name}"),
    }
}

/// Reads a speaker: `new:Name`, a registry id, or a registry name or alias (any case);
/// anything else is a name outside the registry.
pub fn parse_speaker(value: &str, codebook: &Codebook) -> Option<SpeakerRef> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Some(name) = value.strip_prefix("new:") {
        let name = name.trim();
        return (!name.is_empty()).then(|| SpeakerRef::New(name.to_owned()));
    }
    if codebook.speaker(value).is_some() {
        return Some(SpeakerRef::Registry(value.to_owned()));
    }
    let by_name = codebook.speakers.iter().find(|s| {
        s.name.eq_ignore_ascii_case(value)
            || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(value))
    });
    Some(match by_name {
        Some(s) => SpeakerRef::Registry(s.id.clone()),
        None => SpeakerRef::New(value.to_owned()),
    })
}

/// The origin as the text formats write it: `manual`, or `suggested: <reasons>`.
pub fn origin_value(origin: &Origin) -> String {
    match origin {
        Origin::Manual => "manual".into(),
        Origin::Suggested { reasons } if reasons.is_empty() => "suggested".into(),
        Origin::Suggested { reasons } => format!("suggested: {reasons}"),
    }
}

/// Reads an origin written by [`origin_value`]; anything not starting with `suggested` is
/// manual.
pub fn parse_origin(value: &str) -> Origin {
    match value.trim().strip_prefix("suggested") {
        Some(rest) => Origin::Suggested {
            reasons: rest.trim_start_matches(':').trim().to_owned(),
        },
        None => Origin::Manual,
    }
}

/// Finds the codebook's target for `written`: its id, or the id with `_` for `-` (formats
/// whose feature names cannot hold a hyphen).
pub fn target_id<'c>(written: &str, codebook: &'c Codebook) -> Option<&'c str> {
    codebook
        .targets
        .iter()
        .find(|t| t.id == written || t.id.replace('-', "_") == written)
        .map(|t| t.id.as_str())
}

/// Finds a label id among `ids` for `written`: the id itself, or its display name (any case).
fn label_id<'c>(
    written: &str,
    labels: impl Iterator<Item = (&'c String, &'c String)>,
) -> Option<&'c str> {
    let mut by_name = None;
    for (id, name) in labels {
        if id == written {
            return Some(id);
        }
        if by_name.is_none() && name.eq_ignore_ascii_case(written) {
            by_name = Some(id.as_str());
        }
    }
    by_name
}

/// Which project article a foreign document is about: the one asked for, the one it names,
/// or the one with exactly its text.
fn find_article<'p>(
    doc: &ForeignDoc,
    project: &'p Project,
    options: &ImportOptions,
) -> Result<&'p Article, LoadError> {
    let first = Pos { line: 1, col: 1 };
    if let Some(id) = &options.article {
        return project.article(id).ok_or_else(|| {
            invalid(
                &doc.path,
                first,
                format!("the project has no article `{id}` (given with --article)"),
            )
        });
    }
    if let Some(id) = &doc.article
        && let Some(a) = project.article(id)
    {
        return Ok(a);
    }
    if let ForeignText::Full(text) = &doc.text {
        let fingerprint = corpus::fingerprint(text.as_bytes());
        if let Some(a) = project
            .articles
            .iter()
            .find(|a| a.fingerprint == fingerprint)
        {
            return Ok(a);
        }
    }
    let named = doc
        .article
        .as_ref()
        .map(|id| format!(" (it names `{id}`, which the project does not have)"))
        .unwrap_or_default();
    Err(invalid(
        &doc.path,
        first,
        format!(
            "cannot tell which article this file annotates{named}; no article of the project has its text. Name it with --article ID"
        ),
    ))
}

/// The claims' labels checked against the codebook, as Stance values.
struct Labels {
    speaker: Option<SpeakerRef>,
    stances: BTreeMap<String, String>,
    source: Option<String>,
}

fn check_labels(
    path: &Path,
    claim: &ForeignClaim,
    codebook: &Codebook,
) -> Result<Labels, LoadError> {
    let book = format!("codebook `{}` version {}", codebook.id, codebook.version);
    let list = |ids: Vec<&String>| {
        ids.iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut stances = BTreeMap::new();
    for (target, stance) in &claim.stances {
        let Some(t) = target_id(&target.value, codebook) else {
            return Err(invalid(
                path,
                target.at,
                format!(
                    "{}: unknown target `{}`; {book} has {}",
                    claim.label,
                    target.value,
                    list(codebook.targets.iter().map(|t| &t.id).collect())
                ),
            ));
        };
        let Some(s) = label_id(
            &stance.value,
            codebook.stances.iter().map(|l| (&l.id, &l.name)),
        ) else {
            return Err(invalid(
                path,
                stance.at,
                format!(
                    "{}: unknown stance label `{}`; {book} has {}",
                    claim.label,
                    stance.value,
                    list(codebook.stances.iter().map(|l| &l.id).collect())
                ),
            ));
        };
        stances.insert(t.to_owned(), s.to_owned());
    }
    let source = match &claim.source {
        None => None,
        Some(s) => Some(
            label_id(
                &s.value,
                codebook.source_types.iter().map(|l| (&l.id, &l.name)),
            )
            .ok_or_else(|| {
                invalid(
                    path,
                    s.at,
                    format!(
                        "{}: unknown source type `{}`; {book} has {}",
                        claim.label,
                        s.value,
                        list(codebook.source_types.iter().map(|l| &l.id).collect())
                    ),
                )
            })?
            .to_owned(),
        ),
    };
    let speaker = claim
        .speaker
        .as_ref()
        .and_then(|s| parse_speaker(&s.value, codebook));
    Ok(Labels {
        speaker,
        stances,
        source,
    })
}

/// Converts a claim's offsets in `unit` to a byte range of the text `offsets` was built on.
fn byte_range(
    path: &Path,
    claim: &ForeignClaim,
    range: Range<usize>,
    offsets: &Offsets,
    unit: Unit,
) -> Result<Range<usize>, LoadError> {
    let unit_name = match unit {
        Unit::CodePoints => "characters",
        Unit::Utf16 => "UTF-16 units",
    };
    let (Some(start), Some(end)) = (
        offsets.to_byte(unit, range.start),
        offsets.to_byte(unit, range.end),
    ) else {
        return Err(invalid(
            path,
            claim.at,
            format!(
                "{}: offsets {}..{} do not lie on characters of the text ({} {unit_name} long)",
                claim.label,
                range.start,
                range.end,
                offsets.len(unit)
            ),
        ));
    };
    if start >= end {
        return Err(invalid(
            path,
            claim.at,
            format!(
                "{}: the span {}..{} is empty or reversed",
                claim.label, range.start, range.end
            ),
        ));
    }
    Ok(start..end)
}

/// The document's text, and byte ranges in it that hold its real text (for a text rebuilt
/// from sentences, the padding between them is not real).
fn rebuild_text(text: &ForeignText, unit: Unit) -> String {
    match text {
        ForeignText::Full(t) => t.clone(),
        ForeignText::Sentences(sentences) => {
            let mut out = String::new();
            let mut at = 0;
            for (start, s) in sentences {
                // Pad with spaces to the sentence's offset: one per missing unit, so offsets
                // in the unit still hold in the rebuilt text.
                if *start > at {
                    out.extend(std::iter::repeat_n(' ', start - at));
                    at = *start;
                }
                if *start == at {
                    out.push_str(s);
                    at += unit.len(s);
                }
            }
            out
        }
    }
}

/// Whether the document's text is the article's, unit for unit.
fn same_text(text: &ForeignText, unit: Unit, article: &Article, offsets: &Offsets) -> bool {
    match text {
        ForeignText::Full(t) => t.as_str() == &*article.text,
        ForeignText::Sentences(sentences) => sentences.iter().all(|(start, s)| {
            offsets
                .to_byte(unit, *start)
                .and_then(|b| article.text.get(b..))
                .is_some_and(|rest| rest.starts_with(s.as_str()))
        }),
    }
}

/// Makes a Stance claim from a checked foreign claim whose byte range lies in `article`.
fn stance_claim(
    claim: &ForeignClaim,
    labels: Labels,
    range: Range<usize>,
    cue: Option<Range<usize>>,
    article: &Article,
    id: String,
    times: (DateTime<Utc>, DateTime<Utc>),
) -> Option<Claim> {
    let (first, last) = article.sentences_overlapping(&range)?;
    let text = &article.text;
    Some(Claim {
        id,
        anchor: Anchor::new(text, first, last, range.start, range.end),
        speaker: labels.speaker,
        cue: cue.map(|r| Cue {
            text: text[r.clone()].to_owned(),
            start: r.start,
            end: r.end,
        }),
        stances: labels.stances,
        source: labels.source,
        unsure: claim.unsure,
        note: claim.note.clone(),
        origin: claim.origin.clone(),
        created: times.0,
        modified: times.1,
    })
}

/// Turns a foreign document into an annotation file for the project (see the module docs).
/// Nothing is written.
#[allow(clippy::too_many_lines)] // the steps of the module docs, in order
pub fn into_annotation(
    doc: &ForeignDoc,
    project: &Project,
    options: &ImportOptions,
) -> Result<Imported, LoadError> {
    let path = doc.path.clone();
    let first = Pos { line: 1, col: 1 };
    let article = find_article(doc, project, options)?;
    let annotator = options
        .annotator
        .clone()
        .or_else(|| doc.annotator.clone())
        .ok_or_else(|| {
            invalid(
                &path,
                first,
                "the file does not say whose annotations these are; name the annotator with --annotator NAME",
            )
        })?;
    names::validate_annotator(&annotator).map_err(|e| {
        invalid(
            &path,
            first,
            format!("`{annotator}` cannot be an annotator name ({e}); give another with --annotator NAME"),
        )
    })?;
    let codebook = &project.codebook;
    let article_offsets = Offsets::new(&article.text);
    let same = same_text(&doc.text, doc.unit, article, &article_offsets);
    // Claims are built on the article itself when the texts agree, else on the file's own
    // text, to be found again in the article below.
    let own_text;
    let own_article;
    let (host, host_offsets) = if same {
        (article, article_offsets)
    } else {
        own_text = rebuild_text(&doc.text, doc.unit);
        own_article = Article::new(
            article.id.clone(),
            article.path.clone(),
            &own_text,
            &codebook.boilerplate,
        );
        let offsets = Offsets::new(&own_text);
        (&own_article, offsets)
    };
    let file_times = doc.times.unwrap_or_else(|| (now(), now()));
    let mut warnings = doc.left_out.clone();
    let mut ids = BTreeSet::new();
    let mut claims = Vec::with_capacity(doc.claims.len());
    for fc in &doc.claims {
        let labels = check_labels(&path, fc, codebook)?;
        let range = byte_range(&path, fc, fc.start..fc.end, &host_offsets, doc.unit)?;
        let cue = match &fc.cue {
            Some(c) => Some(byte_range(&path, fc, c.clone(), &host_offsets, doc.unit)?),
            None => None,
        };
        let id = match &fc.id {
            Some(id) if !id.is_empty() && !ids.contains(id) => id.clone(),
            Some(id) if ids.contains(id) => {
                warnings.push(Finding::warning(
                    &path,
                    fc.at,
                    format!(
                        "{}: claim id `{id}` is used twice; this one gets a new id",
                        fc.label
                    ),
                ));
                new_claim_id()
            }
            _ => new_claim_id(),
        };
        ids.insert(id.clone());
        let times = fc.times.unwrap_or(file_times);
        let Some(claim) = stance_claim(fc, labels, range, cue, host, id, times) else {
            return Err(invalid(
                &path,
                fc.at,
                format!("{}: the span covers only whitespace, no sentence", fc.label),
            ));
        };
        claims.push(claim);
    }
    let mut file = AnnotationFile::new(
        host.reference(),
        CodebookRef {
            id: codebook.id.clone(),
            version: codebook.version,
        },
        annotator,
    );
    file.status = Status::Done;
    file.created = file_times.0;
    file.modified = file_times.1;
    file.claims = claims;
    file.sort_claims();
    let reanchor = if same {
        None
    } else {
        // The file's text differs from the article: find every claim again as Stance does
        // when an article changes; orphans keep the file's text as their anchor and the file
        // keeps that text's fingerprint until they are attached by hand.
        let (found, report) = anchor::reanchored(&file, article);
        file = found;
        file.article.id.clone_from(&article.id);
        Some(report)
    };
    Ok(Imported {
        source: path,
        file,
        reanchor,
        warnings,
    })
}

/// The claims of `file` whose anchors hold in `article`'s text, re-anchored first if the file
/// was coded on another text, and the ids of those that could not be found (left out of an
/// export: their offsets in the current text are unknown).
pub fn anchored_claims(file: &AnnotationFile, article: &Article) -> (Vec<Claim>, Vec<String>) {
    let (file, _) = anchor::reanchored(file, article);
    let mut held = Vec::with_capacity(file.claims.len());
    let mut orphans = Vec::new();
    for c in file.claims {
        let holds = article.text.get(c.anchor.start..c.anchor.end) == Some(c.anchor.quote.as_str())
            && c.anchor.start < c.anchor.end;
        if holds {
            held.push(c);
        } else {
            orphans.push(c.id);
        }
    }
    (held, orphans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_values_round_trip_and_names_resolve() {
        let cb = Codebook::default_codebook();
        let kirby = SpeakerRef::Registry("john-kirby".into());
        assert_eq!(
            parse_speaker(&speaker_value(&kirby), &cb),
            Some(kirby.clone())
        );
        let new = SpeakerRef::New("Ляо Жень 廖任".into());
        assert_eq!(parse_speaker(&speaker_value(&new), &cb), Some(new));
        assert_eq!(parse_speaker("john kirby", &cb), Some(kirby.clone()));
        assert_eq!(parse_speaker("Kirby", &cb), Some(kirby));
        assert_eq!(parse_speaker("  ", &cb), None);
        assert_eq!(
            parse_speaker("Nobody Known", &cb),
            Some(SpeakerRef::New("Nobody Known".into()))
        );
    }

    #[test]
    fn origin_values_round_trip() {
        for o in [
            Origin::Manual,
            Origin::Suggested {
                reasons: String::new(),
            },
            Origin::Suggested {
                reasons: "mentions 'ceasefire'; quote + 'said'".into(),
            },
        ] {
            assert_eq!(parse_origin(&origin_value(&o)), o);
        }
    }

    #[test]
    fn rebuild_text_pads_to_each_sentence_offset() {
        let text = ForeignText::Sentences(vec![(0, "A 😊.".into()), (7, "B.".into())]);
        let rebuilt = rebuild_text(&text, Unit::Utf16);
        assert_eq!(rebuilt, "A 😊.  B.");
        assert_eq!(Unit::Utf16.len(&rebuilt), 9);
    }
}

/// One annotator's file on one article, its claims re-anchored in the article's current text,
/// ready to be written in another format.
#[derive(Clone, Debug)]
pub struct ExportItem {
    /// The article.
    pub article: Article,
    /// The annotator (the file's stem).
    pub annotator: String,
    /// The file as loaded.
    pub file: AnnotationFile,
    /// Its claims whose anchors hold in the article's text, in text order.
    pub claims: Vec<Claim>,
}

/// What to export.
#[derive(Clone, Debug, Default)]
pub struct ExportSelection {
    /// Only these articles (all when empty).
    pub articles: Vec<String>,
    /// Only these annotators (all, `gold` included, when empty).
    pub annotators: Vec<String>,
}

/// Every selected annotation file of the project with its anchored claims, plus warnings: files
/// that could not be read, and claims left out because they could not be found in the
/// article's text (orphans of an unfinished re-anchoring).
pub fn export_items(project: &Project, sel: &ExportSelection) -> (Vec<ExportItem>, Vec<Finding>) {
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    for article in &project.articles {
        if !sel.articles.is_empty() && !sel.articles.contains(&article.id) {
            continue;
        }
        for (annotator, path) in project.annotation_files(&article.id) {
            if !sel.annotators.is_empty() && !sel.annotators.contains(&annotator) {
                continue;
            }
            match crate::core::storage::store::load_annotation(&path, &project.codebook) {
                Ok(file) => {
                    let (claims, orphans) = anchored_claims(&file, article);
                    if !orphans.is_empty() {
                        warnings.push(Finding::warning(
                            &path,
                            Pos { line: 1, col: 1 },
                            format!(
                                "{} not found in the article's current text, left out: {} (attach them in the window first)",
                                if orphans.len() == 1 { "1 claim".to_owned() } else { format!("{} claims", orphans.len()) },
                                orphans.join(", ")
                            ),
                        ));
                    }
                    items.push(ExportItem {
                        article: article.clone(),
                        annotator,
                        file,
                        claims,
                    });
                }
                Err(e) => warnings.push(Finding::from(&e)),
            }
        }
    }
    (items, warnings)
}
