#!/bin/sh
# cli_plots.sh - every plots/fig_*.sh runs (its sweep, slices and gnuplot)
# without a gnuplot error or warning on stderr and draws a non-empty PNG.
# Renders PNG only, into a temporary OUT, so plots/out/ is left alone.
# Env: LLMCOST (binary), BUILD (scratch dir).
LLMCOST=${LLMCOST:-build/llmcost}
BUILD=${BUILD:-build}
case "$LLMCOST" in /*) ;; *) LLMCOST=$(pwd)/$LLMCOST ;; esac
export LLMCOST
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "FAIL gnuplot is not installed (make deps installs gnuplot-nox)"; exit 1
fi
if "$LLMCOST" sweep --help 2>&1 | grep -q "not implemented"; then
    echo "SKIP llmcost sweep is not implemented yet"; exit 0
fi
dir=$(mktemp -d "$BUILD/cli_plots.XXXXXX") || exit 1
dir=$(cd "$dir" && pwd)
trap 'rm -rf "$dir"' EXIT
fails=0; n=0
for f in plots/fig_*.sh; do
    name=$(basename "$f" .sh)
    out=$dir/$name
    mkdir -p "$out"
    n=$((n + 1))
    OUT=$out FORMATS=png sh "$f" > "$out.log" 2> "$out.err"
    rc=$?
    pngs=$(ls "$out"/*.png 2>/dev/null)
    bad=""
    [ "$rc" -eq 0 ] || bad="exit $rc"
    if grep -qi "error\|warning" "$out.err"; then bad="$bad; gnuplot/llmcost error or warning"; fi
    [ -n "$pngs" ] || bad="$bad; no PNG"
    for p in $pngs; do
        # a PNG starts with \211PNG; an empty or truncated file does not
        if [ ! -s "$p" ] || [ "$(od -An -c -N4 "$p" | tr -d ' ')" != '211PNG' ]; then
            bad="$bad; $(basename "$p") is not a PNG"
        fi
    done
    if [ -z "$bad" ]; then
        echo "ok   $name: $(for p in $pngs; do printf '%s (%s bytes) ' "$(basename "$p")" "$(wc -c < "$p")"; done)"
    else
        echo "FAIL $name: $bad"; sed 's/^/    /' "$out.err" | tail -n 15
        fails=$((fails + 1))
    fi
done
[ "$n" -gt 0 ] || { echo "FAIL no plots/fig_*.sh found"; exit 1; }
echo "cli_plots: $((n - fails)) of $n figures drawn"
[ "$fails" -eq 0 ]
