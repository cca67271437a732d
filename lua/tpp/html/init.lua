--- tpp.html: a small deterministic HTML writer for self-contained pages.
--
--   local html = require "tpp.html"
--   local h = html.el
--   local body = h("section", { id = "chip" }, { h("h2", nil, "NVIDIA H20"), h("p", nil, "TPP 2,368") })
--   io.write(html.page { title = "tpp report", css = "...", body = { body } })
--
-- Text is escaped; html.raw(s) marks trusted markup (inline SVG from tpp.svg).
-- Attributes are written in sorted order and nothing depends on the clock, so
-- the same input gives the same bytes on every interpreter.
local M = {}

local RAW = {}
local raw_mt = { __index = RAW }

--- Trusted markup inserted as is (an SVG document from tpp.svg, say).
function M.raw(s)
  return setmetatable({ markup = s }, raw_mt)
end

local function is_raw(v) return getmetatable(v) == raw_mt end

local ESC = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

--- Escape text for element content and attribute values.
function M.escape(s)
  return (tostring(s):gsub("[&<>\"']", ESC))
end

local VOID = { br = true, hr = true, img = true, meta = true, link = true, col = true, wbr = true }

local function render_into(out, node)
  local t = type(node)
  if node == nil or node == false then return end
  if t == "string" or t == "number" then
    out[#out + 1] = M.escape(node)
  elseif is_raw(node) then
    out[#out + 1] = node.markup
  elseif t == "table" and node.tag then
    out[#out + 1] = "<" .. node.tag
    if node.attrs then
      local keys = {}
      for k in pairs(node.attrs) do keys[#keys + 1] = k end
      table.sort(keys)
      for _, k in ipairs(keys) do
        local v = node.attrs[k]
        if v == true then
          out[#out + 1] = " " .. k
        elseif v ~= nil and v ~= false then
          out[#out + 1] = (' %s="%s"'):format(k, M.escape(v))
        end
      end
    end
    out[#out + 1] = ">"
    if not VOID[node.tag] then
      for _, child in ipairs(node.children) do render_into(out, child) end
      out[#out + 1] = "</" .. node.tag .. ">"
    end
  elseif t == "table" then
    for _, child in ipairs(node) do render_into(out, child) end
  else
    error("tpp.html: cannot render a " .. t, 3)
  end
end

--- An element: tag, attributes (or nil), children (a string, a node, or a list).
function M.el(tag, attrs, children)
  if type(children) ~= "table" or children.tag or is_raw(children) then children = { children } end
  return { tag = tag, attrs = attrs, children = children }
end

--- Render a node or a list of nodes to a string.
function M.render(node)
  local out = {}
  render_into(out, node)
  return table.concat(out)
end

--- A whole page: { title, css, csp, body = nodes, lang = "en", description = "..." }.
function M.page(p)
  local head = {
    M.raw('<meta charset="utf-8">'),
    M.raw('<meta name="viewport" content="width=device-width, initial-scale=1">'),
    M.el("title", nil, p.title or "tpp"),
  }
  if p.csp then
    head[#head + 1] = M.el("meta", { ["http-equiv"] = "Content-Security-Policy", content = p.csp })
  end
  if p.description then head[#head + 1] = M.el("meta", { name = "description", content = p.description }) end
  if p.generator then head[#head + 1] = M.el("meta", { name = "generator", content = p.generator }) end
  if p.css then head[#head + 1] = M.raw("<style>" .. p.css .. "</style>") end
  return "<!DOCTYPE html>\n" .. M.render(M.el("html", { lang = p.lang or "en" }, {
    M.el("head", nil, head),
    M.el("body", nil, p.body or {}),
  })) .. "\n"
end

--- A table from column specs { key, title, align = "right", fmt = fn(v,row)->node } and rows.
function M.table(columns, rows, attrs)
  local head = {}
  for _, c in ipairs(columns) do
    head[#head + 1] = M.el("th", { scope = "col", class = c.align == "right" and "num" or nil }, c.title)
  end
  local body = {}
  for _, r in ipairs(rows) do
    local cells = {}
    for _, c in ipairs(columns) do
      local v = r[c.key]
      local node
      if c.fmt then node = c.fmt(v, r) elseif v == nil then node = "–" else node = tostring(v) end
      cells[#cells + 1] = M.el("td", { class = c.align == "right" and "num" or nil,
        ["data-label"] = c.title }, node)
    end
    body[#body + 1] = M.el("tr", r._attrs, cells)
  end
  return M.el("div", { class = "table-wrap" }, M.el("table", attrs, {
    M.el("thead", nil, M.el("tr", nil, head)), M.el("tbody", nil, body) }))
end

return M
