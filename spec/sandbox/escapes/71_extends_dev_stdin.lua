-- attempt: extends blocking on /dev/stdin (finding)
-- expect: no absolute path
version { id = "escape", title = "t", extends = "/dev/stdin" }
paragraph { "p", test("tpp", ">=", 1) }
