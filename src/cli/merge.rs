//! `stance merge BASE OURS THEIRS [PATH] [-o OUT]`: three-way merge of annotation files by
//! claim id.
//!
//! As a git merge driver (`git config merge.stance.driver "stance merge %O %A %B %P"`) the
//! result replaces OURS (`%A`), as git expects, and PATH (`%P`, the file's place in the
//! repository) names the file in messages. Exit 0 when the merge is clean, 1 when it is not:
//! conflicts left in the file (as note markers, listed on stderr), or no merge at all; 2 on bad
//! usage or unwritable output.
//!
//! **What is written.** Either a file that loads as what the sides were, or nothing: a side
//! that is empty, unreadable, not RON (JSON, binary, a syntax error), a different kind of file
//! from the other side, or an annotation file of another article or annotator leaves OURS
//! exactly as it was and exits 1, so git marks the file conflicted and the coder decides
//! (`git checkout --ours/--theirs PATH`, or fixing the side). A merge result is checked to load
//! before it replaces OURS, always through a temp file and a rename.
//!
//! Other RON files of a project (review and question files, codebooks, anything else) are
//! merged as text by `git merge-file`, so one `*.ron merge=stance` line covers the whole
//! project; a clean text merge is kept only if it still parses as the same kind of file, and
//! a text conflict leaves git's usual markers (exit 1), as git's own merge would.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::cli::{EXIT_USAGE, display_path, plural};
use crate::core::compare::diff::parse_lenient;
use crate::core::compare::review;
use crate::core::model::annotation::AnnotationFile;
use crate::core::model::codebook::Codebook;
use crate::core::storage::merge;
use crate::core::storage::store::{self, LoadError};

/// Arguments of `stance merge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The common ancestor (git's %O); an empty file (or /dev/null) when there is none.
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// Our version (git's %A); replaced by the result unless --out is given.
    #[arg(value_name = "OURS")]
    pub ours: PathBuf,
    /// Their version (git's %B).
    #[arg(value_name = "THEIRS")]
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P), to name it in messages.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Write the result here instead of over OURS.
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
}

/// What kind of file one side is.
#[derive(Debug)]
enum Side {
    /// Nothing (no common ancestor): an empty file or /dev/null.
    Empty,
    /// An annotation file.
    Annotation(Box<AnnotationFile>),
    /// Another RON file stance knows, or any RON: merged as text, checked as this kind.
    Text(Kind, LoadError),
    /// Not readable as RON at all (or not readable).
    Broken(LoadError),
}

/// Kinds of non-annotation RON file, each checked by its own parser after a text merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A review or question file.
    Review,
    /// A codebook.
    Codebook,
    /// Any other RON.
    Ron,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Review => "a review or question file",
            Self::Codebook => "a codebook",
            Self::Ron => "a RON file that is not an annotation file",
        }
    }

    /// Whether `text` parses as this kind of file.
    fn parses(self, path: &Path, text: &str) -> Result<(), LoadError> {
        match self {
            Self::Review => review::parse_review(path, text).map(drop),
            Self::Codebook => store::parse_ron::<Codebook>(path, text).map(drop),
            Self::Ron => store::parse_ron::<ron::Value>(path, text).map(drop),
        }
    }
}

/// Reads and classifies one side.
fn side(path: &Path) -> Side {
    let text = match store::read_text(path, "a stance annotation file (RON)") {
        Ok(t) => t,
        Err(LoadError::Empty { .. }) => return Side::Empty,
        Err(e) => return Side::Broken(e),
    };
    let why_not = match parse_lenient(path, &text) {
        Ok(f) => return Side::Annotation(Box::new(f)),
        Err(e) => e,
    };
    for kind in [Kind::Review, Kind::Codebook, Kind::Ron] {
        if kind.parses(path, &text).is_ok() {
            return Side::Text(kind, why_not);
        }
    }
    // Not RON at all: the syntax error says where.
    Side::Broken(Kind::Ron.parses(path, &text).err().unwrap_or(why_not))
}

/// Why no merge was made; OURS stays as it was.
struct Refusal(String);

/// Runs `stance merge`.
pub fn run(args: &Args) -> ExitCode {
    let shown = args
        .path
        .as_deref()
        .map_or_else(|| display_path(&args.ours), |p| p.display().to_string());
    let outcome = match (side(&args.base), side(&args.ours), side(&args.theirs)) {
        (base, Side::Annotation(ours), Side::Annotation(theirs)) => match base {
            Side::Empty => by_claim(args, None, &ours, &theirs),
            Side::Annotation(base) => by_claim(args, Some(&base), &ours, &theirs),
            other => Err(Refusal(format!(
                "BASE is {}, but both sides are annotation files",
                describe(&other)
            ))),
        },
        (base, Side::Text(kind, _), Side::Text(theirs_kind, _)) if kind == theirs_kind => {
            match base {
                Side::Empty => as_text(args, kind),
                Side::Text(k, _) if k == kind => as_text(args, kind),
                other => Err(Refusal(format!(
                    "BASE is {}, but both sides are {}",
                    describe(&other),
                    kind.name()
                ))),
            }
        }
        (_, ours, theirs) => Err(Refusal(mismatch(&ours, &theirs, &shown))),
    };
    match outcome {
        Ok(code) => code,
        Err(Refusal(why)) => {
            eprintln!(
                "stance merge: {shown}: not merged: {why}.\n\
                 stance merge: {shown} is left as OURS was, and git marks it conflicted; fix the side that is wrong, or keep one side with `git checkout --ours {shown}` (or `--theirs`), then `git add` it"
            );
            ExitCode::FAILURE
        }
    }
}

/// A side's load error, placed in the file people know (`PATH`, or the side's own path)
/// rather than git's temp copy: `annotations/a/ana.ron (THEIRS):3:5: message`.
fn located(e: &LoadError, name: &str, shown: &str) -> String {
    match e {
        LoadError::Io { .. } | LoadError::TooLarge { .. } => {
            format!("{shown} ({name}): {}", e.message())
        }
        _ => format!("{shown} ({name}):{}: {}", e.pos(), e.message()),
    }
}

/// What a side is, for a message.
fn describe(side: &Side) -> String {
    match side {
        Side::Empty => "empty".to_owned(),
        Side::Annotation(f) => format!(
            "the annotation file of article `{}` by `{}`",
            f.article.id, f.annotator
        ),
        Side::Text(kind, _) => kind.name().to_owned(),
        Side::Broken(_) => "not readable as RON".to_owned(),
    }
}

/// Why OURS and THEIRS cannot be merged together.
fn mismatch(ours: &Side, theirs: &Side, shown: &str) -> String {
    let one = |name: &str, side: &Side| match side {
        Side::Empty => format!("{name} is empty"),
        Side::Broken(e) => format!("{name} does not load: {}", located(e, name, shown)),
        Side::Text(_, why) => format!(
            "{name} is {}: {}",
            describe(side),
            located(why, name, shown)
        ),
        Side::Annotation(_) => format!("{name} is {}", describe(side)),
    };
    format!("{}; {}", one("OURS", ours), one("THEIRS", theirs))
}

/// The claim-aware merge of two annotation files of one article and annotator.
fn by_claim(
    args: &Args,
    base: Option<&AnnotationFile>,
    ours: &AnnotationFile,
    theirs: &AnnotationFile,
) -> Result<ExitCode, Refusal> {
    let same = |a: &AnnotationFile, b: &AnnotationFile| {
        a.article.id == b.article.id && a.annotator == b.annotator
    };
    let who = |f: &AnnotationFile| format!("article `{}` by `{}`", f.article.id, f.annotator);
    if !same(ours, theirs) {
        return Err(Refusal(format!(
            "OURS is the annotation file of {} but THEIRS is the one of {}; they are different files and are not merged into one",
            who(ours),
            who(theirs)
        )));
    }
    if let Some(base) = base
        && !same(base, ours)
    {
        return Err(Refusal(format!(
            "BASE is the annotation file of {} but both sides are of {}",
            who(base),
            who(ours)
        )));
    }
    let outcome = merge::merge(base, ours, theirs);
    let out = args.out.as_ref().unwrap_or(&args.ours);
    // The result must load before it replaces anything.
    let text = store::to_ron(&outcome.merged)
        .map_err(|e| Refusal(format!("the merged file cannot be written as RON: {e}")))?;
    if let Err(e) = parse_lenient(out, &text) {
        return Err(Refusal(format!(
            "the merged file would not load ({})",
            e.message()
        )));
    }
    if let Err(e) = store::write_atomic(out, text.as_bytes()) {
        eprintln!("stance merge: cannot write {}: {e}", display_path(out));
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    if outcome.is_clean() {
        return Ok(ExitCode::SUCCESS);
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
    Ok(ExitCode::FAILURE)
}

/// `git merge-file` on the three files, its result checked to parse as `kind` before it
/// replaces OURS (or goes to --out).
fn as_text(args: &Args, kind: Kind) -> Result<ExitCode, Refusal> {
    let output = Command::new("git")
        .args([
            "merge-file",
            "-p",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
        ])
        .arg(&args.ours)
        .arg(&args.base)
        .arg(&args.theirs)
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            eprintln!("stance merge: cannot run `git merge-file`: {e}");
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    let out = args.out.as_ref().unwrap_or(&args.ours);
    // git merge-file: 0 clean, the number of conflicts when positive, negative on error.
    let code = match output.status.code() {
        Some(0) => {
            let text = String::from_utf8_lossy(&output.stdout);
            if let Err(e) = kind.parses(out, &text) {
                return Err(Refusal(format!(
                    "merged as text, the result is no longer {} (at {}: {})",
                    kind.name(),
                    e.pos(),
                    e.message()
                )));
            }
            ExitCode::SUCCESS
        }
        // Git's own conflict state: markers in the file, exit non-zero.
        Some(1..=127) => ExitCode::FAILURE,
        _ => {
            eprintln!("stance merge: `git merge-file` failed ({})", output.status);
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    if let Err(e) = store::write_atomic(out, &output.stdout) {
        eprintln!("stance merge: cannot write {}: {e}", display_path(out));
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    Ok(code)
}
