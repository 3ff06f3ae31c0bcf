// SqliteTxn: what the reports read — task counts for the statistics, aggregated in SQL, and the
// ledger export, a keyset page at a time.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/civil.h"
#include "services/common/status_macros.h"
#include "services/store/sqlite/row_codec.h"
#include "services/store/sqlite/sqlite_txn.h"

namespace rectify {
namespace sqlite {

namespace {

// "t.id, t.problem_id, ...": the task columns of the export's join, in ReadTask's order.
const std::vector<std::string>& PrefixedTaskColumns() {
  static const auto* columns = [] {
    auto* out = new std::vector<std::string>();
    for (absl::string_view c : absl::StrSplit(kTaskColumns, ", ")) {
      out->push_back(absl::StrCat("t.", c));
    }
    return out;
  }();
  return *columns;
}

// SUM(CASE ...) is the portable spelling of a filtered count (no FILTER clause, no booleans
// summed), so the same text runs on PostgreSQL.
std::string CountWhen(absl::string_view condition) {
  return absl::StrCat("SUM(CASE WHEN ", condition, " THEN 1 ELSE 0 END)");
}

}  // namespace

std::string CountTasksSql(TaskCountKey key, bool in_subtree) {
  const int open = static_cast<int>(TaskStatus::kOpen);
  const int in_progress = static_cast<int>(TaskStatus::kInProgress);
  const int submitted = static_cast<int>(TaskStatus::kSubmitted);
  const int closed = static_cast<int>(TaskStatus::kClosed);
  const int ongoing = static_cast<int>(TaskStatus::kOngoing);
  const int cancelled = static_cast<int>(TaskStatus::kCancelled);
  const std::string working = absl::StrCat("status IN (", open, ", ", in_progress, ")");
  const char* column = key == TaskCountKey::kOwnerPath ? "owner_path" : "area";
  // In the order of the TaskCounts fields that CountTasks reads. $1 is the day overdue is
  // counted as of; civil days are 'YYYY-MM-DD' text, so comparing them as text compares the
  // dates, and a NULL deadline or checkpoint compares as unknown: such a task is never overdue.
  const std::vector<std::string> counts = {
      "COUNT(*)",
      CountWhen(absl::StrCat("status = ", closed)),
      CountWhen(
          absl::StrCat("status = ", closed, " AND (deadline IS NULL OR close_day <= deadline)")),
      CountWhen(working),
      CountWhen(absl::StrCat("status = ", submitted)),
      CountWhen(absl::StrCat("status = ", ongoing)),
      CountWhen(absl::StrCat("(", working, " AND deadline < $1) OR (status = ", ongoing,
                             " AND checkpoint_due < $1)")),
      CountWhen(absl::StrCat("status = ", cancelled)),
  };
  // tasks_statistics holds every column used here: the count reads the index alone, never the
  // table. $2 and $3 bound the subtree.
  return absl::StrCat("SELECT ", column, ", ", absl::StrJoin(counts, ", "),
                      " FROM tasks WHERE draft = 0",
                      in_subtree ? " AND owner_path >= $2 AND owner_path < $3" : "", " GROUP BY ",
                      column, " ORDER BY ", column);
}

std::string LedgerEntriesSql(const LedgerEntryQuery& q, Conditions& where) {
  if (q.review_id != 0) where.Add(absl::StrCat("p.review_id = ", where.Value(q.review_id)));
  bool in_subtree = !q.subtree_path.empty();
  if (in_subtree) {
    // SubtreeRange was checked by the caller; an invalid path never gets here.
    PathRange range = SubtreeRange(q.subtree_path, "subtree_path").value();
    const std::string lo = where.Value(range.lo);
    const std::string hi = where.Value(range.hi);
    where.Add(absl::StrCat("((t.owner_path >= ", lo, " AND t.owner_path < ", hi,
                           ") OR (t.id IS NULL AND ru.path >= ", lo, " AND ru.path < ", hi, "))"));
  }
  // Keyset continuation. The first term lets the scan start at the cursor in the problems
  // index (review_id, seq); the second skips what the previous page already had.
  const std::string review = where.Value(q.after_review_id);
  const std::string seq = where.Value(int64_t{q.after_problem_seq});
  const std::string task = where.Value(q.after_task_id);
  where.Add(absl::StrCat("(p.review_id, p.seq) >= (", review, ", ", seq, ")"));
  where.Add(absl::StrCat("(p.review_id, p.seq, COALESCE(t.id, 0)) > (", review, ", ", seq, ", ",
                         task, ")"));
  const std::string limit = where.Value(ClampLimit(q.limit));
  return absl::StrCat("SELECT ", absl::StrJoin(PrefixedTaskColumns(), ", "),
                      ", p.id, p.review_id, p.seq, p.area, p.text, rv.title, ou.name "
                      "FROM problems p JOIN reviews rv ON rv.id = p.review_id ",
                      in_subtree ? "JOIN units ru ON ru.id = rv.unit_id " : "",
                      "LEFT JOIN tasks t ON t.problem_id = p.id "
                      "LEFT JOIN units ou ON ou.id = t.owner_unit_id",
                      where.Where(), " ORDER BY p.review_id, p.seq, t.id NULLS FIRST LIMIT ",
                      limit);
}

absl::StatusOr<std::vector<KeyedTaskCounts>> SqliteTxn::CountTasks(const std::string& subtree_path,
                                                                   TaskCountKey key,
                                                                   absl::CivilDay overdue_as_of) {
  const bool in_subtree = !subtree_path.empty();
  PathRange range;
  if (in_subtree) {
    ASSIGN_OR_RETURN(range, SubtreeRange(subtree_path, "subtree_path"));
  }
  ASSIGN_OR_RETURN(Statement s, Sql(CountTasksSql(key, in_subtree)));
  Params p(s);
  p.Day(overdue_as_of);
  if (in_subtree) p.Text(range.lo).Text(range.hi);
  std::vector<KeyedTaskCounts> rows;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return rows;
    RowReader r(s);
    KeyedTaskCounts k;
    k.key = r.Text();
    k.counts.total = r.Int64();
    k.counts.closed = r.Int64();
    k.counts.closed_on_time = r.Int64();
    k.counts.in_progress = r.Int64();
    k.counts.submitted = r.Int64();
    k.counts.ongoing = r.Int64();
    k.counts.overdue = r.Int64();
    k.counts.cancelled = r.Int64();
    RETURN_IF_ERROR(r.status());
    rows.push_back(std::move(k));
  }
}

absl::StatusOr<std::vector<LedgerEntry>> SqliteTxn::ListLedgerEntries(const LedgerEntryQuery& q) {
  if (!q.subtree_path.empty()) {
    RETURN_IF_ERROR(SubtreeRange(q.subtree_path, "subtree_path").status());
  }
  Conditions where;
  ASSIGN_OR_RETURN(Statement s, Sql(LedgerEntriesSql(q, where)));
  where.BindAll(s);
  const int task_columns = static_cast<int>(PrefixedTaskColumns().size());
  std::vector<LedgerEntry> entries;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return entries;
    LedgerEntry e;
    if (!s.ColumnIsNull(0)) {  // t.id: NULL for a problem without tasks
      ASSIGN_OR_RETURN(e.task, ReadTask(s));
    }
    RowReader r(s);
    for (int i = 0; i < task_columns; ++i) r.Skip();
    e.problem.id = r.Int64();
    e.problem.review_id = r.Int64();
    e.problem.seq = r.Int();
    e.problem.area = r.Text();
    e.problem.text = r.Text();
    e.review_title = r.Text();
    e.owner_unit_name = r.Text();  // NULL (no task) reads as ""
    RETURN_IF_ERROR(r.status());
    entries.push_back(std::move(e));
  }
}

}  // namespace sqlite
}  // namespace rectify
