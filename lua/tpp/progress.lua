--- tpp.progress: a one-line progress indicator on stderr, shown only when
-- stderr is a terminal (so pipes and CI logs stay clean).
local core = require "tpp.backend"

local M = {}

local enabled = core.isatty(2) and os.getenv("TPP_NO_PROGRESS") == nil

function M.enabled() return enabled end

--- Report progress: label, done, total (numbers) or a fraction in [0, 1].
function M.update(label, done, total)
  if not enabled then return end
  local frac = total and (total > 0 and done / total or 1) or done
  io.stderr:write(("\r%-40s %3d%%"):format(label, math.floor(frac * 100 + 0.5)))
  io.stderr:flush()
end

--- Clear the line after the last update.
function M.done()
  if not enabled then return end
  io.stderr:write("\r" .. (" "):rep(48) .. "\r")
  io.stderr:flush()
end

return M
