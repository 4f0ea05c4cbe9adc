// Hashes, MACs and encodings that AWS requests need. Thin wrappers over
// OpenSSL and zlib so that no other file includes their headers.
//
// Every function takes arbitrary bytes (embedded NULs included) and returns
// bytes in a std::string. None keeps a copy of its input. A failure inside
// OpenSSL, which does not happen with the default provider, throws
// cytoskel::Error of kind kInternal.
#ifndef CYTOSKEL_AWS_CRYPTO_H_
#define CYTOSKEL_AWS_CRYPTO_H_

#include <string>
#include <string_view>

namespace cytoskel {

// Lowercase hex of the SHA-256 digest of `data`: always 64 characters.
std::string Sha256Hex(std::string_view data);

// The raw 32-byte HMAC-SHA256 of `data` under `key`. The result is key
// material when used for SigV4 key derivation: the caller wipes it.
std::string HmacSha256(std::string_view key, std::string_view data);

// Lowercase hex, two characters per byte.
std::string HexEncode(std::string_view bytes);

// Standard base64 (RFC 4648 alphabet, `=` padding, no line breaks).
std::string Base64Encode(std::string_view bytes);

// The value of the `x-amz-checksum-crc32` header: the CRC-32 (as zlib
// computes it) of `data`, as 4 big-endian bytes, base64 encoded.
std::string Crc32Base64(std::string_view data);

// The value of the `Content-MD5` header: the base64 of the raw MD5 digest.
std::string Md5Base64(std::string_view data);

}  // namespace cytoskel

#endif  // CYTOSKEL_AWS_CRYPTO_H_
