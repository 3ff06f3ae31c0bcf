// Internal to the importer: reads areas and problems, causes and measures out of the sections
// the outline found (the rules are in review_document.h).
//
// Thread safety: not thread-safe (it advances the SourceMap's cache).
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_EXTRACT_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_EXTRACT_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/importer/internal/document_lines.h"
#include "services/importer/internal/outline.h"
#include "services/importer/review_draft.h"

namespace rectify {
namespace importer_internal {

// The formats the importer understands, named in warnings about paragraphs it did not split
// (docs/import.md describes them).
inline constexpr absl::string_view kUnderstoodFormatsZh =
    "能识别的格式：编号（一、（一）1. （1）①）、段内列举（一是……二是……，第一，……第二，……，"
    "①……②……，1.……；2.……，A.……；B.……）、标注行（问题一：／整改措施：／责任单位：／完成时限：）、"
    "Markdown 表格和制表符分隔的表格（列：序号、问题、整改措施、责任单位、完成时限）";
inline constexpr absl::string_view kUnderstoodFormatsEn =
    "understood: numbering (一、 （一） 1. （1） ①), inline enumerations (一是……二是……, "
    "第一，……第二，……, ①……②……, 1.……；2.……, A.……；B.……), labelled lines (问题一： 整改措施： "
    "责任单位： 完成时限：), Markdown and tab-separated tables with columns 序号 问题 整改措施 "
    "责任单位 完成时限";

// Fills the areas (problems numbered from 1), causes, measures, sections, unrecognised
// sections and warnings of `draft` from the sections of `outline`. INVALID_ARGUMENT past
// kMaxImportedProblems problems, kMaxImportedCauses causes or kMaxImportedMeasures measures;
// it stops reading as soon as a limit is passed.
absl::Status ExtractSections(const std::vector<Block>& blocks, const Outline& outline,
                             SourceMap& map, ReviewDraft* draft);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_EXTRACT_H_
