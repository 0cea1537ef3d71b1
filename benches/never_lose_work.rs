//! `cargo bench --bench never_lose_work`: what the window's safety nets cost on a file of
//! 1,000 claims — one edit (applied, journaled with an fsync), the once-a-second poll for
//! outside changes (metadata only) against hashing the file, and opening the file after its
//! article gained a paragraph (re-anchoring every claim).
#![allow(clippy::unwrap_used)] // a benchmark that cannot write its input should stop loudly
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use stance::core::model::annotation::{Anchor, AnnotationFile, Claim, CodebookRef, Origin, now};
use stance::core::storage::store;
use stance::session::{CodeCommand as Command, Session};

const CLAIMS: usize = 1_000;
const ARTICLE: &str = "001_f199504f34c41cb7";

/// A project with seed 001 and alice's file of [`CLAIMS`] claims spread over its sentences.
fn project(root: &Path) -> std::path::PathBuf {
    let seeds = root.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(format!("{ARTICLE}.txt"));
    std::fs::copy(&src, seeds.join(format!("{ARTICLE}.txt"))).unwrap();
    let s = Session::open(root, "alice").unwrap();
    let article = s.article();
    let body: Vec<u32> = (0..article.sentences.len() as u32)
        .filter(|&i| article.sentences[i as usize].skip.is_none())
        .collect();
    let mut file = AnnotationFile::new(
        article.reference(),
        CodebookRef {
            id: s.codebook().id.clone(),
            version: s.codebook().version,
        },
        "alice",
    );
    for n in 0..CLAIMS {
        let i = body[n % body.len()];
        let r = article.sentences[i as usize].range.clone();
        let t = now();
        file.claims.push(Claim {
            id: format!("c{n:04}"),
            anchor: Anchor::new(&article.text, i, i, r.start, r.end),
            speaker: None,
            cue: None,
            stances: [("ceasefire".to_owned(), "favor".to_owned())].into(),
            source: None,
            unsure: false,
            note: String::new(),
            origin: Origin::Manual,
            created: t,
            modified: t,
        });
    }
    file.sort_claims();
    let path = s.document().path.clone();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    store::save_annotation(&path, &file).unwrap();
    path
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    project(root);
    let mut group = c.benchmark_group("never_lose_work");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    {
        let mut s = Session::open(root, "alice").unwrap();
        s.handle(Command::SelectClaim(Some("c0500".into())));
        group.bench_function("edit + journal append (1,000 claims)", |b| {
            b.iter(|| s.handle(black_box(Command::ToggleUnsure)));
        });
        s.handle(Command::Save);
        group.bench_function("poll: size and mtime", |b| {
            b.iter(|| black_box(s.document().stamp_changed()));
        });
        group.bench_function("check: hash the file", |b| {
            b.iter(|| black_box(s.document().changed_on_disk()));
        });
    }
    // The outlet adds a paragraph at the top: every claim moves.
    let seed = root.join("seeds").join(format!("{ARTICLE}.txt"));
    let text = std::fs::read_to_string(&seed).unwrap();
    let at = text.find('\n').unwrap() + 1;
    std::fs::write(
        &seed,
        format!(
            "{}An editor's note was added. It is a new paragraph.\n\n{}",
            &text[..at],
            &text[at..]
        ),
    )
    .unwrap();
    group.bench_function("open + re-anchor (1,000 claims)", |b| {
        b.iter(|| {
            let s = Session::open(root, "alice").unwrap();
            black_box(
                s.reanchor_report()
                    .map(stance::core::text::anchor::ReanchorReport::moved),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
