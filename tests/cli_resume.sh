#!/bin/sh
# cli_resume.sh - a sweep survives being killed (issue 6): kill -9 at random
# moments, then 'llmcost sweep SPEC --resume' must finish a file whose values
# equal an uninterrupted run's bit for bit (tests/cluster_cmp.py), and remove
# its journal.  Also: a kill during a resume; SIGTERM (exit 143, the message
# says how to resume, .partial + journal left); a changed spec refused with
# what changed; a damaged .partial never gives a wrong value; --resume with
# nothing to resume; an existing .partial without --resume refused.
set -u
. "$(dirname "$0")/lib_cli.sh"
cli_tmpdir cli_resume
# journal records every 20 ms, so a kill after a few tenths of a second
# leaves something to resume
export LLMCOST_FLUSH_SECONDS=0.02

# ~3.9M points in 16 KiB chunks (~2400 chunks), deflate: ~1 s on one thread
cat > k.ini <<'INI'
[sweep]
name = resume test
output = k.h5
chunk_kib = 16
compression = shuffle+deflate:6
threads = 1
[axes]
params = log 1e9 2e12 160
tokens = log 1e11 3e13 64
gpu = A100, H100, H200, B200, MI300X
util = lin 0.3 0.6 7
price_hour = lin 1 6 11
[inputs]
gpus = 16k
[outputs]
store = pretrain_cost, train_days
reduce = pretrain_cost, train_days, pretrain_cost where train_days <= 90 and price_hour <= 2
count = train_days < 90, pretrain_cost < 100M, train_days < 90 and util >= 0.45
top = 20 pretrain_cost where train_days <= 90 and params >= 70B
pareto = pretrain_cost, -tokens, -params where train_days <= 365
frontier = pretrain_cost = 1M along tokens
INI
t0=$(date +%s.%N)
"$LLMCOST" sweep k.ini -o ref.h5 -q || { echo "FAIL reference run"; exit 1; }
t1=$(date +%s.%N)
full=$(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}')
echo "reference run: $full s"

# a kill moment between 5% and 90% of the reference run time
moment() { awk -v s="$1" -v f="$full" 'BEGIN { srand(s); printf "%.2f", f * (0.05 + 0.85 * rand()) }'; }

resume_and_compare() { # NAME
    "$LLMCOST" sweep k.ini --resume > out 2> err
    rc=$?
    if [ "$rc" -ne 0 ]; then bad "$1: resume exit $rc"; sed 's/^/    /' err | head -5; return; fi
    if [ -e k.h5.partial ] || ls k.h5.partial.journal* > /dev/null 2>&1; then
        bad "$1: .partial or journal left after a finished resume"
    fi
    if $CMP ref.h5 k.h5 > cmp.out; then ok "$1: $(head -c 200 err | tr '\n' ' ')"; else
        bad "$1: $(cat cmp.out)"; fi
}

seed=$$
for i in 1 2 3 4; do
    rm -f k.h5 k.h5.partial k.h5.partial.journal*
    t=$(moment $((seed + i)))
    "$LLMCOST" sweep k.ini -q &
    pid=$!
    sleep "$t"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    echo "kill -9 after $t s: $(ls k.h5* 2> /dev/null | tr '\n' ' ')"
    resume_and_compare "kill -9 at $t s, resume"
done

# killed again while resuming, then resumed to the end
rm -f k.h5 k.h5.partial k.h5.partial.journal*
t=$(moment $((seed + 7)))
"$LLMCOST" sweep k.ini -q & pid=$!
sleep "$t"; kill -9 "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
"$LLMCOST" sweep k.ini --resume -q & pid=$!
sleep "$(awk -v f="$full" 'BEGIN { printf "%.2f", f * 0.3 }')"; kill -9 "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
resume_and_compare "kill -9 at $t s, kill -9 of the resume, resume again"

# SIGTERM: clean stop, exit 143, says how to resume, resumable
rm -f k.h5 k.h5.partial k.h5.partial.journal*
"$LLMCOST" sweep k.ini -q 2> term.err & pid=$!
sleep "$(moment $((seed + 11)))"
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 143 ]; then ok "SIGTERM: exit 143"; elif [ "$rc" -eq 0 ]; then
    echo "skip SIGTERM: the run finished first"; else bad "SIGTERM: exit $rc, expected 143"; fi
if [ "$rc" -eq 143 ]; then
    if grep -q "resume with: llmcost sweep k.ini -q --resume" term.err; then ok "SIGTERM: message says how to resume"
    else bad "SIGTERM message: $(cat term.err)"; fi
    if [ -f k.h5.partial ] && [ -f k.h5.partial.journal ] && [ ! -e k.h5 ]; then
        ok "SIGTERM: .partial and journal left, no final file"
    else bad "SIGTERM: left $(ls k.h5* | tr '\n' ' ')"; fi

    # a changed spec is refused, naming the change, and nothing is touched
    sed 's/^tokens = log 1e11 3e13 64/tokens = log 1e11 3e13 65/' k.ini > k2.ini
    before=$(cksum < k.h5.partial)
    "$LLMCOST" sweep k2.ini -o k.h5 --resume > out 2> err
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q "spec changed" err &&
       grep -q "tokens: 'log 1e11 3e13 64' -> 'log 1e11 3e13 65'" err; then
        ok "changed spec refused (exit 2): $(cat err)"
    else bad "changed spec: exit $rc: $(cat err)"; fi
    "$LLMCOST" sweep k.ini --resume --compression deflate:1 > out 2> err
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q "setting compression: 'shuffle+deflate:6' -> 'deflate:1'" err; then
        ok "changed option refused (exit 2)"
    else bad "changed option: exit $rc: $(cat err)"; fi
    # the same spec text over a catalogue whose H100 changed: the values differ
    printf '[gpu H100]\nflops = 900e12\n' > h100.ini
    "$LLMCOST" sweep k.ini --resume --catalog-add h100.ini > out 2> err
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q "setting values: 'fnv1a64:[0-9a-f]*' -> 'fnv1a64:[0-9a-f]*' (the numbers the spec resolves to changed" err; then
        ok "a changed catalogue under the same spec refused (exit 2)"
    else bad "changed catalogue: exit $rc: $(cat err)"; fi
    [ "$(cksum < k.h5.partial)" = "$before" ] && ok "refusals left the .partial as it was" ||
        bad "a refused resume changed the .partial"

    # without --resume an interrupted .partial is not silently overwritten
    "$LLMCOST" sweep k.ini > out 2> err
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q -- "--resume" err; then ok "existing .partial without --resume: exit 2, suggests --resume"
    else bad "existing .partial without --resume: exit $rc: $(cat err)"; fi

    # damage the .partial: 64 KiB of garbage in the middle.  Whatever HDF5
    # makes of it, the result must be right (chunks recomputed or a restart)
    size=$(wc -c < k.h5.partial)
    if [ "$size" -gt 200000 ]; then
        head -c 65536 /dev/urandom | dd of=k.h5.partial bs=1 seek=$((size / 2)) conv=notrunc 2> /dev/null
        resume_and_compare "damaged .partial (64 KiB overwritten), resume"
    else
        resume_and_compare "SIGTERM, resume"
    fi
fi

# a codec HDF5 applies itself (lz4 plugin): resume checks decoded values
if "$LLMCOST" sweep k.ini -o lzref.h5 --compression lz4 -q 2> /dev/null; then
    rm -f lz.h5*
    "$LLMCOST" sweep k.ini -o lz.h5 --compression lz4 -q & pid=$!
    i=0
    while [ $i -lt 200 ] && ! [ -f lz.h5.partial.journal -a "$(wc -c < lz.h5.partial.journal 2> /dev/null || echo 0)" -gt 2500 ]; do
        sleep 0.01; i=$((i + 1)); done
    kill -9 "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
    "$LLMCOST" sweep k.ini -o lz.h5 --compression lz4 --resume > out 2> err
    if [ $? -eq 0 ] && $CMP lzref.h5 lz.h5 > cmp.out; then ok "lz4 (HDF5-side filter): kill -9, resume: $(cat err)"
    else bad "lz4 resume: $(cat err) $(cat cmp.out)"; fi
else
    echo "skip lz4 case: the HDF5 lz4 filter plugin is not installed"
fi

# a second run on the same output while the first still runs (a requeued
# job) is refused and touches nothing; the first one then finishes right
rm -f k.h5 k.h5.partial k.h5.partial.journal*
"$LLMCOST" sweep k.ini -q & pid=$!
i=0
while [ $i -lt 200 ] && [ ! -f k.h5.partial.journal ]; do sleep 0.01; i=$((i + 1)); done
"$LLMCOST" sweep k.ini --resume > out 2> err
rc=$?
wait "$pid"
rc1=$?
if [ "$rc" -eq 2 ] && grep -q "another llmcost run is writing this sweep" err && [ "$rc1" -eq 0 ] &&
   $CMP ref.h5 k.h5 > /dev/null; then ok "concurrent --resume refused (exit 2), the running sweep unharmed"
elif [ "$rc1" -eq 0 ] && [ "$rc" -eq 0 ]; then echo "skip concurrent case: the first run finished first"
else bad "concurrent run: exit $rc/$rc1: $(cat err)"; fi

# --resume with nothing to resume runs from scratch; on a complete file it does nothing
rm -f k.h5 k.h5.partial k.h5.partial.journal*
"$LLMCOST" sweep k.ini --resume > out 2> err
rc=$?
if [ "$rc" -eq 0 ] && grep -q "starting a fresh run" err && $CMP ref.h5 k.h5 > /dev/null; then
    ok "--resume without a .partial: a fresh, correct run"; else bad "--resume fresh: exit $rc $(cat err)"; fi
"$LLMCOST" sweep k.ini --resume > out 2> err
rc=$?
if [ "$rc" -eq 0 ] && grep -q "complete: nothing to resume" err; then ok "--resume on a complete file: exit 0, nothing done"
else bad "--resume complete: exit $rc $(cat err)"; fi

# the netCDF-4 classic model (--netcdf-classic): killed, a resume without
# the option is refused (saying so), a resume with it equals a classic run
rm -f k.h5 k.h5.partial k.h5.partial.journal*
# the questions (tables in groups) are not written in the classic model
grep -v '^top\|^pareto\|^frontier' k.ini | sed -e 's/, pretrain_cost where.*//' \
    -e 's/, train_days < 90 and util >= 0.45//' > kc.ini
"$LLMCOST" sweep kc.ini -o refc.h5 -q --netcdf-classic || bad "classic reference run"
t=$(moment $((seed + 9)))
"$LLMCOST" sweep kc.ini -q --netcdf-classic & pid=$!
sleep "$t"; kill -9 "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
if [ -e k.h5.partial ]; then
    "$LLMCOST" sweep kc.ini --resume -q > out 2> err
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q "netcdf = 'classic' removed" err; then
        ok "classic .partial resumed without --netcdf-classic: refused (exit 2), says netcdf = 'classic' removed"
    else bad "classic resume without the option: exit $rc $(cat err)"; fi
    "$LLMCOST" sweep kc.ini --resume -q --netcdf-classic > out 2> err
    rc=$?
    if [ "$rc" -eq 0 ] && $CMP refc.h5 k.h5 > cmp.out; then ok "classic: kill -9 at $t s, resume: equals a classic run"
    else bad "classic resume: exit $rc $(cat err) $(cat cmp.out 2> /dev/null)"; fi
else echo "skip classic resume: the run finished in $t s"; fi

[ "$fails" -eq 0 ] && echo "cli_resume: all passed" || echo "cli_resume: $fails failed"
[ "$fails" -eq 0 ]
