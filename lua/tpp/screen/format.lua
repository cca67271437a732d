--- tpp.screen.format: a screening result as text for a person. Per transaction:
-- the decision first, then one line per regime (status and outcome), then the
-- reasons and sources wrapped below (never cut), what was not screened, the PRC
-- side and the conflicts, and the disclaimer.
local report = require "tpp.report"

local M = {}

local DECISION_TEXT = {
  ["no-licence-required"] = "NO LICENCE REQUIRED", ["licence-required"] = "LICENCE REQUIRED",
  prohibited = "PROHIBITED", undetermined = "UNDETERMINED",
}
M.DECISION_TEXT = DECISION_TEXT

local OUTCOME_TEXT = {
  ["no-licence-required"] = "no licence", ["licence-required"] = "licence required", prohibited = "prohibited",
  undetermined = "undetermined", ["not-applicable"] = "does not apply", subject = "subject to the EAR",
  ["not-subject"] = "not subject", classified = "classified", ["not-found"] = "not found in extract",
  ["not-screened"] = "not screened", ["authorization-available"] = "authorization available",
  ["would-require-licence-if-enacted"] = "would require a licence if enacted",
  ["would-not-require-licence-if-enacted"] = "would not require a licence if enacted",
  ["would-be-covered-if-enacted"] = "would cover the item if enacted",
}
M.OUTCOME_TEXT = OUTCOME_TEXT

--- The width text wraps at: $COLUMNS, else 100.
function M.width()
  local w = tonumber(os.getenv("COLUMNS") or "")
  if not w or w < 40 then w = 100 end
  return w
end

-- Wrap keeping the first line's own indentation (report.wrap splits on spaces).
local function wrap(s, indent, width)
  local lead, rest = s:match("^(%s*)(.*)$")
  return lead .. report.wrap(rest, width - #lead, indent:sub(#lead + 1)):gsub("\n", "\n" .. lead)
end

--- The headline of a result: "H20 -> China, 2025-07-15: LICENCE REQUIRED (...)".
function M.headline(r)
  local extra = {}
  if r.review_policy then extra[#extra + 1] = "review: " .. r.review_policy end
  if #r.licence_exceptions > 0 then
    extra[#extra + 1] = "License Exception " .. table.concat(r.licence_exceptions, "/") .. " available"
  end
  if r.decision == "undetermined" and #r.missing > 0 then extra[#extra + 1] = "needs " .. table.concat(r.missing, ", ") end
  return ("%s -> %s%s, %s: %s%s"):format(r.chip_name or r.chip, r.destination.name,
    r.hq and (" (buyer headquartered in " .. r.hq.name .. ")") or "", r.as_of, DECISION_TEXT[r.decision] or r.decision,
    #extra > 0 and (" (" .. table.concat(extra, "; ") .. ")") or "")
end

--- One transaction as text.
function M.transaction(r, width)
  width = width or M.width()
  local out = {}
  local function push(s) out[#out + 1] = s end
  push(wrap(M.headline(r), "    ", width))
  push(("  rules: %s (%s on %s)%s"):format(r.rules.id, r.rules.status, r.as_of,
    r.cfr_text_differs and "; the CFR text differs (see notes)" or ""))
  local rows = {}
  for i, g in ipairs(r.regimes) do
    local o = OUTCOME_TEXT[g.outcome] or g.outcome
    if g.outcome == "classified" then o = g.eccn or "undetermined" end
    rows[i] = { n = i, regime = g.id, status = g.status, outcome = o,
                decides = g.decides and "yes" or "" }
  end
  local tbl = report.table({
    { key = "n", title = "#", align = "right" },
    { key = "outcome", title = "outcome" },
    { key = "regime", title = "regime" },
    { key = "status", title = "status" },
    { key = "decides", title = "decides" },
  }, rows)
  for line in tbl:gmatch("[^\n]+") do push("  " .. line) end
  push("  why and sources:")
  for i, g in ipairs(r.regimes) do
    push(wrap(("  %d %s: %s"):format(i, g.title or g.id, g.why or "-"), "      ", width))
    if g.review_policy and (g.outcome == "licence-required" or g.outcome == "prohibited") then
      push(wrap("      review policy: " .. g.review_policy, "        ", width))
    end
    for _, e in ipairs(g.exceptions or {}) do
      if g.outcome ~= "no-licence-required" and g.outcome ~= "not-applicable" and e.needed ~= false then
        push(wrap(("      License Exception %s: %s - %s"):format(e.id, e.state, e.why), "        ", width))
      end
    end
    push(wrap(("      source: %s [%s]"):format(g.source or "-", g.provenance or "?"), "        ", width))
  end
  if #r.not_screened > 0 then
    push("  not screened (give the input to screen it):")
    for _, n in ipairs(r.not_screened) do
      push(wrap(("  - %s: %s (%s)"):format(n.input, n.what, n.why), "      ", width))
    end
  end
  for _, w in ipairs(r.warnings) do push(wrap("  warning: " .. w, "      ", width)) end
  for _, n in ipairs(r.notes) do push(wrap("  note: " .. n, "      ", width)) end
  for _, a in ipairs(r.authorizations) do push(wrap("  authorization: " .. a, "      ", width)) end
  if #r.prc > 0 then
    push("  PRC measures bearing on it:")
    for _, p in ipairs(r.prc) do
      push(wrap(("  - %s (%s; %s): %s. Source: %s [%s]"):format(p.title, p.status, p.citation, p.text,
        p.source, p.provenance), "      ", width))
    end
  end
  if #r.conflicts > 0 then
    push("  conflicts of laws:")
    for _, c in ipairs(r.conflicts) do
      push(wrap(("  - %s: %s. Source: %s [%s]"):format(c.id, c.text, c.source, c.provenance), "      ", width))
    end
  end
  return table.concat(out, "\n")
end

--- A whole screening as text: a summary table, then each transaction, then the disclaimer.
function M.text(result, width)
  width = width or M.width()
  local parts = {}
  if #result.results > 1 then
    local rows = {}
    for i, r in ipairs(result.results) do
      rows[i] = { decision = DECISION_TEXT[r.decision] or r.decision, chip = r.chip_name or r.chip,
        to = r.destination.name, review = r.review_policy or "-" }
    end
    parts[#parts + 1] = report.table({
      { key = "decision", title = "decision" }, { key = "chip", title = "chip" }, { key = "to", title = "to" },
      { key = "review", title = "review policy" },
    }, rows)
  end
  for _, r in ipairs(result.results) do parts[#parts + 1] = M.transaction(r, width) .. "\n" end
  parts[#parts + 1] = wrap(result.disclaimer, "", width) .. "\n"
  return table.concat(parts, "\n")
end

return M
