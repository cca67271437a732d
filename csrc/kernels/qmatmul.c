/*
 * qmatmul.c - y[m][n] = x[m][k] . W[n][k]^T with W quantized (q8 or q4, the
 * blocked layout of include/tpp.h) and x quantized per group to int8.
 *
 * For one row block (16 rows of W) and one group g, every path computes
 *   y[t][r] += ws[r][g] * xs[t][g] * sum_{k in g} q_w[r][k] * q_x[t][k]
 * with an exact int32 inner sum, so all paths agree to f32 rounding.
 *
 * AVX-512 VNNI: a 64-byte step holds 4 columns of all 16 rows, so one
 * vpdpbusd with the 4 activation bytes broadcast adds to 16 row sums at once.
 * vpdpbusd multiplies unsigned by signed bytes: q8 weights are flipped to
 * q + 128 (xor 0x80) and q4 nibbles are q + 8; the offset times the group's
 * activation sum is subtracted once per group. One weight load serves a tile
 * of up to 8 tokens (prefill); decode is the 1-token tile.
 * AVX2: vpmaddubsw on |q| and sign-adjusted activations (q8) or nibbles (q4),
 * vpmaddwd to int32; 8 rows per 256-bit half.
 */
#include "kernels.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TPP_X86 1
#include <immintrin.h>
#endif

enum { QB = TPP_QBLOCK_ROWS };

typedef struct qmm_job {
  float *y;
  int64_t ldy;
  const tpp_qact *x;
  const tpp_qgeom *g;
  const uint8_t *data;
  const float *scales;
} qmm_job;

static inline int32_t load_i32(const int8_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* ---- portable scalar path ---- */

static void qmm_block_scalar(const qmm_job *j, int64_t b, int64_t t_begin, int64_t t_end) {
  const tpp_qgeom *g = j->g;
  const tpp_qact *x = j->x;
  const int64_t ng = g->n_groups, G = g->group;
  const int q4 = g->dtype == TPP_DT_Q4;
  const size_t block_bytes = tpp_qgeom_block_bytes(g);
  const uint8_t *wb = j->data + (size_t)b * block_bytes;
  const float *sb = j->scales + b * ng * QB;
  int64_t rows = g->rows - b * QB < QB ? g->rows - b * QB : QB;
  int64_t t, r, grp, c;
  for (t = t_begin; t < t_end; t++) {
    const int8_t *xq = x->q + t * x->cols_padded;
    float out[QB];
    for (r = 0; r < QB; r++) out[r] = 0.0f;
    for (grp = 0; grp < ng; grp++) {
      int32_t isum[QB];
      const uint8_t *wg = wb + (size_t)grp * (size_t)(q4 ? G * 8 : G * 16);
      float xs = x->scale[t * ng + grp];
      for (r = 0; r < QB; r++) isum[r] = 0;
      for (c = 0; c < G; c++) {
        int32_t xv = xq[grp * G + c];
        if (!q4) {
          const int8_t *p = (const int8_t *)wg + (c / 4) * 64 + (c % 4);
          for (r = 0; r < QB; r++) isum[r] += (int32_t)p[r * 4] * xv;
        } else {
          const uint8_t *p = wg + (c / 8) * 64 + (c % 4);
          int shift = (c % 8) >= 4 ? 4 : 0;
          for (r = 0; r < QB; r++) isum[r] += (((int32_t)(p[r * 4] >> shift) & 15) - 8) * xv;
        }
      }
      for (r = 0; r < QB; r++) out[r] += sb[grp * QB + r] * xs * (float)isum[r];
    }
    for (r = 0; r < rows; r++) j->y[t * j->ldy + b * QB + r] = out[r];
  }
}

#ifdef TPP_X86

#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma")))
#define AVX2_TARGET __attribute__((target("avx2,fma")))
#define TILE512 8
#define TILE256 4

/* acc += w (16 x 4 unsigned bytes) . the 4 signed activation bytes at p,
 * broadcast from memory. Inline asm because GCC 12 copies every vpdpbusd
 * accumulator through a spare register, which halves the throughput. */
typedef uint32_t __attribute__((may_alias)) tpp_u32_alias;
#define DPBUSD_BCAST(acc, w, p)                                            \
  __asm__("vpdpbusd %2%{1to16%}, %1, %0"                                   \
          : "+v"(acc)                                                      \
          : "v"(w), "m"(*(const tpp_u32_alias *)(const void *)(p)))

/* One tile of NT tokens (t0..t0+NT-1) for one row block. NT is a constant
 * in every expansion, so the accumulators live in registers. The integer
 * accumulators start at -offset * sum(x_group), which removes the unsigned
 * offset of the weights before the conversion to float. */
static inline __attribute__((always_inline)) AVX512_TARGET void tile512(
    const qmm_job *j, int64_t b, int64_t t0, const int NT) {
  const tpp_qgeom *g = j->g;
  const tpp_qact *x = j->x;
  const int64_t ng = g->n_groups, G = g->group, kp = x->cols_padded;
  const int q4 = g->dtype == TPP_DT_Q4;
  const uint8_t *wb = j->data + (size_t)b * tpp_qgeom_block_bytes(g);
  const float *sb = j->scales + b * ng * QB;
  const int64_t rows = g->rows - b * QB < QB ? g->rows - b * QB : QB;
  const __mmask16 mask = (__mmask16)(rows >= QB ? 0xffff : (1u << rows) - 1);
  const __m512i flip = _mm512_set1_epi8((char)0x80);
  const __m512i low4 = _mm512_set1_epi8(0x0f);
  const int32_t offset = q4 ? -8 : -128;
  __m512 accf[TILE512];
  int64_t grp, s;
  int t;
#pragma GCC unroll 8
  for (t = 0; t < NT; t++) accf[t] = _mm512_setzero_ps();
  for (grp = 0; grp < ng; grp++) {
    __m512i acc[TILE512];
    const int8_t *xt[TILE512];
    const int8_t *xp = x->q + t0 * kp + grp * G;
    __m512 ws = _mm512_load_ps(sb + grp * QB);
#pragma GCC unroll 8
    for (t = 0; t < NT; t++) acc[t] = _mm512_set1_epi32(offset * x->sum[(t0 + t) * ng + grp]);
    /* one base pointer per token: addresses are base + 4s, with no chain
     * of dependent adds between the broadcasts of one step */
#pragma GCC unroll 8
    for (t = 0; t < NT; t++) xt[t] = xp + t * kp;
    if (NT == 1 && !q4 && G % 16 == 0) {
      /* decode: one token, so four accumulators break the dpbusd chain */
      const uint8_t *wp = wb + (size_t)(grp * G * 16);
      __m512i b1 = _mm512_setzero_si512(), b2 = _mm512_setzero_si512(), b3 = _mm512_setzero_si512();
      for (s = 0; s < G / 4; s += 4) {
        __m512i w0 = _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64)), flip);
        __m512i w1 = _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64 + 64)), flip);
        __m512i w2 = _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64 + 128)), flip);
        __m512i w3 = _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64 + 192)), flip);
        DPBUSD_BCAST(acc[0], w0, xt[0] + 4 * s);
        DPBUSD_BCAST(b1, w1, xt[0] + 4 * s + 4);
        DPBUSD_BCAST(b2, w2, xt[0] + 4 * s + 8);
        DPBUSD_BCAST(b3, w3, xt[0] + 4 * s + 12);
      }
      acc[0] = _mm512_add_epi32(_mm512_add_epi32(acc[0], b1), _mm512_add_epi32(b2, b3));
    } else if (NT == 1 && q4 && G % 16 == 0) {
      const uint8_t *wp = wb + (size_t)(grp * G * 8);
      __m512i b1 = _mm512_setzero_si512(), b2 = _mm512_setzero_si512(), b3 = _mm512_setzero_si512();
      for (s = 0; s < G / 8; s += 2) {
        __m512i r0 = _mm512_load_si512((const void *)(wp + s * 64));
        __m512i r1 = _mm512_load_si512((const void *)(wp + s * 64 + 64));
        DPBUSD_BCAST(acc[0], _mm512_and_si512(r0, low4), xt[0] + 8 * s);
        DPBUSD_BCAST(b1, _mm512_and_si512(_mm512_srli_epi16(r0, 4), low4), xt[0] + 8 * s + 4);
        DPBUSD_BCAST(b2, _mm512_and_si512(r1, low4), xt[0] + 8 * s + 8);
        DPBUSD_BCAST(b3, _mm512_and_si512(_mm512_srli_epi16(r1, 4), low4), xt[0] + 8 * s + 12);
      }
      acc[0] = _mm512_add_epi32(_mm512_add_epi32(acc[0], b1), _mm512_add_epi32(b2, b3));
    } else if (!q4) {
      const uint8_t *wp = wb + (size_t)(grp * G * 16);
      for (s = 0; s < G / 4; s++) {
        __m512i w = _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64)), flip);
#pragma GCC unroll 8
        for (t = 0; t < NT; t++) DPBUSD_BCAST(acc[t], w, xt[t] + 4 * s);
      }
    } else {
      const uint8_t *wp = wb + (size_t)(grp * G * 8);
      for (s = 0; s < G / 8; s++) {
        __m512i raw = _mm512_load_si512((const void *)(wp + s * 64));
        __m512i lo = _mm512_and_si512(raw, low4);
        __m512i hi = _mm512_and_si512(_mm512_srli_epi16(raw, 4), low4);
#pragma GCC unroll 8
        for (t = 0; t < NT; t++) {
          DPBUSD_BCAST(acc[t], lo, xt[t] + 8 * s);
          DPBUSD_BCAST(acc[t], hi, xt[t] + 8 * s + 4);
        }
      }
    }
#pragma GCC unroll 8
    for (t = 0; t < NT; t++) {
      __m512 scale = _mm512_mul_ps(ws, _mm512_set1_ps(x->scale[(t0 + t) * ng + grp]));
      accf[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[t]), scale, accf[t]);
    }
  }
#pragma GCC unroll 8
  for (t = 0; t < NT; t++) _mm512_mask_storeu_ps(j->y + (t0 + t) * j->ldy + b * QB, mask, accf[t]);
}

AVX512_TARGET static void qmm_block_avx512(const qmm_job *j, int64_t b, int64_t t0, int64_t m) {
  for (; t0 + TILE512 <= m; t0 += TILE512) tile512(j, b, t0, TILE512);
  switch (m - t0) {
    case 7: tile512(j, b, t0, 7); break;
    case 6: tile512(j, b, t0, 6); break;
    case 5: tile512(j, b, t0, 5); break;
    case 4: tile512(j, b, t0, 4); break;
    case 3: tile512(j, b, t0, 3); break;
    case 2: tile512(j, b, t0, 2); break;
    case 1: tile512(j, b, t0, 1); break;
    default: break;
  }
}

/* Decode (one token) over row blocks b0..b1-1 in one pass: the blocks are
 * consecutive in memory, so this is a single sequential stream with no
 * per-block call or setup; four accumulators per group break the dpbusd
 * chain. Needs G % 16 == 0 (true of every model group size). */
AVX512_TARGET static void qmv_avx512(const qmm_job *j, int64_t b0, int64_t b1) {
  const tpp_qgeom *g = j->g;
  const tpp_qact *x = j->x;
  const int64_t ng = g->n_groups, G = g->group;
  const int q4 = g->dtype == TPP_DT_Q4;
  const size_t gbytes = (size_t)(q4 ? G * 8 : G * 16);
  const int32_t offset = q4 ? -8 : -128;
  const __m512i flip = _mm512_set1_epi8((char)0x80);
  const __m512i low4 = _mm512_set1_epi8(0x0f);
  const uint8_t *wp = j->data + (size_t)b0 * (size_t)ng * gbytes;
  const float *sp = j->scales + b0 * ng * QB;
  int64_t b, grp, s;
  for (b = b0; b < b1; b++) {
    __m512 accf = _mm512_setzero_ps();
    const int64_t rows = g->rows - b * QB < QB ? g->rows - b * QB : QB;
    for (grp = 0; grp < ng; grp++, wp += gbytes, sp += QB) {
      const int8_t *xp = x->q + grp * G;
      __m512i a0 = _mm512_set1_epi32(offset * x->sum[grp]), a1 = _mm512_setzero_si512();
      __m512i a2 = _mm512_setzero_si512(), a3 = _mm512_setzero_si512();
      if (!q4) {
        for (s = 0; s < G / 4; s += 4) {
          DPBUSD_BCAST(a0, _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64)), flip), xp + 4 * s);
          DPBUSD_BCAST(a1, _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64 + 64)), flip),
                       xp + 4 * s + 4);
          DPBUSD_BCAST(a2, _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64 + 128)), flip),
                       xp + 4 * s + 8);
          DPBUSD_BCAST(a3, _mm512_xor_si512(_mm512_load_si512((const void *)(wp + s * 64 + 192)), flip),
                       xp + 4 * s + 12);
        }
      } else {
        /* high nibbles stay in place (r ^ lo = 16 * hi): one op instead of a
         * shift and a mask; their sums are 16x and scaled back in float */
        for (s = 0; s < G / 8; s += 2) {
          __m512i r0 = _mm512_load_si512((const void *)(wp + s * 64));
          __m512i r1 = _mm512_load_si512((const void *)(wp + s * 64 + 64));
          __m512i l0 = _mm512_and_si512(r0, low4), l1 = _mm512_and_si512(r1, low4);
          DPBUSD_BCAST(a0, l0, xp + 8 * s);
          DPBUSD_BCAST(a1, _mm512_xor_si512(r0, l0), xp + 8 * s + 4);
          DPBUSD_BCAST(a2, l1, xp + 8 * s + 8);
          DPBUSD_BCAST(a3, _mm512_xor_si512(r1, l1), xp + 8 * s + 12);
        }
        a0 = _mm512_add_epi32(a0, a2);
        a1 = _mm512_add_epi32(a1, a3);
        accf = _mm512_fmadd_ps(
            _mm512_fmadd_ps(_mm512_cvtepi32_ps(a1), _mm512_set1_ps(1.0f / 16.0f), _mm512_cvtepi32_ps(a0)),
            _mm512_mul_ps(_mm512_load_ps(sp), _mm512_set1_ps(x->scale[grp])), accf);
        continue;
      }
      a0 = _mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3));
      accf = _mm512_fmadd_ps(_mm512_cvtepi32_ps(a0),
                             _mm512_mul_ps(_mm512_load_ps(sp), _mm512_set1_ps(x->scale[grp])), accf);
    }
    _mm512_mask_storeu_ps(j->y + b * QB, (__mmask16)(rows >= QB ? 0xffff : (1u << rows) - 1), accf);
  }
}

static inline __attribute__((always_inline)) AVX2_TARGET void tile256(
    const qmm_job *j, int64_t b, int64_t t0, const int NT) {
  const tpp_qgeom *g = j->g;
  const tpp_qact *x = j->x;
  const int64_t ng = g->n_groups, G = g->group, kp = x->cols_padded;
  const int q4 = g->dtype == TPP_DT_Q4;
  const uint8_t *wb = j->data + (size_t)b * tpp_qgeom_block_bytes(g);
  const float *sb = j->scales + b * ng * QB;
  const int64_t rows = g->rows - b * QB < QB ? g->rows - b * QB : QB;
  const __m256i ones = _mm256_set1_epi16(1);
  const __m256i low4 = _mm256_set1_epi8(0x0f);
  __m256 accf[TILE256][2];
  int64_t grp, s;
  int t;
#pragma GCC unroll 4
  for (t = 0; t < NT; t++) accf[t][0] = accf[t][1] = _mm256_setzero_ps();
  for (grp = 0; grp < ng; grp++) {
    __m256i acc[TILE256][2];
    const int8_t *xp = x->q + t0 * kp + grp * G;
    __m256 ws0 = _mm256_load_ps(sb + grp * QB), ws1 = _mm256_load_ps(sb + grp * QB + 8);
#pragma GCC unroll 4
    for (t = 0; t < NT; t++) acc[t][0] = acc[t][1] = _mm256_setzero_si256();
    if (!q4) {
      const uint8_t *wp = wb + (size_t)(grp * G * 16);
      for (s = 0; s < G / 4; s++) {
        __m256i w0 = _mm256_load_si256((const __m256i *)(wp + s * 64));
        __m256i w1 = _mm256_load_si256((const __m256i *)(wp + s * 64 + 32));
        __m256i a0 = _mm256_abs_epi8(w0), a1 = _mm256_abs_epi8(w1);
#pragma GCC unroll 4
        for (t = 0; t < NT; t++) {
          __m256i xb = _mm256_set1_epi32(load_i32(xp + t * kp + 4 * s));
          __m256i p0 = _mm256_maddubs_epi16(a0, _mm256_sign_epi8(xb, w0));
          __m256i p1 = _mm256_maddubs_epi16(a1, _mm256_sign_epi8(xb, w1));
          acc[t][0] = _mm256_add_epi32(acc[t][0], _mm256_madd_epi16(p0, ones));
          acc[t][1] = _mm256_add_epi32(acc[t][1], _mm256_madd_epi16(p1, ones));
        }
      }
    } else {
      const uint8_t *wp = wb + (size_t)(grp * G * 8);
      for (s = 0; s < G / 8; s++) {
        __m256i r0 = _mm256_load_si256((const __m256i *)(wp + s * 64));
        __m256i r1 = _mm256_load_si256((const __m256i *)(wp + s * 64 + 32));
        __m256i lo0 = _mm256_and_si256(r0, low4), hi0 = _mm256_and_si256(_mm256_srli_epi16(r0, 4), low4);
        __m256i lo1 = _mm256_and_si256(r1, low4), hi1 = _mm256_and_si256(_mm256_srli_epi16(r1, 4), low4);
#pragma GCC unroll 4
        for (t = 0; t < NT; t++) {
          __m256i xa = _mm256_set1_epi32(load_i32(xp + t * kp + 8 * s));
          __m256i xb = _mm256_set1_epi32(load_i32(xp + t * kp + 8 * s + 4));
          __m256i p0 = _mm256_add_epi16(_mm256_maddubs_epi16(lo0, xa), _mm256_maddubs_epi16(hi0, xb));
          __m256i p1 = _mm256_add_epi16(_mm256_maddubs_epi16(lo1, xa), _mm256_maddubs_epi16(hi1, xb));
          acc[t][0] = _mm256_add_epi32(acc[t][0], _mm256_madd_epi16(p0, ones));
          acc[t][1] = _mm256_add_epi32(acc[t][1], _mm256_madd_epi16(p1, ones));
        }
      }
    }
#pragma GCC unroll 4
    for (t = 0; t < NT; t++) {
      int64_t ti = (t0 + t) * ng + grp;
      __m256i fix = _mm256_set1_epi32((q4 ? 8 : 0) * x->sum[ti]);
      __m256 xs = _mm256_set1_ps(x->scale[ti]);
      accf[t][0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(acc[t][0], fix)),
                                   _mm256_mul_ps(ws0, xs), accf[t][0]);
      accf[t][1] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(acc[t][1], fix)),
                                   _mm256_mul_ps(ws1, xs), accf[t][1]);
    }
  }
#pragma GCC unroll 4
  for (t = 0; t < NT; t++) {
    float *yp = j->y + (t0 + t) * j->ldy + b * QB;
    if (rows == QB) {
      _mm256_storeu_ps(yp, accf[t][0]);
      _mm256_storeu_ps(yp + 8, accf[t][1]);
    } else {
      float tmp[QB];
      int64_t r;
      _mm256_storeu_ps(tmp, accf[t][0]);
      _mm256_storeu_ps(tmp + 8, accf[t][1]);
      for (r = 0; r < rows; r++) yp[r] = tmp[r];
    }
  }
}

AVX2_TARGET static void qmm_block_avx2(const qmm_job *j, int64_t b, int64_t t0, int64_t m) {
  for (; t0 + TILE256 <= m; t0 += TILE256) tile256(j, b, t0, TILE256);
  switch (m - t0) {
    case 3: tile256(j, b, t0, 3); break;
    case 2: tile256(j, b, t0, 2); break;
    case 1: tile256(j, b, t0, 1); break;
    default: break;
  }
}

#endif /* TPP_X86 */

/* Rows t_begin..t_end-1 of x against row block b of W. */
typedef void (*qmm_block_fn)(const qmm_job *j, int64_t b, int64_t t_begin, int64_t t_end);

typedef struct qmm_ctx {
  qmm_job job;
  qmm_block_fn fn;
  int64_t panel; /* tokens whose activations stay in L2 while the blocks pass */
  int decode;    /* one token on AVX-512: the single-stream decode loop */
} qmm_ctx;

/* Row blocks begin..end-1 for every token: token panels outside, row blocks
 * inside, so a panel's activations stay in L2 and a block's weights in L1
 * across the panel's tiles. */
static int qmm_range(void *ctx, int64_t begin, int64_t end, int worker) {
  const qmm_ctx *c = (const qmm_ctx *)ctx;
  int64_t b, t0, m = c->job.x->m;
  (void)worker;
#ifdef TPP_X86
  if (c->decode) {
    qmv_avx512(&c->job, begin, end);
    return TPP_OK;
  }
#endif
  for (t0 = 0; t0 < m; t0 += c->panel) {
    int64_t t1 = t0 + c->panel < m ? t0 + c->panel : m;
    for (b = begin; b < end; b++) c->fn(&c->job, b, t0, t1);
  }
  return TPP_OK;
}

void tpp_qmatmul(float *y, int64_t ldy, const tpp_qact *x, const tpp_qgeom *g,
                 const uint8_t *data, const float *scales) {
  qmm_ctx c;
  int64_t blocks = g->rows_padded / QB;
  int64_t work_per_block = x->m * QB * g->cols_padded;
  int64_t min_blocks = work_per_block > 0 ? (1 << 16) / work_per_block + 1 : 1;
  c.job.y = y;
  c.job.ldy = ldy;
  c.job.x = x;
  c.job.g = g;
  c.job.data = data;
  c.job.scales = scales;
  c.fn = qmm_block_scalar;
  /* about 256 KiB of int8 activations per panel, a multiple of the tile */
  c.panel = ((int64_t)(256 * 1024) / (x->cols_padded > 0 ? x->cols_padded : 1)) / 8 * 8;
  if (c.panel < 8) c.panel = 8;
  c.decode = 0;
#ifdef TPP_X86
  c.decode = tpp_isa_level() == TPP_ISA_AVX512 && x->m == 1 && g->group % 16 == 0;
  switch (tpp_isa_level()) {
    case TPP_ISA_AVX512: c.fn = qmm_block_avx512; break;
    case TPP_ISA_AVX2: c.fn = qmm_block_avx2; break;
    default: break;
  }
#endif
  tpp_parallel_for(blocks, min_blocks, 0, qmm_range, &c);
}
