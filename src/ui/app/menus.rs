//! The menu bar and the mode tabs: every entry is a [`UiCommand`] (label, shortcut and tooltip
//! from the one table) or opens a dialog.

use egui::Ui;

use super::{Mode, StanceApp};
use crate::session::Command;
use crate::ui::settings::Theme;
use crate::ui::shortcuts::UiCommand;

impl StanceApp {
    pub(super) fn menu_bar(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        let ctx = ui.ctx().clone();
        let item = |ui: &mut Ui, c: UiCommand| -> bool {
            ui.add(egui::Button::new(c.label()).shortcut_text(c.shortcut_text(&ctx)))
                .on_hover_text(c.tooltip())
                .clicked()
        };
        let mut run = Vec::new();
        let mut run_cmds = Vec::new();
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
                    self.view.import_path = Some(String::new());
                }
                if ui
                    .button("Open for review…")
                    .on_hover_text(
                        "An annotation file, an article's folder or a project, side by side with every annotator (or drop it onto the window)",
                    )
                    .clicked()
                {
                    self.view.review_path = Some(String::new());
                }
                ui.menu_button("Recent projects", |ui| {
                    for p in self.settings.recent_projects.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.view.open_path = None;
                            self.open_project(p);
                        }
                    }
                });
                ui.separator();
                if item(ui, UiCommand::Save) {
                    run.push(UiCommand::Save);
                }
                if ui.button("Switch annotator…").clicked() {
                    self.view.name_prompt = Some(String::new());
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
            ui.menu_button("View", |ui| self.view_menu(ui, &mut run, &mut run_cmds));
            ui.separator();
            self.mode_tabs(ui, &mut run_cmds);
            if let Some(s) = &self.session {
                ui.separator();
                let role = if self.view.mode == Mode::Review {
                    "Reviewing"
                } else {
                    "Coding"
                };
                ui.label(format!("{role} as {}", s.annotator()))
                    .on_hover_text("File › Switch annotator… to change");
            }
        });
        for c in run {
            self.run_ui_command(c, out);
        }
        out.extend(run_cmds);
    }

    fn view_menu(&mut self, ui: &mut Ui, run: &mut Vec<UiCommand>, run_cmds: &mut Vec<Command>) {
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
        if let Some(s) = &self.session {
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
                    run_cmds.push(Command::SetSuggestions(on));
                }
        }
        ui.separator();
        for (tab, name) in [
            (crate::ui::review::Tab::Validation, "Validation panel"),
            (crate::ui::review::Tab::Corpus, "Corpus overview"),
        ] {
            if ui.button(name).clicked() {
                self.view.desk.tab = tab;
                self.set_mode(Mode::Review, run_cmds);
            }
        }
        ui.separator();
        egui::gui_zoom::zoom_menu_buttons(ui);
        ui.separator();
        if item(ui, UiCommand::Help) {
            run.push(UiCommand::Help);
        }
    }

    fn mode_tabs(&mut self, ui: &mut Ui, out: &mut Vec<Command>) {
        for (mode, name, tip) in [
            (Mode::Coding, "Coding", "Code the article"),
            (
                Mode::Review,
                "Review",
                "Every annotator's claims on this article: accept, reject, comment",
            ),
            (
                Mode::Agreement,
                "Agreement",
                "Agreement between annotators over the project",
            ),
        ] {
            if ui
                .add(egui::Button::selectable(self.view.mode == mode, name))
                .on_hover_text(tip)
                .clicked()
            {
                self.set_mode(mode, out);
            }
        }
    }
}
