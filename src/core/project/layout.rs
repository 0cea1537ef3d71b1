//! Where each file of a project goes: the folder and file names of the layout, and the
//! functions that build and read paths in it. The only place these names are written: every
//! other module asks here (and [`super::walk`] for what is actually there), so a change of
//! layout is a change of this file, and no second copy of it can drift (a test below keeps
//! the rest of `core` and the CLI from spelling the names or listing folders themselves).
//!
//! ```text
//! project/
//!   codebook.ron                              CODEBOOK_FILE
//!   seeds/<article>.txt                       ARTICLES_DIR, article_path
//!   seeds/<article>.source.ron                source_path: where an imported article came from
//!   annotations/<article>/<annotator>.ron     ANNOTATIONS_DIR, annotation_dir (gold.ron among them)
//!   annotations/<article>/<kind>.<name>.ron   side files: review.<editor>.ron, questions.<coder>.ron
//! ```

use std::path::{Path, PathBuf};

/// Folder of article texts inside a project.
pub const ARTICLES_DIR: &str = "seeds";
/// Folder of annotation files inside a project.
pub const ANNOTATIONS_DIR: &str = "annotations";
/// A project's own codebook file.
pub const CODEBOOK_FILE: &str = "codebook.ron";
/// The name of the adjudicated file's annotator (`annotations/<article>/gold.ron`).
pub use crate::core::model::names::GOLD;
/// Kinds of side file in an article's annotation folder, by file-name prefix.
pub const SIDE_KINDS: [&str; 2] = [REVIEW_KIND, QUESTIONS_KIND];
/// The side-file kind of an editor's review: `review.<editor>.ron`.
pub const REVIEW_KIND: &str = "review";
/// The side-file kind of a coder's questions: `questions.<coder>.ron`.
pub const QUESTIONS_KIND: &str = "questions";
/// How an article's source sidecar is named: `seeds/<id>.source.ron`.
pub const SOURCE_SUFFIX: &str = ".source.ron";

/// `root/seeds`.
pub fn articles_dir(root: &Path) -> PathBuf {
    root.join(ARTICLES_DIR)
}

/// `root/annotations`.
pub fn annotations_dir(root: &Path) -> PathBuf {
    root.join(ANNOTATIONS_DIR)
}

/// `root/codebook.ron`.
pub fn codebook_path(root: &Path) -> PathBuf {
    root.join(CODEBOOK_FILE)
}

/// `root/seeds/<id>.txt`. The id is not checked: callers name articles they made or found.
pub fn article_path(root: &Path, id: &str) -> PathBuf {
    articles_dir(root).join(format!("{id}.txt"))
}

/// `root/seeds/<id>.source.ron`, the sidecar saying where an imported article came from.
pub fn source_path(root: &Path, id: &str) -> PathBuf {
    articles_dir(root).join(format!("{id}{SOURCE_SUFFIX}"))
}

/// The article a sidecar file name belongs to: `<id>.source.ron` → `<id>`. Hidden files
/// (temp files of saves) are none.
pub fn source_article(file_name: &str) -> Option<&str> {
    if file_name.starts_with('.') {
        return None;
    }
    file_name.strip_suffix(SOURCE_SUFFIX)
}

/// `root/annotations/<article>`, the folder of an article's annotation and side files. The
/// name is not checked (see [`super::annotation_path`] for the checked path of a file).
pub fn annotation_dir(root: &Path, article: &str) -> PathBuf {
    annotations_dir(root).join(article)
}

/// `<annotator>.ron`, the name of an annotation file in its article's folder.
pub fn annotation_file_name(annotator: &str) -> String {
    format!("{annotator}.ron")
}

/// `root/annotations/<article>/gold.ron`.
pub fn gold_path(root: &Path, article: &str) -> PathBuf {
    annotation_dir(root, article).join(annotation_file_name(GOLD))
}

/// `<kind>.<name>.ron`, the name of a side file in its article's folder.
pub fn side_file_name(kind: &str, name: &str) -> String {
    format!("{kind}.{name}.ron")
}

/// What a file name in an article's annotation folder is, by its name alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileName<'a> {
    /// `<annotator>.ron`: an annotation file.
    Annotation(&'a str),
    /// `<kind>.<name>.ron` with a known kind: a side file.
    Side {
        /// One of [`SIDE_KINDS`].
        kind: &'static str,
        /// Whose it is.
        name: &'a str,
    },
}

/// Reads a file name of an article folder: an annotation file, a side file of a known kind,
/// or `None` (anything else: notes, locks, journals, dotted names of other tools). Names are
/// not validated here; the walker does that.
pub fn parse_file_name(file_name: &str) -> Option<FileName<'_>> {
    let stem = file_name.strip_suffix(".ron")?;
    match stem.split_once('.') {
        None => Some(FileName::Annotation(stem)),
        Some((kind, name)) => {
            let kind = SIDE_KINDS.iter().find(|k| **k == kind)?;
            Some(FileName::Side { kind, name })
        }
    }
}

/// `(root, article)` when `folder` is `root/annotations/<article>`, by its names alone (the
/// article name is not checked).
pub fn article_of_folder(folder: &Path) -> Option<(&Path, &str)> {
    let article = folder.file_name()?.to_str()?;
    let annotations = folder.parent()?;
    if annotations.file_name()? != ANNOTATIONS_DIR {
        return None;
    }
    Some((annotations.parent()?, article))
}

/// The project root of an article file, `root/seeds/<article>.txt` → `root`, by its names
/// alone.
pub fn root_of_article(file: &Path) -> Option<&Path> {
    file.parent()
        .filter(|dir| dir.file_name().is_some_and(|n| n == ARTICLES_DIR))
        .and_then(Path::parent)
}

/// The rest of `relative` (a `/`-separated path inside the project, as git lists them) when
/// it lies under `annotations/`: `annotations/a1/amira.ron` → `a1/amira.ron`.
pub fn in_annotations(relative: &str) -> Option<&str> {
    relative.strip_prefix(ANNOTATIONS_DIR)?.strip_prefix('/')
}

/// Where a file of the project is, from its path relative to the root (`/`-separated, as
/// git lists them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place<'a> {
    /// Under `seeds/`: an article or its sidecar.
    Articles,
    /// `annotations/<article>/<file>`, with what its name says it is (`None`: not ours).
    InArticleFolder {
        /// The article folder.
        article: &'a str,
        /// The file, read by [`parse_file_name`].
        file: Option<FileName<'a>>,
    },
    /// A file at the top of the project (the codebook, the plan, git's files).
    Top(&'a str),
    /// Anywhere else.
    Other,
}

/// Where `relative` (a `/`-separated path inside the project) is in the layout.
pub fn place(relative: &str) -> Place<'_> {
    let parts: Vec<&str> = relative.split('/').collect();
    match parts.as_slice() {
        [ANNOTATIONS_DIR, article, file] => Place::InArticleFolder {
            article,
            file: parse_file_name(file),
        },
        [ARTICLES_DIR, ..] => Place::Articles,
        [file] => Place::Top(file),
        _ => Place::Other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_layout() {
        let root = Path::new("/p");
        assert_eq!(article_path(root, "a1"), Path::new("/p/seeds/a1.txt"));
        assert_eq!(source_path(root, "a1"), Path::new("/p/seeds/a1.source.ron"));
        assert_eq!(
            gold_path(root, "a1"),
            Path::new("/p/annotations/a1/gold.ron")
        );
        assert_eq!(codebook_path(root), Path::new("/p/codebook.ron"));
        assert_eq!(
            annotation_dir(root, "a1").join(side_file_name(REVIEW_KIND, "ed")),
            Path::new("/p/annotations/a1/review.ed.ron")
        );
    }

    #[test]
    fn parse_file_name_tells_annotation_and_side_files() {
        assert_eq!(
            parse_file_name("ana.ron"),
            Some(FileName::Annotation("ana"))
        );
        assert_eq!(
            parse_file_name("review.ed.ron"),
            Some(FileName::Side {
                kind: "review",
                name: "ed"
            })
        );
        assert_eq!(parse_file_name("notes.ed.ron"), None);
        assert_eq!(parse_file_name("ana.ron.lock"), None);
    }

    #[test]
    fn place_reads_project_relative_paths() {
        assert_eq!(place("seeds/a.txt"), Place::Articles);
        assert_eq!(place("codebook.ron"), Place::Top("codebook.ron"));
        assert_eq!(
            place("annotations/a/questions.jo.ron"),
            Place::InArticleFolder {
                article: "a",
                file: Some(FileName::Side {
                    kind: "questions",
                    name: "jo"
                })
            }
        );
        assert_eq!(place("annotations/a/b/c.ron"), Place::Other);
    }

    #[test]
    fn article_of_folder_and_root_of_article_read_the_names() {
        assert_eq!(
            article_of_folder(Path::new("/p/annotations/a1")),
            Some((Path::new("/p"), "a1"))
        );
        assert_eq!(article_of_folder(Path::new("/p/seeds/a1")), None);
        assert_eq!(
            root_of_article(Path::new("/p/seeds/a.txt")),
            Some(Path::new("/p"))
        );
        assert_eq!(root_of_article(Path::new("/p/a.txt")), None);
        assert_eq!(source_article("a1.source.ron"), Some("a1"));
        assert_eq!(source_article(".a1.source.ron.12.tmp"), None);
    }
}

/// The layout is spelled in one place: the rest of `core` and the CLI neither list a folder
/// (`read_dir`) nor build or take apart a layout path from the folder and file names
/// themselves; they call [`super::walk`] and this module. Checked on the source text, test
/// code left out (tests build fixture projects by hand on purpose), so a second walker or a
/// second escape check fails here with its file and line.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod one_owner {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    /// What only `core::project` may write.
    const NEEDLES: &[&str] = &[
        "read_dir(",
        "join(ANNOTATIONS_DIR",
        "join(ARTICLES_DIR",
        "join(CODEBOOK_FILE",
        "== ANNOTATIONS_DIR",
        "== ARTICLES_DIR",
        "[ANNOTATIONS_DIR",
        "[ARTICLES_DIR",
        "\"seeds",
        "\"annotations/",
        "join(\"annotations\")",
        "\"gold\"",
        "\"gold.ron\"",
        "\"codebook.ron\"",
        "\"review.",
        "\"questions.",
        "\".source.ron\"",
        "fn escape(root",
        "fn escapes(",
    ];

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// Files that are test modules as a whole (`#[cfg(test)] mod x;` in their parent).
    fn test_modules(files: &[PathBuf]) -> BTreeSet<PathBuf> {
        let mut out = BTreeSet::new();
        for f in files {
            let text = std::fs::read_to_string(f).unwrap();
            let dir = if f.file_name().is_some_and(|n| n == "mod.rs") {
                f.parent().unwrap().to_owned()
            } else {
                f.with_extension("")
            };
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            for (i, line) in lines.iter().enumerate() {
                let decl = line.strip_prefix("pub(crate) ").unwrap_or(line);
                let Some(name) = decl.strip_prefix("mod ").and_then(|d| d.strip_suffix(';')) else {
                    continue;
                };
                if lines[..i]
                    .iter()
                    .rev()
                    .take(2)
                    .any(|l| l.contains("#[cfg(test)]"))
                {
                    out.insert(dir.join(format!("{name}.rs")));
                    out.insert(dir.join(name).join("mod.rs"));
                }
            }
        }
        out
    }

    /// The file's text before its `#[cfg(test)] mod … {` block.
    fn without_tests(text: &str) -> String {
        let lines: Vec<&str> = text.lines().collect();
        let end = (0..lines.len())
            .find(|&i| {
                let l = lines[i].trim();
                // The item the attribute applies to: the first line after it that is not
                // another attribute.
                l == "#[cfg(test)]"
                    && lines[i + 1..]
                        .iter()
                        .map(|n| n.trim())
                        .find(|n| !n.starts_with("#["))
                        .is_some_and(|n| n.starts_with("mod ") && n.ends_with('{'))
            })
            .unwrap_or(lines.len());
        lines[..end].join("\n")
    }

    #[test]
    fn layout_is_spelled_only_in_core_project() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src.join("core"), &mut files);
        rust_files(&src.join("cli"), &mut files);
        files.sort();
        let tests = test_modules(&files);
        let project = src.join("core").join("project");
        let mut hits = Vec::new();
        let mut scanned = 0;
        for f in files
            .iter()
            .filter(|f| !f.starts_with(&project) && !tests.contains(*f))
        {
            scanned += 1;
            let text = without_tests(&std::fs::read_to_string(f).unwrap());
            // The reserved annotator name lives with the name rules, below `project`.
            let names = f.ends_with("core/model/names.rs");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for needle in NEEDLES {
                    if code.contains(needle) && !(names && *needle == "\"gold\"") {
                        let at = f.strip_prefix(&src).unwrap().display();
                        hits.push(format!("src/{at}:{}: {}", n + 1, line.trim()));
                    }
                }
            }
        }
        assert!(scanned > 50, "only {scanned} files scanned");
        assert!(
            hits.is_empty(),
            "the project layout belongs to core::project (layout, walk):\n{}",
            hits.join("\n")
        );
    }

    #[test]
    fn without_tests_cuts_the_test_module_only() {
        let text = "fn a() {}\n#[cfg(test)]\nfn helper() {}\n#[cfg(test)]\nmod tests {\n    fn b() {}\n}\n";
        assert_eq!(
            without_tests(text),
            "fn a() {}\n#[cfg(test)]\nfn helper() {}"
        );
    }
}
