# Sourced by spec/run.sh: every libFuzzer target (spec/fuzz/fuzz_*.c, see
# spec/fuzz/Makefile.inc) for FUZZ_TIME seconds each (default 3 here), one
# TAP line per target; a TAP "# skip" when clang or its libFuzzer runtime is
# missing (Debian: clang libclang-rt-14-dev).
fuzz_tap() {
  probe=$(mktemp -d)
  printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    > "$probe/p.c"
  if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1 ||
     ! "${FUZZ_CC:-clang}" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    echo "ok 1 # skip clang with libFuzzer is not installed (Debian: clang libclang-rt-14-dev)"
    rm -rf "$probe"
    return 0
  fi
  rm -rf "$probe"
  make --no-print-directory -s fuzz FUZZ_TIME="${FUZZ_TIME:-3}" 2>"$out/fuzz.log"
}
run_suite fuzz fuzz_tap
