-- attempt: a coroutine (its own hook and stack)
-- expect: 'coroutine' is not available
version { id = "escape", title = "an escape attempt" }
coroutine.wrap(function() while true do end end)()
