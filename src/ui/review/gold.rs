//! The Gold tab: choose a strategy, build gold, walk the disputes keyboard-first, see who
//! chose what, save `gold.ron`. Every decision is the workspace's ([`GoldCommand`]).

use egui::{RichText, Ui};

use crate::core::compare::adjudicate::GoldSource;
use crate::session::adjudication::GoldSession;
use crate::session::workspace::DEFAULT_THRESHOLD;
use crate::session::{GoldCommand, Session, Workspace};
use crate::ui::Queue;
use crate::ui::app::ReviewView;
use crate::ui::shortcuts::GoldKey;

/// Runs the gold keys pressed this frame (only called while the Gold tab is shown).
pub fn handle_keys(ctx: &egui::Context, ws: &Workspace, view: &mut ReviewView, queue: &mut Queue) {
    let typing = ctx.egui_wants_keyboard_input();
    if ws.gold().is_none() {
        return;
    }
    for c in GoldKey::consume_pressed(ctx, typing) {
        match c {
            GoldKey::Pick(n) => queue.push(GoldCommand::Pick(usize::from(n))),
            GoldKey::TypeOwn => {
                view.focus_typed = true;
                // The key that focuses the field must not also be typed into it.
                ctx.input_mut(|i| i.events.retain(|e| !matches!(e, egui::Event::Text(_))));
            }
            GoldKey::Next => queue.push(GoldCommand::Next),
            GoldKey::Previous => queue.push(GoldCommand::Previous),
            GoldKey::NextOpen => queue.push(GoldCommand::NextOpen),
            GoldKey::Undecide => queue.push(GoldCommand::Undecide),
            GoldKey::Save => queue.push(GoldCommand::Save),
        }
    }
}

/// Draws the Gold tab.
pub fn show(
    ui: &mut Ui,
    ws: &Workspace,
    session: &Session,
    view: &mut ReviewView,
    queue: &mut Queue,
) {
    strategy_row(ui, view, queue);
    if let Some(e) = ws.gold_error() {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let Some(walk) = ws.gold() else {
        ui.weak("Build gold runs the automatic merge; what it leaves open is settled here.");
        if let Some(r) = ws.review()
            && let Ok(p) = crate::core::compare::adjudicate::gold_path(
                &session.project().root,
                &r.alignment.article,
            )
            && p.exists()
        {
            ui.weak("This article has a gold.ron already: saving a new build replaces it.");
        }
        return;
    };
    ui.separator();
    ui.horizontal(|ui| {
        ui.label(RichText::new(walk.progress_text()).strong());
        if walk.dirty {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "unsaved decisions: Save gold (Ctrl+S) writes them",
            );
        }
    });
    dispute(ui, ws, walk, view, queue);
    ui.horizontal(|ui| {
        for (label, c) in [
            ("Previous dispute", GoldCommand::Previous),
            ("Next dispute", GoldCommand::Next),
            ("Next open dispute", GoldCommand::NextOpen),
            ("Save gold", GoldCommand::Save),
        ] {
            if ui.button(label).clicked() {
                queue.push(c);
            }
        }
    });
    if let Some(m) = &walk.message {
        ui.label(m);
    }
    ui.label(keys_help(ui.ctx()));
    ui.separator();
    provenance(ui, walk);
}

fn strategy_row(ui: &mut Ui, view: &mut ReviewView, queue: &mut Queue) {
    ui.horizontal(|ui| {
        ui.label("Automatic merge:");
        ui.radio_value(&mut view.majority, false, "Unanimous");
        ui.radio_value(&mut view.majority, true, "Majority");
        let label = ui.label("threshold");
        ui.add_enabled(
            view.majority,
            egui::TextEdit::singleline(&mut view.threshold)
                .hint_text(DEFAULT_THRESHOLD)
                .desired_width(48.0),
        )
        .labelled_by(label.id);
        if ui
            .button("Build gold")
            .on_hover_text("Run the automatic merge and list the disputes left")
            .clicked()
        {
            queue.push(GoldCommand::Build {
                majority: view.majority,
                threshold: view.threshold.clone(),
            });
        }
    });
}

/// The dispute shown: the field, each coder's value, the decision, and the typed field.
fn dispute(
    ui: &mut Ui,
    ws: &Workspace,
    walk: &GoldSession,
    view: &mut ReviewView,
    queue: &mut Queue,
) {
    let Some(d) = walk.current() else {
        ui.label("Nothing left to settle: the coders agree wherever the strategy asks.");
        return;
    };
    if let Some((at, of)) = walk.place() {
        ui.label(format!("Dispute {at} of {of}: {}", walk.describe(d)));
    }
    let group = &walk.adjudication.groups[d.group];
    if let Some(c) = group.claims.values().next() {
        ui.label(RichText::new(&c.anchor.quote).italics());
    }
    let decided = walk.decision(d);
    for (n, coder, value) in walk.choices(d) {
        let text = match &value {
            Some(v) => format!("{n} {coder}: {}", walk.value_text(v)),
            None => format!("{n} {coder}: no claim here"),
        };
        let on = decided.as_ref().is_some_and(
            |r| matches!(&r.origin, GoldSource::Picked { annotator, .. } if *annotator == coder),
        );
        let r = ui.add_enabled(value.is_some(), egui::Button::selectable(on, text));
        if r.clicked() {
            queue.push(GoldCommand::Pick(n));
        }
    }
    ui.label(match &decided {
        Some(r) => format!(
            "Decided: {} ({})",
            walk.value_text(&r.value),
            walk.origin_text(&r.origin)
        ),
        None => "Not decided yet".to_owned(),
    });
    ui.horizontal(|ui| {
        let label = ui.label("Your own value");
        let mut typed = ws.gold_typed().to_owned();
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut typed)
                    .hint_text("t, then a label id, a speaker, yes or no")
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut view.focus_typed) {
            field.request_focus();
        }
        if field.changed() {
            queue.push(GoldCommand::EditTyped(typed));
        }
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Use typed value").clicked() || enter {
            queue.push(GoldCommand::UseTyped { then_next: enter });
        }
    });
}

fn keys_help(ctx: &egui::Context) -> String {
    let parts: Vec<String> = GoldKey::all()
        .into_iter()
        .filter(|c| !matches!(c, GoldKey::Pick(n) if *n > 1))
        .map(|c| {
            let keys: Vec<String> = c
                .shortcuts()
                .iter()
                .map(|s| crate::ui::shortcuts::key_text(s, ctx.os().is_mac()))
                .collect();
            match c {
                GoldKey::Pick(_) => "1..9: take coder N's value".to_owned(),
                _ => format!("{}: {}", keys.join("/"), c.tooltip()),
            }
        })
        .collect();
    format!("Keys: {}", parts.join(" · "))
}

/// Every gold claim with who chose each field.
fn provenance(ui: &mut Ui, walk: &GoldSession) {
    ui.label(RichText::new("Gold claims and who chose what").strong());
    egui::ScrollArea::vertical()
        .id_salt("gold-provenance")
        .max_height(260.0)
        .show(ui, |ui| {
            for row in walk.rows() {
                ui.label(format!("{} ({})", row.label, row.claim));
                for line in &row.provenance {
                    ui.weak(format!("    {line}"));
                }
            }
        });
}

/// What the editor chose when quitting with unsaved gold decisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuitChoice {
    /// Write gold.ron, then quit.
    SaveAndQuit,
    /// Quit and drop the decisions.
    QuitWithoutSaving,
    /// Go back to adjudicating.
    Stay,
}

/// The question asked when the window closes with unsaved gold decisions.
pub fn quit_prompt(ctx: &egui::Context, article: &str, walk: &GoldSession) -> Option<QuitChoice> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("gold-quit")).show(ctx, |ui| {
        ui.heading("Unsaved gold decisions");
        ui.label(format!(
            "The gold file of {article} has decisions that are not saved yet ({}).",
            walk.progress_text()
        ));
        ui.horizontal(|ui| {
            for (c, label) in [
                (QuitChoice::SaveAndQuit, "Save gold and quit"),
                (QuitChoice::QuitWithoutSaving, "Quit without saving gold"),
                (QuitChoice::Stay, "Keep adjudicating"),
            ] {
                if ui.button(label).clicked() {
                    choice = Some(c);
                }
            }
        });
    });
    choice
}
