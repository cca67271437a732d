-- attempt: extends reading /dev/zero until memory runs out (finding)
-- expect: no absolute path
version { id = "escape", title = "t", extends = "/dev/zero" }
paragraph { "p", test("tpp", ">=", 1) }
