// Known-answer tests for aws/crypto.h. Expected values come from the cited
// standards, or were computed with Python's hashlib, hmac, zlib and base64.
#include "aws/crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace cytoskel {
namespace {

struct DigestCase {
  std::string name;
  std::string input;
  std::string expected;
};

TEST(CryptoTest, Sha256Hex) {
  const DigestCase cases[] = {
      {"empty", "",
       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      // FIPS 180-2 appendix B.1.
      {"abc", "abc",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      // FIPS 180-2 appendix B.3: one million 'a'.
      {"million_a", std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
      {"sigv4_form_body", "Param1=value1",
       "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"},
  };
  for (const DigestCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Sha256Hex(c.input), c.expected);
  }
}

TEST(CryptoTest, HmacSha256Rfc4231) {
  struct HmacCase {
    std::string name;
    std::string key;
    std::string data;
    std::string expected_hex;
  };
  const HmacCase cases[] = {
      {"rfc4231_case1", std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"rfc4231_case2", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      // A key longer than the block size is hashed first.
      {"rfc4231_case6", std::string(131, '\xaa'),
       "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
  };
  for (const HmacCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string mac = HmacSha256(c.key, c.data);
    EXPECT_EQ(mac.size(), 32u);
    EXPECT_EQ(HexEncode(mac), c.expected_hex);
  }
}

TEST(CryptoTest, HexEncode) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\x7f\x80\xff", 5)), "00017f80ff");
  EXPECT_EQ(HexEncode("AZ"), "415a");
}

TEST(CryptoTest, Base64EncodeRfc4648) {
  const DigestCase cases[] = {
      {"empty", "", ""},
      {"f", "f", "Zg=="},
      {"fo", "fo", "Zm8="},
      {"foo", "foo", "Zm9v"},
      {"foob", "foob", "Zm9vYg=="},
      {"fooba", "fooba", "Zm9vYmE="},
      {"foobar", "foobar", "Zm9vYmFy"},
      {"binary", std::string("\x00\xff\x10", 3), "AP8Q"},
  };
  for (const DigestCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Base64Encode(c.input), c.expected);
  }
}

TEST(CryptoTest, Base64EncodeAcrossChunks) {
  // 5,120,000 bytes: more than one internal 3 MiB chunk, and not a multiple
  // of 3, so the last chunk is padded. Expected values from Python.
  std::string input;
  input.reserve(256 * 20000);
  for (int i = 0; i < 20000; ++i) {
    for (int b = 0; b < 256; ++b) input.push_back(static_cast<char>(b));
  }
  const std::string encoded = Base64Encode(input);
  EXPECT_EQ(encoded.size(), 6826668u);
  EXPECT_EQ(encoded.substr(encoded.size() - 8), "+/z9/v8=");
  EXPECT_EQ(Sha256Hex(encoded),
            "789109dbf5a614ebf242b061ac7e5465c13a3139917015ee936235182a2e81e6");
}

TEST(CryptoTest, Crc32Base64) {
  const DigestCase cases[] = {
      {"empty", "", "AAAAAA=="},
      {"hello", "hello", "NhCmhg=="},  // CRC-32 0x3610a686
      {"fox", "The quick brown fox jumps over the lazy dog", "QU+jOQ=="},
  };
  for (const DigestCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Crc32Base64(c.input), c.expected);
  }
}

TEST(CryptoTest, Md5Base64) {
  const DigestCase cases[] = {
      {"empty", "", "1B2M2Y8AsgTpgAmY7PhCfg=="},
      {"hello", "hello", "XUFAKrxLKna5cZ2REBfFkg=="},
      {"fox", "The quick brown fox jumps over the lazy dog",
       "nhB9nTcrtoJr2B01QqQZ1g=="},
  };
  for (const DigestCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Md5Base64(c.input), c.expected);
  }
}

}  // namespace
}  // namespace cytoskel
