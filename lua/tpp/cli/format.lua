--- tpp.cli.format: the row formats of the command line, jsonl and csv.
-- A command's rows are the list named by its `rows` field (a field of data,
-- or a function of data), or data itself when data is a list; see tpp.cli.
local json = require "tpp.json"
local util = require "tpp.util"
local errors = require "tpp.errors"

local M = {}

local function is_list(t)
  if type(t) ~= "table" or t == json.null then return false end
  if getmetatable(t) == json.array_mt then return true end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n > 0 and n == #t
end

--- The row list of a command's data, or nil.
function M.rows_of(data, mod)
  local r = mod and mod.rows
  if type(r) == "function" then return r(data) end
  if type(r) == "string" then
    local list = data and data[r]
    if list == nil then return json.array {} end
    return list
  end
  if is_list(data) then return data end
  return nil
end

local function scalar_text(v)
  if v == nil or v == json.null then return "" end
  if type(v) == "number" then return util.num(v) end
  return tostring(v)
end

-- Flatten one row into { ["a.b"] = text }: objects by dotted names, lists of
-- scalars joined with "; ", anything deeper as JSON text.
local function flatten(v, prefix, out)
  if type(v) ~= "table" or v == json.null then
    out[prefix] = scalar_text(v)
  elseif is_list(v) then
    local parts, simple = {}, true
    for i, x in ipairs(v) do
      if type(x) == "table" and x ~= json.null then simple = false break end
      parts[i] = scalar_text(x)
    end
    out[prefix] = simple and table.concat(parts, "; ") or json.encode(v)
  elseif next(v) == nil then
    out[prefix] = ""
  else
    for k, x in pairs(v) do
      flatten(x, prefix == "" and tostring(k) or (prefix .. "." .. tostring(k)), out)
    end
  end
  return out
end
M.flatten = flatten

--- One CSV field (RFC 4180: quoted when it holds a comma, quote or line break).
function M.csv_field(s)
  if s:find('[,"\r\n]') or s:match("^%s") or s:match("%s$") then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

-- The text of column path ("a.b") in row r: only that value is looked up and
-- flattened (a declared column list need not flatten whole results).
local function cell(r, path)
  local v = r
  for part in path:gmatch("[^%.]+") do
    if type(v) ~= "table" or v == json.null then return "" end
    v = v[part]
  end
  if type(v) == "table" and v ~= json.null and not is_list(v) and next(v) ~= nil then return json.encode(v) end
  return flatten(v, path, {})[path] or ""
end

--- CSV text of rows; columns in the given order, else every flattened key sorted.
function M.csv(rows, columns)
  local flat, keys = {}, {}
  if columns then
    for i, r in ipairs(rows) do
      flat[i] = {}
      for _, c in ipairs(columns) do flat[i][c] = type(r) == "table" and cell(r, c) or "" end
    end
  end
  for i, r in ipairs(columns and {} or rows) do
    flat[i] = type(r) == "table" and flatten(r, "", {}) or { value = scalar_text(r) }
    for k in pairs(flat[i]) do keys[k] = true end
  end
  local cols = {}
  if columns then
    for _, c in ipairs(columns) do cols[#cols + 1] = c end
  else
    cols = util.sorted_keys(keys)
  end
  local out = {}
  local head = {}
  for j, c in ipairs(cols) do head[j] = M.csv_field(c) end
  out[1] = table.concat(head, ",")
  for i in ipairs(rows) do
    local line = {}
    for j, c in ipairs(cols) do line[j] = M.csv_field(flat[i][c] or "") end
    out[#out + 1] = table.concat(line, ",")
  end
  return table.concat(out, "\n") .. "\n"
end

--- jsonl: one compact JSON value per line.
function M.jsonl(rows)
  local out = {}
  for i, r in ipairs(rows) do out[i] = json.encode(r) end
  return #out > 0 and (table.concat(out, "\n") .. "\n") or ""
end

--- Render data in fmt ("jsonl" or "csv") for command module mod.
function M.render(fmt, data, mod, cmdname)
  local rows = M.rows_of(data, mod)
  if fmt == "jsonl" then
    if rows == nil then return json.encode(data) .. "\n" end
    return M.jsonl(rows)
  end
  if rows == nil then
    error(errors.usage(("tpp %s: --format csv: this command's output is not a list of rows; use --format json")
      :format(cmdname)), 0)
  end
  return M.csv(rows, mod and mod.columns)
end

return M
