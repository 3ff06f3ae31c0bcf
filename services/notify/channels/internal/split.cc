#include "services/notify/channels/internal/split.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/notify/channels/internal/encoding.h"

namespace rectify::notify::internal {
namespace {

// The longest prefix of `line` (at a character boundary) that still fits after `part`'s
// lines; 0 when not even one character does.
size_t LongestFittingPrefix(std::vector<std::string> part, absl::string_view line,
                            const PartFits& fits) {
  part.emplace_back();
  // Binary search on a byte budget: the prefix cut to a character boundary within it fits for
  // small budgets and stops fitting from some budget on.
  size_t lo = 0;
  size_t hi = line.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo + 1) / 2;
    part.back() = std::string(line.substr(0, Utf8PrefixLength(line, mid)));
    if (fits(part, true)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return Utf8PrefixLength(line, lo);
}

// The byte length of the first character of `s` (at least 1).
size_t FirstCharLength(absl::string_view s) {
  size_t n = 1;
  while (n < s.size() && Utf8PrefixLength(s, n) == 0) ++n;
  return n;
}

}  // namespace

std::vector<std::vector<std::string>> SplitLines(const std::vector<std::string>& lines,
                                                 const PartFits& fits) {
  if (fits(lines, false)) return {lines};
  std::vector<std::vector<std::string>> parts;
  std::vector<std::string> current;
  for (const std::string& whole : lines) {
    absl::string_view rest = whole;
    bool placed = false;
    while (!placed) {
      current.emplace_back(rest);
      if (fits(current, true)) {
        placed = true;
        break;
      }
      current.pop_back();
      if (!current.empty()) {
        // The line may fit a part of its own: start one.
        parts.push_back(std::move(current));
        current.clear();
        continue;
      }
      // Too long for any part: cut it. A part that cannot take even one character (only when
      // the title alone is over the limit) still gets one, so that splitting ends.
      size_t cut = LongestFittingPrefix(current, rest, fits);
      if (cut == 0) cut = FirstCharLength(rest);
      parts.push_back({std::string(rest.substr(0, cut))});
      rest.remove_prefix(cut);
      if (rest.empty()) placed = true;
    }
  }
  if (!current.empty()) parts.push_back(std::move(current));
  if (parts.empty()) parts.emplace_back();
  return parts;
}

std::string PartSuffix(size_t k, size_t n) {
  if (n <= 1) return "";
  return absl::StrCat(" (", k, "/", n, ")");
}

}  // namespace rectify::notify::internal
