/*
 * spec.c - the regulatory metrics of a chip: TPP, performance density,
 * 3A991.p processing performance, memory-bandwidth density, H100-equivalents.
 *
 * Definitions follow the Technical Notes to ECCN 3A090 (15 CFR part 774,
 * supp. 1, as amended by 88 FR 73458): TPP = 2 x MacTOPS x bit length, where a
 * datasheet's dense TOPS/TFLOPS figure already is 2 x MacTOPS; the highest
 * value over the supported precisions is the one evaluated; sparsity is never
 * counted; PD = TPP / applicable die area (non-planar logic dies only).
 */
#include "internal.h"

#include <float.h>
#include <math.h>
#include <string.h>

static const char *const precision_names[TPP_PREC_COUNT] = {
    "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp6", "fp4", "int4"};

static const int precision_bits[TPP_PREC_COUNT] = {64, 32, 0, 16, 16,
                                                   8,  8,  6, 4,  4};

/* The H100-equivalent bases: the H100 SXM5's dense figures as tpp's chip
 * database holds them (NVIDIA Hopper architecture whitepaper: 989.4 dense
 * FP16/BF16 TFLOPS, 1,978.9 dense FP8/INT8 TOPS) and its TPP computed from
 * them the way every chip's is (1,978.9 x 8 = 15,831.2), so that 1,000 H100s
 * are exactly 1,000 H100e on every basis. Not the rounded 15,832 quoted in
 * secondary sources (1,979 x 8). spec/metrics_spec.lua checks these against
 * the database entry nv_h100_sxm. */
#define H100_DENSE_8BIT 1978.9
#define H100_DENSE_FP16 989.4
static const double h100e_reference[TPP_H100E_COUNT] = {H100_DENSE_8BIT * 8, H100_DENSE_8BIT,
                                                        H100_DENSE_FP16};
static const char *const h100e_names[TPP_H100E_COUNT] = {"tpp", "8bit", "fp16"};

const char *tpp_precision_name(int precision) {
  if (precision < 0 || precision >= TPP_PREC_COUNT) return NULL;
  return precision_names[precision];
}

int tpp_precision_from_name(const char *name) {
  int p;
  if (!name) return TPP_PREC_NONE;
  for (p = 0; p < TPP_PREC_COUNT; p++)
    if (strcmp(name, precision_names[p]) == 0) return p;
  return TPP_PREC_NONE;
}

int tpp_precision_bits(int precision, int tf32_bits) {
  if (precision < 0 || precision >= TPP_PREC_COUNT) return 0;
  if (precision == TPP_PREC_TF32) return tf32_bits;
  return precision_bits[precision];
}

double tpp_h100e_reference(int basis) {
  if (basis < 0 || basis >= TPP_H100E_COUNT) return NAN;
  return h100e_reference[basis];
}

const char *tpp_h100e_basis_name(int basis) {
  if (basis < 0 || basis >= TPP_H100E_COUNT) return NULL;
  return h100e_names[basis];
}

void tpp_spec_options_init(tpp_spec_options *opt) {
  if (!opt) return;
  opt->tf32_bits = TPP_TF32_EXCLUDED;
  opt->unit_mode = TPP_UNITS_MAX_OF_SUMS;
}

static int check_options(const tpp_spec_options *opt, tpp_error *err) {
  if (opt->tf32_bits != TPP_TF32_EXCLUDED && opt->tf32_bits != TPP_TF32_19 &&
      opt->tf32_bits != TPP_TF32_32)
    return tpp_fail(err, TPP_E_ARG, -1, TPP_FIELD_TF32_BITS, opt->tf32_bits,
                    "got %d, expected 0 (excluded), 19 or 32", opt->tf32_bits);
  if (opt->unit_mode != TPP_UNITS_MAX_OF_SUMS &&
      opt->unit_mode != TPP_UNITS_SUM_OF_MAXES)
    return tpp_fail(err, TPP_E_ARG, -1, TPP_FIELD_UNIT, opt->unit_mode,
                    "unit mode %d, expected 0 (max of sums) or 1 (sum of maxes)",
                    opt->unit_mode);
  return TPP_OK;
}

/* A known input must be finite and non-negative; NaN means unknown. */
static int check_value(double v, int64_t row, int field, tpp_error *err) {
  if (isnan(v)) return TPP_OK;
  if (isinf(v))
    return tpp_fail(err, TPP_E_ARG, row, field, v,
                    "got %s, expected a finite number (leave it out if unknown)",
                    v > 0 ? "inf" : "-inf");
  if (v < 0)
    return tpp_fail(err, TPP_E_ARG, row, field, v,
                    "got %.17g, expected a number >= 0", v);
  return TPP_OK;
}

int tpp_applicable_area(const tpp_die *dies, int32_t n_dies, double *area,
                        int32_t *missing, tpp_error *err) {
  double sum = 0.0;
  int32_t i, first_missing = -1, counted = 0;
  tpp_error_clear(err);
  if (n_dies < 0 || (n_dies > 0 && !dies))
    return tpp_fail(err, TPP_E_ARG, -1, TPP_FIELD_DIE, n_dies,
                    "got %d dies, expected a list of dies", (int)n_dies);
  for (i = 0; i < n_dies; i++) {
    const tpp_die *d = &dies[i];
    if (d->kind != TPP_DIE_LOGIC && d->kind != TPP_DIE_MEMORY &&
        d->kind != TPP_DIE_OTHER)
      return tpp_fail(err, TPP_E_UNKNOWN, -1, TPP_FIELD_DIE, d->kind,
                      "die %d has kind %d, expected logic, memory or other",
                      (int)i + 1, d->kind);
    if (!isnan(d->area_mm2) && (isinf(d->area_mm2) || d->area_mm2 <= 0))
      return tpp_fail(err, TPP_E_ARG, -1, TPP_FIELD_DIE, d->area_mm2,
                      "die %d has area %.17g mm2, expected a finite area > 0 "
                      "(leave it out if unknown)",
                      (int)i + 1, d->area_mm2);
    if (d->kind != TPP_DIE_LOGIC || d->planar) continue;
    counted++;
    if (isnan(d->area_mm2)) {
      if (first_missing < 0) first_missing = i;
      continue;
    }
    sum += d->area_mm2;
  }
  if (missing) *missing = first_missing;
  /* No qualifying die or a qualifying die of unknown size: unknown, not 0. */
  *area = (first_missing >= 0 || counted == 0) ? NAN : sum;
  return TPP_OK;
}

/* Per-row kernel shared by the scalar and the batch path.
 * dense: [TPP_PREC_COUNT] chip-total dense TOPS (NaN = not supported/unknown). */
static void metrics_from_totals(const double *dense, double area,
                                double mem_bw, double mem_area, int tf32_bits,
                                double *tpp_out, int *prec_out, double *pd_out,
                                double *pp_out, double *mbd_out, double *h100e) {
  double tpp = NAN, pp = NAN, best8, best16;
  int p, prec = TPP_PREC_NONE;
  for (p = 0; p < TPP_PREC_COUNT; p++) {
    double v = dense[p], t;
    int bits = (p == TPP_PREC_TF32) ? tf32_bits : precision_bits[p];
    if (isnan(v)) continue;
    if (isnan(pp) || v > pp) pp = v;
    if (bits == 0) continue;
    t = v * bits;
    /* Strictly greater: on a tie the earlier (wider) precision is reported. */
    if (isnan(tpp) || t > tpp) {
      tpp = t;
      prec = p;
    }
  }
  *tpp_out = tpp;
  *prec_out = prec;
  *pd_out = (isnan(tpp) || isnan(area) || area <= 0) ? NAN : tpp / area;
  *pp_out = pp;
  *mbd_out = (isnan(mem_bw) || isnan(mem_area) || mem_area <= 0)
                 ? NAN
                 : mem_bw / mem_area;
  best8 = dense[TPP_PREC_INT8];
  if (isnan(best8) || dense[TPP_PREC_FP8] > best8) best8 = dense[TPP_PREC_FP8];
  best16 = dense[TPP_PREC_FP16];
  if (isnan(best16) || dense[TPP_PREC_BF16] > best16)
    best16 = dense[TPP_PREC_BF16];
  h100e[TPP_H100E_TPP] = tpp / h100e_reference[TPP_H100E_TPP];
  h100e[TPP_H100E_8BIT] = best8 / h100e_reference[TPP_H100E_8BIT];
  h100e[TPP_H100E_FP16] = best16 / h100e_reference[TPP_H100E_FP16];
}

int tpp_chip_metrics(const tpp_chip *chip, const tpp_spec_options *opt_in,
                     tpp_metrics *out, tpp_error *err) {
  tpp_spec_options opt;
  double totals[TPP_PREC_COUNT];
  double area;
  int32_t u, missing = -1;
  int p, rc, prec;
  tpp_error_clear(err);
  if (!chip || !out)
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "chip and output are required");
  if (opt_in)
    opt = *opt_in;
  else
    tpp_spec_options_init(&opt);
  if ((rc = check_options(&opt, err)) != TPP_OK) return rc;
  if (chip->n_units < 1 || !chip->units)
    return tpp_fail(err, TPP_E_ARG, -1, TPP_FIELD_UNIT, chip->n_units,
                    "got %d processing units, expected at least 1",
                    (int)chip->n_units);
  for (u = 0; u < chip->n_units; u++)
    for (p = 0; p < TPP_PREC_COUNT; p++)
      if ((rc = check_value(chip->units[u].dense[p], -1, TPP_FIELD_DENSE + p,
                            err)) != TPP_OK)
        return rc;
  if ((rc = check_value(chip->mem_bw_gbs, -1, TPP_FIELD_MEM_BW, err)) ||
      (rc = check_value(chip->mem_area_mm2, -1, TPP_FIELD_MEM_AREA, err)) ||
      (rc = check_value(chip->interconnect_gbs, -1, TPP_FIELD_INTERCONNECT, err)))
    return rc;
  if (chip->dies && chip->n_dies > 0) {
    if ((rc = tpp_applicable_area(chip->dies, chip->n_dies, &area, &missing,
                                  err)) != TPP_OK)
      return rc;
  } else {
    area = chip->area_mm2;
    if (!isnan(area) && (isinf(area) || area <= 0))
      return tpp_fail(err, TPP_E_ARG, -1, TPP_FIELD_AREA, area,
                      "got %.17g, expected a finite area > 0 in mm2 (leave it "
                      "out if unknown)",
                      area);
  }
  if (!isnan(chip->mem_area_mm2) && chip->mem_area_mm2 <= 0)
    return tpp_fail(err, TPP_E_ARG, -1, TPP_FIELD_MEM_AREA, chip->mem_area_mm2,
                    "got %.17g, expected an area > 0 in mm2", chip->mem_area_mm2);

  /* Per-precision sums over units: unknown in one unit does not hide what the
   * others are known to do, so NaN is skipped and all-NaN stays NaN. */
  for (p = 0; p < TPP_PREC_COUNT; p++) {
    totals[p] = NAN;
    for (u = 0; u < chip->n_units; u++) {
      double v = chip->units[u].dense[p];
      if (isnan(v)) continue;
      totals[p] = isnan(totals[p]) ? v : totals[p] + v;
    }
  }
  metrics_from_totals(totals, area, chip->mem_bw_gbs, chip->mem_area_mm2,
                      opt.tf32_bits, &out->tpp, &prec, &out->pd, &out->pp,
                      &out->mbd, out->h100e);
  out->tpp_precision = prec;
  if (opt.unit_mode == TPP_UNITS_SUM_OF_MAXES && chip->n_units > 1) {
    /* Each unit evaluated at its own best precision, then summed. The
     * reported precision is that of the largest contributor. */
    double sum = NAN, best = -1.0;
    for (u = 0; u < chip->n_units; u++) {
      double t, pdx, ppx, mbdx, h[TPP_H100E_COUNT];
      int pu;
      metrics_from_totals(chip->units[u].dense, NAN, NAN, NAN, opt.tf32_bits,
                          &t, &pu, &pdx, &ppx, &mbdx, h);
      if (isnan(t)) continue;
      sum = isnan(sum) ? t : sum + t;
      if (t > best) {
        best = t;
        out->tpp_precision = pu;
      }
    }
    out->tpp = sum;
    out->pd = (isnan(sum) || isnan(area)) ? NAN : sum / area;
    out->h100e[TPP_H100E_TPP] = sum / h100e_reference[TPP_H100E_TPP];
  }
  out->area_mm2 = area;
  out->missing_die = missing;
  return TPP_OK;
}

/* ---- batch ---- */

typedef struct batch_ctx {
  const tpp_spec_columns *in;
  const tpp_metric_columns *out;
  int tf32_bits;
  tpp_error errs[256];
} batch_ctx;

static double col_at(const double *col, int64_t i) {
  return col ? col[i] : NAN;
}

/* The slow path, taken only when a block holds an invalid value: find the
 * first offending row and field, in row order, and report it. */
static int batch_find_error(const tpp_spec_columns *in, int64_t begin, int64_t end,
                            tpp_error *err) {
  int64_t i;
  for (i = begin; i < end; i++) {
    double area = col_at(in->area_mm2, i), marea = col_at(in->mem_area_mm2, i);
    int p, rc;
    for (p = 0; p < TPP_PREC_COUNT; p++)
      if ((rc = check_value(col_at(in->dense[p], i), i, TPP_FIELD_DENSE + p, err)) != TPP_OK)
        return rc;
    if (!isnan(area) && !(area > 0 && !isinf(area)))
      return tpp_fail(err, TPP_E_ARG, i, TPP_FIELD_AREA, area,
                      "got %.17g, expected a finite area > 0 in mm2", area);
    if ((rc = check_value(col_at(in->mem_bw_gbs, i), i, TPP_FIELD_MEM_BW, err)) != TPP_OK)
      return rc;
    if (!isnan(marea) && !(marea > 0 && !isinf(marea)))
      return tpp_fail(err, TPP_E_ARG, i, TPP_FIELD_MEM_AREA, marea,
                      "got %.17g, expected a finite area > 0 in mm2", marea);
  }
  return tpp_fail(err, TPP_E_ARG, begin, -1, 0, "invalid value in rows %lld..%lld",
                  (long long)begin + 1, (long long)end);
}

/* max that skips unknowns: NaN only when both are NaN */
#define TPP_NANMAX_TAKE(cand, cur) (((cand) > (cur)) | (((cur) != (cur)) & ((cand) == (cand))))

enum { BATCH_BLOCK = 2048 };

/* The batch loops are written to vectorize; build them at -O3 for AVX-512,
 * AVX2 and baseline x86-64, picked at load time (GCC function multiversioning). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define TPP_VECTORIZE __attribute__((optimize("O3"), target_clones("avx512f", "avx2", "default")))
#elif defined(__GNUC__) && !defined(__clang__)
#define TPP_VECTORIZE __attribute__((optimize("O3")))
#else
#define TPP_VECTORIZE
#endif

/* acc[j] = max(acc[j], x[j]) skipping unknowns; acc, x: f64[n] */
TPP_VECTORIZE
static void nanmax_into(double *restrict acc, const double *restrict x, int n) {
  int j;
  for (j = 0; j < n; j++) {
    double v = x[j], cur = acc[j];
    int take = TPP_NANMAX_TAKE(v, cur);
    acc[j] = take ? v : cur;
  }
}

/* Rows [begin, end) in blocks of BATCH_BLOCK. Inner loops run down one column
 * at a time and are branch-free (NaN propagates as "unknown"), so random
 * unknowns cost no mispredictions and the compiler can vectorize them.
 * Columns: dense[p] f64[n] (NULL = all unknown), area/mem f64[n]; outputs f64[n], i8[n]. */
TPP_VECTORIZE
static int batch_range(void *vctx, int64_t begin, int64_t end, int worker) {
  batch_ctx *ctx = (batch_ctx *)vctx;
  const tpp_spec_columns *in = ctx->in;
  const tpp_metric_columns *out = ctx->out;
  double best[BATCH_BLOCK], pp[BATCH_BLOCK], b8[BATCH_BLOCK], b16[BATCH_BLOCK];
  double precd[BATCH_BLOCK]; /* precision index as a double: same lane width as best */
  int8_t prec[BATCH_BLOCK];
  int64_t b0;
  for (b0 = begin; b0 < end; b0 += BATCH_BLOCK) {
    int n = (int)(end - b0 < BATCH_BLOCK ? end - b0 : BATCH_BLOCK);
    int j, p, bad = 0;
    for (j = 0; j < n; j++) {
      best[j] = NAN;
      pp[j] = NAN;
      b8[j] = NAN;
      b16[j] = NAN;
      precd[j] = -1.0;
    }
    for (p = 0; p < TPP_PREC_COUNT; p++) {
      const double *x = in->dense[p];
      double bits, pv = (double)p;
      if (!x) continue;
      x += b0;
      bits = (double)(p == TPP_PREC_TF32 ? ctx->tf32_bits : precision_bits[p]);
      for (j = 0; j < n; j++) bad |= (x[j] < 0) | (x[j] > DBL_MAX);
      if (bits > 0) {
        for (j = 0; j < n; j++) {
          double t = x[j] * bits, cur = best[j];
          int take = TPP_NANMAX_TAKE(t, cur);
          best[j] = take ? t : cur;
          precd[j] = take ? pv : precd[j];
        }
      }
      /* the other maxima only when their outputs are wanted */
      if (out->pp) nanmax_into(pp, x, n);
      if (out->h100e_8bit && (p == TPP_PREC_FP8 || p == TPP_PREC_INT8)) nanmax_into(b8, x, n);
      if (out->h100e_fp16 && (p == TPP_PREC_FP16 || p == TPP_PREC_BF16)) nanmax_into(b16, x, n);
    }
    for (j = 0; j < n; j++) prec[j] = (int8_t)precd[j];
    if (in->area_mm2) {
      const double *a = in->area_mm2 + b0;
      for (j = 0; j < n; j++) bad |= (a[j] <= 0) | (a[j] > DBL_MAX);
    }
    if (in->mem_bw_gbs) {
      const double *a = in->mem_bw_gbs + b0;
      for (j = 0; j < n; j++) bad |= (a[j] < 0) | (a[j] > DBL_MAX);
    }
    if (in->mem_area_mm2) {
      const double *a = in->mem_area_mm2 + b0;
      for (j = 0; j < n; j++) bad |= (a[j] <= 0) | (a[j] > DBL_MAX);
    }
    if (bad) return batch_find_error(in, b0, b0 + n, &ctx->errs[worker]);
    if (out->tpp) memcpy(out->tpp + b0, best, sizeof(double) * (size_t)n);
    if (out->tpp_precision) memcpy(out->tpp_precision + b0, prec, (size_t)n);
    if (out->pp) memcpy(out->pp + b0, pp, sizeof(double) * (size_t)n);
    if (out->pd) {
      double *o = out->pd + b0;
      if (in->area_mm2)
        for (j = 0; j < n; j++) o[j] = best[j] / in->area_mm2[b0 + j];
      else
        for (j = 0; j < n; j++) o[j] = NAN;
    }
    if (out->mbd) {
      double *o = out->mbd + b0;
      if (in->mem_bw_gbs && in->mem_area_mm2)
        for (j = 0; j < n; j++) o[j] = in->mem_bw_gbs[b0 + j] / in->mem_area_mm2[b0 + j];
      else
        for (j = 0; j < n; j++) o[j] = NAN;
    }
    if (out->h100e_tpp)
      for (j = 0; j < n; j++) out->h100e_tpp[b0 + j] = best[j] / h100e_reference[TPP_H100E_TPP];
    if (out->h100e_8bit)
      for (j = 0; j < n; j++) out->h100e_8bit[b0 + j] = b8[j] / h100e_reference[TPP_H100E_8BIT];
    if (out->h100e_fp16)
      for (j = 0; j < n; j++) out->h100e_fp16[b0 + j] = b16[j] / h100e_reference[TPP_H100E_FP16];
  }
  return TPP_OK;
}

int tpp_spec_eval_batch(const tpp_spec_columns *in, const tpp_spec_options *opt_in,
                        const tpp_metric_columns *out, int n_threads,
                        tpp_error *err) {
  batch_ctx ctx;
  tpp_spec_options opt;
  int rc, w, best = -1;
  tpp_error_clear(err);
  if (!in || !out)
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "input and output columns are required");
  if (in->n < 0)
    return tpp_fail(err, TPP_E_SHAPE, -1, -1, (double)in->n,
                    "batch size %lld, expected >= 0", (long long)in->n);
  if (opt_in)
    opt = *opt_in;
  else
    tpp_spec_options_init(&opt);
  if ((rc = check_options(&opt, err)) != TPP_OK) return rc;
  if (opt.unit_mode != TPP_UNITS_MAX_OF_SUMS)
    return tpp_fail(err, TPP_E_UNSUPPORTED, -1, TPP_FIELD_UNIT, opt.unit_mode,
                    "batch columns hold chip totals, so only the max-of-sums "
                    "unit mode applies; use tpp_chip_metrics per chip");
  ctx.in = in;
  ctx.out = out;
  ctx.tf32_bits = opt.tf32_bits;
  if (n_threads > 256) n_threads = 256;
  for (w = 0; w < 256; w++) tpp_error_clear(&ctx.errs[w]);
  rc = tpp_parallel_for(in->n, 65536, n_threads, batch_range, &ctx);
  if (rc == TPP_OK) return TPP_OK;
  /* Report the lowest failing row, whatever thread found it first. */
  for (w = 0; w < 256; w++)
    if (ctx.errs[w].code != TPP_OK &&
        (best < 0 || ctx.errs[w].row < ctx.errs[best].row))
      best = w;
  if (err && best >= 0) *err = ctx.errs[best];
  return rc;
}
