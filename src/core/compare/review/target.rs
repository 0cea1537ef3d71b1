//! What a `stance review PATH` argument points at: a project, one article of it, or one
//! annotation file.

use std::path::{Path, PathBuf};

use crate::core::model::names;
use crate::core::project::{self, layout};

/// What a review was asked to open: a project, one article of it, or one annotation file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewTarget {
    /// The project folder (for a loose file outside any project: the file's folder).
    pub root: PathBuf,
    /// The article, when one article (or a file of one) was named.
    pub article: Option<String>,
    /// The annotation file, when a single file was named.
    pub file: Option<PathBuf>,
}

/// Why a path cannot be opened for review.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// Nothing is there.
    #[error("{0}: no such file or folder")]
    Missing(PathBuf),
    /// A file that is not an annotation file.
    #[error(
        "{0}: not an annotation file; give a `.ron` file, an article's annotation folder or a project folder"
    )]
    NotRon(PathBuf),
    /// A folder that is not in a project.
    #[error(
        "{0}: this folder is not in a stance project (no `seeds/` or `annotations/` here or above); give a project folder"
    )]
    OutsideProject(PathBuf),
    /// The path exists but cannot be resolved.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The path leads out of its project through a symlink.
    #[error("{0}")]
    Escape(project::walk::Escape),
}

/// Resolves a `stance review PATH` argument.
///
/// - a project folder (or any folder inside one, such as `seeds/`) opens the project;
/// - `annotations/<article>/` opens that article;
/// - a `.ron` file in `annotations/<article>/` opens that file within its article;
/// - a `.ron` file anywhere else opens alone, with its folder as the root.
///
/// Paths are made absolute (symlinks resolved) so the window can show where it is.
pub fn resolve_target(path: &Path) -> Result<ReviewTarget, TargetError> {
    if !path.exists() {
        return Err(TargetError::Missing(path.to_owned()));
    }
    // Judged on the path as given, before links are resolved: a link inside a project that
    // leads out of it must not carry the review (and its verdict files) elsewhere.
    let given = std::path::absolute(path).map_err(|e| TargetError::Io(path.to_owned(), e))?;
    if let Some(root) = given.ancestors().find(|d| project::is_project(d))
        && let Some(e) = project::walk::escape(root, &given)
    {
        return Err(TargetError::Escape(e));
    }
    let real = std::fs::canonicalize(path).map_err(|e| TargetError::Io(path.to_owned(), e))?;
    if real.is_file() {
        if real.extension().is_none_or(|e| e != "ron") {
            return Err(TargetError::NotRon(path.to_owned()));
        }
        let folder = real.parent().unwrap_or(&real).to_owned();
        let project = article_folder(&folder);
        return Ok(match project {
            Some((root, article)) => ReviewTarget {
                root,
                article: Some(article),
                file: Some(real),
            },
            None => ReviewTarget {
                root: folder,
                article: None,
                file: Some(real),
            },
        });
    }
    if let Some((root, article)) = article_folder(&real) {
        return Ok(ReviewTarget {
            root,
            article: Some(article),
            file: None,
        });
    }
    let root = real
        .ancestors()
        .find(|d| project::is_project(d))
        .ok_or_else(|| TargetError::OutsideProject(path.to_owned()))?;
    Ok(ReviewTarget {
        root: root.to_owned(),
        article: None,
        file: None,
    })
}

/// `(root, article)` when `folder` is `root/annotations/<article>` of a project.
fn article_folder(folder: &Path) -> Option<(PathBuf, String)> {
    let (root, article) = layout::article_of_folder(folder)?;
    names::validate_name(article).ok()?;
    Some((root.to_owned(), article.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_from_project_article_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let art = root.join("annotations").join("a1");
        std::fs::create_dir_all(&art).unwrap();
        std::fs::create_dir_all(root.join("seeds")).unwrap();
        std::fs::write(art.join("amira.ron"), "()").unwrap();
        std::fs::write(root.join("notes.txt"), "x").unwrap();

        let t = resolve_target(&root).unwrap();
        assert_eq!(
            (t.root.as_path(), t.article, t.file),
            (root.as_path(), None, None)
        );
        let t = resolve_target(&root.join("seeds")).unwrap();
        assert_eq!(t.root, root);
        let t = resolve_target(&art).unwrap();
        assert_eq!(
            (t.root.as_path(), t.article.as_deref()),
            (root.as_path(), Some("a1"))
        );
        let t = resolve_target(&art.join("amira.ron")).unwrap();
        assert_eq!(t.article.as_deref(), Some("a1"));
        assert_eq!(t.file, Some(art.join("amira.ron")));

        assert!(matches!(
            resolve_target(&root.join("nope")),
            Err(TargetError::Missing(_))
        ));
        assert!(matches!(
            resolve_target(&root.join("notes.txt")),
            Err(TargetError::NotRon(_))
        ));
        let outside = tempfile::tempdir().unwrap();
        assert!(matches!(
            resolve_target(outside.path()),
            Err(TargetError::OutsideProject(_))
        ));
        // A loose file outside any project opens on its own.
        std::fs::write(outside.path().join("x.ron"), "()").unwrap();
        let t = resolve_target(&outside.path().join("x.ron")).unwrap();
        assert_eq!(t.article, None);
        assert!(t.file.is_some());
    }
}
