//! `cargo bench --bench plan`: a team plan over the generated 2,000-article project, five
//! coders: what the window's Plan tab and queue do with it. Reading the plan with every
//! coder's progress runs as a job (it reads every planned file's status); the next article
//! in a coder's queue is computed on the window's thread when "Next in my queue" is clicked.
#![allow(clippy::unwrap_used)] // a benchmark that cannot set itself up should stop loudly
#![allow(missing_docs)] // criterion's macros generate undocumented items

#[path = "common/mod.rs"]
mod common;

use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use stance::core::project::Project;
use stance::core::team::assign::{self, Request, SizeRequest};
use stance::core::team::plan;
use stance::core::team::queue::WorkState;
use stance::session::plan::PlanView;

const ARTICLES: usize = 2_000;

fn bench(c: &mut Criterion) {
    let corpus = common::corpus(ARTICLES);
    let root = corpus.path();
    let (project, _) = Project::open(root).unwrap();
    let ids: Vec<String> = project.articles.iter().map(|a| a.id.clone()).collect();
    // The generated annotators, as the plan's coders: every planned file exists.
    let coders: Vec<String> = std::fs::read_dir(root.join("annotations").join(&ids[0]))
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.trim_end_matches(".ron").to_owned()
        })
        .collect();
    let req = Request {
        coders,
        size: Some(SizeRequest::Count(100)),
        ..Request::default()
    };
    let outcome = assign::assign(None, &ids, &BTreeSet::new(), &req).unwrap();
    plan::save(root, &outcome.plan).unwrap();
    let viewer = outcome.plan.coders[0].clone();

    let mut group = c.benchmark_group("plan (2,000 articles, 5 coders)");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("read the plan and every coder's progress (job)", |b| {
        b.iter(|| black_box(PlanView::load(&project, &viewer).unwrap().unwrap()));
    });
    let view = PlanView::load(&project, &viewer).unwrap().unwrap();
    group.bench_function("next in my queue (window thread)", |b| {
        b.iter(|| {
            let q = view
                .queue_with(&project, |_| WorkState::NotStarted)
                .unwrap();
            black_box(q.next().map(|i| i.article.clone()))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
