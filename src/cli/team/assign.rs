//! `stance assign [DIR]`: make or extend the plan (`project.ron`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{describe_load_error, display_path, plural};
use crate::core::team::assign::{self, Request, SizeRequest};
use crate::core::team::plan;

/// Arguments of `stance assign`.
#[derive(Debug, clap::Args)]
#[allow(clippy::struct_excessive_bools)] // independent switches
pub struct Args {
    /// Project folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Add a coder (repeatable; coders already in the plan stay).
    #[arg(long = "coder", value_name = "NAME")]
    pub coders: Vec<String>,
    /// Add an editor (repeatable).
    #[arg(long = "editor", value_name = "NAME")]
    pub editors: Vec<String>,
    /// Make an article a training article, coded by everyone and scored against its
    /// gold.ron (repeatable).
    #[arg(long = "training", value_name = "ID")]
    pub training: Vec<String>,
    /// Reliability sample: this share of the articles (0.1 = 10%), rounded up.
    #[arg(long, value_name = "SHARE", group = "size")]
    pub share: Option<f64>,
    /// Reliability sample: this many articles.
    #[arg(long, value_name = "N", group = "size")]
    pub count: Option<usize>,
    /// Reliability sample: as many as Lacy & Riffe (1996) need for the agreement assumed
    /// (--assumed-agreement), within --tolerance at --confidence.
    #[arg(long, group = "size", requires = "assumed_agreement")]
    pub lacy_riffe: bool,
    /// Lacy–Riffe: the agreement assumed among all articles (e.g. 0.90).
    #[arg(long, value_name = "P", requires = "lacy_riffe")]
    pub assumed_agreement: Option<f64>,
    /// Lacy–Riffe: how far the sample's agreement may lie above the population's.
    #[arg(
        long,
        value_name = "T",
        default_value_t = 0.05,
        requires = "lacy_riffe"
    )]
    pub tolerance: f64,
    /// Lacy–Riffe: the confidence (one-tailed).
    #[arg(
        long,
        value_name = "C",
        default_value_t = 0.95,
        requires = "lacy_riffe"
    )]
    pub confidence: f64,
    /// Lacy–Riffe: the population size, if not the project's articles (e.g. the articles
    /// still to be collected).
    #[arg(long, value_name = "N", requires = "lacy_riffe")]
    pub population: Option<usize>,
    /// Seed of the draw (a new plan only; the same seed gives the same plan).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Blind coding: coders see only their own files until the sample is done
    /// (`--blind false` to switch it off).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub blind: Option<bool>,
    /// The smallest acceptable alpha (default 0.800).
    #[arg(long, value_name = "ALPHA")]
    pub alpha_min: Option<f64>,
    /// The smallest alpha for tentative conclusions (default 0.667).
    #[arg(long, value_name = "ALPHA")]
    pub tentative: Option<f64>,
    /// Show the plan without writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `stance assign`.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = match crate::cli::project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let project = match super::open(&root) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let existing = match plan::load(&root) {
        Ok(p) => p,
        Err(e) => return super::fail(&describe_load_error(&e)),
    };
    let articles: Vec<String> = project.articles.iter().map(|a| a.id.clone()).collect();
    if articles.is_empty() {
        return super::fail(&format!(
            "{} has no articles in seeds/; add some first",
            display_path(&root)
        ));
    }
    let size = if let Some(s) = args.share {
        Some(SizeRequest::Share(s))
    } else if let Some(n) = args.count {
        Some(SizeRequest::Count(n))
    } else if args.lacy_riffe {
        args.assumed_agreement.map(|p| SizeRequest::LacyRiffe {
            population: args.population,
            assumed_agreement: p,
            tolerance: args.tolerance,
            confidence: args.confidence,
        })
    } else {
        None
    };
    let request = Request {
        coders: args.coders.clone(),
        editors: args.editors.clone(),
        training: args.training.clone(),
        size,
        seed: args.seed,
        blind: args.blind,
        alpha_min: args.alpha_min,
        tentative: args.tentative,
    };
    let started = assign::started_work(&root, &articles);
    let outcome = match assign::assign(existing.as_ref(), &articles, &started, &request) {
        Ok(o) => o,
        Err(e) => return super::fail(&e),
    };
    let mut out = summary(&outcome, articles.len());
    if args.dry_run {
        out.push_str("dry run: project.ron not written\n");
    } else {
        match plan::save(&root, &outcome.plan) {
            Ok(path) => {
                let _ = writeln!(out, "wrote {}", display_path(&path));
            }
            Err(e) => {
                return super::fail(&format!(
                    "cannot write {}: {e}",
                    display_path(&plan::plan_path(&root))
                ));
            }
        }
    }
    crate::cli::print_out(&out);
    ExitCode::SUCCESS
}

/// What the plan now says and what changed.
fn summary(o: &assign::Assignment, articles: usize) -> String {
    let p = &o.plan;
    let mut out = String::new();
    let candidates = articles - p.training.len();
    let _ = writeln!(
        out,
        "reliability sample: {} of {candidates} articles ({}), seed {}",
        p.sample.articles.len(),
        p.sample.size.describe(),
        p.sample.seed
    );
    if !p.training.is_empty() {
        let _ = writeln!(out, "training: {}", p.training.join(", "));
    }
    let _ = writeln!(
        out,
        "thresholds: alpha_min {}, tentative {}; blind coding {}",
        plan::trim_number(p.thresholds.alpha_min),
        plan::trim_number(p.thresholds.tentative),
        if p.blind { "on" } else { "off" }
    );
    if !p.editors.is_empty() {
        let _ = writeln!(out, "editors: {}", p.editors.join(", "));
    }
    let shared = p.training.len() + p.sample.articles.len();
    for (coder, own) in o.loads() {
        let _ = writeln!(
            out,
            "  {coder}: {} ({shared} shared + {own} own)",
            plural(shared + own, "article")
        );
    }
    if !o.drawn.is_empty() {
        let shown: Vec<&str> = o.drawn.iter().take(10).map(String::as_str).collect();
        let more = o.drawn.len().saturating_sub(10);
        let _ = writeln!(
            out,
            "drawn into the sample: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    if !o.dealt.is_empty() {
        let _ = writeln!(out, "newly assigned: {}", plural(o.dealt.len(), "article"));
    }
    for (a, from, to) in &o.moved {
        let _ = writeln!(
            out,
            "moved {a} from {from} to {to} (not started) to balance"
        );
    }
    for n in &o.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}
