// Internal to the stores: the ReadTxn/WriteTxn that SqliteStore and PostgresStore hand to the
// caller's function, over either store's sql::Connection. Its methods are split by entity:
//   txn_org.cc       units, reviews, root causes, problems
//   txn_tasks.cc     tasks, task listing, the scheduler's queue
//   txn_progress.cc  progress reports, evidence, extension requests
//   txn_events.cc    events, flags, idempotency records
//   txn_audit.cc     the audit trail
//   txn_sessions.cc  web console sessions and one-time sign-in links
//
// The store opens and closes the SQL transaction around it; this class only runs statements.
// A Read gets the same class typed as ReadTxn, on a read-only connection or transaction.
//
// A write's LedgerTxn keeps the tasks it read or wrote (see tasks_), so a task row is read once per
// write however many parts of the mutation look at it.
//
// Thread safety: none; it lives on the thread running the store's function and dies with it.
#ifndef RECTIFY_SERVICES_STORE_SQL_LEDGER_TXN_H_
#define RECTIFY_SERVICES_STORE_SQL_LEDGER_TXN_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/store/sql/connection.h"
#include "services/store/store.h"

namespace rectify {
namespace sql {

// The task columns in the order ReadTask expects them; for SELECT lists.
extern const char kTaskColumns[];
// Decodes a task from the current row, whose first columns are kTaskColumns (txn_tasks.cc).
absl::StatusOr<Task> ReadTask(const Statement& s);
// The scheduler's queries, shared with the test that checks they use the partial index
// tasks_next_check (so their cost follows the result, not the ledger).
std::string TasksDueForCheckSql();
std::string NextCheckTimeSql();
// The reports' queries (txn_reports.cc), shared with the tests that check their plans: the counts
// read ranges of the count tables' keys (never the tasks), and the export pages in index order
// without sorting.
class Conditions;
std::string TaskCountsSql(TaskCountKey key, bool in_subtree);
std::string OverdueCountsSql(TaskCountKey key, bool in_subtree);
std::string LightCountsSql(TaskCountKey key, bool in_subtree);
// One review's counts from its tasks: $1 the as-of day, $2 the review, $3 and $4 the subtree.
std::string ReviewTaskCountsSql(TaskCountKey key, bool in_subtree);
// Adds the query's values to `where` (a valid subtree path is the caller's to check).
std::string LedgerEntriesSql(const LedgerEntryQuery& query, Conditions& where);

class LedgerTxn final : public WriteTxn {
 public:
  explicit LedgerTxn(Connection& db) : db_(db) {}
  LedgerTxn(const LedgerTxn&) = delete;
  LedgerTxn& operator=(const LedgerTxn&) = delete;

  // ReadTxn: org units, reviews, root causes, problems (txn_org.cc).
  absl::StatusOr<OrgUnit> GetUnit(Id id) override;
  absl::StatusOr<std::vector<OrgUnit>> ListUnits(const std::string& subtree_path,
                                                 const std::string& after_path, int limit) override;
  absl::StatusOr<absl::optional<OrgUnit>> FindUnitByName(Id parent_id,
                                                         const std::string& name) override;
  absl::StatusOr<int64_t> CountRoots() override;
  absl::StatusOr<Review> GetReview(Id id) override;
  absl::StatusOr<std::vector<Review>> ListReviews(const std::string& subtree_path, Id before_id,
                                                  int limit) override;
  absl::StatusOr<absl::optional<Review>> FindReviewBySource(
      Id unit_id, const std::string& source_sha256) override;
  absl::StatusOr<RootCause> GetRootCause(Id id) override;
  absl::StatusOr<std::vector<RootCause>> ListRootCauses(Id review_id) override;
  absl::StatusOr<Problem> GetProblem(Id id) override;
  absl::StatusOr<std::vector<Problem>> ListProblems(Id review_id, int after_seq,
                                                    int limit) override;
  absl::StatusOr<int> MaxProblemSeq(Id review_id) override;

  // Tasks and the scheduler's queue (txn_tasks.cc).
  absl::StatusOr<Task> GetTask(Id id) override;
  absl::StatusOr<std::vector<Task>> ListTasks(const TaskQuery& query) override;
  absl::StatusOr<std::vector<Task>> ListTasksDueForCheck(absl::Time now, int limit) override;
  absl::StatusOr<absl::optional<absl::Time>> NextCheckTime() override;

  // Reports: statistics counts and the ledger export (txn_reports.cc).
  absl::StatusOr<std::vector<KeyedTaskCounts>> CountTasks(const std::string& subtree_path,
                                                          TaskCountKey key,
                                                          absl::CivilDay overdue_as_of) override;
  absl::StatusOr<std::vector<KeyedTaskCounts>> CountReviewTasks(
      Id review_id, const std::string& subtree_path, TaskCountKey key,
      absl::CivilDay overdue_as_of) override;
  absl::StatusOr<std::vector<LedgerEntry>> ListLedgerEntries(
      const LedgerEntryQuery& query) override;

  // Progress, evidence, extensions (txn_progress.cc).
  absl::StatusOr<std::vector<ProgressReport>> ListProgress(Id task_id) override;
  absl::StatusOr<ProgressReport> GetProgress(Id report_id) override;
  absl::StatusOr<Evidence> GetEvidence(Id evidence_id) override;
  absl::StatusOr<ExtensionRequest> GetExtension(Id id) override;
  absl::StatusOr<std::vector<ExtensionRequest>> ListExtensions(Id task_id) override;
  absl::StatusOr<absl::optional<ExtensionRequest>> FindPendingExtension(Id task_id) override;

  // Events, flags, idempotency records (txn_events.cc).
  absl::StatusOr<std::vector<Event>> ListTaskEvents(Id task_id) override;
  absl::StatusOr<std::vector<Event>> ListEventsAfter(int64_t after_seq,
                                                     const std::string& subtree_path,
                                                     int limit) override;
  absl::StatusOr<int64_t> LastEventSeq() override;
  absl::StatusOr<std::vector<Flag>> ListFlags(Id task_id) override;
  absl::StatusOr<absl::optional<StoredRequest>> FindRequest(const std::string& request_id) override;

  // API tokens (txn_tokens.cc).
  absl::StatusOr<ApiToken> GetToken(int64_t id) override;
  absl::StatusOr<absl::optional<ApiToken>> FindTokenByHash(
      const std::string& secret_sha256) override;
  absl::StatusOr<std::vector<ApiToken>> ListTokens(const std::string& subtree_path,
                                                   int64_t after_id, int limit) override;
  absl::StatusOr<int64_t> CountTokens() override;

  // Web sessions and sign-in links (txn_sessions.cc).
  absl::StatusOr<absl::optional<WebSession>> FindSessionByHash(
      const std::string& secret_sha256) override;
  absl::StatusOr<absl::optional<SigninLink>> FindSigninLinkByHash(
      const std::string& code_sha256) override;

  // Notification channels and the outbox (txn_notify.cc).
  absl::StatusOr<NotifyChannel> GetChannel(Id id) override;
  absl::StatusOr<std::vector<NotifyChannel>> ListChannels(const std::string& subtree_path) override;
  absl::StatusOr<std::vector<DueDelivery>> ListDueDeliveries(absl::Time now, int limit) override;
  absl::StatusOr<absl::optional<absl::Time>> NextDeliveryTime() override;
  absl::StatusOr<std::vector<DeliveryView>> ListDeliveries(const std::string& subtree_path,
                                                           absl::optional<DeliveryState> state,
                                                           int limit) override;
  absl::StatusOr<std::vector<ChannelDeliveryCounts>> CountDeliveries(
      const std::string& subtree_path) override;
  absl::StatusOr<absl::optional<std::string>> GetNotifyMark(const std::string& key) override;
  absl::StatusOr<absl::optional<Notice>> FindNotice(const std::string& key) override;

  // Audit trail (txn_audit.cc).
  absl::StatusOr<absl::optional<AuditEntry>> GetAuditHead() override;
  absl::StatusOr<std::vector<AuditEntry>> ListAuditEntries(int64_t after_seq, int limit) override;
  absl::StatusOr<int64_t> CountAuditEntries() override;
  absl::StatusOr<bool> HasAuditEntryWithMethod(const std::string& method) override;

  // WriteTxn.
  absl::Status InsertUnit(OrgUnit& unit) override;
  absl::Status UpdateUnit(const OrgUnit& unit) override;
  absl::Status InsertReview(Review& review) override;
  absl::Status InsertRootCause(RootCause& cause) override;
  absl::Status InsertProblem(Problem& problem) override;
  absl::Status UpdateProblemText(Id problem_id, const std::string& text) override;
  absl::Status WithdrawReviewSource(Id review_id, const std::string& title) override;
  absl::Status InsertTask(Task& task) override;
  absl::Status UpdateTask(const Task& task) override;
  absl::Status InsertProgress(ProgressReport& report) override;
  absl::Status InsertExtension(ExtensionRequest& request) override;
  absl::Status UpdateExtension(const ExtensionRequest& request) override;
  absl::Status AppendEvent(Event& event) override;
  absl::StatusOr<bool> InsertFlag(const Flag& flag) override;
  absl::StatusOr<bool> ClearFlag(Id task_id, int64_t deadline_version, FlagKind kind,
                                 absl::Time when) override;
  absl::Status SaveRequest(const StoredRequest& request) override;
  absl::StatusOr<int64_t> PurgeRequests(absl::Time before) override;
  absl::Status InsertToken(ApiToken& token) override;
  absl::Status RevokeToken(int64_t id, absl::Time when) override;
  absl::Status InsertSession(WebSession& session) override;
  absl::Status DeleteSession(const std::string& secret_sha256) override;
  absl::StatusOr<int64_t> PurgeSessions(absl::Time before) override;
  absl::Status InsertSigninLink(SigninLink& link) override;
  absl::StatusOr<bool> UseSigninLink(int64_t id, absl::Time when) override;
  absl::Status InsertChannel(NotifyChannel& channel) override;
  absl::Status UpdateChannel(const NotifyChannel& channel) override;
  absl::Status DeleteChannel(Id id) override;
  absl::StatusOr<bool> EnqueueNotice(Notice& notice, const std::vector<Id>& unit_ids,
                                     bool supervision) override;
  absl::Status UpdateDelivery(const Delivery& delivery) override;
  absl::Status SetNotifyMark(const std::string& key, const std::string& value) override;
  absl::Status AppendAuditEntry(const AuditEntry& entry) override;
  std::vector<RowRef> TakeChangedRows() override;

  // Starts the next write of a batch: forgets the rows and tasks of the previous one, which a
  // savepoint may have rolled back. The group committer calls it before each write.
  void BeginWrite();

 private:
  absl::StatusOr<Statement> Sql(absl::string_view sql) { return db_.GetCachedStatement(sql); }
  // Runs a query that lists tasks and decodes every row.
  absl::StatusOr<std::vector<Task>> ReadTasks(Statement& s);
  absl::Status LoadRootCauseIds(Problem& problem);

  Connection& db_;
  // Rows written since the last TakeChangedRows. A savepoint rolled back leaves stale ones
  // here: the group committer takes them before each write, so none leak into the next.
  std::vector<RowRef> changed_;
  // Tasks as this write read or wrote them (UpdateTask takes the row the database stored back with
  // RETURNING), so that the several parts of one mutation (the audit snapshot before and after,
  // the reach check, the domain, the row digest) read the task row once. Only GetTask and
  // UpdateTask read or write single task rows, so the copy is the row; BeginWrite drops it with
  // the savepoint that may roll it back.
  std::unordered_map<Id, Task> tasks_;
};

// Negative or zero limits are the caller's mistake; the store clamps them to at least one row
// so that a paging loop always moves.
inline int64_t ClampLimit(int limit) { return limit < 1 ? 1 : limit; }

}  // namespace sql
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_SQL_LEDGER_TXN_H_
