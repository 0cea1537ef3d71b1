//! Other tools' formats: `stance import-articles`, `stance export-annotations` and
//! `stance import-annotations` (see [`crate::core::interchange`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{describe_load_error, display_path, plural, project_root};
use crate::core::check::Finding;
use crate::core::interchange::articles::{self, ArticleImport};
use crate::core::interchange::foreign::{
    ExportSelection, ImportOptions, Imported, export_items, into_annotation,
};
use crate::core::interchange::{brat, labelstudio, webanno};
use crate::core::project::Project;
use crate::core::storage::store;

/// The last of `paths` is the project folder when it is a folder and there is more than one.
fn split_dir(paths: &[PathBuf]) -> (&[PathBuf], Option<&Path>) {
    match paths.split_last() {
        Some((last, files)) if !files.is_empty() && last.is_dir() => (files, Some(last)),
        _ => (paths, None),
    }
}

fn print_findings(findings: &[Finding]) {
    for f in findings {
        eprintln!(
            "{}:{}: {}: {}",
            display_path(&f.path),
            f.pos,
            f.severity,
            f.message
        );
    }
}

/// Arguments of `stance import-articles`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each file becomes one article (a news database export: one per document), named NNN_<hash> like the seeds, with `seeds/<id>.source.ron` saying where it came from. An article the project already has (the same text) is skipped. Nothing is written if any file cannot be read."
)]
pub struct ImportArticlesArgs {
    /// Files to import (.txt, .html, .docx, or a Nexis Uni / LexisNexis / Factiva text export),
    /// then optionally the project folder.
    #[arg(value_name = "FILES… [DIR]", required = true)]
    pub paths: Vec<PathBuf>,
}

/// Runs `stance import-articles`.
pub fn import_articles(args: &ImportArticlesArgs, project: Option<&Path>) -> ExitCode {
    let (files, dir) = split_dir(&args.paths);
    let root = match project_root(dir, project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let outcomes = match articles::import_articles(&root, files) {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "stance import-articles: {}\nhint: nothing was imported; fix or leave out that file",
                describe_load_error(&e)
            );
            return ExitCode::FAILURE;
        }
    };
    let mut added = 0;
    for o in &outcomes {
        match o {
            ArticleImport::Added {
                path,
                title,
                source,
                part,
                kind,
                ..
            } => {
                added += 1;
                let part = part.map(|p| format!(" #{p}")).unwrap_or_default();
                println!(
                    "{}: {title} (from {}{part}, {})",
                    display_path(path),
                    display_path(source),
                    kind.name()
                );
            }
            ArticleImport::AlreadyThere { id, source, part } => {
                let part = part.map(|p| format!(" #{p}")).unwrap_or_default();
                println!(
                    "{}{part}: already in the project as {id}; skipped",
                    display_path(source)
                );
            }
        }
    }
    println!("{} imported", plural(added, "article"));
    ExitCode::SUCCESS
}

/// A foreign annotation format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// brat standoff: `.txt` + `.ann` per article and annotator.
    Brat,
    /// WebAnno TSV 3.3, as INCEpTION imports and exports it.
    Webanno,
    /// Label Studio JSON tasks.
    LabelStudio,
}

impl Format {
    fn from_extension(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "ann" => Some(Self::Brat),
            "tsv" => Some(Self::Webanno),
            "json" => Some(Self::LabelStudio),
            _ => None,
        }
    }
}

/// Arguments of `stance export-annotations`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "brat: OUT/<annotator>/<article>.txt and .ann, with annotation.conf. WebAnno TSV: OUT/<article>/<annotator>.tsv (INCEpTION's layout). Label Studio: OUT/tasks.json and OUT/label_config.xml. Claims that cannot be found in the article's current text are left out and listed."
)]
pub struct ExportAnnotationsArgs {
    /// The project folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The format to write.
    #[arg(long, value_enum)]
    pub format: Format,
    /// The folder to write into (created if needed).
    #[arg(long, value_name = "OUT")]
    pub out: PathBuf,
    /// Only this article (repeatable).
    #[arg(long = "article", value_name = "ID")]
    pub articles: Vec<String>,
    /// Only this annotator (repeatable).
    #[arg(long = "annotator", value_name = "NAME")]
    pub annotators: Vec<String>,
}

/// Runs `stance export-annotations`.
pub fn export_annotations(args: &ExportAnnotationsArgs, project: Option<&Path>) -> ExitCode {
    let root = match project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let (project, _) = match Project::open(&root) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("stance export-annotations: {}", describe_load_error(&e));
            return ExitCode::FAILURE;
        }
    };
    let sel = ExportSelection {
        articles: args.articles.clone(),
        annotators: args.annotators.clone(),
    };
    let (items, warnings) = export_items(&project, &sel);
    print_findings(&warnings);
    let files = match args.format {
        Format::Brat => brat::export(&items, &project.codebook),
        Format::Webanno => webanno::export(&items, &project.codebook),
        Format::LabelStudio => {
            let sources: BTreeMap<String, (Option<String>, Option<String>)> = project
                .articles
                .iter()
                .filter_map(|a| {
                    let info = articles::load_source(&project.root, &a.id).ok()??;
                    Some((a.id.clone(), (info.title, info.url)))
                })
                .collect();
            labelstudio::export(&items, &project.codebook, &sources)
        }
    };
    for (rel, content) in &files {
        let path = args.out.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| store::write_atomic(&path, content.as_bytes()));
        if let Err(e) = written {
            eprintln!(
                "stance export-annotations: cannot write {}: {e}",
                display_path(&path)
            );
            return ExitCode::FAILURE;
        }
    }
    let claims: usize = items.iter().map(|i| i.claims.len()).sum();
    eprintln!(
        "stance export-annotations: {} from {} to {}",
        plural(claims, "claim"),
        plural(items.len(), "annotation file"),
        display_path(&args.out)
    );
    ExitCode::SUCCESS
}

/// Arguments of `stance import-annotations`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The article is the one the file names (brat: the file stem; WebAnno: the folder; Label Studio: data.article), else the one with the file's text; the annotator is the brat folder, the TSV file stem or Label Studio's completed_by. A file whose text differs from the article's is re-anchored; claims that cannot be found are kept as orphans to attach in the window, and listed. Nothing is written if any file has an error."
)]
pub struct ImportAnnotationsArgs {
    /// Files to import (`.ann` with its `.txt` beside it, `.tsv`, `.json`).
    #[arg(value_name = "FILES", required = true)]
    pub files: Vec<PathBuf>,
    /// The format (default: from each file's extension).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Import onto this article, whatever the file says.
    #[arg(long, value_name = "ID")]
    pub article: Option<String>,
    /// Import as this annotator, whatever the file says.
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// Replace annotation files that exist (otherwise nothing is written).
    #[arg(long)]
    pub force: bool,
}

fn read_all(args: &ImportAnnotationsArgs, project: &Project) -> Result<Vec<Imported>, String> {
    let options = ImportOptions {
        article: args.article.clone(),
        annotator: args.annotator.clone(),
    };
    let mut out = Vec::new();
    for file in &args.files {
        let Some(format) = args.format.or_else(|| Format::from_extension(file)) else {
            return Err(format!(
                "{}: cannot tell the format from the extension; give --format brat|webanno|label-studio",
                display_path(file)
            ));
        };
        let docs = match format {
            Format::Brat => brat::read(file).map(|d| vec![d]),
            Format::Webanno => webanno::read(file).map(|d| vec![d]),
            Format::LabelStudio => labelstudio::read(file),
        }
        .map_err(|e| describe_load_error(&e))?;
        for doc in docs {
            out.push(
                into_annotation(&doc, project, &options).map_err(|e| describe_load_error(&e))?,
            );
        }
    }
    Ok(out)
}

/// Runs `stance import-annotations`.
pub fn import_annotations(args: &ImportAnnotationsArgs, project: Option<&Path>) -> ExitCode {
    let fail = |msg: String| {
        eprintln!("stance import-annotations: {msg}");
        ExitCode::FAILURE
    };
    let root = match project_root(None, project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let (project, _) = match Project::open(&root) {
        Ok(p) => p,
        Err(e) => return fail(describe_load_error(&e)),
    };
    let imported = match read_all(args, &project) {
        Ok(i) => i,
        Err(e) => return fail(format!("{e}\nhint: nothing was written")),
    };
    let mut targets = Vec::new();
    for i in &imported {
        let path = match project.annotation_path(&i.file.article.id, &i.file.annotator) {
            Ok(p) => p,
            Err(e) => return fail(format!("annotator name: {e}")),
        };
        if (path.exists() && !args.force) || targets.contains(&path) {
            return fail(format!(
                "{} exists{}; nothing was written (use --force to replace it)",
                display_path(&path),
                if targets.contains(&path) {
                    " twice in this import"
                } else {
                    ""
                }
            ));
        }
        targets.push(path);
    }
    for (i, path) in imported.iter().zip(&targets) {
        print_findings(&i.warnings);
        let saved = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| store::save_annotation(path, &i.file));
        if let Err(e) = saved {
            return fail(format!("{}: {e}", display_path(path)));
        }
        println!(
            "{}: {} (from {})",
            display_path(path),
            plural(i.file.claims.len(), "claim"),
            display_path(&i.source)
        );
        if let Some(r) = &i.reanchor {
            let orphans: Vec<&str> = r.orphans().collect();
            println!("  the file's text differs from the article's; re-anchored: {r}");
            if !orphans.is_empty() {
                println!(
                    "  {} could not be anchored and stay orphaned (attach them in the window): {}",
                    plural(orphans.len(), "claim"),
                    orphans.join(", ")
                );
            }
        }
    }
    println!("{} written", plural(imported.len(), "annotation file"));
    ExitCode::SUCCESS
}
