#include "services/auth/permissions.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/model/principal.h"

namespace rectify::auth {
namespace {

// C: committee, B: branch, S: supervisor.
constexpr bool Y = true;
constexpr bool N = false;
// What an audited change names as its target (AuditTarget).
constexpr AuditTarget An = AuditTarget::kAnswer;
constexpr AuditTarget Tk = AuditTarget::kTask;
constexpr AuditTarget Ex = AuditTarget::kExtensionTask;
constexpr AuditTarget Un = AuditTarget::kUnit;
constexpr AuditTarget Rs = AuditTarget::kTaskRows;

std::vector<MethodRule> BuildRules() {
  return {
      // clang-format off
      // One row per RPC: who may call it (C committee, B branch, S supervisor; root: only when
      // bound to the root unit; RS: the root's supervisor too), what its audit entry names as
      // the target, the action in words for refusals (a branch secretary reads "不能验收销号",
      // not "不能调用 AcceptTask"), and what the caller reaches.
      // method                                          C  B  S  root RS audit  words
      {"/rectify.v1.OrgService/CreateUnit",               Y, N, N, N, N, An, "新建单位", "create a unit",
       "上级单位在子树内 / parent in subtree"},
      {"/rectify.v1.OrgService/GetUnit",                  Y, Y, Y, N, N, An, "查看单位", "read a unit",
       "子树 / subtree"},
      {"/rectify.v1.OrgService/ListUnits",                Y, Y, Y, N, N, An, "查看单位列表", "list units",
       "子树 / subtree"},
      {"/rectify.v1.OrgService/RenameUnit",               Y, N, N, N, N, Un, "修改单位名称", "rename a unit",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/CreateReview",          Y, N, N, N, N, An, "登记检视", "register a review",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/GetReview",             Y, Y, Y, N, N, An, "查看检视", "read a review",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/ListReviews",           Y, Y, Y, N, N, An, "查看检视列表", "list reviews",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/CreateRootCause",       Y, N, N, N, N, An, "登记根源剖析", "register a root cause",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/CreateProblem",         Y, N, N, N, N, An, "登记问题", "register a problem",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/ListProblems",          Y, Y, Y, N, N, An, "查看问题清单", "list problems",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/CreateTask",            Y, N, N, N, N, An, "新建整改任务", "create a task",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/GetTask",               Y, Y, Y, N, N, An, "查看任务", "read a task",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/ListTasks",             Y, Y, Y, N, N, An, "查看任务列表", "list tasks",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/GetTaskHistory",        Y, Y, Y, N, N, An, "查看任务记录", "read a task's history",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/GetEvidence",           Y, Y, Y, N, N, An, "下载证明材料", "download an evidence file",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/StartTask",             Y, Y, N, N, N, Tk, "开始整改", "start a task",
       "支部: 本单位任务 / branch: own unit's tasks"},
      {"/rectify.v1.LedgerService/ReportProgress",        Y, Y, N, N, N, Tk, "报告进展", "report progress",
       "支部: 本单位任务 / branch: own unit's tasks"},
      {"/rectify.v1.LedgerService/SubmitTask",            Y, Y, N, N, N, Tk, "申请销号", "submit a task for verification",
       "支部: 本单位任务 / branch: own unit's tasks"},
      {"/rectify.v1.LedgerService/AcceptTask",            Y, N, N, N, Y, Tk, "验收销号", "close out (accept) a task",
       "上级党委，不得是责任单位；根单位自己的任务由根单位督查，不得是提交人 / a committee above the owner unit; the root's own: its supervisor, never the submitter"},
      {"/rectify.v1.LedgerService/ReturnTask",            Y, N, N, N, N, Tk, "退回任务", "return a task",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/MarkOngoing",           Y, N, N, N, N, Tk, "转为长期坚持", "mark a task long-term",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/ReopenTask",            Y, N, N, N, N, Tk, "重新打开任务", "reopen a task",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/CancelTask",            Y, N, N, N, N, Tk, "撤销任务", "cancel a task",
       "子树 / subtree"},
      {"/rectify.v1.LedgerService/RequestExtension",      Y, Y, N, N, N, Tk, "申请延期", "ask for an extension",
       "支部: 本单位任务 / branch: own unit's tasks"},
      {"/rectify.v1.LedgerService/DecideExtension",       Y, N, N, N, Y, Ex, "审批延期", "decide an extension request",
       "上级党委，不得是责任单位、申请单位或申请人；否则根单位督查 / a committee above the owner, not the asking unit nor the asker; else the root's supervisor"},
      {"/rectify.v1.LedgerService/UrgeTask",              Y, N, Y, N, N, Tk, "催办", "urge a task",
       "子树 / subtree"},
      {"/rectify.v1.ReportService/OverdueReport",         Y, Y, Y, N, N, An, "查看逾期清单", "read the overdue report",
       "子树 / subtree"},
      {"/rectify.v1.ReportService/Statistics",            Y, Y, Y, N, N, An, "查看统计", "read statistics",
       "子树 / subtree"},
      {"/rectify.v1.ReportService/ExportLedger",          Y, Y, Y, N, N, An, "导出台账", "export the ledger",
       "子树 / subtree"},
      {"/rectify.v1.EventService/WatchEvents",            Y, Y, Y, N, N, An, "订阅事件", "watch events",
       "子树 / subtree"},
      {"/rectify.v1.ImportService/PreviewImport",         Y, N, N, N, N, An, "预览导入", "preview an import",
       "子树 / subtree"},
      {"/rectify.v1.ImportService/ImportReview",          Y, N, N, N, N, An, "导入检视材料", "import a review report",
       "子树 / subtree"},
      {"/rectify.v1.ImportService/AssignTask",            Y, N, N, N, N, Tk, "指派任务", "assign a task",
       "子树 / subtree"},
      {"/rectify.v1.ImportService/AssignTasks",           Y, N, N, N, N, Rs, "批量指派任务", "assign tasks",
       "子树 / subtree"},
      {"/rectify.v1.AdminService/Backup",                 Y, N, N, Y, N, An, "备份数据库", "back up the database",
       "根单位 / root unit only"},
      {"/rectify.v1.TokenService/CreateToken",            Y, N, N, N, N, An, "签发令牌", "issue a token",
       "子树 / subtree"},
      {"/rectify.v1.TokenService/ListTokens",             Y, N, N, N, N, An, "查看令牌", "list tokens",
       "子树 / subtree"},
      {"/rectify.v1.TokenService/RevokeToken",            Y, N, N, N, N, An, "吊销令牌", "revoke a token",
       "子树 / subtree"},
      {"/rectify.v1.TokenService/WhoAmI",                 Y, Y, Y, N, N, An, "查看本人身份", "show who it is",
       "自己 / self"},
      {"/rectify.v1.AuditService/VerifyAudit",            Y, N, Y, Y, N, An, "核验审计日志", "verify the audit trail",
       "根单位 / root unit only"},
      {"/rectify.v1.AuditService/GetAuditHead",           Y, N, Y, Y, N, An, "查看审计日志末条", "read the audit head",
       "根单位 / root unit only"},
      // Correcting an import while its tasks are drafts.
      {"/rectify.v1.ImportService/WithdrawImport",        Y, N, N, N, N, An, "撤回导入", "withdraw an import",
       "子树 / subtree"},
      {"/rectify.v1.ImportService/CorrectProblem",        Y, N, N, N, N, An, "更正问题", "correct a problem",
       "子树 / subtree"},
      {"/rectify.v1.ImportService/CorrectDraftMeasure",   Y, N, N, N, N, Tk, "更正整改措施", "correct a draft measure",
       "子树 / subtree"},
      {"/rectify.v1.ImportService/AddDraftMeasure",       Y, N, N, N, N, An, "增加整改措施", "add a draft measure",
       "子树 / subtree"},
      {"/rectify.v1.AuditService/ListAuditEntries",       Y, N, Y, Y, N, An, "查看审计日志", "list audit entries",
       "根单位 / root unit only"},
      // Notification channels: set by committees; seen (redacted) by everyone in the subtree.
      {"/rectify.v1.NotifyService/CreateChannel",         Y, N, N, N, N, An, "添加通知渠道", "add a notification channel",
       "子树 / subtree"},
      {"/rectify.v1.NotifyService/ListChannels",          Y, Y, Y, N, N, An, "查看通知渠道", "list notification channels",
       "子树 / subtree"},
      {"/rectify.v1.NotifyService/UpdateChannel",         Y, N, N, N, N, An, "修改通知渠道", "change a notification channel",
       "子树 / subtree"},
      {"/rectify.v1.NotifyService/TestChannel",           Y, N, N, N, N, An, "发送测试通知", "send a test notification",
       "子树 / subtree"},
      {"/rectify.v1.NotifyService/GetNotifyStatus",       Y, Y, Y, N, N, An, "查看通知投递状态", "read the notification status",
       "子树 / subtree"},
      {"/rectify.v1.NotifyService/DeleteChannel",         Y, N, N, N, N, An, "删除通知渠道", "remove a notification channel",
       "子树 / subtree"},
      // clang-format on
  };
}

bool Allows(const MethodRule& rule, Role role) {
  switch (role) {
    case Role::kCommittee:
      return rule.committee;
    case Role::kBranch:
      return rule.branch;
    case Role::kSupervisor:
      return rule.supervisor;
  }
  return false;
}

const char* Mark(bool allowed, bool root_only) {
  if (!allowed) return "✗";
  return root_only ? "✓ (根 / root)" : "✓";
}

// Whether the actor's role may call the method under `rule`.
bool RoleMayCall(const MethodRule& rule, const Actor& actor) {
  if (Allows(rule, actor.role)) return !rule.root_only || actor.AtRoot();
  return rule.root_supervisor && actor.role == Role::kSupervisor && actor.AtRoot();
}

}  // namespace

const std::vector<MethodRule>& MethodRules() {
  static const std::vector<MethodRule>* const rules = new std::vector<MethodRule>(BuildRules());
  return *rules;
}

const MethodRule* FindMethodRule(absl::string_view method) {
  for (const MethodRule& rule : MethodRules()) {
    if (method == rule.method) return &rule;
  }
  return nullptr;
}

const MethodRule* FindMethodRuleByRpc(absl::string_view rpc) {
  for (const MethodRule& rule : MethodRules()) {
    const absl::string_view method(rule.method);
    if (method.substr(method.rfind('/') + 1) == rpc) return &rule;
  }
  return nullptr;
}

std::pair<std::string, std::string> DescribeAction(absl::string_view method) {
  const MethodRule* rule = FindMethodRuleByRpc(method.substr(method.rfind('/') + 1));
  if (rule != nullptr) return {rule->zh, rule->en};
  // No words for it: an unknown method. Its name is not echoed (it is whatever was sent).
  return {"执行此操作", "do this"};
}

absl::Status CheckRole(const Actor& actor, absl::string_view method) {
  const MethodRule* rule = FindMethodRule(method);
  if (rule == nullptr || !RoleMayCall(*rule, actor)) {
    const auto [zh, en] = DescribeAction(method);
    const bool root_only =
        rule != nullptr && ((rule->root_only && Allows(*rule, actor.role)) ||
                            (rule->root_supervisor && actor.role == Role::kSupervisor));
    return absl::PermissionDeniedError(
        absl::StrCat("权限不足：", root_only ? "只有根单位的" : "", RoleLabelZh(actor.role), "令牌",
                     root_only ? "才能" : "不能", zh,
                     " / permission denied: ", root_only ? "only a root unit's " : "a ",
                     RoleCode(actor.role), " token may ", root_only ? "" : "not ", en));
  }
  return absl::OkStatus();
}

std::string PermissionMatrixMarkdown() {
  std::string out =
      "| RPC | 党委 committee | 支部 branch | 督查 supervisor | 范围 / reach |\n"
      "|---|---|---|---|---|\n";
  for (const MethodRule& rule : MethodRules()) {
    absl::string_view method(rule.method);
    absl::StrAppend(
        &out, "| `", absl::StripPrefix(method, "/rectify.v1."), "` | ",
        Mark(rule.committee, rule.root_only), " | ", Mark(rule.branch, rule.root_only), " | ",
        Mark(rule.supervisor || rule.root_supervisor, rule.root_only || !rule.supervisor), " | ",
        rule.note, " |\n");
  }
  return out;
}

}  // namespace rectify::auth
