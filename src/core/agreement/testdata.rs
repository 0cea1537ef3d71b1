//! Published worked examples and small builders shared by the agreement unit tests.
#![allow(clippy::unwrap_used)]

use super::data::{Categories, RatingMatrix};

/// A matrix from rows of optional category indices over `k` unnamed categories.
pub(crate) fn matrix(rows: &[&[Option<usize>]], k: usize) -> RatingMatrix {
    let coders = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let categories = Categories::new((0..k).map(|i| format!("c{i}"))).unwrap();
    RatingMatrix::from_rows(rows, coders, categories).unwrap()
}

/// Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: 4 observers
/// (rows), 12 units (columns), values 1–5; 0 marks a missing value. Alpha: nominal 0.743,
/// ordinal 0.815, interval 0.849, ratio 0.797.
pub(crate) const KRIPPENDORFF_2011: [[u8; 12]; 4] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
    [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
];

/// [`KRIPPENDORFF_2011`] as units × coders over the numeric scale 1–5.
pub(crate) fn krippendorff_2011() -> RatingMatrix {
    let categories = Categories::numeric(vec![1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
    let mut m = RatingMatrix::new(12, 4, categories).unwrap();
    for (coder, row) in KRIPPENDORFF_2011.iter().enumerate() {
        for (unit, &v) in row.iter().enumerate() {
            m.set(unit, coder, usize::from(v).checked_sub(1)).unwrap();
        }
    }
    m
}

/// Fleiss (1971) as reproduced in the Wikipedia article "Fleiss' kappa": 10 subjects, 14
/// raters each, 5 categories; each row counts the raters per category. Kappa 0.210.
pub(crate) const FLEISS_1971: [[u64; 5]; 10] = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
];

/// [`FLEISS_1971`] as a 10 × 14 matrix: rater slots are filled category by category, since
/// Fleiss' kappa only sees the counts per subject.
pub(crate) fn fleiss_1971() -> RatingMatrix {
    let rows: Vec<Vec<Option<usize>>> = FLEISS_1971
        .iter()
        .map(|counts| {
            counts
                .iter()
                .enumerate()
                .flat_map(|(c, &n)| std::iter::repeat_n(Some(c), n as usize))
                .collect()
        })
        .collect();
    let refs: Vec<&[Option<usize>]> = rows.iter().map(Vec::as_slice).collect();
    matrix(&refs, 5)
}

/// Two coders, yes/no, from the Wikipedia article "Cohen's kappa" (first worked example):
/// 20 yes–yes, 5 yes–no, 10 no–yes, 15 no–no; p_o = 0.7, p_e = 0.5, kappa = 0.4.
pub(crate) fn cohen_wikipedia() -> RatingMatrix {
    let mut rows: Vec<[Option<usize>; 2]> = Vec::new();
    for (a, b, n) in [(0, 0, 20), (0, 1, 5), (1, 0, 10), (1, 1, 15)] {
        rows.extend(std::iter::repeat_n([Some(a), Some(b)], n));
    }
    let categories = Categories::new(["yes", "no"]).unwrap();
    RatingMatrix::from_rows(&rows, 2, categories).unwrap()
}
