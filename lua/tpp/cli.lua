--- tpp.cli: the command line. `tpp <command> [options]`; no command opens the REPL.
--
-- A command is a module returning
--   { summary = "one line", usage = "tpp x [--json]", help = "longer text",
--     options = { name = { flag = true | arg = "VALUE", multi = true, help = "..." } },
--     min_args = 0, max_args = n | nil,
--     subcommands = "tpp.bench" (optional: dispatch `tpp x NAME` to module tpp.bench.NAME),
--     run = function(args) return data, text[, exit_status] end }
-- Every command gets --json (print data as JSON: sorted keys, up to 17
-- significant digits) and --help. Errors print "tpp: ..." and exit 1.
local json = require "tpp.json"
local util = require "tpp.util"

local M = {}

-- name, module; the order is the help order.
M.COMMANDS = {
  { "chips", "tpp.commands.chips" },
  { "show", "tpp.commands.show" },
  { "compare", "tpp.commands.compare" },
  { "classify", "tpp.commands.classify" },
  { "explain", "tpp.commands.explain" },
  { "rules", "tpp.commands.rules" },
  { "whatif", "tpp.commands.whatif" },
  { "diff", "tpp.commands.diff" },
  { "ledger", "tpp.commands.ledger" },
  { "fleet", "tpp.commands.fleet" },
  { "chart", "tpp.commands.chart" },
  { "infer", "tpp.commands.infer" },
  { "run", "tpp.commands.run" },
  { "bench", "tpp.commands.bench" },
  { "version", "tpp.commands.version" },
}

local function command_module(name)
  for _, c in ipairs(M.COMMANDS) do
    if c[1] == name then
      local ok, mod = pcall(require, c[2])
      if ok then return mod end
      if not tostring(mod):find("module '" .. c[2] .. "' not found", 1, true) then error(mod, 0) end
      return nil
    end
  end
end

local function available()
  local out = {}
  for _, c in ipairs(M.COMMANDS) do
    if command_module(c[1]) then out[#out + 1] = c[1] end
  end
  return out
end

--- Parse argv against a command's option table.
-- Returns args = { positional..., json = bool, help = bool, <option> = value or list }.
function M.parse(argv, spec, cmdname)
  local options = { json = { flag = true, help = "print machine-readable JSON" },
                    help = { flag = true, help = "show this help" } }
  for k, v in pairs(spec.options or {}) do options[k] = v end
  local args, i = {}, 1
  while i <= #argv do
    local a = argv[i]
    if a == "--" then
      for j = i + 1, #argv do args[#args + 1] = argv[j] end
      break
    elseif a:sub(1, 2) == "--" and #a > 2 then
      local name, value = a:match("^%-%-([^=]+)=(.*)$")
      name = name or a:sub(3)
      local o = options[name]
      if not o then
        local hint = util.did_you_mean(name, util.keys(options))
        error(("tpp %s: unknown option --%s%s"):format(cmdname, name,
          hint and ("; did you mean --" .. hint .. "?") or ("; see 'tpp " .. cmdname .. " --help'")), 0)
      end
      if o.flag then
        if value then error(("tpp %s: option --%s takes no value"):format(cmdname, name), 0) end
        args[name] = true
      else
        if not value then
          i = i + 1
          value = argv[i]
          if value == nil then
            error(("tpp %s: option --%s needs a value (%s)"):format(cmdname, name, o.arg or "VALUE"), 0)
          end
        end
        if o.multi then
          args[name] = args[name] or {}
          table.insert(args[name], value)
        else
          args[name] = value
        end
      end
    else
      args[#args + 1] = a
    end
    i = i + 1
  end
  if not args.help then
    if spec.min_args and #args < spec.min_args then
      error(("tpp %s: expected %s; usage: %s"):format(cmdname,
        spec.min_args == 1 and "an argument" or (spec.min_args .. " arguments"), spec.usage or cmdname), 0)
    end
    if spec.max_args and #args > spec.max_args then
      error(("tpp %s: too many arguments ('%s'); usage: %s"):format(cmdname, args[spec.max_args + 1],
        spec.usage or cmdname), 0)
    end
  end
  return args
end

--- Number option: nil stays nil; anything else must parse.
function M.number(args, name, default, cmdname)
  local v = args[name]
  if v == nil then return default end
  local n = tonumber(v)
  if not n then error(("tpp %s: --%s: '%s' is not a number"):format(cmdname or "", name, v), 0) end
  return n
end

local function help_text(spec, cmdname)
  local lines = { "usage: " .. (spec.usage or ("tpp " .. cmdname)), "" }
  if spec.summary then lines[#lines + 1] = spec.summary end
  if spec.help then lines[#lines + 1] = ""; lines[#lines + 1] = spec.help end
  local opts = { json = { flag = true, help = "print machine-readable JSON" } }
  for k, v in pairs(spec.options or {}) do opts[k] = v end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "options:"
  for _, k in ipairs(util.sorted_keys(opts)) do
    local o = opts[k]
    local left = "  --" .. k .. (o.flag and "" or (" " .. (o.arg or "VALUE")))
    lines[#lines + 1] = ("%-28s %s%s"):format(left, o.help or "", o.multi and " (repeatable)" or "")
  end
  return table.concat(lines, "\n") .. "\n"
end

function M.usage()
  local lines = {
    "tpp " .. require("tpp.backend")._VERSION .. " - export-control metrics of AI chips",
    "",
    "usage: tpp <command> [options]     (no command: interactive Lua REPL with tpp loaded)",
    "",
    "commands:",
  }
  for _, name in ipairs(available()) do
    local mod = command_module(name)
    lines[#lines + 1] = ("  %-10s %s"):format(name, mod.summary or "")
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "Every command takes --json and --help. Not legal advice."
  return table.concat(lines, "\n") .. "\n"
end

local function emit(args, data, text)
  if args.json then
    io.stdout:write(json.encode(data, { indent = 2 }), "\n")
  elseif text then
    io.stdout:write(text)
    if text:sub(-1) ~= "\n" then io.stdout:write("\n") end
  end
end

--- Run one command line; returns the process exit code.
function M.main(argv)
  local name = argv[1]
  if name == nil then
    require("tpp.repl").run()
    return 0
  end
  if name == "help" or name == "--help" or name == "-h" then
    if argv[2] and command_module(argv[2]) then
      io.stdout:write(help_text(command_module(argv[2]), argv[2]))
    else
      io.stdout:write(M.usage())
    end
    return 0
  end
  if name == "--version" then name = "version" end
  local status = 0
  local ok, err = pcall(function()
    local mod = command_module(name)
    if not mod then
      local hint = util.did_you_mean(name, available())
      error(("tpp: unknown command '%s'%s"):format(name,
        hint and ("; did you mean '" .. hint .. "'?") or "; 'tpp help' lists the commands"), 0)
    end
    local rest = {}
    for i = 2, #argv do rest[#rest + 1] = argv[i] end
    local cmdname = name
    if mod.subcommands then
      local sub = rest[1]
      local subs = mod.list and mod.list() or {}
      if sub == nil or sub:sub(1, 2) == "--" then
        if sub == "--help" or sub == nil then
          io.stdout:write(help_text(mod, name))
          io.stdout:write("\n" .. name .. " targets: " .. table.concat(subs, ", ") .. "\n")
          return
        end
      end
      local okm, submod = pcall(require, mod.subcommands .. "." .. sub)
      if not okm then
        if tostring(submod):find("not found", 1, true) then
          local hint = util.did_you_mean(sub, subs)
          error(("tpp %s: unknown target '%s'%s"):format(name, sub,
            hint and ("; did you mean '" .. hint .. "'?") or ("; targets: " .. table.concat(subs, ", "))), 0)
        end
        error(submod, 0)
      end
      mod = submod
      table.remove(rest, 1)
      cmdname = name .. " " .. sub
    end
    local args = M.parse(rest, mod, cmdname)
    if args.help then
      io.stdout:write(help_text(mod, cmdname))
      return
    end
    local data, text, code = mod.run(args)
    emit(args, data, text)
    -- a command may return an exit status after printing its report
    if type(code) == "number" then status = code end
  end)
  if not ok then
    -- a "tpp..." message is for the user: drop the Lua position in front of it
    local msg = tostring(err):gsub("^[^\n]-:%d+: (tpp)", "%1")
    if not msg:match("^tpp") then msg = "tpp: " .. msg end
    io.stderr:write(msg, "\n")
    return 1
  end
  return status
end

return M
