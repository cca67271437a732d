/*
 * sandbox.h - the resource budget of one sandboxed interpreter state, and the
 * pattern matcher its string library runs under that budget.
 *
 * Plain C: nothing here knows about Lua. csrc/lua/sandbox_glue.c creates a
 * lua_State whose allocator is tpp_budget_realloc and whose count hook calls
 * tpp_budget_charge, so the limits are enforced from outside the code they
 * limit: the rule code cannot reach, reset or raise them.
 *
 *   memory   bytes the state holds, for its whole life (never reset)
 *   steps    VM instructions plus pattern-matching steps, per call into it
 *   seconds  wall-clock time per call into it (measured at every charge)
 */
#ifndef TPP_SANDBOX_H
#define TPP_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

typedef struct tpp_budget {
  size_t memory_limit;  /* bytes the state may hold at any moment */
  size_t memory_used;   /* bytes it holds now */
  size_t memory_peak;   /* most it ever held */
  int memory_refused;   /* set when an allocation was refused */
  int64_t steps_limit;  /* per call */
  int64_t steps_used;   /* in the call in progress */
  int64_t steps_total;  /* over the state's whole life */
  double seconds_limit; /* per call */
  double call_start;    /* tpp_now() when the call began */
  int stopped;          /* TPP_BUDGET_* once a limit was hit in this call */
} tpp_budget;

enum {
  TPP_BUDGET_OK = 0,
  TPP_BUDGET_STEPS = 1,      /* more instructions than steps_limit */
  TPP_BUDGET_TIME = 2,       /* longer than seconds_limit */
  TPP_BUDGET_INTERRUPTED = 3 /* SIGINT arrived (tpp_interrupted()) */
};

void tpp_budget_init(tpp_budget *b, size_t memory_limit, int64_t steps_limit,
                     double seconds_limit);

/* The allocator (lua_Alloc's contract): nsize == 0 frees; ptr == NULL
 * allocates (osize is then not a size); growing beyond memory_limit returns
 * NULL and sets memory_refused; shrinking never fails. ud is a tpp_budget. */
void *tpp_budget_realloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* Bytes held by every budgeted state of the process together (the host's
 * collector does not see them: the glue collects when they pile up). */
size_t tpp_budget_live_bytes(void);

/* A call into the state begins: steps and clock start from zero. */
void tpp_budget_start(tpp_budget *b);

/* Count `steps` more steps; returns TPP_BUDGET_OK or why the call must stop.
 * Once stopped, every later charge in the same call stops too. */
int tpp_budget_charge(tpp_budget *b, int64_t steps);

/* "rule code stopped after ..." for a TPP_BUDGET_* reason (or the memory
 * limit when why is -1). Returns the length written. */
size_t tpp_budget_message(const tpp_budget *b, int why, char *buf, size_t size);

/* The sandbox's own math.random: xorshift64* seeded from a number, so a
 * rule file's randomseed never touches the host's generator (Lua 5.1 uses
 * the C library's rand(), shared by the whole process). */
void tpp_sandbox_rng_seed(uint64_t *state, double seed);
/* Uniform double in [0, 1). */
double tpp_sandbox_rng_f64(uint64_t *state);

/* ---- patterns ----
 *
 * Lua's pattern language (character classes %a %c %d %g %l %p %s %u %w %x and
 * their complements, sets [...] with ranges, . * + - ?, anchors ^ and $,
 * captures and position captures, %b, %f, back-references %1-%9), matched by
 * backtracking like Lua's own matcher, but every step is charged to a budget,
 * so a pattern that would backtrack for hours stops when the budget does. */

enum { TPP_PATTERN_MAX_CAPTURES = 32 };

enum {
  TPP_PATTERN_NOMATCH = 0,
  TPP_PATTERN_MATCH = 1,
  TPP_PATTERN_MALFORMED = -1, /* message says what is wrong with the pattern */
  TPP_PATTERN_STOPPED = -2    /* the budget ran out; budget->stopped says why */
};

enum { TPP_CAPTURE_POSITION = -1, TPP_CAPTURE_UNCLOSED = -2 };

typedef struct tpp_pattern {
  const char *src;        /* subject */
  size_t src_len;
  const char *pat;        /* pattern */
  size_t pat_len;
  tpp_budget *budget;     /* charged per step; NULL = no limit (tests only) */
  int64_t pending;        /* steps not yet charged */
  int depth;              /* recursion depth left */
  int level;              /* captures opened */
  struct {
    size_t start;         /* offset in src */
    int64_t len;          /* length, or TPP_CAPTURE_POSITION / _UNCLOSED */
  } capture[TPP_PATTERN_MAX_CAPTURES];
  char message[160];      /* for TPP_PATTERN_MALFORMED */
} tpp_pattern;

void tpp_pattern_init(tpp_pattern *m, const char *src, size_t src_len, const char *pat,
                      size_t pat_len, tpp_budget *budget);

/* Match the pattern from pattern offset p_start (after a leading '^', which
 * the caller handles) at subject offset pos. On TPP_PATTERN_MATCH, *end is
 * the offset just past the match and m->capture[0 .. m->level) are set. */
int tpp_pattern_at(tpp_pattern *m, size_t pos, size_t p_start, size_t *end);

/* Settle the steps not yet charged; returns TPP_PATTERN_STOPPED when that
 * exhausts the budget, else 0. */
int tpp_pattern_flush(tpp_pattern *m);

/* True when the pattern has no magic characters (a plain substring search). */
int tpp_pattern_is_plain(const char *pat, size_t pat_len);

#endif
