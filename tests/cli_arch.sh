#!/bin/sh
# cli_arch.sh - end-to-end tests of the architecture presets ([arch NAME] in
# the catalogue) on the real binary ($LLMCOST): 'catalog' lists them (table
# and --json, each with source and date), 'eval --arch' sets the inputs the
# preset gives and says so, explicit options win, an unknown name is one line
# naming the known ones (exit 2), and 'arch = a, b' as a sweep axis (and
# [inputs] arch = NAME) gives at every point what 'eval --arch' gives, with
# the axis stored like the gpu axis (names + one column per input it sets);
# [distribution.arch] in sensitivity against eval at the tornado's ends; and
# the shipped sweeps/serving.ini and sweeps/selfhost.ini against eval at
# sampled points.  Run by tests/run_tests.sh.
set -u
. "$(dirname "$0")/lib_cli.sh" # LLMCOST, PY, ROOT, ok/bad, run, has, py
export LLMCOST
tmp=$(mktemp -d /tmp/llmcost_cli_arch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$ROOT" || exit 1

# ---- catalog ------------------------------------------------------------------
if run catalog_table 0 catalog; then
    has "catalog lists the architectures" "$tmp/out" "Model architectures"
    has "a rumoured architecture is marked" "$tmp/out" "R gpt-4-turbo"
fi
if run catalog_json 0 catalog --json; then
    py "catalog --json: architectures with every field, source and date" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
a = {x["name"]: x for x in d["architectures"]}
assert len(a) >= 17, len(a)
for x in a.values():
    assert x["source"] and x["date"] and x["params"] > 0, x
m = a["mixtral-8x7b"]
assert m["params"] == 46.7e9 and m["params_active"] == 12.9e9 and m["kv_heads"] == 8, m
assert a["llama-2-7b"]["head_dim"] is None and a["llama-2-7b"]["layers"] == 32
assert a["gpt-4"]["rumoured"] and a["gpt-4"]["d_model"] is None
assert not a["deepseek-v3"]["rumoured"] and a["deepseek-v3"]["kv_dim"] == 576
print("ok")'
fi

# ---- eval --arch ---------------------------------------------------------------
if run eval_arch 0 eval --arch llama-2-70b --gpu H100 --json; then
    py "eval --arch: the preset sets its inputs and the source says so" '
import json, sys
d = json.load(open(sys.argv[1] + "/out"))
i = d["inputs"]
assert d["arch"]["name"] == "llama-2-70b" and "Llama-2-70b-hf" in d["arch"]["source"], d["arch"]
assert i["params"]["value"] == 68.977e9 and i["params"]["source"] == "arch llama-2-70b", i["params"]
for k, v in (("layers", 80), ("d_model", 8192), ("heads", 64), ("kv_heads", 8),
             ("context", 4096), ("train_seq_len", 4096)):
    if k in i:  # the inputs of the model graph (issue 12) as they exist
        assert i[k]["value"] == v and i[k]["source"] == "arch llama-2-70b", (k, i[k])
assert i["flops"]["source"] == "gpu H100"
print("ok")'
fi
if run eval_arch_explicit 0 eval --arch llama-2-70b --params 70B --json; then
    py "eval --arch: an explicit option wins over the preset" '
import json, sys
i = json.load(open(sys.argv[1] + "/out"))["inputs"]
assert i["params"]["value"] == 70e9 and i["params"]["source"] == "given", i["params"]
print("ok")'
fi
if run eval_arch_text 0 eval --arch gpt-4-turbo; then
    has "eval names the preset, rumoured, with its source" "$tmp/out" "arch gpt-4-turbo (rumoured): 2024-01-24"
    has "the preset of the article is the article's params" "$tmp/out" "1.776e+12"
fi
run eval_arch_unknown 2 eval --arch llama-2-71b &&
    has "an unknown architecture names the known ones" "$tmp/err" "unknown architecture 'llama-2-71b' (known: llama-2-7b"

# ---- arch as a sweep axis --------------------------------------------------------
cat >"$tmp/arch.ini" <<EOF
[sweep]
output = $tmp/arch.h5
[axes]
arch = llama-2-7b, mixtral-8x7b, gpt-3-175b
gpu = A100, H100
[inputs]
tokens = chinchilla
[outputs]
store = pretrain_cost, infer_cost_per_1k, monthly_cost
EOF
if run sweep_arch 0 sweep "$tmp/arch.ini" --quiet; then
    py "arch axis: every point equals eval --arch at that point; names and columns stored" '
import json, os, subprocess, sys
import h5py
t = sys.argv[1]
exe = os.environ["LLMCOST"]
with h5py.File(t + "/arch.h5", "r") as f:
    names = [x.decode() if isinstance(x, bytes) else x for x in f["arch"][()]]
    assert names == ["llama-2-7b", "mixtral-8x7b", "gpt-3-175b"], names
    assert list(f["arch_params"][()]) == [6.738e9, 46.7e9, 175e9], f["arch_params"][()]
    assert f["arch"].attrs["long_name"] in (b"model architecture (catalogue entry)",
                                            "model architecture (catalogue entry)")
    for a, arch in enumerate(names):
        for g, gpu in enumerate(["A100", "H100"]):
            r = subprocess.run([exe, "eval", "--arch", arch, "--gpu", gpu, "--chinchilla",
                                "--json"], capture_output=True, text=True)
            assert r.returncode in (0, 1), r.stderr
            o = json.loads(r.stdout)["outputs"]
            for k in ("pretrain_cost", "infer_cost_per_1k", "monthly_cost"):
                v = f[k][()]
                got = v[a, g] if v.ndim == 2 else v[a]
                assert got == o[k]["value"], (arch, gpu, k, got, o[k]["value"])
print("ok")'
fi
# an explicit input wins over the axis; arch fixed in [inputs]
cat >"$tmp/fixed.ini" <<EOF
[sweep]
output = $tmp/fixed.h5
[axes]
gpu = A100, H100
[inputs]
arch = llama-2-70b
tokens = 2T
[outputs]
store = pretrain_cost
EOF
if run sweep_arch_fixed 0 sweep "$tmp/fixed.ini" --quiet; then
    py "[inputs] arch = NAME: the preset at every point" '
import json, os, subprocess, sys
import h5py
t = sys.argv[1]
with h5py.File(t + "/fixed.h5", "r") as f:
    got = list(f["pretrain_cost"][()])
    a = f.attrs["input.arch"]
    assert (a.decode() if isinstance(a, bytes) else a) == "llama-2-70b", a
want = []
for gpu in ("A100", "H100"):
    r = subprocess.run([os.environ["LLMCOST"], "eval", "--arch", "llama-2-70b", "--gpu", gpu,
                        "--tokens", "2T", "--json"], capture_output=True, text=True)
    want.append(json.loads(r.stdout)["outputs"]["pretrain_cost"]["value"])
assert got == want, (got, want)
print("ok")'
fi
cat >"$tmp/bad.ini" <<EOF
[axes]
arch = llama-2-7b, no-such-model
EOF
run sweep_arch_unknown 2 sweep "$tmp/bad.ini" &&
    has "an unknown architecture on an axis is refused with file:line" "$tmp/err" "bad.ini:2: unknown architecture 'no-such-model'"
cat >"$tmp/twice.ini" <<EOF
[axes]
arch = llama-2-7b
[inputs]
arch = llama-2-70b
EOF
run sweep_arch_twice 2 sweep "$tmp/twice.ini" &&
    has "arch both as an axis and fixed is refused" "$tmp/err" "given both as an axis"

# ---- arch as a sensitivity factor -------------------------------------------------
cat >"$tmp/sens.ini" <<EOF
[inputs]
tokens = 2T
gpu = H100
[distribution.arch]
type = choice
values = llama-2-7b, llama-2-70b, mixtral-8x7b
[distribution.util]
type = uniform
low = 0.3
high = 0.6
base = 0.45
[sensitivity]
outputs = pretrain_cost
EOF
if run sens_arch 0 sensitivity "$tmp/sens.ini" --method tornado --json; then
    py "[distribution.arch]: a choice of presets; the tornado ends are eval --arch at the ends" '
import json, os, subprocess, sys
d = json.load(open(sys.argv[1] + "/out"))
f = d["factors"][0]
assert f["name"] == "arch" and f["choices"] == ["llama-2-7b", "llama-2-70b", "mixtral-8x7b"], f
t = d["outputs"]["pretrain_cost"]["tornado"]
def ev(arch, util):
    r = subprocess.run([os.environ["LLMCOST"], "eval", "--arch", arch, "--gpu", "H100",
                        "--tokens", "2T", "--util", util, "--json"], capture_output=True, text=True)
    return json.loads(r.stdout)["outputs"]["pretrain_cost"]["value"]
assert t["base"] == ev("llama-2-70b", "0.45"), t
assert t["y_low"][0] == ev("llama-2-7b", "0.45") and t["y_high"][0] == ev("mixtral-8x7b", "0.45"), t
assert t["y_low"][1] == ev("llama-2-70b", "0.3") and t["y_high"][1] == ev("llama-2-70b", "0.6"), t
print("ok")'
fi
# [inputs] wins over the preset's values
sed 's/^tokens = 2T$/tokens = 2T\nparams = 1B/' "$tmp/sens.ini" >"$tmp/sens_pinned.ini"
if run sens_arch_pinned 0 sensitivity "$tmp/sens_pinned.ini" --method tornado --json; then
    py "[distribution.arch]: an input given in [inputs] is left alone" '
import json, os, subprocess, sys
t = json.load(open(sys.argv[1] + "/out"))["outputs"]["pretrain_cost"]["tornado"]
def ev(arch):
    r = subprocess.run([os.environ["LLMCOST"], "eval", "--arch", arch, "--gpu", "H100",
                        "--tokens", "2T", "--util", "0.45", "--params", "1B", "--json"],
                       capture_output=True, text=True)
    return json.loads(r.stdout)["outputs"]["pretrain_cost"]["value"]
assert t["y_low"][0] == ev("llama-2-7b") and t["y_high"][0] == ev("mixtral-8x7b"), t
assert t["base"] == ev("llama-2-70b"), t
print("ok")'
fi
# a choice of every preset: a list longer than one line, continued (was cut at 199)
all=$("$LLMCOST" catalog --json | $PY -c 'import json,sys; print(",\n  ".join(a["name"] for a in json.load(sys.stdin)["architectures"]))')
printf '[inputs]\ngpu = H100\n[distribution.arch]\ntype = choice\nvalues = %s\n[sensitivity]\noutputs = weights_bytes,\n  kv_bytes_per_token, kv_bytes_per_seq, mem_per_replica, gpus_per_replica, max_batch,\n  prefill_tokens_per_s, decode_tokens_per_s, ttft_s, tpot_ms, prefill_cost_per_1k,\n  decode_cost_per_1k, serve_cost_per_1k, selfhost_breakeven_tokens, pretrain_flop, carbon_t\n' "$all" >"$tmp/sens_all.ini"
if run sens_arch_all 0 sensitivity "$tmp/sens_all.ini" --method tornado --json; then
    py "[distribution.arch] and [sensitivity] outputs: lists over continuation lines, any length" '
import json, os, subprocess, sys
d = json.load(open(sys.argv[1] + "/out"))
cat = json.loads(subprocess.run([os.environ["LLMCOST"], "catalog", "--json"], capture_output=True, text=True).stdout)
names = [a["name"] for a in cat["architectures"]]
assert len(", ".join(names)) > 199 and len(names) >= 15, names
assert d["factors"][0]["choices"] == names, d["factors"][0]
assert len(d["outputs"]) == 16 and "carbon_t" in d["outputs"], sorted(d["outputs"])
print("ok")'
fi
cat >"$tmp/sens_bad.ini" <<EOF
[distribution.arch]
type = uniform
low = 1
high = 2
EOF
run sens_arch_bad 2 sensitivity "$tmp/sens_bad.ini" --method tornado &&
    has "arch takes a choice of names" "$tmp/err" "arch takes type = choice"

# ---- the shipped serving and self-host specs against eval ---------------------------
for spec in serving selfhost; do
    if run "sweep_$spec" 0 sweep "sweeps/$spec.ini" -o "$tmp/$spec.h5" --quiet; then
        py "sweeps/$spec.ini: stored points equal eval --arch --gpu at those points" '
import h5py, itertools, json, os, random, subprocess, sys
t, spec = sys.argv[1], "'"$spec"'"
exe = os.environ["LLMCOST"]
f = h5py.File(t + "/" + spec + ".h5", "r")
dec = lambda a: [x.decode() if isinstance(x, bytes) else x for x in a]
# the spec fixed inputs, as eval options
fixed = {"serving": {"util": "1", "bw_util": "1", "bytes_per_param": "2", "kv_bytes": "2",
                     "prompt_tokens": "1000", "output_tokens": "500"},
         "selfhost": {"batch": "64", "context": "4096", "load_factor": "0.7", "bw_util": "0.6",
                      "util": "0.5", "io_ratio": "3", "serving": "roofline"}}[spec]
rng = random.Random(12)
n = 0
for o in [k for k in f if isinstance(f[k], h5py.Dataset) and f[k].ndim >= 2 and not k.startswith(("gpu", "arch", "api"))]:
    ds = f[o]
    dims = [ds.dims[i][0].name.lstrip("/") for i in range(ds.ndim)]
    axes = {d: (dec(f[d][()]) if f[d].dtype.kind in "OS" else list(f[d][()])) for d in dims}
    pts = list(itertools.product(*[range(len(axes[d])) for d in dims]))
    for idx in rng.sample(pts, min(6, len(pts))):
        args = [exe, "eval", "--json"]
        for k, v in fixed.items():
            args += ["--" + k, v]
        for d, i in zip(dims, idx):
            args += ["--" + d, str(axes[d][i])]
        r = subprocess.run(args, capture_output=True, text=True)
        assert r.returncode in (0, 1), (args, r.stderr)
        v = json.loads(r.stdout)["outputs"][o]["value"]
        v = float("nan") if v is None else v
        got = ds[idx]
        assert got == v or (got != got and v != v), (o, dict(zip(dims, idx)), got, v)
        n += 1
assert n >= 12, n
print("ok")'
    fi
done

echo "cli_arch: $fails failure(s)"
[ "$fails" -eq 0 ]
