/*
 * tensor.c - reference-counted tensors over 64-byte aligned memory: float
 * dtypes (f32, f16, bf16) with shape and strides, views sharing storage, and
 * quantized matrices (q8, q4) in the blocked layout of include/tpp.h.
 */
#include "kernels/kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest tensor accepted: 2^40 elements (4 TiB of f32) - beyond any machine
 * tpp runs on, small enough that byte counts never overflow. */
#define TPP_MAX_NUMEL (INT64_C(1) << 40)

static const char *const dtype_names[TPP_DT_COUNT] = {"f32", "f16", "bf16", "q8", "q4"};

const char *tpp_dtype_name(int dtype) {
  return dtype >= 0 && dtype < TPP_DT_COUNT ? dtype_names[dtype] : "?";
}

int tpp_dtype_from_name(const char *name) {
  int i;
  if (!name) return -1;
  for (i = 0; i < TPP_DT_COUNT; i++)
    if (strcmp(name, dtype_names[i]) == 0) return i;
  if (strcmp(name, "int8") == 0) return TPP_DT_Q8;
  if (strcmp(name, "int4") == 0) return TPP_DT_Q4;
  if (strcmp(name, "fp32") == 0) return TPP_DT_F32;
  if (strcmp(name, "fp16") == 0) return TPP_DT_F16;
  return -1;
}

size_t tpp_dtype_size(int dtype) {
  switch (dtype) {
    case TPP_DT_F32: return 4;
    case TPP_DT_F16:
    case TPP_DT_BF16: return 2;
    default: return 0;
  }
}

static int is_quant(int dtype) {
  return dtype == TPP_DT_Q8 || dtype == TPP_DT_Q4;
}

static int is_float(int dtype) {
  return dtype == TPP_DT_F32 || dtype == TPP_DT_F16 || dtype == TPP_DT_BF16;
}

/* ---- f16 / bf16 ---- */

static uint32_t f32_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static float bits_f32(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

float tpp_f16_to_f32(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t man = h & 0x3ff;
  if (exp == 0) {
    /* zero or subnormal: man * 2^-24 */
    float v = (float)man * (1.0f / 16777216.0f);
    return sign ? -v : v;
  }
  if (exp == 31) return bits_f32(sign | 0x7f800000u | (man << 13));
  return bits_f32(sign | ((exp + 112) << 23) | (man << 13));
}

uint16_t tpp_f32_to_f16(float f) {
  uint32_t u = f32_bits(f);
  uint32_t sign = (u >> 16) & 0x8000;
  uint32_t abs = u & 0x7fffffffu;
  if (abs >= 0x7f800000u) /* inf or nan (keep nan quiet and non-zero) */
    return (uint16_t)(sign | 0x7c00 | (abs > 0x7f800000u ? 0x200 | ((abs >> 13) & 0x3ff) : 0));
  if (abs >= 0x477ff000u) return (uint16_t)(sign | 0x7c00); /* rounds to >= 65520: inf */
  if (abs < 0x38800000u) {
    /* below the smallest normal 2^-14: subnormal, value = m * 2^-24 */
    float a = bits_f32(abs);
    float m = a * 16777216.0f; /* exact */
    uint32_t q = (uint32_t)m;
    float rem = m - (float)q;
    if (rem > 0.5f || (rem == 0.5f && (q & 1))) q++;
    return (uint16_t)(sign | q);
  }
  {
    uint32_t mant = abs & 0x7fffff;
    uint32_t exp = (abs >> 23) - 112;
    uint32_t h = (exp << 10) | (mant >> 13);
    uint32_t rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) h++; /* carry may bump the exponent */
    return (uint16_t)(sign | h);
  }
}

float tpp_bf16_to_f32(uint16_t h) {
  return bits_f32((uint32_t)h << 16);
}

uint16_t tpp_f32_to_bf16(float f) {
  uint32_t u = f32_bits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40); /* quiet nan */
  u += 0x7fff + ((u >> 16) & 1);
  return (uint16_t)(u >> 16);
}

/* ---- construction ---- */

static tpp_tensor *header_new(tpp_error *err) {
  tpp_tensor *t = (tpp_tensor *)calloc(1, sizeof(tpp_tensor));
  if (!t) tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory allocating a tensor header");
  return t;
}

static int check_shape(int32_t ndim, const int64_t *shape, int64_t *numel, tpp_error *err) {
  int32_t i;
  int64_t n = 1;
  if (ndim < 1 || ndim > TPP_TENSOR_MAX_DIMS)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, ndim,
                    "a tensor has 1 to %d dimensions, got %d", TPP_TENSOR_MAX_DIMS, (int)ndim);
  if (!shape) return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "shape is missing");
  for (i = 0; i < ndim; i++) {
    if (shape[i] < 1)
      return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)shape[i],
                      "shape[%d] = %lld: every dimension must be >= 1", (int)i + 1,
                      (long long)shape[i]);
    if (shape[i] > TPP_MAX_NUMEL || n > TPP_MAX_NUMEL / shape[i])
      return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)shape[i],
                      "shape[%d] = %lld makes the tensor larger than 2^40 elements",
                      (int)i + 1, (long long)shape[i]);
    n *= shape[i];
  }
  *numel = n;
  return TPP_OK;
}

static void set_contiguous(tpp_tensor *t) {
  int32_t i;
  int64_t s = 1;
  for (i = TPP_TENSOR_MAX_DIMS - 1; i >= 0; i--) {
    if (i >= t->ndim) {
      t->shape[i] = 1;
      t->stride[i] = 1;
      continue;
    }
    t->stride[i] = s;
    s *= t->shape[i];
  }
}

static int quant_geom(const tpp_tensor *t, tpp_qgeom *g, tpp_error *err) {
  int64_t rows = t->ndim == 2 ? t->shape[0] : 1;
  int64_t cols = t->ndim == 2 ? t->shape[1] : t->shape[0];
  return tpp_qgeom_init(g, t->dtype, rows, cols, t->group_size, err);
}

tpp_tensor *tpp_tensor_new(int dtype, int32_t ndim, const int64_t *shape,
                           int32_t group_size, tpp_error *err) {
  tpp_tensor *t;
  int64_t numel;
  int32_t i;
  if (dtype < 0 || dtype >= TPP_DT_COUNT) {
    tpp_fail(err, TPP_E_UNKNOWN, -1, -1, dtype,
             "dtype %d is not one of f32, f16, bf16, q8, q4", dtype);
    return NULL;
  }
  if (check_shape(ndim, shape, &numel, err) != TPP_OK) return NULL;
  if (is_quant(dtype) && ndim > 2) {
    tpp_fail(err, TPP_E_SHAPE, -1, -1, ndim,
             "%s tensors are matrices (1 or 2 dimensions), got %d dimensions",
             tpp_dtype_name(dtype), (int)ndim);
    return NULL;
  }
  t = header_new(err);
  if (!t) return NULL;
  t->dtype = dtype;
  t->ndim = ndim;
  t->numel = numel;
  t->refcount = 1;
  for (i = 0; i < ndim; i++) t->shape[i] = shape[i];
  set_contiguous(t);
  if (is_quant(dtype)) {
    tpp_qgeom g;
    t->group_size = group_size > 0 ? group_size : TPP_QGROUP_DEFAULT;
    if (quant_geom(t, &g, err) != TPP_OK) {
      free(t);
      return NULL;
    }
    t->data_bytes = g.data_bytes;
    t->scale_bytes = g.scale_bytes;
    t->data = tpp_alloc(g.data_bytes);
    t->scales = (float *)tpp_alloc(g.scale_bytes);
    if (!t->data || !t->scales) {
      tpp_free(t->data);
      tpp_free(t->scales);
      free(t);
      tpp_fail(err, TPP_E_NOMEM, -1, -1, (double)g.data_bytes,
               "out of memory allocating a %s tensor (%.0f bytes)", tpp_dtype_name(dtype),
               (double)(g.data_bytes + g.scale_bytes));
      return NULL;
    }
    tpp_q_clear(&g, (uint8_t *)t->data, t->scales);
  } else {
    t->data_bytes = (size_t)numel * tpp_dtype_size(dtype);
    t->data = tpp_alloc(t->data_bytes);
    if (!t->data) {
      free(t);
      tpp_fail(err, TPP_E_NOMEM, -1, -1, (double)numel,
               "out of memory allocating a %s tensor of %lld elements", tpp_dtype_name(dtype),
               (long long)numel);
      return NULL;
    }
    memset(t->data, 0, t->data_bytes);
  }
  return t;
}

static tpp_tensor *root_of(tpp_tensor *t) {
  return t->base ? t->base : t;
}

int64_t tpp_tensor_offset(const tpp_tensor *t) {
  const tpp_tensor *root = t->base ? t->base : t;
  size_t es = tpp_dtype_size(t->dtype);
  if (!es) return 0;
  return (int64_t)(((const char *)t->data - (const char *)root->data) / (ptrdiff_t)es);
}

tpp_tensor *tpp_tensor_view(tpp_tensor *base, int32_t ndim, const int64_t *shape,
                            const int64_t *stride, int64_t offset, tpp_error *err) {
  tpp_tensor *root, *t;
  int64_t numel, capacity, last, start;
  int32_t i;
  size_t es;
  if (!base) {
    tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "view of a missing tensor");
    return NULL;
  }
  if (!is_float(base->dtype)) {
    tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN,
             "views of %s tensors are not supported (quantized matrices are blocked)",
             tpp_dtype_name(base->dtype));
    return NULL;
  }
  if (check_shape(ndim, shape, &numel, err) != TPP_OK) return NULL;
  if (!stride) {
    tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "strides are missing");
    return NULL;
  }
  root = root_of(base);
  es = tpp_dtype_size(base->dtype);
  capacity = (int64_t)(root->data_bytes / es);
  start = tpp_tensor_offset(base);
  if (offset < 0 || offset > capacity - start) {
    tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)offset,
             "view offset %lld is outside the storage (%lld elements from here)",
             (long long)offset, (long long)(capacity - start));
    return NULL;
  }
  last = start + offset;
  for (i = 0; i < ndim; i++) {
    if (stride[i] < 0 || stride[i] > capacity) {
      tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)stride[i],
               "stride[%d] = %lld: strides must be 0..%lld elements", (int)i + 1,
               (long long)stride[i], (long long)capacity);
      return NULL;
    }
    last += (shape[i] - 1) * stride[i];
    if (last >= capacity) break;
  }
  if (last >= capacity) {
    tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)last,
             "the view reaches element %lld but the storage holds %lld", (long long)last + 1,
             (long long)capacity);
    return NULL;
  }
  t = header_new(err);
  if (!t) return NULL;
  t->dtype = base->dtype;
  t->ndim = ndim;
  t->numel = numel;
  t->refcount = 1;
  for (i = 0; i < TPP_TENSOR_MAX_DIMS; i++) {
    t->shape[i] = i < ndim ? shape[i] : 1;
    t->stride[i] = i < ndim ? stride[i] : 1;
  }
  t->data = (char *)root->data + (size_t)(start + offset) * es;
  t->base = tpp_tensor_retain(root);
  return t;
}

tpp_tensor *tpp_tensor_retain(tpp_tensor *t) {
  if (t) __atomic_add_fetch(&t->refcount, 1, __ATOMIC_RELAXED);
  return t;
}

void tpp_tensor_release(tpp_tensor *t) {
  if (!t) return;
  if (__atomic_sub_fetch(&t->refcount, 1, __ATOMIC_ACQ_REL) > 0) return;
  if (t->base) {
    tpp_tensor_release(t->base);
  } else {
    tpp_free(t->data);
    tpp_free(t->scales);
  }
  free(t);
}

int tpp_tensor_is_contiguous(const tpp_tensor *t) {
  int32_t i;
  int64_t s = 1;
  if (is_quant(t->dtype)) return 1;
  for (i = t->ndim - 1; i >= 0; i--) {
    if (t->shape[i] != 1 && t->stride[i] != s) return 0;
    s *= t->shape[i];
  }
  return 1;
}

/* ---- element access ---- */

static double load_elem(int dtype, const void *p) {
  switch (dtype) {
    case TPP_DT_F32: return *(const float *)p;
    case TPP_DT_F16: return tpp_f16_to_f32(*(const uint16_t *)p);
    default: return tpp_bf16_to_f32(*(const uint16_t *)p);
  }
}

static void store_elem(int dtype, void *p, double v) {
  switch (dtype) {
    case TPP_DT_F32: *(float *)p = (float)v; break;
    case TPP_DT_F16: *(uint16_t *)p = tpp_f32_to_f16((float)v); break;
    default: *(uint16_t *)p = tpp_f32_to_bf16((float)v); break;
  }
}

/* Element offset of row-major flat index i. */
static int64_t flat_offset(const tpp_tensor *t, int64_t i) {
  int32_t d;
  int64_t off = 0;
  for (d = t->ndim - 1; d >= 0; d--) {
    int64_t n = t->shape[d];
    off += (i % n) * t->stride[d];
    i /= n;
  }
  return off;
}

static int check_index(const tpp_tensor *t, const int64_t *index, tpp_error *err) {
  int32_t d;
  if (!index) return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "index is missing");
  for (d = 0; d < t->ndim; d++)
    if (index[d] < 0 || index[d] >= t->shape[d])
      return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)index[d] + 1,
                      "index %d is %lld, expected 1..%lld", (int)d + 1,
                      (long long)index[d] + 1, (long long)t->shape[d]);
  return TPP_OK;
}

static double quant_get(const tpp_tensor *t, int64_t row, int64_t col) {
  tpp_qgeom g;
  quant_geom(t, &g, NULL);
  return tpp_q_get(&g, (const uint8_t *)t->data, t->scales, row, col);
}

int tpp_tensor_get(const tpp_tensor *t, const int64_t *index, double *out, tpp_error *err) {
  int32_t d;
  int64_t off = 0;
  if (check_index(t, index, err) != TPP_OK) return err ? err->code : TPP_E_SHAPE;
  if (is_quant(t->dtype)) {
    *out = t->ndim == 2 ? quant_get(t, index[0], index[1]) : quant_get(t, 0, index[0]);
    return TPP_OK;
  }
  for (d = 0; d < t->ndim; d++) off += index[d] * t->stride[d];
  *out = load_elem(t->dtype, (const char *)t->data + off * (int64_t)tpp_dtype_size(t->dtype));
  return TPP_OK;
}

static int not_settable(const tpp_tensor *t, tpp_error *err) {
  return tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN,
                  "%s tensors are read-only element by element; quantize a float tensor instead",
                  tpp_dtype_name(t->dtype));
}

int tpp_tensor_set(tpp_tensor *t, const int64_t *index, double value, tpp_error *err) {
  int32_t d;
  int64_t off = 0;
  if (is_quant(t->dtype)) return not_settable(t, err);
  if (check_index(t, index, err) != TPP_OK) return err ? err->code : TPP_E_SHAPE;
  for (d = 0; d < t->ndim; d++) off += index[d] * t->stride[d];
  store_elem(t->dtype, (char *)t->data + off * (int64_t)tpp_dtype_size(t->dtype), value);
  return TPP_OK;
}

static int check_flat(const tpp_tensor *t, int64_t i, tpp_error *err) {
  if (i < 0 || i >= t->numel)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)i + 1,
                    "element %lld is outside 1..%lld", (long long)i + 1, (long long)t->numel);
  return TPP_OK;
}

int tpp_tensor_get_flat(const tpp_tensor *t, int64_t i, double *out, tpp_error *err) {
  if (check_flat(t, i, err) != TPP_OK) return TPP_E_SHAPE;
  if (is_quant(t->dtype)) {
    int64_t cols = t->ndim == 2 ? t->shape[1] : t->shape[0];
    *out = quant_get(t, i / cols, i % cols);
    return TPP_OK;
  }
  *out = load_elem(t->dtype,
                   (const char *)t->data + flat_offset(t, i) * (int64_t)tpp_dtype_size(t->dtype));
  return TPP_OK;
}

int tpp_tensor_set_flat(tpp_tensor *t, int64_t i, double value, tpp_error *err) {
  if (is_quant(t->dtype)) return not_settable(t, err);
  if (check_flat(t, i, err) != TPP_OK) return TPP_E_SHAPE;
  store_elem(t->dtype, (char *)t->data + flat_offset(t, i) * (int64_t)tpp_dtype_size(t->dtype),
             value);
  return TPP_OK;
}

int tpp_tensor_read_f64(const tpp_tensor *t, double *out, int64_t n, tpp_error *err) {
  int64_t i;
  if (n != t->numel)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)n,
                    "reading %lld values from a tensor of %lld elements", (long long)n,
                    (long long)t->numel);
  if (t->dtype == TPP_DT_F32 && tpp_tensor_is_contiguous(t)) {
    const float *p = (const float *)t->data;
    for (i = 0; i < n; i++) out[i] = p[i];
    return TPP_OK;
  }
  for (i = 0; i < n; i++) tpp_tensor_get_flat(t, i, &out[i], NULL);
  return TPP_OK;
}

int tpp_tensor_write_f64(tpp_tensor *t, const double *in, int64_t n, tpp_error *err) {
  int64_t i;
  if (is_quant(t->dtype)) return not_settable(t, err);
  if (n != t->numel)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)n,
                    "writing %lld values into a tensor of %lld elements", (long long)n,
                    (long long)t->numel);
  if (t->dtype == TPP_DT_F32 && tpp_tensor_is_contiguous(t)) {
    float *p = (float *)t->data;
    for (i = 0; i < n; i++) p[i] = (float)in[i];
    return TPP_OK;
  }
  for (i = 0; i < n; i++) tpp_tensor_set_flat(t, i, in[i], NULL);
  return TPP_OK;
}

int tpp_tensor_fill(tpp_tensor *t, double value, tpp_error *err) {
  int64_t i;
  if (is_quant(t->dtype)) return not_settable(t, err);
  for (i = 0; i < t->numel; i++)
    store_elem(t->dtype, (char *)t->data + flat_offset(t, i) * (int64_t)tpp_dtype_size(t->dtype),
               value);
  return TPP_OK;
}

uint64_t tpp_rng_seed(uint64_t seed) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return z ? z : 0x2545F4914F6CDD1DULL;
}

int tpp_tensor_fill_random(tpp_tensor *t, uint64_t seed, double lo, double hi, tpp_error *err) {
  uint64_t s = tpp_rng_seed(seed);
  int64_t i;
  if (is_quant(t->dtype)) return not_settable(t, err);
  if (!(lo <= hi) || !isfinite(lo) || !isfinite(hi))
    return tpp_fail(err, TPP_E_ARG, -1, -1, lo, "random range [%g, %g) is not finite and ordered",
                    lo, hi);
  for (i = 0; i < t->numel; i++)
    store_elem(t->dtype, (char *)t->data + flat_offset(t, i) * (int64_t)tpp_dtype_size(t->dtype),
               lo + (hi - lo) * tpp_rng_f64(&s));
  return TPP_OK;
}

static int same_shape(const tpp_tensor *a, const tpp_tensor *b) {
  int32_t d;
  if (a->ndim != b->ndim) return 0;
  for (d = 0; d < a->ndim; d++)
    if (a->shape[d] != b->shape[d]) return 0;
  return 1;
}

static void shape_text(const tpp_tensor *t, char *buf, size_t size) {
  int32_t d;
  size_t used = 0;
  buf[0] = '\0';
  for (d = 0; d < t->ndim && used < size; d++) {
    int n = snprintf(buf + used, size - used, d ? "x%lld" : "%lld", (long long)t->shape[d]);
    if (n < 0) break;
    used += (size_t)n;
  }
}

int tpp_tensor_copy(tpp_tensor *dst, const tpp_tensor *src, tpp_error *err) {
  int64_t i;
  if (is_quant(dst->dtype)) return not_settable(dst, err);
  if (!same_shape(dst, src)) {
    char a[96], b[96];
    shape_text(dst, a, sizeof a);
    shape_text(src, b, sizeof b);
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, NAN, "copy into shape %s from shape %s", a, b);
  }
  if (is_quant(src->dtype)) {
    tpp_qgeom g;
    float *row;
    int64_t r;
    quant_geom(src, &g, NULL);
    row = (float *)tpp_alloc((size_t)g.cols * sizeof(float));
    if (!row) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory dequantizing");
    for (r = 0; r < g.rows; r++) {
      int64_t c;
      tpp_q_get_row_f32(&g, (const uint8_t *)src->data, src->scales, r, row);
      for (c = 0; c < g.cols; c++) {
        int64_t idx = r * g.cols + c;
        store_elem(dst->dtype,
                   (char *)dst->data + flat_offset(dst, idx) * (int64_t)tpp_dtype_size(dst->dtype),
                   row[c]);
      }
    }
    tpp_free(row);
    return TPP_OK;
  }
  if (src->dtype == dst->dtype && tpp_tensor_is_contiguous(src) && tpp_tensor_is_contiguous(dst)) {
    memmove(dst->data, src->data, (size_t)src->numel * tpp_dtype_size(src->dtype));
    return TPP_OK;
  }
  for (i = 0; i < src->numel; i++) {
    double v = load_elem(src->dtype, (const char *)src->data +
                                         flat_offset(src, i) * (int64_t)tpp_dtype_size(src->dtype));
    store_elem(dst->dtype,
               (char *)dst->data + flat_offset(dst, i) * (int64_t)tpp_dtype_size(dst->dtype), v);
  }
  return TPP_OK;
}

tpp_tensor *tpp_tensor_convert(const tpp_tensor *src, int dtype, int32_t group_size,
                               tpp_error *err) {
  tpp_tensor *out;
  if (!src) {
    tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "convert of a missing tensor");
    return NULL;
  }
  if (dtype < 0 || dtype >= TPP_DT_COUNT) {
    tpp_fail(err, TPP_E_UNKNOWN, -1, -1, dtype,
             "dtype %d is not one of f32, f16, bf16, q8, q4", dtype);
    return NULL;
  }
  if (!is_quant(dtype)) {
    out = tpp_tensor_new(dtype, src->ndim, src->shape, 0, err);
    if (!out) return NULL;
    if (tpp_tensor_copy(out, src, err) != TPP_OK) {
      tpp_tensor_release(out);
      return NULL;
    }
    return out;
  }
  if (is_quant(src->dtype)) {
    tpp_fail(err, TPP_E_UNSUPPORTED, -1, -1, NAN,
             "%s -> %s: quantize from a float tensor (dequantize first)",
             tpp_dtype_name(src->dtype), tpp_dtype_name(dtype));
    return NULL;
  }
  if (src->ndim > 2) {
    tpp_fail(err, TPP_E_SHAPE, -1, -1, src->ndim,
             "only 1-D or 2-D tensors can be quantized, got %d dimensions", (int)src->ndim);
    return NULL;
  }
  out = tpp_tensor_new(dtype, src->ndim, src->shape, group_size, err);
  if (!out) return NULL;
  {
    tpp_qgeom g;
    int64_t r, c;
    float *row = (float *)tpp_alloc((size_t)src->shape[src->ndim - 1] * sizeof(float));
    quant_geom(out, &g, NULL);
    if (!row) {
      tpp_tensor_release(out);
      tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory quantizing");
      return NULL;
    }
    for (r = 0; r < g.rows; r++) {
      for (c = 0; c < g.cols; c++) {
        int64_t off = src->ndim == 2 ? r * src->stride[0] + c * src->stride[1] : c * src->stride[0];
        row[c] = (float)load_elem(src->dtype, (const char *)src->data +
                                                  off * (int64_t)tpp_dtype_size(src->dtype));
      }
      tpp_q_set_row_f32(&g, (uint8_t *)out->data, out->scales, r, row);
    }
    tpp_free(row);
  }
  return out;
}
