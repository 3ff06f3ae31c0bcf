// The `rectify` command line: global options, the command tree, and running a command.
#ifndef RECTIFY_CLIENT_COMMANDS_ROOT_H_
#define RECTIFY_CLIENT_COMMANDS_ROOT_H_

#include <memory>
#include <ostream>

#include "CLI/CLI.hpp"
#include "client/commands/commands.h"
#include "client/commands/session.h"

namespace rectify::client {

// The whole command tree. Parsing fills `*options` and stores the chosen verb in `*action`.
// Defaults come from the environment: RECTIFY_SERVER, RECTIFY_LANG, RECTIFY_TOKEN.
std::unique_ptr<CLI::App> BuildCli(GlobalOptions* options, Action* action);

// Parses `argv` and runs the command; returns the exit code (see client/rpc/exit_codes.h).
// Results go to `out`, errors and warnings to `err`.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_ROOT_H_
