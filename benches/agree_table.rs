//! `cargo bench --no-default-features --bench agree_table`: reading a 20 coder × 200,000 unit
//! table (5 categories, 10% missing, about 3.6 million lines) and computing alpha, and the
//! whole report without the bootstrap.
#![allow(clippy::unwrap_used)] // a benchmark that cannot write its input should stop loudly
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use stance::core::agreement::{
    Level, ReportOptions, agreement_report, krippendorff_alpha, read_table,
};

const UNITS: usize = 200_000;
const CODERS: usize = 20;
const CATEGORIES: u64 = 5;

/// Writes the benchmark table: each unit has a true category that each coder reports with
/// probability 0.7 (else a random one); 10% of ratings are missing. A fixed LCG keeps it the
/// same on every run without a random-number crate.
fn generate(path: &Path) {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    let mut text = String::with_capacity(UNITS * CODERS * 14);
    text.push_str("unit,coder,value\n");
    for unit in 0..UNITS {
        let truth = next() % CATEGORIES + 1;
        for coder in 0..CODERS {
            if next() % 10 == 0 {
                continue;
            }
            let value = if next() % 10 < 7 {
                truth
            } else {
                next() % CATEGORIES + 1
            };
            let _ = writeln!(text, "u{unit},c{coder},{value}");
        }
    }
    std::fs::write(path, text).unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("table.csv");
    generate(&path);
    let mut group = c.benchmark_group("agree_table");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("read + alpha nominal", |b| {
        b.iter(|| {
            let table = read_table(&path, Level::Nominal).unwrap();
            black_box(krippendorff_alpha(&table.matrix, Level::Nominal))
        });
    });
    group.bench_function("read + full report, no bootstrap", |b| {
        let options = ReportOptions {
            level: Level::Nominal,
            bootstrap: 0,
            seed: 1,
        };
        b.iter(|| {
            let table = read_table(&path, Level::Nominal).unwrap();
            black_box(agreement_report(&table.matrix, &table.coders, &options))
        });
    });
    group.bench_function("read + full report, 1000 bootstrap samples", |b| {
        let options = ReportOptions {
            level: Level::Nominal,
            bootstrap: 1000,
            seed: 1,
        };
        b.iter(|| {
            let table = read_table(&path, Level::Nominal).unwrap();
            black_box(agreement_report(&table.matrix, &table.coders, &options))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
