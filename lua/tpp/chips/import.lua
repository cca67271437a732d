--- tpp.chips.import: read chips from CSV in the column layout of tpp's chip
-- table (a header row: id, name, vendor, ... with a provenance letter per
-- figure; see the README), and write the database files of lua/tpp/chips/.
--
--   local import = require "tpp.chips.import"
--   local rows = import.read_csv("mychips.csv")    -- list of chip tables
--   import.write_db("mychips.csv", "lua/tpp/chips") -- regenerate the database
--
-- Every figure keeps its provenance tag: V -> "vendor", T -> "reported"
-- (third party), E -> "derived" (an estimate made for the dataset).
local util = require "tpp.util"

local M = {}

M.TAGS = { V = "vendor", T = "reported", E = "derived" }

--- Parse CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF).
-- Returns a list of rows, each a list of strings, and a parallel list of the
-- line each row starts on. An unterminated quote raises
-- "<prefix>: <source>: line N: a quoted field is not closed".
function M.parse_csv(text, source, prefix)
  local rows, starts, row, field = {}, {}, {}, {}
  local i, n, line, row_line = 1, #text, 1, 1
  local in_quotes, quote_line = false, 0
  while i <= n do
    local ch = text:sub(i, i)
    if in_quotes then
      if ch == '"' then
        if text:sub(i + 1, i + 1) == '"' then
          field[#field + 1] = '"'
          i = i + 1
        else
          in_quotes = false
        end
      else
        if ch == "\n" then line = line + 1 end
        field[#field + 1] = ch
      end
    elseif ch == '"' then
      in_quotes, quote_line = true, line
    elseif ch == "," then
      row[#row + 1] = table.concat(field)
      field = {}
    elseif ch == "\n" or ch == "\r" then
      if ch == "\r" and text:sub(i + 1, i + 1) == "\n" then i = i + 1 end
      row[#row + 1] = table.concat(field)
      rows[#rows + 1], starts[#rows + 1] = row, row_line
      row, field = {}, {}
      line = line + 1
      row_line = line
    else
      field[#field + 1] = ch
    end
    i = i + 1
  end
  if in_quotes then
    error(("%s: %s: line %d: a quoted field is not closed"):format(prefix or "tpp", source or "csv", quote_line), 0)
  end
  if #field > 0 or #row > 0 then
    row[#row + 1] = table.concat(field)
    rows[#rows + 1], starts[#rows + 1] = row, row_line
  end
  return rows, starts
end

-- The reference table has one 4-bit column; these parts run FP4 (Blackwell,
-- MI355X, Ascend 950 MXFP4); the others in it (Ampere, Ada) run INT4.
local FP4_PARTS = {
  nv_b200 = true, nv_b300 = true, nv_gb300 = true, nv_b30a = true, nv_rtx5090 = true,
  nv_rtx5090d = true, nv_rtx5090dv2 = true, amd_mi355x = true, hw_950pr = true, hw_950dt = true,
}

-- Datacenter design/marketing (3A090 Note 2). A judgement from the vendor's
-- positioning and form factor; the rule text (3A090 Note 2, 88 FR 73458) has no bright line.
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

-- Figures not confirmed against a primary source (vendor datasheet or filing).
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

local function number_or_nil(s, where)
  if s == nil or s == "" then return nil end
  local v = tonumber(s)
  if not v then error(("tpp: %s: '%s' is not a number"):format(where, s), 0) end
  return v
end

--- Convert one CSV record (a table keyed by column name) to a chip table.
function M.row_to_chip(r, where)
  local prov = {}
  local function num(col, path)
    local v = number_or_nil(r[col], where .. ", column " .. col)
    if v ~= nil then
      local tag = r[col .. "_src"]
      prov[path] = M.TAGS[tag] or (tag ~= "" and tag) or "reported"
    end
    return v
  end
  local id = r.id
  local c = {
    id = id, name = r.name, vendor = r.vendor, country = r.country, form = r.form,
    process = r.process ~= "" and r.process or nil,
  }
  c.year = num("year", "year")
  c.dense = {}
  local fp64m, fp64v = num("fp64_matrix", "dense.fp64"), num("fp64_vector", "fp64_vector")
  if fp64m then
    c.dense.fp64 = fp64m
  elseif fp64v then
    -- no matrix rate: the vector FMA rate is the chip's FP64 MAC rate (one
    -- figure, so one provenance entry)
    c.dense.fp64 = fp64v
    prov["dense.fp64"] = prov.fp64_vector
    prov.fp64_vector = nil
  end
  c.fp64_vector = fp64v
  c.dense.fp32 = num("fp32", "dense.fp32")
  c.dense.tf32 = num("tf32", "dense.tf32")
  local f16 = num("fp16_bf16", "dense.fp16")
  if f16 then
    c.dense.fp16, c.dense.bf16 = f16, f16
    prov["dense.bf16"] = prov["dense.fp16"]
  end
  c.dense.fp8 = num("fp8", "dense.fp8")
  c.dense.int8 = num("int8", "dense.int8")
  c.dense.fp6 = num("fp6", "dense.fp6")
  local four = FP4_PARTS[id] and "fp4" or "int4"
  c.dense[four] = num("fp4_int4", "dense." .. four)
  c.die_area_mm2 = num("die_area_mm2", "die_area_mm2")
  c.die_note = r.die_note ~= "" and r.die_note or nil
  c.transistors_b = num("transistors_b", "transistors_b")
  c.tdp_w = num("tdp_w", "tdp_w")
  c.memory = {
    capacity_gb = num("mem_gb", "memory.capacity_gb"),
    bandwidth_gbs = num("mem_bw_gbs", "memory.bandwidth_gbs"),
    type = r.mem_type ~= "" and r.mem_type or nil,
  }
  c.interconnect_gbs = num("interconnect_gbs", "interconnect_gbs")
  c.interconnect_dir = r.interconnect_dir ~= "" and r.interconnect_dir or nil
  if (r.mem_type or "") ~= "" then c.hbm = r.mem_type:find("HBM") ~= nil end
  local st_tpp, st_pd = num("tpp_stated", "stated.tpp"), num("pd_stated", "stated.pd")
  if st_tpp or st_pd then c.stated = { tpp = st_tpp, pd = st_pd } end
  c.reference = {
    tpp = number_or_nil(r.tpp_computed, where),
    tpp_precision = r.tpp_precision ~= "" and r.tpp_precision or nil,
    pd = number_or_nil(r.pd_computed, where),
    classification = r.classification ~= "" and r.classification or nil,
  }
  c.datacenter = NOT_DATACENTER[id] == nil
  c.datacenter_basis = NOT_DATACENTER[id] or DATACENTER_NOTE[id] or
    "designed and marketed for data centers (vendor positioning and form factor; judgement)"
  c.sources = {}
  for s in (r.sources or ""):gmatch("[^;]+") do c.sources[#c.sources + 1] = util.trim(s) end
  c.notes = r.notes ~= "" and r.notes or nil
  c.uncertain = M.UNCERTAIN[id] and { M.UNCERTAIN[id] } or nil
  c.provenance = prov
  return c
end

--- Read a CSV file of the reference layout into a list of chip tables
-- ("-" reads standard input).
function M.read_csv(path)
  local text, err = util.read_text(path)
  if not text then return nil, "tpp: " .. err end
  return M.read_csv_text(text, path == "-" and "standard input" or path)
end

--- The same from CSV text; path names it in messages.
function M.read_csv_text(text, path)
  local rows = M.parse_csv(text, path)
  local header = rows[1]
  if not header or header[1] ~= "id" then
    return nil, ("tpp: %s: the first row must be the header, starting with 'id'"):format(path)
  end
  local out = {}
  for i = 2, #rows do
    local row = rows[i]
    if not (#row == 1 and row[1] == "") then
      if #row ~= #header then
        return nil, ("tpp: %s:%d: %d fields, expected %d as in the header"):format(path, i, #row, #header)
      end
      local rec = {}
      for j, name in ipairs(header) do rec[name] = row[j] end
      out[#out + 1] = M.row_to_chip(rec, ("%s:%d"):format(path, i))
    end
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
      "-- Generated from tpp's chip table (CSV) by tpp.chips.import;",
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
