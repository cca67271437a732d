/* test_out.c - the shortest-decimal formatter (csrc/out.c) against the
 * definition tpp.util.num uses (the fewest %.Ng digits that read back), on
 * random doubles of every magnitude, short decimals, halves and ties. */
#include "tap.h"
#include "tpp.h"

#include <stdlib.h>
#include <string.h>

static void reference(double v, char *buf) {
  int d;
  if (v == floor(v) && fabs(v) < 1e15) {
    snprintf(buf, 40, "%.0f", v);
    return;
  }
  for (d = 1; d <= 17; d++) {
    snprintf(buf, 40, "%.*g", d, v);
    if (strtod(buf, NULL) == v) return;
  }
}

TAP_TEST(out_format_double_is_shortest) {
  uint64_t s = 88172645463325252ull;
  long i, bad = 0, n = 0;
  char a[40], b[40];
  static const double fixed[] = {0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 5.92, 1.6, 3.2, 4800, 4799.92, 15831.2,
                                 2.909090909090909, 6.587436332767402, 1e-4, 9.999999999999999e-5, 123456.5,
                                 0.5, 0.25, 0.125, 1e14 + 0.5, 999999999999999.9, 2.5e-3, 1e15, 1e16, 1e300,
                                 5e-324, 2.2250738585072014e-308, -0.1, -4800.5};
  for (i = 0; i < (long)(sizeof fixed / sizeof fixed[0]); i++) {
    tpp_format_double(fixed[i], a);
    reference(fixed[i], b);
    TAP_OK(strcmp(a, b) == 0, "%.17g: '%s' (expected '%s')", fixed[i], a, b);
  }
  for (i = 0; i < 400000; i++) {
    double v;
    uint64_t bits;
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    bits = s * 0x2545F4914F6CDD1DULL;
    switch (i % 4) {
      case 0: memcpy(&v, &bits, 8); break;
      case 1: v = (double)(bits % 100000000) / (double)(1 + (bits >> 40) % 10000); break;
      case 2: v = (double)(bits % 1000000) / 10.0; break;
      default: v = ldexp((double)(bits >> 11), (int)((bits >> 3) % 80) - 90); break;
    }
    if (isnan(v) || isinf(v) || v == 0) continue;
    n++;
    tpp_format_double(v, a);
    reference(v, b);
    if (strcmp(a, b) != 0) {
      if (bad < 5) printf("# %.17g: '%s' vs '%s'\n", v, a, b);
      bad++;
    }
  }
  TAP_INT(bad, 0, "%ld random doubles print as the shortest decimal", n);
}

TAP_TEST(out_utf8_overlong_and_surrogates_refused) {
  static const char *bad[] = {"id\n\xC0\xAF\n", "id\n\xE0\x80\xAF\n", "id\n\xED\xA0\x80\n",
                              "id\n\xF4\x90\x80\x80\n", "id\n\xF0\x80\x80\xAF\n", "id\n\xC3\n"};
  static const char *good[] = {"id\n\xC3\xA9\n", "id\n\xE2\x82\xAC\n", "id\n\xF0\x9F\x98\x80\n",
                               "id\n\xED\x9F\xBF\n", "id\n\xF4\x8F\xBF\xBF\n"};
  size_t k;
  for (k = 0; k < sizeof bad / sizeof bad[0] + sizeof good / sizeof good[0]; k++) {
    int is_bad = k < sizeof bad / sizeof bad[0];
    const char *text = is_bad ? bad[k] : good[k - sizeof bad / sizeof bad[0]];
    tpp_error err;
    tpp_csv *r = tpp_csv_open_bytes((const uint8_t *)text, strlen(text), &err);
    tpp_csv_column plan[1];
    tpp_csv_issue issue, is[2];
    int32_t nf, ni;
    int64_t n;
    memset(plan, 0, sizeof plan);
    plan[0].kind = TPP_CSV_TEXT;
    plan[0].text_slot = 0;
    tpp_csv_header(r, &nf, &issue, &err);
    tpp_csv_read(r, plan, 4, &n, is, 2, &ni, &err);
    if (is_bad)
      TAP_OK(n == 0 && ni == 1 && is[0].code == TPP_CSV_E_UTF8, "bad UTF-8 case %d refused", (int)k);
    else
      TAP_OK(n == 1 && ni == 0, "good UTF-8 case %d read", (int)k);
    tpp_csv_close(r);
  }
}
