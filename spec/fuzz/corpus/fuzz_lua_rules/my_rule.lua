-- A user rule file: a hypothetical "bandwidth-aware" line an analyst wants to
-- test against the fleet. Load it with
--   tpp classify --rules examples/rules/my_rule.lua
--   tpp diff us-2026-01-h200 examples/rules/my_rule.lua
-- or from Lua: tpp.rules.load("examples/rules/my_rule.lua").
-- It runs in the rule sandbox: no io, os, require or load; bounded
-- instructions and memory. Mistakes fail at load with file:line.

version {
  id = "analyst-bandwidth-2026",
  title = "Scenario: TPP line at 4,000, plus an inference line on DRAM bandwidth",
  summary = "What if the TPP line moved down to 4,000 and chips with 4 TB/s of DRAM were caught too?",
  provenance = "user",
}

threshold { "scenario.tpp", 4000, provenance = "user", source = "analyst scenario, not a rule" }
threshold { "scenario.dram_gbs", 4000, unit = "GB/s", provenance = "user",
  source = "analyst scenario: the H20's 4 TB/s of DRAM bandwidth" }

paragraph { "S.1", eccn = "SCENARIO.1", text = "TPP of 4,000 or more",
  test("tpp", ">=", "scenario.tpp") }
paragraph { "S.2", eccn = "SCENARIO.2", outcome = "licence-required",
  text = "DRAM bandwidth of 4,000 GB/s or more, datacenter parts only, from TPP 1,000",
  test("mem_bw_gbs", ">=", "scenario.dram_gbs"),
  test("tpp", ">=", 1000),                 -- an inline line; it is named "S.2.tpp"
  test("datacenter", "==", true) }

note { "consumer carve-out", kind = "exclude", targets = { "SCENARIO.1" },
  text = "consumer parts below 6,000 TPP are left out",
  test("datacenter", "==", false),
  range("tpp", ">=", 0, "<", 6000) }

precedence { "SCENARIO.1", "SCENARIO.2" }

checklist { "A scenario for discussion, not a regulation" }
assumption { "scenario-basis", "Both lines are the analyst's choices; nothing here is in the EAR." }
