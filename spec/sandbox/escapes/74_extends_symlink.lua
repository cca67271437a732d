-- attempt: extends naming a symbolic link to /etc/passwd beside the file
-- expect: symbolic link
version { id = "escape", title = "t", extends = "link.lua" }
paragraph { "p", test("tpp", ">=", 1) }
