// Checks of command-line values made before anything is sent, as CLI11 validators: a failure is
// a usage error (exit code 2) whose message ("中文 / English") names what is expected. They
// replace CLI11's own (PositiveNumber, Range, IsMember), whose English messages print the whole
// range of a double ("not in range 0 to 1.797e308") for a unit name typed where an id goes.
#ifndef RECTIFY_CLIENT_COMMANDS_VALIDATORS_H_
#define RECTIFY_CLIENT_COMMANDS_VALIDATORS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "rectify/v1/common.pb.h"

namespace rectify::client {

// A date in one of the forms ParseUserDate() reads (2026-12-31, 2026/12/31, 2026年12月31日),
// rewritten to "YYYY-MM-DD". Use with Option::transform() so that the rewrite is kept.
CLI::Validator DateValidator();

// Well-formed UTF-8 (a terminal in a legacy encoding such as GBK would otherwise send bytes the
// server cannot read).
CLI::Validator Utf8Validator();

// A task status as ParseTaskStatus() reads it: OPEN, open, in-progress, IN_PROGRESS, 待整改 ...
CLI::Validator TaskStatusValidator();

// An id: a whole number from 1. `what_zh`/`what_en` name the thing ("任务编号"/"a task id").
CLI::Validator IdValidator(const std::string& what_zh = "编号",
                           const std::string& what_en = "an id");

// No upper bound for WholeNumberValidator().
inline constexpr int64_t kNoLimit = 999999999999999999;

// A whole number from `min` to `max`.
CLI::Validator WholeNumberValidator(int64_t min, int64_t max);

// A positive number (seconds, may have a fraction).
CLI::Validator PositiveSecondsValidator();

// One of `choices`; a near miss is answered with the nearest ("您是不是要输入 org-life？").
CLI::Validator ChoiceValidator(std::vector<std::string> choices);

// The --kind values of `review create` and the review kinds they stand for.
const std::map<std::string, rectify::v1::ReviewKind>& ReviewKindFlags();

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_VALIDATORS_H_
