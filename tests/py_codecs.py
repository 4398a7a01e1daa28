#!/usr/bin/python3
"""py_codecs.py - every codec's sweep file read back through the installed
HDF5 filter plugins, and its chunks equal to what the plugins write.

The engine compresses lz4 and blosc chunks itself, in its worker threads
(src/h5/h5_codec.c), and stores them with H5Dwrite_chunk.  For a small spec,
compact and broadcast layout, float64 and float32, 1 and 2 threads, this
checks for each codec (none, deflate, shuffle+deflate, lz4, blosc,
blosc-zstd):
  1. h5py reads every stored output (through the plugin) as exactly the
     values of the uncompressed file (np.array_equal, bit for bit);
  2. h5dump, a separate reader (the HDF5 tools through the same plugins),
     dumps every output's values (-b binary) as the uncompressed file's bytes;
  3. the file is the same for 1 and 2 threads (every chunk's stored bytes);
  4. h5py writes the same values with the same filter pipeline, so the
     plugin itself compresses them; every chunk's stored bytes and filter
     mask (read_direct_chunk) must equal the engine's.
The plugins are required (.ci/debian-packages): a missing one fails.
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

LLMCOST = os.path.abspath(os.environ.get("LLMCOST", "build/llmcost"))
OUTS = ("sub_profit", "breakeven_users", "pretrain_cost")
SPEC = """[sweep]
name        = codecs test
chunk_kib   = 24
compression = none
[axes]
params          = log 1e9 2e12 5
gpu             = A100, H100, H200
util            = 0.3, 0.5
users           = log 1e4 1e8 37
tokens_per_user = log 1e4 1e7 113
[inputs]
tokens       = chinchilla
discount     = 0.5
subscription = 20
[outputs]
store = sub_profit, breakeven_users, pretrain_cost
"""
CODECS = ("none", "deflate", "shuffle+deflate:3", "lz4", "blosc", "blosc-zstd")
fails = 0


def bad(msg):
    global fails
    fails += 1
    print("FAIL", msg)


def sweep(tmp, codec, threads, extra, name):
    out = os.path.join(tmp, name)
    cmd = [LLMCOST, "sweep", os.path.join(tmp, "s.ini"), "-o", out, "--quiet",
           "--compression", codec, "--threads", str(threads)] + extra
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        bad(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()}")
        return None
    return out


def chunks(ds):
    """{offset: (filter_mask, bytes)} of every stored chunk."""
    out = {}
    for i in range(ds.id.get_num_chunks()):
        info = ds.id.get_chunk_info(i)
        mask, data = ds.id.read_direct_chunk(info.chunk_offset)
        out[info.chunk_offset] = (mask, bytes(data))
    return out


def h5dump_bytes(path, name, tmp):
    out = os.path.join(tmp, "dump.bin")
    r = subprocess.run(["h5dump", "-d", "/" + name, "-b", "LE", "-o", out, path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()[-300:]
    with open(out, "rb") as f:
        data = f.read()
    os.unlink(out)
    return data, ""


def plugin_rewrite(src, tmp):
    """The same values written by h5py with src's filter pipeline: the
    plugins themselves compress every chunk."""
    path = os.path.join(tmp, "plugin.h5")
    with h5py.File(path, "w") as f:
        for name in OUTS:
            ds = src[name]
            plist = ds.id.get_create_plist()
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            if ds.chunks:
                dcpl.set_chunk(ds.chunks)
            for k in range(plist.get_nfilters()):
                code, flags, values, _ = plist.get_filter(k)
                # blosc's set_local fills slots 0-3 again from type and chunk
                dcpl.set_filter(code, flags, values)
            space = h5py.h5s.create_simple(ds.shape)
            dsid = h5py.h5d.create(f.id, name.encode(), ds.id.get_type(), space, dcpl=dcpl)
            dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, ds[...])
    return path


def main():
    with tempfile.TemporaryDirectory(prefix="llmcost_py_codecs.") as tmp:
        with open(os.path.join(tmp, "s.ini"), "w") as f:
            f.write(SPEC)
        for layout, extra in (("compact", []), ("broadcast-float32", ["--broadcast", "--float32"])):
            ref = sweep(tmp, "none", 1, extra, f"none_{layout}.h5")
            if ref is None:
                continue
            with h5py.File(ref, "r") as r:
                want = {n: r[n][...] for n in OUTS}
            for codec in CODECS:
                files = [sweep(tmp, codec, t, extra, f"{codec}_{layout}_{t}.h5") for t in (1, 2)]
                if None in files:
                    continue
                tag = f"{codec} ({layout})"
                with h5py.File(files[0], "r") as a, h5py.File(files[1], "r") as b:
                    for n in OUTS:
                        v = a[n][...]
                        if v.dtype != want[n].dtype or not np.array_equal(v, want[n], equal_nan=True):
                            bad(f"{tag}: h5py reads {n} differently from the uncompressed file")
                        if a[n].chunks and chunks(a[n]) != chunks(b[n]):
                            bad(f"{tag}: {n} differs between 1 and 2 threads")
                    for n in OUTS:
                        got, err = h5dump_bytes(files[0], n, tmp)
                        if got is None:
                            bad(f"{tag}: h5dump cannot read {n}: {err}")
                        elif got != np.ascontiguousarray(want[n]).astype(want[n].dtype.newbyteorder("<")).tobytes():
                            bad(f"{tag}: h5dump gives other values for {n}")
                    if codec != "none":
                        p = plugin_rewrite(a, tmp)
                        with h5py.File(p, "r") as pf:
                            for n in OUTS:
                                if not a[n].chunks:
                                    continue
                                mine, theirs = chunks(a[n]), chunks(pf[n])
                                if mine != theirs:
                                    diff = [o for o in theirs if mine.get(o) != theirs[o]]
                                    bad(f"{tag}: {n}: {len(diff)} of {len(theirs)} chunks differ "
                                        f"from the plugin's (first at {diff[:1]})")
                        os.unlink(p)
                if fails == 0:
                    print(f"ok   {tag}: h5py, h5dump, 1 = 2 threads, chunks = the plugin's")
    print("failures:", fails)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
