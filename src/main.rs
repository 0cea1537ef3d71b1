//! `stance`: no arguments opens the window; a subcommand runs the CLI. The CLI says which
//! ([`stance::cli::Run`]); opening the window is decided here, so the CLI never reaches into
//! the window's code.

use std::process::ExitCode;

use stance::cli::{self, Run};

fn main() -> ExitCode {
    match cli::run() {
        Run::Exit(code) => code,
        Run::OpenWindow(window) => open(&window),
    }
}

#[cfg(feature = "gui")]
fn open(window: &cli::Window) -> ExitCode {
    match stance::ui::run(window.request.clone()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}: cannot open the window: {e}", window.command());
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open(window: &cli::Window) -> ExitCode {
    eprint!("{}", cli::no_window(window));
    ExitCode::from(cli::EXIT_USAGE)
}
