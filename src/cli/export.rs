//! `stance export [DIR] --format csv|jsonl|wide [--out FILE]`: every claim, one row each, or
//! the wide table (one row per sentence, one column per coder).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{describe_load_error, display_path, plural, project_root};
use crate::core::project::export::{ExportError, ExportFormat, ExportSummary, export_project};
use crate::core::storage::store;

/// Output format as named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values, one `stance_<target>` column per codebook target.
    Csv,
    /// JSON Lines: one object per claim, stances nested by target.
    Jsonl,
    /// CSV for statistics packages: one row per sentence, one column per coder (and field).
    Wide,
}

impl Format {
    /// The per-claim format, or `None` for the wide table.
    fn claims(self) -> Option<ExportFormat> {
        match self {
            Self::Csv => Some(ExportFormat::Csv),
            Self::Jsonl => Some(ExportFormat::Jsonl),
            Self::Wide => None,
        }
    }
}

/// Arguments of `stance export`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exits 1 if some annotation files could not be read; the others are still exported and the skipped ones are listed on stderr."
)]
pub struct Args {
    /// The project folder (default: --project, else the current folder if it is a project).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to FILE (atomically: readers never see half a file) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Wide table: only this field (`claim`, `speaker`, `stance:<target>`, `source`;
    /// repeatable; all by default).
    #[arg(long = "field", value_name = "FIELD")]
    pub fields: Vec<String>,
    /// Wide table: numeric codes instead of labels; the legend goes to FILE.codes.csv with
    /// --out, else to standard error.
    #[arg(long)]
    pub numeric: bool,
}

/// Runs `stance export`.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = match project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    // Rendered in memory first: the export is small next to the articles, and a failed export
    // must not leave half a file behind or half a table on a pipe.
    let mut buffer = Vec::new();
    let Some(format) = args.format.claims() else {
        return wide::run(args, &root);
    };
    let summary = match export_project(&root, format, &mut buffer) {
        Ok(s) => s,
        Err(e) => {
            report_error(&e);
            return ExitCode::FAILURE;
        }
    };
    let written = if let Some(path) = &args.out {
        store::write_atomic(path, &buffer).map_err(|e| {
            eprintln!(
                "stance export: cannot write {}: {e}\nhint: check that the folder exists and is writable",
                display_path(path)
            );
        })
    } else {
        let mut out = std::io::stdout().lock();
        match out.write_all(&buffer).and_then(|()| out.flush()) {
            Ok(()) => Ok(()),
            // `stance export … | head` closing the pipe early is the reader's choice.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => {
                eprintln!("stance export: cannot write to standard output: {e}");
                Err(())
            }
        }
    };
    if written.is_err() {
        return ExitCode::FAILURE;
    }
    report_summary(&summary, args.out.as_deref());
    if summary.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Writes `buffer` to `--out` (atomically) or standard output; `false` if that failed.
fn emit(buffer: &[u8], out: Option<&Path>) -> bool {
    if let Some(path) = out {
        if let Err(e) = store::write_atomic(path, buffer) {
            eprintln!(
                "stance export: cannot write {}: {e}\nhint: check that the folder exists and is writable",
                display_path(path)
            );
            return false;
        }
        return true;
    }
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(buffer).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("stance export: cannot write to standard output: {e}");
            false
        }
        _ => true,
    }
}

/// `--format wide`: the table agreement statistics are computed on.
mod wide {
    use std::path::Path;
    use std::process::ExitCode;

    use super::{Args, emit};
    use crate::cli::{describe_load_error, display_path, plural};
    use crate::core::agreement::units::{Field, Selection};
    use crate::core::interchange::wide::{wide, write_codes, write_csv};
    use crate::core::project::Project;

    pub(super) fn run(args: &Args, root: &Path) -> ExitCode {
        let fail = |msg: String| {
            eprintln!("stance export: {msg}");
            ExitCode::FAILURE
        };
        let (project, _) = match Project::open(root) {
            Ok(p) => p,
            Err(e) => return fail(describe_load_error(&e)),
        };
        let mut fields = Vec::new();
        for f in &args.fields {
            match Field::parse(f, &project) {
                Ok(f) => fields.push(f),
                Err(e) => return fail(e),
            }
        }
        let sel = Selection {
            fields,
            ..Selection::default()
        };
        let (table, problems) = match wide(&project, &sel, args.numeric) {
            Ok(t) => t,
            Err(e) => return fail(e.to_string()),
        };
        for p in &problems {
            eprintln!("{} (skipped)", describe_load_error(p));
        }
        let mut buffer = Vec::new();
        if let Err(e) = write_csv(&table, &mut buffer) {
            return fail(e.to_string());
        }
        if !emit(&buffer, args.out.as_deref()) {
            return ExitCode::FAILURE;
        }
        if args.numeric {
            let mut codes = Vec::new();
            if let Err(e) = write_codes(&table, &mut codes) {
                return fail(e.to_string());
            }
            match &args.out {
                Some(out) => {
                    let path = out.with_extension("codes.csv");
                    if !emit(&codes, Some(&path)) {
                        return ExitCode::FAILURE;
                    }
                    eprintln!("stance export: codes in {}", display_path(&path));
                }
                None => eprint!("{}", String::from_utf8_lossy(&codes)),
            }
        }
        eprintln!(
            "stance export: {} × {} coder columns",
            plural(table.rows.len(), "sentence"),
            table.header.len().saturating_sub(3)
        );
        if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

fn report_error(e: &ExportError) {
    match e {
        ExportError::Codebook(load) => eprintln!(
            "stance export: {}\nhint: fix the codebook first; `stance check` lists every problem",
            describe_load_error(load)
        ),
        other => eprintln!("stance export: {other}"),
    }
}

fn report_summary(summary: &ExportSummary, out: Option<&Path>) {
    for f in &summary.skipped {
        eprintln!(
            "{}:{}: {}: {} (skipped)",
            display_path(&f.path),
            f.pos,
            f.severity,
            f.message
        );
    }
    let target = out.map_or_else(|| "standard output".to_owned(), display_path);
    eprintln!(
        "stance export: {} from {} to {target}",
        plural(summary.rows, "claim"),
        plural(summary.files, "file")
    );
    if !summary.skipped.is_empty() {
        eprintln!(
            "stance export: {} skipped; run `stance check` for details",
            plural(summary.skipped.len(), "file")
        );
    }
}
