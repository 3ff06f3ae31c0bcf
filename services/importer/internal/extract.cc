#include "services/importer/internal/extract.h"

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/importer/internal/numbering.h"
#include "services/importer/internal/section_headings.h"
#include "services/importer/internal/utf8_scan.h"
#include "services/importer/review_document.h"

namespace rectify {
namespace importer_internal {
namespace {

// Longest lead sentence that still reads as an area name or a title.
constexpr size_t kMaxAreaNameChars = 40;
constexpr size_t kMaxTitleChars = 40;

// A paragraph's lead sentence: up to the first sentence end or colon.
struct Lead {
  absl::string_view name;  // without closing punctuation
  absl::string_view rest;  // trimmed; empty when the paragraph is one sentence
  bool colon = false;      // the lead ended in "：" ("在学习方面存在的问题：……")
};

Lead SplitLead(absl::string_view body) {
  size_t i = 0;
  while (i < body.size()) {
    const CodePoint c = DecodeAt(body, i);
    if (IsSentenceEnd(c.cp) || IsColon(c.cp)) {
      return {TrimTrailingPunctuation(body.substr(0, i)), TrimSpaces(body.substr(i + c.length)),
              IsColon(c.cp)};
    }
    i += c.length;
  }
  return {TrimTrailingPunctuation(body), {}, false};
}

// "在组织开展学习教育方面。" and "学习方面存在的问题：" name an area; "学习不够深入。" does not.
bool NamesArea(const Lead& lead) {
  return !lead.name.empty() && CountChars(lead.name) <= kMaxAreaNameChars &&
         (lead.colon || absl::StrContains(lead.name, "方面"));
}

std::string TitleOf(absl::string_view text) {
  const Lead lead = SplitLead(text);
  if (CountChars(lead.name) > kMaxTitleChars) return "";
  return std::string(lead.name);
}

// What may stand before an enumeration that is then split into items: nothing, or an
// introduction ending in a colon ("主要表现在：一是……；二是……"). A sentence of its own before the
// enumeration ("学习不够深入。一是……") is a problem with its details, and stays whole.
bool IsLeadIn(absl::string_view before) {
  before = TrimSpaces(before);
  return before.empty() || IsColon(DecodeBefore(before, before.size()).cp);
}

// A paragraph that still looks like a table row or a pasted table: tabs, or two or more "|".
bool LooksLikeTable(absl::string_view text) {
  int bars = 0;
  for (const char c : text) {
    if (c == '\t') return true;
    if (c == '|') ++bars;
  }
  return bars >= 2 || absl::StrContains(text, "｜");
}

// A short line that only heads what is below it ("（一）在学习方面", "1. 思想根源：").
bool IsShortHeading(absl::string_view body) {
  return CountChars(body) <= kMaxHeadingChars &&
         SplitHeading(body).rest_offset == absl::string_view::npos;
}

class Extractor {
 public:
  Extractor(const std::vector<Block>& blocks, const Outline& outline, SourceMap& map,
            ReviewDraft* draft)
      : blocks_(blocks), outline_(outline), map_(map), draft_(*draft) {}

  absl::Status Run() {
    int problem_sections = 0;
    bool saw_causes = false;
    bool saw_measures = false;
    for (const FoundSection& s : outline_.sections) {
      const int b = outline_.nodes[s.node].block;
      const SourceSpan where = At(b, 0);
      draft_.sections.push_back({s.kind, DisplayHeading(blocks_[b]), where});
      const size_t before = draft_.causes.size() + draft_.measures.size() + draft_.areas.size();
      switch (s.kind) {
        case SectionKind::kProblems:
          ++problem_sections;
          RETURN_IF_ERROR(Problems(s.node));
          break;
        case SectionKind::kCauses:
          saw_causes = true;
          RETURN_IF_ERROR(Entries(s.node, SectionKind::kCauses));
          break;
        case SectionKind::kMeasures:
          saw_measures = true;
          RETURN_IF_ERROR(Entries(s.node, SectionKind::kMeasures));
          break;
        case SectionKind::kBackground:
          break;
        case SectionKind::kUnrecognised:
          draft_.unrecognised.push_back({draft_.sections.back().heading, where});
          break;
      }
      const bool empty =
          before == draft_.causes.size() + draft_.measures.size() + draft_.areas.size();
      if (empty && s.kind != SectionKind::kBackground && s.kind != SectionKind::kUnrecognised) {
        Warn(where.line, "该部分没有可导入的内容", "the section has nothing to import");
      }
    }
    if (problem_sections > 1) {
      draft_.warnings.push_back(absl::StrCat("发现 ", problem_sections,
                                             " 个问题部分，已按顺序合并 / ", problem_sections,
                                             " problems sections found; merged in order"));
    }
    if (!saw_causes) {
      draft_.warnings.push_back("未找到原因剖析部分 / no root-cause section found");
    }
    if (!saw_measures) {
      draft_.warnings.push_back(
          "未找到整改措施部分，草稿任务将没有对应措施 / no measures section found: draft tasks "
          "will have no measure");
    }
    int number = 0;
    for (ImportedArea& area : draft_.areas) {
      for (ImportedProblem& p : area.problems) p.number = ++number;
    }
    return absl::OkStatus();
  }

 private:
  // A piece of a section's content: block text from `from` on, with the node's children when
  // `node` is not -1 (the text after a heading, "二、存在的问题：……", has none of its own).
  struct Piece {
    int block;
    size_t from;
    int node;
  };

  SourceSpan At(int block, size_t offset) {
    return map_.Locate(blocks_[block].body.SourceOffset(offset));
  }
  static size_t OffsetIn(const std::string& text, absl::string_view part) {
    return static_cast<size_t>(part.data() - text.data());
  }
  const std::vector<int>& Children(int node) const { return outline_.nodes[node].children; }
  int BlockOf(int node) const { return outline_.nodes[node].block; }

  void Warn(int line, absl::string_view zh, absl::string_view en) {
    draft_.warnings.push_back(absl::StrCat("第 ", line, " 行：", zh, " / line ", line, ": ", en));
  }

  void WarnGaps(const Enumeration& e, int line) {
    for (const int gap : e.gaps) {
      Warn(line, absl::StrCat("列举缺少第 ", gap, " 项（编号不连续）"),
           absl::StrCat("the enumeration skips item ", gap));
    }
  }

  void WarnIfTooLong(absl::string_view text, int line) {
    if (CountChars(text) > static_cast<size_t>(kMaxImportedItemChars)) {
      Warn(line, absl::StrCat("条目超过 ", kMaxImportedItemChars, " 字，导入前请拆分或精简"),
           absl::StrCat("the item is longer than ", kMaxImportedItemChars,
                        " characters; shorten or split it before importing"));
    }
  }

  // The section's content, without an introduction ("对照要求，查摆出以下问题：") when numbered
  // items follow it. An introduction that does not end in a colon may hold content, so the
  // committee is told it was left out.
  std::vector<Piece> Items(int section_node) {
    std::vector<Piece> pieces;
    const int head = BlockOf(section_node);
    if (blocks_[head].kind != MarkerKind::kPlainHeading) {
      const HeadingSplit split = SplitHeading(blocks_[head].text());
      if (split.rest_offset != absl::string_view::npos) {
        pieces.push_back({head, split.rest_offset, -1});
      }
    }
    for (const int child : Children(section_node)) pieces.push_back({BlockOf(child), 0, child});
    auto plain = [&](const Piece& p) {
      return p.node < 0 || blocks_[p.block].kind == MarkerKind::kNone;
    };
    size_t first_item = 0;
    while (first_item < pieces.size() && plain(pieces[first_item])) ++first_item;
    if (first_item == pieces.size()) return pieces;
    for (size_t i = 0; i < first_item; ++i) {
      const absl::string_view text =
          absl::string_view(blocks_[pieces[i].block].text()).substr(pieces[i].from);
      if (text.empty() || IsColon(DecodeBefore(text, text.size()).cp)) continue;
      Warn(At(pieces[i].block, pieces[i].from).line, "编号条目之前的段落未导入",
           "the paragraph before the numbered items was not imported");
    }
    pieces.erase(pieces.begin(), pieces.begin() + first_item);
    return pieces;
  }

  // The texts of everything under `node`, one per line, for an item whose details are
  // sub-items.
  void AppendDescendants(int node, std::string* out) const {
    for (const int child : Children(node)) {
      const std::string& text = blocks_[BlockOf(child)].text();
      if (!text.empty()) absl::StrAppend(out, "\n", text);
      AppendDescendants(child, out);
    }
  }

  // ---- problems ----

  absl::Status Problems(int section_node) {
    const Block& head = blocks_[BlockOf(section_node)];
    section_area_name_ = TruncateChars(TrimTrailingPunctuation(SplitHeading(head.text()).heading),
                                       kMaxImportedAreaChars - 1);
    default_area_ = -1;
    for (const Piece& piece : Items(section_node)) RETURN_IF_ERROR(Area(piece));
    // An area heading with nothing under it is no area.
    for (size_t i = 0; i < draft_.areas.size();) {
      if (draft_.areas[i].problems.empty()) {
        Warn(draft_.areas[i].where.line, "该方面下没有问题", "the area lists no problem");
        draft_.areas.erase(draft_.areas.begin() + i);
      } else {
        ++i;
      }
    }
    return absl::OkStatus();
  }

  int NewArea(absl::string_view name, SourceSpan where) {
    std::string fitted(name);
    if (CountChars(name) > static_cast<size_t>(kMaxImportedAreaChars)) {
      fitted = TruncateChars(name, kMaxImportedAreaChars - 1);
      Warn(where.line, absl::StrCat("方面名称超过 ", kMaxImportedAreaChars, " 字，已截断"),
           absl::StrCat("the area name is longer than ", kMaxImportedAreaChars,
                        " characters and was cut"));
    }
    draft_.areas.push_back({std::move(fitted), {}, where});
    default_area_ = -1;
    return static_cast<int>(draft_.areas.size()) - 1;
  }

  // Items that name no area share one, named after the section, until a named area follows.
  int DefaultArea(SourceSpan where) {
    if (default_area_ < 0) {
      draft_.areas.push_back({section_area_name_, {}, where});
      default_area_ = static_cast<int>(draft_.areas.size()) - 1;
    }
    return default_area_;
  }

  absl::Status Area(const Piece& piece) {
    const Block& b = blocks_[piece.block];
    const absl::string_view text = absl::string_view(b.text()).substr(piece.from);
    const bool has_children = piece.node >= 0 && !Children(piece.node).empty();
    const Enumeration e = FindEnumeration(text);
    if (e.markers.size() >= 2) {
      const absl::string_view name =
          TrimTrailingPunctuation(TrimSpaces(text.substr(0, e.markers[0].start)));
      const SourceSpan where = At(piece.block, piece.from);
      const int area = name.empty() ? DefaultArea(where) : NewArea(name, where);
      RETURN_IF_ERROR(AddEnumeratedProblems(area, piece.block, text, e));
      return ChildProblems(piece.node, area);
    }
    const absl::string_view body = TrimSpaces(text.substr(EnumerationLeadLength(text)));
    if (body.empty() && !has_children) return absl::OkStatus();
    const Lead lead = SplitLead(body);
    const SourceSpan where = At(piece.block, OffsetIn(b.text(), body));
    int area;
    if (has_children && lead.rest.empty()) {
      const absl::string_view name = TrimTrailingPunctuation(body);
      area = name.empty() ? DefaultArea(where) : NewArea(name, where);
    } else if (!lead.rest.empty() && NamesArea(lead)) {
      area = NewArea(lead.name, where);
      RETURN_IF_ERROR(AddProblem(area, lead.rest, At(piece.block, OffsetIn(b.text(), lead.rest))));
    } else {
      area = DefaultArea(where);
      RETURN_IF_ERROR(AddProblem(area, body, where));
    }
    return ChildProblems(piece.node, area);
  }

  absl::Status ChildProblems(int node, int area) {
    if (node < 0) return absl::OkStatus();
    for (const int child : Children(node)) RETURN_IF_ERROR(CollectProblems(child, area));
    return absl::OkStatus();
  }

  // A paragraph or sub-item under an area: one problem, or one per enumerated part when it is
  // nothing but an enumeration.
  absl::Status CollectProblems(int node, int area) {
    const int b = BlockOf(node);
    const std::string& text = blocks_[b].text();
    const bool has_children = !Children(node).empty();
    const Enumeration e = FindEnumeration(text);
    if (e.markers.size() >= 2 && IsLeadIn(absl::string_view(text).substr(0, e.markers[0].start))) {
      RETURN_IF_ERROR(AddEnumeratedProblems(area, b, text, e));
      return ChildProblems(node, area);
    }
    const absl::string_view body =
        TrimSpaces(absl::string_view(text).substr(EnumerationLeadLength(text)));
    if (body.empty() || (has_children && IsShortHeading(body))) return ChildProblems(node, area);
    std::string problem(body);
    AppendDescendants(node, &problem);
    return AddProblem(area, problem, At(b, OffsetIn(text, body)));
  }

  absl::Status AddEnumeratedProblems(int area, int block, absl::string_view text,
                                     const Enumeration& e) {
    const std::string& whole = blocks_[block].text();
    for (size_t i = 0; i < e.markers.size(); ++i) {
      const absl::string_view part = EnumerationItem(text, e, i);
      RETURN_IF_ERROR(AddProblem(area, part, At(block, OffsetIn(whole, part))));
    }
    WarnGaps(e, blocks_[block].line);
    return absl::OkStatus();
  }

  // The preview says where a paragraph still looks like something the importer can split
  // (docs/import.md lists the formats), so that a paragraph taken whole is never a surprise.
  void WarnIfUnsplit(absl::string_view text, int line) {
    if (LooksLikeTable(text)) {
      Warn(line, absl::StrCat("段落像表格但未按表格导入；", kUnderstoodFormatsZh),
           absl::StrCat("the paragraph looks like a table but was not read as one; ",
                        kUnderstoodFormatsEn));
    } else if (FindEnumeration(text).markers.size() >= 2 || HoldsEnumerationTail(text)) {
      Warn(line, absl::StrCat("段落中的列举未拆分，整段作为一条导入；", kUnderstoodFormatsZh),
           absl::StrCat("the enumeration in the paragraph was not split and is imported as one "
                        "item; ",
                        kUnderstoodFormatsEn));
    }
  }

  absl::Status AddProblem(int area, absl::string_view text, SourceSpan where) {
    if (text.empty()) return absl::OkStatus();
    WarnIfUnsplit(text, where.line);
    if (++problem_count_ > kMaxImportedProblems) {
      return InvalidField(
          "document",
          absl::StrCat("问题超过 ", kMaxImportedProblems, " 条上限，请检查文档或分批导入"),
          absl::StrCat("more than ", kMaxImportedProblems,
                       " problems; check the document or import it in parts"));
    }
    WarnIfTooLong(text, where.line);
    ImportedArea& a = draft_.areas[area];
    a.problems.push_back({a.name, std::string(text), 0, -1, where});
    return absl::OkStatus();
  }

  // ---- causes and measures ----

  absl::Status Entries(int section_node, SectionKind kind) {
    for (const Piece& piece : Items(section_node)) {
      RETURN_IF_ERROR(CollectEntries(piece.block, piece.from, piece.node, kind));
    }
    return absl::OkStatus();
  }

  // One cause or measure per item; an item that is an enumeration (or a plain paragraph that
  // holds one: "主要原因：一是……二是……") gives one per part; a short heading gives its
  // sub-items.
  absl::Status CollectEntries(int block, size_t from, int node, SectionKind kind) {
    const Block& b = blocks_[block];
    const absl::string_view text = absl::string_view(b.text()).substr(from);
    const Enumeration e = FindEnumeration(text);
    const bool plain = node < 0 || b.kind == MarkerKind::kNone;
    if (e.markers.size() >= 2 &&
        (plain || TrimSpaces(text.substr(0, e.markers[0].start)).empty())) {
      for (size_t i = 0; i < e.markers.size(); ++i) {
        const absl::string_view part = EnumerationItem(text, e, i);
        RETURN_IF_ERROR(AddEntry(kind, part, At(block, OffsetIn(b.text(), part))));
      }
      WarnGaps(e, b.line);
      return ChildEntries(node, kind);
    }
    const absl::string_view body = TrimSpaces(text.substr(EnumerationLeadLength(text)));
    const bool has_children = node >= 0 && !Children(node).empty();
    if (body.empty() || (has_children && IsShortHeading(body))) return ChildEntries(node, kind);
    std::string entry(body);
    if (node >= 0) AppendDescendants(node, &entry);
    return AddEntry(kind, entry, At(block, OffsetIn(b.text(), body)));
  }

  absl::Status ChildEntries(int node, SectionKind kind) {
    if (node < 0) return absl::OkStatus();
    for (const int child : Children(node)) {
      RETURN_IF_ERROR(CollectEntries(BlockOf(child), 0, child, kind));
    }
    return absl::OkStatus();
  }

  absl::Status AddEntry(SectionKind kind, absl::string_view text, SourceSpan where) {
    if (text.empty()) return absl::OkStatus();
    const bool cause = kind == SectionKind::kCauses;
    const size_t count = cause ? draft_.causes.size() : draft_.measures.size();
    const int limit = cause ? kMaxImportedCauses : kMaxImportedMeasures;
    if (count >= static_cast<size_t>(limit)) {
      return InvalidField(
          "document",
          absl::StrCat(cause ? "原因" : "整改措施", "超过 ", limit, " 条上限，请检查文档"),
          absl::StrCat("more than ", limit, cause ? " causes" : " measures",
                       "; check the document"));
    }
    WarnIfTooLong(text, where.line);
    WarnIfUnsplit(text, where.line);
    if (cause) {
      draft_.causes.push_back({std::string(text), TitleOf(text), where});
    } else {
      draft_.measures.push_back({std::string(text), TitleOf(text), where});
    }
    return absl::OkStatus();
  }

  const std::vector<Block>& blocks_;
  const Outline& outline_;
  SourceMap& map_;
  ReviewDraft& draft_;
  int problem_count_ = 0;
  std::string section_area_name_;
  int default_area_ = -1;
};

}  // namespace

absl::Status ExtractSections(const std::vector<Block>& blocks, const Outline& outline,
                             SourceMap& map, ReviewDraft* draft) {
  return Extractor(blocks, outline, map, draft).Run();
}

}  // namespace importer_internal
}  // namespace rectify
