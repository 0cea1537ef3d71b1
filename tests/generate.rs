//! `stance generate`: generated projects open, pass `stance check`, have the sizes asked for
//! and are the same for the same seed; a session on a generated long article keeps its
//! per-sentence index in step with the claims through edits and undo.
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

use std::path::Path;
use std::process::{Command, Output};

use stance::core::check::check_project_report;
use stance::core::model::annotation::Status;
use stance::core::project::Project;
use stance::core::storage::store;
use stance::session::{CodeCommand as Cmd, Session};

fn stance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(args)
        .output()
        .expect("stance runs")
}

fn generate(args: &[&str]) {
    let o = stance(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn read_all(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["seeds", "annotations"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let name = p.strip_prefix(root).unwrap().display().to_string();
                    out.push((name, std::fs::read(&p).unwrap()));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn corpus_opens_validates_and_has_the_requested_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    let r = root.to_str().unwrap();
    generate(&[
        "generate",
        "corpus",
        r,
        "--articles",
        "12",
        "--annotators",
        "3",
        "--seed",
        "5",
    ]);

    let report = check_project_report(&root);
    assert_eq!(report.errors(), 0, "{:?}", report.findings);
    assert_eq!(report.warnings(), 0, "{:?}", report.findings);
    assert_eq!(report.files, 12 + 12 * 3);
    let check = stance(&["check", r]);
    assert_eq!(check.status.code(), Some(0));

    let (project, problems) = Project::open(&root).unwrap();
    assert!(problems.is_empty());
    assert_eq!(project.articles.len(), 12);
    let mut done = 0;
    let mut claims = Vec::new();
    for a in &project.articles {
        assert!(a.sentences.len() > 20, "{} has {}", a.id, a.sentences.len());
        let files = project.annotation_files(&a.id);
        assert_eq!(files.len(), 3);
        for (_, path) in files {
            let f = store::load_annotation(&path, &project.codebook).unwrap();
            done += usize::from(f.status == Status::Done);
            claims.push(f.claims.len());
        }
    }
    // Realistic: every coder finds claims, most files are done, coders do not all agree.
    assert!(claims.iter().all(|&n| n > 0), "{claims:?}");
    assert!(done >= 24, "{done} of 36 done");
    assert!(claims.windows(2).any(|w| w[0] != w[1]), "{claims:?}");

    let s = Session::open(&root, "amira").unwrap();
    assert_eq!(s.summaries().len(), 12);
    assert!(s.summaries().iter().all(|x| x.status.is_some()));
}

#[test]
fn same_seed_same_bytes_other_seed_other_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    for (name, seed) in [("a", "3"), ("b", "3"), ("c", "4")] {
        generate(&[
            "generate",
            "corpus",
            &path(name),
            "--articles",
            "3",
            "--seed",
            seed,
        ]);
    }
    let a = read_all(&dir.path().join("a"));
    // Articles, annotation files, and the `annotations/.gitignore` for working files.
    assert_eq!(a.len(), 3 + 3 * 5 + 1);
    assert_eq!(a, read_all(&dir.path().join("b")));
    assert_ne!(a, read_all(&dir.path().join("c")));
}

#[test]
fn refuses_a_folder_that_holds_articles() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().to_str().unwrap();
    generate(&["generate", "corpus", r, "--articles", "1"]);
    let again = stance(&["generate", "long", r, "--bytes", "1000"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds articles"));
}

/// Claims covering sentence `i`, found the slow way, to compare with the session's index.
fn scan(s: &Session, i: u32) -> Vec<String> {
    s.document()
        .file
        .claims
        .iter()
        .filter(|c| c.anchor.first <= i && i <= c.anchor.last)
        .map(|c| c.id.clone())
        .collect()
}

fn assert_index_in_step(s: &Session) {
    for i in 0..s.article().sentences.len() as u32 {
        let indexed: Vec<String> = s.claims_at(i).map(|c| c.id.clone()).collect();
        assert_eq!(indexed, scan(s, i), "sentence {i}");
        if let Some(sug) = s.suggestion_at(i) {
            assert!(sug.covers(i));
            assert!(scan(s, i).is_empty(), "suggestion over a claim at {i}");
        }
    }
    assert_eq!(s.visible_count(), s.document().file.claims.len());
}

#[test]
fn long_article_has_the_requested_size_and_the_index_follows_edits() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().to_str().unwrap();
    generate(&["generate", "long", r, "--bytes", "60000", "--claims", "150"]);
    let report = check_project_report(dir.path());
    assert_eq!(report.errors(), 0, "{:?}", report.findings);

    let mut s = Session::open(dir.path(), "amira").unwrap();
    assert!(s.article().text.len() >= 60_000);
    assert!(
        s.article().sentences.len() > 400,
        "{}",
        s.article().sentences.len()
    );
    assert_eq!(s.document().file.claims.len(), 150);
    assert_index_in_step(&s);

    // A claim on a sentence without one, extended over the next, then deleted and undone.
    let free = (0..s.article().sentences.len() as u32 - 1)
        .find(|&i| {
            s.article().sentences[i as usize].skip.is_none()
                && scan(&s, i).is_empty()
                && scan(&s, i + 1).is_empty()
        })
        .unwrap();
    s.handle(Cmd::SetCursor(free));
    s.handle(Cmd::MakeClaim);
    s.handle(Cmd::ExtendClaim(1));
    assert_eq!(s.claims_at(free + 1).count(), 1);
    assert_index_in_step(&s);
    s.handle(Cmd::DeleteClaim);
    assert_eq!(s.claims_at(free).count(), 0);
    assert_index_in_step(&s);
    s.handle(Cmd::Undo);
    assert_eq!(s.claims_at(free).count(), 1);
    assert_index_in_step(&s);
}
