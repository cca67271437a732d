/*
 * make_seeds.c - writes the fuzzer's seed corpus: small valid checkpoints of
 * every format (shared and separate classifiers, grouped-query heads) and a
 * synthetic tokenizer, so mutations start from well-formed files.
 */
#include "tpp.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  static const int formats[3] = {TPP_CKPT_V0, TPP_CKPT_Q8, TPP_CKPT_Q4};
  static const char *const names[3] = {"v0", "q8", "q4"};
  const char *dir = argc > 1 ? argv[1] : ".";
  char path[512];
  tpp_error err;
  int f, shared;
  for (f = 0; f < 3; f++)
    for (shared = 0; shared < 2; shared++) {
      tpp_model_config c;
      memset(&c, 0, sizeof c);
      c.dim = 16;
      c.hidden_dim = 32;
      c.n_layers = 2;
      c.n_heads = 4;
      c.n_kv_heads = shared ? 2 : 4;
      c.vocab_size = 24;
      c.seq_len = 8;
      c.shared_classifier = shared;
      c.format = formats[f];
      c.group_size = f ? 8 : 0;
      snprintf(path, sizeof path, "%s/%s_%s.bin", dir, names[f], shared ? "shared" : "cls");
      if (tpp_model_write_random(path, &c, 1, &err)) {
        fprintf(stderr, "make_seeds: %s\n", err.message);
        return 1;
      }
    }
  snprintf(path, sizeof path, "%s/tokenizer.bin", dir);
  if (tpp_tokenizer_write_synthetic(path, 300, &err)) {
    fprintf(stderr, "make_seeds: %s\n", err.message);
    return 1;
  }
  return 0;
}
