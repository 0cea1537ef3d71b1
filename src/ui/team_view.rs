//! The team parts of the window beside the plan: progress and reliability so far (top of the
//! Corpus tab), a coder's training feedback against gold (coding view), Sync with its
//! outcome, and an imported article's source under its heading. Draws what the workspace
//! read; every click is a command.

use egui::{RichText, Ui};
use egui_plot::{Corner, HLine, Legend, Line, Plot, PlotPoints, Points};

use crate::core::agreement::Stat;
use crate::core::team::plan::Role;
use crate::core::team::plan::trim_number;
use crate::core::team::reliability::Reliability;
use crate::core::team::training::Grade;
use crate::session::workspace::{TrainingResult, sync_details, sync_summary};
use crate::session::{CodeCommand, NavigateCommand, Place, ProjectCommand, ReviewTab, Workspace};
use crate::ui::Queue;

fn stat(s: &Stat) -> String {
    s.as_ref()
        .map_or_else(|u| format!("– ({})", u.reason), |v| format!("{v:.3}"))
}

/// Under the article's heading: where an imported article came from (title, address,
/// database id), read from its sidecar when the article opened.
pub fn source_line(ui: &mut Ui, ws: &Workspace) {
    match ws.article_source() {
        None => {}
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Source: {e}"));
        }
        Some(Ok(info)) => {
            let mut parts = Vec::new();
            if let Some(t) = &info.title {
                parts.push(short(t));
            }
            if let Some(id) = &info.document_id {
                parts.push(format!("document {}", short(id)));
            }
            let from = match info.part {
                Some(n) => format!("imported from {} (article {n})", info.imported_from),
                None => format!("imported from {}", info.imported_from),
            };
            ui.horizontal_wrapped(|ui| {
                ui.weak("Source:");
                if !parts.is_empty() {
                    ui.weak(parts.join(" · "));
                }
                match &info.url {
                    // Only a web address is a link: a sidecar is a file anyone may have
                    // written, and a click must not run or open something local.
                    Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                        ui.hyperlink_to(short(url), url);
                    }
                    Some(other) => {
                        ui.weak(short(other));
                    }
                    None => {}
                }
                ui.weak(short(&from));
            });
        }
    }
}

/// At most 200 characters of a text from a file, so a hostile sidecar cannot fill the window.
fn short(text: &str) -> String {
    const MAX: usize = 200;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The Sync button and the last sync's outcome (details on hover), for the menu bar.
pub fn sync_button(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) {
    if ws.coding().is_none() {
        return;
    }
    let syncing = ws.syncing();
    let button = ui
        .add_enabled(!syncing, egui::Button::new("Sync"))
        .on_hover_text(
            "Save, commit your own files, bring in the team's work (merged claim by claim) and send yours",
        );
    if button.clicked() {
        queue.push(ProjectCommand::Sync);
    }
    if syncing {
        ui.spinner();
        ui.label("Syncing…");
        return;
    }
    match ws.last_sync() {
        None => {}
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("Sync failed: {e}"));
        }
        Some(Ok(report)) => {
            let color = if report.outcome.is_synced() && report.conflicts.is_empty() {
                ui.visuals().text_color()
            } else {
                ui.visuals().warn_fg_color
            };
            let details = sync_details(report).join("\n");
            let r = ui
                .add(egui::Label::new(RichText::new(sync_summary(report)).color(color)).truncate())
                .on_hover_text(details);
            if !report.conflicts.is_empty() && r.clicked() {
                queue.push(NavigateCommand::Show(Place::Review(ReviewTab::Validation)));
            }
        }
    }
}

/// File › Sync with the team.
pub fn sync_menu_item(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) {
    if ui
        .add_enabled(
            ws.coding().is_some() && !ws.syncing(),
            egui::Button::new("Sync with the team"),
        )
        .on_hover_text("Save, commit your own files, bring in the team's work and send yours (git)")
        .clicked()
    {
        queue.push(ProjectCommand::Sync);
    }
}

/// Top of the Corpus tab: each coder's assigned and done articles, and agreement on the
/// reliability sample so far, per field, with its interval and q(α < α_min).
pub fn progress(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Progress and reliability so far").strong());
        if ui
            .add_enabled(!ws.reliability_loading(), egui::Button::new("Recompute"))
            .on_hover_text("Read every coder's files again and recompute agreement on the sample")
            .clicked()
        {
            queue.push(ProjectCommand::LoadReliability);
        }
    });
    if ws.reliability_loading() {
        for job in ws.jobs() {
            if job.label.starts_with("Computing reliability") {
                crate::ui::app::job_row(ui, &job, queue);
            }
        }
    }
    match ws.reliability() {
        None => {}
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        Some(Ok(None)) => {
            ui.weak("This project has no plan (project.ron): `stance assign` makes one.");
        }
        Some(Ok(Some(r))) => {
            coders_table(ui, r);
            if let Some(why) = ws.blind_reason() {
                // Agreement figures would tell a coder where the others differ from them.
                ui.label("Agreement on the sample shows once every coder has finished it.");
                ui.weak(why);
                ui.separator();
                return;
            }
            fields_table(ui, r);
            if r.fields.iter().any(|f| f.report.alpha_ci95.is_ok()) {
                alpha_chart(ui, r);
            }
        }
    }
    ui.separator();
}

fn coders_table(ui: &mut Ui, r: &Reliability) {
    egui::Grid::new("team-progress")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for h in [
                "Coder",
                "Assigned",
                "Done",
                "In progress",
                "Training done",
                "Sample done",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for p in &r.progress {
                let (td, ta) = p.role(Role::Training);
                let (sd, sa) = p.role(Role::Sample);
                ui.label(&p.coder);
                ui.label(p.assigned.to_string());
                ui.label(p.done.to_string());
                ui.label(p.in_progress.to_string());
                ui.label(format!("{td} of {ta}"));
                ui.label(format!("{sd} of {sa}"));
                ui.end_row();
            }
        });
}

fn fields_table(ui: &mut Ui, r: &Reliability) {
    let t = r.thresholds;
    ui.label(format!(
        "Reliability sample: {} of {} articles finished by every coder; α_min {}, tentative {}",
        r.complete,
        r.sample.len(),
        trim_number(t.alpha_min),
        trim_number(t.tentative)
    ));
    if r.fields.is_empty() {
        ui.weak("No reliability sample in the plan yet.");
        return;
    }
    let q_head = format!("q(α < {})", trim_number(t.alpha_min));
    egui::Grid::new("team-reliability")
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            for h in [
                "Field",
                "Units",
                "Alpha",
                "95% CI",
                q_head.as_str(),
                "Agreement",
                "Verdict",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for f in &r.fields {
                let rep = &f.report;
                ui.label(&f.field);
                ui.label(rep.units.to_string());
                ui.label(stat(&rep.alpha));
                ui.label(rep.alpha_ci95.as_ref().map_or_else(
                    |_| "–".to_owned(),
                    |ci| format!("[{:.3}, {:.3}]", ci.low, ci.high),
                ));
                ui.label(f.q.map_or_else(|| "–".to_owned(), |q| format!("{q:.3}")));
                ui.label(
                    rep.percent_agreement
                        .as_ref()
                        .map_or_else(|_| "–".to_owned(), |p| format!("{:.1}%", p * 100.0)),
                );
                ui.label(f.verdict.word());
                ui.end_row();
            }
        });
}

/// Alpha per field with its interval as a whisker, and the thresholds as lines.
fn alpha_chart(ui: &mut Ui, r: &Reliability) {
    let names: Vec<String> = r.fields.iter().map(|f| f.field.clone()).collect();
    let t = r.thresholds;
    // One colour for every whisker and one for the points: a colour per field would say
    // the fields differ in kind.
    let whisker = ui.visuals().warn_fg_color;
    let point = ui.visuals().hyperlink_color;
    let last = names.len().saturating_sub(1) as f64;
    Plot::new("team-alpha")
        .legend(Legend::default().position(Corner::LeftBottom))
        .height(200.0)
        .allow_scroll(false)
        // Half a field of room either side, so no point sits on the frame.
        .include_x(-0.5)
        .include_x(last + 0.5)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            match usize::try_from(i as i64).ok() {
                Some(k) if (mark.value - i).abs() < 1e-6 => {
                    names.get(k).cloned().unwrap_or_default()
                }
                _ => String::new(),
            }
        })
        .show(ui, |plot| {
            plot.hline(HLine::new(
                format!("α_min {}", trim_number(t.alpha_min)),
                t.alpha_min,
            ));
            plot.hline(HLine::new(
                format!("tentative {}", trim_number(t.tentative)),
                t.tentative,
            ));
            let mut points = Vec::new();
            for (i, f) in r.fields.iter().enumerate() {
                let x = i as f64;
                if let Ok(ci) = &f.report.alpha_ci95 {
                    plot.line(
                        Line::new("95% CI", PlotPoints::from(vec![[x, ci.low], [x, ci.high]]))
                            .color(whisker)
                            .width(3.0),
                    );
                }
                if let Ok(a) = f.report.alpha {
                    points.push([x, a]);
                }
            }
            plot.points(
                Points::new("alpha", PlotPoints::from(points))
                    .color(point)
                    .radius(4.0),
            );
        });
}

/// In the coding view, on a training article the coder marked done: their agreement with
/// gold per field, and each disagreement (the sentence, a link there; their value, gold's,
/// the editor's note).
pub fn training(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) {
    let Some(t) = ws.training() else {
        return;
    };
    let scored = match &t.result {
        Err(e) => {
            ui.separator();
            ui.colored_label(ui.visuals().error_fg_color, format!("Training: {e}"));
            return;
        }
        Ok(TrainingResult::NotTraining) => return,
        Ok(TrainingResult::NoGold(why)) => {
            ui.separator();
            ui.label(RichText::new("Training against gold").strong());
            ui.weak(why);
            return;
        }
        Ok(TrainingResult::Scored(s)) => s,
    };
    ui.separator();
    let verdict = match scored.passed() {
        Some(true) => "passed",
        Some(false) => "not passed yet",
        None => "nothing to compare yet",
    };
    ui.label(
        RichText::new(format!(
            "Training against gold: {verdict} (each field needs α ≥ {})",
            trim_number(t.alpha_min)
        ))
        .strong(),
    );
    for f in &scored.fields {
        let outcome = match &f.outcome {
            Grade::Pass => "pass".to_owned(),
            Grade::Fail => "below α_min".to_owned(),
            Grade::NotMeasured(why) => format!("not measured: {why}"),
        };
        let agreement = f
            .percent
            .as_ref()
            .map_or_else(|_| "–".to_owned(), |p| format!("{:.0}%", p * 100.0));
        ui.label(format!(
            "{}: α {}, agreement {agreement} on {} sentences — {outcome}",
            f.field,
            stat(&f.alpha),
            f.units
        ));
        for d in &f.disagreements {
            ui.indent(("training", &f.field, d.sentence), |ui| {
                let link = ui.link(format!("s{}: {}", d.sentence + 1, d.text));
                let name = format!("Go to sentence {} ({})", d.sentence + 1, f.field);
                link.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, &name));
                if link.clicked() {
                    queue.push(CodeCommand::SetCursor(d.sentence));
                }
                ui.label(format!(
                    "you: {}, gold: {}",
                    d.coder.as_deref().unwrap_or("(none)"),
                    d.gold.as_deref().unwrap_or("(none)")
                ));
                if let Some(note) = &d.gold_note {
                    ui.weak(format!("editor's note: {note}"));
                }
            });
        }
    }
}
