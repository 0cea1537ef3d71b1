//! A project folder: `seeds/` (articles), `annotations/` and an optional `codebook.ron`.
//! This module is the one owner of that layout on disk: where each file goes ([`layout`]),
//! and (in [`walk`]) which files are there and which are left unread, with the rule that keeps
//! every read and write inside the project.
//!
//! ```text
//! project/
//!   codebook.ron                      optional; the embedded default otherwise
//!   seeds/<article-id>.txt            UTF-8 article texts
//!   annotations/<article-id>/<annotator>.ron
//!   annotations/<article-id>/review.<editor>.ron, questions.<coder>.ron
//!   annotations/.gitignore            written by stance: locks, journals, temp files
//! ```

pub mod export;
pub mod generate;
pub mod import;
pub mod layout;
pub mod migrate;
pub mod sample;
pub mod walk;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::model::codebook::{Codebook, CodebookProblem};
use crate::core::model::names::{self, NameError};
use crate::core::storage::store::{self, LoadError, Pos};
use crate::core::text::corpus::Article;

pub use layout::{ANNOTATIONS_DIR, ARTICLES_DIR, CODEBOOK_FILE};

/// Where the codebook in use came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodebookSource {
    /// The embedded `assets/codebook.ron`.
    Default,
    /// The project's `codebook.ron`.
    File(PathBuf),
}

/// An opened project: its codebook and articles. Annotation files are loaded on demand.
#[derive(Clone, Debug)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    /// The codebook in use.
    pub codebook: Codebook,
    /// Where it came from.
    pub codebook_source: CodebookSource,
    /// Articles, sorted by id.
    pub articles: Vec<Article>,
}

/// A problem found while opening a project that did not stop it from opening.
#[derive(Debug)]
pub struct OpenProblem(pub LoadError);

impl Project {
    /// Opens the project in `root`. A broken codebook is an error (nothing can be coded
    /// without one); an unreadable article is reported and left out.
    pub fn open(root: &Path) -> Result<(Self, Vec<LoadError>), LoadError> {
        Self::open_watched(root, &|_, _| {})
    }

    /// [`Self::open`], calling `loaded(1, total)` as each of the `total` articles is read (on
    /// any thread), so a window can show how far it got.
    pub fn open_watched(
        root: &Path,
        loaded: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<(Self, Vec<LoadError>), LoadError> {
        let (codebook, codebook_source) = load_codebook(root)?;
        let (paths, refused) = walk::articles(root);
        // A link out of the project is not read, and said so.
        let mut problems: Vec<LoadError> = refused
            .iter()
            .filter(|s| s.is_error())
            .map(walk::Skipped::to_load_error)
            .collect();
        let mut articles = Vec::new();
        // Reading and segmenting is independent per article: on every core (a 2,000-article
        // project opens in about half the time on two).
        let total = paths.len();
        let results: Vec<Result<Article, LoadError>> = paths
            .par_iter()
            .map(|path| {
                let article = load_article(path, &codebook);
                loaded(1, total);
                article
            })
            .collect();
        for r in results {
            match r {
                Ok(a) => articles.push(a),
                Err(e) => problems.push(e),
            }
        }
        articles.sort_by(|a, b| a.id.cmp(&b.id));
        Ok((
            Self {
                root: root.to_owned(),
                codebook,
                codebook_source,
                articles,
            },
            problems,
        ))
    }

    /// The article with this id.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// `annotations/<article>/<annotator>.ron`, after checking both names are safe.
    pub fn annotation_path(&self, article_id: &str, annotator: &str) -> Result<PathBuf, NameError> {
        annotation_path(&self.root, article_id, annotator)
    }

    /// Every annotation file of an article, as `(annotator, path)`, sorted by annotator.
    /// Side files and anything not named `<annotator>.ron` are left out, and so is anything
    /// behind a link out of the project ([`walk::article_folder`] says why).
    pub fn annotation_files(&self, article_id: &str) -> Vec<(String, PathBuf)> {
        walk::article_folder(&self.root, article_id).0.annotators
    }
}

/// Whether `dir` is a project folder: it holds `seeds/` or `annotations/`.
pub fn is_project(dir: &Path) -> bool {
    dir.join(ARTICLES_DIR).is_dir() || dir.join(ANNOTATIONS_DIR).is_dir()
}

/// `root/annotations/<article>/<annotator>.ron`, after checking both names are safe.
pub fn annotation_path(
    root: &Path,
    article_id: &str,
    annotator: &str,
) -> Result<PathBuf, NameError> {
    names::validate_name(article_id)?;
    names::validate_annotator(annotator)?;
    Ok(layout::annotation_dir(root, article_id).join(layout::annotation_file_name(annotator)))
}

/// `root/annotations/<article>/<kind>.<name>.ron` (a review, questions…), after checking both
/// names are safe.
pub fn side_file_path(
    root: &Path,
    article: &str,
    kind: &str,
    name: &str,
) -> Result<PathBuf, NameError> {
    names::validate_name(article)?;
    names::validate_person(name)?;
    Ok(layout::annotation_dir(root, article).join(layout::side_file_name(kind, name)))
}

/// An article's `<kind>.<name>.ron` side files as `(name, path)`, sorted by name, as the
/// project walker finds them: names that are not valid and links out of the project are left
/// out.
pub fn side_files(root: &Path, article: &str, kind: &str) -> Vec<(String, PathBuf)> {
    walk::article_folder(root, article).0.sides_of(kind)
}

/// The project's codebook, or the default when it has none. A codebook that contradicts
/// itself is refused with every problem listed.
pub fn load_codebook(root: &Path) -> Result<(Codebook, CodebookSource), LoadError> {
    let path = root.join(CODEBOOK_FILE);
    if fs::symlink_metadata(&path).is_err() {
        return Ok((Codebook::default_codebook(), CodebookSource::Default));
    }
    // A codebook linked from outside the project is not read (the walker's rule).
    if let Some(e) = walk::escape(root, &path) {
        return Err(LoadError::Invalid {
            path,
            pos: Pos { line: 1, col: 1 },
            message: e.reason(),
        });
    }
    let cb = load_codebook_file(&path)?;
    Ok((cb, CodebookSource::File(path)))
}

/// Loads and validates one codebook file.
pub fn load_codebook_file(path: &Path) -> Result<Codebook, LoadError> {
    let text = store::read_text(path, "a stance codebook (RON)")?;
    let cb: Codebook = store::parse_ron(path, &text)?;
    let problems = cb.validate();
    if let Some(first) = problems.first() {
        let more = problems.len() - 1;
        let message = if more == 0 {
            format!("the codebook contradicts itself: {first}")
        } else {
            format!(
                "the codebook contradicts itself: {first} (and {more} more problems; run `stance check`)"
            )
        };
        // Point at the clashing key or alias as `stance check` does: a bare search for the
        // name found it in comments first (`f` in "share the key 'f'").
        let pos = codebook_problem_pos(&text, first);
        return Err(LoadError::Invalid {
            path: path.to_owned(),
            pos,
            message,
        });
    }
    Ok(cb)
}

/// Where a codebook problem is: the first back-quoted name it mentions (a key, an id or an
/// alias) as it is written in the file; the top of the file when it cannot be found.
///
/// For a clash ("used twice", "given to both", "claimed by both") it is the second
/// occurrence, the one that clashes with what came before.
pub fn codebook_problem_pos(text: &str, problem: &CodebookProblem) -> Pos {
    let top = Pos { line: 1, col: 1 };
    let Some(name) = problem.0.split('`').nth(1) else {
        return top;
    };
    // Most specific spelling first, so a comment mentioning 'f' is not taken for the key.
    let needles = [
        format!("key: '{name}'"),
        format!("id: \"{name}\""),
        format!("\"{name}\""),
        format!("'{name}'"),
    ];
    let clash = ["twice", "both"].iter().any(|w| problem.0.contains(w));
    for needle in &needles {
        let hits: Vec<usize> = text
            .match_indices(needle.as_str())
            .map(|(i, _)| i)
            .collect();
        let pick = if clash {
            hits.get(1).or(hits.first())
        } else {
            hits.first()
        };
        if let Some(&offset) = pick {
            return Pos::of_offset(text, offset);
        }
    }
    top
}

/// The `.txt` files in `root/seeds`, sorted; links out of the project are left out (see
/// [`walk::articles`] for why each one was).
pub fn article_paths(root: &Path) -> Vec<PathBuf> {
    walk::articles(root).0
}

/// Loads one article file (size limit, UTF-8) and segments it with the codebook's
/// boilerplate rules.
pub fn load_article(path: &Path, codebook: &Codebook) -> Result<Article, LoadError> {
    let text = store::read_text(path, "an article as UTF-8 text")?;
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    if let Err(e) = names::validate_name(&id) {
        return Err(LoadError::Invalid {
            path: path.to_owned(),
            pos: Pos { line: 1, col: 1 },
            message: format!("the file name cannot be an article id: {e}"),
        });
    }
    Ok(Article::new(
        id,
        path.to_owned(),
        &text,
        &codebook.boilerplate,
    ))
}

/// Why an article could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The source could not be read or is not an article.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The file name cannot be an article id.
    #[error("{0}: the file name cannot be an article id: {1}")]
    Name(PathBuf, NameError),
    /// An article with that id exists.
    #[error("the project already has an article `{0}`; rename the file to import it")]
    Exists(String),
    /// Copying failed.
    #[error("could not write {0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// `seeds/` (or the file) is a link out of the project.
    #[error("{0}; nothing was written")]
    Escape(walk::Escape),
}

/// Copies a UTF-8 text file into the project's `seeds/` as a new article, byte for byte.
/// Refuses names that are not safe ids and never replaces an existing article.
pub fn import_article(root: &Path, source: &Path) -> Result<PathBuf, ImportError> {
    let text = store::read_text(source, "an article as UTF-8 text")?;
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    names::validate_name(&stem).map_err(|e| ImportError::Name(source.to_owned(), e))?;
    let dir = root.join(ARTICLES_DIR);
    let dest = dir.join(format!("{stem}.txt"));
    if let Some(e) = walk::escape(root, &dest) {
        return Err(ImportError::Escape(e));
    }
    if dest.exists() {
        return Err(ImportError::Exists(stem));
    }
    fs::create_dir_all(&dir).map_err(|e| ImportError::Io(dir.clone(), e))?;
    store::write_atomic(&dest, text.as_bytes()).map_err(|e| ImportError::Io(dest.clone(), e))?;
    Ok(dest)
}

/// The project to work on when none is named: the current folder, if it is one.
///
/// Never the folder stance was built in: a shipped binary must not depend on its build path
/// (and would otherwise check, or write into, a source tree). Without a project the command
/// line says so and the window offers a sample project ([`sample`]). Running from the
/// repository's root (`cargo run --release`) still finds its `seeds/`, since that folder is
/// a project.
pub fn current_project() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    is_project(&here).then_some(here)
}
