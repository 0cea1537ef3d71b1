//! Articles in: plain text, web pages, Word documents and news database exports become
//! `seeds/NNN_<hash>.txt`, each with a small sidecar saying where it came from.
//!
//! The id follows the seeds' scheme: a running number (one past the highest in `seeds/`) and
//! 16 hex digits of the SHA-256 of the article's text, so the same text always gets the same
//! hash and importing it twice is noticed and skipped. The sidecar,
//! `seeds/<id>.source.ron`, keeps what the text itself does not: the source file's name, the
//! page's address and title, a database's document id and the header lines cut from it. It is
//! not an article (only `.txt` files are), so the segmenter, `stance check` and every
//! annotation offset see exactly the text that was written.
//!
//! Every file is read and converted before anything is written: a file that cannot be read
//! stops the import with its `path:line:col` error and leaves the project as it was.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::interchange::multi::{self, Layout};
use crate::core::interchange::{docx, html};
use crate::core::model::annotation::now;
use crate::core::project::{self, ARTICLES_DIR, layout};
use crate::core::storage::finding::Finding;
use crate::core::storage::store::{self, LoadError, MAX_FILE_BYTES, Pos};
use crate::core::text::corpus;

/// The sidecar format this build writes.
pub const SOURCE_FORMAT: u32 = 1;

/// What kind of file an article came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceKind {
    /// A UTF-8 text file, copied as it is.
    Text,
    /// A web page: its main text.
    Html,
    /// A Word document: its paragraphs.
    Docx,
    /// One article of a news database's multi-article export.
    NewsExport(Layout),
}

impl SourceKind {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Html => "HTML",
            Self::Docx => "DOCX",
            Self::NewsExport(Layout::NexisUni) => "Nexis Uni export",
            Self::NewsExport(Layout::LexisNexisAcademic) => "LexisNexis export",
            Self::NewsExport(Layout::Factiva) => "Factiva export",
        }
    }
}

/// Where an article came from: `seeds/<id>.source.ron`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    /// Sidecar format version ([`SOURCE_FORMAT`]).
    pub format: u32,
    /// What kind of file it was.
    pub kind: SourceKind,
    /// The file's name (without its folder: folders say nothing once the project moves).
    pub imported_from: String,
    /// Which article of a multi-article file (1-based).
    #[serde(default)]
    pub part: Option<usize>,
    /// The title the source gave (a page's `<title>`, a document's properties).
    #[serde(default)]
    pub title: Option<String>,
    /// The page's address.
    #[serde(default)]
    pub url: Option<String>,
    /// The database's id for the document.
    #[serde(default)]
    pub document_id: Option<String>,
    /// Header and trailer lines cut from a database export (byline, length, dates, subjects).
    #[serde(default)]
    pub metadata: Vec<String>,
    /// When it was imported.
    pub imported: DateTime<Utc>,
}

/// One article read from a source file, not yet written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// The file it came from.
    pub source: PathBuf,
    /// Its text, as it will be written.
    pub text: String,
    /// Its sidecar.
    pub info: SourceInfo,
}

/// What happened to one article of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArticleImport {
    /// Written as a new article.
    Added {
        /// The new article's id.
        id: String,
        /// `seeds/<id>.txt`.
        path: PathBuf,
        /// Its first non-empty line.
        title: String,
        /// The file it came from, and which part of it.
        source: PathBuf,
        /// Which article of a multi-article file.
        part: Option<usize>,
        /// What kind of file it was.
        kind: SourceKind,
    },
    /// The project already has an article with exactly this text; nothing was written.
    AlreadyThere {
        /// The existing article's id.
        id: String,
        /// The file it came from.
        source: PathBuf,
        /// Which article of a multi-article file.
        part: Option<usize>,
    },
}

fn invalid(path: &Path, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        path: path.to_owned(),
        pos: Pos { line: 1, col: 1 },
        message: message.into(),
    }
}

/// The file's bytes, within the size limit.
fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let size = fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    fs::read(path).map_err(io)
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_owned()
}

/// Reads one source file into its articles (several for a news database export). Nothing is
/// written.
pub fn read_source(path: &Path) -> Result<Vec<Extracted>, LoadError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let info = |kind| SourceInfo {
        format: SOURCE_FORMAT,
        kind,
        imported_from: name.clone(),
        part: None,
        title: None,
        url: None,
        document_id: None,
        metadata: Vec::new(),
        imported: now(),
    };
    let ext = extension(path);
    if ext == "docx" || (ext != "txt" && read_bytes(path)?.starts_with(b"PK\x03\x04")) {
        let bytes = read_bytes(path)?;
        let doc = docx::extract(&bytes).map_err(|e| invalid(path, e.0))?;
        if doc.text.trim().is_empty() {
            return Err(invalid(path, "the document has no text"));
        }
        let mut i = info(SourceKind::Docx);
        i.title = doc.title;
        return Ok(vec![Extracted {
            source: path.to_owned(),
            text: doc.text,
            info: i,
        }]);
    }
    let raw = store::read_text(
        path,
        "an article: text, HTML, DOCX or a news database export",
    )?;
    let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    if matches!(ext.as_str(), "html" | "htm" | "xhtml") || looks_like_html(text) {
        let page = html::extract(text).ok_or_else(|| {
            invalid(
                path,
                "no article text found in the page (only navigation, scripts or empty markup)",
            )
        })?;
        let mut i = info(SourceKind::Html);
        i.title = page.title;
        i.url = page.url;
        return Ok(vec![Extracted {
            source: path.to_owned(),
            text: page.text,
            info: i,
        }]);
    }
    if let Some(layout) = multi::detect(text) {
        let parts = multi::split(text, layout);
        if parts.is_empty() {
            return Err(invalid(path, "the export holds no article text"));
        }
        return Ok(parts
            .into_iter()
            .map(|p| {
                let mut i = info(SourceKind::NewsExport(layout));
                i.part = Some(p.index);
                i.title = Some(p.title);
                i.document_id = p.document_id;
                i.metadata = p.metadata;
                Extracted {
                    source: path.to_owned(),
                    text: p.text,
                    info: i,
                }
            })
            .collect());
    }
    Ok(vec![Extracted {
        source: path.to_owned(),
        text: text.to_owned(),
        info: info(SourceKind::Text),
    }])
}

/// An article id: the running number (three digits or more) and 16 hex digits of the SHA-256
/// of its text.
pub fn article_id(number: usize, text: &str) -> String {
    let fingerprint = corpus::fingerprint(text.as_bytes());
    let hex = fingerprint.trim_start_matches("sha256:");
    format!("{number:03}_{}", &hex[..16])
}

/// `seeds/<id>.source.ron`.
pub fn source_path(root: &Path, id: &str) -> PathBuf {
    layout::source_path(root, id)
}

/// The sidecar of article `id`, if it has one. A sidecar behind a link out of the project is
/// refused like every other file of the project (the walker's rule).
pub fn load_source(root: &Path, id: &str) -> Result<Option<SourceInfo>, LoadError> {
    let path = source_path(root, id);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    if let Some(e) = project::walk::escape(root, &path) {
        return Err(invalid(&path, e.reason()));
    }
    if !path.is_file() {
        return Ok(None);
    }
    read_sidecar(&path).map(Some)
}

/// Reads and parses one sidecar, refusing a format this build does not know.
fn read_sidecar(path: &Path) -> Result<SourceInfo, LoadError> {
    let text = store::read_text(path, "an article's source sidecar (RON)")?;
    let info: SourceInfo = store::parse_ron(path, &text)?;
    if info.format != SOURCE_FORMAT {
        return Err(LoadError::Invalid {
            path: path.to_owned(),
            pos: store::locate(&text, "format"),
            message: format!(
                "unknown sidecar format {} (this stance reads format {SOURCE_FORMAT}); update stance",
                info.format
            ),
        });
    }
    Ok(info)
}

/// Checks every source sidecar in `seeds/` (`<id>.source.ron`): each must load, in a format
/// this build knows, and belong to an article of the project (`article_ids`); a sidecar
/// without its article is a warning (the article was deleted or renamed). Returns how many
/// sidecars were read, and the findings. Links out of the project are the walker's to report.
pub fn check_sidecars(root: &Path, article_ids: &BTreeSet<String>) -> (usize, Vec<Finding>) {
    let paths = project::walk::source_files(root);
    let mut findings = Vec::new();
    let mut read = 0;
    for path in paths {
        if let Some(e) = project::walk::escape(root, &path) {
            findings.push(Finding::error(&path, Pos { line: 1, col: 1 }, e.reason()));
            continue;
        }
        read += 1;
        if let Err(e) = read_sidecar(&path) {
            findings.push(Finding::from(&e));
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let id = layout::source_article(name).unwrap_or(name);
        if !article_ids.contains(id) {
            findings.push(Finding::warning(
                &path,
                Pos { line: 1, col: 1 },
                format!(
                    "source sidecar of an unknown article: there is no `{ARTICLES_DIR}/{id}.txt`; delete the sidecar or restore the article"
                ),
            ));
        }
    }
    (read, findings)
}

/// The next free running number, and the fingerprints of the articles already there.
fn existing(root: &Path) -> (usize, Vec<(String, String)>) {
    let mut next = 0;
    let mut known = Vec::new();
    for path in project::article_paths(root) {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if let Some((n, _)) = stem.split_once('_')
            && let Ok(n) = n.parse::<usize>()
        {
            next = next.max(n + 1);
        }
        if let Ok(bytes) = fs::read(&path) {
            known.push((corpus::fingerprint(&bytes), stem.to_owned()));
        }
    }
    (next, known)
}

/// The project's `seeds/` folder, refusing one that leads outside the project (the walker's
/// rule, as for every file of the project).
fn seeds_dir(root: &Path) -> Result<PathBuf, LoadError> {
    let dir = layout::articles_dir(root);
    match project::walk::escape(root, &dir) {
        Some(e) => Err(invalid(
            &dir,
            format!(
                "`{ARTICLES_DIR}/`: {}; nothing is written there",
                e.reason()
            ),
        )),
        None => Ok(dir),
    }
}

/// Imports every article of the files in `paths` into the project at `root`.
///
/// All files are read first; the first one that cannot be read is returned as the error and
/// nothing is written. An article whose text the project already has is skipped.
pub fn import_articles(root: &Path, paths: &[PathBuf]) -> Result<Vec<ArticleImport>, LoadError> {
    let mut extracted = Vec::new();
    for p in paths {
        extracted.extend(read_source(p)?);
    }
    for e in &extracted {
        if e.text.len() as u64 > MAX_FILE_BYTES {
            return Err(invalid(
                &e.source,
                format!(
                    "the article text is {} bytes, over the {MAX_FILE_BYTES}-byte limit for articles",
                    e.text.len()
                ),
            ));
        }
    }
    let dir = seeds_dir(root)?;
    let (mut next, mut known) = existing(root);
    let mut outcomes = Vec::new();
    let mut written = BTreeSet::new();
    for e in extracted {
        let fingerprint = corpus::fingerprint(e.text.as_bytes());
        if let Some((_, id)) = known.iter().find(|(f, _)| *f == fingerprint) {
            outcomes.push(ArticleImport::AlreadyThere {
                id: id.clone(),
                source: e.source,
                part: e.info.part,
            });
            continue;
        }
        let id = article_id(next, &e.text);
        next += 1;
        fs::create_dir_all(&dir).map_err(|source| LoadError::Io {
            path: dir.clone(),
            source,
        })?;
        let path = layout::article_path(root, &id);
        let io = |path: &Path, source| LoadError::Io {
            path: path.to_owned(),
            source,
        };
        store::write_atomic(&path, e.text.as_bytes()).map_err(|s| io(&path, s))?;
        let sidecar = source_path(root, &id);
        let ron = store::to_ron(&e.info).map_err(|err| invalid(&sidecar, err.to_string()))?;
        store::write_atomic(&sidecar, ron.as_bytes()).map_err(|s| io(&sidecar, s))?;
        known.push((fingerprint, id.clone()));
        written.insert(id.clone());
        outcomes.push(ArticleImport::Added {
            title: first_line(&e.text),
            id,
            path,
            source: e.source,
            part: e.info.part,
            kind: e.info.kind,
        });
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_id_numbers_and_hashes_the_text() {
        let id = article_id(7, "abc");
        assert_eq!(id, "007_ba7816bf8f01cfea");
        assert_eq!(article_id(1234, "abc"), "1234_ba7816bf8f01cfea");
    }

    #[test]
    fn import_articles_writes_each_part_once_with_its_sidecar() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("seeds")).unwrap();
        fs::write(root.join("seeds/004_x.txt"), "Old article.\n").unwrap();
        let src = dir.path().join("in");
        fs::create_dir_all(&src).unwrap();
        let export = src.join("nexis.txt");
        fs::write(
            &export,
            "First title\nBody\nText one.\nEnd of Document\nSecond title\nBody\nText two.\nEnd of Document\n",
        )
        .unwrap();
        let page = src.join("page.html");
        fs::write(
            &page,
            "<html><head><title>T</title><link rel=canonical href=\"https://e.org/a\"></head><body><article><h1>T</h1><p>Xi said “yes”.</p></article></body></html>",
        )
        .unwrap();
        let out = import_articles(root, &[export.clone(), page.clone()]).unwrap();
        let ids: Vec<String> = out
            .iter()
            .map(|o| match o {
                ArticleImport::Added { id, .. } => id.clone(),
                ArticleImport::AlreadyThere { .. } => panic!("{o:?}"),
            })
            .collect();
        assert_eq!(ids.len(), 3);
        assert!(
            ids[0].starts_with("005_") && ids[1].starts_with("006_") && ids[2].starts_with("007_"),
            "{ids:?}"
        );
        assert_eq!(
            fs::read_to_string(root.join("seeds").join(format!("{}.txt", ids[0]))).unwrap(),
            "First title\n\nText one.\n"
        );
        let info = load_source(root, &ids[2]).unwrap().unwrap();
        assert_eq!(info.kind, SourceKind::Html);
        assert_eq!(info.url.as_deref(), Some("https://e.org/a"));
        assert_eq!(info.imported_from, "page.html");
        let info = load_source(root, &ids[1]).unwrap().unwrap();
        assert_eq!(info.part, Some(2));
        assert_eq!(info.kind, SourceKind::NewsExport(Layout::NexisUni));
        // Again: every article is already there, nothing new is written.
        let again = import_articles(root, &[export, page]).unwrap();
        assert!(
            again
                .iter()
                .all(|o| matches!(o, ArticleImport::AlreadyThere { .. })),
            "{again:?}"
        );
        assert_eq!(fs::read_dir(root.join("seeds")).unwrap().count(), 7);
    }

    #[test]
    fn a_broken_file_stops_the_import_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("seeds")).unwrap();
        let good = root.join("good.txt");
        fs::write(&good, "A fine article.\n").unwrap();
        let bad = root.join("bad.txt");
        fs::write(&bad, b"Caf\xe9 au lait\n").unwrap();
        let e = import_articles(root, &[good, bad.clone()]).unwrap_err();
        assert_eq!(e.path(), bad);
        assert!(
            e.to_string().contains(":1:4: the file is not valid UTF-8"),
            "{e}"
        );
        assert_eq!(fs::read_dir(root.join("seeds")).unwrap().count(), 0);
    }
}
