//! Headless tests of the workspace, driven as the window drives it: commands in, jobs polled,
//! their results handed back as commands.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::core::storage::store;
use crate::session::fixture::{review_project, seed_project};
use crate::session::jobs::Gate;
use crate::session::{GoldCommand, ReviewCommand};

/// A workspace with the project open. A gated runner's gate is let open while the project
/// opens (itself a job) and closed again after, for the test's own jobs.
fn workspace(root: &Path, annotator: &str, runner: Runner) -> Workspace {
    let gate = match &runner {
        Runner::Gated(gate) => Some(Arc::clone(gate)),
        Runner::Threads | Runner::Deferred => None,
    };
    let mut ws = Workspace::new(WorkspaceOptions {
        annotator: Some(annotator.to_owned()),
        hide_suggestions: Vec::new(),
        runner,
    });
    ws.handle(ProjectCommand::Open(root.to_owned()).into());
    if let Some(gate) = &gate {
        gate.open();
    }
    settle(&mut ws);
    if let Some(gate) = &gate {
        gate.close();
    }
    assert!(ws.coding().is_some(), "{:?}", ws.error());
    ws
}

/// One frame's worth of job results, as the window applies them.
fn frame(ws: &mut Workspace) -> usize {
    let done = ws.poll_jobs();
    let n = done.len();
    for c in done {
        ws.handle(c);
    }
    n
}

/// Frames until no job is under way (threads: waits for them).
fn settle(ws: &mut Workspace) {
    let start = Instant::now();
    while ws.busy() {
        frame(ws);
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "jobs never ended"
        );
        std::thread::yield_now();
    }
}

fn kirby(ws: &Workspace) -> u32 {
    let s = ws.coding().unwrap();
    (0..s.article().sentences.len() as u32)
        .find(|&i| {
            s.article()
                .sentence_text(i)
                .contains("We don't support calls for a ceasefire")
        })
        .unwrap()
}

fn open_001(ws: &mut Workspace) {
    let id = ws
        .coding()
        .unwrap()
        .project()
        .articles
        .iter()
        .find(|a| a.id.starts_with("001"))
        .unwrap()
        .id
        .clone();
    ws.handle(NavigateCommand::OpenArticle(id).into());
    settle(ws);
}

fn make_claim(ws: &mut Workspace, stance: &str) {
    let k = kirby(ws);
    ws.handle(CodeCommand::SetCursor(k).into());
    ws.handle(CodeCommand::MakeClaim.into());
    ws.handle(
        CodeCommand::ToggleStance {
            target: "ceasefire".into(),
            stance: stance.into(),
        }
        .into(),
    );
}

#[test]
fn a_jobs_result_arrives_through_the_command_path_never_in_the_frame_that_started_it() {
    let (dir, _) = review_project();
    let mut ws = workspace(dir.path(), "ed", Runner::Deferred);
    ws.handle(NavigateCommand::Show(Place::Agreement).into());
    // Started, not run: the frame that asked for it only shows that it is under way.
    assert!(ws.agreement_job().is_some());
    assert!(ws.agreement().is_none());
    assert_eq!(ws.place(), Place::Agreement);
    // The next frame: the job runs and its result comes back as a command.
    let done = ws.poll_jobs();
    assert!(matches!(
        done.as_slice(),
        [Command::Job(JobCommand::Done(_, JobOutput::Agreement(_)))]
    ));
    assert!(ws.agreement().is_none(), "nothing applied before handle");
    for c in done {
        ws.handle(c);
    }
    let a = ws.agreement().unwrap();
    assert!(!a.fields.is_empty(), "{:?}", a.problems);
    assert!(ws.agreement_job().is_none());
}

#[test]
fn a_cancelled_job_leaves_nothing_behind() {
    let (dir, _) = review_project();
    let gate = Gate::new();
    let mut ws = workspace(dir.path(), "ed", Runner::Gated(Arc::clone(&gate)));
    ws.handle(NavigateCommand::Show(Place::Agreement).into());
    let job = ws.agreement_job().unwrap();
    assert_eq!(ws.jobs().len(), 1);
    ws.handle(JobCommand::Cancel(job.id).into());
    assert!(ws.agreement_job().is_none());
    assert!(ws.jobs().is_empty());
    // The thread is let go and finishes (it stops at its next step): its output is dropped.
    gate.open();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(frame(&mut ws), 0);
    assert!(ws.agreement().is_none());
}

#[test]
fn opening_a_project_is_a_job_and_commands_wait_for_it() {
    let dir = seed_project();
    let mut ws = Workspace::new(WorkspaceOptions {
        annotator: Some("alice".into()),
        hide_suggestions: Vec::new(),
        runner: Runner::Deferred,
    });
    let root = dir.path().to_owned();
    for c in (WindowRequest {
        root: Some(root),
        annotator: None,
        article: Some("002_d65207c423398da4".into()),
        review: false,
    })
    .commands()
    {
        ws.handle(c);
    }
    assert!(ws.coding().is_none());
    assert!(ws.opening().is_some());
    assert_eq!(ws.waiting(), 1, "the article waits for the project");
    frame(&mut ws);
    let s = ws.coding().unwrap();
    assert_eq!(s.article().id, "002_d65207c423398da4");
    assert_eq!(ws.waiting(), 0);
}

#[test]
fn an_edit_made_while_a_save_is_written_is_kept_and_saved_next() {
    let dir = seed_project();
    let gate = Gate::new();
    let mut ws = workspace(dir.path(), "alice", Runner::Gated(Arc::clone(&gate)));
    open_001(&mut ws);
    make_claim(&mut ws, "against");
    ws.handle(CodeCommand::Save.into());
    assert!(ws.coding().unwrap().is_saving());
    // The coder goes on while the file is written: the edit is not held up.
    ws.handle(CodeCommand::ToggleUnsure.into());
    assert!(ws.coding().unwrap().selected_claim().unwrap().unsure);
    gate.open();
    settle(&mut ws);
    let s = ws.coding().unwrap();
    let path = s.document().path.clone();
    let on_disk = store::load_annotation(&path, s.codebook()).unwrap();
    assert!(
        !on_disk.claims[0].unsure,
        "the save had the content as it began"
    );
    assert!(s.document().dirty, "the later edit is not saved yet");
    // It is journaled: a crash now would restore it.
    let journal = crate::core::storage::journal::read(&path).unwrap().unwrap();
    assert!(!journal.records.is_empty());
    assert!(ws.flush());
    let s = ws.coding().unwrap();
    let on_disk = store::load_annotation(&path, s.codebook()).unwrap();
    assert!(on_disk.claims[0].unsure);
    assert!(
        crate::core::storage::journal::read(&path)
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_save_on_another_thread_never_overwrites_a_file_changed_on_disk() {
    let dir = seed_project();
    let gate = Gate::new();
    let mut ws = workspace(dir.path(), "alice", Runner::Gated(Arc::clone(&gate)));
    open_001(&mut ws);
    make_claim(&mut ws, "against");
    ws.handle(CodeCommand::Save.into());
    gate.open();
    settle(&mut ws);
    gate.close();
    make_claim(&mut ws, "favor");
    ws.handle(CodeCommand::Save.into());
    // While the job waits, someone else writes the file (git pull).
    let path = ws.coding().unwrap().document().path.clone();
    let theirs = "(format: 1, garbage from elsewhere";
    std::fs::write(&path, theirs).unwrap();
    gate.open();
    settle(&mut ws);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    let s = ws.coding().unwrap();
    assert!(s.has_conflict());
    assert!(s.document().dirty, "the edits are kept");
}

#[test]
fn opening_another_article_waits_for_the_save_and_follows_it() {
    let dir = seed_project();
    let gate = Gate::new();
    let mut ws = workspace(dir.path(), "alice", Runner::Gated(Arc::clone(&gate)));
    open_001(&mut ws);
    make_claim(&mut ws, "against");
    let before = ws.coding().unwrap().article_index();
    ws.handle(CodeCommand::OpenArticle(before + 1).into());
    // Not yet: the file is being saved first, and what comes after waits behind it.
    assert_eq!(ws.coding().unwrap().article_index(), before);
    assert!(ws.coding().unwrap().is_saving());
    ws.handle(CodeCommand::MoveCursor(1).into());
    assert_eq!(ws.waiting(), 2);
    gate.open();
    settle(&mut ws);
    let s = ws.coding().unwrap();
    assert_eq!(s.article_index(), before + 1);
    assert_eq!(ws.waiting(), 0);
    assert!(!s.is_dirty());
}

#[test]
fn quitting_waits_for_a_save_under_way() {
    let dir = seed_project();
    let gate = Gate::new();
    let mut ws = workspace(dir.path(), "alice", Runner::Gated(Arc::clone(&gate)));
    open_001(&mut ws);
    make_claim(&mut ws, "against");
    ws.handle(CodeCommand::Save.into());
    let path = ws.coding().unwrap().document().path.clone();
    assert!(!path.exists());
    let opener = std::thread::spawn({
        let gate = Arc::clone(&gate);
        move || {
            std::thread::sleep(Duration::from_millis(100));
            gate.open();
        }
    });
    assert!(ws.flush(), "everything on disk");
    opener.join().unwrap();
    assert!(path.exists());
    assert!(!ws.coding().unwrap().is_saving());
}

#[test]
fn verdicts_gold_and_answers_go_through_the_workspace() {
    let (dir, _) = review_project();
    let mut ws = workspace(dir.path(), "ed", Runner::Deferred);
    ws.handle(NavigateCommand::Show(Place::Review(ReviewTab::SideBySide)).into());
    assert!(ws.review().is_some());
    ws.handle(
        ReviewCommand::EditComment {
            annotator: "ana".into(),
            claim: "ana0000001".into(),
            text: "fine".into(),
        }
        .into(),
    );
    ws.handle(
        ReviewCommand::SetVerdict {
            annotator: "ana".into(),
            claim: "ana0000001".into(),
            verdict: Some(crate::core::compare::review::Verdict::Accept),
        }
        .into(),
    );
    let review =
        std::fs::read_to_string(dir.path().join("annotations/talks/review.ed.ron")).unwrap();
    assert!(
        review.contains("verdict: Accept") && review.contains("fine"),
        "{review}"
    );
    ws.handle(
        GoldCommand::Build {
            majority: false,
            threshold: String::new(),
        }
        .into(),
    );
    let walk = ws.gold().unwrap();
    assert_eq!(walk.progress_text(), "0 of 3 disputes resolved");
    ws.handle(GoldCommand::Pick(1).into());
    assert_eq!(
        ws.gold().unwrap().progress_text(),
        "1 of 3 disputes resolved"
    );
    assert!(ws.unsaved_gold().is_some());
    ws.handle(GoldCommand::Save.into());
    assert!(ws.unsaved_gold().is_none());
    assert!(dir.path().join("annotations/talks/gold.ron").is_file());
}
