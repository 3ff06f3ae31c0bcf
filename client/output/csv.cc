#include "client/output/csv.h"

namespace rectify::client {
namespace {

// Characters that make a spreadsheet read a cell as a formula (or, tab and CR, hide one).
bool LooksLikeFormula(absl::string_view text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

bool NeedsQuotes(absl::string_view text) {
  if (text.empty()) return false;
  if (text.front() == ' ' || text.back() == ' ') return true;  // some readers trim them
  return text.find_first_of(",\"\r\n") != absl::string_view::npos;
}

}  // namespace

std::string CsvField(absl::string_view text) {
  std::string value;
  if (LooksLikeFormula(text)) value += '\'';
  value.append(text.data(), text.size());
  if (!NeedsQuotes(value)) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string record;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) record += ',';
    record += CsvField(fields[i]);
  }
  record += "\r\n";
  return record;
}

CsvWriter::CsvWriter(std::ostream& out) : out_(out) { out_ << kUtf8Bom; }

void CsvWriter::WriteRow(const std::vector<std::string>& fields) { out_ << CsvRecord(fields); }

}  // namespace rectify::client
