//! Byte strings to dense indices, for the unit, coder and value names of a table.
//!
//! Keys of up to 15 bytes (nearly all names in practice) are packed with their length into a
//! `u128`, so comparing and hashing them never calls `memcmp`. Before hashing, two guesses
//! that long tables make right most of the time are tried: the key of the previous line (a
//! unit's ratings listed together) and the key interned right after it, wrapping to the first
//! (coders, or units, listed in the same order each time). One-byte keys (`1`–`5`, `y`) use a direct table.

use super::data::MISSING;
use std::hash::Hasher as _;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use super::fxhash::{FxHashMap, FxHasher};

/// The hash of a packed key.
fn hash_packed(packed: u128) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u128(packed);
    hasher.finish()
}

/// Names and their indices, with where each name was first seen.
pub(crate) struct Interner {
    /// Indices of the packed names, hashed by their packed key: 4 bytes a name (the key is
    /// in `packed`), where a map from key to index took 32 and missed the cache far more
    /// often on tables with hundreds of thousands of units.
    short: HashTable<u32>,
    long: FxHashMap<Box<[u8]>, u32>,
    /// All names end to end: one allocation instead of one per name.
    arena: Vec<u8>,
    /// `arena[ends[i - 1]..ends[i]]` is name `i`.
    ends: Vec<usize>,
    /// Each name packed, or 0 for names too long to pack (no packed key is 0: the length,
    /// at least 1, sits in the top byte).
    packed: Vec<u128>,
    /// Where each name was first seen (the byte position of its record).
    first_offset: Vec<u64>,
    /// The index returned last.
    last: usize,
    /// Index of each one-byte key, or [`MISSING`].
    single: [u32; 256],
    /// Whether names were added by [`Interner::append_final`] (so lookups are not reliable).
    unhashed: bool,
}

impl Default for Interner {
    fn default() -> Self {
        Self {
            short: HashTable::new(),
            long: FxHashMap::default(),
            arena: Vec::new(),
            ends: Vec::new(),
            packed: Vec::new(),
            first_offset: Vec::new(),
            last: 0,
            single: [MISSING; 256],
            unhashed: false,
        }
    }
}

/// `key` and its length in one number, for keys of 1–15 bytes.
fn pack(key: &[u8]) -> Option<u128> {
    if key.is_empty() || key.len() > 15 {
        return None;
    }
    let mut v = (key.len() as u128) << 120;
    for (i, &b) in key.iter().enumerate() {
        v |= u128::from(b) << (8 * i);
    }
    Some(v)
}

/// A name to intern, with its packed form (see [`pack`]) computed once.
#[derive(Clone, Copy)]
pub(crate) struct Key<'a> {
    bytes: &'a [u8],
    /// The packed key, or 0 for a key too long to pack (no packed key is 0). Not an
    /// `Option`: that doubles the size, and keys are passed around for every line of a table.
    packed: u128,
}

impl<'a> Key<'a> {
    /// A key by itself.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            packed: pack(bytes).unwrap_or(0),
        }
    }

    /// `data[start..end]`. When the input goes on for 16 bytes from `start`, the key is packed
    /// by one load and a mask instead of a loop over its bytes, whose varying length made the
    /// loop's exit branch mispredict on most lines of a table.
    #[inline]
    pub(crate) fn within(data: &'a [u8], start: usize, end: usize) -> Self {
        let bytes = &data[start..end];
        let len = bytes.len();
        let packed = match data.get(start..start + 16) {
            Some(window) if (1..=15).contains(&len) => {
                let mut word = [0; 16];
                word.copy_from_slice(window);
                let mask = (1u128 << (8 * len)) - 1;
                (u128::from_le_bytes(word) & mask) | ((len as u128) << 120)
            }
            _ => pack(bytes).unwrap_or(0),
        };
        Self { bytes, packed }
    }
}

/// Interners with at most this many names are searched by a scan of their packed keys,
/// which beats hashing for the handful of coders or values a table has.
const SCAN: usize = 32;

impl Interner {
    /// Makes room for `more` names that are probably new (no rehashing while they are added).
    pub(crate) fn reserve(&mut self, more: usize) {
        let packed = &self.packed;
        self.short
            .reserve(more, |&i| hash_packed(packed[i as usize]));
        self.ends.reserve(more);
        self.packed.reserve(more);
        self.first_offset.reserve(more);
    }

    /// The index of `key`, adding it (first seen at `offset`) if new; `None` once more than
    /// `u32::MAX - 1` names would be needed.
    pub(crate) fn intern(&mut self, key: &[u8], offset: u64) -> Option<u32> {
        self.intern_key(Key::new(key), offset)
    }

    /// [`Interner::intern`] for a key already packed. The guesses are inlined; the rest is
    /// not, so that a table's parser loop stays small.
    #[inline]
    pub(crate) fn intern_key(&mut self, key: Key<'_>, offset: u64) -> Option<u32> {
        if let [byte] = key.bytes {
            let i = self.single[usize::from(*byte)];
            if i != MISSING {
                return Some(i);
            }
        }
        let packed = key.packed;
        if packed != 0 {
            for guess in self.guesses() {
                if self.packed.get(guess) == Some(&packed) {
                    self.last = guess;
                    // Every index fits in u32: `add` refuses more names.
                    return Some(guess as u32);
                }
            }
        }
        self.intern_slowly(key.bytes, packed, offset)
    }

    /// The names a new key most likely is: the last one again (a unit's ratings listed
    /// together), or the next one (coders listed in a fixed order, wrapping to the first).
    #[inline]
    fn guesses(&self) -> [usize; 2] {
        let last = self.last;
        let next = if last + 1 < self.len() { last + 1 } else { 0 };
        [last, next]
    }

    /// [`Interner::intern_key`] when the guesses were wrong.
    #[inline(never)]
    fn intern_slowly(&mut self, key: &[u8], packed: u128, offset: u64) -> Option<u32> {
        let packed = (packed != 0).then_some(packed);
        if packed.is_none() {
            for guess in self.guesses() {
                if guess < self.len() && self.bytes(guess as u32) == key {
                    self.last = guess;
                    return Some(guess as u32);
                }
            }
        }
        let index = match packed {
            // One probe of the table, not a lookup and then an insert: with hundreds of
            // thousands of units each probe is a cache miss.
            Some(p) if self.packed.len() > SCAN => {
                let next = u32::try_from(self.len()).ok().filter(|&i| i != MISSING)?;
                let packed = &self.packed;
                let entry = self.short.entry(
                    hash_packed(p),
                    |&i| packed[i as usize] == p,
                    |&i| hash_packed(packed[i as usize]),
                );
                match entry {
                    Entry::Occupied(e) => *e.get(),
                    Entry::Vacant(e) => {
                        e.insert(next);
                        self.push_name(key, p, offset);
                        next
                    }
                }
            }
            _ => match self.lookup(key, packed) {
                Some(i) => i,
                None => self.add(key, packed, offset)?,
            },
        };
        self.last = index as usize;
        Some(index)
    }

    fn lookup(&self, key: &[u8], packed: Option<u128>) -> Option<u32> {
        debug_assert!(!self.unhashed, "lookup after append_final");
        match packed {
            Some(p) if self.packed.len() <= SCAN => {
                self.packed.iter().position(|&q| q == p).map(|i| i as u32)
            }
            Some(p) => self
                .short
                .find(hash_packed(p), |&i| self.packed[i as usize] == p)
                .copied(),
            None => self.long.get(key).copied(),
        }
    }

    fn add(&mut self, key: &[u8], packed: Option<u128>, offset: u64) -> Option<u32> {
        let i = u32::try_from(self.len()).ok().filter(|&i| i != MISSING)?;
        match packed {
            Some(p) => {
                let all = &self.packed;
                self.short
                    .insert_unique(hash_packed(p), i, |&j| hash_packed(all[j as usize]));
            }
            None => {
                self.long.insert(key.into(), i);
            }
        }
        self.push_name(key, packed.unwrap_or(0), offset);
        Some(i)
    }

    /// Stores a new name (already in the hash table) and what is known of it.
    fn push_name(&mut self, key: &[u8], packed: u128, offset: u64) {
        if let [byte] = key {
            self.single[usize::from(*byte)] = self.len() as u32;
        }
        self.arena.extend_from_slice(key);
        self.ends.push(self.arena.len());
        self.packed.push(packed);
        self.first_offset.push(offset);
    }

    /// The index in `self` of `other`'s name `i`, if it is there.
    pub(crate) fn find(&self, other: &Self, i: u32) -> Option<u32> {
        let packed = other.packed[i as usize];
        self.lookup(other.bytes(i), (packed != 0).then_some(packed))
    }

    /// Adds `other`'s name `i`, known to be new, without entering it in the hash table:
    /// for the last names to be added, when nothing will be looked up any more. `None` once
    /// more than `u32::MAX - 1` names would be needed.
    pub(crate) fn append_final(&mut self, other: &Self, i: u32) -> Option<u32> {
        let index = u32::try_from(self.len()).ok().filter(|&n| n != MISSING)?;
        // A lookup after this could miss the name: make sure none can find a stale answer.
        self.unhashed = true;
        self.push_name(
            other.bytes(i),
            other.packed[i as usize],
            other.first_offset(i),
        );
        Some(index)
    }

    /// The index of a name already interned.
    pub(crate) fn get(&self, key: &[u8]) -> Option<u32> {
        self.lookup(key, pack(key))
    }

    /// Number of names.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Name `i` as bytes.
    pub(crate) fn bytes(&self, i: u32) -> &[u8] {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.arena[start..self.ends[i]]
    }

    /// Where name `i` was first seen.
    pub(crate) fn first_offset(&self, i: u32) -> u64 {
        self.first_offset[i as usize]
    }

    /// Name `i` as text; bytes that are not UTF-8 become U+FFFD.
    pub(crate) fn name(&self, i: u32) -> String {
        String::from_utf8_lossy(self.bytes(i)).into_owned()
    }

    /// All names as text, by index.
    pub(crate) fn into_names(self) -> Vec<String> {
        (0..self.len() as u32).map(|i| self.name(i)).collect()
    }

    /// All names, kept end to end as they are (no allocation per name: a table may have
    /// hundreds of thousands of units whose names a report never shows).
    pub(crate) fn into_name_list(self) -> Names {
        Names {
            arena: self.arena,
            ends: self.ends,
        }
    }
}

/// Names by index, stored end to end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    arena: Vec<u8>,
    ends: Vec<usize>,
}

impl Names {
    /// Number of names.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Name `i` as text (bytes that are not UTF-8 become U+FFFD), if there is one.
    pub fn get(&self, i: usize) -> Option<std::borrow::Cow<'_, str>> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(String::from_utf8_lossy(&self.arena[start..end]))
    }

    /// Every name, in order.
    pub fn to_vec(&self) -> Vec<String> {
        (0..self.len())
            .filter_map(|i| self.get(i).map(std::borrow::Cow::into_owned))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn short_long_and_single_byte_keys() {
        let mut i = Interner::default();
        let long = b"a-unit-name-longer-than-fifteen-bytes";
        assert_eq!(i.intern(long, 10), Some(0));
        assert_eq!(i.intern(b"u", 20), Some(1));
        assert_eq!(i.intern(b"unit-7", 30), Some(2));
        assert_eq!(i.intern(long, 40), Some(0));
        assert_eq!(i.intern(b"u", 50), Some(1));
        assert_eq!(i.intern(b"unit-7", 60), Some(2));
        assert_eq!(i.intern(b"unit-8", 70), Some(3));
        assert_eq!(i.get(b"unit-7"), Some(2));
        assert_eq!(i.get(b"nope"), None);
        assert_eq!((i.first_offset(0), i.first_offset(3)), (10, 70));
        assert_eq!(i.len(), 4);
        assert_eq!(i.name(0), "a-unit-name-longer-than-fifteen-bytes");
        assert_ne!(pack(b"a"), pack(b"a\0"));
        assert_eq!(pack(b""), None);
    }
}
