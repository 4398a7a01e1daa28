#!/usr/bin/python3
"""py_points.py - `llmcost eval --points` and `--formula` against numpy.

A random external design of 70,000 points (more than one batch of 65,536
rows, many kernel blocks) is written as CSV, some values with SI suffixes;
`llmcost eval --points` evaluates built-in outputs and user formulas (with
every function of the expression language) and writes CSV, JSON lines and
HDF5 columns.  numpy recomputes every value independently (the model from
py_sweep_numpy.model, the formulas in the same operation order; libm calls
through Python's math module, since numpy's own SIMD log/pow may round
differently), and the comparison is bit for bit.  The same bits come from
every kernel path (--isa scalar/avx2/avx512 where the CPU has them) and
thread count, and from `llmcost eval` at single points.  Bad rows are
refused at FILE:LINE with exit 2 and no output file left behind.  The same
design given as HDF5 columns (h5py) gives the same values.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from py_sweep_numpy import INPUT_NAMES, model  # noqa: E402

LLMCOST = os.path.abspath(os.environ.get("LLMCOST", "build/llmcost"))

FORMULAS = [
    "margin = subscription - tokens_per_user / 1000 * infer_cost_per_1k [USD/user/month]",
    "cpp = pretrain_cost / params [USD]",
    "ok = sub_profit > 0 and breakeven_users < 2M and not (gpus > 16000)",
    "lg = if(ok, log(users) * sqrt(price_hour), pow(util, 2) - max(util, 0.5, abs(-0.3)) "
    "+ floor(subscription) - ceil(users / 7)) - min(margin, 3) * exp(-util)",
]
OUTPUTS = "pretrain_cost,train_days,sub_profit,breakeven_users,margin,cpp,ok,lg"
FIXED = ["--gpus", "12000", "--discount", "0.5"]


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def run(args, rc=0, cwd=None):
    r = subprocess.run([LLMCOST] + args, capture_output=True, text=True, cwd=cwd, timeout=300)
    if r.returncode != rc and not (isinstance(rc, tuple) and r.returncode in rc):
        fail("llmcost %s: exit %d (expected %d): %s" % (" ".join(args), r.returncode, rc,
                                                         r.stderr[-2000:]))
    return r


def same(a, b):
    """Bit-identical, NaN positions equal (a NaN's sign and payload aside)."""
    a = np.atleast_1d(np.asarray(a, dtype=np.float64))
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    m = ~np.isnan(a)
    return np.array_equal(a[m].view(np.uint64), b[m].view(np.uint64))


def libm(f, *xs):
    return np.array([f(*t) for t in zip(*xs)], dtype=np.float64)


def expected(cols):
    d = json.loads(run(["eval", "--json"] + FIXED).stdout)
    v = {k: np.float64(x["value"]) for k, x in d["inputs"].items()}
    for k, a in cols.items():
        v[k] = a
    v["util_infer"] = v["util"]  # follows util
    out = model(v)
    r = {k: out[k] for k in ("pretrain_cost", "train_days", "sub_profit", "breakeven_users")}
    inf1k = out["infer_cost_per_1k"]
    r["margin"] = v["subscription"] - v["tokens_per_user"] / 1000.0 * inf1k
    r["cpp"] = out["pretrain_cost"] / v["params"]
    with np.errstate(invalid="ignore"):
        ok = (out["sub_profit"] > 0) & (out["breakeven_users"] < 2e6) & ~(v["gpus"] > 16000)
    r["ok"] = ok.astype(np.float64)
    n = len(cols["params"])
    users, ph, util, sub = v["users"], v["price_hour"], v["util"], v["subscription"]
    a = libm(math.log, users) * np.sqrt(np.broadcast_to(ph, (n,)))
    mx = np.where(util > 0.5, util, 0.5)
    mx = np.where(mx > abs(-0.3), mx, abs(-0.3))
    b = libm(math.pow, util, np.full(n, 2.0)) - mx + np.floor(sub) - np.ceil(users / 7.0)
    marg = r["margin"]
    mn = np.where(marg < 3.0, marg, 3.0)
    r["lg"] = np.where(ok, a, b) - mn * libm(math.exp, -util)
    return r


def read_csv(path):
    with open(path) as f:
        head = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f]
    return {h: np.array([float(row[i]) for row in rows]) for i, h in enumerate(head)}


def main():
    rng = np.random.default_rng(20261202)
    n = 70000
    cols = {
        "params": np.exp(rng.uniform(math.log(1e9), math.log(2e12), n)),
        "tokens": np.exp(rng.uniform(math.log(1e11), math.log(3e13), n)),
        "util": rng.uniform(0.2, 0.7, n),
        "price_hour": rng.uniform(1.0, 6.0, n),
        "users": np.exp(rng.uniform(math.log(1e3), math.log(1e8), n)),
        "subscription": rng.uniform(5, 60, n),
        "tokens_per_user": np.exp(rng.uniform(math.log(1e4), math.log(1e8), n)),
    }
    cols["params"][:5] = [7e9, 70e9, 175e9, 1.8e12, 405e9]
    names = list(cols)
    with tempfile.TemporaryDirectory() as tmp:
        pts = os.path.join(tmp, "design.csv")
        with open(pts, "w") as f:
            f.write("# a Latin-hypercube-like design\n" + ",".join(names) + "\n")
            si = ["7B", "70B", "175B", "1.8T", "405G"]
            for j in range(n):
                vals = [repr(float(cols[k][j])) for k in names]
                if j < 5:
                    vals[0] = si[j]
                f.write(",".join(vals) + "\n")
                if j == 10:
                    f.write("\n# a comment between rows\n")
        want = expected(cols)
        fargs = []
        for fm in FORMULAS:
            fargs += ["--formula", fm]
        base = ["eval", "--points", pts, "--outputs", OUTPUTS] + FIXED + fargs

        # CSV on stdout, the reference for the other runs
        r = run(base + ["--isa", "scalar", "--threads", "1"])
        ref_csv = r.stdout
        out = os.path.join(tmp, "o.csv")
        open(out, "w").write(ref_csv)
        got = read_csv(out)
        check(list(got) == names + OUTPUTS.split(","), "CSV header %s" % list(got))
        for k in names:
            check(same(got[k], cols[k]), "input column %s echoed" % k)
        for k in OUTPUTS.split(","):
            if not same(got[k], want[k]):
                bad = np.nonzero(got[k] != want[k])[0][:3]
                fail("%s differs from numpy at rows %s: %s vs %s" % (k, bad, got[k][bad], want[k][bad]))
        check(np.isnan(got["breakeven_users"]).any(), "some points without break-even")
        check(0 < got["ok"].sum() < n, "ok is true at some points only")
        check("breakeven_users has no finite value at" in r.stderr, "note on NaN: " + r.stderr)
        print("ok   CSV: %d points, %d outputs bit-identical to numpy" % (n, len(want)))

        # every ISA and thread count: the same bytes
        for isa, threads in (("avx2", "2"), ("avx512", "2"), ("avx512", "1")):
            r = subprocess.run([LLMCOST] + base + ["--isa", isa, "--threads", threads],
                               capture_output=True, text=True, timeout=300)
            if r.returncode == 2 and "cannot run" in r.stderr:
                print("skip --isa %s: %s" % (isa, r.stderr.strip()))
                continue
            check(r.returncode == 0, "--isa %s: %s" % (isa, r.stderr))
            check(r.stdout == ref_csv, "--isa %s --threads %s: other bytes" % (isa, threads))
        print("ok   the same bytes for every kernel path and thread count")

        # JSON lines
        r = run(base + ["--format", "jsonl"])
        lines = r.stdout.splitlines()
        check(len(lines) == n, "jsonl: %d lines" % len(lines))
        for j in (0, 1, 4, 777, n - 1):
            obj = json.loads(lines[j])
            for k in OUTPUTS.split(","):
                x = np.nan if obj[k] is None else obj[k]
                check(same(x, want[k][j]), "jsonl row %d %s: %r vs %r" % (j, k, x, want[k][j]))
        print("ok   JSON lines")

        # HDF5 columns with units and formula text
        h5 = os.path.join(tmp, "o.h5")
        run(base + ["--format", "h5", "--output", h5])
        check(not os.path.exists(h5 + ".partial"), "h5: .partial left")
        with h5py.File(h5, "r") as f:
            check(f.attrs["format"] == "llmcost-points/1", "h5 format attribute")
            for k in OUTPUTS.split(","):
                check(same(f[k][...], want[k]), "h5 %s" % k)
            check(f["margin"].attrs["units"] == "USD/user/month", "h5 margin units")
            check(f["margin"].attrs["formula"] ==
                  "subscription - tokens_per_user / 1000 * infer_cost_per_1k", "formula attr")
            check(f["pretrain_cost"].attrs["units"] == "USD", "h5 pretrain_cost units")
            check(same(f["params"][...], cols["params"]), "h5 params column")
        r = run(base + ["--format", "h5", "--output", h5], rc=2)
        check("exists" in r.stderr and "--force" in r.stderr, "h5 exists: " + r.stderr)
        run(base + ["--format", "h5", "--output", h5, "--force"])
        print("ok   HDF5 columns")

        # the same design as HDF5 columns (h5py): the same values
        h5in = os.path.join(tmp, "design.h5")
        with h5py.File(h5in, "w") as f:
            for k in names:
                f[k] = cols[k]
            f["not_an_input"] = np.zeros(3)  # ignored
        r = run(["eval", "--points", h5in, "--outputs", OUTPUTS] + FIXED + fargs)
        open(out, "w").write(r.stdout)
        got = read_csv(out)
        check(sorted(got) == sorted(names + OUTPUTS.split(",")), "h5 design columns %s" % list(got))
        for k in OUTPUTS.split(","):
            check(same(got[k], want[k]), "HDF5 design: %s differs" % k)
        with h5py.File(os.path.join(tmp, "badh5.h5"), "w") as f:
            f["params"] = np.array([7e9, 7e10, -1.0])
            f["util"] = np.array([0.5, 0.5, 0.5])
        r = run(["eval", "--points", "badh5.h5"], rc=2, cwd=tmp)
        check("badh5.h5: row 3: params: -1 is out of range" in r.stderr, r.stderr)
        with h5py.File(os.path.join(tmp, "badh5.h5"), "w") as f:
            f["params"] = np.array([7e9, 7e10])
            f["util"] = np.array([0.5])
        r = run(["eval", "--points", "badh5.h5"], rc=2, cwd=tmp)
        check("column 'util' has 1 rows, column 'params' 2" in r.stderr, r.stderr)
        print("ok   HDF5 designs")

        # single points: `eval --formula` gives the same bits as --points
        for j in (0, 3, 12345):
            a = ["eval", "--json"] + FIXED + fargs
            for k in names:
                a += ["--" + k, repr(float(cols[k][j]))]
            d = json.loads(run(a, rc=(0, 1)).stdout)  # 1: no break-even there
            for k in ("margin", "cpp", "lg"):
                x = d["formulas"][k]["value"]
                check(same(np.nan if x is None else x, want[k][j]),
                      "eval --formula %s at row %d: %r vs %r" % (k, j, x, want[k][j]))
        print("ok   eval --formula at single points")

        # chinchilla: tokens = 20 x params per row
        p2 = os.path.join(tmp, "p2.csv")
        open(p2, "w").write("params,util\n7B,0.5\n70B,0.4\n")
        r = run(["eval", "--points", p2, "--chinchilla", "--outputs", "pretrain_flop"])
        got = [float(line.split(",")[2]) for line in r.stdout.splitlines()[1:]]
        check(got == [6.0 * 7e9 * (20 * 7e9), 6.0 * 70e9 * (20 * 70e9)], "chinchilla %s" % got)
        print("ok   --chinchilla per row")

        # bad rows: FILE:LINE, exit 2, no output file left
        cases = [
            ("params,tokens\n7B,1T\n70B,abc\n", "bad.csv:3: column 2 (tokens): 'abc' is not a number"),
            ("params,tokens\n7B,1T\n70B\n", "bad.csv:3: 1 values, expected 2"),
            ("params,tokens\n7B,1T,5\n", "bad.csv:2: more than 2 values, expected 2"),
            ("params,util\n7B,1.5\n", "bad.csv:2: column 2: util: 1.5 is out of range"),
            ("params,util\n7B,\n", "bad.csv:2: column 2 (util) is empty"),
            ("params,parms\n7B,1\n", "bad.csv:1: column 2: unknown input 'parms'"),
            ("params,pretrain_cost\n", "bad.csv:1: column 2: 'pretrain_cost' is an output"),
            ("params,params\n", "bad.csv:1: column 2: input 'params' is also column 1"),
            ("params\n", "bad.csv: no points (only a header)"),
            ("", "bad.csv: no header line"),
        ]
        bad = os.path.join(tmp, "bad.csv")
        res = os.path.join(tmp, "res.csv")
        for text, msg in cases:
            open(bad, "w").write(text)
            r = run(["eval", "--points", "bad.csv", "--output", res], rc=2, cwd=tmp)
            check(msg in r.stderr, "%r: expected %r in %r" % (text, msg, r.stderr))
            check(not os.path.exists(res), "%r: output file left" % text)
        # two bad rows in different threads' halves of a batch: the first is reported
        rows = ["7B,0.5"] * 50000
        rows[10] = "7B,x1"
        rows[40000] = "7B,x2"
        open(bad, "w").write("params,util\n" + "\n".join(rows) + "\n")
        for threads in ("1", "2"):
            r = run(["eval", "--points", "bad.csv", "--threads", threads], rc=2, cwd=tmp)
            check("bad.csv:12: column 2 (util): 'x1' is not a number" in r.stderr,
                  "--threads %s: first bad row: %r" % (threads, r.stderr))
        open(bad, "w").write("params\n7B\nnope\n")
        r = run(["eval", "--points", "bad.csv"], rc=2, cwd=tmp)
        check(r.stdout == "", "a bad row in the first batch: nothing on stdout, got %r" % r.stdout)
        r = run(["eval", "--points", pts, "--outputs", "pretrain_cost,nope"], rc=2)
        check("unknown output 'nope'" in r.stderr, r.stderr)
        r = run(["eval", "--outputs", "pretrain_cost"], rc=2)
        check("go with --points" in r.stderr, r.stderr)
        print("ok   bad rows and options refused with FILE:LINE")
    print("eval --points agrees with numpy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
