//! Headless tests of never losing work: journal restore after a crash, the writer's lock,
//! outside changes and merge, re-anchoring on open, hostile paths and leftover temp files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::CodeCommand as Command;
use super::tests::seed_project;
use super::*;
use crate::core::model::annotation::AnnotationFile;
use crate::core::storage::journal;
use crate::core::storage::lock;
use crate::core::storage::merge;
use crate::core::storage::store;

fn index_of(s: &Session, prefix: &str) -> usize {
    s.project()
        .articles
        .iter()
        .position(|a| a.id.starts_with(prefix))
        .unwrap()
}

fn open_on(dir: &Path, prefix: &str, annotator: &str) -> Session {
    let mut s = Session::open(dir, annotator).unwrap();
    let i = index_of(&s, prefix);
    s.handle(Command::OpenArticle(i));
    s
}

fn sentence_with(s: &Session, phrase: &str) -> u32 {
    (0..s.article().sentences.len() as u32)
        .find(|&i| s.article().sentence_text(i).contains(phrase))
        .unwrap()
}

/// Makes a claim on the sentence holding `phrase` with a stance; returns its id.
fn claim_on(s: &mut Session, phrase: &str, stance: &str) -> String {
    let i = sentence_with(s, phrase);
    s.handle(Command::SetCursor(i));
    s.handle(Command::MakeClaim);
    s.handle(Command::ToggleStance {
        target: "ceasefire".into(),
        stance: stance.into(),
    });
    s.selected_claim().unwrap().id.clone()
}

const KIRBY: &str = "We don't support calls for a ceasefire";
const MEDIATOR: &str = "Russia will certainly trust China in playing the role of a mediator";

#[test]
fn a_crash_leaves_a_journal_that_the_next_session_offers_and_restores() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    let id = claim_on(&mut s, KIRBY, "against");
    s.handle(Command::SetNote("checked".into()));
    let path = s.document().path.clone();
    let expected = s.document().file.claims.clone();
    assert!(journal::journal_path(&path).exists());
    assert!(!path.exists(), "nothing saved yet");
    // The crash: the session goes without saving.
    drop(s);
    assert!(
        !lock::lock_path(&path).exists(),
        "a dropped session frees the file"
    );

    let mut s = open_on(dir.path(), "001", "alice");
    let offer = s.restore_offer().unwrap().clone();
    assert_eq!(offer.summary.edits, 3);
    assert_eq!(offer.summary.claims, vec![id.clone()]);
    assert!(
        offer
            .summary
            .to_string()
            .starts_with("3 unsaved edits to 1 claim")
    );
    // Until the coder answers, nothing can be edited (it would mix with the old edits).
    s.handle(Command::MakeClaim);
    assert!(s.document().file.claims.is_empty());
    assert!(s.notice().unwrap().is_error);

    s.handle(Command::RestoreJournal);
    assert!(s.restore_offer().is_none());
    assert!(s.document().dirty);
    assert_eq!(s.document().file.claims, expected);
    // The restore is one undoable step (nothing was saved: undo empties the file again).
    s.handle(Command::Undo);
    assert!(s.document().file.claims.is_empty());
    s.handle(Command::Redo);
    assert_eq!(s.document().file.claims, expected);
    s.handle(Command::Save);
    assert!(
        !journal::journal_path(&path).exists(),
        "a good save removes it"
    );
    let saved = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(saved.claims, expected);
}

#[test]
fn discarding_the_journal_keeps_the_file_as_on_disk() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    claim_on(&mut s, KIRBY, "against");
    s.handle(Command::Save);
    let path = s.document().path.clone();
    let on_disk = std::fs::read(&path).unwrap();
    claim_on(&mut s, MEDIATOR, "favor");
    drop(s);

    let mut s = open_on(dir.path(), "001", "alice");
    assert_eq!(s.restore_offer().unwrap().summary.edits, 2);
    s.handle(Command::DiscardJournal);
    assert!(s.restore_offer().is_none());
    assert!(!journal::journal_path(&path).exists());
    assert_eq!(s.document().file.claims.len(), 1);
    assert_eq!(std::fs::read(&path).unwrap(), on_disk);
    // Editing works again and journals anew.
    claim_on(&mut s, MEDIATOR, "favor");
    let j = journal::read(&path).unwrap().unwrap();
    assert_eq!(j.records.len(), 2);
    assert_eq!(j.records[0].seq, 1);
}

#[test]
fn undo_is_journaled_so_a_restore_gives_what_the_coder_saw() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    claim_on(&mut s, KIRBY, "against");
    s.handle(Command::Undo);
    s.handle(Command::Undo);
    assert!(s.document().file.claims.is_empty());
    drop(s);
    let mut s = open_on(dir.path(), "001", "alice");
    s.handle(Command::RestoreJournal);
    assert!(s.document().file.claims.is_empty());
}

#[test]
fn a_second_session_on_the_same_file_is_read_only_and_names_the_holder() {
    let dir = seed_project();
    let mut first = open_on(dir.path(), "001", "alice");
    claim_on(&mut first, KIRBY, "against");
    first.handle(Command::Save);
    assert!(first.holds_lock());

    let mut second = open_on(dir.path(), "001", "alice");
    let why = second.document().read_only.clone().unwrap();
    assert!(
        why.contains(&format!("process {}", std::process::id())),
        "{why}"
    );
    assert!(why.contains(&lock::host_name()), "{why}");
    assert_eq!(second.lock_holder().unwrap().pid, std::process::id());
    assert!(!second.can_take_over(), "the holder is alive");
    assert!(
        second.restore_offer().is_none(),
        "the journal is the holder's"
    );
    second.handle(Command::DeleteClaim);
    second.handle(Command::Save);
    assert_eq!(second.document().file.claims.len(), 1);
    second.handle(Command::TakeOverLock);
    assert!(second.document().read_only.is_some());

    // The first window moves on to another article: its lock goes with it.
    let path = first.document().path.clone();
    let other = index_of(&first, "003");
    first.handle(Command::OpenArticle(other));
    assert!(!lock::lock_path(&path).exists());
    assert!(second.can_take_over());
    second.handle(Command::TakeOverLock);
    assert!(
        second.document().read_only.is_none(),
        "{:?}",
        second.notice()
    );
    assert!(second.holds_lock());
    claim_on(&mut second, MEDIATOR, "favor");
    second.handle(Command::Save);
    assert_eq!(
        store::load_annotation(&path, second.codebook())
            .unwrap()
            .claims
            .len(),
        2
    );
}

#[test]
fn take_over_is_offered_when_the_holder_died() {
    let dir = seed_project();
    let mut first = open_on(dir.path(), "001", "alice");
    claim_on(&mut first, KIRBY, "against");
    first.handle(Command::Save);
    let second = open_on(dir.path(), "001", "alice");
    assert!(!second.can_take_over());
    // The holder's process dies: its lock file now names a pid that does not exist.
    let path = first.document().path.clone();
    let mut info = lock::holder(&path).unwrap();
    info.pid = 4_000_000_000;
    std::fs::write(
        lock::lock_path(&path),
        serde_json::to_string(&info).unwrap(),
    )
    .unwrap();
    assert!(second.can_take_over());
    let mut second = second;
    second.handle(Command::TakeOverLock);
    assert!(second.holds_lock());
    assert!(second.document().read_only.is_none());
}

/// What another program writes into the file: a claim on the mediator sentence.
fn write_outside_claim(s: &Session, path: &Path) -> String {
    let mut file: AnnotationFile = store::load_annotation(path, s.codebook()).unwrap();
    let i = sentence_with(s, MEDIATOR);
    let range = s.article().sentences[i as usize].range.clone();
    let mut c = file.claims[0].clone();
    c.id = "outside-1".into();
    c.anchor = crate::core::model::annotation::Anchor::new(
        &s.article().text,
        i,
        i,
        range.start,
        range.end,
    );
    file.claims.push(c);
    file.sort_claims();
    store::save_annotation(path, &file).unwrap();
    "outside-1".into()
}

#[test]
fn an_outside_change_without_edits_is_loaded_and_with_edits_is_merged() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    let kirby = claim_on(&mut s, KIRBY, "against");
    s.handle(Command::Save);
    let path = s.document().path.clone();

    // No unsaved edits: the change is simply shown.
    let outside = write_outside_claim(&s, &path);
    s.tick(Instant::now());
    assert!(!s.has_conflict());
    assert!(s.document().file.claim(&outside).is_some());

    // Unsaved edits: the coder is asked, and Merge keeps both sides.
    s.handle(Command::SelectClaim(Some(kirby.clone())));
    s.handle(Command::SetNote("mine".into()));
    let mut theirs = store::load_annotation(&path, s.codebook()).unwrap();
    theirs.claims.retain(|c| c.id != outside);
    let mut c = theirs.claims[0].clone();
    c.id = "outside-2".into();
    c.note = "theirs".into();
    theirs.claims[0].note = "edited outside".into();
    theirs.claims.push(c);
    store::save_annotation(&path, &theirs).unwrap();
    s.handle(Command::CheckDisk);
    assert!(s.has_conflict());
    assert_eq!(s.selected_claim().unwrap().note, "mine", "edits are kept");
    s.handle(Command::Save);
    assert!(
        s.has_conflict(),
        "a save never overwrites what it did not load"
    );

    let mine = s.document().file.claims.clone();
    s.handle(Command::MergeFromDisk);
    assert!(!s.has_conflict());
    // The merge is one undoable step on top of the coder's edits.
    let merged = s.document().file.claims.clone();
    s.handle(Command::Undo);
    assert_eq!(s.document().file.claims, mine, "undo takes the merge back");
    s.handle(Command::Undo);
    assert_eq!(
        s.selected_claim().map(|c| c.note.as_str()),
        Some(""),
        "then the coder's note edit"
    );
    s.handle(Command::Redo);
    s.handle(Command::Redo);
    assert_eq!(s.document().file.claims, merged);
    let file = &s.document().file;
    assert!(file.claim("outside-2").is_some());
    assert!(file.claim(&outside).is_none(), "their deletion is kept");
    let note = &file.claim(&kirby).unwrap().note;
    assert!(note.starts_with("mine"), "{note}");
    let conflicts = merge::conflicts_in(file);
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].field, "note");
    s.handle(Command::Save);
    assert!(!s.document().dirty, "{:?}", s.notice());
    let saved = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(&saved.claims, &s.document().file.claims);
    assert!(!journal::journal_path(&path).exists());
}

#[test]
fn polling_reads_metadata_each_second_and_keep_mine_overwrites_explicitly() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    claim_on(&mut s, KIRBY, "against");
    s.handle(Command::Save);
    let path = s.document().path.clone();
    let t0 = Instant::now();
    s.tick(t0);
    claim_on(&mut s, MEDIATOR, "favor");
    write_outside_claim(&s, &path);
    // Within the interval nothing is looked at.
    s.tick(t0 + watch::POLL_INTERVAL / 2);
    assert!(!s.has_conflict());
    s.tick(t0 + watch::POLL_INTERVAL);
    assert!(s.has_conflict());
    s.handle(Command::Overwrite);
    assert!(!s.has_conflict());
    let saved = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(saved.claims, s.document().file.claims);
    assert!(saved.claim("outside-1").is_none());
}

#[test]
fn reload_takes_theirs_and_drops_the_journal() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    claim_on(&mut s, KIRBY, "against");
    s.handle(Command::Save);
    let path = s.document().path.clone();
    claim_on(&mut s, MEDIATOR, "favor");
    write_outside_claim(&s, &path);
    s.handle(Command::CheckDisk);
    s.handle(Command::Reload);
    assert!(!s.has_conflict());
    assert!(s.document().file.claim("outside-1").is_some());
    assert!(!journal::journal_path(&path).exists());
    assert!(s.holds_lock(), "reloading keeps the file");
}

/// Seed 001 with a paragraph inserted before `before` and the paragraph holding `deleted`
/// removed.
/// What [`code_then_change_article`] coded before the article changed.
struct Coded {
    kirby: String,
    mediator: String,
    article: String,
    old_fp: String,
    path: std::path::PathBuf,
}

/// alice codes Kirby's and the mediator's sentences of seed 001 and saves; then a paragraph is
/// inserted before Kirby's and the mediator's paragraph is deleted from the article.
fn code_then_change_article(root: &Path) -> Coded {
    let mut s = open_on(root, "001", "alice");
    let kirby = claim_on(&mut s, KIRBY, "against");
    let mediator = claim_on(&mut s, MEDIATOR, "favor");
    s.handle(Command::Save);
    let coded = Coded {
        kirby,
        mediator,
        article: s.article().id.clone(),
        old_fp: s.article().fingerprint.clone(),
        path: s.document().path.clone(),
    };
    drop(s);
    edit_seed(root, &coded.article, "John Kirby, spokesperson", MEDIATOR);
    coded
}

fn edit_seed(root: &Path, id: &str, before: &str, deleted: &str) {
    let path = root.join("seeds").join(format!("{id}.txt"));
    let text = std::fs::read_to_string(&path).unwrap();
    let line_start = |t: &str, p: &str| t[..t.find(p).unwrap()].rfind('\n').map_or(0, |i| i + 1);
    let at = line_start(&text, before);
    let text = format!(
        "{}An editor's note was added here on March 21. It is a new paragraph.\n\n{}",
        &text[..at],
        &text[at..]
    );
    let start = line_start(&text, deleted);
    let end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let text = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_changed_article_reanchors_moved_claims_and_keeps_orphans_for_attaching() {
    let dir = seed_project();
    let Coded {
        kirby,
        mediator,
        old_fp,
        path,
        ..
    } = code_then_change_article(dir.path());

    let mut s = open_on(dir.path(), "001", "alice");
    let report = s.reanchor_report().unwrap();
    assert_eq!(report.moved(), 1);
    assert_eq!(
        report.orphans().collect::<Vec<_>>(),
        vec![mediator.as_str()]
    );
    let notice = s.notice().unwrap().text.clone();
    assert!(notice.contains(&format!("moved: {kirby}")), "{notice}");
    assert!(notice.contains("orphaned"), "{notice}");
    let orphans: Vec<String> = s.orphans().map(|c| c.id.clone()).collect();
    assert_eq!(orphans, vec![mediator.clone()]);
    // The orphan's old sentence numbers mean nothing in the new text: no sentence shows it.
    let n = s.article().sentences.len() as u32;
    assert!((0..n).all(|i| s.claims_at(i).all(|c| c.id != mediator)));
    assert!((0..n).any(|i| s.claims_at(i).any(|c| c.id == kirby)));
    assert_eq!(s.document().file.article.fingerprint, old_fp);
    let k = s.document().file.claim(&kirby).unwrap();
    assert!(s.article().text[k.anchor.start..k.anchor.end].contains(KIRBY));

    // Attach the orphan by hand to a sentence, undo it, redo it.
    let target = sentence_with(&s, "At the early stage of the conflict");
    s.handle(Command::SetCursor(target));
    s.handle(Command::AttachClaim(kirby.clone()));
    assert!(
        s.notice().unwrap().is_error,
        "a found claim is not re-attached"
    );
    assert_ne!(
        s.document().file.claim(&kirby).unwrap().anchor.first,
        target
    );
    s.handle(Command::AttachClaim(mediator.clone()));
    assert_eq!(s.orphans().count(), 0);
    let attached = s.document().file.claim(&mediator).unwrap();
    assert_eq!(attached.anchor.first, target);
    assert_eq!(
        attached.stances.get("ceasefire").map(String::as_str),
        Some("favor")
    );
    let new_fp = s.article().fingerprint.clone();
    assert_eq!(s.document().file.article.fingerprint, new_fp);
    s.handle(Command::Undo);
    assert_eq!(s.orphans().count(), 1);
    assert_eq!(s.document().file.article.fingerprint, old_fp);
    s.handle(Command::Redo);
    s.handle(Command::Save);
    let saved = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(saved.article.fingerprint, new_fp);
    assert_eq!(saved.claims.len(), 2);
}

#[test]
fn orphans_are_saved_with_the_old_fingerprint() {
    let dir = seed_project();
    let Coded {
        mediator,
        old_fp,
        path,
        ..
    } = code_then_change_article(dir.path());
    let mut s = open_on(dir.path(), "001", "alice");
    assert!(s.positions_unsaved(), "the moved claim's new offsets");
    s.handle(Command::AcceptPositions);
    assert!(!s.positions_unsaved());
    let saved = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(saved.article.fingerprint, old_fp);
    assert!(saved.claim(&mediator).is_some(), "never dropped");
}

#[test]
fn opening_a_reanchored_file_writes_nothing_until_the_first_edit() {
    let dir = seed_project();
    let Coded { kirby, path, .. } = code_then_change_article(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut s = open_on(dir.path(), "001", "alice");
    // Shown at the new place, but opening is not an edit: nothing to autosave.
    let moved = s.document().file.claim(&kirby).unwrap().anchor.clone();
    assert!(s.article().text[moved.start..moved.end].contains(KIRBY));
    assert!(!s.document().dirty);
    assert!(s.positions_unsaved());
    let notice = s.notice().unwrap().text.clone();
    assert!(notice.contains("saved with your first edit"), "{notice}");
    assert_eq!(s.tick(Instant::now() + Duration::from_mins(1)), None);
    assert!(s.flush());
    drop(s);
    assert_eq!(std::fs::read(&path).unwrap(), before, "byte-identical");

    // The first edit saves the whole file, the new positions with it.
    let mut s = open_on(dir.path(), "001", "alice");
    s.handle(Command::SelectClaim(Some(kirby.clone())));
    s.handle(Command::ToggleUnsure);
    s.handle(Command::Save);
    assert!(!s.positions_unsaved());
    let saved = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(saved.claim(&kirby).unwrap().anchor.start, moved.start);
    assert!(saved.claim(&kirby).unwrap().unsure);
}

fn annotation_dir(root: &Path, s: &Session) -> PathBuf {
    root.join("annotations").join(&s.article().id)
}

#[cfg(unix)]
#[test]
fn a_symlink_leading_outside_the_project_is_not_read_nor_written() {
    let dir = seed_project();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.ron");
    std::fs::write(&secret, "not yours").unwrap();
    let s = open_on(dir.path(), "001", "alice");
    let folder = annotation_dir(dir.path(), &s);
    drop(s);
    std::fs::create_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink(&secret, folder.join("alice.ron")).unwrap();

    let mut s = open_on(dir.path(), "001", "alice");
    let why = s.document().read_only.clone().unwrap();
    assert!(why.contains("outside the project"), "{why}");
    assert!(s.document().file.claims.is_empty());
    s.handle(Command::MakeClaim);
    s.handle(Command::Save);
    assert!(s.document().file.claims.is_empty());
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "not yours");
}

#[cfg(unix)]
#[test]
fn a_linked_annotation_folder_leading_outside_is_not_written() {
    let dir = seed_project();
    let outside = tempfile::tempdir().unwrap();
    let s = open_on(dir.path(), "001", "alice");
    let folder = annotation_dir(dir.path(), &s);
    drop(s);
    std::fs::create_dir_all(folder.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(outside.path(), &folder).unwrap();
    let mut s = open_on(dir.path(), "001", "alice");
    assert!(
        s.document()
            .read_only
            .as_deref()
            .is_some_and(|w| w.contains("outside the project"))
    );
    s.handle(Command::MakeClaim);
    s.handle(Command::Save);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn temp_files_of_killed_saves_are_removed_on_open_but_not_live_ones() {
    let dir = seed_project();
    let s = open_on(dir.path(), "001", "alice");
    let folder = annotation_dir(dir.path(), &s);
    drop(s);
    std::fs::create_dir_all(&folder).unwrap();
    let dead = folder.join(".alice.ron.4000000000.tmp");
    let live = folder.join(format!(".alice.ron.{}.tmp", std::process::id()));
    let other = folder.join(".bob.ron.4000000000.tmp");
    for f in [&dead, &live, &other] {
        std::fs::write(f, "half a save").unwrap();
    }
    let _s = open_on(dir.path(), "001", "alice");
    assert!(!dead.exists());
    assert!(live.exists(), "a live process may be saving it now");
    // Opening a project sweeps every dead save's temp file, not only the opened file's
    // (issue 13.5: every writer cleans up after killed saves).
    assert!(!other.exists());
}

/// Changes the saved file as a `git pull` would while no window is open.
fn outside_edit(
    path: &Path,
    s_codebook: &crate::core::model::codebook::Codebook,
    f: impl FnOnce(&mut AnnotationFile),
) {
    let mut file = store::load_annotation(path, s_codebook).unwrap();
    f(&mut file);
    store::save_annotation(path, &file).unwrap();
}

#[test]
fn issue13_6_restore_merges_with_the_file_changed_since() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    let kirby = claim_on(&mut s, KIRBY, "against");
    let gone = claim_on(&mut s, "The two leaders will also sign", "favor");
    let kept = claim_on(
        &mut s,
        "At the invitation of Russian President Vladimir Putin",
        "favor",
    );
    s.handle(Command::Save);
    let path = s.document().path.clone();
    let codebook = s.codebook().clone();
    // Unsaved: Kirby against → favor with a note; `gone` deleted; a new claim.
    s.handle(Command::SelectClaim(Some(kirby.clone())));
    s.handle(Command::ToggleStance {
        target: "ceasefire".into(),
        stance: "favor".into(),
    });
    s.handle(Command::SetNote("mine".into()));
    s.handle(Command::SelectClaim(Some(gone.clone())));
    s.handle(Command::DeleteClaim);
    let new = claim_on(&mut s, MEDIATOR, "favor");
    drop(s); // the crash

    // While the window is dead, a pull changes Kirby's stance (a conflict) and source (no
    // conflict), changes the claim the journal deleted, and deletes one the journal never
    // touched.
    outside_edit(&path, &codebook, |f| {
        let c = f.claims.iter_mut().find(|c| c.id == kirby).unwrap();
        c.stances.insert("ceasefire".into(), "neutral".into());
        c.source = Some("official".into());
        let g = f.claims.iter_mut().find(|c| c.id == gone).unwrap();
        g.note = "pulled".into();
        f.claims.retain(|c| c.id != kept);
    });

    let mut s = open_on(dir.path(), "001", "alice");
    let offer = s.restore_offer().unwrap().clone();
    assert_eq!(offer.changed_since, Some(true));
    let shown: Vec<String> = offer.conflicts.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        // In text order: "The two leaders…" comes before Kirby.
        vec![
            format!("claim {gone}: claim: ours=deleted theirs=changed"),
            format!("claim {kirby}: stance ceasefire: ours=favor theirs=neutral"),
        ]
    );
    s.handle(Command::RestoreJournal);
    let file = &s.document().file;
    let k = file.claim(&kirby).unwrap();
    assert_eq!(
        k.stances["ceasefire"], "favor",
        "the journal's value is kept"
    );
    assert_eq!(
        k.source.as_deref(),
        Some("official"),
        "the pull's change is taken"
    );
    assert!(k.unsure);
    assert_eq!(
        k.note,
        "mine\n<<merge conflict>> stance ceasefire: ours=favor theirs=neutral"
    );
    assert_eq!(
        file.claim(&gone).unwrap().note.lines().next(),
        Some("pulled")
    );
    assert!(file.claim(&kept).is_none(), "the pull's deletion stands");
    assert!(file.claim(&new).is_some());
    assert!(
        s.notice().unwrap().text.contains("2 conflicts"),
        "{:?}",
        s.notice()
    );

    // Crashing again before saving restores the same content: the journal now holds the
    // difference from the file as pulled.
    let restored = s.document().file.claims.clone();
    drop(s);
    let mut s = open_on(dir.path(), "001", "alice");
    let offer = s.restore_offer().unwrap().clone();
    assert_eq!(offer.changed_since, Some(false));
    assert!(offer.conflicts.is_empty());
    s.handle(Command::RestoreJournal);
    assert_eq!(s.document().file.claims, restored);
    s.handle(Command::Save);
    let saved = store::load_annotation(&path, s.codebook()).unwrap();
    assert_eq!(merge::conflicts_in(&saved).len(), 2);
}

#[test]
fn issue13_6_restore_onto_the_unchanged_file_says_so_and_replays() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    claim_on(&mut s, KIRBY, "against");
    let expected = s.document().file.claims.clone();
    drop(s);
    let mut s = open_on(dir.path(), "001", "alice");
    let offer = s.restore_offer().unwrap().clone();
    assert_eq!(offer.changed_since, Some(false));
    assert!(offer.conflicts.is_empty());
    s.handle(Command::RestoreJournal);
    assert_eq!(s.document().file.claims, expected);
    assert!(!s.notice().unwrap().is_error);
}

#[test]
fn issue13_6_journals_of_older_versions_are_still_read_and_replayed() {
    let dir = seed_project();
    let mut s = open_on(dir.path(), "001", "alice");
    let id = claim_on(&mut s, KIRBY, "against");
    let path = s.document().path.clone();
    drop(s);
    // As an older Stance wrote them: no `base`, no `before`.
    let text = std::fs::read_to_string(journal::journal_path(&path)).unwrap();
    let old: Vec<String> = text
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            assert!(o.remove("base").is_some() && o.remove("before").is_some());
            v.to_string()
        })
        .collect();
    std::fs::write(journal::journal_path(&path), old.join("\n") + "\n").unwrap();
    let mut s = open_on(dir.path(), "001", "alice");
    let offer = s.restore_offer().unwrap().clone();
    assert_eq!(offer.changed_since, None);
    assert_eq!(offer.summary.edits, 2);
    s.handle(Command::RestoreJournal);
    assert_eq!(
        s.document().file.claim(&id).unwrap().stances["ceasefire"],
        "against"
    );
}
