#include "services/importer/internal/utf8_scan.h"

#include <string>

namespace rectify {
namespace importer_internal {

absl::string_view TrimSpaces(absl::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    const CodePoint c = DecodeAt(s, begin);
    if (!IsSpace(c.cp)) break;
    begin += c.length;
  }
  size_t end = s.size();
  while (end > begin) {
    const CodePoint c = DecodeBefore(s, end);
    if (!IsSpace(c.cp)) break;
    end -= c.length;
  }
  return s.substr(begin, end - begin);
}

absl::string_view TrimTrailingPunctuation(absl::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    const CodePoint c = DecodeBefore(s, end);
    const bool closing = IsSpace(c.cp) || IsSentenceEnd(c.cp) || IsColon(c.cp) || IsComma(c.cp) ||
                         c.cp == '.' || c.cp == U'．' || c.cp == U'…';
    if (!closing) break;
    end -= c.length;
  }
  return s.substr(0, end);
}

size_t CountChars(absl::string_view s) {
  size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string TruncateChars(absl::string_view s, size_t max_chars) {
  size_t i = 0;
  size_t chars = 0;
  while (i < s.size() && chars < max_chars) {
    const CodePoint c = DecodeAt(s, i);
    i += c.length;
    ++chars;
  }
  std::string out(s.substr(0, i));
  if (i < s.size()) out += "…";
  return out;
}

}  // namespace importer_internal
}  // namespace rectify
