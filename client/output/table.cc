#include "client/output/table.h"

#include <algorithm>
#include <utility>

#include "services/common/text.h"

namespace rectify::client {

std::string OneLine(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)),
      align_(headers_.size(), Align::kLeft),
      max_width_(headers_.size(), 0) {}

Table& Table::SetAlign(size_t column, Align align) {
  if (column < align_.size()) align_[column] = align;
  return *this;
}

Table& Table::SetMaxWidth(size_t column, int width) {
  if (column < max_width_.size()) max_width_[column] = std::max(width, 0);
  return *this;
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    cells[i] = OneLine(cells[i]);
    // The ellipsis needs a column of its own, so a limit below 2 would show nothing useful.
    if (max_width_[i] > 0) cells[i] = TruncateToWidth(cells[i], std::max(max_width_[i], 2));
  }
  lines_.push_back(Line{false, std::move(cells)});
  ++row_count_;
}

void Table::AddSection(std::string line) { lines_.push_back(Line{true, {OneLine(line)}}); }

std::string Table::Render() const {
  const size_t n = headers_.size();
  std::vector<int> width(n, 0);
  for (size_t i = 0; i < n; ++i) width[i] = DisplayWidth(headers_[i]);
  for (const Line& line : lines_) {
    if (line.is_section) continue;
    for (size_t i = 0; i < n; ++i) width[i] = std::max(width[i], DisplayWidth(line.cells[i]));
  }

  auto render_cells = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) out += "  ";
      const int pad = width[i] - DisplayWidth(cells[i]);
      if (align_[i] == Align::kRight) {
        out.append(static_cast<size_t>(pad), ' ');
        out += cells[i];
      } else if (i + 1 < n) {
        out += cells[i];
        out.append(static_cast<size_t>(pad), ' ');
      } else {
        out += cells[i];  // last column: no trailing blanks
      }
    }
    // An empty last cell leaves the column separator behind.
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };

  std::string out = render_cells(headers_);
  for (const Line& line : lines_) {
    out += line.is_section ? line.cells[0] + "\n" : render_cells(line.cells);
  }
  return out;
}

}  // namespace rectify::client
