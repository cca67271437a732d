-- attempt: extends naming a FIFO beside the file
-- expect: FIFO
version { id = "escape", title = "t", extends = "fifo.lua" }
paragraph { "p", test("tpp", ">=", 1) }
