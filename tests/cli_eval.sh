#!/bin/sh
# cli_eval.sh - end-to-end tests of 'llmcost eval', 'task' and 'catalog' on
# the real binary ($LLMCOST): the article's numbers in the table and in the
# JSON (parsed back with Python), every error path (exit 2 and one line on
# stderr, nothing on stdout), --help, and 'make install' into a DESTDIR with
# the man page rendered.  Run from the source tree by tests/run_tests.sh.
set -u
. "$(dirname "$0")/lib_cli.sh" # LLMCOST, PY, ROOT, ok/bad, run, has
BUILD=${BUILD:-build}
tmp=$(mktemp -d /tmp/llmcost_cli_eval.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# usage_error NAME ARGS...: exit 2, one line on stderr naming the command,
# nothing on stdout
usage_error() {
    name=$1
    shift
    run "$name" 2 "$@" || return
    lines=$(wc -l <"$tmp/err")
    if [ "$lines" -ne 1 ]; then bad "$name: $lines lines on stderr, expected 1"; return; fi
    if ! grep -q "^llmcost [a-z]*: ." "$tmp/err"; then bad "$name: stderr '$(cat "$tmp/err")'"; return; fi
    if [ -s "$tmp/out" ]; then bad "$name: output on stdout"; return; fi
    ok "$name: $(cat "$tmp/err")"
}

# ---- eval: the article's GPT-4 Turbo point --------------------------------
if run eval_article 0 eval --params 1776e9 --tokens 13e12 --gpu A100 --discount 0.5; then
    has "pretraining cost 139,730,500 USD" "$tmp/out" "pretrain_cost               139730500  USD"
    has "pretraining cost in CNY" "$tmp/out" "992086550 CNY"
    has "inference cost per 1K 0.0071656667" "$tmp/out" "infer_cost_per_1k      0.007165666667  USD/1K token"
    has "average price 0.02" "$tmp/out" "avg_price_per_1k                 0.02"
    has "GPU from the catalogue" "$tmp/out" "gpu A100"
    has "util_infer follows util" "$tmp/out" "= util"
    has "train days" "$tmp/out" "train_days                513.8888889  day"
    for g in pretraining inference memory serving monthly "token business" "subscription business" routing "self-host or buy" energy; do
        grep -qx "$g" "$tmp/out" || bad "group '$g' missing"
    done
fi

# SI suffixes give the same numbers
if run eval_si 0 eval --params 1776B --tokens 13T --gpu a100 --discount 50%; then
    has "SI suffixes 1776B 13T 50%" "$tmp/out" "pretrain_cost               139730500  USD"
fi

# ---- memory and serving (doc/model.md) ---------------------------------------
# Llama-3.1-70B at batch 256, 4K context: 343.6 GB of KV cache beside 141.2 GB
# of weights; on 4 H100s it does not fit and the table says so in words
L70="--params 70.6B --layers 80 --d-model 8192 --heads 64 --kv-heads 8 --batch 256 --context 4096 --gpu H100"
if run eval_llama 0 eval $L70 --tp 8; then
    has "memory group" "$tmp/out" "kv_bytes_per_token             327680  byte/token"
    has "gpus per replica" "$tmp/out" "gpus_per_replica                    8  GPU"
    has "max batch" "$tmp/out" "max_batch                         323  sequence"
    has "serving group" "$tmp/out" "tpot_ms"
fi
if run eval_nofit 0 eval $L70 --tp 4; then
    has "does not fit" "$tmp/out" "gpus_per_replica     undefined: does not fit: needs 7 GPUs (tp = 4"
    has "does not fit reaches serving" "$tmp/out" "decode_cost_per_1k   undefined: does not fit: needs 7 GPUs"
    # the batch that would fit on the 4: floor((4 * 72e9 - 141.2e9) / 1342177280) = 109
    has "max batch on tp when the batch does not fit" "$tmp/out" "max_batch                         109  sequence"
fi
if run eval_nofit_json 0 eval $L70 --tp 4 --serving roofline --json; then
    if "$PY" - "$tmp/out" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1]))
o, i = d["outputs"], d["inputs"]
assert i["serving"]["value"] == 1 and i["serving"]["source"] == "given", i["serving"]
assert o["gpus_per_replica"]["value"] is None
assert "does not fit: needs 7 GPUs" in o["gpus_per_replica"]["undefined"]
assert o["monthly_cost"]["value"] is None          # roofline: the business outputs read it
assert "does not fit" in o["monthly_cost"]["undefined"]
assert o["kv_bytes_per_seq"]["value"] == 1342177280
assert o["kv_bytes_per_seq"]["group"] == "memory" and o["tpot_ms"]["group"] == "serving"
assert i["params_active"]["source"] == "default (0: = params)", i["params_active"]
EOF2
    then ok "eval --json: does not fit, serving = roofline"; else bad "eval --json: does not fit, serving = roofline"; fi
fi
# serving = roofline reaches monthly_cost; a word other than compute / roofline is refused
if run eval_roof 1 eval --serving roofline --json && "$PY" -c '
import json, sys
o = json.load(open(sys.argv[1]))["outputs"]
assert o["cost_per_1k"]["value"] == o["serve_cost_per_1k"]["value"]
assert o["monthly_cost"]["value"] > 1e9
assert "no_breakeven" in o["breakeven_tokens"]   # 0.56 USD/1K > the 0.02 price: exit 1' "$tmp/out"; then ok "serving = roofline feeds monthly_cost"; else bad "serving = roofline feeds monthly_cost"; fi
usage_error "serving word" eval --serving fast
has "serving word names the words" "$tmp/err" "compute or roofline"

# ---- eval --json parsed back ----------------------------------------------
if run eval_json 0 eval --params 1776e9 --tokens 13e12 --gpu A100 --discount 0.5 --json; then
    if "$PY" - "$tmp/out" <<'EOF'
import json, math, sys
d = json.load(open(sys.argv[1]))
o, i = d["outputs"], d["inputs"]
def close(a, b, what):
    if not abs(a - b) <= 1e-12 * abs(b):
        sys.exit("%s: %r != %r" % (what, a, b))
close(o["pretrain_cost"]["value"], 139730500.0, "pretrain_cost")
assert o["pretrain_cost"]["unit"] == "USD"
close(o["pretrain_cost"]["converted"]["value"], 139730500.0 * 7.1, "converted")
assert o["pretrain_cost"]["converted"]["unit"] == "CNY"
close(o["infer_cost_per_1k"]["value"], 1000 * 2 * 1776e9 / 312e12 * 2.2659 / 3600, "infer")
close(o["infer_cost_per_1k"]["value"], 0.0071656666666666666667, "infer exact")
close(o["avg_price_per_1k"]["value"], 0.02, "avg")
close(o["energy_mwh"]["value"], 59200.0, "energy")
close(o["train_days"]["value"], 4.44e11 / 10000 / 86400, "train_days")
fixed = 139730500.0 / 6
close(o["breakeven_tokens"]["value"], fixed / (0.02 - 0.0071656666666666666667) * 1000, "be tokens")
close(o["breakeven_users"]["value"], fixed / (20 - 1.8e6 / 1000 * 0.0071656666666666666667), "be users")
assert i["params"] == {"value": 1.776e12, "unit": "1", "source": "given"}, i["params"]
assert i["flops"]["value"] == 312e12 and i["flops"]["source"] == "gpu A100"
assert i["price_hour"]["value"] == 2.2659
assert i["util_infer"]["source"] == "= util"
assert d["gpu"] == "A100" and d["api"] is None and d["currency"] == "CNY"
assert o["breakeven_tokens"]["unit"] == "token/month"
assert "no_breakeven" not in o["breakeven_tokens"]
# every output finite but self-hosting, which never pays at the article's
# numbers (a batch-1 replica costs more per 1K than the API price), and says so
assert all(v["value"] is not None for k, v in o.items() if k != "selfhost_breakeven_tokens")
assert o["selfhost_breakeven_tokens"]["value"] is None
assert "never" in o["selfhost_breakeven_tokens"]["no_breakeven"]
EOF
    then ok "eval --json values"; else bad "eval --json values"; fi
fi

# every input and output of the tables is in the JSON and in --help
if run eval_help 0 eval --help && "$LLMCOST" eval --json >"$tmp/all.json"; then
    cp "$tmp/out" "$tmp/help"
    "$PY" - "$tmp/all.json" "$tmp/help" <<'EOF' && ok "--help lists every input and output" || bad "--help lists every input and output"
import json, sys
d = json.load(open(sys.argv[1]))
h = open(sys.argv[2]).read()
assert len(d["inputs"]) >= 27 and len(d["outputs"]) >= 22
for name, v in d["inputs"].items():
    opt = "--" + name.replace("_", "-")
    assert opt in h, opt
    assert v["unit"] in h, v["unit"]
for name in d["outputs"]:
    assert name in h, name
EOF
fi

# ---- no break-even ----------------------------------------------------------
if run eval_no_breakeven 1 eval --price-in 0.001 --price-out 0.002 --subscription 5; then
    has "no break-even (tokens)" "$tmp/out" \
        "no break-even: inference cost per 1K (0.007165666667) ≥ price per 1K (0.0015)"
    has "no break-even (subscribers)" "$tmp/out" \
        "no break-even: inference cost per user (12.8982) ≥ subscription price (5)"
fi
if run eval_no_breakeven_json 1 eval --price-in 0.001 --price-out 0.002 --json; then
    "$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))["outputs"]
b = d["breakeven_tokens"]
assert b["value"] is None, b
assert "inference cost per 1K (0.007165666667)" in b["no_breakeven"], b
assert d["breakeven_users"]["value"] is not None' "$tmp/out" \
        && ok "no break-even in JSON is null + reason" || bad "no break-even in JSON"
fi

# ---- wrong input: exit 2 and one line ----------------------------------------
usage_error "unknown option" eval --foo 1
usage_error "unknown GPU" eval --gpu X100
grep -q "A100" "$tmp/err" && ok "unknown GPU lists the known ones" || bad "unknown GPU lists the known ones"
usage_error "unknown API" eval --api nope
usage_error "not a number" eval --params abc
usage_error "NaN" eval --util nan
usage_error "infinite" eval --price-hour inf
usage_error "util above 1" eval --util 1.5
grep -q "(0, 1\]" "$tmp/err" && ok "range is named" || bad "range is named"
usage_error "util_infer of 0" eval --util_infer 0
usage_error "zero FLOP/s" eval --flops 0
usage_error "negative tokens" eval --tokens -5
usage_error "missing value" eval --params
usage_error "flag with a value" eval --json=1
usage_error "stray argument" eval extra
usage_error "chinchilla with tokens" eval --chinchilla --tokens 1T
usage_error "missing catalogue" eval --catalog "$tmp/none.ini" --gpu A100
printf '[gpu Z]\nflops = 1e15\n' >"$tmp/broken.ini"
usage_error "broken catalogue" eval --catalog "$tmp/broken.ini" --gpu Z
grep -q "broken.ini:1:" "$tmp/err" && ok "catalogue error has file:line" || bad "catalogue error has file:line"

# ---- --chinchilla, --util-infer, --catalog replacement ------------------------
if run eval_chinchilla 0 eval --params 70B --chinchilla --json; then
    "$PY" -c 'import json,sys; i = json.load(open(sys.argv[1]))["inputs"]
assert i["tokens"]["value"] == 1.4e12 and "Chinchilla" in i["tokens"]["source"], i["tokens"]' \
        "$tmp/out" && ok "--chinchilla sets tokens = 20 N" || bad "--chinchilla"
fi
cat >"$tmp/mine.ini" <<'EOF'
[gpu X1]
flops = 1000T
hbm_bw = 4T
power_w = 500
price_hour = 1.5
price_source = my quote
price_date = 2026-01
EOF
if run eval_own_catalog 0 eval --catalog "$tmp/mine.ini" --gpu x1 --util-infer 0.5 --json; then
    "$PY" -c 'import json,sys; d = json.load(open(sys.argv[1])); i = d["inputs"]
assert i["flops"]["value"] == 1e15 and i["price_hour"]["value"] == 1.5
assert i["util_infer"] == {"value": 0.5, "unit": "1", "source": "given"}
c = d["outputs"]["infer_cost_per_1k"]["value"]
want = 1000 * 2 * 1776e9 / (1e15 * 0.5) * 1.5 / 3600
assert abs(c - want) <= 1e-12 * want, (c, want)' "$tmp/out" \
        && ok "--catalog FILE replaces the catalogue" || bad "--catalog FILE"
fi
if run eval_override 0 eval --gpu A100 --price-hour 1 --currency-rate 7.2 --currency EUR --json; then
    "$PY" -c 'import json,sys; d = json.load(open(sys.argv[1])); i = d["inputs"]
assert i["price_hour"] == {"value": 1, "unit": "USD/GPU-hour", "source": "given"}, i["price_hour"]
assert i["flops"]["source"] == "gpu A100" and i["fx_rate"]["value"] == 7.2
assert i["fx_rate"]["unit"] == "EUR/USD" and d["currency"] == "EUR"
c = d["outputs"]["pretrain_cost"]
assert c["converted"]["unit"] == "EUR" and abs(c["converted"]["value"] - 7.2 * c["value"]) <= 1e-6
assert abs(c["value"] - 4.44e11 / 3600 * 1) <= 1e-12 * c["value"], c' "$tmp/out" \
        && ok "explicit options override the GPU; --currency-rate" || bad "override / --currency-rate"
fi
usage_error "A100 gone with own catalogue" eval --catalog "$tmp/mine.ini" --gpu A100

# ---- task ----------------------------------------------------------------------
if run task_article 0 task --chars 5000 --out-chars 500 --model gpt-4-turbo; then
    has "task costs 0.13 USD" "$tmp/out" "cost per task            0.13  USD  0.923 CNY"
    has "10000 input tokens" "$tmp/out" "input tokens            10000"
fi
if run task_year 0 task --chars 5000 --out-chars 500 --model gpt-4-turbo --per-day 10 --days 365; then
    has "yearly 474.5 USD = 3368.95 CNY" "$tmp/out" "474.5  USD  3368.95 CNY"
fi
if run task_json 0 task --words 500 --out-words 100 --price-in 0.01 --price-out 0.03 --json; then
    "$PY" -c 'import json,sys; d = json.load(open(sys.argv[1]))
assert d["tokens_in"] == 650 and d["tokens_out"] == 130, d
assert abs(d["cost"]["value"] - 0.0104) <= 1e-15' "$tmp/out" \
        && ok "task --json, English words" || bad "task --json"
fi
usage_error "task without a size" task --model gpt-4-turbo
usage_error "task without prices" task --chars 10
usage_error "task unknown model" task --chars 10 --model gpt-9
usage_error "task negative chars" task --chars -3 --model gpt-4-turbo
usage_error "task zero tokens per char" task --chars 3 --tokens-per-char 0 --model gpt-4
usage_error "task not a number" task --chars many --model gpt-4

# ---- catalog ---------------------------------------------------------------------
if run catalog 0 catalog; then
    has "catalog lists A100 at 2.2659" "$tmp/out" "2.2659"
    has "catalog lists gpt-4-turbo" "$tmp/out" "gpt-4-turbo"
fi
if run catalog_json 0 catalog --json; then
    "$PY" -c 'import json,sys; d = json.load(open(sys.argv[1]))
g = {x["name"]: x for x in d["gpus"]}
assert g["H100"]["flops"] == 989e12 and g["A100"]["price_hour"] == 2.2659
assert {"A100", "H100", "H200", "B200", "MI300X"} <= set(g)' "$tmp/out" \
        && ok "catalog --json" || bad "catalog --json"
fi
usage_error "catalog bad option" catalog --gpu A100

# ---- help ------------------------------------------------------------------------
run task_help 0 task --help && ok "task --help"
run catalog_help 0 catalog --help && ok "catalog --help"

# ---- make install with the man page ------------------------------------------------
dest="$tmp/dest"
if make -s -C "$ROOT" install DESTDIR="$dest" PREFIX=/usr \
    BUILD="$BUILD" >"$tmp/install.log" 2>&1; then
    if [ -x "$dest/usr/bin/llmcost" ] && "$dest/usr/bin/llmcost" --version >/dev/null; then
        ok "install: bin/llmcost"
    else bad "install: bin/llmcost"; fi
    man="$dest/usr/share/man/man1/llmcost.1"
    if [ -s "$man" ]; then
        ok "install: man page"
        if command -v groff >/dev/null 2>&1; then
            groff -man -Tutf8 -P-cbou -ww "$man" >"$tmp/man.txt" 2>"$tmp/man.err"
            if [ -s "$tmp/man.err" ]; then bad "man page renders without warnings"; sed 's/^/    /' "$tmp/man.err" | head; fi
            for s in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" FILES EXAMPLES; do
                grep -q "^$s" "$tmp/man.txt" || bad "man page section $s"
            done
            has "man page renders eval" "$tmp/man.txt" "llmcost eval"
            # the man page's input list must follow the program's table
            "$PY" -c 'import json,sys
names = json.load(open(sys.argv[1]))["inputs"]
text = open(sys.argv[2], encoding="utf-8").read()
missing = [n for n in names if "--%s X" % n.replace("_", "-") not in text]
assert not missing, missing' "$tmp/all.json" "$tmp/man.txt" \
                && ok "man page lists every eval input" || bad "man page lists every eval input"
        else
            has "man page has .SH NAME" "$man" ".SH NAME"
        fi
    else bad "install: man page"; fi
else
    bad "make install"
    tail -5 "$tmp/install.log"
fi

echo "cli_eval: $fails failure(s)"
[ "$fails" -eq 0 ]
