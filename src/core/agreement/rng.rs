//! SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, well-mixed generator, written inline
//! so the bootstrap is reproducible from a seed without depending on a crate's stream format.

/// Weyl-sequence increment (the golden ratio in 64-bit fixed point).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a bijective scrambler of 64-bit states.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A SplitMix64 generator.
#[derive(Clone, Debug)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting at `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The generator for stream `index` of `seed`.
    ///
    /// The start state is scrambled, so streams of consecutive indices do not overlap as
    /// plain `seed + index` starts would; each bootstrap replicate owns a stream, which makes
    /// results independent of how replicates are spread over threads.
    pub(crate) fn stream(seed: u64, index: u64) -> Self {
        Self::new(mix(
            seed.wrapping_add(index.wrapping_add(1).wrapping_mul(GAMMA))
        ))
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// A number in `0..n` by Lemire's multiply-shift; its bias is below `n / 2^64`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn reference_values() {
        // The widely quoted first outputs of Vigna's splitmix64.c for seed 1234567.
        let mut g = SplitMix64::new(1_234_567);
        assert_eq!(g.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(g.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn below_stays_in_range_and_streams_differ() {
        let mut g = SplitMix64::stream(7, 0);
        assert!((0..1000).all(|_| g.below(13) < 13));
        let a = SplitMix64::stream(7, 0).next_u64();
        let b = SplitMix64::stream(7, 1).next_u64();
        assert_ne!(a, b);
        assert_eq!(a, SplitMix64::stream(7, 0).next_u64());
    }
}
