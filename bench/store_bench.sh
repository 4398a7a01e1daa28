#!/bin/sh
# store_bench.sh - the stored-sweep benchmark of issue 14 (results, misses
# and their causes: bench/store.md), called by bench/run_bench.sh (`make
# bench`).  It times the command users run, `llmcost sweep` (with its resume
# journal, the fsync at close and the rename), not the library alone, and
# in the same run the machine's limit for the same bytes and the numpy +
# h5py peer on the same grid.  The variants are run round-robin, RUNS rounds
# in a rotating order (so a burst of load from another process, or the page
# cache state a previous run left, hits them alike), and each row is the
# median of its runs:
#   store  case  threads  wall_s  cpu_s  GB_per_s  peak_rss_MB  note
# cpu_s = user + sys of the process (median), GB/s = raw bytes / wall.
#   none_broadcast / none_compact   bench/store.ini uncompressed
#   write_broadcast / write_compact write() of as many bytes as that file, in
#                                   1 MiB calls, then fsync (as llmcost does)
#   numpy_peer                      bench/peer_numpy.py --phases sweep: the
#                                   full grid (the broadcast layout) via h5py
#   lz4 / blosc / blosc-zstd        bench/store.ini broadcast, GB/s of input
#   deflate / shuffle+deflate       store.ini with users = 64 (zlib ~50 MB/s),
#                                   compact, GB/s of input
#   limit_CODEC                     bench_codec_limit --once: the engine's
#                                   encoder on the same chunks in a plain
#                                   OpenMP loop, the machine's own scaling
#   control                         1 and 2 CPU-bound awk loops at once: the
#                                   parallelism the machine grants right now
#   rss_1x / rss_4x                 peak RSS of store.ini broadcast and of a
#                                   4x grid (params = 64), one run each
# then "# target" lines: each target of the issue, met or MISSED, with figures.
# Env: BUILD (build dir), PY, STORE_RUNS (rounds, default 5), THREADS (2), TMPDIR.
set -u
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
RUNS=${STORE_RUNS:-5}
T=${THREADS:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) LLMCOST="$BUILD/llmcost" ;; *) LLMCOST="$ROOT/$BUILD/llmcost" ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/llmcost_store_bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LLMCOST PY tmp

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
isa=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512f)$' | tr '\n' ' ')
echo "# store_bench: $cpu, $(nproc) vCPUs, ISA: ${isa:-no avx2}; llmcost $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null); $RUNS rounds, medians"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

S="$ROOT/bench/store.ini"
sed 's/^users *=.*/users           = log 1e4 1e8 64/' "$S" > "$tmp/quarter.ini"
sed 's/^params *=.*/params          = log 1e9 2e12 64/' "$S" > "$tmp/big.ini"
cat > "$tmp/write.py" <<'PY'
import os, sys
n, path = int(sys.argv[1]), sys.argv[2]
buf = memoryview(b"\x5a" * (1 << 20))
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
while n > 0:
    n -= os.write(fd, buf[:min(n, len(buf))])
os.fsync(fd)
os.close(fd)
PY

# raw SPEC ARGS...: raw bytes of the stored outputs, from llmcost's summary
raw() {
    spec=$1
    shift
    rm -f "$tmp"/o.h5*
    "$LLMCOST" sweep "$spec" -o "$tmp/o.h5" --force --threads "$T" "$@" 2>&1 |
        awk '/values,/ { for (i = 1; i < NF; i++) if ($(i + 1) == "MB" && $(i + 2) == "raw,") { printf "%.0f\n", $i * 1e6; exit } }'
}
size() { stat -c %s "$tmp/o.h5" 2> /dev/null || echo 0; }

# the variants: name | threads | bytes | note | command (run by sh -c)
V="$tmp/variants"
: > "$V"
add() { printf '%s|%s|%s|%s|%s\n' "$@" >> "$V"; }
sw() { echo "\"\$LLMCOST\" sweep $1 -o \"\$tmp/o.h5\" --force --quiet --threads $2 $3"; }
raw "$S" --broadcast > /dev/null
bb=$(size)
raw "$S" > /dev/null
cb=$(size)
for th in 1 "$T"; do
    add none_broadcast "$th" "$bb" "llmcost sweep bench/store.ini --broadcast" "$(sw "$S" "$th" --broadcast)"
    add none_compact "$th" "$cb" "llmcost sweep bench/store.ini" "$(sw "$S" "$th" "")"
done
add write_broadcast 1 "$bb" "write() of $bb bytes + fsync" "\"\$PY\" \"\$tmp/write.py\" $bb \"\$tmp/o.h5\""
add write_compact 1 "$cb" "write() of $cb bytes + fsync" "\"\$PY\" \"\$tmp/write.py\" $cb \"\$tmp/o.h5\""
[ -f "$ROOT/bench/peer_numpy.py" ] &&
    add numpy_peer 1 "$bb" "bench/peer_numpy.py --phases sweep (full grid, h5py)" \
        "\"\$PY\" \"$ROOT/bench/peer_numpy.py\" \"$S\" --phases sweep --out \"\$tmp/o.h5\""
LIMIT="$(dirname "$LLMCOST")/bench/bench_codec_limit"
for codec in lz4 blosc blosc-zstd; do
    r=$(raw "$S" --broadcast --compression "$codec")
    for th in 1 "$T"; do
        add "$codec" "$th" "$r" "bench/store.ini --broadcast, GB/s of input" \
            "$(sw "$S" "$th" "--broadcast --compression $codec")"
        # the machine's limit: the same encoder on the same bytes in a plain
        # OpenMP loop (bench_codec_limit.c), in the same rounds
        [ -x "$LIMIT" ] && add "limit_$codec" "$th" "$r" \
            "pure $codec loop, same chunks, no evaluation/writer/file (bench_codec_limit)" \
            "cd \"$ROOT\" && \"$LIMIT\" --once $codec $th"
    done
done
# control: the parallelism this machine grants right now (two independent
# CPU-bound processes against one): 2x when idle, ~1x when other sessions
# keep the CPUs busy (the kernel's autogroups share the CPUs per session,
# whatever a session's thread count)
spin="awk 'BEGIN { for (i = 0; i < 1e7; i++) s += i }'"
add control 1 0 "one CPU-bound process (awk loop)" "$spin"
many=""
i=0
while [ "$i" -lt "$T" ]; do many="$many$spin & "; i=$((i + 1)); done
add control "$T" 0 "$T of them at once (wall of all)" "${many}wait"
for codec in deflate shuffle+deflate; do
    r=$(raw "$tmp/quarter.ini" --compression "$codec")
    for th in 1 "$T"; do
        add "$codec" "$th" "$r" "store.ini with users = 64, compact, GB/s of input" \
            "$(sw "$tmp/quarter.ini" "$th" "--compression $codec")"
    done
done

# RUNS rounds over every variant, each round starting one variant later
# (what ran just before changes a run's cost: the kernel reuses the pages
# of a deleted file of the same size far more cheaply than fresh ones);
# times in $tmp/t.NAME.THREADS
round=0
nv=$(wc -l < "$V")
while [ "$round" -lt "$RUNS" ]; do
    start=$((round * 3 % nv))
    { tail -n +$((start + 1)) "$V"; head -n "$start" "$V"; } | while IFS='|' read -r name th bytes note cmd; do
        rm -f "$tmp"/o.h5*
        if ! /usr/bin/time -f "%e %U %S %M" -o "$tmp/t1" sh -c "$cmd" > /dev/null 2> "$tmp/err"; then
            echo "# $name ($th threads) FAILED: $(head -c 300 "$tmp/err")"
            continue
        fi
        cat "$tmp/t1" >> "$tmp/t.$name.$th"
    done
    round=$((round + 1))
done
# peak RSS against grid size: one run each
for g in 1x 4x; do
    spec=$S
    [ "$g" = 4x ] && spec="$tmp/big.ini"
    rm -f "$tmp"/o.h5*
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/t.rss_$g.$T" sh -c "$(sw "$spec" "$T" --broadcast)" > /dev/null 2>&1
    echo "rss_$g|$T|$( [ "$g" = 4x ] && echo $((4 * bb)) || echo "$bb")|peak RSS, store.ini broadcast$( [ "$g" = 4x ] && echo ' with params = 64 (4x grid)')|" >> "$V"
done
rm -f "$tmp"/o.h5*

printf 'store\tcase\tthreads\twall_s\tcpu_s\tGB_per_s\tpeak_rss_MB\tnote\n' > "$tmp/table"
while IFS='|' read -r name th bytes note cmd; do
    [ -f "$tmp/t.$name.$th" ] || continue
    sort -n "$tmp/t.$name.$th" | awk -v name="$name" -v th="$th" -v bytes="$bytes" -v note="$note" '
        { w[NR] = $1; c[NR] = $2 + $3; if ($4 > rss) rss = $4 }
        END {
            n = NR
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (c[j] < c[i]) { x = c[i]; c[i] = c[j]; c[j] = x }
            mw = n % 2 ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2
            mc = n % 2 ? c[(n + 1) / 2] : (c[n / 2] + c[n / 2 + 1]) / 2
            printf "store\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.1f\t%s (%d runs)\n", name, th, mw, mc,
                   (mw > 0 ? bytes / mw / 1e9 : 0), rss / 1024, note, n }'
done < "$V" >> "$tmp/table"
cat "$tmp/table"
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

awk -F'\t' -v t="$T" '
$1 == "store" && $2 != "case" { W[$2, $3] = $4; C[$2, $3] = $5; G[$2, $3] = $6; R[$2, $3] = $7 }
function verdict(ok) { return ok ? "met" : "MISSED" }
END {
    for (k = 0; k < 2; k++) {
        l = k ? "compact" : "broadcast"
        g1 = G["none_" l, 1]; gt = G["none_" l, t]; lim = G["write_" l, 1]
        if (lim > 0) printf "# target uncompressed %s >= 80%% of write(): %.2f GB/s (%d threads) / %.2f GB/s (1) = %.0f%% / %.0f%% of write()+fsync %.2f GB/s: %s\n", l, gt, t, g1, 100 * gt / lim, 100 * g1 / lim, lim, verdict(gt >= 0.8 * lim)
        if (W["none_" l, t] > 0) printf "# target uncompressed %s, %d threads never slower than 1: %.3f s vs %.3f s: %s\n", l, t, W["none_" l, t], W["none_" l, 1], verdict(W["none_" l, t] <= W["none_" l, 1])
    }
    if (W["numpy_peer", 1] > 0 && W["none_broadcast", t] > 0) printf "# target >= 2x numpy + h5py (same grid, full-grid file): %.3f s vs %.3f s = %.1fx: %s\n", W["none_broadcast", t], W["numpy_peer", 1], W["numpy_peer", 1] / W["none_broadcast", t], verdict(W["numpy_peer", 1] >= 2 * W["none_broadcast", t])
    par = W["control", t] > 0 ? t * W["control", 1] / W["control", t] : 0
    if (par > 0) printf "# machine parallelism now: %d CPU-bound processes run %.2fx the work of 1 in the same time (2.00 when idle): thread scaling below is bounded by it\n", t, par
    nc = split("lz4 blosc blosc-zstd deflate shuffle+deflate", cs, " ")
    for (i = 1; i <= nc; i++) {
        c = cs[i]
        if (W[c, t] > 0) printf "# target %s %d threads >= 1.7x 1 thread: %.3f s -> %.3f s = %.2fx (cpu %.3f s -> %.3f s; machine parallelism %.2fx): %s\n", c, t, W[c, 1], W[c, t], W[c, 1] / W[c, t], C[c, 1], C[c, t], par, verdict(W[c, 1] >= 1.7 * W[c, t])
        l = "limit_" c
        if (W[c, t] > 0 && W[l, t] > 0) printf "# %s against the machine limit (a pure %s loop on the same chunks, same rounds): limit %d threads %.2fx 1 thread (%.3f s -> %.3f s); llmcost %.2fx = %.0f%% of the limit\n", c, c, t, W[l, 1] / W[l, t], W[l, 1], W[l, t], W[c, 1] / W[c, t], 100 * (W[c, 1] / W[c, t]) / (W[l, 1] / W[l, t])
    }
    if (G["lz4", 1] > 0) printf "# target lz4 >= 0.4 GB/s of input per core: %.2f GB/s on 1 thread, %.2f GB/s per thread on %d: %s\n", G["lz4", 1], G["lz4", t] / t, t, verdict(G["lz4", 1] >= 0.4 && G["lz4", t] / t >= 0.4)
    if (R["rss_1x", t] > 0) printf "# target peak RSS flat in grid size: %.1f MB (805 MB file) vs %.1f MB (4x grid): %s\n", R["rss_1x", t], R["rss_4x", t], verdict(R["rss_4x", t] <= 1.1 * R["rss_1x", t] + 4)
}' "$tmp/table"
