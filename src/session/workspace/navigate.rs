//! Moving between places: coding, review mode's tabs and agreement; and the jumps that land
//! somewhere (a finding, a merge conflict, an overview row, a disagreement, a dropped file).

use crate::session::coding::CodeCommand;
use crate::session::command::{
    Command, NavigateCommand, Place, PlanCommand, ProjectCommand, ReviewTab,
};
use crate::session::corpus::{self, Dropped, Jump};
use crate::session::workspace::Workspace;

impl Workspace {
    pub(super) fn handle_navigate(&mut self, c: NavigateCommand) {
        match c {
            NavigateCommand::Show(place) => self.show(place, false),
            NavigateCommand::OpenArticle(id) => {
                self.open_article(&id);
            }
            NavigateCommand::Jump(j) => self.jump(&j),
            NavigateCommand::Disagreement { article, sentence } => {
                // A disagreement opens in review mode: every coder's claims on that sentence
                // side by side, ready for a verdict or for gold.
                if self.open_article(&article)
                    && let Some(s) = &mut self.coding
                {
                    s.handle(CodeCommand::SetCursor(sentence));
                    let generation = self.focus.sentence.map_or(1, |(_, g)| g + 1);
                    self.focus.sentence = Some((sentence, generation));
                    self.show(Place::Review(ReviewTab::SideBySide), true);
                }
            }
            NavigateCommand::OpenForReview(paths) => self.open_for_review(&paths),
            NavigateCommand::DismissDropErrors => self.dropped_errors.clear(),
        }
    }

    /// Goes to `place`. Entering review mode (or `reopen`: the article changed) opens the
    /// article's review; a review tab reads its files anew; agreement is computed anew, so it
    /// always reflects the files on disk.
    fn show(&mut self, place: Place, reopen: bool) {
        if self.coding.is_none() {
            return;
        }
        if let Some(r) = &mut self.review {
            r.save();
        }
        match place {
            Place::Coding => {
                self.place = place;
                self.start_save(false);
            }
            Place::Review(tab) => {
                let entering = !matches!(self.place, Place::Review(_));
                let other_article = self
                    .review
                    .as_ref()
                    .zip(self.coding.as_ref())
                    .is_none_or(|(r, s)| r.alignment.article != s.article().id);
                if (entering || reopen || other_article) && !self.open_review() {
                    return;
                }
                if entering {
                    // Whether blind coding still hides the others: the sample may be done.
                    self.reload_plan();
                }
                self.place = place;
                self.review_tab = tab;
                self.forget_project_tabs();
                self.load_questions();
                match tab {
                    ReviewTab::Validation => {
                        self.follow(ProjectCommand::CheckProject.into());
                        self.follow(ProjectCommand::LoadOverview.into());
                    }
                    ReviewTab::Corpus => {
                        self.follow(ProjectCommand::LoadOverview.into());
                        self.follow(ProjectCommand::LoadReliability.into());
                    }
                    ReviewTab::SideBySide | ReviewTab::Gold | ReviewTab::Questions => {}
                }
            }
            Place::Agreement => {
                self.place = place;
                self.reload_plan();
                self.follow(ProjectCommand::ComputeAgreement.into());
            }
            Place::Plan => {
                self.place = place;
                self.follow(PlanCommand::Load.into());
            }
        }
        // Verdicts and answers given in review mode show in the coding view at once.
        self.feedback_stale = true;
    }

    /// Opens the article with this id; whether it is in the project.
    fn open_article(&mut self, id: &str) -> bool {
        let Some(s) = &mut self.coding else {
            return false;
        };
        if let Some(i) = s.project().articles.iter().position(|a| a.id == id) {
            s.handle(CodeCommand::OpenArticle(i));
            true
        } else {
            self.error = Some(format!("no article `{id}` in this project"));
            false
        }
    }

    /// Opens what a validation finding, a merge conflict or an overview row points at: the
    /// coder's own file (or the article text) in the coding view with the claim selected,
    /// anyone else's file (or gold) in review mode on that article.
    fn jump(&mut self, j: &Jump) {
        if !self.open_article(&j.article) {
            return;
        }
        let Some(s) = &mut self.coding else { return };
        if j.opens_coding(s.annotator()) {
            if let Some(c) = &j.claim {
                s.handle(CodeCommand::SelectClaim(Some(c.clone())));
            }
            self.focus.claim = None;
            self.show(Place::Coding, false);
        } else {
            self.focus.sentence = None;
            self.focus.claim = j
                .claim
                .clone()
                .map(|c| (j.annotator.clone().unwrap_or_default(), c));
            let tab = if j.claim.is_some() {
                ReviewTab::Gold
            } else {
                ReviewTab::SideBySide
            };
            self.show(Place::Review(tab), true);
        }
    }

    /// Opens files or folders for review (dropped, or from File › Open for review): those
    /// that cannot be opened are listed with their errors, and the first that can is opened:
    /// an article's file side by side, a whole project on its corpus overview.
    fn open_for_review(&mut self, paths: &[std::path::PathBuf]) {
        self.dropped_errors.clear();
        let mut opened = false;
        for d in corpus::resolve_dropped(paths) {
            match d {
                Dropped::Failed { path, error } => self.dropped_errors.push((path, error)),
                Dropped::Open { root, article } if !opened => {
                    opened = true;
                    let tab = if article.is_some() {
                        ReviewTab::SideBySide
                    } else {
                        ReviewTab::Corpus
                    };
                    self.focus.claim = None;
                    let other_project = self
                        .coding
                        .as_ref()
                        .is_none_or(|s| s.project().root != root);
                    // Through the queue: a project being opened makes them wait for it.
                    if other_project {
                        self.follow(Command::Project(ProjectCommand::Open(root)));
                    }
                    if let Some(a) = article {
                        self.follow(Command::Navigate(NavigateCommand::OpenArticle(a)));
                    }
                    self.follow(Command::Navigate(NavigateCommand::Show(Place::Review(tab))));
                }
                Dropped::Open { .. } => {}
            }
        }
        if !opened {
            // Nothing opened: show the errors where the editor is.
            self.show(Place::Review(ReviewTab::SideBySide), false);
        }
    }
}
