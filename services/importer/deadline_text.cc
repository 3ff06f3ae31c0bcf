#include "services/importer/deadline_text.h"

#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/importer/internal/utf8_scan.h"

namespace rectify {
namespace {

using importer_internal::CodePoint;
using importer_internal::DecodeAt;
using importer_internal::DigitValue;

// The text as tokens: numbers, and the characters between them.
struct Token {
  int number = -1;  // -1: a character, not a number
  char32_t cp = 0;
};

std::vector<Token> Tokens(absl::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < text.size()) {
    const CodePoint c = DecodeAt(text, i);
    i += c.length;
    const int d = DigitValue(c.cp);
    if (d >= 0) {
      if (!out.empty() && out.back().number >= 0 && out.back().number < 100000) {
        out.back().number = out.back().number * 10 + d;
      } else {
        out.push_back({d, 0});
      }
    } else if (!importer_internal::IsSpace(c.cp)) {
      out.push_back({-1, c.cp});
    }
  }
  return out;
}

bool ValidDay(int y, int m, int d) {
  if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  const absl::CivilDay day(y, m, d);
  return day.year() == y && day.month() == m && day.day() == d;
}

std::string Format(int y, int m, int d) { return absl::StrFormat("%04d-%02d-%02d", y, m, d); }

int LastDayOf(int y, int m) {
  const absl::CivilDay next = absl::CivilDay(absl::CivilMonth(y, m) + 1);
  return (next - 1).day();
}

bool IsEnd(char32_t cp) { return cp == U'底' || cp == U'末'; }

}  // namespace

std::string ReadDeadlineText(absl::string_view text) {
  const std::vector<Token> t = Tokens(text);
  auto ch = [&](size_t i, char32_t cp) { return i < t.size() && t[i].number < 0 && t[i].cp == cp; };
  auto num = [&](size_t i) { return i < t.size() ? t[i].number : -1; };
  if (num(0) < 0) return "";
  const int y = num(0);
  // 2026-12-31 2026/12/31 2026.12.31
  if (t.size() == 5 && num(2) >= 0 && num(4) >= 0 && t[1].number < 0 && t[3].number < 0 &&
      t[1].cp == t[3].cp && (t[1].cp == '-' || t[1].cp == '/' || t[1].cp == '.')) {
    return ValidDay(y, num(2), num(4)) ? Format(y, num(2), num(4)) : "";
  }
  if (!ch(1, U'年')) return "";
  // 2026年底 2026年末 2026年年底
  if ((t.size() == 3 && IsEnd(t[2].cp) && t[2].number < 0) ||
      (t.size() == 4 && ch(2, U'年') && IsEnd(t[3].cp) && t[3].number < 0)) {
    return ValidDay(y, 12, 31) ? Format(y, 12, 31) : "";
  }
  const int m = num(2);
  if (m < 0 || !ch(3, U'月')) return "";
  // 2026年12月底 2026年12月末
  if (t.size() == 5 && t[4].number < 0 && IsEnd(t[4].cp)) {
    return ValidDay(y, m, 1) ? Format(y, m, LastDayOf(y, m)) : "";
  }
  // 2026年12月31日 (日 or 号 optional)
  const int d = num(4);
  const bool closed = t.size() == 5 || (t.size() == 6 && (ch(5, U'日') || ch(5, U'号')));
  if (d >= 0 && closed && ValidDay(y, m, d)) return Format(y, m, d);
  return "";
}

}  // namespace rectify
