/*
 * roofline.c - an analytic model of LLM serving on one chip (or a
 * tensor-parallel group): prefill and decode times from bytes moved, FLOPs
 * done and collective latency, with every efficiency an explicit input.
 *
 * Decode step (batch B at context c, per chip of a tp-way group):
 *   bytes = (weights touched + B c kv_bytes_per_token) / tp
 *   FLOPs = B (2 active_params + attn_flops_per_ctx c) / tp
 *   time  = max(bytes / (BW eff_mem), FLOPs / (peak eff_compute))
 *           + 2 n_layers all-reduces (latency + ring bytes / link) + overhead
 * MoE: a batch of T tokens touches E (1 - (1 - k/E)^T) of the E experts of a
 * layer (each token picks k), so small batches read few experts.
 */
#include "internal.h"

#include <math.h>

void tpp_infer_scenario_init(tpp_infer_scenario *sc) {
  if (!sc) return;
  sc->batch = 1;
  sc->prompt_tokens = 1024;
  sc->output_tokens = 256;
  sc->tp = 1;
  sc->eff_compute = 0.5;
  sc->eff_mem = 0.7;
  sc->allreduce_us = 8.0;
  sc->step_overhead_us = 0.0;
  sc->mem_reserve = 0.1;
}

static int positive(double v, const char *name, tpp_error *err) {
  if (!(v > 0) || isinf(v))
    return tpp_fail(err, TPP_E_ARG, -1, -1, v, "%s: got %.17g, expected a finite number > 0", name, v);
  return TPP_OK;
}

static int nonneg(double v, const char *name, tpp_error *err) {
  if (!(v >= 0) || isinf(v))
    return tpp_fail(err, TPP_E_ARG, -1, -1, v, "%s: got %.17g, expected a finite number >= 0", name, v);
  return TPP_OK;
}

/* Weights a step over `tokens` tokens reads: dense part plus touched experts. */
static double weights_touched(const tpp_infer_model *m, double tokens) {
  double frac, touched;
  if (m->n_experts <= 0 || m->moe_layers <= 0) return m->weight_bytes;
  frac = (double)m->experts_per_token / (double)m->n_experts;
  touched = (double)m->n_experts * (1.0 - pow(1.0 - frac, tokens));
  return m->dense_weight_bytes + (double)m->moe_layers * touched * m->expert_bytes;
}

/* Ring all-reduce over tp chips: 2 (tp - 1) / tp of the message crosses a link. */
static double allreduce_ms(const tpp_infer_hw *hw, const tpp_infer_scenario *sc,
                           double message_bytes) {
  double tp = (double)sc->tp;
  if (sc->tp <= 1) return 0.0;
  return sc->allreduce_us * 1e-3 +
         2.0 * (tp - 1.0) / tp * message_bytes / (hw->link_gbs * 1e9) * 1e3;
}

int tpp_infer_eval(const tpp_infer_hw *hw, const tpp_infer_model *m,
                   const tpp_infer_scenario *sc, tpp_infer_result *out,
                   tpp_error *err) {
  double tp, B, ctx, w_step, kv_step, bytes, flops, t_mem, t_comp, comm, overhead;
  double usable, per_seq_kv, tokens, rc_ms;
  int rc;
  tpp_error_clear(err);
  if (!hw || !m || !sc || !out)
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "hardware, model, scenario and output are required");
  if ((rc = positive(hw->peak_tflops, "peak_tflops", err)) ||
      (rc = positive(hw->mem_bw_gbs, "mem_bw_gbs", err)) ||
      (rc = positive(hw->mem_gb, "mem_gb", err)) ||
      (rc = positive(m->weight_bytes, "weight_bytes", err)) ||
      (rc = positive(m->active_params, "active_params", err)) ||
      (rc = nonneg(m->kv_bytes_per_token, "kv_bytes_per_token", err)) ||
      (rc = nonneg(m->attn_flops_per_ctx, "attn_flops_per_ctx", err)) ||
      (rc = nonneg(m->hidden_bytes, "hidden_bytes", err)) ||
      (rc = nonneg(m->dense_weight_bytes, "dense_weight_bytes", err)) ||
      (rc = nonneg(m->expert_bytes, "expert_bytes", err)) ||
      (rc = nonneg(sc->allreduce_us, "allreduce_us", err)) ||
      (rc = nonneg(sc->step_overhead_us, "step_overhead_us", err)))
    return rc;
  if (sc->batch < 1 || sc->prompt_tokens < 1 || sc->output_tokens < 1 || sc->tp < 1 ||
      m->n_layers < 1)
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0,
                    "batch, prompt_tokens, output_tokens, tp and n_layers must be >= 1 "
                    "(got %d, %d, %d, %d, %d)", (int)sc->batch, (int)sc->prompt_tokens,
                    (int)sc->output_tokens, (int)sc->tp, (int)m->n_layers);
  if (!(sc->eff_compute > 0 && sc->eff_compute <= 1) || !(sc->eff_mem > 0 && sc->eff_mem <= 1))
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0,
                    "efficiencies must be in (0, 1] (got eff_compute %.17g, eff_mem %.17g)",
                    sc->eff_compute, sc->eff_mem);
  if (!(sc->mem_reserve >= 0 && sc->mem_reserve < 1))
    return tpp_fail(err, TPP_E_ARG, -1, -1, sc->mem_reserve,
                    "mem_reserve: got %.17g, expected a fraction in [0, 1)", sc->mem_reserve);
  if (m->n_experts > 0 && (m->experts_per_token < 1 || m->experts_per_token > m->n_experts))
    return tpp_fail(err, TPP_E_ARG, -1, -1, m->experts_per_token,
                    "experts_per_token: got %d, expected 1..n_experts (%d)",
                    (int)m->experts_per_token, (int)m->n_experts);
  if (sc->tp > 1 && !(hw->link_gbs > 0))
    return tpp_fail(err, TPP_E_ARG, -1, -1, hw->link_gbs,
                    "link_gbs: tensor parallelism (tp = %d) needs a chip-to-chip bandwidth > 0",
                    (int)sc->tp);

  tp = (double)sc->tp;
  B = (double)sc->batch;
  overhead = sc->step_overhead_us * 1e-3;

  /* decode at the mean context length over the generated tokens */
  ctx = (double)sc->prompt_tokens + 0.5 * (double)sc->output_tokens;
  w_step = weights_touched(m, B);
  kv_step = B * ctx * m->kv_bytes_per_token;
  bytes = (w_step + kv_step) / tp;
  flops = B * (2.0 * m->active_params + m->attn_flops_per_ctx * ctx) / tp;
  t_mem = bytes / (hw->mem_bw_gbs * 1e9 * sc->eff_mem) * 1e3;
  t_comp = flops / (hw->peak_tflops * 1e12 * sc->eff_compute) * 1e3;
  comm = 2.0 * (double)m->n_layers * allreduce_ms(hw, sc, B * m->hidden_bytes);
  out->decode_ms = (t_mem > t_comp ? t_mem : t_comp) + comm + overhead;
  out->decode_bound = comm > (t_mem > t_comp ? t_mem : t_comp) ? TPP_BOUND_COMM
                      : t_mem >= t_comp                        ? TPP_BOUND_MEMORY
                                                               : TPP_BOUND_COMPUTE;
  out->decode_bytes = bytes;
  out->decode_flops = flops;
  out->comm_ms = comm;
  out->intensity = flops / bytes;
  out->ridge = hw->peak_tflops * 1e12 * sc->eff_compute / (hw->mem_bw_gbs * 1e9 * sc->eff_mem);
  out->decode_tokens_per_s = B / out->decode_ms * 1e3;
  out->user_tokens_per_s = 1e3 / out->decode_ms;

  /* prefill: every prompt token of the batch in one pass; causal attention
   * sums over positions 0..n-1, i.e. n^2 / 2 context tokens per sequence */
  tokens = B * (double)sc->prompt_tokens;
  flops = (tokens * 2.0 * m->active_params +
           B * m->attn_flops_per_ctx * 0.5 * (double)sc->prompt_tokens * (double)sc->prompt_tokens) / tp;
  bytes = (weights_touched(m, tokens) + tokens * m->kv_bytes_per_token) / tp;
  t_mem = bytes / (hw->mem_bw_gbs * 1e9 * sc->eff_mem) * 1e3;
  t_comp = flops / (hw->peak_tflops * 1e12 * sc->eff_compute) * 1e3;
  rc_ms = 2.0 * (double)m->n_layers * allreduce_ms(hw, sc, tokens * m->hidden_bytes);
  out->prefill_ms = (t_mem > t_comp ? t_mem : t_comp) + rc_ms + overhead;
  out->prefill_bound = rc_ms > (t_mem > t_comp ? t_mem : t_comp) ? TPP_BOUND_COMM
                       : t_mem >= t_comp                          ? TPP_BOUND_MEMORY
                                                                  : TPP_BOUND_COMPUTE;
  out->prefill_flops = flops;
  out->prefill_tokens_per_s = tokens / out->prefill_ms * 1e3;

  /* memory: weights and the full-length KV cache of the batch, per chip */
  usable = hw->mem_gb * 1e9 * (1.0 - sc->mem_reserve);
  per_seq_kv = ((double)sc->prompt_tokens + (double)sc->output_tokens) * m->kv_bytes_per_token / tp;
  out->weights_gb = m->weight_bytes / tp / 1e9;
  out->kv_gb = B * per_seq_kv / 1e9;
  out->fits = (m->weight_bytes / tp + B * per_seq_kv) <= usable;
  if (m->weight_bytes / tp > usable)
    out->max_batch = 0;
  else if (per_seq_kv <= 0)
    out->max_batch = 1 << 30;
  else {
    double mb = floor((usable - m->weight_bytes / tp) / per_seq_kv);
    out->max_batch = mb > (double)(1 << 30) ? (1 << 30) : (int32_t)mb;
  }
  return TPP_OK;
}
