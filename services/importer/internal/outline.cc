#include "services/importer/internal/outline.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/importer/internal/section_headings.h"
#include "services/importer/internal/utf8_scan.h"

namespace rectify {
namespace importer_internal {
namespace {

constexpr size_t kMaxTitleChars = 60;
constexpr size_t kMaxDisplayHeadingChars = 60;

bool IsHeadingLike(const Block& b) {
  return b.kind == MarkerKind::kMdHeading || b.kind == MarkerKind::kPlainHeading;
}

// Nesting level of a heading-like block: an unnumbered section heading is above every Markdown
// heading.
int HeadingLevel(const Block& b) { return b.kind == MarkerKind::kMdHeading ? b.level : 0; }

bool SameStyle(const Block& a, const Block& b) {
  if (a.kind != b.kind) return false;
  // Dotted depth (1. vs 1.1) and enumeration family (一是 vs 首先) are styles of their own.
  return (a.kind != MarkerKind::kArabic && a.kind != MarkerKind::kEnumLead) || a.level == b.level;
}

bool IsMainKind(absl::optional<SectionKind> k) {
  return k && (*k == SectionKind::kProblems || *k == SectionKind::kCauses ||
               *k == SectionKind::kMeasures);
}

int FindTitle(const std::vector<Block>& blocks) {
  if (blocks.empty()) return -1;
  const Block& first = blocks.front();
  if (first.kind == MarkerKind::kMdHeading) {
    // A title stands above every other heading, and is neither "一、……" nor a section name.
    if (first.numbered_heading || ExactSectionHeading(first.text())) return -1;
    for (size_t i = 1; i < blocks.size(); ++i) {
      if (blocks[i].kind == MarkerKind::kMdHeading && blocks[i].level <= first.level) return -1;
    }
    return 0;
  }
  if (first.kind != MarkerKind::kNone || first.text().empty()) return -1;
  if (CountChars(first.text()) > kMaxTitleChars) return -1;
  const char32_t last = DecodeBefore(first.text(), first.text().size()).cp;
  if (IsSentenceEnd(last) || IsColon(last) || IsComma(last)) return -1;
  return 0;
}

// Finds the sections among the children of `parent`; see the header comment.
class SectionFinder {
 public:
  SectionFinder(const std::vector<Block>& blocks, const std::vector<OutlineNode>& nodes)
      : blocks_(blocks), nodes_(nodes) {}

  void Find(int parent, bool top_level, std::vector<FoundSection>* out) const {
    std::vector<FoundSection> here;
    std::vector<int> recognised_styles;  // node indices, one per recognised heading
    for (const int child : nodes_[parent].children) {
      const Block& b = block(child);
      if (b.kind == MarkerKind::kNone) continue;
      const absl::optional<SectionKind> kind = HeadingKind(b, top_level);
      if (IsMainKind(kind)) {
        here.push_back({*kind, child});
        recognised_styles.push_back(child);
      } else if (HasMainHeadingBelow(child)) {
        // A container ("一、对照检查", "一、对照检查情况"): its sections count at this level.
        Find(child, false, &here);
        recognised_styles.push_back(child);
      } else if (kind) {
        here.push_back({*kind, child});
        recognised_styles.push_back(child);
      } else if (b.kind != MarkerKind::kBullet && b.kind != MarkerKind::kEnumLead) {
        here.push_back({SectionKind::kUnrecognised, child});
      }
    }
    // An unrecognised heading is a section only beside recognised ones of its style: a stray
    // "1、" in the preamble is not.
    for (const FoundSection& s : here) {
      if (s.kind != SectionKind::kUnrecognised) {
        out->push_back(s);
        continue;
      }
      const Block& b = block(s.node);
      const bool beside =
          std::any_of(recognised_styles.begin(), recognised_styles.end(), [&](int node) {
            return SameStyle(block(node), b) ||
                   (b.kind == MarkerKind::kMdHeading && IsHeadingLike(block(node)));
          });
      if (beside) out->push_back(s);
    }
  }

 private:
  const Block& block(int node) const { return blocks_[nodes_[node].block]; }

  bool HasMainHeadingBelow(int node) const {
    for (const int child : nodes_[node].children) {
      if (IsMainKind(HeadingKind(block(child), false)) || HasMainHeadingBelow(child)) {
        return true;
      }
    }
    return false;
  }

  const std::vector<Block>& blocks_;
  const std::vector<OutlineNode>& nodes_;
};

}  // namespace

absl::optional<SectionKind> HeadingKind(const Block& block, bool allow_rest) {
  switch (block.kind) {
    case MarkerKind::kNone:
    case MarkerKind::kBullet:
    case MarkerKind::kEnumLead:
      return absl::nullopt;
    case MarkerKind::kPlainHeading:
      return block.plain_heading;
    default:
      break;
  }
  const HeadingSplit split = SplitHeading(block.text());
  if (split.rest_offset != absl::string_view::npos && !allow_rest &&
      block.kind != MarkerKind::kMdHeading) {
    return absl::nullopt;
  }
  return KeywordSectionHeading(split.heading);
}

std::string DisplayHeading(const Block& block) {
  return TruncateChars(absl::StrCat(block.marker, block.text()), kMaxDisplayHeadingChars);
}

Outline BuildOutline(const std::vector<Block>& blocks) {
  Outline outline;
  outline.title_block = FindTitle(blocks);
  outline.nodes.push_back(OutlineNode{});
  std::vector<int> open;  // the open path, outermost first (node indices)
  auto block_of = [&](int node) -> const Block& { return blocks[outline.nodes[node].block]; };

  for (int i = 0; i < static_cast<int>(blocks.size()); ++i) {
    if (i == outline.title_block) continue;
    const Block& b = blocks[i];
    if (IsHeadingLike(b)) {
      while (!open.empty() && !(IsHeadingLike(block_of(open.back())) &&
                                HeadingLevel(block_of(open.back())) < HeadingLevel(b))) {
        open.pop_back();
      }
    } else if (b.kind != MarkerKind::kNone) {
      // Reopening a style closes it and everything inside it, but never a heading above it.
      for (int k = static_cast<int>(open.size()) - 1; k >= 0; --k) {
        const Block& o = block_of(open[k]);
        if (IsHeadingLike(o)) break;
        if (SameStyle(o, b)) {
          open.resize(k);
          break;
        }
      }
    }
    const int parent = open.empty() ? 0 : open.back();
    const int node = static_cast<int>(outline.nodes.size());
    outline.nodes.push_back(OutlineNode{i, parent, {}});
    outline.nodes[parent].children.push_back(node);
    if (b.kind != MarkerKind::kNone) open.push_back(node);
  }

  SectionFinder(blocks, outline.nodes).Find(0, true, &outline.sections);
  return outline;
}

}  // namespace importer_internal
}  // namespace rectify
