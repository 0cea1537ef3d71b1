//! The team plan as the window shows and edits it: `project.ron` read with every coder's
//! progress (on another thread: it reads the status of every planned file), the coder's own
//! queue in the order the plan offers it, the blind rule, and the editor's draft of changes
//! that `stance assign` would make. No egui here; the core does the work
//! ([`crate::core::team`]): this only gathers what a frame needs, so drawing never reads a file.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::core::model::names;
use crate::core::project::Project;
use crate::core::team::assign::{self, Request, SizeRequest};
use crate::core::team::plan::{self, Plan, Role};
use crate::core::team::queue::{self, CoderProgress, WorkState};

/// The plan and what the window shows of it, as read from disk at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanView {
    /// The plan.
    pub plan: Plan,
    /// Every coder's progress (training, sample, own), read from their files.
    pub progress: Vec<CoderProgress>,
    /// Every coder's queue (their articles in order, with states), in plan order.
    pub queues: Vec<queue::Queue>,
    /// Whether every coder has finished every sample article (blind coding ends then).
    pub sample_complete: bool,
    /// Who this view is for (the window's annotator).
    pub viewer: String,
    /// The viewer's articles, as indexes into the project's articles, in the order the plan
    /// offers them (training, sample, own); empty for someone who is not a coder.
    pub mine: Vec<usize>,
    /// The viewer's role on each of the project's articles (by index); `None`: not theirs.
    pub roles: Vec<Option<Role>>,
    /// The article the viewer should code next (the core's `Queue::next`), read from disk.
    pub next: Option<String>,
    /// Project articles the plan does not mention yet (added to `seeds/` since): the next
    /// assignment deals them out.
    pub unplanned: usize,
}

impl PlanView {
    /// Reads the plan of `project` and everyone's progress for `viewer`. `Ok(None)`: the
    /// project has no plan. An invalid plan is an error at its `path:line:col`.
    pub fn load(project: &Project, viewer: &str) -> Result<Option<Self>, String> {
        let root = &project.root;
        let Some(plan) = plan::load(root).map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let ids: Vec<String> = project.articles.iter().map(|a| a.id.clone()).collect();
        // Each planned file's state is read once, for the queues and the progress both.
        let mut states: HashMap<(String, String), WorkState> = HashMap::new();
        for coder in &plan.coders {
            for (article, _) in plan.articles_of(coder) {
                let state = queue::read_state(root, &article, coder);
                states.insert((article, coder.clone()), state);
            }
        }
        let state = |a: &str, c: &str| {
            states
                .get(&(a.to_owned(), c.to_owned()))
                .cloned()
                .unwrap_or(WorkState::NotStarted)
        };
        let queues: Vec<queue::Queue> = plan
            .coders
            .iter()
            .filter_map(|c| queue::queue_with(&plan, &ids, c, state).ok())
            .collect();
        let progress = queue::progress_with(&plan, &ids, state);
        let sample_complete = queue::sample_complete(&progress);
        let index: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, a)| (a.as_str(), i))
            .collect();
        let mut roles = vec![None; ids.len()];
        let mut mine = Vec::new();
        for (article, role) in plan.articles_of(viewer) {
            if let Some(&i) = index.get(article.as_str()) {
                roles[i] = Some(role);
                mine.push(i);
            }
        }
        // The core's queue, with states read from the files as the CLI's `queue` reads
        // them: the window opens where `stance queue` says to go on.
        let next = queues
            .iter()
            .find(|q| q.coder == viewer)
            .and_then(|q| q.next())
            .map(|i| i.article.clone());
        let unplanned = ids
            .iter()
            .filter(|a| !plan.is_training(a) && !plan.in_sample(a) && plan.owner_of(a).is_none())
            .count();
        Ok(Some(Self {
            plan,
            progress,
            queues,
            sample_complete,
            viewer: viewer.to_owned(),
            mine,
            roles,
            next,
            unplanned,
        }))
    }

    /// Whether blind coding hides `owner`'s files from the viewer now (the core's
    /// `hidden_from`: a blind plan, the sample not finished, the viewer a coder and not an
    /// editor, the files someone else's, gold included).
    pub fn hides(&self, owner: &str) -> bool {
        queue::hidden_from(&self.plan, &self.viewer, owner, self.sample_complete)
    }

    /// Why the viewer sees only their own files, when blind coding hides the others' now.
    pub fn blind_reason(&self) -> Option<String> {
        // Gold is never the viewer's own: it is hidden exactly when everyone else's is.
        if !self.hides(crate::core::model::names::GOLD) {
            return None;
        }
        let total = self.plan.sample.articles.len();
        let unfinished: Vec<String> = self
            .progress
            .iter()
            .filter_map(|p| {
                let (done, all) = p.role(Role::Sample);
                (done < all).then(|| format!("{} {done} of {all}", p.coder))
            })
            .collect();
        Some(format!(
            "Blind coding: the plan hides the other coders' files from coders until every coder has finished the {total} articles of the reliability sample ({} so far). You see only your own; editors see everything.",
            unfinished.join(", ")
        ))
    }

    /// The viewer's queue with the states the window knows now (`state(article)`), as the
    /// core builds it. `None` for someone who is not a coder.
    pub fn queue_with(
        &self,
        project: &Project,
        state: impl Fn(&str) -> WorkState,
    ) -> Option<queue::Queue> {
        let ids: Vec<String> = project.articles.iter().map(|a| a.id.clone()).collect();
        queue::queue_with(&self.plan, &ids, &self.viewer, |a, _| state(a)).ok()
    }

    /// Whether the viewer may change the plan: an editor of it (anyone, while the plan has
    /// no editors yet, as on the command line).
    pub fn may_edit(&self) -> bool {
        self.plan.editors.is_empty() || self.plan.is_editor(&self.viewer)
    }
}

/// How the editor wants the reliability sample sized, on the Plan tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RuleChoice {
    /// Keep the plan's rule (a new plan needs one of the others).
    #[default]
    Keep,
    /// A share of the articles.
    Share,
    /// A number of articles.
    Count,
    /// Lacy & Riffe (1996) from the desired reliability.
    LacyRiffe,
}

/// The editor's changes to the plan as typed on the Plan tab: what `stance assign` takes as
/// arguments. Numbers stay text until the assignment runs, so a half-typed number is not an
/// error while it is typed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent switches of a form
pub struct PlanDraft {
    /// A coder's name being typed.
    pub coder: String,
    /// An editor's name being typed.
    pub editor: String,
    /// Coders to add.
    pub coders: Vec<String>,
    /// Editors to add.
    pub editors: Vec<String>,
    /// Training articles to add.
    pub training: Vec<String>,
    /// How the sample is sized.
    pub rule: RuleChoice,
    /// The share, as typed (0.1 = 10%).
    pub share: String,
    /// The count, as typed.
    pub count: String,
    /// Lacy–Riffe: the agreement assumed.
    pub assumed_agreement: String,
    /// Lacy–Riffe: the tolerance.
    pub tolerance: String,
    /// Lacy–Riffe: the confidence.
    pub confidence: String,
    /// Lacy–Riffe: the population, empty for the project's articles.
    pub population: String,
    /// The seed, empty for the plan's (or 1).
    pub seed: String,
    /// Switch blind coding: `None` leaves it as the plan has it.
    pub blind: Option<bool>,
    /// Why the last name typed was refused.
    pub refused: Option<String>,
}

impl Default for PlanDraft {
    fn default() -> Self {
        Self {
            coder: String::new(),
            editor: String::new(),
            coders: Vec::new(),
            editors: Vec::new(),
            training: Vec::new(),
            rule: RuleChoice::Keep,
            share: "0.1".to_owned(),
            count: "20".to_owned(),
            assumed_agreement: "0.9".to_owned(),
            tolerance: "0.05".to_owned(),
            confidence: "0.95".to_owned(),
            population: String::new(),
            seed: String::new(),
            blind: None,
            refused: None,
        }
    }
}

impl PlanDraft {
    /// The `stance assign` request the draft asks for, or what is wrong with it.
    pub fn request(&self) -> Result<Request, String> {
        let number = |what: &str, text: &str| -> Result<f64, String> {
            text.trim()
                .parse::<f64>()
                .map_err(|_| format!("{what} must be a number such as 0.9, not `{text}`"))
        };
        let size = match self.rule {
            RuleChoice::Keep => None,
            RuleChoice::Share => Some(SizeRequest::Share(number("the share", &self.share)?)),
            RuleChoice::Count => Some(SizeRequest::Count(self.count.trim().parse().map_err(
                |_| {
                    format!(
                        "the count must be a whole number such as 20, not `{}`",
                        self.count
                    )
                },
            )?)),
            RuleChoice::LacyRiffe => Some(SizeRequest::LacyRiffe {
                population: match self.population.trim() {
                    "" => None,
                    p => Some(p.parse().map_err(|_| {
                        format!("the population must be a whole number, not `{p}`")
                    })?),
                },
                assumed_agreement: number("the assumed agreement", &self.assumed_agreement)?,
                tolerance: number("the tolerance", &self.tolerance)?,
                confidence: number("the confidence", &self.confidence)?,
            }),
        };
        let seed = match self.seed.trim() {
            "" => None,
            s => Some(
                s.parse()
                    .map_err(|_| format!("the seed must be a whole number, not `{s}`"))?,
            ),
        };
        Ok(Request {
            coders: self.coders.clone(),
            editors: self.editors.clone(),
            training: self.training.clone(),
            size,
            seed,
            blind: self.blind,
            alpha_min: None,
            tentative: None,
        })
    }

    /// Takes the name being typed into the coders to add (`editor`: the editors); whether
    /// it was a new one. A name that cannot be a person's is refused at once (`refused` says
    /// why, the name shortened) and stays in the field to be corrected.
    pub fn take_typed(&mut self, editor: bool) -> bool {
        let (typed, list) = if editor {
            (&mut self.editor, &mut self.editors)
        } else {
            (&mut self.coder, &mut self.coders)
        };
        let name = typed.trim().to_owned();
        if name.is_empty() || list.contains(&name) {
            return false;
        }
        if let Err(e) = names::validate_person(&name) {
            self.refused = Some(format!("`{}` cannot be a name: {e}", plan::shown(&name)));
            return false;
        }
        list.push(name);
        typed.clear();
        self.refused = None;
        true
    }
}

/// Runs the assignment for `project` as `stance assign` does (the core's `assign` over the
/// plan on disk and the work already started) and writes `project.ron` atomically. Returns
/// what changed, one line each.
pub fn assign_and_save(project: &Project, request: &Request) -> Result<Vec<String>, String> {
    let root = &project.root;
    let existing = plan::load(root).map_err(|e| e.to_string())?;
    let ids: Vec<String> = project.articles.iter().map(|a| a.id.clone()).collect();
    let started = assign::started_work(root, &ids);
    let outcome = assign::assign(existing.as_ref(), &ids, &started, request)?;
    let path = plan::save(root, &outcome.plan)
        .map_err(|e| format!("could not write {}: {e}", plan::plan_path(root).display()))?;
    Ok(outcome_lines(&outcome, &path))
}

/// What an assignment changed, for the Plan tab's message.
fn outcome_lines(o: &assign::Assignment, path: &Path) -> Vec<String> {
    let mut lines = vec![format!("Saved {}.", path.display())];
    let mut line = String::new();
    if !o.drawn.is_empty() {
        let _ = write!(line, "{} drawn into the sample. ", o.drawn.len());
    }
    if !o.dealt.is_empty() {
        let _ = write!(line, "{} newly assigned. ", o.dealt.len());
    }
    if !line.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    for (a, from, to) in &o.moved {
        lines.push(format!(
            "Moved {a} from {from} to {to} (not started) to balance."
        ));
    }
    lines.extend(o.notes.iter().cloned());
    lines
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::core::team::sample_size::LacyRiffeInputs;

    #[test]
    fn plan_draft_request_parses_the_rule_and_names_a_bad_number() {
        let mut d = PlanDraft::default();
        assert_eq!(d.request().unwrap().size, None);
        d.rule = RuleChoice::LacyRiffe;
        let Some(SizeRequest::LacyRiffe {
            population,
            assumed_agreement,
            tolerance,
            confidence,
        }) = d.request().unwrap().size
        else {
            panic!("not Lacy–Riffe");
        };
        let inputs = LacyRiffeInputs {
            population: population.unwrap_or(100),
            assumed_agreement,
            tolerance,
            confidence,
        };
        assert_eq!(
            crate::core::team::sample_size::lacy_riffe(inputs)
                .unwrap()
                .n,
            51
        );
        d.assumed_agreement = "0,9".into();
        assert!(d.request().unwrap_err().contains("`0,9`"));
        d.rule = RuleChoice::Count;
        d.count = "x".into();
        assert!(d.request().unwrap_err().contains("whole number"));
        d.count = "3".into();
        assert_eq!(d.request().unwrap().size, Some(SizeRequest::Count(3)));
        d.seed = "7".into();
        assert_eq!(d.request().unwrap().seed, Some(7));
    }

    #[test]
    fn plan_draft_take_typed_adds_a_name_once() {
        let mut d = PlanDraft {
            coder: " amira ".into(),
            ..PlanDraft::default()
        };
        assert!(d.take_typed(false));
        assert_eq!(d.coders, ["amira"]);
        assert!(d.coder.is_empty());
        d.coder = "amira".into();
        assert!(!d.take_typed(false));
        d.editor = "ed".into();
        assert!(d.take_typed(true));
        assert_eq!(d.editors, ["ed"]);
        // A 70,000-character name is refused at once, and the message stays short.
        d.coder = "a".repeat(70_000);
        assert!(!d.take_typed(false));
        let why = d.refused.clone().unwrap();
        assert!(why.chars().count() < 300, "{why}");
        assert_eq!(d.coders, ["amira"]);
        d.coder = "jonas".into();
        assert!(d.take_typed(false));
        assert_eq!(d.refused, None);
    }
}
