//! The selected claim's fields: speaker, stance per target, source type, unsure, note.
//!
//! Every label shows its codebook guideline on hover, and its shortcut in the button text.

use egui::{RichText, Ui};

use crate::core::model::annotation::Claim;
use crate::session::{CodeCommand, Session};
use crate::ui::Queue;
use crate::ui::colors;

/// What the inspector asks the window to do besides session commands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InspectorActions {
    /// Open the speaker finder.
    pub open_speaker_finder: bool,
}

/// Draws the inspector.
#[allow(clippy::too_many_lines)]
// one straight run of fields, top to bottom as on screen `note` is the note being typed (kept by the window so typing is not
/// interrupted by the session's coalescing).
pub fn show(
    ui: &mut Ui,
    session: &Session,
    note_focus: &mut bool,
    out: &mut Queue,
) -> InspectorActions {
    let mut actions = InspectorActions::default();
    ui.heading("Claim");
    let Some(claim) = session.selected_claim() else {
        if let Some(s) = session.suggestion_at(session.cursor()) {
            ui.label(RichText::new("Suggested claim").strong());
            ui.label(s.explain());
            ui.horizontal(|ui| {
                if ui.button("Accept (y)").clicked() {
                    out.push(CodeCommand::AcceptSuggestion);
                }
                if ui.button("Dismiss (w)").clicked() {
                    out.push(CodeCommand::DismissSuggestion);
                }
            });
        } else {
            ui.weak("No claim selected. Enter makes a claim of the current sentence.");
        }
        return actions;
    };
    let cb = session.codebook();
    ui.label(RichText::new(format!("“{}”", claim.anchor.quote)).italics())
        .on_hover_text(format!(
            "sentences {}–{}, bytes {}..{}",
            claim.anchor.first + 1,
            claim.anchor.last + 1,
            claim.anchor.start,
            claim.anchor.end
        ));
    ui.separator();
    ui.horizontal(|ui| {
        ui.label("Speaker");
        let name = claim
            .speaker
            .as_ref()
            .map_or("— choose —", |s| session.speaker_name(s));
        if ui
            .button(format!("{name}  (p)"))
            .on_hover_text(
                "Find the speaker by name or alias, or add a new one; o takes the first suggested",
            )
            .clicked()
        {
            actions.open_speaker_finder = true;
        }
    });
    for (ti, target) in cb.targets.iter().enumerate() {
        let active = ti == session.active_target();
        ui.horizontal_wrapped(|ui| {
            let head = RichText::new(format!("{} ({})", target.name, target.key));
            let head = if active {
                head.strong().underline()
            } else {
                head
            };
            if ui
                .add(egui::Button::selectable(active, head))
                .on_hover_text(format!(
                    "{}\n\nStance keys apply to the active target.",
                    target.guideline
                ))
                .clicked()
            {
                out.push(CodeCommand::SetActiveTarget(ti));
            }
            stance_buttons(ui, session, claim, &target.id, active, out);
        });
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Source");
        for l in &cb.source_types {
            let on = claim.source.as_deref() == Some(l.id.as_str());
            let text = RichText::new(format!("{} {}", l.key, l.name));
            if ui
                .add(choice_button(on, text, &l.color))
                .on_hover_text(&l.guideline)
                .clicked()
            {
                out.push(CodeCommand::SetSource(if on {
                    None
                } else {
                    Some(l.id.clone())
                }));
            }
        }
    });
    let mut unsure = claim.unsure;
    if ui
        .checkbox(&mut unsure, "Unsure (!)")
        .on_hover_text("Flag this claim for a second look")
        .changed()
    {
        out.push(CodeCommand::ToggleUnsure);
    }
    let note_label = ui.label("Note");
    let mut note = claim.note.clone();
    let r = ui.add(
        egui::TextEdit::multiline(&mut note)
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .hint_text("Why this coding? (e)"),
    );
    let r = r.labelled_by(note_label.id);
    if std::mem::take(note_focus) {
        r.request_focus();
    }
    if r.changed() {
        out.push(CodeCommand::SetNote(note));
    }
    ui.add_space(4.0);
    if ui
        .button("Delete claim (x)")
        .on_hover_text("Delete this claim; Ctrl+Z brings it back")
        .clicked()
    {
        out.push(CodeCommand::DeleteClaim);
    }
    actions
}

fn stance_buttons(
    ui: &mut Ui,
    session: &Session,
    claim: &Claim,
    target: &str,
    active: bool,
    out: &mut Queue,
) {
    for l in &session.codebook().stances {
        let on = claim.stances.get(target) == Some(&l.id);
        let label = if active {
            format!("{} {}", l.key, l.name)
        } else {
            l.name.clone()
        };
        let r = ui
            .add(choice_button(on, RichText::new(label), &l.color))
            .on_hover_text(&l.guideline);
        let name = format!("{target}: {}", l.name);
        r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, &name));
        if r.clicked() {
            out.push(CodeCommand::ToggleStance {
                target: target.to_owned(),
                stance: l.id.clone(),
            });
        }
    }
}

/// A stance or source-type button: when selected, filled with the label's codebook colour
/// and its text black or white, whichever reads (see [`colors::selected_choice`]).
fn choice_button<'a>(on: bool, text: RichText, color: &str) -> egui::Button<'a> {
    if on {
        let (bg, fg) = colors::selected_choice(color);
        egui::Button::selectable(true, text.color(fg).strong()).fill(bg)
    } else {
        egui::Button::selectable(false, text)
    }
}
