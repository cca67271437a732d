-- tpp.model on every binding: random checkpoints, loading, generation,
-- quantization and the errors a damaged file gives. (The forward pass is
-- checked against a double-precision llama2.c transcription in
-- spec/c/test_model.c; here the bindings and the Lua layer are.)
local model = require "tpp.model"
local tensor = require "tpp.tensor"

local function tmp(name)
  local base = os.tmpname()
  os.remove(base)
  return base .. "_" .. name
end

local SMALL = { dim = 48, hidden_dim = 128, n_layers = 2, n_heads = 6, n_kv_heads = 2, vocab_size = 400, seq_len = 64 }

local function write(path, extra)
  local t = { path = path, seed = 3 }
  for k, v in pairs(SMALL) do t[k] = v end
  for k, v in pairs(extra or {}) do t[k] = v end
  return model.write_random(t)
end

local function rel_max(a, b)
  local d, m = 0, 0
  for i = 1, #a do
    d = math.max(d, math.abs(a[i] - b[i]))
    m = math.max(m, math.abs(b[i]))
  end
  return d / m
end

local function file_size(path)
  local f = assert(io.open(path, "rb"))
  local n = f:seek("end")
  f:close()
  return n
end

local function truncate_copy(src, dst, n)
  local f = assert(io.open(src, "rb"))
  local data = f:read(n)
  f:close()
  local g = assert(io.open(dst, "wb"))
  g:write(data)
  g:close()
end

describe("tpp.model", function()
  local path, tok = tmp("m.bin"), tmp("tok.bin")
  setup(function() write(path, { tokenizer = tok }) end)
  teardown(function()
    os.remove(path)
    os.remove(tok)
  end)

  it("info() validates the header and predicts the file size", function()
    local c = model.info(path)
    assert.equal(48, c.dim)
    assert.equal(2, c.n_kv_heads)
    assert.equal("v0", c.format)
    assert.is_true(c.shared_classifier)
    assert.equal(file_size(path), c.file_bytes)
  end)

  it("loads, runs a batched prefill and matches token-by-token decode", function()
    local a = model.load(path, { tokenizer = false })
    local b = model.load(path, { tokenizer = false })
    local toks = { 1, 5, 77, 300, 12, 9 }
    a:forward(toks, 0)
    for i, t in ipairs(toks) do b:forward({ t }, i - 1) end
    assert.is_true(rel_max(a:logits():read(), b:logits():read()) < 2e-5)
    assert.equal("f32", a:config().weights)
    assert.has_error(function() a:forward({ 1, 400 }, 0) end,
      "tpp: forward: token 400 at index 2 is outside the vocabulary 0..399")
    assert.has_error(function() a:forward({ 1 }, 64) end,
      "tpp: forward: positions 64..64 do not fit the context of 64 (seq_len)")
    a:free()
    b:free()
  end)

  it("generates text; greedy is deterministic and a seed reproduces sampling", function()
    local m = model.load(path, { tokenizer = tok })
    local t1, s1 = m:generate { prompt = "Once upon a time", steps = 12, temperature = 0 }
    local t2 = m:generate { prompt = "Once upon a time", steps = 12, temperature = 0 }
    assert.equal(t1, t2)
    assert.is_string(t1)
    assert.is_true(s1.prompt_tokens >= 2)
    assert.is_true(s1.generated_tokens <= 12)
    local r1 = m:generate { prompt = "Lily", steps = 10, temperature = 1, seed = 7 }
    local r2 = m:generate { prompt = "Lily", steps = 10, temperature = 1, seed = 7 }
    assert.equal(r1, r2)
    local pieces = {}
    local text = m:generate { prompt = "Tim", steps = 5, temperature = 0,
                              on_token = function(p) pieces[#pieces + 1] = p end }
    assert.equal(text, table.concat(pieces))
    assert.same({ 1 }, { m:encode("")[1] })
    assert.equal("Once upon a time", m:decode(m:encode("Once upon a time")))
    assert.has_error(function() m:generate { promt = "x" } end)
    m:free()
  end)

  it("quantizes to q8 and q4 files that stay close to fp32", function()
    local q8, q4 = tmp("m.q8.bin"), tmp("m.q4.bin")
    local f = model.load(path, { tokenizer = false })
    f:quantize { path = q8, format = "q8" }
    model.quantize(path, q4, { format = "q4", group_size = 16 })
    assert.equal("q8", model.info(q8).format)
    assert.equal(16, model.info(q4).group_size)
    local toks = { 1, 40, 41, 42 }
    f:forward(toks, 0)
    local ref = f:logits():read()
    for _, case in ipairs({ { q8, 0.05, "q8" }, { q4, 0.4, "q4" } }) do
      local m = model.load(case[1], { tokenizer = false })
      assert.equal(case[3], m:config().weights)
      m:forward(toks, 0)
      local err = rel_max(m:logits():read(), ref)
      assert.is_true(err < case[2], case[3] .. " error " .. err)
      assert.is_true(m:weight_bytes() < f:weight_bytes() / 3)
      m:free()
    end
    local ql = model.load(path, { weights = "q4", tokenizer = false })
    assert.equal("q4", ql:config().weights)
    ql:free()
    assert.has_error(function() model.quantize(q8, tmp("x.bin"), { format = "q4" }) end)
    f:free()
    os.remove(q8)
    os.remove(q4)
  end)

  it("rejects truncated files, wrong sizes and absurd headers before reading weights", function()
    local bad = tmp("bad.bin")
    truncate_copy(path, bad, file_size(path) - 1)
    local ok, err = pcall(model.load, bad)
    assert.is_false(ok)
    assert.matches("checkpoint is truncated: its header %(dim 48, hidden_dim 128, 2 layers, vocab 400%) " ..
      "implies %d+ bytes, the file has %d+", err)
    local f = assert(io.open(bad, "wb"))
    f:write(string.rep("\255", 28))
    f:close()
    ok, err = pcall(model.load, bad)
    assert.is_false(ok)
    assert.matches("checkpoint header: dim = %-1, expected 1..65536", err)
    ok, err = pcall(model.load, tmp("missing.bin"))
    assert.is_false(ok)
    assert.matches("cannot open", err)
    os.remove(bad)
  end)

  it("write_random knows the llama2.c shapes and refuses unknown ones", function()
    assert.equal(288, model.SHAPES.stories15M.dim)
    assert.has_error(function() model.write_random { path = tmp("x"), shape = "stories7B" } end)
    assert.has_error(function() write(tmp("x"), { n_heads = 5 }) end,
      "tpp: model: dim 48 is not a multiple of n_heads 5")
  end)

  it("the tokenizer must match the model's vocabulary", function()
    local small_tok = tmp("tok300.bin")
    require("tpp.backend").tokenizer_write_synthetic(small_tok, 300)
    local ok, err = pcall(model.load, path, { tokenizer = small_tok })
    assert.is_false(ok)
    assert.matches("ends after 300 of 400 tokens", err)
    os.remove(small_tok)
  end)

  it("tpp run generates from the command line", function()
    local run = require "tpp.commands.run"
    local data, text = run.run { path, prompt = "Once", steps = "8", temperature = "0", tokenizer = tok, quiet = true }
    assert.is_string(data.text)
    local raw = text:match("^(.*)\n%[%d+ prompt tokens in ")
    assert.is_string(raw)
    assert.equal(data.text, run.utf8_clean(raw))
    assert.equal("a\239\191\189b", run.utf8_clean("a\195b"))
    assert.is_true(data.generated_tokens <= 8)
    assert.equal("f32", data.weights)
  end)

  it("logits() is a copy the caller owns", function()
    local m = model.load(path, { tokenizer = false })
    m:forward({ 1 }, 0)
    local l = m:logits()
    assert.is_true(tensor.is_tensor(l))
    assert.same({ 400 }, l:shape())
    m:free()
    assert.is_number(l:get(1))
  end)
end)
