// The audit trail's own snapshot format (services/audit/snapshot.h) through a real server: a
// change records its target and only the fields that changed, old and new, in a compact
// versioned text; entries written in the older format (whole objects as v1 API JSON) still
// verify and reconcile next to the new ones.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rectify/v1/audit.grpc.pb.h"
#include "services/audit/audit_chain.h"
#include "services/audit/snapshot.h"
#include "services/common/status_macros.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

class AuditSnapshotTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    audit_ = v1::AuditService::NewStub(channel_);
  }

  std::vector<v1::AuditEntry> Listed() {
    v1::ListAuditEntriesRequest req;
    req.set_limit(1000);
    v1::ListAuditEntriesResponse resp;
    grpc::Status s = audit_->ListAuditEntries(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.entries().begin(), resp.entries().end()};
  }

  v1::AuditEntry Last() { return Listed().back(); }

  v1::VerifyAuditResponse Verify() {
    v1::VerifyAuditResponse resp;
    grpc::Status s = audit_->VerifyAudit(Ctx().get(), v1::VerifyAuditRequest(), &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::unique_ptr<v1::AuditService::Stub> audit_;
};

TEST_F(AuditSnapshotTest, ProgressReportRecordsOnlyTheChangedFieldsOldAndNew) {
  v1::Task task = SeedTask();
  v1::StartTaskRequest start;
  start.set_id(task.id());
  ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &task).ok());
  v1::ReportProgressResponse reported;
  ASSERT_TRUE(Report(task.id(), "r-1", "已到联系点调研一次，形成调研报告", &reported, 40).ok());

  const v1::AuditEntry e = Last();
  EXPECT_EQ(e.method(), "ReportProgress");
  EXPECT_EQ(e.target(), absl::StrCat("task/", task.id()));
  EXPECT_EQ(audit::SnapshotFormat(e.before()), 2) << e.before();
  EXPECT_EQ(audit::SnapshotFormat(e.after()), 2) << e.after();
  const std::string key = absl::StrCat("{\"v\":2,\"task/", task.id(), "\":{");
  EXPECT_EQ(e.before().rfind(key, 0), 0u) << e.before();
  EXPECT_EQ(e.after().rfind(key, 0), 0u) << e.after();
  // Old and new values of what changed.
  EXPECT_NE(e.before().find(R"("progress_percent":0)"), std::string::npos) << e.before();
  EXPECT_NE(e.after().find(R"("progress_percent":40)"), std::string::npos) << e.after();
  EXPECT_NE(e.after().find(R"("latest_progress":"已到联系点调研一次，形成调研报告")"),
            std::string::npos)
      << e.after();
  EXPECT_NE(e.before().find(R"("version":2)"), std::string::npos) << e.before();
  EXPECT_NE(e.after().find(R"("version":3)"), std::string::npos) << e.after();
  EXPECT_NE(e.after().find(R"("last_report_time":")"), std::string::npos) << e.after();
  EXPECT_NE(e.before().find(R"("last_report_time":null)"), std::string::npos) << e.before();
  // Nothing that stayed the same, and nothing of the API's own (the owner unit's name).
  for (const char* unchanged : {"measure", "owner_person", "deadline\"", "status\"", "第一支部"}) {
    EXPECT_EQ(e.before().find(unchanged), std::string::npos) << unchanged << " " << e.before();
    EXPECT_EQ(e.after().find(unchanged), std::string::npos) << unchanged << " " << e.after();
  }
  EXPECT_LT(e.before().size() + e.after().size(), 600u) << e.before() << e.after();
}

TEST_F(AuditSnapshotTest, StartTaskNamesTheStatusChange) {
  v1::Task task = SeedTask();
  v1::StartTaskRequest start;
  start.set_id(task.id());
  ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &task).ok());
  const v1::AuditEntry e = Last();
  EXPECT_NE(e.before().find(R"("status":"OPEN")"), std::string::npos) << e.before();
  EXPECT_NE(e.after().find(R"("status":"IN_PROGRESS")"), std::string::npos) << e.after();
}

TEST_F(AuditSnapshotTest, UrgingChangesNoFieldAndSaysSo) {
  v1::Task task = SeedTask();
  v1::UrgeTaskRequest urge;
  urge.set_id(task.id());
  urge.set_note("请加快进度");
  v1::Event event;
  ASSERT_TRUE(ledger_stub_->UrgeTask(Ctx().get(), urge, &event).ok());
  const v1::AuditEntry e = Last();
  EXPECT_EQ(e.method(), "UrgeTask");
  EXPECT_EQ(e.before(), R"({"v":2})");
  EXPECT_EQ(e.after(), R"({"v":2})");
  EXPECT_NE(e.request().find("请加快进度"), std::string::npos) << e.request();
}

TEST_F(AuditSnapshotTest, CreatedTaskIsRecordedWholeInTheAuditFormat) {
  v1::Task task = SeedTask();
  std::vector<v1::AuditEntry> entries = Listed();
  const v1::AuditEntry* created = nullptr;
  for (const v1::AuditEntry& e : entries) {
    if (e.method() == "CreateTask") created = &e;
  }
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->target(), absl::StrCat("task/", task.id()));
  EXPECT_EQ(created->before(), "");
  EXPECT_EQ(audit::SnapshotFormat(created->after()), 2) << created->after();
  EXPECT_NE(created->after().find(R"("measure":"每季度到联系点调研一次")"), std::string::npos)
      << created->after();
  EXPECT_NE(created->after().find(R"("deadline":"2021-12-31")"), std::string::npos)
      << created->after();
}

// An entry as the previous version wrote it: whole tasks as v1 API JSON, with its row states.
// It stays valid: the chain hashes the texts whatever their format, and reconciliation reads
// only the row states.
TEST_F(AuditSnapshotTest, EntriesOfTheOldFormatStillVerifyAndReconcile) {
  v1::Task task = SeedTask();
  const std::string old_before =
      absl::StrCat(R"({"id":")", task.id(),
                   R"(","measure":"每季度到联系点调研一次","owner_unit_name":"第一支部",)"
                   R"("status":"OPEN","progress_percent":0,"version":"1"})");
  const std::string old_after =
      absl::StrCat(R"({"id":")", task.id(),
                   R"(","measure":"每季度到联系点调研一次","owner_unit_name":"第一支部",)"
                   R"("status":"OPEN","progress_percent":10,"version":"2"})");
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& tx) -> absl::Status {
                    ASSIGN_OR_RETURN(Task t, tx.GetTask(task.id()));
                    t.progress_percent = 10;
                    ++t.version;
                    RETURN_IF_ERROR(tx.UpdateTask(t));
                    AuditEntry e;
                    e.time = clock_->Now();
                    e.actor = "张三";
                    e.method = "ReportProgress";
                    e.target = absl::StrCat("task/", task.id());
                    e.request = R"({"request":{"id":"1","percent":10}})";
                    e.before = old_before;
                    e.after = old_after;
                    return audit::Append(tx, std::move(e)).status();
                  })
                  .ok());
  // New-format entries after it.
  v1::StartTaskRequest start;
  start.set_id(task.id());
  ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &task).ok());
  v1::ReportProgressResponse reported;
  ASSERT_TRUE(Report(task.id(), "r-2", "再次调研", &reported, 50).ok());

  const std::vector<v1::AuditEntry> entries = Listed();
  int old_format = 0;
  int new_format = 0;
  for (const v1::AuditEntry& e : entries) {
    if (e.before() == old_before) {
      ++old_format;
      EXPECT_EQ(e.after(), old_after);  // listed as written
      EXPECT_EQ(audit::SnapshotFormat(e.before()), 1);
    }
    if (e.method() != "AuditBaseline" && audit::SnapshotFormat(e.after()) == 2) ++new_format;
  }
  EXPECT_EQ(old_format, 1);
  EXPECT_GE(new_format, 2);
  const v1::VerifyAuditResponse verdict = Verify();
  EXPECT_TRUE(verdict.intact()) << verdict.message();
  EXPECT_EQ(verdict.checked(), static_cast<int64_t>(entries.size()));
  EXPECT_TRUE(verdict.rows_match()) << verdict.DebugString();

  // And a changed old-format entry is still caught: the format does not weaken the chain.
  AuditEntry tampered;
  for (const v1::AuditEntry& e : entries) {
    if (e.before() == old_before) {
      tampered.seq = e.seq();
      tampered.time = absl::FromUnixMicros(e.time_micros());
      tampered.actor = e.actor();
      tampered.token_id = e.token_id();
      tampered.method = e.method();
      tampered.target = e.target();
      tampered.request = e.request();
      tampered.before = e.before();
      tampered.after = e.after();
      tampered.prev_hash = e.prev_hash();
      tampered.rows = e.rows();
      EXPECT_EQ(audit::ComputeHash(tampered), e.hash());
    }
  }
  tampered.after = absl::StrCat(old_after.substr(0, old_after.size() - 1), ",\"x\":1}");
  EXPECT_NE(audit::ComputeHash(tampered), entries[tampered.seq - 1].hash());
}

TEST(AuditSnapshotFormat, DescribeChangeKeepsEachSideToWhatDiffers) {
  Task before;
  before.id = 7;
  before.progress_percent = 10;
  before.latest_progress = "第一次";
  Task after = before;
  after.progress_percent = 20;
  after.latest_progress = "第二次 \"引号\"\n换行";
  audit::Snapshot a, b;
  a.Add(before);
  b.Add(after);
  const audit::ChangeText change = audit::DescribeChange(a, b);
  EXPECT_EQ(change.before,
            R"({"v":2,"task/7":{"latest_progress":"第一次","progress_percent":10}})");
  EXPECT_EQ(
      change.after,
      R"({"v":2,"task/7":{"latest_progress":"第二次 \"引号\"\u000a换行","progress_percent":20}})");
  // Created: everything on the after side; deleted: everything on the before side.
  const audit::ChangeText created = audit::DescribeChange(audit::Snapshot(), b);
  EXPECT_EQ(created.before, R"({"v":2})");
  EXPECT_NE(created.after.find(R"("id":7)"), std::string::npos);
  EXPECT_NE(created.after.find(R"("status":"OPEN")"), std::string::npos);
  const audit::ChangeText deleted = audit::DescribeChange(a, audit::Snapshot());
  EXPECT_EQ(deleted.after, R"({"v":2})");
  EXPECT_NE(deleted.before.find(R"("progress_percent":10)"), std::string::npos);
  // Unchanged: nothing on either side.
  const audit::ChangeText same = audit::DescribeChange(a, a);
  EXPECT_EQ(same.before, R"({"v":2})");
  EXPECT_EQ(same.after, R"({"v":2})");
  EXPECT_EQ(audit::SnapshotFormat(same.before), 2);
  EXPECT_EQ(audit::SnapshotFormat(R"({"id":"7","status":"OPEN"})"), 1);
  EXPECT_EQ(audit::SnapshotFormat(""), 1);
}

}  // namespace
}  // namespace rectify
