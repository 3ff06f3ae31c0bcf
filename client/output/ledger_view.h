// How streamed rows look: the ledger export (整改台账) and the event stream (rectify watch).
//
// Both arrive one row at a time and are printed as they come, so the table here has fixed column
// widths (a cell wider than its column is cut, ending in "…") instead of widths measured over all
// rows, which would need the whole ledger in memory.
//
// Functions are pure and thread-safe; LedgerTable is not (one per output, one thread).
#ifndef RECTIFY_CLIENT_OUTPUT_LEDGER_VIEW_H_
#define RECTIFY_CLIENT_OUTPUT_LEDGER_VIEW_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "rectify/v1/ledger.pb.h"
#include "rectify/v1/reports.pb.h"
#include "services/common/labels.h"

namespace rectify::client {

// Column headers of the export: review, problem no., area, problem, task, measure, owner unit,
// owner, leader, deadline, status, light, progress, latest progress, closed on.
std::vector<std::string> LedgerHeaders(Lang lang);
// The row's cells under LedgerHeaders, texts in full (for CSV). A problem without tasks has its
// task cells empty, the measure saying so.
std::vector<std::string> LedgerCells(const rectify::v1::LedgerRow& row, Lang lang);

// ---- CSV columns (`export --format csv`), for scripts and the round trip (import-ledger) ----
// Ids in their own columns (review, problem, task, owner unit), the deadline as a bare date and
// the long-term cadence (长期坚持) as a number of days in a column of its own, progress as a
// number 0-100, the task's version for expected_version; an empty cell where there is no value.
std::vector<std::string> LedgerCsvHeaders(Lang lang);
std::vector<std::string> LedgerCsvCells(const rectify::v1::LedgerRow& row, Lang lang);

// The export as a terminal table with fixed widths.
class LedgerTable {
 public:
  explicit LedgerTable(Lang lang);
  // The header line, ending in '\n'.
  std::string Header() const;
  // One row, ending in '\n'.
  std::string Row(const rectify::v1::LedgerRow& row) const;

 private:
  std::string Line(const std::vector<std::string>& cells) const;

  Lang lang_;
  std::vector<int> widths_;
};

// One event on one line: time, seq, kind, task, actor, detail.
//   "2022-01-05 09:00      123  催办      任务 12   王书记    请于本周内报送整改进展"
std::string EventLine(const rectify::v1::Event& event, Lang lang, absl::TimeZone zone);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_LEDGER_VIEW_H_
