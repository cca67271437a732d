-- Rule files run in the rule sandbox (lua/tpp/rules/sandbox.lua), whose
-- globals are the rule DSL of lua/tpp/rules/dsl.lua.
local rule_dsl = {
  std = "min",
  read_globals = { "version", "threshold", "figure", "paragraph", "note", "precedence", "checklist",
                   "assumption", "remove", "test", "range", "check" },
}
files["lua/tpp/rules/us_*.lua"] = rule_dsl
files["examples/rules/*.lua"] = rule_dsl
files["spec/fixtures/rules/*.lua"] = rule_dsl
