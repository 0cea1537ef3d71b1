//! `stance init [DIR] [--sample]`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::display_path;
use crate::core::team::init::{Action, init};

/// Arguments of `stance init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project folder (made if it does not exist); the current folder by default.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Put the bundled sample articles into `seeds/` (articles already there are kept).
    #[arg(long)]
    pub sample: bool,
}

/// Runs `stance init`.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = args
        .dir
        .as_deref()
        .or(project)
        .unwrap_or(Path::new("."))
        .to_owned();
    let exe = super::this_binary();
    let report = match init(&root, args.sample, &exe) {
        Ok(r) => r,
        Err(e) => return super::fail(&e.to_string()),
    };
    let shown = |a: &Action| {
        // Paths relative to where the user is, as every other command prints them.
        let p = |p: &Path| display_path(p);
        match a {
            Action::Created(x) => format!("created {}", p(x)),
            Action::Kept(x, why) => format!("kept {} ({why})", p(x)),
            Action::Appended(x, lines) => {
                format!("appended to {}: {}", p(x), lines.join(", "))
            }
            Action::Refused(x, why) => format!("did not touch {}: {why}", p(x)),
            Action::GitInit(x) => format!("made a git repository in {}", p(x)),
            Action::InRepository(x) => format!("already in the git repository at {}", p(x)),
            other => other.to_string(),
        }
    };
    let mut out = String::new();
    for a in &report.actions {
        out.push_str(&shown(a));
        out.push('\n');
    }
    let changed = report.actions.iter().any(Action::changed);
    if !changed && report.problems.is_empty() {
        out.push_str("nothing to change: the project was set up already\n");
    } else if report.problems.is_empty() {
        // With the sample, the articles are there already; without, they come first.
        let articles = if args.sample {
            "the sample articles are in seeds/ (add your own beside them)"
        } else {
            "put articles in seeds/ (`stance import-articles FILES…` reads HTML, DOCX, news exports)"
        };
        let _ = writeln!(
            out,
            "the project in {} is ready: {articles}; then `stance assign --coder NAME … --share 0.1`",
            display_path(&root)
        );
    }
    crate::cli::print_out(&out);
    for p in &report.problems {
        eprintln!("error: {p}");
    }
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
