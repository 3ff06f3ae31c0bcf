#include "services/common/labels.h"

#include <cctype>

namespace rectify {
namespace {

struct Label {
  const char* zh;
  const char* en;
};

template <size_t N>
const char* Pick(const Label (&table)[N], int i, Lang lang) {
  if (i < 0 || static_cast<size_t>(i) >= N || table[i].zh == nullptr) {
    return lang == Lang::kZh ? "未知" : "unknown";
  }
  return lang == Lang::kZh ? table[i].zh : table[i].en;
}

constexpr Label kTaskStatus[] = {
    {nullptr, nullptr},      {"待整改", "open"},   {"整改中", "in progress"},
    {"待验收", "submitted"}, {"已销号", "closed"}, {"长期坚持", "ongoing"},
    {"已撤销", "cancelled"},
};
constexpr const char* kTaskStatusNames[] = {"TASK_STATUS_UNSPECIFIED",
                                            "OPEN",
                                            "IN_PROGRESS",
                                            "SUBMITTED",
                                            "CLOSED",
                                            "ONGOING",
                                            "CANCELLED"};
constexpr Label kLight[] = {{"—", "none"}, {"绿灯", "green"}, {"黄灯", "yellow"}, {"红灯", "red"}};
constexpr Label kReviewKind[] = {
    {nullptr, nullptr},
    {"专题组织生活会", "organisational life meeting"},
    {"民主生活会", "democratic life meeting"},
    {"巡视巡察", "inspection"},
    {"审计", "audit"},
    {"专项检查", "special check"},
    {"其他", "other"},
};
constexpr Label kExtension[] = {{nullptr, nullptr},
                                {"待审批", "pending"},
                                {"已批准", "approved"},
                                {"未批准", "denied"},
                                {"已撤回", "withdrawn"}};
constexpr Label kEvent[] = {
    {nullptr, nullptr},
    {"创建", "created"},
    {"状态变更", "transition"},
    {"进展反馈", "progress"},
    {"延期申请", "extension requested"},
    {"延期审批", "extension decided"},
    {"预警", "flag raised"},
    {"解除预警", "flag cleared"},
    {"催办", "urged"},  // a person urging; 督办 is the scheduler's escalation
    {"修改", "updated"},
};
constexpr Label kFlag[] = {
    {nullptr, nullptr},  {"临期", "due soon"},      {"滞后序时进度", "behind schedule"},
    {"逾期", "overdue"}, {"逾期督办", "escalated"}, {"未按期报告", "checkpoint missed"},
};
constexpr Label kEscalation[] = {{"无", "none"}, {"一级督办", "level 1"}, {"二级督办", "level 2"}};

}  // namespace

const char* TaskStatusLabel(int s, Lang l) { return Pick(kTaskStatus, s, l); }
const char* LightLabel(int v, Lang l) { return Pick(kLight, v, l); }
const char* ReviewKindLabel(int v, Lang l) { return Pick(kReviewKind, v, l); }
const char* ExtensionStateLabel(int v, Lang l) { return Pick(kExtension, v, l); }
const char* EventKindLabel(int v, Lang l) { return Pick(kEvent, v, l); }
const char* FlagKindLabel(int v, Lang l) { return Pick(kFlag, v, l); }
const char* EscalationLabel(int v, Lang l) { return Pick(kEscalation, v, l); }

const char* TaskStatusName(int s) {
  if (s < 0 || s > 6) return "TASK_STATUS_UNSPECIFIED";
  return kTaskStatusNames[s];
}

int ParseTaskStatus(const std::string& text) {
  std::string upper;
  for (char c : text) {
    upper += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  for (int i = 1; i <= 6; ++i) {
    if (upper == kTaskStatusNames[i] || text == kTaskStatus[i].zh) return i;
  }
  return 0;
}

}  // namespace rectify
