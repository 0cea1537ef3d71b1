//! `stance suggest [DIR] [--article ID] [--format text|json] [--evaluate]`: suggested claims
//! with their reasons, or how well they match the coders' claims.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{describe_load_error, display_path, plural, print_out, project_root};
use crate::core::model::annotation::{Cue, SpeakerRef};
use crate::core::project::Project;
use crate::core::suggest::evaluate::{Evaluation, Tally, evaluate};
use crate::core::suggest::{Suggester, Suggestion};
use crate::core::text::corpus::Article;

/// Output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable lines: sentence, speaker, source type, cue, then the reasons.
    #[default]
    Text,
    /// One JSON document (an array of articles, or the evaluation with --evaluate).
    Json,
}

/// Arguments of `stance suggest`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Suggestions never include stances. With --evaluate, a suggested sentence counts as right if a coder's hand-made claim covers it; speaker and source type are compared on sentences both marked. Every annotator's files count except gold."
)]
pub struct Args {
    /// The project folder (default: --project, else the current folder if it is a project).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Only this article (its id, the file stem under `seeds/`).
    #[arg(long, value_name = "ID")]
    pub article: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Compare the suggestions with the coders' claims: precision, recall, speaker and
    /// source-type accuracy, per annotator and pooled.
    #[arg(long)]
    pub evaluate: bool,
}

/// Runs `stance suggest`.
pub fn run(args: &Args, project: Option<&Path>) -> ExitCode {
    let root = match project_root(args.dir.as_deref(), project) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let (project, problems) = match Project::open(&root) {
        Ok(p) => p,
        Err(e) => {
            eprintln!(
                "stance suggest: {}\nhint: fix the codebook (`stance check {}` lists every problem)",
                describe_load_error(&e),
                display_path(&root)
            );
            return ExitCode::FAILURE;
        }
    };
    for e in &problems {
        eprintln!(
            "stance suggest: skipped an article: {}",
            describe_load_error(e)
        );
    }
    let articles: Vec<&Article> = match &args.article {
        Some(id) => {
            let Some(a) = project.article(id) else {
                eprintln!(
                    "stance suggest: no article `{id}` in {}\nhint: article ids are the file names in `seeds/` without `.txt`",
                    display_path(&root)
                );
                return ExitCode::FAILURE;
            };
            vec![a]
        }
        None => project.articles.iter().collect(),
    };
    if args.evaluate {
        return run_evaluate(args, &project, &articles);
    }
    let suggester = Suggester::new(&project.codebook);
    let results: Vec<(&Article, Vec<Suggestion>)> = articles
        .into_iter()
        .map(|a| (a, suggester.suggest(a)))
        .collect();
    let out = match args.format {
        Format::Text => render_text(&results),
        Format::Json => render_json(&results),
    };
    print_out(&out);
    ExitCode::SUCCESS
}

fn run_evaluate(args: &Args, project: &Project, articles: &[&Article]) -> ExitCode {
    // Evaluate only the articles asked for, by evaluating a project view holding just them.
    let mut view = project.clone();
    view.articles = articles.iter().map(|a| (*a).clone()).collect();
    let (eval, problems) = evaluate(&view);
    for e in &problems {
        eprintln!(
            "stance suggest: left out of the evaluation: {}",
            describe_load_error(e)
        );
    }
    if eval.annotators.is_empty() {
        eprintln!(
            "stance suggest: no coder's annotation files to compare with in {}\nhint: code some articles first, or point to the project that has them",
            display_path(&project.root)
        );
        return ExitCode::FAILURE;
    }
    let out = match args.format {
        Format::Text => render_table(&eval),
        Format::Json => render_eval_json(&eval),
    };
    print_out(&out);
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// A speaker as shown: the registry id, or the new name in quotes.
fn speaker_label(s: Option<&SpeakerRef>) -> String {
    match s {
        Some(SpeakerRef::Registry(id)) => id.clone(),
        Some(SpeakerRef::New(name)) => format!("new \"{name}\""),
        None => "?".to_owned(),
    }
}

/// At most `n` characters of `s`, with an ellipsis when cut.
fn clip(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The sentences as `s13` or `s22–23`, counted from 1 as the window counts them.
fn sentences(s: &Suggestion) -> String {
    let (first, last) = (u64::from(s.first) + 1, u64::from(s.last) + 1);
    if first == last {
        format!("s{first}")
    } else {
        format!("s{first}–{last}")
    }
}

/// Suggestions as readable text, one block per article.
pub fn render_text(results: &[(&Article, Vec<Suggestion>)]) -> String {
    let mut out = String::new();
    let mut total = 0;
    for (article, suggestions) in results {
        total += suggestions.len();
        let _ = writeln!(
            out,
            "{}  {}  ({})",
            article.id,
            clip(article.heading(), 60),
            plural(suggestions.len(), "suggestion")
        );
        for s in suggestions {
            let cue = s
                .cue
                .as_ref()
                .map_or_else(|| "no cue".to_owned(), |c| format!("cue \"{}\"", c.text));
            let _ = writeln!(
                out,
                "  {:<7} {}  {}  {}  [{}]",
                sentences(s),
                speaker_label(s.speaker.as_ref()),
                s.source.as_deref().unwrap_or("?"),
                cue,
                s.targets.join(", ")
            );
            let _ = writeln!(
                out,
                "          {}",
                clip(&article.text[s.start..s.end], 110)
            );
            let _ = writeln!(out, "          why: {}", s.explain());
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} in {}",
        plural(total, "suggestion"),
        plural(results.len(), "article")
    );
    out
}

/// One suggestion as JSON.
#[derive(Serialize)]
struct SuggestionOut<'a> {
    /// First sentence, counted from 1 (as the window, `stance segment` and the export count).
    first: u64,
    /// Last sentence, counted from 1.
    last: u64,
    start: usize,
    end: usize,
    text: &'a str,
    targets: &'a [String],
    /// Registry id, or the name of a speaker outside the registry.
    speaker: Option<&'a str>,
    /// Whether `speaker` is a registry id.
    speaker_in_registry: bool,
    source: Option<&'a str>,
    cue: Option<&'a Cue>,
    reasons: &'a [String],
}

/// One article's suggestions as JSON.
#[derive(Serialize)]
struct ArticleOut<'a> {
    article: &'a str,
    suggestions: Vec<SuggestionOut<'a>>,
}

/// Suggestions as one JSON array of articles.
pub fn render_json(results: &[(&Article, Vec<Suggestion>)]) -> String {
    let articles: Vec<ArticleOut<'_>> = results
        .iter()
        .map(|(a, list)| ArticleOut {
            article: &a.id,
            suggestions: list
                .iter()
                .map(|s| SuggestionOut {
                    first: u64::from(s.first) + 1,
                    last: u64::from(s.last) + 1,
                    start: s.start,
                    end: s.end,
                    text: &a.text[s.start..s.end],
                    targets: &s.targets,
                    speaker: s.speaker.as_ref().map(|r| match r {
                        SpeakerRef::Registry(id) => id.as_str(),
                        SpeakerRef::New(name) => name.as_str(),
                    }),
                    speaker_in_registry: matches!(s.speaker, Some(SpeakerRef::Registry(_))),
                    source: s.source.as_deref(),
                    cue: s.cue.as_ref(),
                    reasons: &s.reasons,
                })
                .collect(),
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&articles).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

/// A ratio as `0.857`, or `-` when there is nothing to divide by.
fn ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| format!("{r:.3}"))
}

fn table_row(name: &str, t: &Tally) -> String {
    format!(
        "{name:<10} {:>8} {:>9} {:>7} {:>5} {:>9} {:>6} {:>7} {:>6} {:>7} {:>6}",
        t.articles,
        t.suggested,
        t.claimed,
        t.both,
        ratio(t.precision()),
        ratio(t.recall()),
        format!("{}/{}", t.speaker_right, t.both),
        ratio(t.speaker_accuracy()),
        format!("{}/{}", t.source_right, t.both),
        ratio(t.source_accuracy()),
    )
}

/// The evaluation as a table: one row per annotator and a pooled row.
pub fn render_table(eval: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Suggestions against hand-made claims: {}, {} (gold left out)\n",
        plural(eval.articles.len(), "article"),
        plural(eval.annotators.len(), "annotator")
    );
    let _ = writeln!(
        out,
        "{:<10} {:>8} {:>9} {:>7} {:>5} {:>9} {:>6} {:>14} {:>14}",
        "annotator",
        "articles",
        "suggested",
        "claimed",
        "both",
        "precision",
        "recall",
        "speaker",
        "source"
    );
    for (name, t) in &eval.annotators {
        let _ = writeln!(out, "{}", table_row(name, t));
    }
    let _ = writeln!(out, "{}", table_row("pooled", &eval.pooled));
    out.push_str(
        "\nCounts are sentences. precision: suggested sentences a coder claimed; recall: claimed\n\
         sentences that were suggested; speaker, source: agreement on sentences both marked.\n",
    );
    out
}

/// One tally as JSON, with the ratios spelled out.
#[derive(Serialize)]
struct TallyOut<'a> {
    #[serde(flatten)]
    counts: &'a Tally,
    precision: Option<f64>,
    recall: Option<f64>,
    speaker_accuracy: Option<f64>,
    source_accuracy: Option<f64>,
}

impl<'a> From<&'a Tally> for TallyOut<'a> {
    fn from(t: &'a Tally) -> Self {
        Self {
            counts: t,
            precision: t.precision(),
            recall: t.recall(),
            speaker_accuracy: t.speaker_accuracy(),
            source_accuracy: t.source_accuracy(),
        }
    }
}

/// The evaluation as one JSON object.
pub fn render_eval_json(eval: &Evaluation) -> String {
    #[derive(Serialize)]
    struct EvalOut<'a> {
        articles: &'a [String],
        annotators: std::collections::BTreeMap<&'a str, TallyOut<'a>>,
        pooled: TallyOut<'a>,
    }
    let e = EvalOut {
        articles: &eval.articles,
        annotators: eval
            .annotators
            .iter()
            .map(|(k, t)| (k.as_str(), t.into()))
            .collect(),
        pooled: (&eval.pooled).into(),
    };
    let mut out = serde_json::to_string_pretty(&e).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_a_row_per_annotator_and_a_pooled_row() {
        let t = Tally {
            articles: 3,
            suggested: 10,
            claimed: 8,
            both: 6,
            speaker_right: 5,
            source_right: 3,
        };
        let mut eval = Evaluation {
            articles: vec!["a".into(), "b".into(), "c".into()],
            ..Evaluation::default()
        };
        eval.annotators.insert("amira".into(), t);
        eval.annotators.insert("jonas".into(), t);
        eval.pooled.add(&t);
        eval.pooled.add(&t);
        let table = render_table(&eval);
        let rows: Vec<&str> = table
            .lines()
            .filter(|l| l.starts_with("amira") || l.starts_with("jonas") || l.starts_with("pooled"))
            .collect();
        assert_eq!(rows.len(), 3, "{table}");
        assert!(
            rows[0].contains("0.600") && rows[0].contains("0.750"),
            "{}",
            rows[0]
        );
        assert!(
            rows[0].contains("5/6") && rows[0].contains("3/6"),
            "{}",
            rows[0]
        );
        assert!(rows[2].contains("10/12"), "{}", rows[2]);
    }

    #[test]
    fn clip_cuts_on_characters() {
        assert_eq!(clip("Xi’s  visit\nto Russia", 100), "Xi’s visit to Russia");
        assert_eq!(clip("Xi’s visit", 4), "Xi’…");
        assert_eq!(ratio(None), "-");
        assert_eq!(ratio(Some(2.0 / 3.0)), "0.667");
    }
}
