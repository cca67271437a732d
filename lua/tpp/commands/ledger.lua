--- tpp ledger FILE: check a shipment ledger against the AI Diffusion caps
-- and the LPP allowance.
local ledger = require "tpp.ledger"
local dest = require "tpp.dest"
local util = require "tpp.util"

local M = {
  summary = "check a shipment ledger (CSV/JSON) against the AI Diffusion country caps and LPP allowance",
  usage = "tpp ledger FILE [--as-of DATE] [--g2g COUNTRY ...] [--json]",
  help = "FILE: CSV with a header (chip,count,consignee,country,date; optional authorization,eccn,hq,note)\n" ..
    "or a JSON list of objects with those keys. authorization is LPP, licence or VEU; without it rows\n" ..
    "use LPP while the consignee's calendar-year total fits, else count against the country cap.\n" ..
    "Every row is validated; rejected rows are listed with their row and line numbers.\n" ..
    "The AI Diffusion rule is not enforced since BIS's announcement of May 2025; this checks its CFR text.",
  options = {
    ["as-of"] = { arg = "DATE", help = "count shipments dated up to DATE (YYYY-MM-DD; default today)" },
    g2g = { arg = "COUNTRY", multi = true,
      help = "country with a government-to-government arrangement (doubled cap)" },
  },
  min_args = 1, max_args = 1, args = "file", rows = "rows",
  exit_status = {
    { 0, "every valid row fits the caps and allowances" },
    { 2, "over a country cap or an LPP allowance" },
    { 65, "rows were rejected (the report lists them with row and line numbers)" },
    { 66, "the ledger file is missing or unreadable" },
  },
}

function M.run(args)
  local as_of = args["as-of"]
  if as_of then
    local ok, msg = util.check_date(as_of)
    if not ok then error("tpp ledger: --as-of: " .. msg, 0) end
  end
  for _, c in ipairs(args.g2g or {}) do
    local rec, msg = dest.resolve_country(c)
    if not rec then error("tpp ledger: --g2g: " .. msg, 0) end
  end
  local ok, rep = pcall(ledger.check, args[1], { as_of = as_of, g2g = args.g2g })
  if not ok then
    local reader = require "tpp.io"
    if reader.is_error(rep) then
      reader.raise(reader.error(rep.message:gsub("^tpp%.ledger[%.%w]*: ", ""), rep.exit_code, rep.issues),
        "tpp ledger")
    end
    error("tpp ledger: " .. tostring(rep):gsub("^tpp%.ledger[%.%w]*: ", ""), 0)
  end
  local code = 0
  -- rejected rows are bad input data (65), even when the valid rows are over a cap
  if rep.rows_rejected > 0 then code = 65 elseif rep.over then code = 2 end
  return rep, ledger.format(rep), code
end

return M
