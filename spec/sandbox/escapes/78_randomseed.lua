-- attempt: math.randomseed in a rule file (finding: it changed the host's sequence)
-- expect: loads
version { id = "escape", title = "an escape attempt" }
math.randomseed(42)
local x = math.random(1, 100) + math.random()
paragraph { "p", test("tpp", ">=", 1) }
