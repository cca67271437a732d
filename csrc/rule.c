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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
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

/* Conjunction of tests [first, first + n) and whether a near line could
 * decide it: a near test and no other test false. */
static int8_t conjunction(const tpp_rule_detail *d, int32_t first, int32_t n, int8_t *near) {
  int8_t s = TPP_TRI_TRUE;
  int false_tests = 0, near_false = 0, any_near = 0, t;
  for (t = first; t < first + n; t++) {
    s = and3(s, d->test_state[t]);
    if (d->test_state[t] == TPP_TRI_FALSE) {
      false_tests++;
      near_false += d->test_near[t];
    }
    any_near |= d->test_near[t];
  }
  *near = (int8_t)((false_tests == 0 && any_near) || (false_tests == 1 && near_false == 1));
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

/* ---- n rows: the same semantics 64 rows at a time ----
 *
 * The batch kernel keeps, for every test, clause and note, one 64-bit word
 * per 64 rows: bit j of t is set where row j is true, of f where it is false
 * (neither: unknown), of n where a near line decides it. Conjunctions,
 * exclusions, precedence and the review policy are then word operations;
 * only the int8 outputs are written row by row. Tests are compared two rows
 * at a time with SSE2 where the compiler targets it (all x86-64), else one
 * at a time: both give the same bits. */

enum { WORDS = 4, BLOCK = 64 * WORDS };

/* Per-worker scratch; each array is [count][WORDS] words. */
typedef struct rule_scratch {
  uint64_t *test_t, *test_f, *test_near;       /* [n_tests][WORDS] */
  uint64_t *clause_t, *clause_f, *clause_near; /* [n_clauses][WORDS], clause_f before notes */
  uint64_t *clause_raw_f;                      /* [n_clauses][WORDS] */
  uint64_t *note_t, *note_f, *note_near;       /* [n_notes][WORDS] */
  double *sums;                                /* [n_inputs][BLOCK] */
  uint64_t *words;                             /* the allocation behind the word arrays */
  int8_t outcome_notes[64][32];                /* [clause][k]: outcome notes on the clause, in order */
  int8_t n_outcome_notes[64];                  /* [clause] */
} rule_scratch;

static void scratch_free(rule_scratch *s) {
  tpp_free(s->words);
  tpp_free(s->sums);
}

static int scratch_alloc(rule_scratch *s, const tpp_rule_program *p) {
  size_t nt = (size_t)p->n_tests * WORDS, nc = (size_t)p->n_clauses * WORDS;
  size_t nn = (size_t)p->n_notes * WORDS, ns = (size_t)p->n_inputs * BLOCK;
  int c, n;
  uint64_t *w = (uint64_t *)tpp_alloc((3 * nt + 4 * nc + 3 * nn + 1) * sizeof(uint64_t));
  s->words = w;
  s->sums = (double *)tpp_alloc(ns * sizeof(double) + 64);
  if (!w || !s->sums) {
    scratch_free(s);
    return TPP_E_NOMEM;
  }
  s->test_t = w; w += nt;
  s->test_f = w; w += nt;
  s->test_near = w; w += nt;
  s->clause_t = w; w += nc;
  s->clause_f = w; w += nc;
  s->clause_near = w; w += nc;
  s->clause_raw_f = w; w += nc;
  s->note_t = w; w += nn;
  s->note_f = w; w += nn;
  s->note_near = w;
  for (c = 0; c < p->n_clauses; c++) {
    s->n_outcome_notes[c] = 0;
    for (n = 0; n < p->n_notes; n++)
      if (p->notes[n].kind == TPP_NOTE_OUTCOME && ((p->notes[n].targets >> c) & 1u))
        s->outcome_notes[c][s->n_outcome_notes[c]++] = (int8_t)n;
  }
  return TPP_OK;
}

static int lowest_bit(uint64_t x) {
#if defined(__GNUC__)
  return __builtin_ctzll(x);
#else
  int k = 0;
  while (!(x & 1u)) {
    x >>= 1;
    k++;
  }
  return k;
#endif
}

/* expand_bits[b][k] = bit k of b: eight flags to eight bytes at once. */
#define TPP_E1(b)                                                                        \
  { (uint8_t)((b) & 1), (uint8_t)(((b) >> 1) & 1), (uint8_t)(((b) >> 2) & 1),              \
    (uint8_t)(((b) >> 3) & 1), (uint8_t)(((b) >> 4) & 1), (uint8_t)(((b) >> 5) & 1),       \
    (uint8_t)(((b) >> 6) & 1), (uint8_t)(((b) >> 7) & 1) }
#define TPP_E4(b) TPP_E1(b), TPP_E1((b) + 1), TPP_E1((b) + 2), TPP_E1((b) + 3)
#define TPP_E16(b) TPP_E4(b), TPP_E4((b) + 4), TPP_E4((b) + 8), TPP_E4((b) + 12)
#define TPP_E64(b) TPP_E16(b), TPP_E16((b) + 16), TPP_E16((b) + 32), TPP_E16((b) + 48)
static const uint8_t expand_bits[256][8] = {TPP_E64(0), TPP_E64(64), TPP_E64(128), TPP_E64(192)};
#undef TPP_E1
#undef TPP_E4
#undef TPP_E16
#undef TPP_E64

/* dst[j] = base + sign * (scale_a * bit j of a + scale_b * bit j of b) for
 * j < count. Every byte stays in 0..255 (no carry or borrow between bytes),
 * so eight rows are one 64-bit add or subtract. */
static void bits_to_bytes(int8_t *dst, int count, uint64_t a, uint64_t scale_a, uint64_t b, uint64_t scale_b,
                          uint8_t base, int subtract) {
  const uint64_t base8 = (uint64_t)base * 0x0101010101010101ull;
  int j;
  for (j = 0; j + 8 <= count; j += 8) {
    uint64_t ea, eb, v;
    memcpy(&ea, expand_bits[(a >> j) & 0xffu], 8);
    memcpy(&eb, expand_bits[(b >> j) & 0xffu], 8);
    v = subtract ? base8 - (ea * scale_a + eb * scale_b) : base8 + ea * scale_a + eb * scale_b;
    memcpy(dst + j, &v, 8);
  }
  for (; j < count; j++) {
    const unsigned d = (unsigned)(((a >> j) & 1u) * scale_a + ((b >> j) & 1u) * scale_b);
    dst[j] = (int8_t)(uint8_t)(subtract ? base - d : base + d);
  }
}

/* Bits of rows [0, rows) of x for one test: c (value OP threshold, false for
 * NaN), k (known), n (within reach of the line; only when nearable). */
static void test_word(const double *x, int rows, int op, double thr, double reach, int nearable,
                      uint64_t *c_out, uint64_t *k_out, uint64_t *n_out) {
  uint64_t c = 0, k = 0, n = 0;
  int j = 0;
#if defined(__SSE2__)
  {
    const __m128d t = _mm_set1_pd(thr), r = _mm_set1_pd(reach);
    const __m128d sign = _mm_set1_pd(-0.0);
    /* one loop per comparator, so the loop body has no branch */
#define TPP_SSE_LOOP(CMP)                                                                  \
  for (; j + 1 < rows; j += 2) {                                                           \
    const __m128d v = _mm_loadu_pd(x + j);                                                 \
    c |= (uint64_t)_mm_movemask_pd(CMP(v, t)) << j;                                        \
    k |= (uint64_t)_mm_movemask_pd(_mm_cmpord_pd(v, v)) << j;                              \
    if (nearable)                                                                          \
      n |= (uint64_t)_mm_movemask_pd(_mm_cmple_pd(_mm_andnot_pd(sign, _mm_sub_pd(v, t)), r)) << j; \
  }
    switch (op) {
      case TPP_OP_GE: TPP_SSE_LOOP(_mm_cmpge_pd) break;
      case TPP_OP_GT: TPP_SSE_LOOP(_mm_cmpgt_pd) break;
      case TPP_OP_LE: TPP_SSE_LOOP(_mm_cmple_pd) break;
      case TPP_OP_LT: TPP_SSE_LOOP(_mm_cmplt_pd) break;
      default: TPP_SSE_LOOP(_mm_cmpeq_pd) break;
    }
#undef TPP_SSE_LOOP
  }
#endif
  for (; j < rows; j++) {
    const double v = x[j];
    c |= (uint64_t)compare(v, op, thr) << j;
    k |= (uint64_t)(v == v) << j;
    if (nearable) n |= (uint64_t)(fabs(v - thr) <= reach) << j;
  }
  *c_out = c;
  *k_out = k;
  *n_out = n;
}

static uint64_t valid_bits(int rows) {
  return rows >= 64 ? ~(uint64_t)0 : rows <= 0 ? 0 : (((uint64_t)1 << rows) - 1);
}

static void eval_test_words(const tpp_rule_test *t, double near, const double *x, int m, uint64_t *tt,
                            uint64_t *tf, uint64_t *tn) {
  const double reach = near * fabs(t->threshold);
  const int nearable = t->op != TPP_OP_EQ && !t->no_near;
  int w;
  for (w = 0; w < WORDS; w++) {
    const int rows = m - 64 * w;
    const uint64_t valid = valid_bits(rows);
    uint64_t c = 0, k = 0, n = 0, unknown;
    if (x && rows > 0)
      test_word(x + 64 * w, rows < 64 ? rows : 64, t->op, t->threshold, reach, nearable, &c, &k, &n);
    unknown = valid & ~k;
    tt[w] = c | (t->if_unknown == TPP_IF_UNKNOWN_TRUE ? unknown : 0);
    tf[w] = (k & ~c) | (t->if_unknown == TPP_IF_UNKNOWN_FALSE ? unknown : 0);
    tn[w] = nearable ? n & k : 0;
  }
}

/* Conjunction of tests [first, first + n): ct, cf, cn (a near line and no
 * other false test: "none" / "exactly one" false, without counters). */
static void conjunction_words(const rule_scratch *s, int32_t first, int32_t n, uint64_t *ct,
                              uint64_t *cf, uint64_t *cn) {
  int w, t;
  for (w = 0; w < WORDS; w++) {
    uint64_t all = ~(uint64_t)0, any_false = 0, none = ~(uint64_t)0, one = 0;
    uint64_t near_false = 0, any_near = 0;
    for (t = first; t < first + n; t++) {
      const uint64_t tt = s->test_t[(size_t)t * WORDS + w], tn = s->test_near[(size_t)t * WORDS + w];
      const uint64_t tf = s->test_f[(size_t)t * WORDS + w];
      all &= tt;
      any_false |= tf;
      one = (one & ~tf) | (none & tf);
      none &= ~tf;
      near_false |= tf & tn;
      any_near |= tn;
    }
    ct[w] = all;
    cf[w] = any_false;
    cn[w] = (none & any_near) | (one & near_false);
  }
}

/* The outcome of clause c for row j of word w after its outcome notes. */
static int8_t clause_outcome_at(const tpp_rule_program *p, const rule_scratch *s, int c, int w, int j) {
  int8_t o = (int8_t)p->clauses[c].outcome;
  int undetermined = 0, k;
  const uint64_t bit = (uint64_t)1 << j;
  for (k = 0; k < s->n_outcome_notes[c]; k++) {
    const int n = s->outcome_notes[c][k];
    const tpp_rule_note *note = &p->notes[n];
    if (s->note_t[(size_t)n * WORDS + w] & bit) {
      o = (int8_t)note->outcome;
      undetermined = 0;
    } else if (!(s->note_f[(size_t)n * WORDS + w] & bit) && note->outcome != o) {
      undetermined = 1;
    }
  }
  return undetermined ? (int8_t)TPP_OUTCOME_UNDETERMINED : o;
}

typedef struct rule_job {
  const tpp_rule_program *p;
  const double *const *columns;
  const tpp_rule_outputs *out;
} rule_job;

static void eval_block(const tpp_rule_program *p, const double *const *columns,
                       const tpp_rule_outputs *out, rule_scratch *s, int64_t i0, int m) {
  const double *inputs[TPP_RULE_MAX_INPUTS];
  uint64_t gov_mask[TPP_RULE_MAX_CLAUSES], unknown_mask[TPP_RULE_MAX_CLAUSES];
  int k, t, c, n, w, j;
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
    eval_test_words(&p->tests[t], p->near, inputs[p->tests[t].input], m, s->test_t + (size_t)t * WORDS,
                    s->test_f + (size_t)t * WORDS, s->test_near + (size_t)t * WORDS);
  for (c = 0; c < p->n_clauses; c++) {
    conjunction_words(s, p->clauses[c].first_test, p->clauses[c].n_tests, s->clause_t + (size_t)c * WORDS,
                      s->clause_f + (size_t)c * WORDS, s->clause_near + (size_t)c * WORDS);
    memcpy(s->clause_raw_f + (size_t)c * WORDS, s->clause_f + (size_t)c * WORDS, WORDS * sizeof(uint64_t));
  }
  for (n = 0; n < p->n_notes; n++)
    conjunction_words(s, p->notes[n].first_test, p->notes[n].n_tests, s->note_t + (size_t)n * WORDS,
                      s->note_f + (size_t)n * WORDS, s->note_near + (size_t)n * WORDS);
  /* exclusion notes cut their clauses */
  for (n = 0; n < p->n_notes; n++) {
    const tpp_rule_note *note = &p->notes[n];
    if (note->kind != TPP_NOTE_EXCLUDE) continue;
    for (c = 0; c < p->n_clauses; c++) {
      if (!((note->targets >> c) & 1u)) continue;
      for (w = 0; w < WORDS; w++) {
        s->clause_t[(size_t)c * WORDS + w] &= s->note_f[(size_t)n * WORDS + w];
        s->clause_f[(size_t)c * WORDS + w] |= s->note_t[(size_t)n * WORDS + w];
      }
    }
  }
  for (w = 0; w < WORDS; w++) {
    const int rows = m - 64 * w;
    const uint64_t valid = valid_bits(rows);
    uint64_t open = ~(uint64_t)0, unknown = 0, pol_open = ~(uint64_t)0, pol_blocked = 0, near = 0;
    uint64_t controlled, undetermined;
    const int64_t r0 = i0 + 64 * w;
    if (rows <= 0) break;
    for (n = 0; n < p->n_notes; n++) {
      /* a note's line matters only where a clause it targets is not false */
      uint64_t relevant = 0;
      for (c = 0; c < p->n_clauses; c++)
        if ((p->notes[n].targets >> c) & 1u) relevant |= ~s->clause_raw_f[(size_t)c * WORDS + w];
      near |= s->note_near[(size_t)n * WORDS + w] & relevant;
    }
    for (c = 0; c < p->n_clauses; c++) {
      const uint64_t ct = s->clause_t[(size_t)c * WORDS + w], cf = s->clause_f[(size_t)c * WORDS + w];
      near |= s->clause_near[(size_t)c * WORDS + w];
      gov_mask[c] = unknown_mask[c] = 0;
      if (p->clauses[c].role == TPP_ROLE_CLASSIFY) {
        unknown_mask[c] = open & ~ct & ~cf;
        unknown |= unknown_mask[c];
        gov_mask[c] = open & ct;
        open &= ~ct;
      } else {
        const uint64_t hit = pol_open & ct, blocked = pol_open & ~ct & ~cf;
        gov_mask[c] = hit;
        pol_blocked |= blocked;
        pol_open &= ~(hit | blocked);
      }
    }
    controlled = ~open & valid;
    undetermined = open & unknown & valid;
    {
      /* defaults for every row, each output in its own simple loop */
      const int count = rows < 64 ? rows : 64;
      int8_t *const st = out->status, *const gv = out->governing, *const oc = out->outcome;
      int8_t *const pl = out->policy, *const nr = out->near;
      /* status = 1 controlled + 2 undetermined; outcome and policy default to
       * -1 (none) or -2 (undetermined): 255 - bit, as bytes */
      if (st) bits_to_bytes(st + r0, count, controlled, 1, undetermined, 2, 0, 0);
      if (gv) memset(gv + r0, -1, (size_t)count);
      if (oc) bits_to_bytes(oc + r0, count, undetermined, 1, 0, 0, 0xff, 1);
      if (pl) bits_to_bytes(pl + r0, count, pol_blocked, 1, 0, 0, 0xff, 1);
      if (nr) bits_to_bytes(nr + r0, count, near, 1, 0, 0, 0, 0);
    }
    for (c = 0; c < p->n_clauses; c++) {
      const uint64_t governed = gov_mask[c] & valid;
      uint64_t bits = governed;
      if (!governed) continue;
      if (p->clauses[c].role != TPP_ROLE_CLASSIFY) {
        if (out->policy)
          for (; bits; bits &= bits - 1) out->policy[r0 + lowest_bit(bits)] = (int8_t)c;
        continue;
      }
      if (out->governing)
        for (; bits; bits &= bits - 1) out->governing[r0 + lowest_bit(bits)] = (int8_t)c;
      if (out->outcome) {
        /* rows where no unknown clause of higher precedence could govern: the
         * clause's outcome after its notes, as layers of bits per outcome code */
        int8_t codes[TPP_RULE_MAX_NOTES + 1];
        uint64_t layer[TPP_RULE_MAX_NOTES + 1], undetermined_here = 0;
        int n_codes = 1, kk, q;
        codes[0] = (int8_t)p->clauses[c].outcome;
        layer[0] = ~(uint64_t)0;
        for (kk = 0; kk < s->n_outcome_notes[c]; kk++) {
          const int nn = s->outcome_notes[c][kk];
          const uint64_t nt = s->note_t[(size_t)nn * WORDS + w], nf = s->note_f[(size_t)nn * WORDS + w];
          const int8_t on = (int8_t)p->notes[nn].outcome;
          int at = -1;
          for (q = 0; q < n_codes; q++) if (codes[q] == on) at = q;
          if (at < 0) {
            at = n_codes++;
            codes[at] = on;
            layer[at] = 0;
          }
          undetermined_here = (undetermined_here | (~nt & ~nf & ~layer[at])) & ~nt;
          for (q = 0; q < n_codes; q++) layer[q] &= ~nt;
          layer[at] |= nt;
        }
        for (q = 0; q < n_codes; q++)
          for (bits = governed & ~unknown & layer[q] & ~undetermined_here; bits; bits &= bits - 1)
            out->outcome[r0 + lowest_bit(bits)] = codes[q];
        for (bits = governed & ~unknown & undetermined_here; bits; bits &= bits - 1)
          out->outcome[r0 + lowest_bit(bits)] = (int8_t)TPP_OUTCOME_UNDETERMINED;
        /* rare rows: an unknown clause of higher precedence with another outcome could govern */
        for (bits = governed & unknown; bits; bits &= bits - 1) {
          const int jj = lowest_bit(bits);
          int8_t o = clause_outcome_at(p, s, c, w, jj);
          int cc;
          for (cc = 0; cc < c; cc++)
            if (((unknown_mask[cc] >> jj) & 1u) && clause_outcome_at(p, s, cc, w, jj) != o)
              o = (int8_t)TPP_OUTCOME_UNDETERMINED;
          out->outcome[r0 + jj] = o;
        }
      }
    }
    for (c = 0; c < p->n_clauses; c++) {
      int8_t *dst = out->clause_state[c];
      const uint64_t ct = s->clause_t[(size_t)c * WORDS + w], cf = s->clause_f[(size_t)c * WORDS + w];
      if (!dst) continue;
      for (j = 0; j < rows && j < 64; j++)
        dst[r0 + j] = (int8_t)(((ct >> j) & 1u) ? 1 : ((cf >> j) & 1u) ? 0 : -1);
    }
  }
}

static int eval_range(void *ctx, int64_t begin, int64_t end, int worker) {
  const rule_job *job = (const rule_job *)ctx;
  rule_scratch s;
  int64_t i;
  if (tpp_interrupted()) return TPP_E_INTERRUPTED;
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
  if (n_threads < 0 || n_threads > TPP_MAX_THREADS)
    return tpp_fail(err, TPP_E_ARG, -1, -1, n_threads,
                    "threads: got %d, expected 0 (all cores) to %d", n_threads, TPP_MAX_THREADS);
  job.p = p;
  job.columns = columns;
  job.out = out;
  status = tpp_parallel_for(n, 16384, n_threads, eval_range, &job);
  if (status == TPP_E_NOMEM)
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0,
                    "out of memory for the rule evaluator's scratch buffers");
  if (status == TPP_E_INTERRUPTED) return tpp_fail(err, TPP_E_INTERRUPTED, -1, -1, NAN, "interrupted");
  return status;
}

void tpp_random_flags(double *dst, int64_t n, double p_true, double unknown, uint64_t seed) {
  uint64_t x = tpp_rng_from_seed(seed);
  int64_t i;
  if (!dst) return;
  for (i = 0; i < n; i++) {
    double u1 = tpp_rng_f64(&x), u2 = tpp_rng_f64(&x);
    dst[i] = u2 < unknown ? NAN : (u1 < p_true ? 1.0 : 0.0);
  }
}
