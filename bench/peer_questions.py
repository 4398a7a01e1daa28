#!/usr/bin/python3
"""peer_questions.py - the numpy program a user would write for the questions
of bench/questions_small.ini (doc/questions.md): a plain reduction, a
constrained reduction, a top-20 under a condition and a 2-objective Pareto
front of pretrain_cost and train_days, over the full grid held in memory
(numpy broadcasting from the axes, the model of bench/peer_numpy.py).

Prints TSV rows: numpy, case, 1, points/s, "", seconds, note (the row
format of bench/run_bench.sh), each the median of --runs runs.  The front is
computed by sorting (O(n log n)), the fastest exact way in numpy.

Usage: /usr/bin/python3 bench/peer_questions.py SPEC [--runs N] [--llmcost BIN]
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peer_numpy as pn  # noqa: E402


def catalog(llmcost):
    """The GPUs' numbers as `llmcost catalog --json` gives them (the selected
    price record), in read_catalog's shape."""
    j = json.loads(subprocess.run([llmcost, "catalog", "--json"], capture_output=True,
                                  text=True, check=True).stdout)
    return {g["name"].lower(): (g["name"], {k: float(g[k]) for k in pn.GPU_KEYS})
            for g in j["gpus"] if all(g.get(k) is not None for k in pn.GPU_KEYS)}


def grid(spec):
    v = dict(spec.fixed)
    rank = len(spec.axes)
    for k, a in enumerate(spec.axes):
        shape = [1] * rank
        shape[k] = -1
        if a == "gpu":
            for key in spec.gpu_keys:
                v[key] = spec.values[key].reshape(shape)
        else:
            v[a] = spec.values[a].reshape(shape)
    if spec.util_infer_follows:
        v["util_infer"] = v["util"]
    return v


def plain(spec):
    m = pn.Model(grid(spec))
    x = np.broadcast_to(m["pretrain_cost"], spec.shape).ravel()
    return x.min(), x.max(), int(np.argmin(x)), int(np.argmax(x)), x.mean()


def constrained(spec):
    v = grid(spec)
    m = pn.Model(v)
    x = np.broadcast_to(m["pretrain_cost"], spec.shape).ravel()
    c = (np.broadcast_to(m["train_days"], spec.shape) <= 90) & (np.broadcast_to(v["util"], spec.shape) >= 0.4)
    c = c.ravel()
    lo = np.where(c, x, np.inf)
    hi = np.where(c, x, -np.inf)
    return lo.min(), hi.max(), int(np.argmin(lo)), int(np.argmax(hi)), x[c].mean(), int(c.sum())


def top20(spec):
    m = pn.Model(grid(spec))
    x = np.broadcast_to(m["pretrain_cost"], spec.shape).ravel()
    c = (np.broadcast_to(m["train_days"], spec.shape) <= 90).ravel()
    idx = np.nonzero(c)[0]
    key = x[idx]
    k = min(20, len(idx))
    part = np.argpartition(key, k - 1)[:k] if k else np.array([], dtype=np.int64)
    # ties at the k-th value: every point with that value, then by index
    kth = key[part].max() if k else 0
    cand = np.nonzero(key <= kth)[0]
    order = cand[np.lexsort((idx[cand], key[cand]))][:k]
    return idx[order]


def pareto2(spec):
    m = pn.Model(grid(spec))
    a = np.broadcast_to(m["pretrain_cost"], spec.shape).ravel()
    b = np.broadcast_to(m["train_days"], spec.shape).ravel()
    order = np.lexsort((np.arange(a.size), b, a))
    bs = b[order]
    prev = np.minimum.accumulate(np.concatenate(([np.inf], bs[:-1])))
    keep = bs < prev
    return order[keep]


CASES = (("plain_reduce", plain), ("constrained_reduce", constrained), ("top20", top20),
         ("pareto2", pareto2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--llmcost", default=os.environ.get("LLMCOST", "build/llmcost"))
    args = ap.parse_args()
    spec = pn.Spec(args.spec, catalog(args.llmcost))
    for name, fn in CASES:
        times = []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            fn(spec)
            times.append((time.perf_counter() - t0, time.process_time() - c0))
        t, c = sorted(times)[len(times) // 2]
        print("numpy\tq_%s\t1\t%.6g\t\t%.4f\tbench/peer_questions.py %s, %d points in memory, "
              "cpu %.3f s" % (name, spec.points / t, t, os.path.basename(args.spec), spec.points, c),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
