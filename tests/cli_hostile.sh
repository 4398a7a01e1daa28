#!/bin/sh
# cli_hostile.sh - hostile and broken input through the llmcost command
# (issue 7): NaN/Inf/out-of-range/overlong arguments to eval and task,
# broken catalogues (--catalog), broken specs to sweep, and files that are
# not what slice/info/merge expect (not HDF5, empty, truncated, an HDF5 file
# not written by llmcost, a dataset of the wrong shape or type, a
# directory).  Each case asserts exit status 2, a phrase of the message, and
# that nothing crashed (no signal, no sanitizer report).  Inputs that once
# crashed the CLI fuzzer (tests/regress/cli-*, one argument per line) are
# replayed too.  A command not built yet is reported as SKIP.
# Env: LLMCOST (binary), BUILD (scratch dir), PY (python with h5py).
set -u
LLMCOST=${LLMCOST:-build/llmcost}
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
case "$LLMCOST" in /*) ;; *) LLMCOST="$PWD/$LLMCOST" ;; esac
top=$PWD
mkdir -p "$BUILD"
dir=$(mktemp -d "$PWD/$BUILD/cli_hostile.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
fail=0; n=0; skipped=""

# check WANT_RC PHRASE: the last run's exit status and stderr
check() {
    n=$((n + 1))
    if [ "$rc" -ge 128 ] || grep -qE "AddressSanitizer|runtime error|LeakSanitizer|Segmentation" err; then
        echo "FAIL (crash, exit $rc): $what"; sed 's/^/    /' err | head -n 20; fail=1; return
    fi
    if [ "$rc" -ne "$1" ]; then
        echo "FAIL: exit $rc (want $1): $what"; sed 's/^/    /' err | head -n 5; fail=1; return
    fi
    if ! grep -qF -- "$2" err; then
        echo "FAIL: want '$2' in stderr of: $what"; sed 's/^/    /' err | head -n 5; fail=1; return
    fi
    echo "ok $what: $(head -c 160 err | head -n 1)"
}

# expect WANT_RC PHRASE ARG...: run llmcost ARG... (stdin /dev/null)
expect() {
    want=$1; phrase=$2; shift 2
    what="llmcost $(echo "$*" | cut -c 1-90)"
    "$LLMCOST" "$@" < /dev/null > out 2> err
    rc=$?
    check "$want" "$phrase"
}

implemented() {
    ! "$LLMCOST" "$1" --help 2>&1 | grep -q "not implemented"
}

# ---- eval and task: NaN, Inf, out of range, usage ---------------------------
if implemented eval; then
    for v in nan NaN -nan inf -inf +Inf infinity; do
        expect 2 "is not a number" eval --params "$v"
    done
    expect 2 "is not a number" eval --util=nan
    expect 2 "too large" eval --flops 1e309
    expect 2 "too large" eval --tokens 1e308k
    expect 2 "is not a number" eval --price-hour 0x1p3
    expect 2 "out of range" eval --util 1.5
    expect 2 "out of range" eval --params=-1
    expect 2 "out of range" eval --gpus 0
    expect 2 "out of range" eval --pue 0.5
    expect 2 "is not a number" eval --currency-rate nan
    expect 2 "needs a value" eval --params
    expect 2 "unknown option" eval --bogus 1
    expect 2 "unknown GPU" eval --gpu NOPE
    # a 100000-digit number and a 100000-character option name
    big=$(head -c 100000 /dev/zero | tr '\0' '7')
    expect 2 "too large" eval --params "$big"
    expect 2 "unknown option" eval "--$big" 1
    expect 2 "is not a number" eval --params "7B$big"
else
    skipped="$skipped eval"
fi
if implemented task; then
    expect 2 "is not a number" task --chars nan --model gpt-4-turbo
    expect 2 "is not a number" task --chars 100 --price-in inf --price-out 1
    expect 2 "too large" task --chars 1e400 --model gpt-4-turbo
    expect 2 "unknown" task --chars 100 --model no-such-model
else
    skipped="$skipped task"
fi

# ---- broken catalogues -----------------------------------------------------
gpu_ok='flops = 1e15\nhbm_bw = 3T\npower_w = 700\nprice_hour = 2\nprice_source = q\nprice_date = 2025\n'
printf '; mine\n[gpu X]\nflops = 1e15\npower_w = 700\nprice_hour = 2\nprice_source = q\nprice_date = 2025\n' > cat_missing.ini
printf '[gpu X]\nflops = nan\nhbm_bw = 3T\npower_w = 700\nprice_hour = 2\nprice_source = q\nprice_date = 2025\n' > cat_nan.ini
printf '[gpu X]\nflops = 1e15\nhbm_bw = inf\npower_w = 700\nprice_hour = 2\nprice_source = q\nprice_date = 2025\n' > cat_inf.ini
printf '[gpu X]\nprice_source = caf\351\n' > cat_latin1.ini
: > cat_empty.ini
printf "[gpu X]\nprice_source = %0250d\n" 7 > cat_long.ini
printf 'price_in = 1\n[api x]\nprice_in = 1\nprice_out = 1\nsource = s\ndate = d\n' > cat_outside.ini
printf "[gpu X]\n$gpu_ok[gpu x]\n$gpu_ok" > cat_dup.ini
printf '[gpu X\nflops = 1\n' > cat_header.ini
if implemented catalog; then
    expect 2 "cat_missing.ini:2: [gpu X]: missing field 'hbm_bw'" catalog --catalog cat_missing.ini
    expect 2 "cat_nan.ini:2:" catalog --catalog cat_nan.ini
    expect 2 "not a number" catalog --catalog cat_nan.ini
    expect 2 "not a number" catalog --catalog cat_inf.ini
    expect 2 "cat_latin1.ini:2: line is not valid UTF-8" catalog --catalog cat_latin1.ini
    expect 2 "empty" catalog --catalog cat_empty.ini
    expect 2 "cat_long.ini:2: line is 265 characters long" catalog --catalog cat_long.ini
    expect 2 "cat_outside.ini:1:" catalog --catalog cat_outside.ini
    expect 2 "duplicate" catalog --catalog cat_dup.ini
    expect 2 "cat_header.ini:1: section header without a closing ']'" catalog --catalog cat_header.ini
    expect 2 "cannot open" catalog --catalog no_such_file.ini
    expect 2 "directory" catalog --catalog "$dir"
else
    skipped="$skipped catalog"
fi
if implemented eval; then
    expect 2 "missing field 'hbm_bw'" eval --catalog cat_missing.ini
fi

# ---- broken specs ------------------------------------------------------------
# (the parser's own cases: tests/test_spec.c, tests/cli_spec_errors.sh)
if implemented sweep; then
    printf '[sweep]\noutput = nan.h5\n[axes]\nparams = 7B, nan\n' > nan.ini
    expect 2 "nan.ini:4:" sweep nan.ini --quiet
    printf '[axes]\nparams = log 1e9 inf 4\n' > inf.ini
    expect 2 "inf.ini:2:" sweep inf.ini --quiet
    printf '[sweep]\nname = caf\351\n[axes]\nparams = 7B\n' > latin1.ini
    expect 2 "latin1.ini:2: line is not valid UTF-8" sweep latin1.ini --quiet
    : > empty.ini
    expect 2 "empty" sweep empty.ini --quiet
    printf '\n \n\t\n' > blank.ini
    expect 2 "empty" sweep blank.ini --quiet
    printf "[sweep]\nname = %0300d\n" 1 > long.ini
    expect 2 "long.ini:2: line is 307 characters long, at most 199" sweep long.ini --quiet
    printf '[axes]\nparams = 7B\n[axes]\nparams = 70B\n' > dupsec.ini
    expect 2 "dupsec.ini:4:" sweep dupsec.ini --quiet
    printf '[axes]\nparams = 7B\nparams = 70B\n' > dupkey.ini
    expect 2 "dupkey.ini:3:" sweep dupkey.ini --quiet
    printf '[axes]\nusers = lin 1 100 0\n' > zero.ini
    expect 2 "zero.ini:2:" sweep zero.ini --quiet
    printf '[axes]\nusers = lin 1 100 1e12\n' > trillion.ini
    expect 2 "trillion.ini:2:" sweep trillion.ini --quiet
    printf '[axes]\nparams = log 1e3 1e15 70000\ntokens = log 1e9 1e13 70000\nusers = lin 1 1e6 70000\nutil = lin 0.1 0.9 70000\n' > overflow.ini
    expect 2 "2^64" sweep overflow.ini --quiet
    printf '[axes]\nparams = 7B\n[inputs]\ngpu = H100\n' > gpu.ini
    expect 2 "missing field 'hbm_bw'" sweep gpu.ini --quiet --catalog cat_missing.ini
    expect 2 "cannot open" sweep no_such_spec.ini --quiet
    for f in nan inf latin1 empty blank long dupsec dupkey zero trillion overflow gpu; do
        if ls "$f.h5" "$f.h5.partial" > /dev/null 2>&1; then
            echo "FAIL: a refused spec left $f.h5 or its .partial"; fail=1
        fi
    done
else
    skipped="$skipped sweep"
fi

# ---- sensitivity: NaN/Inf and out-of-range numbers, in options and distributions ----
if implemented sensitivity; then
    printf '[distribution.params]\ntype = uniform\nlow = nan\nhigh = 2T\n' > snan.ini
    expect 2 "snan.ini:3:" sensitivity snan.ini
    printf '[distribution.params]\ntype = normal\nmean = 1T\nsd = inf\n' > sinf.ini
    expect 2 "sinf.ini:4:" sensitivity sinf.ini
    printf '[distribution.params]\ntype = uniform\nlow = 3T\nhigh = 2T\n' > srev.ini
    expect 2 "low < high" sensitivity srev.ini
    expect 2 "is not a number" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --samples nan
    expect 2 "is not a number" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --seed inf
    # 0 and -1 were taken as "not given" before: now range errors
    expect 2 "expected a whole number" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --samples 0
    expect 2 "expected a whole number" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --seed -1
    expect 2 "expected a whole number" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --samples 1e30
else
    skipped="$skipped sensitivity"
fi

# ---- files that are not what slice / info / merge expect -----------------------
echo "just text" > text.h5
: > empty.h5
mkdir adir.h5
if "$PY" - <<'EOF'
import shutil, sys
import h5py
import numpy as np
sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else ".")
with h5py.File("foreign.h5", "w") as f:              # HDF5, not written by llmcost
    f["data"] = np.arange(100.0).reshape(10, 10)
    f["pretrain_cost"] = np.zeros((3, 3))
EOF
then :; else echo "FAIL: h5py could not write the hostile files"; exit 1; fi
"$PY" "$top/tests/slice_fixture.py" fx.h5 || { echo "FAIL: fixture"; exit 1; }
"$PY" - <<'EOF' || { echo "FAIL: h5py could not rewrite the fixture"; exit 1; }
import os, shutil
import h5py
import numpy as np

def redo(name, data, dims, **kw):
    # fx.h5 with pretrain_cost (params x tokens = 7 x 5) replaced, attributes kept
    shutil.copy("fx.h5", name)
    with h5py.File(name, "a") as f:
        attrs = {k: v for k, v in f["pretrain_cost"].attrs.items() if k != "DIMENSION_LIST"}
        del f["pretrain_cost"]
        ds = f.create_dataset("pretrain_cost", data=data, **kw)
        for k, v in attrs.items():
            ds.attrs[k] = v
        for i, d in enumerate(dims):
            ds.dims[i].attach_scale(f[d])

redo("shape.h5", np.zeros((3, 3)), ("params", "tokens"))           # wrong shape
redo("shape1d.h5", np.zeros((9,)), ("params",))                    # wrong length
redo("strings.h5", np.array([["a"] * 5] * 7, dtype=object), ("params", "tokens"),
     dtype=h5py.string_dtype())                                     # not numbers
redo("noscale.h5", np.zeros((7, 5)), ())                            # no axes attached
size = os.path.getsize("fx.h5")
with open("fx.h5", "rb") as src:
    data = src.read()
for name, keep in (("trunc_head.h5", 3000), ("trunc_tail.h5", size - 200)):
    with open(name, "wb") as out:
        out.write(data[:keep])
EOF

hostile_files() {  # CMD [ARG]: every bad file (after ARG), exit 2 and the message
    expect 2 "not an HDF5 file" "$@" text.h5 $S
    expect 2 "not an HDF5 file" "$@" empty.h5 $S
    expect 2 "no_such_file.h5" "$@" no_such_file.h5 $S
    expect 2 "adir.h5" "$@" adir.h5 $S
}

if implemented slice; then
    S="pretrain_cost --x params --at tokens=1e12"
    hostile_files slice
    expect 2 "not an llmcost sweep file" slice foreign.h5 $S
    expect 2 "truncated" slice trunc_head.h5 $S
    expect 2 "truncated" slice trunc_tail.h5 $S
    expect 2 "pretrain_cost" slice shape.h5 $S
    expect 2 "has 9" slice shape1d.h5 $S
    expect 2 "no axis" slice noscale.h5 $S
    expect 2 "pretrain_cost" slice strings.h5 $S
    expect 2 "is not a number" slice fx.h5 pretrain_cost --x params --at tokens=nan
    expect 2 "is not a number" slice fx.h5 pretrain_cost --x params --at tokens=inf
else
    skipped="$skipped slice"
fi
S=""
if implemented info; then
    hostile_files info
    expect 2 "not an llmcost sweep file" info foreign.h5
    expect 2 "truncated" info trunc_head.h5
    expect 2 "truncated" info trunc_tail.h5
    "$LLMCOST" info fx.h5 > out 2> err || { echo "FAIL: info refuses the good fixture fx.h5"; sed 's/^/    /' err; fail=1; }
    # a faked format attribute, or outputs whose shape does not match their axes
    "$PY" - <<'EOF2' || { echo "FAIL: h5py could not write the faked files"; fail=1; }
import shutil
import h5py
with h5py.File("fakefmt.h5", "w") as f:                 # format only
    f.attrs["format"] = "llmcost-sweep/1"
with h5py.File("fakeaxes.h5", "w") as f:                # axes name no datasets
    f.attrs["format"] = "llmcost-sweep/1"
    f.attrs["axes"] = "params,tokens"
shutil.copy("fx.h5", "noaxisds.h5")                     # an axis dataset removed
with h5py.File("noaxisds.h5", "a") as f:
    f.attrs["axes"] = f.attrs["axes"] + ",nosuchaxis"
EOF2
    expect 2 "not a valid llmcost sweep file (its format attribute says so, but no 'axes' attribute)" info fakefmt.h5
    expect 2 "axis 'params' (named by the 'axes' attribute) has no dataset" info fakeaxes.h5
    expect 2 "axis 'nosuchaxis' (named by the 'axes' attribute) has no dataset" info noaxisds.h5
    expect 2 "output 'pretrain_cost': dimension 1 has 3 points but its axis 'params' has 7" info shape.h5
    expect 2 "output 'pretrain_cost': dimension 1 has 9 points but its axis 'params' has 7" info shape1d.h5
    expect 2 "output 'pretrain_cost': dimension 1 has no axis attached" info noscale.h5
else
    skipped="$skipped info"
fi
if implemented merge; then
    hostile_files merge out.h5
    expect 2 "not a shard" merge out.h5 foreign.h5
    expect 2 "not a shard" merge out.h5 fx.h5
    expect 2 "trunc_head.h5: truncated or damaged HDF5 file (cannot be opened)" merge out.h5 trunc_head.h5
    expect 2 "trunc_tail.h5" merge out.h5 trunc_tail.h5
    if "$LLMCOST" sweep --help 2>&1 | grep -q -- "--shard"; then
        # real shards, then broken copies of shard 1
        printf '[sweep]\nchunk_kib = 4\n[axes]\nparams = log 1e9 1e12 32\nusers = log 1e5 1e8 64\ntokens_per_user = log 1e5 1e7 16\n[outputs]\nstore = sub_profit\n' > g.ini
        "$LLMCOST" sweep g.ini --quiet --shard 0/2 -o sh.h5 2> err &&
            "$LLMCOST" sweep g.ini --quiet --shard 1/2 -o sh.h5 2>> err || { echo "FAIL: shards"; cat err; fail=1; }
        head -c 20000 sh.shard1-of-2.h5 > cut.shard1-of-2.h5
        "$PY" - <<'EOF2' || { echo "FAIL: h5py could not rewrite the shards"; fail=1; }
import shutil
import h5py
import numpy as np
shutil.copy("sh.shard1-of-2.h5", "shape.shard1-of-2.h5")
with h5py.File("shape.shard1-of-2.h5", "a") as f:       # same name, another shape
    a = {k: v for k, v in f["sub_profit"].attrs.items() if k != "DIMENSION_LIST"}
    del f["sub_profit"]
    d = f.create_dataset("sub_profit", data=np.zeros((32, 64, 8)), chunks=(4, 8, 8))
    for k, v in a.items():
        d.attrs[k] = v
shutil.copy("sh.shard1-of-2.h5", "gone.shard1-of-2.h5")
with h5py.File("gone.shard1-of-2.h5", "a") as f:        # the output removed
    del f["sub_profit"]
EOF2
        expect 2 "cut.shard1-of-2.h5: truncated or damaged HDF5 file" merge out.h5 sh.shard0-of-2.h5 cut.shard1-of-2.h5
        expect 2 "another shape or chunking" merge out.h5 sh.shard0-of-2.h5 shape.shard1-of-2.h5
        expect 2 "missing" merge out.h5 sh.shard0-of-2.h5 gone.shard1-of-2.h5
        expect 2 "given twice" merge out.h5 sh.shard0-of-2.h5 sh.shard0-of-2.h5
        expect 2 "missing" merge out.h5 sh.shard0-of-2.h5
    fi
    if ls out.h5 out.h5.partial > /dev/null 2>&1; then
        echo "FAIL: a refused merge left out.h5 or its .partial"; fail=1
    fi
else
    skipped="$skipped merge"
fi

# ---- no finite answer: NaN with an attribute, counted, and the same points as eval ----
if implemented sweep && implemented eval; then
    printf '[axes]\nparams = 7B, 1.8T\nsubscription = 0.01, 20\nusers = 1k, 1M, 1B\n[outputs]\nstore = breakeven_users\nreduce = breakeven_users\n' > nobe.ini
    n=$((n + 1))
    if "$LLMCOST" sweep nobe.ini -o nobe.h5 --quiet 2> err &&
       "$PY" - "$LLMCOST" > out 2>> err <<'EOF2'
import json, math, subprocess, sys
import h5py
import numpy as np
f = h5py.File("nobe.h5", "r")
d = f["breakeven_users"]
assert "NaN" in d.attrs["missing_value_meaning"], dict(d.attrs)
vals = d[()]
axes = [x.decode() if isinstance(x, bytes) else x for x in
        [dl[0].name.lstrip("/") for dl in d.dims]]
assert axes == ["params", "subscription"], axes   # compact: users does not matter
nan = 0
for i, p in enumerate(f["params"][()]):
    for j, s in enumerate(f["subscription"][()]):
        out = subprocess.run([sys.argv[1], "eval", "--json", "--params", repr(p),
                              "--subscription", repr(s)], capture_output=True, check=False)
        ev = json.loads(out.stdout)["outputs"]["breakeven_users"]["value"]
        if ev is None:
            assert math.isnan(vals[i, j]), (p, s, vals[i, j])
            nan += 1
        else:
            assert vals[i, j] == ev, (p, s, vals[i, j], ev)
summ = f["summary/breakeven_users"].attrs
assert 0 < nan < vals.size
assert summ["count_nan"] == nan * len(f["users"]), (summ["count_nan"], nan)
assert summ["count_finite"] + summ["count_nan"] == f.attrs["grid_points"]
print(f"{nan} of {vals.size} stored points NaN, as eval says; summary count_nan {summ['count_nan']}")
EOF2
    then echo "ok no break-even: $(cat out)"
    else echo "FAIL no break-even: NaN, attribute and count"; sed 's/^/    /' err out | head -n 12; fail=1
    fi
fi

# ---- an axis too long to hold in memory: refused at its line, nothing allocated -----
if implemented sweep; then
    printf '[sweep]\noutput = huge.h5\n[axes]\ntokens = log 1e11 2e13 1e9\n' > huge.ini
    expect 2 "huge.ini:4: tokens: COUNT 1e9 must be a whole number from 1 to 100000000 (1e8 points per axis" sweep huge.ini --quiet
fi

# ---- a device where a file is read: refused before reading ----------------------
if implemented eval; then
    expect 2 "/dev/zero: is a device or socket, not a regular file" eval --catalog /dev/zero
fi
if implemented sweep; then
    expect 2 "/dev/zero: is a device or socket, not a regular file" sweep /dev/zero
fi

# ---- eval: the reason given for an undefined ratio names the real cause -----------
if implemented eval; then
    what="eval overflowing profit: token_margin's reason"
    "$LLMCOST" eval --params 1e300 --tokens 1e300 < /dev/null > err 2>&1; rc=$?
    check 1 "token_margin         undefined: token profit is not finite (-inf)"
    grep -q "token revenue is 0" err && { echo "FAIL: 'token revenue is 0' for an infinite profit"; fail=1; }
    what="eval zero token revenue: token_margin's reason"
    "$LLMCOST" eval --monthly-tokens 0 < /dev/null > err 2>&1; rc=$?
    check 0 "token_margin         undefined: token revenue is 0"
fi

# ---- a symbolic link planted at the sweep's FILE.partial -------------------------
if implemented sweep; then
    printf '[axes]\nparams = 7B, 70B\nusers = 1k, 1M\n[outputs]\nstore = sub_profit\n' > ln.ini
    ln -s "$dir/victim" lnk.h5.partial                   # dangling: creating would follow it
    expect 2 "is a symbolic link" sweep ln.ini -o lnk.h5 --quiet
    [ -e victim ] && { echo "FAIL: the sweep created the symlink's target"; fail=1; }
    n=$((n + 1))
    "$LLMCOST" sweep ln.ini -o lnk.h5 --quiet --force 2> err  # --force removes the link itself
    rc=$?
    if [ "$rc" -ne 0 ] || [ -e victim ] || [ -L lnk.h5.partial ] || [ ! -f lnk.h5 ]; then
        echo "FAIL: sweep --force wrote through the symlink or left no file"; fail=1
    fi
    echo keep > victim2                                  # the resume journal: not truncated
    ln -s "$dir/victim2" lnk2.h5.partial.journal
    n=$((n + 1))                                         # (the stale link is removed, not followed)
    "$LLMCOST" sweep ln.ini -o lnk2.h5 --quiet 2> err; rc=$?
    if [ "$rc" -ne 0 ] || [ "$(cat victim2)" != keep ] || [ ! -f lnk2.h5 ]; then
        echo "FAIL: a symlink at FILE.partial.journal: exit $rc, target: $(cat victim2)"; fail=1
    else
        echo "ok symlink at FILE.partial.journal: removed, its target untouched"
    fi
fi

# ---- inputs that once crashed the CLI fuzzer --------------------------------------
for f in "$top"/tests/regress/cli-*; do
    [ -f "$f" ] || continue
    # one argument per line, as tests/fuzz/fuzz_cli.c reads them
    set --
    while IFS= read -r arg || [ -n "$arg" ]; do set -- "$@" "$arg"; done < "$f"
    what="regress $(basename "$f")"
    "$LLMCOST" "$@" < /dev/null > out 2> err
    rc=$?
    n=$((n + 1))
    if [ "$rc" -ge 128 ] || [ "$rc" -gt 2 ] || grep -qE "AddressSanitizer|runtime error" err; then
        echo "FAIL (exit $rc): $what"; head -n 20 err; fail=1
    else
        echo "ok $what (exit $rc)"
    fi
done

[ -n "$skipped" ] && echo "SKIP (not implemented yet):$skipped"
echo "$n cases, $([ $fail -eq 0 ] && echo all passed || echo some FAILED)"
exit $fail
