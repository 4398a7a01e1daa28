#!/bin/sh
# cli_golden.sh - the sweep file format, locked: the structure `h5dump -H -p`
# prints for the sweep of tests/golden/tiny.ini (every group, dataset and
# attribute with its datatype, dataspace, chunking, filters and fill value)
# and the values of the attributes that define the format, compared with
# tests/golden/tiny.h5dump.  A difference fails: a change of the file format
# must be deliberate (doc/file-format.md, "Changing the format": bump the
# format version if readers must change, note it in CHANGELOG.md, then
#   sh tests/cli_golden.sh --update
# and commit the new golden file with the change).  Normalised, since they
# legitimately vary: the file name and the stored bytes of compressed chunks
# (zlib builds).  Dates, versions, commits and the machine are attribute
# values, which -H does not print.  Run by tests/run_tests.sh.
set -u
LLMCOST=${LLMCOST:-build/llmcost}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GOLDEN=$ROOT/tests/golden/tiny.h5dump
if ! command -v h5dump > /dev/null 2>&1; then
    echo "SKIP cli_golden: h5dump not installed (apt install hdf5-tools)"
    exit 0
fi
tmp=$(mktemp -d /tmp/llmcost_cli_golden.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if ! "$LLMCOST" sweep "$ROOT/tests/golden/tiny.ini" -o "$tmp/tiny.h5" --threads 1 --quiet \
        > "$tmp/log" 2>&1; then
    echo "FAIL cli_golden: the sweep failed"
    cat "$tmp/log"
    exit 1
fi
# format-defining attribute values (stable by design)
{
    h5dump -H -p "$tmp/tiny.h5"
    h5dump -a /format -a /Conventions -a /layout -a /dtype -a /compression -a /axes \
        "$tmp/tiny.h5"
} | sed -e 's|^HDF5 ".*" {|HDF5 "tiny.h5" {|' \
        -e 's|SIZE [0-9]* ([0-9.]*:1 COMPRESSION)|SIZE (compressed)|' > "$tmp/now"
if [ "${1:-}" = "--update" ]; then
    cp "$tmp/now" "$GOLDEN"
    echo "updated $GOLDEN ($(wc -l < "$GOLDEN") lines): commit it with the format change"
    exit 0
fi
if diff -u "$GOLDEN" "$tmp/now" > "$tmp/diff"; then
    echo "ok   the sweep file's layout equals tests/golden/tiny.h5dump ($(wc -l < "$GOLDEN") lines)"
    exit 0
fi
echo "FAIL cli_golden: the sweep file's layout changed (- golden, + now):"
head -60 "$tmp/diff"
echo "If the change is deliberate: doc/file-format.md, 'Changing the format'; then"
echo "  sh tests/cli_golden.sh --update"
exit 1
