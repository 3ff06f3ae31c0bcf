// The one reader of dates people type, on the command line and in the drafts spreadsheet alike:
// 2026-12-31, 2026/12/31 (what Excel and WPS save after showing a date), 2026.12.31 and
// 2026年12月31日, with or without leading zeros in month and day.
//
// Thread safety: pure function.
#ifndef RECTIFY_CLIENT_COMMANDS_DATES_H_
#define RECTIFY_CLIENT_COMMANDS_DATES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace rectify::client {

// Sets *out to the real civil date `text` names, as "YYYY-MM-DD" (the form the API takes);
// false when `text` is not one of the forms above or names no real day (2月30日).
bool ParseUserDate(absl::string_view text, std::string* out);

// What the forms are, for error messages: "2026-12-31、2026/12/31 或 2026年12月31日".
inline constexpr char kDateFormsZh[] = "2026-12-31、2026/12/31 或 2026年12月31日";
inline constexpr char kDateFormsEn[] = "2026-12-31, 2026/12/31 or 2026年12月31日";

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_DATES_H_
