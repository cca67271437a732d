-- attempt: a computed threshold that never returns
-- expect: rule code stopped after
-- phase: compute
version { id = "escape", title = "an escape attempt" }
threshold { "t", provenance = "derived", compute = function(ctx) while true do end end }
paragraph { "p", test("tpp", ">=", "t") }
