//! `cargo bench --bench frame`: the whole coding window's UI code for one frame, headless
//! (an `egui::Context`, no GPU, no kittest), on the generated 1 MB article with 3,000 claims
//! and on a seed article, while scrolling (a wheel event per frame) and while editing (a
//! stance key per frame: one edit command each). Also prints the peak memory with the 1 MB
//! article open.
//!
//! What is timed is `Context::run_ui` with `StanceApp::ui`: input handling, layout, widgets and
//! the commands they send. Tessellation and painting belong to the renderer and are left out.
#![allow(clippy::unwrap_used)] // a benchmark that cannot set itself up should stop loudly
#![allow(missing_docs)] // criterion's macros generate undocumented items

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::App as _;
use egui::{
    Event, Key, Modifiers, MouseWheelSource, MouseWheelUnit, RawInput, TouchPhase, pos2, vec2,
};
use stance::ui::StanceApp;
use stance::ui::settings::Settings;

/// Window size of the measurements (a laptop screen).
const SIZE: egui::Vec2 = vec2(1400.0, 900.0);
/// A point inside the article column, where wheel events scroll the text.
const OVER_TEXT: egui::Pos2 = pos2(640.0, 500.0);
/// Frames scrolled in one direction before turning, so the view never sticks at an end.
const FRAMES_PER_SWEEP: u64 = 300;

/// The window, driven frame by frame.
struct Window {
    ctx: egui::Context,
    app: StanceApp,
    frame: eframe::Frame,
    frames: u64,
}

impl Window {
    fn open(root: &Path) -> Self {
        let settings = Settings {
            annotator: Some("amira".to_owned()),
            ..Settings::default()
        };
        let mut w = Self {
            ctx: egui::Context::default(),
            app: StanceApp::with_settings(settings, root.to_owned()),
            // The same stand-in frame egui_kittest gives apps: nothing in `ui` uses it.
            frame: eframe::Frame::_new_kittest(),
            frames: 0,
        };
        assert!(w.app.session().is_some(), "{:?}", w.app.error());
        // A few frames to load fonts and settle the layout (galleys are cached after this).
        for _ in 0..3 {
            w.step(vec![Event::PointerMoved(OVER_TEXT)]);
        }
        w
    }

    fn step(&mut self, events: Vec<Event>) {
        self.frames += 1;
        let input = RawInput {
            screen_rect: Some(egui::Rect::from_min_size(pos2(0.0, 0.0), SIZE)),
            time: Some(self.frames as f64 / 60.0),
            predicted_dt: 1.0 / 60.0,
            events,
            ..RawInput::default()
        };
        let app = &mut self.app;
        let frame = &mut self.frame;
        let out = self.ctx.run_ui(input, |ui| app.ui(ui, frame));
        black_box(out);
    }

    fn scroll(&mut self) {
        let dy = if (self.frames / FRAMES_PER_SWEEP).is_multiple_of(2) {
            -120.0
        } else {
            120.0
        };
        self.step(vec![
            Event::PointerMoved(OVER_TEXT),
            Event::MouseWheel {
                unit: MouseWheelUnit::Point,
                delta: vec2(0.0, dy),
                phase: TouchPhase::Move,
                source: MouseWheelSource::Wheel,
                modifiers: Modifiers::NONE,
            },
        ]);
    }

    fn press(&mut self, key: Key) {
        let ev = |pressed| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        self.step(vec![ev(true), ev(false)]);
    }

    /// Makes a claim of the sentence at the cursor, or selects the one there (`Enter`), so
    /// stance keys have something to edit.
    fn select_a_claim(&mut self) {
        self.press(Key::Enter);
        self.step(Vec::new());
        assert!(
            self.app.session().unwrap().selected_claim().is_some(),
            "no claim to edit"
        );
    }
}

fn bench_window(c: &mut Criterion, name: &str, root: &Path) {
    let mut group = c.benchmark_group(format!("frame/{name}"));
    group.sample_size(30);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    let mut w = Window::open(root);
    group.bench_function("idle", |b| b.iter(|| w.step(Vec::new())));
    group.bench_function("scrolling", |b| b.iter(|| w.scroll()));
    w.select_a_claim();
    // `f` toggles "favor" on the active target: an edit (and an undo step) every frame.
    group.bench_function("editing", |b| b.iter(|| w.press(Key::F)));
    let s = w.app.session().unwrap();
    assert!(s.undo_label().is_some(), "the key presses edited nothing");
    group.finish();
}

fn bench(c: &mut Criterion) {
    let long = common::long_project();
    {
        // Peak memory with the 1 MB article open and scrolled through, before anything else
        // this process does raises it.
        let mut w = Window::open(long.path());
        for _ in 0..FRAMES_PER_SWEEP {
            w.scroll();
        }
        let s = w.app.session().unwrap();
        eprintln!(
            "long article: {} bytes, {} sentences, {} claims; peak memory (VmHWM) {:.1} MiB",
            s.article().text.len(),
            s.article().sentences.len(),
            s.document().file.claims.len(),
            common::peak_rss_mib().unwrap_or(f64::NAN)
        );
    }
    bench_window(c, "1 MB article, 3,000 claims", long.path());
    let seeds = common::seed_project();
    bench_window(c, "seed article", seeds.path());
}

criterion_group!(benches, bench);
criterion_main!(benches);
