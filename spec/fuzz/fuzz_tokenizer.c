/*
 * fuzz_tokenizer.c - libFuzzer target for text encoding and decoding: the
 * fuzzed bytes are the text given to tpp_tokenizer_encode (run.c's BPE over a
 * synthetic vocabulary, UTF-8 or not) and, read as int32s, the token ids given
 * to tpp_tokenizer_decode (in range or not). (The tokenizer file reader itself
 * is fuzz_checkpoint's.)
 */
#include "tpp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tpp_tokenizer *tokenizer(int32_t vocab) {
  char path[256];
  tpp_error err;
  tpp_tokenizer *t;
  snprintf(path, sizeof path, "%s/tpp-fuzz-tok-%d-%d.bin", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
           (int)getpid(), (int)vocab);
  if (tpp_tokenizer_write_synthetic(path, vocab, &err) != TPP_OK) abort();
  t = tpp_tokenizer_load(path, vocab, &err);
  remove(path);
  if (!t) abort();
  return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static tpp_tokenizer *small, *large;
  tpp_tokenizer *toks[2];
  char *text;
  int32_t ids[512], n = 0;
  tpp_error err;
  int k;
  size_t i, len;
  if (!small) {
    small = tokenizer(259);
    large = tokenizer(1024);
  }
  if (size > 4096) return 0;
  toks[0] = small;
  toks[1] = large;
  text = (char *)malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';
  for (k = 0; k < 2; k++) {
    int32_t j;
    if (tpp_tokenizer_encode(toks[k], text, data[0] & 1, (size > 1 ? data[1] : 0) & 1, ids,
                             (int32_t)(sizeof ids / sizeof ids[0]), &n, &err) == TPP_OK) {
      for (j = 0; j < n; j++) {
        const char *piece = tpp_tokenizer_decode(toks[k], j ? ids[j - 1] : 1, ids[j], &len);
        if (len > 0 && piece[len - 1] == '\0' && len > 1) abort(); /* a length that counts the NUL */
      }
    }
    /* arbitrary ids, in range or not */
    for (i = 0; i + 4 <= size; i += 4) {
      int32_t id;
      memcpy(&id, data + i, 4);
      (void)tpp_tokenizer_decode(toks[k], i ? 1 : -7, id, &len);
    }
  }
  free(text);
  return 0;
}
