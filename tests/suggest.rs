//! `stance suggest` end to end: text and JSON suggestions, and `--evaluate` on the repository's
//! pilot codings; provenance of accepted suggestions in saved files.

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use helpers::{REPO, SEED_001, claim_on_sentence, copy_dir, seed_article, write_annotation};
use stance::core::model::annotation::{AnnotationFile, CodebookRef, Origin, SpeakerRef};
use stance::core::model::codebook::Codebook;
use stance::core::project::Project;
use stance::core::storage::store;
use stance::core::suggest::evaluate::evaluate;
use stance::core::suggest::{Suggester, accept};

fn stance(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("stance runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn repo_project() -> Project {
    Project::open(Path::new(REPO))
        .expect("the repo project opens")
        .0
}

#[test]
fn evaluate_on_the_pilot_prints_precision_and_recall_per_annotator() {
    let out = stance(Path::new(REPO), &["suggest", "--evaluate", "."]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    let header = text
        .lines()
        .find(|l| l.starts_with("annotator"))
        .expect("a table header");
    for column in ["precision", "recall", "speaker", "source"] {
        assert!(header.contains(column), "{header}");
    }
    // The table shows what the core computes, row by row.
    let (eval, problems) = evaluate(&repo_project());
    assert!(problems.is_empty(), "{problems:?}");
    assert!(eval.annotators.contains_key("amira") && eval.annotators.contains_key("jonas"));
    let rows = eval
        .annotators
        .iter()
        .map(|(n, t)| (n.as_str(), t))
        .chain([("pooled", &eval.pooled)]);
    for (name, t) in rows {
        let row = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{text}"));
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cells[2], t.suggested.to_string(), "{row}");
        assert_eq!(cells[3], t.claimed.to_string(), "{row}");
        assert_eq!(
            cells[5],
            format!("{:.3}", t.precision().expect("some suggested"))
        );
        assert_eq!(
            cells[6],
            format!("{:.3}", t.recall().expect("some claimed"))
        );
        assert_eq!(cells[7], format!("{}/{}", t.speaker_right, t.both));
        assert_eq!(cells[9], format!("{}/{}", t.source_right, t.both));
    }
    // Pooled is the sum of the annotators.
    let claimed: usize = eval.annotators.values().map(|t| t.claimed).sum();
    assert_eq!(eval.pooled.claimed, claimed);
    assert_eq!(eval.articles.len(), 3, "the pilot has three coded articles");
    // A floor under the quality the pilot shows, so a change that breaks the suggestions
    // fails here rather than in a coder's lap.
    let p = eval.pooled;
    assert!(p.precision() >= Some(0.8), "{p:?}");
    assert!(p.recall() >= Some(0.6), "{p:?}");
    assert!(p.speaker_accuracy() >= Some(0.75), "{p:?}");
    assert!(p.source_accuracy() >= Some(0.75), "{p:?}");
}

#[test]
fn evaluate_json_parses_and_agrees_with_the_table() {
    let out = stance(
        Path::new(REPO),
        &["suggest", "--evaluate", ".", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let (eval, _) = evaluate(&repo_project());
    let pooled = &v["pooled"];
    assert_eq!(pooled["both"], eval.pooled.both);
    assert_eq!(pooled["suggested"], eval.pooled.suggested);
    let precision = pooled["precision"].as_f64().expect("a number");
    assert!((precision - eval.pooled.precision().expect("defined")).abs() < 1e-12);
    assert_eq!(
        v["annotators"]["amira"]["claimed"],
        eval.annotators["amira"].claimed
    );
}

#[test]
fn json_suggestions_parse_and_carry_text_speaker_cue_and_reasons() {
    let out = stance(Path::new(REPO), &["suggest", ".", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let articles = v.as_array().expect("an array of articles");
    assert_eq!(articles.len(), repo_project().articles.len());
    let a001 = articles
        .iter()
        .find(|a| a["article"] == SEED_001)
        .expect("article 001");
    let text = fs::read_to_string(
        Path::new(REPO)
            .join("seeds")
            .join(format!("{SEED_001}.txt")),
    )
    .expect("seed");
    let suggestions = a001["suggestions"].as_array().expect("suggestions");
    for s in suggestions {
        let (start, end) = (
            s["start"].as_u64().expect("start") as usize,
            s["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(s["text"], text[start..end], "text is the article's bytes");
        assert!(!s["reasons"].as_array().expect("reasons").is_empty());
        assert!(s.get("stances").is_none(), "no stances are suggested");
    }
    let kirby = suggestions
        .iter()
        .find(|s| {
            s["text"]
                .as_str()
                .is_some_and(|t| t.contains("We don't support calls"))
        })
        .expect("the Kirby quote is suggested");
    assert_eq!(kirby["speaker"], "john-kirby");
    assert_eq!(kirby["speaker_in_registry"], true);
    assert_eq!(kirby["cue"]["text"], "told reporters");
    let cue_start = kirby["cue"]["start"].as_u64().expect("cue start") as usize;
    assert_eq!(
        &text[cue_start..cue_start + "told reporters".len()],
        "told reporters"
    );
    assert_eq!(kirby["source"], "official");
}

#[test]
fn text_output_for_one_article_lists_reasons() {
    let out = stance(Path::new(REPO), &["suggest", ".", "--article", SEED_001]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(SEED_001), "{text}");
    assert!(
        text.contains("why: mentions 'ceasefire'; quote + 'told reporters' + name 'John Kirby'"),
        "{text}"
    );
    let n = Suggester::new(&Codebook::default_codebook())
        .suggest(&seed_article(SEED_001))
        .len();
    assert_eq!(text.matches("why: ").count(), n);
    assert!(text.trim_end().ends_with("in 1 article"), "{text}");
}

#[test]
fn an_unknown_article_is_an_error_with_a_hint() {
    let out = stance(Path::new(REPO), &["suggest", ".", "--article", "nope"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no article `nope`"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("hint:"));
    assert!(stdout(&out).is_empty());
}

#[test]
fn evaluate_without_codings_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    let out = stance(dir.path(), &["suggest", "--evaluate", "."]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no coder's annotation files"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn accepted_suggestions_keep_provenance_and_are_not_the_reference() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    let cb = Codebook::default_codebook();
    let article = seed_article(SEED_001);
    let suggestions = Suggester::new(&cb).suggest(&article);
    // A coder accepts every suggestion and adds one claim by hand.
    let mut file = AnnotationFile::new(
        article.reference(),
        CodebookRef {
            id: cb.id.clone(),
            version: cb.version,
        },
        "sam",
    );
    file.claims = suggestions.iter().map(|s| accept(s, &article)).collect();
    let manual_sentence = 4;
    file.claims
        .push(claim_on_sentence(&article, manual_sentence, "manual0001"));
    file.sort_claims();
    let path = write_annotation(dir.path(), &file);

    let saved = fs::read_to_string(&path).expect("saved");
    assert_eq!(
        saved.matches("origin: Suggested(").count(),
        suggestions.len(),
        "{saved}"
    );
    let back = store::load_annotation(&path, &cb).expect("the file loads back");
    assert_eq!(back, file);
    let kirby = back
        .claims
        .iter()
        .find(|c| c.speaker == Some(SpeakerRef::Registry("john-kirby".into())))
        .expect("Kirby's claim");
    assert!(
        matches!(&kirby.origin, Origin::Suggested { reasons } if reasons.contains("told reporters"))
    );

    // Only the hand-made claim is the reference.
    let project = Project::open(dir.path()).expect("opens").0;
    let (eval, problems) = evaluate(&project);
    assert!(problems.is_empty(), "{problems:?}");
    let sam = eval.annotators["sam"];
    assert_eq!(sam.claimed, 1);
    assert_eq!(sam.both, 0, "sentence {manual_sentence} mentions no target");
    assert_eq!(sam.recall(), Some(0.0));
}

#[test]
fn pilot_files_stay_byte_identical_with_provenance_in_the_model() {
    let project = repo_project();
    let mut checked = 0;
    for article in &project.articles {
        for (_, path) in project.annotation_files(&article.id) {
            let bytes = fs::read_to_string(&path).expect("readable");
            let file = store::load_annotation(&path, &project.codebook).expect("loads");
            assert!(file.claims.iter().all(|c| c.origin == Origin::Manual));
            assert_eq!(store::to_ron(&file).expect("serialises"), bytes, "{path:?}");
            checked += 1;
        }
    }
    assert!(checked >= 6, "only {checked} pilot files");
}
