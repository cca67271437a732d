/*
 * bench.c - host probes timed in C: read bandwidth and raw OpenBLAS GEMMs,
 * the baselines tpp's own kernels are reported against.
 */
#define _POSIX_C_SOURCE 200809L
#include "kernels/kernels.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

char *openblas_get_config(void);
char *openblas_get_corename(void);

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TPP_X86 1
#include <immintrin.h>
#endif

/* The best rate (work units per second) of run(ctx) over repeated passes:
 * repeat for `seconds`, and at least min_reps times. */
typedef void (*bench_fn)(void *ctx);

static double best_rate(bench_fn run, void *ctx, double work, double seconds, int min_reps) {
  double best = 0.0, t_end = tpp_now() + (seconds > 0 ? seconds : 0.0);
  int reps = 0;
  do {
    double t0 = tpp_now(), dt;
    run(ctx);
    dt = tpp_now() - t0;
    if (dt > 0 && work / dt > best) best = work / dt;
    reps++;
  } while (tpp_now() < t_end || reps < min_reps);
  return best;
}

/* ---- read bandwidth: each thread sums its slice of a buffer ---- */

typedef struct bw_job {
  const float *buf;
  int64_t n;          /* floats */
  int32_t n_threads;  /* 0 = the pool's default */
  float sums[256];    /* one per worker, so the reads cannot be optimised away */
} bw_job;

static float sum_scalar(const float *p, int64_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t i;
  for (i = 0; i + 4 <= n; i += 4) {
    s0 += p[i];
    s1 += p[i + 1];
    s2 += p[i + 2];
    s3 += p[i + 3];
  }
  return s0 + s1 + s2 + s3;
}

#ifdef TPP_X86
__attribute__((target("avx512f"))) static float sum_avx512(const float *p, int64_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  int64_t i;
  for (i = 0; i + 64 <= n; i += 64) {
    s0 = _mm512_add_ps(s0, _mm512_load_ps(p + i));
    s1 = _mm512_add_ps(s1, _mm512_load_ps(p + i + 16));
    s2 = _mm512_add_ps(s2, _mm512_load_ps(p + i + 32));
    s3 = _mm512_add_ps(s3, _mm512_load_ps(p + i + 48));
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3))) +
         sum_scalar(p + i, n - i);
}

__attribute__((target("avx2"))) static float sum_avx2(const float *p, int64_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  float out[8];
  int64_t i;
  for (i = 0; i + 32 <= n; i += 32) {
    s0 = _mm256_add_ps(s0, _mm256_load_ps(p + i));
    s1 = _mm256_add_ps(s1, _mm256_load_ps(p + i + 8));
    s2 = _mm256_add_ps(s2, _mm256_load_ps(p + i + 16));
    s3 = _mm256_add_ps(s3, _mm256_load_ps(p + i + 24));
  }
  _mm256_storeu_ps(out, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7] +
         sum_scalar(p + i, n - i);
}
#endif

static int bw_range(void *ctx, int64_t begin, int64_t end, int worker) {
  bw_job *j = (bw_job *)ctx;
  /* chunks are in units of 64 floats so every slice stays 256-byte aligned */
  const float *p = j->buf + begin * 64;
  int64_t n = (end - begin) * 64;
  float s;
#ifdef TPP_X86
  if (tpp_isa_level() >= TPP_ISA_AVX512)
    s = sum_avx512(p, n);
  else if (tpp_isa_level() >= TPP_ISA_AVX2)
    s = sum_avx2(p, n);
  else
#endif
    s = sum_scalar(p, n);
  j->sums[worker & 255] += s;
  return TPP_OK;
}

static void run_bw(void *ctx) {
  bw_job *j = (bw_job *)ctx;
  tpp_parallel_for(j->n / 64, 1, j->n_threads, bw_range, j);
}

int tpp_bench_membw(int64_t bytes, int32_t n_threads, double seconds, double *gbs,
                    tpp_error *err) {
  bw_job *j;
  float *buf;
  int64_t i, n;
  double best;
  if (bytes < 4096 || bytes > (INT64_C(1) << 40))
    return tpp_fail(err, TPP_E_ARG, -1, -1, (double)bytes,
                    "membw: buffer of %lld bytes: expected 4 KiB .. 1 TiB", (long long)bytes);
  if (n_threads < 0 || n_threads > 256)
    return tpp_fail(err, TPP_E_ARG, -1, -1, n_threads, "membw: threads %d: expected 0..256",
                    (int)n_threads);
  n = bytes / 256 * 64; /* floats, a multiple of 64 */
  buf = (float *)tpp_alloc((size_t)n * sizeof(float));
  j = (bw_job *)tpp_alloc(sizeof *j);
  if (!buf || !j) {
    tpp_free(buf);
    tpp_free(j);
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, (double)bytes,
                    "membw: out of memory for a %lld-byte buffer", (long long)bytes);
  }
  for (i = 0; i < n; i++) buf[i] = 1.0f; /* touch every page */
  memset(j, 0, sizeof *j);
  j->buf = buf;
  j->n = n;
  j->n_threads = n_threads;
  best = best_rate(run_bw, j, (double)n * 4.0, seconds, 3);
  /* the sum of ones over every pass is exact in float up to 2^24 per lane */
  if (j->sums[0] < 0) best = -best;
  *gbs = best / 1e9;
  tpp_free(buf);
  tpp_free(j);
  return TPP_OK;
}

static int gemm_check(int64_t m, int64_t n, int64_t k, tpp_error *err) {
  if (m < 1 || n < 1 || k < 1 || m > 65536 || n > 65536 || k > 65536)
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN,
                    "gemm: sizes %lld x %lld x %lld: expected 1..65536 each", (long long)m,
                    (long long)n, (long long)k);
  return TPP_OK;
}

/* One raw OpenBLAS GEMM, C[m][n] = A[m][k] B[k][n], f32 or f64. */
typedef struct gemm_job {
  int dbl;
  int m, n, k;
  void *a, *b, *c;
} gemm_job;

static void run_gemm(void *ctx) {
  gemm_job *g = (gemm_job *)ctx;
  if (g->dbl)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g->m, g->n, g->k, 1.0,
                (const double *)g->a, g->k, (const double *)g->b, g->n, 0.0, (double *)g->c, g->n);
  else
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g->m, g->n, g->k, 1.0f,
                (const float *)g->a, g->k, (const float *)g->b, g->n, 0.0f, (float *)g->c, g->n);
}

static int bench_gemm(int dbl, int64_t m, int64_t n, int64_t k, double seconds, double *gflops,
                      tpp_error *err) {
  size_t elem = dbl ? sizeof(double) : sizeof(float);
  gemm_job g;
  int64_t i;
  if (gemm_check(m, n, k, err)) return TPP_E_ARG;
  g.dbl = dbl;
  g.m = (int)m;
  g.n = (int)n;
  g.k = (int)k;
  g.a = tpp_alloc((size_t)(m * k) * elem);
  g.b = tpp_alloc((size_t)(k * n) * elem);
  g.c = tpp_alloc((size_t)(m * n) * elem);
  if (!g.a || !g.b || !g.c) {
    tpp_free(g.a);
    tpp_free(g.b);
    tpp_free(g.c);
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "%s: out of memory", dbl ? "dgemm" : "sgemm");
  }
  for (i = 0; i < m * k; i++) {
    double v = (double)((i % 13) - 6) * 0.01;
    if (dbl) ((double *)g.a)[i] = v; else ((float *)g.a)[i] = (float)v;
  }
  for (i = 0; i < k * n; i++) {
    double v = (double)((i % 7) - 3) * 0.01;
    if (dbl) ((double *)g.b)[i] = v; else ((float *)g.b)[i] = (float)v;
  }
  memset(g.c, 0, (size_t)(m * n) * elem);
  *gflops = best_rate(run_gemm, &g, 2.0 * (double)m * (double)n * (double)k, seconds, 2) / 1e9;
  tpp_free(g.a);
  tpp_free(g.b);
  tpp_free(g.c);
  return TPP_OK;
}

int tpp_bench_sgemm(int64_t m, int64_t n, int64_t k, double seconds, double *gflops,
                    tpp_error *err) {
  return bench_gemm(0, m, n, k, seconds, gflops, err);
}

int tpp_bench_dgemm(int64_t m, int64_t n, int64_t k, double seconds, double *gflops,
                    tpp_error *err) {
  return bench_gemm(1, m, n, k, seconds, gflops, err);
}

/* `count` copies of an f32 matrix A[m][n] streamed through cblas_sgemv. */
typedef struct gemv_job {
  int m, n;
  int64_t per, count;
  const float *a, *x;
  float *y;
} gemv_job;

static void run_gemv(void *ctx) {
  gemv_job *g = (gemv_job *)ctx;
  int64_t i;
  for (i = 0; i < g->count; i++)
    cblas_sgemv(CblasRowMajor, CblasNoTrans, g->m, g->n, 1.0f, g->a + i * g->per, g->n, g->x, 1,
                0.0f, g->y, 1);
}

int tpp_bench_sgemv(int64_t m, int64_t n, int64_t bytes, double seconds, double *gbs,
                    tpp_error *err) {
  float *a, *x, *y;
  int64_t per = m * n, count, i, total;
  gemv_job g;
  if (gemm_check(m, n, 1, err)) return TPP_E_ARG;
  if (bytes < 0 || bytes > (INT64_C(1) << 40))
    return tpp_fail(err, TPP_E_ARG, -1, -1, (double)bytes, "sgemv: %lld bytes: expected 0 .. 1 TiB",
                    (long long)bytes);
  count = bytes / (per * 4) + 1;
  total = count * per;
  a = (float *)tpp_alloc((size_t)total * 4);
  x = (float *)tpp_alloc((size_t)n * 4);
  y = (float *)tpp_alloc((size_t)m * 4);
  if (!a || !x || !y) {
    tpp_free(a);
    tpp_free(x);
    tpp_free(y);
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "sgemv: out of memory");
  }
  for (i = 0; i < total; i++) a[i] = (float)((i % 11) - 5) * 0.01f;
  for (i = 0; i < n; i++) x[i] = 1.0f;
  g.m = (int)m;
  g.n = (int)n;
  g.per = per;
  g.count = count;
  g.a = a;
  g.x = x;
  g.y = y;
  *gbs = best_rate(run_gemv, &g, (double)total * 4.0, seconds, 2) / 1e9;
  tpp_free(a);
  tpp_free(x);
  tpp_free(y);
  return TPP_OK;
}

const char *tpp_blas_info(void) {
  static char buf[256];
  snprintf(buf, sizeof buf, "%s (core %s)", openblas_get_config(), openblas_get_corename());
  return buf;
}

const char *tpp_cpu_name(void) {
  static char name[128];
  FILE *f;
  char line[512];
  if (name[0]) return name;
  snprintf(name, sizeof name, "unknown CPU");
  f = fopen("/proc/cpuinfo", "r");
  if (!f) return name;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "model name", 10) == 0) {
      char *p = strchr(line, ':');
      if (p) {
        size_t len;
        p++;
        while (*p == ' ' || *p == '\t') p++;
        len = strcspn(p, "\n");
        if (len >= sizeof name) len = sizeof name - 1;
        memcpy(name, p, len);
        name[len] = '\0';
      }
      break;
    }
  }
  fclose(f);
  return name;
}
