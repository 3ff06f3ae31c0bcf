// Internal to the importer: reads areas and problems, causes and measures out of the sections
// the outline found (the rules are in review_document.h).
//
// Thread safety: not thread-safe (it advances the SourceMap's cache).
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_EXTRACT_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_EXTRACT_H_

#include <vector>

#include "absl/status/status.h"
#include "services/importer/internal/document_lines.h"
#include "services/importer/internal/outline.h"
#include "services/importer/review_draft.h"

namespace rectify {
namespace importer_internal {

// Fills the areas (problems numbered from 1), causes, measures, sections, unrecognised
// sections and warnings of `draft` from the sections of `outline`. INVALID_ARGUMENT past
// kMaxImportedProblems problems, kMaxImportedCauses causes or kMaxImportedMeasures measures;
// it stops reading as soon as a limit is passed.
absl::Status ExtractSections(const std::vector<Block>& blocks, const Outline& outline,
                             SourceMap& map, ReviewDraft* draft);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_EXTRACT_H_
