#include "client/output/json.h"

#include "google/protobuf/util/json_util.h"

namespace rectify::client {

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) return absl::InternalError(status.ToString());
  // add_whitespace already ends the document with a newline; make sure of it either way.
  if (out.empty() || out.back() != '\n') out += '\n';
  return out;
}

}  // namespace rectify::client
