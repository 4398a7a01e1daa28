"""slice_fixture.py - write a small sweep file in the "llmcost-sweep/1" layout
with h5py, independent of `llmcost sweep`, for the slice tests
(tests/py_slice.py, tests/cli_slice.sh).

Layout as the sweep writer's contract: axis datasets made dimension scales,
a gpu axis of variable-length UTF-8 names with its catalogue numbers, each
output over only the axes it depends on (compact), attached to the scales;
one float32 output, one with NaN, one rank-0 output, and an axis ("users")
no output depends on.  Values are random: the tests check slicing, not
formulas.

Usage: python3 tests/slice_fixture.py OUT.h5
"""
import sys

import h5py
import numpy as np

STR = h5py.string_dtype("utf-8")


def write(path, seed=7):
    rng = np.random.default_rng(seed)
    axes = {
        "gpu": np.array(["A100", "H100", "B200"], dtype=object),
        "batch": np.array([1.0, 64.0]),
        "params": np.logspace(9, 12, 7),
        "tokens": np.logspace(11, 13, 5),
        "users": np.array([1e6, 2e6, 5e6, 1e7]),
    }
    units = {"gpu": "1", "batch": "sequence", "params": "1", "tokens": "token",
             "users": "user"}
    out = {}
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["format"] = "llmcost-sweep/1"
        f.attrs["llmcost_version"] = "test"
        f.attrs["spec_name"] = "slice test fixture"
        f.attrs["layout"] = "compact"
        f.attrs["axes"] = ",".join(axes)
        f.attrs["grid_points"] = np.uint64(np.prod([len(v) for v in axes.values()]))
        f.attrs["input.discount"] = 0.5
        f.attrs["input.util"] = 1.0
        for name, vals in axes.items():
            if name == "gpu":
                ds = f.create_dataset(name, data=vals, dtype=STR)
            else:
                ds = f.create_dataset(name, data=vals, dtype="f8")
            ds.make_scale(name)
            ds.attrs["units"] = units[name]
            ds.attrs["long_name"] = "axis " + name
        for extra, v in (("gpu_flops", [312e12, 989e12, 2250e12]),
                         ("gpu_hbm_bw", [2.039e12, 3.35e12, 8e12]),
                         ("gpu_power_w", [400.0, 700.0, 1000.0]),
                         ("gpu_price_hour", [2.2659, 2.99, 5.99])):
            ds = f.create_dataset(extra, data=np.array(v))
            ds.dims[0].attach_scale(f["gpu"])

        def output(name, dims, dtype="f8", nan=False, unit="USD"):
            shape = tuple(len(axes[d]) for d in dims)
            data = rng.uniform(1.0, 1e9, size=shape)
            if nan:
                data[rng.uniform(size=shape) < 0.3] = np.nan
            if dims:
                ds = f.create_dataset(name, data=data.astype(dtype), chunks=True)
                for i, d in enumerate(dims):
                    ds.dims[i].attach_scale(f[d])
            else:
                ds = f.create_dataset(name, data=np.float64(data))
            ds.attrs["units"] = unit
            ds.attrs["long_name"] = "test output " + name
            ds.attrs["formula"] = "random"
            out[name] = np.asarray(ds[()], dtype="f8")

        output("pretrain_cost", ["params", "tokens"])
        output("infer_cost_per_1k_bw", ["gpu", "batch", "params"], unit="USD/1K token")
        output("train_days", ["gpu", "params"], dtype="f4", unit="day")
        output("breakeven_tokens", ["gpu", "params"], nan=True, unit="token/month")
        output("avg_price_per_1k", [], unit="USD/1K token")
    return axes, out


if __name__ == "__main__":
    write(sys.argv[1])
