/*
 * serve.c - the serving model: prefill and decode steps of an LLM deployment
 * (tensor, pipeline and expert parallelism; dense, GQA, MLA and MoE models;
 * aggregated or disaggregated serving), the batch a scenario picks, and
 * sweeps over chips x models x plans x batches.
 *
 * A step of one pipeline stage on one chip, for q query tokens of a
 * micro-batch spread over ad = S / tp attention groups (S = max(tp, ep) chips
 * per stage, f = 1 / pp of the layers):
 *
 *   dense    bytes = dense_params w f / tp         FLOPs = 2 dense_params f (q / ad) / tp
 *   experts  bytes = moe_f touched(q) expert w / S FLOPs = 2 q k expert moe_f imbalance / S
 *            touched(q) = E (1 - (1 - k / E)^q): distinct experts q tokens pick
 *   KV       bytes = (seqs / ad) ctx kv_bytes f shard(tp)   (shard = ceil(h_kv / tp) / h_kv; 1 for MLA)
 *   attention FLOPs = attn(q, ctx) f / (ad tp)
 *   comm     tp > 1: all-reduces of (q / ad) hidden act_bytes, ring 2 (tp - 1) / tp over the scale-up link
 *            ep > 1: dispatch + combine per MoE layer, q / S tokens x k destinations per chip,
 *                    split between scale-up and scale-out links by where the peers sit
 *   time     = R(dense bytes / BW, dense FLOPs / peak) + R(expert ...) + R(KV ..., attention ...)
 *              + (1 - overlap) comm + step overhead
 *            R(a, b) = (a^p + b^p)^(1/p): a roofline whose corner is rounded (kernels near
 *            the ridge reach neither peak); p = 0 means the sharp max(a, b)
 *   matmul efficiency falls with the rows M each weight matrix sees:
 *            compute x M / (M + m_half), M = q / ad for dense layers, q k / E per expert
 *
 * Decode micro-batches: with pp stages, B sequences run as pp micro-batches
 * of B / pp (at least 1), so a token takes pp stage steps and the replica
 * emits B tokens per pp stage steps. Aggregated serving folds each step's
 * share of new prompts (B (1 + accept) / O of them) into the decode step,
 * the way continuous batching with chunked prefill does.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

void tpp_serve_config_init(tpp_serve_config *cfg) {
  if (!cfg) return;
  memset(cfg, 0, sizeof *cfg);
  cfg->chip.scaleup_size = 8;
  cfg->model.weight_bytes = 2;
  cfg->model.act_bytes = 2;
  cfg->plan.tp = cfg->plan.pp = cfg->plan.ep = 1;
  cfg->work.batch = 1;
  cfg->work.input_tokens = 1024;
  cfg->work.output_tokens = 256;
  cfg->work.mode = TPP_SERVE_AGGREGATED;
  cfg->eff.mem = 0.7;
  cfg->eff.compute = 0.5;
  cfg->eff.mem_reserve = 0.1;
  cfg->eff.dispatch_bytes = 2;
  cfg->eff.moe_imbalance = 1;
}

/* ---- input checks: every message names the field, the value and the range ---- */

static int need_pos(double v, const char *name, tpp_error *err) {
  if (!(v > 0) || isinf(v))
    return tpp_fail(err, TPP_E_ARG, -1, -1, v, "%s: got %.17g, expected a finite number > 0", name, v);
  return TPP_OK;
}

static int need_nonneg(double v, const char *name, tpp_error *err) {
  if (!(v >= 0) || isinf(v))
    return tpp_fail(err, TPP_E_ARG, -1, -1, v, "%s: got %.17g, expected a finite number >= 0", name, v);
  return TPP_OK;
}

static int need_frac(double v, const char *name, int open_top, tpp_error *err) {
  if (open_top ? !(v >= 0 && v < 1) : !(v > 0 && v <= 1))
    return tpp_fail(err, TPP_E_ARG, -1, -1, v, "%s: got %.17g, expected a fraction in %s", name, v,
                    open_top ? "[0, 1)" : "(0, 1]");
  return TPP_OK;
}

static int need_int(int32_t v, int32_t lo, int32_t hi, const char *name, tpp_error *err) {
  if (v < lo || v > hi)
    return tpp_fail(err, TPP_E_ARG, -1, -1, v, "%s: got %d, expected a whole number in %d..%d", name,
                    (int)v, (int)lo, (int)hi);
  return TPP_OK;
}

static int check_chip(const tpp_serve_chip *c, tpp_error *err) {
  int rc;
  if ((rc = need_pos(c->gemm_tflops, "chip.gemm_tflops", err)) ||
      (rc = need_pos(c->attn_tflops, "chip.attn_tflops", err)) ||
      (rc = need_pos(c->mem_bw_gbs, "chip.mem_bw_gbs", err)) ||
      (rc = need_pos(c->mem_gb, "chip.mem_gb", err)) ||
      (rc = need_nonneg(c->scaleup_gbs, "chip.scaleup_gbs", err)) ||
      (rc = need_nonneg(c->scaleout_gbs, "chip.scaleout_gbs", err)) ||
      (rc = need_nonneg(c->scaleup_us, "chip.scaleup_us", err)) ||
      (rc = need_nonneg(c->scaleout_us, "chip.scaleout_us", err)) ||
      (rc = need_int(c->scaleup_size, 1, 1 << 20, "chip.scaleup_size", err)))
    return rc;
  return TPP_OK;
}

static int check_model(const tpp_serve_model *m, tpp_error *err) {
  int rc;
  double routed;
  if ((rc = need_pos(m->dense_params, "model.dense_params", err)) ||
      (rc = need_pos(m->resident_params, "model.resident_params", err)) ||
      (rc = need_nonneg(m->expert_params, "model.expert_params", err)) ||
      (rc = need_pos(m->weight_bytes, "model.weight_bytes", err)) ||
      (rc = need_nonneg(m->kv_bytes_per_token, "model.kv_bytes_per_token", err)) ||
      (rc = need_nonneg(m->attn_flops_per_ctx, "model.attn_flops_per_ctx", err)) ||
      (rc = need_nonneg(m->prefill_attn_flops_per_ctx, "model.prefill_attn_flops_per_ctx", err)) ||
      (rc = need_pos(m->hidden, "model.hidden", err)) ||
      (rc = need_pos(m->act_bytes, "model.act_bytes", err)) ||
      (rc = need_int(m->n_layers, 1, 1 << 20, "model.n_layers", err)) ||
      (rc = need_int(m->moe_layers, 0, m->n_layers, "model.moe_layers", err)) ||
      (rc = need_int(m->n_experts, 0, 1 << 20, "model.n_experts", err)) ||
      (rc = need_int(m->kv_heads, 0, 1 << 20, "model.kv_heads", err)))
    return rc;
  if (m->n_experts > 0) {
    if ((rc = need_int(m->experts_per_token, 1, m->n_experts, "model.experts_per_token", err)) ||
        (rc = need_int(m->moe_layers, 1, m->n_layers, "model.moe_layers", err)) ||
        (rc = need_pos(m->expert_params, "model.expert_params", err)))
      return rc;
  }
  routed = m->n_experts > 0 ? (double)m->n_experts * (double)m->moe_layers * m->expert_params : 0;
  if (m->resident_params < (m->dense_params + routed) * (1 - 1e-9))
    return tpp_fail(err, TPP_E_ARG, -1, -1, m->resident_params,
                    "model.resident_params: got %.17g, expected at least dense_params + routed experts "
                    "(%.17g)", m->resident_params, m->dense_params + routed);
  return TPP_OK;
}

static int check_config(const tpp_serve_config *cfg, tpp_error *err) {
  const tpp_serve_plan *p = &cfg->plan;
  const tpp_serve_workload *w = &cfg->work;
  const tpp_serve_eff *e = &cfg->eff;
  int rc;
  if ((rc = check_chip(&cfg->chip, err)) || (rc = check_model(&cfg->model, err)) ||
      (rc = need_int(p->tp, 1, 1 << 20, "plan.tp", err)) ||
      (rc = need_int(p->pp, 1, cfg->model.n_layers, "plan.pp", err)) ||
      (rc = need_int(p->ep, 1, 1 << 20, "plan.ep", err)) ||
      (rc = need_int(w->batch, 1, 1 << 30, "work.batch", err)) ||
      (rc = need_int(w->input_tokens, 1, 1 << 30, "work.input_tokens", err)) ||
      (rc = need_int(w->output_tokens, 1, 1 << 30, "work.output_tokens", err)) ||
      (rc = need_int(w->mode, TPP_SERVE_AGGREGATED, TPP_SERVE_PREFILL_POOL, "work.mode", err)) ||
      (rc = need_int(w->spec_tokens, 0, 64, "work.spec_tokens", err)) ||
      (rc = need_frac(w->prefix_hit, "work.prefix_hit", 1, err)) ||
      (rc = need_frac(e->mem, "eff.mem", 0, err)) ||
      (rc = need_frac(e->compute, "eff.compute", 0, err)) ||
      (rc = need_nonneg(e->gemm_m_half, "eff.gemm_m_half", err)) ||
      (rc = need_nonneg(e->roofline_p, "eff.roofline_p", err)) ||
      (rc = need_nonneg(e->step_us, "eff.step_us", err)) ||
      (rc = need_frac(e->overlap, "eff.overlap", 1, err)) ||
      (rc = need_frac(e->mem_reserve, "eff.mem_reserve", 1, err)) ||
      (rc = need_pos(e->dispatch_bytes, "eff.dispatch_bytes", err)))
    return rc;
  if (!(w->spec_accept >= 0 && w->spec_accept <= (double)w->spec_tokens))
    return tpp_fail(err, TPP_E_ARG, -1, -1, w->spec_accept,
                    "work.spec_accept: got %.17g, expected 0..spec_tokens (%d)", w->spec_accept,
                    (int)w->spec_tokens);
  if (!(e->moe_imbalance >= 1) || isinf(e->moe_imbalance))
    return tpp_fail(err, TPP_E_ARG, -1, -1, e->moe_imbalance,
                    "eff.moe_imbalance: got %.17g, expected a finite number >= 1", e->moe_imbalance);
  if (p->ep > 1 && cfg->model.n_experts == 0)
    return tpp_fail(err, TPP_E_ARG, -1, -1, p->ep,
                    "plan.ep: got %d, but the model has no routed experts (expected 1)", (int)p->ep);
  if (p->tp > 1 && !(cfg->chip.scaleup_gbs > 0))
    return tpp_fail(err, TPP_E_ARG, -1, -1, cfg->chip.scaleup_gbs,
                    "chip.scaleup_gbs: tensor parallelism (tp = %d) needs a chip-to-chip bandwidth > 0",
                    (int)p->tp);
  if (p->ep > 1 && !(cfg->chip.scaleup_gbs > 0))
    return tpp_fail(err, TPP_E_ARG, -1, -1, cfg->chip.scaleup_gbs,
                    "chip.scaleup_gbs: expert parallelism (ep = %d) needs a chip-to-chip bandwidth > 0",
                    (int)p->ep);
  return TPP_OK;
}

/* ---- the model ---- */

/* Geometry of a plan, shared by every step of one configuration. */
typedef struct geometry {
  double tp, pp, S, ad, R;   /* tp, stages, chips per stage, attention groups, chips per replica */
  double f, moe_f;           /* layers per stage / all layers; MoE layers per stage */
  double kv_shard;           /* fraction of a sequence's KV one TP rank holds */
  double bw, gemm, attn;     /* achieved bytes/s, matmul FLOP/s, attention FLOP/s */
  double su_bw, so_bw;       /* scale-up / scale-out bytes/s per direction */
  double su_lat, so_lat;     /* seconds */
  double in_frac, out_frac;  /* share of a chip's expert peers inside / outside its domain */
  double p2p_bw, p2p_lat;    /* link between pipeline stages */
} geometry;

static void plan_geometry(const tpp_serve_config *cfg, geometry *g) {
  const tpp_serve_chip *c = &cfg->chip;
  const tpp_serve_model *m = &cfg->model;
  double D = (double)c->scaleup_size, inside;
  g->tp = (double)cfg->plan.tp;
  g->pp = (double)cfg->plan.pp;
  g->S = cfg->plan.ep > cfg->plan.tp ? (double)cfg->plan.ep : g->tp;
  g->ad = g->S / g->tp;
  g->R = g->S * g->pp;
  g->f = 1.0 / g->pp;
  g->moe_f = (double)m->moe_layers / g->pp;
  if (m->kv_heads > 0) {
    double h = (double)m->kv_heads;
    g->kv_shard = ceil(h / g->tp) / h;
  } else {
    g->kv_shard = 1.0;
  }
  g->bw = c->mem_bw_gbs * 1e9 * cfg->eff.mem;
  g->gemm = c->gemm_tflops * 1e12 * cfg->eff.compute;
  g->attn = c->attn_tflops * 1e12 * cfg->eff.compute;
  g->su_bw = c->scaleup_gbs * 1e9;
  g->so_bw = c->scaleout_gbs * 1e9;
  g->su_lat = c->scaleup_us * 1e-6;
  g->so_lat = c->scaleout_us * 1e-6;
  inside = g->S < D ? g->S : D;
  g->in_frac = (inside - 1.0) / g->S;
  g->out_frac = (g->S - inside) / g->S;
  if (g->R <= D) {
    g->p2p_bw = g->su_bw;
    g->p2p_lat = g->su_lat;
  } else {
    g->p2p_bw = g->so_bw;
    g->p2p_lat = g->so_lat;
  }
}

/* What one stage step reads, computes and sends, per chip. */
typedef struct step {
  double weight_bytes, kv_bytes, flops;
  double ar_bytes, ar_count, a2a_bytes, comm_s;
  double mem_s, comp_s, overhead_s;
  double seconds;
} step;

/* A roofline of two times: the sharp max, or the p-norm that rounds its corner. */
static double roof(double a, double b, double p) {
  double hi, lo;
  if (!(p > 0)) return fmax(a, b);
  hi = fmax(a, b);
  lo = fmin(a, b);
  if (hi <= 0) return 0;
  return hi * pow(1.0 + pow(lo / hi, p), 1.0 / p);
}

/* One stage step for q query tokens (whole micro-batch, all attention
 * groups), seqs sequences reading ctx tokens of KV each, and attn_flops
 * attention FLOPs for the micro-batch over all layers. */
static void stage_step(const tpp_serve_config *cfg, const geometry *g, double q, double seqs,
                       double ctx, double attn_flops, step *s) {
  const tpp_serve_model *m = &cfg->model;
  const tpp_serve_eff *e = &cfg->eff;
  double wb = m->weight_bytes;
  double d_bytes, d_flops, e_bytes = 0, e_flops = 0, kv_bytes, a_flops;
  double t_d, t_e, t_a, comm = 0;
  double q_group = q / g->ad;
  double gemm_d = g->gemm, gemm_e;

  d_bytes = m->dense_params * wb * g->f / g->tp;
  d_flops = 2.0 * m->dense_params * g->f * q_group / g->tp;
  gemm_e = g->gemm;
  if (e->gemm_m_half > 0) gemm_d *= q_group / (q_group + e->gemm_m_half);
  if (m->n_experts > 0) {
    double E = (double)m->n_experts, k = (double)m->experts_per_token;
    double touched = E * (1.0 - pow(1.0 - k / E, q));
    double rows = q * k / E; /* tokens each expert's matrices see */
    e_bytes = g->moe_f * touched * m->expert_params * wb / g->S;
    e_flops = 2.0 * q * k * m->expert_params * g->moe_f * e->moe_imbalance / g->S;
    if (e->gemm_m_half > 0) gemm_e *= rows / (rows + e->gemm_m_half);
  }
  kv_bytes = seqs / g->ad * ctx * m->kv_bytes_per_token * g->f * g->kv_shard;
  a_flops = attn_flops * g->f / (g->ad * g->tp);

  t_d = roof(d_bytes / g->bw, d_flops / gemm_d, e->roofline_p);
  t_e = m->n_experts > 0 ? roof(e_bytes / g->bw, e_flops / gemm_e, e->roofline_p) : 0;
  t_a = roof(kv_bytes / g->bw, a_flops / g->attn, e->roofline_p);

  s->ar_bytes = q_group * m->hidden * m->act_bytes;
  s->ar_count = 0;
  if (g->tp > 1) {
    double dense_layers = (double)(m->n_layers - m->moe_layers) / g->pp;
    double per_moe_layer = cfg->plan.ep > 1 ? 1.0 : 2.0;
    s->ar_count = 2.0 * dense_layers + per_moe_layer * g->moe_f;
    comm += s->ar_count * (g->su_lat + 2.0 * (g->tp - 1.0) / g->tp * s->ar_bytes / g->su_bw);
  }
  s->a2a_bytes = 0;
  if (cfg->plan.ep > 1 && m->n_experts > 0) {
    double tokens = q / g->S, k = (double)m->experts_per_token;
    double dispatch = tokens * k * m->hidden * e->dispatch_bytes;
    double combine = tokens * k * m->hidden * m->act_bytes;
    double lat = g->out_frac > 0 ? g->so_lat : g->su_lat;
    double t_op_d = lat + fmax(dispatch * g->in_frac / g->su_bw,
                               g->out_frac > 0 ? dispatch * g->out_frac / g->so_bw : 0);
    double t_op_c = lat + fmax(combine * g->in_frac / g->su_bw,
                               g->out_frac > 0 ? combine * g->out_frac / g->so_bw : 0);
    s->a2a_bytes = g->moe_f * (dispatch + combine) * (g->in_frac + g->out_frac);
    comm += g->moe_f * (t_op_d + t_op_c);
  }
  s->weight_bytes = d_bytes + e_bytes;
  s->kv_bytes = kv_bytes;
  s->flops = d_flops + e_flops + a_flops;
  s->comm_s = comm;
  s->mem_s = (d_bytes + e_bytes + kv_bytes) / g->bw;
  s->comp_s = d_flops / gemm_d + (m->n_experts > 0 ? e_flops / gemm_e : 0) + a_flops / g->attn;
  s->overhead_s = e->step_us * 1e-6;
  s->seconds = t_d + t_e + t_a + (1.0 - e->overlap) * comm + s->overhead_s;
}

static int32_t bound_of(const step *s, double overlap) {
  double comm = (1.0 - overlap) * s->comm_s;
  double best = s->mem_s;
  int32_t b = TPP_SERVE_BOUND_MEMORY;
  if (s->comp_s > best) best = s->comp_s, b = TPP_SERVE_BOUND_COMPUTE;
  if (comm > best) best = comm, b = TPP_SERVE_BOUND_COMM;
  if (s->overhead_s > best) b = TPP_SERVE_BOUND_OVERHEAD;
  return b;
}

/* Seconds to hand a micro-batch's activations from one stage to the next. */
static double p2p_s(const tpp_serve_config *cfg, const geometry *g, double tokens) {
  if (g->pp <= 1) return 0;
  return g->p2p_lat + tokens * cfg->model.hidden * cfg->model.act_bytes / g->p2p_bw;
}

/* Attention FLOPs of n prompts of P tokens with a cached prefix of hit: each
 * new token attends to the prefix and the new tokens before it. */
static double prefill_attn(double apc, double n, double P, double hit) {
  double fresh = P * (1.0 - hit);
  return n * apc * fresh * (P - 0.5 * fresh);
}

static void set_nan_figures(tpp_serve_result *o) {
  o->step_ms = o->tpot_ms = o->ttft_ms = o->prefill_ms = NAN;
  o->per_chip_output_tokens_per_s = o->per_chip_prefill_tokens_per_s = o->user_tokens_per_s = NAN;
}

/* The model proper, on a checked configuration. A sweep asks for less
 * (full = 0): no prefill of a lone prompt (TTFT), nothing for infeasible plans. */
static void evaluate_as(const tpp_serve_config *cfg, tpp_serve_result *o, int full) {
  const tpp_serve_model *m = &cfg->model;
  const tpp_serve_workload *w = &cfg->work;
  geometry g;
  step s, sp;
  double B = (double)w->batch, P = (double)w->input_tokens, O = (double)w->output_tokens;
  double k = (double)w->spec_tokens, a = w->spec_accept, hit = w->prefix_hit;
  double fresh = P * (1.0 - hit), ctx = P + 0.5 * O;
  double mb, routed, usable, w_chip, per_seq, len, stage_ms, step_ms;
  double apc_prefill = m->prefill_attn_flops_per_ctx > 0 ? m->prefill_attn_flops_per_ctx : m->attn_flops_per_ctx;

  memset(o, 0, sizeof *o);
  plan_geometry(cfg, &g);
  o->batch = w->batch;
  o->chips_per_replica = (int32_t)g.R;
  o->status = TPP_SERVE_OK;

  /* memory per chip: non-expert weights split by TP, experts over the stage */
  routed = m->n_experts > 0 ? (double)m->n_experts * (double)m->moe_layers * m->expert_params : 0;
  w_chip = ((m->resident_params - routed) / g.tp + routed / g.S) * m->weight_bytes / g.pp;
  len = w->mode == TPP_SERVE_PREFILL_POOL ? P : P + O;
  per_seq = len * m->kv_bytes_per_token * g.kv_shard / g.pp;
  usable = cfg->chip.mem_gb * 1e9 * (1.0 - cfg->eff.mem_reserve);
  o->weights_gb = w_chip / 1e9;
  o->kv_gb = B / g.ad * per_seq / 1e9;
  if (w_chip > usable) {
    o->max_batch = 0;
  } else if (per_seq <= 0) {
    o->max_batch = 1 << 30;
  } else {
    double mx = floor(g.ad * (usable - w_chip) / per_seq);
    o->max_batch = mx > (double)(1 << 30) ? (1 << 30) : (int32_t)mx;
  }

  /* feasibility, most fundamental first */
  if (cfg->plan.ep > cfg->plan.tp && cfg->plan.ep % cfg->plan.tp != 0)
    o->status = TPP_SERVE_BAD_PLAN;
  else if (cfg->plan.tp > cfg->chip.scaleup_size)
    o->status = TPP_SERVE_TP_EXCEEDS_DOMAIN;
  else if (g.R > (double)cfg->chip.scaleup_size && !(cfg->chip.scaleout_gbs > 0))
    o->status = TPP_SERVE_NEEDS_SCALEOUT;
  else if (o->max_batch == 0)
    o->status = TPP_SERVE_WEIGHTS_DO_NOT_FIT;
  else if (w->batch > o->max_batch)
    o->status = TPP_SERVE_BATCH_DOES_NOT_FIT;
  if (o->status != TPP_SERVE_OK && !full) {
    set_nan_figures(o);
    return;
  }

  /* one prompt alone through every stage: the prefill part of TTFT */
  if (full) {
    stage_step(cfg, &g, fresh, 1, P * hit, prefill_attn(apc_prefill, 1, P, hit), &sp);
    o->prefill_ms = (g.pp * sp.seconds + (g.pp - 1) * p2p_s(cfg, &g, fresh)) * 1e3;
    o->prefill_bound = bound_of(&sp, cfg->eff.overlap);
  } else {
    o->prefill_ms = NAN;
  }

  mb = B >= g.pp ? B / g.pp : 1.0;
  if (w->mode == TPP_SERVE_PREFILL_POOL) {
    stage_step(cfg, &g, mb * fresh, mb, P * hit, prefill_attn(apc_prefill, mb, P, hit), &s);
    stage_ms = s.seconds * 1e3;
    step_ms = g.pp * stage_ms + (g.pp - 1) * p2p_s(cfg, &g, mb * fresh) * 1e3;
    o->step_ms = step_ms;
    o->tpot_ms = NAN;
    o->user_tokens_per_s = NAN;
    o->ttft_ms = step_ms;
    o->per_chip_output_tokens_per_s = 0;
    o->per_chip_prefill_tokens_per_s = B * P / (step_ms * 1e-3) / g.R;
    o->prefill_bound = bound_of(&s, cfg->eff.overlap);
  } else {
    double q = mb * (1.0 + k), attn = q * ctx * m->attn_flops_per_ctx, rate;
    if (w->mode == TPP_SERVE_AGGREGATED) {
      double starts = mb * (1.0 + a) / O; /* prompts begun per step per micro-batch */
      q += starts * fresh;
      attn += prefill_attn(apc_prefill, starts, P, hit);
    }
    stage_step(cfg, &g, q, mb, ctx, attn, &s);
    stage_ms = s.seconds * 1e3;
    step_ms = g.pp * stage_ms + (g.pp - 1) * p2p_s(cfg, &g, q) * 1e3;
    rate = B * (1.0 + a) / (step_ms * 1e-3);
    o->step_ms = step_ms;
    o->tpot_ms = step_ms / (1.0 + a);
    o->user_tokens_per_s = 1e3 / o->tpot_ms;
    o->per_chip_output_tokens_per_s = rate / g.R;
    if (w->mode == TPP_SERVE_AGGREGATED) {
      o->per_chip_prefill_tokens_per_s = rate * P / O / g.R;
      /* a new prompt waits for the step the other B - 1 sequences are in */
      o->ttft_ms = o->prefill_ms + step_ms * (B - 1.0) / B;
    } else {
      o->per_chip_prefill_tokens_per_s = 0;
      o->ttft_ms = NAN;
    }
    o->decode_bound = bound_of(&s, cfg->eff.overlap);
  }
  o->decode_weight_bytes = s.weight_bytes;
  o->decode_kv_bytes = s.kv_bytes;
  o->decode_flops = s.flops;
  o->allreduce_bytes = s.ar_bytes;
  o->allreduce_count = s.ar_count;
  o->alltoall_bytes = s.a2a_bytes;
  o->comm_ms = s.comm_s * 1e3;
  o->mem_ms = s.mem_s * 1e3;
  o->compute_ms = s.comp_s * 1e3;
  if (o->status != TPP_SERVE_OK) set_nan_figures(o);
}

static void evaluate(const tpp_serve_config *cfg, tpp_serve_result *o) {
  evaluate_as(cfg, o, 1);
}

int tpp_serve_eval(const tpp_serve_config *cfg, tpp_serve_result *out, tpp_error *err) {
  int rc;
  tpp_error_clear(err);
  if (!cfg || !out) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "config and result are required");
  if ((rc = check_config(cfg, err)) != TPP_OK) return rc;
  evaluate(cfg, out);
  return TPP_OK;
}

/* ---- scenarios ---- */

static void eval_at(const tpp_serve_config *cfg, int32_t batch, tpp_serve_result *out) {
  tpp_serve_config c = *cfg;
  c.work.batch = batch;
  evaluate(&c, out);
}

static int meets(const tpp_serve_result *r, const tpp_serve_target *t) {
  if (r->status != TPP_SERVE_OK) return 0;
  /* a pool that has no TTFT (decode) or no TPOT (prefill) is judged on the other */
  if (t->tpot_ms > 0 && !isnan(r->tpot_ms) && !(r->tpot_ms <= t->tpot_ms)) return 0;
  if (t->ttft_ms > 0 && !isnan(r->ttft_ms) && !(r->ttft_ms <= t->ttft_ms)) return 0;
  return 1;
}

int tpp_serve_search(const tpp_serve_config *cfg, const tpp_serve_target *t, tpp_serve_result *out,
                     tpp_error *err) {
  tpp_serve_result r;
  int32_t hi, b;
  int rc;
  tpp_error_clear(err);
  if (!cfg || !t || !out) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "config, target and result are required");
  if ((rc = check_config(cfg, err)) != TPP_OK) return rc;
  if ((rc = need_int(t->kind, TPP_SERVE_FIXED, TPP_SERVE_SERVER, "target.kind", err)) ||
      (rc = need_int(t->max_batch, 0, 1 << 30, "target.max_batch", err)) ||
      (rc = need_nonneg(t->ttft_ms, "target.ttft_ms", err)) ||
      (rc = need_nonneg(t->tpot_ms, "target.tpot_ms", err)))
    return rc;
  if (t->kind == TPP_SERVE_FIXED) {
    evaluate(cfg, out);
    return TPP_OK;
  }
  eval_at(cfg, 1, out);
  if (out->status != TPP_SERVE_OK) return TPP_OK; /* nothing runs: say why at batch 1 */
  hi = out->max_batch;
  if (t->max_batch > 0 && t->max_batch < hi) hi = t->max_batch;
  if (t->kind == TPP_SERVE_OFFLINE) {
    /* throughput B / step(B) rises with B (the step has a fixed part); check
     * a doubling grid and the largest batch, keep the best */
    int prefill = cfg->work.mode == TPP_SERVE_PREFILL_POOL;
    double best = prefill ? out->per_chip_prefill_tokens_per_s : out->per_chip_output_tokens_per_s;
    for (b = 2;; b = b > hi / 2 ? hi : 2 * b) {
      double v;
      if (b > hi) break;
      eval_at(cfg, b, &r);
      v = prefill ? r.per_chip_prefill_tokens_per_s : r.per_chip_output_tokens_per_s;
      if (r.status == TPP_SERVE_OK && v > best) {
        best = v;
        *out = r;
      }
      if (b == hi) break;
    }
    return TPP_OK;
  }
  /* server: the largest batch meeting both targets (TPOT and TTFT rise with B) */
  if (!meets(out, t)) {
    out->status = TPP_SERVE_LATENCY_UNMET;
    return TPP_OK;
  }
  {
    int32_t lo = 1;
    while (lo < hi) {
      int32_t mid = lo + (hi - lo + 1) / 2;
      eval_at(cfg, mid, &r);
      if (meets(&r, t))
        lo = mid;
      else
        hi = mid - 1;
    }
    eval_at(cfg, lo, out);
  }
  return TPP_OK;
}

/* ---- sweeps ---- */

typedef struct sweep_ctx {
  const tpp_serve_config *base;
  const tpp_serve_chip *chips;
  const tpp_serve_model *models;
  const tpp_serve_plan *plans;
  const int32_t *batches;
  int64_t n_models, n_plans, n_batches;
  double *tok_s, *tpot_ms;
  int32_t *status;
} sweep_ctx;

static int sweep_range(void *vctx, int64_t begin, int64_t end, int worker) {
  const sweep_ctx *x = (const sweep_ctx *)vctx;
  tpp_serve_config cfg = *x->base;
  tpp_serve_result r;
  int64_t i;
  (void)worker;
  for (i = begin; i < end; i++) {
    int64_t b = i % x->n_batches, rest = i / x->n_batches;
    int64_t p = rest % x->n_plans, cm = rest / x->n_plans;
    int64_t m = cm % x->n_models, c = cm / x->n_models;
    cfg.chip = x->chips[c];
    cfg.model = x->models[m];
    cfg.plan = x->plans[p];
    cfg.work.batch = x->batches[b];
    if ((cfg.plan.ep > 1 && cfg.model.n_experts == 0) || cfg.plan.pp > cfg.model.n_layers ||
        ((cfg.plan.tp > 1 || cfg.plan.ep > 1) && !(cfg.chip.scaleup_gbs > 0))) {
      x->status[i] = TPP_SERVE_BAD_PLAN;
      x->tok_s[i] = NAN;
      x->tpot_ms[i] = NAN;
      continue;
    }
    evaluate_as(&cfg, &r, 0);
    x->status[i] = r.status;
    x->tok_s[i] = r.per_chip_output_tokens_per_s;
    x->tpot_ms[i] = r.tpot_ms;
  }
  return TPP_OK;
}

int tpp_serve_sweep(const tpp_serve_config *base, const tpp_serve_chip *chips, int64_t n_chips,
                    const tpp_serve_model *models, int64_t n_models,
                    const tpp_serve_plan *plans, int64_t n_plans,
                    const int32_t *batches, int64_t n_batches,
                    double *tok_s, double *tpot_ms, int32_t *status, int threads,
                    tpp_error *err) {
  tpp_serve_config cfg;
  sweep_ctx x;
  int64_t i, n;
  int rc;
  tpp_error_clear(err);
  if (!base || !chips || !models || !plans || !batches || !tok_s || !tpot_ms || !status)
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "every sweep array is required");
  if (n_chips < 1 || n_models < 1 || n_plans < 1 || n_batches < 1)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, 0,
                    "sweep sizes must be >= 1 (got %lld chips, %lld models, %lld plans, %lld batches)",
                    (long long)n_chips, (long long)n_models, (long long)n_plans, (long long)n_batches);
  if (n_chips > INT64_MAX / n_models / n_plans / n_batches)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, 0, "sweep too large");
  /* check each input once; a plan that does not suit a model is a status, not an error */
  cfg = *base; /* its workload and efficiencies; chips and models are checked below */
  cfg.chip = chips[0];
  cfg.model = models[0];
  cfg.plan.tp = cfg.plan.pp = cfg.plan.ep = 1;
  if ((rc = check_config(&cfg, err)) != TPP_OK) return rc;
  for (i = 0; i < n_chips; i++) {
    if ((rc = check_chip(&chips[i], err)) != TPP_OK) {
      err->row = i;
      return rc;
    }
  }
  for (i = 0; i < n_models; i++) {
    if ((rc = check_model(&models[i], err)) != TPP_OK) {
      err->row = i;
      return rc;
    }
  }
  for (i = 0; i < n_plans; i++) {
    if ((rc = need_int(plans[i].tp, 1, 1 << 20, "plan.tp", err)) ||
        (rc = need_int(plans[i].pp, 1, 1 << 20, "plan.pp", err)) ||
        (rc = need_int(plans[i].ep, 1, 1 << 20, "plan.ep", err))) {
      err->row = i;
      return rc;
    }
  }
  for (i = 0; i < n_batches; i++) {
    if ((rc = need_int(batches[i], 1, 1 << 30, "batch", err)) != TPP_OK) {
      err->row = i;
      return rc;
    }
  }
  n = n_chips * n_models * n_plans * n_batches;
  x.base = base;
  x.chips = chips;
  x.models = models;
  x.plans = plans;
  x.batches = batches;
  x.n_models = n_models;
  x.n_plans = n_plans;
  x.n_batches = n_batches;
  x.tok_s = tok_s;
  x.tpot_ms = tpot_ms;
  x.status = status;
  return tpp_parallel_for(n, 4096, threads, sweep_range, &x);
}
