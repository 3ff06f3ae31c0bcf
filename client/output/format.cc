#include "client/output/format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rectify::client {

std::string FormatTimestamp(const google::protobuf::Timestamp& ts, absl::TimeZone zone) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  const absl::Time t = absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M", t, zone);
}

std::string StatusText(rectify::v1::TaskStatus status, Lang lang) {
  return TaskStatusLabel(static_cast<int>(status), lang);
}

std::string TaskStatusText(const rectify::v1::Task& task, Lang lang) {
  if (task.draft()) return Tr(lang, "草稿（待分配）", "draft (unassigned)");
  return StatusText(task.status(), lang);
}

std::string LightText(rectify::v1::WarningLight light, Lang lang) {
  return LightLabel(static_cast<int>(light), lang);
}

std::string ReviewKindText(rectify::v1::ReviewKind kind, Lang lang) {
  return ReviewKindLabel(static_cast<int>(kind), lang);
}

std::string ExtensionStateText(rectify::v1::ExtensionState state, Lang lang) {
  return ExtensionStateLabel(static_cast<int>(state), lang);
}

std::string EventKindText(rectify::v1::EventKind kind, Lang lang) {
  return EventKindLabel(static_cast<int>(kind), lang);
}

std::string EscalationText(int level, Lang lang) { return EscalationLabel(level, lang); }

std::string DeadlineText(const rectify::v1::Task& task, Lang lang) {
  // A long-term task keeps its old date for the record, but its checkpoints are what count.
  const bool ongoing = task.status() == rectify::v1::ONGOING;
  if (!task.deadline().empty() && !ongoing) return task.deadline();
  if (task.cadence_days() > 0) {
    return lang == Lang::kZh ? absl::StrCat("长期坚持（每 ", task.cadence_days(), " 天）")
                             : absl::StrCat("ongoing (every ", task.cadence_days(), " days)");
  }
  return "";
}

std::string PercentText(int percent) { return absl::StrCat(percent, "%"); }

std::string SizeText(int64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  if (bytes < 1024 * 1024) return absl::StrFormat("%.1f KB", bytes / 1024.0);
  return absl::StrFormat("%.1f MB", bytes / (1024.0 * 1024.0));
}

}  // namespace rectify::client
