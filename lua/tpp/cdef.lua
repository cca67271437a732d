-- Generated from include/tpp.h by bin/gen-cdef.lua; do not edit.
-- Regenerate with: make cdef
return [==[
/* region core */

enum {
  TPP_VERSION_MAJOR = 0,
  TPP_VERSION_MINOR = 1,
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
void *tpp_alloc(size_t bytes);
void tpp_free(void *ptr);
void tpp_fill_f64(double *dst, int64_t n, double value);

/* region infer */

typedef struct tpp_infer_hw {
  double peak_tflops;
  double mem_bw_gbs;
  double mem_gb;
  double link_gbs;
} tpp_infer_hw;
typedef struct tpp_infer_model {
  double weight_bytes;
  double dense_weight_bytes;
  double expert_bytes;
  double active_params;
  double kv_bytes_per_token;
  double attn_flops_per_ctx;
  double hidden_bytes;
  int32_t n_layers;
  int32_t n_experts;
  int32_t experts_per_token;
  int32_t moe_layers;
} tpp_infer_model;
typedef struct tpp_infer_scenario {
  int32_t batch;
  int32_t prompt_tokens;
  int32_t output_tokens;
  int32_t tp;
  double eff_compute;
  double eff_mem;
  double allreduce_us;
  double step_overhead_us;
  double mem_reserve;
} tpp_infer_scenario;
enum {
  TPP_BOUND_MEMORY = 0,
  TPP_BOUND_COMPUTE = 1,
  TPP_BOUND_COMM = 2
};
typedef struct tpp_infer_result {
  double prefill_ms;
  double decode_ms;
  double decode_tokens_per_s;
  double user_tokens_per_s;
  double prefill_tokens_per_s;
  double decode_bytes;
  double decode_flops;
  double prefill_flops;
  double weights_gb;
  double kv_gb;
  double intensity;
  double ridge;
  double comm_ms;
  int32_t decode_bound;
  int32_t prefill_bound;
  int32_t fits;
  int32_t max_batch;
} tpp_infer_result;
void tpp_infer_scenario_init(tpp_infer_scenario *sc);
int tpp_infer_eval(const tpp_infer_hw *hw, const tpp_infer_model *model,
                   const tpp_infer_scenario *sc, tpp_infer_result *out,
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

]==]
