-- tpp.rules.stream and `tpp classify --format jsonl|csv`: the fast path (C
-- reader, batch kernels, C templates) gives byte for byte the records of the
-- per-chip path, on generated chips that sit on, just below and just above
-- every line, with unknown inputs, on every interpreter and binding.
local stream = require "tpp.rules.stream"
local json = require "tpp.json"
local support = require "support"

local function write(suffix, text)
  local path = support.tmpname(suffix)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- A deterministic generator (an LCG: the same rows on every interpreter).
local function generator(seed)
  local state = seed
  return function(list)
    state = (state * 1103515245 + 12345) % 2147483648
    return list[state % #list + 1]
  end
end

-- Values on, below and above the lines of the 3A090 versions: TPP 4800, 2400,
-- 1600 (dense 8-bit TOPS x 8), PD 5.92, 3.2, 1.6 (TPP / area), bandwidths,
-- and unknowns ("").
local FP8 = { "600", "599.99", "600.01", "300", "299.99", "200", "199.99", "1000", "50", "", "" }
local FP16 = { "300", "150", "100", "989.4", "74", "", "" }
local AREA = { "810.81081081081", "500", "1500", "750", "925", "100", "", "814" }
local BW = { "4000", "1400", "1100", "1399.99", "6500", "", "300" }
local IO = { "600", "599.99", "900", "1100", "", "64" }
local FLAG = { "true", "false", "", "yes", "0" }
local FORM = { "SXM", "PCIe", "HBM3e stack", "", "OAM" }
local MEMT = { "HBM3", "GDDR6", "", "HBM2e" }
local YEAR = { "2022", "2024", "2026", "" }
local DATE = { "2023-10-17", "2025-01-15", "", "", "2024-02-29" }
local TRANS = { "30", "30.01", "29.99", "80", "", "50" }

local function rows_a(n, seed, odd_ids)
  local pick = generator(seed)
  local lines = { "id,fp16,bf16,fp8,int8,fp64_vector,die_area_mm2,mem_bw_gbs,interconnect_gbs,datacenter," ..
    "hbm,mem_type,form,year,first_marketed,transistors_b" }
  for i = 1, n do
    local fp8 = pick(FP8)
    -- ids that need quoting and escaping in both outputs (comma, quote, non-ASCII, spaces)
    local id = i % 17 == 0 and "" or ((odd_ids and i % 13 == 0) and ('"c' .. i .. ', ""q"" \195\169\127 "') or
      ((odd_ids and i % 11 == 0) and ('" c' .. i .. ' "') or ("c" .. i)))
    lines[#lines + 1] = table.concat({ id, pick(FP16), pick(FP16), fp8,
      pick({ fp8, "", "300" }), pick({ "1", "", "67" }), pick(AREA), pick(BW), pick(IO), pick(FLAG),
      pick(FLAG), pick(MEMT), pick(FORM), pick(YEAR), pick(DATE), pick(TRANS) }, ",")
  end
  return table.concat(lines, "\n") .. "\n"
end

local function rows_b(n, seed)
  local pick = generator(seed)
  local lines = { "id,fp16_bf16,fp8,fp4_int4,fp64_matrix,tf32,die_area_mm2,mem_bw_gbs,interconnect_gbs," ..
    "datacenter,mem_type,form,year,transistors_b" }
  for i = 1, n do
    lines[#lines + 1] = table.concat({ "b" .. i, pick(FP16), pick(FP8), pick({ "", "1200", "2400.5" }),
      pick({ "", "67", "0.5" }), pick({ "", "989" }), pick(AREA), pick(BW), pick(IO), pick(FLAG), pick(MEMT),
      pick(FORM), pick(YEAR), pick(TRANS) }, ",")
  end
  return table.concat(lines, "\n") .. "\n"
end

-- The same rows as JSON Lines of flat objects (empty cells left out).
local function as_jsonl(csv_text)
  local lines, header = {}, nil
  for line in csv_text:gmatch("[^\n]+") do
    local cells = {}
    for cell in (line .. ","):gmatch("([^,]*),") do cells[#cells + 1] = cell end
    if not header then header = cells else
      local parts = {}
      for k, name in ipairs(header) do
        local v = cells[k]
        if v ~= "" then
          local n = tonumber(v)
          local quoted = (name == "id" or name == "mem_type" or name == "form" or name == "first_marketed" or
            n == nil)
          parts[#parts + 1] = json.encode(name) .. ":" .. (quoted and json.encode(v) or v)
        end
      end
      lines[#lines + 1] = "{" .. table.concat(parts, ",") .. "}"
    end
  end
  return table.concat(lines, "\n") .. "\n"
end

local function run(input, path, rules, format, extra)
  local out = support.tmpname(format == "csv" and ".csv" or ".jsonl")
  local o = { output = out, format = format, rules = rules, as_of = "2025-06-01", path = path }
  for k, v in pairs(extra or {}) do o[k] = v end
  local summary = stream.classify(input, o)
  local text = slurp(out)
  os.remove(out)
  return text, summary
end

local SOME = { "us-2022-10", "us-2023-10", "us-2025-01-foundry" }

describe("classify streams: the fast path agrees with the per-chip path", function()
  it("on 150 generated chips with boundary values, three versions, JSON Lines and CSV", function()
    local csvp = write(".csv", rows_a(150, 7, true))
    for _, fmt in ipairs({ "jsonl", "csv" }) do
      local fast, s1 = run(csvp, "csv", SOME, fmt)
      local slow, s2 = run(csvp, "chip", SOME, fmt)
      assert.equal("csv", s1.path)
      assert.equal(150, s1.rows)
      assert.equal(slow, fast)
      assert.same(s2.counts, s1.counts)
    end
    -- every status appears, and unknown inputs are named
    local fast = run(csvp, "csv", SOME, "jsonl")
    local seen, named = {}, false
    for line in fast:gmatch("[^\n]+") do
      local r = json.decode(line)
      seen[r.status] = true
      if r.status == "undetermined" then
        assert.is_true(#r.missing > 0, line)
        named = true
      end
    end
    assert.is_true(seen.controlled and seen["not-controlled"] and seen.undetermined and named)
    os.remove(csvp)
  end)

  it("on 16 chips under every built-in version, and the combined columns of the extended layout", function()
    local rules = require "tpp.rules"
    local a = write(".csv", rows_a(16, 11))
    local b = write(".csv", rows_b(16, 13))
    for _, p in ipairs({ a, b }) do
      local fast = run(p, "csv", rules.BUILTIN, "jsonl")
      local slow = run(p, "chip", rules.BUILTIN, "jsonl")
      assert.equal(slow, fast)
    end
    os.remove(a)
    os.remove(b)
  end)

  it("derived inputs: HBM from the memory type, the mid-year date of a year, 4-bit and FP64 columns", function()
    -- each pair differs only in the derived input, so both paths must derive it alike
    local p = write(".csv", table.concat({
      "id,fp8,fp4_int4,fp64_vector,die_area_mm2,mem_type,transistors_b,year,datacenter,form",
      "hbm_yes,100,,,500,HBM3e,32,2024,yes,OAM",
      "hbm_no,100,,,500,GDDR7,32,2024,yes,OAM",
      "y2026,800,,,800,HBM3,80,2026,yes,SXM",
      "y2025,800,,,800,HBM3,80,2025,yes,SXM",
      "four,,3000,,500,,,2024,yes,PCIe",
      "fp64,,,150,500,,,2024,yes,PCIe",
      "stack,,,,,HBM3,,2024,yes,HBM3 stack",
    }, "\n") .. "\n")
    -- in 2027 the no-HBM transistor limit (35 billion) is above the HBM one (30)
    local rules = { "us-2023-10", "us-2025-01-foundry", "us-prop-2026-04-s4456" }
    local fast = run(p, "csv", rules, "jsonl", { as_of = "2027-06-01" })
    assert.equal(run(p, "chip", rules, "jsonl", { as_of = "2027-06-01" }), fast)
    local by = {}
    for line in fast:gmatch("[^\n]+") do
      local r = json.decode(line)
      by[r.chip .. "/" .. r.rules] = r
    end
    assert.are_not.equal(by["hbm_yes/us-2025-01-foundry"].governing, by["hbm_no/us-2025-01-foundry"].governing)
    assert.equal("restricted: new, TPP 4,800", by["y2026/us-prop-2026-04-s4456"].governing)  -- 2026-07-01
    assert.equal("covered: TPP 4,800", by["y2025/us-prop-2026-04-s4456"].governing)
    assert.equal(12000, by["four/us-2023-10"].tpp)
    assert.equal(9600, by["fp64/us-2023-10"].tpp)
    os.remove(p)
  end)

  it("the batch path (JSON Lines input) agrees too", function()
    local p = write(".jsonl", as_jsonl(rows_a(60, 5)))
    local two = { "us-2023-10", "us-2025-01-foundry" }
    local mid = run(p, "batch", two, "jsonl")
    local slow = run(p, "chip", two, "jsonl")
    assert.equal(slow, mid)
    os.remove(p)
  end)

  it("a chunk boundary changes nothing (chunks of 7 rows)", function()
    local p = write(".csv", rows_a(50, 3))
    local small = run(p, "csv", SOME, "jsonl", { chunk = 7 })
    local whole = run(p, "csv", SOME, "jsonl")
    assert.equal(whole, small)
    os.remove(p)
  end)
end)

describe("tpp classify --format jsonl|csv", function()
  it("writes a file whole, or not at all when a row is bad (exit 65)", function()
    local good = write(".csv", rows_a(30, 1))
    local out = support.tmpname(".jsonl")
    local text, rc = support.tpp_cmd("classify --input " .. good .. " --output " .. out .. " --as-of 2025-06-01 --json")
    assert.equal(1, rc, text) -- some chips are controlled: the strictest result
    local summary = json.decode(text)
    assert.equal(30, summary.rows)
    local n = 0
    for _ in slurp(out):gmatch("[^\n]+") do n = n + 1 end
    assert.equal(30, n)
    os.remove(out)
    local bad = write(".csv", rows_a(30, 1):gsub("\nc29,", "\nc29,0x10"))
    text, rc = support.tpp_cmd("classify --input " .. bad .. " --output " .. out .. " --as-of 2025-06-01")
    assert.equal(65, rc)
    assert.matches("row 29 (line 30): fp16: '0x10", text, 1, true)
    assert.is_nil(io.open(out, "rb"))
    os.remove(good)
    os.remove(bad)
  end)

  it("never writes over its input, and refuses --json with --format jsonl", function()
    local p = write(".csv", rows_a(3, 1))
    local before = slurp(p)
    local text, rc = support.tpp_cmd("classify --input " .. p .. " --output " .. p .. " --format csv")
    assert.equal(64, rc)
    assert.matches("is the input file", text)
    assert.equal(before, slurp(p))
    text, rc = support.tpp_cmd("classify --input " .. p .. " --format jsonl --json")
    assert.equal(64, rc) -- a usage error
    assert.matches("disagree", text)
    os.remove(p)
  end)

  it("reads standard input and writes standard output", function()
    local p = write(".csv", rows_a(5, 2))
    local text, rc = support.tpp_cmd("classify --input - --format csv --rules us-2023-10 --as-of 2025-06-01 < " .. p)
    assert.equal(1, rc, text) -- the exit status is the strictest result: c1 is controlled
    local lines = {}
    for l in text:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.equal(6, #lines)
    assert.equal("row,chip,rules,as_of,status,eccn,classification,governing,outcome,review_policy,tpp,pd,near," ..
      "missing", lines[1])
    os.remove(p)
  end)

  it("shows a table of at most TABLE_LIMIT chips, saying so", function()
    local cmd = require "tpp.commands.classify"
    local limit = cmd.TABLE_LIMIT
    cmd.TABLE_LIMIT = 4
    local p = write(".csv", rows_a(9, 2))
    local _, text = cmd.run { input = p, rules = { "us-2023-10" }, ["as-of"] = "2025-06-01" }
    cmd.TABLE_LIMIT = limit
    assert.matches("Showing the first 4 chips of", text, 1, true)
    os.remove(p)
  end)
end)
