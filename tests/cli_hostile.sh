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
    if [ -n "$2" ] && ! grep -qF -- "$2" err; then
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
gpu_ok='flops = 1e15\nhbm_bw = 3T\npower_w = 700\nprice_hour = 2\nprice_source = q\nprice_date = 2025-01\n'
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
    expect 2 "expected a whole number" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --seed inf
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
    expect 2 "not an llmcost sweep file" merge out.h5 foreign.h5   # as info and slice say
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
with h5py.File("shape.shard1-of-2.h5", "a") as f:       # same name, other chunks
    a = {k: v for k, v in f["sub_profit"].attrs.items() if k != "DIMENSION_LIST"}
    del f["sub_profit"]
    d = f.create_dataset("sub_profit", data=np.zeros((32, 64, 16)), chunks=(4, 8, 8))
    for k, v in a.items():
        d.attrs[k] = v
    for i, ax in enumerate(("params", "users", "tokens_per_user")):
        d.dims[i].attach_scale(f[ax])
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

# ---- issue 10: second round -------------------------------------------------------
# Each refusal below must come before anything is touched: the files named
# are checked to be unchanged (or absent) afterwards.

# expect_t WANT_RC PHRASE ARG...: as expect, but killed after 20 s (a FIFO
# that blocks would otherwise hang the test instead of failing it)
expect_t() {
    want=$1; phrase=$2; shift 2
    what="llmcost $(echo "$*" | cut -c 1-90)"
    timeout 20 "$LLMCOST" "$@" < /dev/null > out 2> err
    rc=$?
    [ "$rc" -eq 124 ] && echo "(timed out: blocked)" >> err
    check "$want" "$phrase"
}
# small_rss ARG...: run llmcost ARG..., and when /usr/bin/time is there,
# add to err a line if its peak RSS reached 300 MB (a 1 GB allocation for
# a forged length would; ulimit -v cannot be used: ASan reserves more)
small_rss() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%M" -o rss "$LLMCOST" "$@" < /dev/null > out 2> err; rc=$?
        kb=$(tail -n 1 rss)
        [ "${kb:-0}" -lt 300000 ] 2> /dev/null || { echo "peak RSS ${kb} kB" > err; rc=99; }
    else
        "$LLMCOST" "$@" < /dev/null > out 2> err; rc=$?
    fi
}
# untouched FILE SUM: FILE still has the checksum SUM
untouched() {
    n=$((n + 1))
    if [ "$(cksum < "$1")" != "$2" ]; then
        echo "FAIL: $1 was changed by a refused command"; fail=1
    else
        echo "ok $1 untouched"
    fi
}
# absent FILE...: none of FILE exists
absent() {
    n=$((n + 1))
    for f in "$@"; do
        if [ -e "$f" ] || [ -L "$f" ]; then
            echo "FAIL: a refused command left $f"; fail=1; return
        fi
    done
    echo "ok nothing left behind ($*)"
}

if implemented sweep; then
    printf '[axes]\nparams = 7B, 70B\nusers = 1k, 1M\n[outputs]\nstore = sub_profit\nreduce = sub_profit\n' > small.ini

    # 1. paths: never built cut short; a directory as -o refused up front
    deep=$dir/$(printf 'd%.0s' $(seq 1 200))/$(printf 'e%.0s' $(seq 1 200))/$(printf 'f%.0s' $(seq 1 200))/$(printf 'g%.0s' $(seq 1 200))/$(printf 'h%.0s' $(seq 1 200))
    mkdir -p "$deep"
    echo victim > "$deep/v"
    vsum=$(cksum < "$deep/v")
    expect 2 "characters long: at most 960" sweep small.ini -o "$deep/out.h5" --force --quiet
    expect 2 "characters long: at most 960" sweep small.ini -o "$deep/out.h5" --shard 0/2 --quiet
    expect 2 "characters long" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --samples 64 -o "$deep/s.h5" --force
    absent "$deep/out.h5" "$deep/out.h5.partial" "$deep/out.h5.partial.journal" "$deep/out.shard0-of-2.h5" "$deep/s.h5"
    untouched "$deep/v" "$vsum"
    mkdir outdir.h5
    expect 2 "outdir.h5: is a directory: the output must be a regular file name" sweep small.ini -o outdir.h5 --force --quiet
    expect 2 "outdir.h5: is a directory" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --samples 64 -o outdir.h5 --force
    expect 2 "outdir.h5: is a directory, not a file name for -o" slice fx.h5 pretrain_cost --x params --at tokens=1e12 -o outdir.h5
    absent outdir.h5.partial outdir.h5.partial.journal outdir.h5/*
    mkdir outdir2.h5.partial
    expect 2 "outdir2.h5.partial: is a directory" sweep small.ini -o outdir2.h5 --force --quiet
    absent outdir2.h5 outdir2.h5.partial.journal

    # 2. the spec: a range over continuation lines, nothing left unconsumed
    A="1.$(printf '%0180d' 0)"; B="100.$(printf '%0061d' 0)"
    printf '[axes]\nusers = lin %s\n  %s 50\n[outputs]\nreduce = sub_profit\n' "$A" "$B" > cont50.ini
    expect 0 "" sweep cont50.ini -o cont50.h5
    n=$((n + 1)); grep -q "grid        50 points (users 50)" out && echo "ok 256-byte range keeps COUNT 50" ||
        { echo "FAIL: a 256-byte lin range lost points: $(grep grid out)"; fail=1; }
    printf '[axes]\nusers = lin %s\n  %s 5 7\n' "$A" "$B" > cont7.ini
    expect 2 "cont7.ini:2: axis 'users': expected 'lin START STOP COUNT': '7' after COUNT is not consumed" sweep cont7.ini -o cont7.h5 --quiet
    printf '[axes]\nusers = log 1e5 1e8\n   64 9\n' > cont9.ini
    expect 2 "cont9.ini:2: axis 'users': expected 'log START STOP COUNT': '9' after COUNT" sweep cont9.ini -o cont9.h5 --quiet
    printf '[axes]\nusers =\n   lin 1 100 5\n[outputs]\nreduce = sub_profit\n' > contempty.ini
    expect 0 "" sweep contempty.ini -o contempty.h5
    n=$((n + 1)); grep -q "grid        5 points (users 5)" out && echo "ok range after an empty key line: 5 points" ||
        { echo "FAIL: 'users =' + '  lin 1 100 5': $(grep grid out)"; fail=1; }
    printf '[sweep]\noutput = a.h5\n   b.h5\n[axes]\nusers = 1, 2\n' > contout.ini
    expect 2 "contout.ini:2: output: a file name on one line" sweep contout.ini --quiet
    printf '[sweep]\ncompression = deflate: 5\n[axes]\nusers = 1, 2\n' > defl.ini
    expect 2 "defl.ini:2: compression 'deflate: 5'" sweep defl.ini -o defl.h5 --quiet
    expect 2 "--compression: 'deflate:+5'" sweep small.ini -o defl.h5 --compression deflate:+5 --quiet
    absent cont7.h5 cont9.h5 a.h5 "a.h5 b.h5" defl.h5

    # 3. the environment is input: refused or capped, never a crash
    what="OMP_NUM_THREADS=100000 sweep"
    OMP_NUM_THREADS=100000 "$LLMCOST" sweep small.ini -o omp.h5 < /dev/null > out 2> err; rc=$?
    check 0 "OMP_NUM_THREADS=100000 is more than the"
    what="OMP_NUM_THREADS=100000 sensitivity"
    OMP_NUM_THREADS=100000 "$LLMCOST" sensitivity "$top/sweeps/sensitivity_gpt4.ini" --samples 64 < /dev/null > out 2> err; rc=$?
    check 0 "using"
    for v in abc 0 -3 "4,x" "" ; do
        [ -z "$v" ] && continue
        what="OMP_NUM_THREADS='$v' sweep"
        OMP_NUM_THREADS=$v "$LLMCOST" sweep small.ini -o ompbad.h5 --quiet < /dev/null > out 2> err; rc=$?
        check 2 "OMP_NUM_THREADS='$v' is not a whole number of threads"
    done
    what="OMP_THREAD_LIMIT=lots"
    OMP_THREAD_LIMIT=lots "$LLMCOST" sweep small.ini -o ompbad.h5 --quiet < /dev/null > out 2> err; rc=$?
    check 2 "OMP_THREAD_LIMIT='lots'"
    what="LLMCOST_ISA=bogus"
    LLMCOST_ISA=bogus "$LLMCOST" sweep small.ini -o ompbad.h5 --quiet < /dev/null > out 2> err; rc=$?
    check 2 "environment LLMCOST_ISA='bogus': unknown ISA"
    for v in inf -1 0 1e9 abc; do
        what="LLMCOST_FLUSH_SECONDS=$v"
        LLMCOST_FLUSH_SECONDS=$v "$LLMCOST" sweep small.ini -o ompbad.h5 --quiet < /dev/null > out 2> err; rc=$?
        check 2 "LLMCOST_FLUSH_SECONDS='$v' is not a number of seconds"
    done
    what="SLURM_ARRAY_TASK_ID=abc with --shard 2"
    SLURM_ARRAY_TASK_ID=abc "$LLMCOST" sweep small.ini -o ompbad.h5 --shard 2 --quiet < /dev/null > out 2> err; rc=$?
    check 2 "SLURM_ARRAY_TASK_ID='abc' is not an integer"
    what="SLURM_ARRAY_TASK_ID=5 with --shard 2"
    SLURM_ARRAY_TASK_ID=5 "$LLMCOST" sweep small.ini -o ompbad.h5 --shard 2 --quiet < /dev/null > out 2> err; rc=$?
    check 2 "shard 5 does not exist"
    expect 0 "asks for 4096 threads but this machine has" sweep small.ini -o thr.h5 --threads 4096
    absent ompbad.h5 ompbad.shard0-of-2.h5

    # 4. FIFOs and devices where a seekable file is needed: refused, no hang
    mkfifo fifo.h5
    expect_t 2 "fifo.h5: is a FIFO (named pipe), not a regular file" info fifo.h5
    expect_t 2 "fifo.h5: is a FIFO (named pipe), not a regular file" slice fifo.h5 pretrain_cost --x params
    expect_t 2 "fifo.h5: is a FIFO (named pipe), not a regular file" merge mout.h5 fifo.h5
    expect_t 2 "/dev/null: is a device, not a regular file" info /dev/null
    expect_t 2 "is a FIFO" merge fifo.h5 sh.shard0-of-2.h5 sh.shard1-of-2.h5
    mkfifo fj.h5.partial.journal
    expect_t 2 "fj.h5.partial.journal: is a FIFO (named pipe), not a regular file: a resume journal" sweep small.ini -o fj.h5 --quiet
    expect_t 2 "fj.h5.partial.journal: is a FIFO" sweep small.ini -o fj.h5 --quiet --force
    expect_t 2 "fj.h5.partial.journal: is a FIFO" sweep small.ini -o fj.h5 --quiet --resume
    mkfifo fp.h5.partial
    expect_t 2 "fp.h5.partial: is a FIFO (named pipe), not a regular file" sweep small.ini -o fp.h5 --quiet --force
    n=$((n + 1))
    if [ -p fj.h5.partial.journal ] && [ -p fp.h5.partial ] && [ ! -e fj.h5 ] && [ ! -e fp.h5 ]; then
        echo "ok the FIFOs are left as they were, no output written"
    else
        echo "FAIL: a FIFO at .partial or .journal was replaced or an output written"; fail=1
    fi
    what="spec text from a pipe (allowed)"
    cat small.ini | "$LLMCOST" sweep /dev/stdin -o pipe.h5 --quiet > out 2> err; rc=$?
    check 0 ""
    n=$((n + 1)); [ -f pipe.h5 ] && echo "ok a spec from a pipe is read (pipe.h5 written)" ||
        { echo "FAIL: a spec from a pipe was refused"; fail=1; }
fi

# 5./6. files that declare more than they hold, other versions, wrong types
if implemented info && "$PY" - <<'EOF2'
import shutil
import h5py
import numpy as np
with h5py.File("bigaxis.h5", "w") as f:        # a consistent 2^27-point sweep in 20 kB:
    f.attrs["format"] = "llmcost-sweep/1"       # nothing of it was ever written
    f.attrs["axes"] = "params"
    d = f.create_dataset("params", shape=(2**27,), dtype="f8", chunks=(2**20,))
    d.attrs["units"] = "1"
    d.make_scale("params")
    o = f.create_dataset("pretrain_cost", shape=(2**27,), dtype="f8", chunks=(2**20,))
    o.attrs["formula"] = "forged"
    o.attrs["units"] = "USD"
    o.dims[0].attach_scale(d)
shutil.copy("fx.h5", "v2.h5")                 # a later format version
with h5py.File("v2.h5", "a") as f:
    f.attrs["format"] = "llmcost-sweep/2"
shutil.copy("fx.h5", "int.h5")                # an integer output
with h5py.File("int.h5", "a") as f:
    ds = f["pretrain_cost"]
    keep = {k: v for k, v in ds.attrs.items() if k != "DIMENSION_LIST"}
    dims = [ds.dims[i][0].name.lstrip("/") for i in range(ds.ndim)]
    data = ds[()].astype("i8")
    del f["pretrain_cost"]
    d = f.create_dataset("pretrain_cost", data=data)
    for k, v in keep.items():
        d.attrs[k] = v
    for i, name in enumerate(dims):
        d.dims[i].attach_scale(f[name])
shutil.copy("fx.h5", "unread.h5")             # attributes of the wrong type
with h5py.File("unread.h5", "a") as f:
    f.attrs["grid_points"] = "lots"
    f.attrs["input.discount"] = np.array([1.0, 2.0])
EOF2
then
    expect 2 "dataset 'params' declares 134217728 points (1.07e+03 MB) but the file holds 0 bytes" info bigaxis.h5
    # and without allocating for it (peak RSS, under 300 MB)
    what="info bigaxis.h5, peak RSS"
    small_rss info bigaxis.h5
    check 2 "declares 134217728 points"
    what="slice bigaxis.h5, peak RSS"
    small_rss slice bigaxis.h5 pretrain_cost --x params
    check 2 "declares 134217728 points"
    expect 2 "format \"llmcost-sweep/2\" is not one this llmcost reads" info v2.h5
    expect 2 "format \"llmcost-sweep/2\" is not one this llmcost reads" slice v2.h5 pretrain_cost --x params --at tokens=1e12
    expect 0 "" info int.h5
    n=$((n + 1)); grep -q "dtype  int64 (not written by llmcost" out && echo "ok an integer output is described as int64" ||
        { echo "FAIL: integer output: $(grep dtype out | head -3)"; fail=1; }
    expect 0 "" info unread.h5
    n=$((n + 1)); grep -q "grid: (unreadable) points" out && grep -q "discount=(unreadable)" out &&
        echo "ok unreadable attributes print as (unreadable), not 0" ||
        { echo "FAIL: unreadable attributes: $(grep -E 'grid|discount' out)"; fail=1; }
else
    echo "FAIL: h5py could not write the issue-10 files"; fail=1
fi
if implemented merge && [ -f sh.shard0-of-2.h5 ] && "$PY" - <<'EOF2'
import shutil
import h5py
shutil.copy("sh.shard0-of-2.h5", "nosum.shard0-of-2.h5")    # shard 0 without /summary
with h5py.File("nosum.shard0-of-2.h5", "a") as f:
    del f["summary"]
shutil.copy("sh.shard1-of-2.h5", "huge.shard1-of-2.h5")     # N sized for 1 GB
with h5py.File("huge.shard1-of-2.h5", "a") as f:
    f.attrs["shard"] = "0/268435456"
shutil.copy("sh.shard1-of-2.h5", "junk.shard1-of-2.h5")     # K/N with junk after it
with h5py.File("junk.shard1-of-2.h5", "a") as f:
    f.attrs["shard"] = "1/2junk"
shutil.copy("sh.shard0-of-2.h5", "big.shard0-of-2.h5")      # a forged 2^27-point axis
with h5py.File("big.shard0-of-2.h5", "a") as f:
    keep = {k: v for k, v in f["params"].attrs.items()
            if k not in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME")}
    del f["params"]
    d = f.create_dataset("params", shape=(2**27,), dtype="f8", chunks=(2**20,))
    d.make_scale("params")
    f["sub_profit"].dims[0].attach_scale(d)
shutil.copy("sh.shard1-of-2.h5", "v2.shard1-of-2.h5")
with h5py.File("v2.shard1-of-2.h5", "a") as f:
    f.attrs["format"] = "llmcost-sweep/2"
EOF2
then
    expect 2 "shard 0 has no /summary group" merge mout.h5 nosum.shard0-of-2.h5 sh.shard1-of-2.h5
    what="merge of a shard tagged 0/268435456, peak RSS"
    small_rss merge mout.h5 sh.shard0-of-2.h5 huge.shard1-of-2.h5
    check 2 "its 'shard' attribute '0/268435456' is not K/N with 0 <= K < N <= 1000000"
    expect 2 "its 'shard' attribute '1/2junk' is not K/N" merge mout.h5 sh.shard0-of-2.h5 junk.shard1-of-2.h5
    expect 2 "format \"llmcost-sweep/2\" is not one this llmcost reads" merge mout.h5 sh.shard0-of-2.h5 v2.shard1-of-2.h5
    expect 2 "big.shard0-of-2.h5: not a valid llmcost sweep file: dataset 'params' declares 134217728 points" merge mout.h5 big.shard0-of-2.h5 sh.shard1-of-2.h5
    mkdir mdir.h5
    expect 2 "mdir.h5: is a directory" merge mdir.h5 sh.shard0-of-2.h5 sh.shard1-of-2.h5 --force
    expect 2 "characters long" merge "$deep/m.h5" sh.shard0-of-2.h5 sh.shard1-of-2.h5
    absent mout.h5 mout.h5.partial mdir.h5.partial "$deep/m.h5"
fi

# 7. +-inf: counted apart, min/max may be inf (above the overflow); none
#    just below it
if implemented sweep; then
    printf '[axes]\nparams = 1e9, 1e12, 1e300\ntokens = 1e12, 1e300\n[outputs]\nstore = pretrain_cost\nreduce = pretrain_cost, sub_profit\n' > over.ini
    printf '[axes]\nparams = 1e9, 1e12, 1e150\ntokens = 1e12, 1e150\n[outputs]\nstore = pretrain_cost\nreduce = pretrain_cost, sub_profit\n' > under.ini
    n=$((n + 1))
    if "$LLMCOST" sweep over.ini -o over.h5 > out 2> err && grep -q "+-inf (overflow) 4" out &&
       "$LLMCOST" sweep under.ini -o under.h5 > out2 2>> err && ! grep -q "inf" out2 &&
       "$PY" - >> err 2>&1 <<'EOF2'
import math
import h5py
import numpy as np
with h5py.File("over.h5") as f:
    v = f["pretrain_cost"][()]
    s = f["summary/pretrain_cost"].attrs
    fin = v[np.isfinite(v)]
    assert s["count_inf"] == np.isinf(v).sum() == 4, dict(s)
    assert s["count_finite"] == fin.size == 2 and s["count_nan"] == 0, dict(s)
    assert s["max"] == math.inf and s["min"] == fin.min(), dict(s)
    assert s["mean"] == fin.sum() / fin.size, (s["mean"], fin)
    p = f["summary/sub_profit"].attrs
    assert p["min"] == -math.inf and p["count_inf"] == 4 and p["count_finite"] == 2, dict(p)
with h5py.File("under.h5") as f:
    v = f["pretrain_cost"][()]
    s = f["summary/pretrain_cost"].attrs
    assert np.isfinite(v).all() and s["count_inf"] == 0 and s["count_finite"] == v.size, dict(s)
    assert s["max"] == v.max() and s["min"] == v.min(), dict(s)
EOF2
    then echo "ok +-inf: min/max inf, count_finite 2 of 6, count_inf 4 (above the overflow); none below it"
    else echo "FAIL: +-inf in /summary"; sed 's/^/    /' err out | head -n 12; fail=1
    fi
fi

# 9. smaller: seeds, weights, catalogue names, the resume command
if implemented sensitivity; then
    S="$top/sweeps/sensitivity_gpt4.ini"
    "$LLMCOST" sensitivity "$S" --method mc --samples 256 --seed 9007199254740992 --json 2> err | grep -v '"seed"' > s1.json
    "$LLMCOST" sensitivity "$S" --method mc --samples 256 --seed 9007199254740993 --json 2>> err | grep -v '"seed"' > s2.json
    n=$((n + 1))
    if [ -s s1.json ] && ! cmp -s s1.json s2.json; then
        echo "ok seeds 2^53 and 2^53+1 give different samples"
    else
        echo "FAIL: seeds 2^53 and 2^53+1 give the same samples"; fail=1
    fi
    expect 0 "" sensitivity "$S" --method mc --samples 64 --seed 18446744073709551615
    expect 2 "'18446744073709551616' is too large" sensitivity "$S" --seed 18446744073709551616
    expect 2 "'1e3' is not a whole number" sensitivity "$S" --seed 1e3
    printf '[distribution.params]\ntype = uniform\nlow = 1T\nhigh = 2T\n[sensitivity]\nseed = 2.5\n' > sseed.ini
    expect 2 "sseed.ini:6: [sensitivity]: seed: expected a whole number" sensitivity sseed.ini
    printf '[inputs]\ngpu = A100\n[distribution.params]\ntype = uniform\nlow = 1T\nhigh = 2T\n[distribution.util]\ntype = choice\nvalues = 0.3, 0.6\nweights = %s\n' "1e308, 1e308" > w308.ini
    sed 's/weights = .*/weights = 1, 1/' w308.ini > w1.ini
    "$LLMCOST" sensitivity w308.ini --method mc --samples 512 --json 2> err | sed 's/"spec": [^,]*,//; s/"seconds": [^,]*,//' > j308.json
    r1=$?
    "$LLMCOST" sensitivity w1.ini --method mc --samples 512 --json 2>> err | sed 's/"spec": [^,]*,//; s/"seconds": [^,]*,//' > j1.json
    n=$((n + 1))
    if [ "$r1" -eq 0 ] && [ -s j1.json ] && cmp -s j308.json j1.json; then
        echo "ok weights 1e308, 1e308 sample exactly as 1, 1"
    else
        echo "FAIL: weights 1e308, 1e308 (exit $r1) differ from 1, 1"; sed 's/^/    /' err | head -5; fail=1
    fi
fi
if implemented eval; then
    printf "[gpu  Blank X ]\n$gpu_ok[ api  Y\t]\nprice_in = 1\nprice_out = 1\nsource = s\ndate = 2024-01\n" > cat_blank.ini
    expect 0 "" eval --catalog cat_blank.ini --gpu "Blank X"
    expect 0 "" task --catalog cat_blank.ini --model Y --in-tokens 1000
fi
if implemented sweep; then
    # interrupted: the resume command it prints pastes back whole
    mkdir "sp ace"
    printf '[axes]\nparams = log 1e9 1e12 400\ntokens = log 1e9 1e13 400\nusers = log 1e3 1e9 1000\ntokens_per_user = log 1e3 1e7 1000\n[outputs]\nstore = pretrain_cost\nreduce = sub_profit\n' > "sp ace/it's long.ini"
    "$LLMCOST" sweep "sp ace/it's long.ini" -o "sp ace/out put.h5" --threads 1 < /dev/null > out 2> err &
    pid=$!
    sleep 1
    kill -INT $pid 2> /dev/null
    wait $pid
    rc=$?
    n=$((n + 1))
    cmd=$(sed -n 's/.*resume with: //p' err)
    if [ "$rc" -ne 130 ] || [ -z "$cmd" ]; then
        echo "SKIP resume command quoting: the sweep was not interrupted (exit $rc)"
    else
        eval "set -- $cmd"
        if [ "$#" -eq 8 ] && [ "$3" = "sp ace/it's long.ini" ] && [ "$5" = "sp ace/out put.h5" ] && [ "$8" = "--resume" ]; then
            echo "ok the printed resume command quotes paths with blanks and quotes: $cmd"
        else
            echo "FAIL: resume command does not paste back: $cmd"; fail=1
        fi
    fi
    rm -rf "sp ace"
fi

# ---- issue h18: formulas, eval --points, questions, [arch]/[gpu] add, env ----
# Each class found in the audit of the newest surfaces (doc/hardening.md,
# "Third round").  Refusals exit 2 and leave the files named untouched.
if implemented eval; then
    # numbers below the smallest double were a silent 0
    expect 2 "'1e-400' is too small: it rounds to 0" eval --params 1e-400
    expect 2 "is too small: it rounds to 0" eval --tokens 1e-330k
    expect 0 "" eval --params 4.9e-324
    expect 2 "'1e-999' is too small" eval --formula 'm = params * 1e-999'
    # a formula that reads nothing and is not finite
    expect 2 "formula 'm' = '1/0' is +inf at every point" eval --formula 'm = 1/0'
    expect 2 "is NaN at every point" eval --formula 'm = log(0 - 1)'
    expect 2 "is +inf at every point" eval --formula 'm = exp(1000)'
    expect 2 "is -inf at every point" eval --formula 'm = 0 - 1e308 * 10'
    expect 0 "" eval --formula 'm = 1e308 / 10'
    expect 0 "" eval --formula 'm = log(0 - params)'
    n=$((n + 1)); grep -q "^  m  *undefined: NaN at this point: log(0 - params)" out && ! grep -q -- "-nan" out &&
        echo "ok a NaN formula is said in words, not -nan" || { echo "FAIL: NaN formula: $(grep ' m ' out)"; fail=1; }
    expect 2 "formula 'm' is defined twice" eval --formula 'm = 1' --formula 'm = 2'
    n=$((n + 1)); grep -q "line 0" err && { echo "FAIL: --formula duplicate names line 0"; fail=1; } || echo "ok no 'line 0' for --formula"
    # already fine: literals, depth, arity, names (kept as regressions)
    expect 2 "'0x10' is not a number" eval --formula 'm = 0x10'
    expect 2 "'1e' is not a number" eval --formula 'm = 1e'
    expect 2 "unknown name 'nan'" eval --formula 'm = nan'
    expect 2 "nested too deeply" eval --formula "m = $(printf '(%.0s' $(seq 100))1$(printf ')%.0s' $(seq 100))"
    expect 2 "nested too deeply" eval --formula "m = $(printf -- '-%.0s' $(seq 2000))1"
    expect 2 "pow() takes 2 arguments, not 1" eval --formula 'm = pow(2)'
    expect 2 "formulas form a cycle: m -> n -> m" eval --formula 'm = n + 1' --formula 'n = m'
    expect 2 "'params' is already an input" eval --formula 'params = 1'
    expect 2 "unexpected character 0xc3" eval --formula 'm = é'

    # the same in a spec: refused at the formula's line, nothing written
    printf '[sweep]\nname = t\noutput = fnan.h5\n[axes]\nparams = 7B, 70B\n[formulas]\nok = params + 1\nm = log(0 - 1) [USD]\n[outputs]\nstore = m, ok\n' > fnan.ini
    expect 2 "fnan.ini:8: formula 'm' = 'log(0 - 1)' is NaN at every point" sweep fnan.ini --quiet
    absent fnan.h5 fnan.h5.partial
    sed 's/$/\r/' fnan.ini | sed 's/log(0 - 1)/1e-999 + params/' > fcrlf.ini
    expect 2 "fcrlf.ini:8: formula 'm': column 5: '1e-999' is too small" sweep fcrlf.ini --quiet

    # ---- eval --points ----
    printf 'params,tokens\n7B,1T\n' > pts.csv
    printf '\357\273\277params,tokens\r\n"7B","1T"\r\n' > bom.csv
    expect 0 "" eval --points bom.csv --outputs pretrain_cost
    n=$((n + 1)); grep -qx "7000000000,1000000000000,84729.166666666657" out && echo "ok BOM + CRLF + quoted values read" || { echo "FAIL: BOM/quoted CSV: $(cat out)"; fail=1; }
    printf 'params,tokens\n"7B,1T\n' > q.csv
    expect 2 "q.csv:2: column 1 (params): a quote inside the value" eval --points q.csv
    printf 'params,tokens\n7B,1T\n\000\n' > nul.csv
    expect 2 "nul.csv:3: NUL byte in the line" eval --points nul.csv
    printf 'par\000ams\n7B\n' > nul1.csv
    expect 2 "nul1.csv:1: NUL byte in the line" eval --points nul1.csv
    printf 'params,tokens\n7B,1e-400\n' > under.csv
    expect 2 "under.csv:2: column 2 (tokens): '1e-400' is too small" eval --points under.csv
    { echo params; head -c 2000000 /dev/zero | tr '\0' '7'; echo; } > long.csv
    expect 2 "long.csv:2: line longer than 1048576 bytes" eval --points long.csv
    small_rss eval --points /dev/zero
    check 2 "/dev/zero:1: line longer than 1048576 bytes"
    # the output is never the design, not even with --force (it was read
    # while it was truncated: rows lost, then the file removed)
    "$PY" -c "
print('params,tokens')
for i in range(100000): print('%dB,1T' % (i % 100 + 1))" > big.csv
    sum=$(cksum < big.csv)
    expect 2 "--output big.csv is the --points file itself" eval --points big.csv --output big.csv --force
    untouched big.csv "$sum"
    ln -s big.csv link.csv
    expect 2 "is the --points file itself" eval --points big.csv --format h5 --output link.csv --force
    untouched big.csv "$sum"
    "$LLMCOST" eval --points - --output big.csv --force < big.csv > out 2> err; rc=$?
    what="eval --points - < big.csv --output big.csv --force"; check 2 "is the --points file itself"
    untouched big.csv "$sum"
    # written to FILE.partial and renamed: existing FILE and FILE.partial need --force
    echo keep > have.csv; sum=$(cksum < have.csv)
    expect 2 "have.csv: exists (give --force" eval --points pts.csv --output have.csv
    untouched have.csv "$sum"
    echo keep > new.csv.partial; sum=$(cksum < new.csv.partial)
    expect 2 "new.csv.partial: exists" eval --points pts.csv --output new.csv
    untouched new.csv.partial "$sum"; absent new.csv
    expect 0 "" eval --points pts.csv --output new.csv --force
    absent new.csv.partial
    n=$((n + 1)); [ "$(wc -l < new.csv)" -eq 2 ] && echo "ok --force replaced the .partial, wrote new.csv" || { echo "FAIL: new.csv"; fail=1; }
    echo keep > sw.h5.partial; sum=$(cksum < sw.h5.partial)
    expect 2 "sw.h5.partial: exists" eval --points pts.csv --format h5 --output sw.h5
    untouched sw.h5.partial "$sum"; absent sw.h5
    ln -s victim.txt dang.h5.partial
    expect 2 "dang.h5.partial: exists" eval --points pts.csv --format h5 --output dang.h5
    absent victim.txt
    expect 0 "" eval --points pts.csv --output /dev/null
    # a killed run leaves no finished-looking file: only FILE.partial, while it runs
    # (1.5M rows take about 5 s on one thread; killed after 1 s)
    "$PY" -c "
print('params,tokens')
for i in range(1500000): print('%dB,1T' % (i % 100 + 1))" > huge.csv
    "$LLMCOST" eval --points huge.csv --outputs pretrain_cost --output killed.csv --threads 1 > /dev/null 2>&1 &
    pid=$!; sleep 1; kill -9 "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
    n=$((n + 1)); [ -e killed.csv.partial ] && echo "ok killed mid-run: only killed.csv.partial" || echo "note: the run ended before the kill"
    absent killed.csv
    rm -f killed.csv.partial huge.csv
    # HDF5 designs: a non-numeric column or a forged extent is input (exit 2)
    if "$PY" -c "import h5py" 2> /dev/null; then
        "$PY" - << 'EOF'
import h5py, numpy as np
with h5py.File("hstr.h5", "w") as f: f["params"] = np.array([b"7B", b"70B"])
with h5py.File("hbool.h5", "w") as f: f["params"] = np.array([True, False])
with h5py.File("hcplx.h5", "w") as f: f["params"] = np.array([1 + 2j])
with h5py.File("hforged.h5", "w") as f: f.create_dataset("params", shape=(10**9,), dtype="f8", chunks=(1024,))
EOF
        expect 2 "dataset 'params' holds strings, expected numbers" eval --points hstr.h5
        expect 2 "holds an enum (booleans?), not numbers" eval --points hbool.h5
        expect 2 "holds compound records, not numbers" eval --points hcplx.h5
        small_rss eval --points hforged.h5
        check 2 "declares 1000000000 points"
    fi

    # no command writes its output over the file it reads, not even with --force
    printf '[sweep]\nname = t\noutput = self.h5\n[axes]\nparams = 7B, 70B\n[outputs]\nstore = pretrain_cost\n' > self.ini
    sum=$(cksum < self.ini)
    expect 2 "self.ini: is the spec file itself" sweep self.ini -o self.ini --force --quiet
    untouched self.ini "$sum"
    ln -s self.ini self_link.ini
    expect 2 "is the spec file itself" sweep self.ini -o self_link.ini --force --quiet
    untouched self.ini "$sum"
    expect 0 "" sweep self.ini --quiet
    sum=$(cksum < self.h5)
    expect 2 "-o self.h5 is the sweep file itself" slice self.h5 pretrain_cost --x params -o self.h5
    untouched self.h5 "$sum"
    # slice -o goes through FILE.partial too; a stale one is not replaced
    echo keep > sl.txt.partial; sum=$(cksum < sl.txt.partial)
    expect 2 "sl.txt.partial: exists" slice self.h5 pretrain_cost --x params -o sl.txt
    untouched sl.txt.partial "$sum"; absent sl.txt
    rm -f sl.txt.partial
    echo old > sl.txt
    expect 0 "" slice self.h5 pretrain_cost --x params -o sl.txt
    absent sl.txt.partial
    n=$((n + 1)); grep -q "^# llmcost slice of pretrain_cost" sl.txt && echo "ok slice -o replaced sl.txt whole" || { echo "FAIL: sl.txt"; fail=1; }
    expect 0 "" slice self.h5 pretrain_cost --x params -o /dev/null
    expect 0 "" sweep self.ini --quiet -o selfsh.h5 --shard 0/2
    expect 0 "" sweep self.ini --quiet -o selfsh.h5 --shard 1/2
    sum=$(cksum < selfsh.shard0-of-2.h5)
    expect 2 "is shard selfsh.shard0-of-2.h5 itself" merge selfsh.shard0-of-2.h5 selfsh.shard0-of-2.h5 selfsh.shard1-of-2.h5 --force
    untouched selfsh.shard0-of-2.h5 "$sum"
    cp "$top/sweeps/sensitivity_gpt4.ini" sens.ini; sum=$(cksum < sens.ini)
    expect 2 "-o sens.ini is the spec file itself" sensitivity sens.ini -o sens.ini --force
    untouched sens.ini "$sum"
    # nor over a catalogue it reads (--catalog, --catalog-add)
    cp "$top/sweeps/catalog.ini" mycat.ini; sum=$(cksum < mycat.ini)
    expect 2 "mycat.ini is the --catalog file mycat.ini itself" sweep self.ini -o mycat.ini --catalog mycat.ini --force --quiet
    untouched mycat.ini "$sum"
    printf '[gpu Z9]\nflops = 1e15\nhbm_bw = 1e12\npower_w = 100\nprice_hour = 1\nprice_source = s\nprice_date = 2024\n' > add.ini; sum=$(cksum < add.ini)
    expect 2 "add.ini is the --catalog-add file add.ini itself" sensitivity sens.ini -o add.ini --catalog-add add.ini --force
    untouched add.ini "$sum"
    printf 'params\n7e9\n' > one.csv
    expect 2 "add.ini is the --catalog-add file add.ini itself" eval --points one.csv --output add.ini --catalog-add add.ini --force
    untouched add.ini "$sum"

    # ---- --catalog-add: [arch] and [gpu] ----
    A='[arch x]
params = 7B
layers = 32
d_model = 4096
heads = 32
kv_heads = 8
context = 4096
source = s
date = 2024-01-01'
    printf '%s\n%s\n' "$A" "$A" > dup_arch.ini
    expect 2 "dup_arch.ini:10: [arch x]: duplicate entry (first at line 1 of this file)" eval --catalog-add dup_arch.ini --arch x
    G='[gpu X]
flops = 1e15
hbm_bw = 3e12
power_w = 700
price_hour = 2
price_source = s
price_date = 2024-01-01'
    printf '%s\n%s\n' "$G" "$(echo "$G" | sed 's/gpu X/gpu  x /')" > dup_gpu.ini
    expect 2 "dup_gpu.ini:8: [gpu x]: duplicate entry (first at line 1" eval --catalog-add dup_gpu.ini --gpu X
    printf '[tpu X]\nflops = 1\n' > kind.ini
    expect 2 "kind.ini:1: unknown section '[tpu X]'" eval --catalog-add kind.ini
    printf '[gpu ]\nflops = 1\n' > noname.ini
    expect 2 "noname.ini:1: unknown section '[gpu]'" eval --catalog-add noname.ini
    echo "$A" | sed 's/d_model = 4096/d_model = 4000/; s/heads = 32/heads = 33/; s/kv_heads = 8/kv_heads = 3/' > hd.ini
    expect 2 "hd.ini:1: [arch x]: d_model 4000 is not a multiple of heads 33" eval --catalog-add hd.ini --arch x
    echo "$A" | sed 's/layers = 32/layers = 1e300/' > big_layers.ini
    expect 2 "big_layers.ini:3: layers: 1e+300 must be a whole number up to 1e15" eval --catalog-add big_layers.ini --arch x
    echo "$A" | sed 's/kv_heads = 8/kv_heads = 64/' > kv.ini
    expect 2 "kv_heads 64 must divide heads 32" eval --catalog-add kv.ini --arch x
    echo "$A" | sed 's/params = 7B/params = 7B\nparams_active = 8B/' > act.ini
    expect 2 "params_active 8e+09 is more than params 7e+09" eval --catalog-add act.ini --arch x

    # ---- the environment ----
    for v in "OMP_NUM_THREADS=" "OMP_THREAD_LIMIT="; do
        env "$v" "$LLMCOST" eval > out 2> err; rc=$?; what="env $v"; check 2 "is set but empty"
    done
    for v in "OMP_DYNAMIC=maybe" "OMP_PROC_BIND=bogus" "OMP_PROC_BIND=spread,bogus" "OMP_WAIT_POLICY=x" \
             "OMP_SCHEDULE=bogus" "OMP_SCHEDULE=dynamic,x" "OMP_STACKSIZE=1T" "OMP_MAX_ACTIVE_LEVELS=-1" \
             "LLMCOST_FLUSH_SECONDS=0x10" "LLMCOST_FLUSH_SECONDS=inf"; do
        env "$v" "$LLMCOST" eval > out 2> err; rc=$?; what="env $v"; check 2 "${v%%=*}='"
    done
    for v in "OMP_DYNAMIC=TRUE" "OMP_PROC_BIND=spread,close" "OMP_SCHEDULE=dynamic,4" "OMP_STACKSIZE=16M" \
             "OMP_WAIT_POLICY=passive" "OMP_MAX_ACTIVE_LEVELS=0" "LLMCOST_FLUSH_SECONDS=1k"; do
        env "$v" "$LLMCOST" eval > out 2> err; rc=$?; what="env $v"; check 0 ""
    done
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
