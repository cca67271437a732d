/*
 * cpu.c - which instruction-set path the kernels take. Detected once with
 * __builtin_cpu_supports (which also checks that the OS saves the AVX-512
 * state); capped by tpp_isa_set() or the environment variable TPP_ISA
 * (scalar, avx2, avx512) so every path can be tested on one machine.
 */
#include "kernels.h"

#include <stdlib.h>
#include <string.h>

static int g_detected = -1;
static int g_active = -1;

static int detect(void) {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni"))
    return TPP_ISA_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return TPP_ISA_AVX2;
#endif
  return TPP_ISA_SCALAR;
}

static int isa_from_env(void) {
  const char *s = getenv("TPP_ISA");
  if (!s || !*s) return -1;
  if (strcmp(s, "scalar") == 0) return TPP_ISA_SCALAR;
  if (strcmp(s, "avx2") == 0) return TPP_ISA_AVX2;
  if (strcmp(s, "avx512") == 0) return TPP_ISA_AVX512;
  return -1;
}

int tpp_isa_detected(void) {
  if (g_detected < 0) g_detected = detect();
  return g_detected;
}

int tpp_isa_active(void) {
  if (g_active < 0) {
    int cap = isa_from_env();
    g_active = tpp_isa_detected();
    if (cap >= 0 && cap < g_active) g_active = cap;
  }
  return g_active;
}

int tpp_isa_level(void) {
  return g_active >= 0 ? g_active : tpp_isa_active();
}

int tpp_isa_set(int isa) {
  int det = tpp_isa_detected();
  if (isa < 0)
    g_active = det;
  else
    g_active = isa < det ? isa : det;
  return g_active;
}

const char *tpp_isa_name(int isa) {
  switch (isa) {
    case TPP_ISA_SCALAR: return "scalar";
    case TPP_ISA_AVX2: return "avx2";
    case TPP_ISA_AVX512: return "avx512-vnni";
    default: return "?";
  }
}
