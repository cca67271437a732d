/*
 * api.c - the tensor-level kernel API of include/tpp.h: checks dtypes,
 * shapes and strides, names both shapes when they do not fit, then calls the
 * pointer-level kernels. Workspace is allocated here, never in the kernels.
 */
#include "kernels.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void shape_str(const tpp_tensor *t, char *buf, size_t size) {
  int32_t d;
  size_t used = 0;
  buf[0] = '\0';
  for (d = 0; d < t->ndim && used + 1 < size; d++) {
    int n = snprintf(buf + used, size - used, d ? "x%lld" : "%lld", (long long)t->shape[d]);
    if (n < 0) break;
    used += (size_t)n;
  }
}

static int need(const tpp_tensor *t, const char *what, tpp_error *err) {
  if (!t) return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "%s: tensor expected, got none", what);
  return TPP_OK;
}

/* A 1-D or 2-D f32 tensor seen as rows of unit-stride columns. */
typedef struct rows_view {
  float *p;
  int64_t rows, cols, ld;
} rows_view;

static int as_rows(const tpp_tensor *t, const char *what, rows_view *v, tpp_error *err) {
  char s[96];
  if (need(t, what, err)) return TPP_E_ARG;
  shape_str(t, s, sizeof s);
  if (t->dtype != TPP_DT_F32)
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "%s: f32 tensor expected, got %s [%s]", what,
                    tpp_dtype_name(t->dtype), s);
  if (t->ndim > 2)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, t->ndim,
                    "%s: 1-D or 2-D tensor expected, got shape %s", what, s);
  v->p = (float *)t->data;
  if (t->ndim == 1) {
    if (t->stride[0] != 1 && t->shape[0] > 1)
      return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)t->stride[0],
                      "%s: contiguous vector expected, got stride %lld", what,
                      (long long)t->stride[0]);
    v->rows = 1;
    v->cols = t->shape[0];
    v->ld = t->shape[0];
    return TPP_OK;
  }
  if (t->stride[1] != 1 && t->shape[1] > 1)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)t->stride[1],
                    "%s: rows with unit column stride expected, got column stride %lld "
                    "(copy to a contiguous tensor first)",
                    what, (long long)t->stride[1]);
  v->rows = t->shape[0];
  v->cols = t->shape[1];
  v->ld = t->shape[0] > 1 ? t->stride[0] : t->shape[1];
  if (v->ld < v->cols) v->ld = v->cols;
  return TPP_OK;
}

static int mismatch(tpp_error *err, const char *what, const tpp_tensor *a, const char *an,
                    const tpp_tensor *b, const char *bn) {
  char sa[96], sb[96];
  shape_str(a, sa, sizeof sa);
  shape_str(b, sb, sizeof sb);
  return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN, "%s: %s has shape %s but %s has shape %s", what,
                  an, sa, bn, sb);
}

int tpp_linear(tpp_tensor *y, const tpp_tensor *x, const tpp_tensor *w, tpp_error *err) {
  rows_view vy, vx;
  int64_t n, k;
  if (as_rows(y, "linear: y", &vy, err) || as_rows(x, "linear: x", &vx, err) ||
      need(w, "linear: w", err))
    return err ? err->code : TPP_E_ARG;
  if (w->ndim != 2) return mismatch(err, "linear (y = x . w^T, w is [n][k])", w, "w", x, "x");
  n = w->shape[0];
  k = w->shape[1];
  if (vx.cols != k) return mismatch(err, "linear (y = x . w^T, w is [n][k])", x, "x", w, "w");
  if (vy.cols != n || vy.rows != vx.rows)
    return mismatch(err, "linear (y[m][n] = x[m][k] . w[n][k]^T)", y, "y", x, "x");
  if (w->dtype == TPP_DT_F32) {
    int64_t ldw = w->shape[0] > 1 ? w->stride[0] : k;
    if (w->stride[1] != 1 && k > 1)
      return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN,
                      "linear: w must have unit column stride (rows of in-features)");
    return tpp_linear_f32(vy.p, vy.ld, vx.p, vx.ld, (const float *)w->data, ldw, vx.rows, n, k,
                          err);
  }
  if (w->dtype == TPP_DT_Q8 || w->dtype == TPP_DT_Q4) {
    tpp_qgeom g;
    tpp_qact a;
    void *ws;
    int rc = tpp_qgeom_init(&g, w->dtype, n, k, w->group_size, err);
    if (rc) return rc;
    ws = tpp_alloc(tpp_qact_bytes(vx.rows, k, g.group));
    if (!ws) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "linear: out of memory for activations");
    tpp_qact_init(&a, ws, vx.rows, k, g.group);
    tpp_qact_quantize(&a, vx.p, vx.ld);
    tpp_qmatmul(vy.p, vy.ld, &a, &g, (const uint8_t *)w->data, w->scales);
    tpp_free(ws);
    return TPP_OK;
  }
  return tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN,
                  "linear: w of dtype %s is not supported (f32, q8 or q4)", tpp_dtype_name(w->dtype));
}

/* Row-major (trans 0) or column-major (trans 1) view of a 2-D f32 operand. */
static int blas_operand(const tpp_tensor *t, const char *what, int *trans, int64_t *ld,
                        tpp_error *err) {
  char s[96];
  if (need(t, what, err)) return TPP_E_ARG;
  shape_str(t, s, sizeof s);
  if (t->dtype != TPP_DT_F32 || t->ndim != 2)
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "%s: 2-D f32 tensor expected, got %s [%s]", what,
                    tpp_dtype_name(t->dtype), s);
  if (t->stride[1] == 1 || t->shape[1] == 1) {
    *trans = 0;
    *ld = t->shape[0] > 1 ? t->stride[0] : t->shape[1];
    if (*ld < t->shape[1]) *ld = t->shape[1];
  } else if (t->stride[0] == 1 || t->shape[0] == 1) {
    *trans = 1;
    *ld = t->shape[1] > 1 ? t->stride[1] : t->shape[0];
    if (*ld < t->shape[0]) *ld = t->shape[0];
  } else {
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN,
                    "%s: one of the strides must be 1 (got %lld, %lld); copy it first", what,
                    (long long)t->stride[0], (long long)t->stride[1]);
  }
  if (*ld > INT_MAX || t->shape[0] > INT_MAX || t->shape[1] > INT_MAX)
    return tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN, "%s: sizes exceed OpenBLAS's int", what);
  return TPP_OK;
}

int tpp_matmul(tpp_tensor *c, const tpp_tensor *a, const tpp_tensor *b, tpp_error *err) {
  int ta, tb, tc;
  int64_t lda, ldb, ldc;
  if (blas_operand(c, "matmul: c", &tc, &ldc, err) || blas_operand(a, "matmul: a", &ta, &lda, err) ||
      blas_operand(b, "matmul: b", &tb, &ldb, err))
    return err ? err->code : TPP_E_ARG;
  if (a->shape[1] != b->shape[0]) return mismatch(err, "matmul (c = a . b)", a, "a", b, "b");
  if (c->shape[0] != a->shape[0] || c->shape[1] != b->shape[1])
    return mismatch(err, "matmul (c = a . b)", c, "c", a, "a");
  if (tc) {
    /* column-major c: compute c^T = b^T . a^T, which is row-major */
    cblas_sgemm(CblasRowMajor, tb ? CblasNoTrans : CblasTrans, ta ? CblasNoTrans : CblasTrans,
                (int)b->shape[1], (int)a->shape[0], (int)a->shape[1], 1.0f,
                (const float *)b->data, (int)ldb, (const float *)a->data, (int)lda, 0.0f,
                (float *)c->data, (int)ldc);
    return TPP_OK;
  }
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
              (int)a->shape[0], (int)b->shape[1], (int)a->shape[1], 1.0f, (const float *)a->data,
              (int)lda, (const float *)b->data, (int)ldb, 0.0f, (float *)c->data, (int)ldc);
  return TPP_OK;
}

int tpp_rmsnorm(tpp_tensor *out, const tpp_tensor *x, const tpp_tensor *w, double eps,
                tpp_error *err) {
  rows_view vo, vx, vw;
  int64_t r;
  if (as_rows(out, "rmsnorm: out", &vo, err) || as_rows(x, "rmsnorm: x", &vx, err) ||
      as_rows(w, "rmsnorm: w", &vw, err))
    return err ? err->code : TPP_E_ARG;
  if (vw.rows != 1 || vw.cols != vx.cols)
    return mismatch(err, "rmsnorm (w is one weight per column of x)", w, "w", x, "x");
  if (vo.rows != vx.rows || vo.cols != vx.cols) return mismatch(err, "rmsnorm", out, "out", x, "x");
  if (!(eps >= 0.0) || !isfinite(eps))
    return tpp_fail(err, TPP_E_ARG, -1, -1, eps, "rmsnorm: eps %g: expected a finite number >= 0", eps);
  for (r = 0; r < vx.rows; r++)
    tpp_rmsnorm_f32(vo.p + r * vo.ld, vx.p + r * vx.ld, vw.p, vx.cols, (float)eps);
  return TPP_OK;
}

int tpp_softmax(tpp_tensor *x, tpp_error *err) {
  rows_view v;
  int64_t r;
  if (as_rows(x, "softmax: x", &v, err)) return err ? err->code : TPP_E_ARG;
  for (r = 0; r < v.rows; r++) tpp_softmax_f32(v.p + r * v.ld, v.cols);
  return TPP_OK;
}

int tpp_rope(tpp_tensor *x, int64_t pos, int32_t head_size, double theta, tpp_error *err) {
  rows_view v;
  float *cs;
  int64_t r;
  if (as_rows(x, "rope: x", &v, err)) return err ? err->code : TPP_E_ARG;
  if (head_size < 2 || head_size % 2 || v.cols % head_size)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, head_size,
                    "rope: head_size %d must be even and divide the row length %lld",
                    (int)head_size, (long long)v.cols);
  if (pos < 0)
    return tpp_fail(err, TPP_E_ARG, -1, -1, (double)pos, "rope: position %lld < 0", (long long)pos);
  if (!(theta > 0.0) || !isfinite(theta))
    return tpp_fail(err, TPP_E_ARG, -1, -1, theta, "rope: theta %g: expected > 0", theta);
  cs = (float *)tpp_alloc((size_t)head_size * sizeof(float));
  if (!cs) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "rope: out of memory");
  for (r = 0; r < v.rows; r++) {
    tpp_rope_table(cs, pos + r, head_size, theta);
    tpp_rope_apply(v.p + r * v.ld, v.cols, head_size, cs);
  }
  tpp_free(cs);
  return TPP_OK;
}

int tpp_silu(tpp_tensor *x, tpp_error *err) {
  rows_view v;
  int64_t r;
  if (as_rows(x, "silu: x", &v, err)) return err ? err->code : TPP_E_ARG;
  for (r = 0; r < v.rows; r++) tpp_silu_f32(v.p + r * v.ld, v.cols);
  return TPP_OK;
}

int tpp_swiglu(tpp_tensor *out, const tpp_tensor *gate, const tpp_tensor *up, tpp_error *err) {
  rows_view vo, vg, vu;
  int64_t r;
  if (as_rows(out, "swiglu: out", &vo, err) || as_rows(gate, "swiglu: gate", &vg, err) ||
      as_rows(up, "swiglu: up", &vu, err))
    return err ? err->code : TPP_E_ARG;
  if (vg.rows != vu.rows || vg.cols != vu.cols) return mismatch(err, "swiglu", gate, "gate", up, "up");
  if (vo.rows != vg.rows || vo.cols != vg.cols) return mismatch(err, "swiglu", out, "out", gate, "gate");
  for (r = 0; r < vg.rows; r++)
    tpp_swiglu_f32(vo.p + r * vo.ld, vg.p + r * vg.ld, vu.p + r * vu.ld, vg.cols);
  return TPP_OK;
}

int tpp_attention(tpp_tensor *out, const tpp_tensor *q, const tpp_tensor *k_cache,
                  const tpp_tensor *v_cache, int64_t pos, int32_t n_heads, int32_t n_kv_heads,
                  tpp_error *err) {
  rows_view vo, vq, vk, vv;
  tpp_attn a;
  int64_t hs;
  if (as_rows(out, "attention: out", &vo, err) || as_rows(q, "attention: q", &vq, err) ||
      as_rows(k_cache, "attention: k_cache", &vk, err) ||
      as_rows(v_cache, "attention: v_cache", &vv, err))
    return err ? err->code : TPP_E_ARG;
  if (n_heads < 1 || n_kv_heads < 1 || n_heads % n_kv_heads)
    return tpp_fail(err, TPP_E_ARG, -1, -1, n_kv_heads,
                    "attention: n_kv_heads %d must divide n_heads %d (both >= 1)", (int)n_kv_heads,
                    (int)n_heads);
  if (vq.cols % n_heads)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)vq.cols,
                    "attention: q rows of %lld do not split into %d heads", (long long)vq.cols,
                    (int)n_heads);
  hs = vq.cols / n_heads;
  if (vk.cols != hs * n_kv_heads || vv.cols != vk.cols || vv.rows != vk.rows)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN,
                    "attention: caches must be [S][%lld] (n_kv_heads %d x head size %lld), got "
                    "k %lldx%lld and v %lldx%lld",
                    (long long)(hs * n_kv_heads), (int)n_kv_heads, (long long)hs,
                    (long long)vk.rows, (long long)vk.cols, (long long)vv.rows,
                    (long long)vv.cols);
  if (pos < 0 || pos + vq.rows > vk.rows)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)pos,
                    "attention: positions %lld..%lld are outside the cache of %lld rows",
                    (long long)pos, (long long)(pos + vq.rows - 1), (long long)vk.rows);
  if (vo.rows != vq.rows || vo.cols != vq.cols) return mismatch(err, "attention", out, "out", q, "q");
  if (vk.ld != vv.ld)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN, "attention: k and v caches need the same row stride");
  a.out = vo.p;
  a.ldo = vo.ld;
  a.q = vq.p;
  a.ldq = vq.ld;
  a.k = vk.p;
  a.v = vv.p;
  a.ldkv = vk.ld;
  a.pos = pos;
  a.T = vq.rows;
  a.n_heads = n_heads;
  a.n_kv_heads = n_kv_heads;
  a.head_size = (int32_t)hs;
  a.scratch = (float *)tpp_alloc((size_t)tpp_get_threads() * (size_t)(pos + vq.rows) * sizeof(float));
  if (!a.scratch) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "attention: out of memory");
  tpp_attention_f32(&a);
  tpp_free(a.scratch);
  return TPP_OK;
}

int tpp_argmax(const tpp_tensor *x, int64_t *index, tpp_error *err) {
  rows_view v;
  if (as_rows(x, "argmax: x", &v, err)) return err ? err->code : TPP_E_ARG;
  if (v.rows != 1)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN, "argmax: a vector expected, got %lld rows",
                    (long long)v.rows);
  *index = tpp_argmax_f32(v.p, v.cols);
  return TPP_OK;
}
