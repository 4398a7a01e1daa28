#!/usr/bin/python3
"""peer_sensitivity_numpy.py - the numpy peer of bench_sensitivity's full
Sobol analysis, written the way SALib does it (Saltelli matrices as arrays,
bootstrap by fancy-indexing resampled rows), for an honest comparison.

Same problem: pretraining cost over 6 inputs (params, tokens log-uniform;
flops, util, price_hour, discount uniform), 2^16 Saltelli base samples from
scipy's Sobol sequence, first order (Saltelli 2010) and total order (Jansen)
indices, 100 bootstrap resamples with 95% percentile intervals.  Prints TSV
like bench_sensitivity: a comment line, a header, one row (median of 5
runs).  Usage: /usr/bin/python3 bench/peer_sensitivity_numpy.py
"""
import os
import platform
import time

import numpy as np
from scipy.stats import qmc

N = 1 << 16
R = 100
# name, kind, low, high
FACTORS = [("params", "log", 1.2e12, 2.5e12), ("tokens", "log", 9e12, 17e12),
           ("flops", "lin", 250e12, 350e12), ("util", "lin", 0.3, 0.55),
           ("price_hour", "lin", 1.2, 4.0), ("discount", "lin", 0.3, 0.8)]
K = len(FACTORS)


def transform(u):
    x = np.empty_like(u)
    for i, (_, kind, lo, hi) in enumerate(FACTORS):
        if kind == "log":
            x[:, i] = np.exp(np.log(lo) + u[:, i] * (np.log(hi) - np.log(lo)))
        else:
            x[:, i] = lo + u[:, i] * (hi - lo)
    return x


def model(x):
    # pretrain_cost = 6 N D / (F U) * price / 3600 * discount (model.h)
    return 6.0 * x[:, 0] * x[:, 1] / (x[:, 2] * x[:, 3]) * (x[:, 4] / 3600.0) * x[:, 5]


def estimate(fa, fb, fab):
    var = np.var(np.concatenate([fa, fb]))
    s1 = np.mean(fb[:, None] * (fab - fa[:, None]), axis=0) / var
    st = 0.5 * np.mean((fa[:, None] - fab) ** 2, axis=0) / var
    return s1, st


def analysis(seed):
    u = qmc.Sobol(d=2 * K, scramble=False).random_base2(17)[1:N + 1]  # skip the origin
    a, b = transform(u[:, :K]), transform(u[:, K:])
    fa, fb = model(a), model(b)
    fab = np.empty((N, K))
    for i in range(K):
        ab = a.copy()
        ab[:, i] = b[:, i]
        fab[:, i] = model(ab)
    s1, st = estimate(fa, fb, fab)
    rng = np.random.default_rng(seed)
    idx = rng.integers(N, size=(R, N))
    boot = [estimate(fa[r], fb[r], fab[r]) for r in idx]
    s1b = np.array([x[0] for x in boot])
    stb = np.array([x[1] for x in boot])
    return s1, st, np.percentile(s1b, [2.5, 97.5], axis=0), np.percentile(stb, [2.5, 97.5], axis=0)


def main():
    analysis(1)  # warm-up
    times = []
    for r in range(5):
        t0 = time.perf_counter()
        analysis(1)
        times.append(time.perf_counter() - t0)
    threads = os.environ.get("OMP_NUM_THREADS", "default")
    print("# peer_sensitivity_numpy: python %s numpy %s scipy-qmc Sobol, BLAS threads %s"
          % (platform.python_version(), np.__version__, threads))
    print("bench\tcase\tthreads\tvalue\tunit")
    print("analysis_numpy\tsobol S1+ST, 6 inputs, N=2^16, 100 bootstrap, pretrain_cost "
          "(numpy, SALib-style)\t1\t%.4f\ts" % sorted(times)[2])


if __name__ == "__main__":
    main()
