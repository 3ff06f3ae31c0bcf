#include "services/importer/internal/structured.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/importer/internal/numbering.h"
#include "services/importer/internal/utf8_scan.h"
#include "services/importer/review_document.h"

namespace rectify {
namespace importer_internal {
namespace {

// A label is short: "审计发现的问题：" yes, a sentence that happens to hold a colon no.
constexpr size_t kMaxLabelChars = 10;
constexpr size_t kMaxTitleChars = 40;
constexpr absl::string_view kDefaultArea = "问题清单";

// What a label or a column header names.
enum class Field { kNone, kSeq, kArea, kProblem, kMeasure, kOwner, kPerson, kDeadline, kOther };

// `s` without spaces, "**", and the numbering a label may carry ("问题一", "问题1" → "问题").
std::string NormaliseLabel(absl::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const CodePoint c = DecodeAt(s, i);
    const bool drop = IsSpace(c.cp) || c.cp == '*' || DigitValue(c.cp) >= 0 ||
                      HanDigitValue(c.cp) > 0 || c.cp == U'第' || c.cp == U'、' || c.cp == '.';
    if (!drop) out.append(s.data() + i, static_cast<size_t>(c.length));
    i += c.length;
  }
  return out;
}

Field Classify(absl::string_view raw) {
  const std::string s = NormaliseLabel(raw);
  if (s.empty()) return Field::kNone;
  if (s == "序号" || s == "编号" || s == "序") return Field::kSeq;
  if (absl::StrContains(s, "措施") || absl::StrContains(s, "举措")) return Field::kMeasure;
  if (absl::StrContains(s, "责任单位") || absl::StrContains(s, "责任部门") ||
      absl::StrContains(s, "牵头单位") || s == "责任" || s == "整改单位") {
    return Field::kOwner;
  }
  if (absl::StrContains(s, "责任人")) return Field::kPerson;
  if (absl::StrContains(s, "时限") || absl::StrContains(s, "期限") ||
      absl::StrContains(s, "完成时间")) {
    return Field::kDeadline;
  }
  if (s == "方面" || s == "类别" || s == "问题类别" || s == "问题类型" || s == "领域") {
    return Field::kArea;
  }
  if (absl::StrContains(s, "原因") || absl::StrContains(s, "情况") ||
      absl::StrContains(s, "进展") || absl::StrContains(s, "备注") ||
      absl::StrContains(s, "成效")) {
    return Field::kOther;
  }
  if (absl::EndsWith(s, "问题") || absl::StartsWith(s, "问题")) return Field::kProblem;
  return Field::kNone;
}

// One problem as a record or a table row gives it. Texts are views into the document.
struct Row {
  std::string area;
  SourceSpan area_where;
  std::string problem;
  size_t problem_offset = 0;
  std::vector<std::pair<std::string, size_t>> measures;  // text, offset
  std::string owner;
  std::string person;
  std::string deadline;
};

struct Line {
  absl::string_view text;  // without the line end
  size_t offset = 0;
};

std::vector<Line> SplitLines(absl::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
      lines.push_back({text.substr(start, i - start), start});
      if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  return lines;
}

// Offset of `part` within the document, given that it is a view into it.
size_t OffsetOf(absl::string_view doc, absl::string_view part) {
  return static_cast<size_t>(part.data() - doc.data());
}

std::string Clean(absl::string_view s) {
  std::string out = absl::StrReplaceAll(
      TrimSpaces(s), {{"**", ""}, {"<br>", "\n"}, {"<br/>", "\n"}, {"\\|", "|"}});
  return std::string(TrimSpaces(out));
}

std::string TitleOf(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const CodePoint c = DecodeAt(text, i);
    if (IsSentenceEnd(c.cp) || IsColon(c.cp) || c.cp == '\n') break;
    i += c.length;
  }
  const absl::string_view lead = TrimTrailingPunctuation(text.substr(0, i));
  return CountChars(lead) <= kMaxTitleChars ? std::string(lead) : "";
}

class ShapeReader {
 public:
  ShapeReader(absl::string_view text, SourceMap& map) : doc_(text), map_(map) {}

  // Fills rows_; whether the document has one of the shapes.
  bool Read() {
    const std::vector<Line> lines = SplitLines(doc_);
    for (size_t i = 0; i < lines.size();) {
      const size_t used = Table(lines, i);
      if (used > 0) {
        i += used;
        continue;
      }
      Record(lines[i]);
      ++i;
    }
    FinishRecord();
    return found_;
  }

  std::vector<Row>& rows() { return rows_; }
  ShapePlaces& places() { return places_; }

 private:
  // ---- tables ----

  static bool IsMarkdownRow(absl::string_view t) {
    return absl::StartsWith(t, "|") && std::count(t.begin(), t.end(), '|') >= 2;
  }

  static std::vector<absl::string_view> Cells(absl::string_view t, bool markdown) {
    if (!markdown) return absl::StrSplit(t, '\t');
    t = TrimSpaces(t);
    if (absl::StartsWith(t, "|")) t.remove_prefix(1);
    if (absl::EndsWith(t, "|")) t.remove_suffix(1);
    std::vector<absl::string_view> cells;
    size_t start = 0;
    for (size_t i = 0; i <= t.size(); ++i) {
      if (i == t.size() || (t[i] == '|' && (i == 0 || t[i - 1] != '\\'))) {
        cells.push_back(t.substr(start, i - start));
        start = i + 1;
      }
    }
    return cells;
  }

  static bool IsSeparatorRow(const std::vector<absl::string_view>& cells) {
    for (absl::string_view c : cells) {
      c = TrimSpaces(c);
      if (c.empty()) return false;
      for (const char x : c) {
        if (x != '-' && x != ':') return false;
      }
    }
    return true;
  }

  // The table whose header is lines[i], if any: reads its rows and returns how many lines it
  // took, else 0.
  size_t Table(const std::vector<Line>& lines, size_t i) {
    const absl::string_view head = TrimSpaces(lines[i].text);
    const bool markdown = IsMarkdownRow(head);
    if (!markdown && !absl::StrContains(lines[i].text, '\t')) return 0;
    const std::vector<absl::string_view> header = Cells(markdown ? head : lines[i].text, markdown);
    std::vector<Field> columns;
    bool has_problem = false;
    bool has_detail = false;
    for (const absl::string_view h : header) {
      const Field f = Classify(Clean(h));
      columns.push_back(f);
      has_problem |= f == Field::kProblem;
      has_detail |= f == Field::kMeasure || f == Field::kOwner || f == Field::kDeadline;
    }
    if (!has_problem || !has_detail) return 0;
    FinishRecord();
    table_where_ = map_.Locate(lines[i].offset);
    const size_t rows_before = rows_.size();
    size_t k = i + 1;
    for (; k < lines.size(); ++k) {
      const absl::string_view t = TrimSpaces(lines[k].text);
      if (markdown ? !IsMarkdownRow(t) : !absl::StrContains(lines[k].text, '\t')) break;
      const std::vector<absl::string_view> cells = Cells(markdown ? t : lines[k].text, markdown);
      if (markdown && IsSeparatorRow(cells)) continue;
      TableRow(columns, cells);
    }
    if (rows_.size() > rows_before) {
      for (size_t x = i; x < k; ++x) places_.lines.push_back(map_.Locate(lines[x].offset).line);
      if (places_.first_line == 0) {
        places_.first_line = table_where_.line;
        std::vector<std::string> names;
        for (const absl::string_view h : header) {
          if (!Clean(h).empty()) names.push_back(Clean(h));
        }
        places_.first_heading = absl::StrJoin(names, " | ");
      }
    }
    return k - i;
  }

  void TableRow(const std::vector<Field>& columns, const std::vector<absl::string_view>& cells) {
    Row row;
    row.area = area_;
    // Under no heading the rows share the default area, which starts at the table's header.
    row.area_where = area_.empty() ? table_where_ : area_where_;
    absl::string_view problem;
    absl::string_view measure;
    for (size_t c = 0; c < cells.size() && c < columns.size(); ++c) {
      const absl::string_view cell = TrimSpaces(cells[c]);
      switch (columns[c]) {
        case Field::kProblem:
          problem = cell;
          break;
        case Field::kMeasure:
          measure = cell;
          break;
        case Field::kOwner:
          row.owner = Clean(cell);
          break;
        case Field::kPerson:
          row.person = Clean(cell);
          break;
        case Field::kDeadline:
          row.deadline = Clean(cell);
          break;
        case Field::kArea:
          if (!Clean(cell).empty()) {
            row.area = std::string(TrimTrailingPunctuation(Clean(cell)));
            row.area_where = map_.Locate(OffsetOf(doc_, cell));
          }
          break;
        default:
          break;
      }
    }
    if (Clean(problem).empty()) {
      // A merged problem cell: the row adds a measure to the problem above.
      if (!rows_.empty() && !Clean(measure).empty()) {
        rows_.back().measures.push_back({Clean(measure), OffsetOf(doc_, measure)});
      }
      return;
    }
    row.problem = Clean(problem);
    row.problem_offset = OffsetOf(doc_, problem);
    if (!Clean(measure).empty()) row.measures.push_back({Clean(measure), OffsetOf(doc_, measure)});
    rows_.push_back(std::move(row));
    found_ = true;
  }

  // ---- labelled records ----

  // The label at the start of `t` and where its value starts, or Field::kNone.
  static Field LabelAt(absl::string_view t, size_t* value) {
    const LeadingMarker m = ParseLeadingMarker(t);
    const size_t from = m.kind == MarkerKind::kEnumLead ? 0 : m.length;
    size_t i = from;
    size_t chars = 0;
    while (i < t.size() && chars <= kMaxLabelChars) {
      const CodePoint c = DecodeAt(t, i);
      if (IsColon(c.cp)) {
        const Field f = Classify(t.substr(from, i - from));
        if (f == Field::kNone || f == Field::kSeq || f == Field::kArea) return Field::kNone;
        *value = i + c.length;
        return f;
      }
      if (IsSentenceEnd(c.cp) || IsComma(c.cp)) return Field::kNone;
      i += c.length;
      ++chars;
    }
    return Field::kNone;
  }

  // A line that heads a part of the document: Markdown "#", "一、", "（一）". It closes a record
  // (so that a narrative report's "二、存在问题：" never pairs with its "四、整改措施："), and
  // names the area of the records after it. Numbered lines at deeper levels ("1.", "（1）", "①")
  // go on with the field above: measures are often listed that way under "整改措施：".
  static bool IsHeadingLine(absl::string_view t, const LeadingMarker& m) {
    return absl::StartsWith(t, "#") || m.kind == MarkerKind::kHan ||
           m.kind == MarkerKind::kHanParen;
  }

  void Record(const Line& line) {
    absl::string_view t = TrimSpaces(line.text);
    while (absl::StartsWith(t, "**")) t = TrimSpaces(t.substr(2));
    if (t.empty()) return;
    const LeadingMarker m = ParseLeadingMarker(t);
    if (IsHeadingLine(t, m)) {
      FinishRecord();
      size_t skip = m.length;
      if (absl::StartsWith(t, "#")) {
        skip = t.find_first_not_of("# ");
        if (skip == absl::string_view::npos) return;
        const LeadingMarker inner = ParseLeadingMarker(t.substr(skip));
        if (inner.kind != MarkerKind::kEnumLead) skip += inner.length;
      }
      const absl::string_view name = TrimTrailingPunctuation(TrimSpaces(t.substr(skip)));
      area_ = std::string(name);
      area_where_ = map_.Locate(OffsetOf(doc_, name));
      return;
    }
    size_t value = 0;
    const Field f = LabelAt(t, &value);
    if (f == Field::kNone) {
      if (open_ && field_ != Field::kNone && field_ != Field::kOther) Append(field_, t);
      return;
    }
    const absl::string_view rest = TrimSpaces(t.substr(value));
    if (f == Field::kProblem) {
      FinishRecord();
      open_ = true;
      current_.area = area_;
      current_.problem_offset = OffsetOf(doc_, rest);
      const SourceSpan label_where = map_.Locate(line.offset);
      // Under no heading the record's problem starts the default area.
      current_.area_where = area_.empty() ? label_where : area_where_;
      label_lines_ = {label_where.line};
      first_label_ = std::string(TrimSpaces(t.substr(0, value)));
      field_ = Field::kProblem;
      Append(f, rest);
      return;
    }
    if (!open_) return;
    label_lines_.push_back(map_.Locate(line.offset).line);
    field_ = f;
    if (f == Field::kMeasure) current_.measures.push_back({"", OffsetOf(doc_, rest)});
    Append(f, rest);
    if (f != Field::kOther) detail_ = true;
  }

  void Append(Field f, absl::string_view text) {
    const std::string clean = Clean(text);
    if (clean.empty()) return;
    auto add = [&](std::string& to, absl::string_view sep) {
      if (!to.empty()) to += std::string(sep);
      to += clean;
    };
    switch (f) {
      case Field::kProblem:
        // The text may start on the line after its label.
        if (current_.problem.empty()) current_.problem_offset = OffsetOf(doc_, text);
        add(current_.problem, "\n");
        break;
      case Field::kMeasure:
        if (current_.measures.back().first.empty()) {
          current_.measures.back().second = OffsetOf(doc_, text);
        }
        add(current_.measures.back().first, "\n");
        break;
      case Field::kOwner:
        add(current_.owner, "、");
        break;
      case Field::kPerson:
        add(current_.person, "、");
        break;
      case Field::kDeadline:
        add(current_.deadline, " ");
        break;
      default:
        break;
    }
  }

  void FinishRecord() {
    if (open_ && !current_.problem.empty() && detail_) {
      std::vector<std::pair<std::string, size_t>> measures;
      for (auto& m : current_.measures) {
        if (!m.first.empty()) measures.push_back(std::move(m));
      }
      current_.measures = std::move(measures);
      rows_.push_back(std::move(current_));
      found_ = true;
      places_.lines.insert(places_.lines.end(), label_lines_.begin(), label_lines_.end());
      if (places_.first_line == 0 && !label_lines_.empty()) {
        places_.first_line = label_lines_.front();
        places_.first_heading = first_label_;
      }
    }
    label_lines_.clear();
    open_ = false;
    detail_ = false;
    field_ = Field::kNone;
    current_ = Row{};
  }

  const absl::string_view doc_;
  SourceMap& map_;
  std::vector<Row> rows_;
  bool found_ = false;
  std::string area_;
  SourceSpan area_where_;
  SourceSpan table_where_;  // the header of the table being read
  ShapePlaces places_;
  // The record being read, and the lines of its labels.
  std::vector<int> label_lines_;
  std::string first_label_;
  bool open_ = false;
  bool detail_ = false;
  Field field_ = Field::kNone;
  Row current_;
};

}  // namespace

absl::StatusOr<bool> ReadStructuredShapes(absl::string_view text, SourceMap& map,
                                          ReviewDraft* draft, ShapePlaces* places) {
  ShapeReader reader(text, map);
  if (!reader.Read()) return false;
  if (places != nullptr) {
    *places = std::move(reader.places());
    std::sort(places->lines.begin(), places->lines.end());
  }
  std::vector<Row>& rows = reader.rows();
  if (rows.size() > static_cast<size_t>(kMaxImportedProblems)) {
    return InvalidField(
        "document",
        absl::StrCat("问题超过 ", kMaxImportedProblems, " 条上限，请检查文档或分批导入"),
        absl::StrCat("more than ", kMaxImportedProblems,
                     " problems; check the document or import it in parts"));
  }
  int number = 0;
  for (Row& row : rows) {
    std::string area = row.area.empty() ? std::string(kDefaultArea) : row.area;
    if (CountChars(area) > static_cast<size_t>(kMaxImportedAreaChars)) {
      area = TruncateChars(area, kMaxImportedAreaChars - 1);
    }
    if (draft->areas.empty() || draft->areas.back().name != area) {
      draft->areas.push_back({area, {}, row.area_where});
    }
    ImportedProblem p;
    p.area = area;
    p.text = row.problem;
    p.number = ++number;
    p.where = map.Locate(row.problem_offset);
    p.owner = row.owner;
    p.owner_person = row.person;
    p.deadline = row.deadline;
    for (size_t m = 0; m < row.measures.size(); ++m) {
      const std::string& measure = row.measures[m].first;
      if (m == 0)
        p.measure = static_cast<int>(draft->measures.size());
      else
        p.extra_measures.push_back(static_cast<int>(draft->measures.size()));
      draft->measures.push_back({measure, TitleOf(measure), map.Locate(row.measures[m].second)});
      if (draft->measures.size() > static_cast<size_t>(kMaxImportedMeasures)) {
        return InvalidField(
            "document", absl::StrCat("整改措施超过 ", kMaxImportedMeasures, " 条上限，请检查文档"),
            absl::StrCat("more than ", kMaxImportedMeasures, " measures; check the document"));
      }
    }
    draft->areas.back().problems.push_back(std::move(p));
  }
  return true;
}

}  // namespace importer_internal
}  // namespace rectify
