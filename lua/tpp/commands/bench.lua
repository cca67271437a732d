--- tpp bench TARGET: benchmarks, each measured against a baseline in the same
-- run and reported as ratios. Targets are modules tpp.bench.<target>.
local M = {
  summary = "benchmarks with in-run baselines (batch, rules, input, screen, gemm, membw, decode, prefill, host, infer)",
  usage = "tpp bench TARGET [options] [--json]",
  subcommands = "tpp.bench",
}

M.TARGETS = { "batch", "rules", "input", "screen", "gemm", "membw", "decode", "prefill", "host", "infer" }

function M.list()
  local out = {}
  for _, t in ipairs(M.TARGETS) do
    local ok = pcall(require, "tpp.bench." .. t)
    if ok then out[#out + 1] = t end
  end
  return out
end

return M
