-- attempt: writing through _G
-- expect: '_G' is not available
version { id = "escape", title = "an escape attempt" }
_G.os = 1
