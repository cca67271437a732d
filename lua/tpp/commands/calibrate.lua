--- tpp calibrate [FILE]: fit the serving model's efficiency table to a
-- measurements CSV (tpp's own by default) and report the fit.
local report = require "tpp.report"

local M = {
  summary = "fit the serving model's efficiency table to measurements (tpp's or yours) and show the fit",
  usage = "tpp calibrate [FILE] [--write TABLE.lua] [--table] [--stacks] [--shipped] [--json]",
  help = "FILE is a measurements CSV with the columns of tpp's own ('tpp calibrate --shipped' prints it):\n" ..
    "id, use (fit|holdout), chip, chips, stack, model, precision, kv_precision, scenario, pool, plan,\n" ..
    "batch, input_tokens, output_tokens, ttft_ms, tpot_ms, prefix_hit, spec_tokens, spec_accept, metric,\n" ..
    "value, source, date, provenance, notes. Rows marked holdout are predicted, never fitted.\n" ..
    "Without FILE, tpp's shipped measurements are refitted (the shipped table is that fit).\n" ..
    "--write TABLE.lua saves the fitted table; 'tpp infer --efficiency TABLE.lua' uses it.\n" ..
    "--table shows the shipped table without fitting; --stacks the serving stacks' assumptions.",
  options = {
    write = { arg = "FILE", help = "write the fitted table as a Lua file" },
    table = { flag = true, help = "show the shipped efficiency table (no fit)" },
    stacks = { flag = true, help = "list the serving stacks and what tpp assumes of each" },
    shipped = { flag = true, help = "print tpp's measurements CSV (a start for your own file)" },
  },
  max_args = 1,
}

local function pct(v) return v and ("%+.0f%%"):format(v * 100) or "-" end
local function f3(v) return v and ("%.3g"):format(v) or "-" end
local function width() return tonumber(os.getenv("COLUMNS") or "") or 100 end

local function table_text(data)
  local eff = require "tpp.serve.efficiency"
  local rows = eff.new(data):rows()
  for _, e in ipairs(rows) do
    e.range = ("%.3g-%.3g"):format(e.value * math.exp(-e.u), math.min(1, e.value * math.exp(e.u)))
    e.n = #(e.fitted_on or {})
  end
  local text = report.table({
    { key = "level", title = "level" },
    { key = "key", title = "chip / family" },
    { key = "stack", title = "stack" },
    { key = "phase", title = "phase" },
    { key = "precision", title = "precision" },
    { key = "value", title = "value", align = "right", fmt = f3 },
    { key = "range", title = "range", align = "right" },
    { key = "n", title = "measurements", align = "right" },
  }, rows)
  local notes = {}
  for _, e in ipairs(rows) do
    if e.level == "chip" then
      notes[#notes + 1] = report.wrap(("  %s %s %s: %s"):format(e.key, e.stack, e.phase,
        table.concat(e.fitted_on or {}, ", ")), width(), "      ")
    end
  end
  return text .. ("\ndecode = fraction of peak memory bandwidth; prefill = fraction of peak FLOPS (also the\n" ..
    "compute-bound part of decode). Rounded roofline p = %s; range = value x exp(-+u), u from the held-out\n" ..
    "error (RMS of log errors %s) plus each fallback step. Fitted on:\n"):format(tostring(data.roofline_p),
    tostring(data.rms_holdout_log_error)) .. table.concat(notes, "\n") .. "\n"
end

local function run_stacks()
  local stacks = require "tpp.serve.stacks"
  local rows = {}
  for _, id in ipairs(stacks.names()) do
    local s = stacks.STACKS[id]
    rows[#rows + 1] = { id = id, name = s.name, step_us = s.step_us, overlap = s.overlap,
                        dispatch_bytes = s.dispatch_bytes, max_batch = s.max_batch, basis = s.basis }
  end
  local text = report.table({
    { key = "id", title = "stack" }, { key = "step_us", title = "step us", align = "right" },
    { key = "overlap", title = "comm overlap", align = "right" },
    { key = "dispatch_bytes", title = "dispatch B", align = "right" },
    { key = "max_batch", title = "max batch", align = "right" }, { key = "name", title = "name" },
  }, rows)
  local lines = {}
  for _, r in ipairs(rows) do lines[#lines + 1] = report.wrap("  " .. r.id .. ": " .. r.basis, width(), "      ") end
  return { stacks = rows }, text .. "\n" .. table.concat(lines, "\n") .. "\n"
end

function M.run(args)
  if args.stacks then return run_stacks() end
  if args.shipped then
    local cal = require "tpp.serve.calibrate"
    local text = cal.shipped_csv()
    return { csv = text, measurements = #cal.read() }, text
  end
  local cal = require "tpp.serve.calibrate"
  if args.table then
    local data = require("tpp.serve.efficiency").default().data
    return { table = data }, "The shipped efficiency table (" .. tostring(data.date) .. "):\n\n" .. table_text(data)
  end
  local path = args[1]
  local rows, err = cal.read(path)
  if not rows then error(err, 0) end
  local c = cal.calibrate(rows, { source = path or "tpp.serve.measurements", date = os.date("!%Y-%m-%d") })
  local rep = c.report
  local text = {}
  text[#text + 1] = ("Fitted %d measurements, predicted %d held out (%s).\n\n"):format(rep.fit.n, rep.holdout.n,
    path or "tpp's shipped measurements")
  text[#text + 1] = table_text(c.table)
  text[#text + 1] = "\nPer measurement:\n"
  text[#text + 1] = report.table({
    { key = "id", title = "measurement" }, { key = "use", title = "use" }, { key = "chip", title = "chip" },
    { key = "metric", title = "metric" },
    { key = "predicted", title = "predicted", align = "right", fmt = f3 },
    { key = "measured", title = "measured", align = "right", fmt = f3 },
    { key = "error", title = "error", align = "right", fmt = pct },
  }, rep.rows)
  for _, use in ipairs({ "fit", "holdout" }) do
    local s = rep[use]
    text[#text + 1] = ("%s: %d of %d within +-30%%; median |error| %s\n"):format(use == "fit" and "fitted" or "held out",
      s.within_30, s.n, s.median_abs_error and ("%.0f%%"):format(s.median_abs_error * 100) or "-")
  end
  local out = { table = c.table, measurements = rep.rows, fit = rep.fit, holdout = rep.holdout, orders = rep.orders }
  if args.write then
    local f, ferr = io.open(args.write, "wb")
    if not f then error(("tpp calibrate: cannot write '%s': %s"):format(args.write, tostring(ferr)), 0) end
    f:write(cal.to_lua(c.table))
    f:close()
    out.written = args.write
    text[#text + 1] = ("\nwrote %s ('tpp infer --efficiency %s' uses it)\n"):format(args.write, args.write)
  end
  return out, table.concat(text)
end

return M
