//! `stance migrate [DIR] [--dry-run]`: apply the codebook's label migrations to annotation
//! files.
//!
//! The migration is core work ([`crate::core::project::migrate`]); this module only prints its reports.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{display_path, plural, print_out, project_root};

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

/// What the migration did (or, in a dry run, would do) to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileReport {
    /// The annotation file.
    path: PathBuf,
    /// The core's report, as displayed text.
    text: String,
    /// Whether the file needed migrating at all.
    changed: bool,
}

/// Per-file reports, or why the migration failed (nothing is written then).
type Outcome = Result<Vec<FileReport>, String>;

/// Runs the core migration and turns its reports into printable ones.
fn migrate_project(root: &Path, dry_run: bool) -> Outcome {
    crate::core::project::migrate::migrate_project(root, dry_run)
        .map(|reports| {
            reports
                .into_iter()
                .map(|(path, r)| FileReport {
                    changed: !r.is_current(),
                    text: r.to_string(),
                    path,
                })
                .collect()
        })
        .map_err(|e| e.to_string())
}

/// Runs `stance migrate`.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = match project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    match migrate_project(&root, args.dry_run) {
        Err(e) => {
            eprintln!("stance migrate: {e}\nhint: run `stance check` and fix the errors first");
            ExitCode::FAILURE
        }
        Ok(reports) => {
            print_out(&render(&reports, args.dry_run));
            ExitCode::SUCCESS
        }
    }
}

/// One block per file that changes (`path: report`), then what happened overall.
fn render(reports: &[FileReport], dry_run: bool) -> String {
    let mut out = String::new();
    let changed: Vec<&FileReport> = reports.iter().filter(|r| r.changed).collect();
    for r in &changed {
        let _ = writeln!(out, "{}: {}", display_path(&r.path), r.text);
    }
    let verb = if dry_run {
        "would be migrated"
    } else {
        "migrated"
    };
    let _ = writeln!(
        out,
        "{} of {} {verb}",
        changed.len(),
        plural(reports.len(), "file")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_lists_changed_files_and_says_dry_run() {
        let reports = vec![
            FileReport {
                path: PathBuf::from("a/b.ron"),
                text: "2 labels renamed".to_owned(),
                changed: true,
            },
            FileReport {
                path: PathBuf::from("a/c.ron"),
                text: "already current".to_owned(),
                changed: false,
            },
        ];
        assert_eq!(
            render(&reports, true),
            "a/b.ron: 2 labels renamed\n1 of 2 files would be migrated\n"
        );
        assert_eq!(render(&reports[1..], false), "0 of 1 file migrated\n");
    }
}
