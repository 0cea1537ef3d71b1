//! The fast path for large plain tables: each thread parses a piece of the file straight into
//! a small matrix of its own (its units × its coders), and the pieces are then copied row by
//! row into the final matrix, its rows split between threads.
//!
//! It gives up (returns `None`) at anything unusual — quotes, a bad line, a coder rating a unit
//! twice with different values, a non-number at a numeric level — and the caller then takes the
//! exact path, which finds the first problem in file order and words the error. So this path
//! never reports an error, and where it gives a table it is the one the exact path gives
//! (a test compares the two on random tables).
//!
//! Against the exact path it writes 4 bytes per rating instead of 12 (a local matrix cell
//! instead of a `(unit, coder, value)` triple), which on a virtual machine mostly saves page
//! faults, and the join is a copy of rows, on all cores, mapping values straight to categories.

use super::plain::{Line, for_each_line, is_plain};
use super::{Columns, Lines, Table, categories_for, global_names, header, line_cuts, same_value};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::core::agreement::Level;
use crate::core::agreement::data::{MISSING, RatingMatrix};
use crate::core::agreement::intern::{Interner, Key};

/// The table in `data`, whose body (after the header) starts at `body`, read in at most
/// `threads` pieces of at least `min_bytes`; `None` when the exact path must read it.
pub(super) fn read(
    data: &[u8],
    (columns, body): (&Columns, usize),
    level: Level,
    (threads, min_bytes): (usize, usize),
    progress: &mut dyn FnMut(u64, u64),
) -> Option<Table> {
    // Each piece checks that it is plain; cutting at line ends is right if they all are.
    let cuts: Vec<u64> = line_cuts(data, body, threads, min_bytes)
        .into_iter()
        .map(|c| c as u64)
        .collect();
    let pieces = parse_pieces(
        &cuts,
        data.len() as u64,
        progress,
        |(start, end), progress| {
            let range = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
            ChunkMatrix::parse(data, range, columns, level, progress)
        },
    )?;
    join(data, pieces, level, threads)
}

/// Parses the pieces between consecutive `cuts` with `parse`, one thread each; `None` if any
/// piece is not for the fast path. This thread parses the first piece and reports progress
/// for all of them (scaled to `total`).
fn parse_pieces(
    cuts: &[u64],
    total: u64,
    progress: &mut dyn FnMut(u64, u64),
    parse: impl Fn((u64, u64), &mut dyn FnMut(u64)) -> Option<ChunkMatrix> + Sync,
) -> Option<Vec<ChunkMatrix>> {
    let parse = &parse;
    let mut pieces: Vec<Option<ChunkMatrix>> = Vec::with_capacity(cuts.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .skip(1)
            .map(|w| {
                let range = (w[0], w[1]);
                scope.spawn(move || parse(range, &mut |_| {}))
            })
            .collect();
        let share = (cuts.len() - 1) as u64;
        pieces.push(parse((cuts[0], cuts[1]), &mut |done| {
            progress((done * share).min(total), total);
        }));
        pieces.extend(handles.into_iter().map(|h| h.join().ok().flatten()));
    });
    let pieces = pieces.into_iter().collect::<Option<Vec<_>>>()?;
    progress(total, total);
    Some(pieces)
}

/// Bytes read from a file at a time by each thread.
pub(super) const BLOCK: usize = 1 << 18;

/// [`read`] for the file at `path`, without reading all of it into memory first: each thread
/// reads its own piece, a block at a time, and parses it. The threads share the work of
/// copying the file from the page cache, and no buffer the size of the file is allocated
/// (whose first touch cost a page fault per 4 KB).
///
/// Threads read blocks of `block` bytes ([`BLOCK`] outside tests).
pub(super) fn read_file(
    path: &Path,
    level: Level,
    (threads, min_bytes, block): (usize, usize, usize),
    progress: &mut dyn FnMut(u64, u64),
) -> Option<Table> {
    let mut file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    // The header must end within the first block, at a line end.
    let mut head = vec![0u8; usize::try_from(len).ok()?.min(block.max(BLOCK))];
    file.read_exact(&mut head).ok()?;
    let (columns, _, body) = header(&head).ok()?;
    if body == 0 || body >= head.len() || head[body - 1] != b'\n' {
        return None;
    }
    let cuts = file_cuts(&mut file, (body as u64, len), threads, min_bytes)?;
    let columns = &columns;
    let pieces = parse_pieces(&cuts, len, progress, |range, progress| {
        ChunkMatrix::parse_file(path, range, (columns, level, block), progress)
    })?;
    // No bytes for line numbers: only errors need them, and errors are the exact path's.
    join(&[], pieces, level, threads)
}

/// Where to cut the bytes `body..len` of `file` into at most `pieces` pieces of at least
/// `min_bytes`, at line ends.
fn file_cuts(
    file: &mut File,
    (body, len): (u64, u64),
    pieces: usize,
    min_bytes: usize,
) -> Option<Vec<u64>> {
    let size = len - body;
    let pieces = (pieces as u64).min(size / min_bytes.max(1) as u64).max(1);
    let mut cuts = vec![body];
    let mut probe = vec![0u8; 1 << 16];
    for i in 1..pieces {
        let target = body + size / pieces * i;
        file.seek(SeekFrom::Start(target)).ok()?;
        let got = file.read(&mut probe).ok()?;
        // No line end nearby: a table of very long lines; fewer pieces.
        let Some(nl) = memchr::memchr(b'\n', &probe[..got]) else {
            continue;
        };
        let cut = target + nl as u64 + 1;
        if cut > *cuts.last()? && cut < len {
            cuts.push(cut);
        }
    }
    cuts.push(len);
    Some(cuts)
}

/// One piece of the table: its names, and its ratings as a matrix of local indices.
struct ChunkMatrix {
    units: Interner,
    coders: Interner,
    values: Interner,
    /// Cells per row; at least the number of coders, grown by doubling.
    width: usize,
    /// Row-major, one row per local unit: a local value index or [`MISSING`].
    cells: Vec<u32>,
    /// Lines that gave a rating.
    lines: u64,
}

impl ChunkMatrix {
    fn new() -> Self {
        Self {
            units: Interner::default(),
            coders: Interner::default(),
            values: Interner::default(),
            width: 0,
            cells: Vec::new(),
            lines: 0,
        }
    }

    /// Parses `data[start..end]`; `None` at the first line the fast path does not take.
    fn parse(
        data: &[u8],
        range: (usize, usize),
        columns: &Columns,
        level: Level,
        progress: &mut dyn FnMut(u64),
    ) -> Option<Self> {
        let mut local = Self::new();
        let plain = is_plain(&data[range.0..range.1]);
        (plain && local.feed(data, range, (0, columns, level), progress)).then_some(local)
    }

    /// Adds the lines of `data[start..end]`, which is at byte `base` of the file; `false` at
    /// the first line the fast path does not take. Bytes of `data` after `end` may be read
    /// (to pack a key with one load) but are not parsed.
    fn feed(
        &mut self,
        data: &[u8],
        range: (usize, usize),
        (base, columns, level): (u64, &Columns, Level),
        progress: &mut dyn FnMut(u64),
    ) -> bool {
        for_each_line(data, range, columns, progress, |line| match line {
            Line::Rating([unit, coder, value], at) => {
                let at = base + at as u64;
                let key = |(start, end)| Key::within(data, start, end);
                match (
                    self.units.intern_key(key(unit), at),
                    self.coders.intern_key(key(coder), at),
                    self.values.intern_key(key(value), at),
                ) {
                    (Some(u), Some(c), Some(v)) => self.set(u as usize, c as usize, v, level),
                    _ => false,
                }
            }
            Line::Nothing => true,
            Line::Bad => false,
        })
    }

    /// Parses the bytes `start..end` of the file at `path`, reading them a block at a time.
    fn parse_file(
        path: &Path,
        (start, end): (u64, u64),
        (columns, level, block): (&Columns, Level, usize),
        progress: &mut dyn FnMut(u64),
    ) -> Option<Self> {
        let mut file = File::open(path).ok()?;
        file.seek(SeekFrom::Start(start)).ok()?;
        let mut local = Self::new();
        let mut buffer = vec![0u8; block.max(1)];
        // `buffer[..kept]` is the start of a line that the last block cut off.
        let mut kept = 0;
        let mut pos = start;
        loop {
            let want = usize::try_from(end - pos)
                .map_or(buffer.len(), |left| left.min(buffer.len() - kept));
            file.read_exact(&mut buffer[kept..kept + want]).ok()?;
            pos += want as u64;
            let filled = kept + want;
            let last = pos == end;
            let lines = if last {
                filled
            } else {
                memchr::memrchr(b'\n', &buffer[..filled]).map_or(0, |i| i + 1)
            };
            let base = pos - filled as u64;
            if !is_plain(&buffer[..lines])
                || !local.feed(
                    &buffer[..filled],
                    (0, lines),
                    (base, columns, level),
                    &mut |_| {},
                )
            {
                return None;
            }
            progress(pos - start);
            if last {
                return Some(local);
            }
            buffer.copy_within(lines..filled, 0);
            kept = filled - lines;
            if kept == buffer.len() {
                // A line longer than the buffer.
                buffer.resize(buffer.len() * 2, 0);
            }
        }
    }

    /// Records coder `c`'s value `v` for unit `u`; `false` if the coder gave the unit a
    /// different value before, or if memory runs out (the exact path then says the table is
    /// too large, instead of the process aborting).
    fn set(&mut self, u: usize, c: usize, v: u32, level: Level) -> bool {
        if c >= self.width && !self.widen(c + 1) {
            return false;
        }
        let needed = (u + 1) * self.width;
        if needed > self.cells.len() {
            if self.cells.try_reserve(needed - self.cells.len()).is_err() {
                return false;
            }
            self.cells.resize(needed, MISSING);
        }
        self.lines += 1;
        let cell = &mut self.cells[u * self.width + c];
        if *cell == MISSING {
            *cell = v;
            true
        } else {
            // Keep the first of two spellings of one value (`1`, `1.0`), as the exact path does.
            *cell == v || same_value(level, self.values.bytes(*cell), self.values.bytes(v))
        }
    }

    /// Makes rows at least `needed` cells wide: a coder first seen after some units were.
    ///
    /// While there are few rows they are widened one coder at a time, so the usual table,
    /// whose coders all appear within its first units, gets rows exactly as wide as needed;
    /// later the width doubles, so a late coder costs one copy, not one per coder. `false` if
    /// memory runs out.
    fn widen(&mut self, needed: usize) -> bool {
        let rows = self.cells.len().checked_div(self.width).unwrap_or(0);
        let width = if rows <= 64 {
            needed
        } else {
            needed.max(self.width * 2)
        };
        let mut cells = Vec::new();
        if cells.try_reserve_exact(rows * width).is_err() {
            return false;
        }
        cells.resize(rows * width, MISSING);
        if self.width > 0 {
            for (old, new) in self
                .cells
                .chunks_exact(self.width)
                .zip(cells.chunks_exact_mut(width))
            {
                new[..self.width].copy_from_slice(old);
            }
        }
        self.cells = cells;
        self.width = width;
        true
    }
}

/// A chunk's local indices mapped to the table's.
struct Maps {
    units: Vec<u32>,
    coders: Vec<u32>,
    /// Local value index to category index.
    categories: Vec<u32>,
}

/// Joins the pieces into the table, on `threads` threads.
fn join(data: &[u8], mut pieces: Vec<ChunkMatrix>, level: Level, threads: usize) -> Option<Table> {
    let lines: u64 = pieces.iter().map(|p| p.lines).sum();
    if lines == 0 {
        return None;
    }
    let names: Vec<[&mut Interner; 3]> = pieces
        .iter_mut()
        .map(|p| [&mut p.units, &mut p.coders, &mut p.values])
        .collect();
    let (units, coders, values, maps) = global_names(names, (true, threads)).ok()?;
    // The exact path reports a non-number after any conflict, so it words that error too.
    let (categories, remap) = categories_for(&values, level, Lines(data)).ok()?;
    let maps: Vec<Maps> = maps
        .into_iter()
        .map(|[units, coders, values]| Maps {
            units,
            coders,
            categories: values.iter().map(|&v| remap[v as usize]).collect(),
        })
        .collect();
    let (n_units, n_coders) = (units.len(), coders.len());
    // Zeroed memory comes untouched from the system; each thread marks its own rows missing,
    // so the first touch of the pages (a fault per 4 KB) is shared too. Too large for memory:
    // the exact path says so.
    let size = n_units.checked_mul(n_coders)?;
    Vec::<u32>::new().try_reserve_exact(size).ok()?;
    // `vec!` of zeros asks for zeroed memory (no writes); `resize` would write every cell.
    let mut cells = vec![0u32; size];
    let rows_per_thread = n_units.div_ceil(threads.max(1)).max(1);
    let pieces = &pieces;
    let maps = &maps;
    let all_fit = std::thread::scope(|scope| {
        let handles: Vec<_> = cells
            .chunks_mut(rows_per_thread * n_coders)
            .enumerate()
            .map(|(i, rows)| {
                scope.spawn(move || fill(rows, (i * rows_per_thread, n_coders), pieces, maps))
            })
            .collect();
        handles.into_iter().all(|h| h.join().unwrap_or(false))
    });
    all_fit.then(|| Table {
        units: units.into_name_list(),
        coders: coders.into_names(),
        matrix: RatingMatrix::from_cells(n_units, n_coders, cells, categories),
        lines,
    })
}

/// Copies the pieces' ratings of the units `first_row..` that `rows` holds (`n_coders` cells
/// a row); `false` when two pieces give one coder's rating of a unit different values.
fn fill(
    rows: &mut [u32],
    (first_row, n_coders): (usize, usize),
    pieces: &[ChunkMatrix],
    maps: &[Maps],
) -> bool {
    rows.fill(MISSING);
    let mine = first_row..first_row + rows.len() / n_coders.max(1);
    for (piece, map) in pieces.iter().zip(maps) {
        if piece.width == 0 {
            continue;
        }
        // The piece's own interners may have moved into the table's (see `global_names`):
        // its coders are those the map lists.
        let used = map.coders.len();
        for (local_row, &unit) in piece.cells.chunks_exact(piece.width).zip(&map.units) {
            let unit = unit as usize;
            if !mine.contains(&unit) {
                continue;
            }
            let out = &mut rows[(unit - first_row) * n_coders..][..n_coders];
            for (&value, &coder) in local_row[..used].iter().zip(&map.coders) {
                if value == MISSING {
                    continue;
                }
                let category = map.categories[value as usize];
                let slot = &mut out[coder as usize];
                if *slot == MISSING {
                    *slot = category;
                } else if *slot != category {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::exact::read_in_pieces;
    use super::super::header;
    use super::*;
    use proptest::prelude::*;
    use std::fmt::Write as _;

    /// The fast path's table (if it takes the input) and the exact path's result, both read
    /// in up to three pieces of at least `min_bytes`.
    fn both(text: &str, level: Level, min_bytes: usize) -> (Option<Table>, Result<Table, String>) {
        let data = text.as_bytes();
        let Ok((columns, line, body)) = header(data) else {
            return (None, Err("header".into()));
        };
        let fast = read(
            data,
            (&columns, body),
            level,
            (3, min_bytes),
            &mut |_, _| {},
        );
        let exact = read_in_pieces(
            data,
            (columns, line, body),
            level,
            &mut |_, _| {},
            3,
            min_bytes,
        )
        .map_err(|e| e.to_string());
        (fast, exact)
    }

    /// The streaming reader's table for `text` written to a file, read in up to three pieces
    /// of at least `min_bytes`, in blocks of 64 bytes (so lines are cut by blocks all the time).
    fn from_file(text: &str, level: Level, min_bytes: usize) -> Option<Table> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("table.csv");
        std::fs::write(&path, text).unwrap();
        read_file(&path, level, (3, min_bytes, 64), &mut |_, _| {})
    }

    /// A line of a table: unit and coder from small pools with the oddities real files have
    /// (spaces, a long name), line ends of every kind, and a value that mostly depends on
    /// the unit and coder only (so repeated lines are duplicates, sometimes spelled `2.0`), now
    /// and then empty. Trouble is added by the test.
    fn line() -> impl Strategy<Value = String> {
        let unit = prop_oneof![
            8 => (0..40u32).prop_map(|u| (u, format!("u{u}"))),
            1 => Just((1, " u1 ".to_owned())),
            1 => Just((41, "a-unit-with-a-name-longer-than-sixteen-bytes".to_owned())),
        ];
        let coder = prop_oneof![
            8 => (0..5u32).prop_map(|c| (c, format!("c{c}"))),
            1 => Just((0, "c0 ".to_owned())),
        ];
        let kind = prop_oneof![8 => Just(0u8), 1 => Just(1), 1 => Just(2)];
        let end = prop_oneof![8 => Just("\n"), 1 => Just("\r\n"), 1 => Just("\n\n")];
        (unit, coder, kind, end).prop_map(|((u, unit), (c, coder), kind, end)| {
            let v = 1 + (u + c) % 4;
            let value = match kind {
                0 => v.to_string(),
                1 => format!("{v}.0"),
                _ => String::new(),
            };
            format!("{unit},{coder},{value}{end}")
        })
    }

    proptest! {
        // About seven tables in eight are good (compared cell by cell); the rest have trouble.
        #[test]
        fn the_fast_path_and_read_file_give_the_exact_table_or_leave_it(
            lines in proptest::collection::vec(line(), 1..150),
            level in prop_oneof![Just(Level::Nominal), Just(Level::Interval)],
            min_bytes in prop_oneof![Just(1usize), Just(64), Just(1 << 20)],
            trouble in proptest::option::weighted(0.3, (0usize..150, 0..3usize)),
        ) {
            // One line of trouble in some tables: too few fields, not a number (a label at
            // the nominal level), a value that may conflict.
            let mut lines = lines;
            if level == Level::Nominal {
                // `2` and `2.0` are two labels at the nominal level: that would be a conflict.
                for line in &mut lines {
                    *line = line.replace(".0", "");
                }
            }
            if let Some((at, kind)) = trouble.filter(|&(at, _)| at < lines.len()) {
                lines[at] = ["u1,c1\n", "u2,c2,x\n", "u3,c3,9\n"][kind].to_owned();
            }
            let text = format!("unit,coder,value\n{}", lines.concat());
            let (fast, exact) = both(&text, level, min_bytes);
            // The streaming reader takes exactly the tables the in-memory one takes, and
            // gives the same table for them.
            prop_assert_eq!(&from_file(&text, level, min_bytes), &fast);
            match (&fast, &exact) {
                (Some(fast), Ok(exact)) => prop_assert_eq!(fast, exact),
                (Some(_), Err(e)) => prop_assert!(false, "fast path read a bad table: {}", e),
                // A good table never needs the exact path.
                (None, Ok(_)) => prop_assert!(false, "fast path left a good table"),
                (None, Err(_)) => {}
            }
        }

        #[test]
        fn wide_tables_with_columns_in_another_order_read_alike(
            lines in proptest::collection::vec((0..60usize, 0..40usize, 0..1000u32), 1..200),
            salt in 0..4usize,
            min_bytes in prop_oneof![Just(1usize), Just(128)],
        ) {
            // More coders than the interner scans (it hashes past 32), UTF-8 unit names,
            // labels with inner spaces, and a column the reader ignores. A coder's value for
            // a unit depends only on the two, so repeated lines are duplicates, not conflicts.
            const LABELS: [&str; 4] = ["agree", "strongly agree", "dis agree", "n/a"];
            let mut text = String::from("value, note ,Coder,UNIT\n");
            for (u, c, note) in lines {
                let label = LABELS[(u * 7 + c * 3 + salt) % 4];
                let _ = writeln!(text, "{label},n{note},coder-{c},Einheit-ü{u}");
            }
            let (fast, exact) = both(&text, Level::Nominal, min_bytes);
            prop_assert_eq!(&from_file(&text, Level::Nominal, min_bytes), &fast);
            prop_assert_eq!(fast, Some(exact.unwrap()));
        }
    }

    #[test]
    fn a_file_read_in_small_blocks_gives_the_table_read_whole() {
        // Blocks of 64 bytes: lines are cut by blocks all the time, and the 200-byte unit name
        // is longer than a block. Three pieces.
        let mut text = String::from("unit,coder,value\n");
        let long = "u".repeat(200);
        for u in 0..300 {
            for c in ["ann", "bob", "cy"] {
                if (u + c.len()) % 7 != 0 {
                    let _ = writeln!(text, "unit-{u},{c},{}", (u * c.len()) % 4);
                }
            }
            if u == 150 {
                let _ = writeln!(text, "{long},ann,1\r\n{long},bob,2\n");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("table.csv");
        std::fs::write(&path, &text).unwrap();
        let mut seen = 0;
        let from_file = read_file(&path, Level::Nominal, (3, 1, 64), &mut |done, total| {
            assert!(done <= total);
            seen += 1;
        })
        .unwrap();
        let (_, exact) = both(&text, Level::Nominal, 1);
        assert_eq!(from_file, exact.unwrap());
        assert!(seen > 3, "{seen} progress reports");
        assert_eq!(from_file.units.get(150).as_deref(), Some("unit-150"));

        // The fast path leaves a file with quotes, or a conflict, to the exact path.
        for odd in ["\"u1\",ann,1\n", "unit-1,ann,0\n"] {
            std::fs::write(&path, format!("{text}{odd}")).unwrap();
            assert!(read_file(&path, Level::Nominal, (3, 1, 64), &mut |_, _| {}).is_none());
        }
    }

    #[test]
    fn coders_first_seen_late_widen_the_rows() {
        let mut text = String::from("unit,coder,value\n");
        for u in 0..50 {
            let _ = write!(text, "u{u},a,1\nu{u},b,2\n");
        }
        for c in ["c", "d", "e", "f", "g"] {
            let _ = writeln!(text, "u3,{c},3");
        }
        let (fast, exact) = both(&text, Level::Nominal, 1);
        let fast = fast.unwrap();
        assert_eq!(fast, exact.unwrap());
        assert_eq!((fast.coders.len(), fast.matrix.get(3, 6)), (7, Some(2)));
    }
}
