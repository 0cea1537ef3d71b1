//! The agreement view's data: every field's statistics, disagreements and drift, and agreement
//! on claim boundaries, computed by the core over the project's finished files. Computed on
//! another thread (the bootstrap alone takes a second on a big corpus); no egui here.

use crate::core::agreement::project::{CANCELLED, project_reports_watched};
use crate::core::agreement::span_report::SpanReport;
use crate::core::agreement::units::{Disagreement, FieldData, Selection};
use crate::core::agreement::{AgreementReport, DriftPoint, ReportOptions};
use crate::core::project::Project;
use crate::session::jobs::Progress;

/// One field's data and statistics.
#[derive(Debug)]
pub struct FieldResult {
    /// Ratings and units.
    pub data: FieldData,
    /// The statistics.
    pub report: AgreementReport,
    /// Sentences where coders differ.
    pub disagreements: Vec<Disagreement>,
    /// Each coder's agreement with the others, week by week.
    pub drift: Vec<DriftPoint>,
}

/// The project's agreement as the window shows it.
#[derive(Debug, Default)]
pub struct AgreementResults {
    /// One entry per field.
    pub fields: Vec<FieldResult>,
    /// Why it could not be computed (files that cannot be read).
    pub problems: Vec<String>,
    /// Agreement on claim boundaries.
    pub spans: Option<SpanReport>,
}

impl AgreementResults {
    /// Computes every field's statistics for the project through the core, reporting to
    /// `progress` after each step. `None` when cancelled.
    pub fn compute(project: &Project, progress: &Progress) -> Option<Self> {
        let watch = |done: usize, total: usize| {
            progress.set_total(total);
            let (was, _) = progress.get();
            progress.advance(done.saturating_sub(was));
            !progress.is_cancelled()
        };
        let results = project_reports_watched(
            project,
            &Selection::default(),
            &ReportOptions::default(),
            &watch,
        );
        Some(match results {
            Ok(results) => Self {
                fields: results
                    .fields
                    .into_iter()
                    .zip(results.drift)
                    .map(|((data, report), (_, drift))| FieldResult {
                        disagreements: data.disagreements(),
                        data,
                        report,
                        drift,
                    })
                    .collect(),
                problems: Vec::new(),
                spans: Some(results.spans),
            },
            Err(e) if e == CANCELLED => return None,
            Err(e) => Self {
                problems: vec![e],
                ..Self::default()
            },
        })
    }
}
