#!/bin/sh
# run_bench.sh - what `make bench` runs: one TSV table of every benchmark,
# each row measured in this run, then the issue's targets against it.
#   1. $BUILD/bench/bench_sweep: the sweep engine (reductions, evaluation into
#      memory, HDF5 with each codec, 1 and all threads, --isa scalar), the
#      machine's limits for the same bytes (memset, write()+fsync), peak RSS;
#   2. bench/peer_numpy.py, the numpy + h5py program a user would write, on
#      the same specs (bench/reduce.ini, bench/store.ini), median of 3 runs;
#   3. every other binary in $BUILD/bench/ (rows "bench case threads value
#      unit" are mapped into the table's columns).
# Columns: bench, case, threads, points_per_s, GB_per_s, seconds, note.
# Env: BUILD (build dir), PY (python), BENCH_RUNS (default 3), TMPDIR.
set -u
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
RUNS=${BENCH_RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/llmcost_bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
table="$tmp/table.tsv"

"$BUILD/bench/bench_sweep" --llmcost "$BUILD/llmcost" --root "$ROOT" --dir "$tmp" \
    --runs "$RUNS" > "$table" || { echo "bench_sweep failed" >&2; exit 1; }

# numpy peer: median seconds of RUNS runs of one phase
peer() { # SPEC PHASE
    if [ ! -f "$ROOT/bench/peer_numpy.py" ]; then return; fi
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        "$PY" "$ROOT/bench/peer_numpy.py" "$ROOT/$1" --phases "$2" --out "$tmp/peer.h5" \
            2>/dev/null | awk -F'\t' -v ph="$2" '$1 == ph'
        rm -f "$tmp/peer.h5"
        i=$((i + 1))
    done | sort -t "$(printf '\t')" -k3,3g | awk -F'\t' -v n="$RUNS" -v spec="$1" '
        NR == int((n + 1) / 2) {
            printf "numpy\t%s\t1\t%s\t%s\t%s\tbench/peer_numpy.py %s, full-grid arrays, peak RSS %s MB\n",
                   $1, $4, $5, $3, spec, $6 }'
}
peer bench/reduce.ini reduce >> "$table"
peer bench/store.ini sweep >> "$table"

# other benchmark binaries (the sensitivity helper's, ...)
for b in "$BUILD"/bench/*; do
    [ -x "$b" ] || continue
    case "$(basename "$b")" in bench_sweep|*.d|*.o) continue ;; esac
    "$b" 2>/dev/null | awk -F'\t' '
        /^#/ { print; next }
        $1 == "bench" { next }
        NF >= 5 {
            pps = ""; secs = ""
            if ($5 == "points/s") pps = $4; else if ($5 == "s") secs = $4
            printf "%s\t%s\t%s\t%s\t\t%s\t%s %s\n", $1, $2, $3, pps, secs, $4, $5 }'
done >> "$table"

cat "$table"

# Targets of the issue, from the rows above.
awk -F'\t' '
function get(b, c, t) { return V[b SUBSEP c SUBSEP t] }
!/^#/ && $1 != "bench" {
    V[$1, $2, $3] = $4; S[$1, $2, $3] = $6; G[$1, $2, $3] = $5; N[$1, $2, $3] = $7
    if ($3 + 0 > maxt) maxt = $3 + 0
}
END {
    t = maxt
    print "# targets (this run; all threads = " t ")"
    r = get("llmcost", "reduce", t); p = get("numpy", "reduce", 1)
    if (p > 0) printf "# reductions: %.3g grid points/s = %.1fx numpy (target >= 50x and >= 4e9 points/s)\n", r, r / p
    m = G["llmcost", "memory", t]; f = G["machine", "limit_fill", t]
    if (f > 0) printf "# evaluation into memory: %.3g GB/s = %.0f%% of the memory fill %.3g GB/s (target >= 50%%)\n", m, 100 * m / f, f
    h = G["llmcost", "hdf5_none", t]; w = G["machine", "limit_write", 1]
    h1 = G["llmcost", "hdf5_none", 1]
    if (w > 0) printf "# HDF5 uncompressed: %.3g GB/s (%d threads) / %.3g GB/s (1 thread) = %.0f%% / %.0f%% of write()+fsync %.3g GB/s (target >= 80%%)\n", h, t, h1, 100 * h / w, 100 * h1 / w, w
    ps = S["numpy", "sweep", 1]; ls = S["llmcost", "hdf5_none", t]
    if (ls > 0 && ps > 0) printf "# HDF5 end to end vs numpy (bench/store.ini, default layout): %.3g s vs %.3g s = %.1fx (target >= 5x)\n", ls, ps, ps / ls
    c1 = S["llmcost", "hdf5_shuffle+deflate", 1]; c2 = S["llmcost", "hdf5_shuffle+deflate", t]
    if (c2 > 0) printf "# shuffle+deflate: %d threads %.2fx faster than 1 (target >= 1.7x)\n", t, c1 / c2
    d1 = S["llmcost", "hdf5_deflate", 1]; d2 = S["llmcost", "hdf5_deflate", t]
    if (d2 > 0) printf "# deflate: %d threads %.2fx faster than 1\n", t, d1 / d2
    rs = V["llmcost", "reduce_scalar", 1]; r1 = V["llmcost", "reduce", 1]
    if (rs > 0) printf "# kernel vs the same kernel forced scalar, 1 thread: reductions %.2fx, memory %.2fx\n", r1 / rs, V["llmcost", "memory", 1] / V["llmcost", "memory_scalar", 1]
    printf "# peak RSS: %s; %s (target < 100 MB for >= 1e10 points)\n", N["llmcost", "peak_rss_huge", t], N["llmcost", "peak_rss_store", t]
    # issue 14: every kernel path against scalar (CLI, 1 thread, same run)
    s0 = S["kernel", "cli_reduce_scalar", 1]
    c0 = N["kernel", "cli_reduce_scalar", 1]; sub(/.* wall /, "", c0); sub(/ s CPU.*/, "", c0)
    for (k in S) {
        split(k, kp, SUBSEP)
        if (kp[1] != "kernel" || kp[2] !~ /^cli_reduce_/ || kp[2] == "cli_reduce_scalar") continue
        isa = substr(kp[2], 12); x = S[k]
        cx = N[k]; sub(/.* wall /, "", cx); sub(/ s CPU.*/, "", cx)
        if (x > 0 && s0 > 0 && cx > 0) {
            printf "# kernel %s: llmcost sweep bench/reduce.ini --threads 1: wall %.3f s vs scalar %.3f s = %.2fx, CPU %.3f s vs %.3f s = %.2fx%s%s\n", isa, x, s0, s0 / x, cx, c0, c0 / cx, isa == "avx2" ? " (target >= 4x)" : "", (s0 / x <= 1 || c0 / cx <= 1) ? "  !!! NOT FASTER THAN SCALAR !!!" : ""
        }
    }
    hs = S["llmcost", "peak_rss_huge", t]; he = S["llmcost", "huge_exhaustive", t]
    ha = S["llmcost", "huge_avx2", t]
    if (hs > 0) printf "# sweeps/huge.ini (CLI, %d threads, best kernel): %.2f s = %.3g grid points/s (target <= 2 s, >= 5e9 points/s): %s; --exhaustive %.2f s\n", t, hs, 1e10 / hs, hs <= 2 ? "met" : "MISSED", he
    if (ha > 0) printf "# sweeps/huge.ini (CLI, %d threads, --isa avx2): %.2f s = %.3g grid points/s (target <= 2 s): %s\n", t, ha, 1e10 / ha, ha <= 2 ? "met" : "MISSED"
}' "$table"
BUILD=$BUILD PY=$PY sh "$ROOT/bench/store_bench.sh" # `llmcost sweep` stored: bench/store.md
