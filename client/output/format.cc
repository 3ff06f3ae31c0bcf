#include "client/output/format.h"

#include "absl/strings/match.h"
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
  // A draft is OPEN until it is assigned; a cancelled or withdrawn draft is cancelled (已撤销),
  // whatever its draft flag still says.
  if (task.draft() && task.status() == rectify::v1::OPEN) {
    return Tr(lang, "草稿（待分配）", "draft (unassigned)");
  }
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

std::string EventActorText(const rectify::v1::Event& event, Lang lang) {
  if (event.actor() == "system") return Tr(lang, "系统（定时任务）", "system (scheduler)");
  return event.actor();
}

std::string EventActionText(const rectify::v1::Event& event, Lang lang) {
  namespace v1 = rectify::v1;
  const std::string& detail = event.detail();
  if (event.kind() == v1::EVENT_TRANSITION) {
    const std::string arrow = absl::StrCat(StatusText(event.from_status(), lang), " → ",
                                           StatusText(event.to_status(), lang));
    if (detail.empty()) return arrow;
    // The server's (Chinese) detail may already say what the transition was; not twice.
    if (absl::StartsWith(detail, arrow)) return detail;
    return absl::StrCat(arrow, Tr(lang, "：", ": "), detail);
  }
  if (event.kind() != v1::EVENT_FLAG_RAISED && event.kind() != v1::EVENT_FLAG_CLEARED) {
    return detail;
  }
  // The detail starts with the flag's Chinese name ("临期", "逾期督办：…"); longest name first, as
  // "逾期" begins "逾期督办".
  int flag = 0;
  size_t flag_len = 0;
  for (int k = 1; k <= 5; ++k) {
    const std::string name = FlagKindLabel(k, Lang::kZh);
    if (absl::StartsWith(detail, name) && name.size() > flag_len) {
      flag = k;
      flag_len = name.size();
    }
  }
  const std::string what =
      flag == 0 ? detail : absl::StrCat(FlagKindLabel(flag, lang), detail.substr(flag_len));
  if (event.kind() == v1::EVENT_FLAG_CLEARED) {
    return absl::StrCat(Tr(lang, "解除预警：", "cleared the warning: "), what);
  }
  // Due soon and behind schedule are yellow; overdue, escalated and a missed checkpoint red.
  const bool yellow = flag == 1 || flag == 2;
  return absl::StrCat(Tr(lang, "将预警调整为", "set the light to "),
                      yellow ? Tr(lang, "黄灯", "yellow") : Tr(lang, "红灯", "red"),
                      Tr(lang, "：", ": "), what);
}

std::string TaskLightText(const rectify::v1::Task& task, Lang lang) {
  if (task.draft()) return "—";
  return LightText(task.light(), lang);
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
