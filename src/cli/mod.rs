//! The `stance` command line: clap subcommands over the core.
