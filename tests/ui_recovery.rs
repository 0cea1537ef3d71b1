//! Never losing work, in the window, driven headless as a coder would: the restore prompt
//! after a crash, the outside-change prompt and merge by claim, the read-only banner of a
//! file another window holds, and orphaned claims attached by hand.
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;
use helpers::{SEED_001, claim_on_sentence, copy_dir, sentence_with};

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stance::core::storage::{journal, lock, store};
use stance::session::{CodeCommand as Command, Session};
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

const TITLE_001: &str = "Xi’s visit to Russia conveys great significance";
const KIRBY: &str = "We don't support calls for a ceasefire";
// Sentences near the top, shown without scrolling.
const MEDIATOR: &str = "At the invitation of Russian President Vladimir Putin";
const EARLY: &str = "The two leaders will also sign";
const DELETED: &str = "While the world is closely observing the trip";

fn seed_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
        &dir.path().join("seeds"),
    );
    dir
}

fn app(root: &Path) -> Harness<'static, StanceApp> {
    let settings = Settings {
        annotator: Some("alice".to_owned()),
        ..Settings::default()
    };
    let root = root.to_owned();
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| StanceApp::with_settings(settings, root));
    h.run();
    h
}

fn session<'a>(h: &'a Harness<'_, StanceApp>) -> &'a Session {
    h.state().session().unwrap()
}

fn annotation_path(root: &Path) -> PathBuf {
    root.join("annotations").join(SEED_001).join("alice.ron")
}

/// Clicks the sentence holding `phrase` in the article text.
fn click_sentence(h: &mut Harness<'_, StanceApp>, phrase: &str) {
    let label = {
        let s = session(h);
        let i = sentence_with(s.article(), phrase);
        format!("Sentence {}: {}", i + 1, s.article().sentence_text(i))
    };
    h.get_by_label(&label).click();
    h.run();
}

fn make_claim_at(h: &mut Harness<'_, StanceApp>, phrase: &str) {
    click_sentence(h, phrase);
    h.key_press(Key::Enter);
    h.run();
}

fn save(h: &mut Harness<'_, StanceApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
}

/// A session that made edits on article 001 and crashed before saving them.
fn crashed_session(root: &Path) {
    let mut s = Session::open(root, "alice").unwrap();
    let i = s
        .project()
        .articles
        .iter()
        .position(|a| a.id == SEED_001)
        .unwrap();
    s.handle(Command::OpenArticle(i));
    let k = sentence_with(s.article(), KIRBY);
    s.handle(Command::SetCursor(k));
    s.handle(Command::MakeClaim);
    s.handle(Command::ToggleStance {
        target: "ceasefire".into(),
        stance: "against".into(),
    });
}

#[test]
fn after_a_crash_the_window_offers_the_journal_and_restores_it() {
    let dir = seed_project();
    crashed_session(dir.path());
    let path = annotation_path(dir.path());
    assert!(journal::journal_path(&path).exists());

    let mut h = app(dir.path());
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    h.get_by_label("Unsaved edits from a previous session");
    h.get_by_label_contains("2 unsaved edits to 1 claim");
    // Keys do not edit behind the prompt.
    h.key_press(Key::Enter);
    h.run();
    assert!(session(&h).document().file.claims.is_empty());

    h.get_by_label("Restore unsaved edits").click();
    h.run();
    assert!(h.query_by_label("Restore unsaved edits").is_none());
    let s = session(&h);
    assert_eq!(s.document().file.claims.len(), 1);
    assert_eq!(
        s.document().file.claims[0]
            .stances
            .get("ceasefire")
            .map(String::as_str),
        Some("against")
    );
    save(&mut h);
    let saved = store::load_annotation(&path, session(&h).codebook()).unwrap();
    assert_eq!(saved.claims.len(), 1);
    assert!(!journal::journal_path(&path).exists());
}

#[test]
fn discarding_in_the_prompt_keeps_the_disk_file() {
    let dir = seed_project();
    crashed_session(dir.path());
    let path = annotation_path(dir.path());
    let mut h = app(dir.path());
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    h.get_by_label("Discard them").click();
    h.run();
    assert!(session(&h).document().file.claims.is_empty());
    assert!(!journal::journal_path(&path).exists());
    assert!(!path.exists());
}

/// Another program adds a claim on the "early stage" sentence to the file on disk.
fn outside_edit(path: &Path, codebook: &stance::core::model::codebook::Codebook) {
    let mut file = store::load_annotation(path, codebook).unwrap();
    let article = helpers::seed_article(SEED_001);
    file.claims.push(claim_on_sentence(
        &article,
        sentence_with(&article, EARLY),
        "outside",
    ));
    file.sort_claims();
    store::save_annotation(path, &file).unwrap();
}

/// Article 001 open, a claim saved, a second claim unsaved (selected), and then the file
/// changes under the window; the harness and the file's path.
fn saved_then_edited_then_changed_outside(root: &Path) -> (Harness<'static, StanceApp>, PathBuf) {
    let path = annotation_path(root);
    let mut h = app(root);
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    make_claim_at(&mut h, KIRBY);
    save(&mut h);
    assert!(path.exists());
    make_claim_at(&mut h, MEDIATOR);
    outside_edit(&path, session(&h).codebook());
    (h, path)
}

#[test]
fn an_outside_change_is_noticed_on_focus_and_merged_by_claim() {
    let dir = seed_project();
    let (mut h, path) = saved_then_edited_then_changed_outside(dir.path());
    let mine = session(&h).selected_claim().unwrap().id.clone();
    assert!(session(&h).document().dirty);

    // The coder leaves the window and comes back.
    h.input_mut().focused = false;
    h.run();
    h.input_mut().focused = true;
    h.run();
    h.get_by_label("The file changed on disk");
    assert!(h.query_by_label("Reload (take theirs)").is_some());
    assert!(h.query_by_label("Overwrite (keep mine)").is_some());
    h.get_by_label("Merge by claim").click();
    h.run();
    assert!(h.query_by_label("The file changed on disk").is_none());
    save(&mut h);

    let saved = store::load_annotation(&path, session(&h).codebook()).unwrap();
    assert!(saved.claim("outside").is_some(), "their claim");
    assert!(saved.claim(&mine).is_some(), "the coder's claim");
    assert_eq!(saved.claims.len(), 3);
    assert!(!session(&h).document().dirty);
}

#[test]
fn polling_notices_an_outside_change_and_keep_mine_overwrites() {
    let dir = seed_project();
    let (mut h, path) = saved_then_edited_then_changed_outside(dir.path());
    // The window polls by itself: let a poll interval pass.
    std::thread::sleep(stance::session::watch::POLL_INTERVAL);
    h.run();
    h.get_by_label("Overwrite (keep mine)").click();
    h.run();
    let saved = store::load_annotation(&path, session(&h).codebook()).unwrap();
    assert!(saved.claim("outside").is_none());
    assert_eq!(saved.claims.len(), 2);
}

#[test]
fn a_second_window_is_read_only_until_the_first_is_gone() {
    let dir = seed_project();
    let path = annotation_path(dir.path());
    let mut first = app(dir.path());
    first.get_by_label_contains(TITLE_001).click();
    first.run();
    make_claim_at(&mut first, KIRBY);
    save(&mut first);

    let mut second = app(dir.path());
    second.get_by_label_contains(TITLE_001).click();
    second.run();
    let banner = "Read-only: another Stance window is writing this file";
    second.get_by_label_contains(banner);
    assert!(second.query_by_label("Take over").is_none());
    second.get_by_label("Close the file there to edit it here.");

    drop(first);
    assert!(!lock::lock_path(&path).exists());
    second.run();
    second.get_by_label("Take over").click();
    second.run();
    assert!(second.query_by_label_contains(banner).is_none());
    make_claim_at(&mut second, MEDIATOR);
    save(&mut second);
    let saved = store::load_annotation(&path, session(&second).codebook()).unwrap();
    assert_eq!(saved.claims.len(), 2);
}

/// alice's file with a claim on the DELETED sentence of 001, saved; then the outlet deletes
/// that paragraph, so the claim is orphaned. The file's path.
fn coded_then_paragraph_deleted(root: &Path) -> PathBuf {
    let path = annotation_path(root);
    let article = helpers::seed_article(SEED_001);
    let mut file = helpers::valid_file(&article, "alice");
    file.claims = vec![claim_on_sentence(
        &article,
        sentence_with(&article, DELETED),
        "c-mediator",
    )];
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    store::save_annotation(&path, &file).unwrap();
    // The outlet deletes the paragraph the claim was on.
    let seed = root.join("seeds").join(format!("{SEED_001}.txt"));
    let text = std::fs::read_to_string(&seed).unwrap();
    let start = text[..text.find(DELETED).unwrap()].rfind('\n').unwrap() + 1;
    let end = start + text[start..].find('\n').unwrap() + 1;
    std::fs::write(&seed, format!("{}{}", &text[..start], &text[end..])).unwrap();
    path
}

#[test]
fn orphaned_claims_are_listed_and_attached_by_hand() {
    let dir = seed_project();
    let path = coded_then_paragraph_deleted(dir.path());
    let mut h = app(dir.path());
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    h.get_by_label("Orphaned (1)");
    click_sentence(&mut h, EARLY);
    let sentence = session(&h).cursor() + 1;
    h.get_by_label(&format!("Attach c-mediator to sentence {sentence}"))
        .click();
    h.run();
    assert!(h.query_by_label("Orphaned (1)").is_none());
    let claim = session(&h).document().file.claim("c-mediator").unwrap();
    assert_eq!(claim.anchor.first + 1, sentence);
    save(&mut h);
    let saved = store::load_annotation(&path, session(&h).codebook()).unwrap();
    assert_eq!(saved.article.fingerprint, session(&h).article().fingerprint);
}

/// The window's close button, as the window system reports it.
fn request_close(h: &mut Harness<'_, StanceApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run();
}

/// alice's file with a claim on the Kirby sentence of 001, saved; then the outlet adds a
/// paragraph at the top of the article, so the claim's offsets go stale. The file's path.
fn coded_then_paragraph_added(root: &Path) -> PathBuf {
    let path = annotation_path(root);
    let article = helpers::seed_article(SEED_001);
    let mut file = helpers::valid_file(&article, "alice");
    file.claims = vec![claim_on_sentence(
        &article,
        sentence_with(&article, KIRBY),
        "c-kirby",
    )];
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    store::save_annotation(&path, &file).unwrap();
    let seed = root.join("seeds").join(format!("{SEED_001}.txt"));
    let text = std::fs::read_to_string(&seed).unwrap();
    // After the title, which names the article in the list.
    let at = text.find("\n\n").unwrap() + 2;
    let note = "Editor's note: this article was updated on March 21.\n\n";
    std::fs::write(&seed, format!("{}{note}{}", &text[..at], &text[at..])).unwrap();
    path
}

#[test]
fn opening_a_reanchored_file_and_quitting_leaves_it_byte_identical() {
    let dir = seed_project();
    let path = coded_then_paragraph_added(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut h = app(dir.path());
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    // Re-anchoring is shown: the claim at its new place.
    h.get_by_label_contains("1 claim(s) moved");
    let s = session(&h);
    let claim = s.document().file.claim("c-kirby").unwrap();
    assert!(s.article().text[claim.anchor.start..claim.anchor.end].contains(KIRBY));
    // Autosave has had its chance; then the coder quits without editing.
    std::thread::sleep(std::time::Duration::from_millis(1600));
    h.run();
    request_close(&mut h);
    drop(h);
    // (Not assert_eq: a failure would print two files as byte lists.)
    assert!(std::fs::read(&path).unwrap() == before, "the file changed");

    // Accept new positions writes them, with the new article's fingerprint.
    let mut h = app(dir.path());
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    h.get_by_label_contains("the file is saved with them at your first edit");
    h.get_by_label("Accept new positions").click();
    h.run();
    assert!(h.query_by_label("Accept new positions").is_none());
    let saved = store::load_annotation(&path, session(&h).codebook()).unwrap();
    assert_eq!(saved.article.fingerprint, session(&h).article().fingerprint);
    let kirby = saved.claim("c-kirby").unwrap();
    assert!(session(&h).article().text[kirby.anchor.start..kirby.anchor.end].contains(KIRBY));
}

#[test]
fn attaching_an_orphan_keeps_the_quote_it_was_coded_on() {
    let dir = seed_project();
    let path = coded_then_paragraph_deleted(dir.path());
    let coded = {
        let article = helpers::seed_article(SEED_001);
        article
            .sentence_text(sentence_with(&article, DELETED))
            .to_owned()
    };
    let mut h = app(dir.path());
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    click_sentence(&mut h, EARLY);
    let sentence = session(&h).cursor() + 1;
    h.get_by_label(&format!("Attach c-mediator to sentence {sentence}"))
        .click();
    h.run();
    save(&mut h);
    let saved = store::load_annotation(&path, session(&h).codebook()).unwrap();
    let claim = saved.claim("c-mediator").unwrap();
    let now_on = session(&h).article().sentence_text(sentence - 1).to_owned();
    assert_eq!(claim.anchor.quote, now_on, "now on the new sentence");
    assert_eq!(claim.anchor.was.as_deref(), Some(coded.as_str()));
    assert!(
        !claim.note.contains(DELETED),
        "kept in the anchor, not the note"
    );
    // Review shows both.
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label_contains(&format!("alice's claim was coded on: “{DELETED}"));
    h.get_by_label_contains(&format!("/ now on: “{now_on}”"));
}

#[test]
fn an_orphan_is_listed_as_orphaned_and_its_long_quote_wraps() {
    let dir = seed_project();
    coded_then_paragraph_deleted(dir.path());
    let old_sentence = {
        let article = helpers::seed_article(SEED_001);
        sentence_with(&article, DELETED) + 1
    };
    let mut h = app(dir.path());
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    // The claim list: not by its old sentence number, which is another sentence now.
    h.get_by_label_contains(&format!("orphaned  {DELETED}"));
    assert!(
        h.query_by_label_contains(&format!("s{old_sentence}  {DELETED}"))
            .is_none()
    );
    // The orphan's one-line quote (over 300 characters) wraps inside the centre panel
    // instead of widening it under the claim list.
    let quote = h.get_by_label_contains(&format!("“{DELETED}")).rect();
    let claims = h.get_by_label("Filter by speaker").rect();
    assert!(
        quote.right() <= claims.left(),
        "the quote reaches x={} past the claim list at x={}",
        quote.right(),
        claims.left()
    );
}
