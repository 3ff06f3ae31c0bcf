// The ledger workbook (整改台账.xlsx) a committee reports upward: sheets 整改台账 (every task with
// its problem), 逾期清单 and 统计, each with a title block (填报单位, 截至日期), a frozen header,
// widths that fit Chinese text, autofilter, landscape A4 fitted to the page width, the header
// repeated on every printed page and page numbers in the footer. Dates are real dates,
// progress and rates numbers formatted as percentages, the warning light (as of the date) a cell
// colour. The three inputs must be of one scope (unit and review) and one date.
//
// Written with libxlsxwriter; works on the API's messages only, so the CLI and the HTTP
// gateway make the same bytes. Functions are thread-safe (each call has its own workbook).
#ifndef RECTIFY_SERVICES_PAPERWORK_LEDGER_WORKBOOK_H_
#define RECTIFY_SERVICES_PAPERWORK_LEDGER_WORKBOOK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rectify/v1/reports.pb.h"

namespace rectify::paperwork {

struct LedgerWorkbookInput {
  std::string unit_name;  // 填报单位
  std::string as_of;      // 截至日期, "YYYY-MM-DD": the overdue report's and statistics' date
  // ExportLedger of the same scope with as_of = `as_of`, in its order: the 预警 column is each
  // row's light_as_of.
  std::vector<rectify::v1::LedgerRow> rows;
  rectify::v1::OverdueReportResponse overdue;  // as of `as_of`, grouped by unit
  rectify::v1::StatisticsResponse statistics;  // as of `as_of`, per unit
};

// Column headers of the 整改台账 sheet, in order. The round trip (ledger import) finds its
// columns by these names, so a committee may reorder or hide columns freely.
const std::vector<std::string>& LedgerSheetHeaders();

// The workbook's bytes.
absl::StatusOr<std::string> LedgerWorkbook(const LedgerWorkbookInput& input);

}  // namespace rectify::paperwork

#endif  // RECTIFY_SERVICES_PAPERWORK_LEDGER_WORKBOOK_H_
