/*
 * gemm_f32.c - f32 products. Matrix-matrix goes to OpenBLAS (cblas_sgemm);
 * matrix-vector (decode) is tpp's own: OpenBLAS 0.3.21's sgemv streams only
 * about half the memory bandwidth this kind of CPU sustains, while a kernel
 * that reads four weight rows at once under tpp's pool gets close to it.
 */
#include "kernels.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TPP_X86 1
#include <immintrin.h>
#endif

/* ---- y[r] = W[r][:] . x for rows r0..r1-1 ---- */

static void mv_rows_scalar(float *y, const float *w, int64_t ldw, const float *x, int64_t r0,
                           int64_t r1, int64_t k) {
  int64_t r, c;
  for (r = r0; r < r1; r++) {
    const float *wr = w + r * ldw;
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    for (c = 0; c + 4 <= k; c += 4) {
      s0 += wr[c] * x[c];
      s1 += wr[c + 1] * x[c + 1];
      s2 += wr[c + 2] * x[c + 2];
      s3 += wr[c + 3] * x[c + 3];
    }
    for (; c < k; c++) s0 += wr[c] * x[c];
    y[r] = (s0 + s1) + (s2 + s3);
  }
}

#ifdef TPP_X86

/* One row at a time: the rows of a chunk are contiguous, so each thread reads
 * its weights as one sequential stream, the access pattern of the bandwidth
 * probe (tpp_bench_membw); four accumulators hide the FMA latency. */
__attribute__((target("avx512f,fma"))) static void mv_rows_avx512(float *y, const float *w,
                                                                   int64_t ldw, const float *x,
                                                                   int64_t r0, int64_t r1,
                                                                   int64_t k) {
  const int64_t k64 = k & ~(int64_t)63;
  int64_t r, c;
  for (r = r0; r < r1; r++) {
    const float *wr = w + r * ldw;
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    __m512 a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    for (c = 0; c < k64; c += 64) {
      a0 = _mm512_fmadd_ps(_mm512_loadu_ps(wr + c), _mm512_loadu_ps(x + c), a0);
      a1 = _mm512_fmadd_ps(_mm512_loadu_ps(wr + c + 16), _mm512_loadu_ps(x + c + 16), a1);
      a2 = _mm512_fmadd_ps(_mm512_loadu_ps(wr + c + 32), _mm512_loadu_ps(x + c + 32), a2);
      a3 = _mm512_fmadd_ps(_mm512_loadu_ps(wr + c + 48), _mm512_loadu_ps(x + c + 48), a3);
    }
    for (; c < k; c += 16) {
      __mmask16 m = k - c >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (k - c)) - 1);
      a0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, wr + c), _mm512_maskz_loadu_ps(m, x + c), a0);
    }
    y[r] = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
  }
}

__attribute__((target("avx2,fma"))) static inline float hsum256(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) static void mv_rows_avx2(float *y, const float *w, int64_t ldw,
                                                              const float *x, int64_t r0,
                                                              int64_t r1, int64_t k) {
  const int64_t k32 = k & ~(int64_t)31;
  int64_t r, c;
  for (r = r0; r < r1; r++) {
    const float *wr = w + r * ldw;
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    float tail = 0.0f;
    for (c = 0; c < k32; c += 32) {
      a0 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c), _mm256_loadu_ps(x + c), a0);
      a1 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c + 8), _mm256_loadu_ps(x + c + 8), a1);
      a2 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c + 16), _mm256_loadu_ps(x + c + 16), a2);
      a3 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c + 24), _mm256_loadu_ps(x + c + 24), a3);
    }
    for (; c + 8 <= k; c += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(wr + c), _mm256_loadu_ps(x + c), a0);
    for (; c < k; c++) tail += wr[c] * x[c];
    y[r] = hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3))) + tail;
  }
}

#endif

typedef void (*mv_fn)(float *, const float *, int64_t, const float *, int64_t, int64_t, int64_t);

typedef struct mv_job {
  float *y;
  const float *w;
  int64_t ldw;
  const float *x;
  int64_t n, k;
  mv_fn fn;
} mv_job;

/* chunks are in units of 4 rows (the kernel's row tile) */
static int mv_range(void *ctx, int64_t begin, int64_t end, int worker) {
  const mv_job *j = (const mv_job *)ctx;
  int64_t r1 = end * 4 < j->n ? end * 4 : j->n;
  (void)worker;
  j->fn(j->y, j->w, j->ldw, j->x, begin * 4, r1, j->k);
  return TPP_OK;
}

void tpp_matvec_f32(float *y, const float *w, int64_t ldw, const float *x, int64_t n,
                    int64_t k) {
  mv_job j;
  int64_t quads = (n + 3) / 4;
  /* at least ~64K multiply-adds per thread, else threads cost more than they save */
  int64_t min_quads = (1 << 16) / (4 * (k > 0 ? k : 1)) + 1;
  j.y = y;
  j.w = w;
  j.ldw = ldw;
  j.x = x;
  j.n = n;
  j.k = k;
  j.fn = mv_rows_scalar;
#ifdef TPP_X86
  switch (tpp_isa_level()) {
    case TPP_ISA_AVX512: j.fn = mv_rows_avx512; break;
    case TPP_ISA_AVX2: j.fn = mv_rows_avx2; break;
    default: break;
  }
#endif
  tpp_parallel_for(quads, min_quads, 0, mv_range, &j);
}

int tpp_linear_f32(float *y, int64_t ldy, const float *x, int64_t ldx, const float *w,
                   int64_t ldw, int64_t m, int64_t n, int64_t k, tpp_error *err) {
  if (m <= 0 || n <= 0 || k <= 0) return TPP_OK;
  if (m == 1) {
    tpp_matvec_f32(y, w, ldw, x, n, k);
    return TPP_OK;
  }
  if (m > INT_MAX || n > INT_MAX || k > INT_MAX || ldx > INT_MAX || ldy > INT_MAX ||
      ldw > INT_MAX)
    return tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN,
                    "a %lld x %lld x %lld product exceeds OpenBLAS's int sizes", (long long)m,
                    (long long)n, (long long)k);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)n, (int)k, 1.0f, x,
              (int)ldx, w, (int)ldw, 0.0f, y, (int)ldy);
  return TPP_OK;
}
