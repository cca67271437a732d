-- Headless Chromium for the specs (not a spec itself): load a local page, read
-- the DOM after scripts ran and every console message, take a screenshot or
-- print to PDF. Each run gets its own empty profile; the flags keep Chromium
-- off the network (the pages under test must not need it anyway).
local support = require "support"

local M = {}

local CANDIDATES = { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }

--- The browser's path, or nil.
function M.path()
  for _, p in ipairs(CANDIDATES) do
    local f = io.open(p, "rb")
    if f then f:close() return p end
  end
  return nil
end

local FLAGS = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run " ..
  "--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars " ..
  "--disable-default-apps --mute-audio"

local function sh(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end

local function run(args)
  local profile = support.tmpname("-chromium")
  assert(os.execute("mkdir -p " .. sh(profile)))
  local log = profile .. ".log"
  local cmd = ("%s %s --user-data-dir=%s --enable-logging=stderr --v=0 %s 2>%s"):format(
    M.path(), FLAGS, sh(profile), args, sh(log))
  local p = io.popen(cmd)
  local out = p:read("*a")
  p:close()
  local f = io.open(log, "rb")
  local err = f and f:read("*a") or ""
  if f then f:close() end
  os.execute("rm -rf " .. sh(profile) .. " " .. sh(log))
  local console = {}
  for line in err:gmatch("[^\n]+") do
    local msg = line:match(":CONSOLE[^%]]*%]%s*(.*)$")
    if msg then console[#console + 1] = msg end
  end
  return out, console
end

--- Load file path; returns the DOM as serialized after load, and the list of console messages.
function M.load(path, opts)
  opts = opts or {}
  return run(("--window-size=%d,%d --dump-dom %s"):format(opts.width or 1200, opts.height or 900,
    sh("file://" .. path)))
end

--- Screenshot of the top width x height of the page into png; returns the console messages.
function M.screenshot(path, png, width, height)
  local _, console = run(("--window-size=%d,%d --screenshot=%s %s"):format(width, height, sh(png),
    sh("file://" .. path)))
  return console
end

--- Print the page to a PDF file (A4 as the print stylesheet lays it out); returns the console messages.
function M.pdf(path, pdf)
  local _, console = run(("--no-pdf-header-footer --print-to-pdf=%s %s"):format(sh(pdf), sh("file://" .. path)))
  return console
end

return M
