//! Property tests: alpha is 1 when coders agree, statistics do not depend on how labels,
//! units or coders are ordered or named, and every coefficient stays in its range.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use super::{
    Categories, Level, RatingMatrix, Stat, alpha_from_coincidence, coincidence_matrix,
    fleiss_kappa, gwet_ac1, krippendorff_alpha, light_kappa, percent_agreement,
};

const LEVELS: [Level; 4] = [
    Level::Nominal,
    Level::Ordinal,
    Level::Interval,
    Level::Ratio,
];

/// Random reliability data: (units, coders, categories, cells row by row).
fn data() -> impl Strategy<Value = (usize, usize, usize, Vec<Option<usize>>)> {
    (1usize..30, 2usize..6, 1usize..6).prop_flat_map(|(u, c, k)| {
        (
            Just(u),
            Just(c),
            Just(k),
            proptest::collection::vec(proptest::option::weighted(0.8, 0..k), u * c),
        )
    })
}

/// Categories 1..=k (positive, so the ratio level applies too).
fn scale(k: usize) -> Categories {
    Categories::numeric((1..=k).map(|v| v as f64).collect()).unwrap()
}

fn build(u: usize, c: usize, k: usize, cells: &[Option<usize>]) -> RatingMatrix {
    let rows: Vec<&[Option<usize>]> = cells.chunks(c).collect();
    let m = RatingMatrix::from_rows(&rows, c, scale(k)).unwrap();
    assert_eq!(m.units(), u);
    m
}

/// Both undefined, or both defined and equal up to rounding.
fn same(a: &Stat, b: &Stat) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => (x - y).abs() < 1e-9,
        (Err(_), Err(_)) => true,
        _ => false,
    }
}

/// All the statistics that must not depend on the order of units or coders.
fn all_stats(m: &RatingMatrix) -> Vec<Stat> {
    let mut s: Vec<Stat> = LEVELS.iter().map(|&l| krippendorff_alpha(m, l)).collect();
    s.push(fleiss_kappa(m).kappa);
    s.push(light_kappa(m).kappa);
    s.push(percent_agreement(m));
    s.push(gwet_ac1(m));
    s
}

/// A permutation of `0..n` from a seed (Fisher–Yates with a tiny LCG; proptest shrinks seeds).
fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    let mut s = seed | 1;
    for i in (1..n).rev() {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        p.swap(i, (s >> 33) as usize % (i + 1));
    }
    p
}

proptest! {
    #[test]
    fn identical_coders_have_alpha_one(
        column in proptest::collection::vec(proptest::option::weighted(0.9, 0usize..5), 2..40),
        coders in 2usize..6,
    ) {
        let present: std::collections::BTreeSet<usize> = column.iter().flatten().copied().collect();
        prop_assume!(present.len() >= 2);
        // Every coder gives each unit the same value (or all skip it).
        let rows: Vec<Vec<Option<usize>>> = column.iter().map(|&v| vec![v; coders]).collect();
        let m = RatingMatrix::from_rows(&rows, coders, scale(5)).unwrap();
        for level in LEVELS {
            let a = krippendorff_alpha(&m, level).unwrap();
            prop_assert!((a - 1.0).abs() < 1e-12, "{level}: {a}");
        }
        prop_assert!((percent_agreement(&m).unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn alpha_at_most_one_and_kappas_in_range((u, c, k, cells) in data()) {
        let m = build(u, c, k, &cells);
        for level in LEVELS {
            if let Ok(a) = krippendorff_alpha(&m, level) {
                prop_assert!(a <= 1.0 + 1e-12, "{level}: {a}");
            }
        }
        let light = light_kappa(&m);
        for p in &light.pairs {
            if let Ok(k) = p.kappa {
                prop_assert!((-1.0 - 1e-12..=1.0 + 1e-12).contains(&k), "cohen {k}");
            }
        }
        for k in [light.kappa, fleiss_kappa(&m).kappa, gwet_ac1(&m)].into_iter().flatten() {
            prop_assert!((-1.0 - 1e-12..=1.0 + 1e-12).contains(&k), "{k}");
        }
    }

    #[test]
    fn fast_alpha_equals_the_coincidence_matrix_formula((u, c, k, cells) in data()) {
        let m = build(u, c, k, &cells);
        let o = coincidence_matrix(&m);
        for level in LEVELS {
            let fast = krippendorff_alpha(&m, level);
            let reference = alpha_from_coincidence(&o, m.categories(), level);
            prop_assert!(same(&fast, &reference), "{level}: {fast:?} vs {reference:?}");
        }
    }

    #[test]
    fn unchanged_by_reordering_units_and_coders((u, c, k, cells) in data(), seed: u64) {
        let m = build(u, c, k, &cells);
        let unit_order = permutation(u, seed);
        let coder_order = permutation(c, seed.rotate_left(17));
        let mut shuffled = RatingMatrix::new(u, c, scale(k)).unwrap();
        for (new_u, &old_u) in unit_order.iter().enumerate() {
            for (new_c, &old_c) in coder_order.iter().enumerate() {
                shuffled.set(new_u, new_c, m.get(old_u, old_c)).unwrap();
            }
        }
        for (a, b) in all_stats(&m).iter().zip(&all_stats(&shuffled)) {
            prop_assert!(same(a, b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn nominal_statistics_unchanged_by_renaming_labels((u, c, k, cells) in data(), seed: u64) {
        let m = build(u, c, k, &cells);
        let rename = permutation(k, seed);
        let renamed_cells: Vec<Option<usize>> = cells.iter().map(|v| v.map(|v| rename[v])).collect();
        let renamed = build(u, c, k, &renamed_cells);
        let nominal = |m: &RatingMatrix| {
            vec![
                krippendorff_alpha(m, Level::Nominal),
                fleiss_kappa(m).kappa,
                light_kappa(m).kappa,
                percent_agreement(m),
                gwet_ac1(m),
            ]
        };
        for (a, b) in nominal(&m).iter().zip(&nominal(&renamed)) {
            prop_assert!(same(a, b), "{a:?} vs {b:?}");
        }
    }
}
