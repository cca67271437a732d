/* main.c - runs every registered C test and prints TAP. */
#include "tap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { TAP_MAX = 1024 };
static const char *names[TAP_MAX];
static tap_fn fns[TAP_MAX];
static int n_tests, n_checks, n_failed;
static const char *current;

void tap_register(const char *name, tap_fn fn) {
  if (n_tests < TAP_MAX) {
    names[n_tests] = name;
    fns[n_tests++] = fn;
  }
}

void tap_check(int ok, const char *file, int line, const char *fmt, ...) {
  va_list ap;
  n_checks++;
  if (!ok) n_failed++;
  printf("%s %d - %s: ", ok ? "ok" : "not ok", n_checks, current);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!ok) printf("# failed at %s:%d\n", file, line);
}

static int by_name(const void *a, const void *b) {
  int ia = *(const int *)a, ib = *(const int *)b;
  return strcmp(names[ia], names[ib]);
}

int main(int argc, char **argv) {
  static int order[TAP_MAX];
  int i;
  for (i = 0; i < n_tests; i++) order[i] = i;
  qsort(order, (size_t)n_tests, sizeof order[0], by_name);
  for (i = 0; i < n_tests; i++) {
    if (argc > 1 && !strstr(names[order[i]], argv[1])) continue;
    current = names[order[i]];
    fns[order[i]]();
  }
  printf("1..%d\n", n_checks);
  return n_failed ? 1 : 0;
}
