// How the reports look: titles with the date and scope, totals, aging, rates with "—" when
// undefined, indentation by depth, fixed-width export rows and event lines.
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "client/output/ledger_view.h"
#include "client/output/report_view.h"
#include "gtest/gtest.h"
#include "services/common/text.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;
using absl::StrContains;

v1::OverdueReportResponse PersonReport() {
  v1::OverdueReportResponse report;
  report.set_as_of("2022-03-10");
  report.set_scope_name("机关党委");
  report.set_group_by(v1::GROUP_BY_OWNER_PERSON);
  report.set_total(2);
  v1::OverdueGroup* group = report.add_groups();
  group->set_label("王五");
  for (int days : {69, 7}) {
    v1::OverdueItem* item = group->add_items();
    item->mutable_task()->set_id(days);
    item->mutable_task()->set_owner_unit_name("第二支部");
    item->mutable_task()->set_owner_person("王五");
    item->mutable_task()->set_measure("建立台账，逐月检查");
    item->mutable_task()->set_deadline("2022-03-03");
    item->set_days_overdue(days);
    item->set_aging(days > 30 ? v1::AGING_31_TO_90_DAYS : v1::AGING_1_TO_7_DAYS);
    item->set_escalation_level(days > 7 ? 2 : 1);
  }
  report.mutable_groups(0)->mutable_items(0)->mutable_task()->set_latest_progress("已完成初稿");
  for (int bucket = 1; bucket <= 4; ++bucket) {
    v1::AgingCount* aging = report.add_aging();
    aging->set_bucket(static_cast<v1::AgingBucket>(bucket));
    aging->set_count(bucket == 1 || bucket == 3 ? 1 : 0);
  }
  return report;
}

TEST(OverdueViewTest, TitleNamesDateScopeAndGroupingAndTheEndCountsAging) {
  const std::string text = OverdueReportText(PersonReport(), Lang::kZh);
  EXPECT_TRUE(absl::StartsWith(text, "逾期清单（截至 2022-03-10，范围：机关党委，按责任人分组）\n"))
      << text;
  EXPECT_TRUE(StrContains(text, "【王五】，2 项")) << text;
  // Grouped by person, each row says its unit; aging and escalation per row.
  EXPECT_TRUE(StrContains(text, "责任单位")) << text;
  EXPECT_TRUE(StrContains(text, "第二支部")) << text;
  EXPECT_TRUE(StrContains(text, "31-90天")) << text;
  EXPECT_TRUE(StrContains(text, "二级督办")) << text;
  EXPECT_TRUE(StrContains(text, "已完成初稿")) << text;
  EXPECT_TRUE(StrContains(text, "合计：2 项逾期\n")) << text;
  EXPECT_TRUE(StrContains(text, "账龄：1-7天 1 项，8-30天 0 项，31-90天 1 项，90天以上 0 项"))
      << text;
}

TEST(OverdueViewTest, EnglishHeadersWithLangEn) {
  const std::string text = OverdueReportText(PersonReport(), Lang::kEn);
  EXPECT_TRUE(
      StrContains(text, "Overdue tasks as of 2022-03-10, scope: 机关党委, grouped by owner"))
      << text;
  EXPECT_TRUE(StrContains(text, "Days over")) << text;
  EXPECT_TRUE(StrContains(text, "Aging: 1-7 days 1, 8-30 days 0")) << text;
}

TEST(OverdueViewTest, CsvHasOneRecordPerTaskWithItsGroup) {
  std::ostringstream out;
  WriteOverdueCsv(PersonReport(), Lang::kZh, out);
  const std::string csv = out.str();
  EXPECT_TRUE(absl::StartsWith(csv, "\xEF\xBB\xBF分组,任务编号,逾期天数,账龄,")) << csv;
  EXPECT_TRUE(StrContains(csv, "\r\n王五,69,69,31-90天,2022-03-03,")) << csv;
  EXPECT_FALSE(StrContains(csv, "\"建立台账，逐月检查\"")) << "a full-width comma needs no quotes";
  EXPECT_TRUE(absl::EndsWith(csv, "\r\n"));
}

v1::StatisticsResponse UnitStats() {
  v1::StatisticsResponse stats;
  stats.set_as_of("2022-03-10");
  auto add = [&](const char* name, int depth, int total, int closed, int on_time) {
    v1::StatisticsRow* row = stats.add_rows();
    row->set_unit_name(name);
    row->set_depth(depth);
    row->mutable_counts()->set_total(total);
    row->mutable_counts()->set_closed(closed);
    row->mutable_counts()->set_closed_on_time(on_time);
    if (total > 0) row->set_completion_rate(static_cast<double>(closed) / total);
    if (closed > 0) row->set_on_time_rate(static_cast<double>(on_time) / closed);
  };
  add("机关党委", 0, 8, 2, 1);
  add("第一党小组", 1, 2, 0, 0);
  *stats.mutable_total() = stats.rows(0);
  stats.mutable_total()->clear_unit_name();
  return stats;
}

TEST(StatisticsViewTest, RowsIndentByDepthRatesShowDashWhenUndefinedAndTotalsCloseTheTable) {
  const std::string text = StatisticsText(UnitStats(), Lang::kZh);
  EXPECT_TRUE(absl::StartsWith(text, "整改进度统计（截至 2022-03-10，范围：全部单位，按单位）\n"))
      << text;
  EXPECT_TRUE(StrContains(text, "\n机关党委")) << text;
  EXPECT_TRUE(StrContains(text, "\n  第一党小组")) << text;
  EXPECT_TRUE(StrContains(text, "25.0%")) << text;  // 2 of 8
  EXPECT_TRUE(StrContains(text, "50.0%")) << text;  // 1 of 2 on time
  EXPECT_TRUE(StrContains(text, "—")) << text;      // 第一党小组 closed nothing
  EXPECT_TRUE(StrContains(text, "\n合计")) << text;
  EXPECT_TRUE(StrContains(text, "整改完成率 = 已销号 ÷（总数 − 已撤销）")) << text;
}

TEST(StatisticsViewTest, CsvKeepsDepthAsAColumnAndEndsWithTheTotals) {
  std::ostringstream out;
  WriteStatisticsCsv(UnitStats(), Lang::kZh, out);
  EXPECT_EQ(
      out.str(),
      "\xEF\xBB\xBF"
      "单位,层级,总数,已销号,按期销号,整改中,待验收,长期坚持,逾期,已撤销,整改完成率,按期完成率\r\n"
      "机关党委,0,8,2,1,0,0,0,0,0,25.0%,50.0%\r\n"
      "第一党小组,1,2,0,0,0,0,0,0,0,0.0%,—\r\n"
      "合计,,8,2,1,0,0,0,0,0,25.0%,50.0%\r\n");
}

TEST(StatisticsViewTest, EmptyStatisticsSaySo) {
  v1::StatisticsResponse stats;
  stats.set_as_of("2021-12-01");
  EXPECT_EQ(StatisticsText(stats, Lang::kZh),
            "整改进度统计（截至 2021-12-01，范围：全部单位，按单位）\n\n（没有任务）\n");
  std::ostringstream out;
  WriteStatisticsCsv(stats, Lang::kEn, out);
  EXPECT_TRUE(StrContains(out.str(), "\r\nTotal,,0,0,0,0,0,0,0,0,—,—\r\n")) << out.str();
}

TEST(RateTest, OneDecimalOrDash) {
  EXPECT_EQ(RateText(true, 0.875), "87.5%");
  EXPECT_EQ(RateText(true, 1.0), "100.0%");
  EXPECT_EQ(RateText(true, 1.0 / 3.0), "33.3%");
  EXPECT_EQ(RateText(false, 0), "—");
}

v1::LedgerRow Row() {
  v1::LedgerRow row;
  row.set_review_id(1);
  row.set_review_title("2021年党史学习教育专题组织生活会");
  row.set_problem_seq(2);
  row.set_area("在理论学习方面");
  row.set_problem_text("理论学习不够系统");
  v1::Task* task = row.mutable_task();
  task->set_id(4);
  task->set_measure("制定学习计划，按月督促检查");
  task->set_owner_unit_name("第一支部");
  task->set_owner_person("张三");
  task->set_leader("李书记");
  task->set_deadline("2021-12-31");
  task->set_status(v1::CLOSED);
  task->set_progress_percent(100);
  task->set_latest_progress("已完成");
  row.set_closed_on("2021-12-15");
  return row;
}

TEST(LedgerViewTest, CellsCarryEveryColumnAndAProblemWithoutTasksSaysSo) {
  std::vector<std::string> cells = LedgerCells(Row(), Lang::kZh);
  ASSERT_EQ(cells.size(), LedgerHeaders(Lang::kZh).size());
  EXPECT_EQ(cells[0], "#1 2021年党史学习教育专题组织生活会");
  EXPECT_EQ(cells[4], "4");
  EXPECT_EQ(cells[8], "李书记");
  EXPECT_EQ(cells[10], "已销号");
  EXPECT_EQ(cells[14], "2021-12-15");
  v1::LedgerRow bare = Row();
  bare.clear_task();
  bare.clear_closed_on();
  cells = LedgerCells(bare, Lang::kZh);
  ASSERT_EQ(cells.size(), LedgerHeaders(Lang::kZh).size());
  EXPECT_EQ(cells[4], "");
  EXPECT_EQ(cells[5], "（尚无整改措施）");
}

TEST(LedgerCsvTest, IdsDatesCadencesAndNumbersEachInAColumnOfTheirOwn) {
  const std::vector<std::string> headers = LedgerCsvHeaders(Lang::kZh);
  std::vector<std::string> cells = LedgerCsvCells(Row(), Lang::kZh);
  ASSERT_EQ(cells.size(), headers.size());
  auto cell = [&](const std::string& header) {
    for (size_t i = 0; i < headers.size(); ++i) {
      if (headers[i] == header) return cells[i];
    }
    ADD_FAILURE() << "no column " << header;
    return std::string();
  };
  EXPECT_EQ(cell("检视编号"), "1");
  EXPECT_EQ(cell("检视"), "2021年党史学习教育专题组织生活会");  // no "#1 " prefix
  EXPECT_EQ(cell("任务编号"), "4");
  EXPECT_EQ(cell("整改时限"), "2021-12-31");
  EXPECT_EQ(cell("长期坚持周期（天）"), "");
  EXPECT_EQ(cell("进度（%）"), "100");  // a number, not "100%"
  EXPECT_EQ(cell("销号日期"), "2021-12-15");

  v1::LedgerRow ongoing = Row();
  ongoing.mutable_task()->set_status(v1::ONGOING);
  ongoing.mutable_task()->set_cadence_days(90);
  ongoing.clear_closed_on();
  cells = LedgerCsvCells(ongoing, Lang::kZh);
  EXPECT_EQ(cell("整改时限"), "");  // the cadence, not a date, is what counts
  EXPECT_EQ(cell("长期坚持周期（天）"), "90");
  for (const std::string& c : cells) EXPECT_EQ(c.find("—"), std::string::npos) << c;
}

TEST(LedgerViewTest, TableRowsHaveFixedWidthsSoTheyAlignAsTheyStream) {
  LedgerTable table(Lang::kZh);
  const std::string header = table.Header();
  v1::LedgerRow short_row = Row();
  short_row.mutable_task()->set_measure("短");
  const std::string a = table.Row(Row());
  const std::string b = table.Row(short_row);
  // Every column is as wide on every line, so lines differ only by their last cell: "销号日期"
  // in the header, "2021-12-15" (two columns more) in the rows. Cut cells end in "…".
  EXPECT_EQ(DisplayWidth(a), DisplayWidth(b)) << a << b;
  EXPECT_EQ(DisplayWidth(a) - DisplayWidth(header), 2) << header << a;
  EXPECT_TRUE(StrContains(a, "…")) << a;
}

TEST(EventLineTest, OneLineWithTimeSeqKindTaskActorAndDetail) {
  v1::Event event;
  event.set_seq(123);
  event.set_kind(v1::EVENT_URGED);
  event.set_task_id(12);
  event.set_actor("纪委办");
  event.set_detail("请于本周五前\n报送整改进展");
  event.mutable_event_time()->set_seconds(1641351600);  // 2022-01-05 03:00 UTC
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  const std::string line = EventLine(event, Lang::kZh, shanghai);
  EXPECT_TRUE(absl::StartsWith(line, "2022-01-05 11:00       123  催办")) << line;
  EXPECT_TRUE(StrContains(line, "任务 12")) << line;
  EXPECT_TRUE(StrContains(line, "纪委办")) << line;
  EXPECT_TRUE(absl::EndsWith(line, "请于本周五前 报送整改进展\n")) << line;

  event.set_kind(v1::EVENT_TRANSITION);
  event.set_from_status(v1::OPEN);
  event.set_to_status(v1::IN_PROGRESS);
  event.set_detail("");
  EXPECT_TRUE(absl::EndsWith(EventLine(event, Lang::kEn, shanghai), "open → in progress\n"));
}

}  // namespace
}  // namespace rectify::client
