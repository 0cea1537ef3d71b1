//! The eframe app: panels, keys, dialogs; routes every edit to [`Session::handle`].

use std::path::{Path, PathBuf};
use std::time::Instant;

use egui::{Panel, Ui};

use crate::core::annotation::Status;

use crate::session::{Command, Session};
use crate::ui::dialogs::{self, Outcome, SpeakerFinder};
use crate::ui::settings::{STORAGE_KEY, Settings};
use crate::ui::shortcuts::{UiCommand, key_for_char};
use crate::ui::{
    agreement_view, article_list, article_view, claim_list, inspector, recovery, status_bar,
};

mod menus;
mod navigate;

/// Which view fills the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Coding one article.
    #[default]
    Coding,
    /// Every annotator's claims on the article, for an editor to review.
    Review,
    /// Agreement between annotators over the project.
    Agreement,
}

/// Runtime state of the window that is not part of the session and is not persisted.
#[allow(clippy::struct_excessive_bools)] // independent flags of independent panels and dialogs
#[derive(Default)]
pub struct ViewState {
    /// The find bar is shown.
    pub find_open: bool,
    focus_find: bool,
    /// The speaker finder, while open.
    pub speaker: Option<SpeakerFinder>,
    /// The help overlay is shown.
    pub help_open: bool,
    /// The "who is coding" prompt, while open (what has been typed).
    pub name_prompt: Option<String>,
    name_error: Option<String>,
    /// The open-project prompt, while open.
    pub open_path: Option<String>,
    /// The import-article prompt, while open.
    pub import_path: Option<String>,
    /// The "Open for review" prompt's path while it is open.
    pub review_path: Option<String>,
    /// Quitting was asked for with unsaved gold decisions: ask what to do with them.
    gold_quit_prompt: bool,
    /// The editor chose to quit without saving gold.
    quit_without_gold: bool,
    /// The span selector is shown for the current sentence.
    pub span_mode: bool,
    focus_note: bool,
    layout: article_view::ArticleLayout,
    title: String,
    /// Which view is shown.
    pub mode: Mode,
    agreement: Option<agreement_view::AgreementState>,
    review: Option<crate::session::review::ReviewSession>,
    review_comments: std::collections::HashMap<(String, String), String>,
    /// Review mode's tabs besides side by side: gold, questions, validation, corpus.
    desk: crate::ui::review::Desk,
    /// Editors' verdicts and answers shown to the coder.
    feedback: crate::ui::feedback_view::FeedbackState,
    /// Whether the window had focus last frame: regaining it checks the file on disk.
    was_focused: Option<bool>,
    /// The fonts were set up (see [`install_fonts`]).
    fonts_ready: bool,
    /// A text field had the keyboard at the end of the last frame.
    was_typing: bool,
    /// Span mode just opened: its field takes the keyboard, the selection starts empty.
    focus_span: bool,
    /// Enter was pressed in span mode: make the claim of the selection.
    span_commit: bool,
    /// Span mode's word keys pressed this frame, in order.
    span_keys: Vec<UiCommand>,
}

/// egui's default fonts, with the monospace font (Hack) as a fallback of the proportional
/// one: Ubuntu Light has no arrows, and shortcuts (`Shift+↓`) show in menus, tooltips and
/// the help overlay in proportional text. A missing glyph would otherwise stop the window.
fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(family) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        family.push("Hack".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// The Stance window.
pub struct StanceApp {
    settings: Settings,
    root: PathBuf,
    session: Option<Session>,
    /// Why the project could not be opened, if it could not.
    error: Option<String>,
    view: ViewState,
    /// The welcome page, while the window has no project yet.
    welcome: Option<crate::ui::welcome::Welcome>,
}

impl StanceApp {
    /// Creates the app from eframe's creation context (restoring settings).
    pub fn new(cc: &eframe::CreationContext<'_>, options: crate::ui::WindowOptions) -> Self {
        let mut settings = Settings::load(cc.storage);
        if let Some(name) = options.annotator {
            settings.annotator = Some(name);
        }
        cc.egui_ctx.set_theme(settings.theme);
        let Some(root) = options.root else {
            return Self::welcome(settings, crate::ui::welcome::Welcome::new());
        };
        let mut app = Self::with_settings(settings, root);
        if let (Some(id), Some(s)) = (options.article, &mut app.session) {
            match s.project().articles.iter().position(|a| a.id == id) {
                Some(i) => s.handle(Command::OpenArticle(i)),
                None => app.error = Some(format!("no article `{id}` in this project")),
            }
        }
        if options.review {
            app.set_mode(Mode::Review, &mut Vec::new());
        }
        app
    }

    /// Creates the app with given settings (tests use this to skip storage).
    pub fn with_settings(settings: Settings, root: PathBuf) -> Self {
        let mut app = Self {
            settings,
            root: root.clone(),
            session: None,
            error: None,
            view: ViewState::default(),
            welcome: None,
        };
        app.open_project(root);
        app
    }

    /// The window with no project: its welcome page (tests pass their own data folder).
    pub fn welcome(settings: Settings, welcome: crate::ui::welcome::Welcome) -> Self {
        Self {
            settings,
            root: PathBuf::new(),
            session: None,
            error: None,
            view: ViewState::default(),
            welcome: Some(welcome),
        }
    }

    /// The central page while no session is open: the welcome page (no project yet), or why
    /// the project could not be opened.
    fn no_session_page(&mut self, ui: &mut Ui) {
        if let Some(welcome) = &self.welcome {
            let mut action = None;
            egui::CentralPanel::default().show(ui, |ui| {
                action = crate::ui::welcome::show(ui, welcome, &self.settings.recent_projects);
            });
            if let Some(action) = action {
                self.welcome_action(action);
            }
            return;
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Stance");
            match &self.error {
                Some(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                None => {
                    ui.label("Tell Stance who is coding to begin.");
                }
            }
            if ui.button("Open project…").clicked() {
                self.view.open_path = Some(self.root.display().to_string());
            }
        });
    }

    /// Acts on the welcome page's choice: a project (the sample, made first) is opened and the
    /// page goes away; a failure is shown on the page.
    fn welcome_action(&mut self, action: crate::ui::welcome::Action) {
        use crate::ui::welcome::Action;
        let root = match action {
            Action::Browse => {
                self.view.open_path = Some(String::new());
                return;
            }
            Action::Open(root) => root,
            Action::CreateSample(parent) => {
                match crate::core::project::sample::write_sample(&parent) {
                    Ok(root) => root,
                    Err(e) => {
                        if let Some(w) = &mut self.welcome {
                            w.error = Some(format!("Could not create the sample project: {e}"));
                        }
                        return;
                    }
                }
            }
        };
        self.open_project(root);
    }

    /// The session, once a project is open and the coder has said who they are.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Settings as they would be saved now.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Why the last project could not be opened.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The status bar; in review mode it names the review file verdicts go to.
    fn status_bar(&self, ui: &mut Ui) {
        let review = (self.view.mode == Mode::Review)
            .then_some(self.view.review.as_ref())
            .flatten()
            .map(|r| (r.path.as_path(), r.dirty));
        status_bar::show(ui, self.session.as_ref(), review, self.error.as_deref());
    }

    fn open_project(&mut self, root: PathBuf) {
        if let Some(s) = &mut self.session
            && !s.flush()
        {
            // Never leave unsaved edits behind: the notice in the status bar says why.
            return;
        }
        self.root.clone_from(&root);
        let Some(name) = self.settings.annotator.clone() else {
            self.session = None;
            self.welcome = None;
            self.view.name_prompt = Some(String::new());
            return;
        };
        match Session::open(&root, &name) {
            Ok(mut s) => {
                s.handle(Command::SetSuggestions(
                    !self.settings.suggestions_off.contains(&name),
                ));
                self.session = Some(s);
                self.error = None;
                self.settings.remember_project(root);
            }
            Err(e) => self.error = Some(format!("Could not open {}: {e}", root.display())),
        }
        if let Some(w) = &mut self.welcome {
            if self.session.is_some() {
                self.welcome = None;
            } else {
                w.error.clone_from(&self.error);
            }
        }
    }

    /// The frame's commands go to the session; whether a text field has the keyboard is
    /// remembered for the next frame's keys (see `handle_keys`).
    fn end_frame(&mut self, ctx: &egui::Context, cmds: Vec<Command>) {
        self.send(cmds);
        self.view.was_typing = ctx.egui_wants_keyboard_input();
    }

    fn send(&mut self, cmds: Vec<Command>) {
        if let Some(s) = &mut self.session {
            for c in cmds {
                s.handle(c);
            }
        }
    }

    /// Turns a shortcut into commands or view changes.
    fn run_ui_command(&mut self, c: UiCommand, out: &mut Vec<Command>) {
        let target_count = self
            .session
            .as_ref()
            .map_or(0, |s| s.codebook().targets.len());
        match c {
            UiCommand::NextSentence => out.push(Command::MoveCursor(1)),
            UiCommand::PrevSentence => out.push(Command::MoveCursor(-1)),
            UiCommand::MakeClaim if self.view.span_mode => self.view.span_commit = true,
            UiCommand::MakeClaim => out.push(Command::MakeClaim),
            UiCommand::SpanWordLeft
            | UiCommand::SpanWordRight
            | UiCommand::SpanExtendLeft
            | UiCommand::SpanExtendRight => self.move_span(c),
            UiCommand::ExtendDown => out.push(Command::ExtendClaim(1)),
            UiCommand::ExtendUp => out.push(Command::ExtendClaim(-1)),
            UiCommand::NextClaim => out.push(Command::StepClaim(1)),
            UiCommand::PrevClaim => out.push(Command::StepClaim(-1)),
            UiCommand::Speaker => {
                if self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.selected_claim().is_some())
                {
                    self.view.speaker = Some(SpeakerFinder::default());
                }
            }
            UiCommand::SuggestedSpeaker => {
                let first = self.session.as_ref().map(|s| {
                    (
                        s.selected_claim().is_some(),
                        s.suggested_speakers().into_iter().next(),
                    )
                });
                match first {
                    Some((true, Some(speaker))) => out.push(Command::SetSpeaker(Some(speaker))),
                    // Nothing to offer: choose in the finder.
                    Some((true, None)) => self.view.speaker = Some(SpeakerFinder::default()),
                    // No claim: the session says to make one first.
                    _ => out.push(Command::SetSpeaker(None)),
                }
            }
            UiCommand::EditNote => self.view.focus_note = true,
            UiCommand::SpanMode => {
                self.view.span_mode = !self.view.span_mode;
                self.view.focus_span = self.view.span_mode;
            }
            UiCommand::CycleTarget => {
                if let Some(s) = &self.session
                    && target_count > 0
                {
                    out.push(Command::SetActiveTarget(
                        (s.active_target() + 1) % target_count,
                    ));
                }
            }
            UiCommand::ToggleUnsure => out.push(Command::ToggleUnsure),
            UiCommand::DeleteClaim => out.push(Command::DeleteClaim),
            UiCommand::ToggleDone => {
                if let Some(s) = &self.session {
                    let next = match s.document().file.status {
                        Status::Done => Status::InProgress,
                        Status::InProgress => Status::Done,
                    };
                    out.push(Command::SetStatus(next));
                }
            }
            UiCommand::Undo => out.push(Command::Undo),
            UiCommand::Redo => out.push(Command::Redo),
            UiCommand::Save => out.push(Command::Save),
            UiCommand::Find => {
                self.view.find_open = true;
                self.view.focus_find = true;
            }
            UiCommand::FindNext => out.push(Command::FindStep(1)),
            UiCommand::FindPrev => out.push(Command::FindStep(-1)),
            UiCommand::NextArticle | UiCommand::PrevArticle => {
                if let Some(s) = &self.session {
                    let n = s.project().articles.len();
                    let i = s.article_index();
                    let next = if c == UiCommand::NextArticle {
                        (i + 1).min(n - 1)
                    } else {
                        i.saturating_sub(1)
                    };
                    out.push(Command::OpenArticle(next));
                }
            }
            UiCommand::AcceptSuggestion => out.push(Command::AcceptSuggestion),
            UiCommand::DismissSuggestion => out.push(Command::DismissSuggestion),
            UiCommand::OpenProject => self.view.open_path = Some(self.root.display().to_string()),
            UiCommand::Help => self.view.help_open = !self.view.help_open,
            UiCommand::Escape => {
                if self.view.find_open {
                    self.view.find_open = false;
                } else if self.view.span_mode {
                    self.view.span_mode = false;
                } else {
                    out.push(Command::SelectClaim(None));
                }
            }
        }
    }

    /// Keys: window shortcuts from the table, then the codebook's one-key labels.
    #[allow(clippy::too_many_lines)] // one pass over the contexts keys can act in
    fn handle_keys(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let modal_open = self.view.speaker.is_some()
            || self.view.name_prompt.is_some()
            || self.view.open_path.is_some()
            || self.view.import_path.is_some()
            || self.view.review_path.is_some()
            || self.view.gold_quit_prompt
            || self
                .session
                .as_ref()
                .is_some_and(|s| s.has_conflict() || s.restore_offer().is_some());
        // The agreement view has no keyboard commands of its own yet; keys must not edit the
        // hidden coding view.
        if modal_open || self.view.mode != Mode::Coding {
            return;
        }
        if self.view.help_open {
            if ctx.input_mut(|i| {
                i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)
                    || i.consume_key(egui::Modifiers::NONE, egui::Key::F1)
            }) {
                self.view.help_open = false;
            }
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        // Escape in a text field (the note): egui takes the keyboard from the field as the
        // frame begins, so it is no longer focused here. That Escape closes the field and
        // does nothing more; the next one clears the selection.
        if self.view.was_typing
            && !typing
            && !self.view.find_open
            && !self.view.span_mode
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            return;
        }
        for c in UiCommand::consume_pressed(ctx, typing, self.view.span_mode) {
            self.run_ui_command(c, out);
        }
        if typing {
            return;
        }
        let Some(s) = &self.session else { return };
        let cb = s.codebook();
        let pressed = |c: char| {
            key_for_char(c)
                .is_some_and(|k| ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, k)))
        };
        for (i, t) in cb.targets.iter().enumerate() {
            if pressed(t.key) {
                out.push(Command::SetActiveTarget(i));
            }
        }
        if let Some(target) = cb.targets.get(s.active_target()) {
            for l in &cb.stances {
                if pressed(l.key) {
                    out.push(Command::ToggleStance {
                        target: target.id.clone(),
                        stance: l.id.clone(),
                    });
                }
            }
        }
        for l in &cb.source_types {
            if pressed(l.key) {
                let on =
                    s.selected_claim().and_then(|c| c.source.as_deref()) == Some(l.id.as_str());
                out.push(Command::SetSource(if on {
                    None
                } else {
                    Some(l.id.clone())
                }));
            }
        }
    }

    fn dialogs(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        if let Some(name) = &mut self.view.name_prompt
            && let Outcome::Done(n) =
                dialogs::annotator_prompt(ctx, name, self.view.name_error.as_deref())
        {
            match crate::core::names::validate_person(&n) {
                Ok(_) => {
                    self.view.name_prompt = None;
                    self.view.name_error = None;
                    if let Some(s) = &self.session {
                        if s.annotator() != n {
                            out.push(Command::SwitchAnnotator(n.clone()));
                        }
                        self.settings.annotator = Some(n);
                    } else {
                        self.settings.annotator = Some(n);
                        self.open_project(self.root.clone());
                    }
                }
                Err(e) => self.view.name_error = Some(e.to_string()),
            }
        }
        if let (Some(f), Some(s)) = (&mut self.view.speaker, &self.session) {
            match dialogs::speaker_finder(ctx, s, f) {
                Outcome::Open => {}
                Outcome::Cancelled => self.view.speaker = None,
                Outcome::Done(sp) => {
                    out.push(Command::SetSpeaker(Some(sp)));
                    self.view.speaker = None;
                }
            }
        }
        if self.view.help_open {
            self.view.help_open = dialogs::help(ctx, self.session.as_ref());
        }
        if let Some(p) = &mut self.view.open_path {
            match dialogs::path_prompt(
                ctx,
                "Open project",
                "Project folder",
                p,
                dialogs::Pick::Folder,
            ) {
                Outcome::Open => {}
                Outcome::Cancelled => self.view.open_path = None,
                Outcome::Done(path) => {
                    self.view.open_path = None;
                    self.open_project(path);
                }
            }
        }
        if let Some(p) = &mut self.view.import_path {
            match dialogs::path_prompt(
                ctx,
                "Import articles",
                "Article file (.txt, .html, .docx, news export) or a folder of them",
                p,
                dialogs::Pick::File("Articles", &["txt", "html", "htm", "docx"]),
            ) {
                Outcome::Open => {}
                Outcome::Cancelled => self.view.import_path = None,
                Outcome::Done(path) => {
                    self.view.import_path = None;
                    self.import_article(&path);
                }
            }
        }
        if let Some(p) = &mut self.view.review_path {
            match dialogs::path_prompt(
                ctx,
                "Open for review",
                "Annotation file (.ron), article folder or project folder",
                p,
                dialogs::Pick::File("Annotation", &["ron"]),
            ) {
                Outcome::Open => {}
                Outcome::Cancelled => self.view.review_path = None,
                Outcome::Done(path) => {
                    self.view.review_path = None;
                    self.open_for_review(&[path]);
                }
            }
        }
        if let Some(s) = &self.session
            && s.has_conflict()
        {
            dialogs::conflict(ctx, s, out);
        }
        if let Some(s) = &self.session
            && let Some(offer) = s.restore_offer()
        {
            recovery::restore_prompt(ctx, s, offer, out);
        }
        if self.view.gold_quit_prompt {
            self.gold_quit_prompt(ctx);
        }
    }

    /// Asks what to do with unsaved gold decisions when the window is closing.
    fn gold_quit_prompt(&mut self, ctx: &egui::Context) {
        use crate::ui::review::gold::QuitChoice;
        let Some((article, walk)) = &mut self.view.desk.walk else {
            self.view.gold_quit_prompt = false;
            return;
        };
        match crate::ui::review::gold::quit_prompt(ctx, article, walk) {
            Some(QuitChoice::SaveAndQuit) => match walk.save() {
                Ok(_) => {
                    self.view.gold_quit_prompt = false;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Err(e) => self.error = Some(e),
            },
            Some(QuitChoice::QuitWithoutSaving) => {
                self.view.gold_quit_prompt = false;
                self.view.quit_without_gold = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(QuitChoice::Stay) => self.view.gold_quit_prompt = false,
            None => {}
        }
    }

    /// Imports the articles of a file, or of every file in a folder, then opens the first new
    /// one (or the one that already had that text).
    fn import_article(&mut self, path: &Path) {
        use crate::core::interchange::articles::{self, Outcome};
        let files: Vec<std::path::PathBuf> = if path.is_dir() {
            let mut f: Vec<_> = std::fs::read_dir(path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            f.sort();
            f
        } else {
            vec![path.to_owned()]
        };
        match articles::import_articles(&self.root, &files) {
            Ok(outcomes) => {
                self.open_project(self.root.clone());
                let first = outcomes
                    .iter()
                    .map(|o| match o {
                        Outcome::Added { id, .. } | Outcome::AlreadyThere { id, .. } => id.clone(),
                    })
                    .next();
                if let (Some(id), Some(s)) = (first, &mut self.session)
                    && let Some(i) = s.project().articles.iter().position(|a| a.id == id)
                {
                    s.handle(Command::OpenArticle(i));
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn find_bar(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Find");
            let mut q = session.find().query.clone();
            let r = ui.add(egui::TextEdit::singleline(&mut q).hint_text("text in this article"));
            r.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Find in article")
            });
            if std::mem::take(&mut self.view.focus_find) {
                r.request_focus();
            }
            if r.changed() {
                out.push(Command::SetFindQuery(q));
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let back = ui.input(|i| i.modifiers.shift);
                out.push(Command::FindStep(if back { -1 } else { 1 }));
                r.request_focus();
            }
            let find = session.find();
            match (find.matches.len(), find.current) {
                (0, _) if !find.query.is_empty() => {
                    ui.colored_label(ui.visuals().warn_fg_color, "no match")
                }
                (0, _) => ui.weak(""),
                (n, Some(c)) => ui.label(format!("{} of {n}", c + 1)),
                (n, None) => ui.label(format!("{n} matches")),
            };
            if ui
                .button("Previous")
                .on_hover_text("Previous match (Shift+F3)")
                .clicked()
            {
                out.push(Command::FindStep(-1));
            }
            if ui.button("Next").on_hover_text("Next match (F3)").clicked() {
                out.push(Command::FindStep(1));
            }
            if ui.button("Close").on_hover_text("Close (Esc)").clicked() {
                self.view.find_open = false;
            }
        });
    }

    /// Buttons for the commands a coder reaches for most, so the mouse can do it all too.
    fn toolbar(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
        let ctx = ui.ctx().clone();
        let mut run = Vec::new();
        ui.horizontal_wrapped(|ui| {
            ui.heading(session.article().heading());
        });
        // Wrapped: a row wider than the column would stretch the panel past what is seen.
        ui.horizontal_wrapped(|ui| {
            let has_claim = session.selected_claim().is_some();
            for (c, enabled) in [
                (UiCommand::MakeClaim, true),
                (UiCommand::SpanMode, true),
                (UiCommand::ExtendUp, has_claim),
                (UiCommand::ExtendDown, has_claim),
                (UiCommand::Find, true),
            ] {
                let tip = format!("{} ({})", c.tooltip(), c.shortcut_text(&ctx));
                if ui
                    .add_enabled(enabled, egui::Button::new(c.label()))
                    .on_hover_text(tip)
                    .clicked()
                {
                    run.push(c);
                }
            }
            ui.separator();
            let done = session.document().file.status == Status::Done;
            let mut done_box = done;
            let tip = format!(
                "{} ({})",
                UiCommand::ToggleDone.tooltip(),
                UiCommand::ToggleDone.shortcut_text(&ctx)
            );
            if ui
                .checkbox(&mut done_box, "Article done")
                .on_hover_text(tip)
                .changed()
            {
                run.push(UiCommand::ToggleDone);
            }
            ui.separator();
            if ui
                .button("Shortcuts")
                .on_hover_text("Every keyboard shortcut (F1)")
                .clicked()
            {
                run.push(UiCommand::Help);
            }
        });
        ui.separator();
        for c in run {
            self.run_ui_command(c, out);
        }
    }

    /// Span mode's keys, applied by `span_selector` before it draws the field.
    fn move_span(&mut self, c: UiCommand) {
        if self.view.span_mode {
            self.view.span_keys.push(c);
        }
    }

    /// Span mode's keys: the caret (or, with Shift, the selection's moving end) goes a word
    /// left or right in the sentence. The selection lives in the span field's own state, so
    /// a mouse drag and the keys work on the same selection.
    fn apply_span_keys(&mut self, ctx: &egui::Context, text: &str, id: egui::Id) {
        let keys = std::mem::take(&mut self.view.span_keys);
        if keys.is_empty() {
            return;
        }
        let mut state = egui::text_edit::TextEditState::load(ctx, id).unwrap_or_default();
        let n = text.chars().count();
        let (mut anchor, mut caret) = state.cursor.char_range().map_or((0, 0), |r| {
            (r.secondary.index.0.min(n), r.primary.index.0.min(n))
        });
        for c in keys {
            let right = matches!(c, UiCommand::SpanWordRight | UiCommand::SpanExtendRight);
            caret = word_step(text, caret, right);
            if !matches!(c, UiCommand::SpanExtendLeft | UiCommand::SpanExtendRight) {
                anchor = caret;
            }
        }
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::two(
                egui::text::CCursor::new(anchor),
                egui::text::CCursor::new(caret),
            )));
        state.store(ctx, id);
    }

    fn span_selector(&mut self, ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
        let i = session.cursor();
        let Some(s) = session.article().sentences.get(i as usize) else {
            return;
        };
        let base = s.range.start;
        let mut text: &str = session.article().sentence_text(i);
        ui.label(
            "Select part of the sentence: Shift+→ / Shift+← a word at a time (→ ← move), or drag; Enter makes it a claim, Esc cancels",
        );
        let id = egui::Id::unique(SPAN_FIELD);
        self.apply_span_keys(ui.ctx(), text, id);
        if std::mem::take(&mut self.view.focus_span) {
            let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::default()));
            state.store(ui.ctx(), id);
            ui.memory_mut(|m| m.request_focus(id));
        }
        let output = egui::TextEdit::multiline(&mut text)
            .id(id)
            .desired_width(f32::INFINITY)
            .desired_rows(2)
            .show(ui);
        output.response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Sentence text")
        });
        let range = output.cursor_range.map(|r| {
            let [a, b] = r.sorted_cursors();
            (char_to_byte(text, a.index.0), char_to_byte(text, b.index.0))
        });
        let commit = std::mem::take(&mut self.view.span_commit);
        ui.horizontal(|ui| {
            let ok = range.is_some_and(|(a, b)| a < b);
            let clicked = ui
                .add_enabled(ok, egui::Button::new("Make claim from selection"))
                .on_hover_text("Enter")
                .clicked();
            if (clicked || commit)
                && let Some((a, b)) = range
            {
                // An empty selection is refused by the session, which says so.
                out.push(Command::MakeClaimFromSpan {
                    start: base + a,
                    end: base + b,
                });
                self.view.span_mode = false;
            }
            if ui.button("Cancel").on_hover_text("Esc").clicked() {
                self.view.span_mode = false;
            }
        });
        ui.separator();
    }
}

/// The span field's id: the window reads and sets its selection.
const SPAN_FIELD: &str = "span-selector";

/// The char index one word from `at` in `text`: right, to the end of the next word; left,
/// to the start of the word before (words are runs of non-space characters).
fn word_step(text: &str, at: usize, right: bool) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut i = at.min(chars.len());
    if right {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
    } else {
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
    }
    i
}

fn char_to_byte(s: &str, char_index: usize) -> usize {
    s.char_indices().nth(char_index).map_or(s.len(), |(b, _)| b)
}

impl eframe::App for StanceApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if !self.view.fonts_ready {
            install_fonts(ctx);
            self.view.fonts_ready = true;
        }
        // Autosave shortly after the last edit; wake up when it is due.
        if let Some(s) = &mut self.session {
            if let Some(wait) = s.tick(Instant::now()) {
                ctx.request_repaint_after(wait);
            }
            // Coming back to the window (from a terminal, an editor) checks the file at once;
            // meanwhile `tick` polls it.
            let focused = ctx.input(|i| i.focused);
            if focused && self.view.was_focused == Some(false) {
                s.handle(Command::CheckDisk);
            }
            self.view.was_focused = Some(focused);
            ctx.request_repaint_after(crate::session::watch::POLL_INTERVAL);
            // Saving on quit: if it fails, keep the window open so nothing is lost.
            if ctx.input(|i| i.viewport().close_requested()) && !s.flush() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            }
        }
        // An editor's unsaved gold decisions are work too: quitting asks first.
        if ctx.input(|i| i.viewport().close_requested())
            && !self.view.quit_without_gold
            && self.view.desk.walk.as_ref().is_some_and(|(_, w)| w.dirty)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.view.gold_quit_prompt = true;
        }
        let title = match &self.session {
            Some(s) => format!(
                "Stance — {} — {}",
                s.project().root.file_name().map_or_else(
                    || s.project().root.display().to_string(),
                    |n| n.to_string_lossy().into_owned()
                ),
                s.article().heading()
            ),
            None => "Stance".to_owned(),
        };
        if title != self.view.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.view.title = title;
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.open_dropped(&ctx);
        let mut out = Vec::new();
        self.handle_keys(&ctx, &mut out);
        Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &mut out));
        Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        self.view.desk.keys_blocked = self.view.gold_quit_prompt
            || self.view.help_open
            || self.view.review_path.is_some()
            || self.view.open_path.is_some();
        if self.view.mode == Mode::Review
            && let (Some(session), Some(review)) = (&self.session, &mut self.view.review)
        {
            let mut action = None;
            egui::CentralPanel::default().show(ui, |ui| {
                action = crate::ui::review::show(
                    ui,
                    &mut self.view.desk,
                    session,
                    review,
                    &mut self.view.review_comments,
                );
            });
            // Verdicts save as they are given: a review, like coding, never waits for Ctrl+S.
            review.save();
            self.review_action(action, &mut out);
            self.dialogs(&ctx, &mut out);
            self.end_frame(&ctx, out);
            return;
        }
        if self.view.mode == Mode::Agreement && self.session.is_some() {
            egui::CentralPanel::default().show(ui, |ui| self.agreement(ui, &mut out));
            self.dialogs(&ctx, &mut out);
            self.end_frame(&ctx, out);
            return;
        }
        // Take the session out while drawing so panels can borrow it and the view state
        // at once; it goes back before any command runs.
        if let Some(session) = self.session.take() {
            Panel::left("articles")
                .resizable(true)
                .default_size(240.0)
                .show(ui, |ui| article_list::show(ui, &session, &mut out));
            let mut open_finder = false;
            Panel::right("claims")
                .resizable(true)
                .default_size(380.0)
                .show(ui, |ui| {
                    let feedback = self.view.feedback.current(&session);
                    let badge = |id: &str| feedback.badge(id);
                    claim_list::show(ui, &session, &badge, &mut out);
                    ui.separator();
                    egui::ScrollArea::vertical()
                        .id_salt("inspector")
                        .show(ui, |ui| {
                            open_finder =
                                inspector::show(ui, &session, &mut self.view.focus_note, &mut out)
                                    .open_speaker_finder;
                            crate::ui::feedback_view::show(ui, &session, &mut self.view.feedback);
                        });
                });
            if open_finder {
                self.view.speaker = Some(SpeakerFinder::default());
            }
            egui::CentralPanel::default().show(ui, |ui| {
                recovery::panel(ui, &session, &mut out);
                self.toolbar(ui, &session, &mut out);
                if self.view.find_open {
                    self.find_bar(ui, &session, &mut out);
                    ui.separator();
                }
                if self.view.span_mode {
                    self.span_selector(ui, &session, &mut out);
                }
                article_view::show(ui, &session, &mut self.view.layout, &mut out);
            });
            self.session = Some(session);
        } else {
            self.no_session_page(ui);
        }
        self.dialogs(&ctx, &mut out);
        self.end_frame(&ctx, out);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(s) = &mut self.session {
            s.flush();
        }
    }
}
