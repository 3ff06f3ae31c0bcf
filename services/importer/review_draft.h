// ReviewDraft: what the importer read from a review report (检视剖析材料, 对照检查材料), before
// anything is stored. It is plain data on purpose: the server fills it from the uploaded bytes
// with ParseReviewDocument (review_document.h), converts it field by field into an API message,
// and the client renders the preview (areas with their problems, causes, measures, each with the
// line it came from) without knowing how the document was parsed.
//
// Thread safety: plain values; a const ReviewDraft may be read from any number of threads.
#ifndef RECTIFY_SERVICES_IMPORTER_REVIEW_DRAFT_H_
#define RECTIFY_SERVICES_IMPORTER_REVIEW_DRAFT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace rectify {

// Where an item came from in the input: 1-based line, and 1-based column counted in characters
// (code points, not bytes) on that line. The column points at the item's text, after its
// numbering ("1、", "一是"), so that an editor can jump straight to it.
struct SourceSpan {
  int line = 0;
  int column = 0;
};

// One problem (问题) of an area. `number` is its position within the whole review, from 1 (the
// Problem.seq the server will give it). `measure` is the index into ReviewDraft::measures of the
// measure it most likely belongs to, or -1 when nothing links it (see measure_linker.h).
//
// Documents that put each problem beside its measure (labelled records, tables) link them by
// position instead: `measure` is the row's first measure, `extra_measures` any further ones (a
// table row continued below with an empty problem cell), and `owner`, `owner_person` and
// `deadline` are the row's 责任单位, 责任人 and 完成时限 as written (empty when not given).
struct ImportedProblem {
  std::string area;
  std::string text;
  int number = 0;
  int measure = -1;
  SourceSpan where;
  std::vector<int> extra_measures = {};
  std::string owner = {};
  std::string owner_person = {};
  std::string deadline = {};
};

// An area (方面) of the problems section, e.g. "在组织开展学习教育方面", with its problems. The
// name may be the section heading when the document lists problems without areas.
struct ImportedArea {
  std::string name;
  std::vector<ImportedProblem> problems;
  SourceSpan where;
};

// A root cause (根源剖析). `title` is its short lead sentence when it has one ("理论武装不够强"),
// else empty; `text` is the whole cause, lead sentence included, numbering removed.
struct ImportedCause {
  std::string text;
  std::string title;
  SourceSpan where;
};

// A measure (整改措施 / 今后努力方向), shaped like a cause.
struct ImportedMeasure {
  std::string text;
  std::string title;
  SourceSpan where;
};

// What a top-level section of the document was read as. The numbers are stable, so that an API
// enum can mirror them and convert with a range check and a cast, as the domain enums do.
enum class SectionKind {
  kProblems = 1,      // 存在的问题: imported as areas and problems
  kCauses = 2,        // 根源剖析: imported as causes
  kMeasures = 3,      // 整改措施 / 努力方向: imported as measures
  kBackground = 4,    // 基本情况 / 开展情况: recognised, deliberately skipped
  kUnrecognised = 5,  // a heading the importer does not know: reported, not imported
};

// Chinese label of a section kind for previews, e.g. "问题", "背景（已跳过）".
absl::string_view SectionKindLabel(SectionKind kind);

// A top-level section as found, with its heading line as written (numbering kept, Markdown
// markers removed, cut to 60 characters).
struct DocumentSection {
  SectionKind kind = SectionKind::kUnrecognised;
  std::string heading;
  SourceSpan where;
};

// A section the importer did not recognise. Its content is not imported; the preview shows it
// so that nothing is silently lost.
struct UnrecognisedSection {
  std::string heading;
  SourceSpan where;
};

// The preview of one review report.
struct ReviewDraft {
  // First line when it reads as a title (a Markdown title, or a short line before the first
  // section); empty otherwise.
  std::string title;
  std::vector<ImportedArea> areas;
  std::vector<ImportedCause> causes;
  std::vector<ImportedMeasure> measures;
  // Every top-level section in document order, whatever its kind.
  std::vector<DocumentSection> sections;
  // The kUnrecognised entries of `sections`, for callers that only want those.
  std::vector<UnrecognisedSection> unrecognised;
  // Things the committee should look at before importing, each "中文 / English" and naming the
  // line: numbering gaps, paragraphs left out, items over the 2000-character limit, a missing
  // causes or measures section.
  std::vector<std::string> warnings;

  // Number of problems over all areas.
  int ProblemCount() const;
  // The measure `problem` is linked to, or nullptr when it has none.
  const ImportedMeasure* MeasureFor(const ImportedProblem& problem) const;
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_REVIEW_DRAFT_H_
