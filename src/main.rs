//! `stance`: no arguments opens the window; a subcommand runs the CLI.

fn main() -> std::process::ExitCode {
    match stance::ui::run(stance::core::project::default_root()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stance: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
