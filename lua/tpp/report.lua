--- tpp.report: plain-text tables and number formats for the CLI and REPL.
--
-- Tables fit a width (report.width(): $COLUMNS, else the terminal's width
-- when standard output is a terminal, else 80). When the natural layout is
-- wider, in this order:
--   1. long cells of `note` columns (citations, reasons) move below the
--      table as numbered notes, whole and wrapped; the cell shows "[n]";
--   2. left-aligned text columns wrap onto more lines, down to 60 % of
--      their natural width (at least 24 columns);
--   3. columns with a priority number above 1 are left out, highest number
--      first, and a line under the table names them (a table that declares
--      no priorities keeps its first two columns and leaves out from the
--      right);
--   4. text columns wrap further, down to their title's longest word.
-- Numbers and anything else are never cut; what still does not fit
-- overflows the width.
local util = require "tpp.util"

local M = {}

M.DEFAULT_WIDTH = 80

--- Display width of a string (UTF-8 code points).
function M.len(s)
  local _, n = s:gsub("[^\128-\191]", "")
  return n
end

local function pad_right(s, w) return s .. (" "):rep(w - M.len(s)) end
local function pad_left(s, w) return (" "):rep(w - M.len(s)) .. s end

local terminal_width -- cached: the terminal does not change size between two tables of one command

--- The width tables and wrapped text should fit: $COLUMNS when set to a
-- number, else the terminal's width when standard output is a terminal,
-- else 80.
function M.width()
  local env = tonumber(os.getenv("COLUMNS") or "")
  if env and env >= 20 then return math.floor(env) end
  if terminal_width == nil then
    terminal_width = false
    local ok, core = pcall(require, "tpp.backend") -- the C core knows isatty; without it, assume no terminal
    if ok and core.isatty and core.isatty(1) then
      local p = io.popen("stty size < /dev/tty 2>/dev/null")
      if p then
        local cols = tonumber((p:read("*a") or ""):match("%d+%s+(%d+)"))
        p:close()
        if cols and cols >= 20 then terminal_width = cols end
      end
    end
  end
  return terminal_width or M.DEFAULT_WIDTH
end

--- Wrap text at width columns (never wider than report.width()); continuation
-- lines start with indent, the first keeps the text's own leading spaces.
-- Words longer than the width are kept whole.
function M.wrap(text, width, indent)
  width, indent = math.min(width or M.width(), M.width()), indent or ""
  text = tostring(text)
  local out, line, fresh = {}, text:match("^[ ]*"), true
  for word in text:gmatch("%S+") do
    if not fresh and M.len(line) + M.len(word) + 1 > width then
      out[#out + 1] = line
      line = indent .. word
    else
      line = (fresh and line or (line .. " ")) .. word
    end
    fresh = false
  end
  if not fresh then out[#out + 1] = line end
  return table.concat(out, "\n")
end

--- Every line of text that is wider than width wrapped at spaces, its
-- continuation indented two more than the line (tables made by
-- report.table already fit; a line without spaces stays as it is).
function M.fit(text, width)
  width = width or M.width()
  local out = {}
  for line in (text .. "\n"):gmatch("(.-)\n") do
    if M.len(line) > width and line:find("%S%s+%S") then
      local lead = line:match("^%s*")
      out[#out + 1] = M.wrap(line, width, lead .. "  ")
    else
      out[#out + 1] = line
    end
  end
  if out[#out] == "" then out[#out] = nil end
  return table.concat(out, "\n") .. (text:sub(-1) == "\n" and "\n" or "")
end

--- Paragraphs of text reflowed to width: lines that start with a space are
-- kept as they are (examples, lists); other consecutive lines are joined and
-- wrapped; blank lines separate paragraphs.
function M.reflow(text, width)
  width = width or M.width()
  local out, para = {}, {}
  local function flush()
    if #para > 0 then
      out[#out + 1] = M.wrap(table.concat(para, " "), width)
      para = {}
    end
  end
  for line in (tostring(text) .. "\n"):gmatch("(.-)\n") do
    if line:match("^%s*$") then
      flush()
      out[#out + 1] = ""
    elseif line:match("^%s") then
      flush()
      out[#out + 1] = line
    else
      para[#para + 1] = line
    end
  end
  flush()
  while out[#out] == "" do out[#out] = nil end
  return table.concat(out, "\n")
end

-- Split s into lines of at most w display columns: at spaces, else after
-- one of "=/,;" ("fp16=bf16=int8" -> "fp16=bf16=" / "int8"); a piece still
-- longer than w is broken only when break_words is set.
local function wrap_cell(s, w, break_words)
  if M.len(s) <= w then return { s } end
  local pieces = {}
  for word in s:gmatch("%S+") do
    local start = 1
    for stop in word:gmatch("()[=/,;]") do
      if stop < #word then
        pieces[#pieces + 1] = { text = word:sub(start, stop), glue = "" }
        start = stop + 1
      end
    end
    pieces[#pieces + 1] = { text = word:sub(start), glue = " " }
  end
  local lines, line, glue = {}, "", ""
  for _, p in ipairs(pieces) do
    local piece = p.text
    while break_words and M.len(piece) > w do
      if line ~= "" then lines[#lines + 1] = line; line = "" end
      lines[#lines + 1] = piece:sub(1, w)
      piece = piece:sub(w + 1)
    end
    if line == "" then line = piece
    elseif M.len(line) + #glue + M.len(piece) <= w then line = line .. glue .. piece
    else lines[#lines + 1] = line; line = piece end
    glue = p.glue
  end
  if line ~= "" then lines[#lines + 1] = line end
  return lines
end

local function longest_word(s)
  local n = 0
  for word in s:gmatch("%S+") do n = math.max(n, M.len(word)) end
  return n
end

--- Render rows as an aligned text table that fits opts.width.
-- columns: list of {
--   key = "tpp", title = "TPP", align = "right"|"left",
--   fmt = function(value, row) -> string   (nil values print as "-"),
--   priority = n     1 (default) = always shown; higher numbers are left out first,
--   wrap = bool      text may wrap (default: true for left-aligned columns),
--   max = n          wrap cells at n columns even when there is room,
--   note = bool      long cells go below the table as numbered notes (citations),
-- }
-- opts: width (default report.width()), notes_from (first note number, default 1),
-- info (a table that receives dropped = {titles} and notes = n).
function M.table(columns, rows, opts)
  opts = opts or {}
  local width = opts.width or M.width()
  local gap = 2
  local cells = {}
  for i, r in ipairs(rows) do
    cells[i] = {}
    for j, c in ipairs(columns) do
      local v = r[c.key]
      local s
      if c.fmt then s = c.fmt(v, r) elseif v == nil then s = "-" else s = tostring(v) end
      cells[i][j] = tostring(s or "-")
    end
  end
  -- a table that declares no priorities keeps its first two columns and leaves out from the right
  local declared = false
  for _, c in ipairs(columns) do declared = declared or c.priority ~= nil end
  local cols = {}
  for j, c in ipairs(columns) do
    local wrap = c.wrap
    if wrap == nil then wrap = c.align ~= "right" end
    cols[j] = { c = c, j = j, title = c.title or c.key, wrap = wrap,
                priority = c.priority or ((declared or j <= 2) and 1 or j) }
  end
  local function natural(col)
    local w = M.len(col.title)
    for i in ipairs(rows) do w = math.max(w, M.len(cells[i][col.j])) end
    if col.c.max and col.wrap then w = math.min(w, math.max(col.c.max, longest_word(col.title))) end
    return w
  end
  local function total(list, key)
    local t = 0
    for _, col in ipairs(list) do t = t + col[key] end
    return t + gap * math.max(#list - 1, 0)
  end
  -- 1. notes for long cells of note columns
  local notes, note_of = {}, {}
  local note_base = (opts.notes_from or 1) - 1
  local visible = {}
  for _, col in ipairs(cols) do col.nat = natural(col); visible[#visible + 1] = col end
  if total(visible, "nat") > width then
    for _, col in ipairs(cols) do
      if col.c.note then
        local keep = math.max(M.len(col.title), 8)
        for i in ipairs(rows) do
          local s = cells[i][col.j]
          if M.len(s) > keep then
            if not note_of[s] then
              notes[#notes + 1] = s
              note_of[s] = note_base + #notes
            end
            cells[i][col.j] = "[" .. note_of[s] .. "]"
          end
        end
        col.nat = natural(col)
      end
    end
  end
  -- shrink wrappable columns (widest first) until the row fits or all reach their minimum
  local function shrink(list, min_key)
    for _, col in ipairs(list) do col.w = col.nat end
    local excess = total(list, "w") - width
    while excess > 0 do
      local widest
      for _, col in ipairs(list) do
        if col.wrap and col.w > col[min_key] and (not widest or col.w > widest.w) then widest = col end
      end
      if not widest then break end
      widest.w = widest.w - 1
      excess = excess - 1
    end
    return excess <= 0
  end
  for _, col in ipairs(cols) do
    -- at the hardest, a column is as wide as its longest word (up to 14), so words rarely break
    local word = longest_word(col.title)
    for i in ipairs(rows) do word = math.max(word, math.min(longest_word(cells[i][col.j]), 14)) end
    col.hard = col.wrap and math.min(col.nat, math.max(word, 6)) or col.nat
    -- wrapping is mild down to 60 % of the natural width (at least 24 columns): below that,
    -- leaving out a low-priority column reads better
    col.soft = col.wrap and math.max(col.hard, math.min(col.nat, math.max(24, math.ceil(col.nat * 0.6)))) or col.nat
  end
  local dropped = {}
  while not shrink(visible, "soft") do
    local victim
    for k, col in ipairs(visible) do
      if col.priority > 1 and (not victim or col.priority >= visible[victim].priority) then victim = k end
    end
    if not victim then
      shrink(visible, "hard")
      break
    end
    dropped[#dropped + 1] = visible[victim].title
    table.remove(visible, victim)
  end
  -- render: every row may take several lines
  local function row_lines(vals)
    local split, n = {}, 1
    for k, col in ipairs(visible) do
      split[k] = col.wrap and wrap_cell(vals[col.j], col.w, true) or { vals[col.j] }
      n = math.max(n, #split[k])
    end
    local out = {}
    for l = 1, n do
      local parts = {}
      for k, col in ipairs(visible) do
        local s = split[k][l] or ""
        parts[k] = col.c.align == "right" and pad_left(s, col.w) or pad_right(s, col.w)
      end
      out[#out + 1] = (table.concat(parts, (" "):rep(gap)):gsub("%s+$", ""))
    end
    return table.concat(out, "\n")
  end
  local titles, rule = {}, {}
  for _, col in ipairs(cols) do titles[col.j] = col.title end
  for _, col in ipairs(visible) do rule[col.j] = ("-"):rep(col.w) end
  local out = { row_lines(titles), row_lines(rule) }
  for i in ipairs(rows) do out[#out + 1] = row_lines(cells[i]) end
  local text = table.concat(out, "\n") .. "\n"
  for k, s in ipairs(notes) do
    local tag = "[" .. (note_base + k) .. "] "
    text = text .. tag .. M.wrap(s, width - #tag, ""):gsub("\n", "\n" .. (" "):rep(#tag)) .. "\n"
  end
  if #dropped > 0 then
    text = text .. M.wrap(("(left out to fit %d columns: %s; set COLUMNS wider, or use --format csv or json " ..
      "for every column)"):format(width, table.concat(dropped, ", ")), width) .. "\n"
  end
  if opts.info then
    opts.info.dropped, opts.info.notes = dropped, #notes
  end
  return text
end

--- Formatters.
function M.int(v) return v and util.fmt(v, 0) or "-" end

--- A number exactly as stored (shortest form that reads back the same, as
-- in JSON) with thousands separators: 1978.9 -> "1,978.9", 989.45 -> "989.45".
-- Use it where a figure is compared with another printed figure, so that no
-- rounding makes two equal numbers look different or two different ones equal.
function M.exact(v)
  if v == nil then return "-" end
  local s = util.num(v)
  if s:find("[eEn]") then return s end
  local sign, int, frac = s:match("^(-?)(%d+)(.*)$")
  return sign .. util.fmt(tonumber(int), 0) .. frac
end
function M.fixed(decimals) return function(v) return v and util.fmt(v, decimals) or "-" end end
function M.sig(v, digits)
  if v == nil then return "-" end
  local s = ("%." .. (digits or 3) .. "g"):format(v)
  if s:find("e") then return s end
  local n = tonumber(s)
  if n and n >= 1000 then return util.fmt(n, 0) end
  return s
end

--- "Key: value" block for one record, keys in the given order; long values
-- wrap under themselves to fit the width.
function M.kv(pairs_list, width)
  width = width or M.width()
  local w = 0
  for _, kv in ipairs(pairs_list) do if M.len(kv[1]) > w then w = M.len(kv[1]) end end
  local out = {}
  for _, kv in ipairs(pairs_list) do
    local value = kv[2] == nil and "-" or tostring(kv[2])
    local body = M.wrap(value, math.max(width - w - 2, 20), "")
    body = body:gsub("\n", "\n" .. (" "):rep(w + 2))
    out[#out + 1] = pad_right(kv[1], w) .. "  " .. body
  end
  return table.concat(out, "\n") .. "\n"
end

return M
