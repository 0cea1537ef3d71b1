//! Reliability as it comes in: agreement on the reliability sample so far.
//!
//! Only the plan's sample articles count, only the plan's coders are the coders (gold and
//! editors are left out), and only files marked done (a coder who has not finished a sample
//! article is missing there, as everywhere in `agreement`). Each field gets Krippendorff's
//! alpha with its bootstrap 95% interval and q(α < α_min), the share of bootstrap replicates
//! below the plan's α_min, as KALPHA reports it. One bootstrap gives both (see
//! [`crate::core::agreement::ConfidenceInterval::share_below`]).

use crate::core::agreement::project::project_reports;
use crate::core::agreement::units::Selection;
use crate::core::agreement::{AgreementReport, ReportOptions};
use crate::core::project::Project;

use super::plan::Role;
use super::plan::{Plan, Thresholds};
use super::queue::{CoderProgress, progress};

/// How a field's alpha compares with the plan's thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// alpha ≥ α_min.
    Reliable,
    /// tentative ≤ alpha < α_min.
    Tentative,
    /// alpha < tentative.
    Unreliable,
    /// alpha cannot be computed yet.
    Undefined,
}

impl Verdict {
    /// Judges an alpha.
    pub fn of(alpha: Option<f64>, t: Thresholds) -> Self {
        match alpha {
            Some(a) if a >= t.alpha_min => Self::Reliable,
            Some(a) if a >= t.tentative => Self::Tentative,
            Some(_) => Self::Unreliable,
            None => Self::Undefined,
        }
    }

    /// A word for tables.
    pub fn word(self) -> &'static str {
        match self {
            Self::Reliable => "reliable",
            Self::Tentative => "tentative",
            Self::Unreliable => "unreliable",
            Self::Undefined => "undefined",
        }
    }
}

/// One field's reliability on the sample.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldReliability {
    /// The field's name (`claim`, `stance:ceasefire`, …).
    pub field: String,
    /// Every statistic of the field (units, coders, alpha, its interval, percent agreement).
    pub report: AgreementReport,
    /// q(α < α_min): the share of bootstrap replicates below α_min (`None` without a
    /// bootstrap interval).
    pub q: Option<f64>,
    /// alpha against the thresholds.
    pub verdict: Verdict,
}

/// The reliability sample's agreement so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Reliability {
    /// The plan's thresholds.
    pub thresholds: Thresholds,
    /// The plan's coders.
    pub coders: Vec<String>,
    /// Sample articles (in the project).
    pub sample: Vec<String>,
    /// Sample articles every coder has finished.
    pub complete: usize,
    /// Each coder's progress (for "3 of 5 sample articles done").
    pub progress: Vec<CoderProgress>,
    /// Each field's reliability; empty while the sample is empty.
    pub fields: Vec<FieldReliability>,
}

/// Agreement on the plan's reliability sample, from the finished files in `project`.
pub fn reliability_so_far(
    project: &Project,
    plan: &Plan,
    options: &ReportOptions,
) -> Result<Reliability, String> {
    let ids: Vec<String> = project.articles.iter().map(|a| a.id.clone()).collect();
    let sample: Vec<String> = plan
        .sample
        .articles
        .iter()
        .filter(|a| ids.contains(a))
        .cloned()
        .collect();
    let progress = progress(plan, &ids, &project.root);
    let complete = sample
        .iter()
        .filter(|a| {
            plan.coders.iter().all(|c| {
                super::queue::read_state(&project.root, a, c) == super::queue::WorkState::Done
            })
        })
        .count();
    let mut out = Reliability {
        thresholds: plan.thresholds,
        coders: plan.coders.clone(),
        sample,
        complete,
        progress,
        fields: Vec::new(),
    };
    // An empty selection means "every article" to the agreement code: no sample, no fields.
    if out.sample.is_empty() || plan.coders.is_empty() {
        return Ok(out);
    }
    let selection = Selection {
        articles: out.sample.clone(),
        annotators: plan.coders.clone(),
        fields: Vec::new(),
        manual_only: false,
    };
    let results = project_reports(project, &selection, options)?;
    out.fields = results
        .fields
        .into_iter()
        .map(|(data, report)| {
            let q = report
                .alpha_ci95
                .as_ref()
                .ok()
                .map(|ci| ci.share_below(plan.thresholds.alpha_min));
            let verdict = Verdict::of(report.alpha.as_ref().ok().copied(), plan.thresholds);
            FieldReliability {
                field: data.field.name(),
                report,
                q,
                verdict,
            }
        })
        .collect();
    Ok(out)
}

impl Reliability {
    /// `(done, all)` sample articles of one coder.
    pub fn coder_sample(&self, coder: &str) -> (usize, usize) {
        self.progress
            .iter()
            .find(|p| p.coder == coder)
            .map_or((0, 0), |p| p.role(Role::Sample))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::project::project_reports;
    use crate::core::team::plan::SampleSize;

    /// The pilot (amira and jonas on 001, 003, 004) with 001 and 003 as the sample and 004
    /// as a training article.
    fn pilot() -> (Project, Plan) {
        let project = Project::open(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .0;
        let mut plan = Plan::new(1, SampleSize::Count(2));
        plan.coders = vec!["amira".into(), "jonas".into()];
        plan.training = vec!["004_856d1f34f02ed973".into()];
        plan.sample.articles = vec!["001_f199504f34c41cb7".into(), "003_cb7437eb45da7ccb".into()];
        (project, plan)
    }

    #[test]
    fn reliability_so_far_is_the_samples_agreement_with_q_from_its_bootstrap() {
        let (project, plan) = pilot();
        let options = ReportOptions {
            bootstrap: 500,
            ..ReportOptions::default()
        };
        let r = reliability_so_far(&project, &plan, &options).unwrap();
        assert_eq!(r.complete, 2);
        assert_eq!(r.coder_sample("amira"), (2, 2));
        let direct = project_reports(
            &project,
            &Selection {
                articles: plan.sample.articles.clone(),
                ..Selection::default()
            },
            &options,
        )
        .unwrap();
        assert_eq!(r.fields.len(), direct.fields.len());
        for (f, (_, d)) in r.fields.iter().zip(&direct.fields) {
            assert_eq!(f.report, *d, "{}", f.field);
            let ci = d.alpha_ci95.as_ref().unwrap();
            assert_eq!(f.q, Some(ci.share_below(0.8)));
            assert_eq!(
                f.verdict,
                Verdict::of(d.alpha.as_ref().ok().copied(), plan.thresholds)
            );
        }
        // The training article's sentences are not units.
        let all = project_reports(&project, &Selection::default(), &options).unwrap();
        assert!(r.fields[0].report.units < all.fields[0].1.units);
    }

    #[test]
    fn an_empty_sample_has_no_fields() {
        let (project, mut plan) = pilot();
        plan.sample.articles.clear();
        let r = reliability_so_far(&project, &plan, &ReportOptions::default()).unwrap();
        assert!(r.fields.is_empty());
        assert_eq!(r.complete, 0);
    }

    #[test]
    fn verdicts_follow_the_thresholds() {
        let t = Thresholds::default();
        assert_eq!(Verdict::of(Some(0.8), t), Verdict::Reliable);
        assert_eq!(Verdict::of(Some(0.7), t), Verdict::Tentative);
        assert_eq!(Verdict::of(Some(0.5), t), Verdict::Unreliable);
        assert_eq!(Verdict::of(None, t), Verdict::Undefined);
    }
}
