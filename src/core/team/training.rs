//! Training against gold: each coder's agreement with `gold.ron` on the plan's training
//! articles, per field, and every sentence where they differ.
//!
//! The data are built as agreement builds them (sentences are the units; see
//! [`crate::core::agreement::units`]) with two coders, the trainee and gold, over the training
//! articles where both files are marked done. A field **passes** when Krippendorff's alpha
//! reaches the plan's α_min, or, when alpha is undefined because only one category occurs
//! (say, every sentence "no claim" for both), when the trainee agrees with gold on every
//! unit. A field with no unit rated by both is *not measured* (a trainee who made no claims
//! has no speakers to compare; the `claim` field shows the miss). A coder passes when every
//! measured field passes.

use std::collections::BTreeMap;

use crate::core::agreement::units::{Disagreement, DoneFiles, Field, Selection, collect_from};
use crate::core::agreement::{ReportOptions, Stat, agreement_report};
use crate::core::model::annotation::{AnnotationFile, Status};
use crate::core::project::Project;
use crate::core::storage::store;

use super::plan::Plan;

/// The gold file's annotator name.
pub const GOLD: &str = crate::core::project::layout::GOLD;

/// Whether one field passes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grade {
    /// At or above α_min (or perfect agreement where alpha is undefined).
    Pass,
    /// Below.
    Fail,
    /// Nothing to compare (the reason).
    NotMeasured(String),
}

/// One sentence where a trainee differs from gold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingDisagreement {
    /// The article.
    pub article: String,
    /// The sentence index (0-based, as in files; people count from 1).
    pub sentence: u32,
    /// The start of the sentence's text, for people.
    pub text: String,
    /// The trainee's value (`None`: not rated there).
    pub coder: Option<String>,
    /// Gold's value.
    pub gold: Option<String>,
    /// The note of the gold claim covering the sentence (the editor's reasoning and
    /// provenance), if there is one.
    pub gold_note: Option<String>,
}

/// One field of one trainee.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldTraining {
    /// The field's name.
    pub field: String,
    /// Units rated by both.
    pub units: usize,
    /// Krippendorff's alpha (nominal) between trainee and gold.
    pub alpha: Stat,
    /// Percent agreement (a proportion).
    pub percent: Stat,
    /// Against α_min.
    pub outcome: Grade,
    /// Every sentence where they differ, in text order.
    pub disagreements: Vec<TrainingDisagreement>,
}

/// One trainee's results.
#[derive(Clone, Debug, PartialEq)]
pub struct CoderTraining {
    /// The coder.
    pub coder: String,
    /// Training articles scored (coder and gold both done).
    pub scored: Vec<String>,
    /// Training articles the coder has not finished.
    pub unfinished: Vec<String>,
    /// Per field.
    pub fields: Vec<FieldTraining>,
}

impl CoderTraining {
    /// `Some(true)` when every measured field passes, `Some(false)` when one fails, `None`
    /// when nothing could be scored yet.
    pub fn passed(&self) -> Option<bool> {
        let measured: Vec<&FieldTraining> = self
            .fields
            .iter()
            .filter(|f| !matches!(f.outcome, Grade::NotMeasured(_)))
            .collect();
        if measured.is_empty() {
            return None;
        }
        Some(measured.iter().all(|f| f.outcome == Grade::Pass))
    }
}

/// The team's training results.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingReport {
    /// The plan's α_min, which a field must reach.
    pub alpha_min: f64,
    /// The plan's training articles.
    pub articles: Vec<String>,
    /// Training articles without a `gold.ron`.
    pub gold_missing: Vec<String>,
    /// Training articles whose gold is not marked done (disputes still open).
    pub gold_unfinished: Vec<String>,
    /// Per coder, in plan order.
    pub coders: Vec<CoderTraining>,
}

/// Every coder's agreement with gold on the training articles.
pub fn training_report(project: &Project, plan: &Plan) -> Result<TrainingReport, String> {
    let mut report = TrainingReport {
        alpha_min: plan.thresholds.alpha_min,
        articles: plan.training.clone(),
        gold_missing: Vec::new(),
        gold_unfinished: Vec::new(),
        coders: Vec::new(),
    };
    let mut golds: BTreeMap<String, AnnotationFile> = BTreeMap::new();
    for a in &plan.training {
        if project.article(a).is_none() {
            return Err(format!("training article `{a}` is not in seeds/"));
        }
        let path = project
            .annotation_path(a, GOLD)
            .map_err(|e| format!("{a}: {e}"))?;
        if !path.is_file() {
            report.gold_missing.push(a.clone());
            continue;
        }
        let gold = store::load_annotation(&path, &project.codebook).map_err(|e| e.to_string())?;
        if gold.status == Status::Done {
            golds.insert(a.clone(), gold);
        } else {
            report.gold_unfinished.push(a.clone());
        }
    }
    for coder in &plan.coders {
        report
            .coders
            .push(coder_training(project, plan, coder, &golds)?);
    }
    Ok(report)
}

/// One coder's results against the finished gold files `golds` (by article).
pub fn coder_training(
    project: &Project,
    plan: &Plan,
    coder: &str,
    golds: &BTreeMap<String, AnnotationFile>,
) -> Result<CoderTraining, String> {
    let mut done = DoneFiles {
        coders: vec![coder.to_owned(), GOLD.to_owned()],
        ..DoneFiles::default()
    };
    let mut out = CoderTraining {
        coder: coder.to_owned(),
        scored: Vec::new(),
        unfinished: Vec::new(),
        fields: Vec::new(),
    };
    for a in &plan.training {
        let path = project
            .annotation_path(a, coder)
            .map_err(|e| format!("{a}: {e}"))?;
        let file = if path.is_file() {
            Some(store::load_annotation(&path, &project.codebook).map_err(|e| e.to_string())?)
        } else {
            None
        };
        match file {
            Some(f) if f.status == Status::Done => {
                if let Some(gold) = golds.get(a) {
                    done.files.insert((a.clone(), coder.to_owned()), f);
                    done.files
                        .insert((a.clone(), GOLD.to_owned()), gold.clone());
                    done.articles.push(a.clone());
                    out.scored.push(a.clone());
                }
            }
            _ => out.unfinished.push(a.clone()),
        }
    }
    if out.scored.is_empty() {
        return Ok(out);
    }
    let selection = Selection {
        articles: out.scored.clone(),
        annotators: done.coders.clone(),
        fields: Vec::new(),
        manual_only: false,
    };
    let data = collect_from(project, &selection, &done).map_err(|e| e.to_string())?;
    let options = ReportOptions {
        bootstrap: 0,
        ..ReportOptions::default()
    };
    for d in data {
        let r = agreement_report(&d.matrix, &d.coders, &options);
        let outcome = judge(
            &r.alpha,
            &r.percent_agreement,
            r.units,
            plan.thresholds.alpha_min,
        );
        let disagreements = d
            .disagreements()
            .into_iter()
            .map(|dis| disagreement(project, golds, coder, dis))
            .collect();
        out.fields.push(FieldTraining {
            field: field_name(&d.field),
            units: r.units,
            alpha: r.alpha,
            percent: r.percent_agreement,
            outcome,
            disagreements,
        });
    }
    Ok(out)
}

/// One unit where `coder` and gold differ, with the sentence's text and gold's note.
fn disagreement(
    project: &Project,
    golds: &BTreeMap<String, AnnotationFile>,
    coder: &str,
    dis: Disagreement,
) -> TrainingDisagreement {
    let value = |who: &str| {
        dis.values
            .iter()
            .find(|(c, _)| c == who)
            .and_then(|(_, v)| v.clone())
    };
    let sentence = dis.unit.sentence;
    let text = project
        .article(&dis.unit.article)
        .and_then(|a| {
            a.sentences
                .get(sentence as usize)
                .map(|s| shorten(&a.text[s.range.clone()], 80))
        })
        .unwrap_or_default();
    let gold_note = golds.get(&dis.unit.article).and_then(|g| {
        g.claims
            .iter()
            .find(|c| c.anchor.first <= sentence && sentence <= c.anchor.last)
            .map(|c| c.note.clone())
            .filter(|n| !n.is_empty())
    });
    TrainingDisagreement {
        coder: value(coder),
        gold: value(GOLD),
        article: dis.unit.article,
        sentence,
        text,
        gold_note,
    }
}

fn field_name(f: &Field) -> String {
    f.name()
}

/// Pass, fail or not measured (see the module's documentation).
fn judge(alpha: &Stat, percent: &Stat, units: usize, alpha_min: f64) -> Grade {
    if units == 0 {
        return Grade::NotMeasured("no sentence rated by both the coder and gold".into());
    }
    match (alpha, percent) {
        (Ok(a), _) if *a >= alpha_min => Grade::Pass,
        (Err(_), Ok(p)) if (*p - 1.0).abs() < 1e-12 => Grade::Pass,
        (Ok(_), _) | (Err(_), Ok(_)) => Grade::Fail,
        (Err(u), Err(_)) => Grade::NotMeasured(u.reason.clone()),
    }
}

/// The first `max` characters of `text` on one line, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::agreement::Undefined;

    #[test]
    fn judge_passes_at_alpha_min_and_on_perfect_undefined_agreement() {
        let undefined = || Err(Undefined::new("one category"));
        assert_eq!(judge(&Ok(0.8), &Ok(0.9), 10, 0.8), Grade::Pass);
        assert_eq!(judge(&Ok(0.79), &Ok(0.9), 10, 0.8), Grade::Fail);
        assert_eq!(judge(&undefined(), &Ok(1.0), 10, 0.8), Grade::Pass);
        assert_eq!(judge(&undefined(), &Ok(0.9), 10, 0.8), Grade::Fail);
        assert!(matches!(
            judge(&undefined(), &undefined(), 0, 0.8),
            Grade::NotMeasured(_)
        ));
    }

    #[test]
    fn shorten_cuts_on_characters_with_an_ellipsis() {
        assert_eq!(shorten("a  b\nc", 10), "a b c");
        assert_eq!(shorten("ééééé", 3), "éé…");
    }
}
