/* test_csv.c - the strict CSV reader (csrc/csv.c): quoting, line numbers,
 * faults and their rows, chunks across buffer refills of a real file, the
 * number parser against strtod, and bounded memory for long inputs. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include "tap.h"
#include "tpp.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tpp_csv *open_text(const char *s) {
  tpp_error err;
  return tpp_csv_open_bytes((const uint8_t *)s, strlen(s), &err);
}

TAP_TEST(csv_quotes_lines_and_values) {
  const char *text =
      "\xEF\xBB\xBFid, tpp ,dc\r\n"
      "\"a,\"\"b\"\"\nc\",4800,yes\r\n"
      "\n"
      "# comment \"with a quote\n"
      "x , 1e3 ,\n"
      "last,.5,0";
  tpp_csv *r = open_text(text);
  int32_t nf = 0;
  tpp_csv_issue issue, issues[4];
  tpp_error err;
  double tpp[8] = {0}, dc[8] = {0};
  tpp_csv_column plan[3];
  int64_t n = 0;
  int32_t ni = 0;
  size_t len;
  const char *s;
  TAP_OK(r != NULL, "opens");
  TAP_INT(tpp_csv_header(r, &nf, &issue, &err), TPP_OK, "header reads");
  TAP_INT(nf, 3, "three fields");
  TAP_OK(strcmp(tpp_csv_field_name(r, 0), "id") == 0, "BOM skipped: '%s'", tpp_csv_field_name(r, 0));
  TAP_OK(strcmp(tpp_csv_field_name(r, 1), "tpp") == 0, "unquoted header name trimmed");
  memset(plan, 0, sizeof plan);
  plan[0].kind = TPP_CSV_TEXT;
  plan[0].text_slot = 2;
  plan[1].kind = TPP_CSV_NUMBER;
  plan[1].min = 0;
  plan[1].max = 1e9;
  plan[1].out = tpp;
  plan[2].kind = TPP_CSV_FLAG;
  plan[2].out = dc;
  plan[2].min = plan[2].max = 0;
  TAP_INT(tpp_csv_read(r, plan, 8, &n, issues, 4, &ni, &err), TPP_OK, "rows read");
  TAP_INT(n, 3, "three rows");
  TAP_INT(ni, 0, "no issues");
  s = tpp_csv_text(r, 2, 0, &len);
  TAP_OK(s && len == 7 && memcmp(s, "a,\"b\"\nc", 7) == 0, "quoted text with comma, quotes, newline");
  TAP_NEAR(tpp[0], 4800, 0, "4800");
  TAP_NEAR(tpp[1], 1000, 0, "1e3 with spaces around");
  TAP_NEAR(tpp[2], 0.5, 0, ".5");
  TAP_NEAR(dc[0], 1, 0, "yes");
  TAP_OK(isnan(dc[1]), "empty flag is unknown (NaN)");
  TAP_NEAR(dc[2], 0, 0, "0");
  TAP_INT(tpp_csv_row_line(r, 0), 2, "row 1 on line 2");
  TAP_INT(tpp_csv_row_line(r, 1), 6, "row 2 on line 6 (quoted newline, blank and comment lines)");
  TAP_INT(tpp_csv_row_number(r, 2), 3, "row 3");
  TAP_INT(tpp_csv_row_line(r, 2), 7, "last row without a line break on line 7");
  TAP_OK(tpp_csv_at_end(r), "at end");
  tpp_csv_close(r);
}

TAP_TEST(csv_faults_name_row_line_field) {
  const char *text =
      "a,b\n"
      "1,2\n"
      "0x10,2\n"        /* row 2: number */
      "1,2,3\n"         /* row 3: fields */
      "1e400,-1\n"      /* row 4: range twice */
      "x\"y,1\n"        /* row 5: quote */
      "\xC3\x28,1\n"    /* row 6: utf8 */
      "5,\n";           /* row 7: required */
  tpp_csv *r = open_text(text);
  int32_t nf;
  tpp_csv_issue issue, is[16];
  tpp_error err;
  double a[8] = {0}, b[8] = {0};
  tpp_csv_column plan[2];
  int64_t n;
  int32_t ni;
  tpp_csv_header(r, &nf, &issue, &err);
  memset(plan, 0, sizeof plan);
  plan[0].kind = plan[1].kind = TPP_CSV_NUMBER;
  plan[0].min = plan[1].min = 0;
  plan[0].max = plan[1].max = 100;
  plan[0].out = a;
  plan[1].out = b;
  plan[1].required = 1;
  TAP_INT(tpp_csv_read(r, plan, 8, &n, is, 16, &ni, &err), TPP_OK, "reads past bad rows");
  TAP_INT(n, 1, "one good row");
  TAP_INT(ni, 7, "seven issues");
  TAP_OK(is[0].code == TPP_CSV_E_NUMBER && is[0].row == 2 && is[0].line == 3 && is[0].field == 0 &&
             strcmp(is[0].text, "0x10") == 0, "0x10: row 2 line 3 field 0");
  TAP_OK(is[1].code == TPP_CSV_E_FIELDS && is[1].row == 3 && is[1].n_fields == 3, "row 3 has 3 fields");
  TAP_OK(is[2].code == TPP_CSV_E_RANGE && is[2].row == 4 && isinf(is[2].value), "1e400 is out of range");
  TAP_OK(is[3].code == TPP_CSV_E_RANGE && is[3].row == 4 && is[3].field == 1 && is[3].value == -1,
         "-1 below min, same row");
  TAP_OK(is[4].code == TPP_CSV_E_QUOTE && is[4].row == 5, "stray quote");
  TAP_OK(is[5].code == TPP_CSV_E_UTF8 && is[5].row == 6, "invalid UTF-8");
  TAP_OK(is[6].code == TPP_CSV_E_REQUIRED && is[6].row == 7 && is[6].field == 1, "required empty");
  tpp_csv_close(r);

  /* the issue list bounds the work: with room for 2, reading stops there */
  r = open_text(text);
  tpp_csv_header(r, &nf, &issue, &err);
  TAP_INT(tpp_csv_read(r, plan, 8, &n, is, 2, &ni, &err), TPP_OK, "stops at max_issues");
  TAP_INT(ni, 2, "two issues");
  TAP_OK(!tpp_csv_at_end(r), "not at end");
  tpp_csv_close(r);

  /* an unclosed quote ends the input with its line */
  r = open_text("a,b\n1,2\n3,\"x\n\n");
  tpp_csv_header(r, &nf, &issue, &err);
  TAP_INT(tpp_csv_read(r, plan, 8, &n, is, 4, &ni, &err), TPP_E_FORMAT, "unclosed is fatal");
  TAP_OK(ni == 1 && is[0].code == TPP_CSV_E_UNCLOSED && is[0].line == 3, "unclosed quote on line 3");
  tpp_csv_close(r);

  r = open_text("\xFF\xFEi\0d\0");
  TAP_INT(tpp_csv_header(r, &nf, &issue, &err), TPP_E_FORMAT, "UTF-16 refused");
  TAP_INT(issue.code, TPP_CSV_E_UTF16, "UTF-16 issue");
  tpp_csv_close(r);
  r = open_text("\n\n# nothing\n");
  TAP_INT(tpp_csv_header(r, &nf, &issue, &err), TPP_E_FORMAT, "no header");
  TAP_INT(issue.code, TPP_CSV_E_EMPTY, "empty issue");
  tpp_csv_close(r);
}

TAP_TEST(csv_dates_flags_enums_text_match) {
  tpp_csv *r = open_text("d,f,e,t\n2024-02-29,TRUE,Vendor,HBM3e stack\n2023-02-29,x,q,\n"
                         "1900-02-29,yes,T,\n2000-02-29,no,v,x\n");
  int32_t nf, ni;
  int64_t n;
  tpp_csv_issue issue, is[8];
  tpp_error err;
  double d[4] = {0}, f[4] = {0}, e[4] = {0}, t[4] = {0};
  tpp_csv_column plan[4];
  tpp_csv_header(r, &nf, &issue, &err);
  memset(plan, 0, sizeof plan);
  plan[0].kind = TPP_CSV_DATE;
  plan[0].out = d;
  plan[1].kind = TPP_CSV_FLAG;
  plan[1].out = f;
  plan[2].kind = TPP_CSV_ENUM;
  plan[2].choices = "V|vendor|T";
  plan[2].out = e;
  plan[2].text_slot = -1;
  plan[3].kind = TPP_CSV_TEXT;
  plan[3].choices = "hbm|dram stack";
  plan[3].out = t;
  plan[3].text_slot = 0;
  tpp_csv_read(r, plan, 4, &n, is, 8, &ni, &err);
  TAP_NEAR(d[0], 20240229, 0, "leap day");
  TAP_NEAR(f[0], 1, 0, "TRUE");
  TAP_NEAR(e[0], 1, 0, "Vendor is choice 1");
  TAP_NEAR(t[0], 1, 0, "contains HBM");
  TAP_INT(n, 2, "two good rows (2024-02-29 and 2000-02-29)");
  TAP_NEAR(d[1], 20000229, 0, "2000 is a leap year (divisible by 400)");
  TAP_INT(ni, 4, "three faults in row 2, one in row 3");
  TAP_OK(is[0].code == TPP_CSV_E_DATE && is[1].code == TPP_CSV_E_FLAG && is[2].code == TPP_CSV_E_ENUM,
         "date, flag, enum");
  TAP_OK(is[3].code == TPP_CSV_E_DATE && is[3].row == 3, "1900-02-29 refused: a century is not a leap year");
  tpp_csv_close(r);
}

TAP_TEST(csv_number_parser_matches_strtod) {
  static const char *good[] = {"0", "-0", "1", "+1", "1.5", ".5", "5.", "1e10", "1E-5", "2.5e+3",
                               "0.1", "0.30000000000000004", "123456789012345678901234567890",
                               "1.7976931348623157e308", "4.9e-324", "2.2250738585072014e-308",
                               "9007199254740993", "0.000000000000000000000001"};
  static const char *bad[] = {"", "-", ".", "e5", "1e", "1e+", "0x10", "inf", "nan", "1.2.3", "1 2",
                              "--1", "1,000", "١٢"};
  double v;
  uint64_t state = 88172645463325252ull;
  size_t i;
  int mismatches = 0;
  for (i = 0; i < sizeof good / sizeof good[0]; i++) {
    int st = tpp_parse_number(good[i], strlen(good[i]), 0, &v);
    TAP_OK(st == TPP_OK && v == strtod(good[i], NULL), "%s parses as strtod does", good[i]);
  }
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    TAP_OK(tpp_parse_number(bad[i], strlen(bad[i]), 0, &v) == TPP_E_FORMAT, "'%s' refused", bad[i]);
  TAP_INT(tpp_parse_number("1e400", 5, 0, &v), TPP_E_ARG, "1e400 overflows");
  TAP_OK(tpp_parse_number("1,234,567.5", 11, 1, &v) == TPP_OK && v == 1234567.5, "thousands");
  TAP_INT(tpp_parse_number("12,34", 5, 1, &v), TPP_E_FORMAT, "bad grouping");
  /* random doubles printed with 17 digits, and short decimals, read back exactly */
  for (i = 0; i < 20000; i++) {
    char buf[64];
    double x;
    uint64_t bits;
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    bits = state * 0x2545F4914F6CDD1DULL;
    if (i % 2) {
      memcpy(&x, &bits, sizeof x);
      if (isnan(x) || isinf(x)) continue;
      snprintf(buf, sizeof buf, "%.17g", x);
    } else {
      snprintf(buf, sizeof buf, "%llu.%03llue%d", (unsigned long long)(bits % 100000),
               (unsigned long long)((bits >> 20) % 1000), (int)((bits >> 40) % 41) - 20);
    }
    if (tpp_parse_number(buf, strlen(buf), 0, &v) != TPP_OK || v != strtod(buf, NULL)) mismatches++;
  }
  TAP_INT(mismatches, 0, "20,000 random decimals parse exactly as strtod");
}

TAP_TEST(csv_file_in_chunks_across_refills) {
  /* 60,000 rows (~2.6 MB) through a real file: the 1 MB buffer refills mid-row */
  char path[] = "/tmp/tpp_test_csv_XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  int64_t i, total = 0, rows = 60000, n;
  int32_t nf, ni;
  double sum = 0, *col;
  tpp_csv_issue issue, is[4];
  tpp_error err;
  tpp_csv_column plan[3];
  tpp_csv *r;
  int ok = 1;
  TAP_OK(f != NULL, "temp file");
  if (!f) return;
  col = (double *)malloc(4096 * sizeof(double));
  if (!col) {
    fclose(f);
    return;
  }
  fprintf(f, "id,note,value\n");
  for (i = 1; i <= rows; i++) fprintf(f, "chip%lld,\"a, \"\"quoted\"\" note\",%lld.5\n", (long long)i, (long long)i);
  fclose(f);
  r = tpp_csv_open(path, &err);
  TAP_OK(r != NULL, "opens the file");
  tpp_csv_header(r, &nf, &issue, &err);
  memset(plan, 0, sizeof plan);
  plan[0].kind = TPP_CSV_TEXT;
  plan[0].text_slot = 0;
  plan[1].kind = TPP_CSV_SKIP;
  plan[2].kind = TPP_CSV_NUMBER;
  plan[2].min = plan[2].max = NAN;
  plan[2].out = col;
  do {
    if (tpp_csv_read(r, plan, 4096, &n, is, 4, &ni, &err) != TPP_OK || ni) ok = 0;
    for (i = 0; i < n; i++) {
      size_t len;
      char want[32];
      const char *s = tpp_csv_text(r, 0, i, &len);
      sum += col[i];
      snprintf(want, sizeof want, "chip%lld", (long long)(total + i + 1));
      if (!s || strcmp(s, want) != 0 || tpp_csv_row_line(r, i) != total + i + 2) ok = 0;
    }
    total += n;
  } while (n == 4096);
  TAP_OK(ok, "every row, its text and its line are right");
  TAP_INT(total, rows, "all rows read");
  TAP_NEAR(sum, (double)rows * (rows + 1) / 2 + rows * 0.5, 0, "sum of values");
  tpp_csv_close(r);
  unlink(path);
  free(col);
  r = tpp_csv_open("/nonexistent/tpp.csv", &err);
  TAP_OK(r == NULL && err.code == TPP_E_IO, "a missing file is TPP_E_IO: %s", err.message);
}
