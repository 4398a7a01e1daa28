#!/usr/bin/python3
"""cluster_cmp.py A.h5 B.h5 - exit 0 when two llmcost sweep files hold the
same values bit for bit: every dataset (same dtype, shape and bytes; the gpu
names as strings) and every attribute, except those that say when and how a
file was made (created, threads, isa, llmcost_commit) and HDF5's own
dimension-scale bookkeeping.  Used by tests/cli_resume.sh, cli_shard.sh and
cli_mpi.sh (not a test itself: run_tests.sh runs only py_*.py)."""
import sys

import h5py
import numpy as np

IGNORE = {"created", "threads", "isa", "llmcost_commit", "DIMENSION_LIST", "REFERENCE_LIST"}


def attrs(obj):
    out = {}
    for k, v in obj.attrs.items():
        if k in IGNORE:
            continue
        out[k] = (v.dtype.str, v.shape, v.tobytes()) if isinstance(v, np.ndarray) else v
    return out


def main():
    a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
    bad = []
    if attrs(a) != attrs(b):
        bad.append("root attributes")

    def visit(name, obj):
        other = b.get(name)
        if other is None:
            bad.append("missing " + name)
            return
        if attrs(obj) != attrs(other):
            bad.append("attributes of " + name)
        if isinstance(obj, h5py.Dataset):
            x, y = obj[()], other[()]
            if x.dtype != y.dtype or np.shape(x) != np.shape(y):
                bad.append("type/shape of " + name)
            elif x.dtype.kind == "O":
                if np.asarray(x).tolist() != np.asarray(y).tolist():
                    bad.append("values of " + name)
            elif np.asarray(x).tobytes() != np.asarray(y).tobytes():
                bad.append("values of " + name)

    a.visititems(visit)
    b.visititems(lambda name, obj: None if name in a else bad.append("extra " + name))
    if bad:
        print("DIFFER: " + ", ".join(bad))
        return 1
    print("identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
