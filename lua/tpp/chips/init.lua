--- tpp.chips: the chip database (lua/tpp/chips/<vendor>.lua), every figure
-- with its provenance tag and the document it comes from (docs/chips.md). Lookup accepts ids, names and common
-- aliases ("H20", "h100", "Ascend 910C"); an unknown name gets a suggestion.
local util = require "tpp.util"
local sources = require "tpp.chips.sources"

local M = {}

M.FILES = sources.FILES

-- Every figure path that carries a provenance tag and a source (docs/chips.md).
M.FIGURE_PATHS = {
  "process", "year", "announced", "first_shipped", "us_available",
  "dense.fp64", "dense.fp32", "dense.tf32", "dense.fp16", "dense.bf16", "dense.fp8", "dense.int8",
  "dense.fp6", "dense.fp4", "dense.int4", "fp64_vector", "die_area_mm2", "dies", "transistors_b", "tdp_w",
  "memory.capacity_gb", "memory.bandwidth_gbs", "interconnect_gbs", "scale_out_gbs",
  "stated.tpp", "stated.pd",
}

local function get_path(t, path)
  local v = t
  for part in path:gmatch("[^%.]+") do
    if type(v) ~= "table" then return nil end
    v = v[part]
  end
  return v
end
M.get_path = get_path

-- A row as written cites a default source (cite["*"]) and only the figures
-- that differ; tags follow from the cited document's kind unless a
-- derivation marks the figure derived. Expand both maps for every figure.
local function expand(r)
  local cite = r.cite
  if not cite then return r end
  local default = cite["*"]
  local full, prov = {}, {}
  for k, v in pairs(cite) do if k ~= "*" then full[k] = v end end
  for k, v in pairs(r.provenance or {}) do if k ~= "*" then prov[k] = v end end
  for _, path in ipairs(M.FIGURE_PATHS) do
    if get_path(r, path) ~= nil then
      full[path] = full[path] or default
      if not prov[path] then
        if r.derivation and r.derivation[path] then prov[path] = "derived"
        elseif full[path] then prov[path] = sources.tag_of(full[path]) end
      end
    end
  end
  -- fp16 and bf16 given as one figure share one source
  r.cite, r.provenance = full, prov
  local list, seen = {}, {}
  for _, path in ipairs(M.FIGURE_PATHS) do
    local key = full[path]
    if key and not seen[key] then
      seen[key] = true
      local s = sources.get(key)
      list[#list + 1] = s and sources.line(s) or key
    end
  end
  for _, extra in ipairs(r.sources or {}) do list[#list + 1] = extra end
  r.sources = list
  return r
end
M.expand = expand

-- Common names people type, mapped to database ids. Where a name covers
-- several parts (H100 SXM and PCIe), it points at the flagship form factor.
M.ALIASES = {
  a100 = "nv_a100_sxm80", ["a100 sxm"] = "nv_a100_sxm80", ["a100 pcie"] = "nv_a100_pcie80",
  a800 = "nv_a800_sxm",
  h100 = "nv_h100_sxm", ["h100 sxm"] = "nv_h100_sxm", ["h100 pcie"] = "nv_h100_pcie",
  h800 = "nv_h800_sxm", h20 = "nv_h20", h200 = "nv_h200_sxm",
  b200 = "nv_b200", b300 = "nv_b300", ["blackwell ultra"] = "nv_b300", gb300 = "nv_gb300",
  b30a = "nv_b30a", ["rtx pro 6000d"] = "nv_rtx6000d", ["rtx 6000d"] = "nv_rtx6000d",
  l20 = "nv_l20", l40s = "nv_l40s", l4 = "nv_l4", l2 = "nv_l2",
  ["rtx 4090"] = "nv_rtx4090", ["4090"] = "nv_rtx4090", ["rtx 4090d"] = "nv_rtx4090d", ["4090d"] = "nv_rtx4090d",
  ["rtx 5090"] = "nv_rtx5090", ["5090"] = "nv_rtx5090", ["rtx 5090d"] = "nv_rtx5090d", ["5090d"] = "nv_rtx5090d",
  ["rtx 5090d v2"] = "nv_rtx5090dv2", ["5090d v2"] = "nv_rtx5090dv2",
  mi250x = "amd_mi250x", mi300x = "amd_mi300x", mi308x = "amd_mi308x", mi308 = "amd_mi308x",
  mi325x = "amd_mi325x", mi355x = "amd_mi355x",
  ["gaudi 2"] = "intel_gaudi2", gaudi2 = "intel_gaudi2", ["gaudi 3"] = "intel_gaudi3", gaudi3 = "intel_gaudi3",
  ["gaudi 3 china"] = "intel_gaudi3_cn", ["hl-328"] = "intel_gaudi3_cn", ["hl-388"] = "intel_gaudi3_cn",
  ["tpu v4"] = "goog_tpuv4", ["tpu v5e"] = "goog_tpuv5e", ["tpu v5p"] = "goog_tpuv5p",
  ["tpu v6e"] = "goog_tpuv6e", trillium = "goog_tpuv6e", ["tpu v7"] = "goog_tpuv7", ironwood = "goog_tpuv7",
  trainium = "aws_trn1", trn1 = "aws_trn1", trainium2 = "aws_trn2", trn2 = "aws_trn2",
  ["ascend 910"] = "hw_910", ["910a"] = "hw_910", ["ascend 910b"] = "hw_910b", ["910b"] = "hw_910b",
  ["ascend 910c"] = "hw_910c", ["910c"] = "hw_910c", ["ascend 950pr"] = "hw_950pr", ["950pr"] = "hw_950pr",
  ["ascend 950dt"] = "hw_950dt", ["950dt"] = "hw_950dt",
  ["mlu370"] = "camb_mlu370x8", ["mlu370-x8"] = "camb_mlu370x8", ["mlu590"] = "camb_mlu590",
  br100 = "biren_br100", br104 = "biren_br104",
  z100 = "hygon_z100", ["k100-ai"] = "hygon_k100ai", ["k100"] = "hygon_k100ai", bw1000 = "hygon_bw1000",
  s4000 = "mt_s4000", ["mtt s4000"] = "mt_s4000", c500 = "metax_c500", ["bi-v100"] = "iluvatar_biv100",
  ["mr-v100"] = "iluvatar_mrv100", t21 = "enflame_t21", ppu = "thead_ppu",
  v100 = "nv_v100_sxm2", b100 = "nv_b100", gb200 = "nv_gb200", gh200 = "nv_gh200_144", ["rtx 4080"] = "nv_rtx4080",
  ["4080"] = "nv_rtx4080", ["rtx 6000 ada"] = "nv_rtx6000ada", ["5080"] = "nv_rtx5080", ["3090"] = "nv_rtx3090",
  ["a800 pcie"] = "nv_a800_pcie80", ["h800 pcie"] = "nv_h800_pcie", mi300a = "amd_mi300a", ["rx 7900 xtx"] = "amd_rx7900xtx",
  ["7900 xtx"] = "amd_rx7900xtx", trn3 = "aws_trn3", trainium3 = "aws_trn3", inf2 = "aws_inf2", inferentia2 = "aws_inf2",
  inf1 = "aws_inf1", inferentia = "aws_inf1", ["max 1550"] = "intel_max1550", ["ponte vecchio"] = "intel_max1550",
  ["hl-225b"] = "intel_gaudi2_hl225b", ["hl-338"] = "intel_gaudi3_pcie", ["hl-325l"] = "intel_gaudi3",
  ["910b2"] = "hw_910b", ["tpu v4i"] = "goog_tpuv4i", ["tpu v3"] = "goog_tpuv3", ["tpu v2"] = "goog_tpuv2",
}

local rows, by_id, by_key

local function load()
  if rows then return end
  rows, by_id, by_key = {}, {}, {}
  for _, f in ipairs(M.FILES) do
    local mod = require("tpp.chips." .. f)
    for _, r in ipairs(mod.chips or mod) do
      expand(r)
      rows[#rows + 1] = r
      by_id[r.id] = r
      by_key[util.squash(r.id)] = r.id
      by_key[util.squash(r.name)] = r.id
    end
  end
  for alias, id in pairs(M.ALIASES) do
    assert(by_id[id], "alias '" .. alias .. "' names unknown id " .. id)
    by_key[util.squash(alias)] = id
  end
  for _, r in ipairs(rows) do
    for _, a in ipairs(r.aliases or {}) do
      local k = util.squash(a)
      assert(by_key[k] == nil or by_key[k] == r.id, "alias '" .. a .. "' of " .. r.id .. " is taken")
      by_key[k] = r.id
    end
  end
end

-- A name that is the unique tail of one chip's name ("MI210" for "AMD
-- Instinct MI210", "Trainium3" for "AWS Trainium3") resolves to that chip.
-- Several matches (or a key found inside several names) give nil and the ids.
local function by_tail(key)
  if #key < 2 then return nil end
  local tail, inside = {}, {}
  for _, r in ipairs(rows) do
    local n = util.squash(r.name)
    if #n > #key and n:sub(-#key) == key then tail[#tail + 1] = r.id end
    if #key >= 4 and n:find(key, 1, true) then inside[#inside + 1] = r.id end
  end
  if #tail == 1 then return tail[1] end
  if #tail > 1 then return nil, tail end
  if #inside == 1 then return inside[1] end
  if #inside > 1 then return nil, inside end
end

--- The raw rows (tables), in database order. Do not modify them.
function M.rows()
  load()
  return rows
end

--- Resolve an id, name or alias to a database id; on failure nil and a
-- message with the closest known names.
function M.resolve(name)
  load()
  if type(name) ~= "string" then return nil, "chip name (string) expected, got " .. type(name) end
  if by_id[name] then return name end
  local id = by_key[util.squash(name)]
  if id then return id end
  local several
  id, several = by_tail(util.squash(name))
  if id then return id end
  if several then
    return nil, ("'%s' matches several chips: %s; give the id"):format(name, table.concat(several, ", "))
  end
  local candidates = {}
  for k in pairs(M.ALIASES) do candidates[#candidates + 1] = k end
  for _, r in ipairs(rows) do candidates[#candidates + 1] = r.id end
  table.sort(candidates)
  local hint = util.did_you_mean(util.squash(name), (function()
    local sq = {}
    for i, c in ipairs(candidates) do sq[i] = util.squash(c) end
    return sq
  end)())
  local msg = ("no chip named '%s' in the database"):format(name)
  if hint then
    local shown
    for _, c in ipairs(candidates) do
      if util.squash(c) == hint then shown = c; break end
    end
    msg = msg .. ("; did you mean '%s' (%s)?"):format(shown, by_key[hint])
  else
    msg = msg .. "; 'tpp chips' lists them"
  end
  return nil, msg
end

function M.get(id)
  load()
  return by_id[id]
end

--- Aliases that resolve to an id, sorted.
function M.aliases_of(id)
  load()
  local out = {}
  for a, target in pairs(M.ALIASES) do
    if target == id then out[#out + 1] = a end
  end
  for _, a in ipairs(by_id[id] and by_id[id].aliases or {}) do out[#out + 1] = a end
  table.sort(out)
  return out
end

return M
