-- attempt: Lua 5.0's unguarded gfind (finding: ("").gfind on 5.1)
-- expect: string.gfind is not available
version { id = "escape", title = "an escape attempt" }
for w in ("a b"):gfind("%a") do end
