// TokenService (auth.proto): issuing, listing and revoking API tokens, and WhoAmI.
//
// Thread safety: holds only pointers to thread-safe objects; safe to call concurrently.
#ifndef RECTIFY_SERVICES_API_TOKEN_SERVICE_H_
#define RECTIFY_SERVICES_API_TOKEN_SERVICE_H_

#include "rectify/v1/auth.grpc.pb.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class TokenServiceImpl final : public v1::TokenService::Service {
 public:
  explicit TokenServiceImpl(const Ledger* ledger) : ledger_(ledger) {}

  grpc::Status CreateToken(grpc::ServerContext* ctx, const v1::CreateTokenRequest* req,
                           v1::CreateTokenResponse* resp) override;
  grpc::Status ListTokens(grpc::ServerContext* ctx, const v1::ListTokensRequest* req,
                          v1::ListTokensResponse* resp) override;
  grpc::Status RevokeToken(grpc::ServerContext* ctx, const v1::RevokeTokenRequest* req,
                           v1::ApiToken* resp) override;
  grpc::Status WhoAmI(grpc::ServerContext* ctx, const v1::WhoAmIRequest* req,
                      v1::ApiToken* resp) override;

 private:
  const Ledger* const ledger_;
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_TOKEN_SERVICE_H_
