//! The eframe app: draws the workspace, and applies the frame's commands once, after drawing.
//!
//! Each frame: `logic` takes in the jobs that finished (their results are commands too,
//! applied before drawing so the frame shows them) and starts a due autosave; `ui` draws the panels of the place the user is at, every
//! click and key pushing commands into the queue; then the queue goes to
//! [`Workspace::handle`], in order. Drawing reads the workspace and never changes it.
//!
//! - [`keys`]: shortcuts and the codebook's keys.
//! - [`modal`]: the dialogs, one at a time ([`Modal`]).
//! - [`coding`]: the coding view with its toolbar, find bar and span selector.
//! - [`menus`]: the menu bar and the place tabs.

mod coding;
mod keys;
mod menus;
mod modal;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use egui::{Panel, Ui};

use crate::session::jobs::{JobInfo, Runner};
use crate::session::{
    JobCommand, NavigateCommand, Place, ProjectCommand, Session, WindowRequest, Workspace,
    WorkspaceOptions,
};
use crate::ui::dialogs::SpeakerFinder;
use crate::ui::settings::{STORAGE_KEY, Settings};
use crate::ui::shortcuts::UiCommand;
use crate::ui::{Queue, article_view, status_bar};

/// The dialog open over the window, if any: one at a time.
#[derive(Debug, Default)]
pub enum Modal {
    /// None.
    #[default]
    None,
    /// "Who is coding?", with what has been typed and why the last name was refused.
    Name {
        /// What has been typed.
        typed: String,
        /// Why the last name was refused.
        error: Option<String>,
    },
    /// The speaker finder.
    Speaker(SpeakerFinder),
    /// Every shortcut.
    Help,
    /// The open-project prompt, with the path typed.
    OpenProject(String),
    /// The import-articles prompt, with the path typed.
    ImportArticles(String),
    /// The "Open for review" prompt, with the path typed.
    OpenForReview(String),
    /// Quitting with unsaved gold decisions: what to do with them.
    GoldQuit,
}

/// Span mode: selecting part of a sentence by keys or drag.
#[derive(Debug, Default)]
pub struct SpanState {
    /// The span selector is shown for the current sentence.
    pub open: bool,
    /// Span mode just opened: its field takes the keyboard, the selection starts empty.
    focus: bool,
    /// Enter was pressed in span mode: make the claim of the selection.
    commit: bool,
    /// Span mode's word keys pressed this frame, in order.
    keys: Vec<UiCommand>,
}

/// Review mode's state that is the window's alone: inputs not sent yet and what is unfolded.
#[derive(Debug, Default)]
pub struct ReviewView {
    /// Majority (else unanimous) for the next "Build gold".
    pub majority: bool,
    /// The majority threshold as typed.
    pub threshold: String,
    /// Focus the typed-value field next frame.
    pub focus_typed: bool,
    /// Side by side: claim groups (by first sentence) whose long quote is shown unfolded.
    pub unfolded: std::collections::HashSet<u32>,
    /// The generation of the focused sentence last scrolled to (see `Focus::sentence`).
    pub scrolled: u64,
}

/// Runtime state of the window that is not the workspace's and is not persisted.
#[allow(clippy::struct_excessive_bools)] // independent flags of independent panels
#[derive(Default)]
pub struct ViewState {
    /// The dialog open, if any.
    pub modal: Modal,
    /// The find bar is shown.
    pub find_open: bool,
    focus_find: bool,
    /// Span mode.
    pub span: SpanState,
    focus_note: bool,
    layout: article_view::ArticleLayout,
    title: String,
    /// Review mode's inputs and folds.
    pub review: ReviewView,
    /// The agreement view's field shown; one past the fields shows claim boundaries.
    pub agreement_field: usize,
    /// With a plan, the article list shows every article, not only the coder's own.
    pub all_articles: bool,
    /// How the editor answered the unsaved-gold question on quitting, if asked.
    quitting: Quitting,
    /// Whether the window had focus last frame: regaining it checks the file on disk.
    was_focused: Option<bool>,
    /// The fonts were set up and the jobs wake the window (first frame).
    started: bool,
    /// A text field had the keyboard at the end of the last frame.
    was_typing: bool,
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

/// What drawing code works with: the workspace to read, the window's own state and settings
/// to change, and the queue for commands.
pub(super) struct Draw<'a> {
    ws: &'a Workspace,
    view: &'a mut ViewState,
    settings: &'a mut Settings,
    queue: &'a mut Queue,
}

/// The Stance window.
pub struct StanceApp {
    /// What outlives a run (eframe storage).
    settings: Settings,
    workspace: Workspace,
    /// The frame's commands, applied after drawing.
    queue: Queue,
    view: ViewState,
    /// The welcome page, while the window has no project yet.
    welcome: Option<crate::ui::welcome::Welcome>,
}

impl StanceApp {
    /// Creates the app from eframe's creation context (restoring settings); long work runs
    /// on threads of its own.
    pub fn new(cc: &eframe::CreationContext<'_>, request: &WindowRequest) -> Self {
        let mut settings = Settings::load(cc.storage);
        if let Some(name) = request.annotator.clone() {
            settings.annotator = Some(name);
        }
        cc.egui_ctx.set_theme(settings.theme);
        let welcome = request
            .root
            .is_none()
            .then(crate::ui::welcome::Welcome::new);
        let mut app = Self::empty(settings, Runner::Threads, welcome);
        // The article and review mode wait for the project being opened.
        for c in request.commands() {
            app.queue.push(c);
        }
        app.apply_queue();
        app
    }

    /// The window on the project in `root`, with given settings: what tests use (no
    /// storage). Jobs are deferred to the next frame, so a test sees each one start in one
    /// frame and its result in the next.
    pub fn with_settings(settings: Settings, root: PathBuf) -> Self {
        Self::with_runner(settings, root, Runner::Deferred)
    }

    /// The window on the project in `root`, with jobs run by `runner` (the benchmarks and
    /// the tests of a window with a job under way use threads).
    pub fn with_runner(settings: Settings, root: PathBuf, runner: Runner) -> Self {
        let mut app = Self::empty(settings, runner, None);
        app.queue.push(ProjectCommand::Open(root));
        app.apply_queue();
        app
    }

    /// The window with no project: its welcome page (tests pass their own data folder).
    pub fn welcome(settings: Settings, welcome: crate::ui::welcome::Welcome) -> Self {
        Self::empty(settings, Runner::Deferred, Some(welcome))
    }

    fn empty(
        settings: Settings,
        runner: Runner,
        welcome: Option<crate::ui::welcome::Welcome>,
    ) -> Self {
        let workspace = Workspace::new(WorkspaceOptions {
            annotator: settings.annotator.clone(),
            hide_suggestions: settings.suggestions_off.clone(),
            runner,
        });
        Self {
            settings,
            workspace,
            queue: Queue::default(),
            view: ViewState::default(),
            welcome,
        }
    }

    /// The parts drawing code works with, borrowed apart.
    fn draw(&mut self) -> Draw<'_> {
        Draw {
            ws: &self.workspace,
            view: &mut self.view,
            settings: &mut self.settings,
            queue: &mut self.queue,
        }
    }

    /// Everything the window shows.
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// The coding session, once a project is open and the coder has said who they are.
    pub fn session(&self) -> Option<&Session> {
        self.workspace.coding()
    }

    /// Settings as they would be saved now.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Why the last project operation failed.
    pub fn error(&self) -> Option<&str> {
        self.workspace.error()
    }

    /// The `stance` program git's merge driver runs on Sync (the running one unless set:
    /// tests run the window inside a test binary).
    pub fn set_stance_binary(&mut self, exe: PathBuf) {
        self.workspace.set_stance_binary(exe);
    }

    /// The frame's commands go to the workspace, in order.
    fn apply_queue(&mut self) {
        for c in self.queue.take() {
            self.workspace.handle(c);
        }
        // The settings keep what the workspace now knows.
        if let Some(s) = self.workspace.coding() {
            let root = &s.project().root;
            if self.settings.recent_projects.first() != Some(root) {
                self.settings.remember_project(root.clone());
            }
            self.welcome = None;
        }
    }

    /// The central page while no session is open: the welcome page (no project yet), a
    /// project being opened, or why the project could not be opened.
    fn no_session_page(&mut self, ui: &mut Ui) {
        if let Some(job) = self.workspace.opening() {
            let queue = &mut self.queue;
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading("Stance");
                job_row(ui, &job, queue);
            });
            return;
        }
        if let Some(welcome) = &self.welcome {
            let mut action = None;
            let error = self.workspace.error();
            egui::CentralPanel::default().show(ui, |ui| {
                action =
                    crate::ui::welcome::show(ui, welcome, error, &self.settings.recent_projects);
            });
            if let Some(action) = action {
                self.welcome_action(action);
            }
            return;
        }
        let mut open = false;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Stance");
            match self.workspace.error() {
                Some(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                None => {
                    ui.label("Tell Stance who is coding to begin.");
                }
            }
            open = ui.button("Open project…").clicked();
        });
        if open {
            let root = self
                .workspace
                .root()
                .map_or_else(String::new, |r| r.display().to_string());
            self.view.modal = Modal::OpenProject(root);
        }
    }

    /// Acts on the welcome page's choice: a project (the sample, made first) is opened.
    fn welcome_action(&mut self, action: crate::ui::welcome::Action) {
        use crate::ui::welcome::Action;
        match action {
            Action::Browse => self.view.modal = Modal::OpenProject(String::new()),
            Action::Open(root) => self.queue.push(ProjectCommand::Open(root)),
            Action::CreateSample(parent) => self.queue.push(ProjectCommand::CreateSample(parent)),
        }
    }

    /// The status bar; in review mode it names the review file verdicts go to.
    fn status_bar(&mut self, ui: &mut Ui) {
        let review = matches!(self.workspace.place(), Place::Review(_))
            .then(|| self.workspace.review())
            .flatten()
            .map(|r| (r.path.as_path(), r.dirty));
        status_bar::show(
            ui,
            self.workspace.coding(),
            review,
            self.workspace.error(),
            &self.workspace.cancellable_jobs(),
            &mut self.queue,
        );
    }

    /// The review, gold, questions, validation and corpus tabs.
    fn review_page(&mut self, ui: &mut Ui) {
        let blocked = !matches!(self.view.modal, Modal::None);
        let (workspace, view, queue) = (&self.workspace, &mut self.view.review, &mut self.queue);
        egui::CentralPanel::default().show(ui, |ui| {
            crate::ui::review::show(ui, workspace, view, blocked, queue);
        });
    }

    fn agreement_page(&mut self, ui: &mut Ui) {
        let (workspace, field, queue) = (
            &self.workspace,
            &mut self.view.agreement_field,
            &mut self.queue,
        );
        egui::CentralPanel::default().show(ui, |ui| {
            crate::ui::agreement_view::show(ui, workspace, field, queue);
        });
    }

    /// The team plan, with an editor's changes to it on the right.
    fn plan_page(&mut self, ui: &mut Ui) {
        let (workspace, queue) = (&self.workspace, &mut self.queue);
        let action = Panel::right("plan-changes")
            .resizable(true)
            .default_size(520.0)
            .show(ui, |ui| crate::ui::plan_view::changes(ui, workspace, queue))
            .inner;
        egui::CentralPanel::default()
            .show(ui, |ui| crate::ui::plan_view::show(ui, workspace, queue));
        if action == Some(crate::ui::plan_view::Action::ImportArticles) {
            self.view.modal = Modal::ImportArticles(String::new());
        }
    }

    /// Whether the window may close now: everything is saved (else it stays open and the
    /// status bar says why), and unsaved gold decisions were answered for.
    fn may_close(&mut self, ctx: &egui::Context) -> bool {
        if !self.workspace.flush() {
            return false;
        }
        if self.workspace.unsaved_gold().is_some() && self.view.quitting != Quitting::WithoutGold {
            self.view.modal = Modal::GoldQuit;
            ctx.request_repaint();
            return false;
        }
        true
    }
}

/// The editor's answer to "unsaved gold decisions" when the window is closing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Quitting {
    /// Not quitting, or not asked yet.
    #[default]
    No,
    /// Save gold, then close: the window closes once the save is done.
    OnceGoldIsSaved,
    /// Close without saving gold (or gold is saved): the question is not asked again.
    WithoutGold,
}

/// A job under way: what it does, how far it got, and Cancel.
pub(crate) fn job_row(ui: &mut Ui, job: &JobInfo, queue: &mut Queue) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(format!("{}…", job.label));
        let (done, total) = job.progress;
        if total > 0 {
            ui.add(
                egui::ProgressBar::new(done.min(total) as f32 / total as f32)
                    .desired_width(200.0)
                    .text(format!("{done} of {total}")),
            );
        }
        if ui
            .button("Cancel")
            .on_hover_text(format!("Stop: {}", job.label))
            .clicked()
        {
            queue.push(JobCommand::Cancel(job.id));
        }
    });
}

impl eframe::App for StanceApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if !self.view.started {
            install_fonts(ctx);
            let waker = ctx.clone();
            self.workspace
                .set_waker(Arc::new(move || waker.request_repaint()));
            self.view.started = true;
        }
        // Jobs that finished: their results are applied first (through the command path,
        // like everything else), so this frame shows them; the frame's own commands come
        // after drawing.
        for c in self.workspace.poll_jobs() {
            self.workspace.handle(c);
        }
        // Autosave shortly after the last edit (written on another thread); wake up when
        // it is due.
        if let Some(wait) = self.workspace.tick(Instant::now()) {
            ctx.request_repaint_after(wait);
        }
        if self.workspace.coding().is_some() {
            // Coming back to the window (from a terminal, an editor) checks the file at once;
            // meanwhile `tick` polls it.
            let focused = ctx.input(|i| i.focused);
            if focused && self.view.was_focused == Some(false) {
                self.queue.push(crate::session::CodeCommand::CheckDisk);
            }
            // Leaving the window stops the coding-time clock until the coder's next action.
            if !focused && self.view.was_focused == Some(true) {
                self.queue.push(crate::session::CodeCommand::FocusLost);
            }
            self.view.was_focused = Some(focused);
            ctx.request_repaint_after(crate::session::watch::POLL_INTERVAL);
        }
        if self.view.quitting == Quitting::OnceGoldIsSaved
            && self.workspace.unsaved_gold().is_none()
        {
            // Saved: nothing is left to ask about.
            self.view.quitting = Quitting::WithoutGold;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        // Saving on quit (waiting for a save under way): if it fails, or gold decisions are
        // unsaved, keep the window open so nothing is lost.
        if ctx.input(|i| i.viewport().close_requested()) && !self.may_close(ctx) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        if self.workspace.busy() || !self.queue.is_empty() {
            // Results are on their way: keep drawing (a progress bar moves), and with the
            // deferred runner, run them next frame.
            ctx.request_repaint();
        }
        let title = match self.workspace.coding() {
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
        self.handle_keys(&ctx);
        Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        match (self.workspace.coding().is_some(), self.workspace.place()) {
            (false, _) => self.no_session_page(ui),
            (true, Place::Review(_)) => self.review_page(ui),
            (true, Place::Agreement) => self.agreement_page(ui),
            (true, Place::Plan) => self.plan_page(ui),
            (true, Place::Coding) => self.coding_page(ui),
        }
        self.dialogs(&ctx);
        self.view.was_typing = ctx.egui_wants_keyboard_input();
        // The end of the frame: its commands change the workspace, in order.
        let had_commands = !self.queue.is_empty();
        self.apply_queue();
        if had_commands || self.workspace.busy() {
            ctx.request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.workspace.flush();
    }
}

impl StanceApp {
    /// Files or folders dropped onto the window open for review.
    fn open_dropped(&mut self, ctx: &egui::Context) {
        let paths: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        if !paths.is_empty() {
            self.queue.push(NavigateCommand::OpenForReview(paths));
        }
    }
}
