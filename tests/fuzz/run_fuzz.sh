#!/bin/sh
# run_fuzz.sh - `make fuzz`: replay tests/regress/<harness>-* through each
# libFuzzer harness in $FUZZ_BUILD/fuzz/, then fuzz each for FUZZ_SECONDS
# seconds from a corpus seeded with tests/fuzz/seeds/<harness>/, sweeps/*.ini
# and the tests' .ini files.  Prints one line per harness (executions,
# executions/s, corpus size, crashes) and appends it to
# $FUZZ_BUILD/fuzz-summary.tsv.  Exit status 1 when any harness crashed;
# the crashing input is in $FUZZ_BUILD/artifacts/ (make it a regression:
# copy it to tests/regress/<harness>-<what>, fix, and add a test).
# FUZZ_ONLY=name runs one harness.  The h5 harness (fuzz_h5.c) mutates a
# small sweep file through the HDF5 API; FUZZ_H5_RAW=1 mutates raw file
# images instead (tests/fuzz/seeds/h5raw/, written by llmcost and h5py).
FB=${FUZZ_BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
mkdir -p "$FB/artifacts" "$FB/logs"
# absolute paths: the cli harness works in a private temporary directory
FB=$(cd "$FB" && pwd); TOP=$(pwd)
status=0
printf 'harness\tseconds\texecutions\texec_per_s\tcorpus\tcrashes\n'
for bin in "$FB"/fuzz/fuzz_*; do
    [ -x "$bin" ] || continue
    case "$bin" in *.d|*.o) continue;; esac
    name=$(basename "$bin"); short=${name#fuzz_}
    [ -n "$FUZZ_ONLY" ] && [ "$FUZZ_ONLY" != "$short" ] && continue
    corpus="$FB/corpus/$short"
    mkdir -p "$corpus"
    [ -d "tests/fuzz/seeds/$short" ] && cp -n tests/fuzz/seeds/"$short"/* "$corpus"/ 2>/dev/null
    case $short in
    spec|ini) for f in sweeps/*.ini $(find tests -name '*.ini' -not -path 'tests/fuzz/*' 2>/dev/null); do
                  [ -f "$f" ] && cp "$f" "$corpus/seed-$(echo "$f" | tr / _)"
              done;;
    esac
    opts="-timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1"
    [ -f "tests/fuzz/$short.dict" ] && opts="$opts -dict=$TOP/tests/fuzz/$short.dict"
    [ "$short" = cli ] && opts="$opts -close_fd_mask=3"
    # h5: edit lists of at most 64 bytes (the last -max_len wins); the
    # commands print; libhdf5's own 56-byte leak on damaged files is
    # suppressed.  FUZZ_H5_RAW=1: raw file images, seeds in seeds/h5raw/
    if [ "$short" = h5 ]; then
        opts="$opts -close_fd_mask=3 -max_len=64"
        if [ "${FUZZ_H5_RAW:-0}" = 1 ]; then
            opts="$opts -max_len=32768"
            corpus="$FB/corpus/h5raw"
            mkdir -p "$corpus"
            cp -n tests/fuzz/seeds/h5raw/* "$corpus"/ 2>/dev/null
        fi
        export LSAN_OPTIONS="suppressions=$TOP/tests/sanitizer-hdf5.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
    fi
    # 1. every input that crashed once must still pass
    regs=$(ls "$TOP"/tests/regress/"$short"-* 2>/dev/null)
    if [ -n "$regs" ]; then
        # shellcheck disable=SC2086
        if ! "$bin" $opts $regs > "$FB/logs/$short-regress.log" 2>&1; then
            echo "REGRESSION $short: see $FB/logs/$short-regress.log"; status=1
        fi
    fi
    # 2. fuzz for a bounded time
    before=$(ls "$FB/artifacts" | grep -c "^$short-")
    # shellcheck disable=SC2086
    "$bin" $opts -max_total_time="$SECS" -artifact_prefix="$FB/artifacts/$short-" \
        "$corpus" > "$FB/logs/$short.log" 2>&1
    after=$(ls "$FB/artifacts" | grep -c "^$short-")
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$FB/logs/$short.log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$FB/logs/$short.log" | tail -n 1)
    ncorp=$(ls "$corpus" | wc -l)
    crashes=$((after - before))
    line=$(printf '%s\t%s\t%s\t%s\t%s\t%s' "$short" "$SECS" "${execs:-?}" "${rate:-?}" "$ncorp" "$crashes")
    echo "$line"
    printf '%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$line" >> "$FB/fuzz-summary.tsv"
    if [ "$crashes" -gt 0 ]; then
        status=1
        echo "  CRASH: $(ls "$FB/artifacts" | grep "^$short-" | tail -n 1) (log: $FB/logs/$short.log)"
        grep -m 3 -E 'ERROR|SUMMARY' "$FB/logs/$short.log" | sed 's/^/    /'
    fi
done
exit $status
