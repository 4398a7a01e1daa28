# lib_cli.sh - setup shared by the CLI tests (cli_eval.sh, cli_prices.sh,
# cli_mpi.sh, cli_mpi_sensitivity.sh, cli_resume.sh, cli_shard.sh) and
# tests/slurm/run.sh, sourced with
#   . "$(dirname "$0")/lib_cli.sh"
# It is not a test itself: tests/run_tests.sh runs tests/cli_*.sh only.
# Sets LLMCOST (made absolute, the tests cd into a temp dir), PY, ROOT, CMP
# (tests/cluster_cmp.py, bit-for-bit file comparison), the pass and fails
# counters with ok/bad, and defines run, has, py, cli_tmpdir, mpi_build and mpi.
LLMCOST=${LLMCOST:-build/llmcost}
PY=${PY:-/usr/bin/python3}
# the repository: the parent of tests/ (LIB_CLI_DIR: tests/, for a script
# sourcing this from elsewhere, e.g. tests/slurm/run.sh)
ROOT=$(cd "${LIB_CLI_DIR:-$(dirname "$0")}/.." && pwd)
case "$LLMCOST" in /*) ;; *) LLMCOST="$ROOT/$LLMCOST" ;; esac
CMP="$PY $ROOT/tests/cluster_cmp.py"
pass=0
fails=0
ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# run NAME EXPECTED_RC ARGS...: llmcost ARGS, stdout in $tmp/out, stderr in
# $tmp/err; 1 (and a FAIL with the first stderr lines) on another exit code
run() {
    name=$1 want=$2
    shift 2
    "$LLMCOST" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        bad "$name: exit $rc, expected $want ($*)"
        sed 's/^/    stderr: /' "$tmp/err" | head -3
        return 1
    fi
    return 0
}

# has NAME FILE TEXT: FILE contains the fixed string TEXT
has() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        bad "$1: '$3' not in output"
        head -c 2000 "$2" | sed 's/^/    | /'
    fi
}

# py NAME SCRIPT: a Python check (argv[1] = $tmp); it prints "ok" or why not
py() {
    res=$("$PY" -c "$2" "$tmp" 2>&1)
    if [ "$res" = ok ]; then ok "$1"; else bad "$1: $res"; fi
}

# cli_tmpdir NAME: work in a fresh /tmp/llmcost_NAME.XXXXXX, removed on exit
cli_tmpdir() {
    tmp=$(mktemp -d "/tmp/llmcost_$1.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    cd "$tmp" || exit 1
}

# mpi_build TEST: build the MPI flavour (make MPI=1 BUILD=build-mpi) and set
# MPIBIN; when mpicc, mpirun or hdf5-openmpi is missing, print SKIP TEST and
# exit 0 (the test passes), since MPI is optional.
mpi_build() {
    if ! command -v mpicc > /dev/null 2>&1 || ! command -v mpirun > /dev/null 2>&1 ||
       ! pkg-config --exists hdf5-openmpi 2> /dev/null; then
        echo "SKIP $1: mpicc/mpirun or hdf5-openmpi not installed (apt install openmpi-bin libhdf5-openmpi-dev)"
        exit 0
    fi
    log="${TMPDIR:-/tmp}/llmcost_$1_build.$$"
    echo "building the MPI flavour: make MPI=1 BUILD=build-mpi"
    if ! (cd "$ROOT" && make -s MPI=1 BUILD=build-mpi -j2 > /dev/null 2> "$log"); then
        echo "FAIL make MPI=1:"; tail -20 "$log"; rm -f "$log"
        exit 1
    fi
    rm -f "$log"
    MPIBIN="$ROOT/build-mpi/llmcost"
    export OMPI_MCA_btl_vader_single_copy_mechanism=none
}

mpi() { # NP ARGS...: mpirun as root too, more ranks than cores
    np=$1
    shift
    timeout 120 mpirun --allow-run-as-root --oversubscribe -np "$np" "$MPIBIN" "$@"
}
