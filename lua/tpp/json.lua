--- tpp.json: JSON for tpp's machine output and input files.
-- Encoding is deterministic: object keys sorted, numbers written with up to
-- 17 significant digits (the shortest form that reads back as the same
-- double), NaN and infinities refused. Decoding reports line:column.
local util = require "tpp.util"

local M = {}

--- The JSON null value (a Lua nil cannot sit in a table).
M.null = setmetatable({}, { __tostring = function() return "null" end, __name = "json.null" })

local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k ~= math.floor(k) then return false end
    if k > n then n = k end
  end
  if n == 0 then return getmetatable(t) == M.array_mt end
  for i = 1, n do if t[i] == nil then return false end end
  return true, n
end

--- Mark a table as a JSON array, so that it encodes as [] when empty. Every
-- list in tpp's output that can be empty is made with json.array (or arrives
-- through json.decode); util.deepcopy keeps the mark (__jsontype).
M.array_mt = { __name = "json.array", __jsontype = "array" }
function M.array(t) return setmetatable(t or {}, M.array_mt) end

local function encode(v, indent, depth, seen, out)
  local t = type(v)
  if v == nil or v == M.null then
    out[#out + 1] = "null"
  elseif t == "boolean" then
    out[#out + 1] = tostring(v)
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      error("tpp.json: cannot encode " .. tostring(v) .. " (JSON has no NaN or infinity)", 0)
    end
    out[#out + 1] = util.num(v)
  elseif t == "string" then
    out[#out + 1] = encode_string(v)
  elseif t == "table" then
    if seen[v] then error("tpp.json: cannot encode a table that contains itself", 0) end
    seen[v] = true
    local nl = indent and ("\n" .. (" "):rep(indent * (depth + 1))) or ""
    local close = indent and ("\n" .. (" "):rep(indent * depth)) or ""
    local arr, n = is_array(v)
    if arr then
      if (n or 0) == 0 then
        out[#out + 1] = "[]"
      else
        out[#out + 1] = "["
        for i = 1, n do
          if i > 1 then out[#out + 1] = "," end
          out[#out + 1] = nl
          encode(v[i], indent, depth + 1, seen, out)
        end
        out[#out + 1] = close .. "]"
      end
    else
      local keys = {}
      for k in pairs(v) do
        if type(k) ~= "string" then
          error("tpp.json: object keys must be strings, got " .. type(k) .. " " .. tostring(k), 0)
        end
        keys[#keys + 1] = k
      end
      table.sort(keys)
      if #keys == 0 then
        out[#out + 1] = "{}"
      else
        out[#out + 1] = "{"
        for i, k in ipairs(keys) do
          if i > 1 then out[#out + 1] = "," end
          out[#out + 1] = nl .. encode_string(k) .. (indent and ": " or ":")
          encode(v[k], indent, depth + 1, seen, out)
        end
        out[#out + 1] = close .. "}"
      end
    end
    seen[v] = nil
  else
    error("tpp.json: cannot encode a " .. t, 0)
  end
end

--- Encode a value; opts.indent (spaces) pretty-prints.
function M.encode(v, opts)
  local out = {}
  encode(v, opts and opts.indent, 0, {}, out)
  return table.concat(out)
end

-- ---- decoding ----

local function decode_error(s, pos, msg, source)
  local line, col = 1, 1
  for i = 1, pos - 1 do
    if s:byte(i) == 10 then line, col = line + 1, 1 else col = col + 1 end
  end
  error(("tpp.json: %s:%d:%d: %s"):format(source or "input", line, col, msg), 0)
end

local function skip_ws(s, pos)
  return s:find("[^ \t\r\n]", pos) or #s + 1
end

local decode_value

local function utf8_char(cp)
  if cp < 0x80 then return string.char(cp) end
  if cp < 0x800 then return string.char(0xC0 + math.floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 4096), 0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return string.char(0xF0 + math.floor(cp / 262144), 0x80 + math.floor(cp / 4096) % 64,
    0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64)
end

local function decode_string(s, pos, src)
  local out, i = {}, pos + 1
  while true do
    local j = s:find('["\\%c]', i)
    if not j then decode_error(s, pos, "unterminated string", src) end
    out[#out + 1] = s:sub(i, j - 1)
    local c = s:sub(j, j)
    if c == '"' then return table.concat(out), j + 1 end
    if c ~= "\\" then decode_error(s, j, "control character in string", src) end
    local e = s:sub(j + 1, j + 1)
    local simple = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
    if simple[e] then
      out[#out + 1] = simple[e]
      i = j + 2
    elseif e == "u" then
      local hex = s:sub(j + 2, j + 5)
      if not hex:match("^%x%x%x%x$") then decode_error(s, j, "bad \\u escape", src) end
      local cp = tonumber(hex, 16)
      i = j + 6
      if cp >= 0xD800 and cp < 0xDC00 and s:sub(i, i + 1) == "\\u" then
        local lo = tonumber(s:sub(i + 2, i + 5), 16)
        if lo and lo >= 0xDC00 and lo < 0xE000 then
          cp = 0x10000 + (cp - 0xD800) * 1024 + (lo - 0xDC00)
          i = i + 6
        end
      end
      out[#out + 1] = utf8_char(cp)
    else
      decode_error(s, j, "bad escape \\" .. e, src)
    end
  end
end

-- ctx: { src = name for messages, lines = nil or a table that receives
-- lines[object_or_array] = the line it starts on, lp/ll = a position and its
-- line (counting moves forward only, so positions cost O(length) in total) }
local function line_at(s, pos, ctx)
  local p, l = ctx.lp, ctx.ll
  while true do
    local nl = s:find("\n", p, true)
    if not nl or nl >= pos then break end
    l, p = l + 1, nl + 1
  end
  ctx.lp, ctx.ll = p, l
  return l
end

decode_value = function(s, pos, ctx, depth)
  local src = ctx.src
  if depth > 512 then decode_error(s, pos, "nesting deeper than 512", src) end
  pos = skip_ws(s, pos)
  local c = s:sub(pos, pos)
  if c == "{" then
    local obj = {}
    if ctx.lines then ctx.lines[obj] = line_at(s, pos, ctx) end
    pos = skip_ws(s, pos + 1)
    if s:sub(pos, pos) == "}" then return obj, pos + 1 end
    while true do
      if s:sub(pos, pos) ~= '"' then decode_error(s, pos, "object key (string) expected", src) end
      local k
      local key_pos = pos
      k, pos = decode_string(s, pos, src)
      -- a repeated key is ambiguous (parsers keep the first or the last): refused
      if obj[k] ~= nil then
        decode_error(s, key_pos, ("duplicate key '%s' in one object"):format(#k > 60 and (k:sub(1, 60) .. "...") or k),
          src)
      end
      pos = skip_ws(s, pos)
      if s:sub(pos, pos) ~= ":" then decode_error(s, pos, "':' expected after object key", src) end
      local v
      v, pos = decode_value(s, pos + 1, ctx, depth + 1)
      obj[k] = v
      pos = skip_ws(s, pos)
      local d = s:sub(pos, pos)
      if d == "}" then return obj, pos + 1 end
      if d ~= "," then decode_error(s, pos, "',' or '}' expected in object", src) end
      pos = skip_ws(s, pos + 1)
    end
  elseif c == "[" then
    local arr = M.array({})
    if ctx.lines then ctx.lines[arr] = line_at(s, pos, ctx) end
    pos = skip_ws(s, pos + 1)
    if s:sub(pos, pos) == "]" then return arr, pos + 1 end
    while true do
      local v
      v, pos = decode_value(s, pos, ctx, depth + 1)
      arr[#arr + 1] = v
      pos = skip_ws(s, pos)
      local d = s:sub(pos, pos)
      if d == "]" then return arr, pos + 1 end
      if d ~= "," then decode_error(s, pos, "',' or ']' expected in array", src) end
      pos = pos + 1
    end
  elseif c == '"' then
    return decode_string(s, pos, src)
  elseif s:find("^true", pos) then
    return true, pos + 4
  elseif s:find("^false", pos) then
    return false, pos + 5
  elseif s:find("^null", pos) then
    return M.null, pos + 4
  else
    -- the JSON number grammar exactly: no hex, no leading zeros, no inf/nan
    local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if num and #num > 0 then
      local ok = not num:match("^-?0%d") and (num:match("^-?%d+$") or num:match("^-?%d+%.%d+$") or
        num:match("^-?%d+[eE][-+]?%d+$") or num:match("^-?%d+%.%d+[eE][-+]?%d+$"))
      if not ok then decode_error(s, pos, ("'%s' is not a JSON number"):format(num), src) end
      local v = tonumber(num)
      if v == math.huge or v == -math.huge then
        decode_error(s, pos, ("%s is too large for a double"):format(num), src)
      end
      return v, pos + #num
    end
    decode_error(s, pos, c == "" and "unexpected end of input" or ("unexpected '" .. c .. "'"), src)
  end
end

--- Decode JSON text; null becomes json.null (use json.opt(v) to map it to nil).
-- A key repeated in one object is an error. opts.lines: a table that receives
-- lines[t] = the line where object or array t starts (for row messages).
function M.decode(s, source, opts)
  if type(s) ~= "string" then error("tpp.json.decode: string expected, got " .. type(s), 2) end
  local ctx = { src = source, lines = opts and opts.lines, lp = 1, ll = 1 }
  local v, pos = decode_value(s, 1, ctx, 0)
  pos = skip_ws(s, pos)
  if pos <= #s then decode_error(s, pos, "trailing characters after the JSON value", source) end
  return v
end

--- json.null -> nil, everything else unchanged.
function M.opt(v)
  if v == M.null then return nil end
  return v
end

return M
