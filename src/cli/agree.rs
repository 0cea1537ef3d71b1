//! `stance agree`: inter-coder agreement.
//!
//! Table mode (`--table FILE.csv`) reads a long-format reliability table (`unit,coder,value`)
//! and prints every statistic of [`crate::core::agreement`]. Project mode (a project folder,
//! units = sentences of the annotation files) is declared here but not implemented yet.
//!
//! Exit codes: 0 success; 1 the table cannot be read or is invalid (the message names the
//! line); 2 usage errors and project mode.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::core::agreement::{
    AgreementReport, Level, ReportOptions, agreement_report, read_table_bytes, render_csv,
    render_markdown, render_text,
};

/// Arguments of `stance agree`.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct AgreeArgs {
    /// Project folder (project mode: units are sentences of the annotation files; not yet
    /// available, use --table).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Reliability table in long CSV format: header `unit,coder,value`, one line per rating.
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["dir", "articles", "fields", "annotators"])]
    pub table: Option<PathBuf>,
    /// Level of measurement for Krippendorff's alpha (kappas and AC1 are always nominal).
    #[arg(long, value_enum, default_value_t = LevelArg::Nominal)]
    pub level: LevelArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Seed of the bootstrap; the same seed gives the same interval.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
    /// Bootstrap samples for alpha's 95% interval (0: no interval).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub bootstrap: usize,
    /// Project mode: only this article (repeatable).
    #[arg(long = "article", value_name = "ID")]
    pub articles: Vec<String>,
    /// Project mode: only this field, e.g. `stance:ceasefire` or `source` (repeatable).
    #[arg(long = "field", value_name = "FIELD")]
    pub fields: Vec<String>,
    /// Project mode: only this annotator (repeatable).
    #[arg(long = "annotator", value_name = "NAME")]
    pub annotators: Vec<String>,
}

/// `--level`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelArg {
    /// Categories are only different.
    Nominal,
    /// Categories are ordered (values must be numbers; their order is the scale's).
    Ordinal,
    /// Numbers; distance is the difference.
    Interval,
    /// Non-negative numbers with a true zero.
    Ratio,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Self {
        match l {
            LevelArg::Nominal => Self::Nominal,
            LevelArg::Ordinal => Self::Ordinal,
            LevelArg::Interval => Self::Interval,
            LevelArg::Ratio => Self::Ratio,
        }
    }
}

/// `--format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    Text,
    /// One JSON object; undefined values are null with a `<key>_undefined_reason`.
    Json,
    /// `statistic,value,undefined_reason` rows.
    Csv,
    /// Markdown tables.
    Markdown,
}

/// Runs `stance agree`.
pub fn run(args: &AgreeArgs) -> ExitCode {
    let Some(path) = &args.table else {
        eprintln!("project mode: not yet (use --table FILE.csv)");
        return ExitCode::from(2);
    };
    let progress = Progress::new();
    let report = match table_report(path, args, &progress) {
        Ok(r) => r,
        Err(message) => {
            progress.clear();
            eprintln!("error: {}: {message}", path.display());
            return ExitCode::FAILURE;
        }
    };
    progress.clear();
    let text = match args.format {
        Format::Text => render_text(&report),
        Format::Markdown => render_markdown(&report),
        Format::Csv => render_csv(&report),
        Format::Json => match serde_json::to_string_pretty(&report.to_json()) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!("error: cannot write JSON: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the report: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the table and computes the report; the error is a one-line message.
fn table_report(
    path: &Path,
    args: &AgreeArgs,
    progress: &Progress,
) -> Result<AgreementReport, String> {
    let level = Level::from(args.level);
    progress.reading();
    let data = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let table = read_table_bytes(&data, level, &mut |done, total| progress.set(done, total))
        .map_err(|e| e.to_string())?;
    progress.computing();
    let options = ReportOptions {
        level,
        bootstrap: args.bootstrap,
        seed: args.seed,
    };
    Ok(agreement_report(&table.matrix, &table.coders, &options))
}

/// A progress line on stderr, drawn only when stderr is a terminal so pipes and logs stay
/// clean.
struct Progress(ProgressBar);

impl Progress {
    fn new() -> Self {
        let bar = if std::io::stderr().is_terminal() {
            ProgressBar::new_spinner()
        } else {
            ProgressBar::hidden()
        };
        Self(bar)
    }

    fn reading(&self) {
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {msg} {bytes}/{total_bytes} ({eta})")
        {
            self.0.set_style(style);
        }
        self.0.set_message("reading table");
        self.0.enable_steady_tick(Duration::from_millis(100));
    }

    fn set(&self, done: u64, total: u64) {
        self.0.set_length(total);
        self.0.set_position(done);
    }

    fn computing(&self) {
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            self.0.set_style(style);
        }
        self.0
            .set_message("computing agreement and bootstrap interval");
    }

    fn clear(&self) {
        self.0.finish_and_clear();
    }
}
