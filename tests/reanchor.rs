//! Re-anchoring on a real seed article: paragraphs inserted and deleted, sentences edited, a
//! quote that occurs three times. After re-anchoring, `stance check`'s own validation must
//! find nothing wrong with the file against the changed article.

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::path::{Path, PathBuf};

use helpers::{
    REPO, SEED_000, claim_on_sentence, copy_dir, ron_of, seed_article, sentence_with, valid_file,
    write_annotation,
};
use stance::core::check::{self, Finding};
use stance::core::model::annotation::{Anchor, AnnotationFile};
use stance::core::model::codebook::Codebook;
use stance::core::text::anchor::{self, AttachError, Reanchored};
use stance::core::text::corpus::Article;

/// Seed 000 with its text replaced by `text` (same id, new fingerprint).
fn changed(original: &Article, text: &str) -> Article {
    let article = Article::new(
        original.id.clone(),
        original.path.clone(),
        text,
        &Codebook::default_codebook().boilerplate,
    );
    assert_ne!(article.fingerprint, original.fingerprint);
    article
}

/// What `stance check` says about `file` against `article`.
fn findings(file: &AnnotationFile, article: &Article) -> Vec<Finding> {
    let path = PathBuf::from(format!("p/annotations/{}/alice.ron", article.id));
    check::validate_annotation(
        file,
        &ron_of(file),
        &path,
        article,
        &Codebook::default_codebook(),
    )
}

/// A file on seed 000 with claims on five body sentences spread over the article.
fn file_with_claims(article: &Article) -> AnnotationFile {
    let mut file = valid_file(article, "alice");
    for (phrase, id) in [
        ("Xi’s visit to Russia will be to promote peace", "c4"),
        ("Realistically speaking, the top priority", "c5"),
    ] {
        file.claims.push(claim_on_sentence(
            article,
            sentence_with(article, phrase),
            id,
        ));
    }
    file.sort_claims();
    assert_eq!(
        findings(&file, article),
        vec![],
        "the starting file is valid"
    );
    file
}

/// The byte offset of the start of the line holding `phrase`.
fn line_start(text: &str, phrase: &str) -> usize {
    let at = text.find(phrase).expect("phrase in text");
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

#[test]
fn paragraph_inserted_before_moves_every_claim() {
    let old = seed_article(SEED_000);
    let file = file_with_claims(&old);
    // Before the line of the first claim, so that every claim moves.
    let insert_at = line_start(&old.text, &file.claims[0].anchor.quote);
    let inserted = "Editor’s note: this article was updated on March 21. It adds a paragraph.\n\n";
    let text = format!(
        "{}{inserted}{}",
        &old.text[..insert_at],
        &old.text[insert_at..]
    );
    let new = changed(&old, &text);
    let added = (new.sentences.len() - old.sentences.len()) as u32;
    assert!(added > 0);

    let (out, report) = anchor::reanchored(&file, &new);
    assert!(report.fingerprint_updated, "{report}");
    assert_eq!(out.article.fingerprint, new.fingerprint);
    assert_eq!(report.orphans().count(), 0);
    assert_eq!(report.moved(), file.claims.len());
    for (before, after) in file.claims.iter().zip(&out.claims) {
        let (a, b) = (&before.anchor, &after.anchor);
        assert_eq!(after.id, before.id);
        assert_eq!(b.quote, a.quote);
        assert_eq!(b.start, a.start + inserted.len());
        assert_eq!((b.first, b.last), (a.first + added, a.last + added));
        assert_eq!(*b, Anchor::new(&new.text, b.first, b.last, b.start, b.end));
        // Codings are untouched.
        assert_eq!(after.stances, before.stances);
        assert_eq!(after.note, before.note);
    }
    let first = &report.claims[0];
    assert_eq!(
        first.outcome,
        Reanchored::Moved {
            from: file.claims[0].anchor.start..file.claims[0].anchor.end,
            to: out.claims[0].anchor.start..out.claims[0].anchor.end,
        }
    );
    assert_eq!(findings(&out, &new), vec![]);
    assert_eq!(report.to_string(), "5 claims: 5 moved");
}

#[test]
fn paragraph_deleted_orphans_its_claim_and_keeps_it() {
    let old = seed_article(SEED_000);
    let file = file_with_claims(&old);
    // Delete the paragraph holding c4 ("Xi’s visit to Russia will be to promote peace…").
    let start = line_start(&old.text, "Xi’s visit to Russia will be to promote peace");
    let end = start + old.text[start..].find("\n\n").expect("paragraph end") + 2;
    let deleted = end - start;
    let text = format!("{}{}", &old.text[..start], &old.text[end..]);
    let new = changed(&old, &text);

    let (out, report) = anchor::reanchored(&file, &new);
    assert_eq!(report.orphans().collect::<Vec<_>>(), vec!["c4"], "{report}");
    assert!(!report.fingerprint_updated);
    assert_eq!(out.article.fingerprint, file.article.fingerprint);
    for (i, (before, after)) in file.claims.iter().zip(&out.claims).enumerate() {
        let outcome = &report.claims[i].outcome;
        if before.id == "c4" {
            assert_eq!(after, before, "an orphan is kept exactly as it was");
        } else if before.anchor.start < start {
            assert_eq!(*outcome, Reanchored::Unchanged, "{}", before.id);
            assert_eq!(after.anchor, before.anchor);
        } else {
            assert_eq!(after.anchor.start, before.anchor.start - deleted);
            assert!(matches!(outcome, Reanchored::Moved { .. }), "{outcome:?}");
        }
    }
    assert!(report.to_string().ends_with("1 orphaned: c4"), "{report}");

    // Until the orphan is attached, check reports a stale file, not a broken one.
    let stale = findings(&out, &new);
    assert!(stale.iter().all(|f| !f.is_error()), "{stale:?}");

    // The coder attaches the orphan to the next sentence by hand; now the file is whole.
    let mut fixed = out.clone();
    let target = sentence_with(&new, "The Chinese government has never sold arms");
    let c4 = fixed
        .claims
        .iter()
        .position(|c| c.id == "c4")
        .expect("kept");
    let attached = anchor::attach(&fixed.claims[c4], &new, target, target).expect("attaches");
    assert_eq!(attached.anchor.quote, new.sentence_text(target));
    assert_eq!(attached.stances, file.claims[c4].stances);
    fixed.claims[c4] = attached;
    assert!(anchor::adopt_fingerprint(&mut fixed, &new));
    fixed.sort_claims();
    assert_eq!(findings(&fixed, &new), vec![]);

    let count = new.sentences.len();
    assert_eq!(
        anchor::attach(&fixed.claims[0], &new, 0, count as u32),
        Err(AttachError::NoSuchSentences {
            first: 0,
            last: count as u32,
            count
        })
    );
}

#[test]
fn sentence_rewritten_orphans_but_a_small_edit_is_followed() {
    let old = seed_article(SEED_000);
    let file = file_with_claims(&old);
    let c5 = file.claim("c5").expect("c5").anchor.quote.clone();

    // Rewritten: the quote is gone.
    let rewritten = "Above all, a ceasefire must come first, and the rest can wait for talks.";
    let new = changed(&old, &old.text.replacen(&c5, rewritten, 1));
    let (out, report) = anchor::reanchored(&file, &new);
    assert_eq!(report.orphans().collect::<Vec<_>>(), vec!["c5"], "{report}");
    assert_eq!(out.claim("c5"), file.claim("c5"));
    assert!(!report.fingerprint_updated);

    // One word changed: found again, with the new text and the old quote reported.
    let edited_quote = c5.replacen("top priority", "first priority", 1);
    let new = changed(&old, &old.text.replacen(&c5, &edited_quote, 1));
    let (out, report) = anchor::reanchored(&file, &new);
    let c5_report = report
        .claims
        .iter()
        .find(|c| c.id == "c5")
        .expect("reported");
    let Reanchored::Edited { old_quote, .. } = &c5_report.outcome else {
        panic!("expected an edited match: {report:?}");
    };
    assert_eq!(*old_quote, c5);
    assert_eq!(out.claim("c5").expect("c5").anchor.quote, edited_quote);
    assert!(report.fingerprint_updated);
    assert_eq!(report.edited(), 1);
    assert_eq!(findings(&out, &new), vec![]);
}

#[test]
fn duplicated_quote_is_resolved_by_context() {
    let old = seed_article(SEED_000);
    let title = "Why China’s Xi Jinping Is Visiting Russia";
    let hits: Vec<usize> = old.text.match_indices(title).map(|(i, _)| i).collect();
    assert_eq!(hits.len(), 3, "the seed repeats its title three times");
    // A claim on the third copy, the one just before the photo caption.
    let third = hits[2];
    let i = old.sentence_at(third).expect("sentence");
    let mut file = valid_file(&old, "alice");
    file.claims = vec![claim_on_sentence(&old, i, "t3")];

    // A paragraph inserted at the top pushes the third copy so far that the old offset is
    // now nearest the second copy: only the context can tell them apart.
    let inserted = format!("{}\n\n", "An editor’s note that is long enough. ".repeat(6));
    let new = changed(&old, &format!("{inserted}{}", old.text));
    let new_hits: Vec<usize> = new.text.match_indices(title).map(|(i, _)| i).collect();
    let nearest_to_old = new_hits
        .iter()
        .min_by_key(|h| h.abs_diff(third))
        .expect("hits");
    assert_ne!(
        *nearest_to_old, new_hits[2],
        "the test must defeat 'nearest'"
    );

    let (out, report) = anchor::reanchored(&file, &new);
    assert_eq!(out.claims[0].anchor.start, new_hits[2], "{report:?}");
    assert_eq!(
        report.claims[0].outcome,
        Reanchored::Moved {
            from: third..third + title.len(),
            to: new_hits[2]..new_hits[2] + title.len()
        }
    );
    assert!(report.fingerprint_updated);
    assert_eq!(findings(&out, &new), vec![]);
}

#[test]
fn reanchor_only_reports_and_the_saved_result_loads() {
    let old = seed_article(SEED_000);
    let file = file_with_claims(&old);
    let new = changed(&old, &format!("Breaking\n\n{}", old.text));
    assert_eq!(
        anchor::reanchor(&file, &new),
        anchor::reanchored(&file, &new).1
    );

    let (out, _) = anchor::reanchored(&file, &new);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("alice.ron");
    stance::core::storage::store::save_annotation(&path, &out).expect("save");
    let loaded =
        stance::core::storage::store::load_annotation(&path, &Codebook::default_codebook())
            .expect("loads");
    assert_eq!(loaded, out);
    assert!(Path::new(&path).exists());
}

#[test]
fn check_runs_the_reanchoring_and_names_the_claim_that_would_be_orphaned() {
    // A project whose article 000 lost the paragraph holding claim c4 and so moved the
    // claims after it, as an outlet's edit would.
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    let old = seed_article(SEED_000);
    let file = file_with_claims(&old);
    write_annotation(dir.path(), &file);
    let start = line_start(&old.text, "Xi’s visit to Russia will be to promote peace");
    let end = start + old.text[start..].find("\n\n").expect("paragraph end") + 2;
    let seed = dir.path().join("seeds").join(format!("{SEED_000}.txt"));
    std::fs::write(&seed, format!("{}{}", &old.text[..start], &old.text[end..])).expect("edit");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(["check", &dir.path().display().to_string()])
        .output()
        .expect("stance runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(out.status.code(), Some(0), "warnings only: {stdout}");
    let line = |id: &str| {
        stdout
            .lines()
            .find(|l| l.contains(&format!("claim `{id}`: anchor")))
            .unwrap_or_else(|| panic!("no line about {id}: {stdout}"))
            .to_owned()
    };
    let c4 = line("c4");
    assert!(c4.contains(": warning: "), "{c4}");
    assert!(c4.contains("the claim will be orphaned"), "{c4}");
    assert!(!c4.contains("will be re-anchored"), "{c4}");
    // c5 comes after the deleted paragraph: found again, and where.
    let c5 = line("c5");
    assert!(c5.contains("it will be re-anchored there"), "{c5}");
    let new = changed(&old, &std::fs::read_to_string(&seed).expect("read"));
    let at = sentence_with(&new, "Realistically speaking, the top priority");
    assert!(c5.contains(&format!("(sentence {})", at + 1)), "{c5}");
    // The file-level line sums it up, naming the orphan.
    assert!(
        stdout.contains("opening it in stance re-anchors the claims (")
            && stdout.contains("1 orphaned: c4"),
        "{stdout}"
    );
}
