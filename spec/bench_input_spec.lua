-- tpp bench input on a tiny size (a smoke test of the report: never a timing).
local json = require "tpp.json"
local support = require "support"

describe("tpp bench input (smoke)", function()
  it("classifies a generated CSV through the command line, per chip and in Python, and cleans up", function()
    local core = require "tpp.backend"
    local dir = assert(core.temp_dir("tpp-spec-tmpdir"))
    local binding = os.getenv("TPP_BINDING")
    local p = io.popen(("TMPDIR=%s TPP_LUA=%s%s bin/tpp bench input --rows 300 --sample 40 --repeat 1 --json 2>&1")
      :format(dir, support.interpreter(), binding and (" TPP_BINDING=" .. binding) or ""))
    local out = p:read("*a")
    p:close()
    local data = json.decode(out)
    assert.equal(300, data.rows)
    assert.equal("csv", data.command_line.path)
    local c = data.command_line.counts
    assert.equal(300, c.controlled + c.not_controlled + c.undetermined)
    assert.is_true(c.controlled > 0 and c.not_controlled > 0)
    assert.is_true(data.per_chip.agree)
    if data.python ~= json.null then assert.is_true(data.python.agree) else assert.matches("skipped", data.python_note) end
    -- everything it made under $TMPDIR is gone: the directory is empty again
    assert.is_true(os.remove(dir))
  end)
end)
