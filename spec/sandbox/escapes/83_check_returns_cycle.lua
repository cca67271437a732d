-- attempt: a check() that returns a cyclic table
-- expect: nested more than
-- phase: check
version { id = "escape", title = "an escape attempt" }
paragraph { "p", check("cycle", function(chip) local t = {} t[1] = t return t end, "cycle") }
