/*
 * csv.c - the strict CSV reader (see include/tpp.h, region "csv").
 *
 * Bytes come from a file (read in blocks) or from a copy of a buffer into
 * buf[start, end). A row is found first (row_end: quotes tracked, nothing
 * changed), then split into fields, which are unquoted in place, so a row is
 * always complete in the buffer before it is touched. Rows are parsed into
 * the caller's structure-of-arrays columns through the plan; text that the
 * caller keeps goes to a per-chunk arena.
 *
 * Shapes: buf[cap] bytes; row_no, row_line [chunk_cap]; text_off, text_len
 * [TPP_CSV_MAX_TEXT][chunk_cap]; fields (start, len, line) [n_fields + 1].
 */
#include "internal.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 1 << 20 };

typedef struct field {
  size_t start;   /* offset into buf of the unquoted content */
  size_t len;
  int64_t line;   /* line the field starts on */
  int quoted;
} field;

struct tpp_csv {
  FILE *fp;            /* NULL when reading a copied buffer */
  int own_fp;          /* 1: fclose at the end (not stdin) */
  uint8_t *buf;
  size_t cap, start, end;
  int eof;             /* the source has no more bytes */
  int io_errno;        /* errno of a failed read, else 0 */
  int failed;          /* a fatal fault was reported: reading is over */
  int checked_bom;
  int64_t line;        /* line of buf[start] */
  int64_t rows_seen;   /* data rows so far, good and bad */
  /* header */
  int32_t n_fields;
  char **names;
  int64_t header_line;
  /* the fields of the current row */
  field *fields;
  int32_t fields_cap;
  /* per chunk */
  int64_t chunk_cap;
  int64_t *row_no, *row_line;
  char *arena;
  size_t arena_len, arena_cap;
  size_t *text_off[TPP_CSV_MAX_TEXT];
  uint32_t *text_len[TPP_CSV_MAX_TEXT];
};

/* ---- sources ---- */

static tpp_csv *reader_new(tpp_error *err) {
  tpp_csv *r = (tpp_csv *)calloc(1, sizeof *r);
  if (!r) {
    tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory opening a CSV reader");
    return NULL;
  }
  r->line = 1;
  return r;
}

tpp_csv *tpp_csv_open(const char *path, tpp_error *err) {
  tpp_csv *r;
  tpp_error_clear(err);
  if (!path) {
    tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV reader: no path");
    return NULL;
  }
  r = reader_new(err);
  if (!r) return NULL;
  if (strcmp(path, "-") == 0) {
    r->fp = stdin;
  } else {
    r->fp = fopen(path, "rb");
    if (!r->fp) {
      tpp_fail(err, TPP_E_IO, -1, -1, 0, "cannot open %s: %s", path, strerror(errno));
      free(r);
      return NULL;
    }
    r->own_fp = 1;
  }
  r->cap = BLOCK;
  r->buf = (uint8_t *)malloc(r->cap);
  if (!r->buf) {
    tpp_csv_close(r);
    tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory for the CSV buffer");
    return NULL;
  }
  return r;
}

tpp_csv *tpp_csv_open_bytes(const uint8_t *bytes, size_t size, tpp_error *err) {
  tpp_csv *r;
  tpp_error_clear(err);
  if (!bytes && size > 0) {
    tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV reader: NULL bytes");
    return NULL;
  }
  r = reader_new(err);
  if (!r) return NULL;
  r->cap = size > 0 ? size : 1;
  r->buf = (uint8_t *)malloc(r->cap);
  if (!r->buf) {
    free(r);
    tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory copying %zu bytes of CSV", size);
    return NULL;
  }
  if (size > 0) memcpy(r->buf, bytes, size);
  r->end = size;
  r->eof = 1;
  return r;
}

tpp_csv *tpp_csv_open_stdin(const uint8_t *prefix, size_t size, tpp_error *err) {
  tpp_csv *r;
  tpp_error_clear(err);
  if (!prefix && size > 0) {
    tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV reader: NULL prefix");
    return NULL;
  }
  r = reader_new(err);
  if (!r) return NULL;
  r->fp = stdin;
  r->cap = size > BLOCK ? size : BLOCK;
  r->buf = (uint8_t *)malloc(r->cap);
  if (!r->buf) {
    free(r);
    tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory for the CSV buffer");
    return NULL;
  }
  if (size > 0) memcpy(r->buf, prefix, size);
  r->end = size;
  return r;
}

void tpp_csv_close(tpp_csv *r) {
  int i;
  if (!r) return;
  if (r->fp && r->own_fp) fclose(r->fp);
  free(r->buf);
  if (r->names) {
    for (i = 0; i < r->n_fields; i++) free(r->names[i]);
    free(r->names);
  }
  free(r->fields);
  free(r->row_no);
  free(r->row_line);
  free(r->arena);
  for (i = 0; i < TPP_CSV_MAX_TEXT; i++) {
    free(r->text_off[i]);
    free(r->text_len[i]);
  }
  free(r);
}

/* Move the unread bytes to the front and read more. Returns 1 when bytes were
 * added, 0 at the end, -1 on a read error, -2 when a row outgrows the limit. */
static int refill(tpp_csv *r) {
  size_t got;
  if (r->eof) return 0;
  if (r->start > 0) {
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->start = 0;
  }
  if (r->end == r->cap) {
    size_t want = r->cap * 2;
    uint8_t *nb;
    if (r->cap > (size_t)TPP_CSV_MAX_ROW) return -2;
    if (want > (size_t)TPP_CSV_MAX_ROW + BLOCK) want = (size_t)TPP_CSV_MAX_ROW + BLOCK;
    nb = (uint8_t *)realloc(r->buf, want);
    if (!nb) return -3;
    r->buf = nb;
    r->cap = want;
  }
  got = fread(r->buf + r->end, 1, r->cap - r->end, r->fp);
  r->end += got;
  if (got == 0) {
    if (ferror(r->fp)) {
      r->io_errno = errno ? errno : EIO;
      return -1;
    }
    r->eof = 1;
    return 0;
  }
  return 1;
}

/* ---- issues ---- */

static void set_issue(tpp_csv_issue *is, int code, int64_t row, int64_t line, int32_t fld,
                      const uint8_t *text, size_t len) {
  size_t n = len < sizeof is->text - 1 ? len : sizeof is->text - 1;
  memset(is, 0, sizeof *is);
  is->code = code;
  is->row = row;
  is->line = line;
  is->field = fld;
  is->value = NAN;
  if (text && n > 0) memcpy(is->text, text, n);
  is->text[n] = '\0';
}

/* ---- finding rows ---- */

/* Outcome of next_row. */
enum { ROW_OK = 1, ROW_END = 0, ROW_FATAL = -1 };

typedef struct row_span {
  size_t begin, end;   /* the row's bytes in buf, line break excluded */
  int64_t line;        /* line the row starts on */
  int64_t lines;       /* line breaks inside quoted fields */
} row_span;

/* Find the next complete row at buf[start]; blank and comment lines are
 * consumed on the way. On a fatal fault *issue is filled (row = next row). */
static int next_row(tpp_csv *r, row_span *span, tpp_csv_issue *issue) {
  for (;;) {
    size_t i, n;
    int in_quotes = 0, found = 0, comment, at_start = 1;
    int64_t inner = 0, quote_line = 0;
    size_t brk = 0, after = 0;
    if (!r->checked_bom) {
      /* the byte-order mark needs up to 3 bytes */
      while (r->end - r->start < 3 && !r->eof) {
        int st = refill(r);
        if (st < 0) break;
      }
      if (r->end - r->start >= 2 &&
          ((r->buf[r->start] == 0xFF && r->buf[r->start + 1] == 0xFE) ||
           (r->buf[r->start] == 0xFE && r->buf[r->start + 1] == 0xFF))) {
        set_issue(issue, TPP_CSV_E_UTF16, 0, 1, -1, NULL, 0);
        r->failed = 1;
        return ROW_FATAL;
      }
      if (r->end - r->start >= 3 && r->buf[r->start] == 0xEF && r->buf[r->start + 1] == 0xBB &&
          r->buf[r->start + 2] == 0xBF)
        r->start += 3;
      r->checked_bom = 1;
    }
    n = r->end;
    comment = r->start < n && r->buf[r->start] == '#';
    if (!comment && r->start < n) {
      /* the common row: no quote and no lone CR before its LF (memchr is vectorized) */
      const uint8_t *b = r->buf + r->start;
      size_t avail = n - r->start;
      const uint8_t *nl = (const uint8_t *)memchr(b, '\n', avail);
      if (nl) {
        size_t len = (size_t)(nl - b);
        const uint8_t *cr = (const uint8_t *)memchr(b, '\r', len);
        if (!memchr(b, '"', len) && (!cr || cr == nl - 1)) {
          brk = r->start + (cr ? len - 1 : len);
          after = r->start + len + 1;
          found = 1;
        }
      }
    }
    /* A quote opens a quoted field only at the start of a field (spaces
     * allowed before it); inside one, "" is a quote and " ends it. A quote
     * anywhere else is left for split_row to refuse. */
    for (i = r->start; i < n && !found; i++) {
      uint8_t c = r->buf[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 >= n && !r->eof) break; /* "" or " ? need the next byte */
          if (i + 1 < n && r->buf[i + 1] == '"') {
            i++;
            continue;
          }
          in_quotes = 0;
          at_start = 0;
        } else if (c == '\n') {
          inner++;
        }
        continue;
      }
      if (c == '"' && at_start && !comment) {
        in_quotes = 1;
        quote_line = r->line + inner;
        continue;
      }
      if (c == ',') {
        at_start = 1;
        continue;
      }
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') at_start = 0;
      if (c == '\n') {
        if (!in_quotes) {
          brk = i;
          after = i + 1;
          found = 1;
          break;
        }
        inner++;
      } else if (c == '\r' && !in_quotes) {
        if (i + 1 < n) {
          brk = i;
          after = r->buf[i + 1] == '\n' ? i + 2 : i + 1;
          found = 1;
          break;
        }
        if (r->eof) {
          brk = i;
          after = i + 1;
          found = 1;
          break;
        }
        break; /* a CR at the end of the buffer: is an LF next? */
      }
    }
    if (!found) {
      int st;
      if (r->eof) {
        if (in_quotes) {
          set_issue(issue, TPP_CSV_E_UNCLOSED, r->rows_seen + 1, quote_line, -1, NULL, 0);
          r->failed = 1;
          return ROW_FATAL;
        }
        if (r->start >= r->end) return ROW_END;
        brk = after = r->end; /* the last row has no line break */
      } else {
        if (r->end - r->start > (size_t)TPP_CSV_MAX_ROW) {
          set_issue(issue, TPP_CSV_E_TOO_LONG, r->rows_seen + 1, r->line, -1, NULL, 0);
          r->failed = 1;
          return ROW_FATAL;
        }
        st = refill(r);
        if (st == -1) {
          set_issue(issue, 0, r->rows_seen + 1, r->line, -1, NULL, 0);
          r->failed = 1;
          return ROW_FATAL - 1; /* I/O */
        }
        if (st == -2) {
          set_issue(issue, TPP_CSV_E_TOO_LONG, r->rows_seen + 1, r->line, -1, NULL, 0);
          r->failed = 1;
          return ROW_FATAL;
        }
        if (st == -3) {
          set_issue(issue, 0, r->rows_seen + 1, r->line, -1, NULL, 0);
          r->failed = 1;
          return ROW_FATAL - 2; /* memory */
        }
        continue; /* scan again with more bytes (or at the end) */
      }
    }
    if (brk - r->start > (size_t)TPP_CSV_MAX_ROW) {
      set_issue(issue, TPP_CSV_E_TOO_LONG, r->rows_seen + 1, r->line, -1, NULL, 0);
      r->failed = 1;
      return ROW_FATAL;
    }
    {
      /* blank (spaces and tabs only) and comment lines are skipped */
      size_t k = r->start;
      int blank = 1;
      for (; k < brk; k++)
        if (r->buf[k] != ' ' && r->buf[k] != '\t') {
          blank = 0;
          break;
        }
      if (blank || comment) {
        r->line += 1 + inner;
        r->start = after;
        continue;
      }
    }
    span->begin = r->start;
    span->end = brk;
    span->line = r->line;
    span->lines = inner;
    r->line += 1 + inner;
    r->start = after;
    return ROW_OK;
  }
}

static int is_space(uint8_t c) { return c == ' ' || c == '\t'; }

/* Split a row into fields, unquoting in place. Returns 0, or an issue code
 * (E_QUOTE) with *bad_field set. */
static int split_row(tpp_csv *r, const row_span *span, int32_t *n_out, int32_t *bad_field,
                     int64_t *bad_line) {
  size_t i = span->begin, e = span->end;
  int64_t line = span->line;
  int32_t nf = 0;
  for (;;) {
    field f;
    size_t s = i;
    if (nf >= r->fields_cap) {
      int32_t nc = r->fields_cap ? r->fields_cap * 2 : 64;
      field *nfp = (field *)realloc(r->fields, (size_t)nc * sizeof *nfp);
      if (!nfp) return -1;
      r->fields = nfp;
      r->fields_cap = nc;
    }
    while (s < e && is_space(r->buf[s])) s++;
    f.line = line;
    if (s < e && r->buf[s] == '"') {
      /* quoted: content runs to the closing quote; "" is one quote */
      size_t w = s + 1, k = s + 1;
      int closed = 0;
      f.start = w;
      f.quoted = 1;
      while (k < e) {
        uint8_t c = r->buf[k];
        if (c == '"') {
          if (k + 1 < e && r->buf[k + 1] == '"') {
            r->buf[w++] = '"';
            k += 2;
            continue;
          }
          closed = 1;
          k++;
          break;
        }
        if (c == '\n') line++;
        r->buf[w++] = c;
        k++;
      }
      f.len = w - f.start;
      if (!closed) { /* cannot happen: next_row saw the quotes balance */
        *bad_field = nf;
        *bad_line = f.line;
        return TPP_CSV_E_UNCLOSED;
      }
      while (k < e && is_space(r->buf[k])) k++;
      if (k < e && r->buf[k] != ',') {
        *bad_field = nf;
        *bad_line = f.line;
        r->fields[nf] = f;
        *n_out = nf + 1;
        return TPP_CSV_E_QUOTE;
      }
      i = k;
    } else {
      size_t k = i;
      while (k < e && r->buf[k] != ',') {
        if (r->buf[k] == '"') {
          f.start = i;
          f.len = e - i;
          f.quoted = 0;
          r->fields[nf] = f;
          *bad_field = nf;
          *bad_line = f.line;
          *n_out = nf + 1;
          return TPP_CSV_E_QUOTE;
        }
        k++;
      }
      /* unquoted fields lose surrounding spaces and tabs */
      {
        size_t a = i, b = k;
        while (a < b && is_space(r->buf[a])) a++;
        while (b > a && is_space(r->buf[b - 1])) b--;
        f.start = a;
        f.len = b - a;
      }
      f.quoted = 0;
      i = k;
    }
    r->fields[nf++] = f;
    if (i >= e) break;
    i++; /* the comma */
  }
  *n_out = nf;
  return 0;
}

/* ---- values ---- */

static int utf8_valid(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      if (c == 0) return 0;
      i++;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 >= n || (p[i + 1] & 0xC0) != 0x80) return 0;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      uint8_t c1;
      if (i + 2 >= n) return 0;
      c1 = p[i + 1];
      if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80) return 0;
      if (c == 0xE0 && c1 < 0xA0) return 0; /* overlong */
      if (c == 0xED && c1 >= 0xA0) return 0; /* surrogates */
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      uint8_t c1;
      if (i + 3 >= n) return 0;
      c1 = p[i + 1];
      if ((c1 & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80 || (p[i + 3] & 0xC0) != 0x80) return 0;
      if (c == 0xF0 && c1 < 0x90) return 0;
      if (c == 0xF4 && c1 >= 0x90) return 0;
      i += 4;
    } else {
      return 0;
    }
  }
  return 1;
}

/* 1 when the bytes are ASCII without NUL (then every field is valid UTF-8). */
static int plain_ascii(const uint8_t *p, size_t n) {
  size_t i = 0;
  uint64_t acc = 0, zero = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    acc |= w;
    zero |= (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull; /* a zero byte */
  }
  for (; i < n; i++) {
    acc |= p[i];
    if (p[i] == 0) zero = 1;
  }
  return !(acc & 0x8080808080808080ull) && !zero;
}

static const double POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int tpp_parse_number(const char *str, size_t len, int32_t thousands, double *value) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, int_digits = 0, frac_digits = 0, group = 0;
  int neg = 0, sig = 0, seen_comma = 0;
  uint64_t mant = 0;
  long exp10 = 0, e = 0;
  int dropped = 0;
  char tmp[512];
  size_t t = 0;
  if (!s || len == 0) return TPP_E_FORMAT;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  /* integer part */
  for (; i < len; i++) {
    unsigned char c = s[i];
    if (c >= '0' && c <= '9') {
      int_digits++;
      group++;
      if (mant == 0 && c == '0') continue;
      if (sig < 19) {
        mant = mant * 10 + (uint64_t)(c - '0');
        sig++;
      } else {
        exp10++;
        if (c != '0') dropped = 1;
      }
    } else if (c == ',' && thousands) {
      /* groups of three after the first group of one to three */
      if (int_digits == 0 || (seen_comma ? group != 3 : group > 3)) return TPP_E_FORMAT;
      seen_comma = 1;
      group = 0;
    } else {
      break;
    }
  }
  if (seen_comma && group != 3) return TPP_E_FORMAT;
  if (i < len && s[i] == '.') {
    i++;
    for (; i < len; i++) {
      unsigned char c = s[i];
      if (c < '0' || c > '9') break;
      frac_digits++;
      if (mant == 0 && c == '0') {
        exp10--;
        continue;
      }
      if (sig < 19) {
        mant = mant * 10 + (uint64_t)(c - '0');
        sig++;
        exp10--;
      } else if (c != '0') {
        dropped = 1;
      }
    }
  }
  if (int_digits + frac_digits == 0) return TPP_E_FORMAT;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    int eneg = 0;
    size_t ed = 0;
    i++;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
      eneg = s[i] == '-';
      i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
      ed++;
      if (e < 100000) e = e * 10 + (s[i] - '0');
    }
    if (ed == 0) return TPP_E_FORMAT;
    if (eneg) e = -e;
  }
  if (i != len) return TPP_E_FORMAT;
  if (mant == 0) {
    *value = 0.0; /* -0 is 0 */
    return TPP_OK;
  }
  exp10 += e;
  /* Clinger's fast path: exact when the mantissa and the power are exact doubles */
  if (!dropped && sig <= 15 && exp10 >= -22 && exp10 <= 22) {
    double v = (double)mant;
    v = exp10 >= 0 ? v * POW10[exp10] : v / POW10[-exp10];
    *value = neg ? -v : v;
    return TPP_OK;
  }
  /* otherwise strtod on a clean copy (no thousands commas, the locale's point) */
  if (len >= sizeof tmp) return TPP_E_FORMAT;
  {
    const char *point = localeconv()->decimal_point;
    char dp = point && point[0] ? point[0] : '.';
    char *endp;
    double v;
    for (i = 0; i < len; i++) {
      if (s[i] == ',') continue;
      tmp[t++] = s[i] == '.' ? dp : (char)s[i];
    }
    tmp[t] = '\0';
    errno = 0;
    v = strtod(tmp, &endp);
    if (endp != tmp + t) return TPP_E_FORMAT;
    if (isinf(v)) return TPP_E_ARG;
    if (v == 0.0) v = 0.0; /* underflow to zero, or -0 */
    *value = v;
  }
  return TPP_OK;
}

static int lower_eq(const uint8_t *p, size_t n, const char *word) {
  size_t i;
  for (i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c >= 'A' && c <= 'Z') c = (uint8_t)(c + 32);
    if (word[i] == '\0' || c != (uint8_t)word[i]) return 0;
  }
  return word[n] == '\0';
}

static int parse_flag(const uint8_t *p, size_t n, double *v) {
  if (lower_eq(p, n, "true") || lower_eq(p, n, "yes") || lower_eq(p, n, "1")) {
    *v = 1;
    return 1;
  }
  if (lower_eq(p, n, "false") || lower_eq(p, n, "no") || lower_eq(p, n, "0")) {
    *v = 0;
    return 1;
  }
  return 0;
}

static int digits(const uint8_t *p, size_t n, int *out) {
  size_t i;
  int v = 0;
  for (i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return 0;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return 1;
}

static int parse_date(const uint8_t *p, size_t n, double *v) {
  static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d, days;
  if (n != 10 || p[4] != '-' || p[7] != '-') return 0;
  if (!digits(p, 4, &y) || !digits(p + 5, 2, &m) || !digits(p + 8, 2, &d)) return 0;
  if (y < 1 || m < 1 || m > 12 || d < 1) return 0;
  days = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
  if (d > days) return 0;
  *v = (double)y * 10000 + m * 100 + d;
  return 1;
}

/* Index of the choice equal to p (any case), or -1. */
static int choice_index(const char *choices, const uint8_t *p, size_t n) {
  int idx = 0;
  const char *c = choices;
  while (c && *c) {
    const char *bar = strchr(c, '|');
    size_t cl = bar ? (size_t)(bar - c) : strlen(c);
    if (cl == n) {
      size_t i;
      for (i = 0; i < n; i++) {
        uint8_t a = p[i], b = (uint8_t)c[i];
        if (a >= 'A' && a <= 'Z') a = (uint8_t)(a + 32);
        if (b >= 'A' && b <= 'Z') b = (uint8_t)(b + 32);
        if (a != b) break;
      }
      if (i == n) return idx;
    }
    idx++;
    c = bar ? bar + 1 : NULL;
  }
  return -1;
}

/* 1 when p contains one of the choices (any case). */
static int contains_choice(const char *choices, const uint8_t *p, size_t n) {
  const char *c = choices;
  while (c && *c) {
    const char *bar = strchr(c, '|');
    size_t cl = bar ? (size_t)(bar - c) : strlen(c);
    if (cl > 0 && cl <= n) {
      size_t at;
      for (at = 0; at + cl <= n; at++) {
        size_t i;
        for (i = 0; i < cl; i++) {
          uint8_t a = p[at + i], b = (uint8_t)c[i];
          if (a >= 'A' && a <= 'Z') a = (uint8_t)(a + 32);
          if (b >= 'A' && b <= 'Z') b = (uint8_t)(b + 32);
          if (a != b) break;
        }
        if (i == cl) return 1;
      }
    }
    c = bar ? bar + 1 : NULL;
  }
  return 0;
}

/* ---- the header ---- */

static int fatal_status(int st) {
  return st == ROW_FATAL - 1 ? TPP_E_IO : st == ROW_FATAL - 2 ? TPP_E_NOMEM : TPP_E_FORMAT;
}

int tpp_csv_header(tpp_csv *r, int32_t *n_fields, tpp_csv_issue *issue, tpp_error *err) {
  row_span span;
  tpp_csv_issue local;
  int st, code;
  int32_t nf = 0, bad = -1, i;
  int64_t bad_line = 0;
  tpp_error_clear(err);
  if (!issue) issue = &local;
  memset(issue, 0, sizeof *issue);
  if (!r || !n_fields) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV header: NULL argument");
  if (r->names) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV header: already read");
  st = next_row(r, &span, issue);
  if (st == ROW_END) {
    set_issue(issue, TPP_CSV_E_EMPTY, 0, r->line, -1, NULL, 0);
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, 0, "no header line: the input is empty");
  }
  if (st != ROW_OK) {
    issue->row = 0;
    return tpp_fail(err, fatal_status(st), -1, -1, 0, "the header line could not be read");
  }
  code = split_row(r, &span, &nf, &bad, &bad_line);
  if (code < 0) return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory splitting the header");
  if (code) {
    field *f = &r->fields[bad];
    set_issue(issue, code, 0, bad_line, bad, r->buf + f->start, f->len);
    r->failed = 1;
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, 0, "bad quoting in the header");
  }
  if (nf < 1 || nf > TPP_CSV_MAX_FIELDS) {
    set_issue(issue, TPP_CSV_E_FIELDS, 0, span.line, -1, NULL, 0);
    issue->n_fields = nf;
    r->failed = 1;
    return tpp_fail(err, TPP_E_FORMAT, -1, -1, 0, "%d header fields; at most %d", (int)nf,
                    (int)TPP_CSV_MAX_FIELDS);
  }
  for (i = 0; i < nf; i++) {
    field *f = &r->fields[i];
    if (!utf8_valid(r->buf + f->start, f->len)) {
      set_issue(issue, TPP_CSV_E_UTF8, 0, f->line, i, r->buf + f->start, f->len);
      r->failed = 1;
      return tpp_fail(err, TPP_E_FORMAT, -1, -1, 0, "the header is not UTF-8");
    }
  }
  r->names = (char **)calloc((size_t)nf, sizeof *r->names);
  if (!r->names) return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory for the header");
  r->n_fields = nf;
  for (i = 0; i < nf; i++) {
    field *f = &r->fields[i];
    r->names[i] = (char *)malloc(f->len + 1);
    if (!r->names[i]) return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory for the header");
    memcpy(r->names[i], r->buf + f->start, f->len);
    r->names[i][f->len] = '\0';
  }
  r->header_line = span.line;
  *n_fields = nf;
  return TPP_OK;
}

const char *tpp_csv_field_name(const tpp_csv *r, int32_t fld) {
  if (!r || !r->names || fld < 0 || fld >= r->n_fields) return NULL;
  return r->names[fld];
}

int64_t tpp_csv_header_line(const tpp_csv *r) { return r ? r->header_line : 0; }

/* ---- rows ---- */

static int ensure_chunk(tpp_csv *r, const tpp_csv_column *plan, int64_t max_rows) {
  int32_t i;
  if (max_rows > r->chunk_cap) {
    int64_t *a = (int64_t *)realloc(r->row_no, (size_t)max_rows * sizeof *a);
    if (!a) return 0;
    r->row_no = a;
    a = (int64_t *)realloc(r->row_line, (size_t)max_rows * sizeof *a);
    if (!a) return 0;
    r->row_line = a;
    for (i = 0; i < TPP_CSV_MAX_TEXT; i++) {
      if (r->text_off[i]) { /* grow the slots in use */
        size_t *o = (size_t *)realloc(r->text_off[i], (size_t)max_rows * sizeof *o);
        uint32_t *l;
        if (!o) return 0;
        r->text_off[i] = o;
        l = (uint32_t *)realloc(r->text_len[i], (size_t)max_rows * sizeof *l);
        if (!l) return 0;
        r->text_len[i] = l;
      }
    }
    r->chunk_cap = max_rows;
  }
  for (i = 0; i < r->n_fields; i++) {
    int32_t slot = plan[i].text_slot;
    if ((plan[i].kind == TPP_CSV_TEXT || plan[i].kind == TPP_CSV_ENUM) && slot >= 0 &&
        !r->text_off[slot]) {
      r->text_off[slot] = (size_t *)malloc((size_t)r->chunk_cap * sizeof(size_t));
      r->text_len[slot] = (uint32_t *)malloc((size_t)r->chunk_cap * sizeof(uint32_t));
      if (!r->text_off[slot] || !r->text_len[slot]) return 0;
    }
  }
  return 1;
}

static int keep_text(tpp_csv *r, int32_t slot, int64_t row, const uint8_t *p, size_t n) {
  if (r->arena_len + n + 1 > r->arena_cap) {
    size_t nc = r->arena_cap ? r->arena_cap : 65536;
    char *na;
    while (nc < r->arena_len + n + 1) nc *= 2;
    na = (char *)realloc(r->arena, nc);
    if (!na) return 0;
    r->arena = na;
    r->arena_cap = nc;
  }
  memcpy(r->arena + r->arena_len, p, n);
  r->arena[r->arena_len + n] = '\0';
  r->text_off[slot][row] = r->arena_len;
  r->text_len[slot][row] = (uint32_t)n;
  r->arena_len += n + 1;
  return 1;
}

static int check_plan(const tpp_csv *r, const tpp_csv_column *plan, tpp_error *err) {
  int32_t i;
  for (i = 0; i < r->n_fields; i++) {
    const tpp_csv_column *c = &plan[i];
    if (c->kind < TPP_CSV_SKIP || c->kind > TPP_CSV_ENUM)
      return tpp_fail(err, TPP_E_ARG, -1, -1, c->kind, "CSV plan: field %d: kind %d unknown",
                      (int)i, (int)c->kind);
    if ((c->kind == TPP_CSV_TEXT || c->kind == TPP_CSV_ENUM) &&
        (c->text_slot < -1 || c->text_slot >= TPP_CSV_MAX_TEXT))
      return tpp_fail(err, TPP_E_ARG, -1, -1, c->text_slot,
                      "CSV plan: field %d: text slot %d, expected -1..%d", (int)i,
                      (int)c->text_slot, (int)TPP_CSV_MAX_TEXT - 1);
    if (c->kind == TPP_CSV_ENUM && (!c->choices || !c->choices[0]))
      return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV plan: field %d: an enum needs choices",
                      (int)i);
  }
  return TPP_OK;
}

int tpp_csv_read(tpp_csv *r, const tpp_csv_column *plan, int64_t max_rows, int64_t *n_rows,
                 tpp_csv_issue *issues, int32_t max_issues, int32_t *n_issues, tpp_error *err) {
  int64_t n = 0;
  int32_t ni = 0;
  int st;
  tpp_error_clear(err);
  if (!r || !plan || !n_rows || !n_issues || (max_issues > 0 && !issues))
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV read: NULL argument");
  *n_rows = 0;
  *n_issues = 0;
  if (!r->names) return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV read: read the header first");
  if (max_rows < 0 || max_issues < 1)
    return tpp_fail(err, TPP_E_ARG, -1, -1, 0, "CSV read: max_rows >= 0 and max_issues >= 1 expected");
  st = check_plan(r, plan, err);
  if (st != TPP_OK) return st;
  if (r->failed) return tpp_fail(err, TPP_E_FORMAT, -1, -1, 0, "CSV read: the input had a fatal fault");
  if (max_rows > 0 && !ensure_chunk(r, plan, max_rows))
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory for a chunk of %lld rows",
                    (long long)max_rows);
  r->arena_len = 0;
  while (n < max_rows && ni < max_issues) {
    row_span span;
    int32_t nf = 0, bad = -1, i;
    int64_t bad_line = 0, row;
    int code, row_bad = 0, ascii;
    size_t arena_mark = r->arena_len;
    st = next_row(r, &span, &issues[ni]);
    if (st == ROW_END) break;
    if (st != ROW_OK) {
      ni++;
      *n_rows = n;
      *n_issues = ni;
      return tpp_fail(err, fatal_status(st), -1, -1, 0, "the CSV input ended with a fault");
    }
    row = ++r->rows_seen;
    code = split_row(r, &span, &nf, &bad, &bad_line);
    if (code < 0) return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory splitting a row");
    if (code) {
      field *f = &r->fields[bad];
      set_issue(&issues[ni++], code, row, bad_line, bad, r->buf + f->start, f->len);
      continue;
    }
    if (nf != r->n_fields) {
      set_issue(&issues[ni], TPP_CSV_E_FIELDS, row, span.line, -1, NULL, 0);
      issues[ni++].n_fields = nf;
      continue;
    }
    ascii = plain_ascii(r->buf + span.begin, span.end - span.begin);
    for (i = 0; i < nf && ni < max_issues; i++) {
      const tpp_csv_column *c = &plan[i];
      field *f = &r->fields[i];
      const uint8_t *p = r->buf + f->start;
      size_t len = f->len;
      double v = NAN;
      int fault = 0;
      if (!ascii && !utf8_valid(p, len)) {
        fault = TPP_CSV_E_UTF8;
      } else if (c->kind == TPP_CSV_SKIP) {
        continue;
      } else if (len == 0) {
        if (c->required) fault = TPP_CSV_E_REQUIRED;
        else if (c->kind == TPP_CSV_TEXT && c->text_slot >= 0 && !keep_text(r, c->text_slot, n, p, 0))
          return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory for CSV text");
        else if (c->kind == TPP_CSV_ENUM && c->text_slot >= 0 && !keep_text(r, c->text_slot, n, p, 0))
          return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory for CSV text");
      } else {
        switch (c->kind) {
          case TPP_CSV_NUMBER: {
            int ps;
            if (f->quoted) { /* a quoted number may carry spaces inside the quotes */
              while (len > 0 && is_space(p[0])) p++, len--;
              while (len > 0 && is_space(p[len - 1])) len--;
            }
            ps = tpp_parse_number((const char *)p, len, c->thousands, &v);
            if (ps == TPP_E_ARG) {
              fault = TPP_CSV_E_RANGE;
              v = HUGE_VAL;
            } else if (ps != TPP_OK) {
              fault = TPP_CSV_E_NUMBER;
            } else if (c->integer && v != floor(v)) {
              fault = TPP_CSV_E_INTEGER;
            } else if ((c->min == c->min && (c->min_exclusive ? v <= c->min : v < c->min)) ||
                       (c->max == c->max && v > c->max)) {
              fault = TPP_CSV_E_RANGE;
            }
            break;
          }
          case TPP_CSV_FLAG:
            if (!parse_flag(p, len, &v)) fault = TPP_CSV_E_FLAG;
            break;
          case TPP_CSV_DATE:
            if (!parse_date(p, len, &v)) fault = TPP_CSV_E_DATE;
            break;
          case TPP_CSV_ENUM: {
            int k = choice_index(c->choices, p, len);
            if (k < 0) fault = TPP_CSV_E_ENUM;
            else v = k;
            break;
          }
          default: /* TEXT */
            v = c->choices ? (double)contains_choice(c->choices, p, len) : NAN;
            break;
        }
        if (!fault && (c->kind == TPP_CSV_TEXT || c->kind == TPP_CSV_ENUM) && c->text_slot >= 0 &&
            !keep_text(r, c->text_slot, n, p, len))
          return tpp_fail(err, TPP_E_NOMEM, -1, -1, 0, "out of memory for CSV text");
      }
      if (fault) {
        tpp_csv_issue *is = &issues[ni++];
        set_issue(is, fault, row, f->line, i, r->buf + f->start, f->len);
        if (fault == TPP_CSV_E_RANGE || fault == TPP_CSV_E_INTEGER) is->value = v;
        row_bad = 1;
        continue;
      }
      if (c->out) c->out[n] = v;
      if (c->out2) c->out2[n] = v;
    }
    if (row_bad || i < nf) {
      r->arena_len = arena_mark;
      continue;
    }
    r->row_no[n] = row;
    r->row_line[n] = span.line;
    n++;
  }
  *n_rows = n;
  *n_issues = ni;
  return TPP_OK;
}

int64_t tpp_csv_row_number(const tpp_csv *r, int64_t i) {
  return r && i >= 0 && i < r->chunk_cap && r->row_no ? r->row_no[i] : -1;
}

int64_t tpp_csv_row_line(const tpp_csv *r, int64_t i) {
  return r && i >= 0 && i < r->chunk_cap && r->row_line ? r->row_line[i] : -1;
}

const char *tpp_csv_text(const tpp_csv *r, int32_t slot, int64_t i, size_t *len) {
  if (!r || slot < 0 || slot >= TPP_CSV_MAX_TEXT || !r->text_off[slot] || i < 0 ||
      i >= r->chunk_cap) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = r->text_len[slot][i];
  return r->arena + r->text_off[slot][i];
}

int tpp_csv_at_end(const tpp_csv *r) {
  return !r || r->failed || (r->eof && r->start >= r->end);
}

int64_t tpp_csv_rows_seen(const tpp_csv *r) { return r ? r->rows_seen : 0; }
