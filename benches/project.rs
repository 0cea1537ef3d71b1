//! `cargo bench --bench project`: the generated 2,000-article × 5-annotator project: opening
//! it with the article list's statuses, loading and validating all 10,000 annotation files
//! (`stance check`), agreement over every field, and saving one 3,000-claim file.
#![allow(clippy::unwrap_used)] // a benchmark that cannot set itself up should stop loudly
#![allow(missing_docs)] // criterion's macros generate undocumented items

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use stance::core::agreement::ReportOptions;
use stance::core::agreement::project::project_reports;
use stance::core::agreement::units::Selection;
use stance::core::check::check_project_report;
use stance::core::project::Project;
use stance::core::storage::store;
use stance::session::Session;

const ARTICLES: usize = 2_000;

fn bench(c: &mut Criterion) {
    let corpus = common::corpus(ARTICLES);
    let root = corpus.path();
    let mut group = c.benchmark_group("project (2,000 articles x 5 annotators)");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));

    group.bench_function("open with article statuses", |b| {
        b.iter(|| {
            let s = Session::open(root, "amira").unwrap();
            assert_eq!(s.summaries().len(), ARTICLES);
            black_box(s.done_count())
        });
    });
    group.bench_function("load + validate 10,000 annotation files", |b| {
        b.iter(|| {
            let report = check_project_report(root);
            assert_eq!(report.files, ARTICLES * 6);
            assert_eq!(report.errors(), 0, "{:?}", report.findings.first());
            black_box(report)
        });
    });
    let (project, _) = Project::open(root).unwrap();
    // What `stance agree` and the agreement view compute: every field's statistics, claim
    // boundaries (matching and unitizing alpha) and drift, from one reading of the files.
    group.bench_function("agreement, every field, no bootstrap", |b| {
        let options = ReportOptions {
            bootstrap: 0,
            ..ReportOptions::default()
        };
        b.iter(|| black_box(project_reports(&project, &Selection::default(), &options).unwrap()));
    });
    group.bench_function("agreement, every field, 1000 bootstrap samples", |b| {
        let options = ReportOptions::default();
        b.iter(|| black_box(project_reports(&project, &Selection::default(), &options).unwrap()));
    });
    group.finish();

    let long = common::long_project();
    let (project, _) = Project::open(long.path()).unwrap();
    let path = project.annotation_path("long", "amira").unwrap();
    let file = store::load_annotation(&path, &project.codebook).unwrap();
    assert_eq!(file.claims.len(), 3_000);
    let mut group = c.benchmark_group("save");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("one file with 3,000 claims (atomic, fsynced)", |b| {
        b.iter(|| store::save_annotation(&path, black_box(&file)).unwrap());
    });
    // The two halves of a save, to see where its time goes.
    group.bench_function("serialise only (pretty RON, 2.5 MB)", |b| {
        b.iter(|| store::to_ron(black_box(&file)).unwrap());
    });
    let text = store::to_ron(&file).unwrap();
    group.bench_function("write only (temp file, fsync, rename)", |b| {
        b.iter(|| store::write_atomic(&path, black_box(text.as_bytes())).unwrap());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
