#include "services/api/internal/auth_interceptor.h"

#include <string>
#include <unordered_map>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/optional.h"
#include "services/app/access.h"
#include "services/auth/token_secret.h"
#include "services/auth/tokens.h"
#include "services/common/status_macros.h"

namespace rectify::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

struct CallEntry {
  const char* method = nullptr;    // owned by gRPC, alive for the server's lifetime
  const Ledger* ledger = nullptr;  // the server's
  CallGate* gate = nullptr;        // the server's; null without one
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
  AuthInterceptor(const void* key, const char* method, const Ledger* ledger, CallGate* gate)
      : key_(key), gate_(gate) {
    if (gate_ != nullptr) gate_->Enter();
    CallRegistry::Get().Put(key_, CallEntry{method, ledger, gate, absl::nullopt});
  }
  ~AuthInterceptor() override {
    CallRegistry::Get().Erase(key_);
    if (gate_ != nullptr) gate_->Leave();
  }
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  const void* const key_;
  CallGate* const gate_;
};

}  // namespace

void CallGate::BeginDrain() {
  absl::MutexLock lock(&mu_);
  draining_ = true;
}

bool CallGate::draining() const {
  absl::MutexLock lock(&mu_);
  return draining_;
}

bool CallGate::WaitIdle(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; };
  return mu_.AwaitWithTimeout(absl::Condition(&idle), timeout);
}

void CallGate::Enter() {
  absl::MutexLock lock(&mu_);
  ++in_flight_;
}

void CallGate::Leave() {
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

int CallGate::in_flight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

grpc::experimental::Interceptor* AuthInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (info->method() == nullptr || !absl::StartsWith(info->method(), "/rectify.")) return nullptr;
  return new AuthInterceptor(KeyOf(info->server_context()), info->method(), ledger_, gate_);
}

absl::StatusOr<Actor> CallActor(const grpc::ServerContext& ctx) {
  absl::optional<CallEntry> entry = CallRegistry::Get().Find(KeyOf(&ctx));
  if (!entry.has_value()) return auth::Unauthenticated(/*missing=*/true);
  if (entry->gate != nullptr && entry->gate->draining()) {
    // Before anything is done: the call can be sent again as it is, to this server once it is
    // back or to another (a mutation with its request_id).
    return absl::UnavailableError(
        "服务器正在重启或停止，本次请求未执行，请稍后重试 / the server is restarting or stopping; "
        "this call was not run, retry it");
  }
  if (entry->preset.has_value()) {
    RETURN_IF_ERROR(app::AuthorizeKnown(*entry->preset, entry->method));
    return *entry->preset;
  }
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find(auth::kAuthorizationKey);
  absl::string_view value;
  if (it != metadata.end()) value = absl::string_view(it->second.data(), it->second.size());
  return app::Authorize(*entry->ledger, value, entry->method);
}

ScopedCallActor::ScopedCallActor(const grpc::ServerContext* ctx, const char* method,
                                 const Actor& actor)
    : key_(KeyOf(ctx)) {
  CallRegistry::Get().Put(key_, CallEntry{method, nullptr, nullptr, actor});
}

ScopedCallActor::~ScopedCallActor() { CallRegistry::Get().Erase(key_); }

}  // namespace rectify::api
