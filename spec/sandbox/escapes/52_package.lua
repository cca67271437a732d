-- attempt: package.loaded
-- expect: 'package' is not available
version { id = "escape", title = "an escape attempt" }
local x = package.loaded
