#include "services/audit/row_state.h"

#include <cstdint>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/civil.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"

namespace rectify::audit {
namespace {

// The same length-prefixed fields as the chain's encoding: no two rows encode alike however
// their texts are split.
class Encoder {
 public:
  explicit Encoder(absl::string_view tag) { Add(tag); }
  Encoder& Add(absl::string_view v) {
    const uint64_t n = v.size();
    for (int shift = 56; shift >= 0; shift -= 8)
      out_.push_back(static_cast<char>((n >> shift) & 0xFF));
    out_.append(v.data(), v.size());
    return *this;
  }
  Encoder& Int(int64_t v) { return Add(absl::StrCat(v)); }
  Encoder& Time(absl::Time t) { return Int(absl::ToUnixMicros(t)); }
  Encoder& Time(const absl::optional<absl::Time>& t) {
    return t.has_value() ? Add(absl::StrCat("t", absl::ToUnixMicros(*t))) : Add("-");
  }
  Encoder& Day(const absl::optional<absl::CivilDay>& d) {
    return d.has_value() ? Add(FormatDay(*d)) : Add("-");
  }
  std::string Digest() const { return Sha256Hex(out_); }

 private:
  std::string out_;
};

constexpr int kPage = 500;

}  // namespace

std::string RowName(const RowRef& ref) {
  switch (ref.kind) {
    case RowRef::Kind::kUnit:
      return absl::StrCat("unit/", ref.id);
    case RowRef::Kind::kTask:
      return absl::StrCat("task/", ref.id);
    case RowRef::Kind::kProgress:
      return absl::StrCat("progress/", ref.id);
    case RowRef::Kind::kExtension:
      return absl::StrCat("extension/", ref.id);
  }
  return "";
}

std::string RowDigest(const OrgUnit& u) {
  return Encoder("rectify.row.unit.v1")
      .Int(u.id)
      .Add(u.name)
      .Int(u.parent_id)
      .Add(u.path)
      .Int(u.depth)
      .Int(u.version)
      .Time(u.create_time)
      .Digest();
}

std::string RowDigest(const Task& t) {
  return Encoder("rectify.row.task.v1")
      .Int(t.id)
      .Int(t.problem_id)
      .Int(t.review_id)
      .Add(t.area)
      .Add(t.measure)
      .Int(t.owner_unit_id)
      .Add(t.owner_path)
      .Add(t.owner_person)
      .Add(t.leader)
      .Day(t.deadline)
      .Int(t.cadence_days)
      .Int(static_cast<int64_t>(t.status))
      .Int(t.progress_percent)
      .Int(t.version)
      .Int(t.deadline_version)
      .Int(static_cast<int64_t>(t.light))
      .Int(t.escalation_level)
      .Add(t.status_note)
      .Add(t.latest_progress)
      .Time(t.create_time)
      .Time(t.update_time)
      .Time(t.close_time)
      .Day(t.close_day)
      .Time(t.last_report_time)
      .Time(t.ongoing_since)
      .Day(t.checkpoint_due)
      .Int(t.draft ? 1 : 0)
      .Digest();
}

std::string RowDigest(const ProgressReport& r) {
  Encoder e("rectify.row.progress.v1");
  e.Int(r.id).Int(r.task_id).Add(r.reporter).Time(r.report_time).Add(r.text).Int(r.percent);
  e.Int(static_cast<int64_t>(r.evidence.size()));
  for (const Evidence& ev : r.evidence) {
    e.Int(ev.id).Add(ev.file_name).Add(ev.media_type).Int(ev.size_bytes).Add(ev.sha256_hex);
  }
  return e.Digest();
}

std::string RowDigest(const ExtensionRequest& x) {
  return Encoder("rectify.row.extension.v1")
      .Int(x.id)
      .Int(x.task_id)
      .Day(x.old_deadline)
      .Day(absl::optional<absl::CivilDay>(x.requested_deadline))
      .Add(x.reason)
      .Add(x.requested_by)
      .Time(x.request_time)
      .Int(static_cast<int64_t>(x.state))
      .Add(x.decided_by)
      .Time(x.decide_time)
      .Add(x.decision_note)
      .Digest();
}

absl::StatusOr<std::string> DescribeRows(ReadTxn& tx, const std::vector<RowRef>& refs) {
  std::map<std::string, std::string> rows;
  std::set<std::pair<int, Id>> seen;
  for (const RowRef& ref : refs) {
    if (!seen.insert({static_cast<int>(ref.kind), ref.id}).second) continue;
    const std::string name = RowName(ref);
    switch (ref.kind) {
      case RowRef::Kind::kUnit: {
        absl::StatusOr<OrgUnit> unit = tx.GetUnit(ref.id);
        if (absl::IsNotFound(unit.status())) {
          rows[name] = kDeletedRow;
          continue;
        }
        RETURN_IF_ERROR(unit.status());
        rows[name] = RowDigest(*unit);
        break;
      }
      case RowRef::Kind::kTask: {
        absl::StatusOr<Task> task = tx.GetTask(ref.id);
        if (absl::IsNotFound(task.status())) {
          rows[name] = kDeletedRow;
          continue;
        }
        RETURN_IF_ERROR(task.status());
        rows[name] = RowDigest(*task);
        break;
      }
      case RowRef::Kind::kProgress: {
        // The one report, not the task's list: a task's reports only grow, and reading all of
        // them for each new one made every report cost more than the last.
        absl::StatusOr<ProgressReport> report = tx.GetProgress(ref.id);
        if (absl::IsNotFound(report.status())) {
          rows[name] = kDeletedRow;
          continue;
        }
        RETURN_IF_ERROR(report.status());
        rows[name] = RowDigest(*report);
        break;
      }
      case RowRef::Kind::kExtension: {
        absl::StatusOr<ExtensionRequest> x = tx.GetExtension(ref.id);
        if (absl::IsNotFound(x.status())) {
          rows[name] = kDeletedRow;
          continue;
        }
        RETURN_IF_ERROR(x.status());
        rows[name] = RowDigest(*x);
        break;
      }
    }
  }
  std::string out;
  for (const auto& [name, digest] : rows) absl::StrAppend(&out, name, " ", digest, "\n");
  return out;
}

std::map<std::string, std::string> ParseRows(absl::string_view rows) {
  std::map<std::string, std::string> out;
  for (absl::string_view line : absl::StrSplit(rows, '\n', absl::SkipEmpty())) {
    const size_t space = line.find(' ');
    if (space == absl::string_view::npos) continue;
    out[std::string(line.substr(0, space))] = std::string(line.substr(space + 1));
  }
  return out;
}

absl::Status ForEachRow(ReadTxn& tx,
                        const std::function<void(const std::string&, const std::string&)>& fn) {
  std::string after_path;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<OrgUnit> units, tx.ListUnits("", after_path, kPage));
    for (const OrgUnit& u : units) fn(absl::StrCat("unit/", u.id), RowDigest(u));
    if (static_cast<int>(units.size()) < kPage) break;
    after_path = units.back().path;
  }
  TaskQuery query;
  query.limit = kPage;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<Task> tasks, tx.ListTasks(query));
    for (const Task& t : tasks) {
      fn(absl::StrCat("task/", t.id), RowDigest(t));
      ASSIGN_OR_RETURN(std::vector<ProgressReport> reports, tx.ListProgress(t.id));
      for (const ProgressReport& r : reports) fn(absl::StrCat("progress/", r.id), RowDigest(r));
      ASSIGN_OR_RETURN(std::vector<ExtensionRequest> xs, tx.ListExtensions(t.id));
      for (const ExtensionRequest& x : xs) fn(absl::StrCat("extension/", x.id), RowDigest(x));
    }
    if (static_cast<int>(tasks.size()) < kPage) break;
    query.after_id = tasks.back().id;
    query.after_deadline = tasks.back().deadline;
  }
  return absl::OkStatus();
}

}  // namespace rectify::audit
