#!/bin/sh
# run_tests.sh - run every test of `make check`: the layer rules
# (tests/check_layers.sh), the cmocka suites in
# $BUILD/tests/, then the CLI tests tests/cli_*.sh and the Python readers
# tests/py_*.py.  Prints one closing line "N passed, N failed".
BUILD=${BUILD:-build}
PY=${PY:-/usr/bin/python3}
export BUILD PY LLMCOST="$BUILD/llmcost"
pass=0; fail=0; failed=""
run() {
    name=$1; shift
    if "$@" > "$BUILD/tests/$name.log" 2>&1; then
        pass=$((pass + 1)); echo "PASS $name"
    else
        fail=$((fail + 1)); failed="$failed $name"; echo "FAIL $name (log: $BUILD/tests/$name.log)"
        tail -n 30 "$BUILD/tests/$name.log" | sed 's/^/    /'
    fi
}
mkdir -p "$BUILD/tests"
run check_layers sh tests/check_layers.sh
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    case "$t" in *.log|*.d) continue;; esac
    run "$(basename "$t")" "$t"
done
for t in tests/cli_*.sh; do
    [ -f "$t" ] && run "$(basename "$t" .sh)" sh "$t"
done
for t in tests/py_*.py; do
    [ -f "$t" ] && run "$(basename "$t" .py)" "$PY" "$t"
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
