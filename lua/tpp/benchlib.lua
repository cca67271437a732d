--- tpp.benchlib: timing helpers shared by the inference benchmarks
-- (lua/tpp/bench/gemm.lua, membw, decode, prefill, host).
--
-- Timings are best-of-repetitions (the least disturbed run): on a shared or
-- virtual machine the median mostly measures the neighbours. A baseline and
-- the figure compared with it are measured in the same run, alternately.
local core = require "tpp.backend"
local cli = require "tpp.cli"

local M = {}

--- Best (smallest) seconds per call of fn over at least `seconds` and
-- `min_reps` calls.
function M.best_time(fn, seconds, min_reps)
  local best, reps = math.huge, 0
  local t_end = core.now() + (seconds or 0.3)
  repeat
    local t0 = core.now()
    fn()
    local dt = core.now() - t0
    if dt < best then best = dt end
    reps = reps + 1
  until core.now() >= t_end and reps >= (min_reps or 2)
  return best, reps
end

--- Best (smallest) seconds of `reps` calls of fn, with a progress line.
function M.best_of(reps, label, fn)
  local progress = require "tpp.progress"
  local best = math.huge
  for r = 1, reps do
    progress.update(label, r - 1, reps)
    local t0 = core.now()
    fn()
    local dt = core.now() - t0
    if dt < best then best = dt end
  end
  return best
end

--- A list of numbers from "256,512" (or the default list).
function M.numbers(args, name, default, cmd)
  local v = args[name]
  if v == nil then return default end
  local out = {}
  for part in tostring(v):gmatch("[^,%s]+") do
    local n = tonumber(part)
    if not n or n <= 0 then error(("tpp bench %s: --%s: '%s' is not a positive number"):format(cmd, name, part), 0) end
    out[#out + 1] = n
  end
  if #out == 0 then error(("tpp bench %s: --%s is empty"):format(cmd, name), 0) end
  return out
end

--- A list of names from "a,b", each checked against `known`.
function M.names(args, name, default, known, cmd)
  local v = args[name]
  if v == nil then return default end
  local out = {}
  for part in tostring(v):gmatch("[^,%s]+") do
    if not known[part] then
      local k = {}
      for key in pairs(known) do k[#k + 1] = key end
      table.sort(k)
      error(("tpp bench %s: --%s: '%s' is not one of %s"):format(cmd, name, part, table.concat(k, ", ")), 0)
    end
    out[#out + 1] = part
  end
  return out
end

--- The --threads of a command (nil when absent: all cores), checked: an
-- integer from 1 to 256, or an error naming the option, value and range.
function M.thread_option(args, cmdname)
  local n = cli.number(args, "threads", nil, cmdname)
  if n == nil then return nil end
  local ok, err = pcall(core.check_threads, n, "--threads")
  if not ok then error(("tpp %s: %s"):format(cmdname, tostring(err):gsub("^tpp: ", "")), 0) end
  return n
end

--- Apply --threads (absent = all cores); returns the count in use.
function M.threads(args, cmd)
  local n = M.thread_option(args, "bench " .. cmd)
  if n then core.threads(n) end
  return core.threads()
end

--- A new empty scratch file "tpp-bench-XXXXXX-<name>" in $TMPDIR (else
-- /tmp), created exclusively (O_EXCL, mode 0600: no other user's file or
-- link is ever written through); M.cleanup removes it.
local made = {}
function M.tmp(name)
  local p = core.temp_file(nil, "tpp-bench-", "-" .. name)
  made[#made + 1] = p
  return p
end

function M.cleanup()
  for _, p in ipairs(made) do os.remove(p) end
  made = {}
end

--- Where the host stands, for every report.
function M.host_info()
  local active, best = core.isa()
  return {
    cpu = core.cpu_name(), cores = core.cpu_count(), threads = core.threads(), isa = active,
    isa_detected = best, blas = core.blas_info(), binding = core.binding, lua = _VERSION,
  }
end

--- A random fp32 checkpoint of a llama2.c shape, written once per run.
local model_files = {}
function M.model_file(shape)
  if not model_files[shape] then
    local model = require "tpp.model"
    local path = M.tmp(shape .. ".bin")
    model.write_random { path = path, shape = shape, seed = 1 }
    model_files[shape] = path
  end
  return model_files[shape]
end

local cleanup = M.cleanup
function M.cleanup()
  cleanup()
  model_files = {}
end

--- run, with the scratch files removed however it ends (results, an error,
-- Ctrl-C: the interrupt arrives as an error).
local function pack(...) return { n = select("#", ...), ... } end

function M.guard(run)
  return function(...)
    local r = pack(pcall(run, ...))
    M.cleanup()
    if not r[1] then error(r[2], 0) end
    return (table.unpack or unpack)(r, 2, r.n)
  end
end

function M.header(title, info)
  return ("%s\n%s, %d cores, %d threads; kernels %s; %s\n\n"):format(title, info.cpu, info.cores, info.threads,
    info.isa, info.blas)
end

function M.f(v, digits)
  if v == nil then return "-" end
  return ("%." .. (digits or 1) .. "f"):format(v)
end

return M
