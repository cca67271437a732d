-- Rule versions from Lua: classify, explain, what-if, diff and batches.
--   lua5.4 examples/rules.lua      (from the checkout, after make)
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/" .. (_VERSION == "Lua 5.4" and "5.4" or "5.1") .. "/?.so;" .. package.cpath
local tpp = require "tpp"
local rules = tpp.rules

-- one chip, the version in force on a date, in plain language
local r = rules.classify("H20", { as_of = "2024-06-01" })
print(r.rules, r.status, r.near_line)
print(r.explanation)

-- every test with its margin, also in datasheet units
for _, t in ipairs(r.tests) do
  if t.clause == "3A090.b.1" and t.metric == "tpp" and t.op == ">=" then
    print(("%s: %s %s %s, value %s, margin %s (ratio %.4f), %s dense FP16 TFLOPS against %s"):format(
      t.clause, t.metric, t.op, t.threshold, t.value, t.margin, t.margin_ratio,
      t.datasheet[1].value, t.datasheet[1].threshold))
  end
end

-- what if the line moved?
local w = rules.whatif("us-2023-10", { ["3A090.b.1.tpp.lo"] = 2300 })
print(rules.classify("H20", { rules = w, as_of = "2024-06-01" }).eccn)       --> 3A090.b

-- what changed between two versions, with a witness chip per region
local d = rules.diff("us-2022-10", "us-2023-10", { as_of = "2024-06-01" })
for _, region in ipairs(d.regions) do print(region.summary, region.witness.tpp, region.witness.pd) end

-- a user rule file, sandboxed
local mine = rules.load("examples/rules/my_rule.lua")
print(rules.classify("H20", { rules = mine }).eccn)                        --> SCENARIO.2

-- ten thousand random chips through the compiled C program
local b = tpp.batch(10000)
b:randomize("tpp", 100, 100000, 1)
b:randomize("pd", 0.1, 100, 2)
b:fill("datacenter", 1)
b:fill("memory_item", 0)      -- processors; a column left out is unknown for every row
local info = rules.evaluate_batch(b, { rules = "us-2023-10", as_of = "2024-06-01" })
assert(#info.missing_columns == 0, table.concat(info.missing_columns, ", "))
local controlled = 0
for i = 1, 10000 do if b:get("rule_status", i) == 1 then controlled = controlled + 1 end end
print(controlled, "of 10000 controlled")
