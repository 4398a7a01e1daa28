"""py_netcdf.py - what netCDF/CF readers see in llmcost's files (issue 17),
checked with the readers themselves on a sweep, a shard, a merged file and
a sensitivity file:
  * ncdump -h reads each one and shows Conventions = "CF-1.10";
    nccopy -k nc4 converts each one (and the copy reads back the same values);
  * xarray opens each one with both engines (netcdf4, h5netcdf) and gets
    the values h5py reads, with named dimensions;
  * every float output has a NaN _FillValue (HDF5 fill value and the
    attribute): the chunks a shard does not own read as NaN, never 0.0, in
    h5py and in both xarray engines, and they are exactly the chunks the
    shard leaves unwritten; the merged file equals the serial one;
  * units only on numeric coordinates (not on the gpu names);
    missing_value_meaning only on breakeven_* (whose NaN means no break-even);
  * every xarray read line in the specs (sweeps/*.ini), README.md,
    doc/*.md and src/h5/h5_sens.c runs as written.
Env: LLMCOST (the binary), BUILD (scratch dir).
"""
import contextlib
import glob
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import xarray as xr

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LLMCOST = os.path.abspath(os.environ.get("LLMCOST", "build/llmcost"))
BUILD = os.environ.get("BUILD", "build")
ENGINES = ("netcdf4", "h5netcdf")
FAILS = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def s(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def run(*args):
    r = subprocess.run(list(args), capture_output=True, text=True)
    check(r.returncode == 0, "%s exits 0%s" % (" ".join(os.path.basename(a) if i == 0 else a
                                                        for i, a in enumerate(args)),
                                               "" if r.returncode == 0 else ": " + r.stderr.strip()[:300]))
    return r


def float_datasets(f):
    """(name, dataset) of every float dataset that is not a coordinate."""
    out = []

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "f" and \
                s(obj.attrs.get("CLASS", b"")) != "DIMENSION_SCALE":
            out.append((name, obj))
    f.visititems(visit)
    return out


def check_cf(path, tag, groups=(None,), outputs=True):
    """ncdump, nccopy -k nc4, xarray with both engines, attributes."""
    r = run("ncdump", "-h", path)
    check('Conventions = "CF-1.10"' in r.stdout, "%s: ncdump -h shows Conventions = \"CF-1.10\"" % tag)
    nc = path + ".nc4.nc"
    run("nccopy", "-k", "nc4", path, nc)
    with h5py.File(path, "r") as f:
        check(s(f.attrs.get("Conventions", "")) == "CF-1.10", "%s: Conventions attribute" % tag)
        # the outputs (in a sweep file the gpu_* catalogue columns are inputs)
        fl = [(n, d) for n, d in float_datasets(f) if not (outputs and n.startswith("gpu_"))]
        check(len(fl) > 0, "%s: has float datasets" % tag)
        for n, d in fl:
            fv = d.fillvalue
            a = d.attrs.get("_FillValue")
            check(np.isnan(fv) and a is not None and np.isnan(a).all() and a.dtype == d.dtype,
                  "%s: %s has a NaN fill value and _FillValue of its own type (%s)" % (tag, n, d.dtype))
        for n, d in f.items():
            if isinstance(d, h5py.Dataset) and d.dtype.kind in "OSU":
                check("units" not in d.attrs, "%s: string coordinate %s has no units" % (tag, n))
            if outputs and isinstance(d, h5py.Dataset) and "formula" in d.attrs:
                has = "missing_value_meaning" in d.attrs
                check(has == n.startswith("breakeven_"),
                      "%s: %s %s missing_value_meaning" % (tag, n, "has" if has else "has no"))
        # every reader gives h5py's values
        for g in groups:
            h = f[g] if g else f
            names = [n for n, d in h.items() if isinstance(d, h5py.Dataset) and d.dtype.kind == "f"
                     and s(d.attrs.get("CLASS", b"")) != "DIMENSION_SCALE"]
            for eng in ENGINES:
                for p, what in ((path, ""), (nc, " (nccopy -k nc4 copy)")):
                    try:
                        ds = xr.open_dataset(p, engine=eng, group=g)
                        same = all(np.array_equal(ds[n].values, h[n][()], equal_nan=True) for n in names)
                        dims = all(ds[n].dims == tuple(ds[n].dims) and len(ds[n].dims) == h[n].ndim for n in names)
                        ds.close()
                        check(same and dims, "%s%s: xarray (%s) reads %s%s as h5py does"
                              % (tag, what, eng, "/" + g if g else "", " (" + ", ".join(names[:4]) + (", ..." if len(names) > 4 else "") + ")"))
                    except Exception as e:  # noqa: BLE001 - report any reader failure
                        check(False, "%s%s: xarray (%s) cannot open: %s" % (tag, what, eng, e))


def check_unwritten(shard, full, tag):
    """Chunks a shard does not own: NaN in every reader, and only those."""
    with h5py.File(shard, "r") as f, h5py.File(full, "r") as g:
        n_missing = 0
        for n, d in float_datasets(f):
            if n.startswith("gpu_") or d.chunks is None:
                continue
            a, ref = d[()], g[n][()]
            # the points of the chunks HDF5 never allocated in the shard
            mask = np.zeros(d.shape, bool)
            for i in range(d.id.get_num_chunks()):
                off = d.id.get_chunk_info(i).chunk_offset
                mask[tuple(slice(o, o + c) for o, c in zip(off, d.chunks))] = True
            unw = ~mask
            n_missing += int(unw.sum())
            check(np.isnan(a[unw]).all(), "%s: %s: the %d points of unwritten chunks read as NaN (h5py)"
                  % (tag, n, int(unw.sum())))
            check(np.array_equal(a[mask], ref[mask], equal_nan=True),
                  "%s: %s: the written chunks equal the serial file" % (tag, n))
            check(not np.any(a[unw] == 0.0), "%s: %s: no unwritten point reads 0.0" % (tag, n))
            for eng in ENGINES:
                x = xr.open_dataset(shard, engine=eng)[n].values
                check(np.array_equal(np.isnan(x), np.isnan(a)) and np.isnan(x[unw]).all(),
                      "%s: %s: xarray (%s) shows the unwritten chunks as NaN" % (tag, n, eng))
        check(n_missing > 0, "%s: the shard leaves chunks unwritten (the test is not vacuous)" % tag)


def read_lines():
    """(file, line number, code) of every xarray read line in the docs and
    specs, with the lines of its code block that use the dataset it opens."""
    files = sorted(glob.glob(os.path.join(ROOT, "sweeps", "*.ini"))) + \
        [os.path.join(ROOT, "README.md"), os.path.join(ROOT, "src", "h5", "h5_sens.c")] + \
        sorted(glob.glob(os.path.join(ROOT, "doc", "*.md")))
    found = []
    for path in files:
        if not os.path.exists(path):
            continue
        lines = open(path, encoding="utf-8").read().split("\n")
        for i, line in enumerate(lines):
            k = line.find("xr.open_dataset(")
            if k < 0:
                continue
            m = re.match(r"\s*(\w+)\s*=\s*xr\.open_dataset\(", line)
            if m:  # "ds = xr.open_dataset(...)": that line, then the block's uses of ds
                code = [line.strip()]
                for nxt in lines[i + 1:]:
                    if nxt.strip() in ("", "```") or nxt.startswith("$") or nxt.startswith("<"):
                        break
                    t = nxt.strip().rstrip("'")
                    if re.match(r"(print\(+)?%s\b" % m.group(1), t):
                        code.append(t.split("  #")[0].strip())
                found.append((path, i + 1, "\n".join(code)))
                continue
            # an expression inside other text: the longest prefix that parses
            text = line[k:]
            for end in range(len(text), 0, -1):
                try:
                    compile(text[:end], "<read line>", "eval")
                except SyntaxError:
                    continue
                found.append((path, i + 1, text[:end]))
                break
            else:
                check(False, "%s:%d: a read line that does not parse" % (path, i + 1))
    return found


def main():
    os.makedirs(os.path.join(BUILD, "tests"), exist_ok=True)
    with tempfile.TemporaryDirectory(dir=os.path.join(BUILD, "tests")) as tmp:
        os.chdir(tmp)
        sw = lambda spec, *a: run(LLMCOST, "sweep", os.path.join(ROOT, "sweeps", spec), "-q", *a)
        # the files the read lines name, as the docs make them
        sw("default.ini")
        sw("frontier.ini")
        sw("bands_pretrain.ini")
        sw("fig_bands.ini")
        sw("frontier.ini", "--shard", "0/3")
        sw("frontier.ini", "--shard", "1/3")
        sw("frontier.ini", "--shard", "2/3")
        run(LLMCOST, "merge", "merged.h5", "frontier.shard0-of-3.h5", "frontier.shard1-of-3.h5",
            "frontier.shard2-of-3.h5")
        run(LLMCOST, "sensitivity", os.path.join(ROOT, "sweeps", "sensitivity_gpt4.ini"),
            "--method", "sobol", "--samples", "256", "--outputs", "pretrain_cost", "-o", "gpt4.h5")
        run(LLMCOST, "sensitivity", os.path.join(ROOT, "sweeps", "sensitivity_gpt4.ini"),
            "--samples", "256", "-o", "all.h5")
        for p in ("default.h5", "frontier.h5", "merged.h5", "gpt4.h5", "all.h5"):
            if not os.path.exists(p):
                print("FAIL: %s was not written" % p)
                return 1

        check_cf("default.h5", "sweep default.h5")
        check_cf("frontier.h5", "sweep frontier.h5")
        check_cf("merged.h5", "merged frontier.h5 (3 shards)")
        check_cf("frontier.shard1-of-3.h5", "shard 1 of 3")
        with h5py.File("all.h5", "r") as f:
            groups = [g for g in f if isinstance(f[g], h5py.Group)]
        check(set(groups) >= {"mc", "tornado", "morris", "sobol"}, "sensitivity file: groups %s" % groups)
        check_cf("all.h5", "sensitivity all.h5", groups=groups, outputs=False)
        check_unwritten("frontier.shard1-of-3.h5", "frontier.h5", "shard 1 of 3")
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "cluster_cmp.py"),
                            "frontier.h5", "merged.h5"], capture_output=True, text=True)
        check(r.returncode == 0, "merged file identical to the serial one (%s)" % r.stdout.strip())

        lines = read_lines()
        check(len(lines) >= 4, "found %d xarray read lines in the docs and specs" % len(lines))
        for path, no, code in lines:
            where = "%s:%d" % (os.path.relpath(path, ROOT), no)
            try:
                env = {"xr": xr, "f": "gpt4.h5"}
                with contextlib.redirect_stdout(io.StringIO()):
                    if "\n" in code or re.match(r"\w+\s*=", code):
                        exec(code, env)  # noqa: S102 - the documented code, on files made above
                    else:
                        eval(code, env)  # noqa: S307
                check(True, "%s runs: %s" % (where, code.replace("\n", "; ")))
            except Exception as e:  # noqa: BLE001
                check(False, "%s: %s raises %s: %s" % (where, code.replace("\n", "; "), type(e).__name__, e))
    if FAILS:
        print("%d checks failed" % len(FAILS))
        return 1
    print("py_netcdf: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
