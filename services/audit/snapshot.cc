#include "services/audit/snapshot.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/common/civil.h"
#include "services/common/labels.h"

namespace rectify::audit {
namespace {

constexpr char kVersionKey[] = R"({"v":2)";

std::string Int(int64_t v) { return absl::StrCat(v); }

std::string Instant(absl::Time t) {
  return JsonString(absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", t, absl::UTCTimeZone()));
}

std::string Instant(const absl::optional<absl::Time>& t) {
  return t.has_value() ? Instant(*t) : "null";
}

std::string Day(const absl::optional<absl::CivilDay>& d) {
  return d.has_value() ? JsonString(FormatDay(*d)) : "null";
}

const char* LightName(WarningLight light) {
  switch (light) {
    case WarningLight::kNone:
      return "\"none\"";
    case WarningLight::kGreen:
      return "\"green\"";
    case WarningLight::kYellow:
      return "\"yellow\"";
    case WarningLight::kRed:
      return "\"red\"";
  }
  return "null";
}

// {"v":2,"name":{"field":value,...},...} of the fields `side` has and `other` lacks or differs
// in, for every object of either.
std::string ChangedFields(const std::map<std::string, Fields>& side,
                          const std::map<std::string, Fields>& other) {
  static const Fields kNone;
  std::string out = kVersionKey;
  for (const auto& [name, fields] : side) {
    auto it = other.find(name);
    const Fields& theirs = it == other.end() ? kNone : it->second;
    std::string changed;
    for (const auto& [field, value] : fields) {
      auto t = theirs.find(field);
      if (t != theirs.end() && t->second == value) continue;
      absl::StrAppend(&changed, changed.empty() ? "" : ",", JsonString(field), ":", value);
    }
    if (changed.empty()) continue;
    absl::StrAppend(&out, ",", JsonString(name), ":{", changed, "}");
  }
  out += "}";
  return out;
}

}  // namespace

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      absl::StrAppend(&out, "\\u00", absl::Hex(c, absl::kZeroPad2));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out += "\"";
  return out;
}

Fields TaskFields(const Task& t) {
  return Fields{
      {"id", Int(t.id)},
      {"problem_id", Int(t.problem_id)},
      {"review_id", Int(t.review_id)},
      {"area", JsonString(t.area)},
      {"measure", JsonString(t.measure)},
      {"owner_unit_id", Int(t.owner_unit_id)},
      {"owner_path", JsonString(t.owner_path)},
      {"owner_person", JsonString(t.owner_person)},
      {"leader", JsonString(t.leader)},
      {"deadline", Day(t.deadline)},
      {"cadence_days", Int(t.cadence_days)},
      {"status", JsonString(TaskStatusName(static_cast<int>(t.status)))},
      {"progress_percent", Int(t.progress_percent)},
      {"version", Int(t.version)},
      {"deadline_version", Int(t.deadline_version)},
      {"light", LightName(t.light)},
      {"escalation_level", Int(t.escalation_level)},
      {"status_note", JsonString(t.status_note)},
      {"latest_progress", JsonString(t.latest_progress)},
      {"create_time", Instant(t.create_time)},
      {"update_time", Instant(t.update_time)},
      {"close_time", Instant(t.close_time)},
      {"close_day", Day(t.close_day)},
      {"last_report_time", Instant(t.last_report_time)},
      {"ongoing_since", Instant(t.ongoing_since)},
      {"checkpoint_due", Day(t.checkpoint_due)},
      {"draft", t.draft ? "true" : "false"},
  };
}

Fields UnitFields(const OrgUnit& u) {
  return Fields{
      {"id", Int(u.id)},
      {"name", JsonString(u.name)},
      {"parent_id", Int(u.parent_id)},
      {"path", JsonString(u.path)},
      {"depth", Int(u.depth)},
      {"version", Int(u.version)},
      {"create_time", Instant(u.create_time)},
  };
}

void Snapshot::Add(const Task& task) {
  objects_[absl::StrCat("task/", task.id)] = TaskFields(task);
}

void Snapshot::Add(const OrgUnit& unit) {
  objects_[absl::StrCat("unit/", unit.id)] = UnitFields(unit);
}

ChangeText DescribeChange(const Snapshot& before, const Snapshot& after) {
  return ChangeText{ChangedFields(before.objects(), after.objects()),
                    ChangedFields(after.objects(), before.objects())};
}

int SnapshotFormat(absl::string_view text) {
  return absl::StartsWith(text, R"({"v":2,)") || text == R"({"v":2})" ? 2 : 1;
}

}  // namespace rectify::audit
