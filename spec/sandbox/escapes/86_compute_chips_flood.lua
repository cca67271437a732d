-- attempt: a computed threshold calling ctx.chips() a million times
-- expect: rule code stopped after
-- phase: compute
version { id = "escape", title = "an escape attempt" }
threshold { "t", provenance = "derived", compute = function(ctx)
  for i = 1, 1e6 do ctx.chips() end
  return 1
end }
paragraph { "p", test("tpp", ">=", "t") }
