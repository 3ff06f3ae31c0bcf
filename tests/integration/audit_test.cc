// The audit trail through a real server: every mutating RPC appends exactly one entry with its
// actor, request and the object before and after; the database refuses UPDATE and DELETE on the
// log; and tampering with the SQLite file directly, as an attacker with file access would
// (dropping the triggers first, or patching bytes), is caught by AuditService.VerifyAudit, which
// names the entry.
#include <sqlite3.h>
#include <stdlib.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "client/commands/root.h"
#include "client/rpc/exit_codes.h"
#include "gtest/gtest.h"
#include "rectify/v1/audit.grpc.pb.h"
#include "services/audit/audit_chain.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"
#include "services/scheduler/scheduler.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

class AuditTest : public ServerTest {
 protected:
  std::vector<AuditEntry> Entries() {
    std::vector<AuditEntry> entries;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      ASSIGN_OR_RETURN(entries, tx.ListAuditEntries(0, 100000));
                      return absl::OkStatus();
                    })
                    .ok());
    return entries;
  }

  int64_t Count() { return static_cast<int64_t>(Entries().size()); }

  v1::GetAuditHeadResponse Head() {
    v1::GetAuditHeadResponse resp;
    grpc::Status s = audit_->GetAuditHead(Ctx().get(), v1::GetAuditHeadRequest(), &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  // A ledger with some history: a seeded task, started, reported on, a unit renamed.
  void MakeHistory() {
    task_ = SeedTask();
    v1::StartTaskRequest start;
    start.set_id(task_.id());
    ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &task_).ok());
    v1::ReportProgressResponse progress;
    ASSERT_TRUE(Report(task_.id(), "r-1", "已调研一次", &progress, 30).ok());
    v1::RenameUnitRequest rename;
    rename.set_id(branch_.id());
    rename.set_name("第一党支部");
    v1::OrgUnit unit;
    ASSERT_TRUE(org_->RenameUnit(Ctx().get(), rename, &unit).ok());
    for (int i = 0; i < 3; ++i) {
      v1::UrgeTaskRequest urge;
      urge.set_id(task_.id());
      urge.set_note(absl::StrCat("请加快进度 ", i));
      v1::Event event;
      ASSERT_TRUE(ledger_stub_->UrgeTask(Ctx().get(), urge, &event).ok());
    }
  }

  int64_t SeqOf(const std::string& method) {
    for (const AuditEntry& e : Entries()) {
      if (e.method == method) return e.seq;
    }
    ADD_FAILURE() << "no entry for " << method;
    return 0;
  }

  // Raw SQL on the database file, as someone with file access: first drops the triggers.
  void RawSql(const std::string& sql, bool drop_triggers = true) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(options_.path.c_str(), &db), SQLITE_OK);
    const std::string all = (drop_triggers ? std::string("DROP TRIGGER audit_log_no_update; "
                                                         "DROP TRIGGER audit_log_no_delete; ")
                                           : std::string()) +
                            sql;
    char* error = nullptr;
    const int rc = sqlite3_exec(db, all.c_str(), nullptr, nullptr, &error);
    last_sql_error_ = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    last_sql_rc_ = rc;
  }

  v1::Task task_;
  int last_sql_rc_ = SQLITE_OK;
  std::string last_sql_error_;
};

TEST_F(AuditTest, EveryMutatingRpcAppendsExactlyOneEntryWithBeforeAndAfter) {
  int64_t count = Count();
  auto expect_one = [&](const std::string& method, const std::string& actor = "张三") {
    const std::vector<AuditEntry> entries = Entries();
    ASSERT_EQ(static_cast<int64_t>(entries.size()), count + 1) << method;
    count = entries.size();
    const AuditEntry& e = entries.back();
    EXPECT_EQ(e.method, method);
    EXPECT_EQ(e.actor, actor);
    EXPECT_NE(e.token_id, 0) << method;
    EXPECT_FALSE(e.after.empty()) << method;
    EXPECT_EQ(e.hash, audit::ComputeHash(e));
  };
  v1::CreateUnitRequest unit_req;
  unit_req.set_parent_id(root_.id);
  unit_req.set_name("机关二处党总支");
  v1::OrgUnit committee;
  ASSERT_TRUE(org_->CreateUnit(Ctx().get(), unit_req, &committee).ok());
  expect_one("CreateUnit");
  EXPECT_EQ(Entries().back().before, "");
  EXPECT_EQ(Entries().back().target, absl::StrCat("orgunit/", committee.id()));
  unit_req.set_parent_id(committee.id());
  unit_req.set_name("第一支部");
  ASSERT_TRUE(org_->CreateUnit(Ctx().get(), unit_req, &branch_).ok());
  expect_one("CreateUnit");
  v1::RenameUnitRequest rename;
  rename.set_id(branch_.id());
  rename.set_name("第一党支部");
  v1::OrgUnit renamed;
  ASSERT_TRUE(org_->RenameUnit(Ctx().get(), rename, &renamed).ok());
  expect_one("RenameUnit");
  EXPECT_NE(Entries().back().before.find("第一支部"), std::string::npos);
  EXPECT_NE(Entries().back().after.find("第一党支部"), std::string::npos);

  v1::CreateReviewRequest review_req;
  review_req.set_title("2021年党史学习教育专题组织生活会");
  review_req.set_kind(v1::ORGANIZATIONAL_LIFE_MEETING);
  review_req.set_held_on("2021-11-30");
  review_req.set_unit_id(committee.id());
  v1::Review review;
  ASSERT_TRUE(ledger_stub_->CreateReview(Ctx().get(), review_req, &review).ok());
  expect_one("CreateReview");
  v1::CreateRootCauseRequest cause_req;
  cause_req.set_review_id(review.id());
  cause_req.set_text("理想信念有所弱化");
  v1::RootCause cause;
  ASSERT_TRUE(ledger_stub_->CreateRootCause(Ctx().get(), cause_req, &cause).ok());
  expect_one("CreateRootCause");
  v1::CreateProblemRequest problem_req;
  problem_req.set_review_id(review.id());
  problem_req.set_area("在联系服务群众方面");
  problem_req.set_text("调研指导还不够深入");
  ASSERT_TRUE(ledger_stub_->CreateProblem(Ctx().get(), problem_req, &problem_).ok());
  expect_one("CreateProblem");
  v1::Task task = NewTask();
  expect_one("CreateTask");
  EXPECT_EQ(Entries().back().target, absl::StrCat("task/", task.id()));

  v1::StartTaskRequest start;
  start.set_id(task.id());
  ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &task).ok());
  expect_one("StartTask");
  {
    const AuditEntry e = Entries().back();
    EXPECT_EQ(e.target, absl::StrCat("task/", task.id()));
    EXPECT_NE(e.before.find(R"("status":"OPEN")"), std::string::npos) << e.before;
    EXPECT_NE(e.after.find(R"("status":"IN_PROGRESS")"), std::string::npos) << e.after;
  }

  // Evidence is summarised by size and SHA-256, never copied into the log.
  const std::string content(5000, 'x');
  v1::ReportProgressRequest report;
  report.set_request_id("report-1");
  report.set_id(task.id());
  report.set_text("已到联系点调研一次");
  report.set_percent(40);
  v1::Evidence* evidence = report.add_evidence();
  evidence->set_file_name("调研记录.pdf");
  evidence->set_media_type("application/pdf");
  evidence->set_content(content);
  v1::ReportProgressResponse reported;
  ASSERT_TRUE(ledger_stub_->ReportProgress(Ctx().get(), report, &reported).ok());
  expect_one("ReportProgress");
  {
    const AuditEntry e = Entries().back();
    EXPECT_NE(e.request.find(Sha256Hex(content)), std::string::npos) << e.request;
    EXPECT_NE(e.request.find(R"("size":5000)"), std::string::npos) << e.request;
    EXPECT_LT(e.request.size(), 2000u);
    EXPECT_NE(e.after.find(R"("progress_percent":40)"), std::string::npos) << e.after;
  }
  // A retried request_id changes nothing, and appends nothing.
  ASSERT_TRUE(ledger_stub_->ReportProgress(Ctx().get(), report, &reported).ok());
  EXPECT_EQ(Count(), count);

  // A refused mutation appends nothing: the entry exists iff the change committed.
  v1::AcceptTaskRequest accept;
  accept.set_id(task.id());
  v1::Task out;
  EXPECT_EQ(ledger_stub_->AcceptTask(Ctx().get(), accept, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count(), count);

  v1::RequestExtensionRequest ask;
  ask.set_id(task.id());
  ask.set_requested_deadline("2022-03-31");
  ask.set_reason("联系点疫情封控");
  v1::ExtensionRequest ext;
  ASSERT_TRUE(ledger_stub_->RequestExtension(Ctx().get(), ask, &ext).ok());
  expect_one("RequestExtension");
  v1::DecideExtensionRequest decide;
  decide.set_extension_id(ext.id());
  decide.set_approve(true);
  // Separation of duties: the one who asked may not approve.
  // The root asked, so the root's supervisor decides (separation of duties, docs/security.md).
  const std::string other = IssueToken("李四", Role::kSupervisor, root_.id);
  ASSERT_TRUE(ledger_stub_->DecideExtension(CtxAs(other).get(), decide, &ext).ok());
  expect_one("DecideExtension", "李四");
  {
    const AuditEntry e = Entries().back();
    EXPECT_EQ(e.target, absl::StrCat("task/", task.id()));
    EXPECT_NE(e.before.find("2021-12-31"), std::string::npos) << e.before;
    EXPECT_NE(e.after.find("2022-03-31"), std::string::npos) << e.after;
  }
  v1::UrgeTaskRequest urge;
  urge.set_id(task.id());
  urge.set_note("请加快进度");
  v1::Event event;
  ASSERT_TRUE(ledger_stub_->UrgeTask(Ctx().get(), urge, &event).ok());
  expect_one("UrgeTask");
  v1::SubmitTaskRequest submit;
  submit.set_id(task.id());
  submit.set_summary("已完成");
  ASSERT_TRUE(ledger_stub_->SubmitTask(Ctx().get(), submit, &task).ok());
  expect_one("SubmitTask");
  v1::ReturnTaskRequest ret;
  ret.set_id(task.id());
  ret.set_reason("材料不全");
  ASSERT_TRUE(ledger_stub_->ReturnTask(Ctx().get(), ret, &task).ok());
  expect_one("ReturnTask");
  v1::MarkOngoingRequest ongoing;
  ongoing.set_id(task.id());
  ongoing.set_cadence_days(30);
  ASSERT_TRUE(ledger_stub_->MarkOngoing(Ctx().get(), ongoing, &task).ok());
  expect_one("MarkOngoing");
  ASSERT_TRUE(ledger_stub_->SubmitTask(Ctx().get(), submit, &task).ok());
  expect_one("SubmitTask");
  ASSERT_TRUE(ledger_stub_->AcceptTask(Ctx().get(), accept, &task).ok());
  expect_one("AcceptTask");
  v1::ReopenTaskRequest reopen;
  reopen.set_id(task.id());
  reopen.set_reason("回头看发现问题反弹");
  ASSERT_TRUE(ledger_stub_->ReopenTask(Ctx().get(), reopen, &task).ok());
  expect_one("ReopenTask");
  v1::CancelTaskRequest cancel;
  cancel.set_id(task.id());
  cancel.set_reason("机构调整");
  ASSERT_TRUE(ledger_stub_->CancelTask(Ctx().get(), cancel, &task).ok());
  expect_one("CancelTask");

  const v1::VerifyAuditResponse verdict = VerifyAudit();
  EXPECT_TRUE(verdict.intact()) << verdict.message();
  EXPECT_EQ(verdict.checked(), count);
}

TEST_F(AuditTest, HeadNamesTheLastEntryAndVerifiesLater) {
  MakeHistory();
  const v1::GetAuditHeadResponse head = Head();
  EXPECT_EQ(head.entry_count(), Count());
  EXPECT_EQ(head.head().seq(), Count());
  EXPECT_EQ(head.head().hash(), Entries().back().hash);
  v1::Task more = NewTask("每半年开展一次回头看");
  const v1::VerifyAuditResponse verdict = VerifyAudit(&head.head());
  EXPECT_TRUE(verdict.intact()) << verdict.message();
  EXPECT_EQ(verdict.checked(), head.entry_count() + 1);
}

TEST_F(AuditTest, DatabaseRefusesUpdateAndDeleteOfTheLog) {
  MakeHistory();
  const int64_t count = Count();
  WithServerDown([&] {
    RawSql("UPDATE audit_log SET actor = '李四' WHERE seq = 2", /*drop_triggers=*/false);
    EXPECT_NE(last_sql_rc_, SQLITE_OK);
    EXPECT_NE(last_sql_error_.find("append-only"), std::string::npos) << last_sql_error_;
    RawSql("DELETE FROM audit_log WHERE seq = 2", /*drop_triggers=*/false);
    EXPECT_NE(last_sql_rc_, SQLITE_OK);
    EXPECT_NE(last_sql_error_.find("append-only"), std::string::npos) << last_sql_error_;
  });
  EXPECT_EQ(Count(), count);
  EXPECT_TRUE(VerifyAudit().intact());
}

TEST_F(AuditTest, VerifyNamesAnEntryWhoseBytesWerePatchedInTheFile) {
  MakeHistory();
  const int64_t seq = SeqOf("RenameUnit");
  WithServerDown([&] {
    std::string bytes;
    {
      std::ifstream in(options_.path, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    // "RenameUnit" is stored only as that entry's method; change one byte of it.
    int patched = 0;
    for (size_t at = bytes.find("RenameUnit"); at != std::string::npos;
         at = bytes.find("RenameUnit", at + 1)) {
      bytes[at + 9] = 'x';
      ++patched;
    }
    ASSERT_GT(patched, 0);
    std::ofstream out(options_.path, std::ios::binary | std::ios::trunc);
    out << bytes;
  });
  const v1::VerifyAuditResponse verdict = VerifyAudit();
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.breach(), v1::AUDIT_BREACH_CHANGED);
  EXPECT_EQ(verdict.first_bad_seq(), seq);
  EXPECT_NE(verdict.message().find(absl::StrCat("第 ", seq, " 条")), std::string::npos)
      << verdict.message();
  EXPECT_EQ(verdict.last_good().seq(), seq - 1);
}

TEST_F(AuditTest, VerifyNamesADeletedEntry) {
  MakeHistory();
  WithServerDown([&] { RawSql("DELETE FROM audit_log WHERE seq = 4"); });
  const v1::VerifyAuditResponse verdict = VerifyAudit();
  EXPECT_EQ(verdict.breach(), v1::AUDIT_BREACH_REMOVED);
  EXPECT_EQ(verdict.first_bad_seq(), 4);
}

TEST_F(AuditTest, VerifyNamesADeletedEntryWhenLaterOnesWereRenumbered) {
  MakeHistory();
  WithServerDown([&] {
    RawSql(
        "DELETE FROM audit_log WHERE seq = 4; "
        "UPDATE audit_log SET seq = seq + 1000000 WHERE seq > 4; "
        "UPDATE audit_log SET seq = seq - 1000001 WHERE seq > 1000000;");
  });
  const v1::VerifyAuditResponse verdict = VerifyAudit();
  EXPECT_EQ(verdict.breach(), v1::AUDIT_BREACH_REMOVED);
  EXPECT_EQ(verdict.first_bad_seq(), 4);
}

TEST_F(AuditTest, VerifyNamesAnInsertedEntryEvenWithAValidHash) {
  MakeHistory();
  // The attacker knows the algorithm: the forged entry's own hash and link are right.
  const std::vector<AuditEntry> before = Entries();
  AuditEntry forged = before[4];
  forged.seq = 5;
  forged.actor = "李四";
  forged.prev_hash = before[3].hash;
  forged.hash = audit::ComputeHash(forged);
  WithServerDown([&] {
    RawSql(absl::StrCat(
        "UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= 5; "
        "UPDATE audit_log SET seq = seq - 1000000 + 1 WHERE seq > 1000000; "
        "INSERT INTO audit_log (seq, time, actor, token_id, method, target, request, before, "
        "after, prev_hash, hash, rows) SELECT 5, time, '李四', token_id, method, target, request, "
        "before, after, prev_hash, '",
        forged.hash, "', rows FROM audit_log WHERE seq = 6;"));
  });
  const v1::VerifyAuditResponse verdict = VerifyAudit();
  EXPECT_EQ(verdict.breach(), v1::AUDIT_BREACH_INSERTED) << verdict.message();
  EXPECT_EQ(verdict.first_bad_seq(), 5);
}

TEST_F(AuditTest, VerifyNamesTwoSwappedEntries) {
  MakeHistory();
  WithServerDown([&] {
    RawSql(
        "UPDATE audit_log SET seq = -1 WHERE seq = 6; "
        "UPDATE audit_log SET seq = 6 WHERE seq = 7; "
        "UPDATE audit_log SET seq = 7 WHERE seq = -1;");
  });
  const v1::VerifyAuditResponse verdict = VerifyAudit();
  EXPECT_EQ(verdict.breach(), v1::AUDIT_BREACH_REORDERED) << verdict.message();
  EXPECT_EQ(verdict.first_bad_seq(), 6);
}

TEST_F(AuditTest, RewrittenHistoryIsCaughtByAHeadKeptOutside) {
  MakeHistory();
  const v1::GetAuditHeadResponse saved = Head();
  // The attacker rewrites entry 3 and recomputes every hash after it: the chain is consistent
  // again, and only the saved head shows it is not the one that was.
  std::vector<AuditEntry> entries = Entries();
  entries[2].actor = "李四";
  for (size_t i = 2; i < entries.size(); ++i) {
    entries[i].prev_hash = entries[i - 1].hash;
    entries[i].hash = audit::ComputeHash(entries[i]);
  }
  WithServerDown([&] {
    std::string sql;
    for (size_t i = 2; i < entries.size(); ++i) {
      absl::StrAppend(&sql, "UPDATE audit_log SET actor = '", entries[i].actor, "', prev_hash = '",
                      entries[i].prev_hash, "', hash = '", entries[i].hash,
                      "' WHERE seq = ", entries[i].seq, "; ");
    }
    RawSql(sql);
  });
  EXPECT_TRUE(VerifyAudit().intact());
  const v1::VerifyAuditResponse verdict = VerifyAudit(&saved.head());
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.breach(), v1::AUDIT_BREACH_CHANGED);
  EXPECT_EQ(verdict.first_bad_seq(), saved.head().seq());
}

TEST_F(AuditTest, TruncatedTailIsCaughtByAHeadKeptOutside) {
  MakeHistory();
  const v1::GetAuditHeadResponse saved = Head();
  WithServerDown(
      [&] { RawSql(absl::StrCat("DELETE FROM audit_log WHERE seq = ", saved.head().seq())); });
  EXPECT_TRUE(VerifyAudit().intact());
  const v1::VerifyAuditResponse verdict = VerifyAudit(&saved.head());
  EXPECT_EQ(verdict.breach(), v1::AUDIT_BREACH_REMOVED);
  EXPECT_EQ(verdict.first_bad_seq(), saved.head().seq());
}

TEST_F(AuditTest, CliHeadPrintsHashAtSeqAndVerifyChecksAgainstIt) {
  MakeHistory();
  ASSERT_EQ(Run({"audit", "head"}), client::kExitOk) << err_.str();
  const std::string head_line = out_.str().substr(0, out_.str().find('\n'));
  EXPECT_EQ(head_line, absl::StrCat(Entries().back().hash, "@", Entries().back().seq));
  EXPECT_EQ(Run({"audit", "verify", "--head", head_line}), client::kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("审计链完整"), std::string::npos) << out_.str();
  EXPECT_EQ(Run({"audit", "verify", "--head", "nonsense"}), client::kExitUsage);
}

TEST_F(AuditTest, CliVerifyExitsNonZeroAndNamesTheEntryWhenTheChainIsBroken) {
  MakeHistory();
  WithServerDown([&] { RawSql("DELETE FROM audit_log WHERE seq = 4"); });
  EXPECT_EQ(Run({"audit", "verify"}), client::kExitAuditBroken) << err_.str();
  EXPECT_NE(out_.str().find("审计链被破坏"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("第 4 条"), std::string::npos) << out_.str();
  EXPECT_EQ(Run({"--json", "audit", "verify"}), client::kExitAuditBroken);
  EXPECT_NE(out_.str().find("\"AUDIT_BREACH_REMOVED\""), std::string::npos) << out_.str();
}

TEST_F(AuditTest, SchedulerLightChangesAreRecordedAsSystem) {
  const v1::Task task = SeedTask();  // due 2021-12-31
  const int64_t count = Count();
  clock_->Set(Local(2022, 1, 3, 9));
  Scheduler scheduler(store_.get(), clock_.get(), settings_, Scheduler::Options());
  ASSERT_TRUE(scheduler.RunPass().ok());
  const std::vector<AuditEntry> entries = Entries();
  ASSERT_EQ(static_cast<int64_t>(entries.size()), count + 1);
  const AuditEntry& e = entries.back();
  EXPECT_EQ(e.method, "scheduler.Reconcile");
  EXPECT_EQ(e.actor, "system");
  EXPECT_EQ(e.token_id, 0);
  EXPECT_EQ(e.target, absl::StrCat("task/", task.id()));
  EXPECT_NE(e.before.find(R"("light":"green")"), std::string::npos) << e.before;
  EXPECT_NE(e.after.find(R"("light":"red")"), std::string::npos) << e.after;
  // A second pass changes nothing visible and records nothing.
  ASSERT_TRUE(scheduler.RunPass().ok());
  EXPECT_EQ(Count(), count + 1);
  EXPECT_TRUE(VerifyAudit().intact());
}

TEST_F(AuditTest, MalformedExpectedHeadIsInvalidArgument) {
  v1::VerifyAuditRequest req;
  req.mutable_expected_head()->set_seq(3);
  req.mutable_expected_head()->set_hash("not-a-hash");
  v1::VerifyAuditResponse resp;
  EXPECT_EQ(audit_->VerifyAudit(Ctx().get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace rectify
