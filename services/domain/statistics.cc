// 整改进度统计: counts per unit (rolled up the org tree) or per area, with completion and on-time
// rates.
#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/domain/reports.h"

namespace rectify {
namespace {

// Units read per store call. The unit tree is small (hundreds of units); tasks are never loaded.
constexpr int kUnitPage = 1000;
// Each level of a unit path is one zero-padded id and a '/' ("/0000000001/0000000005/").
constexpr size_t kPathLevel = 11;

absl::optional<double> Ratio(int64_t part, int64_t whole) {
  if (whole <= 0) return absl::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

void SetRates(StatisticsLine& line) {
  line.completion_rate = CompletionRate(line.counts);
  line.on_time_rate = OnTimeRate(line.counts);
}

// Every unit of the scope in tree order, each with its subtree's counts: the store's counts per
// owner unit are added to the unit and to each of its ancestors inside the scope.
absl::Status ByUnit(ReadTxn& tx, const StatisticsData& data,
                    const std::vector<KeyedTaskCounts>& per_owner,
                    std::vector<StatisticsLine>& out) {
  std::map<std::string, size_t> index_of_path;
  std::string after;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<OrgUnit> units, tx.ListUnits(data.scope.path, after, kUnitPage));
    for (const OrgUnit& unit : units) {
      StatisticsLine line;
      line.unit_id = unit.id;
      line.unit_name = unit.name;
      line.depth = unit.depth - data.scope.depth;
      index_of_path[unit.path] = out.size();
      out.push_back(std::move(line));
    }
    if (static_cast<int>(units.size()) < kUnitPage) break;
    after = units.back().path;
  }
  for (const KeyedTaskCounts& owner : per_owner) {
    // The path's prefixes ending at a '/' are the unit's ancestors and the unit itself; those
    // above the scope are not in the index and are skipped.
    for (size_t end = kPathLevel + 1; end <= owner.key.size(); end += kPathLevel) {
      auto it = index_of_path.find(owner.key.substr(0, end));
      if (it != index_of_path.end()) out[it->second].counts += owner.counts;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::optional<double> CompletionRate(const TaskCounts& c) {
  return Ratio(c.closed, c.total - c.cancelled);
}

absl::optional<double> OnTimeRate(const TaskCounts& c) { return Ratio(c.closed_on_time, c.closed); }

absl::StatusOr<StatisticsData> RunStatistics(const Ledger& ledger, const StatisticsQuery& q) {
  if (q.by < 0 || q.by > static_cast<int>(StatisticsDimension::kArea)) {
    return InvalidField("by", absl::StrCat("未知的统计维度 ", q.by),
                        absl::StrCat("unknown dimension ", q.by));
  }
  if (q.review_id < 0) {
    return InvalidField("review_id", "必须是正整数编号", "must be a positive id");
  }
  StatisticsData data;
  data.by = static_cast<StatisticsDimension>(q.by);
  ASSIGN_OR_RETURN(data.as_of, ResolveAsOf(ledger, q.as_of));
  RETURN_IF_ERROR(ledger.store()->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(data.scope, ResolveScope(tx, q.unit_id));
    const TaskCountKey key =
        data.by == StatisticsDimension::kUnit ? TaskCountKey::kOwnerPath : TaskCountKey::kArea;
    std::vector<KeyedTaskCounts> rows;
    if (q.review_id != 0) {
      // The kept counts are per unit and area only: one review's come from its own tasks.
      RETURN_IF_ERROR(tx.GetReview(q.review_id).status());
      ASSIGN_OR_RETURN(rows, tx.CountReviewTasks(q.review_id, data.scope.path, key, data.as_of));
    } else {
      ASSIGN_OR_RETURN(rows, tx.CountTasks(data.scope.path, key, data.as_of));
    }
    for (const KeyedTaskCounts& row : rows) data.total.counts += row.counts;
    if (data.by == StatisticsDimension::kUnit) return ByUnit(tx, data, rows, data.lines);
    for (KeyedTaskCounts& row : rows) {
      StatisticsLine line;
      line.area = std::move(row.key);
      line.counts = row.counts;
      data.lines.push_back(std::move(line));
    }
    std::stable_sort(data.lines.begin(), data.lines.end(),
                     [](const StatisticsLine& a, const StatisticsLine& b) {
                       return a.counts.total > b.counts.total;  // then by name: the store's order
                     });
    return absl::OkStatus();
  }));
  for (StatisticsLine& line : data.lines) SetRates(line);
  SetRates(data.total);
  return data;
}

}  // namespace rectify
