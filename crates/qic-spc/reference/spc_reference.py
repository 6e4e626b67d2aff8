#!/usr/bin/env python3
"""Independent reference implementation of the qic SPC specification (shared/spc-spec.md),
written from the specification in the style of R (vectors, masks), not from the Rust code.

It writes the parity fixtures under crates/qic-spc/tests/fixtures/, which the integration
test `parity` compares with qic-spc to 1e-9. CI does not run this script; run it by hand
after changing the specification or adding a case:

    pip install numpy scipy
    python3 crates/qic-spc/reference/spc_reference.py

Where qic deliberately differs from qicharts2 (documented in the crate docs), this script
follows qic and says so in a comment marked QIC-DIFF; fixtures whose names end in `_qic`
exercise those differences. Every other fixture is what qicharts2 0.8.1 computes, attached
with library(qicharts2) (screened moving ranges) unless the case says otherwise.

The data come from a re-implementation of R's default random number generator
(Mersenne-Twister seeded by set.seed, normals by inversion), checked below against the
qicharts2 vignette, which prints the summary of an I chart of set.seed(19); rnorm(24).
"""

import json
import math
import os
import sys

import numpy as np
from scipy.special import gammaln, ndtri
from scipy.stats import binom

NA = float("nan")


# --------------------------------------------------------------------------------------------
# R's random numbers (set.seed, runif, rnorm, rpois, rexp) for reproducible data sets.

class RRng:
    def __init__(self, seed):
        s = seed & 0xFFFFFFFF
        for _ in range(50):
            s = (69069 * s + 1) & 0xFFFFFFFF
        seeds = []
        for _ in range(625):
            s = (69069 * s + 1) & 0xFFFFFFFF
            seeds.append(s)
        self.bg = np.random.MT19937()
        self.bg.state = {"bit_generator": "MT19937",
                         "state": {"key": np.array(seeds[1:], dtype=np.uint32), "pos": 624}}

    def unif(self):
        v = int(self.bg.random_raw()) * 2.3283064365386963e-10
        if v <= 0.0:
            return 0.5 * 2.328306437080797e-10
        if 1.0 - v <= 0.0:
            return 1.0 - 0.5 * 2.328306437080797e-10
        return v

    def norm(self, mean=0.0, sd=1.0):
        big = 134217728
        u = self.unif()
        u = int(big * u) + self.unif()
        return mean + sd * float(ndtri(u / big))

    def exp(self, rate=1.0):
        # Inversion (not R's algorithm; only used to make data, never compared with R).
        return -math.log(self.unif()) / rate

    def pois(self, lam):
        # Knuth's method (again only to make data).
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.unif()
            if p <= limit:
                return k
            k += 1


# --------------------------------------------------------------------------------------------
# Helpers with R semantics.

def mean_na(v):
    v = np.asarray(v, dtype=float)
    v = v[~np.isnan(v)]
    return float(v.mean()) if v.size else NA


def sum_na(v):
    v = np.asarray(v, dtype=float)
    return float(v[~np.isnan(v)].sum())


def median_na(v):
    v = np.asarray(v, dtype=float)
    v = v[~np.isnan(v)]
    return float(np.median(v)) if v.size else NA


def sd_strict(v):
    v = np.asarray(v, dtype=float)
    if v.size < 2 or np.isnan(v).any():
        return NA
    return float(np.std(v, ddof=1))


def amr(values, screened):
    """Average moving range of `values` in order; NaN values give NaN ranges (ignored)."""
    v = np.asarray(values, dtype=float)
    mr = np.abs(np.diff(v))
    a = mean_na(mr)
    if screened:
        keep = mr[mr < 3.267 * a] if not math.isnan(a) else np.array([])
        a = mean_na(keep)
    return a


def c4(n):
    n = np.asarray(n, dtype=float)
    out = np.full(n.shape, NA)
    ok = n > 1
    m = n[ok]
    out[ok] = np.sqrt(2 / (m - 1)) * np.exp(gammaln(m / 2) - gammaln((m - 1) / 2))
    return out


def qbinom05(size):
    return int(binom.ppf(0.05, size, 0.5)) if size > 0 else 0


# --------------------------------------------------------------------------------------------
# Aggregation (spec §1 steps 2-3).

def aggregate(rows, got_n):
    """rows: list of (x, y, n) with None for missing. Returns a list of subgroup dicts."""
    rows = [r for r in rows if r[0] is not None]
    if got_n:
        rows = [(x, y, n) if (y is not None and n is not None) else (x, None, None)
                for x, y, n in rows]
    keys = sorted({r[0] for r in rows})
    groups = []
    for k in keys:
        g = [r for r in rows if r[0] == k]
        ys = [r[1] for r in g if r[1] is not None]
        ns = [r[2] for r in g if r[2] is not None]
        # QIC-DIFF: a subgroup whose values are all missing has no sum (R: 0 for several rows).
        y_sum = sum(ys) if ys else NA
        n_sum = sum(ns) if ns else NA
        y_len = len(ys)
        y_mean = sum(ys) / len(ys) if ys else NA
        y_sd = float(np.std(ys, ddof=1)) if len(ys) > 1 else NA
        if got_n:
            # QIC-DIFF: a zero total denominator gives no value (R: k/0 = Inf).
            y = (sum(ys) / sum(ns)) if (ns and sum(ns) != 0) else NA
        else:
            y = y_mean
        groups.append(dict(x=k, y_sum=y_sum, n=n_sum, y_len=y_len, y_mean=y_mean, y_sd=y_sd, y=y))
    return groups


# --------------------------------------------------------------------------------------------
# Chart functions (spec §2), each on one part (dict of numpy arrays) with base mask.

def limits_const(d, cl, sigma):
    m = len(d["y"])
    d["cl"] = np.full(m, cl)
    d["lcl"] = np.full(m, cl - 3 * sigma)
    d["ucl"] = np.full(m, cl + 3 * sigma)
    d["lcl95"] = np.full(m, cl - 2 * sigma)
    d["ucl95"] = np.full(m, cl + 2 * sigma)


def clamp_low(d):
    for k in ("lcl", "lcl95"):
        v = d[k]
        v[np.isfinite(v) & (v < 0)] = 0.0


def clamp_high(d):
    for k in ("ucl", "ucl95"):
        v = d[k]
        v[np.isfinite(v) & (v > 1)] = 1.0


def qic_i(d, base, opt):
    y = d["y"]
    cl = opt["centre"] if opt["centre"] is not None else mean_na(y[base])
    a = amr(y[base] - cl, opt["screened"])
    stdev = a / 1.128
    limits_const(d, cl, stdev)


def qic_chart(chart, d, base, opt):
    y = d["y"]
    m = len(y)
    centre = opt["centre"]
    if chart == "run":
        cl = centre if centre is not None else median_na(y[base])
        d["cl"] = np.full(m, cl)
        for k in ("lcl", "ucl", "lcl95", "ucl95"):
            d[k] = np.full(m, NA)
    elif chart == "i":
        qic_i(d, base, opt)
    elif chart == "mr":
        d["y"] = np.concatenate([[NA], np.abs(np.diff(y))])
        cl = centre if centre is not None else mean_na(d["y"][base])
        d["cl"] = np.full(m, cl)
        d["lcl"] = np.zeros(m)
        d["lcl95"] = np.zeros(m)
        d["ucl"] = np.full(m, 3.267 * cl)
        d["ucl95"] = np.full(m, (3.267 / 3) * 2 * cl)
    elif chart in ("xbar", "s"):
        n = d["y_len"].astype(float)
        sd = d["y_sd"]
        var_n = len(np.unique(n)) > 1
        if var_n:
            num = np.nansum(((n - 1) * sd ** 2)[base])
            den = np.sum((n - 1)[base])
            stdev = math.sqrt(num / den) if den != 0 else NA
        else:
            stdev = mean_na(sd[base])
        c4n = c4(n)
        if chart == "xbar":
            cl = centre if centre is not None else np.nansum((n * d["y_mean"])[base]) / np.sum(n[base])
            a3 = 3 / (c4n * np.sqrt(n))
            a2 = 2 / (c4n * np.sqrt(n))
            d["cl"] = np.full(m, cl)
            d["ucl"] = cl + a3 * stdev
            d["lcl"] = cl - a3 * stdev
            d["ucl95"] = cl + a2 * stdev
            d["lcl95"] = cl - a2 * stdev
        else:
            d["y"] = sd.copy()
            cl = centre if centre is not None else stdev
            c5n = np.sqrt(1 - c4n ** 2)
            d["cl"] = np.full(m, cl)
            d["ucl"] = (1 + 3 * c5n / c4n) * cl
            d["ucl95"] = (1 + 2 * c5n / c4n) * cl
            # np.maximum keeps NaN, as R's pmax does.
            d["lcl"] = np.maximum(0.0, 1 - 3 * c5n / c4n) * cl
            d["lcl95"] = np.maximum(0.0, 1 - 2 * c5n / c4n) * cl
    elif chart == "t":
        d["y"] = y ** (1 / 3.6)
        # QIC-DIFF: a user centre is given in the original units and transformed with the data.
        o = dict(opt)
        if centre is not None:
            o["centre"] = centre ** (1 / 3.6)
        qic_i(d, base, o)
        with np.errstate(invalid="ignore"):
            for k in ("y", "cl", "ucl", "ucl95", "lcl", "lcl95"):
                v = d[k]
                out = np.full(v.shape, NA)
                ok = ~np.isnan(v) & (v >= 0)
                out[ok] = v[ok] ** 3.6
                d[k] = out
        lcl = d["lcl"]
        lcl[np.isnan(lcl) | (lcl < 0)] = 0.0
    elif chart in ("p", "pp", "u", "up"):
        n = d["n"]
        cl = centre if centre is not None else sum_na(d["y_sum"][base]) / sum_na(n[base])
        with np.errstate(divide="ignore", invalid="ignore"):
            if chart in ("p", "pp"):
                stdev = np.sqrt(cl * (1 - cl) / n)
            else:
                stdev = np.sqrt(cl / n)
            if chart in ("pp", "up"):
                z = (y[base] - cl) / stdev[base]
                if opt["labels"]:
                    sz = sd_strict(z)
                else:
                    sz = amr(z, opt["screened"]) / 1.128
                stdev = stdev * sz
        d["cl"] = np.full(m, cl)
        d["ucl"] = cl + 3 * stdev
        d["ucl95"] = cl + 2 * stdev
        d["lcl"] = cl - 3 * stdev
        d["lcl95"] = cl - 2 * stdev
        clamp_low(d)
        if chart in ("p", "pp"):
            clamp_high(d)
    elif chart == "c":
        d["y"] = d["y_sum"].copy()
        cl = centre if centre is not None else mean_na(d["y"][base])
        limits_const(d, cl, math.sqrt(cl) if not math.isnan(cl) else NA)
        clamp_low(d)
    elif chart == "g":
        mm = centre if centre is not None else mean_na(y[base])
        limits_const(d, mm, math.sqrt(mm * (mm + 1)) if not math.isnan(mm) else NA)
        clamp_low(d)
        shown = 0.693 * centre if centre is not None else median_na(y[base])
        d["cl"] = np.full(m, shown)
    else:
        raise ValueError(chart)


# --------------------------------------------------------------------------------------------
# Runs analysis (spec §3).

def runs_analysis(y, cl, include):
    yy = y[include]
    cc = cl[include]
    with np.errstate(invalid="ignore"):
        s = np.sign(yy - cc)
    s = s[~np.isnan(s) & (s != 0)]
    n_obs = int(include.sum())
    n_useful = int(s.size)
    if n_useful == 0:
        return dict(n_obs=n_obs, n_useful=0, longest_run=None, longest_run_max=None,
                    n_crossings=None, n_crossings_min=None, runs_signal=False)
    lengths = []
    cur = 1
    for a, b in zip(s[:-1], s[1:]):
        if a == b:
            cur += 1
        else:
            lengths.append(cur)
            cur = 1
    lengths.append(cur)
    longest = max(lengths)
    lrm = int(round(math.log2(n_useful))) + 3
    nc = len(lengths) - 1
    ncm = qbinom05(n_useful - 1)
    return dict(n_obs=n_obs, n_useful=n_useful, longest_run=longest, longest_run_max=lrm,
                n_crossings=nc, n_crossings_min=ncm, runs_signal=bool(longest > lrm or nc < ncm))


# --------------------------------------------------------------------------------------------
# The pipeline (spec §1).

def qic(chart, rows, got_n, freeze=None, parts=(), exclude=(), multiply=1.0, screened=True,
        y_neg=True, centre=None, labels=False):
    groups = aggregate(rows, got_n)
    N = len(groups)
    col = lambda k: np.array([g[k] for g in groups], dtype=float)
    y = col("y")
    breaks = sorted({0, *[p for p in parts if 0 <= p < N]})
    part = np.zeros(N, dtype=int)
    for k, b in enumerate(breaks):
        part[b:] = k + 1
    xx = np.arange(1, N + 1)
    # QIC-DIFF: freeze applies inside each part (R ignores freeze when parts are given).
    baseline = np.ones(N, dtype=bool)
    if freeze is not None:
        for k in range(1, len(breaks) + 1):
            idx = np.where(part == k)[0]
            baseline[idx[freeze:]] = False
    include = ~np.isin(xx, list(exclude))
    out = dict(y=np.full(N, NA), cl=np.full(N, NA), lcl=np.full(N, NA), ucl=np.full(N, NA),
               lcl95=np.full(N, NA), ucl95=np.full(N, NA))
    summaries = []
    opt = dict(centre=centre, screened=screened, labels=labels)
    for k in range(1, len(breaks) + 1):
        idx = np.where(part == k)[0]
        d = dict(y=y[idx].copy(), y_sum=col("y_sum")[idx], n=col("n")[idx],
                 y_len=col("y_len")[idx], y_mean=col("y_mean")[idx], y_sd=col("y_sd")[idx])
        base = baseline[idx] & include[idx]
        qic_chart(chart, d, base, opt)
        ra = runs_analysis(d["y"], d["cl"], include[idx])
        for key in out:
            out[key][idx] = d[key]
        summaries.append((k, idx, ra))
    for key in out:
        v = out[key] * multiply
        v[~np.isfinite(v)] = NA
        out[key] = v
    with np.errstate(invalid="ignore"):
        sigma = (out["y"] > out["ucl"]) | (out["y"] < out["lcl"])
    if chart == "mr" or labels:
        for s in summaries:
            s[2]["runs_signal"] = False
    if not y_neg:
        yy = out["y"][~np.isnan(out["y"])]
        if yy.size == 0 or yy.min() >= 0:
            for key in ("lcl", "lcl95"):
                v = out[key]
                v[v < 0] = 0.0

    def num(v):
        return None if (v is None or (isinstance(v, float) and math.isnan(v))) else float(v)

    points = []
    for i in range(N):
        points.append(dict(
            y=num(out["y"][i]), cl=num(out["cl"][i]), lcl=num(out["lcl"][i]),
            ucl=num(out["ucl"][i]), lcl_95=num(out["lcl95"][i]), ucl_95=num(out["ucl95"][i]),
            sigma_signal=bool(sigma[i]), part=int(part[i]), baseline=bool(baseline[i]),
            include=bool(include[i])))
    summary = []
    for k, idx, ra in summaries:
        summary.append(dict(
            part=k, n_obs=ra["n_obs"], n_useful=ra["n_useful"], longest_run=ra["longest_run"],
            longest_run_max=ra["longest_run_max"], n_crossings=ra["n_crossings"],
            n_crossings_min=ra["n_crossings_min"], runs_signal=ra["runs_signal"],
            sigma_signal_count=int(sigma[idx].sum()),
            cl=num(mean_na(out["cl"][idx])), a_lcl=num(mean_na(out["lcl"][idx])),
            a_ucl=num(mean_na(out["ucl"][idx])), a_lcl_95=num(mean_na(out["lcl95"][idx])),
            a_ucl_95=num(mean_na(out["ucl95"][idx]))))
    return points, summary


# --------------------------------------------------------------------------------------------
# Cases.

def vignette_y():
    r = RRng(19)
    y = [r.norm() for _ in range(24)]
    y[21] = 4.0
    y[12:24] = [r.norm(2.0) for _ in range(12)]
    return y


def check_vignette():
    """The qicharts2 vignette prints: CL 1.057091, aLCL -2.114884, aLCL.95 -1.057559,
    aUCL.95 3.171742, aUCL 4.229067, longest run 13 (max 8), crossings 4 (min 8)."""
    y = vignette_y()
    pts, summ = qic("i", [(i + 1, v, None) for i, v in enumerate(y)], False)
    s = summ[0]
    printed = dict(cl=1.057091, a_lcl=-2.114884, a_lcl_95=-1.057559, a_ucl_95=3.171742,
                   a_ucl=4.229067)
    for k, v in printed.items():
        assert abs(s[k] - v) < 5e-7, (k, s[k], v)
    assert (s["longest_run"], s["longest_run_max"], s["n_crossings"], s["n_crossings_min"]) == (13, 8, 4, 8)


def case(name, chart, rows, got_n=False, note="", **opts):
    pts, summ = qic(chart, rows, got_n, **opts)
    xs = [r[0] for r in rows]
    inp = dict(chart=chart, x=xs, y=[r[1] for r in rows])
    if got_n:
        inp["n"] = [r[2] for r in rows]
    options = {}
    for k in ("freeze", "parts", "exclude", "multiply", "centre"):
        v = opts.get(k)
        if v is not None and v != () and not (k == "multiply" and v == 1.0):
            options[k] = list(v) if isinstance(v, (tuple, list)) else v
    if opts.get("screened") is False:
        options["screened_mr"] = False
    if opts.get("y_neg") is False:
        options["negative_limits"] = False
    return dict(name=name, note=note, input=inp, options=options, points=pts, summary=summ)


def rows_xy(y, x=None):
    x = x or list(range(1, len(y) + 1))
    return [(xi, (None if yi is None else float(yi)), None) for xi, yi in zip(x, y)]


def build_cases():
    cases = []
    r = RRng(19)
    y24 = [r.norm() for _ in range(24)]
    cases.append(case("run_rnorm24", "run", rows_xy(y24),
                      note="set.seed(19); rnorm(24): the vignette's first run chart"))
    cases.append(case("i_vignette_shift", "i", rows_xy(vignette_y()),
                      note="the vignette's I chart with a shift; printed summary checked"))

    r = RRng(7)
    y30 = [r.norm(10, 1) for _ in range(30)]
    y30[8] = 19.0
    y30[21] = 2.5
    cases.append(case("i_outliers_screened_n30", "i", rows_xy(y30)))
    cases.append(case("i_outliers_unscreened_n30", "i", rows_xy(y30), screened=False))
    cases.append(case("i_freeze_exclude", "i", rows_xy(y30), freeze=20, exclude=(9, 22)))
    y_miss = list(y30)
    y_miss[3] = None
    y_miss[4] = None
    y_miss[17] = None
    cases.append(case("i_missing_values", "i", rows_xy(y_miss)))
    cases.append(case("mr_freeze", "mr", rows_xy(y30), freeze=20))
    cases.append(case("i_centre_multiply", "i", rows_xy(y30), centre=10.0, multiply=2.5))
    r = RRng(3)
    ypos = [abs(r.norm(2, 1.5)) for _ in range(20)]
    cases.append(case("i_no_negative_limits", "i", rows_xy(ypos), y_neg=False))

    # xbar and s: several rows per subgroup, given out of order, with varying sizes.
    r = RRng(11)
    rows = []
    for sg in range(1, 26):
        size = 3 + (sg * 7) % 5
        for _ in range(size):
            rows.append((sg, r.norm(74.0, 0.01), None))
    rows[5] = (rows[5][0], None, None)  # a missing value
    order = list(range(len(rows)))
    rr = RRng(5)
    for i in range(len(order) - 1, 0, -1):
        j = int(rr.unif() * (i + 1))
        order[i], order[j] = order[j], order[i]
    rows_shuffled = [rows[i] for i in order]
    cases.append(case("xbar_varying_n", "xbar", rows_shuffled))
    cases.append(case("s_varying_n", "s", rows_shuffled))
    r = RRng(13)
    rows5 = [(sg, r.norm(74.0, 0.01), None) for sg in range(1, 26) for _ in range(5)]
    cases.append(case("xbar_constant_n_parts", "xbar", rows5, parts=(15,)))
    cases.append(case("s_constant_n_exclude", "s", rows5, exclude=(4,)))

    r = RRng(17)
    times = [round(r.exp(1 / 30.0), 2) + 0.01 for _ in range(25)]
    cases.append(case("t_exponential", "t", rows_xy(times)))
    cases.append(case("t_freeze", "t", rows_xy(times), freeze=15))

    r = RRng(23)
    months = [f"2023-{m:02d}-01" for m in range(1, 13)] + [f"2024-{m:02d}-01" for m in range(1, 13)]
    nn = [int(80 + 60 * r.unif()) for _ in range(24)]
    pp = [0.3 if i < 12 else 0.2 for i in range(24)]
    yy = [min(n_, r.pois(n_ * p_)) for n_, p_ in zip(nn, pp)]
    prow = [(x, float(a), float(b)) for x, a, b in zip(months, yy, nn)]
    cases.append(case("p_dates", "p", prow, got_n=True))
    cases.append(case("p_parts_exclude", "p", prow, got_n=True, parts=(12,), exclude=(3,), multiply=100.0))
    cases.append(case("p_parts_freeze_qic", "p", prow, got_n=True, parts=(12,), freeze=6,
                      note="QIC-DIFF: freeze inside each part"))
    cases.append(case("p_centre", "p", prow, got_n=True, centre=0.25))
    prow_miss = list(prow)
    prow_miss[4] = (prow[4][0], None, prow[4][2])
    prow_miss[9] = (prow[9][0], prow[9][1], None)
    cases.append(case("p_missing_pairs", "p", prow_miss, got_n=True))

    r = RRng(29)
    big_n = [int(20000 + 30000 * r.unif()) for _ in range(30)]
    rates = [0.1 + 0.01 * r.norm() for _ in range(30)]
    big = [(i + 1, float(int(n_ * p_)), float(n_)) for i, (n_, p_) in enumerate(zip(big_n, rates))]
    cases.append(case("p_large_n", "p", big, got_n=True))
    cases.append(case("pp_large_n", "pp", big, got_n=True))
    cases.append(case("pp_unscreened", "pp", big, got_n=True, screened=False))
    hospitals = [f"H{k:02d}" for k in range(1, 16)]
    funnel = [(h, float(int(n_ * p_)), float(n_)) for h, n_, p_ in zip(hospitals, big_n, rates)]
    cases.append(case("pp_labels_funnel", "pp", funnel, got_n=True, labels=True))

    r = RRng(31)
    counts = [float(r.pois(19 if i < 24 else 7)) for i in range(36)]
    cases.append(case("c_parts", "c", rows_xy(counts), parts=(24,)))
    cases.append(case("c_freeze_exclude", "c", rows_xy(counts), freeze=24, exclude=(6, 20)))

    r = RRng(37)
    days = [float(round(14000 + 3000 * r.unif(), 2)) for _ in range(36)]
    infections = [float(r.pois(d * (0.0013 if i < 24 else 0.0005))) for i, d in enumerate(days)]
    urow = [(i + 1, a, b) for i, (a, b) in enumerate(zip(infections, days))]
    cases.append(case("u_multiply_parts", "u", urow, got_n=True, multiply=10000.0, parts=(24,)))
    cases.append(case("up_large_n", "up", [(i + 1, a * 40, b * 40) for i, (_, a, b) in enumerate(urow)], got_n=True))
    cases.append(case("up_labels_funnel", "up", [(h, a * 40, b * 40) for h, (_, a, b) in zip(hospitals, urow)],
                      got_n=True, labels=True))
    urow_zero = list(urow)
    urow_zero[7] = (8, 3.0, 0.0)
    urow_zero[8] = (9, 0.0, 0.0)
    cases.append(case("u_zero_denominator_qic", "u", urow_zero, got_n=True,
                      note="QIC-DIFF: zero denominators give no value"))

    r = RRng(41)
    between = [float(int(r.exp(1 / 25.0))) for _ in range(30)]
    cases.append(case("g_cases_between", "g", rows_xy(between)))
    cases.append(case("g_centre", "g", rows_xy(between), centre=20.0))

    # Several rows per date for a run chart, with labels of dates out of order.
    r = RRng(43)
    drows = []
    for m in range(1, 13):
        for _ in range(3):
            drows.append((f"2024-{m:02d}-01", round(r.norm(50, 5), 1), None))
    drows.reverse()
    cases.append(case("run_dates_aggregated", "run", drows))
    cases.append(case("run_freeze_parts_qic", "run", rows_xy(counts), parts=(24,), freeze=12,
                      note="QIC-DIFF: freeze inside each part"))

    # Edge cases.
    cases.append(case("i_single_point", "i", rows_xy([5.0])))
    cases.append(case("i_all_equal", "i", rows_xy([5.0] * 12)))
    cases.append(case("run_all_missing", "run", rows_xy([None] * 5)))
    cases.append(case("c_two_points", "c", rows_xy([3.0, 4.0])))
    return cases


def main():
    check_vignette()
    # The Anhøj crossings limit for millions, checked by the Rust unit tests.
    for m in (999_999, 123_456, 10_000_000):
        print(f"qbinom(0.05, {m}, 0.5) = {qbinom05(m)}")
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
    os.makedirs(out_dir, exist_ok=True)
    cases = build_cases()
    for c in cases:
        path = os.path.join(out_dir, c["name"] + ".json")
        with open(path, "w") as f:
            json.dump(c, f, indent=1, allow_nan=False)
            f.write("\n")
    print(f"wrote {len(cases)} fixtures to {os.path.normpath(out_dir)}")


if __name__ == "__main__":
    sys.exit(main())
