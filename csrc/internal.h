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

#endif
