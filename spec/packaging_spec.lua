-- Packaging: one version everywhere (include/tpp.h is its only definition),
-- LICENSE matching the rockspec, no placeholder URL, the released rockspec
-- beside the scm one, and `make install PREFIX=...` giving a working tpp with
-- its man page.
local core = require "tpp.backend"
local support = require "support"
local json = require "tpp.json"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function header_version()
  local major, minor, patch = read("include/tpp.h"):match(
    "TPP_VERSION_MAJOR = (%d+),%s+TPP_VERSION_MINOR = (%d+),%s+TPP_VERSION_PATCH = (%d+)")
  return ("%s.%s.%s"):format(major, minor, patch)
end

describe("packaging", function()
  local version = header_version()

  it("has one version: header, core, module, CLI, released rockspec, changelog", function()
    assert.matches("^%d+%.%d+%.%d+$", version)
    assert.equal(version, core._VERSION)
    assert.equal(version, require("tpp")._VERSION)
    local out, rc = support.tpp_cmd("version -j")
    assert.equal(0, rc)
    assert.equal(version, json.decode(out).version)
    local rs = read("rockspec/tpp-" .. version .. "-1.rockspec")
    assert.matches('\nversion = "' .. version:gsub("%.", "%%.") .. '%-1"\n', rs)
    assert.matches('source = { url = "tpp%-' .. version:gsub("%.", "%%.") .. '%.tar%.gz"', rs)
    assert.matches("\n## " .. version:gsub("%.", "%%.") .. " %- %d%d%d%d%-%d%d%-%d%d\n", read("CHANGELOG.md"))
    -- the released rockspec builds what the scm one builds
    local scm = read("rockspec/tpp-scm-1.rockspec")
    assert.equal(scm:match("\nbuild = (.*)$"), rs:match("\nbuild = (.*)$"))
  end)

  it("names no placeholder URL and an MIT licence that LICENSE holds", function()
    for _, path in ipairs({ "rockspec/tpp-scm-1.rockspec", "rockspec/tpp-" .. version .. "-1.rockspec" }) do
      local rs = read(path)
      assert.is_nil(rs:find("example", 1, true), path)
      assert.is_nil(rs:find("invalid", 1, true), path)
      assert.matches('license = "MIT"', rs)
    end
    local lic = read("LICENSE")
    assert.matches("^MIT License\n\nCopyright %(c%) %d%d%d%d the tpp authors\n", lic)
  end)

  it("installs with make install PREFIX=...: tpp runs from there, man finds its page", function()
    local prefix = support.tmpname("_prefix")
    -- the installed tpp runs under each interpreter with its default binding
    local p = io.popen(("TPP_BINDING= make -s install PREFIX=%s >/dev/null 2>&1; echo rc=$?"):format(prefix))
    local rc = p:read("*a")
    p:close()
    assert.matches("rc=0", rc)
    p = io.popen(("cd / && TPP_BINDING= %s/bin/tpp version 2>&1"):format(prefix))
    local out = p:read("*a")
    p:close()
    assert.matches("^tpp " .. version:gsub("%.", "%%."), out)
    p = io.popen(("cd / && TPP_BINDING= TPP_LUA=luajit %s/bin/tpp show H20 -j 2>&1"):format(prefix))
    out = p:read("*a")
    p:close()
    assert.equal(2368, json.decode(out).metrics.tpp)
    local page = read(prefix .. "/share/man/man1/tpp.1")
    assert.matches('^%.TH TPP 1 "%d%d%d%d%-%d%d%-%d%d" "tpp ' .. version:gsub("%.", "%%.") .. '"', page)
    assert.truthy(io.open(prefix .. "/share/bash-completion/completions/tpp", "r"))
    assert.truthy(io.open(prefix .. "/share/zsh/site-functions/_tpp", "r"))
    if os.execute("command -v man >/dev/null 2>&1") == 0 or os.execute("command -v man >/dev/null 2>&1") == true then
      p = io.popen(("MANWIDTH=80 man -M %s/share/man tpp 2>&1"):format(prefix))
      out = p:read("*a")
      p:close()
      assert.matches("EXIT STATUS", out)
    end
    os.execute("rm -rf " .. prefix)
  end)

  it("prints the exports that make require 'tpp' work from the checkout (make env)", function()
    local probe = [[io.write((require("tpp").chip("H20"):tpp()))]]
    local p = io.popen(("TPP_BINDING= sh -c 'eval \"$(make -s env)\"; cd /; lua5.4 -e %q; echo; luajit -e %q' 2>&1")
      :format(probe, probe))
    local out = p:read("*a")
    p:close()
    assert.matches("^2368%.?0?\n2368%.?0?$", out)
  end)
end)
