// JSON output (--json): one document per command on stdout, field names as in the .proto files
// (snake_case), enums by name, int64 as strings (the proto3 JSON mapping), and fields at their
// default value printed too (so that "progress_percent": 0 and "overdue": false are present
// rather than missing).
#ifndef RECTIFY_CLIENT_OUTPUT_JSON_H_
#define RECTIFY_CLIENT_OUTPUT_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace rectify::client {

// Pretty-printed, ending in a newline. Thread-safe.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

// On one line, ending in a newline: for streams printed as JSON lines (rectify watch --json).
absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_JSON_H_
