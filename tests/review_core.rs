//! The review core on real files: the two-annotator fixture (`tests/fixtures/review`) and the
//! pilot codings in `annotations/`. Alignment, review files, adjudication into a gold file
//! that passes `stance check`, and `stance review` on the command line.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use stance::core::check::check_project;
use stance::core::compare::adjudicate::{
    Adjudication, Field, GoldSource, Strategy, Value, gold_path, provenance,
};
use stance::core::compare::review::{
    Difference, ReviewFile, Verdict, align_article, load_article_files, load_review, load_reviews,
    review_path, save_review,
};
use stance::core::model::annotation::{SpeakerRef, Status};
use stance::core::project::Project;
use stance::core::project::export::{ExportFormat, export_project};
use stance::core::storage::store;

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const ARTICLE: &str = "talks";

fn fixture() -> PathBuf {
    Path::new(REPO).join("tests/fixtures/review")
}

/// A copy of the fixture project in a temp dir, so tests can write next to the coders' files.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(), dir.path());
    dir
}

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

/// The bytes of every coder's file, to prove review work never touches them.
fn coder_bytes(root: &Path) -> BTreeMap<String, Vec<u8>> {
    ["ana", "ben"]
        .iter()
        .map(|who| {
            let p = root
                .join("annotations")
                .join(ARTICLE)
                .join(format!("{who}.ron"));
            ((*who).to_owned(), fs::read(p).expect("coder file"))
        })
        .collect()
}

fn open(root: &Path) -> Project {
    let (project, problems) = Project::open(root).expect("project opens");
    assert!(problems.is_empty(), "{problems:?}");
    project
}

fn time(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().expect("RFC 3339")
}

#[test]
fn the_fixture_is_a_valid_project() {
    assert_eq!(check_project(&fixture()), vec![]);
}

#[test]
fn fixture_alignment_names_each_difference() {
    let project = open(&fixture());
    let a = align_article(&project, ARTICLE, false);
    assert!(a.failed.is_empty(), "{:?}", a.failed);
    assert_eq!(a.annotators(), ["ana", "ben"]);
    let lines: Vec<String> = a.groups.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "s3: agree",
            "s4: speaker differs (ana: wang-yi, ben: chinese-foreign-ministry)",
            "s5: stance on ceasefire differs (ana: against, ben: neutral)",
            "s6: only ana made a claim here",
        ]
    );
    assert_eq!(a.disputed(), 3);
    assert_eq!(
        a.groups[2].differences,
        vec![Difference::Stance {
            target: "ceasefire".into(),
            values: [
                ("ana".to_owned(), Some("against".to_owned())),
                ("ben".to_owned(), Some("neutral".to_owned())),
            ]
            .into(),
        }]
    );
}

#[test]
fn pilot_sentence_with_two_claims_pairs_the_authors_view() {
    // In article 001, sentence 6, jonas coded both the reported US position and the author's
    // view; amira coded only the author's. Her claim must pair with his author claim.
    let project = open(Path::new(REPO));
    let a = align_article(&project, "001_f199504f34c41cb7", false);
    assert!(a.failed.is_empty(), "{:?}", a.failed);
    let s6: Vec<_> = a.groups.iter().filter(|g| g.first == 6).collect();
    assert_eq!(s6.len(), 2, "{s6:?}");
    let paired = s6.iter().find(|g| g.claims.len() == 2).expect("a pair");
    assert_eq!(
        paired.claims["amira"].speaker,
        paired.claims["jonas"].speaker
    );
    assert_eq!(
        paired.claims["amira"].speaker,
        Some(SpeakerRef::Registry("author".into()))
    );
    let alone = s6.iter().find(|g| g.claims.len() == 1).expect("one alone");
    // Shown counted from 1: the file's sentence 6 is s7 (issue 13.14).
    assert_eq!(alone.to_string(), "s7: only jonas made a claim here");
    assert_eq!(
        alone.claims["jonas"].speaker,
        Some(SpeakerRef::Registry("us-government".into()))
    );
    // Every claim of both coders is in exactly one group.
    let total: usize = a.groups.iter().map(|g| g.claims.len()).sum();
    let claims: usize = a.files.iter().map(|f| f.claims.len()).sum();
    assert_eq!(total, claims);
}

#[test]
fn a_broken_file_is_listed_and_the_rest_still_align() {
    let dir = fixture_copy();
    let broken = dir
        .path()
        .join("annotations")
        .join(ARTICLE)
        .join("carl.ron");
    fs::write(&broken, "(format: 1, offsets: ").expect("write");
    let project = open(dir.path());
    let a = align_article(&project, ARTICLE, false);
    assert_eq!(a.annotators(), ["ana", "ben"]);
    assert_eq!(a.failed.len(), 1);
    assert_eq!(a.failed[0].path(), broken);
    assert_eq!(a.groups.len(), 4);
}

#[test]
fn a_review_is_saved_beside_the_coders_files_without_touching_them() {
    let dir = fixture_copy();
    let root = dir.path();
    let before = coder_bytes(root);
    let project = open(root);
    let article = project.article(ARTICLE).expect("article");
    let a = align_article(&project, ARTICLE, false);
    let t = time("2024-05-03T12:00:00Z");

    let mut review = ReviewFile::new(article.reference(), "ed");
    let ana_s2 = &a.groups[0].claims["ana"].id;
    let ben_s4 = &a.groups[2].claims["ben"].id;
    review.set_verdict("ana", ana_s2, Verdict::Accept, "", t);
    review.set_verdict(
        "ben",
        ben_s4,
        Verdict::Reject,
        "the spokesman is against",
        t,
    );
    let q = review.ask("ben", ben_s4, "Is \"only let Russia regroup\" against?", t);
    review.answer(q, "Yes: a ceasefire that helps one side is opposed.", t);
    let path = review_path(root, ARTICLE, "ed").expect("path");
    save_review(&path, &review).expect("save");

    assert_eq!(
        path.file_name().and_then(|n| n.to_str()),
        Some("review.ed.ron")
    );
    assert_eq!(coder_bytes(root), before);
    let back = load_review(&path).expect("loads");
    assert_eq!(
        back.review_of("ben", ben_s4).map(|r| r.verdict),
        Some(Verdict::Reject)
    );
    assert!(back.threads[0].is_answered());
    let (reviews, failed) = load_reviews(root, ARTICLE);
    assert!(failed.is_empty());
    assert_eq!(reviews, vec![back]);
    // Review files are not annotation files: alignment and check leave them alone.
    let (files, failed) = load_article_files(&project, ARTICLE, true);
    assert_eq!((files.len(), failed.len()), (2, 0));
    assert_eq!(check_project(root), vec![]);
}

#[test]
fn adjudicated_gold_validates_exports_and_says_who_chose_what() {
    let dir = fixture_copy();
    let root = dir.path();
    let before = coder_bytes(root);
    let project = open(root);
    let (files, _) = load_article_files(&project, ARTICLE, false);
    let mut adj = Adjudication::new(&files, Strategy::Unanimous).expect("starts");
    let open_fields: Vec<(usize, Field)> = adj
        .open_disputes()
        .iter()
        .map(|(_, d)| (d.group, d.field.clone()))
        .collect();
    assert_eq!(
        open_fields,
        [
            (1, Field::Speaker),
            (2, Field::Stance("ceasefire".into())),
            (3, Field::Claim),
        ]
    );
    let ids: Vec<usize> = adj.open_disputes().iter().map(|(i, _)| *i).collect();
    adj.pick(ids[0], "ana", "ed").expect("pick speaker");
    adj.type_value(
        ids[1],
        Value::Stance(Some("against".into())),
        "ed",
        &project.codebook,
    )
    .expect("type stance");
    adj.pick(ids[2], "ben", "ed").expect("no claim at s5");
    assert!(adj.open_disputes().is_empty());

    let gold = adj.to_gold(time("2024-05-04T09:00:00Z"));
    assert_eq!(gold.status, Status::Done);
    assert_eq!(gold.annotator, "gold");
    assert_eq!(gold.claims.len(), 3);
    assert_eq!(
        gold.claims[1].speaker,
        Some(SpeakerRef::Registry("wang-yi".into()))
    );
    assert_eq!(gold.claims[2].stances["ceasefire"], "against");
    assert!(gold.claims.iter().all(|c| !c.unsure));
    let prov = provenance(&gold.claims[2]);
    assert!(prov.contains(&(
        Field::Stance("ceasefire".into()),
        GoldSource::Typed {
            editor: "ed".into()
        }
    )));
    assert!(prov.contains(&(
        Field::Speaker,
        GoldSource::Agreed {
            annotators: vec!["ana".into(), "ben".into()],
            strategy: "unanimous".into()
        }
    )));
    let path = gold_path(root, ARTICLE).expect("gold path");
    store::save_annotation(&path, &gold).expect("save gold");

    // An ordinary annotation file: it checks clean, loads, exports, and aligns when asked.
    assert_eq!(check_project(root), vec![]);
    assert_eq!(
        store::load_annotation(&path, &project.codebook).expect("loads"),
        gold
    );
    let mut csv = Vec::new();
    let summary = export_project(root, ExportFormat::Csv, &mut csv).expect("exports");
    assert_eq!(summary.files, 3);
    let csv = String::from_utf8(csv).expect("UTF-8");
    assert_eq!(
        csv.lines().filter(|l| l.contains(",gold,")).count(),
        3,
        "{csv}"
    );
    assert_eq!(
        align_article(&project, ARTICLE, false).annotators(),
        ["ana", "ben"]
    );
    assert_eq!(
        align_article(&project, ARTICLE, true).annotators(),
        ["ana", "ben", "gold"]
    );
    assert_eq!(coder_bytes(root), before);
}

// ---------------------------------------------------------------------------------------------
// stance review

fn stance(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("stance runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn review_refuses_paths_it_cannot_open() {
    let dir = fixture_copy();
    let root = dir.path();
    let cases = [
        ("no-such-folder", "no-such-folder: no such file or folder"),
        ("seeds/talks.txt", "seeds/talks.txt: not an annotation file"),
    ];
    for (arg, message) in cases {
        let out = stance(root, &["review", arg]);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(text(&out.stderr).contains(message), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty());
    }
    let outside = tempfile::tempdir().expect("temp dir");
    let out = stance(outside.path(), &["review", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not in a stance project"),
        "{}",
        text(&out.stderr)
    );
    // No PATH outside a project: like every other command, it says there is no project here
    // and how to make one.
    let out = stance(outside.path(), &["review"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no project here"), "{err}");
    assert!(err.contains("stance init DIR"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn review_list_prints_the_alignment_for_project_article_and_file() {
    let dir = fixture_copy();
    let root = dir.path();
    let expected = "talks: ana (4 claims), ben (3 claims); 4 claim groups, 3 with differences\n\
        \x20 s3: agree [ana ana0000001, ben ben0000001]\n\
        \x20 s4: speaker differs (ana: wang-yi, ben: chinese-foreign-ministry) [ana ana0000002, ben ben0000002]\n\
        \x20 s5: stance on ceasefire differs (ana: against, ben: neutral) [ana ana0000003, ben ben0000003]\n\
        \x20 s6: only ana made a claim here [ana ana0000004]\n";
    for arg in [".", "annotations/talks", "annotations/talks/ben.ron"] {
        let out = stance(root, &["review", arg, "--list"]);
        assert_eq!(out.status.code(), Some(0), "{arg}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), expected, "{arg}");
    }
}

#[test]
fn review_list_shows_a_broken_file_and_fails() {
    let dir = fixture_copy();
    let root = dir.path();
    fs::write(root.join("annotations/talks/carl.ron"), "not ron at all").expect("write");
    let out = stance(root, &["review", "annotations/talks", "--list"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("s6: only ana made a claim here"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not loaded: annotations/talks/carl.ron:1:1:"),
        "{stdout}"
    );
}

/// The window build opens the window instead.
#[cfg(not(feature = "gui"))]
#[test]
fn review_without_a_window_says_so() {
    let out = stance(&fixture(), &["review", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--list"),
        "{}",
        text(&out.stderr)
    );
}
