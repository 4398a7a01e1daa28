"""py_slice.py - `llmcost slice` returns exactly the HDF5 data at the same
indices, in text and in binary, read back here with h5py.

Runs against a file written by tests/slice_fixture.py (contract layout with
random values: float32 output, NaN, gpu names, a rank-0 output, an axis no
output depends on) and, when `llmcost sweep` works, against a real sweep.
Env: LLMCOST (the binary), BUILD (scratch dir).
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import slice_fixture  # noqa: E402

LLMCOST = os.environ.get("LLMCOST", "build/llmcost")
FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def run(*args):
    p = subprocess.run([LLMCOST, "slice", *args], capture_output=True)
    if p.returncode != 0:
        raise SystemExit("llmcost slice %s failed (%d): %s"
                         % (" ".join(args), p.returncode, p.stderr.decode()))
    return p.stdout, p.stderr.decode()


def text_rows(out):
    rows = []
    for line in out.decode().splitlines():
        if line.startswith("#"):
            continue
        rows.append(line.split())
    return rows


def text_table(out, ncol):
    """Numeric columns of the data lines (blank lines dropped)."""
    rows = [r for r in text_rows(out) if r]
    return np.array([[float(v) for v in r[:ncol]] for r in rows])


def same(a, b):
    """Exactly equal, NaN where NaN."""
    a = np.asarray(a, dtype="f8")
    b = np.asarray(b, dtype="f8")
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def fixture_tests(tmp):
    path = os.path.join(tmp, "fx.h5")
    axes, data = slice_fixture.write(path)
    P, T = axes["params"], axes["tokens"]

    # 1-D along params at tokens index 3, by value (text)
    out, _ = run(path, "pretrain_cost", "--x", "params", "--at", "tokens=%r" % T[3])
    t = text_table(out, 2)
    check(same(t[:, 0], P) and same(t[:, 1], data["pretrain_cost"][:, 3]),
          "1-D text: pretrain_cost[:, 3] and the params values")

    # 2-D with x the slower dimension of the dataset (transposed read)
    out, _ = run(path, "pretrain_cost", "--x", "tokens", "--y", "params")
    t = text_table(out, 3)
    xs, ys = np.meshgrid(T, P)           # x fastest within each y scan
    check(same(t[:, 0], xs.ravel()) and same(t[:, 1], ys.ravel())
          and same(t[:, 2], data["pretrain_cost"].ravel()),
          "2-D text, x = tokens (dataset's last dim), y = params")
    out, _ = run(path, "pretrain_cost", "--x", "params", "--y", "tokens", "--format", "binary")
    b = np.frombuffer(out, dtype="<f8").reshape(-1, 3)
    xs, ys = np.meshgrid(P, T)
    check(same(b[:, 0], xs.ravel()) and same(b[:, 1], ys.ravel())
          and same(b[:, 2], data["pretrain_cost"].T.ravel()),
          "2-D binary, x = params (dataset's first dim): transposed correctly")
    out, _ = run(path, "pretrain_cost", "--x", "tokens", "--y", "params")
    blanks = sum(1 for line in out.decode().splitlines() if line == "")
    check(blanks == len(P), "2-D text: a blank line after each of the %d scans" % len(P))

    # 2-D binary, x = params, y = gpu, batch fixed by #index
    out, _ = run(path, "infer_cost_per_1k_bw", "--x", "params", "--y", "gpu",
                 "--at", "batch=#1", "--format", "binary")
    b = np.frombuffer(out, dtype="<f8").reshape(-1, 3)
    ref = data["infer_cost_per_1k_bw"][:, 1, :]      # gpu x params
    xs, ys = np.meshgrid(P, np.arange(3.0))
    check(same(b[:, 0], xs.ravel()) and same(b[:, 1], ys.ravel())
          and same(b[:, 2], ref.ravel()),
          "2-D binary (x, y, z) float64 records, x fastest, gpu as index")

    # float32 storage: the same doubles as h5py converts them
    out, _ = run(path, "train_days", "--x", "gpu", "--at", "params=#4")
    rows = text_rows(out)
    check(same([float(r[1]) for r in rows], data["train_days"][:, 4])
          and [r[2] for r in rows] == ['"A100"', '"H100"', '"B200"'],
          "float32 output, gpu x axis with its names as a third column")

    # NaN written as NaN, at the same places; gpu picked by name
    out, _ = run(path, "breakeven_tokens", "--x", "params", "--at", "gpu=b200")
    t = text_table(out, 2)
    check(same(t[:, 1], data["breakeven_tokens"][2, :]) and np.isnan(data["breakeven_tokens"]).any(),
          "NaN positions kept (text), --at gpu=NAME case-insensitive")
    out, _ = run(path, "breakeven_tokens", "--x", "params", "--y", "gpu", "--format", "binary")
    b = np.frombuffer(out, dtype="<f8").reshape(-1, 3)
    check(same(b[:, 2], data["breakeven_tokens"].ravel()), "NaN positions kept (binary)")

    # nearest value: a note on stderr and the nearest index's data
    out, err = run(path, "pretrain_cost", "--x", "tokens", "--at", "params=40B")
    t = text_table(out, 2)
    k = int(np.argmin(np.abs(np.log(P / 40e9))))
    check(same(t[:, 1], data["pretrain_cost"][k, :]) and "nearest" in err,
          "value off the axis: nearest point (#%d) and a note" % k)

    # an axis the output does not depend on: repeated along x, ignored in --at
    out, err = run(path, "pretrain_cost", "--x", "users", "--at", "params=#2",
                   "--at", "tokens=#0", "--at", "gpu=H100")
    t = text_table(out, 2)
    check(same(t[:, 0], axes["users"]) and same(t[:, 1], np.full(4, data["pretrain_cost"][2, 0]))
          and "does not depend on gpu" in err,
          "broadcast along users; --at gpu ignored with a note")

    # 0-D: the scalar output, and a fully fixed point
    out, _ = run(path, "avg_price_per_1k")
    check(same(text_table(out, 1)[:, 0], [data["avg_price_per_1k"]]), "rank-0 output")
    out, _ = run(path, "infer_cost_per_1k_bw", "--at", "gpu=H100", "--at", "batch=64",
                 "--at", "params=1e12", "--format", "binary")
    check(same(np.frombuffer(out, dtype="<f8"), [data["infer_cost_per_1k_bw"][1, 1, 6]]),
          "every axis fixed: one value (binary)")

    # -o FILE gives the same bytes as stdout
    o = os.path.join(tmp, "s.bin")
    out, _ = run(path, "pretrain_cost", "--x", "params", "--y", "tokens", "--format", "binary")
    run(path, "pretrain_cost", "--x", "params", "--y", "tokens", "--format", "binary", "-o", o)
    with open(o, "rb") as f:
        check(f.read() == out and len(out) == 7 * 5 * 24, "-o FILE: same bytes, 24 per point")


SPEC = """[sweep]
name = py_slice test
output = {out}
[axes]
gpu = A100, H100
params = log 1e9 1e12 7
tokens = log 1e11 1e13 5
users = 1M, 2M, 5M
[inputs]
discount = 0.5
[outputs]
store = pretrain_cost, sub_profit, infer_cost_per_1k
"""


def sweep_tests(tmp):
    """The same checks on a file written by `llmcost sweep`, if it works."""
    out = os.path.join(tmp, "sw.h5")
    spec = os.path.join(tmp, "sw.ini")
    with open(spec, "w") as f:
        f.write(SPEC.format(out=out))
    p = subprocess.run([LLMCOST, "sweep", "--quiet", spec], capture_output=True)
    if p.returncode != 0:
        err = p.stderr.decode()
        if "not implemented" in err:
            print("SKIP real sweep file: llmcost sweep is not implemented yet")
            return
        FAILS.append("llmcost sweep failed: " + err)
        print("FAIL llmcost sweep: " + err)
        return
    with h5py.File(out, "r") as f:
        for name in ("pretrain_cost", "sub_profit"):
            ds = f[name]
            dims = [ds.dims[i][0].name.lstrip("/") for i in range(ds.ndim)]
            full = ds[()]
            x, y = dims[-1], dims[0]
            at = []
            for d in dims[1:-1]:
                at += ["--at", "%s=#1" % d]
            sel = tuple([slice(None)] + [1] * (len(dims) - 2) + [slice(None)])
            ref = full[sel]                       # y x
            o, _ = run(out, name, "--x", x, "--y", y, *at, "--format", "binary")
            b = np.frombuffer(o, dtype="<f8").reshape(-1, 3)
            check(same(b[:, 2], ref.ravel()) and same(b[:, 0], np.tile(f[x][()], len(f[y]))),
                  "real sweep: %s over %s x %s (binary)" % (name, x, y))
            o, _ = run(out, name, "--x", x, "--y", y, *at)
            t = text_table(o, 3)
            check(same(t[:, 2], ref.ravel()), "real sweep: %s (text)" % name)

    # the same sweep stored over every axis (--broadcast): every slice equals
    # the compact file's (which repeats along axes the output ignores)
    outb = os.path.join(tmp, "swb.h5")
    p = subprocess.run([LLMCOST, "sweep", "--quiet", "--broadcast", "-o", outb, spec],
                       capture_output=True)
    if p.returncode != 0:
        FAILS.append("llmcost sweep --broadcast failed: " + p.stderr.decode())
        return
    for args in (["pretrain_cost", "--x", "users", "--y", "tokens", "--at", "gpu=H100",
                  "--at", "params=#2"],
                 ["sub_profit", "--x", "params", "--y", "users", "--at", "gpu=#0",
                  "--at", "tokens=#4"],
                 ["infer_cost_per_1k", "--x", "params", "--at", "gpu=A100",
                  "--at", "tokens=#1", "--at", "users=2M"]):
        a, _ = run(out, *args, "--format", "binary")
        b, _ = run(outb, *args, "--format", "binary")
        check(len(a) > 0 and a == b, "compact and --broadcast files give the same slice: "
              + " ".join(args))


def main():
    with tempfile.TemporaryDirectory(dir=os.environ.get("BUILD")) as tmp:
        fixture_tests(tmp)
        sweep_tests(tmp)
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        return 1
    print("all slice checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
