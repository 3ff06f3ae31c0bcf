// TokenService (auth.proto): issuing, listing and revoking API tokens, and WhoAmI.
//
// Thread safety: holds only pointers to thread-safe objects; safe to call concurrently.
#ifndef RECTIFY_SERVICES_API_TOKEN_SERVICE_H_
#define RECTIFY_SERVICES_API_TOKEN_SERVICE_H_

#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "rectify/v1/auth.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class TokenServiceImpl final : public ServiceAdapter<v1::TokenService> {
 public:
  // web_url: the web console's public base URL ("http://127.0.0.1:8080"), for one-time sign-in
  // links; empty when the server has no web console (links are then refused).
  TokenServiceImpl(const ServiceContext& context, std::string web_url)
      : ServiceAdapter(context), web_url_(std::move(web_url)) {}

  // For a web console whose port is known only once it listens (port 0).
  void set_web_url(std::string web_url) {
    absl::MutexLock lock(&mu_);
    web_url_ = std::move(web_url);
  }

  grpc::Status CreateToken(grpc::ServerContext* ctx, const v1::CreateTokenRequest* req,
                           v1::CreateTokenResponse* resp) override;
  grpc::Status ListTokens(grpc::ServerContext* ctx, const v1::ListTokensRequest* req,
                          v1::ListTokensResponse* resp) override;
  grpc::Status RevokeToken(grpc::ServerContext* ctx, const v1::RevokeTokenRequest* req,
                           v1::ApiToken* resp) override;
  grpc::Status WhoAmI(grpc::ServerContext* ctx, const v1::WhoAmIRequest* req,
                      v1::ApiToken* resp) override;

 private:
  std::string web_url() const {
    absl::MutexLock lock(&mu_);
    return web_url_;
  }

  mutable absl::Mutex mu_;
  std::string web_url_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_TOKEN_SERVICE_H_
