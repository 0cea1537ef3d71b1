//! A team project in the window, driven as an editor and as coders would (labels, clicks,
//! keys, headless): the Plan tab (reading the plan, assigning articles, extending it), the
//! coder's queue in the article list, and blind coding in Review and Agreement.
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;
use helpers::{REPO, SEED_000, copy_dir, seed_article, valid_file, write_annotation};

use std::collections::BTreeSet;
use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stance::core::model::annotation::Status;
use stance::core::team::assign::{self, Request, SizeRequest};
use stance::core::team::plan::{self, Plan, SampleSize};
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

const BIN: &str = env!("CARGO_BIN_EXE_stance");

/// A project with the five seed articles and no plan.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    dir
}

fn ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(Path::new(REPO).join("seeds"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    ids.sort();
    ids
}

/// The plan `stance assign --coder amira --coder jonas --editor ed --training 000… --count 1`
/// would write, saved in `root`; `blind` as asked.
fn write_plan(root: &Path, blind: bool) -> Plan {
    let req = Request {
        coders: vec!["amira".into(), "jonas".into()],
        editors: vec!["ed".into()],
        training: vec![SEED_000.into()],
        size: Some(SizeRequest::Count(1)),
        blind: Some(blind),
        ..Request::default()
    };
    let out = assign::assign(None, &ids(), &BTreeSet::new(), &req).unwrap();
    plan::save(root, &out.plan).unwrap();
    out.plan
}

/// A file of `coder` on `article` (three claims), with the status given.
fn code(root: &Path, article: &str, coder: &str, status: Status) {
    let mut f = valid_file(&seed_article(article), coder);
    f.status = status;
    write_annotation(root, &f);
}

fn app(root: &Path, annotator: &str) -> Harness<'static, StanceApp> {
    let settings = Settings {
        annotator: Some(annotator.to_owned()),
        ..Settings::default()
    };
    let root = root.to_owned();
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| StanceApp::with_settings(settings, root));
    settle(&mut h);
    h
}

/// Frames until every job is done (deferred to the next frame, or on threads).
fn settle(h: &mut Harness<'_, StanceApp>) {
    // Step frame by frame while jobs run (a job's result can start the next: an import
    // opens the project again, which reads the plan), then let the window settle.
    let start = std::time::Instant::now();
    h.step();
    while h.state().workspace().busy() {
        assert!(start.elapsed().as_secs() < 30, "jobs never ended");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    h.run();
}

fn click(h: &mut Harness<'_, StanceApp>, label: &str) {
    h.get_by_label(label).click();
    settle(h);
}

fn type_into(h: &mut Harness<'_, StanceApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Opens `id` by clicking its row in the article list.
fn open_by_list(h: &mut Harness<'_, StanceApp>, id: &str) {
    let heading = seed_article(id).heading().to_owned();
    h.query_all_by_label_contains(&format!("{heading}, "))
        .next()
        .unwrap_or_else(|| panic!("no row for {id}"))
        .click();
    settle(h);
    assert_eq!(open_article(h), id);
}

fn open_article(h: &Harness<'_, StanceApp>) -> String {
    h.state().session().unwrap().article().id.clone()
}

#[test]
fn plan_tab_assigns_articles_as_stance_assign_does_and_shows_the_lacy_riffe_rule() {
    let dir = project();
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Plan");
    h.get_by_label_contains("This project has no plan yet");
    type_into(&mut h, "Coder name", "amira");
    click(&mut h, "Add coder");
    type_into(&mut h, "Coder name", "jonas");
    click(&mut h, "Add coder");
    type_into(&mut h, "Editor name", "ed");
    click(&mut h, "Add editor");
    h.get_by_label("to add: amira, jonas");
    click(&mut h, "Lacy & Riffe (1996)");
    // The inputs typed give their n before anything is assigned (N = the 5 articles).
    h.get_by_label_contains("n = 5 of 5");
    click(&mut h, "Assign articles");

    // Saved atomically through the command path, byte for byte what the CLI writes.
    let written = std::fs::read(dir.path().join("project.ron")).unwrap();
    let cli = project();
    let out = std::process::Command::new(BIN)
        .current_dir(cli.path())
        .args([
            "assign",
            "--coder",
            "amira",
            "--coder",
            "jonas",
            "--editor",
            "ed",
            "--lacy-riffe",
            "--assumed-agreement",
            "0.9",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8(written).unwrap(),
        std::fs::read_to_string(cli.path().join("project.ron")).unwrap()
    );
    let saved = plan::load(dir.path()).unwrap().unwrap();
    assert_eq!(saved.coders, ["amira", "jonas"]);
    assert!(matches!(saved.sample.size, SampleSize::LacyRiffe(ref r) if r.n == 5));

    // The tab now shows the plan: the rule with its inputs and formula, each coder's articles.
    h.get_by_label_contains("Saved ");
    h.get_by_label("Rule: Lacy & Riffe (1996), from the agreement assumed");
    h.get_by_label("population N");
    h.get_by_label_contains("n = ((N-1)*SE^2 + P*Q*N)");
    h.get_by_label("z (one-tailed)");
    h.get_by_label("amira: 0 of 5 done");
    h.get_by_label("jonas: 0 of 5 done");
    assert!(h.state().workspace().plan().is_some());
}

#[test]
fn plan_tab_extends_the_plan_and_keeps_an_article_its_coder_started() {
    let dir = project();
    let before = write_plan(dir.path(), false);
    // jonas started one of his own articles: extending must not take it from him.
    let started = before.assigned["jonas"][0].clone();
    code(dir.path(), &started, "jonas", Status::InProgress);
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Plan");
    h.get_by_label_contains("Rule: 1 articles");
    h.get_by_label("Keep the plan's rule");
    type_into(&mut h, "Coder name", "li");
    click(&mut h, "Add coder");
    click(&mut h, "Assign articles");
    let after = plan::load(dir.path()).unwrap().unwrap();
    assert_eq!(after.coders, ["amira", "jonas", "li"]);
    assert!(after.assigned["jonas"].contains(&started), "{after:?}");
    assert_eq!(
        after.sample.articles, before.sample.articles,
        "the sample stays"
    );
    assert_eq!(after.training, before.training);
    // Three own articles (five minus training and sample) between three coders: one each.
    for c in ["amira", "jonas", "li"] {
        assert_eq!(after.assigned[c].len(), 1, "{c}: {after:?}");
    }
    h.get_by_label_contains("li: 0 of 3 done");
    // The editor's article list says who codes what.
    click(&mut h, "Coding");
    assert_eq!(h.query_all_by_label_contains(", li's").count(), 1);
    assert_eq!(h.query_all_by_label_contains(", sample").count(), 1);
    assert_eq!(h.query_all_by_label_contains(", not mine").count(), 0);
}

#[test]
fn plan_tab_imports_an_article_and_assign_deals_it_out() {
    let dir = project();
    let before = write_plan(dir.path(), false);
    let settings = Settings {
        annotator: Some("ed".to_owned()),
        ..Settings::default()
    };
    let root = dir.path().to_owned();
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .allow_missing_glyphs()
        .build_eframe(move |_cc| StanceApp::with_settings(settings, root));
    settle(&mut h);
    click(&mut h, "Plan");
    click(&mut h, "Import articles…");
    let page = Path::new(REPO).join("tests/fixtures/interchange/article.html");
    let field = h.get_by_role_and_label(
        egui::accesskit::Role::TextInput,
        "Article file (.txt, .html, .docx, news export) or a folder of them",
    );
    field.click();
    field.type_text(page.to_str().unwrap());
    h.run();
    click(&mut h, "Open");
    let new = open_article(&h);
    assert!(new.starts_with("005_"), "{new}");
    // The project was opened again with the new article; the plan does not have it yet.
    click(&mut h, "Plan");
    h.get_by_label("1 article in seeds/ not in the plan yet: Assign articles deals them out.");
    click(&mut h, "Assign articles");
    let after = plan::load(dir.path()).unwrap().unwrap();
    let owner = after.owner_of(&new).unwrap().to_owned();
    assert!(["amira", "jonas"].contains(&owner.as_str()));
    assert_eq!(after.sample, before.sample);
    for (coder, own) in &before.assigned {
        assert!(
            own.iter().all(|a| after.assigned[coder].contains(a)),
            "{coder} lost work"
        );
    }
    assert!(h.query_by_label_contains("not in the plan yet").is_none());
}

#[test]
fn plan_tab_is_read_only_for_a_coder() {
    let dir = project();
    write_plan(dir.path(), false);
    let mut h = app(dir.path(), "amira");
    click(&mut h, "Plan");
    h.get_by_label("Only the plan's editors (ed) change it.");
    assert!(h.query_by_label("Assign articles").is_none());
    assert!(h.query_by_label("Add coder").is_none());
}

#[test]
fn coder_queue_opens_on_the_next_assigned_article_and_lists_mine_then_all() {
    let dir = project();
    let p = write_plan(dir.path(), false);
    // amira finished training: the window opens on the sample article, next in her queue.
    code(dir.path(), SEED_000, "amira", Status::Done);
    let mut h = app(dir.path(), "amira");
    let sample = p.sample.articles[0].clone();
    assert_eq!(open_article(&h), sample);

    // The list shows her articles only, each with its role; "All" adds the others' articles.
    let mine = 1 + 1 + p.assigned["amira"].len();
    h.get_by_label(&format!("1 of {mine} of mine done"));
    assert_eq!(h.query_all_by_label_contains(", training").count(), 1);
    assert_eq!(h.query_all_by_label_contains(", sample").count(), 1);
    assert_eq!(h.query_all_by_label_contains(", not mine").count(), 0);
    click(&mut h, "All");
    let others = 5 - mine;
    assert_eq!(
        h.query_all_by_label_contains(", not mine").count(),
        others,
        "jonas's articles are listed as not hers"
    );
    click(&mut h, "Mine");

    // Done with the sample article (Ctrl+D), "Next in my queue" goes on to her own.
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    settle(&mut h);
    click(&mut h, "Next in my queue");
    assert_eq!(open_article(&h), p.assigned["amira"][0]);
}

#[test]
fn an_article_asked_for_on_the_command_line_wins_over_the_queue() {
    let dir = project();
    let p = write_plan(dir.path(), false);
    let theirs = p.assigned["jonas"][0].clone();
    let request = stance::session::WindowRequest {
        root: Some(dir.path().to_owned()),
        annotator: Some("amira".to_owned()),
        article: Some(theirs.clone()),
        review: false,
    };
    // As `stance --annotator amira --article ID` opens it (jobs on threads).
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |cc| StanceApp::new(cc, &request));
    // The window polls its file on a timer, so it never stops repainting: step, not run.
    let start = std::time::Instant::now();
    h.step();
    while h.state().workspace().busy() || h.state().session().is_none() {
        assert!(start.elapsed().as_secs() < 30, "never opened");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    h.step();
    assert_eq!(open_article(&h), theirs);
}

/// amira and jonas both coded the sample article; jonas has not finished it.
fn blind_project() -> (tempfile::TempDir, String) {
    let dir = project();
    let p = write_plan(dir.path(), true);
    let sample = p.sample.articles[0].clone();
    code(dir.path(), SEED_000, "amira", Status::Done);
    code(dir.path(), &sample, "amira", Status::Done);
    code(dir.path(), &sample, "jonas", Status::InProgress);
    (dir, sample)
}

#[test]
fn blind_coding_shows_a_coder_only_their_own_files_in_review_and_agreement() {
    let (dir, sample) = blind_project();
    let mut h = app(dir.path(), "amira");
    open_by_list(&mut h, &sample);
    click(&mut h, "Review");
    h.get_by_label_contains("Blind coding: the plan hides the other coders' files");
    h.get_by_label_contains("jonas 0 of 1");
    assert!(h.query_all_by_label_contains("amira's claim on").count() > 0);
    assert_eq!(h.query_all_by_label_contains("jonas's claim on").count(), 0);
    let review = h.state().workspace().review().unwrap();
    assert_eq!(review.alignment.annotators(), ["amira"]);
    click(&mut h, "Agreement");
    h.get_by_label_contains("Blind coding: the plan hides");
    assert!(h.state().workspace().agreement().is_none());
    assert!(h.state().workspace().agreement_job().is_none());
}

#[test]
fn blind_coding_hides_nothing_from_an_editor() {
    let (dir, sample) = blind_project();
    let mut h = app(dir.path(), "ed");
    open_by_list(&mut h, &sample);
    click(&mut h, "Review");
    assert!(h.query_by_label_contains("Blind coding").is_none());
    assert!(h.query_all_by_label_contains("jonas's claim on").count() > 0);
    assert!(h.query_all_by_label_contains("amira's claim on").count() > 0);
}

#[test]
fn blind_coding_ends_when_every_coder_finished_the_sample() {
    let (dir, sample) = blind_project();
    let mut h = app(dir.path(), "amira");
    open_by_list(&mut h, &sample);
    click(&mut h, "Review");
    assert_eq!(h.query_all_by_label_contains("jonas's claim on").count(), 0);
    // jonas finishes the sample (his file arrives, e.g. by sync); back to Review.
    code(dir.path(), &sample, "jonas", Status::Done);
    click(&mut h, "Coding");
    click(&mut h, "Review");
    assert!(h.query_by_label_contains("Blind coding").is_none());
    assert!(h.query_all_by_label_contains("jonas's claim on").count() > 0);
}

#[test]
fn blind_coding_keeps_agreement_on_the_sample_from_a_coder_in_the_corpus_tab() {
    let (dir, sample) = blind_project();
    let mut h = app(dir.path(), "amira");
    open_by_list(&mut h, &sample);
    click(&mut h, "Review");
    click(&mut h, "Corpus");
    settle(&mut h);
    // Progress shows (how many each coder has done); the agreement figures do not.
    h.get_by_label("Progress and reliability so far");
    h.get_by_label("Agreement on the sample shows once every coder has finished it.");
    assert!(h.query_by_label_contains("Reliability sample:").is_none());
    drop(h);
    // An editor sees the figures.
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Review");
    click(&mut h, "Corpus");
    settle(&mut h);
    h.get_by_label_contains("Reliability sample:");
    assert!(
        h.query_by_label_contains("Agreement on the sample shows once")
            .is_none()
    );
}
