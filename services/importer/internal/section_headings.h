// Internal to the importer: which section a heading names.
//
// Two strengths of evidence. An unnumbered line is a heading only when it is exactly one of the
// usual names ("存在的问题", "原因分析", "下一步打算" ...): a short sentence such as "思想上有差距"
// must stay a paragraph. A numbered or Markdown heading is matched by keyword, the last keyword
// deciding, because Chinese puts the head noun last: "问题产生的原因" names causes, "问题根源剖析"
// causes, "存在的问题和不足" problems, "问题整改落实情况" background, "整改措施" measures.
//
// Thread safety: pure functions over constant tables.
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_SECTION_HEADINGS_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_SECTION_HEADINGS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "services/importer/review_draft.h"

namespace rectify {
namespace importer_internal {

// Longest heading, in characters, that keyword matching considers.
inline constexpr size_t kMaxHeadingChars = 30;

// `text` without spaces, Markdown emphasis, brackets (【】[]〖〗) and trailing punctuation: the
// form headings are compared in.
std::string NormaliseHeading(absl::string_view text);

// The section an unnumbered line names, when it is exactly one of the usual headings.
absl::optional<SectionKind> ExactSectionHeading(absl::string_view text);

// The section a numbered or Markdown heading names, by its last keyword (which must end within
// three characters of the end). Never for an area ("在……", "……方面"). Returns kProblems,
// kCauses, kMeasures or kBackground.
absl::optional<SectionKind> KeywordSectionHeading(absl::string_view heading);

// A heading with text after it: "存在的问题：经过查摆，主要有……" is the heading "存在的问题" and
// the rest "经过查摆，主要有……" (offset of the rest within the text; npos when nothing follows).
// Text with no delimiter near its start is all heading-too-long, with a rest.
struct HeadingSplit {
  absl::string_view heading;
  size_t rest_offset = absl::string_view::npos;
};
HeadingSplit SplitHeading(absl::string_view text);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_SECTION_HEADINGS_H_
