#include "client/output/json.h"

#include "google/protobuf/util/json_util.h"

namespace rectify::client {

namespace {

absl::StatusOr<std::string> Print(const google::protobuf::Message& message, bool whitespace) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = whitespace;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) return absl::InternalError(status.ToString());
  // add_whitespace already ends the document with a newline; make sure of it either way.
  if (out.empty() || out.back() != '\n') out += '\n';
  return out;
}

}  // namespace

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  return Print(message, /*whitespace=*/true);
}

absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message) {
  // Without add_whitespace the printer emits no newline at all, so the line is one line.
  return Print(message, /*whitespace=*/false);
}

}  // namespace rectify::client
