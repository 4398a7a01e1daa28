#!/bin/sh
# cli_shard.sh - job-array mode (issue 6): 'llmcost sweep SPEC --shard K/N'
# writes shard K's chunks into its own file (K from SLURM_ARRAY_TASK_ID when
# only N is given); 'llmcost merge' stitches the shards into a file whose
# values equal a serial run's bit for bit (tests/cluster_cmp.py).  Refused
# with exit 2 and a clear message: a missing shard (named), a shard given
# twice, a shard of a different spec (the change named), an incomplete
# shard (.partial), an existing output without --force.  Also more shards
# than chunks (empty shards), and a compact + broadcast layout.
set -u
. "$(dirname "$0")/lib_cli.sh"
cli_tmpdir cli_shard
refused() { # NAME PHRASE ARGS...: exit 2, PHRASE in stderr, no output left
    name=$1 phrase=$2
    shift 2
    rm -f m.h5 m.h5.partial
    "$LLMCOST" "$@" > out 2> err
    rc=$?
    if [ "$rc" -eq 2 ] && grep -qF -- "$phrase" err && [ ! -e m.h5 ] && [ ! -e m.h5.partial ]; then
        ok "$name: $(cat err)"
    else bad "$name: exit $rc, stderr: $(cat err)"; fi
}

cat > s.ini <<'INI'
[sweep]
name = shard test
output = s.h5
chunk_kib = 32
compression = shuffle+deflate:1
[axes]
params = log 1e9 2e12 64
tokens = log 1e11 3e13 64
gpu = A100, H100, B200
util = lin 0.3 0.6 7
price_hour = lin 1 6 5
[inputs]
gpus = 16k
[outputs]
store = pretrain_cost, train_days, pretrain_flop
reduce = pretrain_cost, train_days, pretrain_cost where train_days <= 90 and price_hour <= 2
count = train_days < 90, train_days < 90 and util >= 0.45
top = 20 pretrain_cost where train_days <= 90 and params >= 70B
pareto = pretrain_cost, -tokens, -params where train_days <= 365
frontier = pretrain_cost = 1M along tokens
INI
"$LLMCOST" sweep s.ini -o ref.h5 -q || { echo "FAIL reference run"; exit 1; }

# shards 0 and 2 by number, shard 1 as a Slurm array task would run it
"$LLMCOST" sweep s.ini --shard 0/3 -q && "$LLMCOST" sweep s.ini --shard 2/3 -q &&
    SLURM_ARRAY_TASK_ID=1 "$LLMCOST" sweep s.ini --shard 3 -q
rc=$?
if [ "$rc" -eq 0 ] && [ -f s.shard0-of-3.h5 ] && [ -f s.shard1-of-3.h5 ] && [ -f s.shard2-of-3.h5 ]; then
    ok "three shards written (one with K from SLURM_ARRAY_TASK_ID)"
else bad "shards: exit $rc, files: $(ls)"; fi
ls -l ref.h5 s.shard*.h5 | awk '{print "  " $5, $9}'

# merge, shards in any order
"$LLMCOST" merge s.h5 s.shard2-of-3.h5 s.shard0-of-3.h5 s.shard1-of-3.h5 2> merge.err
rc=$?
cat merge.err
if [ "$rc" -eq 0 ] && $CMP ref.h5 s.h5 > cmp.out; then ok "merged == serial, bit for bit"
else bad "merge: exit $rc, $(cat cmp.out 2> /dev/null)"; fi
"$PY" -c "import h5py,sys; f=h5py.File('s.h5','r'); sys.exit('shard' in f.attrs or 'summary' not in f)" &&
    ok "merged file: no shard attribute, full-grid /summary" || bad "merged file attributes"

# refusals
refused "missing shard named" "1 of 3 shards missing (shard 1)" merge m.h5 s.shard0-of-3.h5 s.shard2-of-3.h5
refused "shard given twice" "given twice" merge m.h5 s.shard0-of-3.h5 s.shard0-of-3.h5 s.shard2-of-3.h5
sed 's/^util = lin 0.3 0.6 7/util = lin 0.3 0.6 8/' s.ini > s2.ini
"$LLMCOST" sweep s2.ini -o other.h5 --shard 1/3 -q
refused "shard of another spec" "util: 'lin 0.3 0.6 7' -> 'lin 0.3 0.6 8'" \
    merge m.h5 s.shard0-of-3.h5 other.shard1-of-3.h5 s.shard2-of-3.h5
"$LLMCOST" sweep s.ini --shard 1/3 --compression deflate:2 -o opt.h5 -q
refused "shard with other options" "setting compression" \
    merge m.h5 s.shard0-of-3.h5 opt.shard1-of-3.h5 s.shard2-of-3.h5
"$LLMCOST" sweep s.ini --shard 1/4 -o four.h5 -q
refused "shard of another split" "all shards must come from one --shard K/N split" \
    merge m.h5 s.shard0-of-3.h5 four.shard1-of-4.h5 s.shard2-of-3.h5
cp s.shard1-of-3.h5 s.shard1-of-3.h5.partial
refused "incomplete shard" "incomplete" merge m.h5 s.shard0-of-3.h5 s.shard1-of-3.h5.partial s.shard2-of-3.h5
refused "not a shard" "not a shard" merge m.h5 ref.h5
refused "bad --shard" "shard 3 does not exist" sweep s.ini --shard 3/3
refused "--shard N without SLURM_ARRAY_TASK_ID" "SLURM_ARRAY_TASK_ID" sweep s.ini --shard 3
"$LLMCOST" merge s.h5 s.shard0-of-3.h5 s.shard1-of-3.h5 s.shard2-of-3.h5 > out 2> err
[ $? -eq 2 ] && grep -q "exists" err && ok "existing output: exit 2 without --force" || bad "merge over an existing file: $(cat err)"

# more shards than chunks: most shards are empty, the merge is still exact
cat > tiny.ini <<'INI'
[sweep]
output = t.h5
chunk_kib = 1
layout = broadcast
[axes]
params = 7B, 70B, 175B
gpu = A100, H100
users = log 1e4 1e8 40
[inputs]
tokens = chinchilla
[outputs]
store = pretrain_cost, sub_profit, breakeven_users
reduce = sub_profit, breakeven_users
count = sub_profit > 0
INI
"$LLMCOST" sweep tiny.ini -o tref.h5 -q
list=""
k=0
while [ $k -lt 16 ]; do
    "$LLMCOST" sweep tiny.ini --shard $k/16 -q || bad "tiny shard $k"
    list="$list t.shard$k-of-16.h5"
    k=$((k + 1))
done
"$LLMCOST" merge t.h5 $list -q && $CMP tref.h5 t.h5 > cmp.out && ok "16 shards of a 3-chunk broadcast sweep merge exactly" ||
    bad "tiny merge: $(cat cmp.out)"

[ "$fails" -eq 0 ] && echo "cli_shard: all passed" || echo "cli_shard: $fails failed"
[ "$fails" -eq 0 ]
