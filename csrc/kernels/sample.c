/*
 * sample.c - next-token sampling with llama2.c run.c semantics: greedy at
 * temperature 0, else softmax(logits / T) and multinomial or top-p (nucleus)
 * sampling with xorshift64*; top-p first drops candidates below
 * (1 - p) / (n - 1), which cannot be in the nucleus, to keep the sort short.
 */
#include "kernels.h"

#include <math.h>
#include <stdlib.h>

typedef struct prob_index {
  float prob;
  int32_t index;
} prob_index;

tpp_sampler *tpp_sampler_new(int32_t vocab_size, double temperature, double top_p,
                             uint64_t seed, tpp_error *err) {
  tpp_sampler *s;
  if (vocab_size < 1) {
    tpp_fail(err, TPP_E_ARG, -1, -1, vocab_size, "vocab_size %d: expected >= 1", (int)vocab_size);
    return NULL;
  }
  if (!(temperature >= 0.0) || !isfinite(temperature)) {
    tpp_fail(err, TPP_E_ARG, -1, -1, temperature,
             "temperature %g: expected a finite number >= 0 (0 = greedy)", temperature);
    return NULL;
  }
  if (!(top_p >= 0.0 && top_p <= 1.0)) {
    tpp_fail(err, TPP_E_ARG, -1, -1, top_p, "top_p %g: expected 0..1 (0 or 1 = off)", top_p);
    return NULL;
  }
  s = (tpp_sampler *)calloc(1, sizeof *s);
  if (!s) {
    tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory allocating a sampler");
    return NULL;
  }
  s->scratch = tpp_alloc((size_t)vocab_size * sizeof(prob_index));
  if (!s->scratch) {
    free(s);
    tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "out of memory allocating a sampler");
    return NULL;
  }
  s->vocab_size = vocab_size;
  s->temperature = (float)temperature;
  s->top_p = (float)top_p;
  /* run.c seeds its state with the seed itself; 0 would stay 0 forever */
  s->rng_state = seed ? seed : 0x2545F4914F6CDD1DULL;
  return s;
}

void tpp_sampler_free(tpp_sampler *s) {
  if (!s) return;
  tpp_free(s->scratch);
  free(s);
}

float tpp_sampler_random(tpp_sampler *s) {
  return tpp_rng_f32(&s->rng_state);
}

static int32_t sample_mult(const float *probs, int32_t n, float coin) {
  float cdf = 0.0f;
  int32_t i;
  for (i = 0; i < n; i++) {
    cdf += probs[i];
    if (coin < cdf) return i;
  }
  return n - 1; /* rounding */
}

static int by_prob_desc(const void *a, const void *b) {
  const prob_index *x = (const prob_index *)a, *y = (const prob_index *)b;
  if (x->prob > y->prob) return -1;
  if (x->prob < y->prob) return 1;
  return x->index < y->index ? -1 : (x->index > y->index);
}

static int32_t sample_topp(const float *probs, int32_t n, float top_p, prob_index *pi,
                           float coin) {
  const float cutoff = n > 1 ? (1.0f - top_p) / (float)(n - 1) : 0.0f;
  float cum = 0.0f, r, cdf = 0.0f;
  int32_t n0 = 0, i, last;
  for (i = 0; i < n; i++)
    if (probs[i] >= cutoff) {
      pi[n0].index = i;
      pi[n0].prob = probs[i];
      n0++;
    }
  if (n0 == 0) return (int32_t)tpp_argmax_f32(probs, n); /* top_p <= 1/n, all equal */
  qsort(pi, (size_t)n0, sizeof *pi, by_prob_desc);
  last = n0 - 1;
  for (i = 0; i < n0; i++) {
    cum += pi[i].prob;
    if (cum > top_p) {
      last = i;
      break;
    }
  }
  r = coin * cum;
  for (i = 0; i <= last; i++) {
    cdf += pi[i].prob;
    if (r < cdf) return pi[i].index;
  }
  return pi[last].index;
}

int32_t tpp_sampler_sample(tpp_sampler *s, float *logits) {
  const int32_t n = s->vocab_size;
  float coin;
  int32_t i;
  if (s->temperature == 0.0f) return (int32_t)tpp_argmax_f32(logits, n);
  for (i = 0; i < n; i++) logits[i] /= s->temperature;
  tpp_softmax_f32(logits, n);
  coin = tpp_rng_f32(&s->rng_state);
  if (s->top_p <= 0.0f || s->top_p >= 1.0f) return sample_mult(logits, n, coin);
  return sample_topp(logits, n, s->top_p, (prob_index *)s->scratch, coin);
}
