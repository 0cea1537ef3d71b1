//! Undo and redo as reversible changes.
//!
//! Every edit is recorded as the claim before and after it (or the status before and after),
//! not as a snapshot of the whole file, so undo history stays small on files with thousands
//! of claims, and undoing one claim's edit never touches another claim.

use crate::core::model::annotation::{AnnotationFile, Claim, Status};

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

impl Step {
    /// The changes that turn `before` into `after`, claim by claim (matched by id): how a
    /// merge with the file on disk, or a restored journal, becomes one undoable step.
    pub fn between(label: &str, before: &AnnotationFile, after: &AnnotationFile) -> Self {
        let mut changes: Vec<Change> = after
            .claims
            .iter()
            .filter_map(|a| {
                let b = before.claim(&a.id);
                (b != Some(a)).then(|| Change::Claim {
                    before: b.map(|b| Box::new(b.clone())),
                    after: Some(Box::new(a.clone())),
                })
            })
            .collect();
        changes.extend(
            before
                .claims
                .iter()
                .filter(|b| after.claim(&b.id).is_none())
                .map(|b| Change::Claim {
                    before: Some(Box::new(b.clone())),
                    after: None,
                }),
        );
        if before.status != after.status {
            changes.push(Change::Status {
                before: before.status,
                after: after.status,
            });
        }
        Self {
            label: label.to_owned(),
            changes,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::annotation::Status;
    use crate::core::testkit::{claim, file};

    #[test]
    fn a_step_between_two_files_lists_each_changed_claim_once() {
        let before = file(
            "ana",
            vec![
                claim("kept", 1, "author", "favor"),
                claim("changed", 2, "author", "favor"),
                claim("gone", 0, "author", "favor"),
            ],
        );
        let mut after = file(
            "ana",
            vec![
                claim("kept", 1, "author", "favor"),
                claim("changed", 2, "author", "against"),
                claim("new", 3, "author", "favor"),
            ],
        );
        after.status = Status::Done;
        let step = Step::between("merge", &before, &after);
        let ids: Vec<(Option<&str>, Option<&str>)> = step
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::Claim { before, after } => Some((
                    before.as_deref().map(|c| c.id.as_str()),
                    after.as_deref().map(|c| c.id.as_str()),
                )),
                Change::Status { .. } => None,
            })
            .collect();
        assert_eq!(
            ids,
            [
                (Some("changed"), Some("changed")),
                (None, Some("new")),
                (Some("gone"), None)
            ]
        );
        assert_eq!(
            step.changes.last(),
            Some(&Change::Status {
                before: before.status,
                after: Status::Done
            })
        );
        assert!(Step::between("none", &before, &before).changes.is_empty());
    }
}
