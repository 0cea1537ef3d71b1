//! `stance`: no arguments opens the window; a subcommand runs the CLI.

fn main() {}
