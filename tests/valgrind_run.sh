#!/bin/sh
# valgrind_run.sh - the valgrind half of `make check-full`: every CLI test
# (tests/cli_*.sh), every Python test that runs the binary (tests/py_*.py)
# with LLMCOST pointing at a wrapper that runs $BUILD/llmcost under
# memcheck, then every cmocka suite under memcheck.  The kernel is forced to
# AVX2 (LLMCOST_ISA=avx2): valgrind cannot execute AVX-512.
#
# A memcheck error (invalid read/write, use of uninitialised values,
# definitely lost memory) is a failure even when the test itself passed:
# the wrapper exits 99 on it and the logs ($BUILD/valgrind/vg.PID.log) are
# scanned at the end.  Prints "N passed, N failed" like run_tests.sh.
#
# Skipped (VALGRIND_SKIP, space-separated names): tests whose timing
# assumptions (kill after 1.5 s, MPI launches) do not survive a 20-50x
# slowdown; under valgrind cli_sweep's kill -9 lands before the .partial
# exists and its next step then sweeps 1e10 points.  Each test gets at most
# VALGRIND_TIMEOUT seconds (default 900).
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
VG=${VALGRIND:-valgrind}
command -v "$VG" > /dev/null || { echo "valgrind_run: valgrind not found"; exit 1; }
[ -x "$BUILD/llmcost" ] || { echo "valgrind_run: build $BUILD/llmcost first"; exit 1; }
top=$(pwd)
vgdir="$top/$BUILD/valgrind"
rm -rf "$vgdir"; mkdir -p "$vgdir"
VGOPTS="--tool=memcheck --suppressions=$top/tests/valgrind-hdf5.supp --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=no --num-callers=30"
cat > "$vgdir/llmcost" <<WRAP
#!/bin/sh
exec $VG $VGOPTS --log-file=$vgdir/vg.%p.log $top/$BUILD/llmcost "\$@"
WRAP
chmod +x "$vgdir/llmcost"
export LLMCOST_ISA=avx2 BUILD PY LLMCOST="$vgdir/llmcost"

SKIP=${VALGRIND_SKIP-cli_sweep cli_mpi cli_mpi_sensitivity}
TMO=${VALGRIND_TIMEOUT:-900}
pass=0; fail=0; failed=""; skipped=""
run() {
    name=$1; shift
    for k in $SKIP; do
        if [ "vg-$k" = "$name" ]; then skipped="$skipped $k"; return; fi
    done
    start=$(date +%s)
    if timeout "$TMO" "$@" > "$vgdir/$name.out" 2>&1; then
        pass=$((pass + 1)); echo "PASS $name ($(( $(date +%s) - start )) s)"
    else
        fail=$((fail + 1)); failed="$failed $name"
        echo "FAIL $name (log: $vgdir/$name.out)"; tail -n 20 "$vgdir/$name.out" | sed 's/^/    /'
    fi
}
for t in tests/cli_*.sh; do
    [ -f "$t" ] && run "vg-$(basename "$t" .sh)" sh "$t"
done
for t in tests/py_*.py; do
    grep -q LLMCOST "$t" 2>/dev/null && run "vg-$(basename "$t" .py)" "$PY" "$t"
done
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    case "$t" in *.log|*.d) continue;; esac
    run "vg-$(basename "$t")" $VG $VGOPTS --log-file="$vgdir/vg.%p.log" "$t"
done
# memcheck errors the tests could not see (a test that expects a failure
# exit code would hide the wrapper's 99): any non-zero ERROR SUMMARY
bad=$(grep -l "ERROR SUMMARY: [1-9]" "$vgdir"/vg.*.log 2>/dev/null)
nlogs=$(ls "$vgdir"/vg.*.log 2>/dev/null | wc -l)
if [ -n "$bad" ]; then
    fail=$((fail + 1)); failed="$failed memcheck-errors"
    echo "FAIL memcheck: errors in $(echo "$bad" | wc -l) of $nlogs processes:"
    for f in $bad; do echo "  $f"; grep -m 5 -A 6 -E "Invalid|uninitialised|definitely lost" "$f" | sed 's/^/    /'; done
else
    echo "memcheck: 0 errors in $nlogs processes"
fi
[ -n "$skipped" ] && echo "skipped (VALGRIND_SKIP):$skipped"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
