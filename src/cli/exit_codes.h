// cytoskel's exit codes, the AWS CLI's where it defines one.
#ifndef CYTOSKEL_CLI_EXIT_CODES_H_
#define CYTOSKEL_CLI_EXIT_CODES_H_

namespace cytoskel {

enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 3,       // audit found something / status found drift
  kExitInterrupted = 130,  // SIGINT or SIGTERM
  kExitUsage = 252,        // bad command line or input value
  kExitConfig = 253,       // bad configuration or credentials
  kExitService = 254,      // AWS answered with an error
  kExitOther = 255,        // network, malformed reply, anything else
};

}  // namespace cytoskel

#endif  // CYTOSKEL_CLI_EXIT_CODES_H_
