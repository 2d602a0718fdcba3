//! One seeded generator for everything that needs reproducible "random" data: benchmark fixtures, the
//! load generator's choices, the domain's property tests and the Games simulator (a whole Games is a
//! pure function of its seed).
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

    /// An independent generator for one named stream ("an event", "a NOC's athletes"): draws in one
    /// stream do not depend on how many were taken from another, so adding an event to a simulated
    /// programme leaves every other event as it was.
    pub fn stream(seed: u64, name: &str) -> Self {
        let mut rng = Self::new(seed ^ fnv1a(name.as_bytes()));
        // One draw mixes the seed and the name together before the first real draw.
        rng.next_u64();
        rng
    }

    /// Uniform in `[low, high)`.
    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// About normally distributed, mean 0 and standard deviation 1: the Irwin–Hall sum of four uniforms,
    /// bounded to ±3.46, which keeps every simulated mark inside plausible limits. Only `+`, `*` and a
    /// constant, which IEEE 754 defines exactly, so native and wasm builds draw the same numbers.
    pub fn normal(&mut self) -> f64 {
        let sum = self.unit() + self.unit() + self.unit() + self.unit();
        (sum - 2.0) * SQRT_3
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }
}

/// √3: the Irwin–Hall sum of four uniforms has variance 4/12.
const SQRT_3: f64 = 1.732_050_807_568_877_2;

/// FNV-1a, 64 bits: a stable hash of a stream name (std's hashers may change between releases).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
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

    #[test]
    fn the_same_seed_gives_the_same_sequence_and_streams_are_independent() {
        let draw = |rng: &mut Rng| (0..8).map(|_| rng.next_u64()).collect::<Vec<_>>();
        assert_eq!(draw(&mut Rng::new(7)), draw(&mut Rng::new(7)));
        assert_ne!(draw(&mut Rng::new(7)), draw(&mut Rng::new(8)));
        assert_ne!(
            draw(&mut Rng::stream(7, "ALPMDOWNHILL")),
            draw(&mut Rng::stream(7, "ALPWDOWNHILL"))
        );
    }

    #[test]
    fn draws_stay_in_their_ranges() {
        let mut rng = Rng::new(42);
        let mut sum = 0.0;
        for _ in 0..10_000 {
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
            let n = rng.normal();
            assert!(n.abs() <= 2.0 * SQRT_3 + 1e-9);
            sum += n;
            assert!(rng.below(6) < 6);
        }
        assert!((sum / 10_000.0).abs() < 0.05, "mean {}", sum / 10_000.0);
        let mut items: Vec<u32> = (0..20).collect();
        rng.shuffle(&mut items);
        items.sort_unstable();
        assert_eq!(items, (0..20).collect::<Vec<_>>());
    }
}
