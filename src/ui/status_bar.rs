//! The status bar: which file, saved or not, when, and the latest message.

use std::path::Path;

use egui::Ui;

use crate::session::Session;
use crate::session::jobs::JobInfo;
use crate::ui::Queue;

/// Draws the status bar. `review` is, in review mode, the editor's review file (the one
/// file review mode writes as it goes) and whether verdicts are unsaved: the bar names it,
/// not the editor's own coding file, which review mode neither shows nor writes.
/// Jobs under way (a save, agreement…) show with their progress and Cancel (a save has none:
/// it is the coder's work on its way to disk).
pub fn show(
    ui: &mut Ui,
    session: Option<&Session>,
    review: Option<(&Path, bool)>,
    error: Option<&str>,
    jobs: &[JobInfo],
    queue: &mut Queue,
) {
    // `jobs` are the cancellable ones (a save or a sync is not; a sync shows beside its
    // button).
    for job in jobs {
        crate::ui::app::job_row(ui, job, queue);
    }
    ui.horizontal(|ui| {
        if let Some(s) = session {
            let doc = s.document();
            let path = review.map_or(doc.path.as_path(), |(p, _)| p);
            let rel = path
                .strip_prefix(&s.project().root)
                .unwrap_or(path)
                .display()
                .to_string();
            ui.monospace(rel).on_hover_text(path.display().to_string());
            ui.separator();
            if let Some((_, dirty)) = review {
                ui.label(if dirty {
                    "Unsaved verdicts"
                } else {
                    "All verdicts saved"
                });
            } else if doc.read_only.is_some() {
                ui.colored_label(ui.visuals().error_fg_color, "read-only");
            } else if doc.dirty {
                ui.colored_label(ui.visuals().warn_fg_color, "Unsaved changes")
                    .on_hover_text(
                        "Saved automatically a moment after each edit; Ctrl+S saves now",
                    );
            } else {
                ui.label("All changes saved");
            }
            if review.is_none()
                && let Some(t) = doc.last_saved
            {
                ui.weak(format!(
                    "last save {}",
                    t.with_timezone(&chrono::Local).format("%H:%M:%S")
                ));
            }
            ui.separator();
            ui.label(format!(
                "sentence {} of {}",
                s.cursor() + 1,
                s.article().sentences.len()
            ));
            if let Some(n) = s.notice() {
                ui.separator();
                if n.is_error {
                    ui.colored_label(ui.visuals().error_fg_color, &n.text);
                } else {
                    ui.weak(&n.text);
                }
            }
        }
        if let Some(e) = error {
            ui.separator();
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
    });
}
