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

/// `text` cut to at most `max` characters, the last of them an ellipsis when anything was
/// cut. Borrowed when it already fits.
pub fn cut(text: &str, max: usize) -> Cow<'_, str> {
    // Only the first `max + 1` characters are looked at, so a huge text costs nothing more.
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some(_) if max == 0 => Cow::Borrowed(""),
        Some(_) => {
            let end = text
                .char_indices()
                .nth(max - 1)
                .map_or(text.len(), |(i, _)| i);
            let mut out = String::with_capacity(end + ELLIPSIS.len_utf8());
            out.push_str(&text[..end]);
            out.push(ELLIPSIS);
            Cow::Owned(out)
        }
    }
}

/// `text` for an error message: control characters escaped (`\n`, `\u{1b}`), then cut to
/// [`QUOTE_CHARS`] characters with an ellipsis. Never longer than about 80 characters however
/// long the text, and never a raw control byte.
pub fn quote(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for c in text.chars() {
        let piece: Cow<'_, str> = if c.is_control() {
            Cow::Owned(c.escape_default().to_string())
        } else {
            Cow::Owned(c.to_string())
        };
        let n = piece.chars().count();
        if chars + n > QUOTE_CHARS - 1 {
            out.push(ELLIPSIS);
            return out;
        }
        out.push_str(&piece);
        chars += n;
    }
    out
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
    fn cut_keeps_short_text_and_ends_long_text_with_an_ellipsis() {
        assert_eq!(cut("amira", 8), "amira");
        assert_eq!(cut("amira", 5), "amira");
        assert_eq!(cut("amira", 4), "ami…");
        assert_eq!(cut("ééééé", 3), "éé…");
        assert_eq!(cut("abc", 0), "");
        let long = "x".repeat(70_000);
        assert_eq!(cut(&long, 40).chars().count(), 40);
    }

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
    fn quote_bytes_reads_only_the_start() {
        let big = vec![b'z'; 1_000_000];
        let q = quote_bytes(&big);
        assert_eq!(q.chars().count(), QUOTE_CHARS);
        assert_eq!(quote_bytes(b"ok\xff"), "ok\u{fffd}");
    }
}
