// Table: a plain-text table for terminals, aligned by display width so that Chinese text (two
// columns per character) lines up with ASCII.
//
//   Table t({"ID", "状态", "整改措施"});
//   t.SetAlign(0, Table::Align::kRight).SetMaxWidth(2, 40);
//   t.AddRow({"12", "整改中", measure});
//   out << t.Render();
//
// Cells are single-line: newlines and tabs become spaces. A cell wider than its column's maximum
// is cut and ends in "…". Columns are separated by two spaces; the last column is not padded, so
// lines carry no trailing blanks. Section lines (AddSection) are printed as they are, between
// rows, and do not widen any column.
//
// Thread safety: none; build and render on one thread.
#ifndef RECTIFY_CLIENT_OUTPUT_TABLE_H_
#define RECTIFY_CLIENT_OUTPUT_TABLE_H_

#include <cstddef>
#include <string>
#include <vector>

namespace rectify::client {

class Table {
 public:
  enum class Align { kLeft, kRight };

  explicit Table(std::vector<std::string> headers);

  // Right-align numbers so that their digits line up.
  Table& SetAlign(size_t column, Align align);
  // At most `width` display columns for the cells of `column` (the header is never cut);
  // 0 means no limit.
  Table& SetMaxWidth(size_t column, int width);

  // A row; missing cells are empty, extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  // A line of its own between rows, e.g. a group heading.
  void AddSection(std::string line);

  // Number of rows (sections not counted).
  size_t row_count() const { return row_count_; }

  // The header line and every row, each ending in '\n'.
  std::string Render() const;

 private:
  struct Line {
    bool is_section = false;
    std::vector<std::string> cells;  // or, for a section, one string
  };

  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<int> max_width_;
  std::vector<Line> lines_;
  size_t row_count_ = 0;
};

// `text` on one line: '\n', '\r' and '\t' become spaces (a multi-line cell would break the
// table's alignment).
std::string OneLine(const std::string& text);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_TABLE_H_
