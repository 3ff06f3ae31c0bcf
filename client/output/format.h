// Formatting of single values for people: labels in the chosen language, instants in the
// organisation's time zone, deadlines, percentages, sizes.
//
// All functions are pure and thread-safe.
#ifndef RECTIFY_CLIENT_OUTPUT_FORMAT_H_
#define RECTIFY_CLIENT_OUTPUT_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/ledger.pb.h"
#include "services/common/labels.h"

namespace rectify::client {

// The zone instants are shown in when RECTIFY_TZ is not set.
inline constexpr char kDefaultZone[] = "Asia/Shanghai";

// `zh` or `en` by `lang`: every heading and fixed phrase goes through this.
inline const char* Tr(Lang lang, const char* zh, const char* en) {
  return lang == Lang::kZh ? zh : en;
}

// "YYYY-MM-DD HH:MM" in `zone`; "" for an unset timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& ts, absl::TimeZone zone);

// Labels of the API's enums (待整改 / open, 红灯 / red, ...).
std::string StatusText(rectify::v1::TaskStatus status, Lang lang);
std::string LightText(rectify::v1::WarningLight light, Lang lang);
std::string ReviewKindText(rectify::v1::ReviewKind kind, Lang lang);
std::string ExtensionStateText(rectify::v1::ExtensionState state, Lang lang);
std::string EventKindText(rectify::v1::EventKind kind, Lang lang);

// Who did it, for people: "系统（定时任务）" for the scheduler ("system"), else the name.
std::string EventActorText(const rectify::v1::Event& event, Lang lang);

// What the actor did, to be read after EventActorText() as one sentence: the scheduler's
// "将预警调整为黄灯：临期" / "解除预警：临期"; a transition "待整改 → 整改中：<detail>"; else the
// detail as recorded.
std::string EventActionText(const rectify::v1::Event& event, Lang lang);

// The light shown in lists: none ("—") for a draft, which is not yet anyone's task.
std::string TaskLightText(const rectify::v1::Task& task, Lang lang);
std::string EscalationText(int level, Lang lang);

// The status a person should read for `task`: "草稿（待分配）" / "draft (unassigned)" for an
// imported draft that is still OPEN (not yet anyone's), else StatusText of its status: a draft
// cancelled or withdrawn with its import reads 已撤销 / cancelled.
std::string TaskStatusText(const rectify::v1::Task& task, Lang lang);

// The task's deadline, or "长期坚持（每 30 天）" / "ongoing (every 30 days)" when it has none or
// is long-term.
std::string DeadlineText(const rectify::v1::Task& task, Lang lang);

// "40%".
std::string PercentText(int percent);

// "532 B", "12.5 KB", "3.0 MB".
std::string SizeText(int64_t bytes);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_FORMAT_H_
