//! A report as text for people, Markdown for documents, or CSV for spreadsheets.
//! (JSON is [`AgreementReport::to_json`].) Pure functions returning strings.

use std::fmt::Write as _;

use std::borrow::Cow;

use super::report::AgreementReport;
use super::stat::Stat;
use crate::core::text::clip;

/// Most categories for which text output draws a two-coder confusion matrix.
const MAX_TEXT_CONFUSION: usize = 12;

/// Widest label or coder name in a text or Markdown table; longer ones end in an ellipsis.
/// Labels come from files: a 65,536-character one would otherwise overflow the format width
/// (a panic) or make the table unreadable.
pub const MAX_CELL_CHARS: usize = 40;

/// A label or name for a table: control characters escaped (a label from a file must not
/// drive the terminal), cut to [`MAX_CELL_CHARS`].
pub(crate) fn fit(text: &str) -> Cow<'_, str> {
    clip::shown(text, MAX_CELL_CHARS)
}

/// A statistic to three decimals, or "undefined (reason)".
fn show(stat: &Stat) -> String {
    match stat {
        Ok(x) => format!("{x:.3}"),
        Err(u) => format!("undefined ({})", u.reason),
    }
}

/// Fleiss' kappa with the units it covers, for a table cell: "0.412 on 35 units rated by
/// every coder", or why it is undefined ("undefined: no unit was rated by every coder"),
/// never the two run together.
pub fn fleiss_text(r: &AgreementReport) -> String {
    match &r.fleiss.kappa {
        Ok(k) if r.fleiss.units == 1 => format!("{k:.3} on 1 unit rated by every coder"),
        Ok(k) => format!("{k:.3} on {} units rated by every coder", r.fleiss.units),
        Err(u) => format!("undefined: {}", u.reason),
    }
}

/// The named headline statistics, in display order, with a note for each.
fn headline(r: &AgreementReport) -> Vec<(String, Stat, String)> {
    let ci = match &r.alpha_ci95 {
        Ok(ci) => format!(
            "95% CI [{:.3}, {:.3}] from {} bootstrap samples of units, seed {}",
            ci.low, ci.high, ci.replicates, ci.seed
        ),
        Err(u) => format!("no interval: {}", u.reason),
    };
    let cohen = if r.two_coders() {
        "Cohen's kappa".to_owned()
    } else {
        "Cohen's kappa, mean of pairs (Light)".to_owned()
    };
    let pairs = if r.two_coders() {
        String::new()
    } else {
        format!(
            "{} pairs, {} undefined",
            r.light.pairs.len(),
            r.light.undefined_pairs
        )
    };
    vec![
        (
            format!("Krippendorff's alpha ({})", r.options.level),
            r.alpha.clone(),
            ci,
        ),
        (
            "Fleiss' kappa".to_owned(),
            r.fleiss.kappa.clone(),
            format!("on {} units rated by every coder", r.fleiss.units),
        ),
        (cohen, r.cohen().clone(), pairs),
        (
            "Percent agreement".to_owned(),
            r.percent_agreement.clone(),
            "share of agreeing pairs, mean over units".to_owned(),
        ),
        ("Gwet's AC1".to_owned(), r.gwet_ac1.clone(), String::new()),
    ]
}

/// Plain text for a terminal.
pub fn render_text(r: &AgreementReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} units ({} with two or more ratings), {} coders, {} ratings, {} pairable values",
        r.units_total,
        r.units,
        r.coder_names.len(),
        r.ratings,
        r.pairable_values
    );
    let _ = writeln!(s);
    let rows = headline(r);
    let width = rows
        .iter()
        .map(|(n, _, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    for (name, stat, note) in &rows {
        let note = if note.is_empty() || stat.is_err() {
            String::new()
        } else {
            format!("   {note}")
        };
        let _ = writeln!(s, "  {name:<width$}  {}{note}", show(stat));
    }
    text_categories(&mut s, r);
    text_pairs(&mut s, r);
    text_confusion(&mut s, r);
    s
}

/// The per-category table of [`render_text`].
fn text_categories(s: &mut String, r: &AgreementReport) {
    let _ = writeln!(
        s,
        "\nPer category (values in units with two or more ratings):"
    );
    let cw = r
        .categories
        .iter()
        .map(|c| fit(&c.label).chars().count())
        .chain([8])
        .max()
        .unwrap_or(8);
    let _ = writeln!(
        s,
        "  {:<cw$}  {:>8}  specific agreement",
        "category", "values"
    );
    for c in &r.categories {
        let _ = writeln!(
            s,
            "  {:<cw$}  {:>8}  {}",
            fit(&c.label),
            c.pairable_values,
            show(&c.specific_agreement)
        );
    }
}

/// The pairs-of-coders table of [`render_text`].
fn text_pairs(s: &mut String, r: &AgreementReport) {
    if !r.light.pairs.is_empty() {
        let _ = writeln!(s, "\nPairs of coders:");
        let nw = r
            .coder_names
            .iter()
            .map(|n| fit(n).chars().count())
            .chain([5])
            .max()
            .unwrap_or(5);
        let _ = writeln!(
            s,
            "  {:<nw$}  {:<nw$}  {:>8}  {:>9}  kappa",
            "coder", "coder", "units", "agreement"
        );
        for p in &r.light.pairs {
            let _ = writeln!(
                s,
                "  {:<nw$}  {:<nw$}  {:>8}  {:>9}  {}",
                fit(&r.name(p.a)),
                fit(&r.name(p.b)),
                p.units,
                show(&p.percent_agreement),
                show(&p.kappa)
            );
        }
    }
}

/// The confusion matrix of [`render_text`], for two coders and few categories.
fn text_confusion(s: &mut String, r: &AgreementReport) {
    if let (true, Ok(confusions)) = (r.two_coders(), &r.confusions)
        && let Some(c) = confusions.first()
        && c.categories() <= MAX_TEXT_CONFUSION
    {
        let labels: Vec<Cow<'_, str>> = r.categories.iter().map(|c| fit(&c.label)).collect();
        let w = labels
            .iter()
            .map(|l| l.chars().count())
            .chain([6])
            .max()
            .unwrap_or(6);
        let _ = writeln!(
            s,
            "\nConfusion matrix (rows: {}, columns: {}):",
            fit(&r.name(0)),
            fit(&r.name(1))
        );
        let _ = write!(s, "  {:<w$}", "");
        for l in &labels {
            let _ = write!(s, "  {l:>w$}");
        }
        let _ = writeln!(s);
        for (i, l) in labels.iter().enumerate() {
            let _ = write!(s, "  {l:<w$}");
            for n in c.row(i) {
                let _ = write!(s, "  {n:>w$}");
            }
            let _ = writeln!(s);
        }
    }
}

/// A Markdown cell for a label or a name: cut to [`MAX_CELL_CHARS`], then escaped as
/// [`escaped`].
pub(crate) fn cell(text: &str) -> String {
    escaped(&fit(text))
}

/// Text of ours in a Markdown cell (a statistic's note): pipes escaped and line breaks made
/// spaces, so nothing can break the table.
fn escaped(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// Markdown tables.
pub fn render_markdown(r: &AgreementReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} units ({} with two or more ratings), {} coders, {} ratings, {} pairable values.\n",
        r.units_total,
        r.units,
        r.coder_names.len(),
        r.ratings,
        r.pairable_values
    );
    let _ = writeln!(s, "| Statistic | Value | Note |\n|---|---:|---|");
    for (name, stat, note) in headline(r) {
        let (value, note) = match &stat {
            Ok(x) => (format!("{x:.3}"), note),
            Err(u) => ("—".to_owned(), format!("undefined: {}", u.reason)),
        };
        let _ = writeln!(s, "| {} | {value} | {} |", escaped(&name), escaped(&note));
    }
    let _ = writeln!(
        s,
        "\n| Category | Values | Specific agreement |\n|---|---:|---:|"
    );
    for c in &r.categories {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            cell(&c.label),
            c.pairable_values,
            escaped(&show(&c.specific_agreement))
        );
    }
    if !r.light.pairs.is_empty() {
        let _ = writeln!(
            s,
            "\n| Coder | Coder | Units | Agreement | Cohen's kappa |\n|---|---|---:|---:|---:|"
        );
        for p in &r.light.pairs {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                cell(&r.name(p.a)),
                cell(&r.name(p.b)),
                p.units,
                escaped(&show(&p.percent_agreement)),
                escaped(&show(&p.kappa))
            );
        }
    }
    s
}

/// CSV with the columns `statistic,value,undefined_reason`, one row per headline number.
pub fn render_csv(r: &AgreementReport) -> String {
    let mut rows: Vec<(String, Stat)> = Vec::new();
    let count = |n: u64| -> Stat { Ok(n as f64) };
    rows.push(("units".into(), count(r.units as u64)));
    rows.push(("coders".into(), count(r.coder_names.len() as u64)));
    rows.push(("pairable_values".into(), count(r.pairable_values)));
    rows.push(("krippendorff_alpha".into(), r.alpha.clone()));
    let (low, high) = match &r.alpha_ci95 {
        Ok(ci) => (Ok(ci.low), Ok(ci.high)),
        Err(u) => (Err(u.clone()), Err(u.clone())),
    };
    rows.push(("alpha_ci95_low".into(), low));
    rows.push(("alpha_ci95_high".into(), high));
    rows.push(("fleiss_kappa".into(), r.fleiss.kappa.clone()));
    rows.push(("fleiss_units".into(), count(r.fleiss.units as u64)));
    let cohen = if r.coder_names.len() > 2 {
        "cohen_kappa_mean"
    } else {
        "cohen_kappa"
    };
    rows.push((cohen.into(), r.cohen().clone()));
    rows.push(("percent_agreement".into(), r.percent_agreement.clone()));
    rows.push(("gwet_ac1".into(), r.gwet_ac1.clone()));

    stat_rows_csv(rows)
}

/// `statistic,value,undefined_reason` rows, the CSV shape of every agreement report.
pub(crate) fn stat_rows_csv(rows: Vec<(String, Stat)>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["statistic", "value", "undefined_reason"]);
    for (name, stat) in rows {
        let (value, reason) = match stat {
            Ok(x) => (x.to_string(), String::new()),
            Err(u) => (String::new(), u.reason),
        };
        let _ = w.write_record([name, value, reason]);
    }
    w.into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::{Level, ReportOptions, agreement_report, testdata};

    fn report() -> AgreementReport {
        let m = testdata::krippendorff_2011();
        agreement_report(
            &m,
            &[],
            &ReportOptions {
                level: Level::Nominal,
                bootstrap: 100,
                seed: 1,
            },
        )
    }

    #[test]
    fn text_lists_statistics_categories_and_pairs() {
        let t = render_text(&report());
        let alpha = t
            .lines()
            .find(|l| l.trim_start().starts_with("Krippendorff's alpha (nominal)"))
            .unwrap();
        assert!(alpha.contains(" 0.743 "), "{t}");
        assert!(t.contains("12 units (11 with two or more ratings), 4 coders"));
        assert_eq!(t.matches("coder 1  coder").count(), 3);
        let two = agreement_report(&testdata::cohen_wikipedia(), &[], &ReportOptions::default());
        let t = render_text(&two);
        let cohen = t.lines().find(|l| l.contains("Cohen's kappa")).unwrap();
        assert!(cohen.ends_with(" 0.400"), "{t}");
        assert!(t.contains("Confusion matrix"));
    }

    #[test]
    fn issue13_16_fleiss_text_is_worded_for_both_outcomes() {
        let r = report();
        let k = r.fleiss.kappa.clone().unwrap();
        assert_eq!(
            fleiss_text(&r),
            format!("{k:.3} on 8 units rated by every coder")
        );
        // No unit rated by both coders: the reason alone, no "on 0 units" tacked on.
        let apart = testdata::matrix(&[&[Some(0), None], &[None, Some(1)]], 2);
        let r = agreement_report(&apart, &[], &ReportOptions::default());
        assert_eq!(
            fleiss_text(&r),
            "undefined: no unit was rated by every coder"
        );
    }

    #[test]
    fn csv_has_one_row_per_statistic() {
        let c = render_csv(&report());
        let mut lines = c.lines();
        assert_eq!(lines.next(), Some("statistic,value,undefined_reason"));
        let alpha = c
            .lines()
            .find(|l| l.starts_with("krippendorff_alpha,"))
            .unwrap();
        assert!(alpha.starts_with("krippendorff_alpha,0.743"));
        assert_eq!(c.lines().count(), 12);
        assert!(c.contains("cohen_kappa_mean,"));
    }

    #[test]
    fn markdown_tables_and_undefined_notes() {
        let md = render_markdown(&report());
        assert!(md.contains("| Statistic | Value | Note |"));
        assert!(md.contains("| Krippendorff's alpha (nominal) | 0.743 |"));
        let same = testdata::matrix(&[&[Some(0), Some(0)]], 1);
        let md = render_markdown(&agreement_report(&same, &[], &ReportOptions::default()));
        assert!(
            md.contains("undefined: every rating is the same category"),
            "{md}"
        );
    }
}
