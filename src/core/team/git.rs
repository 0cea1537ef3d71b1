//! Running the `git` command for `init` and `sync`.
//!
//! Stance keeps no store of its own: sharing is git, run as a child process in the project's
//! folder. Git never prompts here (`GIT_TERMINAL_PROMPT=0`): a coder without credentials gets
//! git's message, not a hang, and paths are passed literally (`GIT_LITERAL_PATHSPECS=1`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why a git command could not give what was asked.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// `git` could not be started (not installed, not on `PATH`).
    #[error("cannot run git ({0}); install git to share the project")]
    Missing(std::io::Error),
    /// It ran and failed.
    #[error("`git {command}` failed: {message}")]
    Failed {
        /// The arguments, for the message.
        command: String,
        /// What git said (its last lines of stderr, or stdout).
        message: String,
    },
}

/// What a git command printed and how it ended.
#[derive(Clone, Debug)]
pub struct GitOutput {
    /// Whether it exited with 0.
    pub ok: bool,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

impl GitOutput {
    /// What git said, for a person: stderr, else stdout, trimmed.
    pub fn message(&self) -> String {
        let s = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        s.trim().to_owned()
    }
}

/// Git run in one folder.
#[derive(Clone, Debug)]
pub struct Git {
    dir: PathBuf,
}

impl Git {
    /// Git in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
        }
    }

    /// The folder it runs in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.current_dir(&self.dir)
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_LITERAL_PATHSPECS", "1")
            .stdin(Stdio::null());
        c
    }

    /// Runs `git args…`, whatever its exit status.
    pub fn run(&self, args: &[&str]) -> Result<GitOutput, GitError> {
        let out = self.command(args).output().map_err(GitError::Missing)?;
        Ok(GitOutput {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    /// Runs `git args…` with `input` on its standard input.
    pub fn run_with_input(&self, args: &[&str], input: &[u8]) -> Result<GitOutput, GitError> {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(GitError::Missing)?;
        if let Some(mut stdin) = child.stdin.take() {
            // A git that exits early closes the pipe; its status says what went wrong.
            let _ = stdin.write_all(input);
        }
        let out = child.wait_with_output().map_err(GitError::Missing)?;
        Ok(GitOutput {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    /// Runs `git args…` and returns its standard output, or the failure with git's message.
    pub fn ok(&self, args: &[&str]) -> Result<String, GitError> {
        let out = self.run(args)?;
        if out.ok {
            Ok(out.stdout)
        } else {
            Err(GitError::Failed {
                command: args.join(" "),
                message: out.message(),
            })
        }
    }

    /// The top folder of the work tree `dir` lies in, or `None` outside a repository.
    pub fn toplevel(&self) -> Result<Option<PathBuf>, GitError> {
        let out = self.run(&["rev-parse", "--show-toplevel"])?;
        Ok(out
            .ok
            .then(|| PathBuf::from(out.stdout.trim_end_matches(['\n', '\r']))))
    }

    /// A repository-local setting, or `None` when it is not set.
    pub fn config_get(&self, key: &str) -> Result<Option<String>, GitError> {
        let out = self.run(&["config", "--local", "--get", key])?;
        Ok(out
            .ok
            .then(|| out.stdout.trim_end_matches(['\n', '\r']).to_owned()))
    }
}

/// `path` quoted for the POSIX shell git runs drivers with: in single quotes, a single quote
/// inside written as `'\''`.
pub fn shell_quote(path: &Path) -> String {
    let s = path.to_string_lossy();
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quote_survives_spaces_and_quotes() {
        assert_eq!(shell_quote(Path::new("/opt/st ance")), "'/opt/st ance'");
        assert_eq!(shell_quote(Path::new("/a/it's")), "'/a/it'\\''s'");
    }
}
