//! The exact path: the csv crate reads every line (in pieces on all cores when the input has
//! no quotes), the pieces are joined in file order, and the first problem in the file is the
//! error, worded with its line. Every table the fast path ([`super::fast`]) declines comes
//! here, so this is the reader that defines what a table means; the fast one must agree
//! with it (the proptests compare them on random tables).

use super::{
    Columns, Lines, PROGRESS_EVERY, Table, TableError, categories_for, check_names, csv_error,
    csv_reader, global_names, line_cuts, plural, same_value,
};
use crate::core::agreement::Level;
use crate::core::agreement::data::{MISSING, RatingMatrix};
use crate::core::agreement::intern::Interner;
use crate::core::text::clip::quote;

/// The exact path: the csv crate reads every piece, the pieces are joined in file order, and
/// the first problem in the file is reported.
pub(super) fn read_in_pieces(
    data: &[u8],
    (columns, header_line, body): (Columns, u64, usize),
    level: Level,
    progress: &mut dyn FnMut(u64, u64),
    pieces: usize,
    min_bytes: usize,
) -> Result<Table, TableError> {
    let cuts = cut_points(data, body, pieces, min_bytes);
    let total = data.len() as u64;
    let mut results: Vec<Result<ChunkRatings, TableError>> = Vec::new();
    let columns = &columns;
    std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .skip(1)
            .map(|w| {
                let (start, end) = (w[0], w[1]);
                scope.spawn(move || parse_csv(data, start, end, columns, &mut |_| {}))
            })
            .collect();
        // The calling thread parses the first piece and reports progress for all of them.
        let share = (cuts.len() - 1) as u64;
        results.push(parse_csv(data, cuts[0], cuts[1], columns, &mut |done| {
            progress((done * share).min(total), total);
        }));
        for handle in handles {
            results.push(handle.join().unwrap_or_else(|_| {
                Err(TableError::Io(std::io::Error::other(
                    "a parser thread stopped unexpectedly",
                )))
            }));
        }
    });
    // A parse error anywhere comes before conflicts, as in a single pass.
    let pieces: Vec<ChunkRatings> = results.into_iter().collect::<Result<_, _>>()?;
    progress(total, total);
    merge(data, columns, header_line, pieces, level)
}

/// Where to cut the body `[body, len)` into at most `pieces` pieces at line ends.
///
/// Only inputs without `"` are cut: a quoted field may hold a line break, which only a
/// parser reading from the start can tell apart from a line end.
pub(super) fn cut_points(data: &[u8], body: usize, pieces: usize, min_bytes: usize) -> Vec<usize> {
    if data[body..].contains(&b'"') {
        vec![body, data.len()]
    } else {
        line_cuts(data, body, pieces, min_bytes)
    }
}

/// The ratings of one piece of the body, with names interned locally.
struct ChunkRatings {
    units: Interner,
    coders: Interner,
    values: Interner,
    /// (unit, coder, value) in local indices, in file order.
    ratings: Vec<[u32; 3]>,
}

/// The shortest line that holds a rating (`u,c,v` and a line break): reserving one rating per
/// this many bytes never reallocates. Untouched capacity costs address space, not memory.
const SHORTEST_LINE: usize = 6;

impl ChunkRatings {
    /// An empty piece with room for every rating `bytes` of input can hold.
    fn new(bytes: usize) -> Self {
        Self {
            units: Interner::default(),
            coders: Interner::default(),
            values: Interner::default(),
            ratings: Vec::with_capacity(bytes / SHORTEST_LINE + 1),
        }
    }

    /// Adds one rating read at byte `offset`.
    fn push(&mut self, (unit, coder, value): Fields<'_>, offset: u64) -> Result<(), TableError> {
        let (Some(u), Some(c), Some(v)) = (
            self.units.intern(unit, offset),
            self.coders.intern(coder, offset),
            self.values.intern(value, offset),
        ) else {
            return Err(TableError::TooLarge);
        };
        self.ratings.push([u, c, v]);
        Ok(())
    }
}

/// [`parse_piece`] through the csv crate, for quoted fields and odd line breaks.
fn parse_csv(
    data: &[u8],
    start: usize,
    end: usize,
    columns: &Columns,
    progress: &mut dyn FnMut(u64),
) -> Result<ChunkRatings, TableError> {
    let lines = Lines(data);
    let base = start as u64;
    let mut csv = csv_reader(&data[start..end]);
    let mut record = csv::ByteRecord::new();
    let mut piece = ChunkRatings::new(end - start);
    while csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(e, lines, base))?
    {
        let Some(fields) = fields(&record, columns, lines, base)? else {
            continue;
        };
        let offset = base + record.position().map_or(0, csv::Position::byte);
        piece.push(fields, offset)?;
        if piece.ratings.len().is_multiple_of(PROGRESS_EVERY) {
            progress(offset - base);
        }
    }
    Ok(piece)
}

/// Joins the pieces in file order into one table, checking that no coder rates a unit twice
/// with different values.
fn merge(
    data: &[u8],
    columns: &Columns,
    header_line: u64,
    mut pieces: Vec<ChunkRatings>,
    level: Level,
) -> Result<Table, TableError> {
    let lines = Lines(data);
    // Names first, so the matrix can be allocated once at its final size.
    if pieces.is_empty() {
        return Err(TableError::NoRatings { line: header_line });
    }
    let names: Vec<[&mut Interner; 3]> = pieces
        .iter_mut()
        .map(|p| [&mut p.units, &mut p.coders, &mut p.values])
        .collect();
    let (units, coders, values, maps) = global_names(names, (false, 1))?;
    let (n_units, n_coders) = (units.len(), coders.len());
    let size = n_units.checked_mul(n_coders).ok_or(TableError::TooLarge)?;
    let mut cells = Vec::new();
    cells
        .try_reserve_exact(size)
        .map_err(|_| TableError::TooLarge)?;
    cells.resize(size, MISSING);
    // Cells hold value indices until the scale is known, then category indices.
    let mut count: u64 = 0;
    for (piece, [unit_ids, coder_ids, value_ids]) in pieces.iter().zip(&maps) {
        for &[u, c, v] in &piece.ratings {
            let (u, c, v) = (
                unit_ids[u as usize],
                coder_ids[c as usize],
                value_ids[v as usize],
            );
            let cell = &mut cells[u as usize * n_coders + c as usize];
            if *cell == MISSING {
                *cell = v;
            } else if *cell != v && !same_value(level, values.bytes(*cell), values.bytes(v)) {
                let (first, second) =
                    conflict_positions(data, columns, level, (&units, u), (&coders, c));
                return Err(TableError::Conflict {
                    line: lines.of_reported(second, 0),
                    first_line: lines.of_reported(first, 0),
                    unit: quote(&units.name(u)),
                    coder: quote(&coders.name(c)),
                    first: quote(&values.name(*cell)),
                    second: quote(&values.name(v)),
                });
            }
        }
        count += piece.ratings.len() as u64;
    }
    if count == 0 {
        return Err(TableError::NoRatings { line: header_line });
    }
    let (categories, remap) = categories_for(&values, level, lines)?;
    for cell in &mut cells {
        if *cell != MISSING {
            *cell = remap[*cell as usize];
        }
    }
    Ok(Table {
        units: units.into_name_list(),
        coders: coders.into_names(),
        matrix: RatingMatrix::from_cells(n_units, n_coders, cells, categories),
        lines: count,
    })
}

/// A rating's unit, coder and value as they appear in the file (trimmed).
type Fields<'r> = (&'r [u8], &'r [u8], &'r [u8]);

/// A record's trimmed unit, coder and value; `None` for a line without a value (no rating).
fn fields<'r>(
    record: &'r csv::ByteRecord,
    columns: &Columns,
    lines: Lines<'_>,
    base: u64,
) -> Result<Option<Fields<'r>>, TableError> {
    let line = || lines.of_record(record, base);
    if record.len() != columns.count {
        return Err(wrong_count(record.len(), columns, line()));
    }
    let all: Vec<&[u8]> = record.iter().collect();
    pick_fields(&all, columns, line)
}

fn wrong_count(found: usize, columns: &Columns, line: u64) -> TableError {
    TableError::Malformed {
        line,
        problem: format!(
            "the line has {} but the header has {}; check for a missing or extra comma, and quote values that contain commas",
            plural(found, "field"),
            columns.count
        ),
    }
}

/// The trimmed unit, coder and value of a record's fields; `line()` numbers an error.
fn pick_fields<'r>(
    record: &[&'r [u8]],
    columns: &Columns,
    line: impl Fn() -> u64,
) -> Result<Option<Fields<'r>>, TableError> {
    if record.len() != columns.count {
        return Err(wrong_count(record.len(), columns, line()));
    }
    let field = |i: usize| record.get(i).map_or(&[][..], |f| f.trim_ascii());
    let (unit, coder, value) = (
        field(columns.unit),
        field(columns.coder),
        field(columns.value),
    );
    if value.is_empty() {
        return Ok(None);
    }
    check_names(unit, coder, line)?;
    Ok(Some((unit, coder, value)))
}

/// The positions of the first rating of a unit by a coder and of the first later one that
/// differs from it, found by reading the table again: only a conflict needs them, so the
/// fast path keeps no positions.
fn conflict_positions(
    data: &[u8],
    columns: &Columns,
    level: Level,
    (units, unit): (&Interner, u32),
    (coders, coder): (&Interner, u32),
) -> (u64, u64) {
    let lines = Lines(data);
    let mut csv = csv_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut first: Option<(u64, Vec<u8>)> = None;
    let mut header = true;
    while let Ok(true) = csv.read_byte_record(&mut record) {
        if std::mem::take(&mut header) {
            continue;
        }
        let Ok(Some((u, c, v))) = fields(&record, columns, lines, 0) else {
            continue;
        };
        if units.get(u) != Some(unit) || coders.get(c) != Some(coder) {
            continue;
        }
        let at = record.position().map_or(0, csv::Position::byte);
        match &first {
            None => first = Some((at, v.to_vec())),
            Some((first_at, first_value)) if !same_value(level, first_value, v) => {
                return (*first_at, at);
            }
            Some(_) => {}
        }
    }
    first.map_or((0, 0), |(at, _)| (at, at))
}
