//! Files on disk, one at a time: RON read with positions and saved atomically, the edit
//! journal, the writer lock, the claim-level three-way merge, and the
//! finding (`path:line:col: message`) every check reports in.

pub mod finding;
pub mod journal;
pub mod lock;
pub mod merge;
pub mod store;
