//! The window: egui only. Draws the session and turns clicks and keys into commands.
