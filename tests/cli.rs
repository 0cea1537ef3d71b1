//! The `stance` binary end to end: exit codes, output formats and files written.

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use helpers::{
    REPO, SEED_000, copy_repo_project, line_of, line_of_after, ron_of, seed_article, time,
    valid_file, write_annotation, write_raw,
};
use stance::core::model::annotation::{
    Anchor, AnnotationFile, Claim, CodebookRef, Cue, Origin, SpeakerRef, Status,
};
use stance::core::model::codebook::Codebook;
use stance::core::project;

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

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn check_passes_on_a_copy_of_the_repo_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_repo_project(dir.path());
    let out = stance(dir.path(), &["check", "."]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    let summary = text.lines().last().expect("a summary line");
    assert!(summary.starts_with("0 errors, "), "{text}");
    // Every article and annotation file was read (and the project codebook, if any).
    let articles = project::article_paths(dir.path()).len();
    let annotations = fs::read_dir(dir.path().join("annotations"))
        .expect("annotations")
        .flatten()
        // Article folders (`annotations/.gitignore` sits beside them).
        .filter(|d| d.path().is_dir())
        .map(|d| {
            fs::read_dir(d.path())
                .expect("folder")
                .flatten()
                .filter(|f| {
                    let name = f.file_name().to_string_lossy().into_owned();
                    f.path().extension().is_some_and(|e| e == "ron")
                        && name.matches('.').count() == 1
                })
                .count()
        })
        .sum::<usize>();
    let codebook = usize::from(dir.path().join("codebook.ron").exists());
    assert!(articles >= 5 && annotations >= 2);
    assert!(
        summary.ends_with(&format!(" in {} files", articles + annotations + codebook)),
        "{summary}"
    );
}

#[test]
fn check_reports_a_broken_anchor_with_its_position_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_repo_project(dir.path());
    let article = seed_article(SEED_000);
    let mut file = valid_file(&article, "alice");
    file.claims[1].anchor.end = article.text.len() + 1;
    write_annotation(dir.path(), &file);

    let out = stance(dir.path(), &["check", "."]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = ron_of(&file);
    let line = line_of_after(&text, line_of(&text, "id: \"c2\""), "start:");
    let col = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find("start:"))
        .expect("col")
        + 1;
    let expected =
        format!("annotations/{SEED_000}/alice.ron:{line}:{col}: error: claim `c2`: anchor bytes ");
    let report = stdout(&out);
    assert!(
        report
            .lines()
            .any(|l| l.starts_with(&expected) && l.contains("out of range")),
        "expected a line starting {expected:?} in:\n{report}"
    );
    assert!(
        report
            .lines()
            .last()
            .expect("summary")
            .starts_with("1 error, "),
        "{report}"
    );
}

#[test]
fn check_reports_a_syntax_error_and_keeps_going() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_repo_project(dir.path());
    let text = ron_of(&valid_file(&seed_article(SEED_000), "alice"));
    write_raw(
        dir.path(),
        SEED_000,
        "alice",
        text.replacen("status: Done", "status: Finished", 1)
            .as_bytes(),
    );
    write_raw(dir.path(), SEED_000, "bob", b"");
    let root = dir.path().display().to_string();
    // From outside the project, with --project: paths are shown as given.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let out = stance(elsewhere.path(), &["--project", &root, "check"]);
    assert_eq!(code(&out), 1);
    let report = stdout(&out);
    let line = line_of(&text, "status:");
    let alice = format!("{root}/annotations/{SEED_000}/alice.ron:{line}:13: error: ");
    let bob = format!("{root}/annotations/{SEED_000}/bob.ron:1:1: error: the file is empty");
    assert!(
        report
            .lines()
            .any(|l| l.starts_with(&alice) && l.contains("Finished")),
        "{report}"
    );
    assert!(report.lines().any(|l| l.starts_with(&bob)), "{report}");
    assert!(report.contains("2 errors, 0 warnings in "), "{report}");
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["check", "--bogus"][..],
        &["export"],
        &["export", "--format", "xml"],
        &["segment"],
        &["no-such-command"],
    ] {
        let out = stance(dir.path(), args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr(&out).starts_with("error: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let help = stance(dir.path(), &["--help"]);
    assert_eq!(code(&help), 0);
    for sub in ["check", "segment", "export", "migrate"] {
        assert!(stdout(&help).contains(sub), "{sub} in help");
    }
}

#[test]
fn migrate_renames_a_label_and_a_dry_run_writes_nothing() {
    use stance::core::model::codebook::{LabelChange, LabelKind, Migration};
    let dir = tempfile::tempdir().expect("temp dir");
    helpers::copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    // Version 2 of the codebook renames the stance `against` to `oppose`.
    let mut cb = Codebook::default_codebook();
    cb.version = 2;
    cb.stances
        .iter_mut()
        .find(|l| l.id == "against")
        .expect("against")
        .id = "oppose".into();
    cb.migrations.push(Migration {
        from: 1,
        to: 2,
        changes: vec![LabelChange::Rename {
            kind: LabelKind::Stance,
            from: "against".into(),
            to: "oppose".into(),
        }],
    });
    fs::write(
        dir.path().join("codebook.ron"),
        stance::core::storage::store::to_ron(&cb).expect("codebook serialises"),
    )
    .expect("write codebook");
    let file = valid_file(&seed_article(SEED_000), "alice"); // codebook version 1, uses `against`
    let path = write_annotation(dir.path(), &file);
    let before = fs::read_to_string(&path).expect("read");

    let dry = stance(dir.path(), &["migrate", ".", "--dry-run"]);
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("1 of 1 file would be migrated"),
        "{}",
        stdout(&dry)
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), before);

    let out = stance(dir.path(), &["migrate", "."]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 of 1 file migrated"),
        "{}",
        stdout(&out)
    );
    let after = fs::read_to_string(&path).expect("read");
    assert!(
        after.contains("\"oppose\"") && !after.contains("\"against\""),
        "{after}"
    );
    assert!(after.contains("version: 2"), "{after}");
    let check = stance(dir.path(), &["check", "."]);
    assert_eq!(code(&check), 0, "{}{}", stdout(&check), stderr(&check));
}

#[cfg(not(feature = "gui"))]
#[test]
fn no_subcommand_without_the_window_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = stance(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("`gui` feature"), "{}", stderr(&out));
    // Outside a project a headless build points to `stance init`, never to a window it lacks.
    assert!(stderr(&out).contains("stance init DIR"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("from the window"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// segment

/// Undoes `segment`'s escaping of backslashes, tabs and line breaks.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                other => panic!("bad escape \\{other:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn segment_lists_sentences_with_ranges_that_slice_the_file() {
    let rel = format!("seeds/{SEED_000}.txt");
    let out = stance(Path::new(REPO), &["segment", &rel]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = fs::read_to_string(Path::new(REPO).join(&rel)).expect("seed");
    let text = stdout(&out);
    let mut last_end = 0;
    let mut last_para = 0;
    let mut count = 0;
    for (i, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "{line:?}");
        // Sentences and paragraphs count from 1, as the window counts them (issue 13.14).
        assert_eq!(cols[0], format!("s{}", i + 1));
        let para: u32 = cols[1]
            .strip_prefix('p')
            .expect("p")
            .parse()
            .expect("number");
        assert!(para >= last_para, "{line:?}");
        let (a, b) = cols[2].split_once("..").expect("range");
        let (a, b): (usize, usize) = (a.parse().expect("start"), b.parse().expect("end"));
        assert!(last_end <= a && a < b && b <= file.len(), "{line:?}");
        assert_eq!(file[a..b], unescape(cols[4]), "{line:?}");
        assert!(
            cols[3].is_empty() || cols[3].starts_with("[skip:"),
            "{line:?}"
        );
        (last_end, last_para) = (b, para);
        count += 1;
    }
    assert!(count > 20, "{count} sentences");
    let first: Vec<&str> = text.lines().next().expect("line").split('\t').collect();
    assert_eq!((first[0], first[1], first[2]), ("s1", "p1", "0..10"));
    assert_eq!(first[4], "The Debate");
    let second: Vec<&str> = text.lines().nth(1).expect("line").split('\t').collect();
    assert_eq!((second[0], second[1], second[2]), ("s2", "p2", "12..55"));
    assert_eq!(second[4], "Why China’s Xi Jinping Is Visiting Russia");

    let json = stance(Path::new(REPO), &["segment", &rel, "--json"]);
    assert_eq!(code(&json), 0);
    let objects: Vec<serde_json::Value> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(objects.len(), count);
    assert_eq!(objects[1]["start"], 12);
    assert_eq!(objects[1]["end"], 55);
    // `sentence` and `paragraph` as people count them; `index` as the files' `first`/`last`.
    assert_eq!(objects[1]["sentence"], 2);
    assert_eq!(objects[1]["index"], 1);
    assert_eq!(objects[1]["paragraph"], 2);
    assert_eq!(
        objects[1]["text"],
        "Why China’s Xi Jinping Is Visiting Russia"
    );
}

#[test]
fn segment_of_a_missing_file_fails_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = stance(dir.path(), &["segment", "nope.txt"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("nope.txt: cannot read"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// export

/// A project whose article and notes hold commas, quotes, tabs and line breaks.
fn tricky_project() -> (tempfile::TempDir, Vec<AnnotationFile>) {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("seeds")).expect("seeds");
    let text = fs::read_to_string(Path::new(REPO).join("tests/fixtures/tricky_article.txt"))
        .expect("fixture");
    let path = dir.path().join("seeds/tricky.txt");
    fs::write(&path, &text).expect("write");
    let article = project::load_article(&path, &Codebook::default_codebook()).expect("article");
    let cb = Codebook::default_codebook();
    let book = CodebookRef {
        id: cb.id.clone(),
        version: cb.version,
    };
    let sentence = |phrase: &str| helpers::sentence_with(&article, phrase);
    let range = |first: u32, last: u32| article.sentences_range(first, last).expect("range");

    let envoy = sentence("The envoy said");
    let r = range(envoy, envoy);
    let said = text.find("said").expect("said");
    let mut alice = AnnotationFile::new(article.reference(), book.clone(), "alice");
    alice.status = Status::Done;
    alice.claims.push(Claim {
        id: "c1".into(),
        anchor: Anchor::new(&text, envoy, envoy, r.start, r.end),
        speaker: Some(SpeakerRef::New("Li, \"Wei\" Jr.".into())),
        cue: Some(Cue {
            start: said,
            end: said + 4,
            text: "said".into(),
        }),
        stances: [("ceasefire".to_owned(), "favor".to_owned())].into(),
        source: Some("direct-quote".into()),
        unsure: false,
        note: "comma, \"quote\"\nsecond line, ‘curly’".into(),
        origin: Origin::Manual,
        created: time("2024-03-01T10:00:00Z"),
        modified: time("2024-03-01T10:30:00Z"),
    });
    // A claim across a paragraph break: its quote holds blank lines and a tab.
    let (first, last) = (sentence("Analysts, however"), sentence("A line with a tab"));
    let r = range(first, last);
    alice.claims.push(Claim {
        id: "c2".into(),
        anchor: Anchor::new(&text, first, last, r.start, r.end),
        speaker: Some(SpeakerRef::Registry("john-kirby".into())),
        cue: None,
        stances: [
            ("ceasefire".to_owned(), "unclear".to_owned()),
            ("mediation".to_owned(), "against".to_owned()),
        ]
        .into(),
        source: None,
        unsure: true,
        note: String::new(),
        origin: Origin::Manual,
        created: time("2024-03-01T11:00:00Z"),
        modified: time("2024-03-01T11:00:00Z"),
    });
    let title = sentence("Talks");
    let r = range(title, title);
    let mut bob = AnnotationFile::new(article.reference(), book, "Bob_Smith");
    bob.claims.push(Claim {
        id: "b1".into(),
        anchor: Anchor::new(&text, title, title, r.start, r.end),
        speaker: None,
        cue: None,
        stances: BTreeMap::new(),
        source: None,
        unsure: false,
        note: String::new(),
        origin: Origin::Manual,
        created: time("2024-03-02T09:00:00Z"),
        modified: time("2024-03-02T09:00:00Z"),
    });
    // Focused coding time the window recorded: the export gives it, not wall-clock spans.
    alice.time.article = 1234;
    alice.time.claims.insert("a1".into(), 87);
    for f in [&alice, &bob] {
        write_annotation(dir.path(), f);
    }
    // Row order is article, annotator, start: "Bob_Smith" sorts before "alice".
    (dir, vec![bob, alice])
}

/// The expected exported values of every claim, in row order, written out independently of
/// the exporter.
fn expected_rows(files: &[AnnotationFile]) -> Vec<BTreeMap<&'static str, String>> {
    let cb = Codebook::default_codebook();
    let mut rows = Vec::new();
    for f in files {
        for c in &f.claims {
            let (speaker, speaker_name) = match &c.speaker {
                None => (String::new(), String::new()),
                Some(SpeakerRef::Registry(id)) => {
                    (id.clone(), cb.speaker(id).expect("known").name.clone())
                }
                // Issue 13.18: the `new:` prefix import needs.
                Some(SpeakerRef::New(n)) => (format!("new:{n}"), n.clone()),
            };
            let stance = |t: &str| c.stances.get(t).cloned().unwrap_or_default();
            rows.push(BTreeMap::from([
                ("article", f.article.id.clone()),
                ("annotator", f.annotator.clone()),
                (
                    "status",
                    match f.status {
                        Status::Done => "done",
                        Status::InProgress => "in-progress",
                    }
                    .to_owned(),
                ),
                ("claim_id", c.id.clone()),
                // Issue 13.14: counted from 1, as the window counts.
                ("first_sentence", (c.anchor.first + 1).to_string()),
                ("last_sentence", (c.anchor.last + 1).to_string()),
                ("start", c.anchor.start.to_string()),
                ("end", c.anchor.end.to_string()),
                ("quote", c.anchor.quote.clone()),
                ("speaker", speaker),
                ("speaker_name", speaker_name),
                (
                    "cue",
                    c.cue.as_ref().map(|q| q.text.clone()).unwrap_or_default(),
                ),
                ("stance_ceasefire", stance("ceasefire")),
                ("stance_mediation", stance("mediation")),
                ("source_type", c.source.clone().unwrap_or_default()),
                ("unsure", c.unsure.to_string()),
                ("note", c.note.clone()),
                (
                    "created",
                    c.created.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                ),
                (
                    "modified",
                    c.modified.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                ),
                (
                    "origin",
                    if c.origin.is_manual() {
                        "manual"
                    } else {
                        "suggested"
                    }
                    .to_owned(),
                ),
                ("claim_seconds", f.time.claim(&c.id).to_string()),
                ("article_seconds", f.time.article.to_string()),
            ]));
        }
    }
    rows
}

#[test]
fn export_csv_parses_back_to_the_same_values() {
    let (dir, files) = tricky_project();
    let out = stance(dir.path(), &["export", ".", "--format", "csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("3 claims from 2 files"),
        "{}",
        stderr(&out)
    );

    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let expected = expected_rows(&files);
    let mut columns: Vec<&str> = expected[0].keys().copied().collect();
    columns.sort_unstable();
    let mut got_columns: Vec<&str> = header.iter().map(String::as_str).collect();
    got_columns.sort_unstable();
    assert_eq!(got_columns, columns);

    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), expected.len());
    for (record, want) in records.iter().zip(&expected) {
        let got: BTreeMap<&str, String> = header
            .iter()
            .map(|h| {
                let key = *columns.iter().find(|c| *c == h).expect("known column");
                (
                    key,
                    record[header.iter().position(|x| x == h).expect("col")].to_owned(),
                )
            })
            .collect();
        assert_eq!(&got, want);
    }
}

#[test]
fn export_jsonl_parses_back_to_the_same_values() {
    let (dir, files) = tricky_project();
    let out = stance(
        dir.path(),
        &["export", "--format", "jsonl", "--project", "."],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let expected = expected_rows(&files);
    assert_eq!(lines.len(), expected.len());
    for (v, want) in lines.iter().zip(&expected) {
        for (key, value) in want {
            let got = if let Some(target) = key.strip_prefix("stance_") {
                &v["stances"][target]
            } else {
                &v[*key]
            };
            let got = match got {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(&got, value, "{key}");
        }
        // Stances nest, with every codebook target present.
        assert_eq!(v["stances"].as_object().expect("object").len(), 2);
    }
}

#[test]
fn export_out_writes_the_file_and_nothing_to_stdout() {
    let (dir, _) = tricky_project();
    let piped = stance(dir.path(), &["export", "--format", "csv"]);
    let out = stance(
        dir.path(),
        &["export", "--format", "csv", "--out", "claims.csv"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("to claims.csv"), "{}", stderr(&out));
    let written = fs::read(dir.path().join("claims.csv")).expect("written");
    assert_eq!(written, piped.stdout);
    // Only the export: no temp file left next to it.
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["annotations", "claims.csv", "seeds"]);
}

#[test]
fn export_skips_unreadable_files_and_says_so() {
    let (dir, _) = tricky_project();
    write_raw(dir.path(), "tricky", "carol", b"(format: 1,");
    let out = stance(dir.path(), &["export", "--format", "jsonl"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stdout(&out).lines().count(),
        3,
        "the readable files are exported"
    );
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.starts_with("annotations/tricky/carol.ron:1:") && l.ends_with("(skipped)")),
        "{err}"
    );
    assert!(err.contains("1 file skipped"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// import

/// Issue 13.18: export dropped the `new:` prefix import needs for speakers outside the
/// registry, and import could not read the export at all. Export → import gives the same
/// claims back: ids, spans, speakers, cues, stances, notes with commas, quotes and line breaks,
/// times and status.
#[test]
fn issue13_18_export_import_round_trip() {
    let (dir, files) = tricky_project();
    let out = stance(
        dir.path(),
        &["export", ".", "--format", "csv", "--out", "claims.csv"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let fresh = tempfile::tempdir().expect("temp dir");
    helpers::copy_dir(&dir.path().join("seeds"), &fresh.path().join("seeds"));
    let table = dir.path().join("claims.csv");
    for original in &files {
        let out = stance(
            fresh.path(),
            &[
                "import",
                table.to_str().expect("UTF-8 path"),
                "--annotator",
                &original.annotator,
                ".",
            ],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let path =
            project::annotation_path(fresh.path(), &original.article.id, &original.annotator)
                .expect("path");
        let back =
            stance::core::storage::store::load_annotation(&path, &Codebook::default_codebook())
                .expect("imported file loads");
        assert_eq!(back.status, original.status, "{}", original.annotator);
        assert_eq!(back.article, original.article);
        let mut want = original.claims.clone();
        want.sort_by(|a, b| a.id.cmp(&b.id));
        let mut got = back.claims.clone();
        got.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(got, want, "{}", original.annotator);
    }
    // Exported again, the imported project gives the same table.
    let again = stance(fresh.path(), &["export", ".", "--format", "csv"]);
    assert_eq!(stdout(&again), fs::read_to_string(&table).expect("export"));
}

/// Issue 13.18: an annotator name with a space is refused by import (as by the window and
/// the CLI), with the one-word form suggested; nothing is written.
#[test]
fn issue13_18_import_refuses_annotator_names_with_spaces() {
    let dir = tempfile::tempdir().expect("temp dir");
    helpers::copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    fs::write(
        dir.path().join("codes.tsv"),
        format!(
            "article\tfirst\tlast\tspeaker\tsource\tunsure\tnote\n{SEED_000}\t12\t12\tauthor\tauthor\tno\t-\n"
        ),
    )
    .expect("write table");
    let out = stance(
        dir.path(),
        &["import", "codes.tsv", "--annotator", "Bob Smith", "."],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("use `Bob-Smith` instead"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("annotations").exists());
}

#[test]
fn import_writes_files_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    helpers::copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    let table = dir.path().join("codes.tsv");
    fs::write(
        &table,
        format!(
            "article\tfirst\tlast\tspeaker\tceasefire\tmediation\tsource\tunsure\tnote\n{SEED_000}\t12\t12\tauthor\t-\tfavor\tauthor\tno\tclear\n"
        ),
    )
    .expect("write table");
    let out = stance(
        dir.path(),
        &["import", "codes.tsv", "--annotator", "amira", "."],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let path = project::annotation_path(dir.path(), SEED_000, "amira").expect("path");
    let file = stance::core::storage::store::load_annotation(&path, &Codebook::default_codebook())
        .expect("imported file loads");
    assert_eq!(file.claims.len(), 1);
    // Sentence 12 as people count it is the file's index 11 (issue 13.14).
    assert_eq!(file.claims[0].anchor.first, 11);
    assert_eq!(file.status, Status::Done);
    let again = stance(
        dir.path(),
        &["import", "codes.tsv", "--annotator", "amira", "."],
    );
    assert_eq!(code(&again), 1);
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    fs::write(
        &table,
        "article\tfirst\tlast\tspeaker\tsource\tunsure\tnote\nnope\t1\t1\t-\t-\tno\t-\n",
    )
    .expect("write table");
    let bad = stance(
        dir.path(),
        &["import", "codes.tsv", "--annotator", "ben", "."],
    );
    assert_eq!(code(&bad), 1);
    assert!(
        stderr(&bad).contains("codes.tsv:2:1: no article `nope`"),
        "{}",
        stderr(&bad)
    );
}

// ---------------------------------------------------------------------------------------------
// numbering

/// Issue 13.14: the window counts sentences from 1, `segment`, `suggest` and `export` counted
/// from 0. Every output people read now names John Kirby's sentence of article 001 (index 13
/// in the annotation files) `s14`, as the window's status bar does.
#[test]
fn issue13_14_one_sentence_numbering_for_people() {
    use helpers::SEED_001;
    let article = helpers::seed_article(SEED_001);
    let kirby = helpers::sentence_with(&article, "John Kirby, spokesperson");
    assert_eq!(kirby, 13, "the files' 0-based index");
    let shown = format!("s{}", kirby + 1);

    let seg = stance(
        Path::new(REPO),
        &["segment", &format!("seeds/{SEED_001}.txt")],
    );
    let line = stdout(&seg)
        .lines()
        .find(|l| l.contains("John Kirby, spokesperson"))
        .expect("Kirby's sentence")
        .to_owned();
    assert!(line.starts_with(&format!("{shown}\t")), "{line}");

    let sug = stance(Path::new(REPO), &["suggest", "--article", SEED_001]);
    assert!(
        stdout(&sug)
            .lines()
            .any(|l| l.starts_with(&format!("  {shown} ")) && l.contains("john-kirby")),
        "{}",
        stdout(&sug)
    );

    let export = stance(Path::new(REPO), &["export", ".", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(export.stdout.as_slice());
    let header = reader.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let row = reader
        .records()
        .map(|r| r.expect("row"))
        .find(|r| {
            r[col("quote")].starts_with("John Kirby, spokesperson")
                && &r[col("annotator")] == "amira"
        })
        .expect("amira's Kirby claim");
    assert_eq!(&row[col("first_sentence")], "14");

    let review = stance(
        Path::new(REPO),
        &["review", &format!("annotations/{SEED_001}"), "--list"],
    );
    assert!(
        stdout(&review)
            .lines()
            .any(
                |l| l.trim_start().starts_with(&format!("{shown}: ")) && l.contains("john-kirby")
                    || l.trim_start().starts_with(&format!("{shown}: agree"))
            ),
        "{}",
        stdout(&review)
    );
}

// ---------------------------------------------------------------------------------------------
// check: merges left behind

/// Issue 13.7: `stance check` was silent about `<<merge conflict>>` markers and about two
/// claims of one annotator on the same sentences that contradict each other (an add/add merge
/// leaves them). Both are warnings; `--strict` makes them errors, so CI catches them.
#[test]
fn issue13_7_check_warns_about_merge_leftovers_and_strict_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    helpers::copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    helpers::copy_dir(
        &Path::new(REPO).join("annotations"),
        &dir.path().join("annotations"),
    );
    let clean = stance(dir.path(), &["check", ".", "--strict"]);
    assert_eq!(code(&clean), 0, "the pilot is clean: {}", stdout(&clean));

    let path = project::annotation_path(dir.path(), helpers::SEED_001, "amira").expect("path");
    let cb = Codebook::default_codebook();
    let mut file = stance::core::storage::store::load_annotation(&path, &cb).expect("loads");
    let marker = stance::core::storage::merge::MergeConflict {
        claim: Some(file.claims[0].id.clone()),
        field: "stance ceasefire".into(),
        ours: "favor".into(),
        theirs: "against".into(),
    }
    .marker();
    file.claims[0].note = marker;
    let mut twin = file.claims[1].clone();
    twin.id = "twin000001".into();
    let target = twin.stances.keys().next().expect("a coded target").clone();
    let flipped = if twin.stances[&target] == "favor" {
        "against"
    } else {
        "favor"
    };
    twin.stances.insert(target.clone(), flipped.into());
    file.claims.push(twin);
    file.sort_claims();
    stance::core::storage::store::save_annotation(&path, &file).expect("save");

    let out = stance(dir.path(), &["check", "."]);
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "warnings only: {text}");
    assert!(
        text.lines().any(|l| l.contains(": warning: claim `")
            && l.contains(
                "unresolved merge conflict: stance ceasefire: ours=favor theirs=against"
            )),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.contains(": warning: claims `")
            && l.contains("twin000001")
            && l.contains(&format!("contradict each other (stance on {target}"))),
        "{text}"
    );
    let strict = stance(dir.path(), &["check", ".", "--strict"]);
    assert_eq!(code(&strict), 1, "{}", stdout(&strict));
    assert!(
        stdout(&strict).contains(": error: claim `"),
        "{}",
        stdout(&strict)
    );
}

// ---------------------------------------------------------------------------------------------
// no project here

/// Issue 13.4: without a project, `stance` used the folder it was built in (`stance check`
/// in an empty folder checked the source tree). Every command that needs a project now says
/// there is none here and how to make one, and exits 2; it reads nothing elsewhere.
#[test]
fn issue13_4_no_project_here_exits_2_with_how_to_make_one() {
    let empty = tempfile::tempdir().expect("temp dir");
    fs::write(empty.path().join("table.tsv"), "article\tfirst\n").expect("write");
    for args in [
        vec!["check"],
        vec!["export", "--format", "csv"],
        vec!["migrate", "--dry-run"],
        vec!["suggest"],
        vec!["agree", "--bootstrap", "0"],
        vec!["import", "table.tsv", "--annotator", "zoe"],
        vec!["status"],
        vec!["queue", "--annotator", "zoe"],
        vec!["sync", "--annotator", "zoe"],
    ] {
        let out = stance(empty.path(), &args);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{args:?}: {err}");
        assert!(
            err.starts_with("stance: no project here: "),
            "{args:?}: {err}"
        );
        assert!(err.contains("hint: to make one"), "{args:?}: {err}");
        assert!(err.contains("stance init DIR"), "{args:?}: {err}");
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
        assert!(
            !stdout(&out).contains("seeds") && !err.contains(REPO),
            "{args:?} looked at the build folder"
        );
    }
    assert!(!empty.path().join("annotations").exists());
    // The repository is a project: run from it, commands still find it (`cargo run`).
    let here = stance(Path::new(REPO), &["check"]);
    assert_eq!(code(&here), 0, "{}", stdout(&here));
    // `--project` names one from anywhere.
    let named = stance(empty.path(), &["--project", REPO, "check"]);
    assert_eq!(code(&named), 0, "{}", stdout(&named));
}

/// `stance review --list` with no PATH lists the current folder's project, like every other
/// command; outside a project it says so, with how to make one.
#[test]
fn review_list_without_a_path_uses_the_current_project() {
    let here = stance(Path::new(REPO), &["review", "--list"]);
    assert_eq!(code(&here), 0, "{}", stderr(&here));
    let named = stance(Path::new(REPO), &["review", ".", "--list"]);
    assert_eq!(stdout(&here), stdout(&named));
    assert!(
        stdout(&here).contains(helpers::SEED_001),
        "{}",
        stdout(&here)
    );
    let empty = tempfile::tempdir().expect("temp dir");
    let outside = stance(empty.path(), &["review", "--list"]);
    assert_eq!(code(&outside), 2);
    assert!(
        stderr(&outside).contains("stance init DIR"),
        "{}",
        stderr(&outside)
    );
}

/// Issue 13.5: temp files of killed saves (`.NAME.PID.tmp`, up to megabytes each) were removed
/// only by the window. Every command that writes into a project removes the dead ones.
#[test]
fn issue13_5_writing_commands_remove_stale_temps() {
    let dir = tempfile::tempdir().expect("temp dir");
    helpers::copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    helpers::copy_dir(
        &Path::new(REPO).join("annotations"),
        &dir.path().join("annotations"),
    );
    let folder = dir.path().join("annotations").join(helpers::SEED_001);
    let dead = folder.join(".amira.ron.4000000000.tmp");
    let live = folder.join(format!(".amira.ron.{}.tmp", std::process::id()));
    for (args, writes) in [
        (vec!["check", "."], false),
        (vec!["migrate", "."], true),
        (vec!["import", "codes.tsv", "--annotator", "zoe", "."], true),
    ] {
        fs::write(&dead, "half a save").expect("write");
        fs::write(&live, "a save in progress").expect("write");
        fs::write(
            dir.path().join("codes.tsv"),
            format!(
                "article\tfirst\tlast\tspeaker\tsource\tunsure\tnote\n{SEED_000}\t12\t12\tauthor\tauthor\tno\t-\n"
            ),
        )
        .expect("write");
        let _ =
            fs::remove_file(project::annotation_path(dir.path(), SEED_000, "zoe").expect("path"));
        let out = stance(dir.path(), &args);
        assert_eq!(code(&out), 0, "{args:?}: {}{}", stdout(&out), stderr(&out));
        assert_eq!(!dead.exists(), writes, "{args:?}");
        assert!(live.exists(), "{args:?}: a live process may be saving it");
    }
}

/// Issue 13.14: the pilot's tables (`docs/pilot/*.tsv`, sentences counted from 1 like every
/// table people write) import to exactly the claims of the pilot's annotation files, as the
/// pilot's README says.
#[test]
fn issue13_14_pilot_tables_import_to_the_pilot_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    helpers::copy_dir(&Path::new(REPO).join("seeds"), &dir.path().join("seeds"));
    for coder in ["amira", "jonas"] {
        let table = Path::new(REPO).join(format!("docs/pilot/{coder}.tsv"));
        let out = stance(
            dir.path(),
            &[
                "import",
                table.to_str().expect("UTF-8"),
                "--annotator",
                coder,
                ".",
            ],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let cb = Codebook::default_codebook();
    let shape = |c: &stance::core::model::annotation::Claim| {
        (
            c.anchor.clone(),
            c.speaker.clone(),
            c.stances.clone(),
            c.source.clone(),
            c.unsure,
            c.note.clone(),
        )
    };
    let mut compared = 0;
    for (article, coder) in project::walk::annotations(Path::new(REPO))
        .locations()
        .into_iter()
        .map(|l| (l.article, l.annotator))
    {
        let load = |root: &Path| {
            let path = project::annotation_path(root, &article, &coder).expect("path");
            let f = stance::core::storage::store::load_annotation(&path, &cb).expect("loads");
            // Claims on the same span are ordered by their (new) ids: compare as sets.
            let mut claims: Vec<String> =
                f.claims.iter().map(|c| format!("{:?}", shape(c))).collect();
            claims.sort();
            claims
        };
        assert_eq!(load(dir.path()), load(Path::new(REPO)), "{article} {coder}");
        compared += 1;
    }
    assert_eq!(compared, 6);
}
