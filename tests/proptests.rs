//! Property tests, and the fuzz targets run on stable Rust.
//!
//! - Segmentation covers the text exactly (`split_check`) for arbitrary strings.
//! - Saving then loading is the identity for arbitrary valid annotation files.
//! - The fuzz targets' properties (`fuzz/src/lib.rs`, included below) hold for every file of
//!   the fuzz corpus and of the bad-input catalogue, for random bytes, and for random
//!   mutations of corpus files, so they are checked on every `cargo test` even where no
//!   nightly toolchain or libFuzzer is at hand.

#[path = "fixtures/helpers.rs"]
mod helpers;

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use proptest::prelude::*;

use helpers::{REPO, SEED_000, seed_article};
use stance::core::model::annotation::{
    Anchor, AnnotationFile, Claim, CodebookRef, Cue, SpeakerRef, Status,
};
use stance::core::model::codebook::Codebook;
use stance::core::storage::store;
use stance::core::text::corpus::Article;

static ARTICLE: LazyLock<Article> = LazyLock::new(|| seed_article(SEED_000));
static CODEBOOK: LazyLock<Codebook> = LazyLock::new(Codebook::default_codebook);

// ---------------------------------------------------------------------------------------------
// Segmentation
// ---------------------------------------------------------------------------------------------

/// Pieces that exercise the segmenter's special cases: abbreviations, initials, acronyms,
/// quotes followed by lowercase, odd whitespace and line breaks.
const PIECES: &[&str] = &[
    "The envoy said",
    " Mr.",
    " Dr. Smith",
    " John F. Kennedy",
    " U.S. officials",
    " Mar. 20, 2023",
    "“Why?” he asked.",
    " “Peace.”",
    "'quoted'",
    ". ",
    "! ",
    "? ",
    "…",
    "\n",
    "\n\n",
    "\r\n",
    " \n \n",
    "\u{a0}|\u{a0}",
    "\t",
    "\u{2028}",
    "\u{85}",
    "Credit: AP",
    "Putin Talks Putin Talks",
    "é",
    "👍🏽",
    "a",
    "1.5",
    "  ",
];

fn news_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn segmentation_covers_arbitrary_strings(text in any::<String>()) {
        targets::check_segmentation(&text);
    }

    #[test]
    fn segmentation_covers_news_like_strings(text in news_like()) {
        targets::check_segmentation(&text);
    }
}

// ---------------------------------------------------------------------------------------------
// Save then load
// ---------------------------------------------------------------------------------------------

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    // 1970 to 2100, whole seconds, as files store them.
    (0i64..4_102_444_800).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or_default())
}

/// A span of the seed article inside or across sentences, on character boundaries.
fn span() -> impl Strategy<Value = (usize, usize)> {
    let n = ARTICLE.sentences.len();
    (0..n, 0..3usize, any::<prop::sample::Index>(), any::<bool>()).prop_map(
        move |(first, extra, cut, whole)| {
            let last = (first + extra).min(n - 1);
            let start = ARTICLE.sentences[first].range.start;
            let end = ARTICLE.sentences[last].range.end;
            if whole {
                return (start, end);
            }
            // Cut the end short at a character boundary, keeping at least one character.
            let text = &ARTICLE.text[start..end];
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
            if bounds.is_empty() {
                (start, end)
            } else {
                (start, start + bounds[cut.index(bounds.len())])
            }
        },
    )
}

fn speaker() -> impl Strategy<Value = Option<SpeakerRef>> {
    let ids: Vec<String> = CODEBOOK.speakers.iter().map(|s| s.id.clone()).collect();
    prop_oneof![
        Just(None),
        prop::sample::select(ids).prop_map(|id| Some(SpeakerRef::Registry(id))),
        any::<String>().prop_map(|n| Some(SpeakerRef::New(n))),
    ]
}

fn stances() -> impl Strategy<Value = BTreeMap<String, String>> {
    let targets: Vec<String> = CODEBOOK.targets.iter().map(|t| t.id.clone()).collect();
    let labels: Vec<String> = CODEBOOK.stances.iter().map(|l| l.id.clone()).collect();
    prop::collection::btree_map(
        prop::sample::select(targets),
        prop::sample::select(labels),
        0..3,
    )
}

fn claim(id: String) -> impl Strategy<Value = Claim> {
    let sources: Vec<String> = CODEBOOK.source_types.iter().map(|l| l.id.clone()).collect();
    (
        span(),
        speaker(),
        any::<bool>(),
        stances(),
        prop::option::of(prop::sample::select(sources)),
        any::<bool>(),
        any::<String>(),
        time(),
        time(),
    )
        .prop_map(
            move |((start, end), speaker, with_cue, stances, source, unsure, note, t1, t2)| {
                let (first, last) = ARTICLE
                    .sentences_overlapping(&(start..end))
                    .unwrap_or((0, 0));
                let cue = with_cue.then(|| {
                    let s = &ARTICLE.text[start..end];
                    let len = s.chars().next().map_or(0, char::len_utf8);
                    Cue {
                        start,
                        end: start + len,
                        text: s[..len].to_owned(),
                    }
                });
                Claim {
                    id: id.clone(),
                    anchor: Anchor::new(&ARTICLE.text, first, last, start, end),
                    speaker,
                    cue,
                    stances,
                    source,
                    // Both provenances must survive the round trip.
                    origin: if unsure {
                        stance::core::model::annotation::Origin::Suggested {
                            reasons: format!("r{first}"),
                        }
                    } else {
                        stance::core::model::annotation::Origin::Manual
                    },
                    unsure,
                    note,
                    created: t1.min(t2),
                    modified: t1.max(t2),
                }
            },
        )
}

fn annotation_file() -> impl Strategy<Value = AnnotationFile> {
    (0..40usize)
        .prop_flat_map(|n| {
            let claims: Vec<_> = (0..n).map(|i| claim(format!("c{i:03}"))).collect();
            (claims, any::<bool>(), time(), "[a-z][a-z0-9_]{0,12}")
        })
        .prop_map(|(claims, done, created, annotator)| {
            let mut f = AnnotationFile::new(
                ARTICLE.reference(),
                CodebookRef {
                    id: CODEBOOK.id.clone(),
                    version: CODEBOOK.version,
                },
                annotator,
            );
            f.claims = claims;
            f.sort_claims();
            f.status = if done {
                Status::Done
            } else {
                Status::InProgress
            };
            f.created = created;
            f.modified = created;
            f
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn save_then_load_is_the_identity(file in annotation_file()) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("{}.ron", file.annotator));
        store::save_annotation(&path, &file).expect("save");
        let loaded = store::load_annotation(&path, &CODEBOOK).expect("load");
        prop_assert_eq!(&loaded, &file);
        // And saving what was loaded writes the same bytes.
        let first = fs::read(&path).expect("read");
        store::save_annotation(&path, &loaded).expect("save again");
        prop_assert_eq!(fs::read(&path).expect("read"), first);
    }
}

// ---------------------------------------------------------------------------------------------
// The fuzz targets, on the corpus and on random input
// ---------------------------------------------------------------------------------------------

/// The files of `fuzz/corpus/<target>/`.
fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(REPO).join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// Every file of the bad-input catalogue.
fn catalogue() -> Vec<PathBuf> {
    fs::read_dir(Path::new(REPO).join("tests/bad_inputs"))
        .expect("catalogue")
        .map(|e| e.expect("entry").path())
        .collect()
}

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 4] = [
    ("annotation_loader", targets::annotation_loader),
    ("codebook_loader", targets::codebook_loader),
    ("segmenter", targets::segmenter),
    ("ratings_table", targets::ratings_table),
];

#[test]
fn fuzz_targets_hold_on_the_corpus_and_the_catalogue() {
    let extra = catalogue();
    for (name, target) in TARGETS {
        let files = corpus(name);
        assert!(
            files.len() >= 3,
            "{name}: corpus too small ({})",
            files.len()
        );
        for path in files.iter().chain(&extra) {
            let bytes = fs::read(path).expect("read");
            let result = std::panic::catch_unwind(|| target(&bytes));
            assert!(result.is_ok(), "{name} fails on {}", path.display());
        }
    }
}

/// Corpus files of every target, read once.
static SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    TARGETS
        .iter()
        .flat_map(|(name, _)| corpus(name))
        .map(|p| fs::read(p).expect("read"))
        .collect()
});

/// One small random change to some bytes, the kinds libFuzzer makes.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
    Delete(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
    Duplicate(prop::sample::Index, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tokens: Vec<Vec<u8>> = [
        "(",
        ")",
        "[",
        "]",
        "\"",
        "'",
        ",",
        ":",
        "\\",
        "Some(",
        "None",
        "r#\"",
        "#",
        "/*",
        "*/",
        "//",
        "\n",
        "é",
        "\u{feff}",
        "-1",
        "1e999",
        "18446744073709551616",
        "true",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<prop::sample::Index>(), prop::sample::select(tokens))
            .prop_map(|(i, t)| Mutation::Insert(i, t)),
        (any::<prop::sample::Index>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (any::<prop::sample::Index>(), 1..256usize).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let len = bytes.len();
    match m {
        Mutation::Flip(i, b) => bytes[i.index(len)] ^= b | 1,
        Mutation::Insert(i, t) => {
            let at = i.index(len + 1);
            bytes.splice(at..at, t.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let at = i.index(len);
            bytes.drain(at..(at + n).min(len));
        }
        Mutation::Truncate(i) => bytes.truncate(i.index(len)),
        Mutation::Duplicate(i, n) => {
            let at = i.index(len);
            let piece = bytes[at..(at + n).min(len)].to_vec();
            bytes.splice(at..at, piece);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn fuzz_targets_hold_on_mutated_corpus_files(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let mut bytes = SEEDS[seed.index(SEEDS.len())].clone();
        for m in &mutations {
            mutate(&mut bytes, m);
        }
        for (_, target) in TARGETS {
            target(&bytes);
        }
    }

    #[test]
    fn fuzz_targets_hold_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for (_, target) in TARGETS {
            target(&bytes);
        }
    }
}
