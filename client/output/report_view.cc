#include "client/output/report_view.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/output/csv.h"
#include "client/output/format.h"
#include "client/output/table.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Column limits: enough to recognise a measure or a note, narrow enough for a wide terminal.
constexpr int kUnitWidth = 16;
constexpr int kPersonWidth = 10;
constexpr int kMeasureWidth = 30;
constexpr int kNoteWidth = 24;

std::string ScopeText(const std::string& scope_name, Lang lang) {
  return scope_name.empty() ? Tr(lang, "全部单位", "all units") : scope_name;
}

const char* GroupingText(v1::OverdueGrouping by, Lang lang) {
  switch (by) {
    case v1::GROUP_BY_OWNER_PERSON:
      return Tr(lang, "按责任人分组", "grouped by owner");
    case v1::GROUP_BY_AREA:
      return Tr(lang, "按方面分组", "grouped by area");
    default:
      return Tr(lang, "按责任单位分组", "grouped by unit");
  }
}

// "【机关第一支部】 #7，2 项" (by unit) or "【张三】，2 项".
std::string SectionLine(const v1::OverdueGroup& group, Lang lang) {
  std::string line =
      absl::StrCat(Tr(lang, "【", "[ "), group.label().empty() ? group.unit_name() : group.label(),
                   Tr(lang, "】", " ]"));
  if (group.unit_id() != 0) absl::StrAppend(&line, " #", group.unit_id());
  absl::StrAppend(&line, Tr(lang, "，", ", "), group.items_size(), Tr(lang, " 项", " overdue"));
  return line;
}

std::string AgingSummary(const v1::OverdueReportResponse& report, Lang lang) {
  std::vector<std::string> parts;
  for (const v1::AgingCount& aging : report.aging()) {
    parts.push_back(
        absl::StrCat(AgingText(aging.bucket(), lang), " ", aging.count(), Tr(lang, " 项", "")));
  }
  return absl::StrCat(Tr(lang, "账龄：", "Aging: "), absl::StrJoin(parts, Tr(lang, "，", ", ")));
}

std::vector<std::string> CountCells(const v1::StatisticsRow& row) {
  const v1::TaskCounts& c = row.counts();
  return {absl::StrCat(c.total()),
          absl::StrCat(c.closed()),
          absl::StrCat(c.closed_on_time()),
          absl::StrCat(c.in_progress()),
          absl::StrCat(c.submitted()),
          absl::StrCat(c.ongoing()),
          absl::StrCat(c.overdue()),
          absl::StrCat(c.cancelled()),
          RateText(row.has_completion_rate(), row.completion_rate()),
          RateText(row.has_on_time_rate(), row.on_time_rate())};
}

std::vector<std::string> StatisticsHeaders(const v1::StatisticsResponse& stats, Lang lang) {
  return {
      stats.by() == v1::STATISTICS_BY_AREA ? Tr(lang, "方面", "Area") : Tr(lang, "单位", "Unit"),
      Tr(lang, "总数", "Total"),
      Tr(lang, "已销号", "Closed"),
      Tr(lang, "按期销号", "On time"),
      Tr(lang, "整改中", "In progress"),
      Tr(lang, "待验收", "Submitted"),
      Tr(lang, "长期坚持", "Ongoing"),
      Tr(lang, "逾期", "Overdue"),
      Tr(lang, "已撤销", "Cancelled"),
      Tr(lang, "整改完成率", "Completion"),
      Tr(lang, "按期完成率", "On-time rate")};
}

std::string RowName(const v1::StatisticsResponse& stats, const v1::StatisticsRow& row) {
  return stats.by() == v1::STATISTICS_BY_AREA ? row.area() : row.unit_name();
}

}  // namespace

std::string AgingText(v1::AgingBucket bucket, Lang lang) {
  switch (bucket) {
    case v1::AGING_1_TO_7_DAYS:
      return Tr(lang, "1-7天", "1-7 days");
    case v1::AGING_8_TO_30_DAYS:
      return Tr(lang, "8-30天", "8-30 days");
    case v1::AGING_31_TO_90_DAYS:
      return Tr(lang, "31-90天", "31-90 days");
    case v1::AGING_OVER_90_DAYS:
      return Tr(lang, "90天以上", "over 90 days");
    default:
      return "";
  }
}

std::string RateText(bool has_rate, double rate) {
  if (!has_rate) return "—";
  return absl::StrFormat("%.1f%%", rate * 100.0);
}

std::string OverdueReportText(const v1::OverdueReportResponse& report, Lang lang) {
  if (report.total() == 0) {
    std::string out = absl::StrCat(Tr(lang, "截至 ", "No overdue tasks as of "), report.as_of());
    if (!report.scope_name().empty()) {
      absl::StrAppend(&out, Tr(lang, "，", " in "), report.scope_name());
    }
    return absl::StrCat(out, Tr(lang, " 没有逾期任务", ""), "\n");
  }
  const bool by_unit = report.group_by() == v1::GROUP_BY_UNIT;
  std::string out = absl::StrCat(
      Tr(lang, "逾期清单（截至 ", "Overdue tasks as of "), report.as_of(), Tr(lang, "，", ", "),
      Tr(lang, "范围：", "scope: "), ScopeText(report.scope_name(), lang), Tr(lang, "，", ", "),
      GroupingText(report.group_by(), lang), Tr(lang, "）", ""), "\n\n");
  std::vector<std::string> headers = {"ID", Tr(lang, "逾期天数", "Days over"),
                                      Tr(lang, "账龄", "Aging"), Tr(lang, "整改时限", "Deadline"),
                                      Tr(lang, "督办", "Escalation")};
  // Grouped by unit, the section already names the unit.
  if (!by_unit) headers.push_back(Tr(lang, "责任单位", "Owner unit"));
  for (const char* h : {Tr(lang, "责任人", "Owner"), Tr(lang, "整改措施", "Measure"),
                        Tr(lang, "最新进展", "Latest progress")}) {
    headers.push_back(h);
  }
  const size_t first_text = by_unit ? 5 : 6;  // the owner person's column
  Table table(headers);
  table.SetAlign(0, Table::Align::kRight).SetAlign(1, Table::Align::kRight);
  if (!by_unit) table.SetMaxWidth(5, kUnitWidth);
  table.SetMaxWidth(first_text, kPersonWidth)
      .SetMaxWidth(first_text + 1, kMeasureWidth)
      .SetMaxWidth(first_text + 2, kNoteWidth);
  for (const v1::OverdueGroup& group : report.groups()) {
    table.AddSection(SectionLine(group, lang));
    for (const v1::OverdueItem& item : group.items()) {
      const v1::Task& task = item.task();
      std::vector<std::string> cells = {absl::StrCat(task.id()), absl::StrCat(item.days_overdue()),
                                        AgingText(item.aging(), lang), DeadlineText(task, lang),
                                        EscalationText(item.escalation_level(), lang)};
      if (!by_unit) cells.push_back(task.owner_unit_name());
      cells.push_back(task.owner_person());
      cells.push_back(task.measure());
      cells.push_back(task.latest_progress().empty() ? "—" : task.latest_progress());
      table.AddRow(std::move(cells));
    }
  }
  out += table.Render();
  absl::StrAppend(&out, "\n", Tr(lang, "合计：", "Total: "), report.total(),
                  Tr(lang, " 项逾期", " overdue"));
  if (by_unit) {
    absl::StrAppend(&out, Tr(lang, "，涉及 ", " in "), report.groups_size(),
                    Tr(lang, " 个单位", report.groups_size() == 1 ? " unit" : " units"));
  }
  absl::StrAppend(&out, "\n", AgingSummary(report, lang), "\n");
  return out;
}

void WriteOverdueCsv(const v1::OverdueReportResponse& report, Lang lang, std::ostream& out) {
  CsvWriter csv(out);
  csv.WriteRow({Tr(lang, "分组", "Group"), Tr(lang, "任务编号", "Task"),
                Tr(lang, "逾期天数", "Days overdue"), Tr(lang, "账龄", "Aging"),
                Tr(lang, "整改时限", "Deadline"), Tr(lang, "状态", "Status"),
                Tr(lang, "督办", "Escalation"), Tr(lang, "责任单位", "Owner unit"),
                Tr(lang, "责任人", "Owner"), Tr(lang, "责任领导", "Leader"),
                Tr(lang, "方面", "Area"), Tr(lang, "整改措施", "Measure"),
                Tr(lang, "最新进展", "Latest progress")});
  for (const v1::OverdueGroup& group : report.groups()) {
    const std::string& label = group.label().empty() ? group.unit_name() : group.label();
    for (const v1::OverdueItem& item : group.items()) {
      const v1::Task& task = item.task();
      csv.WriteRow({label, absl::StrCat(task.id()), absl::StrCat(item.days_overdue()),
                    AgingText(item.aging(), lang), DeadlineText(task, lang),
                    StatusText(task.status(), lang), EscalationText(item.escalation_level(), lang),
                    task.owner_unit_name(), task.owner_person(), task.leader(), task.area(),
                    task.measure(), task.latest_progress()});
    }
  }
}

std::string StatisticsText(const v1::StatisticsResponse& stats, Lang lang) {
  const bool by_area = stats.by() == v1::STATISTICS_BY_AREA;
  std::string out = absl::StrCat(
      Tr(lang, "整改进度统计（截至 ", "Rectification statistics as of "), stats.as_of(),
      Tr(lang, "，", ", "), Tr(lang, "范围：", "scope: "), ScopeText(stats.scope_name(), lang),
      Tr(lang, "，", ", "), by_area ? Tr(lang, "按方面", "by area") : Tr(lang, "按单位", "by unit"),
      Tr(lang, "）", ""), "\n\n");
  if (stats.rows_size() == 0) {
    return absl::StrCat(out, Tr(lang, "（没有任务）", "(no tasks)"), "\n");
  }
  Table table(StatisticsHeaders(stats, lang));
  for (size_t i = 1; i <= 10; ++i) table.SetAlign(i, Table::Align::kRight);
  table.SetMaxWidth(0, by_area ? 24 : 0);
  for (const v1::StatisticsRow& row : stats.rows()) {
    std::vector<std::string> cells = CountCells(row);
    // Two spaces per level: the tree shows through the names.
    cells.insert(
        cells.begin(),
        std::string(2 * static_cast<size_t>(std::max(row.depth(), 0)), ' ') + RowName(stats, row));
    table.AddRow(std::move(cells));
  }
  std::vector<std::string> total = CountCells(stats.total());
  total.insert(total.begin(), Tr(lang, "合计", "Total"));
  table.AddRow(std::move(total));
  out += table.Render();
  absl::StrAppend(&out, "\n",
                  Tr(lang,
                     "整改完成率 = 已销号 ÷（总数 − 已撤销）；按期完成率 = 按期销号 ÷ 已销号；"
                     "“—”表示无可计算的任务。",
                     "Completion = closed / (total - cancelled); on-time rate = closed on time / "
                     "closed; \"—\" when there is nothing to divide by."),
                  "\n");
  return out;
}

void WriteStatisticsCsv(const v1::StatisticsResponse& stats, Lang lang, std::ostream& out) {
  CsvWriter csv(out);
  std::vector<std::string> headers = StatisticsHeaders(stats, lang);
  const bool by_area = stats.by() == v1::STATISTICS_BY_AREA;
  if (!by_area) headers.insert(headers.begin() + 1, Tr(lang, "层级", "Depth"));
  csv.WriteRow(headers);
  for (const v1::StatisticsRow& row : stats.rows()) {
    std::vector<std::string> cells = CountCells(row);
    if (!by_area) cells.insert(cells.begin(), absl::StrCat(row.depth()));
    cells.insert(cells.begin(), RowName(stats, row));
    csv.WriteRow(cells);
  }
  std::vector<std::string> total = CountCells(stats.total());
  if (!by_area) total.insert(total.begin(), "");
  total.insert(total.begin(), Tr(lang, "合计", "Total"));
  csv.WriteRow(total);
}

}  // namespace rectify::client
