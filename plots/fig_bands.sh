#!/bin/sh
# fig_bands.sh - figures of the uncertainty bands of a sweep
# (sweeps/fig_bands.ini, [uncertainty]): the monthly cost along monthly
# tokens for two model sizes, P5-P95 shaded, P50 line -> $OUT/band.png/.svg;
# the P95/P5 ratio over model size x monthly tokens -> $OUT/band_ratio.png/.svg.
# The band datasets (monthly_cost_pct, percentile dimension) are read with
# h5py (python3-h5py, in .ci/debian-packages; `llmcost slice` reads outputs).
. "$(dirname "$0")/common.sh"
PY=${PY:-/usr/bin/python3}
sweep fig_bands || exit 1
H5=$DATA/fig_bands.h5
"$PY" - "$H5" "$DATA" <<'EOF' || { echo "fig_bands.sh: reading $H5 failed (needs python3-h5py)" >&2; exit 1; }
import math
import sys
import h5py
f = h5py.File(sys.argv[1], "r")
pct = f["monthly_cost_pct"][()]          # (params, monthly_tokens, percentile)
lv = list(f["percentile"][()])
assert lv == [5.0, 50.0, 95.0], lv
P, T = f["params"][()], f["monthly_tokens"][()]
with open(sys.argv[2] + "/band.tsv", "w") as out:
    for want in (7e10, 1e12):   # the axis values nearest 70B and 1T
        i = min(range(len(P)), key=lambda j: abs(math.log(P[j] / want)))
        out.write("# params = %.6g: monthly_tokens P5 P50 P95 (USD/month)\n" % P[i])
        for j, t in enumerate(T):
            out.write("%.9g\t%.9g\t%.9g\t%.9g\n" % (t, pct[i, j, 0], pct[i, j, 1], pct[i, j, 2]))
        out.write("\n\n")
with open(sys.argv[2] + "/band_ratio.tsv", "w") as out:
    out.write("# params monthly_tokens P95/P5 of monthly_cost\n")
    for i, p in enumerate(P):
        for j, t in enumerate(T):
            out.write("%.9g\t%.9g\t%.9g\n" % (p, t, pct[i, j, 2] / pct[i, j, 0]))
        out.write("\n")
with open(sys.argv[2] + "/band_params.txt", "w") as out:
    out.write(" ".join("%.6g" % P[min(range(len(P)), key=lambda j: abs(math.log(P[j] / w)))]
                       for w in (7e10, 1e12)))
EOF
read p1 p2 < "$DATA/band_params.txt"
render fig_band.gp band "in='$DATA/band.tsv'; p1=$p1; p2=$p2"
render fig_band_ratio.gp band_ratio "in='$DATA/band_ratio.tsv'"
