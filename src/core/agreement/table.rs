//! Reads a reliability table in long CSV format: a header naming the columns `unit`, `coder`
//! and `value` (any order, any case, other columns ignored), then one line per rating.
//!
//! Fields are trimmed. A line whose value is empty is no rating (a missing value) and is
//! skipped. At the nominal level values are labels compared as text; at the other levels they
//! must be numbers, and `1`, `1.0` and `1e0` are one value. A coder may rate a unit twice
//! with the same value, but not with two different ones. Errors carry the 1-based line number
//! as an editor shows it and say how to fix the table.
//!
//! Unit, coder and value strings are interned into indices with a fast hasher, and a value's
//! text is parsed once per distinct string, not once per line: a 4-million-line table is read
//! in well under a second.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::Level;
use super::data::{Categories, MISSING, RatingMatrix};
use super::fxhash::FxHashMap;

/// A reliability table: the names of its units and coders and the ratings as a matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Unit names, in order of first appearance (row `i` of the matrix).
    pub units: Vec<String>,
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
        /// The value.
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
        /// The unit.
        unit: String,
        /// The coder.
        coder: String,
        /// The first value.
        first: String,
        /// The second value.
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
    read_table_from(File::open(path)?, level, &mut |_, _| {})
}

/// How many lines pass between two calls of the progress callback.
const PROGRESS_EVERY: usize = 1 << 16;

/// Reads a table from `reader`; `progress(done, total)` is called now and then with the bytes
/// parsed so far and the size of the input.
///
/// The input is read into memory first: the csv crate's record positions skip blank lines
/// and count `\r\n` oddly, so line numbers are computed from the bytes themselves — and only
/// when an error needs one, which keeps them off the fast path.
pub fn read_table_from<R: Read>(
    mut reader: R,
    level: Level,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Table, TableError> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data)?;
    let total = data.len() as u64;
    let lines = Lines(&data);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .from_reader(data.as_slice());
    let mut record = csv::ByteRecord::new();
    if !csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(e, lines))?
    {
        return Err(TableError::Empty);
    }
    let header_line = lines.of_record(&record);
    let columns = Columns::find(&record, header_line)?;

    let mut units = Interner::default();
    let mut coders = Interner::default();
    let mut values = Interner::default();
    let mut ratings: Vec<[u32; 3]> = Vec::new();
    // Where each rating's record starts, for error messages only.
    let mut offsets: Vec<u64> = Vec::new();
    while csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(e, lines))?
    {
        let offset = record.position().map_or(0, csv::Position::byte);
        let (Some(unit), Some(coder), Some(value)) = (
            record.get(columns.unit),
            record.get(columns.coder),
            record.get(columns.value),
        ) else {
            return Err(TableError::Malformed {
                line: lines.of_record(&record),
                problem: "the line has fewer fields than the header".into(),
            });
        };
        if value.is_empty() {
            continue;
        }
        for (field, column) in [(unit, "unit"), (coder, "coder")] {
            if field.is_empty() {
                return Err(TableError::EmptyField {
                    line: lines.of_record(&record),
                    column,
                });
            }
        }
        let v = values.intern(value, offset)?;
        ratings.push([
            units.intern(unit, offset)?,
            coders.intern(coder, offset)?,
            v,
        ]);
        offsets.push(offset);
        if ratings.len().is_multiple_of(PROGRESS_EVERY) {
            progress(offset, total);
        }
    }
    if ratings.is_empty() {
        return Err(TableError::NoRatings { line: header_line });
    }
    progress(total, total);

    let (categories, remap) = categories_for(&values, level, lines)?;
    let (n_units, n_coders) = (units.names.len(), coders.names.len());
    let size = n_units.checked_mul(n_coders).ok_or(TableError::TooLarge)?;
    let mut cells = Vec::new();
    cells
        .try_reserve_exact(size)
        .map_err(|_| TableError::TooLarge)?;
    cells.resize(size, MISSING);
    for (i, &[u, c, v]) in ratings.iter().enumerate() {
        let cell = &mut cells[u as usize * n_coders + c as usize];
        let category = remap[v as usize];
        if *cell == MISSING {
            *cell = category;
        } else if *cell != category {
            // The error path may scan: find the earlier line with this unit and coder.
            let first = ratings[..i]
                .iter()
                .position(|r| r[0] == u && r[1] == c)
                .unwrap_or(i);
            return Err(TableError::Conflict {
                line: lines.of_reported(offsets[i]),
                first_line: lines.of_reported(offsets[first]),
                unit: units.name(u),
                coder: coders.name(c),
                first: values.name(ratings[first][2]),
                second: values.name(v),
            });
        }
    }
    Ok(Table {
        units: units.into_names(),
        coders: coders.into_names(),
        matrix: RatingMatrix::from_cells(n_units, n_coders, cells, categories),
        lines: ratings.len() as u64,
    })
}

/// Line numbers of the input, counted as an editor does (`\n`, `\r\n` or a lone `\r`).
#[derive(Clone, Copy)]
struct Lines<'a>(&'a [u8]);

impl Lines<'_> {
    /// The line of a record whose position the csv crate reports as `reported`.
    ///
    /// That position is where the parser began looking for the record, which can be before
    /// blank lines or the `\n` of a `\r\n`; records never start with a line break, so skip
    /// those.
    fn of_reported(self, reported: u64) -> u64 {
        let mut at = usize::try_from(reported).map_or(self.0.len(), |r| r.min(self.0.len()));
        while at < self.0.len() && matches!(self.0[at], b'\r' | b'\n') {
            at += 1;
        }
        self.of_byte(at)
    }

    fn of_record(self, record: &csv::ByteRecord) -> u64 {
        self.of_reported(record.position().map_or(0, csv::Position::byte))
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

/// Where the three columns are in each record.
struct Columns {
    unit: usize,
    coder: usize,
    value: usize,
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
                    problem: format!("there is no column `{want}` (found: {})", names.join(", ")),
                }),
            }
        };
        Ok(Self {
            unit: find("unit")?,
            coder: find("coder")?,
            value: find("value")?,
        })
    }
}

/// Byte strings to dense indices, remembering where each first appeared.
#[derive(Default)]
struct Interner {
    map: FxHashMap<Box<[u8]>, u32>,
    names: Vec<Box<[u8]>>,
    /// Where each key was first seen (a record position).
    first_offset: Vec<u64>,
    /// The index returned last: long tables list a unit's ratings together, so the same key
    /// usually comes again and a byte comparison beats a hash lookup.
    last: Option<u32>,
}

impl Interner {
    fn intern(&mut self, key: &[u8], offset: u64) -> Result<u32, TableError> {
        if let Some(last) = self.last
            && *self.names[last as usize] == *key
        {
            return Ok(last);
        }
        let index = if let Some(&i) = self.map.get(key) {
            i
        } else {
            let i = u32::try_from(self.names.len())
                .ok()
                .filter(|&i| i != MISSING)
                .ok_or(TableError::TooLarge)?;
            let boxed: Box<[u8]> = key.into();
            self.map.insert(boxed.clone(), i);
            self.names.push(boxed);
            self.first_offset.push(offset);
            i
        };
        self.last = Some(index);
        Ok(index)
    }

    fn name(&self, i: u32) -> String {
        // Names are shown and stored as text; bytes that are not UTF-8 become U+FFFD.
        String::from_utf8_lossy(&self.names[i as usize]).into_owned()
    }

    fn into_names(self) -> Vec<String> {
        self.names
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect()
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
    let texts: Vec<String> = (0..values.names.len())
        .map(|i| values.name(i as u32))
        .collect();
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
            .min_by_key(|&i| values.first_offset[i])
        {
            return Err(TableError::NotANumber {
                line: lines.of_reported(values.first_offset[i]),
                value: texts[i].clone(),
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
fn csv_error(e: csv::Error, lines: Lines<'_>) -> TableError {
    let line = lines.of_reported(e.position().map_or(0, csv::Position::byte));
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
    use super::*;

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
        assert_eq!(t.units, ["u1", "u2"]);
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
