#include "services/auth/permissions.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/auth/principal.h"

namespace rectify::auth {
namespace {

// C: committee, B: branch, S: supervisor.
constexpr bool Y = true;
constexpr bool N = false;

std::vector<MethodRule> BuildRules() {
  return {
      // clang-format off
      // method                                          C  B  S  root  note
      {"/rectify.v1.OrgService/CreateUnit",              Y, N, N, N, "上级单位在子树内 / parent in subtree"},
      {"/rectify.v1.OrgService/GetUnit",                 Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.OrgService/ListUnits",               Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.OrgService/RenameUnit",              Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/CreateReview",         Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/GetReview",            Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/ListReviews",          Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/CreateRootCause",      Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/CreateProblem",        Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/ListProblems",         Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/CreateTask",           Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/GetTask",              Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/ListTasks",            Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/GetTaskHistory",       Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/StartTask",            Y, Y, N, N, "支部: 本单位任务 / branch: own unit's tasks"},
      {"/rectify.v1.LedgerService/ReportProgress",       Y, Y, N, N, "支部: 本单位任务 / branch: own unit's tasks"},
      {"/rectify.v1.LedgerService/SubmitTask",           Y, Y, N, N, "支部: 本单位任务 / branch: own unit's tasks"},
      {"/rectify.v1.LedgerService/AcceptTask",           Y, N, N, N, "不得是责任单位本身 / never the owner unit"},
      {"/rectify.v1.LedgerService/ReturnTask",           Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/MarkOngoing",          Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/ReopenTask",           Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/CancelTask",           Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.LedgerService/RequestExtension",     Y, Y, N, N, "支部: 本单位任务 / branch: own unit's tasks"},
      {"/rectify.v1.LedgerService/DecideExtension",      Y, N, N, N, "不得是申请人 / never the requester"},
      {"/rectify.v1.LedgerService/UrgeTask",             Y, N, Y, N, "子树 / subtree"},
      {"/rectify.v1.ReportService/OverdueReport",        Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.ReportService/Statistics",           Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.ReportService/ExportLedger",         Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.EventService/WatchEvents",           Y, Y, Y, N, "子树 / subtree"},
      {"/rectify.v1.ImportService/PreviewImport",        Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.ImportService/ImportReview",         Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.ImportService/AssignTask",           Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.ImportService/AssignTasks",          Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.AdminService/Backup",                Y, N, N, Y, "根单位 / root unit only"},
      {"/rectify.v1.TokenService/CreateToken",           Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.TokenService/ListTokens",            Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.TokenService/RevokeToken",           Y, N, N, N, "子树 / subtree"},
      {"/rectify.v1.TokenService/WhoAmI",                Y, Y, Y, N, "自己 / self"},
      {"/rectify.v1.AuditService/VerifyAudit",           Y, N, Y, Y, "根单位 / root unit only"},
      {"/rectify.v1.AuditService/GetAuditHead",          Y, N, Y, Y, "根单位 / root unit only"},
      {"/rectify.v1.AuditService/ListAuditEntries",      Y, N, Y, Y, "根单位 / root unit only"},
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

absl::Status CheckRole(const Actor& actor, absl::string_view method) {
  const MethodRule* rule = FindMethodRule(method);
  // The method's short name only: the refusal should say what was refused, not echo input.
  const absl::string_view verb = method.substr(method.rfind('/') + 1);
  if (rule == nullptr || !Allows(*rule, actor.role) || (rule->root_only && !actor.AtRoot())) {
    return absl::PermissionDeniedError(absl::StrCat(
        "权限不足：", RoleLabelZh(actor.role), "令牌不能调用 ", verb, " / permission denied: a ",
        RoleCode(actor.role), " token may not call ", verb));
  }
  return absl::OkStatus();
}

std::string PermissionMatrixMarkdown() {
  std::string out =
      "| RPC | 党委 committee | 支部 branch | 督查 supervisor | 范围 / reach |\n"
      "|---|---|---|---|---|\n";
  for (const MethodRule& rule : MethodRules()) {
    absl::string_view method(rule.method);
    absl::StrAppend(&out, "| `", absl::StripPrefix(method, "/rectify.v1."), "` | ",
                    Mark(rule.committee, rule.root_only), " | ", Mark(rule.branch, rule.root_only),
                    " | ", Mark(rule.supervisor, rule.root_only), " | ", rule.note, " |\n");
  }
  return out;
}

}  // namespace rectify::auth
