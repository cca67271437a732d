--- tpp.svg: a small deterministic SVG writer.
-- literal-ok-comments: formatting examples in comments use familiar numbers.
--
--   local svg = require "tpp.svg"
--   local doc = svg.document { width = 640, height = 480, title = "..", desc = "..", css = ".a{fill:red}" }
--   local x = svg.log_scale(100, 2e5, 80, 600)
--   doc:add(svg.el("circle", { cx = x(4800), cy = 40, r = 3, class = "a" }, { svg.el("title", nil, "A100") }))
--   io.write(doc:render())
--
-- Same input, same bytes: numbers are written with at most two decimals
-- (trailing zeros dropped, never "-0"), attributes in sorted order, text
-- escaped, no timestamps, no external fonts (a generic font stack in CSS).
local M = {}

-- ------------------------------------------------------------ numbers ----

-- Round half up at `decimals` places before printing: C printf rounds exact
-- ties to even and LuaJIT's formatter rounds them up, so formatting an
-- unrounded tie (0.125, 608.5) would differ between interpreters.
local function round_to(v, decimals)
  local f = 10 ^ decimals
  return math.floor(v * f + 0.5) / f
end

--- Coordinates and lengths: at most `decimals` (default 2) places, trailing
-- zeros removed, -0 written as 0. Same text on every Lua interpreter.
function M.num(v, decimals)
  if type(v) ~= "number" then error("tpp.svg: number expected, got " .. type(v), 2) end
  if v ~= v or v == math.huge or v == -math.huge then
    error("tpp.svg: cannot write " .. tostring(v) .. " as an SVG number", 2)
  end
  decimals = decimals or 2
  local s = ("%." .. decimals .. "f"):format(round_to(v, decimals))
  if s:find("%.") then s = s:gsub("0+$", ""):gsub("%.$", "") end
  if s == "-0" then s = "0" end
  return s
end

--- Integer with thousands separators; other values with up to `sig`
-- significant digits (default 3), e.g. 4800 -> "4,800", 5.92 -> "5.92".
function M.label(v, sig)
  if v == math.floor(v) and math.abs(v) < 1e15 then
    local s = ("%d"):format(v)
    local sign = ""
    if s:sub(1, 1) == "-" then sign, s = "-", s:sub(2) end
    return sign .. s:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  end
  if v ~= v or v == math.huge or v == -math.huge then return tostring(v) end
  sig = sig or 3
  local mag = math.floor(math.log(math.abs(v)) / math.log(10) + 1e-12)
  local decimals = sig - 1 - mag
  if decimals <= 0 then return M.label(round_to(v, 0)) end
  if decimals > 12 then return ("%.3e"):format(v) end
  local s = ("%." .. decimals .. "f"):format(round_to(v, decimals))
  if s:find("%.") then s = s:gsub("0+$", ""):gsub("%.$", "") end
  return s
end

-- ------------------------------------------------------------- escape ----

local ESC = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

--- Escape text for element content and attribute values. Control characters
-- other than tab/newline (not allowed in XML 1.0) are dropped.
function M.escape(s)
  s = tostring(s)
  s = s:gsub("[%z\1-\8\11\12\14-\31]", "")
  return (s:gsub("[&<>\"']", ESC))
end

-- ----------------------------------------------------------- elements ----

local Element = {}
Element.__index = Element

--- An element: tag, attributes (table; numbers are formatted with num()),
-- and content: a string (text), a list of elements, or nil.
function M.el(tag, attrs, content)
  local e = setmetatable({ tag = tag, attrs = attrs or {}, children = {} }, Element)
  if type(content) == "string" or type(content) == "number" then
    e.text = tostring(content)
  elseif type(content) == "table" then
    if getmetatable(content) == Element then
      e.children[1] = content
    else
      for _, c in ipairs(content) do e.children[#e.children + 1] = c end
    end
  end
  return e
end

function Element:add(child)
  self.children[#self.children + 1] = child
  return child
end

local function attr_value(v)
  if type(v) == "number" then return M.num(v) end
  if type(v) == "boolean" then return v and "true" or "false" end
  return M.escape(v)
end

local function render(e, out, depth)
  local pad = ("  "):rep(depth)
  local keys = {}
  for k, v in pairs(e.attrs) do
    if v ~= nil and v ~= false then keys[#keys + 1] = k end
  end
  table.sort(keys)
  local parts = { pad, "<", e.tag }
  for _, k in ipairs(keys) do
    parts[#parts + 1] = (' %s="%s"'):format(k, attr_value(e.attrs[k]))
  end
  if e.text then
    parts[#parts + 1] = ">" .. M.escape(e.text) .. "</" .. e.tag .. ">"
    out[#out + 1] = table.concat(parts)
  elseif #e.children == 0 then
    parts[#parts + 1] = "/>"
    out[#out + 1] = table.concat(parts)
  elseif e.inline then
    -- mixed text runs (<text> with <tspan>s) stay on one line: whitespace matters there
    parts[#parts + 1] = ">"
    local inner = {}
    for _, c in ipairs(e.children) do
      if c.raw then
        inner[#inner + 1] = M.escape(c.raw)
      else
        local sub = {}
        render(c, sub, 0)
        inner[#inner + 1] = table.concat(sub)
      end
    end
    out[#out + 1] = table.concat(parts) .. table.concat(inner) .. "</" .. e.tag .. ">"
  else
    parts[#parts + 1] = ">"
    out[#out + 1] = table.concat(parts)
    for _, c in ipairs(e.children) do render(c, out, depth + 1) end
    out[#out + 1] = pad .. "</" .. e.tag .. ">"
  end
end

--- Text made of runs: svg.text({x=, y=, class=}, { "plain ", {"styled part", {class="b"}} }).
-- Plain runs are text nodes (renderers keep spaces between runs there;
-- librsvg drops leading spaces inside a <tspan>), styled runs are tspans.
function M.text(attrs, runs)
  if type(runs) == "string" then return M.el("text", attrs, runs) end
  local e = M.el("text", attrs)
  e.inline = true
  for _, r in ipairs(runs) do
    if type(r) == "string" then
      e:add({ raw = r })
    else
      e:add(M.el("tspan", r[2] or {}, r[1]))
    end
  end
  return e
end

-- ----------------------------------------------------------- document ----

local Document = {}
Document.__index = Document

--- A document: width, height (px), title, desc (metadata text), css
-- (embedded style sheet), background (fill colour or nil).
function M.document(opts)
  opts = opts or {}
  assert(type(opts.width) == "number" and type(opts.height) == "number", "tpp.svg: width and height required")
  local root = M.el("svg", {
    xmlns = "http://www.w3.org/2000/svg", width = opts.width, height = opts.height,
    viewBox = ("0 0 %s %s"):format(M.num(opts.width), M.num(opts.height)),
    role = "img", ["font-family"] = opts.font_family or "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif",
  })
  local doc = setmetatable({ root = root, defs = M.el("defs"), opts = opts, ids = {} }, Document)
  if opts.title then
    root:add(M.el("title", nil, opts.title))
    root.attrs["aria-label"] = opts.title
  end
  if opts.desc then root:add(M.el("desc", nil, opts.desc)) end
  if opts.css then
    local style = M.el("style", { type = "text/css" })
    style.cdata = opts.css
    doc.defs:add(style)
  end
  root:add(doc.defs)
  if opts.background then
    doc.background = root:add(M.el("rect", { x = 0, y = 0, width = opts.width, height = opts.height,
      fill = opts.background }))
  end
  return doc
end

--- Change the canvas size (e.g. once the content's height is known).
function Document:resize(width, height)
  local a = self.root.attrs
  a.width, a.height = width, height
  a.viewBox = ("0 0 %s %s"):format(M.num(width), M.num(height))
  if self.background then self.background.attrs.width, self.background.attrs.height = width, height end
end

function Document:add(e) return self.root:add(e) end
function Document:def(e)
  local id = e.attrs.id
  if id then
    if self.ids[id] then error("tpp.svg: duplicate id '" .. id .. "'", 2) end
    self.ids[id] = true
  end
  return self.defs:add(e)
end

--- A <clipPath> rectangle in defs; returns "url(#id)".
function Document:clip_rect(id, x, y, w, h)
  self:def(M.el("clipPath", { id = id }, { M.el("rect", { x = x, y = y, width = w, height = h }) }))
  return "url(#" .. id .. ")"
end

local function render_root(root)
  local out = { '<?xml version="1.0" encoding="UTF-8"?>' }
  -- style content goes in CDATA so CSS needs no escaping
  local function walk(e, depth)
    if e.cdata then
      local pad = ("  "):rep(depth)
      out[#out + 1] = pad .. '<style type="text/css"><![CDATA[' .. "\n" .. e.cdata:gsub("%]%]>", "]]]]><![CDATA[>") ..
        "\n" .. pad .. "]]></style>"
      return
    end
    if #e.children > 0 and not e.text and not e.inline then
      local tmp = setmetatable({ tag = e.tag, attrs = e.attrs, children = {} }, Element)
      local first = {}
      render(tmp, first, depth) -- "<tag .../>" form; reopen it
      local open = first[1]:gsub("/>$", ">")
      out[#out + 1] = open
      for _, c in ipairs(e.children) do walk(c, depth + 1) end
      out[#out + 1] = ("  "):rep(depth) .. "</" .. e.tag .. ">"
    else
      render(e, out, depth)
    end
  end
  walk(root, 0)
  return table.concat(out, "\n") .. "\n"
end

function Document:render() return render_root(self.root) end

-- ------------------------------------------------------------- scales ----

--- Log scale from [d0, d1] (both > 0) to [r0, r1]. Returns a callable table
-- with :ticks() (1-2-5 per decade inside the domain) and :invert(px).
function M.log_scale(d0, d1, r0, r1)
  if not (d0 > 0 and d1 > 0) or d0 == d1 then
    error("tpp.svg: log scale domain must be two different positive numbers", 2)
  end
  local l0, l1 = math.log(d0) / math.log(10), math.log(d1) / math.log(10)
  local s = { d0 = d0, d1 = d1, r0 = r0, r1 = r1, log = true }
  local function map(v)
    if v <= 0 then error("tpp.svg: log scale: value " .. tostring(v) .. " is not positive", 2) end
    local lv = math.log(v) / math.log(10)
    return r0 + (lv - l0) / (l1 - l0) * (r1 - r0)
  end
  function s.invert(px)
    return 10 ^ (l0 + (px - r0) / (r1 - r0) * (l1 - l0))
  end
  --- ticks: list of { value, major = (power of ten) } in increasing value.
  function s.ticks(steps)
    steps = steps or { 1, 2, 5 }
    local lo, hi = math.min(d0, d1), math.max(d0, d1)
    local out = {}
    local e0 = math.floor(math.log(lo) / math.log(10) + 1e-9)
    local e1 = math.ceil(math.log(hi) / math.log(10) - 1e-9)
    for e = e0, e1 do
      for _, m in ipairs(steps) do
        -- exact decimal values (0.1 * 2 would drift): build from a string
        local v = tonumber(("%de%d"):format(m, e))
        if v >= lo * (1 - 1e-12) and v <= hi * (1 + 1e-12) then
          out[#out + 1] = { value = v, major = m == 1 }
        end
      end
    end
    return out
  end
  return setmetatable(s, { __call = function(_, v) return map(v) end })
end

--- Linear scale from [d0, d1] to [r0, r1] with :ticks(n) on a 1-2-5 step.
function M.linear_scale(d0, d1, r0, r1)
  if d0 == d1 then error("tpp.svg: linear scale domain is empty", 2) end
  local s = { d0 = d0, d1 = d1, r0 = r0, r1 = r1 }
  function s.invert(px) return d0 + (px - r0) / (r1 - r0) * (d1 - d0) end
  function s.ticks(n)
    n = n or 6
    local lo, hi = math.min(d0, d1), math.max(d0, d1)
    local raw = (hi - lo) / n
    local mag = 10 ^ math.floor(math.log(raw) / math.log(10))
    local step
    for _, m in ipairs({ 1, 2, 5, 10 }) do
      if m * mag >= raw then step = m * mag; break end
    end
    local out = {}
    local k = math.ceil(lo / step - 1e-9)
    while k * step <= hi + step * 1e-9 do
      local v = tonumber(("%.10g"):format(k * step))
      out[#out + 1] = { value = v, major = true }
      k = k + 1
    end
    return out, step
  end
  return setmetatable(s, { __call = function(_, v) return r0 + (v - d0) / (d1 - d0) * (r1 - r0) end })
end

-- ---------------------------------------------------------- text size ----

-- Advance widths (1/1000 em) of DejaVu Sans, the first font of the stack
-- and the widest common sans: estimates used only to keep labels apart.
local WIDTHS = {
  [" "] = 318, ["!"] = 401, ['"'] = 460, ["#"] = 838, ["$"] = 636, ["%"] = 950, ["&"] = 780, ["'"] = 275,
  ["("] = 390, [")"] = 390, ["*"] = 500, ["+"] = 838, [","] = 318, ["-"] = 361, ["."] = 318, ["/"] = 337,
  [":"] = 337, [";"] = 337, ["<"] = 838, ["="] = 838, [">"] = 838, ["?"] = 531, ["@"] = 1000,
  ["["] = 390, ["\\"] = 337, ["]"] = 390, ["_"] = 500, ["|"] = 337, ["~"] = 838,
  A = 684, B = 686, C = 698, D = 770, E = 632, F = 575, G = 775, H = 752, I = 295, J = 295, K = 656,
  L = 557, M = 863, N = 748, O = 787, P = 603, Q = 787, R = 695, S = 635, T = 611, U = 732, V = 684,
  W = 989, X = 685, Y = 611, Z = 685,
  a = 613, b = 635, c = 550, d = 635, e = 615, f = 352, g = 635, h = 634, i = 278, j = 278, k = 579,
  l = 278, m = 974, n = 634, o = 612, p = 635, q = 635, r = 411, s = 521, t = 392, u = 634, v = 592,
  w = 818, x = 592, y = 592, z = 525,
}
for d = 0, 9 do WIDTHS[tostring(d)] = 636 end
WIDTHS["\194\160"] = 318 -- no-break space
WIDTHS["\194\178"] = 402 -- superscript two (mm²)

--- Estimated width in px of text at a font size (bold adds 8 %). UTF-8
-- multibyte characters count as one wide glyph.
function M.text_width(s, size, bold)
  local w = 0
  for ch in tostring(s):gmatch("[%z\1-\127\194-\244][\128-\191]*") do
    w = w + (WIDTHS[ch] or 700)
  end
  return w / 1000 * size * (bold and 1.08 or 1)
end

-- ----------------------------------------------------------- geometry ----

--- Do two boxes {x0, y0, x1, y1} overlap (with a margin)?
function M.overlaps(a, b, margin)
  margin = margin or 0
  return a[1] < b[3] + margin and b[1] < a[3] + margin and a[2] < b[4] + margin and b[2] < a[4] + margin
end

--- Path data from a list of {x, y} points (closed when close is true).
function M.path(points, close)
  local parts = {}
  for i, p in ipairs(points) do
    parts[#parts + 1] = (i == 1 and "M" or "L") .. M.num(p[1]) .. " " .. M.num(p[2])
  end
  if close then parts[#parts + 1] = "Z" end
  return table.concat(parts, " ")
end

--- Marker shapes centred at (x, y) with "radius" r: circle, square,
-- diamond, triangle (up), triangle-down, star. Returns an element.
function M.marker(shape, x, y, r, attrs)
  attrs = attrs or {}
  local function with(t)
    for k, v in pairs(attrs) do t[k] = v end
    return t
  end
  if shape == "circle" then
    return M.el("circle", with { cx = x, cy = y, r = r })
  elseif shape == "square" then
    local h = r * 0.89
    return M.el("rect", with { x = x - h, y = y - h, width = 2 * h, height = 2 * h })
  elseif shape == "diamond" then
    local h = r * 1.25
    return M.el("path", with { d = M.path({ { x, y - h }, { x + h, y }, { x, y + h }, { x - h, y } }, true) })
  elseif shape == "triangle" then
    local h = r * 1.3
    return M.el("path", with { d = M.path({ { x, y - h }, { x + h * 0.95, y + h * 0.65 },
      { x - h * 0.95, y + h * 0.65 } }, true) })
  elseif shape == "triangle-down" then
    local h = r * 1.3
    return M.el("path", with { d = M.path({ { x, y + h }, { x + h * 0.95, y - h * 0.65 },
      { x - h * 0.95, y - h * 0.65 } }, true) })
  elseif shape == "star" then
    local pts = {}
    for i = 0, 9 do
      local a = -math.pi / 2 + i * math.pi / 5
      local rr = (i % 2 == 0) and r * 1.5 or r * 0.65
      pts[#pts + 1] = { x + rr * math.cos(a), y + rr * math.sin(a) }
    end
    return M.el("path", with { d = M.path(pts, true) })
  end
  error("tpp.svg: unknown marker shape '" .. tostring(shape) .. "'", 2)
end

--- The same drawing displayed at width px (height in proportion): only the
-- root's width and height change; the viewBox keeps the coordinates.
function M.scale(text, width)
  local vw, vh = text:match('<svg [^>]-viewBox="0 0 ([%d.]+) ([%d.]+)"')
  if not vw then error("tpp.svg.scale: no <svg viewBox=\"0 0 W H\"> in the document", 2) end
  local height = width * tonumber(vh) / tonumber(vw)
  text = text:gsub('(<svg [^>]-) height="[%d.]+"', '%1 height="' .. M.num(height) .. '"', 1)
  text = text:gsub('(<svg [^>]-) width="[%d.]+"', '%1 width="' .. M.num(width) .. '"', 1)
  return text, height
end

-- ------------------------------------------------------------ checker ----

--- A small well-formedness check (used by the specs when xmllint is not
-- installed): balanced tags, quoted attributes, no duplicate attributes,
-- no bare '&' or '<'. Returns true or nil, message.
function M.check_xml(s)
  local pos, stack, n = 1, {}, #s
  local function fail(msg)
    local line = 1
    for _ in s:sub(1, pos):gmatch("\n") do line = line + 1 end
    return nil, ("line %d: %s"):format(line, msg)
  end
  if s:sub(1, 5) == "<?xml" then
    local e = s:find("?>", 1, true)
    if not e then return fail("unterminated XML declaration") end
    pos = e + 2
  end
  local roots = 0
  while pos <= n do
    local lt = s:find("<", pos, true)
    local text = s:sub(pos, (lt or n + 1) - 1)
    local amp = text:find("&")
    while amp do
      if not text:find("^&[%a#][%w]*;", amp) then return fail("bare '&' in text") end
      amp = text:find("&", amp + 1)
    end
    if text:find(">") then return fail("bare '>' in text") end
    if #stack == 0 and text:find("%S") then return fail("text outside the root element") end
    if not lt then break end
    pos = lt
    if s:sub(pos, pos + 8) == "<![CDATA[" then
      local e = s:find("]]>", pos, true)
      if not e then return fail("unterminated CDATA") end
      pos = e + 3
    elseif s:sub(pos, pos + 3) == "<!--" then
      local e = s:find("-->", pos, true)
      if not e then return fail("unterminated comment") end
      pos = e + 3
    elseif s:sub(pos, pos + 1) == "</" then
      local name, e = s:match("^</([%w:_%-]+)%s*>()", pos)
      if not name then return fail("malformed end tag") end
      local top = table.remove(stack)
      if top ~= name then return fail(("end tag </%s> does not match <%s>"):format(name, tostring(top))) end
      pos = e
    else
      local name, rest = s:match("^<([%a_][%w:_%-%.]*)()", pos)
      if not name then return fail("malformed start tag") end
      if #stack == 0 then
        roots = roots + 1
        if roots > 1 then return fail("more than one root element") end
      end
      local p = rest
      local seen = {}
      while true do
        local ws_end = s:match("^%s*()", p)
        p = ws_end
        local c = s:sub(p, p)
        if c == ">" then stack[#stack + 1] = name; p = p + 1; break end
        if s:sub(p, p + 1) == "/>" then p = p + 2; break end
        if c == "" then return fail("unterminated tag <" .. name .. ">") end
        local an, q, after = s:match("^([%a_][%w:_%-%.]*)%s*=%s*([\"'])()", p)
        if not an then return fail("malformed attribute in <" .. name .. ">") end
        if seen[an] then return fail(("duplicate attribute '%s' in <%s>"):format(an, name)) end
        seen[an] = true
        local close = s:find(q, after, true)
        if not close then return fail("unterminated attribute value") end
        local v = s:sub(after, close - 1)
        if v:find("<") then return fail("'<' in an attribute value") end
        local a2 = v:find("&")
        while a2 do
          if not v:find("^&[%a#][%w]*;", a2) then return fail("bare '&' in an attribute value") end
          a2 = v:find("&", a2 + 1)
        end
        p = close + 1
      end
      pos = p
    end
  end
  if #stack > 0 then return fail("unclosed <" .. stack[#stack] .. ">") end
  if roots ~= 1 then return fail("no root element") end
  return true
end

M.Element = Element
return M
