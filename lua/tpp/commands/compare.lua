--- tpp compare A B ...: chips side by side: the regulated metrics, the rule
-- outcome, and how fast each would serve an LLM. One table shows the gap the
-- rules do not measure (TPP versus memory bandwidth).
local tpp = require "tpp"
local util = require "tpp.util"
local cli = require "tpp.cli"

local M = {
  summary = "chips side by side: TPP, PD, bandwidth, H100e, rule outcome, LLM prefill and decode speed",
  usage = "tpp compare CHIP CHIP [...] [--model NAME] [--precision P] [--batch B] [--rules ID] [--as-of DATE] [--json]",
  help = "Ratios are relative to the first chip. The inference rows come from tpp's serving model\n" ..
    "(one chip, batch 1, 1,024-token prompt; see 'tpp infer --help'); the rule row from 'tpp classify'.",
  options = {
    model = { arg = "NAME", help = "LLM for the inference rows (default llama-3.1-8b)" },
    precision = { arg = "P", help = "weight precision for the inference rows (default: each chip's 8-bit " ..
      "format, fp8 else int8 else 16-bit, as in 'tpp infer')" },
    batch = { arg = "B", help = "concurrent sequences (default 1)" },
    rules = { arg = "ID", help = "rule version for the outcome row (default: in force on --as-of)" },
    ["as-of"] = { arg = "DATE", help = "date for the rule version (default today)" },
  },
  min_args = 2, args = "chip", rows = "chips",
}

local function fmt(v, decimals)
  if v == nil then return "-" end
  return util.fmt(v, decimals or 0)
end

local function best_of(dense, a, b)
  local x, y = dense and dense[a], dense and dense[b]
  if x == nil then return y end
  if y == nil then return x end
  return math.max(x, y)
end

local function ratio(v, base)
  if v == nil or base == nil or base == 0 then return "" end
  return (" (%.2fx)"):format(v / base)
end

function M.run(args)
  local serve = require "tpp.serve"
  local ok_rules, rules = pcall(require, "tpp.rules")
  local model = args.model or "llama-3.1-8b"
  local batch = cli.number(args, "batch", nil, "compare")
  if batch then serve.check_option("batch", batch, "tpp compare: --batch") end
  if args.precision and not serve.models.BYTES[args.precision] then
    error(("tpp compare: --precision: got '%s', expected one of fp4, int4, fp8, int8, bf16, fp16, fp32")
      :format(args.precision), 0)
  end
  local iopts = { precision = args.precision, batch = batch }
  local cols = {}
  for i, name in ipairs(args) do
    local c = tpp.chip(name)
    local m = c:metrics()
    local d = c.data
    local col = {
      id = d.id, name = d.name, vendor = d.vendor, year = d.year, datacenter = d.datacenter,
      tpp = m.tpp, tpp_precision = m.tpp_precision, pd = m.pd,
      -- the datasheet figures themselves (max of the two formats), not H100e x reference (which rounds)
      fp16_tflops = best_of(d.dense, "fp16", "bf16"), int8_tops = best_of(d.dense, "fp8", "int8"),
      mem_bw_gbs = m.mem_bw_gbs, mem_gb = m.mem_gb, interconnect_gbs = m.interconnect_gbs,
      h100e = { tpp = m.h100e.tpp, ["8bit"] = m.h100e["8bit"], fp16 = m.h100e.fp16 },
    }
    if ok_rules then
      local r = rules.classify(c, { rules = args.rules, as_of = args["as-of"] })
      col.rules = r.rules
      col.status = r.status
      col.eccn = r.eccn
      col.outcome = r.outcome
    end
    -- one chip, a fixed batch: the per-chip view the rules' metrics are about
    local e = serve.evaluate { chip = c, model = model, scenario = "batch", batch = iopts.batch or 1, chips = 1,
                               tp = 1, pp = 1, ep = 1, precision = iopts.precision, input_tokens = 1024,
                               output_tokens = 256 }
    col.inference = { status = e.status == "ok" and "estimated" or e.status, missing = e.missing,
                      reason = e.reason, precision = e.precision,
                      prefill_ms = e.detail and e.detail.prefill_ms, decode_ms = e.tpot_ms,
                      user_tokens_per_s = e.user_tokens_per_s, fits = e.status == "ok",
                      max_batch = e.memory and e.memory.max_batch or (e.nearest and e.nearest.batch) or 0,
                      efficiency = e.efficiency and e.efficiency.source }
    cols[i] = col
  end
  local b = cols[1]
  local rows = {
    { "vendor", function(c) return c.vendor end },
    { "year", function(c) return c.year and tostring(c.year) end },
    { "designed for datacenters", function(c)
      return c.datacenter == nil and "not stated" or (c.datacenter and "yes" or "no")
    end },
    { "TPP", function(c) return fmt(c.tpp) .. ratio(c.tpp, b.tpp) end },
    { "  set by", function(c) return c.tpp_precision end },
    { "performance density", function(c) return c.pd and fmt(c.pd, 2) or "-" end },
    { "dense FP16 TFLOPS", function(c) return fmt(c.fp16_tflops, 1) .. ratio(c.fp16_tflops, b.fp16_tflops) end },
    { "dense 8-bit TOPS", function(c) return fmt(c.int8_tops, 1) .. ratio(c.int8_tops, b.int8_tops) end },
    { "memory bandwidth GB/s", function(c) return fmt(c.mem_bw_gbs) .. ratio(c.mem_bw_gbs, b.mem_bw_gbs) end },
    { "memory GB", function(c) return fmt(c.mem_gb) end },
    { "interconnect GB/s", function(c) return fmt(c.interconnect_gbs) end },
    { "H100e (TPP)", function(c) return c.h100e.tpp and ("%.2f"):format(c.h100e.tpp) or "-" end },
    { "H100e (8-bit OP/s)", function(c) return c.h100e["8bit"] and ("%.2f"):format(c.h100e["8bit"]) or "-" end },
  }
  if ok_rules then
    rows[#rows + 1] = { "3A090 (" .. (b.rules or "?") .. ")", function(c)
      return c.status == "controlled" and (c.eccn or "controlled") .. (c.outcome and c.outcome ~= "controlled" and
        (" " .. c.outcome) or "") or c.status
    end }
  end
  -- speed ratios: prefill time inverted, so that (2.00x) always means "twice as fast"
  local function inf(key, decimals, faster_is_smaller)
    return function(c)
      local i, bi = c.inference, b.inference
      if i.status ~= "estimated" then return "unknown" end
      local r = ""
      if bi.status == "estimated" then
        r = faster_is_smaller and ratio(bi[key], i[key]) or ratio(i[key], bi[key])
      end
      return fmt(i[key], decimals) .. r
    end
  end
  rows[#rows + 1] = { "  weights", function(c) return c.inference.precision end }
  rows[#rows + 1] = { model .. " prefill ms (1,024 tok)", inf("prefill_ms", 1, true) }
  rows[#rows + 1] = { model .. " decode tok/s per user", inf("user_tokens_per_s", 1) }
  rows[#rows + 1] = { "  fits in memory", function(c)
    local i = c.inference
    if i.status == "undetermined" then return "-" end
    return i.fits and "yes" or (i.max_batch > 0 and ("batch <= " .. i.max_batch) or "no (one chip)")
  end }

  local w0 = 0
  for _, r in ipairs(rows) do w0 = math.max(w0, #r[1]) end
  local widths, cells = {}, {}
  for j, c in ipairs(cols) do
    widths[j] = #c.id
    cells[j] = {}
    for i, r in ipairs(rows) do
      local s = r[2](c) or "-"
      cells[j][i] = s
      widths[j] = math.max(widths[j], #s)
    end
  end
  local lines = {}
  local head = { ("%-" .. w0 .. "s"):format("") }
  for j, c in ipairs(cols) do head[#head + 1] = ("%" .. widths[j] .. "s"):format(c.id) end
  lines[1] = table.concat(head, "  ")
  for i, r in ipairs(rows) do
    local parts = { ("%-" .. w0 .. "s"):format(r[1]) }
    for j in ipairs(cols) do parts[#parts + 1] = ("%" .. widths[j] .. "s"):format(cells[j][i]) end
    lines[#lines + 1] = table.concat(parts, "  ")
  end
  local text = table.concat(lines, "\n") .. "\n\n" ..
    "(x) = relative to the first chip; for speeds, 2.00x = twice as fast. Inference rows: tpp's serving " ..
    "model,\none chip, batch " .. (iopts.batch or 1) .. ", " .. (iopts.precision and (iopts.precision .. " weights")
      or "each chip's 8-bit format (fp8, else int8, else 16-bit)") ..
    ", calibrated efficiencies ('tpp infer --validate'). " .. tpp.DISCLAIMER .. "\n"
  return { chips = cols, model = model, precision = iopts.precision or "default: the chip's 8-bit format",
           disclaimer = tpp.DISCLAIMER }, text
end

return M
