// crash_verify: checks a database that crash_load wrote to while rectifyd was SIGKILLed, against
// the load's journal (crash_journal.h), and prints what it checked:
//   1. every acknowledged write is in the database exactly once, as acknowledged;
//   2. no write is there twice, acknowledged or not;
//   3. every write that is there is whole: its row, its event and its idempotency record, and the
//      task it changed agrees with its reports (version, latest progress, percent, status);
//      abandoned (unacknowledged) writes are either whole or absent;
//   4. no foreign key dangles;
//   5. with --server, every acknowledged write sent again (same request_id, same payload) is
//      answered with its first result and changes nothing.
// Exit 0 when everything holds. PRAGMA integrity_check is run by crash_test.sh with sqlite3.
#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "client/rpc/connection.h"
#include "client/rpc/retry.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "tests/crash/crash_journal.h"

ABSL_FLAG(std::string, db, "", "the database file");
ABSL_FLAG(std::string, journal, "", "crash_load's journal");
ABSL_FLAG(std::string, server, "", "rectifyd address, to send acknowledged writes again");

namespace rectify::crash {
namespace {

namespace v1 = rectify::v1;

struct AckedProgress {
  std::string op;
  int64_t task = 0, expected = 0, report = 0, version = 0;
  int percent = 0;
};
struct AckedUnit {
  std::string op;
  int64_t parent = 0, unit = 0;
};
struct JournalFacts {
  std::map<int, int64_t> tasks;  // worker -> task id
  std::vector<AckedProgress> progress;
  std::vector<AckedUnit> units;
  std::vector<std::string> abandoned;
  std::vector<std::string> errors;
};

JournalFacts ReadJournal(const std::string& path) {
  JournalFacts facts;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "T") {
      int worker = 0;
      int64_t task = 0;
      fields >> worker >> task;
      facts.tasks[worker] = task;
    } else if (kind == "P") {
      AckedProgress p;
      fields >> p.op >> p.task >> p.expected >> p.percent >> p.report >> p.version;
      facts.progress.push_back(p);
    } else if (kind == "U") {
      AckedUnit u;
      fields >> u.op >> u.parent >> u.unit;
      facts.units.push_back(u);
    } else if (kind == "X") {
      std::string op;
      fields >> op;
      facts.abandoned.push_back(op);
    } else if (kind == "E") {
      facts.errors.push_back(line);
    }
  }
  return facts;
}

// A read-only connection and a tiny query helper.
class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      std::cerr << "crash_verify: cannot open " << path << "\n";
      sqlite3_close_v2(db_);
      db_ = nullptr;
    }
  }
  ~Db() { sqlite3_close_v2(db_); }
  bool ok() const { return db_ != nullptr; }

  // Rows of `sql` with text parameters bound in order; every column as text.
  std::vector<std::vector<std::string>> Rows(const std::string& sql,
                                             const std::vector<std::string>& params = {}) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      std::cerr << "crash_verify: " << sqlite3_errmsg(db_) << " in " << sql << "\n";
      failed_ = true;
      return rows;
    }
    for (size_t i = 0; i < params.size(); ++i) {
      sqlite3_bind_text(stmt, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* text = sqlite3_column_text(stmt, c);
        row.push_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  int64_t Count(const std::string& sql, const std::vector<std::string>& params = {}) {
    auto rows = Rows(sql, params);
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }
  bool failed() const { return failed_; }

 private:
  sqlite3* db_ = nullptr;
  bool failed_ = false;
};

class Verifier {
 public:
  Verifier(Db& db, const JournalFacts& facts) : db_(db), facts_(facts) {}

  void Fail(const std::string& what) {
    if (++failures_ <= 20) std::cout << "  FAIL " << what << "\n";
  }
  int failures() const { return failures_ + (db_.failed() ? 1 : 0); }
  // How a section's summary line starts: whether it found anything since `before`.
  const char* Mark(int before) const { return failures() == before ? "  ok: " : "  FAILED: "; }

  void AcknowledgedExactlyOnce() {
    const int before = failures();
    for (const AckedProgress& p : facts_.progress) {
      auto rows = db_.Rows("SELECT id, task_id, percent FROM progress_reports WHERE text = ?",
                           {ProgressText(p.op)});
      if (rows.size() != 1) {
        Fail(absl::StrCat(p.op, ": acknowledged, found ", rows.size(), " times"));
      } else if (rows[0][0] != std::to_string(p.report) || rows[0][1] != std::to_string(p.task) ||
                 rows[0][2] != std::to_string(p.percent)) {
        Fail(absl::StrCat(p.op, ": stored as report ", rows[0][0], ", acknowledged as ", p.report));
      }
    }
    for (const AckedUnit& u : facts_.units) {
      auto rows = db_.Rows("SELECT id, parent_id FROM units WHERE name = ?", {u.op});
      if (rows.size() != 1 || rows[0][0] != std::to_string(u.unit)) {
        Fail(absl::StrCat(u.op, ": acknowledged as unit ", u.unit, ", found ", rows.size()));
      }
    }
    std::cout << Mark(before) << facts_.progress.size() << " acknowledged progress reports and "
              << facts_.units.size() << " acknowledged units are each present exactly once\n";
  }

  void NothingTwice() {
    const int before = failures();
    const int64_t twice = db_.Count(
        "SELECT COUNT(*) FROM (SELECT text FROM progress_reports WHERE text GLOB 'crash-load *' "
        "GROUP BY text HAVING COUNT(*) > 1)");
    if (twice != 0) Fail(absl::StrCat(twice, " progress reports are stored more than once"));
    std::cout << Mark(before) << "no write is stored twice (" << AllProgress()
              << " progress reports, " << AllUnits() << " load units in the database)\n";
  }

  void EverythingWhole() {
    const int before = failures();
    // A progress report, its idempotency record and its event come in one transaction.
    Zero("progress reports without their request record",
         "SELECT COUNT(*) FROM progress_reports p WHERE p.text GLOB 'crash-load p*' AND NOT "
         "EXISTS (SELECT 1 FROM requests r WHERE 'crash-load ' || r.request_id = p.text)");
    Zero("request records without their progress report",
         "SELECT COUNT(*) FROM requests r WHERE r.request_id GLOB 'p[0-9]*-[0-9]*' AND NOT "
         "EXISTS (SELECT 1 FROM progress_reports p WHERE p.text = 'crash-load ' || r.request_id)");
    Zero("progress reports without exactly one progress event",
         "SELECT COUNT(*) FROM progress_reports p WHERE p.text GLOB 'crash-load p*' AND (SELECT "
         "COUNT(*) FROM events e WHERE e.task_id = p.task_id AND e.kind = 3 AND e.detail = "
         "'进度 ' || p.percent || '%：' || p.text) != 1");
    Zero("units without their request record",
         "SELECT COUNT(*) FROM units u WHERE u.name GLOB 'u[0-9]*-[0-9]*' AND NOT EXISTS "
         "(SELECT 1 FROM requests r WHERE r.request_id = u.name)");
    Zero("unit request records without their unit",
         "SELECT COUNT(*) FROM requests r WHERE r.request_id GLOB 'u[0-9]*-[0-9]*' AND NOT "
         "EXISTS (SELECT 1 FROM units u WHERE u.name = r.request_id)");
    Zero("units without exactly one created event",
         "SELECT COUNT(*) FROM units u WHERE u.name GLOB 'u[0-9]*-[0-9]*' AND (SELECT COUNT(*) "
         "FROM events e WHERE e.unit_id = u.id AND e.task_id IS NULL AND e.kind = 1) != 1");
    // Each task agrees with its reports: one version per report, the latest one shown.
    for (const auto& [worker, task] : facts_.tasks) {
      const std::string id = std::to_string(task);
      auto t = db_.Rows(
          "SELECT version, progress_percent, latest_progress, status FROM tasks WHERE id = ?",
          {id});
      const int64_t reports =
          db_.Count("SELECT COUNT(*) FROM progress_reports WHERE task_id = ?", {id});
      auto last = db_.Rows(
          "SELECT text, percent FROM progress_reports WHERE task_id = ? ORDER BY id DESC LIMIT 1",
          {id});
      if (t.size() != 1) {
        Fail(absl::StrCat("task ", task, " is missing"));
        continue;
      }
      if (std::stoll(t[0][0]) != 1 + reports) {
        Fail(absl::StrCat("task ", task, " is at version ", t[0][0], " with ", reports,
                          " reports (expected version ", 1 + reports, ")"));
      }
      if (!last.empty() && (t[0][2] != last[0][0] || t[0][1] != last[0][1])) {
        Fail(absl::StrCat("task ", task, " shows \"", t[0][2], "\" but its latest report is \"",
                          last[0][0], "\""));
      }
      if (t[0][3] != (reports > 0 ? "2" : "1")) {
        Fail(absl::StrCat("task ", task, " has status ", t[0][3], " after ", reports, " reports"));
      }
    }
    int applied = 0;
    for (const std::string& op : facts_.abandoned) {
      const int64_t n = op[0] == 'p'
                            ? db_.Count("SELECT COUNT(*) FROM progress_reports WHERE text = ?",
                                        {ProgressText(op)})
                            : db_.Count("SELECT COUNT(*) FROM units WHERE name = ?", {op});
      if (n > 1) Fail(absl::StrCat(op, ": abandoned, found ", n, " times"));
      applied += n == 1 ? 1 : 0;
    }
    std::cout << Mark(before)
              << "every write present is whole (row + event + request record, task "
                 "version = 1 + reports); of "
              << facts_.abandoned.size() << " abandoned unacknowledged writes " << applied
              << " were applied whole and " << facts_.abandoned.size() - applied << " not at all\n";
  }

  void ForeignKeys() {
    const int before = failures();
    auto rows = db_.Rows("PRAGMA foreign_key_check");
    if (!rows.empty()) Fail(absl::StrCat(rows.size(), " rows break a foreign key"));
    std::cout << Mark(before) << "PRAGMA foreign_key_check finds nothing\n";
  }

  int64_t AllProgress() {
    return db_.Count("SELECT COUNT(*) FROM progress_reports WHERE text GLOB 'crash-load *'");
  }
  int64_t AllUnits() {
    return db_.Count("SELECT COUNT(*) FROM units WHERE name GLOB 'u[0-9]*-[0-9]*'");
  }

 private:
  void Zero(const std::string& what, const std::string& sql) {
    const int64_t n = db_.Count(sql);
    if (n != 0) Fail(absl::StrCat(n, " ", what));
  }

  Db& db_;
  const JournalFacts& facts_;
  int failures_ = 0;
};

template <typename Call>
grpc::Status UntilAnswered(const client::Connection& conn, Call call) {
  for (;;) {
    grpc::Status s = client::CallWithRetry(client::RetryPolicy::ForTimeout(conn.timeout_seconds()),
                                           [&](int) {
                                             auto ctx = conn.NewContext();
                                             return call(ctx.get());
                                           },
                                           {});
    if (!client::IsRetryable(s.error_code())) return s;
  }
}

// Sends every acknowledged write again; each must come back with its first answer.
void SendAgain(const std::string& server, const JournalFacts& facts, Verifier& verifier) {
  const char* token = std::getenv("RECTIFY_TOKEN");  // exported by crash_test.sh
  client::Connection conn(server, token != nullptr ? token : "", 10.0);
  for (const AckedProgress& p : facts.progress) {
    v1::ReportProgressRequest req;
    req.set_request_id(p.op);
    req.set_id(p.task);
    req.set_expected_version(p.expected);
    req.set_text(ProgressText(p.op));
    req.set_percent(p.percent);
    v1::ReportProgressResponse resp;
    grpc::Status s =
        UntilAnswered(conn, [&](auto* c) { return conn.ledger().ReportProgress(c, req, &resp); });
    if (!s.ok() || resp.report().id() != p.report || resp.task().version() != p.version) {
      verifier.Fail(absl::StrCat(p.op, " sent again: ", s.error_code(), " ", s.error_message(),
                                 " report ", resp.report().id()));
    }
  }
  for (const AckedUnit& u : facts.units) {
    v1::CreateUnitRequest req;
    req.set_request_id(u.op);
    req.set_parent_id(u.parent);
    req.set_name(u.op);
    v1::OrgUnit unit;
    grpc::Status s =
        UntilAnswered(conn, [&](auto* c) { return conn.org().CreateUnit(c, req, &unit); });
    if (!s.ok() || unit.id() != u.unit) {
      verifier.Fail(absl::StrCat(u.op, " sent again: ", s.error_code(), " ", s.error_message()));
    }
  }
}

int Main() {
  const JournalFacts facts = ReadJournal(absl::GetFlag(FLAGS_journal));
  Db db(absl::GetFlag(FLAGS_db));
  if (!db.ok() || facts.tasks.empty()) {
    std::cerr << "crash_verify: need --db and a journal with seeded tasks\n";
    return 2;
  }
  Verifier verifier(db, facts);
  std::cout << "crash_verify: " << absl::GetFlag(FLAGS_db) << " against "
            << absl::GetFlag(FLAGS_journal) << "\n";
  for (const std::string& error : facts.errors) verifier.Fail(absl::StrCat("load saw: ", error));
  verifier.AcknowledgedExactlyOnce();
  verifier.NothingTwice();
  verifier.EverythingWhole();
  verifier.ForeignKeys();
  if (!absl::GetFlag(FLAGS_server).empty()) {
    const int64_t progress = verifier.AllProgress();
    const int64_t units = verifier.AllUnits();
    const int before = verifier.failures();
    SendAgain(absl::GetFlag(FLAGS_server), facts, verifier);
    if (verifier.AllProgress() != progress || verifier.AllUnits() != units) {
      verifier.Fail("sending acknowledged writes again changed the database");
    }
    std::cout << verifier.Mark(before) << facts.progress.size() + facts.units.size()
              << " acknowledged writes sent again after the restarts were answered with their "
                 "first result and changed nothing\n";
  }
  if (verifier.failures() > 0) {
    std::cout << "crash_verify: FAILED (" << verifier.failures() << " problems)\n";
    return 1;
  }
  std::cout << "crash_verify: all checks passed\n";
  return 0;
}

}  // namespace
}  // namespace rectify::crash

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return rectify::crash::Main();
}
