#!/bin/sh
# cli_sensitivity.sh - `llmcost sensitivity` end to end: table, --json, HDF5
# (written via .partial, never overwritten without --force), the same bits
# for 1 and 2 threads, no-break-even counting, spec errors with file:line and
# exit codes.  Env: LLMCOST (the binary), BUILD, PY (Debian's python3).
set -u
LLMCOST=${LLMCOST:-build/llmcost}
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
T="$BUILD/tests/cli_sensitivity.tmp"
rm -rf "$T" && mkdir -p "$T"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_rc() {  # expected-rc description command...
    want=$1; what=$2; shift 2
    "$@" > "$T/out" 2> "$T/err"; rc=$?
    [ "$rc" -eq "$want" ] || { fail "$what: exit $rc, expected $want"; cat "$T/err"; }
}

# --help: exit 0, names the methods and the independence assumption
expect_rc 0 "--help" "$LLMCOST" sensitivity --help
grep -q "sobol" "$T/out" || fail "--help lacks the methods"
grep -q "\[correlation\]" "$T/out" || fail "--help lacks the correlation section"
grep -q -- "--design" "$T/out" || fail "--help lacks --design"

# usage errors: exit 2
expect_rc 2 "no spec" "$LLMCOST" sensitivity
expect_rc 2 "unknown option" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --bogus
expect_rc 2 "bad method" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --method fast
grep -q "unknown method 'fast'" "$T/err" || fail "bad method message: $(cat "$T/err")"
expect_rc 2 "bad samples" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --samples 1.5

# a bad distribution: file:line in the message, exit 2
cat > "$T/bad.ini" <<'EOF'
[inputs]
gpu = A100
[distribution.params]
type = loguniform
low = 0
high = 2T
EOF
expect_rc 2 "loguniform low 0" "$LLMCOST" sensitivity "$T/bad.ini"
grep -q "bad.ini:4: .*loguniform needs low > 0" "$T/err" || fail "bad spec message: $(cat "$T/err")"

# the table: every method's heading, the tornado's largest swing first
expect_rc 0 "table" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --samples 2048 --outputs pretrain_cost
for h in "Monte Carlo" "Tornado: pretrain_cost" "Morris: pretrain_cost" "Sobol: pretrain_cost"; do
    grep -q "$h" "$T/out" || fail "table lacks '$h'"
done

# JSON: parses; Sobol indices in range; MC percentiles ordered; same bits
# for 1 and 2 threads (apart from the timing)
expect_rc 0 "json t1" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --samples 2048 --threads 1 --json --seed 9
mv "$T/out" "$T/t1.json"
expect_rc 0 "json t2" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --samples 2048 --threads 2 --json --seed 9
mv "$T/out" "$T/t2.json"
"$PY" - "$T/t1.json" "$T/t2.json" <<'EOF' || fail "json checks"
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
a.pop("seconds"); b.pop("seconds")
assert a == b, "1 and 2 threads differ"
o = a["outputs"]["pretrain_cost"]
s1, st = o["sobol"]["S1"], o["sobol"]["ST"]
assert all(-0.05 < x < 1.05 for x in s1 + st), (s1, st)
assert 0.9 < sum(s1) < 1.05, sum(s1)          # a product of 5 moderate factors: little interaction
assert all(t >= s - 0.02 for s, t in zip(s1, st))
p = o["mc"]["percentiles"]
assert p["1"] < p["5"] < p["50"] < p["95"] < p["99"], p
assert o["mc"]["no_breakeven"] == 0
sw = o["tornado"]["swing"]
order = [f["name"] for f in a["factors"]]
assert [order[i] for i in sorted(range(len(sw)), key=lambda i: -sw[i])] == o["tornado"]["order"]
EOF

# the Sobol design: --seed moves it (Owen scramble), --design unscrambled
# does not (GSL's sequence); --replicates adds standard errors
for x in "owen 3" "owen 4" "unscrambled 3" "unscrambled 4"; do
    set -- $x
    expect_rc 0 "sobol $1 seed $2" "$LLMCOST" sensitivity sweeps/sobol_product6.ini --samples 1024 \
        --bootstrap 0 --design "$1" --seed "$2" --json
    mv "$T/out" "$T/so_$1_$2.json"
done
expect_rc 0 "replicates" "$LLMCOST" sensitivity sweeps/sobol_product6.ini --samples 1024 --replicates 4 --json
mv "$T/out" "$T/reps.json"
"$PY" - "$T" <<'EOF' || fail "design and seed"
import json, sys
d = sys.argv[1]
def so(n): return json.load(open("%s/%s.json" % (d, n)))["outputs"]["pretrain_cost"]["sobol"]
assert so("so_owen_3")["S1"] != so("so_owen_4")["S1"], "the seed does not move the design"
assert so("so_unscrambled_3")["S1"] == so("so_unscrambled_4")["S1"]
assert so("so_owen_3")["design"] == "owen" and so("so_unscrambled_3")["design"] == "unscrambled"
r = so("reps")
assert r["replicates"] == 4 and all(0 < x < 0.1 for x in r["ST_se"]), r["ST_se"]
assert all(x is None for x in so("so_owen_3")["ST_se"])   # one replicate: no spread
EOF
expect_rc 2 "bad design" "$LLMCOST" sensitivity sweeps/sobol_product6.ini --design halton
grep -q "unknown design 'halton'" "$T/err" || fail "bad design message: $(cat "$T/err")"
expect_rc 2 "replicates of the unscrambled design" "$LLMCOST" sensitivity sweeps/sobol_product6.ini \
    --design unscrambled --replicates 2
grep -q "scrambled design" "$T/err" || fail "unscrambled replicates message: $(cat "$T/err")"

# correlated inputs: Monte Carlo and the tornado by default, Sobol refused
cat > "$T/corr.ini" <<'EOF'
[inputs]
gpu = A100
[distribution.params]
type = loguniform
low = 1T
high = 2T
[distribution.tokens]
type = loguniform
low = 10T
high = 20T
[correlation]
params, tokens = 0.7
[sensitivity]
outputs = pretrain_cost
store_samples = yes
EOF
expect_rc 0 "correlated mc" "$LLMCOST" sensitivity "$T/corr.ini" --samples 20000 -o "$T/corr.h5"
grep -q "Sobol" "$T/out" && fail "Sobol ran on correlated inputs"
grep -q "Tornado" "$T/out" || fail "no tornado with correlated inputs"
"$PY" - "$T/corr.h5" <<'EOF' || fail "rank correlation of the stored samples"
import sys, h5py, numpy as np
x = h5py.File(sys.argv[1], "r")["samples/x"][()]
rk = [np.argsort(np.argsort(v)) for v in x[:2]]   # continuous: no ties
r = np.corrcoef(rk[0], rk[1])[0, 1]
assert abs(r - 0.7) < 0.02, r   # sd ~ (1 - 0.49) / sqrt(20000) = 0.004
EOF
expect_rc 0 "correlated json" "$LLMCOST" sensitivity "$T/corr.ini" --samples 1000 --json
"$PY" - "$T/out" <<'EOF' || fail "correlation in the JSON"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["correlation"] == [[1, 0.7], [0.7, 1]], j["correlation"]
assert "sobol" not in j["outputs"]["pretrain_cost"] and "tornado" in j["outputs"]["pretrain_cost"]
EOF
expect_rc 2 "correlated sobol" "$LLMCOST" sensitivity "$T/corr.ini" --method sobol
grep -q "independent inputs" "$T/err" || fail "correlated sobol message: $(cat "$T/err")"
sed -i '/^params, tokens = 0.7/a tokens, params = 0.2' "$T/corr.ini"
expect_rc 2 "bad correlation" "$LLMCOST" sensitivity "$T/corr.ini"
grep -q "corr.ini:13: \[correlation\]: tokens, params given twice (first on line 12)" "$T/err" || fail "bad correlation message: $(cat "$T/err")"

# no break-even: counted, reported, not averaged
cat > "$T/nobe.ini" <<'EOF'
[inputs]
gpu = A100
[distribution.tokens_per_user]
type = uniform
low = 1M
high = 5M
[sensitivity]
method = mc
outputs = breakeven_users
EOF
expect_rc 0 "no break-even" "$LLMCOST" sensitivity "$T/nobe.ini" --json --samples 10000
"$PY" - "$T/out" <<'EOF' || fail "no break-even counting"
import json, sys
o = json.load(open(sys.argv[1]))["outputs"]["breakeven_users"]["mc"]
# margin 20 - tpu/1000 * 0.0071657 <= 0 for tpu >= 2.791M: share 0.552
share = o["no_breakeven"] / o["samples"]
assert abs(share - 0.552) < 0.02, share
assert o["mean"] is not None and o["mean"] > 0
EOF

# HDF5: written, never overwritten without --force, no .partial left
H="$T/gpt4.h5"
expect_rc 0 "-o" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --samples 1024 -o "$H" --store-samples
[ -f "$H" ] || fail "no $H"
[ -e "$H.partial" ] && fail "$H.partial left behind"
cksum "$H" > "$T/sum1"
expect_rc 2 "exists" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --samples 1024 -o "$H"
grep -q "force" "$T/err" || fail "exists message: $(cat "$T/err")"
cksum "$H" | cmp -s - "$T/sum1" || fail "$H changed without --force"
"$PY" - "$H" <<'EOF' || fail "HDF5 content"
import h5py, sys
f = h5py.File(sys.argv[1], "r")
def s(x): return x.decode() if isinstance(x, bytes) else str(x)
assert s(f.attrs["kind"]) == "llmcost sensitivity", f.attrs["kind"]
fac = [x.decode() if isinstance(x, bytes) else x for x in f["factors"][()]]
assert fac == ["params", "tokens", "util", "discount", "price_hour"], fac
k, no = len(fac), len(f["outputs"])
for d in ("S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"):
    assert f["sobol/" + d].shape == (no, k), d
assert (f["sobol/S1_low"][()] <= f["sobol/S1_high"][()]).all()
assert f["samples/x"].shape == (k, 1024) and f["samples/y"].shape == (no, 1024)
x = f["samples/x"][()]
assert x[0].min() >= 1.2e12 and x[0].max() <= 2.5e12
assert "distribution.params" in s(f.attrs["spec"])
EOF
"$PY" - "$H" <<'EOF' || fail "xarray reads the groups with labelled dimensions"
import sys
import xarray as xr
s1 = xr.open_dataset(sys.argv[1], group="sobol").S1.sel(outputs="pretrain_cost")
assert list(s1.factors.values) == ["params", "tokens", "util", "discount", "price_hour"]
assert 0 < float(s1.sel(factors="discount")) < 1
mc = xr.open_dataset(sys.argv[1], group="mc")
p = mc.percentiles.sel(outputs="pretrain_cost", percentile_levels=50.0)
assert abs(float(p) / float(mc["mean"].sel(outputs="pretrain_cost")) - 1) < 0.3
EOF
expect_rc 0 "--force" "$LLMCOST" sensitivity sweeps/sensitivity_gpt4.ini --samples 1024 --method mc -o "$H" --force

# the planner's inputs as distributions (doc/model.md): batch, context and
# load_factor, serving a choice by its words; decode_cost_per_1k reads neither
# load_factor nor serving (exactly 0), monthly_cost reads all four
cat > "$T/serve.ini" <<'EOF'
[inputs]
params = 70.6B
layers = 80
d_model = 8192
heads = 64
kv_heads = 8
gpu = H100
[sensitivity]
method = sobol
outputs = monthly_cost, decode_cost_per_1k
[distribution.batch]
type = uniform
low = 1
high = 256
[distribution.context]
type = loguniform
low = 512
high = 131072
[distribution.load_factor]
type = uniform
low = 0.3
high = 1
[distribution.serving]
type = choice
values = compute, roofline
EOF
expect_rc 0 "serving inputs as distributions" "$LLMCOST" sensitivity "$T/serve.ini" --samples 1024 --json --seed 3
"$PY" - "$T/out" <<'EOF' || fail "serving inputs: indices"
import json, sys
d = json.load(open(sys.argv[1]))
names = [f["name"] for f in d["factors"]]
assert names == ["batch", "context", "load_factor", "serving"], names
dec = d["outputs"]["decode_cost_per_1k"]["sobol"]
assert dec["ST"][2] == 0 and dec["ST"][3] == 0, dec["ST"]      # not read
assert dec["ST"][0] > 0.1 and dec["ST"][1] > 0.1, dec["ST"]
mon = d["outputs"]["monthly_cost"]["sobol"]
assert all(x > 0.01 for x in mon["ST"]), mon["ST"]
EOF

# user formulas ([formulas]) as outputs: the tornado of a formula is `llmcost
# eval --formula` at the swing ends, bit for bit; the report, --json and the
# HDF5 file name it with its unit and text; --outputs takes formula names
cat > "$T/formula.ini" <<'EOF'
[inputs]
gpu = H100
params = 1.776T
tokens = 13T
subscription = 20
[formulas]
margin = sub_profit / (users * subscription) [1]
twice = 2 * pretrain_cost [USD]
[distribution.util]
type = uniform
low = 0.3
high = 0.6
[distribution.users]
type = loguniform
low = 1M
high = 30M
[sensitivity]
method = mc, tornado
samples = 512
outputs = margin, twice, pretrain_cost
EOF
expect_rc 0 "formula outputs: json" "$LLMCOST" sensitivity "$T/formula.ini" --json -o "$T/formula.h5"
mv "$T/out" "$T/formula.json"
"$PY" - "$T/formula.json" "$T/formula.h5" "$LLMCOST" <<'EOF' || fail "formula outputs: tornado == eval --formula, units, text"
import json, subprocess, sys, h5py
j = json.load(open(sys.argv[1]))
out = j["outputs"]
assert list(out) == ["margin", "twice", "pretrain_cost"], list(out)
assert out["margin"]["unit"] == "1" and out["twice"]["unit"] == "USD", out["margin"]
assert out["margin"]["formula"] == "sub_profit / (users * subscription)", out["margin"]
assert "formula" not in out["pretrain_cost"] and out["pretrain_cost"]["unit"] == "USD"
f = {x["name"]: x for x in j["factors"]}
names = [x["name"] for x in j["factors"]]
def ev(point):
    args = [sys.argv[3], "eval", "--json", "--gpu", "H100", "--params", "1.776T", "--tokens", "13T",
            "--subscription", "20", "--formula", "margin = sub_profit / (users * subscription) [1]",
            "--formula", "twice = 2 * pretrain_cost [USD]"]
    for n, v in point.items():
        args += ["--" + n, repr(v)]
    e = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    return {n: e["formulas"][n]["value"] for n in ("margin", "twice")}
base = {n: f[n]["base"] for n in names}
checked = 0
for o in ("margin", "twice"):
    t = out[o]["tornado"]
    assert t["base"] == ev(base)[o], (o, t["base"], ev(base)[o])
    for i, n in enumerate(names):
        for end, key in (("low", "y_low"), ("high", "y_high")):
            pt = dict(base)
            pt[n] = f[n][end]
            want = ev(pt)[o]
            assert t[key][i] == want, (o, n, end, t[key][i], want)   # bit for bit
            checked += 1
assert checked == 8
# twice = 2 x pretrain_cost: its Monte Carlo numbers exactly twice
a, b = out["twice"]["mc"], out["pretrain_cost"]["mc"]
assert a["mean"] == 2 * b["mean"] and a["sd"] == 2 * b["sd"], (a, b)
assert all(a["percentiles"][q] == 2 * b["percentiles"][q] for q in b["percentiles"])
h = h5py.File(sys.argv[2], "r")
assert [x.decode() for x in h["outputs"][()]] == ["margin", "twice", "pretrain_cost"]
assert [x.decode() for x in h["output_units"][()]] == ["1", "USD", "USD"]
fo = [x.decode() for x in h["output_formulas"][()]]
assert fo[0] == "sub_profit / (users * subscription)" and fo[1] == "2 * pretrain_cost", fo
assert h["mc/mean"][1] == 2 * h["mc/mean"][2]
assert h["tornado/y_low"][0, 1] == out["margin"]["tornado"]["y_low"][1]
EOF
expect_rc 0 "formula outputs: table" "$LLMCOST" sensitivity "$T/formula.ini" --outputs margin
grep -q "^Tornado: margin (1) at base" "$T/out" || fail "table lacks the formula's tornado with its unit: $(grep Tornado "$T/out")"
grep -q "^margin " "$T/out" || fail "table lacks the formula's Monte Carlo row"
expect_rc 2 "formula outputs: unknown name" "$LLMCOST" sensitivity "$T/formula.ini" --outputs margn
grep -q "unknown output 'margn' (did you mean 'margin'?)" "$T/err" || fail "unknown formula name: $(cat "$T/err")"
printf '[formulas]\nm = users +* 2\n' >> "$T/formula.ini"
expect_rc 2 "formula outputs: syntax error" "$LLMCOST" sensitivity "$T/formula.ini"
grep -q "formula.ini:22: formula 'm': column 12: " "$T/err" || fail "formula syntax error: $(cat "$T/err")"

rm -rf "$T"
[ "$fails" -eq 0 ] && echo "cli_sensitivity: all passed"
[ "$fails" -eq 0 ]
