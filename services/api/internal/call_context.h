// What every RPC needs before it reaches the domain: who is calling, and how to run a mutation
// exactly once per request_id.
#ifndef RECTIFY_SERVICES_API_INTERNAL_CALL_CONTEXT_H_
#define RECTIFY_SERVICES_API_INTERNAL_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "services/domain/ledger.h"
#include "services/model/actor.h"
#include "services/store/store.h"

namespace rectify::api {

// The actor of a call: who its `authorization: Bearer <token>` metadata says, after the
// permission table allowed the method (auth_interceptor.h). UNAUTHENTICATED or
// PERMISSION_DENIED otherwise. A self-declared actor (the old x-rectify-actor metadata) is not
// read: only the token says who calls.
absl::StatusOr<Actor> ActorFromContext(const grpc::ServerContext& context);

// Percent-decodes `in` ("%E5%BC%A0" -> "张"). False on a malformed escape.
bool PercentDecode(absl::string_view in, std::string* out);

// Runs `mutate` in one write transaction, exactly once per request_id:
// - an empty request_id runs it without a record (AIP-155 makes the id optional);
// - a request_id seen before with the same method and payload returns the stored response and
//   changes nothing;
// - the same request_id with a different payload is ALREADY_EXISTS.
// `mutate` fills `response`; it is stored together with the change, in the same transaction.
// After a commit the ledger's change listener (the scheduler) is told.
// Every change that commits also appends one entry to the audit trail in the same transaction
// (services/audit/): `actor`, `method`, the request, and the affected object before and after
// (audit_record.h). A replayed request_id changes nothing and appends nothing.
absl::Status RunMutation(const Ledger& ledger, const Actor& actor, absl::string_view method,
                         const std::string& request_id, const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         const std::function<absl::Status(WriteTxn&)>& mutate);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_CALL_CONTEXT_H_
