--- tpp bench input: a generated chip CSV classified end to end through the
-- command line (`tpp classify --input FILE --output OUT.jsonl`), against the
-- same rows through the per-chip path (a sample, scaled) and, when python3
-- with numpy is importable, against a Python csv + numpy script of the same
-- rule, in one run. Files live in a private temporary directory under
-- $TMPDIR, removed at the end (also after an error or Ctrl-C).
local core = require "tpp.backend"
local progress = require "tpp.progress"
local report = require "tpp.report"
local cli = require "tpp.cli"
local json = require "tpp.json"
local util = require "tpp.util"

local M = {
  summary = "rows/s of `tpp classify --input FILE.csv --output FILE.jsonl` vs the per-chip path and Python",
  usage = "tpp bench input [--rows N] [--sample N] [--repeat R] [--seed S] [--json]",
  options = {
    rows = { arg = "N", help = "rows in the generated CSV (default 1,000,000)" },
    sample = { arg = "N", help = "rows classified one by one (default 2,000)" },
    ["repeat"] = { arg = "R", help = "timed runs of the command line and Python; the best is kept (default 3)" },
    seed = { arg = "S", help = "random seed of the generated chips (default 42)" },
  },
  max_args = 0,
}

M.RULES, M.AS_OF = "us-2023-10", "2024-06-01"
M.HEADER = "id,name,vendor,fp16,bf16,fp8,int8,die_area_mm2,mem_bw_gbs,interconnect_gbs,datacenter,year"

--- Write n generated chips (around the 3A090 lines: TPP about 500 to 40,000,
-- PD about 0.5 to 50, 80 % datacenter) to path.
function M.generate(path, n, seed)
  local f = assert(io.open(path, "wb"))
  f:write(M.HEADER, "\n")
  local state = seed % 2147483647 + 1
  local function rnd()
    state = (state * 48271) % 2147483647
    return state / 2147483647
  end
  local buf, fmt = {}, "chip%d,Accelerator %d,Vendor %d,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%s,%d\n"
  for i = 1, n do
    local f16 = math.floor(30 + rnd() * 2500) / 10 * (rnd() < 0.5 and 1 or 10)
    local area = math.floor(100 + rnd() * 800)
    buf[#buf + 1] = fmt:format(i, i, i % 50, f16, f16, f16 * 2, f16 * 2, area, math.floor(200 + rnd() * 8000),
      math.floor(rnd() * 1800), rnd() < 0.8 and "true" or "false", 2018 + i % 8)
    if #buf == 20000 then
      f:write(table.concat(buf))
      buf = {}
    end
  end
  f:write(table.concat(buf))
  f:close()
end

-- The same rule (us-2023-10 with every input known) as a Python csv + numpy
-- script; thresholds come from the rule file, not from this code.
function M.python_script(th)
  return ([==[
import csv, json, resource, sys, time
import numpy as np
t0 = time.perf_counter()
src, dst = sys.argv[1], sys.argv[2]
cols = {k: [] for k in ("fp16", "bf16", "fp8", "int8", "die_area_mm2", "datacenter")}
ids = []
with open(src, newline="") as f:
    for r in csv.DictReader(f):
        ids.append(r["id"])
        for k in cols:
            cols[k].append(r[k])
f16 = np.array(cols["fp16"], dtype=np.float64); b16 = np.array(cols["bf16"], dtype=np.float64)
f8 = np.array(cols["fp8"], dtype=np.float64); i8 = np.array(cols["int8"], dtype=np.float64)
area = np.array(cols["die_area_mm2"], dtype=np.float64)
dc = np.array([v == "true" for v in cols["datacenter"]])
tpp = np.maximum.reduce([f16 * 16, b16 * 16, f8 * 8, i8 * 8])
pd = tpp / area
a1 = tpp >= %s
a2 = (tpp >= %s) & (pd >= %s)
b1 = (tpp >= %s) & (tpp < %s) & (pd >= %s) & (pd < %s)
b2 = (tpp >= %s) & (pd >= %s) & (pd < %s)
note2 = (~dc) & (tpp < %s)
controlled = (a1 | a2 | b1 | b2) & ~note2
with open(dst, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["row", "chip", "status", "tpp", "pd"])
    for i in range(len(ids)):
        w.writerow([i + 1, ids[i], "controlled" if controlled[i] else "not-controlled", repr(tpp[i]), repr(pd[i])])
print(json.dumps({"rows": len(ids), "controlled": int(controlled.sum()),
                  "not_controlled": int(len(ids) - controlled.sum()),
                  "seconds": time.perf_counter() - t0,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
]==]):format(util.num(th["3A090.a.1.tpp"]), util.num(th["3A090.a.2.tpp"]), util.num(th["3A090.a.2.pd"]),
    util.num(th["3A090.b.1.tpp.lo"]), util.num(th["3A090.b.1.tpp.hi"]), util.num(th["3A090.b.1.pd.lo"]),
    util.num(th["3A090.b.1.pd.hi"]), util.num(th["3A090.b.2.tpp"]), util.num(th["3A090.b.2.pd.lo"]),
    util.num(th["3A090.b.2.pd.hi"]), util.num(th["3A090.note2.tpp"]))
end

local function sh_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Output, exit status and wall seconds of a shell command (the status is
-- echoed: LuaJIT's popen close does not return it).
local function run(cmd)
  local t0 = core.now()
  local p = io.popen(cmd .. " 2>&1; echo \"tpp-exit=$?\"")
  local out = p:read("*a")
  p:close()
  local seconds = core.now() - t0
  local code = tonumber(out:match("tpp%-exit=(%d+)%s*$"))
  return (out:gsub("tpp%-exit=%d+%s*$", "")), code or 1, seconds
end

-- The interpreter and binding running now, to run the command line the same way.
local function tpp_command()
  local interp = rawget(_G, "jit") and "luajit" or (_VERSION == "Lua 5.4" and "lua5.4" or "lua5.1")
  local bin = arg and arg[0] and arg[0]:match("tpp$") and arg[0]
  if not bin then
    -- a checkout: bin/tpp beside lua/tpp/
    local init = package.searchpath and package.searchpath("tpp", package.path)
    local root = init and init:match("^(.-)/?lua/tpp/init%.lua$")
    local candidate = root and ((root == "" and "." or root) .. "/bin/tpp")
    local f = candidate and io.open(candidate, "rb")
    if f then
      f:close()
      bin = candidate
    end
  end
  bin = bin or "tpp"
  local binding = os.getenv("TPP_BINDING")
  return ("TPP_LUA=%s%s %s"):format(interp, binding and (" TPP_BINDING=" .. binding) or "", sh_quote(bin))
end

local function python_with_numpy()
  for _, py in ipairs({ "python3", "/usr/bin/python3" }) do
    local _, code = run(sh_quote(py) .. " -c 'import numpy' >/dev/null")
    if code == 0 then return py end
  end
  return nil
end

local function bench(args, dir)
  local rows = cli.number(args, "rows", 1000000, "bench input")
  local sample = cli.number(args, "sample", 2000, "bench input")
  local reps = cli.number(args, "repeat", 3, "bench input")
  local seed = cli.number(args, "seed", 42, "bench input")
  if rows < 1 or sample < 1 or reps < 1 or rows ~= math.floor(rows) or sample ~= math.floor(sample) then
    error("tpp bench input: --rows, --sample and --repeat must be whole numbers >= 1", 0)
  end
  if sample > rows then sample = rows end
  local csv, out = dir .. "/chips.csv", dir .. "/out.jsonl"

  progress.update(("bench input: generating %s chips"):format(util.fmt(rows)), 0)
  M.generate(csv, rows, seed)
  local f = io.open(csv, "rb")
  local csv_bytes = f:seek("end")
  f:close()

  -- 1. the command line, end to end (process start, reading, classifying, writing)
  local cmd = ("%s classify --input %s --output %s --rules %s --as-of %s --json"):format(
    tpp_command(), sh_quote(csv), sh_quote(out), M.RULES, M.AS_OF)
  local best, times, summary = math.huge, {}, nil
  for r = 1, reps do
    progress.update(("bench input: tpp classify, run %d of %d"):format(r, reps), 0)
    local text, code, seconds = run(cmd)
    -- 0/1/2 are classification results (the strictest of the file); anything else failed
    if code ~= 0 and code ~= 1 and code ~= 2 then error("tpp bench input: the command line failed: " .. text, 0) end
    summary = json.decode(text)
    times[#times + 1] = seconds
    if seconds < best then best = seconds end
  end
  table.sort(times)
  local peak_kb = core.children_peak_kb()
  local fast_counts = summary.counts[M.RULES]

  -- 2. the per-chip path on the first rows, same output format
  local stream = require "tpp.rules.stream"
  local sample_csv, sample_out = dir .. "/sample.csv", dir .. "/sample.jsonl"
  do
    local src, dst = io.open(csv, "rb"), io.open(sample_csv, "wb")
    for _ = 1, sample + 1 do dst:write(src:read("*l"), "\n") end
    src:close()
    dst:close()
  end
  progress.update(("bench input: %s chips one by one"):format(util.fmt(sample)), 0)
  local t0 = core.now()
  stream.classify(sample_csv, { output = sample_out, format = "jsonl", rules = { M.RULES }, as_of = M.AS_OF,
                                path = "chip" })
  local per_chip_s = core.now() - t0
  -- the first records of the fast path must be the per-chip records
  local agree = true
  do
    local a, b = io.open(out, "rb"), io.open(sample_out, "rb")
    for _ = 1, sample do
      if a:read("*l") ~= b:read("*l") then agree = false break end
    end
    a:close()
    b:close()
  end

  -- 3. Python csv + numpy, when available
  local py = python_with_numpy()
  local python
  if py then
    local th = {}
    for name, res in pairs(require("tpp.rules").get(M.RULES):program(M.AS_OF).resolved) do th[name] = res.value end
    local script = dir .. "/classify.py"
    local sf = assert(io.open(script, "wb"))
    sf:write(M.python_script(th))
    sf:close()
    local pbest, presult = math.huge, nil
    for r = 1, reps do
      progress.update(("bench input: python csv + numpy, run %d of %d"):format(r, reps), 0)
      local text, code, seconds = run(("%s %s %s %s"):format(sh_quote(py), sh_quote(script), sh_quote(csv),
        sh_quote(dir .. "/py.csv")))
      if code ~= 0 then error("tpp bench input: the Python script failed: " .. text, 0) end
      presult = json.decode(text:match("{.*}"))
      if seconds < pbest then pbest = seconds end
    end
    python = { interpreter = py, seconds = pbest, rows_per_second = rows / pbest, peak_mb = presult.peak_kb / 1024,
               controlled = presult.controlled, not_controlled = presult.not_controlled,
               agree = presult.controlled == fast_counts.controlled and
                 presult.not_controlled == fast_counts.not_controlled + fast_counts.undetermined }
  end
  progress.done()

  local fast_rate, chip_rate = rows / best, sample / per_chip_s
  local data = {
    benchmark = "input", rules = M.RULES, as_of = M.AS_OF, rows = rows, csv_bytes = csv_bytes,
    interpreter = rawget(_G, "jit") and jit.version or _VERSION, binding = core.binding,
    cores = core.cpu_count(), threads = core.threads(),
    command_line = { seconds = best, median_seconds = times[math.floor((#times + 1) / 2)], runs = times,
                     rows_per_second = fast_rate, peak_mb = peak_kb and peak_kb > 0 and peak_kb / 1024 or nil,
                     output_bytes = summary.bytes, counts = fast_counts, path = summary.path },
    per_chip = { rows = sample, seconds = per_chip_s, rows_per_second = chip_rate, agree = agree },
    python = python or json.null,
    python_note = python and nil or "python3 with numpy not importable: the Python baseline was skipped",
    ratio_per_chip = fast_rate / chip_rate,
    ratio_python = python and fast_rate / python.rows_per_second or json.null,
    goal = { rows_per_second = 500000, cores = 2, peak_mb_10m_rows = 300 },
  }
  local tbl = {
    { path = "tpp classify --input CSV --output JSONL (" .. summary.path .. " path)", rows = rows, seconds = best,
      rate = fast_rate, ratio = 1, peak = data.command_line.peak_mb },
    { path = "per-chip path (tpp.rules.classify), sample", rows = sample, seconds = per_chip_s, rate = chip_rate,
      ratio = chip_rate / fast_rate },
  }
  if python then
    tbl[#tbl + 1] = { path = "Python csv + numpy (" .. py .. ")", rows = rows, seconds = python.seconds,
                      rate = python.rows_per_second, ratio = python.rows_per_second / fast_rate, peak = python.peak_mb }
  end
  local text = report.table({
    { key = "path", title = "path" },
    { key = "rows", title = "rows", align = "right", fmt = report.int },
    { key = "seconds", title = "best s", align = "right", fmt = report.fixed(3) },
    { key = "rate", title = "rows/s", align = "right", fmt = report.int },
    { key = "ratio", title = "vs tpp", align = "right", fmt = function(x) return ("%.3gx"):format(x) end },
    { key = "peak", title = "peak MB", align = "right", fmt = function(x) return x and ("%.0f"):format(x) or "-" end },
  }, tbl) .. ("\n%s rows (%s MB of CSV) under %s: %s rows/s end to end, %.0fx the per-chip path%s; " ..
    "goal >= 500,000 rows/s on two cores (this run: %d threads). The per-chip records %s the first %d " ..
    "of the command line's.%s\n"):format(util.fmt(rows), util.fmt(csv_bytes / 1e6, 1), M.RULES,
    util.fmt(fast_rate), data.ratio_per_chip,
    python and (", %.1fx Python csv + numpy"):format(data.ratio_python) or "",
    data.threads, agree and "match" or "DO NOT MATCH", sample,
    python and ("\nPython agrees on the status counts: %s."):format(python.agree and "yes" or "NO") or
      ("\n" .. data.python_note .. "."))
  return data, text
end

function M.run(args)
  local dir, err = core.temp_dir("tpp-bench-input")
  if not dir then error("tpp bench input: " .. err, 0) end
  local ok, data, text = pcall(bench, args, dir)
  -- remove what was made, whatever happened (an error, Ctrl-C)
  for _, name in ipairs({ "chips.csv", "out.jsonl", "sample.csv", "sample.jsonl", "classify.py", "py.csv" }) do
    os.remove(dir .. "/" .. name)
  end
  os.remove(dir)
  progress.done()
  if not ok then error(data, 0) end
  return data, text
end

return M
