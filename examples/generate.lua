-- Generate text with a llama2.c checkpoint, streaming tokens as they come.
--
--   lua5.4 examples/generate.lua                         (a small random model: gibberish, but real)
--   lua5.4 examples/generate.lua stories15M.bin tokenizer.bin "Once upon a time"
--
-- With no arguments a random stories260K-shaped model and a synthetic
-- tokenizer are written to /tmp first. Public API only: tpp.model.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/" .. (_VERSION == "Lua 5.4" and "5.4" or "5.1") .. "/?.so;" .. package.cpath

local tpp = require "tpp"

local path, tokenizer, prompt = arg[1], arg[2], arg[3] or "Once upon a time"
if not path then
  local base = os.tmpname() -- creates an empty file: use its name, remove it
  os.remove(base)
  path, tokenizer = base .. "_model.bin", base .. "_tokenizer.bin"
  tpp.model.write_random { path = path, shape = "stories260K", seed = 7, tokenizer = tokenizer }
end

local m = tpp.model.load(path, { tokenizer = tokenizer })
print(tostring(m))
io.write(prompt)
local _, stats = m:generate {
  prompt = prompt, steps = 64, temperature = 0.8, top_p = 0.9, seed = 42,
  on_token = function(piece) io.write(piece); io.flush() end,
}
print()
print(("%d prompt tokens in %.1f ms (batched), %d generated at %.1f tokens/s, %s weights"):format(
  stats.prompt_tokens, stats.prefill_s * 1000, stats.generated_tokens, stats.decode_tok_s or 0, stats.weights))
m:free()
if not arg[1] then
  os.remove(path)
  os.remove(tokenizer)
end
