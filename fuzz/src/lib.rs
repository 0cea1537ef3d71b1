//! The properties the fuzz targets check, one function per target.
//!
//! Each takes arbitrary bytes and panics only when stance misbehaves: a reader may refuse
//! input, but it must not panic, and what it accepts must survive a round trip. The same
//! file is compiled into `tests/proptests.rs` (with `#[path]`), so the properties also run on
//! stable Rust over the corpus and over random input, without libFuzzer.

use std::path::Path;
use std::sync::OnceLock;

use stance::core::codebook::{Boilerplate, Codebook};
use stance::core::segment;
use stance::core::store;

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

/// Segmenter: for any UTF-8 text, `segment::segment` (with no rules and with the default
/// codebook's rules) must give a segmentation that `segment::split_check` accepts.
pub fn segmenter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check_segmentation(text);
}

/// `split_check` holds for `text` under no boilerplate rules and under the default ones.
pub fn check_segmentation(text: &str) {
    for rules in [
        Boilerplate::default(),
        Codebook::default_codebook().boilerplate,
    ] {
        let seg = segment::segment(text, &rules);
        if let Err(e) = segment::split_check(text, &seg) {
            panic!("split_check failed: {e}\ntext: {text:?}");
        }
    }
}
