/*
 * tap.h - a minimal TAP producer for the C unit tests.
 *
 *   TAP_TEST(spec_tpp_of_h100) { TAP_NEAR(m.tpp, 15831.2, 1e-9, "H100 TPP"); }
 *
 * Each TAP_TEST registers itself at load time (a constructor), so a new test
 * file needs no edit elsewhere. Every check is one TAP line; main.c prints the
 * plan and exits non-zero when a check failed.
 */
#ifndef TPP_TAP_H
#define TPP_TAP_H

#include <math.h>
#include <stdio.h>

typedef void (*tap_fn)(void);
void tap_register(const char *name, tap_fn fn);
void tap_check(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define TAP_TEST(name)                                                   \
  static void name(void);                                                \
  __attribute__((constructor)) static void name##_register(void) {       \
    tap_register(#name, name);                                           \
  }                                                                      \
  static void name(void)

#define TAP_OK(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* |a - b| <= tol * max(1, |b|) */
#define TAP_NEAR(a, b, tol, ...)                                                   \
  tap_check(fabs((double)(a) - (double)(b)) <=                                   \
                (tol) * (fabs((double)(b)) > 1 ? fabs((double)(b)) : 1.0),       \
            __FILE__, __LINE__, __VA_ARGS__)

#define TAP_INT(a, b, ...) tap_check((long long)(a) == (long long)(b), __FILE__, __LINE__, __VA_ARGS__)

#endif
