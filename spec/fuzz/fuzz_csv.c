/*
 * fuzz_csv.c - libFuzzer target for the strict CSV reader (csrc/csv.c), its
 * number parser, and the shortest-decimal formatter (csrc/out.c).
 *
 * Any input must give TPP_OK or a clean fault: never a crash, a read past a
 * buffer (ASan), undefined behaviour (UBSan) or a hang. The first byte picks
 * a plan: which kind each header field is read as, with ranges, required
 * fields and thousands separators, and the chunk size. Every number the
 * reader accepts must lie in its field's range, and every double printed by
 * tpp_format_double must read back as the same double.
 *
 * Needs csrc/csv.c, csrc/out.c and csrc/util.c (and OpenBLAS for util.c):
 *   clang -g -O1 -std=c99 -fsanitize=fuzzer,address,undefined -Iinclude -Icsrc \
 *     spec/fuzz/fuzz_csv.c csrc/csv.c csrc/out.c csrc/util.c -lopenblas -lpthread -lm
 * Seeds: spec/fuzz/corpus/csv/.
 */
#include "tpp.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ROWS = 64, MAX_ISSUES = 8 };

static void check_round_trip(double v) {
  char buf[40];
  size_t len;
  if (isnan(v) || isinf(v)) return;
  len = tpp_format_double(v, buf);
  if (len == 0 || len >= sizeof buf || strtod(buf, NULL) != v) {
    fprintf(stderr, "tpp_format_double(%.17g) = '%s' does not read back\n", v, buf);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static double cols[8][MAX_ROWS];
  tpp_error err;
  tpp_csv_issue issue, issues[MAX_ISSUES];
  tpp_csv_column *plan;
  tpp_csv *r;
  int32_t nf = 0, i, ni;
  int64_t n, total = 0;
  uint8_t mode = size > 0 ? data[0] : 0;
  int guard = 0;

  /* the number parser on the raw bytes, and the formatter on what it reads */
  if (size >= 2) {
    double v;
    size_t len = size - 1 < 63 ? size - 1 : 63;
    if (tpp_parse_number((const char *)data + 1, len, mode & 1, &v) == TPP_OK) check_round_trip(v);
  }

  r = tpp_csv_open_bytes(data, size, &err);
  if (!r) return 0;
  if (tpp_csv_header(r, &nf, &issue, &err) != TPP_OK) {
    tpp_csv_close(r);
    return 0;
  }
  plan = (tpp_csv_column *)calloc((size_t)nf, sizeof *plan);
  if (!plan) {
    tpp_csv_close(r);
    return 0;
  }
  for (i = 0; i < nf; i++) {
    tpp_csv_column *c = &plan[i];
    int k = (mode + i) % 7;
    c->min = c->max = NAN;
    c->text_slot = -1;
    switch (k) {
      case 0: c->kind = TPP_CSV_SKIP; break;
      case 1:
        c->kind = TPP_CSV_NUMBER;
        c->min = 0;
        c->max = 1e7;
        c->thousands = mode & 2 ? 1 : 0;
        c->integer = mode & 4 ? 1 : 0;
        break;
      case 2: c->kind = TPP_CSV_FLAG; break;
      case 3: c->kind = TPP_CSV_DATE; break;
      case 4:
        c->kind = TPP_CSV_TEXT;
        c->text_slot = i % TPP_CSV_MAX_TEXT;
        c->choices = mode & 8 ? "hbm|dram stack" : NULL;
        break;
      case 5:
        c->kind = TPP_CSV_ENUM;
        c->choices = "V|T|E|vendor";
        c->text_slot = (i + 1) % TPP_CSV_MAX_TEXT;
        break;
      default:
        c->kind = TPP_CSV_NUMBER;
        c->min = 1;
        c->min_exclusive = 1;
        c->max = 1e5;
        break;
    }
    c->required = (mode & 16) && (i % 3 == 0);
    if (c->kind != TPP_CSV_SKIP && c->kind != TPP_CSV_TEXT) c->out = cols[i % 8];
    if (c->kind == TPP_CSV_TEXT && c->choices) c->out = cols[i % 8];
  }
  do {
    int64_t chunk = 1 + (mode >> 5) % MAX_ROWS;
    int st = tpp_csv_read(r, plan, chunk, &n, issues, MAX_ISSUES, &ni, &err);
    if (st != TPP_OK && st != TPP_E_FORMAT && st != TPP_E_IO && st != TPP_E_NOMEM) abort();
    if (n < 0 || n > chunk || ni < 0 || ni > MAX_ISSUES) abort();
    for (i = 0; i < nf; i++) {
      const tpp_csv_column *c = &plan[i];
      int64_t row;
      for (row = 0; row < n; row++) {
        if (c->kind == TPP_CSV_NUMBER && c->out && plan[i].out == cols[i % 8]) {
          double v = c->out[row];
          /* a later field sharing the column may have written it: check only when unique */
          if (nf <= 8 && !isnan(v) && (v < c->min || v > c->max || (c->min_exclusive && v <= c->min))) abort();
          if (nf <= 8) check_round_trip(v);
        }
        if (c->text_slot >= 0 && (c->kind == TPP_CSV_TEXT || c->kind == TPP_CSV_ENUM)) {
          size_t len;
          const char *s = tpp_csv_text(r, c->text_slot, row, &len);
          if (s && memchr(s, 0, len) != NULL) abort(); /* text never holds a NUL */
        }
      }
    }
    for (i = 0; i < ni; i++)
      if (issues[i].code < 0 || issues[i].code > TPP_CSV_E_EMPTY || issues[i].text[sizeof issues[i].text - 1] != 0)
        abort();
    total += n;
    if (st != TPP_OK) break;
  } while ((n > 0 || ni > 0) && ++guard < 100000);
  (void)total;
  free(plan);
  tpp_csv_close(r);
  return 0;
}
