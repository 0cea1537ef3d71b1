//! Review mode: the tab row, then the tab — side by side with verdicts, gold, coders'
//! questions, the validation panel (with merge conflicts), the corpus overview — and the files
//! dropped onto the window that did not open. Thin: every decision is the workspace's; this
//! draws it and turns clicks and keys into commands.

pub mod gold;
pub mod project_tabs;

use crate::session::{NavigateCommand, Place, ReviewTab, Workspace};
use crate::ui::Queue;
use crate::ui::app::ReviewView;

/// Every tab with its label and tooltip.
pub const TABS: [(ReviewTab, &str, &str); 5] = [
    (
        ReviewTab::SideBySide,
        "Side by side",
        "Every annotator's claims: accept, reject, comment",
    ),
    (
        ReviewTab::Gold,
        "Gold",
        "Merge the coders' files into gold.ron and settle what they disagree on",
    ),
    (
        ReviewTab::Questions,
        "Questions",
        "Coders' questions on their claims",
    ),
    (
        ReviewTab::Validation,
        "Validation",
        "What stance check finds, and merge conflicts",
    ),
    (
        ReviewTab::Corpus,
        "Corpus",
        "Every article and annotator: claims, status, last edit",
    ),
];

/// Draws review mode. Gold keys are read here, on the Gold tab only, unless a dialog is open
/// over the window (`keys_blocked`).
pub fn show(
    ui: &mut egui::Ui,
    ws: &Workspace,
    view: &mut ReviewView,
    keys_blocked: bool,
    queue: &mut Queue,
) {
    let Place::Review(tab) = ws.place() else {
        return;
    };
    let (Some(session), Some(review)) = (ws.coding(), ws.review()) else {
        return;
    };
    // Before any widget is drawn: Enter must move the walk on, not press a focused button.
    if tab == ReviewTab::Gold && !keys_blocked {
        gold::handle_keys(ui.ctx(), ws, view, queue);
    }
    ui.horizontal(|ui| {
        for (t, name, tip) in TABS {
            if ui
                .add(egui::Button::selectable(tab == t, name))
                .on_hover_text(tip)
                .clicked()
            {
                queue.push(NavigateCommand::Show(Place::Review(t)));
            }
        }
    });
    ui.separator();
    if let Some(why) = ws.blind_reason() {
        ui.colored_label(ui.visuals().warn_fg_color, why);
    }
    project_tabs::dropped(ui, ws, queue);
    if let Some((annotator, claim)) = &ws.focus().claim {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("Opened for claim {claim} of {annotator}"),
        );
    }
    match tab {
        ReviewTab::SideBySide => {
            open_questions_line(ui, ws, queue);
            crate::ui::review_view::show(ui, ws, session, review, view, queue);
        }
        ReviewTab::Gold => gold::show(ui, ws, session, view, queue),
        ReviewTab::Questions => project_tabs::questions(ui, ws, review, queue),
        ReviewTab::Validation => project_tabs::validation(ui, ws, queue),
        ReviewTab::Corpus => project_tabs::overview(ui, ws, session, queue),
    }
}

/// On the side-by-side view: how many coders' questions wait for an answer, and a way there.
fn open_questions_line(ui: &mut egui::Ui, ws: &Workspace, queue: &mut Queue) {
    let Some(questions) = ws.questions() else {
        return;
    };
    let open = questions
        .threads
        .iter()
        .filter(|q| !q.thread.is_answered())
        .count();
    if open > 0
        && ui
            .link(format!(
                "{open} open question{} from coders: answer them",
                if open == 1 { "" } else { "s" }
            ))
            .clicked()
    {
        queue.push(NavigateCommand::Show(Place::Review(ReviewTab::Questions)));
    }
}
