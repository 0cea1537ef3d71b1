//! `stance`: no arguments opens the window; a subcommand runs the CLI.

fn main() -> std::process::ExitCode {
    stance::cli::run()
}
