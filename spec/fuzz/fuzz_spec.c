/*
 * fuzz_spec.c - libFuzzer target for chip validation and metrics: a chip
 * (processing units, dies, areas, bandwidths) and options built from the
 * fuzzed bytes, any of them negative, NaN, infinite, huge or tiny, through
 * tpp_chip_metrics, and the same figures as a batch through
 * tpp_spec_eval_batch. Every input gives TPP_OK or a clean error; a result
 * is never negative, and the batch agrees with the per-chip path.
 */
#include "tpp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct reader {
  const uint8_t *p;
  size_t n;
} reader;

static uint8_t byte(reader *r) {
  uint8_t b = 0;
  if (r->n) {
    b = *r->p++;
    r->n--;
  }
  return b;
}

/* A figure: one of a few special values, or a raw double. */
static double figure(reader *r) {
  static const double special[] = {0.0, -1.0, 1e308, 1e-308, 4800.0, 2400.0, 1.6, 5.92};
  uint8_t k = byte(r);
  double v;
  if (k < 32) return NAN;
  if (k < 40) return special[k - 32];
  if (k < 44) return k & 1 ? INFINITY : -INFINITY;
  if (r->n < 8) return (double)k;
  memcpy(&v, r->p, 8);
  r->p += 8;
  r->n -= 8;
  return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  reader r = {data, size};
  tpp_unit units[4];
  tpp_die dies[6];
  tpp_chip chip;
  tpp_spec_options opt;
  tpp_metrics m;
  tpp_error err;
  int i, p, rc;
  memset(&chip, 0, sizeof chip);
  tpp_spec_options_init(&opt);
  opt.tf32_bits = (int)(signed char)byte(&r) % 40;
  opt.unit_mode = byte(&r) % 3;
  chip.n_units = byte(&r) % 5; /* 0 is invalid on purpose */
  for (i = 0; i < chip.n_units; i++)
    for (p = 0; p < 10; p++) units[i].dense[p] = figure(&r);
  chip.units = chip.n_units ? units : NULL;
  chip.n_dies = byte(&r) % 7;
  for (i = 0; i < chip.n_dies; i++) {
    dies[i].area_mm2 = figure(&r);
    dies[i].kind = (int)(signed char)byte(&r) % 4;
    dies[i].planar = byte(&r) % 3;
  }
  chip.dies = chip.n_dies ? dies : NULL;
  chip.area_mm2 = figure(&r);
  chip.mem_bw_gbs = figure(&r);
  chip.mem_area_mm2 = figure(&r);
  chip.interconnect_gbs = figure(&r);
  rc = tpp_chip_metrics(&chip, &opt, &m, &err);
  if (rc == TPP_OK) {
    if (m.tpp < 0 || m.pd < 0 || m.pp < 0 || m.mbd < 0) abort(); /* NaN compares false */
  } else if (err.code == TPP_OK) {
    abort(); /* a failure must say why */
  }
  /* the same figures as a batch of one (max-of-sums, one unit) */
  if (chip.n_units == 1 && opt.unit_mode == TPP_UNITS_MAX_OF_SUMS && chip.dies == NULL) {
    tpp_spec_columns in;
    tpp_metric_columns out;
    double tpp_col[1], pd_col[1], pp_col[1], mbd_col[1], h[3][1];
    int8_t prec[1];
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    in.n = 1;
    for (p = 0; p < 10; p++) in.dense[p] = &units[0].dense[p];
    in.area_mm2 = &chip.area_mm2;
    in.mem_bw_gbs = &chip.mem_bw_gbs;
    in.mem_area_mm2 = &chip.mem_area_mm2;
    out.tpp = tpp_col;
    out.tpp_precision = prec;
    out.pd = pd_col;
    out.pp = pp_col;
    out.mbd = mbd_col;
    out.h100e_tpp = h[0];
    out.h100e_8bit = h[1];
    out.h100e_fp16 = h[2];
    if (tpp_spec_eval_batch(&in, &opt, &out, 1, &err) == TPP_OK && rc == TPP_OK) {
      if (!(tpp_col[0] == m.tpp || (isnan(tpp_col[0]) && isnan(m.tpp)))) abort();
    }
  }
  return 0;
}
