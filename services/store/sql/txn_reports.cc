// LedgerTxn: what the reports read — task counts for the statistics, from the counts that
// triggers keep in every write transaction (schema steps 8 and 12), or for one review from its
// tasks, and the ledger export, a keyset page at a time.
#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"

namespace rectify {
namespace sql {

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

// SUM(CASE ...) is the portable spelling of a filtered sum (no FILTER clause, no booleans
// summed), so the same text runs on PostgreSQL. `of`: the kept counts' column n, or 1 to count
// rows.
std::string SumWhen(absl::string_view condition, absl::string_view of = "n") {
  return absl::StrCat("SUM(CASE WHEN ", condition, " THEN ", of, " ELSE 0 END)");
}

const char* KeyColumn(TaskCountKey key) {
  return key == TaskCountKey::kOwnerPath ? "owner_path" : "area";
}

// The stored numbers of the task states the count queries name, in TaskStatus's order.
std::array<int, 6> StatusNumbers() {
  return {static_cast<int>(TaskStatus::kOpen),      static_cast<int>(TaskStatus::kInProgress),
          static_cast<int>(TaskStatus::kSubmitted), static_cast<int>(TaskStatus::kClosed),
          static_cast<int>(TaskStatus::kOngoing),   static_cast<int>(TaskStatus::kCancelled)};
}

}  // namespace

std::string TaskCountsSql(TaskCountKey key, bool in_subtree) {
  const auto [open, in_progress, submitted, closed, ongoing, cancelled] = StatusNumbers();
  // In the order of the TaskCounts fields that CountTasks reads, overdue excepted: it depends
  // on the day and comes from OverdueCountsSql.
  const std::vector<std::string> counts = {
      "SUM(n)",
      SumWhen(absl::StrCat("status = ", closed)),
      SumWhen(absl::StrCat("status = ", closed, " AND on_time = 1")),
      SumWhen(absl::StrCat("status IN (", open, ", ", in_progress, ")")),
      SumWhen(absl::StrCat("status = ", submitted)),
      SumWhen(absl::StrCat("status = ", ongoing)),
      SumWhen(absl::StrCat("status = ", cancelled)),
  };
  // task_counts (schema step 8) has one row per (owner, area, status, on time) with tasks in it:
  // the read follows the units and areas in the scope, not the tasks. $1 and $2 bound the
  // subtree, a range of its primary key.
  const char* column = KeyColumn(key);
  return absl::StrCat("SELECT ", column, ", ", absl::StrJoin(counts, ", "), " FROM task_counts",
                      in_subtree ? " WHERE owner_path >= $1 AND owner_path < $2" : "", " GROUP BY ",
                      column, " ORDER BY ", column);
}

std::string OverdueCountsSql(TaskCountKey key, bool in_subtree) {
  // task_due_counts counts the tasks that can be overdue by the day they fall due (the deadline
  // of an OPEN or IN_PROGRESS task, the checkpoint of an ONGOING one): overdue as of $1 is the
  // range before $1 of its primary key. Civil days are 'YYYY-MM-DD' text, so text order is
  // date order. $2 and $3 bound the subtree.
  const char* column = KeyColumn(key);
  return absl::StrCat("SELECT ", column, ", SUM(n) FROM task_due_counts WHERE due_day < $1",
                      in_subtree ? " AND owner_path >= $2 AND owner_path < $3" : "", " GROUP BY ",
                      column);
}

std::string LightCountsSql(TaskCountKey key, bool in_subtree) {
  // task_light_counts holds the active tasks by their current light; $1 and $2 bound the
  // subtree.
  const char* column = KeyColumn(key);
  auto light = [](WarningLight l) {
    return SumWhen(absl::StrCat("light = ", static_cast<int>(l)));
  };
  return absl::StrCat(
      "SELECT ", column, ", ", light(WarningLight::kRed), ", ", light(WarningLight::kYellow), ", ",
      light(WarningLight::kGreen), " FROM task_light_counts",
      in_subtree ? " WHERE owner_path >= $1 AND owner_path < $2" : "", " GROUP BY ", column);
}

std::string ReviewTaskCountsSql(TaskCountKey key, bool in_subtree) {
  const auto [open, in_progress, submitted, closed, ongoing, cancelled] = StatusNumbers();
  auto when = [](absl::string_view condition) { return SumWhen(condition, "1"); };
  const std::string active =
      absl::StrCat("status IN (", open, ", ", in_progress, ", ", submitted, ", ", ongoing, ")");
  auto light = [&](WarningLight l) {
    return when(absl::StrCat(active, " AND light = ", static_cast<int>(l)));
  };
  // The rules of the kept counts (schema steps 8 and 12) over the rows themselves, in the order
  // of the TaskCounts fields CountReviewTasks reads: on time is "closed and (no deadline or
  // close_day <= deadline)", overdue as of $1 "OPEN or IN_PROGRESS due before $1, or ONGOING
  // with a checkpoint before $1", lights those of the active tasks. Drafts are not counted.
  const std::vector<std::string> counts = {
      "COUNT(*)",
      when(absl::StrCat("status = ", closed)),
      when(absl::StrCat("status = ", closed, " AND (deadline IS NULL OR close_day <= deadline)")),
      when(absl::StrCat("status IN (", open, ", ", in_progress, ")")),
      when(absl::StrCat("status = ", submitted)),
      when(absl::StrCat("status = ", ongoing)),
      when(absl::StrCat("(status IN (", open, ", ", in_progress,
                        ") AND deadline < $1) OR (status = ", ongoing,
                        " AND checkpoint_due < $1)")),
      when(absl::StrCat("status = ", cancelled)),
      light(WarningLight::kRed),
      light(WarningLight::kYellow),
      light(WarningLight::kGreen),
  };
  const char* column = KeyColumn(key);
  return absl::StrCat("SELECT ", column, ", ", absl::StrJoin(counts, ", "),
                      " FROM tasks WHERE review_id = $2 AND draft = 0",
                      in_subtree ? " AND owner_path >= $3 AND owner_path < $4" : "", " GROUP BY ",
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

absl::StatusOr<std::vector<KeyedTaskCounts>> LedgerTxn::CountTasks(const std::string& subtree_path,
                                                                   TaskCountKey key,
                                                                   absl::CivilDay overdue_as_of) {
  const bool in_subtree = !subtree_path.empty();
  PathRange range;
  if (in_subtree) {
    ASSIGN_OR_RETURN(range, SubtreeRange(subtree_path, "subtree_path"));
  }
  std::vector<KeyedTaskCounts> rows;
  std::map<std::string, size_t> index_of_key;
  {
    ASSIGN_OR_RETURN(Statement s, Sql(TaskCountsSql(key, in_subtree)));
    Params p(s);
    if (in_subtree) p.Text(range.lo).Text(range.hi);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      RowReader r(s);
      KeyedTaskCounts k;
      k.key = r.Text();
      k.counts.total = r.Int64();
      k.counts.closed = r.Int64();
      k.counts.closed_on_time = r.Int64();
      k.counts.in_progress = r.Int64();
      k.counts.submitted = r.Int64();
      k.counts.ongoing = r.Int64();
      k.counts.cancelled = r.Int64();
      RETURN_IF_ERROR(r.status());
      index_of_key[k.key] = rows.size();
      rows.push_back(std::move(k));
    }
  }
  // Every task counted as due or by its light is also counted in task_counts (the tables are
  // kept by triggers on the same writes): a key missing there means the counts are damaged.
  auto row_of = [&](const std::string& k) -> absl::StatusOr<TaskCounts*> {
    auto it = index_of_key.find(k);
    if (it == index_of_key.end()) {
      return absl::DataLossError(Bilingual(absl::StrCat("统计计数不一致：", k),
                                           absl::StrCat("the statistics counts disagree for ", k)));
    }
    return &rows[it->second].counts;
  };
  {
    ASSIGN_OR_RETURN(Statement s, Sql(OverdueCountsSql(key, in_subtree)));
    Params p(s);
    p.Day(overdue_as_of);
    if (in_subtree) p.Text(range.lo).Text(range.hi);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      RowReader r(s);
      const std::string k = r.Text();
      const int64_t overdue = r.Int64();
      RETURN_IF_ERROR(r.status());
      ASSIGN_OR_RETURN(TaskCounts * counts, row_of(k));
      counts->overdue = overdue;
    }
  }
  ASSIGN_OR_RETURN(Statement s, Sql(LightCountsSql(key, in_subtree)));
  Params p(s);
  if (in_subtree) p.Text(range.lo).Text(range.hi);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return rows;
    RowReader r(s);
    const std::string k = r.Text();
    const int64_t red = r.Int64();
    const int64_t yellow = r.Int64();
    const int64_t green = r.Int64();
    RETURN_IF_ERROR(r.status());
    ASSIGN_OR_RETURN(TaskCounts * counts, row_of(k));
    counts->red = red;
    counts->yellow = yellow;
    counts->green = green;
  }
}

absl::StatusOr<std::vector<KeyedTaskCounts>> LedgerTxn::CountReviewTasks(
    Id review_id, const std::string& subtree_path, TaskCountKey key, absl::CivilDay overdue_as_of) {
  const bool in_subtree = !subtree_path.empty();
  PathRange range;
  if (in_subtree) {
    ASSIGN_OR_RETURN(range, SubtreeRange(subtree_path, "subtree_path"));
  }
  ASSIGN_OR_RETURN(Statement s, Sql(ReviewTaskCountsSql(key, in_subtree)));
  Params p(s);
  p.Day(overdue_as_of).Int64(review_id);
  if (in_subtree) p.Text(range.lo).Text(range.hi);
  std::vector<KeyedTaskCounts> rows;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return rows;
    RowReader r(s);
    KeyedTaskCounts k;
    k.key = r.Text();
    for (int64_t* field :
         {&k.counts.total, &k.counts.closed, &k.counts.closed_on_time, &k.counts.in_progress,
          &k.counts.submitted, &k.counts.ongoing, &k.counts.overdue, &k.counts.cancelled,
          &k.counts.red, &k.counts.yellow, &k.counts.green}) {
      *field = r.Int64();
    }
    RETURN_IF_ERROR(r.status());
    rows.push_back(std::move(k));
  }
}

absl::StatusOr<std::vector<LedgerEntry>> LedgerTxn::ListLedgerEntries(const LedgerEntryQuery& q) {
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

}  // namespace sql
}  // namespace rectify
