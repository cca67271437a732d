-- attempt: switching the JIT on
-- expect: 'jit' is not available
version { id = "escape", title = "an escape attempt" }
jit.on()
