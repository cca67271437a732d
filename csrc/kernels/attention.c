/*
 * attention.c - causal grouped-query attention over an f32 KV cache, one
 * (query head, query token) pair per work item, threaded over items.
 *
 *   q   [T][ldq]   head h at columns h*hs ..            (query t at pos + t)
 *   k,v [S][ldkv]  KV head g at columns g*hs .., rows 0 .. pos+T-1 filled
 *   out [T][ldo]   head h at columns h*hs ..
 * Query head h reads KV head h / (n_heads / n_kv_heads) (contiguous groups).
 */
#include "kernels.h"

#include <math.h>
#include <string.h>

static int attn_range(void *ctx, int64_t begin, int64_t end, int worker) {
  const tpp_attn *a = (const tpp_attn *)ctx;
  const int64_t hs = a->head_size;
  const int32_t group = a->n_heads / a->n_kv_heads;
  const float scale = (float)(1.0 / sqrt((double)hs));
  float *scores = a->scratch + (int64_t)worker * (a->pos + a->T);
  int64_t item;
  /* items run head-major so consecutive items reuse one KV head's rows */
  for (item = begin; item < end; item++) {
    int64_t h = item / a->T, t = item % a->T;
    int64_t kvh = h / group;
    int64_t n_keys = a->pos + t + 1;
    const float *qh = a->q + t * a->ldq + h * hs;
    const float *kh = a->k + kvh * hs;
    const float *vh = a->v + kvh * hs;
    float *oh = a->out + t * a->ldo + h * hs;
    int64_t j;
    for (j = 0; j < n_keys; j++) scores[j] = tpp_dot_f32(qh, kh + j * a->ldkv, hs) * scale;
    tpp_softmax_f32(scores, n_keys);
    memset(oh, 0, (size_t)hs * sizeof(float));
    for (j = 0; j < n_keys; j++) tpp_axpy_f32(oh, scores[j], vh + j * a->ldkv, hs);
  }
  return TPP_OK;
}

void tpp_attention_f32(const tpp_attn *a) {
  int64_t items = (int64_t)a->n_heads * a->T;
  int n_threads = tpp_get_threads();
  /* about 64K multiply-adds per chunk at least: short contexts run inline */
  int64_t per_item = (a->pos + (a->T + 1) / 2) * (int64_t)a->head_size * 2 + 1;
  int64_t min_items = (1 << 16) / per_item + 1;
  tpp_parallel_for(items, min_items, n_threads, attn_range, (void *)a);
}
