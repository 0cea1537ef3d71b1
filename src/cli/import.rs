//! `stance import TABLE --annotator NAME [DIR]`: codings from a tab-separated table become
//! annotation files (see [`crate::core::project::import`] for the table's columns).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{display_path, plural, project_root};
use crate::core::project::Project;
use crate::core::project::import::import_table;
use crate::core::project::walk;
use crate::core::storage::store;

/// Arguments of `stance import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The table (TSV with a header: article, first, last, speaker, <target ids>, source,
    /// unsure, note).
    #[arg(value_name = "TABLE")]
    pub table: PathBuf,
    /// Whose codings these are (names the files).
    #[arg(long, value_name = "NAME")]
    pub annotator: String,
    /// The project folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Replace annotation files that already exist (otherwise they are left alone).
    #[arg(long)]
    pub force: bool,
}

/// Runs `stance import`.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = match project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let fail = |msg: String| {
        eprintln!("stance import: {msg}");
        ExitCode::FAILURE
    };
    // The name first: it is what the files will be called, whatever the table holds.
    if let Err(e) = crate::core::model::names::validate_annotator(&args.annotator) {
        return fail(format!("annotator name: {e}"));
    }
    let (project, _) = match Project::open(&root) {
        Ok(p) => p,
        Err(e) => return fail(e.to_string()),
    };
    let table = match store::read_text(&args.table, "a tab-separated coding table") {
        Ok(t) => t,
        Err(e) => return fail(e.to_string()),
    };
    let files = match import_table(&project, &args.annotator, &table) {
        Ok(f) => f,
        Err(e) => return fail(format!("{}:{e}", display_path(&args.table))),
    };
    let mut paths = Vec::new();
    for f in &files {
        let path = match project.annotation_path(&f.article.id, &args.annotator) {
            Ok(p) => p,
            Err(e) => return fail(format!("annotator name: {e}")),
        };
        // Every destination is judged before anything is written or even looked at: a link
        // out of the project (`annotations -> /somewhere`) must not receive the first file.
        if let Some(e) = walk::escape(&root, &path) {
            return fail(format!(
                "{}: {}; nothing was written",
                display_path(e.path()),
                e.reason()
            ));
        }
        if path.exists() && !args.force {
            return fail(format!(
                "{} exists; nothing was written (use --force to replace it)",
                display_path(&path)
            ));
        }
        paths.push(path);
    }
    walk::sweep_stale_temps(&root);
    for (f, path) in files.iter().zip(&paths) {
        if let Err(e) = walk::prepare_write(&root, path) {
            return fail(e.to_string());
        }
        if let Err(e) = store::save_annotation(path, f) {
            return fail(format!("{}: {e}", display_path(path)));
        }
        println!(
            "{}: {}",
            display_path(path),
            plural(f.claims.len(), "claim")
        );
    }
    println!("{} written", plural(files.len(), "file"));
    ExitCode::SUCCESS
}
