-- tpp: export-control metrics of AI chips (TPP, performance density, rule
-- classification) with a C core, for Lua 5.1-5.4 and LuaJIT.
-- Offline from a checkout:  luarocks --tree ./lua_modules make rockspec/tpp-scm-1.rockspec
rockspec_format = "3.0"
package = "tpp"
version = "scm-1"
source = { url = "git+https://example.invalid/tpp.git" }
description = {
  summary = "Export-control metrics of AI chips: TPP, performance density, rule versions, inference",
  detailed = [[
tpp computes the regulatory metrics of AI accelerators from datasheet figures
with provenance, classifies chips under every version of the US rules, and
models and measures LLM inference. Not legal advice.]],
  license = "MIT",
}
dependencies = { "lua >= 5.1, < 5.5" }
external_dependencies = { OPENBLAS = { library = "openblas" } }
build = {
  type = "builtin",
  modules = {
    ["tpp.core"] = {
      sources = {
        "csrc/bench.c", "csrc/kernels/api.c", "csrc/kernels/attention.c",
        "csrc/kernels/cpu.c", "csrc/kernels/gemm_f32.c", "csrc/kernels/ops.c",
        "csrc/kernels/qmatmul.c", "csrc/kernels/quant.c", "csrc/kernels/sample.c",
        "csrc/lua/batch_glue.c", "csrc/lua/core.c", "csrc/lua/infer_glue.c",
        "csrc/lua/rule_glue.c", "csrc/lua/spec_glue.c", "csrc/model.c",
        "csrc/roofline.c", "csrc/rule.c", "csrc/sha256.c",
        "csrc/spec.c", "csrc/tensor.c", "csrc/tokenizer.c",
        "csrc/util.c",
      },
      incdirs = { "include", "csrc", "$(OPENBLAS_INCDIR)" },
      libdirs = { "$(OPENBLAS_LIBDIR)" },
      libraries = { "openblas", "pthread", "m" },
      defines = { "_POSIX_C_SOURCE=200809L" },
    },
    ["tpp.backend"] = "lua/tpp/backend.lua",
    ["tpp.bench.batch"] = "lua/tpp/bench/batch.lua",
    ["tpp.bench.rules"] = "lua/tpp/bench/rules.lua",
    ["tpp.cdef"] = "lua/tpp/cdef.lua",
    ["tpp.chart"] = "lua/tpp/chart.lua",
    ["tpp.chips.amd"] = "lua/tpp/chips/amd.lua",
    ["tpp.chips.aws"] = "lua/tpp/chips/aws.lua",
    ["tpp.chips.china_other"] = "lua/tpp/chips/china_other.lua",
    ["tpp.chips.google"] = "lua/tpp/chips/google.lua",
    ["tpp.chips.huawei"] = "lua/tpp/chips/huawei.lua",
    ["tpp.chips.import"] = "lua/tpp/chips/import.lua",
    ["tpp.chips"] = "lua/tpp/chips/init.lua",
    ["tpp.chips.intel"] = "lua/tpp/chips/intel.lua",
    ["tpp.chips.nvidia"] = "lua/tpp/chips/nvidia.lua",
    ["tpp.cli"] = "lua/tpp/cli.lua",
    ["tpp.commands.bench"] = "lua/tpp/commands/bench.lua",
    ["tpp.commands.chart"] = "lua/tpp/commands/chart.lua",
    ["tpp.commands.chips"] = "lua/tpp/commands/chips.lua",
    ["tpp.commands.classify"] = "lua/tpp/commands/classify.lua",
    ["tpp.commands.diff"] = "lua/tpp/commands/diff.lua",
    ["tpp.commands.explain"] = "lua/tpp/commands/explain.lua",
    ["tpp.commands.infer"] = "lua/tpp/commands/infer.lua",
    ["tpp.commands.ledger"] = "lua/tpp/commands/ledger.lua",
    ["tpp.commands.rules"] = "lua/tpp/commands/rules.lua",
    ["tpp.commands.show"] = "lua/tpp/commands/show.lua",
    ["tpp.commands.version"] = "lua/tpp/commands/version.lua",
    ["tpp.commands.whatif"] = "lua/tpp/commands/whatif.lua",
    ["tpp.countries"] = "lua/tpp/countries.lua",
    ["tpp.dest"] = "lua/tpp/dest.lua",
    ["tpp.ffi"] = "lua/tpp/ffi.lua",
    ["tpp.ffi_infer"] = "lua/tpp/ffi_infer.lua",
    ["tpp.ffi_rules"] = "lua/tpp/ffi_rules.lua",
    ["tpp.infer"] = "lua/tpp/infer.lua",
    ["tpp"] = "lua/tpp/init.lua",
    ["tpp.json"] = "lua/tpp/json.lua",
    ["tpp.ledger"] = "lua/tpp/ledger.lua",
    ["tpp.pretty"] = "lua/tpp/pretty.lua",
    ["tpp.progress"] = "lua/tpp/progress.lua",
    ["tpp.repl"] = "lua/tpp/repl.lua",
    ["tpp.report"] = "lua/tpp/report.lua",
    ["tpp.rules.dsl"] = "lua/tpp/rules/dsl.lua",
    ["tpp.rules.explain"] = "lua/tpp/rules/explain.lua",
    ["tpp.rules"] = "lua/tpp/rules/init.lua",
    ["tpp.rules.input"] = "lua/tpp/rules/input.lua",
    ["tpp.rules.metrics"] = "lua/tpp/rules/metrics.lua",
    ["tpp.rules.region"] = "lua/tpp/rules/region.lua",
    ["tpp.rules.sandbox"] = "lua/tpp/rules/sandbox.lua",
    ["tpp.rules.us_2022_10"] = "lua/tpp/rules/us_2022_10.lua",
    ["tpp.rules.us_2023_10"] = "lua/tpp/rules/us_2023_10.lua",
    ["tpp.rules.us_2024_04"] = "lua/tpp/rules/us_2024_04.lua",
    ["tpp.rules.us_2024_12"] = "lua/tpp/rules/us_2024_12.lua",
    ["tpp.rules.us_2025_01_diffusion"] = "lua/tpp/rules/us_2025_01_diffusion.lua",
    ["tpp.rules.us_2025_01_foundry"] = "lua/tpp/rules/us_2025_01_foundry.lua",
    ["tpp.rules.us_2025_04_h20"] = "lua/tpp/rules/us_2025_04_h20.lua",
    ["tpp.rules.us_2026_01_h200"] = "lua/tpp/rules/us_2026_01_h200.lua",
    ["tpp.rules.us_prop_2025_08_rtt"] = "lua/tpp/rules/us_prop_2025_08_rtt.lua",
    ["tpp.rules.us_prop_2025_11_gain"] = "lua/tpp/rules/us_prop_2025_11_gain.lua",
    ["tpp.rules.us_prop_2025_12_overwatch"] = "lua/tpp/rules/us_prop_2025_12_overwatch.lua",
    ["tpp.rules.us_prop_2026_04_s4456"] = "lua/tpp/rules/us_prop_2026_04_s4456.lua",
    ["tpp.rules.version"] = "lua/tpp/rules/version.lua",
    ["tpp.spec"] = "lua/tpp/spec.lua",
    ["tpp.svg"] = "lua/tpp/svg.lua",
    ["tpp.util"] = "lua/tpp/util.lua",
  },
  install = { bin = { tpp = "bin/tpp" } },
}
test = { type = "busted" }
