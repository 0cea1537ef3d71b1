//! Review mode's desk around the side-by-side view: building gold, questions from coders,
//! the validation panel (with merge conflicts), the corpus overview, and files dropped onto
//! the window. Thin: every decision is made in `session::adjudication`, `session::feedback`
//! and `session::corpus`; this draws them and turns clicks and keys into calls.

pub mod desk;
pub mod gold;

use std::path::PathBuf;

use crate::core::check::Finding;
use crate::session::adjudication::GoldWalk;
use crate::session::corpus::{ConflictRow, Jump, OverviewRow};
use crate::session::feedback::OpenQuestion;

/// The tabs of review mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// Every annotator's claims side by side, with verdicts.
    #[default]
    SideBySide,
    /// Build and adjudicate gold.
    Gold,
    /// Coders' questions, to answer.
    Questions,
    /// `stance check` findings and merge conflicts.
    Validation,
    /// Claims, status and last edit per article and annotator.
    Corpus,
}

impl Tab {
    /// Every tab with its label and tooltip.
    pub const ALL: [(Self, &'static str, &'static str); 5] = [
        (
            Self::SideBySide,
            "Side by side",
            "Every annotator's claims: accept, reject, comment",
        ),
        (
            Self::Gold,
            "Gold",
            "Merge the coders' files into gold.ron and settle what they disagree on",
        ),
        (
            Self::Questions,
            "Questions",
            "Coders' questions on their claims",
        ),
        (
            Self::Validation,
            "Validation",
            "What stance check finds, and merge conflicts",
        ),
        (
            Self::Corpus,
            "Corpus",
            "Every article and annotator: claims, status, last edit",
        ),
    ];
}

/// What the editor asked for that the window must do (open another article or mode).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeskAction {
    /// Open an article (and claim) in the mode the jump calls for.
    Jump(Jump),
}

/// Review mode's state besides the side-by-side review session.
#[derive(Default)]
pub struct Desk {
    /// The tab shown.
    pub tab: Tab,
    /// Majority (else unanimous) for the next "Build gold".
    pub majority: bool,
    /// The majority threshold as typed.
    pub threshold: String,
    /// The adjudication under way, with the article it is of.
    pub walk: Option<(String, GoldWalk)>,
    /// The editor's own value as typed.
    pub typed: String,
    /// Focus the typed-value field next frame.
    pub focus_typed: bool,
    /// Why "Build gold" failed.
    pub build_error: Option<String>,
    /// Questions on the article, loaded when the tab opens.
    pub questions: Option<(Vec<OpenQuestion>, Vec<String>)>,
    /// Answers being typed, by `(coder, thread index)`.
    pub answers: std::collections::HashMap<(String, usize), String>,
    /// The check findings, loaded when the tab opens.
    pub findings: Option<Vec<(Finding, Option<Jump>)>>,
    /// The overview rows (also the source of merge conflicts).
    pub overview: Option<Vec<OverviewRow>>,
    /// Merge conflicts, from the overview rows.
    pub conflicts: Vec<ConflictRow>,
    /// Dropped paths that could not be opened, with why.
    pub dropped_errors: Vec<(PathBuf, String)>,
    /// A claim to point at after a jump into review mode (a conflict or finding).
    pub focus_claim: Option<(String, String)>,
    /// A sentence to point at on the side-by-side view (a disagreement from the agreement
    /// view), and whether to scroll to it on the next frame.
    pub focus_sentence: Option<(u32, bool)>,
    /// The last thing that went wrong on this desk.
    pub message: Option<String>,
    /// A dialog is open over review mode: the Gold tab's keys must not act behind it.
    pub keys_blocked: bool,
    /// Side by side: claim groups (by first sentence) whose long quote is shown unfolded.
    pub unfolded: std::collections::HashSet<u32>,
}

impl Desk {
    /// Forgets what was loaded from disk so tabs read the files anew (after a save, a jump
    /// or a drop).
    pub fn invalidate(&mut self) {
        self.questions = None;
        self.findings = None;
        self.overview = None;
        self.conflicts.clear();
    }
}

/// What review mode asks the window to do.
pub enum Action {
    /// Open a sentence in the coding view (from the side-by-side view).
    OpenSentence(u32),
    /// From the desk tabs.
    Desk(DeskAction),
}

/// Draws review mode: the tab row, then the tab. Gold keys are read here, on the Gold tab
/// only.
pub fn show(
    ui: &mut egui::Ui,
    desk: &mut Desk,
    session: &crate::session::Session,
    review: &mut crate::session::review::ReviewSession,
    comments: &mut std::collections::HashMap<(String, String), String>,
) -> Option<Action> {
    // Before any widget is drawn: Enter must move the walk on, not press a focused button.
    if desk.tab == Tab::Gold && !desk.keys_blocked {
        gold::handle_keys(ui.ctx(), desk);
    }
    ui.horizontal(|ui| {
        for (tab, name, tip) in Tab::ALL {
            if ui
                .add(egui::Button::selectable(desk.tab == tab, name))
                .on_hover_text(tip)
                .clicked()
            {
                desk.tab = tab;
                desk.invalidate();
            }
        }
    });
    ui.separator();
    desk::dropped(ui, desk);
    if let Some((annotator, claim)) = &desk.focus_claim {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("Opened for claim {claim} of {annotator}"),
        );
    }
    if desk.tab == Tab::SideBySide {
        open_questions_line(ui, desk, session);
    }
    match desk.tab {
        Tab::SideBySide => {
            crate::ui::review_view::show(
                ui,
                session,
                review,
                comments,
                &mut desk.focus_sentence,
                &mut desk.unfolded,
            )
        }
        .map(|crate::ui::review_view::Action::OpenSentence(i)| Action::OpenSentence(i)),
        Tab::Gold => {
            gold::show(ui, desk, session, review);
            None
        }
        Tab::Questions => {
            desk::questions(ui, desk, session, review);
            None
        }
        Tab::Validation => desk::validation(ui, desk, session).map(Action::Desk),
        Tab::Corpus => desk::overview(ui, desk, session).map(Action::Desk),
    }
}

/// On the side-by-side view: how many coders' questions wait for an answer, and a way there.
fn open_questions_line(ui: &mut egui::Ui, desk: &mut Desk, session: &crate::session::Session) {
    let root = session.project().root.clone();
    let article = session.article().id.clone();
    let (threads, _) = desk
        .questions
        .get_or_insert_with(|| crate::session::feedback::questions_of_article(&root, &article));
    let open = threads.iter().filter(|q| !q.thread.is_answered()).count();
    if open > 0
        && ui
            .link(format!(
                "{open} open question{} from coders: answer them",
                if open == 1 { "" } else { "s" }
            ))
            .clicked()
    {
        desk.tab = Tab::Questions;
    }
}
