--- tpp.fleet.schema: the columns of a fleet file (CSV with this header, JSON,
-- JSON Lines or a Lua table), declared as data so that one strict reader can
-- check every file: name, type, range, enum, required, help.
--
-- A row gives either `units` (an exact count) or the triple units_low,
-- units_central, units_high, read as stated by `interval`. Cross-column
-- rules (one of the two forms, low <= central <= high, a known chip) are
-- checked by tpp.fleet.row after the reader has checked each column.
local M = {}

M.KINDS = { "shipment", "production", "stock", "smuggled", "order" }
M.INTERVALS = { "p80", "p90", "p95", "p99", "bounds", "exact" }
M.PROVENANCE = { "primary", "reported", "derived", "user" }

--- Coverage of the central interval that low..high spans.
M.COVERAGE = { p80 = 0.80, p90 = 0.90, p95 = 0.95, p99 = 0.99 }

M.MAX_UNITS = 1e10

M.COLUMNS = {
  { name = "id", type = "string", help = "row id, unique in the fleet (e.g. h20-2024)" },
  { name = "holder", type = "string", required = true, help = "who holds, buys or makes the chips" },
  { name = "country", type = "string", help = "country of the holder (ISO code), blank if not one" },
  { name = "chip", type = "string", required = true,
    help = "database chip (id, name or alias); a mix 'A800*0.5+H800*0.5' (shares sum to 1); or " ..
      "'h100e:BASIS' for an aggregate already in H100-equivalents" },
  { name = "units", type = "integer", min = 0, max = M.MAX_UNITS, thousands = true, help = "an exact count" },
  { name = "units_low", type = "integer", min = 0, max = M.MAX_UNITS, thousands = true, help = "low end of the range" },
  { name = "units_central", type = "integer", min = 0, max = M.MAX_UNITS, thousands = true, help = "central estimate" },
  { name = "units_high", type = "integer", min = 0, max = M.MAX_UNITS, thousands = true, help = "high end of the range" },
  { name = "interval", type = "enum", values = M.INTERVALS, default = "p90",
    help = "what low and high are: p90 = the 5th and 95th percentiles (p80, p95, p99 likewise), " ..
      "bounds = hard bounds (triangular), exact = a single figure" },
  { name = "period", type = "string", required = true,
    help = "YYYY, YYYY-H1, YYYY-Q1, YYYY-MM, YYYY-MM-DD, FROM..TO, or undated" },
  { name = "kind", type = "enum", values = M.KINDS, required = true,
    help = "shipment, production, stock, smuggled or order (orders are not counted in stocks)" },
  { name = "source", type = "string", required = true, help = "the publication the figure comes from" },
  { name = "provenance", type = "enum", values = M.PROVENANCE, required = true,
    help = "primary (the estimator's own publication), reported (press quoting it), derived (arithmetic " ..
      "on a source, shown in the note), user" },
  { name = "note", type = "string", help = "how the figure was obtained; assumptions" },
  { name = "retire_years", type = "number", min = 0, max = 50, help = "this row's retirement age, years" },
}

M.BY_NAME = {}
M.NAMES = {}
for i, c in ipairs(M.COLUMNS) do
  M.BY_NAME[c.name] = c
  M.NAMES[i] = c.name
end

--- The declaration as the reader (tpp.io.schema.new) takes it.
M.DECLARATION = { kind = "fleet", title = "fleet rows", wrapper = "fleet", columns = M.COLUMNS }

return M
