--- tpp.chips.import: read chips from a CSV file of the extended chip layout
-- (tpp.chips.schema, docs/input-formats.md) and write the database files of
-- lua/tpp/chips/.
--
--   local import = require "tpp.chips.import"
--   local rows = import.read_csv("chips.csv")      -- list of chip tables
--   import.write_db("chips.csv", "lua/tpp/chips")   -- regenerate the database
--
-- Every figure keeps its provenance tag: V -> "vendor", T -> "reported"
-- (third party), E -> "derived" (an estimate made for the dataset).
local util = require "tpp.util"
local reader = require "tpp.io"
local chips_schema = require "tpp.chips.schema"

local M = {}

M.TAGS = chips_schema.TAGS

-- Datacenter design/marketing (3A090 Note 2). A judgement from the vendor's
-- positioning and form factor; the rule text (3A090 Note 2) has no bright line.
local NOT_DATACENTER = {
  nv_rtx4090 = "GeForce gaming card: designed and marketed for consumer PCs",
  nv_rtx4090d = "GeForce gaming card for China: designed and marketed for consumer PCs",
  nv_rtx5090 = "GeForce gaming card: designed and marketed for consumer PCs",
  nv_rtx5090d = "GeForce gaming card for China: designed and marketed for consumer PCs",
  nv_rtx5090dv2 = "GeForce gaming card for China: designed and marketed for consumer PCs",
}
local DATACENTER_NOTE = {
  nv_rtx6000d = "server edition of a workstation GPU, marketed for China's data centers (judgement)",
  goog_tpuv4 = "available only in Google's data centers (cloud only)",
  goog_tpuv5e = "available only in Google's data centers (cloud only)",
  goog_tpuv5p = "available only in Google's data centers (cloud only)",
  goog_tpuv6e = "available only in Google's data centers (cloud only)",
  goog_tpuv7 = "available only in Google's data centers (cloud only)",
  aws_trn1 = "available only in AWS data centers (cloud only)",
  aws_trn2 = "available only in AWS data centers (cloud only)",
}

-- Figures not confirmed against a primary source.
M.UNCERTAIN = {
  nv_h20 = "No NVIDIA datasheet: FP8 296, BF16 148, 96 GB, 4.0 TB/s, 400 W and 78 SMs come from leaked spec sheets and press.",
  nv_h800_sxm = "FP64 'about 1 TFLOPS' is from secondary pages; TechPowerUp lists a much higher FP64.",
  nv_a800_sxm = "Specs from Reuters/TechPowerUp, not an NVIDIA sheet.",
  nv_b200 = "Die area 1,600 mm2 is an assumption (NVIDIA: 'two reticle-limited dies'; press estimates ~1,060-1,700 mm2), so PD is rough.",
  nv_b300 = "Die area 1,600 mm2 is an assumption, so PD is rough; FP4 dense is 14 PF in one NVIDIA table and 13.5 PF (108/8) in the HGX table.",
  nv_gb300 = "Die area 1,600 mm2 is an assumption, so PD is rough.",
  nv_b30a = "Unreleased; only 'about half of B300' is reported; every figure is an estimate.",
  nv_rtx6000d = "Tensor throughput never published; TPP unknown.",
  nv_rtx5090d = "Only '2,375 AI TOPS' is reported; FP8/FP4 values and TPP ~4,750 are derived.",
  nv_rtx5090dv2 = "Specs come from leaks; FP8/FP4 values and TPP ~4,750 are derived from '2,375 AI TOPS'.",
  nv_rtx4090d = "Compute scaled by tensor-core count (456/512); reproduces the reported TPP 4,707 but is not a published figure.",
  nv_l20 = "From TechPowerUp/Epoch and resellers, not NVIDIA.",
  nv_l2 = "From TechPowerUp/Epoch and resellers; die (assumed AD104) and TDP unknown.",
  amd_mi308x = "80 CUs from user hardware logs; memory from TechPowerUp; peak FLOPS, bandwidth and TPP are not public.",
  amd_mi300x = "Die area ~2,400 mm2 is an estimate from reported XCD (~110-115 mm2) and IOD (~370 mm2) sizes.",
  amd_mi325x = "Die area ~2,400 mm2 is an estimate from reported XCD and IOD sizes.",
  amd_mi355x = "Whether AMD's '20.1 PF FP4/FP6' is sparse; FP64/FP32 from third parties; IOD area unknown; TPP depends on whether FP6 is counted (60,396 vs 40,264).",
  amd_mi250x = "724 mm2 per GCD is TechPowerUp's figure and may be per package.",
  intel_gaudi2 = "Die area not published; FP8 865 TFLOPS is from Epoch, not an Intel sheet.",
  intel_gaudi3 = "Die areas not published.",
  intel_gaudi3_cn = "Compute undisclosed; die areas not published.",
  goog_tpuv4 = "Die area and ICI bandwidth not published.",
  goog_tpuv5e = "Die area and process node not published.",
  goog_tpuv5p = "Die area and process node not published.",
  goog_tpuv6e = "Die area and process node not published.",
  goog_tpuv7 = "Die area and process node not published; TDP 980 W (Epoch) unverified.",
  aws_trn1 = "Process, die area and TDP unverified.",
  aws_trn2 = "Process, die area and TDP (500 W from Epoch) unverified.",
  hw_910b = "Huawei publishes no spec sheet: FP16 per SKU, 64 GB / 1.6 TB/s, HCCS 392 GB/s and 400 W come from CSET, Epoch, cloud docs and press; INT8 assumed 2x FP16; die 665.6 mm2 from die shots, I/O die unclear.",
  hw_910c = "752 TF (CloudMatrix paper) vs 800 TF (analysts); 3.2 TB/s and UB 784 GB/s are third-party; TDP unknown; a two-compute-die layout is disputed (one die would halve the area and double PD).",
  hw_950pr = "Keynote figures (FP8 1 PF, FP4 2 PF, 2 TB/s) differ from the whitepaper's cube-only figures (FP8 865); die areas unknown.",
  hw_950dt = "Keynote figures differ from the whitepaper's cube-only figures (FP8 973); die areas unknown.",
  camb_mlu590 = "No official specs; low-confidence values (conflicting 64/80/96 GB).",
  biren_br100 = "Vendor peaks may assume features Biren did not explain (TF32+); link bandwidth 412 GB/s (Epoch) vs 2.3 TB/s (Biren).",
  biren_br104 = "Die area is a guess (half of BR100).",
  hygon_z100 = "Figures are thin; FP16 likely vector-only.",
  hygon_k100ai = "Compute unknown.",
  hygon_bw1000 = "No vendor specs exist.",
  mt_s4000 = "Compute from third parties only.",
  metax_c500 = "Third-party only and conflicting (FP16 280 vs 128).",
  iluvatar_biv100 = "Third-party only and conflicting (FP16 128 vs 147).",
  iluvatar_mrv100 = "Compute from third parties only.",
  enflame_t21 = "Low-confidence community database figures.",
  thead_ppu = "Compute not disclosed.",
}

--- Read a CSV file of the extended chip layout into a list of chip tables
-- for the database: figures without a provenance column count as reported,
-- and where the file has no datacenter column the judgement of
-- NOT_DATACENTER / DATACENTER_NOTE applies. Returns the list, or nil and the
-- reader's error object (tostring gives the message).
function M.read_csv(path)
  local t, err = reader.read(path, { schema = chips_schema.SCHEMA, format = "csv" })
  if not t then return nil, err end
  local out = {}
  for i, rec in ipairs(t.records) do
    local c = chips_schema.to_chip(rec, { row = t.rows[i], default_tag = "reported" })
    if c.datacenter == nil then
      c.datacenter = NOT_DATACENTER[c.id] == nil
      c.datacenter_basis = NOT_DATACENTER[c.id] or DATACENTER_NOTE[c.id] or
        "designed and marketed for data centers (vendor positioning and form factor; judgement)"
    end
    c.uncertain = M.UNCERTAIN[c.id] and { M.UNCERTAIN[c.id] } or nil
    out[#out + 1] = c
  end
  return out
end

-- ---- deterministic Lua serialization of the database ----

local KEY_ORDER = {
  "id", "name", "vendor", "country", "form", "process", "year", "datacenter", "datacenter_basis",
  "dense", "fp64_vector", "die_area_mm2", "die_note", "transistors_b", "tdp_w", "memory", "hbm",
  "interconnect_gbs", "interconnect_dir", "stated", "reference", "provenance", "uncertain",
  "sources", "notes",
}
local PREC_ORDER = { "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp6", "fp4", "int4" }

local function lua_string(s) return ("%q"):format(s):gsub("\\\n", "\\n") end

local function ordered_keys(t, order)
  local keys, seen = {}, {}
  for _, k in ipairs(order or {}) do
    if t[k] ~= nil then keys[#keys + 1] = k; seen[k] = true end
  end
  for _, k in ipairs(util.sorted_keys(t)) do
    if not seen[k] then keys[#keys + 1] = k end
  end
  return keys
end

local function serialize(v, indent, key)
  local t = type(v)
  if t == "string" then return lua_string(v) end
  if t == "number" then return util.num(v) end
  if t == "boolean" then return tostring(v) end
  local pad = ("  "):rep(indent + 1)
  if #v > 0 then
    local parts = {}
    for _, x in ipairs(v) do parts[#parts + 1] = pad .. serialize(x, indent + 1) end
    return "{\n" .. table.concat(parts, ",\n") .. ",\n" .. ("  "):rep(indent) .. "}"
  end
  local order = key == "dense" and PREC_ORDER or ((v.id and v.name) and KEY_ORDER) or nil
  local parts = {}
  for _, k in ipairs(ordered_keys(v, order)) do
    local kk = k:match("^[%a_][%w_]*$") and k or ("[" .. lua_string(k) .. "]")
    parts[#parts + 1] = kk .. " = " .. serialize(v[k], indent + 1, k)
  end
  local one_line = "{ " .. table.concat(parts, ", ") .. " }"
  if #one_line + indent * 2 < 96 and not one_line:find("\n") then return one_line end
  return "{\n" .. pad .. table.concat(parts, ",\n" .. pad) .. ",\n" .. ("  "):rep(indent) .. "}"
end
M.serialize = serialize

local FILE_OF_VENDOR = {
  NVIDIA = "nvidia", AMD = "amd", ["Intel (Habana Labs)"] = "intel", Google = "google",
  ["Amazon AWS (Annapurna Labs)"] = "aws", ["Huawei HiSilicon"] = "huawei",
}

--- Regenerate lua/tpp/chips/<group>.lua from a CSV; returns the file names.
function M.write_db(csv_path, outdir)
  local chips = assert(M.read_csv(csv_path))
  local groups, order = {}, {}
  for _, c in ipairs(chips) do
    local g = FILE_OF_VENDOR[c.vendor] or "china_other"
    if not groups[g] then groups[g] = {}; order[#order + 1] = g end
    table.insert(groups[g], c)
  end
  local written = {}
  for _, g in ipairs(order) do
    local parts = {
      "-- tpp chip database: " .. g .. " (" .. #groups[g] .. " parts).",
      "-- Generated from tpp's chip table (extended CSV layout) by tpp.chips.import;",
      "-- every figure is dense and carries its provenance tag: vendor (datasheet),",
      "-- reported (third party) or derived (an estimate; see 'uncertain' and 'notes').",
      "return {",
    }
    for _, c in ipairs(groups[g]) do parts[#parts + 1] = "  " .. serialize(c, 1) .. "," end
    parts[#parts + 1] = "}"
    local path = outdir .. "/" .. g .. ".lua"
    local f = assert(io.open(path, "wb"))
    f:write(table.concat(parts, "\n"), "\n")
    f:close()
    written[#written + 1] = g
  end
  return written
end

return M
