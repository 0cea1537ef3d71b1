//! The result type of every statistic: a finite number, or the reason there is none.

/// Why a statistic has no value for these data ("no unit has two ratings", …).
///
/// Statistics return this instead of NaN or infinity so that every report can say *why* a
/// number is missing, and JSON output can carry the reason next to a `null`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{reason}")]
pub struct Undefined {
    /// One sentence, lower case, no final full stop.
    pub reason: String,
}

/// A statistic: its value, or why it is undefined.
pub type Stat = Result<f64, Undefined>;

impl Undefined {
    /// An undefined value with this reason.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

/// `Err(Undefined)` with this reason, for early returns.
pub(crate) fn undefined<T>(reason: impl Into<String>) -> Result<T, Undefined> {
    Err(Undefined::new(reason))
}

/// `x` as a statistic, refusing NaN and infinities that rounding might still produce.
pub(crate) fn finite(x: f64) -> Stat {
    if x.is_finite() {
        Ok(x)
    } else {
        undefined("the computation did not give a finite number (the data are degenerate)")
    }
}

/// Reasons shared by several statistics, worded once so reports read consistently.
pub(crate) mod reasons {
    /// Fewer than two coders in the data.
    pub const FEWER_THAN_TWO_CODERS: &str = "fewer than two coders";
    /// No unit has two or more ratings.
    pub const NO_PAIRABLE_UNIT: &str = "no unit has two ratings";
    /// One category only among the pairable values.
    pub const ONE_CATEGORY: &str =
        "every rating is the same category, so expected disagreement is zero";
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn finite_refuses_nan_and_infinity() {
        assert_eq!(finite(0.5), Ok(0.5));
        assert!(finite(f64::NAN).is_err());
        assert!(finite(f64::INFINITY).is_err());
        assert_eq!(
            undefined::<f64>("why").unwrap_err().to_string(),
            "why".to_owned()
        );
    }
}
