// The supervisors' reports against the hand-computed ledger of tests/support/report_ledger.h:
// the overdue list (filters, grouping, aging, escalation as of a date), the statistics (roll-up
// of the org tree, per area, rates, closed on time) and the ledger export (order, problems without
// tasks, subtrees, paging), and each on an empty ledger.
#include "services/domain/reports.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "services/common/civil.h"
#include "tests/support/report_ledger.h"

namespace rectify {
namespace {

using testing_support::ReportLedgerTest;

class ReportsTest : public ReportLedgerTest {
 protected:
  void SetUp() override {
    ReportLedgerTest::SetUp();
    BuildReportLedger();
  }

  OverdueReportData Overdue(OverdueQuery q) {
    if (q.as_of.empty()) q.as_of = "2022-03-10";
    auto report = RunOverdueReport(*ledger_, q);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : OverdueReportData{};
  }

  // The ids of each section's tasks, in order.
  static std::vector<std::vector<Id>> Ids(const OverdueReportData& report) {
    std::vector<std::vector<Id>> ids;
    for (const OverdueSection& s : report.sections) {
      ids.emplace_back();
      for (const OverdueLine& line : s.lines) ids.back().push_back(line.task.id);
    }
    return ids;
  }

  static std::vector<std::string> Labels(const OverdueReportData& report) {
    std::vector<std::string> labels;
    for (const OverdueSection& s : report.sections) labels.push_back(s.label);
    return labels;
  }

  StatisticsData Stats(Id unit_id, int by, const std::string& as_of = "2022-03-10") {
    auto stats = RunStatistics(*ledger_, StatisticsQuery{unit_id, as_of, by, 0});
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.ok() ? *stats : StatisticsData{};
  }

  std::vector<LedgerEntry> Export(ExportQuery q) {
    std::vector<LedgerEntry> rows;
    absl::Status s = ExportLedger(*ledger_, q, [&](const LedgerEntry& e) {
      rows.push_back(e);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return rows;
  }

  // "T<id>" for a task row, "P<seq>" for a problem without tasks.
  static std::vector<std::string> Keys(const std::vector<LedgerEntry>& rows) {
    std::vector<std::string> keys;
    for (const LedgerEntry& e : rows) {
      keys.push_back(e.task ? absl::StrCat("T", e.task->id) : absl::StrCat("P", e.problem.seq));
    }
    return keys;
  }

  std::string T(const Task& t) const { return absl::StrCat("T", t.id); }
};

// A counts row written out: total, closed, on time, in progress, submitted, ongoing, overdue,
// cancelled.
std::vector<int64_t> Counts(const TaskCounts& c) {
  return {c.total,     c.closed,  c.closed_on_time, c.in_progress,
          c.submitted, c.ongoing, c.overdue,        c.cancelled};
}

TEST_F(ReportsTest, OverdueListGroupsByUnitInTreeOrderMostOverdueFirst) {
  OverdueReportData r = Overdue({});
  EXPECT_EQ(FormatDay(r.as_of), "2022-03-10");
  EXPECT_EQ(r.total, 7);
  EXPECT_EQ(Labels(r), (std::vector<std::string>{"第一支部", "第一党小组", "第二支部"}));
  EXPECT_EQ(Ids(r), (std::vector<std::vector<Id>>{
                        {t1_.id, t10_.id}, {t9_.id, t2_.id}, {t8_.id, t11_.id, t3_.id}}));
  EXPECT_EQ(r.sections[0].unit_id, branch_a_.id);
  EXPECT_EQ(r.scope.name, "");
}

TEST_F(ReportsTest, OverdueItemsCarryDaysAgingEscalationAndLatestProgress) {
  OverdueReportData r = Overdue({});
  // 第一党小组: T9 due 2021-12-09 is 91 days over (>90); T2 due 2021-12-20 is 80 days over.
  const OverdueLine& t9 = r.sections[1].lines[0];
  EXPECT_EQ(t9.days_overdue, 91);
  EXPECT_EQ(t9.aging, AgingBucket::kOver90Days);
  EXPECT_EQ(t9.escalation_level, 2);
  EXPECT_EQ(t9.owner_unit_name, "第一党小组");
  const OverdueLine& t2 = r.sections[1].lines[1];
  EXPECT_EQ(t2.days_overdue, 80);
  EXPECT_EQ(t2.aging, AgingBucket::k31To90Days);
  EXPECT_EQ(t2.task.latest_progress, "已完成第一轮学习");
  // 第一支部: T1 exactly 90 days (still 31-90); T10 8 days over, one day past the 7-day grace
  // period: level 2 already.
  EXPECT_EQ(r.sections[0].lines[0].days_overdue, 90);
  EXPECT_EQ(r.sections[0].lines[0].aging, AgingBucket::k31To90Days);
  EXPECT_EQ(r.sections[0].lines[1].days_overdue, 8);
  EXPECT_EQ(r.sections[0].lines[1].aging, AgingBucket::k8To30Days);
  EXPECT_EQ(r.sections[0].lines[1].escalation_level, 2);
  // 第二支部: the long-term T8 missed its 2021-12-31 checkpoint 69 days ago; T3 is 7 days over:
  // 1-7, level 1.
  EXPECT_EQ(r.sections[2].lines[0].days_overdue, 69);
  EXPECT_EQ(r.sections[2].lines[2].days_overdue, 7);
  EXPECT_EQ(r.sections[2].lines[2].aging, AgingBucket::k1To7Days);
  EXPECT_EQ(r.sections[2].lines[2].escalation_level, 1);
  EXPECT_EQ(r.aging_counts, (std::array<int, kAgingBucketCount>{1, 1, 4, 1}));
}

TEST_F(ReportsTest, OverdueListGroupsByPersonOrAreaMostTasksFirst) {
  OverdueQuery by_person;
  by_person.group_by = static_cast<int>(OverdueGrouping::kOwnerPerson);
  OverdueReportData people = Overdue(by_person);
  // 王五 has three; 张三 and 李四 two each, in the order of their names' code points.
  EXPECT_EQ(Labels(people), (std::vector<std::string>{"王五", "张三", "李四"}));
  EXPECT_EQ(Ids(people)[0], (std::vector<Id>{t8_.id, t11_.id, t3_.id}));
  EXPECT_EQ(people.sections[0].unit_id, 0);

  OverdueQuery by_area;
  by_area.group_by = static_cast<int>(OverdueGrouping::kArea);
  OverdueReportData areas = Overdue(by_area);
  EXPECT_EQ(Labels(areas), (std::vector<std::string>{"在联系服务群众方面", "在理论学习方面"}));
  EXPECT_EQ(Ids(areas), (std::vector<std::vector<Id>>{{t9_.id, t1_.id, t11_.id, t3_.id},
                                                      {t2_.id, t8_.id, t10_.id}}));
  EXPECT_EQ(areas.sections[1].lines[0].owner_unit_name, "第一党小组");
}

TEST_F(ReportsTest, OverdueListFiltersCombine) {
  OverdueQuery subtree;
  subtree.unit_id = branch_a_.id;
  OverdueReportData a = Overdue(subtree);
  EXPECT_EQ(a.scope.name, "第一支部");
  EXPECT_EQ(Ids(a), (std::vector<std::vector<Id>>{{t1_.id, t10_.id}, {t9_.id, t2_.id}}));

  OverdueQuery area;
  area.area = "在理论学习方面";
  area.owner_person = "王五";
  EXPECT_EQ(Ids(Overdue(area)), (std::vector<std::vector<Id>>{{t8_.id}}));

  OverdueQuery at_least;
  at_least.min_days_overdue = 31;
  OverdueReportData old = Overdue(at_least);
  EXPECT_EQ(old.total, 5);  // T9 91, T1 90, T2 80, T8 69, T11 37
  at_least.min_days_overdue = 91;
  EXPECT_EQ(Ids(Overdue(at_least)), (std::vector<std::vector<Id>>{{t9_.id}}));
  at_least.min_days_overdue = 8;
  EXPECT_EQ(Overdue(at_least).total, 6);  // all but T3 (7 days)
}

TEST_F(ReportsTest, OverdueListAsOfAnEarlierDateCountsFromThatDate) {
  OverdueQuery q;
  q.as_of = "2021-12-10";  // T1 is due that very day: not overdue yet
  OverdueReportData r = Overdue(q);
  EXPECT_EQ(Ids(r), (std::vector<std::vector<Id>>{{t9_.id}}));
  EXPECT_EQ(r.sections[0].lines[0].days_overdue, 1);
  EXPECT_EQ(r.sections[0].lines[0].escalation_level, 1);
}

TEST_F(ReportsTest, OverdueListRefusesBadFilters) {
  OverdueQuery q;
  q.min_days_overdue = -1;
  EXPECT_EQ(RunOverdueReport(*ledger_, q).status().code(), absl::StatusCode::kInvalidArgument);
  q = OverdueQuery();
  q.group_by = 7;
  EXPECT_NE(RunOverdueReport(*ledger_, q).status().message().find("group_by"),
            absl::string_view::npos);
  q = OverdueQuery();
  q.as_of = "2022-02-30";
  EXPECT_EQ(RunOverdueReport(*ledger_, q).status().code(), absl::StatusCode::kInvalidArgument);
  q = OverdueQuery();
  q.unit_id = 999;
  EXPECT_EQ(RunOverdueReport(*ledger_, q).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ReportsTest, StatisticsRollUpTheOrgTree) {
  StatisticsData s = Stats(0, static_cast<int>(StatisticsDimension::kUnit));
  ASSERT_EQ(s.lines.size(), 4u);
  // Tree order, each unit counting its whole subtree.
  EXPECT_EQ(s.lines[0].unit_name, "机关党委");
  EXPECT_EQ(s.lines[0].depth, 0);
  EXPECT_EQ(Counts(s.lines[0].counts), (std::vector<int64_t>{11, 2, 1, 6, 1, 1, 7, 1}));
  EXPECT_EQ(s.lines[1].unit_name, "第一支部");
  EXPECT_EQ(s.lines[1].depth, 1);
  EXPECT_EQ(Counts(s.lines[1].counts), (std::vector<int64_t>{6, 1, 1, 4, 0, 0, 4, 1}));
  EXPECT_EQ(s.lines[2].unit_name, "第一党小组");
  EXPECT_EQ(s.lines[2].depth, 2);
  EXPECT_EQ(Counts(s.lines[2].counts), (std::vector<int64_t>{2, 0, 0, 2, 0, 0, 2, 0}));
  EXPECT_EQ(s.lines[3].unit_name, "第二支部");
  EXPECT_EQ(Counts(s.lines[3].counts), (std::vector<int64_t>{4, 1, 0, 2, 0, 1, 3, 0}));
  EXPECT_EQ(Counts(s.total.counts), Counts(s.lines[0].counts));
}

TEST_F(ReportsTest, StatisticsRatesAreClosedOverNotCancelledAndOnTimeOverClosed) {
  StatisticsData s = Stats(0, static_cast<int>(StatisticsDimension::kUnit));
  // 机关党委: 2 closed of 11 - 1 cancelled; 1 of the 2 closed on time.
  EXPECT_DOUBLE_EQ(*s.lines[0].completion_rate, 0.2);
  EXPECT_DOUBLE_EQ(*s.lines[0].on_time_rate, 0.5);
  // 第一支部: 1 of 6 - 1; its one closed task (T4) was on time.
  EXPECT_DOUBLE_EQ(*s.lines[1].completion_rate, 0.2);
  EXPECT_DOUBLE_EQ(*s.lines[1].on_time_rate, 1.0);
  // 第一党小组 closed nothing: 0% done, and no on-time rate at all.
  EXPECT_DOUBLE_EQ(*s.lines[2].completion_rate, 0.0);
  EXPECT_FALSE(s.lines[2].on_time_rate.has_value());
  // 第二支部: T5 closed three days late.
  EXPECT_DOUBLE_EQ(*s.lines[3].completion_rate, 0.25);
  EXPECT_DOUBLE_EQ(*s.lines[3].on_time_rate, 0.0);
  EXPECT_DOUBLE_EQ(*s.total.completion_rate, 0.2);
}

TEST_F(ReportsTest, StatisticsOfASubtreeStartAtItsTop) {
  StatisticsData s = Stats(branch_a_.id, static_cast<int>(StatisticsDimension::kUnit));
  EXPECT_EQ(s.scope.name, "第一支部");
  ASSERT_EQ(s.lines.size(), 2u);
  EXPECT_EQ(s.lines[0].depth, 0);
  EXPECT_EQ(s.lines[1].unit_name, "第一党小组");
  EXPECT_EQ(s.lines[1].depth, 1);
  EXPECT_EQ(Counts(s.total.counts), (std::vector<int64_t>{6, 1, 1, 4, 0, 0, 4, 1}));
}

TEST_F(ReportsTest, StatisticsPerAreaMostTasksFirst) {
  StatisticsData s = Stats(0, static_cast<int>(StatisticsDimension::kArea));
  ASSERT_EQ(s.lines.size(), 2u);
  EXPECT_EQ(s.lines[0].area, "在联系服务群众方面");
  EXPECT_EQ(Counts(s.lines[0].counts), (std::vector<int64_t>{6, 0, 0, 4, 1, 0, 4, 1}));
  EXPECT_DOUBLE_EQ(*s.lines[0].completion_rate, 0.0);
  EXPECT_FALSE(s.lines[0].on_time_rate.has_value());
  EXPECT_EQ(s.lines[1].area, "在理论学习方面");
  EXPECT_EQ(Counts(s.lines[1].counts), (std::vector<int64_t>{5, 2, 1, 2, 0, 1, 3, 0}));
  EXPECT_DOUBLE_EQ(*s.lines[1].completion_rate, 0.4);
  EXPECT_DOUBLE_EQ(*s.lines[1].on_time_rate, 0.5);
  EXPECT_EQ(s.total.counts.total, 11);
}

TEST_F(ReportsTest, StatisticsCountOverdueAsOfTheDate) {
  // On 2021-12-10 only T9 (due 12-09) is late.
  StatisticsData s = Stats(0, static_cast<int>(StatisticsDimension::kUnit), "2021-12-10");
  EXPECT_EQ(s.total.counts.overdue, 1);
  EXPECT_EQ(s.lines[2].counts.overdue, 1);  // 第一党小组
  EXPECT_EQ(s.lines[3].counts.overdue, 0);
}

TEST_F(ReportsTest, ReopenedTaskIsNoLongerClosedOnTime) {
  ASSERT_OK(Do<Task>([&](WriteTxn& tx) {
              return ledger_->ReopenTask(tx, actor_, t4_.id, 0, "回头看发现问题反弹");
            }).status());
  StatisticsData s = Stats(0, static_cast<int>(StatisticsDimension::kUnit));
  EXPECT_EQ(s.total.counts.closed, 1);
  EXPECT_EQ(s.total.counts.closed_on_time, 0);
  ASSERT_OK_AND_ASSIGN(Task reopened, ledger_->GetTask(t4_.id));
  EXPECT_FALSE(reopened.close_day.has_value());
}

TEST_F(ReportsTest, ExportListsEveryProblemWithItsTasksInReviewOrder) {
  std::vector<LedgerEntry> rows = Export({});
  EXPECT_EQ(Keys(rows), (std::vector<std::string>{T(t1_), T(t3_), T(t6_), T(t7_), T(t9_), T(t11_),
                                                  T(t2_), T(t4_), T(t5_), T(t8_), T(t10_), "P3"}));
  EXPECT_EQ(rows[0].review_title, "2021年党史学习教育专题组织生活会");
  EXPECT_EQ(rows[0].problem.area, "在联系服务群众方面");
  EXPECT_EQ(rows[0].owner_unit_name, "第一支部");
  EXPECT_EQ(rows[7].task->close_day, absl::CivilDay(2021, 12, 15));  // T4
  EXPECT_EQ(rows[8].task->close_day, absl::CivilDay(2021, 12, 8));   // T5
  EXPECT_EQ(rows[11].problem.text, "调查研究不够深入");
  EXPECT_FALSE(rows[11].task.has_value());
  EXPECT_EQ(rows[11].owner_unit_name, "");
}

TEST_F(ReportsTest, ExportPagesGiveTheSameRowsOnceEach) {
  ExportQuery q;
  q.page_size = 2;  // a page boundary falls inside problems and right before P3
  EXPECT_EQ(Keys(Export(q)), Keys(Export({})));
  q.page_size = 1;
  EXPECT_EQ(Keys(Export(q)), Keys(Export({})));
}

TEST_F(ReportsTest, ExportOfASubtreeHasItsTasksAndItsReviewsProblemsWithoutTasks) {
  ExportQuery b;
  b.unit_id = branch_b_.id;
  // P3 has no task, and its review was held by the committee, above 第二支部.
  EXPECT_EQ(Keys(Export(b)), (std::vector<std::string>{T(t3_), T(t11_), T(t5_), T(t8_)}));
  ExportQuery committee;
  committee.unit_id = committee_.id;
  EXPECT_EQ(Export(committee).size(), 12u);
}

TEST_F(ReportsTest, ExportOfOneReview) {
  auto other = Do<Review>([&](WriteTxn& tx) {
    return ledger_->CreateReview(tx, actor_, "2021年度民主生活会", 2, "2021-12-10", branch_b_.id,
                                 "");
  });
  ASSERT_TRUE(other.ok());
  review_ = *other;
  Problem p = MustProblem("在担当作为方面", "攻坚克难的勇气不足");
  Task t = Make(branch_b_, "王五", p, "2022-01-31");
  ExportQuery q;
  q.review_id = other->id;
  EXPECT_EQ(Keys(Export(q)), (std::vector<std::string>{T(t)}));
  EXPECT_EQ(Export({}).size(), 13u);  // the new review's row comes last
  q.review_id = 999;
  EXPECT_EQ(ExportLedger(*ledger_, q, [](const LedgerEntry&) { return absl::OkStatus(); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReportsTest, StatisticsAndOverdueOfOneReviewCountOnlyItsTasks) {
  const Review first = review_;
  auto other = Do<Review>([&](WriteTxn& tx) {
    return ledger_->CreateReview(tx, actor_, "2021年度民主生活会", 2, "2021-12-10", branch_b_.id,
                                 "");
  });
  ASSERT_TRUE(other.ok()) << other.status();
  review_ = *other;
  Problem p = MustProblem("在担当作为方面", "攻坚克难的勇气不足");
  Task late = Make(branch_b_, "王五", p, "2022-01-31");  // 38 days overdue as of 2022-03-10
  Task done = Make(group_a_, "李四", p, "2022-02-28");   // closed today, on time
  Must(Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, done.id, 0); }).status());
  Must(Do<Task>([&](WriteTxn& tx) {
         return ledger_->SubmitTask(tx, actor_, done.id, 0, "已完成");
       }).status());
  Must(Do<Task>([&](WriteTxn& tx) {
         return ledger_->AcceptTask(tx, actor_, done.id, 0, "");
       }).status());

  auto stats = [&](Id unit, int by, Id review) {
    auto s = RunStatistics(*ledger_, StatisticsQuery{unit, "2022-03-10", by, review});
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : StatisticsData{};
  };
  const int by_unit = static_cast<int>(StatisticsDimension::kUnit);
  // The new review alone: every unit of the scope, rolled up, counting only its two tasks.
  StatisticsData s = stats(0, by_unit, other->id);
  EXPECT_EQ(Counts(s.total.counts), (std::vector<int64_t>{2, 1, 1, 1, 0, 0, 1, 0}));
  ASSERT_EQ(s.lines.size(), 4u);
  EXPECT_EQ(Counts(s.lines[1].counts), (std::vector<int64_t>{1, 1, 1, 0, 0, 0, 0, 0}));  // 第一支部
  EXPECT_EQ(Counts(s.lines[2].counts), (std::vector<int64_t>{1, 1, 1, 0, 0, 0, 0, 0}));  // 党小组
  EXPECT_EQ(Counts(s.lines[3].counts), (std::vector<int64_t>{1, 0, 0, 1, 0, 0, 1, 0}));  // 第二支部
  EXPECT_EQ(s.total.counts.red + s.total.counts.yellow + s.total.counts.green, 1);
  EXPECT_DOUBLE_EQ(*s.total.completion_rate, 0.5);
  EXPECT_DOUBLE_EQ(*s.total.on_time_rate, 1.0);
  // The first review is what the whole ledger was; both together are the unfiltered counts.
  StatisticsData f = stats(0, by_unit, first.id);
  EXPECT_EQ(Counts(f.total.counts), (std::vector<int64_t>{11, 2, 1, 6, 1, 1, 7, 1}));
  TaskCounts both = f.total.counts;
  both += s.total.counts;
  EXPECT_EQ(Counts(stats(0, by_unit, 0).total.counts), Counts(both));
  // With a subtree and per area.
  EXPECT_EQ(Counts(stats(branch_b_.id, by_unit, other->id).total.counts),
            (std::vector<int64_t>{1, 0, 0, 1, 0, 0, 1, 0}));
  StatisticsData areas = stats(0, static_cast<int>(StatisticsDimension::kArea), other->id);
  ASSERT_EQ(areas.lines.size(), 1u);
  EXPECT_EQ(areas.lines[0].area, "在担当作为方面");
  EXPECT_EQ(areas.lines[0].counts.total, 2);

  OverdueQuery q;
  q.review_id = other->id;
  OverdueReportData o = Overdue(q);
  EXPECT_EQ(Ids(o), (std::vector<std::vector<Id>>{{late.id}}));
  EXPECT_EQ(o.sections[0].lines[0].days_overdue, 38);
  q.review_id = first.id;
  EXPECT_EQ(Overdue(q).total, 7);

  // An unknown review is NOT_FOUND, a negative id INVALID_ARGUMENT naming the field.
  q.review_id = 999;
  EXPECT_EQ(RunOverdueReport(*ledger_, q).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(RunStatistics(*ledger_, StatisticsQuery{0, "", 0, 999}).status().code(),
            absl::StatusCode::kNotFound);
  q.review_id = -1;
  EXPECT_THAT(std::string(RunOverdueReport(*ledger_, q).status().message()),
              testing::HasSubstr("review_id"));
  EXPECT_EQ(RunStatistics(*ledger_, StatisticsQuery{0, "", 0, -1}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportsTest, ExportedRowsCarryTheLightAsOfTheDayByTheSchedulersRule) {
  auto light_of = [&](const std::string& as_of) {
    ExportQuery q;
    q.as_of = as_of;
    std::map<Id, WarningLight> lights;
    for (const LedgerEntry& e : Export(q)) {
      if (e.task) lights[e.task->id] = e.light_as_of;
    }
    return lights;
  };
  std::map<Id, WarningLight> late = light_of("2022-03-10");
  EXPECT_EQ(late[t1_.id], WarningLight::kRed);    // due 2021-12-10
  EXPECT_EQ(late[t3_.id], WarningLight::kRed);    // due 2022-03-03: overdue from 03-04
  EXPECT_EQ(late[t8_.id], WarningLight::kRed);    // long-term, checkpoint missed
  EXPECT_EQ(late[t7_.id], WarningLight::kGreen);  // submitted: waiting for the committee
  EXPECT_EQ(late[t4_.id], WarningLight::kNone);   // closed
  EXPECT_EQ(late[t6_.id], WarningLight::kNone);   // cancelled
  // Early on: T1 (due 12-10) is within the three-day warning window, T3 is far off.
  std::map<Id, WarningLight> early = light_of("2021-12-08");
  EXPECT_EQ(early[t1_.id], WarningLight::kYellow);
  EXPECT_EQ(early[t3_.id], WarningLight::kGreen);
  // The day a task falls due it is not overdue yet; the next day it is (as the overdue list).
  EXPECT_EQ(light_of("2022-03-03")[t3_.id], WarningLight::kYellow);
  EXPECT_EQ(light_of("2022-03-04")[t3_.id], WarningLight::kRed);
  // Today by default; a bad day names the field.
  EXPECT_EQ(light_of("").size(), 11u);
  ExportQuery bad;
  bad.as_of = "2022-02-30";
  absl::Status s = ExportLedger(*ledger_, bad, [](const LedgerEntry&) { return absl::OkStatus(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), testing::HasSubstr("as_of"));
}

TEST_F(ReportsTest, ExportWithHistoryCarriesTheLastStandingCloseOutSummary) {
  // T7 is returned, then submitted again and closed out with a note of the committee's.
  Must(Do<Task>([&](WriteTxn& tx) {
         return ledger_->ReturnTask(tx, actor_, t7_.id, 0, "材料不全");
       }).status());
  auto summaries = [&](bool with_history) {
    ExportQuery q;
    q.with_history = with_history;
    std::map<Id, std::string> out;
    for (const LedgerEntry& e : Export(q)) {
      if (e.task) out[e.task->id] = e.submit_summary;
    }
    return out;
  };
  std::map<Id, std::string> s = summaries(true);
  EXPECT_EQ(s[t4_.id], "已完成");  // closed: its summary, not its (empty) acceptance note
  EXPECT_EQ(s[t7_.id], "");        // returned: that close-out did not stand
  EXPECT_EQ(s[t1_.id], "");
  Must(Do<Task>([&](WriteTxn& tx) {
         return ledger_->SubmitTask(tx, actor_, t7_.id, 0, "补齐材料后再次提交");
       }).status());
  EXPECT_EQ(summaries(true)[t7_.id], "补齐材料后再次提交");  // submitted
  Must(Do<Task>([&](WriteTxn& tx) {
         return ledger_->AcceptTask(tx, actor_, t7_.id, 0, "同意销号");
       }).status());
  s = summaries(true);
  EXPECT_EQ(s[t7_.id], "补齐材料后再次提交");
  EXPECT_EQ(summaries(false)[t7_.id], "");  // only with the history
  ASSERT_OK_AND_ASSIGN(Task closed, ledger_->GetTask(t7_.id));
  EXPECT_EQ(closed.status_note, "同意销号");
  // Reopened, the summary no longer stands.
  Must(Do<Task>([&](WriteTxn& tx) {
         return ledger_->ReopenTask(tx, actor_, t7_.id, 0, "问题反弹");
       }).status());
  EXPECT_EQ(summaries(true)[t7_.id], "");
}

TEST_F(ReportsTest, ExportStopsWhenTheReaderDoes) {
  int seen = 0;
  absl::Status s = ExportLedger(*ledger_, ExportQuery{0, 0, 2, false, ""}, [&](const LedgerEntry&) {
    return ++seen == 3 ? absl::CancelledError("gone") : absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(seen, 3);
}

class EmptyLedgerReportsTest : public testing_support::LedgerTest {};

TEST_F(EmptyLedgerReportsTest, ReportsOfAnEmptyLedgerAreEmptyNotErrors) {
  ASSERT_OK_AND_ASSIGN(OverdueReportData overdue, RunOverdueReport(*ledger_, OverdueQuery()));
  EXPECT_EQ(overdue.total, 0);
  EXPECT_TRUE(overdue.sections.empty());
  EXPECT_EQ(FormatDay(overdue.as_of), "2021-12-01");  // today in Asia/Shanghai
  for (int by : {0, 1}) {
    ASSERT_OK_AND_ASSIGN(StatisticsData stats,
                         RunStatistics(*ledger_, StatisticsQuery{0, "", by, 0}));
    EXPECT_TRUE(stats.lines.empty());
    EXPECT_EQ(stats.total.counts.total, 0);
    EXPECT_FALSE(stats.total.completion_rate.has_value());
    EXPECT_FALSE(stats.total.on_time_rate.has_value());
  }
  int rows = 0;
  ASSERT_OK(ExportLedger(*ledger_, ExportQuery(), [&](const LedgerEntry&) {
    ++rows;
    return absl::OkStatus();
  }));
  EXPECT_EQ(rows, 0);
}

TEST(AgingBucketTest, BucketEdges) {
  EXPECT_EQ(AgingBucketOf(1), AgingBucket::k1To7Days);
  EXPECT_EQ(AgingBucketOf(7), AgingBucket::k1To7Days);
  EXPECT_EQ(AgingBucketOf(8), AgingBucket::k8To30Days);
  EXPECT_EQ(AgingBucketOf(30), AgingBucket::k8To30Days);
  EXPECT_EQ(AgingBucketOf(31), AgingBucket::k31To90Days);
  EXPECT_EQ(AgingBucketOf(90), AgingBucket::k31To90Days);
  EXPECT_EQ(AgingBucketOf(91), AgingBucket::kOver90Days);
}

}  // namespace
}  // namespace rectify
