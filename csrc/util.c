/*
 * util.c - errors, names, version, threads and the clock.
 */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TPP_STR2(x) #x
#define TPP_STR(x) TPP_STR2(x)

const char *tpp_version(void) {
  return "0.1.0";
}

void tpp_error_clear(tpp_error *err) {
  if (!err) return;
  err->code = TPP_OK;
  err->row = -1;
  err->field = -1;
  err->value = 0.0;
  err->message[0] = '\0';
}

int tpp_fail(tpp_error *err, int code, int64_t row, int field, double value,
             const char *fmt, ...) {
  if (err) {
    va_list ap;
    err->code = code;
    err->row = row;
    err->field = field;
    err->value = value;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

static const char *const field_names[TPP_FIELD_COUNT] = {
    "dense.fp64", "dense.fp32", "dense.tf32", "dense.fp16", "dense.bf16",
    "dense.fp8",  "dense.int8", "dense.fp6",  "dense.fp4",  "dense.int4",
    "area_mm2",   "memory.bandwidth_gbs", "memory.area_mm2", "interconnect_gbs",
    "tf32_bits",  "dies",       "units"};

const char *tpp_field_name(int field) {
  if (field < 0 || field >= TPP_FIELD_COUNT) return "?";
  return field_names[field];
}

size_t tpp_error_format(const tpp_error *err, char *buf, size_t size) {
  int n;
  if (!buf || size == 0) return 0;
  if (!err || err->code == TPP_OK) {
    n = snprintf(buf, size, "no error");
  } else if (err->row >= 0 && err->field >= 0) {
    n = snprintf(buf, size, "row %lld, %s: %s", (long long)err->row + 1,
                 tpp_field_name(err->field), err->message);
  } else if (err->field >= 0) {
    n = snprintf(buf, size, "%s: %s", tpp_field_name(err->field), err->message);
  } else {
    n = snprintf(buf, size, "%s", err->message);
  }
  if (n < 0) return 0;
  return (size_t)n < size ? (size_t)n : size - 1;
}

/* ---- threads ---- */

static int g_threads = 0; /* 0 = not set: use all cores */

int tpp_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

int tpp_get_threads(void) {
  return g_threads > 0 ? g_threads : tpp_cpu_count();
}

void tpp_set_threads(int n_threads) {
  g_threads = n_threads > 0 ? n_threads : 0;
}

int tpp_isatty(int fd) {
  return isatty(fd) ? 1 : 0;
}

double tpp_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct range_job {
  tpp_range_fn fn;
  void *ctx;
  int64_t begin, end;
  int worker;
  int status;
} range_job;

static void *range_thread(void *arg) {
  range_job *job = (range_job *)arg;
  job->status = job->fn(job->ctx, job->begin, job->end, job->worker);
  return NULL;
}

enum { TPP_MAX_THREADS = 256 };

int tpp_parallel_for(int64_t n, int64_t min_chunk, int n_threads,
                     tpp_range_fn fn, void *ctx) {
  range_job jobs[TPP_MAX_THREADS];
  pthread_t tids[TPP_MAX_THREADS];
  int started[TPP_MAX_THREADS];
  int64_t chunk;
  int t, nt, status = TPP_OK;
  if (n <= 0) return TPP_OK;
  if (min_chunk < 1) min_chunk = 1;
  nt = n_threads > 0 ? n_threads : tpp_get_threads();
  if (nt > TPP_MAX_THREADS) nt = TPP_MAX_THREADS;
  if ((int64_t)nt > (n + min_chunk - 1) / min_chunk)
    nt = (int)((n + min_chunk - 1) / min_chunk);
  if (nt <= 1) return fn(ctx, 0, n, 0);
  chunk = (n + nt - 1) / nt;
  for (t = 0; t < nt; t++) {
    jobs[t].fn = fn;
    jobs[t].ctx = ctx;
    jobs[t].begin = (int64_t)t * chunk;
    jobs[t].end = jobs[t].begin + chunk < n ? jobs[t].begin + chunk : n;
    jobs[t].worker = t;
    jobs[t].status = TPP_OK;
    started[t] = 0;
  }
  /* Worker 0 runs on the calling thread; a thread that cannot be created has
   * its chunk run inline, so the result never depends on thread creation. */
  for (t = 1; t < nt; t++)
    started[t] = pthread_create(&tids[t], NULL, range_thread, &jobs[t]) == 0;
  range_thread(&jobs[0]);
  for (t = 1; t < nt; t++) {
    if (started[t])
      pthread_join(tids[t], NULL);
    else
      range_thread(&jobs[t]);
  }
  for (t = 0; t < nt; t++)
    if (jobs[t].status != TPP_OK && status == TPP_OK) status = jobs[t].status;
  return status;
}

void *tpp_alloc(size_t bytes) {
  void *p = NULL;
  if (bytes == 0) return NULL;
  if (posix_memalign(&p, 64, bytes) != 0) return NULL;
  return p;
}

void tpp_free(void *ptr) {
  free(ptr);
}

void tpp_fill_f64(double *dst, int64_t n, double value) {
  int64_t i;
  if (!dst) return;
  for (i = 0; i < n; i++) dst[i] = value;
}
