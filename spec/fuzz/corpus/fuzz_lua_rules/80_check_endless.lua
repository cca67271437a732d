-- attempt: a check() that never returns
-- expect: rule code stopped after
-- phase: check
version { id = "escape", title = "an escape attempt" }
paragraph { "p", check("forever", function(chip) while true do end end, "never") }
