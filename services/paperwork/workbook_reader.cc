#include "services/paperwork/workbook_reader.h"

#include <cmath>
#include <cstdlib>
#include <pugixml.hpp>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/paperwork/zip_archive.h"

namespace rectify::paperwork {
namespace {

absl::Status NotAWorkbook(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "文件不是有效的 Excel 工作簿（.xlsx）/ the file is not a valid Excel workbook (.xlsx): ",
      why));
}

absl::StatusOr<pugi::xml_document> ParseMember(absl::string_view xlsx, const std::string& name) {
  absl::StatusOr<std::string> bytes = ReadZipMember(xlsx, name);
  if (!bytes.ok()) return NotAWorkbook(bytes.status().message());
  pugi::xml_document doc;
  if (!doc.load_buffer(bytes->data(), bytes->size())) return NotAWorkbook(name);
  return doc;
}

// Text of an <si> or <is>: a plain <t>, or the <t> of every rich-text run, phonetic runs left out.
std::string StringItem(const pugi::xml_node& item) {
  std::string text;
  for (pugi::xml_node child : item.children()) {
    const std::string name = child.name();
    if (name == "t") {
      text += child.text().get();
    } else if (name == "r") {
      text += child.child("t").text().get();
    }
  }
  return text;
}

// "BC12" → column 54 (0-based), row 12.
bool ParseRef(const char* ref, int* col, int* row) {
  int c = 0;
  const char* p = ref;
  while (*p >= 'A' && *p <= 'Z') c = c * 26 + (*p++ - 'A' + 1);
  if (c == 0 || *p == '\0') return false;
  *col = c - 1;
  *row = std::atoi(p);
  return *row > 0;
}

// Where the sheet named `sheet` lives in the package, e.g. "xl/worksheets/sheet1.xml".
absl::StatusOr<std::string> SheetPath(absl::string_view xlsx, const std::string& sheet) {
  absl::StatusOr<pugi::xml_document> workbook = ParseMember(xlsx, "xl/workbook.xml");
  if (!workbook.ok()) return workbook.status();
  pugi::xml_node sheets = workbook->child("workbook").child("sheets");
  pugi::xml_node chosen = sheets.first_child();
  for (pugi::xml_node s : sheets.children("sheet")) {
    if (sheet == s.attribute("name").value()) chosen = s;
  }
  if (!chosen) return NotAWorkbook("no sheets");
  // The relationship id's prefix is whatever the writer bound the namespace to (r: usually).
  std::string rid;
  for (pugi::xml_attribute a : chosen.attributes()) {
    if (absl::EndsWith(a.name(), ":id")) rid = a.value();
  }
  absl::StatusOr<pugi::xml_document> rels = ParseMember(xlsx, "xl/_rels/workbook.xml.rels");
  if (!rels.ok()) return rels.status();
  for (pugi::xml_node rel : rels->child("Relationships").children("Relationship")) {
    if (rid != rel.attribute("Id").value()) continue;
    std::string target = rel.attribute("Target").value();
    if (absl::StartsWith(target, "/")) return target.substr(1);
    return absl::StrCat("xl/", target);
  }
  return NotAWorkbook("the sheet has no part");
}

}  // namespace

absl::StatusOr<std::vector<SheetRow>> ReadWorksheet(absl::string_view xlsx,
                                                    const std::string& sheet) {
  absl::StatusOr<std::string> path = SheetPath(xlsx, sheet);
  if (!path.ok()) return path.status();
  std::vector<std::string> shared;
  if (ReadZipMember(xlsx, "xl/sharedStrings.xml").ok()) {
    absl::StatusOr<pugi::xml_document> sst = ParseMember(xlsx, "xl/sharedStrings.xml");
    if (!sst.ok()) return sst.status();
    for (pugi::xml_node si : sst->child("sst").children("si")) shared.push_back(StringItem(si));
  }
  absl::StatusOr<pugi::xml_document> doc = ParseMember(xlsx, *path);
  if (!doc.ok()) return doc.status();
  std::vector<SheetRow> rows;
  for (pugi::xml_node r : doc->child("worksheet").child("sheetData").children("row")) {
    SheetRow row;
    row.line = r.attribute("r").as_int(static_cast<int>(rows.size()) + 1);
    int next_col = 0;
    for (pugi::xml_node c : r.children("c")) {
      int col = next_col, line = row.line;
      if (c.attribute("r")) ParseRef(c.attribute("r").value(), &col, &line);
      next_col = col + 1;
      if (col > 16383) return NotAWorkbook("column out of range");
      const std::string type = c.attribute("t").value();
      std::string text;
      if (type == "s") {
        const int index = c.child("v").text().as_int(-1);
        if (index < 0 || index >= static_cast<int>(shared.size())) {
          return NotAWorkbook("bad shared string index");
        }
        text = shared[static_cast<size_t>(index)];
      } else if (type == "inlineStr") {
        text = StringItem(c.child("is"));
      } else {
        text = c.child("v").text().get();
      }
      if (text.empty()) continue;
      if (row.cells.size() <= static_cast<size_t>(col))
        row.cells.resize(static_cast<size_t>(col) + 1);
      row.cells[static_cast<size_t>(col)] = std::move(text);
    }
    if (!row.cells.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::string> ExcelSerialToDay(const std::string& text) {
  char* end = nullptr;
  const double serial = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0') return std::nullopt;
  // 1900-03-01 (61) to 2199-12-31; Excel's phantom 1900-02-29 lies before.
  if (!(serial >= 61 && serial < 110000)) return std::nullopt;
  // Serial 0 is 1899-12-30 (Excel counts a 1900-02-29 that never was; later serials agree).
  const absl::CivilDay day =
      absl::CivilDay(1899, 12, 30) + static_cast<int64_t>(std::floor(serial));
  return absl::FormatCivilTime(day);
}

}  // namespace rectify::paperwork
