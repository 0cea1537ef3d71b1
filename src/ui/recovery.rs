//! Never losing work, in the window: the restore prompt for a crashed session's journal, and
//! a panel above the article for a file another window holds, claims that moved or were
//! orphaned when the article changed, and merge conflicts left in the claims' notes.

use egui::{Context, Id, Modal, Ui};

use crate::core::storage::merge;
use crate::core::text::anchor::Reanchored;
use crate::session::recovery::RestoreOffer;
use crate::session::{CodeCommand, Session};
use crate::ui::Queue;

/// "Restore unsaved edits?": what the journal holds, Restore or Discard. Modal: nothing else
/// can be done until the coder answers, since new edits would mix with the old ones.
pub fn restore_prompt(ctx: &Context, session: &Session, offer: &RestoreOffer, out: &mut Queue) {
    Modal::new(Id::unique("restore-journal")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Unsaved edits from a previous session");
        ui.label(format!(
            "Stance stopped before saving {} (a crash or a power cut). Its journal holds:",
            session.document().path.display()
        ));
        ui.strong(offer.summary.to_string());
        if let (Some(first), Some(last)) = (offer.summary.first, offer.summary.last) {
            ui.label(format!(
                "Made between {} and {}.",
                first
                    .with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M:%S"),
                last.with_timezone(&chrono::Local).format("%H:%M:%S")
            ));
        }
        match offer.changed_since {
            Some(true) => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "The file changed on disk since these edits were made (a git pull, another window). Restoring merges them with it claim by claim: what only one side changed is taken from that side.",
                );
                if offer.conflicts.is_empty() {
                    ui.label("No field was changed on both sides.");
                } else {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "{} field(s) changed on both sides: these edits are kept, the claim is flagged unsure and its note says what the file has:",
                            offer.conflicts.len()
                        ),
                    );
                    for c in &offer.conflicts {
                        ui.monospace(c.to_string());
                    }
                }
            }
            Some(false) => {}
            None => {
                ui.label(
                    "This journal was written by an older version of Stance: restoring replays its edits onto the file as it is now.",
                );
            }
        }
        if offer.unreadable_lines > 0 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{} damaged line(s) of the journal could not be read and are left out.",
                    offer.unreadable_lines
                ),
            );
        }
        ui.horizontal(|ui| {
            if ui
                .button("Restore unsaved edits")
                .on_hover_text(
                    "Apply them to the file as it is now (merged, if it changed since); they are saved with the next save",
                )
                .clicked()
            {
                out.push(CodeCommand::RestoreJournal);
            }
            if ui
                .button("Discard them")
                .on_hover_text("Delete the journal and keep the file as it is on disk")
                .clicked()
            {
                out.push(CodeCommand::DiscardJournal);
            }
        });
    });
}

/// The panel above the article; draws nothing when all is well.
pub fn panel(ui: &mut Ui, session: &Session, out: &mut Queue) {
    lock_banner(ui, session, out);
    moved_claims(ui, session, out);
    orphans(ui, session, out);
    merge_conflicts(ui, session);
}

fn lock_banner(ui: &mut Ui, session: &Session, out: &mut Queue) {
    let Some(holder) = session.lock_holder() else {
        return;
    };
    let since = holder
        .since
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    if session.lock_is_remote() {
        remote_lock_banner(ui, &holder.host, holder.pid, &since, out);
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!(
                "Read-only: another Stance window is writing this file (process {} on {}, since {since}).",
                holder.pid, holder.host,
            ),
        );
        if session.can_take_over() {
            if ui
                .button("Take over")
                .on_hover_text("That window is gone: open the file for editing here")
                .clicked()
            {
                out.push(CodeCommand::TakeOverLock);
            }
        } else {
            ui.weak("Close the file there to edit it here.");
        }
    });
    ui.separator();
}

/// The banner for a lock taken on another computer, whose window stance cannot see: "Take
/// over" is offered behind a warning, since a window still open there would be coding the
/// same file.
fn remote_lock_banner(ui: &mut Ui, host: &str, pid: u32, since: &str, out: &mut Queue) {
    let asking = Id::unique("take-over-remote-lock");
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!(
                "Read-only: Stance on another computer, {host}, is writing this file (process {pid} there, since {since})."
            ),
        );
        if ui
            .button(format!("Take over from {host}…"))
            .on_hover_text("Only if nobody is coding this file on that computer now")
            .clicked()
        {
            ui.data_mut(|d| d.insert_temp(asking, true));
        }
    });
    ui.separator();
    if !ui.data(|d| d.get_temp::<bool>(asking).unwrap_or(false)) {
        return;
    }
    let response = Modal::new(Id::unique("take-over-remote-lock-modal")).show(ui.ctx(), |ui| {
        ui.set_width(520.0);
        ui.heading(format!("Take over this file from {host}?"));
        ui.label(format!(
            "Stance on {host} locked this file at {since}. From here it cannot tell whether that window is still open: a window left open there, or a lock left behind by a crash or an unplugged laptop, look the same."
        ));
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "Take over only if nobody is coding this file on {host} now. If someone is, you would both be editing one file: whichever of you saves second is asked to merge or overwrite, and edits made there since their last save can be lost."
            ),
        );
        ui.horizontal(|ui| {
            if ui.button("Take over anyway").clicked() {
                out.push(CodeCommand::TakeOverRemoteLock);
                ui.data_mut(|d| d.remove::<bool>(asking));
            }
            if ui.button("Cancel").clicked() {
                ui.data_mut(|d| d.remove::<bool>(asking));
            }
        });
    });
    if response.should_close() {
        ui.data_mut(|d| d.remove::<bool>(asking));
    }
}

fn moved_claims(ui: &mut Ui, session: &Session, out: &mut Queue) {
    let Some(report) = session.reanchor_report() else {
        return;
    };
    if session.positions_unsaved() {
        // Opening a file is not an edit: the new places wait for one, or for this button.
        ui.horizontal_wrapped(|ui| {
            ui.label(
                "Claims are shown at their places in the changed text; the file is saved with them at your first edit.",
            );
            if ui
                .button("Accept new positions")
                .on_hover_text("Save the file with its claims at their new places now")
                .clicked()
            {
                out.push(CodeCommand::AcceptPositions);
            }
        });
    }
    let moved: Vec<String> = report
        .claims
        .iter()
        .filter_map(|c| match &c.outcome {
            Reanchored::Moved { .. } => Some(c.id.clone()),
            Reanchored::Edited { .. } => Some(format!("{} (quote edited, check it)", c.id)),
            Reanchored::Unchanged | Reanchored::Orphaned => None,
        })
        .collect();
    if moved.is_empty() {
        return;
    }
    ui.collapsing(
        format!("The article text changed: {} claim(s) moved", moved.len()),
        |ui| {
            for m in moved {
                ui.label(m);
            }
        },
    );
}

fn orphans(ui: &mut Ui, session: &Session, out: &mut Queue) {
    let orphans: Vec<_> = session.orphans().collect();
    if orphans.is_empty() {
        return;
    }
    let sentence = session.cursor() + 1;
    egui::CollapsingHeader::new(format!("Orphaned ({})", orphans.len()))
        .default_open(true)
        .show(ui, |ui| {
            ui.label(
                "Their text is no longer in the article. They are kept: put the cursor on a sentence and attach each by hand.",
            );
            for c in orphans {
                if ui
                    .button(format!("Attach {} to sentence {sentence}", c.id))
                    .on_hover_text("Anchor this claim to the cursor's sentence (undoable)")
                    .clicked()
                {
                    out.push(CodeCommand::AttachClaim(c.id.clone()));
                }
                // Wrapped: a quote is often one long line, and unwrapped it widened the
                // centre panel and clipped the article.
                ui.add(
                    egui::Label::new(egui::RichText::new(format!("“{}”", c.anchor.quote)).weak())
                        .wrap(),
                );
            }
        });
    ui.separator();
}

fn merge_conflicts(ui: &mut Ui, session: &Session) {
    let conflicts = merge::conflicts_in(&session.document().file);
    if conflicts.is_empty() {
        return;
    }
    ui.collapsing(
        format!(
            "Merge conflicts ({}): yours kept, marked in the notes",
            conflicts.len()
        ),
        |ui| {
            for c in conflicts {
                ui.label(c.to_string());
            }
        },
    );
}
