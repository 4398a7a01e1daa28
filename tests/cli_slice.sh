#!/bin/sh
# cli_slice.sh - `llmcost slice` error paths: every mistake a user can make
# exits 2 with a message naming what exists (outputs, axes, axis values),
# and --help exits 0.  Values themselves are checked in tests/py_slice.py.
# Env: LLMCOST (binary), BUILD (scratch dir), PY (python with h5py).
LLMCOST=${LLMCOST:-build/llmcost}
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
dir=$(mktemp -d "$BUILD/cli_slice.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
fails=0
"$PY" "$(dirname "$0")/slice_fixture.py" "$dir/fx.h5" || { echo "FAIL fixture"; exit 1; }

# expect CODE PATTERN ARGS...: exit status CODE and stderr matching PATTERN
expect() {
    code=$1; pat=$2; shift 2
    "$LLMCOST" slice "$@" > "$dir/out" 2> "$dir/err"
    rc=$?
    if [ "$rc" -eq "$code" ] && grep -q -- "$pat" "$dir/err"; then
        echo "ok   slice $* -> $rc"
    else
        echo "FAIL slice $* -> exit $rc (want $code), stderr:"; sed 's/^/    /' "$dir/err"
        echo "     (wanted /$pat/)"
        fails=$((fails + 1))
    fi
}

printf 'not hdf5\n' > "$dir/plain.txt"
"$PY" -c "import h5py,sys; f=h5py.File(sys.argv[1],'w'); f['x']=[1.0]" "$dir/other.h5"

expect 2 "cannot open" "$dir/missing.h5" pretrain_cost --x params
expect 2 "not an HDF5 file" "$dir/plain.txt" pretrain_cost --x params
expect 2 "not an llmcost sweep file" "$dir/other.h5" x
expect 2 "outputs in this file: pretrain_cost, infer_cost_per_1k_bw, train_days" \
    "$dir/fx.h5" pretrain_cst --x params
expect 2 "missing OUTPUT: outputs in this file: pretrain_cost" "$dir/fx.h5"
expect 2 "unknown axis 'parms'; axes of this file: gpu, batch, params, tokens, users" \
    "$dir/fx.h5" pretrain_cost --x parms --at tokens=1e12
expect 2 "pretrain_cost is over: params, tokens" "$dir/fx.h5" pretrain_cost --x params --y tokns
expect 2 "unknown axis 'util'" "$dir/fx.h5" pretrain_cost --x params --at util=0.5
expect 2 "not on axis 'tokens' (--exact); nearest: 3.16227766e+12 (#3); its values: 1e+11, 3.16228e+11, 1e+12" \
    "$dir/fx.h5" pretrain_cost --x params --at tokens=2e12 --exact
expect 2 "no such name on axis 'gpu'; its values: A100, H100, B200" \
    "$dir/fx.h5" train_days --x params --at gpu=V100
expect 2 "index out of range, axis 'params' has 7 values" \
    "$dir/fx.h5" train_days --x gpu --at params=#7
expect 2 "depends on axis 'tokens' (values: 1e+11, 3.16228e+11, 1e+12, 3.16228e+12, 1e+13)" "$dir/fx.h5" pretrain_cost --x params
expect 2 "same axis" "$dir/fx.h5" pretrain_cost --x params --y params
expect 2 "already the x axis" "$dir/fx.h5" pretrain_cost --x params --at params=1e9 --at tokens=#0
expect 2 "given twice" "$dir/fx.h5" pretrain_cost --x params --at tokens=#0 --at tokens=#1
expect 2 "AXIS=VALUE" "$dir/fx.h5" pretrain_cost --x params --at tokens
expect 2 "not a finite number\|number" "$dir/fx.h5" pretrain_cost --x params --at tokens=abc
expect 2 "text or binary" "$dir/fx.h5" pretrain_cost --x params --format csv
expect 2 "unknown option" "$dir/fx.h5" pretrain_cost --x params --bogus
expect 2 "needs --x" "$dir/fx.h5" pretrain_cost --y params
# a value off the axis without --exact: works, with a note naming the nearest value
expect 0 "nearest value 1e+12" "$dir/fx.h5" pretrain_cost --x params --at tokens=1.2e12

# files a sweep never writes (hardening review): each refused with exit 2
"$PY" - "$dir" <<'EOF' || { echo "FAIL hostile fixtures"; exit 1; }
import shutil, sys
import h5py
import numpy as np
d = sys.argv[1]

def copy(name):
    shutil.copy(d + "/fx.h5", d + "/" + name)
    return h5py.File(d + "/" + name, "a")

def redo(name, data, dims):
    # pretrain_cost (params x tokens = 7 x 5) replaced, attributes kept
    with copy(name) as f:
        attrs = {k: v for k, v in f["pretrain_cost"].attrs.items() if k != "DIMENSION_LIST"}
        del f["pretrain_cost"]
        ds = f.create_dataset("pretrain_cost", data=data)
        for k, v in attrs.items():
            ds.attrs[k] = v
        for i, a in enumerate(dims):
            ds.dims[i].attach_scale(f[a])

with copy("nan_axis.h5") as f:          # a fixed (--at) axis with NaN
    f["tokens"][2] = np.nan
with copy("inf_axis.h5") as f:          # the x axis with +Inf
    f["params"][6] = np.inf
redo("int_out.h5", np.arange(35, dtype="i8").reshape(7, 5), ("params", "tokens"))
redo("f16_out.h5", np.ones((7, 5), dtype="f2"), ("params", "tokens"))
redo("short_at.h5", np.zeros((7, 3)), ("params", "tokens"))   # fixed dim too short
redo("short_x.h5", np.zeros((4, 5)), ("params", "tokens"))    # x dim too short
EOF
S="pretrain_cost --x params --at tokens=1e12"
expect 2 "nan_axis.h5: axis 'tokens' has a non-finite value at index 2" "$dir/nan_axis.h5" $S
expect 2 "inf_axis.h5: axis 'params' has a non-finite value at index 6" "$dir/inf_axis.h5" $S
# a non-finite axis the output does not depend on, reached through --at
expect 2 "axis 'params' has a non-finite value at index 6" \
    "$dir/inf_axis.h5" avg_price_per_1k --at params=1e9
expect 2 "output 'pretrain_cost' is not a float32/float64 dataset" "$dir/int_out.h5" $S
expect 2 "output 'pretrain_cost' is not a float32/float64 dataset" "$dir/f16_out.h5" $S
expect 2 "output 'pretrain_cost' dimension 1 has 3 values but axis 'tokens' has 5" \
    "$dir/short_at.h5" $S
expect 2 "output 'pretrain_cost' dimension 0 has 4 values but axis 'params' has 7" \
    "$dir/short_x.h5" $S
# the float32 output of the fixture is still read: one line per params value
n=$("$LLMCOST" slice "$dir/fx.h5" train_days --x params --at gpu=H100 2>/dev/null | grep -c '^[^#]')
[ "$n" -eq 7 ] && echo "ok   float32 output: 7 lines" \
    || { echo "FAIL float32 output: $n lines (want 7)"; fails=$((fails + 1)); }

"$LLMCOST" slice --help > "$dir/help" 2>&1 && grep -q -- "--at AXIS=VALUE" "$dir/help" \
    && echo "ok   --help" || { echo "FAIL --help"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "cli_slice: all passed" || echo "cli_slice: $fails failed"
[ "$fails" -eq 0 ]
