//! The `stance` command line: clap subcommands over the core.
//!
//! This module holds the argument grammar and the dispatch; each subcommand lives in its own
//! submodule and returns the process exit code. The CLI never opens the window itself: a
//! command line that asks for it comes back as [`Run::OpenWindow`], and `main` opens it. Conventions shared by all of them: results go
//! to stdout, errors and progress to stderr with a hint how to fix, exit 0 on success, 1 when
//! the work found errors or failed, 2 on bad usage (clap's own code for usage errors).

pub mod agree;
pub mod check;
pub mod diff;
pub mod export;
pub mod generate;
pub mod import;
pub mod interchange;
pub mod merge;
pub mod migrate;
pub mod review;
pub mod segment;
pub mod suggest;
pub mod team;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::core::project;
use crate::core::storage::store::LoadError;
use crate::session::WindowRequest;

/// Exit code for bad usage and for features this build does not have.
pub const EXIT_USAGE: u8 = 2;

/// `stance`: code claims and stances in news articles.
#[derive(Debug, Parser)]
#[command(
    name = "stance",
    version,
    about = "Claim and stance annotation of news articles",
    long_about = "Claim and stance annotation of news articles.\n\nWithout a subcommand, opens the coding window on --project DIR (or the current folder if it is a project)."
)]
pub struct Cli {
    /// The project folder (holding `seeds/`, `annotations/` and optionally `codebook.ron`).
    #[arg(long, value_name = "DIR", global = true)]
    pub project: Option<PathBuf>,
    /// Code as this annotator in the window (remembered; asked for on first start otherwise).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// Open the window on this article (its id, the file stem).
    #[arg(long, value_name = "ID")]
    pub article: Option<String>,
    /// What to do; none opens the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the codebook, articles and annotation files; exit 1 if there are errors.
    Check(check::Args),
    /// Show how an article file is split into paragraphs and sentences.
    Segment(segment::Args),
    /// Export every claim as CSV or JSON Lines.
    Export(export::Args),
    /// Bring annotation files up to the codebook's current version.
    Migrate(migrate::Args),
    /// Turn a tab-separated table of codings into annotation files.
    Import(import::Args),
    /// Add articles from text, HTML, DOCX or news database exports (NNN_<hash> ids).
    ImportArticles(interchange::ImportArticlesArgs),
    /// Write annotations as brat standoff, WebAnno TSV 3.3 or Label Studio JSON.
    ExportAnnotations(interchange::ExportAnnotationsArgs),
    /// Read annotations from brat standoff, WebAnno TSV 3.3 or Label Studio JSON.
    ImportAnnotations(interchange::ImportAnnotationsArgs),
    /// Inter-coder agreement over a project's annotation files or a ratings table.
    Agree(agree::AgreeArgs),
    /// Suggest claims, speakers and source types with reasons, or measure the suggestions
    /// against the coders' claims (--evaluate).
    Suggest(suggest::Args),
    /// Open a project, an article or a file for review; --list prints how annotators differ.
    Review(review::Args),
    /// Claim-by-claim difference of two annotation files (also a git diff driver).
    Diff(diff::Args),
    /// Three-way merge of annotation files by claim id (also a git merge driver).
    Merge(merge::Args),
    /// Write a large generated project for benchmarks (a long article, or a corpus).
    Generate(generate::Args),
    /// Make a project folder ready to code and to share through git (idempotent).
    Init(team::init::Args),
    /// Assign articles to coders with a reliability sample everyone codes (project.ron).
    Assign(team::assign::Args),
    /// A coder's assigned articles, what is done and what comes next.
    Queue(team::status::QueueArgs),
    /// Every coder's progress and the reliability sample's agreement so far.
    Status(team::status::StatusArgs),
    /// Commit your own files, merge what others pushed (claim by claim), and push.
    Sync(team::sync::Args),
}

/// What a command line comes to: an exit code, or the window to open.
#[derive(Debug)]
pub enum Run {
    /// The command ran; exit with this code.
    Exit(ExitCode),
    /// Open the window (`main` does; a build without one says so with [`no_window`]).
    OpenWindow(Window),
}

/// The window a command line asks for.
#[derive(Debug)]
pub struct Window {
    /// What it opens on.
    pub request: WindowRequest,
    /// The path `stance review` was given, when it was that command (for messages).
    pub review_of: Option<PathBuf>,
}

impl Window {
    /// The command's name in messages: `stance` or `stance review`.
    pub fn command(&self) -> &'static str {
        if self.review_of.is_some() {
            "stance review"
        } else {
            "stance"
        }
    }
}

/// What a build without the window says when asked to open it (exit with [`EXIT_USAGE`]).
pub fn no_window(w: &Window) -> String {
    if let Some(path) = &w.review_of {
        let shown = display_path(path);
        return format!(
            "stance review: this build has no window (it was built without the `gui` feature), so it cannot open {shown} for review.\n\
             hint: `stance review {shown} --list` prints the differences as text\n"
        );
    }
    let Some(root) = &w.request.root else {
        return format!(
            "stance: this build has no window (it was built without the `gui` feature).\n{}",
            no_project_message()
        );
    };
    format!(
        "stance: this build has no window (it was built without the `gui` feature), so it cannot open the project in `{}`.\n\
         hint: rebuild with default features (`cargo build --release`), or use a subcommand: `stance --help`\n",
        display_path(root)
    )
}

/// Parses the process arguments and runs the command; `main` exits with the code or opens
/// the window.
pub fn run() -> Run {
    run_from(std::env::args_os())
}

/// Parses `args` (the first being the program name) and runs the command.
pub fn run_from<I, T>(args: I) -> Run
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and --version go to stdout with code 0; usage errors to stderr with 2.
            let _ = e.print();
            return Run::Exit(ExitCode::from(
                u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE),
            ));
        }
    };
    let project = cli.project.as_deref();
    let code = match cli.command {
        // No project named and none here: the window opens on its welcome page.
        None => {
            return Run::OpenWindow(Window {
                request: WindowRequest {
                    root: project
                        .map(Path::to_owned)
                        .or_else(project::current_project),
                    annotator: cli.annotator,
                    article: cli.article,
                    review: false,
                },
                review_of: None,
            });
        }
        Some(Command::Check(args)) => check::run(&args, project),
        Some(Command::Segment(args)) => segment::run(&args),
        Some(Command::Export(args)) => export::run(&args, project),
        Some(Command::Migrate(args)) => migrate::run(&args, project),
        Some(Command::Import(args)) => import::run(&args, project),
        Some(Command::ImportArticles(args)) => interchange::import_articles(&args, project),
        Some(Command::ExportAnnotations(args)) => interchange::export_annotations(&args, project),
        Some(Command::ImportAnnotations(args)) => interchange::import_annotations(&args, project),
        Some(Command::Agree(args)) => agree::run(&args, project),
        Some(Command::Suggest(args)) => suggest::run(&args, project),
        Some(Command::Review(args)) => return review::run(&args, project, cli.annotator),
        Some(Command::Diff(args)) => diff::run(&args),
        Some(Command::Merge(args)) => merge::run(&args),
        Some(Command::Generate(args)) => generate::run(&args),
        Some(Command::Init(args)) => team::init::run(&args, project),
        Some(Command::Assign(args)) => team::assign::run(&args, project),
        Some(Command::Queue(args)) => team::status::run_queue(&args, project),
        Some(Command::Status(args)) => team::status::run_status(&args, project),
        Some(Command::Sync(args)) => team::sync::run(&args, project),
    };
    Run::Exit(code)
}

/// What to say when a command needs a project and there is none here.
pub fn no_project_message() -> String {
    let here = std::env::current_dir().map_or_else(|_| ".".to_owned(), |d| d.display().to_string());
    format!(
        "stance: no project here: {here} has no `{}/` or `{}/` folder.\n\
         hint: run stance inside a project folder, or name one (`stance check DIR`, `--project DIR`).\n\
         hint: to make one, run `stance init DIR` (add `--sample` for the bundled sample articles) and put UTF-8 .txt articles in `DIR/{}/`{}\n",
        project::ARTICLES_DIR,
        project::ANNOTATIONS_DIR,
        project::ARTICLES_DIR,
        if cfg!(feature = "gui") {
            ", or run `stance` with no arguments and create the sample project from the window"
        } else {
            ""
        },
    )
}

/// The project folder a subcommand works on: its own argument, else `--project`, else the
/// current folder if it is a project ([`project::current_project`]). With none of these, the
/// message saying there is no project here (and how to make one) is printed and the exit
/// code for bad usage returned: never a folder the user did not name.
pub fn project_root(dir: Option<&Path>, project: Option<&Path>) -> Result<PathBuf, ExitCode> {
    match dir.or(project) {
        Some(root) => Ok(root.to_owned()),
        None => project::current_project().ok_or_else(|| {
            eprint!("{}", no_project_message());
            ExitCode::from(EXIT_USAGE)
        }),
    }
}

/// `path` relative to the current folder when it lies inside it, so messages stay short and
/// editors can open them; otherwise as given.
pub fn display_path(path: &Path) -> String {
    let Ok(cwd) = std::env::current_dir() else {
        return path.display().to_string();
    };
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        cwd.join(path)
    };
    match absolute.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

/// A load error for the terminal: `path:line:col: message` with the path shortened by
/// [`display_path`], and no position for errors about the whole file (cannot read, too large).
pub fn describe_load_error(e: &LoadError) -> String {
    match e {
        LoadError::Io { .. } | LoadError::TooLarge { .. } => {
            format!("{}: {}", display_path(e.path()), e.message())
        }
        _ => format!("{}:{}: {}", display_path(e.path()), e.pos(), e.message()),
    }
}

/// Writes `text` to stdout. A closed pipe (`stance export | head`) is not an error worth a
/// panic or a message, so it reports `false` and the caller stops quietly.
pub fn print_out(text: &str) -> bool {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => false,
        Err(e) => {
            eprintln!("stance: cannot write to standard output: {e}");
            false
        }
    }
}

/// `n` and `word`, with an `s` unless `n` is one ("1 error", "3 files").
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn subcommand_dir_wins_over_project() {
        let root = project_root(Some(Path::new("a")), Some(Path::new("b")));
        assert_eq!(root, Ok(PathBuf::from("a")));
        assert_eq!(
            project_root(None, Some(Path::new("b"))),
            Ok(PathBuf::from("b"))
        );
    }

    #[test]
    fn paths_inside_cwd_become_relative() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(display_path(&cwd.join("x").join("y.ron")), "x/y.ron");
        assert_eq!(display_path(Path::new("./x/y.ron")), "x/y.ron");
        assert_eq!(
            display_path(Path::new("/nonexistent-root/y")),
            "/nonexistent-root/y"
        );
    }
}
