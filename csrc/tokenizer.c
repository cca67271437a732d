/*
 * tokenizer.c - llama2.c's tokenizer.bin: reading (with every length checked
 * against the bytes that are there), BPE encoding and decoding with run.c's
 * semantics, and a synthetic tokenizer for generated models.
 *
 * File: uint32 max_token_length, then vocab_size records of
 *   { f32 score, int32 len, len bytes }   (no count; the model gives vocab_size)
 */
#define _POSIX_C_SOURCE 200809L
#include "kernels/kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TOK_MAX_PIECE = 1 << 16, TOK_MAX_VOCAB = 1 << 22 };

typedef struct token_index {
  const char *str;
  int32_t id;
} token_index;

struct tpp_tokenizer {
  int32_t vocab_size;
  uint32_t max_token_length;
  char **vocab;          /* [vocab_size] NUL-terminated pieces in pool */
  int32_t *lens;         /* [vocab_size] */
  float *scores;         /* [vocab_size] */
  token_index *sorted;   /* [vocab_size] by piece, for lookups */
  char *pool;
  char byte_piece[2];    /* decode of "<0xHH>" */
};

static int by_str(const void *a, const void *b) {
  return strcmp(((const token_index *)a)->str, ((const token_index *)b)->str);
}

static int32_t lookup(const tpp_tokenizer *t, const char *s) {
  token_index key, *hit;
  key.str = s;
  key.id = 0;
  hit = (token_index *)bsearch(&key, t->sorted, (size_t)t->vocab_size, sizeof key, by_str);
  return hit ? hit->id : -1;
}

void tpp_tokenizer_free(tpp_tokenizer *t) {
  if (!t) return;
  free(t->vocab);
  free(t->lens);
  free(t->scores);
  free(t->sorted);
  free(t->pool);
  free(t);
}

int32_t tpp_tokenizer_vocab_size(const tpp_tokenizer *t) {
  return t->vocab_size;
}

tpp_tokenizer *tpp_tokenizer_parse(const uint8_t *bytes, size_t size, int32_t vocab_size,
                                   tpp_error *err) {
  tpp_tokenizer *t;
  size_t pos = 4, pool_bytes = 0, used = 0;
  uint32_t max_len;
  int32_t i;
  if (vocab_size < 1 || vocab_size > TOK_MAX_VOCAB) {
    tpp_fail(err, TPP_E_ARG, -1, -1, vocab_size, "tokenizer: vocab_size %d: expected 1..%d",
             (int)vocab_size, TOK_MAX_VOCAB);
    return NULL;
  }
  if (size < 4) {
    tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)size,
             "tokenizer: %zu bytes is too short for the 4-byte max_token_length", size);
    return NULL;
  }
  memcpy(&max_len, bytes, 4);
  if (max_len < 1 || max_len > TOK_MAX_PIECE) {
    tpp_fail(err, TPP_E_FORMAT, -1, -1, max_len,
             "tokenizer: max_token_length %u: expected 1..%d", max_len, TOK_MAX_PIECE);
    return NULL;
  }
  /* first pass: check every record fits, before allocating */
  for (i = 0; i < vocab_size; i++) {
    int32_t len;
    float score;
    if (size - pos < 8) {
      tpp_fail(err, TPP_E_FORMAT, i, -1, (double)i,
               "tokenizer: the file ends after %d of %d tokens (truncated, or the model's "
               "vocab_size does not match this tokenizer)",
               (int)i, (int)vocab_size);
      return NULL;
    }
    memcpy(&score, bytes + pos, 4);
    memcpy(&len, bytes + pos + 4, 4);
    if (!isfinite(score)) {
      tpp_fail(err, TPP_E_FORMAT, i, -1, (double)i, "tokenizer: token %d has a non-finite score",
               (int)i);
      return NULL;
    }
    if (len < 0 || (uint32_t)len > max_len) {
      tpp_fail(err, TPP_E_FORMAT, i, -1, len,
               "tokenizer: token %d has length %d, expected 0..%u (max_token_length)", (int)i,
               (int)len, max_len);
      return NULL;
    }
    pos += 8;
    if (size - pos < (size_t)len) {
      tpp_fail(err, TPP_E_FORMAT, i, -1, (double)i,
               "tokenizer: token %d needs %d bytes but the file ends after %zu", (int)i, (int)len,
               size - pos);
      return NULL;
    }
    pos += (size_t)len;
    pool_bytes += (size_t)len + 1;
  }
  t = (tpp_tokenizer *)calloc(1, sizeof *t);
  if (!t) goto oom;
  t->vocab_size = vocab_size;
  t->max_token_length = max_len;
  t->vocab = (char **)malloc((size_t)vocab_size * sizeof(char *));
  t->lens = (int32_t *)malloc((size_t)vocab_size * sizeof(int32_t));
  t->scores = (float *)malloc((size_t)vocab_size * sizeof(float));
  t->sorted = (token_index *)malloc((size_t)vocab_size * sizeof(token_index));
  t->pool = (char *)malloc(pool_bytes);
  if (!t->vocab || !t->lens || !t->scores || !t->sorted || !t->pool) goto oom;
  pos = 4;
  for (i = 0; i < vocab_size; i++) {
    int32_t len;
    memcpy(&t->scores[i], bytes + pos, 4);
    memcpy(&len, bytes + pos + 4, 4);
    pos += 8;
    t->vocab[i] = t->pool + used;
    memcpy(t->vocab[i], bytes + pos, (size_t)len);
    t->vocab[i][len] = '\0';
    t->lens[i] = len;
    used += (size_t)len + 1;
    pos += (size_t)len;
    t->sorted[i].str = t->vocab[i];
    t->sorted[i].id = i;
  }
  qsort(t->sorted, (size_t)vocab_size, sizeof(token_index), by_str);
  return t;
oom:
  tpp_tokenizer_free(t);
  tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "tokenizer: out of memory for %d tokens", (int)vocab_size);
  return NULL;
}

tpp_tokenizer *tpp_tokenizer_load(const char *path, int32_t vocab_size, tpp_error *err) {
  FILE *f = fopen(path, "rb");
  long size;
  uint8_t *buf;
  tpp_tokenizer *t;
  if (!f) {
    tpp_fail(err, TPP_E_IO, -1, -1, NAN, "tokenizer: cannot open '%s'", path);
    return NULL;
  }
  if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    tpp_fail(err, TPP_E_IO, -1, -1, NAN, "tokenizer: cannot read '%s'", path);
    return NULL;
  }
  if (size > (long)1 << 30) {
    fclose(f);
    tpp_fail(err, TPP_E_FORMAT, -1, -1, (double)size,
             "tokenizer: '%s' is %ld bytes, larger than any tokenizer (1 GiB limit)", path, size);
    return NULL;
  }
  buf = (uint8_t *)malloc(size > 0 ? (size_t)size : 1);
  if (!buf) {
    fclose(f);
    tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "tokenizer: out of memory reading '%s'", path);
    return NULL;
  }
  if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
    free(buf);
    fclose(f);
    tpp_fail(err, TPP_E_IO, -1, -1, NAN, "tokenizer: cannot read '%s'", path);
    return NULL;
  }
  fclose(f);
  t = tpp_tokenizer_parse(buf, (size_t)size, vocab_size, err);
  free(buf);
  if (!t && err) {
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    if (snprintf(err->message, sizeof err->message, "%s ('%s')", msg, path) < 0)
      err->message[0] = '\0';
  }
  return t;
}

int tpp_tokenizer_encode(const tpp_tokenizer *t, const char *text, int32_t bos, int32_t eos,
                         int32_t *tokens, int32_t max_tokens, int32_t *n_tokens, tpp_error *err) {
  size_t text_len, buf_cap;
  char *buf;
  int32_t n = 0;
  size_t len = 0;
  const char *c;
  if (!text) return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "encode: text is missing");
  text_len = strlen(text);
  if ((size_t)max_tokens < text_len + 3)
    return tpp_fail(err, TPP_E_ARG, -1, -1, max_tokens,
                    "encode: room for %d tokens, a text of %zu bytes may need %zu", (int)max_tokens,
                    text_len, text_len + 3);
  buf_cap = (size_t)t->max_token_length * 2 + 3;
  buf = (char *)malloc(buf_cap);
  if (!buf) return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "encode: out of memory");
  if (bos && t->vocab_size > 1) tokens[n++] = 1;
  /* SentencePiece's dummy prefix: a leading space piece when there is text */
  if (text[0] != '\0') {
    int32_t sp = lookup(t, " ");
    if (sp >= 0) tokens[n++] = sp;
  }
  /* one token per UTF-8 code point, or its bytes as <0xHH> pieces (id byte + 3) */
  for (c = text; *c != '\0'; c++) {
    if ((*c & 0xC0) != 0x80) len = 0;
    buf[len++] = *c;
    buf[len] = '\0';
    if ((*(c + 1) & 0xC0) == 0x80 && len < 4) continue;
    {
      int32_t id = lookup(t, buf);
      if (id >= 0) {
        tokens[n++] = id;
      } else {
        size_t i;
        for (i = 0; i < len; i++) {
          int32_t b = (int32_t)(unsigned char)buf[i] + 3;
          tokens[n++] = b < t->vocab_size ? b : 0;
        }
      }
    }
    len = 0;
  }
  /* merge the adjacent pair with the highest score until none merges */
  for (;;) {
    float best = -1e30f;
    int32_t best_id = -1, best_idx = -1, i;
    for (i = 0; i + 1 < n; i++) {
      int32_t id;
      size_t la = (size_t)t->lens[tokens[i]], lb = (size_t)t->lens[tokens[i + 1]];
      if (la + lb + 1 > buf_cap) continue;
      memcpy(buf, t->vocab[tokens[i]], la);
      memcpy(buf + la, t->vocab[tokens[i + 1]], lb);
      buf[la + lb] = '\0';
      id = lookup(t, buf);
      if (id >= 0 && t->scores[id] > best) {
        best = t->scores[id];
        best_id = id;
        best_idx = i;
      }
    }
    if (best_idx < 0) break;
    tokens[best_idx] = best_id;
    memmove(tokens + best_idx + 1, tokens + best_idx + 2, (size_t)(n - best_idx - 2) * sizeof(int32_t));
    n--;
  }
  if (eos && t->vocab_size > 2) tokens[n++] = 2;
  free(buf);
  *n_tokens = n;
  return TPP_OK;
}

const char *tpp_tokenizer_decode(tpp_tokenizer *t, int32_t prev, int32_t token, size_t *len) {
  const char *piece;
  unsigned int byte;
  size_t n;
  if (token < 0 || token >= t->vocab_size) {
    *len = 0;
    return "";
  }
  piece = t->vocab[token];
  n = (size_t)t->lens[token];
  /* after BOS, SentencePiece strips the leading space */
  if (prev == 1 && n > 0 && piece[0] == ' ') {
    piece++;
    n--;
  }
  if (n == 6 && sscanf(piece, "<0x%02X>", &byte) == 1) {
    t->byte_piece[0] = (char)byte;
    t->byte_piece[1] = '\0';
    *len = 1;
    return t->byte_piece;
  }
  *len = n;
  return piece;
}

/* ---- synthetic tokenizer ---- */

/* Frequent words of simple English stories; every prefix becomes a piece so
 * BPE can reach the whole word by merges. */
static const char *const story_words[] = {
    " the", " and", " a", " to", " was", " he", " she", " it", " they", " his", " her",
    " of", " in", " on", " with", " said", " little", " big", " day", " time", " upon",
    " Once", " there", " girl", " boy", " named", " Lily", " Tim", " Ben", " mom", " dad",
    " friend", " friends", " play", " played", " happy", " very", " wanted", " went", " saw",
    " one", " could", " would", " not", " had", " were", " you", " is", " be", " so", " all",
    " dog", " cat", " bird", " tree", " park", " ball", " toy", " sun", " fun", " help",
    " sad", " look", " looked", " found", " made", " that", " what", " for", " at", " up",
    ".", ",", "!", "?", "\"", "\n", " The", " He", " She", " They", " It", NULL};

typedef struct piece_set {
  char **items;
  uint64_t *hash;
  size_t cap;
} piece_set;

static uint64_t fnv1a(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static int set_has_or_add(piece_set *set, char *s) {
  uint64_t h = fnv1a(s);
  size_t i = (size_t)h & (set->cap - 1);
  while (set->items[i]) {
    if (set->hash[i] == h && strcmp(set->items[i], s) == 0) return 1;
    i = (i + 1) & (set->cap - 1);
  }
  set->items[i] = s;
  set->hash[i] = h;
  return 0;
}

int tpp_tokenizer_write_synthetic(const char *path, int32_t vocab_size, tpp_error *err) {
  enum { MAX_PIECE = 16 };
  char **pieces = NULL;
  piece_set set = {NULL, NULL, 0};
  FILE *f = NULL;
  uint32_t max_len = 1;
  int32_t n = 0, i, tries = 0;
  uint64_t rng = tpp_rng_seed(2718281828ULL);
  int rc = TPP_OK;
  if (vocab_size < 1 || vocab_size > TOK_MAX_VOCAB)
    return tpp_fail(err, TPP_E_ARG, -1, -1, vocab_size, "tokenizer: vocab_size %d: expected 1..%d",
                    (int)vocab_size, TOK_MAX_VOCAB);
  pieces = (char **)calloc((size_t)vocab_size, sizeof(char *));
  for (set.cap = 1024; set.cap < (size_t)vocab_size * 2; set.cap *= 2) {
  }
  set.items = (char **)calloc(set.cap, sizeof(char *));
  set.hash = (uint64_t *)calloc(set.cap, sizeof(uint64_t));
  if (!pieces || !set.items || !set.hash) {
    rc = tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "tokenizer: out of memory");
    goto done;
  }
#define ADD_PIECE(str)                                            \
  do {                                                            \
    char *p_ = (char *)malloc(strlen(str) + 1);                   \
    if (!p_) {                                                    \
      rc = tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "tokenizer: out of memory"); \
      goto done;                                                  \
    }                                                             \
    strcpy(p_, str);                                              \
    if (set_has_or_add(&set, p_)) {                               \
      free(p_);                                                   \
    } else {                                                      \
      pieces[n++] = p_;                                           \
      if (strlen(p_) > max_len) max_len = (uint32_t)strlen(p_);   \
    }                                                             \
  } while (0)
  {
    static const char *const specials[3] = {"<unk>", "\n<s>\n", "\n</s>\n"};
    char tmp[MAX_PIECE * 2 + 1];
    const char *const *w;
    for (i = 0; i < 3 && n < vocab_size; i++) ADD_PIECE(specials[i]);
    for (i = 0; i < 256 && n < vocab_size; i++) {
      snprintf(tmp, sizeof tmp, "<0x%02X>", i);
      ADD_PIECE(tmp);
    }
    for (i = 32; i < 127 && n < vocab_size; i++) {
      tmp[0] = (char)i;
      tmp[1] = '\0';
      ADD_PIECE(tmp);
    }
    if (n < vocab_size) ADD_PIECE("\n");
    for (w = story_words; *w && n < vocab_size; w++) {
      size_t l, wl = strlen(*w);
      for (l = 2; l <= wl && n < vocab_size; l++) {
        memcpy(tmp, *w, l);
        tmp[l] = '\0';
        ADD_PIECE(tmp);
      }
    }
    /* fill the rest with a piece present (past the bytes) plus a printable
     * character: reachable by one merge, like a real BPE vocabulary */
    while (n < vocab_size && tries < vocab_size * 50) {
      int32_t a = 259 + (int32_t)(tpp_rng_u64(&rng) % (uint64_t)(n - 259));
      int32_t b = 259 + (int32_t)(tpp_rng_u64(&rng) % 95);
      size_t la = strlen(pieces[a]), lb = strlen(pieces[b]);
      tries++;
      if (la + lb > MAX_PIECE) continue;
      memcpy(tmp, pieces[a], la);
      memcpy(tmp + la, pieces[b], lb + 1);
      ADD_PIECE(tmp);
    }
    /* tiny or exhausted: numbered filler pieces keep the file well-formed */
    while (n < vocab_size) {
      snprintf(tmp, sizeof tmp, "<tpp%d>", (int)n);
      ADD_PIECE(tmp);
    }
  }
#undef ADD_PIECE
  f = fopen(path, "wb");
  if (!f) {
    rc = tpp_fail(err, TPP_E_IO, -1, -1, NAN, "tokenizer: cannot create '%s'", path);
    goto done;
  }
  if (fwrite(&max_len, 4, 1, f) != 1) rc = TPP_E_IO;
  for (i = 0; i < vocab_size && rc == TPP_OK; i++) {
    /* merges by priority: earlier pieces score higher; specials and bytes 0 */
    float score = i < 259 ? 0.0f : -(float)(i - 259);
    int32_t len = (int32_t)strlen(pieces[i]);
    if (fwrite(&score, 4, 1, f) != 1 || fwrite(&len, 4, 1, f) != 1 ||
        fwrite(pieces[i], 1, (size_t)len, f) != (size_t)len)
      rc = TPP_E_IO;
  }
  if (fclose(f) != 0) rc = TPP_E_IO;
  if (rc != TPP_OK) rc = tpp_fail(err, TPP_E_IO, -1, -1, NAN, "tokenizer: cannot write '%s'", path);
done:
  if (pieces)
    for (i = 0; i < n; i++) free(pieces[i]);
  free(pieces);
  free(set.items);
  free(set.hash);
  return rc;
}
