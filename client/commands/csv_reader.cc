#include "client/commands/csv_reader.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/text.h"

namespace rectify::client {
namespace {

constexpr absl::string_view kBom = "\xEF\xBB\xBF";

// The line of the first invalid UTF-8 byte sequence, 0 when all is valid. Checked line by line so
// that the message can point at it.
int FirstBadLine(absl::string_view text) {
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == absl::string_view::npos) end = text.size();
    if (!IsValidUtf8(text.substr(start, end - start))) return line;
    start = end + 1;
    ++line;
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text) {
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (const int bad = FirstBadLine(text); bad > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "第 ", bad, " 行不是 UTF-8 文本：请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）” / line ",
        bad, " is not UTF-8 text: save the file as \"CSV UTF-8 (comma delimited)\""));
  }
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  int line = 1;
  bool in_quotes = false;
  bool row_started = false;
  int quote_line = 0;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
  };
  auto end_row = [&] {
    end_field();
    rows.push_back(std::move(row));
    row = CsvRow();
    row_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!row_started) {
      row.line = line;
      row_started = true;
    }
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        field += '\n';
        ++line;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      in_quotes = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      ++line;
    } else {
      field += c;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(
        absl::StrCat("第 ", quote_line, " 行的引号没有闭合 / the quoted field starting on line ",
                     quote_line, " never ends"));
  }
  if (row_started) end_row();
  return rows;
}

std::string CsvCellText(absl::string_view field) {
  if (field.size() >= 2 && field[0] == '\'') {
    switch (field[1]) {
      case '=':
      case '+':
      case '-':
      case '@':
        return std::string(field.substr(1));
      default:
        break;
    }
  }
  return std::string(field);
}

}  // namespace rectify::client
