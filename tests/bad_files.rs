//! Bad files: each kind of broken annotation or codebook file gives its own clear error with
//! the line and column to look at. Plus the RON round trip that keeps files diff-friendly.

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::fs;
use std::path::{Path, PathBuf};

use helpers::{
    SEED_000, SEED_001, line_of, line_of_after, ron_of, seed_article, sentence_with, valid_file,
    write_annotation, write_raw,
};
use stance::core::check::{self, Finding, Severity};
use stance::core::model::codebook::Codebook;
use stance::core::model::names::NameError;
use stance::core::project;
use stance::core::storage::store::{self, LoadError, MAX_FILE_BYTES, Pos};

/// A temp project holding the seed articles 000 and 001 (no annotations yet).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = dir.path().join("seeds");
    fs::create_dir_all(&seeds).expect("seeds folder");
    for id in [SEED_000, SEED_001] {
        let name = format!("{id}.txt");
        fs::copy(
            Path::new(helpers::REPO).join("seeds").join(&name),
            seeds.join(&name),
        )
        .expect("copy seed");
    }
    dir
}

/// The valid RON of alice's file on seed 000.
fn valid_text() -> String {
    ron_of(&valid_file(&seed_article(SEED_000), "alice"))
}

/// Loads `text` as alice's file on seed 000, expecting an error.
fn load_err(text: &[u8]) -> LoadError {
    let dir = project();
    let path = write_raw(dir.path(), SEED_000, "alice", text);
    match store::load_annotation(&path, &Codebook::default_codebook()) {
        Ok(_) => panic!("the file should be refused"),
        Err(e) => e,
    }
}

/// The findings `stance check` gives for one annotation file with this content.
fn check_findings(
    file: &stance::core::model::annotation::AnnotationFile,
) -> (Vec<Finding>, PathBuf) {
    let dir = project();
    let path = write_annotation(dir.path(), file);
    let findings = check::check_project(dir.path());
    (findings, path)
}

/// The line:column of the first `needle` after the first `after` in `text`.
fn pos_after(text: &str, after: &str, needle: &str) -> Pos {
    let line = line_of_after(text, line_of(text, after), needle);
    let col = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find(needle))
        .expect("on the line");
    Pos { line, col: col + 1 }
}

#[test]
fn a_valid_file_loads_and_checks_clean() {
    let dir = project();
    let file = valid_file(&seed_article(SEED_000), "alice");
    let path = write_annotation(dir.path(), &file);
    let loaded = store::load_annotation(&path, &Codebook::default_codebook()).expect("loads");
    assert_eq!(loaded, file);
    let report = check::check_project_report(dir.path());
    assert_eq!(report.findings, vec![]);
    assert_eq!(report.files, 3, "two articles and one annotation file");
}

#[test]
fn truncated_file() {
    let text = valid_text();
    let cut = &text[..text.find("stances:").expect("has stances")];
    let e = load_err(cut.as_bytes());
    let LoadError::Parse { pos, .. } = &e else {
        panic!("expected a parse error, got {e:?}");
    };
    assert!(e.message().contains("ends too early"), "{e}");
    // RON points just past the last thing it read, where more was expected.
    assert_eq!(*pos, Pos::of_offset(cut, cut.trim_end().len()), "{e}");
}

#[test]
fn wrong_type() {
    let text = valid_text().replacen("format: 1,", "format: \"one\",", 1);
    let e = load_err(text.as_bytes());
    assert!(matches!(e, LoadError::Parse { .. }), "{e:?}");
    assert_eq!(e.pos().line, line_of(&text, "format:"));
    assert!(e.message().to_lowercase().contains("integer"), "{e}");
}

#[test]
fn unknown_field() {
    let text = valid_text().replacen(
        "    annotator: \"alice\",\n",
        "    annotator: \"alice\",\n    colour: \"red\",\n",
        1,
    );
    let e = load_err(text.as_bytes());
    assert!(matches!(e, LoadError::Parse { .. }), "{e:?}");
    assert!(e.message().contains("colour"), "{e}");
    assert_eq!(e.pos().line, line_of(&text, "colour:"), "{e}");
}

#[test]
fn unknown_label_names_the_label_and_the_codebook() {
    let text = valid_text().replacen("\"against\"", "\"opposed\"", 1);
    let e = load_err(text.as_bytes());
    assert!(matches!(e, LoadError::Invalid { .. }), "{e:?}");
    let m = e.message();
    assert!(m.contains("unknown stance label `opposed`"), "{m}");
    assert!(m.contains("stance-ru-ua-2023"), "{m}");
    assert!(m.contains("`against`"), "the valid labels are listed: {m}");
    let line = line_of(&text, "\"opposed\"");
    let col = text
        .lines()
        .nth(line - 1)
        .expect("line")
        .find("\"opposed\"")
        .expect("col")
        + 1;
    assert_eq!(e.pos(), Pos { line, col });
}

#[test]
fn unknown_format_version() {
    let text = valid_text().replacen("format: 1,", "format: 7,", 1);
    let e = load_err(text.as_bytes());
    assert!(
        matches!(e, LoadError::UnsupportedFormat { found: 7, .. }),
        "{e:?}"
    );
    assert!(e.message().contains("format version 7"), "{e}");
    assert_eq!(e.pos(), Pos { line: 2, col: 5 });
}

#[test]
fn duplicate_claim_ids() {
    let mut file = valid_file(&seed_article(SEED_000), "alice");
    file.claims[2].id = "c1".into();
    let text = ron_of(&file);
    let e = load_err(text.as_bytes());
    assert!(e.message().contains("claim id `c1` is used twice"), "{e}");
    assert_eq!(e.pos().line, line_of(&text, "id: \"c1\""));
}

#[test]
fn not_utf8() {
    let text = valid_text();
    let at = text.find("hedged").expect("note");
    let mut bytes = text.clone().into_bytes();
    bytes[at] = 0xff;
    let e = load_err(&bytes);
    assert!(matches!(e, LoadError::NotUtf8 { byte: 0xff, .. }), "{e:?}");
    assert_eq!(e.pos(), Pos::of_offset(&text, at));
    assert!(e.message().contains("not valid UTF-8"), "{e}");
}

#[test]
fn empty_file() {
    for content in ["", "  \n\n"] {
        let e = load_err(content.as_bytes());
        assert!(matches!(e, LoadError::Empty { .. }), "{e:?}");
        assert_eq!(e.pos(), Pos { line: 1, col: 1 });
        assert!(e.message().contains("the file is empty"), "{e}");
    }
}

#[test]
fn huge_file_is_refused_by_size_without_reading() {
    let dir = project();
    let path = write_raw(dir.path(), SEED_000, "alice", b"");
    // Sparse: no data blocks, so reading it would return 100 MB of zeros; the size check
    // must refuse it from the metadata alone.
    let size = 100 * 1024 * 1024;
    fs::File::options()
        .write(true)
        .open(&path)
        .expect("open")
        .set_len(size)
        .expect("set_len");
    let e = store::load_annotation(&path, &Codebook::default_codebook()).expect_err("too large");
    assert!(
        matches!(e, LoadError::TooLarge { size: s, limit: MAX_FILE_BYTES, .. } if s == size),
        "{e:?}"
    );
    assert!(e.message().contains("over the"), "{e}");
    // `stance check` reports it the same way and goes on.
    let findings = check::check_project(dir.path());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(
        findings[0].message.contains("104857600 bytes"),
        "{findings:?}"
    );
}

#[test]
fn deeply_nested_ron() {
    // Typed parsing cannot descend past the annotation format's own shape, so a deep file is
    // refused where the shape breaks; what must never happen is a stack overflow.
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let e = load_err(deep.as_bytes());
    assert!(matches!(e, LoadError::Parse { .. }), "{e:?}");
    assert_eq!(e.pos(), Pos { line: 1, col: 1 });
    assert!(e.message().contains("AnnotationFile"), "{e}");

    // Inside an unknown field the format probe skips values generically, so the nesting
    // limit is what stops it; the full parse then names the field.
    let text = valid_text().replacen(
        "    annotator: \"alice\",\n",
        &format!("    annotator: \"alice\",\n    extra: {deep},\n"),
        1,
    );
    let e = load_err(text.as_bytes());
    assert!(e.message().contains("extra"), "{e}");
    assert_eq!(e.pos().line, line_of(&text, "extra:"));

    // The limit itself, on a generic parse.
    let e = store::parse_ron::<serde::de::IgnoredAny>(Path::new("deep.ron"), &deep)
        .expect_err("too deep");
    assert!(e.message().contains("nesting deeper than 32 levels"), "{e}");
}

#[test]
fn anchor_out_of_range() {
    let article = seed_article(SEED_000);
    let mut file = valid_file(&article, "alice");
    file.claims[2].anchor.end = article.text.len() + 10;
    let (findings, path) = check_findings(&file);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.path, path);
    assert_eq!(f.claim.as_deref(), Some("c3"));
    assert!(f.message.contains("out of range"), "{f}");
    let text = ron_of(&file);
    assert_eq!(f.pos, pos_after(&text, "id: \"c3\"", "start:"), "{f}");
}

#[test]
fn anchor_splitting_a_utf8_character() {
    let article = seed_article(SEED_000);
    let mut file = valid_file(&article, "alice");
    // A claim starting inside the three bytes of the ’ in "China’s".
    let i = sentence_with(&article, "China’s “choosing sides”");
    let mut claim = helpers::claim_on_sentence(&article, i, "c0");
    let apostrophe = article.text.find("China’s “choosing").expect("phrase") + "China".len();
    claim.anchor.start = apostrophe + 1;
    file.claims.push(claim);
    file.sort_claims();
    let (findings, _) = check_findings(&file);
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.is_error()).collect();
    assert_eq!(errors.len(), 1, "{findings:?}");
    assert!(
        errors[0]
            .message
            .contains("anchor splits a UTF-8 character"),
        "{}",
        errors[0]
    );
    let text = ron_of(&file);
    assert_eq!(errors[0].pos, pos_after(&text, "id: \"c0\"", "start:"));
}

#[test]
fn quote_that_does_not_match_the_article() {
    let article = seed_article(SEED_000);
    let mut file = valid_file(&article, "alice");
    file.claims[0].anchor.quote.push_str(" (edited)");
    let (findings, _) = check_findings(&file);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].message.contains("does not match the article"));
    assert_eq!(findings[0].claim.as_deref(), Some("c1"));
}

#[test]
fn file_in_the_wrong_folder() {
    let article = seed_article(SEED_000);
    let file = valid_file(&article, "alice");
    let dir = project();
    // Alice's file for 000, saved as bob's file for 001.
    let path = write_raw(dir.path(), SEED_001, "bob", ron_of(&file).as_bytes());
    let findings = check::check_project(dir.path());
    assert!(
        findings
            .iter()
            .any(|f| f.path == path && f.message.contains("its annotator is `alice`")),
        "{findings:?}"
    );
    assert!(
        findings.iter().any(|f| f
            .message
            .contains(&format!("annotates article `{SEED_000}`"))),
        "{findings:?}"
    );
    assert!(findings.iter().all(|f| f.path == path));
}

#[test]
fn annotation_folder_for_an_unknown_article_is_a_warning() {
    let dir = project();
    let file = valid_file(&seed_article(SEED_000), "alice");
    write_raw(dir.path(), "999_missing", "alice", ron_of(&file).as_bytes());
    let findings = check::check_project(dir.path());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(
        findings[0]
            .message
            .contains("unknown article `999_missing`")
    );
}

#[test]
fn review_files_are_skipped() {
    let dir = project();
    write_raw(dir.path(), SEED_000, "review.alice", b"not RON at all");
    assert_eq!(check::check_project(dir.path()), vec![]);
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_project_is_refused_and_not_read() {
    let dir = project();
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.ron");
    fs::write(&secret, "not a stance file").expect("write");
    let folder = dir.path().join("annotations").join(SEED_000);
    fs::create_dir_all(&folder).expect("folder");
    let link = folder.join("mallory.ron");
    std::os::unix::fs::symlink(&secret, &link).expect("symlink");
    let findings = check::check_project(dir.path());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].path, link);
    assert!(findings[0].is_error());
    assert!(findings[0].message.contains("points outside the project"));
    // Had it been read, the content would have given a parse error instead.
    assert!(!findings[0].message.contains("expected"));
}

#[test]
fn dangerous_annotator_name_is_refused() {
    let dir = project();
    let e = project::annotation_path(dir.path(), SEED_000, "../../x").expect_err("refused");
    assert!(matches!(e, NameError::BadChar { .. }), "{e:?}");
    assert!(e.to_string().contains("path separator"), "{e}");
}

#[test]
fn codebook_with_clashing_keys() {
    let fixture = Path::new(helpers::REPO).join("tests/fixtures/codebook_clashing_keys.ron");
    let e = project::load_codebook_file(&fixture).expect_err("refused");
    assert!(e.message().contains("key `f` is given to both"), "{e}");

    let dir = project();
    fs::copy(&fixture, dir.path().join("codebook.ron")).expect("copy");
    let findings = check::check_project(dir.path());
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert!(f.is_error());
    assert!(
        f.message
            .contains("key `f` is given to both stance `favor` and stance `fine`"),
        "{f}"
    );
    // It points at the second use of the key: the one that clashes.
    let text = fs::read_to_string(&fixture).expect("read");
    assert_eq!(f.pos, pos_after(&text, "id: \"fine\"", "key: 'f'"), "{f}");
}

#[test]
fn save_load_save_is_byte_identical() {
    let dir = project();
    let file = valid_file(&seed_article(SEED_000), "alice");
    let path = write_annotation(dir.path(), &file);
    let first = fs::read(&path).expect("read");
    let loaded = store::load_annotation(&path, &Codebook::default_codebook()).expect("load");
    store::save_annotation(&path, &loaded).expect("save");
    assert_eq!(fs::read(&path).expect("read"), first);
}

#[test]
fn editing_one_claim_changes_only_its_block() {
    let file = valid_file(&seed_article(SEED_000), "alice");
    let before = ron_of(&file);
    let mut edited = file.clone();
    // Change one stance and address a second target: one line changes, one is added.
    let claim = &mut edited.claims[1];
    claim.stances.insert("ceasefire".into(), "unclear".into());
    claim.stances.remove("mediation");
    claim.stances.insert("mediation".into(), "favor".into());
    claim.modified = helpers::time("2024-03-02T08:00:00Z");
    edited.modified = helpers::time("2024-03-02T08:00:00Z");
    let after = ron_of(&edited);

    let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
        (before.lines().collect(), after.lines().collect());
    let (removed, added) = line_diff(&old_lines, &new_lines);
    assert!(!removed.is_empty() && !added.is_empty());
    let old_block = claim_block(&old_lines, "c2");
    let new_block = claim_block(&new_lines, "c2");
    let file_modified = |lines: &[&str]| {
        lines
            .iter()
            .position(|l| l.starts_with("    modified:"))
            .expect("file modified line")
    };
    for i in removed {
        assert!(
            old_block.contains(&i) || i == file_modified(&old_lines),
            "line {} changed outside claim c2: {:?}",
            i + 1,
            old_lines[i]
        );
    }
    for i in added {
        assert!(
            new_block.contains(&i) || i == file_modified(&new_lines),
            "line {} added outside claim c2: {:?}",
            i + 1,
            new_lines[i]
        );
    }
}

/// The 0-based line range of claim `id`'s block, from its `(` to its `)`.
fn claim_block(lines: &[&str], id: &str) -> std::ops::RangeInclusive<usize> {
    let id_line = lines
        .iter()
        .position(|l| l.trim() == format!("id: \"{id}\","))
        .expect("claim id line");
    let open = (0..id_line)
        .rev()
        .find(|&i| lines[i].trim() == "(")
        .expect("opening paren");
    let indent = lines[open].len() - lines[open].trim_start().len();
    let close = (id_line..lines.len())
        .find(|&i| {
            lines[i].trim_start().starts_with(')')
                && lines[i].len() - lines[i].trim_start().len() == indent
        })
        .expect("closing paren");
    open..=close
}

/// Lines removed from `old` and added in `new` (0-based), by longest common subsequence.
fn line_diff(old: &[&str], new: &[&str]) -> (Vec<usize>, Vec<usize>) {
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: length of the LCS of old[i..] and new[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(j);
            j += 1;
        } else {
            removed.push(i);
            i += 1;
        }
    }
    (removed, added)
}

#[test]
fn line_diff_finds_changes() {
    let (r, a) = line_diff(&["a", "b", "c"], &["a", "x", "c", "d"]);
    assert_eq!(r, vec![1]);
    assert_eq!(a, vec![1, 3]);
}
