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

struct MethodRule {
  const char* method;  // full gRPC name: "/rectify.v1.LedgerService/GetTask"
  bool committee;
  bool branch;
  bool supervisor;
  // Only principals bound to the root unit (backup, audit).
  bool root_only;
  // What the caller reaches, for people (README): "子树" / "本单位任务" ...
  const char* note;
  // A supervisor bound to a root unit may call it too, although `supervisor` is false: the root
  // unit has no unit above it, so its own tasks and extension requests are decided by its
  // supervisor (纪委/督查室). Which objects it may decide is checked in
  // services/app/access.h.
  bool root_supervisor = false;
};

// Every rule, in README order.
const std::vector<MethodRule>& MethodRules();
// The rule of a method; nullptr when there is none.
const MethodRule* FindMethodRule(absl::string_view method);
// OK when the actor's role (and root binding, where required) may call `method`;
// PERMISSION_DENIED otherwise, also for a method without a rule.
absl::Status CheckRole(const Actor& actor, absl::string_view method);
// The action an RPC performs in words ("验收销号", "close out (accept) a task"), for messages.
std::pair<std::string, std::string> DescribeAction(absl::string_view method);
// The permission matrix as a Markdown table (what README.md shows; a test keeps them equal).
std::string PermissionMatrixMarkdown();

}  // namespace rectify::auth

#endif  // RECTIFY_SERVICES_AUTH_PERMISSIONS_H_
