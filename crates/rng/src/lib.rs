//! One seeded generator for everything that needs reproducible "random" data: benchmark fixtures, the
//! load generator's choices, and (once their owners move to it) the domain's property tests and the
//! Games simulator, which each carry a copy of the same SplitMix64 today.
//!
//! Why not the `rand` crate: a fixture must give the same bytes on every platform and every version, for
//! ever, so that a benchmark's input or a failing seed can be replayed; a dozen lines of SplitMix64 do that
//! with no dependency, in native code and in wasm alike. It is not for anything secret.

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state, one add and two multiply-xorshifts per number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; 0 when `n` is 0. The modulo bias is below 2^-40 for the small `n` used here.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// An index into a slice of length `len`; 0 when `len` is 0.
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// Uniform in `[0, 1)`, from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A new generator whose sequence does not overlap this one's in practice: for one stream per
    /// worker (viewer, reader, feed) from one run seed.
    pub fn fork(&mut self) -> Self {
        Self(self.next_u64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference sequence of SplitMix64 from seed 0, so a change to the generator (and so to every
    /// fixture built from it) cannot go unnoticed.
    #[test]
    fn matches_the_reference_sequence() {
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn unit_and_index_stay_in_range() {
        let mut rng = Rng::new(7);
        for _ in 0..10_000 {
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(rng.index(3) < 3);
        }
        assert_eq!(rng.index(0), 0);
    }
}
