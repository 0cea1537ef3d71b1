//! Issue 13.3: one project walker, used by every command. A project whose `annotations/`
//! folder is a symlink to somewhere else must make every command refuse it the same way: read
//! nothing there, write nothing there, and say why.
#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use helpers::{REPO, copy_dir};

/// A project (the repository's seeds) whose `annotations/` is a link to a folder outside it
/// holding the pilot's annotation files: valid files a command would happily read or rewrite.
struct Linked {
    project: tempfile::TempDir,
    outside: tempfile::TempDir,
}

impl Linked {
    fn new() -> Self {
        let project = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(REPO).join("seeds"),
            &project.path().join("seeds"),
        );
        copy_dir(
            &Path::new(REPO).join("annotations"),
            &outside.path().join("annotations"),
        );
        std::os::unix::fs::symlink(
            outside.path().join("annotations"),
            project.path().join("annotations"),
        )
        .unwrap();
        Self { project, outside }
    }

    fn root(&self) -> &Path {
        self.project.path()
    }

    /// Every file outside, with its content: what must not change.
    fn outside_files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for e in fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.insert(p.clone(), fs::read(&p).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.outside.path(), &mut out);
        out
    }

    fn stance(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_stance"))
            .current_dir(self.root())
            .args(args)
            .output()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `args` in the linked project: it must fail (exit 1), say the link points outside the
/// project, and leave everything outside as it was. Returns stdout.
fn refused(args: &[&str]) -> String {
    let p = Linked::new();
    let before = p.outside_files();
    let out = p.stance(args);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stdout}{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains("points outside the project"),
        "{args:?}: {stdout}{stderr}"
    );
    assert_eq!(p.outside_files(), before, "{args:?} changed files outside");
    stdout
}

#[test]
fn issue13_3_check_refuses_linked_annotations() {
    let stdout = refused(&["check", "."]);
    assert!(stdout.contains("annotations:1:1: error:"), "{stdout}");
}

#[test]
fn issue13_3_export_refuses_linked_annotations() {
    let stdout = refused(&["export", ".", "--format", "csv"]);
    assert_eq!(stdout.lines().count(), 1, "only the header: {stdout}");
}

#[test]
fn issue13_3_migrate_refuses_linked_annotations() {
    refused(&["migrate", "."]);
}

#[test]
fn issue13_3_import_refuses_linked_annotations() {
    let p = Linked::new();
    let table = p.root().join("table.tsv");
    fs::write(
        &table,
        "article\tfirst\tlast\tspeaker\tceasefire\tmediation\tsource\tunsure\tnote\n\
         002_d65207c423398da4\t5\t5\tauthor\tfavor\t-\tauthor\tno\t-\n",
    )
    .unwrap();
    let before = p.outside_files();
    let out = p.stance(&["import", "table.tsv", "--annotator", "zoe", "."]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("points outside the project"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        p.outside_files(),
        before,
        "import wrote outside the project"
    );
}

#[test]
fn issue13_3_agree_refuses_linked_annotations() {
    let stdout = refused(&["agree", ".", "--bootstrap", "0"]);
    assert!(stdout.is_empty(), "no report from files it must not read");
}

#[test]
fn issue13_3_review_list_refuses_linked_annotations() {
    let stdout = refused(&["review", ".", "--list"]);
    assert!(
        !stdout.contains("amira"),
        "listed files behind the link: {stdout}"
    );
}

#[test]
fn issue13_3_suggest_evaluate_refuses_linked_annotations() {
    let stdout = refused(&["suggest", ".", "--evaluate"]);
    assert!(
        !stdout.contains("amira"),
        "evaluated files behind the link: {stdout}"
    );
}

/// `stance review` on the article folder behind the link: refused, not opened elsewhere.
#[test]
fn issue13_3_review_of_a_linked_article_folder_is_refused() {
    let p = Linked::new();
    let out = p.stance(&["review", "annotations/001_f199504f34c41cb7", "--list"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("points outside the project"), "{stderr}");
}

/// The codebook is read through the same rule: one linked from outside is refused.
#[test]
fn issue13_3_linked_codebook_is_not_read() {
    let project = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(REPO).join("seeds"),
        &project.path().join("seeds"),
    );
    fs::write(
        outside.path().join("codebook.ron"),
        stance::core::model::codebook::DEFAULT_CODEBOOK_RON,
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("codebook.ron"),
        project.path().join("codebook.ron"),
    )
    .unwrap();
    for args in [vec!["check", "."], vec!["agree", ".", "--bootstrap", "0"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_stance"))
            .current_dir(project.path())
            .args(&args)
            .output()
            .unwrap();
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {all}");
        assert!(
            all.contains("points outside the project"),
            "{args:?}: {all}"
        );
    }
}

/// The window's session follows the same rule: the file behind a linked `annotations/` opens
/// read-only, and neither edits nor saves reach the folder outside.
#[test]
fn issue13_3_session_refuses_linked_annotations() {
    use stance::session::{CodeCommand as Do, Session};
    let p = Linked::new();
    let before = p.outside_files();
    let mut s = Session::open(p.root(), "amira").unwrap();
    // The article list's statuses are not read through the link either.
    assert!(
        s.summaries()
            .iter()
            .all(|x| x.status.is_none() && x.claims == 0),
        "the article list read files behind the link"
    );
    let i = s
        .project()
        .articles
        .iter()
        .position(|a| a.id.starts_with("001"))
        .unwrap();
    s.handle(Do::OpenArticle(i));
    let why = s.document().read_only.clone().expect("read-only");
    assert!(why.contains("outside the project"), "{why}");
    assert!(s.document().file.claims.is_empty(), "nothing was read");
    s.handle(Do::MakeClaim);
    s.handle(Do::Save);
    drop(s);
    assert_eq!(p.outside_files(), before);
}

/// Review mode reads an editor's review file and a coder's questions by name: through a
/// linked `annotations/` neither is read (nor, later, written).
#[test]
fn issue13_3_review_and_questions_refuse_linked_annotations() {
    use stance::core::project::Project;
    use stance::session::feedback::CoderFeedback;
    use stance::session::review::ReviewSession;
    let p = Linked::new();
    // Files an editor and a coder would have written, behind the link.
    let article = "001_f199504f34c41cb7";
    let (project, _) = Project::open(p.root()).unwrap();
    let reference = project.article(article).unwrap().reference();
    for (name, who) in [("review.ed.ron", "ed"), ("questions.amira.ron", "amira")] {
        stance::core::compare::review::save_review(
            &p.outside
                .path()
                .join("annotations")
                .join(article)
                .join(name),
            &stance::core::compare::review::ReviewFile::new(reference.clone(), who),
        )
        .unwrap();
    }
    let before = p.outside_files();
    let Err(e) = ReviewSession::open(&project, article, "ed") else {
        panic!("the review behind the link was opened");
    };
    assert!(e.contains("points outside the project"), "{e}");
    let feedback = CoderFeedback::load(p.root(), article, "amira");
    assert!(feedback.questions.is_none());
    assert!(
        feedback
            .errors
            .iter()
            .any(|e| e.contains("points outside the project")),
        "{:?}",
        feedback.errors
    );
    assert_eq!(p.outside_files(), before);
}
