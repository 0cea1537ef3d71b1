//! Issue 13.4: the window without a project opens on a welcome page that makes the sample
//! project (the seed articles carried in the binary) where the user says, never in the folder
//! Stance was built in. Driven as a person would: by the buttons' labels.
#![allow(clippy::unwrap_used)] // helpers of tests: a panic is a failed test

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use stance::ui::StanceApp;
use stance::ui::settings::Settings;
use stance::ui::welcome::Welcome;

fn welcome(data_dir: &Path, annotator: Option<&str>) -> Harness<'static, StanceApp> {
    let settings = Settings {
        annotator: annotator.map(str::to_owned),
        ..Settings::default()
    };
    let page = Welcome {
        data_dir: Some(data_dir.to_owned()),
        error: None,
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| StanceApp::welcome(settings, page));
    h.run();
    h
}

#[test]
fn issue13_4_welcome_page_creates_and_opens_the_sample_project() {
    let data = tempfile::tempdir().unwrap();
    let mut h = welcome(data.path(), Some("zoe"));
    h.get_by_label("Welcome to Stance");
    assert!(h.state().session().is_none());
    let sample = data.path().join("stance-sample");
    h.get_by_label(&format!(
        "Create the sample project in {}",
        sample.display()
    ))
    .click();
    h.run();
    let s = h.state().session().expect("the sample project is open");
    assert_eq!(s.project().root, sample);
    assert_eq!(s.project().articles.len(), 5);
    assert_eq!(s.annotator(), "zoe");
    assert!(h.query_by_label("Welcome to Stance").is_none());
    // Everything was written into the chosen folder, nothing into the source tree.
    assert!(sample.join("seeds/001_f199504f34c41cb7.txt").is_file());
    assert!(
        sample
            .join("annotations/001_f199504f34c41cb7/amira.ron")
            .is_file()
    );
    assert!(sample.join("annotations/.gitignore").is_file());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(!repo.join("stance-sample").exists());
}

#[test]
fn issue13_4_welcome_page_asks_who_codes_then_opens_the_sample() {
    let data = tempfile::tempdir().unwrap();
    let mut h = welcome(data.path(), None);
    let sample = data.path().join("stance-sample");
    h.get_by_label(&format!(
        "Create the sample project in {}",
        sample.display()
    ))
    .click();
    h.run();
    // No name yet: the window asks, and the sample is open once it is given.
    h.get_by_label("Who is coding?");
    h.get_by_label("Your name").type_text("zoe");
    h.run();
    h.get_by_label("Start coding").click();
    h.run();
    let s = h.state().session().expect("open after the name is given");
    assert_eq!(s.project().root, sample);
}

#[test]
fn issue13_4_welcome_page_says_why_a_folder_cannot_be_used() {
    let data = tempfile::tempdir().unwrap();
    // The data folder is a file: the sample cannot be made there, and the page says so.
    let blocked = data.path().join("blocked");
    std::fs::write(&blocked, "a file, not a folder").unwrap();
    let mut h = welcome(&blocked, Some("zoe"));
    h.get_by_label(&format!(
        "Create the sample project in {}",
        blocked.join("stance-sample").display()
    ))
    .click();
    h.run();
    assert!(h.state().session().is_none());
    h.get_by_label("Welcome to Stance");
    assert!(
        h.query_all_by_label_contains("Could not create the sample project")
            .next()
            .is_some()
    );
}
