//! `stance agree`: inter-coder agreement.
//!
//! Project mode (default: a project folder) takes sentences as units and annotators as coders,
//! one report per field (see [`crate::core::agreement::units`]). Table mode
//! (`--table FILE.csv`) reads a long-format reliability table (`unit,coder,value`). Both print
//! every statistic of [`crate::core::agreement`].
//!
//! Exit codes: 0 success; 1 the project or table cannot be read or is invalid (the message
//! names the line); 2 usage errors.

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::core::agreement::project::{ProjectResults, project_reports};
use crate::core::agreement::units::{Field, Selection};
use crate::core::agreement::{
    AgreementReport, DriftPoint, Level, ReportOptions, agreement_report, read_table_with_progress,
    render_csv, render_markdown, render_text, week_start,
};

/// Arguments of `stance agree`.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct AgreeArgs {
    /// Project folder (project mode: units are the sentences of the annotation files).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Reliability table in long CSV format: header `unit,coder,value`, one line per rating.
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["dir", "articles", "fields", "annotators", "training", "report"])]
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
    /// Project mode: leave out claims that started as accepted suggestions.
    #[arg(long)]
    pub manual_only: bool,
    /// Project mode: also show each coder's agreement with the others week by week.
    #[arg(long)]
    pub drift: bool,
    /// Team project: each coder against gold on the plan's training articles, pass or fail.
    #[arg(long, conflicts_with = "report")]
    pub training: bool,
    /// Team project: the methods-section reliability table (units, coders, alpha with its
    /// 95% CI, q(α < α_min), percent agreement) and how the sample was drawn.
    #[arg(long, value_enum, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "markdown")]
    pub report: Option<crate::cli::team::report::ReportFormat>,
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
pub fn run(args: &AgreeArgs, project: Option<&Path>) -> ExitCode {
    let Some(path) = &args.table else {
        return project_mode(args, project);
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
    write_out(&text)
}

fn write_out(text: &str) -> ExitCode {
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

/// `stance agree [DIR]`: one report per field of the project's annotation files.
fn project_mode(args: &AgreeArgs, project: Option<&Path>) -> ExitCode {
    let root = match crate::cli::project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    if args.training {
        return crate::cli::team::report::training(&root);
    }
    if let Some(format) = args.report {
        let options = ReportOptions {
            level: Level::from(args.level),
            bootstrap: args.bootstrap,
            seed: args.seed,
        };
        return crate::cli::team::report::report(&root, format, &options);
    }
    let fail = |msg: String, code: u8| {
        eprintln!("error: {msg}");
        ExitCode::from(code)
    };
    let (project, _) = match crate::core::project::Project::open(&root) {
        Ok(p) => p,
        Err(e) => return fail(e.to_string(), 1),
    };
    if project.articles.is_empty() {
        return fail(
            format!(
                "{} has no articles (expected UTF-8 .txt files in its seeds/ folder); is this a Stance project?",
                root.display()
            ),
            1,
        );
    }
    let mut fields = Vec::new();
    for f in &args.fields {
        match Field::parse(f, &project) {
            Ok(f) => fields.push(f),
            Err(e) => return fail(e, 2),
        }
    }
    for a in &args.articles {
        if project.article(a).is_none() {
            return fail(format!("no article `{a}` in {}", root.display()), 2);
        }
    }
    let articles = match without_training(&root, &project, &args.articles) {
        Ok(a) => a,
        Err(e) => return fail(e, 1),
    };
    let selection = Selection {
        articles,
        annotators: args.annotators.clone(),
        fields,
        manual_only: args.manual_only,
    };
    let options = ReportOptions {
        level: Level::from(args.level),
        bootstrap: args.bootstrap,
        seed: args.seed,
    };
    let results = match project_reports(&project, &selection, &options) {
        Ok(r) => r,
        Err(e) => return fail(e, 1),
    };
    let text = match render_project(&results, args, &root) {
        Ok(t) => t,
        Err(e) => return fail(e, 1),
    };
    write_out(&text)
}

/// The articles to measure: those named, or with a team plan every article but the training
/// articles (coders are scored against gold there, not against each other).
fn without_training(
    root: &Path,
    project: &crate::core::project::Project,
    named: &[String],
) -> Result<Vec<String>, String> {
    if !named.is_empty() {
        return Ok(named.to_vec());
    }
    let plan =
        crate::core::team::plan::load(root).map_err(|e| crate::cli::describe_load_error(&e))?;
    let Some(plan) = plan.filter(|p| !p.training.is_empty()) else {
        return Ok(Vec::new());
    };
    let rest: Vec<String> = project
        .articles
        .iter()
        .filter(|a| !plan.is_training(&a.id))
        .map(|a| a.id.clone())
        .collect();
    if rest.is_empty() {
        return Err(
            "every article is a training article; there is nothing to measure agreement on".into(),
        );
    }
    eprintln!(
        "note: left out {} training article(s) of project.ron ({}); `stance agree --training` scores them against gold",
        plan.training.len(),
        plan.training.join(", ")
    );
    Ok(rest)
}

fn render_project(
    results: &ProjectResults,
    args: &AgreeArgs,
    root: &Path,
) -> Result<String, String> {
    if args.format == Format::Json {
        let mut fields = serde_json::Map::new();
        for (data, report) in &results.fields {
            fields.insert(data.field.name(), report.to_json());
        }
        let mut doc = serde_json::json!({
            "project": root.display().to_string(),
            "fields": fields,
            "spans": results.spans.to_json(),
        });
        if args.drift {
            let mut drift = serde_json::Map::new();
            for (field, points) in &results.drift {
                let coders = coder_names(results, field);
                drift.insert(field.name(), drift_json(points, &coders));
            }
            doc["drift"] = serde_json::Value::Object(drift);
        }
        return serde_json::to_string_pretty(&doc)
            .map(|s| s + "\n")
            .map_err(|e| format!("cannot write JSON: {e}"));
    }
    let mut out = String::new();
    let heading = |out: &mut String, title: &str| {
        let _ = if args.format == Format::Markdown {
            writeln!(out, "## {title}\n")
        } else {
            writeln!(out, "== {title} ==")
        };
    };
    for (data, report) in &results.fields {
        heading(&mut out, &data.field.name());
        let body = match args.format {
            Format::Markdown => render_markdown(report),
            Format::Csv => render_csv(report),
            _ => render_text(report),
        };
        let _ = writeln!(out, "{body}");
    }
    heading(&mut out, "claim boundaries (spans)");
    let spans = if args.format == Format::Csv {
        results.spans.render_csv()
    } else {
        results.spans.render_markdown()
    };
    let _ = writeln!(out, "{spans}");
    if args.drift {
        for (field, points) in &results.drift {
            heading(&mut out, &format!("drift: {}", field.name()));
            let coders = coder_names(results, field);
            let _ = writeln!(out, "{}", drift_table(points, &coders));
        }
    }
    Ok(out)
}

fn coder_names(results: &ProjectResults, field: &Field) -> Vec<String> {
    results
        .fields
        .iter()
        .find(|(d, _)| &d.field == field)
        .map(|(d, _)| d.coders.clone())
        .unwrap_or_default()
}

fn week_label(week: i64) -> String {
    week_start(week).map_or_else(|| format!("week {week}"), |d| d.to_string())
}

fn drift_table(points: &[DriftPoint], coders: &[String]) -> String {
    let mut out = String::from(
        "| coder | week of | units | comparisons | agreement |\n|---|---|---:|---:|---:|\n",
    );
    for p in points {
        let agreement = p.agreement.as_ref().map_or_else(
            |u| format!("undefined ({})", u.reason),
            |a| format!("{a:.3}"),
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {agreement} |",
            coders.get(p.coder).map_or_else(
                || "?".to_owned(),
                |c| crate::core::agreement::render::cell(c)
            ),
            week_label(p.week),
            p.units,
            p.comparisons,
        );
    }
    out
}

fn drift_json(points: &[DriftPoint], coders: &[String]) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = points
        .iter()
        .map(|p| {
            serde_json::json!({
                "coder": coders.get(p.coder),
                "week_start": week_start(p.week).map(|d| d.to_string()),
                "units": p.units,
                "comparisons": p.comparisons,
                "agreements": p.agreements,
                "agreement": p.agreement.as_ref().ok(),
                "agreement_undefined_reason": p.agreement.as_ref().err().map(|u| u.reason.clone()),
            })
        })
        .collect();
    serde_json::Value::Array(rows)
}

/// Reads the table and computes the report; the error is a one-line message.
fn table_report(
    path: &Path,
    args: &AgreeArgs,
    progress: &Progress,
) -> Result<AgreementReport, String> {
    let level = Level::from(args.level);
    progress.reading();
    let table = read_table_with_progress(path, level, &mut |done, total| progress.set(done, total))
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
