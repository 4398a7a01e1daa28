#!/bin/sh
# questions.sh - the questions benchmark of `make bench` (doc/questions.md):
# over a 1e9-point grid (bench/questions_small.ini with params and tokens at
# 1000 points each), `llmcost sweep` with all threads answering
#   plain        reduce = pretrain_cost            (structured reduction)
#   exhaustive   the same with --exhaustive        (every point evaluated)
#   constrained  reduce = pretrain_cost where train_days <= 90 and util >= 0.4
#   top20        top = 20 pretrain_cost where train_days <= 90
#   pareto2      pareto = pretrain_cost, train_days
# and the same five on the 1e7-point grid next to the numpy program a user
# would write (bench/peer_questions.py, the full grid in memory).
# Rows (run_bench.sh's columns): llmcost, q<grid>_<case>, threads,
# points/s, "", wall seconds (median of RUNS), note with the CPU seconds
# (user + sys of the child) and the ratio to the exhaustive reduction.
# Env: BUILD, PY, BENCH_RUNS (default 3), TMPDIR; QUESTIONS_BIG=0 skips 1e9.
set -u
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
RUNS=${BENCH_RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LLMCOST="$ROOT/$BUILD/llmcost"
case "$BUILD" in /*) LLMCOST="$BUILD/llmcost" ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/llmcost_qbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
threads=$(nproc)

spec() { # GRID(small|big) QUESTION -> spec file on stdout path
    f="$tmp/$1_$(echo "$2" | cksum | cut -d' ' -f1).ini"
    sed -e '/^reduce/d' "$ROOT/bench/questions_small.ini" > "$f"
    if [ "$1" = big ]; then
        sed -i -e 's/^params = log 1e9 2e12 100/params = log 1e9 2e12 1000/' \
               -e 's/^tokens = log 1e11 3e13 100/tokens = log 1e11 3e13 1000/' "$f"
    fi
    echo "$2" >> "$f"
    echo "$f"
}

# median wall and CPU of RUNS runs: "wall cpu"
timed() { # SPEC ARGS...
    s=$1
    shift
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$LLMCOST" sweep "$s" -o "$tmp/o.h5" --force -q \
            --threads "$threads" "$@" > /dev/null 2>&1 || { echo "fail"; return; }
        awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$tmp/t"
        i=$((i + 1))
    done | sort -g | awk -v n="$RUNS" 'NR == int((n + 1) / 2) { print }'
}

for grid in small big; do
    [ "$grid" = big ] && [ "${QUESTIONS_BIG:-1}" = 0 ] && continue
    if [ "$grid" = big ]; then pts=1000000000; g=1e9; else pts=10000000; g=1e7; fi
    base=""
    for c in "plain|reduce = pretrain_cost|" "exhaustive|reduce = pretrain_cost|--exhaustive" \
             "constrained|reduce = pretrain_cost where train_days <= 90 and util >= 0.4|" \
             "top20|top = 20 pretrain_cost where train_days <= 90|" \
             "pareto2|pareto = pretrain_cost, train_days|"; do
        name=${c%%|*}
        rest=${c#*|}
        q=${rest%%|*}
        opt=${rest#*|}
        f=$(spec "$grid" "$q")
        # shellcheck disable=SC2086
        r=$(timed "$f" $opt)
        [ "$r" = fail ] || [ -z "$r" ] && { echo "# questions: $name on $g failed" >&2; continue; }
        wall=${r% *}
        cpu=${r#* }
        [ "$name" = exhaustive ] && base=$cpu
        ratio=""
        [ -n "$base" ] && [ "$name" != plain ] && ratio=$(awk -v a="$cpu" -v b="$base" 'BEGIN { if (b > 0) printf ", %.2fx the exhaustive reduction by CPU", a / b }')
        awk -v g="$g" -v n="$name" -v t="$threads" -v p="$pts" -v w="$wall" -v c="$cpu" -v r="$ratio" -v q="$q" \
            'BEGIN { printf "llmcost\tq%s_%s\t%s\t%.4g\t\t%s\t%s; cpu %s s%s\n", g, n, t, p / w, w, q, c, r }'
    done
done
"$PY" "$ROOT/bench/peer_questions.py" "$ROOT/bench/questions_small.ini" --runs "$RUNS" \
    --llmcost "$LLMCOST" | sed 's/\tq_/\tq1e7_/'
