/*
 * fuzz_pattern.c - libFuzzer target for the rule sandbox's pattern matcher
 * (csrc/pattern.c): the fuzzed bytes split into a pattern and a subject (at
 * the first NUL, or halves); every match attempt must end in a match, no
 * match, "malformed pattern" or a budget stop, never read outside either
 * string, and a match must lie inside the subject with sane captures.
 */
#include "sandbox.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nul = memchr(data, 0, size);
  size_t plen = nul ? (size_t)(nul - data) : size / 2;
  size_t slen = size - plen - (nul ? 1 : 0);
  char *pat = (char *)malloc(plen + 1), *src = (char *)malloc(slen + 1);
  tpp_budget b;
  tpp_pattern m;
  size_t pos, end;
  int anchored, l;
  memcpy(pat, data, plen);
  memcpy(src, data + plen + (nul ? 1 : 0), slen);
  tpp_budget_init(&b, 1 << 20, 200000, 10.0);
  tpp_budget_start(&b);
  anchored = plen > 0 && pat[0] == '^';
  tpp_pattern_init(&m, src, slen, pat, plen, &b);
  for (pos = 0; pos <= slen; pos++) {
    int r = tpp_pattern_at(&m, pos, anchored ? 1 : 0, &end);
    if (r == TPP_PATTERN_MATCH) {
      if (end < pos || end > slen) abort();
      for (l = 0; l < m.level; l++) {
        if (m.capture[l].start > slen) abort();
        if (m.capture[l].len >= 0 && m.capture[l].start + (size_t)m.capture[l].len > slen) abort();
      }
    } else if (r == TPP_PATTERN_MALFORMED) {
      if (m.message[0] == '\0') abort();
      break;
    } else if (r == TPP_PATTERN_STOPPED) {
      break;
    } else if (r != TPP_PATTERN_NOMATCH) {
      abort();
    }
    if (anchored) break;
  }
  free(pat);
  free(src);
  return 0;
}
