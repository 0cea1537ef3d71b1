//! The domain core: no egui, no terminal. The window, the CLI and the tests all drive it.

pub mod adjudicate;
pub mod agreement;
pub mod anchor;
pub mod annotation;
pub mod check;
pub mod clip;
pub mod codebook;
pub mod coding_time;
pub mod corpus;
pub mod diff;
pub mod export;
pub mod generate;
pub mod import;
pub mod interchange;
pub mod journal;
pub mod lock;
pub mod merge;
pub mod migrate;
pub mod names;
pub mod project;
pub mod review;
pub mod segment;
pub mod speakers;
pub mod store;
pub mod suggest;
pub mod team;
#[cfg(test)]
pub(crate) mod testkit;
