// The permission table: which roles may call which RPC. One row per method, in the order the
// README's matrix shows them; a method that has no row is refused (default deny), so a new RPC
// is closed until someone writes down who may call it.
//
// The table decides the role only. Where an RPC names an object (a unit, a task, a review, a
// token), the service also checks that the object lies in the caller's subtree, and answers
// NOT_FOUND, exactly as for an object that does not exist, when it does not (see
// services/app/access.h). Separation of duties is checked there too.
//
// Thread safety: constant data and pure functions.
#ifndef RECTIFY_SERVICES_AUTH_PERMISSIONS_H_
#define RECTIFY_SERVICES_AUTH_PERMISSIONS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/model/actor.h"

namespace rectify::auth {

// What a change's audit entry names as its target ("task/12"), found from the request before the
// change runs, so that the entry's before-snapshot can be taken.
enum class AuditTarget {
  kAnswer,         // the object the answer carries (a creation: it has no "before"); reads
  kTask,           // the request's `id` is a task
  kExtensionTask,  // the request's `extension_id`: that extension's task
  kUnit,           // the request's `id` is a unit
  kTaskRows,       // every `rows[].id` of the request is a task
};

struct MethodRule {
  const char* method;  // full gRPC name: "/rectify.v1.LedgerService/GetTask"
  bool committee;
  bool branch;
  bool supervisor;
  // Only principals bound to the root unit (backup, audit).
  bool root_only;
  // A supervisor bound to a root unit may call it too, although `supervisor` is false: the root
  // unit has no unit above it, so its own tasks and extension requests are decided by its
  // supervisor (纪委/督查室). Which objects it may decide is checked in
  // services/app/access.h.
  bool root_supervisor;
  AuditTarget audit;
  // The action in words, for refusals: "验收销号" / "close out (accept) a task".
  const char* zh;
  const char* en;
  // What the caller reaches, for people (README): "子树" / "本单位任务" ...
  const char* note;
};

// Every rule, in README order.
const std::vector<MethodRule>& MethodRules();
// The rule of a method; nullptr when there is none.
const MethodRule* FindMethodRule(absl::string_view method);
// The rule of an RPC by its own name ("AcceptTask": names are unique across the services, which
// the permission test checks); nullptr when there is none.
const MethodRule* FindMethodRuleByRpc(absl::string_view rpc);
// OK when the actor's role (and root binding, where required) may call `method`;
// PERMISSION_DENIED otherwise, also for a method without a rule.
absl::Status CheckRole(const Actor& actor, absl::string_view method);
// The action an RPC performs in words ("验收销号", "close out (accept) a task"), for messages.
std::pair<std::string, std::string> DescribeAction(absl::string_view method);
// The permission matrix as a Markdown table (what README.md shows; a test keeps them equal).
std::string PermissionMatrixMarkdown();

}  // namespace rectify::auth

#endif  // RECTIFY_SERVICES_AUTH_PERMISSIONS_H_
