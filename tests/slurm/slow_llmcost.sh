#!/bin/bash
# slow_llmcost.sh ARGS... - run $LLMCOST_REAL ARGS at about 1/SLOW of its
# speed (SIGSTOP/SIGCONT duty cycle: 20 ms running, 20*(SLOW-1) ms stopped),
# for tests/slurm/run.sh: a sweep of a few CPU-seconds then outlasts Slurm's
# 30 s time-limit check without a big file or minutes of CPU.  The shipped
# scripts run it through their LLMCOST variable, unchanged.  SIGTERM/SIGINT
# end the throttling and reach llmcost at once; the exit status is
# llmcost's.
real=${LLMCOST_REAL:?set LLMCOST_REAL to the llmcost binary}
slow=${SLOW:-10}
off=$(awk -v s="$slow" 'BEGIN { printf "%.3f", 0.02 * (s - 1) }')
"$real" "$@" &
pid=$!
done_=0
pass() { done_=1; kill -CONT "$pid" 2> /dev/null; kill -"$1" "$pid" 2> /dev/null; }
trap 'pass TERM' TERM
trap 'pass INT' INT
while [ "$done_" = 0 ] && kill -0 "$pid" 2> /dev/null; do
    sleep 0.02
    [ "$done_" = 0 ] || break
    kill -STOP "$pid" 2> /dev/null
    sleep "$off"
    kill -CONT "$pid" 2> /dev/null
done
kill -CONT "$pid" 2> /dev/null
while :; do
    wait "$pid"
    rc=$?
    kill -0 "$pid" 2> /dev/null || break
done
exit "$rc"
