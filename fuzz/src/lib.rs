//! The properties the fuzz targets check, one function per target.
//!
//! Each takes arbitrary bytes and panics only when stance misbehaves: a reader may refuse
//! input, but it must not panic, and what it accepts must survive a round trip. The same
//! file is compiled into `tests/proptests.rs` (with `#[path]`), so the properties also run on
//! stable Rust over the corpus and over random input, without libFuzzer.

use std::path::Path;
use std::sync::OnceLock;

use stance::core::agreement::Level;
use stance::core::agreement::table;
use stance::core::model::codebook::{Boilerplate, Codebook};
use stance::core::storage::store;
use stance::core::text::segment;

/// The default codebook, parsed once: parsing it per input would dominate every run.
fn default_codebook() -> &'static Codebook {
    static CODEBOOK: OnceLock<Codebook> = OnceLock::new();
    CODEBOOK.get_or_init(Codebook::default_codebook)
}

/// Annotation loader: `store::parse_annotation` with the default codebook must not panic, and
/// a file it accepts must serialise to RON that parses back to the same file, and whose
/// second serialisation is byte-identical (saving is deterministic).
pub fn annotation_loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let codebook = default_codebook();
    let path = Path::new("fuzz/alice.ron");
    let Ok(file) = store::parse_annotation(path, text, codebook) else {
        return;
    };
    let ron = store::to_ron(&file).unwrap_or_else(|e| panic!("accepted but unwritable: {e}"));
    let back = store::parse_annotation(path, &ron, codebook)
        .unwrap_or_else(|e| panic!("written but unreadable: {e}\n{ron}"));
    assert_eq!(back, file, "the round trip changed the file");
    let again = store::to_ron(&back).unwrap_or_default();
    assert_eq!(again, ron, "saving twice gave different bytes");
}

/// Codebook loader: `store::parse_ron::<Codebook>` and `Codebook::validate` must not panic; a
/// codebook without problems round-trips, and segmenting with its boilerplate rules works.
pub fn codebook_loader(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz/codebook.ron");
    let Ok(codebook) = store::parse_ron::<Codebook>(path, text) else {
        return;
    };
    if !codebook.validate().is_empty() {
        return;
    }
    let ron = store::to_ron(&codebook).unwrap_or_else(|e| panic!("accepted but unwritable: {e}"));
    let back: Codebook = store::parse_ron(path, &ron)
        .unwrap_or_else(|e| panic!("written but unreadable: {e}\n{ron}"));
    assert_eq!(back, codebook, "the round trip changed the codebook");
    let sample = "Headline\n\nThe envoy said: “peace now.” Others disagreed.\nCredit: AP\n";
    let seg = segment::segment(sample, &codebook.boilerplate);
    if let Err(e) = segment::split_check(sample, &seg) {
        panic!("segmentation with this codebook's rules is broken: {e}");
    }
}

/// Segmenter: for any UTF-8 text, `segment::segment` must give a segmentation that
/// `segment::split_check` accepts, with no boilerplate rules and with the line rules
/// (repeated and doubled lines) on.
///
/// The codebook's regex rules are left to [`check_segmentation`]: `segment` compiles them on
/// every call, which under the fuzzer's instrumentation cut the run rate to 7 inputs a second.
pub fn segmenter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let line_rules = Boilerplate {
        skip_repeated_lines: true,
        skip_doubled_lines: true,
        ..Boilerplate::default()
    };
    for rules in [&Boilerplate::default(), &line_rules] {
        check(text, rules);
    }
}

/// `split_check` holds for `text` under no boilerplate rules and under the default codebook's.
pub fn check_segmentation(text: &str) {
    for rules in [&Boilerplate::default(), &default_codebook().boilerplate] {
        check(text, rules);
    }
}

fn check(text: &str, rules: &Boilerplate) {
    let seg = segment::segment(text, rules);
    if let Err(e) = segment::split_check(text, &seg) {
        panic!("split_check failed: {e}\ntext: {text:?}");
    }
}

/// Ratings table reader: `table::read_table_bytes` must not panic at any measurement level; a
/// table it accepts is consistent (one matrix row per unit, one column per coder, every
/// rating a known category, no more ratings than rating lines), and an error's line number
/// lies within the input.
pub fn ratings_table(data: &[u8]) {
    // Line breaks as the csv crate and editors count them: `\n`, `\r\n` and a lone `\r`.
    let breaks = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    let lines = breaks as u64 + 1;
    for level in [
        Level::Nominal,
        Level::Ordinal,
        Level::Interval,
        Level::Ratio,
    ] {
        let mut progress = |done: u64, total: u64| assert!(done <= total, "{done} > {total}");
        match table::read_table_bytes(data, level, &mut progress) {
            Ok(t) => {
                let m = &t.matrix;
                assert_eq!(m.units(), t.units.len());
                assert_eq!(m.coders(), t.coders.len());
                assert!(m.ratings() as u64 <= t.lines);
                for u in 0..m.units() {
                    for c in 0..m.coders() {
                        if let Some(k) = m.get(u, c) {
                            assert!(k < m.categories().len(), "category {k} out of range");
                        }
                    }
                }
            }
            Err(e) => {
                if let Some(line) = e.line() {
                    assert!((1..=lines).contains(&line), "line {line} of {lines}: {e}");
                }
            }
        }
    }
}
