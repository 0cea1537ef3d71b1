//! The team parts of `stance agree`: `--training` (each coder against gold) and `--report`
//! (the methods-section table).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::describe_load_error;
use crate::core::agreement::{ReportOptions, Stat};
use crate::core::team::methods::{self, Format};
use crate::core::team::plan::{self, trim_number};
use crate::core::team::training::{Grade, training_report};

/// `--report`'s formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// A Markdown table and a paragraph on how the sample was drawn.
    Markdown,
    /// One row per variable.
    Csv,
    /// A LaTeX table with the paragraph as caption.
    Latex,
}

fn stat(s: &Stat) -> String {
    s.as_ref()
        .map_or_else(|u| format!("– ({})", u.reason), |x| format!("{x:.3}"))
}

/// `stance agree --training [DIR]`.
pub fn training(root: &Path) -> ExitCode {
    let (project, plan) = match super::open_with_plan(root) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if plan.training.is_empty() {
        return super::fail(
            "the plan has no training articles; add some with `stance assign --training ID`",
        );
    }
    let report = match training_report(&project, &plan) {
        Ok(r) => r,
        Err(e) => return super::fail(&e),
    };
    let mut out = format!(
        "training against gold on {} (pass: alpha ≥ {} on every field measured)\n",
        report.articles.join(", "),
        trim_number(report.alpha_min)
    );
    for a in &report.gold_missing {
        let _ = writeln!(
            out,
            "no gold yet for {a} (annotations/{a}/gold.ron): not scored"
        );
    }
    for a in &report.gold_unfinished {
        let _ = writeln!(
            out,
            "gold for {a} is not marked done (open disputes): not scored"
        );
    }
    for c in &report.coders {
        let verdict = match c.passed() {
            Some(true) => "PASS",
            Some(false) => "FAIL",
            None => "not scored yet",
        };
        let _ = writeln!(out, "\n== {}: {verdict} ==", c.coder);
        if !c.unfinished.is_empty() {
            let _ = writeln!(out, "not finished: {}", c.unfinished.join(", "));
        }
        if c.fields.is_empty() {
            continue;
        }
        out.push_str("| field | units | alpha | agreement | result |\n|---|---:|---:|---:|---|\n");
        for f in &c.fields {
            let result = match &f.outcome {
                Grade::Pass => "pass".to_owned(),
                Grade::Fail => "fail".to_owned(),
                Grade::NotMeasured(why) => format!("not measured ({why})"),
            };
            let percent = f
                .percent
                .as_ref()
                .map_or_else(|_| "–".to_owned(), |p| format!("{:.1}%", p * 100.0));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {percent} | {result} |",
                f.field,
                f.units,
                stat(&f.alpha)
            );
        }
        for f in &c.fields {
            for d in &f.disagreements {
                let _ = writeln!(
                    out,
                    "{} sentence {} [{}]: {} {}, gold {}: {:?}",
                    d.article,
                    d.sentence + 1,
                    f.field,
                    c.coder,
                    d.coder.as_deref().unwrap_or("(none)"),
                    d.gold.as_deref().unwrap_or("(none)"),
                    d.text
                );
                if let Some(note) = &d.gold_note {
                    for line in note.lines() {
                        let _ = writeln!(out, "    gold note: {line}");
                    }
                }
            }
        }
    }
    crate::cli::print_out(&out);
    ExitCode::SUCCESS
}

/// `stance agree --report [FORMAT] [DIR]`.
pub fn report(root: &Path, format: ReportFormat, options: &ReportOptions) -> ExitCode {
    let project = match super::open(root) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let plan = match plan::load(root) {
        Ok(p) => p,
        Err(e) => return super::fail(&describe_load_error(&e)),
    };
    let m = match methods::methods(&project, plan.as_ref(), options) {
        Ok(m) => m,
        Err(e) => return super::fail(&e),
    };
    let format = match format {
        ReportFormat::Markdown => Format::Markdown,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Latex => Format::Latex,
    };
    crate::cli::print_out(&methods::render(&m, format));
    ExitCode::SUCCESS
}
