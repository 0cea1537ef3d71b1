//! Reads a reliability table in long CSV format: a header naming the columns `unit`, `coder`
//! and `value` (any order, any case, other columns ignored), then one line per rating.
//!
//! Fields are trimmed. A line whose value is empty is no rating (a missing value) and is
//! skipped. At the nominal level values are labels compared as text; at the other levels they
//! must be numbers, and `1`, `1.0` and `1e0` are one value. A coder may rate a unit twice
//! with the same value, but not with two different ones. Errors carry the 1-based line number
//! as an editor shows it and say how to fix the table.
//!
//! Unit, coder and value strings are interned into indices ([`super::intern`]), a value's
//! text is parsed once per distinct string, not once per line, and large tables are parsed
//! on all cores: a 4-million-line table is read in a fraction of a second.

use std::io::Read;
use std::path::Path;

use super::Level;
use super::data::{Categories, RatingMatrix};
use super::intern::{Interner, Names};
use crate::core::text::clip::quote;

mod exact;
mod fast;
mod plain;

/// A reliability table: the names of its units and coders and the ratings as a matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Unit names, in order of first appearance (row `i` of the matrix).
    pub units: Names,
    /// Coder names, in order of first appearance (column `j` of the matrix).
    pub coders: Vec<String>,
    /// The ratings; categories are the distinct values, sorted (numerically where possible).
    pub matrix: RatingMatrix,
    /// Lines that gave a rating (duplicates of the same rating included).
    pub lines: u64,
}

/// Why a table cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// Nothing at all in the file.
    #[error(
        "line 1: the file is empty; write the header `unit,coder,value` on the first line, then one line per rating"
    )]
    Empty,
    /// The first line does not name the three columns.
    #[error(
        "line {line}: the header must name the columns unit, coder and value (in any order); {problem}. Fix the first line, e.g. `unit,coder,value`"
    )]
    Header {
        /// The header's line (1 unless blank lines come first).
        line: u64,
        /// What is wrong with it.
        problem: String,
    },
    /// A header and nothing under it.
    #[error(
        "line {line}: there are no ratings under the header; add one line per rating: unit,coder,value"
    )]
    NoRatings {
        /// The header's line.
        line: u64,
    },
    /// A line that CSV cannot split like the header.
    #[error("line {line}: {problem}")]
    Malformed {
        /// The line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
    /// An empty unit or coder.
    #[error("line {line}: the {column} is empty; every line needs a unit, a coder and a value")]
    EmptyField {
        /// The line.
        line: u64,
        /// `unit` or `coder`.
        column: &'static str,
    },
    /// A value that is not a finite number at a numeric level.
    #[error(
        "line {line}: the value `{value}` is not a number, but the {level} level needs numbers; fix the value, or use --level nominal for labels"
    )]
    NotANumber {
        /// The first line with this value.
        line: u64,
        /// The value, quoted for a message (control characters escaped, cut to ~80
        /// characters: a 100 MB cell must not make a 100 MB message).
        value: String,
        /// The level asked for.
        level: Level,
    },
    /// A coder who rated a unit twice with different values.
    #[error(
        "line {line}: coder `{coder}` rates unit `{unit}` again with a different value: `{second}` here, `{first}` on line {first_line}; keep only one of the two lines"
    )]
    Conflict {
        /// The second rating's line.
        line: u64,
        /// The first rating's line.
        first_line: u64,
        /// The unit, quoted for a message (escaped, cut to ~80 characters).
        unit: String,
        /// The coder, quoted likewise.
        coder: String,
        /// The first value, quoted likewise.
        first: String,
        /// The second value, quoted likewise.
        second: String,
    },
    /// More units × coders than memory can hold.
    #[error("the table has too many units × coders to hold in memory")]
    TooLarge,
}

impl TableError {
    /// The 1-based line the error is on, if it is about one line.
    pub fn line(&self) -> Option<u64> {
        match self {
            Self::Io(_) | Self::TooLarge => None,
            Self::Empty => Some(1),
            Self::Header { line, .. }
            | Self::NoRatings { line }
            | Self::Malformed { line, .. }
            | Self::EmptyField { line, .. }
            | Self::NotANumber { line, .. }
            | Self::Conflict { line, .. } => Some(*line),
        }
    }
}

/// Reads the table in `path` for `level`.
pub fn read_table(path: &Path, level: Level) -> Result<Table, TableError> {
    read_table_with_progress(path, level, &mut |_, _| {})
}

/// [`read_table`]; `progress(done, total)` is called now and then with the bytes parsed so far
/// and the size of the file.
pub fn read_table_with_progress(
    path: &Path,
    level: Level,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Table, TableError> {
    let threads = threads();
    let sizes = (threads, PARALLEL_BYTES, fast::BLOCK);
    if let Some(table) = fast::read_file(path, level, sizes, progress) {
        return Ok(table);
    }
    // Something the fast path does not take: read it all, and find the first problem.
    let data = std::fs::read(path)?;
    let parts = header(&data)?;
    exact::read_in_pieces(&data, parts, level, progress, threads, PARALLEL_BYTES)
}

/// Threads to parse on.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_THREADS)
}

/// How many lines pass between two calls of the progress callback.
const PROGRESS_EVERY: usize = 1 << 16;

/// Inputs smaller than this are parsed on one thread; below it threads cost more than they
/// save.
const PARALLEL_BYTES: usize = 1 << 20;

/// Most threads used to parse.
const MAX_THREADS: usize = 8;

/// Reads a table from `reader`; `progress(done, total)` is called now and then with the bytes
/// parsed so far and the size of the input.
pub fn read_table_from<R: Read>(
    mut reader: R,
    level: Level,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Table, TableError> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data)?;
    read_table_bytes(&data, level, progress)
}

/// Reads a table held in memory (see [`read_table_from`]).
///
/// The whole input is needed because the csv crate's record positions skip blank lines and
/// count `\r\n` oddly, so line numbers are computed from the bytes themselves — and only when
/// an error needs one, which keeps them off the fast path. A large table without quotes is
/// cut at line ends and the pieces parsed on all cores; the result, errors included, is the
/// same as parsing it in one piece.
pub fn read_table_bytes(
    data: &[u8],
    level: Level,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Table, TableError> {
    read_with(data, level, progress, threads(), PARALLEL_BYTES)
}

/// [`read_table_bytes`] in at most `pieces` pieces of at least `min_bytes` each: the fast
/// path ([`fast`]) if it takes the table, else the exact one.
fn read_with(
    data: &[u8],
    level: Level,
    progress: &mut dyn FnMut(u64, u64),
    pieces: usize,
    min_bytes: usize,
) -> Result<Table, TableError> {
    let (columns, header_line, body) = header(data)?;
    if let Some(table) = fast::read(data, (&columns, body), level, (pieces, min_bytes), progress) {
        return Ok(table);
    }
    exact::read_in_pieces(
        data,
        (columns, header_line, body),
        level,
        progress,
        pieces,
        min_bytes,
    )
}

/// The columns the header names, its line, and where the body starts.
fn header(data: &[u8]) -> Result<(Columns, u64, usize), TableError> {
    let lines = Lines(data);
    let mut csv = csv_reader(data);
    let mut record = csv::ByteRecord::new();
    if !csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(e, lines, 0))?
    {
        return Err(TableError::Empty);
    }
    let header_line = lines.of_record(&record, 0);
    let columns = Columns::find(&record, header_line)?;
    Ok((
        columns,
        header_line,
        lines.skip_breaks(csv.position().byte()),
    ))
}

/// [`cut_points`] for input known to have no quotes.
fn line_cuts(data: &[u8], body: usize, pieces: usize, min_bytes: usize) -> Vec<usize> {
    let mut cuts = vec![body];
    let len = data.len();
    let size = len.saturating_sub(body);
    let pieces = pieces.min(size / min_bytes.max(1)).max(1);
    if pieces > 1 {
        for i in 1..pieces {
            let target = body + size / pieces * i;
            let Some(nl) = data[target..].iter().position(|&b| b == b'\n') else {
                break;
            };
            let cut = target + nl + 1;
            if cut > *cuts.last().unwrap_or(&body) && cut < len {
                cuts.push(cut);
            }
        }
    }
    cuts.push(len);
    cuts
}

/// A CSV reader with the settings every pass uses (no header row, no trimming, fields
/// counted by us so that a piece of the body is checked against the real header).
fn csv_reader(data: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data)
}

/// Units, coders and values of the whole table, and for each piece the map from its local
/// indices of each to the table's.
type GlobalNames = (Interner, Interner, Interner, Vec<[Vec<u32>; 3]>);

/// The names of every piece (units, coders, values) joined: the global interners and, for each
/// piece, its local indices mapped to global ones.
///
/// Names go piece by piece, so indices follow first appearance in the file. The first piece's
/// names come first in the file, so its interners become the global ones as they are. With
/// `final_names`, the last piece's names are looked up on `threads` threads and the new ones
/// appended without hashing ([`Interner::append_final`]): the interners are then only good
/// for listing names, which is all the fast path needs, and hashing a hundred thousand new
/// unit names was most of the cost of joining.
fn global_names(
    mut pieces: Vec<[&mut Interner; 3]>,
    (final_names, threads): (bool, usize),
) -> Result<GlobalNames, TableError> {
    let mut global: [Interner; 3] = Default::default();
    let mut maps = Vec::with_capacity(pieces.len());
    let count = pieces.len();
    for (i, piece) in pieces.iter_mut().enumerate() {
        let mut map: [Vec<u32>; 3] = Default::default();
        for ((local, global), map) in piece.iter_mut().zip(&mut global).zip(&mut map) {
            *map = if i == 0 {
                std::mem::swap(*local, global);
                (0..global.len() as u32).collect()
            } else if final_names && i + 1 == count {
                let found = find_all(global, local, threads);
                found
                    .into_iter()
                    .enumerate()
                    .map(|(j, hit)| {
                        hit.or_else(|| global.append_final(local, j as u32))
                            .ok_or(TableError::TooLarge)
                    })
                    .collect::<Result<_, _>>()?
            } else {
                global.reserve(local.len());
                (0..local.len() as u32)
                    .map(|j| {
                        global
                            .intern(local.bytes(j), local.first_offset(j))
                            .ok_or(TableError::TooLarge)
                    })
                    .collect::<Result<_, _>>()?
            };
        }
        maps.push(map);
    }
    let [units, coders, values] = global;
    Ok((units, coders, values, maps))
}

/// The index in `global` of each of `local`'s names, if it has one; on `threads` threads.
fn find_all(global: &Interner, local: &Interner, threads: usize) -> Vec<Option<u32>> {
    let n = local.len();
    let per_thread = n.div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(per_thread)
            .map(|from| {
                scope.spawn(move || {
                    (from..(from + per_thread).min(n))
                        .map(|j| global.find(local, j as u32))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// A rating needs a unit and a coder.
fn check_names(unit: &[u8], coder: &[u8], line: impl Fn() -> u64) -> Result<(), TableError> {
    for (text, column) in [(unit, "unit"), (coder, "coder")] {
        if text.is_empty() {
            return Err(TableError::EmptyField {
                line: line(),
                column,
            });
        }
    }
    Ok(())
}

/// "1 field", "2 fields".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A value's text as a finite number.
fn number(text: &[u8]) -> Option<f64> {
    std::str::from_utf8(text)
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// Whether two value texts are the same value: equal text, or at a numeric level equal
/// numbers (`1` and `1.0`).
fn same_value(level: Level, a: &[u8], b: &[u8]) -> bool {
    a == b || (level.is_numeric() && number(a).is_some() && number(a) == number(b))
}

/// Line numbers of the input, counted as an editor does (`\n`, `\r\n` or a lone `\r`).
#[derive(Clone, Copy)]
struct Lines<'a>(&'a [u8]);

impl Lines<'_> {
    /// The first byte at or after `at` that is not a line break.
    fn skip_breaks(self, at: u64) -> usize {
        let mut at = usize::try_from(at).map_or(self.0.len(), |a| a.min(self.0.len()));
        while at < self.0.len() && matches!(self.0[at], b'\r' | b'\n') {
            at += 1;
        }
        at
    }

    /// The line of a record whose position the csv crate reports as `reported`, relative
    /// to a reader started at byte `base`.
    ///
    /// That position is where the parser began looking for the record, which can be before
    /// blank lines or the `\n` of a `\r\n`; records never start with a line break, so skip
    /// those.
    fn of_reported(self, reported: u64, base: u64) -> u64 {
        self.of_byte(self.skip_breaks(base + reported))
    }

    fn of_record(self, record: &csv::ByteRecord, base: u64) -> u64 {
        self.of_reported(record.position().map_or(0, csv::Position::byte), base)
    }

    /// 1 + line breaks before byte `at`.
    fn of_byte(self, at: usize) -> u64 {
        let head = &self.0[..at];
        let breaks = head
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && head.get(i + 1) != Some(&b'\n')))
            .count();
        breaks as u64 + 1
    }
}

/// Where the three columns are in each record, and how many fields a record has.
struct Columns {
    unit: usize,
    coder: usize,
    value: usize,
    count: usize,
}

impl Columns {
    fn find(header: &csv::ByteRecord, line: u64) -> Result<Self, TableError> {
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, f)| {
                // Spreadsheets often start a UTF-8 file with a byte order mark.
                let f = if i == 0 {
                    f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
                } else {
                    f
                };
                String::from_utf8_lossy(f).trim().to_owned()
            })
            .collect();
        let find = |want: &str| -> Result<usize, TableError> {
            let mut hits = names
                .iter()
                .enumerate()
                .filter(|(_, n)| n.eq_ignore_ascii_case(want));
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Ok(i),
                (Some(_), Some(_)) => Err(TableError::Header {
                    line,
                    problem: format!("the column `{want}` appears twice"),
                }),
                (None, _) => Err(TableError::Header {
                    line,
                    problem: format!(
                        "there is no column `{want}` (found: {})",
                        quote(&names.join(", "))
                    ),
                }),
            }
        };
        Ok(Self {
            unit: find("unit")?,
            coder: find("coder")?,
            value: find("value")?,
            count: names.len(),
        })
    }
}

/// The scale from the distinct value strings, and each string's category index.
///
/// Numeric levels parse each distinct string once, merge strings with equal values and sort
/// by value. The nominal level sorts labels numerically if all are numbers, else as text, so
/// reports list categories in a predictable order.
fn categories_for(
    values: &Interner,
    level: Level,
    lines: Lines<'_>,
) -> Result<(Categories, Vec<u32>), TableError> {
    let texts: Vec<String> = (0..values.len() as u32).map(|i| values.name(i)).collect();
    let parsed: Vec<Option<f64>> = texts
        .iter()
        .map(|t| {
            t.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(|x| if x == 0.0 { 0.0 } else { x })
        })
        .collect();
    if level.is_numeric() {
        // Report the bad value that comes first in the file.
        if let Some(i) = (0..texts.len())
            .filter(|&i| parsed[i].is_none())
            .min_by_key(|&i| values.first_offset(i as u32))
        {
            return Err(TableError::NotANumber {
                line: lines.of_reported(values.first_offset(i as u32), 0),
                value: quote(&texts[i]),
                level,
            });
        }
        let mut order: Vec<usize> = (0..texts.len()).collect();
        // Equal values keep their order of appearance, so the first spelling labels them.
        order.sort_by(|&a, &b| {
            let (x, y) = (parsed[a].unwrap_or(0.0), parsed[b].unwrap_or(0.0));
            x.total_cmp(&y).then(a.cmp(&b))
        });
        let mut labels = Vec::new();
        let mut numbers: Vec<f64> = Vec::new();
        let mut remap = vec![0u32; texts.len()];
        for i in order {
            let x = parsed[i].unwrap_or(0.0);
            if numbers.last() != Some(&x) {
                numbers.push(x);
                labels.push(texts[i].clone());
            }
            remap[i] = (numbers.len() - 1) as u32;
        }
        let categories =
            Categories::with_values(labels, numbers).map_err(|_| TableError::TooLarge)?;
        Ok((categories, remap))
    } else {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        if parsed.iter().all(Option::is_some) {
            order.sort_by(|&a, &b| {
                let (x, y) = (parsed[a].unwrap_or(0.0), parsed[b].unwrap_or(0.0));
                x.total_cmp(&y).then_with(|| texts[a].cmp(&texts[b]))
            });
        } else {
            order.sort_by(|&a, &b| texts[a].cmp(&texts[b]));
        }
        let mut remap = vec![0u32; texts.len()];
        for (rank, &i) in order.iter().enumerate() {
            remap[i] = rank as u32;
        }
        let categories = Categories::new(order.iter().map(|&i| texts[i].clone()))
            .map_err(|_| TableError::TooLarge)?;
        Ok((categories, remap))
    }
}

/// A CSV-level error as a line-numbered table error.
fn csv_error(e: csv::Error, lines: Lines<'_>, base: u64) -> TableError {
    let line = lines.of_reported(e.position().map_or(0, csv::Position::byte), base);
    match e.into_kind() {
        csv::ErrorKind::Io(io) => TableError::Io(io),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => TableError::Malformed {
            line,
            problem: format!(
                "the line has {len} fields but the header has {expected_len}; check for a missing or extra comma, and quote values that contain commas"
            ),
        },
        other => TableError::Malformed {
            line,
            problem: format!("not valid CSV ({other:?})"),
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::exact::{cut_points, read_in_pieces};
    use super::*;
    use std::fmt::Write as _;

    fn read(text: &str, level: Level) -> Result<Table, TableError> {
        read_table_from(text.as_bytes(), level, &mut |_, _| {})
    }

    #[test]
    fn reads_long_format_with_columns_in_any_order() {
        let t = read(
            "\u{feff} Value , Coder,unit\n3, ann, u1\n1,bob,u1\n3,ann,u2\n,bob,u2\n3,ann,u1\n",
            Level::Interval,
        )
        .unwrap();
        assert_eq!(t.units.to_vec(), ["u1", "u2"]);
        assert_eq!(t.coders, ["ann", "bob"]);
        assert_eq!(t.lines, 4);
        assert_eq!(t.matrix.categories().values(), &[1.0, 3.0]);
        assert_eq!(t.matrix.get(0, 0), Some(1));
        assert_eq!(t.matrix.get(0, 1), Some(0));
        assert_eq!(t.matrix.get(1, 1), None);
    }

    #[test]
    fn numeric_spellings_merge_and_nominal_sorts() {
        let t = read(
            "unit,coder,value\na,x,2\na,y,2.0\nb,x,10\nb,y,1e1\n",
            Level::Ordinal,
        )
        .unwrap();
        assert_eq!(t.matrix.categories().labels(), ["2", "10"]);
        assert_eq!(t.matrix.get(1, 1), Some(1));
        let n = read("unit,coder,value\na,x,10\na,y,9\nb,x,9\n", Level::Nominal).unwrap();
        assert_eq!(n.matrix.categories().labels(), ["9", "10"]);
        let s = read(
            "unit,coder,value\na,x,no\na,y,yes\nb,x,maybe\n",
            Level::Nominal,
        )
        .unwrap();
        assert_eq!(s.matrix.categories().labels(), ["maybe", "no", "yes"]);
    }

    #[test]
    fn errors_carry_line_numbers() {
        let cases: [(&str, Level, u64); 8] = [
            ("", Level::Nominal, 1),
            ("unit,rater,value\nu,a,1\n", Level::Nominal, 1),
            ("unit,coder,value\n", Level::Nominal, 1),
            ("unit,coder,value,unit\nu,a,1,u\n", Level::Nominal, 1),
            ("unit,coder,value\nu,a,1\nu,b\n", Level::Nominal, 3),
            ("unit,coder,value\nu,a,1\nu,b,1\nv,,2\n", Level::Nominal, 4),
            (
                "unit,coder,value\nu,a,1\nu,b,x\nv,a,y\n",
                Level::Interval,
                3,
            ),
            (
                "unit,coder,value\nu,a,1\nu,b,1\nu,a,1.0\nu,a,2\n",
                Level::Ordinal,
                5,
            ),
        ];
        for (text, level, line) in cases {
            let err = read(text, level).unwrap_err();
            assert_eq!(err.line(), Some(line), "{text:?}: {err}");
            assert!(
                err.to_string().starts_with(&format!("line {line}:")),
                "{err}"
            );
        }
    }

    #[test]
    fn conflict_names_both_lines() {
        let err = read(
            "unit,coder,value\nu,a,yes\nu,b,no\n\nu,a,no\n",
            Level::Nominal,
        )
        .unwrap_err();
        let TableError::Conflict {
            line, first_line, ..
        } = &err
        else {
            panic!("{err}");
        };
        assert_eq!((*line, *first_line), (5, 2));
        assert!(err.to_string().contains("keep only one"));
    }

    #[test]
    fn line_numbers_count_blank_lines_crlf_and_quoted_newlines() {
        let cases: [(&str, u64); 4] = [
            ("unit,coder,value\r\nu,a,1\r\n\r\nu,a,2\r\n", 4),
            ("\n\nunit,coder,value\nu,a,1\n\n\nu,a,2\n", 7),
            ("unit,coder,value\n\"u\nx\",a,1\n\"u\nx\",a,2\n", 4),
            ("unit,coder,value\ru,a,1\ru,a,2", 3),
        ];
        for (text, line) in cases {
            let err = read(text, Level::Nominal).unwrap_err();
            assert_eq!(err.line(), Some(line), "{text:?}: {err}");
        }
        let header = read("\n\nunit,coder\n", Level::Nominal).unwrap_err();
        assert_eq!(header.line(), Some(3));
    }

    #[test]
    fn pieces_give_the_same_table_and_errors_as_one_pass() {
        let mut text = String::from("unit,coder,value\n");
        for u in 0..300 {
            for c in ["ann", "bob", "cy"] {
                if (u + c.len()) % 7 != 0 {
                    let _ = writeln!(text, "unit-{u},{c},{}", (u * c.len()) % 4);
                }
            }
        }
        let whole = read_with(text.as_bytes(), Level::Nominal, &mut |_, _| {}, 1, 1);
        let cut = read_with(text.as_bytes(), Level::Nominal, &mut |_, _| {}, 4, 100);
        assert_eq!(cut_points(text.as_bytes(), 17, 4, 100).len(), 5);
        assert_eq!(whole.unwrap(), cut.unwrap());

        // A conflict across pieces, and a bad line in a later piece: same errors either way.
        let conflict = format!("{text}unit-5,ann,9\n");
        let bad = format!("{text}u,a\n");
        for input in [conflict, bad] {
            let one = read_with(input.as_bytes(), Level::Nominal, &mut |_, _| {}, 1, 1);
            let four = read_with(input.as_bytes(), Level::Nominal, &mut |_, _| {}, 4, 100);
            let (one, four) = (one.unwrap_err(), four.unwrap_err());
            assert_eq!(one.to_string(), four.to_string());
            assert_eq!(one.line(), Some(input.lines().count() as u64));
        }
        // Quotes may hide line breaks: such input is never cut.
        assert_eq!(cut_points(b"h\n\"a\nb\",c,d\n", 2, 4, 1).len(), 2);
    }

    #[test]
    fn plain_input_reads_as_the_csv_crate_reads_it() {
        // Through the fast path where it applies, through the csv crate alone otherwise.
        let cases = [
            "u1,ann,1\nu1,bob,2\n\n\nu2,ann,1\n",
            "u1,ann,1\r\nu1,bob,2\r\n\r\nu2, bob ,3",
            "u1,ann,\nu1,bob,2\n",
            "u1,ann,1\nu1,bob\n",
            "u1,ann,1\n,bob,2\n",
            "u1,ann,1,extra\n",
            " \nu1,ann,1\n",
        ];
        for case in cases {
            let text = format!("unit,coder,value\n{case}");
            let data = text.as_bytes();
            let (columns, line, body) = header(data).unwrap();
            let any = read_with(data, Level::Nominal, &mut |_, _| {}, 1, 1);
            let exact = read_in_pieces(
                data,
                (columns, line, body),
                Level::Nominal,
                &mut |_, _| {},
                1,
                1,
            );
            match (any, exact) {
                (Ok(a), Ok(e)) => assert_eq!(a, e, "{case}"),
                (Err(a), Err(e)) => {
                    assert_eq!((a.to_string(), a.line()), (e.to_string(), e.line()));
                }
                (a, e) => panic!("{case}: {:?} vs {:?}", a.err(), e.err()),
            }
        }
    }

    #[test]
    fn nan_and_infinity_are_not_numbers() {
        for bad in ["NaN", "inf", "-infinity"] {
            let text = format!("unit,coder,value\nu,a,1\nu,b,{bad}\n");
            assert!(matches!(
                read(&text, Level::Interval),
                Err(TableError::NotANumber { line: 3, .. })
            ));
        }
    }
}
