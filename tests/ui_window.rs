//! The coding window's issue-13 items, driven headless as a coder would: by labels, clicks and
//! keys, with what is on screen measured from the accessibility tree (where each widget is).
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;
use helpers::copy_dir;

use std::fmt::Write as _;
use std::path::Path;

use egui::{Key, Modifiers, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use stance::session::Session;
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

const ARTICLE_002: &str = "002_d65207c423398da4";

fn seed_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
        &dir.path().join("seeds"),
    );
    dir
}

fn app_sized(root: &Path, annotator: Option<&str>, size: [f32; 2]) -> Harness<'static, StanceApp> {
    let settings = Settings {
        annotator: annotator.map(str::to_owned),
        ..Settings::default()
    };
    let root = root.to_owned();
    let mut h = Harness::builder()
        .with_size(size)
        // Scrolling to the cursor is animated over a few frames.
        .with_max_steps(60)
        .build_eframe(move |_cc| StanceApp::with_settings(settings, root));
    h.run();
    h
}

fn app(root: &Path) -> Harness<'static, StanceApp> {
    app_sized(root, Some("alice"), [1400.0, 900.0])
}

fn session<'a>(h: &'a Harness<'_, StanceApp>) -> &'a Session {
    h.state().session().unwrap()
}

fn press(h: &mut Harness<'_, StanceApp>, key: Key) {
    h.key_press(key);
    h.run();
}

fn press_mod(h: &mut Harness<'_, StanceApp>, m: Modifiers, key: Key) {
    h.key_press_modifiers(m, key);
    h.run();
}

/// Opens article `id` with Ctrl+PageDown / Ctrl+PageUp, as a coder moves through the corpus.
fn open_article(h: &mut Harness<'_, StanceApp>, id: &str) {
    let s = session(h);
    let target = s.project().articles.iter().position(|a| a.id == id);
    let key = if target < Some(s.article_index()) {
        Key::PageUp
    } else {
        Key::PageDown
    };
    for _ in 0..s.project().articles.len() {
        if session(h).article().id == id {
            return;
        }
        press_mod(h, Modifiers::COMMAND, key);
    }
    assert_eq!(session(h).article().id, id, "article not reached");
}

/// Where sentence `i`'s row is on screen, if it is drawn (rows out of view are not).
fn sentence_rect(h: &Harness<'_, StanceApp>, i: u32) -> Option<Rect> {
    let text = session(h).article().sentence_text(i).to_owned();
    h.query_all_by(|n| {
        n.label()
            .is_some_and(|l| l.starts_with("Sentence ") && l.ends_with(text.as_str()))
    })
    .next()
    .map(|n| n.rect())
}

/// The part of the window the article text is seen through: below the toolbar's buttons,
/// above the status bar, left of the claims panel.
fn article_column(h: &Harness<'_, StanceApp>) -> Rect {
    let toolbar = h.get_by_label("Make claim").rect();
    // The status bar's "sentence N of M".
    let status = h
        .get_by(|n| {
            // A label's text is its accesskit value.
            n.role() == egui::accesskit::Role::Label
                && n.value().is_some_and(|l| l.starts_with("sentence "))
        })
        .rect();
    let claims = h
        .get_by_role_and_label(egui::accesskit::Role::Label, "Claims")
        .rect();
    Rect::from_min_max(
        egui::pos2(toolbar.left(), toolbar.bottom()),
        egui::pos2(claims.left(), status.top()),
    )
}

#[test]
fn issue13_9_cursor_visible_after_moving_up() {
    let dir = seed_project();
    let mut h = app(dir.path());
    open_article(&mut h, ARTICLE_002);
    for _ in 0..36 {
        press(&mut h, Key::ArrowDown);
    }
    for _ in 0..30 {
        press(&mut h, Key::ArrowUp);
    }
    assert_cursor_visible(&h, "after 36 down and 30 up");
}

fn assert_cursor_visible(h: &Harness<'_, StanceApp>, when: &str) {
    let cursor = session(h).cursor();
    let column = article_column(h);
    let row = sentence_rect(h, cursor)
        .unwrap_or_else(|| panic!("{when}: the cursor's sentence {} is not drawn", cursor + 1));
    assert!(
        column.contains_rect(row),
        "{when}: sentence {} at {row:?} is not inside the article view {column:?}",
        cursor + 1
    );
}

#[test]
fn issue13_9_cursor_visible_after_claim_steps_and_finds() {
    let dir = seed_project();
    let mut h = app(dir.path());
    open_article(&mut h, ARTICLE_002);
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::Enter); // a claim near the top
    let early = session(&h).cursor();
    for _ in 0..45 {
        press(&mut h, Key::ArrowDown);
    }
    press(&mut h, Key::Enter); // and one far below
    assert!(session(&h).cursor() > early + 30);
    press(&mut h, Key::OpenBracket);
    assert_eq!(session(&h).cursor(), early);
    assert_cursor_visible(&h, "after [ to the earlier claim");
    press(&mut h, Key::CloseBracket);
    assert_cursor_visible(&h, "after ] to the later claim");
    // Find a word of the first sentences from down here.
    let word = {
        let s = session(&h);
        s.article()
            .sentence_text(early)
            .split_whitespace()
            .find(|w| w.len() > 6 && w.chars().all(char::is_alphabetic))
            .unwrap()
            .to_owned()
    };
    press(&mut h, Key::Slash);
    h.get_by_label("Find in article").type_text(&word);
    h.run();
    press(&mut h, Key::Escape);
    for n in 0..session(&h).find().matches.len() {
        press(&mut h, Key::F3);
        assert_cursor_visible(&h, &format!("after F3 to match {} of {word:?}", n + 1));
    }
}

const ARTICLE_004: &str = "004_856d1f34f02ed973";

/// Every sentence row drawn in the article view: its text's place on screen.
fn drawn_rows(h: &Harness<'_, StanceApp>) -> Vec<(String, Rect)> {
    h.query_all_by(|n| n.label().is_some_and(|l| l.starts_with("Sentence ")))
        .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()))
        .collect()
}

/// Drags the claims panel's left edge by `dx` points (negative widens it).
fn drag_claims_edge(h: &mut Harness<'_, StanceApp>, dx: f32) {
    let heading = h
        .get_by_role_and_label(egui::accesskit::Role::Label, "Claims")
        .rect();
    // The panel's edge lies a frame margin left of its heading.
    let from = egui::pos2(heading.left() - 8.0, heading.bottom() + 200.0);
    let to = from + egui::vec2(dx, 0.0);
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for step in 1..=10 {
        h.hover_at(from + egui::vec2(dx * step as f32 / 10.0, 0.0));
        h.run();
    }
    h.drop_at(to);
    h.run();
}

fn assert_text_inside_column(h: &Harness<'_, StanceApp>, when: &str) {
    let column = article_column(h);
    let rows = drawn_rows(h);
    assert!(rows.len() > 5, "{when}: too few rows drawn: {}", rows.len());
    for (label, rect) in rows {
        assert!(
            rect.right() <= column.right(),
            "{when}: text reaches x={} past the column's right edge x={}: {label}",
            rect.right(),
            column.right()
        );
    }
}

#[test]
fn issue13_10_text_wraps_at_the_visible_column_width() {
    let dir = seed_project();
    let mut h = app(dir.path());
    open_article(&mut h, ARTICLE_004);
    assert_text_inside_column(&h, "at the start");
    let before = h
        .get_by_role_and_label(egui::accesskit::Role::Label, "Claims")
        .rect()
        .left();
    // The coder widens the claims panel: the article column narrows, its text wraps anew.
    drag_claims_edge(&mut h, -320.0);
    let after = h
        .get_by_role_and_label(egui::accesskit::Role::Label, "Claims")
        .rect()
        .left();
    assert!(
        after < before - 250.0,
        "the panel did not widen: {before} -> {after}"
    );
    assert_text_inside_column(&h, "after widening the claims panel");
    // And narrows it again: the galleys follow the width back.
    drag_claims_edge(&mut h, 200.0);
    assert_text_inside_column(&h, "after narrowing it again");
    let widest = drawn_rows(&h)
        .iter()
        .map(|(_, r)| r.right())
        .fold(0.0_f32, f32::max);
    let column = article_column(&h);
    assert!(
        widest > column.right() - 120.0,
        "the text uses the room it has again (widest row ends at {widest}, column at {})",
        column.right()
    );
}

/// Whether the last frame told the platform to interrupt text input: egui does so each
/// time a widget asks for the keyboard, and a dialog that asks every frame makes the X11
/// input method restart every frame (a busy loop that also drops keys).
fn interrupts_input(h: &Harness<'_, StanceApp>) -> bool {
    h.output()
        .platform_output
        .ime
        .is_some_and(|ime| ime.should_interrupt_composition)
}

fn repaint_delay(h: &Harness<'_, StanceApp>) -> std::time::Duration {
    h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay
}

#[test]
fn issue13_12_who_is_coding_takes_typing_and_idles() {
    let dir = seed_project();
    let mut h = app_sized(dir.path(), None, [1400.0, 900.0]);
    // As under an X server without a window manager: the window is never told it has focus.
    h.input_mut().focused = false;
    h.run();
    h.get_by_label("Who is coding?");
    for frame in 0..3 {
        h.step();
        assert!(
            !interrupts_input(&h),
            "frame {frame}: the dialog asks for the keyboard again"
        );
        assert!(
            repaint_delay(&h) > std::time::Duration::from_secs(1),
            "frame {frame}: an idle dialog asks to be repainted in {:?}",
            repaint_delay(&h)
        );
    }
    // Typing goes straight into the name field, with no click first.
    h.event(egui::Event::Text("bob".into()));
    h.run();
    assert_eq!(h.get_by_label("Your name").value().as_deref(), Some("bob"));
    assert!(!interrupts_input(&h));
    press(&mut h, Key::Enter);
    assert_eq!(session(&h).annotator(), "bob");
    assert_eq!(h.state().settings().annotator.as_deref(), Some("bob"));
}

/// What typing `speaker` into the finder takes: the shortest start of its name that puts it
/// first (a new name in full, then down to "add as a new speaker").
fn typed_speaker(
    cb: &stance::core::model::codebook::Codebook,
    speaker: &stance::core::model::annotation::SpeakerRef,
) -> (String, usize) {
    use stance::core::model::annotation::SpeakerRef;
    match speaker {
        SpeakerRef::Registry(id) => {
            let name = cb.speaker(id).unwrap().name.clone();
            let typed = (1..=name.chars().count())
                .map(|n| name.chars().take(n).collect::<String>())
                .find(|p| {
                    stance::core::model::speakers::find(cb, p)
                        .first()
                        .is_some_and(|m| m.speaker.id == *id)
                })
                .unwrap();
            (typed, 0)
        }
        SpeakerRef::New(name) => (
            name.clone(),
            stance::core::model::speakers::find(cb, name).len(),
        ),
    }
}

/// Keys per claim, summarised: (median, mean, max).
fn summary(keys: &[usize]) -> (usize, f64, usize) {
    let mut v = keys.to_vec();
    v.sort_unstable();
    let mean = v.iter().sum::<usize>() as f64 / v.len() as f64;
    (v[v.len() / 2], mean, *v.last().unwrap())
}

/// One claim coded by keys.
struct Coded {
    keys: usize,
    /// Of which for the speaker.
    speaker_keys: usize,
    /// What typing the speaker's name in the finder would have taken (`p`, letters, Enter):
    /// the only way before the finder offered speakers.
    typed_keys: usize,
    how: &'static str,
}

/// How a trained coder codes one claim of a reference file by keys, counting every key from
/// making the claim to its last field; moving the cursor to it is reading, not coding, and
/// is not counted.
fn code_claim_by_keys(
    h: &mut Harness<'_, StanceApp>,
    want: &stance::core::model::annotation::Claim,
) -> Coded {
    use stance::ui::shortcuts::key_for_char;
    let keys = std::cell::Cell::new(0);
    let key = |h: &mut Harness<'_, StanceApp>, k: Key, m: Modifiers| {
        press_mod(h, m, k);
        keys.set(keys.get() + 1);
    };
    while session(h).cursor() < want.anchor.first {
        press(h, Key::ArrowDown);
    }
    while session(h).cursor() > want.anchor.first {
        press(h, Key::ArrowUp);
    }
    key(h, Key::Enter, Modifiers::NONE);
    for _ in want.anchor.first..want.anchor.last {
        key(h, Key::ArrowDown, Modifiers::SHIFT);
    }
    let cb = session(h).codebook().clone();
    // The active target's stance first, then each other target by its key and the stance.
    let active = cb.targets[session(h).active_target()].id.clone();
    let mut targets: Vec<&String> = want.stances.keys().collect();
    targets.sort_by_key(|t| **t != active);
    for t in targets {
        if *t != cb.targets[session(h).active_target()].id {
            let tk = cb.target(t).unwrap().key;
            key(h, key_for_char(tk).unwrap(), Modifiers::NONE);
        }
        let sk = cb.stance(&want.stances[t]).unwrap().key;
        key(h, key_for_char(sk).unwrap(), Modifiers::NONE);
    }
    if let Some(source) = &want.source {
        let k = cb.source_type(source).unwrap().key;
        key(h, key_for_char(k).unwrap(), Modifiers::NONE);
    }
    let before_speaker = keys.get();
    let have = session(h).selected_claim().unwrap().speaker.clone();
    let how = if let Some(wanted) = want.speaker.clone().filter(|w| have.as_ref() != Some(w)) {
        let offered = session(h).suggested_speakers();
        match offered.iter().position(|s| *s == wanted) {
            Some(0) => {
                key(h, Key::O, Modifiers::NONE);
                "the first suggested"
            }
            Some(n) => {
                key(h, Key::P, Modifiers::NONE);
                for _ in 0..n {
                    key(h, Key::ArrowDown, Modifiers::NONE);
                }
                key(h, Key::Enter, Modifiers::NONE);
                "further down the suggested"
            }
            None => {
                key(h, Key::P, Modifiers::NONE);
                let (typed, downs) = typed_speaker(&cb, &wanted);
                h.get_by_label("Find speaker").type_text(&typed);
                h.run();
                keys.set(keys.get() + typed.chars().count());
                for _ in 0..downs {
                    key(h, Key::ArrowDown, Modifiers::NONE);
                }
                key(h, Key::Enter, Modifiers::NONE);
                "typed"
            }
        }
    } else {
        "given with the source"
    };
    let got = session(h).selected_claim().unwrap().clone();
    assert_eq!(
        (
            &got.anchor.first,
            &got.anchor.last,
            &got.speaker,
            &got.stances,
            &got.source
        ),
        (
            &want.anchor.first,
            &want.anchor.last,
            &want.speaker,
            &want.stances,
            &want.source
        ),
        "claim on sentences {}–{} coded differently",
        want.anchor.first + 1,
        want.anchor.last + 1
    );
    let typed_keys = want.speaker.as_ref().map_or(0, |sp| {
        let (typed, downs) = typed_speaker(&cb, sp);
        typed.chars().count() + downs + 2
    });
    Coded {
        keys: keys.get(),
        speaker_keys: keys.get() - before_speaker,
        typed_keys,
        how,
    }
}

#[test]
fn issue13_13_a_coded_claim_takes_at_most_six_keys() {
    let dir = seed_project();
    let mut h = app(dir.path());
    let (mut all, mut typed_always) = (Vec::new(), Vec::new());
    // The pilot coder amira's claims on two articles, recoded by keys as a new coder.
    for article in [ARTICLE_004, "001_f199504f34c41cb7"] {
        open_article(&mut h, article);
        let reference = stance::core::storage::store::load_annotation(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("annotations")
                .join(article)
                .join("amira.ron"),
            session(&h).codebook(),
        )
        .unwrap();
        for want in &reference.claims {
            let c = code_claim_by_keys(&mut h, want);
            let extra_sentences = (want.anchor.last - want.anchor.first) as usize;
            println!(
                "{article} s{}–s{}: {} keys, {} for the speaker ({}); typing the name: {}",
                want.anchor.first + 1,
                want.anchor.last + 1,
                c.keys,
                c.speaker_keys,
                c.how,
                c.keys - c.speaker_keys + c.typed_keys
            );
            if c.how != "typed" {
                // Claim, one or two stances, source, speaker: six keys, and one Shift+Down
                // per further sentence of a claim over several.
                assert!(
                    c.keys <= 6 + extra_sentences,
                    "s{}: {} keys for a claim whose speaker was offered",
                    want.anchor.first + 1,
                    c.keys
                );
            }
            all.push(c.keys);
            typed_always.push(c.keys - c.speaker_keys + c.typed_keys);
        }
    }
    let (median, mean, max) = summary(&all);
    let (b_median, b_mean, b_max) = summary(&typed_always);
    println!(
        "keys per claim over {} claims: median {median}, mean {mean:.1}, max {max} \
         (typing every speaker's name: median {b_median}, mean {b_mean:.1}, max {b_max})",
        all.len()
    );
    assert!(median <= 6, "median {median} keys per claim");
    assert!(mean < b_mean);
}

/// Puts the cursor on the sentence holding `phrase` by clicking it.
fn click_sentence(h: &mut Harness<'_, StanceApp>, phrase: &str) {
    let i = helpers::sentence_with(session(h).article(), phrase);
    let text = session(h).article().sentence_text(i).to_owned();
    h.get_by(|n| {
        n.label()
            .is_some_and(|l| l.starts_with("Sentence ") && l.ends_with(text.as_str()))
    })
    .click();
    h.run();
    assert_eq!(session(h).cursor(), i);
}

#[test]
fn issue13_13_speaker_finder_opens_on_the_suggested_speakers() {
    use stance::core::model::annotation::SpeakerRef;
    let dir = seed_project();
    let mut h = app(dir.path());
    open_article(&mut h, "001_f199504f34c41cb7");
    click_sentence(&mut h, "We don't support calls for a ceasefire");
    press(&mut h, Key::Enter);
    press(&mut h, Key::P);
    h.get_by_label("Suggested for this claim");
    // Enter on the empty query takes the first suggested name, not the alphabetically first.
    press(&mut h, Key::Enter);
    let kirby = SpeakerRef::Registry("john-kirby".into());
    assert_eq!(
        session(&h).selected_claim().unwrap().speaker,
        Some(kirby.clone())
    );
    // Kirby is both found in the text and the speaker set last; the author comes next.
    press(&mut h, Key::P);
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::Enter);
    assert_eq!(
        session(&h).selected_claim().unwrap().speaker,
        Some(SpeakerRef::Registry("author".into()))
    );
    assert!(
        h.query_by_label("Find speaker").is_none(),
        "the finder closed"
    );
}

/// Every text the accessibility tree shows: labels' values and widgets' labels.
fn all_texts(h: &Harness<'_, StanceApp>) -> Vec<(String, Rect)> {
    h.query_all_by(|n| n.value().is_some() || n.label().is_some())
        .map(|n| {
            let a = n.accesskit_node();
            let text = a.value().or_else(|| a.label()).unwrap_or_default();
            (text, n.rect())
        })
        .collect()
}

#[test]
fn issue13_17_help_overlay_reads_like_the_keyboard() {
    let dir = seed_project();
    let mut h = app(dir.path());
    press(&mut h, Key::F1);
    let texts = all_texts(&h);
    for name in [
        "CloseBracket",
        "OpenBracket",
        "Questionmark",
        "Exclamationmark",
        "ArrowDown",
        "ArrowUp",
        "PageDown",
        "Slash",
    ] {
        assert!(
            texts.iter().all(|(t, _)| !t.contains(name)),
            "the overlay shows {name}"
        );
    }
    let text = |t: &str| {
        texts
            .iter()
            .find(|(x, _)| x == t)
            .unwrap_or_else(|| panic!("{t:?} is not shown"))
            .1
    };
    // Keys as pressed: glyphs, and lone letters in lower case (P would read as Shift+p).
    for keys in [
        "]",
        "[",
        "F1 or ?",
        "↓ or j",
        "Shift+↓ or Shift+J",
        "p",
        "o",
        "!",
    ] {
        text(keys);
    }
    assert!(texts.iter().all(|(t, _)| t != "P"));
    // What is pressed on every claim shows without scrolling.
    let close = h.get_by_label("Close").rect();
    let cb = session(&h).codebook().clone();
    let coding = cb
        .stances
        .iter()
        .map(|l| format!("Stance: {}", l.name))
        .chain(
            cb.source_types
                .iter()
                .map(|l| format!("Source: {}", l.name)),
        )
        .chain(cb.targets.iter().map(|t| format!("Target: {}", t.name)))
        .chain(["Suggested speaker", "Choose speaker…"].map(str::to_owned));
    for label in coding {
        let r = text(&label);
        assert!(
            r.bottom() <= close.top(),
            "{label} needs scrolling ({r:?}, the overlay ends at {})",
            close.top()
        );
    }
    // Grouped by task, the Gold tab's keys after every coding key, under their own heading.
    let first_code = text("Code the selected claim").top();
    let claims = text("Make claims").top();
    let gold_heading = text("Review mode, Gold tab only").top();
    assert!(first_code < claims && claims < gold_heading);
    let last_coding = texts
        .iter()
        .filter(|(t, _)| t.as_str() == "Close / deselect")
        .map(|(_, r)| r.top())
        .fold(0.0_f32, f32::max);
    assert!(last_coding < gold_heading);
    for (t, r) in &texts {
        if t.starts_with("Gold: ") {
            assert!(r.top() > gold_heading, "{t} is among the coding keys");
        }
    }
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("Code the selected claim").is_none());
}

const KIRBY: &str = "We don't support calls for a ceasefire";

#[test]
fn issue13_18_span_selection_by_keys() {
    let dir = seed_project();
    let mut h = app(dir.path());
    open_article(&mut h, "001_f199504f34c41cb7");
    click_sentence(&mut h, KIRBY);
    let sentence = session(&h)
        .article()
        .sentence_text(session(&h).cursor())
        .to_owned();
    assert!(sentence.starts_with("John Kirby, spokesperson for the US"));
    press(&mut h, Key::S);
    for _ in 0..3 {
        press_mod(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    }
    press(&mut h, Key::Enter);
    let claim = session(&h).selected_claim().unwrap().clone();
    assert_eq!(claim.anchor.quote, "John Kirby, spokesperson");
    assert!(
        h.query_by_label("Sentence text").is_none(),
        "span mode closed"
    );
    // The span field let go of the keyboard: one Escape clears the selection.
    press(&mut h, Key::Escape);
    assert!(session(&h).selected_claim().is_none());
    // The caret moves by words, the selection grows and shrinks by words.
    press(&mut h, Key::S);
    press(&mut h, Key::ArrowRight); // after "John"
    press(&mut h, Key::ArrowRight); // after "Kirby,"
    for _ in 0..4 {
        press_mod(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    }
    press_mod(&mut h, Modifiers::SHIFT, Key::ArrowLeft);
    press(&mut h, Key::Enter);
    let claim = session(&h).selected_claim().unwrap().clone();
    assert_eq!(claim.anchor.quote, "spokesperson for the");
    assert_eq!(session(&h).document().file.claims.len(), 2);
}

#[test]
fn issue13_18_one_escape_closes_the_note_the_next_deselects() {
    let dir = seed_project();
    let mut h = app(dir.path());
    open_article(&mut h, "001_f199504f34c41cb7");
    click_sentence(&mut h, KIRBY);
    press(&mut h, Key::Enter);
    press(&mut h, Key::E);
    h.get_by_label("Note").type_text("hedged");
    h.run();
    assert!(h.get_by_label("Note").is_focused());
    press(&mut h, Key::Escape);
    assert!(
        !h.get_by_label("Note").is_focused(),
        "the note editor closed"
    );
    let claim = session(&h)
        .selected_claim()
        .expect("still selected")
        .clone();
    assert_eq!(claim.note, "hedged");
    press(&mut h, Key::Escape);
    assert!(
        session(&h).selected_claim().is_none(),
        "the second Escape deselects"
    );
}

#[test]
fn issue13_18_make_a_claim_first_clears_once_a_claim_is_made() {
    let dir = seed_project();
    let mut h = app(dir.path());
    open_article(&mut h, "001_f199504f34c41cb7");
    click_sentence(&mut h, KIRBY);
    press(&mut h, Key::A);
    h.get_by_label_contains("make or select a claim first");
    press(&mut h, Key::Enter);
    press(&mut h, Key::A);
    assert!(
        h.query_by_label_contains("make or select a claim first")
            .is_none(),
        "the stale message stays after the claim was made"
    );
    assert_eq!(
        session(&h).selected_claim().unwrap().stances["ceasefire"],
        "against"
    );
}

/// The seed articles with the pilot annotations (two coders on 001, 003 and 004).
fn pilot_project() -> tempfile::TempDir {
    let dir = seed_project();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("annotations"),
        &dir.path().join("annotations"),
    );
    dir
}

/// The review view's text of the claim group starting with `start` (its quote).
fn quote_node(h: &Harness<'_, StanceApp>, start: &str) -> (String, Rect) {
    all_texts(h)
        .into_iter()
        .find(|(t, _)| t.starts_with(start))
        .unwrap_or_else(|| panic!("no quote starting {start:?}"))
}

#[test]
fn issue13_15_review_shows_the_whole_quote_folded_then_unfolded() {
    let dir = pilot_project();
    // The narrowest window, where quotes take the most lines.
    let mut h = app_sized(dir.path(), Some("ed"), [800.0, 900.0]);
    open_article(&mut h, "001_f199504f34c41cb7");
    h.get_by_label("Review").click();
    h.run();
    // Both coders made one claim of three sentences (the 18th to the 20th): all of it shows.
    let (s18, s20) = {
        let a = session(&h).article();
        (
            a.sentence_text(17).to_owned(),
            a.sentence_text(19).to_owned(),
        )
    };
    let start: String = s18.chars().take(40).collect();
    let (quote, _) = quote_node(&h, &start);
    assert!(
        quote.ends_with(s20.trim_end()),
        "the quote runs to the end of the 20th sentence: {quote}"
    );
    // A quote longer than three lines is folded; "Show all" unfolds it, a click on it folds.
    let line_height = h.get_by_label_contains("Show all (").rect().height();
    h.get_by_label_contains("Show all (").scroll_to_me();
    h.run();
    let link = h.get_by_label_contains("Show all (").rect();
    // The quote above a link: the widest label ending just above it (not its line runs).
    let above = |h: &Harness<'_, StanceApp>, y: f32| {
        h.query_all_by_role(egui::accesskit::Role::Label)
            .map(|n| (n.value().unwrap_or_default(), n.rect()))
            .filter(|(_, r)| r.bottom() <= y + 0.5 && r.width() > 300.0)
            .max_by(|a, b| a.1.bottom().total_cmp(&b.1.bottom()))
            .unwrap()
    };
    let (long, folded) = above(&h, link.top());
    assert!(
        folded.height() <= 3.0 * line_height + 1.0,
        "folded to three lines: {folded:?}"
    );
    h.get_by_label_contains("Show all (").click();
    h.run();
    let fold = h.get_by_label("Fold").rect();
    let (same, open) = above(&h, fold.top());
    assert_eq!(same, long);
    assert!(
        open.height() > 3.0 * line_height + 1.0,
        "unfolded: {open:?}"
    );
    h.get_by(|n| n.value().is_some_and(|v| v == long.as_str()))
        .click();
    h.run();
    assert!(h.query_by_label("Fold").is_none());
    let link = h.get_by_label_contains("Show all (").rect();
    let (_, again) = above(&h, link.top());
    assert!((again.height() - folded.height()).abs() < 1.0);
}

#[test]
fn issue13_18_a_single_coder_article_is_not_labelled_agree() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/review"),
        dir.path(),
    );
    std::fs::remove_file(dir.path().join("annotations/talks/ben.ron")).unwrap();
    let mut h = app_sized(dir.path(), Some("ed"), [1400.0, 900.0]);
    h.get_by_label("Review").click();
    h.run();
    let claims = h.query_all_by_label("only one coder").count();
    assert!(claims >= 4, "each of ana's claims says so: {claims}");
    assert!(h.query_by_label("agree").is_none());
    h.get_by_label_contains("only one coder: nothing to compare");
}

#[test]
fn issue13_6_restore_prompt_says_the_file_changed_and_merges() {
    use stance::session::CodeCommand as Command;
    let dir = seed_project();
    // A session codes Kirby's claim, saves, changes its stance and dies before saving.
    let (path, id) = {
        let mut s = Session::open(dir.path(), "alice").unwrap();
        let i = s
            .project()
            .articles
            .iter()
            .position(|a| a.id.starts_with("001"))
            .unwrap();
        s.handle(Command::OpenArticle(i));
        let k = helpers::sentence_with(s.article(), KIRBY);
        s.handle(Command::SetCursor(k));
        s.handle(Command::MakeClaim);
        s.handle(Command::SetSource(Some("official".into())));
        s.handle(Command::Save);
        s.handle(Command::ToggleStance {
            target: "ceasefire".into(),
            stance: "against".into(),
        });
        let id = s.selected_claim().unwrap().id.clone();
        (s.document().path.clone(), id)
    };
    // Meanwhile a git pull brings a teammate's stance on the same claim.
    let codebook = stance::core::model::codebook::Codebook::default_codebook();
    let mut pulled = stance::core::storage::store::load_annotation(&path, &codebook).unwrap();
    pulled.claims[0]
        .stances
        .insert("ceasefire".into(), "favor".into());
    stance::core::storage::store::save_annotation(&path, &pulled).unwrap();

    let mut h = app(dir.path());
    open_article(&mut h, "001_f199504f34c41cb7");
    h.get_by_label("Unsaved edits from a previous session");
    h.get_by_label_contains("The file changed on disk since these edits were made");
    h.get_by_label(&format!(
        "claim {id}: stance ceasefire: ours=against theirs=favor"
    ));
    h.get_by_label("Restore unsaved edits").click();
    h.run();
    let claim = session(&h).document().file.claim(&id).unwrap().clone();
    assert_eq!(claim.stances["ceasefire"], "against");
    assert_eq!(claim.source.as_deref(), Some("official"));
    assert!(claim.unsure);
    assert!(
        claim
            .note
            .contains("<<merge conflict>> stance ceasefire: ours=against theirs=favor")
    );
    h.get_by_label_contains("Merge conflicts (1)");
    h.get_by_label_contains("1 conflict (kept yours, marked in the note)");
}

/// Opening a project is a job (issue 14): while it runs the window keeps drawing frames,
/// shows what it does with a Cancel button, and the project shows once the job is done. A
/// gated runner holds the job until the test lets it go.
#[test]
fn issue14_the_window_keeps_running_frames_while_a_job_runs() {
    use stance::session::jobs::{Gate, Runner};
    use std::sync::Arc;
    let dir = seed_project();
    let gate = Gate::new();
    let settings = Settings {
        annotator: Some("alice".to_owned()),
        ..Settings::default()
    };
    let root = dir.path().to_owned();
    let runner = Runner::Gated(Arc::clone(&gate));
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| StanceApp::with_runner(settings, root, runner));
    // Frames go on while the project is being opened (a spinner and the job's name show).
    for _ in 0..20 {
        h.step();
    }
    assert!(h.state().session().is_none(), "opened before the job ran");
    // On the page and in the status bar.
    assert!(h.get_all_by_label_contains("Opening").count() >= 1);
    assert!(h.get_all_by_label("Cancel").count() >= 1);
    let before = h.ctx.cumulative_pass_nr();
    h.step();
    assert!(h.ctx.cumulative_pass_nr() > before);
    // Let the job go: its result arrives through the command path in a later frame.
    gate.open();
    let start = std::time::Instant::now();
    while h.state().session().is_none() {
        assert!(start.elapsed().as_secs() < 30, "the project never opened");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    assert!(h.state().workspace().jobs().is_empty());
    assert!(!session(&h).project().articles.is_empty());
}

/// Cancel on a job under way stops it: the project that was being opened does not open, and
/// the window is left with no job.
#[test]
fn issue14_cancel_stops_the_job_under_way() {
    use stance::session::jobs::{Gate, Runner};
    use std::sync::Arc;
    let dir = seed_project();
    let gate = Gate::new();
    let settings = Settings {
        annotator: Some("alice".to_owned()),
        ..Settings::default()
    };
    let root = dir.path().to_owned();
    let runner = Runner::Gated(Arc::clone(&gate));
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| StanceApp::with_runner(settings, root, runner));
    for _ in 0..3 {
        h.step();
    }
    h.get_all_by_label("Cancel").next().unwrap().click();
    for _ in 0..3 {
        h.step();
    }
    assert!(h.state().workspace().jobs().is_empty());
    gate.open();
    // The thread finishes; its output is dropped.
    std::thread::sleep(std::time::Duration::from_millis(200));
    for _ in 0..5 {
        h.step();
    }
    assert!(h.state().session().is_none());
    assert!(h.state().workspace().jobs().is_empty());
}

/// Issue 14 (worst frame): the article list lays out only the rows in view, and still follows
/// the open article when the coder moves through a long corpus with Ctrl+PageDown.
#[test]
fn issue14_article_list_shows_only_rows_in_view_and_follows_the_open_article() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for i in 1..=150 {
        std::fs::write(
            seeds.join(format!("{i:03}_story.txt")),
            format!("Story number {i} opens here.\n\nOfficials said talks would go on.\n"),
        )
        .unwrap();
    }
    let mut h = app(dir.path());
    let row = |n: usize| format!("Story number {n} opens here., ");
    assert!(h.query_by_label_contains(&row(1)).is_some());
    assert!(
        h.query_by_label_contains(&row(150)).is_none(),
        "a row far out of view is not laid out"
    );
    open_article(&mut h, "120_story");
    assert!(
        h.query_by_label_contains(&row(120)).is_some(),
        "the open article's row scrolled into view"
    );
    assert!(h.query_by_label_contains(&row(1)).is_none());
}

/// Issue 14 (worst frame): the first claim of a session no longer widens the claims panel
/// (the "Ask the editor" row was wider than the panel's default), which re-wrapped the whole
/// article beside it — on a long article a 30 ms frame, and a visible jump on any.
#[test]
fn issue14_selecting_a_claim_keeps_the_article_column_as_it_was() {
    let dir = seed_project();
    let mut h = app(dir.path());
    let claims_left = |h: &Harness<'_, StanceApp>| {
        h.get_by_role_and_label(egui::accesskit::Role::Label, "Claims")
            .rect()
            .left()
    };
    let before = (claims_left(&h), sentence_rect(&h, 7).unwrap());
    press(&mut h, Key::Enter);
    assert!(session(&h).selected_claim().is_some(), "a claim is made");
    assert!(
        h.query_by_label("Send question").is_some(),
        "the editor's feedback shows"
    );
    let after = (claims_left(&h), sentence_rect(&h, 7).unwrap());
    assert_eq!(
        before, after,
        "the claims panel and the article's rows stay put"
    );
}

/// Issue 14 (worst frame): a long article is laid out a slice per frame (what is in view
/// first), and once it is, its rows are placed exactly: none overlaps the next, and finding
/// its last sentence from the top shows it inside the column.
#[test]
fn issue14_a_long_article_is_laid_out_in_slices_and_placed_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    let mut text = String::from("A long article\n\n");
    for i in 0..2_400 {
        // Sentences of different lengths, so wrapped rows differ from their estimates.
        let more = " and the officials said so again".repeat(i % 7);
        write!(text, "Sentence number {i} says talks may go on{more}. ").unwrap();
        if i % 3 == 2 {
            text.push_str("\n\n");
        }
    }
    text.push_str("\n\nThis is where the long article ends.\n");
    assert!(text.len() > 150_000, "more than a frame's slice");
    std::fs::write(seeds.join("001_long.txt"), &text).unwrap();
    let mut h = app(dir.path());
    let rows = drawn_rows(&h);
    assert!(!rows.is_empty());
    for pair in rows.windows(2) {
        assert!(
            pair[0].1.bottom() <= pair[1].1.top() + 0.5,
            "rows overlap: {pair:?}"
        );
    }
    press(&mut h, Key::Slash);
    h.get_by_label("Find in article")
        .type_text("where the long article ends");
    h.run();
    press(&mut h, Key::Escape);
    press(&mut h, Key::F3);
    let last = session(&h).article().sentences.len() as u32 - 1;
    assert_eq!(
        session(&h).cursor(),
        last,
        "find moved the cursor to the end"
    );
    assert_cursor_visible(&h, "after finding the last sentence");
    let rows = drawn_rows(&h);
    for pair in rows.windows(2) {
        assert!(
            pair[0].1.bottom() <= pair[1].1.top() + 0.5,
            "rows overlap at the end: {pair:?}"
        );
    }
}
