//! A small seeded random number generator (SplitMix64), so a whole Games is a pure function of its seed.
//!
//! Hand-written rather than a crate: the sequence must never change under us (a kept progress file
//! names a timeline by its fingerprint), and only `+`, `*`, shifts and `sqrt` are used, which IEEE 754
//! defines exactly, so native and wasm builds draw the same Games.

/// SplitMix64 (Steele, Lea and Flood, 2014): 64 bits of state, passes BigCrush, trivially seedable.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// An independent generator for one named stream ("an event", "a NOC's athletes"): draws in one
    /// stream do not depend on how many were taken from another, so adding an event to the programme
    /// leaves every other event as it was.
    pub fn stream(seed: u64, name: &str) -> Self {
        let mut rng = Self::new(seed ^ fnv1a(name.as_bytes()));
        // One draw mixes the seed and the name together before the first real draw.
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0). The modulo bias is below 2^-40 for the small `n` used here.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// An index into a slice of length `len`.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A float in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A float in `[low, high)`.
    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// About normally distributed, mean 0 and standard deviation 1: the Irwin–Hall sum of four uniforms,
    /// bounded to ±3.46, which keeps every simulated mark inside plausible limits.
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
    fn splitmix_matches_its_reference_values() {
        // The first outputs of SplitMix64 seeded with 0, as published with the algorithm.
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
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
