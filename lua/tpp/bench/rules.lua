--- tpp bench rules: us-2023-10 over a large batch through the compiled C rule
-- program versus the same rules written as a plain Lua function called per
-- chip, on the same data, in one run; both must agree on the sample.
local core = require "tpp.backend"
local progress = require "tpp.progress"
local report = require "tpp.report"
local cli = require "tpp.cli"
local benchlib = require "tpp.benchlib"

local M = {
  summary = "chip-evaluations/s of us-2023-10: compiled C program vs a per-chip Lua function",
  usage = "tpp bench rules [--n ROWS] [--sample ROWS] [--threads N] [--repeat R] [--seed S] [--json]",
  options = {
    n = { arg = "ROWS", help = "rows in the batch (default 10,000,000)" },
    sample = { arg = "ROWS", help = "rows timed with the Lua function (default 1,000,000)" },
    threads = { arg = "N", help = "threads for the C path (default: all cores)" },
    ["repeat"] = { arg = "R", help = "timed repetitions; the best is kept (default 3)" },
    seed = { arg = "S", help = "random seed (default 42)" },
  },
  max_args = 0,
}

M.AS_OF = "2024-06-01"
local T, F, U = 1, 0, 2

--- us-2023-10 as one plain Lua function (the baseline): the same paragraphs,
-- notes, precedence and three-valued logic as the rule file, hand-written.
-- Returns status (0/1/2), governing paragraph (0-based or -1), outcome
-- (0 controlled, 1 nac-eligible, -1 none, -2 undetermined), near (0/1).
function M.lua_classifier(th, near_margin)
  local A1, A2T, A2P = th["3A090.a.1.tpp"], th["3A090.a.2.tpp"], th["3A090.a.2.pd"]
  local B1TL, B1TH, B1PL, B1PH = th["3A090.b.1.tpp.lo"], th["3A090.b.1.tpp.hi"], th["3A090.b.1.pd.lo"],
    th["3A090.b.1.pd.hi"]
  local B2T, B2PL, B2PH = th["3A090.b.2.tpp"], th["3A090.b.2.pd.lo"], th["3A090.b.2.pd.hi"]
  local N2 = th["3A090.note2.tpp"]
  local abs = math.abs
  local function ge(v, c) if v == nil then return U end if v >= c then return T end return F end
  local function lt(v, c) if v == nil then return U end if v < c then return T end return F end
  local function near(v, c) return v ~= nil and abs(v - c) <= near_margin * abs(c) end
  local function and3(a, b)
    if a == F or b == F then return F end
    if a == U or b == U then return U end
    return T
  end
  local function not3(a) if a == T then return F elseif a == F then return T end return U end
  -- a conjunction a near line could decide: a near test and no other test false
  local function close(states, lines)
    local false_tests, near_false, any_near = 0, 0, false
    for k = 1, #states do
      local nr = lines[k]
      if states[k] == F then
        false_tests = false_tests + 1
        if nr then near_false = near_false + 1 end
      end
      any_near = any_near or nr
    end
    return (false_tests == 0 and any_near) or (false_tests == 1 and near_false == 1)
  end
  return function(tpp, pd, dc)
    local s1 = ge(tpp, A1)
    local s2a, s2b = ge(tpp, A2T), ge(pd, A2P)
    local s3a, s3b, s3c, s3d = ge(tpp, B1TL), lt(tpp, B1TH), ge(pd, B1PL), lt(pd, B1PH)
    local s4a, s4b, s4c = ge(tpp, B2T), ge(pd, B2PL), lt(pd, B2PH)
    local nondc = dc == nil and U or (dc == 0 and T or F)
    local sn = lt(tpp, N2)
    local a1 = s1
    local a2 = and3(s2a, s2b)
    local b1 = and3(and3(s3a, s3b), and3(s3c, s3d))
    local b2 = and3(s4a, and3(s4b, s4c))
    local note2 = and3(nondc, sn)
    local nac = nondc
    -- near: a deciding line within the margin (paragraphs, and Note 2 where a/b are not already false)
    local is_near = close({ s1 }, { near(tpp, A1) })
      or close({ s2a, s2b }, { near(tpp, A2T), near(pd, A2P) })
      or close({ s3a, s3b, s3c, s3d }, { near(tpp, B1TL), near(tpp, B1TH), near(pd, B1PL), near(pd, B1PH) })
      or close({ s4a, s4b, s4c }, { near(tpp, B2T), near(pd, B2PL), near(pd, B2PH) })
      or ((a1 ~= F or a2 ~= F or b1 ~= F or b2 ~= F) and close({ nondc, sn }, { false, near(tpp, N2) }))
    -- Note 2 excludes a and b; NAC rewrites the outcome of a
    local keep = not3(note2)
    local eff = { and3(a1, keep), and3(a2, keep), and3(b1, keep), and3(b2, keep) }
    local a_outcome = nac == T and 1 or (nac == U and -2 or 0)
    local outcome_of = { a_outcome, a_outcome, 1, 1 }
    local governing, unknown = -1, false
    for k = 1, 4 do
      if eff[k] == T then governing = k - 1 break end
      if eff[k] == U then unknown = true end
    end
    if governing >= 0 then
      local out = outcome_of[governing + 1]
      if unknown then
        for k = 1, governing do
          if eff[k] == U and outcome_of[k] ~= out then out = -2 end
        end
      end
      return 1, governing, out, is_near and 1 or 0
    end
    if unknown then return 2, -1, -2, is_near and 1 or 0 end
    return 0, -1, -1, is_near and 1 or 0
  end
end

function M.run(args)
  local rules = require "tpp.rules"
  local n = cli.number(args, "n", 10000000, "bench rules")
  local sample = cli.number(args, "sample", 1000000, "bench rules")
  local threads = benchlib.thread_option(args, "bench rules") or 0
  local reps = cli.number(args, "repeat", 3, "bench rules")
  local seed = cli.number(args, "seed", 42, "bench rules")
  if n < 1 or sample < 1 or reps < 1 then error("tpp bench rules: --n, --sample and --repeat must be >= 1", 0) end
  if sample > n then sample = n end
  local v = rules.get("us-2023-10")
  local compiled = v:program(M.AS_OF)

  -- a fleet around the lines: TPP 100..100,000, PD 0.1..100, 80 % datacenter, 1 % of each unknown
  progress.update("bench rules: generating " .. n .. " chips", 0)
  local b = core.batch_new(n)
  b:randomize("tpp", 100, 100000, seed, 0.01)
  b:randomize("pd", 0.1, 100, seed + 1, 0.01)
  core.random_flags(b, "datacenter", 0.8, seed + 2, 0.01)
  b:fill("memory_item", 0)   -- processors, not stand-alone HBM stacks (3A090.a/.b apply)

  local best_c = benchlib.best_of(reps, "bench rules: compiled C program", function()
    core.rule_eval(compiled.prog, b, compiled.columns, "r_", nil, threads)
  end)
  -- one thread as well, so the scaling is visible
  local best_c1 = benchlib.best_of(reps, "bench rules: compiled C program, 1 thread", function()
    core.rule_eval(compiled.prog, b, compiled.columns, "r1_", nil, 1)
  end)

  progress.update("bench rules: copying the sample to Lua", 0)
  local tpp_col, pd_col, dc_col = {}, {}, {}
  for i = 1, sample do
    tpp_col[i], pd_col[i], dc_col[i] = b:get("tpp", i), b:get("pd", i), b:get("datacenter", i)
  end
  local thresholds = {}
  for name, res in pairs(compiled.resolved) do thresholds[name] = res.value end
  local classify = M.lua_classifier(thresholds, compiled.near)
  local st, gov, out, nr = {}, {}, {}, {}
  local best_lua = benchlib.best_of(reps, "bench rules: per-chip Lua function", function()
    -- locals, not upvalues, so the baseline loop is as fast as plain Lua gets
    local f, tc, pc, dc, s1, s2, s3, s4 = classify, tpp_col, pd_col, dc_col, st, gov, out, nr
    for i = 1, sample do
      s1[i], s2[i], s3[i], s4[i] = f(tc[i], pc[i], dc[i])
    end
  end)
  progress.done()

  -- both paths must agree on the sample, or the timing means nothing
  local mismatches = 0
  for i = 1, sample do
    local cg, co = b:get("r_governing", i), b:get("r_outcome", i)
    local rg = gov[i] >= 0 and gov[i] or nil
    local ro = out[i] >= 0 and out[i] or nil
    if b:get("r_status", i) ~= st[i] or cg ~= rg or co ~= ro or b:get("r_near", i) ~= nr[i] then
      mismatches = mismatches + 1
    end
  end
  local counts = { 0, 0, 0 }
  for i = 1, sample do counts[st[i] + 1] = counts[st[i] + 1] + 1 end
  b:free()

  local c_rate, c1_rate, lua_rate = n / best_c, n / best_c1, sample / best_lua
  local used_threads = threads > 0 and threads or core.threads()
  local data = {
    benchmark = "rules", rules = v.id, rules_hash = v.hash, as_of = M.AS_OF,
    interpreter = rawget(_G, "jit") and jit.version or _VERSION,
    binding = core.binding,
    threads = used_threads, cores = core.cpu_count(),
    compiled = { chips = n, seconds = best_c, evaluations_per_second = c_rate, threads = used_threads },
    compiled_one_thread = { chips = n, seconds = best_c1, evaluations_per_second = c1_rate },
    lua_function = { chips = sample, seconds = best_lua, evaluations_per_second = lua_rate },
    ratio = c_rate / lua_rate,
    ratio_one_thread = c1_rate / lua_rate,
    repeats = reps,
    agree = mismatches == 0, mismatches = mismatches, sample = sample,
    sample_status = { not_controlled = counts[1], controlled = counts[2], undetermined = counts[3] },
    goal = { ratio = 50, evaluations_per_second = 5e7, cores = 2 },
  }
  local text = report.table({
    { key = "path", title = "path" },
    { key = "chips", title = "chips", align = "right", fmt = report.int },
    { key = "seconds", title = "best s", align = "right", fmt = report.fixed(4) },
    { key = "rate", title = "evaluations/s", align = "right", fmt = report.int },
    { key = "ratio", title = "vs Lua", align = "right", fmt = function(x) return ("%.1fx"):format(x) end },
  }, {
    { path = ("compiled C program (%d threads)"):format(used_threads), chips = n, seconds = best_c, rate = c_rate,
      ratio = data.ratio },
    { path = "compiled C program (1 thread)", chips = n, seconds = best_c1, rate = c1_rate,
      ratio = data.ratio_one_thread },
    { path = "per-chip Lua function (" .. data.interpreter .. ")", chips = sample, seconds = best_lua,
      rate = lua_rate, ratio = 1 },
  }) .. ("\n%s over %d chips: ratio %.1fx (goal >= 50x), %.1f M evaluations/s on %d threads (goal >= 50 M " ..
    "on two cores); both agree on the %d-chip sample: %s\n"):format(v.id, n, data.ratio, c_rate / 1e6,
    used_threads, sample, data.agree and "yes" or ("NO, " .. mismatches .. " rows differ"))
  return data, text
end

return M
