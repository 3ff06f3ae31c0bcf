// Internal to the importer: code-point scanning over text that is already known to be valid
// UTF-8 (ParseReviewDocument checks that first), and the character classes review reports use.
//
// The decoders still never read past the end of the view, so a caller's mistake degrades to odd
// output, not to a crash.
//
// Thread safety: pure functions.
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_UTF8_SCAN_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_UTF8_SCAN_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace rectify {
namespace importer_internal {

// One decoded code point and its length in bytes; length 0 at the end of the text.
struct CodePoint {
  char32_t cp = 0;
  int length = 0;
};

// The code point that starts at byte `i` of `s`.
inline CodePoint DecodeAt(absl::string_view s, size_t i) {
  if (i >= s.size()) return {};
  const auto b0 = static_cast<unsigned char>(s[i]);
  int length = 1;
  char32_t cp = b0;
  if (b0 >= 0xF0) {
    length = 4;
    cp = b0 & 0x07;
  } else if (b0 >= 0xE0) {
    length = 3;
    cp = b0 & 0x0F;
  } else if (b0 >= 0xC0) {
    length = 2;
    cp = b0 & 0x1F;
  } else {
    return {cp, 1};
  }
  if (i + length > s.size()) return {0xFFFD, static_cast<int>(s.size() - i)};
  for (int k = 1; k < length; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  return {cp, length};
}

// The code point that ends just before byte `i` of `s` (length 0 at the start).
inline CodePoint DecodeBefore(absl::string_view s, size_t i) {
  if (i == 0 || i > s.size()) return {};
  size_t start = i - 1;
  while (start > 0 && i - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
    --start;
  }
  return DecodeAt(s, start);
}

// Spaces of every width, including the ideographic space (U+3000) that indents Chinese
// paragraphs, no-break spaces, and a stray BOM.
inline bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\v' || cp == '\f' || cp == 0x00A0 || cp == 0x3000 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0xFEFF;
}

// Value of an ASCII or full-width digit, or -1.
inline int DigitValue(char32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<int>(cp - 0xFF10);
  return -1;
}

// Value of a Han numeral character 一..九 (1..9) or 十 (10); -1 otherwise.
inline int HanDigitValue(char32_t cp) {
  switch (cp) {
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    case U'十':
      return 10;
    default:
      return -1;
  }
}

inline bool IsOpenParen(char32_t cp) { return cp == '(' || cp == U'（'; }
inline bool IsCloseParen(char32_t cp) { return cp == ')' || cp == U'）'; }

// Ends a sentence: 。！？；!?; and the full-width semicolon.
inline bool IsSentenceEnd(char32_t cp) {
  return cp == U'。' || cp == U'！' || cp == U'？' || cp == U'；' || cp == '!' || cp == '?' ||
         cp == ';';
}

inline bool IsColon(char32_t cp) { return cp == U'：' || cp == ':'; }
inline bool IsComma(char32_t cp) { return cp == U'，' || cp == ',' || cp == U'、'; }

// Punctuation that may follow a numbering marker or an enumeration word and is not part of the
// item's text: "一、" "1." "首先，" "第一：".
inline bool IsMarkerSeparator(char32_t cp) {
  return IsComma(cp) || IsColon(cp) || cp == '.' || cp == U'．' || IsSpace(cp);
}

// Han characters (CJK unified ideographs and their extensions and compatibility forms).
inline bool IsHan(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

// Letters and digits, ASCII or full-width.
inline bool IsAlnum(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
         (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
         (cp >= 0xFF41 && cp <= 0xFF5A);
}

// `s` without leading and trailing IsSpace characters.
absl::string_view TrimSpaces(absl::string_view s);

// `s` without trailing spaces and the punctuation that closes a heading or a list item
// (。：；，、.:;, and the like), so that "在学习方面。" names the area "在学习方面".
absl::string_view TrimTrailingPunctuation(absl::string_view s);

// Number of code points in `s`.
size_t CountChars(absl::string_view s);

// The first `max_chars` characters of `s`, with "…" appended when it was cut.
std::string TruncateChars(absl::string_view s, size_t max_chars);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_UTF8_SCAN_H_
