#include "services/common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace rectify {

std::string EncodePageToken(absl::string_view kind, const std::vector<std::string>& parts) {
  std::string raw = absl::StrCat(kind, "\n", absl::StrJoin(parts, "\n"));
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view kind,
                                                         absl::string_view token, size_t count) {
  if (token.empty()) return std::vector<std::string>{};
  auto bad = [] {
    return InvalidField("page_token", "分页标记无效，请从第一页重新查询",
                        "invalid page token; start again from the first page");
  };
  std::string raw;
  if (token.size() > 1024 || !absl::WebSafeBase64Unescape(token, &raw)) return bad();
  std::vector<std::string> parts = absl::StrSplit(raw, '\n');
  if (parts.size() != count + 1 || parts[0] != kind) return bad();
  parts.erase(parts.begin());
  return parts;
}

}  // namespace rectify
