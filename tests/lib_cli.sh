# lib_cli.sh - setup shared by the cluster CLI tests (cli_mpi.sh,
# cli_mpi_sensitivity.sh, cli_resume.sh, cli_shard.sh), sourced with
#   . "$(dirname "$0")/lib_cli.sh"
# It is not a test itself: tests/run_tests.sh runs tests/cli_*.sh only.
# Sets LLMCOST (made absolute, the tests cd into a temp dir), PY, ROOT, CMP
# (tests/cluster_cmp.py, bit-for-bit file comparison), the fails counter
# with ok/bad, and defines cli_tmpdir, mpi_build and mpi.
LLMCOST=${LLMCOST:-build/llmcost}
PY=${PY:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$LLMCOST" in /*) ;; *) LLMCOST="$ROOT/$LLMCOST" ;; esac
CMP="$PY $ROOT/tests/cluster_cmp.py"
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }

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
