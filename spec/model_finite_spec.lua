-- A checkpoint with a NaN or infinite weight is refused when it loads, naming
-- the tensor, layer and row (it used to generate text and exit 0).
local model = require "tpp.model"
local support = require "support"

local SMALL = { dim = 48, hidden_dim = 128, n_layers = 2, n_heads = 6, n_kv_heads = 2, vocab_size = 400, seq_len = 64 }

local function checkpoint(patch_at, bytes)
  local path = support.tmpname(".bin")
  local t = { path = path, seed = 3, format = "v0" }
  for k, v in pairs(SMALL) do t[k] = v end
  model.write_random(t)
  local f = assert(io.open(path, "r+b"))
  f:seek("set", patch_at)
  f:write(bytes)
  f:close()
  return path
end

local NAN_F32 = "\0\0\192\127"   -- 0x7fc00000, little endian
local INF_F32 = "\0\0\128\127"   -- 0x7f800000
local HEADER = 28                -- seven int32 (llama2.c version 0)

describe("checkpoints with non-finite weights", function()
  it("a NaN in the token embedding is refused with its row", function()
    -- row 2 of the embedding [vocab][dim]
    local path = checkpoint(HEADER + (2 * SMALL.dim + 5) * 4, NAN_F32)
    local ok, err = pcall(model.load, path, { tokenizer = false })
    os.remove(path)
    assert.is_false(ok)
    assert.matches("row 2 has a non-finite weight (NaN)", tostring(err), 1, true)
  end)

  it("an infinity in an RMS norm weight is refused", function()
    local path = checkpoint(HEADER + SMALL.vocab_size * SMALL.dim * 4 + 8, INF_F32)
    local ok, err = pcall(model.load, path, { tokenizer = false })
    os.remove(path)
    assert.is_false(ok)
    assert.matches("non-finite weight (infinity)", tostring(err), 1, true)
  end)

  it("the same file without the patch loads", function()
    local path = checkpoint(HEADER + 4, "\0\0\0\0")
    local m = model.load(path, { tokenizer = false })
    assert.is_truthy(m)
    os.remove(path)
  end)
end)
