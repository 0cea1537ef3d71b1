//! The team commands: `stance init`, `assign`, `queue`, `status`, `sync`, and the team parts
//! of `stance agree` (`--training`, `--report`). Each is a thin layer over
//! [`crate::core::team`]: parse, call, print.

pub mod assign;
pub mod init;
pub mod report;
pub mod status;
pub mod sync;

use std::path::Path;
use std::process::ExitCode;

use crate::cli::describe_load_error;
use crate::core::project::Project;
use crate::core::team::plan::{self, Plan};

/// Prints `error: message` and returns exit code 1.
pub(crate) fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// Opens the project in `root` and its plan, or says why not (exit 1).
pub(crate) fn open_with_plan(root: &Path) -> Result<(Project, Plan), ExitCode> {
    let project = open(root)?;
    match plan::load(root) {
        Ok(Some(p)) => Ok((project, p)),
        Ok(None) => Err(fail(&format!(
            "{} has no {} yet; make one with `stance assign --coder NAME … --share 0.1`",
            crate::cli::display_path(root),
            plan::PLAN_FILE
        ))),
        Err(e) => Err(fail(&describe_load_error(&e))),
    }
}

/// Opens the project in `root`, or says why not (exit 1).
pub(crate) fn open(root: &Path) -> Result<Project, ExitCode> {
    match Project::open(root) {
        Ok((p, _)) => Ok(p),
        Err(e) => Err(fail(&describe_load_error(&e))),
    }
}

/// The running `stance` binary, for the git drivers; `stance` (found on `PATH`) when the
/// system cannot say.
pub(crate) fn this_binary() -> std::path::PathBuf {
    std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| std::path::PathBuf::from("stance"))
}
