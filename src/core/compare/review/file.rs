//! An editor's review file: verdicts on claims and question threads, with loading that
//! refuses a file naming another editor or another article.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::model::annotation::ArticleRef;
use crate::core::model::names::{self, NameError};
use crate::core::project::{self, ANNOTATIONS_DIR, layout};
use crate::core::storage::store::{self, LoadError};

/// The review file format this build writes and reads.
pub const REVIEW_FORMAT_VERSION: u32 = 1;

/// An editor's judgement of one claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// The claim stands as coded.
    Accept,
    /// The claim should not be there.
    Reject,
    /// The claim is right in principle but something in it must change (see the comment).
    NeedsChange,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Accept => "accept",
            Self::Reject => "reject",
            Self::NeedsChange => "needs change",
        })
    }
}

/// The review of one coder's claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimReview {
    /// Whose claim.
    pub annotator: String,
    /// The claim's id in that annotator's file.
    pub claim: String,
    /// The editor's judgement.
    pub verdict: Verdict,
    /// Why, or what to change.
    #[serde(default)]
    pub comment: String,
    /// When the verdict was given.
    pub time: DateTime<Utc>,
}

/// One message in a question thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Who wrote it (a coder or the editor).
    pub who: String,
    /// What they wrote.
    pub text: String,
    /// When.
    pub time: DateTime<Utc>,
}

/// A coder's question about one of their claims, and the replies to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thread {
    /// Whose claim the question is about.
    pub annotator: String,
    /// The claim's id.
    pub claim: String,
    /// The question first, then the answers, in order.
    pub messages: Vec<Message>,
}

impl Thread {
    /// Whether someone other than the asker has replied last, i.e. the asker has an answer.
    pub fn is_answered(&self) -> bool {
        match (self.messages.first(), self.messages.last()) {
            (Some(q), Some(last)) => self.messages.len() > 1 && last.who != q.who,
            _ => false,
        }
    }
}

/// One editor's review of one article: `annotations/<article>/review.<editor>.ron`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// File format version ([`REVIEW_FORMAT_VERSION`]).
    pub format: u32,
    /// The article reviewed.
    pub article: ArticleRef,
    /// The editor (also in the file name).
    pub editor: String,
    /// One verdict per reviewed claim, sorted by annotator then claim id.
    pub reviews: Vec<ClaimReview>,
    /// Questions from coders and the answers, in the order they were asked.
    #[serde(default)]
    pub threads: Vec<Thread>,
}

impl ReviewFile {
    /// An empty review of `article` by `editor`.
    pub fn new(article: ArticleRef, editor: impl Into<String>) -> Self {
        Self {
            format: REVIEW_FORMAT_VERSION,
            article,
            editor: editor.into(),
            reviews: Vec::new(),
            threads: Vec::new(),
        }
    }

    /// The verdict on `annotator`'s claim `claim`, if given.
    pub fn review_of(&self, annotator: &str, claim: &str) -> Option<&ClaimReview> {
        self.reviews
            .iter()
            .find(|r| r.annotator == annotator && r.claim == claim)
    }

    /// Gives (or replaces) the verdict on a claim; the list stays sorted so the file diffs
    /// well.
    pub fn set_verdict(
        &mut self,
        annotator: &str,
        claim: &str,
        verdict: Verdict,
        comment: &str,
        time: DateTime<Utc>,
    ) {
        let review = ClaimReview {
            annotator: annotator.to_owned(),
            claim: claim.to_owned(),
            verdict,
            comment: comment.to_owned(),
            time,
        };
        match self
            .reviews
            .binary_search_by(|r| (r.annotator.as_str(), r.claim.as_str()).cmp(&(annotator, claim)))
        {
            Ok(i) => self.reviews[i] = review,
            Err(i) => self.reviews.insert(i, review),
        }
    }

    /// Takes back the verdict on a claim; whether there was one.
    pub fn clear_verdict(&mut self, annotator: &str, claim: &str) -> bool {
        let before = self.reviews.len();
        self.reviews
            .retain(|r| !(r.annotator == annotator && r.claim == claim));
        self.reviews.len() != before
    }

    /// A coder's new question on their claim; returns the thread's index.
    pub fn ask(&mut self, annotator: &str, claim: &str, text: &str, time: DateTime<Utc>) -> usize {
        self.threads.push(Thread {
            annotator: annotator.to_owned(),
            claim: claim.to_owned(),
            messages: vec![Message {
                who: annotator.to_owned(),
                text: text.to_owned(),
                time,
            }],
        });
        self.threads.len() - 1
    }

    /// A reply by `who` in thread `index`; `false` if there is no such thread.
    pub fn reply(&mut self, index: usize, who: &str, text: &str, time: DateTime<Utc>) -> bool {
        let Some(thread) = self.threads.get_mut(index) else {
            return false;
        };
        thread.messages.push(Message {
            who: who.to_owned(),
            text: text.to_owned(),
            time,
        });
        true
    }

    /// The editor's answer in thread `index`; `false` if there is no such thread.
    pub fn answer(&mut self, index: usize, text: &str, time: DateTime<Utc>) -> bool {
        let editor = self.editor.clone();
        self.reply(index, &editor, text, time)
    }

    /// The threads about one claim.
    pub fn threads_on<'a>(
        &'a self,
        annotator: &'a str,
        claim: &'a str,
    ) -> impl Iterator<Item = &'a Thread> + 'a {
        self.threads
            .iter()
            .filter(move |t| t.annotator == annotator && t.claim == claim)
    }
}

/// `root/annotations/<article>/review.<editor>.ron`, after checking both names are safe.
pub fn review_path(root: &Path, article: &str, editor: &str) -> Result<PathBuf, NameError> {
    project::side_file_path(root, article, layout::REVIEW_KIND, editor)
}

/// The review files of an article, as `(editor, path)`, sorted by editor. Files whose editor
/// part is not a valid name are left out.
pub fn review_files(root: &Path, article: &str) -> Vec<(String, PathBuf)> {
    project::side_files(root, article, layout::REVIEW_KIND)
}

/// Loads a review file: size limit, UTF-8, RON with positions, then the rules: a supported
/// format version, valid names, the editor the file name says, one verdict per claim, and
/// no empty thread.
pub fn load_review(path: &Path) -> Result<ReviewFile, LoadError> {
    let text = store::read_text(path, "a stance review file (RON)")?;
    parse_review(path, &text)
}

/// Parses review text read from `path` (see [`load_review`]).
pub fn parse_review(path: &Path, text: &str) -> Result<ReviewFile, LoadError> {
    let file: ReviewFile = store::parse_ron(path, text)?;
    let invalid = |needle: &str, message: String| LoadError::Invalid {
        path: path.to_owned(),
        pos: store::locate(text, needle),
        message,
    };
    if file.format != REVIEW_FORMAT_VERSION {
        return Err(LoadError::UnsupportedFormat {
            path: path.to_owned(),
            pos: store::locate(text, "format:"),
            found: file.format,
            supported: REVIEW_FORMAT_VERSION,
        });
    }
    if let Err(e) = names::validate_person(&file.editor) {
        return Err(invalid(
            "editor:",
            format!("the editor name is not usable: {e}"),
        ));
    }
    let named = match path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(layout::parse_file_name)
    {
        Some(layout::FileName::Side {
            kind: layout::REVIEW_KIND,
            name,
        }) => Some(name),
        _ => None,
    };
    if let Some(named) = named
        && named != file.editor
    {
        return Err(invalid(
            "editor:",
            format!(
                "the file says its editor is `{}` but it is named `review.{named}.ron`; rename the file or fix the `editor` field",
                file.editor
            ),
        ));
    }
    // In a project the folder names the article; a review of another article's claims
    // would show verdicts next to the wrong text.
    let folder = path
        .parent()
        .and_then(layout::article_of_folder)
        .map(|(_, article)| article);
    if let Some(folder) = folder
        && folder != file.article.id
    {
        return Err(invalid(
            "article:",
            format!(
                "the review is of article `{}` but it is in the folder of article `{folder}`; move it to `{ANNOTATIONS_DIR}/{}/`",
                file.article.id, file.article.id
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    for r in &file.reviews {
        if let Err(e) = names::validate_annotator(&r.annotator) {
            return Err(invalid(
                &format!("annotator: \"{}\"", r.annotator),
                format!("the annotator name is not usable: {e}"),
            ));
        }
        if !seen.insert((r.annotator.as_str(), r.claim.as_str())) {
            return Err(invalid(
                &format!("claim: \"{}\"", r.claim),
                format!(
                    "claim `{}` of {} has two verdicts; keep one",
                    r.claim, r.annotator
                ),
            ));
        }
    }
    for t in &file.threads {
        if t.messages.is_empty() {
            return Err(invalid(
                "messages: []",
                format!(
                    "the thread on claim `{}` of {} has no messages; remove it",
                    t.claim, t.annotator
                ),
            ));
        }
    }
    Ok(file)
}

/// Saves a review file atomically as deterministic RON (verdicts sorted first).
pub fn save_review(path: &Path, review: &ReviewFile) -> std::io::Result<()> {
    let mut review = review.clone();
    review
        .reviews
        .sort_by(|a, b| (&a.annotator, &a.claim).cmp(&(&b.annotator, &b.claim)));
    let text = store::to_ron(&review).map_err(std::io::Error::other)?;
    store::write_atomic(path, text.as_bytes())
}

/// Every review file of an article that loads, and the errors of those that do not; the
/// coding window shows these verdicts next to a coder's claims.
pub fn load_reviews(root: &Path, article: &str) -> (Vec<ReviewFile>, Vec<LoadError>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for (_, path) in review_files(root, article) {
        match load_review(&path) {
            Ok(r) => ok.push(r),
            Err(e) => failed.push(e),
        }
    }
    (ok, failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testkit::t;

    #[test]
    fn review_file_round_trips_and_keeps_verdicts_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = review_path(dir.path(), "a", "ed").unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut r = ReviewFile::new(
            ArticleRef {
                id: "a".into(),
                fingerprint: "sha256:0".into(),
            },
            "ed",
        );
        let time = t("2024-02-02T10:00:00Z");
        r.set_verdict("jonas", "j1", Verdict::Reject, "not a claim", time);
        r.set_verdict("amira", "a1", Verdict::Accept, "", time);
        r.set_verdict("amira", "a1", Verdict::NeedsChange, "speaker", time);
        let q = r.ask("amira", "a1", "Is the author the speaker?", time);
        assert!(!r.threads[q].is_answered());
        assert!(r.answer(q, "No, the ministry is.", time));
        assert!(r.threads[q].is_answered());
        assert!(!r.answer(7, "nobody asked", time));
        save_review(&path, &r).unwrap();

        let back = load_review(&path).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.reviews.len(), 2);
        assert_eq!(back.reviews[0].annotator, "amira");
        assert_eq!(
            back.review_of("amira", "a1").unwrap().verdict,
            Verdict::NeedsChange
        );
        assert_eq!(back.threads_on("amira", "a1").count(), 1);
        assert_eq!(
            review_files(dir.path(), "a"),
            vec![("ed".into(), path.clone())]
        );
        let bytes = std::fs::read(&path).unwrap();
        save_review(&path, &back).unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "saving is deterministic"
        );
        assert!(r.clear_verdict("jonas", "j1"));
        assert!(!r.clear_verdict("jonas", "j1"));
    }

    #[test]
    fn review_files_are_validated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.ed.ron");
        let mut r = ReviewFile::new(
            ArticleRef {
                id: "a".into(),
                fingerprint: "sha256:0".into(),
            },
            "eve",
        );
        let text = store::to_ron(&r).unwrap();
        let e = parse_review(&path, &text).unwrap_err();
        assert!(e.message().contains("named `review.ed.ron`"), "{e}");
        r.editor = "ed".into();
        let time = t("2024-02-02T10:00:00Z");
        r.set_verdict("amira", "a1", Verdict::Accept, "", time);
        r.reviews.push(r.reviews[0].clone());
        let text = store::to_ron(&r).unwrap();
        let e = parse_review(&path, &text).unwrap_err();
        assert!(e.message().contains("two verdicts"), "{e}");
        assert_eq!(e.pos().line, store::locate(&text, "claim: \"a1\"").line);
        r.reviews.pop();
        r.format = 9;
        let e = parse_review(&path, &store::to_ron(&r).unwrap()).unwrap_err();
        assert!(
            matches!(e, LoadError::UnsupportedFormat { found: 9, .. }),
            "{e}"
        );
        assert!(review_path(dir.path(), "a", "../x").is_err());
        r.format = REVIEW_FORMAT_VERSION;
        let elsewhere = dir.path().join("annotations/b/review.ed.ron");
        let e = parse_review(&elsewhere, &store::to_ron(&r).unwrap()).unwrap_err();
        assert!(e.message().contains("in the folder of article `b`"), "{e}");
        let here = dir.path().join("annotations/a/review.ed.ron");
        assert!(parse_review(&here, &store::to_ron(&r).unwrap()).is_ok());
    }
}
