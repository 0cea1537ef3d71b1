//! A coder's queue and the team's progress, from the plan and the annotation files.
//!
//! An article's state for a coder is read from the coder's file: none (not started), a file
//! (in progress), a file marked `Done` (done). The window can pass its own cached states to
//! [`queue_with`] and [`progress_with`]; the CLI reads them from disk ([`read_state`]).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::plan::{Plan, Role};
use crate::core::model::annotation::Status;
use crate::core::project;
use crate::core::storage::store;

/// Where a coder stands on one article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkState {
    /// No file yet.
    NotStarted,
    /// A file that is not marked done.
    InProgress,
    /// A file marked done.
    Done,
    /// A file that cannot be read (the reason); `stance check` says more.
    Unreadable(String),
}

impl WorkState {
    /// A short word for tables.
    pub fn word(&self) -> &'static str {
        match self {
            Self::NotStarted => "not started",
            Self::InProgress => "in progress",
            Self::Done => "done",
            Self::Unreadable(_) => "unreadable",
        }
    }
}

/// Only the status of an annotation file: read without checking labels, so a file with an
/// unknown label still shows how far its coder got.
#[derive(Deserialize)]
struct StatusProbe {
    status: Status,
}

/// The state of `coder`'s file on `article` in the project in `root`.
pub fn read_state(root: &Path, article: &str, coder: &str) -> WorkState {
    let Ok(path) = project::annotation_path(root, article, coder) else {
        return WorkState::NotStarted;
    };
    if std::fs::symlink_metadata(&path).is_err() {
        return WorkState::NotStarted;
    }
    let probe = store::read_text(&path, "a stance annotation file (RON)")
        .and_then(|text| store::parse_ron::<StatusProbe>(&path, &text));
    match probe {
        Ok(StatusProbe {
            status: Status::Done,
        }) => WorkState::Done,
        Ok(_) => WorkState::InProgress,
        Err(e) => WorkState::Unreadable(e.to_string()),
    }
}

/// One article in a queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    /// The article.
    pub article: String,
    /// Why the coder codes it.
    pub role: Role,
    /// How far they are.
    pub state: WorkState,
}

/// A coder's articles in the order they are offered, and the project's other articles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queue {
    /// The coder.
    pub coder: String,
    /// Their articles: training, the sample, their own.
    pub items: Vec<QueueItem>,
    /// The project's articles that are not theirs (another coder's, or not assigned yet).
    pub not_mine: Vec<String>,
}

impl Queue {
    /// The article to open next: the first one in progress, else the first not started.
    /// `None` when everything is done.
    pub fn next(&self) -> Option<&QueueItem> {
        self.items
            .iter()
            .find(|i| i.state == WorkState::InProgress)
            .or_else(|| self.items.iter().find(|i| i.state == WorkState::NotStarted))
    }

    /// How many of the coder's articles are done.
    pub fn done(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.state == WorkState::Done)
            .count()
    }

    /// Whether `article` is the coder's, and in which role.
    pub fn role_of(&self, article: &str) -> Option<Role> {
        self.items
            .iter()
            .find(|i| i.article == article)
            .map(|i| i.role)
    }
}

/// `coder`'s queue, reading states from the files in `root`. Errors when `coder` is not one
/// of the plan's coders.
pub fn queue(plan: &Plan, articles: &[String], root: &Path, coder: &str) -> Result<Queue, String> {
    queue_with(plan, articles, coder, |a, c| read_state(root, a, c))
}

/// `coder`'s queue with states from `state(article, coder)`.
pub fn queue_with(
    plan: &Plan,
    articles: &[String],
    coder: &str,
    state: impl Fn(&str, &str) -> WorkState,
) -> Result<Queue, String> {
    if !plan.is_coder(coder) {
        return Err(format!(
            "`{}` is not a coder in this project's plan; its coders are {}",
            super::plan::shown(coder),
            if plan.coders.is_empty() {
                "none yet".to_owned()
            } else {
                plan.coders.join(", ")
            }
        ));
    }
    // Sets, not list searches: the window asks for a queue on a click, over thousands of
    // articles.
    let known: HashSet<&str> = articles.iter().map(String::as_str).collect();
    let items: Vec<QueueItem> = plan
        .articles_of(coder)
        .into_iter()
        .filter(|(a, _)| known.contains(a.as_str()))
        .map(|(article, role)| QueueItem {
            state: state(&article, coder),
            article,
            role,
        })
        .collect();
    let mine: HashSet<&str> = items.iter().map(|i| i.article.as_str()).collect();
    let not_mine = articles
        .iter()
        .filter(|a| !mine.contains(a.as_str()))
        .cloned()
        .collect();
    Ok(Queue {
        coder: coder.to_owned(),
        items,
        not_mine,
    })
}

/// One coder's progress: `(done, assigned)` per role and in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CoderProgress {
    /// The coder.
    pub coder: String,
    /// Articles assigned in all (training + sample + own).
    pub assigned: usize,
    /// Of those, done.
    pub done: usize,
    /// Of those, started but not done.
    pub in_progress: usize,
    /// Done and assigned per role.
    pub by_role: BTreeMap<Role, (usize, usize)>,
}

impl CoderProgress {
    /// `(done, assigned)` of one role.
    pub fn role(&self, role: Role) -> (usize, usize) {
        self.by_role.get(&role).copied().unwrap_or((0, 0))
    }
}

/// Every coder's progress, reading states from the files in `root`.
pub fn progress(plan: &Plan, articles: &[String], root: &Path) -> Vec<CoderProgress> {
    progress_with(plan, articles, |a, c| read_state(root, a, c))
}

/// Every coder's progress with states from `state(article, coder)`.
pub fn progress_with(
    plan: &Plan,
    articles: &[String],
    state: impl Fn(&str, &str) -> WorkState,
) -> Vec<CoderProgress> {
    plan.coders
        .iter()
        .filter_map(|c| queue_with(plan, articles, c, &state).ok())
        .map(|q| {
            let mut p = CoderProgress {
                coder: q.coder.clone(),
                assigned: q.items.len(),
                ..CoderProgress::default()
            };
            for i in &q.items {
                let slot = p.by_role.entry(i.role).or_default();
                slot.1 += 1;
                match i.state {
                    WorkState::Done => {
                        slot.0 += 1;
                        p.done += 1;
                    }
                    WorkState::InProgress => p.in_progress += 1,
                    WorkState::NotStarted | WorkState::Unreadable(_) => {}
                }
            }
            p
        })
        .collect()
}

/// Whether every coder has finished every sample article (blind coding ends then).
pub fn sample_complete(progress: &[CoderProgress]) -> bool {
    progress.iter().all(|p| {
        let (done, all) = p.role(Role::Sample);
        done == all
    })
}

/// Whether blind coding hides `owner`'s files from `viewer`: the plan is blind, the
/// reliability sample is not complete, `viewer` is a coder and not an editor, and the files
/// are someone else's (gold included).
pub fn hidden_from(plan: &Plan, viewer: &str, owner: &str, sample_complete: bool) -> bool {
    plan.blind
        && !sample_complete
        && plan.is_coder(viewer)
        && !plan.is_editor(viewer)
        && viewer != owner
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::team::plan::SampleSize;

    fn plan() -> Plan {
        let mut p = Plan::new(1, SampleSize::Count(1));
        p.coders = vec!["amira".into(), "jonas".into()];
        p.editors = vec!["ed".into()];
        p.training = vec!["t".into()];
        p.sample.articles = vec!["s".into()];
        p.assigned
            .insert("amira".into(), vec!["a1".into(), "a2".into()]);
        p.assigned.insert("jonas".into(), vec!["j1".into()]);
        p
    }

    fn articles() -> Vec<String> {
        ["a1", "a2", "j1", "s", "t", "x"].map(String::from).to_vec()
    }

    #[test]
    fn queue_shows_mine_in_order_and_the_next_article() {
        let states = |a: &str, _: &str| match a {
            "t" => WorkState::Done,
            "a1" => WorkState::InProgress,
            _ => WorkState::NotStarted,
        };
        let q = queue_with(&plan(), &articles(), "amira", states).unwrap();
        let order: Vec<(&str, Role)> = q
            .items
            .iter()
            .map(|i| (i.article.as_str(), i.role))
            .collect();
        assert_eq!(
            order,
            [
                ("t", Role::Training),
                ("s", Role::Sample),
                ("a1", Role::Assigned),
                ("a2", Role::Assigned)
            ]
        );
        // An article in progress comes before one not started.
        assert_eq!(q.next().unwrap().article, "a1");
        assert_eq!(q.not_mine, ["j1", "x"]);
        assert_eq!(q.done(), 1);
        assert_eq!(q.role_of("s"), Some(Role::Sample));
        assert_eq!(q.role_of("j1"), None);
        let all_done = queue_with(&plan(), &articles(), "jonas", |_, _| WorkState::Done).unwrap();
        assert_eq!(all_done.next(), None);
        assert!(
            queue_with(&plan(), &articles(), "ed", states)
                .unwrap_err()
                .contains("amira, jonas")
        );
    }

    #[test]
    fn progress_counts_per_role_and_the_sample_completes() {
        let states = |a: &str, c: &str| match (a, c) {
            ("s", "amira") | ("t" | "j1", _) => WorkState::Done,
            ("a1", _) => WorkState::InProgress,
            _ => WorkState::NotStarted,
        };
        let p = progress_with(&plan(), &articles(), states);
        assert_eq!(p[0].coder, "amira");
        assert_eq!((p[0].done, p[0].assigned, p[0].in_progress), (2, 4, 1));
        assert_eq!(p[0].role(Role::Sample), (1, 1));
        assert_eq!(p[1].role(Role::Sample), (0, 1));
        assert_eq!(p[1].role(Role::Assigned), (1, 1));
        assert!(!sample_complete(&p));
        assert!(sample_complete(&progress_with(
            &plan(),
            &articles(),
            |_, _| WorkState::Done
        )));
    }

    #[test]
    fn blind_mode_hides_others_from_coders_until_the_sample_is_done() {
        let mut p = plan();
        assert!(!hidden_from(&p, "amira", "jonas", false));
        p.blind = true;
        assert!(hidden_from(&p, "amira", "jonas", false));
        assert!(hidden_from(&p, "amira", "gold", false));
        assert!(!hidden_from(&p, "amira", "amira", false));
        assert!(!hidden_from(&p, "ed", "amira", false));
        assert!(!hidden_from(&p, "amira", "jonas", true));
    }

    #[test]
    fn states_come_from_the_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let folder = root.join("annotations/s");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("amira.ron"),
            "(format: 1, status: Done, claims: [])",
        )
        .unwrap();
        std::fs::write(folder.join("jonas.ron"), "(status: InProgress)").unwrap();
        std::fs::write(folder.join("li.ron"), "(status: Maybe)").unwrap();
        assert_eq!(read_state(root, "s", "amira"), WorkState::Done);
        assert_eq!(read_state(root, "s", "jonas"), WorkState::InProgress);
        assert!(
            matches!(read_state(root, "s", "li"), WorkState::Unreadable(m) if m.contains("Maybe"))
        );
        assert_eq!(read_state(root, "s", "zoe"), WorkState::NotStarted);
        assert_eq!(read_state(root, "../x", "zoe"), WorkState::NotStarted);
    }
}
