-- attempt: a host function kept past its call and called later
-- expect: can only be called during that call
-- phase: compute
version { id = "escape", title = "an escape attempt" }
local saved
threshold { "t", provenance = "derived", compute = function(ctx) saved = ctx.chips; return 1 end }
paragraph { "p", test("tpp", ">=", "t"), check("later", function(chip) return #saved() > 0 end, "later") }
