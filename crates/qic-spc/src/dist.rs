//! The few distribution functions the charts need, written out so the crate has no numeric
//! dependency: the log-gamma function (for the c4 constant of xbar and s charts), an accurate
//! binomial probability (Loader's saddle-point form, as R's `dbinom` uses), the binomial 5th
//! percentile that sets the Anhøj crossings limit, and the Swed–Eisenhart distribution of the
//! number of runs behind the IHI runs rule.

use std::f64::consts::PI;

/// ln(sqrt(2π)).
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Lanczos coefficients (g = 7, n = 9), relative error of Γ about 1e-15.
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// ln Γ(x) for x > 0: the Lanczos approximation of Γ below 15 (relative error about 1e-15,
/// so absolute error of the logarithm about 1e-15), the Stirling series (five terms, error
/// below 1e-17) from 15 on.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::NAN;
    }
    if x < 0.5 {
        // Γ(x) = Γ(x + 1) / x
        return ln_gamma(x + 1.0) - x.ln();
    }
    if x < 15.0 {
        let z = x - 1.0;
        let mut a = LANCZOS[0];
        for (k, c) in LANCZOS.iter().enumerate().skip(1) {
            a += c / (z + k as f64);
        }
        let t = z + 7.5;
        return LN_SQRT_2PI + (z + 0.5) * t.ln() - t + a.ln();
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv
        * (1.0 / 12.0
            - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0 - inv2 / 1188.0))));
    (x - 0.5) * x.ln() - x + LN_SQRT_2PI + series
}

/// The bias-correction constant c4(n) of the sample standard deviation, exact through the
/// log-gamma function; missing (NaN) for n ≤ 1.
pub(crate) fn c4(n: f64) -> f64 {
    if n.is_nan() || n <= 1.0 {
        return f64::NAN;
    }
    (2.0 / (n - 1.0)).sqrt() * (ln_gamma(n / 2.0) - ln_gamma((n - 1.0) / 2.0)).exp()
}

/// ln(n!) for a small whole n, summed exactly enough for `stirlerr`.
fn ln_factorial_small(n: f64) -> f64 {
    let mut sum = 0.0;
    let mut i = 2.0;
    while i <= n {
        sum += f64::ln(i);
        i += 1.0;
    }
    sum
}

/// The error of Stirling's formula, ln(n!) − ((n + ½) ln n − n + ln √(2π)), for whole n ≥ 0.
fn stirlerr(n: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n <= 0.0 {
        return 0.0;
    }
    if n <= 15.0 {
        return ln_factorial_small(n) - (n + 0.5) * n.ln() + n - LN_SQRT_2PI;
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// The deviance term x ln(x / np) + np − x, computed without cancellation when x ≈ np.
// The series stops when a term no longer changes the sum: an exact comparison on purpose.
#[allow(clippy::float_cmp)]
fn bd0(x: f64, np: f64) -> f64 {
    if (x - np).abs() < 0.1 * (x + np) {
        let mut v = (x - np) / (x + np);
        let mut s = (x - np) * v;
        let mut ej = 2.0 * x * v;
        v *= v;
        let mut j = 1.0;
        while j < 1000.0 {
            ej *= v;
            let s1 = s + ej / (2.0 * j + 1.0);
            if s1 == s {
                return s1;
            }
            s = s1;
            j += 1.0;
        }
    }
    x * (x / np).ln() + np - x
}

/// P(X = k) for X ~ Binomial(n, ½), accurate to a few ulps in relative terms for any n.
// k and n are whole numbers, stored exactly.
#[allow(clippy::float_cmp)]
pub(crate) fn binom_half_pmf(k: f64, n: f64) -> f64 {
    if k < 0.0 || k > n {
        return 0.0;
    }
    if k == 0.0 || k == n {
        return (n * 0.5f64.ln()).exp();
    }
    let half = 0.5 * n;
    let lc = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, half) - bd0(n - k, half);
    let lf = (2.0 * PI).ln() + k.ln() + (-k / n).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// P(X ≤ k) for X ~ Binomial(n, ½) with k < n/2: P(X = k) times the sum of the ratios
/// P(X = j)/P(X = k) for j ≤ k, which shrink geometrically, so only O(√n) terms are needed.
fn binom_half_cdf_lower(k: f64, n: f64) -> f64 {
    if k < 0.0 {
        return 0.0;
    }
    let pmf = binom_half_pmf(k, n);
    let mut ratio_sum = 1.0;
    let mut term = 1.0;
    let mut j = k;
    while j > 0.0 {
        // P(X = j-1) / P(X = j) = j / (n - j + 1) when p = ½.
        term *= j / (n - j + 1.0);
        ratio_sum += term;
        if term < ratio_sum * 1e-17 {
            break;
        }
        j -= 1.0;
    }
    pmf * ratio_sum
}

/// The smallest c with P(X ≤ c) ≥ 0.05 for X ~ Binomial(m, ½): R's `qbinom(0.05, m, 0.5)`,
/// the Anhøj lower limit for the number of crossings among m + 1 useful observations.
/// Exact for any m (a search around the normal approximation, each step O(√m)).
pub(crate) fn qbinom_05_half(m: u64) -> u64 {
    if m == 0 {
        return 0;
    }
    // R fuzzes p by 1 − 64ε so that a probability equal to p up to rounding counts as reached.
    let target = 0.05 * (1.0 - 64.0 * f64::EPSILON);
    let n = m as f64;
    let z = -1.644_853_626_951_472_2;
    let mut c = (0.5 * n + z * 0.5 * n.sqrt()).floor().max(0.0);
    // The 5% quantile is below the mean, so the lower-tail sum is valid for every c searched.
    while c > 0.0 && binom_half_cdf_lower(c - 1.0, n) >= target {
        c -= 1.0;
    }
    while binom_half_cdf_lower(c, n) < target {
        c += 1.0;
    }
    // `c` is a non-negative whole number below m here.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let c = c as u64;
    c
}

/// ln of the binomial coefficient C(n, k) for whole 0 ≤ k ≤ n.
// k and n are whole numbers, stored exactly.
#[allow(clippy::float_cmp)]
fn ln_choose(n: f64, k: f64) -> f64 {
    if k < 0.0 || k > n {
        return f64::NEG_INFINITY;
    }
    if k == 0.0 || k == n {
        return 0.0;
    }
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

/// P(R = r) for the number of runs R in a random arrangement of `m1` and `m2` items of two
/// kinds (Swed and Eisenhart 1943).
fn runs_pmf(r: u64, m1: u64, m2: u64) -> f64 {
    if r < 2 || m1 == 0 || m2 == 0 {
        return 0.0;
    }
    let (a, b) = (m1 as f64, m2 as f64);
    let total = ln_choose(a + b, a);
    let k = (r / 2) as f64;
    if r.is_multiple_of(2) {
        (2f64.ln() + ln_choose(a - 1.0, k - 1.0) + ln_choose(b - 1.0, k - 1.0) - total).exp()
    } else {
        (ln_choose(a - 1.0, k - 1.0) + ln_choose(b - 1.0, k) - total).exp()
            + (ln_choose(a - 1.0, k) + ln_choose(b - 1.0, k - 1.0) - total).exp()
    }
}

/// The IHI limits for the number of runs among `useful` observations split evenly about the
/// median (⌊n/2⌋ and ⌈n/2⌉): `(lower, upper)`, where fewer than `lower` runs fall in the lower
/// 2.5% tail of the Swed–Eisenhart distribution and more than `upper` in its upper 5% tail.
/// This convention gives 5 to 12 runs for 16 useful observations, the published checkpoint.
/// Only the window of ±12 standard deviations about the mean is summed (the rest is below
/// 1e-30), so the cost is O(√n).
pub(crate) fn runs_limits(useful: u64) -> Option<(u64, u64)> {
    if useful < 2 {
        return None;
    }
    let m1 = useful / 2;
    let m2 = useful - m1;
    let (a, b) = (m1 as f64, m2 as f64);
    let n = a + b;
    let mean = 2.0 * a * b / n + 1.0;
    let var = 2.0 * a * b * (2.0 * a * b - n) / (n * n * (n - 1.0));
    let reach = 12.0 * var.sqrt() + 3.0;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lo_r = ((mean - reach).floor().max(2.0)) as u64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let hi_r = ((mean + reach).ceil() as u64).min(useful);

    let mut lower = lo_r;
    let mut cumulative = 0.0;
    for r in lo_r..=hi_r {
        cumulative += runs_pmf(r, m1, m2);
        if cumulative > 0.025 {
            lower = r;
            break;
        }
    }
    let mut upper = hi_r;
    let mut cumulative = 0.0;
    for r in (lo_r..=hi_r).rev() {
        cumulative += runs_pmf(r, m1, m2);
        if cumulative > 0.05 {
            upper = r;
            break;
        }
    }
    Some((lower, upper))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn ln_gamma_matches_known_values() {
        assert!(close(ln_gamma(1.0), 0.0, 1e-14));
        assert!(close(ln_gamma(0.5), PI.sqrt().ln(), 1e-14));
        assert!(close(ln_gamma(2.0), 0.0, 1e-14));
        assert!(close(ln_gamma(14.5), 23.862_765_841_689_09, 1e-14));
        assert!(close(ln_gamma(15.5), 26.536_914_491_115_613, 1e-14));
        assert!(close(ln_gamma(10.0), 362_880f64.ln(), 1e-14));
        // lnΓ(100) = ln(99!)
        assert!(close(ln_gamma(100.0), 359.134_205_369_575_4, 1e-15));
        assert!(ln_gamma(0.0).is_nan());
    }

    #[test]
    fn c4_matches_the_textbook_table() {
        // Montgomery, Appendix VI: c4(2) = 0.7979, c4(5) = 0.9400, c4(10) = 0.9727, c4(25) = 0.9896.
        assert!(close(c4(2.0), (2.0 / PI).sqrt(), 1e-14));
        assert!((c4(5.0) - 0.9400).abs() < 5e-5);
        assert!((c4(10.0) - 0.9727).abs() < 5e-5);
        assert!((c4(25.0) - 0.9896).abs() < 5e-5);
        assert!(c4(1.0).is_nan());
        assert!(c4(1e7) < 1.0 && c4(1e7) > 0.999_999);
    }

    #[test]
    fn binomial_pmf_sums_to_one() {
        for n in [1.0, 7.0, 30.0, 101.0] {
            let mut s = 0.0;
            let mut k = 0.0;
            while k <= n {
                s += binom_half_pmf(k, n);
                k += 1.0;
            }
            assert!(close(s, 1.0, 1e-13), "n = {n}: {s}");
        }
    }

    #[test]
    fn crossings_limits_match_the_spec_table() {
        // n.useful: n.crossings.min, from the specification (computed there with R 4.2.2).
        let table = [
            (1, 0),
            (2, 0),
            (5, 0),
            (6, 1),
            (9, 2),
            (12, 3),
            (14, 4),
            (17, 5),
            (19, 6),
            (22, 7),
            (24, 8),
            (27, 9),
            (29, 10),
            (31, 11),
            (34, 12),
            (36, 13),
            (38, 14),
            (41, 15),
            (43, 16),
            (45, 17),
            (48, 18),
            (50, 19),
            (60, 23),
            (70, 28),
            (80, 32),
            (90, 37),
            (100, 41),
            (200, 88),
            (500, 231),
            (1000, 474),
        ];
        for (useful, min) in table {
            assert_eq!(qbinom_05_half(useful - 1), min, "n.useful = {useful}");
        }
    }

    #[test]
    fn crossings_limit_is_exact_for_millions() {
        // Checked against scipy.stats.binom.ppf(0.05, m, 0.5) (see reference/spc_reference.py).
        for (m, c) in [
            (999_999, 499_177),
            (123_456, 61_439),
            (10_000_000, 4_997_399),
        ] {
            let got = qbinom_05_half(m);
            assert_eq!(got, c, "m = {m}");
        }
    }

    #[test]
    fn runs_limits_match_the_checkpoint() {
        assert_eq!(runs_limits(16), Some((5, 12)));
        assert_eq!(runs_limits(1), None);
        let (lo, hi) = runs_limits(1_000_000).unwrap_or((0, 0));
        assert!(lo < 500_001 && hi > 500_001);
    }
}
