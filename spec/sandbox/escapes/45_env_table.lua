-- attempt: the environment through _ENV (5.4) or a global named _ENV (5.1)
-- expect: 'os' is not available | '_ENV' is not defined
version { id = "escape", title = "an escape attempt" }
local e = _ENV
local x = e.os
