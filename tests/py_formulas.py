#!/usr/bin/python3
"""py_formulas.py - user formulas ([formulas] in a sweep spec) against numpy.

A spec with formulas over inputs, outputs and other formulas (one defined
before the formula it uses, one a condition, one with libm functions) is
swept; every stored formula, its reduction, its counts, its sub-grid (the
axes its dependencies reach) and its attributes are checked against numpy
by py_sweep_numpy.check_file, the model there extended with the formulas
computed in the same operation order (libm calls through Python's math
module).  Bit-identical for every kernel path and thread count, and for a
run split into shards merged back.  The spec errors of formulas (unknown
name, type error, cycle, syntax) give FILE:LINE: ... column N, exit 2.
"""
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import py_sweep_numpy as ref  # noqa: E402

LLMCOST = ref.LLMCOST

SPEC = """[sweep]
name = numpy check: formulas
output = {dir}/f.h5
chunk_kib = 2

[axes]
params = 7B, 70B, 175B, 1.8T, 405B
users = log 1e4 1e8 9
tokens_per_user = log 1e4 3e7 11
subscription = 5, 20, 60
gpus = 2k, 16k, 24k

[inputs]
gpu = H100
util = 0.45
tokens = chinchilla

[formulas]
lm = if(ok, log(users) * margin, -1) [log-USD]
margin = subscription - tokens_per_user / 1000 * infer_cost_per_1k [USD/user/month]
cost_per_param = pretrain_cost / params [USD]
ok = sub_profit > 0 and breakeven_users < 2M and not (gpus > 16000)
mix = max(margin, 0) * pow(users, 0.5) + min(train_days, 90) - sqrt(abs(sub_profit)) / exp(1)

[outputs]
store = margin, cost_per_param, ok, lm, mix, sub_profit
reduce = margin, lm, ok, mix
count = margin > 0, lm >= 10, mix < 1M
"""


def libm(fn, *xs):
    b = np.broadcast_arrays(*[np.asarray(x, dtype=np.float64) for x in xs])
    return np.vectorize(fn, otypes=[np.float64])(*b)


def with_formulas(model):
    def m(v):
        out = model(v)
        out["margin"] = v["subscription"] - v["tokens_per_user"] / 1000.0 * out["infer_cost_per_1k"]
        out["cost_per_param"] = out["pretrain_cost"] / v["params"]
        with np.errstate(invalid="ignore"):
            ok = (out["sub_profit"] > 0) & (out["breakeven_users"] < 2e6) & ~(v["gpus"] > 16000)
        out["ok"] = ok.astype(np.float64)
        lm = libm(math.log, v["users"]) * out["margin"]
        out["lm"] = np.where(ok, lm, -1.0)
        mg = out["margin"]
        mx = np.where(mg > 0.0, mg, 0.0)
        td = out["train_days"]
        mn = np.where(td < 90.0, td, 90.0)
        out["mix"] = (mx * libm(math.pow, v["users"], 0.5) + mn
                      - np.sqrt(np.abs(out["sub_profit"])) / math.exp(1.0))
        return out
    return m


def run(args, cwd, rc=0):
    r = subprocess.run([LLMCOST] + args, cwd=cwd, capture_output=True, text=True, timeout=300)
    if r.returncode != rc:
        ref.fail("llmcost %s: exit %d, expected %d: %s" % (" ".join(args), r.returncode, rc, r.stderr))
    return r


def main():
    ref.model = with_formulas(ref.model)
    with tempfile.TemporaryDirectory() as tmp:
        text = SPEC.format(dir=tmp)
        spec = os.path.join(tmp, "f.ini")
        open(spec, "w").write(text)
        run(["sweep", spec, "--quiet"], tmp)
        ref.check_file(os.path.join(tmp, "f.h5"), text, "formulas")
        with h5py.File(os.path.join(tmp, "f.h5"), "r") as f:
            dims = {o: [d[0].name.lstrip("/") for d in f[o].dims] for o in ("margin", "cost_per_param", "ok")}
            ref.check(dims["margin"] == ["params", "tokens_per_user", "subscription"], "margin dims %s" % dims)
            ref.check(dims["cost_per_param"] == ["params"], "cost_per_param dims %s" % dims)
            ref.check(dims["ok"] == ["params", "users", "tokens_per_user", "subscription", "gpus"], "ok dims")
            ref.check(ref.s(f["margin"].attrs["units"]) == "USD/user/month", "margin units")
            ref.check(ref.s(f["margin"].attrs["formula"]) ==
                      "subscription - tokens_per_user / 1000 * infer_cost_per_1k", "margin formula")
            ref.check(ref.s(f["margin"].attrs["long_name"]) == "user formula", "long_name")
            ref.check(ref.s(f["summary/lm"].attrs["units"]) == "log-USD", "summary units")
        # every kernel path and thread count: the same datasets
        base = os.path.join(tmp, "f.h5")
        with h5py.File(base, "r") as f:
            want = {o: f[o][...] for o in ("margin", "cost_per_param", "ok", "lm", "mix")}
            want_sum = {o: dict(f["summary/" + o].attrs) for o in ("margin", "lm", "ok", "mix")}
        for isa, threads in (("scalar", "1"), ("avx2", "2"), ("avx512", "2")):
            out = os.path.join(tmp, "f-%s-%s.h5" % (isa, threads))
            r = subprocess.run([LLMCOST, "sweep", spec, "-o", out, "--isa", isa, "--threads", threads,
                                "--quiet"], cwd=tmp, capture_output=True, text=True, timeout=300)
            if r.returncode == 2 and "cannot run" in r.stderr:
                print("skip --isa %s" % isa)
                continue
            ref.check(r.returncode == 0, "--isa %s: %s" % (isa, r.stderr))
            with h5py.File(out, "r") as f:
                for o, w in want.items():
                    ref.check(ref_same(f[o][...], w), "--isa %s --threads %s: %s differs" % (isa, threads, o))
                for o, w in want_sum.items():
                    got = dict(f["summary/" + o].attrs)
                    for k in ("min", "max", "mean", "count_nan", "argmin", "argmax"):
                        ref.check(ref.s(got[k]) == ref.s(w[k]) if isinstance(w[k], (str, bytes))
                                  else np.array_equal(got[k], w[k], equal_nan=True),
                                  "--isa %s: summary/%s %s" % (isa, o, k))
        print("ok formulas: the same bits for every kernel path and thread count")
        # shards + merge give the same datasets
        merged = os.path.join(tmp, "m.h5")
        for i in range(3):
            r = subprocess.run([LLMCOST, "sweep", spec, "--shard", "%d/3" % i, "-o", merged, "--quiet"],
                               cwd=tmp, capture_output=True, text=True, timeout=300)
            if r.returncode != 0:
                ref.fail("shard %d: %s" % (i, r.stderr))
        sh = [os.path.join(tmp, "m.shard%d-of-3.h5" % i) for i in range(3)]
        run(["merge", merged] + sh, tmp)
        with h5py.File(merged, "r") as f:
            for o, w in want.items():
                ref.check(ref_same(f[o][...], w), "shards + merge: %s differs" % o)
        print("ok formulas: shards + merge")

        # spec errors: FILE:LINE: formula 'x': column N: ...
        lines = text.splitlines()
        fl = lines.index("[formulas]") + 1  # 0-based index of the first formula line
        cases = [
            ("margin = subscriptoin - 1", "formula 'margin': column 10: unknown name 'subscriptoin'"),
            ("margin = params + (gpus > 1)", "formula 'margin': column 17: '+' needs numbers"),
            ("margin = lm * 2", "formulas form a cycle: lm -> margin -> lm"),
            ("margin = (params", "formula 'margin': column 17: missing ')' for the '(' at column 10"),
            ("params = 2", "formula 'params': 'params' is already an input"),
        ]
        for line, msg in cases:
            bad = list(lines)
            bad[fl + 1] = line
            p = os.path.join(tmp, "bad.ini")
            open(p, "w").write("\n".join(bad) + "\n")
            r = run(["sweep", "bad.ini", "-o", "bad.h5"], tmp, rc=2)
            ref.check(msg in r.stderr, "%r: %r not in %r" % (line, msg, r.stderr))
            at = fl + 1 if "cycle" in msg else fl + 2  # a cycle: the line of its first formula (lm)
            ref.check("bad.ini:%d:" % at in r.stderr, "%r: line number in %r" % (line, r.stderr))
        print("ok formulas: spec errors at file:line with the column")
    print("formulas agree with numpy")
    return 0


def ref_same(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    m = ~np.isnan(a)
    return np.array_equal(a[m].view(np.uint64), b[m].view(np.uint64))


if __name__ == "__main__":
    sys.exit(main())
