#!/bin/sh
# cli_spec_errors.sh - `llmcost sweep` on bad specs: exit status 2, one line
# "llmcost sweep: FILE:LINE: message" naming what was expected, and no output
# file (not even a .partial) left behind.  The parser's own cases are in
# tests/test_spec.c; this checks the CLI passes them through unchanged.
set -u
LLMCOST=${LLMCOST:-build/llmcost}
case "$LLMCOST" in /*) ;; *) LLMCOST="$PWD/$LLMCOST" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir sweeps
fail=0

# expect FILE-TEXT LINE PHRASE
expect() {
    printf '%b' "$1" > sweeps/x.ini
    "$LLMCOST" sweep sweeps/x.ini --quiet > out.txt 2> err.txt
    rc=$?
    if [ "$rc" -ne 2 ]; then
        echo "FAIL: exit $rc (want 2) for: $1"; cat err.txt; fail=1; return
    fi
    if ! grep -qF "sweeps/x.ini:$2: $3" err.txt; then
        echo "FAIL: want 'sweeps/x.ini:$2: $3' in:"; cat err.txt; fail=1; return
    fi
    if ls x.h5 x.h5.partial > /dev/null 2>&1; then
        echo "FAIL: output file left for: $1"; fail=1; return
    fi
    echo "ok $(cat err.txt)"
}

expect '[axes]\nparams = 7B, 70B\nparms = 1\n' 3 "unknown input 'parms' (did you mean 'params'?)"
expect '[sweep]\nname = x\n[axis]\nparams = 7B\n' 3 "unknown section [axis] (did you mean 'axes'?)"
expect '[axes]\ntokens = log 0 1e13 10\n' 2 "axis 'tokens': a log range needs START and STOP > 0"
expect '[axes]\nutil = 0.5, 1.5\n' 2 "util: 1.5 is out of range"
expect '[axes]\nparams = 7B\n[inputs]\nparams = 1B\n' 4 "input 'params' is given both as an axis (line 2)"
expect '[sweep]\nthreads = 1\nthreads = 2\n' 3 "duplicate key 'threads'"
expect '[outputs]\ncount = sub_profit = 0\n' 2 "condition 'sub_profit = 0': expected OUTPUT <|<=|>|>= NUMBER"
expect '[outputs]\nstore = pretrain_cots\n' 2 "unknown output 'pretrain_cots' (did you mean 'pretrain_cost'?)"
expect '[axes]\ngpu = A100, H10\n' 2 "unknown GPU 'H10' (did you mean 'H100'?)"
expect '[axes]\nserving = compute, fast\n' 2 "serving: 'fast' is not a number (expected a number, compute or roofline)"
expect '[inputs]\ntp = -1\n' 2 "tp: -1 is out of range"
expect '[sweep]\ncompression = zstd\n' 2 "unknown compression 'zstd'"
expect '[axes]\nparams = log 1e9 1e12 1000000\ntokens = log 1e9 1e12 1000000\nusers = lin 1 1e6 1000000\nsubscription = lin 1 100 1000000\n' 5 "the grid has more than 2^64 points at axis 'subscription'"

# a good spec still works from the same directory
printf '[axes]\nparams = 7B, 70B\n' > sweeps/ok.ini
if ! "$LLMCOST" sweep sweeps/ok.ini --quiet > /dev/null 2> err.txt || [ ! -f ok.h5 ]; then
    echo "FAIL: good spec"; cat err.txt; fail=1
else
    echo "ok good spec writes ok.h5 (output defaults to the spec's name)"
fi
exit $fail
