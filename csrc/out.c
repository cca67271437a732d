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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tpp_writer {
  FILE *fp;
  int is_stdout;
  char *path;      /* destination */
  char *tmp;       /* temporary file beside it, or NULL for stdout */
  int committed;
  int64_t bytes;
};

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
  tpp_error_clear(err);
  if (!o || !o->fp) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output: closed");
  if (len > 0 && fwrite(bytes, 1, len, o->fp) != len)
    return tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot write %s: %s", o->path ? o->path : "standard output",
                    strerror(errno));
  o->bytes += (int64_t)len;
  return TPP_OK;
}

int tpp_writer_commit(tpp_writer *o, tpp_error *err) {
  tpp_error_clear(err);
  if (!o || !o->fp) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "output: closed");
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
  if (!o) return;
  if (o->fp && !o->is_stdout) fclose(o->fp);
  if (o->is_stdout && o->fp) fflush(o->fp);
  if (o->tmp && !o->committed) remove(o->tmp);
  free(o->tmp);
  free(o->path);
  free(o);
}

int64_t tpp_writer_bytes(const tpp_writer *o) { return o ? o->bytes : 0; }

/* ---- numbers ---- */

static double read_back(const char *s) {
  /* strtod with the locale's decimal point, as printf wrote it */
  return strtod(s, NULL);
}

size_t tpp_format_double(double v, char *buf) {
  int n, digits;
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
  /* 15 significant digits name every decimal of up to 15 digits exactly, so
   * when they read back this is the shortest form; else 16, else 17 */
  for (digits = 15; digits <= 17; digits++) {
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

typedef struct sbuf {
  char *p;
  size_t len, cap;
  int oom;
} sbuf;

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
  int64_t k, n_pieces;
  int st;
  int32_t j;
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
  n_pieces = n_rows < 4096 ? 1 : 16;
  job.parts = parts;
  job.n_parts = n_parts;
  job.reader = reader;
  job.n_rows = n_rows;
  job.n_pieces = n_pieces;
  job.bufs = (sbuf *)calloc((size_t)n_pieces, sizeof *job.bufs);
  if (!job.bufs) return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory rendering rows");
  st = tpp_parallel_for(n_pieces, 1, n_threads, render_pieces, &job);
  if (st != TPP_OK) st = tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory rendering %lld rows",
                                  (long long)n_rows);
  for (k = 0; k < n_pieces; k++) {
    if (st == TPP_OK) st = tpp_writer_write(o, job.bufs[k].p, job.bufs[k].len, err);
    free(job.bufs[k].p);
  }
  free(job.bufs);
  return st;
}
