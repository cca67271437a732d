--- tpp.serve.stacks: serving software stacks and what the model assumes of
-- each, as data. The efficiencies themselves are fitted per chip and stack
-- (tpp.serve.efficiency); the figures here are fixed assumptions, each with
-- its basis, printed with every answer that uses them.
--
--   step_us         fixed cost per forward step (kernel launches, scheduler)
--   overlap         share of communication hidden behind compute
--   dispatch_bytes  bytes per value in the expert dispatch (1 = FP8 dispatch)
--   max_batch       sequences per replica the engine schedules at most
--   moe_imbalance   busiest chip's expert load over the mean
local M = {}

M.STACKS = {
  ["trt-llm"] = { name = "NVIDIA TensorRT-LLM", step_us = 100, overlap = 0, dispatch_bytes = 2, max_batch = 2048,
    basis = "CUDA graphs keep the per-step host cost near 0.1 ms; all-reduces not overlapped" },
  ["vllm"] = { name = "vLLM (CUDA)", step_us = 300, overlap = 0, dispatch_bytes = 2, max_batch = 1024,
    basis = "Python scheduler between steps (~0.3 ms); no communication overlap" },
  ["vllm-rocm"] = { name = "vLLM on ROCm", step_us = 300, overlap = 0, dispatch_bytes = 2, max_batch = 2048,
    basis = "as vLLM; MLPerf submissions raise the sequence limit" },
  ["sglang"] = { name = "SGLang", step_us = 200, overlap = 0.5, dispatch_bytes = 1, max_batch = 1024,
    basis = "two-batch overlap raised throughput 27-35% (lmsys.org 2025-05-05): with decode's split of " ..
      "compute and all-to-all that hides about half the communication; DeepEP FP8 dispatch" },
  ["deepseek"] = { name = "DeepSeek's in-house engine", step_us = 100, overlap = 0.8, dispatch_bytes = 1,
    max_batch = 1024, basis = "dual micro-batch overlap of communication and compute; FP8 dispatch, BF16 " ..
      "combine (DeepSeek-V3 technical report; open-infra-index day-6 overview)" },
  ["cann"] = { name = "Huawei CANN / CloudMatrix-Infer", step_us = 300, overlap = 0.5, dispatch_bytes = 1,
    max_batch = 1024, basis = "microbatch pipelining and INT8 dispatch over UB (arXiv 2506.12708)" },
  ["optimum-habana"] = { name = "Intel Gaudi software (optimum-habana / vLLM-fork)", step_us = 300, overlap = 0,
    dispatch_bytes = 2, max_batch = 2048, basis = "graph mode per step; no overlap" },
  ["fastertransformer"] = { name = "NVIDIA FasterTransformer", step_us = 100, overlap = 0, dispatch_bytes = 2,
    max_batch = 256, basis = "C++ runtime, batch-1 measurements" },
  ["tpp"] = { name = "tpp's own CPU kernels", step_us = 20, overlap = 0, dispatch_bytes = 2, max_batch = 64,
    basis = "OpenMP-style pool, one parallel region per matmul" },
  ["generic"] = { name = "an unspecified serving engine", step_us = 300, overlap = 0, dispatch_bytes = 2,
    max_batch = 1024, basis = "vLLM-like defaults" },
}

-- The stack a vendor's chips are usually measured with.
M.DEFAULT_BY_VENDOR = { NVIDIA = "trt-llm", AMD = "vllm-rocm", Intel = "optimum-habana", Huawei = "cann",
                        host = "tpp" }

function M.names()
  local out = {}
  for k in pairs(M.STACKS) do out[#out + 1] = k end
  table.sort(out)
  return out
end

--- A stack by id; raises naming the choices.
function M.get(id)
  local s = M.STACKS[id]
  if not s then
    local util = require "tpp.util"
    local hint = util.did_you_mean(tostring(id), M.names())
    error(("tpp.serve: stack '%s' unknown%s; stacks: %s"):format(tostring(id),
      hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(M.names(), ", ")), 0)
  end
  return s
end

return M
