-- attempt: a __gc finalizer that loops
-- expect: 'setmetatable' is not available
version { id = "escape", title = "an escape attempt" }
setmetatable({}, { __gc = function() while true do end end })
