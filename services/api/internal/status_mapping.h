// The one place where domain and store errors become gRPC statuses. absl and gRPC share their
// code numbers, so this is a checked cast; the message passes through unchanged ("中文 / English").
#ifndef RECTIFY_SERVICES_API_INTERNAL_STATUS_MAPPING_H_
#define RECTIFY_SERVICES_API_INTERNAL_STATUS_MAPPING_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace rectify::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_STATUS_MAPPING_H_
