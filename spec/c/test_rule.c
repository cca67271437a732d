/* test_rule.c - compiled rule programs (csrc/rule.c): the Oct-2023 3A090
 * structure built by hand, sums, presumptions, review policy, bad programs,
 * and the batch kernel against the row evaluator on random programs. */
#include "tap.h"
#include "tpp.h"

#include <stdlib.h>
#include <string.h>

enum { COL_TPP = 0, COL_PD = 1, COL_DC = 2 };
enum { OUT_CONTROLLED = 0, OUT_NAC = 1 };

static int add_test(tpp_rule_program *p, int input, int op, double threshold) {
  tpp_rule_test *t = &p->tests[p->n_tests];
  t->input = input;
  t->op = op;
  t->threshold = threshold;
  t->if_unknown = TPP_IF_UNKNOWN_UNDETERMINED;
  return p->n_tests++;
}

static void add_clause(tpp_rule_program *p, int first, int role, int outcome) {
  tpp_rule_clause *c = &p->clauses[p->n_clauses++];
  c->first_test = first;
  c->n_tests = p->n_tests - first;
  c->role = role;
  c->outcome = outcome;
}

static void add_note(tpp_rule_program *p, int first, int kind, int outcome, uint64_t targets) {
  tpp_rule_note *n = &p->notes[p->n_notes++];
  n->first_test = first;
  n->n_tests = p->n_tests - first;
  n->kind = kind;
  n->outcome = outcome;
  n->targets = targets;
}

/* 3A090 as of 88 FR 73458: a.1, a.2, b.1, b.2 (clauses 0..3, precedence order),
 * Note 2 (not datacenter and TPP < 4800 -> not a/b), NAC/ACA for non-datacenter a. */
static void build_us_2023_10(tpp_rule_program *p) {
  int f;
  tpp_rule_init(p);
  p->n_columns = 3;
  p->n_inputs = 3;
  p->inputs[0].a = COL_TPP;
  p->inputs[1].a = COL_PD;
  p->inputs[2].a = COL_DC;
  f = add_test(p, 0, TPP_OP_GE, 4800);
  add_clause(p, f, TPP_ROLE_CLASSIFY, OUT_CONTROLLED);
  f = add_test(p, 0, TPP_OP_GE, 1600);
  add_test(p, 1, TPP_OP_GE, 5.92);
  add_clause(p, f, TPP_ROLE_CLASSIFY, OUT_CONTROLLED);
  f = add_test(p, 0, TPP_OP_GE, 2400);
  add_test(p, 0, TPP_OP_LT, 4800);
  add_test(p, 1, TPP_OP_GE, 1.6);
  add_test(p, 1, TPP_OP_LT, 5.92);
  add_clause(p, f, TPP_ROLE_CLASSIFY, OUT_NAC);
  f = add_test(p, 0, TPP_OP_GE, 1600);
  add_test(p, 1, TPP_OP_GE, 3.2);
  add_test(p, 1, TPP_OP_LT, 5.92);
  add_clause(p, f, TPP_ROLE_CLASSIFY, OUT_NAC);
  f = add_test(p, 2, TPP_OP_EQ, 0);
  add_test(p, 0, TPP_OP_LT, 4800);
  add_note(p, f, TPP_NOTE_EXCLUDE, 0, 0xfu);
  f = add_test(p, 2, TPP_OP_EQ, 0);
  add_note(p, f, TPP_NOTE_OUTCOME, OUT_NAC, 0x3u);
}

static tpp_rule_detail eval3(const tpp_rule_program *p, double tpp, double pd, double dc) {
  double cols[3];
  tpp_rule_detail d;
  tpp_error e;
  cols[0] = tpp;
  cols[1] = pd;
  cols[2] = dc;
  if (tpp_rule_eval_one(p, cols, &d, &e) != TPP_OK) memset(&d, 0xff, sizeof d);
  return d;
}

TAP_TEST(rule_us_2023_10_chips) {
  tpp_rule_program p;
  tpp_rule_detail d;
  tpp_error e;
  build_us_2023_10(&p);
  TAP_INT(tpp_rule_check(&p, &e), TPP_OK, "hand-built 3A090 program is valid");

  d = eval3(&p, 15831.2, 19.449, 1);
  TAP_INT(d.status, TPP_STATUS_CONTROLLED, "H100: controlled");
  TAP_INT(d.governing, 0, "H100: governed by a.1");
  TAP_INT(d.clause_state[1], TPP_TRI_TRUE, "H100: a.2 matches too");
  TAP_INT(d.outcome, OUT_CONTROLLED, "H100: datacenter 3A090.a, no NAC/ACA");
  TAP_INT(d.near, 0, "H100: far from every line");

  d = eval3(&p, 2368, 2.909, 1);
  TAP_INT(d.status, TPP_STATUS_NOT_CONTROLLED, "H20: not 3A090 on published figures");
  TAP_INT(d.clause_state[3], TPP_TRI_FALSE, "H20: not 3A090.b.2 (PD 2.91 < 3.2)");
  TAP_INT(d.test_state[3], TPP_TRI_FALSE, "H20: TPP 2368 fails b.1's >= 2400");
  TAP_NEAR(d.test_margin[3], -32, 1e-12, "H20: 32 below the 2400 line");
  TAP_NEAR(d.test_ratio[3], 2368.0 / 2400.0, 1e-15, "H20: ratio to the line");
  TAP_INT(d.clause_near[2], 1, "H20: b.1 decided by a line within 5%%");
  TAP_INT(d.near, 1, "H20: near the line");
  TAP_INT(d.outcome, TPP_OUTCOME_NONE, "H20: no outcome");

  d = eval3(&p, 5284.8, 8.685, 0);
  TAP_INT(d.status, TPP_STATUS_CONTROLLED, "RTX 4090: 3A090.a");
  TAP_INT(d.outcome, OUT_NAC, "RTX 4090: not datacenter -> NAC/ACA eligible");

  d = eval3(&p, 4707.2, 7.736, 0);
  TAP_INT(d.status, TPP_STATUS_NOT_CONTROLLED, "RTX 4090D: outside (Note 2)");
  TAP_INT(d.clause_raw[1], TPP_TRI_TRUE, "RTX 4090D: a.2 before the note");
  TAP_INT(d.clause_state[1], TPP_TRI_FALSE, "RTX 4090D: a.2 after the note");
  TAP_INT(d.note_state[0], TPP_TRI_TRUE, "RTX 4090D: Note 2 applies");

  d = eval3(&p, 5284.8, 8.685, NAN);
  TAP_INT(d.status, TPP_STATUS_CONTROLLED, "4090 with datacenter unknown: still 3A090.a");
  TAP_INT(d.outcome, TPP_OUTCOME_UNDETERMINED, "... but NAC/ACA eligibility undetermined");

  d = eval3(&p, 4707.2, 7.736, NAN);
  TAP_INT(d.status, TPP_STATUS_UNDETERMINED, "4090D with datacenter unknown: undetermined");

  d = eval3(&p, 3000, NAN, 1);
  TAP_INT(d.status, TPP_STATUS_UNDETERMINED, "TPP 3000, PD unknown: undetermined, never free");
  TAP_INT(d.outcome, TPP_OUTCOME_UNDETERMINED, "... and its outcome too");

  d = eval3(&p, 1000, NAN, 1);
  TAP_INT(d.status, TPP_STATUS_NOT_CONTROLLED, "TPP 1000: below every TPP floor, PD irrelevant");
  d = eval3(&p, 4992, NAN, 1);
  TAP_INT(d.status, TPP_STATUS_CONTROLLED, "TPP 4992, PD unknown: a.1 decides");
  TAP_INT(d.governing_certain, 1, "... a.1 has the highest precedence");
  d = eval3(&p, 3000, 6.5, 1);
  TAP_INT(d.governing, 1, "TPP 3000, PD 6.5: a.2 governs");
}

TAP_TEST(rule_boundaries_ge_lt) {
  tpp_rule_program p;
  tpp_rule_detail d;
  build_us_2023_10(&p);
  d = eval3(&p, 4800, 1, 1);
  TAP_INT(d.governing, 0, "TPP exactly 4800 is a.1 (>=)");
  d = eval3(&p, 4799.999999, 1, 1);
  TAP_INT(d.status, TPP_STATUS_NOT_CONTROLLED, "TPP 4799.999999 with PD 1 is outside");
  d = eval3(&p, 2000, 5.92, 1);
  TAP_INT(d.governing, 1, "PD exactly 5.92 is a.2 (>=)");
  d = eval3(&p, 2000, 5.9199999, 1);
  TAP_INT(d.governing, 3, "PD just below 5.92 is b.2 (< 5.92)");
  d = eval3(&p, 4000, 1.6, 1);
  TAP_INT(d.governing, 2, "PD exactly 1.6 with TPP 4000 is b.1");
  d = eval3(&p, 4000, 1.5999999, 1);
  TAP_INT(d.status, TPP_STATUS_NOT_CONTROLLED, "PD just below 1.6 with TPP 4000 is outside");
}

TAP_TEST(rule_sum_input_and_presumption) {
  tpp_rule_program p;
  tpp_rule_detail d;
  tpp_error e;
  double cols[3];
  int f;
  tpp_rule_init(&p);
  p.n_columns = 3; /* dram, io, transistors */
  p.n_inputs = 4;
  p.inputs[0].a = 0;
  p.inputs[1].a = 1;
  p.inputs[2].kind = TPP_RULE_INPUT_SUM;
  p.inputs[2].a = 0;
  p.inputs[2].b = 1;
  p.inputs[3].a = 2;
  f = add_test(&p, 0, TPP_OP_GE, 1400);
  add_clause(&p, f, TPP_ROLE_CLASSIFY, 0);
  f = add_test(&p, 1, TPP_OP_GE, 1100);
  add_clause(&p, f, TPP_ROLE_CLASSIFY, 0);
  f = add_test(&p, 2, TPP_OP_GE, 1700);
  add_clause(&p, f, TPP_ROLE_CLASSIFY, 0);
  f = add_test(&p, 3, TPP_OP_GE, 30);
  p.tests[f].if_unknown = TPP_IF_UNKNOWN_TRUE;
  add_clause(&p, f, TPP_ROLE_POLICY, 1);

  cols[0] = 1000; cols[1] = 800; cols[2] = 10;
  TAP_INT(tpp_rule_eval_one(&p, cols, &d, &e), TPP_OK, "eval ok");
  TAP_INT(d.governing, 2, "DRAM 1000 + I/O 800 = 1800 >= 1700: the sum clause");
  TAP_NEAR(d.input_value[2], 1800, 0, "sum input");
  TAP_INT(d.policy, -1, "10 B transistors: no presumption");
  cols[0] = NAN; cols[1] = 1200; cols[2] = NAN;
  tpp_rule_eval_one(&p, cols, &d, &e);
  TAP_INT(d.status, TPP_STATUS_CONTROLLED, "DRAM unknown, I/O 1200: controlled by I/O alone");
  TAP_INT(d.governing_certain, 0, "... but the DRAM clause of higher precedence is unknown");
  TAP_INT(d.policy, 3, "transistor count unknown: presumed (if_unknown = true)");
  cols[1] = 500;
  tpp_rule_eval_one(&p, cols, &d, &e);
  TAP_INT(d.status, TPP_STATUS_UNDETERMINED, "DRAM unknown, I/O 500: undetermined");
}

TAP_TEST(rule_review_policy) {
  tpp_rule_program p;
  tpp_rule_detail d;
  tpp_error e;
  double cols[2];
  int f;
  tpp_rule_init(&p);
  p.n_columns = 2; /* tpp, dram */
  p.n_inputs = 2;
  p.inputs[1].a = 1;
  f = add_test(&p, 0, TPP_OP_GE, 0);
  add_clause(&p, f, TPP_ROLE_CLASSIFY, 0);
  f = add_test(&p, 0, TPP_OP_LT, 21000);
  add_test(&p, 1, TPP_OP_LT, 6500);
  add_clause(&p, f, TPP_ROLE_POLICY, 1);
  f = add_test(&p, 0, TPP_OP_GE, 21000);
  add_clause(&p, f, TPP_ROLE_POLICY, 2);
  f = add_test(&p, 1, TPP_OP_GE, 6500);
  add_clause(&p, f, TPP_ROLE_POLICY, 2);
  cols[0] = 20919.2; cols[1] = 6000;
  tpp_rule_eval_one(&p, cols, &d, &e);
  TAP_INT(d.policy, 1, "MI325X: case-by-case zone");
  TAP_NEAR(d.test_margin[1], -80.8, 1e-9, "MI325X: 80.8 under the 21,000 line");
  TAP_INT(d.near, 1, "MI325X: near the 21,000 line");
  cols[0] = 36000; cols[1] = 7700;
  tpp_rule_eval_one(&p, cols, &d, &e);
  TAP_INT(d.policy, 2, "B200: presumption of denial");
  cols[0] = 15831.2; cols[1] = NAN;
  tpp_rule_eval_one(&p, cols, &d, &e);
  TAP_INT(d.policy, TPP_OUTCOME_UNDETERMINED, "DRAM bandwidth unknown: policy undetermined");
}

TAP_TEST(rule_rejects_bad_programs) {
  tpp_rule_program p;
  tpp_error e;
  double cols[3] = {1, 1, 1};
  tpp_rule_detail d;
  build_us_2023_10(&p);
  p.tests[0].input = 7;
  TAP_INT(tpp_rule_check(&p, &e), TPP_E_ARG, "test input out of range");
  TAP_OK(strstr(e.message, "test 0") != NULL, "message names the test: %s", e.message);
  build_us_2023_10(&p);
  p.tests[2].threshold = NAN;
  TAP_INT(tpp_rule_eval_one(&p, cols, &d, &e), TPP_E_ARG, "NaN threshold refused");
  build_us_2023_10(&p);
  p.clauses[1].n_tests = 200;
  TAP_INT(tpp_rule_check(&p, &e), TPP_E_ARG, "clause test range beyond the program");
  build_us_2023_10(&p);
  p.notes[0].targets = (uint64_t)1 << 9;
  TAP_INT(tpp_rule_check(&p, &e), TPP_E_ARG, "note target beyond the clauses");
  build_us_2023_10(&p);
  p.near = -1;
  TAP_INT(tpp_rule_check(&p, &e), TPP_E_ARG, "negative near margin");
  TAP_INT(tpp_rule_eval_batch(NULL, NULL, 1, NULL, 1, &e), TPP_E_ARG, "NULL program");
}

/* xorshift for reproducible random programs */
static uint64_t rng = 88172645463325252ull;
static unsigned rnd(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

static void random_program(tpp_rule_program *p) {
  int i, c, n;
  static const double thresholds[] = {0, 1, 2, 3};
  tpp_rule_init(p);
  p->near = rnd(2) ? 0.5 : 0.0;
  p->n_columns = 1 + (int)rnd(4);
  p->n_inputs = 1 + (int)rnd(5);
  for (i = 0; i < p->n_inputs; i++) {
    p->inputs[i].kind = rnd(4) == 0 ? TPP_RULE_INPUT_SUM : TPP_RULE_INPUT_COLUMN;
    p->inputs[i].a = (int)rnd((unsigned)p->n_columns);
    p->inputs[i].b = (int)rnd((unsigned)p->n_columns);
  }
  p->n_clauses = 1 + (int)rnd(8);
  for (c = 0; c < p->n_clauses; c++) {
    int k = (int)rnd(4);
    p->clauses[c].first_test = p->n_tests;
    p->clauses[c].n_tests = k;
    p->clauses[c].role = rnd(3) == 0 ? TPP_ROLE_POLICY : TPP_ROLE_CLASSIFY;
    p->clauses[c].outcome = (int)rnd(3);
    for (i = 0; i < k; i++) {
      int t = add_test(p, (int)rnd((unsigned)p->n_inputs), (int)rnd(TPP_OP_COUNT),
                       thresholds[rnd(4)]);
      p->tests[t].if_unknown = (int)rnd(3);
    }
  }
  p->n_notes = (int)rnd(4);
  for (n = 0; n < p->n_notes; n++) {
    int k = 1 + (int)rnd(2);
    p->notes[n].first_test = p->n_tests;
    p->notes[n].n_tests = k;
    p->notes[n].kind = (int)rnd(2);
    p->notes[n].outcome = (int)rnd(3);
    p->notes[n].targets = rng & (((uint64_t)1 << p->n_clauses) - 1);
    for (i = 0; i < k; i++)
      add_test(p, (int)rnd((unsigned)p->n_inputs), (int)rnd(TPP_OP_COUNT), thresholds[rnd(4)]);
  }
}

TAP_TEST(rule_batch_matches_row_evaluator) {
  enum { ROWS = 1000, PROGRAMS = 300 };
  static const double values[] = {0, 1, 1.5, 2, 2.9, 3, 4};
  double *cols[4];
  int8_t status[ROWS], governing[ROWS], outcome[ROWS], policy[ROWS], near[ROWS];
  int8_t *states;
  int prog, mismatches = 0, threads_checked = 0;
  int c;
  states = (int8_t *)malloc((size_t)ROWS * 8);
  for (c = 0; c < 4; c++) cols[c] = (double *)malloc(sizeof(double) * ROWS);
  for (prog = 0; prog < PROGRAMS; prog++) {
    tpp_rule_program p;
    tpp_rule_outputs out;
    tpp_error e;
    int64_t r;
    random_program(&p);
    for (c = 0; c < 4; c++)
      for (r = 0; r < ROWS; r++) cols[c][r] = rnd(6) == 0 ? NAN : values[rnd(7)];
    memset(&out, 0, sizeof out);
    out.status = status;
    out.governing = governing;
    out.outcome = outcome;
    out.policy = policy;
    out.near = near;
    for (c = 0; c < p.n_clauses; c++) out.clause_state[c] = states + (size_t)c * ROWS;
    if (tpp_rule_eval_batch(&p, (const double *const *)cols, ROWS, &out, 1 + prog % 3, &e) !=
        TPP_OK) {
      mismatches++;
      continue;
    }
    threads_checked += prog % 3 != 0;
    for (r = 0; r < ROWS; r++) {
      double row[4];
      tpp_rule_detail d;
      for (c = 0; c < 4; c++) row[c] = cols[c][r];
      tpp_rule_eval_one(&p, row, &d, &e);
      if (d.status != status[r] || d.governing != governing[r] || d.outcome != outcome[r] ||
          d.policy != policy[r] || d.near != near[r])
        mismatches++;
      for (c = 0; c < p.n_clauses; c++) {
        int8_t want = d.clause_state[c] == TPP_TRI_TRUE ? 1 : d.clause_state[c] == TPP_TRI_FALSE ? 0 : -1;
        if (states[(size_t)c * ROWS + r] != want) mismatches++;
      }
    }
  }
  TAP_INT(mismatches, 0, "batch kernel = row evaluator on %d random programs x %d rows",
          PROGRAMS, ROWS);
  TAP_OK(threads_checked > 0, "multi-threaded runs included");
  for (c = 0; c < 4; c++) free(cols[c]);
  free(states);
}

TAP_TEST(rule_batch_null_column_is_unknown) {
  tpp_rule_program p;
  tpp_rule_outputs out;
  tpp_error e;
  double tpp[2] = {5000, 3000};
  const double *cols[3];
  int8_t status[2], governing[2];
  build_us_2023_10(&p);
  cols[0] = tpp;
  cols[1] = NULL; /* no PD column at all */
  cols[2] = NULL;
  memset(&out, 0, sizeof out);
  out.status = status;
  out.governing = governing;
  TAP_INT(tpp_rule_eval_batch(&p, cols, 2, &out, 1, &e), TPP_OK, "eval ok");
  TAP_INT(status[0], TPP_STATUS_CONTROLLED, "TPP 5000, datacenter unknown: a.1 (Note 2 needs TPP < 4800)");
  TAP_INT(status[1], TPP_STATUS_UNDETERMINED, "TPP 3000, PD unknown: undetermined");
}

TAP_TEST(rule_random_flags) {
  double v[10000];
  int i, ones = 0, unknown = 0;
  tpp_random_flags(v, 10000, 0.3, 0.1, 7);
  for (i = 0; i < 10000; i++) {
    if (v[i] != v[i]) unknown++;
    else if (v[i] == 1) ones++;
  }
  TAP_OK(unknown > 800 && unknown < 1200, "about 10%% unknown (%d)", unknown);
  TAP_OK(ones > 2400 && ones < 3000, "about 30%% of the known are 1 (%d)", ones);
}
