/*
 * test_kernel_tails.c - every remainder of every vector width and tile, on
 * every instruction-set level this CPU has (tpp_isa_set caps the dispatch:
 * scalar, AVX2, AVX-512 VNNI).
 *
 * The kernels work in tiles (AVX-512 int8 matmul: 8 tokens x 16 rows; AVX2:
 * 4 tokens; f32 matrix-vector: 64- and 16-wide on AVX-512, 32- and 8-wide on
 * AVX2, 4-wide scalar; element-wise ops 16-wide) and finish with a tail. Each
 * sweep below runs every size from 1 to past two tiles, so every remainder of
 * every width is run: tokens m = 1..17 (and across an activation panel),
 * output rows n = 1..33, reduction length k = 1..70, element counts 1..70.
 * Outputs start as NaN, so an output a tail never writes fails the bound.
 *
 * Bounds (u = 2^-24) are those of test_kernels.c: (k + 4) u sum|a b| for f32
 * products; (n_groups + 4) u sum|ws xs isum| against the same integers summed
 * in double for q8/q4; |x - dq(x)| <= scale / 2 for quantization; relative
 * 1e-5 for element-wise ops. One TAP line per kernel, sweep and level names
 * the worst case, or the first shape that failed.
 */
#include "kernels/kernels.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U (1.0 / 16777216.0)

static void fill(float *x, int64_t n, uint64_t seed, float lo, float hi) {
  uint64_t s = tpp_rng_seed(seed);
  int64_t i;
  for (i = 0; i < n; i++) x[i] = lo + (hi - lo) * (float)tpp_rng_f64(&s);
}

static void fill_nan(float *x, int64_t n) {
  int64_t i;
  for (i = 0; i < n; i++) x[i] = NAN;
}

static int isa_levels(int *levels) {
  int n = 0, l;
  for (l = TPP_ISA_SCALAR; l <= tpp_isa_detected(); l++) levels[n++] = l;
  return n;
}

/* Worst ratio over a sweep, and the first shape over 1 (or NaN). */
typedef struct sweep {
  int shapes;
  double worst;
  char first_bad[96];
} sweep;

static void sweep_init(sweep *s) {
  s->shapes = 0;
  s->worst = 0;
  s->first_bad[0] = '\0';
}

static void sweep_add(sweep *s, double ratio, const char *fmt, long long a, long long b,
                      long long c) {
  s->shapes++;
  if (!(ratio <= 1.0) && s->first_bad[0] == '\0') snprintf(s->first_bad, sizeof s->first_bad, fmt, a, b, c);
  if (!isnan(s->worst) && !(ratio <= s->worst)) s->worst = ratio; /* a NaN stays */
}

#define SWEEP_REPORT(s, ...)                                                                 \
  do {                                                                                       \
    char what_[160];                                                                         \
    snprintf(what_, sizeof what_, __VA_ARGS__);                                              \
    TAP_OK((s).first_bad[0] == '\0' && (s).shapes > 0, "%s: %d shapes, worst %.3g of the bound%s%s", \
           what_, (s).shapes, (s).worst, (s).first_bad[0] ? "; first failure at " : "",      \
           (s).first_bad);                                                                   \
  } while (0)

/* ---- q8/q4 matrix products ---- */

/* worst |y - ref| / bound for y[m][n] = x[m][k] . W[n][k]^T, W quantized
 * (dtype, group), run on isa; the reference takes the kernel's quantized
 * activations and W's integers and sums them in double. */
static double qlinear_worst(int dtype, int64_t m, int64_t n, int64_t k, int32_t group, int isa) {
  tpp_error err;
  int64_t xs_shape[2] = {m, k}, ws_shape[2] = {n, k}, ys_shape[2] = {m, n};
  tpp_tensor *x = tpp_tensor_new(TPP_DT_F32, 2, xs_shape, 0, &err);
  tpp_tensor *wf = tpp_tensor_new(TPP_DT_F32, 2, ws_shape, 0, &err);
  tpp_tensor *y = tpp_tensor_new(TPP_DT_F32, 2, ys_shape, 0, &err);
  tpp_tensor *w;
  tpp_qgeom g;
  tpp_qact a;
  void *ws;
  int8_t *wq = (int8_t *)malloc((size_t)n * (size_t)k);
  float *wsc = (float *)malloc((size_t)n * (size_t)(k / group + 2) * sizeof(float));
  double worst = 0;
  int64_t t, r, c, grp;
  fill((float *)x->data, m * k, (uint64_t)(m * 7 + k * 131 + n), -1.0f, 1.0f);
  fill((float *)wf->data, n * k, (uint64_t)(n * 13 + k), -0.5f, 0.5f);
  w = tpp_tensor_convert(wf, dtype, group, &err);
  fill_nan((float *)y->data, m * n);
  tpp_isa_set(isa);
  if (tpp_linear(y, x, w, &err) != TPP_OK) worst = INFINITY;
  tpp_qgeom_init(&g, dtype, n, k, group, &err);
  ws = tpp_alloc(tpp_qact_bytes(m, k, group));
  tpp_qact_init(&a, ws, m, k, group);
  tpp_qact_quantize(&a, (const float *)x->data, k); /* as the kernel saw them */
  tpp_isa_set(-1);
  for (r = 0; r < n; r++)
    tpp_q_get_row_q(&g, (const uint8_t *)w->data, w->scales, r, wq + r * k, wsc + r * g.n_groups);
  for (t = 0; t < m; t++)
    for (r = 0; r < n; r++) {
      double exact = 0, abs_terms = 0, got = ((const float *)y->data)[t * n + r], bound;
      for (grp = 0; grp < g.n_groups; grp++) {
        double isum = 0, xs = a.scale[t * g.n_groups + grp];
        for (c = grp * group; c < (grp + 1) * group && c < k; c++)
          isum += (double)wq[r * k + c] * a.q[t * a.cols_padded + c];
        exact += wsc[r * g.n_groups + grp] * xs * isum;
        abs_terms += fabs(wsc[r * g.n_groups + grp] * xs * isum);
      }
      bound = (double)(g.n_groups + 4) * U * abs_terms + 1e-30;
      if (!(fabs(got - exact) / bound <= worst)) worst = fabs(got - exact) / bound;
    }
  tpp_free(ws);
  free(wq);
  free(wsc);
  tpp_tensor_release(x);
  tpp_tensor_release(wf);
  tpp_tensor_release(w);
  tpp_tensor_release(y);
  return worst;
}

TAP_TEST(kernel_tails_qmatmul_tokens) {
  int levels[3], nl = isa_levels(levels), l, d;
  static const int dtypes[2] = {TPP_DT_Q8, TPP_DT_Q4};
  for (l = 0; l < nl; l++)
    for (d = 0; d < 2; d++) {
      static const int32_t groups[4] = {8, 16, 32, 64};
      sweep s;
      int gi;
      int64_t m;
      sweep_init(&s);
      for (gi = dtypes[d] == TPP_DT_Q8 ? 1 : 0; gi < 4; gi++)
        for (m = 1; m <= 17; m++)
          sweep_add(&s, qlinear_worst(dtypes[d], m, 19, 96, groups[gi], levels[l]),
                    "m %lld n 19 k 96 G %lld%.0lld", (long long)m, (long long)groups[gi], 0);
      SWEEP_REPORT(s, "%s matmul, tokens m = 1..17 (every remainder of 8 and 4), n 19, k 96, "
                      "G 8-64 on %s", tpp_dtype_name(dtypes[d]), tpp_isa_name(levels[l]));
    }
}

TAP_TEST(kernel_tails_qmatmul_rows) {
  int levels[3], nl = isa_levels(levels), l, d;
  static const int dtypes[2] = {TPP_DT_Q8, TPP_DT_Q4};
  for (l = 0; l < nl; l++)
    for (d = 0; d < 2; d++) {
      sweep s;
      int64_t n, m;
      sweep_init(&s);
      /* m = 1 is the decode path (one pass over the row blocks) on AVX-512 */
      for (m = 1; m <= 3; m += 2)
        for (n = 1; n <= 33; n++) {
          sweep_add(&s, qlinear_worst(dtypes[d], m, n, 64, 32, levels[l]), "m %lld n %lld k 64 G 32",
                    (long long)m, (long long)n, 0);
          sweep_add(&s, qlinear_worst(dtypes[d], m, n, 48, 16, levels[l]), "m %lld n %lld k 48 G 16",
                    (long long)m, (long long)n, 0);
        }
      SWEEP_REPORT(s, "%s matmul, rows n = 1..33 (every remainder of the 16-row block), m 1 and 3 "
                      "on %s", tpp_dtype_name(dtypes[d]), tpp_isa_name(levels[l]));
    }
}

TAP_TEST(kernel_tails_qmatmul_columns) {
  int levels[3], nl = isa_levels(levels), l, d;
  static const int dtypes[2] = {TPP_DT_Q8, TPP_DT_Q4};
  for (l = 0; l < nl; l++)
    for (d = 0; d < 2; d++) {
      sweep s;
      int64_t k, m;
      sweep_init(&s);
      for (m = 1; m <= 2; m++)
        for (k = 1; k <= 70; k++) {
          int32_t group = dtypes[d] == TPP_DT_Q8 ? (k % 2 ? 16 : 4) : (k % 2 ? 16 : 8);
          sweep_add(&s, qlinear_worst(dtypes[d], m, 5, k, group, levels[l]), "m %lld k %lld G %lld",
                    (long long)m, (long long)k, (long long)group);
        }
      SWEEP_REPORT(s, "%s matmul, reduction k = 1..70 (partial groups), m 1 and 2, n 5 on %s",
                   tpp_dtype_name(dtypes[d]), tpp_isa_name(levels[l]));
    }
}

TAP_TEST(kernel_tails_qmatmul_panels) {
  /* k = 4096: 64 tokens per activation panel, so m = 63..73 ends inside,
   * at and past a panel boundary */
  int levels[3], nl = isa_levels(levels), l, d;
  static const int dtypes[2] = {TPP_DT_Q8, TPP_DT_Q4};
  static const int64_t ms[5] = {63, 64, 65, 71, 73};
  for (l = 0; l < nl; l++)
    for (d = 0; d < 2; d++) {
      sweep s;
      int i;
      sweep_init(&s);
      for (i = 0; i < 5; i++)
        sweep_add(&s, qlinear_worst(dtypes[d], ms[i], 17, 4096, 64, levels[l]), "m %lld n 17 k 4096%.0lld",
                  (long long)ms[i], 0, 0);
      SWEEP_REPORT(s, "%s matmul across activation panels, m 63..73, k 4096 on %s",
                   tpp_dtype_name(dtypes[d]), tpp_isa_name(levels[l]));
    }
}

/* ---- activation and weight quantization ---- */

/* The kernel's activations for x[rows][cols] on isa: |x - q s| <= s / 2,
 * the group sums, zero padding and |q| <= 127. Returns the worst ratio. */
static double qact_worst(int64_t rows, int64_t cols, int32_t group, int isa) {
  float *x = (float *)malloc((size_t)(rows * cols) * sizeof(float));
  tpp_qact a;
  void *ws = tpp_alloc(tpp_qact_bytes(rows, cols, group));
  double worst = 0;
  int64_t r, c, grp;
  fill(x, rows * cols, (uint64_t)(cols * 31 + group), -3.0f, 2.0f);
  tpp_qact_init(&a, ws, rows, cols, group);
  memset(a.q, 0x55, (size_t)(rows * a.cols_padded)); /* padding must be rewritten to 0 */
  tpp_isa_set(isa);
  tpp_qact_quantize(&a, x, cols);
  tpp_isa_set(-1);
  for (r = 0; r < rows; r++)
    for (grp = 0; grp < a.n_groups; grp++) {
      double s = a.scale[r * a.n_groups + grp], amax = 0;
      int64_t sum = 0;
      for (c = grp * group; c < (grp + 1) * group; c++) {
        int q = a.q[r * a.cols_padded + c];
        sum += q;
        if (q > 127 || q < -127) return INFINITY;
        if (c >= cols) {
          if (q != 0) return INFINITY;
          continue;
        }
        if (fabs(x[r * cols + c]) > amax) amax = fabs(x[r * cols + c]);
        if (!(fabs(x[r * cols + c] - q * s) / (s / 2 * (1 + 1e-5) + 1e-30) <= worst))
          worst = fabs(x[r * cols + c] - q * s) / (s / 2 * (1 + 1e-5) + 1e-30);
      }
      if (sum != a.sum[r * a.n_groups + grp]) return INFINITY;
      if (fabs(s - amax / 127) > 1e-6 * amax) return INFINITY;
    }
  tpp_free(ws);
  free(x);
  return worst;
}

TAP_TEST(kernel_tails_quantize_activations) {
  int levels[3], nl = isa_levels(levels), l;
  static const int32_t groups[5] = {4, 8, 16, 32, 64};
  for (l = 0; l < nl; l++) {
    sweep s;
    int gi;
    int64_t cols;
    sweep_init(&s);
    for (gi = 0; gi < 5; gi++)
      for (cols = 1; cols <= 70; cols++)
        sweep_add(&s, qact_worst(3, cols, groups[gi], levels[l]), "cols %lld G %lld%.0lld",
                  (long long)cols, (long long)groups[gi], 0);
    SWEEP_REPORT(s, "activation quantization, cols = 1..70, G 4-64 on %s", tpp_isa_name(levels[l]));
  }
}

TAP_TEST(kernel_tails_quantize_weights) {
  /* quantize then dequantize every row: rows 1..17 (the 16-row block and its
   * padding), cols 1..70 (partial groups) */
  static const int dtypes[2] = {TPP_DT_Q8, TPP_DT_Q4};
  int d;
  for (d = 0; d < 2; d++) {
    sweep s;
    int64_t rows, cols;
    const int qmax = dtypes[d] == TPP_DT_Q8 ? 127 : 7;
    sweep_init(&s);
    for (rows = 1; rows <= 17; rows += 4)
      for (cols = 1; cols <= 70; cols++) {
        int32_t group = dtypes[d] == TPP_DT_Q8 ? (cols % 2 ? 4 : 16) : (cols % 2 ? 8 : 16);
        tpp_error err;
        int64_t shape[2] = {rows, cols}, r, c;
        tpp_tensor *t = tpp_tensor_new(TPP_DT_F32, 2, shape, 0, &err), *q;
        float *back = (float *)malloc((size_t)cols * sizeof(float));
        tpp_qgeom g;
        double worst = 0;
        fill((float *)t->data, rows * cols, (uint64_t)(rows * 100 + cols), -2.0f, 1.0f);
        q = tpp_tensor_convert(t, dtypes[d], group, &err);
        tpp_qgeom_init(&g, dtypes[d], rows, cols, group, &err);
        for (r = 0; r < rows && q; r++) {
          const float *row = (const float *)t->data + r * cols;
          fill_nan(back, cols);
          tpp_q_get_row_f32(&g, (const uint8_t *)q->data, q->scales, r, back);
          for (c = 0; c < cols; c += group) {
            int64_t e = c + group < cols ? c + group : cols, i;
            double amax = 0;
            for (i = c; i < e; i++) amax = fabs(row[i]) > amax ? fabs(row[i]) : amax;
            for (i = c; i < e; i++) {
              double ratio = fabs(back[i] - row[i]) / (amax / qmax / 2 * (1 + 1e-5) + 1e-30);
              if (!(ratio <= worst)) worst = ratio;
            }
          }
        }
        sweep_add(&s, q ? worst : INFINITY, "rows %lld cols %lld G %lld", (long long)rows,
                  (long long)cols, (long long)group);
        free(back);
        tpp_tensor_release(t);
        tpp_tensor_release(q);
      }
    SWEEP_REPORT(s, "%s weight quantize/dequantize, rows 1..17, cols 1..70", tpp_dtype_name(dtypes[d]));
  }
}

/* ---- f32 products ---- */

TAP_TEST(kernel_tails_matvec_f32) {
  /* tpp's own matrix-vector kernel (m = 1): n = 1..17 rows, k = 1..70 */
  int levels[3], nl = isa_levels(levels), l;
  float *w = (float *)malloc(17 * 70 * sizeof(float)), x[70], y[17];
  fill(w, 17 * 70, 21, -1, 1);
  fill(x, 70, 22, -1, 1);
  for (l = 0; l < nl; l++) {
    sweep s;
    int64_t n, k, r, c;
    sweep_init(&s);
    for (n = 1; n <= 17; n++)
      for (k = 1; k <= 70; k++) {
        double worst = 0;
        fill_nan(y, 17);
        tpp_isa_set(levels[l]);
        tpp_matvec_f32(y, w, k, x, n, k); /* rows k apart: w read as [n][k] */
        tpp_isa_set(-1);
        for (r = 0; r < 17; r++) {
          double e = 0, a = 0;
          if (r >= n) {
            if (!isnan(y[r])) worst = INFINITY; /* wrote past its rows */
            continue;
          }
          for (c = 0; c < k; c++) {
            e += (double)w[r * k + c] * x[c];
            a += fabs((double)w[r * k + c] * x[c]);
          }
          if (!(fabs(y[r] - e) / ((double)(k + 4) * U * a + 1e-30) <= worst))
            worst = fabs(y[r] - e) / ((double)(k + 4) * U * a + 1e-30);
        }
        sweep_add(&s, worst, "n %lld k %lld%.0lld", (long long)n, (long long)k, 0);
      }
    SWEEP_REPORT(s, "f32 matrix-vector, n = 1..17, k = 1..70 on %s", tpp_isa_name(levels[l]));
  }
  free(w);
}

TAP_TEST(kernel_tails_linear_f32_tokens) {
  /* m = 1 takes tpp's kernel, m > 1 OpenBLAS: every m = 1..17 */
  int levels[3], nl = isa_levels(levels), l;
  enum { N = 19, K = 45 };
  float *x = (float *)malloc(17 * K * sizeof(float)), w[N * K], y[17 * N];
  fill(x, 17 * K, 23, -1, 1);
  fill(w, N * K, 24, -1, 1);
  for (l = 0; l < nl; l++) {
    sweep s;
    int64_t m, t, r, c;
    tpp_error err;
    sweep_init(&s);
    for (m = 1; m <= 17; m++) {
      double worst = 0;
      fill_nan(y, 17 * N);
      tpp_isa_set(levels[l]);
      if (tpp_linear_f32(y, N, x, K, w, K, m, N, K, &err) != TPP_OK) worst = INFINITY;
      tpp_isa_set(-1);
      for (t = 0; t < m; t++)
        for (r = 0; r < N; r++) {
          double e = 0, a = 0;
          for (c = 0; c < K; c++) {
            e += (double)x[t * K + c] * w[r * K + c];
            a += fabs((double)x[t * K + c] * w[r * K + c]);
          }
          if (!(fabs(y[t * N + r] - e) / ((K + 4) * U * a + 1e-30) <= worst))
            worst = fabs(y[t * N + r] - e) / ((K + 4) * U * a + 1e-30);
        }
      sweep_add(&s, worst, "m %lld%.0lld%.0lld", (long long)m, 0, 0);
    }
    SWEEP_REPORT(s, "f32 linear, m = 1..17, n 19, k 45 on %s", tpp_isa_name(levels[l]));
  }
  free(x);
}

TAP_TEST(kernel_tails_dot_axpy) {
  int levels[3], nl = isa_levels(levels), l;
  float a[72], b[72], y[72], y0[72];
  fill(a, 72, 25, -1, 1);
  fill(b, 72, 26, -1, 1);
  fill(y0, 72, 27, -1, 1);
  for (l = 0; l < nl; l++) {
    sweep sd, sa;
    int64_t n, i;
    sweep_init(&sd);
    sweep_init(&sa);
    for (n = 0; n <= 70; n++) {
      double e = 0, ab = 0, got, worst = 0;
      tpp_isa_set(levels[l]);
      got = tpp_dot_f32(a, b, n);
      memcpy(y, y0, sizeof y);
      tpp_axpy_f32(y, 0.75f, a, n);
      tpp_isa_set(-1);
      for (i = 0; i < n; i++) {
        e += (double)a[i] * b[i];
        ab += fabs((double)a[i] * b[i]);
      }
      sweep_add(&sd, fabs(got - e) / ((double)(n + 4) * U * ab + 1e-30), "n %lld%.0lld%.0lld", (long long)n,
                0, 0);
      for (i = 0; i < 72; i++) {
        double ref = i < n ? (double)y0[i] + 0.75 * a[i] : y0[i]; /* nothing past n changes */
        double ratio = fabs(y[i] - ref) / (2 * U * (fabs(y0[i]) + fabs(0.75 * a[i])) + 1e-30);
        if (!(ratio <= worst)) worst = ratio;
      }
      sweep_add(&sa, worst, "n %lld%.0lld%.0lld", (long long)n, 0, 0);
    }
    SWEEP_REPORT(sd, "dot, n = 0..70 on %s", tpp_isa_name(levels[l]));
    SWEEP_REPORT(sa, "axpy, n = 0..70 (and nothing past n) on %s", tpp_isa_name(levels[l]));
  }
}

/* ---- element-wise and row kernels ---- */

TAP_TEST(kernel_tails_row_ops) {
  int levels[3], nl = isa_levels(levels), l;
  enum { N = 72 };
  float x[N], w[N], g[N], up[N], out[N];
  fill(x, N, 31, -4, 4);
  fill(w, N, 32, 0.5f, 1.5f);
  fill(g, N, 33, -6, 6);
  fill(up, N, 34, -2, 2);
  for (l = 0; l < nl; l++) {
    sweep sr, ss, si, sw, sm;
    int64_t n, i, p;
    sweep_init(&sr);
    sweep_init(&ss);
    sweep_init(&si);
    sweep_init(&sw);
    sweep_init(&sm);
    for (n = 1; n <= 70; n++) {
      double sq = 0, mx = -1e300, sum = 0, wr = 0, ws = 0, wi = 0, ww = 0;
      tpp_isa_set(levels[l]);
      fill_nan(out, N);
      tpp_rmsnorm_f32(out, x, w, n, 1e-5f);
      for (i = 0; i < n; i++) sq += (double)x[i] * x[i];
      for (i = 0; i < N; i++) {
        double ref = i < n ? x[i] * w[i] / sqrt(sq / n + 1e-5) : NAN, r;
        if (i >= n) {
          if (!isnan(out[i])) wr = INFINITY;
          continue;
        }
        r = fabs(out[i] - ref) / (1e-5 * fabs(ref) + 1e-30);
        if (!(r <= wr)) wr = r;
      }
      memcpy(out, x, sizeof x);
      tpp_softmax_f32(out, n);
      for (i = 0; i < n; i++) mx = x[i] > mx ? x[i] : mx;
      for (i = 0; i < n; i++) sum += exp(x[i] - mx);
      for (i = 0; i < N; i++) {
        double r = i < n ? fabs(out[i] - exp(x[i] - mx) / sum) / (1e-5 * exp(x[i] - mx) / sum)
                         : (out[i] == x[i] ? 0 : INFINITY);
        if (!(r <= ws)) ws = r;
      }
      memcpy(out, g, sizeof g);
      tpp_silu_f32(out, n);
      for (i = 0; i < N; i++) {
        double ref = i < n ? g[i] / (1 + exp(-(double)g[i])) : g[i];
        double r = fabs(out[i] - ref) / (1e-5 * (fabs(ref) + 1e-3));
        if (!(r <= wi)) wi = r;
      }
      fill_nan(out, N);
      tpp_swiglu_f32(out, g, up, n);
      for (i = 0; i < N; i++) {
        double ref = g[i] / (1 + exp(-(double)g[i])) * up[i], r;
        if (i >= n) {
          if (!isnan(out[i])) ww = INFINITY;
          continue;
        }
        r = fabs(out[i] - ref) / (1e-5 * (fabs(ref) + 1e-3));
        if (!(r <= ww)) ww = r;
      }
      /* argmax with the maximum at every position, ties resolved to the first */
      for (p = 0; p < n; p++) {
        float v[N];
        memcpy(v, x, sizeof v);
        v[p] = 10.0f;
        if (p + 3 < n) v[p + 3] = 10.0f;
        sweep_add(&sm, tpp_argmax_f32(v, n) == p ? 0 : INFINITY, "n %lld max at %lld%.0lld", (long long)n,
                  (long long)p, 0);
      }
      tpp_isa_set(-1);
      sweep_add(&sr, wr, "n %lld%.0lld%.0lld", (long long)n, 0, 0);
      sweep_add(&ss, ws, "n %lld%.0lld%.0lld", (long long)n, 0, 0);
      sweep_add(&si, wi, "n %lld%.0lld%.0lld", (long long)n, 0, 0);
      sweep_add(&sw, ww, "n %lld%.0lld%.0lld", (long long)n, 0, 0);
    }
    SWEEP_REPORT(sr, "rmsnorm, n = 1..70 on %s", tpp_isa_name(levels[l]));
    SWEEP_REPORT(ss, "softmax, n = 1..70 (nothing past n) on %s", tpp_isa_name(levels[l]));
    SWEEP_REPORT(si, "silu, n = 1..70 (nothing past n) on %s", tpp_isa_name(levels[l]));
    SWEEP_REPORT(sw, "swiglu, n = 1..70 on %s", tpp_isa_name(levels[l]));
    SWEEP_REPORT(sm, "argmax, n = 1..70, the maximum at every position on %s", tpp_isa_name(levels[l]));
  }
}

TAP_TEST(kernel_tails_rope) {
  sweep s;
  int32_t hs;
  sweep_init(&s);
  for (hs = 2; hs <= 34; hs += 2) {
    float x[3 * 34], orig[3 * 34], cs[34];
    int64_t d = 3 * hs, h, i, pos = 11;
    double worst = 0;
    fill(x, d, (uint64_t)hs, -1, 1);
    memcpy(orig, x, sizeof x);
    tpp_rope_table(cs, pos, hs, 10000.0);
    tpp_rope_apply(x, d, hs, cs);
    for (h = 0; h < d; h += hs)
      for (i = 0; i < hs; i += 2) {
        double a = pos / pow(10000.0, (double)i / hs);
        double r0 = orig[h + i] * cos(a) - orig[h + i + 1] * sin(a);
        double r1 = orig[h + i] * sin(a) + orig[h + i + 1] * cos(a);
        double e = (fabs(x[h + i] - r0) + fabs(x[h + i + 1] - r1)) / 1e-6;
        if (!(e <= worst)) worst = e;
      }
    sweep_add(&s, worst, "head size %lld%.0lld%.0lld", (long long)hs, 0, 0);
  }
  SWEEP_REPORT(s, "rope, head sizes 2..34");
}

/* ---- attention ---- */

static double attention_worst(int64_t T, int64_t pos, int32_t nh, int32_t nkv, int32_t hs, int isa) {
  tpp_error err;
  int64_t S = pos + T + 2, t, h, j, d;
  int64_t qs[2] = {T, nh * hs}, kvs[2] = {S, nkv * hs};
  tpp_tensor *q = tpp_tensor_new(TPP_DT_F32, 2, qs, 0, &err);
  tpp_tensor *o = tpp_tensor_new(TPP_DT_F32, 2, qs, 0, &err);
  tpp_tensor *k = tpp_tensor_new(TPP_DT_F32, 2, kvs, 0, &err);
  tpp_tensor *v = tpp_tensor_new(TPP_DT_F32, 2, kvs, 0, &err);
  const float *qp = (const float *)q->data, *kp = (const float *)k->data, *vp = (const float *)v->data;
  double sc[64], worst = 0;
  fill((float *)q->data, T * nh * hs, (uint64_t)(hs * 3 + T), -1, 1);
  fill((float *)k->data, S * nkv * hs, (uint64_t)(hs * 5 + pos), -1, 1);
  fill((float *)v->data, S * nkv * hs, (uint64_t)(hs * 7), -1, 1);
  fill_nan((float *)o->data, T * nh * hs);
  tpp_isa_set(isa);
  if (tpp_attention(o, q, k, v, pos, nh, nkv, &err) != TPP_OK) worst = INFINITY;
  tpp_isa_set(-1);
  for (t = 0; t < T; t++)
    for (h = 0; h < nh; h++) {
      int64_t g = h / (nh / nkv), n_keys = pos + t + 1;
      double mx = -1e300, sum = 0;
      for (j = 0; j < n_keys; j++) {
        double s = 0;
        for (d = 0; d < hs; d++) s += (double)qp[t * nh * hs + h * hs + d] * kp[j * nkv * hs + g * hs + d];
        sc[j] = s / sqrt((double)hs);
        mx = sc[j] > mx ? sc[j] : mx;
      }
      for (j = 0; j < n_keys; j++) sum += (sc[j] = exp(sc[j] - mx));
      for (d = 0; d < hs; d++) {
        double ref = 0, got = ((const float *)o->data)[t * nh * hs + h * hs + d];
        for (j = 0; j < n_keys; j++) ref += sc[j] / sum * vp[j * nkv * hs + g * hs + d];
        if (!(fabs(got - ref) / 2e-6 <= worst)) worst = fabs(got - ref) / 2e-6;
      }
    }
  tpp_tensor_release(q);
  tpp_tensor_release(o);
  tpp_tensor_release(k);
  tpp_tensor_release(v);
  return worst;
}

TAP_TEST(kernel_tails_attention) {
  int levels[3], nl = isa_levels(levels), l;
  for (l = 0; l < nl; l++) {
    sweep s;
    int32_t hs;
    int64_t T;
    sweep_init(&s);
    for (hs = 1; hs <= 33; hs++)
      for (T = 1; T <= 3; T += 2) {
        sweep_add(&s, attention_worst(T, 0, 2, 1, hs, levels[l]), "hs %lld T %lld pos %lld", (long long)hs,
                  (long long)T, 0);
        sweep_add(&s, attention_worst(T, 17, 4, 2, hs, levels[l]), "hs %lld T %lld pos %lld", (long long)hs,
                  (long long)T, 17);
      }
    SWEEP_REPORT(s, "attention, head sizes 1..33, T 1 and 3, positions 0 and 17 on %s",
                 tpp_isa_name(levels[l]));
  }
}
