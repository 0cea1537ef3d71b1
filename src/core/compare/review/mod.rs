//! Review of coders' work on one article: claims aligned across annotators with their
//! differences, the editors' review files (verdicts and question threads), and what a
//! `stance review PATH` argument points at.
//!
//! Nothing here writes to a coder's file: alignment only reads them, and a review lives in a
//! file of its own, `annotations/<article>/review.<editor>.ron`, next to the files it judges.
//! One file per editor (not one shared file) so that two editors reviewing on two git branches
//! never edit the same file, and the file name says whose judgement it is.
//!
//! One job per module: [`align`] (claims side by side), [`file`] (the review file) and
//! [`target`] (what `stance review PATH` opens).

pub mod align;
pub mod file;
pub mod target;

pub use align::*;
pub use file::*;
pub use target::*;

pub use crate::core::model::annotation::{sentence_label, speaker_text};
/// The name of the adjudicated file's annotator; left out of alignments unless asked for.
pub use crate::core::project::layout::GOLD;
