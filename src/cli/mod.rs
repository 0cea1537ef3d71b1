//! The `stance` command line: clap subcommands over the core.
//!
//! Minimal wiring for `stance agree`; the full command set is assembled here by the CLI
//! owner.

pub mod agree;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `stance`: claim and stance annotation of news articles.
#[derive(Parser, Debug)]
#[command(name = "stance", version, about)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Inter-coder agreement: Krippendorff's alpha, kappas, AC1, per category and per pair.
    Agree(agree::AgreeArgs),
}

/// Parses the command line and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Agree(args)) => agree::run(&args),
        None => {
            eprintln!("stance: no subcommand given; try `stance --help`");
            ExitCode::from(2)
        }
    }
}
