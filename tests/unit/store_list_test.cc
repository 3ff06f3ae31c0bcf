// Both stores (the conformance suite), listings: every TaskQuery filter, keyset pages across NULL
// deadlines, subtree path ranges (/1/ is not /12/), events after a seq, the scheduler's queue and
// its index.
#include <algorithm>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sqlite/database.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/unit/store_conformance.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using testing_support::AllBackends;
using testing_support::BackendName;
using testing_support::P;
using testing_support::SqliteLedgerTest;
using testing_support::StoreLedgerTest;
using testing_support::T0;

// Units 1..12 are roots, so that "/1/", "/10/" and "/12/" (zero-padded in the store) are all
// top-level paths; 13 is under 1, 14 under 12, 15 under 10. Seven tasks spread over them (see SetUp
// for the table).
class StoreListTest : public StoreLedgerTest {
 protected:
  void SetUp() override {
    StoreLedgerTest::SetUp();
    if (HasFatalFailure()) return;
    for (int i = 1; i <= 12; ++i) units_.push_back(AddUnit(nullptr, absl::StrCat("单位", i)));
    units_.push_back(AddUnit(&unit(1), "单位13"));
    units_.push_back(AddUnit(&unit(12), "单位14"));
    units_.push_back(AddUnit(&unit(10), "单位15"));
    ASSERT_EQ(unit(13).path, P({1, 13}));
    ASSERT_EQ(unit(14).path, P({12, 14}));
    ASSERT_EQ(unit(15).path, P({10, 15}));

    review_a_ = AddReview(unit(1), "A");
    review_b_ = AddReview(unit(12), "B");
    Problem pa = AddProblem(review_a_, 1);
    Problem pb = AddProblem(review_b_, 1);

    using S = TaskStatus;
    //      problem owner deadline               status          area  person    next check
    Add(pa, 1, absl::CivilDay(2022, 3, 1), S::kOpen, "X", "张三", T0() + absl::Hours(3));
    Add(pa, 13, absl::CivilDay(2022, 1, 15), S::kInProgress, "X", "李四", T0() + absl::Hours(1));
    Add(pa, 12, absl::nullopt, S::kOngoing, "X", "张三", absl::nullopt);
    Add(pb, 14, absl::CivilDay(2022, 1, 15), S::kSubmitted, "X", "张三", absl::nullopt);
    Add(pb, 10, absl::CivilDay(2022, 2, 1), S::kOpen, "Y", "张三", T0() + absl::Hours(2));
    Add(pa, 15, absl::nullopt, S::kOpen, "X", "张三", absl::nullopt);
    Add(pa, 1, absl::CivilDay(2022, 1, 15), S::kClosed, "X", "张三", absl::nullopt);
    Task& t3 = tasks_[2];
    t3.checkpoint_due = absl::CivilDay(2022, 1, 20);
    ASSERT_OK(Write([&](WriteTxn& tx) { return tx.UpdateTask(t3); }));
  }

  const OrgUnit& unit(int n) const { return units_[n - 1]; }
  // Task numbers t1..t7 in creation order; ids are 1..7 as well.
  Id t(int n) const { return tasks_[n - 1].id; }

  void Add(const Problem& problem, int owner, absl::optional<absl::CivilDay> deadline,
           TaskStatus status, const std::string& area, const std::string& person,
           absl::optional<absl::Time> next_check) {
    Task task = NewTask(problem, unit(owner));
    task.deadline = deadline;
    task.status = status;
    task.area = area;
    task.owner_person = person;
    task.next_check_time = next_check;
    EXPECT_OK(Write([&](WriteTxn& tx) { return tx.InsertTask(task); }));
    tasks_.push_back(task);
  }

  std::vector<Id> List(const TaskQuery& query) {
    std::vector<Id> ids;
    EXPECT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
      absl::StatusOr<std::vector<Task>> tasks = tx.ListTasks(query);
      if (!tasks.ok()) return tasks.status();
      for (const Task& task : *tasks) ids.push_back(task.id);
      return absl::OkStatus();
    }));
    return ids;
  }

  std::vector<Id> Ids(std::initializer_list<int> numbers) const {
    std::vector<Id> ids;
    for (int n : numbers) ids.push_back(t(n));
    return ids;
  }

  std::vector<OrgUnit> units_;
  std::vector<Task> tasks_;
  Review review_a_;
  Review review_b_;
};

TEST_P(StoreListTest, TasksComeByDeadlineWithUndatedLastThenById) {
  EXPECT_EQ(List(TaskQuery()), Ids({2, 4, 7, 5, 1, 3, 6}));
}

TEST_P(StoreListTest, SubtreeIsAPathRangeThatDoesNotConfuseOneWithTwelve) {
  TaskQuery q;
  q.subtree_path = P({1});
  EXPECT_EQ(List(q), Ids({2, 7, 1}));
  q.subtree_path = P({12});
  EXPECT_EQ(List(q), Ids({4, 3}));
  q.subtree_path = P({10});
  EXPECT_EQ(List(q), Ids({5, 6}));
  q.subtree_path = P({1, 13});
  EXPECT_EQ(List(q), Ids({2}));
  q.subtree_path = P({11});
  EXPECT_TRUE(List(q).empty());
}

TEST_P(StoreListTest, SubtreePathMustStartAndEndWithSlash) {
  TaskQuery q;
  q.subtree_path = "/1";
  absl::Status status = store_->Read([&](ReadTxn& tx) { return tx.ListTasks(q).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(status.message().find("subtree_path"), absl::string_view::npos);
}

TEST_P(StoreListTest, StatusFilterTakesAnyOfTheGivenStates) {
  TaskQuery q;
  q.statuses = {TaskStatus::kOpen};
  EXPECT_EQ(List(q), Ids({5, 1, 6}));
  q.statuses = {TaskStatus::kOngoing, TaskStatus::kOpen};
  EXPECT_EQ(List(q), Ids({5, 1, 3, 6}));
}

TEST_P(StoreListTest, DeadlineBoundsAreInclusiveAndSkipUndatedTasks) {
  TaskQuery q;
  q.deadline_from = absl::CivilDay(2022, 2, 1);
  EXPECT_EQ(List(q), Ids({5, 1}));
  q = TaskQuery();
  q.deadline_to = absl::CivilDay(2022, 2, 1);
  EXPECT_EQ(List(q), Ids({2, 4, 7, 5}));
  q.deadline_from = absl::CivilDay(2022, 1, 15);
  q.deadline_to = absl::CivilDay(2022, 1, 15);
  EXPECT_EQ(List(q), Ids({2, 4, 7}));
}

TEST_P(StoreListTest, AreaPersonAndReviewFiltersAreExact) {
  TaskQuery q;
  q.area = "Y";
  EXPECT_EQ(List(q), Ids({5}));
  q = TaskQuery();
  q.owner_person = "李四";
  EXPECT_EQ(List(q), Ids({2}));
  q = TaskQuery();
  q.review_id = review_b_.id;
  EXPECT_EQ(List(q), Ids({4, 5}));
}

TEST_P(StoreListTest, OverdueMeansOpenPastDeadlineOrOngoingPastCheckpoint) {
  TaskQuery q;
  q.overdue_as_of = absl::CivilDay(2022, 1, 15);  // due today is not late yet
  EXPECT_TRUE(List(q).empty());
  q.overdue_as_of = absl::CivilDay(2022, 1, 16);
  EXPECT_EQ(List(q), Ids({2}));  // not t4 (submitted) nor t7 (closed)
  q.overdue_as_of = absl::CivilDay(2022, 1, 21);
  EXPECT_EQ(List(q), Ids({2, 3}));  // t3: ongoing, checkpoint 2022-01-20 missed
  q.overdue_as_of = absl::CivilDay(2022, 3, 2);
  EXPECT_EQ(List(q), Ids({2, 5, 1, 3}));
}

TEST_P(StoreListTest, FiltersCombineWithAnd) {
  TaskQuery q;
  q.subtree_path = P({1});
  q.statuses = {TaskStatus::kInProgress, TaskStatus::kClosed};
  EXPECT_EQ(List(q), Ids({2, 7}));
  q.owner_person = "李四";
  EXPECT_EQ(List(q), Ids({2}));
}

TEST_P(StoreListTest, KeysetPagesCoverEveryTaskOnceAtAnyPageSize) {
  const std::vector<Id> all = Ids({2, 4, 7, 5, 1, 3, 6});
  for (int page_size = 1; page_size <= 8; ++page_size) {
    std::vector<Id> seen;
    TaskQuery q;
    q.limit = page_size;
    for (int pages = 0; pages < 20; ++pages) {
      std::vector<Task> page;
      ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
        absl::StatusOr<std::vector<Task>> tasks = tx.ListTasks(q);
        if (tasks.ok()) page = *tasks;
        return tasks.status();
      }));
      ASSERT_LE(static_cast<int>(page.size()), page_size);
      if (page.empty()) break;
      for (const Task& task : page) seen.push_back(task.id);
      q.after_id = page.back().id;
      q.after_deadline = page.back().deadline;
    }
    EXPECT_EQ(seen, all) << "page size " << page_size;
  }
}

TEST_P(StoreListTest, KeysetPagesRespectFilters) {
  TaskQuery q;
  q.statuses = {TaskStatus::kOpen};
  q.limit = 1;
  q.after_id = t(5);
  q.after_deadline = absl::CivilDay(2022, 2, 1);
  EXPECT_EQ(List(q), Ids({1}));
  q.after_id = t(1);
  q.after_deadline = absl::CivilDay(2022, 3, 1);
  EXPECT_EQ(List(q), Ids({6}));
  q.after_id = t(6);
  q.after_deadline.reset();
  EXPECT_TRUE(List(q).empty());
}

TEST_P(StoreListTest, UnitsListInPathOrderWithinASubtreeAndPage) {
  auto paths = [&](const std::string& subtree, const std::string& after, int limit) {
    std::vector<std::string> out;
    EXPECT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
      absl::StatusOr<std::vector<OrgUnit>> units = tx.ListUnits(subtree, after, limit);
      if (!units.ok()) return units.status();
      for (const OrgUnit& u : *units) out.push_back(u.path);
      return absl::OkStatus();
    }));
    return out;
  };
  EXPECT_EQ(paths(P({1}), "", 10), (std::vector<std::string>{P({1}), P({1, 13})}));
  EXPECT_EQ(paths(P({12}), "", 10), (std::vector<std::string>{P({12}), P({12, 14})}));
  EXPECT_EQ(paths(P({10}), "", 10), (std::vector<std::string>{P({10}), P({10, 15})}));
  EXPECT_EQ(paths(P({10}), P({10}), 10), (std::vector<std::string>{P({10, 15})}));

  std::vector<std::string> all = paths("", "", 100);
  EXPECT_EQ(all.size(), 15u);
  std::vector<std::string> paged;
  std::string after;
  for (;;) {
    std::vector<std::string> page = paths("", after, 4);
    if (page.empty()) break;
    paged.insert(paged.end(), page.begin(), page.end());
    after = page.back();
  }
  EXPECT_EQ(paged, all);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
}

TEST_P(StoreListTest, ReviewsListNewestFirstWithinASubtree) {
  Review c = AddReview(unit(13), "C");
  auto ids = [&](const std::string& subtree, Id before, int limit) {
    std::vector<Id> out;
    EXPECT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
      absl::StatusOr<std::vector<Review>> reviews = tx.ListReviews(subtree, before, limit);
      if (!reviews.ok()) return reviews.status();
      for (const Review& r : *reviews) out.push_back(r.id);
      return absl::OkStatus();
    }));
    return out;
  };
  EXPECT_EQ(ids(P({1}), 0, 10), (std::vector<Id>{c.id, review_a_.id}));
  EXPECT_EQ(ids(P({12}), 0, 10), (std::vector<Id>{review_b_.id}));
  EXPECT_EQ(ids("", 0, 10), (std::vector<Id>{c.id, review_b_.id, review_a_.id}));
  EXPECT_EQ(ids("", c.id, 1), (std::vector<Id>{review_b_.id}));
}

TEST_P(StoreListTest, EventsAfterASeqFollowTheSubtree) {
  std::vector<int64_t> seqs;
  ASSERT_OK(Write([&](WriteTxn& tx) -> absl::Status {
    for (const Task& task : tasks_) {
      Event e{0,
              EventKind::kCreated,
              task.id,
              task.owner_unit_id,
              task.owner_path,
              "admin",
              T0(),
              absl::nullopt,
              task.status,
              ""};
      absl::Status s = tx.AppendEvent(e);
      if (!s.ok()) return s;
      seqs.push_back(e.seq);
    }
    return absl::OkStatus();
  }));
  auto tasks_of = [&](int64_t after, const std::string& subtree, int limit) {
    std::vector<Id> out;
    EXPECT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
      absl::StatusOr<std::vector<Event>> events = tx.ListEventsAfter(after, subtree, limit);
      if (!events.ok()) return events.status();
      for (const Event& e : *events) out.push_back(e.task_id);
      return absl::OkStatus();
    }));
    return out;
  };
  EXPECT_EQ(tasks_of(0, P({1}), 10), Ids({1, 2, 7}));
  EXPECT_EQ(tasks_of(seqs[0], P({1}), 10), Ids({2, 7}));
  EXPECT_EQ(tasks_of(seqs[0], P({1}), 1), Ids({2}));
  EXPECT_EQ(tasks_of(0, P({12}), 10), Ids({3, 4}));
  EXPECT_EQ(tasks_of(seqs[3], "", 10), Ids({5, 6, 7}));
  EXPECT_TRUE(tasks_of(seqs[6], "", 10).empty());
}

TEST_P(StoreListTest, DueForCheckComesEarliestFirstUpToNow) {
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(tx.NextCheckTime().value(), T0() + absl::Hours(1));
    std::vector<Task> due = tx.ListTasksDueForCheck(T0() + absl::Hours(2), 10).value();
    EXPECT_EQ(due.size(), 2u);
    EXPECT_EQ(due[0].id, t(2));
    EXPECT_EQ(due[1].id, t(5));
    EXPECT_EQ(tx.ListTasksDueForCheck(T0() + absl::Hours(9), 1).value().size(), 1u);
    EXPECT_TRUE(tx.ListTasksDueForCheck(T0(), 10).value().empty());
    return absl::OkStatus();
  }));
  for (Task& task : tasks_) task.next_check_time.reset();
  ASSERT_OK(Write([&](WriteTxn& tx) -> absl::Status {
    for (const Task& task : tasks_) {
      absl::Status s = tx.UpdateTask(task);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_FALSE(tx.NextCheckTime().value().has_value());
    return absl::OkStatus();
  }));
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreListTest, AllBackends(), BackendName);

// The scheduler polls these often; on a big ledger a table scan or a sort would hurt. (SQLite's
// plan; PostgreSQL's planner picks by statistics, so its plan is not pinned.)
class SqlitePlanTest : public SqliteLedgerTest {};

TEST_F(SqlitePlanTest, SchedulerQueriesReadOnlyThePartialIndex) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<sqlite::Database> db,
                       sqlite::Database::Open(options_.path, sqlite::Database::Options()));
  for (const std::string& sql : {sql::TasksDueForCheckSql(), sql::NextCheckTimeSql()}) {
    ASSERT_OK_AND_ASSIGN(sqlite::Statement plan,
                         db->GetUniqueStatement(absl::StrCat("EXPLAIN QUERY PLAN ", sql)));
    std::vector<std::string> details;
    for (;;) {
      ASSERT_OK_AND_ASSIGN(bool row, plan.Step());
      if (!row) break;
      details.push_back(plan.ColumnText(3));
    }
    const std::string text = absl::StrJoin(details, "; ");
    EXPECT_NE(text.find("INDEX tasks_next_check"), std::string::npos) << text;
    EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace rectify
