// How tasks look to people: the list table, the `task show` page with its history, and the line
// printed after a transition. (The reports are in report_view.h.)
//
// All functions are pure and thread-safe; they return text ending in '\n'.
#ifndef RECTIFY_CLIENT_OUTPUT_TASK_VIEW_H_
#define RECTIFY_CLIENT_OUTPUT_TASK_VIEW_H_

#include <string>

#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "rectify/v1/ledger.pb.h"
#include "services/common/labels.h"

namespace rectify::client {

// Columns: ID, status, light, deadline, progress, owner unit, owner, measure (cut to fit).
std::string TaskListText(const google::protobuf::RepeatedPtrField<rectify::v1::Task>& tasks,
                         Lang lang);

// A "key: value" block with every field of the task (texts in full), then its progress reports
// (with evidence names and SHA-256), extension requests and events, oldest first.
std::string TaskHistoryText(const rectify::v1::TaskHistory& history, Lang lang,
                            absl::TimeZone zone);

// After a mutation: "任务 12：整改中，进度 40%，版本 5" / "task 12: in progress, 40%, version 5".
std::string TaskStatusLine(const rectify::v1::Task& task, Lang lang);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_TASK_VIEW_H_
