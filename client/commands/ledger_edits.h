// The round trip of the ledger (整改台账): what a committee changed in an exported workbook
// (.xlsx) or CSV, as a plan of reassignments to send, row by row. Used by `rectify
// import-ledger`.
//
// Columns are found by their header (the row holding 任务编号 / Task ID), so columns may be
// moved or hidden: 任务编号, 版本, 责任单位, 责任单位编号 (CSV), 责任人, 责任领导, 整改时限,
// 长期坚持周期（天）. Rows without a task id (problems with no measure yet) are skipped.
//
// What may change, and how:
//   - owner unit, person and leader of an OPEN task (待整改, drafts included): sent as one
//     ImportService.AssignTasks call, all or nothing, each row with the version it was exported
//     at, so a task changed since the export is refused rather than overwritten;
//   - the deadline (or long-term cadence) of a draft: its first assignment;
//   - a later deadline of an assigned task (待整改 or 整改中): an extension request (申请延期),
//     sent in the same AssignTasks call with the reason given (TaskAssignmentRow
//     .extension_reason), pending until someone allowed under separation of duties decides it;
//     an earlier or empty deadline, or a cadence, for an assigned task is refused;
//   - anything else of a task already in progress, submitted, closed, long-term or cancelled:
//     refused, naming the task's status.
// Any refused row refuses the whole file: nothing is sent.
//
// Thread safety: pure functions.
#ifndef RECTIFY_CLIENT_COMMANDS_LEDGER_EDITS_H_
#define RECTIFY_CLIENT_COMMANDS_LEDGER_EDITS_H_

#include <map>
#include <string>
#include <vector>

#include "rectify/v1/import.pb.h"
#include "rectify/v1/ledger.pb.h"
#include "rectify/v1/org.pb.h"

namespace rectify::client {

// A row of the file as read: its line (Excel's row number, or the CSV line) and its cells.
struct LedgerFileRow {
  int line = 0;
  std::vector<std::string> cells;
};

// One task's row after reading.
struct LedgerEdit {
  int line = 0;
  int64_t task_id = 0;
  int64_t version = 0;  // 0 when the file has no 版本 column
  std::string unit_name;
  int64_t unit_id = 0;  // 责任单位编号, when the file has it
  std::string person;
  std::string leader;
  std::string deadline;  // "YYYY-MM-DD" or ""
  int cadence_days = 0;
  bool has_leader = false, has_deadline = false, has_cadence = false, has_unit_id = false;
};

struct LedgerFile {
  std::vector<LedgerEdit> rows;
  std::vector<std::string> errors;  // "第 3 行 / line 3: ..."; a file-level problem alone
};

// Reads the rows; `xlsx` says that numbers in the deadline column are Excel date serials.
LedgerFile ReadLedgerFile(const std::vector<LedgerFileRow>& rows, bool xlsx);

// A change to send, with what it changes for people to read.
struct LedgerChange {
  int line = 0;
  int64_t task_id = 0;
  std::vector<std::string> diffs;  // "责任人：张三 → 李四", "申请延期 → 2022-06-30"
  // The row asks for a later deadline of an assigned task: an extension request to
  // `extension_to`, which needs a reason (row.extension_reason) before it is sent.
  bool extension = false;
  std::string extension_to;
  rectify::v1::TaskAssignmentRow row;
};

struct LedgerPlan {
  std::vector<LedgerChange> changes;
  std::vector<std::string> errors;
  int unchanged = 0;
  int extensions = 0;  // changes that ask for an extension
};

// Compares the file with the tasks as they are now (by id) and the units the caller may see.
LedgerPlan PlanLedgerChanges(const LedgerFile& file,
                             const std::map<int64_t, rectify::v1::Task>& tasks,
                             const std::vector<rectify::v1::OrgUnit>& units);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_LEDGER_EDITS_H_
