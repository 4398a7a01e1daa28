#!/bin/sh
# fig_pareto.sh - figure: the Pareto front of pretraining cost against
# training days (and cluster size) for the article's GPT-3, GPT-4 and GPT-4
# Turbo on frontier.ini's GPUs (sweeps/fig_pareto.ini, one sweep per model:
# its `pareto =` question) -> $OUT/pareto.png.  The front is read from the
# file's /pareto group with h5py (python3-h5py, in .ci/debian-packages).
. "$(dirname "$0")/common.sh"
PY=${PY:-/usr/bin/python3}
for m in "gpt3 175B 500B" "gpt4 1.8T 13T" "gpt4t 1.776T 13T"; do
    set -- $m
    sed -e "s/^params   = .*/params   = $2/" -e "s/^tokens   = .*/tokens   = $3/" \
        "$ROOT/sweeps/fig_pareto.ini" > "$DATA/fig_pareto_$1.ini"
    "$LLMCOST" sweep "$DATA/fig_pareto_$1.ini" -o "$DATA/fig_pareto_$1.h5" --force --quiet || exit 1
    "$PY" - "$DATA/fig_pareto_$1.h5" "$DATA/pareto_$1" <<'PYEOF' || { echo "fig_pareto.sh: reading $DATA/fig_pareto_$1.h5 failed (needs python3-h5py)" >&2; exit 1; }
import sys
import h5py
import numpy as np
f = h5py.File(sys.argv[1], "r")
p = f["pareto"]
with open(sys.argv[2] + ".front", "w") as o:  # days cost gpus gpu, by cluster size then GPU
    rows = sorted(zip(p["train_days"][...], p["pretrain_cost"][...], p["gpus_objective"][...],
                      [x.decode() if isinstance(x, bytes) else str(x) for x in p["gpu"][...]]),
                  key=lambda r: (r[3], r[2]))
    last = None
    for d, c, g, n in rows:
        if last is not None and n != last:
            o.write("\n")  # a new GPU: a new line in the plot
        o.write("%.17g %.17g %.17g %s\n" % (d, c, g, n))
        last = n
with open(sys.argv[2] + ".all", "w") as o:   # every configuration: days cost
    days = f["train_days"][...]
    cost = np.broadcast_to(f["pretrain_cost"][...][..., None], days.shape) if f["pretrain_cost"].ndim < days.ndim else f["pretrain_cost"][...]
    for d, c in zip(days.ravel(), cost.ravel()):
        o.write("%.17g %.17g\n" % (d, c))
PYEOF
done
render pareto.gp pareto "d='$DATA'"
