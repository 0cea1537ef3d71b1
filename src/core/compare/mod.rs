//! Coders' work side by side: claims aligned across annotators and the editors' reviews, the
//! claim-level diff, and adjudication into gold.

pub mod adjudicate;
pub mod diff;
pub mod review;
