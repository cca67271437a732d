/*
 * util.c - errors, names, version, threads and the clock.
 */
#define _GNU_SOURCE /* dladdr, RTLD_NODELETE */
#include "internal.h"

#include <dlfcn.h>
#include <math.h>
#include <sys/mman.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TPP_STR2(x) #x
#define TPP_STR(x) TPP_STR2(x)

/* The version string, formatted once from the one definition in include/tpp.h. */
static char version_text[32];
static pthread_once_t version_once = PTHREAD_ONCE_INIT;

static void version_format(void) {
  snprintf(version_text, sizeof version_text, "%d.%d.%d", TPP_VERSION_MAJOR, TPP_VERSION_MINOR,
           TPP_VERSION_PATCH);
}

const char *tpp_version(void) {
  pthread_once(&version_once, version_format);
  return version_text;
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

/* sysconf(_SC_NPROCESSORS_ONLN) reads /sys on every call (three system
 * calls); parallel regions ask for the thread count a hundred times per
 * decoded token, so the count is read once. */
int tpp_cpu_count(void) {
  static int cached = 0;
  int n = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (n == 0) {
    long v = sysconf(_SC_NPROCESSORS_ONLN);
    n = v > 0 ? (int)v : 1;
    __atomic_store_n(&cached, n, __ATOMIC_RELAXED);
  }
  return n;
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

/* Interactive interrupts: the handler only records the signal. */
static volatile sig_atomic_t interrupt_seen;
static struct sigaction interrupt_saved;
static int interrupt_installed;

/* A second Ctrl-C before the first was taken means the program is not
 * listening (a long computation): then SIGINT does what it does by default. */
static void interrupt_record(int sig) {
  if (interrupt_seen) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  interrupt_seen = 1;
}

int tpp_interrupt_catch(int on) {
  if (on && !interrupt_installed) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupt_record;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a read waiting for a line returns with EINTR */
    if (sigaction(SIGINT, &sa, &interrupt_saved) != 0) return -1;
    interrupt_seen = 0;
    interrupt_installed = 1;
  } else if (!on && interrupt_installed) {
    if (sigaction(SIGINT, &interrupt_saved, NULL) != 0) return -1;
    interrupt_installed = 0;
  }
  return 0;
}

int tpp_wait_input(int fd, int timeout_ms) {
  struct pollfd p;
  int n;
  p.fd = fd;
  p.events = POLLIN;
  p.revents = 0;
  n = poll(&p, 1, timeout_ms);
  if (n < 0) return -1;
  return n > 0 ? 1 : 0;
}

int tpp_interrupt_take(void) {
  int seen = interrupt_seen ? 1 : 0;
  interrupt_seen = 0;
  return seen;
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
 * spin briefly (the next region usually follows within microseconds), then
 * yield, then sleep on a condition variable, so an idle pool uses no CPU and
 * does not compete with OpenBLAS's threads.
 *
 * A job is cut into a few chunks per thread, handed out from an atomic
 * counter, so a worker the OS has descheduled (another process on a busy
 * machine) does not hold the region up: the others take its chunks. A worker
 * is offered each job through its own ticket and must claim it; once the
 * caller has run out of chunks it withdraws the offers nobody claimed, and
 * waits only for workers that are actually running.
 *
 * The caller is worker 0. A call made while the pool is busy (from inside a
 * worker, or from a second application thread) runs inline on one thread, so
 * regions never nest and results never depend on scheduling. */

#include <sched.h>

enum { TPP_MAX_THREADS = 256, CHUNKS_PER_THREAD = 8 };
enum { OFFERED = 0, CLAIMED = 1, WITHDRAWN = 2 }; /* ticket = generation * 4 + state */
#define TPP_SPIN_SECONDS 2e-5   /* pure spinning after a job */
#define TPP_YIELD_SECONDS 2e-4  /* then spinning with sched_yield, then sleep */
#define TPP_CALLER_SPIN_SECONDS 2e-4 /* the caller spins for running chunks, */
#define TPP_CALLER_WAIT_SECONDS 2e-3 /* then yields, then sleeps */

typedef struct tpp_ticket {
  uint64_t value;
  char pad[56]; /* one cache line each: spinning workers do not share lines */
} tpp_ticket;

/* Worker w owns chunks [next, end) of each job and takes them in order;
 * others take from its range only once their own is done. */
typedef struct tpp_share {
  int64_t next; /* atomic */
  int64_t end;
  char pad[48];
} tpp_share;

typedef struct tpp_pool {
  pthread_mutex_t mu;
  pthread_cond_t wake;      /* workers wait here for an offer */
  pthread_cond_t done;      /* the caller waits here for running workers */
  int n_workers;            /* threads started (worker ids 1..n_workers) */
  int sleepers;             /* workers blocked on `wake` */
  int caller_waiting;
  uint64_t generation;      /* bumped (under mu) for every job */
  int busy;                 /* 1 while a job runs */
  /* the current job; stable while any of its workers runs */
  tpp_range_fn fn;
  void *ctx;
  int64_t n, chunk, n_chunks;
  int n_threads;            /* participants of the job */
  int status_pad;
  int active;               /* offers not yet finished or withdrawn (atomic) */
  int status;               /* first failure (atomic) */
  tpp_ticket ticket[TPP_MAX_THREADS];
  tpp_share share[TPP_MAX_THREADS];
} tpp_pool;

static tpp_pool g_pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
                          PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, 0, 0, 0, 0, 0,
                          {{0, {0}}}, {{0, 0, {0}}}};

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __asm__ __volatile__("pause");
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static void run_one(tpp_pool *p, int64_t c, int worker) {
  int64_t begin = c * p->chunk;
  int64_t end = begin + p->chunk < p->n ? begin + p->chunk : p->n;
  int st = p->fn(p->ctx, begin, end, worker);
  if (st != TPP_OK) {
    int ok = TPP_OK;
    __atomic_compare_exchange_n(&p->status, &ok, st, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
  }
}

/* Own share first, in order (the same rows every time a region of this
 * size runs, so a core's cache keeps its rows between decode steps), then
 * whatever the others have not started. */
static void run_chunks(tpp_pool *p, int worker) {
  int k;
  for (k = 0; k < p->n_threads; k++) {
    tpp_share *sh = &p->share[(worker + k) % p->n_threads];
    for (;;) {
      int64_t c = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);
      if (c >= sh->end) break;
      run_one(p, c, worker);
    }
  }
}

/* A new offer: a generation this worker has not seen, still OFFERED. */
static int is_offer(uint64_t t, uint64_t last_gen) {
  return (t >> 2) != last_gen && (t & 3) == OFFERED;
}

/* Wait with pause, then sched_yield, until pred() or the time is up. */
static void *pool_worker(void *arg) {
  tpp_pool *p = &g_pool;
  int id = (int)(intptr_t)arg;
  uint64_t *ticket = &p->ticket[id].value;
  uint64_t last_gen = 0; /* a new worker has never had an offer */
  for (;;) {
    uint64_t t = __atomic_load_n(ticket, __ATOMIC_ACQUIRE);
    if (!is_offer(t, last_gen)) {
      double start = tpp_now(), now = start;
      int spins = 0;
      while (!is_offer(t = __atomic_load_n(ticket, __ATOMIC_ACQUIRE), last_gen)) {
        if (now - start < TPP_SPIN_SECONDS)
          cpu_relax();
        else
          sched_yield();
        if (++spins == 32) {
          spins = 0;
          now = tpp_now();
          if (now - start > TPP_YIELD_SECONDS) break;
        }
      }
      if (!is_offer(t, last_gen)) {
        pthread_mutex_lock(&p->mu);
        while (!is_offer(t = *ticket, last_gen)) {
          p->sleepers++;
          pthread_cond_wait(&p->wake, &p->mu);
          p->sleepers--;
        }
        pthread_mutex_unlock(&p->mu);
      }
    }
    last_gen = t >> 2;
    /* claim the offer; it fails when the caller has already withdrawn it */
    if (!__atomic_compare_exchange_n(ticket, &t, t + CLAIMED, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
      continue;
    run_chunks(p, id);
    if (__atomic_sub_fetch(&p->active, 1, __ATOMIC_ACQ_REL) == 0) {
      pthread_mutex_lock(&p->mu);
      if (p->caller_waiting) pthread_cond_signal(&p->done);
      pthread_mutex_unlock(&p->mu);
    }
  }
  return NULL;
}

/* The workers run code of this shared object for the life of the process,
 * so it must never be unmapped: Lua dlcloses C modules in lua_close, and a
 * worker still spinning there would jump into freed memory. Re-opening the
 * object with RTLD_NODELETE pins it (once, before the first worker). */
static void pin_library(void) {
#if defined(RTLD_NODELETE)
  static int pinned = 0;
  Dl_info info;
  if (pinned) return;
  pinned = 1;
  if (dladdr((void *)(intptr_t)&pin_library, &info) && info.dli_fname)
    (void)dlopen(info.dli_fname, RTLD_LAZY | RTLD_NODELETE);
#endif
}

/* A forked child has none of the parent's workers: start from an empty pool. */
static void pool_after_fork(void) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
  int t;
  g_pool.mu = mu;
  g_pool.wake = cv;
  g_pool.done = cv;
  g_pool.n_workers = 0;
  g_pool.sleepers = 0;
  g_pool.caller_waiting = 0;
  g_pool.busy = 0;
  for (t = 0; t < TPP_MAX_THREADS; t++) g_pool.ticket[t].value = 0;
}

/* Start workers up to id want-1 (called under mu); returns the thread count. */
static int pool_grow(tpp_pool *p, int want) {
  static int registered = 0;
  if (p->n_workers + 1 < want && !registered) {
    registered = 1;
    pin_library();
    pthread_atfork(NULL, NULL, pool_after_fork);
  }
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
  int nt, t, status;
  int64_t chunk;
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
  if (pool_grow(p, nt) < nt) nt = p->n_workers + 1;
  if (nt <= 1) {
    pthread_mutex_unlock(&p->mu);
    return fn(ctx, 0, n, 0);
  }
  chunk = (n + (int64_t)nt * CHUNKS_PER_THREAD - 1) / ((int64_t)nt * CHUNKS_PER_THREAD);
  if (chunk < min_chunk) chunk = min_chunk;
  p->busy = 1;
  p->fn = fn;
  p->ctx = ctx;
  p->n = n;
  p->chunk = chunk;
  p->n_chunks = (n + chunk - 1) / chunk;
  p->n_threads = nt;
  for (t = 0; t < nt; t++) {
    p->share[t].next = p->n_chunks * t / nt;
    p->share[t].end = p->n_chunks * (t + 1) / nt;
  }
  p->status = TPP_OK;
  p->active = nt - 1;
  p->generation++;
  for (t = 1; t < nt; t++)
    __atomic_store_n(&p->ticket[t].value, p->generation * 4 + OFFERED, __ATOMIC_RELEASE);
  if (p->sleepers > 0) pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->mu);

  run_chunks(p, 0);

  /* no chunks left: withdraw the offers nobody claimed, wait for the rest */
  for (t = 1; t < nt; t++) {
    uint64_t offered = p->generation * 4 + OFFERED;
    if (__atomic_compare_exchange_n(&p->ticket[t].value, &offered, offered + WITHDRAWN, 0,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      __atomic_sub_fetch(&p->active, 1, __ATOMIC_ACQ_REL);
  }
  if (__atomic_load_n(&p->active, __ATOMIC_ACQUIRE) > 0) {
    /* the workers left have claimed chunks and are running them: they finish
     * within microseconds, and a futex wake-up costs more than that (tens of
     * microseconds in a VM), so spin, and yield, well before sleeping */
    double start = tpp_now(), now = start;
    int spins = 0;
    while (__atomic_load_n(&p->active, __ATOMIC_ACQUIRE) > 0) {
      if (now - start < TPP_CALLER_SPIN_SECONDS)
        cpu_relax();
      else
        sched_yield();
      if (++spins == 32) {
        spins = 0;
        now = tpp_now();
        if (now - start > TPP_CALLER_WAIT_SECONDS) {
          pthread_mutex_lock(&p->mu);
          p->caller_waiting = 1;
          while (__atomic_load_n(&p->active, __ATOMIC_ACQUIRE) > 0)
            pthread_cond_wait(&p->done, &p->mu);
          p->caller_waiting = 0;
          pthread_mutex_unlock(&p->mu);
          break;
        }
      }
    }
  }
  status = __atomic_load_n(&p->status, __ATOMIC_ACQUIRE);
  pthread_mutex_lock(&p->mu);
  p->busy = 0;
  pthread_mutex_unlock(&p->mu);
  return status;
}

/* Large buffers (model weights, KV caches, benchmark buffers) are aligned to
 * 2 MiB and offered to the kernel for transparent huge pages: streaming
 * hundreds of MB per decoded token then costs hundreds of TLB misses instead
 * of a hundred thousand, and first-touch is faster. */
#define TPP_HUGE_MIN ((size_t)4 << 20)
#define TPP_HUGE_ALIGN ((size_t)2 << 20)

void *tpp_alloc(size_t bytes) {
  void *p = NULL;
  if (bytes == 0) return NULL;
  if (bytes >= TPP_HUGE_MIN) {
    if (posix_memalign(&p, TPP_HUGE_ALIGN, bytes) != 0) return NULL;
#if defined(MADV_HUGEPAGE)
    (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
  }
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

void tpp_random_loguniform(double *dst, int64_t n, double lo, double hi, double unknown,
                           uint64_t seed) {
  uint64_t x = tpp_rng_from_seed(seed);
  double llo = log(lo), lhi = log(hi);
  int64_t i;
  if (!dst) return;
  for (i = 0; i < n; i++) {
    double u1 = tpp_rng_f64(&x), u2 = tpp_rng_f64(&x);
    dst[i] = u2 < unknown ? NAN : exp(llo + (lhi - llo) * u1);
  }
}
