//! The Plan tab: the team plan (`project.ron`) as a paper would report it — coders, editors,
//! training articles, the reliability sample with its rule and inputs (the Lacy–Riffe formula
//! with its numbers), each coder's articles with how far they got — and, for an editor, the
//! changes `stance assign` makes: coders, editors and training articles to add, the sample's
//! rule, blind coding, and "Assign articles". Thin: the workspace reads, assigns and saves.

use egui::{RichText, Ui};

use crate::core::team::plan::{Role, SampleSize, trim_number};
use crate::core::team::queue::WorkState;
use crate::core::team::sample_size::{self, LacyRiffeInputs};
use crate::session::plan::{PlanDraft, PlanView, RuleChoice};
use crate::session::{NavigateCommand, Place, PlanCommand, Session, Workspace};
use crate::ui::Queue;

/// What the tab asks of the window beyond commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open the import-articles dialog.
    ImportArticles,
}

/// Draws the plan as it stands (the tab's main part).
pub fn show(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) {
    let Some(session) = ws.coding() else { return };
    ui.horizontal(|ui| {
        ui.heading("Plan");
        if ui
            .button("Reload plan")
            .on_hover_text("Read project.ron and every coder's progress again")
            .clicked()
        {
            queue.push(PlanCommand::Load);
        }
        if ws.plan_busy() {
            ui.spinner();
        }
    });
    if let Some(e) = ws.plan_error() {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    egui::ScrollArea::vertical()
        .id_salt("plan")
        .auto_shrink([false, false])
        .show(ui, |ui| match ws.plan() {
            Some(v) => plan(ui, session, v, queue),
            None => {
                ui.label(
                    "This project has no plan yet (project.ron). Name the coders, choose how large the reliability sample is, and assign the articles: every coder codes the training articles and the sample, and the other articles are dealt out between them.",
                );
            }
        });
}

/// The editor's side of the tab: the changes to make and what the last assignment did.
pub fn changes(ui: &mut Ui, ws: &Workspace, queue: &mut Queue) -> Option<Action> {
    let session = ws.coding()?;
    let mut action = None;
    egui::ScrollArea::vertical()
        .id_salt("plan-changes")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading("Change the plan");
            let may_edit = ws.plan().is_none_or(PlanView::may_edit);
            if may_edit {
                if editor_form(ui, ws, session, queue) {
                    action = Some(Action::ImportArticles);
                }
            } else if let Some(v) = ws.plan() {
                ui.weak(format!(
                    "Only the plan's editors ({}) change it.",
                    v.plan.editors.join(", ")
                ));
            }
            let (lines, failed) = ws.plan_message();
            for l in lines {
                if failed {
                    ui.colored_label(ui.visuals().error_fg_color, l);
                } else {
                    ui.label(l);
                }
            }
        });
    action
}

/// The plan as it stands.
fn plan(ui: &mut Ui, session: &Session, v: &PlanView, queue: &mut Queue) {
    let p = &v.plan;
    let heading = |id: &str| {
        session
            .project()
            .article(id)
            .map_or_else(|| id.to_owned(), |a| a.heading().to_owned())
    };
    egui::Grid::new("plan-people")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Coders");
            ui.label(if p.coders.is_empty() {
                "none yet".to_owned()
            } else {
                p.coders.join(", ")
            });
            ui.end_row();
            ui.label("Editors");
            ui.label(if p.editors.is_empty() {
                "none".to_owned()
            } else {
                p.editors.join(", ")
            });
            ui.end_row();
            ui.label("Blind coding");
            ui.label(if p.blind {
                if v.sample_complete {
                    "on, ended: the sample is done"
                } else {
                    "on: coders see only their own files until the sample is done"
                }
            } else {
                "off"
            });
            ui.end_row();
            ui.label("Thresholds");
            ui.label(format!(
                "α_min {}, tentative {}",
                trim_number(p.thresholds.alpha_min),
                trim_number(p.thresholds.tentative)
            ));
            ui.end_row();
        });
    ui.add_space(6.0);
    ui.label(RichText::new("Training articles").strong());
    if p.training.is_empty() {
        ui.weak("none");
    }
    for t in &p.training {
        ui.label(format!("{} ({t})", heading(t)));
    }
    ui.add_space(6.0);
    sample(ui, v, &heading);
    if v.unplanned > 0 {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "{} in seeds/ not in the plan yet: Assign articles deals them out.",
                articles(v.unplanned)
            ),
        );
    }
    ui.add_space(6.0);
    coders_articles(ui, v, &heading, queue);
}

/// Each coder's articles in their queue's order, with role and state (the viewer's own can
/// be opened from here).
fn coders_articles(ui: &mut Ui, v: &PlanView, heading: &dyn Fn(&str) -> String, queue: &mut Queue) {
    ui.label(RichText::new("Each coder's articles").strong());
    for q in &v.queues {
        let progress = v.progress.iter().find(|p| p.coder == q.coder);
        let (done, all) = progress.map_or((0, 0), |p| (p.done, p.assigned));
        egui::CollapsingHeader::new(format!("{}: {done} of {all} done", q.coder))
            .id_salt(("plan-coder", &q.coder))
            .default_open(v.queues.len() <= 4)
            .show(ui, |ui| {
                if let Some(p) = progress {
                    let part = |r: Role| {
                        let (d, a) = p.role(r);
                        format!("{} {d} of {a}", r.word())
                    };
                    ui.weak(format!(
                        "{}, {}, {}",
                        part(Role::Training),
                        part(Role::Sample),
                        part(Role::Assigned)
                    ));
                }
                for item in &q.items {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "{} — {} — {}",
                            heading(&item.article),
                            item.role.word(),
                            item.state.word()
                        ));
                        if let WorkState::Unreadable(e) = &item.state {
                            ui.colored_label(ui.visuals().error_fg_color, e);
                        }
                        if q.coder == v.viewer
                            && item.state != WorkState::Done
                            && ui.small_button("Open").clicked()
                        {
                            queue.push(NavigateCommand::OpenArticle(item.article.clone()));
                            queue.push(NavigateCommand::Show(Place::Coding));
                        }
                    });
                }
            });
    }
}

/// The reliability sample: its size, the rule and its inputs (the formula for Lacy–Riffe),
/// the seed, and the articles drawn.
fn sample(ui: &mut Ui, v: &PlanView, heading: &dyn Fn(&str) -> String) {
    let s = &v.plan.sample;
    ui.label(RichText::new("Reliability sample").strong());
    ui.label(format!(
        "{}, every coder codes them; seed {}",
        articles(s.articles.len()),
        s.seed
    ));
    if let SampleSize::LacyRiffe(r) = &s.size {
        ui.label("Rule: Lacy & Riffe (1996), from the agreement assumed");
        ui.label(RichText::new(&r.formula).monospace());
        egui::Grid::new("plan-lacy-riffe")
            .num_columns(2)
            .show(ui, |ui| {
                for (name, value) in [
                    ("population N", r.population.to_string()),
                    ("assumed agreement P", trim_number(r.assumed_agreement)),
                    ("tolerance", trim_number(r.tolerance)),
                    ("confidence", trim_number(r.confidence)),
                    ("z (one-tailed)", format!("{:.4}", r.z)),
                    ("SE = tolerance / z", format!("{:.5}", r.standard_error)),
                    ("n (rounded up)", r.n.to_string()),
                ] {
                    ui.label(name);
                    ui.label(value);
                    ui.end_row();
                }
            });
    } else {
        ui.label(format!("Rule: {}", s.size.describe()));
    }
    egui::CollapsingHeader::new(format!("The sample's {}", articles(s.articles.len())))
        .id_salt("plan-sample-articles")
        .show(ui, |ui| {
            for a in &s.articles {
                ui.label(format!("{} ({a})", heading(a)));
            }
        });
}

/// "1 article", "3 articles".
fn articles(n: usize) -> String {
    format!("{n} article{}", if n == 1 { "" } else { "s" })
}

/// The editor's changes: who to add, training articles, the sample's rule, blind coding,
/// and the button that runs the assignment. Whether "Import articles…" was clicked.
fn editor_form(ui: &mut Ui, ws: &Workspace, session: &Session, queue: &mut Queue) -> bool {
    let before = ws.plan_draft();
    let mut d = before.clone();
    let plan = ws.plan().map(|v| &v.plan);
    let mut import = false;
    names_row(ui, &mut d, false);
    names_row(ui, &mut d, true);
    if let Some(why) = &d.refused {
        ui.colored_label(ui.visuals().error_fg_color, why);
    }
    ui.horizontal(|ui| {
        let label = ui.label("Training article");
        egui::ComboBox::from_id_salt("plan-training")
            .selected_text("add one…")
            .width(320.0)
            .show_ui(ui, |ui| {
                for a in &session.project().articles {
                    let taken = d.training.contains(&a.id)
                        || plan.is_some_and(|p| p.is_training(&a.id) || p.in_sample(&a.id));
                    if !taken && ui.selectable_label(false, a.heading()).clicked() {
                        d.training.push(a.id.clone());
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if ui
            .button("Import articles…")
            .on_hover_text("Add articles to seeds/; Assign articles then deals them out")
            .clicked()
        {
            import = true;
        }
    });
    if !d.training.is_empty() {
        ui.label(format!(
            "Training articles to add: {}",
            d.training.join(", ")
        ));
    }
    let candidates = session.project().articles.len()
        - session
            .project()
            .articles
            .iter()
            .filter(|a| d.training.contains(&a.id) || plan.is_some_and(|p| p.is_training(&a.id)))
            .count();
    rule_form(ui, &mut d, plan.is_some(), candidates);
    ui.horizontal(|ui| {
        let mut blind = d.blind.unwrap_or_else(|| plan.is_some_and(|p| p.blind));
        if ui
            .checkbox(&mut blind, "Blind coding")
            .on_hover_text(
                "Coders see only their own files in Review and Agreement until every coder has finished the reliability sample; editors see everything",
            )
            .changed()
        {
            d.blind = Some(blind);
        }
        if plan.is_none() {
            let label = ui.label("seed");
            ui.add(
                egui::TextEdit::singleline(&mut d.seed)
                    .hint_text("1")
                    .desired_width(60.0),
            )
            .labelled_by(label.id);
        }
    });
    let button = ui
        .add_enabled(!ws.plan_busy(), egui::Button::new("Assign articles"))
        .on_hover_text(
            "Run stance assign: draw the sample, deal the other articles out balanced, and save project.ron. Extending a plan keeps the sample and every assignment, and never takes an article from a coder who started it",
        );
    if d != *before {
        queue.push(PlanCommand::EditDraft(Box::new(d)));
    }
    if button.clicked() {
        queue.push(PlanCommand::Assign);
    }
    import
}

/// A name field with its Add button and the names to add so far (`editor`: editors).
fn names_row(ui: &mut Ui, d: &mut PlanDraft, editor: bool) {
    let (what, button) = if editor {
        ("Editor name", "Add editor")
    } else {
        ("Coder name", "Add coder")
    };
    ui.horizontal(|ui| {
        let label = ui.label(what);
        let field = if editor { &mut d.editor } else { &mut d.coder };
        let r = ui
            .add(egui::TextEdit::singleline(field).desired_width(160.0))
            .labelled_by(label.id);
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(button).clicked() || enter {
            d.take_typed(editor);
        }
        let list = if editor { &d.editors } else { &d.coders };
        if !list.is_empty() {
            ui.label(format!("to add: {}", list.join(", ")));
        }
    });
}

/// The sample's rule: keep, a share, a count, or Lacy & Riffe with its inputs and the size
/// they give now.
fn rule_form(ui: &mut Ui, d: &mut PlanDraft, has_plan: bool, candidates: usize) {
    ui.horizontal(|ui| {
        ui.label("Sample size");
        if has_plan {
            ui.radio_value(&mut d.rule, RuleChoice::Keep, "Keep the plan's rule");
        }
        ui.radio_value(&mut d.rule, RuleChoice::Share, "Share");
        ui.radio_value(&mut d.rule, RuleChoice::Count, "Count");
        ui.radio_value(&mut d.rule, RuleChoice::LacyRiffe, "Lacy & Riffe (1996)");
    });
    let field = |ui: &mut Ui, name: &str, text: &mut String, hint: &str| {
        let label = ui.label(name);
        ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(70.0),
        )
        .labelled_by(label.id);
    };
    match d.rule {
        RuleChoice::Keep => {}
        RuleChoice::Share => {
            ui.horizontal(|ui| field(ui, "share of the articles", &mut d.share, "0.1"));
        }
        RuleChoice::Count => {
            ui.horizontal(|ui| field(ui, "articles", &mut d.count, "20"));
        }
        RuleChoice::LacyRiffe => {
            ui.horizontal(|ui| {
                field(ui, "assumed agreement", &mut d.assumed_agreement, "0.9");
                field(ui, "tolerance", &mut d.tolerance, "0.05");
                field(ui, "confidence", &mut d.confidence, "0.95");
                field(ui, "population", &mut d.population, "the articles");
            });
            ui.weak("n = ((N−1)·SE² + P·Q·N) / ((N−1)·SE² + P·Q), Q = 1 − P, SE = tolerance / z, z one-tailed; n rounded up");
            if let Some(n) = preview(d, candidates) {
                ui.label(n);
            }
        }
    }
}

/// What the Lacy–Riffe inputs typed give, when they are numbers (the population: as typed,
/// else the `candidates`, the articles the sample is drawn from).
fn preview(d: &PlanDraft, candidates: usize) -> Option<String> {
    let population: usize = match d.population.trim() {
        "" => candidates,
        p => p.parse().ok()?,
    };
    let inputs = LacyRiffeInputs {
        population,
        assumed_agreement: d.assumed_agreement.trim().parse().ok()?,
        tolerance: d.tolerance.trim().parse().ok()?,
        confidence: d.confidence.trim().parse().ok()?,
    };
    Some(match sample_size::lacy_riffe(inputs) {
        Ok(r) => format!(
            "With these inputs: z = {:.4}, SE = {:.5}, n = {} of {population}",
            r.z, r.standard_error, r.n
        ),
        Err(e) => e.0,
    })
}
