//! `stance queue --annotator NAME [DIR]` and `stance status [DIR]`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::core::agreement::ReportOptions;
use crate::core::team::plan::{Role, trim_number};
use crate::core::team::queue::{self, WorkState};
use crate::core::team::reliability::reliability_so_far;

/// Arguments of `stance queue`.
#[derive(Debug, clap::Args)]
pub struct QueueArgs {
    /// Project folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Whose queue.
    #[arg(long, value_name = "NAME")]
    pub annotator: String,
}

/// Arguments of `stance status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Project folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Bootstrap samples for alpha's interval and q(α < α_min) (0: neither).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub seed: u64,
}

/// Runs `stance queue`.
pub fn run_queue(args: &QueueArgs, project: Option<&Path>) -> ExitCode {
    let root = match crate::cli::project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let (project, plan) = match super::open_with_plan(&root) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let ids: Vec<String> = project.articles.iter().map(|a| a.id.clone()).collect();
    let q = match queue::queue(&plan, &ids, &root, &args.annotator) {
        Ok(q) => q,
        Err(e) => return super::fail(&e),
    };
    let mut out = String::new();
    let next = q.next().map(|i| i.article.clone());
    let _ = writeln!(
        out,
        "{}: {} of {} articles done; next: {}",
        q.coder,
        q.done(),
        q.items.len(),
        next.as_deref().map_or_else(
            || "nothing, every assigned article is done".to_owned(),
            |a| format!("{a} ({})", q.role_of(a).map_or("", Role::word))
        )
    );
    for item in &q.items {
        let mark = if next.as_deref() == Some(item.article.as_str()) {
            "  <- next"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:<8}  {:<24}  {}{mark}",
            item.role.word(),
            item.article,
            item.state.word()
        );
        if let WorkState::Unreadable(why) = &item.state {
            let _ = writeln!(out, "            {why}");
        }
    }
    if !q.not_mine.is_empty() {
        let _ = writeln!(
            out,
            "not mine: {} ({})",
            crate::cli::plural(q.not_mine.len(), "article"),
            q.not_mine.join(", ")
        );
    }
    crate::cli::print_out(&out);
    ExitCode::SUCCESS
}

/// Runs `stance status`.
pub fn run_status(args: &StatusArgs, project: Option<&Path>) -> ExitCode {
    let root = match crate::cli::project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let (project, plan) = match super::open_with_plan(&root) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let options = ReportOptions {
        bootstrap: args.bootstrap,
        seed: args.seed,
        ..ReportOptions::default()
    };
    let r = match reliability_so_far(&project, &plan, &options) {
        Ok(r) => r,
        Err(e) => return super::fail(&e),
    };
    let mut out = String::from(
        "| coder | assigned | done | in progress | training done | sample done |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for p in &r.progress {
        let (td, ta) = p.role(Role::Training);
        let (sd, sa) = p.role(Role::Sample);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {td}/{ta} | {sd}/{sa} |",
            p.coder, p.assigned, p.done, p.in_progress
        );
    }
    let t = r.thresholds;
    let _ = writeln!(
        out,
        "\nreliability sample so far: {} of {} sample articles finished by every coder; alpha_min {}, tentative {}\n",
        r.complete,
        r.sample.len(),
        trim_number(t.alpha_min),
        trim_number(t.tentative)
    );
    if r.fields.is_empty() {
        out.push_str("no reliability sample in the plan\n");
    } else {
        let _ = writeln!(
            out,
            "| field | units | alpha | 95% CI | q(α < {}) | agreement | verdict |\n|---|---:|---:|---|---:|---:|---|",
            trim_number(t.alpha_min)
        );
        for f in &r.fields {
            let rep = &f.report;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                f.field,
                rep.units,
                rep.alpha
                    .as_ref()
                    .map_or_else(|u| format!("– ({})", u.reason), |a| format!("{a:.3}")),
                rep.alpha_ci95.as_ref().map_or_else(
                    |_| "–".to_owned(),
                    |ci| format!("[{:.3}, {:.3}]", ci.low, ci.high)
                ),
                f.q.map_or_else(|| "–".to_owned(), |q| format!("{q:.3}")),
                rep.percent_agreement
                    .as_ref()
                    .map_or_else(|_| "–".to_owned(), |p| format!("{:.1}%", p * 100.0)),
                f.verdict.word()
            );
        }
    }
    crate::cli::print_out(&out);
    ExitCode::SUCCESS
}
