//! `stance migrate [DIR] [--dry-run]`: apply the codebook's label migrations to annotation
//! files.
//!
//! The migration itself is core work (`core::migrate`) that is being written separately; until
//! it is part of this build, [`migrate_project`] reports that it is not available and the
//! command exits with code 2.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{EXIT_USAGE, display_path, plural, print_out, project_root};

/// Arguments of `stance migrate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder (default: --project, else the current folder if it is a project).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Show what would change without writing any file.
    #[arg(long)]
    pub dry_run: bool,
}

/// Per-file reports (already displayed as text), or why the migration failed.
type Outcome = Result<Vec<(PathBuf, String)>, String>;

/// The core migration, or `None` when this build does not have it.
///
/// Kept as the one place that touches `core::migrate`, so wiring it in is a one-line change:
/// `Some(crate::core::migrate::migrate_project(root, dry_run).map(|v| v.into_iter().map(|(p, r)| (p, r.to_string())).collect()).map_err(|e| e.to_string()))`.
fn migrate_project(root: &Path, dry_run: bool) -> Option<Outcome> {
    let _ = (root, dry_run);
    None
}

/// Runs `stance migrate`.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = project_root(args.dir.as_deref(), project);
    match migrate_project(&root, args.dry_run) {
        None => {
            eprintln!(
                "stance migrate: not available in this build (codebook migrations are not included yet)\nhint: update stance; `stance check` shows which files use an older codebook version"
            );
            ExitCode::from(EXIT_USAGE)
        }
        Some(Err(e)) => {
            eprintln!("stance migrate: {e}\nhint: run `stance check` and fix the errors first");
            ExitCode::FAILURE
        }
        Some(Ok(reports)) => {
            print_out(&render(&reports, args.dry_run));
            ExitCode::SUCCESS
        }
    }
}

/// One line per file (`path: report`), then what happened overall.
fn render(reports: &[(PathBuf, String)], dry_run: bool) -> String {
    let mut out = String::new();
    for (path, report) in reports {
        let _ = writeln!(out, "{}: {report}", display_path(path));
    }
    let verb = if dry_run {
        "would be migrated"
    } else {
        "migrated"
    };
    let _ = writeln!(out, "{} {verb}", plural(reports.len(), "file"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_lists_files_and_says_dry_run() {
        let reports = vec![(PathBuf::from("a/b.ron"), "2 labels renamed".to_owned())];
        let out = render(&reports, true);
        assert_eq!(out, "a/b.ron: 2 labels renamed\n1 file would be migrated\n");
    }
}
