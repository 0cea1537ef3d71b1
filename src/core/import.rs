//! Importing codings from a table (TSV), e.g. a spreadsheet from an earlier round of coding.
//!
//! One row per claim: `article, first, last, speaker, <one column per target>, source, unsure,
//! note`, tab-separated, with a header naming the columns (targets by their codebook id).
//! Sentence indices are those `stance segment` prints. `-` or an empty cell means "not set".
//! A speaker is a registry id, or `new:Name` for someone outside the registry.

use std::collections::BTreeMap;

use crate::core::annotation::{
    Anchor, AnnotationFile, Claim, CodebookRef, Origin, SpeakerRef, Status, new_claim_id, now,
};
use crate::core::corpus::Article;
use crate::core::project::Project;

/// A problem with one row of the table.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ImportError {
    /// 1-based line number in the table.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
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
    /// `(column, target id)` for each codebook target the table has.
    targets: Vec<(usize, &'a str)>,
}

fn err(line: usize, message: String) -> ImportError {
    ImportError { line, message }
}

impl<'a> Columns<'a> {
    fn from_header(header: &str, project: &'a Project) -> Result<Self, ImportError> {
        let cols: Vec<&str> = header.split('\t').map(str::trim).collect();
        let col = |name: &str| {
            cols.iter()
                .position(|c| *c == name)
                .ok_or_else(|| err(1, format!("the header has no `{name}` column")))
        };
        Ok(Self {
            article: col("article")?,
            first: col("first")?,
            last: col("last")?,
            speaker: col("speaker")?,
            source: col("source")?,
            unsure: col("unsure")?,
            note: col("note")?,
            targets: project
                .codebook
                .targets
                .iter()
                .filter_map(|t| {
                    cols.iter()
                        .position(|c| *c == t.id)
                        .map(|i| (i, t.id.as_str()))
                })
                .collect(),
        })
    }

    /// The article and claim of row `n`.
    fn claim<'p>(
        &self,
        project: &'p Project,
        n: usize,
        line: &str,
    ) -> Result<(&'p Article, Claim), ImportError> {
        let cb = &project.codebook;
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        let cell = |c: usize| cells.get(c).copied().filter(|v| !v.is_empty() && *v != "-");
        let article_id = cell(self.article).ok_or_else(|| err(n, "no article id".into()))?;
        let article = project
            .article(article_id)
            .ok_or_else(|| err(n, format!("no article `{article_id}` in the project")))?;
        let index = |c: usize, what: &str| -> Result<u32, ImportError> {
            cell(c)
                .and_then(|v| v.trim_start_matches('s').parse::<u32>().ok())
                .filter(|&i| (i as usize) < article.sentences.len())
                .ok_or_else(|| {
                    err(
                        n,
                        format!(
                            "`{what}` must be a sentence index below {}",
                            article.sentences.len()
                        ),
                    )
                })
        };
        let (first, last) = (index(self.first, "first")?, index(self.last, "last")?);
        let range = article
            .sentences_range(first, last)
            .ok_or_else(|| err(n, "`last` comes before `first`".into()))?;
        let speaker = match cell(self.speaker) {
            None => None,
            Some(s) if s.starts_with("new:") => Some(SpeakerRef::New(s[4..].trim().to_owned())),
            Some(id) if cb.speaker(id).is_some() => Some(SpeakerRef::Registry(id.to_owned())),
            Some(id) => {
                return Err(err(
                    n,
                    format!(
                        "speaker `{id}` is not in the registry; write `new:{id}` for a new speaker"
                    ),
                ));
            }
        };
        let mut stances = BTreeMap::new();
        for &(c, target) in &self.targets {
            if let Some(s) = cell(c) {
                if cb.stance(s).is_none() {
                    return Err(err(n, format!("`{s}` is not a stance of the codebook")));
                }
                stances.insert(target.to_owned(), s.to_owned());
            }
        }
        let source = cell(self.source).map(str::to_owned);
        if let Some(s) = &source
            && cb.source_type(s).is_none()
        {
            return Err(err(
                n,
                format!("`{s}` is not a source type of the codebook"),
            ));
        }
        let t = now();
        let claim = Claim {
            id: new_claim_id(),
            anchor: Anchor::new(&article.text, first, last, range.start, range.end),
            speaker,
            cue: None,
            stances,
            source,
            unsure: matches!(cell(self.unsure), Some("yes" | "true" | "1")),
            note: cell(self.note).unwrap_or_default().to_owned(),
            origin: Origin::Manual,
            created: t,
            modified: t,
        };
        Ok((article, claim))
    }
}

/// Reads a coding table for `annotator` into one annotation file per article (status done:
/// an imported article is taken as fully read). Every row is checked against the project's
/// articles and codebook; the first problem is returned.
pub fn import_table(
    project: &Project,
    annotator: &str,
    table: &str,
) -> Result<Vec<AnnotationFile>, ImportError> {
    let mut lines = table
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(err(1, "the table is empty; expected a header line".into()));
    };
    let columns = Columns::from_header(header, project)?;
    let cb = &project.codebook;
    let mut files: BTreeMap<String, AnnotationFile> = BTreeMap::new();
    for (i, line) in lines {
        let (article, claim) = columns.claim(project, i + 1, line)?;
        files
            .entry(article.id.clone())
            .or_insert_with(|| {
                let mut f = AnnotationFile::new(
                    article.reference(),
                    CodebookRef {
                        id: cb.id.clone(),
                        version: cb.version,
                    },
                    annotator,
                );
                f.status = Status::Done;
                f
            })
            .claims
            .push(claim);
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
        let table = format!(
            "article\tfirst\tlast\tspeaker\tceasefire\tmediation\tsource\tunsure\tnote\n{}\t5\t6\tjohn-kirby\tagainst\t-\tofficial\tyes\twhy\n{}\t4\t4\tnew:Some One\t-\tfavor\tauthor\tno\t-\n",
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
    fn bad_rows_name_their_line() {
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
        assert!(e.message.contains("new:nobody"));
        let e = import_table(
            &p,
            "x",
            &format!("{head}{a}\t5\t5\tauthor\tmaybe\t-\tauthor\tno\t-\n"),
        )
        .unwrap_err();
        assert!(e.message.contains("not a stance"));
        let e = import_table(&p, "x", "article\tfirst\n").unwrap_err();
        assert!(e.message.contains("no `last` column"));
        assert!(import_table(&p, "x", "").is_err());
    }
}
