-- attempt: an error object whose __tostring loops
-- expect: 'setmetatable' is not available
version { id = "escape", title = "an escape attempt" }
error(setmetatable({}, { __tostring = function() while true do end end }))
