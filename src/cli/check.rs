//! `stance check [DIR]`: print every finding, then a summary; exit 1 if any is an error.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{display_path, plural, print_out, project_root};
use crate::core::check::{CheckReport, Severity, check_project_report};

/// Arguments of `stance check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder (default: --project, else the current folder if it is a project).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Treat warnings as errors (exit 1 on any): for CI, so an unresolved merge or a stale
    /// file cannot slip through.
    #[arg(long)]
    pub strict: bool,
}

/// Runs `stance check`.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = match project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let mut report = check_project_report(&root);
    if args.strict {
        for f in &mut report.findings {
            f.severity = Severity::Error;
        }
    }
    print_out(&render(&report));
    if report.errors() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The findings, one per line with paths relative to the current folder, and the summary.
pub fn render(report: &CheckReport) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let _ = writeln!(
            out,
            "{}:{}: {}: {}",
            display_path(&f.path),
            f.pos,
            f.severity,
            f.message
        );
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// "3 errors, 1 warning in 12 files".
pub fn summary(report: &CheckReport) -> String {
    format!(
        "{}, {} in {}",
        plural(report.errors(), "error"),
        plural(report.warnings(), "warning"),
        plural(report.files, "file")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::check::Finding;
    use crate::core::storage::store::Pos;

    #[test]
    fn summary_counts_and_pluralises() {
        let p = Pos { line: 2, col: 3 };
        let report = CheckReport {
            findings: vec![
                Finding::error(Path::new("a.ron"), p, "x"),
                Finding::error(Path::new("a.ron"), p, "y"),
                Finding::warning(Path::new("b.ron"), p, "z"),
            ],
            files: 12,
        };
        assert_eq!(summary(&report), "2 errors, 1 warning in 12 files");
        let text = render(&report);
        assert_eq!(text.lines().next(), Some("a.ron:2:3: error: x"));
        assert_eq!(text.lines().count(), 4);
    }
}
