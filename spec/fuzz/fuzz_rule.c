/*
 * fuzz_rule.c - libFuzzer target for the rule program: a tpp_rule_program
 * filled from the fuzzed bytes (indices, comparators, thresholds, targets
 * and counts out of range, NaN and infinite thresholds) must be refused by
 * tpp_rule_check with a message, or evaluate; one row (tpp_rule_eval_one)
 * and a batch of rows (tpp_rule_eval_batch) of fuzzed values must then
 * agree on status, governing clause, outcome and policy.
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

static double value(reader *r) {
  uint8_t k = byte(r);
  if (k < 16) return NAN;
  if (k < 20) return k & 1 ? INFINITY : -INFINITY;
  return ((double)k - 128.0) * 40.0; /* lines and values meet often */
}

enum { ROWS = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static tpp_rule_program p;
  static tpp_rule_detail d;
  reader r = {data, size};
  tpp_error err;
  double rows[ROWS][TPP_RULE_MAX_COLUMNS];
  const double *cols[TPP_RULE_MAX_COLUMNS];
  static double colbuf[TPP_RULE_MAX_COLUMNS][ROWS];
  int8_t status[ROWS], gov[ROWS], outc[ROWS], pol[ROWS], near[ROWS];
  tpp_rule_outputs out;
  int i, j;
  tpp_rule_init(&p);
  /* counts slightly beyond the limits, so the bounds checks are exercised */
  p.n_columns = byte(&r) % (TPP_RULE_MAX_COLUMNS + 3) - 1;
  p.n_inputs = byte(&r) % (TPP_RULE_MAX_INPUTS + 3) - 1;
  for (i = 0; i < p.n_inputs && i < TPP_RULE_MAX_INPUTS; i++) {
    p.inputs[i].kind = byte(&r) % 3;
    p.inputs[i].a = (int8_t)byte(&r) % 36;
    p.inputs[i].b = (int8_t)byte(&r) % 36;
  }
  p.n_tests = (int)byte(&r) + (byte(&r) & 1) - 1; /* -1 .. 256 */
  for (i = 0; i < p.n_tests && i < TPP_RULE_MAX_TESTS; i++) {
    p.tests[i].input = (int8_t)byte(&r) % 36;
    p.tests[i].op = byte(&r) % 7 - 1;
    p.tests[i].threshold = value(&r);
    p.tests[i].if_unknown = byte(&r) % 4;
    p.tests[i].no_near = byte(&r) & 1;
  }
  p.n_clauses = byte(&r) % (TPP_RULE_MAX_CLAUSES + 3) - 1;
  for (i = 0; i < p.n_clauses && i < TPP_RULE_MAX_CLAUSES; i++) {
    p.clauses[i].first_test = byte(&r) - 1;
    p.clauses[i].n_tests = (int8_t)byte(&r) % 8;
    p.clauses[i].role = byte(&r) % 3;
    p.clauses[i].outcome = (int8_t)byte(&r) % 130;
  }
  p.n_notes = byte(&r) % (TPP_RULE_MAX_NOTES + 3) - 1;
  for (i = 0; i < p.n_notes && i < TPP_RULE_MAX_NOTES; i++) {
    p.notes[i].first_test = byte(&r) - 1;
    p.notes[i].n_tests = (int8_t)byte(&r) % 8;
    p.notes[i].kind = byte(&r) % 3;
    p.notes[i].outcome = (int8_t)byte(&r) % 130;
    p.notes[i].targets = (uint64_t)byte(&r) << (byte(&r) % 60) | byte(&r);
  }
  p.near = byte(&r) < 8 ? NAN : (double)byte(&r) / 100.0 - 0.2;
  if (tpp_rule_check(&p, &err) != TPP_OK) {
    if (err.code == TPP_OK || err.message[0] == '\0') abort();
    return 0;
  }
  for (j = 0; j < ROWS; j++)
    for (i = 0; i < TPP_RULE_MAX_COLUMNS; i++) {
      rows[j][i] = value(&r);
      colbuf[i][j] = rows[j][i];
    }
  for (i = 0; i < TPP_RULE_MAX_COLUMNS; i++) cols[i] = colbuf[i];
  memset(&out, 0, sizeof out);
  out.status = status;
  out.governing = gov;
  out.outcome = outc;
  out.policy = pol;
  out.near = near;
  if (tpp_rule_eval_batch(&p, cols, ROWS, &out, 1, &err) != TPP_OK) abort();
  for (j = 0; j < ROWS; j++) {
    if (tpp_rule_eval_one(&p, rows[j], &d, &err) != TPP_OK) abort();
    if (d.status != status[j] || d.governing != gov[j] || d.policy != pol[j] ||
        (d.outcome >= -2 && d.outcome < 128 && d.outcome != outc[j]) || d.near != near[j])
      abort(); /* the two paths must agree exactly */
  }
  return 0;
}
