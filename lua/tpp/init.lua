--- tpp: export-control metrics of AI chips, with a C core.
--
--   local tpp = require "tpp"
--   local h20 = tpp.chip "H20"
--   print(h20:tpp())                -- 2368   fp8
--   print(h20:pd())                 -- 2.909...
--   print(tpp.h100e(h20, "8bit"))   -- 0.1496  dense 8-bit OP/s / 1,978.9 TOPS (H100 SXM)
--
-- Not legal advice: tpp computes metrics from published figures and reads
-- public rule texts; a licensing decision needs counsel and the official text.
local core = require "tpp.backend"
local spec = require "tpp.spec"
local db = require "tpp.chips"
local util = require "tpp.util"

local tpp = {}

tpp._VERSION = core._VERSION
tpp.binding = core.binding
tpp.DISCLAIMER = "tpp is not legal advice: it computes metrics from published figures " ..
  "and reads public rule texts; a licensing decision needs counsel and the official text."
tpp.PRECISIONS = spec.PRECISIONS
tpp.H100E_BASES = spec.H100E_BASES

local chip_cache = {}

local function from_db(id)
  local c = chip_cache[id]
  if not c then
    c = spec.new(db.get(id))
    chip_cache[id] = c
  end
  return c
end

--- A chip object from a database id, name or alias, or from a chip table.
-- Raises with a "did you mean" suggestion for an unknown name.
function tpp.chip(x)
  if spec.is_chip(x) then return x end
  if type(x) == "string" then
    local id, msg = db.resolve(x)
    if not id then error("tpp: " .. msg, 2) end
    return from_db(id)
  end
  if type(x) == "table" then return spec.new(x) end
  error("tpp.chip: database name or chip table expected, got " .. type(x), 2)
end

--- Resolve a name without raising: id or nil, message.
tpp.resolve = db.resolve

--- Every chip of the database, in database order. With a predicate, only
-- those for which pred(chip) is true.
function tpp.chips(pred)
  local out = {}
  for _, r in ipairs(db.rows()) do
    local c = from_db(r.id)
    if not pred or pred(c) then out[#out + 1] = c end
  end
  return out
end

--- H100-equivalents of a chip on a declared basis ("tpp", "8bit", "fp16").
-- Returns value (nil if unknown) and the basis label.
function tpp.h100e(chip, basis, opts)
  return tpp.chip(chip):h100e(basis, opts)
end

-- ---- batches ----

local Batch = {}
Batch.__index = Batch

local INPUT_COLUMNS = { "area_mm2", "mem_bw_gbs", "mem_area_mm2" }
tpp.BATCH_INPUTS = util.deepcopy(spec.PRECISIONS)
for _, c in ipairs(INPUT_COLUMNS) do tpp.BATCH_INPUTS[#tpp.BATCH_INPUTS + 1] = c end
tpp.BATCH_OUTPUTS = { "tpp", "tpp_precision", "pd", "pp", "mbd", "h100e_tpp", "h100e_8bit", "h100e_fp16" }

--- tpp.batch(n) -> an empty batch of n rows (columns: tpp.BATCH_INPUTS);
-- tpp.batch(list[, opts]) -> a batch holding those chips (objects, tables or
-- names), already evaluated. Columns live outside the Lua heap.
function tpp.batch(x, opts)
  require("tpp.io.options").check("tpp.batch", opts, { tf32_bits = "integer", threads = "integer" })
  if type(x) == "number" then
    return setmetatable({ raw = core.batch_new(x), ids = {} }, Batch)
  end
  if type(x) ~= "table" then
    error("tpp.batch: row count or list of chips expected, got " .. type(x), 2)
  end
  local n = #x
  local b = setmetatable({ raw = core.batch_new(n), ids = {} }, Batch)
  local cols = {}
  for _, name in ipairs(tpp.BATCH_INPUTS) do cols[name] = {} end
  for i = 1, n do
    local c = tpp.chip(x[i])
    if c.data.units then
      error(("tpp.batch: row %d (%s) has processing units; batches hold chip totals, use chip:metrics()")
        :format(i, c.data.id or "?"), 2)
    end
    b.ids[i] = c.data.id
    for _, p in ipairs(spec.PRECISIONS) do cols[p][i] = c.data.dense[p] end
    cols.area_mm2[i] = c:metrics().area_mm2
    cols.mem_bw_gbs[i] = c.data.memory.bandwidth_gbs
    cols.mem_area_mm2[i] = c.data.memory.package_area_mm2
  end
  for name, values in pairs(cols) do
    if next(values) ~= nil then b.raw:set_column(name, values) end
  end
  b:eval(opts)
  return b
end

--- Compute every metric over the batch (C core, all threads unless told).
-- opts: tf32_bits (0, 19, 32), threads.
function Batch:eval(opts)
  opts = require("tpp.io.options").check("tpp.batch:eval", opts, { tf32_bits = "integer", threads = "integer" })
  core.spec_eval(self.raw, opts.tf32_bits or 0, opts.threads or 0)
  return self
end

function Batch:size() return self.raw:size() end
function Batch:set(name, i, v) return self.raw:set(name, i, v) end
function Batch:get(name, i) return self.raw:get(name, i) end
function Batch:set_column(name, t) return self.raw:set_column(name, t) end
function Batch:fill(name, v) return self.raw:fill(name, v) end
function Batch:randomize(...) return self.raw:randomize(...) end
function Batch:has(name) return self.raw:has(name) end
function Batch:names() return self.raw:names() end
function Batch:free() return self.raw:free() end
Batch.__close = Batch.free

--- A column as a Lua list (nil where unknown); tpp_precision as names.
function Batch:column(name)
  local col = self.raw:column(name)
  if name == "tpp_precision" and col then
    for i, v in pairs(col) do col[i] = spec.PRECISIONS[v + 1] end
  end
  return col
end

--- One row's metrics as a table.
function Batch:row(i)
  local r = { id = self.ids[i] }
  for _, name in ipairs(tpp.BATCH_OUTPUTS) do r[name] = self.raw:get(name, i) end
  if r.tpp_precision then r.tpp_precision = spec.PRECISIONS[r.tpp_precision + 1] end
  return r
end

function Batch:__len() return self.raw:size() end
function Batch:__tostring() return tostring(self.raw) end

tpp.Batch = Batch

--- Threads used by the C core (0 = all cores); returns the current count.
function tpp.threads(n) return core.threads(n) end

tpp.core = core

--- The host CPU as a chip (measured peaks through the chip-metric core).
function tpp.host(opts) return require("tpp.host").chip(opts) end

--- Screen a transaction under every regime tpp encodes (tpp.screen.screen):
-- tpp.screen { chip = "H20", to = "China", as_of = "2025-07-15", end_user = ..., end_use = ..., hq = ... }
function tpp.screen(q) return require("tpp.screen").screen(q) end

-- Sub-modules load on first use: tpp.rules, tpp.model, tpp.tensor, ...
local LAZY = {
  rules = "tpp.rules", model = "tpp.model", tensor = "tpp.tensor", kernels = "tpp.kernels",
  json = "tpp.json", infer = "tpp.infer", serve = "tpp.serve", svg = "tpp.svg", chart = "tpp.chart",
  dest = "tpp.dest", ledger = "tpp.ledger", import = "tpp.chips.import", regimes = "tpp.regimes", io = "tpp.io",
}
setmetatable(tpp, { __index = function(t, k)
  local name = LAZY[k]
  if not name then return nil end
  local mod = require(name)
  rawset(t, k, mod)
  return mod
end })

return tpp
