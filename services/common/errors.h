// Errors that a branch secretary can read: Chinese first, English after " / ".
//
// Every message names the field or the state it is about. Example:
//   return InvalidField("percent", "进度须在 0 到 100 之间", "must be between 0 and 100");
//   -> INVALID_ARGUMENT "percent: 进度须在 0 到 100 之间 / percent: must be between 0 and 100"
#ifndef RECTIFY_SERVICES_COMMON_ERRORS_H_
#define RECTIFY_SERVICES_COMMON_ERRORS_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace rectify {

// "zh / en".
inline std::string Bilingual(absl::string_view zh, absl::string_view en) {
  return absl::StrCat(zh, " / ", en);
}

inline absl::Status InvalidField(absl::string_view field, absl::string_view zh,
                                 absl::string_view en) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", zh, " / ", field, ": ", en));
}

inline absl::Status NotFound(absl::string_view what_zh, absl::string_view what_en, int64_t id) {
  return absl::NotFoundError(
      absl::StrCat(what_zh, " ", id, " 不存在 / ", what_en, " ", id, " not found"));
}

}  // namespace rectify

#endif  // RECTIFY_SERVICES_COMMON_ERRORS_H_
