//! Test fixtures shared by the session's unit tests.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use crate::core::project::Project;

/// The review fixture (`tests/fixtures/review`: ana and ben on article `talks`) copied to a
/// temporary folder, so tests may write into it.
pub(crate) fn review_project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/review");
    for sub in ["seeds", "annotations/talks"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    let (project, _) = Project::open(dir.path()).unwrap();
    (dir, project)
}

/// A temp project holding the seed articles.
pub(crate) fn seed_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), seeds.join(e.file_name())).unwrap();
    }
    dir
}
