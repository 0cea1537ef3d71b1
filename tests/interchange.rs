//! Other tools' formats through the command line: articles in (`import-articles`), annotations
//! out and back in (`export-annotations`, `import-annotations`) for brat standoff, WebAnno TSV
//! 3.3 and Label Studio JSON, on a text full of what offsets get wrong (é, Chinese names, an
//! emoji, a no-break space), and files written by hand from each format's specification.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use stance::core::model::annotation::{
    Anchor, AnnotationFile, Claim, CodebookRef, Cue, Origin, SpeakerRef, Status,
};
use stance::core::model::codebook::Codebook;
use stance::core::project;
use stance::core::storage::store;
use stance::core::text::corpus::Article;

fn stance(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("stance runs")
}

fn text_of(o: &[u8]) -> String {
    String::from_utf8(o.to_vec()).expect("UTF-8")
}

fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        text_of(&o.stdout),
        text_of(&o.stderr)
    );
    text_of(&o.stdout)
}

const ID: &str = "001_tricky";
/// Accents, Chinese names, an emoji (two UTF-16 units, four bytes) and a no-break space.
const TEXT: &str = "Talks in Moscow\n\nWang Yi (王毅) said the ceasefire “must come first” 😊.\u{a0}Sergey Lavrov agreed, café owners cheered.\n\nPeskov said nothing about mediation.\n";

fn article(text: &str) -> Article {
    Article::new(
        ID.into(),
        PathBuf::from(format!("{ID}.txt")),
        text,
        &Codebook::default_codebook().boilerplate,
    )
}

fn span(a: &Article, phrase: &str) -> (usize, usize) {
    let s = a.text.find(phrase).expect("phrase");
    (s, s + phrase.len())
}

fn claim(a: &Article, id: &str, (start, end): (usize, usize)) -> Claim {
    let (first, last) = a.sentences_overlapping(&(start..end)).expect("sentences");
    let t = "2024-03-01T10:00:00Z".parse().expect("time");
    Claim {
        id: id.into(),
        anchor: Anchor::new(&a.text, first, last, start, end),
        speaker: None,
        cue: None,
        stances: std::collections::BTreeMap::new(),
        source: None,
        unsure: false,
        note: String::new(),
        origin: Origin::Manual,
        created: t,
        modified: t,
    }
}

/// Three claims: a whole sentence with every field set, a span inside it (stacked on it),
/// and one across a paragraph break.
fn tricky_file(a: &Article) -> AnnotationFile {
    let cb = Codebook::default_codebook();
    let mut f = AnnotationFile::new(
        a.reference(),
        CodebookRef {
            id: cb.id.clone(),
            version: cb.version,
        },
        "amira",
    );
    f.status = Status::Done;
    let mut c1 = claim(
        a,
        "c1whole",
        span(a, "Wang Yi (王毅) said the ceasefire “must come first” 😊."),
    );
    c1.speaker = Some(SpeakerRef::New("王毅 Wáng Yì".into()));
    c1.stances = [
        ("ceasefire".to_owned(), "favor".to_owned()),
        ("mediation".to_owned(), "neutral".to_owned()),
    ]
    .into();
    c1.source = Some("direct-quote".into());
    let (s, e) = span(a, "said");
    c1.cue = Some(Cue {
        start: s,
        end: e,
        text: "said".into(),
    });
    c1.note = "two lines\nwith | pipes _ [brackets] * stars ; -> arrows \\ and\ttabs".into();
    c1.origin = Origin::Suggested {
        reasons: "mentions 'ceasefire'".into(),
    };
    let mut c2 = claim(a, "c2span", span(a, "“must come first” 😊"));
    c2.speaker = Some(SpeakerRef::Registry("wang-yi".into()));
    c2.stances = [("ceasefire".to_owned(), "favor".to_owned())].into();
    c2.unsure = true;
    let mut c3 = claim(
        a,
        "c3across",
        span(
            a,
            "Sergey Lavrov agreed, café owners cheered.\n\nPeskov said nothing about mediation.",
        ),
    );
    c3.stances = [("mediation".to_owned(), "against".to_owned())].into();
    c3.source = Some("paraphrase".into());
    c3.speaker = Some(SpeakerRef::Registry("kremlin".into()));
    f.claims = vec![c1, c2, c3];
    f.sort_claims();
    f
}

/// A project with the tricky article and, if given, amira's file on it.
fn project(dir: &Path, text: &str, file: Option<&AnnotationFile>) -> PathBuf {
    fs::create_dir_all(dir.join("seeds")).expect("seeds");
    fs::write(dir.join("seeds").join(format!("{ID}.txt")), text).expect("article");
    if let Some(f) = file {
        let path = project::annotation_path(dir, ID, "amira").expect("path");
        fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        store::save_annotation(&path, f).expect("save");
    }
    dir.to_owned()
}

fn imported(root: &Path) -> AnnotationFile {
    let path = project::annotation_path(root, ID, "amira").expect("path");
    store::load_annotation(&path, &Codebook::default_codebook()).expect("imported file loads")
}

/// Exports amira's file in `format` and imports it into a project without annotations.
fn round_trip(format: &str, files: &[&str]) -> (AnnotationFile, AnnotationFile, String) {
    let dir = tempfile::tempdir().expect("temp");
    let a = article(TEXT);
    let original = tricky_file(&a);
    let src = project(&dir.path().join("src"), TEXT, Some(&original));
    let dst = project(&dir.path().join("dst"), TEXT, None);
    ok(&stance(
        dir.path(),
        &[
            "export-annotations",
            "src",
            "--format",
            format,
            "--out",
            "out",
        ],
    ));
    let mut args = vec!["--project", "dst", "import-annotations"];
    args.extend(files);
    let out = ok(&stance(dir.path(), &args));
    let _ = src;
    (original, imported(&dst), out)
}

/// The claims' codings compared field by field; `ids`: whether the format keeps claim ids.
fn assert_same_claims(
    original: &AnnotationFile,
    got: &AnnotationFile,
    ids: bool,
    cues: bool,
    reasons: bool,
) {
    assert_eq!(got.claims.len(), original.claims.len(), "{got:#?}");
    assert_eq!(got.article, original.article, "same text: same fingerprint");
    for (o, g) in original.claims.iter().zip(&got.claims) {
        assert_eq!(g.anchor, o.anchor, "{}", o.id);
        assert_eq!(g.speaker, o.speaker, "{}", o.id);
        assert_eq!(g.stances, o.stances, "{}", o.id);
        assert_eq!(g.source, o.source, "{}", o.id);
        assert_eq!(g.unsure, o.unsure, "{}", o.id);
        assert_eq!(g.note, o.note, "{}", o.id);
        if ids {
            assert_eq!(g.id, o.id);
        }
        if cues {
            assert_eq!(g.cue, o.cue, "{}", o.id);
        }
        match (&o.origin, reasons) {
            (Origin::Suggested { .. }, false) => assert_eq!(
                g.origin,
                Origin::Suggested {
                    reasons: String::new()
                }
            ),
            _ => assert_eq!(g.origin, o.origin, "{}", o.id),
        }
    }
}

#[test]
fn brat_export_then_import_gives_the_same_claims() {
    let (original, got, out) = round_trip("brat", &["out/amira/001_tricky.ann"]);
    assert!(out.contains("3 claims"), "{out}");
    assert_same_claims(&original, &got, false, true, false);
    assert_eq!(got.annotator, "amira");
}

#[test]
fn webanno_export_then_import_gives_the_same_claims() {
    let (original, got, _) = round_trip("webanno", &["out/001_tricky/amira.tsv"]);
    assert_same_claims(&original, &got, true, false, true);
}

#[test]
fn label_studio_export_then_import_gives_the_same_claims() {
    let (original, got, _) = round_trip("label-studio", &["out/tasks.json"]);
    assert_same_claims(&original, &got, true, false, false);
    assert_eq!(
        (got.created, got.modified),
        (original.created, original.modified)
    );
}

#[test]
fn brat_offsets_count_code_points_and_claims_across_lines_are_fragments() {
    let dir = tempfile::tempdir().expect("temp");
    let a = article(TEXT);
    project(dir.path(), TEXT, Some(&tricky_file(&a)));
    ok(&stance(
        dir.path(),
        &[
            "export-annotations",
            ".",
            "--format",
            "brat",
            "--out",
            "out",
        ],
    ));
    let ann = fs::read_to_string(dir.path().join("out/amira/001_tricky.ann")).expect("ann");
    let cp = |phrase: &str| TEXT[..TEXT.find(phrase).expect("phrase")].chars().count();
    let (start, end) = (cp("“must"), cp(".\u{a0}Sergey"));
    assert!(
        ann.contains(&format!("Claim {start} {end}\t“must come first” 😊")),
        "{ann}"
    );
    let (line1, end1) = (cp("Sergey"), cp("\n\nPeskov"));
    let (line2, end2) = (cp("Peskov"), TEXT.trim_end().chars().count());
    assert!(
        ann.contains(&format!("Claim {line1} {end1};{line2} {end2}\tSergey")),
        "{ann}"
    );
    assert!(
        ann.contains("N1\tReference T1 Speaker:new\t王毅 Wáng Yì"),
        "{ann}"
    );
    assert!(dir.path().join("out/annotation.conf").is_file());
    assert_eq!(
        fs::read_to_string(dir.path().join("out/amira/001_tricky.txt")).expect("txt"),
        TEXT
    );
}

#[test]
fn webanno_offsets_count_utf16_units() {
    let dir = tempfile::tempdir().expect("temp");
    let a = article(TEXT);
    project(dir.path(), TEXT, Some(&tricky_file(&a)));
    ok(&stance(
        dir.path(),
        &[
            "export-annotations",
            ".",
            "--format",
            "webanno",
            "--out",
            "out",
        ],
    ));
    let tsv = fs::read_to_string(dir.path().join("out/001_tricky/amira.tsv")).expect("tsv");
    let u16 = |phrase: &str| {
        TEXT[..TEXT.find(phrase).expect("phrase")]
            .encode_utf16()
            .count()
    };
    let emoji = u16("😊");
    assert!(
        tsv.contains(&format!("\t{emoji}-{}\t😊\t", emoji + 2)),
        "{tsv}"
    );
    assert!(tsv.starts_with("#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Claim|claimid|note|origin|source|speaker|stance_ceasefire|stance_mediation|unsure\n\n\n#Text=Talks in Moscow\n"), "{tsv}");
    // The note's reserved characters are escaped; the stacked claims carry ids.
    assert!(
        tsv.contains(r"with \| pipes \_ \[brackets\] \* stars \; \-> arrows \\ and\ttabs"),
        "{tsv}"
    );
    assert!(tsv.contains("favor[1]|favor[2]"), "{tsv}");
}

/// Imports the export of the original text into a project whose article was edited: a
/// paragraph added before the claims, and the last sentence rewritten.
fn reanchor_case(format: &str, file: &str) {
    let dir = tempfile::tempdir().expect("temp");
    let a = article(TEXT);
    project(&dir.path().join("src"), TEXT, Some(&tricky_file(&a)));
    let edited = TEXT
        .replace(
            "Talks in Moscow\n\n",
            "Talks in Moscow\n\nA new first paragraph.\n\n",
        )
        .replace(
            "Peskov said nothing about mediation.",
            "Dmitry Peskov declined to comment on any of it.",
        );
    let dst = project(&dir.path().join("dst"), &edited, None);
    ok(&stance(
        dir.path(),
        &[
            "export-annotations",
            "src",
            "--format",
            format,
            "--out",
            "out",
        ],
    ));
    let out = ok(&stance(
        dir.path(),
        &["--project", "dst", "import-annotations", file],
    ));
    assert!(out.contains("re-anchored"), "{out}");
    assert!(out.contains("1 claim could not be anchored"), "{out}");
    let got = imported(&dst);
    assert_eq!(got.claims.len(), 3, "orphans are kept");
    let new = article(&edited);
    let found: Vec<&Claim> = got
        .claims
        .iter()
        .filter(|c| new.text.get(c.anchor.start..c.anchor.end) == Some(c.anchor.quote.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{got:#?}");
    assert!(
        found
            .iter()
            .any(|c| c.anchor.quote.starts_with("Wang Yi (王毅)"))
    );
    // Until the orphan is attached the file keeps the text it was coded on.
    assert_ne!(got.article.fingerprint, new.fingerprint);
    let check = stance(&dst, &["check"]);
    assert!(
        text_of(&check.stdout).contains(ID),
        "{}",
        text_of(&check.stdout)
    );
}

#[test]
fn brat_import_onto_an_edited_article_reanchors_and_reports_orphans() {
    reanchor_case("brat", "out/amira/001_tricky.ann");
}

#[test]
fn label_studio_import_onto_an_edited_article_reanchors_and_reports_orphans() {
    reanchor_case("label-studio", "out/tasks.json");
}

#[test]
fn webanno_import_onto_an_edited_article_reanchors_and_reports_orphans() {
    reanchor_case("webanno", "out/001_tricky/amira.tsv");
}

#[test]
fn import_refuses_to_overwrite_and_writes_nothing_on_error() {
    let dir = tempfile::tempdir().expect("temp");
    let a = article(TEXT);
    let root = project(dir.path(), TEXT, Some(&tricky_file(&a)));
    ok(&stance(
        &root,
        &["export-annotations", "--format", "brat", "--out", "out"],
    ));
    let before = fs::read(project::annotation_path(&root, ID, "amira").expect("p")).expect("read");
    let o = stance(&root, &["import-annotations", "out/amira/001_tricky.ann"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text_of(&o.stderr).contains("exists; nothing was written (use --force"),
        "{}",
        text_of(&o.stderr)
    );
    // A bad label in a second file stops the whole import.
    fs::create_dir_all(root.join("in/bea")).expect("dir");
    fs::copy(
        root.join("out/amira/001_tricky.txt"),
        root.join("in/bea/001_tricky.txt"),
    )
    .expect("copy");
    fs::write(
        root.join("in/bea/001_tricky.ann"),
        "T1\tClaim 0 15\tTalks in Moscow\nA1\tSource T1 rumour\n",
    )
    .expect("ann");
    let o = stance(
        &root,
        &[
            "import-annotations",
            "--force",
            "out/amira/001_tricky.ann",
            "in/bea/001_tricky.ann",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text_of(&o.stderr).contains("in/bea/001_tricky.ann:2:14: T1: unknown source type `rumour`"),
        "{}",
        text_of(&o.stderr)
    );
    assert_eq!(
        fs::read(project::annotation_path(&root, ID, "amira").expect("p")).expect("read"),
        before
    );
    assert!(!root.join("annotations/001_tricky/bea.ron").exists());
}

// ---------------------------------------------------------------------------------------------
// Files written by hand from each format's public specification

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/interchange")
}

/// A project holding the fixture article.
fn fixture_project(dir: &Path) -> PathBuf {
    let text = fs::read_to_string(fixtures().join("001_fixture.txt")).expect("fixture article");
    fs::create_dir_all(dir.join("seeds")).expect("seeds");
    fs::write(dir.join("seeds/001_fixture.txt"), text).expect("article");
    dir.to_owned()
}

fn load(root: &Path, annotator: &str) -> AnnotationFile {
    let path = project::annotation_path(root, "001_fixture", annotator).expect("path");
    store::load_annotation(&path, &Codebook::default_codebook()).expect("loads")
}

fn quotes(f: &AnnotationFile) -> Vec<&str> {
    f.claims.iter().map(|c| c.anchor.quote.as_str()).collect()
}

#[test]
fn brat_fixture_from_the_standoff_specification_imports() {
    let dir = tempfile::tempdir().expect("temp");
    let root = fixture_project(dir.path());
    let ann = fixtures().join("brat/lena/001_fixture.ann");
    let out = ok(&stance(
        &root,
        &["import-annotations", ann.to_str().expect("path")],
    ));
    assert!(out.contains("2 claims"), "{out}");
    let f = load(&root, "lena");
    assert_eq!(
        quotes(&f),
        ["Wang Yi (王毅) said talks 😊 help.", "Others disagreed."]
    );
    assert_eq!(
        f.claims[0].speaker,
        Some(SpeakerRef::Registry("wang-yi".into()))
    );
    assert_eq!(
        f.claims[0].stances.get("mediation").map(String::as_str),
        Some("favor")
    );
    assert_eq!(
        f.claims[0].cue.as_ref().map(|c| c.text.as_str()),
        Some("said")
    );
    assert_eq!(f.claims[1].note, "no speaker named");
    assert!(f.claims[1].unsure);
    let warn = text_of(
        &stance(
            &root,
            &["import-annotations", "--force", ann.to_str().expect("path")],
        )
        .stderr,
    );
    assert!(
        warn.contains("entity type `Person` has no place in Stance"),
        "{warn}"
    );
}

#[test]
fn webanno_fixture_from_the_tsv_specification_imports() {
    let dir = tempfile::tempdir().expect("temp");
    let root = fixture_project(dir.path());
    let tsv = fixtures().join("webanno/001_fixture.txt/lena.tsv");
    ok(&stance(
        &root,
        &["import-annotations", tsv.to_str().expect("path")],
    ));
    let f = load(&root, "lena");
    assert_eq!(
        quotes(&f),
        [
            "Wang Yi (王毅) said talks 😊 help.",
            "😊 help",
            "Others disagreed."
        ]
    );
    assert_eq!(f.claims[0].source.as_deref(), Some("direct-quote"));
    assert_eq!(f.claims[1].note, "emoji [sic] | kept");
    assert_eq!(f.claims[2].speaker, Some(SpeakerRef::New("Li Na".into())));
}

#[test]
fn label_studio_fixture_from_the_task_format_imports() {
    let dir = tempfile::tempdir().expect("temp");
    let root = fixture_project(dir.path());
    let json = fixtures().join("labelstudio/tasks.json");
    let out = ok(&stance(
        &root,
        &["import-annotations", json.to_str().expect("path")],
    ));
    assert!(
        out.contains("lena.ron") && out.contains("omar.ron"),
        "{out}"
    );
    let f = load(&root, "lena");
    assert_eq!(quotes(&f), ["Wang Yi (王毅) said talks 😊 help."]);
    assert_eq!(
        f.claims[0].stances.get("ceasefire").map(String::as_str),
        Some("against")
    );
    assert_eq!(
        f.claims[0].speaker,
        Some(SpeakerRef::Registry("wang-yi".into()))
    );
    let g = load(&root, "omar");
    assert_eq!(quotes(&g), ["Others disagreed."]);
    assert_eq!(g.claims[0].source.as_deref(), Some("anonymous"));
}

// ---------------------------------------------------------------------------------------------
// Articles in

#[test]
fn import_articles_takes_text_html_docx_and_news_exports() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("p");
    fs::create_dir_all(root.join("seeds")).expect("seeds");
    let f = fixtures();
    let files = [
        "article.html",
        "nexis_export.txt",
        "factiva_export.txt",
        "plain.txt",
        "article.docx",
    ]
    .map(|n| f.join(n).to_string_lossy().into_owned());
    let mut args = vec!["import-articles"];
    args.extend(files.iter().map(String::as_str));
    args.push("p");
    let out = ok(&stance(dir.path(), &args));
    assert!(out.contains("7 articles imported"), "{out}");
    let mut ids: Vec<String> = fs::read_dir(root.join("seeds"))
        .expect("seeds")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| Path::new(n).extension().is_some_and(|e| e == "txt"))
        .collect();
    ids.sort();
    assert_eq!(ids.len(), 7);
    for (n, id) in ids.iter().enumerate() {
        assert!(id.starts_with(&format!("{n:03}_")), "{ids:?}");
        let stem = id.trim_end_matches(".txt");
        let text = fs::read_to_string(root.join("seeds").join(id)).expect("text");
        assert_eq!(
            stem.split_once('_').expect("NNN_hash").1,
            &stance::core::text::corpus::fingerprint(text.as_bytes())["sha256:".len()..][..16]
        );
        assert!(
            root.join("seeds")
                .join(format!("{stem}.source.ron"))
                .is_file()
        );
    }
    let html = fs::read_to_string(root.join("seeds").join(&ids[0])).expect("html article");
    assert!(
        html.starts_with("Xi’s visit conveys great significance\n\n"),
        "{html}"
    );
    assert!(
        !html.contains("Subscribe") && !html.contains("Advertisement") && !html.contains("Home"),
        "{html}"
    );
    let check = stance(&root, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text_of(&check.stdout));
    // Importing again adds nothing.
    let again = ok(&stance(dir.path(), &args));
    assert!(again.contains("0 articles imported"), "{again}");
}

/// Issue 16: `stance check` validates the sidecars that article imports write: a broken one is
/// an error at its line:column, one without its article a warning, one linked out of the
/// project an error (and it is not read).
#[test]
fn check_validates_source_sidecars() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("p");
    fs::create_dir_all(root.join("seeds")).expect("seeds");
    let html = fixtures().join("article.html");
    ok(&stance(
        dir.path(),
        &["import-articles", &html.to_string_lossy(), "p"],
    ));
    let sidecar = fs::read_dir(root.join("seeds"))
        .expect("seeds")
        .filter_map(|e| Some(e.ok()?.path()))
        .find(|p| p.to_string_lossy().ends_with(".source.ron"))
        .expect("a sidecar");
    let check = stance(&root, &["check", "--strict"]);
    assert_eq!(check.status.code(), Some(0), "{}", text_of(&check.stdout));
    let good = fs::read_to_string(&sidecar).expect("sidecar");

    // Truncated: an error with its position; the rest is still checked.
    fs::write(&sidecar, &good[..good.len() / 2]).expect("write");
    let check = stance(&root, &["check"]);
    let out = text_of(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{out}");
    let name = sidecar.file_name().expect("name").to_string_lossy();
    assert!(
        out.lines()
            .any(|l| l.contains(&*name) && l.contains(": error: ") && !l.contains(":1:1:")),
        "{out}"
    );

    // A sidecar whose article is gone: a warning.
    fs::write(&sidecar, &good).expect("write");
    fs::write(root.join("seeds/999_gone.source.ron"), &good).expect("write");
    let check = stance(&root, &["check"]);
    let out = text_of(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{out}");
    assert!(
        out.contains("999_gone.source.ron:1:1: warning: source sidecar of an unknown article"),
        "{out}"
    );
    fs::remove_file(root.join("seeds/999_gone.source.ron")).expect("rm");

    // Linked out of the project: refused, never read.
    let outside = tempfile::tempdir().expect("temp");
    let target = outside.path().join("elsewhere.source.ron");
    fs::write(&target, &good).expect("write");
    fs::remove_file(&sidecar).expect("rm");
    std::os::unix::fs::symlink(&target, &sidecar).expect("link");
    let check = stance(&root, &["check"]);
    let out = text_of(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(out.contains("points outside the project"), "{out}");
}
