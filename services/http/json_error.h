// How a failed call looks over HTTP: the status by the grpc-gateway mapping, and a JSON body
//   {"code":"NOT_FOUND","message":"任务 9 不存在 / task 9 not found",
//    "messageZh":"任务 9 不存在","messageEn":"task 9 not found","field":"id"}
// The server's messages are "中文 / English"; the field is the one a message names as
// "field: …" (services/common/errors.h InvalidField), or the one the JSON parser rejected.
//
// Thread safety: pure functions.
#ifndef RECTIFY_SERVICES_HTTP_JSON_ERROR_H_
#define RECTIFY_SERVICES_HTTP_JSON_ERROR_H_

#include <grpcpp/support/status.h>

#include <string>

#include "absl/strings/string_view.h"

namespace rectify::http {

// grpc-gateway's mapping: INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE 400;
// UNAUTHENTICATED 401; PERMISSION_DENIED 403; NOT_FOUND 404; ALREADY_EXISTS, ABORTED 409;
// RESOURCE_EXHAUSTED 429; CANCELLED 499; UNIMPLEMENTED 501; UNAVAILABLE 503;
// DEADLINE_EXCEEDED 504; anything else 500.
int HttpStatusOf(grpc::StatusCode code);

// "NOT_FOUND" and so on.
const char* CodeName(grpc::StatusCode code);

struct SplitMessage {
  std::string zh;
  std::string en;
  std::string field;  // empty when the message names none
};
// Splits "zh / en" at its first " / " (a message without one is both), and finds the field a
// message starts with ("percent: …").
SplitMessage SplitBilingual(absl::string_view message);

// The JSON body for `status` (not OK). `field` overrides the field found in the message.
std::string ErrorJson(const grpc::Status& status, absl::string_view field = "");

}  // namespace rectify::http

#endif  // RECTIFY_SERVICES_HTTP_JSON_ERROR_H_
