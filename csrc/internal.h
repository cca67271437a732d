/*
 * internal.h - helpers shared by the C core files; not part of the public API.
 */
#ifndef TPP_INTERNAL_H
#define TPP_INTERNAL_H

#include "tpp.h"

#include <stdarg.h>

/* Fill err (if not NULL) and return code. */
int tpp_fail(tpp_error *err, int code, int64_t row, int field, double value,
             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

void tpp_error_clear(tpp_error *err);

/* Run fn(ctx, begin, end, worker) over [0, n) split into contiguous chunks on
 * up to n_threads threads (0 = tpp_get_threads()). Chunks are at least
 * min_chunk items. Returns the first non-zero status any chunk returned. */
typedef int (*tpp_range_fn)(void *ctx, int64_t begin, int64_t end, int worker);
int tpp_parallel_for(int64_t n, int64_t min_chunk, int n_threads,
                     tpp_range_fn fn, void *ctx);

/* Create a new file (O_EXCL, mode 0600) named dir/prefix + 6 random
 * characters + suffix; its name goes to path. Returns the open descriptor, or
 * -1 with err filled. tpp_temp_file() is the same but closes it. */
int tpp_temp_open(const char *dir, const char *prefix, const char *suffix, char *path,
                  size_t path_size, tpp_error *err);

/* xorshift64* (the generator of llama2.c's sampler): the next 64 bits. */
static inline uint64_t tpp_rng_u64(uint64_t *state) {
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return *state * 0x2545F4914F6CDD1DULL;
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double tpp_rng_f64(uint64_t *state) {
  return (double)(tpp_rng_u64(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* The state the batch generators start from for a user seed. */
static inline uint64_t tpp_rng_from_seed(uint64_t seed) {
  return seed * 2654435761u + 88172645463325252ull;
}

#endif
