// A server interceptor that turns gRPC's answer to a request it could not parse into a clear one.
//
// gRPC deserializes a request before any handler runs. When the bytes are not a valid message —
// most often a string field that is not valid UTF-8, which proto3 refuses — gRPC answers
// INTERNAL with an empty message, which reads like a server bug. This interceptor notices the
// failed parse (no request message after receiving) and answers INVALID_ARGUMENT with a
// bilingual sentence instead. Nothing of such a request ever reaches the domain.
//
// Thread safety: one interceptor object per call, as gRPC creates them; the factory is
// stateless.
#ifndef RECTIFY_SERVICES_API_INTERNAL_PARSE_ERROR_INTERCEPTOR_H_
#define RECTIFY_SERVICES_API_INTERNAL_PARSE_ERROR_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

namespace rectify::api {

class ParseErrorInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// The status a client gets for a request that did not parse.
grpc::Status UnparsableRequestStatus();

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_PARSE_ERROR_INTERCEPTOR_H_
