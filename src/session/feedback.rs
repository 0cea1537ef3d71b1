//! What passes between coders and editors besides the coding itself: editors' verdicts shown
//! to the coder, and a coder's questions with the editors' answers.
//!
//! **Where a coder's question lives.** In `annotations/<article>/questions.<coder>.ron`, a
//! core [`ReviewFile`] whose `editor` field names the coder who owns the file, with no
//! verdicts, only question threads. Not in an editor's `review.<editor>.ron`: a coder asks
//! before knowing which editor will answer, and a coder writing into an editor's file would
//! make two people edit one file on two git branches. One file per coder keeps each file one
//! person's, as the annotation files are. The editor's answer is appended to the thread in
//! that same file, so a question and its answers are read in one place and never drift apart
//! (a conflict needs the coder and an editor writing in the same thread at the same time).
//! The coder's annotation file is never touched: it stays byte-identical.

use std::path::{Path, PathBuf};

use crate::core::compare::review::{self, ClaimReview, ReviewFile, Thread, Verdict};
use crate::core::model::annotation::{ArticleRef, now};
use crate::core::model::names;
use crate::core::project;

/// `root/annotations/<article>/questions.<coder>.ron`, after checking both names are safe.
pub fn questions_path(root: &Path, article: &str, coder: &str) -> Result<PathBuf, String> {
    project::side_file_path(root, article, "questions", coder).map_err(|e| e.to_string())
}

/// The question files of an article, as `(coder, path)`, sorted by coder.
pub fn question_files(root: &Path, article: &str) -> Vec<(String, PathBuf)> {
    project::side_files(root, article, "questions")
}

/// Loads `path` if it exists, else an empty question file of `coder` on `article`.
fn load_or_new(path: &Path, article: &ArticleRef, coder: &str) -> Result<ReviewFile, String> {
    project::walk::check_file_read(path).map_err(|e| e.to_string())?;
    if path.exists() {
        review::load_review(path).map_err(|e| format!("{e}; the question file is left untouched"))
    } else {
        Ok(ReviewFile::new(article.clone(), coder))
    }
}

fn save(path: &Path, file: &ReviewFile) -> Result<(), String> {
    project::walk::prepare_file_write(path).map_err(|e| e.to_string())?;
    review::save_review(path, file).map_err(|e| format!("could not save {}: {e}", path.display()))
}

/// Everything a coder sees about their own claims on one article: the editors' verdicts and
/// their question threads.
#[derive(Debug, Default)]
pub struct CoderFeedback {
    /// The article.
    pub article: String,
    /// The coder.
    pub coder: String,
    /// Every editor's review file that loaded.
    pub reviews: Vec<ReviewFile>,
    /// The coder's own question file (empty when there is none yet).
    pub questions: Option<ReviewFile>,
    /// Files that did not load, with why.
    pub errors: Vec<String>,
}

impl CoderFeedback {
    /// Reads the verdicts on, and questions of, `coder` for `article`.
    pub fn load(root: &Path, article: &str, coder: &str) -> Self {
        let (reviews, failed) = review::load_reviews(root, article);
        let mut errors: Vec<String> = failed.iter().map(ToString::to_string).collect();
        let questions = match questions_path(root, article, coder) {
            Ok(p) if p.exists() => match project::walk::check_file_read(&p)
                .map_err(|e| e.to_string())
                .and_then(|()| review::load_review(&p).map_err(|e| e.to_string()))
            {
                Ok(q) => Some(q),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
            Ok(_) => None,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        Self {
            article: article.to_owned(),
            coder: coder.to_owned(),
            reviews,
            questions,
            errors,
        }
    }

    /// Every editor's verdict on the coder's claim `claim`, as `(editor, review)`.
    pub fn verdicts_on(&self, claim: &str) -> Vec<(&str, &ClaimReview)> {
        self.reviews
            .iter()
            .filter_map(|r| {
                r.review_of(&self.coder, claim)
                    .map(|v| (r.editor.as_str(), v))
            })
            .collect()
    }

    /// The badge of a claim list row: `[accepted]`, `[rejected]`, `[needs change]`, or
    /// `[mixed]` when editors disagree; `None` without a verdict.
    pub fn badge(&self, claim: &str) -> Option<String> {
        let verdicts = self.verdicts_on(claim);
        let first = verdicts.first()?.1.verdict;
        if verdicts.iter().any(|(_, v)| v.verdict != first) {
            return Some("[mixed verdicts]".to_owned());
        }
        Some(
            match first {
                Verdict::Accept => "[accepted]",
                Verdict::Reject => "[rejected]",
                Verdict::NeedsChange => "[needs change]",
            }
            .to_owned(),
        )
    }

    /// The coder's threads on `claim`.
    pub fn threads_on(&self, claim: &str) -> Vec<&Thread> {
        self.questions
            .iter()
            .flat_map(|q| q.threads.iter())
            .filter(|t| t.annotator == self.coder && t.claim == claim)
            .collect()
    }

    /// Asks the editors a question about the coder's claim `claim`; saved at once.
    pub fn ask(
        &mut self,
        root: &Path,
        article: &ArticleRef,
        claim: &str,
        text: &str,
    ) -> Result<(), String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("type the question first".to_owned());
        }
        let path = questions_path(root, &self.article, &self.coder)?;
        // Re-read: an editor may have answered since the window loaded the file.
        let mut file = load_or_new(&path, article, &self.coder)?;
        file.ask(&self.coder, claim, text, now());
        save(&path, &file)?;
        self.questions = Some(file);
        Ok(())
    }
}

/// One coder's question as an editor sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenQuestion {
    /// The coder who asked (and whose claim it is).
    pub coder: String,
    /// The thread's index in that coder's question file.
    pub index: usize,
    /// The thread.
    pub thread: Thread,
}

/// Every question asked on an article, answered or not, and the files that did not load.
pub fn questions_of_article(root: &Path, article: &str) -> (Vec<OpenQuestion>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (coder, path) in question_files(root, article) {
        match review::load_review(&path) {
            Ok(file) => out.extend(file.threads.into_iter().enumerate().map(|(index, thread)| {
                OpenQuestion {
                    coder: coder.clone(),
                    index,
                    thread,
                }
            })),
            Err(e) => errors.push(e.to_string()),
        }
    }
    (out, errors)
}

/// `editor` answers thread `index` of `coder`'s questions on `article`; saved at once.
pub fn answer(
    root: &Path,
    article: &str,
    coder: &str,
    index: usize,
    editor: &str,
    text: &str,
) -> Result<(), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type the answer first".to_owned());
    }
    names::validate_person(editor).map_err(|e| e.to_string())?;
    let path = questions_path(root, article, coder)?;
    project::walk::check_file_read(&path).map_err(|e| e.to_string())?;
    if !path.exists() {
        return Err(format!("{}: no questions from {coder}", path.display()));
    }
    let mut file = review::load_review(&path).map_err(|e| e.to_string())?;
    if !file.reply(index, editor, text, now()) {
        return Err(format!("{coder} has no question number {}", index + 1));
    }
    save(&path, &file)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::session::fixture::review_project as fixture;

    #[test]
    fn a_question_is_asked_answered_and_read_back_without_touching_the_coders_file() {
        let (dir, project) = fixture();
        let root = dir.path();
        let ana = root.join("annotations/talks/ana.ron");
        let before = std::fs::read(&ana).unwrap();
        let article = project.article("talks").unwrap().reference();
        let mut fb = CoderFeedback::load(root, "talks", "ana");
        assert!(fb.ask(root, &article, "ana0000003", "  ").is_err());
        fb.ask(root, &article, "ana0000003", "Is regroup against?")
            .unwrap();
        let (qs, errors) = questions_of_article(root, "talks");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].coder, "ana");
        assert!(!qs[0].thread.is_answered());
        answer(
            root,
            "talks",
            "ana",
            0,
            "ed",
            "Yes: it opposes a ceasefire now.",
        )
        .unwrap();
        assert!(answer(root, "talks", "ana", 5, "ed", "x").is_err());
        let fb = CoderFeedback::load(root, "talks", "ana");
        let threads = fb.threads_on("ana0000003");
        assert_eq!(threads.len(), 1);
        assert!(threads[0].is_answered());
        assert_eq!(threads[0].messages[1].who, "ed");
        assert_eq!(std::fs::read(&ana).unwrap(), before);
        let text =
            std::fs::read_to_string(root.join("annotations/talks/questions.ana.ron")).unwrap();
        assert!(text.contains("Is regroup against?"), "{text}");
    }

    #[test]
    fn verdicts_become_badges() {
        let (dir, project) = fixture();
        let root = dir.path();
        let article = project.article("talks").unwrap().reference();
        for (editor, verdict) in [("ed", Verdict::Reject), ("flo", Verdict::Accept)] {
            let mut r = ReviewFile::new(article.clone(), editor);
            r.set_verdict("ana", "ana0000001", verdict, "why", now());
            r.set_verdict("ana", "ana0000002", Verdict::NeedsChange, "", now());
            let p = review::review_path(root, "talks", editor).unwrap();
            review::save_review(&p, &r).unwrap();
        }
        let fb = CoderFeedback::load(root, "talks", "ana");
        assert_eq!(fb.badge("ana0000001").as_deref(), Some("[mixed verdicts]"));
        assert_eq!(fb.badge("ana0000002").as_deref(), Some("[needs change]"));
        assert_eq!(fb.badge("ana0000003"), None);
        assert_eq!(fb.verdicts_on("ana0000001").len(), 2);
        let ben = CoderFeedback::load(root, "talks", "ben");
        assert_eq!(ben.badge("ana0000001"), None, "verdicts are per coder");
    }
}
