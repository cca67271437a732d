/*
 * kernels.h - pointer-level kernels shared by tensor.c, model.c and the
 * tensor-level API (csrc/kernels/api.c). Not part of the public header.
 *
 * Conventions (llama2.c order): output first, then inputs, then sizes.
 * Matrices are row-major; `ld*` is a row stride in elements. Kernels never
 * allocate and never call OpenBLAS from inside a tpp parallel region.
 */
#ifndef TPP_KERNELS_H
#define TPP_KERNELS_H

#include "internal.h"

#include <stdint.h>

/* ---- random numbers: tpp_rng_u64 / tpp_rng_f64 live in internal.h ---- */

/* run.c's random_f32: (u32 >> 8) / 2^24 with u32 = product >> 32. */
static inline float tpp_rng_f32(uint64_t *state) {
  return (float)(tpp_rng_u64(state) >> 40) / 16777216.0f;
}

/* A non-zero state from any seed (splitmix64 finaliser). */
uint64_t tpp_rng_seed(uint64_t seed);

/* ---- instruction-set dispatch ---- */

int tpp_isa_level(void); /* tpp_isa_active(), cached */

/* ---- quantized matrices (blocked layout, see include/tpp.h) ---- */

typedef struct tpp_qgeom {
  int32_t dtype;        /* TPP_DT_Q8 or TPP_DT_Q4 */
  int32_t group;        /* G */
  int64_t rows, cols;   /* logical [rows][cols] */
  int64_t rows_padded;  /* R = 16 * ceil(rows / 16) */
  int64_t cols_padded;  /* Kp = G * ceil(cols / G) */
  int64_t n_groups;     /* Kp / G */
  size_t data_bytes;    /* R * Kp (q8) or R * Kp / 2 (q4) */
  size_t scale_bytes;   /* R * ng * 4 */
} tpp_qgeom;

int tpp_qgeom_init(tpp_qgeom *g, int dtype, int64_t rows, int64_t cols, int32_t group,
                   tpp_error *err);
/* Bytes of one row block ([16][Kp] quantized). */
size_t tpp_qgeom_block_bytes(const tpp_qgeom *g);
/* Fill data/scales as an all-zero matrix (q4 nibbles 8). */
void tpp_q_clear(const tpp_qgeom *g, uint8_t *data, float *scales);
/* Quantize row `row` from x[cols] (f32). */
void tpp_q_set_row_f32(const tpp_qgeom *g, uint8_t *data, float *scales, int64_t row,
                       const float *x);
/* Store an already quantized row: q[cols] in [-127,127] (q8) or [-8,7] (q4),
 * group_scales[ceil(cols / G)]. */
void tpp_q_set_row_q(const tpp_qgeom *g, uint8_t *data, float *scales, int64_t row,
                     const int8_t *q, const float *group_scales);
/* Read back row `row`: as f32 values, or as integers and group scales. */
void tpp_q_get_row_f32(const tpp_qgeom *g, const uint8_t *data, const float *scales,
                       int64_t row, float *out);
void tpp_q_get_row_q(const tpp_qgeom *g, const uint8_t *data, const float *scales,
                     int64_t row, int8_t *q, float *group_scales);
/* One element, dequantized. */
float tpp_q_get(const tpp_qgeom *g, const uint8_t *data, const float *scales, int64_t row,
                int64_t col);
/* Symmetric quantization of n values to q[n] with max level qmax (127 or 7);
 * returns the scale (0 for an all-zero group). */
float tpp_quantize_group(int8_t *q, const float *x, int64_t n, int qmax);

/* Activations quantized per group of G to int8 (scale = max|x| / 127), with
 * the per-group sums of q the integer kernels use for their offset fix-up. */
typedef struct tpp_qact {
  int8_t *q;            /* [m][cols_padded], padding 0 */
  float *scale;         /* [m][n_groups] */
  int32_t *sum;         /* [m][n_groups] */
  int64_t m, cols, cols_padded, n_groups;
  int32_t group;
} tpp_qact;

/* Bytes of workspace tpp_qact_init needs for m rows of cols. */
size_t tpp_qact_bytes(int64_t m, int64_t cols, int32_t group);
/* Lay out a qact over workspace (64-byte aligned, tpp_qact_bytes long). */
void tpp_qact_init(tpp_qact *a, void *workspace, int64_t m, int64_t cols, int32_t group);
/* a = quantize(x[m][cols]) (row stride ldx); threads over rows when large. */
void tpp_qact_quantize(tpp_qact *a, const float *x, int64_t ldx);

/* y[m][n] = x . W^T for W [n][k] q8/q4 in the blocked layout; x quantized with
 * W's group size; y row stride ldy; threads over row blocks of W. */
void tpp_qmatmul(float *y, int64_t ldy, const tpp_qact *x, const tpp_qgeom *g,
                 const uint8_t *data, const float *scales);

/* ---- f32 products ---- */

/* y[n] = W[n][k] . x[k], W rows ldw apart; tpp's own bandwidth-bound kernel,
 * threaded over rows. */
void tpp_matvec_f32(float *y, const float *w, int64_t ldw, const float *x, int64_t n,
                    int64_t k);
/* y[m][n] (ldy) = x[m][k] (ldx) . W[n][k]^T (ldw): matvec when m == 1, else
 * cblas_sgemm. Fails only when a size does not fit OpenBLAS's int. */
int tpp_linear_f32(float *y, int64_t ldy, const float *x, int64_t ldx, const float *w,
                   int64_t ldw, int64_t m, int64_t n, int64_t k, tpp_error *err);

/* ---- element-wise and reductions (one row) ---- */

void tpp_rmsnorm_f32(float *out, const float *x, const float *w, int64_t n, float eps);
void tpp_softmax_f32(float *x, int64_t n);
void tpp_silu_f32(float *x, int64_t n);
void tpp_swiglu_f32(float *out, const float *gate, const float *up, int64_t n);
int64_t tpp_argmax_f32(const float *x, int64_t n);
/* cs[hs/2][2] = cos, sin of pos * theta^(-2i/hs): the rotation of pair i. */
void tpp_rope_table(float *cs, int64_t pos, int32_t head_size, double theta);
/* Rotate x[d] (d a multiple of head_size) pair by pair with table cs. */
void tpp_rope_apply(float *x, int64_t d, int32_t head_size, const float *cs);
float tpp_dot_f32(const float *a, const float *b, int64_t n);
void tpp_axpy_f32(float *y, float a, const float *x, int64_t n); /* y += a x */

/* ---- attention ---- */

typedef struct tpp_attn {
  float *out;           /* [T][ldo], head h at columns h*hs.. */
  int64_t ldo;
  const float *q;       /* [T][ldq] */
  int64_t ldq;
  const float *k, *v;   /* [S][ldkv], kv head g at columns g*hs.. */
  int64_t ldkv;
  int64_t pos, T;       /* query t is at position pos + t */
  int32_t n_heads, n_kv_heads, head_size;
  float *scratch;       /* [tpp_get_threads()][pos + T] scores */
} tpp_attn;

void tpp_attention_f32(const tpp_attn *a);

#endif
