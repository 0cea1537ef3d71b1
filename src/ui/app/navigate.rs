//! Moving between modes and places: switching mode, the agreement view's jumps, review mode's
//! actions, validation and overview jumps, and files opened (or dropped) for review.

use std::path::PathBuf;

use egui::Ui;

use super::{Mode, StanceApp};
use crate::session::Command;
use crate::ui::agreement_view;

impl StanceApp {
    /// Switches views; entering the agreement view saves pending edits and computes it anew,
    /// so it always reflects the files on disk.
    pub fn set_mode(&mut self, mode: Mode, out: &mut Vec<Command>) {
        if let Some(r) = &mut self.view.review {
            r.save();
        }
        if mode == Mode::Review
            && let Some(s) = &mut self.session
        {
            s.flush();
            match crate::session::review::ReviewSession::open(
                s.project(),
                &s.article().id,
                s.annotator(),
            ) {
                Ok(r) => self.view.review = Some(r),
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            }
            self.view.review_comments.clear();
            self.view.desk.invalidate();
        }
        // Verdicts and answers given in review mode show in the coding view at once.
        self.view.feedback.invalidate();
        if mode == Mode::Agreement {
            if let Some(s) = &mut self.session {
                s.flush();
                self.view.agreement = Some(agreement_view::AgreementState::compute(s.project()));
            }
        } else {
            out.push(Command::Save);
        }
        self.view.mode = mode;
    }

    pub(super) fn agreement(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let Some(state) = &mut self.view.agreement else {
            return;
        };
        match agreement_view::show(ui, state) {
            Some(agreement_view::Action::Refresh) => self.set_mode(Mode::Agreement, out),
            Some(agreement_view::Action::OpenSentence(article, sentence)) => {
                // A disagreement opens in review mode: every coder's claims on that sentence
                // side by side, ready for a verdict or for gold.
                if let Some(s) = &mut self.session
                    && let Some(i) = s.project().articles.iter().position(|a| a.id == article)
                {
                    s.handle(Command::OpenArticle(i));
                    s.handle(Command::SetCursor(sentence));
                    self.view.desk.tab = crate::ui::review::Tab::SideBySide;
                    self.view.desk.focus_sentence = Some((sentence, true));
                    self.set_mode(Mode::Review, out);
                }
            }
            None => {}
        }
    }

    /// Carries out what review mode asked for this frame.
    pub(super) fn review_action(
        &mut self,
        action: Option<crate::ui::review::Action>,
        out: &mut Vec<Command>,
    ) {
        match action {
            Some(crate::ui::review::Action::OpenSentence(i)) => {
                out.push(Command::SetCursor(i));
                self.view.mode = Mode::Coding;
            }
            Some(crate::ui::review::Action::Desk(crate::ui::review::DeskAction::Jump(j))) => {
                self.send(std::mem::take(out));
                self.jump(&j);
            }
            None => {}
        }
    }

    /// Opens what a validation finding, a merge conflict or an overview row points at: the
    /// coder's own file (or the article text) in the coding view with the claim selected,
    /// anyone else's file (or gold) in review mode on that article.
    fn jump(&mut self, j: &crate::session::corpus::Jump) {
        let Some(s) = &mut self.session else { return };
        let Some(i) = s.project().articles.iter().position(|a| a.id == j.article) else {
            self.error = Some(format!("no article `{}` in this project", j.article));
            return;
        };
        s.handle(Command::OpenArticle(i));
        if j.opens_coding(s.annotator()) {
            if let Some(c) = &j.claim {
                s.handle(Command::SelectClaim(Some(c.clone())));
            }
            self.view.desk.focus_claim = None;
            self.set_mode(Mode::Coding, &mut Vec::new());
        } else {
            self.view.desk.focus_sentence = None;
            self.view.desk.focus_claim = j
                .claim
                .clone()
                .map(|c| (j.annotator.clone().unwrap_or_default(), c));
            self.view.desk.tab = if j.claim.is_some() {
                crate::ui::review::Tab::Gold
            } else {
                crate::ui::review::Tab::SideBySide
            };
            let mut out = Vec::new();
            self.set_mode(Mode::Review, &mut out);
            self.send(out);
        }
    }

    /// Files or folders dropped onto the window open for review (see [`Self::open_for_review`]).
    pub(super) fn open_dropped(&mut self, ctx: &egui::Context) {
        let paths: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if !paths.is_empty() {
            self.open_for_review(&paths);
        }
    }

    /// Opens files or folders for review (dropped, or from File › Open for review): those
    /// that cannot be opened are listed with their errors, and the first that can is opened.
    pub(super) fn open_for_review(&mut self, paths: &[PathBuf]) {
        let mut opened = false;
        self.view.desk.dropped_errors.clear();
        for d in crate::session::corpus::resolve_dropped(paths) {
            match d {
                crate::session::corpus::Dropped::Failed { path, error } => {
                    self.view.desk.dropped_errors.push((path, error));
                }
                crate::session::corpus::Dropped::Open { root, article } if !opened => {
                    opened = true;
                    if self
                        .session
                        .as_ref()
                        .is_none_or(|s| s.project().root != root)
                    {
                        self.open_project(root);
                    }
                    let index = article.and_then(|a| {
                        let s = self.session.as_ref()?;
                        s.project().articles.iter().position(|x| x.id == a)
                    });
                    // An article's file opens side by side; a whole project on its overview.
                    self.view.desk.tab = match index {
                        Some(i) => {
                            self.send(vec![Command::OpenArticle(i)]);
                            crate::ui::review::Tab::SideBySide
                        }
                        None => crate::ui::review::Tab::Corpus,
                    };
                    self.view.desk.focus_claim = None;
                    let mut out = Vec::new();
                    self.set_mode(Mode::Review, &mut out);
                    self.send(out);
                }
                crate::session::corpus::Dropped::Open { .. } => {}
            }
        }
        if !opened {
            // Nothing opened: show the errors where the editor is.
            self.view.desk.tab = crate::ui::review::Tab::SideBySide;
            self.set_mode(Mode::Review, &mut Vec::new());
        }
    }
}
