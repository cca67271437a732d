/*
 * sandbox.c - the budget of a sandboxed interpreter state: an allocator with
 * a hard byte limit for the state's whole life, and a step and time counter
 * per call. See sandbox.h; the glue (csrc/lua/sandbox_glue.c) attaches both to
 * its own lua_State.
 */
#include "sandbox.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

static size_t g_live_bytes; /* updated atomically: states may live in several threads */

size_t tpp_budget_live_bytes(void) {
  return __atomic_load_n(&g_live_bytes, __ATOMIC_RELAXED);
}

void tpp_budget_init(tpp_budget *b, size_t memory_limit, int64_t steps_limit,
                     double seconds_limit) {
  b->memory_limit = memory_limit;
  b->memory_used = 0;
  b->memory_peak = 0;
  b->memory_refused = 0;
  b->steps_limit = steps_limit;
  b->steps_used = 0;
  b->steps_total = 0;
  b->seconds_limit = seconds_limit;
  b->call_start = 0;
  b->stopped = TPP_BUDGET_OK;
}

void *tpp_budget_realloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  tpp_budget *b = (tpp_budget *)ud;
  void *q;
  if (ptr == NULL) osize = 0; /* Lua 5.4 passes the object type here */
  if (nsize == 0) {
    free(ptr);
    b->memory_used -= osize;
    __atomic_sub_fetch(&g_live_bytes, osize, __ATOMIC_RELAXED);
    return NULL;
  }
  /* growth is checked against what the state holds now (live data and
   * garbage not yet collected); shrinking is always allowed */
  if (nsize > osize &&
      (b->memory_used >= b->memory_limit || nsize - osize > b->memory_limit - b->memory_used)) {
    b->memory_refused = 1;
    return NULL;
  }
  q = realloc(ptr, nsize);
  if (q == NULL) {
    if (nsize > osize) b->memory_refused = 1;
    return nsize <= osize ? ptr : NULL; /* a failed shrink keeps the block */
  }
  b->memory_used = b->memory_used - osize + nsize;
  if (nsize >= osize)
    __atomic_add_fetch(&g_live_bytes, nsize - osize, __ATOMIC_RELAXED);
  else
    __atomic_sub_fetch(&g_live_bytes, osize - nsize, __ATOMIC_RELAXED);
  if (b->memory_used > b->memory_peak) b->memory_peak = b->memory_used;
  return q;
}

void tpp_budget_start(tpp_budget *b) {
  b->steps_used = 0;
  b->stopped = TPP_BUDGET_OK;
  b->call_start = tpp_now();
}

int tpp_budget_charge(tpp_budget *b, int64_t steps) {
  if (b->stopped != TPP_BUDGET_OK) return b->stopped;
  b->steps_used += steps;
  b->steps_total += steps;
  if (tpp_interrupted())
    b->stopped = TPP_BUDGET_INTERRUPTED;
  else if (b->steps_used > b->steps_limit)
    b->stopped = TPP_BUDGET_STEPS;
  else if (tpp_now() - b->call_start > b->seconds_limit)
    b->stopped = TPP_BUDGET_TIME;
  return b->stopped;
}

size_t tpp_budget_message(const tpp_budget *b, int why, char *buf, size_t size) {
  int n;
  if (!buf || size == 0) return 0;
  switch (why) {
  case TPP_BUDGET_STEPS:
    n = snprintf(buf, size,
                 "rule code stopped after %lld instructions (limit %lld per call): an endless "
                 "loop or too much work",
                 (long long)b->steps_used, (long long)b->steps_limit);
    break;
  case TPP_BUDGET_TIME:
    n = snprintf(buf, size, "rule code stopped after %.3g s (limit %.3g s per call)",
                 tpp_now() - b->call_start, b->seconds_limit);
    break;
  case TPP_BUDGET_INTERRUPTED:
    n = snprintf(buf, size, "interrupted");
    break;
  default:
    n = snprintf(buf, size,
                 "rule code stopped: it needs more than %.0f KB of memory (the rule file's "
                 "limit, for its whole life)",
                 (double)b->memory_limit / 1024.0);
    break;
  }
  if (n < 0) return 0;
  return (size_t)n < size ? (size_t)n : size - 1;
}

void tpp_sandbox_rng_seed(uint64_t *state, double seed) {
  uint64_t bits = 0;
  size_t i;
  const unsigned char *p = (const unsigned char *)&seed;
  for (i = 0; i < sizeof seed; i++) bits = bits * 131u + p[i];
  *state = tpp_rng_from_seed(bits);
  if (*state == 0) *state = 88172645463325252ull; /* xorshift never leaves 0 */
}

double tpp_sandbox_rng_f64(uint64_t *state) {
  return tpp_rng_f64(state);
}
