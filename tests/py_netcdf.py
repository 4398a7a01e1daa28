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
  * --netcdf-classic (spec netcdf = classic) files, serial and merged:
    ncdump -k says "netCDF-4 classic model", nccopy -k nc7, nc4 and classic
    convert them, no groups / vlen strings / uint64 are left, and ncdump
    and xarray (both engines, the file and its copies) read the values and
    gpu names of the ordinary file; the summary is in root attributes;
  * [uncertainty] bands in the classic model (two text axes with stored
    samples, and sweeps/bands_pretrain.ini): ncdump -h shows the percentile
    and sample dimensions, the netCDF dimension ids are dense and unique,
    nccopy -k nc7 converts the file, and xarray (both engines, the file and
    the copy) reads OUTPUT_pct/_mean/_sd/_nan_share and the samples
    uncertainty_<input> with the bits of the ordinary file; a seed above
    2^53 is refused at its line before the sweep;
  * every read snippet of the docs and specs (tests/doc_reads.py finds
    them: ```python fences, shell commands running python3 -c, inline
    xarray opens) runs as written on the files the documented commands
    make, a shown first output line must appear, and a reader line that no
    snippet covers fails.
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


def check_classic(path, ref, tag, summary=True, gpu=True):
    """A --netcdf-classic file: netCDF-C reads it as the netCDF-4 classic
    model, nccopy -k nc7 / nc4 / classic convert it, and every reader (the
    file and its copies, ncdump, xarray with both engines) gets the values
    and names of the ordinary file REF; the summary is in root attributes."""
    r = run("ncdump", "-k", path)
    check(r.stdout.strip() == "netCDF-4 classic model", "%s: ncdump -k says %r" % (tag, r.stdout.strip()))
    copies = []
    for kind in ("nc7", "nc4", "classic"):
        out = "%s.%s.nc" % (path, kind)
        if run("nccopy", "-k", kind, path, out).returncode == 0:
            copies.append((kind, out))
    with h5py.File(path, "r") as f, h5py.File(ref, "r") as g:
        check("_nc3_strict" in f.attrs, "%s: root attribute _nc3_strict" % tag)
        kinds = set()

        def vlen_str(dt):
            i = h5py.check_string_dtype(dt)
            return i is not None and i.length is None

        def attrs(obj):
            for k in obj.attrs:
                dt = obj.attrs.get_id(k).dtype
                kinds.add("vlen string attribute" if vlen_str(dt) else "")
                kinds.add("uint64 attribute" if dt == np.uint64 else "")

        def visit(name, obj):
            kinds.add(type(obj).__name__)
            attrs(obj)
            if isinstance(obj, h5py.Dataset) and (vlen_str(obj.dtype) or obj.dtype == np.uint64):
                kinds.add("vlen string or uint64 dataset")
        attrs(f)
        f.visititems(visit)
        bad = kinds & {"Group", "vlen string attribute", "uint64 attribute", "vlen string or uint64 dataset"}
        check(not bad, "%s: no groups, no variable-length strings, no uint64 (%s)" % (tag, ", ".join(sorted(bad)) or "none"))
        names = [n for n, d in g.items() if isinstance(d, h5py.Dataset) and d.dtype.kind == "f"
                 and s(d.attrs.get("CLASS", b"")) != "DIMENSION_SCALE"]
        with xr.open_dataset(ref, engine="h5netcdf") as x:
            coords = {c: list(x[c].values) for c in x.coords}
        text = [c for c, v in coords.items() if isinstance(v[0], str)]
        names_gpu = coords["gpu"] if gpu else []
        for p, what in [(path, "")] + [(c, " (nccopy -k %s copy)" % k) for k, c in copies]:
            for eng in ENGINES:
                if what.endswith("classic copy)") and eng == "h5netcdf":
                    continue  # a netCDF-3 file: only the netCDF-C engine reads it
                try:
                    with xr.open_dataset(p, engine=eng) as ds:
                        same = all(np.array_equal(ds[n].values, g[n][()], equal_nan=True) for n in names)
                        check(same and {c: list(ds[c].values) for c in ds.coords} == coords and
                              float(ds.attrs["grid_points"]) == float(g.attrs["grid_points"]),
                              "%s%s: xarray (%s) reads the values, the coordinates (names of %s) and "
                              "grid_points of %s" % (tag, what, eng, ", ".join(text), ref))
                except Exception as e:  # noqa: BLE001 - report any reader failure
                    check(False, "%s%s: xarray (%s) cannot open: %s" % (tag, what, eng, e))
        # ncdump of the nc7 copy: the names, and one value to the last digit
        if copies:
            r = run("ncdump", "-p", "17,17", "-v", "gpu,params" if gpu else "params", copies[0][1])
            if gpu:
                check(all('"%s"' % x in r.stdout for x in names_gpu),
                      "%s: ncdump -v gpu of the nc7 copy lists %s" % (tag, names_gpu))
            u = g["params"][()]
            m = re.search(r"params = ([^;]*);", r.stdout.split("\ndata:", 1)[-1])
            check(m is not None and np.array_equal([float(x) for x in m.group(1).split(",")], u),
                  "%s: ncdump -v params of the nc7 copy gives the %d params values to the bit" % (tag, len(u)))
        # the summary: root attributes summary.<output>.<key> = /summary/<output>.<key>
        sm = g["summary"]
        n = 0
        for o in sm:
            for k, v in sm[o].attrs.items():
                x = f.attrs.get("summary.%s.%s" % (o, k))
                same = x is not None and (s(x) == s(v) if isinstance(v, (bytes, str)) else
                                          np.array_equal(np.asarray(x, float), np.asarray(v, float)))
                n += 1
                if not same:
                    check(False, "%s: summary.%s.%s = %r, /summary/%s %s = %r" % (tag, o, k, x, o, k, v))
        check((n > 10 or not summary) and "summary" in f.attrs,
              "%s: the %d summary values are root attributes summary.*" % (tag, n))


BANDS_INI = """[sweep]
output = bands.h5
[axes]
api = gpt-4o, claude-sonnet-4
gpu = A100, H100
params = 7B, 70B, 700B
[inputs]
price_date = 2026-06
[outputs]
store = pretrain_cost, avg_price_per_1k
reduce = pretrain_cost, infer_cost_per_1k
[distribution.util]
type = uniform
low = 0.3
high = 0.6
[distribution.discount]
type = triangular
low = 0.3
mode = 0.5
high = 1
[distribution.price_hour]
type = lognormal
median = 2
gsd = 1.5
low = 0.5
high = 10
[correlation]
util, price_hour = 0.5
[uncertainty]
seed = 3
samples = 200
percentiles = 5, 50, 95
outputs = pretrain_cost, infer_cost_per_1k, cost2
store_samples = yes
[formulas]
cost2 = pretrain_cost * 2 [USD]
"""


def check_bands_classic(path, ref, tag, samples):
    """[uncertainty] bands of a classic file PATH against the ordinary file
    REF of the same spec: ncdump -h shows the percentile (and sample)
    dimensions, the netCDF dimension ids are dense and unique (the axes,
    the strlen dimensions, percentile, sample), and xarray (both engines,
    the file and its nccopy -k nc7 copy) reads every band, the percentile
    coordinate and the stored samples with REF's bits."""
    with h5py.File(ref, "r") as g:
        np_ = len(g["percentile"])
        bands = [n for n in g if re.search(r"_(pct|mean|sd|nan_share)$", n)]
        want = {n: g[n][()] for n in bands + ["percentile"]}
        smp = {k: g["uncertainty"][k][()] for k in g["uncertainty"]} if samples else {}
        check(len(bands) == (12 if samples else 8) and (not samples or len(smp) >= 2),
              "%s: the ordinary file holds %d bands, %d stored samples" % (tag, len(bands), len(smp)))
    r = run("ncdump", "-h", path)
    dims = r.stdout.split("variables:")[0]
    check("\tpercentile = %d ;" % np_ in dims and (not samples or "\tsample = 200 ;" in dims),
          "%s: ncdump -h shows the percentile%s dimension" % (tag, " and sample" if samples else ""))
    with h5py.File(path, "r") as f:
        ids = {n: int(f[n].attrs["_Netcdf4Dimid"]) for n in f if "_Netcdf4Dimid" in f[n].attrs}
        n_axes = len(s(f.attrs["axes"]).split(","))
        n_text = sum(1 for n in ids if n.endswith("_strlen"))
        check(sorted(ids.values()) == list(range(len(ids))) and ids["percentile"] == n_axes + n_text and
              (not samples or ids["sample"] == n_axes + n_text + 1),
              "%s: netCDF dimension ids dense and unique, percentile = %d after %d axes and %d strlen "
              "dimensions (%s)" % (tag, n_axes + n_text, n_axes, n_text, ids))
        with h5py.File(ref, "r") as g:
            same = all(f[n].attrs[k].dtype == np.float64 and g[n].attrs[k].dtype == np.uint64 and
                       float(f[n].attrs[k][0]) == float(g[n].attrs[k][0]) for n in bands for k in ("samples", "seed"))
            seed = [int(g[bands[0]].attrs["seed"][0]), int(g[bands[0]].attrs["samples"][0])]
        check("uncertainty" not in f and same and (seed == [3, 200] or not samples),
              "%s: no /uncertainty group; every band's samples and seed (%s) float64, the uint64 of %s"
              % (tag, seed, ref))
        check(s(f["percentile"].attrs["bands"]) == "complete", "%s: percentile:bands = complete" % tag)
    nc7 = path + ".bands.nc7.nc"
    run("nccopy", "-k", "nc7", path, nc7)
    for p, what in ((path, ""), (nc7, " (nccopy -k nc7 copy)")):
        for eng in ENGINES:
            try:
                with xr.open_dataset(p, engine=eng) as ds:
                    same = all(ds[n].values.tobytes() == v.tobytes() for n, v in want.items())
                    pd = all(ds[n].dims[-1] == "percentile" for n in bands if n.endswith("_pct"))
                    sm = all(ds["uncertainty_" + k].dims == ("sample",) and
                             ds["uncertainty_" + k].values.tobytes() == v.tobytes() for k, v in smp.items())
                    check(same and pd and sm, "%s%s: xarray (%s) reads the %d bands (OUTPUT_pct over the "
                          "percentile dimension, _mean, _sd, _nan_share)%s bit for bit as in %s"
                          % (tag, what, eng, len(bands), ", the samples uncertainty_<input>" if smp else "", ref))
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


def run_reads(tmp):
    """Run every read snippet of the docs and specs (tests/doc_reads.py) on
    the files made in TMP; a reader line no snippet covers fails."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import doc_reads
    found, uncovered = doc_reads.find(ROOT)
    for path, no, text in uncovered:
        check(False, "%s:%d: a read line no test runs (see tests/doc_reads.py): %s"
              % (os.path.relpath(path, ROOT), no, text))
    kinds = {k for k, *_ in found}
    check(len(found) >= 10 and kinds == {"python", "shell", "expr"},
          "found %d read snippets in the docs and specs (%s)" % (len(found), ", ".join(sorted(kinds))))
    # the commands: python3 is this interpreter, llmcost the tested binary,
    # sweeps/ the repository's
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir, exist_ok=True)
    for name, target in (("python3", sys.executable), ("llmcost", LLMCOST)):
        if not os.path.exists(os.path.join(bindir, name)):
            os.symlink(target, os.path.join(bindir, name))
    if not os.path.exists("sweeps"):
        os.symlink(os.path.join(ROOT, "sweeps"), "sweeps")
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    norm = lambda x: " ".join(x.split())
    for kind, path, no, code in found:
        where = "%s:%d" % (os.path.relpath(path, ROOT), no)
        if kind == "shell":
            cmd, shown = code
            r = subprocess.run(["bash", "-c", "set -e -o pipefail\n" + cmd.replace("/usr/bin/python3", "python3")],
                               capture_output=True, text=True, env=env)
            first = next((x for x in shown if x.strip()), None)
            ok = r.returncode == 0 and r.stdout.strip() and "Traceback" not in r.stderr
            check(ok, "%s runs: %s%s" % (where, norm(cmd)[:120], "" if ok else " -> exit %d: %s"
                                         % (r.returncode, r.stderr.strip()[-300:])))
            if ok and first is not None:
                check(norm(first) in norm(r.stdout), "%s: prints what the doc shows: %s"
                      % (where, first.strip()[:100]))
            continue
        try:
            g = {"xr": xr, "f": "gpt4.h5"}
            with contextlib.redirect_stdout(io.StringIO()):
                if kind == "python":
                    exec(code, g)  # noqa: S102 - the documented code, on files made above
                else:
                    eval(code, g)  # noqa: S307
            check(True, "%s runs: %s" % (where, code.replace("\n", "; ")[:160]))
        except Exception as e:  # noqa: BLE001
            check(False, "%s: %s raises %s: %s" % (where, code.replace("\n", "; "), type(e).__name__, e))


def main():
    os.makedirs(os.path.join(BUILD, "tests"), exist_ok=True)
    with tempfile.TemporaryDirectory(dir=os.path.join(BUILD, "tests")) as tmp:
        os.chdir(tmp)
        sw = lambda spec, *a: run(LLMCOST, "sweep", os.path.join(ROOT, "sweeps", spec), "-q", *a)
        # the files the read lines name, as the docs make them
        sw("default.ini")
        sw("article.ini")
        sw("frontier.ini")
        sw("subscription.ini")  # its frontier group (doc/questions.md)
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
        # the netCDF-4 classic model: serially, and as 2 shards merged
        sw("frontier.ini", "--netcdf-classic", "-o", "fc.h5")
        sw("frontier.ini", "--netcdf-classic", "-o", "fcs.h5", "--shard", "0/2")
        sw("frontier.ini", "--netcdf-classic", "-o", "fcs.h5", "--shard", "1/2")
        run(LLMCOST, "merge", "fcm.h5", "fcs.shard0-of-2.h5", "fcs.shard1-of-2.h5")
        with open("texts.ini", "w") as f:  # two text axes (api and gpu names)
            f.write("[sweep]\noutput = texts.h5\n[axes]\napi = gpt-4o, claude-sonnet-4, deepseek-chat\n"
                    "gpu = A100, H100\nparams = 7B, 70B\n[inputs]\nprice_date = 2026-06\n"
                    "[outputs]\nstore = pretrain_cost, avg_price_per_1k, infer_cost_per_1k\n")
        run(LLMCOST, "sweep", "texts.ini", "-q")
        run(LLMCOST, "sweep", "texts.ini", "-q", "--netcdf-classic", "-o", "textsc.h5")
        # [uncertainty] bands in the classic model: two text axes (two
        # strlen dimensions before the percentile's), stored samples
        with open("bands.ini", "w") as f:
            f.write(BANDS_INI)
        run(LLMCOST, "sweep", "bands.ini", "-q")
        run(LLMCOST, "sweep", "bands.ini", "-q", "--netcdf-classic", "-o", "bandsc.h5")
        sw("bands_pretrain.ini", "--netcdf-classic", "-o", "bandspc.h5")  # the shipped spec
        sw("bands_pretrain.ini", "-o", "bandsp.h5")
        # a seed the classic model's double cannot hold: refused before the sweep
        big = BANDS_INI.replace("seed = 3", "seed = 9007199254740993").replace(
            "output = bands.h5", "output = bigseed.h5\nnetcdf = classic")
        with open("bigseed.ini", "w") as f:
            f.write(big)
        line = big.split("\n").index("seed = 9007199254740993") + 1
        r = subprocess.run([LLMCOST, "sweep", "bigseed.ini", "-q"], capture_output=True, text=True)
        check(r.returncode == 2 and "bigseed.ini:%d: [uncertainty]: seed 9007199254740993 is above 2^53" % line
              in r.stderr
              and not os.path.exists("bigseed.h5") and not os.path.exists("bigseed.h5.partial"),
              "[uncertainty] seed above 2^53 with netcdf = classic: refused at its line before the "
              "sweep (exit %d: %s)" % (r.returncode, r.stderr.strip()[-200:]))
        r = subprocess.run([LLMCOST, "merge", "mixed.h5", "fcs.shard0-of-2.h5", "frontier.shard1-of-3.h5"],
                           capture_output=True, text=True)
        check(r.returncode == 2 and not os.path.exists("mixed.h5"),
              "merge of a classic shard with an ordinary one is refused (exit %d: %s)"
              % (r.returncode, r.stderr.strip()[-120:]))
        for p in ("default.h5", "frontier.h5", "merged.h5", "gpt4.h5", "all.h5", "fc.h5", "fcm.h5"):
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
        check_cf("fc.h5", "classic fc.h5")
        check_classic("fc.h5", "frontier.h5", "classic fc.h5")
        check_classic("fcm.h5", "frontier.h5", "classic merged fcm.h5 (2 shards)")
        check_unwritten("fcs.shard1-of-2.h5", "frontier.h5", "classic shard 1 of 2")
        check_classic("textsc.h5", "texts.h5", "classic textsc.h5 (api and gpu axes)", summary=False)
        check_classic("bandsc.h5", "bands.h5", "classic bandsc.h5 ([uncertainty], api and gpu axes)")
        check_bands_classic("bandsc.h5", "bands.h5", "classic bandsc.h5", samples=True)
        check_classic("bandspc.h5", "bandsp.h5", "classic bands_pretrain", summary=False, gpu=False)
        check_bands_classic("bandspc.h5", "bandsp.h5", "classic bands_pretrain", samples=False)
        # llmcost's own readers: info shows the names and the summary, slice
        # selects by name and gives the bytes it gives for the default file
        r, r0 = run(LLMCOST, "info", "fc.h5"), run(LLMCOST, "info", "frontier.h5")
        body = lambda o: o[o.find("axes ("):o.find("\nfixed inputs")]
        check("A100, H100, H200, B200, MI300X" in r.stdout and "reductions over the full grid:" in r.stdout
              and body(r.stdout) == body(r0.stdout) and len(body(r.stdout)) > 500,
              "llmcost info on a classic file: axes, outputs and reductions as for the default file")
        sl = [subprocess.run([LLMCOST, "slice", p, "pretrain_cost", "--x", "params", "--at", "gpu=H100",
                              "--at", "util=0.45", "--at", "tokens=1e12", "--at", "price_hour=2"],
                             capture_output=True, text=True) for p in ("fc.h5", "frontier.h5")]
        strip = lambda o: [x for x in o.split("\n") if not x.startswith("# llmcost slice")]
        check(sl[0].returncode == 0 and strip(sl[0].stdout) == strip(sl[1].stdout) and len(sl[0].stdout) > 500,
              "llmcost slice --at gpu=H100 on a classic file: the lines of the default file")
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "cluster_cmp.py"),
                            "fc.h5", "fcm.h5"], capture_output=True, text=True)
        check(r.returncode == 0, "classic merged file identical to the classic serial one (%s)" % r.stdout.strip())
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "cluster_cmp.py"),
                            "frontier.h5", "merged.h5"], capture_output=True, text=True)
        check(r.returncode == 0, "merged file identical to the serial one (%s)" % r.stdout.strip())

        run_reads(tmp)
    if FAILS:
        print("%d checks failed" % len(FAILS))
        return 1
    print("py_netcdf: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
