/*
 * model.c - a llama-style transformer with the semantics of Karpathy's
 * llama2.c (run.c, export.py): checkpoint reading and writing (v0 fp32, v2 Q8_0, tpp q4), a batched
 * forward pass over a KV cache, random checkpoints for tests and benchmarks,
 * and fp32 -> q8/q4 conversion.
 *
 * Runtime layout: per layer the query, key and value projections are stacked
 * into one matrix wqkv [dim + 2 kv_dim][dim], and w1 (gate) and w3 (up) into
 * w13 [2 hidden][dim], so a token needs 4 products per layer instead of 7.
 * Weights are f32 row-major (OpenBLAS sgemm / tpp matvec) or q8/q4 in the
 * blocked layout of include/tpp.h. The KV cache is f32 [L][seq_len][kv_dim].
 */
#define _POSIX_C_SOURCE 200809L
#include "kernels/kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum { MAGIC_AK42 = 0x616b3432, MAGIC_TPQ4 = 0x34717074 };
enum { HEADER_V0 = 28, HEADER_V2 = 256 };
enum { CHUNK_TOKENS = 256 }; /* prefill runs in chunks of at most this many tokens */
#define RMS_EPS 1e-5f
#define ROPE_THETA 10000.0

enum {
  T_EMB, T_RMS_ATT, T_WQ, T_WK, T_WV, T_WO, T_RMS_FFN, T_W1, T_W2, T_W3,
  T_RMS_FINAL, T_FREQ_R, T_FREQ_I, T_WCLS, T_KINDS
};

static const char *const kind_names[T_KINDS] = {
    "token_embedding_table", "rms_att_weight", "wq", "wk", "wv", "wo", "rms_ffn_weight",
    "w1", "w2", "w3", "rms_final_weight", "freq_cis_real", "freq_cis_imag", "wcls"};

/* One tensor of a checkpoint: where it is and what it holds. */
typedef struct tdesc {
  int kind, layer;       /* layer -1 for whole-model tensors */
  int64_t rows, cols;    /* [rows][cols] */
  int quant;             /* 1: stored as q8/q4 + scales, else f32 */
  int64_t offset, bytes; /* in the file */
} tdesc;

typedef int (*walk_fn)(void *ctx, const tdesc *d);

static int64_t kv_dim_of(const tpp_model_config *c) {
  return (int64_t)c->dim * c->n_kv_heads / c->n_heads;
}

static void shape_of(const tpp_model_config *c, int kind, int64_t *rows, int64_t *cols) {
  int64_t dim = c->dim, hid = c->hidden_dim, kv = kv_dim_of(c);
  switch (kind) {
    case T_EMB:
    case T_WCLS: *rows = c->vocab_size, *cols = dim; break;
    case T_WQ:
    case T_WO: *rows = dim, *cols = dim; break;
    case T_WK:
    case T_WV: *rows = kv, *cols = dim; break;
    case T_W1:
    case T_W3: *rows = hid, *cols = dim; break;
    case T_W2: *rows = dim, *cols = hid; break;
    case T_FREQ_R:
    case T_FREQ_I: *rows = c->seq_len, *cols = dim / c->n_heads / 2; break;
    default: *rows = 1, *cols = dim; break; /* the rms weights */
  }
}

static int64_t stored_bytes(const tpp_model_config *c, int format, int quant, int64_t n) {
  if (!quant) return n * 4;
  return (format == TPP_CKPT_Q4 ? n / 2 : n) + n / c->group_size * 4;
}

/* Visit every tensor in file order, computing offsets; total = file size. */
static int walk(const tpp_model_config *c, int format, walk_fn fn, void *ctx, int64_t *total) {
  static const int v0_order[] = {T_EMB, T_RMS_ATT, T_WQ, T_WK, T_WV, T_WO, T_RMS_FFN,
                                 T_W1, T_W2, T_W3, T_RMS_FINAL, T_FREQ_R, T_FREQ_I, T_WCLS};
  static const int q_order[] = {T_RMS_ATT, T_RMS_FFN, T_RMS_FINAL, T_EMB, T_WQ, T_WK, T_WV,
                                T_WO, T_W1, T_W2, T_W3, T_WCLS};
  const int *order = format == TPP_CKPT_V0 ? v0_order : q_order;
  int n_order = format == TPP_CKPT_V0 ? 14 : 12;
  int64_t off = format == TPP_CKPT_V0 ? HEADER_V0 : HEADER_V2;
  int i, rc;
  for (i = 0; i < n_order; i++) {
    int kind = order[i];
    int per_layer = kind != T_EMB && kind != T_RMS_FINAL && kind != T_FREQ_R &&
                    kind != T_FREQ_I && kind != T_WCLS;
    int quant = format != TPP_CKPT_V0 && kind != T_RMS_ATT && kind != T_RMS_FFN &&
                kind != T_RMS_FINAL;
    int l, layers = per_layer ? c->n_layers : 1;
    if (kind == T_WCLS && c->shared_classifier) continue;
    for (l = 0; l < layers; l++) {
      tdesc d;
      d.kind = kind;
      d.layer = per_layer ? l : -1;
      shape_of(c, kind, &d.rows, &d.cols);
      d.quant = quant;
      d.offset = off;
      d.bytes = stored_bytes(c, format, quant, d.rows * d.cols);
      if (fn && (rc = fn(ctx, &d)) != TPP_OK) return rc;
      off += d.bytes;
    }
  }
  if (total) *total = off;
  return TPP_OK;
}

static int64_t count_params(const tpp_model_config *c) {
  int64_t dim = c->dim, hid = c->hidden_dim, kv = kv_dim_of(c);
  int64_t per_layer = 2 * dim + 2 * dim * dim + 2 * kv * dim + 3 * hid * dim;
  return (int64_t)c->vocab_size * dim * (c->shared_classifier ? 1 : 2) + c->n_layers * per_layer +
         dim;
}

/* Every dimension in a range a real model could have; names the field. */
static int check_config(const tpp_model_config *c, const char *where, tpp_error *err) {
  struct {
    const char *name;
    int64_t v, lo, hi;
  } f[] = {{"dim", c->dim, 1, 1 << 16},          {"hidden_dim", c->hidden_dim, 1, 1 << 20},
           {"n_layers", c->n_layers, 1, 1024},    {"n_heads", c->n_heads, 1, 1 << 12},
           {"n_kv_heads", c->n_kv_heads, 1, 1 << 12}, {"vocab_size", c->vocab_size, 1, 1 << 22},
           {"seq_len", c->seq_len, 1, 1 << 20}};
  size_t i;
  for (i = 0; i < sizeof f / sizeof f[0]; i++)
    if (f[i].v < f[i].lo || f[i].v > f[i].hi)
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)f[i].v,
                      "%s: %s = %lld, expected %lld..%lld", where, f[i].name,
                      (long long)f[i].v, (long long)f[i].lo, (long long)f[i].hi);
  if (c->dim % c->n_heads)
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, c->n_heads,
                    "%s: dim %d is not a multiple of n_heads %d", where, (int)c->dim,
                    (int)c->n_heads);
  if (c->n_kv_heads > c->n_heads || c->n_heads % c->n_kv_heads)
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, c->n_kv_heads,
                    "%s: n_kv_heads %d must divide n_heads %d", where, (int)c->n_kv_heads,
                    (int)c->n_heads);
  if ((c->dim / c->n_heads) % 2)
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, c->dim / c->n_heads,
                    "%s: head size %d (dim / n_heads) must be even for RoPE", where,
                    (int)(c->dim / c->n_heads));
  if (c->format != TPP_CKPT_V0) {
    int step = c->format == TPP_CKPT_Q4 ? 8 : 1;
    if (c->group_size < 1 || c->dim % c->group_size || c->hidden_dim % c->group_size)
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, c->group_size,
                      "%s: group_size %d must divide dim %d and hidden_dim %d", where,
                      (int)c->group_size, (int)c->dim, (int)c->hidden_dim);
    if (c->group_size % step)
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, c->group_size,
                      "%s: q4 group_size %d must be a multiple of 8", where,
                      (int)c->group_size);
  }
  return TPP_OK;
}

static int32_t rd_i32(const uint8_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Parse a header (hlen bytes available) of a file of file_size bytes. */
static int parse_header(const uint8_t *h, size_t hlen, int64_t file_size, tpp_model_config *cfg,
                        tpp_error *err) {
  int64_t expected;
  int32_t magic = hlen >= 4 ? rd_i32(h) : 0;
  const uint8_t *cfgp;
  memset(cfg, 0, sizeof *cfg);
  if (magic == MAGIC_AK42 || magic == MAGIC_TPQ4) {
    int32_t version;
    if (hlen < HEADER_V2)
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)hlen,
                      "checkpoint: %zu bytes, shorter than the 256-byte header of its magic",
                      hlen);
    version = rd_i32(h + 4);
    if (magic == MAGIC_AK42 && version == 2) {
      cfg->format = TPP_CKPT_Q8;
    } else if (magic == MAGIC_TPQ4 && version == 1) {
      cfg->format = TPP_CKPT_Q4;
    } else if (magic == MAGIC_AK42 && version == 1) {
      return tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, version,
                      "checkpoint: llama2.c version 1 files are not supported; export with "
                      "--version 0 (fp32) or 2 (Q8_0)");
    } else {
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, version, "checkpoint: unknown version %d",
                      (int)version);
    }
    cfgp = h + 8;
    if (h[36] > 1)
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, h[36],
                      "checkpoint header: shared_classifier byte is %d, expected 0 or 1", h[36]);
    cfg->shared_classifier = h[36];
    cfg->group_size = rd_i32(h + 37);
  } else {
    if (hlen < HEADER_V0)
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)hlen,
                      "checkpoint: %zu bytes, shorter than the 28-byte header", hlen);
    cfg->format = TPP_CKPT_V0;
    cfgp = h;
  }
  cfg->dim = rd_i32(cfgp);
  cfg->hidden_dim = rd_i32(cfgp + 4);
  cfg->n_layers = rd_i32(cfgp + 8);
  cfg->n_heads = rd_i32(cfgp + 12);
  cfg->n_kv_heads = rd_i32(cfgp + 16);
  cfg->vocab_size = rd_i32(cfgp + 20);
  cfg->seq_len = rd_i32(cfgp + 24);
  if (cfg->format == TPP_CKPT_V0) {
    /* negative vocab_size: the classifier is stored separately */
    cfg->shared_classifier = cfg->vocab_size > 0;
    if (cfg->vocab_size < 0 && cfg->vocab_size > INT32_MIN) cfg->vocab_size = -cfg->vocab_size;
  }
  if (check_config(cfg, "checkpoint header", err) != TPP_OK) return TPP_E_FORMAT;
  walk(cfg, cfg->format, NULL, NULL, &expected);
  cfg->file_bytes = expected;
  cfg->n_params = count_params(cfg);
  if (file_size < expected)
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)file_size,
                    "checkpoint is truncated: its header (dim %d, hidden_dim %d, %d layers, vocab "
                    "%d) implies %lld bytes, the file has %lld",
                    (int)cfg->dim, (int)cfg->hidden_dim, (int)cfg->n_layers, (int)cfg->vocab_size,
                    (long long)expected, (long long)file_size);
  if (file_size > expected)
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)file_size,
                    "checkpoint header does not match the file: it implies %lld bytes, the file "
                    "has %lld (a different shape or format?)",
                    (long long)expected, (long long)file_size);
  return TPP_OK;
}

int tpp_checkpoint_parse(const uint8_t *bytes, size_t size, tpp_model_config *cfg,
                         tpp_error *err) {
  return parse_header(bytes, size < HEADER_V2 ? size : HEADER_V2, (int64_t)size, cfg, err);
}

/* ---- byte sources: a file or memory ---- */

typedef struct src {
  FILE *f;
  const uint8_t *mem;
  int64_t size;
  const char *name;
} src;

static int src_read(const src *s, int64_t off, void *dst, size_t n, tpp_error *err) {
  if (off < 0 || off + (int64_t)n > s->size)
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)off, "checkpoint: read past the end of %s",
                    s->name);
  if (s->mem) {
    memcpy(dst, s->mem + off, n);
    return TPP_OK;
  }
  if (fseeko(s->f, (off_t)off, SEEK_SET) != 0 || fread(dst, 1, n, s->f) != n)
    return tpp_fail(err, TPP_E_IO, -1, -1, (double)off, "checkpoint: cannot read %s at byte %lld",
                    s->name, (long long)off);
  return TPP_OK;
}

static int src_open(src *s, const char *path, tpp_error *err) {
  memset(s, 0, sizeof *s);
  s->name = path;
  s->f = fopen(path, "rb");
  if (!s->f) return tpp_fail(err, TPP_E_IO, -1, -1, NAN, "checkpoint: cannot open '%s'", path);
  if (fseeko(s->f, 0, SEEK_END) != 0 || (s->size = (int64_t)ftello(s->f)) < 0) {
    fclose(s->f);
    s->f = NULL;
    return tpp_fail(err, TPP_E_IO, -1, -1, NAN, "checkpoint: cannot read '%s'", path);
  }
  return TPP_OK;
}

static int src_header(const src *s, tpp_model_config *cfg, tpp_error *err) {
  uint8_t h[HEADER_V2];
  size_t n = s->size < HEADER_V2 ? (size_t)s->size : HEADER_V2;
  int rc;
  memset(h, 0, sizeof h);
  if ((rc = src_read(s, 0, h, n, err)) != TPP_OK) return rc;
  return parse_header(h, n, s->size, cfg, err);
}

int tpp_checkpoint_info(const char *path, tpp_model_config *cfg, tpp_error *err) {
  src s;
  int rc = src_open(&s, path, err);
  if (rc) return rc;
  rc = src_header(&s, cfg, err);
  fclose(s.f);
  if (rc && err) {
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    if (snprintf(err->message, sizeof err->message, "%s ('%s')", msg, path) < 0)
      err->message[0] = '\0';
  }
  return rc;
}

/* ---- the model ---- */

typedef struct wmat {
  int64_t n, k;     /* [n][k] */
  float *f;         /* f32 weights, row-major */
  tpp_qgeom g;      /* quantized weights */
  uint8_t *q;
  float *s;
} wmat;

struct tpp_model {
  tpp_model_config cfg;
  int32_t wdtype, group;
  int64_t dim, hidden, kv_dim, head_size, qkv_dim;
  float *emb;              /* [vocab][dim] f32, for the embedding lookup */
  float *rms_att, *rms_ffn; /* [L][dim] */
  float *rms_final;        /* [dim] */
  wmat *wqkv, *wo, *w13, *w2; /* [L] */
  wmat cls;                /* [vocab][dim]; f32 shared: points at emb */
  float *kcache, *vcache;  /* [L][seq_len][kv_dim] */
  /* run state for up to CHUNK_TOKENS tokens */
  int32_t cap;
  float *x, *xb;           /* [cap][dim] */
  float *qkv;              /* [cap][qkv_dim] */
  float *att;              /* [cap][dim] */
  float *hb;               /* [cap][2 hidden] */
  float *logits;           /* [vocab] */
  float *rope;             /* [cap][head_size] cos/sin pairs */
  void *qws;               /* quantized activations, [cap][max(dim, hidden)] */
  float *att_scratch;      /* [att_threads][seq_len] */
  int att_threads;
  void **allocs;
  int n_allocs, cap_allocs;
};

static void *m_alloc(tpp_model *m, size_t bytes) {
  void *p;
  if (m->n_allocs == m->cap_allocs) {
    int cap = m->cap_allocs ? m->cap_allocs * 2 : 64;
    void **a = (void **)realloc(m->allocs, (size_t)cap * sizeof(void *));
    if (!a) return NULL;
    m->allocs = a;
    m->cap_allocs = cap;
  }
  p = tpp_alloc(bytes ? bytes : 64);
  if (p) m->allocs[m->n_allocs++] = p;
  return p;
}

void tpp_model_free(tpp_model *m) {
  int i;
  if (!m) return;
  for (i = 0; i < m->n_allocs; i++) tpp_free(m->allocs[i]);
  free(m->allocs);
  free(m->wqkv);
  free(m->wo);
  free(m->w13);
  free(m->w2);
  free(m);
}

void tpp_model_config_get(const tpp_model *m, tpp_model_config *cfg) {
  *cfg = m->cfg;
}

int32_t tpp_model_weight_dtype(const tpp_model *m) {
  return m->wdtype;
}

int32_t tpp_model_group_size(const tpp_model *m) {
  return m->wdtype == TPP_DT_F32 ? 0 : m->group;
}

float *tpp_model_logits(tpp_model *m) {
  return m->logits;
}

static size_t wmat_bytes(const tpp_model *m, int64_t n, int64_t k) {
  tpp_qgeom g;
  if (m->wdtype == TPP_DT_F32) return (size_t)(n * k) * 4;
  tpp_qgeom_init(&g, m->wdtype, n, k, m->group, NULL);
  return g.data_bytes + g.scale_bytes;
}

static int wmat_init(tpp_model *m, wmat *w, int64_t n, int64_t k, tpp_error *err) {
  memset(w, 0, sizeof *w);
  w->n = n;
  w->k = k;
  if (m->wdtype == TPP_DT_F32) {
    w->f = (float *)m_alloc(m, (size_t)(n * k) * 4);
    if (!w->f) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "model: out of memory for weights");
    return TPP_OK;
  }
  if (tpp_qgeom_init(&w->g, m->wdtype, n, k, m->group, err)) return TPP_E_UNSUPPORTED;
  w->q = (uint8_t *)m_alloc(m, w->g.data_bytes);
  w->s = (float *)m_alloc(m, w->g.scale_bytes);
  if (!w->q || !w->s) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "model: out of memory for weights");
  tpp_q_clear(&w->g, w->q, w->s);
  return TPP_OK;
}

int64_t tpp_model_weight_bytes(const tpp_model *m) {
  int64_t L = m->cfg.n_layers, total = 0;
  total += L * (int64_t)(wmat_bytes(m, m->qkv_dim, m->dim) + wmat_bytes(m, m->dim, m->dim) +
                         wmat_bytes(m, 2 * m->hidden, m->dim) + wmat_bytes(m, m->dim, m->hidden));
  total += (int64_t)wmat_bytes(m, m->cfg.vocab_size, m->dim);
  total += (2 * L + 1) * m->dim * 4 + m->dim * 4; /* norms and one embedding row */
  return total;
}

int64_t tpp_model_kv_bytes(const tpp_model *m, int64_t pos) {
  return 2 * (int64_t)m->cfg.n_layers * (pos + 1) * m->kv_dim * 4;
}

double tpp_model_flops(const tpp_model *m, int64_t n_tokens, int64_t pos) {
  double per_token = 2.0 * (double)m->dim *
                     (double)(m->qkv_dim + m->dim + 2 * m->hidden) + 2.0 * (double)m->dim * (double)m->hidden;
  double attn = 0.0; /* q.k and p.v: 4 * head_size * n_heads per key */
  int64_t t;
  for (t = 0; t < n_tokens; t++) attn += 4.0 * (double)m->dim * (double)(pos + t + 1);
  return (double)m->cfg.n_layers * (per_token * (double)n_tokens + attn) +
         2.0 * (double)m->cfg.vocab_size * (double)m->dim;
}

/* Bytes the loaded model needs, computed before allocating any of it. */
static double runtime_bytes(const tpp_model *m) {
  double L = m->cfg.n_layers, b = 0;
  b += (double)tpp_model_weight_bytes(m);
  b += (double)m->cfg.vocab_size * (double)m->dim * 4; /* f32 embedding */
  b += 2.0 * L * (double)m->cfg.seq_len * (double)m->kv_dim * 4;
  b += (double)m->cap * (double)(3 * m->dim + m->qkv_dim + 2 * m->hidden + m->head_size) * 4;
  return b;
}

static double physical_memory(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? (double)pages * (double)page : 0.0;
}

static int alloc_state(tpp_model *m, tpp_error *err) {
  int64_t cap = m->cap, wide = m->hidden > m->dim ? m->hidden : m->dim;
  size_t kv = (size_t)m->cfg.n_layers * (size_t)m->cfg.seq_len * (size_t)m->kv_dim * 4;
  m->kcache = (float *)m_alloc(m, kv);
  m->vcache = (float *)m_alloc(m, kv);
  m->x = (float *)m_alloc(m, (size_t)(cap * m->dim) * 4);
  m->xb = (float *)m_alloc(m, (size_t)(cap * m->dim) * 4);
  m->qkv = (float *)m_alloc(m, (size_t)(cap * m->qkv_dim) * 4);
  m->att = (float *)m_alloc(m, (size_t)(cap * m->dim) * 4);
  m->hb = (float *)m_alloc(m, (size_t)(cap * 2 * m->hidden) * 4);
  m->logits = (float *)m_alloc(m, (size_t)m->cfg.vocab_size * 4);
  m->rope = (float *)m_alloc(m, (size_t)(cap * m->head_size) * 4);
  m->qws = m->wdtype == TPP_DT_F32 ? NULL : m_alloc(m, tpp_qact_bytes(cap, wide, m->group));
  if (!m->kcache || !m->vcache || !m->x || !m->xb || !m->qkv || !m->att || !m->hb || !m->logits ||
      !m->rope || (m->wdtype != TPP_DT_F32 && !m->qws))
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "model: out of memory for the run state");
  memset(m->kcache, 0, kv);
  memset(m->vcache, 0, kv);
  memset(m->logits, 0, (size_t)m->cfg.vocab_size * 4);
  return TPP_OK;
}

/* ---- loading ---- */

typedef struct load_ctx {
  tpp_model *m;
  const src *in;
  float *fbuf;      /* [chunk rows][max cols] */
  uint8_t *raw;     /* stored quantized bytes of a chunk */
  int8_t *qrow;     /* [max cols] */
  float *srow;      /* [max cols / GS] */
  int64_t chunk_rows_cap, max_cols;
  tpp_error *err;
} load_ctx;

/* Where rows of a stored tensor go: matrix and first row. */
static wmat *target_of(tpp_model *m, const tdesc *d, int64_t *row0) {
  int l = d->layer;
  *row0 = 0;
  switch (d->kind) {
    case T_WQ: return &m->wqkv[l];
    case T_WK: *row0 = m->dim; return &m->wqkv[l];
    case T_WV: *row0 = m->dim + m->kv_dim; return &m->wqkv[l];
    case T_WO: return &m->wo[l];
    case T_W1: return &m->w13[l];
    case T_W3: *row0 = m->hidden; return &m->w13[l];
    case T_W2: return &m->w2[l];
    case T_WCLS: return &m->cls;
    default: return NULL;
  }
}

static void unpack_q4_row(int8_t *q, const uint8_t *packed, int64_t cols, int32_t gs) {
  int64_t g, j;
  for (g = 0; g < cols; g += gs) {
    const uint8_t *p = packed + g / 2;
    for (j = 0; j < gs / 2; j++) {
      q[g + j] = (int8_t)((p[j] & 15) - 8);
      q[g + j + gs / 2] = (int8_t)((p[j] >> 4) - 8);
    }
  }
}

static void pack_q4_row(uint8_t *packed, const int8_t *q, int64_t cols, int32_t gs) {
  int64_t g, j;
  for (g = 0; g < cols; g += gs) {
    uint8_t *p = packed + g / 2;
    for (j = 0; j < gs / 2; j++)
      p[j] = (uint8_t)(((q[g + j] + 8) & 15) | (((q[g + j + gs / 2] + 8) & 15) << 4));
  }
}

/* Place rows [r0, r0+n) of tensor d, given as f32 values in v. */
static void place_f32_rows(load_ctx *c, const tdesc *d, int64_t r0, int64_t n, const float *v) {
  tpp_model *m = c->m;
  int64_t row0, r;
  wmat *w;
  if (d->kind == T_EMB) {
    memcpy(m->emb + r0 * d->cols, v, (size_t)(n * d->cols) * 4);
    if (!m->cfg.shared_classifier || m->wdtype == TPP_DT_F32) return;
    w = &m->cls; /* quantized shared classifier */
    row0 = 0;
  } else {
    w = target_of(m, d, &row0);
  }
  if (m->wdtype == TPP_DT_F32) {
    memcpy(w->f + (row0 + r0) * d->cols, v, (size_t)(n * d->cols) * 4);
    return;
  }
  for (r = 0; r < n; r++) tpp_q_set_row_f32(&w->g, w->q, w->s, row0 + r0 + r, v + r * d->cols);
}

/* A NaN or infinite weight makes every output NaN (and the text garbage):
 * refuse the checkpoint, naming the tensor, layer and row.
 * v: [n] f32 values of tensor d starting at row r0. */
static int check_finite(const float *v, int64_t n, const tdesc *d, int64_t r0, tpp_error *err) {
  int64_t i;
  for (i = 0; i < n; i++)
    if (!isfinite(v[i]))
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)v[i],
                      "checkpoint: %s (layer %d) row %lld has a non-finite weight (%s)", kind_names[d->kind],
                      d->layer, (long long)(r0 + (d->cols > 0 ? i / d->cols : 0)), isnan(v[i]) ? "NaN" : "infinity");
  return TPP_OK;
}

static int load_tensor(void *ctx, const tdesc *d) {
  load_ctx *c = (load_ctx *)ctx;
  tpp_model *m = c->m;
  int64_t r0;
  int rc;
  if (d->kind == T_FREQ_R || d->kind == T_FREQ_I) return TPP_OK;
  if (d->kind == T_RMS_ATT || d->kind == T_RMS_FFN || d->kind == T_RMS_FINAL) {
    float *dst = d->kind == T_RMS_ATT ? m->rms_att + d->layer * m->dim
                 : d->kind == T_RMS_FFN ? m->rms_ffn + d->layer * m->dim
                                        : m->rms_final;
    if ((rc = src_read(c->in, d->offset, dst, (size_t)d->cols * 4, c->err))) return rc;
    return check_finite(dst, d->cols, d, 0, c->err);
  }
  for (r0 = 0; r0 < d->rows; r0 += c->chunk_rows_cap) {
    int64_t n = d->rows - r0 < c->chunk_rows_cap ? d->rows - r0 : c->chunk_rows_cap;
    if (!d->quant) {
      if ((rc = src_read(c->in, d->offset + r0 * d->cols * 4, c->fbuf, (size_t)(n * d->cols) * 4,
                         c->err)))
        return rc;
      if ((rc = check_finite(c->fbuf, n * d->cols, d, r0, c->err))) return rc;
      place_f32_rows(c, d, r0, n, c->fbuf);
    } else {
      /* q[numel] (q8) or nibbles[numel/2] (q4), then scales[numel/GS] */
      const int q4 = m->cfg.format == TPP_CKPT_Q4;
      const int32_t gs = m->cfg.group_size;
      const int64_t row_bytes = q4 ? d->cols / 2 : d->cols, spr = d->cols / gs;
      const int64_t qbytes = d->rows * row_bytes;
      int64_t r, row0 = 0;
      wmat *w = d->kind == T_EMB ? (m->cfg.shared_classifier ? &m->cls : NULL) : target_of(m, d, &row0);
      if ((rc = src_read(c->in, d->offset + r0 * row_bytes, c->raw, (size_t)(n * row_bytes), c->err)))
        return rc;
      if ((rc = src_read(c->in, d->offset + qbytes + r0 * spr * 4, c->fbuf, (size_t)(n * spr) * 4,
                         c->err)))
        return rc;
      for (r = 0; r < n; r++) {
        const float *scales = c->fbuf + r * spr;
        int64_t j;
        if (q4)
          unpack_q4_row(c->qrow, c->raw + r * row_bytes, d->cols, gs);
        else
          memcpy(c->qrow, c->raw + r * row_bytes, (size_t)d->cols);
        for (j = 0; j < spr; j++)
          if (!isfinite(scales[j]))
            return tpp_fail(c->err, TPP_E_FORMAT, -1, -1, NAN,
                            "checkpoint: %s (layer %d) row %lld has a non-finite scale",
                            kind_names[d->kind], d->layer, (long long)(r0 + r));
        if (d->kind == T_EMB) {
          float *e = m->emb + (r0 + r) * d->cols;
          for (j = 0; j < d->cols; j++) e[j] = scales[j / gs] * (float)c->qrow[j];
        }
        if (w) tpp_q_set_row_q(&w->g, w->q, w->s, row0 + r0 + r, c->qrow, scales);
      }
    }
  }
  return TPP_OK;
}

static int pick_group(int32_t dim, int32_t hidden, int32_t want, int step) {
  int32_t g;
  if (want > 0) return want;
  for (g = 64; g >= step; g /= 2)
    if (dim % g == 0 && hidden % g == 0) return g;
  return 64; /* the runtime layout pads partial groups */
}

static tpp_model *load_from(const src *in, int32_t weight_dtype, int32_t group_size,
                            tpp_error *err) {
  tpp_model *m;
  tpp_model_config cfg;
  load_ctx c;
  int64_t L, l, max_cols;
  double need, have;
  int rc;
  if ((rc = src_header(in, &cfg, err)) != TPP_OK) return NULL;
  if (weight_dtype != -1 && weight_dtype != TPP_DT_F32 && weight_dtype != TPP_DT_Q8 &&
      weight_dtype != TPP_DT_Q4) {
    tpp_fail(err, TPP_E_ARG, -1, -1, weight_dtype,
             "model: weights can load as f32, q8 or q4, not %s", tpp_dtype_name(weight_dtype));
    return NULL;
  }
  if (cfg.format != TPP_CKPT_V0 && weight_dtype != -1) {
    int stored = cfg.format == TPP_CKPT_Q8 ? TPP_DT_Q8 : TPP_DT_Q4;
    if (weight_dtype != stored) {
      tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN,
               "model: a %s checkpoint loads as %s only (quantize from an fp32 checkpoint)",
               tpp_dtype_name(stored), tpp_dtype_name(stored));
      return NULL;
    }
    if (group_size > 0 && group_size != cfg.group_size) {
      tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, group_size,
               "model: the checkpoint's group size is %d, not %d", (int)cfg.group_size,
               (int)group_size);
      return NULL;
    }
  }
  if (cfg.format != TPP_CKPT_V0) {
    /* a valid file whose group size tpp's kernels cannot run */
    tpp_qgeom g;
    if (tpp_qgeom_init(&g, cfg.format == TPP_CKPT_Q8 ? TPP_DT_Q8 : TPP_DT_Q4, 1, cfg.dim,
                       cfg.group_size, err))
      return NULL;
  }
  m = (tpp_model *)calloc(1, sizeof *m);
  if (!m) {
    tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "model: out of memory");
    return NULL;
  }
  m->cfg = cfg;
  L = cfg.n_layers;
  m->dim = cfg.dim;
  m->hidden = cfg.hidden_dim;
  m->kv_dim = kv_dim_of(&cfg);
  m->head_size = cfg.dim / cfg.n_heads;
  m->qkv_dim = m->dim + 2 * m->kv_dim;
  m->cap = cfg.seq_len < CHUNK_TOKENS ? cfg.seq_len : CHUNK_TOKENS;
  if (cfg.format == TPP_CKPT_Q8) {
    m->wdtype = TPP_DT_Q8;
    m->group = cfg.group_size;
  } else if (cfg.format == TPP_CKPT_Q4) {
    m->wdtype = TPP_DT_Q4;
    m->group = cfg.group_size;
  } else {
    m->wdtype = weight_dtype == -1 ? TPP_DT_F32 : weight_dtype;
    m->group = m->wdtype == TPP_DT_F32 ? 0
               : pick_group(cfg.dim, cfg.hidden_dim, group_size, m->wdtype == TPP_DT_Q4 ? 8 : 4);
    if (m->wdtype != TPP_DT_F32) {
      tpp_qgeom g;
      if (tpp_qgeom_init(&g, m->wdtype, 1, cfg.dim, m->group, err)) {
        free(m);
        return NULL;
      }
    }
  }
  need = runtime_bytes(m);
  have = physical_memory();
  if (have > 0 && need > have) {
    tpp_fail(err, TPP_E_NOMEM, -1, -1, need,
             "model: needs %.1f GiB (weights, KV cache for seq_len %d, run state), this machine "
             "has %.1f GiB",
             need / 1073741824.0, (int)cfg.seq_len, have / 1073741824.0);
    free(m);
    return NULL;
  }
  m->wqkv = (wmat *)calloc((size_t)L, sizeof(wmat));
  m->wo = (wmat *)calloc((size_t)L, sizeof(wmat));
  m->w13 = (wmat *)calloc((size_t)L, sizeof(wmat));
  m->w2 = (wmat *)calloc((size_t)L, sizeof(wmat));
  if (!m->wqkv || !m->wo || !m->w13 || !m->w2) {
    tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "model: out of memory");
    goto fail;
  }
  m->emb = (float *)m_alloc(m, (size_t)cfg.vocab_size * (size_t)m->dim * 4);
  m->rms_att = (float *)m_alloc(m, (size_t)(L * m->dim) * 4);
  m->rms_ffn = (float *)m_alloc(m, (size_t)(L * m->dim) * 4);
  m->rms_final = (float *)m_alloc(m, (size_t)m->dim * 4);
  if (!m->emb || !m->rms_att || !m->rms_ffn || !m->rms_final) {
    tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "model: out of memory for weights");
    goto fail;
  }
  for (l = 0; l < L; l++)
    if (wmat_init(m, &m->wqkv[l], m->qkv_dim, m->dim, err) ||
        wmat_init(m, &m->wo[l], m->dim, m->dim, err) ||
        wmat_init(m, &m->w13[l], 2 * m->hidden, m->dim, err) ||
        wmat_init(m, &m->w2[l], m->dim, m->hidden, err))
      goto fail;
  if (m->wdtype == TPP_DT_F32 && cfg.shared_classifier) {
    m->cls.n = cfg.vocab_size;
    m->cls.k = m->dim;
    m->cls.f = m->emb;
  } else if (wmat_init(m, &m->cls, cfg.vocab_size, m->dim, err)) {
    goto fail;
  }
  if (alloc_state(m, err)) goto fail;
  /* read in chunks of about 4 MiB */
  memset(&c, 0, sizeof c);
  max_cols = m->hidden > m->dim ? m->hidden : m->dim;
  c.m = m;
  c.in = in;
  c.err = err;
  c.max_cols = max_cols;
  c.chunk_rows_cap = (1 << 20) / max_cols + 1;
  c.fbuf = (float *)tpp_alloc((size_t)(c.chunk_rows_cap * max_cols) * 4);
  c.raw = (uint8_t *)tpp_alloc((size_t)(c.chunk_rows_cap * max_cols));
  c.qrow = (int8_t *)tpp_alloc((size_t)max_cols);
  if (!c.fbuf || !c.raw || !c.qrow) {
    tpp_free(c.fbuf);
    tpp_free(c.raw);
    tpp_free(c.qrow);
    tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "model: out of memory for read buffers");
    goto fail;
  }
  rc = walk(&cfg, cfg.format, load_tensor, &c, NULL);
  tpp_free(c.fbuf);
  tpp_free(c.raw);
  tpp_free(c.qrow);
  if (rc != TPP_OK) goto fail;
  return m;
fail:
  tpp_model_free(m);
  return NULL;
}

tpp_model *tpp_model_load(const char *path, int32_t weight_dtype, int32_t group_size,
                          tpp_error *err) {
  src s;
  tpp_model *m;
  if (src_open(&s, path, err)) return NULL;
  m = load_from(&s, weight_dtype, group_size, err);
  fclose(s.f);
  if (!m && err) {
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    if (snprintf(err->message, sizeof err->message, "%s ('%s')", msg, path) < 0)
      err->message[0] = '\0';
  }
  return m;
}

tpp_model *tpp_model_load_bytes(const uint8_t *bytes, size_t size, int32_t weight_dtype,
                                int32_t group_size, tpp_error *err) {
  src s;
  memset(&s, 0, sizeof s);
  s.mem = bytes;
  s.size = (int64_t)size;
  s.name = "the buffer";
  return load_from(&s, weight_dtype, group_size, err);
}

/* ---- forward ---- */

static int mlinear(tpp_model *m, float *y, int64_t ldy, const float *x, int64_t ldx, int64_t T,
                   const wmat *w, tpp_error *err) {
  tpp_qact a;
  if (m->wdtype == TPP_DT_F32) return tpp_linear_f32(y, ldy, x, ldx, w->f, w->k, T, w->n, w->k, err);
  tpp_qact_init(&a, m->qws, T, w->k, w->g.group);
  tpp_qact_quantize(&a, x, ldx);
  tpp_qmatmul(y, ldy, &a, &w->g, w->q, w->s);
  return TPP_OK;
}

static int forward_chunk(tpp_model *m, const int32_t *tokens, int64_t T, int64_t pos, int last,
                         tpp_error *err) {
  const int64_t D = m->dim, KV = m->kv_dim, HS = m->head_size, Q3 = m->qkv_dim, H = m->hidden;
  const int64_t S = m->cfg.seq_len;
  int64_t t, l, i;
  int rc;
  tpp_attn a;
  for (t = 0; t < T; t++) {
    memcpy(m->x + t * D, m->emb + (int64_t)tokens[t] * D, (size_t)D * 4);
    tpp_rope_table(m->rope + t * HS, pos + t, (int32_t)HS, ROPE_THETA);
  }
  for (l = 0; l < m->cfg.n_layers; l++) {
    float *kc = m->kcache + l * S * KV, *vc = m->vcache + l * S * KV;
    for (t = 0; t < T; t++) tpp_rmsnorm_f32(m->xb + t * D, m->x + t * D, m->rms_att + l * D, D, RMS_EPS);
    if ((rc = mlinear(m, m->qkv, Q3, m->xb, D, T, &m->wqkv[l], err))) return rc;
    for (t = 0; t < T; t++) {
      float *row = m->qkv + t * Q3;
      tpp_rope_apply(row, D, (int32_t)HS, m->rope + t * HS);
      tpp_rope_apply(row + D, KV, (int32_t)HS, m->rope + t * HS);
      memcpy(kc + (pos + t) * KV, row + D, (size_t)KV * 4);
      memcpy(vc + (pos + t) * KV, row + D + KV, (size_t)KV * 4);
    }
    a.out = m->att;
    a.ldo = D;
    a.q = m->qkv;
    a.ldq = Q3;
    a.k = kc;
    a.v = vc;
    a.ldkv = KV;
    a.pos = pos;
    a.T = T;
    a.n_heads = m->cfg.n_heads;
    a.n_kv_heads = m->cfg.n_kv_heads;
    a.head_size = (int32_t)HS;
    a.scratch = m->att_scratch;
    tpp_attention_f32(&a);
    if ((rc = mlinear(m, m->xb, D, m->att, D, T, &m->wo[l], err))) return rc;
    for (i = 0; i < T * D; i++) m->x[i] += m->xb[i];
    for (t = 0; t < T; t++) tpp_rmsnorm_f32(m->xb + t * D, m->x + t * D, m->rms_ffn + l * D, D, RMS_EPS);
    if ((rc = mlinear(m, m->hb, 2 * H, m->xb, D, T, &m->w13[l], err))) return rc;
    for (t = 0; t < T; t++) tpp_swiglu_f32(m->hb + t * 2 * H, m->hb + t * 2 * H, m->hb + t * 2 * H + H, H);
    if ((rc = mlinear(m, m->xb, D, m->hb, 2 * H, T, &m->w2[l], err))) return rc;
    for (i = 0; i < T * D; i++) m->x[i] += m->xb[i];
  }
  if (last) {
    /* logits of the last token only: generation needs no others */
    tpp_rmsnorm_f32(m->xb, m->x + (T - 1) * D, m->rms_final, D, RMS_EPS);
    if ((rc = mlinear(m, m->logits, m->cfg.vocab_size, m->xb, D, 1, &m->cls, err))) return rc;
  }
  return TPP_OK;
}

int tpp_model_forward(tpp_model *m, const int32_t *tokens, int32_t n_tokens, int32_t pos,
                      tpp_error *err) {
  int32_t i, done;
  int threads = tpp_get_threads();
  if (n_tokens < 1)
    return tpp_fail(err, TPP_E_ARG, -1, -1, n_tokens, "forward: %d tokens, expected >= 1",
                    (int)n_tokens);
  if (pos < 0 || (int64_t)pos + n_tokens > m->cfg.seq_len)
    return tpp_fail(err, TPP_E_ARG, -1, -1, pos,
                    "forward: positions %d..%d do not fit the context of %d (seq_len)", (int)pos,
                    (int)(pos + n_tokens - 1), (int)m->cfg.seq_len);
  for (i = 0; i < n_tokens; i++)
    if (tokens[i] < 0 || tokens[i] >= m->cfg.vocab_size)
      return tpp_fail(err, TPP_E_ARG, i, -1, tokens[i],
                      "forward: token %d at index %d is outside the vocabulary 0..%d",
                      (int)tokens[i], (int)i + 1, (int)m->cfg.vocab_size - 1);
  if (threads > m->att_threads) {
    float *s = (float *)m_alloc(m, (size_t)threads * (size_t)m->cfg.seq_len * 4);
    if (!s) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "forward: out of memory");
    m->att_scratch = s;
    m->att_threads = threads;
  }
  for (done = 0; done < n_tokens;) {
    int32_t T = n_tokens - done < m->cap ? n_tokens - done : m->cap;
    int rc = forward_chunk(m, tokens + done, T, pos + done, done + T == n_tokens, err);
    if (rc) return rc;
    done += T;
  }
  return TPP_OK;
}

/* ---- writing ---- */

static void write_header(uint8_t *h, size_t *len, const tpp_model_config *c, int format) {
  int32_t v[7];
  v[0] = c->dim, v[1] = c->hidden_dim, v[2] = c->n_layers, v[3] = c->n_heads;
  v[4] = c->n_kv_heads, v[6] = c->seq_len;
  memset(h, 0, HEADER_V2);
  if (format == TPP_CKPT_V0) {
    v[5] = c->shared_classifier ? c->vocab_size : -c->vocab_size;
    memcpy(h, v, 28);
    *len = HEADER_V0;
    return;
  }
  {
    int32_t magic = format == TPP_CKPT_Q4 ? MAGIC_TPQ4 : MAGIC_AK42;
    int32_t version = format == TPP_CKPT_Q4 ? 1 : 2;
    v[5] = c->vocab_size;
    memcpy(h, &magic, 4);
    memcpy(h + 4, &version, 4);
    memcpy(h + 8, v, 28);
    h[36] = (uint8_t)(c->shared_classifier ? 1 : 0);
    memcpy(h + 37, &c->group_size, 4);
    *len = HEADER_V2;
  }
}

typedef struct write_ctx {
  FILE *f;
  const char *path;
  const tpp_model_config *cfg;
  int format;
  /* random weights */
  uint64_t seed;
  /* or rows read from an fp32 checkpoint */
  const src *in;
  int64_t *v0_offset;   /* [T_KINDS][L] */
  float *row;           /* [max cols] */
  int8_t *q;            /* [max cols] */
  uint8_t *packed;      /* [max cols] */
  float *scales;        /* [largest tensor / GS] */
  tpp_error *err;
} write_ctx;

/* Row r of tensor (kind, layer) of the random model with seed: a fixed
 * stream per tensor, so v0, q8 and q4 files of one seed hold one model. */
static void random_row(const write_ctx *w, const tdesc *d, uint64_t *state, int64_t r, float *row) {
  int64_t j;
  if (d->kind == T_FREQ_R || d->kind == T_FREQ_I) {
    int64_t hs = w->cfg->dim / w->cfg->n_heads;
    for (j = 0; j < d->cols; j++) {
      double a = (double)r * pow(ROPE_THETA, -(double)(2 * j) / (double)hs);
      row[j] = (float)(d->kind == T_FREQ_R ? cos(a) : sin(a));
    }
    return;
  }
  if (d->kind == T_RMS_ATT || d->kind == T_RMS_FFN || d->kind == T_RMS_FINAL) {
    for (j = 0; j < d->cols; j++) row[j] = (float)(1.0 + 0.2 * (tpp_rng_f64(state) - 0.5));
    return;
  }
  {
    /* projections U(-a, a) with a = 1/sqrt(fan_in) keep activations of order
     * one through the layers; small embeddings U(-0.05, 0.05) keep a token's
     * own embedding from dominating the tied classifier, so a random model
     * wanders over the vocabulary instead of repeating its input */
    double a = d->kind == T_EMB ? 0.05 : 1.0 / sqrt((double)d->cols);
    for (j = 0; j < d->cols; j++) row[j] = (float)(a * (2.0 * tpp_rng_f64(state) - 1.0));
  }
}

static int put(write_ctx *w, const void *p, size_t n) {
  if (fwrite(p, 1, n, w->f) != n)
    return tpp_fail(w->err, TPP_E_IO, -1, -1, NAN, "checkpoint: cannot write '%s'", w->path);
  return TPP_OK;
}

static int write_tensor(void *ctx, const tdesc *d) {
  write_ctx *w = (write_ctx *)ctx;
  const int32_t gs = w->cfg->group_size;
  uint64_t state = tpp_rng_seed(w->seed * 0x100000001B3ULL + (uint64_t)d->kind * 4099u +
                                (uint64_t)(d->layer + 1));
  int64_t r, j;
  int rc;
  for (r = 0; r < d->rows; r++) {
    if (w->in) {
      int64_t off = w->v0_offset[d->kind * w->cfg->n_layers + (d->layer < 0 ? 0 : d->layer)];
      if ((rc = src_read(w->in, off + r * d->cols * 4, w->row, (size_t)d->cols * 4, w->err)))
        return rc;
    } else {
      random_row(w, d, &state, r, w->row);
    }
    if (!d->quant) {
      if ((rc = put(w, w->row, (size_t)d->cols * 4))) return rc;
      continue;
    }
    for (j = 0; j < d->cols; j += gs)
      w->scales[r * (d->cols / gs) + j / gs] =
          tpp_quantize_group(w->q + j, w->row + j, gs, w->format == TPP_CKPT_Q4 ? 7 : 127);
    if (w->format == TPP_CKPT_Q4) {
      pack_q4_row(w->packed, w->q, d->cols, gs);
      rc = put(w, w->packed, (size_t)d->cols / 2);
    } else {
      rc = put(w, w->q, (size_t)d->cols);
    }
    if (rc) return rc;
  }
  if (d->quant) return put(w, w->scales, (size_t)(d->rows * (d->cols / gs)) * 4);
  return TPP_OK;
}

static int record_v0_offset(void *ctx, const tdesc *d) {
  write_ctx *w = (write_ctx *)ctx;
  w->v0_offset[d->kind * w->cfg->n_layers + (d->layer < 0 ? 0 : d->layer)] = d->offset;
  return TPP_OK;
}

static int write_file(const char *path, const tpp_model_config *cfg, int format, uint64_t seed,
                      const src *in, tpp_error *err) {
  write_ctx w;
  uint8_t h[HEADER_V2];
  size_t hlen;
  int64_t max_cols = cfg->hidden_dim > cfg->dim ? cfg->hidden_dim : cfg->dim;
  int64_t biggest = (int64_t)cfg->vocab_size * cfg->dim;
  int rc = TPP_OK;
  memset(&w, 0, sizeof w);
  if (cfg->seq_len > max_cols) max_cols = cfg->seq_len; /* never: rope rows are head_size/2 */
  if ((int64_t)cfg->hidden_dim * cfg->dim > biggest) biggest = (int64_t)cfg->hidden_dim * cfg->dim;
  w.path = path;
  w.cfg = cfg;
  w.format = format;
  w.seed = seed;
  w.in = in;
  w.err = err;
  w.row = (float *)tpp_alloc((size_t)max_cols * 4);
  w.q = (int8_t *)tpp_alloc((size_t)max_cols);
  w.packed = (uint8_t *)tpp_alloc((size_t)max_cols);
  w.scales = (float *)tpp_alloc((size_t)(biggest / (cfg->group_size > 0 ? cfg->group_size : 1) + 1) * 4);
  if (in) w.v0_offset = (int64_t *)calloc((size_t)T_KINDS * (size_t)cfg->n_layers, sizeof(int64_t));
  if (!w.row || !w.q || !w.packed || !w.scales || (in && !w.v0_offset)) {
    rc = tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "checkpoint: out of memory for write buffers");
    goto done;
  }
  if (in) {
    tpp_model_config v0 = *cfg;
    v0.format = TPP_CKPT_V0;
    walk(&v0, TPP_CKPT_V0, record_v0_offset, &w, NULL);
  }
  w.f = fopen(path, "wb");
  if (!w.f) {
    rc = tpp_fail(err, TPP_E_IO, -1, -1, NAN, "checkpoint: cannot create '%s'", path);
    goto done;
  }
  write_header(h, &hlen, cfg, format);
  if ((rc = put(&w, h, hlen)) == TPP_OK) rc = walk(cfg, format, write_tensor, &w, NULL);
  if (fclose(w.f) != 0 && rc == TPP_OK)
    rc = tpp_fail(err, TPP_E_IO, -1, -1, NAN, "checkpoint: cannot write '%s'", path);
  if (rc != TPP_OK) remove(path);
done:
  tpp_free(w.row);
  tpp_free(w.q);
  tpp_free(w.packed);
  tpp_free(w.scales);
  free(w.v0_offset);
  return rc;
}

static int check_out_format(int32_t format, tpp_error *err) {
  if (format != TPP_CKPT_V0 && format != TPP_CKPT_Q8 && format != TPP_CKPT_Q4)
    return tpp_fail(err, TPP_E_ARG, -1, -1, format,
                    "checkpoint format %d: expected v0 (0), q8 (2) or q4 (4)", (int)format);
  return TPP_OK;
}

/* Group size for a quantized file: as asked, or the largest of 64, 32, ...
 * dividing dim and hidden_dim (llama2.c export halves from 64 the same way). */
static int file_group(tpp_model_config *c, int32_t want, tpp_error *err) {
  int step = c->format == TPP_CKPT_Q4 ? 8 : 4;
  int32_t g;
  if (c->format == TPP_CKPT_V0) {
    c->group_size = 0;
    return TPP_OK;
  }
  if (want > 0) {
    c->group_size = want;
  } else {
    c->group_size = 0;
    for (g = 64; g >= step; g /= 2)
      if (c->dim % g == 0 && c->hidden_dim % g == 0) {
        c->group_size = g;
        break;
      }
    if (!c->group_size)
      return tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN,
                      "no group size of %d..64 divides dim %d and hidden_dim %d", step,
                      (int)c->dim, (int)c->hidden_dim);
  }
  if (c->group_size % step)
    return tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, c->group_size,
                    "group size %d: tpp's %s kernels need a multiple of %d", (int)c->group_size,
                    c->format == TPP_CKPT_Q4 ? "q4" : "q8", step);
  return TPP_OK;
}

int tpp_model_write_random(const char *path, const tpp_model_config *cfg_in, uint64_t seed,
                           tpp_error *err) {
  tpp_model_config c = *cfg_in;
  int rc;
  if ((rc = check_out_format(c.format, err))) return rc;
  c.shared_classifier = c.shared_classifier ? 1 : 0;
  if ((rc = file_group(&c, cfg_in->group_size, err))) return rc;
  if ((rc = check_config(&c, "model", err))) return rc;
  return write_file(path, &c, c.format, seed, NULL, err);
}

int tpp_checkpoint_quantize(const char *in_path, const char *out_path, int32_t format,
                            int32_t group_size, tpp_error *err) {
  src s;
  tpp_model_config c;
  int rc;
  if ((rc = check_out_format(format, err))) return rc;
  if (format == TPP_CKPT_V0)
    return tpp_fail(err, TPP_E_ARG, -1, -1, format, "quantize: the output format must be q8 or q4");
  if ((rc = src_open(&s, in_path, err))) return rc;
  if ((rc = src_header(&s, &c, err)) == TPP_OK && c.format != TPP_CKPT_V0)
    rc = tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN,
                  "quantize: '%s' is already quantized; start from an fp32 (v0) checkpoint", in_path);
  if (rc == TPP_OK) {
    c.format = format;
    if ((rc = file_group(&c, group_size, err)) == TPP_OK &&
        (rc = check_config(&c, "quantize", err)) == TPP_OK)
      rc = write_file(out_path, &c, format, 0, &s, err);
  }
  fclose(s.f);
  return rc;
}
