// Exit codes of the rectify CLI: a contract with the scripts that call it.
//
//   0  ok
//   1  anything else (INTERNAL, UNKNOWN, ...)
//   2  usage error: the command line was wrong and nothing was sent (CLI11 parse errors, bad
//      dates, invalid UTF-8, unreadable evidence files)
//   3  INVALID_ARGUMENT     the server refused a field (the message names it)
//   4  NOT_FOUND
//   5  ALREADY_EXISTS
//   6  FAILED_PRECONDITION  the task's state does not allow the action
//   7  ABORTED              version conflict: re-read (task show) and retry
//   8  PERMISSION_DENIED or UNAUTHENTICATED
//   9  UNAVAILABLE or DEADLINE_EXCEEDED: the server is unreachable, busy or too slow
//  10  RESOURCE_EXHAUSTED   a limit was hit (e.g. evidence too large)
//
// The same table is printed in the footer of `rectify --help` (ExitCodeHelp()).
#ifndef RECTIFY_CLIENT_RPC_EXIT_CODES_H_
#define RECTIFY_CLIENT_RPC_EXIT_CODES_H_

#include <string>

#include "grpcpp/support/status.h"

namespace rectify::client {

enum ExitCode : int {
  kExitOk = 0,
  kExitOther = 1,
  kExitUsage = 2,
  kExitInvalidArgument = 3,
  kExitNotFound = 4,
  kExitAlreadyExists = 5,
  kExitFailedPrecondition = 6,
  kExitAborted = 7,
  kExitDenied = 8,
  kExitUnavailable = 9,
  kExitResourceExhausted = 10,
  // Not a gRPC status: `rectify audit verify` found the audit chain broken.
  kExitAuditBroken = 11,
};

// The exit code for a finished call.
int ExitCodeFor(grpc::StatusCode code);

// The table above, for the root command's --help footer.
std::string ExitCodeHelp();

// What to tell the user about a failed call to `server`: the server's own message ("中文 /
// English"), or, when the server could not be reached or did not answer within
// `timeout_seconds`, a plain sentence naming the address.
std::string DescribeCallError(const grpc::Status& status, const std::string& server,
                              double timeout_seconds);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RPC_EXIT_CODES_H_
