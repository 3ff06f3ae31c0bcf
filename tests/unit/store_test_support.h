// Shared by the store tests (store_*_test.cc, sqlite_*_test.cc) and the ledger fixtures: status
// assertions (this Abseil has no status matchers), SqliteTest (a store on a real file in a fresh
// directory) and LedgerSeeding (helpers that seed a ledger on any store fixture). The fixtures
// that run one test on both stores are in store_conformance.h.
#ifndef RECTIFY_TESTS_UNIT_STORE_TEST_SUPPORT_H_
#define RECTIFY_TESTS_UNIT_STORE_TEST_SUPPORT_H_

#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "gtest/gtest.h"
#include "services/model/model.h"
#include "services/store/sqlite/sqlite_store.h"
#include "services/store/store.h"

#define RECTIFY_TEST_CONCAT_INNER(a, b) a##b
#define RECTIFY_TEST_CONCAT(a, b) RECTIFY_TEST_CONCAT_INNER(a, b)

#define ASSERT_OK(expr)                            \
  do {                                             \
    const ::absl::Status _st = (expr);             \
    ASSERT_TRUE(_st.ok()) << #expr << ": " << _st; \
  } while (0)

#define EXPECT_OK(expr)                            \
  do {                                             \
    const ::absl::Status _st = (expr);             \
    EXPECT_TRUE(_st.ok()) << #expr << ": " << _st; \
  } while (0)

#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)         \
  auto tmp = (expr);                                      \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status(); \
  lhs = std::move(tmp).value()

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(RECTIFY_TEST_CONCAT(_statusor_, __LINE__), lhs, expr)

namespace rectify {
namespace testing_support {

// The stored path of the unit with these ids from the root down: P({1, 13}) is
// "/0000000001/0000000013/".
inline std::string P(std::initializer_list<int> ids) {
  std::string path = "/";
  for (int id : ids) {
    std::string digits = std::to_string(id);
    path += std::string(10 - digits.size(), '0') + digits + "/";
  }
  return path;
}

// 2022-01-01 00:00:00.123456 UTC: microseconds, so that a lost fraction shows.
inline absl::Time T0() { return absl::FromUnixMicros(1640995200123456); }

// A temporary directory holding one database file, removed after the test.
class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "rectify_sqlite_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    options_.path = dir_ + "/ledger.db";
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // (Re)opens store_ on options_; the old store, if any, is closed first.
  void OpenStore() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(store).value();
  }

  std::string dir_;
  SqliteOptions options_;
  std::unique_ptr<SqliteStore> store_;
};

// A fixture with a store opened on a fresh database, with helpers that seed the ledger. A failed
// helper records a test failure and returns what it has. Base has OpenStore() and store_.
template <typename Base>
class LedgerSeeding : public Base {
 protected:
  void SetUp() override {
    Base::SetUp();
    if (::testing::Test::HasFatalFailure()) return;
    this->OpenStore();
  }

  absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) {
    return this->store_->Write(fn);
  }

  // A unit under `parent` (nullptr: a root).
  OrgUnit AddUnit(const OrgUnit* parent, const std::string& name) {
    OrgUnit unit;
    unit.name = name;
    unit.parent_id = parent == nullptr ? 0 : parent->id;
    unit.path = parent == nullptr ? "/" : parent->path;
    unit.create_time = T0();
    EXPECT_OK(Write([&](WriteTxn& tx) { return tx.InsertUnit(unit); }));
    return unit;
  }

  Review AddReview(const OrgUnit& unit, const std::string& title = "2021年度专题组织生活会") {
    Review review;
    review.title = title;
    review.kind = ReviewKind::kOrgLifeMeeting;
    review.held_on = absl::CivilDay(2021, 12, 20);
    review.unit_id = unit.id;
    review.source_document = "检视剖析材料";
    review.create_time = T0();
    EXPECT_OK(Write([&](WriteTxn& tx) { return tx.InsertReview(review); }));
    return review;
  }

  Problem AddProblem(const Review& review, int seq, std::vector<Id> cause_ids = {}) {
    Problem problem;
    problem.review_id = review.id;
    problem.seq = seq;
    problem.area = "在联系服务群众方面";
    problem.text = "深入基层调研不够";
    problem.root_cause_ids = std::move(cause_ids);
    EXPECT_OK(Write([&](WriteTxn& tx) { return tx.InsertProblem(problem); }));
    return problem;
  }

  // A task of `problem` owned by `owner`, with every optional field left empty.
  Task NewTask(const Problem& problem, const OrgUnit& owner) {
    Task task;
    task.problem_id = problem.id;
    task.review_id = problem.review_id;
    task.area = problem.area;
    task.measure = "每季度到联系点调研一次";
    task.owner_unit_id = owner.id;
    task.owner_path = owner.path;
    task.owner_person = "张三";
    task.leader = "李四";
    task.create_time = T0();
    task.update_time = T0();
    return task;
  }

  Task AddTask(const Problem& problem, const OrgUnit& owner,
               absl::optional<absl::CivilDay> deadline, TaskStatus status = TaskStatus::kOpen) {
    Task task = NewTask(problem, owner);
    task.deadline = deadline;
    task.status = status;
    EXPECT_OK(Write([&](WriteTxn& tx) { return tx.InsertTask(task); }));
    return task;
  }
};

using SqliteLedgerTest = LedgerSeeding<SqliteTest>;

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_UNIT_STORE_TEST_SUPPORT_H_
