// Authentication and the permission table, in one place for every RPC.
//
// The sync API does not tell a handler which method it serves, so a server interceptor notes
// the method of each call (keyed by its ServerContext) when the call arrives, and Handle()
// (handler.h) asks CallActor() before any handler code runs. CallActor reads the caller's
// `authorization: Bearer <token>` metadata, looks the token up in the store (every call: a
// revocation holds from the next call on), and checks the method's row in the permission table
// (services/auth/permissions.h; no row: refused).
//
// grpc.health.v1 and server reflection are not under /rectify. and are left open.
//
// Thread safety: the registry is guarded by a mutex; everything else is per call.
#ifndef RECTIFY_SERVICES_API_INTERNAL_AUTH_INTERCEPTOR_H_
#define RECTIFY_SERVICES_API_INTERNAL_AUTH_INTERCEPTOR_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/domain/ledger.h"
#include "services/model/actor.h"

namespace rectify::api {

// Counts the rectify calls in flight and, once draining, turns new ones away with UNAVAILABLE
// ("retry"): a stopping server first lets what it started finish, so that a restart cancels
// nothing a client would have to guess about (a retried call carries its request_id anyway).
//
// Thread safety: all methods may be called from any thread.
class CallGate {
 public:
  // Refuses calls that start from now on (CallActor answers UNAVAILABLE).
  void BeginDrain() ABSL_LOCKS_EXCLUDED(mu_);
  bool draining() const ABSL_LOCKS_EXCLUDED(mu_);
  // Waits until no call is in flight or `timeout` passes; true when none is left.
  bool WaitIdle(absl::Duration timeout) ABSL_LOCKS_EXCLUDED(mu_);
  void Enter() ABSL_LOCKS_EXCLUDED(mu_);
  void Leave() ABSL_LOCKS_EXCLUDED(mu_);
  int in_flight() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
};

class AuthInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Tokens are looked up in ledger's store, expiry judged by its clock. `gate` (may be null)
  // counts the calls and refuses them while the server drains.
  explicit AuthInterceptorFactory(const Ledger* ledger, CallGate* gate = nullptr)
      : ledger_(ledger), gate_(gate) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const Ledger* const ledger_;
  CallGate* const gate_;
};

// The authenticated, role-checked actor of the call in progress on `ctx`: UNAUTHENTICATED for a
// missing or bad token, PERMISSION_DENIED when the role may not call the method (or the method
// is unknown).
absl::StatusOr<Actor> CallActor(const grpc::ServerContext& ctx);

// For code that calls a service's handlers directly, without a server (the fuzzer): the calls on
// `ctx` run as `actor` for `method` ("/rectify.v1.OrgService/CreateUnit") while this lives; the
// permission table still applies.
class ScopedCallActor {
 public:
  ScopedCallActor(const grpc::ServerContext* ctx, const char* method, const Actor& actor);
  ~ScopedCallActor();
  ScopedCallActor(const ScopedCallActor&) = delete;
  ScopedCallActor& operator=(const ScopedCallActor&) = delete;

 private:
  const void* const key_;
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_AUTH_INTERCEPTOR_H_
