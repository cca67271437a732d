# A short libFuzzer run of the checkpoint and tokenizer readers (make fuzz,
# spec/fuzz/Makefile.inc), skipped with a TAP "# skip" when clang or its
# libFuzzer runtime is missing. FUZZ_TIME seconds (default 10 here).
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
  if make -s fuzz FUZZ_TIME="${FUZZ_TIME:-10}" >"$out/fuzz.log" 2>&1 &&
     grep -q "^Done [0-9]* runs" "$out/fuzz.log"; then
    echo "ok 1 - fuzz the checkpoint and tokenizer readers: $(grep '^Done' "$out/fuzz.log")"
  else
    echo "not ok 1 - fuzz the checkpoint and tokenizer readers"
    sed 's/^/# /' "$out/fuzz.log" | tail -30
  fi
}
run_suite fuzz fuzz_tap
