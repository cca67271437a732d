-- attempt: string.format with a 99999-wide field
-- expect: invalid conversion | invalid format | invalid option
version { id = "escape", title = "an escape attempt" }
local s = string.format("%99999d", 1)
