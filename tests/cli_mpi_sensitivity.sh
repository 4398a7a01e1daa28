#!/bin/sh
# cli_mpi_sensitivity.sh - 'mpirun -np K llmcost sensitivity SPEC' (issue 6):
# the ranks split the evaluation blocks and the bootstrap resamples by index
# arithmetic and gather them in index order, so every statistic, index and
# interval equals the serial build's bit for bit.  Compares, with the serial
# binary ($LLMCOST) as the reference, on sweeps/sensitivity_gpt4.ini (every
# method, seed 7): the --json output byte for byte (all but "seconds", the
# wall time) and the HDF5 file (every dataset and attribute, bit for bit:
# tests/cluster_cmp.py, and h5diff when installed) for the MPI build as a
# singleton and under mpirun -np 2 and -np 3; a sample count that is not a
# multiple of the 512-point block (uneven shares, a rank with no block) with
# second-order indices; --tsv; the table printed once; an input error and a
# refused output give the serial exit status; one rank failing on its input
# stops every rank (no rank left waiting in a collective).
# Builds build-mpi/ itself (make MPI=1 BUILD=build-mpi) when mpicc, mpirun
# and hdf5-openmpi are installed, else prints SKIP and passes.
set -u
. "$(dirname "$0")/lib_cli.sh"
SPEC="$ROOT/sweeps/sensitivity_gpt4.ini"
mpi_build cli_mpi_sensitivity
cli_tmpdir cli_mpi_sens
# the JSON without its one run-dependent field (the wall time)
nosec() { sed 's/"seconds": [^,]*,/"seconds": -,/' "$1"; }
same_json() { # NAME REF OUT
    nosec "$2" > ref.cut
    nosec "$3" > out.cut
    if [ -s ref.cut ] && cmp -s ref.cut out.cut; then ok "$1"; else
        bad "$1: $(diff ref.cut out.cut | head -c 400)"; fi
}
same_h5() { # NAME REF OUT
    if ! $CMP "$2" "$3" > cmp.out 2>&1; then bad "$1: $(cat cmp.out)"; return; fi
    if command -v h5diff > /dev/null 2>&1 && ! h5diff "$2" "$3" > h5diff.out 2>&1; then
        bad "$1: h5diff: $(head -5 h5diff.out)"; return
    fi
    ok "$1"
}

ARGS="--seed 7 --json --store-samples"
"$LLMCOST" sensitivity "$SPEC" $ARGS -o ref.h5 > ref.json || { echo "FAIL serial reference"; exit 1; }
# the reference must hold every method's numbers, so that equal means equal
if ! $PY - ref.json ref.h5 <<'EOF'
import json, sys, h5py, numpy as np
j = json.load(open(sys.argv[1]))
o = j["outputs"]["pretrain_cost"]
assert j["seed"] == 7 and j["evaluations"] > 100000, j["evaluations"]
assert all(m in o for m in ("mc", "tornado", "morris", "sobol")), list(o)
assert all(0 < s < 1 for s in o["sobol"]["S1"]), o["sobol"]["S1"]
assert all(lo < hi for lo, hi in zip(o["sobol"]["S1_low"], o["sobol"]["S1_high"]))
f = h5py.File(sys.argv[2], "r")
assert np.all(np.isfinite(f["sobol/S1"][()])) and f["samples/y"].shape == (3, 16384)
EOF
then echo "FAIL the serial reference lacks a method's numbers"; exit 1; fi

"$MPIBIN" sensitivity "$SPEC" $ARGS -o single.h5 > single.json &&
    same_json "MPI build as a singleton: --json == serial" ref.json single.json &&
    same_h5 "MPI build as a singleton: HDF5 == serial" ref.h5 single.h5
t0=$(date +%s.%N)
mpi 2 sensitivity "$SPEC" $ARGS -o two.h5 > two.json || bad "mpirun -np 2 exit status $?"
t1=$(date +%s.%N)
same_json "mpirun -np 2: --json == serial byte for byte" ref.json two.json
same_h5 "mpirun -np 2: HDF5 (samples, statistics, indices, intervals) == serial" ref.h5 two.h5
# one OpenMP thread per rank here: a different thread count, the same bits
OMP_NUM_THREADS=1 mpi 3 sensitivity "$SPEC" $ARGS -o three.h5 > three.json || bad "mpirun -np 3 exit status $?"
t2=$(date +%s.%N)
same_json "mpirun -np 3 (oversubscribed, 1 thread per rank): --json == serial" ref.json three.json
same_h5 "mpirun -np 3: HDF5 == serial" ref.h5 three.h5
echo "$t0 $t1 $t2" | awk '{printf "  times: -np 2 %.2f s, -np 3 %.2f s\n", $2 - $1, $3 - $2}'

# 1000 samples: 2 blocks of 512 points (the last one short), so -np 3 leaves
# a rank without a block; second-order Sobol indices and their intervals
A2="--seed 3 --samples 1000 --second-order --bootstrap 37 --method mc,sobol --replicates 2 --json"
"$LLMCOST" sensitivity "$SPEC" $A2 -o ref2.h5 > ref2.json || bad "serial --samples 1000"
grep -q '"S2": \[' ref2.json || bad "no second-order indices in the reference"
for np in 2 3; do
    mpi "$np" sensitivity "$SPEC" $A2 -o s2_$np.h5 > s2_$np.json
    same_json "mpirun -np $np, 1000 samples (uneven shares), second order: --json == serial" \
        ref2.json s2_$np.json
    same_h5 "mpirun -np $np, 1000 samples, second order: HDF5 == serial" ref2.h5 s2_$np.h5
done

# user formulas as outputs: every method over a formula of a formula (after
# the kernel outputs they use, per block on each rank), 1000 samples
# (uneven shares): the same bits as serial
cat > formula.ini <<'EOF'
[inputs]
params = 1.776T
tokens = 13T
subscription = 20
[formulas]
half = margin / 2
margin = sub_profit / (users * subscription) [1]
[distribution.util]
type = uniform
low = 0.3
high = 0.6
[distribution.users]
type = loguniform
low = 1M
high = 30M
[distribution.gpu]
type = choice
values = A100, H100
[sensitivity]
outputs = half, pretrain_cost, margin
EOF
A3="--seed 5 --samples 1000 --bootstrap 17 --json --store-samples"
"$LLMCOST" sensitivity formula.ini $A3 -o fref.h5 > fref.json || bad "serial formula spec"
grep -q '"half": {"unit": "", "formula": "margin / 2", "mc"' fref.json ||
    bad "the formula's statistics are missing from the serial reference"
for np in 2 3; do
    mpi "$np" sensitivity formula.ini $A3 -o f_$np.h5 > f_$np.json
    same_json "mpirun -np $np, formula outputs (every method): --json == serial" fref.json f_$np.json
    same_h5 "mpirun -np $np, formula outputs: HDF5 == serial" fref.h5 f_$np.h5
done

# --tsv, and the table: printed once (rank 0), the serial numbers
"$LLMCOST" sensitivity "$SPEC" --seed 7 --tsv > ref.tsv
mpi 2 sensitivity "$SPEC" --seed 7 --tsv > two.tsv
if [ -s ref.tsv ] && cmp -s ref.tsv two.tsv; then ok "mpirun -np 2: --tsv == serial"; else
    bad "--tsv differs: $(diff ref.tsv two.tsv | head -3)"; fi
"$LLMCOST" sensitivity "$SPEC" --seed 7 | grep -v "model evaluations in" > ref.txt
mpi 2 sensitivity "$SPEC" --seed 7 > two.txt
n=$(grep -c "^Monte Carlo," two.txt)
grep -v "model evaluations in" two.txt > two.cut
if [ "$n" -eq 1 ] && cmp -s ref.txt two.cut; then ok "table printed once by rank 0, same numbers as serial"
else bad "table printed $n times or differs from serial: $(diff ref.txt two.cut | head -3)"; fi

# errors: the serial exit status (each rank checks its input alike)
mpi 2 sensitivity "$SPEC" $ARGS -o two.h5 > /dev/null 2> exists.err
rc=$?
if [ "$rc" -eq 2 ] && grep -q "exists" exists.err && $CMP ref.h5 two.h5 > /dev/null 2>&1; then
    ok "existing output refused (exit 2), file untouched"
else bad "existing output: exit $rc, $(cat exists.err)"; fi
printf '[inputs]\ngpu = A100\n[distribution.params]\ntype = uniform\nlow = 2\n' > broken.ini
"$LLMCOST" sensitivity broken.ini > /dev/null 2> ser.err
src=$?
mpi 2 sensitivity broken.ini > /dev/null 2> two.err
rc=$?
if [ "$src" -eq 2 ] && [ "$rc" -eq "$src" ] && [ -s ser.err ]; then
    ok "input error: exit $rc like serial ($(head -1 ser.err))"
else bad "input error: serial exit $src, mpirun exit $rc: $(cat two.err)"; fi

# one rank cannot read its spec (a node-local path): the others must not
# wait for it in the analysis' collectives.  mpirun would end the job on the
# first non-zero exit anyway; srun need not, so that is switched off here
# (orte_abort_on_non_zero_status 0) and each rank's status is recorded.
for bad_rank in 0 1; do
    rm -f rc.0 rc.1
    timeout 60 mpirun --allow-run-as-root --oversubscribe --mca orte_abort_on_non_zero_status 0 \
        -np 2 sh -c "r=\$OMPI_COMM_WORLD_RANK
        if [ \"\$r\" = $bad_rank ]; then '$MPIBIN' sensitivity '$tmp/none.ini'
        else '$MPIBIN' sensitivity '$SPEC' --json; fi
        echo \$? > rc.\$r" > half.out 2> half.err
    rc=$?
    if [ "$rc" -ne 124 ] && [ "$(cat rc.0 rc.1 2> /dev/null | tr '\n' ' ')" = "2 2 " ] &&
       [ ! -s half.out ] && grep -q "none.ini" half.err; then
        ok "rank $bad_rank alone fails on its input: every rank exits 2, no hang, no output"
    else bad "rank $bad_rank alone fails: mpirun $rc (124: hung), ranks $(cat rc.0 rc.1 2> /dev/null | tr '\n' ' '), $(wc -c < half.out) bytes out"; fi
done

# a sweep with [uncertainty] bands under mpirun: the ranks split the sweep,
# rank 0 adds the bands; every band dataset equals the serial build's
"$LLMCOST" sweep "$ROOT/sweeps/bands_pretrain.ini" -o bands_ref.h5 --quiet ||
    bad "serial bands sweep"
mpi 2 sweep "$ROOT/sweeps/bands_pretrain.ini" -o bands_two.h5 --quiet || bad "mpirun -np 2 bands sweep exit $?"
if $PY - bands_ref.h5 bands_two.h5 <<'EOF'
import sys, h5py
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
names = [n for n in a if n.endswith(("_pct", "_mean", "_sd", "_nan_share"))] + ["percentile"]
assert len(names) == 9, names
for n in names:
    assert a[n][()].tobytes() == b[n][()].tobytes(), n
EOF
then ok "mpirun -np 2 sweep with [uncertainty]: every band == serial"
else bad "bands under mpirun differ from serial"; fi

[ "$fails" -eq 0 ] && echo "cli_mpi_sensitivity: all passed" || echo "cli_mpi_sensitivity: $fails failed"
[ "$fails" -eq 0 ]
