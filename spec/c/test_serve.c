/* test_serve.c - the serving model on hand-computed cases (batch > 1, TP,
 * EP, PP, aggregated and pool modes), its scenarios and its bad input. The
 * expected values are worked out in the comments from the equations at the
 * top of csrc/serve.c, not read back from the code. */
#include "tap.h"
#include "tpp.h"

#include <math.h>
#include <string.h>

/* A small chip and a dense GQA model with round numbers. */
static void dense_case(tpp_serve_config *c) {
  tpp_serve_config_init(c);
  c->chip.gemm_tflops = 100;
  c->chip.attn_tflops = 50;
  c->chip.mem_bw_gbs = 1000;
  c->chip.mem_gb = 100;
  c->chip.scaleup_gbs = 100;
  c->chip.scaleup_us = 10;
  c->chip.scaleup_size = 8;
  c->model.dense_params = 1e9;
  c->model.resident_params = 1.2e9;  /* + 0.2e9 of input embeddings */
  c->model.weight_bytes = 4.5 / 8;    /* 4-bit weights with block scales */
  c->model.kv_bytes_per_token = 1000;
  c->model.attn_flops_per_ctx = 1e6;
  c->model.hidden = 1000;
  c->model.act_bytes = 2;
  c->model.n_layers = 10;
  c->model.kv_heads = 4;
  c->plan.tp = 2;
  c->work.batch = 8;
  c->work.input_tokens = 100;
  c->work.output_tokens = 20;
  c->work.mode = TPP_SERVE_DECODE_POOL;
  c->eff.mem = 0.5;
  c->eff.compute = 0.5;
  c->eff.mem_reserve = 0;
}

TAP_TEST(serve_decode_tp2_batch8_exact) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  dense_case(&c);
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_OK, "eval ok");
  TAP_INT(r.status, TPP_SERVE_OK, "feasible");
  /* dense weights per chip: 1e9 x 0.5625 / tp 2 */
  TAP_NEAR(r.decode_weight_bytes, 2.8125e8, 1e-12, "4-bit weights at 4.5 bits, split by TP");
  /* KV: 8 sequences x (100 + 20/2) context x 1000 B x ceil(4/2)/4 */
  TAP_NEAR(r.decode_kv_bytes, 440000, 1e-12, "KV read scales with the batch");
  /* FLOPs: 2 x 1e9 x 8 / 2 + 8 x 110 x 1e6 / 2 */
  TAP_NEAR(r.decode_flops, 8e9 + 4.4e8, 1e-12, "matmul + attention FLOPs");
  /* all-reduce message: 8 tokens x 1000 x 2 B; 2 per layer x 10 layers */
  TAP_NEAR(r.allreduce_bytes, 16000, 1e-12, "all-reduce message size");
  TAP_NEAR(r.allreduce_count, 20, 1e-12, "two all-reduces per layer");
  /* comm: 20 x (10 us + 2 (2-1)/2 x 16000 / 100e9) = 203.2 us */
  TAP_NEAR(r.comm_ms, 0.2032, 1e-12, "ring all-reduce time");
  /* step: max(2.8125e8 / 5e11, 8e9 / 5e13) + max(4.4e5 / 5e11, 4.4e8 / 2.5e13) + comm
   *     = 5.625e-4 + 1.76e-5 + 2.032e-4 s */
  TAP_NEAR(r.step_ms, 0.7833, 1e-12, "decode step");
  TAP_NEAR(r.tpot_ms, 0.7833, 1e-12, "TPOT = step without speculation");
  TAP_NEAR(r.per_chip_output_tokens_per_s, 8 / 0.7833e-3 / 2, 1e-12, "tokens/s per chip");
  TAP_NEAR(r.per_chip_prefill_tokens_per_s, 0, 1e-12, "a decode pool prefills nothing");
  TAP_OK(isnan(r.ttft_ms), "a decode pool alone has no TTFT");
  TAP_INT(r.decode_bound, TPP_SERVE_BOUND_MEMORY, "memory bound");
  /* memory: weights 1.2e9 x 0.5625 / 2; per sequence 120 x 1000 x 0.5 */
  TAP_NEAR(r.weights_gb, 0.3375, 1e-12, "weights per chip");
  TAP_INT(r.max_batch, 1661041, "largest batch: floor((1e11 - 3.375e8) / 6e4)");
  TAP_NEAR(r.kv_gb, 8 * 60000 / 1e9, 1e-12, "KV per chip at full length");
  TAP_INT(r.chips_per_replica, 2, "two chips per replica");
}

TAP_TEST(serve_batch_in_decode_kv_bytes) {
  tpp_serve_config c;
  tpp_serve_result r1, r4;
  tpp_error err;
  dense_case(&c);
  c.work.batch = 1;
  tpp_serve_eval(&c, &r1, &err);
  c.work.batch = 4;
  tpp_serve_eval(&c, &r4, &err);
  TAP_NEAR(r4.decode_kv_bytes, 4 * r1.decode_kv_bytes, 1e-12, "KV bytes x4 at batch 4");
  TAP_NEAR(r4.decode_weight_bytes, r1.decode_weight_bytes, 1e-12, "weights read once per step");
  TAP_NEAR(r4.allreduce_bytes, 4 * r1.allreduce_bytes, 1e-12, "all-reduce message x4");
}

TAP_TEST(serve_aggregated_folds_prefill_into_decode) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  double q, step, prefill;
  dense_case(&c);
  c.work.mode = TPP_SERVE_AGGREGATED;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_OK, "eval ok");
  /* 8 x 1 / 20 = 0.4 prompts start per step: q = 8 + 0.4 x 100 = 48 tokens */
  q = 48;
  TAP_NEAR(r.allreduce_bytes, q * 1000 * 2, 1e-12, "mixed step tokens");
  /* attention FLOPs: 8 x 110 x 1e6 + 0.4 x 1e6 x 100 x (100 - 50) = 8.8e8 + 2e9, / tp */
  TAP_NEAR(r.decode_flops, 2 * 1e9 * q / 2 + (8.8e8 + 2e9) / 2, 1e-12, "mixed step FLOPs");
  /* step: max(5.625e-4, 4.8e10 / 5e13) (48 tokens: compute bound) + max(8.8e-7, 1.44e9 / 2.5e13)
   *       + 20 (10e-6 + 96000 / 100e9) */
  step = 4.8e10 / 5e13 + 1.44e9 / 2.5e13 + 20 * (10e-6 + 96000 / 100e9);
  TAP_NEAR(r.step_ms, step * 1e3, 1e-12, "mixed step time");
  TAP_NEAR(r.per_chip_prefill_tokens_per_s, r.per_chip_output_tokens_per_s * 100 / 20, 1e-12,
           "prompt tokens per output token = P / O");
  /* one prompt alone: q = 100, attention 1e6 x 100 x 50 = 5e9 FLOPs */
  prefill = fmax(2.8125e8 / 5e11, 2 * 1e9 * 100 / 2 / 5e13) + fmax(0, 5e9 / 2 / 2.5e13) +
            20 * (10e-6 + 200000 / 100e9);
  TAP_NEAR(r.prefill_ms, prefill * 1e3, 1e-12, "prefill of one prompt");
  TAP_NEAR(r.ttft_ms, r.prefill_ms + r.step_ms * 7 / 8, 1e-12, "TTFT = own prefill + the step of the other 7");
}

TAP_TEST(serve_matmul_rows_efficiency) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  dense_case(&c);
  c.work.batch = 64;
  c.eff.gemm_m_half = 64; /* 64 rows per chip: half of eff.compute */
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_OK, "eval ok");
  /* dense: max(5.625e-4, 2e9 x 64 / 2 / (5e13 x 0.5)) = 2.56e-3 (compute bound at half efficiency);
   * KV 64 x 110 x 1000 x 0.5 = 3.52e6 B; attention 64 x 110 x 1e6 / 2 = 3.52e9 FLOPs at full efficiency;
   * all-reduce 20 x (10 us + 128000 / 100e9) */
  TAP_NEAR(r.step_ms, (2.56e-3 + fmax(3.52e6 / 5e11, 3.52e9 / 2.5e13) + 20 * (10e-6 + 1.28e-6)) * 1e3, 1e-12,
           "matmul efficiency halves at m_half rows, attention does not");
  TAP_INT(r.decode_bound, TPP_SERVE_BOUND_COMPUTE, "compute bound");
  c.eff.gemm_m_half = 0;
  tpp_serve_eval(&c, &r, &err);
  TAP_NEAR(r.step_ms, (fmax(5.625e-4, 1.28e-3) + fmax(3.52e6 / 5e11, 3.52e9 / 2.5e13) + 20 * (10e-6 + 1.28e-6)) * 1e3,
           1e-12, "without the loss: full efficiency");
}

TAP_TEST(serve_rounded_roofline) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  double a, b;
  dense_case(&c);
  c.work.batch = 64;
  c.eff.roofline_p = 2;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_OK, "eval ok");
  /* dense: sqrt(5.625e-4^2 + 1.28e-3^2); attention: sqrt((3.52e6/5e11)^2 + (3.52e9/2.5e13)^2) */
  a = sqrt(5.625e-4 * 5.625e-4 + 1.28e-3 * 1.28e-3);
  b = sqrt(7.04e-6 * 7.04e-6 + 1.408e-4 * 1.408e-4);
  TAP_NEAR(r.step_ms, (a + b + 20 * (10e-6 + 1.28e-6)) * 1e3, 1e-12, "p = 2: each roofline is a 2-norm");
}

TAP_TEST(serve_pipeline_microbatches) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  double stage, p2p;
  dense_case(&c);
  c.plan.tp = 1;
  c.plan.pp = 2;
  c.chip.scaleout_gbs = 50;
  c.chip.scaleout_us = 20;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_OK, "eval ok");
  /* micro-batch 4, half the layers: dense 1e9 x 0.5625 / 2 bytes; KV 4 x 110 x 1000 / 2 */
  TAP_NEAR(r.decode_weight_bytes, 2.8125e8, 1e-12, "half the layers per stage");
  TAP_NEAR(r.decode_kv_bytes, 220000, 1e-12, "micro-batch KV per stage");
  TAP_NEAR(r.allreduce_count, 0, 1e-12, "no TP, no all-reduce");
  stage = fmax(2.8125e8 / 5e11, 2 * 1e9 * 0.5 * 4 / 5e13) + fmax(220000 / 5e11, 4 * 110 * 1e6 * 0.5 / 2.5e13);
  /* R = 2 <= 8: stages hand over on the scale-up link: 10 us + 4 x 1000 x 2 / 100e9 */
  p2p = 10e-6 + 8000 / 100e9;
  TAP_NEAR(r.step_ms, (2 * stage + p2p) * 1e3, 1e-12, "two stage steps + one hand-over");
  TAP_NEAR(r.per_chip_output_tokens_per_s, 8 / (2 * stage + p2p) / 2, 1e-12, "8 tokens per step, 2 chips");
}

/* DeepSeek-like MoE with experts spread over 4 chips, attention data-parallel. */
TAP_TEST(serve_moe_expert_parallel_all_to_all) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  double touched, comm;
  dense_case(&c);
  c.model.weight_bytes = 1;
  c.model.n_experts = 8;
  c.model.experts_per_token = 2;
  c.model.expert_params = 1e8;
  c.model.moe_layers = 10;
  c.model.resident_params = 1e9 + 8 * 10 * 1e8;
  c.model.kv_heads = 0; /* latent cache: not split */
  c.plan.tp = 1;
  c.plan.ep = 4;
  c.eff.dispatch_bytes = 1;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_OK, "eval ok");
  /* 8 tokens pick 2 of 8: E (1 - (1 - 2/8)^8) experts touched, over 4 chips */
  touched = 8 * (1 - pow(0.75, 8));
  TAP_NEAR(r.decode_weight_bytes, 1e9 + 10 * touched * 1e8 / 4, 1e-12, "dense whole + touched experts / 4");
  /* 2 tokens per chip (attention DP 4), 2 destinations, 1000 values: dispatch 1 B, combine 2 B,
   * 3 of 4 destinations remote: 10 layers x 12000 x 0.75 */
  TAP_NEAR(r.alltoall_bytes, 90000, 1e-12, "all-to-all bytes per chip per step");
  comm = 10 * ((10e-6 + 4000 * 0.75 / 100e9) + (10e-6 + 8000 * 0.75 / 100e9));
  TAP_NEAR(r.comm_ms, comm * 1e3, 1e-12, "dispatch + combine over the scale-up link");
  /* KV: 8 / 4 sequences per chip x 110 x 1000, not split */
  TAP_NEAR(r.decode_kv_bytes, 220000, 1e-12, "latent KV per attention group");
  /* FLOPs: dense 2e9 x 2 tokens + experts 2 x 8 x 2 x 1e8 x 10 / 4 + attention 2 x 110 x 1e6 */
  TAP_NEAR(r.decode_flops, 4e9 + 8e9 + 2.2e8, 1e-12, "MoE decode FLOPs");
  TAP_NEAR(r.weights_gb, (1e9 + 8e9 / 4) / 1e9, 1e-12, "experts split over the EP group");
}

TAP_TEST(serve_moe_crosses_domains) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  dense_case(&c);
  c.model.weight_bytes = 1;
  c.model.n_experts = 16;
  c.model.experts_per_token = 2;
  c.model.expert_params = 1e8;
  c.model.moe_layers = 10;
  c.model.resident_params = 1e9 + 16 * 10 * 1e8;
  c.plan.tp = 1;
  c.plan.ep = 16;
  c.work.batch = 16;
  tpp_serve_eval(&c, &r, &err);
  TAP_INT(r.status, TPP_SERVE_NEEDS_SCALEOUT, "EP16 over 8-chip domains needs a scale-out link");
  TAP_OK(isnan(r.per_chip_output_tokens_per_s), "no figure for an infeasible plan");
  c.chip.scaleout_gbs = 25;
  c.chip.scaleout_us = 30;
  tpp_serve_eval(&c, &r, &err);
  TAP_INT(r.status, TPP_SERVE_OK, "feasible with a scale-out link");
  /* 1 token per chip, 2 destinations x 1000 values: dispatch 2000 x 2 B, combine 2000 x 2 B;
   * 7 of 16 peers inside (scale-up), 8 outside (scale-out, 30 us latency) */
  TAP_NEAR(r.comm_ms, 10 * 2 * (30e-6 + fmax(4000 * 7.0 / 16 / 100e9, 4000 * 8.0 / 16 / 25e9)) * 1e3, 1e-12,
           "slowest link decides, scale-out latency");
}

TAP_TEST(serve_feasibility_status) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  dense_case(&c);
  c.plan.tp = 16;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_OK, "an impossible plan is not an error");
  TAP_INT(r.status, TPP_SERVE_TP_EXCEEDS_DOMAIN, "TP 16 > 8-chip domain");
  dense_case(&c);
  c.chip.mem_gb = 0.3; /* weights 0.3375 GB per chip */
  tpp_serve_eval(&c, &r, &err);
  TAP_INT(r.status, TPP_SERVE_WEIGHTS_DO_NOT_FIT, "weights do not fit");
  TAP_INT(r.max_batch, 0, "no batch fits");
  dense_case(&c);
  c.chip.mem_gb = 0.3375 + 0.00061; /* room for 10.17 sequences of 60 kB */
  c.work.batch = 11;
  tpp_serve_eval(&c, &r, &err);
  TAP_INT(r.max_batch, 10, "ten sequences fit");
  TAP_INT(r.status, TPP_SERVE_BATCH_DOES_NOT_FIT, "batch 11 does not");
  c.work.batch = 10;
  tpp_serve_eval(&c, &r, &err);
  TAP_INT(r.status, TPP_SERVE_OK, "batch 10 does (>= is the boundary)");
}

TAP_TEST(serve_speculative_decoding) {
  tpp_serve_config c;
  tpp_serve_result r0, r1;
  tpp_error err;
  dense_case(&c);
  tpp_serve_eval(&c, &r0, &err);
  c.work.spec_tokens = 1;
  c.work.spec_accept = 0.8;
  tpp_serve_eval(&c, &r1, &err);
  TAP_NEAR(r1.allreduce_bytes, 2 * r0.allreduce_bytes, 1e-12, "two query tokens per sequence per step");
  TAP_NEAR(r1.tpot_ms, r1.step_ms / 1.8, 1e-12, "1.8 tokens per step");
  TAP_NEAR(r1.per_chip_output_tokens_per_s, 8 * 1.8 / (r1.step_ms * 1e-3) / 2, 1e-12, "throughput with accepts");
}

TAP_TEST(serve_search_scenarios) {
  tpp_serve_config c;
  tpp_serve_result r, a, b;
  tpp_serve_target t;
  tpp_error err;
  dense_case(&c);
  c.chip.mem_gb = 0.3375 + 0.00601; /* 100.17 sequences fit */
  memset(&t, 0, sizeof t);
  t.kind = TPP_SERVE_OFFLINE;
  TAP_INT(tpp_serve_search(&c, &t, &r, &err), TPP_OK, "offline ok");
  TAP_INT(r.batch, 100, "offline takes the largest batch that fits");
  t.max_batch = 64;
  tpp_serve_search(&c, &t, &r, &err);
  TAP_INT(r.batch, 64, "engine limit");
  t.kind = TPP_SERVE_SERVER;
  t.max_batch = 0;
  t.tpot_ms = 0.8;
  TAP_INT(tpp_serve_search(&c, &t, &r, &err), TPP_OK, "server ok");
  TAP_INT(r.status, TPP_SERVE_OK, "target met");
  c.work.batch = r.batch;
  tpp_serve_eval(&c, &a, &err);
  c.work.batch = r.batch + 1;
  tpp_serve_eval(&c, &b, &err);
  TAP_OK(a.tpot_ms <= 0.8 && b.tpot_ms > 0.8, "largest batch under the TPOT target (%d: %.6f, %.6f)",
         (int)r.batch, a.tpot_ms, b.tpot_ms);
  t.tpot_ms = 0.5;
  tpp_serve_search(&c, &t, &r, &err);
  TAP_INT(r.status, TPP_SERVE_LATENCY_UNMET, "0.5 ms is below batch 1's TPOT");
  TAP_INT(r.batch, 1, "nearest: batch 1");
  TAP_OK(r.tpot_ms > 0.5, "its figures stay for the report");
}

TAP_TEST(serve_bad_input_names_the_field) {
  tpp_serve_config c;
  tpp_serve_result r;
  tpp_error err;
  dense_case(&c);
  c.eff.mem = 2;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_E_ARG, "eff.mem 2 refused");
  TAP_OK(strstr(err.message, "eff.mem: got 2, expected a fraction in (0, 1]") != NULL, "%s", err.message);
  dense_case(&c);
  c.work.batch = 0;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_E_ARG, "batch 0 refused");
  TAP_OK(strstr(err.message, "work.batch: got 0") != NULL, "%s", err.message);
  dense_case(&c);
  c.chip.mem_bw_gbs = NAN;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_E_ARG, "unknown bandwidth refused, not zero");
  dense_case(&c);
  c.plan.ep = 2;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_E_ARG, "EP on a dense model refused");
  TAP_OK(strstr(err.message, "plan.ep") != NULL, "%s", err.message);
  dense_case(&c);
  c.model.resident_params = 0.5e9;
  TAP_INT(tpp_serve_eval(&c, &r, &err), TPP_E_ARG, "resident < dense refused");
}

TAP_TEST(serve_sweep_matches_single_evals) {
  tpp_serve_config c, one;
  tpp_serve_chip chips[2];
  tpp_serve_model models[1];
  tpp_serve_plan plans[3] = {{1, 1, 1}, {2, 1, 1}, {16, 1, 1}};
  int32_t batches[2] = {1, 8};
  double tok[12], tpot[12];
  int32_t st[12];
  tpp_serve_result r;
  tpp_error err;
  int i, ok = 1;
  dense_case(&c);
  chips[0] = c.chip;
  chips[1] = c.chip;
  chips[1].mem_bw_gbs = 2000;
  models[0] = c.model;
  TAP_INT(tpp_serve_sweep(&c, chips, 2, models, 1, plans, 3, batches, 2, tok, tpot, st, 2, &err), TPP_OK,
          "sweep ok");
  for (i = 0; i < 12; i++) {
    int b = i % 2, p = (i / 2) % 3, ch = i / 6;
    one = c;
    one.chip = chips[ch];
    one.plan = plans[p];
    one.work.batch = batches[b];
    tpp_serve_eval(&one, &r, &err);
    if (st[i] != r.status) ok = 0;
    if (r.status == TPP_SERVE_OK && tok[i] != r.per_chip_output_tokens_per_s) ok = 0;
  }
  TAP_OK(ok, "every sweep cell equals its single evaluation");
  TAP_INT(st[4], TPP_SERVE_TP_EXCEEDS_DOMAIN, "TP 16 cell infeasible");
  TAP_OK(isnan(tok[4]), "and has no figure");
}
