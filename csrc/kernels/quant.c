/*
 * quant.c - symmetric per-group quantization: the blocked q8/q4 weight layout
 * (include/tpp.h) and int8 activations for the integer kernels.
 */
#include "kernels.h"

#include <math.h>
#include <string.h>

enum { QB = TPP_QBLOCK_ROWS };

int tpp_qgeom_init(tpp_qgeom *g, int dtype, int64_t rows, int64_t cols, int32_t group,
                   tpp_error *err) {
  int step = dtype == TPP_DT_Q4 ? 8 : 4;
  if (dtype != TPP_DT_Q8 && dtype != TPP_DT_Q4)
    return tpp_fail(err, TPP_E_ARG, -1, -1, dtype, "dtype %d is not q8 or q4", dtype);
  if (group < step || group > 65536 || group % step != 0)
    return tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, group,
                    "group size %d: %s needs a multiple of %d between %d and 65536", (int)group,
                    dtype == TPP_DT_Q4 ? "q4" : "q8", step, step);
  if (rows < 1 || cols < 1)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN, "a quantized matrix needs rows and columns >= 1");
  if (rows > (INT64_C(1) << 36) || cols > (INT64_C(1) << 36) ||
      (rows + QB) * (cols + group) > (INT64_C(1) << 40))
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN,
                    "a %lld x %lld matrix is larger than 2^40 elements", (long long)rows,
                    (long long)cols);
  g->dtype = dtype;
  g->group = group;
  g->rows = rows;
  g->cols = cols;
  g->rows_padded = (rows + QB - 1) / QB * QB;
  g->n_groups = (cols + group - 1) / group;
  g->cols_padded = g->n_groups * group;
  g->data_bytes = (size_t)(g->rows_padded * g->cols_padded);
  if (dtype == TPP_DT_Q4) g->data_bytes /= 2;
  g->scale_bytes = (size_t)(g->rows_padded * g->n_groups) * sizeof(float);
  return TPP_OK;
}

size_t tpp_qgeom_block_bytes(const tpp_qgeom *g) {
  return g->data_bytes / (size_t)(g->rows_padded / QB);
}

void tpp_q_clear(const tpp_qgeom *g, uint8_t *data, float *scales) {
  memset(data, g->dtype == TPP_DT_Q4 ? 0x88 : 0, g->data_bytes);
  memset(scales, 0, g->scale_bytes);
}

float tpp_quantize_group(int8_t *q, const float *x, int64_t n, int qmax) {
  float amax = 0.0f, scale, inv;
  int64_t i;
  for (i = 0; i < n; i++) {
    float a = fabsf(x[i]);
    if (a > amax) amax = a;
  }
  scale = amax / (float)qmax;
  inv = scale > 0.0f ? 1.0f / scale : 0.0f;
  for (i = 0; i < n; i++) {
    float v = x[i] * inv;
    int qi = (int)lrintf(v);
    if (qi > qmax) qi = qmax;
    if (qi < -qmax) qi = -qmax;
    q[i] = (int8_t)qi;
  }
  return scale;
}

/* Byte of column c in row r (q8) or the byte holding its nibble (q4), with
 * *high = 1 when the value is the high nibble. */
static size_t q_pos(const tpp_qgeom *g, int64_t r, int64_t c, int *high) {
  int64_t b = r / QB, lane = r % QB;
  int64_t grp = c / g->group, in = c % g->group;
  if (g->dtype == TPP_DT_Q8) {
    int64_t s = in / 4, j = in % 4;
    *high = 0;
    return (size_t)((((b * g->n_groups + grp) * (g->group / 4) + s) * 64) + lane * 4 + j);
  } else {
    int64_t s = in / 8, j = in % 8;
    *high = j >= 4;
    return (size_t)((((b * g->n_groups + grp) * (g->group / 8) + s) * 64) + lane * 4 + (j & 3));
  }
}

static size_t scale_pos(const tpp_qgeom *g, int64_t r, int64_t grp) {
  return (size_t)((r / QB * g->n_groups + grp) * QB + r % QB);
}

static void put_q(const tpp_qgeom *g, uint8_t *data, int64_t r, int64_t c, int q) {
  int high;
  size_t p = q_pos(g, r, c, &high);
  if (g->dtype == TPP_DT_Q8) {
    data[p] = (uint8_t)(int8_t)q;
  } else {
    uint8_t nib = (uint8_t)(q + 8) & 0x0f;
    data[p] = high ? (uint8_t)((data[p] & 0x0f) | (nib << 4)) : (uint8_t)((data[p] & 0xf0) | nib);
  }
}

static int get_q(const tpp_qgeom *g, const uint8_t *data, int64_t r, int64_t c) {
  int high;
  size_t p = q_pos(g, r, c, &high);
  if (g->dtype == TPP_DT_Q8) return (int8_t)data[p];
  return (high ? data[p] >> 4 : data[p] & 0x0f) - 8;
}

void tpp_q_set_row_f32(const tpp_qgeom *g, uint8_t *data, float *scales, int64_t row,
                       const float *x) {
  int8_t q[256];
  int qmax = g->dtype == TPP_DT_Q4 ? 7 : 127;
  int64_t grp;
  for (grp = 0; grp < g->n_groups; grp++) {
    int64_t c0 = grp * g->group;
    int64_t n = g->cols - c0 < g->group ? g->cols - c0 : g->group;
    int64_t done = 0;
    float amax = 0.0f, scale, inv;
    int64_t i;
    for (i = 0; i < n; i++) {
      float a = fabsf(x[c0 + i]);
      if (a > amax) amax = a;
    }
    scale = amax / (float)qmax;
    inv = scale > 0.0f ? 1.0f / scale : 0.0f;
    scales[scale_pos(g, row, grp)] = scale;
    /* quantize in chunks of 256 so any group size works without a heap buffer */
    while (done < n) {
      int64_t k = n - done < 256 ? n - done : 256;
      for (i = 0; i < k; i++) {
        int qi = (int)lrintf(x[c0 + done + i] * inv);
        if (qi > qmax) qi = qmax;
        if (qi < -qmax) qi = -qmax;
        q[i] = (int8_t)qi;
      }
      for (i = 0; i < k; i++) put_q(g, data, row, c0 + done + i, q[i]);
      done += k;
    }
  }
}

void tpp_q_set_row_q(const tpp_qgeom *g, uint8_t *data, float *scales, int64_t row,
                     const int8_t *q, const float *group_scales) {
  int64_t c, grp;
  for (grp = 0; grp < g->n_groups; grp++) scales[scale_pos(g, row, grp)] = group_scales[grp];
  for (c = 0; c < g->cols; c++) put_q(g, data, row, c, q[c]);
}

void tpp_q_get_row_f32(const tpp_qgeom *g, const uint8_t *data, const float *scales,
                       int64_t row, float *out) {
  int64_t c;
  for (c = 0; c < g->cols; c++)
    out[c] = scales[scale_pos(g, row, c / g->group)] * (float)get_q(g, data, row, c);
}

void tpp_q_get_row_q(const tpp_qgeom *g, const uint8_t *data, const float *scales,
                     int64_t row, int8_t *q, float *group_scales) {
  int64_t c, grp;
  for (grp = 0; grp < g->n_groups; grp++) group_scales[grp] = scales[scale_pos(g, row, grp)];
  for (c = 0; c < g->cols; c++) q[c] = (int8_t)get_q(g, data, row, c);
}

float tpp_q_get(const tpp_qgeom *g, const uint8_t *data, const float *scales, int64_t row,
                int64_t col) {
  return scales[scale_pos(g, row, col / g->group)] * (float)get_q(g, data, row, col);
}

/* ---- activations ---- */

static size_t align64(size_t n) {
  return (n + 63) & ~(size_t)63;
}

size_t tpp_qact_bytes(int64_t m, int64_t cols, int32_t group) {
  int64_t ng = (cols + group - 1) / group;
  int64_t kp = ng * group;
  return align64((size_t)(m * kp)) + 2 * align64((size_t)(m * ng) * 4);
}

void tpp_qact_init(tpp_qact *a, void *workspace, int64_t m, int64_t cols, int32_t group) {
  char *p = (char *)workspace;
  a->m = m;
  a->cols = cols;
  a->group = group;
  a->n_groups = (cols + group - 1) / group;
  a->cols_padded = a->n_groups * group;
  a->q = (int8_t *)p;
  p += align64((size_t)(m * a->cols_padded));
  a->scale = (float *)(void *)p;
  p += align64((size_t)(m * a->n_groups) * 4);
  a->sum = (int32_t *)(void *)p;
}

typedef struct qact_job {
  tpp_qact *a;
  const float *x;
  int64_t ldx;
} qact_job;

static int qact_rows(void *ctx, int64_t begin, int64_t end, int worker) {
  const qact_job *j = (const qact_job *)ctx;
  tpp_qact *a = j->a;
  int64_t t;
  (void)worker;
  for (t = begin; t < end; t++) {
    const float *x = j->x + t * j->ldx;
    int8_t *q = a->q + t * a->cols_padded;
    int64_t grp;
    for (grp = 0; grp < a->n_groups; grp++) {
      int64_t c0 = grp * a->group;
      int64_t n = a->cols - c0 < a->group ? a->cols - c0 : a->group;
      int64_t i;
      int32_t sum = 0;
      a->scale[t * a->n_groups + grp] = tpp_quantize_group(q + c0, x + c0, n, 127);
      for (i = n; i < a->group; i++) q[c0 + i] = 0;
      for (i = 0; i < n; i++) sum += q[c0 + i];
      a->sum[t * a->n_groups + grp] = sum;
    }
  }
  return TPP_OK;
}

void tpp_qact_quantize(tpp_qact *a, const float *x, int64_t ldx) {
  qact_job j;
  j.a = a;
  j.x = x;
  j.ldx = ldx;
  /* worth threads only for a batch of rows */
  tpp_parallel_for(a->m, 16, 0, qact_rows, &j);
}
