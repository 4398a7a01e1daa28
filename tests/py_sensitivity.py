"""py_sensitivity.py - `llmcost sensitivity` checked from the outside with
numpy: the stored Monte Carlo samples (-o FILE.h5 --store-samples) give back
the reported mean, sd and percentiles (numpy's default linear percentile),
every sampled input lies in its distribution's support, and the stored
pretraining cost of each sample equals numpy's evaluation of the same
formula bit for bit (the project builds with -ffp-contract=off).
Env: LLMCOST (the binary), BUILD (scratch dir).
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

LLMCOST = os.environ.get("LLMCOST", "build/llmcost")
BUILD = os.environ.get("BUILD", "build")
FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def s(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def main():
    os.makedirs(os.path.join(BUILD, "tests"), exist_ok=True)
    with tempfile.TemporaryDirectory(dir=os.path.join(BUILD, "tests")) as tmp:
        out = os.path.join(tmp, "gpt4.h5")
        r = subprocess.run([LLMCOST, "sensitivity", "sweeps/sensitivity_gpt4.ini",
                            "--method", "mc", "--samples", "5000", "--seed", "3",
                            "--percentiles", "1,99", "--store-samples", "-o", out],
                           capture_output=True, text=True)
        check(r.returncode == 0, "llmcost sensitivity exits 0 (%s)" % r.stderr.strip())
        if r.returncode != 0:
            return
        f = h5py.File(out, "r")
        factors = [s(x) for x in f["factors"][()]]
        outputs = [s(x) for x in f["outputs"][()]]
        x = f["samples/x"][()]
        y = f["samples/y"][()]
        levels = f["mc/percentile_levels"][()]
        check(list(levels) == [1, 5, 50, 95, 99], "percentile levels 1 5 50 95 99")
        for o, name in enumerate(outputs):
            v = y[o][np.isfinite(y[o])]
            check(int(f["mc/no_breakeven"][o]) == y.shape[1] - v.size,
                  "%s: no-break-even count" % name)
            check(np.isclose(f["mc/mean"][o], v.mean(), rtol=1e-12, atol=0),
                  "%s: mean = numpy's" % name)
            check(np.isclose(f["mc/sd"][o], v.std(ddof=1), rtol=1e-9, atol=0),
                  "%s: sd = numpy's" % name)
            check(np.allclose(f["mc/percentiles"][o], np.percentile(v, levels), rtol=1e-12, atol=0),
                  "%s: percentiles = numpy's" % name)
        # supports of the distributions in sweeps/sensitivity_gpt4.ini
        bounds = {"params": (1.2e12, 2.5e12), "tokens": (9e12, 17e12), "util": (0.30, 0.55),
                  "discount": (0.3, 0.8), "price_hour": (1.2, 4.0)}
        for i, name in enumerate(factors):
            lo, hi = bounds[name]
            check(x[i].min() >= lo and x[i].max() <= hi, "%s samples inside [%g, %g]" % (name, lo, hi))
        # the uniform util: its sample mean is the middle of [0.30, 0.55]
        # (sd of the mean 0.072 / sqrt(5000) = 0.001)
        u = x[factors.index("util")]
        check(abs(u.mean() - 0.425) < 0.005, "util sample mean %.4f ~ 0.425" % u.mean())
        # pretrain_cost = 6 N D / (F U) * (price / 3600) * discount, F = A100
        N, D, U = (x[factors.index(n)] for n in ("params", "tokens", "util"))
        P, R = x[factors.index("price_hour")], x[factors.index("discount")]
        cost = 6.0 * N * D / (312e12 * U) * (P / 3600.0) * R
        got = y[outputs.index("pretrain_cost")]
        check(np.array_equal(got, cost), "pretrain_cost of every sample = numpy's, bit for bit "
              "(max rel diff %.3g)" % np.max(np.abs(got / cost - 1)))


main()
if FAILS:
    print("%d failed" % len(FAILS))
    sys.exit(1)
print("py_sensitivity: all passed")
