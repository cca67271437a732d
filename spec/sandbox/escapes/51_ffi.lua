-- attempt: the FFI
-- expect: 'ffi' is not available
version { id = "escape", title = "an escape attempt" }
ffi.cdef("int x;")
