#include "services/importer/internal/section_headings.h"

#include <string>

#include "absl/strings/match.h"
#include "services/importer/internal/utf8_scan.h"

namespace rectify {
namespace importer_internal {
namespace {

struct Keyword {
  absl::string_view word;
  SectionKind kind;
};

// The usual headings, normalised (no spaces, no trailing punctuation).
constexpr Keyword kExactHeadings[] = {
    {"存在的问题和不足", SectionKind::kProblems},
    {"存在的问题及不足", SectionKind::kProblems},
    {"存在的问题与不足", SectionKind::kProblems},
    {"存在的问题", SectionKind::kProblems},
    {"存在问题", SectionKind::kProblems},
    {"主要问题", SectionKind::kProblems},
    {"问题清单", SectionKind::kProblems},
    {"存在的主要问题", SectionKind::kProblems},
    {"存在的突出问题", SectionKind::kProblems},
    {"存在的不足", SectionKind::kProblems},
    {"存在的差距和不足", SectionKind::kProblems},
    {"查摆的问题", SectionKind::kProblems},
    {"查摆出的问题", SectionKind::kProblems},
    {"问题查摆", SectionKind::kProblems},
    {"检视出的问题", SectionKind::kProblems},
    {"问题和不足", SectionKind::kProblems},
    {"问题根源剖析", SectionKind::kCauses},
    {"问题产生的根源", SectionKind::kCauses},
    {"产生问题的根源", SectionKind::kCauses},
    {"原因分析", SectionKind::kCauses},
    {"原因剖析", SectionKind::kCauses},
    {"问题原因分析", SectionKind::kCauses},
    {"问题产生的原因", SectionKind::kCauses},
    {"产生问题的原因", SectionKind::kCauses},
    {"存在问题的原因", SectionKind::kCauses},
    {"根源剖析", SectionKind::kCauses},
    {"根源分析", SectionKind::kCauses},
    {"今后努力方向", SectionKind::kMeasures},
    {"今后的努力方向", SectionKind::kMeasures},
    {"努力方向", SectionKind::kMeasures},
    {"整改措施", SectionKind::kMeasures},
    {"整改方向", SectionKind::kMeasures},
    {"整改方向和措施", SectionKind::kMeasures},
    {"下一步打算", SectionKind::kMeasures},
    {"下步打算", SectionKind::kMeasures},
    {"下一步整改措施", SectionKind::kMeasures},
    {"整改措施和努力方向", SectionKind::kMeasures},
    {"今后努力方向和整改措施", SectionKind::kMeasures},
    {"基本情况", SectionKind::kBackground},
    {"开展情况", SectionKind::kBackground},
    {"学习情况", SectionKind::kBackground},
    {"会前准备情况", SectionKind::kBackground},
};

// Head nouns of section names. Longer keywords come first so that at the same end position the
// more specific one wins ("问题清单" over nothing, "原因分析" over "分析"-less text).
constexpr Keyword kKeywords[] = {
    {"问题清单", SectionKind::kProblems}, {"原因分析", SectionKind::kCauses},
    {"根源分析", SectionKind::kCauses},   {"努力方向", SectionKind::kMeasures},
    {"问题", SectionKind::kProblems},     {"不足", SectionKind::kProblems},
    {"差距", SectionKind::kProblems},     {"短板", SectionKind::kProblems},
    {"查摆", SectionKind::kProblems},     {"原因", SectionKind::kCauses},
    {"根源", SectionKind::kCauses},       {"剖析", SectionKind::kCauses},
    {"根子", SectionKind::kCauses},       {"措施", SectionKind::kMeasures},
    {"方向", SectionKind::kMeasures},     {"打算", SectionKind::kMeasures},
    {"整改", SectionKind::kMeasures},     {"计划", SectionKind::kMeasures},
    {"举措", SectionKind::kMeasures},     {"思路", SectionKind::kMeasures},
    {"承诺", SectionKind::kMeasures},     {"对策", SectionKind::kMeasures},
    {"情况", SectionKind::kBackground},   {"做法", SectionKind::kBackground},
    {"成效", SectionKind::kBackground},   {"收获", SectionKind::kBackground},
    {"概况", SectionKind::kBackground},   {"背景", SectionKind::kBackground},
};

// A keyword may be followed by this many characters ("问题汇总", "整改措施及承诺") and still be
// the head noun.
constexpr size_t kMaxTrailingChars = 3;

bool IsDecoration(char32_t cp) {
  return IsSpace(cp) || cp == '*' || cp == U'【' || cp == U'】' || cp == '[' || cp == ']' ||
         cp == U'〖' || cp == U'〗';
}

}  // namespace

std::string NormaliseHeading(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const CodePoint c = DecodeAt(text, i);
    if (!IsDecoration(c.cp)) out.append(text.data() + i, c.length);
    i += c.length;
  }
  out.resize(TrimTrailingPunctuation(out).size());
  return out;
}

absl::optional<SectionKind> ExactSectionHeading(absl::string_view text) {
  // Cheap rejection first: most lines are long paragraphs.
  if (text.size() > 4 * kMaxHeadingChars) return absl::nullopt;
  const std::string normal = NormaliseHeading(text);
  for (const Keyword& k : kExactHeadings) {
    if (normal == k.word) return k.kind;
  }
  return absl::nullopt;
}

absl::optional<SectionKind> KeywordSectionHeading(absl::string_view heading) {
  if (heading.size() > 4 * kMaxHeadingChars) return absl::nullopt;
  const std::string normal = NormaliseHeading(heading);
  if (normal.empty() || CountChars(normal) > kMaxHeadingChars) return absl::nullopt;
  // "在联系服务群众方面" and "……方面" name an area of the problems, never a section.
  if (absl::StartsWith(normal, "在") || absl::EndsWith(normal, "方面")) return absl::nullopt;
  size_t best_end = 0;
  absl::optional<SectionKind> best;
  for (const Keyword& k : kKeywords) {
    const size_t at = absl::string_view(normal).rfind(k.word);
    if (at == std::string::npos) continue;
    const size_t end = at + k.word.size();
    if (end > best_end) {
      best_end = end;
      best = k.kind;
    }
  }
  if (!best || CountChars(absl::string_view(normal).substr(best_end)) > kMaxTrailingChars) {
    return absl::nullopt;
  }
  return best;
}

HeadingSplit SplitHeading(absl::string_view text) {
  // A heading is short: no need to look further than the longest one could reach, which keeps
  // this constant-time on 100k-character paragraphs.
  constexpr size_t kScanLimit = 4 * kMaxHeadingChars + 8;
  size_t i = 0;
  while (i < text.size()) {
    if (i > kScanLimit) return {text.substr(0, i), i};
    const CodePoint c = DecodeAt(text, i);
    if (IsSentenceEnd(c.cp) || IsColon(c.cp)) {
      HeadingSplit split{TrimSpaces(text.substr(0, i))};
      size_t rest = i + c.length;
      while (rest < text.size()) {
        const CodePoint r = DecodeAt(text, rest);
        if (!IsSpace(r.cp) && !IsSentenceEnd(r.cp) && !IsColon(r.cp)) break;
        rest += r.length;
      }
      if (rest < text.size()) split.rest_offset = rest;
      return split;
    }
    i += c.length;
  }
  return {TrimSpaces(text)};
}

}  // namespace importer_internal
}  // namespace rectify
