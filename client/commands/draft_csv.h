// The spreadsheet of draft tasks (草稿任务) that the committee fills in: what
// `rectify task export-drafts` writes and `rectify task assign-csv` reads back.
//
// Columns, in this order when exported (Chinese headers with --lang zh, English with --lang en):
//   任务ID task_id | 版本 version | 方面 area | 问题 problem | 整改措施 measure |
//   责任单位 owner_unit (the unit's name, or its path when another unit has the name; an id is
//   read too; the header 责任单位ID / owner_unit_id of earlier releases as well) |
//   责任人 owner_person | 责任领导 leader | 整改时限 deadline
// Reading finds the columns by their header, in any order and in either language (spaces,
// underscores and case do not matter); area, problem and measure are for the reader and are
// ignored; unknown columns are ignored. The deadline cell takes 2022-03-31, 2022/3/31 (what Excel
// saves after showing a date), 2022.3.31, 2022年3月31日, or 长期坚持:30 / ongoing:30 for a
// long-term task reporting every 30 days.
//
// A row whose person, leader and deadline are all blank is skipped: that draft stays a draft,
// so a committee can assign a review in several rounds.
//
// The 整改措施 column is read too, never ignored: a filled-in row sends it, and the server gives
// a draft the edited measure or refuses a different measure for an assigned task; a skipped row
// whose measure was edited is listed in `unassigned_measures` for the command to check against
// the ledger and refuse (an edit there would otherwise be lost).
//
// Thread safety: pure functions.
#ifndef RECTIFY_CLIENT_COMMANDS_DRAFT_CSV_H_
#define RECTIFY_CLIENT_COMMANDS_DRAFT_CSV_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/import.pb.h"
#include "rectify/v1/ledger.pb.h"
#include "services/common/labels.h"

namespace rectify::client {

// The header row.
std::vector<std::string> DraftCsvHeader(Lang lang);

// One task's row; `problem` is the text of the task's problem, `owner_unit` what names its owner
// unit (UnitDirectory::ReferenceTo: its name or path).
std::vector<std::string> DraftCsvRow(const rectify::v1::Task& task, const std::string& problem,
                                     const std::string& owner_unit);

// What a filled-in spreadsheet asks for.
struct AssignmentSheet {
  // Rows to send, each with the line it starts on.
  std::vector<rectify::v1::TaskAssignmentRow> rows;
  // Lines of rows left blank (they stay drafts).
  std::vector<int> blank_lines;
  // Every problem found, one line each, "第 3 行 / line 3: 整改时限 ..." ; empty when the sheet
  // can be sent. A problem with the whole file (not UTF-8, a missing column) is the only entry.
  std::vector<std::string> errors;
  // Headers that name no known column, for a hint.
  std::vector<std::string> ignored_columns;
  // Skipped rows (blank person, leader and deadline) with a measure cell: the command compares
  // it with the task's measure and refuses the sheet when it was edited.
  struct MeasureCell {
    int line = 0;
    int64_t task_id = 0;
    std::string measure;
  };
  std::vector<MeasureCell> unassigned_measures;
};

// A measure cell as it compares with the ledger: trimmed, CRLF as LF (spreadsheets save both).
std::string NormaliseMeasureCell(absl::string_view cell);

// Finds the unit a cell names (a name or path; see unit_ref.h); its message explains a failure.
using UnitResolver = std::function<absl::StatusOr<int64_t>(const std::string&)>;

// Reads the CSV bytes of a filled-in spreadsheet. The owner-unit cell takes an id, or a unit's
// name or path when `resolve_unit` is given (without it, names are refused as before).
AssignmentSheet ReadAssignmentSheet(absl::string_view csv,
                                    const UnitResolver& resolve_unit = nullptr);

// A deadline cell as described above. Sets exactly one of *deadline ("YYYY-MM-DD") and
// *cadence_days; both stay empty/0 for an empty cell. False when the cell means neither.
bool ParseDeadlineCell(absl::string_view cell, std::string* deadline, int* cadence_days);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_DRAFT_CSV_H_
