//! Splitting plain CSV into ratings: no quotes, and every `\r` part of a `\r\n`. Then a line is
//! a record and a comma a separator.
//!
//! Most lines of a long table are short (`u123456,c17,3`). Such a line is split without a
//! branch per byte: 32 bytes are loaded as four words, the commas and line feeds in them
//! become two 32-bit masks (SWAR, "SIMD within a register": safe code, no intrinsics), and the
//! field bounds are the set bits of the masks. Scanning byte by byte mispredicts a branch at
//! nearly every separator, which cost more than the rest of the parser. Longer lines, and the
//! last bytes of the input, are split by [`memchr`] instead.

use super::Columns;

/// Bytes looked at at once.
const WINDOW: usize = 32;

/// Whether `data` is plain CSV: no quotes, and every `\r` is part of a `\r\n`.
pub(super) fn is_plain(data: &[u8]) -> bool {
    memchr::memchr(b'"', data).is_none()
        && memchr::memchr_iter(b'\r', data).all(|i| data.get(i + 1) == Some(&b'\n'))
}

/// What a line of a plain table holds.
pub(super) enum Line {
    /// A rating: where its unit, coder and value are (trimmed, none of them empty; byte
    /// ranges, not keys, because moving keys through this enum cost more than splitting the
    /// line), and where the line starts.
    Rating(Ranges, usize),
    /// An empty line, or one whose value is empty: no rating.
    Nothing,
    /// A line the csv crate would reject or that lacks a unit or coder.
    Bad,
}

/// Reads the lines of the plain `data[start..end]` (which ends at a line end or at the end of
/// the input), calling `each` with every line until it returns `false`; `progress` gets the
/// bytes done now and then. Returns whether every line was read.
pub(super) fn for_each_line(
    data: &[u8],
    (start, end): (usize, usize),
    columns: &Columns,
    progress: &mut dyn FnMut(u64),
    mut each: impl FnMut(Line) -> bool,
) -> bool {
    /// Lines between two progress reports.
    const REPORT_EVERY: u32 = 1 << 16;
    let roles = Roles::new(columns);
    let mut pos = start;
    let mut until_report = REPORT_EVERY;
    while pos < end {
        let (line, next) = match window_line(data, pos, end, &roles) {
            Some((ranges, next)) => (rating(data, ranges, pos), next),
            None => memchr_line(data, pos, end, &roles),
        };
        if !each(line) {
            return false;
        }
        pos = next;
        until_report -= 1;
        if until_report == 0 {
            until_report = REPORT_EVERY;
            progress((pos - start) as u64);
        }
    }
    true
}

/// Which fields of a line hold the unit, the coder and the value, and how many it has.
struct Roles {
    columns: [usize; 3],
    count: usize,
}

impl Roles {
    fn new(columns: &Columns) -> Self {
        Self {
            columns: [columns.unit, columns.coder, columns.value],
            count: columns.count,
        }
    }
}

/// Byte ranges of a line's unit, coder and value.
pub(super) type Ranges = [(usize, usize); 3];

/// The line at `pos` split through [`WINDOW`]-byte masks: its fields and where the next line
/// starts; `None` when the line needs [`memchr_line`] (longer than the window, too near the
/// end, or not as many fields as the header: empty lines and errors).
#[inline]
fn window_line(data: &[u8], pos: usize, end: usize, roles: &Roles) -> Option<(Ranges, usize)> {
    if pos + WINDOW > end {
        return None;
    }
    let window: &[u8; WINDOW] = data.get(pos..pos + WINDOW)?.try_into().ok()?;
    let (commas, feeds) = masks(window);
    let feed = feeds.trailing_zeros() as usize;
    if feed >= WINDOW {
        return None;
    }
    let separators = commas & ((1u32 << feed) - 1);
    if !has_bits(separators, roles.count - 1) {
        return None;
    }
    // Plain input has `\r` only right before `\n`.
    let line_end = if feed > 0 && window[feed - 1] == b'\r' {
        feed - 1
    } else {
        feed
    };
    // Field i runs from after separator i - 1 to separator i (the last one to the line end).
    // Plain scalars, not an array filled by index: writing pairs into a stack array and
    // reading them back stalled store forwarding and tripled the cost of a line.
    let field = |i: usize| {
        let from = if i == 0 {
            0
        } else {
            nth_bit(separators, i - 1) + 1
        };
        let to = if i + 1 == roles.count {
            line_end
        } else {
            nth_bit(separators, i)
        };
        (pos + from, pos + to)
    };
    let [unit, coder, value] = roles.columns;
    Some(([field(unit), field(coder), field(value)], pos + feed + 1))
}

/// Whether `mask` has exactly `n` bits set. Not `count_ones() == n`: without a `popcnt`
/// instruction in the baseline x86-64 target that is a dozen operations, and it took an
/// eighth of the time of splitting a line; clearing the few expected bits is cheaper.
fn has_bits(mut mask: u32, n: usize) -> bool {
    for _ in 0..n {
        if mask == 0 {
            return false;
        }
        mask &= mask - 1;
    }
    mask == 0
}

/// The position of the `n`th (from 0) set bit of `mask`, which has more than `n`.
fn nth_bit(mut mask: u32, n: usize) -> usize {
    for _ in 0..n {
        mask &= mask.wrapping_sub(1);
    }
    mask.trailing_zeros() as usize
}

/// Masks of the commas and line feeds in `window`: bit `i` is set when byte `i` is one. Once
/// a line feed is found the rest of the window is left out (most lines are short).
fn masks(window: &[u8; WINDOW]) -> (u32, u32) {
    let mut commas = 0;
    let mut feeds = 0;
    for (i, chunk) in window.chunks_exact(8).enumerate() {
        if feeds != 0 {
            break;
        }
        let mut bytes = [0; 8];
        bytes.copy_from_slice(chunk);
        let word = u64::from_le_bytes(bytes);
        commas |= byte_mask(word, b',') << (8 * i);
        feeds |= byte_mask(word, b'\n') << (8 * i);
    }
    (commas, feeds)
}

/// Bit `i` set when byte `i` of `word` (little-endian) equals `byte`.
fn byte_mask(word: u64, byte: u8) -> u32 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    // The top bit of each byte of `zero` is set exactly when that byte of `x` is 0: adding
    // 0x7f to the low seven bits carries into the top bit unless they are all 0, and the
    // byte's own top bit is or-ed in (no borrows cross bytes, unlike the `x - 0x01…` trick).
    let zero = !(((x & LOW7) + LOW7) | x | LOW7);
    // Gather the eight top bits into one byte: byte i's bit lands on bit 56 + i, and no two
    // partial products share a bit, so nothing carries.
    ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// The line at `pos` split with [`memchr`]; returns it and where the next line starts.
fn memchr_line(data: &[u8], pos: usize, end: usize, roles: &Roles) -> (Line, usize) {
    let stop = memchr::memchr(b'\n', &data[pos..end]).map_or(end, |i| pos + i);
    let next = stop + 1;
    let line_end = if stop > pos && data[stop - 1] == b'\r' {
        stop - 1
    } else {
        stop
    };
    // The csv crate skips empty lines.
    if line_end == pos {
        return (Line::Nothing, next);
    }
    let mut ranges: Ranges = [(pos, pos); 3];
    let mut count = 0;
    let mut from = pos;
    for to in memchr::memchr_iter(b',', &data[pos..line_end])
        .map(|i| pos + i)
        .chain([line_end])
    {
        for (role, &column) in roles.columns.iter().enumerate() {
            if column == count {
                ranges[role] = (from, to);
            }
        }
        count += 1;
        from = to + 1;
    }
    if count != roles.count {
        return (Line::Bad, next);
    }
    (rating(data, ranges, pos), next)
}

/// The line at `line_start` with fields `ranges`, trimmed and checked.
#[inline]
fn rating(data: &[u8], ranges: Ranges, line_start: usize) -> Line {
    let [unit, coder, value] = ranges;
    let (unit, coder, value) = (
        trimmed(data, unit),
        trimmed(data, coder),
        trimmed(data, value),
    );
    if value.0 == value.1 {
        Line::Nothing
    } else if unit.0 == unit.1 || coder.0 == coder.1 {
        Line::Bad
    } else {
        Line::Rating([unit, coder, value], line_start)
    }
}

/// The range `start..end` of `data` without surrounding ASCII white space.
#[inline]
fn trimmed(data: &[u8], (start, end): (usize, usize)) -> (usize, usize) {
    let field = &data[start..end];
    let from = start + (field.len() - field.trim_ascii_start().len());
    let to = end - (field.len() - field.trim_ascii_end().len());
    (from, to.max(from))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn has_bits_counts_exactly() {
        assert!(has_bits(0b1010, 2) && !has_bits(0b1010, 1) && !has_bits(0b1010, 3));
        assert!(has_bits(0, 0) && !has_bits(1, 0));
    }

    #[test]
    fn byte_mask_finds_every_position() {
        for i in 0..8 {
            let mut bytes = *b"abcdefgh";
            bytes[i] = b',';
            assert_eq!(byte_mask(u64::from_le_bytes(bytes), b','), 1 << i);
        }
        // Bytes with the top bit set, and 0x2c ± 0x80, are not commas.
        let word = u64::from_le_bytes([0xac, 0x2c, 0xff, 0x00, 0x2d, 0x2b, 0x2c, 0x80]);
        assert_eq!(byte_mask(word, b','), 0b0100_0010);
    }

    /// The lines of `text` as (unit, coder, value) texts, "-" for no rating, "!" for bad.
    fn lines(text: &str, columns: &Columns) -> Vec<String> {
        let data = text.as_bytes();
        let mut out = Vec::new();
        for_each_line(data, (0, data.len()), columns, &mut |_| {}, |line| {
            out.push(match line {
                Line::Rating(ranges, _) => ranges
                    .map(|(a, b)| String::from_utf8_lossy(&data[a..b]).into_owned())
                    .join("|"),
                Line::Nothing => "-".to_owned(),
                Line::Bad => "!".to_owned(),
            });
            true
        });
        out
    }

    #[test]
    fn window_and_memchr_lines_agree() {
        let columns = Columns {
            unit: 2,
            coder: 0,
            value: 1,
            count: 3,
        };
        // Short lines go through the window, the long one and the last ones through memchr.
        let text = "ann,1,u1\r\n\nbob, 2 ,u1\nann,,u2\n,3,u3\nann,1\nann,4,a-unit-name-that-is-far-too-long-for-the-window\ncy,5,u9\r\ncy,6,u10";
        assert_eq!(
            lines(text, &columns),
            [
                "u1|ann|1",
                "-",
                "u1|bob|2",
                "-",
                "!",
                "!",
                "a-unit-name-that-is-far-too-long-for-the-window|ann|4",
                "u9|cy|5",
                "u10|cy|6"
            ]
        );
    }
}
