// What every RPC needs before it reaches the domain: who is calling, and how to run a mutation
// exactly once per request_id.
#ifndef RECTIFY_SERVICES_API_INTERNAL_CALL_CONTEXT_H_
#define RECTIFY_SERVICES_API_INTERNAL_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "services/api/service_context.h"
#include "services/domain/ledger.h"
#include "services/model/actor.h"
#include "services/store/store.h"

namespace rectify::api {

// The caller of a call of `method` ("/rectify.v1.LedgerService/GetTask"): the context's fixed
// actor, or the principal its `authorization: Bearer <token>` metadata names, once the permission
// table lets its role call the method (services/app/access.h). UNAUTHENTICATED or
// PERMISSION_DENIED otherwise. A self-declared actor (the old x-rectify-actor metadata) is not
// read: only the token says who calls.
absl::StatusOr<Actor> CallerOf(const ServiceContext& context, const grpc::ServerContext& ctx,
                               absl::string_view method);

// What a call that arrives while the server drains gets: UNAVAILABLE, nothing run, retry.
absl::Status DrainingError();

// Percent-decodes `in` ("%E5%BC%A0" -> "张"). False on a malformed escape.
bool PercentDecode(absl::string_view in, std::string* out);

// Runs `mutate` as the application layer's unit of work (services/app/unit_of_work.h): one
// write transaction, exactly once per request_id (same payload: the stored response, nothing
// changed; another payload: ALREADY_EXISTS), one audit entry naming `method`, the request and what
// changed, the response stored with the change, the watchers told after the commit. This adapter
// gives the unit of work the request's canonical bytes, its audit JSON and its targets
// (audit_record.h), and the response's encoding.
absl::Status RunMutation(const Ledger& ledger, const Actor& actor, absl::string_view method,
                         const std::string& request_id, const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         const std::function<absl::Status(WriteTxn&)>& mutate);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_CALL_CONTEXT_H_
