-- luacheck configuration: code must run on Lua 5.1, 5.4 and LuaJIT.
std = "max"
max_line_length = 130
codes = true
ignore = { "212/self" } -- unused self in methods is normal
files["spec"] = { std = "+busted" }
files["bin/tpp"] = { ignore = { "631" } }
globals = {}
read_globals = { "jit", "unpack", "setfenv", "loadstring" }
-- generated data files: long source strings are kept on one line
files["lua/tpp/chips"] = { max_line_length = false }
-- Rule files run in the rule sandbox (lua/tpp/rules/sandbox.lua), whose
-- globals are the rule DSL of lua/tpp/rules/dsl.lua.
local rule_dsl = {
  std = "min",
  read_globals = { "version", "threshold", "figure", "paragraph", "note", "precedence", "checklist",
                   "assumption", "remove", "test", "range", "check", "licence", "licence_note" },
}
files["lua/tpp/rules/us_*.lua"] = rule_dsl
files["examples/rules/*.lua"] = rule_dsl
files["spec/fixtures/rules/*.lua"] = rule_dsl
-- Regime data files (lua/tpp/regimes/*.lua except the loader) run in the same sandbox with the
-- declarations of lua/tpp/regimes/init.lua.
files["lua/tpp/regimes"] = {
  std = "min",
  read_globals = { "measure", "group", "group_change", "region", "embargo", "party", "end_use", "fdp",
                   "guidance", "prc_measure", "conflict", "tariff_band" },
}
files["lua/tpp/regimes/init.lua"] = { std = "max" }
