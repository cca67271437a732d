# Lint as a test: luacheck over Lua, cppcheck over C (make lint).
lint_tap() {
  if make -s lint >"$out/lint.log" 2>&1; then echo "ok 1 - make lint (luacheck, cppcheck) is clean"
  else echo "not ok 1 - make lint (luacheck, cppcheck) is clean"; sed 's/^/# /' "$out/lint.log" | tail -40; fi
}
run_suite lint lint_tap
