//! `stance export [DIR] --format csv|jsonl [--out FILE]`: every claim, one row each.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{describe_load_error, display_path, plural, project_root};
use crate::core::export::{ExportError, ExportFormat, ExportSummary, export_project};
use crate::core::store;

/// Output format as named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values, one `stance_<target>` column per codebook target.
    Csv,
    /// JSON Lines: one object per claim, stances nested by target.
    Jsonl,
}

impl From<Format> for ExportFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Csv => Self::Csv,
            Format::Jsonl => Self::Jsonl,
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
    let summary = match export_project(&root, args.format.into(), &mut buffer) {
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
