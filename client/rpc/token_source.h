// Where the client finds its API token, in this order:
//   1. the environment variable RECTIFY_TOKEN;
//   2. the file given with --token-file;
//   3. ~/.config/rectify/token, when it exists.
// Never from a command-line argument alone: arguments are visible to every user in `ps`.
// A token file must be readable by its owner only (chmod 600): one that its group or others may
// read is refused, naming the file and the fix.
//
// Thread safety: free functions; they read the environment and files.
#ifndef RECTIFY_CLIENT_RPC_TOKEN_SOURCE_H_
#define RECTIFY_CLIENT_RPC_TOKEN_SOURCE_H_

#include <string>

#include "absl/status/statusor.h"

namespace rectify::client {

inline constexpr char kTokenEnv[] = "RECTIFY_TOKEN";

// The default token file: $HOME/.config/rectify/token ("" without HOME).
std::string DefaultTokenFile();

// The first line of `path`, trimmed. FAILED_PRECONDITION when the file is group/other-readable,
// NOT_FOUND when it does not exist, INVALID_ARGUMENT when it is empty.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// The token by the order above; "" when there is none at all (the server then answers
// UNAUTHENTICATED with a hint).
absl::StatusOr<std::string> FindToken(const std::string& token_file_flag);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RPC_TOKEN_SOURCE_H_
