--- tpp.report: plain-text tables and number formats for the CLI and REPL.
local util = require "tpp.util"

local M = {}

--- Render rows as an aligned text table.
-- columns: list of { key = "tpp", title = "TPP", align = "right"|"left",
--   fmt = function(value, row) -> string } ; nil values print as "-".
function M.table(columns, rows)
  local cells, widths = {}, {}
  for j, c in ipairs(columns) do widths[j] = #c.title end
  for i, r in ipairs(rows) do
    cells[i] = {}
    for j, c in ipairs(columns) do
      local v = r[c.key]
      local s
      if c.fmt then s = c.fmt(v, r) elseif v == nil then s = "-" else s = tostring(v) end
      s = s or "-"
      if c.max and #s > c.max then s = s:sub(1, c.max - 1) .. "~" end
      cells[i][j] = s
      if #s > widths[j] then widths[j] = #s end
    end
  end
  local function line(vals)
    local parts = {}
    for j, c in ipairs(columns) do
      local s = vals[j]
      local pad = (" "):rep(widths[j] - #s)
      parts[j] = c.align == "right" and (pad .. s) or (s .. pad)
    end
    return (table.concat(parts, "  "):gsub("%s+$", ""))
  end
  local out = {}
  local titles = {}
  for j, c in ipairs(columns) do titles[j] = c.title end
  out[#out + 1] = line(titles)
  local rule = {}
  for j in ipairs(columns) do rule[j] = ("-"):rep(widths[j]) end
  out[#out + 1] = line(rule)
  for i in ipairs(rows) do out[#out + 1] = line(cells[i]) end
  return table.concat(out, "\n") .. "\n"
end

--- Formatters.
function M.int(v) return v and util.fmt(v, 0) or "-" end
function M.fixed(decimals) return function(v) return v and util.fmt(v, decimals) or "-" end end
function M.sig(v, digits)
  if v == nil then return "-" end
  local s = ("%." .. (digits or 3) .. "g"):format(v)
  if s:find("e") then return s end
  local n = tonumber(s)
  if n and n >= 1000 then return util.fmt(n, 0) end
  return s
end

--- "Key: value" block for one record, keys in the given order.
function M.kv(pairs_list)
  local w = 0
  for _, kv in ipairs(pairs_list) do if #kv[1] > w then w = #kv[1] end end
  local out = {}
  for _, kv in ipairs(pairs_list) do
    out[#out + 1] = ("%-" .. w .. "s  %s"):format(kv[1], kv[2] == nil and "-" or tostring(kv[2]))
  end
  return table.concat(out, "\n") .. "\n"
end

--- Wrap text at width columns with an indent for continuation lines.
function M.wrap(text, width, indent)
  width, indent = width or 78, indent or ""
  local out, line = {}, ""
  for word in text:gmatch("%S+") do
    if #line + #word + 1 > width and #line > 0 then
      out[#out + 1] = line
      line = indent .. word
    else
      line = (#line > 0 and (line .. " ") or line) .. word
    end
  end
  if #line > 0 then out[#out + 1] = line end
  return table.concat(out, "\n")
end

return M
