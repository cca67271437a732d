/*
 * quant.c - symmetric per-group quantization: the blocked q8/q4 weight layout
 * (include/tpp.h) and int8 activations for the integer kernels.
 */
#include "kernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TPP_X86 1
#include <immintrin.h>
#endif

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

/* Store one row's group of quantized values q[G] (zero past the row's end)
 * into the blocked layout: 4 bytes per step (q8) or a nibble pair per byte
 * (q4), each at lane r of its 64-byte step. */
static void place_group(const tpp_qgeom *g, uint8_t *data, int64_t row, int64_t grp,
                        const int8_t *q) {
  const int64_t b = row / QB, lane = row % QB;
  int64_t s;
  if (g->dtype == TPP_DT_Q8) {
    uint8_t *base = data + ((b * g->n_groups + grp) * (g->group / 4)) * 64 + lane * 4;
    for (s = 0; s < g->group / 4; s++) memcpy(base + s * 64, q + 4 * s, 4);
  } else {
    uint8_t *base = data + ((b * g->n_groups + grp) * (g->group / 8)) * 64 + lane * 4;
    for (s = 0; s < g->group / 8; s++) {
      int j;
      for (j = 0; j < 4; j++)
        base[s * 64 + j] =
            (uint8_t)(((q[8 * s + j] + 8) & 15) | (((q[8 * s + 4 + j] + 8) & 15) << 4));
    }
  }
}

void tpp_q_set_row_f32(const tpp_qgeom *g, uint8_t *data, float *scales, int64_t row,
                       const float *x) {
  int8_t q[512];
  const int qmax = g->dtype == TPP_DT_Q4 ? 7 : 127;
  int64_t grp;
  for (grp = 0; grp < g->n_groups; grp++) {
    int64_t c0 = grp * g->group;
    int64_t n = g->cols - c0 < g->group ? g->cols - c0 : g->group;
    if (g->group <= 512) {
      scales[scale_pos(g, row, grp)] = tpp_quantize_group(q, x + c0, n, qmax);
      if (n < g->group) memset(q + n, 0, (size_t)(g->group - n));
      place_group(g, data, row, grp, q);
    } else { /* rare huge groups: element by element, same arithmetic */
      float amax = 0.0f, scale, inv;
      int64_t i;
      for (i = 0; i < n; i++) amax = fabsf(x[c0 + i]) > amax ? fabsf(x[c0 + i]) : amax;
      scale = amax / (float)qmax;
      inv = scale > 0.0f ? 1.0f / scale : 0.0f;
      scales[scale_pos(g, row, grp)] = scale;
      for (i = 0; i < n; i++) {
        int qi = (int)lrintf(x[c0 + i] * inv);
        put_q(g, data, row, c0 + i, qi > qmax ? qmax : qi < -qmax ? -qmax : qi);
      }
    }
  }
}

void tpp_q_set_row_q(const tpp_qgeom *g, uint8_t *data, float *scales, int64_t row,
                     const int8_t *q, const float *group_scales) {
  int8_t qbuf[512];
  int64_t grp;
  for (grp = 0; grp < g->n_groups; grp++) {
    int64_t c0 = grp * g->group;
    int64_t n = g->cols - c0 < g->group ? g->cols - c0 : g->group;
    scales[scale_pos(g, row, grp)] = group_scales[grp];
    if (n == g->group && g->group <= 512) {
      place_group(g, data, row, grp, q + c0);
    } else if (g->group <= 512) {
      memcpy(qbuf, q + c0, (size_t)n);
      memset(qbuf + n, 0, (size_t)(g->group - n));
      place_group(g, data, row, grp, qbuf);
    } else {
      int64_t i;
      for (i = 0; i < n; i++) put_q(g, data, row, c0 + i, q[c0 + i]);
    }
  }
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

/* One row of activations: q[cols_padded], scale[n_groups], sum[n_groups]. */
static void qact_row_scalar(const tpp_qact *a, const float *x, int8_t *q, float *scale,
                            int32_t *sum) {
  int64_t grp;
  for (grp = 0; grp < a->n_groups; grp++) {
    int64_t c0 = grp * a->group;
    int64_t n = a->cols - c0 < a->group ? a->cols - c0 : a->group;
    int64_t i;
    int32_t s = 0;
    scale[grp] = tpp_quantize_group(q + c0, x + c0, n, 127);
    for (i = n; i < a->group; i++) q[c0 + i] = 0;
    for (i = 0; i < n; i++) s += q[c0 + i];
    sum[grp] = s;
  }
}

#ifdef TPP_X86
/* The same arithmetic 16 lanes at a time: max|x|, scale = max / 127,
 * q = round-half-even(x * (1 / scale)) (vcvtps2dq in the default rounding
 * mode is lrintf), so the result is bit-identical to the scalar path. */
__attribute__((target("avx512f,avx512bw,avx512vl"))) static void qact_row_avx512(
    const tpp_qact *a, const float *x, int8_t *q, float *scale, int32_t *sum) {
  int64_t grp;
  for (grp = 0; grp < a->n_groups; grp++) {
    int64_t c0 = grp * a->group;
    int64_t n = a->cols - c0 < a->group ? a->cols - c0 : a->group;
    int64_t i;
    __m512 mx = _mm512_setzero_ps();
    __m512i acc = _mm512_setzero_si512();
    float amax, sc, inv;
    __m512 vinv;
    for (i = 0; i < n; i += 16) {
      __mmask16 m = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
      mx = _mm512_max_ps(mx, _mm512_abs_ps(_mm512_maskz_loadu_ps(m, x + c0 + i)));
    }
    amax = _mm512_reduce_max_ps(mx);
    sc = amax / 127.0f;
    inv = sc > 0.0f ? 1.0f / sc : 0.0f;
    vinv = _mm512_set1_ps(inv);
    scale[grp] = sc;
    for (i = 0; i < a->group; i += 16) {
      int64_t left = n - i;
      __mmask16 m = left >= 16 ? (__mmask16)0xffff : left > 0 ? (__mmask16)((1u << left) - 1) : 0;
      __m512i qi = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + c0 + i), vinv));
      __mmask16 st = a->group - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (a->group - i)) - 1);
      /* |x * inv| <= 127 up to rounding; clamp as the scalar path does */
      qi = _mm512_min_epi32(_mm512_max_epi32(qi, _mm512_set1_epi32(-127)), _mm512_set1_epi32(127));
      acc = _mm512_add_epi32(acc, qi);
      _mm_mask_storeu_epi8(q + c0 + i, st, _mm512_cvtepi32_epi8(qi));
    }
    sum[grp] = _mm512_reduce_add_epi32(acc);
  }
}
#endif

static int qact_rows(void *ctx, int64_t begin, int64_t end, int worker) {
  const qact_job *j = (const qact_job *)ctx;
  tpp_qact *a = j->a;
  int64_t t;
  (void)worker;
  for (t = begin; t < end; t++) {
    const float *x = j->x + t * j->ldx;
    int8_t *q = a->q + t * a->cols_padded;
    float *scale = a->scale + t * a->n_groups;
    int32_t *sum = a->sum + t * a->n_groups;
#ifdef TPP_X86
    if (tpp_isa_level() >= TPP_ISA_AVX512) {
      qact_row_avx512(a, x, q, scale, sum);
      continue;
    }
#endif
    qact_row_scalar(a, x, q, scale, sum);
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
