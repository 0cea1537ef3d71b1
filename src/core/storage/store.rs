//! RON files on disk: bounded, positioned loading and atomic, deterministic saving.
//!
//! Every load goes through [`read_text`] (size limit, UTF-8 check with a position) and
//! [`parse_ron`] (RON's own line:column, a nesting limit). Every save goes through
//! [`write_atomic`]: a temp file in the same folder, fsync, rename, fsync of the folder, so a
//! crash leaves either the old or the new file, never a torn one.

use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::core::model::annotation::{AnnotationFile, FORMAT_VERSION};
use crate::core::model::codebook::Codebook;

/// Largest annotation, codebook or article file read (16 MiB); bigger files are refused
/// before any byte is read.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Deepest nesting accepted in a RON file; ours never exceed 6.
pub const MAX_RON_DEPTH: usize = 32;

/// A position in a text file, 1-based as editors show it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

impl Pos {
    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let head = text.get(..offset).unwrap_or(text);
        let line = head.matches('\n').count() + 1;
        let line_start = head.rfind('\n').map_or(0, |i| i + 1);
        let col = head[line_start..].chars().count() + 1;
        Self { line, col }
    }
}

/// Why a file could not be loaded. Displayed as `path:line:col: message`.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is over [`MAX_FILE_BYTES`].
    #[error(
        "{path}: the file is {size} bytes, over the {limit}-byte limit; is this the right file?"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is empty (or only whitespace).
    #[error("{path}:1:1: the file is empty; expected {expected}")]
    Empty {
        /// The file.
        path: PathBuf,
        /// What it should hold.
        expected: &'static str,
    },
    /// The file is not UTF-8.
    #[error("{path}:{pos}: the file is not valid UTF-8 (byte {byte:#04x}); save it as UTF-8")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Where the first bad byte is.
        pos: Pos,
        /// The first bad byte.
        byte: u8,
    },
    /// RON syntax or type error, with RON's own position.
    #[error("{path}:{pos}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where.
        pos: Pos,
        /// RON's message (it names what was expected).
        message: String,
    },
    /// A format version this build does not read.
    #[error(
        "{path}:{pos}: unsupported annotation format version {found}; this build of stance reads version {supported}. Update stance or convert the file"
    )]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// Where the version is.
        pos: Pos,
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The content parsed but breaks a rule (unknown label, duplicate id…).
    #[error("{path}:{pos}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where.
        pos: Pos,
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl LoadError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. }
            | Self::TooLarge { path, .. }
            | Self::Empty { path, .. }
            | Self::NotUtf8 { path, .. }
            | Self::Parse { path, .. }
            | Self::UnsupportedFormat { path, .. }
            | Self::Invalid { path, .. } => path,
        }
    }

    /// Where in the file, when known.
    pub fn pos(&self) -> Pos {
        match self {
            Self::Io { .. } | Self::TooLarge { .. } | Self::Empty { .. } => Pos { line: 1, col: 1 },
            Self::NotUtf8 { pos, .. }
            | Self::Parse { pos, .. }
            | Self::UnsupportedFormat { pos, .. }
            | Self::Invalid { pos, .. } => *pos,
        }
    }

    /// The message without the `path:line:col: ` prefix.
    pub fn message(&self) -> String {
        let full = self.to_string();
        let prefix = format!("{}:{}: ", self.path().display(), self.pos());
        full.strip_prefix(&prefix)
            .or_else(|| full.strip_prefix(&format!("{}: ", self.path().display())))
            .unwrap_or(&full)
            .to_owned()
    }
}

/// Reads a text file within [`MAX_FILE_BYTES`], refusing non-UTF-8 with the position of the
/// first bad byte. `expected` names what the file should hold, for the empty-file message.
pub fn read_text(path: &Path, expected: &'static str) -> Result<String, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let size = fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = fs::read(path).map_err(io)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // Valid up to `valid`, so this prefix is UTF-8.
        let head = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        LoadError::NotUtf8 {
            path: path.to_owned(),
            pos: Pos::of_offset(head, valid),
            byte: bytes[valid],
        }
    })?;
    if text.trim().is_empty() {
        return Err(LoadError::Empty {
            path: path.to_owned(),
            expected,
        });
    }
    Ok(text)
}

/// Parses RON text with a nesting limit, mapping errors to `path:line:col`.
pub fn parse_ron<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, LoadError> {
    ron::Options::default()
        .with_recursion_limit(MAX_RON_DEPTH)
        .from_str(text)
        .map_err(|e| LoadError::Parse {
            path: path.to_owned(),
            pos: Pos {
                line: e.span.start.line,
                col: e.span.start.col,
            },
            message: explain_ron_error(&e.code),
        })
}

/// RON's message, with a hint where RON's wording alone leaves a coder stuck.
fn explain_ron_error(e: &ron::Error) -> String {
    match e {
        ron::Error::Eof => "the file ends too early (truncated?); expected more RON".into(),
        ron::Error::ExceededRecursionLimit => {
            format!("nesting deeper than {MAX_RON_DEPTH} levels; this is not a stance file")
        }
        other => other.to_string(),
    }
}

/// The pretty-printing every file we write uses. Changing it changes every file's bytes, so
/// it is fixed here once.
fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false)
        .compact_arrays(false)
}

/// Serialises to the deterministic pretty RON all stance files use (ending in a newline).
pub fn to_ron<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    let mut s = ron::ser::to_string_pretty(value, pretty())?;
    s.push('\n');
    Ok(s)
}

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename, fsync
/// of the folder. Readers see the old or the new content, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the path has no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        // The rename itself must reach the disk too; a folder can be opened and synced on Unix.
        #[cfg(unix)]
        fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Reads only the `format` field. It is a plain `u32`, not an `Option`: RON spells options
/// `Some(7)`, so an optional probe never matched a real file and newer versions slipped by.
/// A file without the field fails the probe and gets the full parse's "missing field" error.
#[derive(Deserialize)]
struct FormatProbe {
    format: u32,
}

/// Loads an annotation file: size limit, UTF-8, RON with positions, format version, and the
/// labels checked against `codebook`.
pub fn load_annotation(path: &Path, codebook: &Codebook) -> Result<AnnotationFile, LoadError> {
    let text = read_text(path, "a stance annotation file (RON)")?;
    parse_annotation(path, &text, codebook)
}

/// Parses annotation text read from `path` (see [`load_annotation`]).
pub fn parse_annotation(
    path: &Path,
    text: &str,
    codebook: &Codebook,
) -> Result<AnnotationFile, LoadError> {
    // A file from a newer stance must say so instead of failing on whichever field changed.
    // The version probe is a second full parse, so it runs only when the file is not a
    // current one: that halves the cost of loading the usual file (10,000 files in a check).
    let unsupported = |found: u32| LoadError::UnsupportedFormat {
        path: path.to_owned(),
        pos: locate(text, "format:"),
        found,
        supported: FORMAT_VERSION,
    };
    let file = match parse_ron::<AnnotationFile>(path, text) {
        Ok(file) if file.format != FORMAT_VERSION => return Err(unsupported(file.format)),
        Ok(file) => file,
        Err(e) => {
            if let Ok(FormatProbe { format: found }) = ron::Options::default()
                .with_recursion_limit(MAX_RON_DEPTH)
                .from_str::<FormatProbe>(text)
                && found != FORMAT_VERSION
            {
                return Err(unsupported(found));
            }
            return Err(e);
        }
    };
    if let Some((needle, message)) = check_labels(&file, codebook) {
        return Err(LoadError::Invalid {
            path: path.to_owned(),
            pos: locate(text, &needle),
            message,
        });
    }
    Ok(file)
}

/// The position of the first occurrence of `needle` in `text` (1:1 if absent).
pub fn locate(text: &str, needle: &str) -> Pos {
    text.find(needle)
        .map_or(Pos { line: 1, col: 1 }, |i| Pos::of_offset(text, i))
}

/// The first label in `file` that `codebook` does not know, or a duplicate claim id, as the
/// text to find in the file and the message to show.
fn check_labels(file: &AnnotationFile, codebook: &Codebook) -> Option<(String, String)> {
    let book = format!("codebook `{}` version {}", codebook.id, codebook.version);
    let mut ids = std::collections::BTreeSet::new();
    for claim in &file.claims {
        if !ids.insert(claim.id.as_str()) {
            return Some((
                format!("id: \"{}\"", claim.id),
                format!(
                    "claim id `{}` is used twice; claim ids must be unique",
                    claim.id
                ),
            ));
        }
        for (target, stance) in &claim.stances {
            if codebook.target(target).is_none() {
                return Some((
                    format!("\"{target}\""),
                    format!(
                        "unknown target `{target}` in claim `{}`; {book} has {}",
                        claim.id,
                        list(codebook.targets.iter().map(|t| &t.id))
                    ),
                ));
            }
            if codebook.stance(stance).is_none() {
                return Some((
                    format!("\"{stance}\""),
                    format!(
                        "unknown stance label `{stance}` in claim `{}`; {book} has {}",
                        claim.id,
                        list(codebook.stances.iter().map(|l| &l.id))
                    ),
                ));
            }
        }
        if let Some(source) = &claim.source
            && codebook.source_type(source).is_none()
        {
            return Some((
                format!("\"{source}\""),
                format!(
                    "unknown source type `{source}` in claim `{}`; {book} has {}",
                    claim.id,
                    list(codebook.source_types.iter().map(|l| &l.id))
                ),
            ));
        }
        if let Some(crate::core::model::annotation::SpeakerRef::Registry(id)) = &claim.speaker
            && codebook.speaker(id).is_none()
        {
            return Some((
                format!("Registry(\"{id}\")"),
                format!(
                    "unknown speaker `{id}` in claim `{}`: it is not in the registry of {book}; use New(\"{id}\") for a speaker outside the registry",
                    claim.id
                ),
            ));
        }
    }
    None
}

fn list<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<String> = ids.map(|i| format!("`{i}`")).collect();
    v.join(", ")
}

/// Saves an annotation file atomically as deterministic RON.
pub fn save_annotation(path: &Path, file: &AnnotationFile) -> std::io::Result<()> {
    let text = to_ron(file).map_err(std::io::Error::other)?;
    write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let t = "ab\ncdé\nf";
        assert_eq!(Pos::of_offset(t, 0), Pos { line: 1, col: 1 });
        assert_eq!(Pos::of_offset(t, 3), Pos { line: 2, col: 1 });
        assert_eq!(Pos::of_offset(t, 7), Pos { line: 2, col: 4 });
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
