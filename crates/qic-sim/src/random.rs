//! Seeded draws, the same on every machine.
//!
//! `ChaCha8` is a portable generator: a seed gives the same stream of bits on every platform and
//! build. Draws become values only through exact arithmetic (comparisons, sums, the 53-bit
//! conversion to `f64`), never through `exp`, `ln` or `cos`, whose last bits may differ between
//! math libraries; so the files written are byte-identical everywhere.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A stream of draws. Each team gets its own stream of the run's seed, so what one team draws
/// never shifts another team's numbers.
pub(crate) struct Draws(ChaCha8Rng);

impl Draws {
    /// The `stream`-th independent stream of `seed`.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Self(rng)
    }

    /// A uniform draw in [0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// True with probability `p` (clamped to [0, 1]).
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p.clamp(0.0, 1.0)
    }

    /// A binomial draw: successes in `n` trials of probability `p`. Summing Bernoulli draws is
    /// exact and fast enough for the few hundred patients a team sees in a month.
    pub(crate) fn binomial(&mut self, n: u64, p: f64) -> u64 {
        (0..n).map(|_| u64::from(self.chance(p))).sum()
    }

    /// A whole number from `low` to `high`, both included.
    pub(crate) fn whole(&mut self, low: u32, high: u32) -> u32 {
        self.0.random_range(low..=high)
    }

    /// A draw with mean 0 and standard deviation `sd`, close to normal: the Irwin-Hall sum of
    /// twelve uniforms minus six (no transcendental functions, see the module docs).
    pub(crate) fn about_normal(&mut self, sd: f64) -> f64 {
        let sum: f64 = (0..12).map(|_| self.uniform()).sum();
        (sum - 6.0) * sd
    }

    /// One of `items`, chosen with the given weights (which need not sum to 1).
    pub(crate) fn pick<T: Copy>(&mut self, items: &[(T, f64)]) -> Option<T> {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut at = self.uniform() * total;
        for &(item, weight) in items {
            if at < weight {
                return Some(item);
            }
            at -= weight;
        }
        items.last().map(|&(item, _)| item)
    }
}
