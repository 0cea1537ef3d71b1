//! A coding session: one annotator coding the articles of a project, one annotation file at a
//! time. [`Session`] holds the open project, the article and annotation file being coded, the
//! cursor and selection, find and filter; read-only accessors for the window here, and every
//! change through [`Session::handle`] ([`handle`]).
//!
//! - [`command`]: what a coder can do ([`CodeCommand`]).
//! - [`handle`]: the one place a command changes the session; moving around.
//! - [`edit`]: planning, applying, undoing edits, and the one `commit` of a change.
//! - [`save`]: autosave, Ctrl+S, and the save that is written on another thread.
//! - [`document`]: the annotation file open for editing and how it reaches the disk safely.
//! - [`recovery`] and [`safety`]: the lock, the journal of unsaved edits, re-anchoring.
//! - [`watch`]: noticing outside changes to the file.
//! - [`index`]: per-sentence lookups the window asks for every frame, and the claim filter.
//! - [`undo`]: undo and redo as reversible changes.

pub mod command;
pub mod document;
pub mod edit;
pub mod handle;
pub mod index;
pub mod recovery;
pub mod safety;
pub mod save;
pub mod timing;
pub mod undo;
pub mod watch;

#[cfg(test)]
mod safety_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::core::model::annotation::{Claim, SpeakerRef, Status};
use crate::core::model::codebook::Codebook;
use crate::core::model::coding_time::{Accrual, FocusClock};
use crate::core::model::names::{self, NameError};
use crate::core::project::Project;
use crate::core::storage::store::{self, LoadError};
use crate::core::suggest::{Suggester, Suggestion};
use crate::core::text::corpus::Article;
use std::sync::Arc;

pub use command::CodeCommand;
use document::Document;
pub use index::ClaimFilter;
use index::{IndexInputs, SentenceIndex};
use safety::FileSafeguards;
use undo::UndoStack;

use crate::session::jobs::Progress;

/// What the article list shows for one article and the current annotator.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleSummary {
    /// Number of claims in the annotator's file.
    pub claims: usize,
    /// `None` when the annotator has no file yet.
    pub status: Option<Status>,
    /// Why the file could not be read, if it could not.
    pub error: Option<String>,
}

/// Find-in-article state.
#[derive(Clone, Debug, Default)]
pub struct Find {
    /// What is being looked for (case-insensitive, literal).
    pub query: String,
    /// Byte ranges of every match, in text order.
    pub matches: Vec<Range<usize>>,
    /// Index into `matches` of the current one.
    pub current: Option<usize>,
}

/// A message for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub is_error: bool,
}

/// An editing session over one project for one annotator.
#[derive(Debug)]
pub struct Session {
    pub(super) project: Arc<Project>,
    pub(super) load_problems: Vec<String>,
    pub(super) annotator: String,
    pub(super) article: usize,
    pub(super) doc: Document,
    pub(super) cursor: u32,
    pub(super) selected: Option<String>,
    pub(super) active_target: usize,
    pub(super) undo: UndoStack,
    pub(super) last_edit: Option<Instant>,
    pub(super) notice: Option<Notice>,
    pub(super) summaries: Vec<ArticleSummary>,
    pub(super) find: Find,
    pub(super) filter: ClaimFilter,
    pub(super) conflict: bool,
    pub(super) reveal: (u64, u32),
    pub(super) suggestions_on: bool,
    pub(super) suggestions: Vec<Suggestion>,
    /// Built once per session: compiling the codebook's terms and cue patterns takes
    /// ~11 ms, five times what suggesting for one article takes, and the codebook does
    /// not change while the project is open.
    pub(super) suggester: Suggester,
    pub(super) dismissed: BTreeSet<(u32, u32)>,
    /// Lock, journal and re-anchoring state (see [`recovery`]).
    pub(super) guards: FileSafeguards,
    /// Claims and suggestions by sentence; rebuilt by [`Session::reindex`] after changes.
    pub(super) index: SentenceIndex,
    /// The speaker the coder set last, offered first for the next claim.
    pub(super) last_speaker: Option<SpeakerRef>,
    /// The notice is an edit refused for want of something ("make or select a claim
    /// first"): it goes once a claim is selected or an edit succeeds.
    pub(super) refusal: bool,
    /// A save began ([`Session::begin_save`]) and has not finished: the content generation it
    /// copied.
    pub(super) saving: Option<u64>,
    /// The content generation a save last failed on (see [`Session::can_save`]).
    pub(super) failed_save: Option<u64>,
    /// Credits focused coding time from the gaps between the coder's actions.
    pub(super) focus: FocusClock,
    /// Focused time on this article not yet in its file (see [`timing`]).
    pub(super) accrual: Accrual,
}

/// Why a session could not start.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The project could not be opened.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The annotator name cannot name a file.
    #[error("annotator name: {0}")]
    Name(#[from] NameError),
    /// The project has no articles.
    #[error("{0} has no articles: put UTF-8 .txt files in its seeds/ folder")]
    Empty(String),
}

impl Session {
    /// Opens the project at `root` for `annotator`, on its first article.
    pub fn open(root: &Path, annotator: &str) -> Result<Self, OpenError> {
        Self::open_watched(root, annotator, &Progress::default())
    }

    /// [`Self::open`], reporting each article read to `progress` (one step more for the
    /// article list's statuses), for a window opening a big project on another thread.
    pub fn open_watched(
        root: &Path,
        annotator: &str,
        progress: &Progress,
    ) -> Result<Self, OpenError> {
        let (project, problems) = Project::open_watched(root, &|n, total| {
            progress.set_total(total + 1);
            progress.advance(n);
        })?;
        // Temp files of saves killed in any earlier run (of any command) go first.
        crate::core::project::walk::sweep_stale_temps(&project.root);
        Self::with_project(
            project,
            problems.iter().map(ToString::to_string).collect(),
            annotator,
        )
    }

    /// Starts a session on an already opened project.
    pub fn with_project(
        project: Project,
        load_problems: Vec<String>,
        annotator: &str,
    ) -> Result<Self, OpenError> {
        names::validate_person(annotator)?;
        let Some(first) = project.articles.first() else {
            return Err(OpenError::Empty(project.root.display().to_string()));
        };
        let path = project.annotation_path(&first.id, annotator)?;
        let doc = Document::open(path, first, &project.codebook, annotator);
        let mut s = Self {
            load_problems,
            annotator: annotator.to_owned(),
            article: 0,
            doc,
            cursor: 0,
            selected: None,
            active_target: 0,
            undo: UndoStack::default(),
            last_edit: None,
            notice: None,
            summaries: Vec::new(),
            find: Find::default(),
            filter: ClaimFilter::default(),
            conflict: false,
            reveal: (0, 0),
            suggestions_on: true,
            suggestions: Vec::new(),
            suggester: Suggester::new(&project.codebook),
            dismissed: BTreeSet::new(),
            guards: FileSafeguards::default(),
            index: SentenceIndex::default(),
            last_speaker: None,
            refusal: false,
            saving: None,
            failed_save: None,
            focus: FocusClock::default(),
            accrual: Accrual::default(),
            project: Arc::new(project),
        };
        s.refresh_summaries();
        s.after_open();
        Ok(s)
    }

    /// The project.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The project, shared: work on another thread (agreement, the corpus overview) reads it
    /// without a copy.
    pub fn shared_project(&self) -> Arc<Project> {
        Arc::clone(&self.project)
    }

    /// The codebook in use.
    pub fn codebook(&self) -> &Codebook {
        &self.project.codebook
    }

    /// Problems met while opening the project (unreadable articles).
    pub fn load_problems(&self) -> &[String] {
        &self.load_problems
    }

    /// Who is coding.
    pub fn annotator(&self) -> &str {
        &self.annotator
    }

    /// Index of the open article.
    pub fn article_index(&self) -> usize {
        self.article
    }

    /// The open article.
    pub fn article(&self) -> &Article {
        &self.project.articles[self.article]
    }

    /// The open annotation document.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The current sentence.
    pub fn cursor(&self) -> u32 {
        self.cursor
    }

    /// The selected claim.
    pub fn selected_claim(&self) -> Option<&Claim> {
        self.selected
            .as_deref()
            .and_then(|id| self.doc.file.claim(id))
    }

    /// The target that stance keys apply to.
    pub fn active_target(&self) -> usize {
        self.active_target
    }

    /// The claims that cover sentence `i`, from the index (no scan over all claims). Orphans
    /// of a changed article text are left out: their sentence numbers refer to the old text
    /// (they are listed apart, see [`Session::orphans`]).
    pub fn claims_at(&self, i: u32) -> impl Iterator<Item = &Claim> {
        let in_step = self.doc.file.article.fingerprint == self.article().fingerprint;
        self.index
            .claims_at(i)
            .iter()
            .filter(move |&&k| in_step || !self.index.is_orphan(k))
            .filter_map(|&k| self.doc.file.claims.get(k as usize))
    }

    /// Claims passing the filter, in text order.
    pub fn visible_claims(&self) -> impl Iterator<Item = &Claim> {
        self.index
            .visible()
            .iter()
            .filter_map(|&k| self.doc.file.claims.get(k as usize))
    }

    /// Whether the `n`th claim passing the filter is an orphan of a changed article text
    /// (its sentence numbers refer to the old text, so the list must not show them).
    pub fn visible_is_orphan(&self, n: usize) -> bool {
        self.index
            .visible()
            .get(n)
            .is_some_and(|&k| self.index.is_orphan(k))
    }

    /// How many claims pass the filter.
    pub fn visible_count(&self) -> usize {
        self.index.visible().len()
    }

    /// The `n`th claim passing the filter, so a virtualised list can fetch only its rows.
    pub fn visible_claim(&self, n: usize) -> Option<&Claim> {
        let k = *self.index.visible().get(n)?;
        self.doc.file.claims.get(k as usize)
    }

    /// Speakers of the file's claims, sorted, each once (for the claim list's filter).
    pub fn claim_speakers(&self) -> &[SpeakerRef] {
        self.index.speakers()
    }

    /// The claim filter.
    pub fn filter(&self) -> &ClaimFilter {
        &self.filter
    }

    /// Find state.
    pub fn find(&self) -> &Find {
        &self.find
    }

    /// One summary per article, in article order.
    pub fn summaries(&self) -> &[ArticleSummary] {
        &self.summaries
    }

    /// Articles marked done by this annotator.
    pub fn done_count(&self) -> usize {
        self.summaries
            .iter()
            .filter(|s| s.status == Some(Status::Done))
            .count()
    }

    /// The latest status-bar message.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The file changed on disk and a save was refused: the window should ask the coder.
    pub fn has_conflict(&self) -> bool {
        self.conflict
    }

    /// A request to scroll the text to a sentence: `(generation, sentence)`. The window
    /// scrolls when the generation differs from the last one it handled.
    pub fn reveal_request(&self) -> (u64, u32) {
        self.reveal
    }

    /// Undo label for the Edit menu.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.undo_label()
    }

    /// Redo label for the Edit menu.
    pub fn redo_label(&self) -> Option<&str> {
        self.undo.redo_label()
    }

    /// Whether suggestions are shown (some teams code unaided).
    pub fn suggestions_on(&self) -> bool {
        self.suggestions_on
    }

    /// Suggested claims not yet taken, dismissed or overlapping a claim, in text order.
    pub fn open_suggestions(&self) -> impl Iterator<Item = &Suggestion> {
        self.index
            .open_suggestions()
            .iter()
            .filter_map(|&k| self.suggestions.get(k as usize))
    }

    /// The open suggestion covering sentence `i`.
    pub fn suggestion_at(&self, i: u32) -> Option<&Suggestion> {
        let k = self.index.suggestion_at(i)?;
        self.suggestions.get(k as usize)
    }

    /// Rebuilds the per-sentence index; called after every command that can change claims,
    /// suggestions or the filter, so reads between commands never scan all claims.
    pub(super) fn reindex(&mut self) {
        let dismissed = |a: u32, b: u32| self.dismissed.contains(&(a, b));
        let article = &self.project.articles[self.article];
        let src = IndexInputs {
            sentences: article.sentences.len(),
            text: &article.text,
            claims: &self.doc.file.claims,
            suggestions: &self.suggestions,
            suggestions_on: self.suggestions_on,
            dismissed: &dismissed,
            filter: &self.filter,
        };
        let mut index = std::mem::take(&mut self.index);
        index.rebuild(&src);
        self.index = index;
    }

    /// Display name of a speaker reference.
    pub fn speaker_name<'a>(&'a self, s: &'a SpeakerRef) -> &'a str {
        match s {
            SpeakerRef::Registry(id) => self
                .codebook()
                .speaker(id)
                .map_or(id.as_str(), |sp| sp.name.as_str()),
            SpeakerRef::New(name) => name,
        }
    }

    /// Speakers to offer first for the selected claim, best first, each once: the speaker
    /// the suggestions found for its sentences (when suggestions are on), the speaker set
    /// last (else that of the claim before it), and the article's author. Empty without a
    /// selected claim.
    pub fn suggested_speakers(&self) -> Vec<SpeakerRef> {
        let Some(claim) = self.selected_claim() else {
            return Vec::new();
        };
        let (first, last) = (claim.anchor.first, claim.anchor.last);
        let suggested = self
            .suggestions_on
            .then(|| {
                self.suggestions
                    .iter()
                    .find(|s| s.first <= last && first <= s.last)
                    .and_then(|s| s.speaker.clone())
            })
            .flatten();
        let previous = self.last_speaker.clone().or_else(|| {
            self.doc
                .file
                .claims
                .iter()
                .filter(|c| c.anchor.start < claim.anchor.start)
                .filter_map(|c| c.speaker.clone())
                .next_back()
        });
        let author = self
            .author_speaker()
            .map(|id| SpeakerRef::Registry(id.to_owned()));
        let mut out: Vec<SpeakerRef> = Vec::new();
        for s in [suggested, previous, author].into_iter().flatten() {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// The registry's entry for the article's author (the first speaker of kind `Author`).
    pub(super) fn author_speaker(&self) -> Option<&str> {
        self.codebook()
            .speakers
            .iter()
            .find(|s| s.kind == crate::core::model::codebook::SpeakerKind::Author)
            .map(|s| s.id.as_str())
    }

    pub(super) fn set_notice(&mut self, text: impl Into<String>, is_error: bool) {
        self.refusal = false;
        self.notice = Some(Notice {
            text: text.into(),
            is_error,
        });
    }

    pub(super) fn request_reveal(&mut self, sentence: u32) {
        self.reveal = (self.reveal.0 + 1, sentence);
    }

    /// Re-reads every article's summary for the current annotator.
    pub(super) fn refresh_summaries(&mut self) {
        let cb = &self.project.codebook;
        // The project walker's listing, so a file behind a link out of the project is not read
        // for the article list either.
        let walk = crate::core::project::walk::annotations(&self.project.root);
        // One file per article to read: in parallel, the list of 2,000 opens in well under a
        // second on two cores.
        self.summaries = self
            .project
            .articles
            .par_iter()
            .map(|a| {
                let Some((_, path)) = walk.folder(&a.id).and_then(|f| {
                    f.annotators
                        .iter()
                        .find(|(name, _)| *name == self.annotator)
                }) else {
                    return ArticleSummary::default();
                };
                match store::load_annotation(path, cb) {
                    Ok(f) => ArticleSummary {
                        claims: f.claims.len(),
                        status: Some(f.status),
                        error: None,
                    },
                    Err(e) => ArticleSummary {
                        error: Some(e.to_string()),
                        ..ArticleSummary::default()
                    },
                }
            })
            .collect();
    }

    /// Keeps the open article's summary in step with the document.
    pub(super) fn update_summary(&mut self) {
        if let Some(s) = self.summaries.get_mut(self.article) {
            s.claims = self.doc.file.claims.len();
            if self.doc.dirty || s.status.is_some() {
                s.status = Some(self.doc.file.status);
            }
        }
    }

    /// Puts the cursor on the first codable sentence of a freshly opened document.
    pub(super) fn after_open(&mut self) {
        self.undo.clear();
        self.selected = None;
        self.conflict = false;
        self.cursor = self.next_codable(0, 1).unwrap_or(0);
        self.secure_document();
        self.reanchor_notice();
        if let Some(msg) = &self.doc.read_only {
            let msg = msg.clone();
            self.set_notice(msg, true);
        }
        self.recompute_find();
        self.request_reveal(self.cursor);
        // Suggestions are cheap with the suggester built (rules over one article: ~2 ms for
        // a long one) and recomputed per article.
        self.suggestions = self.suggester.suggest(self.article());
        self.dismissed.clear();
        self.reindex();
    }

    /// The first sentence from `from` (inclusive) in direction `dir` that is not boilerplate.
    pub(super) fn next_codable(&self, from: u32, dir: i32) -> Option<u32> {
        let sentences = &self.article().sentences;
        let mut i = Some(from);
        while let Some(at) = i.filter(|&at| (at as usize) < sentences.len()) {
            if sentences[at as usize].skip.is_none() {
                return Some(at);
            }
            i = if dir >= 0 {
                at.checked_add(1)
            } else {
                at.checked_sub(1)
            };
        }
        None
    }

    pub(super) fn recompute_find(&mut self) {
        let q = self.find.query.trim();
        self.find.matches = if q.is_empty() {
            Vec::new()
        } else {
            match regex::RegexBuilder::new(&regex::escape(q))
                .case_insensitive(true)
                .build()
            {
                Ok(re) => re
                    .find_iter(&self.article().text)
                    .map(|m| m.range())
                    .collect(),
                Err(_) => Vec::new(),
            }
        };
        self.find.current = None;
    }
}
