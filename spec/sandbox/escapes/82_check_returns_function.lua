-- attempt: a check() that returns a function
-- expect: must return true, false or nil
-- phase: check
version { id = "escape", title = "an escape attempt" }
paragraph { "p", check("fn", function(chip) return function() end end, "fn") }
