// The SQLite statements a mutation costs, counted through the real server stack (gRPC, the
// interceptors, the handler, the audit trail, the store): every connection the store opens is
// traced (SQLITE_TRACE_STMT, installed by an auto-extension, so no production code is involved),
// and the test counts what one RPC ran. The task row is read once per mutation however many parts
// of it look at the task; a report costs the same whatever the task's history; a later change
// that adds a read fails here.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

// The statements run while recording is on, on any connection (the server's threads).
struct Recorder {
  absl::Mutex mu;
  bool on ABSL_GUARDED_BY(mu) = false;
  std::vector<std::string> statements ABSL_GUARDED_BY(mu);
};

Recorder& TheRecorder() {
  static Recorder* recorder = new Recorder;
  return *recorder;
}

int OnTrace(unsigned type, void*, void*, void* x) {
  if (type != SQLITE_TRACE_STMT) return 0;
  const char* sql = static_cast<const char*>(x);
  // Trigger programs are reported as "-- TRIGGER name": part of the statement that fired them.
  if (sql == nullptr || absl::StartsWith(sql, "--")) return 0;
  Recorder& r = TheRecorder();
  absl::MutexLock lock(&r.mu);
  if (r.on) r.statements.push_back(sql);
  return 0;
}

int TraceEveryConnection(sqlite3* db, const char**, const struct sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, OnTrace, nullptr);
  return SQLITE_OK;
}

using EntryPoint = void (*)();

class WriteStatementsTest : public ServerTest {
 protected:
  void SetUp() override {
    // Before the store opens its connections.
    ASSERT_EQ(sqlite3_auto_extension(reinterpret_cast<EntryPoint>(&TraceEveryConnection)),
              SQLITE_OK);
    ServerTest::SetUp();
    task_ = SeedTask();
    v1::StartTaskRequest start;
    start.set_id(task_.id());
    ASSERT_TRUE(ledger_stub_->StartTask(Ctx().get(), start, &task_).ok());
  }

  void TearDown() override {
    ServerTest::TearDown();
    sqlite3_cancel_auto_extension(reinterpret_cast<EntryPoint>(&TraceEveryConnection));
  }

  // Runs `rpc` and returns the statements it ran.
  template <typename Rpc>
  std::vector<std::string> Statements(Rpc&& rpc) {
    Recorder& r = TheRecorder();
    {
      absl::MutexLock lock(&r.mu);
      r.statements.clear();
      r.on = true;
    }
    rpc();
    absl::MutexLock lock(&r.mu);
    r.on = false;
    return r.statements;
  }

  static int Count(const std::vector<std::string>& statements, absl::string_view prefix,
                   absl::string_view part) {
    int n = 0;
    for (const std::string& s : statements) {
      if (absl::StartsWith(s, prefix) && absl::StrContains(s, part)) ++n;
    }
    return n;
  }

  // Reads of one task row: SELECT <columns> FROM tasks WHERE id = $1.
  static int TaskRowReads(const std::vector<std::string>& statements) {
    return Count(statements, "SELECT", " FROM tasks WHERE id = $1");
  }

  std::vector<std::string> ReportOnce(int n) {
    return Statements([&] {
      v1::ReportProgressResponse reported;
      ASSERT_TRUE(Report(task_.id(), absl::StrCat("r-", n), absl::StrCat("第 ", n, " 次调研"),
                         &reported, n % 100)
                      .ok());
    });
  }

  v1::Task task_;
};

TEST_F(WriteStatementsTest, ProgressReportReadsTheTaskRowOnce) {
  const std::vector<std::string> statements = ReportOnce(1);
  const std::string all = absl::StrJoin(statements, "\n");
  EXPECT_EQ(TaskRowReads(statements), 1) << all;
  // One write of the row: the light, 督办 and next check are evaluated before it.
  EXPECT_EQ(Count(statements, "UPDATE tasks", ""), 1) << all;
  EXPECT_EQ(Count(statements, "INSERT INTO progress_reports", ""), 1) << all;
  EXPECT_EQ(Count(statements, "INSERT INTO audit_log", ""), 1) << all;
  // The audit entry's row state reads the new report alone, never the task's whole history.
  EXPECT_EQ(Count(statements, "SELECT", "FROM progress_reports WHERE task_id"), 0) << all;
  std::printf("statements per durable progress report: %zu\n", statements.size());
}

TEST_F(WriteStatementsTest, ProgressReportCostsTheSameWhateverTheTasksHistory) {
  const std::vector<std::string> first = ReportOnce(1);
  for (int i = 2; i < 30; ++i) ReportOnce(i);
  const std::vector<std::string> later = ReportOnce(30);
  EXPECT_EQ(later.size(), first.size()) << absl::StrJoin(first, "\n") << "\n----\n"
                                        << absl::StrJoin(later, "\n");
}

TEST_F(WriteStatementsTest, TaskTransitionsReadTheTaskRowOnce) {
  const std::vector<std::string> submit = Statements([&] {
    v1::SubmitTaskRequest req;
    req.set_id(task_.id());
    req.set_summary("已完成");
    ASSERT_TRUE(ledger_stub_->SubmitTask(Ctx().get(), req, &task_).ok());
  });
  EXPECT_EQ(TaskRowReads(submit), 1) << absl::StrJoin(submit, "\n");
  const std::vector<std::string> ret = Statements([&] {
    v1::ReturnTaskRequest req;
    req.set_id(task_.id());
    req.set_reason("材料不全");
    ASSERT_TRUE(ledger_stub_->ReturnTask(Ctx().get(), req, &task_).ok());
  });
  EXPECT_EQ(TaskRowReads(ret), 1) << absl::StrJoin(ret, "\n");
}

}  // namespace
}  // namespace rectify
