#include "services/api/internal/convert.h"

#include "absl/strings/str_cat.h"
#include "services/common/civil.h"
#include "services/common/errors.h"

namespace rectify::api {

void ToProto(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(t);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rem * 1000));
}

absl::StatusOr<absl::Time> FromProto(absl::string_view field,
                                     const google::protobuf::Timestamp& ts) {
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    return InvalidField(absl::StrCat(field, ".nanos"), "须在 0 到 999999999 之间",
                        "must be between 0 and 999999999");
  }
  constexpr int64_t kMinSeconds = -62135596800;  // 0001-01-01T00:00:00Z
  constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  if (ts.seconds() < kMinSeconds || ts.seconds() > kMaxSeconds) {
    return InvalidField(absl::StrCat(field, ".seconds"), "超出 0001 年到 9999 年的范围",
                        "must lie between the years 0001 and 9999");
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

void ToProto(const OrgUnit& unit, v1::OrgUnit* out) {
  out->set_id(unit.id);
  out->set_name(unit.name);
  out->set_parent_id(unit.parent_id);
  out->set_depth(unit.depth);
  // "/1/5/12/" -> [1, 5, 12]
  int64_t current = 0;
  bool in_number = false;
  for (char c : unit.path) {
    if (c >= '0' && c <= '9') {
      current = current * 10 + (c - '0');
      in_number = true;
    } else if (in_number) {
      out->add_path(current);
      current = 0;
      in_number = false;
    }
  }
  out->set_version(unit.version);
  ToProto(unit.create_time, out->mutable_create_time());
}

void ToProto(const Review& review, v1::Review* out) {
  out->set_id(review.id);
  out->set_title(review.title);
  out->set_kind(static_cast<v1::ReviewKind>(review.kind));
  out->set_held_on(FormatDay(review.held_on));
  out->set_unit_id(review.unit_id);
  out->set_source_document(review.source_document);
  ToProto(review.create_time, out->mutable_create_time());
}

void ToProto(const RootCause& cause, v1::RootCause* out) {
  out->set_id(cause.id);
  out->set_review_id(cause.review_id);
  out->set_text(cause.text);
}

void ToProto(const Problem& problem, v1::Problem* out) {
  out->set_id(problem.id);
  out->set_review_id(problem.review_id);
  out->set_area(problem.area);
  out->set_text(problem.text);
  for (Id id : problem.root_cause_ids) out->add_root_cause_ids(id);
  out->set_seq(problem.seq);
}

void ToProto(const Task& task, const std::string& unit_name, bool overdue, v1::Task* out) {
  out->set_id(task.id);
  out->set_problem_id(task.problem_id);
  out->set_review_id(task.review_id);
  out->set_area(task.area);
  out->set_measure(task.measure);
  out->set_owner_unit_id(task.owner_unit_id);
  out->set_owner_unit_name(unit_name);
  out->set_owner_person(task.owner_person);
  out->set_leader(task.leader);
  if (task.deadline) out->set_deadline(FormatDay(*task.deadline));
  out->set_cadence_days(task.cadence_days);
  out->set_status(static_cast<v1::TaskStatus>(task.status));
  out->set_progress_percent(task.progress_percent);
  out->set_version(task.version);
  out->set_deadline_version(task.deadline_version);
  out->set_light(static_cast<v1::WarningLight>(task.light));
  out->set_escalation_level(task.escalation_level);
  out->set_status_note(task.status_note);
  ToProto(task.create_time, out->mutable_create_time());
  ToProto(task.update_time, out->mutable_update_time());
  if (task.close_time) ToProto(*task.close_time, out->mutable_close_time());
  if (task.last_report_time) ToProto(*task.last_report_time, out->mutable_last_report_time());
  out->set_latest_progress(task.latest_progress);
  out->set_overdue(overdue);
  out->set_draft(task.draft);
}

void ToProto(const Evidence& evidence, v1::Evidence* out) {
  out->set_id(evidence.id);
  out->set_file_name(evidence.file_name);
  out->set_media_type(evidence.media_type);
  out->set_size_bytes(evidence.size_bytes);
  out->set_sha256(evidence.sha256_hex);
  if (!evidence.content.empty()) out->set_content(evidence.content);
}

void ToProto(const ProgressReport& report, v1::ProgressReport* out) {
  out->set_id(report.id);
  out->set_task_id(report.task_id);
  out->set_reporter(report.reporter);
  ToProto(report.report_time, out->mutable_report_time());
  out->set_text(report.text);
  out->set_percent(report.percent);
  for (const Evidence& e : report.evidence) ToProto(e, out->add_evidence());
}

void ToProto(const ExtensionRequest& request, v1::ExtensionRequest* out) {
  out->set_id(request.id);
  out->set_task_id(request.task_id);
  if (request.old_deadline) out->set_old_deadline(FormatDay(*request.old_deadline));
  out->set_requested_deadline(FormatDay(request.requested_deadline));
  out->set_reason(request.reason);
  out->set_requested_by(request.requested_by);
  ToProto(request.request_time, out->mutable_request_time());
  out->set_state(static_cast<v1::ExtensionState>(request.state));
  out->set_decided_by(request.decided_by);
  if (request.decide_time) ToProto(*request.decide_time, out->mutable_decide_time());
  out->set_decision_note(request.decision_note);
}

void ToProto(const Event& event, v1::Event* out) {
  out->set_seq(event.seq);
  out->set_kind(static_cast<v1::EventKind>(event.kind));
  out->set_task_id(event.task_id);
  out->set_unit_id(event.unit_id);
  out->set_actor(event.actor);
  ToProto(event.time, out->mutable_event_time());
  if (event.from_status) out->set_from_status(static_cast<v1::TaskStatus>(*event.from_status));
  if (event.to_status) out->set_to_status(static_cast<v1::TaskStatus>(*event.to_status));
  out->set_detail(event.detail);
}

}  // namespace rectify::api
