#!/usr/bin/python3
"""vds_vs_copy.py MERGED.h5 SHARD0.h5 SHARD1.h5 ... - the measurement behind
`llmcost merge` copying chunks instead of writing an HDF5 virtual dataset:
builds vds.h5 mapping every chunk of every shard (the engine's global chunk
order, shard k owning chunks [n*k/N, n*(k+1)/N)), then times a full read
of every stored output through the VDS and from the merged copy."""
import os
import sys
import time

import h5py
import numpy as np

merged, shards = sys.argv[1], sys.argv[2:]
t0 = time.time()
with h5py.File(shards[0], "r") as f0:
    names = [n for n in f0 if isinstance(f0[n], h5py.Dataset) and f0[n].chunks
             and "DIMENSION_LIST" in f0[n].attrs]
    info, base = [], 0
    for n in names:
        d = f0[n]
        nch = [(s + c - 1) // c for s, c in zip(d.shape, d.chunks)]
        tot = int(np.prod(nch))
        info.append((n, d.shape, d.dtype, d.chunks, nch, base, tot))
        base += tot
total, maps = base, 0
with h5py.File("vds.h5", "w") as out:
    for n, shape, dt, ch, nch, b0, tot in info:
        lay = h5py.VirtualLayout(shape=shape, dtype=dt)
        for k, sp in enumerate(shards):
            a, b = total * k // len(shards), total * (k + 1) // len(shards)
            src = h5py.VirtualSource(sp, n, shape=shape)
            for g in range(max(a, b0), min(b, b0 + tot)):
                c, idx = g - b0, []
                for m in reversed(nch):
                    idx.append(c % m)
                    c //= m
                sl = tuple(slice(i * w, min((i + 1) * w, s))
                           for i, w, s in zip(idx[::-1], ch, shape))
                lay[sl] = src[sl]
                maps += 1
        out.create_virtual_dataset(n, lay, fillvalue=np.nan)
t1 = time.time()


def read_all(path):
    t, s = time.time(), 0.0
    with h5py.File(path, "r") as f:
        for n in names:
            s += float(np.nansum(f[n][()]))
    return time.time() - t, s


rv, rm = read_all("vds.h5"), read_all(merged)
print(f"VDS: {maps} mappings, built in {t1 - t0:.2f} s, {os.path.getsize('vds.h5') / 1e3:.0f} kB "
      f"(+ the shards); full read via the VDS {rv[0]:.2f} s, from the merged copy "
      f"{rm[0]:.2f} s; same sums: {rv[1] == rm[1]}")
