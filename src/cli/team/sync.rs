//! `stance sync [DIR] --annotator NAME`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::plural;
use crate::core::team::sync::{SyncState, sync};

/// Arguments of `stance sync`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Project folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Who is syncing: their own files are committed (an editor's also the project's).
    #[arg(long, value_name = "NAME")]
    pub annotator: String,
}

/// Runs `stance sync`. Exit 0 when synced or when there is no remote (the work is committed
/// locally and that is all there is to do), 1 when offline, stopped or failed.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = match crate::cli::project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let exe = super::this_binary();
    let report = match sync(&root, &args.annotator, &exe) {
        Ok(r) => r,
        Err(e) => return super::fail(&e.to_string()),
    };
    let mut out = String::new();
    for a in &report.setup {
        let _ = writeln!(out, "{a}");
    }
    if report.committed.is_empty() {
        out.push_str("nothing of yours to commit\n");
    } else {
        let _ = writeln!(
            out,
            "committed {}: {}",
            plural(report.committed.len(), "file"),
            listed(&report.committed)
        );
    }
    if !report.left_alone.is_empty() {
        let _ = writeln!(
            out,
            "left alone (not yours): {}",
            listed(&report.left_alone)
        );
    }
    if !report.received.is_empty() {
        let _ = writeln!(
            out,
            "received from others: {}",
            plural(report.received.len(), "changed file")
        );
    }
    for (path, conflicts) in &report.conflicts {
        let _ = writeln!(
            out,
            "merge conflict in {path}: {} (both values are kept, ours in the field and theirs in the claim's note, marked `<<merge conflict>>` and unsure; `stance check` lists them):",
            plural(conflicts.len(), "field")
        );
        for c in conflicts {
            let _ = writeln!(out, "  {c}");
        }
    }
    match &report.outcome {
        SyncState::Synced => {
            let _ = writeln!(
                out,
                "synced with {}",
                report.remote.as_deref().unwrap_or("the remote")
            );
        }
        other => {
            let _ = writeln!(out, "{other}");
        }
    }
    crate::cli::print_out(&out);
    match report.outcome {
        SyncState::Synced | SyncState::NoRemote => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

/// At most ten paths, then how many more.
fn listed(paths: &[String]) -> String {
    const SHOWN: usize = 10;
    let mut text = paths
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > SHOWN {
        let _ = write!(text, " and {} more", paths.len() - SHOWN);
    }
    text
}
