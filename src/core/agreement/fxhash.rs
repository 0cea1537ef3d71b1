//! A small multiplicative hasher for interning unit, coder and value strings.
//!
//! std's default SipHash resists collision attacks but costs several times more per short
//! key; interning millions of table cells is dominated by hashing, and a CSV the user chose to
//! read is not an adversary. This is the rotate–xor–multiply scheme of Firefox's "FxHash".

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Odd 64-bit multiplier with well-spread bits (from the FxHash scheme).
const MULTIPLIER: u64 = 0x517c_c1b7_2722_0a95;

/// The hasher; see the module documentation.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The low bits of a product depend only on the low bits of its factors, so without
        // this the table index (low bits) of "u123456" would see only "u1" and part of "2"
        // and nearly every unit would collide. Rotating brings the well-mixed high bits down.
        self.hash.rotate_left(26)
    }
}

/// A `HashMap` using [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn equal_keys_hash_equal_and_lengths_matter() {
        let b = BuildHasherDefault::<FxHasher>::default();
        let h = |s: &[u8]| b.hash_one(s);
        assert_eq!(h(b"unit-17"), h(b"unit-17"));
        assert_ne!(h(b"ab"), h(b"ab\0"));
        assert_ne!(h(b"coder_a"), h(b"coder_b"));
        // Keys that differ only in later bytes must still differ in the low (index) bits.
        let low = |s: &[u8]| h(s) & 0xffff;
        let distinct: std::collections::HashSet<u64> = (0..1000)
            .map(|i| low(format!("u1{i:05}").as_bytes()))
            .collect();
        assert!(distinct.len() > 900, "{}", distinct.len());
        let mut m: FxHashMap<Box<[u8]>, u32> = FxHashMap::default();
        m.insert(b"x".to_vec().into_boxed_slice(), 1);
        assert_eq!(m.get(&b"x"[..]), Some(&1));
    }
}
