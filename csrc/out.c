/*
 * out.c - output files written through a temporary file, and rows rendered
 * from a template of parts (JSON Lines, CSV) on several threads.
 *
 * A chunk of n rows is cut into pieces; each piece renders its rows into its
 * own growing buffer (threads never share one), then the buffers are written
 * in order. Shapes: part columns [n]; piece buffers [pieces].
 */
#define _GNU_SOURCE /* mkstemp, fchmod, fsync */
#include "internal.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

enum { PIECES = 16 };

typedef struct sbuf {
  char *p;
  size_t len, cap;
  int oom;
} sbuf;

/* Rows are rendered into one set of piece buffers while a background thread
 * writes the other (the kernel's copy of the bytes overlaps the next chunk). */
struct tpp_writer {
  FILE *fp;
  int is_stdout;
  char *path;      /* destination */
  char *tmp;       /* temporary file beside it, or NULL for stdout */
  int committed;
  int64_t bytes;
  sbuf sets[2][PIECES];
  int cur;                   /* the set the next chunk renders into */
  pthread_t thread;
  int started, stop, pending, pending_set, write_errno;
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

static void *write_loop(void *arg) {
  tpp_writer *o = (tpp_writer *)arg;
  for (;;) {
    int set, k, e = 0;
    pthread_mutex_lock(&o->mu);
    while (!o->pending && !o->stop) pthread_cond_wait(&o->cv, &o->mu);
    if (!o->pending) {
      pthread_mutex_unlock(&o->mu);
      return NULL;
    }
    set = o->pending_set;
    pthread_mutex_unlock(&o->mu);
    for (k = 0; k < PIECES && !e; k++) {
      sbuf *b = &o->sets[set][k];
      if (b->len > 0 && fwrite(b->p, 1, b->len, o->fp) != b->len) e = errno ? errno : EIO;
    }
    pthread_mutex_lock(&o->mu);
    o->pending = 0;
    if (e && !o->write_errno) o->write_errno = e;
    pthread_cond_broadcast(&o->cv);
    pthread_mutex_unlock(&o->mu);
  }
}

/* Wait until the background write is done; its error, if any. */
static int wait_idle(tpp_writer *o, tpp_error *err) {
  int e;
  if (!o->started) return TPP_OK;
  pthread_mutex_lock(&o->mu);
  while (o->pending) pthread_cond_wait(&o->cv, &o->mu);
  e = o->write_errno;
  pthread_mutex_unlock(&o->mu);
  if (e) return tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: %s", o->path ? o->path : "standard output",
                         strerror(e));
  return TPP_OK;
}

static void stop_thread(tpp_writer *o) {
  if (!o->started) return;
  pthread_mutex_lock(&o->mu);
  while (o->pending) pthread_cond_wait(&o->cv, &o->mu);
  o->stop = 1;
  pthread_cond_broadcast(&o->cv);
  pthread_mutex_unlock(&o->mu);
  pthread_join(o->thread, NULL);
  o->started = 0;
}

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = (char *)malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

tpp_writer *tpp_writer_open(const char *path, const char *avoid, tpp_error *err) {
  tpp_writer *o;
  tpp_error_clear(err);
  if (!path || !path[0]) {
    tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output: no path");
    return NULL;
  }
  o = (tpp_writer *)calloc(1, sizeof *o);
  if (!o) {
    tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory opening an output");
    return NULL;
  }
  pthread_mutex_init(&o->mu, NULL);
  pthread_cond_init(&o->cv, NULL);
  if (strcmp(path, "-") == 0) {
    o->fp = stdout;
    o->is_stdout = 1;
    return o;
  }
  {
    struct stat sp, sa;
    if (stat(path, &sp) == 0) {
      if (S_ISDIR(sp.st_mode)) {
        free(o);
        tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: it is a directory", path);
        return NULL;
      }
      if (avoid && stat(avoid, &sa) == 0 && sa.st_dev == sp.st_dev && sa.st_ino == sp.st_ino) {
        free(o);
        tpp_fail(err, TPP_E_ARG, -1, -1, 0,
                 "the output %s is the input file; write to another file (an input is never written over)",
                 path);
        return NULL;
      }
    }
  }
  o->path = dup_str(path);
  {
    /* <dir>/.<name>.tpp-XXXXXX: same folder, so the final rename is atomic */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path + 1) : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = dir_len + strlen(base) + 16;
    int fd;
    o->tmp = (char *)malloc(n);
    if (!o->path || !o->tmp) {
      tpp_writer_close(o);
      tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory opening an output");
      return NULL;
    }
    snprintf(o->tmp, n, "%.*s.%s.tpp-XXXXXX", (int)dir_len, path, base);
    fd = mkstemp(o->tmp);
    if (fd < 0) {
      int e = errno;
      free(o->tmp);
      o->tmp = NULL;
      tpp_writer_close(o);
      tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: %s", path, strerror(e));
      return NULL;
    }
    {
      /* mkstemp makes the file 0600; give it the mode a new file gets */
      mode_t mask = umask(0);
      umask(mask);
      fchmod(fd, (mode_t)0666 & ~mask);
    }
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
      close(fd);
      tpp_writer_close(o);
      tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: %s", path, strerror(errno));
      return NULL;
    }
  }
  return o;
}

int tpp_writer_write(tpp_writer *o, const char *bytes, size_t len, tpp_error *err) {
  int st;
  tpp_error_clear(err);
  if (!o || !o->fp) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output: closed");
  st = wait_idle(o, err); /* bytes stay in order behind the rows being written */
  if (st != TPP_OK) return st;
  if (len > 0 && fwrite(bytes, 1, len, o->fp) != len)
    return tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: %s", o->path ? o->path : "standard output",
                    strerror(errno));
  o->bytes += (int64_t)len;
  return TPP_OK;
}

int tpp_writer_commit(tpp_writer *o, tpp_error *err) {
  int st;
  tpp_error_clear(err);
  if (!o || !o->fp) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output: closed");
  st = wait_idle(o, err);
  stop_thread(o);
  if (st != TPP_OK) return st;
  if (fflush(o->fp) != 0)
    return tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: %s", o->path ? o->path : "standard output",
                    strerror(errno));
  if (o->is_stdout) {
    o->committed = 1;
    return TPP_OK;
  }
  if (fclose(o->fp) != 0) {
    o->fp = NULL;
    return tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: %s", o->path, strerror(errno));
  }
  o->fp = NULL;
  if (rename(o->tmp, o->path) != 0)
    return tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot move the output into %s: %s", o->path, strerror(errno));
  o->committed = 1;
  return TPP_OK;
}

void tpp_writer_close(tpp_writer *o) {
  int set, k;
  if (!o) return;
  stop_thread(o);
  for (set = 0; set < 2; set++)
    for (k = 0; k < PIECES; k++) free(o->sets[set][k].p);
  pthread_mutex_destroy(&o->mu);
  pthread_cond_destroy(&o->cv);
  if (o->fp && !o->is_stdout) fclose(o->fp);
  if (o->is_stdout && o->fp) fflush(o->fp);
  if (o->tmp && !o->committed) remove(o->tmp);
  free(o->tmp);
  free(o->path);
  free(o);
}

int64_t tpp_writer_bytes(const tpp_writer *o) { return o ? o->bytes : 0; }

/* ---- temporary directories, child processes ---- */

int tpp_temp_dir(const char *prefix, char *buf, size_t size, tpp_error *err) {
  const char *dir = getenv("TMPDIR");
  int n;
  size_t i;
  tpp_error_clear(err);
  if (!prefix || !buf) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "temp dir: NULL argument");
  for (i = 0; prefix[i]; i++)
    if (prefix[i] == '/') return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "temp dir: a prefix without '/'");
  if (!dir || !dir[0]) dir = "/tmp";
  n = snprintf(buf, size, "%s/%s-XXXXXX", dir, prefix);
  if (n < 0 || (size_t)n >= size) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "temp dir: path too long");
  if (!mkdtemp(buf)) return tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot make a directory in %s: %s", dir, strerror(errno));
  return TPP_OK;
}

int64_t tpp_children_peak_kb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_CHILDREN, &ru) != 0) return -1;
  return (int64_t)ru.ru_maxrss;
}

/* ---- numbers ---- */

static double read_back(const char *s) {
  /* strtod with the locale's decimal point, as printf wrote it */
  return strtod(s, NULL);
}

#if defined(__SIZEOF_INT128__)
/* The shortest decimal of a non-integer 1e-4 <= v < 1e15, exactly, without
 * printf: v = m * 2^e (m < 2^53, e < 0); for L = 15, 16, 17 significant
 * digits take the correctly rounded L-digit decimal D * 10^-s of v (128-bit
 * integer arithmetic: m * 10^s < 2^123) and keep the first that lies within
 * half an ulp of v, the test strtod applies. The result is the string
 * printf("%.Lg") gives for the first L that reads back, which is what
 * tpp.util.num prints. Returns 0 when v is outside the range handled here. */
static size_t format_exact(double v, char *buf) {
  typedef unsigned __int128 u128;
  static const uint64_t P10[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
                                   10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
                                   100000000000ull, 1000000000000ull, 10000000000000ull,
                                   100000000000000ull, 1000000000000000ull, 10000000000000000ull,
                                   100000000000000000ull, 1000000000000000000ull,
                                   10000000000000000000ull};
  double a = v < 0 ? -v : v;
  int x, e, k, L;
  uint64_t m;
  size_t len = 0;
  if (!(a >= 1e-4 && a < 1e15)) return 0;
  m = (uint64_t)ldexp(frexp(a, &x), 53); /* a = m * 2^(x - 53), m in [2^52, 2^53) */
  e = x - 53;
  if (e >= 0 || e < -100 || m == (1ull << 52)) return 0; /* integers; the asymmetric power of two */
  /* k = floor(log10(a)) */
  k = 0;
  while (k < 15 && a >= (double)P10[k + 1]) k++;
  if (a < 1) {
    k = -1;
    while (k > -5 && a < 1.0 / (double)P10[-k]) k--;
  }
  for (L = 15; L <= 17; L++) {
    int s = L - 1 - k; /* digits after the point */
    u128 num, den, q, r, half, dd, err, lim;
    char digits[24];
    int nd, i, point, last;
    if (s < 0 || s > 38 - 19 || -e >= 127) return 0;
    num = (u128)m * (s <= 19 ? (u128)P10[s] : (u128)P10[19] * P10[s - 19]);
    if (s > 19) return 0; /* keep every product below 2^128 */
    den = (u128)1 << -e;
    q = num >> -e;
    r = num & (den - 1);
    half = den >> 1;
    if (r > half || (r == half && (q & 1))) q++;
    if (q >= (u128)P10[L]) return 0; /* rounded up to one more digit: let printf do it */
    /* |q * 2^-e - m * 10^s| * 2 <= 10^s (equality only when m is even: ties to even) */
    dd = q << -e;
    err = dd > num ? dd - num : num - dd;
    lim = (u128)P10[s];
    if (err * 2 < lim || (err * 2 == lim && !(m & 1))) {
      uint64_t qq = (uint64_t)q;
      nd = 0;
      do {
        digits[nd++] = (char)('0' + qq % 10);
        qq /= 10;
      } while (qq > 0);
      while (nd < L) digits[nd++] = '0'; /* leading zeros of a < 1 */
      /* digits[nd-1] is the most significant; the value is digits * 10^-s */
      if (v < 0) buf[len++] = '-';
      point = nd - s; /* digits before the point */
      last = 0;       /* drop trailing zeros of the fraction */
      while (last < s && digits[last] == '0') last++;
      if (point <= 0) {
        buf[len++] = '0';
        buf[len++] = '.';
        for (i = 0; i < -point; i++) buf[len++] = '0';
        for (i = nd - 1; i >= last; i--) buf[len++] = digits[i];
      } else {
        for (i = nd - 1; i >= nd - point; i--) buf[len++] = digits[i];
        if (last < s) {
          buf[len++] = '.';
          for (i = nd - point - 1; i >= last; i--) buf[len++] = digits[i];
        }
      }
      buf[len] = '\0';
      return len;
    }
  }
  return 0;
}
#endif

size_t tpp_format_double(double v, char *buf) {
  int n = 0, digits;
  if (isnan(v)) {
    memcpy(buf, "nan", 4);
    return 3;
  }
  if (isinf(v)) {
    n = snprintf(buf, 32, "%s", v > 0 ? "inf" : "-inf");
    return (size_t)n;
  }
  if (v == floor(v) && fabs(v) < 1e15) {
    /* an integer: digits only */
    char tmp[24];
    int k = 0, neg = v < 0;
    long long x = (long long)(neg ? -v : v);
    size_t len = 0;
    do {
      tmp[k++] = (char)('0' + x % 10);
      x /= 10;
    } while (x > 0);
    if (neg) buf[len++] = '-';
    while (k > 0) buf[len++] = tmp[--k];
    buf[len] = '\0';
    return len;
  }
#if defined(__SIZEOF_INT128__)
  {
    size_t len = format_exact(v, buf);
    if (len) return len;
  }
#endif
  /* 15 significant digits name every decimal of up to 15 digits exactly, so
   * when they read back this is the shortest form; else 16, else 17
   * (subnormals hold fewer digits: search from 1) */
  for (digits = fabs(v) < 2.2250738585072014e-308 ? 1 : 15; digits <= 17; digits++) {
    n = snprintf(buf, 32, "%.*g", digits, v);
    if (digits == 17 || read_back(buf) == v) break;
  }
  {
    /* a locale with a decimal comma: JSON and CSV want a point */
    const char *point = localeconv()->decimal_point;
    if (point && point[0] && point[0] != '.') {
      char *c = strchr(buf, point[0]);
      if (c) *c = '.';
    }
  }
  return (size_t)n;
}

/* ---- rendering ---- */

static void sb_need(sbuf *b, size_t more) {
  if (b->oom || b->len + more <= b->cap) return;
  {
    size_t nc = b->cap ? b->cap : 65536;
    char *np;
    while (nc < b->len + more) nc *= 2;
    np = (char *)realloc(b->p, nc);
    if (!np) {
      b->oom = 1;
      return;
    }
    b->p = np;
    b->cap = nc;
  }
}

static void sb_put(sbuf *b, const char *s, size_t n) {
  sb_need(b, n);
  if (b->oom) return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

static void sb_str(sbuf *b, const char *s) {
  if (s) sb_put(b, s, strlen(s));
}

static void sb_json_string(sbuf *b, const char *s, size_t n) {
  size_t i, start = 0;
  sb_put(b, "\"", 1);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[8];
    if (c == '"') esc = "\\\"";
    else if (c == '\\') esc = "\\\\";
    else if (c == '\b') esc = "\\b";
    else if (c == '\f') esc = "\\f";
    else if (c == '\n') esc = "\\n";
    else if (c == '\r') esc = "\\r";
    else if (c == '\t') esc = "\\t";
    else if (c < 0x20 || c == 0x7f) {
      snprintf(u, sizeof u, "\\u%04x", c);
      esc = u;
    }
    if (esc) {
      sb_put(b, s + start, i - start);
      sb_str(b, esc);
      start = i + 1;
    }
  }
  sb_put(b, s + start, n - start);
  sb_put(b, "\"", 1);
}

static void sb_csv_field(sbuf *b, const char *s, size_t n) {
  size_t i, start = 0;
  int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
  for (i = 0; i < n && !quote; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
  if (!quote) {
    sb_put(b, s, n);
    return;
  }
  sb_put(b, "\"", 1);
  for (i = 0; i < n; i++) {
    if (s[i] == '"') {
      sb_put(b, s + start, i + 1 - start);
      sb_put(b, "\"", 1);
      start = i + 1;
    }
  }
  sb_put(b, s + start, n - start);
  sb_put(b, "\"", 1);
}

static void render_row(sbuf *b, const tpp_out_part *parts, int32_t n_parts, const tpp_csv *reader,
                       int64_t i) {
  int32_t k;
  char num[40];
  for (k = 0; k < n_parts; k++) {
    const tpp_out_part *p = &parts[k];
    switch (p->kind) {
      case TPP_PART_CONST:
        sb_str(b, p->text);
        break;
      case TPP_PART_SELECT: {
        int idx = p->i8 ? p->i8[i] + p->offset : -1;
        if (idx >= 0 && idx < p->n_choices && p->choices) sb_str(b, p->choices[idx]);
        break;
      }
      case TPP_PART_FLAG:
        if (p->choices && p->n_choices >= 2) sb_str(b, p->choices[p->i8 && p->i8[i] > 0 ? 1 : 0]);
        break;
      case TPP_PART_NUMBER: {
        double v = p->f64 ? p->f64[i] : NAN;
        if (isnan(v) || isinf(v)) {
          sb_str(b, p->null_text);
        } else {
          size_t len = tpp_format_double(v, num);
          sb_put(b, num, len);
        }
        break;
      }
      case TPP_PART_ROW: {
        size_t len = tpp_format_double((double)tpp_csv_row_number(reader, i), num);
        sb_put(b, num, len);
        break;
      }
      case TPP_PART_TEXT: {
        size_t len = 0;
        const char *s = reader ? tpp_csv_text(reader, p->slot, i, &len) : NULL;
        char id[48];
        if (!s || len == 0) {
          /* no id: the per-chip path names the row the same way */
          int m = snprintf(id, sizeof id, "%s%lld", p->text ? p->text : "row",
                           (long long)tpp_csv_row_number(reader, i));
          s = id;
          len = m > 0 ? (size_t)m : 0;
        }
        if (p->quote == TPP_QUOTE_JSON) sb_json_string(b, s, len);
        else if (p->quote == TPP_QUOTE_CSV) sb_csv_field(b, s, len);
        else sb_put(b, s, len);
        break;
      }
      case TPP_PART_MASK: {
        uint64_t mask = p->f64 && p->f64[i] > 0 ? (uint64_t)p->f64[i] : 0;
        int32_t j, first = 1;
        for (j = 0; j < p->n_choices && mask; j++) {
          int32_t bit = p->order ? p->order[j] : j;
          if (bit >= 0 && bit < 64 && (mask >> bit & 1)) {
            if (!first) sb_str(b, p->text);
            sb_str(b, p->choices[j]);
            first = 0;
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

typedef struct render_job {
  const tpp_out_part *parts;
  int32_t n_parts;
  const tpp_csv *reader;
  int64_t n_rows, n_pieces;
  sbuf *bufs;
} render_job;

static int render_pieces(void *ctx, int64_t begin, int64_t end, int worker) {
  render_job *job = (render_job *)ctx;
  int64_t piece;
  (void)worker;
  for (piece = begin; piece < end; piece++) {
    int64_t r0 = job->n_rows * piece / job->n_pieces, r1 = job->n_rows * (piece + 1) / job->n_pieces, i;
    sbuf *b = &job->bufs[piece];
    for (i = r0; i < r1; i++) render_row(b, job->parts, job->n_parts, job->reader, i);
    if (b->oom) return TPP_E_NOMEM;
  }
  return TPP_OK;
}

int tpp_writer_rows(tpp_writer *o, const tpp_out_part *parts, int32_t n_parts, const tpp_csv *reader,
                    int64_t n_rows, int n_threads, tpp_error *err) {
  render_job job;
  int64_t k;
  int st;
  int32_t j;
  sbuf *set;
  tpp_error_clear(err);
  if (!o || !o->fp) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output: closed");
  if (n_rows <= 0) return TPP_OK;
  if (!parts || n_parts < 0) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output rows: no template");
  for (j = 0; j < n_parts; j++) {
    const tpp_out_part *p = &parts[j];
    if (p->kind < TPP_PART_CONST || p->kind > TPP_PART_FLAG)
      return tpp_fail(err, TPP_E_ARG, -1, -1, p->kind, "output rows: part %d: kind %d unknown", (int)j,
                      (int)p->kind);
    if ((p->kind == TPP_PART_SELECT || p->kind == TPP_PART_FLAG || p->kind == TPP_PART_MASK) &&
        p->n_choices > 0 && !p->choices)
      return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output rows: part %d: no choices", (int)j);
    if ((p->kind == TPP_PART_TEXT || p->kind == TPP_PART_ROW) && !reader)
      return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output rows: part %d needs the CSV reader", (int)j);
  }
  /* render into the free set while the other one may still be being written */
  set = o->sets[o->cur];
  for (k = 0; k < PIECES; k++) {
    set[k].len = 0;
    set[k].oom = 0;
  }
  job.parts = parts;
  job.n_parts = n_parts;
  job.reader = reader;
  job.n_rows = n_rows;
  job.n_pieces = n_rows < 4096 ? 1 : PIECES;
  job.bufs = set;
  st = tpp_parallel_for(job.n_pieces, 1, n_threads, render_pieces, &job);
  if (st != TPP_OK)
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory rendering %lld rows", (long long)n_rows);
  st = wait_idle(o, err);
  if (st != TPP_OK) return st;
  for (k = 0; k < PIECES; k++) o->bytes += (int64_t)set[k].len;
  if (!o->started) {
    if (pthread_create(&o->thread, NULL, write_loop, o) != 0) {
      /* no thread: write here */
      for (k = 0; k < PIECES; k++)
        if (set[k].len > 0 && fwrite(set[k].p, 1, set[k].len, o->fp) != set[k].len)
          return tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: %s",
                          o->path ? o->path : "standard output", strerror(errno));
      return TPP_OK;
    }
    o->started = 1;
  }
  pthread_mutex_lock(&o->mu);
  o->pending_set = o->cur;
  o->pending = 1;
  pthread_cond_broadcast(&o->cv);
  pthread_mutex_unlock(&o->mu);
  o->cur ^= 1;
  return TPP_OK;
}
