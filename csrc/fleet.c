/*
 * fleet.c - Monte Carlo of compute stocks: sums of uncertain unit counts
 * times H100-equivalents per unit, per group and in total, on several bases.
 *
 * A row's low/central/high triple is read one of two ways (tpp_dist_fit):
 *   QUANTILES  a two-piece ("split") lognormal: central is the median; below
 *              it log X ~ N(log central, sigma_low), above it sigma_high, each
 *              fitted so that low and high are the (1 - c)/2 and (1 + c)/2
 *              quantiles for the stated coverage c (0.90: p5 and p95).
 *   BOUNDS     a triangular distribution on [low, high] with mode central
 *              (for ranges that are hard bounds of an arithmetic, e.g. a
 *              dollar figure divided by a price range).
 * A triple with low = central = high is a point mass (no draws are made).
 *
 * Draws: xorshift64* (tpp_rng_u64, the core's one generator), 8 streams per
 * (row, block of 1,024 draws), each seeded by SplitMix64 (tpp_rng_seed)
 * hashing (seed, stream, row, block, lane). The result therefore does not
 * depend on the thread count or the order of rows, and the AVX-512 path
 * computes exactly the scalar path's operations (no fused multiply-adds, the
 * same exp() polynomial and normal table), so both give the same draws.
 *
 * The standard normal of the lognormal comes from an inverse-CDF table of
 * 4,096 equal-probability cells with linear interpolation inside a cell; the
 * knots are exact quantiles (Halley iterations on erfc), and the two tail
 * cells end where the cell's mean equals the true conditional mean, so
 * |z| <= 3.99. A multiplicative factor per (basis, chip) may itself be a
 * triple (the serving basis); its draw is shared by every row of that chip in
 * a draw (one chip's efficiency is one unknown), independent across chips.
 */
#include "internal.h"
#include "kernels/kernels.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define TPP_FLEET_X86 1
#include <immintrin.h>
#endif

enum {
  NQ_BITS = 12,
  NQ = 1 << NQ_BITS, /* cells of the normal table */
  BLK = 1024,        /* draws per block: one block is one unit of work */
  LANES = 8          /* generator streams per (row, block) */
};

/* Stream tags: rows and factor draws never share a stream. */
#define TAG_ROW 0x524f57ULL
#define TAG_FACTOR 0x464143ULL

static const double SQRT_2PI = 2.5066282746310005024;

/* Single-precision sampling constants (see fleet_expf). */
static const float LOG2E_F = 1.44269504088896341f;
static const float LN2_HI_F = 0.693145751953125f;     /* ln 2 in 16 bits: n * LN2_HI_F is exact */
static const float LN2_LO_F = 1.428606765330187e-06f; /* ln 2 - LN2_HI_F */
static const float SHIFT_F = 12582912.0f;              /* 1.5 * 2^23: rounds to an integer */
static const float EXP_MAX_F = 87.0f;
#define ONE_BITS_F 0x3F800000u
#define SHIFT_BITS_F 0x4B400000u

/* ---- the standard normal ---- */

double tpp_normal_cdf(double z) {
  return 0.5 * erfc(-z / sqrt(2.0));
}

/* Inverse of the standard normal CDF: a rational start (Abramowitz & Stegun
 * 26.2.23, error < 4.5e-4) refined by Halley steps on erfc, which converge to
 * the double nearest the quantile in two or three steps. */
double tpp_normal_quantile(double p) {
  double q, t, z;
  int i;
  if (!(p > 0.0)) return p == 0.0 ? -INFINITY : NAN;
  if (!(p < 1.0)) return p == 1.0 ? INFINITY : NAN;
  if (p == 0.5) return 0.0;
  q = p < 0.5 ? p : 1.0 - p;
  t = sqrt(-2.0 * log(q));
  z = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
              (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  if (p < 0.5) z = -z;
  for (i = 0; i < 4; i++) {
    double e = tpp_normal_cdf(z) - p;
    double u = e * SQRT_2PI * exp(0.5 * z * z);
    double step = u / (1.0 + 0.5 * z * u);
    z -= step;
    if (fabs(step) <= 1e-16 * (fabs(z) > 1 ? fabs(z) : 1)) break;
  }
  return z;
}

/* qa[k] + f * qs[k] for f in [0, 1) is z on cell k (u in [k/NQ, (k+1)/NQ)). */
static float g_qa[NQ], g_qs[NQ];
static pthread_once_t g_table_once = PTHREAD_ONCE_INIT;

static void build_table(void) {
  static double knot[NQ + 1];
  int k;
  for (k = 1; k < NQ; k++) knot[k] = tpp_normal_quantile((double)k / NQ);
  /* tail cell: E[Z | U < 1/NQ] = -NQ phi(q1); a linear cell has mean (q0 + q1) / 2 */
  knot[0] = -2.0 * NQ * exp(-0.5 * knot[1] * knot[1]) / SQRT_2PI - knot[1];
  knot[NQ] = -knot[0];
  for (k = 0; k < NQ; k++) {
    g_qa[k] = (float)knot[k];
    g_qs[k] = (float)(knot[k + 1] - knot[k]);
  }
}

static void ensure_table(void) {
  pthread_once(&g_table_once, build_table);
}

/* ---- exp() the same way in every path ----
 * Each draw is computed in single precision (a relative rounding of a few
 * 1e-7, far below the Monte Carlo error of 1e5 draws) and summed in double.
 * exp(x) = 2^n e^r, n = round(x / ln 2), |r| <= ln 2 / 2, e^r by its Taylor
 * series to r^7 (truncation < 5e-9). */
static inline float bits_to_float(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

static inline float fleet_expf(float x) {
  float t, n, r, p;
  uint32_t tb, sb;
  x = x > EXP_MAX_F ? EXP_MAX_F : x;
  x = x < -EXP_MAX_F ? -EXP_MAX_F : x;
  t = x * LOG2E_F + SHIFT_F;
  n = t - SHIFT_F;
  r = x - n * LN2_HI_F;
  r = r - n * LN2_LO_F;
  p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  memcpy(&tb, &t, sizeof tb);
  sb = (tb - SHIFT_BITS_F + 127u) << 23;
  return p * bits_to_float(sb);
}

double tpp_fleet_exp(double x) {
  return (double)fleet_expf((float)x);
}

/* ---- distributions ---- */

int tpp_dist_fit(int32_t kind, double low, double central, double high, double coverage,
                 tpp_dist *d, tpp_error *err) {
  tpp_error_clear(err);
  memset(d, 0, sizeof *d);
  if (!isfinite(low) || !isfinite(central) || !isfinite(high))
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN,
                    "low/central/high must be finite numbers (got %g / %g / %g)", low, central, high);
  if (low < 0 || central < 0 || high < 0)
    return tpp_fail(err, TPP_E_ARG, -1, -1, low < 0 ? low : central < 0 ? central : high,
                    "low/central/high must be >= 0 (got %g / %g / %g)", low, central, high);
  if (low > central || central > high)
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN,
                    "the triple is out of order: expected low <= central <= high, got %g / %g / %g",
                    low, central, high);
  if (kind != TPP_DIST_POINT && kind != TPP_DIST_QUANTILES && kind != TPP_DIST_BOUNDS)
    return tpp_fail(err, TPP_E_UNKNOWN, -1, -1, kind,
                    "distribution kind %d unknown (0 point, 1 quantiles, 2 bounds)", (int)kind);
  d->low = low;
  d->central = central;
  d->high = high;
  d->coverage = coverage;
  if (low == central && central == high) {
    d->kind = TPP_DIST_POINT;
    return TPP_OK;
  }
  if (kind == TPP_DIST_POINT)
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN,
                    "a point value needs low = central = high (got %g / %g / %g)", low, central, high);
  d->kind = kind;
  if (kind == TPP_DIST_QUANTILES) {
    double zc;
    if (!(coverage > 0.0 && coverage < 1.0))
      return tpp_fail(err, TPP_E_ARG, -1, -1, coverage,
                      "coverage must be in (0, 1) (0.90: low and high are p5 and p95), got %g", coverage);
    if (low == 0.0)
      return tpp_fail(err, TPP_E_ARG, -1, -1, low,
                      "low is 0: a lognormal cannot have 0 as a percentile below its median; give a "
                      "low > 0, or read the triple as bounds (triangular)");
    zc = tpp_normal_quantile(0.5 + 0.5 * coverage);
    d->mu = log(central);
    d->sigma_low = log(central / low) / zc;
    d->sigma_high = log(high / central) / zc;
  } else {
    d->mode_cdf = (central - low) / (high - low);
  }
  return TPP_OK;
}

double tpp_dist_quantile(const tpp_dist *d, double p) {
  if (!(p >= 0.0 && p <= 1.0)) return NAN;
  switch (d->kind) {
  case TPP_DIST_POINT:
    return d->central;
  case TPP_DIST_QUANTILES: {
    double z = tpp_normal_quantile(p);
    if (isinf(z)) return z < 0 ? 0.0 : INFINITY;
    return exp(d->mu + (z < 0 ? d->sigma_low : d->sigma_high) * z);
  }
  case TPP_DIST_BOUNDS: {
    double w = d->high - d->low;
    if (p < d->mode_cdf) return d->low + sqrt(p * w * (d->central - d->low));
    return d->high - sqrt((1.0 - p) * w * (d->high - d->central));
  }
  default:
    return NAN;
  }
}

double tpp_dist_mean(const tpp_dist *d) {
  switch (d->kind) {
  case TPP_DIST_POINT:
    return d->central;
  case TPP_DIST_QUANTILES: {
    /* E X = c [exp(sl^2/2) Phi(-sl) + exp(sh^2/2) Phi(sh)] */
    double sl = d->sigma_low, sh = d->sigma_high;
    return d->central *
           (exp(0.5 * sl * sl) * tpp_normal_cdf(-sl) + exp(0.5 * sh * sh) * tpp_normal_cdf(sh));
  }
  case TPP_DIST_BOUNDS:
    return (d->low + d->central + d->high) / 3.0;
  default:
    return NAN;
  }
}

/* ---- streams ---- */

static uint64_t stream_key(uint64_t seed, uint64_t stream, uint64_t tag, uint64_t index, uint64_t block) {
  uint64_t h = tpp_rng_seed(seed);
  h = tpp_rng_seed(h ^ stream);
  h = tpp_rng_seed(h ^ tag);
  h = tpp_rng_seed(h ^ index);
  return tpp_rng_seed(h ^ block);
}

static void seed_lanes(uint64_t key, uint64_t st[LANES]) {
  int l;
  for (l = 0; l < LANES; l++) st[l] = tpp_rng_seed(key + 0x9E3779B97F4A7C15ULL * (uint64_t)(l + 1));
}

/* ---- samplers ----
 * One step of the 8 streams gives 8 x 64 bits = 16 draws: draw 16 i + 2 l
 * takes the low 32 bits of lane l, draw 16 i + 2 l + 1 the high 32 bits.
 * Lognormal: the top 12 bits pick the normal table's cell, the low 20 the
 * place inside it; x = central * exp(sigma * z), sigma by the side of z.
 * Triangular: u from the top 23 bits. acc[k] += draw k, k < BLK. */

static inline double lognormal_of(uint32_t w, float sl, float sh, double central) {
  uint32_t idx = w >> 20;
  float f = bits_to_float(((w & 0xFFFFFu) << 3) | ONE_BITS_F) - 1.0f;
  float z = g_qa[idx] + f * g_qs[idx];
  float s = z < 0.0f ? sl : sh;
  return central * (double)fleet_expf(s * z);
}

/* The standard triangular on [0, 1] with mode m, scaled to [low, low + width]. */
static inline double triangular_of(uint32_t w, float m, float one_m, double low, double width) {
  float u = bits_to_float((w >> 9) | ONE_BITS_F) - 1.0f;
  float a = sqrtf(u * m);
  float b = 1.0f - sqrtf((1.0f - u) * one_m);
  return low + width * (double)(u < m ? a : b);
}

static void add_lognormal_scalar(uint64_t st[LANES], float sl, float sh, double central, double *acc) {
  int i, l;
  for (i = 0; i < BLK / (2 * LANES); i++) {
    for (l = 0; l < LANES; l++) {
      uint64_t r = tpp_rng_u64(&st[l]);
      acc[i * 16 + 2 * l] += lognormal_of((uint32_t)r, sl, sh, central);
      acc[i * 16 + 2 * l + 1] += lognormal_of((uint32_t)(r >> 32), sl, sh, central);
    }
  }
}

static void add_triangular_scalar(uint64_t st[LANES], float m, float one_m, double low, double width,
                                  double *acc) {
  int i, l;
  for (i = 0; i < BLK / (2 * LANES); i++) {
    for (l = 0; l < LANES; l++) {
      uint64_t r = tpp_rng_u64(&st[l]);
      acc[i * 16 + 2 * l] += triangular_of((uint32_t)r, m, one_m, low, width);
      acc[i * 16 + 2 * l + 1] += triangular_of((uint32_t)(r >> 32), m, one_m, low, width);
    }
  }
}

#ifdef TPP_FLEET_X86
#define AVX512_TARGET __attribute__((target("avx512f,avx512dq")))

AVX512_TARGET static inline __m512i rng512(__m512i *s) {
  __m512i x = *s;
  x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 12));
  x = _mm512_xor_si512(x, _mm512_slli_epi64(x, 25));
  x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 27));
  *s = x;
  return _mm512_mullo_epi64(x, _mm512_set1_epi64((long long)0x2545F4914F6CDD1DULL));
}

AVX512_TARGET static inline __m512 exp512f(__m512 x) {
  const __m512 shift = _mm512_set1_ps(SHIFT_F);
  __m512 t, n, r, p;
  __m512i sb;
  x = _mm512_min_ps(x, _mm512_set1_ps(EXP_MAX_F));
  x = _mm512_max_ps(x, _mm512_set1_ps(-EXP_MAX_F));
  t = _mm512_add_ps(_mm512_mul_ps(x, _mm512_set1_ps(LOG2E_F)), shift);
  n = _mm512_sub_ps(t, shift);
  r = _mm512_sub_ps(x, _mm512_mul_ps(n, _mm512_set1_ps(LN2_HI_F)));
  r = _mm512_sub_ps(r, _mm512_mul_ps(n, _mm512_set1_ps(LN2_LO_F)));
#define HORNER(c) p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(c))
  p = _mm512_set1_ps(1.0f / 5040.0f);
  HORNER(1.0f / 720.0f);
  HORNER(1.0f / 120.0f);
  HORNER(1.0f / 24.0f);
  HORNER(1.0f / 6.0f);
  HORNER(0.5f);
  HORNER(1.0f);
  HORNER(1.0f);
#undef HORNER
  sb = _mm512_slli_epi32(_mm512_add_epi32(_mm512_castps_si512(t), _mm512_set1_epi32((int)(127u - SHIFT_BITS_F))), 23);
  return _mm512_mul_ps(p, _mm512_castsi512_ps(sb));
}

/* acc[0..16) += offset + scale * x (16 floats, widened to double) */
AVX512_TARGET static inline void acc16(double *acc, __m512 x, __m512d offset, __m512d scale) {
  __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
  __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
  _mm512_storeu_pd(acc, _mm512_add_pd(_mm512_loadu_pd(acc), _mm512_add_pd(offset, _mm512_mul_pd(scale, lo))));
  _mm512_storeu_pd(acc + 8, _mm512_add_pd(_mm512_loadu_pd(acc + 8), _mm512_add_pd(offset, _mm512_mul_pd(scale, hi))));
}

AVX512_TARGET static void add_lognormal_avx512(uint64_t st[LANES], float sl, float sh, double central,
                                               double *acc) {
  __m512i s = _mm512_loadu_si512((const void *)st);
  const __m512i low20 = _mm512_set1_epi32(0xFFFFF);
  const __m512i one = _mm512_set1_epi32((int)ONE_BITS_F);
  const __m512 vsl = _mm512_set1_ps(sl), vsh = _mm512_set1_ps(sh), zero = _mm512_setzero_ps();
  const __m512 vone = _mm512_set1_ps(1.0f);
  const __m512d vc = _mm512_set1_pd(central);
  int i;
  for (i = 0; i < BLK / 16; i++) {
    __m512i w = rng512(&s);
    __m512i idx = _mm512_srli_epi32(w, 20);
    __m512 f = _mm512_sub_ps(_mm512_castsi512_ps(_mm512_or_si512(_mm512_slli_epi32(_mm512_and_si512(w, low20), 3), one)), vone);
    __m512 qa = _mm512_i32gather_ps(idx, g_qa, 4);
    __m512 qs = _mm512_i32gather_ps(idx, g_qs, 4);
    __m512 z = _mm512_add_ps(qa, _mm512_mul_ps(f, qs));
    __mmask16 neg = _mm512_cmp_ps_mask(z, zero, _CMP_LT_OQ);
    __m512 sig = _mm512_mask_blend_ps(neg, vsh, vsl);
    acc16(acc + i * 16, exp512f(_mm512_mul_ps(sig, z)), _mm512_setzero_pd(), vc);
  }
  _mm512_storeu_si512((void *)st, s);
}

AVX512_TARGET static void add_triangular_avx512(uint64_t st[LANES], float m, float one_m, double low,
                                                double width, double *acc) {
  __m512i s = _mm512_loadu_si512((const void *)st);
  const __m512i one = _mm512_set1_epi32((int)ONE_BITS_F);
  const __m512 vone = _mm512_set1_ps(1.0f), vm = _mm512_set1_ps(m), v1m = _mm512_set1_ps(one_m);
  const __m512d vlow = _mm512_set1_pd(low), vwidth = _mm512_set1_pd(width);
  int i;
  for (i = 0; i < BLK / 16; i++) {
    __m512i w = rng512(&s);
    __m512 u = _mm512_sub_ps(_mm512_castsi512_ps(_mm512_or_si512(_mm512_srli_epi32(w, 9), one)), vone);
    __m512 a = _mm512_sqrt_ps(_mm512_mul_ps(u, vm));
    __m512 b = _mm512_sub_ps(vone, _mm512_sqrt_ps(_mm512_mul_ps(_mm512_sub_ps(vone, u), v1m)));
    __mmask16 below = _mm512_cmp_ps_mask(u, vm, _CMP_LT_OQ);
    acc16(acc + i * 16, _mm512_mask_blend_ps(below, b, a), vlow, vwidth);
  }
  _mm512_storeu_si512((void *)st, s);
}

static int avx512dq_ok(void) {
  static int cached = -1;
  if (cached < 0) {
    __builtin_cpu_init();
    cached = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  }
  return cached && tpp_isa_level() >= TPP_ISA_AVX512;
}
#endif

/* acc[0..BLK) += BLK draws of d from the streams of key. */
static void add_draws(const tpp_dist *d, uint64_t key, double *acc, int vector) {
  uint64_t st[LANES];
  seed_lanes(key, st);
  if (d->kind == TPP_DIST_QUANTILES) {
    float sl = (float)d->sigma_low, sh = (float)d->sigma_high;
#ifdef TPP_FLEET_X86
    if (vector) {
      add_lognormal_avx512(st, sl, sh, d->central, acc);
      return;
    }
#endif
    add_lognormal_scalar(st, sl, sh, d->central, acc);
  } else if (d->kind == TPP_DIST_BOUNDS) {
    float m = (float)d->mode_cdf, one_m = (float)(1.0 - d->mode_cdf);
    double width = d->high - d->low;
#ifdef TPP_FLEET_X86
    if (vector) {
      add_triangular_avx512(st, m, one_m, d->low, width, acc);
      return;
    }
#endif
    add_triangular_scalar(st, m, one_m, d->low, width, acc);
  } else {
    int k;
    for (k = 0; k < BLK; k++) acc[k] += d->central;
  }
}

static int use_vector(void) {
#ifdef TPP_FLEET_X86
  return avx512dq_ok();
#else
  return 0;
#endif
}

int tpp_dist_draws(const tpp_dist *d, uint64_t seed, int64_t n, double *out, tpp_error *err) {
  double *acc;
  int64_t b, n_blocks;
  int vector = use_vector();
  tpp_error_clear(err);
  if (n < 0 || (n > 0 && !out)) return tpp_fail(err, TPP_E_ARG, -1, -1, (double)n, "n >= 0 and an output expected");
  ensure_table();
  acc = (double *)tpp_alloc(BLK * sizeof(double));
  if (!acc) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory");
  n_blocks = (n + BLK - 1) / BLK;
  for (b = 0; b < n_blocks; b++) {
    int64_t d0 = b * BLK, len = n - d0 < BLK ? n - d0 : BLK;
    memset(acc, 0, BLK * sizeof(double));
    add_draws(d, stream_key(seed, 0, TAG_ROW, 0, (uint64_t)b), acc, vector);
    memcpy(out + d0, acc, (size_t)len * sizeof(double));
  }
  tpp_free(acc);
  return TPP_OK;
}

/* ---- the fleet simulation ---- */

typedef struct cell {
  int32_t group, chip;
  int64_t start, end;   /* rows order[start..end) that draw */
  double point_sum;     /* sum of the point-mass rows of the cell */
} cell;

typedef struct sim {
  const tpp_fleet_rows *rows;
  const tpp_fleet_factors *f;
  const tpp_fleet_options *opt;
  tpp_dist *row_dist;     /* [n rows] */
  tpp_dist *factor_dist;  /* [n_bases * n_chips] */
  int32_t *factor_slot;   /* [n_bases * n_chips]: index among the uncertain factors, or -1 */
  int32_t n_uncertain;
  int32_t *uncertain;     /* [n_uncertain]: basis * n_chips + chip */
  int64_t *order;         /* [n rows that draw], grouped by cell */
  cell *cells;
  int64_t n_cells;
  double *out;
  int vector;
} sim;

static int key_compare(const void *a, const void *b) {
  const int64_t *x = (const int64_t *)a, *y = (const int64_t *)b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

static int sim_blocks(void *ctx, int64_t begin, int64_t end, int worker) {
  sim *s = (sim *)ctx;
  const int64_t D = s->opt->draws;
  const int32_t G = s->opt->n_groups, B = s->f->n_bases, H = s->f->n_chips;
  double *acc = (double *)tpp_alloc((size_t)(1 + s->n_uncertain) * BLK * sizeof(double));
  double *fd; /* [n_uncertain][BLK] factor draws, after acc[BLK] */
  int64_t b;
  (void)worker;
  if (!acc) return TPP_E_NOMEM;
  fd = acc + BLK;
  for (b = begin; b < end; b++) {
    int64_t d0 = b * BLK, len = D - d0 < BLK ? D - d0 : BLK, c, k;
    int32_t bi, g, u;
    for (bi = 0; bi < B; bi++)
      for (g = 0; g <= G; g++) memset(s->out + ((int64_t)bi * (G + 1) + g) * D + d0, 0, (size_t)len * sizeof(double));
    for (u = 0; u < s->n_uncertain; u++) {
      memset(fd + (int64_t)u * BLK, 0, BLK * sizeof(double));
      add_draws(&s->factor_dist[s->uncertain[u]],
                stream_key(s->opt->seed, s->opt->stream, TAG_FACTOR, (uint64_t)s->uncertain[u], (uint64_t)b),
                fd + (int64_t)u * BLK, s->vector);
    }
    for (c = 0; c < s->n_cells; c++) {
      const cell *ce = &s->cells[c];
      int64_t i;
      for (k = 0; k < BLK; k++) acc[k] = ce->point_sum;
      for (i = ce->start; i < ce->end; i++) {
        int64_t r = s->order[i];
        add_draws(&s->row_dist[r],
                  stream_key(s->opt->seed, s->opt->stream, TAG_ROW, (uint64_t)r, (uint64_t)b), acc, s->vector);
      }
      for (bi = 0; bi < B; bi++) {
        int64_t fi = (int64_t)bi * H + ce->chip;
        const tpp_dist *fdist = &s->factor_dist[fi];
        double *dst = s->out + ((int64_t)bi * (G + 1) + ce->group) * D + d0;
        if (isnan(s->f->central[fi])) continue; /* unknown on this basis: counted by the caller */
        if (s->factor_slot[fi] >= 0) {
          const double *fv = fd + (int64_t)s->factor_slot[fi] * BLK;
          for (k = 0; k < len; k++) dst[k] += acc[k] * fv[k];
        } else {
          double fc = fdist->central;
          for (k = 0; k < len; k++) dst[k] += acc[k] * fc;
        }
      }
    }
    /* the fleet total: the sum of the group totals, draw by draw */
    for (bi = 0; bi < B; bi++) {
      double *tot = s->out + ((int64_t)bi * (G + 1) + G) * D + d0;
      for (g = 0; g < G; g++) {
        const double *src = s->out + ((int64_t)bi * (G + 1) + g) * D + d0;
        for (k = 0; k < len; k++) tot[k] += src[k];
      }
    }
  }
  tpp_free(acc);
  return TPP_OK;
}

static double opt_coverage(const double *cov, int64_t i) {
  return cov ? cov[i] : 0.90;
}

static int fit_row(const tpp_fleet_rows *rows, int64_t r, tpp_dist *d, tpp_error *err) {
  int st = tpp_dist_fit(rows->kind ? rows->kind[r] : TPP_DIST_QUANTILES, rows->low[r], rows->central[r],
                        rows->high[r], opt_coverage(rows->coverage, r), d, err);
  if (st != TPP_OK) {
    char msg[sizeof err->message];
    memcpy(msg, err->message, sizeof msg);
    tpp_fail(err, st, r, -1, err->value, "row %lld: units: %s", (long long)r + 1, msg);
  }
  return st;
}

int tpp_fleet_simulate(const tpp_fleet_rows *rows, const tpp_fleet_factors *f,
                       const tpp_fleet_options *opt, double *out, tpp_error *err) {
  sim s;
  int64_t n, i, j, n_draw = 0, *keys = NULL;
  int32_t B, H, G;
  int st = TPP_OK;
  tpp_error_clear(err);
  if (!rows || !f || !opt || !out)
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "rows, factors, options and an output buffer are needed");
  n = rows->n;
  B = f->n_bases;
  H = f->n_chips;
  G = opt->n_groups;
  if (n < 0) return tpp_fail(err, TPP_E_ARG, -1, -1, (double)n, "row count must be >= 0, got %lld", (long long)n);
  if (n > 0 && (!rows->low || !rows->central || !rows->high || !rows->chip))
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "rows need low, central, high and chip columns");
  if (B < 1 || H < 1 || !f->low || !f->central || !f->high)
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN,
                    "factors need n_bases >= 1, n_chips >= 1 and low, central, high columns");
  if (G < 1) return tpp_fail(err, TPP_E_ARG, -1, -1, G, "n_groups must be >= 1, got %d", (int)G);
  if (opt->draws < 1) return tpp_fail(err, TPP_E_ARG, -1, -1, (double)opt->draws,
                                      "draws must be >= 1, got %lld", (long long)opt->draws);
  ensure_table();
  memset(&s, 0, sizeof s);
  s.rows = rows;
  s.f = f;
  s.opt = opt;
  s.out = out;
  s.vector = use_vector();
  s.row_dist = (tpp_dist *)tpp_alloc((size_t)(n > 0 ? n : 1) * sizeof(tpp_dist));
  s.factor_dist = (tpp_dist *)tpp_alloc((size_t)B * H * sizeof(tpp_dist));
  s.factor_slot = (int32_t *)tpp_alloc((size_t)B * H * sizeof(int32_t));
  s.uncertain = (int32_t *)tpp_alloc((size_t)B * H * sizeof(int32_t));
  keys = (int64_t *)tpp_alloc((size_t)(n > 0 ? n : 1) * 2 * sizeof(int64_t));
  s.order = (int64_t *)tpp_alloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
  s.cells = (cell *)tpp_alloc((size_t)(n > 0 ? n : 1) * sizeof(cell));
  if (!s.row_dist || !s.factor_dist || !s.factor_slot || !s.uncertain || !keys || !s.order || !s.cells) {
    st = tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory for a fleet of %lld rows", (long long)n);
    goto done;
  }
  /* factors: NaN central = unknown; otherwise a point or a quantile triple */
  for (i = 0; i < (int64_t)B * H; i++) {
    double lo = f->low[i], c = f->central[i], hi = f->high[i];
    s.factor_slot[i] = -1;
    if (isnan(c)) continue;
    st = tpp_dist_fit(TPP_DIST_QUANTILES, lo, c, hi, opt_coverage(f->coverage, i), &s.factor_dist[i], err);
    if (st != TPP_OK) {
      char msg[sizeof err->message];
      memcpy(msg, err->message, sizeof msg);
      tpp_fail(err, st, -1, -1, err->value, "factor of basis %d, chip %d: %s", (int)(i / H) + 1,
               (int)(i % H) + 1, msg);
      goto done;
    }
    if (s.factor_dist[i].kind != TPP_DIST_POINT) {
      s.factor_slot[i] = s.n_uncertain;
      s.uncertain[s.n_uncertain++] = (int32_t)i;
    }
  }
  for (i = 0; i < n; i++) {
    int32_t g = rows->group ? rows->group[i] : 0, h = rows->chip[i];
    if (g < 0 || g >= G) {
      st = tpp_fail(err, TPP_E_ARG, i, -1, g, "row %lld: group %d outside 0..%d", (long long)i + 1, (int)g,
                    (int)G - 1);
      goto done;
    }
    if (h < 0 || h >= H) {
      st = tpp_fail(err, TPP_E_ARG, i, -1, h, "row %lld: chip %d outside 0..%d", (long long)i + 1, (int)h,
                    (int)H - 1);
      goto done;
    }
    st = fit_row(rows, i, &s.row_dist[i], err);
    if (st != TPP_OK) goto done;
    keys[2 * i] = (int64_t)g * H + h;
    keys[2 * i + 1] = i;
  }
  qsort(keys, (size_t)n, 2 * sizeof(int64_t), key_compare);
  /* cells: runs of one (group, chip); point rows fold into point_sum */
  for (i = 0; i < n; i = j) {
    cell *ce = &s.cells[s.n_cells++];
    ce->group = (int32_t)(keys[2 * i] / H);
    ce->chip = (int32_t)(keys[2 * i] % H);
    ce->start = n_draw;
    ce->point_sum = 0.0;
    for (j = i; j < n && keys[2 * j] == keys[2 * i]; j++) {
      int64_t r = keys[2 * j + 1];
      if (s.row_dist[r].kind == TPP_DIST_POINT)
        ce->point_sum += s.row_dist[r].central;
      else
        s.order[n_draw++] = r;
    }
    ce->end = n_draw;
  }
  {
    int64_t n_blocks = (opt->draws + BLK - 1) / BLK;
    st = tpp_parallel_for(n_blocks, 1, opt->threads, sim_blocks, &s);
    if (st != TPP_OK) tpp_fail(err, st, -1, -1, NAN, "out of memory for the draws' scratch buffers");
  }
done:
  tpp_free(s.row_dist);
  tpp_free(s.factor_dist);
  tpp_free(s.factor_slot);
  tpp_free(s.uncertain);
  tpp_free(keys);
  tpp_free(s.order);
  tpp_free(s.cells);
  return st;
}

/* ---- summaries of a series of draws ---- */

static void swap_d(double *a, double *b) {
  double t = *a;
  *a = *b;
  *b = t;
}

/* Rearrange x[lo..hi] so that x[k] is the k-th smallest (Hoare selection with
 * a median-of-three pivot). */
static void select_kth(double *x, int64_t lo, int64_t hi, int64_t k) {
  while (hi > lo) {
    int64_t mid = lo + (hi - lo) / 2, i, j;
    double pivot;
    if (x[mid] < x[lo]) swap_d(&x[mid], &x[lo]);
    if (x[hi] < x[lo]) swap_d(&x[hi], &x[lo]);
    if (x[hi] < x[mid]) swap_d(&x[hi], &x[mid]);
    pivot = x[mid];
    i = lo;
    j = hi;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) {
        swap_d(&x[i], &x[j]);
        i++;
        j--;
      }
    }
    if (k <= j)
      hi = j;
    else if (k >= i)
      lo = i;
    else
      return;
  }
}


static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

enum { SAMPLE = 1024 };

/* The r-th and (r+1)-th smallest of x[0..n) (0-based), without sorting: two
 * pivots from a sorted sample bracket rank r with overwhelming probability;
 * one pass counts what lies below the lower pivot and gathers what lies
 * between them into buf, where the selection finishes. Returns 0 when the
 * pivots missed (the caller then selects on a full copy). */
static int bracketed_order_stats(const double *x, int64_t n, int64_t r, const double *sample, double *buf,
                                 double *a, double *b) {
  int64_t p = r * SAMPLE / n, m = 4 * 16 + 2; /* a sample rank varies by at most sqrt(SAMPLE / 4) = 16: 4 sd */
  double lo = p - m < 0 ? -INFINITY : sample[p - m];
  double hi = p + m + 1 >= SAMPLE ? INFINITY : sample[p + m + 1];
  int64_t below = 0, nb = 0, i, j;
  for (i = 0; i < n; i++) { /* branch-free: half the draws fall on each side of a median */
    double v = x[i];
    below += v < lo;
    buf[nb] = v;
    nb += (v >= lo) & (v <= hi);
  }
  if (r < below || r >= below + nb) return 0;
  j = r - below;
  select_kth(buf, 0, nb - 1, j);
  *a = buf[j];
  if (r + 1 >= n) {
    *b = *a;
    return 1;
  }
  if (j + 1 >= nb) return 0; /* the next order statistic lies above the upper pivot */
  *b = buf[j + 1];
  for (i = j + 2; i < nb; i++)
    if (buf[i] < *b) *b = buf[i];
  return 1;
}

int tpp_series_summary(const double *x, int64_t n, const double *probs, int32_t k, double threshold,
                       double *quantiles, double *mean, double *p_above, tpp_error *err) {
  double *w, sum = 0.0;
  int64_t i, above = 0;
  int32_t q;
  tpp_error_clear(err);
  if (n < 1 || !x) return tpp_fail(err, TPP_E_ARG, -1, -1, (double)n, "a series of at least one draw is needed");
  if (k < 0 || k > 64 || (k > 0 && (!probs || !quantiles)))
    return tpp_fail(err, TPP_E_ARG, -1, -1, k, "0..64 probabilities and an output for them are needed");
  for (q = 0; q < k; q++)
    if (!(probs[q] >= 0.0 && probs[q] <= 1.0))
      return tpp_fail(err, TPP_E_ARG, -1, -1, probs[q], "probability %d must be in [0, 1], got %g", (int)q + 1,
                      probs[q]);
  for (i = 0; i < n; i++) {
    if (isnan(x[i])) return tpp_fail(err, TPP_E_ARG, i, -1, NAN, "draw %lld is NaN", (long long)i + 1);
    sum += x[i];
    if (x[i] > threshold) above++;
  }
  if (mean) *mean = sum / (double)n;
  if (p_above) *p_above = isnan(threshold) ? NAN : (double)above / (double)n;
  if (k == 0) return TPP_OK;
  w = (double *)tpp_alloc((size_t)n * sizeof(double));
  if (!w) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory");
  /* type 7 (R's default, numpy's linear): h = (n - 1) p, between the order
   * statistics floor(h) and floor(h) + 1. Long series: bracketed by sample
   * pivots (one pass per probability); short ones, or a missed bracket:
   * selection on a full copy, probabilities in increasing order, each
   * searching right of the previous one. */
  {
    double sample[SAMPLE];
    int32_t order[64], i2, j2, copied = 0;
    int64_t floor_done = 0;
    int use_sample = n >= 8 * SAMPLE;
    if (use_sample) {
      for (i = 0; i < SAMPLE; i++) sample[i] = x[i * n / SAMPLE];
      qsort(sample, SAMPLE, sizeof(double), cmp_double);
    }
    for (q = 0; q < k; q++) order[q] = q;
    for (i2 = 1; i2 < k; i2++)
      for (j2 = i2; j2 > 0 && probs[order[j2]] < probs[order[j2 - 1]]; j2--) {
        int32_t t = order[j2];
        order[j2] = order[j2 - 1];
        order[j2 - 1] = t;
      }
    for (i2 = 0; i2 < k; i2++) {
      int32_t qi = order[i2];
      double h = (double)(n - 1) * probs[qi];
      int64_t lo = (int64_t)floor(h);
      double frac = h - (double)lo, a, bv;
      if (lo >= n - 1) {
        lo = n - 1;
        frac = 0.0;
      }
      if (!copied && use_sample && bracketed_order_stats(x, n, lo, sample, w, &a, &bv)) {
        if (frac == 0.0) bv = a;
        quantiles[qi] = a + frac * (bv - a);
        continue;
      }
      if (!copied) {
        memcpy(w, x, (size_t)n * sizeof(double));
        copied = 1;
        floor_done = 0;
      }
      select_kth(w, floor_done, n - 1, lo);
      a = w[lo];
      bv = a;
      if (frac > 0.0) {
        select_kth(w, lo + 1, n - 1, lo + 1);
        bv = w[lo + 1];
      }
      quantiles[qi] = a + frac * (bv - a);
      floor_done = lo;
    }
  }
  tpp_free(w);
  return TPP_OK;
}

int tpp_series_ratio(const double *num, const double *den, int64_t n, double *out, tpp_error *err) {
  int64_t i;
  tpp_error_clear(err);
  if (n < 1 || !num || !den || !out) return tpp_fail(err, TPP_E_ARG, -1, -1, (double)n, "two series of n >= 1 draws and an output are needed");
  for (i = 0; i < n; i++) {
    if (!(den[i] > 0.0))
      return tpp_fail(err, TPP_E_ARG, i, -1, den[i],
                      "draw %lld: the denominator is %g; a ratio needs a total > 0 in every draw",
                      (long long)i + 1, den[i]);
    out[i] = num[i] / den[i];
  }
  return TPP_OK;
}

typedef struct summarize_ctx {
  const double *draws;
  int64_t n_draws;
  const double *probs;
  int32_t k;
  double threshold;
  double *quantiles, *means, *p_above;
} summarize_ctx;

static int summarize_range(void *vctx, int64_t begin, int64_t end, int worker) {
  summarize_ctx *c = (summarize_ctx *)vctx;
  int64_t s;
  (void)worker;
  for (s = begin; s < end; s++) {
    tpp_error e;
    int st = tpp_series_summary(c->draws + s * c->n_draws, c->n_draws, c->probs, c->k, c->threshold,
                                c->quantiles ? c->quantiles + s * c->k : NULL, c->means ? c->means + s : NULL,
                                c->p_above ? c->p_above + s : NULL, &e);
    if (st != TPP_OK) return st;
  }
  return TPP_OK;
}

int tpp_series_summarize(const double *draws, int64_t n_series, int64_t n_draws, const double *probs, int32_t k,
                         double threshold, double *quantiles, double *means, double *p_above, int32_t threads,
                         tpp_error *err) {
  summarize_ctx c;
  int64_t s;
  int st;
  tpp_error_clear(err);
  if (n_series < 0 || n_draws < 1 || !draws)
    return tpp_fail(err, TPP_E_ARG, -1, -1, (double)n_draws, "series of at least one draw are needed");
  if (k < 0 || k > 64 || (k > 0 && (!probs || !quantiles)))
    return tpp_fail(err, TPP_E_ARG, -1, -1, k, "0..64 probabilities and an output for them are needed");
  /* check once here so that a failure names the series */
  for (s = 0; s < n_series; s++) {
    int64_t i;
    const double *x = draws + s * n_draws;
    for (i = 0; i < n_draws; i++)
      if (isnan(x[i]))
        return tpp_fail(err, TPP_E_ARG, s, -1, NAN, "series %lld, draw %lld is NaN", (long long)s + 1,
                        (long long)i + 1);
  }
  {
    int32_t q;
    for (q = 0; q < k; q++)
      if (!(probs[q] >= 0.0 && probs[q] <= 1.0))
        return tpp_fail(err, TPP_E_ARG, -1, -1, probs[q], "probability %d must be in [0, 1], got %g", (int)q + 1,
                        probs[q]);
  }
  c.draws = draws;
  c.n_draws = n_draws;
  c.probs = probs;
  c.k = k;
  c.threshold = threshold;
  c.quantiles = quantiles;
  c.means = means;
  c.p_above = p_above;
  st = tpp_parallel_for(n_series, 1, threads, summarize_range, &c);
  if (st != TPP_OK) return tpp_fail(err, st, -1, -1, NAN, "out of memory summarizing %lld series", (long long)n_series);
  return TPP_OK;
}
