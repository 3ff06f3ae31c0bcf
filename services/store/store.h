// Store: where the ledger lives. The domain talks only to this interface; the SQLite store is
// the embedded default, and a PostgreSQL store for several server nodes comes later, so nothing
// here may assume SQLite.
//
// Usage:
//   absl::Status s = store.Write([&](WriteTxn& tx) -> absl::Status {
//     ASSIGN_OR_RETURN(Task task, tx.GetTask(id));
//     ...
//     return tx.UpdateTask(task);
//   });
// Everything one call to Write does commits together, or not at all (a non-OK status from the
// function rolls the whole call back). Read sees one consistent snapshot.
//
// Errors: NOT_FOUND for a missing row, ALREADY_EXISTS for a uniqueness clash, UNAVAILABLE when
// storage is busy or failing (safe to retry), RESOURCE_EXHAUSTED when the disk or database is full,
// DATA_LOSS when the file is corrupt, FAILED_PRECONDITION when the schema is newer than the binary.
//
// Thread safety: a Store is safe to use from many threads. Transactions are not: each belongs to
// the thread running the function it was passed to, and must not escape it.
#ifndef RECTIFY_SERVICES_STORE_STORE_H_
#define RECTIFY_SERVICES_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "services/model/model.h"
#include "services/model/principal.h"

namespace rectify {

// Filters for ListTasks. They combine with AND. Results are ordered by deadline (tasks without a
// deadline last), then id; pages continue after (after_deadline, after_id).
struct TaskQuery {
  std::string subtree_path;          // owner unit path prefix ("/1/5/"); empty for all units
  std::vector<TaskStatus> statuses;  // empty for all
  absl::optional<absl::CivilDay> deadline_from;  // inclusive
  absl::optional<absl::CivilDay> deadline_to;    // inclusive
  std::string area;                              // exact; empty for all
  std::string owner_person;                      // exact; empty for all
  Id review_id = 0;                              // 0 for all
  // Only tasks overdue as of this day: OPEN or IN_PROGRESS with deadline < day, or ONGOING with
  // checkpoint_due < day.
  absl::optional<absl::CivilDay> overdue_as_of;
  // Only tasks with an extension request waiting for a decision.
  bool extension_pending = false;
  int limit = 50;
  // Keyset cursor: continue after this task in the order above. after_id == 0 starts at the top.
  Id after_id = 0;
  absl::optional<absl::CivilDay> after_deadline;  // the deadline of after_id (absent: no deadline)
};

// Task counts for the statistics (整改进度统计), aggregated by the store. Draft tasks (not yet
// assigned) are not counted. total = in_progress + submitted + closed + ongoing + cancelled.
struct TaskCounts {
  int64_t total = 0;
  int64_t closed = 0;          // CLOSED
  int64_t closed_on_time = 0;  // CLOSED with close_day <= deadline, or without a deadline
  int64_t in_progress = 0;     // OPEN or IN_PROGRESS
  int64_t submitted = 0;       // SUBMITTED
  int64_t ongoing = 0;         // ONGOING
  int64_t overdue = 0;         // overdue as of the given day, as TaskQuery::overdue_as_of
  int64_t cancelled = 0;       // CANCELLED
  // The current lights of the active tasks (OPEN, IN_PROGRESS, SUBMITTED, ONGOING).
  int64_t red = 0;
  int64_t yellow = 0;
  int64_t green = 0;

  TaskCounts& operator+=(const TaskCounts& o) {
    total += o.total;
    closed += o.closed;
    closed_on_time += o.closed_on_time;
    in_progress += o.in_progress;
    submitted += o.submitted;
    ongoing += o.ongoing;
    overdue += o.overdue;
    cancelled += o.cancelled;
    red += o.red;
    yellow += o.yellow;
    green += o.green;
    return *this;
  }
};

// What CountTasks groups by.
enum class TaskCountKey {
  kOwnerPath,  // the owner unit's path
  kArea,       // the problem's area (方面)
};

struct KeyedTaskCounts {
  std::string key;  // an owner path or an area
  TaskCounts counts;
};

// One line of the ledger export (整改台账): a problem with one of its tasks, or a problem alone
// when it has no task at all.
struct LedgerEntry {
  std::string review_title;
  Problem problem;  // root_cause_ids not loaded
  absl::optional<Task> task;
  std::string owner_unit_name;  // the task's owner unit; empty without a task
  // Filled by the domain's export when history is asked for (ListLedgerEntries leaves them
  // empty): the task's progress reports (evidence without content) and extension requests.
  std::vector<ProgressReport> progress;
  std::vector<ExtensionRequest> extensions;
  // Filled by the domain's export: the task's light as of the export's day (EvaluateTask at its
  // start), and with history the summary of its last submission for close-out, if it still
  // stands (SUBMITTED, CLOSED or ONGOING, not returned or reopened since).
  WarningLight light_as_of = WarningLight::kNone;
  std::string submit_summary;
};

// Filters and keyset cursor of ListLedgerEntries. Entries are ordered by (review id, problem
// seq, task id), a problem without tasks counting as task id 0.
struct LedgerEntryQuery {
  // Tasks owned under this path, and problems without tasks whose review was held by a unit
  // under it; empty for all.
  std::string subtree_path;
  Id review_id = 0;  // 0 for all
  // Continue after this entry; all zero starts at the top.
  Id after_review_id = 0;
  int after_problem_seq = 0;
  Id after_task_id = 0;
  int limit = 200;
};

// A stored answer to a mutation, for idempotent retries (request_id).
struct StoredRequest {
  std::string request_id;
  std::string fingerprint;  // hash of the method and the request without its request_id
  std::string response;     // the serialized response
  absl::Time time;
};

// One entry of the audit trail (审计日志): a change that committed, who made it, and the state of
// the affected object before and after. Entries form a hash chain (services/audit/): `hash` covers
// every other field and `prev_hash`, the previous entry's hash. The store keeps them as given.
struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3, ... without gaps; assigned by the audit chain, not the store
  absl::Time time;
  std::string actor;      // the actor's display name
  int64_t token_id = 0;   // the caller's token id; 0 for the server itself
  std::string method;     // "CreateTask", "scheduler.Reconcile", "AuditGenesis"
  std::string target;     // "task/12", "unit/3"; empty when the change has no single object
  std::string request;    // the request as JSON, bytes summarised by size and SHA-256
  std::string before;     // the object before as JSON; empty for a creation
  std::string after;      // the object after as JSON
  std::string prev_hash;  // lowercase hex SHA-256
  std::string hash;       // lowercase hex SHA-256
  // The state of every ledger row the change wrote ("task/12 <sha256>" lines, services/audit/
  // row_state.h), for reconciliation (对账); covered by `hash` when not empty. Empty in entries
  // written before reconciliation existed.
  std::string rows;
  // HMAC-SHA256 of the entry under the server's audit key (hex), or empty when the server runs
  // without one. Not covered by `hash`: the chain verifies with or without the key.
  std::string mac;
};

// A ledger row a write changed, for the audit entry that records the change.
struct RowRef {
  enum class Kind { kUnit, kTask, kProgress, kExtension };
  Kind kind = Kind::kTask;
  Id id = 0;
  Id task_id = 0;  // for progress reports and extensions: their task
};

// A delivery due for sending, with its notice and channel (ListDueDeliveries).
struct DueDelivery {
  Delivery delivery;
  Notice notice;
  NotifyChannel channel;
};

// A delivery with what an operator needs to see of it (ListDeliveries).
struct DeliveryView {
  Delivery delivery;
  NoticeTopic topic = NoticeTopic::kReminder;
  Id task_id = 0;
  std::string channel_name;
  absl::Time notice_time;
};

// Deliveries of one channel per state (NotifyStatus).
struct ChannelDeliveryCounts {
  Id channel_id = 0;
  int64_t pending = 0;
  int64_t sent = 0;
  int64_t failed = 0;
};

// Reads. Every method sees the snapshot of its transaction.
class ReadTxn {
 public:
  virtual ~ReadTxn() = default;

  // Org units.
  virtual absl::StatusOr<OrgUnit> GetUnit(Id id) = 0;
  // Units in path order (depth first; ids in paths are zero-padded, so siblings by id) whose path
  // starts with subtree_path ("" for all), after `after_path` (exclusive, "" for the start), at
  // most `limit`.
  virtual absl::StatusOr<std::vector<OrgUnit>> ListUnits(const std::string& subtree_path,
                                                         const std::string& after_path,
                                                         int limit) = 0;
  // The child of parent_id (0: a root) with this name, if any.
  virtual absl::StatusOr<absl::optional<OrgUnit>> FindUnitByName(Id parent_id,
                                                                 const std::string& name) = 0;
  virtual absl::StatusOr<int64_t> CountRoots() = 0;

  // Reviews, root causes, problems.
  virtual absl::StatusOr<Review> GetReview(Id id) = 0;
  // Reviews held by units under subtree_path, newest (highest id) first, with id < before_id
  // (0: from the newest).
  virtual absl::StatusOr<std::vector<Review>> ListReviews(const std::string& subtree_path,
                                                          Id before_id, int limit) = 0;
  // The review of unit_id imported from a document with this SHA-256 (hex), if any.
  virtual absl::StatusOr<absl::optional<Review>> FindReviewBySource(
      Id unit_id, const std::string& source_sha256) = 0;
  virtual absl::StatusOr<RootCause> GetRootCause(Id id) = 0;
  virtual absl::StatusOr<std::vector<RootCause>> ListRootCauses(Id review_id) = 0;
  virtual absl::StatusOr<Problem> GetProblem(Id id) = 0;
  // Problems of a review by seq, with seq > after_seq.
  virtual absl::StatusOr<std::vector<Problem>> ListProblems(Id review_id, int after_seq,
                                                            int limit) = 0;
  virtual absl::StatusOr<int> MaxProblemSeq(Id review_id) = 0;

  // Tasks.
  virtual absl::StatusOr<Task> GetTask(Id id) = 0;
  virtual absl::StatusOr<std::vector<Task>> ListTasks(const TaskQuery& query) = 0;

  // Progress reports of a task, oldest first, with evidence metadata (content not loaded).
  virtual absl::StatusOr<std::vector<ProgressReport>> ListProgress(Id task_id) = 0;
  // One progress report, with evidence metadata as ListProgress. NOT_FOUND for an unknown id.
  virtual absl::StatusOr<ProgressReport> GetProgress(Id report_id) = 0;
  // One evidence file with its content.
  virtual absl::StatusOr<Evidence> GetEvidence(Id evidence_id) = 0;

  // Extension requests.
  virtual absl::StatusOr<ExtensionRequest> GetExtension(Id id) = 0;
  virtual absl::StatusOr<std::vector<ExtensionRequest>> ListExtensions(Id task_id) = 0;
  virtual absl::StatusOr<absl::optional<ExtensionRequest>> FindPendingExtension(Id task_id) = 0;

  // Events of one task, oldest first.
  virtual absl::StatusOr<std::vector<Event>> ListTaskEvents(Id task_id) = 0;
  // Events with seq > after_seq whose unit path starts with subtree_path, in seq order.
  virtual absl::StatusOr<std::vector<Event>> ListEventsAfter(int64_t after_seq,
                                                             const std::string& subtree_path,
                                                             int limit) = 0;
  // The highest event sequence number committed so far (0 when there is none).
  virtual absl::StatusOr<int64_t> LastEventSeq() = 0;

  // Scheduler flags of one task, oldest first.
  virtual absl::StatusOr<std::vector<Flag>> ListFlags(Id task_id) = 0;
  // Tasks whose next_check_time <= now, earliest first, at most `limit`. Uses an index: the cost
  // follows the result, not the ledger.
  virtual absl::StatusOr<std::vector<Task>> ListTasksDueForCheck(absl::Time now, int limit) = 0;
  // The earliest next_check_time of any task, if any.
  virtual absl::StatusOr<absl::optional<absl::Time>> NextCheckTime() = 0;

  // Reports. Task counts of the tasks owned under subtree_path ("" for all) grouped by `key`,
  // ordered by key, with overdue counted as of `overdue_as_of`. Aggregated by the store over an
  // index: the answer has one row per key, whatever the number of tasks.
  virtual absl::StatusOr<std::vector<KeyedTaskCounts>> CountTasks(const std::string& subtree_path,
                                                                  TaskCountKey key,
                                                                  absl::CivilDay overdue_as_of) = 0;
  // The same counts (same rules, keys and order) of one review's tasks only. The kept counts are
  // per unit and area, not per review, so these are aggregated from the review's own tasks
  // (index tasks_review): the cost follows the review, not the ledger.
  virtual absl::StatusOr<std::vector<KeyedTaskCounts>> CountReviewTasks(
      Id review_id, const std::string& subtree_path, TaskCountKey key,
      absl::CivilDay overdue_as_of) = 0;
  // A page of the ledger export, in the order of LedgerEntryQuery.
  virtual absl::StatusOr<std::vector<LedgerEntry>> ListLedgerEntries(
      const LedgerEntryQuery& query) = 0;

  // Idempotency records.
  virtual absl::StatusOr<absl::optional<StoredRequest>> FindRequest(
      const std::string& request_id) = 0;

  // Audit trail. The entry with the highest seq, if any.
  virtual absl::StatusOr<absl::optional<AuditEntry>> GetAuditHead() = 0;
  // Entries with seq > after_seq in seq order, at most `limit`: verification pages through the
  // chain with these, so memory follows the page, not the log.
  virtual absl::StatusOr<std::vector<AuditEntry>> ListAuditEntries(int64_t after_seq,
                                                                   int limit) = 0;
  virtual absl::StatusOr<int64_t> CountAuditEntries() = 0;
  // Whether any entry has this method (e.g. a reconciliation baseline).
  virtual absl::StatusOr<bool> HasAuditEntryWithMethod(const std::string& method) = 0;

  // API tokens, each read with its unit's path. NOT_FOUND for an unknown id.
  virtual absl::StatusOr<ApiToken> GetToken(int64_t id) = 0;
  // The token whose secret hashes to `secret_sha256`, if any (revoked and expired ones too).
  virtual absl::StatusOr<absl::optional<ApiToken>> FindTokenByHash(
      const std::string& secret_sha256) = 0;
  // Tokens bound to units whose path starts with subtree_path ("" for all), by id, id > after_id.
  virtual absl::StatusOr<std::vector<ApiToken>> ListTokens(const std::string& subtree_path,
                                                           int64_t after_id, int limit) = 0;
  virtual absl::StatusOr<int64_t> CountTokens() = 0;

  // Notification channels and the outbox. A channel is read with its unit's path.
  virtual absl::StatusOr<NotifyChannel> GetChannel(Id id) = 0;
  // Channels of units whose path starts with subtree_path ("" for all), by id.
  virtual absl::StatusOr<std::vector<NotifyChannel>> ListChannels(
      const std::string& subtree_path) = 0;
  // Pending deliveries with next_attempt_time <= now, earliest first, at most `limit`.
  virtual absl::StatusOr<std::vector<DueDelivery>> ListDueDeliveries(absl::Time now, int limit) = 0;
  // The earliest next_attempt_time of a pending delivery, if any.
  virtual absl::StatusOr<absl::optional<absl::Time>> NextDeliveryTime() = 0;
  // Deliveries on channels of units under subtree_path, newest notice first; `state` absent for
  // all states.
  virtual absl::StatusOr<std::vector<DeliveryView>> ListDeliveries(
      const std::string& subtree_path, absl::optional<DeliveryState> state, int limit) = 0;
  virtual absl::StatusOr<std::vector<ChannelDeliveryCounts>> CountDeliveries(
      const std::string& subtree_path) = 0;
  // A mark the notification planner keeps (e.g. the last day reminders were planned for).
  virtual absl::StatusOr<absl::optional<std::string>> GetNotifyMark(const std::string& key) = 0;
  virtual absl::StatusOr<absl::optional<Notice>> FindNotice(const std::string& key) = 0;

  // Web console sessions and one-time sign-in links (services/http/). Expired and used ones
  // are returned too: the caller judges them.
  virtual absl::StatusOr<absl::optional<WebSession>> FindSessionByHash(
      const std::string& secret_sha256) = 0;
  virtual absl::StatusOr<absl::optional<SigninLink>> FindSigninLinkByHash(
      const std::string& code_sha256) = 0;
};

// Reads and writes inside one transaction.
class WriteTxn : public ReadTxn {
 public:
  // Assigns unit.id and sets unit.path to parent_path + id (zero-padded to 10 digits) + "/" (the
  // caller passes the parent's path in unit.path, "/" for a root). ALREADY_EXISTS when a sibling
  // has the same name.
  virtual absl::Status InsertUnit(OrgUnit& unit) = 0;
  // Writes name and version.
  virtual absl::Status UpdateUnit(const OrgUnit& unit) = 0;

  // Assigns id. ALREADY_EXISTS when the unit has a review with the same non-empty
  // source_sha256.
  virtual absl::Status InsertReview(Review& review) = 0;
  virtual absl::Status InsertRootCause(RootCause& cause) = 0;  // assigns id
  virtual absl::Status InsertProblem(Problem& problem) = 0;    // assigns id; links causes
  // Corrections after an import (Ledger::CorrectProblem, Ledger::WithdrawImport): a problem's
  // text; a review's title, with its source SHA-256 cleared so that the same content may be
  // imported again. NOT_FOUND for an unknown id.
  virtual absl::Status UpdateProblemText(Id problem_id, const std::string& text) = 0;
  virtual absl::Status WithdrawReviewSource(Id review_id, const std::string& title) = 0;

  virtual absl::Status InsertTask(Task& task) = 0;  // assigns id
  // Writes every mutable field of the task as given (create_time included: a draft's is reset
  // when it is assigned).
  virtual absl::Status UpdateTask(const Task& task) = 0;

  // Assigns report.id and each evidence id; stores evidence content.
  virtual absl::Status InsertProgress(ProgressReport& report) = 0;

  virtual absl::Status InsertExtension(ExtensionRequest& request) = 0;  // assigns id
  virtual absl::Status UpdateExtension(const ExtensionRequest& request) = 0;

  // Assigns event.seq.
  virtual absl::Status AppendEvent(Event& event) = 0;

  // Records a raised flag. Returns false, changing nothing, when a flag of the same
  // (task, deadline version, kind) exists already: that is what makes flags exactly-once.
  virtual absl::StatusOr<bool> InsertFlag(const Flag& flag) = 0;
  // Sets cleared_time on the uncleared flag of (task, deadline version, kind), if any; returns
  // whether one was cleared.
  virtual absl::StatusOr<bool> ClearFlag(Id task_id, int64_t deadline_version, FlagKind kind,
                                         absl::Time when) = 0;

  virtual absl::Status SaveRequest(const StoredRequest& request) = 0;
  // Forgets requests older than `before`; returns how many.
  virtual absl::StatusOr<int64_t> PurgeRequests(absl::Time before) = 0;

  // Assigns token.id. ALREADY_EXISTS when the secret hash is taken (never, with 256 bits).
  virtual absl::Status InsertToken(ApiToken& token) = 0;
  // Sets revoke_time when it is not set yet. NOT_FOUND for an unknown id.
  virtual absl::Status RevokeToken(int64_t id, absl::Time when) = 0;

  // Assigns session.id / link.id.
  virtual absl::Status InsertSession(WebSession& session) = 0;
  // Forgets the session with this hash (sign-out); a missing one is not an error.
  virtual absl::Status DeleteSession(const std::string& secret_sha256) = 0;
  // Forgets sessions that expired before `before`; returns how many.
  virtual absl::StatusOr<int64_t> PurgeSessions(absl::Time before) = 0;
  virtual absl::Status InsertSigninLink(SigninLink& link) = 0;
  // Sets use_time when it is not set yet; false (changing nothing) when it was used already.
  virtual absl::StatusOr<bool> UseSigninLink(int64_t id, absl::Time when) = 0;

  // Assigns channel.id. Writes every field; version 1.
  virtual absl::Status InsertChannel(NotifyChannel& channel) = 0;
  // Writes every mutable field (name, url, secret, user, from, to, supervision, enabled, lang,
  // version, health). NOT_FOUND for an unknown id.
  virtual absl::Status UpdateChannel(const NotifyChannel& channel) = 0;
  // Deletes the channel and its deliveries that are still pending. NOT_FOUND for an unknown id.
  virtual absl::Status DeleteChannel(Id id) = 0;
  // Writes the notice to the outbox with one pending delivery (due at notice.create_time) per
  // enabled channel of the units in unit_ids, plus every enabled supervision channel when
  // `supervision`. Returns false, changing nothing, when a notice with the same key exists
  // already: that is what makes notices exactly-once. Assigns notice.id.
  virtual absl::StatusOr<bool> EnqueueNotice(Notice& notice, const std::vector<Id>& unit_ids,
                                             bool supervision) = 0;
  // Writes state, attempts, parts_sent, next_attempt_time, last_error and sent_time.
  virtual absl::Status UpdateDelivery(const Delivery& delivery) = 0;
  virtual absl::Status SetNotifyMark(const std::string& key, const std::string& value) = 0;

  // Appends an entry as given (seq included). ALREADY_EXISTS when the seq is taken. The store
  // refuses to update or delete entries (SQLite: triggers; PostgreSQL: a rule or trigger and
  // REVOKE UPDATE, DELETE), so there is no method for it.
  virtual absl::Status AppendAuditEntry(const AuditEntry& entry) = 0;

  // The units, tasks, progress reports and extensions written since the last call (inserted or
  // updated), in order, possibly repeated; and forgets them. The audit chain records their state
  // with the entry of the change that wrote them.
  virtual std::vector<RowRef> TakeChangedRows() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs fn in a read-only snapshot.
  virtual absl::Status Read(const std::function<absl::Status(ReadTxn&)>& fn) = 0;
  // Runs fn in one write transaction; commits when fn returns OK and the commit is durable.
  virtual absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) = 0;
  // Writes a consistent copy of the whole store (one snapshot, taken while writes go on) to the
  // file dest_path, replacing it if it exists; a crash never leaves half a copy at dest_path.
  // The copy holds every Write that returned before Backup was called.
  virtual absl::Status Backup(const std::string& dest_path) = 0;
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_STORE_H_
