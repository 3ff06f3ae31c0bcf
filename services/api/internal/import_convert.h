// Conversions of ImportService: what the importer read (ReviewDraft) into the API's preview and
// into the domain's ReviewImport; assignment requests into TaskAssignment. Internal to
// services/api.
//
// Thread safety: pure functions.
#ifndef RECTIFY_SERVICES_API_INTERNAL_IMPORT_CONVERT_H_
#define RECTIFY_SERVICES_API_INTERNAL_IMPORT_CONVERT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/import.pb.h"
#include "services/domain/drafts.h"
#include "services/importer/review_draft.h"

namespace rectify::api {

// The areas, problems (each with the number of its measure, 0 for none), causes, measures,
// sections and warnings of `draft`. The defaults (title, kind) and the hash are the caller's.
void ToProto(const ReviewDraft& draft, v1::ImportPreview* out);

// The causes and problems of `draft`, each problem with its linked measure's text (empty when
// unlinked), for Ledger::ImportReview. The review's fields are the caller's.
ReviewImport ToReviewImport(const ReviewDraft& draft);

// The file name to keep as the review's source_document: without directories (a client may send
// a path), checked as one line of at most 200 characters. INVALID_ARGUMENT naming "file_name".
absl::StatusOr<std::string> SourceDocumentName(absl::string_view file_name);

TaskAssignment FromProto(const v1::AssignTaskRequest& in);
AssignmentRow FromProto(const v1::TaskAssignmentRow& in);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_IMPORT_CONVERT_H_
