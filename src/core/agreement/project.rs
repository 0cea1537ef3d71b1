//! A whole project's agreement in one call: every field's statistics, agreement on claim
//! boundaries and each coder's drift, all from one loading of the annotation files. The CLI's
//! `stance agree` and the window's agreement view both call [`project_reports`].

use super::span_report::{SpanReport, span_report};
use super::units::{Field, FieldData, Selection, collect_from, load_done};
use super::{AgreementReport, DriftPoint, ReportOptions, agreement_report};
use crate::core::project::Project;

/// The error of a computation stopped by its watcher.
pub const CANCELLED: &str = "cancelled";

/// A project's agreement: every field's statistics, the span agreement, and (asked for) drift.
pub struct ProjectResults {
    /// Each field's ratings and statistics.
    pub fields: Vec<(FieldData, AgreementReport)>,
    /// Agreement on claim boundaries.
    pub spans: SpanReport,
    /// Each field's drift points (cheap next to the statistics, so always computed).
    pub drift: Vec<(Field, Vec<DriftPoint>)>,
}

/// Every selected field's report and the span report, computed from the project's finished
/// annotation files. Unreadable files are an error (the message lists them): agreement on a
/// silently smaller set of files would mislead.
pub fn project_reports(
    project: &Project,
    selection: &Selection,
    options: &ReportOptions,
) -> Result<ProjectResults, String> {
    project_reports_watched(project, selection, options, &|_, _| true)
}

/// What the window's agreement view sees of the work: `watch(done, total)` is called after
/// each step (reading the files, collecting the ratings, each field's statistics with their
/// bootstrap, claim boundaries); returning `false` stops the work with [`CANCELLED`].
pub fn project_reports_watched(
    project: &Project,
    selection: &Selection,
    options: &ReportOptions,
    watch: &dyn Fn(usize, usize) -> bool,
) -> Result<ProjectResults, String> {
    let stop = || CANCELLED.to_owned();
    // Reading, collecting, spans, and one step per field (the number of fields is known once
    // the ratings are collected).
    let mut total = 3 + Field::all(project).len();
    let done = load_done(project, selection);
    if !watch(1, total) {
        return Err(stop());
    }
    if !done.problems.is_empty() {
        let list: Vec<String> = done.problems.iter().map(ToString::to_string).collect();
        return Err(format!(
            "{} annotation file(s) cannot be read; fix them first (`stance check`):\n{}",
            done.problems.len(),
            list.join("\n")
        ));
    }
    let data = collect_from(project, selection, &done).map_err(|e| e.to_string())?;
    total = 3 + data.len();
    if !watch(2, total) {
        return Err(stop());
    }
    let drift = data
        .iter()
        .map(|d| (d.field.clone(), d.drift(&done, selection.manual_only)))
        .collect();
    let mut fields = Vec::with_capacity(data.len());
    for d in data {
        let r = agreement_report(&d.matrix, &d.coders, options);
        fields.push((d, r));
        if !watch(2 + fields.len(), total) {
            return Err(stop());
        }
    }
    let spans = span_report(project, &done, selection.manual_only);
    watch(total, total);
    Ok(ProjectResults {
        fields,
        spans,
        drift,
    })
}
