# Sourced by spec/run.sh: every libFuzzer target (spec/fuzz/fuzz_*.c) for a
# few seconds each (FUZZ_TIME, default 3), one TAP line per target. Skipped
# when clang's libFuzzer is not installed (Debian: clang libclang-rt-14-dev).
if command -v clang >/dev/null 2>&1 &&
   ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
  run_suite fuzz make --no-print-directory -s fuzz FUZZ_TIME="${FUZZ_TIME:-3}"
else
  printf '== fuzz\n   skipped: clang with libFuzzer is not installed\n'
fi
