//! Text from files, made safe to show: cut to a width with an ellipsis, and quoted with its
//! control characters escaped.
//!
//! Labels, coder names and table cells come from files anyone can write. Shown whole, a
//! 100 MB cell makes a 100 MB error message and a 65,536-character label overflows a format
//! width (which panics); shown raw, an escape byte recolours the terminal. Every message and
//! table that repeats such text goes through here.

use std::borrow::Cow;

/// How many characters of a value an error message quotes.
pub const QUOTE_CHARS: usize = 80;

/// The ellipsis that marks a cut.
pub const ELLIPSIS: char = '…';

/// `text` for an error message: control characters escaped (`\n`, `\u{1b}`), then cut to
/// [`QUOTE_CHARS`] characters with an ellipsis. Never longer than about 80 characters however
/// long the text, and never a raw control byte.
pub fn quote(text: &str) -> String {
    shown(text, QUOTE_CHARS).into_owned()
}

/// `text` with control characters escaped (`\n`, `\u{1b}`) and cut to at most `max`
/// characters (the last an ellipsis when anything was cut): a cell of a table printed to a
/// terminal. Borrowed when there is nothing to change.
pub fn shown(text: &str, max: usize) -> Cow<'_, str> {
    let fits = text.chars().take(max + 1).count() <= max;
    if fits && !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut chars = 0;
    // Only as much of the text as can be shown is looked at.
    let mut rest = text.chars().peekable();
    while let Some(c) = rest.next() {
        let piece = if c.is_control() {
            c.escape_default().to_string()
        } else {
            c.to_string()
        };
        let n = piece.chars().count();
        let last = rest.peek().is_none();
        // Room for the ellipsis unless this piece ends the text.
        let room = if last { max } else { max.saturating_sub(1) };
        if chars + n > room {
            out.push(ELLIPSIS);
            return Cow::Owned(out);
        }
        out.push_str(&piece);
        chars += n;
    }
    Cow::Owned(out)
}

/// Bytes that should be UTF-8 (a table cell), quoted as [`quote`] does; invalid bytes show
/// as the replacement character. Only the start of a long input is decoded.
pub fn quote_bytes(bytes: &[u8]) -> String {
    // Four bytes per character at most: this many bytes always hold more than QUOTE_CHARS
    // characters when the input has more, so the cut still shows.
    let head = &bytes[..bytes.len().min(QUOTE_CHARS * 4 + 4)];
    quote(&String::from_utf8_lossy(head))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_control_characters_and_stays_short() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("\u{1b}[31mred\u{7}"), "\\u{1b}[31mred\\u{7}");
        assert_eq!(quote("a\nb\tc"), "a\\nb\\tc");
        let q = quote(&"y".repeat(100_000_000 / 1000));
        assert_eq!(q.chars().count(), QUOTE_CHARS);
        assert!(q.ends_with(ELLIPSIS));
        assert!(!q.chars().any(char::is_control));
    }

    #[test]
    fn shown_escapes_and_cuts_table_cells() {
        assert_eq!(shown("ok", 40), "ok");
        assert!(matches!(shown("ok", 40), Cow::Borrowed(_)));
        assert_eq!(shown("a\u{1b}b", 40), "a\\u{1b}b");
        assert_eq!(shown("abcdef", 4), "abc…");
        assert_eq!(shown("abcd", 4), "abcd");
        assert_eq!(shown(&"z".repeat(70_000), 40).chars().count(), 40);
    }

    #[test]
    fn quote_bytes_reads_only_the_start() {
        let big = vec![b'z'; 1_000_000];
        let q = quote_bytes(&big);
        assert_eq!(q.chars().count(), QUOTE_CHARS);
        assert_eq!(quote_bytes(b"ok\xff"), "ok\u{fffd}");
    }
}
