//! The Gold tab: choose a strategy, build gold, walk the disputes keyboard-first, see who
//! chose what, save `gold.ron`.

use egui::{RichText, Ui};

use crate::core::adjudicate::{Origin, Strategy};
use crate::session::Session;
use crate::session::adjudication::GoldWalk;
use crate::session::review::ReviewSession;
use crate::ui::review::Desk;
use crate::ui::shortcuts::GoldCommand;

/// The majority threshold when none is typed: more than half would need 0.51 for two coders,
/// and the core never counts a tie as a majority, so 0.5 means "a strict majority".
const DEFAULT_THRESHOLD: &str = "0.5";

/// Runs the gold keys pressed this frame (only called while the Gold tab is shown).
pub fn handle_keys(ctx: &egui::Context, desk: &mut Desk) {
    let typing = ctx.egui_wants_keyboard_input();
    let Some((_, walk)) = &mut desk.walk else {
        return;
    };
    for c in GoldCommand::consume_pressed(ctx, typing) {
        match c {
            GoldCommand::Pick(n) => {
                walk.pick(usize::from(n));
            }
            GoldCommand::TypeOwn => {
                desk.focus_typed = true;
                // The key that focuses the field must not also be typed into it.
                ctx.input_mut(|i| i.events.retain(|e| !matches!(e, egui::Event::Text(_))));
            }
            GoldCommand::Next => {
                walk.next_dispute();
            }
            GoldCommand::Previous => {
                walk.previous_dispute();
            }
            GoldCommand::NextOpen => {
                walk.next_open();
            }
            GoldCommand::Undecide => {
                walk.undecide();
            }
            GoldCommand::Save => {
                let _ = walk.save();
            }
        }
    }
}

/// Draws the Gold tab.
pub fn show(ui: &mut Ui, desk: &mut Desk, session: &Session, review: &ReviewSession) {
    let article = review.alignment.article.clone();
    if desk.walk.as_ref().is_some_and(|(a, _)| *a != article) {
        desk.walk = None;
    }
    strategy_row(ui, desk, session, review);
    if let Some(e) = &desk.build_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let Some((_, walk)) = &mut desk.walk else {
        ui.weak("Build gold runs the automatic merge; what it leaves open is settled here.");
        if let Ok(p) = crate::core::adjudicate::gold_path(&session.project().root, &article)
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
    dispute(ui, walk, &mut desk.typed, &mut desk.focus_typed);
    ui.horizontal(|ui| {
        if ui.button("Previous dispute").clicked() {
            walk.previous_dispute();
        }
        if ui.button("Next dispute").clicked() {
            walk.next_dispute();
        }
        if ui.button("Next open dispute").clicked() {
            walk.next_open();
        }
        if ui.button("Save gold").clicked() {
            let _ = walk.save();
        }
    });
    if let Some(m) = &walk.message {
        ui.label(m);
    }
    ui.label(keys_help(ui.ctx()));
    ui.separator();
    provenance(ui, walk);
}

fn strategy_row(ui: &mut Ui, desk: &mut Desk, session: &Session, review: &ReviewSession) {
    ui.horizontal(|ui| {
        ui.label("Automatic merge:");
        ui.radio_value(&mut desk.majority, false, "Unanimous");
        ui.radio_value(&mut desk.majority, true, "Majority");
        let label = ui.label("threshold");
        ui.add_enabled(
            desk.majority,
            egui::TextEdit::singleline(&mut desk.threshold)
                .hint_text(DEFAULT_THRESHOLD)
                .desired_width(48.0),
        )
        .labelled_by(label.id);
        if ui
            .button("Build gold")
            .on_hover_text("Run the automatic merge and list the disputes left")
            .clicked()
        {
            build(desk, session, review);
        }
    });
}

fn build(desk: &mut Desk, session: &Session, review: &ReviewSession) {
    let strategy = if desk.majority {
        let typed = match desk.threshold.trim() {
            "" => DEFAULT_THRESHOLD,
            t => t,
        };
        if let Ok(threshold) = typed.parse::<f64>() {
            Strategy::Majority { threshold }
        } else {
            desk.build_error = Some(format!(
                "the threshold must be a number such as 0.5, not `{}`",
                desk.threshold
            ));
            return;
        }
    } else {
        Strategy::Unanimous
    };
    let article = review.alignment.article.clone();
    match GoldWalk::build(
        session.project(),
        &article,
        &review.alignment.files,
        strategy,
        session.annotator(),
    ) {
        Ok(mut w) => {
            // Arriving from a merge conflict or a finding: start on that claim's dispute.
            if let Some((annotator, claim)) = &desk.focus_claim {
                w.go_to_claim(annotator, claim);
            }
            desk.walk = Some((article, w));
            desk.build_error = None;
        }
        Err(e) => desk.build_error = Some(e),
    }
}

/// The dispute shown: the field, each coder's value, the decision, and the typed field.
fn dispute(ui: &mut Ui, walk: &mut GoldWalk, typed: &mut String, focus: &mut bool) {
    let Some(d) = walk.current().cloned() else {
        ui.label("Nothing left to settle: the coders agree wherever the strategy asks.");
        return;
    };
    if let Some((at, of)) = walk.place() {
        ui.label(format!("Dispute {at} of {of}: {}", walk.describe(&d)));
    }
    let group = &walk.adjudication.groups[d.group];
    if let Some(c) = group.claims.values().next() {
        ui.label(RichText::new(&c.anchor.quote).italics());
    }
    let decided = walk.decision(&d);
    for (n, coder, value) in walk.choices(&d) {
        let text = match &value {
            Some(v) => format!("{n} {coder}: {}", walk.value_text(v)),
            None => format!("{n} {coder}: no claim here"),
        };
        let on = decided.as_ref().is_some_and(
            |r| matches!(&r.origin, Origin::Picked { annotator, .. } if *annotator == coder),
        );
        let r = ui.add_enabled(value.is_some(), egui::Button::selectable(on, text));
        if r.clicked() {
            walk.pick(n);
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
        let field = ui
            .add(
                egui::TextEdit::singleline(typed)
                    .hint_text("t, then a label id, a speaker, yes or no")
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
        if std::mem::take(focus) {
            field.request_focus();
        }
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Use typed value").clicked() || enter) && walk.type_own(typed) {
            typed.clear();
            if enter {
                walk.next_dispute();
            }
        }
    });
}

fn keys_help(ctx: &egui::Context) -> String {
    let parts: Vec<String> = GoldCommand::all()
        .into_iter()
        .filter(|c| !matches!(c, GoldCommand::Pick(n) if *n > 1))
        .map(|c| {
            let keys: Vec<String> = c
                .shortcuts()
                .iter()
                .map(|s| crate::ui::shortcuts::key_text(s, ctx.os().is_mac()))
                .collect();
            match c {
                GoldCommand::Pick(_) => "1..9: take coder N's value".to_owned(),
                _ => format!("{}: {}", keys.join("/"), c.tooltip()),
            }
        })
        .collect();
    format!("Keys: {}", parts.join(" · "))
}

/// Every gold claim with who chose each field.
fn provenance(ui: &mut Ui, walk: &GoldWalk) {
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
pub fn quit_prompt(ctx: &egui::Context, article: &str, walk: &GoldWalk) -> Option<QuitChoice> {
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
