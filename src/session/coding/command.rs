//! The coding commands: everything a coder can do in a session. The window (keys, clicks) and
//! the tests send the same commands, so a headless test of the session exercises exactly what
//! the window does.

use crate::core::model::annotation::{SpeakerRef, Status};
use crate::session::coding::index::ClaimFilter;

/// Everything a coder can do in a session.
#[derive(Clone, Debug, PartialEq)]
pub enum CodeCommand {
    /// Open article `i` of the project (saving the current one first).
    OpenArticle(usize),
    /// Move the cursor by this many codable sentences (negative = up).
    MoveCursor(i32),
    /// Put the cursor on a sentence (and select the claim there, if any).
    SetCursor(u32),
    /// Select a claim by id (and move the cursor to it), or clear the selection.
    SelectClaim(Option<String>),
    /// Select the next (+1) or previous (-1) claim in the list.
    StepClaim(i32),
    /// Make a claim of the cursor's sentence (or select the claim already there).
    MakeClaim,
    /// Make a claim of a byte range of the article (a span inside or across sentences).
    MakeClaimFromSpan {
        /// Start byte.
        start: usize,
        /// End byte (exclusive).
        end: usize,
    },
    /// Extend the selected claim by one sentence downward (+1) or upward (-1).
    ExtendClaim(i32),
    /// Make target `i` the one stance keys apply to.
    SetActiveTarget(usize),
    /// Set the stance on a target of the selected claim; setting the same one again clears it.
    ToggleStance {
        /// Target id.
        target: String,
        /// Stance id.
        stance: String,
    },
    /// Remove the selected claim's stance on a target.
    ClearStance(String),
    /// Set (or clear) the selected claim's source type.
    SetSource(Option<String>),
    /// Set (or clear) the selected claim's speaker.
    SetSpeaker(Option<SpeakerRef>),
    /// Replace the selected claim's note.
    SetNote(String),
    /// Flip the selected claim's "unsure" flag.
    ToggleUnsure,
    /// Delete the selected claim.
    DeleteClaim,
    /// Mark the article done or in progress.
    SetStatus(Status),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Save now.
    Save,
    /// Save even though the file changed on disk (keep mine).
    Overwrite,
    /// The window lost focus: coding time stops until the coder's next action.
    FocusLost,
    /// Drop unsaved edits and load the file from disk (take theirs).
    Reload,
    /// Set the find query.
    SetFindQuery(String),
    /// Jump to the next (+1) or previous (-1) match.
    FindStep(i32),
    /// Replace the claim filter.
    SetFilter(ClaimFilter),
    /// Continue as another annotator (saving the current file first).
    SwitchAnnotator(String),
    /// Accept the suggestion at the cursor as a claim (selected, for correction); with none
    /// there, move to the next suggestion.
    AcceptSuggestion,
    /// Dismiss the suggestion at the cursor and move to the next one.
    DismissSuggestion,
    /// Show or hide suggestions.
    SetSuggestions(bool),
    /// Replay the journal of a crashed session onto the file (unsaved until the next save).
    RestoreJournal,
    /// Delete the journal of a crashed session, keeping the file as on disk.
    DiscardJournal,
    /// Take over the file from a window that held its lock and is gone.
    TakeOverLock,
    /// Take over the file from a window on another computer, which may still be open there:
    /// sent only after the coder confirmed a warning that nobody codes this file there now.
    TakeOverRemoteLock,
    /// Look now whether the file changed on disk (the window regained focus).
    CheckDisk,
    /// Merge the file on disk into the unsaved edits, by claim.
    MergeFromDisk,
    /// Attach an orphaned claim (by id) to the cursor's sentence.
    AttachClaim(String),
    /// Save the positions re-anchoring found on open now (else the first edit saves them).
    AcceptPositions,
}
