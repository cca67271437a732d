-- Generated from include/tpp.h by bin/gen-cdef.lua; do not edit.
-- Regenerate with: make cdef
return [==[
/* region core */

enum {
  TPP_VERSION_MAJOR = 0,
  TPP_VERSION_MINOR = 2,
  TPP_VERSION_PATCH = 0
};
enum {
  TPP_OK = 0,
  TPP_E_ARG = 1,
  TPP_E_UNKNOWN = 2,
  TPP_E_NOMEM = 3,
  TPP_E_SHAPE = 4,
  TPP_E_IO = 5,
  TPP_E_FORMAT = 6,
  TPP_E_UNSUPPORTED = 7
};
typedef struct tpp_error {
  int code;
  int64_t row;
  int field;
  double value;
  char message[256];
} tpp_error;
enum {
  TPP_PREC_FP64 = 0,
  TPP_PREC_FP32 = 1,
  TPP_PREC_TF32 = 2,
  TPP_PREC_FP16 = 3,
  TPP_PREC_BF16 = 4,
  TPP_PREC_FP8 = 5,
  TPP_PREC_INT8 = 6,
  TPP_PREC_FP6 = 7,
  TPP_PREC_FP4 = 8,
  TPP_PREC_INT4 = 9,
  TPP_PREC_COUNT = 10,
  TPP_PREC_NONE = -1
};
enum {
  TPP_FIELD_DENSE = 0,
  TPP_FIELD_AREA = 10,
  TPP_FIELD_MEM_BW = 11,
  TPP_FIELD_MEM_AREA = 12,
  TPP_FIELD_INTERCONNECT = 13,
  TPP_FIELD_TF32_BITS = 14,
  TPP_FIELD_DIE = 15,
  TPP_FIELD_UNIT = 16,
  TPP_FIELD_COUNT = 17
};
enum {
  TPP_TF32_EXCLUDED = 0,
  TPP_TF32_19 = 19,
  TPP_TF32_32 = 32
};
enum {
  TPP_UNITS_MAX_OF_SUMS = 0,
  TPP_UNITS_SUM_OF_MAXES = 1
};
enum {
  TPP_H100E_TPP = 0,
  TPP_H100E_8BIT = 1,
  TPP_H100E_FP16 = 2,
  TPP_H100E_COUNT = 3
};
enum {
  TPP_DIE_LOGIC = 0,
  TPP_DIE_MEMORY = 1,
  TPP_DIE_OTHER = 2
};
typedef struct tpp_spec_options {
  int tf32_bits;
  int unit_mode;
} tpp_spec_options;
typedef struct tpp_die {
  double area_mm2;
  int kind;
  int planar;
} tpp_die;
typedef struct tpp_unit {
  double dense[10];
} tpp_unit;
typedef struct tpp_chip {
  const tpp_unit *units;
  int32_t n_units;
  const tpp_die *dies;
  int32_t n_dies;
  double area_mm2;
  double mem_bw_gbs;
  double mem_area_mm2;
  double interconnect_gbs;
} tpp_chip;
typedef struct tpp_metrics {
  double tpp;
  int32_t tpp_precision;
  double area_mm2;
  double pd;
  double pp;
  double mbd;
  double h100e[3];
  int32_t missing_die;
} tpp_metrics;
typedef struct tpp_spec_columns {
  int64_t n;
  const double *dense[10];
  const double *area_mm2;
  const double *mem_bw_gbs;
  const double *mem_area_mm2;
} tpp_spec_columns;
typedef struct tpp_metric_columns {
  double *tpp;
  int8_t *tpp_precision;
  double *pd;
  double *pp;
  double *mbd;
  double *h100e_tpp;
  double *h100e_8bit;
  double *h100e_fp16;
} tpp_metric_columns;
const char *tpp_version(void);
size_t tpp_error_format(const tpp_error *err, char *buf, size_t size);
const char *tpp_precision_name(int precision);
int tpp_precision_from_name(const char *name);
int tpp_precision_bits(int precision, int tf32_bits);
const char *tpp_field_name(int field);
double tpp_h100e_reference(int basis);
const char *tpp_h100e_basis_name(int basis);
void tpp_spec_options_init(tpp_spec_options *opt);
int tpp_applicable_area(const tpp_die *dies, int32_t n_dies, double *area,
                        int32_t *missing, tpp_error *err);
int tpp_chip_metrics(const tpp_chip *chip, const tpp_spec_options *opt,
                     tpp_metrics *out, tpp_error *err);
int tpp_spec_eval_batch(const tpp_spec_columns *in, const tpp_spec_options *opt,
                        const tpp_metric_columns *out, int n_threads,
                        tpp_error *err);
int tpp_cpu_count(void);
int tpp_get_threads(void);
void tpp_set_threads(int n_threads);
int tpp_isatty(int fd);
double tpp_now(void);
int tpp_interrupt_catch(int on);
int tpp_interrupt_take(void);
int tpp_wait_input(int fd, int timeout_ms);
void *tpp_alloc(size_t bytes);
void tpp_free(void *ptr);
void tpp_fill_f64(double *dst, int64_t n, double value);
void tpp_random_loguniform(double *dst, int64_t n, double lo, double hi, double unknown,
                           uint64_t seed);

/* region serve */

typedef struct tpp_serve_chip {
  double gemm_tflops;
  double attn_tflops;
  double mem_bw_gbs;
  double mem_gb;
  double scaleup_gbs;
  double scaleout_gbs;
  double scaleup_us;
  double scaleout_us;
  int32_t scaleup_size;
} tpp_serve_chip;
typedef struct tpp_serve_model {
  double dense_params;
  double resident_params;
  double expert_params;
  double weight_bytes;
  double kv_bytes_per_token;
  double attn_flops_per_ctx;
  double prefill_attn_flops_per_ctx;
  double hidden;
  double act_bytes;
  int32_t n_layers;
  int32_t moe_layers;
  int32_t n_experts;
  int32_t experts_per_token;
  int32_t kv_heads;
} tpp_serve_model;
typedef struct tpp_serve_plan {
  int32_t tp;
  int32_t pp;
  int32_t ep;
} tpp_serve_plan;
enum {
  TPP_SERVE_AGGREGATED = 0,
  TPP_SERVE_DECODE_POOL = 1,
  TPP_SERVE_PREFILL_POOL = 2
};
typedef struct tpp_serve_workload {
  int32_t batch;
  int32_t input_tokens;
  int32_t output_tokens;
  int32_t mode;
  int32_t spec_tokens;
  double spec_accept;
  double prefix_hit;
} tpp_serve_workload;
typedef struct tpp_serve_eff {
  double mem;
  double compute;
  double gemm_m_half;
  double roofline_p;
  double step_us;
  double overlap;
  double mem_reserve;
  double dispatch_bytes;
  double moe_imbalance;
} tpp_serve_eff;
typedef struct tpp_serve_config {
  tpp_serve_chip chip;
  tpp_serve_model model;
  tpp_serve_plan plan;
  tpp_serve_workload work;
  tpp_serve_eff eff;
} tpp_serve_config;
enum {
  TPP_SERVE_OK = 0,
  TPP_SERVE_WEIGHTS_DO_NOT_FIT = 1,
  TPP_SERVE_BATCH_DOES_NOT_FIT = 2,
  TPP_SERVE_TP_EXCEEDS_DOMAIN = 3,
  TPP_SERVE_NEEDS_SCALEOUT = 4,
  TPP_SERVE_LATENCY_UNMET = 5,
  TPP_SERVE_BAD_PLAN = 6
};
enum {
  TPP_SERVE_BOUND_MEMORY = 0,
  TPP_SERVE_BOUND_COMPUTE = 1,
  TPP_SERVE_BOUND_COMM = 2,
  TPP_SERVE_BOUND_OVERHEAD = 3
};
typedef struct tpp_serve_result {
  int32_t status;
  int32_t batch;
  int32_t max_batch;
  int32_t chips_per_replica;
  int32_t decode_bound;
  int32_t prefill_bound;
  double step_ms;
  double tpot_ms;
  double ttft_ms;
  double prefill_ms;
  double per_chip_output_tokens_per_s;
  double per_chip_prefill_tokens_per_s;
  double user_tokens_per_s;
  double decode_weight_bytes;
  double decode_kv_bytes;
  double decode_flops;
  double allreduce_bytes;
  double allreduce_count;
  double alltoall_bytes;
  double comm_ms;
  double mem_ms;
  double compute_ms;
  double weights_gb;
  double kv_gb;
} tpp_serve_result;
enum {
  TPP_SERVE_FIXED = 0,
  TPP_SERVE_OFFLINE = 1,
  TPP_SERVE_SERVER = 2
};
typedef struct tpp_serve_target {
  int32_t kind;
  int32_t max_batch;
  double ttft_ms;
  double tpot_ms;
} tpp_serve_target;
void tpp_serve_config_init(tpp_serve_config *cfg);
int tpp_serve_eval(const tpp_serve_config *cfg, tpp_serve_result *out, tpp_error *err);
int tpp_serve_search(const tpp_serve_config *cfg, const tpp_serve_target *target,
                     tpp_serve_result *out, tpp_error *err);
int tpp_serve_sweep(const tpp_serve_config *base, const tpp_serve_chip *chips, int64_t n_chips,
                    const tpp_serve_model *models, int64_t n_models,
                    const tpp_serve_plan *plans, int64_t n_plans,
                    const int32_t *batches, int64_t n_batches,
                    double *tok_s, double *tpot_ms, int32_t *status, int threads,
                    tpp_error *err);

/* region rules */

enum {
  TPP_OP_GE = 0,
  TPP_OP_GT = 1,
  TPP_OP_LE = 2,
  TPP_OP_LT = 3,
  TPP_OP_EQ = 4,
  TPP_OP_COUNT = 5
};
enum { TPP_TRI_FALSE = 0, TPP_TRI_TRUE = 1, TPP_TRI_UNKNOWN = 2 };
enum {
  TPP_IF_UNKNOWN_UNDETERMINED = 0,
  TPP_IF_UNKNOWN_TRUE = 1,
  TPP_IF_UNKNOWN_FALSE = 2
};
enum { TPP_RULE_INPUT_COLUMN = 0, TPP_RULE_INPUT_SUM = 1 };
enum { TPP_ROLE_CLASSIFY = 0, TPP_ROLE_POLICY = 1 };
enum { TPP_NOTE_EXCLUDE = 0, TPP_NOTE_OUTCOME = 1 };
enum {
  TPP_STATUS_NOT_CONTROLLED = 0,
  TPP_STATUS_CONTROLLED = 1,
  TPP_STATUS_UNDETERMINED = 2
};
enum { TPP_OUTCOME_NONE = -1, TPP_OUTCOME_UNDETERMINED = -2 };
enum {
  TPP_RULE_MAX_COLUMNS = 32,
  TPP_RULE_MAX_INPUTS = 32,
  TPP_RULE_MAX_TESTS = 256,
  TPP_RULE_MAX_CLAUSES = 64,
  TPP_RULE_MAX_NOTES = 32
};
typedef struct tpp_rule_input {
  int32_t kind;
  int32_t a;
  int32_t b;
} tpp_rule_input;
typedef struct tpp_rule_test {
  int32_t input;
  int32_t op;
  double threshold;
  int32_t if_unknown;
  int32_t no_near;
} tpp_rule_test;
typedef struct tpp_rule_clause {
  int32_t first_test;
  int32_t n_tests;
  int32_t role;
  int32_t outcome;
} tpp_rule_clause;
typedef struct tpp_rule_note {
  int32_t first_test;
  int32_t n_tests;
  int32_t kind;
  int32_t outcome;
  uint64_t targets;
} tpp_rule_note;
typedef struct tpp_rule_program {
  int32_t n_columns;
  int32_t n_inputs;
  tpp_rule_input inputs[32];
  int32_t n_tests;
  tpp_rule_test tests[256];
  int32_t n_clauses;
  tpp_rule_clause clauses[64];
  int32_t n_notes;
  tpp_rule_note notes[32];
  double near;
} tpp_rule_program;
typedef struct tpp_rule_detail {
  double input_value[32];
  int8_t test_state[256];
  int8_t test_near[256];
  double test_margin[256];
  double test_ratio[256];
  int8_t clause_raw[64];
  int8_t clause_state[64];
  int8_t clause_outcome[64];
  int8_t clause_near[64];
  int8_t note_state[32];
  int8_t note_near[32];
  int32_t status;
  int32_t governing;
  int32_t governing_certain;
  int32_t outcome;
  int32_t policy;
  int32_t near;
} tpp_rule_detail;
typedef struct tpp_rule_outputs {
  int8_t *status;
  int8_t *governing;
  int8_t *outcome;
  int8_t *policy;
  int8_t *near;
  int8_t *clause_state[64];
} tpp_rule_outputs;
void tpp_rule_init(tpp_rule_program *p);
int tpp_rule_check(const tpp_rule_program *p, tpp_error *err);
int tpp_rule_eval_one(const tpp_rule_program *p, const double *columns,
                      tpp_rule_detail *out, tpp_error *err);
int tpp_rule_eval_batch(const tpp_rule_program *p, const double *const *columns,
                        int64_t n, const tpp_rule_outputs *out, int n_threads,
                        tpp_error *err);
void tpp_random_flags(double *dst, int64_t n, double p_true, double unknown,
                      uint64_t seed);
void tpp_sha256(const void *data, size_t len, uint8_t *digest);
void tpp_sha256_hex(const void *data, size_t len, char *hex);

/* region tensor */

enum {
  TPP_DT_F32 = 0,
  TPP_DT_F16 = 1,
  TPP_DT_BF16 = 2,
  TPP_DT_Q8 = 3,
  TPP_DT_Q4 = 4,
  TPP_DT_COUNT = 5
};
enum {
  TPP_TENSOR_MAX_DIMS = 4,
  TPP_QBLOCK_ROWS = 16,
  TPP_QGROUP_DEFAULT = 64
};
typedef struct tpp_tensor {
  void *data;
  float *scales;
  int64_t shape[4];
  int64_t stride[4];
  int64_t numel;
  int32_t ndim;
  int32_t dtype;
  int32_t group_size;
  int32_t refcount;
  struct tpp_tensor *base;
  size_t data_bytes;
  size_t scale_bytes;
} tpp_tensor;
const char *tpp_dtype_name(int dtype);
int tpp_dtype_from_name(const char *name);
size_t tpp_dtype_size(int dtype);
tpp_tensor *tpp_tensor_new(int dtype, int32_t ndim, const int64_t *shape,
                           int32_t group_size, tpp_error *err);
tpp_tensor *tpp_tensor_view(tpp_tensor *base, int32_t ndim, const int64_t *shape,
                            const int64_t *stride, int64_t offset, tpp_error *err);
tpp_tensor *tpp_tensor_retain(tpp_tensor *t);
void tpp_tensor_release(tpp_tensor *t);
int tpp_tensor_is_contiguous(const tpp_tensor *t);
int64_t tpp_tensor_offset(const tpp_tensor *t);
int tpp_tensor_get(const tpp_tensor *t, const int64_t *index, double *out, tpp_error *err);
int tpp_tensor_set(tpp_tensor *t, const int64_t *index, double value, tpp_error *err);
int tpp_tensor_get_flat(const tpp_tensor *t, int64_t i, double *out, tpp_error *err);
int tpp_tensor_set_flat(tpp_tensor *t, int64_t i, double value, tpp_error *err);
int tpp_tensor_read_f64(const tpp_tensor *t, double *out, int64_t n, tpp_error *err);
int tpp_tensor_write_f64(tpp_tensor *t, const double *in, int64_t n, tpp_error *err);
int tpp_tensor_fill(tpp_tensor *t, double value, tpp_error *err);
int tpp_tensor_fill_random(tpp_tensor *t, uint64_t seed, double lo, double hi, tpp_error *err);
int tpp_tensor_copy(tpp_tensor *dst, const tpp_tensor *src, tpp_error *err);
tpp_tensor *tpp_tensor_convert(const tpp_tensor *src, int dtype, int32_t group_size,
                               tpp_error *err);
float tpp_f16_to_f32(uint16_t h);
uint16_t tpp_f32_to_f16(float f);
float tpp_bf16_to_f32(uint16_t h);
uint16_t tpp_f32_to_bf16(float f);

/* region kernels */

enum {
  TPP_ISA_SCALAR = 0,
  TPP_ISA_AVX2 = 1,
  TPP_ISA_AVX512 = 2
};
int tpp_isa_detected(void);
int tpp_isa_active(void);
int tpp_isa_set(int isa);
const char *tpp_isa_name(int isa);
int tpp_linear(tpp_tensor *y, const tpp_tensor *x, const tpp_tensor *w, tpp_error *err);
int tpp_matmul(tpp_tensor *c, const tpp_tensor *a, const tpp_tensor *b, tpp_error *err);
int tpp_rmsnorm(tpp_tensor *out, const tpp_tensor *x, const tpp_tensor *w, double eps,
                tpp_error *err);
int tpp_softmax(tpp_tensor *x, tpp_error *err);
int tpp_rope(tpp_tensor *x, int64_t pos, int32_t head_size, double theta, tpp_error *err);
int tpp_silu(tpp_tensor *x, tpp_error *err);
int tpp_swiglu(tpp_tensor *out, const tpp_tensor *gate, const tpp_tensor *up, tpp_error *err);
int tpp_attention(tpp_tensor *out, const tpp_tensor *q, const tpp_tensor *k_cache,
                  const tpp_tensor *v_cache, int64_t pos, int32_t n_heads,
                  int32_t n_kv_heads, tpp_error *err);
int tpp_argmax(const tpp_tensor *x, int64_t *index, tpp_error *err);
typedef struct tpp_sampler {
  uint64_t rng_state;
  float temperature;
  float top_p;
  int32_t vocab_size;
  void *scratch;
} tpp_sampler;
tpp_sampler *tpp_sampler_new(int32_t vocab_size, double temperature, double top_p,
                             uint64_t seed, tpp_error *err);
void tpp_sampler_free(tpp_sampler *s);
int32_t tpp_sampler_sample(tpp_sampler *s, float *logits);
float tpp_sampler_random(tpp_sampler *s);

/* region model */

enum {
  TPP_CKPT_V0 = 0,
  TPP_CKPT_Q8 = 2,
  TPP_CKPT_Q4 = 4
};
typedef struct tpp_model_config {
  int32_t dim;
  int32_t hidden_dim;
  int32_t n_layers;
  int32_t n_heads;
  int32_t n_kv_heads;
  int32_t vocab_size;
  int32_t seq_len;
  int32_t shared_classifier;
  int32_t group_size;
  int32_t format;
  int64_t file_bytes;
  int64_t n_params;
} tpp_model_config;
typedef struct tpp_model tpp_model;
typedef struct tpp_tokenizer tpp_tokenizer;
int tpp_checkpoint_info(const char *path, tpp_model_config *cfg, tpp_error *err);
int tpp_checkpoint_parse(const uint8_t *bytes, size_t size, tpp_model_config *cfg,
                         tpp_error *err);
tpp_model *tpp_model_load(const char *path, int32_t weight_dtype, int32_t group_size,
                          tpp_error *err);
tpp_model *tpp_model_load_bytes(const uint8_t *bytes, size_t size, int32_t weight_dtype,
                                int32_t group_size, tpp_error *err);
void tpp_model_free(tpp_model *m);
void tpp_model_config_get(const tpp_model *m, tpp_model_config *cfg);
int32_t tpp_model_weight_dtype(const tpp_model *m);
int32_t tpp_model_group_size(const tpp_model *m);
int64_t tpp_model_weight_bytes(const tpp_model *m);
int64_t tpp_model_kv_bytes(const tpp_model *m, int64_t pos);
double tpp_model_flops(const tpp_model *m, int64_t n_tokens, int64_t pos);
int tpp_model_forward(tpp_model *m, const int32_t *tokens, int32_t n_tokens, int32_t pos,
                      tpp_error *err);
float *tpp_model_logits(tpp_model *m);
int tpp_model_write_random(const char *path, const tpp_model_config *cfg, uint64_t seed,
                           tpp_error *err);
int tpp_checkpoint_quantize(const char *in_path, const char *out_path, int32_t format,
                            int32_t group_size, tpp_error *err);
tpp_tokenizer *tpp_tokenizer_load(const char *path, int32_t vocab_size, tpp_error *err);
tpp_tokenizer *tpp_tokenizer_parse(const uint8_t *bytes, size_t size, int32_t vocab_size,
                                   tpp_error *err);
void tpp_tokenizer_free(tpp_tokenizer *t);
int32_t tpp_tokenizer_vocab_size(const tpp_tokenizer *t);
int tpp_tokenizer_encode(const tpp_tokenizer *t, const char *text, int32_t bos, int32_t eos,
                         int32_t *tokens, int32_t max_tokens, int32_t *n_tokens,
                         tpp_error *err);
const char *tpp_tokenizer_decode(tpp_tokenizer *t, int32_t prev, int32_t token, size_t *len);
int tpp_tokenizer_write_synthetic(const char *path, int32_t vocab_size, tpp_error *err);

/* region bench */

int tpp_bench_membw(int64_t bytes, int32_t n_threads, double seconds, double *gbs,
                    tpp_error *err);
int tpp_bench_sgemm(int64_t m, int64_t n, int64_t k, double seconds, double *gflops,
                    tpp_error *err);
int tpp_bench_sgemv(int64_t m, int64_t n, int64_t bytes, double seconds, double *gbs,
                    tpp_error *err);
int tpp_bench_dgemm(int64_t m, int64_t n, int64_t k, double seconds, double *gflops,
                    tpp_error *err);
const char *tpp_blas_info(void);
const char *tpp_cpu_name(void);

/* region csv */

enum {
  TPP_CSV_SKIP = 0,
  TPP_CSV_NUMBER = 1,
  TPP_CSV_FLAG = 2,
  TPP_CSV_DATE = 3,
  TPP_CSV_TEXT = 4,
  TPP_CSV_ENUM = 5
};
enum {
  TPP_CSV_E_NUMBER = 1,
  TPP_CSV_E_RANGE = 2,
  TPP_CSV_E_INTEGER = 3,
  TPP_CSV_E_REQUIRED = 4,
  TPP_CSV_E_FLAG = 5,
  TPP_CSV_E_DATE = 6,
  TPP_CSV_E_ENUM = 7,
  TPP_CSV_E_FIELDS = 8,
  TPP_CSV_E_QUOTE = 9,
  TPP_CSV_E_UNCLOSED = 10,
  TPP_CSV_E_UTF8 = 11,
  TPP_CSV_E_TOO_LONG = 12,
  TPP_CSV_E_UTF16 = 13,
  TPP_CSV_E_EMPTY = 14
};
enum {
  TPP_CSV_MAX_ROW = 4194304,
  TPP_CSV_MAX_FIELDS = 4096,
  TPP_CSV_MAX_TEXT = 4096
};
typedef struct tpp_csv_column {
  int32_t kind;
  int32_t required;
  int32_t integer;
  int32_t thousands;
  int32_t min_exclusive;
  double min;
  double max;
  const char *choices;
  double *out;
  double *out2;
  int32_t text_slot;
} tpp_csv_column;
typedef struct tpp_csv_issue {
  int64_t row;
  int64_t line;
  int32_t field;
  int32_t code;
  int32_t n_fields;
  double value;
  char text[80];
} tpp_csv_issue;
typedef struct tpp_csv tpp_csv;
tpp_csv *tpp_csv_open(const char *path, tpp_error *err);
tpp_csv *tpp_csv_open_bytes(const uint8_t *bytes, size_t size, tpp_error *err);
tpp_csv *tpp_csv_open_stdin(const uint8_t *prefix, size_t size, tpp_error *err);
void tpp_csv_close(tpp_csv *r);
int tpp_csv_header(tpp_csv *r, int32_t *n_fields, tpp_csv_issue *issue, tpp_error *err);
const char *tpp_csv_field_name(const tpp_csv *r, int32_t field);
int64_t tpp_csv_header_line(const tpp_csv *r);
int tpp_csv_read(tpp_csv *r, const tpp_csv_column *plan, int64_t max_rows, int64_t *n_rows,
                 tpp_csv_issue *issues, int32_t max_issues, int32_t *n_issues, tpp_error *err);
int64_t tpp_csv_row_number(const tpp_csv *r, int64_t i);
int64_t tpp_csv_row_line(const tpp_csv *r, int64_t i);
const char *tpp_csv_text(const tpp_csv *r, int32_t slot, int64_t i, size_t *len);
int tpp_csv_at_end(const tpp_csv *r);
int64_t tpp_csv_rows_seen(const tpp_csv *r);
int tpp_parse_number(const char *s, size_t len, int32_t thousands, double *value);

/* region out */

typedef struct tpp_chip_rule_columns {
  int64_t n;
  double *fp64;
  const double *fp64_vector;
  double *hbm;
  const double *hbm_from_type;
  const double *form_memory;
  const double *tpp;
  double *memory_item;
  double *first_marketed;
  const double *year;
} tpp_chip_rule_columns;
int tpp_chip_rule_inputs(const tpp_chip_rule_columns *c, tpp_error *err);
int tpp_rule_missing(const tpp_rule_program *p, const double *const *columns, int64_t n,
                     const int8_t *status, const int8_t *near, double *masks, int64_t *counts,
                     tpp_error *err);
typedef struct tpp_writer tpp_writer;
tpp_writer *tpp_writer_open(const char *path, const char *avoid, tpp_error *err);
int tpp_writer_write(tpp_writer *o, const char *bytes, size_t len, tpp_error *err);
int tpp_writer_commit(tpp_writer *o, tpp_error *err);
void tpp_writer_close(tpp_writer *o);
int64_t tpp_writer_bytes(const tpp_writer *o);
enum {
  TPP_PART_CONST = 0,
  TPP_PART_SELECT = 1,
  TPP_PART_NUMBER = 2,
  TPP_PART_TEXT = 3,
  TPP_PART_ROW = 4,
  TPP_PART_MASK = 5,
  TPP_PART_FLAG = 6
};
enum { TPP_QUOTE_NONE = 0, TPP_QUOTE_JSON = 1, TPP_QUOTE_CSV = 2 };
typedef struct tpp_out_part {
  int32_t kind;
  int32_t quote;
  const char *text;
  const int8_t *i8;
  int32_t offset;
  int32_t n_choices;
  const char *const *choices;
  const int32_t *order;
  const double *f64;
  const char *null_text;
  int32_t slot;
} tpp_out_part;
int tpp_writer_rows(tpp_writer *o, const tpp_out_part *parts, int32_t n_parts, const tpp_csv *reader,
                 int64_t n_rows, int n_threads, tpp_error *err);
int tpp_temp_dir(const char *prefix, char *buf, size_t size, tpp_error *err);
int64_t tpp_children_peak_kb(void);
size_t tpp_format_double(double v, char *buf);

/* region screen */

enum {
  TPP_SCREEN_NO_LICENCE = 0,
  TPP_SCREEN_LICENCE = 1,
  TPP_SCREEN_PROHIBITED = 2,
  TPP_SCREEN_UNDETERMINED = 3
};
typedef struct tpp_screen_table {
  int32_t n_segments;
  int32_t n_chips;
  int32_t n_dests;
  int32_t n_hqs;
  int32_t n_dclasses;
  int32_t n_hclasses;
  int32_t *seg_start;
  int16_t *dest_class;
  int16_t *hq_class;
  int8_t *decision;
  int8_t *review;
  uint32_t *regimes;
} tpp_screen_table;
tpp_screen_table *tpp_screen_table_new(int32_t n_segments, int32_t n_chips, int32_t n_dests,
                                       int32_t n_hqs, int32_t n_dclasses, int32_t n_hclasses,
                                       tpp_error *err);
void tpp_screen_table_free(tpp_screen_table *t);
int tpp_screen_table_check(const tpp_screen_table *t, tpp_error *err);
int tpp_screen_batch(const tpp_screen_table *t, const double *chip, const double *dest,
                     const double *hq, const double *date, int64_t n, int8_t *decision,
                     int8_t *review, double *regimes, int n_threads, tpp_error *err);

]==]
