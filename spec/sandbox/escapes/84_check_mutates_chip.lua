-- attempt: a check() that changes the chip it is given
-- expect: loads
-- phase: check
version { id = "escape", title = "an escape attempt" }
paragraph { "p", check("mut", function(chip) chip.name = "changed"; chip.metrics.tpp = 0; return true end, "mut") }
