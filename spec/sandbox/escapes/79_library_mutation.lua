-- attempt: rewriting string, table and math in a rule file
-- expect: loads
version { id = "escape", title = "an escape attempt" }
string.find = nil
string.rep = function() end
table.sort = nil
math.floor = nil
rawset(string, "format", 1)
paragraph { "p", test("tpp", ">=", 1) }
