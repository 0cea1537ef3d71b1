//! Dialogs, one at a time: [`Modal`] says which is open. The conflict and restore prompts
//! are the coding session's own state (a file changed on disk, a crashed session's journal)
//! and are shown whenever it has them.

use super::{Modal, StanceApp};
use crate::session::{CodeCommand, GoldCommand, NavigateCommand, ProjectCommand};
use crate::ui::dialogs::{self, Answer};
use crate::ui::recovery;
use crate::ui::review::gold::QuitChoice;

impl StanceApp {
    pub(super) fn dialogs(&mut self, ctx: &egui::Context) {
        if self.workspace.needs_annotator() && matches!(self.view.modal, Modal::None) {
            self.view.modal = Modal::Name {
                typed: String::new(),
                error: None,
            };
        }
        let mut close = false;
        match &mut self.view.modal {
            Modal::None => {}
            Modal::Name { typed, error } => {
                if let Answer::Done(n) = dialogs::annotator_prompt(ctx, typed, error.as_deref()) {
                    match crate::core::model::names::validate_person(&n) {
                        Ok(_) => {
                            close = true;
                            self.settings.annotator = Some(n.clone());
                            self.queue.push(ProjectCommand::SetAnnotator(n));
                        }
                        Err(e) => *error = Some(e.to_string()),
                    }
                }
            }
            Modal::Speaker(f) => match self.workspace.coding() {
                Some(s) => match dialogs::speaker_finder(ctx, s, f) {
                    Answer::Open => {}
                    Answer::Cancelled => close = true,
                    Answer::Done(sp) => {
                        self.queue.push(CodeCommand::SetSpeaker(Some(sp)));
                        close = true;
                    }
                },
                None => close = true,
            },
            Modal::Help => close = !dialogs::help(ctx, self.workspace.coding()),
            Modal::OpenProject(p) => {
                match dialogs::path_prompt(
                    ctx,
                    "Open project",
                    "Project folder",
                    p,
                    dialogs::Pick::Folder,
                ) {
                    Answer::Open => {}
                    Answer::Cancelled => close = true,
                    Answer::Done(path) => {
                        close = true;
                        self.queue.push(ProjectCommand::Open(path));
                    }
                }
            }
            Modal::ImportArticles(p) => {
                match dialogs::path_prompt(
                    ctx,
                    "Import articles",
                    "Article file (.txt, .html, .docx, news export) or a folder of them",
                    p,
                    dialogs::Pick::File("Articles", &["txt", "html", "htm", "docx"]),
                ) {
                    Answer::Open => {}
                    Answer::Cancelled => close = true,
                    Answer::Done(path) => {
                        close = true;
                        self.queue.push(ProjectCommand::ImportArticles(path));
                    }
                }
            }
            Modal::OpenForReview(p) => {
                match dialogs::path_prompt(
                    ctx,
                    "Open for review",
                    "Annotation file (.ron), article folder or project folder",
                    p,
                    dialogs::Pick::File("Annotation", &["ron"]),
                ) {
                    Answer::Open => {}
                    Answer::Cancelled => close = true,
                    Answer::Done(path) => {
                        close = true;
                        self.queue.push(NavigateCommand::OpenForReview(vec![path]));
                    }
                }
            }
            Modal::GoldQuit => close = self.gold_quit_prompt(ctx),
        }
        if close {
            self.view.modal = Modal::None;
        }
        if let Some(s) = self.workspace.coding() {
            if s.has_conflict() {
                dialogs::conflict(ctx, s, &mut self.queue);
            }
            if let Some(offer) = s.restore_offer() {
                recovery::restore_prompt(ctx, s, offer, &mut self.queue);
            }
        }
    }

    /// Asks what to do with unsaved gold decisions when the window is closing; whether the
    /// question is answered.
    fn gold_quit_prompt(&mut self, ctx: &egui::Context) -> bool {
        let Some((article, walk)) = self.workspace.unsaved_gold() else {
            return true;
        };
        match crate::ui::review::gold::quit_prompt(ctx, article, walk) {
            Some(QuitChoice::SaveAndQuit) => {
                // The window closes once gold is saved (a failure is said on the Gold tab).
                self.queue.push(GoldCommand::Save);
                self.view.quitting = super::Quitting::OnceGoldIsSaved;
                true
            }
            Some(QuitChoice::QuitWithoutSaving) => {
                self.view.quitting = super::Quitting::WithoutGold;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                true
            }
            Some(QuitChoice::Stay) => true,
            None => false,
        }
    }
}
