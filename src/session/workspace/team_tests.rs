//! Headless tests of the team parts of the workspace: a sync holds the coder's saves, the
//! article's source is read once per article open, and how a sync's outcome is put.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::core::storage::store;
use crate::session::command::{Command, NavigateCommand};
use crate::session::fixture::seed_project;
use crate::session::jobs::{Gate, Runner};
use crate::session::workspace::WorkspaceOptions;

fn workspace(root: &Path, runner: Runner, gate: Option<&Gate>) -> Workspace {
    let mut ws = Workspace::new(WorkspaceOptions {
        annotator: Some("amira".into()),
        hide_suggestions: Vec::new(),
        runner,
    });
    ws.handle(ProjectCommand::Open(root.to_owned()).into());
    if let Some(g) = gate {
        g.open();
    }
    settle(&mut ws);
    if let Some(g) = gate {
        g.close();
    }
    assert!(ws.coding().is_some(), "{:?}", ws.error());
    ws
}

fn settle(ws: &mut Workspace) {
    let start = Instant::now();
    while ws.busy() {
        for c in ws.poll_jobs() {
            ws.handle(c);
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "jobs never ended"
        );
        std::thread::yield_now();
    }
}

#[test]
fn start_sync_holds_saves_and_file_commands_until_git_is_done() {
    let dir = seed_project();
    let gate = Gate::new();
    let mut ws = workspace(dir.path(), Runner::Gated(Arc::clone(&gate)), Some(&gate));
    ws.handle(ProjectCommand::Sync.into());
    assert!(ws.syncing());
    // The coder goes on coding while git works…
    let body = ws
        .coding()
        .unwrap()
        .article()
        .sentences
        .iter()
        .position(|s| s.skip.is_none() && s.range.len() > 80)
        .unwrap();
    ws.handle(CodeCommand::SetCursor(u32::try_from(body).unwrap()).into());
    ws.handle(CodeCommand::MakeClaim.into());
    assert!(ws.coding().unwrap().is_dirty());
    // …but nothing writes the file meanwhile: autosave waits, and so does an explicit save.
    ws.tick(Instant::now() + Duration::from_hours(1));
    assert!(!ws.coding().unwrap().is_saving());
    ws.handle(CodeCommand::Save.into());
    assert_eq!(ws.waiting(), 1);
    assert!(!ws.coding().unwrap().is_saving());
    gate.open();
    settle(&mut ws);
    // The temp folder is no git repository: the sync says so; then the save went through.
    let err = ws.last_sync().unwrap().unwrap_err();
    assert!(err.contains("is not in a git repository"), "{err}");
    assert!(!ws.coding().unwrap().is_dirty());
    assert_eq!(ws.waiting(), 0);
}

#[test]
fn refresh_team_reads_the_source_once_per_article_open() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<html><head><title>Doha talks</title></head><body><p>The minister said talks were near. Others disagreed about the timing of it all.</p></body></html>",
    )
    .unwrap();
    let root = dir.path().join("p");
    std::fs::create_dir_all(root.join("seeds")).unwrap();
    for id in ["000_a", "001_b"] {
        std::fs::write(
            root.join("seeds").join(format!("{id}.txt")),
            "Title\n\nA sentence.\n",
        )
        .unwrap();
    }
    let imported = articles::import_articles(&root, &[page]).unwrap();
    let articles::ArticleImport::Added { id, .. } = &imported[0] else {
        panic!("{imported:?}");
    };
    let mut ws = workspace(&root, Runner::Deferred, None);
    assert!(ws.article_source().is_none(), "000_a has no sidecar");
    ws.handle(Command::Navigate(NavigateCommand::OpenArticle(id.clone())));
    settle(&mut ws);
    assert_eq!(
        ws.article_source().unwrap().unwrap().title.as_deref(),
        Some("Doha talks")
    );
    // Not read again while the article stays open (not per frame, not per command).
    std::fs::remove_file(articles::source_path(&root, id)).unwrap();
    ws.handle(CodeCommand::MoveCursor(1).into());
    assert!(ws.article_source().is_some());
    // Opening it again reads it again.
    ws.handle(Command::Navigate(NavigateCommand::OpenArticle(
        "000_a".into(),
    )));
    ws.handle(Command::Navigate(NavigateCommand::OpenArticle(id.clone())));
    settle(&mut ws);
    assert!(ws.article_source().is_none());
}

fn report(outcome: SyncState) -> SyncReport {
    SyncReport {
        setup: vec![],
        committed: vec!["annotations/a/amira.ron".into()],
        left_alone: vec![],
        received: vec!["x".into(), "y".into()],
        conflicts: vec![],
        remote: Some("origin".into()),
        outcome,
    }
}

#[test]
fn sync_summary_says_how_far_a_sync_got() {
    assert_eq!(
        sync_summary(&report(SyncState::Synced)),
        "Sync: committed 1 file, received 2 files from others; synced with origin"
    );
    assert_eq!(
        sync_summary(&report(SyncState::Offline("no route".into()))),
        "Sync: committed 1 file, received 2 files from others; offline: kept here, sync again when online"
    );
    let mut r = report(SyncState::NoRemote);
    r.received.clear();
    r.committed.clear();
    assert_eq!(
        sync_summary(&r),
        "Sync: nothing of yours to commit; no remote: kept in this folder only"
    );
    let details = sync_details(&report(SyncState::PushFailed("rejected".into())));
    assert_eq!(details[0], "committed annotations/a/amira.ron");
    assert!(details.last().unwrap().contains("could not push"));
}

#[test]
fn finish_running_sync_lets_flush_wait_for_git_before_the_last_save() {
    let dir = seed_project();
    let gate = Gate::new();
    let mut ws = workspace(dir.path(), Runner::Gated(Arc::clone(&gate)), Some(&gate));
    ws.handle(ProjectCommand::Sync.into());
    let body = ws
        .coding()
        .unwrap()
        .article()
        .sentences
        .iter()
        .position(|s| s.skip.is_none() && s.range.len() > 80)
        .unwrap();
    ws.handle(CodeCommand::SetCursor(u32::try_from(body).unwrap()).into());
    ws.handle(CodeCommand::MakeClaim.into());
    // The window closes while git works: flush waits for the sync, takes in what it did,
    // then saves the edit.
    gate.open();
    assert!(ws.flush());
    assert!(!ws.syncing());
    assert!(ws.last_sync().is_some());
    let s = ws.coding().unwrap();
    assert!(!s.is_dirty());
    let on_disk = store::load_annotation(&s.document().path, s.codebook()).unwrap();
    assert_eq!(on_disk.claims, s.document().file.claims);
}
