// What every gRPC service adapter of one server shares, and the base they derive from.
//
// A handler learns which RPC it serves from the generated code itself: it overrides the
// generated method of the same name, and passes `__func__` ("SubmitTask") to Handle, which
// prefixes the generated service's full name ("/rectify.v1.LedgerService/SubmitTask") for the
// permission table. No call registry, no interceptor: Handle counts the call in the server's
// CallGate, authorises the caller through the application layer (services/app/access.h: the
// bearer token's principal, the role the permission table allows) and runs the body.
//
// Thread safety: CallGate's methods may be called from any thread; the rest is constant after
// construction.
#ifndef RECTIFY_SERVICES_API_SERVICE_CONTEXT_H_
#define RECTIFY_SERVICES_API_SERVICE_CONTEXT_H_

#include <grpcpp/server_context.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/domain/ledger.h"
#include "services/model/actor.h"

namespace rectify::api {

// Counts the rectify calls in flight and, once draining, turns new ones away with UNAVAILABLE
// ("retry"): a stopping server first lets what it started finish, so that a restart cancels
// nothing a client would have to guess about (a retried call carries its request_id anyway).
class CallGate {
 public:
  // Refuses calls that start from now on.
  void BeginDrain() ABSL_LOCKS_EXCLUDED(mu_);
  bool draining() const ABSL_LOCKS_EXCLUDED(mu_);
  // Waits until no call is in flight or `timeout` passes; true when none is left.
  bool WaitIdle(absl::Duration timeout) ABSL_LOCKS_EXCLUDED(mu_);
  // Counts a call in, unless the server drains (false: refuse it). Leave() when it is done.
  bool TryEnter() ABSL_LOCKS_EXCLUDED(mu_);
  void Leave() ABSL_LOCKS_EXCLUDED(mu_);
  int in_flight() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
};

struct ServiceContext {
  // Tokens are looked up in its store, expiry judged by its clock.
  const Ledger* ledger = nullptr;
  // The server's; null: calls are not counted and never refused for a drain (tests).
  CallGate* gate = nullptr;
  // For a harness that calls the handlers in-process without a server or tokens (the fuzzer):
  // every call runs as this actor, the permission table still applying. Null in a server.
  const Actor* fixed_actor = nullptr;
};

// The base of every service adapter: `Generated` is the service's generated class
// (v1::LedgerService).
template <typename Generated>
class ServiceAdapter : public Generated::Service {
 public:
  explicit ServiceAdapter(const ServiceContext& context)
      : context_(context), ledger_(context.ledger) {}

  // Runs `body(const Actor&)`, or `body(const Actor&, const char* rpc)`, for a call of `rpc`
  // (pass __func__ from the overriding handler)
  // and maps its absl::Status to a gRPC status; UNAVAILABLE while the server drains,
  // UNAUTHENTICATED / PERMISSION_DENIED before the body runs. Defined in
  // services/api/internal/handler.h.
  template <typename Body>
  grpc::Status Handle(grpc::ServerContext* ctx, const char* rpc, Body&& body) const;

 protected:
  const ServiceContext context_;
  const Ledger* const ledger_;
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_SERVICE_CONTEXT_H_
