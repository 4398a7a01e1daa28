#!/usr/bin/python3
"""peer_numpy.py - the numpy + h5py program a user would write instead of `llmcost sweep`.

It reads the same spec (configparser, the same axis syntax: lists with SI
suffixes, `log|lin START STOP COUNT`, catalogue GPU names, `tokens =
chinchilla`), builds full-grid input arrays (np.meshgrid style, the way most
notebooks do it; `--inputs sparse` keeps numpy's broadcasting shapes instead),
evaluates the outputs with numpy, reduces them and writes them with h5py
`create_dataset` using the spec's chunk size and compression.  Grids larger
than `--slab-points` are processed in slabs over the leading axes (each slab
is still a full-grid array), so the large specs run in bounded memory too.

It prints TSV, one row per phase, each measured in this run:
  phase        what is timed
  reduce       evaluate the reduced / counted outputs, min/max/mean/argmin/argmax, counts
  eval         evaluate the stored outputs into memory (then drop them)
  write        evaluate the stored outputs and write them (full-grid datasets) with h5py
  sweep        write + reduce + counts in one pass: `llmcost sweep` end to end
Columns: phase, points, seconds, points/s, GB/s (bytes of output values produced:
points x outputs x itemsize), peak RSS in MB (resource.getrusage: the maximum of the
process so far, so run one phase per process with --phases for a per-phase figure).

Usage: /usr/bin/python3 bench/peer_numpy.py SPEC [--phases reduce,eval,write,sweep]
           [--inputs full|sparse] [--slab-points N] [--out FILE] [--catalog FILE]
"""
import argparse
import configparser
import os
import platform
import resource
import sys
import time

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# The cost model's inputs and their defaults (llmcost's model tables).
DEFAULTS = {
    "params": 1776e9, "tokens": 13e12, "flops": 312e12, "util": 1.0, "util_infer": 1.0,
    "price_hour": 2.2659, "discount": 1.0, "period": 6.0, "monthly_tokens": 1.85e12,
    "price_in": 0.01, "price_out": 0.03, "io_ratio": 1.0, "subscription": 20.0,
    "tokens_per_user": 1.8e6, "users": 1e7, "gpus": 10000, "power_w": 400, "pue": 1.2,
    "elec_price": 0.10, "hbm_bw": 2.039e12, "batch": 1, "bytes_per_param": 2,
    "route_share": 0.0, "small_params": 7e9, "router_cost": 0.0,
    "tokens_per_request": 1000, "fx_rate": 7.1,
}
GPU_KEYS = ("flops", "hbm_bw", "power_w", "price_hour")
SI = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15, "%": 1e-2}


def number(text):
    t = text.strip()
    if t and t[-1] in SI:
        return float(t[:-1]) * SI[t[-1]]
    return float(t)


def read_catalog(path):
    # strict=False: the catalogue repeats [price gpu X] sections (dated price
    # records); the peer reads only the [gpu X] sections' reference figures
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None,
                                   strict=False)
    cp.read(path)
    gpus = {}
    for sec in cp.sections():
        if sec.startswith("gpu "):
            name = sec[4:].strip()
            gpus[name.lower()] = (name, {k: float(cp[sec][k]) for k in GPU_KEYS})
    return gpus


class Spec:
    """The parts of a spec the peer needs."""

    def __init__(self, path, catalog):
        cp = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
        cp.read(path)
        sw = cp["sweep"] if cp.has_section("sweep") else {}
        base = os.path.splitext(os.path.basename(path))[0]
        self.output = sw.get("output", base + ".h5")
        self.chunk_bytes = int(number(sw.get("chunk_kib", "1024"))) * 1024
        self.compression = sw.get("compression", "none").strip()
        self.dtype = np.float32 if sw.get("dtype", "float64").strip() == "float32" else np.float64
        self.axes, self.values, self.gpu_axis = [], {}, None
        self.fixed = dict(DEFAULTS)
        self.chinchilla = False
        explicit = set()
        for key, val in (cp["axes"].items() if cp.has_section("axes") else []):
            val = " ".join(val.split())
            if key == "tokens" and val == "chinchilla":
                self.chinchilla = True
                continue
            if key == "gpu":
                names = [catalog[n.strip().lower()][0] for n in val.split(",")]
                self.gpu_axis = names
                self.axes.append("gpu")
                continue
            words = val.split()
            if words[0] in ("log", "lin"):
                a, b, n = number(words[1]), number(words[2]), int(number(words[3]))
                if words[0] == "log":
                    v = 10.0 ** (np.log10(a) + np.arange(n) * (np.log10(b) - np.log10(a)) / max(n - 1, 1))
                else:
                    v = a + np.arange(n) * (b - a) / max(n - 1, 1)
                v[0], v[-1] = a, b
            else:
                v = np.array([number(x) for x in val.split(",")])
            self.axes.append(key)
            self.values[key] = v
            explicit.add(key)
        inputs = cp["inputs"] if cp.has_section("inputs") else {}
        for key, val in inputs.items():
            if key == "gpu":
                continue
            if key == "tokens" and val.strip() == "chinchilla":
                self.chinchilla = True
                continue
            self.fixed[key] = number(val)
            explicit.add(key)
        if "gpu" in inputs:
            g = catalog[inputs["gpu"].strip().lower()][1]
            for k in GPU_KEYS:
                if k not in explicit:
                    self.fixed[k] = g[k]
        self.gpu_keys = []
        if self.gpu_axis:
            self.gpu_keys = [k for k in GPU_KEYS if k not in explicit]
            for k in self.gpu_keys:
                self.values[k] = np.array([catalog[n.lower()][1][k] for n in self.gpu_axis])
        self.util_infer_follows = "util_infer" not in explicit
        out = cp["outputs"] if cp.has_section("outputs") else {}

        def names(k):
            return [x.strip() for x in out.get(k, "").split(",") if x.strip() and x.strip() != "none"]

        self.store = names("store")
        self.reduce = names("reduce")
        self.conds = []
        for c in names("count"):
            for op in ("<=", ">=", "<", ">"):
                if op in c:
                    o, num = c.split(op, 1)
                    self.conds.append((c, o.strip(), op, number(num)))
                    break
        if not self.store and not self.reduce and not self.conds:
            self.store = ["pretrain_cost", "infer_cost_per_1k", "monthly_cost"]
        self.shape = tuple(len(self.gpu_axis) if a == "gpu" else len(self.values[a]) for a in self.axes)
        self.points = int(np.prod(self.shape, dtype=np.float64))


class Model:
    """Outputs on demand; intermediates computed once per slab."""

    def __init__(self, v):
        self.v = v
        self.cache = {}

    def __getitem__(self, name):
        if name not in self.cache:
            self.cache[name] = getattr(self, "_" + name)()
        return self.cache[name]

    def _pps(self): return self.v["price_hour"] / 3600.0
    def _gs(self): return (6.0 * self.v["params"] * self.v["tokens"]) / (self.v["flops"] * self.v["util"])
    def _pretrain_flop(self): return 6.0 * self.v["params"] * self.v["tokens"]
    def _pretrain_gpu_hours(self): return self["gs"] / 3600.0
    def _pretrain_cost(self): return self["gs"] * self["pps"] * self.v["discount"]
    def _train_days(self): return self["gs"] / self.v["gpus"] / 86400.0
    def _energy_mwh(self): return self["gs"] * self.v["power_w"] * self.v["pue"] / 3.6e9
    def _energy_cost(self): return self["energy_mwh"] * 1000.0 * self.v["elec_price"]
    def _spt(self): return 2.0 * self.v["params"] / (self.v["flops"] * self.v["util_infer"])
    def _infer_cost_per_1k(self): return 1000.0 * self["spt"] * self["pps"]

    def _infer_cost_per_1k_bw(self):
        mem = self.v["params"] * self.v["bytes_per_param"] / (self.v["hbm_bw"] * self.v["batch"])
        return 1000.0 * np.maximum(self["spt"], mem) * self["pps"]

    def _fixed_monthly_cost(self): return self["pretrain_cost"] / self.v["period"]

    def _monthly_cost(self):
        return self["fixed_monthly_cost"] + self.v["monthly_tokens"] / 1000.0 * self["infer_cost_per_1k"]

    def _avg_price_per_1k(self):
        r = self.v["io_ratio"]
        return (r * self.v["price_in"] + self.v["price_out"]) / (r + 1.0)

    def _token_revenue(self): return self.v["monthly_tokens"] / 1000.0 * self["avg_price_per_1k"]
    def _token_profit(self): return self["token_revenue"] - self["monthly_cost"]

    def _token_margin(self):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self["token_revenue"] > 0, self["token_profit"] / self["token_revenue"], np.nan)

    def _breakeven_tokens(self):
        m = self["avg_price_per_1k"] - self["infer_cost_per_1k"]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(m > 0, self["fixed_monthly_cost"] / m * 1000.0, np.nan)

    def _sub_revenue(self): return self.v["users"] * self.v["subscription"]

    def _sub_cost(self):
        return self["fixed_monthly_cost"] + self.v["users"] * (
            self.v["tokens_per_user"] / 1000.0 * self["infer_cost_per_1k"])

    def _sub_profit(self): return self["sub_revenue"] - self["sub_cost"]

    def _breakeven_users(self):
        m = self.v["subscription"] - self.v["tokens_per_user"] / 1000.0 * self["infer_cost_per_1k"]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(m > 0, self["fixed_monthly_cost"] / m, np.nan)

    def _route_cost_per_1k(self):
        small = 1000.0 * (2.0 * self.v["small_params"] / (self.v["flops"] * self.v["util_infer"])) * self["pps"]
        f = self.v["route_share"]
        return (f * small + (1.0 - f) * self["infer_cost_per_1k"]
                + self.v["router_cost"] * 1000.0 / self.v["tokens_per_request"])

    def _route_saving_per_1k(self): return self["infer_cost_per_1k"] - self["route_cost_per_1k"]
    def _route_saving_share(self): return self["route_saving_per_1k"] / self["infer_cost_per_1k"]


def slabs(shape, slab_points):
    """Index prefixes over the leading axes so each slab has <= slab_points."""
    k = 0
    while k < len(shape) - 1 and int(np.prod(shape[k:])) > slab_points:
        k += 1
    return k, list(np.ndindex(*shape[:k])) if k else [()]


def slab_inputs(spec, k, prefix, mode):
    """Input arrays for one slab: full-grid arrays (meshgrid), or broadcast shapes."""
    sub_shape = spec.shape[k:]
    v = {}
    rank = len(sub_shape)
    for name, val in spec.fixed.items():
        v[name] = np.float64(val)
    for ai, a in enumerate(spec.axes):
        keys = spec.gpu_keys if a == "gpu" else [a]
        for key in keys:
            arr = spec.values[key]
            if ai < k:
                v[key] = np.float64(arr[prefix[ai]])
            else:
                shp = [1] * rank
                shp[ai - k] = len(arr)
                v[key] = arr.reshape(shp)
    if spec.chinchilla:
        v["tokens"] = 20.0 * v["params"]
    if spec.util_infer_follows:
        v["util_infer"] = v["util"]
    if mode == "full":
        for key in list(v):
            if np.ndim(v[key]) > 0:
                v[key] = np.ascontiguousarray(np.broadcast_to(v[key], sub_shape))
    return v


def chunk_shape(shape, itemsize, chunk_bytes):
    """Whole trailing axes while they fit, then a part of the next one."""
    elems = max(1, chunk_bytes // itemsize)
    ch = [1] * len(shape)
    for i in range(len(shape) - 1, -1, -1):
        take = min(shape[i], max(1, elems))
        ch[i] = take
        elems //= max(1, shape[i])
        if take < shape[i] or elems == 0:
            break
    return tuple(ch)


def compression_args(text):
    if text == "none":
        return {}
    if text.startswith("shuffle+deflate"):
        return {"shuffle": True, "compression": "gzip", "compression_opts": int(text.split(":")[1]) if ":" in text else 1}
    if text.startswith("deflate"):
        return {"compression": "gzip", "compression_opts": int(text.split(":")[1]) if ":" in text else 1}
    if text == "lz4":
        return {"shuffle": True, "compression": 32004}
    if text == "blosc":
        return {"compression": 32001, "compression_opts": (0, 0, 0, 0, 5, 1, 1)}
    raise SystemExit("peer_numpy: unknown compression %r" % text)


def run(spec, phase, args):
    store = spec.store if phase in ("eval", "write", "sweep") else []
    red = spec.reduce if phase in ("reduce", "sweep") else []
    conds = spec.conds if phase in ("reduce", "sweep") else []
    write = phase in ("write", "sweep")
    k, prefixes = slabs(spec.shape, args.slab_points)
    acc = {o: [np.inf, -np.inf, 0.0, 0, 0, None, None] for o in red}  # min max sum nfin nnan argmin argmax
    counts = [0] * len(conds)
    f = None
    dsets = {}
    t0 = time.perf_counter()
    if write and store:
        out = args.out or spec.output.replace(".h5", "") + ".peer.h5"
        f = h5py.File(out, "w")
        ch = chunk_shape(spec.shape, np.dtype(spec.dtype).itemsize, spec.chunk_bytes)
        for i, a in enumerate(spec.axes):
            vals = np.array(spec.gpu_axis, dtype=h5py.string_dtype()) if a == "gpu" else spec.values[a]
            f[a] = vals
            f[a].make_scale(a)
        for o in store:
            dsets[o] = f.create_dataset(o, shape=spec.shape, dtype=spec.dtype, chunks=ch,
                                        **compression_args(spec.compression))
            for i, a in enumerate(spec.axes):
                dsets[o].dims[i].attach_scale(f[a])
    sub_shape = spec.shape[k:]
    for prefix in prefixes:
        m = Model(slab_inputs(spec, k, prefix, args.inputs))
        for o in store:
            arr = np.broadcast_to(m[o], sub_shape)
            if args.inputs == "full":
                arr = np.ascontiguousarray(arr)
            if write:
                dsets[o][prefix] = arr.astype(spec.dtype, copy=False)
        for o in red:
            arr = np.broadcast_to(m[o], sub_shape)
            fin = np.isfinite(arr)
            a = acc[o]
            nf = int(fin.sum())
            a[3] += nf
            a[4] += int(np.isnan(arr).sum())
            if nf:
                x = np.where(fin, arr, np.inf)
                i = int(np.argmin(x))
                if x.flat[i] < a[0]:
                    a[0], a[5] = x.flat[i], prefix + np.unravel_index(i, sub_shape)
                x = np.where(fin, arr, -np.inf)
                i = int(np.argmax(x))
                if x.flat[i] > a[1]:
                    a[1], a[6] = x.flat[i], prefix + np.unravel_index(i, sub_shape)
                a[2] += float(np.sum(arr[fin]))
        for ci, (_, o, op, val) in enumerate(conds):
            arr = np.broadcast_to(m[o], sub_shape)
            with np.errstate(invalid="ignore"):
                cmp = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[op]
                counts[ci] += int(cmp(arr, val).sum())
        del m
    if f is not None:
        f.close()
    secs = time.perf_counter() - t0
    n_out = len(store) if store else len(set(red) | {c[1] for c in conds})
    nbytes = spec.points * n_out * (np.dtype(spec.dtype).itemsize if store else 8)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("%s\t%d\t%.4f\t%.4g\t%.4g\t%.1f" % (phase, spec.points, secs, spec.points / secs,
                                              nbytes / secs / 1e9, rss_mb))
    if args.verbose:
        for o in red:
            a = acc[o]
            print("# %s min=%.6g at %s max=%.6g at %s mean=%.6g finite=%d nan=%d"
                  % (o, a[0], a[5], a[1], a[6], a[2] / max(a[3], 1), a[3], a[4]), file=sys.stderr)
        for (text, *_), n in zip(conds, counts):
            print("# %s: %d (%.4g)" % (text, n, n / spec.points), file=sys.stderr)
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("spec")
    ap.add_argument("--phases", default="reduce,eval,write,sweep")
    ap.add_argument("--inputs", choices=("full", "sparse"), default="full")
    ap.add_argument("--slab-points", type=int, default=1 << 22)
    ap.add_argument("--out", default=None, help="HDF5 file for write/sweep (default: OUTPUT.peer.h5)")
    ap.add_argument("--catalog", default=os.path.join(HERE, "..", "sweeps", "catalog.ini"))
    ap.add_argument("-v", "--verbose", action="store_true", help="print the reductions on stderr")
    args = ap.parse_args()
    spec = Spec(args.spec, read_catalog(args.catalog))
    print("# peer_numpy: spec=%s points=%d axes=%s store=%s reduce=%s conds=%d inputs=%s "
          "numpy=%s h5py=%s python=%s slab_points=%d"
          % (args.spec, spec.points, "x".join(map(str, spec.shape)), ",".join(spec.store),
             ",".join(spec.reduce), len(spec.conds), args.inputs, np.__version__, h5py.__version__,
             platform.python_version(), args.slab_points))
    print("phase\tpoints\tseconds\tpoints_per_s\tGB_per_s\tpeak_rss_MB")
    for phase in args.phases.split(","):
        if phase not in ("reduce", "eval", "write", "sweep"):
            raise SystemExit("peer_numpy: unknown phase %r" % phase)
        if phase in ("eval", "write") and not spec.store:
            continue
        if phase == "reduce" and not (spec.reduce or spec.conds):
            continue
        run(spec, phase, args)


if __name__ == "__main__":
    main()
