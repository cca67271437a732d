-- A regulatory number or date lives in exactly one rule or regime file; code reads it by name. This
-- spec fails when a threshold or a rule date appears as a literal anywhere else in lua/, bin/ or
-- csrc/ (comments included: a comment with a number goes stale the same way). A line may carry
-- "literal-ok: <why>" when the number is not a rule's (e.g. a die area drawn on a chart).
local rules = require "tpp.rules"
local regimes = require "tpp.regimes"

-- The numbers the rules turn on (thousands separators allowed) ...
local NUMBERS = { "1400", "1100", "1700", "21000", "6500", "4800", "1600", "2400", "5.92", "3.3", "26900000" }
-- ... and every date a rule or regime file declares.
local function rule_dates()
  local set = {}
  for _, id in ipairs(rules.BUILTIN) do
    for _, d in pairs(rules.get(id).dates) do set[d] = true end
  end
  for _, m in ipairs(regimes.measures()) do
    for _, d in pairs(m.dates) do set[d] = true end
  end
  for _, kind in ipairs({ "embargo", "party", "group_change" }) do
    for _, r in ipairs(regimes.records(kind)) do
      for _, k in ipairs({ "from", "to", "added", "date", "footnote_from" }) do
        if r[k] then set[r[k]] = true end
      end
    end
  end
  local out = {}
  for d in pairs(set) do out[#out + 1] = d end
  table.sort(out)
  return out
end

local function files()
  local out = {}
  local p = io.popen("find lua bin csrc -type f \\( -name '*.lua' -o -name '*.c' -o -name '*.h' -o -name tpp \\) | sort")
  for f in p:lines() do
    local data = f:match("^lua/tpp/rules/us_.*%.lua$") or (f:match("^lua/tpp/regimes/") and not f:match("init%.lua$"))
    local chips = f:match("^lua/tpp/chips/")            -- chip figures, not rules
    local generated = f == "lua/tpp/cdef.lua"
    -- model catalogues name model versions ("Llama 3.3"), not rule numbers
    local models = f == "lua/tpp/infer.lua" or f:match("^lua/tpp/serve/")
    if not data and not chips and not generated and not models then out[#out + 1] = f end
  end
  p:close()
  return out
end

local function with_commas(n)
  local int, frac = n:match("^(%d+)(.*)$")
  local s = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return s .. frac
end

describe("regulatory numbers live in rule and regime files only", function()
  it("no threshold or rule date is a literal in lua/, bin/ or csrc/", function()
    local patterns = {}
    for _, n in ipairs(NUMBERS) do
      patterns[#patterns + 1] = { n, n:gsub("%.", "%%.") }
      if #n > 4 and not n:find(".", 1, true) then patterns[#patterns + 1] = { n, with_commas(n):gsub(",", "%%,") } end
    end
    for _, d in ipairs(rule_dates()) do patterns[#patterns + 1] = { d, d:gsub("%-", "%%-") } end
    local found = {}
    for _, f in ipairs(files()) do
      local ln, comments_ok = 0, false
      for line in io.lines(f) do
        ln = ln + 1
        if ln <= 40 and line:find("literal-ok-comments:", 1, true) then comments_ok = true end
        local is_comment = line:match("^%s*%-%-") or line:match("^%s*/?%*") or line:match("^%s*//")
        if not line:find("literal-ok:", 1, true) and not (comments_ok and is_comment) then
          for _, p in ipairs(patterns) do
            -- a number standing alone (not part of a longer number, a version id or a name)
            local s = 1
            while true do
              local a, b = line:find(p[2], s)
              if not a then break end
              local before, after = line:sub(a - 1, a - 1), line:sub(b + 1, b + 1)
              if not before:match("[%w%.%-_]") and not after:match("[%w_]") and
                 not (after == "." and line:sub(b + 2, b + 2):match("%d")) and
                 not (after == "-" and line:sub(b + 2, b + 2):match("[%w]")) then
                found[#found + 1] = ("%s:%d: %s"):format(f, ln, p[1])
                break
              end
              s = b + 1
            end
          end
        end
      end
    end
    assert.same({}, found)
  end)
end)
