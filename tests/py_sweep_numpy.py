#!/usr/bin/python3
"""py_sweep_numpy.py - an independent reading of `llmcost sweep` files.

For a few small specs (written to a temporary directory) this runs
`$LLMCOST sweep SPEC`, opens the HDF5 file with h5py and recomputes every
stored output with numpy, from the axis values READ FROM THE FILE and the
input.* attributes (never regenerated: C's pow() and numpy's may differ by an
ULP on log axes).  The formulas below are written again, independently of
the C code, from the cost model's definitions (model.h), in the association
order model.h documents; the project compiles with -ffp-contract=off, so the
comparison is bit-for-bit (np.array_equal, NaN positions equal).  Only the
mean of a reduction is compared with a tolerance (1e-12 relative), because
its summation order is the engine's business.

The same holds for every kernel path (--isa scalar/avx2/avx512 where the
CPU has it) and for 1 and 2 threads.

It also checks the file contract (doc/file-format.md):
dimension scales, compact layout (an output stored over fewer axes must be
constant along the others), root attributes, the /summary reductions and
condition counts against numpy on the full broadcast grid, and that xarray
opens the file with named dimensions and coordinates.

If the command reports that `sweep` is not implemented, the test prints
"SKIP: llmcost sweep not implemented" and exits 0; any other failure fails.
"""
import configparser
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

LLMCOST = os.path.abspath(os.environ.get("LLMCOST", "build/llmcost"))

# ---- the specs ---------------------------------------------------------------
SPECS = {
    # pretraining and inference over a gpu axis; lengths not multiples of
    # anything; small chunks so outputs span several chunks with edges
    "pretrain": """[sweep]
name = numpy check: pretraining
output = {dir}/pretrain.h5
chunk_kib = 4

[axes]
params = 7B, 70B, 175B, 1.8T, 1776B
tokens = log 1e11 2e13 7
gpu = A100, H100, MI300X
util = lin 0.3 0.6 4

[inputs]
discount = 0.5
gpus = 12k
pue = 1.3
elec_price = 0.08
batch = 4
bytes_per_param = 1

[outputs]
store = pretrain_flop, pretrain_gpu_hours, pretrain_cost, train_days, energy_mwh, energy_cost, infer_cost_per_1k
reduce = pretrain_cost, train_days
count = pretrain_cost < 100M, train_days >= 30
""",
    # subscription economics with Chinchilla tokens and NaN break-evens
    "sub": """[sweep]
name = numpy check: subscriptions
output = {dir}/sub.h5
chunk_kib = 8

[axes]
params = 7B, 70B, 405B, 1.8T
users = log 1e4 1e8 9
tokens_per_user = log 1e4 3e7 11
subscription = 5, 20, 60

[inputs]
tokens = chinchilla
gpu = H100
util = 0.45
discount = 0.7
period = 9
monthly_tokens = 2T
price_in = 0.005
price_out = 0.015
io_ratio = 3

[outputs]
store = fixed_monthly_cost, monthly_cost, avg_price_per_1k, token_revenue, token_profit, token_margin, breakeven_tokens, sub_revenue, sub_cost, sub_profit, breakeven_users
reduce = sub_profit, breakeven_users, breakeven_tokens
count = sub_profit > 0, breakeven_users < 5M, breakeven_users <= 1e6
""",
    # routing and bandwidth-bound inference, broadcast layout, explicit
    # price over a gpu axis, util_infer given
    "route": """[sweep]
name = numpy check: routing
output = {dir}/route.h5
layout = broadcast
chunk_kib = 2

[axes]
route_share = lin 0 1 11
small_params = 1B, 7B, 13B
gpu = A100, B200
params = 175B, 1T
batch = 1, 16, 256

[inputs]
price_hour = 3.1
util_infer = 0.35
router_cost = 0.00003
tokens_per_request = 700
bytes_per_param = 2

[outputs]
store = route_cost_per_1k, route_saving_per_1k, route_saving_share, infer_cost_per_1k_bw, infer_cost_per_1k
reduce = route_saving_share
count = route_saving_share > 0.5
""",
    # memory, serving and the business wiring: every pick node both ways
    # (params_active, head_dim, kv_dim given or derived; serving compute and
    # roofline; routing off and on; tp the fewest or given, too small: NaN),
    # a mixture-of-experts model, the PaLM attention FLOPs, the serving
    # attention FLOPs over prompts of 0 to 100K tokens
    "serve": """[sweep]
name = numpy check: memory and serving
output = {dir}/serve.h5
chunk_kib = 4

[axes]
serving = compute, roofline
route_share = 0, 0.3
tp = 0, 4, 16
params_active = 0, 37B
batch = 1, 24, 256
context = 512, 8192, 131072
kv_dim = 0, 1152
gpu = A100, H100
prompt_tokens = 0, 1200, 100000

[inputs]
params = 671B
layers = 61
d_model = 7168
heads = 128
kv_heads = 128
train_seq_len = 4096
util = 0.4
util_infer = 0.5
mem_util = 0.85
bw_util = 0.8
load_factor = 0.6
small_params = 8B
router_cost = 0.00002
output_tokens = 300
io_ratio = 4
price_in = 0.0005
price_out = 0.002

[outputs]
store = pretrain_flop, pretrain_cost, carbon_t, weights_bytes, kv_bytes_per_token, kv_bytes_per_seq, mem_per_replica, gpus_per_replica, max_batch, prefill_flop, decode_flop,
    prefill_tokens_per_s, decode_tokens_per_s, ttft_s, tpot_ms, request_latency_s, prefill_cost_per_1k, decode_cost_per_1k, serve_cost_per_1k, cost_per_1k, monthly_cost, breakeven_tokens,
    sub_profit, route_cost_per_1k, route_saving_share, selfhost_breakeven_tokens
reduce = decode_cost_per_1k, selfhost_breakeven_tokens, monthly_cost
count = decode_cost_per_1k < 0.001, gpus_per_replica <= 8
""",
    # float32 storage, shuffle+deflate, util axis followed by util_infer
    "f32": """[sweep]
name = numpy check: float32
output = {dir}/f32.h5
dtype = float32
compression = shuffle+deflate:1
chunk_kib = 1

[axes]
util = 0.25, 0.5, 0.75
params = log 1e9 1e12 13
monthly_tokens = lin 1e11 5e12 5

[inputs]
gpu = B200

[outputs]
store = monthly_cost, infer_cost_per_1k, token_profit
reduce = monthly_cost
""",
}

GPU_INPUTS = ("flops", "hbm_bw", "power_w", "price_hour", "gpu_mem")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def s(x):
    """An attribute as str (h5py gives bytes or str)."""
    return x.decode() if isinstance(x, bytes) else str(x)


# ---- the model in numpy (independent of the C code) ---------------------------
def roofline(N, pact, bpp, kvtok, v, pps):
    """Memory and the roofline of one replica (model.h's serving section)."""
    F, ui, batch = v["flops"], v["util_infer"], v["batch"]
    weights = N * bpp
    kvseq = kvtok * v["context"]
    mem = weights + batch * kvseq
    return weights, kvseq, mem


def replica(gpr, pflop_tok, dflop_tok, mem, v, pps):
    """One replica's roofline from the FLOPs of a prefill token and of a
    decode token."""
    F, ui, batch = v["flops"], v["util_infer"], v["batch"]
    ptps = gpr * F * ui / pflop_tok
    comp = batch * dflop_tok / (gpr * F * ui)
    memt = mem / (gpr * v["hbm_bw"] * v["bw_util"])
    step = np.where(comp > memt, comp, memt)
    dtps = batch / step
    pre1k = 1000.0 * gpr * pps / ptps
    dec1k = 1000.0 * gpr * pps / dtps
    serve = (v["io_ratio"] * pre1k + dec1k) / (v["io_ratio"] + 1.0) / v["load_factor"]
    return ptps, step, dtps, pre1k, dec1k, serve


def model(v):
    """Every output from a dict of broadcastable inputs, in model.h's
    association order (IEEE double, no contraction)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return model_(v)


def model_(v):
    N, D, F = v["params"], v["tokens"], v["flops"]
    pps = v["price_hour"] / 3600.0                       # USD per GPU-second
    # 0 = derived: params_active = params, head_dim = d_model / heads, ...
    pact = np.where(v["params_active"] > 0.0, v["params_active"], N)
    hd = np.where(v["head_dim"] > 0.0, v["head_dim"], v["d_model"] / v["heads"])
    kvd = np.where(v["kv_dim"] > 0.0, v["kv_dim"], 2.0 * v["kv_heads"] * hd)
    flop = (6.0 * pact + 12.0 * v["layers"] * v["heads"] * hd * v["train_seq_len"]) * D
    gs = flop / (F * v["util"])                          # GPU-seconds
    pre = gs * pps * v["discount"]
    mwh = gs * v["power_w"] * v["pue"] / 3.6e9
    spt = 2.0 * pact / (F * v["util_infer"])
    inf1k = 1000.0 * spt * pps
    mem_bw = N * v["bytes_per_param"] / (v["hbm_bw"] * v["batch"])
    spt_bw = np.where(spt > mem_bw, spt, mem_bw)
    # memory and serving
    bpp = v["bytes_per_param"]
    gm, mu = v["gpu_mem"], v["mem_util"]
    kvtok = v["layers"] * kvd * v["kv_bytes"]
    weights, kvseq, mem = roofline(N, pact, bpp, kvtok, v, pps)
    need = np.ceil(mem / (gm * mu))
    tp = v["tp"]
    gpr = np.where(tp > 0.0, np.where(tp >= need, tp, np.nan), need)
    maxb = np.floor((np.where(tp > 0.0, tp, gpr) * gm * mu - weights) / kvseq)
    maxb = np.where(maxb < 0.0, 0.0, maxb)
    # attention (PaLM appendix B, forward 4 L H Q per token attended to):
    # the prompt's causal sum, token i attends to i tokens, and a decode
    # token at the full context
    P = v["prompt_tokens"]
    pftok = 2.0 * pact + 2.0 * v["layers"] * v["heads"] * hd * (P + 1.0)
    dftok = 2.0 * pact + 4.0 * v["layers"] * v["heads"] * hd * v["context"]
    ptps, step, dtps, pre1k, dec1k, serve = replica(gpr, pftok, dftok, mem, v, pps)
    ttft = v["prompt_tokens"] / ptps
    # the small model: compute-bound, and its own replica of the fewest GPUs
    sN = v["small_params"]
    spact = np.where(v["small_params_active"] > 0.0, v["small_params_active"], sN)
    small1k = 1000.0 * (2.0 * spact / (F * v["util_infer"])) * pps
    skvtok = np.where(v["small_kv_per_token"] > 0.0, v["small_kv_per_token"], kvtok * sN / N)
    _, _, smem = roofline(sN, spact, bpp, skvtok, v, pps)
    sgpr = np.ceil(smem / (gm * mu))
    sserve = replica(sgpr, 2.0 * spact, 2.0 * spact, smem, v, pps)[5]  # no shape: weights only
    roof = v["serving"] >= 0.5
    large = np.where(roof, serve, inf1k)
    small = np.where(roof, sserve, small1k)
    f = v["route_share"]
    route = f * small + (1.0 - f) * large + v["router_cost"] * 1000.0 / v["tokens_per_request"]
    cost = np.where(f > 0.0, route, large)
    fixed = pre / v["period"]
    mt = v["monthly_tokens"]
    monthly = fixed + mt / 1000.0 * cost
    avg = (v["io_ratio"] * v["price_in"] + v["price_out"]) / (v["io_ratio"] + 1.0)
    trev = mt / 1000.0 * avg
    users, tpu, sub = v["users"], v["tokens_per_user"], v["subscription"]
    srev = users * sub
    scost = fixed + users * (tpu / 1000.0 * cost)
    margin_t = avg - cost
    margin_u = sub - tpu / 1000.0 * cost
    be_t = np.where(margin_t > 0.0, fixed / margin_t * 1000.0, np.nan)
    be_u = np.where(margin_u > 0.0, fixed / margin_u, np.nan)
    tmargin = np.where(trev > 0.0, (trev - monthly) / trev, np.nan)
    saving_share = (large - route) / large
    u = serve / avg
    k = np.ceil(1.0 / (1.0 - u)) - 1.0
    selfhost = np.where(u < 1.0, k * gpr * v["price_hour"] * 730.0 / avg * 1000.0, np.nan)
    return {
        "pretrain_flop": flop,
        "pretrain_gpu_hours": gs / 3600.0,
        "pretrain_cost": pre,
        "train_days": gs / v["gpus"] / 86400.0,
        "energy_mwh": mwh,
        "energy_cost": mwh * 1000.0 * v["elec_price"],
        "carbon_t": mwh * v["grid_carbon"],
        "infer_cost_per_1k": inf1k,
        "infer_cost_per_1k_bw": 1000.0 * spt_bw * pps,
        "weights_bytes": weights,
        "kv_bytes_per_token": kvtok,
        "kv_bytes_per_seq": kvseq,
        "mem_per_replica": mem,
        "gpus_per_replica": gpr,
        "max_batch": maxb,
        "prefill_flop": P * pftok,
        "decode_flop": dftok,
        "prefill_tokens_per_s": ptps,
        "decode_tokens_per_s": dtps,
        "ttft_s": ttft,
        "tpot_ms": step * 1000.0,
        "request_latency_s": ttft + v["output_tokens"] * step,
        "prefill_cost_per_1k": pre1k,
        "decode_cost_per_1k": dec1k,
        "serve_cost_per_1k": serve,
        "cost_per_1k": cost,
        "fixed_monthly_cost": fixed,
        "monthly_cost": monthly,
        "avg_price_per_1k": avg,
        "token_revenue": trev,
        "token_profit": trev - monthly,
        "token_margin": tmargin,
        "breakeven_tokens": be_t,
        "sub_revenue": srev,
        "sub_cost": scost,
        "sub_profit": srev - scost,
        "breakeven_users": be_u,
        "route_cost_per_1k": route,
        "route_saving_per_1k": large - route,
        "route_saving_share": saving_share,
        "selfhost_breakeven_tokens": selfhost,
    }


INPUT_NAMES = ("params tokens flops util util_infer price_hour discount period monthly_tokens "
               "price_in price_out io_ratio subscription tokens_per_user users gpus power_w pue "
               "elec_price hbm_bw batch bytes_per_param route_share small_params router_cost "
               "tokens_per_request fx_rate params_active layers d_model heads kv_heads head_dim "
               "kv_dim kv_bytes context train_seq_len prompt_tokens output_tokens gpu_mem mem_util "
               "bw_util tp load_factor grid_carbon serving small_params_active "
               "small_kv_per_token").split()


def inputs_from_file(f, axes):
    """Broadcastable input arrays over the grid, from the file alone."""
    rank = len(axes)

    def along(k, arr):
        shape = [1] * rank
        shape[k] = len(arr)
        return np.asarray(arr, dtype=np.float64).reshape(shape)

    spec = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    spec.read_string(s(f.attrs["spec"]))
    explicit = set(spec["inputs"].keys()) if spec.has_section("inputs") else set()
    v = {}
    for name in INPUT_NAMES:
        if name in axes:
            v[name] = along(axes.index(name), f[name][...])
        elif name in GPU_INPUTS and "gpu" in axes and name not in explicit:
            v[name] = along(axes.index("gpu"), f["gpu_" + name][...])
        elif "input." + name in f.attrs:
            v[name] = np.float64(f.attrs["input." + name])
    rules = {k: s(f.attrs[k]) for k in ("rule.tokens", "rule.util_infer") if k in f.attrs}
    if rules.get("rule.tokens") == "chinchilla":
        check("tokens" not in v or "tokens" not in axes, "tokens both an axis and a rule")
        v["tokens"] = 20.0 * v["params"]
    if rules.get("rule.util_infer") == "util":
        v["util_infer"] = v["util"]
    missing = [n for n in INPUT_NAMES if n not in v]
    check(not missing, "inputs neither on an axis nor in input.* attributes: %s" % missing)
    return v


def ulps(a, b):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    ok = np.isfinite(a) & np.isfinite(b)
    if not ok.any():
        return 0
    return int(np.max(np.abs(a[ok].view(np.int64) - b[ok].view(np.int64))))


def full_grid(arr, shape):
    return np.broadcast_to(arr, shape)


# ---- checks of one file ---------------------------------------------------------
def check_file(path, spec_text, tag):
    f = h5py.File(path, "r")
    check(s(f.attrs["format"]) == "llmcost-sweep/1", "%s: format attribute" % tag)
    check(s(f.attrs["spec"]) == spec_text, "%s: spec attribute is not the spec text" % tag)
    axes = [a for a in s(f.attrs["axes"]).split(",") if a]
    spec = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    spec.read_string(spec_text)
    check(axes == list(spec["axes"].keys()), "%s: axes %s, spec says %s" % (tag, axes, list(spec["axes"].keys())))
    shape = tuple(f[a].shape[0] for a in axes)
    check(int(f.attrs["grid_points"]) == int(np.prod(shape)), "%s: grid_points" % tag)
    for a in axes:
        ds = f[a]
        check(s(ds.attrs["CLASS"]) == "DIMENSION_SCALE", "%s: %s is not a dimension scale" % (tag, a))
        # units on numeric axes only: the gpu names carry none (CF)
        check(("units" in ds.attrs) == (a != "gpu") and "long_name" in ds.attrs,
              "%s: %s: units/long_name wrong" % (tag, a))
    if "gpu" in axes:
        names = [s(x) for x in f["gpu"][...]]
        check(names == [n.strip() for n in spec["axes"]["gpu"].split(",")],
              "%s: gpu names %s" % (tag, names))
    for k, val in spec["inputs"].items() if spec.has_section("inputs") else []:
        if k in ("gpu",) or val.strip() == "chinchilla":
            continue
        check("input." + k in f.attrs, "%s: no input.%s attribute" % (tag, k))

    layout = spec["sweep"].get("layout", "compact")
    check(s(f.attrs["layout"]) == layout, "%s: layout attribute" % tag)
    want_dtype = np.float32 if spec["sweep"].get("dtype", "float64") == "float32" else np.float64

    v = inputs_from_file(f, axes)
    ref = model(v)
    stored = [o.strip() for o in spec["outputs"]["store"].split(",")] if "store" in spec["outputs"] else []
    for out in stored:
        check(out in f, "%s: output %s not in the file" % (tag, out))
        ds = f[out]
        dims = [d[0].name.lstrip("/") if len(d) else None for d in ds.dims]
        check(None not in dims, "%s: %s has a dimension without a scale" % (tag, out))
        check(dims == [a for a in axes if a in dims], "%s: %s dims %s not in grid order" % (tag, out, dims))
        if layout == "broadcast":
            check(dims == axes, "%s: broadcast layout but %s has dims %s" % (tag, out, dims))
        check(ds.dtype == want_dtype, "%s: %s dtype %s" % (tag, out, ds.dtype))
        for a in ("units", "long_name", "formula"):
            check(a in ds.attrs, "%s: %s lacks attribute %s" % (tag, out, a))
        full = np.array(full_grid(ref[out], shape), dtype=np.float64)
        # the value along an axis the output is not stored over must not vary:
        # an independent check of the engine's dependency analysis
        idx = tuple(slice(None) if a in dims else 0 for a in axes)
        reduced = full[idx]
        again = np.broadcast_to(np.expand_dims(reduced, tuple(k for k, a in enumerate(axes) if a not in dims)), shape)
        check(np.array_equal(full, again, equal_nan=True),
              "%s: %s varies along an axis it is not stored over" % (tag, out))
        want = reduced.astype(want_dtype)
        got = ds[...]
        if not np.array_equal(got, want, equal_nan=True):
            nanpos = np.array_equal(np.isnan(got), np.isnan(want))
            fail("%s: %s differs from numpy (NaN positions equal: %s, max %d ULP)"
                 % (tag, out, nanpos, ulps(got, want)))
        print("ok %s %s dims=%s bit-identical" % (tag, out, ",".join(dims) or "(scalar)"))

    # reductions over the full grid
    if "reduce" in spec["outputs"]:
        for out in [o.strip() for o in spec["outputs"]["reduce"].split(",")]:
            g = f["summary/" + out]
            full = np.broadcast_to(ref[out], shape)
            fin = np.isfinite(full)
            check(int(g.attrs["count_finite"]) == int(fin.sum()), "%s: %s count_finite" % (tag, out))
            check(int(g.attrs["count_nan"]) == int(np.isnan(full).sum()), "%s: %s count_nan" % (tag, out))
            vals = full[fin]
            check(float(g.attrs["min"]) == vals.min(), "%s: %s min %r != %r" % (tag, out, g.attrs["min"], vals.min()))
            check(float(g.attrs["max"]) == vals.max(), "%s: %s max" % (tag, out))
            mean = float(np.mean(vals, dtype=np.float64))
            check(abs(float(g.attrs["mean"]) - mean) <= 1e-12 * abs(mean), "%s: %s mean %r != %r" % (tag, out, g.attrs["mean"], mean))
            for which, target in (("argmin", vals.min()), ("argmax", vals.max())):
                ix = tuple(int(i) for i in g.attrs[which + "_index"])
                check(len(ix) == len(axes), "%s: %s %s_index rank" % (tag, out, which))
                check(full[ix] == target, "%s: %s value at %s_index is not the %s" % (tag, out, which, which))
                text = s(g.attrs[which])
                check(all(a + "=" in text for a in axes), "%s: %s %s = %r" % (tag, out, which, text))
            print("ok %s summary/%s min/max/mean/arg/counts" % (tag, out))
    if "count" in spec["outputs"]:
        conds = [c.strip() for c in spec["outputs"]["count"].split(",")]
        groups = {s(f["summary"][k].attrs["condition"]): f["summary"][k]
                  for k in f["summary"] if k.startswith("cond")}
        ops = {"<=": np.less_equal, ">=": np.greater_equal, "<": np.less, ">": np.greater}
        for c in conds:
            check(c in groups, "%s: condition %r not in /summary (have %s)" % (tag, c, list(groups)))
            for op in ("<=", ">=", "<", ">"):
                if op in c:
                    name, num = [x.strip() for x in c.split(op, 1)]
                    break
            mult = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}
            val = float(num[:-1]) * mult[num[-1]] if num[-1] in mult else float(num)
            with np.errstate(invalid="ignore"):
                n = int(ops[op](np.broadcast_to(ref[name], shape), val).sum())
            g = groups[c]
            check(int(g.attrs["count"]) == n, "%s: %r count %d != numpy %d" % (tag, c, int(g.attrs["count"]), n))
            check(abs(float(g.attrs["share"]) - n / np.prod(shape)) <= 1e-15, "%s: %r share" % (tag, c))
            print("ok %s %r count=%d" % (tag, c, n))
    f.close()

    # xarray: named dims and coordinates
    import xarray as xr
    ds = xr.open_dataset(path, engine="h5netcdf")
    with h5py.File(path, "r") as h:
        for out in stored:
            want = tuple(d[0].name.lstrip("/") for d in h[out].dims)
            check(ds[out].dims == want, "%s: xarray dims of %s: %s" % (tag, out, ds[out].dims))
        for a in axes:
            check(a in ds.coords, "%s: xarray has no coordinate %s" % (tag, a))
            if a == "gpu":
                check([str(x) for x in ds.coords[a].values] == [s(x) for x in h[a][...]],
                      "%s: xarray gpu labels" % tag)
            else:
                check(np.array_equal(ds.coords[a].values, h[a][...]), "%s: xarray coords of %s" % (tag, a))
    ds.close()
    print("ok %s xarray dims and coordinates" % tag)


def check_article(tmp):
    """The shipped sweeps/article.ini reproduces the article's own numbers
    (seed table: GPT-3 / GPT-4 / GPT-4 Turbo on an A100, discount 0.5)."""
    import xarray as xr
    spec = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sweeps", "article.ini")
    out = os.path.join(tmp, "article.h5")
    r = subprocess.run([LLMCOST, "sweep", spec, "-o", out, "--quiet"], cwd=tmp,
                       capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, "article.ini: exit %d: %s" % (r.returncode, r.stderr))
    ds = xr.open_dataset(out, engine="h5netcdf")
    for (n, d), want in (((175e9, 500e9), 529557.2916666666), ((1.8e12, 13e12), 141618750.0),
                         ((1776e9, 13e12), 139730500.0)):
        got = float(ds.pretrain_cost.sel(params=n, tokens=d))
        check(abs(got - want) <= 1e-12 * want, "article: pretrain_cost(%g, %g) = %r, article %r" % (n, d, got, want))
    got = float(ds.infer_cost_per_1k.sel(params=1776e9))
    check(abs(got - 0.0071656666666666) <= 1e-12, "article: GPT-4 Turbo inference per 1K = %r" % got)
    ds.close()
    print("ok article.ini: GPT-3 529,557.29 USD, GPT-4 141,618,750 USD, GPT-4 Turbo 139,730,500 USD, 0.0071657 USD/1K")


def main():
    if not os.path.exists(LLMCOST):
        fail("no binary at %s (set LLMCOST)" % LLMCOST)
    with tempfile.TemporaryDirectory() as tmp:
        for tag, text in SPECS.items():
            spec_text = text.format(dir=tmp)
            spec_path = os.path.join(tmp, tag + ".ini")
            with open(spec_path, "w") as fh:
                fh.write(spec_text)
            r = subprocess.run([LLMCOST, "sweep", spec_path], cwd=tmp,
                               capture_output=True, text=True, timeout=300)
            if r.returncode != 0:
                if "not implemented" in r.stderr:
                    print("SKIP: llmcost sweep not implemented")
                    return 0
                fail("%s: llmcost sweep exited %d: %s%s" % (tag, r.returncode, r.stdout, r.stderr))
            out = os.path.join(tmp, tag + ".h5")
            check(os.path.exists(out), "%s: no output file %s" % (tag, out))
            check(not os.path.exists(out + ".partial"), "%s: .partial left behind" % tag)
            check_file(out, spec_text, tag)
        # every kernel path and thread count gives the same bits as numpy
        for tag in ("sub", "route"):
            spec_path = os.path.join(tmp, tag + ".ini")
            spec_text = open(spec_path).read()
            for isa, threads in (("scalar", "1"), ("avx2", "2"), ("avx512", "1")):
                out = os.path.join(tmp, "%s-%s-%s.h5" % (tag, isa, threads))
                r = subprocess.run([LLMCOST, "sweep", spec_path, "-o", out, "--isa", isa,
                                    "--threads", threads, "--quiet"], cwd=tmp,
                                   capture_output=True, text=True, timeout=300)
                if r.returncode == 2 and "cannot run" in r.stderr:  # this CPU lacks it
                    print("skip %s --isa %s: %s" % (tag, isa, r.stderr.strip()))
                    continue
                check(r.returncode == 0, "%s --isa %s --threads %s: exit %d: %s"
                      % (tag, isa, threads, r.returncode, r.stderr))
                check_file(out, spec_text, "%s[%s,%s threads]" % (tag, isa, threads))
        check_article(tmp)
    print("all files agree with numpy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
