--- tpp.chips.sources: the documents the chip database cites, one record per
-- document. A chip figure names its source by key (chip.cite[path]); the
-- provenance tag of the figure follows from the kind of document unless the
-- chip marks the figure derived:
--   kind = "vendor"       the designer's own document: datasheet, product page,
--                         whitepaper, paper by its engineers, documentation,
--                         filing, keynote            -> tag "vendor"
--   kind = "third-party"  press, analysts, databases, die-shot reports,
--                         other trackers             -> tag "reported"
--   kind = "government"   rule texts, agency notices -> tag "vendor" is wrong;
--                         such sources back dates and statements, tagged "reported"
-- `read` says how the document was read for this database when it was checked
-- against a copy (a vendor repository at a commit, a copy on another site);
-- a record without `read` is cited from the document as published.
local M = {}

M.LIST = {}
local by_key = {}

--- Add records (used by the data files below).
function M.add(list)
  for _, s in ipairs(list) do
    assert(type(s.key) == "string" and type(s.title) == "string", "source needs key and title")
    assert(not by_key[s.key], "source key used twice: " .. s.key)
    assert(s.kind == "vendor" or s.kind == "third-party" or s.kind == "government",
      "source " .. s.key .. ": kind must be vendor, third-party or government")
    M.LIST[#M.LIST + 1] = s
    by_key[s.key] = s
  end
end

function M.get(key) return by_key[key] end

--- The tag a figure citing this source carries when not derived.
function M.tag_of(key)
  local s = by_key[key]
  if not s then return nil end
  return s.kind == "vendor" and "vendor" or "reported"
end

--- One line for people: title (publisher, date) url [read: ...].
function M.line(s)
  local parts = { s.title }
  local meta = {}
  if s.publisher then meta[#meta + 1] = s.publisher end
  if s.date then meta[#meta + 1] = s.date end
  if #meta > 0 then parts[#parts + 1] = " (" .. table.concat(meta, ", ") .. ")" end
  if s.url then parts[#parts + 1] = " " .. s.url end
  if s.read then parts[#parts + 1] = " [read: " .. s.read .. "]" end
  return table.concat(parts)
end

-- The database files: each returns { sources = { ... }, chips = { ... } }.
M.FILES = { "nvidia", "amd", "intel", "google", "aws", "huawei", "china_other", "others", "general" }

for _, f in ipairs(M.FILES) do
  M.add(require("tpp.chips." .. f).sources or {})
end

return M
