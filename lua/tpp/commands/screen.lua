--- tpp screen CHIP... --to COUNTRY: may this shipment go? Every regime tpp encodes
-- (subject to the EAR, GP10, embargoes, 3A090/3A991.p, company letters, country
-- groups and the headquarters rule, the Entity List, end uses, review policy,
-- License Exceptions, VEU, bills) and the PRC side, per destination.
local screen = require "tpp.screen"
local errors = require "tpp.errors"
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
    input = { arg = "FILE", help = "transactions from a CSV file ('-' = standard input): columns chip, to, and " ..
      "optionally as_of, end_user, end_use, hq, origin, from, us_tech; the options above fill empty cells" },
  },
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
  error(errors.usage((tostring(msg):gsub("^tpp%.screen: ", "tpp screen: "))), 0)
end
M.usage_error = usage_error

-- Transactions from a CSV file. Kept thin on purpose: it moves to the shared reader (lua/tpp/io)
-- when that lands. Bad data exits 65 naming the line and column; a missing file 66.
M.COLUMNS = { chip = true, to = true, as_of = true, end_user = true, end_use = true, hq = true, origin = true,
  from = true, us_tech = true }

local function read_transactions(path, args)
  local text
  if path == "-" then
    text = io.read("*a")
  else
    local f, err = io.open(path, "rb")
    if not f then
      error(errors.input(("tpp screen: --input: cannot read %s: %s"):format(path, tostring(err))), 0)
    end
    text = f:read("*a")
    f:close()
  end
  local ok, rows, starts = pcall(require("tpp.chips.import").parse_csv, text, path, "tpp screen")
  if not ok then error(errors.data(tostring(rows)), 0) end
  local header = rows[1]
  if not header then
    error(errors.data(("tpp screen: %s: empty file; expected a header with chip,to"):format(path)), 0)
  end
  local cols = {}
  for i, h in ipairs(header) do
    local name = h:lower():gsub("^%s+", ""):gsub("%s+$", ""):gsub("%-", "_")
    if not M.COLUMNS[name] then
      local hint = require("tpp.util").did_you_mean(name, require("tpp.util").keys(M.COLUMNS))
      error(errors.data(("tpp screen: %s: line %d: column '%s' unknown%s; columns: chip, to, as_of, end_user, " ..
        "end_use, hq, origin, from, us_tech"):format(path, starts[1], h, hint and ("; did you mean '" .. hint .. "'?") or "")), 0)
    end
    cols[i] = name
  end
  local out = {}
  for r = 2, #rows do
    local row = rows[r]
    if not (#row == 1 and row[1] == "") then
      local t = {}
      for i, name in ipairs(cols) do
        local v = row[i]
        if v ~= nil and v ~= "" then t[name] = v end
      end
      if not t.chip or not t.to then
        error(errors.data(("tpp screen: %s: line %d: chip and to are required"):format(path, starts[r])), 0)
      end
      local q = {
        chip = t.chip, to = t.to, as_of = t.as_of or args["as-of"], end_user = t.end_user or args["end-user"],
        end_use = t.end_use or args["end-use"], hq = t.hq or args.hq, origin = t.origin or args.origin,
        from = t.from or args.from, basis = args.basis,
      }
      local ut = t.us_tech or args["us-tech"]
      if ut ~= nil then
        local l = ut:lower()
        if l == "yes" or l == "true" then q.us_tech = true elseif l == "no" or l == "false" then q.us_tech = false
        else error(errors.data(("tpp screen: %s: line %d: us_tech: got '%s', expected yes or no"):format(path,
          starts[r], ut)), 0) end
      end
      out[#out + 1] = { q = q, line = starts[r] }
    end
  end
  return out
end

function M.run(args)
  if args.input then
    local all = { as_of = nil, results = {}, disclaimer = screen.DISCLAIMER }
    for _, tr in ipairs(read_transactions(args.input, args)) do
      local ok, res = pcall(screen.screen, tr.q)
      if not ok then
        error(errors.data((tostring(res):gsub("^tpp%.screen: ", ("tpp screen: %s: line %d: "):format(args.input,
          tr.line)))), 0)
      end
      for _, r in ipairs(res.results) do all.results[#all.results + 1] = r end
    end
    require("tpp.json").array(all.results)
    return input.json_safe(all), format.text(all), screen.exit_code(all.results)
  end
  if #args == 0 then usage_error("tpp screen: expected a chip (e.g. H20) or --input FILE; usage: " .. M.usage) end
  local chips = {}
  for i = 1, #args do chips[i] = args[i] end
  local okq, q = pcall(M.query, args, chips)
  if not okq then usage_error(q) end
  local ok, result = pcall(screen.screen, q)
  if not ok then usage_error(result) end
  return input.json_safe(result), format.text(result), screen.exit_code(result.results)
end

return M
