//! The domain core: no egui, no terminal. The window, the CLI and the tests all drive it.
//!
//! ```text
//! model/        what is coded: annotation files and claims, codebook, names, speakers
//! storage/      one file on disk: RON load and atomic save, journal, lock, merge, findings
//! text/         articles, paragraphs, sentences with byte ranges; anchors; clipping spans
//! project/      the project folder: the one owner of its layout (layout, walk), opening it,
//!               and whole-project work: export, import, migrate, generate, sample
//! compare/      coders side by side: alignment and reviews, claim diff, adjudication to gold
//! agreement/    units from files; alpha, kappas, AC1, bootstrap, span matching, reports
//! suggest/      explainable suggestions
//! interchange/  articles and annotations in and out (HTML, DOCX, brat, WebAnno, Label Studio…)
//! team/         team projects: plan, assign, queue, reliability, training, sync over git
//! check.rs      `stance check`: every rule over a project, sidecars and team plan included
//! ```
//!
//! Each line imports only from lines above it: no two folders, and no two modules, import
//! each other (`layering.rs` checks it).

pub mod agreement;
pub mod check;
pub mod compare;
pub mod interchange;
#[cfg(test)]
mod layering;
pub mod model;
pub mod project;
pub mod storage;
pub mod suggest;
pub mod team;
#[cfg(test)]
pub(crate) mod testkit;
pub mod text;
