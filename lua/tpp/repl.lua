--- tpp.repl: an interactive Lua prompt with tpp loaded.
-- Results are pretty-printed (sorted keys, depth limit, cycles marked).
-- With lua-readline installed: history (~/.tpp_history) and tab completion
-- of table fields and methods; without it, plain line input.
local pretty = require "tpp.pretty"

local M = {}

local BANNER = [[
tpp %s (%s, %s binding) - export-control metrics of AI chips. Not legal advice.
Try:  tpp.chip "H20"        tpp.chip("H100"):metrics()        tpp.chips()
      :help for more, :quit (or Ctrl-D) to leave.]]

local HELP = [[
Expressions print their value; statements run. Unfinished input continues on
the next line. Variables you define stay for the session.
  tpp.chip(name_or_table)   a chip object: :tpp() :pd() :metrics() :h100e(basis)
  tpp.chips([pred])         every database chip
  tpp.h100e(chip, basis)    H100-equivalents: "tpp", "8bit" or "fp16"
  tpp.batch(list | n)       a batch evaluated by the C core
  tpp.rules, tpp.dest ...   further modules load on first use
Commands: :help  :quit  :depth N (nesting shown when printing)]]

local loadstring_ = rawget(_G, "loadstring") or load

local function compile(src, env)
  local fn, err
  if setfenv then
    fn, err = loadstring_(src, "=stdin")
    if fn then setfenv(fn, env) end
  else
    fn, err = load(src, "=stdin", "t", env)
  end
  return fn, err
end

--- Compile one chunk as an expression first, then as a statement.
-- Returns fn, or nil plus "incomplete" when more input is needed, or nil, err.
function M.compile_input(src, env)
  local fn = compile("return " .. src, env)
  if fn then return fn end
  local err
  fn, err = compile(src, env)
  if fn then return fn end
  if err and (err:find("<eof>", 1, true) or err:find("'<eof>'", 1, true)) then return nil, "incomplete" end
  return nil, err
end

local function pack(...) return { n = select("#", ...), ... } end

--- Evaluate one complete input; returns the text to print (may be "").
function M.eval(src, env, opts)
  local fn, err = M.compile_input(src, env)
  if not fn then return nil, err end
  local res = pack(xpcall(fn, function(e)
    return debug and debug.traceback and debug.traceback(tostring(e), 2) or tostring(e)
  end))
  if not res[1] then
    local msg = tostring(res[2]):gsub("\n%s*%[C%]: in function 'xpcall'.*$", "")
    return nil, msg
  end
  local parts = {}
  for i = 2, res.n do parts[#parts + 1] = pretty.format(res[i], opts) end
  return table.concat(parts, "\t")
end

--- Tab completion: the names reachable from the dotted/colon prefix of word.
function M.complete(word, env)
  local path, sep, partial = word:match("^(.-)([%.:])([%w_]*)$")
  local base = env
  if path then
    for part in path:gmatch("[^%.:]+") do
      local ok, v = pcall(function() return base[part] end)
      if not ok or v == nil then return {} end
      base = v
    end
  else
    partial, sep, path = word, "", ""
  end
  local names, seen = {}, {}
  local function add(t)
    if type(t) ~= "table" then return end
    for k in pairs(t) do
      local ok = type(k) == "string" and k:sub(1, #partial) == partial and not seen[k] and not k:match("^__")
      if ok and sep == ":" then ok = type(rawget(t, k)) == "function" end -- methods only
      if ok then
        seen[k] = true
        names[#names + 1] = (path ~= "" and (path .. sep) or "") .. k
      end
    end
  end
  local t = base
  for _ = 1, 5 do
    if type(t) == "table" then add(t) end
    local mt = getmetatable(t)
    if not mt then break end
    if type(mt.__index) == "table" then
      t = mt.__index
    else
      add(mt) -- classes whose __index is a function keep their methods in the metatable
      if type(base) == "table" and type(rawget(base, "data")) == "table" then add(base.data) end
      break
    end
  end
  if base == env then add(_G) end
  table.sort(names)
  return names
end

function M.run(opts)
  opts = opts or {}
  local tpp = require "tpp"
  local env = setmetatable({ tpp = tpp }, { __index = _G })
  local rl
  if not opts.plain and os.getenv("TPP_NO_READLINE") == nil then
    local ok, mod = pcall(require, "readline")
    if ok then rl = mod end
  end
  if rl then
    pcall(rl.set_options, { histfile = "~/.tpp_history", keeplines = 1000 })
    pcall(rl.set_readline_name, "tpp")
    -- lua-readline calls f(line, from, to): the word is line:sub(from + 1, to)
    -- lua-readline calls f(line, from, to); readline's word (line:sub(from + 1, to))
    -- may start after a ':' or '.', so complete the whole dotted expression and
    -- hand back only the part from readline's word start.
    pcall(rl.set_complete_function, function(line, from, to)
      from, to = from or 0, to or #line
      local expr = line:sub(1, to):match("[%w_%.:]*$")
      local cut = #expr - (to - from)
      local out = {}
      for i, name in ipairs(M.complete(expr, env)) do out[i] = name:sub(cut + 1) end
      return out
    end)
  end
  local out = opts.output or io.stdout
  local function read(prompt)
    if rl then return rl.readline(prompt) end
    out:write(prompt)
    out:flush()
    return io.read("*l")
  end
  local interp = rawget(_G, "jit") and jit.version or _VERSION
  out:write(BANNER:format(tpp._VERSION, interp, tpp.binding), "\n")
  local print_opts = { depth = 4 }
  local buffer = nil
  while true do
    local line = read(buffer and ">> " or "tpp> ")
    if line == nil then out:write("\n"); break end
    if not buffer and line:match("^%s*:") then
      local cmd, arg = line:match("^%s*:(%w+)%s*(.-)%s*$")
      if cmd == "quit" or cmd == "q" or cmd == "exit" then break
      elseif cmd == "help" then out:write(HELP, "\n")
      elseif cmd == "depth" and tonumber(arg) then print_opts.depth = tonumber(arg)
      else out:write("unknown command :" .. tostring(cmd) .. " (try :help)\n") end
    else
      local src = buffer and (buffer .. "\n" .. line) or line
      if src:match("^%s*$") then
        buffer = nil
      else
        local text, err = M.eval(src, env, print_opts)
        if err == "incomplete" then
          buffer = src
        else
          buffer = nil
          if text then
            if text ~= "" then out:write(text, "\n") end
          else
            out:write("error: ", tostring(err), "\n")
          end
        end
      end
    end
  end
  if rl then pcall(rl.save_history) end
end

return M
