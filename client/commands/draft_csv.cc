#include "client/commands/draft_csv.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "client/commands/csv_reader.h"
#include "client/commands/dates.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

enum Column { kId, kVersion, kArea, kProblem, kMeasure, kOwnerUnit, kPerson, kLeader, kDeadline };

struct ColumnName {
  Column column;
  const char* zh;
  const char* en;
  // Other spellings accepted when reading, already normalised (see Normalise).
  std::vector<const char*> aliases;
};

const std::vector<ColumnName>& Columns() {
  static const auto* columns = new std::vector<ColumnName>{
      {kId, "任务ID", "task_id", {"任务编号", "id", "taskid"}},
      {kVersion, "版本", "version", {"版本号", "expectedversion"}},
      {kArea, "方面", "area", {}},
      {kProblem, "问题", "problem", {}},
      {kMeasure, "整改措施", "measure", {"措施"}},
      {kOwnerUnit, "责任单位", "owner_unit", {"责任单位id", "责任单位编号", "ownerunitid"}},
      {kPerson, "责任人", "owner_person", {"owner", "person"}},
      {kLeader, "责任领导", "leader", {}},
      {kDeadline, "整改时限", "deadline", {"时限", "完成时限"}},
  };
  return *columns;
}

constexpr absl::string_view kIdeographicSpace = "\xE3\x80\x80";  // U+3000, 全角空格

// Trims ASCII whitespace and full-width spaces, which Chinese input methods type.
absl::string_view Trim(absl::string_view s) {
  for (;;) {
    const absl::string_view before = s;
    s = absl::StripAsciiWhitespace(s);
    if (absl::ConsumePrefix(&s, kIdeographicSpace) || absl::ConsumeSuffix(&s, kIdeographicSpace)) {
      continue;
    }
    if (s == before) return s;
  }
}

// "Task ID" -> "taskid", "任务 ID" -> "任务id", "owner_unit_id" -> "ownerunitid".
std::string Normalise(absl::string_view header) {
  std::string out = absl::AsciiStrToLower(Trim(header));
  out = absl::StrReplaceAll(out, {{" ", ""}, {"_", ""}, {"-", ""}, {kIdeographicSpace, ""}});
  return out;
}

bool Matches(const ColumnName& c, const std::string& normalised) {
  if (normalised == Normalise(c.zh) || normalised == Normalise(c.en)) return true;
  for (const char* alias : c.aliases) {
    if (normalised == alias) return true;
  }
  return false;
}

std::string RowError(int line, const ColumnName& c, absl::string_view zh, absl::string_view en) {
  return absl::StrCat("第 ", line, " 行 / line ", line, ": ", c.zh, " ", zh, " / ", c.en, " ", en);
}

bool AllDigits(absl::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

}  // namespace

std::vector<std::string> DraftCsvHeader(Lang lang) {
  std::vector<std::string> header;
  for (const ColumnName& c : Columns()) header.push_back(lang == Lang::kZh ? c.zh : c.en);
  return header;
}

std::vector<std::string> DraftCsvRow(const v1::Task& task, const std::string& problem,
                                     const std::string& owner_unit) {
  return {
      absl::StrCat(task.id()),
      absl::StrCat(task.version()),
      task.area(),
      problem,
      task.measure(),
      owner_unit,
      task.owner_person(),
      task.leader(),
      task.cadence_days() > 0 ? absl::StrCat("长期坚持:", task.cadence_days()) : task.deadline()};
}

bool ParseDeadlineCell(absl::string_view cell, std::string* deadline, int* cadence_days) {
  deadline->clear();
  *cadence_days = 0;
  std::string text = absl::AsciiStrToLower(Trim(cell));
  if (text.empty()) return true;
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "长期坚持") || absl::ConsumePrefix(&rest, "长期") ||
      absl::ConsumePrefix(&rest, "ongoing")) {
    // "长期坚持:30", "长期坚持：每30天", "ongoing: 30 days"
    const std::initializer_list<absl::string_view> separators = {":", "：", "/",
                                                                 " ", "每", kIdeographicSpace};
    for (bool consumed = true; consumed;) {
      consumed = false;
      for (absl::string_view sep : separators) consumed |= absl::ConsumePrefix(&rest, sep);
    }
    for (absl::string_view unit : std::initializer_list<absl::string_view>{"天", "days", "day"}) {
      if (absl::ConsumeSuffix(&rest, unit)) break;
    }
    rest = Trim(rest);
    int days = 0;
    if (!AllDigits(rest) || !absl::SimpleAtoi(rest, &days) || days <= 0) return false;
    *cadence_days = days;
    return true;
  }
  return ParseUserDate(text, deadline);
}

std::string NormaliseMeasureCell(absl::string_view cell) {
  return std::string(Trim(absl::StrReplaceAll(cell, {{"\r\n", "\n"}, {"\r", "\n"}})));
}

AssignmentSheet ReadAssignmentSheet(absl::string_view csv, const UnitResolver& resolve_unit) {
  AssignmentSheet sheet;
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(csv);
  if (!rows.ok()) {
    sheet.errors.push_back(std::string(rows.status().message()));
    return sheet;
  }
  if (rows->empty()) {
    sheet.errors.push_back("文件是空的，没有表头 / the file is empty: no header row");
    return sheet;
  }
  // Where each known column is.
  const CsvRow& header = rows->front();
  std::map<Column, size_t> at;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = Normalise(header.fields[i]);
    if (name.empty()) continue;
    bool known = false;
    for (const ColumnName& c : Columns()) {
      if (!Matches(c, name)) continue;
      known = true;
      if (!at.emplace(c.column, i).second) {
        sheet.errors.push_back(absl::StrCat("表头中“", c.zh, "”列出现了两次 / the header has the ",
                                            c.en, " column twice"));
      }
    }
    if (!known) sheet.ignored_columns.push_back(header.fields[i]);
  }
  for (Column required : {kId, kOwnerUnit, kPerson, kDeadline}) {
    if (at.count(required) == 0) {
      const ColumnName& c = Columns()[required];
      sheet.errors.push_back(
          absl::StrCat("表头缺少“", c.zh, "”列 / the header has no ", c.en, " column"));
    }
  }
  if (!sheet.errors.empty()) return sheet;

  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    auto cell = [&](Column column) -> std::string {
      auto it = at.find(column);
      if (it == at.end() || it->second >= row.fields.size()) return "";
      return std::string(Trim(CsvCellText(row.fields[it->second])));
    };
    bool any = false;
    for (const std::string& f : row.fields) any = any || !Trim(f).empty();
    if (!any) continue;  // spreadsheets save trailing empty rows
    const std::string person = cell(kPerson);
    const std::string leader = cell(kLeader);
    const std::string deadline_cell = cell(kDeadline);
    const std::string measure = NormaliseMeasureCell(cell(kMeasure));
    if (person.empty() && leader.empty() && deadline_cell.empty()) {
      sheet.blank_lines.push_back(row.line);
      int64_t blank_id = 0;
      if (!measure.empty() && absl::SimpleAtoi(cell(kId), &blank_id) && blank_id > 0) {
        sheet.unassigned_measures.push_back({row.line, blank_id, measure});
      }
      continue;
    }
    const size_t errors_before = sheet.errors.size();
    v1::TaskAssignmentRow out;
    out.set_line(row.line);
    int64_t id = 0;
    if (!absl::SimpleAtoi(cell(kId), &id) || id <= 0) {
      sheet.errors.push_back(
          RowError(row.line, Columns()[kId], absl::StrCat("须为正整数（收到“", cell(kId), "”）"),
                   absl::StrCat("must be a positive number (got \"", cell(kId), "\")")));
    }
    out.set_id(id);
    int64_t version = 0;
    if (!cell(kVersion).empty() && (!absl::SimpleAtoi(cell(kVersion), &version) || version < 0)) {
      sheet.errors.push_back(RowError(row.line, Columns()[kVersion], "须为非负整数或留空",
                                      "must be a number, or empty"));
    }
    out.set_expected_version(version);
    int64_t unit = 0;
    const bool unit_is_id = absl::SimpleAtoi(cell(kOwnerUnit), &unit) && unit > 0;
    if (!unit_is_id && resolve_unit != nullptr && !cell(kOwnerUnit).empty()) {
      absl::StatusOr<int64_t> found = resolve_unit(cell(kOwnerUnit));
      if (found.ok()) {
        unit = *found;
      } else {
        sheet.errors.push_back(
            absl::StrCat("第 ", row.line, " 行 / line ", row.line, ": ", Columns()[kOwnerUnit].zh,
                         " / ", Columns()[kOwnerUnit].en, ": ", found.status().message()));
      }
    } else if (!unit_is_id) {
      sheet.errors.push_back(RowError(
          row.line, Columns()[kOwnerUnit],
          absl::StrCat("须填单位编号、名称或路径（见 rectify unit list），收到“", cell(kOwnerUnit),
                       "”"),
          absl::StrCat("must name a unit by id, name or path (see rectify unit list), got \"",
                       cell(kOwnerUnit), "\"")));
    }
    out.set_owner_unit_id(unit);
    out.set_owner_person(person);
    out.set_leader(leader);
    std::string deadline;
    int cadence = 0;
    if (!ParseDeadlineCell(deadline_cell, &deadline, &cadence)) {
      sheet.errors.push_back(
          RowError(row.line, Columns()[kDeadline],
                   absl::StrCat("无法识别“", deadline_cell,
                                "”：请填 2022-03-31 这样的日期，或“长期坚持:30”"),
                   absl::StrCat("cannot read \"", deadline_cell,
                                "\": give a date such as 2022-03-31, or \"ongoing:30\"")));
    }
    out.set_deadline(deadline);
    out.set_cadence_days(cadence);
    out.set_measure(measure);
    for (size_t i = header.fields.size(); i < row.fields.size(); ++i) {
      if (!Trim(row.fields[i]).empty()) {
        sheet.errors.push_back(absl::StrCat("第 ", row.line, " 行 / line ", row.line,
                                            ": 单元格比表头多 / more cells than the header"));
        break;
      }
    }
    if (sheet.errors.size() == errors_before) sheet.rows.push_back(std::move(out));
  }
  return sheet;
}

}  // namespace rectify::client
