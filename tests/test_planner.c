/*
 * test_planner.c - the planner's part of the model (issue 12): memory fit,
 * KV cache, mixture-of-experts FLOPs, the PaLM attention term, the serving
 * roofline, the business wiring (serving = compute | roofline, routing) and
 * self-host-or-buy, each against values worked by hand from published
 * configurations (doc/model.md gives the formulas and sources).  Exact
 * where the arithmetic is exact in binary64.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "model/model.h"

static void assert_rel_ok(double got, double want)
{
    if (!(fabs(got - want) <= 1e-12 * fabs(want)))
        fail_msg("got %.17g, want %.17g", got, want);
}

static void eval_at(double in[LC_IN_COUNT], double out[LC_OUT_COUNT])
{
    lc_model_eval(in, out);
}

/* Llama-3.1-70B (config.json: 80 layers, d_model 8192, 64 heads, 8 KV
 * heads, 70.6B parameters): at batch 256 and a 4K context the KV cache is
 * 343.6 GB against 141.2 GB of weights (the 343 GB and 141 GB). */
static void test_llama31_70b_kv_cache_at_batch_256_4k(void **state)
{
    (void)state;
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    in[LC_IN_PARAMS] = 70.6e9;
    in[LC_IN_LAYERS] = 80;
    in[LC_IN_D_MODEL] = 8192;
    in[LC_IN_HEADS] = 64;
    in[LC_IN_KV_HEADS] = 8;
    in[LC_IN_BATCH] = 256;
    in[LC_IN_CONTEXT] = 4096;
    eval_at(in, out);
    /* head_dim 0 -> 8192 / 64 = 128; kv_dim 0 -> 2 * 8 * 128 = 2048 */
    assert_true(out[LC_OUT_KV_BYTES_PER_TOKEN] == 327680.0);       /* 80 * 2048 * 2 */
    assert_true(out[LC_OUT_KV_BYTES_PER_SEQ] == 1342177280.0);     /* * 4096 */
    assert_true(out[LC_OUT_MEM_PER_REPLICA] - out[LC_OUT_WEIGHTS_BYTES] == 343597383680.0);
    assert_true(out[LC_OUT_WEIGHTS_BYTES] == 141.2e9);
    /* 484.8 GB on 80 GB GPUs at 90%: ceil(484.797 / 72) = 7 */
    assert_true(out[LC_OUT_GPUS_PER_REPLICA] == 7.0);
    /* the same shape given explicitly gives the same bits */
    double o2[LC_OUT_COUNT];
    in[LC_IN_HEAD_DIM] = 128;
    in[LC_IN_KV_DIM] = 2048;
    eval_at(in, o2);
    assert_memory_equal(out, o2, sizeof out);
    /* max_batch on 8 GPUs: floor((8 * 72e9 - 141.2e9) / 1342177280) = 323 */
    in[LC_IN_TP] = 8;
    eval_at(in, out);
    assert_true(out[LC_OUT_GPUS_PER_REPLICA] == 8.0);
    assert_true(out[LC_OUT_MAX_BATCH] == 323.0);
    assert_true(floor((8 * 80e9 * 0.9 - 141.2e9) / 1342177280.0) == 323.0);
}

/* The 1,776B parameters at 2 bytes: at least 45 A100-80GB for the
 * weights alone (3552 GB / 80 GB = 44.4); with tp too small no finite
 * value, and every output that reads the replica is NaN too. */
static void test_gpt4_weights_need_45_a100_80gb(void **state)
{
    (void)state;
    assert_true(lc_weights_bytes(1776e9, 2) == 3.552e12);
    assert_true(lc_gpus_needed(3.552e12, 80e9, 1.0) == 45.0);
    assert_true(lc_gpus_needed(3.552e12, 80e9, 0.9) == 50.0); /* 49.3 at 90% usable */
    assert_true(lc_gpus_per_replica(0, 3.552e12, 80e9, 1.0) == 45.0);
    assert_true(lc_gpus_per_replica(64, 3.552e12, 80e9, 1.0) == 64.0);
    assert_true(lc_gpus_per_replica(45, 3.552e12, 80e9, 1.0) == 45.0);
    assert_true(isnan(lc_gpus_per_replica(44, 3.552e12, 80e9, 1.0)));

    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    in[LC_IN_TP] = 8;
    eval_at(in, out);
    assert_true(isnan(out[LC_OUT_GPUS_PER_REPLICA]));
    /* max_batch is on the tp GPUs: the weights alone do not fit there, 0 */
    assert_true(out[LC_OUT_MAX_BATCH] == 0.0);
    const int nan_outs[] = {LC_OUT_DECODE_TPS, LC_OUT_PREFILL_TPS,
                            LC_OUT_TTFT_S, LC_OUT_TPOT_MS, LC_OUT_SERVE_COST_1K,
                            LC_OUT_SELFHOST_BREAKEVEN};
    for (size_t k = 0; k < sizeof nan_outs / sizeof nan_outs[0]; k++)
        assert_true(isnan(out[nan_outs[k]]));
    /* serving = compute (the default): the business outputs do not read it */
    assert_true(isfinite(out[LC_OUT_MONTHLY_COST]) && isfinite(out[LC_OUT_BREAKEVEN_TOKENS]));
    in[LC_IN_SERVING] = 1;
    eval_at(in, out);
    assert_true(isnan(out[LC_OUT_MONTHLY_COST]) && isnan(out[LC_OUT_COST_1K]));
}

/* Mixtral-8x7B (46.7B, 32 layers, 8 KV heads of 128) on 2 A100-80GB at a
 * 32K context: batch 64 does not fit (361.8 GB, 6 GPUs), yet max_batch is
 * the batch that fits on the 2 given, floor((2 * 72e9 - 93.4e9) /
 * 4194304000) = 12, whatever batch asks; with tp 0 it is on the 6. */
static void test_max_batch_on_tp_when_batch_does_not_fit(void **state)
{
    (void)state;
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    in[LC_IN_PARAMS] = 46.7e9;
    in[LC_IN_PARAMS_ACTIVE] = 12.9e9;
    in[LC_IN_LAYERS] = 32;
    in[LC_IN_D_MODEL] = 4096;
    in[LC_IN_HEADS] = 32;
    in[LC_IN_KV_HEADS] = 8;
    in[LC_IN_CONTEXT] = 32000;
    in[LC_IN_BATCH] = 64;
    in[LC_IN_TP] = 2;
    eval_at(in, out);
    assert_true(out[LC_OUT_KV_BYTES_PER_TOKEN] == 131072.0); /* 32 * 2 * 8 * 128 * 2 */
    assert_true(out[LC_OUT_KV_BYTES_PER_SEQ] == 4194304000.0);
    assert_true(out[LC_OUT_MEM_PER_REPLICA] == 93.4e9 + 64 * 4194304000.0);
    assert_true(isnan(out[LC_OUT_GPUS_PER_REPLICA]));
    assert_true(out[LC_OUT_MAX_BATCH] == 12.0);
    assert_true(floor((2 * 80e9 * 0.9 - 93.4e9) / 4194304000.0) == 12.0);
    in[LC_IN_BATCH] = 12; /* that batch fits on the 2 */
    eval_at(in, out);
    assert_true(out[LC_OUT_GPUS_PER_REPLICA] == 2.0 && out[LC_OUT_MAX_BATCH] == 12.0);
    assert_true(isfinite(out[LC_OUT_DECODE_TPS]));
    in[LC_IN_BATCH] = 13;
    eval_at(in, out);
    assert_true(isnan(out[LC_OUT_GPUS_PER_REPLICA]) && out[LC_OUT_MAX_BATCH] == 12.0);
    in[LC_IN_BATCH] = 64;
    in[LC_IN_TP] = 0;
    eval_at(in, out);
    assert_true(out[LC_OUT_GPUS_PER_REPLICA] == 6.0);
    assert_true(out[LC_OUT_MAX_BATCH] == 80.0); /* floor((6 * 72e9 - 93.4e9) / 4.194e9) */
}

/* PaLM (Chowdhery et al. 2022, appendix B): 6N + 12 L H Q T FLOPs per
 * token; PaLM 540B has L = 118, H = 48, Q = 256, T = 2048: the attention
 * term adds 35.6 GFLOP per token to 6N = 3.24 TFLOP (1.1%). */
static void test_palm_attention_flops(void **state)
{
    (void)state;
    assert_true(lc_pretrain_flop_attn(540e9, 1, 118, 48, 256, 2048) == 3275634806784.0);
    /* T = 0 (the default) is the article's 6 N D, bit for bit */
    double a = lc_pretrain_flop_attn(1776e9, 13e12, 120, 274, 128, 0);
    double b = 6.0 * 1776e9 * 13e12;
    assert_memory_equal(&a, &b, sizeof a);
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    in[LC_IN_PARAMS] = 540e9;
    in[LC_IN_TOKENS] = 780e9;
    in[LC_IN_LAYERS] = 118;
    in[LC_IN_HEADS] = 48;
    in[LC_IN_HEAD_DIM] = 256;
    in[LC_IN_TRAIN_SEQ_LEN] = 2048;
    eval_at(in, out);
    assert_true(out[LC_OUT_PRETRAIN_FLOP] == 3275634806784.0 * 780e9);
}

/* Mixture of experts (DeepSeek-V3: 37B of 671B active): FLOPs use the
 * active parameters, memory all of them. */
static void test_moe_flops_use_active_memory_uses_all(void **state)
{
    (void)state;
    double in[LC_IN_COUNT], out[LC_OUT_COUNT], dense[LC_OUT_COUNT];
    lc_inputs_default(in);
    in[LC_IN_PARAMS] = 37e9;
    eval_at(in, dense);
    in[LC_IN_PARAMS] = 671e9;
    in[LC_IN_PARAMS_ACTIVE] = 37e9;
    eval_at(in, out);
    assert_true(out[LC_OUT_INFER_COST_1K] == dense[LC_OUT_INFER_COST_1K]);
    assert_true(out[LC_OUT_PRETRAIN_FLOP] == 6.0 * 37e9 * 13e12);
    assert_true(out[LC_OUT_PRETRAIN_FLOP] == dense[LC_OUT_PRETRAIN_FLOP]);
    /* prefill: 2 * 37B plus the default shape's causal attention over the
     * default 500-token prompt (head_dim 35072 / 274 = 128), on either replica */
    double pftok = 2.0 * 37e9 + 2.0 * 120 * 274 * 128 * (500 + 1.0);
    assert_true(out[LC_OUT_PREFILL_FLOP] == 500 * pftok);
    assert_true(out[LC_OUT_PREFILL_FLOP] == dense[LC_OUT_PREFILL_FLOP]);
    assert_true(out[LC_OUT_DECODE_FLOP_TOK] == dense[LC_OUT_DECODE_FLOP_TOK]);
    assert_true(out[LC_OUT_PREFILL_TPS] == out[LC_OUT_GPUS_PER_REPLICA] * 312e12 / pftok);
    assert_true(dense[LC_OUT_PREFILL_TPS] == dense[LC_OUT_GPUS_PER_REPLICA] * 312e12 / pftok);
    assert_true(out[LC_OUT_WEIGHTS_BYTES] == 671e9 * 2);
    /* bandwidth-aware decode: the weights read are all 671B */
    assert_true(out[LC_OUT_INFER_COST_1K_BW] ==
                lc_infer_cost_per_1k(lc_infer_seconds_per_token_moe_bw(37e9, 671e9, 312e12, 1.0,
                                                                       2.039e12, 1, 2),
                                     2.2659));
}

/* The roofline by hand for the Llama-3.1-70B replica of 8 H100s (989
 * TFLOP/s dense BF16, 3.35 TB/s) at batch 1 and 64, 4K context. */
static void test_decode_roofline_by_hand(void **state)
{
    (void)state;
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    in[LC_IN_PARAMS] = 70.6e9;
    in[LC_IN_LAYERS] = 80;
    in[LC_IN_D_MODEL] = 8192;
    in[LC_IN_HEADS] = 64;
    in[LC_IN_KV_HEADS] = 8;
    in[LC_IN_CONTEXT] = 4096;
    in[LC_IN_FLOPS] = 989e12;
    in[LC_IN_HBM_BW] = 3.35e12;
    in[LC_IN_PRICE_HOUR] = 2.99;
    in[LC_IN_TP] = 8;
    in[LC_IN_BATCH] = 1;
    eval_at(in, out);
    /* batch 1: memory-bound, (141.2 + 1.342) GB / (8 * 3.35 TB/s) = 5.32 ms;
     * its compute, (2 * 70.6e9 + 4 * 80 * 64 * 128 * 4096) / (8 * 989e12) =
     * 19.2 us, is far below */
    assert_true(out[LC_OUT_DECODE_FLOP_TOK] == 2.0 * 70.6e9 + 10737418240.0);
    double mem = 141.2e9 + 1342177280.0;
    double step = mem / (8 * 3.35e12 * 1.0);
    assert_true(out[LC_OUT_TPOT_MS] == step * 1000.0);
    assert_true(out[LC_OUT_DECODE_TPS] == 1.0 / step);
    assert_true(fabs(out[LC_OUT_TPOT_MS] - 5.3187) < 1e-3);
    /* the decode cost: 8 GPUs at 2.99 USD/h for 1000 tokens */
    assert_true(out[LC_OUT_DECODE_COST_1K] == 1000.0 * 8 * (2.99 / 3600.0) / (1.0 / step));
    /* prefill: compute-bound, 8 * 989e12 / (2 * 70.6e9 + 2 * 80 * 64 * 128 *
     * 501) tokens/s; the 500-token prompt's attention adds 0.46% */
    double pftok = 2.0 * 70.6e9 + 2.0 * 80 * 64 * 128 * 501;
    assert_true(pftok == 141200000000.0 + 656670720.0);
    assert_true(out[LC_OUT_PREFILL_FLOP] == 500 * pftok);
    assert_true(out[LC_OUT_PREFILL_TPS] == 8 * 989e12 * 1.0 / pftok);
    assert_true(out[LC_OUT_TTFT_S] == 500 / out[LC_OUT_PREFILL_TPS]);
    assert_true(out[LC_OUT_REQUEST_LATENCY_S] == out[LC_OUT_TTFT_S] + 500 * step);
    /* serve cost: 1:1 blend of prefill and decode, load factor 1 */
    assert_true(out[LC_OUT_SERVE_COST_1K] ==
                (out[LC_OUT_PREFILL_COST_1K] + out[LC_OUT_DECODE_COST_1K]) / 2.0 / 1.0);
    /* a larger batch is cheaper per token until compute binds: at batch
     * 4096 the step's compute time passes its memory time */
    double c64, c4k;
    in[LC_IN_BATCH] = 64;
    in[LC_IN_TP] = 0;
    eval_at(in, out);
    c64 = out[LC_OUT_DECODE_COST_1K];
    assert_true(c64 < 1000.0 * 8 * (2.99 / 3600.0) * step);
    in[LC_IN_BATCH] = 4096;
    in[LC_IN_CONTEXT] = 16;
    eval_at(in, out);
    c4k = out[LC_OUT_DECODE_COST_1K];
    double g = out[LC_OUT_GPUS_PER_REPLICA];
    double dftok = 2.0 * 70.6e9 + 4.0 * 80 * 64 * 128 * 16; /* 16 tokens attended */
    double compute = 4096 * dftok / (g * 989e12);
    assert_true(out[LC_OUT_TPOT_MS] == compute * 1000.0); /* compute-bound */
    /* compute-bound decode costs what the article's compute-bound cost is,
     * times the attention's share: 1 + 41.9M / 141.2G */
    assert_rel_ok(c4k, out[LC_OUT_INFER_COST_1K] * (dftok / (2.0 * 70.6e9)));
}

/* Long context (issue 12 follow-up): the Llama-3.1-70B preset (70.554B
 * parameters, 80 layers of 64 heads of 128, 8 KV heads, 128K context) on
 * H100s (989 TFLOP/s, 3.35 TB/s, 80 GB, 2.99 USD/h) with a 100,000-token
 * prompt.  Prefill: the weights' 2 N = 141.1 GFLOP per token plus the causal
 * attention 2 L H Q (P + 1) = 131.1 GFLOP per token, on the 3 GPUs the 128K
 * cache needs: ttft 9.17 s, 1.93 times the 4.76 s of the weights alone
 * (PaLM's MFU convention, 4 L H Q P per token, would say 13.6 s).  Decode:
 * 4 L H Q * 131072 = 343.6 GFLOP of attention per token, 2.4 times the
 * weights', yet batch-1 decode stays bound by reading 184 GB. */
static void test_long_context_attention_by_hand(void **state)
{
    (void)state;
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    in[LC_IN_PARAMS] = 70.554e9;
    in[LC_IN_LAYERS] = 80;
    in[LC_IN_D_MODEL] = 8192;
    in[LC_IN_HEADS] = 64;
    in[LC_IN_KV_HEADS] = 8;
    in[LC_IN_CONTEXT] = 131072;
    in[LC_IN_TRAIN_SEQ_LEN] = 8192;
    in[LC_IN_FLOPS] = 989e12;
    in[LC_IN_HBM_BW] = 3.35e12;
    in[LC_IN_GPU_MEM] = 80e9;
    in[LC_IN_PRICE_HOUR] = 2.99;
    in[LC_IN_POWER_W] = 700;
    in[LC_IN_PROMPT_TOKENS] = 100000;
    eval_at(in, out);
    /* (141.108 + 42.950) GB / 72 GB usable = 2.56: 3 GPUs */
    assert_true(out[LC_OUT_MEM_PER_REPLICA] == 141108000000.0 + 42949672960.0);
    assert_true(out[LC_OUT_GPUS_PER_REPLICA] == 3.0);
    /* per prompt token: 2 * 70.554e9 + 2 * 80 * 64 * 128 * 100001 */
    double pftok = 141108000000.0 + 131073310720.0;
    assert_true(out[LC_OUT_PREFILL_FLOP] == 100000 * pftok);
    assert_true(out[LC_OUT_PREFILL_FLOP] == 2.7218131072e16);
    assert_true(out[LC_OUT_PREFILL_TPS] == 3 * 989e12 / pftok);
    assert_true(out[LC_OUT_TTFT_S] == 100000 / (3 * 989e12 / pftok));
    assert_true(fabs(out[LC_OUT_TTFT_S] - 9.17362) < 1e-5);
    double ttft_weights = 100000 / (3 * 989e12 / 141108000000.0);
    assert_true(fabs(ttft_weights - 4.75592) < 1e-5);
    assert_true(fabs(out[LC_OUT_TTFT_S] / ttft_weights - 1.92888) < 1e-5);
    /* the prefill price per 1K input tokens rises by the same factor */
    assert_true(out[LC_OUT_PREFILL_COST_1K] == 1000.0 * 3 * (2.99 / 3600.0) / (3 * 989e12 / pftok));
    /* decode: 2 * 70.554e9 + 4 * 80 * 64 * 128 * 131072 per token */
    assert_true(out[LC_OUT_DECODE_FLOP_TOK] == 141108000000.0 + 343597383680.0);
    double step = (141108000000.0 + 42949672960.0) / (3 * 3.35e12 * 1.0);
    assert_true(out[LC_OUT_TPOT_MS] == step * 1000.0); /* memory-bound */
    assert_true(out[LC_OUT_REQUEST_LATENCY_S] == out[LC_OUT_TTFT_S] + 500 * step);
    /* the article's compute-bound cost and the pretraining side do not move */
    assert_true(out[LC_OUT_INFER_COST_1K] ==
                lc_infer_cost_per_1k(lc_infer_seconds_per_token(70.554e9, 989e12, 1.0), 2.99));
    /* a 1-token prompt attends to itself only: 2 L H Q * 2 */
    in[LC_IN_PROMPT_TOKENS] = 1;
    eval_at(in, out);
    assert_true(out[LC_OUT_PREFILL_FLOP] == 141108000000.0 + 2.0 * 1310720.0);
    /* an empty prompt: no FLOPs, no time, and the throughput its limit */
    in[LC_IN_PROMPT_TOKENS] = 0;
    eval_at(in, out);
    assert_true(out[LC_OUT_PREFILL_FLOP] == 0.0 && out[LC_OUT_TTFT_S] == 0.0);
    assert_true(out[LC_OUT_PREFILL_TPS] == 3 * 989e12 / (141108000000.0 + 1310720.0));

    /* the graph's dependencies: the shape reaches prefill and decode, the
     * prompt only prefill, the context only decode, kv_heads neither (each
     * query head does its own products); head_dim given cuts d_model off */
    lc_inmask shape = LC_BIT(LC_IN_LAYERS) | LC_BIT(LC_IN_HEADS) | LC_BIT(LC_IN_HEAD_DIM) |
                      LC_BIT(LC_IN_D_MODEL) | LC_BIT(LC_IN_PARAMS) | LC_BIT(LC_IN_PARAMS_ACTIVE);
    assert_true(lc_output_depends(LC_OUT_PREFILL_FLOP) == (shape | LC_BIT(LC_IN_PROMPT_TOKENS)));
    assert_true(lc_output_depends(LC_OUT_DECODE_FLOP_TOK) == (shape | LC_BIT(LC_IN_CONTEXT)));
    assert_true((lc_output_depends(LC_OUT_TTFT_S) & shape) == shape);
    assert_true((lc_output_depends(LC_OUT_TPOT_MS) & shape) == shape);
    assert_false(lc_output_depends(LC_OUT_INFER_COST_1K) & LC_BIT(LC_IN_LAYERS));
    double lo[LC_IN_COUNT], hi[LC_IN_COUNT];
    lc_inputs_default(lo);
    lc_inputs_default(hi);
    lo[LC_IN_HEAD_DIM] = hi[LC_IN_HEAD_DIM] = 128;
    assert_false(lc_output_depends_in(LC_OUT_PREFILL_FLOP, lo, hi) & LC_BIT(LC_IN_D_MODEL));
    assert_true(lc_output_depends_in(LC_OUT_PREFILL_FLOP, lo, hi) & LC_BIT(LC_IN_HEAD_DIM));
}

/* serving = roofline feeds monthly_cost, token_*, sub_* and both
 * break-evens; routing (route_share > 0) feeds them the routed blend; the
 * defaults stay the article's compute-bound numbers, bit for bit. */
static void test_business_outputs_follow_serving_and_routing(void **state)
{
    (void)state;
    double in[LC_IN_COUNT], out[LC_OUT_COUNT];
    lc_inputs_default(in);
    eval_at(in, out);
    assert_true(out[LC_OUT_COST_1K] == out[LC_OUT_INFER_COST_1K]);
    double fixed = out[LC_OUT_FIXED_MONTHLY];
    assert_true(out[LC_OUT_MONTHLY_COST] ==
                lc_monthly_cost(fixed, 1.85e12, out[LC_OUT_INFER_COST_1K]));
    /* batch-1 decode of the defaults is 153x the compute-bound cost (weights
     * alone, the figure; 156x with the 4K context's KV cache) */
    assert_true(fabs(out[LC_OUT_INFER_COST_1K_BW] / out[LC_OUT_INFER_COST_1K] - 153.0) < 0.1);
    assert_true(fabs(out[LC_OUT_DECODE_COST_1K] / out[LC_OUT_INFER_COST_1K] - 156.0) < 0.1);

    in[LC_IN_SERVING] = 1;
    eval_at(in, out);
    double serve = out[LC_OUT_SERVE_COST_1K];
    assert_true(out[LC_OUT_COST_1K] == serve);
    assert_true(out[LC_OUT_MONTHLY_COST] == lc_monthly_cost(fixed, 1.85e12, serve));
    assert_true(out[LC_OUT_SUB_COST] == lc_subscription_cost(fixed, 1e7, 1.8e6, serve));
    assert_true(isnan(out[LC_OUT_BREAKEVEN_TOKENS])); /* 0.56 USD/1K > 0.02 price */
    assert_true(out[LC_OUT_ROUTE_COST_1K] == serve);  /* no routing: the large model */

    in[LC_IN_ROUTE_SHARE] = 0.5;
    eval_at(in, out);
    double routed = out[LC_OUT_ROUTE_COST_1K];
    assert_true(out[LC_OUT_COST_1K] == routed);
    assert_true(out[LC_OUT_MONTHLY_COST] == lc_monthly_cost(fixed, 1.85e12, routed));
    assert_true(out[LC_OUT_ROUTE_SAVING_1K] == serve - routed);
    in[LC_IN_SERVING] = 0;
    eval_at(in, out);
    assert_true(out[LC_OUT_COST_1K] == out[LC_OUT_ROUTE_COST_1K]);
    assert_true(out[LC_OUT_ROUTE_COST_1K] ==
                lc_route_cost_per_1k(0.5, lc_small_cost_per_1k(7e9, 312e12, 1.0, 2.2659),
                                     out[LC_OUT_INFER_COST_1K], 0, 1000));
}

/* Self-host or buy, the step function checked point by point: k replicas
 * cost k R a month and serve up to k C tokens; buying costs T p. */
static void test_selfhost_breakeven_is_the_last_crossing(void **state)
{
    (void)state;
    /* 8 GPUs at 2 USD/h: R = 8 * 2 * 730 = 11680 USD/month */
    const double gpus = 8, price = 2, R = 11680.0;
    const double avg = 0.00390625; /* 2^-8 USD per 1K */
    struct { double serve, want; } cases[] = {
        {0.001953125, 1 * R / avg * 1000.0},  /* u = 1/2: k = 1 */
        {0.0029296875, 3 * R / avg * 1000.0}, /* u = 3/4: k = 3 */
        {0.00341796875, 7 * R / avg * 1000.0}, /* u = 7/8: k = 7 */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double t = lc_selfhost_breakeven_tokens(cases[c].serve, avg, gpus, price);
        assert_true(t == cases[c].want);
        /* capacity of one replica: R / serve cost per token */
        double cap = R / (cases[c].serve / 1000.0), p = avg / 1000.0;
        for (int j = 1; j <= 4000; j++) {
            double T = cap * 20.0 * j / 4000.0;
            double self = ceil(T / cap) * R, buy = T * p;
            if (T > t * (1 + 1e-12) && !(self < buy))
                fail_msg("u %g: at %.17g tokens self %.17g >= buy %.17g above %.17g",
                         cases[c].serve / avg, T, self, buy, t);
        }
        /* and just below it buying is (not more expensive) */
        double T = t * (1 - 1e-9);
        assert_true(ceil(T / cap) * R >= T * p);
    }
    assert_true(isnan(lc_selfhost_breakeven_tokens(avg, avg, gpus, price)));       /* u = 1 */
    assert_true(isnan(lc_selfhost_breakeven_tokens(2 * avg, avg, gpus, price)));   /* u = 2 */
    assert_true(isnan(lc_selfhost_breakeven_tokens(0.001, 0.0, gpus, price)));     /* free API */
}

/* load_factor divides the serving cost; bw_util and mem_util scale the
 * memory limits. */
static void test_load_factor_and_utilizations(void **state)
{
    (void)state;
    assert_true(lc_serve_cost_per_1k(0.001, 0.003, 1, 0.5) == (0.001 + 0.003) / 2.0 / 0.5);
    assert_true(lc_serve_cost_per_1k(0.001, 0.003, 3, 1) == (3 * 0.001 + 0.003) / 4.0);
    double s1 = lc_decode_step_s(1, 7e9, 1, 989e12, 1, 14e9, 3.35e12, 1.0);
    double s2 = lc_decode_step_s(1, 7e9, 1, 989e12, 1, 14e9, 3.35e12, 0.5);
    assert_true(s2 == 14e9 / (1 * 3.35e12 * 0.5) && s1 == 14e9 / 3.35e12);
    assert_true(lc_max_batch(1, 80e9, 0.5, 14e9, 1e9) == 26.0);
    assert_true(lc_max_batch(1, 80e9, 0.1, 14e9, 1e9) == 0.0); /* weights alone overflow */
    assert_true(isnan(lc_max_batch(NAN, 80e9, 0.9, 14e9, 1e9)));
}

/* serving takes words on the command line and in specs. */
static void test_serving_keywords(void **state)
{
    (void)state;
    double v = -1;
    assert_true(lc_input_keyword(LC_IN_SERVING, "compute", &v) && v == 0.0);
    assert_true(lc_input_keyword(LC_IN_SERVING, "roofline", &v) && v == 1.0);
    assert_false(lc_input_keyword(LC_IN_SERVING, "fast", &v));
    assert_false(lc_input_keyword(LC_IN_BATCH, "roofline", &v));
    assert_string_equal(lc_input_zero_meaning(LC_IN_PARAMS_ACTIVE), "= params");
    assert_null(lc_input_zero_meaning(LC_IN_PARAMS));
}

/* Pick nodes: a branch no value in the ranges picks is no dependency. */
static void test_fixed_switches_prune_dependencies(void **state)
{
    (void)state;
    double lo[LC_IN_COUNT], hi[LC_IN_COUNT];
    lc_inputs_default(lo);
    lc_inputs_default(hi);
    lc_inmask full = lc_output_depends(LC_OUT_MONTHLY_COST);
    lc_inmask at = lc_output_depends_in(LC_OUT_MONTHLY_COST, lo, hi);
    assert_true(full & LC_BIT(LC_IN_BATCH));
    assert_false(at & LC_BIT(LC_IN_BATCH));          /* serving 0: no roofline */
    assert_false(at & LC_BIT(LC_IN_SMALL_PARAMS));   /* route_share 0: no routing */
    assert_true(at & LC_BIT(LC_IN_PARAMS));
    lo[LC_IN_ROUTE_SHARE] = 0.1;
    hi[LC_IN_ROUTE_SHARE] = 0.9;                     /* routed over the whole range */
    at = lc_output_depends_in(LC_OUT_MONTHLY_COST, lo, hi);
    assert_true(at & LC_BIT(LC_IN_SMALL_PARAMS));
    assert_false(at & LC_BIT(LC_IN_BATCH));
    lo[LC_IN_ROUTE_SHARE] = 0;                       /* [0, 0.9]: both branches */
    hi[LC_IN_SERVING] = 1;
    assert_true(lc_output_depends_in(LC_OUT_MONTHLY_COST, lo, hi) == full);
    /* params_active given: pretrain_flop no longer reads params */
    lc_inputs_default(lo);
    lc_inputs_default(hi);
    lo[LC_IN_PARAMS_ACTIVE] = hi[LC_IN_PARAMS_ACTIVE] = 37e9;
    assert_false(lc_output_depends_in(LC_OUT_PRETRAIN_FLOP, lo, hi) & LC_BIT(LC_IN_PARAMS));
    assert_true(lc_output_depends_in(LC_OUT_WEIGHTS_BYTES, lo, hi) & LC_BIT(LC_IN_PARAMS));
}

/* lc_ceil_nonneg / lc_floor_nonneg (the vectorizable ceil and floor) equal
 * the C library's for every x >= 0: edge values and 2 million random bit
 * patterns and fractions. */
static void test_ceil_floor_equal_libm(void **state)
{
    (void)state;
    static const double edge[] = {-0.0, 0.0, 0.3, 0.5, 1.5, 2.5, 44.4, 45.0, 49.33,
                                  4503599627370495.5, 4503599627370496.0, 4503599627370497.0,
                                  9007199254740993.0, 1e300, INFINITY, 1e-320,
                                  0.49999999999999994, 2.0000000000000004, 3e15 + 0.5,
                                  0.9999999999999999, 1.0000000000000002, 323.95, 7.0};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        double c = ceil(edge[i]), f = floor(edge[i]);
        double c2 = lc_ceil_nonneg(edge[i]), f2 = lc_floor_nonneg(edge[i]);
        if (memcmp(&c, &c2, sizeof c) || memcmp(&f, &f2, sizeof f))
            fail_msg("x %.17g: ceil %.17g / %.17g, floor %.17g / %.17g", edge[i], c, c2, f, f2);
    }
    assert_true(isnan(lc_ceil_nonneg(NAN)) && isnan(lc_floor_nonneg(NAN)));
    uint64_t s = 88172645463325252ull;
    for (int i = 0; i < 1000000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        uint64_t bits = s >> 1; /* sign bit 0: x >= 0 or NaN */
        double x, y = (double)(s % 100000000) / 997.0;
        memcpy(&x, &bits, sizeof x);
        const double v[2] = {x, y};
        for (int k = 0; k < 2; k++) {
            if (isnan(v[k]))
                continue;
            double c = ceil(v[k]), f = floor(v[k]);
            double c2 = lc_ceil_nonneg(v[k]), f2 = lc_floor_nonneg(v[k]);
            if (memcmp(&c, &c2, sizeof c) || memcmp(&f, &f2, sizeof f))
                fail_msg("x %.17g: ceil %.17g / %.17g, floor %.17g / %.17g", v[k], c, c2, f, f2);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_llama31_70b_kv_cache_at_batch_256_4k),
        cmocka_unit_test(test_gpt4_weights_need_45_a100_80gb),
        cmocka_unit_test(test_max_batch_on_tp_when_batch_does_not_fit),
        cmocka_unit_test(test_palm_attention_flops),
        cmocka_unit_test(test_moe_flops_use_active_memory_uses_all),
        cmocka_unit_test(test_decode_roofline_by_hand),
        cmocka_unit_test(test_long_context_attention_by_hand),
        cmocka_unit_test(test_business_outputs_follow_serving_and_routing),
        cmocka_unit_test(test_selfhost_breakeven_is_the_last_crossing),
        cmocka_unit_test(test_load_factor_and_utilizations),
        cmocka_unit_test(test_serving_keywords),
        cmocka_unit_test(test_fixed_switches_prune_dependencies),
        cmocka_unit_test(test_ceil_floor_equal_libm),
    };
    return cmocka_run_group_tests_name("planner", tests, NULL, NULL);
}
