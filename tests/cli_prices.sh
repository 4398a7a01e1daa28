#!/bin/sh
# cli_prices.sh - end-to-end tests of the dated price records (doc/prices.md)
# on the real binary ($LLMCOST): --price-date in eval / task / sweep /
# sensitivity and in a spec, the error naming the first date, 'task' with
# cached, cache-write, batch and long-context prices against costs computed
# by hand, --compare ordering, the price_date and api axes of a sweep checked
# against 'eval' at each point, the HDF5 attributes naming the records,
# 'catalog --json' provenance, and --catalog-add.  Run by tests/run_tests.sh.
set -u
. "$(dirname "$0")/lib_cli.sh" # LLMCOST, PY, ROOT, ok/bad, run, has, py
tmp=$(mktemp -d /tmp/llmcost_cli_prices.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# ---- eval --price-date -------------------------------------------------------
# (exit 1: no break-even at these prices; the JSON is complete)
if run eval_dated 1 eval --gpu A100-40GB --api gpt-4o --price-date 2024-06 --json; then
    py "eval --price-date picks the record at or before the date (gpt-4o launch price)" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
p = d["prices"]
assert p["query"]["date"] == "2024-06", p["query"]
assert p["api"]["date"] == "2024-05-13" and p["api"]["price_in"] == 0.005, p["api"]
assert "hello-gpt-4o" in p["api"]["source"], p["api"]
assert d["inputs"]["price_in"]["value"] == 0.005 and d["inputs"]["price_out"]["value"] == 0.015
assert p["gpu"]["kind"] == "on-demand" and p["gpu"]["date"] == "2024-06", p["gpu"]
print("ok")'
fi
run eval_before 2 eval --api gpt-4o --price-date 2024-04 &&
    has "a date before every record names the first date" "$tmp/err" "(the first is 2024-05-13)"
run eval_bad_date 2 eval --api gpt-4o --price-date 2024-13 &&
    has "a malformed --price-date is refused" "$tmp/err" "YYYY-MM"
run eval_kind 2 eval --gpu H100 --price-kind spot &&
    has "--price-kind without a record of that kind says what there is" "$tmp/err" "has no spot price record"
run eval_bad_kind 2 eval --gpu H100 --price-kind weekly &&
    has "an unknown --price-kind is refused" "$tmp/err" "on-demand, reserved-1y"
if run eval_article 0 eval --gpu A100 --api gpt-4-turbo --json; then
    py "without --price-date: the article A100 record (reserved-3y hyperscaler) is used" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
g = d["prices"]["gpu"]
assert g["price_hour"] == 2.2659 and g["kind"] == "reserved-3y" and g["provider_class"] == "hyperscaler", g
assert d["inputs"]["price_hour"]["value"] == 2.2659
print("ok")'
fi
if run eval_between 0 eval --gpu H100 --price-date 2026-05-10 --json; then
    py "--price-date between records: the latest of the reference series before it (H100: Lambda 2026-05-07)" '
import json, sys
g = json.load(open(sys.argv[1] + "/out"))["prices"]["gpu"]
assert g["price_hour"] == 3.78 and g["date"] == "2026-05-07" and not g["reference"], g
print("ok")'
fi
if run eval_latest 0 eval --gpu H100 --price-date latest --json; then
    py "--price-date latest: the newest record of the reference series (H100: Lambda 2026-05-18)" '
import json, sys
g = json.load(open(sys.argv[1] + "/out"))["prices"]["gpu"]
assert g["price_hour"] == 2.99 and g["date"] == "2026-05-18" and g["reference"], g
print("ok")'
fi
if run eval_reference 0 eval --gpu H100 --json; then
    py "no --price-date: the reference record (H100 2.99, results unchanged)" '
import json, sys
g = json.load(open(sys.argv[1] + "/out"))["prices"]["gpu"]
assert g["price_hour"] == 2.99 and g["reference"], g
print("ok")'
fi
# (exit 1 = some break-even does not exist at these prices: the output is complete)
if run eval_hyperscaler 1 eval --gpu H100 --price-provider hyperscaler --price-date 2024-01; then
    has "eval prints the record used" "$tmp/out" "gpu H100: 12.29 USD/GPU-hour, on-demand, hyperscaler, 2023-07"
fi

# ---- task: today's price structure, hand-computed -----------------------------
# gpt-4o (2024-10-01 record): in 0.0025, cached 0.00125, out 0.01 per 1K; batch 0.5
# 10000 in, 1000 out, half cached: 5000*0.0025/1000 + 5000*0.00125/1000 + 1000*0.01/1000
task_cost() { # NAME WANT ARGS...: the JSON cost equals WANT within 1e-12 relative
    tname=$1 twant=$2
    shift 2
    if run "$tname" 0 task "$@" --json; then
        py "$tname = $twant" "
import json, sys
d = json.load(open(sys.argv[1] + '/out'))
got = d['cost']['value']
assert abs(got - $twant) <= 1e-12 * abs($twant), (got, $twant)
print('ok')"
    fi
}
task_cost "task cached share" 0.02875 --in-tokens 10000 --out-tokens 1000 --model gpt-4o --cached-share 0.5
task_cost "task cached share + batch API" 0.014375 --in-tokens 10000 --out-tokens 1000 --model gpt-4o --cached-share 0.5 --batch-api
task_cost "task plain = the article formula" 0.13 --chars 5000 --out-chars 500 --model gpt-4-turbo
# claude-sonnet-4-5: 0.003 / 0.015, cache write 0.00375; above 200000 input: 0.006 / 0.0225, cached 0.0006
task_cost "task cache-write share" 0.0465 --in-tokens 10000 --out-tokens 1000 --model claude-sonnet-4-5 --cache-write-share 0.2
task_cost "task at the long-context threshold (not above)" 0.615 --in-tokens 200000 --out-tokens 1000 --model claude-sonnet-4-5
task_cost "task above the long-context threshold" 1.8225 --in-tokens 300000 --out-tokens 1000 --model claude-sonnet-4-5
task_cost "task long context + cached + batch" 0.50625 --in-tokens 300000 --out-tokens 1000 --model claude-sonnet-4-5 --cached-share 0.5 --batch-api
# gemini-1.5-pro before and after the 2024-10-01 cut, above its 128K tier
task_cost "task long context at an older date" 1.421 --in-tokens 200000 --out-tokens 1000 --model gemini-1.5-pro --price-date 2024-09
task_cost "task long context after the cut" 0.51 --in-tokens 200000 --out-tokens 1000 --model gemini-1.5-pro --price-date 2024-10-01
# a model without a prompt cache: the cached share is billed at the input price
task_cost "task cached share on a model without caching" 0.09 --in-tokens 1000 --out-tokens 1000 --model gpt-4 --cached-share 0.5
run task_no_batch 2 task --in-tokens 1000 --model gpt-4 --batch-api &&
    has "--batch-api on a model without a batch API is refused" "$tmp/err" "no batch API price"
run task_share 2 task --in-tokens 1000 --model gpt-4o --cached-share 0.7 --cache-write-share 0.5 &&
    has "shares adding up to more than 1 are refused" "$tmp/err" "at most 1"
run task_share_noapi 2 task --in-tokens 1000 --price-in 1 --price-out 1 --cached-share 0.5 &&
    has "--cached-share needs catalogue prices" "$tmp/err" "need --model or --compare"

# ---- task --compare ---------------------------------------------------------
if run compare_all 0 task --in-tokens 10000 --out-tokens 1000 --compare --json; then
    py "--compare: every priced model, cheapest first, each cost = its own 'task'" '
import json, sys, subprocess, os
d = json.load(open(sys.argv[1] + "/out"))
m = d["models"]
assert len(m) >= 40, len(m)
costs = [x["cost"] for x in m]
assert costs == sorted(costs), costs
assert [x["rank"] for x in m] == list(range(1, len(m) + 1))
for x in (m[0], m[len(m) // 2], m[-1]):
    r = subprocess.run([os.environ.get("LLMCOST", "build/llmcost"), "task", "--in-tokens", "10000",
                        "--out-tokens", "1000", "--model", x["model"], "--json"],
                       capture_output=True, text=True, check=True)
    assert json.loads(r.stdout)["cost"]["value"] == x["cost"], x
print("ok")'
fi
if run compare_list 0 task --in-tokens 10000 --out-tokens 1000 --compare gpt-4o,deepseek-chat,claude-opus-4 --json; then
    py "--compare LIST: those models only, cheapest first" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
names = [x["model"] for x in d["models"]]
# deepseek-chat 10000*0.00028/1000 + 1000*0.00042/1000 = 0.00322; gpt-4o 0.035; claude-opus-4 0.225
assert names == ["deepseek-chat", "gpt-4o", "claude-opus-4"], names
assert abs(d["models"][0]["cost"] - 0.00322) < 1e-15, d["models"][0]
print("ok")'
fi
run compare_date 0 task --in-tokens 1000 --compare --price-date 2024-01 &&
    has "--compare at an early date skips models without a record then" "$tmp/out" "skipped (no price record at that date)"
run compare_unknown 2 task --in-tokens 1000 --compare gpt-4o,gpt-9 &&
    has "--compare with an unknown model is refused" "$tmp/err" "unknown API model 'gpt-9'"

# ---- sweeps over prices: the price_date and api axes against eval -----------
cat >"$tmp/dates.ini" <<EOF
[sweep]
output = $tmp/dates.h5
[axes]
price_date = 2023-07, 2023-12, 2024-03, 2024-06
params = 7B, 70B
[inputs]
gpu = H100
price_provider = hyperscaler
api = gpt-3.5-turbo
[outputs]
store = pretrain_cost, avg_price_per_1k, infer_cost_per_1k
EOF
if run sweep_dates 0 sweep "$tmp/dates.ini" --quiet; then
    py "price_date axis: every point equals eval at that date; attributes name the records" '
import json, sys, subprocess, os
import h5py
t = sys.argv[1]
exe = os.environ.get("LLMCOST", "build/llmcost")
with h5py.File(t + "/dates.h5", "r") as f:
    dates = [x.decode() if isinstance(x, bytes) else x for x in f["price_date"][()]]
    assert dates == ["2023-07", "2023-12", "2024-03", "2024-06"], dates
    prices = f.attrs["prices"]
    prices = prices.decode() if isinstance(prices, bytes) else prices
    for d in dates:
        assert "price_date " + d + ": api gpt-3.5-turbo" in prices, prices
    assert "openai.com/index/function-calling-and-other-api-updates" in prices, prices
    assert "price_date " + dates[0] + ": gpu H100: 12.29 USD/GPU-hour on-demand hyperscaler 2023-07" in prices, prices
    assert f.attrs["price_provider"] in ("hyperscaler", b"hyperscaler"), f.attrs["price_provider"]
    avg = f["avg_price_per_1k"][()]
    pre = f["pretrain_cost"][()]
    for i, d in enumerate(dates):
        for j, p in enumerate(["7B", "70B"]):
            r = subprocess.run([exe, "eval", "--gpu", "H100", "--api", "gpt-3.5-turbo",
                                "--price-provider", "hyperscaler", "--price-date", d,
                                "--params", p, "--json"],
                               capture_output=True, text=True)
            assert r.returncode in (0, 1), r.stderr
            o = json.loads(r.stdout)["outputs"]
            ins = json.loads(r.stdout)["inputs"]
            assert f["price_date_price_in"][i] == ins["price_in"]["value"], (d, "price_in column")
            assert f["price_date_price_hour"][i] == ins["price_hour"]["value"], (d, "price_hour column")
            a = avg[i] if avg.ndim == 1 else avg[i, j]
            assert a == o["avg_price_per_1k"]["value"], (d, a, o["avg_price_per_1k"])
            assert pre[i, j] == o["pretrain_cost"]["value"] if pre.ndim == 2 else True
print("ok")'
fi
# info shows the "prices" attribute: the query, then one line per record used
if run info_prices 0 info "$tmp/dates.h5"; then
    has "info: prices section" "$tmp/out" "prices:"
    has "info: the query" "$tmp/out" "  query: date latest kind each reference provider hyperscaler"
    has "info: a record per date" "$tmp/out" "  price_date 2023-12: api gpt-3.5-turbo: 0.001 / 0.002 USD per 1K tokens 2023-11-06"
fi
cat >"$tmp/apis.ini" <<EOF
[sweep]
output = $tmp/apis.h5
[axes]
api = gpt-4o, claude-sonnet-4, deepseek-chat
[inputs]
price_date = 2025-06
[outputs]
store = avg_price_per_1k
EOF
if run sweep_apis 0 sweep "$tmp/apis.ini" --quiet; then
    py "api axis at the spec price_date equals eval; HDF5 attributes name date and records" '
import json, sys, subprocess, os
import h5py
t = sys.argv[1]
exe = os.environ.get("LLMCOST", "build/llmcost")
with h5py.File(t + "/apis.h5", "r") as f:
    names = [x.decode() if isinstance(x, bytes) else x for x in f["api"][()]]
    assert f.attrs["price_date"] in ("2025-06", b"2025-06"), f.attrs["price_date"]
    prices = f.attrs["prices"]
    prices = prices.decode() if isinstance(prices, bytes) else prices
    assert "api deepseek-chat: 0.00027 / 0.0011 USD per 1K tokens 2025-02-09" in prices, prices
    v = f["avg_price_per_1k"][()]
    for i, n in enumerate(names):
        r = subprocess.run([exe, "eval", "--api", n, "--price-date", "2025-06", "--json"],
                           capture_output=True, text=True)
        assert r.returncode in (0, 1), r.stderr  # 1: no break-even somewhere, output complete
        assert v[i] == json.loads(r.stdout)["outputs"]["avg_price_per_1k"]["value"], n
print("ok")'
fi
if run sweep_apis_cli 0 sweep "$tmp/apis.ini" --quiet --force --price-date 2025-10; then
    py "--price-date on the command line wins over the spec" '
import sys, h5py
with h5py.File(sys.argv[1] + "/apis.h5", "r") as f:
    p = f.attrs["prices"]
    p = p.decode() if isinstance(p, bytes) else p
    assert "deepseek-chat: 0.00028 / 0.00042" in p, p
print("ok")'
fi
cat >"$tmp/early.ini" <<EOF
[sweep]
output = $tmp/early.h5
[axes]
price_date = 2024-01, 2025-01
[inputs]
api = claude-opus-4
EOF
run sweep_early 2 sweep "$tmp/early.ini" --quiet &&
    has "a price_date axis before the first record names it, with file:line" "$tmp/err" "early.ini:4: price_date axis: API model claude-opus-4 has no price record at or before 2024-01 (the first is 2025-05-22)"
# price_date with gpu and api axes: the priced inputs depend on both axes;
# every point equals eval at that date, whatever the axis order (the date
# and name axes outer, in the row, or split between them), on every ISA
cat >"$tmp/pdx.py" <<'EOF'
import h5py, itertools, json, os, subprocess, sys
import numpy as np
path, outs = sys.argv[1], sys.argv[2].split(",")
exe = os.environ.get("LLMCOST", "build/llmcost")
f = h5py.File(path, "r")
dec = lambda a: [x.decode() if isinstance(x, bytes) else x for x in a]
axes = {k: (dec(f[k][()]) if f[k].dtype.kind in "OS" else list(f[k][()]))
        for k in ("gpu", "params", "price_date", "api", "util") if k in f}
n = 0
for o in outs:
    ds = f[o]
    dims = [ds.dims[i][0].name.lstrip("/") for i in range(ds.ndim)]
    for idx in itertools.product(*[range(len(axes[d])) for d in dims]):
        pt = {d: axes[d][i] for d, i in zip(dims, idx)}
        args = [exe, "eval", "--price-kind", "on-demand", "--json"]
        for k in ("gpu", "api", "price_date"):   # an axis the output ignores: any point
            if k in axes:
                args += ["--" + k.replace("_", "-"), pt.get(k, axes[k][0])]
        for k in ("params", "util"):
            if k in axes:
                args += ["--" + k, repr(pt.get(k, axes[k][0]))]
        r = subprocess.run(args, capture_output=True, text=True)
        assert r.returncode in (0, 1), r.stderr
        d = json.loads(r.stdout)
        # hour_x2: a [formulas] output reading the table (price_hour * 2)
        v = 2 * d["inputs"]["price_hour"]["value"] if o == "hour_x2" else d["outputs"][o]["value"]
        v = float("nan") if v is None else v
        got = ds[idx]
        assert got == v or (got != got and v != v), (o, pt, got, v)
        n += 1
assert n > 0
# the tables the date axis prices: one per priced input over (price_date, name)
for inp, ax in (("price_hour", "gpu"), ("price_in", "api"), ("price_out", "api")):
    if ax not in axes or "price_date" not in axes:
        continue
    t = f["price_date_" + inp]
    assert t.shape == (len(axes["price_date"]), len(axes[ax])), t.shape
    assert [t.dims[i][0].name for i in (0, 1)] == ["/price_date", "/" + ax]
    for k, date in enumerate(axes["price_date"]):
        for c, name in enumerate(axes[ax]):
            r = subprocess.run([exe, "eval", "--price-kind", "on-demand", "--json",
                                "--price-date", date, "--" + ax, name],
                               capture_output=True, text=True)
            assert t[k, c] == json.loads(r.stdout)["inputs"][inp]["value"], (inp, date, name)
    assert ax + "_" + inp not in f   # the name axis no longer sets it
print("ok")
EOF
pdx() { # NAME AXES-BLOCK STORE
    cat >"$tmp/pdx.ini" <<EOF
[sweep]
output = $tmp/pdx.h5
[axes]
$2
[inputs]
price_kind = on-demand
[formulas]
hour_x2 = price_hour * 2 [USD/GPU-hour]
[outputs]
store = $3
EOF
    if run "$1" 0 sweep "$tmp/pdx.ini" --quiet --force; then
        res=$(LLMCOST="$LLMCOST" "$PY" "$tmp/pdx.py" "$tmp/pdx.h5" "$3" 2>&1)
        if [ "$res" = ok ]; then ok "$1: every point equals eval"; else bad "$1: $res"; fi
        for isa in scalar avx2; do
            LLMCOST_ISA=$isa "$LLMCOST" sweep "$tmp/pdx.ini" --quiet --force --output "$tmp/pdx_$isa.h5" \
                >/dev/null 2>&1 || bad "$1: sweep on $isa"
        done
        res=$("$PY" -c '
import sys, h5py, numpy as np
t = sys.argv[1]
a, b, c = (h5py.File(t + x, "r") for x in ("/pdx.h5", "/pdx_scalar.h5", "/pdx_avx2.h5"))
for k in sys.argv[2].split(","):
    assert np.array_equal(a[k][()], b[k][()], equal_nan=True) and \
           np.array_equal(a[k][()], c[k][()], equal_nan=True), k
print("ok")' "$tmp" "$3" 2>&1)
        if [ "$res" = ok ]; then ok "$1: bit-identical across ISAs"; else bad "$1: $res"; fi
    fi
}
# both tables outer (the row is params)
pdx pdx_outer "price_date = 2024-06, 2026-05-10, 2026-06
gpu = H100, A100-40GB
api = gpt-4o, gpt-3.5-turbo
params = log 1B 1T 40" "pretrain_cost,infer_cost_per_1k,token_profit,breakeven_tokens,hour_x2"
# short axes: the whole chunk one merged row holding both axes of the tables
pdx pdx_merged "params = 7B, 70B
price_date = 2024-06, 2026-05-10, 2026-06
gpu = H100, A100-40GB
api = gpt-4o, gpt-3.5-turbo" "pretrain_cost,avg_price_per_1k,token_profit,breakeven_tokens,hour_x2"
# the row is params x api (date outer): price_in / price_out change per row
APIS="gpt-4-turbo, gpt-4, gpt-3.5-turbo, gpt-4o, gpt-4o-mini, o1, claude-3-haiku, claude-3-opus, claude-3-5-sonnet, gemini-1.5-pro, mistral-large, codestral"
pdx pdx_row "price_date = 2025-01, latest
params = log 1B 1T 30
api = $APIS" "avg_price_per_1k,token_profit"
# tiny chunks: rows cut at chunk edges (the api axis alone as the row)
pdx_chunks() { # the same spec as the last pdx, in 1 KiB chunks
    sed 's/^\[sweep\]$/[sweep]\nchunk_kib = 1/' "$tmp/pdx.ini" >"$tmp/pdx1.ini"
    if run pdx_chunks 0 sweep "$tmp/pdx1.ini" --quiet --force --output "$tmp/pdx1.h5"; then
        res=$("$PY" -c '
import sys, h5py, numpy as np
t = sys.argv[1]
a, b = h5py.File(t + "/pdx.h5", "r"), h5py.File(t + "/pdx1.h5", "r")
for k in ("avg_price_per_1k", "token_profit"):
    assert np.array_equal(a[k][()], b[k][()], equal_nan=True), k
print("ok")' "$tmp" 2>&1)
        if [ "$res" = ok ]; then ok "pdx in 1 KiB chunks: the same values"; else bad "pdx_chunks: $res"; fi
    fi
}
pdx_chunks
# the api axis alone as the row (>= 32 names, not merged): contiguous in the
# date's table, one row at a time
NAMES=$("$LLMCOST" catalog --json | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
n = [a["name"] for a in d["apis"] if min(r["date"] for r in a["prices"]) <= "2025-12-31"]
assert len(n) >= 32, len(n)
lines, cur = [], ""
for x in n:   # continuation lines: every line of a spec is at most 199 characters
    if len(cur) + len(x) > 150:
        lines.append(cur)
        cur = ""
    cur += x + ", "
lines.append(cur.rstrip(", "))
print("\n    ".join(lines))')
pdx pdx_long "price_date = 2025-12, latest
params = 7B, 70B
api = $NAMES" "avg_price_per_1k,token_profit"

# spec errors name the file and line
spec_error() { # NAME TEXT SPEC-BODY
    printf '%s\n' "$3" >"$tmp/e.ini"
    run "$1" 2 sweep "$tmp/e.ini" --quiet && has "$1" "$tmp/err" "$2"
}
spec_error "price_date axis needs a gpu or api" "e.ini:2: a price_date axis needs a gpu or api to price" \
    "[axes]
price_date = 2024-06, 2025-06"
spec_error "price_date axis dates must increase" "e.ini:2: price_date: the dates must increase ('2024-01')" \
    "[axes]
price_date = 2024-06, 2024-01
[inputs]
api = gpt-4o"
spec_error "price_date both an axis and fixed" "both as an axis (line 2) and as a fixed value (line 5)" \
    "[axes]
price_date = 2024-06, 2025-06
[inputs]
api = gpt-4o
price_date = 2024-06"
spec_error "bad price_kind in a spec" "e.ini:3: price_kind 'weekly': expected on-demand" \
    "[inputs]
gpu = H100
price_kind = weekly"
spec_error "bad price_date in a spec" "e.ini:2: price_date: date '2024-6': expected YYYY-MM-DD" \
    "[inputs]
price_date = 2024-6"
spec_error "unknown model on an api axis" "e.ini:2: unknown API model 'gpt-9'" \
    "[axes]
api = gpt-4o, gpt-9"
spec_error "api axis lists a model twice" "API model 'gpt-4o' is listed twice" \
    "[axes]
api = gpt-4o, GPT-4o"
printf '[sweep]\noutput = %s\n[inputs]\napi = gpt-4o\nprice_date = latest\n[outputs]\nstore = avg_price_per_1k\n' \
    "$tmp/latest.h5" >"$tmp/latest.ini"
if run spec_latest 0 sweep "$tmp/latest.ini" --quiet; then
    py "price_date = latest in a spec takes the newest records" '
import sys, h5py
with h5py.File(sys.argv[1] + "/latest.h5", "r") as f:
    p = f.attrs["prices"]
    p = p.decode() if isinstance(p, bytes) else p
    assert "api gpt-4o: 0.0025 / 0.01 USD per 1K tokens 2024-10-01" in p, p
print("ok")'
fi

# shards priced at different dates are different sweeps: merge refuses them
cat >"$tmp/t.ini" <<EOF
[sweep]
output = $tmp/t.h5
[axes]
params = 7B, 70B, 175B
[inputs]
gpu = H100
api = gpt-4o
price_provider = hyperscaler
[outputs]
store = pretrain_cost, avg_price_per_1k
EOF
if run shard0 0 sweep "$tmp/t.ini" --shard 0/2 --quiet --price-date 2024-06 &&
    run shard1 0 sweep "$tmp/t.ini" --shard 1/2 --quiet --price-date 2025-01; then
    run merge_dates 2 merge "$tmp/m.h5" "$tmp/t.shard0-of-2.h5" "$tmp/t.shard1-of-2.h5" &&
        has "merge refuses shards priced at another --price-date" "$tmp/err" "setting price_date: '2024-06' -> '2025-01'"
fi

# ---- sensitivity takes --price-date ----------------------------------------
spec=sweeps/sensitivity_gpt4.ini
if run sens_date 0 sensitivity "$spec" --price-date 2024-06 --method tornado -o "$tmp/s.h5"; then
    has "sensitivity prints the records used" "$tmp/out" "gpu A100: 2.2659 USD/GPU-hour reserved-3y hyperscaler 2024-01"
    py "sensitivity stores the records used in the HDF5 'prices' attribute" '
import sys, h5py
with h5py.File(sys.argv[1] + "/s.h5", "r") as f:
    p = f.attrs["prices"]
    p = p.decode() if isinstance(p, bytes) else p
    assert "query: date 2024-06" in p and "gpu A100: 2.2659" in p, p
print("ok")'
fi
run sens_early 2 sensitivity "$spec" --price-date 2023-12 --method tornado &&
    has "sensitivity --price-date before the first record names it, with file:line" "$tmp/err" "sensitivity_gpt4.ini:16: GPU A100 has no reserved-3y hyperscaler price record at or before 2023-12 (the first is 2024-01)"

cat >"$tmp/sg.ini" <<EOF
[distribution.gpu]
type = choice
values = A100, H100
[distribution.params]
type = uniform
low = 7B
high = 70B
EOF
run sens_gpu_factor 2 sensitivity "$tmp/sg.ini" --method tornado --price-date 2023-08 &&
    has "a GPU factor choice without a record at the date names its first date" "$tmp/err" "sg.ini:3: [distribution.gpu]: GPU A100 has no reserved-3y hyperscaler price record at or before 2023-08 (the first is 2024-01)"

# ---- catalog ----------------------------------------------------------------
if run catalog_json 0 catalog --json; then
    py "catalog --json: every record with source and date, >= 40 API models of >= 6 providers" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
apis, gpus = d["apis"], d["gpus"]
assert len(apis) >= 40, len(apis)
assert len({a["provider"] for a in apis}) >= 6, {a["provider"] for a in apis}
for e in apis + gpus:
    if e["name"] == "Gaudi3":  # no public price: no record, price null
        assert e["prices"] == [] and e["price_hour"] is None, e
        continue
    assert e["prices"], e["name"]
    for r in e["prices"]:
        assert r["source"] and r["date"], (e["name"], r)
    assert sum(r["selected"] for r in e["prices"]) == 1, e["name"]
a100 = [g for g in gpus if g["name"] == "A100"][0]
ref = [r for r in a100["prices"] if r["reference"]][0]
assert ref["price_hour"] == 2.2659 and ref["selected"], ref
assert "architectures" in d
print("ok")'
fi
run catalog_table 0 catalog && has "catalog shows the sources of the price records" "$tmp/out" "https://openai.com/index/hello-gpt-4o/"

# ---- --catalog-add: my negotiated H100 price on top of the built-in one -------
cat >"$tmp/mine.ini" <<EOF
[gpu H100]
price_hour = 1.85
price_source = our contract with a GPU cloud
price_date = 2026-03
price_kind = reserved-1y
EOF
if run add_eval 0 eval --gpu H100 --catalog-add "$tmp/mine.ini" --json; then
    py "--catalog-add overrides the H100 price and keeps its hardware figures" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
assert d["inputs"]["price_hour"]["value"] == 1.85, d["inputs"]["price_hour"]
assert d["inputs"]["flops"]["value"] == 989e12
assert d["prices"]["gpu"]["source"] == "our contract with a GPU cloud"
assert d["catalog"].startswith("built-in + ")
print("ok")'
fi
printf '[price api gpt-4o]\nprice_in = 0.002\nprice_out = 0.008\ndate = 2026-01\n' >"$tmp/nosrc.ini"
run add_nosrc 2 eval --api gpt-4o --catalog-add "$tmp/nosrc.ini" &&
    has "an added record without a source is refused with file:line" "$tmp/err" "nosrc.ini:1: [price api gpt-4o]: missing field 'source'"

# unstated_gpu TAG CAT GPU MSG INPUT OPTION VALUE OUTPUT: a GPU of catalogue CAT
# that leaves INPUT out is refused with file:line on a gpu axis, as [inputs] gpu
# and as a [distribution.gpu] choice; with INPUT = VALUE in [inputs] a gpu axis
# holds, for every GPU, what eval --OPTION VALUE gives, and the prices attribute
# says the price was given when INPUT is price_hour.
unstated_gpu() {
    tag=$1 cat=$2 gpu=$3 msg=$4 input=$5 option=$6 value=$7 output=$8
    printf '[axes]\ngpu = H100, %s\n[inputs]\nparams = 7B\n' "$gpu" >"$tmp/${tag}_axis.ini"
    run "${tag}_axis" 2 sweep "$tmp/${tag}_axis.ini" --catalog-add "$cat" --quiet &&
        has "$tag: a gpu axis with $gpu is refused with file:line" "$tmp/err" "${tag}_axis.ini:2: $msg"
    printf '[inputs]\ngpu = %s\nparams = 7B\n[axes]\nbatch = 1, 8\n' "$gpu" >"$tmp/${tag}_fixed.ini"
    run "${tag}_fixed" 2 sweep "$tmp/${tag}_fixed.ini" --catalog-add "$cat" --quiet &&
        has "$tag: [inputs] gpu = $gpu is refused with file:line" "$tmp/err" "${tag}_fixed.ini:2: $msg"
    printf '[sweep]\noutput = %s/%s.h5\n[axes]\ngpu = H100, %s\n[inputs]\nparams = 7B\n%s = %s\n[outputs]\nstore = %s\n' \
        "$tmp" "$tag" "$gpu" "$input" "$value" "$output" >"$tmp/${tag}_ok.ini"
    if run "${tag}_given" 0 sweep "$tmp/${tag}_ok.ini" --catalog-add "$cat" --quiet; then
        py "$tag: a gpu axis with $input = $value in [inputs]: $output equal to eval --$option for both GPUs" "
import sys, subprocess, os, json
import h5py
t = sys.argv[1]
exe = os.environ.get('LLMCOST', 'build/llmcost')
with h5py.File(t + '/$tag.h5', 'r') as f:
    got = f['$output'][()].ravel()
    note = f.attrs['prices']
    note = note.decode() if isinstance(note, bytes) else str(note)
for k, g in enumerate(['H100', '$gpu']):
    r = subprocess.run([exe, 'eval', '--gpu', g, '--params', '7B', '--$option', '$value',
                        '--catalog-add', '$cat', '--json'], capture_output=True, text=True)
    want = json.loads(r.stdout)['outputs']['$output']['value']
    assert got[k] == want, (g, got[k], want)
if '$input' == 'price_hour':
    assert 'gpu $gpu: price_hour as given (it has no price record)' in note, note
    assert 'gpu H100: price_hour as given (its catalogue records unused)' in note, note
print('ok')"
    fi
    printf '[distribution.gpu]\ntype = choice\nvalues = H100, %s\n[distribution.params]\ntype = uniform\nlow = 7B\nhigh = 70B\n' "$gpu" >"$tmp/${tag}_sens.ini"
    run "${tag}_sens" 2 sensitivity "$tmp/${tag}_sens.ini" --method tornado --catalog-add "$cat" &&
        has "$tag: a GPU factor choice $gpu is refused with file:line" "$tmp/err" "${tag}_sens.ini:2: $msg"
}

# ---- a GPU that does not state its board power (power_w optional) -----------
# Used only where power_w is given: the default would price energy silently.
printf '[gpu T1]\nflops = 197e12\nhbm_bw = 819e9\ngpu_mem = 16e9\nprice_hour = 1.2\nprice_source = test quote\nprice_date = 2024-01\n' >"$tmp/nopower.ini"
nopower="GPU 'T1' does not state its board power: give power_w (--power-w W, or power_w in [inputs])"
run nopower_eval 2 eval --gpu T1 --catalog-add "$tmp/nopower.ini" &&
    has "eval refuses a GPU without power_w when --power-w is not given" "$tmp/err" "$nopower"
if run nopower_eval_given 0 eval --gpu T1 --power-w 250 --catalog-add "$tmp/nopower.ini" --json; then
    py "eval with --power-w: the given power, the GPU's other figures, energy from 250 W" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
i, o = d["inputs"], d["outputs"]
assert i["power_w"]["value"] == 250 and i["power_w"]["source"] == "given", i["power_w"]
assert i["flops"]["value"] == 197e12 and i["hbm_bw"]["value"] == 819e9
assert i["price_hour"]["value"] == 1.2
want = o["pretrain_gpu_hours"]["value"] * 250 * i["pue"]["value"] / 1e6
assert abs(o["energy_mwh"]["value"] - want) <= 1e-12 * want, (o["energy_mwh"], want)
print("ok")'
fi
if run nopower_catalog 0 catalog --json --catalog-add "$tmp/nopower.ini"; then
    py "catalog --json prints an unstated power as null" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
g = [g for g in d["gpus"] if g["name"] == "T1"][0]
assert g["power_w"] is None, g
assert all(g["power_w"] > 0 for g in d["gpus"] if g["name"] != "T1" and not g["name"].startswith("TPU-"))
print("ok")'
fi
printf '[gpu T2]\nflops = 1e15\nhbm_bw = 1e12\npower_w = 0\nprice_hour = 1\nprice_source = x\nprice_date = 2024-01\n' >"$tmp/zeropower.ini"
run zeropower 2 catalog --catalog-add "$tmp/zeropower.ini" &&
    has "power_w = 0 is refused (absent is the way to say not stated)" "$tmp/err" "zeropower.ini:4: power_w: 0 must be > 0"
unstated_gpu nopower "$tmp/nopower.ini" T1 "$nopower" power_w power-w 300 energy_mwh

# ---- a GPU with no price record (no public rental price, as Gaudi 3) ---------
# Used only where price_hour is given: a default price would be a silent wrong cost.
printf '[gpu U1]\nflops = 1835e12\nhbm_bw = 3.67e12\npower_w = 900\ngpu_mem = 128e9\n' >"$tmp/noprice.ini"
noprice="GPU 'U1' has no price record: give price_hour (--price-hour USD, or price_hour in [inputs])"
run noprice_eval 2 eval --gpu U1 --catalog-add "$tmp/noprice.ini" &&
    has "eval refuses a GPU without a price record when --price-hour is not given" "$tmp/err" "$noprice"
run noprice_builtin 2 eval --gpu gaudi3 &&
    has "the built-in Gaudi 3 has no price record and is refused without --price-hour" "$tmp/err" "GPU 'Gaudi3' has no price record"
run noprice_tpu 2 eval --gpu tpu-v5p &&
    has "the built-in TPU v5p states no power and is refused without --power-w" "$tmp/err" "GPU 'TPU-v5p' does not state its board power"
if run noprice_eval_given 0 eval --gpu U1 --price-hour 3.5 --params 70B --catalog-add "$tmp/noprice.ini" --json; then
    py "eval with --price-hour: the given price, the GPU's figures, the cost from 3.5 USD/h" '
import sys, json
d = json.load(open(sys.argv[1] + "/out"))
i = d["inputs"]
assert i["price_hour"]["value"] == 3.5 and i["price_hour"]["source"] == "given", i["price_hour"]
assert i["flops"]["value"] == 1835e12 and i["gpu_mem"]["value"] == 128e9, i["flops"]
assert d["outputs"]["pretrain_cost"]["value"] > 0
print("ok")'
fi
if run noprice_catalog 0 catalog --json --catalog-add "$tmp/noprice.ini"; then
    py "catalog --json prints an unpriced GPU with price_hour null and no records" '
import sys, json
d = json.load(open(sys.argv[1] + "/out"))
g = [g for g in d["gpus"] if g["name"] == "U1"][0]
assert g["price_hour"] is None and g["prices"] == [], g
print("ok")'
fi
unstated_gpu noprice "$tmp/noprice.ini" U1 "$noprice" price_hour price-hour 3.5 pretrain_cost

if [ "$fails" -ne 0 ]; then
    echo "$fails failed"
    exit 1
fi
echo "all passed"
