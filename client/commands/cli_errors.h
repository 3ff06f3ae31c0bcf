// What `rectify` prints when its command line cannot be parsed: CLI11's English errors ("A
// subcommand is required", "The following arguments were not expected", ...) retold Chinese
// first, each with the nearest command or flag ("您是不是要输入 task list？") when the line holds
// a near miss, and the help to read.
//
// Thread safety: pure functions over a built (const) command tree.
#ifndef RECTIFY_CLIENT_COMMANDS_CLI_ERRORS_H_
#define RECTIFY_CLIENT_COMMANDS_CLI_ERRORS_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/string_view.h"
#include "services/common/labels.h"

namespace rectify::client {

// The whole text to print on stderr for a failed parse of `args` (argv without argv[0]) by
// `root`: "错误: ...\n" lines, Chinese with English after " / " (English only with Lang::kEn).
std::string DescribeParseError(const CLI::App& root, const CLI::ParseError& error,
                               const std::vector<std::string>& args, Lang lang);

// The language for messages printed before (or instead of) a successful parse: the last
// --lang on the line, else RECTIFY_LANG, else Chinese.
Lang LangBeforeParse(const std::vector<std::string>& args);

// Edit distance between two UTF-8 strings, counted in code points; swapping two neighbours
// counts as one edit (so "tsak" is one edit from "task").
int EditDistance(absl::string_view a, absl::string_view b);

// The candidate nearest to `typed` when it is near enough to be a typo; "" otherwise.
std::string Nearest(absl::string_view typed, const std::vector<std::string>& candidates);

// "中文 / English" -> the part for `lang` (the whole text when there is no " / ").
std::string PickLang(absl::string_view bilingual, Lang lang);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_CLI_ERRORS_H_
