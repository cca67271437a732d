/*
 * screen.c - screening decisions for batches of (chip, destination, headquarters,
 * date) rows, from tables compiled out of the regime data by lua/tpp/screen/batch.lua.
 *
 * The tables hold, per date segment (a span in which no rule, regime or country
 * group changes), the destination class of every destination of the batch and the
 * decision of every (chip, destination class, headquarters class). A row is three
 * lookups after a binary search on its date: no regulatory number or date lives
 * here, only the layout.
 *
 * Shapes (row-major):
 *   seg_start  [S]                 YYYYMMDD; segment s covers [seg_start[s], seg_start[s+1])
 *   dest_class [S][D]              class of destination d in segment s
 *   hq_class   [S][H + 1]          class of headquarters h (column 0: none given)
 *   decision   [S][C][DC][HC]      TPP_SCREEN_* codes
 *   review     [S][C][DC][HC]      review-policy codes (the caller's, >= 0; -1 none)
 *   regimes    [S][C][DC][HC]      bit r: regime family r requires authorization
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

tpp_screen_table *tpp_screen_table_new(int32_t n_segments, int32_t n_chips, int32_t n_dests,
                                       int32_t n_hqs, int32_t n_dclasses, int32_t n_hclasses,
                                       tpp_error *err) {
  tpp_screen_table *t;
  size_t cells;
  tpp_error_clear(err);
  if (n_segments < 1 || n_chips < 1 || n_dests < 1 || n_hqs < 0 || n_dclasses < 1 || n_hclasses < 1 ||
      n_segments > 100000 || n_chips > 100000 || n_dests > 100000 || n_hqs > 100000 ||
      n_dclasses > 32767 || n_hclasses > 32767) {
    tpp_fail(err, TPP_E_ARG, -1, -1, NAN,
             "screen table sizes out of range: %d segments, %d chips, %d destinations, %d "
             "headquarters, %d x %d classes (each >= 1, headquarters >= 0)",
             (int)n_segments, (int)n_chips, (int)n_dests, (int)n_hqs, (int)n_dclasses,
             (int)n_hclasses);
    return NULL;
  }
  cells = (size_t)n_segments * (size_t)n_chips * (size_t)n_dclasses * (size_t)n_hclasses;
  if (cells > ((size_t)1 << 30)) {
    tpp_fail(err, TPP_E_ARG, -1, -1, (double)cells, "screen table of %.0f cells is too large",
             (double)cells);
    return NULL;
  }
  t = (tpp_screen_table *)calloc(1, sizeof *t);
  if (!t) goto nomem;
  t->n_segments = n_segments;
  t->n_chips = n_chips;
  t->n_dests = n_dests;
  t->n_hqs = n_hqs;
  t->n_dclasses = n_dclasses;
  t->n_hclasses = n_hclasses;
  t->seg_start = (int32_t *)tpp_alloc(sizeof(int32_t) * (size_t)n_segments);
  t->dest_class = (int16_t *)tpp_alloc(sizeof(int16_t) * (size_t)n_segments * (size_t)n_dests);
  t->hq_class = (int16_t *)tpp_alloc(sizeof(int16_t) * (size_t)n_segments * (size_t)(n_hqs + 1));
  t->decision = (int8_t *)tpp_alloc(cells);
  t->review = (int8_t *)tpp_alloc(cells);
  t->regimes = (uint32_t *)tpp_alloc(sizeof(uint32_t) * cells);
  if (!t->seg_start || !t->dest_class || !t->hq_class || !t->decision || !t->review || !t->regimes) {
    tpp_screen_table_free(t);
    goto nomem;
  }
  memset(t->seg_start, 0, sizeof(int32_t) * (size_t)n_segments);
  memset(t->dest_class, 0, sizeof(int16_t) * (size_t)n_segments * (size_t)n_dests);
  memset(t->hq_class, 0, sizeof(int16_t) * (size_t)n_segments * (size_t)(n_hqs + 1));
  memset(t->decision, TPP_SCREEN_UNDETERMINED, cells);
  memset(t->review, 0xff, cells);
  memset(t->regimes, 0, sizeof(uint32_t) * cells);
  return t;
nomem:
  tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory for a screen table of %.0f cells",
           (double)cells);
  return NULL;
}

void tpp_screen_table_free(tpp_screen_table *t) {
  if (!t) return;
  tpp_free(t->seg_start);
  tpp_free(t->dest_class);
  tpp_free(t->hq_class);
  tpp_free(t->decision);
  tpp_free(t->review);
  tpp_free(t->regimes);
  free(t);
}

static int valid_date(int32_t d) {
  static const int dim[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = d / 10000, m = (d / 100) % 100, day = d % 100;
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || day < 1 || day > dim[m - 1]) return 0;
  if (m == 2 && day == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
  return 1;
}

int tpp_screen_table_check(const tpp_screen_table *t, tpp_error *err) {
  int32_t s, i;
  size_t cells, c;
  tpp_error_clear(err);
  if (!t) return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "no screen table");
  for (s = 0; s < t->n_segments; s++) {
    if (!valid_date(t->seg_start[s]))
      return tpp_fail(err, TPP_E_ARG, s, -1, t->seg_start[s],
                      "segment %d starts on %d, not a YYYYMMDD date", (int)s, (int)t->seg_start[s]);
    if (s > 0 && t->seg_start[s] <= t->seg_start[s - 1])
      return tpp_fail(err, TPP_E_ARG, s, -1, t->seg_start[s],
                      "segment %d starts on %d, not after segment %d (%d): starts must increase",
                      (int)s, (int)t->seg_start[s], (int)s - 1, (int)t->seg_start[s - 1]);
    for (i = 0; i < t->n_dests; i++) {
      int16_t k = t->dest_class[(size_t)s * (size_t)t->n_dests + (size_t)i];
      if (k < 0 || k >= t->n_dclasses)
        return tpp_fail(err, TPP_E_ARG, s, -1, k, "segment %d, destination %d: class %d outside 0..%d",
                        (int)s, (int)i, (int)k, (int)t->n_dclasses - 1);
    }
    for (i = 0; i <= t->n_hqs; i++) {
      int16_t k = t->hq_class[(size_t)s * (size_t)(t->n_hqs + 1) + (size_t)i];
      if (k < 0 || k >= t->n_hclasses)
        return tpp_fail(err, TPP_E_ARG, s, -1, k, "segment %d, headquarters %d: class %d outside 0..%d",
                        (int)s, (int)i - 1, (int)k, (int)t->n_hclasses - 1);
    }
  }
  cells = (size_t)t->n_segments * (size_t)t->n_chips * (size_t)t->n_dclasses * (size_t)t->n_hclasses;
  for (c = 0; c < cells; c++) {
    if (t->decision[c] < TPP_SCREEN_NO_LICENCE || t->decision[c] > TPP_SCREEN_UNDETERMINED)
      return tpp_fail(err, TPP_E_ARG, (int64_t)c, -1, t->decision[c],
                      "decision cell %.0f holds %d, expected a TPP_SCREEN_* code", (double)c,
                      (int)t->decision[c]);
  }
  return TPP_OK;
}

/* The segment holding date: the last start <= date, or -1 before the first. */
static int32_t segment_of(const tpp_screen_table *t, int32_t date) {
  int32_t lo = 0, hi = t->n_segments - 1, found = -1;
  while (lo <= hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (t->seg_start[mid] <= date) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

typedef struct screen_job {
  const tpp_screen_table *t;
  const double *chip, *dest, *hq, *date;
  int8_t *decision, *review;
  double *regimes;
} screen_job;

/* 0..n-1 integer in a double, else -1. */
static int32_t index_of(double v, int32_t n) {
  if (!(v >= 0) || v >= (double)n || v != floor(v)) return -1;
  return (int32_t)v;
}

static int screen_range(void *ctx, int64_t begin, int64_t end, int worker) {
  (void)worker;
  screen_job *job = (screen_job *)ctx;
  const tpp_screen_table *t = job->t;
  const size_t per_seg = (size_t)t->n_chips * (size_t)t->n_dclasses * (size_t)t->n_hclasses;
  const size_t per_chip = (size_t)t->n_dclasses * (size_t)t->n_hclasses;
  int64_t i;
  for (i = begin; i < end; i++) {
    int32_t c = index_of(job->chip[i], t->n_chips);
    int32_t d = index_of(job->dest[i], t->n_dests);
    int32_t h = -1, s, dc, hc;
    double dv = job->date[i];
    size_t cell;
    if (job->hq && !isnan(job->hq[i]) && job->hq[i] != -1) {
      h = index_of(job->hq[i], t->n_hqs);
      if (h < 0) goto bad;
    }
    if (c < 0 || d < 0 || !(dv == floor(dv)) || dv < 19000101 || dv > 29991231 || !valid_date((int32_t)dv))
      goto bad;
    s = segment_of(t, (int32_t)dv);
    if (s < 0) goto bad;
    dc = t->dest_class[(size_t)s * (size_t)t->n_dests + (size_t)d];
    hc = t->hq_class[(size_t)s * (size_t)(t->n_hqs + 1) + (size_t)(h + 1)];
    cell = (size_t)s * per_seg + (size_t)c * per_chip + (size_t)dc * (size_t)t->n_hclasses + (size_t)hc;
    job->decision[i] = t->decision[cell];
    if (job->review) job->review[i] = t->review[cell];
    if (job->regimes) job->regimes[i] = (double)t->regimes[cell];
    continue;
  bad:
    return 1;
  }
  return 0;
}

/* The error of the first invalid row, naming its field and value. */
static int row_error(const screen_job *job, int64_t i, tpp_error *err) {
  const tpp_screen_table *t = job->t;
  double dv = job->date[i];
  if (index_of(job->chip[i], t->n_chips) < 0)
    return tpp_fail(err, TPP_E_ARG, i, -1, job->chip[i], "row %lld: chip %.17g, expected an index 0..%d",
                    (long long)i + 1, job->chip[i], (int)t->n_chips - 1);
  if (index_of(job->dest[i], t->n_dests) < 0)
    return tpp_fail(err, TPP_E_ARG, i, -1, job->dest[i],
                    "row %lld: destination %.17g, expected an index 0..%d", (long long)i + 1,
                    job->dest[i], (int)t->n_dests - 1);
  if (job->hq && !isnan(job->hq[i]) && job->hq[i] != -1 && index_of(job->hq[i], t->n_hqs) < 0)
    return tpp_fail(err, TPP_E_ARG, i, -1, job->hq[i],
                    "row %lld: headquarters %.17g, expected an index 0..%d or -1 (none)",
                    (long long)i + 1, job->hq[i], (int)t->n_hqs - 1);
  if (!(dv == floor(dv)) || dv < 19000101 || dv > 29991231 || !valid_date((int32_t)dv))
    return tpp_fail(err, TPP_E_ARG, i, -1, dv, "row %lld: date %.17g is not a YYYYMMDD date",
                    (long long)i + 1, dv);
  return tpp_fail(err, TPP_E_ARG, i, -1, dv,
                  "row %lld: date %.0f is before %d, the first date the tables cover",
                  (long long)i + 1, dv, (int)t->seg_start[0]);
}

int tpp_screen_batch(const tpp_screen_table *t, const double *chip, const double *dest,
                     const double *hq, const double *date, int64_t n, int8_t *decision,
                     int8_t *review, double *regimes, int n_threads, tpp_error *err) {
  screen_job job;
  int status;
  int64_t i;
  tpp_error_clear(err);
  if (!t || !chip || !dest || !date || !decision)
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN,
                    "screen batch needs the table and the chip, dest and date columns and a "
                    "decision output");
  if (n < 0) return tpp_fail(err, TPP_E_ARG, -1, -1, (double)n, "row count %lld < 0", (long long)n);
  memset(&job, 0, sizeof job);
  job.t = t;
  job.chip = chip;
  job.dest = dest;
  job.hq = hq;
  job.date = date;
  job.decision = decision;
  job.review = review;
  job.regimes = regimes;
  status = tpp_parallel_for(n, 65536, n_threads, screen_range, &job);
  if (status != 0) {
    /* the first invalid row, found again serially so the report does not depend on threads */
    for (i = 0; i < n; i++) {
      int8_t probe;
      screen_job one = job;
      one.decision = &probe;
      one.review = NULL;
      one.regimes = NULL;
      one.chip = job.chip + i;
      one.dest = job.dest + i;
      one.hq = job.hq ? job.hq + i : NULL;
      one.date = job.date + i;
      if (screen_range(&one, 0, 1, 0) != 0) return row_error(&job, i, err);
    }
    return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "screen batch failed");
  }
  return TPP_OK;
}
