/*
 * test_model.c - checkpoint reader/writer, tokenizer and the forward pass.
 *
 * The forward pass is checked against a naive double-precision transcription
 * of llama2.c run.c (below) on small random models. Bounds, stated as the
 * largest |logit difference| / max|reference logit|:
 *   f32 batched or token-by-token vs the double reference:  2e-5
 *   prefill of n tokens vs n single-token steps (both f32): 2e-5
 *   q8 (group 16) vs f32:                                   2e-2 (rms 3e-2)
 *   q4 (group 16) vs f32:                                   0.3  (rms 0.3)
 * (rms: the norm of the difference over the norm of the f32 logits; the
 * quantized bounds are 2-4x the errors measured on these seeds).
 */
#define _POSIX_C_SOURCE 200809L
#include "kernels/kernels.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *tmp_path(const char *name) {
  static char buf[8][256];
  static int k;
  const char *dir = getenv("TMPDIR");
  k = (k + 1) % 8;
  snprintf(buf[k], sizeof buf[k], "%s/tpp_test_%d_%s", dir && *dir ? dir : "/tmp", (int)getpid(), name);
  return buf[k];
}

static tpp_model_config small_config(int format) {
  tpp_model_config c;
  memset(&c, 0, sizeof c);
  c.dim = 48;
  c.hidden_dim = 128;
  c.n_layers = 2;
  c.n_heads = 6;
  c.n_kv_heads = 2;
  c.vocab_size = 300;
  c.seq_len = 40;
  c.shared_classifier = 1;
  c.format = format;
  c.group_size = format == TPP_CKPT_V0 ? 0 : 16;
  return c;
}

static long file_size(const char *path) {
  FILE *f = fopen(path, "rb");
  long n;
  if (!f) return -1;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fclose(f);
  return n;
}

static int write_bytes(const char *path, const void *p, size_t n, long total) {
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(p, 1, n, f);
  fclose(f);
  if (total > (long)n) return truncate(path, total) == 0;
  return 1;
}

/* ---- a naive reference: run.c's forward() in double ---- */

typedef struct ref_model {
  tpp_model_config c;
  float *all; /* the v0 body */
  const float *emb, *rms_att, *wq, *wk, *wv, *wo, *rms_ffn, *w1, *w2, *w3, *rms_final, *wcls;
  double *kc, *vc;
} ref_model;

static int ref_load(ref_model *r, const char *path) {
  FILE *f = fopen(path, "rb");
  long n = file_size(path);
  int32_t h[7];
  const float *p;
  int64_t dim, hid, L, kv, V, S, hs;
  if (!f) return 0;
  r->all = (float *)malloc((size_t)(n - 28));
  if (fread(h, 4, 7, f) != 7 || fread(r->all, 1, (size_t)(n - 28), f) != (size_t)(n - 28)) {
    fclose(f);
    return 0;
  }
  fclose(f);
  memset(&r->c, 0, sizeof r->c);
  r->c.dim = h[0], r->c.hidden_dim = h[1], r->c.n_layers = h[2], r->c.n_heads = h[3];
  r->c.n_kv_heads = h[4], r->c.vocab_size = abs(h[5]), r->c.seq_len = h[6];
  dim = h[0], hid = h[1], L = h[2], V = abs(h[5]), S = h[6];
  kv = dim * h[4] / h[3];
  hs = dim / h[3];
  p = r->all;
  r->emb = p, p += V * dim;
  r->rms_att = p, p += L * dim;
  r->wq = p, p += L * dim * dim;
  r->wk = p, p += L * kv * dim;
  r->wv = p, p += L * kv * dim;
  r->wo = p, p += L * dim * dim;
  r->rms_ffn = p, p += L * dim;
  r->w1 = p, p += L * hid * dim;
  r->w2 = p, p += L * dim * hid;
  r->w3 = p, p += L * hid * dim;
  r->rms_final = p, p += dim;
  p += S * hs / 2; /* freq_cis_real, freq_cis_imag */
  p += S * hs / 2;
  r->wcls = h[5] > 0 ? r->emb : p;
  r->kc = (double *)calloc((size_t)(L * S * kv), sizeof(double));
  r->vc = (double *)calloc((size_t)(L * S * kv), sizeof(double));
  return 1;
}

static void ref_free(ref_model *r) {
  free(r->all);
  free(r->kc);
  free(r->vc);
}

static void ref_rmsnorm(double *o, const double *x, const float *w, int64_t n) {
  double ss = 0;
  int64_t i;
  for (i = 0; i < n; i++) ss += x[i] * x[i];
  ss = 1.0 / sqrt(ss / n + 1e-5);
  for (i = 0; i < n; i++) o[i] = w[i] * (ss * x[i]);
}

static void ref_matmul(double *o, const double *x, const float *w, int64_t n, int64_t d) {
  int64_t i, j;
  for (i = 0; i < d; i++) {
    double s = 0;
    for (j = 0; j < n; j++) s += (double)w[i * n + j] * x[j];
    o[i] = s;
  }
}

/* logits[V] for token at pos (run.c's forward, in double) */
static void ref_forward(ref_model *r, int token, int pos, double *logits) {
  const int64_t dim = r->c.dim, hid = r->c.hidden_dim, L = r->c.n_layers, S = r->c.seq_len;
  const int64_t nh = r->c.n_heads, kv = dim * r->c.n_kv_heads / nh, hs = dim / nh;
  const int64_t mul = nh / r->c.n_kv_heads;
  double *x = (double *)calloc((size_t)dim, 8), *xb = (double *)calloc((size_t)dim, 8);
  double *q = (double *)calloc((size_t)dim, 8), *att = (double *)calloc((size_t)S, 8);
  double *hb = (double *)calloc((size_t)hid, 8), *hb2 = (double *)calloc((size_t)hid, 8);
  double *xb2 = (double *)calloc((size_t)dim, 8);
  int64_t l, i, h, t;
  for (i = 0; i < dim; i++) x[i] = r->emb[token * dim + i];
  for (l = 0; l < L; l++) {
    double *kr = r->kc + l * S * kv + pos * kv, *vr = r->vc + l * S * kv + pos * kv;
    ref_rmsnorm(xb, x, r->rms_att + l * dim, dim);
    ref_matmul(q, xb, r->wq + l * dim * dim, dim, dim);
    ref_matmul(kr, xb, r->wk + l * kv * dim, dim, kv);
    ref_matmul(vr, xb, r->wv + l * kv * dim, dim, kv);
    for (i = 0; i < dim; i += 2) {
      double freq = 1.0 / pow(10000.0, (double)(i % hs) / (double)hs), val = pos * freq;
      double fcr = cos(val), fci = sin(val);
      int rotn = i < kv ? 2 : 1, v;
      for (v = 0; v < rotn; v++) {
        double *vec = v == 0 ? q : kr;
        double v0 = vec[i], v1 = vec[i + 1];
        vec[i] = v0 * fcr - v1 * fci;
        vec[i + 1] = v0 * fci + v1 * fcr;
      }
    }
    for (h = 0; h < nh; h++) {
      double *qh = q + h * hs, mx = -1e300, sum = 0;
      double *out = xb + h * hs;
      for (t = 0; t <= pos; t++) {
        const double *k = r->kc + l * S * kv + t * kv + (h / mul) * hs;
        double s = 0;
        for (i = 0; i < hs; i++) s += qh[i] * k[i];
        att[t] = s / sqrt((double)hs);
        if (att[t] > mx) mx = att[t];
      }
      for (t = 0; t <= pos; t++) sum += (att[t] = exp(att[t] - mx));
      for (i = 0; i < hs; i++) out[i] = 0;
      for (t = 0; t <= pos; t++) {
        const double *v = r->vc + l * S * kv + t * kv + (h / mul) * hs;
        for (i = 0; i < hs; i++) out[i] += att[t] / sum * v[i];
      }
    }
    ref_matmul(xb2, xb, r->wo + l * dim * dim, dim, dim);
    for (i = 0; i < dim; i++) x[i] += xb2[i];
    ref_rmsnorm(xb, x, r->rms_ffn + l * dim, dim);
    ref_matmul(hb, xb, r->w1 + l * dim * hid, dim, hid);
    ref_matmul(hb2, xb, r->w3 + l * dim * hid, dim, hid);
    for (i = 0; i < hid; i++) hb[i] = hb[i] / (1 + exp(-hb[i])) * hb2[i];
    ref_matmul(xb, hb, r->w2 + l * dim * hid, hid, dim);
    for (i = 0; i < dim; i++) x[i] += xb[i];
  }
  ref_rmsnorm(xb, x, r->rms_final, dim);
  ref_matmul(logits, xb, r->wcls, dim, r->c.vocab_size);
  free(x), free(xb), free(q), free(att), free(hb), free(hb2), free(xb2);
}

/* max |a - b| / max |b| */
static double rel_max(const float *a, const double *b, int64_t n) {
  double d = 0, m = 0;
  int64_t i;
  for (i = 0; i < n; i++) {
    if (fabs(a[i] - b[i]) > d) d = fabs(a[i] - b[i]);
    if (fabs(b[i]) > m) m = fabs(b[i]);
  }
  return d / (m > 0 ? m : 1);
}

static double rel_rms(const float *a, const float *b, int64_t n) {
  double d = 0, m = 0;
  int64_t i;
  for (i = 0; i < n; i++) {
    d += (a[i] - b[i]) * (double)(a[i] - b[i]);
    m += (double)b[i] * b[i];
  }
  return sqrt(d / (m > 0 ? m : 1));
}

TAP_TEST(model_v0_size_and_header) {
  tpp_error err;
  tpp_model_config c = small_config(TPP_CKPT_V0), got;
  const char *p = tmp_path("v0.bin");
  uint8_t h[256];
  int32_t v[7] = {288, 768, 6, 6, 6, 32000, 256};
  TAP_INT(tpp_model_write_random(p, &c, 7, &err), TPP_OK, "write a random v0 checkpoint");
  TAP_INT(tpp_checkpoint_info(p, &got, &err), TPP_OK, "its header validates");
  TAP_INT(got.file_bytes, file_size(p), "file size %ld = header-implied size", file_size(p));
  TAP_INT(got.dim, 48, "dim");
  TAP_INT(got.n_kv_heads, 2, "n_kv_heads");
  TAP_INT(got.shared_classifier, 1, "positive vocab_size: shared classifier");
  /* stories15M: 28 + 4 x 15,204,000 = 60,816,028 bytes (INFERENCE.md §4.1) */
  memset(h, 0, sizeof h);
  memcpy(h, v, 28);
  TAP_INT(tpp_checkpoint_parse(h, sizeof h, &got, &err), TPP_E_FORMAT, "a 256-byte stories15M header");
  TAP_OK(strstr(err.message, "implies 60816028 bytes, the file has 256") != NULL, "%s", err.message);
  remove(p);
}

static void check_forward(int shared, int n_kv_heads) {
  tpp_error err;
  tpp_model_config c = small_config(TPP_CKPT_V0);
  const char *p = tmp_path("fwd.bin");
  ref_model r;
  tpp_model *m, *m2;
  double *ref = (double *)malloc(300 * sizeof(double));
  int32_t toks[9] = {1, 17, 299, 4, 4, 120, 33, 250, 7};
  double worst_step = 0, worst_batch = 0;
  int i;
  c.shared_classifier = shared;
  c.n_kv_heads = n_kv_heads;
  tpp_model_write_random(p, &c, 11, &err);
  TAP_OK(ref_load(&r, p), "reference reads the file (shared %d, kv heads %d)", shared, n_kv_heads);
  m = tpp_model_load(p, -1, 0, &err);
  m2 = tpp_model_load(p, -1, 0, &err);
  TAP_OK(m && m2, "tpp loads it: %s", m ? "ok" : err.message);
  if (!m || !m2) {
    free(ref);
    return;
  }
  for (i = 0; i < 9; i++) {
    ref_forward(&r, toks[i], i, ref);
    tpp_model_forward(m, &toks[i], 1, i, &err);
    if (rel_max(tpp_model_logits(m), ref, 300) > worst_step)
      worst_step = rel_max(tpp_model_logits(m), ref, 300);
  }
  TAP_OK(worst_step < 2e-5, "token by token matches the double reference: %.2g < 2e-5", worst_step);
  /* prefill the first 6 in one batch, then 3 single steps */
  TAP_INT(tpp_model_forward(m2, toks, 6, 0, &err), TPP_OK, "batched prefill of 6 tokens");
  for (i = 6; i < 9; i++) {
    tpp_model_forward(m2, &toks[i], 1, i, &err);
    if (rel_max(tpp_model_logits(m2), ref, 300) > worst_batch && i == 8)
      worst_batch = rel_max(tpp_model_logits(m2), ref, 300);
  }
  TAP_OK(worst_batch < 2e-5, "prefill + decode matches it too: %.2g < 2e-5", worst_batch);
  tpp_model_free(m);
  tpp_model_free(m2);
  ref_free(&r);
  free(ref);
  remove(p);
}

TAP_TEST(model_forward_vs_reference) {
  check_forward(1, 2);
  check_forward(0, 6);
  check_forward(1, 1);
}

TAP_TEST(model_prefill_equals_decode_long) {
  tpp_error err;
  tpp_model_config c = small_config(TPP_CKPT_V0);
  const char *p = tmp_path("long.bin");
  tpp_model *a, *b;
  int32_t toks[40];
  float la[300];
  int i;
  c.seq_len = 300; /* longer than one prefill chunk of 256 */
  tpp_model_write_random(p, &c, 5, &err);
  a = tpp_model_load(p, -1, 0, &err);
  b = tpp_model_load(p, -1, 0, &err);
  for (i = 0; i < 40; i++) toks[i] = (i * 37 + 3) % 300;
  for (i = 0; i < 40; i++) tpp_model_forward(a, &toks[i], 1, i, &err);
  memcpy(la, tpp_model_logits(a), sizeof la);
  tpp_model_forward(b, toks, 40, 0, &err);
  {
    double d[300];
    for (i = 0; i < 300; i++) d[i] = la[i];
    TAP_OK(rel_max(tpp_model_logits(b), d, 300) < 2e-5, "40-token prefill = 40 decode steps: %.2g",
           rel_max(tpp_model_logits(b), d, 300));
  }
  {
    int32_t many[290];
    for (i = 0; i < 290; i++) many[i] = (i * 11) % 300;
    TAP_INT(tpp_model_forward(b, many, 290, 0, &err), TPP_OK, "a 290-token prompt runs in two chunks");
    TAP_INT(tpp_model_forward(b, many, 20, 290, &err), TPP_E_ARG, "positions past seq_len are refused");
    TAP_OK(strstr(err.message, "positions 290..309 do not fit the context of 300") != NULL, "%s",
           err.message);
    many[3] = 300;
    TAP_INT(tpp_model_forward(b, many, 5, 0, &err), TPP_E_ARG, "token 300 is outside vocab 300");
  }
  tpp_model_free(a);
  tpp_model_free(b);
  remove(p);
}

static void quant_vs_f32(int format, double max_bound, double rms_bound) {
  tpp_error err;
  tpp_model_config c = small_config(TPP_CKPT_V0), cq = small_config(format);
  const char *pf = tmp_path("qf.bin"), *pq = tmp_path("qq.bin"), *pc = tmp_path("qc.bin");
  tpp_model *mf, *mq, *ml;
  int32_t toks[6] = {1, 5, 77, 200, 13, 90};
  double worst = 0, worst_rms = 0;
  int i, same = 1;
  c.group_size = cq.group_size = 16;
  tpp_model_write_random(pf, &c, 21, &err);
  TAP_INT(tpp_model_write_random(pq, &cq, 21, &err), TPP_OK, "write a random %s checkpoint",
          format == TPP_CKPT_Q8 ? "q8" : "q4");
  TAP_INT(tpp_checkpoint_quantize(pf, pc, format, 16, &err), TPP_OK, "quantize the fp32 one");
  {
    FILE *a = fopen(pq, "rb"), *b = fopen(pc, "rb");
    int ca, cb;
    if (!a || !b) {
      TAP_OK(0, "  files missing: %s", err.message);
      return;
    }
    do {
      ca = fgetc(a);
      cb = fgetc(b);
      if (ca != cb) same = 0;
    } while (ca != EOF && cb != EOF && same);
    fclose(a);
    fclose(b);
  }
  TAP_OK(same, "  the quantized file equals the random one of the same seed, byte for byte");
  mf = tpp_model_load(pf, -1, 0, &err);
  mq = tpp_model_load(pq, -1, 0, &err);
  ml = tpp_model_load(pf, format == TPP_CKPT_Q8 ? TPP_DT_Q8 : TPP_DT_Q4, 16, &err);
  TAP_OK(mf && mq && ml, "  loads: f32, %s file, %s at load", format == TPP_CKPT_Q8 ? "q8" : "q4",
         format == TPP_CKPT_Q8 ? "q8" : "q4");
  if (!mf || !mq || !ml) return;
  TAP_INT(tpp_model_group_size(mq), 16, "  group size from the header");
  for (i = 0; i < 6; i++) {
    double d[300];
    int j;
    tpp_model_forward(mf, &toks[i], 1, i, &err);
    tpp_model_forward(mq, &toks[i], 1, i, &err);
    tpp_model_forward(ml, &toks[i], 1, i, &err);
    for (j = 0; j < 300; j++) d[j] = tpp_model_logits(mf)[j];
    if (rel_max(tpp_model_logits(mq), d, 300) > worst) worst = rel_max(tpp_model_logits(mq), d, 300);
    if (rel_rms(tpp_model_logits(mq), tpp_model_logits(mf), 300) > worst_rms)
      worst_rms = rel_rms(tpp_model_logits(mq), tpp_model_logits(mf), 300);
  }
  TAP_OK(worst < max_bound, "  quantized logits vs f32: max %.3g < %.2g", worst, max_bound);
  TAP_OK(worst_rms < rms_bound, "  rms %.3g < %.2g", worst_rms, rms_bound);
  {
    double d[300];
    int j;
    for (j = 0; j < 300; j++) d[j] = tpp_model_logits(mq)[j];
    /* the file dequantizes the embedding; quantizing at load keeps it exact */
    TAP_OK(rel_max(tpp_model_logits(ml), d, 300) < max_bound, "  quantize-at-load ~ the file: %.3g",
           rel_max(tpp_model_logits(ml), d, 300));
  }
  TAP_OK(tpp_model_weight_bytes(mq) < tpp_model_weight_bytes(mf) / (format == TPP_CKPT_Q8 ? 3 : 5),
         "  weights read per token: %lld vs %lld f32", (long long)tpp_model_weight_bytes(mq),
         (long long)tpp_model_weight_bytes(mf));
  tpp_model_free(mf);
  tpp_model_free(mq);
  tpp_model_free(ml);
  remove(pf);
  remove(pq);
  remove(pc);
}

TAP_TEST(model_quantized_vs_f32) {
  quant_vs_f32(TPP_CKPT_Q8, 2e-2, 3e-2);
  quant_vs_f32(TPP_CKPT_Q4, 0.3, 0.3);
}

TAP_TEST(model_rejects_bad_files) {
  tpp_error err;
  tpp_model_config c = small_config(TPP_CKPT_V0);
  const char *p = tmp_path("bad.bin"), *b = tmp_path("bad2.bin");
  long n;
  int32_t hdr[7];
  uint8_t h2[256];
  tpp_model_write_random(p, &c, 3, &err);
  n = file_size(p);
  TAP_OK(truncate(p, n - 1) == 0, "cut one byte");
  TAP_OK(tpp_model_load(p, -1, 0, &err) == NULL, "a truncated file is rejected");
  TAP_OK(strstr(err.message, "truncated") && strstr(err.message, "the file has"), "%s", err.message);
  TAP_INT(err.code, TPP_E_FORMAT, "as a format error");
  TAP_OK(truncate(p, n + 4) == 0, "add 4 bytes");
  TAP_OK(tpp_model_load(p, -1, 0, &err) == NULL, "a file longer than its header says is rejected");
  TAP_OK(strstr(err.message, "does not match the file") != NULL, "%s", err.message);
  hdr[0] = 0x7fffffff, hdr[1] = 128, hdr[2] = 2, hdr[3] = 6, hdr[4] = 2, hdr[5] = 300, hdr[6] = 40;
  write_bytes(b, hdr, 28, 0);
  TAP_OK(tpp_model_load(b, -1, 0, &err) == NULL, "dim 2^31-1 is rejected");
  TAP_OK(strstr(err.message, "dim = 2147483647, expected 1..65536") != NULL, "%s", err.message);
  hdr[0] = 48, hdr[4] = 4;
  write_bytes(b, hdr, 28, 0);
  TAP_OK(tpp_model_load(b, -1, 0, &err) == NULL && strstr(err.message, "n_kv_heads 4 must divide n_heads 6"),
         "%s", err.message);
  hdr[4] = 2, hdr[2] = -3;
  write_bytes(b, hdr, 28, 0);
  TAP_OK(tpp_model_load(b, -1, 0, &err) == NULL && strstr(err.message, "n_layers = -3"), "%s", err.message);
  write_bytes(b, hdr, 10, 0);
  TAP_OK(tpp_model_load(b, -1, 0, &err) == NULL && strstr(err.message, "shorter than the 28-byte header"),
         "%s", err.message);
  /* v2 header with a group size that does not divide dim */
  memset(h2, 0, sizeof h2);
  {
    int32_t magic = 0x616b3432, version = 2, gs = 10;
    int32_t cfg[7] = {48, 128, 2, 6, 2, 300, 40};
    memcpy(h2, &magic, 4);
    memcpy(h2 + 4, &version, 4);
    memcpy(h2 + 8, cfg, 28);
    h2[36] = 1;
    memcpy(h2 + 37, &gs, 4);
    write_bytes(b, h2, 256, 0);
    TAP_OK(tpp_model_load(b, -1, 0, &err) == NULL && strstr(err.message, "group_size 10 must divide dim 48"),
           "%s", err.message);
    version = 1;
    memcpy(h2 + 4, &version, 4);
    write_bytes(b, h2, 256, 0);
    TAP_OK(tpp_model_load(b, -1, 0, &err) == NULL && err.code == TPP_E_UNSUPPORTED,
           "version 1 is refused by name: %s", err.message);
    /* a q8 model whose KV cache cannot fit in memory: refused before allocating */
    version = 2, gs = 16;
    cfg[0] = 4096, cfg[1] = 16, cfg[2] = 1, cfg[3] = 32, cfg[4] = 32, cfg[5] = 16, cfg[6] = 1 << 20;
    memcpy(h2 + 4, &version, 4);
    memcpy(h2 + 8, cfg, 28);
    memcpy(h2 + 37, &gs, 4);
    {
      tpp_model_config q;
      int64_t need;
      write_bytes(b, h2, 256, 0);
      tpp_checkpoint_info(b, &q, &err);
      need = q.file_bytes;
      write_bytes(b, h2, 256, (long)need); /* sparse: all-zero weights */
      TAP_INT(tpp_checkpoint_info(b, &q, &err), TPP_OK, "a 4096-wide, 2^20-context q8 header is valid");
      TAP_OK(tpp_model_load(b, -1, 0, &err) == NULL && err.code == TPP_E_NOMEM,
             "but its 32 GiB KV cache is refused up front: %s", err.message);
    }
  }
  remove(p);
  remove(b);
}

TAP_TEST(model_write_random_errors) {
  tpp_error err;
  tpp_model_config c = small_config(TPP_CKPT_Q4);
  c.group_size = 12;
  TAP_INT(tpp_model_write_random(tmp_path("x.bin"), &c, 1, &err), TPP_E_UNSUPPORTED, "q4 group 12");
  c = small_config(TPP_CKPT_V0);
  c.n_heads = 5;
  TAP_INT(tpp_model_write_random(tmp_path("x.bin"), &c, 1, &err), TPP_E_FORMAT, "dim 48 / 5 heads");
  TAP_OK(strstr(err.message, "model: dim 48 is not a multiple of n_heads 5") != NULL, "%s", err.message);
}

/* ---- tokenizer ---- */

TAP_TEST(model_tokenizer_round_trip) {
  tpp_error err;
  const char *p = tmp_path("tok.bin");
  tpp_tokenizer *t;
  int32_t toks[64], n = 0, i;
  char out[256];
  size_t used = 0, len;
  const char *text = "Once upon a time, Lily saw a big dog. \xc3\xa9!";
  TAP_INT(tpp_tokenizer_write_synthetic(p, 600, &err), TPP_OK, "synthetic tokenizer of 600 pieces");
  t = tpp_tokenizer_load(p, 600, &err);
  TAP_OK(t != NULL, "loads");
  if (!t) return;
  TAP_INT(tpp_tokenizer_encode(t, text, 1, 0, toks, 64, &n, &err), TPP_OK, "encode");
  TAP_INT(toks[0], 1, "BOS first");
  TAP_OK(n < (int32_t)strlen(text), "merges shorten %d bytes to %d tokens", (int)strlen(text), (int)n);
  for (i = 1; i < n; i++) {
    const char *piece = tpp_tokenizer_decode(t, toks[i - 1], toks[i], &len);
    memcpy(out + used, piece, len);
    used += len;
  }
  out[used] = '\0';
  TAP_OK(strcmp(out, text) == 0, "decode(encode(text)) == text, UTF-8 via byte pieces: '%s'", out);
  TAP_INT(tpp_tokenizer_encode(t, text, 1, 0, toks, 10, &n, &err), TPP_E_ARG, "too small a buffer");
  tpp_tokenizer_free(t);
  TAP_OK(tpp_tokenizer_load(p, 700, &err) == NULL, "vocab 700 from a 600-piece file fails");
  TAP_OK(strstr(err.message, "ends after 600 of 700 tokens") != NULL, "%s", err.message);
  truncate(p, file_size(p) - 2);
  TAP_OK(tpp_tokenizer_load(p, 600, &err) == NULL && strstr(err.message, "token 599 needs"),
         "a truncated record is named: %s", err.message);
  remove(p);
}
