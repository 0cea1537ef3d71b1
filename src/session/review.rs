//! A review session: one editor reviewing every annotator's claims on one article.
//!
//! Verdicts go to the editor's own review file (`annotations/<article>/review.<editor>.ron`);
//! the coders' files are only read, never written.

use std::path::PathBuf;

use crate::core::compare::review::{self, Alignment, ReviewFile, Verdict};
use crate::core::model::annotation::now;
use crate::core::project::Project;

/// One editor's review of one article.
#[derive(Debug)]
pub struct ReviewSession {
    /// Every annotator's claims, aligned.
    pub alignment: Alignment,
    /// The editor's verdicts and comments.
    pub review: ReviewFile,
    /// Where they are saved.
    pub path: PathBuf,
    /// Unsaved verdicts exist.
    pub dirty: bool,
    /// The last save error or load problem, if any.
    pub error: Option<String>,
}

impl ReviewSession {
    /// Opens the review of `article` by `editor` (an existing review file is loaded).
    pub fn open(project: &Project, article: &str, editor: &str) -> Result<Self, String> {
        let a = project
            .article(article)
            .ok_or_else(|| format!("no article `{article}`"))?;
        let path =
            review::review_path(&project.root, article, editor).map_err(|e| e.to_string())?;
        crate::core::project::walk::check_file_read(&path).map_err(|e| e.to_string())?;
        let (review, error) = if path.exists() {
            match review::load_review(&path) {
                Ok(r) => (r, None),
                Err(e) => return Err(format!("{e}; the review file is left untouched")),
            }
        } else {
            (ReviewFile::new(a.reference(), editor), None)
        };
        let alignment = review::align_article(project, article, false);
        let error = error.or_else(|| {
            (!alignment.failed.is_empty()).then(|| {
                let v: Vec<String> = alignment.failed.iter().map(ToString::to_string).collect();
                v.join("\n")
            })
        });
        Ok(Self {
            alignment,
            review,
            path,
            dirty: false,
            error,
        })
    }

    /// Gives (or, with `None`, takes back) a verdict on `annotator`'s claim `claim`.
    pub fn set_verdict(
        &mut self,
        annotator: &str,
        claim: &str,
        verdict: Option<Verdict>,
        comment: &str,
    ) {
        match verdict {
            Some(v) => self.review.set_verdict(annotator, claim, v, comment, now()),
            None => {
                self.review.clear_verdict(annotator, claim);
            }
        }
        self.dirty = true;
    }

    /// Saves the review file (atomically) if there is something to save.
    pub fn save(&mut self) -> bool {
        if !self.dirty {
            return true;
        }
        if let Err(e) = crate::core::project::walk::prepare_file_write(&self.path) {
            self.error = Some(format!("could not save {}: {e}", self.path.display()));
            return false;
        }
        match review::save_review(&self.path, &self.review) {
            Ok(()) => {
                self.dirty = false;
                self.error = None;
                true
            }
            Err(e) => {
                self.error = Some(format!(
                    "could not save {}: {e}; your verdicts are kept here",
                    self.path.display()
                ));
                false
            }
        }
    }
}
