#!/usr/bin/python3
"""sobol_accuracy.py - how far llmcost's Sobol indices are from the exact
ones, beside SALib's on the same problem.

The problem (sweeps/sobol_product6.ini): pretraining cost, a product of six
independent inputs, whose first and total order indices are known in closed
form: with Z_i the factor's contribution (X, or 1/X for flops and util),
S1_i = Var Z_i prod_{j!=i} E[Z_j]^2 / V, ST_i = Var Z_i prod_{j!=i} E[Z_j^2] / V,
V = prod E[Z^2] - prod E[Z]^2.

The peer is SALib's reference behaviour rebuilt in numpy (SALib itself is not
installable here: no PyPI): SALib.sample.sobol.sample draws its base design
with scipy.stats.qmc.Sobol(d=2k, scramble=True, seed=seed).random(N) (a
random linear matrix scramble plus digital shift on Joe & Kuo's direction
numbers), A = the first k columns, B = the last k, AB_i = A with column i
from B; SALib.analyze.sobol estimates S1 = mean(fB (fAB_i - fA)) / Var and
ST = mean((fA - fAB_i)^2) / 2 / Var (Saltelli 2010, Jansen 1999), Var over
A and B together.  llmcost runs the same estimators on its own design.

For each base sample count and each seed it prints the largest |error| over
the 12 indices for llmcost (Owen-scrambled), llmcost unscrambled (GSL) and
the peer, then the median and the worst over the seeds.
Usage: sobol_accuracy.py [LLMCOST] [SEEDS] [N,...]   (defaults build/llmcost 20 16384,65536)
"""
import json
import math
import subprocess
import sys

import numpy as np
from scipy.stats import qmc

LLMCOST = sys.argv[1] if len(sys.argv) > 1 else "build/llmcost"
SEEDS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
NS = [int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "16384,65536").split(",")]
SPEC = "sweeps/sobol_product6.ini"
# name, kind, low, high, power (how the input enters the product)
F = [("params", "log", 1e11, 2e12, 1), ("tokens", "log", 1e12, 2e13, 1),
     ("flops", "lin", 100e12, 1000e12, -1), ("util", "lin", 0.3, 0.6, -1),
     ("price_hour", "lin", 1.0, 4.0, 1), ("discount", "lin", 0.4, 1.0, 1)]
K = len(F)


def moments(kind, a, b, pw):
    if kind == "lin":
        if pw == 1:
            return (a + b) / 2, (a * a + a * b + b * b) / 3
        return math.log(b / a) / (b - a), 1 / (a * b)
    if pw == -1:
        a, b = 1 / b, 1 / a
    return (b - a) / math.log(b / a), (b * b - a * a) / (2 * math.log(b / a))


def exact():
    m = [moments(k, a, b, p) for _, k, a, b, p in F]
    p1 = np.prod([x[0] ** 2 for x in m])
    p2 = np.prod([x[1] for x in m])
    v = p2 - p1
    s1 = [(m2 - m1 * m1) * p1 / (m1 * m1) / v for m1, m2 in m]
    st = [(m2 - m1 * m1) * p2 / m2 / v for m1, m2 in m]
    return np.array(s1), np.array(st)


def transform(u):
    x = np.empty_like(u)
    for i, (_, kind, lo, hi, _) in enumerate(F):
        if kind == "log":
            x[:, i] = np.exp(np.log(lo) + u[:, i] * (np.log(hi) - np.log(lo)))
        else:
            x[:, i] = lo + u[:, i] * (hi - lo)
    return x


def model(x):
    return 6 * x[:, 0] * x[:, 1] / (x[:, 2] * x[:, 3]) * x[:, 4] / 3600 * x[:, 5]


def peer(n, seed):
    base = qmc.Sobol(d=2 * K, scramble=True, seed=seed).random(n)
    a, b = transform(base[:, :K]), transform(base[:, K:])
    fa, fb = model(a), model(b)
    var = np.var(np.concatenate([fa, fb]))
    s1, st = np.empty(K), np.empty(K)
    for i in range(K):
        ab = a.copy()
        ab[:, i] = b[:, i]
        fab = model(ab)
        s1[i] = np.mean(fb * (fab - fa)) / var
        st[i] = 0.5 * np.mean((fa - fab) ** 2) / var
    return s1, st


def ours(n, seed, design):
    out = subprocess.run([LLMCOST, "sensitivity", SPEC, "--samples", str(n), "--seed", str(seed),
                          "--design", design, "--bootstrap", "100", "--json"],
                         check=True, capture_output=True, text=True).stdout
    so = json.loads(out)["outputs"]["pretrain_cost"]["sobol"]
    return (np.array(so["S1"]), np.array(so["ST"]),
            np.array(so["S1_low"]), np.array(so["S1_high"]),
            np.array(so["ST_low"]), np.array(so["ST_high"]))


def main():
    s1x, stx = exact()
    print("# exact S1 " + " ".join("%.4f" % v for v in s1x))
    print("# exact ST " + " ".join("%.4f" % v for v in stx))
    print("N\tseed\towen\tunscrambled\tpeer_scipy_scrambled\towen_in_interval")
    summary = []
    for n in NS:
        e_o, e_p, inside = [], [], 0
        u = ours(n, 1, "unscrambled")
        e_u = max(np.max(np.abs(u[0] - s1x)), np.max(np.abs(u[1] - stx)))
        for seed in range(1, SEEDS + 1):
            o = ours(n, seed, "owen")
            eo = max(np.max(np.abs(o[0] - s1x)), np.max(np.abs(o[1] - stx)))
            ps1, pst = peer(n, seed)
            ep = max(np.max(np.abs(ps1 - s1x)), np.max(np.abs(pst - stx)))
            ok = bool(np.all((s1x >= o[2]) & (s1x <= o[3]) & (stx >= o[4]) & (stx <= o[5])))
            inside += ok
            e_o.append(eo)
            e_p.append(ep)
            print("%d\t%d\t%.5f\t%.5f\t%.5f\t%s" % (n, seed, eo, e_u, ep, "yes" if ok else "no"))
        summary.append((n, np.median(e_o), max(e_o), e_u, np.median(e_p), max(e_p), inside))
    print("# N\tmedian_owen\tworst_owen\tunscrambled\tmedian_peer\tworst_peer\tintervals_holding_all_12")
    for n, mo, wo, eu, mp, wp, ins in summary:
        print("# %d\t%.5f\t%.5f\t%.5f\t%.5f\t%.5f\t%d/%d" % (n, mo, wo, eu, mp, wp, ins, SEEDS))


main()
