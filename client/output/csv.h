// CSV that opens correctly in Excel and WPS with Chinese text:
//   - UTF-8 with a byte order mark first (without it Excel reads the bytes as the system's ANSI
//     code page, GBK on Chinese Windows, and shows mojibake);
//   - CRLF after every record (RFC 4180);
//   - a field is quoted when it holds a comma, a double quote, CR or LF, or starts or ends with
//     a space; quotes inside are doubled. Newlines inside a quoted field are kept, so a
//     multi-line progress note stays one cell;
//   - a text field that starts with =, +, -, @, tab or CR gets a leading apostrophe, so that a
//     spreadsheet shows it as text instead of running it as a formula (CSV injection; OWASP).
//
//   CsvWriter csv(out);                 // writes the BOM
//   csv.WriteRow({"任务", "整改措施"});
//   csv.WriteRow({"12", "建立\"三会一课\"台账，逐月检查"});
//
// Thread safety: none; one writer per stream, on one thread.
#ifndef RECTIFY_CLIENT_OUTPUT_CSV_H_
#define RECTIFY_CLIENT_OUTPUT_CSV_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace rectify::client {

// The UTF-8 byte order mark.
inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

// One field as it goes into a record: neutralised if it could run as a formula, quoted if it
// must be.
std::string CsvField(absl::string_view text);

// Fields joined by commas, ending in CRLF.
std::string CsvRecord(const std::vector<std::string>& fields);

class CsvWriter {
 public:
  // Writes the BOM to `out` at once.
  explicit CsvWriter(std::ostream& out);
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  void WriteRow(const std::vector<std::string>& fields);

 private:
  std::ostream& out_;
};

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_CSV_H_
