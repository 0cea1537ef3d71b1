//! Headless tests of editing sessions on a copy of the seed project.

use std::path::Path;
use std::time::{Duration, Instant};

use super::CodeCommand as Command;
use super::save::AUTOSAVE_DELAY;
use super::*;
use crate::core::model::annotation::{SpeakerRef, Status};
use crate::core::storage::store;

pub(crate) use crate::session::fixture::seed_project;

fn kirby_sentence(s: &Session) -> u32 {
    (0..s.article().sentences.len() as u32)
        .find(|&i| {
            s.article()
                .sentence_text(i)
                .contains("We don't support calls for a ceasefire")
        })
        .unwrap()
}

fn open_on_001(dir: &Path) -> Session {
    let mut s = Session::open(dir, "alice").unwrap();
    let i = s
        .project()
        .articles
        .iter()
        .position(|a| a.id.starts_with("001"))
        .unwrap();
    s.handle(Command::OpenArticle(i));
    s
}

#[test]
fn make_and_label_a_claim_then_save_and_reload() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    let k = kirby_sentence(&s);
    s.handle(Command::SetCursor(k));
    s.handle(Command::MakeClaim);
    s.handle(Command::ToggleStance {
        target: "ceasefire".into(),
        stance: "against".into(),
    });
    s.handle(Command::SetSource(Some("direct-quote".into())));
    s.handle(Command::SetSpeaker(Some(SpeakerRef::Registry(
        "john-kirby".into(),
    ))));
    let claim = s.selected_claim().unwrap().clone();
    assert_eq!(
        claim.stances.get("ceasefire").map(String::as_str),
        Some("against")
    );
    assert!(s.document().dirty);
    s.handle(Command::Save);
    assert!(!s.document().dirty, "{:?}", s.notice());
    let path = s.document().path.clone();
    let loaded = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(loaded.claims, vec![claim]);
    assert_eq!(loaded.annotator, "alice");
}

#[test]
fn undo_and_redo_every_edit() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    let k = kirby_sentence(&s);
    s.handle(Command::SetCursor(k));
    s.handle(Command::MakeClaim);
    s.handle(Command::ToggleStance {
        target: "ceasefire".into(),
        stance: "against".into(),
    });
    s.handle(Command::Undo);
    assert!(s.selected_claim().unwrap().stances.is_empty());
    s.handle(Command::Undo);
    assert!(s.document().file.claims.is_empty());
    s.handle(Command::Redo);
    s.handle(Command::Redo);
    assert_eq!(
        s.selected_claim()
            .unwrap()
            .stances
            .get("ceasefire")
            .map(String::as_str),
        Some("against")
    );
    s.handle(Command::DeleteClaim);
    assert!(s.document().file.claims.is_empty());
    s.handle(Command::Undo);
    assert_eq!(s.document().file.claims.len(), 1);
}

#[test]
fn note_typing_undoes_as_one_step() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    s.handle(Command::MakeClaim);
    for note in ["h", "he", "hel", "hello"] {
        s.handle(Command::SetNote(note.into()));
    }
    s.handle(Command::Undo);
    assert_eq!(s.selected_claim().unwrap().note, "");
    assert_eq!(s.document().file.claims.len(), 1);
}

#[test]
fn toggling_the_same_stance_clears_it() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    s.handle(Command::MakeClaim);
    let cmd = Command::ToggleStance {
        target: "mediation".into(),
        stance: "favor".into(),
    };
    s.handle(cmd.clone());
    s.handle(cmd);
    assert!(s.selected_claim().unwrap().stances.is_empty());
}

#[test]
fn extend_claim_covers_next_sentence() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    let k = kirby_sentence(&s);
    s.handle(Command::SetCursor(k));
    s.handle(Command::MakeClaim);
    s.handle(Command::ExtendClaim(1));
    let c = s.selected_claim().unwrap();
    assert_eq!((c.anchor.first, c.anchor.last), (k, k + 1));
    assert_eq!(
        c.anchor.quote,
        &s.article().text[c.anchor.start..c.anchor.end]
    );
    assert!(c.anchor.quote.contains("He said"), "{}", c.anchor.quote);
}

#[test]
fn span_claim_is_trimmed_and_anchored() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    let text = s.article().text.clone();
    // From the space before the opening quote to the space after the closing one.
    let at = text.find("We don't support").unwrap();
    let (start, end) = (
        at - 2,
        at + "We don't support calls for a ceasefire right now.".len() + 2,
    );
    assert_eq!(
        &text[start..end],
        " \"We don't support calls for a ceasefire right now.\" "
    );
    s.handle(Command::MakeClaimFromSpan { start, end });
    let c = s.selected_claim().unwrap();
    assert_eq!(
        c.anchor.quote,
        "\"We don't support calls for a ceasefire right now.\""
    );
}

#[test]
fn cursor_and_claim_selection_stay_in_step() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    let k = kirby_sentence(&s);
    s.handle(Command::SetCursor(k));
    s.handle(Command::MakeClaim);
    let id = s.selected_claim().unwrap().id.clone();
    s.handle(Command::MoveCursor(1));
    assert!(s.selected_claim().is_none());
    s.handle(Command::SelectClaim(Some(id.clone())));
    assert_eq!(s.cursor(), k);
    s.handle(Command::MoveCursor(-1));
    s.handle(Command::MoveCursor(1));
    assert_eq!(s.selected_claim().map(|c| c.id.as_str()), Some(id.as_str()));
}

#[test]
fn autosave_after_delay() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    let t0 = Instant::now();
    s.handle_at(Command::MakeClaim, t0);
    assert!(s.tick(t0 + Duration::from_millis(100)).is_some());
    assert!(s.document().dirty);
    assert!(s.tick(t0 + AUTOSAVE_DELAY).is_none());
    assert!(!s.document().dirty);
    assert!(s.document().path.exists());
}

#[test]
fn outside_change_is_never_overwritten_blindly() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    s.handle(Command::MakeClaim);
    s.handle(Command::Save);
    let path = s.document().path.clone();
    // Someone else rewrites the file (git pull).
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("InProgress", "Done");
    std::fs::write(&path, &theirs).unwrap();
    s.handle(Command::ToggleUnsure);
    s.handle(Command::Save);
    assert!(s.has_conflict());
    assert!(s.document().dirty, "edits stay in memory");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    s.handle(Command::Overwrite);
    assert!(!s.has_conflict());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("unsure: true")
    );
}

#[test]
fn broken_file_opens_read_only_and_is_not_overwritten() {
    let dir = seed_project();
    let s = open_on_001(dir.path());
    let path = s.document().path.clone();
    drop(s);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "(format: 1, claims: [").unwrap();
    let mut s = open_on_001(dir.path());
    assert!(s.document().read_only.is_some());
    s.handle(Command::MakeClaim);
    s.handle(Command::Save);
    assert!(s.document().file.claims.is_empty());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "(format: 1, claims: ["
    );
    assert!(s.notice().unwrap().is_error);
}

#[test]
fn mark_done_and_summaries() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    s.handle(Command::MakeClaim);
    s.handle(Command::SetStatus(Status::Done));
    s.handle(Command::Save);
    assert_eq!(s.done_count(), 1);
    assert_eq!(s.summaries()[s.article_index()].claims, 1);
}

#[test]
fn find_moves_the_cursor() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    s.handle(Command::SetFindQuery("lukin".into()));
    assert!(s.find().matches.len() >= 2);
    s.handle(Command::FindStep(1));
    assert!(
        s.article()
            .sentence_text(s.cursor())
            .to_lowercase()
            .contains("lukin")
    );
}

#[test]
fn filter_by_stance_and_speaker() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    let k = kirby_sentence(&s);
    s.handle(Command::SetCursor(k));
    s.handle(Command::MakeClaim);
    s.handle(Command::ToggleStance {
        target: "ceasefire".into(),
        stance: "against".into(),
    });
    s.handle(Command::SetCursor(k + 1));
    s.handle(Command::MakeClaim);
    s.handle(Command::SetSpeaker(Some(SpeakerRef::New("Someone".into()))));
    s.handle(Command::SetFilter(ClaimFilter {
        stance: Some("against".into()),
        ..ClaimFilter::default()
    }));
    assert_eq!(s.visible_claims().count(), 1);
    s.handle(Command::SetFilter(ClaimFilter {
        speaker: Some(SpeakerRef::New("Someone".into())),
        ..ClaimFilter::default()
    }));
    assert_eq!(s.visible_claims().count(), 1);
}

#[test]
fn switching_annotator_saves_and_opens_their_file() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    s.handle(Command::MakeClaim);
    s.handle(Command::SwitchAnnotator("bob".into()));
    assert_eq!(s.annotator(), "bob");
    assert!(s.document().file.claims.is_empty());
    s.handle(Command::SwitchAnnotator("../x".into()));
    assert_eq!(s.annotator(), "bob");
    s.handle(Command::SwitchAnnotator("alice".into()));
    assert_eq!(s.document().file.claims.len(), 1);
}

#[test]
fn a_failed_save_keeps_the_edit_and_says_why() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    // A file where the article's annotation folder should be: the folder cannot be made.
    let folder = s.document().path.parent().unwrap().to_owned();
    std::fs::create_dir_all(folder.parent().unwrap()).unwrap();
    std::fs::write(&folder, "not a folder").unwrap();
    s.handle(Command::MakeClaim);
    s.handle(Command::Save);
    assert!(s.document().dirty);
    assert_eq!(s.document().file.claims.len(), 1);
    let notice = s.notice().unwrap();
    assert!(
        notice.is_error && notice.text.contains("could not save"),
        "{notice:?}"
    );
    // Fix the problem; the next save succeeds with the edit intact.
    std::fs::remove_file(&folder).unwrap();
    s.handle(Command::Save);
    assert!(!s.document().dirty);
}

#[test]
fn issue13_13_author_source_gives_the_author_speaker_in_one_undoable_step() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    s.handle(Command::MakeClaim);
    s.handle(Command::SetSource(Some("author".into())));
    let c = s.selected_claim().unwrap();
    assert_eq!(c.source.as_deref(), Some("author"));
    assert_eq!(c.speaker, Some(SpeakerRef::Registry("author".into())));
    s.handle(Command::Undo);
    let c = s.selected_claim().unwrap();
    assert_eq!((c.source.as_deref(), c.speaker.as_ref()), (None, None));
    // A speaker the coder chose is never replaced.
    let kirby = SpeakerRef::Registry("john-kirby".into());
    s.handle(Command::SetSpeaker(Some(kirby.clone())));
    s.handle(Command::SetSource(Some("author".into())));
    assert_eq!(s.selected_claim().unwrap().speaker, Some(kirby));
    // Another source type leaves the speaker alone.
    s.handle(Command::SetSpeaker(None));
    s.handle(Command::SetSource(Some("direct-quote".into())));
    assert_eq!(s.selected_claim().unwrap().speaker, None);
}

#[test]
fn issue13_13_suggested_speakers_found_then_last_used_then_author() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    assert!(
        s.suggested_speakers().is_empty(),
        "no claim, nothing offered"
    );
    let k = kirby_sentence(&s);
    s.handle(Command::SetCursor(k));
    s.handle(Command::MakeClaim);
    let kirby = SpeakerRef::Registry("john-kirby".into());
    let author = SpeakerRef::Registry("author".into());
    // The suggestions found Kirby in his sentence; nothing set yet; the author last.
    assert_eq!(s.suggested_speakers(), vec![kirby.clone(), author.clone()]);
    let new = SpeakerRef::New("A Minister".into());
    s.handle(Command::SetSpeaker(Some(new.clone())));
    assert_eq!(
        s.suggested_speakers(),
        vec![kirby.clone(), new.clone(), author.clone()]
    );
    // A sentence nobody is found in: the speaker set last comes first.
    let plain = (0..k)
        .rev()
        .find(|&i| s.article().sentences[i as usize].skip.is_none() && s.suggestion_at(i).is_none())
        .unwrap();
    s.handle(Command::SetCursor(plain));
    s.handle(Command::MakeClaim);
    assert_eq!(s.suggested_speakers()[0], new);
    // Suggestions switched off: what the text says is not offered.
    s.handle(Command::SetCursor(k));
    s.handle(Command::SetSuggestions(false));
    assert_eq!(s.suggested_speakers(), vec![new, author]);
}

#[test]
fn issue13_18_make_a_claim_first_clears_once_a_claim_is_made() {
    let dir = seed_project();
    let mut s = open_on_001(dir.path());
    s.handle(Command::ToggleStance {
        target: "ceasefire".into(),
        stance: "favor".into(),
    });
    let n = s.notice().unwrap();
    assert!(n.is_error && n.text.contains("make or select a claim first"));
    s.handle(Command::MakeClaim);
    assert_eq!(s.notice(), None, "the refusal is answered");
    // Selecting a claim answers it too.
    s.handle(Command::SelectClaim(None));
    s.handle(Command::SetSource(Some("author".into())));
    assert!(s.notice().is_some_and(|n| n.is_error));
    s.handle(Command::StepClaim(1));
    assert_eq!(s.notice(), None);
    s.handle(Command::SelectClaim(None));
    s.handle(Command::SetSource(Some("author".into())));
    s.handle(Command::SetFindQuery("ceasefire".into()));
    assert!(
        s.notice().is_some_and(|n| n.is_error),
        "moving about leaves the refusal until it is answered"
    );
}

/// Issue 13.18: the window accepted an annotator name with a space (opening as `--annotator`
/// or switching coder). Both refuse it, as import does, and name the one-word form.
#[test]
fn issue13_18_session_refuses_annotator_names_with_spaces() {
    let dir = seed_project();
    let Err(e) = Session::open(dir.path(), "Bob Smith") else {
        panic!("a name with a space must be refused");
    };
    assert!(e.to_string().contains("use `Bob-Smith` instead"), "{e}");
    let mut s = Session::open(dir.path(), "alice").unwrap();
    s.handle(Command::SwitchAnnotator("Bob Smith".into()));
    assert_eq!(s.annotator(), "alice");
    assert!(
        s.notice()
            .is_some_and(|n| n.text.contains("use `Bob-Smith` instead")),
        "{:?}",
        s.notice()
    );
}
