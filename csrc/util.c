/*
 * util.c - errors, names, version, threads and the clock.
 */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <pthread.h>
#include <stdint.h>
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

/* OpenBLAS keeps its own pool; it gets the same count so that f32 GEMMs and
 * tpp's kernels (which never run nested) each use the cores tpp was given. */
void openblas_set_num_threads(int num_threads);

void tpp_set_threads(int n_threads) {
  g_threads = n_threads > 0 ? n_threads : 0;
  openblas_set_num_threads(tpp_get_threads());
}

int tpp_isatty(int fd) {
  return isatty(fd) ? 1 : 0;
}

double tpp_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the worker pool behind tpp_parallel_for ----
 *
 * Decode runs about a hundred parallel regions per token, each a few tens of
 * microseconds long, so creating threads per call (~50 us each) would cost
 * more than the work. Workers are created once and kept: after a job they
 * spin briefly on the job counter (the next region usually follows within
 * microseconds) and then sleep on a condition variable, so an idle pool uses
 * no CPU and does not compete with OpenBLAS's own threads.
 *
 * The caller is worker 0. A call made while the pool is busy (from inside a
 * worker, or from a second application thread) runs inline on one thread, so
 * regions never nest and results never depend on scheduling. */

enum { TPP_MAX_THREADS = 256 };
#define TPP_SPIN_SECONDS 2e-4

/* One ticket per worker: the caller hands worker w a job by storing the job's
 * generation in ticket[w], so a worker can never mistake another job for its
 * own (padded to a cache line so spinning workers do not share one). */
typedef struct tpp_ticket {
  uint64_t gen;
  char pad[56];
} tpp_ticket;

typedef struct tpp_pool {
  pthread_mutex_t mu;
  pthread_cond_t wake;      /* workers wait here for a ticket */
  pthread_cond_t done;      /* the caller waits here for the last worker */
  int n_workers;            /* threads started (worker ids 1..n_workers) */
  int sleepers;             /* workers blocked on `wake` */
  int caller_waiting;
  uint64_t generation;      /* bumped (under mu) for every job */
  int remaining;            /* workers of the current job still running */
  int busy;                 /* 1 while a job runs */
  /* the current job; stable while any of its workers runs */
  tpp_range_fn fn;
  void *ctx;
  int64_t n, chunk;
  int n_threads;
  int status[TPP_MAX_THREADS];
  tpp_ticket ticket[TPP_MAX_THREADS];
} tpp_pool;

static tpp_pool g_pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                          PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, 0,
                          NULL, NULL, 0, 0, 0, {0}, {{0, {0}}}};

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __asm__ __volatile__("pause");
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static int run_chunk(tpp_pool *p, int w) {
  int64_t begin = (int64_t)w * p->chunk;
  int64_t end = begin + p->chunk < p->n ? begin + p->chunk : p->n;
  if (begin >= end) return TPP_OK;
  return p->fn(p->ctx, begin, end, w);
}

static void *pool_worker(void *arg) {
  tpp_pool *p = &g_pool;
  int id = (int)(intptr_t)arg;
  uint64_t *ticket = &p->ticket[id].gen;
  uint64_t last = 0; /* a new worker has never had a ticket */
  for (;;) {
    if (__atomic_load_n(ticket, __ATOMIC_ACQUIRE) == last) {
      double until = tpp_now() + TPP_SPIN_SECONDS;
      int spins = 0;
      while (__atomic_load_n(ticket, __ATOMIC_ACQUIRE) == last) {
        cpu_relax();
        if (++spins == 64) {
          spins = 0;
          if (tpp_now() > until) break;
        }
      }
      if (__atomic_load_n(ticket, __ATOMIC_ACQUIRE) == last) {
        pthread_mutex_lock(&p->mu);
        while (*ticket == last) {
          p->sleepers++;
          pthread_cond_wait(&p->wake, &p->mu);
          p->sleepers--;
        }
        pthread_mutex_unlock(&p->mu);
      }
    }
    last = __atomic_load_n(ticket, __ATOMIC_ACQUIRE);
    p->status[id] = run_chunk(p, id);
    if (__atomic_sub_fetch(&p->remaining, 1, __ATOMIC_ACQ_REL) == 0) {
      pthread_mutex_lock(&p->mu);
      if (p->caller_waiting) pthread_cond_signal(&p->done);
      pthread_mutex_unlock(&p->mu);
    }
  }
  return NULL;
}

/* Start workers up to id want-1; returns how many exist. Called under mu. */
static int pool_grow(tpp_pool *p, int want) {
  while (p->n_workers + 1 < want) {
    pthread_t tid;
    pthread_attr_t attr;
    int ok;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    ok = pthread_create(&tid, &attr, pool_worker, (void *)(intptr_t)(p->n_workers + 1)) == 0;
    pthread_attr_destroy(&attr);
    if (!ok) break;
    p->n_workers++;
  }
  return p->n_workers + 1;
}

int tpp_parallel_for(int64_t n, int64_t min_chunk, int n_threads,
                     tpp_range_fn fn, void *ctx) {
  tpp_pool *p = &g_pool;
  int nt, t, status = TPP_OK;
  double until;
  if (n <= 0) return TPP_OK;
  if (min_chunk < 1) min_chunk = 1;
  nt = n_threads > 0 ? n_threads : tpp_get_threads();
  if (nt > TPP_MAX_THREADS) nt = TPP_MAX_THREADS;
  if ((int64_t)nt > (n + min_chunk - 1) / min_chunk)
    nt = (int)((n + min_chunk - 1) / min_chunk);
  if (nt <= 1) return fn(ctx, 0, n, 0);
  if (pthread_mutex_trylock(&p->mu) != 0) return fn(ctx, 0, n, 0);
  if (p->busy) {
    pthread_mutex_unlock(&p->mu);
    return fn(ctx, 0, n, 0);
  }
  nt = pool_grow(p, nt) < nt ? p->n_workers + 1 : nt;
  if (nt <= 1) {
    pthread_mutex_unlock(&p->mu);
    return fn(ctx, 0, n, 0);
  }
  p->busy = 1;
  p->fn = fn;
  p->ctx = ctx;
  p->n = n;
  p->chunk = (n + nt - 1) / nt;
  p->n_threads = nt;
  for (t = 0; t < nt; t++) p->status[t] = TPP_OK;
  __atomic_store_n(&p->remaining, nt - 1, __ATOMIC_RELEASE);
  p->generation++;
  for (t = 1; t < nt; t++) __atomic_store_n(&p->ticket[t].gen, p->generation, __ATOMIC_RELEASE);
  if (p->sleepers > 0) pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mu);

  p->status[0] = run_chunk(p, 0);

  until = tpp_now() + TPP_SPIN_SECONDS;
  while (__atomic_load_n(&p->remaining, __ATOMIC_ACQUIRE) > 0) {
    cpu_relax();
    if (tpp_now() > until) {
      pthread_mutex_lock(&p->mu);
      p->caller_waiting = 1;
      while (__atomic_load_n(&p->remaining, __ATOMIC_ACQUIRE) > 0)
        pthread_cond_wait(&p->done, &p->mu);
      p->caller_waiting = 0;
      pthread_mutex_unlock(&p->mu);
      break;
    }
  }
  for (t = 0; t < nt; t++)
    if (p->status[t] != TPP_OK && status == TPP_OK) status = p->status[t];
  pthread_mutex_lock(&p->mu);
  p->busy = 0;
  pthread_mutex_unlock(&p->mu);
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
