#!/bin/sh
# cli_sweep.sh - 'llmcost sweep' and 'llmcost info' on the real binary
# ($LLMCOST): a sweep and its summary, info on it, refused overwrite (exit
# 2), bad options (exit 2), info on a non-HDF5 / missing file (exit 2), and
# interrupted runs: kill -9 leaves only NAME.partial; SIGINT / SIGTERM stop
# cleanly with exit 130 / 143 and leave NAME.partial.
set -u
LLMCOST=${LLMCOST:-build/llmcost}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$LLMCOST" in /*) ;; *) LLMCOST="$ROOT/$LLMCOST" ;; esac
tmp=$(mktemp -d /tmp/llmcost_cli_sweep.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
expect() { # NAME WANT_RC ARGS...
    name=$1 want=$2
    shift 2
    "$LLMCOST" "$@" >out 2>err
    rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$name"; else
        bad "$name: exit $rc, expected $want"; sed 's/^/    /' err | head -5; fi
}
has() { # NAME FILE TEXT
    if grep -q -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; sed 's/^/    /' "$2" | head -5; fi
}

cat > small.ini <<'INI'
[sweep]
name = cli test
output = small.h5
chunk_kib = 4
[axes]
params = 7B, 70B, 1.8T
gpu = A100, H100
users = log 1e4 1e8 33
tokens_per_user = log 1e5 1e7 17
[inputs]
tokens = chinchilla
util = 0.4
[outputs]
store = pretrain_cost, sub_profit, breakeven_users
reduce = sub_profit
count = sub_profit > 0
INI

expect "sweep --help" 0 sweep --help
has "sweep --help text" out "Usage: llmcost sweep SPEC"
expect "info --help" 0 info --help
has "info --help text" out "Usage: llmcost info FILE"
expect "sweep runs" 0 sweep small.ini --threads 2
has "sweep prints reductions" out "reductions over the full grid"
has "sweep prints counts" out "sub_profit > 0"
has "sweep prints the rate" out "points/s"
[ -f small.h5 ] && [ ! -f small.h5.partial ] && ok "final file, no .partial" || bad "files after sweep"
expect "info" 0 info small.h5
has "info format" out "llmcost-sweep/1"
has "info axis" out "tokens_per_user"
has "info output dims" out "params 3 x gpu 2 x users 33 x tokens_per_user 17"
has "info compact dims" out "params 3 x gpu 2$"
has "info formula" out "formula sub_revenue - sub_cost"
has "info reductions" out "sub_profit > 0"
expect "refused overwrite" 2 sweep small.ini
has "refusal says why" err "exists"
expect "--force overwrites" 0 sweep small.ini --force --quiet
[ -s out ] && bad "--quiet printed on stdout" || ok "--quiet is quiet"
expect "-o and options" 0 sweep small.ini -o other.h5 --isa scalar --float32 --compression shuffle+deflate:1 --chunk-kib 1 --broadcast --quiet
expect "info broadcast float32" 0 info other.h5
has "info broadcast dims" out "params 3 x gpu 2 x users 33 x tokens_per_user 17"
has "info float32" out "float32"
has "info filters" out "shuffle+deflate:1"
expect "unknown isa" 2 sweep small.ini -o x.h5 --isa sse9
expect "bad compression" 2 sweep small.ini -o x.h5 --compression zstd
expect "missing spec" 2 sweep
expect "spec not found" 2 sweep nosuch.ini
expect "unknown option" 2 sweep small.ini --frobnicate
echo "not hdf5" > text.h5
expect "info non-HDF5" 2 info text.h5
has "info non-HDF5 message" err "not an HDF5 file"
expect "info missing file" 2 info nosuch.h5
[ ! -f x.h5 ] && ok "no file from refused runs" || bad "x.h5 written by a refused run"

# A long reduction sweep: interrupted three ways.
cat > long.ini <<'INI'
[sweep]
output = long.h5
[axes]
params = log 1e9 2e12 100
tokens = log 1e11 3e13 100
users = log 1e4 1e8 100
tokens_per_user = log 1e4 1e7 100
subscription = lin 1 100 100
[inputs]
gpu = H100
[outputs]
reduce = sub_profit
count = sub_profit > 0
INI
"$LLMCOST" sweep long.ini --quiet --threads 1 >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ -f long.h5.partial ] && [ ! -f long.h5 ] && ok "kill -9 leaves only .partial" || bad "kill -9: files $(ls)"
expect "an existing .partial is refused" 2 sweep long.ini --quiet
for sig in INT TERM; do
    "$LLMCOST" sweep long.ini --quiet --force --threads 1 >/dev/null 2>err &
    pid=$!
    sleep 1.5
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    want=130; [ "$sig" = TERM ] && want=143
    [ "$rc" -eq "$want" ] && ok "SIG$sig: exit $want" || bad "SIG$sig: exit $rc, expected $want"
    [ -f long.h5.partial ] && [ ! -f long.h5 ] && ok "SIG$sig leaves .partial" || bad "SIG$sig: files $(ls)"
    has "SIG$sig message" err "interrupted"
done

# A long stored sweep (zlib level 9 in the workers) interrupted while it
# writes: exit 130, the .partial is a readable HDF5 file with the axes.
cat > store.ini <<'INI'
[sweep]
output = store.h5
compression = shuffle+deflate:9
[axes]
params = log 1e9 2e12 64
users = log 1e4 1e8 512
tokens_per_user = log 1e4 1e7 1024
[inputs]
gpu = H100
[outputs]
store = sub_profit
INI
"$LLMCOST" sweep store.ini --quiet --threads 2 >/dev/null 2>err &
pid=$!
sleep 1.5
kill -s INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] && ok "stored sweep SIGINT: exit 130" || bad "stored sweep SIGINT: exit $rc"
[ -f store.h5.partial ] && [ ! -f store.h5 ] && ok "stored sweep leaves .partial" || bad "stored sweep: files $(ls)"
if command -v h5dump >/dev/null 2>&1; then
    h5dump -H store.h5.partial > dump 2>&1 && grep -q 'DATASET "sub_profit"' dump &&
        ok ".partial is a readable HDF5 file" || bad ".partial not readable: $(head -3 dump)"
fi

echo "$fails failed"
[ "$fails" -eq 0 ]
