//! Running a coding project as a team: the plan (`project.ron`), assignments with a
//! reliability sample, a coder's queue, reliability as it comes in, training against gold,
//! and setting up and syncing the project through git.
//!
//! Everything here is below the window: pure functions over the project and the plan, plus
//! [`init`] and [`sync`], which write files and run the `git` command. The CLI (`stance init`,
//! `assign`, `queue`, `status`, `sync`, `agree --training`, `agree --report`) and the window
//! (through its workspace, as background jobs) call the same functions. `docs/team.md` explains the choices.

pub mod assign;
pub mod git;
pub mod init;
pub mod methods;
pub mod plan;
pub mod queue;
pub mod reliability;
pub mod sample_size;
pub mod sync;
pub mod training;

pub use plan::{PLAN_FILE, Plan};
