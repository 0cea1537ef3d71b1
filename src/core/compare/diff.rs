//! Claim-by-claim difference between two versions of an annotation file.
//!
//! Claims are matched by id, so a diff says "claim k82weg9cdt: stance ceasefire favor →
//! against" where a line diff of the RON would show a moved brace. Header fields (status,
//! times, article, codebook) are compared too. The result is data; its `Display` is the text
//! `stance diff` prints.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use crate::core::model::annotation::{
    AnnotationFile, Claim, FORMAT_VERSION, sentence_label, speaker_text,
};
use crate::core::storage::store::{self, LoadError};

/// One field that differs: its name and its old and new values, as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// The field (`status`, `speaker`, `stance ceasefire`…).
    pub field: String,
    /// The old value, as shown.
    pub old: String,
    /// The new value, as shown.
    pub new: String,
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} → {}", self.field, self.old, self.new)
    }
}

/// What happened to one claim id.
#[derive(Clone, Debug, PartialEq)]
pub enum ClaimDiff {
    /// Only in the new file.
    Added(Claim),
    /// Only in the old file.
    Removed(Claim),
    /// In both, with these fields changed.
    Changed {
        /// The claim in the new file.
        claim: Claim,
        /// The changed fields.
        changes: Vec<FieldChange>,
    },
}

impl ClaimDiff {
    /// The claim as it is now (or was, for a removed claim).
    pub fn claim(&self) -> &Claim {
        match self {
            Self::Added(c) | Self::Removed(c) | Self::Changed { claim: c, .. } => c,
        }
    }
}

/// The difference between two annotation files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileDiff {
    /// Changed header fields.
    pub header: Vec<FieldChange>,
    /// Added, removed and changed claims, in text order.
    pub claims: Vec<ClaimDiff>,
}

impl FileDiff {
    /// Whether the two files say the same thing.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty() && self.claims.is_empty()
    }

    /// How many claims were added, removed and changed.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut n = (0, 0, 0);
        for c in &self.claims {
            match c {
                ClaimDiff::Added(_) => n.0 += 1,
                ClaimDiff::Removed(_) => n.1 += 1,
                ClaimDiff::Changed { .. } => n.2 += 1,
            }
        }
        n
    }
}

/// A free text shown quoted, cut after `max` characters so long quotes stay on one line.
fn quoted(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(max).collect();
        format!("{head:?}…")
    }
}

/// An optional label: the label, or `(none)`.
fn opt(v: Option<&String>) -> String {
    v.map_or_else(|| "(none)".to_owned(), Clone::clone)
}

/// The claim's fields in one line: speaker, stances, source and flags.
pub fn describe_claim(c: &Claim) -> String {
    let mut parts = vec![format!("speaker {}", speaker_text(c.speaker.as_ref()))];
    for (t, s) in &c.stances {
        parts.push(format!("{t} {s}"));
    }
    parts.push(format!("source {}", opt(c.source.as_ref())));
    if c.unsure {
        parts.push("unsure".to_owned());
    }
    parts.join(", ")
}

impl fmt::Display for ClaimDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.claim();
        let at = sentence_label(c.anchor.first, c.anchor.last);
        let quote = quoted(&c.anchor.quote, 60);
        match self {
            Self::Added(_) => {
                writeln!(f, "+ claim {} {at} {quote}", c.id)?;
                writeln!(f, "+     {}", describe_claim(c))
            }
            Self::Removed(_) => {
                writeln!(f, "- claim {} {at} {quote}", c.id)?;
                writeln!(f, "-     {}", describe_claim(c))
            }
            Self::Changed { changes, .. } => {
                writeln!(f, "~ claim {} {at} {quote}", c.id)?;
                for ch in changes {
                    writeln!(f, "~     {ch}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for FileDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for h in &self.header {
            writeln!(f, "{h}")?;
        }
        for c in &self.claims {
            write!(f, "{c}")?;
        }
        if !self.claims.is_empty() {
            let (added, removed, changed) = self.counts();
            writeln!(
                f,
                "{added} added, {removed} removed, {changed} changed (by claim id)"
            )?;
        }
        Ok(())
    }
}

/// Pushes a change when `old` and `new` differ.
fn push(out: &mut Vec<FieldChange>, field: &str, old: String, new: String) {
    if old != new {
        out.push(FieldChange {
            field: field.to_owned(),
            old,
            new,
        });
    }
}

/// The header fields that differ between two files.
pub fn header_changes(old: &AnnotationFile, new: &AnnotationFile) -> Vec<FieldChange> {
    let mut out = Vec::new();
    push(
        &mut out,
        "format",
        old.format.to_string(),
        new.format.to_string(),
    );
    push(
        &mut out,
        "offsets",
        old.offsets.clone(),
        new.offsets.clone(),
    );
    push(
        &mut out,
        "article",
        old.article.id.clone(),
        new.article.id.clone(),
    );
    push(
        &mut out,
        "article fingerprint",
        old.article.fingerprint.clone(),
        new.article.fingerprint.clone(),
    );
    let book = |f: &AnnotationFile| format!("{} version {}", f.codebook.id, f.codebook.version);
    push(&mut out, "codebook", book(old), book(new));
    push(
        &mut out,
        "annotator",
        old.annotator.clone(),
        new.annotator.clone(),
    );
    push(
        &mut out,
        "status",
        format!("{:?}", old.status),
        format!("{:?}", new.status),
    );
    push(
        &mut out,
        "created",
        old.created.to_rfc3339(),
        new.created.to_rfc3339(),
    );
    push(
        &mut out,
        "modified",
        old.modified.to_rfc3339(),
        new.modified.to_rfc3339(),
    );
    out
}

/// The fields that differ between two versions of one claim.
pub fn claim_changes(old: &Claim, new: &Claim) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let (a, b) = (&old.anchor, &new.anchor);
    push(
        &mut out,
        "sentences",
        sentence_label(a.first, a.last),
        sentence_label(b.first, b.last),
    );
    push(
        &mut out,
        "bytes",
        format!("{}..{}", a.start, a.end),
        format!("{}..{}", b.start, b.end),
    );
    push(
        &mut out,
        "quote",
        quoted(&a.quote, 60),
        quoted(&b.quote, 60),
    );
    push(
        &mut out,
        "context before",
        quoted(&a.before, 40),
        quoted(&b.before, 40),
    );
    push(
        &mut out,
        "context after",
        quoted(&a.after, 40),
        quoted(&b.after, 40),
    );
    push(
        &mut out,
        "speaker",
        speaker_text(old.speaker.as_ref()),
        speaker_text(new.speaker.as_ref()),
    );
    let cue = |c: &Claim| {
        c.cue.as_ref().map_or_else(
            || "(none)".to_owned(),
            |q| format!("{:?} at {}..{}", q.text, q.start, q.end),
        )
    };
    push(&mut out, "cue", cue(old), cue(new));
    let targets: BTreeSet<&String> = old.stances.keys().chain(new.stances.keys()).collect();
    for t in targets {
        push(
            &mut out,
            &format!("stance {t}"),
            opt(old.stances.get(t)),
            opt(new.stances.get(t)),
        );
    }
    push(
        &mut out,
        "source",
        opt(old.source.as_ref()),
        opt(new.source.as_ref()),
    );
    push(
        &mut out,
        "unsure",
        old.unsure.to_string(),
        new.unsure.to_string(),
    );
    push(
        &mut out,
        "note",
        quoted(&old.note, 80),
        quoted(&new.note, 80),
    );
    push(
        &mut out,
        "created",
        old.created.to_rfc3339(),
        new.created.to_rfc3339(),
    );
    push(
        &mut out,
        "modified",
        old.modified.to_rfc3339(),
        new.modified.to_rfc3339(),
    );
    out
}

/// The difference between two versions of a file. `None` stands for a file that does not
/// exist on that side (git's `/dev/null` for an added or deleted file): every claim is then
/// added or removed, and the header is not compared.
pub fn diff(old: Option<&AnnotationFile>, new: Option<&AnnotationFile>) -> FileDiff {
    let header = match (old, new) {
        (Some(o), Some(n)) => header_changes(o, n),
        _ => Vec::new(),
    };
    let by_id = |f: Option<&AnnotationFile>| -> BTreeMap<String, Claim> {
        f.map(|f| f.claims.iter().map(|c| (c.id.clone(), c.clone())).collect())
            .unwrap_or_default()
    };
    let (olds, news) = (by_id(old), by_id(new));
    let mut claims = Vec::new();
    for (id, n) in &news {
        match olds.get(id) {
            None => claims.push(ClaimDiff::Added(n.clone())),
            Some(o) => {
                let changes = claim_changes(o, n);
                if !changes.is_empty() {
                    claims.push(ClaimDiff::Changed {
                        claim: n.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for (id, o) in &olds {
        if !news.contains_key(id) {
            claims.push(ClaimDiff::Removed(o.clone()));
        }
    }
    claims.sort_by(|x, y| {
        let (a, b) = (x.claim(), y.claim());
        (a.anchor.start, a.anchor.end, &a.id).cmp(&(b.anchor.start, b.anchor.end, &b.id))
    });
    FileDiff { header, claims }
}

/// [`diff`] of two existing files.
pub fn diff_files(old: &AnnotationFile, new: &AnnotationFile) -> FileDiff {
    diff(Some(old), Some(new))
}

/// Loads an annotation file for diffing and merging: size limit, UTF-8, RON with positions,
/// format version and unique claim ids — but no labels checked against a codebook.
///
/// Diff and merge work on files outside any project (git hands the drivers temporary copies)
/// and on files from another codebook version, so they cannot refuse unknown labels; they
/// do need ids to be unique, since claims are matched by id.
pub fn load_lenient(path: &Path) -> Result<AnnotationFile, LoadError> {
    let text = store::read_text(path, "a stance annotation file (RON)")?;
    parse_lenient(path, &text)
}

/// Parses annotation text read from `path` (see [`load_lenient`]).
pub fn parse_lenient(path: &Path, text: &str) -> Result<AnnotationFile, LoadError> {
    let file: AnnotationFile = store::parse_ron(path, text)?;
    if file.format != FORMAT_VERSION {
        return Err(LoadError::UnsupportedFormat {
            path: path.to_owned(),
            pos: store::locate(text, "format:"),
            found: file.format,
            supported: FORMAT_VERSION,
        });
    }
    let mut ids = BTreeSet::new();
    if let Some(dup) = file.claims.iter().find(|c| !ids.insert(c.id.as_str())) {
        return Err(LoadError::Invalid {
            path: path.to_owned(),
            pos: store::locate(text, &format!("id: \"{}\"", dup.id)),
            message: format!(
                "claim id `{}` is used twice; claim ids must be unique",
                dup.id
            ),
        });
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::{Anchor, ArticleRef, CodebookRef, SpeakerRef, Status};

    const TEXT: &str = "Title\n\nOne says peace. Two says war.\n";

    fn claim(id: &str, sentence: u32) -> Claim {
        let needle = ["Title", "One", "Two"][sentence as usize];
        let start = TEXT.find(needle).unwrap();
        let end = start + TEXT[start..].find(['.', '\n']).unwrap();
        Claim {
            id: id.into(),
            anchor: Anchor::new(TEXT, sentence, sentence, start, end),
            speaker: Some(SpeakerRef::Registry("author".into())),
            cue: None,
            stances: [("ceasefire".to_owned(), "favor".to_owned())].into(),
            source: Some("author".into()),
            unsure: false,
            note: String::new(),
            origin: crate::core::model::annotation::Origin::Manual,
            created: "2024-01-01T00:00:00Z".parse().unwrap(),
            modified: "2024-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    fn file(claims: Vec<Claim>) -> AnnotationFile {
        let mut f = AnnotationFile::new(
            ArticleRef {
                id: "a".into(),
                fingerprint: "sha256:0".into(),
            },
            CodebookRef {
                id: "cb".into(),
                version: 1,
            },
            "amira",
        );
        f.created = "2024-01-01T00:00:00Z".parse().unwrap();
        f.modified = f.created;
        f.claims = claims;
        f
    }

    #[test]
    fn identical_files_have_an_empty_diff() {
        let f = file(vec![claim("c1", 1)]);
        let d = diff_files(&f, &f.clone());
        assert!(d.is_empty());
        assert_eq!(d.to_string(), "");
    }

    #[test]
    fn added_removed_and_changed_claims_in_text_order() {
        let old = file(vec![claim("c1", 1), claim("c2", 2)]);
        let mut new = old.clone();
        new.status = Status::Done;
        new.claims.remove(1);
        new.claims[0]
            .stances
            .insert("ceasefire".into(), "against".into());
        new.claims[0]
            .stances
            .insert("mediation".into(), "neutral".into());
        new.claims[0].speaker = Some(SpeakerRef::New("A Minister".into()));
        new.claims.insert(0, claim("c0", 0));
        let d = diff_files(&old, &new);
        assert_eq!(d.counts(), (1, 1, 1));
        let ids: Vec<&str> = d.claims.iter().map(|c| c.claim().id.as_str()).collect();
        assert_eq!(ids, ["c0", "c1", "c2"]);
        let ClaimDiff::Changed { changes, .. } = &d.claims[1] else {
            panic!("c1 changed: {d:?}");
        };
        let shown: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "speaker: author → \"A Minister\"",
                "stance ceasefire: favor → against",
                "stance mediation: (none) → neutral",
            ]
        );
        let text = d.to_string();
        assert!(text.starts_with("status: InProgress → Done\n"), "{text}");
        assert!(text.contains("+ claim c0 s1 \"Title\"\n"), "{text}");
        assert!(text.contains("- claim c2 s3 \"Two says war\"\n"), "{text}");
        assert!(
            text.contains("~     stance ceasefire: favor → against\n"),
            "{text}"
        );
        assert!(
            text.ends_with("1 added, 1 removed, 1 changed (by claim id)\n"),
            "{text}"
        );
    }

    #[test]
    fn a_missing_side_adds_or_removes_everything() {
        let f = file(vec![claim("c1", 1), claim("c2", 2)]);
        assert_eq!(diff(None, Some(&f)).counts(), (2, 0, 0));
        assert_eq!(diff(Some(&f), None).counts(), (0, 2, 0));
        assert!(diff(None, Some(&f)).header.is_empty());
    }

    #[test]
    fn lenient_loading_refuses_duplicates_but_not_unknown_labels() {
        let mut f = file(vec![claim("c1", 1)]);
        f.claims[0]
            .stances
            .insert("ceasefire".into(), "invented".into());
        let text = store::to_ron(&f).unwrap();
        assert!(parse_lenient(Path::new("x.ron"), &text).is_ok());
        f.claims.push(claim("c1", 2));
        let text = store::to_ron(&f).unwrap();
        let e = parse_lenient(Path::new("x.ron"), &text).unwrap_err();
        assert!(e.message().contains("used twice"), "{e}");
        f.format = 2;
        let e = parse_lenient(Path::new("x.ron"), &store::to_ron(&f).unwrap()).unwrap_err();
        assert!(matches!(e, LoadError::UnsupportedFormat { found: 2, .. }));
    }
}
