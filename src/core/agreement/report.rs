//! Every agreement statistic of one matrix, gathered for output, and its JSON form.
//!
//! In JSON an undefined statistic is `null` with a sibling `<key>_undefined_reason` string, so
//! scripts can test for `null` and people can read why.

use serde_json::{Map, Value, json};

use super::Level;
use super::ac1::gwet_ac1_of;
use super::alpha::AlphaData;
use super::bootstrap::{ConfidenceInterval, bootstrap_units};
use super::data::{RatingMatrix, UnitCounts};
use super::kappa::{
    FleissKappa, LightKappa, PairAgreement, fleiss_kappa, light_kappa_of_pairs, pairwise_agreement,
};
use super::observed::{
    Confusion, pairwise_confusions, percent_agreement_of, specific_agreement_of,
};
use super::stat::{Stat, Undefined, reasons};

/// What to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportOptions {
    /// Level of measurement for alpha.
    pub level: Level,
    /// Bootstrap replicates for alpha's interval (0: no interval).
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            level: Level::Nominal,
            bootstrap: 1000,
            seed: 1,
        }
    }
}

/// Most confusion-matrix cells (categories² × pairs) a report carries; beyond this the
/// matrices would dwarf everything else in it.
pub const MAX_CONFUSION_CELLS: usize = 1_000_000;

/// Agreement of one category.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryAgreement {
    /// The category's label.
    pub label: String,
    /// Its value on the scale.
    pub value: f64,
    /// Pairable values in this category (`n_c`, the coincidence-matrix marginal).
    pub pairable_values: u64,
    /// Specific agreement of the category.
    pub specific_agreement: Stat,
}

/// All statistics of one reliability matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct AgreementReport {
    /// The options it was computed with.
    pub options: ReportOptions,
    /// Coder names, by index.
    pub coder_names: Vec<String>,
    /// Units in the data.
    pub units_total: usize,
    /// Units with at least two ratings (the units alpha uses).
    pub units: usize,
    /// Ratings in the data.
    pub ratings: usize,
    /// Values in units with at least two ratings (`n` of alpha).
    pub pairable_values: u64,
    /// Krippendorff's alpha at the chosen level.
    pub alpha: Stat,
    /// Its bootstrap 95% interval.
    pub alpha_ci95: Result<ConfidenceInterval, Undefined>,
    /// Fleiss' kappa over units rated by every coder.
    pub fleiss: FleissKappa,
    /// Pairwise Cohen's kappas and their mean (Light's kappa).
    pub light: LightKappa,
    /// Observed percent agreement (a proportion).
    pub percent_agreement: Stat,
    /// Gwet's AC1.
    pub gwet_ac1: Stat,
    /// Per category: frequency and specific agreement.
    pub categories: Vec<CategoryAgreement>,
    /// Confusion matrices parallel to `light.pairs`, or why they were left out.
    pub confusions: Result<Vec<Confusion>, Undefined>,
}

/// Computes every statistic of `matrix`; `coder_names` label the coders (missing names become
/// `coder N`).
///
/// The statistics fall into independent groups (pairs of coders and Fleiss' kappa; unit
/// counts, then alpha beside the rest) that `rayon::join` spreads over the cores; on a
/// 2-core machine the fixed split into two threads it replaced left one core idle for a
/// fifth of the time.
pub fn agreement_report(
    matrix: &RatingMatrix,
    coder_names: &[String],
    options: &ReportOptions,
) -> AgreementReport {
    let (others, singles) = rayon::join(
        || {
            let (pairs, confusions) = pair_statistics(matrix);
            Others {
                light: light_kappa_of_pairs(pairs),
                confusions,
                fleiss: fleiss_kappa(matrix),
            }
        },
        || single_statistics(matrix, options),
    );
    let coders = matrix.coders();
    AgreementReport {
        options: *options,
        coder_names: (0..coders)
            .map(|i| {
                coder_names
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("coder {}", i + 1))
            })
            .collect(),
        units_total: matrix.units(),
        units: singles.units,
        ratings: singles.ratings,
        pairable_values: singles.pairable_values,
        alpha: singles.alpha,
        alpha_ci95: singles.alpha_ci95,
        fleiss: others.fleiss,
        light: others.light,
        percent_agreement: singles.percent_agreement,
        gwet_ac1: singles.gwet_ac1,
        categories: singles.categories,
        confusions: others.confusions,
    }
}

/// The statistics of pairs of coders, and Fleiss' kappa.
struct Others {
    light: LightKappa,
    confusions: Result<Vec<Confusion>, Undefined>,
    fleiss: FleissKappa,
}

/// The statistics computed from the units' category counts.
struct Singles {
    units: usize,
    ratings: usize,
    pairable_values: u64,
    alpha: Stat,
    alpha_ci95: Result<ConfidenceInterval, Undefined>,
    percent_agreement: Stat,
    gwet_ac1: Stat,
    categories: Vec<CategoryAgreement>,
}

/// Pairwise agreement and, when they are small enough, confusion matrices.
fn pair_statistics(
    matrix: &RatingMatrix,
) -> (Vec<PairAgreement>, Result<Vec<Confusion>, Undefined>) {
    let coders = matrix.coders();
    let k = matrix.categories().len();
    let pairs = coders * coders.saturating_sub(1) / 2;
    // With few categories the confusion matrices are cheap and give the kappas too.
    if k.saturating_mul(k).saturating_mul(pairs) <= MAX_CONFUSION_CELLS {
        let confusions = pairwise_confusions(matrix);
        let pair_stats: Vec<PairAgreement> = pairs_of(coders)
            .zip(&confusions)
            .map(|((a, b), c)| PairAgreement::from_confusion(a, b, c))
            .collect();
        (pair_stats, Ok(confusions))
    } else {
        (
            pairwise_agreement(matrix),
            Err(Undefined::new(format!(
                "{k} categories and {pairs} pairs of coders make confusion matrices too large to list"
            ))),
        )
    }
}

/// Everything computed from the units' category counts: one pass over the matrix serves
/// alpha, its bootstrap, percent and specific agreement and AC1.
fn single_statistics(matrix: &RatingMatrix, options: &ReportOptions) -> Singles {
    let k = matrix.categories().len();
    let rated = UnitCounts::build(matrix, 1);
    // Units with fewer than two ratings do not count; when there are none, no copy.
    let fewer_removed;
    let units = if rated.all_have(2) {
        &rated
    } else {
        fewer_removed = rated.filtered(2);
        &fewer_removed
    };
    let values = matrix.categories().values();
    let level = options.level;
    let coders = matrix.coders();
    let ((alpha, alpha_ci95), (percent_agreement, gwet_ac1, categories)) = rayon::join(
        || {
            (
                two_coders(coders, || AlphaData::new(units, values, level).alpha(None)),
                two_coders(coders, || {
                    bootstrap_units(units, values, level, options.bootstrap, options.seed)
                }),
            )
        },
        || {
            (
                two_coders(coders, || percent_agreement_of(units)),
                two_coders(coders, || gwet_ac1_of(&rated, k)),
                category_agreement(matrix, units),
            )
        },
    );
    Singles {
        units: units.len(),
        // Every rating is in a unit with at least one.
        ratings: usize::try_from(rated.values()).unwrap_or(usize::MAX),
        pairable_values: units.values(),
        alpha,
        alpha_ci95,
        percent_agreement,
        gwet_ac1,
        categories,
    }
}

/// `stat()`, which needs two coders at least, or why it is undefined.
fn two_coders<T>(
    coders: usize,
    stat: impl FnOnce() -> Result<T, Undefined>,
) -> Result<T, Undefined> {
    if coders >= 2 {
        stat()
    } else {
        Err(Undefined::new(reasons::FEWER_THAN_TWO_CODERS))
    }
}

/// Each category's pairable values and specific agreement.
fn category_agreement(matrix: &RatingMatrix, units: &UnitCounts) -> Vec<CategoryAgreement> {
    let k = matrix.categories().len();
    let mut n_c = vec![0u64; k];
    for u in 0..units.len() {
        let (_, cats, counts) = units.unit(u);
        for (&c, &n) in cats.iter().zip(counts) {
            n_c[c as usize] += u64::from(n);
        }
    }
    matrix
        .categories()
        .labels()
        .iter()
        .zip(matrix.categories().values())
        .zip(n_c)
        .zip(specific_agreement_of(units, k))
        .map(
            |(((label, &value), pairable_values), specific_agreement)| CategoryAgreement {
                label: label.clone(),
                value,
                pairable_values,
                specific_agreement,
            },
        )
        .collect()
}

/// Coder pairs in the order every pairwise function uses.
fn pairs_of(coders: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..coders).flat_map(move |a| (a + 1..coders).map(move |b| (a, b)))
}

/// Puts `key: value` (or `key: null` and `key_undefined_reason`) into `map`.
fn put_stat(map: &mut Map<String, Value>, key: &str, stat: &Stat) {
    match stat {
        Ok(x) => {
            map.insert(key.to_owned(), number(*x));
        }
        Err(u) => {
            map.insert(key.to_owned(), Value::Null);
            map.insert(
                format!("{key}_undefined_reason"),
                Value::from(u.reason.clone()),
            );
        }
    }
}

/// A finite float as a JSON number (statistics are finite by construction).
fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

impl AgreementReport {
    /// Whether the report is about exactly two coders (then Cohen's kappa, else Light's).
    pub fn two_coders(&self) -> bool {
        self.coder_names.len() == 2
    }

    /// Cohen's kappa for two coders, or the mean over pairs (Light's kappa) for more.
    pub fn cohen(&self) -> &Stat {
        &self.light.kappa
    }

    /// The report as JSON; see `docs/agreement.md` for the keys.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("level".into(), Value::from(self.options.level.name()));
        m.insert("units".into(), Value::from(self.units));
        m.insert("units_total".into(), Value::from(self.units_total));
        m.insert("coders".into(), Value::from(self.coder_names.len()));
        m.insert("coder_names".into(), json!(self.coder_names));
        m.insert("ratings".into(), Value::from(self.ratings));
        m.insert("pairable_values".into(), Value::from(self.pairable_values));
        put_stat(&mut m, "krippendorff_alpha", &self.alpha);
        match &self.alpha_ci95 {
            Ok(ci) => {
                m.insert(
                    "alpha_ci95".into(),
                    json!([number(ci.low), number(ci.high)]),
                );
                m.insert(
                    "bootstrap".into(),
                    json!({
                        "resampled": "units",
                        "replicates": ci.replicates,
                        "undefined_replicates": ci.undefined_replicates,
                        "seed": ci.seed,
                    }),
                );
            }
            Err(u) => {
                m.insert("alpha_ci95".into(), Value::Null);
                m.insert(
                    "alpha_ci95_undefined_reason".into(),
                    Value::from(u.reason.clone()),
                );
            }
        }
        put_stat(&mut m, "fleiss_kappa", &self.fleiss.kappa);
        m.insert("fleiss_units".into(), Value::from(self.fleiss.units));
        if self.coder_names.len() > 2 {
            put_stat(&mut m, "cohen_kappa_mean", &self.light.kappa);
            m.insert(
                "cohen_pairs_undefined".into(),
                Value::from(self.light.undefined_pairs),
            );
        } else {
            put_stat(&mut m, "cohen_kappa", &self.light.kappa);
        }
        put_stat(&mut m, "percent_agreement", &self.percent_agreement);
        put_stat(&mut m, "gwet_ac1", &self.gwet_ac1);
        m.insert(
            "categories".into(),
            Value::Array(
                self.categories
                    .iter()
                    .map(|c| {
                        let mut o = Map::new();
                        o.insert("label".into(), Value::from(c.label.clone()));
                        o.insert("value".into(), number(c.value));
                        o.insert("pairable_values".into(), Value::from(c.pairable_values));
                        put_stat(&mut o, "specific_agreement", &c.specific_agreement);
                        Value::Object(o)
                    })
                    .collect(),
            ),
        );
        let confusions = self.confusions.as_ref().ok();
        m.insert(
            "pairs".into(),
            Value::Array(
                self.light
                    .pairs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let mut o = Map::new();
                        o.insert("coder_a".into(), Value::from(self.name(p.a)));
                        o.insert("coder_b".into(), Value::from(self.name(p.b)));
                        o.insert("units".into(), Value::from(p.units));
                        o.insert("agreements".into(), Value::from(p.agreements));
                        put_stat(&mut o, "percent_agreement", &p.percent_agreement);
                        put_stat(&mut o, "cohen_kappa", &p.kappa);
                        if let Some(c) = confusions.and_then(|c| c.get(i)) {
                            let rows: Vec<Value> =
                                (0..c.categories()).map(|r| json!(c.row(r))).collect();
                            o.insert("confusion".into(), Value::Array(rows));
                        }
                        Value::Object(o)
                    })
                    .collect(),
            ),
        );
        if let Err(u) = &self.confusions {
            m.insert(
                "confusion_undefined_reason".into(),
                Value::from(u.reason.clone()),
            );
        }
        Value::Object(m)
    }

    /// Coder `i`'s name.
    pub fn name(&self, i: usize) -> String {
        self.coder_names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("coder {}", i + 1))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::core::agreement::testdata;

    #[test]
    fn json_has_the_documented_keys_and_numbers() {
        let m = testdata::krippendorff_2011();
        let names: Vec<String> = ["A", "B", "C", "D"].map(String::from).to_vec();
        let r = agreement_report(
            &m,
            &names,
            &ReportOptions {
                level: Level::Ordinal,
                bootstrap: 200,
                seed: 3,
            },
        );
        let j = r.to_json();
        assert_eq!(j["units"], 11);
        assert_eq!(j["units_total"], 12);
        assert_eq!(j["coders"], 4);
        assert_eq!(j["pairable_values"], 40);
        assert_eq!(j["level"], "ordinal");
        let alpha = j["krippendorff_alpha"].as_f64().unwrap();
        assert_eq!((alpha * 1000.0).round() / 1000.0, 0.815);
        assert!(j.get("cohen_kappa_mean").is_some() && j.get("cohen_kappa").is_none());
        // Units 2–9 are rated by all four coders.
        assert_eq!(j["fleiss_units"], 8);
        let ci = j["alpha_ci95"].as_array().unwrap();
        assert!(ci[0].as_f64().unwrap() <= ci[1].as_f64().unwrap());
        assert_eq!(j["pairs"].as_array().unwrap().len(), 6);
        assert_eq!(j["pairs"][0]["confusion"].as_array().unwrap().len(), 5);
        assert_eq!(j["categories"][0]["pairable_values"], 9);
    }

    #[test]
    fn undefined_values_are_null_with_reasons() {
        let m = testdata::matrix(&[&[Some(0), Some(0)], &[Some(0), Some(0)]], 1);
        let r = agreement_report(&m, &[], &ReportOptions::default());
        let j = r.to_json();
        assert!(j["krippendorff_alpha"].is_null());
        assert_eq!(
            j["krippendorff_alpha_undefined_reason"],
            "every rating is the same category, so expected disagreement is zero"
        );
        assert!(j["cohen_kappa"].is_null());
        assert!(j["cohen_kappa_undefined_reason"].is_string());
        assert!(j["alpha_ci95"].is_null());
        assert!(j["gwet_ac1_undefined_reason"].is_string());
        assert_eq!(r.name(1), "coder 2");
    }
}
