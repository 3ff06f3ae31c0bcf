// Reading a worksheet of an .xlsx workbook back, as saved by Excel, WPS or LibreOffice after a
// committee edited the exported ledger: libzip opens the package, pugixml parses the workbook,
// its relationships, the shared strings and the sheet. Cells come back as text: shared and inline
// strings as they are, numbers as written in the file ("45678", "0.25"); dates are numbers
// (serial days), which ExcelSerialToDay turns into "YYYY-MM-DD". No other program is needed.
//
// Functions are pure and thread-safe.
#ifndef RECTIFY_SERVICES_PAPERWORK_WORKBOOK_READER_H_
#define RECTIFY_SERVICES_PAPERWORK_WORKBOOK_READER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::paperwork {

struct SheetRow {
  int line = 0;                    // the row number Excel shows, from 1
  std::vector<std::string> cells;  // column A first; missing cells are ""
};

// The non-empty rows of the sheet named `sheet` (or the first sheet when no sheet has that
// name). INVALID_ARGUMENT, saying so in Chinese and English, when `xlsx` is not a workbook.
absl::StatusOr<std::vector<SheetRow>> ReadWorksheet(absl::string_view xlsx,
                                                    const std::string& sheet);

// Excel's serial day (1900 date system: 45658 is 2025-01-01) as "YYYY-MM-DD"; nullopt when the
// text is not a number in the range of plausible dates.
std::optional<std::string> ExcelSerialToDay(const std::string& text);

}  // namespace rectify::paperwork

#endif  // RECTIFY_SERVICES_PAPERWORK_WORKBOOK_READER_H_
