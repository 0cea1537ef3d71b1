//! One writer per annotation file: a lock file beside it.
//!
//! `alice.ron` is locked by `alice.ron.lock`, created with `create_new` so that of two
//! processes racing for it exactly one succeeds. It holds who took it (pid, host name, start
//! time) and a random nonce, as one line of JSON. The lock is released when the [`Lock`] is
//! dropped; a lock whose owner died (its pid no longer exists on this host) is stale and is
//! taken over, so a crash never locks a coder out of their own file.
//!
//! Limits, by design of a plain file lock:
//! - a lock from another host is never judged stale (its pids mean nothing here); the error
//!   says which host holds it and since when, and [`Lock::take_over`] takes it anyway once a
//!   person has confirmed nobody is writing the file there (the window asks, with a warning);
//! - liveness is read from `/proc/<pid>`; where there is no `/proc` (not Linux) every owner is
//!   taken to be alive, the safe side;
//! - a reused pid makes a stale lock look held: the error names the pid, so it can be removed;
//! - taking over a stale lock re-reads it right before removing it, so a lock that a third
//!   process took over in between is not removed; the window left (between that read and the
//!   removal) is a few system calls wide.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A lock file that cannot be parsed (its writer died between creating and writing it) is
/// taken over once it is this old; younger, its writer may still be writing it.
pub const UNREADABLE_LOCK_GRACE_SECS: u64 = 10;

/// What a lock file says about its owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockInfo {
    /// Process id of the owner.
    pub pid: u32,
    /// Host name of the owner's machine.
    pub host: String,
    /// When the lock was taken.
    pub since: DateTime<Utc>,
    /// Random per lock, so an owner never removes a lock that is no longer its own.
    pub nonce: String,
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another live process holds the file.
    #[error(
        "the file is open for writing in another stance (process {pid} on {host}, since {since}); close it there first. If that process is gone, delete the .lock file beside the annotation file"
    )]
    HeldBy {
        /// The owner's process id.
        pid: u32,
        /// The owner's host name.
        host: String,
        /// When it took the lock.
        since: DateTime<Utc>,
    },
    /// The lock file is there but cannot be read yet (being written, or damaged and recent).
    #[error(
        "{0} exists but cannot be read; another stance may be starting. Try again in a few seconds"
    )]
    Unreadable(PathBuf),
    /// The lock file could not be created, read or removed.
    #[error("{path}: {source}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// A held lock on one annotation file; released when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    info: LockInfo,
}

impl LockInfo {
    /// Whether the lock was taken on another machine, whose processes this one cannot see.
    pub fn is_from_another_host(&self) -> bool {
        self.host != host_name()
    }
}

/// The lock file of an annotation file: `<file>.lock` beside it.
pub fn lock_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// What the lock file of `file` says, if there is a readable one.
pub fn holder(file: &Path) -> Option<LockInfo> {
    read_info(&lock_path(file)).ok().flatten()
}

impl Lock {
    /// Takes the lock on annotation file `file` (which need not exist yet; its folder must).
    ///
    /// A lock held by a live process is [`LockError::HeldBy`]; a stale one is taken over.
    pub fn acquire(file: &Path) -> Result<Self, LockError> {
        let path = lock_path(file);
        let info = LockInfo {
            pid: std::process::id(),
            host: host_name(),
            since: crate::core::model::annotation::now(),
            nonce: nonce(),
        };
        // Twice at most: a first try, then one more after removing a stale lock. A third
        // process winning in between gets its lock respected.
        for _ in 0..2 {
            match create(&path, &info) {
                Ok(()) => return Ok(Self { path, info }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(LockError::Io { path, source }),
            }
            let io = |source| LockError::Io {
                path: path.clone(),
                source,
            };
            match read_info(&path).map_err(io)? {
                Some(held) if is_alive(&held) => {
                    return Err(LockError::HeldBy {
                        pid: held.pid,
                        host: held.host,
                        since: held.since,
                    });
                }
                Some(stale) => {
                    // Re-read right before removing, so a lock someone else has just taken
                    // over is not removed.
                    if read_info(&path).ok().flatten().as_ref() == Some(&stale) {
                        remove_if_present(&path).map_err(io)?;
                    }
                }
                None if age_secs(&path) >= UNREADABLE_LOCK_GRACE_SECS => {
                    remove_if_present(&path).map_err(io)?;
                }
                None => return Err(LockError::Unreadable(path)),
            }
        }
        match read_info(&path).ok().flatten() {
            Some(held) => Err(LockError::HeldBy {
                pid: held.pid,
                host: held.host,
                since: held.since,
            }),
            None => Err(LockError::Unreadable(path)),
        }
    }

    /// Takes the lock on `file` from the holder a person has seen (`seen`), who may still be
    /// alive (typically on another host, where stance cannot tell): the lock file is removed
    /// only if it still says exactly what was seen, then taken as [`Lock::acquire`] does. If
    /// someone else took the lock meanwhile, their lock is respected (`HeldBy`).
    pub fn take_over(file: &Path, seen: &LockInfo) -> Result<Self, LockError> {
        let path = lock_path(file);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        match read_info(&path).map_err(io)? {
            Some(now) if now == *seen => remove_if_present(&path).map_err(io)?,
            Some(other) => {
                return Err(LockError::HeldBy {
                    pid: other.pid,
                    host: other.host,
                    since: other.since,
                });
            }
            None => {}
        }
        Self::acquire(file)
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What this lock wrote into its file.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// Whether the lock file on disk is still this lock's (nobody removed or took it over).
    pub fn is_held(&self) -> bool {
        read_info(&self.path).ok().flatten().as_ref() == Some(&self.info)
    }

    /// Releases the lock now, reporting a failure to remove the file (drop ignores it).
    pub fn release(mut self) -> std::io::Result<()> {
        let result = self.remove_own();
        // Already released; make Drop a no-op.
        self.info.nonce.clear();
        result
    }

    /// Removes the lock file if it is still ours.
    fn remove_own(&self) -> std::io::Result<()> {
        if !self.info.nonce.is_empty() && self.is_held() {
            remove_if_present(&self.path)?;
        }
        Ok(())
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Nothing useful can be done with an error while dropping; a lock file left behind
        // is stale once this process exits and is taken over then.
        let _ = self.remove_own();
    }
}

/// Creates the lock file exclusively and writes `info` into it.
fn create(path: &Path, info: &LockInfo) -> std::io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let mut line = serde_json::to_string(info).map_err(std::io::Error::other)?;
    line.push('\n');
    let written = f.write_all(line.as_bytes()).and_then(|()| f.sync_all());
    if written.is_err() {
        // A half-written lock would block others for the grace period; better none.
        drop(f);
        let _ = fs::remove_file(path);
    }
    written
}

/// The lock file's content: `None` if it cannot be parsed, an error if it cannot be read
/// (a missing file reads as unparseable, since it may reappear at once).
fn read_info(path: &Path) -> std::io::Result<Option<LockInfo>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(serde_json::from_str(text.trim()).ok()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Seconds since the file was last modified (0 if unknown, which errs toward waiting).
fn age_secs(path: &Path) -> u64 {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .map_or(0, |d| d.as_secs())
}

/// Whether the owner of a lock may still be running.
///
/// Only a lock from this host can be judged; on Linux a process exists while `/proc/<pid>`
/// does. Everywhere else the answer is "alive", the side that never loses work.
pub fn is_alive(info: &LockInfo) -> bool {
    if info.host != host_name() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(info.pid.to_string()).exists()
}

/// This machine's host name, as lock files record it.
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .map(|s| s.trim().to_owned())
        .find(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("COMPUTERNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown-host".to_owned())
}

/// 16 hex digits that differ between locks: a hash of the time, the pid and a counter.
fn nonce() -> String {
    use sha2::{Digest, Sha256};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = Sha256::new();
    h.update(
        Utc::now()
            .timestamp_nanos_opt()
            .unwrap_or_default()
            .to_le_bytes(),
    );
    h.update(std::process::id().to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    h.finalize().iter().take(8).fold(String::new(), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_path_is_beside_the_file() {
        assert_eq!(
            lock_path(Path::new("p/annotations/a/alice.ron")),
            PathBuf::from("p/annotations/a/alice.ron.lock")
        );
    }

    #[test]
    fn release_removes_only_our_own_lock() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        let lock = Lock::acquire(&file).unwrap();
        assert!(lock.is_held());
        assert_eq!(holder(&file).as_ref(), Some(lock.info()));
        // Someone replaced the lock file: ours is gone, and dropping must not remove theirs.
        let theirs = LockInfo {
            nonce: "other".into(),
            ..lock.info().clone()
        };
        fs::write(lock.path(), serde_json::to_string(&theirs).unwrap()).unwrap();
        assert!(!lock.is_held());
        drop(lock);
        assert_eq!(holder(&file), Some(theirs));
    }

    #[test]
    fn unreadable_recent_lock_is_not_taken() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        fs::write(lock_path(&file), "").unwrap();
        assert!(matches!(
            Lock::acquire(&file),
            Err(LockError::Unreadable(_))
        ));
    }

    #[test]
    fn two_locks_on_one_file_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        let first = Lock::acquire(&file).unwrap();
        let Err(LockError::HeldBy { pid, host, since }) = Lock::acquire(&file) else {
            panic!("the second lock must be refused");
        };
        assert_eq!(pid, std::process::id());
        assert_eq!(host, host_name());
        assert_eq!(since, first.info().since);
        let message = Lock::acquire(&file).unwrap_err().to_string();
        assert!(
            message.contains(&format!("process {pid} on {host}")),
            "{message}"
        );
        // Another file in the same folder is not affected.
        let other = Lock::acquire(&dir.path().join("bob.ron")).unwrap();
        drop(first);
        assert!(!lock_path(&file).exists(), "dropping releases");
        let again = Lock::acquire(&file).unwrap();
        again.release().unwrap();
        assert!(!lock_path(&file).exists());
        drop(other);
    }

    /// A pid that was alive a moment ago and is certainly dead now.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_lock_left_by_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        let pid = dead_pid();
        assert!(!Path::new("/proc").join(pid.to_string()).exists());
        let stale = LockInfo {
            pid,
            host: host_name(),
            since: crate::core::model::annotation::now(),
            nonce: "dead".into(),
        };
        fs::write(lock_path(&file), serde_json::to_string(&stale).unwrap()).unwrap();
        assert!(!is_alive(&stale));
        let lock = Lock::acquire(&file).unwrap();
        assert_eq!(lock.info().pid, std::process::id());
        assert_eq!(holder(&file).as_ref(), Some(lock.info()));
    }

    #[test]
    fn a_lock_from_another_host_is_respected() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        let remote = LockInfo {
            pid: dead_pid(),
            host: format!("not-{}", host_name()),
            since: crate::core::model::annotation::now(),
            nonce: "remote".into(),
        };
        fs::write(lock_path(&file), serde_json::to_string(&remote).unwrap()).unwrap();
        assert!(matches!(
            Lock::acquire(&file),
            Err(LockError::HeldBy { host, .. }) if host == remote.host
        ));
    }

    /// Issue 13.5: a lock from another host could never be taken over from here. It can,
    /// for exactly the holder a person saw; a lock someone took meanwhile is respected.
    #[test]
    fn issue13_5_a_lock_from_another_host_is_taken_over_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        let remote = LockInfo {
            pid: 1,
            host: format!("not-{}", host_name()),
            since: crate::core::model::annotation::now(),
            nonce: "remote".into(),
        };
        assert!(remote.is_from_another_host());
        fs::write(lock_path(&file), serde_json::to_string(&remote).unwrap()).unwrap();
        let newer = LockInfo {
            nonce: "newer".into(),
            ..remote.clone()
        };
        let stale_view = LockInfo {
            nonce: "old".into(),
            ..remote.clone()
        };
        assert!(matches!(
            Lock::take_over(&file, &stale_view),
            Err(LockError::HeldBy { .. })
        ));
        let lock = Lock::take_over(&file, &remote).unwrap();
        assert!(lock.is_held());
        assert!(!lock.info().is_from_another_host());
        drop(lock);
        fs::write(lock_path(&file), serde_json::to_string(&newer).unwrap()).unwrap();
        assert!(
            Lock::take_over(&file, &remote).is_err(),
            "a newer lock stays"
        );
    }

    #[test]
    fn an_old_unreadable_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("alice.ron");
        let path = lock_path(&file);
        fs::write(&path, "{\"pid\": 12").unwrap();
        let old = std::time::SystemTime::now()
            - std::time::Duration::from_secs(UNREADABLE_LOCK_GRACE_SECS + 5);
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let lock = Lock::acquire(&file).unwrap();
        assert!(lock.is_held());
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(nonce(), nonce());
        assert_eq!(nonce().len(), 16);
    }
}
