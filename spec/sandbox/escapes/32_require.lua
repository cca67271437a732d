-- attempt: require of a C module
-- expect: 'require' is not available
version { id = "escape", title = "an escape attempt" }
require("os")
