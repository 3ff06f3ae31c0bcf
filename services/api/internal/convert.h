// Conversions between the domain model and rectify.v1 protos. The only code besides the service
// adapters that sees *.pb.h. Instants become google.protobuf.Timestamp (UTC); civil days become
// "YYYY-MM-DD".
#ifndef RECTIFY_SERVICES_API_INTERNAL_CONVERT_H_
#define RECTIFY_SERVICES_API_INTERNAL_CONVERT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "rectify/v1/ledger.pb.h"
#include "rectify/v1/org.pb.h"
#include "services/domain/ledger.h"
#include "services/model/model.h"

namespace rectify::api {

void ToProto(absl::Time t, google::protobuf::Timestamp* out);
// A Timestamp a caller sent, as the well-known type defines it: nanos in [0, 999999999] and
// seconds within 0001-01-01..9999-12-31 UTC. Anything else is INVALID_ARGUMENT naming `field`,
// never silently normalised (a negative nanos would move the instant the caller meant).
absl::StatusOr<absl::Time> FromProto(absl::string_view field,
                                     const google::protobuf::Timestamp& ts);
void ToProto(const OrgUnit& unit, v1::OrgUnit* out);
void ToProto(const Review& review, v1::Review* out);
void ToProto(const RootCause& cause, v1::RootCause* out);
void ToProto(const Problem& problem, v1::Problem* out);
// `unit_name` is the owner unit's name; `overdue` whether the task is overdue now.
void ToProto(const Task& task, const std::string& unit_name, bool overdue, v1::Task* out);
void ToProto(const Evidence& evidence, v1::Evidence* out);
void ToProto(const ProgressReport& report, v1::ProgressReport* out);
void ToProto(const ExtensionRequest& request, v1::ExtensionRequest* out);
void ToProto(const Event& event, v1::Event* out);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_CONVERT_H_
