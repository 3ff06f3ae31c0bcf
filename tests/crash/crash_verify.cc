// crash_verify: checks a database that crash_load wrote to while rectifyd was SIGKILLed, against
// the load's journal (crash_journal.h), and prints what it checked:
//   1. every acknowledged write is in the database exactly once, as acknowledged;
//   2. no write is there twice, acknowledged or not;
//   3. every write that is there is whole: its row, its event and its idempotency record, and the
//      task it changed agrees with its reports (version, latest progress, percent, status);
//      abandoned (unacknowledged) writes are either whole or absent;
//   4. no foreign key dangles;
//   5. with --server, every acknowledged write sent again (same request_id, same payload) is
//      answered with its first result and changes nothing (no row, no event). Several servers
//      (a,b,c: the nodes of a cluster) take the writes in turn.
// The database is a SQLite file (--db; PRAGMA integrity_check is run by crash_test.sh with
// sqlite3) or a PostgreSQL database (--pg CONNINFO, for the cluster test
// tests/cluster/cluster_crash_test.sh): the same checks, in each one's SQL.
//
// The event stream (EventService.WatchEvents), with the database's events table as the truth:
//   6. --events FILE: what crash_load's event follower received while it hopped from node to
//      node under the kills is exactly the table (no gap, no duplicate, same order), and holds
//      each acknowledged write's event exactly once;
//   7. --streams: every --server node streams the whole table from seq 0, identically; and a
//      watcher that reads part of it on one node and resumes after its last seq on the next node,
//      and so on, gets exactly the rest.
// Exit 0 when everything holds.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/rpc/connection.h"
#include "client/rpc/retry.h"
#include "rectify/v1/events.grpc.pb.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "tests/crash/crash_journal.h"

ABSL_FLAG(std::string, db, "", "the SQLite database file");
ABSL_FLAG(std::string, pg, "", "or: the PostgreSQL database, as a libpq conninfo or URI");
ABSL_FLAG(std::string, journal, "", "crash_load's journal");
ABSL_FLAG(std::string, server, "",
          "rectifyd address (or several, comma-separated), to send acknowledged writes again");
ABSL_FLAG(std::string, events, "", "crash_load's --events record, to compare with the database");
ABSL_FLAG(bool, streams, false,
          "read the whole event stream from every --server node, and resume it across them");

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

// One event as the stream carries it and the events table holds it: what the checks compare.
struct EventRow {
  int64_t seq = 0, kind = 0, task = 0, unit = 0;
  std::string detail;
  bool operator==(const EventRow& o) const {
    return seq == o.seq && kind == o.kind && task == o.task && unit == o.unit && detail == o.detail;
  }
  bool operator!=(const EventRow& o) const { return !(*this == o); }
};

std::string Describe(const EventRow& e) {
  return absl::StrCat("seq ", e.seq, " kind ", e.kind, " task ", e.task, " unit ", e.unit, " \"",
                      e.detail, "\"");
}

EventRow FromProto(const v1::Event& e) {
  return EventRow{e.seq(), e.kind(), e.task_id(), e.unit_id(), e.detail()};
}

// The detail of the event a progress report writes (services/domain), as the SQL below builds it.
std::string ProgressDetail(int percent, const std::string& op) {
  return absl::StrCat("进度 ", percent, "%：", ProgressText(op));
}

// A read-only view of the database and a tiny query helper. SQL is written once with `?`
// placeholders and the few differences between the two dialects go through Glob.
class Db {
 public:
  virtual ~Db() = default;
  virtual bool ok() const = 0;
  virtual const char* name() const = 0;
  // Rows of `sql` with text parameters bound in order; every column as text, NULL as "".
  virtual std::vector<std::vector<std::string>> Rows(
      const std::string& sql, const std::vector<std::string>& params = {}) = 0;
  // `expr` matches a pattern, given as a GLOB (SQLite) and as a POSIX regex (PostgreSQL).
  virtual std::string Glob(const std::string& expr, const std::string& glob,
                           const std::string& regex) const = 0;
  // How the database checks its foreign keys; "" when they hold.
  virtual std::string ForeignKeyProblems() = 0;
  virtual std::string ForeignKeyCheckName() const = 0;

  int64_t Count(const std::string& sql, const std::vector<std::string>& params = {}) {
    auto rows = Rows(sql, params);
    int64_t n = -1;
    if (rows.empty() || !absl::SimpleAtoi(rows[0][0], &n)) return -1;
    return n;
  }
  bool failed() const { return failed_; }

 protected:
  void Failed(const std::string& message, const std::string& sql) {
    std::cerr << "crash_verify: " << message << " in " << sql << "\n";
    failed_ = true;
  }

 private:
  bool failed_ = false;
};

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      std::cerr << "crash_verify: cannot open " << path << "\n";
      sqlite3_close_v2(db_);
      db_ = nullptr;
    }
  }
  ~SqliteDb() override { sqlite3_close_v2(db_); }
  bool ok() const override { return db_ != nullptr; }
  const char* name() const override { return "SQLite"; }

  std::vector<std::vector<std::string>> Rows(const std::string& sql,
                                             const std::vector<std::string>& params) override {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      Failed(sqlite3_errmsg(db_), sql);
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
  std::string Glob(const std::string& expr, const std::string& glob,
                   const std::string&) const override {
    return absl::StrCat(expr, " GLOB '", glob, "'");
  }
  std::string ForeignKeyProblems() override {
    auto rows = Rows("PRAGMA foreign_key_check", {});
    return rows.empty() ? "" : absl::StrCat(rows.size(), " rows break a foreign key");
  }
  std::string ForeignKeyCheckName() const override {
    return "PRAGMA foreign_key_check finds nothing";
  }

 private:
  sqlite3* db_ = nullptr;
};

class PgDb final : public Db {
 public:
  explicit PgDb(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::cerr << "crash_verify: cannot connect to " << conninfo << ": " << PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      return;
    }
    // Only reads, whatever a mistake in this file would try.
    PQclear(PQexec(conn_, "SET default_transaction_read_only = on"));
  }
  ~PgDb() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }
  bool ok() const override { return conn_ != nullptr; }
  const char* name() const override { return "PostgreSQL"; }

  std::vector<std::vector<std::string>> Rows(const std::string& sql,
                                             const std::vector<std::string>& params) override {
    std::vector<std::vector<std::string>> rows;
    // `?` -> $1, $2, ... (no literal in this file's SQL holds a question mark).
    std::string numbered;
    int n = 0;
    for (char c : sql) {
      if (c == '?') {
        absl::StrAppend(&numbered, "$", ++n);
      } else {
        numbered.push_back(c);
      }
    }
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    PGresult* result =
        PQexecParams(conn_, numbered.c_str(), static_cast<int>(values.size()), nullptr,
                     values.empty() ? nullptr : values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
      Failed(PQresultErrorMessage(result), numbered);
      PQclear(result);
      return rows;
    }
    for (int r = 0; r < PQntuples(result); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(result); ++c) {
        row.push_back(PQgetisnull(result, r, c) ? "" : PQgetvalue(result, r, c));
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }
  std::string Glob(const std::string& expr, const std::string&,
                   const std::string& regex) const override {
    return absl::StrCat(expr, " ~ '", regex, "'");
  }
  // PostgreSQL checks every foreign key on every write; a key can only dangle when its
  // constraint is missing or was never validated.
  std::string ForeignKeyProblems() override {
    const int64_t keys = Count(
        "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND convalidated AND "
        "connamespace = 'public'::regnamespace");
    const int64_t unvalidated = Count(
        "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated AND "
        "connamespace = 'public'::regnamespace");
    foreign_keys_ = keys;
    if (keys < 10 || unvalidated != 0) {
      return absl::StrCat(keys, " validated and ", unvalidated,
                          " unvalidated foreign key constraints (expected all of the schema's)");
    }
    return "";
  }
  std::string ForeignKeyCheckName() const override {
    return absl::StrCat("all ", foreign_keys_,
                        " foreign keys are validated constraints, which PostgreSQL enforces on "
                        "every write");
  }

 private:
  PGconn* conn_;
  int64_t foreign_keys_ = 0;
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
    const int64_t twice =
        db_.Count(absl::StrCat("SELECT COUNT(*) FROM (SELECT text FROM progress_reports WHERE ",
                               db_.Glob("text", "crash-load *", "^crash-load "),
                               " GROUP BY text HAVING COUNT(*) > 1) AS repeated"));
    if (twice != 0) Fail(absl::StrCat(twice, " progress reports are stored more than once"));
    std::cout << Mark(before) << "no write is stored twice (" << AllProgress()
              << " progress reports, " << AllUnits() << " load units in the database)\n";
  }

  void EverythingWhole() {
    const int before = failures();
    const std::string progress_op = db_.Glob("r.request_id", "p[0-9]*-[0-9]*", "^p[0-9]+-[0-9]+$");
    const std::string unit_op = db_.Glob("r.request_id", "u[0-9]*-[0-9]*", "^u[0-9]+-[0-9]+$");
    const std::string load_report = db_.Glob("p.text", "crash-load p*", "^crash-load p");
    const std::string load_unit = db_.Glob("u.name", "u[0-9]*-[0-9]*", "^u[0-9]+-[0-9]+$");
    // A progress report, its idempotency record and its event come in one transaction.
    Zero("progress reports without their request record",
         absl::StrCat("SELECT COUNT(*) FROM progress_reports p WHERE ", load_report,
                      " AND NOT EXISTS (SELECT 1 FROM requests r WHERE 'crash-load ' || "
                      "r.request_id = p.text)"));
    Zero("request records without their progress report",
         absl::StrCat("SELECT COUNT(*) FROM requests r WHERE ", progress_op,
                      " AND NOT EXISTS (SELECT 1 FROM progress_reports p WHERE p.text = "
                      "'crash-load ' || r.request_id)"));
    Zero("progress reports without exactly one progress event",
         absl::StrCat("SELECT COUNT(*) FROM progress_reports p WHERE ", load_report,
                      " AND (SELECT COUNT(*) FROM events e WHERE e.task_id = p.task_id AND "
                      "e.kind = 3 AND e.detail = '进度 ' || p.percent || '%：' || p.text) != 1"));
    Zero("units without their request record",
         absl::StrCat("SELECT COUNT(*) FROM units u WHERE ", load_unit,
                      " AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.request_id = u.name)"));
    Zero("unit request records without their unit",
         absl::StrCat("SELECT COUNT(*) FROM requests r WHERE ", unit_op,
                      " AND NOT EXISTS (SELECT 1 FROM units u WHERE u.name = r.request_id)"));
    Zero("units without exactly one created event",
         absl::StrCat("SELECT COUNT(*) FROM units u WHERE ", load_unit,
                      " AND (SELECT COUNT(*) FROM events e WHERE e.unit_id = u.id AND e.task_id "
                      "IS NULL AND e.kind = 1) != 1"));
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
    const std::string problems = db_.ForeignKeyProblems();
    if (!problems.empty()) Fail(problems);
    std::cout << Mark(before) << db_.ForeignKeyCheckName() << "\n";
  }

  int64_t AllProgress() {
    return db_.Count(absl::StrCat("SELECT COUNT(*) FROM progress_reports WHERE ",
                                  db_.Glob("text", "crash-load *", "^crash-load ")));
  }
  int64_t AllUnits() {
    return db_.Count(absl::StrCat("SELECT COUNT(*) FROM units WHERE ",
                                  db_.Glob("name", "u[0-9]*-[0-9]*", "^u[0-9]+-[0-9]+$")));
  }
  int64_t AllEvents() { return db_.Count("SELECT COUNT(*) FROM events"); }

  // The events table in seq order: the truth every stream is compared with.
  std::vector<EventRow> StoredEvents() {
    std::vector<EventRow> events;
    for (const auto& row :
         db_.Rows("SELECT seq, kind, COALESCE(task_id, 0), COALESCE(unit_id, 0), detail FROM "
                  "events ORDER BY seq")) {
      EventRow e;
      if (!absl::SimpleAtoi(row[0], &e.seq) || !absl::SimpleAtoi(row[1], &e.kind) ||
          !absl::SimpleAtoi(row[2], &e.task) || !absl::SimpleAtoi(row[3], &e.unit)) {
        Fail(absl::StrCat("unreadable event row: seq ", row[0]));
        continue;
      }
      e.detail = row[4];
      events.push_back(std::move(e));
    }
    return events;
  }

  // `got` (what a watcher received) is exactly `want` (the table): same events, same order, no
  // gap, no duplicate. Names the first difference.
  bool SameEvents(const std::string& who, const std::vector<EventRow>& got,
                  const std::vector<EventRow>& want) {
    for (size_t i = 1; i < got.size(); ++i) {
      if (got[i].seq <= got[i - 1].seq) {
        Fail(absl::StrCat(who, ": seq ", got[i].seq, " came after seq ", got[i - 1].seq));
        return false;
      }
    }
    const size_t n = std::min(got.size(), want.size());
    for (size_t i = 0; i < n; ++i) {
      if (got[i] != want[i]) {
        Fail(absl::StrCat(who, ": event ", i + 1, " is ", Describe(got[i]), "; the table has ",
                          Describe(want[i]),
                          got[i].seq > want[i].seq ? " (a gap: the watcher skipped it)" : ""));
        return false;
      }
    }
    if (got.size() != want.size()) {
      Fail(absl::StrCat(who, ": received ", got.size(), " events, the table has ", want.size(),
                        got.size() < want.size()
                            ? absl::StrCat("; first missing: ", Describe(want[n]))
                            : absl::StrCat("; first extra: ", Describe(got[n]))));
      return false;
    }
    return true;
  }

  // Each acknowledged write's event is in `events` exactly once.
  void AcknowledgedEventsOnce(const std::string& who, const std::vector<EventRow>& events) {
    std::map<std::string, int> seen;  // "task|detail" or "unit|id" -> times
    for (const EventRow& e : events) {
      if (e.kind == 3) ++seen[absl::StrCat("p", e.task, "|", e.detail)];
      if (e.kind == 1 && e.task == 0) ++seen[absl::StrCat("u", e.unit)];
    }
    for (const AckedProgress& p : facts_.progress) {
      const int n = seen[absl::StrCat("p", p.task, "|", ProgressDetail(p.percent, p.op))];
      if (n != 1) Fail(absl::StrCat(who, ": ", p.op, "'s progress event received ", n, " times"));
    }
    for (const AckedUnit& u : facts_.units) {
      const int n = seen[absl::StrCat("u", u.unit)];
      if (n != 1) Fail(absl::StrCat(who, ": ", u.op, "'s unit event received ", n, " times"));
    }
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

// The record crash_load's event follower wrote (--events): events and anomaly lines ("! ...").
bool ReadEventRecord(const std::string& path, std::vector<EventRow>* events,
                     std::vector<std::string>* anomalies) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("! ", 0) == 0) {
      anomalies->push_back(line.substr(2));
      continue;
    }
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(' ', 4));
    EventRow e;
    std::string error;
    if (f.size() != 5 || !absl::SimpleAtoi(f[0], &e.seq) || !absl::SimpleAtoi(f[1], &e.kind) ||
        !absl::SimpleAtoi(f[2], &e.task) || !absl::SimpleAtoi(f[3], &e.unit) ||
        !absl::CUnescape(f[4], &e.detail, &error)) {
      anomalies->push_back(absl::StrCat("unreadable line: ", line));
      continue;
    }
    events->push_back(std::move(e));
  }
  return true;
}

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

std::vector<std::unique_ptr<client::Connection>> Connect(const std::string& servers,
                                                         double timeout_seconds) {
  const char* token = std::getenv("RECTIFY_TOKEN");  // exported by the test script
  std::vector<std::unique_ptr<client::Connection>> nodes;
  for (absl::string_view address : absl::StrSplit(servers, ',', absl::SkipWhitespace())) {
    nodes.push_back(std::make_unique<client::Connection>(
        std::string(address), token != nullptr ? token : "", timeout_seconds));
  }
  return nodes;
}

// Sends every acknowledged write again, each to the next node; each must come back with its
// first answer.
void SendAgain(const std::string& servers, const JournalFacts& facts, Verifier& verifier) {
  const auto nodes = Connect(servers, 10.0);
  size_t next = 0;
  for (const AckedProgress& p : facts.progress) {
    const client::Connection& conn = *nodes[next++ % nodes.size()];
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
      verifier.Fail(absl::StrCat(p.op, " sent again to ", conn.address(), ": ", s.error_code(), " ",
                                 s.error_message(), " report ", resp.report().id()));
    }
  }
  for (const AckedUnit& u : facts.units) {
    const client::Connection& conn = *nodes[next++ % nodes.size()];
    v1::CreateUnitRequest req;
    req.set_request_id(u.op);
    req.set_parent_id(u.parent);
    req.set_name(u.op);
    v1::OrgUnit unit;
    grpc::Status s =
        UntilAnswered(conn, [&](auto* c) { return conn.org().CreateUnit(c, req, &unit); });
    if (!s.ok() || unit.id() != u.unit) {
      verifier.Fail(absl::StrCat(u.op, " sent again to ", conn.address(), ": ", s.error_code(), " ",
                                 s.error_message()));
    }
  }
}

// Watches `conn` from after_seq and returns what arrives until the event with seq `until` (or
// `max_events` events); the status says why it stopped early (OK when it got there).
grpc::Status ReadStream(const client::Connection& conn, int64_t after_seq, int64_t until,
                        size_t max_events, std::vector<EventRow>* out) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  if (const char* token = std::getenv("RECTIFY_TOKEN"); token != nullptr && *token != '\0') {
    ctx.AddMetadata("authorization", std::string("Bearer ") + token);
  }
  v1::WatchEventsRequest req;
  req.set_after_seq(after_seq);
  auto reader = conn.events().WatchEvents(&ctx, req);
  v1::Event e;
  size_t got = 0;
  bool there = after_seq >= until;
  while (!there && got < max_events && reader->Read(&e)) {
    out->push_back(FromProto(e));
    ++got;
    there = e.seq() >= until;
  }
  ctx.TryCancel();
  const grpc::Status s = reader->Finish();
  if (there || got >= max_events) return grpc::Status::OK;
  return s.ok() ? grpc::Status(grpc::StatusCode::OUT_OF_RANGE, "the stream ended") : s;
}

// 7: the whole stream from every node, and one watcher resuming across all of them.
void CheckStreams(const std::string& servers, const std::vector<EventRow>& table,
                  Verifier& verifier) {
  const int before = verifier.failures();
  const auto nodes = Connect(servers, 60.0);
  const int64_t last = table.empty() ? 0 : table.back().seq;
  for (const auto& node : nodes) {
    std::vector<EventRow> got;
    const grpc::Status s = ReadStream(*node, 0, last, table.size() + 1, &got);
    if (!s.ok()) {
      verifier.Fail(absl::StrCat(node->address(), ": the stream stopped after ", got.size(),
                                 " events: ", s.error_code(), " ", s.error_message()));
      continue;
    }
    if (verifier.SameEvents(absl::StrCat(node->address(), " from seq 0"), got, table)) {
      verifier.AcknowledgedEventsOnce(node->address(), got);
    }
  }
  std::cout << verifier.Mark(before) << "each of the " << nodes.size() << " nodes streams the same "
            << table.size() << " events from seq 0 (up to seq " << last
            << "), in the order of the events table, none missing or twice\n";

  const int resumed_before = verifier.failures();
  std::vector<EventRow> got;
  const size_t chunk = table.size() / nodes.size() + 1;
  int64_t after = 0;
  std::string path;
  for (size_t i = 0; i < nodes.size() && after < last; ++i) {
    const grpc::Status s = ReadStream(*nodes[i], after, last, chunk, &got);
    if (!s.ok()) {
      verifier.Fail(absl::StrCat(nodes[i]->address(), ": resuming after seq ", after, ": ",
                                 s.error_code(), " ", s.error_message()));
      break;
    }
    absl::StrAppend(&path, path.empty() ? "" : ", then ", nodes[i]->address(), " after seq ",
                    after);
    if (!got.empty()) after = got.back().seq;
  }
  if (after < last) {
    // Whatever the last node did not get to (only when a chunk fell short): the first node again.
    const grpc::Status s = ReadStream(*nodes[0], after, last, table.size() + 1, &got);
    if (!s.ok()) verifier.Fail(absl::StrCat("resuming after seq ", after, ": ", s.error_message()));
  }
  verifier.SameEvents("a watcher resumed across the nodes", got, table);
  std::cout << verifier.Mark(resumed_before) << "a watcher that read " << path
            << " (each resuming after the last seq it had) got exactly the " << table.size()
            << " events\n";
}

int Main() {
  const JournalFacts facts = ReadJournal(absl::GetFlag(FLAGS_journal));
  const std::string sqlite_path = absl::GetFlag(FLAGS_db);
  const std::string conninfo = absl::GetFlag(FLAGS_pg);
  if (sqlite_path.empty() == conninfo.empty() || facts.tasks.empty()) {
    std::cerr << "crash_verify: need --db or --pg (one of them) and a journal with seeded "
                 "tasks\n";
    return 2;
  }
  std::unique_ptr<Db> db;
  if (!conninfo.empty()) {
    db = std::make_unique<PgDb>(conninfo);
  } else {
    db = std::make_unique<SqliteDb>(sqlite_path);
  }
  if (!db->ok()) return 2;
  Verifier verifier(*db, facts);
  std::cout << "crash_verify: " << db->name() << " " << (conninfo.empty() ? sqlite_path : conninfo)
            << " against " << absl::GetFlag(FLAGS_journal) << "\n";
  for (const std::string& error : facts.errors) verifier.Fail(absl::StrCat("load saw: ", error));
  verifier.AcknowledgedExactlyOnce();
  verifier.NothingTwice();
  verifier.EverythingWhole();
  verifier.ForeignKeys();

  const std::vector<EventRow> table = verifier.StoredEvents();
  if (!absl::GetFlag(FLAGS_events).empty()) {
    const int before = verifier.failures();
    std::vector<EventRow> followed;
    std::vector<std::string> anomalies;
    if (!ReadEventRecord(absl::GetFlag(FLAGS_events), &followed, &anomalies)) {
      verifier.Fail(absl::StrCat("cannot read ", absl::GetFlag(FLAGS_events)));
    }
    for (const std::string& a : anomalies) verifier.Fail(absl::StrCat("the follower saw: ", a));
    if (verifier.SameEvents("the event follower", followed, table)) {
      verifier.AcknowledgedEventsOnce("the event follower", followed);
    }
    std::cout << verifier.Mark(before) << "the event follower, hopping between the nodes while "
              << "they were killed, received exactly the " << table.size()
              << " events of the table, in order, with no gap or duplicate, each acknowledged "
                 "write's event once\n";
  }
  if (absl::GetFlag(FLAGS_streams) && !absl::GetFlag(FLAGS_server).empty()) {
    CheckStreams(absl::GetFlag(FLAGS_server), table, verifier);
  }
  if (!absl::GetFlag(FLAGS_server).empty()) {
    const int64_t progress = verifier.AllProgress();
    const int64_t units = verifier.AllUnits();
    const int64_t events = verifier.AllEvents();
    const int before = verifier.failures();
    SendAgain(absl::GetFlag(FLAGS_server), facts, verifier);
    if (verifier.AllProgress() != progress || verifier.AllUnits() != units ||
        verifier.AllEvents() != events) {
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
