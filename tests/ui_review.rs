//! Review mode driven as an editor (and a coder) would: by labels, clicks and keys, headless,
//! on a copy of `tests/fixtures/review` (ana and ben coded the article `talks`).
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;
use helpers::copy_dir;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stance::core::check::check_project;
use stance::core::compare::adjudicate::{Field, GoldSource, provenance};
use stance::core::model::codebook::Codebook;
use stance::core::storage::store;
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/review"),
        dir.path(),
    );
    dir
}

fn talks(dir: &Path, file: &str) -> PathBuf {
    dir.join("annotations/talks").join(file)
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
    h.run();
    h
}

fn press(h: &mut Harness<'_, StanceApp>, key: Key) {
    h.key_press(key);
    h.run();
}

fn click(h: &mut Harness<'_, StanceApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
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

fn click_first_containing(h: &mut Harness<'_, StanceApp>, label: &str) {
    h.query_all_by_label_contains(label)
        .next()
        .unwrap_or_else(|| panic!("nothing labelled like {label:?}"))
        .click();
    h.run();
}

fn coders_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    ["ana.ron", "ben.ron"]
        .iter()
        .map(|f| {
            let p = talks(dir, f);
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

#[test]
fn editor_reviews_builds_gold_and_settles_a_stance_by_keys() {
    let dir = fixture();
    let before = coders_bytes(dir.path());
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Review");

    // Verdicts in the side-by-side view.
    click_first_containing(&mut h, "Accept ana's claim");
    click_first_containing(&mut h, "Reject ben's claim");
    click_first_containing(&mut h, "Comment on ben's claim");
    h.query_all_by_label_contains("Comment on ben's claim")
        .next()
        .unwrap()
        .type_text("the settlement is not a ceasefire claim");
    h.run();
    press(&mut h, Key::Escape);

    // Gold: unanimous merge, then the three disputes by keys.
    click(&mut h, "Gold");
    click(&mut h, "Unanimous");
    click(&mut h, "Build gold");
    h.get_by_label("0 of 3 disputes resolved");
    h.get_by_label_contains("Dispute 1 of 3: s4 speaker");
    press(&mut h, Key::Num1); // ana: wang-yi
    press(&mut h, Key::Enter);
    h.get_by_label_contains("Dispute 2 of 3: s5 stance ceasefire");
    h.get_by_label("1 ana: against");
    h.get_by_label("2 ben: neutral");
    press(&mut h, Key::Num2); // ben: neutral
    h.get_by_label("Decided: neutral (from ben, chosen by ed)");
    press(&mut h, Key::Enter);
    h.get_by_label_contains("Dispute 3 of 3: s6 claim");
    press(&mut h, Key::Num1); // ana's lone claim goes into gold
    h.get_by_label("3 of 3 disputes resolved");
    // Who chose what, per gold claim.
    h.get_by_label_contains("stance ceasefire from ben, chosen by ed");
    let unsaved = "unsaved decisions: Save gold (Ctrl+S) writes them";
    h.get_by_label(unsaved);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.query_by_label(unsaved).is_none());
    h.get_by_label_contains("gold saved to");

    // The review file: one accept, one reject with its comment.
    let review = std::fs::read_to_string(talks(dir.path(), "review.ed.ron")).unwrap();
    assert!(review.contains("verdict: Accept"), "{review}");
    assert!(review.contains("verdict: Reject"), "{review}");
    assert!(
        review.contains("the settlement is not a ceasefire claim"),
        "{review}"
    );

    // Gold: an ordinary annotation file with the picked values and their provenance.
    let gold_path = talks(dir.path(), "gold.ron");
    let gold = store::load_annotation(&gold_path, &Codebook::default_codebook()).unwrap();
    assert_eq!(gold.annotator, "gold");
    assert_eq!(gold.claims.len(), 4);
    assert!(gold.claims.iter().all(|c| !c.unsure));
    let white_house = gold.claims.iter().find(|c| c.anchor.first == 4).unwrap();
    assert_eq!(white_house.stances["ceasefire"], "neutral");
    assert!(provenance(white_house).contains(&(
        Field::Stance("ceasefire".into()),
        GoldSource::Picked {
            annotator: "ben".into(),
            editor: "ed".into()
        }
    )));
    let wang = gold.claims.iter().find(|c| c.anchor.first == 3).unwrap();
    assert_eq!(
        wang.speaker,
        Some(stance::core::model::annotation::SpeakerRef::Registry(
            "wang-yi".into()
        ))
    );
    assert!(gold.claims.iter().any(|c| c.anchor.first == 5));
    let findings = check_project(dir.path());
    assert!(
        findings.iter().all(|f| !f.is_error()),
        "{:?}",
        findings.iter().map(ToString::to_string).collect::<Vec<_>>()
    );

    for (p, bytes) in before {
        assert_eq!(std::fs::read(&p).unwrap(), bytes, "{} changed", p.display());
    }
}

#[test]
fn the_editor_types_an_own_value_and_steps_back() {
    let dir = fixture();
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Review");
    click(&mut h, "Gold");
    click(&mut h, "Build gold");
    press(&mut h, Key::T); // focus the field; the t itself is not typed
    h.get_by_label("Your own value").type_text("john-kirby");
    h.run();
    press(&mut h, Key::Enter); // takes the typed value and moves on
    h.get_by_label_contains("Dispute 2 of 3");
    h.get_by_label("1 of 3 disputes resolved");
    press(&mut h, Key::OpenBracket);
    h.get_by_label_contains("Dispute 1 of 3: s4 speaker");
    h.get_by_label("Decided: john-kirby (typed by ed)");
    press(&mut h, Key::Backspace); // take it back
    h.get_by_label("0 of 3 disputes resolved");
    press(&mut h, Key::T);
    h.get_by_label("Your own value").type_text("maybe");
    h.run();
    press(&mut h, Key::Enter);
    // A bare name that is not in the registry is a new speaker; a stance label is checked.
    h.get_by_label("1 of 3 disputes resolved");
    press(&mut h, Key::T);
    h.get_by_label("Your own value").type_text("perhaps");
    h.run();
    press(&mut h, Key::Enter);
    h.get_by_label("unknown stance label `perhaps`");
    h.get_by_label("1 of 3 disputes resolved");
}

#[test]
fn majority_threshold_is_typed_and_a_bad_one_is_refused() {
    let dir = fixture();
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Review");
    click(&mut h, "Gold");
    click(&mut h, "Majority");
    h.get_by_label("threshold").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label("threshold").type_text("lots");
    h.run();
    click(&mut h, "Build gold");
    h.get_by_label_contains("the threshold must be a number");
    assert!(!talks(dir.path(), "gold.ron").exists());
}

#[test]
fn a_coder_asks_the_editor_answers_and_the_coder_sees_answer_and_verdict() {
    let dir = fixture();
    let before = coders_bytes(dir.path());
    {
        let mut h = app(dir.path(), "ana");
        click_first_containing(&mut h, "A White House spokesman said");
        // Below the claim's fields: scrolled to, as a coder would.
        h.get_by_label("Ask the editor").scroll_to_me();
        h.run();
        h.get_by_label("Ask the editor").click();
        h.run();
        h.get_by_label("Ask the editor")
            .type_text("Is regrouping against a ceasefire?");
        h.run();
        click(&mut h, "Send question");
        h.get_by_label("Question saved for the editors.");
    }
    let questions = std::fs::read_to_string(talks(dir.path(), "questions.ana.ron")).unwrap();
    assert!(
        questions.contains("Is regrouping against a ceasefire?"),
        "{questions}"
    );
    {
        let mut h = app(dir.path(), "ed");
        click(&mut h, "Review");
        click(&mut h, "1 open question from coders: answer them");
        h.get_by_label_contains("ana's claim ana0000003 (open)");
        h.get_by_label_contains("s5: A White House spokesman said");
        let field = "Answer ana's question on ana0000003";
        h.get_by_label(field).click();
        h.run();
        h.get_by_label(field)
            .type_text("Yes: it opposes a ceasefire now.");
        h.run();
        click(&mut h, "Send answer to ana");
        h.get_by_label_contains("ana's claim ana0000003 (answered)");
        click(&mut h, "Side by side");
        click_first_containing(&mut h, "Accept ana's claim on s5");
    }
    let questions = std::fs::read_to_string(talks(dir.path(), "questions.ana.ron")).unwrap();
    assert!(questions.contains("who: \"ed\""), "{questions}");
    assert!(
        questions.contains("Yes: it opposes a ceasefire now."),
        "{questions}"
    );
    {
        let mut h = app(dir.path(), "ana");
        click_first_containing(&mut h, "[accepted] A White House spokesman said");
        h.get_by_label_contains("Verdict: accept by ed");
        h.get_by_label_contains("Yes: it opposes a ceasefire now.");
    }
    for (p, bytes) in before {
        assert_eq!(std::fs::read(&p).unwrap(), bytes, "{} changed", p.display());
    }
}

/// A second article (a real seed, sorted before `talks`) so that opening `talks` shows.
fn with_second_article(dir: &Path) {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_fb0db49d048a0ffe.txt");
    std::fs::copy(seed, dir.join("seeds/000_fb0db49d048a0ffe.txt")).unwrap();
}

#[test]
fn a_validation_finding_opens_its_article_in_review_mode() {
    let dir = fixture();
    with_second_article(dir.path());
    // A stale fingerprint in ben's file: stance check warns about it.
    let ben = talks(dir.path(), "ben.ron");
    let text = std::fs::read_to_string(&ben)
        .unwrap()
        .replace("sha256:91bf5f00", "sha256:00000000");
    std::fs::write(&ben, text).unwrap();
    let mut h = app(dir.path(), "ed");
    assert_eq!(
        h.state().session().unwrap().article().id,
        "000_fb0db49d048a0ffe"
    );
    click(&mut h, "View");
    click(&mut h, "Validation panel");
    click_first_containing(&mut h, "annotations/talks/ben.ron");
    assert_eq!(h.state().session().unwrap().article().id, "talks");
    // Someone else's file opens in review mode, on the side-by-side view.
    assert!(h.query_all_by_label_contains("Reject ben's claim").count() > 0);
}

#[test]
fn a_merge_conflict_is_listed_and_opens_its_claim_for_adjudication() {
    let dir = fixture();
    with_second_article(dir.path());
    // ben's third claim (the White House, s5) came out of a git merge with a conflict.
    let ben = talks(dir.path(), "ben.ron");
    let text = std::fs::read_to_string(&ben).unwrap();
    let at = text.match_indices("note: \"\",").nth(2).unwrap().0;
    let text = format!(
        "{}note: \"<<merge conflict>> stance ceasefire: ours=neutral theirs=against\",{}",
        &text[..at],
        &text[at + "note: \"\",".len()..]
    );
    std::fs::write(&ben, text).unwrap();
    let mut h = app(dir.path(), "ed");
    click(&mut h, "View");
    click(&mut h, "Validation panel");
    h.get_by_label("Merge conflicts (1)");
    click_first_containing(&mut h, "claim ben0000003: stance ceasefire");
    assert_eq!(h.state().session().unwrap().article().id, "talks");
    h.get_by_label("Opened for claim ben0000003 of ben");
    // Building gold starts the walk on that claim's dispute.
    click(&mut h, "Build gold");
    h.get_by_label_contains("Dispute 2 of 3: s5 stance ceasefire");
}

#[test]
fn corpus_overview_counts_claims_per_annotator_and_opens_a_file() {
    let dir = fixture();
    with_second_article(dir.path());
    let mut h = app(dir.path(), "ed");
    click(&mut h, "View");
    click(&mut h, "Corpus overview");
    h.get_by_label("2 files over 2 articles");
    h.get_by_label("4 claims");
    h.get_by_label("3 claims");
    assert_eq!(h.query_all_by_label("done").count(), 2);
    assert_eq!(h.query_all_by_label("2024-05-02 10:00 UTC").count(), 2);
    click(&mut h, "Open talks / ben");
    assert_eq!(h.state().session().unwrap().article().id, "talks");
    assert!(h.query_all_by_label_contains("Reject ben's claim").count() > 0);
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_files_opens_the_good_one_and_lists_the_broken_one() {
    let dir = fixture();
    with_second_article(dir.path());
    let broken = talks(dir.path(), "carl.ron");
    std::fs::write(&broken, "(format: 1, oops").unwrap();
    let mut h = app(dir.path(), "ed");
    assert_eq!(
        h.state().session().unwrap().article().id,
        "000_fb0db49d048a0ffe"
    );
    h.input_mut().dropped_files.extend([
        Arc::new(Dropped(broken.clone())) as egui::DroppedFileHandle,
        Arc::new(Dropped(talks(dir.path(), "ana.ron"))),
    ]);
    h.run();
    assert_eq!(h.state().session().unwrap().article().id, "talks");
    h.get_by_label("Some files could not be opened for review:");
    // Listed with its error (also in the side-by-side view's load errors).
    assert!(
        h.query_all_by_label_contains(&broken.display().to_string())
            .count()
            > 0
    );
    assert!(h.query_all_by_label_contains("Accept ana's claim").count() > 0);
}

#[test]
fn dropping_a_project_folder_opens_its_corpus_overview() {
    let dir = fixture();
    let other = fixture();
    with_second_article(other.path());
    let mut h = app(dir.path(), "ed");
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(other.path().to_owned())));
    h.run();
    assert_eq!(
        std::fs::canonicalize(&h.state().session().unwrap().project().root).unwrap(),
        std::fs::canonicalize(other.path()).unwrap()
    );
    h.get_by_label("2 files over 2 articles");
}

#[test]
fn file_menu_opens_an_annotation_file_for_review() {
    let dir = fixture();
    with_second_article(dir.path());
    let mut h = app(dir.path(), "ed");
    assert_eq!(
        h.state().session().unwrap().article().id,
        "000_fb0db49d048a0ffe"
    );
    click(&mut h, "File");
    click(&mut h, "Open for review…");
    let ben = talks(dir.path(), "ben.ron");
    let field = "Annotation file (.ron), article folder or project folder";
    click(&mut h, field);
    h.get_by_label(field).type_text(&ben.display().to_string());
    h.run();
    click(&mut h, "Open");
    // The file's article opens side by side with every annotator's claims.
    assert_eq!(h.state().session().unwrap().article().id, "talks");
    assert!(h.query_all_by_label_contains("Accept ben's claim").count() > 0);
    assert!(h.query_all_by_label_contains("Accept ana's claim").count() > 0);
}

#[test]
fn quitting_with_unsaved_gold_decisions_asks_and_can_save_them() {
    let dir = fixture();
    let mut h = app(dir.path(), "ed");
    click(&mut h, "Review");
    click(&mut h, "Gold");
    click(&mut h, "Unanimous");
    click(&mut h, "Build gold");
    press(&mut h, Key::Num1); // a decision, not saved yet
    let gold_path = talks(dir.path(), "gold.ron");
    assert!(!gold_path.exists());
    // The window is asked to close: it stays open and asks.
    request_close(&mut h);
    h.get_by_label("Unsaved gold decisions");
    click(&mut h, "Keep adjudicating");
    assert!(h.query_by_label("Unsaved gold decisions").is_none());
    assert!(!gold_path.exists());
    request_close(&mut h);
    click(&mut h, "Save gold and quit");
    let gold = store::load_annotation(&gold_path, &Codebook::default_codebook()).unwrap();
    assert_eq!(gold.annotator, "gold");
}

/// The repository's seeds and the pilot's codings of article 003 (amira and jonas).
fn pilot_003() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("seeds"), &dir.path().join("seeds"));
    copy_dir(
        &repo.join("annotations").join(PILOT_003),
        &dir.path().join("annotations").join(PILOT_003),
    );
    dir
}

const PILOT_003: &str = "003_cb7437eb45da7ccb";

/// The gold file of article 003 as saved.
fn gold_003(dir: &Path) -> stance::core::model::annotation::AnnotationFile {
    let path = dir.join("annotations").join(PILOT_003).join("gold.ron");
    store::load_annotation(&path, &Codebook::default_codebook()).unwrap()
}

/// The gold claims covering sentence `i` (0-based, as in the file).
fn gold_claims_on(gold: &stance::core::model::annotation::AnnotationFile, i: u32) -> usize {
    gold.claims
        .iter()
        .filter(|c| c.anchor.first <= i && i <= c.anchor.last)
        .count()
}

#[test]
fn gold_decides_an_extent_and_a_lone_claim_over_the_same_sentence_together() {
    // Pilot 003: amira made one claim over sentences 41–42, jonas one over 41 and one over
    // 42. Alignment pairs amira's with jonas's 42 (which extent?) and leaves jonas's 41
    // alone (is it a claim?): two disputes about the same sentence 41.
    let dir = pilot_003();
    let mut h = app(dir.path(), "ed");
    h.get_by_label_contains("Xi-Putin Meeting Shows Ukraine Peace")
        .click();
    h.run();
    click(&mut h, "Review");
    click(&mut h, "Gold");
    click(&mut h, "Unanimous");
    click(&mut h, "Build gold");
    h.get_by_label("0 of 4 disputes resolved");
    press(&mut h, Key::CloseBracket);
    press(&mut h, Key::CloseBracket);
    h.get_by_label_contains("Dispute 3 of 4: s41 claim");
    press(&mut h, Key::Num2); // jonas: his claim on 41 is kept
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    // The extent follows: amira's 41–42 would take jonas's kept 41 in, so only his 42 fits.
    let gold = gold_003(dir.path());
    assert_eq!(
        gold_claims_on(&gold, 40),
        1,
        "one gold claim over sentence 41"
    );
    assert_eq!(
        gold_claims_on(&gold, 41),
        1,
        "one gold claim over sentence 42"
    );
    h.get_by_label("2 of 4 disputes resolved"); // the other two are stances elsewhere
    press(&mut h, Key::Enter);
    // Every sentence number is the window's, counted from 1.
    h.get_by_label_contains("Dispute 4 of 4: s41-42 anchor");
    h.get_by_label_contains("1 amira: s41-42 “The recent Iran-Saudi Arabia");
    h.get_by_label_contains("2 jonas: s42 “But the Ukraine case");
    h.get_by_label_contains("(follows from keeping the claim on s41)");

    // amira's extent after all: the latest word wins and the claim on 41 follows from it.
    press(&mut h, Key::Num1);
    h.get_by_label_contains("took back the decision on s41 claim");
    press(&mut h, Key::OpenBracket);
    h.get_by_label_contains("Dispute 3 of 4: s41 claim");
    h.get_by_label_contains("Decided: no claim (follows from the anchor chosen on s41-42)");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let gold = gold_003(dir.path());
    assert_eq!(
        gold_claims_on(&gold, 40),
        1,
        "one gold claim over sentence 41"
    );
    let both = gold.claims.iter().find(|c| c.anchor.first == 40).unwrap();
    assert_eq!(both.anchor.last, 41, "amira's extent");
}

#[test]
fn gold_anchor_dispute_numbers_sentences_as_the_window_does() {
    let dir = pilot_003();
    let mut h = app(dir.path(), "ed");
    h.get_by_label_contains("Xi-Putin Meeting Shows Ukraine Peace")
        .click();
    h.run();
    click(&mut h, "Review");
    click(&mut h, "Gold");
    click(&mut h, "Build gold");
    for _ in 0..3 {
        press(&mut h, Key::CloseBracket);
    }
    // The header, the options and the decision all count sentences from 1, as the article
    // view does ("Sentence 41: The recent Iran-Saudi Arabia…").
    h.get_by_label_contains("Dispute 4 of 4: s41-42 anchor");
    h.get_by_label_contains("1 amira: s41-42 “The recent Iran-Saudi Arabia");
    h.get_by_label_contains("2 jonas: s42 “But the Ukraine case");
    press(&mut h, Key::Num2);
    h.get_by_label_contains("Decided: s42 “But the Ukraine case");
    // The file's 0-based 40–41 is shown nowhere.
    assert_eq!(h.query_all_by_label_contains("s40-41").count(), 0);
}

#[test]
fn in_review_mode_the_status_bar_names_the_review_file() {
    let dir = fixture();
    let mut h = app(dir.path(), "ed");
    h.get_by_label("annotations/talks/ed.ron");
    click(&mut h, "Review");
    h.get_by_label("annotations/talks/review.ed.ron");
    assert!(h.query_by_label("annotations/talks/ed.ron").is_none());
    click_first_containing(&mut h, "Accept ana's claim");
    h.get_by_label("All verdicts saved");
    assert!(talks(dir.path(), "review.ed.ron").exists());
    assert!(
        !talks(dir.path(), "ed.ron").exists(),
        "a file that does not exist"
    );
}
