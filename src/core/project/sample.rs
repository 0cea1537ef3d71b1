//! The sample project carried inside the binary: the five seed articles and the pilot's two
//! coders' annotation files, so a first start anywhere (no project in sight, no source tree)
//! can make a real project to try Stance on. It is written where the user chooses, never
//! next to the binary or into the folder it was built in.

use std::fs;
use std::path::{Path, PathBuf};

use super::walk;
use super::{ANNOTATIONS_DIR, ARTICLES_DIR};
use crate::core::storage::store;

/// The files of the sample project, by path relative to its root, embedded at build time.
/// A unit test keeps this list equal to the repository's `seeds/` and `annotations/`.
pub const FILES: [(&str, &str); 11] = [
    (
        "seeds/000_fb0db49d048a0ffe.txt",
        include_str!("../../../seeds/000_fb0db49d048a0ffe.txt"),
    ),
    (
        "seeds/001_f199504f34c41cb7.txt",
        include_str!("../../../seeds/001_f199504f34c41cb7.txt"),
    ),
    (
        "seeds/002_d65207c423398da4.txt",
        include_str!("../../../seeds/002_d65207c423398da4.txt"),
    ),
    (
        "seeds/003_cb7437eb45da7ccb.txt",
        include_str!("../../../seeds/003_cb7437eb45da7ccb.txt"),
    ),
    (
        "seeds/004_856d1f34f02ed973.txt",
        include_str!("../../../seeds/004_856d1f34f02ed973.txt"),
    ),
    (
        "annotations/001_f199504f34c41cb7/amira.ron",
        include_str!("../../../annotations/001_f199504f34c41cb7/amira.ron"),
    ),
    (
        "annotations/001_f199504f34c41cb7/jonas.ron",
        include_str!("../../../annotations/001_f199504f34c41cb7/jonas.ron"),
    ),
    (
        "annotations/003_cb7437eb45da7ccb/amira.ron",
        include_str!("../../../annotations/003_cb7437eb45da7ccb/amira.ron"),
    ),
    (
        "annotations/003_cb7437eb45da7ccb/jonas.ron",
        include_str!("../../../annotations/003_cb7437eb45da7ccb/jonas.ron"),
    ),
    (
        "annotations/004_856d1f34f02ed973/amira.ron",
        include_str!("../../../annotations/004_856d1f34f02ed973/amira.ron"),
    ),
    (
        "annotations/004_856d1f34f02ed973/jonas.ron",
        include_str!("../../../annotations/004_856d1f34f02ed973/jonas.ron"),
    ),
];

/// The seed articles (the sample's `seeds/`) as `(file name, text)`, e.g. for `stance init
/// --sample` and for generating test corpora.
pub fn seed_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES.iter().filter_map(|(path, text)| {
        let name = path.strip_prefix(ARTICLES_DIR)?.strip_prefix('/')?;
        Some((name, *text))
    })
}

/// The seed articles' texts (the sample's `seeds/`), e.g. for generating test corpora.
pub fn seed_texts() -> impl Iterator<Item = &'static str> {
    seed_files().map(|(_, text)| text)
}

/// The name of the folder the sample is made in, inside the folder the user chose.
pub const FOLDER_NAME: &str = "stance-sample";

/// Why the sample project could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// A folder or file could not be written.
    #[error("could not write {path}: {source}")]
    Io {
        /// Where.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// Writes the sample project into a new folder inside `parent` (`stance-sample`, or
/// `stance-sample-2`… when that exists: nothing there is ever overwritten) and returns the new
/// project's root. Files are written atomically, `annotations/.gitignore` included.
pub fn write_sample(parent: &Path) -> Result<PathBuf, SampleError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| SampleError::Io { path, source }
    };
    fs::create_dir_all(parent).map_err(io(parent))?;
    let root = (1..10_000)
        .map(|n| {
            parent.join(if n == 1 {
                FOLDER_NAME.to_owned()
            } else {
                format!("{FOLDER_NAME}-{n}")
            })
        })
        .find(|p| fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| parent.join(FOLDER_NAME));
    // `create_dir` (not `_all`): fails if something took the name meanwhile.
    fs::create_dir(&root).map_err(io(&root))?;
    for dir in [ARTICLES_DIR, ANNOTATIONS_DIR] {
        fs::create_dir(root.join(dir)).map_err(io(&root.join(dir)))?;
    }
    for (rel, text) in FILES {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        store::write_atomic(&path, text.as_bytes()).map_err(io(&path))?;
    }
    walk::ensure_gitignore(&root);
    Ok(root)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::project::Project;

    /// The embedded list is the repository's seeds and pilot, file for file.
    #[test]
    fn the_sample_is_the_repositorys_seeds_and_pilot() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        for dir in [ARTICLES_DIR, ANNOTATIONS_DIR] {
            let walk = |d: &Path, out: &mut Vec<String>| {
                fn rec(base: &Path, d: &Path, out: &mut Vec<String>) {
                    for e in fs::read_dir(d).unwrap() {
                        let p = e.unwrap().path();
                        if p.is_dir() {
                            rec(base, &p, out);
                        } else if p.file_name().is_some_and(|n| n != ".gitignore") {
                            out.push(p.strip_prefix(base).unwrap().display().to_string());
                        }
                    }
                }
                rec(repo, d, out);
            };
            walk(&repo.join(dir), &mut on_disk);
        }
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn the_sample_is_written_beside_others_and_opens() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_sample(dir.path()).unwrap();
        assert_eq!(first, dir.path().join(FOLDER_NAME));
        let second = write_sample(dir.path()).unwrap();
        assert_eq!(second, dir.path().join(format!("{FOLDER_NAME}-2")));
        let (project, problems) = Project::open(&second).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(project.articles.len(), 5);
        assert!(second.join("annotations/.gitignore").is_file());
        assert_eq!(
            crate::core::check::check_project_report(&second).errors(),
            0
        );
    }
}
