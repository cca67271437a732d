/*
 * classify.c - what classifying a chunk of chips needs besides the metric
 * and rule kernels: the rule inputs derived from a chip file's columns, and
 * the inputs an undetermined row waits for. Every column is double[n] with
 * NaN = unknown; the chunk is the structure-of-arrays batch of a reader.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

int tpp_chip_rule_inputs(const tpp_chip_rule_columns *c, tpp_error *err) {
  int64_t i, n;
  tpp_error_clear(err);
  if (!c) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "chip rule inputs: NULL columns");
  n = c->n;
  if (n < 0) return tpp_fail(err, TPP_E_ARG, -1, -1, (double)n, "chip rule inputs: %lld rows", (long long)n);
  for (i = 0; i < n; i++) {
    /* no matrix rate: the vector FMA rate is the chip's FP64 MAC rate */
    if (c->fp64 && c->fp64_vector && isnan(c->fp64[i])) c->fp64[i] = c->fp64_vector[i];
    if (c->hbm && c->hbm_from_type && isnan(c->hbm[i])) c->hbm[i] = c->hbm_from_type[i];
    if (c->memory_item) {
      double m = NAN;
      if (c->form_memory && c->form_memory[i] == 1) m = 1;
      else if (c->tpp && !isnan(c->tpp[i])) m = 0;
      c->memory_item[i] = m;
    }
    if (c->first_marketed && c->year && isnan(c->first_marketed[i]) && !isnan(c->year[i]))
      c->first_marketed[i] = c->year[i] * 10000 + 701;
  }
  return TPP_OK;
}

int tpp_rule_missing(const tpp_rule_program *p, const double *const *columns, int64_t n,
                     const int8_t *status, const int8_t *near, double *masks, int64_t *counts,
                     tpp_error *err) {
  tpp_rule_detail d;
  double row[TPP_RULE_MAX_COLUMNS];
  int64_t i;
  int st;
  tpp_error_clear(err);
  if (!p || !status || !masks) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "rule missing: NULL argument");
  st = tpp_rule_check(p, err);
  if (st != TPP_OK) return st;
  if (p->n_inputs > 53)
    return tpp_fail(err, TPP_E_ARG, -1, -1, p->n_inputs, "rule missing: more than 53 inputs");
  for (i = 0; i < n; i++) {
    uint64_t mask = 0;
    int s = status[i];
    if (counts && s >= 0 && s <= 2) counts[s]++;
    if (counts && near && near[i] > 0) counts[3]++;
    if (s == TPP_STATUS_UNDETERMINED) {
      int c, k, t;
      int relevant;
      for (c = 0; c < p->n_columns; c++) row[c] = columns && columns[c] ? columns[c][i] : NAN;
      st = tpp_rule_eval_one(p, row, &d, err);
      if (st != TPP_OK) return st;
      /* a paragraph's unknown test, where the paragraph itself is unknown */
      for (c = 0; c < p->n_clauses; c++) {
        const tpp_rule_clause *cl = &p->clauses[c];
        if (d.clause_state[c] != TPP_TRI_UNKNOWN) continue;
        for (t = cl->first_test; t < cl->first_test + cl->n_tests; t++)
          if (d.test_state[t] == TPP_TRI_UNKNOWN) mask |= (uint64_t)1 << p->tests[t].input;
      }
      /* a note's unknown test, where the note is unknown and targets a clause
       * that is not false before notes */
      for (k = 0; k < p->n_notes; k++) {
        const tpp_rule_note *nt = &p->notes[k];
        if (d.note_state[k] != TPP_TRI_UNKNOWN) continue;
        relevant = 0;
        for (c = 0; c < p->n_clauses; c++)
          if ((nt->targets >> c & 1) && d.clause_raw[c] != TPP_TRI_FALSE) relevant = 1;
        if (!relevant) continue;
        for (t = nt->first_test; t < nt->first_test + nt->n_tests; t++)
          if (d.test_state[t] == TPP_TRI_UNKNOWN) mask |= (uint64_t)1 << p->tests[t].input;
      }
    }
    masks[i] = (double)mask;
  }
  return TPP_OK;
}
