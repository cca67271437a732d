--- tpp version
local core = require "tpp.backend"
return {
  summary = "print the version, interpreter and binding",
  usage = "tpp version [--json]",
  max_args = 0,
  run = function()
    local d = { version = core._VERSION, interpreter = rawget(_G, "jit") and jit.version or _VERSION,
                binding = core.binding, threads = core.threads() }
    return d, ("tpp %s (%s, %s binding, %d threads)\n"):format(d.version, d.interpreter, d.binding, d.threads)
  end,
}
