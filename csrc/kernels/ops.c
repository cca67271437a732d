/*
 * ops.c - row kernels: rmsnorm, softmax, silu/swiglu, argmax, rope, and the
 * dot/axpy helpers attention uses. Reductions accumulate in double where the
 * row is the whole cost (norms, softmax sums) and in SIMD f32 lanes where they
 * sit in the attention inner loop.
 */
#include "kernels.h"

#include <math.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TPP_X86 1
#include <immintrin.h>
#endif

/* out[n] = x[n] * w[n] / sqrt(mean(x^2) + eps) */
void tpp_rmsnorm_f32(float *out, const float *x, const float *w, int64_t n, float eps) {
  double ss = 0.0;
  float scale;
  int64_t i;
  for (i = 0; i < n; i++) ss += (double)x[i] * x[i];
  scale = (float)(1.0 / sqrt(ss / (double)n + (double)eps));
  for (i = 0; i < n; i++) out[i] = w[i] * (scale * x[i]);
}

/* x[n] = exp(x - max) / sum, in place */
static void softmax_scalar(float *x, int64_t n) {
  float mx;
  double sum = 0.0;
  float inv;
  int64_t i;
  if (n <= 0) return;
  mx = x[0];
  for (i = 1; i < n; i++)
    if (x[i] > mx) mx = x[i];
  for (i = 0; i < n; i++) {
    x[i] = expf(x[i] - mx);
    sum += x[i];
  }
  inv = (float)(1.0 / sum);
  for (i = 0; i < n; i++) x[i] *= inv;
}

#ifdef TPP_X86
/* exp(x) for x <= 0 (softmax arguments) by Cephes' expf: x = n ln2 + r,
 * |r| <= ln2 / 2, exp(r) by a degree-6 polynomial (relative error about
 * 1e-7), times 2^n; below -87.3 the result is 0 as in expf. */
__attribute__((target("avx512f,fma"))) static inline __m512 exp512(__m512 x) {
  const __m512 lo = _mm512_set1_ps(-87.33654f);
  __m512 fx, r, z, y;
  __mmask16 tiny = _mm512_cmp_ps_mask(x, lo, _CMP_LT_OQ);
  x = _mm512_max_ps(x, lo);
  fx = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                            _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  r = _mm512_fnmadd_ps(fx, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(fx, _mm512_set1_ps(-2.12194440e-4f), r);
  z = _mm512_mul_ps(r, r);
  y = _mm512_set1_ps(1.9875691500e-4f);
  y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(1.3981999507e-3f));
  y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(8.3334519073e-3f));
  y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(4.1665795894e-2f));
  y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(1.6666665459e-1f));
  y = _mm512_fmadd_ps(y, r, _mm512_set1_ps(5.0000001201e-1f));
  y = _mm512_fmadd_ps(y, z, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  return _mm512_maskz_mov_ps((__mmask16)~tiny, _mm512_scalef_ps(y, fx));
}

__attribute__((target("avx512f,fma"))) static void softmax_avx512(float *x, int64_t n) {
  __m512 vmax = _mm512_set1_ps(-INFINITY), vmx;
  double sum = 0.0;
  float inv;
  int64_t i, block;
  for (i = 0; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
    vmax = _mm512_mask_max_ps(vmax, m, vmax, _mm512_maskz_loadu_ps(m, x + i));
  }
  vmx = _mm512_set1_ps(_mm512_reduce_max_ps(vmax));
  /* f32 lanes per block of 1024, blocks summed in double */
  for (block = 0; block < n; block += 1024) {
    int64_t end = block + 1024 < n ? block + 1024 : n;
    __m512 acc = _mm512_setzero_ps();
    for (i = block; i < end; i += 16) {
      __mmask16 m = end - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (end - i)) - 1);
      __m512 e = exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), vmx));
      e = _mm512_maskz_mov_ps(m, e);
      _mm512_mask_storeu_ps(x + i, m, e);
      acc = _mm512_add_ps(acc, e);
    }
    sum += (double)_mm512_reduce_add_ps(acc);
  }
  inv = (float)(1.0 / sum);
  for (i = 0; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(x + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + i), _mm512_set1_ps(inv)));
  }
}
#endif

void tpp_softmax_f32(float *x, int64_t n) {
  if (n <= 0) return;
#ifdef TPP_X86
  if (tpp_isa_level() >= TPP_ISA_AVX512) {
    softmax_avx512(x, n);
    return;
  }
#endif
  softmax_scalar(x, n);
}

#ifdef TPP_X86
__attribute__((target("avx512f,fma"))) static inline __m512 exp512(__m512 x);
/* out = g / (1 + exp(-g)) * up, 16 lanes at a time (exp512 saturates to
 * inf for large -g, which gives 0 as expf does) */
__attribute__((target("avx512f,fma"))) static void swiglu_avx512(float *out, const float *gate,
                                                                   const float *up, int64_t n) {
  const __m512 one = _mm512_set1_ps(1.0f);
  int64_t i;
  for (i = 0; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
    __m512 g = _mm512_maskz_loadu_ps(m, gate + i);
    __m512 u = up ? _mm512_maskz_loadu_ps(m, up + i) : one;
    __m512 e = exp512(_mm512_sub_ps(_mm512_setzero_ps(), g));
    _mm512_mask_storeu_ps(out + i, m, _mm512_mul_ps(_mm512_div_ps(g, _mm512_add_ps(one, e)), u));
  }
}
#endif

/* x[n] = x / (1 + exp(-x)), in place */
void tpp_silu_f32(float *x, int64_t n) {
  int64_t i;
#ifdef TPP_X86
  if (tpp_isa_level() >= TPP_ISA_AVX512) {
    swiglu_avx512(x, x, NULL, n);
    return;
  }
#endif
  for (i = 0; i < n; i++) x[i] = x[i] / (1.0f + expf(-x[i]));
}

/* out[n] = silu(gate[n]) * up[n]; out may alias gate or up */
void tpp_swiglu_f32(float *out, const float *gate, const float *up, int64_t n) {
  int64_t i;
#ifdef TPP_X86
  if (tpp_isa_level() >= TPP_ISA_AVX512) {
    swiglu_avx512(out, gate, up, n);
    return;
  }
#endif
  for (i = 0; i < n; i++) {
    float g = gate[i];
    out[i] = g / (1.0f + expf(-g)) * up[i];
  }
}

/* first index of the maximum of x[n]; NaN never wins */
static int64_t argmax_scalar(const float *x, int64_t n) {
  int64_t i, best = 0;
  float mx = x[0];
  for (i = 1; i < n; i++)
    if (x[i] > mx || (mx != mx && x[i] == x[i])) {
      mx = x[i];
      best = i;
    }
  return best;
}

#ifdef TPP_X86
/* The maximum by lanes, then the first index holding it (NaN-free input;
 * with a NaN anywhere the scalar rule decides). */
__attribute__((target("avx512f"))) static int64_t argmax_avx512(const float *x, int64_t n) {
  __m512 vmax = _mm512_set1_ps(-INFINITY);
  __mmask16 nan = 0;
  float mx;
  int64_t i;
  for (i = 0; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
    __m512 v = _mm512_maskz_loadu_ps(m, x + i);
    nan |= _mm512_mask_cmp_ps_mask(m, v, v, _CMP_UNORD_Q);
    vmax = _mm512_mask_max_ps(vmax, m, vmax, v);
  }
  if (nan) return argmax_scalar(x, n);
  mx = _mm512_reduce_max_ps(vmax);
  for (i = 0; i < n; i++)
    if (x[i] == mx) return i;
  return 0;
}
#endif

int64_t tpp_argmax_f32(const float *x, int64_t n) {
#ifdef TPP_X86
  if (tpp_isa_level() >= TPP_ISA_AVX512 && n >= 16) return argmax_avx512(x, n);
#endif
  return argmax_scalar(x, n);
}

/* cs[hs/2][2]: cos and sin of pos * theta^(-2i/hs), computed in double */
void tpp_rope_table(float *cs, int64_t pos, int32_t head_size, double theta) {
  int32_t i;
  for (i = 0; i < head_size / 2; i++) {
    double freq = pow(theta, -(double)(2 * i) / (double)head_size);
    double a = (double)pos * freq;
    cs[2 * i] = (float)cos(a);
    cs[2 * i + 1] = (float)sin(a);
  }
}

/* x[d]: each head's pairs (2i, 2i+1) rotated by table entry i */
void tpp_rope_apply(float *x, int64_t d, int32_t head_size, const float *cs) {
  int64_t h, i;
  for (h = 0; h + head_size <= d; h += head_size) {
    float *xh = x + h;
    for (i = 0; i < head_size / 2; i++) {
      float c = cs[2 * i], s = cs[2 * i + 1];
      float a = xh[2 * i], b = xh[2 * i + 1];
      xh[2 * i] = a * c - b * s;
      xh[2 * i + 1] = a * s + b * c;
    }
  }
}

/* ---- dot / axpy ---- */

static float dot_scalar(const float *a, const float *b, int64_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t i;
  for (i = 0; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

static void axpy_scalar(float *y, float a, const float *x, int64_t n) {
  int64_t i;
  for (i = 0; i < n; i++) y[i] += a * x[i];
}

#ifdef TPP_X86
__attribute__((target("avx512f,fma"))) static float dot_avx512(const float *a, const float *b,
                                                                int64_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
    s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s0);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

__attribute__((target("avx512f,fma"))) static void axpy_avx512(float *y, float a, const float *x,
                                                               int64_t n) {
  __m512 av = _mm512_set1_ps(a);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(y + i, _mm512_fmadd_ps(av, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
  if (i < n) {
    __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m,
                          _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(m, x + i),
                                          _mm512_maskz_loadu_ps(m, y + i)));
  }
}

__attribute__((target("avx2,fma"))) static float dot_avx2(const float *a, const float *b,
                                                          int64_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  __m128 s;
  float tail = 0.0f;
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  for (; i < n; i++) tail += a[i] * b[i];
  s0 = _mm256_add_ps(s0, s1);
  s = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s) + tail;
}

__attribute__((target("avx2,fma"))) static void axpy_avx2(float *y, float a, const float *x,
                                                          int64_t n) {
  __m256 av = _mm256_set1_ps(a);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(av, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  for (; i < n; i++) y[i] += a * x[i];
}
#endif

float tpp_dot_f32(const float *a, const float *b, int64_t n) {
#ifdef TPP_X86
  switch (tpp_isa_level()) {
    case TPP_ISA_AVX512: return dot_avx512(a, b, n);
    case TPP_ISA_AVX2: return dot_avx2(a, b, n);
    default: break;
  }
#endif
  return dot_scalar(a, b, n);
}

void tpp_axpy_f32(float *y, float a, const float *x, int64_t n) {
#ifdef TPP_X86
  switch (tpp_isa_level()) {
    case TPP_ISA_AVX512: axpy_avx512(y, a, x, n); return;
    case TPP_ISA_AVX2: axpy_avx2(y, a, x, n); return;
    default: break;
  }
#endif
  axpy_scalar(y, a, x, n);
}
