#!/usr/bin/python3
"""py_questions.py - the questions of [outputs] (doc/questions.md) against numpy.

For two small specs (several chunks with clipped edges, a one-point axis,
outputs that ignore some axes so ties abound) this runs `$LLMCOST sweep
--json`, then evaluates the same full grid with the independent numpy model
of py_sweep_numpy.py (from the axis values and input.* attributes of the
file) and checks, exactly:

- counts of combined conditions (and/or/not, inputs as operands);
- constrained reductions: count, min, max, their full-grid coordinates (the
  smallest grid index among equal values), NaN count; the mean to 1e-12;
  a condition no point satisfies: NaN in the file, null in JSON, said in words;
  a condition every point satisfies: the plain reduction;
- top-k: the k smallest (or largest) by (value, full-grid index), their
  coordinates, values and the stored outputs at them;
- Pareto fronts: the set of non-dominated objective vectors, each with the
  smallest grid index and the number of grid points that have it;
- frontiers: the first crossing along the axis at every point of the others;
- the same JSON (bit for bit, timing aside) for --threads 1/2 and every
  kernel path the CPU has, and /summary + /pareto + /frontier agreeing with it.
"""
import configparser
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import py_sweep_numpy as ref  # noqa: E402

LLMCOST = ref.LLMCOST
fail, check, s = ref.fail, ref.check, ref.s

SPECS = {
    "train": """[sweep]
name = questions: pretraining
output = {dir}/train.h5
chunk_kib = 1

[axes]
params = log 1e9 2e12 9
tokens = log 1e11 3e13 7
gpu = A100, H100, B200
util = 0.4
gpus = 2k, 4k, 8k, 16k, 32k

[inputs]
discount = 1

[formulas]
cost_per_day = pretrain_cost / train_days [USD/day]

[outputs]
store = pretrain_cost, train_days, cost_per_day
reduce = cost_per_day where cost_per_day < 1M and gpus >= 4000, pretrain_cost where train_days <= 90 and gpus <= 16000, train_days where pretrain_cost < 0, pretrain_cost where gpus > 0
count = train_days < 90 and pretrain_cost < 100M, gpus <= 16000, not (train_days >= 30) or params > 1T, pretrain_cost < 0 or gpus < 0
top = 7 pretrain_cost where train_days <= 90, 4 -train_days where gpus >= 8000, 3 pretrain_cost where pretrain_cost < 0
pareto = pretrain_cost, train_days, -params where tokens >= 1T
frontier = train_days = 90 along gpus, pretrain_cost = 1M along tokens
""",
    # many chunks (two batches of the scan), a front of hundreds of vectors
    "big": """[sweep]
name = questions: many chunks
output = {dir}/big.h5
chunk_kib = 4

[axes]
params = log 1e9 2e12 30
tokens = log 1e11 3e13 30
gpu = A100, H100, B200
util = lin 0.3 0.6 3
price_hour = lin 1 6 11

[inputs]
gpus = 16k

[outputs]
store = pretrain_cost
pareto = pretrain_cost, -tokens, -params where train_days <= 365
top = 20 pretrain_cost where params >= 70B and train_days <= 90
reduce = train_days where pretrain_cost <= 10M and flops > 0
""",
    "sub": """[sweep]
name = questions: subscriptions
output = {dir}/sub.h5
chunk_kib = 2

[axes]
params = 7B, 70B, 405B
users = log 1e4 1e8 9
tokens_per_user = log 1e4 3e7 11
subscription = 5, 20, 60

[inputs]
tokens = chinchilla
gpu = H100
util = 0.45
period = 9

[outputs]
store = sub_profit, breakeven_users
count = sub_profit > 0 and breakeven_users < 2M, breakeven_users < 5M
reduce = sub_profit where breakeven_users < 2M and subscription <= 20
top = 5 -sub_profit where users <= 1M
pareto = breakeven_users, subscription where params >= 70B
frontier = sub_profit = 0 along users
""",
}

# the conditions, written again in numpy (v: inputs, o: outputs, broadcast)
CONDS = {
    "train_days <= 90 and gpus <= 16000": lambda v, o: (o["train_days"] <= 90) & (v["gpus"] <= 16000),
    "cost_per_day < 1M and gpus >= 4000": lambda v, o: (o["cost_per_day"] < 1e6) & (v["gpus"] >= 4000),
    "pretrain_cost < 0": lambda v, o: o["pretrain_cost"] < 0,
    "gpus > 0": lambda v, o: v["gpus"] > 0,
    "train_days < 90 and pretrain_cost < 100M": lambda v, o: (o["train_days"] < 90) & (o["pretrain_cost"] < 100e6),
    "gpus <= 16000": lambda v, o: v["gpus"] <= 16000,
    "not (train_days >= 30) or params > 1T": lambda v, o: ~(o["train_days"] >= 30) | (v["params"] > 1e12),
    "pretrain_cost < 0 or gpus < 0": lambda v, o: (o["pretrain_cost"] < 0) | (v["gpus"] < 0),
    "train_days <= 90": lambda v, o: o["train_days"] <= 90,
    "gpus >= 8000": lambda v, o: v["gpus"] >= 8000,
    "train_days <= 365": lambda v, o: o["train_days"] <= 365,
    "params >= 70B and train_days <= 90": lambda v, o: (v["params"] >= 70e9) & (o["train_days"] <= 90),
    "pretrain_cost <= 10M and flops > 0": lambda v, o: (o["pretrain_cost"] <= 10e6) & (v["flops"] > 0),
    "tokens >= 1T": lambda v, o: v["tokens"] >= 1e12,
    "sub_profit > 0 and breakeven_users < 2M": lambda v, o: (o["sub_profit"] > 0) & (o["breakeven_users"] < 2e6),
    "breakeven_users < 2M and subscription <= 20": lambda v, o: (o["breakeven_users"] < 2e6) & (v["subscription"] <= 20),
    "users <= 1M": lambda v, o: v["users"] <= 1e6,
    "params >= 70B": lambda v, o: v["params"] >= 70e9,
}


def split_where(text):
    if " where " in text:
        a, c = text.split(" where ", 1)
        return a.strip(), c.strip()
    return text.strip(), None


def strip_timing(j):
    j = dict(j)
    for k in ("seconds", "threads", "isa", "file"):
        j.pop(k, None)
    return j


def run(args, cwd):
    r = subprocess.run([LLMCOST] + args, cwd=cwd, capture_output=True, text=True, timeout=300)
    return r


def coords_of(flat, shape, axes, f):
    ix = np.unravel_index(flat, shape)
    out = {}
    for k, a in enumerate(axes):
        if a == "gpu":
            out[a] = s(f["gpu"][int(ix[k])])
        else:
            out[a] = float(f[a][int(ix[k])])
    return out


def check_spec(tmp, tag, text):
    spec_text = text.format(dir=tmp)
    spec_path = os.path.join(tmp, tag + ".ini")
    with open(spec_path, "w") as fh:
        fh.write(spec_text)
    r = run(["sweep", spec_path, "--json"], tmp)
    check(r.returncode == 0, "%s: exit %d: %s" % (tag, r.returncode, r.stderr))
    J = json.loads(r.stdout)
    path = os.path.join(tmp, tag + ".h5")
    f = h5py.File(path, "r")
    axes = [a for a in s(f.attrs["axes"]).split(",") if a]
    shape = tuple(f[a].shape[0] for a in axes)
    v = ref.inputs_from_file(f, axes)
    o = ref.model(v)
    if "[formulas]" in spec_text:  # the one formula of the specs, written again
        o["cost_per_day"] = o["pretrain_cost"] / o["train_days"]
    full = {k: np.broadcast_to(np.asarray(x, dtype=np.float64), shape).ravel() for k, x in o.items()}
    vin = {k: np.broadcast_to(np.asarray(x, dtype=np.float64), shape).ravel() for k, x in v.items()}
    ob = {k: np.broadcast_to(np.asarray(x, dtype=np.float64), shape) for k, x in o.items()}
    vb = {k: np.broadcast_to(np.asarray(x, dtype=np.float64), shape) for k, x in v.items()}
    npts = int(np.prod(shape))
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    cp.read_string(spec_text)
    stored = [x.strip() for x in cp["outputs"]["store"].split(",")]

    def operand(name):
        return full[name] if name in full else vin[name]

    def mask_of(cond):
        if cond is None:
            return np.ones(npts, dtype=bool)
        with np.errstate(invalid="ignore"):
            return np.asarray(CONDS[cond](vb, ob)).ravel() & np.ones(npts, dtype=bool)

    qs = J["questions"]
    for i, q in enumerate(qs):
        g = f["summary/q%d" % i]
        check(s(g.attrs["question"]) == q["text"], "%s q%d: question text" % (tag, i))
        kind = q["kind"]
        if kind == "count":
            m = mask_of(q["text"])
            n = int(m.sum())
            check(q["count"] == n and int(g.attrs["count"]) == n,
                  "%s: count %r = %d (file %d), numpy %d" % (tag, q["text"], q["count"], int(g.attrs["count"]), n))
            print("ok %s count %r = %d" % (tag, q["text"], n))
        elif kind == "reduce":
            name, cond = split_where(q["text"])
            m = mask_of(cond)
            x = operand(name)
            n = int(m.sum())
            check(q["count"] == n, "%s: %r count %d != %d" % (tag, q["text"], q["count"], n))
            sel = m & ~np.isnan(x)
            check(q["count_nan"] == int((m & np.isnan(x)).sum()), "%s: %r count_nan" % (tag, q["text"]))
            if not sel.any():
                check(q["min"] is None and q["max"] is None and q["argmin"] is None,
                      "%s: %r: none satisfies but JSON has values" % (tag, q["text"]))
                check(np.isnan(g.attrs["min"]) and np.isnan(g.attrs["max"]) and np.isnan(g.attrs["mean"]),
                      "%s: %r: none satisfies but the file has numbers" % (tag, q["text"]))
                print("ok %s reduce %r: no point satisfies (NaN in the file, null in JSON)" % (tag, q["text"]))
                continue
            xs = np.where(sel, x, np.inf)
            imin = int(np.argmin(xs))
            xl = np.where(sel, x, -np.inf)
            imax = int(np.argmax(xl))
            check(q["min"] == x[imin] and float(g.attrs["min"]) == x[imin],
                  "%s: %r min %r != %r" % (tag, q["text"], q["min"], x[imin]))
            check(q["max"] == x[imax], "%s: %r max" % (tag, q["text"]))
            check(q["argmin"] == coords_of(imin, shape, axes, f), "%s: %r argmin %r != %r"
                  % (tag, q["text"], q["argmin"], coords_of(imin, shape, axes, f)))
            check(q["argmax"] == coords_of(imax, shape, axes, f), "%s: %r argmax" % (tag, q["text"]))
            check(list(g.attrs["argmin_index"]) == list(np.unravel_index(imin, shape)),
                  "%s: %r argmin_index" % (tag, q["text"]))
            fin = sel & np.isfinite(x)
            mean = float(np.mean(x[fin]))
            check(abs(q["mean"] - mean) <= 1e-12 * abs(mean), "%s: %r mean %r != %r" % (tag, q["text"], q["mean"], mean))
            print("ok %s reduce %r: %d points, min/max/argmin/argmax exact, mean" % (tag, q["text"], n))
        elif kind == "top":
            head, cond = split_where(q["text"])
            k, name = head.split(None, 1)
            k = int(k)
            largest = name.startswith("-")
            name = name.lstrip("-").strip()
            x = operand(name)
            m = mask_of(cond) & ~np.isnan(x)
            idx = np.nonzero(m)[0]
            key = -x[idx] if largest else x[idx]
            order = idx[np.lexsort((idx, key))][:k]
            rows = q["rows"]
            check(len(rows) == len(order) and int(g.attrs["size"]) == len(order),
                  "%s: %r %d rows, numpy %d" % (tag, q["text"], len(rows), len(order)))
            for row, flat in zip(rows, order):
                check(row["value"] == x[flat], "%s: %r value %r != %r" % (tag, q["text"], row["value"], x[flat]))
                check(row["at"] == coords_of(flat, shape, axes, f), "%s: %r at %r != %r"
                      % (tag, q["text"], row["at"], coords_of(flat, shape, axes, f)))
                for out in stored:
                    want = full[out][flat]
                    got = row["stored"][out]
                    check((got is None and not np.isfinite(want)) or got == want,
                          "%s: %r stored %s %r != %r" % (tag, q["text"], out, got, want))
            if len(order):
                ix = np.array(np.unravel_index(order, shape))
                for a_i, a in enumerate(axes):
                    check(np.array_equal(g[a + "_index"][...], ix[a_i]), "%s: %r file %s_index" % (tag, q["text"], a))
                check(np.array_equal(g["value"][...], x[order]), "%s: %r file values" % (tag, q["text"]))
            print("ok %s top %r: %d rows (ties by grid index), coordinates, stored outputs" % (tag, q["text"], len(order)))
        elif kind == "pareto":
            head, cond = split_where(q["text"])
            objs = [t.strip() for t in head.split(",")]
            sign = np.array([-1.0 if t.startswith("-") else 1.0 for t in objs])
            names = [t.lstrip("-").strip() for t in objs]
            X = np.stack([operand(n) for n in names], axis=1)
            m = mask_of(cond) & ~np.isnan(X).any(axis=1)
            idx = np.nonzero(m)[0]
            K = X[idx] * sign
            U, first, counts = np.unique(K, axis=0, return_index=True, return_counts=True)
            # U is sorted lexicographically: only an earlier vector can dominate
            keep = np.zeros(len(U), dtype=bool)
            kept = np.empty((0, U.shape[1]))
            for r_i in range(len(U)):
                if not ((kept <= U[r_i]).all(axis=1) & (kept < U[r_i]).any(axis=1)).any():
                    keep[r_i] = True
                    kept = np.vstack([kept, U[r_i]])
            U, first, counts = U[keep], first[keep], counts[keep]
            check(q["size"] == len(U) and int(f["pareto"].attrs["size"]) == len(U),
                  "%s: %r front size %d, numpy %d" % (tag, q["text"], q["size"], len(U)))
            for row, u, fi, c in zip(q["front"], U, first, counts):
                check(row["values"] == list(u * sign), "%s: %r front %r != %r" % (tag, q["text"], row["values"], list(u * sign)))
                check(row["at"] == coords_of(idx[fi], shape, axes, f), "%s: %r representative" % (tag, q["text"]))
                check(row["points"] == int(c), "%s: %r multiplicity %d != %d" % (tag, q["text"], row["points"], c))
            p = f["pareto"]
            for n_i, n in enumerate(names):
                col = n + "_objective" if n in axes else n
                check(np.array_equal(p[col][...], U[:, n_i] * sign[n_i]), "%s: /pareto/%s" % (tag, col))
            check(np.array_equal(p["points"][...], counts), "%s: /pareto/points" % tag)
            print("ok %s pareto %r: %d non-dominated vectors of %d points, exact" % (tag, q["text"], len(U), len(idx)))
        elif kind == "frontier":
            lhs, rest = q["text"].split("=", 1)
            thr_s, along = rest.split(" along ")
            name, thr, along = lhs.strip(), float(ref_number(thr_s.strip())), along.strip()
            over = q["over"]
            ds = f[s(g.attrs["table"])]
            k = axes.index(along)
            xa = f[along][...]
            F = np.moveaxis(np.asarray(ob[name]), k, -1)
            rest_axes = [a for a in axes if a != along]
            sub = tuple(slice(None) if a in over else 0 for a in rest_axes)
            F = F[sub + (slice(None),)]
            want = np.full(F.shape[:-1], np.nan)
            for pos in np.ndindex(*F.shape[:-1]):
                line = F[pos]
                for j in range(len(line)):
                    if line[j] == thr:
                        want[pos] = xa[j]
                        break
                    if j > 0:
                        f0, f1 = line[j - 1], line[j]
                        if not np.isnan(f0) and not np.isnan(f1) and ((f0 < thr < f1) or (f0 > thr > f1)):
                            want[pos] = xa[j - 1] + (thr - f0) * (xa[j] - xa[j - 1]) / (f1 - f0)
                            break
            got = ds[...]
            check(got.shape == want.shape, "%s: %r shape %s != %s" % (tag, q["text"], got.shape, want.shape))
            check(np.array_equal(got, want, equal_nan=True), "%s: %r frontier differs from numpy" % (tag, q["text"]))
            check(q["crossed"] == int(np.isfinite(want).sum()), "%s: %r crossed" % (tag, q["text"]))
            dims = [d[0].name.lstrip("/") for d in ds.dims]
            check(dims == over, "%s: %r dimension scales %s" % (tag, q["text"], dims))
            print("ok %s frontier %r over %s: %d of %d cross, exact" % (tag, q["text"], over, q["crossed"], want.size))
    f.close()
    # the same answers for every thread count and kernel path
    base = strip_timing(J)
    for isa, threads in (("scalar", "1"), ("avx2", "2"), ("avx512", "2"), ("avx512", "1")):
        out = os.path.join(tmp, "%s-%s-%s.h5" % (tag, isa, threads))
        r = run(["sweep", spec_path, "-o", out, "--isa", isa, "--threads", threads, "--json"], tmp)
        if r.returncode == 2 and "cannot run" in r.stderr:
            print("skip %s --isa %s: %s" % (tag, isa, r.stderr.strip()))
            continue
        check(r.returncode == 0, "%s --isa %s: exit %d: %s" % (tag, isa, r.returncode, r.stderr))
        check(strip_timing(json.loads(r.stdout)) == base, "%s: --isa %s --threads %s: other answers" % (tag, isa, threads))
        print("ok %s --isa %s --threads %s: the same JSON" % (tag, isa, threads))
    return J


def ref_number(t):
    mult = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}
    return float(t[:-1]) * mult[t[-1]] if t[-1] in mult else float(t)


def main():
    if not os.path.exists(LLMCOST):
        fail("no binary at %s (set LLMCOST)" % LLMCOST)
    with tempfile.TemporaryDirectory() as tmp:
        for tag, text in SPECS.items():
            check_spec(tmp, tag, text)
        # no point satisfies: said in words
        r = run(["sweep", os.path.join(tmp, "train.ini"), "-o", os.path.join(tmp, "w.h5")], tmp)
        check(r.returncode == 0 and "no point satisfies it, min, max and mean are NaN" in r.stdout,
              "text output does not say that no point satisfies: %s" % r.stdout)
        print("ok text: 'no point satisfies' said in words")
    print("all questions agree with numpy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
