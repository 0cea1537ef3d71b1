//! `stance merge BASE OURS THEIRS [-o OUT]`: three-way merge of annotation files by claim id.
//!
//! As a git merge driver (`git config merge.stance.driver "stance merge %O %A %B"`) the result
//! replaces OURS (`%A`), as git expects. Exit 0 when the merge is clean, 1 when conflicts are
//! left (they are kept in the file as note markers, and listed on stderr), 2 on bad usage or
//! unwritable output.
//!
//! A file that is not an annotation file (a codebook, a review file, a file with a syntax
//! error) is merged as text by `git merge-file`, with git's usual conflict markers, so one
//! `*.ron merge=stance` line can cover the whole project.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::cli::{EXIT_USAGE, describe_load_error, display_path, plural};
use crate::core::annotation::AnnotationFile;
use crate::core::diff::load_lenient;
use crate::core::merge;
use crate::core::store::{self, LoadError};

/// Arguments of `stance merge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The common ancestor (git's %O); an empty file when there is none.
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// Our version (git's %A); replaced by the result unless --out is given.
    #[arg(value_name = "OURS")]
    pub ours: PathBuf,
    /// Their version (git's %B).
    #[arg(value_name = "THEIRS")]
    pub theirs: PathBuf,
    /// Write the result here instead of over OURS.
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
}

/// Loads the base; an empty base means there is no common ancestor.
fn load_base(path: &Path) -> Result<Option<AnnotationFile>, LoadError> {
    match load_lenient(path) {
        Ok(f) => Ok(Some(f)),
        Err(LoadError::Empty { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Runs `stance merge`.
pub fn run(args: &Args) -> ExitCode {
    let loaded = load_base(&args.base).and_then(|b| {
        let o = load_lenient(&args.ours)?;
        let t = load_lenient(&args.theirs)?;
        Ok((b, o, t))
    });
    let (base, ours, theirs) = match loaded {
        Ok(files) => files,
        Err(e) => {
            eprintln!(
                "stance merge: {}\nstance merge: not merging by claim; merging {} as text with `git merge-file`",
                describe_load_error(&e),
                display_path(&args.ours)
            );
            return text_merge(args);
        }
    };
    let outcome = merge::merge(base.as_ref(), &ours, &theirs);
    let out = args.out.as_ref().unwrap_or(&args.ours);
    if let Err(e) = store::save_annotation(out, &outcome.merged) {
        eprintln!("stance merge: cannot write {}: {e}", display_path(out));
        return ExitCode::from(EXIT_USAGE);
    }
    if outcome.is_clean() {
        return ExitCode::SUCCESS;
    }
    let mut msg = format!(
        "stance merge: {} in {} (kept ours; both values are in the claim's note):\n",
        plural(outcome.conflicts.len(), "conflict"),
        display_path(out)
    );
    for c in &outcome.conflicts {
        let _ = writeln!(msg, "  {c}");
    }
    eprint!("{msg}");
    ExitCode::FAILURE
}

/// `git merge-file` on the three files: in place over OURS, or printed into --out.
fn text_merge(args: &Args) -> ExitCode {
    let mut cmd = Command::new("git");
    cmd.args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"]);
    if args.out.is_some() {
        cmd.arg("-p");
    }
    cmd.arg(&args.ours).arg(&args.base).arg(&args.theirs);
    let output = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("stance merge: cannot run `git merge-file`: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if let Some(out) = &args.out
        && let Err(e) = store::write_atomic(out, &output.stdout)
    {
        eprintln!("stance merge: cannot write {}: {e}", display_path(out));
        return ExitCode::from(EXIT_USAGE);
    }
    // git merge-file: 0 clean, the number of conflicts when positive, negative on error.
    match output.status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(1..=127) => ExitCode::FAILURE,
        _ => ExitCode::from(EXIT_USAGE),
    }
}
