// Chinese-first labels for everything a user reads: states, lights, review kinds, events,
// flags. English is available for every label.
//
// Values are the enum numbers shared by the domain model and the proto, so that the client can
// label what it receives without the domain and the server can label what it stores.
#ifndef RECTIFY_SERVICES_COMMON_LABELS_H_
#define RECTIFY_SERVICES_COMMON_LABELS_H_

#include <string>

namespace rectify {

enum class Lang { kZh, kEn };

// Task status 1..6 (待整改 … 已撤销); "未知"/"unknown" otherwise.
const char* TaskStatusLabel(int status, Lang lang = Lang::kZh);
// Warning light 0..3 (无, 绿灯, 黄灯, 红灯).
const char* LightLabel(int light, Lang lang = Lang::kZh);
// Review kind 1..6.
const char* ReviewKindLabel(int kind, Lang lang = Lang::kZh);
// Extension state 1..3 (待审批, 已批准, 未批准).
const char* ExtensionStateLabel(int state, Lang lang = Lang::kZh);
// Event kind 1..9.
const char* EventKindLabel(int kind, Lang lang = Lang::kZh);
// Flag kind 1..5 (临期, 滞后序时进度, 逾期, 逾期督办, 未按期报告).
const char* FlagKindLabel(int kind, Lang lang = Lang::kZh);
// Escalation level 0..2 (无, 一级督办, 二级督办).
const char* EscalationLabel(int level, Lang lang = Lang::kZh);

// Machine name of a task status, as in the proto ("OPEN", "IN_PROGRESS", ...), and back
// (accepts the machine name in any case, or the Chinese label); 0 when unknown.
const char* TaskStatusName(int status);
int ParseTaskStatus(const std::string& text);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_COMMON_LABELS_H_
