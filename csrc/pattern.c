/*
 * pattern.c - Lua's pattern language, matched by backtracking with every step
 * charged to a tpp_budget (sandbox.h).
 *
 * Why not the interpreter's own string.find: it runs in C where no count hook
 * reaches it, and a pattern such as ("a-"):rep(20) .. "b" against a long run
 * of "a" backtracks for longer than the age of the universe. Bounding the
 * subject and pattern lengths does not help (the time is exponential in the
 * number of quantifiers), so the sandbox's string library matches here, where
 * each step counts against the same budget as the VM's instructions.
 *
 * Offsets are byte offsets into the subject (src) and the pattern (pat); the
 * matcher never reads past src_len or pat_len (neither needs a terminator).
 */
#include "sandbox.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef ptrdiff_t off_t_;

enum {
  FAIL = -1,                          /* no match from here */
  MALFORMED = TPP_PATTERN_MALFORMED - 1, /* -2 */
  STOPPED = TPP_PATTERN_STOPPED - 1,     /* -3 */
  MAX_DEPTH = 200,                    /* nested items (captures, ?, expansions) */
  CHARGE_EVERY = 1024                 /* steps between budget checks */
};

void tpp_pattern_init(tpp_pattern *m, const char *src, size_t src_len, const char *pat,
                      size_t pat_len, tpp_budget *budget) {
  memset(m, 0, sizeof *m);
  m->src = src;
  m->src_len = src_len;
  m->pat = pat;
  m->pat_len = pat_len;
  m->budget = budget;
}

static off_t_ malformed(tpp_pattern *m, const char *what) {
  snprintf(m->message, sizeof m->message, "malformed pattern (%s)", what);
  return MALFORMED;
}

/* One step of work; STOPPED when the budget says so. */
static int step(tpp_pattern *m) {
  if (++m->pending < CHARGE_EVERY) return 0;
  return tpp_pattern_flush(m);
}

int tpp_pattern_flush(tpp_pattern *m) {
  int64_t n = m->pending;
  m->pending = 0;
  if (m->budget && tpp_budget_charge(m->budget, n) != TPP_BUDGET_OK) return STOPPED;
  return 0;
}

static int class_matches(int c, int cl) {
  int res;
  switch (tolower(cl)) {
  case 'a': res = isalpha(c); break;
  case 'c': res = iscntrl(c); break;
  case 'd': res = isdigit(c); break;
  case 'g': res = isgraph(c); break;
  case 'l': res = islower(c); break;
  case 'p': res = ispunct(c); break;
  case 's': res = isspace(c); break;
  case 'u': res = isupper(c); break;
  case 'w': res = isalnum(c); break;
  case 'x': res = isxdigit(c); break;
  default: return cl == c;
  }
  if (isupper(cl)) res = !res;
  return res != 0;
}

/* The offset just past the single-character class starting at p. */
static off_t_ class_end(tpp_pattern *m, size_t p) {
  char c = m->pat[p++];
  if (c == '%') {
    if (p >= m->pat_len) return malformed(m, "ends with '%'");
    return (off_t_)p + 1;
  }
  if (c == '[') {
    if (p < m->pat_len && m->pat[p] == '^') p++;
    do { /* the first character after '[' (or '[^') is never the closing ']' */
      if (p >= m->pat_len) return malformed(m, "missing ']'");
      c = m->pat[p++];
      if (c == '%') {
        if (p >= m->pat_len) return malformed(m, "missing ']'");
        p++;
      }
    } while (p >= m->pat_len || m->pat[p] != ']');
    return (off_t_)p + 1;
  }
  return (off_t_)p;
}

/* c against the set pat[p] == '[' .. pat[ec] == ']'. */
static int set_matches(const tpp_pattern *m, int c, size_t p, size_t ec) {
  int wanted = 1;
  p++;
  if (m->pat[p] == '^') {
    wanted = 0;
    p++;
  }
  while (p < ec) {
    unsigned char pc = (unsigned char)m->pat[p];
    if (pc == '%') {
      p++;
      if (class_matches(c, (unsigned char)m->pat[p])) return wanted;
      p++;
    } else if (p + 2 < ec && m->pat[p + 1] == '-') {
      if (pc <= c && c <= (unsigned char)m->pat[p + 2]) return wanted;
      p += 3;
    } else {
      if (pc == c) return wanted;
      p++;
    }
  }
  return !wanted;
}

/* Does the subject character at s match the class pat[p .. ep)? */
static int single_matches(const tpp_pattern *m, size_t s, size_t p, size_t ep) {
  int c;
  if (s >= m->src_len) return 0;
  c = (unsigned char)m->src[s];
  switch (m->pat[p]) {
  case '.': return 1;
  case '%': return class_matches(c, (unsigned char)m->pat[p + 1]);
  case '[': return set_matches(m, c, p, ep - 1);
  default: return (unsigned char)m->pat[p] == c;
  }
}

static off_t_ match(tpp_pattern *m, size_t s, size_t p);

static off_t_ expand_greedy(tpp_pattern *m, size_t s, size_t p, size_t ep) {
  size_t i = 0;
  while (single_matches(m, s + i, p, ep)) {
    if (step(m)) return STOPPED;
    i++;
  }
  for (;;) { /* try the longest run first, then give characters back */
    off_t_ r = match(m, s + i, ep + 1);
    if (r != FAIL) return r;
    if (i == 0) return FAIL;
    i--;
  }
}

static off_t_ expand_lazy(tpp_pattern *m, size_t s, size_t p, size_t ep) {
  for (;;) {
    off_t_ r = match(m, s, ep + 1);
    if (r != FAIL) return r;
    if (!single_matches(m, s, p, ep)) return FAIL;
    if (step(m)) return STOPPED;
    s++;
  }
}

static off_t_ open_capture(tpp_pattern *m, size_t s, size_t p, int64_t what) {
  off_t_ r;
  if (m->level >= TPP_PATTERN_MAX_CAPTURES) return malformed(m, "too many captures");
  m->capture[m->level].start = s;
  m->capture[m->level].len = what;
  m->level++;
  r = match(m, s, p);
  if (r == FAIL) m->level--;
  return r;
}

static off_t_ close_capture(tpp_pattern *m, size_t s, size_t p) {
  int l;
  off_t_ r;
  for (l = m->level - 1; l >= 0; l--)
    if (m->capture[l].len == TPP_CAPTURE_UNCLOSED) break;
  if (l < 0) return malformed(m, "')' without an open capture");
  m->capture[l].len = (int64_t)(s - m->capture[l].start);
  r = match(m, s, p);
  if (r == FAIL) m->capture[l].len = TPP_CAPTURE_UNCLOSED;
  return r;
}

static off_t_ balance(tpp_pattern *m, size_t s, size_t p) {
  char open, close;
  int depth = 1;
  size_t q;
  if (p + 1 >= m->pat_len) return malformed(m, "missing arguments to '%b'");
  if (s >= m->src_len || m->src[s] != m->pat[p]) return FAIL;
  open = m->pat[p];
  close = m->pat[p + 1];
  for (q = s + 1; q < m->src_len; q++) {
    if (step(m)) return STOPPED;
    if (m->src[q] == close) {
      if (--depth == 0) return (off_t_)q + 1;
    } else if (m->src[q] == open) {
      depth++;
    }
  }
  return FAIL;
}

static off_t_ back_reference(tpp_pattern *m, size_t s, int digit) {
  int l = digit - '1';
  int64_t len;
  if (l < 0 || l >= m->level || m->capture[l].len == TPP_CAPTURE_UNCLOSED) {
    snprintf(m->message, sizeof m->message, "invalid capture index %%%c in pattern", digit);
    return MALFORMED;
  }
  len = m->capture[l].len;
  if (len < 0) return FAIL; /* a position capture has no text */
  if ((int64_t)(m->src_len - s) >= len &&
      memcmp(m->src + m->capture[l].start, m->src + s, (size_t)len) == 0) {
    m->pending += len;
    return (off_t_)(s + (size_t)len);
  }
  return FAIL;
}

/* Match pat[p ..] at src[s ..]: the offset past the match, FAIL, or an error. */
static off_t_ match(tpp_pattern *m, size_t s, size_t p) {
  off_t_ r = FAIL;
  if (m->depth-- <= 0) {
    m->depth++;
    return malformed(m, "too complex: nested too deeply");
  }
  for (;;) {
    off_t_ ep;
    if (step(m)) {
      r = STOPPED;
      break;
    }
    if (p >= m->pat_len) {
      r = (off_t_)s;
      break;
    }
    switch (m->pat[p]) {
    case '(':
      if (p + 1 < m->pat_len && m->pat[p + 1] == ')')
        r = open_capture(m, s, p + 2, TPP_CAPTURE_POSITION);
      else
        r = open_capture(m, s, p + 1, TPP_CAPTURE_UNCLOSED);
      goto done;
    case ')':
      r = close_capture(m, s, p + 1);
      goto done;
    case '$':
      if (p + 1 == m->pat_len) {
        r = s == m->src_len ? (off_t_)s : FAIL;
        goto done;
      }
      break; /* a '$' elsewhere is a literal */
    case '%':
      if (p + 1 < m->pat_len) {
        char k = m->pat[p + 1];
        if (k == 'b') {
          r = balance(m, s, p + 2);
          if (r < 0) goto done;
          s = (size_t)r;
          p += 4;
          continue;
        }
        if (k == 'f') {
          int prev, cur;
          p += 2;
          if (p >= m->pat_len || m->pat[p] != '[') {
            r = malformed(m, "missing '[' after '%f'");
            goto done;
          }
          ep = class_end(m, p);
          if (ep < 0) {
            r = ep;
            goto done;
          }
          prev = s == 0 ? '\0' : (unsigned char)m->src[s - 1];
          cur = s < m->src_len ? (unsigned char)m->src[s] : '\0';
          if (!set_matches(m, prev, p, (size_t)ep - 1) && set_matches(m, cur, p, (size_t)ep - 1)) {
            p = (size_t)ep;
            continue;
          }
          r = FAIL;
          goto done;
        }
        if (isdigit((unsigned char)k)) {
          r = back_reference(m, s, k);
          if (r < 0) goto done;
          s = (size_t)r;
          p += 2;
          continue;
        }
      }
      break;
    default:
      break;
    }
    /* a single-character class, maybe with a quantifier */
    ep = class_end(m, p);
    if (ep < 0) {
      r = ep;
      goto done;
    }
    {
      char q = (size_t)ep < m->pat_len ? m->pat[ep] : '\0';
      if (!single_matches(m, s, p, (size_t)ep)) {
        if (q == '*' || q == '?' || q == '-') { /* zero repetitions are fine */
          p = (size_t)ep + 1;
          continue;
        }
        r = FAIL;
        goto done;
      }
      switch (q) {
      case '?':
        r = match(m, s + 1, (size_t)ep + 1);
        if (r != FAIL) goto done;
        p = (size_t)ep + 1;
        continue;
      case '+': r = expand_greedy(m, s + 1, p, (size_t)ep); goto done;
      case '*': r = expand_greedy(m, s, p, (size_t)ep); goto done;
      case '-': r = expand_lazy(m, s, p, (size_t)ep); goto done;
      default:
        s++;
        p = (size_t)ep;
        continue;
      }
    }
  }
done:
  m->depth++;
  return r;
}

int tpp_pattern_at(tpp_pattern *m, size_t pos, size_t p_start, size_t *end) {
  off_t_ r;
  m->level = 0;
  m->depth = MAX_DEPTH;
  m->message[0] = '\0';
  r = match(m, pos, p_start);
  if (r >= 0) {
    *end = (size_t)r;
    return TPP_PATTERN_MATCH;
  }
  if (r == FAIL) return TPP_PATTERN_NOMATCH;
  if (r == MALFORMED) return TPP_PATTERN_MALFORMED;
  return TPP_PATTERN_STOPPED;
}

int tpp_pattern_is_plain(const char *pat, size_t pat_len) {
  size_t i;
  for (i = 0; i < pat_len; i++)
    if (strchr("^$*+?.([%-", pat[i]) && pat[i] != '\0') return 0;
  return 1;
}
