// A Ledger over a real store and a FakeClock, for tests of the domain, the scheduler and the
// services. Time starts at 2021-12-01 09:00 Asia/Shanghai unless a test moves it. The store is a
// SQLite file, or a scratch PostgreSQL database when RECTIFY_TEST_STORE=postgres (CTest runs the
// domain and service tests both ways: tests/CMakeLists.txt, rectify_test_on_postgres).
#ifndef RECTIFY_TESTS_SUPPORT_LEDGER_FIXTURE_H_
#define RECTIFY_TESTS_SUPPORT_LEDGER_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "services/audit/audit_chain.h"
#include "services/common/clock.h"
#include "services/domain/ledger.h"
#include "tests/unit/store_conformance.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace testing_support {

class LedgerTest : public ConfiguredStoreTest {
 protected:
  void SetUp() override {
    ConfiguredStoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &tz_));
    settings_.time_zone = tz_;
    clock_ = std::make_unique<FakeClock>(Local(2021, 12, 1, 9));
    Reopen();
    // The audit chain starts on the empty ledger, as at rectifyd's first start: the server
    // refuses to start one on a ledger with data, and the scheduler appends to it.
    if (start_audit_chain_) {
      ASSERT_TRUE(audit::EnsureChain(*store_, clock_->Now()).ok());
    }
  }

  // (Re)opens the store and a ledger on it, as a restarted server would.
  void Reopen() {
    ledger_.reset();
    OpenStore();
    ledger_ = std::make_unique<Ledger>(store_.get(), clock_.get(), settings_);
  }

  absl::Time Local(int y, int m, int d, int h = 0, int min = 0) const {
    return absl::FromCivil(absl::CivilMinute(y, m, d, h, min), tz_);
  }

  // Runs a ledger mutation in its own transaction, as the API layer does.
  template <typename T, typename F>
  absl::StatusOr<T> Do(F&& f) {
    absl::StatusOr<T> result = absl::UnknownError("not run");
    absl::Status s = store_->Write([&](WriteTxn& tx) -> absl::Status {
      result = f(tx);
      return result.status();
    });
    if (!s.ok()) return s;
    return result;
  }

  // Seeds: a committee with two branches, a review, one problem. Fails the test on error.
  void SeedLedger() {
    committee_ = MustUnit(0, "机关党委");
    branch_a_ = MustUnit(committee_.id, "第一支部");
    branch_b_ = MustUnit(committee_.id, "第二支部");
    auto review = Do<Review>([&](WriteTxn& tx) {
      return ledger_->CreateReview(tx, actor_, "2021年党史学习教育专题组织生活会", 1, "2021-11-30",
                                   committee_.id, "");
    });
    ASSERT_TRUE(review.ok()) << review.status();
    review_ = *review;
    auto problem = Do<Problem>([&](WriteTxn& tx) {
      return ledger_->CreateProblem(tx, actor_, review_.id, "在联系服务群众方面",
                                    "调研指导还不够深入", {});
    });
    ASSERT_TRUE(problem.ok()) << problem.status();
    problem_ = *problem;
  }

  // A root that exists already (ServerTest makes one for its admin token) is reused.
  OrgUnit MustUnit(Id parent, const std::string& name) {
    if (parent == 0) {
      absl::optional<OrgUnit> root;
      EXPECT_TRUE(store_
                      ->Read([&](ReadTxn& tx) -> absl::Status {
                        auto found = tx.FindUnitByName(0, name);
                        if (!found.ok()) return found.status();
                        root = *found;
                        return absl::OkStatus();
                      })
                      .ok());
      if (root.has_value()) return *root;
    }
    auto unit =
        Do<OrgUnit>([&](WriteTxn& tx) { return ledger_->CreateUnit(tx, actor_, parent, name); });
    EXPECT_TRUE(unit.ok()) << unit.status();
    return unit.ok() ? *unit : OrgUnit{};
  }

  absl::StatusOr<Task> CreateTask(const std::string& deadline, Id owner = 0, int cadence_days = 0) {
    NewTask in;
    in.problem_id = problem_.id;
    in.measure = "每季度到联系点调研一次";
    in.owner_unit_id = owner == 0 ? branch_a_.id : owner;
    in.owner_person = "张三";
    in.leader = "李书记";
    in.deadline = deadline;
    in.cadence_days = cadence_days;
    return Do<Task>([&](WriteTxn& tx) { return ledger_->CreateTask(tx, actor_, in); });
  }

  // Number of events in the whole ledger: a refused call must not change it.
  int64_t EventCount() {
    int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto events = tx.ListEventsAfter(0, "", 100000);
                      if (!events.ok()) return events.status();
                      n = static_cast<int64_t>(events->size());
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  absl::TimeZone tz_;
  LedgerSettings settings_;
  std::unique_ptr<FakeClock> clock_;
  std::unique_ptr<Ledger> ledger_;
  // False: the chain starts later (ServerTest: at server start, after the root unit is made,
  // so that the baseline records it).
  bool start_audit_chain_ = true;
  Actor actor_{"王书记"};
  OrgUnit committee_, branch_a_, branch_b_;
  Review review_;
  Problem problem_;
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_LEDGER_FIXTURE_H_
