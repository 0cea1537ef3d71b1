//! `stance diff` and `stance merge` on their own and as git drivers, run by a real `git` in a
//! temporary repository holding the review fixture project.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use stance::core::model::annotation::AnnotationFile;
use stance::core::model::codebook::Codebook;
use stance::core::storage::merge::{MergeConflict, conflicts_in};
use stance::core::storage::store;

const BIN: &str = env!("CARGO_BIN_EXE_stance");
const REPO: &str = env!("CARGO_MANIFEST_DIR");
/// The coder file both branches edit, relative to the repository.
const ANA: &str = "annotations/talks/ana.ron";

fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).expect("create folder");
    for entry in fs::read_dir(src).expect("read folder") {
        let entry = entry.expect("entry");
        let to = dst.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).expect("copy");
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn stance(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("stance runs")
}

/// Runs git in `dir`, isolated from the machine's and the user's git configuration.
fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs")
}

/// Runs git and insists it succeeds.
fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// A git repository holding the review fixture project, with the stance drivers switched on
/// the way the README says (the binary under test in place of `stance`).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    copy_dir(&Path::new(REPO).join("tests/fixtures/review"), root);
    git_ok(root, &["init", "-q", "-b", "main"]);
    git_ok(root, &["config", "commit.gpgsign", "false"]);
    git_ok(
        root,
        &[
            "config",
            "merge.stance.driver",
            &format!("'{BIN}' merge %O %A %B %P"),
        ],
    );
    git_ok(
        root,
        &[
            "config",
            "diff.stance.command",
            &format!("'{BIN}' diff --git"),
        ],
    );
    fs::write(
        root.join(".gitattributes"),
        "*.ron merge=stance diff=stance\n",
    )
    .expect("write");
    git_ok(root, &["add", "-A"]);
    git_ok(root, &["commit", "-q", "-m", "fixture"]);
    dir
}

fn load(path: &Path) -> AnnotationFile {
    store::load_annotation(path, &Codebook::default_codebook()).expect("loads as annotation")
}

fn save(path: &Path, file: &AnnotationFile) {
    store::save_annotation(path, file).expect("save");
}

/// On a new branch from main, edits ana's file with `edit` and commits.
fn branch_edit(root: &Path, branch: &str, edit: impl FnOnce(&mut AnnotationFile)) {
    git_ok(root, &["checkout", "-q", "-b", branch, "main"]);
    let path = root.join(ANA);
    let mut f = load(&path);
    edit(&mut f);
    save(&path, &f);
    git_ok(root, &["commit", "-q", "-am", branch]);
}

fn set_stance(f: &mut AnnotationFile, claim: usize, target: &str, stance: &str) {
    f.claims[claim]
        .stances
        .insert(target.to_owned(), stance.to_owned());
}

#[test]
fn git_merges_edits_to_different_claims_cleanly() {
    let dir = repo();
    let root = dir.path();
    branch_edit(root, "one", |f| set_stance(f, 0, "mediation", "neutral"));
    branch_edit(root, "two", |f| {
        f.claims[3].source = Some("expert".into());
        f.claims.remove(1);
    });
    let out = git(root, &["merge", "-q", "--no-edit", "one"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    let merged = load(&root.join(ANA));
    assert_eq!(merged.claims.len(), 3);
    assert_eq!(merged.claims[0].stances["mediation"], "neutral");
    assert_eq!(merged.claims[2].source.as_deref(), Some("expert"));
    assert!(conflicts_in(&merged).is_empty());
    // The merge wrote the file exactly as stance saves it: deterministic RON.
    assert_eq!(
        fs::read_to_string(root.join(ANA)).expect("read"),
        store::to_ron(&merged).expect("ron")
    );
    assert_eq!(stance(root, &["check", "."]).status.code(), Some(0));
}

#[test]
fn git_keeps_a_conflicting_field_as_both_values_in_a_loadable_file() {
    let dir = repo();
    let root = dir.path();
    branch_edit(root, "one", |f| set_stance(f, 2, "ceasefire", "unclear"));
    branch_edit(root, "two", |f| {
        set_stance(f, 2, "ceasefire", "favor");
        f.claims[0].source = Some("media".into()); // a clean edit beside the conflict
    });
    let out = git(root, &["merge", "--no-edit", "one"]);
    assert!(!out.status.success(), "the merge must stop on the conflict");
    assert!(
        text(&out.stdout).contains(&format!("CONFLICT (content): Merge conflict in {ANA}")),
        "{}",
        text(&out.stdout)
    );

    let merged = load(&root.join(ANA));
    let claim = &merged.claims[2];
    assert_eq!(
        claim.stances["ceasefire"], "favor",
        "ours is kept in the field"
    );
    assert!(claim.unsure);
    assert_eq!(
        conflicts_in(&merged),
        vec![MergeConflict {
            claim: Some(claim.id.clone()),
            field: "stance ceasefire".into(),
            ours: "favor".into(),
            theirs: "unclear".into(),
        }]
    );
    assert!(
        claim
            .note
            .ends_with("<<merge conflict>> stance ceasefire: ours=favor theirs=unclear")
    );
    assert_eq!(merged.claims[0].source.as_deref(), Some("media"));
    // Still an ordinary annotation file: `stance check` finds nothing wrong with it.
    let check = stance(root, &["check", "."]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

#[test]
fn git_diff_uses_the_driver_for_claim_level_output() {
    let dir = repo();
    let root = dir.path();
    let path = root.join(ANA);
    let mut f = load(&path);
    set_stance(&mut f, 2, "ceasefire", "favor");
    let id = f.claims[2].id.clone();
    f.claims.remove(3);
    save(&path, &f);

    let diff = git_ok(root, &["diff"]);
    assert!(
        diff.starts_with(&format!("--- a/{ANA}\n+++ b/{ANA}\n")),
        "{diff}"
    );
    assert!(
        // Sentences counted from 1, as the window counts them (issue 13.14).
        diff.contains(&format!("~ claim {id} s5 ")),
        "claim-level output expected: {diff}"
    );
    assert!(
        diff.contains("~     stance ceasefire: against → favor\n"),
        "{diff}"
    );
    assert!(
        diff.contains("- claim ana0000004 s6 \"Some analysts"),
        "{diff}"
    );
    assert!(diff.contains("0 added, 1 removed, 1 changed"), "{diff}");
    assert!(!diff.contains("@@"), "no line diff: {diff}");

    // A new file: every claim is added.
    let ben = root.join("annotations/talks/ben.ron");
    let copy = root.join("annotations/talks/cleo.ron");
    let mut cleo = load(&ben);
    cleo.annotator = "cleo".into();
    save(&copy, &cleo);
    git_ok(root, &["add", "annotations/talks/cleo.ron"]);
    let diff = git_ok(root, &["diff", "--cached"]);
    assert_eq!(diff.matches("\n+ claim ").count(), 3, "{diff}");
}

#[test]
fn git_diff_falls_back_to_lines_for_other_ron_files() {
    let dir = repo();
    let root = dir.path();
    fs::write(root.join("notes.ron"), "(a: 1)\n").expect("write");
    git_ok(root, &["add", "notes.ron"]);
    git_ok(root, &["commit", "-q", "-m", "notes"]);
    fs::write(root.join("notes.ron"), "(a: 2)\n").expect("write");
    let diff = git_ok(root, &["diff"]);
    assert!(
        diff.contains("notes.ron: not read as an annotation file"),
        "{diff}"
    );
    assert!(
        diff.contains("-(a: 1)") && diff.contains("+(a: 2)"),
        "{diff}"
    );
}

#[test]
fn git_merges_other_ron_files_as_text() {
    let dir = repo();
    let root = dir.path();
    let lines = |a: &str, b: &str| {
        format!("(\n    first: {a},\n    x: 0,\n    y: 0,\n    z: 0,\n    last: {b},\n)\n")
    };
    fs::write(root.join("other.ron"), lines("1", "1")).expect("write");
    git_ok(root, &["add", "other.ron"]);
    git_ok(root, &["commit", "-q", "-m", "other"]);
    for (branch, content) in [("one", lines("2", "1")), ("two", lines("1", "2"))] {
        git_ok(root, &["checkout", "-q", "-b", branch, "main"]);
        fs::write(root.join("other.ron"), content).expect("write");
        git_ok(root, &["commit", "-q", "-am", branch]);
    }
    let out = git(root, &["merge", "--no-edit", "one"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(root.join("other.ron")).expect("read"),
        lines("2", "2")
    );
}

// ---------------------------------------------------------------------------------------------
// stance diff and stance merge by hand

/// Two versions of ana's file in a temp dir: `a.ron` as in the fixture, `b.ron` edited.
fn two_versions(edit: impl FnOnce(&mut AnnotationFile)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    let f = load(&Path::new(REPO).join("tests/fixtures/review").join(ANA));
    save(&a, &f);
    let mut g = f.clone();
    edit(&mut g);
    save(&b, &g);
    dir
}

#[test]
fn diff_exit_codes_follow_diff1() {
    let dir = two_versions(|f| {
        f.status = stance::core::model::annotation::Status::InProgress;
        f.claims[1].speaker = None;
    });
    let same = stance(dir.path(), &["diff", "a.ron", "a.ron"]);
    assert_eq!(same.status.code(), Some(0));
    assert!(same.stdout.is_empty());

    let out = stance(dir.path(), &["diff", "a.ron", "b.ron"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "--- a.ron\n+++ b.ron\nstatus: Done → InProgress\n\
         ~ claim ana0000002 s4 \"Foreign Minister Wang Yi told reporters that \\\"a ceasefire is\"…\n\
         ~     speaker: wang-yi → none\n\
         0 added, 0 removed, 1 changed (by claim id)\n"
    );

    fs::write(dir.path().join("bad.ron"), "(\n  format: 1,\n  oops\n").expect("write");
    for args in [
        vec!["diff", "a.ron", "missing.ron"],
        vec!["diff", "a.ron", "bad.ron"],
        vec!["diff", "a.ron"],
        vec!["diff", "a.ron", "b.ron", "c.ron"],
    ] {
        let out = stance(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(text(&out.stderr).starts_with("stance diff:"), "{args:?}");
    }
    let bad = stance(dir.path(), &["diff", "a.ron", "bad.ron"]);
    assert!(
        text(&bad.stderr).contains("bad.ron:3:"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn diff_takes_gits_seven_arguments() {
    let dir = two_versions(|f| set_stance(f, 0, "mediation", "against"));
    let seven = [
        "x/ana.ron",
        "a.ron",
        "0000",
        "100644",
        "b.ron",
        "1111",
        "100644",
    ];
    for flag in [None, Some("--git")] {
        let mut args = vec!["diff"];
        args.extend(flag);
        args.extend(seven);
        let out = stance(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "git wants 0 for a difference");
        let stdout = text(&out.stdout);
        assert!(
            stdout.starts_with("--- a/x/ana.ron\n+++ b/x/ana.ron\n"),
            "{stdout}"
        );
        assert!(
            stdout.contains("stance mediation: favor → against"),
            "{stdout}"
        );
    }
    let out = stance(dir.path(), &["diff", "--git", "a.ron", "b.ron"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn merge_by_hand_writes_out_and_reports_conflicts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let base = load(&Path::new(REPO).join("tests/fixtures/review").join(ANA));
    save(&d.join("base.ron"), &base);
    let mut ours = base.clone();
    set_stance(&mut ours, 0, "mediation", "against");
    save(&d.join("ours.ron"), &ours);
    let mut theirs = base.clone();
    set_stance(&mut theirs, 0, "mediation", "neutral");
    save(&d.join("theirs.ron"), &theirs);

    let out = stance(
        d,
        &[
            "merge",
            "base.ron",
            "ours.ron",
            "theirs.ron",
            "-o",
            "out.ron",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .contains("claim ana0000001: stance mediation: ours=against theirs=neutral"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(load(&d.join("ours.ron")), ours, "--out leaves OURS alone");
    assert_eq!(conflicts_in(&load(&d.join("out.ron"))).len(), 1);

    // No conflict: exit 0, result over OURS (git's %A).
    save(&d.join("theirs.ron"), &base);
    let out = stance(d, &["merge", "base.ron", "ours.ron", "theirs.ron"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(load(&d.join("ours.ron")), ours);

    let out = stance(d, &["merge", "base.ron", "ours.ron"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Issue 13.18: the diff driver's line-diff fallback (a `.ron` file that is not an annotation
/// file) named git's temp copy (`a/tmp/git-blob-…/notes.ron`) instead of the file.
#[test]
fn issue13_18_diff_fallback_names_the_real_path() {
    let dir = repo();
    let root = dir.path();
    fs::create_dir_all(root.join("notes")).expect("folder");
    fs::write(root.join("notes/plan.ron"), "(a: 1)\n").expect("write");
    git_ok(root, &["add", "notes/plan.ron"]);
    git_ok(root, &["commit", "-q", "-m", "notes"]);
    fs::write(root.join("notes/plan.ron"), "(a: 2)\n").expect("write");
    let diff = git_ok(root, &["diff"]);
    assert!(
        diff.contains("diff --git a/notes/plan.ron b/notes/plan.ron\n"),
        "{diff}"
    );
    assert!(diff.contains("\n--- a/notes/plan.ron\n"), "{diff}");
    assert!(diff.contains("\n+++ b/notes/plan.ron\n"), "{diff}");
    assert!(!diff.contains("git-blob"), "{diff}");
    assert!(diff.contains("-(a: 1)\n+(a: 2)"), "{diff}");
}

// ---------------------------------------------------------------------------------------------
// Issue 13.2: the merge driver writes a file that loads, or leaves git's conflict state

/// Branch `one` changes a stance in ana's file; branch `two` replaces the file with `theirs`.
/// Merging `two` into `one` must fail, leave the path conflicted in git's index, and leave the
/// working file exactly as `one` had it. Returns git's stderr.
fn merge_refused(theirs: &[u8]) -> String {
    let dir = repo();
    let root = dir.path();
    branch_edit(root, "one", |f| set_stance(f, 0, "mediation", "neutral"));
    let ours = fs::read(root.join(ANA)).expect("read");
    git_ok(root, &["checkout", "-q", "-b", "two", "main"]);
    fs::write(root.join(ANA), theirs).expect("write");
    git_ok(root, &["commit", "-q", "-am", "two"]);
    git_ok(root, &["checkout", "-q", "one"]);
    let out = git(root, &["merge", "--no-edit", "two"]);
    let stderr = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        !out.status.success(),
        "git recorded a clean merge: {stderr}"
    );
    let unmerged = git_ok(root, &["ls-files", "-u", "--", ANA]);
    assert!(!unmerged.is_empty(), "the path is not conflicted: {stderr}");
    assert_eq!(
        fs::read(root.join(ANA)).expect("read"),
        ours,
        "OURS must stay as it was: {stderr}"
    );
    load(&root.join(ANA));
    stderr
}

#[test]
fn issue13_2_merge_driver_refuses_a_side_that_does_not_parse() {
    let stderr = merge_refused(b"(\n    format: 1,\n    oops\n");
    assert!(stderr.contains("not merged"), "{stderr}");
    assert!(stderr.contains(&format!("{ANA} (THEIRS):3:")), "{stderr}");
}

#[test]
fn issue13_2_merge_driver_refuses_json_and_empty_sides() {
    let stderr = merge_refused(b"{\"format\": 1, \"claims\": []}\n");
    assert!(
        stderr.contains("THEIRS is a RON file that is not an annotation file"),
        "{stderr}"
    );
    let stderr = merge_refused(b"");
    assert!(stderr.contains("THEIRS is empty"), "{stderr}");
    let stderr = merge_refused(b"\x00\x01binary\xff");
    assert!(stderr.contains("THEIRS does not load"), "{stderr}");
}

#[test]
fn issue13_2_merge_driver_refuses_another_article_or_annotator() {
    let fixture = load(&Path::new(REPO).join("tests/fixtures/review").join(ANA));
    let mut other_article = fixture.clone();
    other_article.article.id = "elsewhere".into();
    let stderr = merge_refused(store::to_ron(&other_article).expect("RON").as_bytes());
    assert!(
        stderr.contains("THEIRS is the one of article `elsewhere` by `ana`"),
        "{stderr}"
    );
    let ben = fs::read(Path::new(REPO).join("tests/fixtures/review/annotations/talks/ben.ron"))
        .expect("ben");
    let stderr = merge_refused(&ben);
    assert!(stderr.contains("article `talks` by `ben`"), "{stderr}");
}

/// By hand: `/dev/null` as a side is refused and OURS is untouched; a missing side too.
#[test]
fn issue13_2_merge_by_hand_refuses_dev_null_and_missing_sides() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let base = load(&Path::new(REPO).join("tests/fixtures/review").join(ANA));
    save(&d.join("ours.ron"), &base);
    let before = fs::read(d.join("ours.ron")).expect("read");
    for theirs in ["/dev/null", "missing.ron"] {
        let out = stance(d, &["merge", "/dev/null", "ours.ron", theirs]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{theirs}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("not merged"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(fs::read(d.join("ours.ron")).expect("read"), before);
    }
}

/// Review files merge as text, but a clean text merge that no longer loads (both sides moved
/// the same field to different places: it is now there twice) is refused, not kept.
#[test]
fn issue13_2_text_merge_that_no_longer_loads_is_refused() {
    let dir = repo();
    let root = dir.path();
    let ana = load(&root.join(ANA));
    let path = root.join("annotations/talks/review.ed.ron");
    stance::core::compare::review::save_review(
        &path,
        &stance::core::compare::review::ReviewFile::new(ana.article.clone(), "ed"),
    )
    .expect("save review");
    git_ok(root, &["add", "-A"]);
    git_ok(root, &["commit", "-q", "-m", "review"]);
    let base = fs::read_to_string(&path).expect("read");
    let lines: Vec<&str> = base.lines().collect();
    let editor = lines
        .iter()
        .position(|l| l.trim_start().starts_with("editor:"))
        .expect("editor line");
    let moved = |to: usize| {
        let mut l: Vec<&str> = lines.clone();
        let line = l.remove(editor);
        l.insert(to, line);
        l.join("\n") + "\n"
    };
    let (up, down) = (moved(1), moved(lines.len() - 2));
    for (branch, content) in [("one", &up), ("two", &down)] {
        git_ok(root, &["checkout", "-q", "-b", branch, "main"]);
        fs::write(&path, content).expect("write");
        stance::core::compare::review::load_review(&path).expect("each side loads");
        git_ok(root, &["commit", "-q", "-am", branch]);
    }
    let out = git(root, &["merge", "--no-edit", "one"]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!out.status.success(), "{all}");
    assert!(all.contains("no longer a review or question file"), "{all}");
    assert_eq!(fs::read_to_string(&path).expect("read"), down);
}

/// Issue 13.5: locks, journals and temp files of killed saves showed up in `git status`
/// (and `git add -A` committed them). Stance writes `annotations/.gitignore` as soon as a
/// session takes its first lock, so they stay out of git with no set-up.
#[test]
fn issue13_5_working_files_stay_out_of_git() {
    use stance::session::{CodeCommand as Edit, Session};
    let dir = repo();
    let root = dir.path();
    let mut s = Session::open(root, "ana").expect("opens");
    s.handle(Edit::SetCursor(1));
    s.handle(Edit::MakeClaim);
    let file = s.document().path.clone();
    assert!(stance::core::storage::lock::lock_path(&file).exists());
    let folder = file.parent().expect("folder");
    assert!(
        fs::read_dir(folder)
            .expect("folder")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".journal")),
        "the edit is journalled"
    );
    fs::write(folder.join(".ana.ron.4000000000.tmp"), "half a save").expect("write");
    let status = git_ok(root, &["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status, "?? annotations/.gitignore\n", "{status}");
    drop(s);
}
