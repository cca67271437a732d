/* test_sha256.c - SHA-256 against the FIPS 180-4 examples and padding edges. */
#include "tap.h"
#include "tpp.h"

#include <stdlib.h>
#include <string.h>

static void check_hex(const char *msg, size_t len, const char *want, const char *label) {
  char hex[65];
  tpp_sha256_hex(msg, len, hex);
  TAP_OK(strcmp(hex, want) == 0, "%s: %s", label, hex);
}

TAP_TEST(sha256_fips_examples) {
  check_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "empty");
  check_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc");
  check_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "448-bit message");
}

/* Lengths around the 55/56 and 64 byte padding boundaries, and a million 'a'. */
TAP_TEST(sha256_padding_edges) {
  static const struct { size_t n; const char *hex; } cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
      {1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"}};
  size_t i;
  char *buf = (char *)malloc(1000000);
  TAP_OK(buf != NULL, "allocate a million bytes");
  if (!buf) return;
  memset(buf, 'a', 1000000);
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char label[32];
    snprintf(label, sizeof label, "%zu x 'a'", cases[i].n);
    check_hex(buf, cases[i].n, cases[i].hex, label);
  }
  free(buf);
}
