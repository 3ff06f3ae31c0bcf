#include "services/importer/review_defaults.h"

#include <cstddef>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "services/common/text.h"

namespace rectify {
namespace {

constexpr size_t kMaxTitleChars = 200;
// Lines looked at for the kind when the document has no recognised section.
constexpr int kOpeningLines = 10;

// The first `max_chars` code points of valid UTF-8 `s`.
std::string CutChars(absl::string_view s, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool lead = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (lead && chars++ == max_chars) return std::string(s.substr(0, i));
  }
  return std::string(s);
}

// "reports/branch-self-review-2021.txt" -> "branch-self-review-2021".
std::string FileStem(absl::string_view file_name) {
  const size_t slash = file_name.find_last_of("/\\");
  if (slash != absl::string_view::npos) file_name.remove_prefix(slash + 1);
  const size_t dot = file_name.rfind('.');
  if (dot != absl::string_view::npos && dot > 0) file_name = file_name.substr(0, dot);
  return std::string(absl::StripAsciiWhitespace(file_name));
}

}  // namespace

std::string DefaultReviewTitle(const ReviewDraft& draft, absl::string_view file_name) {
  if (!draft.title.empty()) return CutChars(draft.title, kMaxTitleChars);
  const std::string stem = FileStem(file_name);
  if (!stem.empty() && CheckText("title", stem, 1, kMaxTitleChars * 4, false).ok()) {
    return CutChars(stem, kMaxTitleChars);
  }
  return "导入的检视材料";
}

ReviewKind GuessReviewKind(const ReviewDraft& draft, absl::string_view document) {
  const int last_line = draft.sections.empty() ? kOpeningLines : draft.sections[0].where.line - 1;
  std::string opening = draft.title;
  int line = 0;
  for (absl::string_view text : absl::StrSplit(document, '\n')) {
    if (++line > last_line) break;
    opening.append(text.data(), text.size());
    opening.push_back('\n');
  }
  struct Named {
    const char* word;
    ReviewKind kind;
  };
  static constexpr Named kNames[] = {
      {"民主生活会", ReviewKind::kDemocraticLifeMeeting},
      {"组织生活会", ReviewKind::kOrgLifeMeeting},
      {"巡视", ReviewKind::kInspection},
      {"巡察", ReviewKind::kInspection},
      {"审计", ReviewKind::kAudit},
      {"专项检查", ReviewKind::kSpecialCheck},
  };
  ReviewKind best = ReviewKind::kOther;
  size_t best_at = std::string::npos;
  for (const Named& n : kNames) {
    const size_t at = opening.find(n.word);
    if (at != std::string::npos && (best_at == std::string::npos || at < best_at)) {
      best = n.kind;
      best_at = at;
    }
  }
  return best;
}

}  // namespace rectify
