// ParseReviewDocument: reads a review report (UTF-8 text or Markdown) into a ReviewDraft.
//
// The report is what a committee writes after a review: a title, perhaps a background section
// (开展情况), the problems by area (存在的问题和不足), their root causes (问题根源剖析) and the
// measures (今后努力方向 / 整改措施). The parser knows the numbering these documents use
// (一、 (一) （一） 1、 1. 1． 1.1 (1) （1） ① and Markdown #/-/*), enumerations inside a paragraph
// (一是……二是……, 首先/其次/再次/最后, 第一，第二，, 其一，其二，), the usual variants of the
// section headings, full- and half-width punctuation, CRLF line endings and a UTF-8 BOM.
//
// How a document is read:
// - Sections are the headings that name a known section; their numbering style need not be the
//   same. A heading beside them that names no known section is reported in `unrecognised`; a
//   background section (基本情况, 开展情况) is listed in `sections` as skipped.
// - In the problems section each numbered item is an area: "1、在组织开展学习教育方面。一是……
//   二是……" is the area "在组织开展学习教育方面" with one problem per 一是/二是. A sub-heading
//   ("（一）在学习方面") followed by paragraphs or deeper items is an area whose problems are
//   those paragraphs. An item without inner enumeration whose lead sentence names an area
//   ("……方面。", "……：") is that area with one problem, the rest of the item; an item that
//   names no area is one problem in an area named after the section heading.
// - In the causes and measures sections each item is one cause or measure; a paragraph that is
//   only an enumeration ("一是……二是……") gives one per enumerated part.
// - Every problem is linked to the measure it most likely belongs to (measure_linker.h).
//
// Example:
//   absl::StatusOr<ReviewDraft> draft = ParseReviewDocument(uploaded_bytes);
//   if (!draft.ok()) return draft.status();  // INVALID_ARGUMENT, message "中文 / English"
//   for (const ImportedArea& area : draft->areas) ...
//
// Thread safety: a pure function of its input; safe to call from any number of threads.
#ifndef RECTIFY_SERVICES_IMPORTER_REVIEW_DOCUMENT_H_
#define RECTIFY_SERVICES_IMPORTER_REVIEW_DOCUMENT_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/importer/review_draft.h"

namespace rectify {

// Largest document accepted, in bytes. Review reports are tens of kilobytes.
inline constexpr size_t kMaxReviewDocumentBytes = 2 * 1024 * 1024;
// Most non-blank lines accepted (bounds memory for pathological input).
inline constexpr int kMaxReviewDocumentLines = 50000;
// Most problems, causes and measures (each) a document may yield: beyond that it is not one
// review, or the parser misread it, and either way a preview would be useless.
inline constexpr int kMaxImportedProblems = 500;
inline constexpr int kMaxImportedCauses = 500;
inline constexpr int kMaxImportedMeasures = 500;
// The API's limits on an area name and a review title: longer ones are cut to fit, ending in
// "…" (with a warning for an area, whose name the committee may want to choose).
inline constexpr int kMaxImportedAreaChars = 100;
inline constexpr int kMaxImportedTitleChars = 200;
// The API's limit on the text of a problem, cause or measure. Longer items are still returned,
// with a warning, so that the committee can shorten them before importing.
inline constexpr int kMaxImportedItemChars = 2000;

// Parses `bytes`, the document exactly as uploaded.
//
// Every error is INVALID_ARGUMENT with a "中文 / English" message about the field "document":
// - empty or blank input; more than kMaxReviewDocumentBytes or kMaxReviewDocumentLines;
// - not text: NUL bytes, UTF-16, a Word/PDF/ZIP file, many control characters;
// - not valid UTF-8 (the message names the line and suggests saving GBK files as UTF-8);
// - no problems section: the message lists the sections that were found, with their lines;
//   a problems section that yields no problem;
// - more than kMaxImportedProblems problems (or causes, or measures).
// INVALID_ARGUMENT rather than FAILED_PRECONDITION for the missing section because nothing but a
// different document can fix it: no state of the system would make this input acceptable.
absl::StatusOr<ReviewDraft> ParseReviewDocument(absl::string_view bytes);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_REVIEW_DOCUMENT_H_
