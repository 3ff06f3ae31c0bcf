// The SQLite store's side of the reports: schema step 4 (tasks.close_day, filled in for tasks
// closed before it), and the plans of the report queries (the counts read only ranges of the
// count tables; the export pages in index order, never sorting the ledger).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"
#include "services/store/sqlite/database.h"
#include "services/store/sqlite/schema.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using sqlite::Database;
using testing_support::SqliteTest;

class SqliteReportsTest : public SqliteTest {
 protected:
  std::unique_ptr<Database> OpenRaw() {
    absl::StatusOr<std::unique_ptr<Database>> db =
        Database::Open(options_.path, Database::Options());
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  // The plan of `sql` as one line of its details.
  std::string Plan(Database& db, const std::string& sql) {
    auto plan = db.GetUniqueStatement(absl::StrCat("EXPLAIN QUERY PLAN ", sql));
    EXPECT_TRUE(plan.ok()) << plan.status() << "\n" << sql;
    if (!plan.ok()) return "";
    std::vector<std::string> details;
    for (;;) {
      auto row = plan->Step();
      if (!row.ok() || !*row) break;
      details.push_back(plan->ColumnText(3));
    }
    return absl::StrJoin(details, "; ");
  }
};

TEST_F(SqliteReportsTest, VersionTwoDatabaseGetsTheCloseDayOfItsClosedTasks) {
  {
    std::unique_ptr<Database> db = OpenRaw();
    ASSERT_OK(sqlite::MigrateSchema(*db, 2));
    // A task closed 2021-12-31 17:30 UTC, which is 2022-01-01 01:30 in Asia/Shanghai, and one
    // still open; written as a version-2 binary would.
    const int64_t closed_at = absl::ToUnixMicros(
        absl::FromCivil(absl::CivilSecond(2021, 12, 31, 17, 30, 0), absl::UTCTimeZone()));
    ASSERT_OK(db->Execute(
        absl::StrCat(
            "INSERT INTO units (id, name, parent_id, path, depth, version, create_time) "
            "VALUES (1, '党委', NULL, '/0000000001/', 0, 1, 0);"
            "INSERT INTO reviews (id, title, kind, held_on, unit_id, source_document, create_time) "
            "VALUES (1, '专题组织生活会', 1, '2021-11-30', 1, '', 0);"
            "INSERT INTO problems (id, review_id, seq, area, text) "
            "VALUES (1, 1, 1, '在学习方面', '学习不够');"
            "INSERT INTO tasks (id, problem_id, review_id, area, measure, owner_unit_id, "
            "owner_path, owner_person, leader, deadline, cadence_days, status, progress_percent, "
            "version, deadline_version, light, escalation_level, status_note, latest_progress, "
            "create_time, update_time, close_time) VALUES "
            "(1, 1, 1, '在学习方面', '措施', 1, '/0000000001/', '张三', '', '2021-12-31', 0, 4, "
            "100, 5, 1, 0, 0, '', '', 0, 0, ",
            closed_at,
            "),"
            "(2, 1, 1, '在学习方面', '措施', 1, '/0000000001/', '张三', '', '2021-12-31', 0, 1, "
            "0, 1, 1, 1, 0, '', '', 0, 0, NULL);")
            .c_str()));
  }

  OpenStore();  // migrates 2 -> 3 -> 4

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(tx.GetTask(1).value().close_day, absl::CivilDay(2022, 1, 1));
    EXPECT_FALSE(tx.GetTask(2).value().close_day.has_value());
    // Closed the day after its deadline in the organisation's zone: late, not on time.
    std::vector<KeyedTaskCounts> counts =
        tx.CountTasks("", TaskCountKey::kOwnerPath, absl::CivilDay(2022, 1, 5)).value();
    EXPECT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts[0].counts.closed, 1);
    EXPECT_EQ(counts[0].counts.closed_on_time, 0);
    EXPECT_EQ(counts[0].counts.overdue, 1);
    return absl::OkStatus();
  }));
  store_.reset();
  std::unique_ptr<Database> db = OpenRaw();
  sqlite::SchemaVersion v = sqlite::ReadSchemaVersion(*db).value();
  EXPECT_EQ(v.version, sqlite::kCurrentSchemaVersion);
  EXPECT_GE(v.compatible_version, 4);
}

TEST_F(SqliteReportsTest, CountsReadRangesOfTheCountTablesNeverTheTasks) {
  OpenStore();
  store_.reset();
  std::unique_ptr<Database> db = OpenRaw();
  for (bool in_subtree : {false, true}) {
    for (TaskCountKey key : {TaskCountKey::kOwnerPath, TaskCountKey::kArea}) {
      const std::string counts = Plan(*db, sql::TaskCountsSql(key, in_subtree));
      EXPECT_NE(counts.find("task_counts"), std::string::npos) << counts;
      EXPECT_EQ(counts.find(" tasks"), std::string::npos) << counts;
      const std::string overdue = Plan(*db, sql::OverdueCountsSql(key, in_subtree));
      // The days before the as-of day are a range of the key, not a filter over every row.
      EXPECT_NE(overdue.find("SEARCH task_due_counts"), std::string::npos) << overdue;
      EXPECT_NE(overdue.find("due_day<?"), std::string::npos) << overdue;
      EXPECT_EQ(overdue.find(" tasks"), std::string::npos) << overdue;
      const std::string lights = Plan(*db, sql::LightCountsSql(key, in_subtree));
      EXPECT_NE(lights.find("task_light_counts"), std::string::npos) << lights;
      EXPECT_EQ(lights.find(" tasks"), std::string::npos) << lights;
      if (in_subtree) {
        EXPECT_NE(counts.find("SEARCH task_counts"), std::string::npos) << counts;
        EXPECT_NE(lights.find("SEARCH task_light_counts"), std::string::npos) << lights;
      }
    }
    // Per unit, grouped in key order: no sort.
    const std::string by_unit = Plan(*db, sql::TaskCountsSql(TaskCountKey::kOwnerPath, in_subtree));
    EXPECT_EQ(by_unit.find("TEMP B-TREE"), std::string::npos) << by_unit;
  }
}

TEST_F(SqliteReportsTest, OneReviewsCountsReadThatReviewsTasksOnly) {
  OpenStore();
  store_.reset();
  std::unique_ptr<Database> db = OpenRaw();
  for (bool in_subtree : {false, true}) {
    for (TaskCountKey key : {TaskCountKey::kOwnerPath, TaskCountKey::kArea}) {
      // The kept counts have no review: the review's tasks, found by its index, never a scan.
      const std::string plan = Plan(*db, sql::ReviewTaskCountsSql(key, in_subtree));
      EXPECT_NE(plan.find("SEARCH tasks USING INDEX tasks_review (review_id=?)"), std::string::npos)
          << plan;
      EXPECT_EQ(plan.find("SCAN tasks"), std::string::npos) << plan;
    }
  }
}

TEST_F(SqliteReportsTest, ExportPagesFollowIndexesWithoutSortingTheLedger) {
  OpenStore();
  store_.reset();
  std::unique_ptr<Database> db = OpenRaw();
  for (const std::string& subtree : {std::string(), testing_support::P({1})}) {
    for (Id review : {Id{0}, Id{3}}) {
      LedgerEntryQuery q;
      q.subtree_path = subtree;
      q.review_id = review;
      q.after_review_id = 2;
      q.after_problem_seq = 5;
      q.after_task_id = 40;
      sql::Conditions where;
      const std::string plan = Plan(*db, sql::LedgerEntriesSql(q, where));
      EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
      EXPECT_NE(plan.find("INDEX tasks_problem"), std::string::npos) << plan;
    }
  }
}

}  // namespace
}  // namespace rectify
