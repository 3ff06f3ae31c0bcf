// What the audit trail records of a mutation (internal to services/api): the request as JSON with
// bytes summarised, the affected object ("target") and the fields of it that changed, old and
// new, in the audit trail's own versioned format (services/audit/snapshot.h), never as API
// messages, so that an API change does not change what is audited.
//
// Targets: what the method's row in the permission table (services/auth/permissions.cc) names:
// a task (its `id`; DecideExtension: the extension's task, whose deadline an approval moves), a
// unit for RenameUnit, the rows' tasks for AssignTasks; a creation has no "before"; its "after"
// is the created task or unit in the audit format, or for other creations the response as JSON.
//
// Thread safety: stateless functions; run them inside the mutation's transaction.
#ifndef RECTIFY_SERVICES_API_INTERNAL_AUDIT_RECORD_H_
#define RECTIFY_SERVICES_API_INTERNAL_AUDIT_RECORD_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/app/unit_of_work.h"
#include "services/domain/ledger.h"
#include "services/store/store.h"

namespace rectify::api {

// The request as JSON: {"request": {...}} where every bytes field is emptied, plus, when there
// were any, "bytes": [{"field": "evidence[0].content", "size": N, "sha256": "..."}]. Fields
// named like a secret (containing "secret") read "[redacted]".
std::string AuditRequestJson(const google::protobuf::Message& request);

// A message as compact JSON, secrets redacted as above and bytes summarised in place.
std::string AuditMessageJson(const google::protobuf::Message& message);

// The objects a mutation changes, named before it runs (read in its transaction), as the
// method's permission-table row says (auth::AuditTarget); nothing for a creation. `method` is the
// RPC's own name ("AcceptTask").
absl::StatusOr<app::AuditTargets> FindAuditTargets(ReadTxn& tx, absl::string_view method,
                                                   const google::protobuf::Message& request);

// For creations: "task/12" from a response that has an int64 `id` (or a `review` with one).
std::string TargetFromResponse(const google::protobuf::Message& response);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_AUDIT_RECORD_H_
