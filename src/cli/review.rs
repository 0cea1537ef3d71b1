//! `stance review PATH [--list]`: open a project, one article or one annotation file for
//! review, or with `--list` print how the annotators differ, article by article.
//!
//! Exit codes: 0 on success, 1 when some annotation file could not be loaded (the rest are
//! still listed), 2 for a path that cannot be reviewed or a build without the window.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{EXIT_USAGE, Run, Window, describe_load_error, display_path, plural, print_out};
use crate::core::compare::review::{Alignment, ReviewTarget, align_article, resolve_target};
use crate::core::model::codebook::Codebook;
use crate::core::project::Project;
use crate::core::project::walk::{self, Skipped};
use crate::core::storage::store;
use crate::session::WindowRequest;

/// Arguments of `stance review`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A project folder, an article's annotation folder (`annotations/<article>`) or one
    /// `.ron` annotation file (default: --project, else the current folder's project).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Print the claims aligned across annotators and how they differ, without a window.
    #[arg(long)]
    pub list: bool,
    /// With --list, align the adjudicated gold file too.
    #[arg(long)]
    pub gold: bool,
}

/// Runs `stance review`; `editor` is the global `--annotator` (who reviews), asked for in the
/// window when absent.
pub fn run(args: &Args, project: Option<&Path>, editor: Option<String>) -> Run {
    let window = match target(args, project) {
        Ok(t) if !args.list => t,
        Ok(t) => return Run::Exit(list(&t, args.gold)),
        Err(code) => return Run::Exit(code),
    };
    let review_of = window.file.clone().unwrap_or_else(|| window.root.clone());
    Run::OpenWindow(Window {
        request: WindowRequest {
            root: Some(window.root),
            annotator: editor,
            article: window.article,
            review: true,
        },
        review_of: Some(review_of),
    })
}

/// The target of `stance review`: its PATH, else the project named by `--project`, else the
/// one in the current folder (as every other command); outside a project that says so and how
/// to make one.
fn target(args: &Args, project: Option<&Path>) -> Result<ReviewTarget, ExitCode> {
    let path = crate::cli::project_root(args.path.as_deref(), project)?;
    resolve_target(&path).map_err(|e| {
        eprintln!("stance review: {e}");
        ExitCode::from(EXIT_USAGE)
    })
}

/// Prints the alignment of the target's article(s).
fn list(target: &ReviewTarget, gold: bool) -> ExitCode {
    let alignments = match alignments(target, gold) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("stance review: {message}");
            return ExitCode::FAILURE;
        }
    };
    let refused = refused(target);
    for s in &refused {
        eprintln!(
            "stance review: not read: {}: {}",
            display_path(&s.path),
            s.message
        );
    }
    let mut out = String::new();
    for a in &alignments {
        out.push_str(&render(a));
    }
    if alignments.is_empty() {
        out.push_str("no annotation files to review\n");
    }
    print_out(&out);
    let failed: usize = alignments.iter().map(|a| a.failed.len()).sum();
    if failed > 0 || !refused.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The alignments a target asks for: its article, or every article with annotations, or a
/// loose file on its own.
fn alignments(target: &ReviewTarget, gold: bool) -> Result<Vec<Alignment>, String> {
    if target.article.is_none()
        && let Some(file) = &target.file
    {
        // A loose file: its labels are checked against the default codebook only to load it.
        let loaded = store::load_annotation(file, &Codebook::default_codebook());
        return Ok(vec![match loaded {
            Ok(f) => Alignment::from_files(&f.article.id.clone(), vec![f]),
            Err(e) => Alignment {
                article: display_path(file),
                files: Vec::new(),
                failed: vec![e],
                groups: Vec::new(),
            },
        }]);
    }
    let (project, _) = Project::open(&target.root).map_err(|e| describe_load_error(&e))?;
    let articles = match &target.article {
        Some(a) => vec![a.clone()],
        None => annotated_articles(&target.root),
    };
    Ok(articles
        .iter()
        .map(|a| align_article(&project, a, gold))
        .collect())
}

/// The article folders under `annotations/`, sorted, as the project walker finds them (a
/// folder linked out of the project is not one).
fn annotated_articles(root: &Path) -> Vec<String> {
    walk::annotations(root)
        .folders
        .into_iter()
        .map(|f| f.article)
        .collect()
}

/// What the project walker refused to read for this target: links out of the project and
/// folders that cannot be read (errors only; badly named files are `stance check`'s to list).
fn refused(target: &ReviewTarget) -> Vec<Skipped> {
    if target.file.is_some() && target.article.is_none() {
        return Vec::new();
    }
    let skipped = match &target.article {
        Some(article) => walk::article_folder(&target.root, article).1,
        None => walk::annotations(&target.root).skipped,
    };
    skipped.into_iter().filter(Skipped::is_error).collect()
}

/// One article's alignment as text: a heading with the annotators, one line per claim group
/// (`s6: speaker differs (…) [amira k82weg9cdt, jonas z7ed8k9t1f]`), and the files that did
/// not load.
pub fn render(a: &Alignment) -> String {
    let mut out = String::new();
    let who: Vec<String> = a
        .files
        .iter()
        .map(|f| format!("{} ({})", f.annotator, plural(f.claims.len(), "claim")))
        .collect();
    let _ = writeln!(
        out,
        "{}: {}; {}, {} with differences",
        a.article,
        if who.is_empty() {
            "no annotators".to_owned()
        } else {
            who.join(", ")
        },
        plural(a.groups.len(), "claim group"),
        a.disputed()
    );
    for g in &a.groups {
        let ids: Vec<String> = g
            .claims
            .iter()
            .map(|(who, c)| format!("{who} {}", c.id))
            .collect();
        let _ = writeln!(out, "  {g} [{}]", ids.join(", "));
    }
    for e in &a.failed {
        let _ = writeln!(out, "  not loaded: {}", describe_load_error(e));
    }
    out
}
