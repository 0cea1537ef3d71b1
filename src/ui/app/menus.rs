//! The menu bar and the mode tabs: every entry is a [`UiCommand`] (label, shortcut and tooltip
//! from the one table) or opens a dialog.

use egui::Ui;

use super::{Draw, Modal, StanceApp};
use crate::session::{CodeCommand, NavigateCommand, Place, ProjectCommand, ReviewTab};
use crate::ui::settings::Theme;
use crate::ui::shortcuts::UiCommand;

impl StanceApp {
    pub(super) fn menu_bar(&mut self, ui: &mut Ui) {
        self.draw().menu_bar(ui);
    }
}

impl Draw<'_> {
    fn menu_bar(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let item = |ui: &mut Ui, c: UiCommand| -> bool {
            ui.add(egui::Button::new(c.label()).shortcut_text(c.shortcut_text(&ctx)))
                .on_hover_text(c.tooltip())
                .clicked()
        };
        let mut run = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if item(ui, UiCommand::OpenProject) {
                    run.push(UiCommand::OpenProject);
                }
                if ui
                    .button("Import articles…")
                    .on_hover_text(
                        "A text, HTML or Word file, a news database export (Nexis Uni, LexisNexis, Factiva), or a folder of them; each article gets an NNN_<hash> id",
                    )
                    .clicked()
                {
                    self.view.modal = Modal::ImportArticles(String::new());
                }
                if ui
                    .button("Open for review…")
                    .on_hover_text(
                        "An annotation file, an article's folder or a project, side by side with every annotator (or drop it onto the window)",
                    )
                    .clicked()
                {
                    self.view.modal = Modal::OpenForReview(String::new());
                }
                ui.menu_button("Recent projects", |ui| {
                    for p in self.settings.recent_projects.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.view.modal = Modal::None;
                            self.queue.push(ProjectCommand::Open(p));
                        }
                    }
                });
                ui.separator();
                if item(ui, UiCommand::Save) {
                    run.push(UiCommand::Save);
                }
                crate::ui::team_view::sync_menu_item(ui, self.ws, self.queue);
                if ui.button("Switch annotator…").clicked() {
                    self.view.modal = Modal::Name {
                        typed: String::new(),
                        error: None,
                    };
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                for c in [UiCommand::Undo, UiCommand::Redo, UiCommand::Find] {
                    if item(ui, c) {
                        run.push(c);
                    }
                }
            });
            ui.menu_button("Claims", |ui| {
                for c in [
                    UiCommand::MakeClaim,
                    UiCommand::SpanMode,
                    UiCommand::ExtendDown,
                    UiCommand::ExtendUp,
                    UiCommand::Speaker,
                    UiCommand::ToggleUnsure,
                    UiCommand::DeleteClaim,
                    UiCommand::ToggleDone,
                    UiCommand::NextArticle,
                    UiCommand::PrevArticle,
                ] {
                    if item(ui, c) {
                        run.push(c);
                    }
                }
            });
            ui.menu_button("View", |ui| self.view_menu(ui, &mut run));
            ui.separator();
            self.place_tabs(ui);
            if let Some(s) = self.ws.coding() {
                ui.separator();
                let role = if matches!(self.ws.place(), Place::Review(_)) {
                    "Reviewing"
                } else {
                    "Coding"
                };
                ui.label(format!("{role} as {}", s.annotator()))
                    .on_hover_text("File › Switch annotator… to change");
                ui.separator();
                crate::ui::team_view::sync_button(ui, self.ws, self.queue);
            }
        });
        for c in run {
            self.run_ui_command(c);
        }
    }

    fn view_menu(&mut self, ui: &mut Ui, run: &mut Vec<UiCommand>) {
        let ctx = ui.ctx().clone();
        let item = |ui: &mut Ui, c: UiCommand| -> bool {
            ui.add(egui::Button::new(c.label()).shortcut_text(c.shortcut_text(&ctx)))
                .on_hover_text(c.tooltip())
                .clicked()
        };
        for (t, name) in [
            (Theme::System, "System theme"),
            (Theme::Light, "Light"),
            (Theme::Dark, "Dark"),
        ] {
            if ui.radio(self.settings.theme == t, name).clicked() {
                self.settings.theme = t;
                ui.ctx().set_theme(t);
            }
        }
        ui.separator();
        if let Some(s) = self.ws.coding() {
            let mut on = s.suggestions_on();
            if ui
                    .checkbox(&mut on, "Show suggestions")
                    .on_hover_text("Suggested claims from the text and the codebook (y accepts, w dismisses); remembered per annotator")
                    .changed()
                {
                    let name = s.annotator().to_owned();
                    self.settings.suggestions_off.retain(|n| *n != name);
                    if !on {
                        self.settings.suggestions_off.push(name);
                    }
                    self.queue.push(CodeCommand::SetSuggestions(on));
                }
        }
        ui.separator();
        for (tab, name) in [
            (ReviewTab::Validation, "Validation panel"),
            (ReviewTab::Corpus, "Corpus overview"),
        ] {
            if ui.button(name).clicked() {
                self.queue.push(NavigateCommand::Show(Place::Review(tab)));
            }
        }
        ui.separator();
        egui::gui_zoom::zoom_menu_buttons(ui);
        ui.separator();
        if item(ui, UiCommand::Help) {
            run.push(UiCommand::Help);
        }
    }

    /// Coding, Review and Agreement: where the user is.
    fn place_tabs(&mut self, ui: &mut Ui) {
        let here = self.ws.place();
        for (place, name, tip) in [
            (Place::Coding, "Coding", "Code the article"),
            (
                Place::Review(self.ws.review_tab()),
                "Review",
                "Every annotator's claims on this article: accept, reject, comment",
            ),
            (
                Place::Agreement,
                "Agreement",
                "Agreement between annotators over the project",
            ),
            (
                Place::Plan,
                "Plan",
                "The team plan: coders, the reliability sample, who codes what (editors change it here)",
            ),
        ] {
            let selected = match place {
                Place::Review(_) => matches!(here, Place::Review(_)),
                other => here == other,
            };
            if ui
                .add(egui::Button::selectable(selected, name))
                .on_hover_text(tip)
                .clicked()
            {
                self.queue.push(NavigateCommand::Show(place));
            }
        }
    }
}
