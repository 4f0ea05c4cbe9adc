#include "aws/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <zlib.h>

#include <climits>
#include <cstddef>
#include <cstdint>

#include "aws/error.h"

namespace cytoskel {
namespace {

// OpenSSL wants a valid pointer even for zero bytes; string_view may hold
// nullptr when empty.
const unsigned char* Bytes(std::string_view data) {
  static const unsigned char kEmpty = 0;
  if (data.empty()) return &kEmpty;
  return reinterpret_cast<const unsigned char*>(data.data());
}

std::string DigestRaw(const EVP_MD* md, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(Bytes(data), data.size(), digest, &digest_size, md, nullptr) !=
      1) {
    throw Error(ErrorKind::kInternal, "OpenSSL digest failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), digest_size);
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  return HexEncode(DigestRaw(EVP_sha256(), data));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  if (key.size() > static_cast<std::size_t>(INT_MAX)) {
    throw Error(ErrorKind::kInternal, "HMAC key too long");
  }

  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha256(), Bytes(key), static_cast<int>(key.size()), Bytes(data),
           data.size(), mac, &mac_size) == nullptr) {
    throw Error(ErrorKind::kInternal, "OpenSSL HMAC failed");
  }

  std::string result(reinterpret_cast<const char*>(mac), mac_size);
  OPENSSL_cleanse(mac, sizeof(mac));
  return result;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::string Base64Encode(std::string_view bytes) {
  // EVP_EncodeBlock takes an int length, so feed it in chunks. Every chunk
  // but the last is a whole number of 3-byte groups and so needs no padding.
  // Each call also writes a NUL after its output: that lands on the next
  // chunk's first byte or on the string's own terminator.
  constexpr std::size_t kChunk = 3 * 1024 * 1024;
  std::string encoded((bytes.size() + 2) / 3 * 4, '\0');
  auto* out = reinterpret_cast<unsigned char*>(encoded.data());
  for (std::size_t pos = 0; pos < bytes.size(); pos += kChunk) {
    const std::string_view chunk = bytes.substr(pos, kChunk);
    const int written =
        EVP_EncodeBlock(out, Bytes(chunk), static_cast<int>(chunk.size()));
    out += written;
  }
  return encoded;
}

std::string Crc32Base64(std::string_view data) {
  const uLong crc = crc32_z(0L, Bytes(data), data.size());
  const std::uint32_t value = static_cast<std::uint32_t>(crc);
  const char big_endian[4] = {
      static_cast<char>((value >> 24) & 0xff),
      static_cast<char>((value >> 16) & 0xff),
      static_cast<char>((value >> 8) & 0xff),
      static_cast<char>(value & 0xff),
  };
  return Base64Encode(std::string_view(big_endian, sizeof(big_endian)));
}

std::string Md5Base64(std::string_view data) {
  return Base64Encode(DigestRaw(EVP_md5(), data));
}

}  // namespace cytoskel
