//! `stance assign`: who codes which article, with a reliability sample every coder codes.
//!
//! **The draw.** Articles are put in a random order that anyone can reproduce: by the
//! SHA-256 of the seed, a purpose word and the article id ([`rank`]). The reliability sample
//! is the first `n` articles of that order that are not training articles (a simple random
//! sample, as the first `n` of independent uniform keys); the other articles are dealt out in
//! a second such order, each to the coder with the fewest so far. The same project, plan and
//! seed give the same `project.ron`, byte for byte.
//!
//! **Extending.** Running `assign` again (more articles in `seeds/`, another `--coder`, a
//! larger sample) keeps everything already decided: the sample only grows (by the next
//! articles in its order), assignments stay, and new articles are dealt out. To balance a new
//! coder in, articles are moved from the busiest coders, but never one its coder has
//! *started*: started means the coder has a file for it (any status), since moving it would
//! waste that work or leave it orphaned. When started work makes exact balance impossible,
//! the outcome says so.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::plan::{Plan, SampleSize};
use super::sample_size::{self, LacyRiffeInputs};
use crate::core::model::names;
use crate::core::project::walk;

/// How large the reliability sample is to be, as asked on the command line.
#[derive(Clone, Debug, PartialEq)]
pub enum SizeRequest {
    /// A share of the articles (0.1 = 10%).
    Share(f64),
    /// A number of articles.
    Count(usize),
    /// From the desired reliability (Lacy & Riffe 1996). Without a population, the number of
    /// articles that can be drawn is used.
    LacyRiffe {
        /// `N`, if not the project's articles.
        population: Option<usize>,
        /// `P`.
        assumed_agreement: f64,
        /// The tolerance.
        tolerance: f64,
        /// The confidence.
        confidence: f64,
    },
}

/// What to change in the plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    /// Coders to add.
    pub coders: Vec<String>,
    /// Editors to add.
    pub editors: Vec<String>,
    /// Training articles to add.
    pub training: Vec<String>,
    /// A new size rule for the sample (the plan's otherwise).
    pub size: Option<SizeRequest>,
    /// The seed (only for a new plan or one whose sample is still empty).
    pub seed: Option<u64>,
    /// Switch blind coding on or off.
    pub blind: Option<bool>,
    /// A new α_min.
    pub alpha_min: Option<f64>,
    /// A new tentative threshold.
    pub tentative: Option<f64>,
}

/// An article given to a coder: `(article, coder)`.
pub type Dealt = (String, String);

/// An article moved to balance: `(article, from, to)`.
pub type Moved = (String, String, String);

/// The new plan and what changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// The plan to save.
    pub plan: Plan,
    /// Articles newly drawn into the sample.
    pub drawn: Vec<String>,
    /// Articles newly given to a coder.
    pub dealt: Vec<Dealt>,
    /// Articles moved to balance.
    pub moved: Vec<Moved>,
    /// Things the editor should know (a sample that did not shrink, unbalance kept because of
    /// started work, articles gone from `seeds/`).
    pub notes: Vec<String>,
}

impl Assignment {
    /// Each coder's number of own articles, in plan order.
    pub fn loads(&self) -> Vec<(String, usize)> {
        self.plan
            .coders
            .iter()
            .map(|c| (c.clone(), self.plan.assigned.get(c).map_or(0, Vec::len)))
            .collect()
    }
}

/// The sort key of `article` in the order drawn for `purpose` ("sample" or "assign") with
/// `seed`: SHA-256 of `stance/<purpose>/<seed>/<article>`.
pub fn rank(seed: u64, purpose: &str, article: &str) -> [u8; 32] {
    Sha256::digest(format!("stance/{purpose}/{seed}/{article}").as_bytes()).into()
}

/// Every `(article, annotator)` with an annotation file in `root`: the work already started.
pub fn started_work(root: &Path, articles: &[String]) -> BTreeSet<(String, String)> {
    // The project walker's list: what stance reads as an annotation file (a link out of the
    // project, or a name that cannot be an annotator's, is no one's work).
    let mut out = BTreeSet::new();
    for a in articles {
        for (annotator, _) in walk::article_folder(root, a).0.annotators {
            out.insert((a.clone(), annotator));
        }
    }
    out
}

/// Makes or extends a plan for `articles` (the project's article ids). `started` is the work
/// already started ([`started_work`]). Pure: nothing is read or written.
pub fn assign(
    existing: Option<&Plan>,
    articles: &[String],
    started: &BTreeSet<(String, String)>,
    req: &Request,
) -> Result<Assignment, String> {
    let mut notes = Vec::new();
    let mut plan = start(existing, req)?;
    settle_people_and_thresholds(&mut plan, req)?;
    let known: BTreeSet<&str> = articles.iter().map(String::as_str).collect();
    drop_gone(&mut plan, &known, &mut notes);
    add_training(&mut plan, &known, &req.training)?;
    let candidates: Vec<&String> = articles.iter().filter(|a| !plan.is_training(a)).collect();
    let drawn = draw_sample(&mut plan, &candidates, req.size.as_ref(), &mut notes)?;
    let (dealt, moved) = deal(&mut plan, &candidates, started, &mut notes);
    Ok(Assignment {
        plan,
        drawn,
        dealt,
        moved,
        notes,
    })
}

/// The plan to start from: the existing one (keeping its seed once a sample is drawn) or a
/// new one, which needs a size rule.
fn start(existing: Option<&Plan>, req: &Request) -> Result<Plan, String> {
    let Some(p) = existing else {
        if req.size.is_none() {
            return Err("say how large the reliability sample is: --share 0.1, --count 20, or --lacy-riffe with --assumed-agreement, --tolerance and --confidence".into());
        }
        // The rule is set from the request when the sample is drawn.
        return Ok(Plan::new(req.seed.unwrap_or(1), SampleSize::Count(0)));
    };
    if let Some(seed) = req.seed
        && seed != p.sample.seed
        && !p.sample.articles.is_empty()
    {
        return Err(format!(
            "the plan's sample was drawn with seed {}; a plan keeps its seed (delete `project.ron` to draw a new plan with seed {seed})",
            p.sample.seed
        ));
    }
    let mut p = p.clone();
    if let Some(seed) = req.seed {
        p.sample.seed = seed;
    }
    Ok(p)
}

/// Adds coders and editors and applies the switches and thresholds asked for.
fn settle_people_and_thresholds(plan: &mut Plan, req: &Request) -> Result<(), String> {
    add_names(&mut plan.coders, &req.coders, "coder")?;
    add_names(&mut plan.editors, &req.editors, "editor")?;
    if plan.coders.is_empty() {
        return Err("the plan has no coders yet; name them with --coder NAME (repeat it)".into());
    }
    if let Some(b) = req.blind {
        plan.blind = b;
    }
    if let Some(x) = req.alpha_min {
        plan.thresholds.alpha_min = x;
    }
    if let Some(x) = req.tentative {
        plan.thresholds.tentative = x;
    }
    let t = plan.thresholds;
    if !(t.tentative > 0.0 && t.tentative <= t.alpha_min && t.alpha_min <= 1.0) {
        return Err(format!(
            "the thresholds must satisfy 0 < tentative ≤ alpha_min ≤ 1; got tentative {}, alpha_min {}",
            t.tentative, t.alpha_min
        ));
    }
    Ok(())
}

/// Articles that left `seeds/` leave the plan (and the notes say which).
fn drop_gone(plan: &mut Plan, known: &BTreeSet<&str>, notes: &mut Vec<String>) {
    let mut gone = BTreeSet::new();
    let mut keep_known = |list: &mut Vec<String>| {
        list.retain(|a| {
            let keep = known.contains(a.as_str());
            if !keep {
                gone.insert(a.clone());
            }
            keep
        });
    };
    keep_known(&mut plan.training);
    keep_known(&mut plan.sample.articles);
    for list in plan.assigned.values_mut() {
        keep_known(list);
    }
    if !gone.is_empty() {
        notes.push(format!(
            "left out of the plan, no longer in seeds/: {}",
            gone.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
}

/// Makes articles training articles: everyone's, outside the sample.
fn add_training(
    plan: &mut Plan,
    known: &BTreeSet<&str>,
    training: &[String],
) -> Result<(), String> {
    for t in training {
        if !known.contains(t.as_str()) {
            return Err(format!("training article `{t}` is not in seeds/"));
        }
        if plan.in_sample(t) {
            return Err(format!(
                "`{t}` is in the reliability sample; training articles must lie outside it (agreement leaves them out)"
            ));
        }
        if !plan.is_training(t) {
            for list in plan.assigned.values_mut() {
                list.retain(|a| a != t);
            }
            plan.training.push(t.clone());
        }
    }
    Ok(())
}

/// Sets the sample's rule and draws it up to its size from `candidates`; returns the
/// articles drawn now. A sample never shrinks.
fn draw_sample(
    plan: &mut Plan,
    candidates: &[&String],
    size: Option<&SizeRequest>,
    notes: &mut Vec<String>,
) -> Result<Vec<String>, String> {
    let seed = plan.sample.seed;
    if let Some(size) = size {
        plan.sample.size = requested_rule(size, candidates.len())?;
    }
    let (rule, target) = plan.sample.size.target(candidates.len())?;
    plan.sample.size = rule;
    let mut drawn = Vec::new();
    if plan.sample.articles.len() < target {
        let mut pool: Vec<&String> = candidates
            .iter()
            .copied()
            .filter(|a| !plan.in_sample(a))
            .collect();
        pool.sort_by_key(|a| rank(seed, "sample", a));
        let extra = target - plan.sample.articles.len();
        for a in pool.into_iter().take(extra) {
            drawn.push(a.clone());
            plan.sample.articles.push(a.clone());
        }
        plan.sample
            .articles
            .sort_by_key(|a| rank(seed, "sample", a));
    } else if plan.sample.articles.len() > target {
        notes.push(format!(
            "the sample keeps its {} articles although the rule now asks for {target}: a drawn sample never shrinks",
            plan.sample.articles.len()
        ));
    }
    let sample = plan.sample.articles.clone();
    for list in plan.assigned.values_mut() {
        list.retain(|a| !sample.contains(a));
    }
    Ok(drawn)
}

/// Gives every candidate outside the sample to one coder: kept assignments stay, started
/// articles go to the least loaded of the coders who started them, the rest to the least
/// loaded coder; then balances. Returns
/// what was dealt and what was moved.
fn deal(
    plan: &mut Plan,
    candidates: &[&String],
    started: &BTreeSet<(String, String)>,
    notes: &mut Vec<String>,
) -> (Vec<Dealt>, Vec<Moved>) {
    let seed = plan.sample.seed;
    let coders = plan.coders.clone();
    plan.assigned.retain(|coder, list| {
        let keep = coders.contains(coder);
        if !keep && !list.is_empty() {
            notes.push(format!(
                "`{coder}` is no longer a coder; their {} articles are dealt out again",
                list.len()
            ));
        }
        keep
    });
    let mut own: BTreeMap<String, Vec<String>> = coders
        .iter()
        .map(|c| (c.clone(), plan.assigned.get(c).cloned().unwrap_or_default()))
        .collect();
    let owned: BTreeSet<String> = own.values().flatten().cloned().collect();
    let mut rest: Vec<&String> = candidates
        .iter()
        .copied()
        .filter(|a| !plan.in_sample(a) && !owned.contains(*a))
        .collect();
    rest.sort_by_key(|a| rank(seed, "assign", a));
    let starters = |a: &String| -> Vec<String> {
        coders
            .iter()
            .filter(|c| started.contains(&(a.clone(), (*c).clone())))
            .cloned()
            .collect()
    };
    // Started articles go to one of the coders who started them (the least loaded), so
    // dealing the rest out balances.
    let (begun, fresh): (Vec<&String>, Vec<&String>) =
        rest.into_iter().partition(|a| !starters(a).is_empty());
    let mut dealt = Vec::new();
    for a in begun.into_iter().chain(fresh) {
        let who = starters(a);
        let to = if who.is_empty() {
            least_loaded(&coders, &own)
        } else {
            least_loaded(&who, &own)
        };
        own.entry(to.clone()).or_default().push(a.clone());
        dealt.push((a.clone(), to));
    }

    let moved = rebalance(&coders, &mut own, started);
    for list in own.values_mut() {
        list.sort_by_key(|a| rank(seed, "assign", a));
    }
    let loads: Vec<usize> = coders.iter().map(|c| own[c].len()).collect();
    let (lo, hi) = (
        loads.iter().min().copied().unwrap_or(0),
        loads.iter().max().copied().unwrap_or(0),
    );
    if hi > lo + 1 {
        notes.push(format!(
            "not balanced within one article ({lo} to {hi} own articles per coder): articles a coder has started are never moved"
        ));
    }
    plan.assigned = own;
    (dealt, moved)
}

/// Adds new names to a list, checking each.
fn add_names(list: &mut Vec<String>, new: &[String], what: &str) -> Result<(), String> {
    for n in new {
        let n = n.trim();
        names::validate_name(n)
            .map_err(|e| format!("`{}` cannot be a {what}'s name: {e}", super::plan::shown(n)))?;
        if !list.iter().any(|x| x == n) {
            list.push(n.to_owned());
        }
    }
    Ok(())
}

/// The rule a request asks for, computed for `candidates` articles.
fn requested_rule(size: &SizeRequest, candidates: usize) -> Result<SampleSize, String> {
    Ok(match size {
        SizeRequest::Share(s) => SampleSize::Share(*s),
        SizeRequest::Count(n) => SampleSize::Count(*n),
        SizeRequest::LacyRiffe {
            population,
            assumed_agreement,
            tolerance,
            confidence,
        } => SampleSize::LacyRiffe(
            sample_size::lacy_riffe(LacyRiffeInputs {
                population: population.unwrap_or(candidates).max(1),
                assumed_agreement: *assumed_agreement,
                tolerance: *tolerance,
                confidence: *confidence,
            })
            .map_err(|e| e.0)?,
        ),
    })
}

/// The coder with the fewest own articles (the earliest in the plan on a tie).
fn least_loaded(coders: &[String], own: &BTreeMap<String, Vec<String>>) -> String {
    coders
        .iter()
        .min_by_key(|c| own.get(*c).map_or(0, Vec::len))
        .cloned()
        .unwrap_or_default()
}

/// Moves articles nobody has started from the busiest coders to the least busy until loads
/// differ by at most one or only started articles are left to move.
fn rebalance(
    coders: &[String],
    own: &mut BTreeMap<String, Vec<String>>,
    started: &BTreeSet<(String, String)>,
) -> Vec<Moved> {
    let mut moved = Vec::new();
    loop {
        let lo = least_loaded(coders, own);
        let lo_len = own[&lo].len();
        // The busiest coder with an article that can move, busiest first.
        let mut by_load: Vec<&String> = coders.iter().collect();
        by_load.sort_by_key(|c| std::cmp::Reverse(own[*c].len()));
        let pick = by_load.into_iter().find_map(|hi| {
            if own[hi].len() <= lo_len + 1 {
                return None;
            }
            let movable = own[hi]
                .iter()
                .rposition(|a| !started.contains(&(a.clone(), hi.clone())))?;
            Some((hi.clone(), movable))
        });
        let Some((hi, index)) = pick else {
            return moved;
        };
        let Some(list) = own.get_mut(&hi) else {
            return moved;
        };
        let article = list.remove(index);
        own.entry(lo.clone()).or_default().push(article.clone());
        moved.push((article, hi, lo));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("a{i:03}")).collect()
    }

    fn request(coders: &[&str], size: SizeRequest) -> Request {
        Request {
            coders: coders.iter().map(|s| (*s).to_owned()).collect(),
            size: Some(size),
            seed: Some(7),
            ..Request::default()
        }
    }

    fn all_places(plan: &Plan) -> Vec<String> {
        let mut v: Vec<String> = plan.training.clone();
        v.extend(plan.sample.articles.iter().cloned());
        v.extend(plan.assigned.values().flatten().cloned());
        v.sort();
        v
    }

    #[test]
    fn assign_is_deterministic_balanced_and_places_every_article_once() {
        let articles = ids(23);
        let req = request(&["amira", "jonas", "li"], SizeRequest::Share(0.2));
        let a = assign(None, &articles, &BTreeSet::new(), &req).unwrap();
        let b = assign(None, &articles, &BTreeSet::new(), &req).unwrap();
        assert_eq!(a.plan.to_ron().unwrap(), b.plan.to_ron().unwrap());
        // 20% of 23, rounded up.
        assert_eq!(a.plan.sample.articles.len(), 5);
        assert_eq!(all_places(&a.plan), articles);
        let loads: Vec<usize> = a.loads().into_iter().map(|(_, n)| n).collect();
        assert_eq!(loads.iter().sum::<usize>(), 18);
        assert!(
            loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1,
            "{loads:?}"
        );
        // Another seed draws another sample.
        let other = assign(
            None,
            &articles,
            &BTreeSet::new(),
            &Request {
                seed: Some(8),
                ..req
            },
        )
        .unwrap();
        assert_ne!(other.plan.sample.articles, a.plan.sample.articles);
    }

    #[test]
    fn the_sample_is_the_first_of_the_published_order() {
        let articles = ids(10);
        let out = assign(
            None,
            &articles,
            &BTreeSet::new(),
            &request(&["x"], SizeRequest::Count(3)),
        )
        .unwrap();
        let mut order = articles.clone();
        order.sort_by_key(|a| rank(7, "sample", a));
        assert_eq!(out.plan.sample.articles, order[..3]);
    }

    #[test]
    fn extending_keeps_started_work_and_balances_the_new_coder_in() {
        let articles = ids(20);
        let first = assign(
            None,
            &articles,
            &BTreeSet::new(),
            &request(&["amira", "jonas"], SizeRequest::Share(0.1)),
        )
        .unwrap();
        // Amira started three of hers, Jonas all of his.
        let mut started = BTreeSet::new();
        for a in first.plan.assigned["amira"].iter().take(3) {
            started.insert((a.clone(), "amira".to_owned()));
        }
        for a in &first.plan.assigned["jonas"] {
            started.insert((a.clone(), "jonas".to_owned()));
        }
        let mut more = ids(30);
        more.sort();
        let req = Request {
            coders: vec!["li".into()],
            ..Request::default()
        };
        let second = assign(Some(&first.plan), &more, &started, &req).unwrap();
        let p = &second.plan;
        // Started work stays with its coder.
        for (a, c) in &started {
            assert!(p.articles_of(c).iter().any(|(x, _)| x == a), "{a} left {c}");
        }
        // The sample grew to 10% of 30 and kept its first draw.
        assert_eq!(p.sample.articles.len(), 3);
        assert!(first.plan.sample.articles.iter().all(|a| p.in_sample(a)));
        assert_eq!(second.drawn.len(), 1);
        assert_eq!(all_places(p), more);
        let loads: Vec<usize> = second.loads().into_iter().map(|(_, n)| n).collect();
        assert!(
            loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1,
            "{loads:?} {:?}",
            second.notes
        );
        // Nothing started was moved; what moved came from Amira's unstarted articles.
        for (a, from, _) in &second.moved {
            assert!(!started.contains(&(a.clone(), from.clone())));
        }
        assert_eq!(p.coders, ["amira", "jonas", "li"]);
    }

    #[test]
    fn started_work_that_blocks_balance_is_reported() {
        let articles = ids(12);
        let first = assign(
            None,
            &articles,
            &BTreeSet::new(),
            &request(&["amira"], SizeRequest::Count(0)),
        )
        .unwrap();
        let started: BTreeSet<(String, String)> = first.plan.assigned["amira"]
            .iter()
            .map(|a| (a.clone(), "amira".to_owned()))
            .collect();
        let req = Request {
            coders: vec!["jonas".into()],
            ..Request::default()
        };
        let second = assign(Some(&first.plan), &articles, &started, &req).unwrap();
        assert_eq!(second.plan.assigned["amira"].len(), 12);
        assert!(second.plan.assigned["jonas"].is_empty());
        assert!(
            second
                .notes
                .iter()
                .any(|n| n.contains("not balanced within one article")),
            "{:?}",
            second.notes
        );
    }

    #[test]
    fn work_everyone_started_is_shared_out_evenly() {
        let articles = ids(30);
        let started: BTreeSet<(String, String)> = articles
            .iter()
            .flat_map(|a| ["amira", "jonas", "li"].map(|c| (a.clone(), c.to_owned())))
            .collect();
        let out = assign(
            None,
            &articles,
            &started,
            &request(&["amira", "jonas", "li"], SizeRequest::Count(3)),
        )
        .unwrap();
        let loads: Vec<usize> = out.loads().into_iter().map(|(_, n)| n).collect();
        assert_eq!(loads, [9, 9, 9], "{:?}", out.notes);
        assert!(out.moved.is_empty());
    }

    #[test]
    fn training_lies_outside_the_sample_and_is_everyones() {
        let articles = ids(10);
        let mut req = request(&["amira", "jonas"], SizeRequest::Count(2));
        req.training = vec!["a004".into()];
        let out = assign(None, &articles, &BTreeSet::new(), &req).unwrap();
        assert_eq!(out.plan.training, ["a004"]);
        assert!(!out.plan.in_sample("a004"));
        assert_eq!(out.plan.owner_of("a004"), None);
        let sample = out.plan.sample.articles[0].clone();
        let err = assign(
            Some(&out.plan),
            &articles,
            &BTreeSet::new(),
            &Request {
                training: vec![sample],
                ..Request::default()
            },
        )
        .unwrap_err();
        assert!(
            err.contains("training articles must lie outside it"),
            "{err}"
        );
    }

    #[test]
    fn a_plan_keeps_its_seed_and_needs_a_size_and_coders() {
        let articles = ids(5);
        let out = assign(
            None,
            &articles,
            &BTreeSet::new(),
            &request(&["a"], SizeRequest::Count(1)),
        )
        .unwrap();
        let err = assign(
            Some(&out.plan),
            &articles,
            &BTreeSet::new(),
            &Request {
                seed: Some(9),
                ..Request::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("drawn with seed 7"), "{err}");
        let err = assign(
            None,
            &articles,
            &BTreeSet::new(),
            &Request {
                coders: vec!["a".into()],
                ..Request::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("--share"), "{err}");
        let err = assign(
            None,
            &articles,
            &BTreeSet::new(),
            &Request {
                size: Some(SizeRequest::Count(1)),
                ..Request::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("--coder"), "{err}");
        let err = assign(
            None,
            &articles,
            &BTreeSet::new(),
            &request(&["../x"], SizeRequest::Count(1)),
        )
        .unwrap_err();
        assert!(err.contains("cannot be a coder's name"), "{err}");
    }

    #[test]
    fn lacy_riffe_without_a_population_uses_the_articles() {
        let articles = ids(100);
        let req = request(
            &["a", "b"],
            SizeRequest::LacyRiffe {
                population: None,
                assumed_agreement: 0.9,
                tolerance: 0.05,
                confidence: 0.95,
            },
        );
        let out = assign(None, &articles, &BTreeSet::new(), &req).unwrap();
        assert_eq!(out.plan.sample.articles.len(), 51);
        let SampleSize::LacyRiffe(r) = &out.plan.sample.size else {
            panic!()
        };
        assert_eq!((r.population, r.n), (100, 51));
    }
}
