--- tpp.cli: the command line. `tpp <command> [options]`; no command opens the REPL.
--
-- COMMANDS. A command is a module in lua/tpp/commands/, registered in
-- M.COMMANDS below, returning
--   { summary = "one line, at most 66 characters",
--     usage = "tpp x CHIP [...] [--rules ID]",       -- wrapped to 80 columns in --help
--     help = "longer text",  -- paragraphs reflowed to 80 columns; lines starting with a space kept
--     options = { name = OPTION, ... },               -- see OPTIONS
--     min_args = 0, max_args = n | nil,
--     args = "chip" | "rules" | "file" | "kind",     -- what the positionals are (shell completion)
--     rows = "field" | function(data) -> list,        -- see FORMATS
--     columns = { "key", "nested.key", ... },         -- CSV column order (optional)
--     exit_status = { { 0, "text" }, ... },           -- in --help and the man page
--     raw_text = true,      -- print text as it is (SVG, scripts, generated text): never fitted
--     subcommands = "tpp.bench", list = function() -> names (dispatch `tpp x NAME`),
--     run = function(args) return data, text[, exit_status] end }
--
-- OPTIONS. name = { flag = true } or { arg = "VALUE" }, and optionally
--   short = "o"            one-letter form: -o VALUE, -oVALUE; flags bundle (-jh)
--   multi = true           repeatable: args[name] is a list; otherwise giving it twice is an error
--   choices = { ... }      the allowed values (checked, with a "did you mean")
--   file = true            a path to read; "-" means standard input (util.read_text reads both)
--   alias = "other", deprecated = true
--                          an old name: stored as args.other, with a warning on stderr
--   help = "text"
-- One meaning per name in every command: -o/--output FILE is a file to write, --as-of DATE
-- a date, --rules ID|FILE, --dest COUNTRY, --basis the H100-equivalent basis only,
-- -i/--input FILE ("-" = standard input).
-- Global options (M.GLOBAL_OPTIONS), taken by every command: -f/--format table|json|jsonl|csv,
-- -j/--json (= --format json), -o/--output FILE (write what would be printed to FILE; a
-- command may declare its own --output FILE instead), -h/--help. `--` ends the options.
-- Parsed: args = { positional..., format = "table"|"json"|"jsonl"|"csv",
--                  json = (format == "json"), <option> = value | list | true }.
--
-- FORMATS. run returns data (plain tables: what --format json prints), text (the table
-- for people) and optionally an exit status. jsonl and csv print the rows of data: the
-- list named by the command's `rows` (a field of data, or a function of data; without
-- `rows`, data itself when it is a list), one JSON object per line (jsonl) or a header
-- and one line per row (csv, RFC 4180 quoting; nested objects flattened as parent.child,
-- lists of scalars joined with "; ", deeper values as JSON text; columns in the order of
-- `columns`, else sorted by name). Without a row list, csv is a usage error and jsonl
-- prints data on one line. A command that writes its own output (streaming) checks
-- args.format itself and returns nil, nil[, status]. In table format, any line of
-- text wider than the output (report.width()) is wrapped (report.fit) unless the
-- command sets raw_text.
--
-- EXIT STATUS (M.EXIT; the same numbers in --help, the man page and the README):
--   0 not controlled / no licence required / ok      1 controlled / licence required / prohibited
--   2 undetermined (for ledgers and caps: over)      64 usage error (bad flag or argument)
--   65 bad input data        66 input file missing or unreadable
--   70 internal error (a bug in tpp)                 130 interrupted (Ctrl-C)
-- Decisions: run's third value; cli.decision_status(statuses) gives the strictest of a
-- list of "controlled" / "undetermined" / "not-controlled". Errors: raise
--   error(errors.usage("tpp x: --near: 'a' is not a number"))     -> 64
--   error(errors.data("tpp x: FILE: row 3: count: got -1, ..."))   -> 65
--   error(errors.input("tpp x: cannot read 'f.csv': No such file")) -> 66
-- with errors = require "tpp.errors" (any layer may); errors.wrap(err, "tpp x: ") adds a
-- prefix and keeps the kind. A plain string starting with "tpp" is classified by its text
-- (tpp.errors.classify: missing files -> 66, positions in a file -> 65, else 64); any other
-- error is internal (70) and TPP_DEBUG=1 prints its traceback.
local json = require "tpp.json"
local util = require "tpp.util"
local errors = require "tpp.errors"

local M = {}

M.EXIT = { ok = 0, controlled = 1, undetermined = 2, usage = 64, data = 65, input = 66, internal = 70,
           interrupted = 130 }
M.EXIT_STATUS = {
  { 0, "not controlled, no licence required, or done" },
  { 1, "controlled, licence required or prohibited" },
  { 2, "undetermined (a figure is missing); for ledgers and caps: over" },
  { 64, "usage error: a bad flag or argument" },
  { 65, "bad input data" },
  { 66, "an input file is missing or unreadable" },
  { 70, "internal error (a bug in tpp: please report it)" },
  { 130, "interrupted (Ctrl-C)" },
}

-- name, module; the order is the help order.
M.COMMANDS = {
  { "screen", "tpp.commands.screen" },
  { "report", "tpp.commands.report" },
  { "chips", "tpp.commands.chips" },
  { "show", "tpp.commands.show" },
  { "import", "tpp.commands.import" },
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
  { "calibrate", "tpp.commands.calibrate" },
  { "run", "tpp.commands.run" },
  { "bench", "tpp.commands.bench" },
  { "completion", "tpp.commands.completion" },
  { "version", "tpp.commands.version" },
}

M.FORMATS = { "table", "json", "jsonl", "csv" }

M.GLOBAL_OPTIONS = {
  format = { arg = "FORMAT", short = "f", choices = M.FORMATS,
             help = "output format: table (for people, the default), json, jsonl or csv" },
  json = { flag = true, short = "j", help = "the same as --format json" },
  output = { arg = "FILE", short = "o", help = "write the output to FILE instead of standard output" },
  help = { flag = true, short = "h", help = "show this help" },
}
M.GLOBAL_ORDER = { "format", "json", "output", "help" }

--- A command's module, or nil when it is not installed.
function M.command_module(name)
  for _, c in ipairs(M.COMMANDS) do
    if c[1] == name then
      -- a command module may be left out of an installation; any other load error is a bug to show
      if not (package.loaded[c[2]] or package.preload[c[2]] or util.searchpath(c[2])) then return nil end
      return require(c[2])
    end
  end
end

--- The names of the installed commands, in help order.
function M.available()
  local out = {}
  for _, c in ipairs(M.COMMANDS) do
    if M.command_module(c[1]) then out[#out + 1] = c[1] end
  end
  return out
end

--- Every option of a command: the global ones, overridden by its own.
function M.options_of(spec)
  local options = {}
  for k, v in pairs(M.GLOBAL_OPTIONS) do options[k] = v end
  for k, v in pairs(spec.options or {}) do options[k] = v end
  return options
end

local function usage_error(cmdname, fmt, ...)
  error(errors.usage(("tpp %s: " .. fmt):format(cmdname, ...)), 0)
end

--- Parse argv against a command's options. Raises usage errors (exit 64).
-- Returns args = { positional..., format = ..., json = bool, <option> = value | list | true }.
function M.parse(argv, spec, cmdname)
  local options = M.options_of(spec)
  local shorts = {}
  for name, o in pairs(options) do
    if o.short then shorts[o.short] = name end
  end
  local args, given = {}, {}
  local function set(name, value, shown)
    local o = options[name]
    local target = o.alias or name
    if o.deprecated then
      io.stderr:write(("tpp %s: %s is deprecated; use --%s\n"):format(cmdname, shown, target))
    end
    if o.flag then
      args[target] = true
      return
    end
    if o.choices then
      local found = false
      for _, c in ipairs(o.choices) do if c == value then found = true end end
      if not found then
        local hint = util.did_you_mean(value, o.choices)
        usage_error(cmdname, "%s: '%s' is not one of %s%s", shown, value, table.concat(o.choices, ", "),
          hint and ("; did you mean '" .. hint .. "'?") or "")
      end
    end
    if o.multi then
      args[target] = args[target] or {}
      table.insert(args[target], value)
    else
      if given[target] then
        usage_error(cmdname, "%s given twice ('%s', then '%s'); it takes one value", shown, given[target], value)
      end
      given[target] = value
      args[target] = value
    end
  end
  local i = 1
  while i <= #argv do
    local a = argv[i]
    if a == "--" then
      for j = i + 1, #argv do args[#args + 1] = argv[j] end
      break
    elseif a:sub(1, 2) == "--" then
      local name, value = a:match("^%-%-([^=]+)=(.*)$")
      name = name or a:sub(3)
      local o = options[name]
      if not o then
        local hint = util.did_you_mean(name, util.keys(options))
        usage_error(cmdname, "unknown option --%s%s", name,
          hint and ("; did you mean --" .. hint .. "?") or ("; see 'tpp " .. cmdname .. " --help'"))
      end
      if o.flag then
        if value then usage_error(cmdname, "option --%s takes no value", name) end
      elseif not value then
        i = i + 1
        value = argv[i]
        if value == nil then usage_error(cmdname, "option --%s needs a value (%s)", name, o.arg or "VALUE") end
      end
      set(name, value, "--" .. name)
    elseif a:sub(1, 1) == "-" and #a > 1 and not a:match("^%-[%d.]") then
      -- short options: -j, -o FILE, -oFILE, bundles of flags (-jh)
      local k = 2
      while k <= #a do
        local ch = a:sub(k, k)
        local name = shorts[ch]
        if not name then
          local hint = options[a:sub(2)] and ("; did you mean --" .. a:sub(2) .. "?") or
            ("; see 'tpp " .. cmdname .. " --help'")
          usage_error(cmdname, "unknown option -%s%s", ch, hint)
        end
        local o = options[name]
        if o.flag then
          set(name, true, "-" .. ch)
          k = k + 1
        else
          local value = a:sub(k + 1)
          if value == "" then
            i = i + 1
            value = argv[i]
            if value == nil then usage_error(cmdname, "option -%s needs a value (%s)", ch, o.arg or "VALUE") end
          end
          set(name, value, "-" .. ch)
          break
        end
      end
    else
      args[#args + 1] = a -- a positional; "-" (standard input) included
    end
    i = i + 1
  end
  if args.json and args.format and args.format ~= "json" then
    usage_error(cmdname, "--json and --format %s disagree; give one", args.format)
  end
  args.format = args.format or (args.json and "json") or "table"
  args.json = args.format == "json"
  if not args.help then
    if spec.min_args and #args < spec.min_args then
      usage_error(cmdname, "expected %s; usage: %s", spec.min_args == 1 and "an argument" or
        (spec.min_args .. " arguments"), spec.usage or cmdname)
    end
    if spec.max_args and #args > spec.max_args then
      usage_error(cmdname, "too many arguments ('%s'); usage: %s", args[spec.max_args + 1], spec.usage or cmdname)
    end
  end
  return args
end

--- Number option: nil stays nil; anything else must parse (usage error).
function M.number(args, name, default, cmdname)
  local v = args[name]
  if v == nil then return default end
  local n = tonumber(v)
  if not n or n ~= n then
    error(errors.usage(("tpp %s: --%s: '%s' is not a number"):format(cmdname or "", name, tostring(v))), 0)
  end
  return n
end

-- Classification statuses and screening decisions that mean "may not go as is".
local BLOCKING = { controlled = true, ["licence-required"] = true, prohibited = true }

--- The strictest decision of a list of statuses (classifications or screening
-- decisions): any "controlled" / "licence-required" / "prohibited" -> 1, else
-- any "undetermined" -> 2, else 0.
function M.decision_status(statuses)
  local code = 0
  for _, s in ipairs(statuses) do
    if BLOCKING[s] then return M.EXIT.controlled end
    if s == "undetermined" then code = M.EXIT.undetermined end
  end
  return code
end

--- The help of one command (fits 80 columns).
function M.help_text(spec, cmdname)
  return require("tpp.cli.help").command(M, spec, cmdname)
end

--- The list of commands (`tpp help`).
function M.usage()
  return require("tpp.cli.help").overview(M)
end

-- What to print for the chosen format.
local function render(args, mod, data, text, cmdname)
  local fmt = args.format
  if fmt == "table" then
    if text == nil or mod.raw_text then return text end
    return require("tpp.report").fit(text)
  end
  if fmt == "json" then return json.encode(data, { indent = 2 }) .. "\n" end
  return require("tpp.cli.format").render(fmt, data, mod, cmdname)
end

local function write_output(args, mod, s, cmdname)
  if s == nil or s == "" then return end
  if s:sub(-1) ~= "\n" and not mod.raw_text then s = s .. "\n" end -- raw output (PNG bytes) stays as it is
  local own = mod.options and mod.options.output
  if args.output and not own then
    local f, err = io.open(args.output, "wb")
    if not f then usage_error(cmdname, "--output: cannot write '%s': %s", args.output, tostring(err)) end
    f:write(s)
    f:close()
  else
    io.stdout:write(s)
  end
end

-- Resolve `tpp NAME [SUB] ...` to a module, its name for messages and its arguments.
local function resolve(argv)
  local name = argv[1]
  local mod = M.command_module(name)
  if not mod then
    local hint = util.did_you_mean(name, M.available())
    error(errors.usage(("tpp: unknown command '%s'%s"):format(name,
      hint and ("; did you mean '" .. hint .. "'?") or "; 'tpp help' lists the commands")), 0)
  end
  local rest = {}
  for i = 2, #argv do rest[#rest + 1] = argv[i] end
  if not mod.subcommands then return mod, name, rest end
  local sub = rest[1]
  local subs = mod.list and mod.list() or {}
  if sub == nil or sub:sub(1, 1) == "-" then return mod, name, rest, true end
  if not util.searchpath(mod.subcommands .. "." .. sub) then
    local hint = util.did_you_mean(sub, subs)
    error(errors.usage(("tpp %s: unknown target '%s'%s"):format(name, sub,
      hint and ("; did you mean '" .. hint .. "'?") or ("; targets: " .. table.concat(subs, ", ")))), 0)
  end
  table.remove(rest, 1)
  return require(mod.subcommands .. "." .. sub), name .. " " .. sub, rest
end

local function run(argv)
  if argv[1] == nil then return require("tpp.repl").run() end
  local mod, cmdname, rest, bare = resolve(argv)
  local args = M.parse(rest, bare and { options = {} } or mod, cmdname)
  if bare then -- `tpp bench` or `tpp bench --help`: the targets
    local targets = mod.list and mod.list() or {}
    io.stdout:write(M.help_text(mod, cmdname), "\n", cmdname, " targets: ", table.concat(targets, ", "), "\n")
    if args.help then return 0 end
    error(errors.usage(("tpp %s: name a target (%s)"):format(cmdname, table.concat(targets, ", "))), 0)
  end
  if args.help then
    write_output(args, mod, M.help_text(mod, cmdname), cmdname)
    return 0
  end
  local data, text, code = mod.run(args)
  -- a command that wrote its own output (a stream) returns neither data nor text
  if data ~= nil or text ~= nil then write_output(args, mod, render(args, mod, data, text, cmdname), cmdname) end
  return type(code) == "number" and code or 0
end

-- Strip the Lua position from a "file.lua:12: tpp ..." message meant for the user.
local function user_message(e)
  if errors.is_error(e) then return e end
  -- an error object that carries its exit status (tpp.io's) keeps it
  if type(e) == "table" and (e.exit_code or e.exit) and e.message then
    return errors.from_status(tonumber(e.exit_code or e.exit), tostring(e.message))
  end
  return (tostring(e):gsub("^[^\n]-:%d+: (tpp)", "%1"))
end

--- Run one command line; returns the process exit status.
function M.main(argv)
  local name = argv[1]
  if name == "help" or name == "--help" or name == "-h" then
    local mod = argv[2] and M.command_module(argv[2])
    io.stdout:write(mod and M.help_text(mod, argv[2]) or M.usage())
    if argv[2] and not mod then
      io.stderr:write(("tpp help: no command '%s'\n"):format(argv[2]))
      return M.EXIT.usage
    end
    return 0
  end
  if name == "--version" or name == "-V" then argv = { "version" } end
  -- Ctrl-C in a command: tpp's C loops and the rule sandbox stop on the flag
  -- this sets, and whatever the command made of the error, it is reported as
  -- an interruption (the REPL keeps the interpreter's own handling)
  local core = name ~= nil and require "tpp.backend" or nil
  if core then core.interrupt_install() end
  local trace
  local ok, res = xpcall(function() return run(argv) end, function(e)
    e = user_message(e)
    local kind = errors.classify(e)
    if kind == "internal" then trace = debug.traceback(tostring(e), 2) end
    return e
  end)
  if core and core.interrupted() then
    io.stderr:write("tpp: interrupted\n")
    return M.EXIT.interrupted
  end
  if ok then return res end
  local kind, code = errors.classify(res)
  local msg = tostring(res)
  if kind == "interrupted" then
    msg = "tpp: interrupted"
  elseif kind == "internal" then
    msg = "tpp: internal error: " .. msg .. "\n(a bug in tpp; TPP_DEBUG=1 shows where it happened)"
    if os.getenv("TPP_DEBUG") and trace then msg = msg .. "\n" .. trace end
  elseif not msg:match("^tpp") then
    msg = "tpp: " .. msg
  end
  io.stderr:write(msg, "\n")
  return code
end

return M
