//! Migrating a project on disk: an annotation file coded with codebook version 1 is brought up
//! to a project codebook at version 2 that renamed a stance label.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use stance::core::model::annotation::{
    Anchor, AnnotationFile, Claim, CodebookRef, Origin, SpeakerRef, now,
};
use stance::core::model::codebook::{Codebook, LabelChange, LabelKind, Migration};
use stance::core::project::migrate::{MigrateError, migrate, migrate_project};
use stance::core::project::{self, ARTICLES_DIR, CODEBOOK_FILE, load_codebook};
use stance::core::storage::store::{self, LoadError};
use stance::core::text::corpus::Article;

const ARTICLE_ID: &str = "000_fb0db49d048a0ffe";
const SEED: &str = include_str!("../seeds/000_fb0db49d048a0ffe.txt");

/// Version 2 of the default codebook: what version 1 called `mixed` is now `unclear`.
fn codebook_v2() -> Codebook {
    let mut cb = Codebook::default_codebook();
    cb.version = 2;
    cb.migrations = vec![Migration {
        from: 1,
        to: 2,
        changes: vec![LabelChange::Rename {
            kind: LabelKind::Stance,
            from: "mixed".into(),
            to: "unclear".into(),
        }],
    }];
    cb
}

/// A project folder with the seed article, the version-2 codebook and no annotations yet.
fn project() -> (tempfile::TempDir, Article, Codebook) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join(ARTICLES_DIR)).unwrap();
    let article_path = root.join(ARTICLES_DIR).join(format!("{ARTICLE_ID}.txt"));
    fs::write(&article_path, SEED).unwrap();
    let cb = codebook_v2();
    fs::write(root.join(CODEBOOK_FILE), store::to_ron(&cb).unwrap()).unwrap();
    let article = project::load_article(&article_path, &cb).unwrap();
    (dir, article, cb)
}

/// A version-1 file by `annotator` with one claim on the sentence containing `quote`.
fn old_file(article: &Article, annotator: &str, quote: &str, stance: &str) -> AnnotationFile {
    let mut file = AnnotationFile::new(
        article.reference(),
        CodebookRef {
            id: "stance-ru-ua-2023".into(),
            version: 1,
        },
        annotator,
    );
    let start = article.text.find(quote).unwrap();
    let end = start + quote.len();
    let (first, last) = article.sentences_overlapping(&(start..end)).unwrap();
    let t = now();
    file.claims.push(Claim {
        id: "k7m2q9x4ab".into(),
        anchor: Anchor::new(&article.text, first, last, start, end),
        speaker: Some(SpeakerRef::Registry("author".into())),
        cue: None,
        stances: [("ceasefire".to_owned(), stance.to_owned())].into(),
        source: Some("author".into()),
        unsure: false,
        note: "priority is a ceasefire, but war crimes are set aside".into(),
        origin: Origin::Manual,
        created: t,
        modified: t,
    });
    file
}

fn annotation_path(root: &Path, annotator: &str) -> PathBuf {
    let path = project::annotation_path(root, ARTICLE_ID, annotator).unwrap();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    path
}

const QUOTE: &str = "It’s imperative to end the slaughter of soldiers on both sides";

#[test]
fn a_renamed_stance_label_is_migrated_and_saved() {
    let (dir, article, _) = project();
    let root = dir.path();
    let path = annotation_path(root, "alice");
    store::save_annotation(&path, &old_file(&article, "alice", QUOTE, "mixed")).unwrap();

    // The old label is exactly why the file no longer loads under the new codebook.
    let (cb, _) = load_codebook(root).unwrap();
    assert_eq!(cb.version, 2);
    let err = store::load_annotation(&path, &cb).unwrap_err();
    assert!(
        matches!(&err, LoadError::Invalid { message, .. } if message.contains("`mixed`")),
        "{err}"
    );

    // Parse without label checks, migrate, save.
    let text = store::read_text(&path, "an annotation file").unwrap();
    let mut file: AnnotationFile = store::parse_ron(&path, &text).unwrap();
    let report = migrate(&mut file, &cb).unwrap();
    store::save_annotation(&path, &file).unwrap();

    assert_eq!((report.from, report.to, report.updates.len()), (1, 2, 1));
    let reloaded = store::load_annotation(&path, &cb).unwrap();
    assert_eq!(reloaded.codebook.version, 2);
    let claim = &reloaded.claims[0];
    assert_eq!(claim.stances["ceasefire"], "unclear");
    assert!(!claim.unsure, "a rename is certain; nothing to review");
    // Everything else survives the round trip untouched.
    assert_eq!(claim.anchor.quote, QUOTE);
    assert_eq!(&article.text[claim.anchor.start..claim.anchor.end], QUOTE);
    assert_eq!(
        claim.note,
        "priority is a ceasefire, but war crimes are set aside"
    );
    assert_eq!(reloaded, file);
}

#[test]
fn a_project_migrates_once_and_a_dry_run_writes_nothing() {
    let (dir, article, cb) = project();
    let root = dir.path();
    let alice = annotation_path(root, "alice");
    let bob = annotation_path(root, "bob");
    store::save_annotation(&alice, &old_file(&article, "alice", QUOTE, "mixed")).unwrap();
    store::save_annotation(&bob, &old_file(&article, "bob", QUOTE, "favor")).unwrap();
    // A review file is not an annotator's file and must be left alone, even if unreadable.
    let review = alice.with_file_name("alice.review.ron");
    fs::write(&review, "not RON at all").unwrap();
    let bytes = |p: &Path| fs::read(p).unwrap();
    let (alice_before, bob_before) = (bytes(&alice), bytes(&bob));

    let reports = migrate_project(root, true).unwrap();
    let paths: Vec<&PathBuf> = reports.iter().map(|(p, _)| p).collect();
    assert_eq!(paths, [&alice, &bob]);
    assert_eq!(reports[0].1.updates.len(), 1);
    assert!(reports[1].1.updates.is_empty() && !reports[1].1.is_current());
    assert_eq!(bytes(&alice), alice_before, "a dry run writes nothing");
    assert_eq!(bytes(&bob), bob_before);

    let reports = migrate_project(root, false).unwrap();
    assert_eq!(reports.len(), 2);
    let alice_file = store::load_annotation(&alice, &cb).unwrap();
    assert_eq!(alice_file.claims[0].stances["ceasefire"], "unclear");
    let bob_file = store::load_annotation(&bob, &cb).unwrap();
    assert_eq!(bob_file.codebook.version, 2);
    assert_eq!(bob_file.claims[0].stances["ceasefire"], "favor");
    assert_eq!(fs::read_to_string(&review).unwrap(), "not RON at all");

    // Running again finds everything current and rewrites nothing.
    let (alice_after, bob_after) = (bytes(&alice), bytes(&bob));
    let reports = migrate_project(root, false).unwrap();
    assert!(reports.iter().all(|(_, r)| r.is_current()));
    assert_eq!(bytes(&alice), alice_after);
    assert_eq!(bytes(&bob), bob_after);
}

#[test]
fn one_bad_file_leaves_the_whole_project_untouched() {
    let (dir, article, _) = project();
    let root = dir.path();
    let alice = annotation_path(root, "alice");
    let zoe = annotation_path(root, "zoe");
    store::save_annotation(&alice, &old_file(&article, "alice", QUOTE, "mixed")).unwrap();
    let mut foreign = old_file(&article, "zoe", QUOTE, "favor");
    foreign.codebook.id = "elections-2024".into();
    store::save_annotation(&zoe, &foreign).unwrap();
    let alice_before = fs::read(&alice).unwrap();

    let err = migrate_project(root, false).unwrap_err();
    let MigrateError::File { path, source } = &err else {
        panic!("expected a per-file error, got {err}");
    };
    assert_eq!(path, &zoe);
    assert!(
        matches!(**source, MigrateError::OtherCodebook { .. }),
        "{err}"
    );
    assert!(err.to_string().starts_with(&zoe.display().to_string()));
    assert_eq!(
        fs::read(&alice).unwrap(),
        alice_before,
        "alice's file migrates fine but must not be written while zoe's fails"
    );
}

#[test]
fn a_label_no_migration_covers_is_reported_not_written() {
    let (dir, article, _) = project();
    let root = dir.path();
    let alice = annotation_path(root, "alice");
    // `pro` was never a label of any version this codebook knows.
    store::save_annotation(&alice, &old_file(&article, "alice", QUOTE, "pro")).unwrap();
    let before = fs::read(&alice).unwrap();
    let err = migrate_project(root, false).unwrap_err();
    assert!(
        matches!(&err, MigrateError::Incomplete(LoadError::Invalid { message, .. }) if message.contains("`pro`")),
        "{err}"
    );
    assert_eq!(fs::read(&alice).unwrap(), before);
}
