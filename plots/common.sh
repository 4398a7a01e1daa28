# common.sh - sourced by plots/fig_*.sh and plots/demo.sh (not run alone):
# locates the repository, the llmcost binary and gnuplot, and prepares the
# output directories.
#   LLMCOST  binary (default: $BUILD/llmcost, BUILD defaulting to build)
#   GNUPLOT  gnuplot command (default: gnuplot)
#   OUT      where figures go (default: plots/out); data in $OUT/data
#   FORMATS  figure formats, among png svg (default: "png svg")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LLMCOST=${LLMCOST:-${BUILD:-build}/llmcost}
case "$LLMCOST" in /*) ;; *) LLMCOST=$ROOT/$LLMCOST ;; esac
GNUPLOT=${GNUPLOT:-gnuplot}
OUT=${OUT:-$ROOT/plots/out}
DATA=$OUT/data
FORMATS=${FORMATS:-png svg}
mkdir -p "$DATA" || exit 1
if [ ! -x "$LLMCOST" ]; then
    echo "$(basename "$0"): $LLMCOST not found: run 'make' first (or set LLMCOST)" >&2
    exit 1
fi
if ! command -v "$GNUPLOT" >/dev/null 2>&1; then
    echo "$(basename "$0"): gnuplot not found: install gnuplot-nox ('make deps')" >&2
    exit 1
fi

# sweep NAME: run sweeps/NAME.ini into $DATA/NAME.h5 (a generated file,
# replaced on every run).
sweep() {
    "$LLMCOST" sweep "$ROOT/sweeps/$1.ini" -o "$DATA/$1.h5" --force --quiet
}

# slice ARGS...: llmcost slice, exiting on failure.
slice() {
    "$LLMCOST" slice "$@" || { echo "$(basename "$0"): llmcost slice $* failed" >&2; exit 1; }
}

# render SCRIPT BASENAME VARS: gnuplot SCRIPT once per format into
# $OUT/BASENAME.<fmt>, with the gnuplot assignments VARS (e.g. "in='x'").
render() {
    for fmt in $FORMATS; do
        "$GNUPLOT" -e "$3; out='$OUT/$2.$fmt'" "$ROOT/plots/$1" || {
            echo "$(basename "$0"): gnuplot $1 failed" >&2; exit 1; }
        echo "wrote $OUT/$2.$fmt"
    done
}
