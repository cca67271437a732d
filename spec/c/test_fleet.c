/* test_fleet.c - the fleet Monte Carlo (csrc/fleet.c): distributions, the
 * simulation's arithmetic on hand-computed cases, and summaries. */
#include "tap.h"
#include "tpp.h"

#include <stdlib.h>
#include <string.h>

static double rel(double a, double b) {
  return fabs(a - b) / (fabs(b) > 0 ? fabs(b) : 1.0);
}

TAP_TEST(fleet_normal_quantile_is_exact) {
  TAP_NEAR(tpp_normal_quantile(0.95), 1.6448536269514722, 1e-15, "z(0.95) = %.17g", tpp_normal_quantile(0.95));
  TAP_NEAR(tpp_normal_quantile(0.975), 1.959963984540054, 1e-15, "z(0.975) = %.17g", tpp_normal_quantile(0.975));
  TAP_NEAR(tpp_normal_quantile(0.05), -1.6448536269514722, 1e-15, "z(0.05) is symmetric");
  TAP_NEAR(tpp_normal_quantile(1e-10), -6.3613409024040557, 1e-13, "deep tail z(1e-10)");
  TAP_OK(tpp_normal_quantile(0.5) == 0.0, "z(0.5) = 0");
  TAP_OK(isnan(tpp_normal_quantile(1.5)) && isinf(tpp_normal_quantile(0.0)), "outside (0,1): NaN, -inf at 0");
}

TAP_TEST(fleet_exp_matches_libm) {
  double worst = 0;
  int i;
  for (i = -8690; i <= 8690; i++) {
    double x = (double)(float)(i * 0.01 + 0.00123);
    double e = rel(tpp_fleet_exp(x), exp(x));
    if (e > worst) worst = e;
  }
  /* single precision: a few units in the last place of a float */
  TAP_OK(worst < 4e-7, "exp polynomial: worst relative error %.3g over [-87, 87]", worst);
}

TAP_TEST(fleet_dist_fit_quantiles_match_the_triple) {
  tpp_dist d;
  tpp_error e;
  TAP_INT(tpp_dist_fit(TPP_DIST_QUANTILES, 1600, 18000, 200000, 0.95, &d, &e), TPP_OK, "fit 95%% CI triple");
  TAP_NEAR(tpp_dist_quantile(&d, 0.025), 1600, 1e-12, "p2.5 = low (%.17g)", tpp_dist_quantile(&d, 0.025));
  TAP_NEAR(tpp_dist_quantile(&d, 0.5), 18000, 1e-12, "p50 = central");
  TAP_NEAR(tpp_dist_quantile(&d, 0.975), 200000, 1e-12, "p97.5 = high");
  TAP_NEAR(d.sigma_low, log(18000.0 / 1600.0) / 1.959963984540054, 1e-14, "sigma below the median");
  TAP_INT(tpp_dist_fit(TPP_DIST_QUANTILES, 900000, 1000000, 1100000, 0.90, &d, &e), TPP_OK, "fit p5/p95");
  TAP_NEAR(tpp_dist_quantile(&d, 0.05), 900000, 1e-12, "p5 = low");
  TAP_NEAR(tpp_dist_quantile(&d, 0.95), 1100000, 1e-12, "p95 = high");
  TAP_INT(tpp_dist_fit(TPP_DIST_BOUNDS, 307000, 383000, 460000, 0, &d, &e), TPP_OK, "fit bounds");
  TAP_NEAR(tpp_dist_quantile(&d, 0), 307000, 1e-15, "bounds: p0 = low");
  TAP_NEAR(tpp_dist_quantile(&d, 1), 460000, 1e-15, "bounds: p100 = high");
  TAP_NEAR(tpp_dist_quantile(&d, d.mode_cdf), 383000, 1e-12, "bounds: F(central) lands on the mode");
  TAP_NEAR(tpp_dist_mean(&d), (307000.0 + 383000 + 460000) / 3, 1e-15, "triangular mean");
  TAP_INT(tpp_dist_fit(TPP_DIST_QUANTILES, 5, 5, 5, 0.9, &d, &e), TPP_OK, "degenerate triple fits");
  TAP_INT(d.kind, TPP_DIST_POINT, "a degenerate triple is a point mass");
}

TAP_TEST(fleet_dist_fit_refuses_bad_triples) {
  tpp_dist d;
  tpp_error e;
  TAP_INT(tpp_dist_fit(TPP_DIST_QUANTILES, 10, 5, 20, 0.9, &d, &e), TPP_E_ARG, "low > central refused");
  TAP_OK(strstr(e.message, "out of order") != NULL, "message says out of order: %s", e.message);
  TAP_INT(tpp_dist_fit(TPP_DIST_BOUNDS, 1, 5, 4, 0.9, &d, &e), TPP_E_ARG, "central > high refused");
  TAP_INT(tpp_dist_fit(TPP_DIST_QUANTILES, -1, 5, 8, 0.9, &d, &e), TPP_E_ARG, "negative refused");
  TAP_INT(tpp_dist_fit(TPP_DIST_QUANTILES, 0, 5, 8, 0.9, &d, &e), TPP_E_ARG, "lognormal with low 0 refused");
  TAP_OK(strstr(e.message, "bounds") != NULL, "and told to read it as bounds: %s", e.message);
  TAP_INT(tpp_dist_fit(TPP_DIST_BOUNDS, 0, 5, 8, 0.9, &d, &e), TPP_OK, "a triangular may start at 0");
  TAP_INT(tpp_dist_fit(TPP_DIST_POINT, 1, 2, 3, 0.9, &d, &e), TPP_E_ARG, "a point needs one value");
  TAP_INT(tpp_dist_fit(TPP_DIST_QUANTILES, 1, 2, 3, 1.0, &d, &e), TPP_E_ARG, "coverage 1 refused");
  TAP_INT(tpp_dist_fit(TPP_DIST_QUANTILES, 1, NAN, 3, 0.9, &d, &e), TPP_E_ARG, "NaN refused");
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

TAP_TEST(fleet_draws_follow_the_fitted_distribution) {
  enum { N = 400000 };
  double *x = malloc(N * sizeof(double));
  tpp_dist d;
  tpp_error e;
  double sum = 0;
  int i;
  tpp_dist_fit(TPP_DIST_QUANTILES, 200000, 300000, 805000, 0.90, &d, &e);
  TAP_INT(tpp_dist_draws(&d, 7, N, x, &e), TPP_OK, "draws");
  for (i = 0; i < N; i++) sum += x[i];
  qsort(x, N, sizeof(double), cmp_d);
  TAP_OK(rel(x[N / 20], 200000) < 0.01, "empirical p5 %.0f vs 200,000", x[N / 20]);
  TAP_OK(rel(x[N / 2], 300000) < 0.005, "empirical p50 %.0f vs 300,000", x[N / 2]);
  TAP_OK(rel(x[N - N / 20], 805000) < 0.01, "empirical p95 %.0f vs 805,000", x[N - N / 20]);
  TAP_OK(rel(sum / N, tpp_dist_mean(&d)) < 0.005, "empirical mean %.0f vs fitted %.0f", sum / N, tpp_dist_mean(&d));
  /* the normal table's tail cells end at |z| = 3.9914 (their means match the true tail) */
  tpp_dist_fit(TPP_DIST_QUANTILES, exp(-1.6448536269514722), 1.0, exp(1.6448536269514722), 0.90, &d, &e);
  tpp_dist_draws(&d, 9, N, x, &e);
  {
    double zmax = 0;
    for (i = 0; i < N; i++)
      if (fabs(log(x[i])) > zmax) zmax = fabs(log(x[i]));
    TAP_OK(zmax > 3.6 && zmax < 3.992, "largest |z| drawn %.4f: in the tail cells, at most 3.9914", zmax);
  }
  tpp_dist_fit(TPP_DIST_BOUNDS, 307000, 383000, 460000, 0, &d, &e);
  tpp_dist_draws(&d, 8, N, x, &e);
  qsort(x, N, sizeof(double), cmp_d);
  TAP_OK(x[0] >= 307000 && x[N - 1] <= 460000, "triangular draws stay in [low, high]");
  TAP_OK(rel(x[(int)(N * d.mode_cdf)], 383000) < 0.003, "triangular: F(mode) quantile %.0f", x[(int)(N * d.mode_cdf)]);
  free(x);
}

/* 1,000,000 H20s on the TPP basis with the H100 entry's own TPP. */
TAP_TEST(fleet_simulate_hand_computed_point_case) {
  double low[2] = {1000000, 1000}, cen[2] = {1000000, 1000}, high[2] = {1000000, 1000};
  int32_t chip[2] = {0, 1}, group[2] = {0, 1};
  /* basis 0: units (factor 1); basis 1: TPP: H20 2368 / 15831.2, H100 1 */
  double flo[4] = {1, 1, 2368.0 / 15831.2, 1}, fce[4] = {1, 1, 2368.0 / 15831.2, 1};
  tpp_fleet_rows rows = {2, low, cen, high, NULL, NULL, group, chip};
  tpp_fleet_factors f = {2, 2, flo, fce, flo, NULL};
  tpp_fleet_options o = {3000, 1, 0, 2, 0};
  double *out = malloc(2 * 3 * 3000 * sizeof(double));
  tpp_error e;
  int i, exact = 1;
  TAP_INT(tpp_fleet_simulate(&rows, &f, &o, out, &e), TPP_OK, "simulate: %s", e.message);
  for (i = 0; i < 3000; i++) {
    if (out[0 * 3000 + i] != 1000000 || out[1 * 3000 + i] != 1000 || out[2 * 3000 + i] != 1001000) exact = 0;
    if (out[(3 + 0) * 3000 + i] != 1000000 * (2368.0 / 15831.2)) exact = 0;
    if (out[(3 + 1) * 3000 + i] != 1000) exact = 0;
  }
  TAP_OK(exact, "every draw: 1e6 H20 = %.6f H100e by TPP, 1,000 H100 = 1,000 H100e, total = sum",
         out[3 * 3000]);
  TAP_NEAR(out[3 * 3000], 149578.04841073335, 1e-15, "1,000,000 x 2,368 / 15,831.2");
  free(out);
}

TAP_TEST(fleet_simulate_sum_of_symmetric_triples) {
  enum { R = 200, D = 100000 };
  double *low = malloc(R * sizeof(double)), *cen = malloc(R * sizeof(double)), *high = malloc(R * sizeof(double));
  int8_t *kind = malloc(R);
  int32_t *chip = calloc(R, sizeof(int32_t));
  double one = 1, *out = malloc(2 * D * sizeof(double)), q[3], mean, pa, probs[3] = {0.05, 0.5, 0.95};
  double sum_c = 0, sum_mean = 0;
  tpp_fleet_rows rows;
  tpp_fleet_factors f = {1, 1, &one, &one, &one, NULL};
  tpp_fleet_options o = {D, 12345, 0, 1, 0};
  tpp_error e;
  int i;
  for (i = 0; i < R; i++) {
    low[i] = 900 + i;
    cen[i] = 1000 + i;
    high[i] = 1100 + i;
    kind[i] = TPP_DIST_BOUNDS; /* symmetric: mean = median = central */
    sum_c += cen[i];
    sum_mean += cen[i];
  }
  rows.n = R;
  rows.low = low;
  rows.central = cen;
  rows.high = high;
  rows.kind = kind;
  rows.coverage = NULL;
  rows.group = NULL;
  rows.chip = chip;
  TAP_INT(tpp_fleet_simulate(&rows, &f, &o, out, &e), TPP_OK, "simulate 200 rows");
  tpp_series_summary(out + D, D, probs, 3, NAN, q, &mean, &pa, &e);
  TAP_OK(rel(q[1], sum_c) < 0.001, "p50 %.1f within 0.1%% of the sum of centrals %.0f", q[1], sum_c);
  /* sd of one triangular(a, a+100, a+200) is 100/sqrt(6); of the sum sqrt(R) x that */
  {
    double sd = sqrt((double)R) * 100 / sqrt(6.0);
    TAP_OK(fabs(q[2] - q[0] - 2 * 1.6448536 * sd) < 0.03 * 2 * 1.6448536 * sd,
           "p95 - p5 = %.1f, normal approximation %.1f", q[2] - q[0], 2 * 1.6448536 * sd);
    TAP_OK(q[2] - sum_c < 100.0 * R / 10, "far narrower than summing the bounds (%.0f vs %.0f)", q[2] - sum_c,
           100.0 * R);
  }
  free(low);
  free(cen);
  free(high);
  free(kind);
  free(chip);
  free(out);
}

TAP_TEST(fleet_simulate_is_reproducible_across_threads_and_isa) {
  enum { R = 50, D = 5000 };
  double low[R], cen[R], high[R], fl[2] = {1, 0.8}, fc[2] = {1, 1.0}, fh[2] = {1, 1.1};
  int32_t chip[R], group[R];
  int8_t kind[R];
  tpp_fleet_rows rows = {R, low, cen, high, kind, NULL, group, chip};
  tpp_fleet_factors f = {1, 2, fl, fc, fh, NULL};
  tpp_fleet_options o = {D, 99, 3, 4, 1};
  double *a = malloc(5 * D * sizeof(double)), *b = malloc(5 * D * sizeof(double));
  tpp_error e;
  int i, same = 1, isa;
  for (i = 0; i < R; i++) {
    low[i] = 100 + i;
    cen[i] = 200 + 2 * i;
    high[i] = 400 + 5 * i;
    kind[i] = (int8_t)(i % 3 == 0 ? TPP_DIST_BOUNDS : TPP_DIST_QUANTILES);
    chip[i] = i % 2;
    group[i] = i % 4;
  }
  tpp_fleet_simulate(&rows, &f, &o, a, &e);
  o.threads = 2;
  tpp_fleet_simulate(&rows, &f, &o, b, &e);
  TAP_OK(memcmp(a, b, 5 * D * sizeof(double)) == 0, "1 thread and 2 threads give the same draws");
  isa = tpp_isa_active();
  tpp_isa_set(TPP_ISA_SCALAR);
  tpp_fleet_simulate(&rows, &f, &o, b, &e);
  tpp_isa_set(-1);
  for (i = 0; i < 5 * D; i++)
    if (rel(a[i], b[i]) > 1e-13) same = 0;
  TAP_OK(same, "the scalar path gives the draws of the %s path", tpp_isa_name(isa));
  o.stream = 2;
  tpp_fleet_simulate(&rows, &f, &o, b, &e);
  TAP_OK(a[4 * D] != b[4 * D], "another stream gives other draws");
  for (i = 0; i < D; i++) {
    double s = a[0 * D + i] + a[1 * D + i] + a[2 * D + i] + a[3 * D + i];
    if (rel(a[4 * D + i], s) > 1e-12) same = 0;
  }
  TAP_OK(same, "the total is the sum of the groups in every draw");
  free(a);
  free(b);
}

TAP_TEST(fleet_simulate_shares_a_chip_factor_draw_across_rows) {
  double u[2] = {1000, 3000};
  int32_t chip[2] = {0, 0}, group[2] = {0, 1};
  double fl = 0.5, fc = 1.0, fh = 1.2;
  tpp_fleet_rows rows = {2, u, u, u, NULL, NULL, group, chip};
  tpp_fleet_factors f = {1, 1, &fl, &fc, &fh, NULL};
  tpp_fleet_options o = {4000, 5, 0, 2, 0};
  double *out = malloc(3 * 4000 * sizeof(double)), q[2], probs[2] = {0.05, 0.95};
  tpp_error e;
  int i, shared = 1;
  TAP_INT(tpp_fleet_simulate(&rows, &f, &o, out, &e), TPP_OK, "simulate");
  for (i = 0; i < 4000; i++)
    if (rel(out[4000 + i], 3 * out[i]) > 1e-15) shared = 0;
  TAP_OK(shared, "group 2 is exactly 3x group 1 in every draw (one factor draw per chip)");
  tpp_series_summary(out, 4000, probs, 2, NAN, q, NULL, NULL, &e);
  TAP_OK(rel(q[0], 500) < 0.03 && rel(q[1], 1200) < 0.03, "factor p5/p95 carried: %.1f / %.1f", q[0], q[1]);
  free(out);
}

TAP_TEST(fleet_simulate_skips_unknown_factors_and_checks_input) {
  double u[2] = {10, 20}, nan = NAN, one = 1;
  double fl[2] = {1, NAN}, fc[2] = {1, NAN};
  int32_t chip[2] = {0, 1};
  tpp_fleet_rows rows = {2, u, u, u, NULL, NULL, NULL, chip};
  tpp_fleet_factors f = {1, 2, fl, fc, fl, NULL};
  tpp_fleet_options o = {10, 5, 0, 1, 0};
  double out[20];
  double bad_low[2] = {10, 30};
  int32_t bad_chip[2] = {0, 2};
  tpp_error e;
  (void)nan;
  (void)one;
  TAP_INT(tpp_fleet_simulate(&rows, &f, &o, out, &e), TPP_OK, "simulate");
  TAP_OK(out[0] == 10 && out[10] == 10, "the unknown chip adds nothing (the caller names it): %g", out[0]);
  rows.low = bad_low;
  TAP_INT(tpp_fleet_simulate(&rows, &f, &o, out, &e), TPP_E_ARG, "low > central refused");
  TAP_OK(strstr(e.message, "row 2") != NULL, "the message names the row: %s", e.message);
  rows.low = u;
  rows.chip = bad_chip;
  TAP_INT(tpp_fleet_simulate(&rows, &f, &o, out, &e), TPP_E_ARG, "chip index out of range refused");
  rows.chip = chip;
  o.draws = 0;
  TAP_INT(tpp_fleet_simulate(&rows, &f, &o, out, &e), TPP_E_ARG, "zero draws refused");
}

TAP_TEST(fleet_series_summary_type7_quantiles) {
  double x[5] = {5, 1, 4, 2, 3}, probs[4] = {0.5, 0.25, 0.1, 1.0}, q[4], mean, pa;
  double num[3] = {1, 2, 3}, den[3] = {2, 0, 1}, r[3];
  tpp_error e;
  TAP_INT(tpp_series_summary(x, 5, probs, 4, 3.5, q, &mean, &pa, &e), TPP_OK, "summary");
  TAP_NEAR(q[0], 3, 1e-15, "median of 1..5");
  TAP_NEAR(q[1], 2, 1e-15, "p25 of 1..5");
  TAP_NEAR(q[2], 1.4, 1e-15, "p10 of 1..5 = 1 + 0.4 x (2 - 1)");
  TAP_NEAR(q[3], 5, 1e-15, "p100 = max");
  TAP_NEAR(mean, 3, 1e-15, "mean");
  TAP_NEAR(pa, 0.4, 1e-15, "2 of 5 draws above 3.5");
  tpp_series_summary(x, 5, probs, 0, 3.0, NULL, NULL, &pa, &e);
  TAP_NEAR(pa, 0.4, 1e-15, "strictly above: a draw equal to the threshold is not over");
  TAP_OK(x[0] == 5 && x[1] == 1, "the input is not reordered");
  TAP_INT(tpp_series_ratio(num, den, 3, r, &e), TPP_E_ARG, "a zero denominator is refused");
  TAP_OK(strstr(e.message, "draw 2") != NULL, "naming the draw: %s", e.message);
}

/* A row's draws and its chip's factor draws come from different streams:
 * with the same shapes, a shared stream would make their product's spread
 * e^(2 sigma z) instead of e^(sqrt(2) sigma z). */
TAP_TEST(fleet_simulate_row_and_factor_draws_are_independent) {
  enum { D = 200000 };
  double lo = 500, c = 1000, hi = 2000, flo = 0.5, fc = 1.0, fhi = 2.0;
  int32_t chip = 0;
  tpp_fleet_rows rows = {1, &lo, &c, &hi, NULL, NULL, NULL, &chip};
  tpp_fleet_factors f = {1, 1, &flo, &fc, &fhi, NULL};
  tpp_fleet_options o = {D, 3, 0, 1, 0};
  double *out = malloc(2 * D * sizeof(double)), q[2], probs[2] = {0.5, 0.95};
  tpp_error e;
  TAP_INT(tpp_fleet_simulate(&rows, &f, &o, out, &e), TPP_OK, "simulate");
  tpp_series_summary(out + D, D, probs, 2, NAN, q, NULL, NULL, &e);
  TAP_OK(fabs(q[1] / q[0] - pow(2.0, sqrt(2.0))) < 0.05 * pow(2.0, sqrt(2.0)),
         "p95 / p50 of units x factor = %.3f, independent draws give 2^sqrt(2) = %.3f", q[1] / q[0],
         pow(2.0, sqrt(2.0)));
  free(out);
}

/* Long series take the sampled-pivot path: the same quantiles as a full sort,
 * with distinct values, heavy ties and a constant series. */
TAP_TEST(fleet_series_summary_long_series_match_a_sort) {
  enum { N = 100003 };
  double *x = malloc(N * sizeof(double)), *s = malloc(N * sizeof(double));
  double probs[7] = {0.95, 0.05, 0.5, 0.0, 1.0, 1.0 / 3.0, 0.999}, q[7];
  tpp_error e;
  int kind, j, ok = 1;
  uint64_t st = 12345;
  for (kind = 0; kind < 4; kind++) {
    int i;
    for (i = 0; i < N; i++) {
      st ^= st << 13;
      st ^= st >> 7;
      st ^= st << 17;
      x[i] = kind == 0 ? exp((double)(st >> 11) / 9007199254740992.0 * 6.0)
           : kind == 1 ? (double)(st % 7) : kind == 2 ? 42.0 : (double)(i % 1000);
    }
    if (kind == 3) /* the sampled positions lie: every pivot bracket misses, the full selection answers */
      for (i = 0; i < 1024; i++) x[(long)i * N / 1024] = 1e9 + i;
    memcpy(s, x, N * sizeof(double));
    qsort(s, N, sizeof(double), cmp_d);
    tpp_series_summary(x, N, probs, 7, NAN, q, NULL, NULL, &e);
    for (j = 0; j < 7; j++) {
      double h = (N - 1) * probs[j];
      long lo = (long)floor(h);
      double want = lo >= N - 1 ? s[N - 1] : s[lo] + (h - lo) * (s[lo + 1] - s[lo]);
      if (q[j] != want) ok = 0;
    }
  }
  TAP_OK(ok, "type-7 quantiles of 100,003 draws equal a full sort's (distinct, tied, constant, misleading sample)");
  free(x);
  free(s);
}
