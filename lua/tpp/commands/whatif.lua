--- tpp whatif ID --set NAME=VALUE ...: the same rule version with thresholds
-- moved; lists the chips whose outcome changes and the regions that move.
local input = require "tpp.rules.input"
local diff = require "tpp.commands.diff"

local M = {
  summary = "move thresholds of a rule version by name and see which chips and regions change",
  usage = "tpp whatif ID --set NAME=VALUE [--set ...] [CHIP ... | --input FILE] [--as-of DATE] [--json]",
  help = "NAME is a threshold of the version ('tpp rules ID' lists them), e.g.\n" ..
    "  tpp whatif us-2023-10 --set 3A090.a.1.tpp=4000\n" ..
    "An unknown name is an error with the closest names.",
  options = {
    set = { arg = "NAME=VALUE", multi = true, help = "a threshold and its new value" },
    input = { arg = "FILE", help = "chips from JSON or CSV instead of the database" },
    ["as-of"] = { arg = "DATE", help = "date for dated or computed thresholds (default today)" },
  },
  min_args = 1, args = "rules", rows = "flips",
}

function M.run(args)
  local rules = require "tpp.rules"
  local cmd = "tpp whatif"
  if not args.set then error(cmd .. ": give at least one --set NAME=VALUE; 'tpp rules " .. args[1] ..
    "' lists the thresholds", 0) end
  local base = input.versions({ args[1] }, cmd)[1]
  local settings = input.settings(args.set, cmd)
  local ok, v = pcall(rules.whatif, base, settings)
  if not ok then error(cmd .. ": " .. tostring(v):gsub("^tpp[%.%w]*: ", ""), 0) end
  local chips
  if #args > 1 or args.input then chips = input.chips(args, cmd, 2) end
  local okd, d = pcall(rules.diff, base, v, { as_of = input.date(args, "as-of", cmd), chips = chips })
  if not okd then error(cmd .. ": " .. tostring(d):gsub("^tpp[%.%w]*: ", ""), 0) end
  d.overrides = settings
  local lines = { "What-if on " .. base.id .. ":" }
  for _, name in ipairs(require("tpp.util").sorted_keys(settings)) do
    local th = base.thresholds[name] or base.figures[name]
    lines[#lines + 1] = ("  %s: %s -> %s"):format(name, th and th.value and tostring(th.value) or "computed",
      tostring(settings[name]))
  end
  lines[#lines + 1] = ""
  return input.json_safe(d), table.concat(lines, "\n") .. "\n" .. diff.text(d)
end

return M
