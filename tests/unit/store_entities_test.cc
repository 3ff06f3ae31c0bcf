// Both stores (the conformance suite): the ledger's entities round-trip; uniqueness, missing
// rows, broken references, rollback, reopening; and the SQLite store's own options.
// (Events, flags and idempotency records: store_events_test.cc.)
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/common/civil.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/unit/store_conformance.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using testing_support::AllBackends;
using testing_support::BackendName;
using testing_support::SqliteLedgerTest;
using testing_support::StoreLedgerTest;
using testing_support::T0;

std::string Show(const absl::optional<absl::Time>& t) {
  return t.has_value() ? absl::StrCat(absl::ToUnixMicros(*t)) : "-";
}
std::string Show(const absl::optional<absl::CivilDay>& d) {
  return d.has_value() ? FormatDay(*d) : "-";
}

// Every field, so that EXPECT_EQ on two descriptions shows the one that differs.
std::string Describe(const Task& t) {
  return absl::StrCat(
      "id=", t.id, " problem=", t.problem_id, " review=", t.review_id, " area=", t.area,
      " measure=", t.measure, " owner=", t.owner_unit_id, " path=", t.owner_path,
      " person=", t.owner_person, " leader=", t.leader, " deadline=", Show(t.deadline),
      " cadence=", t.cadence_days, " status=", static_cast<int>(t.status),
      " percent=", t.progress_percent, " version=", t.version, " dv=", t.deadline_version,
      " light=", static_cast<int>(t.light), " esc=", t.escalation_level, " note=", t.status_note,
      " latest=", t.latest_progress, " create=", absl::ToUnixMicros(t.create_time),
      " update=", absl::ToUnixMicros(t.update_time), " close=", Show(t.close_time),
      " close_day=", Show(t.close_day), " last_report=", Show(t.last_report_time),
      " ongoing=", Show(t.ongoing_since), " checkpoint=", Show(t.checkpoint_due),
      " next_check=", Show(t.next_check_time));
}

std::string Describe(const ExtensionRequest& e) {
  return absl::StrCat("id=", e.id, " task=", e.task_id, " old=", Show(e.old_deadline),
                      " requested=", FormatDay(e.requested_deadline), " reason=", e.reason,
                      " by=", e.requested_by, " at=", absl::ToUnixMicros(e.request_time),
                      " state=", static_cast<int>(e.state), " decided_by=", e.decided_by,
                      " decided=", Show(e.decide_time), " note=", e.decision_note);
}

class StoreEntitiesTest : public StoreLedgerTest {};
// What only the SQLite store has: its options.
class SqliteStoreEntitiesTest : public SqliteLedgerTest {};

TEST_P(StoreEntitiesTest, UnitRoundTripsWithAssignedIdAndPath) {
  OrgUnit root = AddUnit(nullptr, "机关党委");
  OrgUnit branch = AddUnit(&root, "第一支部");
  EXPECT_EQ(root.path, testing_support::P({static_cast<int>(root.id)}));
  EXPECT_EQ(branch.path,
            testing_support::P({static_cast<int>(root.id), static_cast<int>(branch.id)}));
  EXPECT_EQ(branch.depth, 1);

  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    absl::StatusOr<OrgUnit> got = tx.GetUnit(branch.id);
    EXPECT_TRUE(got.ok()) << got.status();
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->name, "第一支部");
    EXPECT_EQ(got->parent_id, root.id);
    EXPECT_EQ(got->path, branch.path);
    EXPECT_EQ(got->depth, 1);
    EXPECT_EQ(got->version, 1);
    EXPECT_EQ(got->create_time, T0());
    absl::StatusOr<OrgUnit> got_root = tx.GetUnit(root.id);
    EXPECT_TRUE(got_root.ok());
    EXPECT_EQ(got_root->parent_id, 0);
    EXPECT_EQ(got_root->depth, 0);
    EXPECT_EQ(tx.CountRoots().value_or(-1), 1);
    absl::StatusOr<absl::optional<OrgUnit>> found = tx.FindUnitByName(root.id, "第一支部");
    EXPECT_TRUE(found.ok() && found->has_value() && (*found)->id == branch.id);
    found = tx.FindUnitByName(0, "机关党委");
    EXPECT_TRUE(found.ok() && found->has_value() && (*found)->id == root.id);
    found = tx.FindUnitByName(0, "第一支部");  // a child, not a root
    EXPECT_TRUE(found.ok() && !found->has_value());
    return absl::OkStatus();
  }));

  branch.name = "第一党支部";
  branch.version = 2;
  ASSERT_OK(Write([&](WriteTxn& tx) { return tx.UpdateUnit(branch); }));
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    absl::StatusOr<OrgUnit> got = tx.GetUnit(branch.id);
    EXPECT_EQ(got->name, "第一党支部");
    EXPECT_EQ(got->version, 2);
    return got.status();
  }));
}

TEST_P(StoreEntitiesTest, SiblingNamesAreUniqueButCousinsMayShareOne) {
  OrgUnit root = AddUnit(nullptr, "党委");
  OrgUnit a = AddUnit(&root, "甲总支");
  OrgUnit b = AddUnit(&root, "乙总支");
  AddUnit(&a, "第一支部");
  AddUnit(&b, "第一支部");  // another parent: fine

  OrgUnit clash;
  clash.name = "第一支部";
  clash.parent_id = a.id;
  clash.path = a.path;
  absl::Status status = Write([&](WriteTxn& tx) { return tx.InsertUnit(clash); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_NE(status.message().find("第一支部"), absl::string_view::npos) << status;

  b.name = "甲总支";
  status = Write([&](WriteTxn& tx) { return tx.UpdateUnit(b); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
}

TEST_P(StoreEntitiesTest, RootNamesAreUniqueToo) {
  AddUnit(nullptr, "党委");
  OrgUnit again;
  again.name = "党委";
  again.path = "/";
  absl::Status status = Write([&](WriteTxn& tx) { return tx.InsertUnit(again); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
}

TEST_P(StoreEntitiesTest, InsertUnitRejectsAParentPathThatDoesNotMatch) {
  OrgUnit root = AddUnit(nullptr, "党委");
  OrgUnit child;
  child.name = "支部";
  child.parent_id = root.id;
  child.path = "/999/";
  absl::Status status = Write([&](WriteTxn& tx) { return tx.InsertUnit(child); });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  child.parent_id = 999;
  status = Write([&](WriteTxn& tx) { return tx.InsertUnit(child); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
}

TEST_P(StoreEntitiesTest, ReviewRootCausesAndProblemsRoundTrip) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Review review = AddReview(root);
  RootCause c1{0, review.id, "理论学习不够深入"};
  RootCause c2{0, review.id, "宗旨意识有所淡化"};
  ASSERT_OK(Write([&](WriteTxn& tx) -> absl::Status {
    absl::Status s = tx.InsertRootCause(c1);
    if (!s.ok()) return s;
    return tx.InsertRootCause(c2);
  }));
  // Cause order is kept as given, not sorted by id.
  Problem p1 = AddProblem(review, 1, {c2.id, c1.id});
  Problem p2 = AddProblem(review, 2);

  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    absl::StatusOr<Review> got = tx.GetReview(review.id);
    EXPECT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->title, review.title);
    EXPECT_EQ(got->kind, ReviewKind::kOrgLifeMeeting);
    EXPECT_EQ(got->held_on, absl::CivilDay(2021, 12, 20));
    EXPECT_EQ(got->unit_id, root.id);
    EXPECT_EQ(got->source_document, "检视剖析材料");
    EXPECT_EQ(got->create_time, T0());

    absl::StatusOr<RootCause> cause = tx.GetRootCause(c2.id);
    EXPECT_EQ(cause->text, "宗旨意识有所淡化");
    EXPECT_EQ(cause->review_id, review.id);
    absl::StatusOr<std::vector<RootCause>> causes = tx.ListRootCauses(review.id);
    EXPECT_EQ(causes->size(), 2u);

    absl::StatusOr<Problem> problem = tx.GetProblem(p1.id);
    EXPECT_EQ(problem->area, "在联系服务群众方面");
    EXPECT_EQ(problem->seq, 1);
    EXPECT_EQ(problem->root_cause_ids, (std::vector<Id>{c2.id, c1.id}));
    absl::StatusOr<std::vector<Problem>> after_first = tx.ListProblems(review.id, 1, 10);
    EXPECT_EQ(after_first->size(), 1u);
    EXPECT_EQ(after_first->at(0).id, p2.id);
    EXPECT_EQ(tx.ListProblems(review.id, 0, 10)->at(0).root_cause_ids.size(), 2u);
    EXPECT_EQ(tx.MaxProblemSeq(review.id).value_or(-1), 2);
    EXPECT_EQ(tx.MaxProblemSeq(review.id + 100).value_or(-1), 0);
    return absl::OkStatus();
  }));
}

TEST_P(StoreEntitiesTest, ProblemSeqIsUniqueWithinAReview) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Review review = AddReview(root);
  AddProblem(review, 1);
  Problem again;
  again.review_id = review.id;
  again.seq = 1;
  absl::Status status = Write([&](WriteTxn& tx) { return tx.InsertProblem(again); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
}

TEST_P(StoreEntitiesTest, TaskRoundTripsEveryFieldSetOrEmpty) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Problem problem = AddProblem(AddReview(root), 1);

  Task bare = NewTask(problem, root);
  Task full = NewTask(problem, root);
  full.deadline = absl::CivilDay(2022, 6, 30);
  full.cadence_days = 30;
  full.status = TaskStatus::kOngoing;
  full.progress_percent = 40;
  full.version = 7;
  full.deadline_version = 3;
  full.light = WarningLight::kRed;
  full.escalation_level = 2;
  full.status_note = "转为长期坚持";
  full.latest_progress = "已完成第一轮调研";
  full.update_time = T0() + absl::Hours(5);
  full.close_time = T0() + absl::Hours(6);
  full.close_day = absl::CivilDay(2022, 1, 1);
  full.last_report_time = T0() + absl::Hours(7);
  full.ongoing_since = T0() + absl::Hours(8);
  full.checkpoint_due = absl::CivilDay(2022, 2, 1);
  full.next_check_time = T0() + absl::Hours(9);
  ASSERT_OK(Write([&](WriteTxn& tx) -> absl::Status {
    absl::Status s = tx.InsertTask(bare);
    if (!s.ok()) return s;
    return tx.InsertTask(full);
  }));
  EXPECT_NE(bare.id, full.id);

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(Describe(tx.GetTask(bare.id).value()), Describe(bare));
    EXPECT_EQ(Describe(tx.GetTask(full.id).value()), Describe(full));
    return absl::OkStatus();
  }));

  // Update writes every mutable field, including clearing optionals.
  Task changed = full;
  changed.deadline.reset();
  changed.status = TaskStatus::kSubmitted;
  changed.close_time.reset();
  changed.close_day.reset();
  changed.checkpoint_due.reset();
  changed.next_check_time.reset();
  changed.version = 8;
  changed.measure = "改为每月调研";
  ASSERT_OK(Write([&](WriteTxn& tx) { return tx.UpdateTask(changed); }));
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(Describe(tx.GetTask(full.id).value()), Describe(changed));
    return absl::OkStatus();
  }));
}

TEST_P(StoreEntitiesTest, MissingRowsAreNotFoundNamingTheEntity) {
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(tx.GetTask(12).status().message(), "任务 12 不存在 / task 12 not found");
    EXPECT_EQ(tx.GetUnit(3).status().message(), "单位 3 不存在 / unit 3 not found");
    EXPECT_EQ(tx.GetReview(4).status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(tx.GetRootCause(5).status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(tx.GetProblem(6).status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(tx.GetEvidence(7).status().message(), "证明材料 7 不存在 / evidence 7 not found");
    EXPECT_EQ(tx.GetExtension(8).status().message(),
              "延期申请 8 不存在 / extension request 8 not found");
    return absl::OkStatus();
  }));
  Task ghost;
  ghost.id = 42;
  absl::Status status = Write([&](WriteTxn& tx) { return tx.UpdateTask(ghost); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  ExtensionRequest no_request;
  no_request.id = 9;
  status = Write([&](WriteTxn& tx) { return tx.UpdateExtension(no_request); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
}

TEST_P(StoreEntitiesTest, ReferenceToAMissingRowIsFailedPrecondition) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Problem problem = AddProblem(AddReview(root), 1);
  Task orphan = NewTask(problem, root);
  orphan.problem_id = 999;
  absl::Status status = Write([&](WriteTxn& tx) { return tx.InsertTask(orphan); });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_TRUE(tx.ListTasks(TaskQuery()).value().empty());
    return absl::OkStatus();
  }));
}

TEST_P(StoreEntitiesTest, ProgressKeepsEvidenceBytesAndListsMetadataOnly) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Task task = AddTask(AddProblem(AddReview(root), 1), root, absl::CivilDay(2022, 3, 31));
  constexpr char kPdf[] = "%PDF\0\x01\xff binary";
  const std::string bytes(kPdf, sizeof(kPdf) - 1);  // with the embedded NUL
  ProgressReport report;
  report.task_id = task.id;
  report.reporter = "张三";
  report.report_time = T0() + absl::Minutes(1);
  report.text = "已召开专题会议";
  report.percent = 50;
  report.evidence.push_back(
      {0, "会议纪要.pdf", "application/pdf", static_cast<int64_t>(bytes.size()), "ab12", bytes});
  report.evidence.push_back({0, "照片.jpg", "image/jpeg", 0, "cd34", ""});
  ASSERT_OK(Write([&](WriteTxn& tx) { return tx.InsertProgress(report); }));
  EXPECT_GT(report.id, 0);
  EXPECT_GT(report.evidence[0].id, 0);
  EXPECT_NE(report.evidence[0].id, report.evidence[1].id);

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    std::vector<ProgressReport> reports = tx.ListProgress(task.id).value();
    EXPECT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].reporter, "张三");
    EXPECT_EQ(reports[0].report_time, T0() + absl::Minutes(1));
    EXPECT_EQ(reports[0].text, "已召开专题会议");
    EXPECT_EQ(reports[0].percent, 50);
    EXPECT_EQ(reports[0].evidence.size(), 2u);
    EXPECT_EQ(reports[0].evidence[0].file_name, "会议纪要.pdf");
    EXPECT_EQ(reports[0].evidence[0].size_bytes, static_cast<int64_t>(bytes.size()));
    EXPECT_EQ(reports[0].evidence[0].sha256_hex, "ab12");
    EXPECT_TRUE(reports[0].evidence[0].content.empty());  // metadata only

    Evidence file = tx.GetEvidence(report.evidence[0].id).value();
    EXPECT_EQ(file.content, bytes);
    EXPECT_EQ(file.media_type, "application/pdf");
    EXPECT_EQ(tx.GetEvidence(report.evidence[1].id).value().content, "");
    return absl::OkStatus();
  }));
}

TEST_P(StoreEntitiesTest, ExtensionRequestsRoundTripAndOnlyOneMayBePending) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Task task = AddTask(AddProblem(AddReview(root), 1), root, absl::CivilDay(2022, 3, 31));
  ExtensionRequest request;
  request.task_id = task.id;
  request.old_deadline = absl::CivilDay(2022, 3, 31);
  request.requested_deadline = absl::CivilDay(2022, 6, 30);
  request.reason = "涉及跨部门协调";
  request.requested_by = "张三";
  request.request_time = T0();
  ASSERT_OK(Write([&](WriteTxn& tx) { return tx.InsertExtension(request); }));

  ExtensionRequest second = request;
  absl::Status status = Write([&](WriteTxn& tx) { return tx.InsertExtension(second); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(Describe(tx.GetExtension(request.id).value()), Describe(request));
    absl::optional<ExtensionRequest> pending = tx.FindPendingExtension(task.id).value();
    EXPECT_TRUE(pending.has_value());
    return absl::OkStatus();
  }));

  request.state = ExtensionState::kApproved;
  request.decided_by = "王五";
  request.decide_time = T0() + absl::Hours(1);
  request.decision_note = "同意";
  ASSERT_OK(Write([&](WriteTxn& tx) { return tx.UpdateExtension(request); }));
  // Decided: a new request may be made.
  ASSERT_OK(Write([&](WriteTxn& tx) { return tx.InsertExtension(second); }));

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    std::vector<ExtensionRequest> all = tx.ListExtensions(task.id).value();
    EXPECT_EQ(all.size(), 2u);
    EXPECT_EQ(Describe(all[0]), Describe(request));
    EXPECT_EQ(tx.FindPendingExtension(task.id).value()->id, second.id);
    return absl::OkStatus();
  }));
}

TEST_P(StoreEntitiesTest, FailedWriteLeavesNothingBehind) {
  absl::Status status = Write([&](WriteTxn& tx) -> absl::Status {
    OrgUnit unit;
    unit.name = "党委";
    unit.path = "/";
    absl::Status s = tx.InsertUnit(unit);
    if (!s.ok()) return s;
    Event event{
        0, EventKind::kCreated, 0, unit.id, unit.path, "admin", T0(), absl::nullopt, absl::nullopt,
        ""};
    s = tx.AppendEvent(event);
    if (!s.ok()) return s;
    return absl::AbortedError("版本冲突 / version conflict");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(tx.CountRoots().value_or(-1), 0);
    EXPECT_TRUE(tx.ListEventsAfter(0, "", 10).value().empty());
    return absl::OkStatus();
  }));
  // The store is still usable, and the name is free.
  AddUnit(nullptr, "党委");
}

TEST_P(StoreEntitiesTest, ReopenedDatabaseKeepsEverything) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Task task = AddTask(AddProblem(AddReview(root), 1), root, absl::CivilDay(2022, 3, 31));
  StoredRequest request{"req-1", "fp", "resp", T0()};
  ASSERT_OK(Write([&](WriteTxn& tx) { return tx.SaveRequest(request); }));

  OpenStore();  // closes and opens the same file

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(tx.GetUnit(root.id).value().path, root.path);
    EXPECT_EQ(Describe(tx.GetTask(task.id).value()), Describe(task));
    EXPECT_TRUE(tx.FindRequest("req-1").value().has_value());
    return absl::OkStatus();
  }));
  // Ids keep counting from where they were.
  OrgUnit next = AddUnit(&root, "支部");
  EXPECT_GT(next.id, root.id);
}

TEST_F(SqliteStoreEntitiesTest, NormalSynchronousModeWorksToo) {
  options_.synchronous = SqliteOptions::Synchronous::kNormal;
  OpenStore();
  OrgUnit root = AddUnit(nullptr, "党委");
  ASSERT_OK(store_->Read([&](ReadTxn& tx) { return tx.GetUnit(root.id).status(); }));
}

TEST_F(SqliteStoreEntitiesTest, BadOptionsAreRejectedNamingTheField) {
  SqliteOptions options;
  EXPECT_EQ(SqliteStore::Open(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.path = dir_ + "/x.db";
  options.read_connections = 0;
  absl::Status status = SqliteStore::Open(options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("read_connections"), absl::string_view::npos) << status;
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreEntitiesTest, AllBackends(), BackendName);

}  // namespace
}  // namespace rectify
