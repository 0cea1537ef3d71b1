//! `stance generate long|corpus DIR`: writes large, realistic test projects for benchmarks
//! (see [`crate::core::project::generate`]).

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use crate::core::model::codebook::Codebook;
use crate::core::project::generate::{self, Written};

/// Arguments of `stance generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to generate.
    #[command(subcommand)]
    pub what: What,
}

/// The kinds of generated project.
#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// One long article (default 1 MB, about 8,000 sentences) with one annotator's claims.
    Long {
        /// The project folder to write (created; must not hold articles yet).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Bytes of article text (at least).
        #[arg(long, default_value_t = 1_000_000)]
        bytes: usize,
        /// Claims in the annotator's file.
        #[arg(long, default_value_t = 3_000)]
        claims: usize,
        /// Seed of the generator: the same seed writes the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// A corpus of articles, each coded by several annotators (overlapping, not identical).
    Corpus {
        /// The project folder to write (created; must not hold articles yet).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Number of articles.
        #[arg(long, default_value_t = 2_000)]
        articles: usize,
        /// Annotators per article.
        #[arg(long, default_value_t = 5)]
        annotators: usize,
        /// Seed of the generator: the same seed writes the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Runs `stance generate`.
pub fn run(args: &Args) -> ExitCode {
    let codebook = Codebook::default_codebook();
    let dir = match &args.what {
        What::Long { dir, .. } | What::Corpus { dir, .. } => dir,
    };
    if crate::core::project::walk::articles_dir_in_use(dir) {
        eprintln!(
            "error: {} already holds articles; generate into a new folder",
            crate::core::project::layout::articles_dir(dir).display()
        );
        return ExitCode::FAILURE;
    }
    let result = match &args.what {
        What::Long {
            dir,
            bytes,
            claims,
            seed,
        } => generate::write_long(dir, &codebook, *bytes, *claims, *seed),
        What::Corpus {
            dir,
            articles,
            annotators,
            seed,
        } => {
            let bar = progress_bar(*articles as u64);
            let r = generate::write_corpus(
                dir,
                &codebook,
                *articles,
                *annotators,
                *seed,
                &mut |done, _| bar.set_position(done as u64),
            );
            bar.finish_and_clear();
            r
        }
    };
    match result {
        Ok(w) => {
            println!("{}", summary(&w, dir));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: could not write {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

/// A bar on stderr when it is a terminal; hidden otherwise so logs and pipes stay clean.
fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} articles ({eta})") {
        bar.set_style(style);
    }
    bar
}

/// One line saying what was written.
pub fn summary(w: &Written, dir: &std::path::Path) -> String {
    format!(
        "wrote {} article(s) ({} bytes of text), {} annotation file(s) with {} claims to {}",
        w.articles,
        w.article_bytes,
        w.annotation_files,
        w.claims,
        dir.display()
    )
}
