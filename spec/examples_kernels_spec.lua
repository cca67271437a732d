-- The inference examples run and print what their comments say.
local function run(script)
  local interp = rawget(_G, "jit") and "luajit" or (_VERSION == "Lua 5.4" and "lua5.4" or "lua5.1")
  local binding = os.getenv("TPP_BINDING")
  local p = io.popen((binding and ("TPP_BINDING=" .. binding .. " ") or "") .. interp .. " " .. script .. " 2>&1")
  local out = p:read("*a")
  p:close()
  return out
end

describe("inference examples", function()
  it("examples/tensors.lua: quantized layers close to f32, views without copies", function()
    local out = run("examples/tensors.lua")
    local e8 = tonumber(out:match("q8: %d+ bytes of weights %(f32: 6291456%), max |y %- y_f32| = (%S+)"))
    local e4 = tonumber(out:match("q4: %d+ bytes of weights %(f32: 6291456%), max |y %- y_f32| = (%S+)"))
    assert.is_true(e8 ~= nil and e8 < 0.05, out)
    assert.is_true(e4 ~= nil and e4 < 0.5 and e4 > e8, out)
    assert.matches("\n6%.?0?\n", out)
  end)

  it("examples/generate.lua writes a random model and generates from it", function()
    local out = run("examples/generate.lua")
    assert.matches("tpp.model .*dim 64, 5 layers, 8 heads %(4 KV%), vocab 512", out)
    assert.matches("%d+ prompt tokens in [%d.]+ ms %(batched%), %d+ generated at [%d.]+ tokens/s, f32 weights", out)
  end)
end)
