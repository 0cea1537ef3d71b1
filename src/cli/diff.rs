//! `stance diff A.ron B.ron`: claim-by-claim difference of two annotation files.
//!
//! Exit codes follow diff(1): 0 when the files say the same, 1 when they differ, 2 on bad
//! usage or a file that cannot be read or parsed.
//!
//! As a git diff driver (`git config diff.stance.command "stance diff --git"`), git calls it
//! with seven arguments, `path old-file old-hex old-mode new-file new-hex new-mode`, with
//! `/dev/null` for a side that does not exist. Git treats any non-zero exit of a diff driver
//! as fatal, so in that form the exit is 0 whether or not the files differ; and a file that is
//! not an annotation file (a codebook, a review file, a file with a syntax error) is shown as
//! a plain line diff by git itself, after a line saying why.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::cli::{EXIT_USAGE, describe_load_error, display_path, print_out};
use crate::core::compare::diff::{self, FileDiff};
use crate::core::storage::store::LoadError;

/// Arguments of `stance diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Take git's seven external-diff arguments (also assumed when exactly seven are given).
    #[arg(long)]
    pub git: bool,
    /// The old and the new file; or, with --git, `path old-file old-hex old-mode new-file
    /// new-hex new-mode`.
    #[arg(value_name = "FILE", required = true, num_args = 1.., allow_hyphen_values = true)]
    pub files: Vec<OsString>,
}

/// What git passes for a file that does not exist on one side.
const DEV_NULL: &str = "/dev/null";

/// Runs `stance diff`.
pub fn run(args: &Args) -> ExitCode {
    if args.git || args.files.len() == 7 {
        let [path, old, _, _, new, _, _] = args.files.as_slice() else {
            eprintln!(
                "stance diff --git: expected git's 7 arguments (path old-file old-hex old-mode new-file new-hex new-mode), got {}\n\
                 hint: set it up with `git config diff.stance.command \"stance diff --git\"`",
                args.files.len()
            );
            return ExitCode::from(EXIT_USAGE);
        };
        return run_git(Path::new(path), Path::new(old), Path::new(new));
    }
    let [old, new] = args.files.as_slice() else {
        eprintln!(
            "stance diff: expected two files (OLD NEW), got {}\nhint: stance diff A.ron B.ron",
            args.files.len()
        );
        return ExitCode::from(EXIT_USAGE);
    };
    let (old, new) = (PathBuf::from(old), PathBuf::from(new));
    let loaded = diff::load_lenient(&old).and_then(|o| Ok((o, diff::load_lenient(&new)?)));
    let (o, n) = match loaded {
        Ok(files) => files,
        Err(e) => {
            eprintln!("stance diff: {}", describe_load_error(&e));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let d = diff::diff_files(&o, &n);
    if d.is_empty() {
        return ExitCode::SUCCESS;
    }
    print_out(&render(&display_path(&old), &display_path(&new), &d));
    ExitCode::FAILURE
}

/// The diff with a header naming both sides.
pub fn render(old: &str, new: &str, d: &FileDiff) -> String {
    format!("--- {old}\n+++ {new}\n{d}")
}

/// Loads one side of a git diff; `None` for `/dev/null`.
fn git_side(
    path: &Path,
) -> Result<Option<crate::core::model::annotation::AnnotationFile>, LoadError> {
    if path == Path::new(DEV_NULL) {
        return Ok(None);
    }
    diff::load_lenient(path).map(Some)
}

/// The git external-diff form. Always exits 0 unless the output cannot be written (see the
/// module documentation).
fn run_git(path: &Path, old: &Path, new: &Path) -> ExitCode {
    let shown = path.display();
    match git_side(old).and_then(|o| Ok((o, git_side(new)?))) {
        Ok((o, n)) => {
            let d = diff::diff(o.as_ref(), n.as_ref());
            if !d.is_empty() {
                print_out(&render(&format!("a/{shown}"), &format!("b/{shown}"), &d));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_out(&format!(
                "stance diff: {shown}: not read as an annotation file ({}); showing a line diff\n",
                e.message()
            ));
            line_diff(path, old, new)
        }
    }
}

/// A plain line diff by git itself, for files that are not annotation files, with the
/// headers naming the real `path` rather than the temp files git handed over
/// (`/tmp/git-blob-…/notes.ron`). `--no-ext-diff` so git does not call this driver again.
fn line_diff(path: &Path, old: &Path, new: &Path) -> ExitCode {
    let output = Command::new("git")
        .args(["diff", "--no-index", "--no-ext-diff", "--no-color", "--"])
        .arg(old)
        .arg(new)
        .output();
    match output {
        // `git diff --no-index` exits 1 when the files differ; that is not a failure here.
        Ok(o) if matches!(o.status.code(), Some(0 | 1)) => {
            print_out(&real_path_headers(
                &String::from_utf8_lossy(&o.stdout),
                &path.display().to_string(),
            ));
            ExitCode::SUCCESS
        }
        Ok(o) => {
            eprint!("{}", String::from_utf8_lossy(&o.stderr));
            eprintln!("stance diff: `git diff --no-index` failed ({})", o.status);
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("stance diff: cannot run git for a line diff: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// A `git diff --no-index` output with its header lines (before the first hunk) naming `path`
/// on both sides, as git's own diff would; `/dev/null` sides stay as they are.
fn real_path_headers(diff: &str, path: &str) -> String {
    let mut out = String::with_capacity(diff.len());
    let mut in_header = true;
    for line in diff.split_inclusive('\n') {
        if line.starts_with("diff --git ") {
            in_header = true;
            let _ = writeln!(out, "diff --git a/{path} b/{path}");
            continue;
        }
        if line.starts_with("@@") {
            in_header = false;
        }
        let side = |prefix: &str, letter: char| {
            let rest = line[prefix.len()..].trim_end_matches('\n');
            if rest == DEV_NULL {
                line.to_owned()
            } else {
                format!("{prefix}{letter}/{path}\n")
            }
        };
        match line {
            l if in_header && l.starts_with("--- ") => out.push_str(&side("--- ", 'a')),
            l if in_header && l.starts_with("+++ ") => out.push_str(&side("+++ ", 'b')),
            l if in_header && l.starts_with("Binary files ") => {
                let _ = writeln!(out, "Binary files a/{path} and b/{path} differ");
            }
            l => out.push_str(l),
        }
    }
    out
}
