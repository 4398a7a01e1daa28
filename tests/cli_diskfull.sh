#!/bin/sh
# cli_diskfull.sh - `llmcost sweep` (and slice -o) on a disk that fills up
# (issue 7).  A sweep that hits ENOSPC or EFBIG must say so, exit non-zero
# (1, not a signal), leave no final file - only FILE.partial, which
# `sweep --resume` completes once there is room - and a sweep that cannot
# fit must be refused up front (exit 2) unless --force.
#
# The small disk is a 2 MiB tmpfs when this runs as root and mount works;
# otherwise (unprivileged, or a container without CAP_SYS_ADMIN) the file
# size limit of the shell (ulimit -f, with SIGXFSZ ignored so write()
# fails with EFBIG instead of killing the process) stands in for it.
# Env: LLMCOST (binary), BUILD (scratch dir).
set -u
LLMCOST=${LLMCOST:-build/llmcost}
BUILD=${BUILD:-build}
case "$LLMCOST" in /*) ;; *) LLMCOST="$PWD/$LLMCOST" ;; esac
top=$PWD
mkdir -p "$BUILD"
dir=$(mktemp -d "$PWD/$BUILD/cli_diskfull.XXXXXX") || exit 1
mnt="$dir/small"
mkdir "$mnt"
mounted=0
cleanup() {
    [ "$mounted" = 1 ] && umount "$mnt" 2> /dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM HUP
cd "$dir" || exit 1
fail=0

ok() { echo "ok $*"; }
bad() { echo "FAIL $*"; [ -f err ] && sed 's/^/    /' err | cut -c 1-300 | head -n 8; fail=1; }

# 64 x 64 x 64 = 262144 points of one float64 output, all three axes: 2 MiB
cat > big.ini <<'EOF'
[sweep]
name = disk full test
output = big.h5
[axes]
params = log 1e9 1e12 64
users = log 1e5 1e8 64
tokens_per_user = log 1e5 1e7 64
[outputs]
store = sub_profit
reduce = sub_profit
EOF

# the same grid in 32 chunks of 64 KiB, flushed (and journaled) every
# millisecond, so that a disk filling up finds flushed chunks to keep
sed 's/^\[sweep\]/[sweep]\nchunk_kib = 64/' big.ini > big64.ini
printf '[axes]\nparams = 7B, 70B\nusers = 1k, 1M\n[outputs]\nstore = sub_profit\n' > tiny.ini

# a reference run on the real disk, for the resumed file to equal
"$LLMCOST" sweep big.ini -o ref.h5 --quiet 2> err || bad "reference sweep"
"$LLMCOST" sweep big64.ini -o ref64.h5 --quiet 2> err || bad "reference sweep (64 KiB chunks)"

no_final() {  # $1 = output path: no final file may exist
    if [ -e "$1" ]; then bad "$2: a final file $1 was left"; return 1; fi
    return 0
}

if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=2m tmpfs "$mnt" 2> /dev/null; then
    mounted=1
    echo "# disk: tmpfs of 2 MiB at $mnt"
    # 1. refused up front: it cannot fit (exit 2, nothing written)
    "$LLMCOST" sweep big.ini -o "$mnt/big.h5" --quiet > out 2> err
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q "free" err && [ -z "$(ls "$mnt")" ]; then
        ok "sweep that cannot fit is refused: $(head -c 150 err)"
    else
        bad "free-space check: exit $rc, files: $(ls "$mnt")"
    fi
    # 2. --force skips the check: the disk fills while writing (3 trials:
    #    the failure falls at another chunk each time)
    for trial in 1 2 3; do
        LLMCOST_FLUSH_SECONDS=0.001 "$LLMCOST" sweep big64.ini -o "$mnt/big.h5" --force --quiet > out 2> err
        rc=$?
        if [ "$rc" -ne 1 ]; then
            bad "ENOSPC: exit $rc (want 1)"
        elif ! grep -q "No space left on device" err; then
            bad "ENOSPC: the message does not say the disk is full"
        elif grep -q "no chunk had been flushed yet, so no .partial and no journal are kept" err; then
            # the disk filled before the first flush (timing): nothing may be left
            if ls "$mnt"/big.h5* > /dev/null 2>&1; then
                bad "ENOSPC before the first flush left $(ls "$mnt")"
            else
                ok "ENOSPC trial $trial before the first flush: exit 1, nothing left behind"
            fi
            continue
        elif [ "$(wc -l < err)" -ne 1 ] || ! grep -qE "big.h5.partial failed: No space left on device \(the .partial is kept with [1-9][0-9]* of 32 chunks, those flushed before the failure: free space and run again with --resume\)" err; then
            bad "ENOSPC: not the one-line message saying how many chunks are kept"
        elif no_final "$mnt/big.h5" ENOSPC && [ -f "$mnt/big.h5.partial" ]; then
            ok "ENOSPC trial $trial: exit 1, $(sed 's/.*(the/(the/' err | cut -c 1-50)..., only big.h5.partial left"
        else
            bad "ENOSPC: no .partial left ($(ls "$mnt"))"
        fi
        # 3. room again: --resume continues from the kept chunks (it does
        #    not start over) into the file a run without the failure gives
        if [ -f "$mnt/big.h5.partial" ]; then
            kept=$(sed -n 's/.*kept with \([0-9]*\) of 32.*/\1/p' err)
            mount -o remount,size=16m "$mnt"
            "$LLMCOST" sweep big64.ini -o "$mnt/big.h5" --resume > out 2> err
            rc=$?
            if [ "$rc" -ne 0 ] || [ ! -f "$mnt/big.h5" ] || [ -e "$mnt/big.h5.partial" ]; then
                bad "resume after ENOSPC: exit $rc, files: $(ls "$mnt")"
            elif ! grep -q "resuming $mnt/big.h5.partial: $kept of 32 chunks already done" err; then
                bad "resume after ENOSPC did not continue from the $kept kept chunks"
            elif command -v h5diff > /dev/null && ! h5diff -d 0 ref64.h5 "$mnt/big.h5" /sub_profit /sub_profit > err 2>&1; then
                bad "resume after ENOSPC: sub_profit differs from an uninterrupted run"
            else
                ok "resume after ENOSPC continues from $kept of 32 chunks, sub_profit equal to an uninterrupted run"
            fi
        fi
        rm -f "$mnt"/*
        mount -o remount,size=2m "$mnt" || bad "remount at 2 MiB"
    done
    # 3b. a tiny sweep on a disk already full: nothing was flushed, so
    #     nothing is left behind (no .partial, no journal)
    head -c 3000000 /dev/zero > "$mnt/filler" 2> /dev/null
    "$LLMCOST" sweep tiny.ini -o "$mnt/tiny.h5" --force --quiet > out 2> err
    rc=$?
    if [ "$rc" -eq 1 ] && grep -q "No space left on device" err &&
       [ "$(ls "$mnt")" = filler ]; then
        ok "tiny sweep on a full disk: exit 1, nothing left behind: $(head -c 200 err)"
    else
        bad "tiny sweep on a full disk: exit $rc, files: $(ls "$mnt" | tr '\n' ' ')"
    fi
    rm -f "$mnt"/*
    # 4. slice -o onto the full disk: an error, not a short file
    if [ -f ref.h5 ]; then
        head -c 3000000 /dev/zero > "$mnt/filler" 2> /dev/null
        "$LLMCOST" slice ref.h5 sub_profit --x params --y users --at tokens_per_user=1e6 \
            -o "$mnt/slice.txt" > out 2> err
        rc=$?
        if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && grep -q "No space left on device" err &&
           [ ! -e "$mnt/slice.txt" ]; then
            ok "slice -o on a full disk: exit $rc, no short slice.txt: $(tail -n 1 err | head -c 200)"
        else
            bad "slice -o on a full disk: exit $rc"
        fi
        rm -f "$mnt"/*
    fi
    umount "$mnt" && mounted=0
else
    echo "# no tmpfs (not root or mount not allowed): file size limit only"
fi

# 5. a file size limit (EFBIG): the same contract without a mount
(
    trap '' XFSZ
    ulimit -f 1024   # 1024 blocks of 512 bytes: 512 KiB
    LLMCOST_FLUSH_SECONDS=0.001 exec "$LLMCOST" sweep big64.ini -o fsize.h5 --force --quiet > out 2> err
)
rc=$?
if [ "$rc" -ne 1 ]; then
    bad "EFBIG: exit $rc (want 1)"
elif ! grep -q "File too large" err; then
    bad "EFBIG: the message does not say the file is too large"
elif grep -q "no chunk had been flushed yet, so no .partial and no journal are kept" err; then
    # the limit came before the first flush (timing): nothing may be left
    if ls fsize.h5* > /dev/null 2>&1; then
        bad "EFBIG before the first flush left $(ls fsize.h5*)"
    else
        ok "EFBIG before the first flush: exit 1, nothing left behind"
    fi
elif [ "$(wc -l < err)" -ne 1 ] || ! grep -qE "writing fsize.h5.partial failed: File too large \(the .partial is kept with [1-9][0-9]* of 32 chunks" err; then
    bad "EFBIG: not the one-line message saying how many chunks are kept"
elif no_final fsize.h5 EFBIG && [ -f fsize.h5.partial ]; then
    ok "EFBIG: exit 1, 'File too large', only fsize.h5.partial left"
    kept=$(sed -n 's/.*kept with \([0-9]*\) of 32.*/\1/p' err)
    "$LLMCOST" sweep big64.ini -o fsize.h5 --resume > out 2> err
    if [ "$?" -ne 0 ] || ! grep -q "resuming fsize.h5.partial: $kept of 32 chunks already done" err; then
        bad "resume after EFBIG did not continue from the $kept kept chunks"
    elif command -v h5diff > /dev/null && ! h5diff -d 0 ref64.h5 fsize.h5 /sub_profit /sub_profit > err 2>&1; then
        bad "resume after EFBIG: sub_profit differs from an uninterrupted run"
    else
        ok "resume after EFBIG continues from $kept of 32 chunks, equal to an uninterrupted run"
    fi
else
    bad "EFBIG: no .partial left"
fi
# 6. a tiny sweep over the file size limit before anything was flushed:
#    nothing is left behind, and the message says so
(
    trap '' XFSZ
    ulimit -f 4
    exec "$LLMCOST" sweep tiny.ini -o tinyf.h5 --force --quiet > out 2> err
)
rc=$?
if [ "$rc" -eq 1 ] && grep -q "no .partial and no journal are kept" err &&
   ! ls tinyf.h5* > /dev/null 2>&1; then
    ok "tiny sweep over the size limit: exit 1, nothing left behind"
else
    bad "tiny sweep over the size limit: exit $rc, files: $(ls tinyf.h5* 2> /dev/null | tr '\n' ' ')"
fi
exit $fail
