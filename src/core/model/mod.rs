//! What is coded: the annotation file and its claims, the coding time spent on them, the
//! codebook, the names people and articles may have, and the speaker registry.

pub mod annotation;
pub mod codebook;
pub mod coding_time;
pub mod names;
pub mod speakers;
