-- attempt: extends quoting /etc/passwd in its error (finding)
-- expect: no absolute path
version { id = "escape", title = "t", extends = "/etc/passwd" }
paragraph { "p", test("tpp", ">=", 1) }
