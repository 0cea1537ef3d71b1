//! `cargo bench --bench worst_frame`: the WORST frame (and the median) of the real window while
//! it does the four things a coder waits on: opening the generated 2,000-article corpus,
//! switching to the Agreement tab on it, autosaving a 3,000-claim file, and switching articles
//! (Ctrl+PageDown). A smooth window keeps every frame under 16 ms; a median hides the one frame
//! that froze it, so the worst is the figure that matters.
//!
//! The window is `StanceApp` driven through an `egui::Context` as eframe drives it (`logic`,
//! then `ui`, in one pass), headless: tessellation and painting belong to the renderer and are
//! left out. Frames are paced at 60 per second (a frame that takes longer delays the next),
//! as a display would; work the window hands to another thread runs meanwhile. Creating the
//! app counts as a frame: a window that opens the project while being created shows nothing
//! until it is done.
//!
//! Each action is repeated `STANCE_WORST_RUNS` times (default 5); the table gives the worst
//! and the median over every frame of every repetition, and the range of the per-run worst.
//! The machine may be shared: run it a few times and compare ranges, not single figures.
#![allow(clippy::unwrap_used)] // a benchmark that cannot set itself up should stop loudly
#![allow(missing_docs)]

#[path = "common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use eframe::App as _;
use egui::{Event, Key, Modifiers, PointerButton, RawInput, pos2, vec2};
use stance::session::jobs::Runner;
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

/// Window size of the measurements (a laptop screen).
const SIZE: egui::Vec2 = vec2(1400.0, 900.0);
/// One display refresh at 60 Hz: the budget of a frame, and the pace frames are run at.
const FRAME: Duration = Duration::from_micros(16_667);
/// The generated corpus: articles × annotators.
const ARTICLES: usize = 2_000;
/// How long an action may take before the bench gives up on it.
const TIMEOUT: Duration = Duration::from_mins(2);

/// The window, driven frame by frame, with the duration of every frame.
struct Window {
    ctx: egui::Context,
    app: StanceApp,
    frame: eframe::Frame,
    frames: u64,
    /// When the next frame is due (frames are paced, as by a display).
    next: Instant,
}

/// What was measured for one action: every frame's duration.
#[derive(Default)]
struct Frames {
    all: Vec<Duration>,
    worst_per_run: Vec<Duration>,
}

impl Frames {
    fn run(&mut self, frames: Vec<Duration>) {
        self.worst_per_run
            .push(frames.iter().copied().max().unwrap_or_default());
        self.all.extend(frames);
    }

    fn report(&mut self, name: &str) {
        self.all.sort();
        self.worst_per_run.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let median = self
            .all
            .get(self.all.len() / 2)
            .copied()
            .unwrap_or_default();
        println!(
            "{name:<44} {:>6} frames  worst {:>9.2} ms  median {:>7.2} ms  per-run worst {:.2}..{:.2} ms",
            self.all.len(),
            ms(self.all.last().copied().unwrap_or_default()),
            ms(median),
            ms(self.worst_per_run.first().copied().unwrap_or_default()),
            ms(self.worst_per_run.last().copied().unwrap_or_default()),
        );
    }
}

impl Window {
    /// Creates the app on `root` as `amira`; the creation is timed as the first frame.
    fn create(root: &Path) -> (Self, Duration) {
        let settings = Settings {
            annotator: Some("amira".to_owned()),
            ..Settings::default()
        };
        let start = Instant::now();
        // Jobs on threads, as the real window runs them (`StanceApp::new`); the tests'
        // deferred runner would run them inside a frame.
        let app = StanceApp::with_runner(settings, root.to_owned(), Runner::Threads);
        let took = start.elapsed();
        let w = Self {
            ctx: egui::Context::default(),
            app,
            // The same stand-in frame egui_kittest gives apps: nothing in the app uses it.
            frame: eframe::Frame::_new_kittest(),
            frames: 0,
            next: Instant::now(),
        };
        (w, took)
    }

    /// Runs one frame with `events` (after waiting for its turn) and returns how long it took.
    fn step(&mut self, events: Vec<Event>) -> Duration {
        let now = Instant::now();
        if now < self.next {
            std::thread::sleep(self.next - now);
        }
        self.frames += 1;
        let input = RawInput {
            screen_rect: Some(egui::Rect::from_min_size(pos2(0.0, 0.0), SIZE)),
            time: Some(self.frames as f64 / 60.0),
            predicted_dt: 1.0 / 60.0,
            focused: true,
            events,
            ..RawInput::default()
        };
        let app = &mut self.app;
        let frame = &mut self.frame;
        let start = Instant::now();
        let out = self.ctx.run_ui(input, |ui| {
            app.logic(ui.ctx(), frame);
            app.ui(ui, frame);
        });
        let took = start.elapsed();
        std::hint::black_box(out);
        self.next = Instant::now() + FRAME.saturating_sub(took);
        took
    }

    /// Frames with no input until `done` holds (checked after each frame), then two more (the
    /// first frames showing the result lay it out); returns every frame's duration.
    fn frames_until(&mut self, mut done: impl FnMut(&StanceApp) -> bool) -> Vec<Duration> {
        let start = Instant::now();
        let mut frames = Vec::new();
        while !done(&self.app) {
            assert!(start.elapsed() < TIMEOUT, "the action did not finish");
            frames.push(self.step(Vec::new()));
        }
        for _ in 0..2 {
            frames.push(self.step(Vec::new()));
        }
        frames
    }

    fn key(&mut self, key: Key, modifiers: Modifiers) -> Duration {
        let ev = |pressed| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        };
        self.step(vec![ev(true), ev(false)])
    }

    fn click(&mut self, at: egui::Pos2) -> Duration {
        let button = |pressed| Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        };
        self.step(vec![Event::PointerMoved(at)]);
        self.step(vec![button(true), button(false)])
    }

    /// Where the widget labelled `label` is, from one untimed frame with the accessibility
    /// tree on (the tree costs time, so timed frames run without it).
    fn find(&mut self, label: &str) -> egui::Pos2 {
        self.ctx.enable_accesskit();
        let input = RawInput {
            screen_rect: Some(egui::Rect::from_min_size(pos2(0.0, 0.0), SIZE)),
            focused: true,
            ..RawInput::default()
        };
        let app = &mut self.app;
        let frame = &mut self.frame;
        let out = self.ctx.run_ui(input, |ui| {
            app.logic(ui.ctx(), frame);
            app.ui(ui, frame);
        });
        self.ctx.disable_accesskit();
        let update = out.platform_output.accesskit_update.unwrap();
        let bounds = update
            .nodes
            .iter()
            .find(|(_, n)| n.label() == Some(label) || n.value() == Some(label))
            .and_then(|(_, n)| n.bounds())
            .unwrap_or_else(|| panic!("no widget labelled {label:?}"));
        pos2(
            f64::midpoint(bounds.x0, bounds.x1) as f32,
            f64::midpoint(bounds.y0, bounds.y1) as f32,
        )
    }

    fn project_shown(app: &StanceApp) -> bool {
        app.session().is_some()
    }
}

fn open_corpus(root: &Path, runs: usize) -> Frames {
    let mut m = Frames::default();
    for _ in 0..runs {
        let (mut w, created) = Window::create(root);
        let mut frames = vec![created];
        frames.extend(w.frames_until(Window::project_shown));
        assert!(w.app.session().is_some(), "{:?}", w.app.error());
        m.run(frames);
    }
    m
}

fn agreement_tab(root: &Path, runs: usize) -> Frames {
    let (mut w, _) = Window::create(root);
    w.frames_until(Window::project_shown);
    let agreement = w.find("Agreement");
    let coding = w.find("Coding");
    let mut m = Frames::default();
    for _ in 0..runs {
        let mut frames = vec![w.click(agreement)];
        frames.extend(w.frames_until(|_| true));
        m.run(frames);
        w.click(coding);
        w.frames_until(|_| true);
    }
    m
}

fn switch_articles(root: &Path, runs: usize) -> Frames {
    let (mut w, _) = Window::create(root);
    w.frames_until(Window::project_shown);
    let mut m = Frames::default();
    for _ in 0..runs {
        let before = w.app.session().unwrap().article_index();
        let mut frames = vec![w.key(Key::PageDown, Modifiers::COMMAND)];
        frames.extend(
            w.frames_until(|app| app.session().is_some_and(|s| s.article_index() != before)),
        );
        m.run(frames);
    }
    m
}

fn autosave(root: &Path, runs: usize) -> Frames {
    let (mut w, _) = Window::create(root);
    w.frames_until(Window::project_shown);
    // A claim to edit: Enter makes one at the cursor (or selects the one there).
    w.key(Key::Enter, Modifiers::NONE);
    w.frames_until(|_| true);
    assert!(w.app.session().unwrap().selected_claim().is_some());
    let mut m = Frames::default();
    for _ in 0..runs {
        // `f` toggles "favor": an edit; autosave follows 1.5 s of real time later.
        let mut frames = vec![w.key(Key::F, Modifiers::NONE)];
        assert!(w.app.session().unwrap().document().dirty, "no edit");
        frames.extend(w.frames_until(|app| app.session().is_some_and(|s| !s.document().dirty)));
        m.run(frames);
    }
    let s = w.app.session().unwrap();
    assert!(s.document().file.claims.len() >= 3_000);
    m
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let runs: usize = std::env::var("STANCE_WORST_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    eprintln!("generating the {ARTICLES}-article corpus and the 3,000-claim article…");
    let corpus = common::corpus(ARTICLES);
    let long = common::long_project();
    // `STANCE_WORST_ONLY=switch` (a word of the action's name) runs one action, for profiling.
    let only = std::env::var("STANCE_WORST_ONLY").unwrap_or_default();
    let wanted = |name: &str| name.contains(only.as_str());
    println!("worst frame (and median) over {runs} runs per action; budget 16.7 ms");
    let name = "open the 2,000-article corpus";
    if wanted(name) {
        open_corpus(corpus.path(), runs).report(name);
    }
    let name = "switch to Agreement on it";
    if wanted(name) {
        agreement_tab(corpus.path(), runs).report(name);
    }
    let name = "autosave a 3,000-claim file";
    if wanted(name) {
        autosave(long.path(), runs).report(name);
    }
    let name = "switch articles (Ctrl+PageDown)";
    if wanted(name) {
        switch_articles(corpus.path(), runs * 4).report(name);
    }
}
