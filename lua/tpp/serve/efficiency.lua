--- tpp.serve.efficiency: the efficiency table, as data, and its look-up.
--
-- An entry is keyed by chip (or architecture, or vendor), software stack,
-- phase and precision class, and holds the fitted value, its uncertainty u
-- (the figure's range is value x exp(-u) .. value x exp(u)), the
-- measurements it was fitted on, their sources and the fit date:
--   decode  = fraction of peak memory bandwidth streaming weights and KV
--   prefill = fraction of peak FLOPS in matmuls and attention (used for the
--             compute-bound part of decode too: the same matmul kernels)
-- The shipped table (tpp/serve/efficiency_table.lua) is written by
-- `tpp calibrate --write` from the shipped measurements; any chip without
-- its own entry falls back to its architecture, then its vendor, then the
-- global value, each with a wider uncertainty, and says so.
local util = require "tpp.util"

local M = {}

M.PHASES = { "decode", "prefill" }

-- Priors before any fit (and the global fallback's centre if no table).
M.PRIOR = { decode = 0.7, prefill = 0.5 }
-- Rows per weight matrix at which a matmul runs at half its efficiency
-- (fitted globally with the table; this is the prior).
M.PRIOR_M_HALF = 64
-- Sharpness of the rounded roofline (fitted globally; this is the prior).
M.PRIOR_ROOFLINE_P = 4

-- Precision classes: the table is fitted per class, not per format.
M.CLASS = { fp4 = "4bit", int4 = "4bit", fp8 = "8bit", int8 = "8bit", fp16 = "16bit", bf16 = "16bit",
            fp32 = "32bit" }

-- Architecture families, by chip id pattern (first match wins); chips added
-- to the database later land in the right family when their ids follow the
-- vendor's naming, else in their vendor's fallback.
M.ARCH = {
  { "^nv_g?h%d", "hopper" }, { "^nv_gb%d", "blackwell" }, { "^nv_b%d", "blackwell" },
  { "^nv_a%d", "ampere" }, { "^nv_l%d", "ada" }, { "^nv_rtx40", "ada" }, { "^nv_rtx50", "blackwell-client" },
  { "^nv_rtx6000", "blackwell-client" }, { "^amd_mi3[02]", "cdna3" }, { "^amd_mi35", "cdna4" },
  { "^amd_mi2", "cdna2" }, { "^intel_gaudi2", "gaudi2" }, { "^intel_gaudi3", "gaudi3" },
  { "^hw_910", "ascend910" }, { "^hw_950", "ascend950" }, { "^host$", "cpu" },
}

function M.arch_of(id)
  id = tostring(id or "")
  for _, a in ipairs(M.ARCH) do
    if id:match(a[1]) then return a[2] end
  end
  return nil
end

local VENDORS = { { "nvidia", "NVIDIA" }, { "amd", "AMD" }, { "intel", "Intel" }, { "habana", "Intel" },
                  { "huawei", "Huawei" }, { "hisilicon", "Huawei" }, { "google", "Google" }, { "aws", "AWS" },
                  { "amazon", "AWS" } }

--- The vendor key of a chip table ("NVIDIA", "AMD", ..., "host" or "other").
function M.vendor_of(d)
  if d.id == "host" then return "host" end
  local v = tostring(d.vendor or ""):lower()
  for _, p in ipairs(VENDORS) do
    if v:find(p[1], 1, true) then return p[2] end
  end
  return "other"
end

-- ---- the table object ----

local Table = {}
Table.__index = Table

--- A table from data { entries = {...}, date, source, rms_holdout }.
function M.new(data)
  local t = setmetatable({ data = data, index = {} }, Table)
  for _, e in ipairs(data.entries or {}) do
    t.index[table.concat({ e.level, e.key, e.stack or "*", e.phase, e.precision or "*" }, "|")] = e
  end
  return t
end

local shipped
--- The shipped table (fitted on tpp's own measurements).
function M.default()
  if not shipped then shipped = M.new(require("tpp.serve.efficiency_table")) end
  return shipped
end

--- The matmul row-count constant of this table.
function Table:gemm_m_half()
  return self.data.gemm_m_half or M.PRIOR_M_HALF
end

--- The roofline sharpness of this table.
function Table:roofline_p()
  return self.data.roofline_p or M.PRIOR_ROOFLINE_P
end

function Table:get(level, key, stack, phase, precision)
  return self.index[table.concat({ level, key, stack or "*", phase, precision or "*" }, "|")]
end

-- Extra uncertainty for each step away from a measured chip and stack.
M.WIDEN = { precision = 0.15, stack = 0.25 }

local function widen(u, extra) return math.sqrt(u * u + extra * extra) end

--- The entry for one phase: { value, u, low, high, level, key, stack,
-- precision, fitted_on, source, date, basis }.
function Table:lookup(chip_data, stack, phase, precision)
  local id = chip_data.id or ""
  local arch = M.arch_of(id)
  local cls = M.CLASS[precision] or precision
  local tries = {
    { "chip", id, stack, cls, 0, "fitted to this chip and stack" },
    { "chip", id, stack, "*", M.WIDEN.precision, "this chip and stack, another precision" },
    { "arch", arch, stack, cls, 0, "its architecture (%s) on this stack" },
    { "arch", arch, stack, "*", M.WIDEN.precision, "its architecture (%s) on this stack, another precision" },
    { "chip", id, "*", "*", M.WIDEN.stack, "this chip on another stack" },
    { "arch", arch, "*", "*", M.WIDEN.stack, "its architecture (%s) on another stack" },
  }
  for _, t in ipairs(tries) do
    if t[2] then
      local e
      if t[3] == "*" then
        -- any stack: the entry with the most measurements behind it
        for _, cand in ipairs(self.data.entries or {}) do
          if cand.level == t[1] and cand.key == t[2] and cand.phase == phase and
             (not e or #(cand.fitted_on or {}) > #(e.fitted_on or {})) then e = cand end
        end
      elseif t[4] == "*" then
        for _, cand in ipairs(self.data.entries or {}) do
          if cand.level == t[1] and cand.key == t[2] and cand.stack == t[3] and cand.phase == phase and
             (not e or #(cand.fitted_on or {}) > #(e.fitted_on or {})) then e = cand end
        end
      else
        e = self:get(t[1], t[2], t[3], phase, t[4])
      end
      if e then
        local u = widen(e.u, t[5])
        return { value = e.value, u = u, low = e.value * math.exp(-u), high = math.min(1, e.value * math.exp(u)),
                 level = e.level, key = e.key, stack = e.stack, precision = e.precision,
                 fitted_on = e.fitted_on, source = e.source, date = e.date,
                 basis = t[6]:format(arch or "?") }
      end
    end
  end
  local vendor = M.vendor_of(chip_data)
  local e = self:get("vendor", vendor, nil, phase, nil)
  local basis = ("no measurement of this chip or its architecture: the %s fallback"):format(vendor)
  if not e then
    e = self:get("global", "*", nil, phase, nil)
    basis = "no measurement of this chip, architecture or vendor: the global fallback"
  end
  if not e then
    e = { value = M.PRIOR[phase], u = 0.5, level = "prior", key = "*", fitted_on = {},
          source = "prior before calibration", date = nil }
    basis = "uncalibrated prior"
  end
  return { value = e.value, u = e.u, low = e.value * math.exp(-e.u), high = math.min(1, e.value * math.exp(e.u)),
           level = e.level, key = e.key, fitted_on = e.fitted_on, source = e.source, date = e.date, basis = basis }
end

--- Both phases for a chip, stack and precision.
function Table:for_chip(chip_data, stack, precision)
  return { decode = self:lookup(chip_data, stack, "decode", precision),
           prefill = self:lookup(chip_data, stack, "prefill", precision) }
end

--- Entries as a flat list for reports (sorted by level, key, stack, phase).
function Table:rows()
  local order = { chip = 1, arch = 2, vendor = 3, global = 4 }
  local rows = util.deepcopy(self.data.entries or {})
  table.sort(rows, function(a, b)
    if a.level ~= b.level then return (order[a.level] or 9) < (order[b.level] or 9) end
    if a.key ~= b.key then return tostring(a.key) < tostring(b.key) end
    if (a.stack or "") ~= (b.stack or "") then return (a.stack or "") < (b.stack or "") end
    if (a.precision or "") ~= (b.precision or "") then return (a.precision or "") < (b.precision or "") end
    return a.phase < b.phase
  end)
  return rows
end

M.Table = Table
return M
