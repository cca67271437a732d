/*
 * test_kernels.c - every kernel against a plain double-precision reference,
 * on random shapes that are not multiples of the vector width or group size,
 * on every instruction-set path this CPU has (scalar, AVX2, AVX-512 VNNI).
 *
 * Error bounds (u = 2^-24, the f32 unit roundoff):
 *   f32 dot products of length k, any summation order or FMA use:
 *     |got - exact| <= (k + 4) u sum|a_i b_i|           (Higham's gamma_k)
 *   integer kernels, against the same integers summed in double:
 *     |got - exact| <= (n_groups + 4) u sum_g |ws xs isum_g|
 *   integer kernels against f32 math on the dequantized weights (activation
 *   rounding is the only extra error, |dx| <= xs / 2 per element):
 *     |got - ref| <= sum_g (xs_g / 2) sum_{k in g} |w_k| + the bound above
 *   quantize then dequantize: |x - dq(x)| <= scale / 2 (scale = max|x|/127 or /7)
 *   element-wise ops (exp, sqrt): relative 1e-5.
 */
#include "kernels/kernels.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define U (1.0 / 16777216.0)

static void fill(float *x, int64_t n, uint64_t seed, float lo, float hi) {
  uint64_t s = tpp_rng_seed(seed);
  int64_t i;
  for (i = 0; i < n; i++) x[i] = lo + (hi - lo) * (float)tpp_rng_f64(&s);
}

static int isa_levels(int *levels) {
  int n = 0, l;
  for (l = TPP_ISA_SCALAR; l <= tpp_isa_detected(); l++) levels[n++] = l;
  return n;
}

/* ---- f16 / bf16 ---- */

TAP_TEST(kernels_f16_known_values) {
  TAP_INT(tpp_f32_to_f16(1.0f), 0x3c00, "1.0 -> 0x3c00");
  TAP_INT(tpp_f32_to_f16(-2.0f), 0xc000, "-2.0 -> 0xc000");
  TAP_INT(tpp_f32_to_f16(65504.0f), 0x7bff, "65504 is the largest f16");
  TAP_INT(tpp_f32_to_f16(65520.0f), 0x7c00, "65520 rounds to inf");
  TAP_INT(tpp_f32_to_f16(5.9604645e-8f), 0x0001, "2^-24 is the smallest subnormal");
  TAP_INT(tpp_f32_to_f16(2.9802322e-8f), 0x0000, "2^-25 ties to even (zero)");
  TAP_INT(tpp_f32_to_f16(1.0f + 1.0f / 2048.0f), 0x3c00, "1 + 2^-11 ties to even (down)");
  TAP_INT(tpp_f32_to_f16(1.0f + 3.0f / 2048.0f), 0x3c02, "1 + 3*2^-11 ties to even (up)");
  TAP_OK(tpp_f16_to_f32(0x7e00) != tpp_f16_to_f32(0x7e00), "f16 NaN reads as NaN");
  TAP_INT(tpp_f32_to_bf16(1.0f), 0x3f80, "bf16 1.0");
  TAP_INT(tpp_f32_to_bf16(1.00390625f), 0x3f80, "bf16 1 + 2^-8 ties to even (down)");
  TAP_NEAR(tpp_bf16_to_f32(0x4049), 3.140625, 0, "bf16 0x4049 = 3.140625");
}

TAP_TEST(kernels_f16_round_trip_all) {
  int bad = 0;
  uint32_t h;
  for (h = 0; h < 65536; h++) {
    float f = tpp_f16_to_f32((uint16_t)h);
    if (f != f) continue; /* NaN payloads need not survive */
    if (tpp_f32_to_f16(f) != h) bad++;
  }
  TAP_INT(bad, 0, "every non-NaN f16 survives f16 -> f32 -> f16");
}

/* ---- tensors ---- */

TAP_TEST(kernels_tensor_basics) {
  tpp_error err;
  int64_t shape[3] = {2, 3, 5}, idx[3] = {1, 2, 4};
  tpp_tensor *t = tpp_tensor_new(TPP_DT_F32, 3, shape, 0, &err), *v;
  double x = -1;
  int64_t vshape[2] = {3, 2}, vstride[2] = {5, 1}, bad_shape[2] = {0, 3};
  TAP_OK(t != NULL, "f32 2x3x5 allocated");
  TAP_OK(((uintptr_t)t->data & 63) == 0, "data is 64-byte aligned");
  TAP_INT(t->numel, 30, "numel");
  TAP_INT(t->stride[0], 15, "row-major strides");
  TAP_OK(tpp_tensor_set(t, idx, 7.5, &err) == TPP_OK, "set [2,3,5]");
  TAP_OK(tpp_tensor_get_flat(t, 29, &x, &err) == TPP_OK && x == 7.5, "last flat element is 7.5");
  idx[2] = 5;
  TAP_INT(tpp_tensor_get(t, idx, &x, &err), TPP_E_SHAPE, "index past the end is an error");
  TAP_OK(strstr(err.message, "index 3 is 6, expected 1..5") != NULL, "error names the index: %s",
         err.message);
  /* a view of the second 3x5 slice, columns 2..3 */
  v = tpp_tensor_view(t, 2, vshape, vstride, 15 + 2, &err);
  TAP_OK(v != NULL, "view allocated");
  TAP_INT(t->refcount, 2, "the view retains its base");
  tpp_tensor_set_flat(v, 5, 3.25, &err); /* view [3][2] -> base [1][2][3] */
  idx[0] = 1, idx[1] = 2, idx[2] = 3;
  tpp_tensor_get(t, idx, &x, &err);
  TAP_NEAR(x, 3.25, 0, "writes through a view land in the base");
  TAP_OK(!tpp_tensor_is_contiguous(v), "a column slice is not contiguous");
  tpp_tensor_release(t);
  TAP_INT(v->refcount, 1, "the view outlives its base's handle");
  tpp_tensor_get_flat(v, 5, &x, &err);
  TAP_NEAR(x, 3.25, 0, "and still reads the storage");
  vstride[0] = 15;
  TAP_OK(tpp_tensor_view(v, 2, vshape, vstride, 0, &err) == NULL, "a view past the storage fails");
  TAP_OK(strstr(err.message, "storage holds 30") != NULL, "%s", err.message);
  tpp_tensor_release(v);
  TAP_OK(tpp_tensor_new(TPP_DT_F32, 2, bad_shape, 0, &err) == NULL, "zero dimension rejected");
  TAP_OK(strstr(err.message, "shape[1] = 0") != NULL, "%s", err.message);
  shape[0] = INT64_C(1) << 30, shape[1] = INT64_C(1) << 20;
  TAP_OK(tpp_tensor_new(TPP_DT_F32, 2, shape, 0, &err) == NULL, "2^50 elements rejected");
  TAP_OK(strstr(err.message, "2^40") != NULL, "%s", err.message);
}

TAP_TEST(kernels_tensor_convert) {
  tpp_error err;
  int64_t shape[2] = {7, 9};
  tpp_tensor *t = tpp_tensor_new(TPP_DT_F32, 2, shape, 0, &err);
  tpp_tensor *h, *b, *back;
  double x, y;
  int64_t i;
  double worst_h = 0, worst_b = 0;
  tpp_tensor_fill_random(t, 42, -3.0, 3.0, &err);
  h = tpp_tensor_convert(t, TPP_DT_F16, 0, &err);
  b = tpp_tensor_convert(t, TPP_DT_BF16, 0, &err);
  back = tpp_tensor_convert(h, TPP_DT_F32, 0, &err);
  for (i = 0; i < t->numel; i++) {
    tpp_tensor_get_flat(t, i, &x, &err);
    tpp_tensor_get_flat(h, i, &y, &err);
    if (fabs(x - y) / fabs(x) > worst_h) worst_h = fabs(x - y) / fabs(x);
    tpp_tensor_get_flat(b, i, &y, &err);
    if (fabs(x - y) / fabs(x) > worst_b) worst_b = fabs(x - y) / fabs(x);
  }
  TAP_OK(worst_h <= 1.0 / 2048 + 1e-12, "f16 relative error %.3g <= 2^-11", worst_h);
  TAP_OK(worst_b <= 1.0 / 256 + 1e-12, "bf16 relative error %.3g <= 2^-8", worst_b);
  tpp_tensor_get_flat(back, 11, &x, &err);
  tpp_tensor_get_flat(h, 11, &y, &err);
  TAP_NEAR(x, y, 0, "f16 -> f32 is exact");
  tpp_tensor_release(t);
  tpp_tensor_release(h);
  tpp_tensor_release(b);
  tpp_tensor_release(back);
}

/* ---- quantization ---- */

static void check_quant_round_trip(int dtype, int64_t rows, int64_t cols, int32_t group) {
  tpp_error err;
  int64_t shape[2] = {rows, cols};
  tpp_tensor *t = tpp_tensor_new(TPP_DT_F32, 2, shape, 0, &err), *q;
  const int qmax = dtype == TPP_DT_Q8 ? 127 : 7;
  double worst = 0; /* error / (scale / 2) */
  int64_t r, c;
  tpp_tensor_fill_random(t, (uint64_t)(rows * 1000 + cols), -2.0, 1.0, &err);
  q = tpp_tensor_convert(t, dtype, group, &err);
  TAP_OK(q != NULL, "%s %lldx%lld G%d quantized", tpp_dtype_name(dtype), (long long)rows,
         (long long)cols, (int)group);
  if (!q) return;
  for (r = 0; r < rows; r++) {
    for (c = 0; c < cols; c += group) {
      int64_t e = c + group < cols ? c + group : cols, i;
      double amax = 0;
      const float *row = (const float *)t->data + r * cols;
      for (i = c; i < e; i++) amax = fabs(row[i]) > amax ? fabs(row[i]) : amax;
      for (i = c; i < e; i++) {
        int64_t ix[2] = {r, i};
        double v;
        tpp_tensor_get(q, ix, &v, &err);
        if (amax > 0 && fabs(v - row[i]) / (amax / qmax / 2) > worst)
          worst = fabs(v - row[i]) / (amax / qmax / 2);
      }
    }
  }
  TAP_OK(worst <= 1.0 + 1e-5, "%s %lldx%lld G%d: |x - dq(x)| <= scale/2 (worst %.4f of it)",
         tpp_dtype_name(dtype), (long long)rows, (long long)cols, (int)group, worst);
  tpp_tensor_release(t);
  tpp_tensor_release(q);
}

TAP_TEST(kernels_quantize_round_trip) {
  check_quant_round_trip(TPP_DT_Q8, 1, 5, 4);
  check_quant_round_trip(TPP_DT_Q8, 37, 83, 32);
  check_quant_round_trip(TPP_DT_Q8, 17, 130, 64);
  check_quant_round_trip(TPP_DT_Q4, 37, 83, 32);
  check_quant_round_trip(TPP_DT_Q4, 19, 71, 8);
  check_quant_round_trip(TPP_DT_Q4, 3, 200, 64);
  check_quant_round_trip(TPP_DT_Q8, 3, 1500, 1024); /* groups past 512 take the slow path */
}

TAP_TEST(kernels_quantize_errors) {
  tpp_error err;
  int64_t shape[2] = {4, 10};
  tpp_tensor *t = tpp_tensor_new(TPP_DT_F32, 2, shape, 0, &err);
  TAP_OK(tpp_tensor_convert(t, TPP_DT_Q4, 12, &err) == NULL, "q4 with group 12 rejected");
  TAP_OK(strstr(err.message, "multiple of 8") != NULL, "%s", err.message);
  TAP_OK(tpp_tensor_convert(t, TPP_DT_Q8, 6, &err) == NULL, "q8 with group 6 rejected");
  TAP_INT(err.code, TPP_E_UNSUPPORTED, "as unsupported");
  tpp_tensor_release(t);
}

/* ---- integer matmul ---- */

static void check_qlinear(int dtype, int64_t m, int64_t n, int64_t k, int32_t group, int isa) {
  tpp_error err;
  int64_t xs_shape[2] = {m, k}, ws_shape[2] = {n, k}, ys_shape[2] = {m, n};
  tpp_tensor *x = tpp_tensor_new(TPP_DT_F32, 2, xs_shape, 0, &err);
  tpp_tensor *wf = tpp_tensor_new(TPP_DT_F32, 2, ws_shape, 0, &err);
  tpp_tensor *y = tpp_tensor_new(TPP_DT_F32, 2, ys_shape, 0, &err);
  tpp_tensor *w;
  tpp_qgeom g;
  tpp_qact a;
  void *ws;
  float *wrow = (float *)malloc((size_t)k * sizeof(float));
  int8_t *wq = (int8_t *)malloc((size_t)k);
  float *wsc = (float *)malloc((size_t)(k / group + 2) * sizeof(float));
  double worst_int = 0, worst_f = 0;
  int64_t t, r, c;
  fill((float *)x->data, m * k, (uint64_t)(m * 7 + k), -1.0f, 1.0f);
  fill((float *)wf->data, n * k, (uint64_t)(n * 13 + k), -0.5f, 0.5f);
  w = tpp_tensor_convert(wf, dtype, group, &err);
  tpp_isa_set(isa);
  TAP_INT(tpp_linear(y, x, w, &err), TPP_OK, "%s linear %lldx%lldx%lld G%d on %s",
          tpp_dtype_name(dtype), (long long)m, (long long)n, (long long)k, (int)group,
          tpp_isa_name(isa));
  tpp_isa_set(-1);
  /* the reference quantizes activations the same way, then sums in double */
  tpp_qgeom_init(&g, dtype, n, k, group, &err);
  ws = tpp_alloc(tpp_qact_bytes(m, k, group));
  tpp_qact_init(&a, ws, m, k, group);
  tpp_qact_quantize(&a, (const float *)x->data, k);
  for (t = 0; t < m; t++) {
    for (r = 0; r < n; r++) {
      double exact = 0, abs_terms = 0, ref = 0, abs_ref = 0, act_err = 0, got;
      int64_t grp;
      tpp_q_get_row_q(&g, (const uint8_t *)w->data, w->scales, r, wq, wsc);
      tpp_q_get_row_f32(&g, (const uint8_t *)w->data, w->scales, r, wrow);
      for (grp = 0; grp < g.n_groups; grp++) {
        double isum = 0, xs = a.scale[t * g.n_groups + grp], wabs = 0;
        for (c = grp * group; c < (grp + 1) * group && c < k; c++) {
          isum += (double)wq[c] * a.q[t * a.cols_padded + c];
          wabs += fabs(wrow[c]);
        }
        exact += wsc[grp] * xs * isum;
        abs_terms += fabs(wsc[grp] * xs * isum);
        act_err += xs / 2 * wabs;
      }
      for (c = 0; c < k; c++) {
        double xv = ((const float *)x->data)[t * k + c];
        ref += (double)wrow[c] * xv;
        abs_ref += fabs((double)wrow[c] * xv);
      }
      got = ((const float *)y->data)[t * n + r];
      {
        double bound_int = (double)(g.n_groups + 4) * U * abs_terms + 1e-30;
        double bound_f = act_err * (1 + 1e-6) + bound_int + (double)(k + 4) * U * abs_ref;
        if (fabs(got - exact) / bound_int > worst_int) worst_int = fabs(got - exact) / bound_int;
        if (fabs(got - ref) / bound_f > worst_f) worst_f = fabs(got - ref) / bound_f;
      }
    }
  }
  TAP_OK(worst_int <= 1.0, "  matches the integer reference (worst %.3f of the bound)", worst_int);
  TAP_OK(worst_f <= 1.0, "  matches f64 on dequantized weights (worst %.3f of the bound)", worst_f);
  tpp_free(ws);
  free(wrow);
  free(wq);
  free(wsc);
  tpp_tensor_release(x);
  tpp_tensor_release(wf);
  tpp_tensor_release(w);
  tpp_tensor_release(y);
}

TAP_TEST(kernels_qlinear_all_paths) {
  int levels[3], nl = isa_levels(levels), i;
  static const int64_t shapes[][3] = {{1, 17, 64}, {3, 50, 100}, {9, 33, 257}, {13, 16, 5}, {1, 1, 40}};
  for (i = 0; i < nl; i++) {
    int s;
    for (s = 0; s < 5; s++) {
      check_qlinear(TPP_DT_Q8, shapes[s][0], shapes[s][1], shapes[s][2], 32, levels[i]);
      check_qlinear(TPP_DT_Q4, shapes[s][0], shapes[s][1], shapes[s][2], s == 3 ? 8 : 32, levels[i]);
    }
    check_qlinear(TPP_DT_Q8, 20, 40, 192, 64, levels[i]);
    check_qlinear(TPP_DT_Q4, 20, 40, 192, 64, levels[i]);
    /* decode (1 token) with groups that are not multiples of 16 */
    check_qlinear(TPP_DT_Q8, 1, 5, 10, 4, levels[i]);
    check_qlinear(TPP_DT_Q4, 1, 9, 24, 8, levels[i]);
    check_qlinear(TPP_DT_Q8, 2, 7, 1500, 1024, levels[i]);
  }
}

/* ---- f32 products ---- */

static void check_linear_f32(int64_t m, int64_t n, int64_t k, int isa) {
  tpp_error err;
  int64_t xs_shape[2] = {m, k}, ws_shape[2] = {n, k}, ys_shape[2] = {m, n};
  tpp_tensor *x = tpp_tensor_new(TPP_DT_F32, 2, xs_shape, 0, &err);
  tpp_tensor *w = tpp_tensor_new(TPP_DT_F32, 2, ws_shape, 0, &err);
  tpp_tensor *y = tpp_tensor_new(TPP_DT_F32, 2, ys_shape, 0, &err);
  const float *xp = (const float *)x->data, *wp = (const float *)w->data, *yp;
  double worst = 0;
  int64_t t, r, c;
  fill((float *)x->data, m * k, (uint64_t)(m + 3 * k), -1.0f, 1.0f);
  fill((float *)w->data, n * k, (uint64_t)(n + 5 * k), -1.0f, 1.0f);
  tpp_isa_set(isa);
  TAP_INT(tpp_linear(y, x, w, &err), TPP_OK, "f32 linear %lldx%lldx%lld on %s%s", (long long)m,
          (long long)n, (long long)k, tpp_isa_name(isa), m == 1 ? " (tpp matvec)" : " (OpenBLAS)");
  tpp_isa_set(-1);
  yp = (const float *)y->data;
  for (t = 0; t < m; t++)
    for (r = 0; r < n; r++) {
      double s = 0, a = 0, bound;
      for (c = 0; c < k; c++) {
        s += (double)xp[t * k + c] * wp[r * k + c];
        a += fabs((double)xp[t * k + c] * wp[r * k + c]);
      }
      bound = (double)(k + 4) * U * a + 1e-30;
      if (fabs(yp[t * n + r] - s) / bound > worst) worst = fabs(yp[t * n + r] - s) / bound;
    }
  TAP_OK(worst <= 1.0, "  within (k+4)u sum|xw| (worst %.3f of the bound)", worst);
  tpp_tensor_release(x);
  tpp_tensor_release(w);
  tpp_tensor_release(y);
}

TAP_TEST(kernels_linear_f32) {
  int levels[3], nl = isa_levels(levels), i;
  for (i = 0; i < nl; i++) {
    check_linear_f32(1, 37, 83, levels[i]);
    check_linear_f32(1, 3, 7, levels[i]);
    check_linear_f32(1, 130, 512, levels[i]);
  }
  check_linear_f32(5, 37, 83, TPP_ISA_AVX512);
  check_linear_f32(64, 31, 127, TPP_ISA_AVX512);
}

TAP_TEST(kernels_matmul_transposed_views) {
  tpp_error err;
  int64_t as[2] = {13, 7}, bs[2] = {11, 13}, cs[2] = {7, 11};
  tpp_tensor *a = tpp_tensor_new(TPP_DT_F32, 2, as, 0, &err); /* used as a^T: 7x13 */
  tpp_tensor *b = tpp_tensor_new(TPP_DT_F32, 2, bs, 0, &err); /* used as b^T: 13x11 */
  tpp_tensor *c = tpp_tensor_new(TPP_DT_F32, 2, cs, 0, &err);
  int64_t at_shape[2] = {7, 13}, at_stride[2] = {1, 7}, bt_shape[2] = {13, 11}, bt_stride[2] = {1, 13};
  tpp_tensor *at = tpp_tensor_view(a, 2, at_shape, at_stride, 0, &err);
  tpp_tensor *bt = tpp_tensor_view(b, 2, bt_shape, bt_stride, 0, &err);
  const float *ap = (const float *)a->data, *bp = (const float *)b->data, *cp;
  double worst = 0;
  int64_t i, j, l;
  fill((float *)a->data, 91, 1, -1, 1);
  fill((float *)b->data, 143, 2, -1, 1);
  TAP_INT(tpp_matmul(c, at, bt, &err), TPP_OK, "c = a^T b^T through transposed views");
  cp = (const float *)c->data;
  for (i = 0; i < 7; i++)
    for (j = 0; j < 11; j++) {
      double s = 0, abs_s = 0;
      for (l = 0; l < 13; l++) {
        s += (double)ap[l * 7 + i] * bp[j * 13 + l];
        abs_s += fabs((double)ap[l * 7 + i] * bp[j * 13 + l]);
      }
      if (fabs(cp[i * 11 + j] - s) / ((13 + 4) * U * abs_s) > worst)
        worst = fabs(cp[i * 11 + j] - s) / ((13 + 4) * U * abs_s);
    }
  TAP_OK(worst <= 1.0, "  within (k+4)u sum|ab| (worst %.3f)", worst);
  {
    /* a column-major destination: c^T is computed as b^T^T . a^T^T */
    int64_t cs2[2] = {11, 7}, ct_shape[2] = {7, 11}, ct_stride[2] = {1, 7};
    tpp_tensor *c2 = tpp_tensor_new(TPP_DT_F32, 2, cs2, 0, &err);
    tpp_tensor *ct = tpp_tensor_view(c2, 2, ct_shape, ct_stride, 0, &err);
    double diff = 0;
    TAP_INT(tpp_matmul(ct, at, bt, &err), TPP_OK, "into a transposed (column-major) destination");
    for (i = 0; i < 7; i++)
      for (j = 0; j < 11; j++) {
        int64_t ij[2] = {i, j};
        double v;
        tpp_tensor_get(ct, ij, &v, &err);
        if (fabs(v - cp[i * 11 + j]) > diff) diff = fabs(v - cp[i * 11 + j]);
      }
    TAP_OK(diff < 1e-6, "  same values as the row-major result (max diff %.2g)", diff);
    tpp_tensor_release(ct);
    tpp_tensor_release(c2);
  }
  TAP_INT(tpp_matmul(c, a, b, &err), TPP_E_SHAPE, "13x7 . 11x13 is a shape error");
  TAP_OK(strstr(err.message, "a has shape 13x7 but b has shape 11x13") != NULL, "%s", err.message);
  tpp_tensor_release(at);
  tpp_tensor_release(bt);
  tpp_tensor_release(a);
  tpp_tensor_release(b);
  tpp_tensor_release(c);
}

/* ---- row kernels ---- */

TAP_TEST(kernels_row_ops) {
  enum { N = 77 };
  float x[N], w[N], out[N], g[N], up[N];
  double ss = 0, mx, sum = 0, worst = 0;
  int64_t i;
  fill(x, N, 3, -4, 4);
  fill(w, N, 4, 0.5f, 1.5f);
  tpp_rmsnorm_f32(out, x, w, N, 1e-5f);
  for (i = 0; i < N; i++) ss += (double)x[i] * x[i];
  for (i = 0; i < N; i++) {
    double ref = x[i] * w[i] / sqrt(ss / N + 1e-5);
    if (fabs(out[i] - ref) / fabs(ref) > worst) worst = fabs(out[i] - ref) / fabs(ref);
  }
  TAP_OK(worst < 1e-5, "rmsnorm relative error %.2g < 1e-5", worst);

  mx = x[0];
  for (i = 1; i < N; i++) mx = x[i] > mx ? x[i] : mx;
  for (i = 0; i < N; i++) sum += exp(x[i] - mx);
  {
    int levels[3], nl = isa_levels(levels), l;
    for (l = 0; l < nl; l++) {
      float big[3] = {1000.0f, 1000.0f, -1000.0f}, masked[4] = {-INFINITY, 2.0f, -INFINITY, 2.0f};
      tpp_isa_set(levels[l]);
      memcpy(out, x, sizeof x);
      tpp_softmax_f32(out, N);
      worst = 0;
      for (i = 0; i < N; i++) {
        double ref = exp(x[i] - mx) / sum;
        if (fabs(out[i] - ref) / ref > worst) worst = fabs(out[i] - ref) / ref;
      }
      TAP_OK(worst < 1e-6, "softmax on %s: relative error %.2g < 1e-6", tpp_isa_name(levels[l]), worst);
      tpp_softmax_f32(big, 3);
      TAP_NEAR(big[0], 0.5, 1e-7, "  subtracts the max (no overflow at 1000)");
      TAP_NEAR(big[2], 0.0, 0, "  exp(-2000) is exactly 0");
      tpp_softmax_f32(masked, 4);
      TAP_OK(masked[0] == 0 && masked[1] == 0.5f, "  -inf scores get probability 0");
    }
    tpp_isa_set(-1);
  }

  fill(g, N, 5, -6, 6);
  fill(up, N, 6, -2, 2);
  g[3] = -100.0f; /* exp(100) overflows: silu must still be -0 */
  g[4] = 100.0f;
  {
    int levels[3], nl = isa_levels(levels), l;
    for (l = 0; l < nl; l++) {
      int bad = 0;
      tpp_isa_set(levels[l]);
      tpp_swiglu_f32(out, g, up, N);
      for (i = 0; i < N; i++) {
        double ref = g[i] / (1 + exp(-(double)g[i])) * up[i];
        if (fabs(out[i] - ref) > 1e-5 * (fabs(ref) + 1e-3)) bad++;
      }
      TAP_INT(bad, 0, "swiglu on %s = silu(gate) * up within 1e-5 relative (gates -100..100)",
              tpp_isa_name(levels[l]));
      memcpy(out, g, sizeof g);
      tpp_silu_f32(out, N);
      TAP_NEAR(out[10], g[10] / (1 + exp(-(double)g[10])), 1e-6, "  silu");
      TAP_NEAR(out[4], 100.0, 1e-6, "  silu(100) = 100");
    }
    tpp_isa_set(-1);
  }

  x[40] = 9.0f;
  x[60] = 9.0f;
  {
    int levels[3], nl = isa_levels(levels), l;
    for (l = 0; l < nl; l++) {
      tpp_isa_set(levels[l]);
      TAP_INT(tpp_argmax_f32(x, N), 40, "argmax on %s takes the first of equal maxima", tpp_isa_name(levels[l]));
      x[70] = NAN;
      TAP_INT(tpp_argmax_f32(x, N), 40, "  and never a NaN");
      x[70] = 0.0f;
    }
    tpp_isa_set(-1);
  }
}

TAP_TEST(kernels_rope) {
  enum { HS = 6, D = 18 };
  float x[D], cs[HS];
  double worst = 0;
  int64_t pos = 37, h, i;
  fill(x, D, 9, -1, 1);
  {
    float orig[D];
    memcpy(orig, x, sizeof x);
    tpp_rope_table(cs, pos, HS, 10000.0);
    tpp_rope_apply(x, D, HS, cs);
    for (h = 0; h < D; h += HS)
      for (i = 0; i < HS; i += 2) {
        double freq = 1.0 / pow(10000.0, (double)i / HS), a = pos * freq;
        double r0 = orig[h + i] * cos(a) - orig[h + i + 1] * sin(a);
        double r1 = orig[h + i] * sin(a) + orig[h + i + 1] * cos(a);
        double e = fabs(x[h + i] - r0) + fabs(x[h + i + 1] - r1);
        if (e > worst) worst = e;
      }
  }
  TAP_OK(worst < 1e-6, "rope matches (i, i+1) rotation by pos * 10000^(-i/hs): error %.2g", worst);
}

/* ---- attention ---- */

static void check_attention(int64_t T, int64_t pos, int32_t nh, int32_t nkv, int32_t hs, int isa) {
  tpp_error err;
  int64_t S = pos + T + 3;
  int64_t qs[2] = {T, nh * hs}, kvs[2] = {S, nkv * hs};
  tpp_tensor *q = tpp_tensor_new(TPP_DT_F32, 2, qs, 0, &err);
  tpp_tensor *o = tpp_tensor_new(TPP_DT_F32, 2, qs, 0, &err);
  tpp_tensor *k = tpp_tensor_new(TPP_DT_F32, 2, kvs, 0, &err);
  tpp_tensor *v = tpp_tensor_new(TPP_DT_F32, 2, kvs, 0, &err);
  const float *qp = (const float *)q->data, *kp = (const float *)k->data, *vp = (const float *)v->data;
  double *sc = (double *)malloc((size_t)S * sizeof(double));
  double worst = 0;
  int64_t t, h, j, d;
  fill((float *)q->data, T * nh * hs, 11, -1, 1);
  fill((float *)k->data, S * nkv * hs, 12, -1, 1);
  fill((float *)v->data, S * nkv * hs, 13, -1, 1);
  tpp_isa_set(isa);
  TAP_INT(tpp_attention(o, q, k, v, pos, nh, nkv, &err), TPP_OK,
          "attention T%lld pos%lld heads %d/%d hs%d on %s", (long long)T, (long long)pos, (int)nh,
          (int)nkv, (int)hs, tpp_isa_name(isa));
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
        if (fabs(got - ref) > worst) worst = fabs(got - ref);
      }
    }
  /* |v| <= 1 and the weights sum to 1: absolute error is the right scale */
  TAP_OK(worst < 2e-6, "  max abs error %.2g < 2e-6 (|v| <= 1)", worst);
  free(sc);
  tpp_tensor_release(q);
  tpp_tensor_release(o);
  tpp_tensor_release(k);
  tpp_tensor_release(v);
}

TAP_TEST(kernels_attention) {
  int levels[3], nl = isa_levels(levels), i;
  tpp_error err;
  for (i = 0; i < nl; i++) {
    check_attention(1, 0, 4, 4, 8, levels[i]);
    check_attention(1, 30, 6, 2, 12, levels[i]);
    check_attention(5, 9, 6, 3, 17, levels[i]);
    check_attention(7, 0, 2, 1, 64, levels[i]);
  }
  {
    int64_t qs[2] = {2, 16}, kvs[2] = {4, 8};
    tpp_tensor *q = tpp_tensor_new(TPP_DT_F32, 2, qs, 0, &err);
    tpp_tensor *k = tpp_tensor_new(TPP_DT_F32, 2, kvs, 0, &err);
    TAP_INT(tpp_attention(q, q, k, k, 3, 3, 2, &err), TPP_E_ARG, "2 KV heads cannot serve 3 heads");
    TAP_INT(tpp_attention(q, q, k, k, 3, 4, 2, &err), TPP_E_SHAPE, "positions 3..4 overflow 4 rows");
    TAP_OK(strstr(err.message, "positions 3..4 are outside the cache of 4 rows") != NULL, "%s",
           err.message);
    tpp_tensor_release(q);
    tpp_tensor_release(k);
  }
}

/* ---- sampling ---- */

TAP_TEST(kernels_sampler) {
  tpp_error err;
  enum { V = 5 };
  float logits[V];
  int counts[V] = {0, 0, 0, 0, 0};
  const double p[V] = {0.1, 0.2, 0.4, 0.2, 0.1};
  tpp_sampler *greedy = tpp_sampler_new(V, 0.0, 0.9, 1, &err);
  tpp_sampler *s = tpp_sampler_new(V, 1.0, 1.0, 1234, &err);
  tpp_sampler *nucleus = tpp_sampler_new(V, 1.0, 0.3, 99, &err);
  double chi2 = 0;
  int i, n = 20000, only_top = 1;
  for (i = 0; i < V; i++) logits[i] = (float)log(p[i]);
  TAP_INT(tpp_sampler_sample(greedy, logits), 2, "temperature 0 is argmax");
  for (i = 0; i < n; i++) {
    int v;
    float l[V];
    memcpy(l, logits, sizeof l);
    counts[tpp_sampler_sample(s, l)]++;
    for (v = 0; v < V; v++) l[v] = logits[v];
    if (tpp_sampler_sample(nucleus, l) != 2) only_top = 0;
  }
  for (i = 0; i < V; i++) chi2 += (counts[i] - n * p[i]) * (counts[i] - n * p[i]) / (n * p[i]);
  /* 4 degrees of freedom: P(chi2 > 18.5) = 0.001 */
  TAP_OK(chi2 < 18.5, "multinomial draws follow softmax(logits): chi2 = %.2f < 18.5", chi2);
  TAP_OK(only_top, "top_p 0.3 keeps only the 0.4 token");
  TAP_OK(tpp_sampler_new(V, -1.0, 0.9, 1, &err) == NULL, "negative temperature rejected");
  TAP_OK(strstr(err.message, "temperature -1") != NULL, "%s", err.message);
  {
    uint64_t st = 42;
    /* run.c: state 42 -> first random_f32 */
    uint64_t x = 42;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    TAP_NEAR(tpp_rng_f32(&st), (float)((uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32) >> 8) / 16777216.0f,
             0, "xorshift64* matches run.c's random_f32");
  }
  tpp_sampler_free(greedy);
  tpp_sampler_free(s);
  tpp_sampler_free(nucleus);
}
