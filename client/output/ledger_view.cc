#include "client/output/ledger_view.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/output/format.h"
#include "client/output/table.h"
#include "services/common/text.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Display columns of each export column in the table (a header may widen its column).
constexpr int kLedgerWidths[] = {14, 4, 12, 18, 5, 20, 10, 8, 8, 10, 8, 9, 4, 16, 10};
constexpr size_t kLedgerColumns = sizeof(kLedgerWidths) / sizeof(kLedgerWidths[0]);
// Right-aligned columns: problem no., task id, progress.
bool RightAligned(size_t column) { return column == 1 || column == 4 || column == 12; }

// "红灯 逾期": the scheduler's light, and the overdue mark the server computes on read.
std::string LightCell(const v1::Task& task, Lang lang) {
  std::string cell = TaskLightText(task, lang);
  if (task.overdue()) absl::StrAppend(&cell, " ", Tr(lang, "逾期", "overdue"));
  return cell;
}

std::string Fit(const std::string& text, int width, bool right) {
  const std::string cut = TruncateToWidth(OneLine(text), width);
  const int pad = std::max(0, width - DisplayWidth(cut));
  return right ? std::string(static_cast<size_t>(pad), ' ') + cut
               : cut + std::string(static_cast<size_t>(pad), ' ');
}

}  // namespace

std::vector<std::string> LedgerHeaders(Lang lang) {
  return {Tr(lang, "检视", "Review"),         Tr(lang, "序号", "No."),
          Tr(lang, "方面", "Area"),           Tr(lang, "问题", "Problem"),
          Tr(lang, "任务", "Task"),           Tr(lang, "整改措施", "Measure"),
          Tr(lang, "责任单位", "Owner unit"), Tr(lang, "责任人", "Owner"),
          Tr(lang, "责任领导", "Leader"),     Tr(lang, "整改时限", "Deadline"),
          Tr(lang, "状态", "Status"),         Tr(lang, "预警", "Light"),
          Tr(lang, "进度", "Progress"),       Tr(lang, "最新进展", "Latest progress"),
          Tr(lang, "销号日期", "Closed on")};
}

std::vector<std::string> LedgerCells(const v1::LedgerRow& row, Lang lang) {
  std::vector<std::string> cells = {absl::StrCat("#", row.review_id(), " ", row.review_title()),
                                    absl::StrCat(row.problem_seq()), row.area(),
                                    row.problem_text()};
  if (!row.has_task()) {
    cells.push_back("");
    cells.push_back(Tr(lang, "（尚无整改措施）", "(no measure yet)"));
    cells.resize(kLedgerColumns);
    return cells;
  }
  const v1::Task& task = row.task();
  for (std::string cell :
       {absl::StrCat(task.id()), task.measure(), task.owner_unit_name(), task.owner_person(),
        task.leader(), DeadlineText(task, lang), TaskStatusText(task, lang), LightCell(task, lang),
        PercentText(task.progress_percent()), task.latest_progress(), row.closed_on()}) {
    cells.push_back(std::move(cell));
  }
  return cells;
}

// ---- CSV columns ----

std::vector<std::string> LedgerCsvHeaders(Lang lang) {
  return {Tr(lang, "检视编号", "Review ID"),
          Tr(lang, "检视", "Review"),
          Tr(lang, "问题编号", "Problem ID"),
          Tr(lang, "问题序号", "Problem no."),
          Tr(lang, "方面", "Area"),
          Tr(lang, "问题", "Problem"),
          Tr(lang, "任务编号", "Task ID"),
          Tr(lang, "整改措施", "Measure"),
          Tr(lang, "责任单位编号", "Owner unit ID"),
          Tr(lang, "责任单位", "Owner unit"),
          Tr(lang, "责任人", "Owner"),
          Tr(lang, "责任领导", "Leader"),
          Tr(lang, "整改时限", "Deadline"),
          Tr(lang, "长期坚持周期（天）", "Cadence (days)"),
          Tr(lang, "状态", "Status"),
          Tr(lang, "预警", "Light"),
          Tr(lang, "逾期", "Overdue"),
          Tr(lang, "进度（%）", "Progress (%)"),
          Tr(lang, "最新进展", "Latest progress"),
          Tr(lang, "销号日期", "Closed on"),
          Tr(lang, "版本", "Version")};
}

std::vector<std::string> LedgerCsvCells(const v1::LedgerRow& row, Lang lang) {
  std::vector<std::string> cells = {
      absl::StrCat(row.review_id()),   row.review_title(), absl::StrCat(row.problem_id()),
      absl::StrCat(row.problem_seq()), row.area(),         row.problem_text()};
  const size_t columns = LedgerCsvHeaders(lang).size();
  if (!row.has_task()) {
    cells.push_back("");
    cells.push_back(Tr(lang, "（尚无整改措施）", "(no measure yet)"));
    cells.resize(columns);
    return cells;
  }
  const v1::Task& task = row.task();
  // A long-term task keeps its old date for the record, but its checkpoints are what count.
  const std::string deadline = task.status() == v1::ONGOING ? "" : task.deadline();
  for (std::string cell :
       {absl::StrCat(task.id()), task.measure(), absl::StrCat(task.owner_unit_id()),
        task.owner_unit_name(), task.owner_person(), task.leader(), deadline,
        task.cadence_days() > 0 ? absl::StrCat(task.cadence_days()) : std::string(),
        TaskStatusText(task, lang),
        task.light() == v1::WARNING_LIGHT_UNSPECIFIED ? std::string()
                                                      : LightText(task.light(), lang),
        task.overdue() ? Tr(lang, "是", "yes") : std::string(),
        absl::StrCat(task.progress_percent()), task.latest_progress(), row.closed_on(),
        absl::StrCat(task.version())}) {
    cells.push_back(std::move(cell));
  }
  return cells;
}

LedgerTable::LedgerTable(Lang lang) : lang_(lang) {
  const std::vector<std::string> headers = LedgerHeaders(lang);
  for (size_t i = 0; i < kLedgerColumns; ++i) {
    widths_.push_back(std::max(kLedgerWidths[i], DisplayWidth(headers[i])));
  }
}

std::string LedgerTable::Line(const std::vector<std::string>& cells) const {
  std::string line;
  for (size_t i = 0; i < kLedgerColumns; ++i) {
    if (i > 0) line += "  ";
    line += Fit(i < cells.size() ? cells[i] : "", widths_[i], RightAligned(i));
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::string LedgerTable::Header() const { return Line(LedgerHeaders(lang_)); }

std::string LedgerTable::Row(const v1::LedgerRow& row) const {
  return Line(LedgerCells(row, lang_));
}

std::string EventLine(const v1::Event& event, Lang lang, absl::TimeZone zone) {
  const std::string subject = event.task_id() != 0
                                  ? absl::StrCat(Tr(lang, "任务 ", "task "), event.task_id())
                                  : absl::StrCat(Tr(lang, "单位 ", "unit "), event.unit_id());
  std::string line = absl::StrCat(
      FormatTimestamp(event.event_time(), zone), "  ", Fit(absl::StrCat(event.seq()), 8, true),
      "  ", Fit(EventKindText(event.kind(), lang), lang == Lang::kZh ? 8 : 19, false), "  ",
      Fit(subject, 10, false), "  ", Fit(EventActorText(event, lang), 18, false), "  ",
      OneLine(EventActionText(event, lang)));
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

}  // namespace rectify::client
