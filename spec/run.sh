#!/bin/sh
# Runs every test suite, keeps going when one fails, and ends with the plain
# line "N passed, N failed" counting individual test cases (TAP lines).
# Suites: C unit tests, C unit tests under ASan+UBSan, busted specs under
# lua5.4, lua5.1, luajit (C API) and luajit (FFI).
out=build/test
mkdir -p "$out"
status=0

run_suite() { # name, command...
  name=$1; shift
  printf '== %s\n' "$name"
  "$@" > "$out/$name.tap" 2> "$out/$name.err"
  rc=$?
  p=$(grep -c '^ok ' "$out/$name.tap")
  f=$(grep -c '^not ok ' "$out/$name.tap")
  printf '   %s passed, %s failed\n' "$p" "$f"
  if [ "$f" -gt 0 ]; then
    grep -A12 '^not ok ' "$out/$name.tap" | head -80
  fi
  if [ "$rc" -ne 0 ] || [ "$f" -gt 0 ]; then
    status=1
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "   suite exited with status $rc:"; tail -20 "$out/$name.err"
      echo "not ok - suite $name exited with status $rc" >> "$out/$name.tap"
    fi
  fi
}

run_suite c ./build/test/c_tests
run_suite c-asan env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ./build/test/c_tests_asan
run_suite lua5.4 lua5.4 /usr/bin/busted -o TAP
run_suite lua5.1 lua5.1 /usr/bin/busted -o TAP
run_suite luajit luajit /usr/bin/busted -o TAP
run_suite luajit-ffi env TPP_BINDING=ffi luajit /usr/bin/busted -o TAP
for extra in spec/suites/*.sh; do
  [ -f "$extra" ] && . "$extra"
done

passed=$(cat "$out"/*.tap | grep -c '^ok ')
failed=$(cat "$out"/*.tap | grep -c '^not ok ')
echo "$passed passed, $failed failed"
exit $status
