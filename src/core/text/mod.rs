//! The text being coded: articles, their paragraphs and sentences with byte ranges, anchors
//! (how a claim holds on to its sentences and bytes) and the clipping of spans to them.

pub mod anchor;
pub mod clip;
pub mod corpus;
pub mod segment;
