//! The floors stay apart (issue 14): the window never writes a file (it draws the workspace
//! and sends commands), the CLI never reaches into the window (`main` opens it), and the
//! command handlers decide every command (no catch-all arm that lets a new command silently do
//! nothing). Checked on the source text, so a change that breaks a rule fails here with the
//! file and line.
#![allow(clippy::unwrap_used)] // a test: a panic is a failure

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let start = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    if start.is_file() {
        let text = std::fs::read_to_string(&start).unwrap();
        return vec![(start, text)];
    }
    let mut stack = vec![start];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                out.push((p, text));
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no sources in {dir}");
    out
}

/// Every line of the sources in `dir` containing one of `needles`, outside comments.
fn offending(dir: &str, needles: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    for (path, text) in sources(dir) {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for needle in needles {
                if code.contains(needle) {
                    hits.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    hits
}

#[test]
fn the_window_writes_no_file() {
    let hits = offending(
        "src/ui",
        &[
            "std::fs",
            "fs::",
            "File::create",
            "OpenOptions",
            "write_atomic",
            "save_",
            "prepare_write",
            "prepare_file_write",
            "ensure_gitignore",
            "remove_stale_temps",
            "write_sample",
            "import_articles",
            "write_corpus",
            "write_long",
            "feedback::answer",
            ".ask(",
            "Session::open",
            "Lock::",
            "Journal::",
        ],
    );
    assert!(
        hits.is_empty(),
        "src/ui must only draw and send commands:\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_cli_does_not_reach_into_the_window() {
    let hits = offending("src/cli", &["crate::ui", "stance::ui", "ui::run"]);
    assert!(
        hits.is_empty(),
        "src/cli returns Run::OpenWindow; main opens the window:\n{}",
        hits.join("\n")
    );
}

#[test]
fn command_handlers_have_no_catch_all_arm() {
    let mut hits = offending("src/session/workspace", &["_ =>"]);
    hits.extend(
        offending("src/session/coding", &["_ =>"])
            .into_iter()
            .filter(|h| h.contains("handle.rs") || h.contains("edit.rs")),
    );
    hits.extend(offending("src/session/command.rs", &["_ =>"]));
    assert!(
        hits.is_empty(),
        "every command is decided in its handler:\n{}",
        hits.join("\n")
    );
}
