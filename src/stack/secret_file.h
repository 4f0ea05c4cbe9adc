// Files that hold secrets (access keys, cached credentials, onboarding
// bundles): mode 0600 from the first byte, replaced atomically, never
// written through a symbolic link.
#ifndef CYTOSKEL_STACK_SECRET_FILE_H_
#define CYTOSKEL_STACK_SECRET_FILE_H_

#include <string>
#include <string_view>

namespace cytoskel {

// Throws a usage Error when `path` cannot take a secret file: it is empty,
// a symbolic link, or exists but is not a regular file, or its directory is
// missing or not writable. Lets a command refuse a bad path before it
// changes anything in AWS.
void CheckSecretFilePath(const std::string& path);

// Writes `content` to `path` with mode 0600: into a new temporary file in
// the same directory (created exclusively, mode 0600), flushed to disk, then
// renamed over `path`, so a reader sees the old file or the new one, never
// a part. An existing file is replaced, so it never keeps a wider mode.
// Throws a usage Error for a path CheckSecretFilePath refuses, and an
// internal Error naming the path and the system's reason when the write
// fails (the temporary file is removed). `content` never appears in an
// Error.
void WriteSecretFile(const std::string& path, std::string_view content);

}  // namespace cytoskel

#endif  // CYTOSKEL_STACK_SECRET_FILE_H_
