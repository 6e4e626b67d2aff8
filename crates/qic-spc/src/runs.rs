//! The Anhøj runs analysis of one part (spec §3): useful observations, the longest run and
//! the number of crossings, with their limits.

use std::ops::Range;

use crate::dist::qbinom_05_half;
use crate::result::INCLUDE;

/// The runs statistics of one part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RunsStats {
    pub(crate) n_obs: usize,
    pub(crate) n_useful: usize,
    pub(crate) longest_run: Option<usize>,
    pub(crate) longest_run_max: Option<usize>,
    pub(crate) n_crossings: Option<usize>,
    pub(crate) n_crossings_min: Option<usize>,
    /// The Anhøj signal: a run longer than its limit or fewer crossings than theirs.
    pub(crate) anhoej_signal: bool,
    /// The IHI limits for the number of runs (10 or more useful observations; IHI rules only).
    pub(crate) runs_limits: Option<(usize, usize)>,
}

/// A run of useful observations on one side of the centre line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    /// +1 above, −1 below.
    pub(crate) sign: i8,
    /// First index of the run (0-based, into the whole chart).
    pub(crate) first: usize,
    /// Last index of the run.
    pub(crate) last: usize,
    /// Number of useful observations in the run.
    pub(crate) len: usize,
}

/// The side of the centre line of an included row: `Some(±1)` for a useful observation,
/// `None` for a row on the line, without a value or excluded.
pub(crate) fn useful_sign(y: &[f64], cl: f64, flags: &[u8], i: usize) -> Option<i8> {
    if flags[i] & INCLUDE == 0 {
        return None;
    }
    let d = y[i] - cl;
    if d > 0.0 {
        Some(1)
    } else if d < 0.0 {
        Some(-1)
    } else {
        None
    }
}

/// Calls `f` for each run of useful observations in `range`, in order.
pub(crate) fn for_each_run(
    y: &[f64],
    cl: f64,
    flags: &[u8],
    range: Range<usize>,
    mut f: impl FnMut(Run),
) {
    let mut current: Option<Run> = None;
    for i in range {
        let Some(sign) = useful_sign(y, cl, flags, i) else {
            continue;
        };
        match &mut current {
            Some(run) if run.sign == sign => {
                run.last = i;
                run.len += 1;
            }
            _ => {
                if let Some(run) = current.take() {
                    f(run);
                }
                current = Some(Run {
                    sign,
                    first: i,
                    last: i,
                    len: 1,
                });
            }
        }
    }
    if let Some(run) = current {
        f(run);
    }
}

/// The runs analysis of one part, on its included rows (every row after a freeze as well).
/// (The pipeline feeds a [`RunsCounter`] in its final pass over each part instead.)
#[cfg(test)]
pub(crate) fn runs_analysis(
    y: &[f64],
    cl: f64,
    flags: &[u8],
    range: Range<usize>,
    with_runs_limits: bool,
) -> RunsStats {
    let mut counter = RunsCounter::new(cl);
    for (&f, &v) in flags[range.clone()].iter().zip(&y[range]) {
        counter.push(f & INCLUDE != 0, v);
    }
    counter.finish(with_runs_limits)
}

/// The runs analysis fed one row at a time, so that it can share a pass over the rows with
/// other work. Branch-free: the sign of each useful observation either extends the current run
/// or starts a new one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RunsCounter {
    cl: f64,
    n_obs: usize,
    n_useful: usize,
    n_runs: usize,
    longest: usize,
    current: usize,
    previous: i8,
}

impl RunsCounter {
    /// A counter for a part with this centre line (before `multiply`).
    pub(crate) fn new(cl: f64) -> Self {
        Self {
            cl,
            n_obs: 0,
            n_useful: 0,
            n_runs: 0,
            longest: 0,
            current: 0,
            previous: 0,
        }
    }

    /// The next row of the part: whether it is included, and its value before `multiply`.
    #[inline]
    pub(crate) fn push(&mut self, included: bool, v: f64) {
        let included = usize::from(included);
        let d = v - self.cl;
        let sign = i8::from(d > 0.0) - i8::from(d < 0.0);
        let useful = included & usize::from(sign != 0);
        let same = usize::from(sign == self.previous);
        self.n_obs += included;
        self.n_useful += useful;
        self.n_runs += useful & (1 - same);
        // A useful point extends the run (same side) or starts one; others leave it as is.
        // (Selects, not a product, keep the chain from one row to the next short.)
        let extended = if same == 1 { self.current + 1 } else { 1 };
        self.current = if useful == 1 { extended } else { self.current };
        self.previous = if useful == 1 { sign } else { self.previous };
        self.longest = self.longest.max(self.current);
    }

    /// The next rows of the part, with their flags and values before `multiply`: the same as
    /// [`RunsCounter::push`] on each row, faster. Rows go 64 at a time; when all of them are
    /// useful (included, with a value off the centre line, as with most measured data), the
    /// runs are read from a bit mask of the rows above the line (a few bit operations per 64
    /// rows) instead of a chain of selects from row to row.
    /// `all_included` tells that no row is excluded (the flags need not be read then).
    pub(crate) fn push_all(&mut self, flags: &[u8], values: &[f64], all_included: bool) {
        // The state in a local, so that it stays in registers through the loops.
        let mut counter = *self;
        let cl = counter.cl;
        for (flags, values) in flags.chunks(64).zip(values.chunks(64)) {
            let rows = values.len().min(flags.len());
            // Bit masks of the rows above the line and of the rows off it: selects of whole
            // 64-bit words, which the compiler vectorises (d > 0 is v > cl, d < 0 is v < cl).
            let mut above = 0u64;
            let mut off = 0u64;
            for (&v, &bit) in values.iter().zip(&BITS) {
                // Masks, not `if`: the compiler would make branches of those, mispredicted
                // half the time on random data.
                let (high, low) = (v > cl, v < cl);
                above |= bit & u64::from(high).wrapping_neg();
                off |= bit & u64::from(high | low).wrapping_neg();
            }
            let all = u64::MAX >> (64 - rows.max(1));
            if rows > 0 && all_included && off == all {
                counter.push_useful_word(above, rows);
            } else {
                for (&f, &v) in flags.iter().zip(values) {
                    counter.push(f & INCLUDE != 0, v);
                }
            }
        }
        *self = counter;
    }

    /// `rows` (1 to 64) useful rows, bit j of `above` set when row j is above the line.
    #[inline]
    fn push_useful_word(&mut self, above: u64, rows: usize) {
        let all = u64::MAX >> (64 - rows);
        // Bit j set where row j starts a run: its side differs from the row before (for the
        // first row, from the last useful row so far; none counts as a difference).
        let before = (above << 1) | u64::from(self.previous > 0);
        let mut starts = (above ^ before) & all;
        if self.previous == 0 {
            starts |= 1;
        }
        self.n_obs += rows;
        self.n_useful += rows;
        self.n_runs += starts.count_ones() as usize;
        self.previous = if (above >> (rows - 1)) & 1 == 1 {
            1
        } else {
            -1
        };
        if starts == 0 {
            // Every row extends the current run.
            self.current += rows;
            self.longest = self.longest.max(self.current);
            return;
        }
        // The rows before the first start extend the current run; the last start begins the
        // run that is current at the end.
        let first = starts.trailing_zeros() as usize;
        let last = 63 - starts.leading_zeros() as usize;
        self.longest = self.longest.max(self.current + first);
        self.current = rows - last;
        // The runs that start here: a run of length L is a start followed by L − 1 rows that
        // continue it, and each `x & (x >> 1)` shortens every streak of continuing rows by one.
        let mut continuing = !starts & all & !((1u64 << first) - 1);
        let mut streak = 0;
        while continuing != 0 {
            continuing &= continuing >> 1;
            streak += 1;
        }
        self.longest = self.longest.max(streak + 1);
    }

    /// The statistics and their limits; the IHI runs limits when asked.
    pub(crate) fn finish(self, with_runs_limits: bool) -> RunsStats {
        let Self {
            n_obs,
            n_useful,
            n_runs,
            longest,
            ..
        } = self;
        if n_useful == 0 {
            return RunsStats {
                n_obs,
                n_useful,
                longest_run: None,
                longest_run_max: None,
                n_crossings: None,
                n_crossings_min: None,
                anhoej_signal: false,
                runs_limits: None,
            };
        }
        // log2 of a whole number is never exactly k + ½, so the rounding mode does not matter.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let longest_run_max = (n_useful as f64).log2().round() as usize + 3;
        let n_crossings = n_runs - 1;
        let n_crossings_min =
            usize::try_from(qbinom_05_half(n_useful as u64 - 1)).unwrap_or(usize::MAX);
        let runs_limits = if with_runs_limits && n_useful >= 10 {
            crate::dist::runs_limits(n_useful as u64).map(|(lo, hi)| {
                (
                    usize::try_from(lo).unwrap_or(usize::MAX),
                    usize::try_from(hi).unwrap_or(usize::MAX),
                )
            })
        } else {
            None
        };
        RunsStats {
            n_obs,
            n_useful,
            longest_run: Some(longest),
            longest_run_max: Some(longest_run_max),
            n_crossings: Some(n_crossings),
            n_crossings_min: Some(n_crossings_min),
            anhoej_signal: longest > longest_run_max || n_crossings < n_crossings_min,
            runs_limits,
        }
    }
}

/// 1 << j for each j below 64.
const BITS: [u64; 64] = {
    let mut bits = [0u64; 64];
    let mut j = 0;
    while j < 64 {
        bits[j] = 1 << j;
        j += 1;
    }
    bits
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::BASELINE;

    fn analyse(y: &[f64], cl: f64) -> RunsStats {
        let flags = vec![BASELINE | INCLUDE; y.len()];
        runs_analysis(y, cl, &flags, 0..y.len(), true)
    }

    #[test]
    fn points_on_the_centre_line_neither_break_nor_extend_a_run() {
        // Signs: + + 0 + − − NaN − : runs (+ x3), (− x3): longest 3, one crossing.
        let s = analyse(&[2.0, 3.0, 1.0, 4.0, 0.0, -1.0, f64::NAN, 0.5], 1.0);
        assert_eq!(s.n_obs, 8);
        assert_eq!(s.n_useful, 6);
        assert_eq!(s.longest_run, Some(3));
        assert_eq!(s.n_crossings, Some(1));
        assert_eq!(s.longest_run_max, Some(6)); // round(log2 6) + 3 = 3 + 3
        assert_eq!(s.n_crossings_min, Some(1)); // qbinom(0.05, 5, 0.5)
        assert!(!s.anhoej_signal);
    }

    #[test]
    fn a_long_shift_signals() {
        let mut y = vec![-1.0; 10];
        y.extend([1.0; 10]);
        let s = analyse(&y, 0.0);
        assert_eq!((s.longest_run, s.longest_run_max), (Some(10), Some(7)));
        assert_eq!((s.n_crossings, s.n_crossings_min), (Some(1), Some(6)));
        assert!(s.anhoej_signal);
    }

    #[test]
    fn no_useful_observations_give_missing_statistics() {
        let s = analyse(&[1.0, 1.0, f64::NAN], 1.0);
        assert_eq!(s.n_obs, 3);
        assert_eq!(s.n_useful, 0);
        assert_eq!(s.longest_run, None);
        assert!(!s.anhoej_signal);
    }

    #[test]
    fn rows_in_words_count_as_rows_one_by_one() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for case in 0..400 {
            let len = (next() % 700) as usize;
            // Long runs in some cases, points on the line, missing and excluded rows in others.
            let stickiness = next() % 4;
            let mut side = 1.0;
            let y: Vec<f64> = (0..len)
                .map(|_| {
                    if next() % 8 >= stickiness * 2 {
                        side = -side;
                    }
                    match next() % 200 {
                        0 if case % 3 == 0 => f64::NAN,
                        1 if case % 3 == 0 => 0.0,
                        _ => side * (1.0 + (next() % 5) as f64),
                    }
                })
                .collect();
            let flags: Vec<u8> = (0..len)
                .map(|_| {
                    if case % 5 == 0 && next() % 50 == 0 {
                        BASELINE
                    } else {
                        BASELINE | INCLUDE
                    }
                })
                .collect();
            let mut one_by_one = RunsCounter::new(0.0);
            for (&f, &v) in flags.iter().zip(&y) {
                one_by_one.push(f & INCLUDE != 0, v);
            }
            let mut in_words = RunsCounter::new(0.0);
            // Uneven pieces, so that words start anywhere.
            let mut start = 0;
            while start < len {
                let end = (start + 1 + (next() % 300) as usize).min(len);
                let all_included = flags[start..end].iter().all(|&f| f & INCLUDE != 0);
                in_words.push_all(&flags[start..end], &y[start..end], all_included);
                start = end;
            }
            assert_eq!(
                in_words.finish(true),
                one_by_one.finish(true),
                "case {case}"
            );
        }
    }

    #[test]
    fn excluded_rows_are_left_out() {
        let y = [1.0, -1.0, 1.0];
        let flags = [INCLUDE, 0, INCLUDE];
        let s = runs_analysis(&y, 0.0, &flags, 0..3, true);
        assert_eq!((s.n_obs, s.n_useful, s.longest_run), (2, 2, Some(2)));
    }
}
