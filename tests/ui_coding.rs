//! The coding window driven as a coder would: by labels, clicks and keys, headless.
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;
use helpers::copy_dir;

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stance::core::model::annotation::{SpeakerRef, Status};
use stance::core::storage::store;
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

fn seed_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
        &dir.path().join("seeds"),
    );
    dir
}

/// The seed articles with the pilot annotations (two coders).
fn pilot_project() -> tempfile::TempDir {
    let dir = seed_project();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("annotations"), &dir.path().join("annotations"));
    dir
}

fn app(root: &Path, annotator: Option<&str>) -> Harness<'static, StanceApp> {
    let settings = Settings {
        annotator: annotator.map(str::to_owned),
        ..Settings::default()
    };
    let root = root.to_owned();
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| StanceApp::with_settings(settings, root));
    h.run();
    h
}

fn press(h: &mut Harness<'_, StanceApp>, key: Key) {
    h.key_press(key);
    h.run();
}

fn press_mod(h: &mut Harness<'_, StanceApp>, m: Modifiers, key: Key) {
    h.key_press_modifiers(m, key);
    h.run();
}

const KIRBY: &str = "We don't support calls for a ceasefire right now.";

/// Opens the Global Times article (001) and puts the cursor on the Kirby sentence by clicking.
fn open_kirby(h: &mut Harness<'_, StanceApp>) {
    h.get_by_label_contains("Xi’s visit to Russia conveys great significance")
        .click();
    h.run();
    // The sentence in the text, by its full label: its claim in the claim list quotes it too.
    let label = {
        let s = h.state().session().unwrap();
        let i = (0..s.article().sentences.len() as u32)
            .find(|&i| s.article().sentence_text(i).contains(KIRBY))
            .unwrap();
        format!("Sentence {}: {}", i + 1, s.article().sentence_text(i))
    };
    h.get_by_label(&label).click();
    h.run();
    let s = h.state().session().unwrap();
    assert!(s.article().sentence_text(s.cursor()).contains(KIRBY));
}

#[test]
fn code_a_claim_by_keyboard_undo_redo_save_and_reload() {
    let dir = seed_project();
    let mut h = app(dir.path(), Some("alice"));
    open_kirby(&mut h);

    press(&mut h, Key::Enter); // make claim
    press(&mut h, Key::C); // active target: ceasefire
    press(&mut h, Key::A); // against
    press(&mut h, Key::Num4); // official statement
    press(&mut h, Key::P); // speaker finder
    h.get_by_label("Find speaker").type_text("Kirby");
    h.run();
    press(&mut h, Key::Enter);

    let claim = h
        .state()
        .session()
        .unwrap()
        .selected_claim()
        .unwrap()
        .clone();
    assert_eq!(
        claim.stances.get("ceasefire").map(String::as_str),
        Some("against")
    );
    assert_eq!(claim.source.as_deref(), Some("official"));
    assert_eq!(
        claim.speaker,
        Some(SpeakerRef::Registry("john-kirby".into()))
    );
    assert!(claim.anchor.quote.contains(KIRBY));

    press_mod(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        h.state()
            .session()
            .unwrap()
            .selected_claim()
            .unwrap()
            .speaker,
        None
    );
    press_mod(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(
        h.state()
            .session()
            .unwrap()
            .selected_claim()
            .unwrap()
            .speaker,
        Some(SpeakerRef::Registry("john-kirby".into()))
    );
    press_mod(&mut h, Modifiers::COMMAND, Key::Z);
    press_mod(&mut h, Modifiers::COMMAND, Key::Y);
    assert!(
        h.state()
            .session()
            .unwrap()
            .selected_claim()
            .unwrap()
            .speaker
            .is_some()
    );

    press_mod(&mut h, Modifiers::COMMAND, Key::S);
    let s = h.state().session().unwrap();
    assert!(!s.document().dirty, "{:?}", s.notice());
    let path = s.document().path.clone();
    let saved = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(saved.claims.len(), 1);
    assert_eq!(saved.claims[0], claim);
    h.get_by_label("All changes saved");

    // A new window on the same project finds the same claim.
    drop(h);
    let mut h = app(dir.path(), Some("alice"));
    open_kirby(&mut h);
    let s = h.state().session().unwrap();
    assert_eq!(s.selected_claim(), Some(&claim));
}

#[test]
fn clicking_buttons_does_what_keys_do() {
    let dir = seed_project();
    let mut h = app(dir.path(), Some("alice"));
    open_kirby(&mut h);
    h.get_by_label("Make claim").click();
    h.run();
    h.get_by_label("mediation: Against").click();
    h.run();
    h.get_by_label_contains("Expert or analyst").click();
    h.run();
    let claim = h
        .state()
        .session()
        .unwrap()
        .selected_claim()
        .unwrap()
        .clone();
    assert_eq!(
        claim.stances.get("mediation").map(String::as_str),
        Some("against")
    );
    assert_eq!(claim.source.as_deref(), Some("expert"));
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note").type_text("hedged");
    h.run();
    assert_eq!(
        h.state().session().unwrap().selected_claim().unwrap().note,
        "hedged"
    );
    h.get_by_label_contains("Delete claim").click();
    h.run();
    assert!(
        h.state()
            .session()
            .unwrap()
            .document()
            .file
            .claims
            .is_empty()
    );
}

#[test]
fn find_in_article_moves_to_the_match() {
    let dir = seed_project();
    let mut h = app(dir.path(), Some("alice"));
    open_kirby(&mut h);
    press_mod(&mut h, Modifiers::COMMAND, Key::F);
    h.get_by_label("Find in article").type_text("Lukin");
    h.run();
    press(&mut h, Key::F3);
    let s = h.state().session().unwrap();
    assert!(s.find().matches.len() >= 2);
    assert!(s.article().sentence_text(s.cursor()).contains("Lukin"));
}

#[test]
fn filter_claims_by_stance() {
    let dir = seed_project();
    let mut h = app(dir.path(), Some("alice"));
    open_kirby(&mut h);
    press(&mut h, Key::Enter);
    press(&mut h, Key::A);
    press(&mut h, Key::J);
    press(&mut h, Key::Enter);
    press(&mut h, Key::F);
    assert_eq!(h.state().session().unwrap().visible_claims().count(), 2);
    h.get_by_label("Filter by stance").click();
    h.run();
    h.get_by_label("Against").click();
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!(s.visible_claims().count(), 1);
    assert!(
        s.visible_claims()
            .all(|c| c.stances.values().any(|v| v == "against"))
    );
}

#[test]
fn mark_done_is_saved_and_counted() {
    let dir = seed_project();
    let mut h = app(dir.path(), Some("alice"));
    open_kirby(&mut h);
    press(&mut h, Key::Enter);
    press_mod(&mut h, Modifiers::COMMAND, Key::D);
    press_mod(&mut h, Modifiers::COMMAND, Key::S);
    let s = h.state().session().unwrap();
    assert_eq!(s.document().file.status, Status::Done);
    assert_eq!(s.done_count(), 1);
    h.get_by_label_contains("1 of 5 done");
    let saved = store::load_annotation(&s.document().path, s.codebook()).unwrap();
    assert_eq!(saved.status, Status::Done);
}

#[test]
fn asks_who_is_coding_once() {
    let dir = seed_project();
    let mut h = app(dir.path(), None);
    assert!(h.state().session().is_none());
    h.get_by_label("Your name").type_text("bob");
    h.run();
    h.get_by_label("Start coding").click();
    h.run();
    assert_eq!(h.state().session().unwrap().annotator(), "bob");
    assert_eq!(h.state().settings().annotator.as_deref(), Some("bob"));
}

#[test]
fn help_overlay_lists_shortcuts_from_the_table() {
    let dir = seed_project();
    let mut h = app(dir.path(), Some("alice"));
    press(&mut h, Key::F1);
    for c in stance::ui::shortcuts::UiCommand::ALL {
        assert!(
            h.query_all_by_label(c.label()).next().is_some(),
            "{c:?} missing from help"
        );
    }
    h.get_by_label("Stance: Favor");
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("Stance: Favor").is_none());
}

#[test]
fn agreement_view_shows_statistics_and_jumps_to_a_disagreement() {
    let dir = pilot_project();
    let mut h = app(dir.path(), Some("amira"));
    h.get_by_label("Agreement").click();
    h.run();
    h.get_by_label("Krippendorff's alpha");
    h.get_by_label("Pairwise Cohen's kappa");
    // The first disagreement on the claim field names both coders; clicking it opens the
    // sentence in review mode, every coder's claims side by side.
    let first = h
        .query_all_by_label_contains("amira: ")
        .next()
        .expect("a disagreement is listed");
    let label = egui_kittest::kittest::NodeT::accesskit_node(&first)
        .label()
        .unwrap_or_default();
    first.click();
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!(s.document().file.annotator, "amira");
    assert!(
        h.query_by_label("Krippendorff's alpha").is_none(),
        "left the agreement view"
    );
    assert!(
        label.starts_with(&s.article().id),
        "opened the disagreement's article: {label}"
    );
    let sentence = format!("s{}", s.cursor() + 1);
    assert!(
        label.contains(&format!(" {sentence} ")),
        "{label} vs {sentence}"
    );
    // Review mode: verdict buttons for both coders' claims are there.
    assert!(h.query_all_by_label_contains("Accept ").count() > 0);
    // The claim boundaries tab shows matching and unitizing alpha.
    h.get_by_label("Agreement").click();
    h.run();
    h.query_all_by_label_contains("claim boundaries")
        .next()
        .expect("claim boundaries tab")
        .click();
    h.run();
    assert!(
        h.query_all_by_label_contains("Pooled over 3 article(s)")
            .next()
            .is_some()
    );
}

#[test]
fn accept_two_suggestions_by_key_dismiss_one_and_save_provenance() {
    let dir = seed_project();
    let mut h = app(dir.path(), Some("alice"));
    open_kirby(&mut h);
    // Kirby's sentence is suggested (quote + "told reporters" + his name).
    let why = h
        .state()
        .session()
        .unwrap()
        .suggestion_at(h.state().session().unwrap().cursor())
        .map(stance::core::suggest::Suggestion::explain);
    assert!(
        why.as_deref().is_some_and(|w| w.contains("Kirby")),
        "{why:?}"
    );
    press(&mut h, Key::Y); // accept: the claim is made and selected for correction
    let first = h
        .state()
        .session()
        .unwrap()
        .selected_claim()
        .unwrap()
        .clone();
    assert!(!first.origin.is_manual());
    press(&mut h, Key::Y); // no suggestion under the cursor now: go to the next one
    let next = h.state().session().unwrap().cursor();
    assert!(next > first.anchor.last);
    press(&mut h, Key::W); // dismiss it; the cursor moves on to the one after
    let after_dismiss = h.state().session().unwrap().cursor();
    assert!(after_dismiss > next);
    assert!(h.state().session().unwrap().suggestion_at(next).is_none());
    press(&mut h, Key::Y); // accept the next one
    press_mod(&mut h, Modifiers::COMMAND, Key::S);
    let s = h.state().session().unwrap();
    let saved = store::load_annotation(&s.document().path, s.codebook()).unwrap();
    assert_eq!(saved.claims.len(), 2);
    assert!(saved.claims.iter().all(|c| !c.origin.is_manual()));
    let text = std::fs::read_to_string(&s.document().path).unwrap();
    assert_eq!(text.matches("origin: Suggested(").count(), 2, "{text}");
    assert!(saved.claims.iter().all(|c| c.anchor.first != next));
}

#[test]
fn suggestions_can_be_switched_off() {
    let dir = seed_project();
    let mut h = app(dir.path(), Some("alice"));
    open_kirby(&mut h);
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Show suggestions").click();
    h.run();
    let s = h.state().session().unwrap();
    assert!(!s.suggestions_on());
    assert!(s.suggestion_at(s.cursor()).is_none());
    assert_eq!(
        h.state().settings().suggestions_off,
        vec!["alice".to_owned()]
    );
    press(&mut h, Key::Y);
    assert!(
        h.state()
            .session()
            .unwrap()
            .document()
            .file
            .claims
            .is_empty()
    );
}

#[test]
fn review_mode_accepts_and_rejects_without_touching_coders_files() {
    let dir = pilot_project();
    let article = "004_856d1f34f02ed973";
    let coder_files: Vec<(std::path::PathBuf, Vec<u8>)> = ["amira", "jonas"]
        .iter()
        .map(|a| {
            let p = dir
                .path()
                .join("annotations")
                .join(article)
                .join(format!("{a}.ron"));
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let mut h = app(dir.path(), Some("ed"));
    h.get_by_label_contains("Xi Jinping in Russia: What China")
        .click();
    h.run();
    h.get_by_label("Review").click();
    h.run();
    let accept = h
        .query_all_by_label_contains("Accept amira's claim")
        .next()
        .expect("a claim to accept");
    accept.click();
    h.run();
    let reject = h
        .query_all_by_label_contains("Reject jonas's claim")
        .next()
        .expect("a claim to reject");
    reject.click();
    h.run();
    let comment = h
        .query_all_by_label_contains("Comment on jonas's claim")
        .next()
        .expect("comment field");
    comment.click();
    h.run();
    h.query_all_by_label_contains("Comment on jonas's claim")
        .next()
        .unwrap()
        .type_text("not a claim");
    h.run();
    press(&mut h, Key::Escape); // leave the field: the comment is kept with the verdict
    h.get_by_label("Coding").click();
    h.run();
    let review_path = dir
        .path()
        .join("annotations")
        .join(article)
        .join("review.ed.ron");
    let review = std::fs::read_to_string(&review_path).expect("review file written");
    assert!(
        review.contains("verdict: Accept") && review.contains("verdict: Reject"),
        "{review}"
    );
    assert!(review.contains("not a claim"), "{review}");
    for (p, bytes) in coder_files {
        assert_eq!(std::fs::read(&p).unwrap(), bytes, "{} changed", p.display());
    }
}

#[test]
fn file_import_articles_adds_a_web_page_and_opens_it() {
    let dir = seed_project();
    // The page quotes Wang Yi (王毅): the window's fonts have no CJK glyphs and draw boxes
    // there, which the harness's default policy would take for a bug.
    let settings = Settings {
        annotator: Some("alice".into()),
        ..Settings::default()
    };
    let root = dir.path().to_owned();
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .allow_missing_glyphs()
        .build_eframe(move |_cc| StanceApp::with_settings(settings, root));
    h.run();
    let page =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/interchange/article.html");
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import articles…").click();
    h.run();
    let field = h.get_by_role_and_label(
        egui::accesskit::Role::TextInput,
        "Article file (.txt, .html, .docx, news export) or a folder of them",
    );
    field.click();
    field.type_text(page.to_str().unwrap());
    h.run();
    h.get_by_label("Open").click();
    h.run();
    let s = h.state().session().unwrap();
    let id = s.article().id.clone();
    assert!(id.starts_with("005_"), "{id} {:?}", h.state().error());
    assert_eq!(s.article().title, "Xi’s visit conveys great significance");
    assert!(
        dir.path()
            .join("seeds")
            .join(format!("{id}.source.ron"))
            .is_file()
    );
    assert!(h.state().error().is_none());
}
