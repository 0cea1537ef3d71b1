//! The project seen whole, for the editor: a row per article and annotator (corpus
//! overview), the `stance check` findings with where each one leads, the files holding merge
//! conflicts, and what a dropped file or folder opens. No egui: the window draws these.

use std::path::{Path, PathBuf};

use crate::core::check::{self, Finding};
use crate::core::compare::review;
use crate::core::model::annotation::Status;
use crate::core::project::{ANNOTATIONS_DIR, ARTICLES_DIR, Project};
use crate::core::storage::merge::{self, MergeConflict};
use crate::core::storage::store;

/// One annotation file in the corpus overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverviewRow {
    /// The article id.
    pub article: String,
    /// The annotator (the file name), `gold` included.
    pub annotator: String,
    /// How many claims, when the file loads.
    pub claims: Option<usize>,
    /// `done`, `in progress`, or `does not load`.
    pub status: String,
    /// The file's own `modified` time (the last edit recorded in it, which a git checkout
    /// does not change, unlike the file system's time), as `2024-05-02 10:00 UTC`.
    pub modified: String,
    /// Merge conflicts left in the file.
    pub conflicts: Vec<MergeConflict>,
    /// Why the file does not load.
    pub error: Option<String>,
    /// The file.
    pub path: PathBuf,
}

/// Every annotation file of every article, article by article, annotators sorted.
pub fn overview(project: &Project) -> Vec<OverviewRow> {
    let mut rows = Vec::new();
    for article in &project.articles {
        for (annotator, path) in project.annotation_files(&article.id) {
            let row = match store::load_annotation(&path, &project.codebook) {
                Ok(f) => OverviewRow {
                    article: article.id.clone(),
                    annotator,
                    claims: Some(f.claims.len()),
                    status: match f.status {
                        Status::Done => "done",
                        Status::InProgress => "in progress",
                    }
                    .to_owned(),
                    modified: f.modified.format("%Y-%m-%d %H:%M UTC").to_string(),
                    conflicts: merge::conflicts_in(&f),
                    error: None,
                    path,
                },
                Err(e) => OverviewRow {
                    article: article.id.clone(),
                    annotator,
                    claims: None,
                    status: "does not load".to_owned(),
                    modified: String::new(),
                    conflicts: Vec::new(),
                    error: Some(e.to_string()),
                    path,
                },
            };
            rows.push(row);
        }
    }
    rows
}

/// Where clicking a finding, a conflict or an overview row leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jump {
    /// The article to open.
    pub article: String,
    /// Whose file it is about (`None`: the article text itself).
    pub annotator: Option<String>,
    /// The claim, when one is named.
    pub claim: Option<String>,
}

impl Jump {
    /// Whether the jump opens the coding view (the file is `me`'s own, or the article
    /// text) rather than review mode (someone else's file, or gold).
    pub fn opens_coding(&self, me: &str) -> bool {
        self.annotator.as_deref().is_none_or(|a| a == me)
    }
}

/// Where a finding points: the article of an annotation file or of an article text, with
/// the claim it names. `None` for project-wide files (the codebook).
pub fn jump_for(root: &Path, finding: &Finding) -> Option<Jump> {
    let rel = finding.path.strip_prefix(root).unwrap_or(&finding.path);
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        [ANNOTATIONS_DIR, article, file] => Some(Jump {
            article: (*article).to_owned(),
            annotator: file.strip_suffix(".ron").map(str::to_owned),
            claim: finding.claim.clone(),
        }),
        [ARTICLES_DIR, file] => Some(Jump {
            article: file.strip_suffix(".txt").unwrap_or(file).to_owned(),
            annotator: None,
            claim: None,
        }),
        _ => None,
    }
}

/// The `stance check` findings of the project, each with where it leads.
pub fn findings(root: &Path) -> Vec<(Finding, Option<Jump>)> {
    check::check_project(root)
        .into_iter()
        .map(|f| {
            let j = jump_for(root, &f);
            (f, j)
        })
        .collect()
}

/// A conflict left by a merge, with where to settle it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictRow {
    /// Where the conflicting claim is: article, annotator, claim id.
    pub jump: Jump,
    /// The conflict.
    pub conflict: MergeConflict,
}

/// Every merge conflict in the project's annotation files.
pub fn conflicts(rows: &[OverviewRow]) -> Vec<ConflictRow> {
    rows.iter()
        .flat_map(|r| {
            r.conflicts.iter().map(|c| ConflictRow {
                jump: Jump {
                    article: r.article.clone(),
                    annotator: Some(r.annotator.clone()),
                    claim: c.claim.clone(),
                },
                conflict: c.clone(),
            })
        })
        .collect()
}

/// What a dropped path opens, or why it cannot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dropped {
    /// Open this project (on this article, when one was named) in review mode.
    Open {
        /// The project folder.
        root: PathBuf,
        /// The article.
        article: Option<String>,
    },
    /// The path cannot be opened, with why.
    Failed {
        /// The dropped path.
        path: PathBuf,
        /// Why.
        error: String,
    },
}

/// Resolves dropped paths, one outcome per path in order: an annotation file is loaded, so a
/// broken one is reported with its error instead of opening.
pub fn resolve_dropped(paths: &[PathBuf]) -> Vec<Dropped> {
    paths.iter().map(|p| resolve_one(p)).collect()
}

fn resolve_one(path: &Path) -> Dropped {
    let failed = |error: String| Dropped::Failed {
        path: path.to_owned(),
        error,
    };
    let target = match review::resolve_target(path) {
        Ok(t) => t,
        Err(e) => return failed(e.to_string()),
    };
    if let Some(file) = &target.file {
        let Some(article) = &target.article else {
            return failed(format!(
                "{}: not in a project's `{ANNOTATIONS_DIR}/<article>/` folder; drop the project folder instead",
                file.display()
            ));
        };
        let codebook = match Project::open(&target.root) {
            Ok((p, _)) => p.codebook,
            Err(e) => return failed(e.to_string()),
        };
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        // Review and question files are not annotation files; they open their article.
        if !stem.contains('.')
            && let Err(e) = store::load_annotation(file, &codebook)
        {
            return failed(e.to_string());
        }
        return Dropped::Open {
            root: target.root,
            article: Some(article.clone()),
        };
    }
    Dropped::Open {
        root: target.root,
        article: target.article,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::storage::store::Pos;

    use crate::session::fixture::review_project as fixture;

    #[test]
    fn overview_counts_claims_per_file() {
        let (_dir, project) = fixture();
        let rows = overview(&project);
        let got: Vec<(&str, Option<usize>, &str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r.annotator.as_str(),
                    r.claims,
                    r.status.as_str(),
                    r.modified.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("ana", Some(4), "done", "2024-05-02 10:00 UTC"),
                ("ben", Some(3), "done", "2024-05-02 10:00 UTC"),
            ]
        );
        assert!(conflicts(&rows).is_empty());
    }

    #[test]
    fn a_conflict_marker_is_listed_with_its_claim() {
        let (dir, project) = fixture();
        let p = dir.path().join("annotations/talks/ben.ron");
        let text = std::fs::read_to_string(&p).unwrap().replacen(
            "note: \"\",",
            "note: \"<<merge conflict>> stance ceasefire: ours=favor theirs=against\",",
            1,
        );
        std::fs::write(&p, text).unwrap();
        let rows = overview(&project);
        let c = conflicts(&rows);
        assert_eq!(c.len(), 1, "{rows:?}");
        assert_eq!(c[0].jump.annotator.as_deref(), Some("ben"));
        assert_eq!(c[0].jump.claim.as_deref(), Some("ben0000001"));
        assert_eq!(c[0].conflict.field, "stance ceasefire");
    }

    #[test]
    fn findings_lead_to_their_article_and_claim() {
        let root = Path::new("/p");
        let f = Finding::error(
            &root.join("annotations/talks/ana.ron"),
            Pos { line: 3, col: 1 },
            "x",
        )
        .for_claim("ana0000002");
        let j = jump_for(root, &f).unwrap();
        assert_eq!(j.article, "talks");
        assert_eq!(j.claim.as_deref(), Some("ana0000002"));
        assert!(j.opens_coding("ana"));
        assert!(!j.opens_coding("ed"));
        let t = Finding::warning(&root.join("seeds/talks.txt"), Pos { line: 1, col: 1 }, "y");
        assert_eq!(jump_for(root, &t).unwrap().annotator, None);
        let c = Finding::error(&root.join("codebook.ron"), Pos { line: 1, col: 1 }, "z");
        assert_eq!(jump_for(root, &c), None);
    }

    #[test]
    fn dropping_a_broken_file_reports_it_and_the_good_one_opens() {
        let (dir, _project) = fixture();
        let bad = dir.path().join("annotations/talks/carl.ron");
        std::fs::write(&bad, "(format: 1, oops").unwrap();
        let good = dir.path().join("annotations/talks/ana.ron");
        let out = resolve_dropped(&[bad.clone(), good, dir.path().join("nothing.ron")]);
        assert!(matches!(&out[0], Dropped::Failed { path, .. } if *path == bad));
        assert!(matches!(
            &out[1],
            Dropped::Open { article: Some(a), .. } if a == "talks"
        ));
        assert!(matches!(&out[2], Dropped::Failed { .. }));
    }
}
