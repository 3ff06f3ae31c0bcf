// Internal to the importer: turns checked text into blocks (one paragraph, heading or list item
// each, with its marker) that remember where every byte of their text came from.
//
// Lines end at LF, CRLF or a lone CR. Blank lines, Markdown rules ("---") and code fences
// separate blocks. A line with no marker continues the previous block only when that one was
// visibly cut: it ends in "，" or "、", or is a long line of prose (a hard-wrapped Markdown
// paragraph: commas inside, no closing punctuation), or is a bullet and this line is indented.
// Otherwise every line is its own paragraph, as in the documents committees write.
//
// Thread safety: SourceMap caches its last answer and must not be shared between threads; the
// rest are values.
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_DOCUMENT_LINES_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_DOCUMENT_LINES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "services/importer/internal/numbering.h"
#include "services/importer/review_draft.h"

namespace rectify {
namespace importer_internal {

// Text assembled from pieces of the source (Markdown "**" removed, wrapped lines joined), able
// to say which source byte each of its bytes came from.
//
// Thread safety: a value; not synchronised.
class AnchoredText {
 public:
  // Appends `piece`, which is the source from byte `source_offset` on.
  void Append(absl::string_view piece, size_t source_offset);
  // Appends other.text() from byte `from` on, keeping its origins.
  void AppendTail(const AnchoredText& other, size_t from);
  // Appends bytes that come from nowhere (a space joining two wrapped English words).
  void AppendGlue(absl::string_view glue);
  // The text from byte `from` to byte `to`, trimmed of spaces, origins kept.
  AnchoredText Slice(size_t from, size_t to) const;

  const std::string& text() const { return text_; }
  // The source byte that text byte `offset` came from.
  size_t SourceOffset(size_t offset) const;

 private:
  struct Anchor {
    size_t text_offset;
    size_t source_offset;
  };
  std::string text_;
  // Sorted by text_offset; a new anchor wherever the source is not contiguous.
  std::vector<Anchor> anchors_;
};

// Maps source byte offsets to 1-based lines and character columns.
//
// Thread safety: not thread-safe (Locate caches the previous answer so that items located in
// order along a 100k-character line cost linear time overall).
class SourceMap {
 public:
  explicit SourceMap(absl::string_view source);
  SourceMap(const SourceMap&) = delete;
  SourceMap& operator=(const SourceMap&) = delete;

  SourceSpan Locate(size_t source_offset);

 private:
  const absl::string_view source_;
  std::vector<size_t> line_starts_;
  size_t cached_offset_ = 0;
  int cached_line_ = 0;  // 0: nothing cached
  int cached_column_ = 1;
};

// One paragraph, heading or list item.
struct Block {
  MarkerKind kind = MarkerKind::kNone;
  int level = 0;    // see LeadingMarker::level; the number of '#' for kMdHeading
  int ordinal = 0;  // see LeadingMarker::ordinal
  // The marker as written ("二、", "（一）"), for showing a heading the way the author wrote it.
  std::string marker;
  // Text after the marker (kEnumLead keeps its word), trimmed, "**" removed.
  AnchoredText body;
  int line = 0;  // 1-based line of the block's first line
  // kPlainHeading: the section the line names.
  absl::optional<SectionKind> plain_heading;
  // kMdHeading: the heading text began with a numbering marker ("## 二、存在的问题").
  bool numbered_heading = false;

  const std::string& text() const { return body.text(); }
};

// Splits `source` (checked text: valid UTF-8, no BOM) into blocks. INVALID_ARGUMENT beyond
// kMaxReviewDocumentLines non-blank lines.
absl::StatusOr<std::vector<Block>> SplitIntoBlocks(absl::string_view source);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_DOCUMENT_LINES_H_
