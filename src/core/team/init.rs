//! `stance init [DIR]`: a project folder ready to code and to share through git.
//!
//! It makes `seeds/` (empty, or with the bundled sample articles), `annotations/` and an
//! editable `codebook.ron` (a copy of the default), runs `git init` unless the folder is in a
//! repository already, makes sure `.gitattributes` routes `*.ron` through the claim-aware
//! drivers and `.gitignore` keeps locks, journals and temp files out, and configures the
//! drivers in the repository's own config. Running it again changes nothing. A file that is
//! there is never replaced: missing lines are appended to `.gitattributes` and `.gitignore`,
//! and an existing `codebook.ron` or article is kept. Every step is reported.
//!
//! **Which binary the drivers run.** Git runs the merge driver by a command line stored in
//! `.git/config`, which is not shared by cloning: each clone configures its own (`init` or
//! the first `sync` there). The command names the absolute path of the `stance` that ran
//! `init` (quoted for the shell), so merges work even when `stance` is not on `PATH`, and
//! git never runs some other `stance` it finds there. When that binary moves, the next
//! `init` or `sync` notices the recorded command differs and updates it (and says so).

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use super::git::{Git, GitError, shell_quote};
use crate::core::model::codebook::DEFAULT_CODEBOOK_RON;
use crate::core::project::{layout, sample, walk};
use crate::core::storage::store;

/// Lines `.gitattributes` must hold: annotation files merge and diff by claim.
pub const GITATTRIBUTES_LINES: &[&str] = &["*.ron merge=stance diff=stance"];

/// Lines `.gitignore` must hold: a window's lock, its unsaved-edit journal and a killed
/// save's temp file belong to one machine, never to the shared repository.
pub const GITIGNORE_LINES: &[&str] = &["*.ron.lock", ".*.ron.journal", ".*.tmp"];

/// One thing `init` did or found done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Made a folder or wrote a new file.
    Created(PathBuf),
    /// Left a file or folder as it was, and why.
    Kept(PathBuf, String),
    /// Appended missing lines to an existing file.
    Appended(PathBuf, Vec<String>),
    /// Did not touch a path, and why (a symlink leading out of the project).
    Refused(PathBuf, String),
    /// Ran `git init`.
    GitInit(PathBuf),
    /// The folder is in an existing repository with this top folder.
    InRepository(PathBuf),
    /// Set a repository-local git setting (and what it was before).
    Configured {
        /// The key.
        key: String,
        /// The new value.
        value: String,
        /// The old value, if any.
        before: Option<String>,
    },
    /// A git setting already had the value.
    AlreadyConfigured(String),
}

impl Action {
    /// Whether this step changed something on disk.
    pub fn changed(&self) -> bool {
        matches!(
            self,
            Self::Created(_) | Self::Appended(..) | Self::GitInit(_) | Self::Configured { .. }
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Created(p) => write!(f, "created {}", p.display()),
            Self::Kept(p, why) => write!(f, "kept {} ({why})", p.display()),
            Self::Appended(p, lines) => {
                write!(f, "appended to {}: {}", p.display(), lines.join(", "))
            }
            Self::Refused(p, why) => write!(f, "did not touch {}: {why}", p.display()),
            Self::GitInit(p) => write!(f, "made a git repository in {}", p.display()),
            Self::InRepository(p) => write!(f, "already in the git repository at {}", p.display()),
            Self::Configured { key, value, before } => match before {
                Some(b) => write!(f, "set git {key} = {value} (was {b})"),
                None => write!(f, "set git {key} = {value}"),
            },
            Self::AlreadyConfigured(key) => write!(f, "git {key} already set"),
        }
    }
}

/// What `init` did, and what it could not do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InitReport {
    /// Every step, in order.
    pub actions: Vec<Action>,
    /// Steps that failed (the project works without them but cannot be shared).
    pub problems: Vec<String>,
}

/// Why `init` could not make the project at all.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A file or folder could not be written.
    #[error("cannot write {0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// Makes (or completes) the project in `root`; `sample` copies the bundled articles into
/// `seeds/`; `exe` is the `stance` binary the git drivers will run.
pub fn init(root: &Path, sample: bool, exe: &Path) -> Result<InitReport, InitError> {
    let mut report = InitReport::default();
    let act = &mut report.actions;
    make_dir(root, act)?;
    make_dir(&layout::articles_dir(root), act)?;
    make_dir(&layout::annotations_dir(root), act)?;
    if sample {
        let seeds = layout::articles_dir(root);
        for (name, text) in sample::seed_files() {
            write_new(
                root,
                &seeds.join(name),
                text,
                "an article with that name is there",
                act,
            )?;
        }
    }
    write_new(
        root,
        &layout::codebook_path(root),
        DEFAULT_CODEBOOK_RON,
        "the project's own codebook",
        act,
    )?;

    let git = Git::new(root);
    match git.toplevel() {
        Ok(Some(top)) => {
            let same = fs::canonicalize(&top).ok() == fs::canonicalize(root).ok();
            if !same {
                act.push(Action::InRepository(top));
            }
        }
        Ok(None) => match git.ok(&["init", "-q"]) {
            Ok(_) => act.push(Action::GitInit(root.to_owned())),
            Err(e) => report.problems.push(e.to_string()),
        },
        Err(e) => report.problems.push(e.to_string()),
    }
    ensure_lines(
        root,
        &root.join(".gitattributes"),
        GITATTRIBUTES_LINES,
        &mut report.actions,
    )?;
    ensure_lines(
        root,
        &root.join(".gitignore"),
        GITIGNORE_LINES,
        &mut report.actions,
    )?;
    if report.problems.is_empty() {
        match configure_drivers(&git, exe) {
            Ok(done) => report.actions.extend(done),
            Err(e) => report.problems.push(e.to_string()),
        }
    }
    Ok(report)
}

/// The command git runs to merge a `*.ron` file.
pub fn merge_driver(exe: &Path) -> String {
    format!("{} merge %O %A %B", shell_quote(exe))
}

/// The command git runs to show a `*.ron` file's changes.
pub fn diff_driver(exe: &Path) -> String {
    format!("{} diff --git", shell_quote(exe))
}

/// Sets the claim-aware merge and diff drivers in the repository's own config, unless they
/// are set to exactly that already.
pub fn configure_drivers(git: &Git, exe: &Path) -> Result<Vec<Action>, GitError> {
    let wanted = [
        (
            "merge.stance.name",
            "stance: merge annotation files claim by claim".to_owned(),
        ),
        ("merge.stance.driver", merge_driver(exe)),
        ("diff.stance.command", diff_driver(exe)),
    ];
    let mut out = Vec::new();
    for (key, value) in wanted {
        let before = git.config_get(key)?;
        if before.as_deref() == Some(value.as_str()) {
            out.push(Action::AlreadyConfigured(key.to_owned()));
            continue;
        }
        git.ok(&["config", "--local", key, &value])?;
        out.push(Action::Configured {
            key: key.to_owned(),
            value,
            before,
        });
    }
    Ok(out)
}

fn make_dir(path: &Path, act: &mut Vec<Action>) -> Result<(), InitError> {
    if path.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(path).map_err(|e| InitError::Io(path.to_owned(), e))?;
    act.push(Action::Created(path.to_owned()));
    Ok(())
}

/// Writes `text` to `path` unless something is there already (then it is kept, saying
/// `what` it is).
fn write_new(
    root: &Path,
    path: &Path,
    text: &str,
    what: &str,
    act: &mut Vec<Action>,
) -> Result<(), InitError> {
    if walk::escape(root, path).is_some() {
        act.push(Action::Refused(
            path.to_owned(),
            "it (or its folder) is a symlink leading outside the project".into(),
        ));
        return Ok(());
    }
    if fs::symlink_metadata(path).is_ok() {
        act.push(Action::Kept(path.to_owned(), what.to_owned()));
        return Ok(());
    }
    store::write_atomic(path, text.as_bytes()).map_err(|e| InitError::Io(path.to_owned(), e))?;
    act.push(Action::Created(path.to_owned()));
    Ok(())
}

/// Makes sure `path` holds each of `lines`: creates the file, or appends the missing ones,
/// leaving everything already in it as it was.
fn ensure_lines(
    root: &Path,
    path: &Path,
    lines: &[&str],
    act: &mut Vec<Action>,
) -> Result<(), InitError> {
    if walk::escape(root, path).is_some() {
        act.push(Action::Refused(
            path.to_owned(),
            "it (or its folder) is a symlink leading outside the project".into(),
        ));
        return Ok(());
    }
    let io = |e| InitError::Io(path.to_owned(), e);
    let existing = match fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let have: Vec<&str> = existing
        .as_deref()
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .collect();
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !have.contains(l))
        .collect();
    let Some(mut text) = existing else {
        let mut text = String::from("# Written by `stance init`.\n");
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        store::write_atomic(path, text.as_bytes()).map_err(io)?;
        act.push(Action::Created(path.to_owned()));
        return Ok(());
    };
    if missing.is_empty() {
        act.push(Action::Kept(
            path.to_owned(),
            "it has every line stance needs".into(),
        ));
        return Ok(());
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# Added by `stance init`.\n");
    for l in &missing {
        text.push_str(l);
        text.push('\n');
    }
    store::write_atomic(path, text.as_bytes()).map_err(io)?;
    act.push(Action::Appended(
        path.to_owned(),
        missing.iter().map(|s| (*s).to_owned()).collect(),
    ));
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bundled_articles_are_the_seeds_byte_for_byte() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let bundled: Vec<_> = sample::seed_files().collect();
        for (name, text) in &bundled {
            assert_eq!(
                fs::read(seeds.join(name)).unwrap(),
                text.as_bytes(),
                "{name}"
            );
        }
        assert_eq!(
            bundled.len(),
            crate::core::project::article_paths(Path::new(env!("CARGO_MANIFEST_DIR"))).len()
        );
    }

    #[test]
    fn ensure_lines_appends_only_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".gitignore");
        fs::write(&p, "target\n*.ron.lock").unwrap();
        let mut act = Vec::new();
        ensure_lines(dir.path(), &p, GITIGNORE_LINES, &mut act).unwrap();
        assert_eq!(
            fs::read_to_string(&p).unwrap(),
            "target\n*.ron.lock\n# Added by `stance init`.\n.*.ron.journal\n.*.tmp\n"
        );
        assert_eq!(
            act,
            vec![Action::Appended(
                p.clone(),
                vec![".*.ron.journal".into(), ".*.tmp".into()]
            )]
        );
        let mut again = Vec::new();
        ensure_lines(dir.path(), &p, GITIGNORE_LINES, &mut again).unwrap();
        assert!(matches!(&again[..], [Action::Kept(..)]));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_project_is_not_written() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("gitignore");
        fs::write(&target, "mine\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join(".gitignore");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut act = Vec::new();
        ensure_lines(dir.path(), &link, GITIGNORE_LINES, &mut act).unwrap();
        assert!(matches!(&act[..], [Action::Refused(..)]));
        assert_eq!(fs::read_to_string(&target).unwrap(), "mine\n");
    }

    #[cfg(unix)]
    #[test]
    fn sample_articles_are_not_copied_through_a_seeds_link_out_of_the_project() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("seeds")).unwrap();
        let mut act = Vec::new();
        let (name, text) = sample::seed_files().next().unwrap();
        write_new(
            dir.path(),
            &dir.path().join("seeds").join(name),
            text,
            "x",
            &mut act,
        )
        .unwrap();
        assert!(matches!(&act[..], [Action::Refused(..)]), "{act:?}");
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn driver_commands_quote_the_binary() {
        let exe = Path::new("/opt/my tools/stance");
        assert_eq!(merge_driver(exe), "'/opt/my tools/stance' merge %O %A %B");
        assert_eq!(diff_driver(exe), "'/opt/my tools/stance' diff --git");
    }
}
