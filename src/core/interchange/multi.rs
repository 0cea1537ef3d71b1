//! Multi-article text exports of news databases, split into one article each.
//!
//! Three layouts are recognised by their separator lines:
//!
//! - **Nexis Uni / Lexis+** (`.txt` "Documents" export): each document ends with a line
//!   `End of Document`. Its head holds the title, publication, date, `Copyright`, `Length:`,
//!   `Byline:` and similar lines up to a line `Body`; its tail, from `Classification` or
//!   `Load-Date:`, holds subject codes and dates. When a document has a `Body` line, the
//!   article is the title and the body; head and tail lines go to the article's sidecar.
//! - **LexisNexis Academic** (older): each document starts with a line `N of M DOCUMENTS`.
//! - **Factiva** (plain text): each article ends with a line `Document <ID>` (the Factiva
//!   accession number, e.g. `Document GLOBTM0020230320ej3k0000b`), kept in the sidecar.
//!
//! Text is kept as it is otherwise: Stance shows such lines and never deletes them.

use std::sync::LazyLock;

use regex::Regex;

/// Which news database wrote the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Layout {
    /// Nexis Uni / Lexis+: documents end with `End of Document`.
    NexisUni,
    /// LexisNexis Academic: documents start with `N of M DOCUMENTS`.
    LexisNexisAcademic,
    /// Factiva: articles end with `Document <ID>`.
    Factiva,
}

/// One article cut out of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// 1-based position in the export.
    pub index: usize,
    /// The article's text.
    pub text: String,
    /// The first non-empty line.
    pub title: String,
    /// The database's id for it (Factiva's accession number, `3 of 25` for LexisNexis).
    pub document_id: Option<String>,
    /// Head and tail lines moved out of the text (Nexis Uni).
    pub metadata: Vec<String>,
}

static ACADEMIC: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*(\d+) of (\d+) DOCUMENTS?\s*$").ok());
static FACTIVA: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^Document ([A-Za-z0-9]{16,40})\s*$").ok());

fn is_end_of_document(line: &str) -> bool {
    line.trim() == "End of Document"
}

fn academic(line: &str) -> Option<String> {
    let c = ACADEMIC.as_ref()?.captures(line)?;
    Some(format!("{} of {}", &c[1], &c[2]))
}

fn factiva(line: &str) -> Option<String> {
    Some(FACTIVA.as_ref()?.captures(line)?[1].to_owned())
}

/// The layout of `text`, if it is a news database export.
pub fn detect(text: &str) -> Option<Layout> {
    let lines = || text.lines();
    if lines().any(is_end_of_document) {
        Some(Layout::NexisUni)
    } else if lines().any(|l| academic(l).is_some()) {
        Some(Layout::LexisNexisAcademic)
    } else if lines().any(|l| factiva(l).is_some()) {
        Some(Layout::Factiva)
    } else {
        None
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_owned()
}

/// Trims blank lines at both ends, keeping the text's own line endings inside.
fn trim_lines(lines: &[&str]) -> String {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => {
            let mut t = lines[s..=e].join("\n");
            t.push('\n');
            t
        }
        _ => String::new(),
    }
}

/// A Nexis Uni document: title and body, with head and tail lines as metadata, when it has a
/// `Body` line; else the whole text.
fn nexis_document(lines: &[&str]) -> (String, Vec<String>) {
    let Some(body) = lines.iter().position(|l| l.trim() == "Body") else {
        return (trim_lines(lines), Vec::new());
    };
    let tail = lines[body + 1..]
        .iter()
        .position(|l| {
            let t = l.trim();
            t == "Classification" || t.starts_with("Load-Date:")
        })
        .map_or(lines.len(), |i| body + 1 + i);
    let head = &lines[..body];
    let title_at = head.iter().position(|l| !l.trim().is_empty());
    let mut metadata = Vec::new();
    for l in head.iter().chain(&lines[tail..]) {
        if !l.trim().is_empty() {
            metadata.push(l.trim().to_owned());
        }
    }
    let title = title_at
        .map(|i| head[i].trim().to_owned())
        .unwrap_or_default();
    if !title.is_empty() {
        metadata.remove(0);
    }
    let body_text = trim_lines(&lines[body + 1..tail]);
    let text = if title.is_empty() {
        body_text
    } else {
        format!("{title}\n\n{body_text}")
    };
    (text, metadata)
}

/// Splits an export into its articles (empty pieces left out).
pub fn split(text: &str, layout: Layout) -> Vec<Part> {
    let lines: Vec<&str> = text.lines().collect();
    let mut pieces: Vec<(Vec<&str>, Option<String>)> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut id: Option<String> = None;
    for line in &lines {
        match layout {
            Layout::NexisUni if is_end_of_document(line) => {
                pieces.push((std::mem::take(&mut current), None));
            }
            Layout::Factiva if factiva(line).is_some() => {
                pieces.push((std::mem::take(&mut current), factiva(line)));
            }
            Layout::LexisNexisAcademic if academic(line).is_some() => {
                pieces.push((std::mem::take(&mut current), id.take()));
                id = academic(line);
            }
            _ => current.push(line),
        }
    }
    pieces.push((current, id));
    let mut out = Vec::new();
    for (lines, document_id) in pieces {
        let (text, metadata) = match layout {
            Layout::NexisUni => nexis_document(&lines),
            Layout::LexisNexisAcademic | Layout::Factiva => (trim_lines(&lines), Vec::new()),
        };
        if text.trim().is_empty() {
            continue;
        }
        out.push(Part {
            index: out.len() + 1,
            title: first_line(&text),
            text,
            document_id,
            metadata,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nexis_uni_documents_split_at_end_of_document() {
        let export = "Xi heads to Moscow\nThe Daily Example\nMarch 20, 2023 Monday\nCopyright 2023 Example Ltd.\nLength: 12 words\nByline: Jane Roe\nBody\n\nXi said peace talks matter.\n\nPutin agreed.\nClassification\nLanguage: ENGLISH\nLoad-Date: March 21, 2023\n\nEnd of Document\n\nSecond story\nBody\nOnly text.\nEnd of Document\n";
        assert_eq!(detect(export), Some(Layout::NexisUni));
        let parts = split(export, Layout::NexisUni);
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts[0].text,
            "Xi heads to Moscow\n\nXi said peace talks matter.\n\nPutin agreed.\n"
        );
        assert_eq!(parts[0].title, "Xi heads to Moscow");
        assert!(parts[0].metadata.contains(&"Byline: Jane Roe".to_owned()));
        assert!(
            parts[0]
                .metadata
                .contains(&"Load-Date: March 21, 2023".to_owned())
        );
        assert_eq!(parts[1].text, "Second story\n\nOnly text.\n");
        assert_eq!(parts[1].index, 2);
    }

    #[test]
    fn factiva_and_academic_exports_split_with_their_ids() {
        let factiva = "Title one\n120 words\nBody one.\n\nDocument GLOBTM0020230320ej3k0000b\n\nTitle two\nBody two.\nDocument WSJO000020230321ej3l000ab\n";
        assert_eq!(detect(factiva), Some(Layout::Factiva));
        let parts = split(factiva, Layout::Factiva);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].text, "Title one\n120 words\nBody one.\n");
        assert_eq!(
            parts[0].document_id.as_deref(),
            Some("GLOBTM0020230320ej3k0000b")
        );
        let academic = "                1 of 2 DOCUMENTS\n\nFirst\n\n                2 of 2 DOCUMENTS\n\nSecond\n";
        assert_eq!(detect(academic), Some(Layout::LexisNexisAcademic));
        let parts = split(academic, Layout::LexisNexisAcademic);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].document_id.as_deref(), Some("2 of 2"));
        assert_eq!(parts[1].text, "Second\n");
        assert_eq!(detect("A plain article.\nNo separators.\n"), None);
    }
}
