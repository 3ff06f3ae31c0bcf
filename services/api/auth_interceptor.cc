#include "services/api/auth_interceptor.h"

#include <string>
#include <unordered_map>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/optional.h"
#include "services/auth/permissions.h"
#include "services/auth/token_secret.h"
#include "services/auth/tokens.h"
#include "services/common/status_macros.h"

namespace rectify::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

struct CallEntry {
  const char* method = nullptr;    // owned by gRPC, alive for the server's lifetime
  const Ledger* ledger = nullptr;  // the server's
  absl::optional<Actor> preset;    // ScopedCallActor only
};

// Calls in progress, by the address of their ServerContext.
class CallRegistry {
 public:
  static CallRegistry& Get() {
    static CallRegistry* const registry = new CallRegistry();
    return *registry;
  }
  void Put(const void* key, CallEntry entry) {
    absl::MutexLock lock(&mu_);
    calls_[key] = std::move(entry);
  }
  void Erase(const void* key) {
    absl::MutexLock lock(&mu_);
    calls_.erase(key);
  }
  absl::optional<CallEntry> Find(const void* key) {
    absl::MutexLock lock(&mu_);
    auto it = calls_.find(key);
    if (it == calls_.end()) return absl::nullopt;
    return it->second;
  }

 private:
  absl::Mutex mu_;
  std::unordered_map<const void*, CallEntry> calls_ ABSL_GUARDED_BY(mu_);
};

const void* KeyOf(const grpc::ServerContextBase* ctx) { return ctx; }

// Registers the call when it is made and forgets it when gRPC destroys the interceptor, after
// the handler has returned.
class AuthInterceptor final : public grpc::experimental::Interceptor {
 public:
  AuthInterceptor(const void* key, const char* method, const Ledger* ledger) : key_(key) {
    CallRegistry::Get().Put(key_, CallEntry{method, ledger, absl::nullopt});
  }
  ~AuthInterceptor() override { CallRegistry::Get().Erase(key_); }
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  const void* const key_;
};

}  // namespace

grpc::experimental::Interceptor* AuthInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (info->method() == nullptr || !absl::StartsWith(info->method(), "/rectify.")) return nullptr;
  return new AuthInterceptor(KeyOf(info->server_context()), info->method(), ledger_);
}

absl::StatusOr<Actor> CallActor(const grpc::ServerContext& ctx) {
  absl::optional<CallEntry> entry = CallRegistry::Get().Find(KeyOf(&ctx));
  if (!entry.has_value()) return auth::Unauthenticated(/*missing=*/true);
  if (entry->preset.has_value()) {
    RETURN_IF_ERROR(auth::CheckRole(*entry->preset, entry->method));
    return *entry->preset;
  }
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find(auth::kAuthorizationKey);
  absl::string_view value;
  if (it != metadata.end()) value = absl::string_view(it->second.data(), it->second.size());
  ASSIGN_OR_RETURN(Actor actor,
                   auth::Authenticate(*entry->ledger->store(), entry->ledger->Now(), value));
  RETURN_IF_ERROR(auth::CheckRole(actor, entry->method));
  return actor;
}

ScopedCallActor::ScopedCallActor(const grpc::ServerContext* ctx, const char* method,
                                 const Actor& actor)
    : key_(KeyOf(ctx)) {
  CallRegistry::Get().Put(key_, CallEntry{method, nullptr, actor});
}

ScopedCallActor::~ScopedCallActor() { CallRegistry::Get().Erase(key_); }

}  // namespace rectify::api
