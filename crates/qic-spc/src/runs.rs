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
/// One branch-free pass: the sign of each useful observation either extends the current run
/// or starts a new one.
pub(crate) fn runs_analysis(
    y: &[f64],
    cl: f64,
    flags: &[u8],
    range: Range<usize>,
    with_runs_limits: bool,
) -> RunsStats {
    let mut n_obs = 0usize;
    let mut n_useful = 0usize;
    let mut n_runs = 0usize;
    let mut longest = 0usize;
    let mut current = 0usize;
    let mut previous = 0i8;
    for (&f, &v) in flags[range.clone()].iter().zip(&y[range]) {
        let included = usize::from(f & INCLUDE != 0);
        let d = v - cl;
        let sign = i8::from(d > 0.0) - i8::from(d < 0.0);
        let useful = included & usize::from(sign != 0);
        let same = usize::from(sign == previous);
        n_obs += included;
        n_useful += useful;
        n_runs += useful & (1 - same);
        // A useful point extends the run (same side) or starts one; others leave it as is.
        current = if useful == 1 {
            same * current + 1
        } else {
            current
        };
        previous = if useful == 1 { sign } else { previous };
        longest = longest.max(current);
    }
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
    fn excluded_rows_are_left_out() {
        let y = [1.0, -1.0, 1.0];
        let flags = [INCLUDE, 0, INCLUDE];
        let s = runs_analysis(&y, 0.0, &flags, 0..3, true);
        assert_eq!((s.n_obs, s.n_useful, s.longest_run), (2, 2, Some(2)));
    }
}
