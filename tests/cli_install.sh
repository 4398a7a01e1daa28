#!/bin/sh
# cli_install.sh - the installed library as a C user sees it: `make install
# DESTDIR=...` into a temp tree, then examples/cost_api.c is compiled with
# nothing but `pkg-config --cflags --libs llmcost` against that tree (shared
# library, then static), run, and its numbers compared with `llmcost eval`.
# Also: only the public header is installed, the .so exports only llmcost_*.
. "$(dirname "$0")/lib_cli.sh"
BUILD=${BUILD:-build}
cli_tmpdir install
dest="$tmp/root"
prefix=/usr/local
if ! (cd "$ROOT" && make -s -j2 install BUILD="$BUILD" DESTDIR="$dest" PREFIX=$prefix > "$tmp/make.log" 2>&1); then
    cat "$tmp/make.log"; bad "make install DESTDIR"; exit 1
fi
ok "make install DESTDIR=$dest"
lib="$dest$prefix/lib"
[ "$(ls "$dest$prefix/include/llmcost")" = "llmcost.h" ] && ok "only llmcost.h is installed" ||
    bad "installed headers: $(ls "$dest$prefix/include/llmcost" | tr '\n' ' ')"
for f in lib/libllmcost.a lib/libllmcost.so lib/libllmcost.so.0 lib/pkgconfig/llmcost.pc \
         share/man/man1/llmcost.1 share/llmcost/catalog.ini bin/llmcost; do
    [ -e "$dest$prefix/$f" ] && ok "installed $f" || bad "missing $f"
done
others=$(nm -D --defined-only "$lib/libllmcost.so.0" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^llmcost_' | head -5)
[ -z "$others" ] && ok "libllmcost.so exports only llmcost_*" || bad "exported: $others"

export PKG_CONFIG_PATH="$lib/pkgconfig"
pc() { pkg-config --define-variable=prefix="$dest$prefix" "$@"; }
if cc -std=c11 -Wall -Wextra -Werror "$ROOT/examples/cost_api.c" $(pc --cflags --libs llmcost) \
      -o cost_api 2> cc.log; then ok "example built with pkg-config (shared)"; else cat cc.log; bad "example build"; fi
if LD_LIBRARY_PATH="$lib" ./cost_api out.h5 > run.txt 2>&1; then ok "example ran"; else cat run.txt; bad "example run"; fi
cat run.txt
ldd_lib=$(LD_LIBRARY_PATH="$lib" ldd ./cost_api | grep libllmcost)
case "$ldd_lib" in *"$lib"*) ok "linked against the installed libllmcost.so";; *) bad "ldd: $ldd_lib";; esac

want=$("$LLMCOST" eval --json | $PY -c 'import json,sys; d=json.load(sys.stdin); o=d.get("outputs", d); print(repr(float(o["pretrain_cost"]["value"] if isinstance(o["pretrain_cost"], dict) else o["pretrain_cost"])))' 2>/dev/null)
got=$(sed -n 's/^pretrain_cost \([^ ]*\) USD/\1/p' run.txt)
$PY -c "import sys; sys.exit(0 if float('$got') == float('$want') else 1)" 2>/dev/null &&
    ok "pretrain_cost $got = llmcost eval's $want" || bad "pretrain_cost '$got' vs eval '$want'"
# the architecture preset: the same bits as eval --arch (and an input set after it wins)
"$LLMCOST" eval --arch llama-3.1-70b --json > arch.json
"$LLMCOST" eval --arch llama-3.1-70b --layers 40 --json > arch40.json
$PY - run.txt arch.json arch40.json <<'PYEOF' && ok "set_arch: kv_bytes_per_token, weights_bytes = eval --arch llama-3.1-70b bit for bit, layers set after it wins" || bad "set_arch vs eval --arch"
import json, sys
run = open(sys.argv[1]).read().split("\n")
o = json.load(open(sys.argv[2]))["outputs"]
o40 = json.load(open(sys.argv[3]))["outputs"]
w = [l.split() for l in run if l.startswith("llama-3.1-70b ")]
kv, wb = float(w[0][2]), float(w[0][4])
kv40 = float(w[1][3])
assert kv == o["kv_bytes_per_token"]["value"] == 327680, kv
assert wb == o["weights_bytes"]["value"] == 141108e6, wb
assert kv40 == o40["kv_bytes_per_token"]["value"] == 163840, kv40
assert any("unknown architecture 'llama-3.1-71b' (known: llama-2-7b" in l for l in run), run
PYEOF
grep -q 'identical to the callback' run.txt && ok "file read back = callback values" || bad "file vs callback"
$PY - out.h5 <<'PYEOF' && ok "h5py reads the example's file: 7 x 4 values" || bad "h5py check"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    v = f["pretrain_cost"][...]
    assert v.shape == (7, 4), v.shape
    p = f["params"][...]; u = f["util"][...]
    # 6 N D / (F U) * price / 3600, D = 13e12, F = 312e12, price 2.2659 (the defaults)
    ref = 6 * p[:, None] * 13e12 / (312e12 * u[None, :]) * (2.2659 / 3600.0)
    assert np.allclose(v, ref, rtol=1e-14, atol=0), abs(v / ref - 1).max()
PYEOF

if cc -std=c11 "$ROOT/examples/cost_api.c" $(pc --static --cflags --libs llmcost | sed 's/-lllmcost/-l:libllmcost.a/') \
      -o cost_api_static 2> cc2.log && ./cost_api_static out2.h5 > run2.txt 2>&1 &&
   grep -q 'identical to the callback' run2.txt; then ok "static link (pkg-config --static) runs"
else cat cc2.log run2.txt; bad "static link"; fi
[ "$fails" -eq 0 ]
