// Reconciliation (对账) and keyed entries through a real server: rows changed in the database
// file behind the server's back are named by AuditService.VerifyAudit (a task edited, a progress
// report deleted, a row put in by hand, every audit entry deleted); the server refuses to start a
// new chain on a ledger with data, and rectifyd --restart_audit_chain's function does, saying so
// in the chain; with an audit key, `rectify audit verify --key-file` catches a well-formed entry
// appended by someone without the key.
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "client/commands/root.h"
#include "client/rpc/exit_codes.h"
#include "gtest/gtest.h"
#include "rectify/v1/audit.grpc.pb.h"
#include "services/audit/audit_chain.h"
#include "services/audit/audit_key.h"
#include "services/audit/chain_verifier.h"
#include "services/common/status_macros.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

class AuditReconcileTest : public ServerTest {
 protected:
  void TearDown() override {
    audit::InstallKey("");
    ServerTest::TearDown();
  }

  // A task started, reported on twice, with an extension requested; a unit renamed.
  void MakeHistory() {
    task_ = SeedTask();
    v1::StartTaskRequest start;
    start.set_id(task_.id());
    ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &task_).ok());
    ASSERT_TRUE(Report(task_.id(), "r-1", "已调研一次", &report_, 30).ok());
    v1::ReportProgressResponse second;
    ASSERT_TRUE(Report(task_.id(), "r-2", "已调研两次", &second, 60).ok());
    v1::RequestExtensionRequest ext;
    ext.set_id(task_.id());
    ext.set_requested_deadline("2022-03-31");
    ext.set_reason("联系点调整");
    v1::ExtensionRequest extension;
    grpc::Status s = ledger_stub_->RequestExtension(Ctx().get(), ext, &extension);
    ASSERT_TRUE(s.ok()) << s.error_message();
    v1::RenameUnitRequest rename;
    rename.set_id(branch_.id());
    rename.set_name("第一党支部");
    v1::OrgUnit unit;
    ASSERT_TRUE(org_->RenameUnit(Ctx().get(), rename, &unit).ok());
  }

  void RawSql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(options_.path.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  // Stops the server and closes the store, runs `sql` on the file, reopens and starts again.
  void WithServerDown(const std::string& sql) {
    ServerTest::WithServerDown([&] { RawSql(sql); });
  }

  const v1::AuditRowFinding* Finding(const v1::VerifyAuditResponse& r, const std::string& row) {
    for (const v1::AuditRowFinding& f : r.row_findings()) {
      if (f.row() == row) return &f;
    }
    return nullptr;
  }

  std::string WriteKeyFile(const std::string& key) {
    const std::string path = options_.path + ".audit-key";
    std::ofstream(path) << key << "\n";
    ::chmod(path.c_str(), 0600);
    return path;
  }

  v1::Task task_;
  v1::ReportProgressResponse report_;
};

TEST_F(AuditReconcileTest, UntouchedLedgerMatchesTheChainRowByRow) {
  MakeHistory();
  const v1::VerifyAuditResponse r = VerifyAudit();
  EXPECT_TRUE(r.intact()) << r.message();
  EXPECT_TRUE(r.rows_match()) << (r.row_findings_size() > 0 ? r.row_findings(0).message() : "");
  // Two units, one task, two progress reports, one extension.
  EXPECT_EQ(r.rows_checked(), 6);
  EXPECT_EQ(Run({"audit", "verify"}), client::kExitOk) << out_.str() << err_.str();
  EXPECT_NE(out_.str().find("对账一致"), std::string::npos) << out_.str();
}

TEST_F(AuditReconcileTest, TaskRowEditedInTheFileIsNamedWithItsEntry) {
  MakeHistory();
  WithServerDown(absl::StrCat("UPDATE tasks SET measure = '已全部完成' WHERE id = ", task_.id()));
  const v1::VerifyAuditResponse r = VerifyAudit();
  EXPECT_TRUE(r.intact()) << "the chain itself was not touched";
  EXPECT_FALSE(r.rows_match());
  EXPECT_EQ(r.row_findings_total(), 1);
  const v1::AuditRowFinding* f = Finding(r, absl::StrCat("task/", task_.id()));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind(), v1::AUDIT_ROW_DIFFERS);
  EXPECT_GT(f->entry_seq(), 0);
  EXPECT_NE(f->message().find(absl::StrCat("任务 ", task_.id())), std::string::npos)
      << f->message();
  EXPECT_EQ(Run({"audit", "verify"}), client::kExitAuditBroken);
  EXPECT_NE(out_.str().find("对账不符"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find(absl::StrCat("任务 ", task_.id())), std::string::npos) << out_.str();
}

TEST_F(AuditReconcileTest, DeletedProgressReportIsNamedAsGone) {
  MakeHistory();
  const int64_t id = report_.report().id();
  WithServerDown(absl::StrCat("DELETE FROM evidence WHERE report_id = ", id,
                              "; DELETE FROM progress_reports WHERE id = ", id));
  const v1::VerifyAuditResponse r = VerifyAudit();
  EXPECT_FALSE(r.rows_match());
  EXPECT_EQ(r.row_findings_total(), 1);
  const v1::AuditRowFinding* f = Finding(r, absl::StrCat("progress/", id));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind(), v1::AUDIT_ROW_GONE);
  EXPECT_NE(f->message().find("已不存在"), std::string::npos) << f->message();
}

TEST_F(AuditReconcileTest, ProgressReportPutInByHandHasNoEntry) {
  MakeHistory();
  WithServerDown(absl::StrCat(
      "INSERT INTO progress_reports (task_id, reporter, report_time, text, percent) VALUES (",
      task_.id(), ", '张三', 0, '补录的进展', 90)"));
  const v1::VerifyAuditResponse r = VerifyAudit();
  EXPECT_FALSE(r.rows_match());
  ASSERT_EQ(r.row_findings_size(), 1);
  EXPECT_EQ(r.row_findings(0).kind(), v1::AUDIT_ROW_NO_ENTRY);
  EXPECT_EQ(r.row_findings(0).row().rfind("progress/", 0), 0u) << r.row_findings(0).row();
}

TEST_F(AuditReconcileTest, EveryEntryDeletedIsNamedAndTheServerRefusesANewChain) {
  MakeHistory();
  StopServer();
  ledger_.reset();
  store_.reset();
  RawSql(
      "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "
      "DELETE FROM audit_log;");
  Reopen();
  // Not silently a new chain: the server does not start.
  api::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto refused = api::StartServer(ledger_.get(), options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("--restart_audit_chain"), std::string::npos)
      << refused.status();
  // And what verify says about it: the log is empty, and every row has no entry.
  ASSERT_OK_AND_ASSIGN(audit::AuditReport report,
                       audit::VerifyAndReconcile(*store_, absl::nullopt));
  EXPECT_EQ(report.chain.breach, audit::Breach::kRemoved);
  EXPECT_NE(report.chain.message.find("审计日志为空"), std::string::npos) << report.chain.message;
  EXPECT_EQ(report.rows.rows_checked, 6);
  EXPECT_EQ(report.rows.findings_total, 6);
  for (const audit::RowFinding& f : report.rows.findings) {
    EXPECT_EQ(f.kind, audit::RowFinding::Kind::kNoEntry) << f.row;
  }

  // The explicit command starts anew, and the new chain says so to every later check.
  ASSERT_OK(audit::RestartChain(*store_, clock_->Now(), "主机管理员 root", "审计表被误删后重建"));
  StartServer();
  const v1::VerifyAuditResponse r = VerifyAudit();
  EXPECT_TRUE(r.intact()) << r.message();
  EXPECT_TRUE(r.rows_match());
  ASSERT_EQ(r.restarts_size(), 1);
  EXPECT_EQ(r.restarts(0), 2);
  EXPECT_EQ(Run({"audit", "verify"}), client::kExitOk) << out_.str() << err_.str();
  EXPECT_NE(out_.str().find("重新开始"), std::string::npos) << out_.str();
}

TEST_F(AuditReconcileTest, RestartIsRefusedWhileTheLogHasEntries) {
  MakeHistory();
  const absl::Status s = audit::RestartChain(*store_, clock_->Now(), "主机管理员 root", "试试");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_TRUE(VerifyAudit().intact());
}

TEST_F(AuditReconcileTest, KeyedEntriesVerifyWithTheKeyAndAForgedAppendIsCaught) {
  const std::string key = "0123456789abcdef0123456789abcdef-test-key";
  audit::InstallKey(key);
  MakeHistory();
  const std::string key_file = WriteKeyFile(key);
  ASSERT_EQ(Run({"audit", "verify", "--key-file", key_file}), client::kExitOk)
      << out_.str() << err_.str();
  EXPECT_NE(out_.str().find(audit::KeyId(key)), std::string::npos) << out_.str();

  // Someone with the file but not the key appends a well-formed entry after the head.
  AuditEntry head;
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(absl::optional<AuditEntry> h, tx.GetAuditHead());
    head = *h;
    return absl::OkStatus();
  }));
  AuditEntry forged;
  forged.seq = head.seq + 1;
  forged.time = head.time;
  forged.actor = "张三";
  forged.method = "AcceptTask";
  forged.target = absl::StrCat("task/", task_.id());
  forged.prev_hash = head.hash;
  forged.hash = audit::ComputeHash(forged);
  ASSERT_OK(store_->Write([&](WriteTxn& tx) { return tx.AppendAuditEntry(forged); }));

  // The server checks with its own key too; the client's check does not trust the server.
  const v1::VerifyAuditResponse on_server = VerifyAudit();
  EXPECT_FALSE(on_server.intact());
  EXPECT_EQ(on_server.breach(), v1::AUDIT_BREACH_NOT_KEYED);
  EXPECT_EQ(on_server.first_bad_seq(), forged.seq);
  EXPECT_EQ(Run({"audit", "verify", "--key-file", key_file}), client::kExitAuditBroken);
  EXPECT_NE(out_.str().find(absl::StrCat("第 ", forged.seq, " 条")), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("MAC"), std::string::npos) << out_.str();

  // A key file others can read is refused before anything is sent; the spelling of earlier
  // releases (--key_file) still names the key file, not an unknown option.
  ::chmod(key_file.c_str(), 0644);
  EXPECT_EQ(Run({"audit", "verify", "--key_file", key_file}), client::kExitUsage);
  EXPECT_NE(err_.str().find(key_file), std::string::npos) << err_.str();
  EXPECT_EQ(err_.str().find("没有选项"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace rectify
