//! The agreement view: per field a table of statistics, a heatmap of pairwise kappa, each
//! coder's label distribution, and the disagreeing sentences, each a click away.

use egui::{Color32, RichText, Sense, Ui, vec2};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Points};

use crate::core::agreement::span_report::{SpanReport, alpha_text};
use crate::core::agreement::spans::Matching;
use crate::core::agreement::{AgreementReport, Stat, week_start};
use crate::session::agreement::{AgreementResults, FieldResult};
use crate::session::{NavigateCommand, ProjectCommand, Workspace};
use crate::ui::Queue;

fn stat_text(s: &Stat) -> String {
    match s {
        Ok(v) => format!("{v:.3}"),
        Err(u) => format!("undefined: {}", u.reason),
    }
}

/// Draws the view: the computation under way (with its progress and Cancel), or its results.
/// `selected` is the field shown (one past the fields: claim boundaries).
pub fn show(ui: &mut Ui, ws: &Workspace, selected: &mut usize, queue: &mut Queue) {
    ui.horizontal(|ui| {
        ui.heading("Agreement");
        if ui
            .button("Recompute")
            .on_hover_text("Read the annotation files again")
            .clicked()
        {
            queue.push(ProjectCommand::ComputeAgreement);
        }
    });
    if let Some(why) = ws.blind_reason() {
        ui.colored_label(ui.visuals().warn_fg_color, why);
        return;
    }
    if let Some(job) = ws.agreement_job() {
        crate::ui::app::job_row(ui, &job, queue);
    }
    let Some(state) = ws.agreement() else {
        return;
    };
    results(ui, state, selected, queue);
}

fn results(ui: &mut Ui, state: &AgreementResults, selected: &mut usize, queue: &mut Queue) {
    for p in &state.problems {
        ui.colored_label(ui.visuals().error_fg_color, p);
    }
    if state.fields.is_empty() {
        ui.label("No annotation files marked done yet: agreement needs at least two coders' finished articles.");
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Field");
        for (i, f) in state.fields.iter().enumerate() {
            let alpha = match &f.report.alpha {
                Ok(v) => format!(" (α {v:.2})"),
                Err(_) => String::new(),
            };
            if ui
                .add(egui::Button::selectable(
                    *selected == i,
                    format!("{}{alpha}", f.data.field.name()),
                ))
                .clicked()
            {
                *selected = i;
            }
        }
        if let Some(spans) = &state.spans {
            let label = format!("claim boundaries (αU {})", spans.headline_alpha_text());
            if ui
                .add(egui::Button::selectable(
                    *selected == state.fields.len(),
                    label,
                ))
                .on_hover_text("Do coders mark the same stretches of text as claims?")
                .clicked()
            {
                *selected = state.fields.len();
            }
        }
    });
    ui.separator();
    let Some(f) = state.fields.get(*selected) else {
        if let Some(spans) = &state.spans {
            egui::ScrollArea::vertical()
                .id_salt("spans")
                .show(ui, |ui| span_section(ui, spans));
        }
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("agreement")
        .max_height(ui.available_height() * 0.6)
        .show(ui, |ui| {
            ui.columns(2, |cols| {
                stats_table(&mut cols[0], &f.report);
                cols[0].add_space(8.0);
                heatmap(&mut cols[0], &f.report);
                distribution(&mut cols[1], f);
                cols[1].add_space(8.0);
                drift_plot(&mut cols[1], f);
            });
            ui.separator();
            ui.heading(format!("Disagreements ({})", f.disagreements.len()));
            ui.weak("Click a sentence to open it.");
        });
    disagreements(ui, f, queue);
}

/// The disagreeing sentences, each a click away; only the rows in view are drawn (a big
/// corpus has tens of thousands).
fn disagreements(ui: &mut Ui, f: &FieldResult, queue: &mut Queue) {
    let row = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical()
        .id_salt("disagreements")
        .auto_shrink([false, false])
        .show_rows(ui, row, f.disagreements.len(), |ui, range| {
            for d in &f.disagreements[range] {
                let values: Vec<String> = d
                    .values
                    .iter()
                    .map(|(c, v)| format!("{c}: {}", v.as_deref().unwrap_or("—")))
                    .collect();
                let text = format!(
                    "{} s{}   {}",
                    d.unit.article,
                    d.unit.sentence + 1,
                    values.join("   ")
                );
                if ui.add(egui::Button::new(text).frame(false)).clicked() {
                    queue.push(NavigateCommand::Disagreement {
                        article: d.unit.article.clone(),
                        sentence: d.unit.sentence,
                    });
                }
            }
        });
}

fn stats_table(ui: &mut Ui, r: &AgreementReport) {
    egui::Grid::new("agreement-stats")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            let mut row = |name: &str, value: String, tip: &str| {
                ui.label(name).on_hover_text(tip);
                ui.label(value);
                ui.end_row();
            };
            row(
                "Units (≥ 2 ratings)",
                r.units.to_string(),
                "Sentences rated by at least two coders",
            );
            row(
                "Coders",
                r.coder_names.join(", "),
                "Annotators with finished files",
            );
            row(
                "Pairable values",
                r.pairable_values.to_string(),
                "Ratings in units with at least two ratings",
            );
            let ci = match &r.alpha_ci95 {
                Ok(ci) => format!("  [{:.3}, {:.3}]", ci.low, ci.high),
                Err(_) => String::new(),
            };
            row(
                "Krippendorff's alpha",
                format!("{}{ci}", stat_text(&r.alpha)),
                "Nominal alpha over all units with two or more ratings; bootstrap 95% interval",
            );
            row(
                "Fleiss' kappa",
                crate::core::agreement::render::fleiss_text(r),
                "Only units rated by every coder count",
            );
            let cohen_name = if r.coder_names.len() == 2 {
                "Cohen's kappa"
            } else {
                "Light's kappa (mean Cohen)"
            };
            row(
                cohen_name,
                stat_text(&r.light.kappa),
                "Pairwise Cohen's kappa (mean over pairs)",
            );
            row(
                "Percent agreement",
                match &r.percent_agreement {
                    Ok(v) => format!("{:.1}%", v * 100.0),
                    Err(u) => format!("undefined: {}", u.reason),
                },
                "Mean share of agreeing coder pairs per unit",
            );
            row(
                "Gwet's AC1",
                stat_text(&r.gwet_ac1),
                "Chance-corrected agreement robust to skewed categories",
            );
        });
}

/// Red (−1) through white (0) to green (1).
fn kappa_color(k: f64, dark: bool) -> Color32 {
    let k = k.clamp(-1.0, 1.0) as f32;
    let base = if dark {
        Color32::from_gray(40)
    } else {
        Color32::WHITE
    };
    let end = if k >= 0.0 {
        Color32::from_rgb(46, 125, 50)
    } else {
        Color32::from_rgb(198, 40, 40)
    };
    base.lerp_to_gamma(end, k.abs())
}

/// The heatmap's cell for coders `a` (row) and `b` (column): their Cohen's kappa, or `None`
/// on the diagonal, which stays blank (a coder's agreement with themself is not a measure,
/// and a 1.00 there read as one).
fn heatmap_kappa(report: &AgreementReport, row: usize, col: usize) -> Option<Stat> {
    if row == col {
        return None;
    }
    let (low, high) = (row.min(col), row.max(col));
    Some(
        report
            .light
            .pairs
            .iter()
            .find(|p| p.a == low && p.b == high)
            .map_or_else(
                || Err(crate::core::agreement::Undefined::new("no pair")),
                |p| p.kappa.clone(),
            ),
    )
}

fn heatmap(ui: &mut Ui, r: &AgreementReport) {
    ui.label(RichText::new("Pairwise Cohen's kappa").strong());
    let n = r.coder_names.len();
    if n < 2 {
        ui.weak("Needs two coders.");
        return;
    }
    let cell = 64.0;
    let label_w = 90.0;
    let (rect, _) = ui.allocate_exact_size(
        vec2(label_w + cell * n as f32, 20.0 + cell * n as f32),
        Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let dark = ui.visuals().dark_mode;
    let text = ui.visuals().text_color();
    let font = egui::FontId::proportional(12.0);
    for (i, name) in r.coder_names.iter().enumerate() {
        let x = rect.min.x + label_w + cell * (i as f32 + 0.5);
        painter.text(
            egui::pos2(x, rect.min.y + 10.0),
            egui::Align2::CENTER_CENTER,
            name,
            font.clone(),
            text,
        );
        let y = rect.min.y + 20.0 + cell * (i as f32 + 0.5);
        painter.text(
            egui::pos2(rect.min.x + label_w - 6.0, y),
            egui::Align2::RIGHT_CENTER,
            name,
            font.clone(),
            text,
        );
    }
    for a in 0..n {
        for b in 0..n {
            let min = egui::pos2(
                rect.min.x + label_w + cell * b as f32,
                rect.min.y + 20.0 + cell * a as f32,
            );
            let cell_rect = egui::Rect::from_min_size(min, vec2(cell - 2.0, cell - 2.0));
            let Some(kappa) = heatmap_kappa(r, a, b) else {
                continue;
            };
            let (fill, label) = match &kappa {
                Ok(k) => (kappa_color(*k, dark), format!("{k:.2}")),
                Err(_) => (ui.visuals().faint_bg_color, "n/a".to_owned()),
            };
            painter.rect_filled(cell_rect, 2.0, fill);
            painter.text(
                cell_rect.center(),
                egui::Align2::CENTER_CENTER,
                label,
                font.clone(),
                text,
            );
        }
    }
}

fn distribution(ui: &mut Ui, f: &FieldResult) {
    ui.label(RichText::new("Labels used by each coder").strong());
    let dist = f.data.distribution();
    let labels: Vec<String> = f.data.matrix.categories().labels().to_vec();
    let coders = dist.len().max(1) as f64;
    let width = 0.8 / coders;
    let charts: Vec<BarChart> = dist
        .iter()
        .enumerate()
        .map(|(c, (name, counts))| {
            let bars = counts
                .iter()
                .enumerate()
                .map(|(i, (label, n))| {
                    Bar::new(
                        i as f64 + (c as f64 - (coders - 1.0) / 2.0) * width,
                        *n as f64,
                    )
                    .width(width * 0.95)
                    .name(format!("{name}: {label}"))
                })
                .collect();
            BarChart::new(name.clone(), bars)
        })
        .collect();
    Plot::new(("distribution", f.data.field.name()))
        .legend(Legend::default())
        .height(220.0)
        .allow_scroll(false)
        .x_axis_formatter(move |mark, _| {
            // Only whole positions carry a category's name.
            let i = mark.value.round();
            let index = usize::try_from(i as i64).ok();
            match index {
                Some(index) if (mark.value - i).abs() < 1e-6 => {
                    labels.get(index).cloned().unwrap_or_default()
                }
                _ => String::new(),
            }
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}

fn span_section(ui: &mut Ui, r: &SpanReport) {
    ui.label(RichText::new("Claims matched between coders").strong());
    ui.weak("Exact: same start and end. Overlap: at least one character in common, each claim matched once. P/R/F1 take the first coder as reference.");
    egui::Grid::new("span-pairs")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in [
                "Coders",
                "Articles",
                "Claims",
                "Exact P / R / F1",
                "Overlap P / R / F1",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            let three = |c: crate::core::agreement::spans::MatchCounts, m| {
                format!(
                    "{} / {} / {}",
                    stat_short(&c.precision(m)),
                    stat_short(&c.recall(m)),
                    stat_short(&c.f1(m))
                )
            };
            for p in &r.pairs {
                ui.label(format!("{} vs {}", p.reference, p.other));
                ui.label(p.articles.to_string());
                ui.label(format!("{} / {}", p.counts.reference, p.counts.other));
                ui.label(three(p.counts, Matching::Exact));
                ui.label(three(p.counts, Matching::Overlap));
                ui.end_row();
            }
        });
    ui.add_space(8.0);
    ui.label(RichText::new("Krippendorff's unitizing alpha (claim boundaries)").strong());
    ui.label(format!(
        "Pooled over {} article(s) every coder finished (all coders at once): {}",
        r.pooled_articles,
        r.pooled_alpha_text()
    ));
    ui.weak("Each pair's αU is pooled over the articles both finished:");
    egui::Grid::new("span-pair-alpha")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for p in &r.pairs {
                ui.label(format!("{} vs {}", p.reference, p.other));
                ui.label(alpha_text(&p.alpha));
                ui.label(if p.article_ids.is_empty() {
                    "no article in common".to_owned()
                } else {
                    p.article_ids.join(", ")
                });
                ui.end_row();
            }
        });
    egui::Grid::new("span-articles")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            for a in &r.articles {
                ui.label(&a.article);
                ui.label(a.coders.join(", "));
                ui.label(alpha_text(&a.alpha));
                ui.end_row();
            }
        });
}

fn stat_short(s: &Stat) -> String {
    s.as_ref()
        .map_or_else(|_| "n/a".to_owned(), |v| format!("{v:.2}"))
}

/// One line per coder: agreement with the others in each week they coded.
fn drift_plot(ui: &mut Ui, f: &FieldResult) {
    ui.label(RichText::new("Drift: agreement with the other coders, by week").strong());
    if f.drift.is_empty() {
        ui.weak("No finished ratings yet.");
        return;
    }
    let weeks: Vec<i64> = f.drift.iter().map(|p| p.week).collect();
    let first = weeks.iter().copied().min().unwrap_or(0);
    Plot::new(("drift", f.data.field.name()))
        .legend(Legend::default())
        .height(180.0)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_formatter(move |mark, _| {
            let w = mark.value.round();
            if (mark.value - w).abs() > 1e-6 {
                return String::new();
            }
            week_start(first + w as i64).map_or_else(String::new, |d| d.format("%d %b").to_string())
        })
        .show(ui, |plot| {
            for (c, name) in f.data.coders.iter().enumerate() {
                let pts: Vec<[f64; 2]> = f
                    .drift
                    .iter()
                    .filter(|p| p.coder == c)
                    .filter_map(|p| {
                        p.agreement
                            .as_ref()
                            .ok()
                            .map(|a| [(p.week - first) as f64, *a])
                    })
                    .collect();
                if pts.len() > 1 {
                    plot.line(Line::new(name.clone(), PlotPoints::from(pts.clone())));
                }
                plot.points(Points::new(name.clone(), PlotPoints::from(pts)).radius(4.0));
            }
        });
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::agreement::{Categories, RatingMatrix, ReportOptions, agreement_report};

    /// Issue 13.16: the heatmap's diagonal showed 1.00, which reads as a measured kappa; it
    /// is blank, and the other cells are the pairs' kappas either way round.
    #[test]
    fn issue13_16_heatmap_diagonal_is_blank() {
        let rows: Vec<Vec<Option<usize>>> = (0..6)
            .map(|u| vec![Some(u % 2), Some(u % 2), Some((u / 2) % 2)])
            .collect();
        let rows: Vec<&[Option<usize>]> = rows.iter().map(Vec::as_slice).collect();
        let categories = Categories::new(["a".to_owned(), "b".to_owned()]).unwrap();
        let m = RatingMatrix::from_rows(&rows, 3, categories).unwrap();
        let r = agreement_report(&m, &[], &ReportOptions::default());
        for c in 0..3 {
            assert!(heatmap_kappa(&r, c, c).is_none(), "diagonal cell {c}");
        }
        assert_eq!(heatmap_kappa(&r, 0, 1), Some(Ok(1.0)));
        assert_eq!(heatmap_kappa(&r, 2, 0), heatmap_kappa(&r, 0, 2));
    }
}
