// Shell completion scripts and the man page, generated from the same
// command tree as dispatch and --help, so they can never disagree.
#ifndef CYTOSKEL_CLI_REFERENCE_DOCS_H_
#define CYTOSKEL_CLI_REFERENCE_DOCS_H_

#include <string>

namespace cytoskel {

// A completion script for `shell` ("bash", "zsh" or "fish"). Throws a
// usage Error for any other shell.
std::string CompletionScript(const std::string& shell);

// The man page, in roff (man(7)) format.
std::string ManPage();

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_REFERENCE_DOCS_H_
