//! Importing codings from a table, e.g. a spreadsheet from an earlier round of coding, or a
//! `stance export --format csv` (export → import gives the same claims back).
//!
//! One row per claim, with a header naming the columns (any order). Tab-separated when the
//! header has a tab (cells taken as they are), else comma-separated CSV (quotes and line breaks
//! in cells as the export writes them). Columns, with the export's names as alternatives:
//!
//! - required: `article`, `first` (`first_sentence`), `last` (`last_sentence`), `speaker`,
//!   `source` (`source_type`), `unsure`, `note`, and one column per codebook target named by
//!   its id (`ceasefire`, or `stance_ceasefire`) for the targets the table codes;
//! - optional: `annotator` (only the rows of `--annotator` are imported), `claim_id` (kept;
//!   new ids otherwise), `status` (`done`, the default, or `in-progress`), `start`/`end` (the
//!   byte range, for claims on part of a sentence), `cue` (its text, found in the claim),
//!   `created`/`modified` (RFC 3339), `claim_seconds`/`article_seconds` (focused coding time,
//!   whole seconds, as the export writes it). Other columns (`quote`, `speaker_name`…) are ignored.
//!
//! Sentences count from 1 (`12` or `s12`), as the window, `stance segment` and the export
//! count them. `-` or an empty cell means "not set". A speaker is a registry id, or `new:Name`
//! for someone outside the registry.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::core::annotation::{
    Anchor, AnnotationFile, Claim, CodebookRef, Cue, Origin, SpeakerRef, Status, new_claim_id, now,
};
use crate::core::clip::quote;
use crate::core::corpus::Article;
use crate::core::project::Project;

/// A problem with one row (or the header) of the table.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {message}")]
pub struct ImportError {
    /// 1-based line number in the table.
    pub line: usize,
    /// 1-based column (in characters) of the cell at fault; 1 for the whole row.
    pub col: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

fn err(line: usize, message: String) -> ImportError {
    ImportError {
        line,
        col: 1,
        message,
    }
}

/// One row: its line and its cells, with where each cell starts (column, in characters).
struct Row {
    line: usize,
    cells: Vec<(usize, String)>,
}

/// The table's rows: tab-separated when the header has a tab, else CSV.
fn rows(table: &str) -> Result<Vec<Row>, ImportError> {
    let header_line = table.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if header_line.contains('\t') {
        return Ok(table
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                let mut col = 1;
                let cells = l
                    .split('\t')
                    .map(|c| {
                        let at = col;
                        col += c.chars().count() + 1;
                        (at, c.trim().to_owned())
                    })
                    .collect();
                Row { line: i + 1, cells }
            })
            .collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(table.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            err(line, format!("not valid CSV: {}", quote(&e.to_string())))
        })?;
        let line = record.position().map_or(1, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.push(Row {
            line,
            cells: record.iter().map(|c| (1, c.trim().to_owned())).collect(),
        });
    }
    Ok(out)
}

/// Column positions, read from the header.
struct Columns<'a> {
    article: usize,
    first: usize,
    last: usize,
    speaker: usize,
    source: usize,
    unsure: usize,
    note: usize,
    annotator: Option<usize>,
    claim_id: Option<usize>,
    status: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    cue: Option<usize>,
    created: Option<usize>,
    modified: Option<usize>,
    claim_seconds: Option<usize>,
    article_seconds: Option<usize>,
    /// `(column, target id)` for each codebook target the table has.
    targets: Vec<(usize, &'a str)>,
}

impl<'a> Columns<'a> {
    fn from_header(header: &Row, project: &'a Project) -> Result<Self, ImportError> {
        let cols: Vec<&str> = header
            .cells
            .iter()
            .map(|(_, c)| c.trim_start_matches('\u{feff}'))
            .collect();
        let find = |names: &[&str]| cols.iter().position(|c| names.contains(c));
        let col = |names: &[&str]| {
            find(names).ok_or_else(|| {
                err(
                    header.line,
                    format!("the header has no `{}` column", names[0]),
                )
            })
        };
        Ok(Self {
            article: col(&["article"])?,
            first: col(&["first", "first_sentence"])?,
            last: col(&["last", "last_sentence"])?,
            speaker: col(&["speaker"])?,
            source: col(&["source", "source_type"])?,
            unsure: col(&["unsure"])?,
            note: col(&["note"])?,
            annotator: find(&["annotator"]),
            claim_id: find(&["claim_id", "id"]),
            status: find(&["status"]),
            start: find(&["start"]),
            end: find(&["end"]),
            cue: find(&["cue"]),
            created: find(&["created"]),
            modified: find(&["modified"]),
            claim_seconds: find(&["claim_seconds"]),
            article_seconds: find(&["article_seconds"]),
            targets: project
                .codebook
                .targets
                .iter()
                .filter_map(|t| {
                    let exported = format!("stance_{}", t.id);
                    cols.iter()
                        .position(|c| *c == t.id || *c == exported)
                        .map(|i| (i, t.id.as_str()))
                })
                .collect(),
        })
    }
}

/// One row read against its article.
struct Parsed<'p> {
    article: &'p Article,
    claim: Claim,
    in_progress: bool,
    /// Focused seconds on the claim and on its article, when the table gives them.
    seconds: (Option<u64>, Option<u64>),
}

impl Row {
    /// Cell `c`, trimmed; `None` when empty or `-`.
    fn cell(&self, c: usize) -> Option<&str> {
        self.cells
            .get(c)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty() && *v != "-")
    }

    /// An optional column's cell.
    fn opt(&self, c: Option<usize>) -> Option<&str> {
        c.and_then(|c| self.cell(c))
    }

    /// An error about cell `c` (the row's first cell for a column the table does not have).
    fn at(&self, c: Option<usize>, message: String) -> ImportError {
        ImportError {
            line: self.line,
            col: c.and_then(|c| self.cells.get(c)).map_or(1, |(col, _)| *col),
            message,
        }
    }
}

/// Where a row's claim lies: its article, sentences (0-based, as files count) and bytes.
struct Place<'p> {
    article: &'p Article,
    first: u32,
    last: u32,
    range: std::ops::Range<usize>,
}

impl Columns<'_> {
    /// The article and claim of `row`.
    fn claim<'p>(&self, project: &'p Project, row: &Row) -> Result<Parsed<'p>, ImportError> {
        let place = self.place(project, row)?;
        let (speaker, stances, source) = self.labels(project, row)?;
        let cue = match row.opt(self.cue) {
            None => None,
            Some(text) => Some(find_cue(place.article, &place.range, text).ok_or_else(|| {
                row.at(
                    self.cue,
                    format!("the cue `{}` is not in the article", quote(text)),
                )
            })?),
        };
        let time = |c: Option<usize>| -> Result<Option<DateTime<Utc>>, ImportError> {
            row.opt(c)
                .map(|v| {
                    v.parse::<DateTime<Utc>>().map_err(|_| {
                        row.at(
                            c,
                            format!(
                                "`{}` is not a time; write it as the export does, e.g. 2026-03-20T14:05:00Z",
                                quote(v)
                            ),
                        )
                    })
                })
                .transpose()
        };
        let seconds = |c: Option<usize>| -> Result<Option<u64>, ImportError> {
            row.opt(c)
                .map(|v| {
                    v.parse::<u64>().map_err(|_| {
                        row.at(
                            c,
                            format!(
                                "`{}` is not a number of seconds; expected a whole number like 95",
                                quote(v)
                            ),
                        )
                    })
                })
                .transpose()
        };
        let seconds = (seconds(self.claim_seconds)?, seconds(self.article_seconds)?);
        let t = now();
        let created = time(self.created)?.unwrap_or(t);
        let modified = time(self.modified)?.unwrap_or(created.max(t));
        let in_progress = match row.opt(self.status) {
            None | Some("done") => false,
            Some("in-progress") => true,
            Some(other) => {
                return Err(row.at(
                    self.status,
                    format!(
                        "status `{}` is neither `done` nor `in-progress`",
                        quote(other)
                    ),
                ));
            }
        };
        let text = &place.article.text;
        let claim = Claim {
            id: row
                .opt(self.claim_id)
                .map_or_else(new_claim_id, str::to_owned),
            anchor: Anchor::new(
                text,
                place.first,
                place.last,
                place.range.start,
                place.range.end,
            ),
            speaker,
            cue,
            stances,
            source,
            unsure: matches!(row.cell(self.unsure), Some("yes" | "true" | "1")),
            note: row.cell(self.note).unwrap_or_default().to_owned(),
            origin: Origin::Manual,
            created,
            modified,
        };
        Ok(Parsed {
            article: place.article,
            claim,
            in_progress,
            seconds,
        })
    }

    /// The row's article, sentences and byte range, checked against the article.
    fn place<'p>(&self, project: &'p Project, row: &Row) -> Result<Place<'p>, ImportError> {
        let article_id = row
            .cell(self.article)
            .ok_or_else(|| row.at(Some(self.article), "no article id".into()))?;
        let article = project.article(article_id).ok_or_else(|| {
            row.at(
                Some(self.article),
                format!("no article `{}` in the project", quote(article_id)),
            )
        })?;
        let count = article.sentences.len();
        // Sentences as people count them, from 1; the file keeps 0-based indices.
        let sentence = |c: usize, what: &str| -> Result<u32, ImportError> {
            row.cell(c)
                .and_then(|v| v.trim_start_matches('s').parse::<u32>().ok())
                .filter(|&i| i >= 1 && (i as usize) <= count)
                .map(|i| i - 1)
                .ok_or_else(|| {
                    row.at(
                        Some(c),
                        format!(
                            "`{what}` must be a sentence number from 1 to {count} (as `stance segment` numbers them)"
                        ),
                    )
                })
        };
        let (first, last) = (sentence(self.first, "first")?, sentence(self.last, "last")?);
        let sentences = article
            .sentences_range(first, last)
            .ok_or_else(|| row.at(Some(self.last), "`last` comes before `first`".into()))?;
        let range = match (row.opt(self.start), row.opt(self.end)) {
            (None, None) => sentences,
            (start, end) => {
                let offset = |v: Option<&str>, c: Option<usize>| {
                    v.and_then(|v| v.parse::<usize>().ok()).ok_or_else(|| {
                        row.at(c, "`start` and `end` must both be byte offsets".into())
                    })
                };
                let (s, e) = (offset(start, self.start)?, offset(end, self.end)?);
                let fits = s < e
                    && e <= article.text.len()
                    && article.text.is_char_boundary(s)
                    && article.text.is_char_boundary(e)
                    && article.sentences_overlapping(&(s..e)) == Some((first, last));
                if !fits {
                    return Err(row.at(
                        self.start,
                        format!(
                            "bytes {s}..{e} are not a stretch of sentences {} to {} of the article",
                            first + 1,
                            last + 1
                        ),
                    ));
                }
                s..e
            }
        };
        Ok(Place {
            article,
            first,
            last,
            range,
        })
    }

    /// The row's speaker, stances and source type, checked against the codebook.
    #[allow(clippy::type_complexity)] // one use: the three coded fields of a claim
    fn labels(
        &self,
        project: &Project,
        row: &Row,
    ) -> Result<(Option<SpeakerRef>, BTreeMap<String, String>, Option<String>), ImportError> {
        let cb = &project.codebook;
        let speaker = match row.cell(self.speaker) {
            None => None,
            Some(s) if s.starts_with("new:") => Some(SpeakerRef::New(s[4..].trim().to_owned())),
            Some(id) if cb.speaker(id).is_some() => Some(SpeakerRef::Registry(id.to_owned())),
            Some(id) => {
                let id = quote(id);
                return Err(row.at(
                    Some(self.speaker),
                    format!(
                        "speaker `{id}` is not in the registry; write `new:{id}` for a new speaker"
                    ),
                ));
            }
        };
        let mut stances = BTreeMap::new();
        for &(c, target) in &self.targets {
            if let Some(s) = row.cell(c) {
                if cb.stance(s).is_none() {
                    return Err(row.at(
                        Some(c),
                        format!("`{}` is not a stance of the codebook", quote(s)),
                    ));
                }
                stances.insert(target.to_owned(), s.to_owned());
            }
        }
        let source = row.cell(self.source).map(str::to_owned);
        if let Some(s) = &source
            && cb.source_type(s).is_none()
        {
            return Err(row.at(
                Some(self.source),
                format!("`{}` is not a source type of the codebook", quote(s)),
            ));
        }
        Ok((speaker, stances, source))
    }
}

/// The cue `text` in the article: inside the claim if it is there, else its occurrence
/// nearest the claim.
fn find_cue(article: &Article, claim: &std::ops::Range<usize>, text: &str) -> Option<Cue> {
    let hits: Vec<usize> = article.text.match_indices(text).map(|(i, _)| i).collect();
    let start = hits
        .iter()
        .copied()
        .find(|&i| i >= claim.start && i + text.len() <= claim.end)
        .or_else(|| {
            hits.iter()
                .copied()
                .min_by_key(|&i| i.abs_diff(claim.start))
        })?;
    Some(Cue {
        start,
        end: start + text.len(),
        text: text.to_owned(),
    })
}

/// Reads a coding table for `annotator` into one annotation file per article (status done
/// unless the table says otherwise). Every row is checked against the project's articles and
/// codebook; the first problem is returned. A table with an `annotator` column gives only
/// that annotator's rows.
pub fn import_table(
    project: &Project,
    annotator: &str,
    table: &str,
) -> Result<Vec<AnnotationFile>, ImportError> {
    let rows = rows(table)?;
    let Some((header, body)) = rows.split_first() else {
        return Err(err(1, "the table is empty; expected a header line".into()));
    };
    let columns = Columns::from_header(header, project)?;
    let cb = &project.codebook;
    let mut files: BTreeMap<String, AnnotationFile> = BTreeMap::new();
    let mut others = BTreeSet::new();
    for row in body {
        if let Some(c) = columns.annotator
            && let Some((_, who)) = row.cells.get(c)
            && who != annotator
        {
            others.insert(who.clone());
            continue;
        }
        let parsed = columns.claim(project, row)?;
        let file = files.entry(parsed.article.id.clone()).or_insert_with(|| {
            let mut f = AnnotationFile::new(
                parsed.article.reference(),
                CodebookRef {
                    id: cb.id.clone(),
                    version: cb.version,
                },
                annotator,
            );
            f.status = Status::Done;
            f
        });
        if file.claims.iter().any(|c| c.id == parsed.claim.id) {
            return Err(ImportError {
                line: row.line,
                col: columns
                    .claim_id
                    .and_then(|c| row.cells.get(c))
                    .map_or(1, |(col, _)| *col),
                message: format!(
                    "claim id `{}` comes twice for article `{}`; claim ids must be unique",
                    quote(&parsed.claim.id),
                    parsed.article.id
                ),
            });
        }
        if parsed.in_progress {
            file.status = Status::InProgress;
        }
        let (claim_secs, article_secs) = parsed.seconds;
        if let Some(secs) = claim_secs.filter(|s| *s > 0) {
            file.time.claims.insert(parsed.claim.id.clone(), secs);
        }
        // Every row of a file repeats the article's time; the largest is the file's.
        file.time.article = file.time.article.max(article_secs.unwrap_or(0));
        file.claims.push(parsed.claim);
    }
    if files.is_empty() && !others.is_empty() {
        let names: Vec<String> = others.iter().take(10).map(|n| quote(n)).collect();
        return Err(err(
            header.line,
            format!(
                "no row is by annotator `{annotator}`; the table's `annotator` column names {}",
                names.join(", ")
            ),
        ));
    }
    let mut out: Vec<AnnotationFile> = files.into_values().collect();
    for f in &mut out {
        f.sort_claims();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> Project {
        Project::open(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .0
    }

    #[test]
    fn imports_rows_into_files() {
        let p = project();
        let a = &p.articles[1];
        // Sentences counted from 1: rows 6–7 and 5 are the files' sentences 5–6 and 4.
        let table = format!(
            "article\tfirst\tlast\tspeaker\tceasefire\tmediation\tsource\tunsure\tnote\n{}\t6\ts7\tjohn-kirby\tagainst\t-\tofficial\tyes\twhy\n{}\t5\t5\tnew:Some One\t-\tfavor\tauthor\tno\t-\n",
            a.id, a.id
        );
        let files = import_table(&p, "amira", &table).unwrap();
        assert_eq!(files.len(), 1);
        let f = &files[0];
        assert_eq!(f.status, Status::Done);
        assert_eq!(f.claims.len(), 2);
        assert_eq!(f.claims[0].anchor.first, 4);
        assert_eq!(
            f.claims[0].speaker,
            Some(SpeakerRef::New("Some One".into()))
        );
        assert_eq!((f.claims[1].anchor.first, f.claims[1].anchor.last), (5, 6));
        assert!(f.claims[1].unsure);
        assert_eq!(
            f.claims[1].stances.get("ceasefire").map(String::as_str),
            Some("against")
        );
    }

    #[test]
    fn bad_rows_name_their_line_and_cell() {
        let p = project();
        let a = &p.articles[1].id;
        let head = "article\tfirst\tlast\tspeaker\tceasefire\tmediation\tsource\tunsure\tnote\n";
        let e = import_table(
            &p,
            "x",
            &format!("{head}{a}\t5\t5\tnobody\t-\tfavor\tauthor\tno\t-\n"),
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.col, a.chars().count() + 6, "the speaker cell");
        assert!(e.message.contains("new:nobody"));
        let e = import_table(
            &p,
            "x",
            &format!("{head}{a}\t5\t5\tauthor\tmaybe\t-\tauthor\tno\t-\n"),
        )
        .unwrap_err();
        assert!(e.message.contains("not a stance"));
        let e = import_table(
            &p,
            "x",
            &format!("{head}{a}\t0\t0\tauthor\t-\t-\tauthor\tno\t-\n"),
        )
        .unwrap_err();
        assert!(e.message.contains("from 1 to"), "{e}");
        let timed = head.replace("note\n", "note\tclaim_seconds\tarticle_seconds\n");
        let e = import_table(
            &p,
            "x",
            &format!("{timed}{a}\t5\t5\tauthor\t-\t-\tauthor\tno\t-\tsoon\t30\n"),
        )
        .unwrap_err();
        assert!(e.message.contains("not a number of seconds"), "{e}");
        let files = import_table(
            &p,
            "x",
            &format!(
                "{timed}{a}\t5\t5\tauthor\t-\t-\tauthor\tno\t-\t12\t30\n{a}\t6\t6\tauthor\t-\t-\tauthor\tno\t-\t0\t30\n"
            ),
        )
        .unwrap();
        assert_eq!(files[0].time.article, 30);
        assert_eq!(
            files[0].time.claims.len(),
            1,
            "a claim without time has no line"
        );
        assert_eq!(files[0].time.claim(&files[0].claims[0].id), 12);
        let e = import_table(&p, "x", "article\tfirst\n").unwrap_err();
        assert!(e.message.contains("no `last` column"));
        assert!(import_table(&p, "x", "").is_err());
    }
}
