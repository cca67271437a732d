--- tpp.repl: an interactive Lua prompt with tpp loaded.
--
-- Results are summarized: a classification result prints as its readable
-- table and explanation, a chip as a short card, a list of chips as a table,
-- anything else pretty-printed two levels deep; `:full` prints the last
-- result whole and `:json` as JSON. An error prints as one line; `:trace`
-- shows where it happened. Ctrl-C cancels the line being typed (or stops
-- the evaluation running) and keeps the session; Ctrl-D leaves.
-- With lua-readline: line editing, Tab completion of fields and methods.
-- History is kept in ~/.tpp_history (TPP_HISTORY overrides; empty = none),
-- written after every line, with or without readline.
-- When standard input is not a terminal, lines are read and evaluated with
-- no banner and no prompts; errors go to standard error with their line
-- number, and the exit status is that of the last error (0 when none).
local pretty = require "tpp.pretty"
local report = require "tpp.report"
local errors = require "tpp.errors"
local core = require "tpp.backend"

local M = {}

local BANNER = [[
tpp %s (%s, %s binding)
Export-control metrics of AI chips. Not legal advice.
Try:  tpp.chip "H20"     tpp.rules.classify "H20"     tpp.chips()
      :help for more, :quit or Ctrl-D to leave; Ctrl-C cancels a line.]]

local HELP = [[
Expressions print their value; statements run. Unfinished input continues on
the next line. Variables you define stay for the session.
  tpp.chip(name_or_table)   a chip object: :tpp() :pd() :metrics() :h100e(basis)
  tpp.chips([pred])         every database chip
  tpp.rules.classify(chip [, {rules = ID, as_of = DATE}])   a classification
  tpp.h100e(chip, basis)    H100-equivalents: "tpp", "8bit" or "fp16"
  tpp.batch(list | n)       a batch evaluated by the C core
  tpp.rules, tpp.dest ...   further modules load on first use
Results are summarized. Commands:
  :full      the last result, whole        :json     the last result as JSON
  :trace     where the last error happened :depth N  nesting :full shows (default 8)
  :help      this text                     :quit     leave (or Ctrl-D)]]

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

-- ------------------------------------------------------------ summaries --

local function is_result(v)
  return type(v) == "table" and type(v.rules_hash) == "string" and type(v.status) == "string" and
    type(v.tests) == "table"
end

local function is_chip(v)
  local mt = getmetatable(v)
  return type(v) == "table" and type(rawget(v, "data")) == "table" and mt ~= nil and type(v.metrics) == "function"
end

local function list_of(v, pred)
  if type(v) ~= "table" or #v == 0 then return false end
  for i = 1, #v do if not pred(v[i]) then return false end end
  return true
end

--- A chip as a short card (a few lines).
function M.chip_card(c)
  local d = c.data
  local m = c:metrics()
  local mem = d.memory or {}
  local function n(v, dec) return v and require("tpp.util").fmt(v, dec or 0) or "?" end
  local lines = {
    ("%s (%s): %s%s%s"):format(d.name or "unnamed chip", d.id or "your chip", d.vendor or "vendor ?",
      d.year and (", " .. d.year) or "", d.datacenter == nil and "" or (d.datacenter and ", datacenter" or
      ", not datacenter")),
    ("  TPP %s (%s)  PD %s  H100e %s (TPP basis)"):format(m.tpp and report.exact(m.tpp) or
      ("unknown: " .. tostring(m.unknown.tpp)), m.tpp_ties and table.concat(m.tpp_ties, " = ") or
      (m.tpp_precision or "-"), m.pd and n(m.pd, 2) or "unknown", m.h100e.tpp and ("%.2f"):format(m.h100e.tpp) or "?"),
    ("  memory %s GB at %s GB/s, interconnect %s GB/s; provenance of TPP: %s"):format(n(mem.capacity_gb),
      n(mem.bandwidth_gbs), n(d.interconnect_gbs), tostring(m.provenance.tpp or "-")),
  }
  return table.concat(lines, "\n")
end

local function chips_table(list)
  local rows = {}
  for i, c in ipairs(list) do
    local m = c:metrics()
    rows[i] = { id = c.data.id or "-", name = c.data.name, tpp = m.tpp, pd = m.pd }
  end
  return report.table({
    { key = "id", title = "id", wrap = false }, { key = "name", title = "name", priority = 2 },
    { key = "tpp", title = "TPP", align = "right", fmt = report.int },
    { key = "pd", title = "PD", align = "right", fmt = report.fixed(2) },
  }, rows) .. ("(%d chips)"):format(#list)
end

local function results_text(list)
  return (require("tpp.commands.classify").text(list, {}):gsub("\n$", ""))
end

--- The summary of one value: readable, a screenful at most.
function M.summary(v, opts)
  if is_result(v) then return results_text({ v }) end
  if list_of(v, is_result) then return results_text(v) end
  if is_chip(v) then return M.chip_card(v) end
  if list_of(v, is_chip) then return chips_table(v) end
  local mt = type(v) == "table" and getmetatable(v)
  if type(v) == "table" and not (mt and mt.__tostring) then
    local text = pretty.format(v, { depth = 2, max_items = 25, width = math.min(report.width(), 100),
                                     raw = opts and opts.raw })
    if text:find("{...}", 1, true) or text:find("... %d+ more") then text = text .. "\n(:full shows all of it)" end
    return text
  end
  return pretty.format(v, opts)
end

--- Evaluate one complete input. Returns the text to print (may be ""), or
-- nil and a one-line error; then the values (pack) or the traceback.
function M.eval(src, env, opts)
  opts = opts or {}
  local fn, err = M.compile_input(src, env)
  if not fn then return nil, err end
  local trace
  local interruptible = opts.interruptible and debug and debug.sethook
  if interruptible and rawget(_G, "jit") then
    jit.off(fn, true) -- LuaJIT runs no hooks in compiled loops: keep the typed code interpreted
  end
  if interruptible then
    -- Ctrl-C during evaluation: the handler only records it; a count hook stops the code
    debug.sethook(function()
      if core.interrupt_take() then error("interrupted", 2) end
    end, "", 1000)
  end
  local res = pack(xpcall(fn, function(e)
    trace = debug and debug.traceback and debug.traceback(tostring(e), 2) or tostring(e)
    return e
  end))
  if interruptible then debug.sethook() end
  if not res[1] then
    local msg = tostring(res[2]):match("^[^\n]*")
    return nil, msg, trace
  end
  local vals = { n = res.n - 1 }
  for i = 2, res.n do vals[i - 1] = res[i] end
  local parts = {}
  for i = 1, vals.n do
    parts[#parts + 1] = opts.full and pretty.format(vals[i], opts.print) or M.summary(vals[i], opts.print)
  end
  return table.concat(parts, vals.n > 1 and not opts.full and "\t" or "\n"), nil, vals
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

-- ------------------------------------------------------------- history --

local function history_path()
  local p = os.getenv("TPP_HISTORY")
  if p == nil then
    local home = os.getenv("HOME")
    p = home and (home .. "/.tpp_history") or nil
  end
  if p == "" then return nil end
  return p
end

M.HISTORY_KEEP = 1000

-- The saved lines (the last HISTORY_KEEP), and the file trimmed to them.
local function history_load(path)
  local lines = {}
  local f = path and io.open(path, "r")
  if not f then return lines end
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  if #lines > M.HISTORY_KEEP then
    local keep = {}
    for i = #lines - M.HISTORY_KEEP + 1, #lines do keep[#keep + 1] = lines[i] end
    lines = keep
    local w = io.open(path, "w")
    if w then
      w:write(table.concat(lines, "\n"), "\n")
      w:close()
    end
  end
  return lines
end

local function history_add(path, line)
  if not path or line:match("^%s*$") then return end
  local f = io.open(path, "a")
  if f then
    f:write(line, "\n")
    f:close()
  end
end

-- ----------------------------------------------------------------- run --

-- lua-readline, set up for tpp (history is ours: it writes after every line).
local function open_readline(env)
  if os.getenv("TPP_NO_READLINE") ~= nil then return nil end
  local ok, rl = pcall(require, "readline") -- an optional Debian package, not one of tpp's modules
  if not ok then return nil end
  pcall(rl.set_options, { histfile = "", auto_add = false, keeplines = M.HISTORY_KEEP })
  pcall(rl.set_readline_name, "tpp")
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
  return rl
end

--- Run the REPL. opts: input (a file, default io.stdin), output (default
-- io.stdout), errout (default io.stderr), interactive (default: standard
-- input is a terminal), plain (no readline), history (a file; default
-- ~/.tpp_history or $TPP_HISTORY). Returns the exit status.
function M.run(opts)
  opts = opts or {}
  local tpp = require "tpp"
  local env = setmetatable({ tpp = tpp }, { __index = _G })
  local out, errout = opts.output or io.stdout, opts.errout or io.stderr
  local interactive = opts.interactive
  if interactive == nil then interactive = opts.input == nil and core.isatty(0) end
  local input = opts.input or io.stdin
  local rl = interactive and not opts.plain and open_readline(env) or nil
  local hist = interactive and (opts.history or history_path()) or nil
  if interactive then
    for _, line in ipairs(history_load(hist)) do
      if rl then pcall(rl.add_history, line) end
    end
    core.interrupt_catch(true)
    local interp = rawget(_G, "jit") and jit.version or _VERSION
    out:write(BANNER:format(tpp._VERSION, interp, tpp.binding), "\n")
  end

  -- One line, or nil at the end of input; INTERRUPT when Ctrl-C cancelled it.
  -- Interactive input waits in poll() (core.wait_input), where Ctrl-C (recorded by
  -- core.interrupt_catch's handler) cuts the wait short; readline only ever gets
  -- characters that are there (its callback interface), so the line can be dropped.
  local INTERRUPT = {}
  local function read(prompt)
    if not interactive then return input:read("*l") end
    if rl then
      local done, got = false, nil
      -- the handler removes itself, or readline would print the prompt again after the line
      rl.handler_install(prompt, function(line)
        done, got = true, line
        rl.handler_remove()
      end)
      while not done do
        local ready, interrupted = core.wait_input(0), core.interrupt_take()
        if ready < 0 or interrupted then
          -- not rl.handler_remove(): outside the line handler, lua-readline closes the
          -- terminal stream before readline restores the terminal through it (a crash
          -- under Lua 5.1). The next handler_install starts a fresh, empty line; the
          -- price is one terminal stream left open per Ctrl-C at the prompt.
          return INTERRUPT
        end
        rl.read_char()
      end
      return got
    end
    out:write(prompt)
    out:flush()
    if opts.input then return input:read("*l") end -- a given stream: no terminal to wait on
    while true do
      local ready = core.wait_input(0)
      if core.interrupt_take() then return INTERRUPT end
      if ready > 0 then return input:read("*l") end
    end
  end

  local print_opts = { depth = 8 }
  local last, last_trace, last_status = nil, nil, 0
  local buffer, lineno, start = nil, 0, 0
  local function fail(msg, trace)
    last_trace = trace
    local _, code = errors.classify(msg)
    last_status = code == 70 and 65 or code -- an error in the user's own code: bad input
    if interactive then
      out:write("error: ", msg, trace and "  (:trace shows where)" or "", "\n")
    else
      errout:write(("tpp: line %d: %s\n"):format(start, msg))
    end
  end
  while true do
    local line = read(buffer and ">> " or "tpp> ")
    if line == nil then
      if interactive then out:write("\n") end
      break
    end
    if line == INTERRUPT then
      out:write(rl and "^C\n" or "\n") -- a terminal in line mode echoes ^C itself
      buffer = nil
    else
      lineno = lineno + 1
      history_add(hist, line)
      if rl and line:match("%S") then pcall(rl.add_history, line) end
      if not buffer and line:match("^%s*:") then
        local cmd, arg = line:match("^%s*:(%w+)%s*(.-)%s*$")
        if cmd == "quit" or cmd == "q" or cmd == "exit" then break
        elseif cmd == "help" then out:write(HELP, "\n")
        elseif cmd == "depth" and tonumber(arg) then print_opts.depth = tonumber(arg)
        elseif cmd == "trace" then out:write(last_trace or "no error so far", "\n")
        elseif cmd == "full" or cmd == "json" then
          if not last then
            out:write("no result yet\n")
          else
            for i = 1, last.n do
              if cmd == "json" then
                local okj, text = pcall(require("tpp.json").encode,
                  require("tpp.rules.input").json_safe(is_chip(last[i]) and last[i].data or last[i]), { indent = 2 })
                out:write(okj and text or ("error: " .. tostring(text):match("^[^\n]*")), "\n")
              else
                out:write(pretty.format(last[i], { depth = print_opts.depth, max_items = 100000 }),
                  "\n")
              end
            end
          end
        else out:write("unknown command :" .. tostring(cmd) .. " (try :help)\n") end
      else
        local src = buffer and (buffer .. "\n" .. line) or line
        if not buffer then start = lineno end
        if src:match("^%s*$") then
          buffer = nil
        else
          local text, err, extra = M.eval(src, env, { print = print_opts, interruptible = interactive })
          if err == "incomplete" then
            buffer = src
          else
            buffer = nil
            if text then
              last = extra
              if text ~= "" then out:write(text, "\n") end
            elseif err:find("interrupted", 1, true) and interactive then
              out:write(" (interrupted)\n")
            else
              fail(err, extra)
            end
          end
        end
      end
    end
  end
  if buffer and not interactive then fail("unfinished input at the end") end
  if interactive then
    core.interrupt_catch(false)
    return 0 -- a person's session: mistakes typed along the way are not the exit status
  end
  return last_status
end

return M
