/* test_spec.c - chip metrics in the C core (csrc/spec.c). */
#include "tap.h"
#include "tpp.h"

#include <stdlib.h>
#include <string.h>

static tpp_unit unit_nan(void) {
  tpp_unit u;
  int p;
  for (p = 0; p < TPP_PREC_COUNT; p++) u.dense[p] = NAN;
  return u;
}

static tpp_chip chip_one(const tpp_unit *u, double area) {
  tpp_chip c;
  memset(&c, 0, sizeof c);
  c.units = u;
  c.n_units = 1;
  c.area_mm2 = area;
  c.mem_bw_gbs = NAN;
  c.mem_area_mm2 = NAN;
  c.interconnect_gbs = NAN;
  return c;
}

TAP_TEST(spec_h100_tpp_pd_and_h100e) {
  tpp_unit u = unit_nan();
  tpp_chip c;
  tpp_metrics m;
  tpp_error e;
  u.dense[TPP_PREC_FP64] = 66.9;
  u.dense[TPP_PREC_TF32] = 494.7;
  u.dense[TPP_PREC_FP16] = 989.4;
  u.dense[TPP_PREC_BF16] = 989.4;
  u.dense[TPP_PREC_FP8] = 1978.9;
  u.dense[TPP_PREC_INT8] = 1978.9;
  c = chip_one(&u, 814);
  TAP_INT(tpp_chip_metrics(&c, NULL, &m, &e), TPP_OK, "H100 metrics succeed");
  TAP_NEAR(m.tpp, 15831.2, 1e-12, "H100 TPP = 1978.9 x 8 = %.17g", m.tpp);
  TAP_INT(m.tpp_precision, TPP_PREC_FP8, "tie fp8/int8 reports fp8 (first at 8 bits)");
  TAP_NEAR(m.pd, 15831.2 / 814, 1e-12, "H100 PD = %.6f", m.pd);
  TAP_OK(m.h100e[TPP_H100E_TPP] == 1.0, "H100e by TPP is exactly 1 (%.17g)", m.h100e[TPP_H100E_TPP]);
  TAP_OK(m.h100e[TPP_H100E_8BIT] == 1.0, "H100e by 8-bit is exactly 1 (%.17g)", m.h100e[TPP_H100E_8BIT]);
  TAP_NEAR(m.h100e[TPP_H100E_FP16], 1.0, 1e-12, "H100e by FP16 = 1");
  TAP_NEAR(m.pp, 1978.9, 1e-12, "3A991.p processing performance = max TOPS");
  TAP_OK(isnan(m.mbd), "memory bandwidth density unknown without a package area");
}

TAP_TEST(spec_h20_below_both_b_lines) {
  tpp_unit u = unit_nan();
  tpp_chip c;
  tpp_metrics m;
  tpp_error e;
  u.dense[TPP_PREC_FP16] = 148;
  u.dense[TPP_PREC_BF16] = 148;
  u.dense[TPP_PREC_FP8] = 296;
  u.dense[TPP_PREC_INT8] = 296;
  u.dense[TPP_PREC_FP32] = 44;
  c = chip_one(&u, 814);
  tpp_chip_metrics(&c, NULL, &m, &e);
  TAP_NEAR(m.tpp, 2368, 1e-12, "H20 TPP 2368");
  TAP_OK(m.tpp < 2400, "H20 TPP below the 2400 line of 3A090.b.1");
  TAP_NEAR(m.pd, 2368.0 / 814, 1e-12, "H20 PD %.4f", m.pd);
  TAP_OK(m.pd < 3.2, "H20 PD below the 3.2 line of 3A090.b.2");
}

TAP_TEST(spec_fp4_sets_max_for_b300) {
  tpp_unit u = unit_nan();
  tpp_chip c;
  tpp_metrics m;
  tpp_error e;
  u.dense[TPP_PREC_FP8] = 4500;
  u.dense[TPP_PREC_INT8] = 150;
  u.dense[TPP_PREC_FP4] = 14000;
  c = chip_one(&u, 1600);
  tpp_chip_metrics(&c, NULL, &m, &e);
  TAP_NEAR(m.tpp, 56000, 1e-12, "B300 TPP = 14000 x 4");
  TAP_INT(m.tpp_precision, TPP_PREC_FP4, "fp4 set the maximum");
  TAP_NEAR(m.h100e[TPP_H100E_8BIT], 4500.0 / 1978.9, 1e-12, "8-bit basis uses max(fp8, int8)");
  TAP_NEAR(m.h100e[TPP_H100E_TPP], 56000.0 / 15831.2, 1e-12, "TPP basis 3.54");
}

TAP_TEST(spec_tf32_bit_length_option) {
  tpp_unit u = unit_nan();
  tpp_chip c;
  tpp_metrics m;
  tpp_error e;
  tpp_spec_options o;
  u.dense[TPP_PREC_FP32] = 47.5;
  u.dense[TPP_PREC_TF32] = 190;
  u.dense[TPP_PREC_BF16] = 190;
  u.dense[TPP_PREC_FP8] = 190;
  c = chip_one(&u, NAN);
  tpp_spec_options_init(&o);
  tpp_chip_metrics(&c, &o, &m, &e);
  TAP_NEAR(m.tpp, 3040, 1e-12, "Trainium: TF32 excluded by default -> 3040");
  o.tf32_bits = TPP_TF32_19;
  tpp_chip_metrics(&c, &o, &m, &e);
  TAP_NEAR(m.tpp, 3610, 1e-12, "TF32 at 19 bits -> 3610 (Epoch's figure)");
  TAP_INT(m.tpp_precision, TPP_PREC_TF32, "tf32 set the maximum");
  o.tf32_bits = TPP_TF32_32;
  tpp_chip_metrics(&c, &o, &m, &e);
  TAP_NEAR(m.tpp, 6080, 1e-12, "TF32 at 32 bits -> 6080");
  o.tf32_bits = 18;
  TAP_INT(tpp_chip_metrics(&c, &o, &m, &e), TPP_E_ARG, "tf32_bits 18 rejected");
  TAP_INT(e.field, TPP_FIELD_TF32_BITS, "error names tf32_bits");
  TAP_OK(isnan(m.pd), "no PD without area");
}

TAP_TEST(spec_unknown_is_not_zero) {
  tpp_unit u = unit_nan();
  tpp_chip c;
  tpp_metrics m;
  tpp_error e;
  c = chip_one(&u, 814);
  TAP_INT(tpp_chip_metrics(&c, NULL, &m, &e), TPP_OK, "no figures at all is not an error");
  TAP_OK(isnan(m.tpp), "TPP unknown when no precision is known");
  TAP_INT(m.tpp_precision, TPP_PREC_NONE, "no precision reported");
  TAP_OK(isnan(m.pd), "PD unknown when TPP is unknown");
  TAP_OK(isnan(m.h100e[0]) && isnan(m.h100e[1]) && isnan(m.h100e[2]), "H100e unknown");
  u.dense[TPP_PREC_FP16] = 100;
  c = chip_one(&u, NAN);
  tpp_chip_metrics(&c, NULL, &m, &e);
  TAP_NEAR(m.tpp, 1600, 1e-12, "TPP known without area");
  TAP_OK(isnan(m.pd), "PD unknown without area");
}

TAP_TEST(spec_bad_values_are_errors) {
  tpp_unit u = unit_nan();
  tpp_chip c;
  tpp_metrics m;
  tpp_error e;
  char buf[300];
  u.dense[TPP_PREC_FP8] = -1;
  c = chip_one(&u, 814);
  TAP_INT(tpp_chip_metrics(&c, NULL, &m, &e), TPP_E_ARG, "negative figure rejected");
  TAP_INT(e.field, TPP_FIELD_DENSE + TPP_PREC_FP8, "error names dense.fp8");
  tpp_error_format(&e, buf, sizeof buf);
  TAP_OK(strstr(buf, "dense.fp8") && strstr(buf, "-1") && strstr(buf, ">= 0"),
         "message names field, value and expectation: %s", buf);
  u.dense[TPP_PREC_FP8] = INFINITY;
  TAP_INT(tpp_chip_metrics(&c, NULL, &m, &e), TPP_E_ARG, "infinite figure rejected");
  u.dense[TPP_PREC_FP8] = 10;
  c = chip_one(&u, 0);
  TAP_INT(tpp_chip_metrics(&c, NULL, &m, &e), TPP_E_ARG, "zero die area rejected");
  TAP_INT(e.field, TPP_FIELD_AREA, "error names area_mm2");
  c = chip_one(&u, -5);
  TAP_INT(tpp_chip_metrics(&c, NULL, &m, &e), TPP_E_ARG, "negative die area rejected");
  c = chip_one(&u, 100);
  c.n_units = 0;
  TAP_INT(tpp_chip_metrics(&c, NULL, &m, &e), TPP_E_ARG, "zero processing units rejected");
  TAP_INT(tpp_precision_from_name("fp12"), TPP_PREC_NONE, "unknown precision name -> none");
  TAP_INT(tpp_precision_from_name("bf16"), TPP_PREC_BF16, "bf16 known");
}

TAP_TEST(spec_dies_applicable_area) {
  tpp_die d[4];
  double area;
  int32_t missing;
  tpp_error e;
  d[0].area_mm2 = 456; d[0].kind = TPP_DIE_LOGIC; d[0].planar = 0;
  d[1].area_mm2 = 168; d[1].kind = TPP_DIE_LOGIC; d[1].planar = 0;
  d[2].area_mm2 = 100; d[2].kind = TPP_DIE_MEMORY; d[2].planar = 0;
  d[3].area_mm2 = 50; d[3].kind = TPP_DIE_LOGIC; d[3].planar = 1;
  TAP_INT(tpp_applicable_area(d, 4, &area, &missing, &e), TPP_OK, "dies accepted");
  TAP_NEAR(area, 624, 1e-12, "Ascend 910: compute + I/O die, HBM and planar die excluded");
  TAP_INT(missing, -1, "no missing die");
  d[1].area_mm2 = NAN;
  tpp_applicable_area(d, 4, &area, &missing, &e);
  TAP_OK(isnan(area), "a logic die without area makes the area unknown");
  TAP_INT(missing, 1, "the missing die is reported (0-based 1)");
  d[1].area_mm2 = 0;
  TAP_INT(tpp_applicable_area(d, 4, &area, &missing, &e), TPP_E_ARG, "zero-area die rejected");
  d[1].area_mm2 = 168;
  d[0].kind = TPP_DIE_MEMORY;
  d[1].kind = TPP_DIE_MEMORY;
  tpp_applicable_area(d, 4, &area, &missing, &e);
  TAP_OK(isnan(area), "no non-planar logic die: area unknown, not zero");
}

TAP_TEST(spec_units_aggregate) {
  tpp_unit u[2];
  tpp_chip c;
  tpp_metrics m;
  tpp_error e;
  tpp_spec_options o;
  u[0] = unit_nan();
  u[1] = unit_nan();
  u[0].dense[TPP_PREC_FP8] = 200;  /* tensor unit: 1600 at 8 bits */
  u[1].dense[TPP_PREC_FP32] = 40;  /* vector unit: 1280 at 32 bits */
  u[1].dense[TPP_PREC_FP8] = 10;
  c = chip_one(u, 100);
  c.n_units = 2;
  tpp_spec_options_init(&o);
  tpp_chip_metrics(&c, &o, &m, &e);
  TAP_NEAR(m.tpp, 1680, 1e-12, "max over precisions of the sums: fp8 (200+10) x 8");
  o.unit_mode = TPP_UNITS_SUM_OF_MAXES;
  tpp_chip_metrics(&c, &o, &m, &e);
  TAP_NEAR(m.tpp, 1600 + 1280, 1e-12, "sum over units of each unit's maximum");
  TAP_INT(m.tpp_precision, TPP_PREC_FP8, "largest contributor's precision");
}

TAP_TEST(spec_memory_bandwidth_density) {
  tpp_unit u = unit_nan();
  tpp_chip c = chip_one(&u, NAN);
  tpp_metrics m;
  tpp_error e;
  c.mem_bw_gbs = 1229;
  c.mem_area_mm2 = 110;
  tpp_chip_metrics(&c, NULL, &m, &e);
  TAP_NEAR(m.mbd, 1229.0 / 110, 1e-12, "bandwidth density = GB/s / mm2");
}

TAP_TEST(spec_batch_matches_scalar) {
  enum { N = 200003 };
  double *col[TPP_PREC_COUNT], *area, *tpp, *pd, *h8;
  int8_t *prec;
  tpp_spec_columns in;
  tpp_metric_columns out;
  tpp_error e;
  unsigned s = 12345;
  int i, p, mismatches = 0;
  memset(&in, 0, sizeof in);
  memset(&out, 0, sizeof out);
  for (p = 0; p < TPP_PREC_COUNT; p++) {
    col[p] = malloc(sizeof(double) * N);
    in.dense[p] = col[p];
  }
  area = malloc(sizeof(double) * N);
  tpp = malloc(sizeof(double) * N);
  pd = malloc(sizeof(double) * N);
  h8 = malloc(sizeof(double) * N);
  prec = malloc(N);
  for (i = 0; i < N; i++) {
    for (p = 0; p < TPP_PREC_COUNT; p++) {
      s = s * 1103515245u + 12345u;
      col[p][i] = (s >> 16) % 7 == 0 ? NAN : (double)((s >> 8) % 100000) / 10.0;
    }
    s = s * 1103515245u + 12345u;
    area[i] = (s >> 16) % 5 == 0 ? NAN : 50 + (double)((s >> 8) % 2000);
  }
  in.n = N;
  in.area_mm2 = area;
  out.tpp = tpp;
  out.pd = pd;
  out.tpp_precision = prec;
  out.h100e_8bit = h8;
  TAP_INT(tpp_spec_eval_batch(&in, NULL, &out, 2, &e), TPP_OK, "batch of %d rows", N);
  for (i = 0; i < N; i++) {
    tpp_unit u;
    tpp_chip c;
    tpp_metrics m;
    for (p = 0; p < TPP_PREC_COUNT; p++) u.dense[p] = col[p][i];
    c = chip_one(&u, area[i]);
    tpp_chip_metrics(&c, NULL, &m, &e);
    if (!((isnan(m.tpp) && isnan(tpp[i])) || m.tpp == tpp[i]) ||
        !((isnan(m.pd) && isnan(pd[i])) || m.pd == pd[i]) || m.tpp_precision != prec[i] ||
        !((isnan(m.h100e[1]) && isnan(h8[i])) || m.h100e[1] == h8[i]))
      mismatches++;
  }
  TAP_INT(mismatches, 0, "every batch row equals the scalar path (%d mismatches)", mismatches);
  col[TPP_PREC_INT8][150001] = -3;
  col[TPP_PREC_FP4][170000] = -4;
  TAP_INT(tpp_spec_eval_batch(&in, NULL, &out, 2, &e), TPP_E_ARG, "bad row rejected");
  TAP_INT(e.row, 150001, "the lowest bad row is reported");
  TAP_INT(e.field, TPP_FIELD_DENSE + TPP_PREC_INT8, "and its field");
  in.dense[TPP_PREC_INT8] = NULL;
  in.dense[TPP_PREC_FP4] = NULL;
  TAP_INT(tpp_spec_eval_batch(&in, NULL, &out, 1, &e), TPP_OK, "NULL columns are unknown");
  for (p = 0; p < TPP_PREC_COUNT; p++) free(col[p]);
  free(area); free(tpp); free(pd); free(h8); free(prec);
}

TAP_TEST(spec_error_format_and_names) {
  tpp_error e;
  char buf[16];
  memset(&e, 0, sizeof e);
  e.code = TPP_E_ARG;
  e.row = -1;
  e.field = -1;
  strcpy(e.message, "a long message that will not fit");
  TAP_INT(tpp_error_format(&e, buf, sizeof buf), 15, "format truncates safely");
  TAP_OK(strcmp(tpp_precision_name(TPP_PREC_INT4), "int4") == 0, "int4 name");
  TAP_OK(tpp_precision_name(99) == NULL, "out-of-range precision has no name");
  TAP_INT(tpp_precision_bits(TPP_PREC_FP6, 0), 6, "fp6 is 6 bits");
  TAP_OK(strcmp(tpp_field_name(TPP_FIELD_MEM_BW), "memory.bandwidth_gbs") == 0, "field name");
}
