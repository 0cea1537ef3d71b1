//! Shared set-up of the benchmarks: generated projects and peak-memory reading.
#![allow(dead_code)] // each bench uses a different part

use std::path::Path;

use stance::core::model::codebook::Codebook;
use stance::core::project::generate;

/// The seed of every generated project, so runs compare like with like.
pub const SEED: u64 = 1;

/// A project with the 1 MB article and 3,000 claims by `amira`, in a temporary folder.
pub fn long_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    generate::write_long(
        dir.path(),
        &Codebook::default_codebook(),
        1_000_000,
        3_000,
        SEED,
    )
    .unwrap();
    dir
}

/// A corpus of `articles` articles × 5 annotators, in a temporary folder.
pub fn corpus(articles: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    generate::write_corpus(
        dir.path(),
        &Codebook::default_codebook(),
        articles,
        5,
        SEED,
        &mut |_, _| {},
    )
    .unwrap();
    dir
}

/// Copies the bundled seed articles and the pilot annotations into a temporary project, so a
/// benchmark that edits never touches the repository's files.
pub fn seed_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("seeds"), &dir.path().join("seeds"));
    copy_dir(&repo.join("annotations"), &dir.path().join("annotations"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Peak resident memory of this process so far (`VmHWM`, Linux), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
