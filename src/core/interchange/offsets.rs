//! Offsets in the units other tools count in.
//!
//! Stance anchors count UTF-8 bytes; brat and Label Studio count code points (Python string
//! indices), WebAnno TSV counts UTF-16 code units (Java string indices). The three agree on
//! ASCII and part ways on "é" (2 bytes, 1 code point, 1 unit) and "😊" (4 bytes, 1 code point,
//! 2 units), so every conversion goes through the text itself: a table of where each character
//! starts in each unit, built once per text.

/// How a foreign format counts offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Unicode code points (brat, Label Studio).
    CodePoints,
    /// UTF-16 code units (WebAnno TSV, anything written in Java or JavaScript).
    Utf16,
}

impl Unit {
    /// How long `s` is in this unit.
    pub fn len(self, s: &str) -> usize {
        match self {
            Self::CodePoints => s.chars().count(),
            Self::Utf16 => s.encode_utf16().count(),
        }
    }
}

/// Where each character of a text starts, in bytes, code points and UTF-16 units.
#[derive(Clone, Debug)]
pub struct Offsets {
    /// Byte offset of character `i`; one more entry holds the text's length.
    bytes: Vec<u32>,
    /// UTF-16 offset of character `i`; one more entry holds the text's UTF-16 length.
    utf16: Vec<u32>,
}

impl Offsets {
    /// The table for `text` (at most 4 GiB; loaders refuse files over 16 MiB long before).
    pub fn new(text: &str) -> Self {
        let n = text.len();
        let mut bytes = Vec::with_capacity(n / 2 + 1);
        let mut utf16 = Vec::with_capacity(n / 2 + 1);
        let mut u = 0u32;
        for (b, c) in text.char_indices() {
            bytes.push(b as u32);
            utf16.push(u);
            u += c.len_utf16() as u32;
        }
        bytes.push(n as u32);
        utf16.push(u);
        Self { bytes, utf16 }
    }

    /// The text's length in `unit`.
    pub fn len(&self, unit: Unit) -> usize {
        match unit {
            Unit::CodePoints => self.bytes.len() - 1,
            Unit::Utf16 => self.utf16.last().copied().unwrap_or_default() as usize,
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.len() == 1
    }

    /// The byte offset of offset `at` counted in `unit`; `None` past the end or, for UTF-16,
    /// between the two halves of a surrogate pair.
    pub fn to_byte(&self, unit: Unit, at: usize) -> Option<usize> {
        let index = match unit {
            Unit::CodePoints => at,
            Unit::Utf16 => self.utf16.binary_search(&u32::try_from(at).ok()?).ok()?,
        };
        self.bytes.get(index).map(|&b| b as usize)
    }

    /// Offset `byte` counted in `unit`; `None` past the end or inside a character.
    pub fn from_byte(&self, unit: Unit, byte: usize) -> Option<usize> {
        let index = self.bytes.binary_search(&u32::try_from(byte).ok()?).ok()?;
        Some(match unit {
            Unit::CodePoints => index,
            Unit::Utf16 => self.utf16[index] as usize,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_code_points_and_utf16_units() {
        // é: 2 bytes, 1 code point, 1 unit; 习: 3 bytes, 1, 1; 😊: 4 bytes, 1, 2; nbsp: 2, 1, 1.
        let text = "é习😊\u{a0}x";
        let o = Offsets::new(text);
        assert_eq!(o.len(Unit::CodePoints), 5);
        assert_eq!(o.len(Unit::Utf16), 6);
        assert_eq!(Unit::Utf16.len(text), 6);
        let x = text.find('x').unwrap();
        assert_eq!(o.from_byte(Unit::CodePoints, x), Some(4));
        assert_eq!(o.from_byte(Unit::Utf16, x), Some(5));
        assert_eq!(o.to_byte(Unit::CodePoints, 4), Some(x));
        assert_eq!(o.to_byte(Unit::Utf16, 5), Some(x));
        assert_eq!(o.to_byte(Unit::Utf16, 6), Some(text.len()));
        // Inside the emoji's surrogate pair, inside a UTF-8 sequence, past the end.
        assert_eq!(o.to_byte(Unit::Utf16, 3), None);
        assert_eq!(o.from_byte(Unit::CodePoints, 1), None);
        assert_eq!(o.to_byte(Unit::CodePoints, 6), None);
        assert!(!o.is_empty());
        assert!(Offsets::new("").is_empty());
    }
}
