--- tpp run MODEL: generate text with a llama2.c checkpoint on this CPU.
local cli = require "tpp.cli"
local core = require "tpp.backend"

local M = {
  summary = "generate text with a llama2.c checkpoint (fp32, q8 or q4) on this CPU",
  usage = "tpp run MODEL [--prompt TEXT] [--steps N] [--temperature T] [--top-p P] [--seed S] " ..
    "[--tokenizer PATH] [--weights f32|q8|q4] [--threads N] [--quiet] [--json]",
  help = "MODEL is a llama2.c checkpoint: legacy fp32 (export.py --version 0), Q8_0 (--version 2) or\n" ..
    "tpp's 4-bit file (tpp.model.quantize). The tokenizer defaults to tokenizer.bin next to MODEL.\n" ..
    "--weights q8 or q4 quantizes an fp32 checkpoint while loading. The prompt is processed in one\n" ..
    "batch; then one token per step. Text streams to stdout as it is generated.",
  options = {
    prompt = { arg = "TEXT", help = "the prompt (default: empty, start from BOS)" },
    steps = { arg = "N", help = "tokens to generate (default 256, capped by the context)" },
    temperature = { arg = "T", help = "sampling temperature, 0 = greedy (default 1.0)" },
    ["top-p"] = { arg = "P", help = "nucleus sampling threshold, 0 or 1 = off (default 0.9)" },
    seed = { arg = "S", help = "random seed (default: the time)" },
    tokenizer = { arg = "PATH", help = "tokenizer.bin (default: next to MODEL)" },
    weights = { arg = "f32|q8|q4", help = "quantize an fp32 checkpoint while loading" },
    threads = { arg = "N", help = "threads (default: all cores)" },
    quiet = { flag = true, help = "no streaming: print the text when done" },
  },
  min_args = 1,
  max_args = 1,
  args = "file",
  raw_text = true,
}

--- Valid UTF-8 for JSON: byte pieces can split a character, so invalid
-- sequences become U+FFFD.
function M.utf8_clean(s)
  local out, i, n = {}, 1, #s
  while i <= n do
    local c = s:byte(i)
    local len = c < 0x80 and 1 or (c >= 0xC2 and c <= 0xDF) and 2 or (c >= 0xE0 and c <= 0xEF) and 3 or
      (c >= 0xF0 and c <= 0xF4) and 4 or 0
    local ok = len > 0 and i + len - 1 <= n
    for k = 1, len - 1 do
      local b = ok and s:byte(i + k)
      if not b or b < 0x80 or b > 0xBF then ok = false end
    end
    if ok then
      out[#out + 1] = s:sub(i, i + len - 1)
      i = i + len
    else
      out[#out + 1] = "\239\191\189"
      i = i + 1
    end
  end
  return table.concat(out)
end

function M.run(args)
  local model = require "tpp.model"
  local name = "run"
  local steps = cli.number(args, "steps", 256, name)
  local temperature = cli.number(args, "temperature", 1.0, name)
  local top_p = cli.number(args, "top-p", 0.9, name)
  local seed = cli.number(args, "seed", os.time(), name)
  local threads = cli.number(args, "threads", nil, name)
  if steps < 0 or steps ~= math.floor(steps) then error("tpp run: --steps must be an integer >= 0", 0) end
  if threads then core.threads(threads) end
  local weights = args.weights
  if weights ~= nil and weights ~= "f32" and weights ~= "q8" and weights ~= "q4" then
    error(("tpp run: --weights '%s': expected f32, q8 or q4"):format(weights), 0)
  end
  local m = model.load(args[1], { tokenizer = args.tokenizer, weights = weights })
  if not m.tokenizer then
    m:free()
    error("tpp run: no tokenizer: pass --tokenizer PATH (llama2.c's tokenizer.bin, or one written by " ..
      "tpp.model.write_random)", 0)
  end
  local stream = not args.json and not args.quiet
  if stream and args.prompt then
    io.stdout:write(args.prompt) -- as llama2.c's run does: the prompt, then what follows
    io.stdout:flush()
  end
  local text, st = m:generate {
    prompt = args.prompt or "", steps = steps, temperature = temperature, top_p = top_p, seed = seed,
    on_token = stream and function(piece)
      io.stdout:write(piece)
      io.stdout:flush()
    end or nil,
  }
  local cfg = m:config()
  m:free()
  local isa = core.isa()
  local data = {
    model = args[1], weights = cfg.weights, prompt = args.prompt or "", text = M.utf8_clean(text), seed = seed,
    temperature = temperature, top_p = top_p, prompt_tokens = st.prompt_tokens,
    generated_tokens = st.generated_tokens, stopped_at_bos = st.stopped_at_bos,
    prefill_s = st.prefill_s, decode_s = st.decode_s, prefill_tok_s = st.prefill_tok_s,
    decode_tok_s = st.decode_tok_s, threads = core.threads(), isa = isa,
  }
  local summary = ("[%d prompt tokens in %.3f s (%s tok/s); %d generated, %s tok/s; %s weights, %d threads, %s]")
    :format(st.prompt_tokens, st.prefill_s, st.prefill_tok_s and ("%.1f"):format(st.prefill_tok_s) or "-",
      st.generated_tokens, st.decode_tok_s and ("%.1f"):format(st.decode_tok_s) or "-", cfg.weights,
      core.threads(), isa)
  if stream then return data, "\n" .. summary .. "\n" end
  return data, text .. "\n" .. summary .. "\n"
end

return M
