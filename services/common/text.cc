#include "services/common/text.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace rectify {
namespace {

// Decodes one code point at s[i]; advances i. Returns false on malformed input.
bool Decode(absl::string_view s, size_t& i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len;
  char32_t min;
  if (b0 < 0x80) {
    cp = b0;
    ++i;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return false;
  }
  if (i + len > s.size()) return false;
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += len;
  return true;
}

bool InRange(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

}  // namespace

bool IsValidUtf8(absl::string_view s) { return FirstInvalidUtf8(s) == absl::string_view::npos; }

size_t FirstInvalidUtf8(absl::string_view s) {
  size_t i = 0;
  char32_t cp;
  while (i < s.size()) {
    if (!Decode(s, i, cp)) return i;  // Decode leaves i at the offending byte
  }
  return absl::string_view::npos;
}

size_t CharCount(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

int CodePointWidth(char32_t cp) {
  if (cp == 0) return 0;
  // Combining marks and zero-width characters (incl. ZWJ, bidi marks, variation selectors).
  if (InRange(cp, 0x0300, 0x036F) || InRange(cp, 0x200B, 0x200F) || InRange(cp, 0x202A, 0x202E) ||
      InRange(cp, 0x2060, 0x2064) || InRange(cp, 0xFE00, 0xFE0F) || cp == 0xFEFF) {
    return 0;
  }
  // East Asian Wide and Fullwidth ranges (Unicode EastAsianWidth W/F), plus emoji.
  if (InRange(cp, 0x1100, 0x115F) || InRange(cp, 0x2E80, 0x303E) || InRange(cp, 0x3041, 0x33FF) ||
      InRange(cp, 0x3400, 0x4DBF) || InRange(cp, 0x4E00, 0x9FFF) || InRange(cp, 0xA000, 0xA4CF) ||
      InRange(cp, 0xAC00, 0xD7A3) || InRange(cp, 0xF900, 0xFAFF) || InRange(cp, 0xFE30, 0xFE4F) ||
      InRange(cp, 0xFF00, 0xFF60) || InRange(cp, 0xFFE0, 0xFFE6) || InRange(cp, 0x1F300, 0x1F64F) ||
      InRange(cp, 0x1F900, 0x1F9FF) || InRange(cp, 0x20000, 0x3FFFD)) {
    return 2;
  }
  return 1;
}

int DisplayWidth(absl::string_view s) {
  int width = 0;
  size_t i = 0;
  char32_t cp;
  while (i < s.size()) {
    if (!Decode(s, i, cp)) {
      ++i;  // a stray byte shows as one replacement column
      ++width;
      continue;
    }
    width += CodePointWidth(cp);
  }
  return width;
}

std::string PadRight(absl::string_view s, int width) {
  std::string out(s);
  int w = DisplayWidth(s);
  if (w < width) out.append(static_cast<size_t>(width - w), ' ');
  return out;
}

std::string TruncateToWidth(absl::string_view s, int width) {
  if (DisplayWidth(s) <= width) return std::string(s);
  if (width <= 0) return "";
  std::string out;
  int used = 0;
  size_t i = 0;
  char32_t cp;
  while (i < s.size()) {
    size_t start = i;
    if (!Decode(s, i, cp)) {
      i = start + 1;
      continue;
    }
    int w = CodePointWidth(cp);
    if (used + w > width - 1) break;  // keep one column for the ellipsis
    out.append(s.data() + start, i - start);
    used += w;
  }
  return out + "…";
}

absl::Status CheckText(absl::string_view field, absl::string_view value, size_t min_chars,
                       size_t max_chars, bool multiline) {
  if (!IsValidUtf8(value)) {
    return InvalidField(field, "不是有效的 UTF-8 文本", "is not valid UTF-8");
  }
  for (unsigned char c : value) {
    bool allowed_ws = multiline && (c == '\n' || c == '\t' || c == '\r');
    if ((c < 0x20 && !allowed_ws) || c == 0x7F) {
      return InvalidField(field, "含有不允许的控制字符", "contains a control character");
    }
  }
  // Blank text counts as empty.
  bool blank = true;
  for (unsigned char c : value) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
      blank = false;
      break;
    }
  }
  if (blank && min_chars > 0) {
    return InvalidField(field, "不能为空", "must not be empty");
  }
  size_t n = CharCount(value);
  if (n < min_chars) {
    return InvalidField(field, absl::StrCat("至少需要 ", min_chars, " 个字"),
                        absl::StrCat("needs at least ", min_chars, " characters"));
  }
  if (n > max_chars) {
    return InvalidField(field, absl::StrCat("不能超过 ", max_chars, " 个字（现有 ", n, " 个）"),
                        absl::StrCat("must be at most ", max_chars, " characters (got ", n, ")"));
  }
  return absl::OkStatus();
}

}  // namespace rectify
