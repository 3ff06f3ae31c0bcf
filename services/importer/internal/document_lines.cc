#include "services/importer/internal/document_lines.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/importer/internal/section_headings.h"
#include "services/importer/internal/utf8_scan.h"
#include "services/importer/review_document.h"

namespace rectify {
namespace importer_internal {
namespace {

// A line at least this long (in characters) that stops mid-sentence was wrapped by an editor:
// Markdown hard-wrapped at 80 columns gives lines of about 40 Han characters, while headings
// without punctuation ("1、在发挥先锋模范作用方面") stay well below.
constexpr size_t kWrappedLineChars = 36;

bool IsAsciiAlnum(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

// "---", "***", "___", "* * *": a Markdown rule; "```" and "~~~": a code fence. Both only
// separate blocks.
bool IsRuleOrFence(absl::string_view t) {
  if (absl::StartsWith(t, "```") || absl::StartsWith(t, "~~~")) return true;
  const char c = t[0];
  if (c != '-' && c != '*' && c != '_') return false;
  int count = 0;
  for (const char x : t) {
    if (x == c) {
      ++count;
    } else if (x != ' ' && x != '\t') {
      return false;
    }
  }
  return count >= 3;
}

bool IsNumberingKind(MarkerKind kind) {
  return kind == MarkerKind::kHan || kind == MarkerKind::kHanParen || kind == MarkerKind::kArabic ||
         kind == MarkerKind::kArabicParen || kind == MarkerKind::kCircled;
}

// Whether `s` has a comma or a sentence end: wrapped prose has them, titles and headings do not.
bool HasClausePunctuation(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const CodePoint c = DecodeAt(s, i);
    if (IsComma(c.cp) || IsSentenceEnd(c.cp)) return true;
    i += c.length;
  }
  return false;
}

// What the splitter remembers of the line before the current one.
struct PreviousLine {
  size_t chars = 0;
  bool has_punctuation = false;
};

// Whether an unmarked line continues `prev` (see the header comment).
bool ContinuesPrevious(const Block& prev, const PreviousLine& line, bool indented) {
  if (prev.kind == MarkerKind::kMdHeading || prev.kind == MarkerKind::kPlainHeading) return false;
  const std::string& text = prev.text();
  if (text.empty()) return false;
  const char32_t last = DecodeBefore(text, text.size()).cp;
  if (IsComma(last)) return true;
  if (IsSentenceEnd(last) || IsColon(last) || IsCloseParen(last) || last == U'”' || last == U'’' ||
      last == '"' || last == U'」' || last == U'』' || last == U'】' || last == U'》' ||
      last == U'…') {
    return false;
  }
  if (line.chars >= kWrappedLineChars && line.has_punctuation) return true;
  return indented && prev.kind == MarkerKind::kBullet;
}

// Builds blocks line by line; see SplitIntoBlocks.
class BlockSplitter {
 public:
  explicit BlockSplitter(absl::string_view source) : source_(source) {}

  absl::StatusOr<std::vector<Block>> Run() {
    size_t start = 0;
    int line = 0;
    while (start < source_.size()) {
      size_t end = start;
      while (end < source_.size() && source_[end] != '\n' && source_[end] != '\r') ++end;
      size_t next = end;
      if (next < source_.size()) {
        next += (source_[next] == '\r' && next + 1 < source_.size() && source_[next + 1] == '\n')
                    ? 2
                    : 1;
      }
      ++line;
      if (absl::Status s = AddLine(source_.substr(start, end - start), start, line); !s.ok()) {
        return s;
      }
      start = next;
    }
    return std::move(blocks_);
  }

 private:
  absl::Status AddLine(absl::string_view raw, size_t raw_offset, int line) {
    const bool indented = absl::StartsWith(raw, "  ") || absl::StartsWith(raw, "\t");
    absl::string_view t = TrimSpaces(raw);
    if (t.empty() || IsRuleOrFence(t)) {
      blank_before_ = true;
      return absl::OkStatus();
    }
    if (++non_blank_lines_ > kMaxReviewDocumentLines) {
      return InvalidField(
          "document", absl::StrCat("文档超过 ", kMaxReviewDocumentLines, " 行上限"),
          absl::StrCat("the document has more than ", kMaxReviewDocumentLines, " lines"));
    }
    size_t offset = raw_offset + static_cast<size_t>(t.data() - raw.data());
    auto advance = [&](size_t n) {
      const absl::string_view rest = TrimSpaces(t.substr(n));
      offset += static_cast<size_t>(rest.data() - t.data());
      t = rest;
    };
    while (!t.empty() && t[0] == '>') advance(1);  // Markdown quote

    int hashes = 0;
    while (hashes < static_cast<int>(t.size()) && t[hashes] == '#') ++hashes;
    const bool md_heading = hashes >= 1 && hashes <= 6;
    if (md_heading) {
      advance(hashes);
      // Closing hashes: "## 存在问题 ##".
      size_t end = t.size();
      while (end > 0 && t[end - 1] == '#') --end;
      if (end < t.size() && (end == 0 || t[end - 1] == ' ')) t = TrimSpaces(t.substr(0, end));
    }

    // Markdown bold "**" is presentation, and would hide a marker ("**一、存在的问题**").
    AnchoredText cleaned;
    size_t i = 0;
    while (i < t.size()) {
      const size_t star = t.find("**", i);
      const size_t stop = star == absl::string_view::npos ? t.size() : star;
      cleaned.Append(t.substr(i, stop - i), offset + i);
      i = star == absl::string_view::npos ? t.size() : star + 2;
    }
    cleaned = cleaned.Slice(0, cleaned.text().size());
    const std::string& text = cleaned.text();
    if (text.empty()) {
      blank_before_ = true;
      return absl::OkStatus();
    }

    Block block;
    block.line = line;
    const LeadingMarker m = ParseLeadingMarker(text);
    if (md_heading) {
      block.kind = MarkerKind::kMdHeading;
      block.level = hashes;
      block.numbered_heading = IsNumberingKind(m.kind);
    } else {
      block.kind = m.kind;
      block.level = m.level;
      block.ordinal = m.ordinal;
    }
    const size_t marker_length = (!md_heading || block.numbered_heading) ? m.length : 0;
    block.marker = std::string(TrimSpaces(absl::string_view(text).substr(0, marker_length)));
    block.body = cleaned.Slice(marker_length, text.size());
    if (block.kind == MarkerKind::kNone) {
      block.plain_heading = ExactSectionHeading(block.text());
      if (block.plain_heading) block.kind = MarkerKind::kPlainHeading;
    }

    const PreviousLine this_line{CountChars(block.text()), HasClausePunctuation(block.text())};
    if (block.kind == MarkerKind::kNone && !blank_before_ && !blocks_.empty() &&
        ContinuesPrevious(blocks_.back(), last_line_, indented)) {
      AnchoredText& prev = blocks_.back().body;
      if (!prev.text().empty() && !block.text().empty() &&
          IsAsciiAlnum(DecodeBefore(prev.text(), prev.text().size()).cp) &&
          IsAsciiAlnum(DecodeAt(block.text(), 0).cp)) {
        prev.AppendGlue(" ");
      }
      prev.AppendTail(block.body, 0);
    } else {
      blocks_.push_back(std::move(block));
    }
    last_line_ = this_line;
    blank_before_ = false;
    return absl::OkStatus();
  }

  const absl::string_view source_;
  std::vector<Block> blocks_;
  bool blank_before_ = true;
  PreviousLine last_line_;
  int non_blank_lines_ = 0;
};

}  // namespace

void AnchoredText::Append(absl::string_view piece, size_t source_offset) {
  if (piece.empty()) return;
  if (anchors_.empty() ||
      anchors_.back().source_offset + (text_.size() - anchors_.back().text_offset) !=
          source_offset) {
    anchors_.push_back({text_.size(), source_offset});
  }
  text_.append(piece.data(), piece.size());
}

void AnchoredText::AppendTail(const AnchoredText& other, size_t from) {
  for (size_t k = 0; k < other.anchors_.size(); ++k) {
    const size_t begin = other.anchors_[k].text_offset;
    const size_t end =
        k + 1 < other.anchors_.size() ? other.anchors_[k + 1].text_offset : other.text_.size();
    if (end <= from) continue;
    const size_t s = std::max(begin, from);
    Append(absl::string_view(other.text_).substr(s, end - s),
           other.anchors_[k].source_offset + (s - begin));
  }
}

void AnchoredText::AppendGlue(absl::string_view glue) {
  if (anchors_.empty()) anchors_.push_back({0, 0});
  text_.append(glue.data(), glue.size());
}

AnchoredText AnchoredText::Slice(size_t from, size_t to) const {
  to = std::min(to, text_.size());
  from = std::min(from, to);
  const absl::string_view whole(text_);
  const absl::string_view trimmed = TrimSpaces(whole.substr(from, to - from));
  from = static_cast<size_t>(trimmed.data() - whole.data());
  to = from + trimmed.size();
  AnchoredText out;
  for (size_t k = 0; k < anchors_.size(); ++k) {
    const size_t begin = anchors_[k].text_offset;
    const size_t end = k + 1 < anchors_.size() ? anchors_[k + 1].text_offset : text_.size();
    if (end <= from || begin >= to) continue;
    const size_t s = std::max(begin, from);
    const size_t e = std::min(end, to);
    out.Append(whole.substr(s, e - s), anchors_[k].source_offset + (s - begin));
  }
  return out;
}

size_t AnchoredText::SourceOffset(size_t offset) const {
  if (anchors_.empty()) return 0;
  auto it = std::upper_bound(anchors_.begin(), anchors_.end(), offset,
                             [](size_t o, const Anchor& a) { return o < a.text_offset; });
  if (it != anchors_.begin()) --it;
  return it->source_offset + (offset - std::min(offset, it->text_offset));
}

SourceMap::SourceMap(absl::string_view source) : source_(source) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < source_.size(); ++i) {
    if (source_[i] == '\n' ||
        (source_[i] == '\r' && (i + 1 == source_.size() || source_[i + 1] != '\n'))) {
      line_starts_.push_back(i + 1);
    }
  }
}

SourceSpan SourceMap::Locate(size_t offset) {
  offset = std::min(offset, source_.size());
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const size_t index = static_cast<size_t>(it - line_starts_.begin()) - 1;
  const int line = static_cast<int>(index) + 1;
  int column;
  if (cached_line_ == line && offset >= cached_offset_) {
    column = cached_column_ +
             static_cast<int>(CountChars(source_.substr(cached_offset_, offset - cached_offset_)));
  } else {
    const size_t start = line_starts_[index];
    column = 1 + static_cast<int>(CountChars(source_.substr(start, offset - start)));
  }
  cached_line_ = line;
  cached_offset_ = offset;
  cached_column_ = column;
  return {line, column};
}

absl::StatusOr<std::vector<Block>> SplitIntoBlocks(absl::string_view source) {
  return BlockSplitter(source).Run();
}

}  // namespace importer_internal
}  // namespace rectify
