//! Export of claims to CSV and JSON Lines, one row per claim, for analysis outside stance.
//!
//! Rows come out in a fixed order (article, annotator, start) so two exports of the same
//! project are byte-identical and diff cleanly. A file that cannot be read is left out and
//! listed in the [`ExportSummary`], never dropped silently.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::core::annotation::{AnnotationFile, SpeakerRef, Status};
use crate::core::check::{self, Finding};
use crate::core::codebook::Codebook;
use crate::core::project;
use crate::core::store::{self, LoadError};

/// The output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values with a header row; one `stance_<target>` column per target.
    Csv,
    /// One JSON object per line; stances nested as an object keyed by target id.
    Jsonl,
}

/// One claim as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    /// Article id (its folder under `annotations/`).
    pub article: String,
    /// Annotator (the file stem).
    pub annotator: String,
    /// `in-progress` or `done`.
    pub status: String,
    /// The claim id.
    pub claim_id: String,
    /// The first sentence covered, counted from 1 as the window and `stance segment` count
    /// (the annotation file's `first` plus one).
    pub first_sentence: u64,
    /// The last sentence covered, counted from 1.
    pub last_sentence: u64,
    /// Byte offset of the claim's start in the article file.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The claim's text.
    pub quote: String,
    /// Registry id of the speaker, or `new:Name` for a speaker outside the registry (the
    /// form `stance import` reads, so an export imports back as it was).
    pub speaker: Option<String>,
    /// The speaker's display name.
    pub speaker_name: Option<String>,
    /// The attribution cue's text.
    pub cue: Option<String>,
    /// Stance per codebook target id; `None` where the claim does not address the target.
    pub stances: BTreeMap<String, Option<String>>,
    /// Source type id.
    pub source_type: Option<String>,
    /// The coder was unsure.
    pub unsure: bool,
    /// The coder's note.
    pub note: String,
    /// When the claim was made (RFC 3339).
    pub created: String,
    /// When it was last changed (RFC 3339).
    pub modified: String,
    /// `manual`, or `suggested` for a claim that started as an accepted suggestion.
    pub origin: String,
    /// Focused coding time of the claim in seconds (see [`crate::core::coding_time`]); 0 in
    /// files made before time was recorded.
    pub claim_seconds: u64,
    /// Focused coding time of the whole article in seconds, all claims included.
    pub article_seconds: u64,
}

/// What an export did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Rows written (one per claim).
    pub rows: usize,
    /// Annotation files exported.
    pub files: usize,
    /// Files that were left out, and why.
    pub skipped: Vec<Finding>,
}

/// Why an export could not be written at all.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The project's codebook is unreadable, so labels cannot be checked or columns named.
    #[error("{0}")]
    Codebook(#[from] LoadError),
    /// Writing the output failed.
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
    /// The CSV writer failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The JSON writer failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The CSV header: the row's fields, with one `stance_<target-id>` column per codebook target
/// (in codebook order) where the stances go.
pub fn csv_header(codebook: &Codebook) -> Vec<String> {
    let mut h: Vec<String> = [
        "article",
        "annotator",
        "status",
        "claim_id",
        "first_sentence",
        "last_sentence",
        "start",
        "end",
        "quote",
        "speaker",
        "speaker_name",
        "cue",
    ]
    .map(str::to_owned)
    .into();
    h.extend(codebook.targets.iter().map(|t| format!("stance_{}", t.id)));
    h.extend(["source_type", "unsure", "note", "created", "modified"].map(str::to_owned));
    h.extend(["origin", "claim_seconds", "article_seconds"].map(str::to_owned));
    h
}

impl ExportRow {
    /// The row's cells in [`csv_header`] order; a missing value is an empty cell.
    pub fn csv_record(&self, codebook: &Codebook) -> Vec<String> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut r = vec![
            self.article.clone(),
            self.annotator.clone(),
            self.status.clone(),
            self.claim_id.clone(),
            self.first_sentence.to_string(),
            self.last_sentence.to_string(),
            self.start.to_string(),
            self.end.to_string(),
            self.quote.clone(),
            opt(&self.speaker),
            opt(&self.speaker_name),
            opt(&self.cue),
        ];
        r.extend(codebook.targets.iter().map(|t| {
            self.stances
                .get(&t.id)
                .cloned()
                .flatten()
                .unwrap_or_default()
        }));
        r.extend([
            opt(&self.source_type),
            self.unsure.to_string(),
            self.note.clone(),
            self.created.clone(),
            self.modified.clone(),
        ]);
        r.extend([
            self.origin.clone(),
            self.claim_seconds.to_string(),
            self.article_seconds.to_string(),
        ]);
        r
    }
}

/// One row per claim of `file`, which lies at `annotations/<article>/<annotator>.ron`.
pub fn rows(
    file: &AnnotationFile,
    article: &str,
    annotator: &str,
    codebook: &Codebook,
) -> Vec<ExportRow> {
    let status = match file.status {
        Status::InProgress => "in-progress",
        Status::Done => "done",
    };
    file.claims
        .iter()
        .map(|c| {
            let (speaker, speaker_name) = match &c.speaker {
                None => (None, None),
                Some(SpeakerRef::Registry(id)) => (
                    Some(id.clone()),
                    // Loading refuses unknown registry ids; the id stands in just in case.
                    Some(codebook.speaker(id).map_or(id, |s| &s.name).clone()),
                ),
                Some(SpeakerRef::New(name)) => (Some(format!("new:{name}")), Some(name.clone())),
            };
            ExportRow {
                article: article.to_owned(),
                annotator: annotator.to_owned(),
                status: status.to_owned(),
                claim_id: c.id.clone(),
                first_sentence: u64::from(c.anchor.first) + 1,
                last_sentence: u64::from(c.anchor.last) + 1,
                start: c.anchor.start,
                end: c.anchor.end,
                quote: c.anchor.quote.clone(),
                speaker,
                speaker_name,
                cue: c.cue.as_ref().map(|q| q.text.clone()),
                stances: codebook
                    .targets
                    .iter()
                    .map(|t| (t.id.clone(), c.stances.get(&t.id).cloned()))
                    .collect(),
                source_type: c.source.clone(),
                unsure: c.unsure,
                note: c.note.clone(),
                created: rfc3339(c.created),
                modified: rfc3339(c.modified),
                origin: if c.origin.is_manual() {
                    "manual"
                } else {
                    "suggested"
                }
                .to_owned(),
                claim_seconds: file.time.claim(&c.id),
                article_seconds: file.time.article,
            }
        })
        .collect()
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Writes every claim of the project in `root` to `out`.
///
/// Fails only when nothing sensible can be written (unreadable codebook, output error);
/// unreadable annotation files are skipped and listed in the summary.
pub fn export_project(
    root: &Path,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let (codebook, _) = project::load_codebook(root)?;
    let (locations, skipped) = check::annotation_locations(root);
    let mut summary = ExportSummary {
        skipped,
        ..ExportSummary::default()
    };
    let mut all = Vec::new();
    for loc in locations {
        match store::load_annotation(&loc.path, &codebook) {
            Ok(file) => {
                summary.files += 1;
                all.extend(rows(&file, &loc.article, &loc.annotator, &codebook));
            }
            Err(e) => summary.skipped.push(Finding::from(&e)),
        }
    }
    all.sort_by(|a, b| {
        (&a.article, &a.annotator, a.start, a.end, &a.claim_id).cmp(&(
            &b.article,
            &b.annotator,
            b.start,
            b.end,
            &b.claim_id,
        ))
    });
    summary.rows = all.len();
    write_rows(&all, format, &codebook, out)?;
    Ok(summary)
}

/// Writes `rows` in `format`.
pub fn write_rows(
    rows: &[ExportRow],
    format: ExportFormat,
    codebook: &Codebook,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(csv_header(codebook))?;
            for row in rows {
                w.write_record(row.csv_record(codebook))?;
            }
            w.flush()?;
        }
        ExportFormat::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *out, row)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::{Anchor, Claim, CodebookRef, Cue, Origin, now};
    use crate::core::codebook::Boilerplate;
    use crate::core::corpus::Article;
    use std::path::PathBuf;

    fn sample() -> (AnnotationFile, Codebook) {
        let cb = Codebook::default_codebook();
        let text = "Kirby said, \"no\".\nNext line.";
        let a = Article::new(
            "a".into(),
            PathBuf::from("a.txt"),
            text,
            &Boilerplate::default(),
        );
        let mut f = AnnotationFile::new(
            a.reference(),
            CodebookRef {
                id: cb.id.clone(),
                version: cb.version,
            },
            "alice",
        );
        f.claims.push(Claim {
            id: "c1".into(),
            anchor: Anchor::new(text, 0, 0, 0, 17),
            speaker: Some(SpeakerRef::Registry("john-kirby".into())),
            cue: Some(Cue {
                start: 6,
                end: 10,
                text: "said".into(),
            }),
            stances: [("mediation".to_owned(), "against".to_owned())].into(),
            source: Some("direct-quote".into()),
            unsure: true,
            note: "a, \"b\"\nc".into(),
            origin: Origin::Manual,
            created: now(),
            modified: now(),
        });
        (f, cb)
    }

    #[test]
    fn csv_record_lines_up_with_header() {
        let (f, cb) = sample();
        let r = rows(&f, "a", "alice", &cb);
        let header = csv_header(&cb);
        let record = r[0].csv_record(&cb);
        assert_eq!(header.len(), record.len());
        let cell = |name: &str| &record[header.iter().position(|h| h == name).unwrap()];
        assert_eq!(cell("speaker"), "john-kirby");
        assert_eq!(cell("speaker_name"), "John Kirby");
        assert_eq!(cell("stance_ceasefire"), "");
        assert_eq!(cell("stance_mediation"), "against");
        assert_eq!(cell("unsure"), "true");
        assert_eq!(cell("cue"), "said");
        assert_eq!(cell("status"), "in-progress");
        assert!(cell("created").ends_with('Z'));
        assert_eq!(cell("origin"), "manual");
        assert_eq!(cell("claim_seconds"), "0");
    }

    #[test]
    fn rows_give_origin_and_coding_time() {
        let (mut f, cb) = sample();
        f.created = "2026-11-25T12:00:00Z".parse().unwrap();
        f.modified = "2026-11-25T12:30:00Z".parse().unwrap();
        f.claims[0].created = "2026-11-25T12:10:00Z".parse().unwrap();
        f.claims[0].modified = "2026-11-25T12:11:30Z".parse().unwrap();
        f.claims[0].origin = Origin::Suggested {
            reasons: "mentions 'ceasefire'".into(),
        };
        // Focused time as recorded, not the wall-clock span between the saves.
        f.time.article = 600;
        f.time.claims.insert(f.claims[0].id.clone(), 95);
        let r = &rows(&f, "a", "alice", &cb)[0];
        assert_eq!(r.origin, "suggested");
        assert_eq!(r.claim_seconds, 95);
        assert_eq!(r.article_seconds, 600);
        // A file from before time was recorded says 0, never a guess.
        f.time = crate::core::coding_time::CodingTime::default();
        let r = &rows(&f, "a", "alice", &cb)[0];
        assert_eq!((r.claim_seconds, r.article_seconds), (0, 0));
    }

    #[test]
    fn jsonl_nests_stances_with_nulls() {
        let (f, cb) = sample();
        let mut out = Vec::new();
        write_rows(
            &rows(&f, "a", "alice", &cb),
            ExportFormat::Jsonl,
            &cb,
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
        assert_eq!(v["stances"]["mediation"], "against");
        assert!(v["stances"]["ceasefire"].is_null());
        assert_eq!(v["note"], "a, \"b\"\nc");
    }
}
