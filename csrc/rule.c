/*
 * rule.c - compiled rule programs: threshold tests, clauses and notes
 * evaluated with three-valued logic, for one row (with every detail an
 * explanation needs) or for n rows of a structure-of-arrays batch.
 *
 * The semantics are written once in the comment of include/tpp.h. The row
 * evaluator below is the reference; the batch kernel computes the same thing
 * a block of rows at a time with byte masks (so the compiler can vectorize the
 * comparisons), and spec/c/test_rule.c checks that both agree on random
 * programs and rows.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tpp_rule_init(tpp_rule_program *p) {
  if (!p) return;
  memset(p, 0, sizeof *p);
  p->near = 0.05;
}

static int check_range(tpp_error *err, const char *what, int index, int32_t first,
                       int32_t count, int32_t n_tests) {
  if (first < 0 || count < 0 || first > n_tests || count > n_tests - first)
    return tpp_fail(err, TPP_E_ARG, -1, -1, (double)first,
                    "%s %d: tests [%d, %d) outside the %d tests of the program", what,
                    index, (int)first, (int)(first + count), (int)n_tests);
  return TPP_OK;
}

int tpp_rule_check(const tpp_rule_program *p, tpp_error *err) {
  int i;
  if (!p) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "rule program: NULL pointer");
  if (p->n_columns < 0 || p->n_columns > TPP_RULE_MAX_COLUMNS)
    return tpp_fail(err, TPP_E_ARG, -1, -1, p->n_columns, "rule program: %d columns, expected 0..%d",
                    (int)p->n_columns, TPP_RULE_MAX_COLUMNS);
  if (p->n_inputs < 0 || p->n_inputs > TPP_RULE_MAX_INPUTS)
    return tpp_fail(err, TPP_E_ARG, -1, -1, p->n_inputs, "rule program: %d inputs, expected 0..%d",
                    (int)p->n_inputs, TPP_RULE_MAX_INPUTS);
  if (p->n_tests < 0 || p->n_tests > TPP_RULE_MAX_TESTS)
    return tpp_fail(err, TPP_E_ARG, -1, -1, p->n_tests, "rule program: %d tests, expected 0..%d",
                    (int)p->n_tests, TPP_RULE_MAX_TESTS);
  if (p->n_clauses < 0 || p->n_clauses > TPP_RULE_MAX_CLAUSES)
    return tpp_fail(err, TPP_E_ARG, -1, -1, p->n_clauses, "rule program: %d clauses, expected 0..%d",
                    (int)p->n_clauses, TPP_RULE_MAX_CLAUSES);
  if (p->n_notes < 0 || p->n_notes > TPP_RULE_MAX_NOTES)
    return tpp_fail(err, TPP_E_ARG, -1, -1, p->n_notes, "rule program: %d notes, expected 0..%d",
                    (int)p->n_notes, TPP_RULE_MAX_NOTES);
  if (!(p->near >= 0) || isinf(p->near))
    return tpp_fail(err, TPP_E_ARG, -1, -1, p->near,
                    "rule program: near-line margin must be a finite number >= 0");
  for (i = 0; i < p->n_inputs; i++) {
    const tpp_rule_input *in = &p->inputs[i];
    if (in->kind != TPP_RULE_INPUT_COLUMN && in->kind != TPP_RULE_INPUT_SUM)
      return tpp_fail(err, TPP_E_ARG, -1, -1, in->kind, "input %d: unknown kind %d", i,
                      (int)in->kind);
    if (in->a < 0 || in->a >= p->n_columns ||
        (in->kind == TPP_RULE_INPUT_SUM && (in->b < 0 || in->b >= p->n_columns)))
      return tpp_fail(err, TPP_E_ARG, -1, -1, in->a,
                      "input %d: column index outside 0..%d", i, (int)p->n_columns - 1);
  }
  for (i = 0; i < p->n_tests; i++) {
    const tpp_rule_test *t = &p->tests[i];
    if (t->input < 0 || t->input >= p->n_inputs)
      return tpp_fail(err, TPP_E_ARG, -1, -1, t->input, "test %d: input %d outside 0..%d", i,
                      (int)t->input, (int)p->n_inputs - 1);
    if (t->op < 0 || t->op >= TPP_OP_COUNT)
      return tpp_fail(err, TPP_E_ARG, -1, -1, t->op, "test %d: unknown comparator %d", i,
                      (int)t->op);
    if (isnan(t->threshold) || isinf(t->threshold))
      return tpp_fail(err, TPP_E_ARG, -1, -1, t->threshold,
                      "test %d: threshold must be a finite number", i);
    if (t->if_unknown < TPP_IF_UNKNOWN_UNDETERMINED || t->if_unknown > TPP_IF_UNKNOWN_FALSE)
      return tpp_fail(err, TPP_E_ARG, -1, -1, t->if_unknown, "test %d: unknown if_unknown %d",
                      i, (int)t->if_unknown);
  }
  for (i = 0; i < p->n_clauses; i++) {
    const tpp_rule_clause *c = &p->clauses[i];
    int status = check_range(err, "clause", i, c->first_test, c->n_tests, p->n_tests);
    if (status != TPP_OK) return status;
    if (c->role != TPP_ROLE_CLASSIFY && c->role != TPP_ROLE_POLICY)
      return tpp_fail(err, TPP_E_ARG, -1, -1, c->role, "clause %d: unknown role %d", i,
                      (int)c->role);
    if (c->outcome < 0 || c->outcome > 127)
      return tpp_fail(err, TPP_E_ARG, -1, -1, c->outcome, "clause %d: outcome %d outside 0..127",
                      i, (int)c->outcome);
  }
  for (i = 0; i < p->n_notes; i++) {
    const tpp_rule_note *n = &p->notes[i];
    int status = check_range(err, "note", i, n->first_test, n->n_tests, p->n_tests);
    if (status != TPP_OK) return status;
    if (n->kind != TPP_NOTE_EXCLUDE && n->kind != TPP_NOTE_OUTCOME)
      return tpp_fail(err, TPP_E_ARG, -1, -1, n->kind, "note %d: unknown kind %d", i,
                      (int)n->kind);
    if (n->kind == TPP_NOTE_OUTCOME && (n->outcome < 0 || n->outcome > 127))
      return tpp_fail(err, TPP_E_ARG, -1, -1, n->outcome, "note %d: outcome %d outside 0..127",
                      i, (int)n->outcome);
    if (p->n_clauses < 64 && (n->targets >> p->n_clauses) != 0)
      return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "note %d: targets a clause beyond the %d clauses",
                      i, (int)p->n_clauses);
  }
  return TPP_OK;
}

/* ---- one row: the reference semantics ---- */

static int compare(double v, int op, double threshold) {
  switch (op) {
    case TPP_OP_GE: return v >= threshold;
    case TPP_OP_GT: return v > threshold;
    case TPP_OP_LE: return v <= threshold;
    case TPP_OP_LT: return v < threshold;
    default: return v == threshold;
  }
}

static int8_t not3(int8_t s) {
  return s == TPP_TRI_TRUE ? TPP_TRI_FALSE : s == TPP_TRI_FALSE ? TPP_TRI_TRUE : TPP_TRI_UNKNOWN;
}

static int8_t and3(int8_t a, int8_t b) {
  if (a == TPP_TRI_FALSE || b == TPP_TRI_FALSE) return TPP_TRI_FALSE;
  if (a == TPP_TRI_UNKNOWN || b == TPP_TRI_UNKNOWN) return TPP_TRI_UNKNOWN;
  return TPP_TRI_TRUE;
}

/* Conjunction of tests [first, first + n) and whether one of them is a near
 * line that alone decides it. */
static int8_t conjunction(const tpp_rule_detail *d, int32_t first, int32_t n, int8_t *near) {
  int8_t s = TPP_TRI_TRUE;
  int not_true = 0, near_not_true = 0, any_near = 0, t;
  for (t = first; t < first + n; t++) {
    s = and3(s, d->test_state[t]);
    if (d->test_state[t] != TPP_TRI_TRUE) {
      not_true++;
      near_not_true += d->test_near[t];
    }
    any_near |= d->test_near[t];
  }
  *near = (int8_t)((not_true == 0 && any_near) || (not_true == 1 && near_not_true == 1));
  return s;
}

int tpp_rule_eval_one(const tpp_rule_program *p, const double *columns,
                      tpp_rule_detail *d, tpp_error *err) {
  int i, c, status;
  int any_unknown = 0, policy_blocked = 0;
  if (!d) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "rule detail: NULL pointer");
  status = tpp_rule_check(p, err);
  if (status != TPP_OK) return status;
  if (!columns && p->n_columns > 0)
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "rule row: NULL column values");
  memset(d, 0, sizeof *d);
  for (i = 0; i < p->n_inputs; i++) {
    const tpp_rule_input *in = &p->inputs[i];
    d->input_value[i] = in->kind == TPP_RULE_INPUT_SUM ? columns[in->a] + columns[in->b]
                                                        : columns[in->a];
  }
  for (i = 0; i < p->n_tests; i++) {
    const tpp_rule_test *t = &p->tests[i];
    double v = d->input_value[t->input];
    if (isnan(v)) {
      d->test_state[i] = t->if_unknown == TPP_IF_UNKNOWN_TRUE    ? TPP_TRI_TRUE
                         : t->if_unknown == TPP_IF_UNKNOWN_FALSE ? TPP_TRI_FALSE
                                                                 : TPP_TRI_UNKNOWN;
      d->test_margin[i] = NAN;
      d->test_ratio[i] = NAN;
    } else {
      d->test_state[i] = compare(v, t->op, t->threshold) ? TPP_TRI_TRUE : TPP_TRI_FALSE;
      d->test_margin[i] = v - t->threshold;
      d->test_ratio[i] = t->threshold != 0 ? v / t->threshold : NAN;
      d->test_near[i] = (int8_t)(t->op != TPP_OP_EQ && !t->no_near &&
                                 fabs(v - t->threshold) <= p->near * fabs(t->threshold));
    }
  }
  for (c = 0; c < p->n_clauses; c++) {
    d->clause_raw[c] = conjunction(d, p->clauses[c].first_test, p->clauses[c].n_tests,
                                   &d->clause_near[c]);
    d->clause_state[c] = d->clause_raw[c];
    d->clause_outcome[c] = (int8_t)p->clauses[c].outcome;
  }
  for (i = 0; i < p->n_notes; i++) {
    int relevant = 0;
    d->note_state[i] = conjunction(d, p->notes[i].first_test, p->notes[i].n_tests, &d->note_near[i]);
    /* a note's line matters only where a clause it targets is not already false */
    for (c = 0; c < p->n_clauses; c++)
      if (((p->notes[i].targets >> c) & 1u) && d->clause_raw[c] != TPP_TRI_FALSE) relevant = 1;
    d->note_near[i] = (int8_t)(d->note_near[i] && relevant);
  }
  for (c = 0; c < p->n_clauses; c++) {
    int undetermined = 0;
    int8_t outcome = d->clause_outcome[c];
    for (i = 0; i < p->n_notes; i++) {
      const tpp_rule_note *n = &p->notes[i];
      if (!((n->targets >> c) & 1u)) continue;
      if (n->kind == TPP_NOTE_EXCLUDE) {
        d->clause_state[c] = and3(d->clause_state[c], not3(d->note_state[i]));
      } else if (d->note_state[i] == TPP_TRI_TRUE) {
        outcome = (int8_t)n->outcome;
        undetermined = 0;
      } else if (d->note_state[i] == TPP_TRI_UNKNOWN && n->outcome != outcome) {
        undetermined = 1;
      }
    }
    d->clause_outcome[c] = undetermined ? (int8_t)TPP_OUTCOME_UNDETERMINED : outcome;
  }
  d->governing = -1;
  d->governing_certain = 1;
  d->policy = -1;
  for (c = 0; c < p->n_clauses; c++) {
    int8_t s = d->clause_state[c];
    if (p->clauses[c].role == TPP_ROLE_CLASSIFY) {
      if (d->governing < 0) {
        if (s == TPP_TRI_TRUE)
          d->governing = c;
        else if (s == TPP_TRI_UNKNOWN)
          any_unknown = 1;
      }
    } else if (d->policy == -1 && !policy_blocked) {
      if (s == TPP_TRI_TRUE)
        d->policy = c;
      else if (s == TPP_TRI_UNKNOWN)
        policy_blocked = 1;
    }
  }
  if (policy_blocked) d->policy = TPP_OUTCOME_UNDETERMINED;
  if (d->governing >= 0) {
    d->status = TPP_STATUS_CONTROLLED;
    d->outcome = d->clause_outcome[d->governing];
    d->governing_certain = !any_unknown;
    /* An unknown clause of higher precedence could govern instead: the outcome
     * stands only if every such clause would give the same. */
    for (c = 0; c < d->governing && !d->governing_certain; c++)
      if (p->clauses[c].role == TPP_ROLE_CLASSIFY && d->clause_state[c] == TPP_TRI_UNKNOWN &&
          d->clause_outcome[c] != d->outcome)
        d->outcome = TPP_OUTCOME_UNDETERMINED;
  } else {
    d->status = any_unknown ? TPP_STATUS_UNDETERMINED : TPP_STATUS_NOT_CONTROLLED;
    d->outcome = any_unknown ? TPP_OUTCOME_UNDETERMINED : TPP_OUTCOME_NONE;
  }
  for (c = 0; c < p->n_clauses; c++) d->near |= d->clause_near[c];
  for (i = 0; i < p->n_notes; i++) d->near |= d->note_near[i];
  return TPP_OK;
}

/* ---- n rows: the same semantics a block at a time ---- */

enum { BLOCK = 256 };

/* Per-worker scratch, each array [count][BLOCK] bytes (doubles for sums):
 * a test, clause or note is true where t[] = 1, false where f[] = 1, unknown
 * where both are 0; nr[] marks a near line (tests) or a near decision. */
typedef struct rule_scratch {
  uint8_t *test_t, *test_f, *test_near;       /* [n_tests][BLOCK] */
  uint8_t *clause_t, *clause_f, *clause_near; /* [n_clauses][BLOCK] */
  int8_t *clause_outcome;                     /* [n_clauses][BLOCK] */
  uint8_t *note_t, *note_f, *note_near;       /* [n_notes][BLOCK] */
  double *sums;                               /* [n_inputs][BLOCK] */
  uint8_t *bytes;                             /* the one allocation behind the byte arrays */
} rule_scratch;

static void scratch_free(rule_scratch *s) {
  tpp_free(s->bytes);
  tpp_free(s->sums);
}

static int scratch_alloc(rule_scratch *s, const tpp_rule_program *p) {
  size_t nt = (size_t)p->n_tests * BLOCK, nc = (size_t)p->n_clauses * BLOCK;
  size_t nn = (size_t)p->n_notes * BLOCK, ns = (size_t)p->n_inputs * BLOCK;
  uint8_t *b = (uint8_t *)tpp_alloc(3 * nt + 4 * nc + 3 * nn + 64);
  s->bytes = b;
  s->sums = (double *)tpp_alloc(ns * sizeof(double) + 64);
  if (!b || !s->sums) {
    scratch_free(s);
    return TPP_E_NOMEM;
  }
  s->test_t = b; b += nt;
  s->test_f = b; b += nt;
  s->test_near = b; b += nt;
  s->clause_t = b; b += nc;
  s->clause_f = b; b += nc;
  s->clause_near = b; b += nc;
  s->clause_outcome = (int8_t *)b; b += nc;
  s->note_t = b; b += nn;
  s->note_f = b; b += nn;
  s->note_near = b;
  return TPP_OK;
}

/* One test over m rows of x (NULL = every row unknown). */
static void eval_test(const tpp_rule_test *t, double near, const double *x, int m,
                      uint8_t *tt, uint8_t *tf, uint8_t *tn) {
  const double thr = t->threshold, reach = near * fabs(thr);
  const uint8_t ut = t->if_unknown == TPP_IF_UNKNOWN_TRUE;
  const uint8_t uf = t->if_unknown == TPP_IF_UNKNOWN_FALSE;
  const int nearable = t->op != TPP_OP_EQ && !t->no_near;
  int j;
  if (!x) {
    memset(tt, ut, (size_t)m);
    memset(tf, uf, (size_t)m);
    memset(tn, 0, (size_t)m);
    return;
  }
  /* NaN compares false under every operator, so `c` is 0 for unknown rows. */
#define TPP_TEST_LOOP(EXPR)                                    \
  for (j = 0; j < m; j++) {                                    \
    const double v = x[j];                                     \
    const uint8_t known = v == v, c = (uint8_t)(EXPR);         \
    const uint8_t unknown = (uint8_t)(known ^ 1u);             \
    tt[j] = (uint8_t)(c | (unknown & ut));                     \
    tf[j] = (uint8_t)((known & (c ^ 1u)) | (unknown & uf));    \
    tn[j] = (uint8_t)(nearable & known & (fabs(v - thr) <= reach)); \
  }
  switch (t->op) {
    case TPP_OP_GE: TPP_TEST_LOOP(v >= thr) break;
    case TPP_OP_GT: TPP_TEST_LOOP(v > thr) break;
    case TPP_OP_LE: TPP_TEST_LOOP(v <= thr) break;
    case TPP_OP_LT: TPP_TEST_LOOP(v < thr) break;
    default: TPP_TEST_LOOP(v == thr) break;
  }
#undef TPP_TEST_LOOP
}

/* Conjunction of tests [first, first + n) into ct/cf/cn for m rows. */
static void eval_conjunction(const rule_scratch *s, int32_t first, int32_t n, int m,
                             uint8_t *ct, uint8_t *cf, uint8_t *cn) {
  uint8_t not_true[BLOCK], near_not_true[BLOCK], any_near[BLOCK];
  int t, j;
  memset(ct, 1, (size_t)m);
  memset(cf, 0, (size_t)m);
  memset(not_true, 0, sizeof not_true);
  memset(near_not_true, 0, sizeof near_not_true);
  memset(any_near, 0, sizeof any_near);
  for (t = first; t < first + n; t++) {
    const uint8_t *tt = s->test_t + (size_t)t * BLOCK, *tf = s->test_f + (size_t)t * BLOCK;
    const uint8_t *tn = s->test_near + (size_t)t * BLOCK;
    for (j = 0; j < m; j++) {
      const uint8_t nt = (uint8_t)!tt[j];
      ct[j] &= tt[j];
      cf[j] |= tf[j];
      not_true[j] = (uint8_t)(not_true[j] + (nt && not_true[j] < 2));
      near_not_true[j] |= (uint8_t)(nt & tn[j]);
      any_near[j] |= tn[j];
    }
  }
  for (j = 0; j < m; j++)
    cn[j] = (uint8_t)((not_true[j] == 0 && any_near[j]) ||
                      (not_true[j] == 1 && near_not_true[j]));
}

typedef struct rule_job {
  const tpp_rule_program *p;
  const double *const *columns;
  const tpp_rule_outputs *out;
} rule_job;

static void eval_block(const tpp_rule_program *p, const double *const *columns,
                       const tpp_rule_outputs *out, rule_scratch *s, int64_t i0, int m) {
  const double *inputs[TPP_RULE_MAX_INPUTS];
  int k, t, c, n, j;
  for (k = 0; k < p->n_inputs; k++) {
    const tpp_rule_input *in = &p->inputs[k];
    const double *a = columns[in->a] ? columns[in->a] + i0 : NULL;
    if (in->kind == TPP_RULE_INPUT_SUM) {
      const double *b = columns[in->b] ? columns[in->b] + i0 : NULL;
      double *sum = s->sums + (size_t)k * BLOCK;
      if (!a || !b) {
        inputs[k] = NULL;
        continue;
      }
      for (j = 0; j < m; j++) sum[j] = a[j] + b[j];
      inputs[k] = sum;
    } else {
      inputs[k] = a;
    }
  }
  for (t = 0; t < p->n_tests; t++)
    eval_test(&p->tests[t], p->near, inputs[p->tests[t].input], m,
              s->test_t + (size_t)t * BLOCK, s->test_f + (size_t)t * BLOCK,
              s->test_near + (size_t)t * BLOCK);
  for (c = 0; c < p->n_clauses; c++) {
    int8_t *co = s->clause_outcome + (size_t)c * BLOCK;
    eval_conjunction(s, p->clauses[c].first_test, p->clauses[c].n_tests, m,
                     s->clause_t + (size_t)c * BLOCK, s->clause_f + (size_t)c * BLOCK,
                     s->clause_near + (size_t)c * BLOCK);
    memset(co, (int8_t)p->clauses[c].outcome, (size_t)m);
  }
  for (n = 0; n < p->n_notes; n++) {
    uint8_t relevant[BLOCK];
    uint8_t *nn = s->note_near + (size_t)n * BLOCK;
    eval_conjunction(s, p->notes[n].first_test, p->notes[n].n_tests, m,
                     s->note_t + (size_t)n * BLOCK, s->note_f + (size_t)n * BLOCK, nn);
    memset(relevant, 0, (size_t)m);
    for (c = 0; c < p->n_clauses; c++) {
      const uint8_t *cf = s->clause_f + (size_t)c * BLOCK;
      if (!((p->notes[n].targets >> c) & 1u)) continue;
      for (j = 0; j < m; j++) relevant[j] |= (uint8_t)(cf[j] ^ 1u);
    }
    for (j = 0; j < m; j++) nn[j] &= relevant[j];
  }
  /* Notes in order: exclusions cut clauses; outcome notes rewrite outcomes. */
  for (c = 0; c < p->n_clauses; c++) {
    uint8_t *ct = s->clause_t + (size_t)c * BLOCK, *cf = s->clause_f + (size_t)c * BLOCK;
    int8_t *co = s->clause_outcome + (size_t)c * BLOCK;
    uint8_t undetermined[BLOCK];
    int any_outcome_note = 0;
    memset(undetermined, 0, (size_t)m);
    for (n = 0; n < p->n_notes; n++) {
      const tpp_rule_note *note = &p->notes[n];
      const uint8_t *nt = s->note_t + (size_t)n * BLOCK, *nf = s->note_f + (size_t)n * BLOCK;
      if (!((note->targets >> c) & 1u)) continue;
      if (note->kind == TPP_NOTE_EXCLUDE) {
        for (j = 0; j < m; j++) {
          ct[j] &= nf[j];
          cf[j] |= nt[j];
        }
      } else {
        const int8_t o = (int8_t)note->outcome;
        any_outcome_note = 1;
        for (j = 0; j < m; j++) {
          const uint8_t unknown = (uint8_t)((nt[j] | nf[j]) ^ 1u);
          undetermined[j] = nt[j] ? 0 : (uint8_t)(undetermined[j] | (unknown & (co[j] != o)));
          co[j] = nt[j] ? o : co[j];
        }
      }
    }
    if (any_outcome_note)
      for (j = 0; j < m; j++)
        if (undetermined[j]) co[j] = (int8_t)TPP_OUTCOME_UNDETERMINED;
  }
  /* Per row: status, governing clause, outcome, policy, near. */
  for (j = 0; j < m; j++) {
    int governing = -1, any_unknown = 0, policy = -1, policy_blocked = 0, near = 0;
    int8_t outcome;
    const int64_t row = i0 + j;
    for (c = 0; c < p->n_clauses; c++) {
      const size_t at = (size_t)c * BLOCK + (size_t)j;
      const int is_t = s->clause_t[at], is_f = s->clause_f[at];
      near |= s->clause_near[at];
      if (p->clauses[c].role == TPP_ROLE_CLASSIFY) {
        if (governing < 0) {
          if (is_t)
            governing = c;
          else if (!is_f)
            any_unknown = 1;
        }
      } else if (policy == -1 && !policy_blocked) {
        if (is_t)
          policy = c;
        else if (!is_f)
          policy_blocked = 1;
      }
    }
    for (n = 0; n < p->n_notes; n++) near |= s->note_near[(size_t)n * BLOCK + (size_t)j];
    if (governing >= 0) {
      outcome = s->clause_outcome[(size_t)governing * BLOCK + (size_t)j];
      for (c = 0; c < governing && any_unknown; c++) {
        const size_t at = (size_t)c * BLOCK + (size_t)j;
        if (p->clauses[c].role == TPP_ROLE_CLASSIFY && !s->clause_t[at] && !s->clause_f[at] &&
            s->clause_outcome[at] != outcome)
          outcome = (int8_t)TPP_OUTCOME_UNDETERMINED;
      }
    } else {
      outcome = (int8_t)(any_unknown ? TPP_OUTCOME_UNDETERMINED : TPP_OUTCOME_NONE);
    }
    if (out->status)
      out->status[row] = (int8_t)(governing >= 0 ? TPP_STATUS_CONTROLLED
                                  : any_unknown  ? TPP_STATUS_UNDETERMINED
                                                 : TPP_STATUS_NOT_CONTROLLED);
    if (out->governing) out->governing[row] = (int8_t)governing;
    if (out->outcome) out->outcome[row] = outcome;
    if (out->policy) out->policy[row] = (int8_t)(policy_blocked ? TPP_OUTCOME_UNDETERMINED : policy);
    if (out->near) out->near[row] = (int8_t)near;
  }
  for (c = 0; c < p->n_clauses; c++) {
    int8_t *dst = out->clause_state[c];
    const uint8_t *ct = s->clause_t + (size_t)c * BLOCK, *cf = s->clause_f + (size_t)c * BLOCK;
    if (!dst) continue;
    for (j = 0; j < m; j++) dst[i0 + j] = (int8_t)(ct[j] ? 1 : cf[j] ? 0 : -1);
  }
}

static int eval_range(void *ctx, int64_t begin, int64_t end, int worker) {
  const rule_job *job = (const rule_job *)ctx;
  rule_scratch s;
  int64_t i;
  if (scratch_alloc(&s, job->p) != TPP_OK) return TPP_E_NOMEM;
  for (i = begin; i < end; i += BLOCK) {
    int m = end - i < BLOCK ? (int)(end - i) : BLOCK;
    eval_block(job->p, job->columns, job->out, &s, i, m);
  }
  scratch_free(&s);
  return TPP_OK;
}

int tpp_rule_eval_batch(const tpp_rule_program *p, const double *const *columns, int64_t n,
                        const tpp_rule_outputs *out, int n_threads, tpp_error *err) {
  rule_job job;
  int status = tpp_rule_check(p, err);
  if (status != TPP_OK) return status;
  if (n < 0) return tpp_fail(err, TPP_E_ARG, -1, -1, (double)n, "row count %lld < 0", (long long)n);
  if (!out) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "rule outputs: NULL pointer");
  if (!columns && p->n_columns > 0)
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "rule columns: NULL pointer");
  job.p = p;
  job.columns = columns;
  job.out = out;
  status = tpp_parallel_for(n, 16384, n_threads, eval_range, &job);
  if (status == TPP_E_NOMEM)
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0,
                    "out of memory for the rule evaluator's scratch buffers");
  return status;
}

void tpp_random_flags(double *dst, int64_t n, double p_true, double unknown, uint64_t seed) {
  uint64_t x = seed * 2654435761u + 88172645463325252ull;
  int64_t i;
  if (!dst) return;
  for (i = 0; i < n; i++) {
    double u1, u2;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    u1 = (double)((x * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0);
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    u2 = (double)((x * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0);
    dst[i] = u2 < unknown ? NAN : (u1 < p_true ? 1.0 : 0.0);
  }
}
