-- attempt: os.execute
-- expect: 'os' is not available in a rule file
version { id = "escape", title = "an escape attempt" }
os.execute("touch /tmp/tpp-escaped")
