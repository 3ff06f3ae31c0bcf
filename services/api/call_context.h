// What every RPC needs before it reaches the domain: who is calling, and how to run a mutation
// exactly once per request_id.
#ifndef RECTIFY_SERVICES_API_CALL_CONTEXT_H_
#define RECTIFY_SERVICES_API_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "services/domain/actor.h"
#include "services/domain/ledger.h"
#include "services/store/store.h"

namespace rectify::api {

// The metadata key that carries the caller's display name, percent-encoded UTF-8 (metadata is
// ASCII). Until tokens arrive (issue 4) this is who the ledger records as the actor.
inline constexpr char kActorMetadataKey[] = "x-rectify-actor";

// The actor of a call: the percent-decoded x-rectify-actor value, or "匿名" when absent.
// INVALID_ARGUMENT when the value does not decode to valid UTF-8 text of 1-50 characters.
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
absl::Status RunMutation(const Ledger& ledger, absl::string_view method,
                         const std::string& request_id, const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         const std::function<absl::Status(WriteTxn&)>& mutate);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_CALL_CONTEXT_H_
