#include "services/store/sqlite/schema.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify {
namespace sqlite {

namespace {

// Column conventions (shared with the PostgreSQL store): instants are INTEGER unix microseconds
// UTC, civil days TEXT 'YYYY-MM-DD' (so that text order is date order), enums INTEGER with the
// values of model.h, absent values NULL. Paths compare byte-wise (PostgreSQL: COLLATE "C").
struct MigrationStep {
  int version;
  // The compatible version the database carries after this step. It only grows: a step that
  // changes what existing tables mean raises it, so that older binaries refuse the file.
  int compatible_version;
  const char* sql;
};

constexpr char kLedgerSchema[] = R"sql(
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  parent_id INTEGER REFERENCES units (id),
  path TEXT NOT NULL UNIQUE,
  depth INTEGER NOT NULL,
  version INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  UNIQUE (parent_id, name)
);
-- UNIQUE treats NULLs as distinct, so roots (parent_id NULL) need their own rule.
CREATE UNIQUE INDEX units_root_name ON units (name) WHERE parent_id IS NULL;

CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  kind INTEGER NOT NULL,
  held_on TEXT NOT NULL,
  unit_id INTEGER NOT NULL REFERENCES units (id),
  source_document TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX reviews_unit ON reviews (unit_id);

CREATE TABLE root_causes (
  id INTEGER PRIMARY KEY,
  review_id INTEGER NOT NULL REFERENCES reviews (id),
  text TEXT NOT NULL
);
CREATE INDEX root_causes_review ON root_causes (review_id);

CREATE TABLE problems (
  id INTEGER PRIMARY KEY,
  review_id INTEGER NOT NULL REFERENCES reviews (id),
  seq INTEGER NOT NULL,
  area TEXT NOT NULL,
  text TEXT NOT NULL,
  UNIQUE (review_id, seq)
);

CREATE TABLE problem_causes (
  problem_id INTEGER NOT NULL REFERENCES problems (id),
  root_cause_id INTEGER NOT NULL REFERENCES root_causes (id),
  position INTEGER NOT NULL,
  PRIMARY KEY (problem_id, root_cause_id)
);
CREATE INDEX problem_causes_cause ON problem_causes (root_cause_id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  problem_id INTEGER NOT NULL REFERENCES problems (id),
  review_id INTEGER NOT NULL REFERENCES reviews (id),
  area TEXT NOT NULL,
  measure TEXT NOT NULL,
  owner_unit_id INTEGER NOT NULL REFERENCES units (id),
  owner_path TEXT NOT NULL,
  owner_person TEXT NOT NULL,
  leader TEXT NOT NULL,
  deadline TEXT,
  cadence_days INTEGER NOT NULL,
  status INTEGER NOT NULL,
  progress_percent INTEGER NOT NULL,
  version INTEGER NOT NULL,
  deadline_version INTEGER NOT NULL,
  light INTEGER NOT NULL,
  escalation_level INTEGER NOT NULL,
  status_note TEXT NOT NULL,
  latest_progress TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  close_time INTEGER,
  last_report_time INTEGER,
  ongoing_since INTEGER,
  checkpoint_due TEXT,
  next_check_time INTEGER
);
-- Subtree listings: a range on owner_path, then deadline order.
CREATE INDEX tasks_owner_deadline ON tasks (owner_path, deadline);
CREATE INDEX tasks_deadline ON tasks (deadline);
CREATE INDEX tasks_review ON tasks (review_id);
CREATE INDEX tasks_problem ON tasks (problem_id);
-- The scheduler's queue: only tasks that time can change are in it.
CREATE INDEX tasks_next_check ON tasks (next_check_time) WHERE next_check_time IS NOT NULL;

CREATE TABLE progress_reports (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks (id),
  reporter TEXT NOT NULL,
  report_time INTEGER NOT NULL,
  text TEXT NOT NULL,
  percent INTEGER NOT NULL
);
CREATE INDEX progress_reports_task ON progress_reports (task_id, id);

CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES progress_reports (id),
  file_name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256_hex TEXT NOT NULL,
  content BLOB NOT NULL
);
CREATE INDEX evidence_report ON evidence (report_id, id);

CREATE TABLE extensions (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks (id),
  old_deadline TEXT,
  requested_deadline TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  request_time INTEGER NOT NULL,
  state INTEGER NOT NULL,
  decided_by TEXT NOT NULL,
  decide_time INTEGER,
  decision_note TEXT NOT NULL
);
CREATE INDEX extensions_task ON extensions (task_id, id);
-- One pending request per task (state 1 = PENDING): the domain checks, this backs it up.
CREATE UNIQUE INDEX extensions_one_pending ON extensions (task_id) WHERE state = 1;

-- Append-only. AUTOINCREMENT: a seq is never reused, so a client resuming after seq N never
-- misses an event; one writer at a time also makes seqs commit in order.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind INTEGER NOT NULL,
  task_id INTEGER REFERENCES tasks (id),
  unit_id INTEGER REFERENCES units (id),
  unit_path TEXT NOT NULL,
  actor TEXT NOT NULL,
  time INTEGER NOT NULL,
  from_status INTEGER,
  to_status INTEGER,
  detail TEXT NOT NULL
);
CREATE INDEX events_task ON events (task_id, seq);
)sql";

constexpr char kSchedulerAndRequests[] = R"sql(
-- Scheduler flags: at most one per (task, deadline version, kind), which makes them exactly-once.
CREATE TABLE flags (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks (id),
  deadline_version INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  raised_time INTEGER NOT NULL,
  cleared_time INTEGER,
  UNIQUE (task_id, deadline_version, kind)
);

-- Answers to mutations, kept for a while so that a retried request_id gets the same answer.
CREATE TABLE requests (
  request_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  response BLOB NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX requests_time ON requests (time);
)sql";

// Importing review reports: draft tasks, and the SHA-256 of the imported document so
// that one unit cannot import the same content twice (NULL for reviews entered by hand, which the
// partial unique index leaves alone).
constexpr char kImportDrafts[] = R"sql(
ALTER TABLE tasks ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN source_sha256 TEXT;
CREATE UNIQUE INDEX reviews_unit_source ON reviews (unit_id, source_sha256)
  WHERE source_sha256 IS NOT NULL;
)sql";

// Statistics: the civil day a task was closed out, so that "closed on time" (close_day
// <= deadline) is a comparison in SQL, and a covering index that the per-unit and per-area
// counts read instead of the table. A v3 database knows no zone: its closed tasks are given the
// day in UTC+8, Asia/Shanghai's offset (no DST since 1991), the default and so far the only zone
// in use.
constexpr char kStatistics[] = R"sql(
ALTER TABLE tasks ADD COLUMN close_day TEXT;
UPDATE tasks SET close_day = strftime('%Y-%m-%d', close_time / 1000000, 'unixepoch', '+8 hours')
  WHERE close_time IS NOT NULL;
CREATE INDEX tasks_statistics
  ON tasks (owner_path, area, status, deadline, close_day, checkpoint_due, draft);
)sql";

// Who may call: API tokens, stored only as a hash, each bound to a role and a unit.
// Owned by the auth work; the columns are settled there.
constexpr char kPrincipals[] = R"sql(
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  secret_sha256 TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role INTEGER NOT NULL,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  created_by TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER,
  revoke_time INTEGER
);
CREATE INDEX tokens_unit ON tokens(unit_id);
)sql";

// The audit trail: an append-only hash chain (services/audit/ computes and checks the
// hashes). The triggers make the database itself refuse UPDATE and DELETE, so that no code path
// and no careless hand can rewrite history through SQL; someone with the file can still drop
// them, which is what the hash chain and a head kept elsewhere catch. The chain starts with a
// genesis entry written at the first start after this step (services/audit/audit_chain.h).
// PostgreSQL equivalent: a BEFORE UPDATE OR DELETE trigger on audit_log whose function does
// RAISE EXCEPTION (plus BEFORE TRUNCATE), and REVOKE UPDATE, DELETE, TRUNCATE from the role the
// server uses.
constexpr char kAuditLog[] = R"sql(
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  token_id INTEGER NOT NULL,
  method TEXT NOT NULL,
  target TEXT NOT NULL,
  request TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, '审计日志只能追加 / the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, '审计日志只能追加 / the audit log is append-only');
END;
)sql";

// The overdue listing: "OPEN or IN_PROGRESS and due before D, or ONGOING with a
// checkpoint before D" read through these two ranges instead of the whole deadline index, so the
// overdue report's cost follows the overdue tasks, not the ledger (the last page of a deadline
// scan would otherwise read on to the ledger's end).
constexpr char kOverdueIndexes[] = R"sql(
CREATE INDEX tasks_status_deadline ON tasks (status, deadline);
CREATE INDEX tasks_status_checkpoint ON tasks (status, checkpoint_due)
  WHERE checkpoint_due IS NOT NULL;
)sql";

// The statistics as counts kept up to date (replaces the scan of tasks_statistics, whose cost
// grew with the ledger). task_counts holds, per owner unit, area, status and "closed on time",
// how many assigned (non-draft) tasks are in that state: nothing in it depends on the day the
// report is run for. The one figure that does, overdue as of a day D, is "OPEN or IN_PROGRESS
// with deadline < D, or ONGOING with checkpoint_due < D": task_due_counts counts the tasks
// that can be overdue per (due day, owner, area), where the due day is the deadline or the
// checkpoint by status, so overdue as of D is the sum over the range due_day < D, read in key
// order. Neither table holds zero counts: their size follows units x areas x (statuses + open
// due days), not the tasks.
//
// Triggers keep both in the same transaction as every write to a task, whichever code path
// makes it (create, transitions, deadline changes, assigning drafts, cancel, reopen, a raw
// statement), and a rolled-back write takes its count changes with it. An UPDATE that touches
// none of the counted columns (a progress report, a light) does no work beyond the WHEN test.
// Status numbers are model.h's: 1 OPEN, 2 IN_PROGRESS, 4 CLOSED, 5 ONGOING. "On time" is the
// statistics' rule: closed and (no deadline or close_day <= deadline); a NULL close_day on a
// closed task with a deadline counts as late, as the scan did.
//
// WITHOUT ROWID only stores each table in its primary key's b-tree (one b-tree to update per
// count instead of two); it changes nothing of what the tables mean.
//
// PostgreSQL equivalent: the same two tables (without WITHOUT ROWID) and the same SQL in one
// AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW trigger function (IS DISTINCT FROM for IS NOT);
// note that the counter rows are hot, so concurrent writers of one unit's tasks queue on them
// until commit.
constexpr char kStatisticsCounts[] = R"sql(
CREATE TABLE task_counts (
  owner_path TEXT NOT NULL,
  area TEXT NOT NULL,
  status INTEGER NOT NULL,
  on_time INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (owner_path, area, status, on_time)
) WITHOUT ROWID;
CREATE TABLE task_due_counts (
  due_day TEXT NOT NULL,
  owner_path TEXT NOT NULL,
  area TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (due_day, owner_path, area)
) WITHOUT ROWID;

INSERT INTO task_counts (owner_path, area, status, on_time, n)
  SELECT owner_path, area, status, on_time, COUNT(*) FROM (
    SELECT owner_path, area, status,
      CASE WHEN status = 4 AND (deadline IS NULL OR close_day <= deadline) THEN 1 ELSE 0 END
        AS on_time
    FROM tasks WHERE draft = 0) AS t
  GROUP BY owner_path, area, status, on_time;
INSERT INTO task_due_counts (due_day, owner_path, area, n)
  SELECT due_day, owner_path, area, COUNT(*) FROM (
    SELECT owner_path, area,
      CASE WHEN status IN (1, 2) THEN deadline WHEN status = 5 THEN checkpoint_due END AS due_day
    FROM tasks WHERE draft = 0) AS t
  WHERE due_day IS NOT NULL
  GROUP BY due_day, owner_path, area;

CREATE TRIGGER tasks_counts_insert AFTER INSERT ON tasks WHEN NEW.draft = 0
BEGIN
  INSERT INTO task_counts (owner_path, area, status, on_time, n)
    VALUES (NEW.owner_path, NEW.area, NEW.status,
      CASE WHEN NEW.status = 4 AND (NEW.deadline IS NULL OR NEW.close_day <= NEW.deadline)
        THEN 1 ELSE 0 END, 1)
    ON CONFLICT (owner_path, area, status, on_time) DO UPDATE SET n = task_counts.n + 1;
  INSERT INTO task_due_counts (due_day, owner_path, area, n)
    SELECT d, NEW.owner_path, NEW.area, 1 FROM (SELECT
      CASE WHEN NEW.status IN (1, 2) THEN NEW.deadline WHEN NEW.status = 5 THEN NEW.checkpoint_due
      END AS d) AS due WHERE d IS NOT NULL
    ON CONFLICT (due_day, owner_path, area) DO UPDATE SET n = task_due_counts.n + 1;
END;

CREATE TRIGGER tasks_counts_update AFTER UPDATE ON tasks
WHEN OLD.draft IS NOT NEW.draft OR OLD.status IS NOT NEW.status
  OR OLD.owner_path IS NOT NEW.owner_path OR OLD.area IS NOT NEW.area
  OR OLD.deadline IS NOT NEW.deadline OR OLD.close_day IS NOT NEW.close_day
  OR OLD.checkpoint_due IS NOT NEW.checkpoint_due
BEGIN
  UPDATE task_counts SET n = n - 1
    WHERE OLD.draft = 0 AND owner_path = OLD.owner_path AND area = OLD.area
      AND status = OLD.status AND on_time =
        CASE WHEN OLD.status = 4 AND (OLD.deadline IS NULL OR OLD.close_day <= OLD.deadline)
          THEN 1 ELSE 0 END;
  DELETE FROM task_counts
    WHERE n = 0 AND owner_path = OLD.owner_path AND area = OLD.area AND status = OLD.status;
  UPDATE task_due_counts SET n = n - 1
    WHERE OLD.draft = 0 AND owner_path = OLD.owner_path AND area = OLD.area AND due_day =
      CASE WHEN OLD.status IN (1, 2) THEN OLD.deadline WHEN OLD.status = 5 THEN OLD.checkpoint_due
      END;
  DELETE FROM task_due_counts
    WHERE n = 0 AND owner_path = OLD.owner_path AND area = OLD.area AND due_day =
      CASE WHEN OLD.status IN (1, 2) THEN OLD.deadline WHEN OLD.status = 5 THEN OLD.checkpoint_due
      END;
  INSERT INTO task_counts (owner_path, area, status, on_time, n)
    SELECT NEW.owner_path, NEW.area, NEW.status,
      CASE WHEN NEW.status = 4 AND (NEW.deadline IS NULL OR NEW.close_day <= NEW.deadline)
        THEN 1 ELSE 0 END, 1
    WHERE NEW.draft = 0
    ON CONFLICT (owner_path, area, status, on_time) DO UPDATE SET n = task_counts.n + 1;
  INSERT INTO task_due_counts (due_day, owner_path, area, n)
    SELECT d, NEW.owner_path, NEW.area, 1 FROM (SELECT
      CASE WHEN NEW.status IN (1, 2) THEN NEW.deadline WHEN NEW.status = 5 THEN NEW.checkpoint_due
      END AS d) AS due WHERE NEW.draft = 0 AND d IS NOT NULL
    ON CONFLICT (due_day, owner_path, area) DO UPDATE SET n = task_due_counts.n + 1;
END;

CREATE TRIGGER tasks_counts_delete AFTER DELETE ON tasks WHEN OLD.draft = 0
BEGIN
  UPDATE task_counts SET n = n - 1
    WHERE owner_path = OLD.owner_path AND area = OLD.area AND status = OLD.status AND on_time =
      CASE WHEN OLD.status = 4 AND (OLD.deadline IS NULL OR OLD.close_day <= OLD.deadline)
        THEN 1 ELSE 0 END;
  DELETE FROM task_counts
    WHERE n = 0 AND owner_path = OLD.owner_path AND area = OLD.area AND status = OLD.status;
  UPDATE task_due_counts SET n = n - 1
    WHERE owner_path = OLD.owner_path AND area = OLD.area AND due_day =
      CASE WHEN OLD.status IN (1, 2) THEN OLD.deadline WHEN OLD.status = 5 THEN OLD.checkpoint_due
      END;
  DELETE FROM task_due_counts
    WHERE n = 0 AND owner_path = OLD.owner_path AND area = OLD.area AND due_day =
      CASE WHEN OLD.status IN (1, 2) THEN OLD.deadline WHEN OLD.status = 5 THEN OLD.checkpoint_due
      END;
END;

-- Nothing reads it any more; every task write paid for its seven columns.
DROP INDEX tasks_statistics;
)sql";

// The web console (services/http/): browser sessions and one-time sign-in links, each standing
// for a token and stored only as the SHA-256 of its secret, so that they survive a restart and a
// copy of the database lets nobody in. A token's sessions die with it because every call checks
// the token too; ON DELETE CASCADE is not relied on (tokens are revoked, never deleted).
constexpr char kWebSessions[] = R"sql(
CREATE TABLE web_sessions (
  id INTEGER PRIMARY KEY,
  secret_sha256 TEXT NOT NULL UNIQUE,
  token_id INTEGER NOT NULL REFERENCES tokens(id),
  create_time INTEGER NOT NULL,
  expire_time INTEGER NOT NULL
);
CREATE INDEX web_sessions_expire ON web_sessions(expire_time);
CREATE TABLE signin_links (
  id INTEGER PRIMARY KEY,
  code_sha256 TEXT NOT NULL UNIQUE,
  token_id INTEGER NOT NULL REFERENCES tokens(id),
  create_time INTEGER NOT NULL,
  expire_time INTEGER NOT NULL,
  use_time INTEGER
);
)sql";

// Separation of duties binds to units, not names: an extension request remembers the unit of the
// principal who asked, so that no principal of that unit decides it, whatever its token is
// called. 0 for requests asked before this step: the task's owner unit stands in for them.
constexpr char kExtensionRequesterUnit[] = R"sql(
ALTER TABLE extensions ADD COLUMN requester_unit_id INTEGER NOT NULL DEFAULT 0;
)sql";

// Reconciliation and keyed entries: each audit entry records the state of the rows its change
// wrote (rows, covered by the hash) and, when the server has an audit key, an HMAC (mac).
// Columns with defaults: old entries keep verifying with the encoding they were hashed with.
constexpr char kAuditRowsAndMac[] = R"sql(
ALTER TABLE audit_log ADD COLUMN rows TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN mac TEXT NOT NULL DEFAULT '';
)sql";

// The lights (红黄绿灯) of the active tasks as counts, kept by triggers like task_counts, so that
// the supervisors' dashboard reads them per unit or area instead of listing every task. Active
// is OPEN, IN_PROGRESS, SUBMITTED or ONGOING (1, 2, 3, 5); lights are model.h's 1 green,
// 2 yellow, 3 red. The lights are the current ones (the scheduler keeps them), not as of a day.
// A table of its own rather than a column more in task_counts: the step only adds, so an older
// binary's writes keep it exact, and light changes (scheduler passes) touch nothing else.
//
// PostgreSQL equivalent: the same table and SQL in one AFTER INSERT OR UPDATE OR DELETE FOR
// EACH ROW trigger function, as for task_counts.
constexpr char kLightCounts[] = R"sql(
CREATE TABLE task_light_counts (
  owner_path TEXT NOT NULL,
  area TEXT NOT NULL,
  light INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (owner_path, area, light)
) WITHOUT ROWID;

INSERT INTO task_light_counts (owner_path, area, light, n)
  SELECT owner_path, area, light, COUNT(*) FROM tasks
  WHERE draft = 0 AND status IN (1, 2, 3, 5) AND light IN (1, 2, 3)
  GROUP BY owner_path, area, light;

CREATE TRIGGER tasks_light_counts_insert AFTER INSERT ON tasks
WHEN NEW.draft = 0 AND NEW.status IN (1, 2, 3, 5) AND NEW.light IN (1, 2, 3)
BEGIN
  INSERT INTO task_light_counts (owner_path, area, light, n)
    VALUES (NEW.owner_path, NEW.area, NEW.light, 1)
    ON CONFLICT (owner_path, area, light) DO UPDATE SET n = task_light_counts.n + 1;
END;

CREATE TRIGGER tasks_light_counts_update AFTER UPDATE ON tasks
WHEN OLD.draft IS NOT NEW.draft OR OLD.status IS NOT NEW.status OR OLD.light IS NOT NEW.light
  OR OLD.owner_path IS NOT NEW.owner_path OR OLD.area IS NOT NEW.area
BEGIN
  UPDATE task_light_counts SET n = n - 1
    WHERE OLD.draft = 0 AND OLD.status IN (1, 2, 3, 5) AND owner_path = OLD.owner_path
      AND area = OLD.area AND light = OLD.light;
  DELETE FROM task_light_counts
    WHERE n = 0 AND owner_path = OLD.owner_path AND area = OLD.area AND light = OLD.light;
  INSERT INTO task_light_counts (owner_path, area, light, n)
    SELECT NEW.owner_path, NEW.area, NEW.light, 1
    WHERE NEW.draft = 0 AND NEW.status IN (1, 2, 3, 5) AND NEW.light IN (1, 2, 3)
    ON CONFLICT (owner_path, area, light) DO UPDATE SET n = task_light_counts.n + 1;
END;

CREATE TRIGGER tasks_light_counts_delete AFTER DELETE ON tasks
WHEN OLD.draft = 0 AND OLD.status IN (1, 2, 3, 5) AND OLD.light IN (1, 2, 3)
BEGIN
  UPDATE task_light_counts SET n = n - 1
    WHERE owner_path = OLD.owner_path AND area = OLD.area AND light = OLD.light;
  DELETE FROM task_light_counts
    WHERE n = 0 AND owner_path = OLD.owner_path AND area = OLD.area AND light = OLD.light;
END;
)sql";

// Notifications (提醒、催办、督办通知): the units' channels, the outbox of notices and their
// deliveries, and the planner's marks. A notice is inserted in the same transaction as the change
// that caused it, under a unique key (so a re-run, a restart or a retry never makes a second
// one); its deliveries, one per channel, are what the dispatcher works through. url and secret
// are stored as given (the file is the server's; docs/security.md) and never leave through the
// API. ON DELETE CASCADE removes a deleted channel's deliveries.
//
// PostgreSQL equivalent: the same tables with BIGSERIAL/IDENTITY ids, BOOLEAN flags, and
// INSERT ... ON CONFLICT (key) DO NOTHING for the outbox.
constexpr char kNotifications[] = R"sql(
CREATE TABLE notify_channels (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units (id),
  kind INTEGER NOT NULL,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  smtp_user TEXT NOT NULL DEFAULT '',
  mail_from TEXT NOT NULL DEFAULT '',
  mail_to TEXT NOT NULL DEFAULT '',
  supervision INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  lang TEXT NOT NULL DEFAULT 'zh',
  version INTEGER NOT NULL DEFAULT 1,
  create_time INTEGER NOT NULL,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_success_time INTEGER
);
CREATE INDEX notify_channels_unit ON notify_channels (unit_id);

CREATE TABLE notices (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  topic INTEGER NOT NULL,
  urgent INTEGER NOT NULL,
  task_id INTEGER,
  unit_id INTEGER NOT NULL,
  unit_name TEXT NOT NULL,
  measure TEXT NOT NULL,
  person TEXT NOT NULL,
  deadline TEXT,
  days INTEGER NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL,
  overdue INTEGER NOT NULL,
  due_soon INTEGER NOT NULL,
  submitted INTEGER NOT NULL,
  items TEXT NOT NULL,
  create_time INTEGER NOT NULL
);

CREATE TABLE notice_deliveries (
  notice_id INTEGER NOT NULL REFERENCES notices (id),
  channel_id INTEGER NOT NULL REFERENCES notify_channels (id) ON DELETE CASCADE,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  parts_sent INTEGER NOT NULL DEFAULT 0,
  next_attempt_time INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  sent_time INTEGER,
  PRIMARY KEY (notice_id, channel_id)
) WITHOUT ROWID;
-- The dispatcher's queue: only pending deliveries, earliest first.
CREATE INDEX notice_deliveries_due ON notice_deliveries (next_attempt_time)
  WHERE state = 1;
CREATE INDEX notice_deliveries_channel ON notice_deliveries (channel_id, state);

CREATE TABLE notify_marks (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// steps[i].version == i + 1.
constexpr MigrationStep kSteps[] = {
    {1, 1, kLedgerSchema},
    // Only new tables: a binary at version 1 never looks at them, so it stays compatible.
    {2, 1, kSchedulerAndRequests},
    // New columns with defaults: an older binary's statements still run and mean the same for
    // every row it can write; it would only see a draft as an OPEN task without a deadline.
    {3, 1, kImportDrafts},
    // An older binary would close tasks without a close_day, and the statistics would count
    // them as late: it must not write to this database.
    {4, 4, kStatistics},
    // Tokens: an older binary would let anyone in, so it must not open this database.
    {5, 5, kPrincipals},
    // The audit chain: an older binary would change the ledger without appending to it.
    {6, 6, kAuditLog},
    // Indexes only: an older binary keeps them up to date without knowing them.
    {7, 6, kOverdueIndexes},
    // Counts kept by triggers: an older binary's writes keep them exact, and its statistics scan
    // still runs (without the dropped index, slowly), so it stays compatible.
    {8, 6, kStatisticsCounts},
    // New tables only: an older binary never reads them (and cannot sign a browser in).
    {9, 6, kWebSessions},
    // A column with a default: an older binary's requests get 0, which reads as the owner unit;
    // but it would also write state 4 (withdrawn) as nothing it knows, so it must not write.
    {10, 10, kExtensionRequesterUnit},
    // An older binary would append entries without row states, which reconciliation would then
    // report as rows changed behind the chain's back: it must not write to this database.
    {11, 11, kAuditRowsAndMac},
    // A table and triggers only: an older binary's writes keep the light counts exact.
    {12, 11, kLightCounts},
    // An older binary would change the ledger without writing the notices its changes cause:
    // it must not write to this database.
    {13, 13, kNotifications},
};
static_assert(sizeof(kSteps) / sizeof(kSteps[0]) == kCurrentSchemaVersion,
              "one migration step per schema version");

absl::StatusOr<int64_t> QueryInt(Database& db, absl::string_view sql) {
  ASSIGN_OR_RETURN(Statement s, db.GetUniqueStatement(sql));
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnInt64(0) : 0;
}

absl::Status CheckCompatible(const SchemaVersion& v) {
  if (v.compatible_version <= kCurrentSchemaVersion) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "数据库结构版本为 ", v.version, "，需要更新版本的 rectifyd（本程序最高支持版本 ",
      kCurrentSchemaVersion, "），请升级 rectifyd / the database schema is at version ", v.version,
      " and needs a newer rectifyd (this binary supports up to version ", kCurrentSchemaVersion,
      "); upgrade rectifyd"));
}

absl::Status WriteMeta(Database& db, const MigrationStep& step) {
  // Upsert in standard-enough SQL (PostgreSQL and SQLite both take ON CONFLICT).
  constexpr char kUpsert[] =
      "INSERT INTO meta (key, value) VALUES ($1, $2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  for (const auto& [key, value] : {std::pair<const char*, int>{"version", step.version},
                                   {"last_compatible_version", step.compatible_version}}) {
    ASSIGN_OR_RETURN(Statement s, db.GetUniqueStatement(kUpsert));
    s.BindText(1, key);
    s.BindInt(2, value);
    RETURN_IF_ERROR(s.Run());
  }
  return absl::OkStatus();
}

// Takes the database from step.version - 1 to step.version. Runs inside the caller's
// transaction.
absl::Status ApplyStep(Database& db, const MigrationStep& step) {
  if (step.version == 1) {
    // A file with tables but no meta table belongs to something else: do not write into it.
    ASSIGN_OR_RETURN(int64_t foreign,
                     QueryInt(db,
                              "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite%'"));
    if (foreign > 0) {
      return absl::FailedPreconditionError(absl::StrCat("文件 ", db.path(),
                                                        " 不是 Rectify 数据库 / file ", db.path(),
                                                        " is not a Rectify database"));
    }
    RETURN_IF_ERROR(db.Execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"));
  }
  RETURN_IF_ERROR(db.Execute(step.sql));
  return WriteMeta(db, step);
}

}  // namespace

absl::StatusOr<SchemaVersion> ReadSchemaVersion(Database& db) {
  SchemaVersion v;
  ASSIGN_OR_RETURN(
      int64_t has_meta,
      QueryInt(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"));
  if (has_meta == 0) return v;
  ASSIGN_OR_RETURN(Statement s, db.GetUniqueStatement("SELECT key, value FROM meta"));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    const std::string key = s.ColumnText(0);
    if (key == "version") v.version = s.ColumnInt(1);
    if (key == "last_compatible_version") v.compatible_version = s.ColumnInt(1);
  }
  if (v.version <= 0 || v.compatible_version <= 0) {
    return absl::DataLossError(Bilingual("数据库的结构版本记录缺失或无效",
                                         "the schema version record is missing or invalid"));
  }
  return v;
}

absl::Status MigrateSchema(Database& db, int target_version) {
  if (target_version < 1 || target_version > kCurrentSchemaVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("target_version: ", target_version, " is not a known schema version"));
  }
  for (;;) {
    // IMMEDIATE: two processes opening one file at once serialize here, and each re-reads the
    // version inside its transaction, so no step runs twice.
    Transaction txn(db, Transaction::Mode::kWrite);
    RETURN_IF_ERROR(txn.Begin());
    ASSIGN_OR_RETURN(SchemaVersion v, ReadSchemaVersion(db));
    RETURN_IF_ERROR(CheckCompatible(v));
    if (v.version >= target_version) return txn.Commit();
    RETURN_IF_ERROR(ApplyStep(db, kSteps[v.version]));
    RETURN_IF_ERROR(txn.Commit());
  }
}

}  // namespace sqlite
}  // namespace rectify
