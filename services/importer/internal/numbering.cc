#include "services/importer/internal/numbering.h"

#include <initializer_list>
#include <utility>
#include <vector>

#include "services/importer/internal/utf8_scan.h"

namespace rectify {
namespace importer_internal {
namespace {

// A chain that keeps failing to get past its first word is not worth more attempts; the cap
// keeps FindEnumeration linear on text with thousands of "一是".
constexpr int kMaxChainStarts = 3;

size_t SkipSeparators(absl::string_view s, size_t i) {
  while (i < s.size()) {
    const CodePoint c = DecodeAt(s, i);
    if (!IsMarkerSeparator(c.cp)) break;
    i += c.length;
  }
  return i;
}

bool StartsWithAt(absl::string_view s, size_t i, absl::string_view word) {
  return s.size() - i >= word.size() && s.substr(i, word.size()) == word;
}

// What may come right before an enumeration word inside a paragraph. Opening quotes and
// brackets are left out on purpose: "“一是一，二是二”" is a saying, not an enumeration.
bool IsClauseBoundary(char32_t cp) {
  return IsSpace(cp) || IsSentenceEnd(cp) || IsColon(cp) || IsComma(cp) || cp == '.' ||
         cp == U'．' || IsCloseParen(cp) || cp == U'”' || cp == U'’' || cp == '"' || cp == '\'' ||
         cp == U'」' || cp == U'』' || cp == U'】' || cp == U'》' || cp == '*' || cp == '_' ||
         cp == U'…' || cp == U'—' || cp == '\n';
}

// The punctuation 第一/其一 need after them ("第一，" yes, "第一书记" no).
bool IsOrdinalSeparator(char32_t cp) { return IsComma(cp) || IsColon(cp) || cp == U'是'; }

// Matches an enumeration word at byte i of s (boundary already checked). Ordinal 0 is 最后,
// which closes a 首先 chain at whatever number it has reached.
bool MatchEnumWord(absl::string_view s, size_t i, EnumMarker* out) {
  size_t han_length = 0;
  const int n = ParseHanNumber(s.substr(i), &han_length);
  if (const CodePoint shi = DecodeAt(s, i + han_length); n > 0 && shi.cp == U'是') {
    *out = {i, SkipSeparators(s, i + han_length + shi.length), n, EnumFamily::kShi};
    return true;
  }
  for (const auto& [prefix, family] :
       {std::pair<absl::string_view, EnumFamily>{"第", EnumFamily::kDi},
        std::pair<absl::string_view, EnumFamily>{"其", EnumFamily::kQi}}) {
    if (!StartsWithAt(s, i, prefix)) continue;
    const size_t j = i + prefix.size();
    const int m = ParseHanNumber(s.substr(j), &han_length);
    if (m <= 0) continue;
    const CodePoint next = DecodeAt(s, j + han_length);
    if (!IsOrdinalSeparator(next.cp)) continue;
    *out = {i, SkipSeparators(s, j + han_length + next.length), m, family};
    return true;
  }
  static constexpr std::pair<absl::string_view, int> kFirstWords[] = {
      {"首先", 1}, {"其次", 2}, {"再次", 3}, {"最后", 0}};
  for (const auto& [word, ordinal] : kFirstWords) {
    if (!StartsWithAt(s, i, word)) continue;
    const size_t j = i + word.size();
    // "最后一公里" is not the last point of a list; "最后，" and "最后是" are.
    if (ordinal == 0 && !IsOrdinalSeparator(DecodeAt(s, j).cp)) return false;
    *out = {i, SkipSeparators(s, j), ordinal, EnumFamily::kFirst};
    return true;
  }
  return false;
}

// A number that is a marker by itself, inside a paragraph: ① ❶ anywhere; （1） (1) ⑴ after a
// clause boundary, so that "（2021）" or "表(1)" stays text.
bool MatchInlineNumber(absl::string_view s, size_t i, bool at_boundary, EnumMarker* out) {
  const CodePoint c = DecodeAt(s, i);
  if (c.cp >= U'①' && c.cp <= U'⑳') {
    *out = {i, SkipSeparators(s, i + c.length), static_cast<int>(c.cp - U'①') + 1,
            EnumFamily::kCircled};
    return true;
  }
  if (c.cp >= U'❶' && c.cp <= U'❿') {
    *out = {i, SkipSeparators(s, i + c.length), static_cast<int>(c.cp - U'❶') + 1,
            EnumFamily::kCircled};
    return true;
  }
  if (!at_boundary) return false;
  if (c.cp >= U'⑴' && c.cp <= U'⒇') {
    *out = {i, SkipSeparators(s, i + c.length), static_cast<int>(c.cp - U'⑴') + 1,
            EnumFamily::kArabicParen};
    return true;
  }
  if (!IsOpenParen(c.cp)) return false;
  size_t j = i + c.length;
  int n = 0;
  int digits = 0;
  for (int d; digits < 2 && (d = DigitValue(DecodeAt(s, j).cp)) >= 0; ++digits) {
    n = n * 10 + d;
    j += DecodeAt(s, j).length;
  }
  const CodePoint close = DecodeAt(s, j);
  if (digits == 0 || n == 0 || !IsCloseParen(close.cp)) return false;
  *out = {i, SkipSeparators(s, j + close.length), n, EnumFamily::kArabicParen};
  return true;
}

// An Arabic number or a capital letter that is a marker inside a paragraph (kArabicInline,
// kLetterInline; see EnumFamily for the rules). `before` is the last character before byte i
// that is not a space, '\n' at the start of the text.
bool MatchInlineDigitOrLetter(absl::string_view s, size_t i, char32_t before, EnumMarker* out) {
  const bool opens = before == '\n' || IsSentenceEnd(before) || IsColon(before);
  if (!opens) return false;
  const CodePoint c = DecodeAt(s, i);
  size_t j = i;
  int n = 0;
  EnumFamily family = EnumFamily::kArabicInline;
  if (DigitValue(c.cp) >= 0) {
    int digits = 0;
    for (int d; digits < 3 && (d = DigitValue(DecodeAt(s, j).cp)) >= 0; ++digits) {
      n = n * 10 + d;
      j += DecodeAt(s, j).length;
    }
    if (digits > 2 || n == 0) return false;  // a year, an amount
  } else if ((c.cp >= 'A' && c.cp <= 'Z') || (c.cp >= U'Ａ' && c.cp <= U'Ｚ')) {
    n = static_cast<int>(c.cp >= 'A' && c.cp <= 'Z' ? c.cp - 'A' : c.cp - U'Ａ') + 1;
    j += c.length;
    family = EnumFamily::kLetterInline;
  } else {
    return false;
  }
  const CodePoint sep = DecodeAt(s, j);
  const bool dot = sep.cp == '.' || sep.cp == U'．';
  if (!dot && sep.cp != U'、' && !IsCloseParen(sep.cp)) return false;
  const CodePoint next = DecodeAt(s, j + sep.length);
  // Nothing after it, or a digit: "3.5万元", "1.5倍", "1、2月份" are amounts and dates.
  if (next.length == 0 || DigitValue(next.cp) >= 0) return false;
  // "A.B", "U.S.": a letter marker is followed by the item's text, not by another letter.
  if (family == EnumFamily::kLetterInline && IsAlnum(next.cp)) return false;
  // Every item after the first follows ；/; or a sentence end, never a bare colon.
  if (n > 1 && !IsSentenceEnd(before)) return false;
  *out = {i, SkipSeparators(s, j + sep.length), n, family};
  return true;
}

// Families whose chain never skips a number: their markers are too common in prose to trust a
// gap.
bool IsStrictFamily(EnumFamily family) {
  return family == EnumFamily::kArabicInline || family == EnumFamily::kLetterInline;
}

// The chain of `family` that starts at candidates[first]; see FindEnumeration.
Enumeration BuildChain(const std::vector<EnumMarker>& candidates, size_t first) {
  Enumeration chain;
  chain.markers.push_back(candidates[first]);
  int n = candidates[first].ordinal;
  const EnumFamily family = candidates[first].family;
  const int max_step = IsStrictFamily(family) ? 1 : 2;
  for (size_t k = first + 1; k < candidates.size(); ++k) {
    EnumMarker c = candidates[k];
    if (c.family != family || c.start < chain.markers.back().end) continue;
    if (c.ordinal == 0) {
      c.ordinal = n + 1;
      chain.markers.push_back(c);
      break;
    }
    if (c.ordinal <= n || c.ordinal > n + max_step) continue;
    // 首先 … 再次 without 其次 is ordinary prose, not a gap worth a warning.
    if (c.ordinal == n + 2 && family != EnumFamily::kFirst) chain.gaps.push_back(n + 1);
    n = c.ordinal;
    chain.markers.push_back(c);
  }
  return chain;
}

}  // namespace

namespace {

// 〇 and 一..九 as digits (ideographDigital numbering writes 10 as 一〇, 101 as 一〇一).
int HanDigitOrZero(char32_t cp) {
  if (cp == U'〇' || cp == U'零') return 0;
  const int d = HanDigitValue(cp);
  return d >= 1 && d <= 9 ? d : -1;
}

// Below 100: 一..九, 十, 十一..十九, 二十..九十九.
int ParseHanBelow100(absl::string_view s, size_t* length) {
  const CodePoint c1 = DecodeAt(s, 0);
  const int d1 = HanDigitValue(c1.cp);
  if (d1 <= 0) return 0;
  const CodePoint c2 = DecodeAt(s, c1.length);
  const int d2 = HanDigitValue(c2.cp);
  if (d1 == 10) {  // 十, 十一 .. 十九
    if (d2 > 0 && d2 < 10) {
      *length = c1.length + c2.length;
      return 10 + d2;
    }
    *length = c1.length;
    return 10;
  }
  if (d2 == 10) {  // 二十, 二十一 .. 九十九
    const CodePoint c3 = DecodeAt(s, c1.length + c2.length);
    const int d3 = HanDigitValue(c3.cp);
    if (d3 > 0 && d3 < 10) {
      *length = c1.length + c2.length + c3.length;
      return d1 * 10 + d3;
    }
    *length = c1.length + c2.length;
    return d1 * 10;
  }
  *length = c1.length;
  return d1;
}

}  // namespace

int ParseHanNumber(absl::string_view s, size_t* length) {
  // Digit by digit (一〇、 一〇一、): two or more digits with no 十 or 百 between them.
  size_t i = 0;
  int value = 0;
  int digits = 0;
  for (CodePoint c = DecodeAt(s, 0); c.length > 0 && digits < 5; c = DecodeAt(s, i)) {
    const int d = HanDigitOrZero(c.cp);
    if (d < 0 || (digits == 0 && d == 0)) break;
    value = value * 10 + d;
    i += c.length;
    ++digits;
  }
  const CodePoint after = DecodeAt(s, i);
  if (digits >= 2 && after.cp != U'十' && after.cp != U'百') {
    *length = i;
    return value;
  }
  // Hundreds: 一百, 一百零五, 一百一十, 三百二十一.
  const CodePoint h = DecodeAt(s, 0);
  const int hd = HanDigitValue(h.cp);
  const CodePoint bai = DecodeAt(s, h.length);
  if (hd >= 1 && hd <= 9 && bai.cp == U'百') {
    size_t j = h.length + bai.length;
    value = hd * 100;
    const CodePoint next = DecodeAt(s, j);
    if (next.cp == U'零' || next.cp == U'〇') {
      const CodePoint unit = DecodeAt(s, j + next.length);
      const int u = HanDigitValue(unit.cp);
      if (u >= 1 && u <= 9) {
        *length = j + next.length + unit.length;
        return value + u;
      }
    } else if (HanDigitValue(next.cp) >= 1) {
      size_t tens_length = 0;
      const int tens = ParseHanBelow100(s.substr(j), &tens_length);
      // "一百一十" and "一百二十五", not "一百五" (which says 150 in speech).
      if (tens >= 10 && DecodeAt(s, j + next.length).cp == U'十') {
        *length = j + tens_length;
        return value + tens;
      }
    }
    *length = j;
    return value;
  }
  return ParseHanBelow100(s, length);
}

LeadingMarker ParseLeadingMarker(absl::string_view s) {
  LeadingMarker m;
  const CodePoint c0 = DecodeAt(s, 0);
  if (c0.length == 0) return m;

  // Bullets: "- " "* " "+ " need the space (so that "**bold**" and "-1" stay text); the
  // typographic ones do not.
  const bool ascii_bullet =
      (c0.cp == '-' || c0.cp == '*' || c0.cp == '+') && IsSpace(DecodeAt(s, c0.length).cp);
  const bool typographic_bullet = c0.cp == U'•' || c0.cp == U'●' || c0.cp == U'○' ||
                                  c0.cp == U'■' || c0.cp == U'□' || c0.cp == U'◆' ||
                                  c0.cp == U'◇' || c0.cp == U'▪' || c0.cp == U'★' || c0.cp == U'·';
  if (ascii_bullet || typographic_bullet) {
    const size_t rest = SkipSeparators(s, c0.length);
    LeadingMarker inner = ParseLeadingMarker(s.substr(rest));
    if (inner.kind != MarkerKind::kNone && inner.kind != MarkerKind::kBullet) {
      inner.length += rest;
      return inner;
    }
    return {MarkerKind::kBullet, 0, 0, rest};
  }

  // Parenthesised: （一） (一) （1） (1) 〔一〕.
  if (IsOpenParen(c0.cp) || c0.cp == U'〔') {
    size_t i = c0.length;
    size_t han_length = 0;
    int n = ParseHanNumber(s.substr(i), &han_length);
    MarkerKind kind = MarkerKind::kHanParen;
    if (n > 0) {
      i += han_length;
    } else {
      kind = MarkerKind::kArabicParen;
      int digits = 0;
      for (int d; digits < 3 && (d = DigitValue(DecodeAt(s, i).cp)) >= 0; ++digits) {
        n = n * 10 + d;
        i += DecodeAt(s, i).length;
      }
      if (digits == 0) return m;
    }
    const CodePoint close = DecodeAt(s, i);
    if (!IsCloseParen(close.cp) && close.cp != U'〕') return m;
    return {kind, 1, n, SkipSeparators(s, i + close.length)};
  }

  // Circled and other single-character numbers.
  if (c0.cp >= U'①' && c0.cp <= U'⑳') {
    return {MarkerKind::kCircled, 1, static_cast<int>(c0.cp - U'①') + 1,
            SkipSeparators(s, c0.length)};
  }
  if (c0.cp >= U'❶' && c0.cp <= U'❿') {
    return {MarkerKind::kCircled, 1, static_cast<int>(c0.cp - U'❶') + 1,
            SkipSeparators(s, c0.length)};
  }
  if (c0.cp >= U'⑴' && c0.cp <= U'⒇') {
    return {MarkerKind::kArabicParen, 1, static_cast<int>(c0.cp - U'⑴') + 1,
            SkipSeparators(s, c0.length)};
  }
  if (c0.cp >= U'⒈' && c0.cp <= U'⒛') {
    return {MarkerKind::kArabic, 1, static_cast<int>(c0.cp - U'⒈') + 1,
            SkipSeparators(s, c0.length)};
  }

  // Enumeration words that open the line: 一是 首先 第一， 其一，. Checked before 一、 so that
  // the two never compete: "一是" has no "、".
  EnumMarker word;
  if (MatchEnumWord(s, 0, &word)) {
    return {MarkerKind::kEnumLead, static_cast<int>(word.family), word.ordinal, 0};
  }

  // 一、 二． 三. (not "三.5").
  size_t han_length = 0;
  if (const int n = ParseHanNumber(s, &han_length); n > 0) {
    const CodePoint sep = DecodeAt(s, han_length);
    const bool dot = sep.cp == '.' || sep.cp == U'．';
    if (sep.cp == U'、' || (dot && DigitValue(DecodeAt(s, han_length + sep.length).cp) < 0)) {
      return {MarkerKind::kHan, 1, n, SkipSeparators(s, han_length + sep.length)};
    }
    return m;
  }

  // 1、 1. 1． １、 1) 1） and dotted 1.1 / 1.1.1 (up to three digits a component, so that a
  // year such as "2021." never reads as a number).
  size_t i = 0;
  int level = 0;
  int first = 0;
  while (level < 4) {
    int value = 0;
    int digits = 0;
    for (int d; digits < 4 && (d = DigitValue(DecodeAt(s, i).cp)) >= 0; ++digits) {
      value = value * 10 + d;
      i += DecodeAt(s, i).length;
    }
    if (digits == 0 || digits > 3) return m;
    if (level == 0) first = value;
    ++level;
    const CodePoint sep = DecodeAt(s, i);
    const bool dot = sep.cp == '.' || sep.cp == U'．';
    if (dot && DigitValue(DecodeAt(s, i + sep.length).cp) >= 0) {
      i += sep.length;  // another component
      continue;
    }
    if (level == 1) {
      if (sep.cp == U'、' || dot) {
        return {MarkerKind::kArabic, 1, first, SkipSeparators(s, i + sep.length)};
      }
      if (IsCloseParen(sep.cp)) {
        return {MarkerKind::kArabicParen, 1, first, SkipSeparators(s, i + sep.length)};
      }
      return m;
    }
    // Dotted numbers need a visible end, so that "1.5万元" stays text.
    if (sep.length == 0 || IsSpace(sep.cp) || sep.cp == U'、' || dot) {
      return {MarkerKind::kArabic, level, first, SkipSeparators(s, i + sep.length)};
    }
    return m;
  }
  return m;
}

namespace {

// Every enumeration word and inline number of `text`, in order.
std::vector<EnumMarker> Candidates(absl::string_view text) {
  std::vector<EnumMarker> candidates;
  char32_t prev = '\n';
  char32_t visible = '\n';  // the last character that is not a space
  size_t i = 0;
  while (i < text.size()) {
    const CodePoint c = DecodeAt(text, i);
    EnumMarker marker;
    const bool boundary = IsClauseBoundary(prev);
    if ((boundary && MatchEnumWord(text, i, &marker)) ||
        MatchInlineNumber(text, i, boundary, &marker) ||
        MatchInlineDigitOrLetter(text, i, visible, &marker)) {
      candidates.push_back(marker);
    }
    prev = c.cp;
    if (!IsSpace(c.cp)) visible = c.cp;
    i += c.length;
  }
  return candidates;
}

// The earliest chain of at least two members, of one of `families`, that starts at `first`.
Enumeration EarliestChain(const std::vector<EnumMarker>& candidates,
                          std::initializer_list<EnumFamily> families, int first) {
  Enumeration best;
  for (const EnumFamily family : families) {
    int starts = 0;
    for (size_t k = 0; k < candidates.size() && starts < kMaxChainStarts; ++k) {
      if (candidates[k].family != family || candidates[k].ordinal != first) continue;
      if (!best.markers.empty() && candidates[k].start >= best.markers.front().start) break;
      ++starts;
      Enumeration chain = BuildChain(candidates, k);
      if (chain.markers.size() >= 2) {
        best = std::move(chain);
        break;
      }
    }
  }
  return best;
}

}  // namespace

Enumeration FindEnumeration(absl::string_view text) {
  return EarliestChain(
      Candidates(text),
      {EnumFamily::kShi, EnumFamily::kFirst, EnumFamily::kDi, EnumFamily::kQi, EnumFamily::kCircled,
       EnumFamily::kArabicParen, EnumFamily::kArabicInline, EnumFamily::kLetterInline},
      1);
}

bool HoldsEnumerationTail(absl::string_view text) {
  return !EarliestChain(Candidates(text),
                        {EnumFamily::kCircled, EnumFamily::kArabicParen, EnumFamily::kArabicInline,
                         EnumFamily::kLetterInline},
                        2)
              .markers.empty();
}

absl::string_view EnumerationItem(absl::string_view text, const Enumeration& e, size_t i) {
  const size_t begin = e.markers[i].end;
  const size_t end = i + 1 < e.markers.size() ? e.markers[i + 1].start : text.size();
  absl::string_view item = TrimSpaces(text.substr(begin, end > begin ? end - begin : 0));
  while (!item.empty()) {
    const CodePoint last = DecodeBefore(item, item.size());
    if (!IsComma(last.cp) && last.cp != U'；' && last.cp != ';' && !IsSpace(last.cp)) break;
    item.remove_suffix(last.length);
  }
  return item;
}

size_t EnumerationLeadLength(absl::string_view text) {
  EnumMarker marker;
  return MatchEnumWord(text, 0, &marker) ? marker.end : 0;
}

}  // namespace importer_internal
}  // namespace rectify
