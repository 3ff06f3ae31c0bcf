// Both stores (the conformance suite): events get increasing seqs; flags are raised exactly once
// per (task, deadline version, kind) and cleared once; idempotency records are saved, found and
// purged.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/unit/store_conformance.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using testing_support::AllBackends;
using testing_support::BackendName;
using testing_support::StoreLedgerTest;
using testing_support::T0;

std::string Describe(const Event& e) {
  auto status = [](const absl::optional<TaskStatus>& s) {
    return s.has_value() ? absl::StrCat(static_cast<int>(*s)) : "-";
  };
  return absl::StrCat("seq=", e.seq, " kind=", static_cast<int>(e.kind), " task=", e.task_id,
                      " unit=", e.unit_id, " path=", e.unit_path, " actor=", e.actor,
                      " time=", absl::ToUnixMicros(e.time), " from=", status(e.from_status),
                      " to=", status(e.to_status), " detail=", e.detail);
}

class StoreEventsTest : public StoreLedgerTest {};

TEST_P(StoreEventsTest, EventsGetIncreasingSeqsAndRoundTrip) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Task task = AddTask(AddProblem(AddReview(root), 1), root, absl::nullopt);
  Event created{0,    EventKind::kCreated, task.id,           root.id, root.path, "admin",
                T0(), absl::nullopt,       TaskStatus::kOpen, ""};
  Event moved{0,
              EventKind::kTransition,
              task.id,
              root.id,
              root.path,
              "张三",
              T0() + absl::Seconds(1),
              TaskStatus::kOpen,
              TaskStatus::kInProgress,
              "开始整改"};
  Event unit_only{0,       EventKind::kUpdated, 0,
                  root.id, root.path,           "admin",
                  T0(),    absl::nullopt,       absl::nullopt,
                  "改名"};
  ASSERT_OK(Write([&](WriteTxn& tx) -> absl::Status {
    for (Event* e : {&created, &moved, &unit_only}) {
      absl::Status s = tx.AppendEvent(*e);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }));
  EXPECT_LT(created.seq, moved.seq);
  EXPECT_LT(moved.seq, unit_only.seq);

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    std::vector<Event> of_task = tx.ListTaskEvents(task.id).value();
    EXPECT_EQ(of_task.size(), 2u);
    EXPECT_EQ(Describe(of_task[0]), Describe(created));
    EXPECT_EQ(Describe(of_task[1]), Describe(moved));
    std::vector<Event> all = tx.ListEventsAfter(0, "", 10).value();
    EXPECT_EQ(all.size(), 3u);
    EXPECT_EQ(Describe(all[2]), Describe(unit_only));
    return absl::OkStatus();
  }));
}

TEST_P(StoreEventsTest, FlagIsRaisedOncePerDeadlineVersionAndKind) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Task task = AddTask(AddProblem(AddReview(root), 1), root, absl::CivilDay(2022, 1, 10));
  Flag overdue{task.id, 1, FlagKind::kOverdue, T0(), absl::nullopt};
  auto insert = [&](const Flag& flag) {
    bool inserted = false;
    EXPECT_OK(Write([&](WriteTxn& tx) -> absl::Status {
      absl::StatusOr<bool> r = tx.InsertFlag(flag);
      if (!r.ok()) return r.status();
      inserted = *r;
      return absl::OkStatus();
    }));
    return inserted;
  };
  EXPECT_TRUE(insert(overdue));
  Flag retry = overdue;
  retry.raised_time = T0() + absl::Hours(1);
  EXPECT_FALSE(insert(retry));  // same (task, version, kind): nothing changes
  EXPECT_TRUE(insert({task.id, 1, FlagKind::kEscalated, T0(), absl::nullopt}));
  EXPECT_TRUE(insert({task.id, 2, FlagKind::kOverdue, T0(), absl::nullopt}));

  auto clear = [&](int64_t version, FlagKind kind, absl::Time when) {
    bool cleared = false;
    EXPECT_OK(Write([&](WriteTxn& tx) -> absl::Status {
      absl::StatusOr<bool> r = tx.ClearFlag(task.id, version, kind, when);
      if (!r.ok()) return r.status();
      cleared = *r;
      return absl::OkStatus();
    }));
    return cleared;
  };
  EXPECT_TRUE(clear(1, FlagKind::kOverdue, T0() + absl::Hours(2)));
  EXPECT_FALSE(clear(1, FlagKind::kOverdue, T0() + absl::Hours(3)));  // already cleared
  EXPECT_FALSE(clear(1, FlagKind::kDueSoon, T0()));                   // never raised
  EXPECT_FALSE(insert(overdue));  // clearing does not allow a second raise

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    std::vector<Flag> flags = tx.ListFlags(task.id).value();
    EXPECT_EQ(flags.size(), 3u);
    EXPECT_EQ(flags[0].kind, FlagKind::kOverdue);
    EXPECT_EQ(flags[0].raised_time, T0());  // the first raise, not the retry
    EXPECT_EQ(flags[0].cleared_time, T0() + absl::Hours(2));
    EXPECT_FALSE(flags[1].cleared_time.has_value());
    EXPECT_EQ(flags[2].deadline_version, 2);
    return absl::OkStatus();
  }));
}

TEST_P(StoreEventsTest, RequestsAreSavedFoundAndPurged) {
  StoredRequest old_one{"req-1", "fp-1", std::string("\x0a\x00\x02", 3), T0()};
  StoredRequest new_one{"req-2", "fp-2", "response", T0() + absl::Hours(48)};
  ASSERT_OK(Write([&](WriteTxn& tx) -> absl::Status {
    absl::Status s = tx.SaveRequest(old_one);
    if (!s.ok()) return s;
    return tx.SaveRequest(new_one);
  }));
  absl::Status again = Write([&](WriteTxn& tx) { return tx.SaveRequest(old_one); });
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists) << again;

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    absl::optional<StoredRequest> found = tx.FindRequest("req-1").value();
    EXPECT_TRUE(found.has_value());
    EXPECT_EQ(found->fingerprint, "fp-1");
    EXPECT_EQ(found->response, old_one.response);
    EXPECT_EQ(found->time, T0());
    EXPECT_FALSE(tx.FindRequest("req-3").value().has_value());
    return absl::OkStatus();
  }));

  int64_t purged = -1;
  ASSERT_OK(Write([&](WriteTxn& tx) -> absl::Status {
    absl::StatusOr<int64_t> n = tx.PurgeRequests(T0() + absl::Hours(24));
    purged = n.value_or(-1);
    return n.status();
  }));
  EXPECT_EQ(purged, 1);
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_FALSE(tx.FindRequest("req-1").value().has_value());
    EXPECT_TRUE(tx.FindRequest("req-2").value().has_value());
    return absl::OkStatus();
  }));
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreEventsTest, AllBackends(), BackendName);

}  // namespace
}  // namespace rectify
