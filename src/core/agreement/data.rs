//! The reliability data matrix: units × coders, each cell a category of the scale or missing.
//!
//! Cells hold category *indices*; [`Categories`] gives each index a label and, for the
//! ordinal, interval and ratio levels, its place or value on the scale. Indices are stored as
//! `u32` with a sentinel for "missing", which keeps a 20 coder × 200,000 unit matrix at 16 MB.

use super::fxhash::FxHashMap;

/// A cell without a rating.
pub(crate) const MISSING: u32 = u32::MAX;

/// Why a matrix or scale could not be built.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DataError {
    /// A category index beyond the scale.
    #[error("category {category} is out of range: the scale has {categories} categories")]
    CategoryOutOfRange {
        /// The index given.
        category: usize,
        /// How many categories the scale has.
        categories: usize,
    },
    /// A unit index beyond the matrix.
    #[error("unit {unit} is out of range: the matrix has {units} units")]
    UnitOutOfRange {
        /// The index given.
        unit: usize,
        /// How many units the matrix has.
        units: usize,
    },
    /// A coder index beyond the matrix.
    #[error("coder {coder} is out of range: the matrix has {coders} coders")]
    CoderOutOfRange {
        /// The index given.
        coder: usize,
        /// How many coders the matrix has.
        coders: usize,
    },
    /// Numeric category values that are not finite or not strictly increasing.
    #[error(
        "category values must be finite numbers in strictly increasing order; value {index} is {value}"
    )]
    BadValues {
        /// Position of the offending value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// Labels and values of different lengths.
    #[error("{labels} labels but {values} values")]
    LengthMismatch {
        /// Number of labels.
        labels: usize,
        /// Number of values.
        values: usize,
    },
    /// More categories, units or cells than the matrix can index.
    #[error("the matrix is too large to hold in memory")]
    TooLarge,
}

/// The categories of a rating scale: a label for each, and its value on the scale.
///
/// For the ordinal level the index order is the scale order; for interval and ratio the values
/// are the numbers the distance is computed on. Built with [`Categories::new`], a category's
/// value is its index (equally spaced points).
#[derive(Clone, Debug, PartialEq)]
pub struct Categories {
    labels: Vec<String>,
    values: Vec<f64>,
}

impl Categories {
    /// Categories with these labels, in scale order, valued 0, 1, 2, ….
    pub fn new<I, S>(labels: I) -> Result<Self, DataError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let labels: Vec<String> = labels.into_iter().map(Into::into).collect();
        let values = (0..labels.len()).map(|i| i as f64).collect();
        Self::with_values(labels, values)
    }

    /// Numeric categories labelled by their values; `values` must be finite and increasing.
    pub fn numeric(values: Vec<f64>) -> Result<Self, DataError> {
        let labels = values.iter().map(ToString::to_string).collect();
        Self::with_values(labels, values)
    }

    /// Categories with labels and numeric values; values must be finite and increasing.
    pub fn with_values(labels: Vec<String>, values: Vec<f64>) -> Result<Self, DataError> {
        if labels.len() != values.len() {
            return Err(DataError::LengthMismatch {
                labels: labels.len(),
                values: values.len(),
            });
        }
        if u32::try_from(labels.len()).map_or(true, |n| n == MISSING) {
            return Err(DataError::TooLarge);
        }
        for (index, &value) in values.iter().enumerate() {
            let increasing = index == 0 || values[index - 1] < value;
            if !value.is_finite() || !increasing {
                return Err(DataError::BadValues { index, value });
            }
        }
        Ok(Self { labels, values })
    }

    /// Number of categories.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the scale has no categories at all.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The labels, by index.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The values on the scale, by index.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

/// Ratings of units by coders; a cell is a category index or missing.
#[derive(Clone, Debug, PartialEq)]
pub struct RatingMatrix {
    units: usize,
    coders: usize,
    /// Row-major (one row per unit), because nearly every statistic walks unit by unit.
    cells: Vec<u32>,
    categories: Categories,
}

impl RatingMatrix {
    /// A matrix with every cell missing.
    pub fn new(units: usize, coders: usize, categories: Categories) -> Result<Self, DataError> {
        let n = units.checked_mul(coders).ok_or(DataError::TooLarge)?;
        Ok(Self {
            units,
            coders,
            cells: vec![MISSING; n],
            categories,
        })
    }

    /// A matrix from rows of optional category indices, one row per unit, one column per coder.
    ///
    /// Rows shorter than `coders` are missing at the end; longer rows are refused.
    pub fn from_rows<R: AsRef<[Option<usize>]>>(
        rows: &[R],
        coders: usize,
        categories: Categories,
    ) -> Result<Self, DataError> {
        let mut m = Self::new(rows.len(), coders, categories)?;
        for (unit, row) in rows.iter().enumerate() {
            for (coder, &cell) in row.as_ref().iter().enumerate() {
                m.set(unit, coder, cell)?;
            }
        }
        Ok(m)
    }

    /// Built by the table reader, which has already checked every index.
    pub(crate) fn from_cells(
        units: usize,
        coders: usize,
        cells: Vec<u32>,
        categories: Categories,
    ) -> Self {
        debug_assert_eq!(cells.len(), units * coders);
        Self {
            units,
            coders,
            cells,
            categories,
        }
    }

    /// Sets one cell (`None` makes it missing).
    pub fn set(
        &mut self,
        unit: usize,
        coder: usize,
        category: Option<usize>,
    ) -> Result<(), DataError> {
        if unit >= self.units {
            return Err(DataError::UnitOutOfRange {
                unit,
                units: self.units,
            });
        }
        if coder >= self.coders {
            return Err(DataError::CoderOutOfRange {
                coder,
                coders: self.coders,
            });
        }
        let raw = match category {
            None => MISSING,
            Some(c) if c < self.categories.len() => {
                u32::try_from(c).map_err(|_| DataError::TooLarge)?
            }
            Some(c) => {
                return Err(DataError::CategoryOutOfRange {
                    category: c,
                    categories: self.categories.len(),
                });
            }
        };
        self.cells[unit * self.coders + coder] = raw;
        Ok(())
    }

    /// The category coder `coder` gave unit `unit`, if any (also `None` out of range).
    pub fn get(&self, unit: usize, coder: usize) -> Option<usize> {
        if unit >= self.units || coder >= self.coders {
            return None;
        }
        decode(self.cells[unit * self.coders + coder])
    }

    /// Number of units (rows).
    pub fn units(&self) -> usize {
        self.units
    }

    /// Number of coders (columns).
    pub fn coders(&self) -> usize {
        self.coders
    }

    /// The rating scale.
    pub fn categories(&self) -> &Categories {
        &self.categories
    }

    /// Number of ratings (cells that are not missing).
    pub fn ratings(&self) -> usize {
        self.cells.iter().filter(|&&c| c != MISSING).count()
    }

    /// One unit's cells as stored (missing is [`MISSING`]).
    pub(crate) fn raw_row(&self, unit: usize) -> &[u32] {
        &self.cells[unit * self.coders..(unit + 1) * self.coders]
    }

    /// The ratings of one unit as `(coder, category)`, in coder order.
    pub fn rated(&self, unit: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let row: &[u32] = if unit < self.units {
            self.raw_row(unit)
        } else {
            &[]
        };
        row.iter()
            .enumerate()
            .filter_map(|(coder, &c)| decode(c).map(|c| (coder, c)))
    }
}

/// A stored cell as an optional category index.
pub(crate) fn decode(raw: u32) -> Option<usize> {
    (raw != MISSING).then_some(raw as usize)
}

/// Per-unit category counts of the units with enough ratings, in compressed rows.
///
/// Every statistic that only needs "how many coders chose each category in this unit" (alpha,
/// percent and specific agreement, AC1) reads this instead of the matrix; it is built in one
/// pass of O(units × coders) and holds only the categories that occur in each unit.
#[derive(Clone, Debug, Default)]
pub(crate) struct UnitCounts {
    /// `offsets[u]..offsets[u + 1]` indexes `cats`/`counts` for kept unit `u`.
    offsets: Vec<usize>,
    cats: Vec<u32>,
    counts: Vec<u32>,
    /// Ratings in each kept unit (m_u).
    totals: Vec<u32>,
}

impl UnitCounts {
    /// Counts for the units with at least `min_ratings` ratings; a unit's categories are in
    /// ascending order.
    ///
    /// Each row is counted without a branch per cell ("missing" has its own counter, read and
    /// cleared after the row), and the output is reserved once: on a table of 200,000 units
    /// the branchy version with growing vectors took half of all the statistics' time.
    pub(crate) fn build(matrix: &RatingMatrix, min_ratings: usize) -> Self {
        let (units, coders) = (matrix.units(), matrix.coders());
        let k = matrix.categories().len();
        let missing = k;
        let mut scratch = vec![0u32; k + 1];
        let entries = units.saturating_mul(coders.min(k));
        let mut out = Self {
            offsets: Vec::with_capacity(units + 1),
            cats: Vec::with_capacity(entries),
            counts: Vec::with_capacity(entries),
            totals: Vec::with_capacity(units),
        };
        out.offsets.push(0);
        // With few categories, reading all of their counters is cheaper than remembering
        // which ones a row touched.
        let scan_all = k <= coders.max(8);
        // One unit's (category, count) pairs, for sorting when not every counter is read.
        let mut entries: Vec<(u32, u32)> = Vec::new();
        for unit in 0..units {
            let row = matrix.raw_row(unit);
            for &cell in row {
                scratch[(cell as usize).min(missing)] += 1;
            }
            let total = row.len() as u32 - scratch[missing];
            scratch[missing] = 0;
            let keep = (total as usize) >= min_ratings && total > 0;
            let start = out.cats.len();
            if scan_all {
                for (c, slot) in scratch[..k].iter_mut().enumerate() {
                    if *slot > 0 {
                        if keep {
                            out.cats.push(c as u32);
                            out.counts.push(*slot);
                        }
                        *slot = 0;
                    }
                }
            } else {
                for &cell in row {
                    if let Some(slot) = scratch[..k].get_mut(cell as usize)
                        && *slot > 0
                    {
                        if keep {
                            out.cats.push(cell);
                            out.counts.push(*slot);
                        }
                        *slot = 0;
                    }
                }
                // Categories in ascending order, as the scan above gives them.
                entries.clear();
                entries.extend(
                    out.cats[start..]
                        .iter()
                        .copied()
                        .zip(out.counts[start..].iter().copied()),
                );
                entries.sort_unstable();
                for (i, &(c, n)) in entries.iter().enumerate() {
                    out.cats[start + i] = c;
                    out.counts[start + i] = n;
                }
            }
            if keep {
                out.totals.push(total);
                out.offsets.push(out.cats.len());
            }
        }
        out
    }

    /// Whether every unit has at least `min_ratings` ratings (then [`Self::filtered`] would
    /// only copy).
    pub(crate) fn all_have(&self, min_ratings: u32) -> bool {
        self.totals.iter().all(|&m| m >= min_ratings)
    }

    /// Number of units kept.
    pub(crate) fn len(&self) -> usize {
        self.totals.len()
    }

    /// Unit `i`'s number of ratings, its categories and how often each occurs.
    pub(crate) fn unit(&self, i: usize) -> (u32, &[u32], &[u32]) {
        let range = self.offsets[i]..self.offsets[i + 1];
        (
            self.totals[i],
            &self.cats[range.clone()],
            &self.counts[range],
        )
    }

    /// Total number of ratings in the kept units.
    pub(crate) fn values(&self) -> u64 {
        self.totals.iter().map(|&m| u64::from(m)).sum()
    }

    /// The units with at least `min_ratings` ratings, without going back to the matrix.
    pub(crate) fn filtered(&self, min_ratings: u32) -> Self {
        let mut out = Self {
            offsets: vec![0],
            ..Self::default()
        };
        for u in 0..self.len() {
            let (m, cats, counts) = self.unit(u);
            if m >= min_ratings {
                out.push(m, cats.iter().copied().zip(counts.iter().copied()));
            }
        }
        out
    }

    /// Units with the same category counts merged into one "profile", and each unit's
    /// profile.
    ///
    /// Identical units contribute identically to alpha, so a bootstrap sample only needs how
    /// often each profile was drawn; with a few categories there are far fewer profiles than
    /// units.
    pub(crate) fn grouped(&self) -> (Self, Vec<u32>) {
        let mut profiles = Self {
            offsets: vec![0],
            ..Self::default()
        };
        let mut ids: FxHashMap<Box<[(u32, u32)]>, u32> = FxHashMap::default();
        let mut key: Vec<(u32, u32)> = Vec::new();
        let mut of_unit = Vec::with_capacity(self.len());
        for u in 0..self.len() {
            let (m, cats, counts) = self.unit(u);
            key.clear();
            key.extend(cats.iter().copied().zip(counts.iter().copied()));
            key.sort_unstable();
            let id = if let Some(&id) = ids.get(key.as_slice()) {
                id
            } else {
                let id = profiles.len() as u32;
                profiles.push(m, key.iter().copied());
                ids.insert(key.as_slice().into(), id);
                id
            };
            of_unit.push(id);
        }
        (profiles, of_unit)
    }

    fn push(&mut self, total: u32, entries: impl Iterator<Item = (u32, u32)>) {
        for (c, n) in entries {
            self.cats.push(c);
            self.counts.push(n);
        }
        self.totals.push(total);
        self.offsets.push(self.cats.len());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    fn cats(n: usize) -> Categories {
        Categories::new((0..n).map(|i| format!("c{i}"))).unwrap()
    }

    #[test]
    fn set_and_get_round_trip_and_check_ranges() {
        let mut m = RatingMatrix::new(2, 3, cats(2)).unwrap();
        m.set(1, 2, Some(1)).unwrap();
        assert_eq!(m.get(1, 2), Some(1));
        assert_eq!(m.get(0, 0), None);
        assert_eq!(m.ratings(), 1);
        assert!(matches!(
            m.set(2, 0, Some(0)),
            Err(DataError::UnitOutOfRange { unit: 2, units: 2 })
        ));
        assert!(matches!(
            m.set(0, 3, Some(0)),
            Err(DataError::CoderOutOfRange { .. })
        ));
        assert!(matches!(
            m.set(0, 0, Some(2)),
            Err(DataError::CategoryOutOfRange { category: 2, .. })
        ));
        assert_eq!(m.rated(1).collect::<Vec<_>>(), vec![(2, 1)]);
        assert_eq!(m.rated(9).count(), 0);
    }

    #[test]
    fn numeric_categories_must_increase() {
        assert!(Categories::numeric(vec![1.0, 2.0, 5.5]).is_ok());
        assert!(matches!(
            Categories::numeric(vec![1.0, 1.0]),
            Err(DataError::BadValues { index: 1, .. })
        ));
        assert!(Categories::numeric(vec![f64::NAN]).is_err());
        assert!(Categories::with_values(vec!["a".into()], vec![]).is_err());
    }

    #[test]
    fn unit_counts_keep_only_units_with_enough_ratings() {
        let rows = [
            vec![Some(0), Some(0), Some(1)],
            vec![Some(1), None, None],
            vec![None, None, None],
            vec![Some(2), Some(2), None],
        ];
        let m = RatingMatrix::from_rows(&rows, 3, cats(3)).unwrap();
        let u = UnitCounts::build(&m, 2);
        assert!(u.all_have(2) && !u.all_have(3));
        assert_eq!(u.len(), 2);
        assert_eq!(u.unit(0), (3, &[0u32, 1][..], &[2u32, 1][..]));
        assert_eq!(u.unit(1), (2, &[2u32][..], &[2u32][..]));
        assert_eq!(u.values(), 5);
        let all = UnitCounts::build(&m, 1);
        assert_eq!(all.len(), 3);
        let two = all.filtered(2);
        assert_eq!((two.len(), two.unit(1)), (2, (2, &[2u32][..], &[2u32][..])));
    }

    #[test]
    fn unit_counts_list_categories_in_order_with_few_or_many_categories() {
        // Three categories for three coders (every counter read), and twelve (only the
        // ones a row touches, then sorted): the same counts either way.
        for k in [3, 12] {
            let rows = [
                vec![Some(2), Some(0), Some(2)],
                vec![None, Some(1), Some(0)],
            ];
            let m = RatingMatrix::from_rows(&rows, 3, cats(k)).unwrap();
            let u = UnitCounts::build(&m, 1);
            assert_eq!(u.unit(0), (3, &[0u32, 2][..], &[1u32, 2][..]), "k = {k}");
            assert_eq!(u.unit(1), (2, &[0u32, 1][..], &[1u32, 1][..]), "k = {k}");
        }
    }

    #[test]
    fn grouping_merges_units_with_equal_counts() {
        let rows = [
            vec![Some(0), Some(1), Some(1)],
            vec![Some(1), Some(0), Some(1)],
            vec![Some(2), Some(2), None],
            vec![None, Some(2), Some(2)],
            vec![Some(1), Some(1), Some(0)],
        ];
        let m = RatingMatrix::from_rows(&rows, 3, cats(3)).unwrap();
        let (profiles, of_unit) = UnitCounts::build(&m, 2).grouped();
        assert_eq!(profiles.len(), 2);
        assert_eq!(of_unit, [0, 0, 1, 1, 0]);
        assert_eq!(profiles.unit(0), (3, &[0u32, 1][..], &[1u32, 2][..]));
    }
}
