// Checks of command-line values made before anything is sent, as CLI11 validators: a failure is
// a usage error (exit code 2) whose message names the option and says what is expected.
#ifndef RECTIFY_CLIENT_COMMANDS_VALIDATORS_H_
#define RECTIFY_CLIENT_COMMANDS_VALIDATORS_H_

#include <map>
#include <string>

#include "CLI/CLI.hpp"
#include "rectify/v1/common.pb.h"

namespace rectify::client {

// A real civil date "YYYY-MM-DD".
CLI::Validator DateValidator();

// Well-formed UTF-8 (a terminal in a legacy encoding such as GBK would otherwise send bytes the
// server cannot read).
CLI::Validator Utf8Validator();

// A task status as ParseTaskStatus() reads it: OPEN, open, in-progress, IN_PROGRESS, 待整改 ...
CLI::Validator TaskStatusValidator();

// The --kind values of `review create` and the review kinds they stand for.
const std::map<std::string, rectify::v1::ReviewKind>& ReviewKindFlags();

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_VALIDATORS_H_
