//! Long work off the window's thread: opening a big project, agreement with its bootstrap, the
//! corpus overview and `stance check`, writing a big annotation file, making the sample project
//! and importing articles. A job runs a closure and hands back its output; the workspace applies
//! it through the command path (`Command::Job`), so a job's result changes state exactly where
//! every other change happens, once per frame, and no frame waits on the work.
//!
//! Three runners:
//! - [`Runner::Threads`]: each job on its own thread; when it is done the waker (the window's
//!   repaint signal) is called, so the window wakes up to apply it.
//! - [`Runner::Deferred`]: a job runs on the thread that polls, at the next [`Jobs::poll`] after
//!   the one that saw it start, so never in the frame that started it. Deterministic: what the
//!   UI tests use, where one frame starts a job and the next shows its result.
//! - [`Runner::Gated`]: threads that wait at a [`Gate`] before working, so a test can watch the
//!   window while a job is under way and decide when it ends.
//!
//! Every job has a [`Progress`] it may report to and that says whether it was cancelled; a
//! cancelled job's output is dropped however far it got.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// Identifies a job while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(u64);

/// How jobs run (see the module documentation).
#[derive(Clone, Debug, Default)]
pub enum Runner {
    /// On threads of their own: the window's runner.
    #[default]
    Threads,
    /// On the polling thread, at the next poll: deterministic, for tests.
    Deferred,
    /// On threads that wait at the gate first: for tests of a window with a job under way.
    Gated(Arc<Gate>),
}

/// A gate threads wait at until it opens (see [`Runner::Gated`]).
#[derive(Debug, Default)]
pub struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    /// A closed gate.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Lets every waiting job (and every later one) through.
    pub fn open(&self) {
        *self.open.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.opened.notify_all();
    }

    /// Makes jobs started from now on wait again (jobs already let through go on).
    pub fn close(&self) {
        *self.open.lock().unwrap_or_else(PoisonError::into_inner) = false;
    }

    fn wait(&self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        while !*open {
            open = self
                .opened
                .wait(open)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// A job's progress, shared between the job and the window: how much of how much is done, and
/// whether the user cancelled it.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl Progress {
    /// Sets how many steps the job has.
    pub fn set_total(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Counts `steps` more steps done.
    pub fn advance(&self, steps: usize) {
        self.done.fetch_add(steps, Ordering::Relaxed);
    }

    /// `(done, total)`; total 0 when the job has not said.
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// Whether the job was cancelled: a job checks this between steps and stops early.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

/// A job under way, as the window shows it.
#[derive(Clone, Debug)]
pub struct JobInfo {
    /// Which job.
    pub id: JobId,
    /// What it does ("Computing agreement").
    pub label: String,
    /// `(done, total)` steps; total 0 when unknown.
    pub progress: (usize, usize),
}

type Work<T> = Box<dyn FnOnce(&Progress) -> T + Send>;

struct Running<T> {
    id: JobId,
    label: String,
    progress: Arc<Progress>,
    /// The work itself, with the deferred runner, until a poll runs it.
    deferred: Option<Work<T>>,
}

/// Called when a threaded job is done: the window's repaint signal.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The jobs of a workspace: started, polled for their outputs, cancelled.
pub struct Jobs<T> {
    runner: Runner,
    next: u64,
    running: Vec<Running<T>>,
    /// Outputs taken off the channel by [`Self::wait`] for other jobs, handed out by the next
    /// poll.
    ready: Vec<(JobId, T)>,
    sender: Sender<(JobId, T)>,
    receiver: Receiver<(JobId, T)>,
    waker: Option<Waker>,
}

impl<T> fmt::Debug for Jobs<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jobs")
            .field("runner", &self.runner)
            .field("running", &self.running.len())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Jobs<T> {
    /// No jobs yet, to run with `runner`.
    pub fn new(runner: Runner) -> Self {
        let (sender, receiver) = mpsc::channel();
        Self {
            runner,
            next: 0,
            running: Vec::new(),
            ready: Vec::new(),
            sender,
            receiver,
            waker: None,
        }
    }

    /// What a threaded job calls when it is done (the window passes its repaint signal).
    pub fn set_waker(&mut self, waker: Waker) {
        self.waker = Some(waker);
    }

    /// Starts `work`, labelled for the window. It does not run before this returns.
    pub fn start(
        &mut self,
        label: impl Into<String>,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> JobId {
        self.next += 1;
        let id = JobId(self.next);
        let progress = Arc::new(Progress::default());
        let gate = match &self.runner {
            Runner::Deferred => None,
            Runner::Threads => Some(None),
            Runner::Gated(gate) => Some(Some(Arc::clone(gate))),
        };
        let deferred = match gate {
            None => Some(Box::new(work) as Work<T>),
            Some(gate) => {
                self.spawn(id, &progress, gate, work);
                None
            }
        };
        self.running.push(Running {
            id,
            label: label.into(),
            progress,
            deferred,
        });
        id
    }

    fn spawn(
        &self,
        id: JobId,
        progress: &Arc<Progress>,
        gate: Option<Arc<Gate>>,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) {
        let sender = self.sender.clone();
        let shared = Arc::clone(progress);
        let waker = self.waker.clone();
        let spawned = std::thread::Builder::new()
            .name("stance-job".to_owned())
            .spawn(move || {
                if let Some(gate) = gate {
                    gate.wait();
                }
                let out = work(&shared);
                // The window may be gone (the workspace dropped): nothing to hand it to.
                let _ = sender.send((id, out));
                if let Some(w) = waker {
                    w();
                }
            });
        if let Err(e) = spawned {
            // No thread to be had: the job never ends, which the window shows; the user can
            // cancel it.
            eprintln!("stance: could not start a background job: {e}");
        }
    }

    /// The outputs of the jobs that finished since the last poll, in the order they finished;
    /// outputs of cancelled jobs are dropped. With the deferred runner, the jobs started
    /// before this call run now.
    pub fn poll(&mut self) -> Vec<(JobId, T)> {
        let mut done = std::mem::take(&mut self.ready);
        for r in &mut self.running {
            if let Some(work) = r.deferred.take() {
                done.push((r.id, work(&r.progress)));
            }
        }
        done.extend(self.receiver.try_iter());
        done.retain(|(id, _)| self.running.iter().any(|r| r.id == *id));
        self.running
            .retain(|r| done.iter().all(|(id, _)| *id != r.id));
        done
    }

    /// Blocks until job `id` is done and returns its output (`None` when it is not running):
    /// for quitting, which must not leave a save half done.
    pub fn wait(&mut self, id: JobId) -> Option<T> {
        let at = self.running.iter().position(|r| r.id == id)?;
        if let Some(work) = self.running[at].deferred.take() {
            let r = self.running.remove(at);
            return Some(work(&r.progress));
        }
        if let Some(i) = self.ready.iter().position(|(done, _)| *done == id) {
            self.running.remove(at);
            return Some(self.ready.remove(i).1);
        }
        while let Ok((done, out)) = self.receiver.recv() {
            if done == id {
                self.running.retain(|r| r.id != id);
                return Some(out);
            }
            self.ready.push((done, out));
        }
        None
    }

    /// Cancels job `id`: it is told to stop, and whatever it still hands back is dropped.
    pub fn cancel(&mut self, id: JobId) {
        if let Some(r) = self.running.iter().find(|r| r.id == id) {
            r.progress.cancel();
        }
        self.running.retain(|r| r.id != id);
    }

    /// Whether job `id` is still under way.
    pub fn is_running(&self, id: JobId) -> bool {
        self.running.iter().any(|r| r.id == id)
    }

    /// Whether any job is under way.
    pub fn any(&self) -> bool {
        !self.running.is_empty()
    }

    /// Every job under way, oldest first.
    pub fn list(&self) -> Vec<JobInfo> {
        self.running
            .iter()
            .map(|r| JobInfo {
                id: r.id,
                label: r.label.clone(),
                progress: r.progress.get(),
            })
            .collect()
    }

    /// The job `id`, if it is under way.
    pub fn info(&self, id: JobId) -> Option<JobInfo> {
        self.list().into_iter().find(|j| j.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deferred_job_runs_at_the_next_poll_not_when_started() {
        let ran = Arc::new(AtomicBool::new(false));
        let mut jobs = Jobs::new(Runner::Deferred);
        let seen = Arc::clone(&ran);
        let id = jobs.start("work", move |p| {
            p.set_total(1);
            seen.store(true, Ordering::Relaxed);
            7
        });
        assert!(!ran.load(Ordering::Relaxed), "it ran when started");
        assert!(jobs.is_running(id));
        assert_eq!(jobs.poll(), [(id, 7)]);
        assert!(ran.load(Ordering::Relaxed));
        assert!(!jobs.any());
        assert!(jobs.poll().is_empty());
    }

    #[test]
    fn a_cancelled_jobs_output_is_dropped_and_it_is_told_to_stop() {
        let gate = Gate::new();
        let mut jobs = Jobs::new(Runner::Gated(Arc::clone(&gate)));
        let (tx, rx) = mpsc::channel();
        let id = jobs.start("slow", move |p: &Progress| {
            tx.send(p.is_cancelled()).unwrap();
            1
        });
        let other = jobs.start("other", |_: &Progress| 2);
        jobs.cancel(id);
        assert!(!jobs.is_running(id));
        gate.open();
        assert_eq!(jobs.wait(other), Some(2));
        assert!(rx.recv().unwrap(), "the job saw it was cancelled");
        // Its output arrives, and is dropped.
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(jobs.poll().is_empty());
    }

    #[test]
    fn threads_wake_the_window_and_wait_returns_the_output() {
        let woken = Arc::new(AtomicUsize::new(0));
        let mut jobs = Jobs::new(Runner::Threads);
        let count = Arc::clone(&woken);
        jobs.set_waker(Arc::new(move || {
            count.fetch_add(1, Ordering::Relaxed);
        }));
        let a = jobs.start("a", |_: &Progress| "a");
        let b = jobs.start("b", |_: &Progress| "b");
        assert_eq!(jobs.wait(b), Some("b"));
        // `a` may have finished first: it waits in `ready` for the next poll.
        let mut rest = jobs.poll();
        if rest.is_empty() {
            rest = vec![(a, jobs.wait(a).unwrap())];
        }
        assert_eq!(rest, [(a, "a")]);
        assert!(!jobs.any());
        // The waker is called just after the output is sent.
        let start = std::time::Instant::now();
        while woken.load(Ordering::Relaxed) < 2 && start.elapsed().as_secs() < 5 {
            std::thread::yield_now();
        }
        assert_eq!(woken.load(Ordering::Relaxed), 2);
    }
}
