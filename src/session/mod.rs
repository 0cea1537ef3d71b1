//! An editing session: selection, commands, undo and autosave, with no egui in it.
