//! `stance sync`: share one's work without knowing git.
//!
//! 1. Commit the user's own files (message naming the user and the articles).
//! 2. Fetch, and merge what others pushed, with the claim-aware merge driver: a field both
//!    sides changed keeps ours and is marked in the claim's note (`<<merge conflict>>`), so
//!    the file still loads; such a merge is completed and the conflicts are reported.
//! 3. Push.
//!
//! **Own files.** Everyone's own are `annotations/<article>/<name>.ron` and their
//! `questions.<name>.ron` and `review.<name>.ron`. An editor (named in `project.ron`, or
//! anyone while there is no plan yet) also owns the project's files: `project.ron`,
//! `codebook.ron`, `seeds/`, every `gold.ron`, `.gitattributes` and `.gitignore`. Other
//! people's changed files are left uncommitted and listed.
//!
//! **Nothing is lost.** Without a remote, or offline, the commit stays local and the report
//! says so. A merge that cannot be completed by the claim-aware driver (a conflict in a file
//! that is not an annotation file, or local changes git would overwrite) is undone with
//! `git merge --abort`: the user's commit stays, and the report says what to ask for.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use super::git::{Git, GitError};
use super::init::{self, Action};
use super::plan;
use crate::core::compare::diff::load_lenient;
use crate::core::model::names;
use crate::core::project::{CODEBOOK_FILE, layout};
use crate::core::storage::merge::{MergeConflict, conflicts_in};

/// How far a sync got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncState {
    /// Committed, merged and pushed: everyone can see it.
    Synced,
    /// The repository has no remote: the work is committed here only.
    NoRemote,
    /// The remote could not be reached (git's message): the work is committed here only.
    Offline(String),
    /// Others' changes could not be merged automatically (why); the merge was undone and the
    /// user's commit stays.
    MergeStopped(String),
    /// Pushing failed (git's message); the merge is kept here.
    PushFailed(String),
}

impl SyncState {
    /// Whether the work reached the remote.
    pub fn is_synced(&self) -> bool {
        matches!(self, Self::Synced)
    }
}

/// What a sync did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncReport {
    /// Driver configuration made on the way (a fresh clone has none).
    pub setup: Vec<Action>,
    /// The user's files committed (paths relative to the project).
    pub committed: Vec<String>,
    /// Changed files of other people left alone.
    pub left_alone: Vec<String>,
    /// Files that others changed and that came in.
    pub received: Vec<String>,
    /// Merge conflicts marked in annotation files: `(path, conflicts)`.
    pub conflicts: Vec<(String, Vec<MergeConflict>)>,
    /// The remote used, if any.
    pub remote: Option<String>,
    /// How far it got.
    pub outcome: SyncState,
}

/// Why a sync could not start.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Not inside a git repository.
    #[error("{0} is not in a git repository; run `stance init` there first")]
    NotARepository(String),
    /// A git command failed where it should not.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The user's name cannot be an annotator's.
    #[error("`{0}` cannot be a coder's name: {1}")]
    BadName(String, names::NameError),
    /// Something else stops it (a detached HEAD, an unfinished merge).
    #[error("{0}")]
    Blocked(String),
}

/// Whether `path` (relative to the project, `/`-separated) is one of `user`'s own files.
pub fn is_own(path: &str, user: &str, editor: bool) -> bool {
    match layout::place(path) {
        layout::Place::InArticleFolder { file, .. } => match file {
            Some(layout::FileName::Annotation(stem)) => {
                stem == user || (editor && stem == layout::GOLD)
            }
            Some(layout::FileName::Side { name, .. }) => name == user,
            None => false,
        },
        layout::Place::Articles => editor,
        layout::Place::Top(file) => {
            editor
                && [
                    plan::PLAN_FILE,
                    CODEBOOK_FILE,
                    ".gitattributes",
                    ".gitignore",
                ]
                .contains(&file)
        }
        layout::Place::Other => false,
    }
}

/// Commits `user`'s own files in the project in `root`, merges what others pushed and
/// pushes. `exe` is the `stance` binary the merge driver runs (configured if it is not yet).
pub fn sync(root: &Path, user: &str, exe: &Path) -> Result<SyncReport, SyncError> {
    names::validate_name(user).map_err(|e| SyncError::BadName(plan::shown(user), e))?;
    let git = Git::new(root);
    let Some(_top) = git.toplevel()? else {
        return Err(SyncError::NotARepository(root.display().to_string()));
    };
    if git.run(&["rev-parse", "-q", "--verify", "MERGE_HEAD"])?.ok {
        return Err(SyncError::Blocked(
            "a merge is unfinished in this repository (not one stance started); finish it with git, or ask someone who knows git".into(),
        ));
    }
    let setup: Vec<Action> = init::configure_drivers(&git, exe)?
        .into_iter()
        .filter(Action::changed)
        .collect();
    let Some(branch) = current_branch(&git)? else {
        return Err(SyncError::Blocked(
            "the repository is not on a branch (detached HEAD); ask someone who knows git".into(),
        ));
    };
    // A plan that does not load does not stop a coder from sharing their work: then nobody
    // is an editor but the people it would name are still coders.
    let editor = match plan::load(root) {
        Ok(Some(p)) => p.is_editor(user),
        Ok(None) => true,
        Err(_) => false,
    };

    let mut report = SyncReport {
        setup,
        committed: Vec::new(),
        left_alone: Vec::new(),
        received: Vec::new(),
        conflicts: Vec::new(),
        remote: None,
        outcome: SyncState::Synced,
    };
    commit_own(&git, user, editor, &mut report)?;

    let remotes = git.ok(&["remote"])?;
    let upstream_remote = git
        .run(&["config", "--get", &format!("branch.{branch}.remote")])?
        .stdout
        .trim()
        .to_owned();
    let remote = if !upstream_remote.is_empty() && upstream_remote != "." {
        upstream_remote
    } else if remotes.lines().any(|r| r == "origin") {
        "origin".to_owned()
    } else if let Some(first) = remotes.lines().next() {
        first.to_owned()
    } else {
        report.outcome = SyncState::NoRemote;
        return Ok(report);
    };
    report.remote = Some(remote.clone());

    // Someone may push between our merge and our push: then fetch and merge again.
    for _ in 0..3 {
        let fetch = git.run(&["fetch", "-q", &remote])?;
        if !fetch.ok {
            report.outcome = SyncState::Offline(fetch.message());
            return Ok(report);
        }
        let tracking = format!("refs/remotes/{remote}/{branch}");
        let remote_has_branch = git.run(&["rev-parse", "-q", "--verify", &tracking])?.ok;
        if remote_has_branch
            && let Some(stop) = merge_remote(&git, root, user, &tracking, &mut report)?
        {
            report.outcome = stop;
            return Ok(report);
        }
        let has_commit = git.run(&["rev-parse", "-q", "--verify", "HEAD"])?.ok;
        if !has_commit {
            // Nothing of ours and nothing on the remote: nothing to push.
            report.outcome = SyncState::Synced;
            return Ok(report);
        }
        let push = git.run(&[
            "push",
            "-q",
            "-u",
            &remote,
            &format!("HEAD:refs/heads/{branch}"),
        ])?;
        if push.ok {
            report.outcome = SyncState::Synced;
            return Ok(report);
        }
        report.outcome = SyncState::PushFailed(push.message());
        // Rejected because the remote moved on? Then go round again; else give up.
        let refetch = git.run(&["fetch", "-q", &remote])?;
        let behind = refetch.ok
            && git.run(&["rev-parse", "-q", "--verify", &tracking])?.ok
            && !git
                .run(&["merge-base", "--is-ancestor", &tracking, "HEAD"])?
                .ok;
        if !behind {
            return Ok(report);
        }
    }
    Ok(report)
}

/// The current branch, `None` on a detached HEAD (an unborn branch has a name too).
fn current_branch(git: &Git) -> Result<Option<String>, GitError> {
    let out = git.run(&["symbolic-ref", "-q", "--short", "HEAD"])?;
    Ok(out.ok.then(|| out.stdout.trim().to_owned()))
}

/// Stages and commits the user's own changed files; lists others' changed files.
fn commit_own(
    git: &Git,
    user: &str,
    editor: bool,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    // Paths relative to the project, whatever folder of the repository it is.
    let status = git.ok(&[
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        ".",
    ])?;
    let prefix = git.ok(&["rev-parse", "--show-prefix"])?.trim().to_owned();
    let mut own = BTreeSet::new();
    let mut others = BTreeSet::new();
    let mut entries = status.split('\0').filter(|e| !e.is_empty());
    while let Some(entry) = entries.next() {
        let (code, path) = entry.split_at(entry.len().min(3));
        if code.starts_with('R') || code.starts_with('C') {
            // A rename's second field is its old path, which is part of the same change.
            entries.next();
        }
        let rel = path
            .strip_prefix(prefix.as_str())
            .unwrap_or(path)
            .to_owned();
        if is_own(&rel, user, editor) {
            own.insert(rel);
        } else {
            others.insert(rel);
        }
    }
    report.left_alone = others.into_iter().collect();
    if own.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = own.into_iter().collect();
    let mut input = Vec::new();
    for p in &list {
        input.extend_from_slice(p.as_bytes());
        input.push(0);
    }
    let add = git.run_with_input(
        &["add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul"],
        &input,
    )?;
    if !add.ok {
        return Err(GitError::Failed {
            command: "add".into(),
            message: add.message(),
        }
        .into());
    }
    let message = commit_message(user, &list);
    let mut args: Vec<String> = identity(git, user)?;
    args.extend(
        [
            "commit",
            "-q",
            "-m",
            &message,
            "--pathspec-from-file=-",
            "--pathspec-file-nul",
        ]
        .map(String::from),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let commit = git.run_with_input(&args, &input)?;
    if !commit.ok {
        return Err(GitError::Failed {
            command: "commit".into(),
            message: commit.message(),
        }
        .into());
    }
    report.committed = list;
    Ok(())
}

/// `-c user.name=… -c user.email=…` when the repository has no identity to commit with
/// (a coder who never set git up): commits then carry the coder's name.
fn identity(git: &Git, user: &str) -> Result<Vec<String>, GitError> {
    let name = git.run(&["config", "user.name"])?;
    let email = git.run(&["config", "user.email"])?;
    let mut out = Vec::new();
    if !name.ok || name.stdout.trim().is_empty() {
        out.extend(["-c".to_owned(), format!("user.name={user}")]);
    }
    if !email.ok || email.stdout.trim().is_empty() {
        let local: String = user
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '.' })
            .collect();
        out.extend([
            "-c".to_owned(),
            format!("user.email={local}@stance.invalid"),
        ]);
    }
    Ok(out)
}

/// "stance sync: amira: 001_…, 003_…" (at most five articles named in the subject), then
/// every file.
pub fn commit_message(user: &str, paths: &[String]) -> String {
    let articles: BTreeSet<&str> = paths
        .iter()
        .filter_map(|p| layout::in_annotations(p)?.split('/').next())
        .collect();
    let project_files = paths.iter().any(|p| layout::in_annotations(p).is_none());
    let mut what: Vec<String> = articles.iter().take(5).map(|s| (*s).to_owned()).collect();
    if articles.len() > 5 {
        what.push(format!("and {} more", articles.len() - 5));
    }
    if project_files {
        what.push("project files".into());
    }
    let mut m = format!("stance sync: {user}: {}\n\n", what.join(", "));
    for p in paths {
        m.push_str(p);
        m.push('\n');
    }
    m
}

/// Merges `tracking` into HEAD. `None` when merged (conflicts marked, reported and
/// committed); `Some(outcome)` when it had to stop (the merge undone).
fn merge_remote(
    git: &Git,
    root: &Path,
    user: &str,
    tracking: &str,
    report: &mut SyncReport,
) -> Result<Option<SyncState>, SyncError> {
    let before = git.run(&["rev-parse", "-q", "--verify", "HEAD"])?;
    let before = before.ok.then(|| before.stdout.trim().to_owned());
    if before.is_some()
        && git
            .run(&["merge-base", "--is-ancestor", tracking, "HEAD"])?
            .ok
    {
        return Ok(None); // nothing new
    }
    let mut args = identity(git, user)?;
    args.extend(["merge", "--no-edit", "-q", tracking].map(String::from));
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let merge = git.run(&args_ref)?;
    if !merge.ok {
        let unmerged = git.ok(&["diff", "--name-only", "-z", "--diff-filter=U", "--", "."])?;
        let unmerged: Vec<&str> = unmerged.split('\0').filter(|p| !p.is_empty()).collect();
        if unmerged.is_empty() {
            // Git refused to start (local changes in the way): nothing changed.
            return Ok(Some(SyncState::MergeStopped(merge.message())));
        }
        let prefix = git.ok(&["rev-parse", "--show-prefix"])?.trim().to_owned();
        let mut marked = Vec::new();
        for path in &unmerged {
            let rel = path.strip_prefix(prefix.as_str()).unwrap_or(path);
            let is_ron = Path::new(rel)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
            let loaded = is_ron.then(|| load_lenient(&root.join(rel)).ok()).flatten();
            let Some(file) = loaded else {
                let _ = git.run(&["merge", "--abort"]);
                return Ok(Some(SyncState::MergeStopped(format!(
                    "{rel} changed on both sides and cannot be merged claim by claim; the merge was undone and your work is committed here. Ask your editor to merge it"
                ))));
            };
            marked.push((rel.to_owned(), conflicts_in(&file)));
        }
        for (rel, _) in &marked {
            git.ok(&["add", "--", rel])?;
        }
        let files: Vec<&str> = marked.iter().map(|(p, _)| p.as_str()).collect();
        let message = format!(
            "stance sync: {user}: merged {tracking} with conflicts marked in the claims' notes\n\n{}\n",
            files.join("\n")
        );
        let mut args = identity(git, user)?;
        args.extend(["commit", "-q", "--no-edit", "-m", &message].map(String::from));
        let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
        git.ok(&args_ref)?;
        report
            .conflicts
            .extend(marked.into_iter().filter(|(_, c)| !c.is_empty()));
    }
    let changed = match &before {
        Some(b) => git.ok(&["diff", "--name-only", "-z", b.as_str(), "HEAD", "--", "."])?,
        None => git.ok(&["ls-tree", "-r", "-z", "--name-only", "HEAD", "--", "."])?,
    };
    let prefix = git.ok(&["rev-parse", "--show-prefix"])?.trim().to_owned();
    report.received = changed
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(|p| p.strip_prefix(prefix.as_str()).unwrap_or(p).to_owned())
        .collect();
    Ok(None)
}

impl fmt::Display for SyncState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Synced => f.write_str("synced"),
            Self::NoRemote => f.write_str(
                "no remote: your commits stay in this folder only. To share them, ask your editor for the project's address and run `git remote add origin ADDRESS`, then `stance sync` again",
            ),
            Self::Offline(m) => write!(
                f,
                "could not reach the remote, so your commits stay here only; run `stance sync` again when you are online (git said: {m})"
            ),
            Self::MergeStopped(m) => write!(f, "did not merge others' work: {m}"),
            Self::PushFailed(m) => write!(
                f,
                "merged here but could not push, so others do not see your work yet; run `stance sync` again (git said: {m})"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_files_of_a_coder_and_an_editor() {
        assert!(is_own("annotations/a1/amira.ron", "amira", false));
        assert!(is_own("annotations/a1/questions.amira.ron", "amira", false));
        assert!(is_own("annotations/a1/review.amira.ron", "amira", false));
        assert!(!is_own("annotations/a1/jonas.ron", "amira", false));
        assert!(!is_own("annotations/a1/amira.ron.lock", "amira", false));
        assert!(!is_own("annotations/a1/.amira.ron.journal", "amira", false));
        assert!(!is_own("annotations/a1/gold.ron", "amira", false));
        assert!(!is_own("project.ron", "amira", false));
        assert!(!is_own("seeds/a1.txt", "amira", false));
        assert!(is_own("annotations/a1/gold.ron", "ed", true));
        assert!(is_own("project.ron", "ed", true));
        assert!(is_own("codebook.ron", "ed", true));
        assert!(is_own("seeds/a1.txt", "ed", true));
        assert!(is_own(".gitignore", "ed", true));
        assert!(!is_own("notes.txt", "ed", true));
        assert!(!is_own("annotations/a1/jonas.ron", "ed", true));
    }

    #[test]
    fn commit_message_names_user_and_articles() {
        let paths: Vec<String> = (0..7)
            .map(|i| format!("annotations/a{i}/amira.ron"))
            .chain(["project.ron".to_owned()])
            .collect();
        let m = commit_message("amira", &paths);
        let subject = m.lines().next().unwrap_or_default();
        assert_eq!(
            subject,
            "stance sync: amira: a0, a1, a2, a3, a4, and 2 more, project files"
        );
        assert!(m.contains("annotations/a6/amira.ron\n"));
    }
}
