//! `stance segment FILE [--json]`: show the sentences of an article file, one per line, with
//! the byte ranges annotation anchors use. A tool for checking segmentation rules.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{describe_load_error, print_out};
use crate::core::model::codebook::Codebook;
use crate::core::project::{self, layout};
use crate::core::storage::store;
use crate::core::text::segment::{Segmentation, segment};

/// Arguments of `stance segment`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article text file. Inside a project's `seeds/`, the project codebook's boilerplate
    /// rules apply; elsewhere the default codebook's.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// One JSON object per sentence (index, paragraph, start, end, skip, text) instead of
    /// tab-separated lines.
    #[arg(long)]
    pub json: bool,
}

/// One sentence as `--json` prints it.
#[derive(Debug, Serialize)]
struct SentenceOut<'a> {
    /// The sentence as people count it, from 1 (`s1` in the text output and the window).
    sentence: usize,
    /// The 0-based index, as annotation files' `first` and `last` fields count.
    index: usize,
    /// The paragraph, counted from 1.
    paragraph: u64,
    start: usize,
    end: usize,
    skip: Option<&'a str>,
    text: &'a str,
}

/// Runs `stance segment`.
pub fn run(args: &Args) -> ExitCode {
    let text = match store::read_text(&args.file, "an article as UTF-8 text") {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "stance segment: {}\nhint: FILE is an article's text file, such as `seeds/<article>.txt`",
                describe_load_error(&e)
            );
            return ExitCode::FAILURE;
        }
    };
    let codebook = codebook_for(&args.file);
    let seg = segment(&text, &codebook.boilerplate);
    let out = if args.json {
        render_json(&text, &seg)
    } else {
        render_lines(&text, &seg)
    };
    print_out(&out);
    ExitCode::SUCCESS
}

/// The codebook whose boilerplate rules apply to `file`: its project's when it lies in a
/// project's `seeds/`, else the default.
fn codebook_for(file: &Path) -> Codebook {
    let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned());
    let root = layout::root_of_article(&absolute);
    let Some(root) = root else {
        return Codebook::default_codebook();
    };
    match project::load_codebook(root) {
        Ok((cb, _)) => cb,
        Err(e) => {
            // Segmentation is still worth showing; say which rules were used instead.
            eprintln!(
                "stance segment: warning: {}\nhint: using the default codebook's boilerplate rules; run `stance check` on the project",
                describe_load_error(&e)
            );
            Codebook::default_codebook()
        }
    }
}

/// `s<n>\tp<para>\t<start>..<end>\t[skip:<rule>]\t<text>`, one line per sentence, sentences
/// and paragraphs counted from 1 as the window counts them. The skip column is empty for
/// sentences that are not skipped, so every line has five columns.
pub fn render_lines(text: &str, seg: &Segmentation) -> String {
    let mut out = String::new();
    for (i, s) in seg.sentences.iter().enumerate() {
        let skip = s
            .skip
            .as_ref()
            .map(|r| format!("[skip:{r}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "s{}\tp{}\t{}..{}\t{skip}\t{}",
            i + 1,
            u64::from(s.paragraph) + 1,
            s.range.start,
            s.range.end,
            escape(&text[s.range.clone()])
        );
    }
    out
}

/// One JSON object per sentence, one per line.
pub fn render_json(text: &str, seg: &Segmentation) -> String {
    let mut out = String::new();
    for (i, s) in seg.sentences.iter().enumerate() {
        let row = SentenceOut {
            sentence: i + 1,
            index: i,
            paragraph: u64::from(s.paragraph) + 1,
            start: s.range.start,
            end: s.range.end,
            skip: s.skip.as_deref(),
            text: &text[s.range.clone()],
        };
        // Serialising plain strings and numbers cannot fail.
        if let Ok(line) = serde_json::to_string(&row) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Escapes backslashes, tabs and line breaks so each sentence stays on one line in one column
/// and the original text can be recovered.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::codebook::Boilerplate;

    #[test]
    fn escape_keeps_one_line() {
        assert_eq!(escape("a\tb\nc\\d\r"), "a\\tb\\nc\\\\d\\r");
    }

    #[test]
    fn lines_have_five_columns_and_real_ranges() {
        let text = "Title\n\nOne two.\n";
        let seg = segment(text, &Boilerplate::default());
        let out = render_lines(text, &seg);
        let first: Vec<&str> = out.lines().next().unwrap().split('\t').collect();
        assert_eq!(first, ["s1", "p1", "0..5", "", "Title"]);
        assert!(out.lines().all(|l| l.split('\t').count() == 5));
    }

    #[test]
    fn codebook_inside_a_project_is_the_projects() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("seeds")).unwrap();
        let file = dir.path().join("seeds").join("a.txt");
        std::fs::write(&file, "The Debate\n").unwrap();
        let mut cb = Codebook::default_codebook();
        cb.boilerplate
            .patterns
            .push(crate::core::model::codebook::BoilerplatePattern {
                id: "debate-label".into(),
                regex: "^The Debate$".into(),
            });
        let ron = crate::core::storage::store::to_ron(&cb).unwrap();
        std::fs::write(dir.path().join("codebook.ron"), ron).unwrap();
        assert_eq!(codebook_for(&file), cb);
        // Outside `seeds/`, the project's codebook does not apply.
        let loose = dir.path().join("a.txt");
        std::fs::write(&loose, "The Debate\n").unwrap();
        assert_eq!(codebook_for(&loose), Codebook::default_codebook());
    }

    #[test]
    fn codebook_outside_a_project_is_the_default() {
        let cb = codebook_for(Path::new("/nonexistent/article.txt"));
        assert_eq!(cb, Codebook::default_codebook());
    }
}
