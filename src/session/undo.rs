//! Undo and redo as reversible changes.
//!
//! Every edit is recorded as the claim before and after it (or the status before and after),
//! not as a snapshot of the whole file, so undo history stays small on files with thousands
//! of claims, and undoing one claim's edit never touches another claim.

use crate::core::annotation::{Claim, Status};

/// One reversible change to an annotation file.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A claim appeared (`before` is `None`), disappeared (`after` is `None`) or changed.
    Claim {
        /// The claim before the change.
        before: Option<Box<Claim>>,
        /// The claim after the change.
        after: Option<Box<Claim>>,
    },
    /// The file's status changed.
    Status {
        /// Before.
        before: Status,
        /// After.
        after: Status,
    },
}

impl Change {
    /// The change that undoes this one.
    #[must_use]
    pub fn inverse(&self) -> Self {
        match self {
            Self::Claim { before, after } => Self::Claim {
                before: after.clone(),
                after: before.clone(),
            },
            Self::Status { before, after } => Self::Status {
                before: *after,
                after: *before,
            },
        }
    }
}

/// A group of changes made by one command, undone together.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// What the command was, for the Edit menu ("Undo set stance").
    pub label: String,
    /// The changes, in the order they were applied.
    pub changes: Vec<Change>,
}

/// Undo and redo stacks with a bounded depth.
#[derive(Clone, Debug, Default)]
pub struct UndoStack {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// How many steps are kept; older ones are dropped.
pub const MAX_UNDO: usize = 500;

impl UndoStack {
    /// Records a new step; clears redo, since history has branched.
    pub fn push(&mut self, step: Step) {
        if step.changes.is_empty() {
            return;
        }
        self.redo.clear();
        self.undo.push(step);
        if self.undo.len() > MAX_UNDO {
            self.undo.remove(0);
        }
    }

    /// Takes the step to undo; the caller applies its inverse and hands it to [`Self::undone`].
    pub fn pop_undo(&mut self) -> Option<Step> {
        self.undo.pop()
    }

    /// Records that `step` was undone, so it can be redone.
    pub fn undone(&mut self, step: Step) {
        self.redo.push(step);
    }

    /// Takes the step to redo; the caller applies it and hands it to [`Self::redone`].
    pub fn pop_redo(&mut self) -> Option<Step> {
        self.redo.pop()
    }

    /// Records that `step` was redone.
    pub fn redone(&mut self, step: Step) {
        self.undo.push(step);
    }

    /// The label of the step Undo would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// The label of the step Redo would redo.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Forgets everything (another file was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
