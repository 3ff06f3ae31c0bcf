// Internal to the importer: the shapes that put a problem, its measure, its owner and its
// deadline side by side, as audit rectification reports (审计整改报告) and ledgers pasted from
// Word do. Position links them, not words:
//
// - Labelled records: "问题一：……" then "整改措施：……", "责任单位：……", "完成时限：……" (a label
//   may carry numbering, "1. 问题：……", and a field may go on over the next unlabelled lines).
//   The heading before a run of records ("（一）财务管理方面") names their area.
// - Tables: a Markdown table ("| 序号 | 问题 | 整改措施 | 责任单位 | 完成时限 |", its "|---|" row
//   and data rows) or a tab-separated one (cells pasted from Word or Excel, or a .docx table as
//   the client converts it). The header decides the columns by name, in any order; a 方面/类别
//   column names areas. A row with an empty problem cell adds its measure to the problem above
//   (a merged cell in Word).
//
// Thread safety: not thread-safe (it advances the SourceMap's cache).
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_STRUCTURED_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_STRUCTURED_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/importer/internal/document_lines.h"
#include "services/importer/review_draft.h"

namespace rectify {
namespace importer_internal {

// Where the tables and labelled records lie, so that the preview can describe the document
// truthfully: a table's header is no title, a label line ("整改措施：") is no section, and the
// section that holds the records is a problems section whatever its heading says.
struct ShapePlaces {
  // 1-based lines taken by a table (header, rule, rows) or by a label of an imported record,
  // ascending.
  std::vector<int> lines;
  // The first table's header line, or the first record's 问题 label line; 0 when none.
  int first_line = 0;
  // How that line is shown as a section heading: the header's cells ("序号 | 问题 | 整改措施 …"),
  // or the label ("问题一：").
  std::string first_heading;
};

// Reads labelled records and tables out of `text` (checked text) into the areas and measures of
// `draft`, each problem linked to its own row's measure and carrying its owner and deadline as
// written. A problem under no heading gets the area 问题清单, located at its table's header (or
// at the record). Returns whether the document has that shape (at least one problem record with
// a measure, owner or deadline, or a table with a 问题 column and at least one row); when it does
// not, `draft` is untouched. `places` (optional) receives where the shapes lie. INVALID_ARGUMENT
// past kMaxImportedProblems.
absl::StatusOr<bool> ReadStructuredShapes(absl::string_view text, SourceMap& map,
                                          ReviewDraft* draft, ShapePlaces* places = nullptr);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_STRUCTURED_H_
