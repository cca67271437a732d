/*
 * tpp.h - the public C API of the tpp core.
 *
 * One header serves two bindings: the Lua C API glue in csrc/lua/ includes it,
 * and the build extracts every region between a TPP_FFI_BEGIN and a TPP_FFI_END
 * marker into lua/tpp/cdef.lua for LuaJIT's ffi.cdef. Those regions must stay
 * preprocessor-free (no #define, no #if): constants are enums, every function
 * has a full prototype.
 *
 * Conventions:
 *   - Every function that can fail returns an int status (TPP_OK == 0) and fills
 *     a caller-provided tpp_error; nothing here exits, aborts or longjmps.
 *   - An unknown input is NaN. A negative or infinite input is an error that
 *     names the row and the field; an unknown input makes the outputs that
 *     depend on it NaN ("unknown"), never zero.
 *   - Throughput figures are dense peak tera-operations per second.
 */
#ifndef TPP_H
#define TPP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* TPP_FFI_BEGIN core */

enum {
  TPP_VERSION_MAJOR = 0,
  TPP_VERSION_MINOR = 2,
  TPP_VERSION_PATCH = 0
};

/* Status codes. */
enum {
  TPP_OK = 0,
  TPP_E_ARG = 1,        /* a value is out of its domain (negative, infinite, zero area) */
  TPP_E_UNKNOWN = 2,    /* a name (precision, field) the core does not know */
  TPP_E_NOMEM = 3,      /* an allocation failed */
  TPP_E_SHAPE = 4,      /* sizes or shapes that do not fit together */
  TPP_E_IO = 5,         /* a file could not be read or written */
  TPP_E_FORMAT = 6,     /* a file or buffer does not have the expected layout */
  TPP_E_UNSUPPORTED = 7 /* the request is valid but this build cannot do it */
};

/* Error detail filled by any failing call; tpp_error_format() renders it. */
typedef struct tpp_error {
  int code;            /* one of the TPP_E_* values */
  int64_t row;         /* batch row (0-based) or -1 */
  int field;           /* a tpp_field value or -1 */
  double value;        /* the offending value, when there is one */
  char message[256];   /* what was expected and what to do */
} tpp_error;

/* Precisions a MAC can run at. Bit lengths are those of the 3A090 technical
 * note ("largest bit length of the inputs to the multiply"). */
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

/* Named scalar inputs and outputs, used in error details and by the rules. */
enum {
  TPP_FIELD_DENSE = 0,        /* + precision index: dense[p] */
  TPP_FIELD_AREA = 10,        /* applicable die area, mm2 */
  TPP_FIELD_MEM_BW = 11,      /* memory bandwidth, GB/s */
  TPP_FIELD_MEM_AREA = 12,    /* package/stack area for bandwidth density, mm2 */
  TPP_FIELD_INTERCONNECT = 13,/* aggregate bidirectional I/O, GB/s */
  TPP_FIELD_TF32_BITS = 14,
  TPP_FIELD_DIE = 15,         /* a die entry */
  TPP_FIELD_UNIT = 16,        /* a processing-unit entry */
  TPP_FIELD_COUNT = 17
};

/* How TF32 enters the maximum: excluded (default: the 3A090 Technical Note
 * counts the "bit length of the operation", and TF32 carries 19 significant
 * bits in a 32-bit container), or counted at 19 or 32 bits. */
enum {
  TPP_TF32_EXCLUDED = 0,
  TPP_TF32_19 = 19,
  TPP_TF32_32 = 32
};

/* How processing units combine (3A090 Technical Notes 1(d) and 2, 88 FR
 * 73458): the maximum over precisions of the per-precision sums (default), or
 * the sum over units of each unit's own maximum (an upper-bound reading). */
enum {
  TPP_UNITS_MAX_OF_SUMS = 0,
  TPP_UNITS_SUM_OF_MAXES = 1
};

/* Bases of H100-equivalents; the basis always travels with the number. */
enum {
  TPP_H100E_TPP = 0,    /* TPP / 15832 */
  TPP_H100E_8BIT = 1,   /* dense 8-bit OP/s (max of int8, fp8) / 1979 TOPS */
  TPP_H100E_FP16 = 2,   /* dense FP16/BF16 tensor FLOP/s / 989.4 TFLOPS */
  TPP_H100E_COUNT = 3
};

/* Die kinds for the applicable-die-area sum. */
enum {
  TPP_DIE_LOGIC = 0,    /* counted when made on a non-planar node */
  TPP_DIE_MEMORY = 1,   /* DRAM/HBM stacks: never counted */
  TPP_DIE_OTHER = 2     /* dummy or structural silicon: never counted */
};

typedef struct tpp_spec_options {
  int tf32_bits;        /* TPP_TF32_EXCLUDED, TPP_TF32_19 or TPP_TF32_32 */
  int unit_mode;        /* TPP_UNITS_MAX_OF_SUMS or TPP_UNITS_SUM_OF_MAXES */
} tpp_spec_options;

typedef struct tpp_die {
  double area_mm2;      /* NaN if not known */
  int kind;             /* TPP_DIE_* */
  int planar;           /* 1 planar transistors, 0 non-planar (FinFET/GAA) */
} tpp_die;

/* One processing unit: dense TOPS per precision, NaN where not supported. */
typedef struct tpp_unit {
  double dense[10];     /* [TPP_PREC_COUNT] */
} tpp_unit;

/* A chip as the metric core sees it. */
typedef struct tpp_chip {
  const tpp_unit *units;   /* n_units >= 1 */
  int32_t n_units;
  const tpp_die *dies;     /* may be NULL when area_mm2 is given */
  int32_t n_dies;
  double area_mm2;         /* applicable die area if dies == NULL; NaN unknown */
  double mem_bw_gbs;       /* NaN unknown */
  double mem_area_mm2;     /* area of the memory package or stack; NaN unknown */
  double interconnect_gbs; /* aggregate bidirectional; NaN unknown */
} tpp_chip;

/* Every metric of one chip. NaN means unknown. */
typedef struct tpp_metrics {
  double tpp;              /* 2 x MacTOPS x bit length, max over precisions */
  int32_t tpp_precision;   /* TPP_PREC_* that set the maximum, or TPP_PREC_NONE */
  double area_mm2;         /* applicable die area used for PD */
  double pd;               /* TPP / applicable die area */
  double pp;               /* 3A991.p processing performance: 2 x MacTOPS, max */
  double mbd;              /* memory bandwidth density, GB/s per mm2 */
  double h100e[3];         /* [TPP_H100E_COUNT] */
  int32_t missing_die;     /* index of the first die without an area, or -1 */
} tpp_metrics;

/* Structure-of-arrays batch: n chips, one column per input. A NULL column is
 * "unknown for every row"; inside a column NaN is "unknown for this row". */
typedef struct tpp_spec_columns {
  int64_t n;
  const double *dense[10];     /* [TPP_PREC_COUNT] */
  const double *area_mm2;
  const double *mem_bw_gbs;
  const double *mem_area_mm2;
} tpp_spec_columns;

/* Output columns; any NULL column is skipped (not computed). */
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

/* Version as "major.minor.patch". */
const char *tpp_version(void);

/* Render an error as one line: field, value, what was expected. */
size_t tpp_error_format(const tpp_error *err, char *buf, size_t size);

/* Precision names ("fp64", ..., "int4") and their bit lengths. */
const char *tpp_precision_name(int precision);
int tpp_precision_from_name(const char *name);
int tpp_precision_bits(int precision, int tf32_bits);

/* Field names as used in error messages ("dense.fp8", "area_mm2", ...). */
const char *tpp_field_name(int field);

/* The H100 reference value of a basis (15832, 1979 or 989.4), its name. */
double tpp_h100e_reference(int basis);
const char *tpp_h100e_basis_name(int basis);

void tpp_spec_options_init(tpp_spec_options *opt);

/* Applicable die area: sum of non-planar logic dies. Sets *missing to the
 * first qualifying die with an unknown area (result NaN), else -1. */
int tpp_applicable_area(const tpp_die *dies, int32_t n_dies, double *area,
                        int32_t *missing, tpp_error *err);

/* All metrics of one chip. */
int tpp_chip_metrics(const tpp_chip *chip, const tpp_spec_options *opt,
                     tpp_metrics *out, tpp_error *err);

/* The same metrics for n chips at once, on n_threads threads (0 = all cores).
 * Fails on the first invalid row and reports it; outputs are then undefined. */
int tpp_spec_eval_batch(const tpp_spec_columns *in, const tpp_spec_options *opt,
                        const tpp_metric_columns *out, int n_threads,
                        tpp_error *err);

/* Threads: the number of cores this process may use, and the default pool
 * size used when a caller passes 0. */
int tpp_cpu_count(void);
int tpp_get_threads(void);
void tpp_set_threads(int n_threads);

/* 1 when file descriptor fd is a terminal (progress output goes there). */
int tpp_isatty(int fd);

/* Wall-clock seconds from a monotonic clock, for benchmarks. */
double tpp_now(void);

/* ---- interactive interrupts (the REPL) ----
 * tpp_interrupt_catch(1): from now on SIGINT (Ctrl-C) is only recorded, and
 * a read waiting for input returns early (no SA_RESTART), so an interactive
 * loop can cancel the line and go on; a second SIGINT before the first was
 * taken terminates the process as SIGINT does by default.
 * tpp_interrupt_catch(0) puts back the handler that was there before.
 * Returns 0, or -1 if sigaction failed. */
int tpp_interrupt_catch(int on);
/* 1 when SIGINT arrived since the last call (and forgets it), else 0. */
int tpp_interrupt_take(void);
/* Wait until fd has input: 1 when it has, 0 after timeout_ms (-1 = no
 * timeout), -1 when a signal (Ctrl-C) or an error cut the wait short. */
int tpp_wait_input(int fd, int timeout_ms);

/* 64-byte aligned memory outside any Lua heap; tpp_free(NULL) is a no-op.
 * Returns NULL when bytes is 0 or the allocation fails. */
void *tpp_alloc(size_t bytes);
void tpp_free(void *ptr);

/* Fill dst[0..n) with a constant; NaN fills with "unknown". */
void tpp_fill_f64(double *dst, int64_t n, double value);

/* dst[0..n): log-uniform values in [lo, hi) from a xorshift64* stream, a
 * fraction `unknown` of them NaN. The same seed gives the same column in
 * every binding (benchmarks and property tests). Needs 0 < lo < hi. */
void tpp_random_loguniform(double *dst, int64_t n, double lo, double hi, double unknown,
                           uint64_t seed);

/* TPP_FFI_END core */

/* TPP_FFI_BEGIN serve */

/*
 * Serving model (csrc/serve.c): how fast a deployment of chips serves an LLM.
 * One forward step of a pipeline stage on one chip is a sum of per-operator
 * rooflines plus communication and a fixed step cost:
 *
 *   t = R(dense weight bytes / (BW e_mem), dense FLOPs / (peak e_compute))
 *     + R(routed-expert bytes / (BW e_mem), expert FLOPs / (peak e_compute))
 *     + R(KV bytes / (BW e_mem), attention FLOPs / (attn peak e_compute))
 *     + (1 - overlap) (tensor-parallel all-reduces + expert all-to-alls)
 *     + step overhead,    R(a, b) = (a^p + b^p)^(1/p) (max(a, b) when p = 0)
 *
 * Every efficiency is an input (the caller's calibrated table supplies them);
 * docs/serving-model.md derives each term. Units: bytes, FLOPs, ms, GB/s.
 */

typedef struct tpp_serve_chip {
  double gemm_tflops;        /* dense peak at the matmul precision, TFLOPS */
  double attn_tflops;        /* dense peak for attention math, TFLOPS */
  double mem_bw_gbs;         /* memory bandwidth per chip, GB/s */
  double mem_gb;             /* memory capacity per chip, GB */
  double scaleup_gbs;        /* per-direction bandwidth per chip inside a scale-up domain, GB/s */
  double scaleout_gbs;       /* per-direction bandwidth per chip to other domains, GB/s (0 = unknown) */
  double scaleup_us;         /* fixed latency of one collective inside the domain, us */
  double scaleout_us;        /* fixed latency of one collective across domains, us */
  int32_t scaleup_size;      /* chips in one scale-up domain (8-GPU node, NVL72, CloudMatrix384) */
} tpp_serve_chip;

typedef struct tpp_serve_model {
  double dense_params;       /* parameters every token multiplies: attention, dense FFN, shared experts, LM head */
  double resident_params;    /* every parameter held in memory (adds embeddings and all routed experts) */
  double expert_params;      /* one routed expert of one layer (0 for dense models) */
  double weight_bytes;       /* bytes per parameter (4-bit formats with block scales: 4.5/8) */
  double kv_bytes_per_token; /* KV cache per token of context, all layers, at the KV precision */
  double attn_flops_per_ctx; /* attention FLOPs per query token per context token, all layers (decode) */
  double prefill_attn_flops_per_ctx; /* the same for prompt tokens (MLA expands heads); 0 = as decode */
  double hidden;             /* model width (activation values per token) */
  double act_bytes;          /* bytes per activation value in collectives (2 = 16-bit) */
  int32_t n_layers;
  int32_t moe_layers;        /* layers with routed experts */
  int32_t n_experts;         /* routed experts per MoE layer (0 = dense) */
  int32_t experts_per_token; /* routed experts each token uses */
  int32_t kv_heads;          /* KV heads split by tensor parallelism; 0 = a latent (MLA) cache every TP rank keeps whole */
} tpp_serve_model;

typedef struct tpp_serve_plan {
  int32_t tp;                /* tensor-parallel degree of attention and dense layers */
  int32_t pp;                /* pipeline stages */
  int32_t ep;                /* chips the routed experts are spread over in a stage (1 = none) */
} tpp_serve_plan;

/* What the chips do: both phases (continuous batching with chunked prefill),
 * or one pool of a disaggregated deployment. */
enum {
  TPP_SERVE_AGGREGATED = 0,
  TPP_SERVE_DECODE_POOL = 1,
  TPP_SERVE_PREFILL_POOL = 2
};

typedef struct tpp_serve_workload {
  int32_t batch;             /* sequences in flight per replica (decode), or prompts per prefill pass */
  int32_t input_tokens;      /* prompt length */
  int32_t output_tokens;     /* generated length */
  int32_t mode;              /* TPP_SERVE_AGGREGATED, _DECODE_POOL or _PREFILL_POOL */
  int32_t spec_tokens;       /* draft tokens verified per decode step (speculative / MTP; 0 = none) */
  double spec_accept;        /* mean draft tokens accepted per step, [0, spec_tokens] */
  double prefix_hit;         /* fraction of prompt tokens served from a prefix cache, [0, 1) */
} tpp_serve_workload;

typedef struct tpp_serve_eff {
  double mem;                /* fraction of peak bandwidth streaming weights and KV, (0, 1] */
  double compute;            /* fraction of peak FLOPS in matmuls and attention, (0, 1] */
  double gemm_m_half;        /* rows per weight matrix at which a matmul reaches half of `compute`
                                (small decode batches and MoE experts run slower); 0 = no such loss */
  double roofline_p;         /* sharpness of each roofline: t = (t_mem^p + t_flops^p)^(1/p); 0 = max() */
  double step_us;            /* fixed cost per forward step (launch, scheduler), us */
  double overlap;            /* fraction of communication hidden behind compute, [0, 1) */
  double mem_reserve;        /* fraction of memory not usable for weights and KV, [0, 1) */
  double dispatch_bytes;     /* bytes per activation value in the expert dispatch (1 = FP8) */
  double moe_imbalance;      /* busiest chip's expert load over the mean, >= 1 */
} tpp_serve_eff;

typedef struct tpp_serve_config {
  tpp_serve_chip chip;
  tpp_serve_model model;
  tpp_serve_plan plan;
  tpp_serve_workload work;
  tpp_serve_eff eff;
} tpp_serve_config;

/* Why a deployment cannot run (status of a result; errors are for bad input). */
enum {
  TPP_SERVE_OK = 0,
  TPP_SERVE_WEIGHTS_DO_NOT_FIT = 1,   /* the weights alone exceed usable memory per chip */
  TPP_SERVE_BATCH_DOES_NOT_FIT = 2,   /* weights fit, the KV cache of this batch does not */
  TPP_SERVE_TP_EXCEEDS_DOMAIN = 3,    /* tensor parallelism wider than the scale-up domain */
  TPP_SERVE_NEEDS_SCALEOUT = 4,       /* the plan crosses domains and the scale-out link is unknown */
  TPP_SERVE_LATENCY_UNMET = 5,        /* no batch meets the latency targets */
  TPP_SERVE_BAD_PLAN = 6              /* experts spread over chips that do not split evenly into TP groups */
};

/* Which term dominates a step. */
enum {
  TPP_SERVE_BOUND_MEMORY = 0,
  TPP_SERVE_BOUND_COMPUTE = 1,
  TPP_SERVE_BOUND_COMM = 2,
  TPP_SERVE_BOUND_OVERHEAD = 3
};

typedef struct tpp_serve_result {
  int32_t status;            /* TPP_SERVE_OK or why not */
  int32_t batch;             /* sequences in flight per replica (the searched one for a target) */
  int32_t max_batch;         /* largest batch whose KV fits (0 if the weights do not) */
  int32_t chips_per_replica; /* tp x pp x (ep / tp when experts span more chips) */
  int32_t decode_bound;      /* TPP_SERVE_BOUND_* */
  int32_t prefill_bound;
  double step_ms;            /* one decode (or mixed, or prefill) step of the replica, all stages */
  double tpot_ms;            /* time per output token seen by one user */
  double ttft_ms;            /* time to first token (NaN for a decode pool alone) */
  double prefill_ms;         /* one prompt's prefill through all stages */
  double per_chip_output_tokens_per_s;
  double per_chip_prefill_tokens_per_s; /* prompt tokens (cached ones included) per second per chip */
  double user_tokens_per_s;  /* 1000 / tpot_ms */
  /* one decode step, per chip of the first stage (exact quantities for tests) */
  double decode_weight_bytes;  /* dense + touched expert weights read */
  double decode_kv_bytes;      /* KV cache read */
  double decode_flops;         /* matmul + attention FLOPs */
  double allreduce_bytes;      /* one tensor-parallel all-reduce message (before the ring factor) */
  double allreduce_count;      /* all-reduces per step per stage */
  double alltoall_bytes;       /* bytes one chip sends per step in expert dispatch + combine */
  double comm_ms;              /* communication per step per stage, before overlap */
  double mem_ms;               /* per stage step: time the bytes alone would take */
  double compute_ms;           /* per stage step: time the FLOPs alone would take */
  double weights_gb;           /* weights per chip */
  double kv_gb;                /* KV cache per chip at this batch, full length */
} tpp_serve_result;

/* Latency targets for tpp_serve_search. */
enum {
  TPP_SERVE_FIXED = 0,       /* evaluate the workload's batch */
  TPP_SERVE_OFFLINE = 1,     /* the batch with the highest throughput that fits */
  TPP_SERVE_SERVER = 2       /* the highest-throughput batch meeting ttft_ms and tpot_ms */
};

typedef struct tpp_serve_target {
  int32_t kind;              /* TPP_SERVE_FIXED, _OFFLINE or _SERVER */
  int32_t max_batch;         /* engine limit on sequences per replica (0 = none) */
  double ttft_ms;            /* server: time-to-first-token target (0 = none) */
  double tpot_ms;            /* server: time-per-output-token target (0 = none) */
} tpp_serve_target;

/* Defaults: a 1-chip plan, batch 1, 1024 in / 256 out, efficiencies 0.7/0.5,
 * no row-count loss (gemm_m_half 0), a sharp roofline (roofline_p 0). */
void tpp_serve_config_init(tpp_serve_config *cfg);

/* One configuration at its batch. Bad input -> error naming the field; an
 * impossible deployment -> TPP_OK with out->status saying why. */
int tpp_serve_eval(const tpp_serve_config *cfg, tpp_serve_result *out, tpp_error *err);

/* The batch a target asks for, then its evaluation. When no batch meets a
 * server target, out holds batch 1 with status TPP_SERVE_LATENCY_UNMET. */
int tpp_serve_search(const tpp_serve_config *cfg, const tpp_serve_target *target,
                     tpp_serve_result *out, tpp_error *err);

/* A sweep over chips x models x plans x batches (structure of arrays out,
 * index ((c * n_models + m) * n_plans + p) * n_batches + b), every other input
 * from base. tok_s: per-chip output tokens/s (NaN when infeasible); tpot_ms;
 * status: TPP_SERVE_*. threads 0 = all cores. */
int tpp_serve_sweep(const tpp_serve_config *base, const tpp_serve_chip *chips, int64_t n_chips,
                    const tpp_serve_model *models, int64_t n_models,
                    const tpp_serve_plan *plans, int64_t n_plans,
                    const int32_t *batches, int64_t n_batches,
                    double *tok_s, double *tpot_ms, int32_t *status, int threads,
                    tpp_error *err);

/* TPP_FFI_END serve */
/* TPP_FFI_BEGIN rules */

/*
 * Compiled rule programs (csrc/rule.c). A rule version (one Lua file in
 * lua/tpp/rules/) compiles to one tpp_rule_program: threshold tests on input columns,
 * clauses that are conjunctions of tests, and notes that exclude clauses or
 * change their outcome. Evaluation is three-valued: a NaN input makes its
 * test unknown (unless the test says otherwise), and unknown propagates to
 * "undetermined", never to "not controlled".
 *
 * Row semantics (tpp_rule_eval_one and tpp_rule_eval_batch agree exactly):
 *   test    value OP threshold; NaN -> if_unknown (default unknown)
 *   clause  true if every test is true, false if any is false, else unknown
 *   note    the same over its own tests
 *   exclude clause := clause AND NOT note, for every targeted clause
 *   outcome targeted clause's outcome := note.outcome when the note is true;
 *           undetermined when the note is unknown (a later true note wins)
 *   status  controlled if a classification clause is true; undetermined if
 *           none is true and one is unknown; otherwise not controlled
 *   governing  the first true classification clause (clauses are stored in
 *           precedence order); certain unless an earlier one is unknown
 *   policy  the first true policy clause; -2 if an earlier or only one is unknown
 *   near    a screening flag: a test (not EQ, not no_near) whose value is
 *           within near * |threshold| of its line, in a clause or note where
 *           no other test is false; a note counts only where a clause it
 *           targets is not false before notes. (tpp.rules.classify then keeps
 *           the lines whose crossing changes the answer.)
 */

/* Comparators: value OP threshold. EQ is for flags (1 true, 0 false). */
enum {
  TPP_OP_GE = 0,
  TPP_OP_GT = 1,
  TPP_OP_LE = 2,
  TPP_OP_LT = 3,
  TPP_OP_EQ = 4,
  TPP_OP_COUNT = 5
};

/* Three-valued states in tpp_rule_detail. */
enum { TPP_TRI_FALSE = 0, TPP_TRI_TRUE = 1, TPP_TRI_UNKNOWN = 2 };

/* What a test answers when its input is unknown (NaN). */
enum {
  TPP_IF_UNKNOWN_UNDETERMINED = 0,
  TPP_IF_UNKNOWN_TRUE = 1,  /* e.g. the foundry rule: a count that cannot be confirmed is presumed */
  TPP_IF_UNKNOWN_FALSE = 2
};

/* An input is a column, or the sum of two columns (unknown if either is). */
enum { TPP_RULE_INPUT_COLUMN = 0, TPP_RULE_INPUT_SUM = 1 };

/* Clause roles: classification (decides status and ECCN) or review policy. */
enum { TPP_ROLE_CLASSIFY = 0, TPP_ROLE_POLICY = 1 };

enum { TPP_NOTE_EXCLUDE = 0, TPP_NOTE_OUTCOME = 1 };

enum {
  TPP_STATUS_NOT_CONTROLLED = 0,
  TPP_STATUS_CONTROLLED = 1,
  TPP_STATUS_UNDETERMINED = 2
};

/* Outcome codes are the caller's (>= 0); these two are reserved. */
enum { TPP_OUTCOME_NONE = -1, TPP_OUTCOME_UNDETERMINED = -2 };

enum {
  TPP_RULE_MAX_COLUMNS = 32,
  TPP_RULE_MAX_INPUTS = 32,
  TPP_RULE_MAX_TESTS = 256,
  TPP_RULE_MAX_CLAUSES = 64,
  TPP_RULE_MAX_NOTES = 32
};

typedef struct tpp_rule_input {
  int32_t kind;          /* TPP_RULE_INPUT_* */
  int32_t a;             /* column index */
  int32_t b;             /* second column (SUM only) */
} tpp_rule_input;

typedef struct tpp_rule_test {
  int32_t input;         /* index into inputs */
  int32_t op;            /* TPP_OP_* */
  double threshold;      /* finite */
  int32_t if_unknown;    /* TPP_IF_UNKNOWN_* */
  int32_t no_near;       /* 1: never "near the line" (dates; EQ tests never are) */
} tpp_rule_test;

typedef struct tpp_rule_clause {
  int32_t first_test;    /* tests [first_test, first_test + n_tests) */
  int32_t n_tests;       /* 0 = always true */
  int32_t role;          /* TPP_ROLE_* */
  int32_t outcome;       /* caller's code >= 0 */
} tpp_rule_clause;

typedef struct tpp_rule_note {
  int32_t first_test;
  int32_t n_tests;
  int32_t kind;          /* TPP_NOTE_* */
  int32_t outcome;       /* TPP_NOTE_OUTCOME: the code it sets */
  uint64_t targets;      /* bit c = clause c */
} tpp_rule_note;

/* A whole program, fixed size so both bindings can fill it in place. */
typedef struct tpp_rule_program {
  int32_t n_columns;
  int32_t n_inputs;
  tpp_rule_input inputs[32];     /* [TPP_RULE_MAX_INPUTS] */
  int32_t n_tests;
  tpp_rule_test tests[256];      /* [TPP_RULE_MAX_TESTS] */
  int32_t n_clauses;
  tpp_rule_clause clauses[64];   /* [TPP_RULE_MAX_CLAUSES], precedence order */
  int32_t n_notes;
  tpp_rule_note notes[32];       /* [TPP_RULE_MAX_NOTES], applied in order */
  double near;                   /* relative margin of "near the line", >= 0 */
} tpp_rule_program;

/* Everything about one row: per test, clause and note. */
typedef struct tpp_rule_detail {
  double input_value[32];        /* [n_inputs], NaN unknown */
  int8_t test_state[256];        /* [n_tests] TPP_TRI_*, after if_unknown */
  int8_t test_near[256];         /* [n_tests] value within near of the line */
  double test_margin[256];       /* [n_tests] value - threshold; NaN unknown */
  double test_ratio[256];        /* [n_tests] value / threshold; NaN unknown or threshold 0 */
  int8_t clause_raw[64];         /* [n_clauses] before notes */
  int8_t clause_state[64];       /* [n_clauses] after exclusion notes */
  int8_t clause_outcome[64];     /* [n_clauses] after outcome notes */
  int8_t clause_near[64];        /* [n_clauses] */
  int8_t note_state[32];         /* [n_notes] */
  int8_t note_near[32];          /* [n_notes] */
  int32_t status;                /* TPP_STATUS_* */
  int32_t governing;             /* clause index or -1 */
  int32_t governing_certain;     /* 0 when an earlier classification clause is unknown */
  int32_t outcome;               /* outcome code, TPP_OUTCOME_NONE or _UNDETERMINED */
  int32_t policy;                /* policy clause index, -1 none, -2 undetermined */
  int32_t near;                  /* 1 near a deciding line */
} tpp_rule_detail;

/* Batch outputs, each [n]; a NULL pointer is not written. clause_state[c]
 * holds 1 true, 0 false, -1 unknown (the batch convention for int8 nil). */
typedef struct tpp_rule_outputs {
  int8_t *status;                /* TPP_STATUS_* */
  int8_t *governing;             /* clause index, -1 none */
  int8_t *outcome;               /* outcome code, -1 none, -2 undetermined */
  int8_t *policy;                /* policy clause, -1 none, -2 undetermined */
  int8_t *near;                  /* 1 near a deciding line, else 0 */
  int8_t *clause_state[64];      /* [TPP_RULE_MAX_CLAUSES] */
} tpp_rule_outputs;

/* Zero the program (no inputs, tests, clauses or notes; near = 0.05). */
void tpp_rule_init(tpp_rule_program *p);

/* Check every index, comparator and threshold; TPP_E_ARG names the fault. */
int tpp_rule_check(const tpp_rule_program *p, tpp_error *err);

/* One row. columns[c] is the value of column c (NaN unknown). */
int tpp_rule_eval_one(const tpp_rule_program *p, const double *columns,
                      tpp_rule_detail *out, tpp_error *err);

/* n rows, structure of arrays: columns[c] points at n doubles, or is NULL
 * (unknown for every row). n_threads 0 = tpp_get_threads(). */
int tpp_rule_eval_batch(const tpp_rule_program *p, const double *const *columns,
                        int64_t n, const tpp_rule_outputs *out, int n_threads,
                        tpp_error *err);

/* dst[0..n): 1 with probability p_true, else 0; a fraction `unknown` NaN.
 * Deterministic for a seed (benchmarks and property tests). */
void tpp_random_flags(double *dst, int64_t n, double p_true, double unknown,
                      uint64_t seed);

/* SHA-256 (FIPS 180-4) of len bytes: raw digest, or 64 hex digits + NUL. */
void tpp_sha256(const void *data, size_t len, uint8_t *digest);
void tpp_sha256_hex(const void *data, size_t len, char *hex);

/* TPP_FFI_END rules */
/* ---- tensors ---------------------------------------------------------------
 *
 * A tensor is a reference-counted header over 64-byte aligned memory outside
 * any Lua heap. Float tensors (f32, f16, bf16) have up to 4 dimensions and
 * element strides; views share the storage of their base and keep it alive.
 *
 * Quantized tensors (q8, q4) are 2-D matrices [rows][cols] with one f32 scale
 * per group of group_size consecutive elements of a row (x = scale * q,
 * symmetric; q8: q in [-127, 127], scale = max|x| / 127; q4: q in [-7, 7],
 * scale = max|x| / 7, stored as the nibble q + 8). The last group of a row may
 * be partial. They are stored in the blocked layout the integer kernels read
 * as one sequential stream:
 *   rows padded to R = 16 * ceil(rows / 16), columns to Kp = G * ceil(cols / G),
 *   ng = Kp / G groups per row; padding holds q = 0 and scale 0.
 *   q8: for row block b, group g, step s (4 columns) 64 bytes at
 *       ((b * ng + g) * (G / 4) + s) * 64; byte 4 * r + j = q[16b + r][gG + 4s + j].
 *   q4: 64 bytes per pair of steps at ((b * ng + g) * (G / 8) + s) * 64; byte
 *       4 * r + j holds column gG + 8s + j in its low nibble and gG + 8s + 4 + j
 *       in its high nibble.
 *   scales: f32 at (b * ng + g) * 16 + r.
 * q8 needs G % 4 == 0, q4 needs G % 8 == 0.
 */

/* TPP_FFI_BEGIN tensor */

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
  void *data;              /* first element; quantized: the blocked bytes */
  float *scales;           /* quantized: [R / 16][ng][16]; else NULL */
  int64_t shape[4];        /* [TPP_TENSOR_MAX_DIMS]; dims past ndim are 1 */
  int64_t stride[4];       /* in elements; quantized: row-major contiguous */
  int64_t numel;
  int32_t ndim;
  int32_t dtype;           /* TPP_DT_* */
  int32_t group_size;      /* quantized: elements per scale; else 0 */
  int32_t refcount;        /* owners of this header; freed at 0 */
  struct tpp_tensor *base; /* a view's storage owner (retained), else NULL */
  size_t data_bytes;       /* bytes allocated at data (owners only) */
  size_t scale_bytes;      /* bytes allocated at scales (owners only) */
} tpp_tensor;

const char *tpp_dtype_name(int dtype);
int tpp_dtype_from_name(const char *name);   /* -1 when unknown */
size_t tpp_dtype_size(int dtype);            /* bytes per element; 0 for q8/q4 */

/* A zero-filled tensor with refcount 1, or NULL with err filled. Quantized
 * dtypes need ndim 1 or 2 and a group size (0 = TPP_QGROUP_DEFAULT). */
tpp_tensor *tpp_tensor_new(int dtype, int32_t ndim, const int64_t *shape,
                           int32_t group_size, tpp_error *err);
/* A view of base's storage (float dtypes): shape, element strides >= 0 and an
 * element offset, all within the storage. The view retains base. */
tpp_tensor *tpp_tensor_view(tpp_tensor *base, int32_t ndim, const int64_t *shape,
                            const int64_t *stride, int64_t offset, tpp_error *err);
tpp_tensor *tpp_tensor_retain(tpp_tensor *t);
void tpp_tensor_release(tpp_tensor *t);      /* NULL is a no-op */
int tpp_tensor_is_contiguous(const tpp_tensor *t);
/* The storage offset of t->data from its owner's first element, in elements. */
int64_t tpp_tensor_offset(const tpp_tensor *t);

/* One element by index (0-based, ndim entries) or by row-major flat index;
 * quantized tensors read back the dequantized value and cannot be set. */
int tpp_tensor_get(const tpp_tensor *t, const int64_t *index, double *out, tpp_error *err);
int tpp_tensor_set(tpp_tensor *t, const int64_t *index, double value, tpp_error *err);
int tpp_tensor_get_flat(const tpp_tensor *t, int64_t i, double *out, tpp_error *err);
int tpp_tensor_set_flat(tpp_tensor *t, int64_t i, double value, tpp_error *err);
/* Bulk copy in row-major order between a float tensor and a double array. */
int tpp_tensor_read_f64(const tpp_tensor *t, double *out, int64_t n, tpp_error *err);
int tpp_tensor_write_f64(tpp_tensor *t, const double *in, int64_t n, tpp_error *err);

int tpp_tensor_fill(tpp_tensor *t, double value, tpp_error *err);
/* Uniform values in [lo, hi) from xorshift64* seeded with seed. */
int tpp_tensor_fill_random(tpp_tensor *t, uint64_t seed, double lo, double hi, tpp_error *err);
/* dst = src element by element (same shape); converts between float dtypes and
 * dequantizes a quantized src. */
int tpp_tensor_copy(tpp_tensor *dst, const tpp_tensor *src, tpp_error *err);
/* A new contiguous tensor of dtype holding src's values: float dtypes convert,
 * q8/q4 quantize a 1-D or 2-D float src with the group size (0 = default). */
tpp_tensor *tpp_tensor_convert(const tpp_tensor *src, int dtype, int32_t group_size,
                               tpp_error *err);

float tpp_f16_to_f32(uint16_t h);
uint16_t tpp_f32_to_f16(float f);            /* round to nearest even */
float tpp_bf16_to_f32(uint16_t h);
uint16_t tpp_f32_to_bf16(float f);           /* round to nearest even */

/* TPP_FFI_END tensor */

/* ---- kernels ---------------------------------------------------------------
 * f32 GEMMs go to OpenBLAS (cblas_sgemm); f32 matrix-vector products, the
 * integer q8/q4 products and everything else are tpp's own, with AVX-512
 * (F, BW, VL, VNNI), AVX2 and portable scalar paths chosen at run time.
 * Threads: tpp_set_threads() sets tpp's pool and OpenBLAS's together; tpp
 * never calls OpenBLAS from inside its own parallel regions.
 */

/* TPP_FFI_BEGIN kernels */

enum {
  TPP_ISA_SCALAR = 0,
  TPP_ISA_AVX2 = 1,       /* AVX2 + FMA */
  TPP_ISA_AVX512 = 2      /* AVX-512 F, BW, VL and VNNI */
};

int tpp_isa_detected(void);
int tpp_isa_active(void);
/* Cap the kernels at isa (never above what the CPU has); -1 resets to the
 * detected level. Returns the level now active. */
int tpp_isa_set(int isa);
const char *tpp_isa_name(int isa);

/* y[m][n] = x[m][k] . w[n][k]^T: w as nn.Linear.weight, f32 (OpenBLAS sgemm
 * for m > 1, tpp's matrix-vector kernel for m == 1) or q8/q4 (tpp integer
 * kernels; x is quantized per group to int8 on the fly). x, y: f32 2-D with
 * unit column stride (1-D x and y are one row). */
int tpp_linear(tpp_tensor *y, const tpp_tensor *x, const tpp_tensor *w, tpp_error *err);
/* c[m][n] = a[m][k] . b[k][n], f32 through cblas_sgemm; operands 2-D with one
 * unit stride (row- or column-major views, so transposes cost nothing). */
int tpp_matmul(tpp_tensor *c, const tpp_tensor *a, const tpp_tensor *b, tpp_error *err);
/* out[r][:] = x[r][:] * w / sqrt(mean(x[r]^2) + eps), for each row r. */
int tpp_rmsnorm(tpp_tensor *out, const tpp_tensor *x, const tpp_tensor *w, double eps,
                tpp_error *err);
/* In place over the last dimension of each row (max-subtracted). */
int tpp_softmax(tpp_tensor *x, tpp_error *err);
/* In place: row t of x [T][d] is at position pos + t; pairs (i, i+1) inside
 * each head of head_size rotate by pos * theta^(-(i mod head_size)/head_size). */
int tpp_rope(tpp_tensor *x, int64_t pos, int32_t head_size, double theta, tpp_error *err);
int tpp_silu(tpp_tensor *x, tpp_error *err);                       /* in place */
/* out = silu(gate) * up, element-wise. */
int tpp_swiglu(tpp_tensor *out, const tpp_tensor *gate, const tpp_tensor *up, tpp_error *err);
/* Causal grouped-query attention over a KV cache. q, out: [T][n_heads * hs];
 * k_cache, v_cache: [S][n_kv_heads * hs] with S >= pos + T, rows 0..pos+T-1
 * filled. Query t (position pos + t) attends keys 0..pos+t; query head h
 * reads KV head h / (n_heads / n_kv_heads); scores scale 1/sqrt(hs). */
int tpp_attention(tpp_tensor *out, const tpp_tensor *q, const tpp_tensor *k_cache,
                  const tpp_tensor *v_cache, int64_t pos, int32_t n_heads,
                  int32_t n_kv_heads, tpp_error *err);
/* Index of the largest element of a 1-D f32 tensor (first on ties). */
int tpp_argmax(const tpp_tensor *x, int64_t *index, tpp_error *err);

/* Sampling as llama2.c run.c: temperature 0 is argmax; otherwise softmax of
 * logits / temperature, then top-p (nucleus) when 0 < top_p < 1, drawn with
 * xorshift64* (state advanced in place). */
typedef struct tpp_sampler {
  uint64_t rng_state;
  float temperature;
  float top_p;
  int32_t vocab_size;
  void *scratch;           /* [vocab_size] (prob, index) pairs */
} tpp_sampler;

tpp_sampler *tpp_sampler_new(int32_t vocab_size, double temperature, double top_p,
                             uint64_t seed, tpp_error *err);
void tpp_sampler_free(tpp_sampler *s);
/* Draw one token from logits[vocab_size] (overwritten with probabilities). */
int32_t tpp_sampler_sample(tpp_sampler *s, float *logits);
/* The next float in [0, 1) of the sampler's generator. */
float tpp_sampler_random(tpp_sampler *s);

/* TPP_FFI_END kernels */

/* ---- model -----------------------------------------------------------------
 * A llama-style transformer (the semantics of Karpathy's llama2.c run.c) with a
 * KV cache, reading and writing llama2.c checkpoints:
 *   TPP_CKPT_V0  legacy fp32 "version 0" (28-byte header, run.c);
 *   TPP_CKPT_Q8  "version 2" Q8_0 (256-byte header, runq.c);
 *   TPP_CKPT_Q4  tpp's 4-bit file: the version 2 layout with magic "tpq4"
 *                (0x34717074), version 1, and each quantized tensor stored as
 *                uint8 nibbles[numel / 2] followed by f32 scales[numel / GS];
 *                within each group of GS, byte j holds element j in its low
 *                nibble and element j + GS/2 in its high nibble, value =
 *                scale * (nibble - 8), scale = max|w| / 7.
 * Every size is checked against the header and the file length before any
 * allocation.
 */

/* TPP_FFI_BEGIN model */

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
  int32_t shared_classifier;   /* 1: logits use the token embedding */
  int32_t group_size;          /* quantized files; 0 for v0 */
  int32_t format;              /* TPP_CKPT_* */
  int64_t file_bytes;          /* the size the header implies */
  int64_t n_params;            /* weights, counting a shared matrix once */
} tpp_model_config;

typedef struct tpp_model tpp_model;
typedef struct tpp_tokenizer tpp_tokenizer;

/* Validate a checkpoint header against its size: from a file, or from bytes
 * in memory (the fuzz target). Fills cfg; touches no other memory. */
int tpp_checkpoint_info(const char *path, tpp_model_config *cfg, tpp_error *err);
int tpp_checkpoint_parse(const uint8_t *bytes, size_t size, tpp_model_config *cfg,
                         tpp_error *err);

/* Load a checkpoint. weight_dtype -1 keeps the stored precision; TPP_DT_Q8 or
 * TPP_DT_Q4 quantize an fp32 checkpoint while loading (group_size 0 = 64, or
 * the largest of 64, 32, ... dividing dim and hidden_dim). */
tpp_model *tpp_model_load(const char *path, int32_t weight_dtype, int32_t group_size,
                          tpp_error *err);
/* The same from bytes in memory (copied). */
tpp_model *tpp_model_load_bytes(const uint8_t *bytes, size_t size, int32_t weight_dtype,
                                int32_t group_size, tpp_error *err);
void tpp_model_free(tpp_model *m);
void tpp_model_config_get(const tpp_model *m, tpp_model_config *cfg);
int32_t tpp_model_weight_dtype(const tpp_model *m);
int32_t tpp_model_group_size(const tpp_model *m);
/* Bytes of weights one decode step reads (every matrix once, plus norms). */
int64_t tpp_model_weight_bytes(const tpp_model *m);
/* Bytes of KV cache one decode step at position pos reads. */
int64_t tpp_model_kv_bytes(const tpp_model *m, int64_t pos);
/* FLOPs of a forward pass of n tokens starting at pos (logits of the last). */
double tpp_model_flops(const tpp_model *m, int64_t n_tokens, int64_t pos);
/* Run n_tokens tokens at positions pos.. (batched: matrix-matrix products);
 * the logits of the last token land in tpp_model_logits(). */
int tpp_model_forward(tpp_model *m, const int32_t *tokens, int32_t n_tokens, int32_t pos,
                      tpp_error *err);
float *tpp_model_logits(tpp_model *m);      /* [vocab_size] */
/* Write a checkpoint of cfg's shape and format with random weights from seed;
 * v0, q8 and q4 from one seed hold the same model (quantized). */
int tpp_model_write_random(const char *path, const tpp_model_config *cfg, uint64_t seed,
                           tpp_error *err);
/* Convert an fp32 checkpoint file to q8 or q4 without loading it whole. */
int tpp_checkpoint_quantize(const char *in_path, const char *out_path, int32_t format,
                            int32_t group_size, tpp_error *err);

/* tokenizer.bin (llama2.c): vocab_size records after max_token_length. */
tpp_tokenizer *tpp_tokenizer_load(const char *path, int32_t vocab_size, tpp_error *err);
tpp_tokenizer *tpp_tokenizer_parse(const uint8_t *bytes, size_t size, int32_t vocab_size,
                                   tpp_error *err);
void tpp_tokenizer_free(tpp_tokenizer *t);
int32_t tpp_tokenizer_vocab_size(const tpp_tokenizer *t);
/* BPE-encode text (run.c semantics) into tokens[max_tokens]; bos/eos 1/0. */
int tpp_tokenizer_encode(const tpp_tokenizer *t, const char *text, int32_t bos, int32_t eos,
                         int32_t *tokens, int32_t max_tokens, int32_t *n_tokens,
                         tpp_error *err);
/* The text of token after prev (leading space stripped after BOS, <0xHH> as
 * the raw byte); bytes written to *len. Valid until the next call. */
const char *tpp_tokenizer_decode(tpp_tokenizer *t, int32_t prev, int32_t token, size_t *len);
/* A synthetic tokenizer of vocab_size pieces (>= 1): <unk>, BOS, EOS, 256 byte
 * pieces, printable ASCII, then merged pieces. */
int tpp_tokenizer_write_synthetic(const char *path, int32_t vocab_size, tpp_error *err);

/* TPP_FFI_END model */

/* ---- host benchmarks -------------------------------------------------------- */

/* TPP_FFI_BEGIN bench */

/* Best read bandwidth (GB/s, 1e9 bytes) summing a buffer of bytes on
 * n_threads threads (0 = all), repeated for at least seconds. */
int tpp_bench_membw(int64_t bytes, int32_t n_threads, double seconds, double *gbs,
                    tpp_error *err);
/* Raw cblas_sgemm (row-major, c = a . b) of m x k by k x n timed in C: best
 * GFLOP/s over repetitions lasting at least seconds. */
int tpp_bench_sgemm(int64_t m, int64_t n, int64_t k, double seconds, double *gflops,
                    tpp_error *err);
/* Raw cblas_sgemv (row-major y = A x, A m x n), timed in C over a set of
 * matrices totalling at least bytes (large: they stream from memory): best
 * GB/s of matrix bytes read. */
int tpp_bench_sgemv(int64_t m, int64_t n, int64_t bytes, double seconds, double *gbs,
                    tpp_error *err);
/* Raw cblas_dgemm, the same way. */
int tpp_bench_dgemm(int64_t m, int64_t n, int64_t k, double seconds, double *gflops,
                    tpp_error *err);
/* OpenBLAS's configuration and the kernel core it selected. */
const char *tpp_blas_info(void);
const char *tpp_cpu_name(void);

/* TPP_FFI_END bench */

/* ---- tabular input: the strict CSV reader ------------------------------------
 *
 * csrc/csv.c reads RFC 4180 CSV (quoted fields, doubled quotes, quoted line
 * breaks, CRLF or LF) with a header line, strictly: every row has as many
 * fields as the header, every field is valid UTF-8 without NUL bytes, a
 * quote may only open a field, a leading UTF-8 byte-order mark is skipped
 * and a UTF-16 one refused. Blank lines and lines starting with '#' are
 * skipped. Each header field is bound to a tpp_csv_column (the "plan") that
 * says how to parse it: numbers are plain decimals ([+-]digits[.digits]
 * [e[+-]digits]; no hex, inf, nan or thousands separators unless asked),
 * range-checked, and written into structure-of-arrays columns (double[n],
 * NaN = empty = unknown), chunk by chunk, so memory stays bounded. A bad row
 * is not written: each fault becomes a tpp_csv_issue naming the data row, its
 * line, the field and the text, and reading goes on until max_issues faults
 * were seen. Faults that end the input (an unclosed quote, a row over
 * TPP_CSV_MAX_ROW bytes, a read error) return TPP_E_FORMAT or TPP_E_IO.
 */

/* TPP_FFI_BEGIN csv */

enum {
  TPP_CSV_SKIP = 0,      /* a known column this read does not use (still checked as UTF-8) */
  TPP_CSV_NUMBER = 1,    /* decimal number -> out[i] */
  TPP_CSV_FLAG = 2,      /* true/false/yes/no/1/0 (any case) -> 1 or 0 */
  TPP_CSV_DATE = 3,      /* YYYY-MM-DD calendar date -> YYYYMMDD */
  TPP_CSV_TEXT = 4,      /* text; kept in a text slot; with choices, out[i] = 1 when it
                            contains one of them (any case), 0 when not */
  TPP_CSV_ENUM = 5       /* one of choices (any case) -> its index 0.. in out[i] */
};

enum {
  TPP_CSV_E_NUMBER = 1,    /* not a plain decimal number */
  TPP_CSV_E_RANGE = 2,     /* a number outside [min, max] (or <= min when min_exclusive) */
  TPP_CSV_E_INTEGER = 3,   /* a fraction where a whole number is expected */
  TPP_CSV_E_REQUIRED = 4,  /* empty where a value is required */
  TPP_CSV_E_FLAG = 5,      /* not true/false/yes/no/1/0 */
  TPP_CSV_E_DATE = 6,      /* not a YYYY-MM-DD calendar date */
  TPP_CSV_E_ENUM = 7,      /* not one of the choices */
  TPP_CSV_E_FIELDS = 8,    /* a row with more or fewer fields than the header */
  TPP_CSV_E_QUOTE = 9,     /* a quote inside an unquoted field, or text after a closing quote */
  TPP_CSV_E_UNCLOSED = 10, /* a quoted field still open at the end of the input */
  TPP_CSV_E_UTF8 = 11,     /* bytes that are not UTF-8 (or a NUL byte) */
  TPP_CSV_E_TOO_LONG = 12, /* a row longer than TPP_CSV_MAX_ROW bytes */
  TPP_CSV_E_UTF16 = 13,    /* a UTF-16 byte-order mark: the file is not UTF-8 */
  TPP_CSV_E_EMPTY = 14     /* no header line at all */
};

enum {
  TPP_CSV_MAX_ROW = 4194304,   /* bytes in one row, quotes included */
  TPP_CSV_MAX_FIELDS = 4096,   /* fields in the header */
  TPP_CSV_MAX_TEXT = 4096      /* text slots (as many as fields) */
};

/* How one header field is read. Zero-initialised = TPP_CSV_SKIP. */
typedef struct tpp_csv_column {
  int32_t kind;          /* TPP_CSV_* */
  int32_t required;      /* 1: an empty field is an error (E_REQUIRED) */
  int32_t integer;       /* NUMBER: 1 = whole numbers only */
  int32_t thousands;     /* NUMBER: 1 = accept 1,234,567 (the field must then be quoted) */
  int32_t min_exclusive; /* NUMBER: 1 = the value must be > min */
  double min;            /* NUMBER: smallest plausible value; NaN = no bound */
  double max;            /* NUMBER: largest plausible value; NaN = no bound */
  const char *choices;   /* ENUM / TEXT match: "a|b|c" */
  double *out;           /* [max_rows] value per row (NaN when empty), or NULL */
  double *out2;          /* [max_rows] a second copy (one field filling two columns), or NULL */
  int32_t text_slot;     /* TEXT / ENUM: slot 0..TPP_CSV_MAX_TEXT-1 keeping the text, or -1 */
} tpp_csv_column;

/* One fault. row: 1-based data row (the header is row 0); line: 1-based line
 * where the fault is; field: 0-based header field, -1 for the whole row. */
typedef struct tpp_csv_issue {
  int64_t row;
  int64_t line;
  int32_t field;
  int32_t code;          /* TPP_CSV_E_* */
  int32_t n_fields;      /* E_FIELDS: fields the row has */
  double value;          /* E_RANGE, E_INTEGER: the value read */
  char text[80];         /* the field as read (cut to 79 bytes), NUL-terminated */
} tpp_csv_issue;

typedef struct tpp_csv tpp_csv;

/* A reader over a file (path "-" = standard input), or over a copy of bytes. */
tpp_csv *tpp_csv_open(const char *path, tpp_error *err);
tpp_csv *tpp_csv_open_bytes(const uint8_t *bytes, size_t size, tpp_error *err);
/* Standard input, with `prefix` (bytes already taken from it) read first. */
tpp_csv *tpp_csv_open_stdin(const uint8_t *prefix, size_t size, tpp_error *err);
void tpp_csv_close(tpp_csv *r);              /* NULL is a no-op */

/* Read the header (the first line that is not blank or a comment). Returns
 * TPP_OK and the field count, or TPP_E_FORMAT / TPP_E_IO with *issue filled
 * (E_EMPTY when there is no header). Names are unquoted and NUL-terminated;
 * they stay valid until tpp_csv_close. */
int tpp_csv_header(tpp_csv *r, int32_t *n_fields, tpp_csv_issue *issue, tpp_error *err);
const char *tpp_csv_field_name(const tpp_csv *r, int32_t field);
int64_t tpp_csv_header_line(const tpp_csv *r);

/* Read up to max_rows good data rows into rows [0, *n_rows) of the plan's
 * columns (plan[i] binds header field i). Faults go to issues[0..*n_issues)
 * (at most max_issues; reading stops when it is full). *n_rows < max_rows
 * with TPP_OK means the input ended or the issue list filled up. Text of the
 * rows read stays valid until the next call. */
int tpp_csv_read(tpp_csv *r, const tpp_csv_column *plan, int64_t max_rows, int64_t *n_rows,
                 tpp_csv_issue *issues, int32_t max_issues, int32_t *n_issues, tpp_error *err);
/* Data row number and line of chunk row i (0-based, < *n_rows of the last read). */
int64_t tpp_csv_row_number(const tpp_csv *r, int64_t i);
int64_t tpp_csv_row_line(const tpp_csv *r, int64_t i);
/* The text of chunk row i in a slot (NULL when the slot is unused), *len bytes. */
const char *tpp_csv_text(const tpp_csv *r, int32_t slot, int64_t i, size_t *len);
/* 1 when every byte was read. */
int tpp_csv_at_end(const tpp_csv *r);
/* Data rows seen so far (good and bad). */
int64_t tpp_csv_rows_seen(const tpp_csv *r);

/* The strict decimal parser of the reader, for one string (JSON values,
 * command-line numbers): TPP_OK and *value, or TPP_E_FORMAT. thousands: 1
 * accepts 1,234 groups. Infinite results (1e400) are TPP_E_ARG. */
int tpp_parse_number(const char *s, size_t len, int32_t thousands, double *value);

/* TPP_FFI_END csv */

/* ---- classifying chips in chunks, and writing rows out ----------------------
 *
 * csrc/classify.c: the rule inputs a chip file does not give directly,
 * derived over a chunk (structure of arrays, NaN = unknown), and the inputs
 * an undetermined row is missing. csrc/out.c: an output file written through
 * a temporary file beside it (renamed into place on success, removed on
 * failure, so an input is never written over and a failed run leaves no half
 * file), and rows rendered from a template of parts on several threads, in
 * order: JSON Lines or CSV, numbers as the shortest decimal that reads back
 * as the same double (at most 17 significant digits).
 */

/* TPP_FFI_BEGIN out */

/* Columns of one chunk [n]; NULL = absent. Outputs are written in place. */
typedef struct tpp_chip_rule_columns {
  int64_t n;
  double *fp64;            /* in/out: the FP64 matrix rate; NaN takes fp64_vector */
  const double *fp64_vector;
  double *hbm;             /* in/out: 1/0 stated; NaN takes hbm_from_type */
  const double *hbm_from_type;  /* 1 when the memory type names HBM, 0 when it does not */
  const double *form_memory;    /* 1 when the form factor names an HBM/DRAM/memory stack */
  const double *tpp;       /* computed TPP (memory_item is 0 only for a chip with compute) */
  double *memory_item;     /* out: 1 memory stack, 0 a chip with compute, NaN unknown */
  double *first_marketed;  /* in/out: YYYYMMDD; NaN takes year * 10000 + 701 (mid-year) */
  const double *year;
} tpp_chip_rule_columns;

/* Fill the derived rule inputs of a chunk (the per-chip path does the same
 * in tpp.rules.metrics.of_chip). */
int tpp_chip_rule_inputs(const tpp_chip_rule_columns *c, tpp_error *err);

/* For every row whose status is undetermined: a bit mask of the program's
 * inputs that are unknown in a test that leaves a clause (or a note that
 * matters) unknown, the inputs the answer waits for; 0 for other rows.
 * columns as tpp_rule_eval_batch; masks[n] as doubles (exact below 2^53).
 * counts[0..2] += rows per status, counts[3] += rows near a line. */
int tpp_rule_missing(const tpp_rule_program *p, const double *const *columns, int64_t n,
                     const int8_t *status, const int8_t *near, double *masks, int64_t *counts,
                     tpp_error *err);

typedef struct tpp_writer tpp_writer;

/* A file to write (path "-" = standard output): bytes go to a new
 * temporary file in the destination's folder; tpp_writer_commit renames it over
 * path. tpp_writer_close without a commit removes it. A path naming the same
 * file as avoid (an input; may be NULL) is refused. */
tpp_writer *tpp_writer_open(const char *path, const char *avoid, tpp_error *err);
int tpp_writer_write(tpp_writer *o, const char *bytes, size_t len, tpp_error *err);
int tpp_writer_commit(tpp_writer *o, tpp_error *err);
void tpp_writer_close(tpp_writer *o);             /* NULL is a no-op */
int64_t tpp_writer_bytes(const tpp_writer *o);    /* bytes written so far */

/* Parts of a row template. */
enum {
  TPP_PART_CONST = 0,    /* text as it is */
  TPP_PART_SELECT = 1,   /* choices[i8[row] + offset] (out of range: the empty string) */
  TPP_PART_NUMBER = 2,   /* f64[row] as the shortest exact decimal; NaN: null_text */
  TPP_PART_TEXT = 3,     /* the CSV reader's text slot, quoted (TPP_QUOTE_*); empty: text + row number */
  TPP_PART_ROW = 4,      /* the row's data row number */
  TPP_PART_MASK = 5,     /* names of the bits set in f64[row], in order, joined by text */
  TPP_PART_FLAG = 6      /* i8[row] > 0: choices[1], else choices[0] */
};

enum { TPP_QUOTE_NONE = 0, TPP_QUOTE_JSON = 1, TPP_QUOTE_CSV = 2 };

typedef struct tpp_out_part {
  int32_t kind;            /* TPP_PART_* */
  int32_t quote;           /* TEXT: TPP_QUOTE_* */
  const char *text;        /* CONST: the text; TEXT: prefix for an empty id; MASK: separator */
  const int8_t *i8;        /* SELECT, FLAG: [n] */
  int32_t offset;          /* SELECT: index = i8[row] + offset */
  int32_t n_choices;
  const char *const *choices;   /* SELECT, FLAG: [n_choices]; MASK: names of bits [n_choices] */
  const int32_t *order;    /* MASK: bit order [n_choices] */
  const double *f64;       /* NUMBER, MASK: [n] */
  const char *null_text;   /* NUMBER: text for NaN */
  int32_t slot;            /* TEXT: the reader's text slot */
} tpp_out_part;

/* Render rows [0, n_rows) of the reader's last chunk through the template
 * (the parts of one row, line breaks included) and write them in order. */
int tpp_writer_rows(tpp_writer *o, const tpp_out_part *parts, int32_t n_parts, const tpp_csv *reader,
                 int64_t n_rows, int n_threads, tpp_error *err);

/* A new private directory (mode 0700) under $TMPDIR (else /tmp) named
 * prefix-XXXXXX, made with mkdtemp (no name race); its path in buf. */
int tpp_temp_dir(const char *prefix, char *buf, size_t size, tpp_error *err);

/* Peak resident memory, kB, of the largest child process waited for so far
 * (getrusage RUSAGE_CHILDREN), or -1 when unknown. */
int64_t tpp_children_peak_kb(void);

/* The shortest decimal that reads back as v (integers below 1e15 without a
 * point; at most 17 significant digits), NUL-terminated; returns its length.
 * buf needs 32 bytes. */
size_t tpp_format_double(double v, char *buf);

/* TPP_FFI_END out */

/* ---- screening batches (csrc/screen.c) -------------------------------------
 * Decisions for (chip, destination, headquarters, date) rows from tables that
 * lua/tpp/screen/batch.lua compiles out of the rule and regime data (the same
 * decision path as tpp.screen, evaluated once per date segment and class). */

/* TPP_FFI_BEGIN screen */

/* Decision codes of a screened row. */
enum {
  TPP_SCREEN_NO_LICENCE = 0,      /* no licence required (for the item; parties not screened) */
  TPP_SCREEN_LICENCE = 1,         /* licence required */
  TPP_SCREEN_PROHIBITED = 2,      /* prohibited */
  TPP_SCREEN_UNDETERMINED = 3     /* an unknown input could change the answer */
};

/* Compiled tables; shapes in csrc/screen.c. Fill the arrays after _new. */
typedef struct tpp_screen_table {
  int32_t n_segments;    /* S */
  int32_t n_chips;       /* C */
  int32_t n_dests;       /* D */
  int32_t n_hqs;         /* H (headquarters countries; 0 = none) */
  int32_t n_dclasses;    /* DC: destination classes per segment (max) */
  int32_t n_hclasses;    /* HC: headquarters classes per segment (max) */
  int32_t *seg_start;    /* [S] YYYYMMDD, increasing */
  int16_t *dest_class;   /* [S][D] */
  int16_t *hq_class;     /* [S][H + 1]; column 0 = no headquarters given */
  int8_t *decision;      /* [S][C][DC][HC] TPP_SCREEN_* */
  int8_t *review;        /* [S][C][DC][HC] caller's review-policy code, -1 none */
  uint32_t *regimes;     /* [S][C][DC][HC] bit r: regime family r requires authorization */
} tpp_screen_table;

tpp_screen_table *tpp_screen_table_new(int32_t n_segments, int32_t n_chips, int32_t n_dests,
                                       int32_t n_hqs, int32_t n_dclasses, int32_t n_hclasses,
                                       tpp_error *err);
void tpp_screen_table_free(tpp_screen_table *t);   /* NULL is a no-op */
/* Starts increasing and valid, classes in range, decision codes valid. */
int tpp_screen_table_check(const tpp_screen_table *t, tpp_error *err);

/* n rows, structure of arrays (doubles holding integers): chip[n] index 0..C-1, dest[n]
 * 0..D-1, hq[n] 0..H-1 or -1/NaN for none (hq may be NULL), date[n] YYYYMMDD. Outputs
 * decision[n] (TPP_SCREEN_*), review[n] and regimes[n] (bitmask as a double; both may be
 * NULL). An invalid row fails the call naming the first such row, its field and value. */
int tpp_screen_batch(const tpp_screen_table *t, const double *chip, const double *dest,
                     const double *hq, const double *date, int64_t n, int8_t *decision,
                     int8_t *review, double *regimes, int n_threads, tpp_error *err);

/* TPP_FFI_END screen */

/* Further areas (rules, tensors, kernels, model) add their own
 * TPP_FFI_BEGIN/END regions above this line. */

#ifdef __cplusplus
}
#endif

#endif /* TPP_H */
