#!/bin/bash
# run.sh - make check-slurm: the shipped scripts in sweeps/slurm/ run through
# sbatch on a real single-node Slurm (tests/slurm/cluster.sh starts a private
# munged + slurmctld + slurmd with MpiDefault=none, a site's default), the
# way doc/cluster.md tells users to, and every result is compared with a
# serial run of the same spec (tests/cluster_cmp.py: the same bits):
#   1. job array of 4 + merge with --dependency=afterany;
#   2. a failed task (its .partial path is blocked): the merge names the
#      missing shard and prints the redo command; that command, run as
#      printed, recomputes only that shard and the merge succeeds;
#   3. the MPI job (2 ranks, srun --mpi=pmix chosen by the script);
#   4. a task that reaches its time limit (--time=1): Slurm's B:USR1
#      reaches the script, llmcost stops cleanly (exit 143), the script
#      requeues it, the next attempt resumes, the log holds both attempts;
#   5. 'scontrol requeue' of a running task: stops cleanly, comes back,
#      resumes;  4 and 5 are the two shards of one sweep, then merged;
#   6. the MPI job at its time limit: the ranks get SIGTERM through Slurm,
#      exit 143, the job requeues itself and resumes.
# For 4 to 6 the sweep must outlast Slurm's time-limit signal: llmcost
# runs under tests/slurm/slow_llmcost.sh (SIGSTOP/SIGCONT duty cycle,
# through the scripts' LLMCOST variable), so a few CPU-seconds of sweep take
# ~50 s without a big file.  About 4 minutes in all.
#
# Not run by make check (needs root, slurm-wlm and munge, and starts
# daemons).  Without them it prints "SKIP check-slurm: <reason>" and exits
# 0, or exits 1 when LLMCOST_SLURM_REQUIRED=1 (for a machine known to run them).
# KEEP=1 keeps the scratch directory (logs, files, slurm.conf).
set -u
BUILD=${BUILD:-build}
LLMCOST=${LLMCOST:-$BUILD/llmcost}
LIB_CLI_DIR=$(dirname "$0")/..
. "$LIB_CLI_DIR/lib_cli.sh" # ROOT, PY, CMP, ok/bad with pass/fails counters
. "$ROOT/tests/slurm/cluster.sh"

T=$(mktemp -d /tmp/llmcost_slurm.XXXXXX)
chmod 755 "$T" # munged (user munge) must reach its files below
jobs_=()
cleanup() {
    if [ -n "$SLURM_DIR" ] && [ ${#jobs_[@]} -gt 0 ]; then
        scancel "${jobs_[@]}" 2> /dev/null
        for _ in $(seq 50); do
            [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break
            sleep 0.2
        done
    fi
    slurm_down
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() {
    echo "SKIP check-slurm: $1"
    [ "${LLMCOST_SLURM_REQUIRED:-0}" = 1 ] && { echo "FAIL: LLMCOST_SLURM_REQUIRED=1"; exit 1; }
    exit 0
}

for b in "$ROOT/$BUILD/llmcost" "$ROOT/build-mpi/llmcost"; do
    [ -x "$b" ] || { echo "FAIL: $b missing (make check-slurm builds it)"; exit 1; }
done
slurm_up "$T/slurm" || skip "$SLURM_SKIP"
echo "slurm: $(sinfo -V), node: $(sinfo -h -N -o '%N %c CPUs %t')"

# The users' view: a working directory with the repository's build/,
# build-mpi/ and sweeps/ (the scripts' default paths), commands as documented.
W=$T/w
mkdir -p "$W"
ln -s "$ROOT/$BUILD" "$W/build"
ln -s "$ROOT/build-mpi" "$W/build-mpi"
ln -s "$ROOT/sweeps" "$W/sweeps"
cd "$W" || exit 1

# JOB -> every JobState of the job (one per array task), space separated
states() { scontrol show job "$1" 2> /dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | tr '\n' ' '; }
# wait_end JOB SECONDS: every task in a final state; 1 on timeout or a
# dependency that can never be met
wait_end() {
    local i s
    for ((i = 0; i < $2 * 2; i++)); do
        s=$(states "$1")
        if scontrol show job "$1" 2> /dev/null | grep -q 'Reason=DependencyNeverSatisfied'; then
            echo "job $1 pends forever (DependencyNeverSatisfied)"
            return 1
        fi
        if [ -n "$s" ] && ! grep -qE 'PENDING|RUNNING|CONFIGURING|COMPLETING|REQUEUE|SUSPENDED|RESIZING|SIGNALING|STAGE_OUT' <<< "$s"; then
            return 0
        fi
        sleep 0.5
    done
    echo "job $1 still '$s' after $2 s"
    return 1
}
only() { # JOB STATE: every task ended in STATE
    local s
    s=$(states "$1")
    [ -n "$s" ] && ! grep -qv "^$2\$" <<< "$(tr ' ' '\n' <<< "$s" | sed '/^$/d')"
}
same() { # REF FILE LABEL
    if [ ! -f "$2" ]; then
        bad "$3: no $2"
    elif out=$($CMP "$1" "$2" 2>&1); then
        ok "$3: $2 identical to the serial run"
    else
        bad "$3: $2 differs from the serial run: $(head -c 300 <<< "$out")"
    fi
}
show() { sed 's/^/    | /' "$@" 2> /dev/null | tail -20; }

cat > a.ini << 'EOF'
[sweep]
name = check-slurm array
output = a.h5
chunk_kib = 16
[axes]
params = log 1e9 2e12 32
tokens = log 1e11 3e13 32
gpu = A100, H100, H200, B200, MI300X
util = lin 0.3 0.6 7
price_hour = lin 1 6 11
[inputs]
gpus = 16k
[outputs]
store = pretrain_cost, train_days
reduce = pretrain_cost
count = train_days < 90
EOF
build/llmcost sweep a.ini -o ref_a.h5 -q || { bad "serial run of a.ini"; exit 1; }

# 1. job array + merge (afterany)
jid=$(sbatch --parsable --array=0-3 sweeps/slurm/sweep-array.sbatch a.ini 4)
mid=$(sbatch --parsable --dependency=afterany:$jid sweeps/slurm/merge.sbatch a.h5 4 a.ini)
jobs_+=("$jid" "$mid")
if wait_end "$mid" 120 && only "$jid" COMPLETED && only "$mid" COMPLETED; then
    ok "array 0-3 + merge (afterany): every task and the merge COMPLETED"
else
    bad "array/merge: tasks '$(states "$jid")', merge '$(states "$mid")'"
    show llmcost-"$jid"_*.out llmcost-merge-"$mid".out
fi
same ref_a.h5 a.h5 "array + merge"
n=$(ls llmcost-"$jid"_[0-3].out 2> /dev/null | wc -l)
[ "$n" = 4 ] && ok "one log per task (llmcost-%A_%a.out)" || bad "task logs: $n of 4"

# 2. a failed task: the merge names it; the printed redo command redoes only it
mkdir b.shard2-of-4.h5.partial # llmcost cannot create shard 2's .partial: task 2 fails
jid=$(sbatch --parsable --array=0-3 sweeps/slurm/sweep-array.sbatch a.ini 4 -o b.h5)
mid=$(sbatch --parsable --dependency=afterany:$jid sweeps/slurm/merge.sbatch b.h5 4 a.ini)
jobs_+=("$jid" "$mid")
wait_end "$mid" 120
ml=llmcost-merge-$mid.out
if [ "$(states "$mid")" = "FAILED " ] && grep -q "1 of 4 shards missing or incomplete: 2" "$ml" &&
    [ ! -e b.h5 ]; then
    ok "task 2 failed ($(states "$jid")): the merge ran anyway (afterany), named shard 2, wrote nothing"
else
    bad "failed task: tasks '$(states "$jid")', merge '$(states "$mid")'"
    show "$ml"
fi
rmdir b.shard2-of-4.h5.partial
redo=$(grep -A2 'redo exactly those tasks' "$ml" | tail -2 | sed 's/^ *//')
if grep -q -- '--array=2 ' <<< "$redo"; then
    echo "    redo, as printed by the merge:"
    sed 's/^/      $ /' <<< "$redo"
    eval "$redo" > redo.out
    jid=${jid:-}
    mid=$(tail -1 redo.out | awk '{print $NF}')
    jobs_+=("$jid" "$mid")
    if wait_end "$mid" 120 && only "$mid" COMPLETED; then
        ok "redo of task 2 + merge COMPLETED"
    else
        bad "redo: task '$(states "$jid")', merge '$(states "$mid")'"
        show llmcost-"$jid"_2.out llmcost-merge-"$mid".out
    fi
    [ -z "$(ls ./*shard*-of-1.h5 2> /dev/null)" ] && [ -f b.shard2-of-4.h5 ] &&
        ok "the redo computed shard 2 of 4 only (no shard0-of-1)" || bad "redo wrote: $(ls ./*shard*)"
    same ref_a.h5 b.h5 "failed task redone + merge"
else
    bad "the merge printed no redo command for task 2"
    show "$ml"
fi

# 3. the MPI job: 2 ranks; the script picks srun --mpi=pmix under MpiDefault=none
jm=$(sbatch --parsable -n 2 sweeps/slurm/sweep-mpi.sbatch a.ini -o m.h5)
jobs_+=("$jm")
if wait_end "$jm" 120 && only "$jm" COMPLETED && grep -q 'srun --mpi=pmix' llmcost-"$jm".out; then
    ok "MPI job, 2 ranks, srun --mpi=pmix (MpiDefault=none): COMPLETED"
else
    bad "MPI job: '$(states "$jm")'"
    show llmcost-"$jm".out
fi
same ref_a.h5 m.h5 "MPI job"
# 3b. ranks per node (-N 1 --ntasks-per-node=2: the script sets no --ntasks
# that would cap it at 1), writing the netCDF-4 classic model through
# parallel HDF5
build/llmcost sweep a.ini -o ref_ac.h5 -q --netcdf-classic || bad "serial classic run of a.ini"
jn=$(sbatch --parsable -N 1 --ntasks-per-node=2 sweeps/slurm/sweep-mpi.sbatch a.ini -o mc.h5 --netcdf-classic)
jobs_+=("$jn")
if wait_end "$jn" 120 && only "$jn" COMPLETED && grep -q ' 2 ranks x 1 threads on 1 node(s), srun --mpi=pmix' llmcost-"$jn".out; then
    ok "MPI job -N 1 --ntasks-per-node=2: 2 ranks, COMPLETED"
else
    bad "MPI job -N 1 --ntasks-per-node=2: '$(states "$jn")'"
    show llmcost-"$jn".out
fi
same ref_ac.h5 mc.h5 "MPI job, netCDF-4 classic model"
if [ -f mc.h5 ] && nccopy -k nc7 mc.h5 mc7.nc 2> nccopy.err; then
    ok "MPI classic file: nccopy -k nc7 converts it"
else
    bad "MPI classic file: nccopy -k nc7: $(head -c 300 nccopy.err 2> /dev/null)"
fi

# 4 + 5: a sweep long enough to be stopped; its two shards as two jobs
cat > s.ini << 'EOF'
[sweep]
name = check-slurm stop and requeue
output = s.h5
compression = shuffle+deflate:9
chunk_kib = 256
[axes]
params = log 1e9 2e12 96
tokens = log 1e11 3e13 256
gpu = A100, H100, H200, B200, MI300X
util = lin 0.3 0.6 7
price_hour = lin 1 6 11
[inputs]
gpus = 16k
[outputs]
store = pretrain_cost
EOF
# CPU time of the serial run: the reaped children's user + system ticks
# (/proc/PID/stat fields 16 and 17) before and after
c0=$(awk '{print $16 + $17}' /proc/$$/stat)
build/llmcost sweep s.ini -o ref_s.h5 -q --threads 1 || { bad "serial run of s.ini"; exit 1; }
c1=$(awk '{print $16 + $17}' /proc/$$/stat)
cpu=$(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz }')
# slow enough that each shard (half the CPU time) lasts ~50 s, past the
# time-limit signal: with --time=1 --signal=B:USR1@20 Slurm sends it at its
# first periodic check (every 30 s) once 60 - 20 - 30 = 10 s have passed,
# so 10 to 40 s after the start (slow_llmcost.sh runs the start at full
# speed, so the .partial exists by then)
# (SLOW=k slowed a shard ~1.3k times on the quiet machine, an MPI rank
# ~1.6k times; ~3k and ~5k under a load of 4: measured here)
slow=$(awk -v c="$cpu" 'BEGIN { s = int(80 / (c > 0.05 ? c : 0.05)) + 1; if (s < 4) s = 4; if (s > 400) s = 400; print s }')
slow_mpi=$slow
echo "    s.ini: $cpu CPU-s serially (1 thread); SLOW=$slow for 4 and 5, $slow_mpi for 6"
export LLMCOST_REAL=$W/build/llmcost SLOW=$slow
jt=$(LLMCOST=$ROOT/tests/slurm/slow_llmcost.sh sbatch --parsable --array=0 --time=1 --signal=B:USR1@20 \
    sweeps/slurm/sweep-array.sbatch s.ini 2)
jr=$(LLMCOST=$ROOT/tests/slurm/slow_llmcost.sh sbatch --parsable --array=1 \
    sweeps/slurm/sweep-array.sbatch s.ini 2)
ms=$(sbatch --parsable --dependency=afterany:$jt:$jr sweeps/slurm/merge.sbatch s.h5 2 s.ini)
# 6: the MPI job at its time limit (each rank does half the work)
jmt=$(LLMCOST=$ROOT/tests/slurm/slow_llmcost.sh LLMCOST_REAL=$W/build-mpi/llmcost SLOW=$slow_mpi sbatch --parsable -n 2 \
    --time=1 --signal=B:USR1@20 sweeps/slurm/sweep-mpi.sbatch s.ini -o sm.h5)
jobs_+=("$jt" "$jr" "$ms" "$jmt")
lm=llmcost-$jmt.out
lt=llmcost-${jt}_0.out
lr=llmcost-${jr}_1.out
# 5: requeue task 1 once it has written something
for ((i = 0; i < 300; i++)); do # (on a 1-CPU node it starts after task 0)
    [ -s s.shard1-of-2.h5.partial.journal ] && break
    sleep 0.5
done
sleep 2
scontrol requeue "${jr}_1" && ok "scontrol requeue ${jr}_1 (running, journal written)" ||
    bad "scontrol requeue ${jr}_1 refused"
# a requeued job waits ~2 min (Reason=BeginTime): release it after 5 s (not
# at once: slurmd refuses a relaunch within a second of the revoked one, "Job
# credential revoked"), and
# give the time-limited task the time to finish on its second attempt
released_r=0
released_t=0
released_m=0
ended() { [ -n "$(states "$1" | grep -vE 'PENDING|RUNNING|COMPLETING|CONFIGURING')" ]; }
for ((i = 0; i < 600 && (released_r + released_t + released_m < 3); i++)); do
    if [ $released_r = 0 ] && [ "$(states "${jr}_1")" = "PENDING " ]; then
        scontrol update JobId="${jr}_1" StartTime=now+5 && released_r=1
    fi
    if [ $released_t = 0 ] && [ "$(states "${jt}_0")" = "PENDING " ] && grep -q 'time limit near' "$lt" 2> /dev/null; then
        scontrol update JobId="${jt}_0" TimeLimit=10 StartTime=now+5 && released_t=1
    fi
    if [ $released_m = 0 ] && [ "$(states "$jmt")" = "PENDING " ] && grep -q 'time limit near' "$lm" 2> /dev/null; then
        scontrol update JobId="$jmt" TimeLimit=10 StartTime=now+5 && released_m=1
    fi
    # ended without being requeued: nothing more to release
    [ $released_r = 0 ] && ended "$jr" && released_r=2
    [ $released_t = 0 ] && ended "$jt" && released_t=2
    [ $released_m = 0 ] && ended "$jmt" && released_m=2
    sleep 0.5
done
wait_end "$ms" 300
wait_end "$jmt" 300
if only "$jt" COMPLETED && grep -q 'attempt 1,' "$lt" && grep -q 'time limit near: llmcost stopped (exit 143); requeueing' "$lt" &&
    grep -q 'attempt 2,' "$lt" && grep -q 'resuming s.shard0-of-2.h5.partial' "$lt"; then
    ok "time limit: B:USR1 -> llmcost exit 143 -> requeued -> resumed -> COMPLETED; one log, both attempts"
else
    bad "time limit: '$(states "$jt")'"
    show "$lt"
fi
if only "$jr" COMPLETED && grep -q 'interrupted: s.shard1-of-2.h5.partial' "$lr" && grep -q 'attempt 2,' "$lr" &&
    grep -q 'resuming s.shard1-of-2.h5.partial' "$lr"; then
    ok "scontrol requeue: clean stop -> back -> resumed -> COMPLETED; one log, both attempts"
else
    bad "requeue: '$(states "$jr")'"
    show "$lr"
fi
only "$ms" COMPLETED && ok "merge of the stopped and requeued shards COMPLETED" ||
    { bad "merge: '$(states "$ms")'"; show llmcost-merge-"$ms".out; }
same ref_s.h5 s.h5 "time limit + requeue + merge"
if only "$jmt" COMPLETED && grep -q 'time limit near: llmcost stopped (exit 143); requeueing' "$lm" &&
    grep -q 'attempt 2,' "$lm" && grep -q 'resuming sm.h5.partial' "$lm"; then
    ok "MPI time limit: B:USR1 -> ranks SIGTERM via Slurm -> exit 143 -> requeued -> resumed -> COMPLETED"
else
    bad "MPI time limit: '$(states "$jmt")'"
    show "$lm"
fi
same ref_s.h5 sm.h5 "MPI time limit + requeue"

echo "check-slurm: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
