//! Inter-coder agreement: Krippendorff's alpha, Cohen's, Light's and Fleiss' kappa, Gwet's AC1,
//! percent and specific agreement, confusion matrices, a bootstrap interval for alpha and a
//! drift helper.
//!
//! Everything works on a [`RatingMatrix`] (units × coders, each cell a category index or
//! missing) and is a pure function: no I/O except in [`table`], which reads the long CSV format.
//! A statistic that cannot be computed is an [`Undefined`] with a sentence saying why, never
//! NaN and never a panic. The formulas and their references are in `docs/agreement.md`.

pub mod ac1;
pub mod alpha;
pub mod bootstrap;
pub mod data;
pub mod drift;
mod fxhash;
mod intern;
pub mod kappa;
pub mod observed;
pub mod project;
#[cfg(test)]
mod proptests;
pub mod render;
pub mod report;
mod rng;
pub mod span_report;
pub mod spans;
mod stat;
pub mod table;
#[cfg(test)]
mod testdata;
pub mod units;

pub use ac1::gwet_ac1;
pub use alpha::{alpha_from_coincidence, coincidence_matrix, krippendorff_alpha};
pub use bootstrap::{ConfidenceInterval, alpha_bootstrap_ci};
pub use data::{Categories, DataError, RatingMatrix};
pub use drift::{DriftPoint, drift, week_bucket, week_start};
pub use intern::Names;
pub use kappa::{
    FleissKappa, LightKappa, PairAgreement, cohen_kappa, fleiss_kappa, fleiss_kappa_from_counts,
    light_kappa, pairwise_agreement,
};
pub use observed::{
    Confusion, confusion_matrix, pairwise_confusions, percent_agreement, specific_agreement,
};
pub use render::{render_csv, render_markdown, render_text};
pub use report::{AgreementReport, ReportOptions, agreement_report};
pub use stat::{Stat, Undefined};
pub use table::{
    Table, TableError, read_table, read_table_bytes, read_table_from, read_table_with_progress,
};

/// The level of measurement, which decides how far apart two different values are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Level {
    /// Categories are merely different: any two different values disagree equally.
    #[default]
    Nominal,
    /// Categories are ordered; distance counts how many values lie between two categories.
    Ordinal,
    /// Values are numbers; distance is the squared difference.
    Interval,
    /// Non-negative numbers with a true zero; distance is the squared relative difference.
    Ratio,
}

impl Level {
    /// The lower-case name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Nominal => "nominal",
            Self::Ordinal => "ordinal",
            Self::Interval => "interval",
            Self::Ratio => "ratio",
        }
    }

    /// Whether values at this level must be numbers.
    pub fn is_numeric(self) -> bool {
        !matches!(self, Self::Nominal)
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
