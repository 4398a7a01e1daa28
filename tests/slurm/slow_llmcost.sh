#!/bin/bash
# slow_llmcost.sh ARGS... - run $LLMCOST_REAL ARGS at about 1/SLOW of its
# speed, for tests/slurm/run.sh: a sweep of a few CPU-seconds then outlasts
# Slurm's 30 s time-limit check without a big file or minutes of CPU.  The
# shipped scripts run it through their LLMCOST variable, unchanged.
# A SIGSTOP/SIGCONT duty cycle on the wall clock: llmcost runs during the
# first 1/SLOW of every second and is stopped for the rest, so the MPI ranks
# (one wrapper each) run at the same moments and their collectives meet.
# The start runs at full speed until a .partial newer than the start
# appears in the working directory (at most 15 s): MPI_Init and creating
# the file then take ~1 s, not SLOW times that, so a time-limit signal that
# comes early (Slurm sends it up to 30 s before it is asked for) finds a
# .partial to resume.
# A requeued attempt (SLURM_RESTART_COUNT >= 1) runs at full speed: it
# only has to resume and finish (throttled, a resumed 2-rank job on a
# machine with a load of 8 took over 5 minutes).
# SIGTERM/SIGINT end the throttling and reach llmcost at once; the exit
# status is llmcost's.
real=${LLMCOST_REAL:?set LLMCOST_REAL to the llmcost binary}
[ "${SLURM_RESTART_COUNT:-0}" -ge 1 ] && exec "$real" "$@"
slow=${SLOW:-10}
on_ms=$((1000 / slow))
[ "$on_ms" -lt 5 ] && on_ms=5
mark=$(mktemp /tmp/slow_llmcost.XXXXXX)
"$real" "$@" &
pid=$!
done_=0
pass() { done_=1; kill -CONT "$pid" 2> /dev/null; kill -"$1" "$pid" 2> /dev/null; }
trap 'pass TERM' TERM
trap 'pass INT' INT
for ((i = 0; i < 300 && done_ == 0; i++)); do
    [ -n "$(find . -maxdepth 1 -name '*.partial' -newer "$mark" 2> /dev/null | head -1)" ] && break
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.05
done
rm -f "$mark"
ms() { local t; t=$(date +%s%N); echo $(((t / 1000000) % 1000)); }
while [ "$done_" = 0 ] && kill -0 "$pid" 2> /dev/null; do
    p=$(ms)
    if [ "$p" -lt "$on_ms" ]; then # running window: let it run to its end
        sleep "$(awk -v a="$on_ms" -v p="$p" 'BEGIN { printf "%.3f", (a - p) / 1000 }')"
    fi
    [ "$done_" = 0 ] || break
    kill -STOP "$pid" 2> /dev/null
    p=$(ms)
    sleep "$(awk -v p="$p" 'BEGIN { printf "%.3f", (1000 - p) / 1000 }')"
    kill -CONT "$pid" 2> /dev/null
done
kill -CONT "$pid" 2> /dev/null
while :; do
    wait "$pid"
    rc=$?
    kill -0 "$pid" 2> /dev/null || break
done
exit "$rc"
