//! The one walk over a project folder: which files are articles, annotation files and side
//! files, which entries are left unread and why, and the rule that keeps every read and every
//! write inside the project.
//!
//! ```text
//! project/
//!   seeds/<article>.txt                        articles
//!   annotations/<article>/<annotator>.ron      annotation files (gold.ron among them)
//!   annotations/<article>/<kind>.<name>.ron    side files: review.<editor>.ron, questions.<coder>.ron
//!   annotations/<article>/.<file>.<pid>.tmp    a save in progress, or left by a killed one
//!   annotations/<article>/<file>.lock          the window's writer lock
//!   annotations/<article>/.<file>.journal      the window's edit journal
//! ```
//!
//! **Escapes.** A symlink (a folder or a file) that resolves outside the project is never
//! followed: nothing is read through it and nothing written through it, by any command or by
//! the window. A broken symlink is refused the same way, since writing would replace it with
//! something the user did not expect. Links that stay inside the project are followed.
//! [`escape`] is the rule for one path; the walkers apply it to every entry they list.
//!
//! The walk looks at entries only through `lstat` and follows nothing it has not judged, so a
//! project of 10,000 files costs one `canonicalize` (the root) plus one per symlink.

use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::core::model::names;
use crate::core::storage::finding::Finding;
use crate::core::storage::lock;
use crate::core::storage::store::Pos;

pub use super::layout::SIDE_KINDS;
use super::{ANNOTATIONS_DIR, ARTICLES_DIR};

/// What `annotations/.gitignore` holds: the working files a Stance session leaves beside the
/// annotation files, which belong to one machine and never in the repository.
pub const GITIGNORE: &str = "\
# Written by Stance: working files of a coding session, never to be committed.
# Writer locks (alice.ron.lock), edit journals (.alice.ron.journal) and
# temp files of saves in progress or killed (.alice.ron.1234.tmp).
*.lock
.*.journal
.*.tmp
";

/// A path that leads out of the project, or nowhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Escape {
    /// `path` (a symlink, or a path under one) resolves to `real`, outside the project.
    Outside {
        /// The entry as found in the project.
        path: PathBuf,
        /// Where it really leads.
        real: PathBuf,
    },
    /// `path` is a symlink whose target does not exist.
    Broken {
        /// The link.
        path: PathBuf,
        /// What the OS said when following it.
        error: String,
    },
}

impl Escape {
    /// The link or path that escapes.
    pub fn path(&self) -> &Path {
        match self {
            Self::Outside { path, .. } | Self::Broken { path, .. } => path,
        }
    }

    /// Why, without the path (for messages that name the path already).
    pub fn reason(&self) -> String {
        match self {
            Self::Outside { real, .. } => format!(
                "this symlink points outside the project (to {}); stance neither reads nor writes through it. Copy the file into the project instead of linking it",
                real.display()
            ),
            Self::Broken { error, .. } => format!(
                "this symlink is broken ({error}); remove it or point it at a file in the project"
            ),
        }
    }
}

impl fmt::Display for Escape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path().display(), self.reason())
    }
}

/// How much an unread entry matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Something is wrong and data may be missing (a link out of the project, an unreadable
    /// folder).
    Error,
    /// Something is there that stance does not read (a badly named file or folder).
    Warning,
}

/// An entry the walk found and leaves unread, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The entry.
    pub path: PathBuf,
    /// How much it matters.
    pub severity: Severity,
    /// Why it is not read, and how to fix it.
    pub message: String,
    /// Set when the reason is a link out of the project (or a broken one).
    pub escape: Option<Escape>,
}

impl Skipped {
    fn error(path: &Path, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            severity: Severity::Error,
            message: message.into(),
            escape: None,
        }
    }

    fn warning(path: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, message)
        }
    }

    fn escaping(e: Escape) -> Self {
        Self {
            path: e.path().to_owned(),
            severity: Severity::Error,
            message: e.reason(),
            escape: Some(e),
        }
    }

    /// Whether this is an error (data may be missing), not just a note.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same as a load error (`path:1:1: message`), for callers that list files they
    /// could not read.
    pub fn to_load_error(&self) -> crate::core::storage::store::LoadError {
        crate::core::storage::store::LoadError::Invalid {
            path: self.path.clone(),
            pos: crate::core::storage::store::Pos { line: 1, col: 1 },
            message: self.message.clone(),
        }
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {what}: {}", self.path.display(), self.message)
    }
}

/// An annotation file found in a project, by its place in the folder layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotationLocation {
    /// The article folder's name.
    pub article: String,
    /// The file stem.
    pub annotator: String,
    /// The file.
    pub path: PathBuf,
}

/// A side file: `annotations/<article>/<kind>.<name>.ron`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideFile {
    /// `review` or `questions` (see [`SIDE_KINDS`]).
    pub kind: &'static str,
    /// The editor (review) or coder (questions) it belongs to.
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// What one article's annotation folder holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleFolder {
    /// The article id (the folder's name).
    pub article: String,
    /// Annotation files as `(annotator, path)`, sorted by annotator (`gold` among them).
    pub annotators: Vec<(String, PathBuf)>,
    /// Side files, sorted by kind, then name.
    pub sides: Vec<SideFile>,
    /// Temp files of saves killed mid-way (their process is gone): safe to remove.
    pub stale_temps: Vec<PathBuf>,
}

impl ArticleFolder {
    /// The side files of one kind as `(name, path)`, sorted by name.
    pub fn sides_of(&self, kind: &str) -> Vec<(String, PathBuf)> {
        self.sides
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| (s.name.clone(), s.path.clone()))
            .collect()
    }
}

/// The walk of a whole `annotations/` folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Annotations {
    /// One entry per article folder with a usable name, sorted by article.
    pub folders: Vec<ArticleFolder>,
    /// Entries left unread, in walk order.
    pub skipped: Vec<Skipped>,
}

impl Annotations {
    /// Every annotation file, sorted by article then annotator.
    pub fn locations(&self) -> Vec<AnnotationLocation> {
        self.folders
            .iter()
            .flat_map(|f| {
                f.annotators
                    .iter()
                    .map(|(annotator, path)| AnnotationLocation {
                        article: f.article.clone(),
                        annotator: annotator.clone(),
                        path: path.clone(),
                    })
            })
            .collect()
    }

    /// The links out of the project (or broken ones) that were refused.
    pub fn escapes(&self) -> impl Iterator<Item = &Escape> {
        self.skipped.iter().filter_map(|s| s.escape.as_ref())
    }

    /// The folder of `article`, if the walk found one.
    pub fn folder(&self, article: &str) -> Option<&ArticleFolder> {
        self.folders
            .binary_search_by(|f| f.article.as_str().cmp(article))
            .ok()
            .map(|i| &self.folders[i])
    }
}

/// The project root made absolute with its links resolved; `None` if it does not exist.
fn canonical(root: &Path) -> Option<PathBuf> {
    fs::canonicalize(root).ok()
}

/// Judges one symlink: fine when it resolves inside `canonical_root`.
fn judge_link(path: &Path, canonical_root: &Path) -> Option<Escape> {
    match fs::canonicalize(path) {
        Ok(real) if real.starts_with(canonical_root) => None,
        Ok(real) => Some(Escape::Outside {
            path: path.to_owned(),
            real,
        }),
        Err(e) => Some(Escape::Broken {
            path: path.to_owned(),
            error: e.to_string(),
        }),
    }
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Whether reading or writing `path` would leave the project in `root`: some existing part of
/// it below the root is a symlink resolving outside the project (or a broken one), or the path
/// is not in the project at all. Parts that do not exist yet are fine (they will be created as
/// plain folders and files inside a checked parent).
///
/// This is the one rule every command and the window apply before reading or writing a file of
/// the project.
pub fn escape(root: &Path, path: &Path) -> Option<Escape> {
    escape_below(&canonical(root)?, root, path)
}

/// [`escape`] with the root's canonical form already known (walks judge many paths).
fn escape_below(canonical_root: &Path, root: &Path, path: &Path) -> Option<Escape> {
    let Ok(rel) = path.strip_prefix(root) else {
        // Not under the root as written: judge where it really is (or would be).
        let existing = path.ancestors().find(|p| fs::symlink_metadata(p).is_ok())?;
        return match fs::canonicalize(existing) {
            Ok(real) if real.starts_with(canonical_root) => None,
            Ok(real) => Some(Escape::Outside {
                path: path.to_owned(),
                real,
            }),
            Err(e) => Some(Escape::Broken {
                path: existing.to_owned(),
                error: e.to_string(),
            }),
        };
    };
    let mut at = root.to_owned();
    for part in rel.components() {
        match part {
            Component::Normal(name) => at.push(name),
            // `..` or an absolute part inside a project path: judge the whole path.
            _ => {
                return fs::canonicalize(path)
                    .ok()
                    .filter(|real| !real.starts_with(canonical_root))
                    .map(|real| Escape::Outside {
                        path: path.to_owned(),
                        real,
                    });
            }
        }
        let Ok(meta) = fs::symlink_metadata(&at) else {
            return None; // nothing further exists
        };
        if meta.file_type().is_symlink()
            && let Some(e) = judge_link(&at, canonical_root)
        {
            return Some(e);
        }
    }
    None
}

/// What a folder entry is, as its directory entry says (no `stat` for plain entries on most
/// file systems: a walk of 10,000 files stays a walk of folders).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Dir,
    File,
    Link,
    /// Anything else, or not said: looked at through the file system when it matters.
    Other,
}

/// One entry of a folder.
struct Entry {
    path: PathBuf,
    name: String,
    kind: Kind,
}

impl Entry {
    /// Whether it is (or, for a link already judged, leads to) a folder.
    fn is_dir(&self) -> bool {
        match self.kind {
            Kind::Dir => true,
            Kind::File => false,
            Kind::Link | Kind::Other => self.path.is_dir(),
        }
    }

    /// Whether it is (or, for a link already judged, leads to) a plain file.
    fn is_file(&self) -> bool {
        match self.kind {
            Kind::File => true,
            Kind::Dir => false,
            Kind::Link | Kind::Other => self.path.is_file(),
        }
    }

    fn is_link(&self) -> bool {
        self.kind == Kind::Link
    }
}

/// The entries of `dir`, sorted by name; an unreadable folder and names that are not UTF-8
/// become skipped entries.
fn entries(dir: &Path, skipped: &mut Vec<Skipped>) -> Vec<Entry> {
    let list = match fs::read_dir(dir) {
        Ok(list) => list,
        Err(e) => {
            skipped.push(Skipped::error(dir, format!("cannot read the folder: {e}")));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for entry in list.flatten() {
        let path = entry.path();
        let kind = match entry.file_type() {
            Ok(t) if t.is_symlink() => Kind::Link,
            Ok(t) if t.is_dir() => Kind::Dir,
            Ok(t) if t.is_file() => Kind::File,
            _ => Kind::Other,
        };
        match entry.file_name().into_string() {
            Ok(name) => out.push(Entry { path, name, kind }),
            Err(_) => skipped.push(Skipped::warning(
                &path,
                "the name is not valid UTF-8; rename it (it is not read)",
            )),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The article files (`seeds/*.txt`), sorted, and the entries left unread: links out of the
/// project, and `.txt` entries that are not files.
pub fn articles(root: &Path) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let dir = root.join(ARTICLES_DIR);
    if fs::symlink_metadata(&dir).is_err() {
        return (found, skipped);
    }
    let Some(canonical_root) = canonical(root) else {
        return (found, skipped);
    };
    if is_link(&dir)
        && let Some(e) = judge_link(&dir, &canonical_root)
    {
        skipped.push(Skipped::escaping(e));
        return (found, skipped);
    }
    if !dir.is_dir() {
        return (found, skipped);
    }
    for entry in entries(&dir, &mut skipped) {
        if Path::new(&entry.name)
            .extension()
            .is_none_or(|e| e != "txt")
        {
            continue;
        }
        if entry.is_link()
            && let Some(e) = judge_link(&entry.path, &canonical_root)
        {
            skipped.push(Skipped::escaping(e));
            continue;
        }
        if entry.is_file() {
            found.push(entry.path);
        }
    }
    (found, skipped)
}

/// Whether `root/seeds` holds anything at all (an article, a sidecar, a stray file): a folder
/// a generator must not write into.
pub fn articles_dir_in_use(root: &Path) -> bool {
    fs::read_dir(super::layout::articles_dir(root)).is_ok_and(|mut d| d.next().is_some())
}

/// The source sidecars in `seeds/` (`<id>.source.ron`, see [`super::layout::source_path`]),
/// sorted, links among them: the caller judges each one with [`escape`] and says which it
/// refused (a sidecar is a finding of `stance check`, not a walk verdict).
pub fn source_files(root: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(super::layout::articles_dir(root))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(super::layout::source_article)
                .is_some()
        })
        .collect();
    paths.sort();
    paths
}

/// Walks `root/annotations`: every article folder, its annotation files and side files, and
/// every entry left unread with the reason.
///
/// Skipped silently (not ours to judge): files that are not `.ron` (notes, backups, locks,
/// journals, `.gitignore`) and stance's own temp files. Reported: links out of the project or
/// broken ones (errors), folders that cannot be read (errors), `.ron` files directly under
/// `annotations/`, folder names that are not article ids and file names that are not
/// annotator names (warnings).
pub fn annotations(root: &Path) -> Annotations {
    let mut out = Annotations::default();
    let dir = root.join(ANNOTATIONS_DIR);
    if fs::symlink_metadata(&dir).is_err() {
        return out;
    }
    let Some(canonical_root) = canonical(root) else {
        return out;
    };
    if is_link(&dir)
        && let Some(e) = judge_link(&dir, &canonical_root)
    {
        out.skipped.push(Skipped::escaping(e));
        return out;
    }
    let mut folders = Vec::new();
    for entry in entries(&dir, &mut out.skipped) {
        if entry.is_link()
            && let Some(e) = judge_link(&entry.path, &canonical_root)
        {
            out.skipped.push(Skipped::escaping(e));
            continue;
        }
        if !entry.is_dir() {
            if Path::new(&entry.name)
                .extension()
                .is_some_and(|e| e == "ron")
            {
                out.skipped.push(Skipped::warning(
                    &entry.path,
                    format!(
                        "annotation files belong in `{ANNOTATIONS_DIR}/<article>/<annotator>.ron`; this one is not read"
                    ),
                ));
            }
            continue;
        }
        if let Err(e) = names::validate_name(&entry.name) {
            out.skipped.push(Skipped::warning(
                &entry.path,
                format!("the folder name is not an article id ({e}); its files are not read"),
            ));
            continue;
        }
        folders.push(entry);
    }
    // Folders are independent: listed on every core (2,000 of them in a large project).
    let read: Vec<(ArticleFolder, Vec<Skipped>)> = folders
        .par_iter()
        .map(|entry| {
            let mut skipped = Vec::new();
            let f = read_folder(&entry.path, &entry.name, &canonical_root, &mut skipped);
            (f, skipped)
        })
        .collect();
    for (f, skipped) in read {
        out.skipped.extend(skipped);
        out.folders.push(f);
    }
    out
}

/// Every annotation file under `root/annotations`, by location, plus a finding for each entry
/// that is there but will not be read (the project walker's verdicts, see
/// [`annotations`]).
///
/// Side files (`review.ed.ron`: a dot in the stem) are skipped silently; they belong to the
/// review work. A symlink whose target lies outside the project is an error and is never
/// followed, so a shared folder cannot make stance read (or later write) files elsewhere.
pub fn annotation_locations(root: &Path) -> (Vec<AnnotationLocation>, Vec<Finding>) {
    let walk = annotations(root);
    (
        walk.locations(),
        walk.skipped.iter().map(Finding::from).collect(),
    )
}

impl From<&Skipped> for Finding {
    fn from(s: &Skipped) -> Self {
        let pos = Pos { line: 1, col: 1 };
        match s.severity {
            Severity::Error => Self::error(&s.path, pos, s.message.clone()),
            Severity::Warning => Self::warning(&s.path, pos, s.message.clone()),
        }
    }
}

/// One article's annotation folder, judged like [`annotations`] does (the `annotations/`
/// folder and the article folder themselves included): an empty listing when it does not
/// exist or leads out of the project.
pub fn article_folder(root: &Path, article: &str) -> (ArticleFolder, Vec<Skipped>) {
    let mut skipped = Vec::new();
    let empty = ArticleFolder {
        article: article.to_owned(),
        ..ArticleFolder::default()
    };
    if names::validate_name(article).is_err() {
        return (empty, skipped);
    }
    let folder = root.join(ANNOTATIONS_DIR).join(article);
    if fs::symlink_metadata(&folder).is_err() {
        return (empty, skipped);
    }
    let Some(canonical_root) = canonical(root) else {
        return (empty, skipped);
    };
    if let Some(e) = escape_below(&canonical_root, root, &folder) {
        skipped.push(Skipped::escaping(e));
        return (empty, skipped);
    }
    if !folder.is_dir() {
        return (empty, skipped);
    }
    let f = read_folder(&folder, article, &canonical_root, &mut skipped);
    (f, skipped)
}

/// The files of one article folder already judged to be inside the project.
fn read_folder(
    folder: &Path,
    article: &str,
    canonical_root: &Path,
    skipped: &mut Vec<Skipped>,
) -> ArticleFolder {
    let mut out = ArticleFolder {
        article: article.to_owned(),
        ..ArticleFolder::default()
    };
    for entry in entries(folder, skipped) {
        if let Some(target) = temp_target(&entry.name) {
            if !entry.is_link() && target.1.is_some_and(|pid| !pid_is_alive(pid)) {
                out.stale_temps.push(entry.path);
            }
            continue;
        }
        let Some(stem) = entry.name.strip_suffix(".ron") else {
            continue; // notes, backups, locks, journals: not ours to judge
        };
        if entry.is_link()
            && let Some(e) = judge_link(&entry.path, canonical_root)
        {
            skipped.push(Skipped::escaping(e));
            continue;
        }
        if !entry.is_file() {
            continue;
        }
        let path = entry.path.clone();
        if let Some((kind, rest)) = stem.split_once('.') {
            // `review.ed.ron`, `questions.ana.ron`; any other dotted name is not ours.
            if let Some(kind) = SIDE_KINDS.iter().find(|k| **k == kind)
                && names::validate_person(rest).is_ok()
            {
                out.sides.push(SideFile {
                    kind,
                    name: rest.to_owned(),
                    path,
                });
            }
            continue;
        }
        if let Err(e) = names::validate_annotator(stem) {
            skipped.push(Skipped::warning(
                &path,
                format!("the file name is not an annotator name ({e}); stance does not read it"),
            ));
            continue;
        }
        out.annotators.push((stem.to_owned(), path));
    }
    out.sides
        .sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    out
}

/// `.alice.ron.1234.tmp` → `("alice.ron", Some(1234))`: the temp file of an atomic save of
/// `alice.ron` by process 1234 (see [`crate::core::storage::store::write_atomic`]).
pub fn temp_target(name: &str) -> Option<(&str, Option<u32>)> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (file, pid) = inner.rsplit_once('.')?;
    Some((file, pid.parse().ok()))
}

/// Whether process `pid` of this machine may still be running (so its temp file may be a save
/// in progress). Temp files carry no host: a project on a shared drive is judged from here.
fn pid_is_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    lock::is_alive(&lock::LockInfo {
        pid,
        host: lock::host_name(),
        since: crate::core::model::annotation::now(),
        nonce: String::new(),
    })
}

/// Removes the temp files left by killed saves in one folder (`.<name>.<pid>.tmp` whose
/// process is gone); only those of `file_name` when given. Returns how many were removed.
/// Best effort: a temp file that cannot be removed is harmless, nothing ever reads one.
pub fn remove_stale_temps(dir: &Path, file_name: Option<&str>) -> usize {
    let Ok(list) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in list.flatten() {
        let name = entry.file_name();
        let Some((target, Some(pid))) = name.to_str().and_then(temp_target) else {
            continue;
        };
        if file_name.is_some_and(|f| f != target) || entry.file_type().is_ok_and(|t| t.is_symlink())
        {
            continue;
        }
        if !pid_is_alive(pid) && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Removes every stale temp file of the project (see [`remove_stale_temps`]): in the article
/// folders of `annotations/`, in `annotations/` and `seeds/` themselves and beside the
/// codebook; never behind a link out of the project. Run by every command that writes into a
/// project. Returns how many were removed.
pub fn sweep_stale_temps(root: &Path) -> usize {
    let in_folders = annotations(root)
        .folders
        .iter()
        .flat_map(|f| &f.stale_temps)
        .filter(|p| fs::remove_file(p).is_ok())
        .count();
    let around: usize = [
        root.to_owned(),
        root.join(ANNOTATIONS_DIR),
        root.join(ARTICLES_DIR),
    ]
    .iter()
    .filter(|dir| dir.is_dir() && escape(root, dir).is_none())
    .map(|dir| remove_stale_temps(dir, None))
    .sum();
    in_folders + around
}

/// Why a file of the project cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file, or a folder on its way, leads out of the project.
    #[error("{0}; nothing was written")]
    Escape(Escape),
    /// A folder could not be made.
    #[error("cannot create {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// Makes ready to write `path`, a file of the project in `root`: refuses a path that leads out
/// of the project ([`escape`]), creates its folders, writes `annotations/.gitignore` when it
/// is missing (so locks, journals and temp files stay out of git from the first save on), and
/// removes the temp files killed saves of this file left behind.
pub fn prepare_write(root: &Path, path: &Path) -> Result<(), WriteError> {
    if let Some(e) = escape(root, path) {
        return Err(WriteError::Escape(e));
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|source| WriteError::Io {
            path: dir.to_owned(),
            source,
        })?;
        // Created just now through checked parents; a race that swaps in a link is judged
        // once more before writing.
        if let Some(e) = escape(root, path) {
            return Err(WriteError::Escape(e));
        }
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            remove_stale_temps(dir, Some(name));
        }
    }
    ensure_gitignore(root);
    Ok(())
}

/// The project root of a file at `<root>/annotations/<article>/<file>`, judged by the path's
/// shape alone.
pub fn root_of_file(path: &Path) -> Option<&Path> {
    let annotations = path.parent()?.parent()?;
    if annotations.file_name()? != ANNOTATIONS_DIR {
        return None;
    }
    match annotations.parent()? {
        p if p.as_os_str().is_empty() => Some(Path::new(".")),
        p => Some(p),
    }
}

/// Refuses to read `path`, a file at `<root>/annotations/<article>/<file>`, when it lies
/// behind a link out of its project ([`escape`]). A file outside any project (opened by name)
/// is read as named.
pub fn check_file_read(path: &Path) -> Result<(), Escape> {
    match root_of_file(path).and_then(|root| escape(root, path)) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// [`prepare_write`] for a file whose project is known from its place
/// (`<root>/annotations/<article>/<file>`); a file elsewhere (a loose file opened for review)
/// only gets its folder made.
pub fn prepare_file_write(path: &Path) -> Result<(), WriteError> {
    if let Some(root) = root_of_file(path) {
        return prepare_write(root, path);
    }
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            fs::create_dir_all(dir).map_err(|source| WriteError::Io {
                path: dir.to_owned(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// Writes `annotations/.gitignore` ([`GITIGNORE`]) if the project has an `annotations/`
/// folder without one. Best effort: a project that is not in git loses nothing without it.
pub fn ensure_gitignore(root: &Path) {
    let dir = root.join(ANNOTATIONS_DIR);
    let path = dir.join(".gitignore");
    if dir.is_dir() && fs::symlink_metadata(&path).is_err() && escape(root, &path).is_none() {
        let _ = crate::core::storage::store::write_atomic(&path, GITIGNORE.as_bytes());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("seeds")).unwrap();
        fs::write(dir.path().join("seeds/a1.txt"), "Title\n\nText.\n").unwrap();
        let art = dir.path().join("annotations/a1");
        fs::create_dir_all(&art).unwrap();
        for f in [
            "alice.ron",
            "gold.ron",
            "review.ed.ron",
            "questions.alice.ron",
            "alice.review.ron",
            "notes.txt",
            "alice.ron.lock",
            ".alice.ron.journal",
        ] {
            fs::write(art.join(f), "x").unwrap();
        }
        dir
    }

    #[test]
    fn the_walk_sorts_files_into_annotations_side_files_and_the_rest() {
        let dir = project();
        let walk = annotations(dir.path());
        assert_eq!(walk.skipped, vec![]);
        let [folder] = walk.folders.as_slice() else {
            panic!("one folder: {walk:?}");
        };
        let names: Vec<&str> = folder.annotators.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(names, ["alice", "gold"]);
        assert_eq!(folder.sides_of("review")[0].0, "ed");
        assert_eq!(folder.sides_of("questions")[0].0, "alice");
        assert_eq!(walk.locations().len(), 2);
        let (one, skipped) = article_folder(dir.path(), "a1");
        assert_eq!(&one, folder);
        assert!(skipped.is_empty());
        let (articles, skipped) = articles(dir.path());
        assert_eq!(articles, [dir.path().join("seeds/a1.txt")]);
        assert!(skipped.is_empty());
    }

    #[test]
    fn temp_names_are_recognised() {
        assert_eq!(
            temp_target(".alice.ron.42.tmp"),
            Some(("alice.ron", Some(42)))
        );
        assert_eq!(temp_target(".alice.ron.x.tmp"), Some(("alice.ron", None)));
        assert_eq!(temp_target("alice.ron"), None);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_project_are_refused_everywhere_links_inside_followed() {
        let dir = project();
        let root = dir.path();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(outside.path().join("a2")).unwrap();
        fs::write(outside.path().join("a2/bob.ron"), "x").unwrap();
        // A folder inside the project linked under another name is fine.
        std::os::unix::fs::symlink(root.join("annotations/a1"), root.join("annotations/a3"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path().join("a2"), root.join("annotations/a2")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("nope"), root.join("seeds/gone.txt"))
            .unwrap();
        let walk = annotations(root);
        let arts: Vec<&str> = walk.folders.iter().map(|f| f.article.as_str()).collect();
        assert_eq!(arts, ["a1", "a3"]);
        assert_eq!(walk.escapes().count(), 1);
        assert_eq!(walk.skipped[0].path, root.join("annotations/a2"));
        assert!(
            walk.skipped[0]
                .message
                .contains("points outside the project")
        );
        let (f, skipped) = article_folder(root, "a2");
        assert!(f.annotators.is_empty());
        assert_eq!(skipped.len(), 1);
        let (arts, skipped) = articles(root);
        assert_eq!(arts.len(), 1);
        assert!(skipped[0].message.contains("broken"), "{skipped:?}");
        // The rule for one path: a file that does not exist yet is judged by its folders.
        assert!(escape(root, &root.join("annotations/a2/new.ron")).is_some());
        assert!(escape(root, &root.join("annotations/a3/new.ron")).is_none());
        assert!(escape(root, &root.join("annotations/a9/x/new.ron")).is_none());
        assert!(escape(root, &outside.path().join("a2/bob.ron")).is_some());
        // The whole annotations folder linked away: nothing is listed, nothing written.
        fs::rename(root.join("annotations"), root.join("old")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("annotations")).unwrap();
        let walk = annotations(root);
        assert!(walk.folders.is_empty());
        assert_eq!(walk.escapes().count(), 1);
        let err = prepare_write(root, &root.join("annotations/a2/bob.ron")).unwrap_err();
        assert!(matches!(err, WriteError::Escape(_)), "{err}");
        assert!(!outside.path().join(".gitignore").exists());
    }

    #[test]
    fn prepare_write_makes_folders_the_gitignore_and_sweeps_dead_temps() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let path = root.join("annotations/a1/alice.ron");
        prepare_write(root, &path).unwrap();
        assert!(root.join("annotations/a1").is_dir());
        assert_eq!(
            fs::read_to_string(root.join("annotations/.gitignore")).unwrap(),
            GITIGNORE
        );
        // A user's own .gitignore is never replaced.
        fs::write(root.join("annotations/.gitignore"), "mine\n").unwrap();
        let dead = root.join("annotations/a1/.alice.ron.4000000000.tmp");
        let live = root.join(format!(
            "annotations/a1/.alice.ron.{}.tmp",
            std::process::id()
        ));
        let other = root.join("annotations/a1/.bob.ron.4000000000.tmp");
        for f in [&dead, &live, &other] {
            fs::write(f, "half").unwrap();
        }
        prepare_write(root, &path).unwrap();
        assert_eq!(
            fs::read_to_string(root.join("annotations/.gitignore")).unwrap(),
            "mine\n"
        );
        assert!(!dead.exists());
        assert!(live.exists());
        assert!(other.exists(), "only this file's temps on a write");
        let seeds = root.join("seeds/.a1.txt.4000000000.tmp");
        fs::create_dir_all(seeds.parent().unwrap()).unwrap();
        fs::write(&seeds, "half an imported article").unwrap();
        // A journal rewritten in one rename (after a restore or a merge) leaves
        // `..alice.ron.journal.<pid>.tmp` when killed: swept as well.
        let journal = root.join("annotations/a1/..alice.ron.journal.4000000000.tmp");
        fs::write(&journal, "half a journal").unwrap();
        assert_eq!(sweep_stale_temps(root), 3);
        assert!(!other.exists());
        assert!(!seeds.exists());
        assert!(!journal.exists());
    }
}
