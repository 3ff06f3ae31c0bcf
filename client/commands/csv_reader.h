// Reading CSV back from Excel and WPS (the writer is client/output/csv.h).
//
// RFC 4180 and what spreadsheets actually save: an optional UTF-8 byte order mark; records ending
// in CRLF, LF or a lone CR; fields separated by commas; a quoted field may hold commas, doubled
// quotes and line breaks (kept as "\n"). Lenient where it costs nothing: text after a closing
// quote is kept, a quote inside an unquoted field is an ordinary character. Every record carries
// the line it starts on, so that errors can name it as the user sees it in a text editor (the
// header is line 1).
//
//   absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(bytes);
//   for (const CsvRow& row : *rows) ... row.line, row.fields[0] ...
//
// Thread safety: pure functions.
#ifndef RECTIFY_CLIENT_COMMANDS_CSV_READER_H_
#define RECTIFY_CLIENT_COMMANDS_CSV_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::client {

struct CsvRow {
  int line = 0;  // 1-based line the record starts on
  std::vector<std::string> fields;
};

// INVALID_ARGUMENT when the text is not UTF-8 (naming the first bad line and suggesting to save
// as "CSV UTF-8") or a quoted field never ends (naming the line it starts on). An empty text has
// no rows. A final line break does not make an empty record.
absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text);

// Undoes the writer's guard against formulas: "'=SUM(A1)" -> "=SUM(A1)". Only an apostrophe
// followed by one of = + - @ is removed; any other text is returned as it is.
std::string CsvCellText(absl::string_view field);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_CSV_READER_H_
