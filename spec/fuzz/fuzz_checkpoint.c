/*
 * fuzz_checkpoint.c - libFuzzer target for the readers of untrusted files:
 * the checkpoint header and body (v0, v2 Q8_0, tpp q4) and tokenizer.bin.
 * Any input must give TPP_OK or a clean error: never a crash, a read past
 * the buffer (ASan) or undefined behaviour (UBSan). A model that loads runs
 * one forward step, so its sizes are exercised too.
 *
 *   make fuzz               (spec/fuzz/Makefile.inc: seeds, then a short run)
 */
#include "tpp.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  tpp_error err;
  tpp_model_config cfg;
  tpp_tokenizer *tok;
  /* small models only: the point is the reader, not running big shapes */
  if (tpp_checkpoint_parse(data, size, &cfg, &err) == TPP_OK && cfg.n_params < 400000 &&
      cfg.seq_len <= 256 && cfg.n_layers <= 8) {
    int variant;
    for (variant = 0; variant < (cfg.format == TPP_CKPT_V0 ? 3 : 1); variant++) {
      static const int32_t dtypes[3] = {-1, TPP_DT_Q8, TPP_DT_Q4};
      tpp_model *m = tpp_model_load_bytes(data, size, dtypes[variant], 0, &err);
      if (m) {
        int32_t toks[3] = {0, cfg.vocab_size - 1, cfg.vocab_size / 2};
        int32_t n = cfg.seq_len >= 3 ? 3 : 1;
        tpp_model_forward(m, toks, n, 0, &err);
        tpp_model_free(m);
      }
    }
  }
  /* the same bytes as a tokenizer of a few vocabulary sizes */
  {
    static const int32_t vocabs[3] = {1, 259, 512};
    int i;
    for (i = 0; i < 3; i++) {
      tok = tpp_tokenizer_parse(data, size, vocabs[i], &err);
      if (tok) {
        int32_t ids[64], n = 0, j;
        if (tpp_tokenizer_encode(tok, "Once upon a time, \xc3\xa9!", 1, 1, ids, 64, &n, &err) == TPP_OK)
          for (j = 1; j < n; j++) {
            size_t len;
            (void)tpp_tokenizer_decode(tok, ids[j - 1], ids[j], &len);
          }
        tpp_tokenizer_free(tok);
      }
    }
  }
  return 0;
}
