#!/bin/sh
# cli_codecs.sh - the worker-compressed codecs (lz4, blosc) survive a kill
# and resume, and a resume journal of the older format is refused cleanly
# (issue 14): a run stopped with SIGTERM leaves FILE.partial + journal;
# '--resume' must finish a file equal bit for bit (tests/cluster_cmp.py) to
# an uninterrupted run, the journal checking the engine-encoded chunks it
# lists (MODE_STORED: their stored bytes).  A journal whose magic says
# format 1 (byte-wise FNV-1a chunk sums) must be named as such and the run
# start over, never resume from sums of the other kind.
set -u
. "$(dirname "$0")/lib_cli.sh"
cli_tmpdir cli_codecs
export LLMCOST_FLUSH_SECONDS=0.02

cat > c.ini <<'INI'
[sweep]
name = codecs resume test
output = c.h5
chunk_kib = 16
threads = 1
[axes]
params = log 1e9 2e12 40
gpu = A100, H100, H200, B200
util = 0.3, 0.4, 0.5, 0.6
users = log 1e4 1e8 64
tokens_per_user = log 1e4 1e7 256
[inputs]
tokens = chinchilla
discount = 0.5
subscription = 20
[outputs]
store = sub_profit, breakeven_users
reduce = sub_profit
INI

# stop_early CODEC: a run stopped by SIGTERM part-way, .partial + journal
# left; tries earlier moments if the run was faster than the kill
stop_early() {
    for frac in 0.5 0.3 0.15 0.05; do
        rm -f c.h5 c.h5.partial c.h5.partial.journal*
        "$LLMCOST" sweep c.ini --compression "$1" -q 2> /dev/null &
        pid=$!
        sleep "$(echo "$full $frac" | awk '{printf "%.3f", $1 * $2}')"
        kill -TERM "$pid" 2> /dev/null
        wait "$pid"
        [ -e c.h5.partial ] && [ -e c.h5.partial.journal ] && return 0
    done
    return 1
}

for codec in lz4 blosc; do
    rm -f "ref_$codec.h5"
    t0=$(date +%s.%N)
    "$LLMCOST" sweep c.ini -o "ref_$codec.h5" --compression "$codec" --threads 2 -q ||
        { bad "$codec: reference run"; continue; }
    full=$(echo "$t0 $(date +%s.%N)" | awk '{printf "%.3f", $2 - $1}')
    if ! stop_early "$codec"; then
        bad "$codec: no run could be stopped part-way (reference $full s)"
        continue
    fi
    "$LLMCOST" sweep c.ini --compression "$codec" --resume > out 2> err
    rc=$?
    if [ "$rc" -ne 0 ]; then
        bad "$codec: resume exit $rc: $(head -c 300 err)"
    elif ! grep -q "resuming" err; then
        bad "$codec: the resume did not resume: $(head -c 300 err)"
    elif $CMP "ref_$codec.h5" c.h5 > cmp.out; then
        ok "$codec: killed, resumed, equal to the uninterrupted run ($(grep -o 'resuming[^,]*' err | head -1))"
    else
        bad "$codec: resumed file differs: $(cat cmp.out)"
    fi
done

# a journal of format 1: recognised by its magic, the run starts over
if stop_early lz4; then
    printf 'LCJRNL01' | dd of=c.h5.partial.journal bs=1 count=8 conv=notrunc 2> /dev/null
    "$LLMCOST" sweep c.ini --compression lz4 --resume > out 2> err
    rc=$?
    if [ "$rc" -ne 0 ]; then
        bad "format-1 journal: exit $rc: $(head -c 300 err)"
    elif ! grep -q "older llmcost" err || ! grep -q "starting over" err; then
        bad "format-1 journal: not named as such: $(head -c 300 err)"
    elif ! $CMP ref_lz4.h5 c.h5 > cmp.out; then
        bad "format-1 journal: the new run differs: $(cat cmp.out)"
    else
        ok "format-1 journal refused, fresh run equal: $(grep -o '[^:]*older llmcost[^)]*)' err | head -1)"
    fi
else
    bad "format-1 journal: no run could be stopped part-way"
fi
[ "$fails" -eq 0 ]
