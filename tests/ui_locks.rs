//! Issue 13.5: a lock left by Stance on another computer made the file read-only here with no
//! way out. The banner names that computer, and "Take over" is offered behind a warning.
//! Driven as a coder would: by labels, clicks and keys, headless.
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;
use helpers::{SEED_001, copy_dir};

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stance::core::storage::lock::{self, LockInfo};
use stance::core::storage::store;
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

const TITLE_001: &str = "Xi’s visit to Russia conveys great significance";
const BANNER: &str = "Read-only: Stance on another computer, bens-laptop, is writing this file";

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

#[test]
fn issue13_5_a_lock_from_another_host_is_shown_and_taken_over_after_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
        &dir.path().join("seeds"),
    );
    let path = dir
        .path()
        .join("annotations")
        .join(SEED_001)
        .join("alice.ron");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let remote = LockInfo {
        pid: 4242,
        host: "bens-laptop".into(),
        since: "2026-11-30T09:00:00Z".parse().unwrap(),
        nonce: "remote".into(),
    };
    std::fs::write(
        lock::lock_path(&path),
        serde_json::to_string(&remote).unwrap(),
    )
    .unwrap();

    let mut h = app(dir.path());
    h.get_by_label_contains(TITLE_001).click();
    h.run();
    h.get_by_label_contains(BANNER);
    assert!(h.state().session().unwrap().document().read_only.is_some());

    // The warning first; Cancel leaves everything as it was.
    h.get_by_label("Take over from bens-laptop…").click();
    h.run();
    h.get_by_label("Take over this file from bens-laptop?");
    h.get_by_label_contains("Take over only if nobody is coding this file on bens-laptop now");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(
        h.query_by_label("Take over this file from bens-laptop?")
            .is_none()
    );
    assert_eq!(lock::holder(&path), Some(remote.clone()));
    h.get_by_label_contains(BANNER);

    // Confirmed: the lock is this window's and the file can be coded and saved.
    h.get_by_label("Take over from bens-laptop…").click();
    h.run();
    h.get_by_label("Take over anyway").click();
    h.run();
    assert!(h.query_by_label_contains(BANNER).is_none());
    let s = h.state().session().unwrap();
    assert!(s.document().read_only.is_none(), "{:?}", s.notice());
    assert!(s.holds_lock());
    assert!(!lock::holder(&path).unwrap().is_from_another_host());
    h.key_press(Key::Enter);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let saved = store::load_annotation(&path, h.state().session().unwrap().codebook()).unwrap();
    assert_eq!(saved.claims.len(), 1);
}
