//! `project.ron`: who codes what in a team project.
//!
//! ```ron
//! (
//!     format: 1,
//!     coders: ["amira", "jonas"],
//!     editors: ["ed"],
//!     blind: true,
//!     thresholds: (alpha_min: 0.8, tentative: 0.667),
//!     training: ["000_fb0db49d048a0ffe"],
//!     sample: (seed: 1, size: Share(0.2), articles: ["003_cb7437eb45da7ccb"]),
//!     assigned: {"amira": ["001_f199504f34c41cb7"], "jonas": ["002_d65207c423398da4"]},
//! )
//! ```
//!
//! Every coder codes the training articles (scored against `gold.ron`) and the reliability
//! sample (for agreement); every other article is coded by the one coder it is assigned to.
//! The file is written by `stance assign` as deterministic pretty RON, like the annotation
//! files, and `stance check` validates it with `path:line:col` findings.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::sample_size::{self, LacyRiffe};
use crate::core::model::names;
use crate::core::project::{ANNOTATIONS_DIR, layout};
use crate::core::storage::finding::Finding;
use crate::core::storage::store::{self, LoadError, Pos};

/// The plan's file name, at the project's root.
pub const PLAN_FILE: &str = "project.ron";

/// The plan format this build writes and reads.
pub const PLAN_FORMAT: u32 = 1;

/// Krippendorff's (2004) conventions: rely on variables with alpha ≥ .800, draw tentative
/// conclusions from those with alpha ≥ .667.
pub const DEFAULT_ALPHA_MIN: f64 = 0.800;
/// See [`DEFAULT_ALPHA_MIN`].
pub const DEFAULT_TENTATIVE: f64 = 0.667;

/// A team project's plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// File format version ([`PLAN_FORMAT`]).
    pub format: u32,
    /// The coders, in the order they were added (ties in balancing go to the earlier one).
    pub coders: Vec<String>,
    /// Editors: they review, adjudicate and keep the project's own files.
    #[serde(default)]
    pub editors: Vec<String>,
    /// Whether coders may see only their own files until the reliability sample is done
    /// (Review and Agreement then show a coder nobody else's work).
    #[serde(default)]
    pub blind: bool,
    /// The alpha thresholds reports judge by.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Articles every coder codes first and that are scored against their `gold.ron`; they
    /// are left out of agreement.
    #[serde(default)]
    pub training: Vec<String>,
    /// The reliability sample: articles every coder codes.
    pub sample: Sample,
    /// Each coder's own articles (besides the training articles and the sample), in the
    /// order they are offered.
    #[serde(default)]
    pub assigned: BTreeMap<String, Vec<String>>,
}

/// Alpha thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// The smallest acceptable alpha (α_min); q(α < α_min) is reported against it and
    /// training passes at it.
    pub alpha_min: f64,
    /// The smallest alpha for tentative conclusions.
    pub tentative: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            alpha_min: DEFAULT_ALPHA_MIN,
            tentative: DEFAULT_TENTATIVE,
        }
    }
}

/// The reliability sample and how it was drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// The seed of the draw (see [`super::assign::rank`]).
    pub seed: u64,
    /// How large it is to be.
    pub size: SampleSize,
    /// The articles drawn, in draw order.
    pub articles: Vec<String>,
}

/// How the size of the reliability sample is decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SampleSize {
    /// A share of the articles that can be drawn (0.1 = 10%), rounded up.
    Share(f64),
    /// A fixed number of articles.
    Count(usize),
    /// Computed from the desired reliability (Lacy & Riffe 1996), with its inputs.
    LacyRiffe(LacyRiffe),
}

impl SampleSize {
    /// How many articles the rule asks for out of `candidates`, and the rule as recorded for
    /// that draw (a Lacy–Riffe population grows to the number of candidates when the
    /// project holds more articles than it said).
    pub fn target(&self, candidates: usize) -> Result<(Self, usize), String> {
        match self {
            Self::Share(share) => {
                if !(0.0..=1.0).contains(share) {
                    return Err(format!(
                        "the sample share must lie between 0 and 1 (0.1 is 10%), not {share}"
                    ));
                }
                #[allow(clippy::cast_sign_loss)] // a share of a count is not negative
                let n = (share * candidates as f64 - 1e-9).ceil().max(0.0) as usize;
                Ok((self.clone(), n.min(candidates)))
            }
            Self::Count(n) => Ok((self.clone(), (*n).min(candidates))),
            Self::LacyRiffe(record) => {
                let mut inputs = record.inputs();
                inputs.population = inputs.population.max(candidates);
                let computed = sample_size::lacy_riffe(inputs).map_err(|e| e.0)?;
                let n = computed.n.min(candidates);
                Ok((Self::LacyRiffe(computed), n))
            }
        }
    }

    /// One line for people: "20% of the articles", "Lacy & Riffe (1996): N = 100, …".
    pub fn describe(&self) -> String {
        match self {
            Self::Share(s) => format!("{}% of the articles", trim_number(s * 100.0)),
            Self::Count(n) => format!("{n} articles"),
            Self::LacyRiffe(r) => format!(
                "Lacy & Riffe (1996): population N = {}, assumed agreement P = {}, tolerance {}, confidence {} (one-tailed z = {:.3}, SE = {:.4}), n = {}",
                r.population,
                trim_number(r.assumed_agreement),
                trim_number(r.tolerance),
                trim_number(r.confidence),
                r.z,
                r.standard_error,
                r.n
            ),
        }
    }
}

/// A name as messages show it: control characters escaped, cut to 40 characters with an
/// ellipsis, so a 70,000-character argument does not become a 70,000-character message.
pub fn shown(name: &str) -> String {
    let escaped: String = name.escape_debug().collect();
    if escaped.chars().count() <= 40 {
        escaped
    } else {
        let cut: String = escaped.chars().take(39).collect();
        format!("{cut}…")
    }
}

/// A number without trailing zeros (0.9, 12.5, 20).
pub fn trim_number(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// What a coder does with an article of the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A training article, scored against gold.
    Training,
    /// In the reliability sample.
    Sample,
    /// Assigned to this coder alone.
    Assigned,
}

impl Role {
    /// A short word for tables.
    pub fn word(self) -> &'static str {
        match self {
            Self::Training => "training",
            Self::Sample => "sample",
            Self::Assigned => "assigned",
        }
    }
}

impl Plan {
    /// An empty plan with the default thresholds.
    pub fn new(seed: u64, size: SampleSize) -> Self {
        Self {
            format: PLAN_FORMAT,
            coders: Vec::new(),
            editors: Vec::new(),
            blind: false,
            thresholds: Thresholds::default(),
            training: Vec::new(),
            sample: Sample {
                seed,
                size,
                articles: Vec::new(),
            },
            assigned: BTreeMap::new(),
        }
    }

    /// `coder`'s articles in the order they are offered: training, then the reliability
    /// sample, then their own. Empty for someone who is not a coder.
    pub fn articles_of(&self, coder: &str) -> Vec<(String, Role)> {
        if !self.is_coder(coder) {
            return Vec::new();
        }
        let mut out: Vec<(String, Role)> = Vec::new();
        out.extend(self.training.iter().map(|a| (a.clone(), Role::Training)));
        out.extend(
            self.sample
                .articles
                .iter()
                .map(|a| (a.clone(), Role::Sample)),
        );
        if let Some(own) = self.assigned.get(coder) {
            out.extend(own.iter().map(|a| (a.clone(), Role::Assigned)));
        }
        out
    }

    /// Whether `name` is one of the plan's coders.
    pub fn is_coder(&self, name: &str) -> bool {
        self.coders.iter().any(|c| c == name)
    }

    /// Whether `name` is one of the plan's editors.
    pub fn is_editor(&self, name: &str) -> bool {
        self.editors.iter().any(|c| c == name)
    }

    /// Whether `article` is a training article.
    pub fn is_training(&self, article: &str) -> bool {
        self.training.iter().any(|a| a == article)
    }

    /// Whether `article` is in the reliability sample.
    pub fn in_sample(&self, article: &str) -> bool {
        self.sample.articles.iter().any(|a| a == article)
    }

    /// Who codes `article` besides the training and sample roles: its one assigned coder.
    pub fn owner_of(&self, article: &str) -> Option<&str> {
        self.assigned
            .iter()
            .find(|(_, list)| list.iter().any(|a| a == article))
            .map(|(c, _)| c.as_str())
    }

    /// The plan as the deterministic pretty RON `stance` writes.
    pub fn to_ron(&self) -> Result<String, ron::Error> {
        store::to_ron(self)
    }
}

/// `root/project.ron`.
pub fn plan_path(root: &Path) -> PathBuf {
    root.join(PLAN_FILE)
}

/// The project's plan, or `None` when it has no `project.ron`. A plan that does not parse,
/// or that contradicts itself, is an error naming the first problem (`stance check` lists
/// them all).
pub fn load(root: &Path) -> Result<Option<Plan>, LoadError> {
    let path = plan_path(root);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    refuse_escaping_link(root, &path)?;
    let text = store::read_text(&path, "a stance project plan (RON)")?;
    let plan = parse(&path, &text)?;
    if let Some(first) = problems(&plan, &text, &path, None)
        .into_iter()
        .find(Finding::is_error)
    {
        return Err(LoadError::Invalid {
            path,
            pos: first.pos,
            message: format!("{} (`stance check` lists every problem)", first.message),
        });
    }
    Ok(Some(plan))
}

/// Writes the plan atomically to `root/project.ron`.
pub fn save(root: &Path, plan: &Plan) -> std::io::Result<PathBuf> {
    let path = plan_path(root);
    refuse_escaping_link(root, &path).map_err(|e| std::io::Error::other(e.to_string()))?;
    let text = plan.to_ron().map_err(std::io::Error::other)?;
    store::write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// A `project.ron` that is a symlink leading out of the project is neither read nor written.
fn refuse_escaping_link(root: &Path, path: &Path) -> Result<(), LoadError> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    let inside = match (fs::canonicalize(root), fs::canonicalize(path)) {
        (Ok(r), Ok(p)) => p.starts_with(r),
        _ => false,
    };
    if inside {
        Ok(())
    } else {
        Err(LoadError::Invalid {
            path: path.to_owned(),
            pos: Pos { line: 1, col: 1 },
            message: "the plan is a symlink leading outside the project; stance neither reads nor writes it".into(),
        })
    }
}

/// Parses plan text read from `path`, with RON's positions and a clear word for another
/// format version.
pub fn parse(path: &Path, text: &str) -> Result<Plan, LoadError> {
    let plan: Plan = store::parse_ron(path, text)?;
    if plan.format != PLAN_FORMAT {
        return Err(LoadError::Invalid {
            path: path.to_owned(),
            pos: store::locate(text, "format:"),
            message: format!(
                "unsupported plan format {}; this build of stance reads format {PLAN_FORMAT}",
                plan.format
            ),
        });
    }
    Ok(plan)
}

/// Every problem of a parsed plan. With `articles` (the project's article ids) it also
/// warns about articles that are not in `seeds/`, articles nobody is assigned, and training
/// articles without gold.
pub fn problems(
    plan: &Plan,
    text: &str,
    path: &Path,
    articles: Option<&BTreeSet<String>>,
) -> Vec<Finding> {
    let mut c = Checker {
        plan,
        text,
        path,
        out: Vec::new(),
    };
    c.people();
    c.settings();
    let place = c.places();
    if let Some(articles) = articles {
        c.against_project(&place, articles);
    }
    let mut out = c.out;
    out.sort_by_key(|f| f.pos);
    out
}

/// The plan's checks, each adding findings to `out`.
struct Checker<'a> {
    plan: &'a Plan,
    text: &'a str,
    path: &'a Path,
    out: Vec<Finding>,
}

impl Checker<'_> {
    fn at(&self, section: &str, needle: &str) -> Pos {
        position(self.text, section, needle)
    }

    fn error(&mut self, pos: Pos, message: String) {
        self.out.push(Finding::error(self.path, pos, message));
    }

    fn warning(&mut self, pos: Pos, message: String) {
        self.out.push(Finding::warning(self.path, pos, message));
    }

    /// Coders and editors: there are coders, and every name is a valid, single one.
    fn people(&mut self) {
        let (plan, text) = (self.plan, self.text);
        if plan.coders.is_empty() {
            self.error(
                self.at("coders:", ""),
                "the plan names no coders; add them with `stance assign --coder NAME`".into(),
            );
        }
        for (section, names_list, what) in [
            ("coders:", &plan.coders, "coder"),
            ("editors:", &plan.editors, "editor"),
        ] {
            let mut seen = BTreeSet::new();
            // Each name is searched for after the one before, so a duplicate points at itself.
            let mut cursor = text.find(section).unwrap_or(0);
            for name in names_list {
                let needle = q(name);
                let offset = text[cursor..].find(&needle).map_or(cursor, |i| cursor + i);
                cursor = offset + needle.len().min(text.len() - offset);
                let pos = Pos::of_offset(text, offset);
                if let Err(e) = names::validate_name(name) {
                    self.error(
                        pos,
                        format!("`{}` cannot be a {what}'s name: {e}", shown(name)),
                    );
                } else if !seen.insert(name) {
                    self.error(pos, format!("{what} `{name}` is listed twice"));
                }
            }
        }
    }

    /// Thresholds in order, a size rule that works, a Lacy–Riffe size matching its inputs.
    fn settings(&mut self) {
        let plan = self.plan;
        let t = plan.thresholds;
        if !(t.tentative > 0.0 && t.tentative <= t.alpha_min && t.alpha_min <= 1.0) {
            self.error(
                self.at("thresholds:", ""),
                format!(
                    "the thresholds must satisfy 0 < tentative ≤ alpha_min ≤ 1 (e.g. tentative 0.667, alpha_min 0.8); found tentative {}, alpha_min {}",
                    t.tentative, t.alpha_min
                ),
            );
        }
        if let Err(e) = plan.sample.size.target(plan.sample.articles.len()) {
            self.error(self.at("size:", ""), e);
        }
        if let SampleSize::LacyRiffe(r) = &plan.sample.size
            && let Ok(again) = sample_size::lacy_riffe(r.inputs())
            && again.n != r.n
        {
            self.warning(
                self.at("LacyRiffe(", " n: "),
                format!(
                    "the plan records n = {} but its inputs give n = {}; run `stance assign` to recompute it",
                    r.n, again.n
                ),
            );
        }
    }

    /// Each article has one place: training, the sample, or one coder's own list; own lists
    /// belong to coders. Returns every article's place.
    fn places(&mut self) -> BTreeMap<String, String> {
        let plan = self.plan;
        let mut place: BTreeMap<String, String> = BTreeMap::new();
        let mut put = |c: &mut Self, article: &str, what: String, pos: Pos| {
            if let Some(before) = place.get(article) {
                c.error(
                    pos,
                    format!(
                        "article `{article}` is {what} and also {before}; an article has one place in the plan"
                    ),
                );
            } else {
                place.insert(article.to_owned(), what);
            }
        };
        for a in &plan.training {
            let pos = self.at("training:", &q(a));
            put(self, a, "a training article".into(), pos);
        }
        for a in &plan.sample.articles {
            let pos = self.at("sample:", &q(a));
            put(self, a, "in the reliability sample".into(), pos);
        }
        for (coder, list) in &plan.assigned {
            let section = format!("{}:", q(coder));
            if !plan.is_coder(coder) {
                self.error(
                    self.at("assigned:", &section),
                    format!("articles are assigned to `{coder}`, who is not among the coders"),
                );
            }
            for a in list {
                let pos = self.at(&section, &q(a));
                put(self, a, format!("assigned to `{coder}`"), pos);
            }
        }
        place
    }

    /// Against the project: articles not in `seeds/`, training without gold, articles
    /// nobody has.
    fn against_project(&mut self, place: &BTreeMap<String, String>, articles: &BTreeSet<String>) {
        let plan = self.plan;
        for (article, what) in place {
            if !articles.contains(article) {
                self.warning(
                    self.at("", &q(article)),
                    format!(
                        "article `{article}` ({what}) is not in `seeds/`; run `stance assign` to update the plan"
                    ),
                );
            }
        }
        let root = self.path.parent().unwrap_or(Path::new("."));
        for a in &plan.training {
            let gold = layout::gold_path(root, a);
            if articles.contains(a) && !gold.is_file() {
                self.warning(
                    self.at("training:", &q(a)),
                    format!(
                        "training article `{a}` has no `{ANNOTATIONS_DIR}/{a}/gold.ron` yet, so training on it cannot be scored"
                    ),
                );
            }
        }
        let unplanned = articles.iter().filter(|a| !place.contains_key(*a)).count();
        if unplanned > 0 && !plan.coders.is_empty() {
            let (count, them) = if unplanned == 1 {
                ("1 article is".to_owned(), "it")
            } else {
                (format!("{unplanned} articles are"), "them")
            };
            self.warning(
                Pos { line: 1, col: 1 },
                format!(
                    "{count} in `seeds/` not in the plan; run `stance assign` to assign {them}"
                ),
            );
        }
    }
}

/// `"name"`, as the name is written in the file.
fn q(name: &str) -> String {
    format!("{name:?}")
}

/// The position of `needle` at or after the first `section` key (the section itself when the
/// needle is empty or absent; the top of the file when neither is found).
fn position(text: &str, section: &str, needle: &str) -> Pos {
    let start = if section.is_empty() {
        Some(0)
    } else {
        text.find(section)
    };
    let Some(start) = start else {
        return Pos { line: 1, col: 1 };
    };
    let at = if needle.is_empty() {
        start
    } else {
        text[start..].find(needle).map_or(start, |i| start + i)
    };
    Pos::of_offset(text, at)
}

/// What `stance check` adds for a project with a plan: the plan's problems (parse errors
/// included) as findings, and whether a plan file was read.
pub fn check(root: &Path, articles: &BTreeSet<String>) -> (bool, Vec<Finding>) {
    let path = plan_path(root);
    if fs::symlink_metadata(&path).is_err() {
        return (false, Vec::new());
    }
    if let Err(e) = refuse_escaping_link(root, &path) {
        return (false, vec![Finding::from(&e)]);
    }
    let text = match store::read_text(&path, "a stance project plan (RON)") {
        Ok(t) => t,
        Err(e) => return (true, vec![Finding::from(&e)]),
    };
    match parse(&path, &text) {
        Ok(plan) => (true, problems(&plan, &text, &path, Some(articles))),
        Err(e) => (true, vec![Finding::from(&e)]),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let mut p = Plan::new(7, SampleSize::Share(0.5));
        p.coders = vec!["amira".into(), "jonas".into()];
        p.editors = vec!["ed".into()];
        p.training = vec!["t1".into()];
        p.sample.articles = vec!["s1".into()];
        p.assigned.insert("amira".into(), vec!["a1".into()]);
        p.assigned.insert("jonas".into(), vec!["a2".into()]);
        p
    }

    fn findings(p: &Plan, articles: &[&str]) -> Vec<Finding> {
        let text = p.to_ron().unwrap();
        let articles: BTreeSet<String> = articles.iter().map(|s| (*s).to_owned()).collect();
        problems(p, &text, Path::new("project.ron"), Some(&articles))
    }

    #[test]
    fn plan_round_trips_byte_identical() {
        let p = plan();
        let text = p.to_ron().unwrap();
        let back = parse(Path::new("project.ron"), &text).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.to_ron().unwrap(), text);
        assert!(
            text.contains("thresholds: (\n        alpha_min: 0.8,\n        tentative: 0.667,"),
            "{text}"
        );
        assert!(text.contains("size: Share(0.5)"), "{text}");
    }

    #[test]
    fn shown_names_are_short_and_escaped() {
        assert_eq!(shown("amira"), "amira");
        assert_eq!(shown("a\nb"), "a\\nb");
        let long = shown(&"x".repeat(70_000));
        assert_eq!(long.chars().count(), 40);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn queue_order_is_training_sample_own() {
        let p = plan();
        let roles: Vec<(String, Role)> = p.articles_of("amira");
        assert_eq!(
            roles,
            vec![
                ("t1".into(), Role::Training),
                ("s1".into(), Role::Sample),
                ("a1".into(), Role::Assigned)
            ]
        );
        assert!(p.articles_of("ed").is_empty());
        assert_eq!(p.owner_of("a2"), Some("jonas"));
        assert_eq!(p.owner_of("s1"), None);
    }

    #[test]
    fn unknown_fields_and_other_formats_are_refused_with_positions() {
        let text = plan()
            .to_ron()
            .unwrap()
            .replace("blind: false,", "blind: false,\n    colour: 3,");
        let e = parse(Path::new("project.ron"), &text).unwrap_err();
        assert_eq!(
            e.pos().line,
            text.lines().position(|l| l.contains("colour")).unwrap() + 1
        );
        assert!(e.message().contains("colour"), "{}", e.message());
        let text = plan().to_ron().unwrap().replace("format: 1,", "format: 2,");
        let e = parse(Path::new("project.ron"), &text).unwrap_err();
        assert!(
            e.message().contains("unsupported plan format 2"),
            "{}",
            e.message()
        );
        assert_eq!(e.pos(), Pos { line: 2, col: 5 });
    }

    #[test]
    fn a_sound_plan_has_no_findings() {
        let p = plan();
        let dir = tempfile::tempdir().unwrap();
        let gold = dir.path().join("annotations/t1/gold.ron");
        fs::create_dir_all(gold.parent().unwrap()).unwrap();
        fs::write(&gold, "x").unwrap();
        let text = p.to_ron().unwrap();
        let articles: BTreeSet<String> = ["t1", "s1", "a1", "a2"].map(String::from).into();
        let found = problems(&p, &text, &dir.path().join(PLAN_FILE), Some(&articles));
        assert_eq!(found, vec![]);
    }

    #[test]
    fn contradictions_are_errors_at_the_offending_name() {
        let mut p = plan();
        p.coders.push("amira".into());
        p.editors.push("../x".into());
        p.sample.articles.push("a1".into());
        p.assigned.insert("zoe".into(), vec!["a9".into()]);
        p.thresholds.tentative = 0.9;
        let text = p.to_ron().unwrap();
        let found = findings(&p, &["t1", "s1", "a1", "a2", "a9"]);
        let has = |s: &str| {
            found
                .iter()
                .find(|f| f.message.contains(s))
                .unwrap_or_else(|| panic!("{s}: {found:?}"))
        };
        let twice = has("coder `amira` is listed twice");
        assert!(twice.is_error());
        // The second "amira" in the coders list, not the first.
        assert_eq!(
            text.lines().nth(twice.pos.line - 1).unwrap().trim(),
            "\"amira\","
        );
        assert!(twice.pos.line > text.lines().position(|l| l.contains("\"amira\"")).unwrap() + 1);
        assert!(has("cannot be a editor's name").is_error());
        let placed = has("article `a1` is assigned to `amira` and also in the reliability sample");
        assert!(placed.is_error());
        assert!(has("assigned to `zoe`, who is not among the coders").is_error());
        assert!(has("0 < tentative ≤ alpha_min ≤ 1").is_error());
    }

    #[test]
    fn missing_articles_gold_and_unassigned_are_warnings() {
        let p = plan();
        let found = findings(&p, &["t1", "s1", "a1", "new1", "new2"]);
        let msgs: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert!(found.iter().all(|f| !f.is_error()), "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|m| m.contains("article `a2` (assigned to `jonas`) is not in `seeds/`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("training article `t1` has no")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("2 articles are in `seeds/` not in the plan")),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_stale_lacy_riffe_size_is_a_warning() {
        let mut p = plan();
        let mut r = sample_size::lacy_riffe(sample_size::LacyRiffeInputs {
            population: 100,
            assumed_agreement: 0.9,
            tolerance: 0.05,
            confidence: 0.95,
        })
        .unwrap();
        r.n = 12;
        p.sample.size = SampleSize::LacyRiffe(r);
        let found = findings(&p, &["t1", "s1", "a1", "a2"]);
        assert!(
            found.iter().any(|f| !f.is_error()
                && f.message
                    .contains("records n = 12 but its inputs give n = 51")),
            "{found:?}"
        );
    }

    #[test]
    fn targets_follow_the_rule() {
        assert_eq!(SampleSize::Share(0.1).target(95).unwrap().1, 10);
        assert_eq!(SampleSize::Share(0.2).target(10).unwrap().1, 2);
        assert_eq!(SampleSize::Count(40).target(12).unwrap().1, 12);
        assert!(SampleSize::Share(1.5).target(10).is_err());
        let r = sample_size::lacy_riffe(sample_size::LacyRiffeInputs {
            population: 50,
            assumed_agreement: 0.9,
            tolerance: 0.05,
            confidence: 0.95,
        })
        .unwrap();
        // More articles than the population said: the population grows to them.
        let (rule, n) = SampleSize::LacyRiffe(r).target(100).unwrap();
        assert_eq!(n, 51);
        let SampleSize::LacyRiffe(r) = rule else {
            panic!()
        };
        assert_eq!(r.population, 100);
    }
}
