//! `stance agree --report`: the reliability table of a methods section, per variable, with a
//! paragraph saying how the sample was drawn, as Markdown, CSV or LaTeX.
//!
//! With a plan the rows are the reliability sample's agreement so far
//! ([`super::reliability`]); without one, every article but none is a training article, and
//! the paragraph says there was no drawn sample.

use std::fmt::Write as _;

use crate::core::agreement::project::project_reports;
use crate::core::agreement::units::Selection;
use crate::core::agreement::{AgreementReport, ReportOptions, Stat};
use crate::core::project::Project;

use super::plan::{Plan, trim_number};
use super::reliability::reliability_so_far;

/// One variable's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The variable (field) name.
    pub variable: String,
    /// Units with two or more ratings (the units alpha uses).
    pub units: usize,
    /// Coders with a finished file in the sample.
    pub coders: usize,
    /// Krippendorff's alpha.
    pub alpha: Stat,
    /// Its 95% bootstrap interval.
    pub ci: Option<(f64, f64)>,
    /// q(α < α_min).
    pub q: Option<f64>,
    /// Percent agreement (a proportion).
    pub percent: Stat,
}

/// The table and its caption.
#[derive(Clone, Debug, PartialEq)]
pub struct Methods {
    /// One row per variable.
    pub rows: Vec<Row>,
    /// α_min that q is computed against.
    pub alpha_min: f64,
    /// How the sample was drawn and what was computed, for the text of the section.
    pub description: String,
}

/// Output format of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Markdown table and a paragraph.
    Markdown,
    /// One row per variable; the description in a last column.
    Csv,
    /// A `table` environment with the description as its caption.
    Latex,
}

/// The methods table of `project`: on the plan's reliability sample, or without a plan on
/// every article.
pub fn methods(
    project: &Project,
    plan: Option<&Plan>,
    options: &ReportOptions,
) -> Result<Methods, String> {
    let how = bootstrap_words(options);
    if let Some(plan) = plan {
        let r = reliability_so_far(project, plan, options)?;
        let rows = r
            .fields
            .iter()
            .map(|f| row(&f.field, &f.report, f.q))
            .collect();
        let drawn = format!(
            "a simple random sample of articles (seed {}: articles ordered by SHA-256 of `stance/sample/{}/<article id>`, the first n taken); size: {}",
            plan.sample.seed,
            plan.sample.seed,
            plan.sample.size.describe()
        );
        let population = project
            .articles
            .iter()
            .filter(|a| !plan.is_training(&a.id))
            .count();
        let training = if plan.training.is_empty() {
            String::new()
        } else {
            format!(
                " The plan's {} (coded by every coder and scored against an adjudicated gold standard) {} not part of the sample.",
                count(plan.training.len(), "training article"),
                if plan.training.len() == 1 {
                    "is"
                } else {
                    "are"
                }
            )
        };
        let description = format!(
            "Reliability sample: {} of {population} articles, {drawn}. Each was coded independently by {} ({}); {} of {} sample articles were finished by every coder when this table was made.{training} Units are sentences (boilerplate excluded); per variable, Krippendorff's alpha ({}) {how}; q(α < α_min) is the share of bootstrap replicates below α_min = {}.",
            r.sample.len(),
            count(plan.coders.len(), "coder"),
            plan.coders.join(", "),
            r.complete,
            r.sample.len(),
            options.level.name(),
            trim_number(plan.thresholds.alpha_min),
        );
        return Ok(Methods {
            rows,
            alpha_min: plan.thresholds.alpha_min,
            description,
        });
    }
    let alpha_min = super::plan::DEFAULT_ALPHA_MIN;
    let results = project_reports(project, &Selection::default(), options)?;
    let rows = results
        .fields
        .iter()
        .map(|(d, r)| {
            let q = r
                .alpha_ci95
                .as_ref()
                .ok()
                .map(|ci| ci.share_below(alpha_min));
            row(&d.field.name(), r, q)
        })
        .collect();
    let description = format!(
        "All {} articles of the project (no reliability sample was drawn: the project has no project.ron); every article coded by two or more coders counts. Units are sentences (boilerplate excluded); per variable, Krippendorff's alpha ({}) {how}; q(α < α_min) is the share of bootstrap replicates below α_min = {}.",
        project.articles.len(),
        options.level.name(),
        trim_number(alpha_min),
    );
    Ok(Methods {
        rows,
        alpha_min,
        description,
    })
}

fn bootstrap_words(options: &ReportOptions) -> String {
    if options.bootstrap == 0 {
        "without a bootstrap interval".into()
    } else {
        format!(
            "with a 95% percentile bootstrap interval ({} resamples of units, seed {})",
            options.bootstrap, options.seed
        )
    }
}

fn row(variable: &str, r: &AgreementReport, q: Option<f64>) -> Row {
    Row {
        variable: variable.to_owned(),
        units: r.units,
        coders: r.coder_names.len(),
        alpha: r.alpha.clone(),
        ci: r.alpha_ci95.as_ref().ok().map(|ci| (ci.low, ci.high)),
        q,
        percent: r.percent_agreement.clone(),
    }
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Three decimals, or an en dash for a value that is not defined.
fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{x:.3}"))
}

impl Row {
    fn alpha(&self) -> Option<f64> {
        self.alpha.as_ref().ok().copied()
    }

    fn percent(&self) -> Option<f64> {
        self.percent.as_ref().ok().map(|p| p * 100.0)
    }

    fn ci_text(&self, sep: &str) -> String {
        self.ci.map_or_else(
            || "–".to_owned(),
            |(lo, hi)| format!("[{lo:.3}{sep}{hi:.3}]"),
        )
    }
}

/// The table in `format`.
pub fn render(m: &Methods, format: Format) -> String {
    match format {
        Format::Markdown => markdown(m),
        Format::Csv => csv(m),
        Format::Latex => latex(m),
    }
}

fn markdown(m: &Methods) -> String {
    let min = trim_number(m.alpha_min);
    let mut out = format!(
        "| Variable | Units | Coders | Krippendorff's α | 95% CI | q(α < {min}) | Agreement |\n|---|---:|---:|---:|---|---:|---:|\n"
    );
    for r in &m.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.variable.replace('|', "\\|"),
            r.units,
            r.coders,
            num(r.alpha()),
            r.ci_text(", "),
            num(r.q),
            r.percent()
                .map_or_else(|| "–".to_owned(), |p| format!("{p:.1}%")),
        );
    }
    let _ = writeln!(out, "\n{}", m.description);
    out
}

fn csv(m: &Methods) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let opt = |x: Option<f64>| x.map(|x| format!("{x:.6}")).unwrap_or_default();
    let _ = w.write_record([
        "variable",
        "units",
        "coders",
        "alpha",
        "alpha_ci95_low",
        "alpha_ci95_high",
        "q_alpha_below_min",
        "alpha_min",
        "percent_agreement",
        "sample",
    ]);
    for r in &m.rows {
        let _ = w.write_record([
            r.variable.clone(),
            r.units.to_string(),
            r.coders.to_string(),
            opt(r.alpha()),
            opt(r.ci.map(|c| c.0)),
            opt(r.ci.map(|c| c.1)),
            opt(r.q),
            trim_number(m.alpha_min),
            opt(r.percent.as_ref().ok().copied()),
            m.description.clone(),
        ]);
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

/// `text` with LaTeX's special characters escaped.
pub fn latex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            'α' => out.push_str("$\\alpha$"),
            '≤' => out.push_str("$\\le$"),
            '–' => out.push_str("--"),
            c => out.push(c),
        }
    }
    out
}

fn latex(m: &Methods) -> String {
    let min = trim_number(m.alpha_min);
    let mut out =
        String::from("\\begin{table}[ht]\n\\centering\n\\begin{tabular}{lrrrlrr}\n\\hline\n");
    let _ = writeln!(
        out,
        "Variable & Units & Coders & $\\alpha$ & 95\\% CI & $q(\\alpha < {min})$ & Agreement \\\\"
    );
    out.push_str("\\hline\n");
    let dash = |s: String| if s == "–" { "--".to_owned() } else { s };
    for r in &m.rows {
        let _ = writeln!(
            out,
            "{} & {} & {} & {} & {} & {} & {} \\\\",
            latex_escape(&r.variable),
            r.units,
            r.coders,
            dash(num(r.alpha())),
            dash(r.ci_text(", ")),
            dash(num(r.q)),
            r.percent()
                .map_or_else(|| "--".to_owned(), |p| format!("{p:.1}\\%")),
        );
    }
    out.push_str("\\hline\n\\end{tabular}\n");
    let _ = writeln!(out, "\\caption{{{}}}", latex_escape(&m.description));
    out.push_str("\\end{table}\n");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::agreement::Undefined;

    fn methods_fixture() -> Methods {
        Methods {
            rows: vec![
                Row {
                    variable: "stance:ceasefire".into(),
                    units: 120,
                    coders: 2,
                    alpha: Ok(0.8123),
                    ci: Some((0.71, 0.9)),
                    q: Some(0.412),
                    percent: Ok(0.95),
                },
                Row {
                    variable: "source_type".into(),
                    units: 0,
                    coders: 2,
                    alpha: Err(Undefined::new("no unit has two ratings")),
                    ci: None,
                    q: None,
                    percent: Err(Undefined::new("no unit has two ratings")),
                },
            ],
            alpha_min: 0.8,
            description: "Reliability sample: 10% of 50 articles & more.".into(),
        }
    }

    #[test]
    fn markdown_table_has_a_row_per_variable_and_the_description() {
        let text = render(&methods_fixture(), Format::Markdown);
        assert!(
            text.starts_with(
                "| Variable | Units | Coders | Krippendorff's α | 95% CI | q(α < 0.8) | Agreement |"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "| stance:ceasefire | 120 | 2 | 0.812 | [0.710, 0.900] | 0.412 | 95.0% |"
            ),
            "{text}"
        );
        assert!(
            text.contains("| source_type | 0 | 2 | – | – | – | – |"),
            "{text}"
        );
        assert!(text.trim_end().ends_with("articles & more."), "{text}");
    }

    #[test]
    fn csv_is_one_record_per_variable() {
        let text = render(&methods_fixture(), Format::Csv);
        let mut r = ::csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<::csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], "stance:ceasefire");
        assert_eq!(&rows[0][3], "0.812300");
        assert_eq!(&rows[0][6], "0.412000");
        assert_eq!(&rows[1][3], "");
        assert!(rows[1][9].contains("& more"));
    }

    #[test]
    fn latex_escapes_and_captions() {
        let text = render(&methods_fixture(), Format::Latex);
        assert!(
            text.contains("source\\_type & 0 & 2 & -- & -- & -- & -- \\\\"),
            "{text}"
        );
        assert!(
            text.contains(
                "stance:ceasefire & 120 & 2 & 0.812 & [0.710, 0.900] & 0.412 & 95.0\\% \\\\"
            ),
            "{text}"
        );
        assert!(
            text.contains("\\caption{Reliability sample: 10\\% of 50 articles \\& more.}"),
            "{text}"
        );
        assert_eq!(
            latex_escape("a_b{c}~^\\"),
            "a\\_b\\{c\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}"
        );
    }
}
