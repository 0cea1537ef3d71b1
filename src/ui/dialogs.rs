//! Modal dialogs: who is coding, the speaker finder, the help overlay, opening a project or an
//! article by path, and the "changed on disk" prompt.

use std::path::PathBuf;

use egui::{Context, Id, Modal, Ui};

use crate::core::model::annotation::SpeakerRef;
use crate::core::model::speakers;
use crate::session::{CodeCommand, Session};
use crate::ui::Queue;
use crate::ui::shortcuts::UiCommand;

/// The speaker finder's state while it is open.
#[derive(Clone, Debug, Default)]
pub struct SpeakerFinder {
    /// What has been typed.
    pub query: String,
    /// Index of the highlighted hit.
    pub highlighted: usize,
}

/// What a dialog decided.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer<T> {
    /// Still open.
    Open,
    /// Closed without a result.
    Cancelled,
    /// Closed with a result.
    Done(T),
}

fn labeled_field(ui: &mut Ui, label: &str, text: &mut String, hint: &str) -> egui::Response {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id)
}

/// Gives a dialog's field the keyboard when it does not have it: on the frame the dialog
/// opens, or after focus moved away (an arrow key, a click on the dialog).
///
/// Not every frame: each request interrupts the platform's text input, and under X11 the
/// input method then restarts and wakes the window again, a busy loop that also drops keys.
/// The check is egui's own focus, not `Response::has_focus`, which is false whenever the
/// window itself lacks focus (always, under an X server with no window manager).
fn take_keyboard_once(ui: &Ui, field: &egui::Response) {
    if !ui.memory(|m| m.has_focus(field.id)) {
        field.request_focus();
    }
}

/// "Who is coding?": asked once, then remembered.
pub fn annotator_prompt(ctx: &Context, name: &mut String, error: Option<&str>) -> Answer<String> {
    let mut outcome = Answer::Open;
    Modal::new(Id::unique("annotator-prompt")).show(ctx, |ui| {
        ui.heading("Who is coding?");
        ui.label("Your name names your annotation files (annotations/<article>/<name>.ron).");
        let r = labeled_field(ui, "Your name", name, "e.g. alice");
        // Enter leaves the field; read it before the field takes the keyboard back.
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if !enter {
            take_keyboard_once(ui, &r);
        }
        if let Some(e) = error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        if ui.button("Start coding").clicked() || enter {
            outcome = Answer::Done(name.trim().to_owned());
        }
    });
    outcome
}

/// One line of the speaker finder.
struct Entry {
    speaker: SpeakerRef,
    text: String,
    /// Offered for this claim (suggested, set last, the author) rather than found by name.
    suggested: bool,
}

/// What the finder lists for `query`: with an empty query the speakers offered for the claim
/// first (so Enter takes the first of them), then everyone; otherwise the registry's matches,
/// then "add as a new speaker".
fn finder_entries(session: &Session, query: &str) -> Vec<Entry> {
    let registry_text = |s: &crate::core::model::codebook::Speaker, matched: &str| {
        let alias = if matched == s.name {
            String::new()
        } else {
            format!(" — “{matched}”")
        };
        format!("{}{alias}\n{}", s.name, s.affiliation)
    };
    let typed = query.trim();
    let mut out: Vec<Entry> = Vec::new();
    if typed.is_empty() {
        for sp in session.suggested_speakers() {
            let text = match &sp {
                SpeakerRef::Registry(id) => session
                    .codebook()
                    .speaker(id)
                    .map_or_else(|| id.clone(), |s| registry_text(s, &s.name)),
                SpeakerRef::New(name) => format!("{name}\nnew speaker in this project"),
            };
            out.push(Entry {
                speaker: sp,
                text,
                suggested: true,
            });
        }
    }
    for h in speakers::find(session.codebook(), typed) {
        let speaker = SpeakerRef::Registry(h.speaker.id.clone());
        if out.iter().any(|e| e.speaker == speaker) {
            continue;
        }
        out.push(Entry {
            text: registry_text(h.speaker, h.matched),
            speaker,
            suggested: false,
        });
    }
    if !typed.is_empty() {
        out.push(Entry {
            speaker: SpeakerRef::New(typed.to_owned()),
            text: format!("+ Add “{typed}” as a new speaker"),
            suggested: false,
        });
    }
    out
}

/// Fuzzy finder over registry names and aliases, with "add as new speaker". It opens on the
/// speakers offered for the claim ([`Session::suggested_speakers`]), the first highlighted.
pub fn speaker_finder(
    ctx: &Context,
    session: &Session,
    f: &mut SpeakerFinder,
) -> Answer<SpeakerRef> {
    let mut outcome = Answer::Open;
    let entries = finder_entries(session, &f.query);
    let count = entries.len();
    let response = Modal::new(Id::unique("speaker-finder")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Speaker");
        let r = labeled_field(
            ui,
            "Find speaker",
            &mut f.query,
            "name or alias, e.g. Kirby",
        );
        take_keyboard_once(ui, &r);
        if r.changed() {
            f.highlighted = 0;
        }
        let (down, up, enter) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
            )
        });
        if down && f.highlighted + 1 < count {
            f.highlighted += 1;
        }
        if up {
            f.highlighted = f.highlighted.saturating_sub(1);
        }
        egui::ScrollArea::vertical()
            .max_height(300.0)
            .show(ui, |ui| {
                for (i, e) in entries.iter().enumerate() {
                    if i == 0 && e.suggested {
                        ui.weak("Suggested for this claim");
                    } else if i > 0 && entries[i - 1].suggested && !e.suggested {
                        ui.separator();
                    }
                    let r = ui.add(egui::Button::selectable(
                        i == f.highlighted,
                        e.text.as_str(),
                    ));
                    if i == f.highlighted && (down || up) {
                        r.scroll_to_me(None);
                    }
                    if r.clicked() || (enter && i == f.highlighted) {
                        outcome = Answer::Done(e.speaker.clone());
                    }
                }
            });
        ui.horizontal(|ui| {
            if ui.button("Cancel").clicked() {
                outcome = Answer::Cancelled;
            }
            ui.weak("Up/Down to choose, Enter to pick, Esc to cancel");
        });
    });
    if response.should_close() && outcome == Answer::Open {
        outcome = Answer::Cancelled;
    }
    outcome
}

/// One row of the help overlay: the keys (monospace, as pressed), what, and a word more.
fn help_row(ui: &mut Ui, keys: &str, what: &str, more: &str) {
    ui.monospace(keys);
    ui.label(what);
    ui.add(egui::Label::new(egui::RichText::new(more).weak()).wrap());
    ui.end_row();
}

/// The codebook's keys, for the "Code the selected claim" group: stances first (pressed on
/// every claim), then source types, then targets.
fn codebook_rows(ui: &mut Ui, session: &Session) {
    let cb = session.codebook();
    for l in &cb.stances {
        help_row(
            ui,
            &l.key.to_string(),
            &format!("Stance: {}", l.name),
            "On the active target; again to clear",
        );
    }
    for l in &cb.source_types {
        help_row(
            ui,
            &l.key.to_string(),
            &format!("Source: {}", l.name),
            "Again to clear",
        );
    }
    for t in &cb.targets {
        help_row(
            ui,
            &t.key.to_string(),
            &format!("Target: {}", t.name),
            "Stance keys then apply to this target",
        );
    }
}

/// The help overlay: the coding window's keys grouped by task, the codebook's keys first
/// (what is pressed most shows without scrolling), keys written as they are pressed (`]`,
/// `?`, `↑`, a lone letter in lower case). The Gold tab's keys, which act only there, are
/// listed apart at the end.
pub fn help(ctx: &Context, session: Option<&Session>) -> bool {
    use crate::ui::shortcuts::{GoldKey, Group, shortcuts_text};
    let mut open = true;
    let mac = ctx.os().is_mac();
    let max_height = (ctx.content_rect().height() - 150.0).max(200.0);
    let response = Modal::new(Id::unique("help")).show(ctx, |ui| {
        ui.set_width(640.0);
        ui.heading("Keyboard shortcuts");
        egui::ScrollArea::vertical()
            .max_height(max_height)
            .min_scrolled_height(max_height)
            .show(ui, |ui| {
                // One grid, so the columns line up from group to group.
                egui::Grid::new("help-grid")
                    .striped(true)
                    .num_columns(3)
                    .min_col_width(90.0)
                    .max_col_width(320.0)
                    .show(ui, |ui| {
                        for group in Group::ALL {
                            ui.label(egui::RichText::new(group.title()).strong());
                            ui.end_row();
                            if group == Group::Code
                                && let Some(s) = session
                            {
                                codebook_rows(ui, s);
                            }
                            for c in UiCommand::ALL.into_iter().filter(|c| c.group() == group) {
                                help_row(ui, &c.all_shortcuts_text(ctx), c.label(), c.tooltip());
                            }
                            if group == Group::Window {
                                help_row(
                                    ui,
                                    "Ctrl+Plus / Ctrl+Minus / Ctrl+0",
                                    "Zoom",
                                    "Make everything bigger or smaller",
                                );
                            }
                        }
                    });
                ui.separator();
                ui.label(egui::RichText::new("Review mode, Gold tab only").strong());
                ui.weak("These keys act only while adjudicating on the Gold tab.");
                egui::Grid::new("help-grid-gold")
                    .striped(true)
                    .num_columns(3)
                    .min_col_width(90.0)
                    .max_col_width(320.0)
                    .show(ui, |ui| {
                        for c in GoldKey::all() {
                            if matches!(c, GoldKey::Pick(n) if n > 1) {
                                continue;
                            }
                            let keys = match c {
                                GoldKey::Pick(_) => "1 … 9".to_owned(),
                                _ => shortcuts_text(&c.shortcuts(), mac),
                            };
                            let what = match c {
                                GoldKey::Pick(_) => "Take coder N's value".to_owned(),
                                _ => c.tooltip(),
                            };
                            help_row(ui, &keys, &format!("Gold: {what}"), "");
                        }
                    });
            });
        if ui.button("Close").clicked() {
            open = false;
        }
    });
    open && !response.should_close()
}

/// What "Browse…" picks in [`path_prompt`].
#[derive(Clone, Copy)]
pub enum Pick {
    /// A folder.
    Folder,
    /// A file, filtered by a name and extensions.
    File(&'static str, &'static [&'static str]),
}

/// Asks for a folder or file path; "Browse…" uses the native dialog where there is one.
pub fn path_prompt(
    ctx: &Context,
    title: &str,
    field: &str,
    path: &mut String,
    pick: Pick,
) -> Answer<PathBuf> {
    let mut outcome = Answer::Open;
    let response = Modal::new(Id::unique(("path-prompt", title))).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading(title);
        let r = labeled_field(ui, field, path, "/path/to/…");
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            if ui
                .button("Browse…")
                .on_hover_text("Use the system file dialog")
                .clicked()
            {
                let picked = match pick {
                    Pick::Folder => rfd::FileDialog::new().pick_folder(),
                    Pick::File(name, extensions) => rfd::FileDialog::new()
                        .add_filter(name, extensions)
                        .pick_file(),
                };
                if let Some(p) = picked {
                    *path = p.display().to_string();
                }
            }
            if ui.button("Open").clicked() || enter {
                outcome = Answer::Done(PathBuf::from(path.trim()));
            }
            if ui.button("Cancel").clicked() {
                outcome = Answer::Cancelled;
            }
        });
    });
    if response.should_close() && outcome == Answer::Open {
        outcome = Answer::Cancelled;
    }
    outcome
}

/// The file changed on disk while the coder had unsaved edits.
pub fn conflict(ctx: &Context, session: &Session, out: &mut Queue) {
    Modal::new(Id::unique("conflict")).show(ctx, |ui| {
        ui.heading("The file changed on disk");
        ui.label(format!(
            "{} was changed outside this window (git pull, another editor) while you had unsaved edits.",
            session.document().path.display()
        ));
        ui.label("Nothing has been overwritten. Choose:");
        ui.horizontal(|ui| {
            if ui
                .button("Merge by claim")
                .on_hover_text("Take in their changes claim by claim and keep yours; where both changed the same field, yours is kept and the note says what theirs was")
                .clicked()
            {
                out.push(CodeCommand::MergeFromDisk);
            }
            if ui
                .button("Reload (take theirs)")
                .on_hover_text("Drop your unsaved edits and load the file from disk")
                .clicked()
            {
                out.push(CodeCommand::Reload);
            }
            if ui
                .button("Overwrite (keep mine)")
                .on_hover_text("Save your version over the one on disk")
                .clicked()
            {
                out.push(CodeCommand::Overwrite);
            }
        });
    });
}
