//! The catalogue of hostile and broken inputs in `tests/bad_inputs/`, run case by case.
//!
//! `tests/bad_inputs/expected.ron` lists every file with the role it plays in a project (an
//! annotation file, the codebook, an article) and the error it must give, with its line:col
//! where one applies. For each case the file is put in a fresh project and then:
//! - its loader refuses it with that message and position, without panicking;
//! - `stance check` reports the same error for that file;
//! - a coding session on the project, asked to edit and save, writes nothing;
//! - the project and a folder beside it hash the same before and after, so nothing was
//!   overwritten and nothing was written outside the project.
//!
//! Inputs that cannot be committed (a file over the size limit, a symlink leading out of the
//! project) are made at test time; unsafe names are a table in this file.
//!
//! The committed files derive from one valid file; `regenerate_catalogue` (ignored) rewrites
//! the generated ones after a format change: `cargo test --test bad_inputs -- --ignored`.

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use helpers::{REPO, SEED_000, SEED_001, ron_of, seed_article, sentence_with, valid_file};
use stance::core::check::{self, Finding, Severity};
use stance::core::model::annotation::Status;
use stance::core::model::codebook::Codebook;
use stance::core::project;
use stance::core::storage::store::{self, LoadError, MAX_FILE_BYTES, Pos};
use stance::session::{CodeCommand as Command, Session};

/// The catalogue folder.
fn catalogue() -> PathBuf {
    Path::new(REPO).join("tests/bad_inputs")
}

/// Where a case's file goes in the project.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
enum Role {
    /// `annotations/<seed 000>/alice.ron`, refused by the loader.
    Annotation,
    /// `annotations/<seed 000>/alice.ron`, loads but `stance check` finds an error (anchors).
    CheckedAnnotation,
    /// `codebook.ron`.
    Codebook,
    /// `seeds/<file stem>.txt`.
    Article,
    /// Another tool's annotations (brat `.ann`, WebAnno `.tsv`, Label Studio `.json`) for
    /// seed 000 by `lena`, refused by `stance import-annotations`.
    ForeignAnnotations,
    /// A file given to `stance import-articles`, refused.
    ImportedArticle,
}

/// One row of `expected.ron`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The file in `tests/bad_inputs/`.
    file: String,
    /// What it is in the project.
    role: Role,
    /// Text the error message must contain.
    error: String,
    /// Where the error must point, as (line, col), when it points anywhere.
    at: Option<(usize, usize)>,
}

fn cases() -> Vec<Case> {
    let path = catalogue().join("expected.ron");
    let text = fs::read_to_string(&path).expect("read expected.ron");
    store::parse_ron(&path, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// A sandbox holding a project with seeds 000 and 001 and, beside it, an `outside` folder
/// with a file of its own, so writes outside the project would show in the hash.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let seeds = dir.path().join("project/seeds");
        fs::create_dir_all(&seeds).expect("seeds");
        for id in [SEED_000, SEED_001] {
            let name = format!("{id}.txt");
            fs::copy(Path::new(REPO).join("seeds").join(&name), seeds.join(&name)).expect("copy");
        }
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside).expect("outside");
        fs::write(outside.join("secret.ron"), "not a stance file\n").expect("secret");
        Self { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    fn outside(&self) -> PathBuf {
        self.dir.path().join("outside")
    }

    /// Every path under the sandbox with its content's hash (or its link target).
    fn hash(&self) -> BTreeMap<PathBuf, String> {
        let mut out = BTreeMap::new();
        hash_into(self.dir.path(), self.dir.path(), &mut out);
        out
    }
}

fn hash_into(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
    for entry in fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        let rel = path.strip_prefix(base).expect("under base").to_owned();
        let meta = fs::symlink_metadata(&path).expect("metadata");
        if meta.file_type().is_symlink() {
            let target = fs::read_link(&path).expect("link");
            out.insert(rel, format!("link -> {}", target.display()));
        } else if meta.is_dir() {
            out.insert(rel, "dir".into());
            hash_into(base, &path, out);
        } else {
            // Sparse test files are large; their length and a prefix say enough.
            let mut h = Sha256::new();
            if meta.len() <= MAX_FILE_BYTES {
                h.update(fs::read(&path).expect("read"));
            }
            out.insert(rel, format!("{} bytes {:x}", meta.len(), h.finalize()));
        }
    }
}

/// Puts `bytes` where `role` says; returns the path.
fn place(root: &Path, role: Role, file: &str, bytes: &[u8]) -> PathBuf {
    let path = match role {
        Role::Annotation | Role::CheckedAnnotation => {
            project::annotation_path(root, SEED_000, "alice").expect("safe names")
        }
        Role::Codebook => root.join(project::CODEBOOK_FILE),
        Role::ForeignAnnotations | Role::ImportedArticle => unreachable!("run_import places them"),
        Role::Article => {
            let stem = Path::new(file).file_stem().expect("stem");
            root.join("seeds").join(stem).with_extension("txt")
        }
    };
    fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    fs::write(&path, bytes).expect("place");
    path
}

/// The loader for `role`, as the app calls it.
fn load(role: Role, path: &Path) -> Result<(), LoadError> {
    let codebook = Codebook::default_codebook();
    match role {
        Role::Annotation | Role::CheckedAnnotation => {
            store::load_annotation(path, &codebook).map(drop)
        }
        Role::Codebook => project::load_codebook_file(path).map(drop),
        Role::Article | Role::ForeignAnnotations | Role::ImportedArticle => {
            project::load_article(path, &codebook).map(drop)
        }
    }
}

/// A coder opens the project, edits and saves. Returns why edits were refused, if they were.
fn edit_and_save(root: &Path) -> Option<String> {
    let mut session = match Session::open(root, "alice") {
        Ok(s) => s,
        Err(e) => return Some(e.to_string()),
    };
    let refused = session.document().read_only.clone();
    session.handle(Command::MakeClaim);
    session.handle(Command::SetStatus(Status::Done));
    session.handle(Command::Save);
    session.flush();
    refused
}

/// Checks a loader's error against the case.
fn check_error(case: &Case, path: &Path, e: &LoadError) -> Result<(), String> {
    if !e.message().contains(&case.error) {
        return Err(format!("message {:?} lacks {:?}", e.message(), case.error));
    }
    if let Some((line, col)) = case.at
        && e.pos() != (Pos { line, col })
    {
        return Err(format!("error at {}, expected {line}:{col}: {e}", e.pos()));
    }
    if e.path() != path {
        return Err(format!("error names {} not the file", e.path().display()));
    }
    Ok(())
}

/// Runs an import case: the file comes from outside the project (`incoming/`, laid out as
/// the format lays out files), the import refuses it, and nothing changes anywhere.
fn run_import(case: &Case, bytes: &[u8]) -> Result<(), String> {
    use stance::core::interchange::foreign::{ImportOptions, into_annotation};
    use stance::core::interchange::{articles, brat, labelstudio, webanno};
    let sandbox = Sandbox::new();
    let root = sandbox.root();
    let incoming = sandbox.dir.path().join("incoming");
    let ext = Path::new(&case.file)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let path = match (case.role, ext) {
        (Role::ForeignAnnotations, "ann") => incoming.join("lena").join(format!("{SEED_000}.ann")),
        (Role::ForeignAnnotations, "tsv") => incoming.join(SEED_000).join("lena.tsv"),
        _ => incoming.join(&case.file),
    };
    fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    fs::write(&path, bytes).expect("place");
    if ext == "ann" {
        fs::copy(
            Path::new(REPO)
                .join("seeds")
                .join(format!("{SEED_000}.txt")),
            path.with_extension("txt"),
        )
        .expect("brat text");
    }
    let before = sandbox.hash();
    let result = if case.role == Role::ImportedArticle {
        articles::import_articles(&root, std::slice::from_ref(&path)).map(drop)
    } else {
        (|| {
            let (project, _) = project::Project::open(&root)?;
            let docs = match ext {
                "ann" => vec![brat::read(&path)?],
                "tsv" => vec![webanno::read(&path)?],
                _ => labelstudio::read(&path)?,
            };
            for d in docs {
                into_annotation(&d, &project, &ImportOptions::default())?;
            }
            Ok(())
        })()
    };
    match result {
        Ok(()) => return Err("the import accepted it".into()),
        Err(e) => check_error(case, &path, &e)?,
    }
    if sandbox.hash() != before {
        return Err("the import changed files".into());
    }
    Ok(())
}

/// Runs one case; returns what went wrong, if anything.
fn run(case: &Case, bytes: &[u8]) -> Result<(), String> {
    if matches!(case.role, Role::ForeignAnnotations | Role::ImportedArticle) {
        return run_import(case, bytes);
    }
    let sandbox = Sandbox::new();
    let root = sandbox.root();
    let path = place(&root, case.role, &case.file, bytes);
    let before = sandbox.hash();

    let loaded = load(case.role, &path);
    let finding = match (case.role, loaded) {
        (Role::CheckedAnnotation, Ok(())) => None,
        (Role::CheckedAnnotation, Err(e)) => return Err(format!("should load, but: {e}")),
        (_, Ok(())) => return Err("the loader accepted it".into()),
        (_, Err(e)) => {
            if !e.message().contains(&case.error) {
                return Err(format!("message {:?} lacks {:?}", e.message(), case.error));
            }
            if let Some((line, col)) = case.at
                && e.pos() != (Pos { line, col })
            {
                return Err(format!("error at {}, expected {line}:{col}: {e}", e.pos()));
            }
            if e.path() != path {
                return Err(format!("error names {} not the file", e.path().display()));
            }
            Some(Finding::from(&e))
        }
    };

    let findings = check::check_project(&root);
    let relevant: Vec<&Finding> = findings.iter().filter(|f| f.path == path).collect();
    let Some(reported) = relevant.iter().find(|f| f.message.contains(&case.error)) else {
        return Err(format!("stance check does not report it: {findings:?}"));
    };
    if reported.severity != Severity::Error {
        return Err(format!("stance check calls it a {}", reported.severity));
    }
    if let Some((line, col)) = case.at
        && reported.pos != (Pos { line, col })
    {
        return Err(format!("check points at {}: {reported}", reported.pos));
    }
    if let Some(f) = finding
        && !relevant.iter().any(|r| r.message.starts_with(&f.message))
    {
        return Err(format!("check and loader disagree: {f} / {relevant:?}"));
    }

    if case.role != Role::CheckedAnnotation {
        let refused = edit_and_save(&root);
        if case.role == Role::Annotation && refused.is_none() {
            return Err("the session opened the file for editing".into());
        }
        let mut after = sandbox.hash();
        if case.role == Role::Article {
            // The other articles can still be coded: alice's new file for one is legitimate.
            after.retain(|p, _| before.contains_key(p) || !p.starts_with("project/annotations"));
        }
        if after != before {
            return Err(format!("files changed: {}", diff(&before, &after)));
        }
    }
    Ok(())
}

fn diff(a: &BTreeMap<PathBuf, String>, b: &BTreeMap<PathBuf, String>) -> String {
    let mut out = Vec::new();
    for (k, v) in a {
        if b.get(k) != Some(v) {
            out.push(format!("{} changed or removed", k.display()));
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(format!("{} added", k.display()));
    }
    out.join(", ")
}

#[test]
fn every_catalogued_input_gives_its_error_and_changes_nothing() {
    let cases = cases();
    let mut failures = Vec::new();
    let listed: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    for entry in fs::read_dir(catalogue()).expect("catalogue") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name != "expected.ron" && name != "README.md" && !listed.contains(&name.as_str()) {
            failures.push(format!("{name}: in the folder but not in expected.ron"));
        }
    }
    for case in &cases {
        let bytes = fs::read(catalogue().join(&case.file)).expect("case file");
        match catch_unwind(AssertUnwindSafe(|| run(case, &bytes))) {
            Ok(Ok(())) => {}
            Ok(Err(why)) => failures.push(format!("{}: {why}", case.file)),
            Err(_) => failures.push(format!("{}: PANICKED", case.file)),
        }
    }
    assert!(cases.len() >= 18, "{} cases", cases.len());
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let sandbox = Sandbox::new();
    let root = sandbox.root();
    let path = place(&root, Role::Annotation, "too_large.ron", b"");
    // Sparse: the size is in the metadata only, so the test writes no 16 MiB.
    let size = MAX_FILE_BYTES + 1;
    fs::File::options()
        .write(true)
        .open(&path)
        .expect("open")
        .set_len(size)
        .expect("set_len");
    let case = Case {
        file: "too_large.ron".into(),
        role: Role::Annotation,
        error: format!("the file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit"),
        at: Some((1, 1)),
    };
    let before = sandbox.hash();
    let e = store::load_annotation(&path, &Codebook::default_codebook()).expect_err("refused");
    assert!(
        matches!(e, LoadError::TooLarge { size: s, .. } if s == size),
        "{e:?}"
    );
    assert!(e.message().contains(&case.error), "{e}");
    assert!(edit_and_save(&root).is_some());
    let findings = check::check_project(&root);
    assert!(
        findings
            .iter()
            .any(|f| f.path == path && f.message.contains(&case.error))
    );
    assert_eq!(sandbox.hash(), before);

    // The same limit holds for the codebook and for articles.
    for role in [Role::Codebook, Role::Article] {
        let p = place(&root, role, "huge.txt", b"");
        fs::File::options()
            .write(true)
            .open(&p)
            .expect("open")
            .set_len(size)
            .expect("set_len");
        let e = load(role, &p).expect_err("refused");
        assert!(matches!(e, LoadError::TooLarge { .. }), "{role:?}: {e:?}");
        fs::remove_file(p).expect("remove");
    }
}

#[test]
fn unsafe_names_are_refused_before_any_path_is_made() {
    // (article id, annotator, what the message must say)
    let cases: &[(&str, &str, &str)] = &[
        (SEED_000, "../../x", "a path separator"),
        (SEED_000, "../alice", "a path separator"),
        ("../outside", "alice", "a path separator"),
        (SEED_000, "/etc/passwd", "a path separator"),
        ("/tmp", "alice", "a path separator"),
        (SEED_000, "..\\x", "a path separator"),
        (SEED_000, "ali\0ce", "a NUL byte"),
        ("000\0", "alice", "a NUL byte"),
        (SEED_000, "..", "reserved"),
        (SEED_000, ".alice", "reserved"),
        (SEED_000, "", "empty"),
        (SEED_000, "tab\there", "a control character"),
    ];
    let sandbox = Sandbox::new();
    let root = sandbox.root();
    let before = sandbox.hash();
    for (article, annotator, expected) in cases {
        let e = project::annotation_path(&root, article, annotator)
            .expect_err(&format!("{article:?}/{annotator:?} must be refused"));
        assert!(
            e.to_string().contains(expected),
            "{article:?}/{annotator:?}: {e}"
        );
        // A session for such an annotator does not start, and so writes nothing.
        if *article == SEED_000 {
            let refused = edit_and_save(&root).is_some();
            assert!(!refused, "alice's session works");
            assert!(Session::open(&root, annotator).is_err(), "{annotator:?}");
        }
    }
    // The only thing the sessions above wrote is alice's own file, inside the project.
    let after = sandbox.hash();
    let added: Vec<&PathBuf> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(
        added.iter().all(|p| p.starts_with("project/annotations")),
        "{added:?}"
    );
    assert_eq!(
        after.get(Path::new("outside/secret.ron")),
        before.get(Path::new("outside/secret.ron"))
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_project_is_not_read_or_written_through() {
    let sandbox = Sandbox::new();
    let root = sandbox.root();
    let secret = sandbox.outside().join("secret.ron");
    let folder = root.join("annotations").join(SEED_000);
    fs::create_dir_all(&folder).expect("folder");
    let link = folder.join("alice.ron");
    std::os::unix::fs::symlink(&secret, &link).expect("symlink");
    // A whole article folder linked outside, too.
    std::os::unix::fs::symlink(sandbox.outside(), root.join("annotations").join(SEED_001))
        .expect("symlink");
    let before = sandbox.hash();

    let findings = check::check_project(&root);
    for p in [&link, &root.join("annotations").join(SEED_001)] {
        let f = findings
            .iter()
            .find(|f| f.path == *p)
            .unwrap_or_else(|| panic!("{} not reported: {findings:?}", p.display()));
        assert!(f.is_error());
        assert!(f.message.contains("points outside the project"), "{f}");
    }
    // The session refuses the file (it is not a stance file) and writes nothing anywhere.
    assert!(edit_and_save(&root).is_some());
    assert_eq!(sandbox.hash(), before);
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_never_writes_outside_the_project() {
    let sandbox = Sandbox::new();
    let root = sandbox.root();
    // A valid annotation file outside the project, linked in as alice's file.
    let outside_file = sandbox.outside().join("alice.ron");
    fs::write(
        &outside_file,
        ron_of(&valid_file(&seed_article(SEED_000), "alice")),
    )
    .expect("write");
    let folder = root.join("annotations").join(SEED_000);
    fs::create_dir_all(&folder).expect("folder");
    let link = folder.join("alice.ron");
    std::os::unix::fs::symlink(&outside_file, &link).expect("symlink");
    let outside_before: BTreeMap<PathBuf, String> = sandbox
        .hash()
        .into_iter()
        .filter(|(p, _)| p.starts_with("outside"))
        .collect();

    edit_and_save(&root);

    let outside_after: BTreeMap<PathBuf, String> = sandbox
        .hash()
        .into_iter()
        .filter(|(p, _)| p.starts_with("outside"))
        .collect();
    assert_eq!(
        outside_after, outside_before,
        "nothing outside the project changed"
    );
    // Either the link is untouched or the save replaced it with a file of the project's own;
    // never a link somewhere else.
    let meta = fs::symlink_metadata(&link).expect("still there");
    if meta.file_type().is_symlink() {
        assert_eq!(fs::read_link(&link).expect("link"), outside_file);
    } else {
        assert!(meta.is_file());
    }
}

/// Rewrites the generated catalogue files from the valid file they derive from.
#[test]
#[ignore = "rewrites tests/bad_inputs/; run by hand after a format change"]
fn regenerate_catalogue() {
    let article = seed_article(SEED_000);
    let file = valid_file(&article, "alice");
    let valid = ron_of(&file);
    let dir = catalogue();
    let write = |name: &str, bytes: &[u8]| fs::write(dir.join(name), bytes).expect("write");

    write(
        "truncated.ron",
        &valid.as_bytes()[..valid.find("stances:").expect("stances")],
    );
    write(
        "wrong_type.ron",
        valid
            .replacen("format: 1,", "format: \"one\",", 1)
            .as_bytes(),
    );
    write(
        "wrong_type_in_claim.ron",
        valid
            .replacen("unsure: true,", "unsure: \"yes\",", 1)
            .as_bytes(),
    );
    write(
        "unknown_field.ron",
        valid
            .replacen(
                "    annotator: \"alice\",\n",
                "    annotator: \"alice\",\n    colour: \"red\",\n",
                1,
            )
            .as_bytes(),
    );
    write(
        "unknown_format_version.ron",
        valid.replacen("format: 1,", "format: 7,", 1).as_bytes(),
    );
    let mut dup = file.clone();
    dup.claims[2].id = "c1".into();
    write("duplicate_claim_ids.ron", ron_of(&dup).as_bytes());
    write(
        "unknown_label.ron",
        valid.replacen("\"against\"", "\"opposed\"", 1).as_bytes(),
    );
    write(
        "unknown_target.ron",
        valid
            .replacen("\"mediation\"", "\"sanctions\"", 1)
            .as_bytes(),
    );
    let mut out_of_range = file.clone();
    out_of_range.claims[2].anchor.end = article.text.len() + 10;
    write("anchor_out_of_range.ron", ron_of(&out_of_range).as_bytes());
    let mut split = file.clone();
    let i = sentence_with(&article, "China’s “choosing sides”");
    let mut claim = helpers::claim_on_sentence(&article, i, "c0");
    claim.anchor.start =
        article.text.find("China’s “choosing").expect("phrase") + "China".len() + 1;
    split.claims.push(claim);
    split.sort_claims();
    write(
        "anchor_splits_utf8_character.ron",
        ron_of(&split).as_bytes(),
    );
    let mut bytes = valid.clone().into_bytes();
    bytes[valid.find("hedged").expect("note")] = 0xff;
    write("annotation_not_utf8.ron", &bytes);
    write("empty.ron", b"");
    write("only_whitespace.ron", b"  \n\n\t\n");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    write("deeply_nested.ron", deep.as_bytes());
    write(
        "deeply_nested_in_unknown_field.ron",
        valid
            .replacen(
                "    annotator: \"alice\",\n",
                &format!("    annotator: \"alice\",\n    extra: {deep},\n"),
                1,
            )
            .as_bytes(),
    );
    let clash = fs::read(Path::new(REPO).join("tests/fixtures/codebook_clashing_keys.ron"))
        .expect("fixture");
    write("codebook_clashing_keys.ron", &clash);
    let book = codebook_text();
    write(
        "codebook_truncated.ron",
        &book.as_bytes()[..book.find("stances:").expect("stances")],
    );
    write(
        "codebook_deeply_nested.ron",
        format!("{}{}", "(".repeat(10_000), ")".repeat(10_000)).as_bytes(),
    );
    let mut latin1 = b"Peace talks\n\nThe envoy said: ".to_vec();
    latin1.extend_from_slice(b"\xabpeace now\xbb, in Latin-1.\n");
    write("article_not_utf8.txt", &latin1);
    write("article_empty.txt", b"\n \n");
}

/// The embedded default codebook's text.
fn codebook_text() -> String {
    stance::core::model::codebook::DEFAULT_CODEBOOK_RON.to_owned()
}
