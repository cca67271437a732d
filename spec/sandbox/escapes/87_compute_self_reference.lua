-- attempt: a computed threshold that asks for itself
-- expect: depends on itself
-- phase: compute
version { id = "escape", title = "an escape attempt" }
threshold { "t", provenance = "derived", compute = function(ctx) return ctx.value("t") end }
paragraph { "p", test("tpp", ">=", "t") }
