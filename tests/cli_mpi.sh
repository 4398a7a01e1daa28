#!/bin/sh
# cli_mpi.sh - the MPI build (issue 6): 'mpirun -np K llmcost sweep SPEC'
# splits the chunks across ranks, writes ONE file collectively with parallel
# HDF5, combines the reductions across ranks, and the file's values equal
# the serial build's bit for bit (tests/cluster_cmp.py) for K = 1 (a
# singleton, no mpirun), 2 and 3, with and without compression (filtered
# datasets need collective transfers); SIGTERM to mpirun leaves a resumable
# .partial (one journal per rank) that 'mpirun ... --resume' finishes; a
# kill -9 of every rank is finished by a serial --resume.  The spec has a
# user formula (stored, reduced, counted), so all of this holds for it too.
# Builds build-mpi/ itself (make MPI=1 BUILD=build-mpi) when mpicc and
# mpirun are installed, else prints SKIP and passes.
set -u
. "$(dirname "$0")/lib_cli.sh"
mpi_build cli_mpi
cli_tmpdir cli_mpi
progress() { # JOURNAL: wait (<= 30 s) until it lists a few finished chunks
    i=0 base=0
    while [ $i -lt 600 ]; do
        if [ -f "$1" ]; then
            sz=$(wc -c < "$1")
            [ "$base" -eq 0 ] && base=$sz
            [ "$sz" -gt $((base + 96)) ] && return 0
        fi
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
gone() { # PATTERN: wait (<= 10 s) until no rank of that run is left
    i=0
    while pgrep -f "$1" > /dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
same() { # NAME REF FILE
    if $CMP "$2" "$3" > cmp.out 2>&1; then ok "$1"; else bad "$1: $(cat cmp.out)"; fi
}

cat > p.ini <<'INI'
[sweep]
name = mpi test
output = p.h5
chunk_kib = 256
compression = none
threads = 1
[axes]
params = log 1e9 2e12 64
tokens = log 1e11 3e13 64
gpu = A100, H100, H200, B200, MI300X
util = lin 0.3 0.6 7
price_hour = lin 1 6 11
[inputs]
gpus = 16k
[formulas]
cost_per_day = pretrain_cost / train_days [USD/day]
[outputs]
store = pretrain_cost, train_days, cost_per_day
reduce = pretrain_cost, train_days, cost_per_day
count = train_days < 90, pretrain_cost < 100M, cost_per_day < 1M
INI
"$LLMCOST" sweep p.ini -o ref.h5 -q || { echo "FAIL serial reference"; exit 1; }
"$LLMCOST" sweep p.ini -o refz.h5 -q --compression shuffle+deflate:6 || { echo "FAIL serial reference"; exit 1; }
"$LLMCOST" sweep p.ini -o refz32.h5 -q --compression shuffle+deflate:6 --chunk-kib 32 || { echo "FAIL serial reference"; exit 1; }

"$MPIBIN" sweep p.ini -o single.h5 -q && same "MPI build as a singleton == serial" ref.h5 single.h5
t0=$(date +%s.%N)
mpi 2 sweep p.ini -o two.h5 -q && same "mpirun -np 2 == serial (uncompressed)" ref.h5 two.h5
t1=$(date +%s.%N)
mpi 2 sweep p.ini -o twoz.h5 -q --compression shuffle+deflate:6 &&
    same "mpirun -np 2 == serial (shuffle+deflate: collective filtered writes)" refz.h5 twoz.h5
t2=$(date +%s.%N)
mpi 3 sweep p.ini -o three.h5 -q && same "mpirun -np 3 (oversubscribed) == serial" ref.h5 three.h5
echo "$t0 $t1 $t2" | awk '{printf "  times: -np 2 none %.2f s, -np 2 deflate %.2f s\n", $2 - $1, $3 - $2}'
ls -l ref.h5 two.h5 refz.h5 twoz.h5 | awk '{print "  " $5, $9}'

# the printed summary comes once (rank 0), with the serial numbers
mpi 2 sweep p.ini -o out2.h5 > mpi.txt 2> /dev/null
"$LLMCOST" sweep p.ini -o out1.h5 > ser.txt
n=$(grep -c "^reductions over the full grid" mpi.txt)
grep -v "^time" ser.txt | grep -v "^sweep:" > ser.cut
grep -v "^time" mpi.txt | grep -v "^sweep:" > mpi.cut
if [ "$n" -eq 1 ] && cmp -s ser.cut mpi.cut; then
    ok "summary printed once by rank 0, same numbers as serial"
else bad "summary: printed $n times or differs from serial"; diff ser.cut mpi.cut | head -5; fi

# SIGTERM to the ranks: every rank stops, the .partial and one journal per
# rank stay; mpirun -np 2 --resume finishes it
export LLMCOST_FLUSH_SECONDS=0.02
rm -f t.h5*
# (mpirun itself in the background, so the signal reaches it, not a subshell)
timeout 120 mpirun --allow-run-as-root --oversubscribe -np 2 "$MPIBIN" sweep p.ini -o t.h5 -q \
    --compression shuffle+deflate:6 --chunk-kib 32 2> term.err &
pid=$!
progress t.h5.partial.journal
# SIGTERM to every rank, as Slurm does before a wall-time kill (mpirun
# itself would SIGKILL the ranks 1 s after a SIGTERM: odls_base_sigkill_timeout)
ranks=$(pgrep -f "^$MPIBIN sweep p.ini -o t.h5")
[ -n "$ranks" ] && kill -TERM $ranks
wait "$pid"
gone "^$MPIBIN sweep p.ini -o t.h5"
if [ -f t.h5 ]; then
    echo "skip SIGTERM case: the run finished first"
elif [ -f t.h5.partial ] && [ -f t.h5.partial.journal ] && grep -q "resume with:" term.err; then
    ok "SIGTERM to the ranks: .partial, journals $(ls t.h5.partial.journal* | wc -l), message says how to resume"
    mpi 2 sweep p.ini -o t.h5 --compression shuffle+deflate:6 --chunk-kib 32 --resume -q &&
        same "mpirun -np 2 --resume == serial" refz32.h5 t.h5
    ls t.h5.partial* > /dev/null 2>&1 && bad "journals left after the resume"
else bad "SIGTERM: $(ls t.h5* | tr '\n' ' ') / $(cat term.err)"; fi

# kill -9 of every rank, then a serial resume of the MPI run's .partial
rm -f u.h5*
timeout 120 mpirun --allow-run-as-root --oversubscribe -np 2 "$MPIBIN" sweep p.ini -o u.h5 -q \
    --compression shuffle+deflate:6 --chunk-kib 32 2> /dev/null &
pid=$!
progress u.h5.partial.journal
ranks=$(pgrep -f "^$MPIBIN sweep p.ini -o u.h5")
[ -n "$ranks" ] && kill -9 $ranks
wait "$pid" 2> /dev/null
gone "^$MPIBIN sweep p.ini -o u.h5"
if [ -f u.h5 ]; then echo "skip kill -9 case: the run finished first"; else
    "$LLMCOST" sweep p.ini -o u.h5 --compression shuffle+deflate:6 --chunk-kib 32 --resume 2> res.err > /dev/null &&
        same "kill -9 of both ranks, serial --resume == serial ($(cat res.err))" refz32.h5 u.h5
fi

[ "$fails" -eq 0 ] && echo "cli_mpi: all passed" || echo "cli_mpi: $fails failed"
[ "$fails" -eq 0 ]
