// Internal to the importer: the outline of a document (which block is under which) and the
// sections in it.
//
// The outline nests blocks by their marker style, not by an assumed order of styles: a style
// already open (below the nearest heading) closes everything opened since and becomes its
// sibling; a new style opens a level below the current one. Markdown headings nest by their
// level, and an unnumbered section heading ("存在的问题") sits above everything. Plain paragraphs
// go under the innermost open item. Each style appears on the open path at most once, so the
// outline is shallow whatever the input.
//
// Sections are the outline nodes whose heading names a known section (section_headings.h). A
// heading that names none but has section headings below it (e.g. "一、对照检查" over "（一）存在的
// 问题") is a container and is looked into; so is a background heading with section headings
// below it ("一、对照检查情况"). Beside recognised sections, a heading of the same style (or any
// Markdown heading) that names no section is reported as unrecognised.
//
// Thread safety: values.
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_OUTLINE_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_OUTLINE_H_

#include <string>
#include <vector>

#include "absl/types/optional.h"
#include "services/importer/internal/document_lines.h"
#include "services/importer/review_draft.h"

namespace rectify {
namespace importer_internal {

struct OutlineNode {
  int block = -1;   // index into the blocks; -1 for the document root
  int parent = -1;  // -1 for the root
  std::vector<int> children;
};

struct FoundSection {
  SectionKind kind = SectionKind::kUnrecognised;
  int node = 0;
};

struct Outline {
  // nodes[0] is the document root.
  std::vector<OutlineNode> nodes;
  // The block read as the document's title, or -1. It is not in the tree.
  int title_block = -1;
  // In document order.
  std::vector<FoundSection> sections;
};

Outline BuildOutline(const std::vector<Block>& blocks);

// The section a block's heading names, if it is a heading at all. A heading with text after it
// ("二、存在的问题：经过查摆，……") counts only when `allow_rest`.
absl::optional<SectionKind> HeadingKind(const Block& block, bool allow_rest);

// How a heading is shown: its marker as written and its text, cut to 60 characters.
std::string DisplayHeading(const Block& block);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_OUTLINE_H_
