//! `stance check`: validate a project's codebook, articles and annotation files.
//!
//! Validation is data: every problem becomes a [`Finding`] with a file, a line:column and a
//! severity, and the caller decides how to show it. Loading already refuses files that cannot
//! be understood (syntax, unknown labels, duplicate ids); this module adds the checks that need
//! the article next to the file: anchors that point at the wrong bytes, files in the wrong
//! place, stale fingerprints and codebook versions.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::model::annotation::{
    AnnotationFile, Claim, CodebookRef, OFFSETS_UNIT, sentence_label,
};
use crate::core::model::codebook::{Codebook, DEFAULT_CODEBOOK_RON};
use crate::core::project::{self, ANNOTATIONS_DIR, ARTICLES_DIR, layout};
use crate::core::storage::merge;
use crate::core::storage::store::{self, LoadError, Pos};
use crate::core::text::anchor::{self, Reanchored};
use crate::core::text::corpus::Article;

pub use crate::core::storage::finding::{Finding, Severity};

/// The outcome of checking a project: the findings and how many files were looked at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Every problem found, grouped by file in the order the files were checked.
    pub findings: Vec<Finding>,
    /// How many files were read (codebook, articles, annotation files).
    pub files: usize,
}

impl CheckReport {
    /// How many findings are errors.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    /// How many findings are warnings.
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

pub use crate::core::project::walk::AnnotationLocation;

/// Every checked problem in the project in `root` (see [`check_project_report`]).
pub fn check_project(root: &Path) -> Vec<Finding> {
    check_project_report(root).findings
}

/// Checks the codebook, every article and every annotation file of the project in `root`.
///
/// Nothing is written and nothing stops the check early: a broken file becomes a finding and
/// the next file is checked, so one run lists everything there is to fix.
pub fn check_project_report(root: &Path) -> CheckReport {
    let mut report = CheckReport::default();
    let codebook = check_codebook(root, &mut report);

    if !layout::articles_dir(root).is_dir() {
        report.findings.push(Finding::error(
            root,
            Pos { line: 1, col: 1 },
            format!(
                "there is no `{ARTICLES_DIR}/` folder here; is this a stance project? A project holds `{ARTICLES_DIR}/<article>.txt` and `{ANNOTATIONS_DIR}/<article>/<annotator>.ron`"
            ),
        ));
    }
    // Articles are segmented with the codebook's boilerplate rules; if the project's codebook
    // is unreadable the default rules still let every article be checked for readability.
    let boilerplate_book = codebook.clone().unwrap_or_else(Codebook::default_codebook);
    let mut article_ids = BTreeSet::new();
    let mut articles = HashMap::new();
    let (paths, refused) = project::walk::articles(root);
    report.findings.extend(refused.iter().map(Finding::from));
    // Files are independent: read, parse and validate them on every core, then report in
    // path order as before.
    let loaded: Vec<Result<Article, LoadError>> = paths
        .par_iter()
        .map(|path| project::load_article(path, &boilerplate_book))
        .collect();
    for (path, r) in paths.iter().zip(loaded) {
        report.files += 1;
        if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
            article_ids.insert(stem.to_owned());
        }
        match r {
            Ok(a) => {
                articles.insert(a.id.clone(), a);
            }
            Err(e) => report.findings.push(Finding::from(&e)),
        }
    }

    // Where imported articles came from (`seeds/<id>.source.ron`).
    let (sidecars, sidecar_findings) =
        crate::core::interchange::articles::check_sidecars(root, &article_ids);
    report.files += sidecars;
    report.findings.extend(sidecar_findings);

    // A team project's plan (`project.ron`), when there is one.
    let (plan_read, plan_findings) = crate::core::team::plan::check(root, &article_ids);
    report.files += usize::from(plan_read);
    report.findings.extend(plan_findings);

    let (locations, not_read) = annotation_locations(root);
    report.findings.extend(not_read);
    let Some(codebook) = codebook else {
        if !locations.is_empty() {
            report.findings.push(Finding::warning(
                &layout::codebook_path(root),
                Pos { line: 1, col: 1 },
                format!(
                    "{} annotation files were not checked because the codebook could not be loaded; fix it first",
                    locations.len()
                ),
            ));
        }
        return report;
    };
    let mut warned_folders = BTreeSet::new();
    let checked: Vec<Vec<Finding>> = locations
        .par_iter()
        .map(|loc| check_file(loc, articles.get(&loc.article), &codebook))
        .collect();
    for (loc, found) in locations.iter().zip(checked) {
        report.files += 1;
        if !article_ids.contains(&loc.article) && warned_folders.insert(loc.article.clone()) {
            let folder = loc.path.parent().unwrap_or(&loc.path);
            report.findings.push(Finding::warning(
                folder,
                Pos { line: 1, col: 1 },
                format!(
                    "annotation folder for unknown article `{}`: there is no `{ARTICLES_DIR}/{}.txt`; its files are checked for syntax only",
                    loc.article, loc.article
                ),
            ));
        }
        report.findings.extend(found);
    }
    report
}

/// Reads, parses and validates one annotation file against its article (syntax and labels
/// only when the article is unknown).
fn check_file(
    loc: &AnnotationLocation,
    article: Option<&Article>,
    codebook: &Codebook,
) -> Vec<Finding> {
    let text = match store::read_text(&loc.path, "a stance annotation file (RON)") {
        Ok(text) => text,
        Err(e) => return vec![Finding::from(&e)],
    };
    match store::parse_annotation(&loc.path, &text, codebook) {
        Err(e) => {
            let mut f = Finding::from(&e);
            if matches!(e, LoadError::Invalid { .. })
                && let Some(hint) = migrate_hint(&text, codebook)
            {
                f.message.push_str(&hint);
            }
            vec![f]
        }
        Ok(file) => {
            let Some(article) = article else {
                return Vec::new();
            };
            let mut found = validate_annotation(&file, &text, &loc.path, article, codebook);
            found.sort_by_key(|f| f.pos);
            found
        }
    }
}

/// Just the codebook reference of an annotation file, readable even when its labels are not.
#[derive(serde::Deserialize)]
struct CodebookProbe {
    codebook: CodebookRef,
}

/// When a file was refused for its labels and it comes from an older version of the same
/// codebook, the labels are probably ones a migration renames: say so.
fn migrate_hint(text: &str, codebook: &Codebook) -> Option<String> {
    let probe: CodebookProbe = ron::Options::default()
        .with_recursion_limit(store::MAX_RON_DEPTH)
        .from_str(text)
        .ok()?;
    (probe.codebook.id == codebook.id && probe.codebook.version < codebook.version).then(|| {
        format!(
            " (the file uses version {} of the codebook; `stance migrate` may fix this)",
            probe.codebook.version
        )
    })
}

/// Loads the project's codebook (or the default) and records its problems. `None` when it
/// cannot be parsed at all.
fn check_codebook(root: &Path, report: &mut CheckReport) -> Option<Codebook> {
    let path = layout::codebook_path(root);
    let (codebook, text, shown_path) = if std::fs::symlink_metadata(&path).is_ok() {
        report.files += 1;
        if let Some(e) = project::walk::escape(root, &path) {
            report
                .findings
                .push(Finding::error(&path, Pos { line: 1, col: 1 }, e.reason()));
            return None;
        }
        let loaded = store::read_text(&path, "a stance codebook (RON)")
            .and_then(|text| store::parse_ron::<Codebook>(&path, &text).map(|cb| (cb, text)));
        match loaded {
            Ok((cb, text)) => (cb, text, path),
            Err(e) => {
                report.findings.push(Finding::from(&e));
                return None;
            }
        }
    } else {
        // The embedded codebook is proven valid by a unit test; checking it anyway costs
        // nothing and keeps a custom build honest.
        (
            Codebook::default_codebook(),
            DEFAULT_CODEBOOK_RON.to_owned(),
            PathBuf::from("<default codebook>"),
        )
    };
    for problem in codebook.validate() {
        report.findings.push(Finding::error(
            &shown_path,
            project::codebook_problem_pos(&text, &problem),
            format!("the codebook contradicts itself: {problem}"),
        ));
    }
    Some(codebook)
}

pub use crate::core::project::walk::annotation_locations;

/// Checks one loaded annotation file against its article and codebook.
///
/// `text` is the file's RON text, used only to give each finding a line and column; `path`
/// is where the file is, which must be `annotations/<article>/<annotator>.ron`.
pub fn validate_annotation(
    file: &AnnotationFile,
    text: &str,
    path: &Path,
    article: &Article,
    codebook: &Codebook,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let at = |needle: &str| store::locate(text, needle);

    check_location(file, text, path, article, &mut out);

    if file.offsets != OFFSETS_UNIT {
        out.push(Finding::error(
            path,
            at("offsets:"),
            format!(
                "offsets are counted as `{}`, which this build does not understand; expected `{OFFSETS_UNIT}`",
                file.offsets
            ),
        ));
    }
    let same_text = file.article.fingerprint == article.fingerprint;
    // On a changed article, what opening the file in stance would do to each claim: the
    // same re-anchoring, so a claim whose text is gone is reported as the orphan it becomes.
    let reanchor = (!same_text).then(|| anchor::reanchor(file, article));
    if let Some(report) = &reanchor {
        out.push(Finding::warning(
            path,
            at("fingerprint:"),
            format!(
                "the article changed since this file was coded; opening it in stance re-anchors the claims ({report})"
            ),
        ));
    }
    if let Some(message) = codebook_mismatch(file, codebook) {
        out.push(Finding::warning(path, at("codebook:"), message));
    }
    if file.modified < file.created {
        out.push(Finding::warning(
            path,
            at("modified:"),
            "the file's `modified` time is before its `created` time; is the clock right?",
        ));
    }

    // Claims appear in the text in file order, so each id is searched for from the previous
    // one, and line:column (a scan from the top) is worked out only for a finding: searching
    // and counting from the top for every claim made a 3,000-claim file take seconds.
    let mut search_from = text.find("claims:").unwrap_or(0);
    let mut previous: Option<(usize, usize, &str)> = None;
    for (k, claim) in file.claims.iter().enumerate() {
        let claim_offset = find_from(text, search_from, &format!("id: \"{}\"", claim.id));
        search_from = claim_offset;
        let claim_pos = || Pos::of_offset(text, claim_offset);
        let field = |name: &str| Pos::of_offset(text, find_from(text, claim_offset, name));
        let mut push = |f: Finding| out.push(f.for_claim(&claim.id));

        let key = (claim.anchor.start, claim.anchor.end, claim.id.as_str());
        if previous.is_some_and(|p| p > key) {
            push(Finding::warning(
                path,
                claim_pos(),
                format!(
                    "claim `{}` is out of text order (it starts before the claim above it); saving the file in stance sorts the claims",
                    claim.id
                ),
            ));
        }
        previous = Some(key);

        if claim.modified < claim.created {
            push(Finding::warning(
                path,
                field("modified:"),
                format!(
                    "claim `{}` was modified before it was created; is the clock right?",
                    claim.id
                ),
            ));
        }

        let a = &claim.anchor;
        let outcome = reanchor.as_ref().and_then(|r| r.claims.get(k));
        let problem = match outcome {
            Some(o) if a.start < a.end => stale_anchor(&o.outcome, article),
            _ => check_span(&article.text, a.start, a.end, &a.quote, same_text),
        };
        if let Some((severity, message)) = problem {
            push(finding(
                severity,
                path,
                field("start:"),
                format!("claim `{}`: anchor {message}", claim.id),
            ));
        } else if same_text {
            check_sentences(claim, article, path, || field("first:"), &mut push);
        }
        if let Some(cue) = &claim.cue
            && let Some((severity, message)) =
                check_span(&article.text, cue.start, cue.end, &cue.text, same_text)
        {
            push(finding(
                severity,
                path,
                field("cue:"),
                format!("claim `{}`: cue {message}", claim.id),
            ));
        }
        // An unresolved merge: CI must catch it before it is counted in agreement.
        if let Some(message) = merge_markers(claim) {
            push(Finding::warning(path, field("note:"), message));
        }
    }
    contradicting_twins(file, text, path, &mut out);
    out
}

/// The warning for `<<merge conflict>>` lines left in a claim's note, if any.
fn merge_markers(claim: &Claim) -> Option<String> {
    let markers: Vec<&str> = claim
        .note
        .lines()
        .filter(|l| l.starts_with(merge::MARKER))
        .collect();
    let first = markers.first()?;
    let more = match markers.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    Some(format!(
        "claim `{}` has an unresolved merge conflict: {}{more}; set the field to the right value, then delete the `{}` line from the note (the window's Validation panel lists them)",
        claim.id,
        first.strip_prefix(merge::MARKER).unwrap_or(first).trim(),
        merge::MARKER
    ))
}

/// Two claims of one file on the same sentences, by the same speaker, that code a target or
/// the source type differently: what an add/add merge of two clones leaves. (Two claims on a
/// sentence with different speakers, a reported view and the author's, are ordinary.)
fn contradicting_twins(file: &AnnotationFile, text: &str, path: &Path, out: &mut Vec<Finding>) {
    let mut seen: HashMap<(u32, u32), Vec<&Claim>> = HashMap::new();
    for claim in &file.claims {
        let earlier = seen
            .entry((claim.anchor.first, claim.anchor.last))
            .or_default();
        for other in earlier.iter() {
            if other.speaker != claim.speaker {
                continue;
            }
            let stance = claim.stances.iter().find_map(|(target, mine)| {
                other
                    .stances
                    .get(target)
                    .filter(|theirs| *theirs != mine)
                    .map(|theirs| format!("stance on {target}: {theirs} vs {mine}"))
            });
            let source = match (&other.source, &claim.source) {
                (Some(a), Some(b)) if a != b => Some(format!("source type: {a} vs {b}")),
                _ => None,
            };
            if let Some(what) = stance.or(source) {
                out.push(
                    Finding::warning(
                        path,
                        store::locate(text, &format!("id: \"{}\"", claim.id)),
                        format!(
                            "claims `{}` and `{}` cover the same sentences ({}) with the same speaker but contradict each other ({what}); an add/add merge leaves such pairs: keep the right one and delete the other",
                            other.id,
                            claim.id,
                            sentence_label(claim.anchor.first, claim.anchor.last)
                        ),
                    )
                    .for_claim(&claim.id),
                );
                break;
            }
        }
        earlier.push(claim);
    }
}

fn finding(severity: Severity, path: &Path, pos: Pos, message: String) -> Finding {
    match severity {
        Severity::Error => Finding::error(path, pos, message),
        Severity::Warning => Finding::warning(path, pos, message),
    }
}

/// The byte offset of `needle` at or after `from` (or `from` itself when it is absent).
fn find_from(text: &str, from: usize, needle: &str) -> usize {
    text.get(from..)
        .and_then(|rest| rest.find(needle))
        .map_or(from, |i| from + i)
}

/// The file must sit at `annotations/<article>/<annotator>.ron` and say so inside.
fn check_location(
    file: &AnnotationFile,
    text: &str,
    path: &Path,
    article: &Article,
    out: &mut Vec<Finding>,
) {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if file.annotator != stem {
        out.push(Finding::error(
            path,
            store::locate(text, "annotator:"),
            format!(
                "the file says its annotator is `{}` but it is named `{stem}.ron`; rename the file or fix the `annotator` field",
                file.annotator
            ),
        ));
    }
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|s| s.to_str())
        .unwrap_or(&article.id);
    if file.article.id != folder || file.article.id != article.id {
        let article_at = text.find("article:").unwrap_or(0);
        out.push(Finding::error(
            path,
            Pos::of_offset(text, find_from(text, article_at, "id:")),
            format!(
                "the file says it annotates article `{}` but it is in the folder of article `{folder}`; move it to `{ANNOTATIONS_DIR}/{}/` or fix the article id",
                file.article.id, file.article.id
            ),
        ));
    }
}

/// Why the file's codebook reference does not match the codebook in use, if it does not.
fn codebook_mismatch(file: &AnnotationFile, codebook: &Codebook) -> Option<String> {
    let (id, version) = (&file.codebook.id, file.codebook.version);
    if *id != codebook.id {
        Some(format!(
            "the file was coded with codebook `{id}` but the project uses `{}`; labels may not mean the same",
            codebook.id
        ))
    } else if version < codebook.version {
        Some(format!(
            "the file was coded with version {version} of codebook `{id}`, the project uses version {}; run `stance migrate` to update the labels",
            codebook.version
        ))
    } else if version > codebook.version {
        Some(format!(
            "the file was coded with version {version} of codebook `{id}`, newer than the project's version {}; update the project's codebook",
            codebook.version
        ))
    } else {
        None
    }
}

/// What re-anchoring will do to a claim of a file coded on another text of `article`; `None`
/// when its quote is still at its bytes.
fn stale_anchor(outcome: &Reanchored, article: &Article) -> Option<(Severity, String)> {
    // Sentences as the window numbers them, from 1.
    let place = |to: &std::ops::Range<usize>| match article.sentences_overlapping(to) {
        Some((f, l)) if f == l => format!("sentence {}", f + 1),
        Some((f, l)) => format!("sentences {}-{}", f + 1, l + 1),
        None => format!("bytes {}..{}", to.start, to.end),
    };
    let message = match outcome {
        Reanchored::Unchanged => return None,
        Reanchored::Moved { to, .. } => format!(
            "text moved to bytes {}..{} ({}) of the changed article; it will be re-anchored there",
            to.start,
            to.end,
            place(to)
        ),
        Reanchored::Edited { to, .. } => format!(
            "text was edited in the changed article; it will be re-anchored to the edited text at bytes {}..{} ({}): check the coding still fits",
            to.start,
            to.end,
            place(to)
        ),
        Reanchored::Orphaned => "text is no longer in the changed article: the claim will be orphaned (kept, with its coding, until it is attached to a sentence by hand in the window)".to_owned(),
    };
    Some((Severity::Warning, message))
}

/// Checks that `start..end` is a span of `text` holding exactly `quote`.
///
/// When the article changed (`same_text` false) offsets are expected to be stale: a span that
/// no longer holds its quote is a warning, since the claim is found again by its quote.
fn check_span(
    text: &str,
    start: usize,
    end: usize,
    quote: &str,
    same_text: bool,
) -> Option<(Severity, String)> {
    if start >= end {
        return Some((
            Severity::Error,
            format!("is empty or reversed (start {start}, end {end})"),
        ));
    }
    if !same_text {
        return (text.get(start..end) != Some(quote)).then(|| {
            (
                Severity::Warning,
                format!(
                    "text is no longer at bytes {start}..{end} of the changed article; it will be re-anchored"
                ),
            )
        });
    }
    if end > text.len() {
        return Some((
            Severity::Error,
            format!(
                "bytes {start}..{end} are out of range: the article has {} bytes",
                text.len()
            ),
        ));
    }
    if let Some(b) = [start, end]
        .into_iter()
        .find(|&b| !text.is_char_boundary(b))
    {
        return Some((
            Severity::Error,
            format!(
                "splits a UTF-8 character at byte {b} (bytes {start}..{end}); offsets must fall between characters"
            ),
        ));
    }
    let actual = &text[start..end];
    (actual != quote).then(|| {
        (
            Severity::Error,
            format!(
                "text {quote:?} does not match the article at bytes {start}..{end}, which hold {actual:?}"
            ),
        )
    })
}

/// The anchor's sentence indices must be the sentences its bytes overlap. A mismatch is a
/// warning: the bytes are the truth, and segmentation rules can change under a file.
fn check_sentences(
    claim: &crate::core::model::annotation::Claim,
    article: &Article,
    path: &Path,
    pos: impl Fn() -> Pos,
    push: &mut impl FnMut(Finding),
) {
    let a = &claim.anchor;
    let n = article.sentences.len();
    // Sentences as people count them (from 1, `s5-6`), with the file's own 0-based fields
    // beside them so the line in the file can be found.
    let fields = format!("`first: {}, last: {}`", a.first, a.last);
    if a.first > a.last || a.last as usize >= n {
        push(Finding::warning(
            path,
            pos(),
            format!(
                "claim `{}`: sentences {} ({fields}) are out of range (the article has {n} sentences); re-save the file in stance to recompute them",
                claim.id,
                sentence_label(a.first, a.last)
            ),
        ));
        return;
    }
    let covered = article.sentences_overlapping(&(a.start..a.end));
    if covered != Some((a.first, a.last)) {
        let actual = covered.map_or_else(
            || "no sentence".to_owned(),
            |(f, l)| format!("sentences {}", sentence_label(f, l)),
        );
        push(Finding::warning(
            path,
            pos(),
            format!(
                "claim `{}`: the file says sentences {} ({fields}) but bytes {}..{} lie in {actual} (did the segmentation change?); re-save the file in stance to recompute them",
                claim.id,
                sentence_label(a.first, a.last),
                a.start,
                a.end
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{
        Anchor, AnnotationFile, Claim, CodebookRef, Cue, Origin, now,
    };
    use crate::core::model::codebook::Boilerplate;

    const TEXT: &str = "Headline\n\nThe minister said “peace” is near. Others disagree.\n";

    fn article() -> Article {
        Article::new(
            "a1".into(),
            PathBuf::from("seeds/a1.txt"),
            TEXT,
            &Boilerplate::default(),
        )
    }

    fn claim(id: &str, article: &Article, sentence: u32) -> Claim {
        let r = article.sentences[sentence as usize].range.clone();
        Claim {
            id: id.into(),
            anchor: Anchor::new(&article.text, sentence, sentence, r.start, r.end),
            speaker: None,
            cue: None,
            stances: [("ceasefire".to_owned(), "favor".to_owned())].into(),
            source: None,
            unsure: false,
            note: String::new(),
            origin: Origin::Manual,
            created: now(),
            modified: now(),
        }
    }

    fn file(article: &Article, claims: Vec<Claim>) -> AnnotationFile {
        let cb = Codebook::default_codebook();
        let mut f = AnnotationFile::new(
            article.reference(),
            CodebookRef {
                id: cb.id.clone(),
                version: cb.version,
            },
            "alice",
        );
        f.claims = claims;
        f
    }

    fn validate(f: &AnnotationFile, article: &Article) -> Vec<Finding> {
        let text = store::to_ron(f).unwrap();
        validate_annotation(
            f,
            &text,
            Path::new("p/annotations/a1/alice.ron"),
            article,
            &Codebook::default_codebook(),
        )
    }

    #[test]
    fn a_correct_file_has_no_findings() {
        let a = article();
        let f = file(&a, vec![claim("c1", &a, 0), claim("c2", &a, 1)]);
        assert_eq!(validate(&f, &a), vec![]);
    }

    #[test]
    fn quote_mismatch_is_an_error_positioned_at_the_claim() {
        let a = article();
        let mut c = claim("c1", &a, 1);
        c.anchor.quote = "something else".into();
        let f = file(&a, vec![c]);
        let text = store::to_ron(&f).unwrap();
        let found = validate(&f, &a);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].is_error());
        assert!(found[0].message.contains("does not match"), "{found:?}");
        assert_eq!(found[0].claim.as_deref(), Some("c1"));
        let claim_line = Pos::of_offset(&text, text.find("id: \"c1\"").unwrap()).line;
        assert!(found[0].pos.line > claim_line);
        assert!(
            text.lines()
                .nth(found[0].pos.line - 1)
                .unwrap()
                .contains("start:")
        );
    }

    #[test]
    fn split_character_and_out_of_range() {
        let a = article();
        let curly = TEXT.find('“').unwrap();
        let mut c = claim("c1", &a, 1);
        c.anchor.start = curly + 1;
        let mut d = claim("c2", &a, 1);
        d.anchor.end = TEXT.len() + 5;
        // d first: it starts earlier, so neither claim is out of text order.
        let found = validate(&file(&a, vec![d, c]), &a);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].message.contains("out of range"), "{found:?}");
        assert!(
            found[1].message.contains("splits a UTF-8 character"),
            "{found:?}"
        );
        assert!(found.iter().all(Finding::is_error));
    }

    #[test]
    fn changed_article_downgrades_stale_offsets_to_warnings() {
        let a = article();
        let mut f = file(&a, vec![claim("c1", &a, 1)]);
        f.claims[0].anchor.start += 1000;
        f.claims[0].anchor.end += 1000;
        f.article.fingerprint = "sha256:00".into();
        let found = validate(&f, &a);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|f| f.severity == Severity::Warning));
        assert!(found[0].message.contains("the article changed"));
        assert!(found[1].message.contains("re-anchored"));
    }

    #[test]
    fn wrong_place_order_times_sentences_and_cue() {
        let a = article();
        let mut late = claim("c2", &a, 1);
        late.anchor.first = 0;
        late.cue = Some(Cue {
            start: 0,
            end: 3,
            text: "Hex".into(),
        });
        let mut early = claim("c1", &a, 0);
        early.created = early.modified + chrono::Duration::seconds(5);
        let mut f = file(&a, vec![late, early]);
        f.annotator = "bob".into();
        f.codebook.version = 0;
        let found = validate(&f, &a);
        let has = |s: &str| found.iter().any(|f| f.message.contains(s));
        assert!(has("its annotator is `bob`"), "{found:?}");
        assert!(has("run `stance migrate`"), "{found:?}");
        assert!(has("out of text order"), "{found:?}");
        assert!(has("modified before it was created"), "{found:?}");
        // Sentences as people count them, the file's own fields beside them (issue 13.14).
        assert!(
            has("the file says sentences s1-2 (`first: 0, last: 1`)"),
            "{found:?}"
        );
        assert!(has("cue text \"Hex\" does not match"), "{found:?}");
    }

    #[test]
    fn refused_labels_from_an_older_codebook_suggest_migrate() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("seeds")).unwrap();
        std::fs::write(root.join("seeds/a1.txt"), TEXT).unwrap();
        let mut cb = Codebook::default_codebook();
        cb.version = 2;
        cb.migrations = vec![crate::core::model::codebook::Migration {
            from: 1,
            to: 2,
            changes: vec![],
        }];
        std::fs::write(root.join("codebook.ron"), store::to_ron(&cb).unwrap()).unwrap();
        let a = article();
        let mut f = file(&a, vec![claim("c1", &a, 1)]);
        f.claims[0]
            .stances
            .insert("ceasefire".into(), "mixed".into());
        let path = project::annotation_path(root, "a1", "alice").unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        store::save_annotation(&path, &f).unwrap();

        let findings = check_project(root);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].message.contains("unknown stance label `mixed`"));
        assert!(
            findings[0].message.ends_with(
                "(the file uses version 1 of the codebook; `stance migrate` may fix this)"
            ),
            "{findings:?}"
        );
    }

    #[test]
    fn finding_display_is_editor_style() {
        let f = Finding::warning(Path::new("a/b.ron"), Pos { line: 3, col: 7 }, "look");
        assert_eq!(f.to_string(), "a/b.ron:3:7: warning: look");
    }
}
