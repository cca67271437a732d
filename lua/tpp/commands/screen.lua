--- tpp screen CHIP... --to COUNTRY: may this shipment go? Every regime tpp encodes
-- (subject to the EAR, GP10, embargoes, 3A090/3A991.p, company letters, country
-- groups and the headquarters rule, the Entity List, end uses, review policy,
-- License Exceptions, VEU, bills) and the PRC side, per destination.
local screen = require "tpp.screen"
local format = require "tpp.screen.format"
local input = require "tpp.rules.input"

local M = {
  summary = "screen a shipment: chip(s) to destination(s) on a date, under every US and PRC regime tpp encodes",
  usage = "tpp screen CHIP... --to COUNTRY [--to COUNTRY ...] [--as-of DATE] [--end-user NAME] [--end-use USE] " ..
    "[--hq COUNTRY] [--origin us|foreign] [--from COUNTRY] [--us-tech yes|no] [--veu] [--basis enforced|cfr-text] " ..
    "[--json]",
  help = "The decision per destination is the strictest outcome of the regimes that decide: prohibited,\n" ..
    "licence-required, undetermined (an unknown input could change it; the input is named) or\n" ..
    "no-licence-required (for the item: what was not screened is listed). Bills never decide.\n" ..
    "End uses: " .. table.concat(screen.end_uses(), ", ") .. ".\n" ..
    "Exit status: 0 no licence required, 1 licence required or prohibited, 2 undetermined.\n" ..
    "tpp is not legal advice.",
  options = {
    to = { arg = "COUNTRY", multi = true, help = "destination country or region (repeatable)" },
    ["as-of"] = { arg = "DATE", help = "transaction date, YYYY-MM-DD (default today)" },
    ["end-user"] = { arg = "NAME", help = "buyer or end user, matched against tpp's Entity List extract" },
    ["end-use"] = { arg = "USE", help = "end use (supercomputer, advanced-node-ic, military, ai-training, civil, ...)" },
    hq = { arg = "COUNTRY", help = "headquarters (or ultimate parent) country of the buyer" },
    origin = { arg = "us|foreign", help = "US-origin item (or one in the US), or foreign-produced" },
    from = { arg = "COUNTRY", help = "country the item ships from (default: the US for US-origin items)" },
    ["us-tech"] = { arg = "yes|no", help = "foreign-produced item made with US technology, software or equipment" },
    veu = { flag = true, help = "the consignee holds a Data Center VEU authorization" },
    informed = { arg = "yes|no", help = "the exporter received the company-specific letters (default: by vendor)" },
    basis = { arg = "BASIS", help = "'enforced' (default) or 'cfr-text' for the 3A090 licence scope" },
    rules = { arg = "ID", help = "a 3A090 rule version instead of the one in force on the date (what-if)" },
  },
  min_args = 1,
}

local function yes_no(args, name)
  local v = args[name]
  if v == nil then return nil end
  local l = v:lower()
  if l == "yes" or l == "true" or l == "y" then return true end
  if l == "no" or l == "false" or l == "n" then return false end
  error(("tpp screen: --%s: got '%s', expected yes or no"):format(name, v), 0)
end

--- The query of a command line (shared with classify/explain --dest).
function M.query(args, chips)
  if not args.to or #args.to == 0 then
    error("tpp screen: --to: a destination is required (e.g. --to China); repeat --to for several", 0)
  end
  return {
    chips = chips, to = args.to, as_of = input.date(args, "as-of", "tpp screen"),
    end_user = args["end-user"], end_use = args["end-use"], hq = args.hq, origin = args.origin, from = args.from,
    us_tech = yes_no(args, "us-tech"), veu = args.veu or nil, informed = yes_no(args, "informed"),
    basis = args.basis, rules = args.rules,
  }
end

-- Input errors from the command line are usage errors: exit status 64.
local function usage_error(msg)
  error({ message = (tostring(msg):gsub("^tpp%.screen: ", "tpp screen: ")), exit = 64 }, 0)
end
M.usage_error = usage_error

function M.run(args)
  local chips = {}
  for i = 1, #args do chips[i] = args[i] end
  local okq, q = pcall(M.query, args, chips)
  if not okq then usage_error(q) end
  local ok, result = pcall(screen.screen, q)
  if not ok then usage_error(result) end
  return input.json_safe(result), format.text(result), screen.exit_code(result.results)
end

return M
