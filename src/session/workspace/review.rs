//! The editor's side of the workspace: verdicts on the side-by-side view, gold, and answers to
//! coders' questions; and the coder's questions. Each file is written as soon as it changes,
//! like the coding file's autosave, so a review never waits for Ctrl+S.

use crate::core::compare::adjudicate::Strategy;
use crate::session::adjudication::GoldSession;
use crate::session::command::{GoldCommand, QuestionCommand, ReviewCommand};
use crate::session::feedback;
use crate::session::review::ReviewSession;
use crate::session::workspace::{ArticleQuestions, Workspace};

/// The majority threshold when none is typed: more than half would need 0.51 for two coders,
/// and the core never counts a tie as a majority, so 0.5 means "a strict majority".
pub const DEFAULT_THRESHOLD: &str = "0.5";

impl Workspace {
    /// Opens the review of the coding article (the coder's file is on disk: the command
    /// waited for it), forgetting what review mode loaded before.
    pub(super) fn open_review(&mut self) -> bool {
        let Some(s) = &mut self.coding else {
            return false;
        };
        s.flush();
        match ReviewSession::open(s.project(), &s.article().id, s.annotator()) {
            Ok(mut r) => {
                self.apply_blind(&mut r);
                let other_article = self
                    .gold
                    .as_ref()
                    .is_some_and(|(a, _)| *a != r.alignment.article);
                if other_article {
                    self.gold = None;
                }
                self.review = Some(r);
                self.comments.clear();
                self.forget_project_tabs();
                self.load_questions();
                true
            }
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    /// Reads the questions coders asked on the reviewed article.
    pub(super) fn load_questions(&mut self) {
        if let Some(s) = &self.coding {
            let (mut threads, errors) =
                feedback::questions_of_article(&s.project().root, &s.article().id);
            // Blind coding: another coder's question quotes their claim.
            if let Some(v) = self.plan() {
                threads.retain(|q| !v.hides(&q.coder));
            }
            self.questions = Some(ArticleQuestions { threads, errors });
        }
    }

    pub(super) fn handle_review(&mut self, c: ReviewCommand) {
        match c {
            ReviewCommand::SetVerdict {
                annotator,
                claim,
                verdict,
            } => {
                let comment = self.comment(&annotator, &claim);
                self.give_verdict(&annotator, &claim, verdict, &comment);
            }
            ReviewCommand::EditComment {
                annotator,
                claim,
                text,
            } => {
                self.comments.insert((annotator, claim), text);
            }
            ReviewCommand::CommitComment { annotator, claim } => {
                let current = self
                    .review
                    .as_ref()
                    .and_then(|r| r.review.review_of(&annotator, &claim))
                    .map(|v| v.verdict);
                if let Some(v) = current {
                    let comment = self.comment(&annotator, &claim);
                    self.give_verdict(&annotator, &claim, Some(v), &comment);
                }
            }
        }
    }

    fn give_verdict(
        &mut self,
        annotator: &str,
        claim: &str,
        verdict: Option<crate::core::compare::review::Verdict>,
        comment: &str,
    ) {
        let Some(r) = &mut self.review else { return };
        r.set_verdict(annotator, claim, verdict, comment);
        // Verdicts save as they are given.
        r.save();
        self.feedback_stale = true;
    }

    pub(super) fn handle_gold(&mut self, c: GoldCommand) {
        // Every other command acts on the walk under way, if there is one.
        let walk = self.gold.as_mut().map(|(_, w)| w);
        match c {
            GoldCommand::Build {
                majority,
                threshold,
            } => self.build_gold(majority, &threshold),
            GoldCommand::EditTyped(text) => self.gold_typed = text,
            GoldCommand::UseTyped { then_next } => {
                if let Some(w) = walk
                    && w.type_own(&self.gold_typed)
                {
                    self.gold_typed.clear();
                    if then_next {
                        w.next_dispute();
                    }
                }
            }
            GoldCommand::Pick(n) => {
                walk.map(|w| w.pick(n));
            }
            GoldCommand::Next => {
                walk.map(GoldSession::next_dispute);
            }
            GoldCommand::Previous => {
                walk.map(GoldSession::previous_dispute);
            }
            GoldCommand::NextOpen => {
                walk.map(GoldSession::next_open);
            }
            GoldCommand::Undecide => {
                walk.map(GoldSession::undecide);
            }
            GoldCommand::Save => {
                // The walk's message says what happened.
                walk.map(GoldSession::save);
            }
        }
    }

    fn build_gold(&mut self, majority: bool, threshold: &str) {
        let strategy = if majority {
            let typed = match threshold.trim() {
                "" => DEFAULT_THRESHOLD,
                t => t,
            };
            if let Ok(threshold) = typed.parse::<f64>() {
                Strategy::Majority { threshold }
            } else {
                self.gold_error = Some(format!(
                    "the threshold must be a number such as 0.5, not `{threshold}`"
                ));
                return;
            }
        } else {
            Strategy::Unanimous
        };
        if let Some(why) = self.blind_reason() {
            // Gold is made from every coder's files, which blind coding hides.
            self.gold_error = Some(why);
            return;
        }
        let (Some(s), Some(review)) = (&self.coding, &self.review) else {
            return;
        };
        let article = review.alignment.article.clone();
        match GoldSession::build(
            s.project(),
            &article,
            &review.alignment.files,
            strategy,
            s.annotator(),
        ) {
            Ok(mut w) => {
                // Arriving from a merge conflict or a finding: start on that claim's dispute.
                if let Some((annotator, claim)) = &self.focus.claim {
                    w.go_to_claim(annotator, claim);
                }
                self.gold = Some((article, w));
                self.gold_error = None;
            }
            Err(e) => self.gold_error = Some(e),
        }
    }

    pub(super) fn handle_questions(&mut self, c: QuestionCommand) {
        match c {
            QuestionCommand::EditQuestion(text) => {
                if let Some(f) = &mut self.feedback {
                    f.draft = text;
                }
            }
            QuestionCommand::Ask { claim } => {
                let (Some(s), Some(f)) = (&self.coding, &mut self.feedback) else {
                    return;
                };
                let article = s.article().reference();
                match f.loaded.ask(&s.project().root, &article, &claim, &f.draft) {
                    Ok(()) => {
                        f.draft.clear();
                        f.message = Some("Question saved for the editors.".to_owned());
                    }
                    Err(e) => f.message = Some(e),
                }
            }
            QuestionCommand::EditAnswer { coder, index, text } => {
                self.answers.insert((coder, index), text);
            }
            QuestionCommand::Answer { coder, index } => {
                let Some(s) = &self.coding else { return };
                let key = (coder, index);
                let text = self.answers.get(&key).cloned().unwrap_or_default();
                match feedback::answer(
                    &s.project().root,
                    &s.article().id,
                    &key.0,
                    key.1,
                    s.annotator(),
                    &text,
                ) {
                    Ok(()) => {
                        self.answers.remove(&key);
                        self.load_questions();
                        self.feedback_stale = true;
                    }
                    Err(e) => self.project_tabs_message = Some(e),
                }
            }
        }
    }
}
