//! Names that become file names: annotator names and article ids.
//!
//! A name is checked before it is ever joined to a path, so nothing can be written outside
//! the project's folder.

/// Why a name cannot be used as a file name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Empty or only whitespace.
    #[error("the name is empty")]
    Empty,
    /// Longer than [`MAX_NAME_LEN`] bytes.
    #[error("the name is longer than {MAX_NAME_LEN} bytes")]
    TooLong,
    /// Contains a character that is not allowed.
    #[error(
        "the name `{name}` contains {what}; use letters, digits, `-`, `_`, `.` and spaces only"
    )]
    BadChar {
        /// The name as given (with control characters escaped).
        name: String,
        /// A description of the offending character.
        what: String,
    },
    /// `.`/`..`, a leading dot, or a name the OS reserves.
    #[error("the name `{0}` is reserved; choose another")]
    Reserved(String),
    /// A person's name (annotator, editor) with a space or a dot: it is not one word.
    #[error(
        "annotator names are one word: `{name}` contains {what}; use `{suggestion}` instead (letters, digits, `-` and `_`)"
    )]
    NotOneWord {
        /// The name as given (with control characters escaped).
        name: String,
        /// `a space` or `a dot`.
        what: &'static str,
        /// The name with each run of spaces and dots made one `-`.
        suggestion: String,
    },
}

/// Longest name accepted, in bytes.
pub const MAX_NAME_LEN: usize = 64;

/// The adjudicated file's annotator (`annotations/<article>/gold.ron`): a name no coder can
/// take. Kept with the name rules (the layout re-exports it as `project::layout::GOLD`).
pub const GOLD: &str = "gold";

/// Names that would clash with files the project itself writes, or that Windows reserves.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "lpt1", "lpt2", "lpt3", GOLD,
    "review",
];

/// Checks that `name` can be used as a file stem inside a project folder.
///
/// `gold` and `review` are reserved because review and adjudication files use them.
pub fn validate_name(name: &str) -> Result<&str, NameError> {
    if name.trim().is_empty() {
        return Err(NameError::Empty);
    }
    if name.len() > MAX_NAME_LEN {
        return Err(NameError::TooLong);
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ')))
    {
        let what = match c {
            '/' | '\\' => "a path separator".to_owned(),
            '\0' => "a NUL byte".to_owned(),
            c if c.is_control() => "a control character".to_owned(),
            c => format!("`{c}`"),
        };
        return Err(NameError::BadChar {
            name: name.escape_debug().to_string(),
            what,
        });
    }
    if name.starts_with('.') || name.ends_with('.') || name.ends_with(' ') || name.starts_with(' ')
    {
        return Err(NameError::Reserved(name.to_owned()));
    }
    let lower = name.to_lowercase();
    let stem = lower.split('.').next().unwrap_or(&lower);
    if RESERVED.contains(&stem) {
        return Err(NameError::Reserved(name.to_owned()));
    }
    Ok(name)
}

/// Checks that `name` can name a person who codes or reviews (an annotator, an editor): a
/// name ([`validate_name`]) of one word, with no space and no dot.
///
/// The name is the stem of the person's files (`<annotator>.ron`, `review.<editor>.ron`):
/// a dot would make `amira.x.ron` look like a side file the project walker does not read as
/// anyone's coding, and a space makes names that differ only in spacing, needs quoting on
/// every command line and in git. Refused (never slugged silently) the same way in the
/// window, the CLI and import, with the one-word form suggested.
pub fn validate_person(name: &str) -> Result<&str, NameError> {
    validate_name(name)?;
    let what = if name.contains(char::is_whitespace) {
        "a space"
    } else if name.contains('.') {
        "a dot"
    } else {
        return Ok(name);
    };
    Err(NameError::NotOneWord {
        name: name.escape_debug().to_string(),
        what,
        suggestion: one_word(name),
    })
}

/// `name` with every run of spaces and dots made one `-` ("Bob  Smith" → "Bob-Smith").
pub fn one_word(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '.')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Like [`validate_person`] but allows the reserved `gold` (for the adjudicated file).
pub fn validate_annotator(name: &str) -> Result<&str, NameError> {
    if name == GOLD {
        return Ok(name);
    }
    validate_person(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass() {
        for n in [
            "alice",
            "Bob Smith",
            "coder_2",
            "000_fb0db49d048a0ffe",
            "Łucja",
        ] {
            assert_eq!(validate_name(n), Ok(n));
        }
    }

    #[test]
    fn dangerous_names_are_refused() {
        for n in [
            "",
            " ",
            "../../x",
            "/etc/passwd",
            "a/b",
            "a\\b",
            "a\0b",
            "..",
            ".hidden",
            "CON",
            "nul.txt",
            "review",
        ] {
            assert!(validate_name(n).is_err(), "{n:?} should be refused");
        }
        assert!(matches!(
            validate_name("../../x"),
            Err(NameError::BadChar { .. })
        ));
        assert_eq!(validate_name(&"a".repeat(65)), Err(NameError::TooLong));
    }

    /// Issue 13.18: an annotator name with a space was accepted (and one with a dot made a
    /// file the walker reads as a side file). Both are refused, with a one-word suggestion.
    #[test]
    fn issue13_18_annotator_names_with_spaces_refused() {
        let e = validate_annotator("Bob Smith").unwrap_err();
        assert!(
            matches!(&e, NameError::NotOneWord { suggestion, .. } if suggestion == "Bob-Smith"),
            "{e:?}"
        );
        assert!(e.to_string().contains("use `Bob-Smith` instead"), "{e}");
        assert!(validate_person("amira.x").is_err());
        assert!(validate_person("Bob\tSmith").is_err());
        for ok in ["amira", "bob_smith", "Bob-Smith", "Łucja"] {
            assert_eq!(validate_person(ok), Ok(ok));
        }
        // Article ids (file stems of articles) keep their spaces and dots.
        assert_eq!(validate_name("Bob Smith"), Ok("Bob Smith"));
        assert_eq!(one_word(" a . b  c "), "a-b-c");
    }

    #[test]
    fn gold_is_an_annotator_but_not_a_name() {
        assert!(validate_name("gold").is_err());
        assert_eq!(validate_annotator("gold"), Ok("gold"));
    }
}
