#!/usr/bin/python3
"""py_points_presets.py - `llmcost eval --points` with presets: --arch/--gpu
for every row, and arch / gpu columns of names (CSV text, HDF5 strings).

Every row's every output equals `llmcost eval --arch A --gpu G --INPUT V`
at that row bit for bit, including rows where a numeric column (layers) or
an explicit option (--kv-heads) overrides the preset, and --chinchilla
following the preset's params.  The same design as HDF5 (variable- and
fixed-length strings) gives the same bits; --format h5 leaves the name
columns out and keeps the inputs their presets set.  An unknown name is an
error at FILE:LINE (HDF5: row N) with exit 2, as are --arch with an arch
column, a numeric "arch" dataset and a GPU that leaves out its power or
price (Gaudi3, TPU-v5e) without a column or option that supplies it.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

LLMCOST = os.path.abspath(os.environ.get("LLMCOST", "build/llmcost"))
fails = passes = 0


def check(cond, msg):
    global fails, passes
    print(("ok   " if cond else "FAIL ") + msg)
    fails += not cond
    passes += bool(cond)


def run(args, rc=0):
    r = subprocess.run([LLMCOST] + args, capture_output=True, text=True, timeout=300)
    if r.returncode != rc:
        print("FAIL llmcost %s: exit %d (expected %d): %s" % (" ".join(args), r.returncode, rc,
                                                             r.stderr[-1500:]))
        sys.exit(1)
    return r


def num(s):
    return float("nan") if s in ("nan", "", None) else float(s)


def same(a, b):
    return (np.isnan(a) and np.isnan(b)) or np.float64(a).view(np.uint64) == np.float64(b).view(np.uint64)


def eval_point(args):
    """Every output of `llmcost eval ARGS --json` (NaN for null)."""
    d = json.loads(run(["eval", "--json"] + args).stdout)
    return {k: num(v["value"]) for k, v in d["outputs"].items()}, d["inputs"]


def rows_vs_eval(label, out_csv, per_row_args):
    """Each row of a results CSV against eval with that row's options."""
    rows = list(csv.DictReader(io.StringIO(out_csv)))
    check(len(rows) == len(per_row_args), "%s: %d rows" % (label, len(rows)))
    bad, n = [], 0
    for row, args in zip(rows, per_row_args):
        want, _ = eval_point(args)
        check(set(want) <= set(row), "%s: every output of eval in the results" % label)
        for k, w in want.items():
            n += 1
            if not same(num(row[k]), w):
                bad.append((args, k, row[k], w))
    check(not bad and n >= 30 * len(rows), "%s: all %d values = eval at each row bit for bit%s" %
          (label, n, "" if not bad else ": %r" % bad[:3]))
    return rows


tmp = tempfile.mkdtemp(prefix="llmcost_pp_")

# ---- an arch column and a gpu column; layers overrides the preset -------------
design = [("llama-3.1-70b", "H100", 80, "1T"), ("Llama-3.1-70B", "H100", 40, "1T"),
          ('"mixtral-8x7b"', "a100", 32, "2T"), ("gpt-4", "MI300X", 120, "13T"),
          ("deepseek-v3", "H200", 61, "14.8T")]
path = os.path.join(tmp, "d.csv")
with open(path, "w") as f:
    f.write("# a design of presets\narch,gpu,layers,tokens\n\n")
    for a, g, l, t in design:
        f.write("%s,%s,%d,%s\n" % (a, g, l, t))
per_row = [["--arch", a.strip('"'), "--gpu", g, "--layers", str(l), "--tokens", t]
           for a, g, l, t in design]
r = run(["eval", "--points", path])
rows = rows_vs_eval("arch + gpu columns, layers column", r.stdout, per_row)
hdr = r.stdout.split("\n")[0].split(",")
check(hdr[:4] == ["arch", "gpu", "layers", "tokens"] and "params" in hdr and "flops" in hdr
      and hdr.index("params") < hdr.index("pretrain_cost"),
      "results: the file's columns, the presets' inputs, then the outputs")
check([x["arch"] for x in rows[:3]] == ["llama-3.1-70b", "llama-3.1-70b", "mixtral-8x7b"] and
      rows[2]["gpu"] == "A100", "names written in the catalogue's spelling")
check(num(rows[0]["kv_bytes_per_token"]) == 327680 and num(rows[1]["kv_bytes_per_token"]) == 163840
      and num(rows[0]["weights_bytes"]) == 141108e6,
      "llama-3.1-70b: 327680 KV bytes/token at 80 layers, 163840 at the column's 40")
check(num(rows[0]["params"]) == 70.554e9 and num(rows[2]["params_active"]) == 12.9e9,
      "the presets' params and params_active in their columns")

# ---- an explicit option beats a row's preset; --chinchilla follows its params --
path2 = os.path.join(tmp, "a.csv")
with open(path2, "w") as f:
    f.write("arch\nllama-2-70b\nmistral-7b\nqwen2.5-72b\n")
names = ["llama-2-70b", "mistral-7b", "qwen2.5-72b"]
r = run(["eval", "--points", path2, "--kv-heads", "4", "--gpu", "H100", "--chinchilla"])
rows = rows_vs_eval("arch column, --kv-heads 4, --gpu H100, --chinchilla", r.stdout,
                    [["--arch", a, "--kv-heads", "4", "--gpu", "H100", "--chinchilla"] for a in names])
check("kv_heads" not in r.stdout.split("\n")[0].split(","),
      "an input given as an option gets no preset column")
r = run(["eval", "--points", path2, "--outputs", "kv_bytes_per_token", "--format", "jsonl"])
js = [json.loads(x) for x in r.stdout.splitlines()]
check([x["arch"] for x in js] == names and js[0]["kv_bytes_per_token"] == 327680,
      "jsonl: the name as a string, llama-2-70b 327680 KV bytes/token")

# ---- --arch for every row, explicit columns win ------------------------------------
path3 = os.path.join(tmp, "n.csv")
with open(path3, "w") as f:
    f.write("layers,batch\n80,1\n40,8\n")
r = run(["eval", "--points", path3, "--arch", "llama-3.1-70b", "--gpu", "H200"])
rows_vs_eval("--arch/--gpu for every row, layers column", r.stdout,
             [["--arch", "llama-3.1-70b", "--gpu", "H200", "--layers", "80", "--batch", "1"],
              ["--arch", "llama-3.1-70b", "--gpu", "H200", "--layers", "40", "--batch", "8"]])

# ---- the same design as HDF5 strings (variable and fixed length) ------------------
h5 = os.path.join(tmp, "d.h5")
with h5py.File(h5, "w") as f:
    f["arch"] = np.array([a.strip('"') for a, _, _, _ in design], dtype=object)
    f["arch"].attrs["note"] = "variable-length strings"
    f.create_dataset("gpu", data=np.array([g for _, g, _, _ in design], dtype="S8"))
    f["layers"] = np.array([l for _, _, l, _ in design], dtype=np.float64)
    f["tokens"] = np.array([1e12, 1e12, 2e12, 13e12, 14.8e12])
check(h5py.File(h5)["arch"].dtype.kind == "O" and h5py.File(h5)["gpu"].dtype.kind == "S",
      "HDF5 design: arch variable-length, gpu fixed-length strings")
rc = run(["eval", "--points", path]).stdout
rh = run(["eval", "--points", h5]).stdout
hc = list(csv.DictReader(io.StringIO(rc)))
hh = list(csv.DictReader(io.StringIO(rh)))
check(len(hh) == len(hc) and all(
    all(same(num(x[k]), num(y[k])) for k in x if k not in ("arch", "gpu")) and
    x["arch"] == y["arch"] and x["gpu"] == y["gpu"] for x, y in zip(hc, hh)),
    "HDF5 string columns give the CSV's bits")
out = os.path.join(tmp, "o.h5")
run(["eval", "--points", path, "--format", "h5", "--output", out])
with h5py.File(out, "r") as f:
    check("arch" not in f and "gpu" not in f and
          np.array_equal(f["kv_bytes_per_token"][:2], [327680, 163840]) and
          f["params"][0] == 70.554e9 and f["flops"][0] == num(hc[0]["flops"]),
          "--format h5: no name columns, the presets' inputs as columns")

# ---- errors at FILE:LINE, exit 2 ---------------------------------------------------------
bad = os.path.join(tmp, "bad.csv")
with open(bad, "w") as f:
    f.write("arch,gpu\nllama-2-7b,H100\n# comment\nllama-2-9b,H100\n")
e = run(["eval", "--points", bad], rc=2).stderr
check("bad.csv:4: column 1 (arch): unknown architecture 'llama-2-9b' (known: llama-2-7b" in e,
      "an unknown architecture: FILE:LINE, column, the known names: " + e.strip()[:90])
with open(bad, "w") as f:
    f.write("gpu\nH100\nH101\n")
e = run(["eval", "--points", bad], rc=2).stderr
check("bad.csv:3: column 1 (gpu): unknown GPU 'H101' (known: A100, H100" in e,
      "an unknown GPU at FILE:LINE")
with open(bad, "w") as f:
    f.write("arch,params\n,7B\n")
e = run(["eval", "--points", bad], rc=2).stderr
check("bad.csv:2: column 1 (arch) is empty: expected an architecture name" in e, "an empty name")
e = run(["eval", "--points", path2, "--arch", "gpt-4"], rc=2).stderr
check("--arch and a column 'arch' exclude each other" in e, "--arch with an arch column")
e = run(["eval", "--points", path, "--gpu", "H100"], rc=2).stderr
check("--gpu and a column 'gpu' exclude each other" in e, "--gpu with a gpu column")
hb = os.path.join(tmp, "bad.h5")
with h5py.File(hb, "w") as f:
    f["arch"] = np.array(["llama-2-7b", "nope"], dtype=object)
e = run(["eval", "--points", hb], rc=2).stderr
check("bad.h5: row 2: column 1 (arch): unknown architecture 'nope'" in e, "HDF5: unknown name at row N")
with h5py.File(hb, "w") as f:
    f["arch"] = np.array([1.0, 2.0])
e = run(["eval", "--points", hb], rc=2).stderr
check("dataset 'arch' is not a column of names (strings)" in e, "HDF5: a numeric arch dataset")
with h5py.File(hb, "w") as f:
    f["params"] = np.array(["7B"], dtype=object)
e = run(["eval", "--points", hb], rc=2).stderr
check("dataset 'params' holds strings, expected numbers" in e, "HDF5: strings for a number")
cat = os.path.join(tmp, "nopower.ini")
with open(cat, "w") as f:
    f.write("[gpu T1]\nflops = 197e12\nhbm_bw = 819e9\nprice_hour = 1.2\n"
            "price_source = test quote\nprice_date = 2024-01\n")
with open(bad, "w") as f:
    f.write("gpu,params\nH100,7B\nT1,7B\n")
e = run(["eval", "--points", bad, "--catalog-add", cat], rc=2).stderr
check("bad.csv:3: GPU 'T1' does not state its board power" in e, "a GPU without power_w at FILE:LINE")
r = run(["eval", "--points", bad, "--catalog-add", cat, "--power-w", "250"])
rows_vs_eval("a GPU without power_w, --power-w 250", r.stdout,
             [["--gpu", g, "--params", "7B", "--power-w", "250", "--catalog-add", cat]
              for g in ("H100", "T1")])

# built-in GPUs that leave out a needed input: supplied by a column, else FILE:LINE
with open(bad, "w") as f:
    f.write("gpu,price_hour,power_w\nGaudi3,3.5,900\nTPU-v5e,1.2,200\nH100,2,700\n")
r = run(["eval", "--points", bad])
rows_vs_eval("Gaudi3 / TPU-v5e with price_hour and power_w columns", r.stdout,
             [["--gpu", g, "--price-hour", ph, "--power-w", pw]
              for g, ph, pw in (("Gaudi3", "3.5", "900"), ("TPU-v5e", "1.2", "200"),
                                ("H100", "2", "700"))])
with open(bad, "w") as f:
    f.write("gpu,power_w\nH100,700\nGaudi3,900\n")
e = run(["eval", "--points", bad], rc=2).stderr
check("bad.csv:3: GPU 'Gaudi3' has no price record: give price_hour" in e,
      "a GPU without a price record, no price_hour column: FILE:LINE")

print("%d passed, %d failed" % (passes, fails))
sys.exit(1 if fails else 0)
