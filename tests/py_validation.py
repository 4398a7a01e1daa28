#!/usr/bin/env python3
"""py_validation.py - the tool against what model builders published.

Runs the built llmcost (`eval --json`, $LLMCOST or build/llmcost) on the
pretraining runs and inference measurements that papers, model cards and
vendor benchmark pages report, and renders the comparison as the tables of
doc/validation.md (between the validation:begin / validation:end markers).

  python3 tests/py_validation.py           check (make check): the doc's tables
                                           are what the tool gives today, and
                                           every error is inside its bound
  python3 tests/py_validation.py --write   rewrite the tables in doc/validation.md

Every published figure below carries its source; the tool's figures come
from the catalogue (`--arch`, `--gpu`) and the inputs named in each row, so a
change of the model or of the catalogue shows up as a stale table.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.environ.get("LLMCOST", os.path.join(ROOT, "build", "llmcost"))
if not os.path.isabs(EXE):
    EXE = os.path.join(ROOT, EXE)
DOC = os.path.join(ROOT, "doc", "validation.md")
BEGIN, END = "<!-- validation:begin (tests/py_validation.py --write) -->", "<!-- validation:end -->"

problems = []


def ev(*args):
    """eval --json with the given options; (inputs, outputs) as name -> value."""
    r = subprocess.run([EXE, "eval", "--json", *map(str, args)], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit("llmcost eval %s: exit %d: %s" % (" ".join(map(str, args)), r.returncode,
                                                            r.stderr.strip()))
    d = json.loads(r.stdout)
    ins = {k: v["value"] for k, v in d["inputs"].items()}
    outs = {k: v["value"] for k, v in d["outputs"].items()}
    return ins, outs


def has_output(name):
    return name in ev()[1]


def has_input(name):
    return name in ev()[0]


def pct(tool, ref):
    return 100.0 * (tool - ref) / ref


def bound(label, value, lo, hi):
    if not (lo <= value <= hi):
        problems.append("%s: %.4g is outside [%g, %g]" % (label, value, lo, hi))


def big(x):
    return "{:,.0f}".format(x)


# ---- pretraining runs --------------------------------------------------------------
# (name, arch, gpu, tokens, published GPU-hours, reported MFU or None, power W,
#  published energy MWh or None, published tCO2eq or None, grid kgCO2e/kWh or None,
#  source)
RUNS = [
    ("BLOOM-176B", "bloom-176b", "A100", 366e9, 1082990, 156 / 312, 400, 433.196, 24.7, 0.057,
     "BigScience: 1,082,990 A100-80GB GPU-hours, 366B tokens, 156 TFLOP/s per GPU sustained "
     "(GENCI, https://www.genci.fr/en/news/bloom-one-largest-open-multilingual-nlp-models-"
     "awarded-best-hpc-collaboration-hpc-wire-readers); 433,196 kWh at 400 W, 24.7 tCO2eq at "
     "57 gCO2eq/kWh (Luccioni et al. 2022, arXiv 2211.02001)"),
    ("Llama 2 7B", "llama-2-7b", "A100", 2e12, 184320, None, 400, None, 31.22, None,
     "Touvron et al. 2023, arXiv 2307.09288, Table 2: A100-80GB GPU-hours, 400 W, tCO2eq"),
    ("Llama 2 13B", "llama-2-13b", "A100", 2e12, 368640, None, 400, None, 62.44, None,
     "arXiv 2307.09288, Table 2"),
    ("Llama 2 70B", "llama-2-70b", "A100", 2e12, 1720320, None, 400, None, 291.42, None,
     "arXiv 2307.09288, Table 2 (the four sizes with 34B: 3,311,616 GPU-hours, 539 tCO2eq)"),
    ("Llama 3.1 405B", "llama-3.1-405b", "H100", 15.6e12, 30.84e6, 0.40, 700, None, 8930, None,
     "Llama 3.1 model card (30.84M H100-80GB GPU-hours at 700 W, 8,930 tCO2eq location-based); "
     "15.6T tokens and BF16 MFU 38-43%: Dubey et al. 2024, arXiv 2407.21783"),
    ("DeepSeek-V3", "deepseek-v3", "H800", 14.8e12, 2.664e6, None, 700, None, None, None,
     "DeepSeek-V3 Technical Report, arXiv 2412.19437: 2,664K H800 GPU-hours of pretraining on "
     "14.8T tokens (2.788M with context extension and post-training), FP8 mixed precision"),
]


def training_rows():
    rows, notes = [], []
    carbon = has_output("carbon_t") and has_input("grid_carbon")
    moe = has_input("params_active")
    for (name, arch, gpu, tokens, gpuh, mfu, power, mwh, tco2, grid, src) in RUNS:
        if arch == "deepseek-v3" and not moe:
            notes.append("- %s: left out until the model has `params_active` (issue 12): "
                         "priced on its 671B total parameters it would need an MFU above "
                         "100%%." % name)
            continue
        base = ["--arch", arch, "--gpu", gpu, "--tokens", tokens, "--power-w", power, "--pue", 1]
        _, o1 = ev(*base, "--util", 1)
        implied = o1["pretrain_gpu_hours"] / gpuh        # the MFU the published hours imply
        bound(name + " implied MFU", implied, 0.15, 0.65)
        at = "-"
        if mfu is not None:
            _, om = ev(*base, "--util", mfu)
            err = pct(om["pretrain_gpu_hours"], gpuh)
            bound(name + " GPU-hours error % at the reported MFU", err, -40, 40)
            at = "%s at %.0f%% (%+.1f%%)" % (big(om["pretrain_gpu_hours"]), 100 * mfu, err)
        # energy: the published GPU-hours at the published board power (PUE 1, as reported)
        _, oe = ev(*base, "--util", implied)
        e_tool = oe["energy_mwh"]
        e_txt = "%.1f" % e_tool
        if mwh is not None:
            err = pct(e_tool, mwh)
            bound(name + " energy error %", err, -1, 1)
            e_txt += " vs %.1f (%+.2f%%)" % (mwh, err)
        c_txt = "-"
        if tco2 is not None:
            if grid is not None and carbon:
                _, oc = ev(*base, "--util", implied, "--grid-carbon", grid)
                err = pct(oc["carbon_t"], tco2)
                bound(name + " carbon error %", err, -2, 2)
                c_txt = "%.1f t at %g kg/kWh vs %.1f t (%+.1f%%)" % (oc["carbon_t"], grid, tco2, err)
            else:
                # the grid intensity the published tonnes imply for the tool's energy
                c_txt = "%.1f t published: %.4f kgCO2e/kWh implied" % (tco2, tco2 / e_tool)
        rows.append("| %s | %s %s, %s tokens | %s | %s | %.1f%% | %s | %s |" % (
            name, arch, gpu, "%gT" % (tokens / 1e12) if tokens >= 1e12 else "%gB" % (tokens / 1e9),
            big(gpuh), at, 100 * implied, e_txt, c_txt))
        notes.append("- %s: %s." % (name, src))
    # Llama 2: one grid intensity explains the four models (the paper gives none)
    ints = []
    for (name, arch, gpu, tokens, gpuh, mfu, power, mwh, tco2, grid, src) in RUNS[1:4]:
        ints.append(tco2 / (gpuh * power / 1e6))
    spread = (max(ints) - min(ints)) / min(ints)
    bound("Llama 2 spread of implied grid intensity", spread, 0, 1e-3)
    return rows, notes, carbon


# ---- inference measurements ------------------------------------------------------
# (name, arch, gpu, tp, batch, prompt, output, what, published value, source)
INFER = [
    ("Llama 2 7B, A100, batch 1", "llama-2-7b", "A100", 1, 1, 128, 20, "latency_ms", 234.0,
     "NVIDIA NeMo Framework docs, Llama-2 inference performance (A100 80GB SXM4, TP 1, "
     "128 in / 20 out, average latency): https://docs.nvidia.com/nemo-framework/user-guide/"
     "latest/performance/llama.html"),
    ("Llama 2 7B, H100, batch 1", "llama-2-7b", "H100", 1, 1, 128, 20, "latency_ms", 153.8,
     "same page (H100 80GB HBM3)"),
    ("Llama 2 7B, A100, batch 1, first token", "llama-2-7b", "A100", 1, 1, 128, 1, "ttft_ms", 16,
     "TensorRT-LLM performance.md (v0.5 low-latency table, FP16, 128 input tokens): "
     "https://github.com/NVIDIA/TensorRT-LLM/blob/release/0.6.1/docs/source/performance.md"),
    ("Llama 2 7B, A100, batch 384", "llama-2-7b", "A100", 1, 384, 128, 128, "out_tok_s", 5586,
     "TensorRT-LLM performance.md (v0.6.1, A100 FP16, TP 1, 128 in / 128 out, "
     "output tokens/s)"),
    ("Llama 2 70B, A100, TP 4, batch 1, first token", "llama-2-70b", "A100", 4, 1, 128, 1,
     "ttft_ms", 47, "TensorRT-LLM performance.md (v0.5 low-latency table, FP16)"),
]
INFER_OUTS = ("ttft_s", "tpot_ms", "prefill_tokens_per_s", "request_latency_s")


def inference_rows():
    outs = ev()[1]
    if not all(k in outs for k in INFER_OUTS) or not has_input("prompt_tokens"):
        return None, []
    rows, notes = [], []
    for (name, arch, gpu, tp, batch, prompt, out, what, pub, src) in INFER:
        args = ["--arch", arch, "--gpu", gpu, "--tp", tp, "--batch", batch,
                "--prompt-tokens", prompt, "--output-tokens", out,
                "--context", prompt + out / 2]   # the average context over the decode
        _, o = ev(*args)
        ttft, tpot = o["ttft_s"], o["tpot_ms"] / 1000
        if what == "latency_ms":   # its prefill, then one decode step per output token
            tool = 1000 * o["request_latency_s"]
            unit = "ms per request"
        elif what == "ttft_ms":
            tool = 1000 * ttft
            unit = "ms to the first token"
        else:   # whole requests: the batch's prefill, then its decode steps
            tool = batch * out / (batch * prompt / o["prefill_tokens_per_s"] + out * tpot)
            unit = "output tokens/s"
        ratio = tool / pub
        # the roofline is a bound: never slower than a measurement (a time
        # ratio <= 1, a throughput ratio >= 1, with 5% for rounding), and not
        # absurdly far from it
        if what == "out_tok_s":
            bound(name + " roofline / measured throughput", ratio, 0.95, 5)
        else:
            bound(name + " roofline / measured time", ratio, 0.2, 1.05)
        rows.append("| %s | %s | %.4g | %.4g | %.2f |" % (name, unit, pub, tool, ratio))
        notes.append("- %s: %s." % (name, src))
    return rows, notes


def render():
    t_rows, t_notes, carbon = training_rows()
    lines = [BEGIN, "", "### Pretraining", "",
             "| run | tool inputs | published GPU-hours | tool GPU-hours at the reported MFU "
             "(error) | MFU the published hours imply | energy MWh, tool vs published | "
             "carbon |",
             "|---|---|---|---|---|---|---|"]
    lines += t_rows
    lines += [""] + t_notes
    if not carbon:
        lines += ["", "(carbon: the model has no `carbon_t` output yet; the grid intensity the "
                      "published tonnes imply is shown instead)"]
    # OPT-175B: a throughput and a wall-clock time, no GPU-hours
    _, oo = ev("--arch", "opt-175b", "--gpu", "A100", "--tokens", 180e9, "--util", 147 / 312,
               "--gpus", 992)
    lines += ["", "OPT-175B (180B tokens, 147 TFLOP/s per GPU = %.0f%% MFU on 992 A100s, "
                  "Zhang et al. 2022, arXiv 2205.01068; no GPU-hours published): the tool's "
                  "compute time is %.1f days (`train_days`); the run took about 56 days of "
                  "wall-clock time with 53-54 restarts." % (100 * 147 / 312, oo["train_days"])]
    i_rows, i_notes = inference_rows()
    lines += ["", "### Inference (roofline against measurements)", ""]
    if i_rows is None:
        lines += ["The roofline outputs (`ttft_s`, `tpot_ms`, `prefill_tokens_per_s`, issue 12) "
                  "are not in the model yet: no inference rows."]
    else:
        lines += ["| measurement | quantity | published | roofline | roofline / published |",
                  "|---|---|---|---|---|"] + i_rows + [""] + i_notes
    lines += ["", END]
    return "\n".join(lines)


def main():
    table = render()
    text = open(DOC).read() if os.path.exists(DOC) else ""
    if "--write" in sys.argv[1:]:
        if BEGIN in text and END in text:
            a, b = text.index(BEGIN), text.index(END) + len(END)
            text = text[:a] + table + text[b:]
        else:
            text = text.rstrip("\n") + "\n\n" + table + "\n"
        open(DOC, "w").write(text)
        print("wrote " + DOC)
    else:
        if BEGIN not in text or END not in text:
            problems.append("doc/validation.md has no generated tables (run --write)")
        else:
            a, b = text.index(BEGIN), text.index(END) + len(END)
            if text[a:b] != table:
                problems.append("doc/validation.md is stale: run "
                                "'python3 tests/py_validation.py --write' and commit it")
    for p in problems:
        print("FAIL " + p)
    if problems:
        sys.exit(1)
    print("ok   validation: tables current, every error inside its bound")


if __name__ == "__main__":
    main()
