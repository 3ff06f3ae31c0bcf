// What an import uses when the committee does not say: the review's title and kind, read from
// the document (or its file name).
//
// Thread safety: pure functions.
#ifndef RECTIFY_SERVICES_IMPORTER_REVIEW_DEFAULTS_H_
#define RECTIFY_SERVICES_IMPORTER_REVIEW_DEFAULTS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "services/importer/review_draft.h"
#include "services/model/model.h"

namespace rectify {

// Title when none is given: the document's title line, else the file name without directories
// and extension ("branch-self-review-2021"), else "导入的检视材料". At most 200 characters, one
// line, valid UTF-8 (a file name that is not is ignored).
std::string DefaultReviewTitle(const ReviewDraft& draft, absl::string_view file_name);

// The kind of review the opening of the document names: its title and the lines before the first
// section (where reports say "按照本次专题组织生活会的相关要求"). The earliest of 民主生活会,
// 组织生活会, 巡视, 巡察, 审计, 专项检查 wins; kOther when none is named.
ReviewKind GuessReviewKind(const ReviewDraft& draft, absl::string_view document);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_REVIEW_DEFAULTS_H_
