//! The window's team parts beside the plan, driven as a person would: progress and reliability
//! on the Corpus tab, training feedback after marking a training article done, Sync (through a
//! real `git`: a bare origin and clones in a temp dir), and an imported article's source.
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use helpers::{
    REPO, SEED_001, body_sentences, copy_dir, seed_article, valid_file, write_annotation,
};
use stance::core::agreement::ReportOptions;
use stance::core::model::annotation::{AnnotationFile, Status};
use stance::core::model::codebook::Codebook;
use stance::core::project::Project;
use stance::core::storage::merge::conflicts_in;
use stance::core::storage::store;
use stance::core::team::plan::{self, Plan, SampleSize};
use stance::core::team::reliability::reliability_so_far;
use stance::session::workspace::TrainingResult;
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

const BIN: &str = env!("CARGO_BIN_EXE_stance");
const TRAINING: &str = "004_856d1f34f02ed973";
const GOLD_NOTE: &str = "gold: hedged, so unclear (ed)";

fn app(root: &Path, annotator: &str) -> Harness<'static, StanceApp> {
    let settings = Settings {
        annotator: Some(annotator.to_owned()),
        ..Settings::default()
    };
    let root = root.to_owned();
    let mut h = Harness::builder()
        .with_size([1500.0, 1000.0])
        .with_max_steps(60)
        .build_eframe(move |_cc| {
            let mut app = StanceApp::with_settings(settings, root);
            // The merge driver git runs is stance itself, not this test binary.
            app.set_stance_binary(PathBuf::from(BIN));
            app
        });
    h.run();
    h
}

fn click(h: &mut Harness<'_, StanceApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

fn press_mod(h: &mut Harness<'_, StanceApp>, m: Modifiers, key: Key) {
    h.key_press_modifiers(m, key);
    h.run();
}

/// Opens the `n`th article after the first (Ctrl+Page Up to the first, then Ctrl+Page Down,
/// as a coder would; with a plan the window opens on the coder's next assigned article).
fn next_articles(h: &mut Harness<'_, StanceApp>, n: usize) {
    while h.state().session().unwrap().article_index() > 0 {
        press_mod(h, Modifiers::COMMAND, Key::PageUp);
    }
    for _ in 0..n {
        press_mod(h, Modifiers::COMMAND, Key::PageDown);
    }
}

fn load(path: &Path) -> AnnotationFile {
    store::load_annotation(path, &Codebook::default_codebook()).unwrap()
}

/// The repository's pilot (amira and jonas on 001, 003, 004) with a plan: 004 is a training
/// article whose gold is amira's file with one stance decided otherwise (with the editor's
/// note), 001 and 003 the reliability sample.
fn pilot_team() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&Path::new(REPO).join("seeds"), &root.join("seeds"));
    copy_dir(
        &Path::new(REPO).join("annotations"),
        &root.join("annotations"),
    );
    let mut gold = load(&root.join("annotations").join(TRAINING).join("amira.ron"));
    gold.annotator = "gold".into();
    let claim = gold
        .claims
        .iter_mut()
        .find(|c| c.stances.get("ceasefire").is_some_and(|s| s != "unclear"))
        .unwrap();
    claim.stances.insert("ceasefire".into(), "unclear".into());
    claim.note = GOLD_NOTE.into();
    write_annotation(root, &gold);
    let mut p = Plan::new(1, SampleSize::Count(2));
    p.coders = vec!["amira".into(), "jonas".into()];
    p.editors = vec!["ed".into()];
    p.training = vec![TRAINING.into()];
    p.sample.articles = vec!["001_f199504f34c41cb7".into(), "003_cb7437eb45da7ccb".into()];
    p.assigned
        .insert("amira".into(), vec!["000_fb0db49d048a0ffe".into()]);
    p.assigned
        .insert("jonas".into(), vec!["002_d65207c423398da4".into()]);
    plan::save(root, &p).unwrap();
    dir
}

// ---------------------------------------------------------------------------------------------
// Progress and reliability

#[test]
fn corpus_tab_shows_progress_and_reliability_on_the_sample() {
    let dir = pilot_team();
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Review");
    click(&mut h, "Corpus");

    // Per coder: assigned and done (amira: 000 assigned, 001/003 sample, 004 training).
    h.get_by_label("Progress and reliability so far");
    h.get_by_label(
        "Reliability sample: 2 of 2 articles finished by every coder; α_min 0.8, tentative 0.667",
    );
    h.get_by_label("q(α < 0.8)");
    assert!(h.query_all_by_label("amira").count() > 0);
    assert!(h.query_all_by_label("jonas").count() > 0);
    assert!(h.query_all_by_label("1 of 1").count() >= 2, "training done");
    assert!(h.query_all_by_label("2 of 2").count() >= 2, "sample done");

    // The figures are the core's, with the same bootstrap as `stance status`.
    let (project, _) = Project::open(dir.path()).unwrap();
    let plan = plan::load(dir.path()).unwrap().unwrap();
    let core = reliability_so_far(&project, &plan, &ReportOptions::default()).unwrap();
    let shown = h
        .state()
        .workspace()
        .reliability()
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(*shown, core);
    for f in &core.fields {
        assert!(h.query_all_by_label(f.field.as_str()).count() > 0);
        assert!(h.query_all_by_label(f.verdict.word()).count() > 0);
        let ci = f.report.alpha_ci95.as_ref().unwrap();
        h.get_by_label(format!("[{:.3}, {:.3}]", ci.low, ci.high).as_str());
    }

    // Recompute reads the files again: jonas reopens 001, so the sample is not complete.
    let path = dir
        .path()
        .join("annotations")
        .join(SEED_001)
        .join("jonas.ron");
    let mut jonas = load(&path);
    jonas.status = Status::InProgress;
    store::save_annotation(&path, &jonas).unwrap();
    click(&mut h, "Recompute");
    h.get_by_label(
        "Reliability sample: 1 of 2 articles finished by every coder; α_min 0.8, tentative 0.667",
    );
}

#[test]
fn corpus_tab_judges_alpha_against_the_plans_own_thresholds() {
    let dir = pilot_team();
    let mut p = plan::load(dir.path()).unwrap().unwrap();
    p.thresholds.alpha_min = 0.9;
    p.thresholds.tentative = 0.7;
    plan::save(dir.path(), &p).unwrap();
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Review");
    click(&mut h, "Corpus");
    h.get_by_label("q(α < 0.9)");
    h.get_by_label(
        "Reliability sample: 2 of 2 articles finished by every coder; α_min 0.9, tentative 0.7",
    );
    let r = h
        .state()
        .workspace()
        .reliability()
        .unwrap()
        .unwrap()
        .unwrap();
    for f in &r.fields {
        let ci = f.report.alpha_ci95.as_ref().unwrap();
        assert_eq!(f.q, Some(ci.share_below(0.9)), "{}", f.field);
    }
}

#[test]
fn corpus_tab_without_a_plan_says_how_to_make_one() {
    let dir = pilot_team();
    fs::remove_file(dir.path().join("project.ron")).unwrap();
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Review");
    click(&mut h, "Corpus");
    h.get_by_label("This project has no plan (project.ron): `stance assign` makes one.");
}

// ---------------------------------------------------------------------------------------------
// Training feedback

#[test]
fn marking_a_training_article_done_shows_agreement_with_gold_and_each_disagreement() {
    let dir = pilot_team();
    // Amira has not finished the training article yet.
    let path = dir
        .path()
        .join("annotations")
        .join(TRAINING)
        .join("amira.ron");
    let mut amira = load(&path);
    amira.status = Status::InProgress;
    store::save_annotation(&path, &amira).unwrap();

    let mut h = app(dir.path(), "amira");
    next_articles(&mut h, 4);
    assert_eq!(h.state().session().unwrap().article().id, TRAINING);
    assert!(h.query_by_label_contains("Training against gold").is_none());

    click(&mut h, "Article done");
    assert_eq!(load(&path).status, Status::Done, "saved before comparing");
    let t = h.state().workspace().training().unwrap();
    let TrainingResult::Scored(scored) = t.result.as_ref().unwrap() else {
        panic!("not scored: {:?}", t.result);
    };
    let field = scored
        .fields
        .iter()
        .find(|f| f.field == "stance:ceasefire")
        .unwrap();
    let d = field
        .disagreements
        .iter()
        .find(|d| d.gold_note.as_deref() == Some(GOLD_NOTE))
        .unwrap()
        .clone();
    h.get_by_label_contains("Training against gold: ");
    h.get_by_label_contains("stance:ceasefire: α ");
    h.get_by_label(&format!(
        "you: {}, gold: unclear",
        d.coder.as_deref().unwrap_or("(none)")
    ));
    h.get_by_label(&format!("editor's note: {GOLD_NOTE}"));

    // The sentence is a link: it goes there.
    click(
        &mut h,
        &format!("Go to sentence {} (stance:ceasefire)", d.sentence + 1),
    );
    assert_eq!(h.state().session().unwrap().cursor(), d.sentence);

    // Back in progress: the feedback is put away.
    click(&mut h, "Article done");
    assert!(h.query_by_label_contains("Training against gold").is_none());
}

#[test]
fn a_training_article_without_finished_gold_says_so() {
    let dir = pilot_team();
    let gold = dir
        .path()
        .join("annotations")
        .join(TRAINING)
        .join("gold.ron");
    let mut g = load(&gold);
    g.status = Status::InProgress;
    store::save_annotation(&gold, &g).unwrap();
    let mut h = app(dir.path(), "jonas");
    next_articles(&mut h, 4);
    // Jonas finished it before: opening it shows where training stands.
    h.get_by_label_contains("Gold for this training article is not finished yet");
}

// ---------------------------------------------------------------------------------------------
// Sync through a real git

/// Git isolated from the machine's and the user's configuration.
fn isolated(mut c: Command) -> Command {
    c.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    c
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let mut c = isolated(Command::new("git"));
    c.current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .unwrap()
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn stance_ok(dir: &Path, args: &[&str]) -> String {
    let out = isolated(Command::new(BIN))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stance {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A bare origin, an editor's clone with the sample project pushed, and two clones of
/// amira's (laptop, desktop) that both have her file on 001.
fn shared(dir: &Path) -> (PathBuf, PathBuf, String) {
    git_ok(dir, &["init", "-q", "--bare", "origin.git"]);
    git_ok(dir, &["clone", "-q", "origin.git", "ed"]);
    let ed = dir.join("ed");
    stance_ok(&ed, &["init", "--sample"]);
    stance_ok(
        &ed,
        &[
            "assign", "--coder", "amira", "--coder", "bob", "--editor", "ed", "--count", "1",
        ],
    );
    stance_ok(&ed, &["sync", "--annotator", "ed"]);
    git_ok(dir, &["clone", "-q", "origin.git", "laptop"]);
    git_ok(dir, &["clone", "-q", "origin.git", "desktop"]);
    let (laptop, desktop) = (dir.join("laptop"), dir.join("desktop"));
    let rel = format!("annotations/{SEED_001}/amira.ron");
    write_annotation(&laptop, &valid_file(&seed_article(SEED_001), "amira"));
    stance_ok(&laptop, &["sync", "--annotator", "amira"]);
    stance_ok(&desktop, &["sync", "--annotator", "amira"]);
    (laptop, desktop, rel)
}

#[test]
fn sync_button_saves_merges_reloads_the_open_file_and_lists_the_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    let (laptop, desktop, rel) = shared(tmp.path());
    // On the laptop amira says claim c2's source is media, and syncs.
    let mut on_laptop = load(&laptop.join(&rel));
    on_laptop.claims[1].source = Some("media".into());
    store::save_annotation(&laptop.join(&rel), &on_laptop).unwrap();
    stance_ok(&laptop, &["sync", "--annotator", "amira"]);
    // On the desktop she said expert, and codes on in the window.
    let mut on_desktop = load(&desktop.join(&rel));
    on_desktop.claims[1].source = Some("expert".into());
    store::save_annotation(&desktop.join(&rel), &on_desktop).unwrap();

    let mut h = app(&desktop, "amira");
    next_articles(&mut h, 1);
    assert_eq!(h.state().session().unwrap().article().id, SEED_001);
    let before = load(&desktop.join(&rel)).claims.len();
    // An edit not saved yet: Sync saves it first.
    // A body sentence without a claim (the first three have one).
    let free = body_sentences(&seed_article(SEED_001))[3];
    for _ in 0..200 {
        if h.state().session().unwrap().cursor() >= free {
            break;
        }
        h.key_press(Key::ArrowDown);
        h.run();
    }
    click(&mut h, "Make claim");
    assert!(h.state().session().unwrap().is_dirty());
    click(&mut h, "Sync");

    let ws = h.state().workspace();
    let report = ws.last_sync().unwrap().unwrap();
    assert_eq!(report.committed, vec![rel.clone()]);
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    h.get_by_label(
        "Sync: committed 1 file, received 1 file from others, 1 merge conflict (see the Validation panel); synced with origin",
    );
    // The open file is what git merged: both values kept, the conflict marked.
    let s = h.state().session().unwrap();
    assert!(!s.is_dirty());
    let on_disk = load(&desktop.join(&rel));
    assert_eq!(s.document().file.claims, on_disk.claims);
    let c = conflicts_in(&on_disk);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].claim.as_deref(), Some("c2"));
    assert_eq!(
        on_disk.claims.len(),
        before + 1,
        "the unsaved claim was saved and synced"
    );
    // The Validation panel lists the conflict.
    assert_eq!(ws.conflicts().len(), 1);
    click(&mut h, "Review");
    click(&mut h, "Validation");
    h.get_by_label_contains("claim c2: source: ours=expert theirs=media");
    assert_eq!(
        git_ok(&desktop, &["status", "--porcelain", "--untracked-files=no"]),
        ""
    );
}

#[test]
fn sync_without_a_remote_keeps_the_work_here_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    stance_ok(tmp.path(), &["init", "solo", "--sample"]);
    let root = tmp.path().join("solo");
    let mut h = app(&root, "amira");
    click(&mut h, "Make claim");
    assert!(h.state().session().unwrap().is_dirty());
    click(&mut h, "File");
    click(&mut h, "Sync with the team");
    // Without a plan everyone is an editor: the project's files are committed too.
    h.get_by_label_contains("; no remote: kept in this folder only");
    let report = h.state().workspace().last_sync().unwrap().unwrap();
    assert!(
        report
            .committed
            .contains(&"annotations/000_fb0db49d048a0ffe/amira.ron".to_owned()),
        "{report:?}"
    );
    assert!(!h.state().session().unwrap().is_dirty(), "saved first");
    let log = git_ok(&root, &["log", "--format=%s"]);
    assert!(log.starts_with("stance sync: amira: "), "{log}");
}

// ---------------------------------------------------------------------------------------------
// An imported article's source

#[test]
fn an_imported_articles_source_shows_under_its_heading() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    fs::write(
        &page,
        "<html><head><title>Talks resume in Doha</title><link rel=\"canonical\" href=\"https://news.example/doha\"></head><body><article><h1>Talks resume in Doha</h1><p>The minister said talks were near. Others disagreed about the timing.</p></article></body></html>",
    )
    .unwrap();
    let root = dir.path().join("project");
    fs::create_dir_all(&root).unwrap();
    stance::core::interchange::articles::import_articles(&root, &[page]).unwrap();
    let h = app(&root, "amira");
    h.get_by_label("Source:");
    h.get_by_label("imported from page.html");
    let shown = h.state().workspace().article_source().unwrap().unwrap();
    assert_eq!(shown.title.as_deref(), Some("Talks resume in Doha"));
    let id = &h.state().session().unwrap().article().id;
    let sidecar = stance::core::interchange::articles::load_source(&root, id)
        .unwrap()
        .unwrap();
    assert_eq!(*shown, sidecar);
}

#[test]
fn sync_that_brings_new_articles_reads_the_project_again_on_the_same_article() {
    let tmp = tempfile::tempdir().unwrap();
    let (_laptop, desktop, _) = shared(tmp.path());
    let mut h = app(&desktop, "amira");
    next_articles(&mut h, 1);
    let coding = h.state().session().unwrap().article().id.clone();
    let before = h.state().session().unwrap().project().articles.len();
    // The editor adds an article and syncs.
    let ed = tmp.path().join("ed");
    fs::write(
        ed.join("seeds/900_new.txt"),
        "A new article\n\nThe envoy said the talks would resume next week.\n",
    )
    .unwrap();
    stance_ok(&ed, &["sync", "--annotator", "ed"]);

    click(&mut h, "Sync");
    h.get_by_label_contains("received 1 file from others");
    let s = h.state().session().unwrap();
    assert_eq!(s.project().articles.len(), before + 1);
    assert!(s.project().article("900_new").is_some());
    assert_eq!(s.article().id, coding, "still on the article being coded");
}

#[test]
fn sync_that_brings_another_plan_reads_the_plan_again() {
    let tmp = tempfile::tempdir().unwrap();
    let (_laptop, desktop, _) = shared(tmp.path());
    let mut h = app(&desktop, "amira");
    let coders = |h: &Harness<'_, StanceApp>| {
        h.state()
            .workspace()
            .plan()
            .map(|p| p.plan.coders.clone())
            .unwrap_or_default()
    };
    assert_eq!(coders(&h), ["amira", "bob"]);
    // The editor adds a coder and syncs; amira's window syncs.
    let ed = tmp.path().join("ed");
    stance_ok(&ed, &["assign", "--coder", "cy"]);
    stance_ok(&ed, &["sync", "--annotator", "ed"]);
    click(&mut h, "Sync");
    h.get_by_label_contains("received 1 file from others");
    assert_eq!(coders(&h), ["amira", "bob", "cy"]);
}

#[test]
fn a_hostile_or_broken_source_sidecar_is_shown_short_and_never_as_a_local_link() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    fs::write(
        &page,
        "<html><head><title>T</title></head><body><p>The minister said talks were near. Others disagreed about the timing.</p></body></html>",
    )
    .unwrap();
    let root = dir.path().join("project");
    fs::create_dir_all(&root).unwrap();
    let out = stance::core::interchange::articles::import_articles(&root, &[page]).unwrap();
    let stance::core::interchange::articles::ArticleImport::Added { id, .. } = &out[0] else {
        panic!("{out:?}");
    };
    let sidecar = stance::core::interchange::articles::source_path(&root, id);
    let text = fs::read_to_string(&sidecar).unwrap();
    let long = "x".repeat(70_000);
    fs::write(
        &sidecar,
        text.replace("title: Some(\"T\")", &format!("title: Some(\"{long}\")"))
            .replace("url: None", "url: Some(\"file:///etc/passwd\")"),
    )
    .unwrap();
    let h = app(&root, "amira");
    h.get_by_label(&format!("{}…", "x".repeat(200)));
    h.get_by_label("file:///etc/passwd");
    // Shown as text, not as a link.
    assert!(
        h.query_by_role_and_label(egui::accesskit::Role::Link, "file:///etc/passwd")
            .is_none()
    );
    drop(h);

    // A sidecar that does not load says where and why.
    fs::write(&sidecar, "(format: 1, kind: ").unwrap();
    let h = app(&root, "amira");
    let shown = h
        .state()
        .workspace()
        .article_source()
        .unwrap()
        .unwrap_err()
        .to_owned();
    assert!(shown.contains(".source.ron:1:"), "{shown}");
    h.get_by_label(&format!("Source: {shown}"));
}

/// amira's window on `root` with jobs behind a gate (open now): a test closes it to hold a
/// job (a sync) under way.
fn gated_app(
    root: &Path,
) -> (
    Harness<'static, StanceApp>,
    std::sync::Arc<stance::session::jobs::Gate>,
) {
    use stance::session::jobs::{Gate, Runner};
    let gate = Gate::new();
    gate.open();
    let settings = Settings {
        annotator: Some("amira".to_owned()),
        ..Settings::default()
    };
    let runner = Runner::Gated(std::sync::Arc::clone(&gate));
    let opened = root.to_owned();
    let h = Harness::builder()
        .with_size([1500.0, 1000.0])
        .build_eframe(move |_cc| {
            let mut app = StanceApp::with_runner(settings, opened, runner);
            app.set_stance_binary(PathBuf::from(BIN));
            app
        });
    (h, gate)
}

#[test]
fn a_sync_under_way_shows_beside_its_button_and_offers_no_cancel() {
    let tmp = tempfile::tempdir().unwrap();
    stance_ok(tmp.path(), &["init", "solo", "--sample"]);
    let root = tmp.path().join("solo");
    let (mut h, gate) = gated_app(&root);
    let start = std::time::Instant::now();
    while h.state().session().is_none() {
        assert!(start.elapsed().as_secs() < 30, "the project never opened");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    gate.close();
    h.get_by_label("Sync").click();
    for _ in 0..5 {
        h.step();
    }
    assert!(h.state().workspace().syncing());
    h.get_by_label("Syncing…");
    assert!(h.query_by_label("Stop: Syncing with the team").is_none());
    assert!(h.query_by_label("Cancel").is_none());
    gate.open();
    while h.state().workspace().syncing() {
        assert!(start.elapsed().as_secs() < 60, "the sync never ended");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    for _ in 0..5 {
        h.step();
    }
    h.get_by_label_contains("no remote: kept in this folder only");
}

#[test]
fn edits_made_during_a_sync_that_changes_the_open_file_are_kept_and_merged() {
    let tmp = tempfile::tempdir().unwrap();
    let (laptop, desktop, rel) = shared(tmp.path());
    // On the laptop amira edits claim c1's note and syncs.
    let mut on_laptop = load(&laptop.join(&rel));
    on_laptop.claims[0].note = "from the laptop".into();
    store::save_annotation(&laptop.join(&rel), &on_laptop).unwrap();
    stance_ok(&laptop, &["sync", "--annotator", "amira"]);

    let (mut h, gate) = gated_app(&desktop);
    let start = std::time::Instant::now();
    let settle = |h: &mut Harness<'_, StanceApp>, done: &dyn Fn(&StanceApp) -> bool| {
        while !done(h.state()) {
            assert!(start.elapsed().as_secs() < 60, "never got there");
            std::thread::sleep(std::time::Duration::from_millis(5));
            h.step();
        }
        for _ in 0..5 {
            h.step();
        }
    };
    // Once the plan is read (the window goes to amira's next article), she opens 001.
    settle(&mut h, &|a| {
        a.session().is_some() && a.workspace().plan().is_some() && !a.workspace().busy()
    });
    next_articles(&mut h, 1);
    settle(&mut h, &|a| a.session().unwrap().article().id == SEED_001);
    let free = body_sentences(&seed_article(SEED_001))[3];
    while h.state().session().unwrap().cursor() < free {
        h.key_press(Key::ArrowDown);
        h.step();
    }
    gate.close();
    h.get_by_label("Sync").click();
    settle(&mut h, &|a| a.workspace().syncing());
    // While git works the coder makes a claim: it stays in memory.
    h.get_by_label("Make claim").click();
    for _ in 0..5 {
        h.step();
    }
    let made = h.state().session().unwrap().document().file.claims.len();
    assert!(h.state().session().unwrap().is_dirty());
    gate.open();
    settle(&mut h, &|a| {
        !a.workspace().syncing() && !a.workspace().busy()
    });

    // The file changed under the edit: nothing is overwritten, the coder is asked.
    let s = h.state().session().unwrap();
    assert!(s.has_conflict());
    assert!(s.is_dirty());
    assert_eq!(s.document().file.claims.len(), made, "the edit is kept");
    h.get_by_label("The file changed on disk");
    h.get_by_label("Merge by claim").click();
    for _ in 0..5 {
        h.step();
    }
    let s = h.state().session().unwrap();
    assert!(!s.has_conflict());
    assert_eq!(s.document().file.claims.len(), made);
    assert_eq!(s.document().file.claims[0].note, "from the laptop");
}

#[test]
fn gold_that_comes_in_with_a_sync_shows_the_coders_training_feedback() {
    const SEED_000: &str = "000_fb0db49d048a0ffe";
    let tmp = tempfile::tempdir().unwrap();
    let (_laptop, desktop, _) = shared(tmp.path());
    let ed = tmp.path().join("ed");
    stance_ok(&ed, &["assign", "--training", SEED_000]);
    stance_ok(&ed, &["sync", "--annotator", "ed"]);
    // Amira finished the training article on the desktop.
    let article = seed_article(SEED_000);
    write_annotation(&desktop, &valid_file(&article, "amira"));
    stance_ok(&desktop, &["sync", "--annotator", "amira"]);

    // The window opens on amira's next article; she goes back to the training one.
    let mut h = app(&desktop, "amira");
    next_articles(&mut h, 0);
    assert_eq!(h.state().session().unwrap().article().id, SEED_000);
    h.get_by_label_contains("There is no gold for this training article yet");

    // The editor makes gold, deciding c2's mediation stance otherwise, and shares it.
    let mut gold = valid_file(&article, "gold");
    gold.claims[1]
        .stances
        .insert("mediation".into(), "against".into());
    gold.claims[1].note = "gold: the official rejects mediation (ed)".into();
    write_annotation(&ed, &gold);
    stance_ok(&ed, &["sync", "--annotator", "ed"]);

    click(&mut h, "Sync");
    h.get_by_label_contains("Training against gold: ");
    h.get_by_label("you: neutral, gold: against");
    h.get_by_label("editor's note: gold: the official rejects mediation (ed)");
}

#[test]
fn sync_saves_an_editors_unsaved_gold_decisions_first() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("review");
    copy_dir(&Path::new(REPO).join("tests/fixtures/review"), &root);
    stance_ok(&root, &["init", "."]);
    let mut h = app(&root, "ed");
    click(&mut h, "Review");
    click(&mut h, "Gold");
    click(&mut h, "Unanimous");
    click(&mut h, "Build gold");
    h.key_press(Key::Num1);
    h.run();
    assert!(h.state().workspace().unsaved_gold().is_some());
    click(&mut h, "Sync");
    assert!(h.state().workspace().unsaved_gold().is_none());
    let report = h.state().workspace().last_sync().unwrap().unwrap();
    assert!(
        report
            .committed
            .contains(&"annotations/talks/gold.ron".to_owned()),
        "{report:?}"
    );
}
