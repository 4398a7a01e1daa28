#!/bin/sh
# cli_bands.sh - `llmcost sweep` with [uncertainty]: the bands of every cell
# against numpy (the same samples, stored with store_samples, through
# numpy's own evaluation of the formulas and np.percentile), the same bits
# for 1 and 2 threads, no-finite shares, xarray's view, bad specs with
# file:line and exit 2.  Env: LLMCOST, BUILD, PY (Debian's python3).
set -u
LLMCOST=${LLMCOST:-build/llmcost}
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
T="$BUILD/tests/cli_bands.tmp"
rm -rf "$T" && mkdir -p "$T"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_rc() {  # expected-rc description command...
    want=$1; what=$2; shift 2
    "$@" > "$T/out" 2> "$T/err"; rc=$?
    [ "$rc" -eq "$want" ] || { fail "$what: exit $rc, expected $want"; cat "$T/err"; }
}

# a small grid: 5 params x 4 tokens x 2 GPUs; uncertain util, price (a
# lognormal, correlated with util), discount and tokens_per_user (which
# leaves some subscription cells without a break-even)
cat > "$T/b.ini" <<'EOF'
[axes]
params = 7B, 70B, 175B, 700B, 1.8T
tokens = log 1e11 1e13 4
gpu = A100, H100
[inputs]
subscription = 20
monthly_tokens = 1T
[outputs]
store = pretrain_cost
[distribution.util]
type = uniform
low = 0.3
high = 0.6
[distribution.price_hour]
type = lognormal
median = 2
gsd = 1.5
low = 0.5
high = 10
[distribution.discount]
type = triangular
low = 0.3
mode = 0.5
high = 1
[distribution.tokens_per_user]
type = uniform
low = 1M
high = 10M
[correlation]
util, price_hour = 0.5
[uncertainty]
samples = 777
percentiles = 5, 25, 50, 95
outputs = pretrain_cost, breakeven_users
seed = 11
store_samples = yes
EOF
expect_rc 0 "bands t1" "$LLMCOST" sweep "$T/b.ini" -o "$T/t1.h5" --threads 1
grep -q "uncertainty: 2 outputs" "$T/out" || fail "no band summary: $(cat "$T/out")"
expect_rc 0 "bands t2" "$LLMCOST" sweep "$T/b.ini" -o "$T/t2.h5" --threads 2
"$PY" - "$T/t1.h5" "$T/t2.h5" <<'EOF' || fail "bands against numpy"
import sys
import h5py
import numpy as np
import xarray as xr
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for n in ("pretrain_cost_pct", "pretrain_cost_mean", "pretrain_cost_sd", "breakeven_users_pct",
          "breakeven_users_nan_share"):
    assert a[n][()].tobytes() == b[n][()].tobytes(), n + ": 1 and 2 threads differ"
pc = list(a["percentile"][()])
assert pc == [5, 25, 50, 95], pc
u = {k: a["uncertainty"][k][()] for k in a["uncertainty"]}
S = len(u["util"])
assert S == 777
params, tokens = a["params"][()], a["tokens"][()]
gpus = [g.decode() if isinstance(g, bytes) else g for g in a["gpu"][()]]
assert gpus == ["A100", "H100"], gpus
# pretrain_cost = 6 N D / (F U) / 3600 * price * discount (model.h), F the GPU's
flops = {"A100": 312e12, "H100": 989e12}
pct = a["pretrain_cost_pct"][()]
assert pct.shape == (5, 4, 2, 4), pct.shape
for i, N in enumerate(params):
    for j, D in enumerate(tokens):
        for g, name in enumerate(gpus):
            y = 6 * N * D / (flops[name] * u["util"]) / 3600 * u["price_hour"] * u["discount"]
            want = np.percentile(y, pc)
            got = pct[i, j, g]
            assert np.allclose(got, want, rtol=1e-13, atol=0), (i, j, g, got, want)
            m = a["pretrain_cost_mean"][i, j, g]
            assert abs(m / y.mean() - 1) < 1e-13, (m, y.mean())
            assert abs(a["pretrain_cost_sd"][i, j, g] / y.std(ddof=1) - 1) < 1e-12
            assert a["pretrain_cost_nan_share"][i, j, g] == 0
# breakeven_users depends on no axis here but the gpu's... its band is over
# the axes it depends on only; some samples have no break-even
bu = a["breakeven_users_nan_share"][()]
assert bu.ndim >= 0 and 0 < float(np.max(bu)) < 1, bu
# the stored output is the model at the distributions' medians: inside the band
base = a["pretrain_cost"][()]
assert base.shape == (5, 4, 2), base.shape
assert (pct[..., 0] < base).all() and (base < pct[..., 3]).all()
assert abs(a.attrs["input.util"] - 0.45) < 1e-12, a.attrs["input.util"]
# xarray: labelled dimensions, the percentile coordinate
d = xr.open_dataset(sys.argv[1])
da = d["pretrain_cost_pct"]
assert da.dims == ("params", "tokens", "gpu", "percentile"), da.dims
r = da.sel(percentile=95) / da.sel(percentile=5)
assert float(r.min()) > 1.5, float(r.min())
# common random numbers: the P95/P5 ratio is the same at every cell
assert float(r.max() - r.min()) < 1e-9 * float(r.max()), "cells saw different samples"
EOF

# bands of user formulas: twice = 2 x pretrain_cost (every band number
# exactly twice pretrain_cost's: a product by 2 is exact), a formula of an
# axis input and an output, and one of a distributed input alone (no axis:
# one cell); units and a long name naming the formula
sed 's/^outputs = pretrain_cost, breakeven_users/outputs = pretrain_cost, twice, per_param, tpu_m/' \
    "$T/b.ini" > "$T/fb.ini"
printf '[formulas]\ntwice = 2 * pretrain_cost [USD]\nper_param = pretrain_cost / params [USD/param]\ntpu_m = tokens_per_user / 1M [Mtoken]\n' >> "$T/fb.ini"
expect_rc 0 "bands of formulas" "$LLMCOST" sweep "$T/fb.ini" -o "$T/fb.h5"
grep -q "uncertainty: 4 outputs" "$T/out" || fail "formula bands summary: $(cat "$T/out")"
"$PY" - "$T/fb.h5" "$T/t1.h5" <<'EOF' || fail "bands of formulas"
import sys, h5py, numpy as np
a, t1 = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for v in ("pct", "mean", "sd"):
    p, w = a["pretrain_cost_" + v][()], a["twice_" + v][()]
    assert p.shape == w.shape and (w == 2 * p).all(), v
assert (a["twice_nan_share"][()] == 0).all()
# the same samples as the sweep without formulas: pretrain_cost's bands equal
assert a["pretrain_cost_pct"][()].tobytes() == t1["pretrain_cost_pct"][()].tobytes()
assert a["twice_pct"].attrs["units"] == b"USD" or a["twice_pct"].attrs["units"] == "USD"
ln = a["twice_pct"].attrs["long_name"]
ln = ln.decode() if isinstance(ln, bytes) else ln
assert "user formula twice" in ln, ln
# per_param: over params and the gpu (pretrain_cost's axes), against numpy
u = {k: a["uncertainty"][k][()] for k in a["uncertainty"]}
params, tokens = a["params"][()], a["tokens"][()]
flops = {"A100": 312e12, "H100": 989e12}
pp = a["per_param_pct"][()]
assert pp.shape == (5, 4, 2, 4), pp.shape
pc = list(a["percentile"][()])
for i, N in enumerate(params):
    for j, D in enumerate(tokens):
        for g, name in enumerate(("A100", "H100")):
            y = 6 * N * D / (flops[name] * u["util"]) / 3600 * u["price_hour"] * u["discount"] / N
            assert np.allclose(pp[i, j, g], np.percentile(y, pc), rtol=1e-13, atol=0), (i, j, g)
# tpu_m: no axis, one cell; x / 1M is exact in numpy as in the formula
tm = a["tpu_m_pct"][()]
assert tm.shape == (4,), tm.shape
assert np.allclose(tm, np.percentile(u["tokens_per_user"] / 1e6, pc), rtol=1e-15, atol=0), tm
EOF

# the same samples as `llmcost sensitivity --method mc` of the same spec
# would draw: not checked here (different sections), but the seed matters
sed 's/^seed = 11/seed = 12/' "$T/b.ini" > "$T/b12.ini"
expect_rc 0 "seed 12" "$LLMCOST" sweep "$T/b12.ini" -o "$T/s12.h5" --quiet
"$PY" - "$T/t1.h5" "$T/s12.h5" <<'EOF' || fail "the seed moves the samples"
import sys, h5py
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
assert a["pretrain_cost_pct"][()].tobytes() != b["pretrain_cost_pct"][()].tobytes()
EOF

# a complete file: --resume keeps its bands
cksum "$T/t1.h5" > "$T/sum"
expect_rc 0 "resume a complete file" "$LLMCOST" sweep "$T/b.ini" -o "$T/t1.h5" --resume
grep -q "already holds its bands" "$T/out" || fail "resume message: $(cat "$T/out")"
cksum "$T/t1.h5" | cmp -s - "$T/sum" || fail "resume changed a complete file"

# an [uncertainty] header without keys: the defaults (1000 samples, 5/50/95,
# every output a distribution moves)
printf '[axes]\nparams = 7B, 70B\n[outputs]\nstore = pretrain_cost\n[distribution.util]\ntype = uniform\nlow = 0.3\nhigh = 0.6\n[uncertainty]\n' > "$T/empty.ini"
expect_rc 0 "empty [uncertainty]" "$LLMCOST" sweep "$T/empty.ini" -o "$T/empty.h5"
grep -q "x 1000 samples" "$T/out" || fail "empty [uncertainty]: $(cat "$T/out")"

# bad specs: file:line, exit 2, nothing run
cat > "$T/axis.ini" <<'EOF'
[axes]
util = 0.3, 0.5
[outputs]
store = pretrain_cost
[distribution.util]
type = uniform
low = 0.3
high = 0.6
[uncertainty]
samples = 100
EOF
expect_rc 2 "a distribution on an axis" "$LLMCOST" sweep "$T/axis.ini" -o "$T/axis.h5"
grep -q "axis.ini:6: \[distribution.util\]: util is set by the axis 'util' (line 2)" "$T/err" ||
    fail "axis message: $(cat "$T/err")"
[ -e "$T/axis.h5" ] && fail "the sweep ran despite the bad spec"
sed 's/^samples = 777/samples = 7/' "$T/b.ini" > "$T/few.ini"
expect_rc 2 "too few samples" "$LLMCOST" sweep "$T/few.ini" -o "$T/few.h5"
grep -q "few.ini:32: \[uncertainty\]: samples" "$T/err" || fail "samples message: $(cat "$T/err")"
sed 's/^util, price_hour = 0.5/util, prices = 0.5/' "$T/b.ini" > "$T/corr.ini"
expect_rc 2 "bad correlation" "$LLMCOST" sweep "$T/corr.ini" -o "$T/corr.h5"
grep -q "corr.ini:30: \[correlation\]: 'prices'" "$T/err" || fail "correlation message: $(cat "$T/err")"
# a stored formula named as a band or (classic) a stored sample: refused at
# its line before the sweep, not after it as a clash in the file
printf '[formulas]\nsample = pretrain_cost * 2 [USD]\n' | cat "$T/b.ini" - |
    sed 's/^store = pretrain_cost$/store = pretrain_cost, sample/' > "$T/fsample.ini"
expect_rc 2 "formula 'sample', classic" "$LLMCOST" sweep "$T/fsample.ini" -o "$T/fs.h5" --netcdf-classic
grep -q "fsample.ini:38: \[formulas\]: 'sample' is a name the \[uncertainty\] bands take" "$T/err" ||
    fail "formula sample message: $(cat "$T/err")"
[ -e "$T/fs.h5" ] || [ -e "$T/fs.h5.partial" ] && fail "the sweep ran despite the formula 'sample'"
expect_rc 0 "formula 'sample', not classic (the samples are a group)" "$LLMCOST" sweep "$T/fsample.ini" -o "$T/fs.h5" -q
sed 's/^sample =/pretrain_cost_sd =/; s/, sample$/, pretrain_cost_sd/' "$T/fsample.ini" > "$T/fsd.ini"
expect_rc 2 "formula 'pretrain_cost_sd'" "$LLMCOST" sweep "$T/fsd.ini" -o "$T/fsd.h5"
grep -q "fsd.ini:38: \[formulas\]: 'pretrain_cost_sd' is a name the \[uncertainty\] bands take" "$T/err" ||
    fail "formula pretrain_cost_sd message: $(cat "$T/err")"
expect_rc 2 "shard" "$LLMCOST" sweep "$T/b.ini" -o "$T/sh.h5" --shard 0/2
grep -q "unsharded" "$T/err" || fail "shard message: $(cat "$T/err")"
expect_rc 0 "--help" "$LLMCOST" sweep --help
grep -q "\[uncertainty\]" "$T/out" || fail "--help lacks [uncertainty]"

rm -rf "$T"
[ "$fails" -eq 0 ] && echo "cli_bands: all passed"
[ "$fails" -eq 0 ]
