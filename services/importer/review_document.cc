#include "services/importer/review_document.h"

#include <algorithm>
#include <climits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/importer/docx_text.h"
#include "services/importer/internal/document_lines.h"
#include "services/importer/internal/extract.h"
#include "services/importer/internal/input_check.h"
#include "services/importer/internal/outline.h"
#include "services/importer/internal/structured.h"
#include "services/importer/internal/utf8_scan.h"
#include "services/importer/measure_linker.h"

namespace rectify {
namespace {

using importer_internal::Block;
using importer_internal::Outline;

// At most this many sections are listed in the "no problems section" error.
constexpr size_t kMaxListedSections = 10;
// A table's header shown as a section heading is cut to this many characters, as headings are.
constexpr size_t kMaxShownHeadingChars = 60;

absl::string_view SectionKindEnglish(SectionKind kind) {
  switch (kind) {
    case SectionKind::kProblems:
      return "problems";
    case SectionKind::kCauses:
      return "causes";
    case SectionKind::kMeasures:
      return "measures";
    case SectionKind::kBackground:
      return "background, skipped";
    case SectionKind::kUnrecognised:
      return "not recognised";
  }
  return "";
}

// INVALID_ARGUMENT naming what the document does have, so that the committee can see which
// heading to rename.
absl::Status NoProblemsSection(const std::vector<Block>& blocks, const Outline& outline) {
  struct Listed {
    int line;
    std::string heading;
    SectionKind kind;
  };
  std::vector<Listed> listed;
  for (const auto& s : outline.sections) {
    const Block& b = blocks[outline.nodes[s.node].block];
    listed.push_back({b.line, importer_internal::DisplayHeading(b), s.kind});
  }
  if (listed.empty()) {
    // Nothing was recognised: show the top-level headings there are.
    for (const int child : outline.nodes[0].children) {
      const Block& b = blocks[outline.nodes[child].block];
      if (b.kind == importer_internal::MarkerKind::kNone) continue;
      listed.push_back({b.line, importer_internal::DisplayHeading(b), SectionKind::kUnrecognised});
    }
  }
  if (listed.size() > kMaxListedSections) listed.resize(kMaxListedSections);
  std::vector<std::string> zh;
  std::vector<std::string> en;
  for (const Listed& l : listed) {
    zh.push_back(
        absl::StrCat("第 ", l.line, " 行“", l.heading, "”（", SectionKindLabel(l.kind), "）"));
    en.push_back(
        absl::StrCat("line ", l.line, " \"", l.heading, "\" (", SectionKindEnglish(l.kind), ")"));
  }
  const std::string zh_found = zh.empty() ? "文档中没有可识别的小标题"
                                          : absl::StrCat("找到的部分：", absl::StrJoin(zh, "；"));
  const std::string en_found = en.empty()
                                   ? "the document has no headings"
                                   : absl::StrCat("sections found: ", absl::StrJoin(en, "; "));
  return InvalidField(
      "document",
      absl::StrCat("未找到问题部分（应有“存在的问题和不足”“存在问题”“问题清单”等小标题）。",
                   zh_found),
      absl::StrCat("no problems section (a heading such as 存在的问题和不足, 存在问题 or "
                   "问题清单). ",
                   en_found));
}

bool HasProblemsSection(const Outline& outline) {
  for (const auto& s : outline.sections) {
    if (s.kind == SectionKind::kProblems) return true;
  }
  return false;
}

bool Contains(const std::vector<int>& sorted, int value) {
  return std::binary_search(sorted.begin(), sorted.end(), value);
}

// The sections of a draft read from records or tables, told as they are: a label line
// ("整改措施：") or a table line read as a heading is no section; the section that holds the
// records or the table is a problems section, whatever its heading says ("一、审计发现问题的整改
// 情况" reads as background); and when no section holds them, the table or the first record is
// listed as the problems section.
void DescribeShapedSections(const importer_internal::ShapePlaces& places, ReviewDraft* shaped) {
  std::vector<DocumentSection> sections;
  for (DocumentSection& s : shaped->sections) {
    if (!Contains(places.lines, s.where.line)) sections.push_back(std::move(s));
  }
  std::vector<int> problem_lines;
  for (const ImportedArea& area : shaped->areas) {
    for (const ImportedProblem& p : area.problems) problem_lines.push_back(p.where.line);
  }
  bool first_covered = false;
  for (size_t i = 0; i < sections.size(); ++i) {
    const int from = sections[i].where.line;
    const int to = i + 1 < sections.size() ? sections[i + 1].where.line : INT_MAX;
    const bool holds = std::any_of(problem_lines.begin(), problem_lines.end(),
                                   [&](int line) { return line >= from && line < to; });
    if (!holds) continue;
    if (!problem_lines.empty() && problem_lines.front() >= from && problem_lines.front() < to) {
      first_covered = true;
    }
    if (sections[i].kind != SectionKind::kCauses) sections[i].kind = SectionKind::kProblems;
  }
  if (!first_covered && places.first_line > 0) {
    DocumentSection table{
        SectionKind::kProblems,
        importer_internal::TruncateChars(places.first_heading, kMaxShownHeadingChars),
        {places.first_line, 1}};
    auto at = std::find_if(sections.begin(), sections.end(), [&](const DocumentSection& s) {
      return s.where.line > places.first_line;
    });
    sections.insert(at, std::move(table));
  }
  shaped->sections = std::move(sections);
  shaped->unrecognised.clear();
  for (const DocumentSection& s : shaped->sections) {
    if (s.kind == SectionKind::kUnrecognised) shaped->unrecognised.push_back({s.heading, s.where});
  }
}

// A draft read from records or tables: the title, sections and causes still come from the
// outline (an audit report may have a 原因 section beside its table), but its own problems and
// measures do not, since the rows already link them. A title line that is a table's header or a
// record's label is no title.
absl::StatusOr<ReviewDraft> FinishShaped(ReviewDraft shaped, importer_internal::CheckedText checked,
                                         const std::vector<Block>& blocks, const Outline& outline,
                                         const importer_internal::ShapePlaces& places) {
  shaped.warnings = std::move(checked.warnings);
  if (outline.title_block >= 0 && !Contains(places.lines, blocks[outline.title_block].line)) {
    shaped.title = importer_internal::TruncateChars(blocks[outline.title_block].text(),
                                                    kMaxImportedTitleChars - 1);
  }
  ReviewDraft narrative;
  importer_internal::SourceMap map(checked.text);
  if (importer_internal::ExtractSections(blocks, outline, map, &narrative).ok()) {
    shaped.sections = std::move(narrative.sections);
    shaped.unrecognised = std::move(narrative.unrecognised);
    shaped.causes = std::move(narrative.causes);
  }
  DescribeShapedSections(places, &shaped);
  return shaped;
}

}  // namespace

absl::string_view SectionKindLabel(SectionKind kind) {
  switch (kind) {
    case SectionKind::kProblems:
      return "问题";
    case SectionKind::kCauses:
      return "原因";
    case SectionKind::kMeasures:
      return "措施";
    case SectionKind::kBackground:
      return "背景，已跳过";
    case SectionKind::kUnrecognised:
      return "未识别";
  }
  return "";
}

int ReviewDraft::ProblemCount() const {
  int n = 0;
  for (const ImportedArea& area : areas) n += static_cast<int>(area.problems.size());
  return n;
}

const ImportedMeasure* ReviewDraft::MeasureFor(const ImportedProblem& problem) const {
  if (problem.measure < 0 || problem.measure >= static_cast<int>(measures.size())) return nullptr;
  return &measures[problem.measure];
}

absl::StatusOr<ReviewDraft> ParseReviewDocument(absl::string_view bytes) {
  if (bytes.size() > kMaxReviewDocumentBytes) {
    // Checked before a .docx is inflated, not only on its text.
    return importer_internal::CheckDocumentBytes(bytes).status();
  }
  std::string docx_text;
  if (LooksLikeZip(bytes)) {
    ASSIGN_OR_RETURN(docx_text, DocxToText(bytes));
    bytes = docx_text;
  }
  ASSIGN_OR_RETURN(importer_internal::CheckedText checked,
                   importer_internal::CheckDocumentBytes(bytes));
  ASSIGN_OR_RETURN(std::vector<Block> blocks, importer_internal::SplitIntoBlocks(checked.text));
  const Outline outline = importer_internal::BuildOutline(blocks);
  {
    // Records and tables carry their own links; when the document has them they are the
    // problems, whatever its headings say.
    importer_internal::SourceMap map(checked.text);
    ReviewDraft shaped;
    importer_internal::ShapePlaces places;
    ASSIGN_OR_RETURN(const bool found,
                     importer_internal::ReadStructuredShapes(checked.text, map, &shaped, &places));
    if (found) return FinishShaped(std::move(shaped), std::move(checked), blocks, outline, places);
  }
  if (!HasProblemsSection(outline)) return NoProblemsSection(blocks, outline);

  ReviewDraft draft;
  draft.warnings = std::move(checked.warnings);
  if (outline.title_block >= 0) {
    draft.title = importer_internal::TruncateChars(blocks[outline.title_block].text(),
                                                   kMaxImportedTitleChars - 1);
  }
  importer_internal::SourceMap map(checked.text);
  RETURN_IF_ERROR(importer_internal::ExtractSections(blocks, outline, map, &draft));
  if (draft.ProblemCount() == 0) {
    int line = 0;
    for (const DocumentSection& s : draft.sections) {
      if (s.kind == SectionKind::kProblems) {
        line = s.where.line;
        break;
      }
    }
    return InvalidField("document", absl::StrCat("第 ", line, " 行的问题部分没有列出任何问题"),
                        absl::StrCat("the problems section at line ", line, " lists no problem"));
  }
  LinkDraftProblemsToMeasures(draft);
  return draft;
}

}  // namespace rectify
