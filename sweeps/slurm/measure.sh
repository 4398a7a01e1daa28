#!/bin/sh
# measure.sh - the figures of doc/cluster.md: wall time, file
# size and peak memory (max RSS over ranks) of one sweep run serially, as
# MPI ranks, as shards + merge, and resumed, for several grid and chunk
# sizes.  Run from the repository root after 'make' and 'make MPI=1':
#   sh sweeps/slurm/measure.sh [scratch-dir]
# Prints a markdown table; every run is fresh (--force) and timed once, so
# repeat it on a quiet machine before trusting differences under ~30%.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SER="$ROOT/${BUILD:-build}/llmcost"
MPIBIN="$ROOT/build-mpi/llmcost"
[ -x "$SER" ] || SER="$ROOT/build/llmcost"
dir=${1:-$(mktemp -d /tmp/llmcost_measure.XXXXXX)}
mkdir -p "$dir" && cd "$dir" || exit 1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
MPIRUN="mpirun --allow-run-as-root --oversubscribe"

spec() { # NAME PARAMS CHUNK_KIB COMPRESSION
    cat > "$1.ini" <<INI
[sweep]
name = measure $1
output = $1.h5
chunk_kib = $3
compression = $4
[axes]
params = log 1e9 2e12 $2
tokens = log 1e11 3e13 64
gpu = A100, H100, H200, B200, MI300X
util = lin 0.3 0.6 7
price_hour = lin 1 6 11
[inputs]
gpus = 16k
[outputs]
store = pretrain_cost, train_days
reduce = pretrain_cost, train_days
count = train_days < 90
INI
}

now() { date +%s.%N; }
# run LABEL CMD...: wall time and the largest max-RSS any process reported
run() {
    label=$1
    shift
    rm -f rss.*
    t0=$(now)
    "$@" > /dev/null 2> run.err || { echo "| $label | FAILED: $(head -c 200 run.err) |"; return; }
    t1=$(now)
    rss=$(cat rss.* 2> /dev/null | sort -n | tail -1)
    printf "| %s | %.2f | %s |" "$label" "$(echo "$t0 $t1" | awk '{print $2 - $1}')" \
        "$(echo "${rss:-0}" | awk '{printf "%.0f", $1 / 1024}')"
}
T="/usr/bin/time -f %M -o"

echo "| run | wall s | peak RSS MB | points | chunk KiB | codec | file MB |"
echo "| --- | ---: | ---: | ---: | ---: | --- | ---: |"
for p in 64 128 256; do
    for ck in 64 1024 4096; do
        for codec in none shuffle+deflate:1; do
            [ "$p" != 128 ] && [ "$ck" != 1024 ] && continue
            [ "$p" != 128 ] && [ "$codec" != none ] && continue
            n=g${p}_${ck}_$(echo "$codec" | tr -c 'a-z0-9\n' _)
            spec "$n" "$p" "$ck" "$codec"
            pts=$((p * 64 * 5 * 7 * 11))
            run "serial, 2 threads" $T rss.0 "$SER" sweep "$n.ini" -o s.h5 --force -q --threads 2
            echo " $pts | $ck | $codec | $(stat -c %s s.h5 | awk '{printf "%.1f", $1 / 1e6}') |"
            run "MPI 2 ranks x 1 thread" $MPIRUN -np 2 sh -c "$T rss.\$OMPI_COMM_WORLD_RANK $MPIBIN sweep $n.ini -o m.h5 --force -q --threads 1"
            echo " $pts | $ck | $codec | $(stat -c %s m.h5 | awk '{printf "%.1f", $1 / 1e6}') |"
            run "MPI 1 rank x 2 threads" $T rss.0 "$MPIBIN" sweep "$n.ini" -o m1.h5 --force -q --threads 2
            echo " $pts | $ck | $codec | $(stat -c %s m1.h5 | awk '{printf "%.1f", $1 / 1e6}') |"
            if [ "$ck" = 1024 ]; then
                rm -f sh.shard*
                run "2 shards (in turn) x 2 threads" sh -c "$T rss.0 $SER sweep $n.ini -o sh.h5 --shard 0/2 -q --threads 2 && $T rss.1 $SER sweep $n.ini -o sh.h5 --shard 1/2 -q --threads 2"
                echo " $pts | $ck | $codec | $(cat sh.shard*.h5 | wc -c | awk '{printf "%.1f", $1 / 1e6}') |"
                run "merge of the 2 shards" $T rss.0 "$SER" merge sh.h5 sh.shard0-of-2.h5 sh.shard1-of-2.h5 --force -q
                echo " $pts | $ck | $codec | $(stat -c %s sh.h5 | awk '{printf "%.1f", $1 / 1e6}') |"
            fi
        done
    done
done
# reductions only, 1e10 points: the reduction work splits across ranks
run "huge.ini (1e10 points, reductions), serial 2 threads" $T rss.0 "$SER" sweep "$ROOT/sweeps/huge.ini" -o huge.h5 --force -q --threads 2
echo " 10000000000 | - | - | - |"
run "huge.ini, MPI 2 ranks x 1 thread" $MPIRUN -np 2 sh -c "$T rss.\$OMPI_COMM_WORLD_RANK $MPIBIN sweep $ROOT/sweeps/huge.ini -o hugem.h5 --force -q --threads 1"
echo " 10000000000 | - | - | - |"
# the journal: flush + fsync every 0.5 s (default) against only at the end
spec jr 256 1024 none
for f in 1000 0.5 0.05; do
    LLMCOST_FLUSH_SECONDS=$f run "journal flush every $f s" $T rss.0 "$SER" sweep jr.ini -o j.h5 --force -q --threads 2
    echo " $((256 * 64 * 5 * 7 * 11)) | 1024 | none | $(stat -c %s j.h5 | awk '{printf "%.1f", $1 / 1e6}') |"
done
